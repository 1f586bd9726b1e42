# Helpers for tests/cgroups.bats: where a container's cgroup files are on a
# cgroup v1, hybrid or pure v2 host, and the v1 -> v2 conversions.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced after helpers.bash.  $CG is the container's cgroup path (set by
# cg_setup from the bundle's linux.cgroupsPath).

# cg_setup: $CG from $CONFIG.
cg_setup() {
	CG=$(json_get "$CONFIG" linux.cgroupsPath)
}

# cg_v2: pure cgroup v2 (no v1 controller hierarchy).
cg_v2() {
	! cgroup_v1
}

# cg_unified_mount: the mount point of the cgroup2 hierarchy (pure v2:
# /sys/fs/cgroup; hybrid: usually /sys/fs/cgroup/unified), or nothing.
cg_unified_mount() {
	awk '{ split($0, a, " - "); split(a[2], f, " ") }
		f[1] == "cgroup2" { print $5; exit }' /proc/self/mountinfo
}

# cg_v1_mount CTRL: the mount point of the v1 hierarchy holding CTRL
# (cpu may be co-mounted with cpuacct, etc.), or nothing.
cg_v1_mount() {
	awk -v c="$1" '{ split($0, a, " - "); split(a[2], f, " ") }
		f[1] == "cgroup" {
			n = split(f[3], o, ",")
			for (i = 1; i <= n; i++) if (o[i] == c) { print $5; exit }
		}' /proc/self/mountinfo
}

# cg_hybrid: v1 hierarchies plus a cgroup2 one.
cg_hybrid() {
	cgroup_v1 && [ -n "$(cg_unified_mount)" ]
}

# cg_unified_has CTRL: CTRL is a controller of the cgroup2 hierarchy.
cg_unified_has() {
	local m
	m=$(cg_unified_mount)
	[ -n "$m" ] && grep -qw -- "$1" "$m/cgroup.controllers" 2>/dev/null
}

# cg_dir CTRL [PATH]: the directory of cgroup PATH (default $CG) that holds
# CTRL's files: its v1 hierarchy, else the cgroup2 one (pure v2, or a
# controller such as hugetlb that a hybrid host has only in cgroup2).
cg_dir() {
	local p=${2-$CG} m
	m=$(cg_v1_mount "$1")
	[ -n "$m" ] || m=$(cg_unified_mount)
	[ -n "$m" ] || return 1
	echo "$m$p"
}

# cg_file CTRL FILE: path of FILE in the container's cgroup for CTRL.
cg_file() {
	echo "$(cg_dir "$1")/$2"
}

# cg_read CTRL FILE: the content of the file.
cg_read() {
	cat "$(cg_file "$1" "$2")"
}

# cg_expect CTRL FILE EXPECTED: the file holds EXPECTED (one line, or a
# multi-line EXPECTED).
cg_expect() {
	local f v
	f=$(cg_file "$1" "$2")
	v=$(cat "$f") || { echo "cannot read $f" >&2; return 1; }
	assert_eq "$v" "$3" "$f"
}

# cg_need CTRL FILE: skip the test when this kernel lacks FILE in the
# container's cgroup (a machine limit, named in the skip).
cg_need() {
	local f
	f=$(cg_file "$1" "$2")
	[ -e "$f" ] || skip "this kernel has no $2 ($f absent)"
}

# cg_has CTRL FILE: the container's cgroup has FILE.
cg_has() {
	[ -e "$(cg_file "$1" "$2")" ]
}

# --- the v1 -> v2 conversions (runtime-spec, runc/crun) ---------------------

# cpu.shares -> cpu.weight
cg_shares_to_weight() {
	echo $((1 + (($1 - 2) * 9999) / 262142))
}

# blkio.weight -> io.weight
cg_blkio_to_io_weight() {
	echo $((1 + (($1 - 10) * 9999) / 990))
}

# cg_weight_value FILE: the default weight in a blkio/io weight file, which
# reads "500" (v1) or "default 500\n8:0 300..." (v2).
cg_weight_value() {
	awk '$1 == "default" { print $2; exit } NF == 1 { print $1; exit }' "$1"
}

# --- the machine ------------------------------------------------------------

# cg_block_dev: MAJ:MIN of a whole-disk block device: the one holding /, else
# the first one in /sys/block (throttling needs a real queue, not a
# partition or an overlay's anonymous device).
cg_block_dev() {
	local d b
	d=$(stat -c '%Hd:%Ld' / 2>/dev/null)
	if [ -n "$d" ] && [ -e "/sys/dev/block/$d" ]; then
		if [ -e "/sys/dev/block/$d/partition" ]; then
			d=$(cat "/sys/dev/block/$d/../dev")
		fi
		echo "$d"
		return 0
	fi
	for b in /sys/block/*; do
		[ -e "$b/dev" ] || continue
		case ${b##*/} in loop* | ram*) continue ;; esac
		cat "$b/dev"
		return 0
	done
	return 1
}

