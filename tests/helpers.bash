# Common setup for husk's bats tests.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every test gets its own state root (--root), bundle, container id and
# cgroup path, so that test files can run in any order and in parallel, and
# never touch /run/husk.  The runtime under test is $RUNTIME when set (so
# `RUNTIME=/usr/sbin/runc bats tests/` checks the tests themselves against
# runc), else the husk built in $top_builddir.
#
# Environment (all optional):
#   RUNTIME          the runtime binary to test
#   top_builddir     build tree (default: the source tree above tests/)
#   BUSYBOX          a static busybox (default /bin/busybox)
#   RECVTTY          console socket receiver (default
#                    $top_builddir/tests/tools/recvtty, else tests/lib/recvtty.py)
#   HUSK_TEST_ROOTFS where to cache the busybox rootfs (default
#                    $BATS_RUN_TMPDIR/rootfs)
#   HUSK_TEST_LOG    when set, pass --log FILE and show FILE when a test fails
#   HUSK_TEST_STATIC_CONFIG  when set, skip `$HUSK spec` and use the static
#                    default config of tests/lib/cfg.py
#   HUSK_TEST_ALLOW_LEAKS    when set, teardown cleans up leftovers without
#                    failing the test
#   BATS_TEST_TIMEOUT        seconds per test (default 120)
#   PYTHON           python3 for the helpers (default /usr/bin/python3)

bats_require_minimum_version 1.5.0

# A runtime that hangs fails its test instead of the whole run.
: "${BATS_TEST_TIMEOUT:=120}"

