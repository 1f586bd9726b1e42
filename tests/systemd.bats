#!/usr/bin/env bats
# The systemd cgroup driver (--systemd-cgroup): each container is a
# transient scope that systemd starts with the init in it and Delegate=yes;
# the resources systemd knows are unit properties (read back here both from
# `systemctl show` and from the cgroup files), the rest is written to the
# scope's cgroup; `update` changes both, so that a daemon-reload keeps the
# new values; delete stops the scope.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Needs systemd as PID 1 with D-Bus, which CI has under
# `vm-run --systemd -- bats tests/systemd.bats` (pure cgroup v2).
#
# References: runc's --systemd-cgroup ("slice:prefix:name",
# org.systemd.property.* annotations), systemd.resource-control(5),
# org.freedesktop.systemd1(5).

# Under vm-run's emulation a test takes minutes, not seconds.
: "${BATS_TEST_TIMEOUT:=600}"

load helpers
load lib/cgroup

MiB=1048576

setup() {
	[ -d /run/systemd/system ] && command -v systemctl >/dev/null ||
		skip "this machine has no systemd as PID 1 (CI runs this file under vm-run --systemd)"
	setup_common
	HUSK_GLOBAL+=(--systemd-cgroup)
	UNIT=husk-test-$ID.scope
	CG=/system.slice/$UNIT
	register_cgroup "$CG"
	echo "$UNIT" >>"$BATS_TEST_TMPDIR/.units"
	cfg "linux.cgroupsPath=system.slice:husk-test:$ID"
}