# cg_last_cpu: the highest online CPU.
cg_last_cpu() {
	local online
	online=$(cat /sys/devices/system/cpu/online)
	online=${online##*[,-]}
	echo "$online"
}

# cg_first_mem: the first online memory node.
cg_first_mem() {
	local n
	n=$(cat /sys/devices/system/node/online 2>/dev/null) || n=0
	n=${n%%[,-]*}
	echo "${n:-0}"
}

# cg_hugetlb_2mb: the kernel has 2 MB huge pages and the hugetlb controller
# somewhere (v1 hierarchy or cgroup2).
cg_hugetlb_2mb() {
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || return 1
	[ -n "$(cg_v1_mount hugetlb)" ] || cg_unified_has hugetlb
}

# --- containers -------------------------------------------------------------

# cg_create [CMD]: create the container (resources are applied at create);
# its process is `sh -c CMD` (default: sleep).
cg_create() {
	set_cmd "${1:-sleep 1000}; : $ID"
	create_ok "$ID"
}

# cg_start CMD: create and start `sh -c 'touch /started; CMD'`, and wait
# until it runs.  $PID is the container's process.
cg_start() {
	set_cmd "touch /started; $1; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started" || { echo "container did not start: $(ctr_stderr "$ID")" >&2; return 1; }
	PID=$(container_pid "$ID")
}

# cg_procs [CTRL]: the sorted pids of the container's cgroup (default: the
# pids controller's, which is cgroup2 on a pure v2 host).
cg_procs() {
	sort -n "$(cg_file "${1:-pids}" cgroup.procs)"
}

# cg_own_path CTRL: this shell's cgroup for CTRL (v1) or in cgroup2 ("").
cg_own_path() {
	if [ -z "$1" ]; then
		awk -F: '$1 == "0" && $2 == "" { print $3; exit }' /proc/self/cgroup
	else
		awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { print $3; exit } }' /proc/self/cgroup
	fi
}

# cg_join PARENT CHILD: PARENT/CHILD without a doubled slash.
cg_join() {
	if [ "$1" = / ]; then echo "/$2"; else echo "$1/$2"; fi
}

# cg_rel_dir CTRL REL: the directory of CTRL's cgroup that a relative
# cgroupsPath REL names for a runtime running in this shell's cgroups: REL
# under this shell's cgroup of CTRL's v1 hierarchy, else of cgroup2.
cg_rel_dir() {
	local m
	m=$(cg_v1_mount "$1")
	if [ -n "$m" ]; then
		echo "$m$(cg_join "$(cg_own_path "$1")" "$2")"
	else
		echo "$(cg_unified_mount)$(cg_join "$(cg_own_path "")" "$2")"
	fi
}

# cg_run_in PATH CMD...: CMD in a subshell moved to cgroup PATH of every
# hierarchy (made if missing), as a runtime that another service starts
# would run.  The caller removes PATH (remove_cgroup) once CMD is done.
cg_run_in() {
	local path=$1 m
	shift
	(
		for m in $(cgroup_mounts); do
			mkdir -p "$m$path" || exit 99
			# a new v1 cpuset has no CPU nor node, and takes no process
			# (v2's is empty too, but means "the parent's")
			if [ -e "$m/cpuset.mems" ] && [ -z "$(cat "$m$path/cpuset.mems")" ]; then
				cat "$m/cpuset.cpus" >"$m$path/cpuset.cpus"
				cat "$m/cpuset.mems" >"$m$path/cpuset.mems"
			fi
			echo "$BASHPID" >"$m$path/cgroup.procs" ||
				{ echo "cannot move to $m$path" >&2; exit 99; }
		done
		"$@"
	)
}

# cg_refused MESSAGE: creating the container (of the current config) fails
# with exactly "husk: create: MESSAGE" and leaves nothing behind: no state,
# no cgroup, no process, no mount.
cg_refused() {
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ] || { echo "create succeeded; expected: $1" >&2; return 1; }
	assert_eq "$output" "husk: create: $1" "create's error"
	assert_no_trace "$ID" "$CG"
}

# cg_sh 'command': run `sh -c command` in the container in the foreground
# (`run`); $status, $output (stdout) and $stderr are bats' `run`'s.
cg_sh() {
	set_cmd "$1; : $ID"
	run_husk --separate-stderr run --bundle "$BUNDLE" "$ID"
}

# cg_sh_ok 'command': cg_sh that must succeed.
cg_sh_ok() {
	cg_sh "$1"
	if [ "$status" -ne 0 ]; then
		echo "run failed with $status: stdout: $output stderr: $stderr" >&2
		return 1
	fi
}

# cg_runtime_is_husk: the runtime under test is husk (for the choices the
# spec leaves to the runtime, such as the default cgroupsPath).
cg_runtime_is_husk() {
	"$HUSK" --version 2>/dev/null | head -n1 | grep -q '^husk '
}