HUSK_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${top_srcdir:=$(cd "$HUSK_TESTS_DIR/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
# make check passes relative directories; tests cd elsewhere.
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
HUSK=${RUNTIME:-$top_builddir/husk}
: "${BUSYBOX:=/bin/busybox}"
if [ -z "${RECVTTY:-}" ]; then
	if [ -x "$top_builddir/tests/tools/recvtty" ]; then
		RECVTTY=$top_builddir/tests/tools/recvtty
	else
		RECVTTY=$HUSK_TESTS_DIR/lib/recvtty.py
	fi
fi
if [ -z "${PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
HOOK_SCRIPT=$HUSK_TESTS_DIR/lib/hook.sh
CFG_PY=$HUSK_TESTS_DIR/lib/cfg.py

# --- small utilities -------------------------------------------------------

# json_get FILE|- PATH...: print values of a JSON document (see cfg.py --get).
json_get() {
	"$PYTHON" "$CFG_PY" --get "$@"
}

# cfg EDIT...: edit $CONFIG in place (see tests/lib/cfg.py for the syntax).
cfg() {
	"$PYTHON" "$CFG_PY" "$CONFIG" "$@"
}

# cfg_file FILE EDIT...
cfg_file() {
	"$PYTHON" "$CFG_PY" "$@"
}

# A JSON array of strings from the arguments: json_args sh -c 'echo hi'
json_args() {
	"$PYTHON" -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "$@"
}

# set_args ARG...: process.args of $CONFIG
set_args() {
	cfg "process.args=$(json_args "$@")"
}

# set_cmd 'shell command': process.args = sh -c 'command'
set_cmd() {
	set_args sh -c "$1"
}

# retry N DELAY CMD...: run CMD until it succeeds, at most N times.
retry() {
	local n=$1 delay=$2 i
	shift 2
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep "$delay"
	done
	return 1
}

# wait_file FILE [TRIES]: wait (default up to 10 s) for FILE to exist.
wait_file() {
	retry "${2:-200}" 0.05 test -e "$1"
}

# wait_file_content FILE [TRIES]: wait for FILE to be non-empty.
wait_file_content() {
	retry "${2:-200}" 0.05 test -s "$1"
}

pid_starttime() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# comm may hold spaces: the fields after it start after the last ')'
	stat=${stat##*) }
	set -- $stat
	echo "${20}"
}

# pid_alive PID: PID exists and is not a zombie.
pid_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# wait_pid_gone PID [TRIES]: wait (default up to 10 s) for PID to exit.
wait_pid_gone() {
	retry "${2:-200}" 0.05 eval "! pid_alive $1"
}

# track_pid PID: teardown kills PID (SIGKILL) if it is still the same process.
track_pid() {
	local st
	st=$(pid_starttime "$1") || return 0
	echo "$1 $st" >>"$BATS_TEST_TMPDIR/.pids"
}

# --- the runtime ------------------------------------------------------------

HUSK_ROOT=
HUSK_GLOBAL=()

# husk ARG...: the runtime with the global flags.  bats' fd 3 is closed for
# it: a runtime that leaked it into a container would hang the whole run.
husk() {
	"$HUSK" "${HUSK_GLOBAL[@]}" "$@" 3>&-
}

# run_husk [RUN-FLAGS] ARG...: bats `run` of the runtime with the global
# flags.  Leading words starting with '-' (and '!') go to `run`, e.g.
# run_husk -0 state "$ID"; run_husk ! start "$ID"; run_husk --separate-stderr ...
run_husk() {
	local flags=()
	while [ $# -gt 0 ] && { [ "${1:0:1}" = - ] || [ "$1" = '!' ]; }; do
		flags+=("$1")
		shift
	done
	run "${flags[@]}" husk "$@"
}

# husk_bg OUTFILE ARG...: the runtime in the background, stdin /dev/null,
# stdout and stderr to OUTFILE; its pid (the runtime itself, not a subshell,
# so signals reach it) in $BG_PID, tracked for teardown.
husk_bg() {
	local out=$1
	shift
	"$HUSK" "${HUSK_GLOBAL[@]}" "$@" </dev/null >"$out" 2>&1 3>&- &
	BG_PID=$!
	track_pid "$BG_PID"
}

# husk_detached ID ARG...: `husk ARG...` with stdin from /dev/null and
# stdout and stderr appended to $BATS_TEST_TMPDIR/ID.out and ID.err, which
# the container inherits (`create`, `run --detach`): bats' `run` would wait
# for the container to close its pipe.  Sets $status, and $output to what
# the runtime wrote to stderr then stdout during the call.
husk_detached() {
	local id=$1 out err o0 e0
	shift
	out=$BATS_TEST_TMPDIR/$id.out
	err=$BATS_TEST_TMPDIR/$id.err
	touch "$out" "$err"
	o0=$(stat -c %s "$out")
	e0=$(stat -c %s "$err")
	status=0
	husk "$@" </dev/null >>"$out" 2>>"$err" || status=$?
	output=$(tail -c +$((e0 + 1)) "$err"; tail -c +$((o0 + 1)) "$out")
}

# husk_create ID BUNDLE [FLAG]...: `create --bundle BUNDLE FLAG... ID`,
# detached as above.
husk_create() {
	local id=$1 bundle=$2
	shift 2
	husk_detached "$id" create --bundle "$bundle" "$@" "$id"
}

# create_ok ID [BUNDLE [FLAG]...]: husk_create that must succeed.
create_ok() {
	local id=$1 bundle=${2:-$BUNDLE}
	shift
	[ $# -gt 0 ] && shift
	husk_create "$id" "$bundle" "$@"
	if [ "$status" -ne 0 ]; then
		echo "create $id failed with $status: $output" >&2
		return 1
	fi
}

# start_ok ID: start that must succeed.
start_ok() {
	run_husk start "$1"
	if [ "$status" -ne 0 ]; then
		echo "start $1 failed with $status: $output" >&2
		return 1
	fi
}

# run_detached_ok ID [BUNDLE [FLAG]...]: `run --detach` that must succeed.
run_detached_ok() {
	local id=$1 bundle=${2:-$BUNDLE}
	shift
	[ $# -gt 0 ] && shift
	husk_detached "$id" run --detach --bundle "$bundle" "$@" "$id"
	if [ "$status" -ne 0 ]; then
		echo "run --detach $id failed with $status: $output" >&2
		return 1
	fi
}

# ctr_stdout ID / ctr_stderr ID: what a detached container wrote so far.
ctr_stdout() {
	cat "$BATS_TEST_TMPDIR/$1.out"
}
ctr_stderr() {
	cat "$BATS_TEST_TMPDIR/$1.err"
}

# state_json ID: the state of ID on stdout (fails as the runtime does).
state_json() {
	husk state "$1" 2>/dev/null
}

# state_field ID FIELD: one field of the state ("" and failure if unknown).
state_field() {
	local s
	s=$(state_json "$1") || return 1
	json_get - "$2" <<<"$s"
}

# container_status ID: created|running|stopped|..., or nothing on error.
container_status() {
	state_field "$1" status
}

# wait_for_status ID STATUS [TRIES]: poll `state` (default up to 10 s).
wait_for_status() {
	local i st
	for ((i = 0; i < ${3:-200}; i++)); do
		st=$(container_status "$1") || st=
		[ "$st" = "$2" ] && return 0
		sleep 0.05
	done
	echo "wait_for_status $1: status is '$st', not '$2'" >&2
	return 1
}

# container_pid ID: the pid of the container's process, from `state`; it is
# tracked, so teardown kills it if it is still there.
container_pid() {
	local pid
	pid=$(state_field "$1" pid) || return 1
	[ -n "$pid" ] && [ "$pid" != 0 ] || return 1
	track_pid "$pid"
	echo "$pid"
}

# --- ids, bundles, rootfs ---------------------------------------------------

# new_id: a fresh container id, registered for teardown.
new_id() {
	local u
	u=$(cat /proc/sys/kernel/random/uuid)
	u=${u//-/}
	local id="ht-${BATS_TEST_NUMBER:-0}-${u:0:12}"
	echo "$id" >>"$BATS_TEST_TMPDIR/.ids"
	echo "$id"
}

# register_id ID: teardown force-deletes ID (for ids not made by new_id).
register_id() {
	echo "$1" >>"$BATS_TEST_TMPDIR/.ids"
}

# register_cgroup PATH: teardown removes the cgroup PATH (relative to each
# controller's root) if it is left, and reports it as a leak.
register_cgroup() {
	echo "$1" >>"$BATS_TEST_TMPDIR/.cgroups"
}

build_rootfs() {
	local dest=$1 tmp applet
	tmp=$(mktemp -d "$dest.tmp.XXXXXX")
	chmod 755 "$tmp"
	mkdir -p "$tmp"/{bin,proc,sys,dev,tmp,etc,root,home/user}
	chmod 1777 "$tmp/tmp"
	cp "$BUSYBOX" "$tmp/bin/busybox"
	for applet in $("$tmp/bin/busybox" --list); do
		[ "$applet" = busybox ] || ln -s busybox "$tmp/bin/$applet"
	done
	cat >"$tmp/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		user:x:1000:1000:user:/home/user:/bin/sh
	EOF
	cat >"$tmp/etc/group" <<-'EOF'
		root:x:0:
		tty:x:5:
		user:x:1000:
	EOF
	chown 1000:1000 "$tmp/home/user"
	mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"
}

# The busybox rootfs, built once per run (or per HUSK_TEST_ROOTFS).
rootfs_cache() {
	local dest=${HUSK_TEST_ROOTFS:-$BATS_RUN_TMPDIR/rootfs}
	if [ ! -d "$dest" ]; then
		mkdir -p "$(dirname "$dest")"
		(
			flock 9
			[ -d "$dest" ] || build_rootfs "$dest"
		) 9>"$dest.lock"
	fi
	echo "$dest"
}

# make_bundle DIR ID: a bundle in DIR with its own copy of the busybox
# rootfs and a config for ID: from `$HUSK spec` when that works, else the
# static default, then normalised: no terminal, rootfs writable, cgroup
# path /husk-test-ID (registered for teardown), args `sh`.
make_bundle() {
	local dir=$1 id=$2
	mkdir -p "$dir"
	cp -a "$(rootfs_cache)" "$dir/rootfs"
	if [ -n "${HUSK_TEST_STATIC_CONFIG:-}" ] ||
		! "$HUSK" spec --bundle "$dir" >/dev/null 2>&1 ||
		! json_get "$dir/config.json" ociVersion >/dev/null 2>&1; then
		rm -f "$dir/config.json"
		"$PYTHON" "$CFG_PY" --default "$dir/config.json"
	fi
	register_cgroup "/husk-test-$id"
	cfg_file "$dir/config.json" \
		process.terminal=false \
		'process.args=["sh"]' \
		root.path=rootfs root.readonly=false \
		"linux.cgroupsPath=/husk-test-$id"
}

# A second container in a test:  id2=$(new_id); make_bundle "$BATS_TEST_TMPDIR/b2" "$id2"

# userns_bundle [BUNDLE]: a user namespace mapping container ids 0-65535 to
# host ids 100000-165535 (edit the mappings after if needed); the rootfs copy
# is chowned to the mapped root and the directories from $BATS_RUN_TMPDIR
# down to the bundle made searchable, so the container's root can reach its
# rootfs (the directories above $BATS_RUN_TMPDIR must be already).
USERNS_HOST_ID=100000
userns_bundle() {
	local b=${1:-$BUNDLE} d
	cfg_file "$b/config.json" ns:user \
		"linux.uidMappings=[{\"containerID\": 0, \"hostID\": $USERNS_HOST_ID, \"size\": 65536}]" \
		"linux.gidMappings=[{\"containerID\": 0, \"hostID\": $USERNS_HOST_ID, \"size\": 65536}]"
	chown -R "$USERNS_HOST_ID:$USERNS_HOST_ID" "$b/rootfs"
	# only the run's own directories are touched
	d=$b
	while [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
}

# --- per-test setup and teardown --------------------------------------------

# setup_common: state root, one container id ($ID), its bundle ($BUNDLE),
# its config ($CONFIG).
setup_common() {
	HUSK_ROOT=$BATS_TEST_TMPDIR/state
	mkdir -p "$HUSK_ROOT"
	HUSK_GLOBAL=(--root "$HUSK_ROOT")
	if [ -n "${HUSK_TEST_LOG:-}" ]; then
		HUSK_LOG=$BATS_TEST_TMPDIR/husk.log
		HUSK_GLOBAL+=(--log "$HUSK_LOG")
	fi
	ID=$(new_id)
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	CONFIG=$BUNDLE/config.json
	make_bundle "$BUNDLE" "$ID"
	# Hook output directory (host side) for tests with hooks.
	HOOK_OUT=$BATS_TEST_TMPDIR/hookout
	mkdir -p "$HOOK_OUT"
}

# The mount points of the cgroup hierarchies (v1 controllers and cgroup2).
cgroup_mounts() {
	awk '{ split($0, a, " - "); split(a[2], f, " ") }
		f[1] == "cgroup" || f[1] == "cgroup2" { print $5 }' /proc/self/mountinfo
}

# cgroup_dirs PATH: every existing directory of cgroup PATH, in every
# hierarchy.
cgroup_dirs() {
	local m
	for m in $(cgroup_mounts); do
		[ -d "$m$1" ] && echo "$m$1"
	done
	return 0
}

# cgroup_v1: the pids controller is mounted as a v1 hierarchy.
cgroup_v1() {
	cgroup_mounts | grep -qx /sys/fs/cgroup/pids
}

# cgroup_main_dir PATH: where cgroup PATH is in the pids v1 hierarchy, or in
# the cgroup2 hierarchy on a pure v2 host.
cgroup_main_dir() {
	if cgroup_v1; then
		echo "/sys/fs/cgroup/pids$1"
	else
		echo "/sys/fs/cgroup$1"
	fi
}

# remove_cgroup PATH: kill what is left in it and rmdir it, leaves first.
remove_cgroup() {
	local d sub pid
	for d in $(cgroup_dirs "$1"); do
		for sub in $(find "$d" -depth -type d 2>/dev/null); do
			for pid in $(cat "$sub/cgroup.procs" 2>/dev/null); do
				kill -9 "$pid" 2>/dev/null
			done
			retry 100 0.05 rmdir "$sub" 2>/dev/null
		done
	done
}

teardown_common() {
	local leaks=() id pid st cg line mnt ids=() cgs=()
	[ -f "$BATS_TEST_TMPDIR/.ids" ] && mapfile -t ids <"$BATS_TEST_TMPDIR/.ids"
	[ -f "$BATS_TEST_TMPDIR/.cgroups" ] && mapfile -t cgs <"$BATS_TEST_TMPDIR/.cgroups"

	# Show the runtime's log of a failed test.
	if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${HUSK_LOG:-}" ] && [ -s "$HUSK_LOG" ]; then
		echo "# --- $HUSK_LOG ---"
		tail -n 50 "$HUSK_LOG" | sed 's/^/# /'
	fi

	# Background runtimes, holders and container processes the test started.
	if [ -f "$BATS_TEST_TMPDIR/.pids" ]; then
		while read -r pid st; do
			[ "$(pid_starttime "$pid")" = "$st" ] && kill -9 "$pid" 2>/dev/null
		done <"$BATS_TEST_TMPDIR/.pids"
	fi

	for id in "${ids[@]}"; do
		[ -n "$id" ] || continue
		[ -n "$HUSK_ROOT" ] && timeout 20 "$HUSK" --root "$HUSK_ROOT" delete --force "$id" >/dev/null 2>&1 3>&-
	done
	for id in "${ids[@]}"; do
		[ -n "$id" ] || continue
		if [ -n "$HUSK_ROOT" ] && [ -e "$HUSK_ROOT/$id" ]; then
			leaks+=("state dir $HUSK_ROOT/$id")
			rm -rf "${HUSK_ROOT:?}/$id"
		fi
		# container processes whose command line holds the id
		for pid in $(pgrep -f -- "$id"); do
			leaks+=("process $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)")
			kill -9 "$pid" 2>/dev/null
		done
	done

	for cg in "${cgs[@]}"; do
		[ -n "$cg" ] || continue
		if [ -n "$(cgroup_dirs "$cg")" ]; then
			leaks+=("cgroup $cg: $(cgroup_dirs "$cg" | tr '\n' ' ')")
			remove_cgroup "$cg"
		fi
	done

	# Mounts of the host mentioning this test's directory (bundles live there).
	while read -r mnt; do
		leaks+=("mount $mnt")
		umount -l "$mnt" 2>/dev/null
	done < <(awk -v d="$BATS_TEST_TMPDIR" 'index($5, d) == 1 || index($4, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)

	if [ ${#leaks[@]} -gt 0 ] && [ -z "${HUSK_TEST_ALLOW_LEAKS:-}" ]; then
		printf 'teardown: left behind: %s\n' "${leaks[@]}" >&2
		return 1
	fi
	return 0
}

# --- hooks --------------------------------------------------------------------

# hook_json NAME [ACTION ARG]...: a host hook running tests/lib/hook.sh,
# recording into $HOOK_OUT/NAME.*; extra keys with HOOK_EXTRA (JSON, e.g.
# '"timeout": 1, "env": ["A=b"]').
hook_json() {
	local args
	args=$(json_args sh "$HOOK_SCRIPT" "$HOOK_OUT" "$@")
	echo "{\"path\": \"/bin/sh\", \"args\": $args${HOOK_EXTRA:+, $HOOK_EXTRA}}"
}

# add_hook POINT NAME [ACTION ARG]...
add_hook() {
	local point=$1
	shift
	cfg "hook:$point=$(hook_json "$@")"
}

# A copy of hook.sh inside the rootfs, for hooks resolved in the container
# (startContainer): records into /hookout, i.e. $BUNDLE/rootfs/hookout.
install_rootfs_hook() {
	cp "$HOOK_SCRIPT" "$BUNDLE/rootfs/hook.sh"
	mkdir -p "$BUNDLE/rootfs/hookout"
}

# add_rootfs_hook POINT NAME [ACTION ARG]...
add_rootfs_hook() {
	local point=$1 args
	shift
	args=$(json_args sh /hook.sh /hookout "$@")
	cfg "hook:$point={\"path\": \"/bin/sh\", \"args\": $args${HOOK_EXTRA:+, $HOOK_EXTRA}}"
}

# --- assertions -----------------------------------------------------------------

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
	if [ "$1" != "$2" ]; then
		echo "${3:-value}: expected '$2', got '$1'" >&2
		return 1
	fi
}

# assert_match ACTUAL REGEX [WHAT]
assert_match() {
	if ! [[ $1 =~ $2 ]]; then
		echo "${3:-value}: '$1' does not match /$2/" >&2
		return 1
	fi
}

# assert_no_trace ID: no state, no cgroup, no listing, no process for ID.
assert_no_trace() {
	local id=$1 cg=${2:-/husk-test-$1}
	run_husk state "$id"
	[ "$status" -ne 0 ] || { echo "state $id still answers: $output" >&2; return 1; }
	[ ! -e "$HUSK_ROOT/$id" ] || { echo "state dir $HUSK_ROOT/$id left" >&2; ls -la "$HUSK_ROOT/$id" >&2; return 1; }
	[ -z "$(cgroup_dirs "$cg")" ] || { echo "cgroup left: $(cgroup_dirs "$cg")" >&2; return 1; }
	run_husk list -q
	! grep -qx -- "$id" <<<"$output" || { echo "list still shows $id" >&2; return 1; }
	! pgrep -f -- "$id" >/dev/null || { echo "process left: $(pgrep -af -- "$id")" >&2; return 1; }
	! grep -q -- "$BUNDLE" /proc/self/mountinfo || { echo "mount left: $(grep -- "$BUNDLE" /proc/self/mountinfo)" >&2; return 1; }
}

# start_recvtty SOCKET OUTFILE: the console socket receiver in the
# background, listening on SOCKET, writing what it gets to OUTFILE; returns
# once it listens.  Its pid in $RECVTTY_PID (tracked).
start_recvtty() {
	local sock=$1 out=$2 pidfile=$1.pid
	if [[ $RECVTTY == *.py ]]; then
		"$PYTHON" "$RECVTTY" --pid-file "$pidfile" "$sock" </dev/null >"$out" 2>"$out.err" 3>&- &
	else
		"$RECVTTY" --pid-file "$pidfile" "$sock" </dev/null >"$out" 2>"$out.err" 3>&- &
	fi
	RECVTTY_PID=$!
	track_pid "$RECVTTY_PID"
	wait_file_content "$pidfile" || { echo "recvtty did not start: $(cat "$out.err")" >&2; return 1; }
}

# wait_recvtty: wait (up to 10 s) for the receiver to see the end of the
# terminal's output and exit 0.
wait_recvtty() {
	if ! retry 200 0.05 eval "! pid_alive $RECVTTY_PID"; then
		kill -9 "$RECVTTY_PID" 2>/dev/null
		echo "recvtty still waiting for the terminal to close" >&2
		return 1
	fi
	wait "$RECVTTY_PID"
}

# host namespace link of this shell: host_ns net -> net:[4026531840]
host_ns() {
	readlink "/proc/$$/ns/$1"
}