teardown() {
	local rc=0 u leaks=()
	teardown_common || rc=$?
	if [ -f "$BATS_TEST_TMPDIR/.units" ]; then
		while read -r u; do
			[ -n "$u" ] || continue
			case $(unit_prop "$u" ActiveState) in
			inactive | "") ;;
			*)
				leaks+=("unit $u")
				systemctl stop "$u" 2>/dev/null
				;;
			esac
			systemctl reset-failed "$u" 2>/dev/null
		done <"$BATS_TEST_TMPDIR/.units"
	fi
	if [ ${#leaks[@]} -gt 0 ] && [ -z "${HUSK_TEST_ALLOW_LEAKS:-}" ]; then
		printf 'teardown: left behind: %s\n' "${leaks[@]}" >&2
		return 1
	fi
	return "$rc"
}

# unit_prop UNIT PROPERTY: the property as `systemctl show` prints it.
unit_prop() {
	systemctl show -p "$2" --value "$1"
}

# unit_expect PROPERTY EXPECTED: a property of the container's unit.
unit_expect() {
	assert_eq "$(unit_prop "$UNIT" "$1")" "$2" "$UNIT $1"
}

# unit_gone UNIT: systemd no longer has the unit loaded (stopped and
# collected).
unit_gone() {
	retry 100 0.1 eval '[ "$(unit_prop '"$1"' LoadState)" = not-found ]' ||
		{ echo "$1 is still $(unit_prop "$1" LoadState) $(unit_prop "$1" ActiveState)" >&2; return 1; }
}

# expect_no_unit_trace: neither the container nor its unit nor its cgroup.
expect_no_unit_trace() {
	assert_no_trace "$ID" "$CG"
	unit_gone "$UNIT"
	[ ! -d "/sys/fs/cgroup$CG" ] || { echo "cgroup /sys/fs/cgroup$CG left" >&2; return 1; }
}

# --- the unit ------------------------------------------------------------------

@test "systemd: the container is a delegated scope, active, holding the init" {
	cg_start 'sleep 1000'
	unit_expect ActiveState active
	unit_expect Delegate yes
	unit_expect Slice system.slice
	unit_expect ControlGroup "$CG"
	grep -qx "$PID" "/sys/fs/cgroup$CG/cgroup.procs" ||
		{ echo "init $PID not in $CG: $(cat "/proc/$PID/cgroup")"; false; }
	assert_eq "$(cat "/proc/$PID/cgroup")" "0::$CG" "cgroup of the init"
}

@test "systemd: an empty slice is system.slice, an empty name the id" {
	cfg "linux.cgroupsPath=:husk-test:"
	cg_start 'sleep 1000'
	unit_expect ActiveState active
	unit_expect ControlGroup "$CG"
}

# --- resources at create ---------------------------------------------------------

@test "systemd: resources at create are unit properties and cgroup files" {
	cfg "linux.resources.memory.limit=$((64 * MiB))" \
		"linux.resources.memory.reservation=$((32 * MiB))" \
		"linux.resources.memory.swap=$((128 * MiB))" \
		linux.resources.cpu.shares=512 \
		linux.resources.cpu.quota=50000 linux.resources.cpu.period=200000 \
		linux.resources.cpu.cpus='"0"' linux.resources.cpu.mems='"0"' \
		linux.resources.pids.limit=123
	cg_start 'sleep 1000'
	unit_expect MemoryMax $((64 * MiB))
	unit_expect MemoryLow $((32 * MiB))
	unit_expect CPUWeight "$(cg_shares_to_weight 512)"
	# 50000 us per 200000 us: a quarter of a CPU
	unit_expect CPUQuotaPerSecUSec 250ms
	unit_expect CPUQuotaPeriodUSec 200ms
	unit_expect AllowedCPUs 0
	unit_expect AllowedMemoryNodes 0
	unit_expect TasksMax 123
	cg_expect memory memory.max $((64 * MiB))
	cg_expect memory memory.low $((32 * MiB))
	cg_expect cpu cpu.weight "$(cg_shares_to_weight 512)"
	cg_expect cpu cpu.max "50000 200000"
	cg_expect cpuset cpuset.cpus 0
	cg_expect cpuset cpuset.mems 0
	cg_expect pids pids.max 123
	# the swap limit is last: a kernel without swap accounting has no file
	unit_expect MemorySwapMax $((64 * MiB))
	cg_need memory memory.swap.max
	cg_expect memory memory.swap.max $((64 * MiB))
}

@test "systemd: unified keys systemd knows are unit properties too" {
	cfg "linux.resources.unified={\"memory.high\": \"$((48 * MiB))\", \"pids.max\": \"55\"}"
	cg_start 'sleep 1000'
	unit_expect MemoryHigh $((48 * MiB))
	unit_expect TasksMax 55
	cg_expect memory memory.high $((48 * MiB))
	cg_expect pids pids.max 55
}

@test "systemd: what systemd has no property for is applied through the cgroup (device rules)" {
	# every device denied but /dev/null (and the ones every container
	# gets); the fuse device's node (10:229, outside that set) is made, and
	# opening it must fail with EPERM at the cgroup's device filter
	cfg 'linux.resources.devices=[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]' \
		'linux.devices=[{"path": "/dev/mydev", "type": "c", "major": 10, "minor": 229, "fileMode": 438}]'
	set_cmd "head -c 0 /dev/null && echo null-ok; head -c 1 /dev/mydev || echo mydev-failed; : $ID"
	run_detached_ok "$ID"
	wait_for_status "$ID" stopped
	assert_eq "$(ctr_stdout "$ID")" "null-ok
mydev-failed" "output"
	assert_match "$(ctr_stderr "$ID")" '/dev/mydev: Operation not permitted' "error"
}

@test "systemd: update sets the unit properties and the files, and a daemon-reload keeps them" {
	cfg "linux.resources.memory.limit=$((64 * MiB))" \
		"linux.resources.memory.swap=$((128 * MiB))" \
		linux.resources.cpu.shares=512 \
		linux.resources.cpu.quota=50000 linux.resources.cpu.period=200000 \
		linux.resources.pids.limit=123
	cg_start 'sleep 1000'
	run_husk -0 update --memory $((96 * MiB)) --memory-swap $((192 * MiB)) \
		--cpu-share 1024 --cpu-quota 30000 --pids-limit 77 "$ID"
	check() {
		unit_expect MemoryMax $((96 * MiB))
		unit_expect CPUWeight "$(cg_shares_to_weight 1024)"
		# the period is the one set at create
		unit_expect CPUQuotaPerSecUSec 150ms
		unit_expect TasksMax 77
		cg_expect memory memory.max $((96 * MiB))
		cg_expect cpu cpu.weight "$(cg_shares_to_weight 1024)"
		cg_expect cpu cpu.max "30000 200000"
		cg_expect pids pids.max 77
		if cg_has memory memory.swap.max; then
			unit_expect MemorySwapMax $((96 * MiB))
			cg_expect memory memory.swap.max $((96 * MiB))
		fi
	}
	check
	# systemd writes the unit's values to the cgroup again on a reload: they
	# must be the new ones
	systemctl daemon-reload
	check
}

# --- annotations ---------------------------------------------------------------

@test "systemd: org.systemd.property.* annotations reach the unit" {
	cfg "annotations[\"org.systemd.property.CollectMode\"]='inactive-or-failed'" \
		"annotations[\"org.systemd.property.TimeoutStopSec\"]=uint64 7" \
		"annotations[\"org.systemd.property.RuntimeMaxUSec\"]=@t 600000000"
	cg_start 'sleep 1000'
	unit_expect CollectMode inactive-or-failed
	# ...Sec is seconds, sent as ...USec (runc's rule)
	unit_expect TimeoutStopUSec 7s
	unit_expect RuntimeMaxUSec 10min
}

@test "systemd: a bad org.systemd.property.* annotation fails create, naming it, and leaves nothing" {
	cfg "annotations[\"org.systemd.property.Bad-Name\"]=uint64 1"
	set_cmd "sleep 1000; : $ID"
	run_husk ! --separate-stderr create --bundle "$BUNDLE" "$ID"
	assert_eq "${#stderr_lines[@]}" 1 "lines of the error"
	assert_match "$stderr" 'org\.systemd\.property\.Bad-Name' "error"
	expect_no_unit_trace
}

@test "systemd: an annotation value that is not a D-Bus value fails create, naming it" {
	cfg "annotations[\"org.systemd.property.TimeoutStopSec\"]=seven"
	set_cmd "sleep 1000; : $ID"
	run_husk ! --separate-stderr create --bundle "$BUNDLE" "$ID"
	assert_eq "${#stderr_lines[@]}" 1 "lines of the error"
	assert_match "$stderr" 'org\.systemd\.property\.TimeoutStopSec' "error"
	expect_no_unit_trace
}

@test "systemd: a property systemd refuses fails create, naming it, and leaves nothing" {
	cfg "annotations[\"org.systemd.property.NoSuchThing\"]=uint64 1"
	set_cmd "sleep 1000; : $ID"
	run_husk ! --separate-stderr create --bundle "$BUNDLE" "$ID"
	assert_eq "${#stderr_lines[@]}" 1 "lines of the error"
	assert_match "$stderr" 'NoSuchThing' "error"
	expect_no_unit_trace
}

# --- the commands on the container's cgroup -------------------------------------

@test "systemd: pause and resume freeze and thaw the scope's cgroup" {
	cg_start 'sleep 1000'
	run_husk -0 pause "$ID"
	assert_eq "$(container_status "$ID")" paused status
	grep -qx 'frozen 1' "/sys/fs/cgroup$CG/cgroup.events" ||
		{ echo "$(cat "/sys/fs/cgroup$CG/cgroup.events")"; false; }
	unit_expect ActiveState active
	run_husk -0 resume "$ID"
	assert_eq "$(container_status "$ID")" running status
	grep -qx 'frozen 0' "/sys/fs/cgroup$CG/cgroup.events"
}

@test "systemd: exec joins the scope's cgroup; ps lists both" {
	# one process: the shell becomes the sleep
	cg_start 'exec sleep 1000'
	# detached, the process keeps the runtime's stdout: not bats' pipe
	husk exec --detach "$ID" sleep 999 </dev/null >"$BATS_TEST_TMPDIR/exec.out" 2>&1 ||
		{ echo "exec failed: $(cat "$BATS_TEST_TMPDIR/exec.out")"; false; }
	retry 200 0.05 eval '[ "$(cg_procs | wc -l)" -eq 2 ]' ||
		{ echo "cgroup holds: $(cg_procs)"; false; }
	for p in $(cg_procs); do track_pid "$p"; done
	# the new one is the exec'd process
	cmds=$(for p in $(cg_procs); do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)
	grep -qx 'sleep 999 ' <<<"$cmds" || { echo "cgroup holds: $cmds"; false; }
	run_husk -0 --separate-stderr ps --format json "$ID"
	got=$("$PYTHON" -c 'import json, sys; print("\n".join(map(str, sorted(json.load(sys.stdin)))))' <<<"$output")
	assert_eq "$got" "$(cg_procs)" "ps --format json"
}

@test "systemd: events --stats reads the scope's cgroup" {
	cfg linux.resources.pids.limit=100
	cg_start 'sleep 1000'
	run_husk -0 --separate-stderr events --stats "$ID"
	"$PYTHON" -c 'import json, sys
d = json.loads(sys.stdin.read())["data"]
assert d["memory"]["usage"]["usage"] > 0, d["memory"]["usage"]
assert d["pids"]["current"] >= 1, d["pids"]
assert d["pids"]["limit"] == 100, d["pids"]' <<<"$output"
}

@test "systemd: kill --all kills every process of the scope" {
	cfg -ns:pid
	cg_start 'sleep 1000 & sleep 1000 & wait'
	retry 200 0.05 eval '[ "$(cg_procs | wc -l)" -eq 3 ]'
	pids=$(cg_procs)
	for p in $pids; do track_pid "$p"; done
	run_husk -0 kill --all "$ID" KILL
	for p in $pids; do wait_pid_gone "$p" || { echo "$p survived"; false; }; done
	wait_for_status "$ID" stopped
	run_husk -0 delete "$ID"
	expect_no_unit_trace
}

# --- delete ---------------------------------------------------------------------

@test "systemd: delete of a created container stops the scope and removes its cgroup" {
	cg_create
	unit_expect ActiveState active
	run_husk -0 delete --force "$ID"
	expect_no_unit_trace
}

@test "systemd: delete of a stopped container removes the scope and its cgroup" {
	set_cmd "true; : $ID"
	run_detached_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk -0 delete "$ID"
	expect_no_unit_trace
}

# --- bad input ------------------------------------------------------------------

bad_path() {
	cfg "linux.cgroupsPath=$1"
	set_cmd "sleep 1000; : $ID"
	run_husk ! --separate-stderr create --bundle "$BUNDLE" "$ID"
	assert_eq "${#stderr_lines[@]}" 1 "lines of the error"
	assert_match "$stderr" 'linux\.cgroupsPath' "error"
	assert_no_trace "$ID" "$CG"
}

@test "systemd: a cgroupsPath that is not slice:prefix:name fails, naming linux.cgroupsPath" {
	bad_path "/not/a/unit"
}

@test "systemd: a slice that is not a slice name fails, naming linux.cgroupsPath" {
	bad_path "system:husk-test:$ID"
	bad_path "a--b.slice:husk-test:$ID"
}
