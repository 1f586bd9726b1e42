#!/usr/bin/env bats
# linux.seccomp: every action, errno returns, argument rules, architectures,
# flags, unknown syscalls, refused profiles, the notify listener, the cache
# of compiled programs, and the default profiles of podman and Docker.
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

: "${SECCOMP_LISTENER:=$top_builddir/tests/tools/seccomp-listener}"

setup() {
	setup_common
}

teardown() {
	teardown_common
}

# The runtime under test is runc (to check the tests themselves).
is_runc() {
	[[ $(basename "$HUSK") == runc* ]]
}

# What busybox's sh, its applets and a runtime's last steps before execve
# need, mkdir excepted: the allow-list of the profiles below.
ALLOW_LIST='accept accept4 access alarm arch_prctl bind brk capget capset chdir
chmod chown clock_getres clock_gettime clock_nanosleep clone clone3 close
close_range connect dup dup2 dup3 epoll_create1 epoll_ctl epoll_pwait
epoll_wait eventfd2 execve execveat exit exit_group faccessat faccessat2
fchdir fchmod fchmodat fchown fchownat fcntl fstat fstatfs futex getcwd
getdents64 getegid geteuid getgid getgroups getpgid getpgrp getpid getppid
getpriority getrandom getresgid getresuid getrlimit getsid gettid
gettimeofday getuid ioctl kill lseek lstat madvise mmap mprotect mremap
munmap nanosleep newfstatat open openat openat2 personality pipe pipe2 poll
ppoll prctl pread64 prlimit64 pselect6 read readlink readlinkat readv
recvmsg rename renameat renameat2 rmdir rseq rt_sigaction rt_sigprocmask
rt_sigreturn rt_sigsuspend sched_getaffinity sched_yield select sendmsg
set_robust_list set_tid_address setgid setgroups setpgid setresgid setresuid
setsid setuid sigaltstack socket stat statfs statx sysinfo tgkill time umask
uname unlink unlinkat vfork wait4 waitid write writev'

# allow_rule: the allow-list as one syscalls[] entry.
allow_rule() {
	"$PYTHON" -c 'import json,sys; print(json.dumps({"names": sys.argv[1].split(), "action": "SCMP_ACT_ALLOW"}))' "$ALLOW_LIST"
}

# seccomp DEFAULT-ACTION [KEY=JSON]... [-- RULE-JSON...]: set linux.seccomp to
# a profile with this default action, extra members (e.g.
# 'defaultErrnoRet=13') and these syscalls[] rules.
seccomp() {
	local def=$1 members=() rules=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		members+=("$1")
		shift
	done
	[ "${1:-}" = -- ] && shift
	rules=("$@")
	"$PYTHON" - "$CONFIG" "$def" "${#members[@]}" "${members[@]}" "${rules[@]}" <<-'EOF'
		import json, sys
		path, default, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
		members, rules = sys.argv[4:4 + n], sys.argv[4 + n:]
		prof = {"defaultAction": default}
		for m in members:
		    k, v = m.split("=", 1)
		    prof[k] = json.loads(v)
		prof["syscalls"] = [json.loads(r) for r in rules]
		cfg = json.load(open(path))
		cfg.setdefault("linux", {})["seccomp"] = prof
		json.dump(cfg, open(path, "w"), indent=1)
	EOF
}

# rule ACTION NAMES [KEY=JSON]...: one syscalls[] entry.
rule() {
	"$PYTHON" - "$@" <<-'EOF'
		import json, sys
		r = {"names": sys.argv[2].split(), "action": sys.argv[1]}
		for m in sys.argv[3:]:
		    k, v = m.split("=", 1)
		    r[k] = json.loads(v)
		print(json.dumps(r))
	EOF
}

# in_ctr 'command': `run` the container with `sh -c command`; status in
# $status, stdout in $output, stderr in $stderr.
in_ctr() {
	set_cmd "$1"
	run_husk --separate-stderr run --bundle "$BUNDLE" "$ID"
}

# ok_in_ctr 'command': in_ctr that must exit 0.
ok_in_ctr() {
	in_ctr "$1"
	if [ "$status" -ne 0 ]; then
		echo "run failed with $status: stdout: $output stderr: $stderr" >&2
		return 1
	fi
}

MKDIR='mkdir /tmp/d && echo made || echo "failed: $?"'

# --- actions -----------------------------------------------------------------------

@test "seccomp: defaultAction ERRNO with an allow-list: what is not listed fails with EPERM" {
	seccomp SCMP_ACT_ERRNO -- "$(allow_rule)"
	ok_in_ctr "echo hello; $MKDIR; grep '^Seccomp:' /proc/self/status"
	assert_eq "${lines[0]}" hello
	assert_eq "${lines[1]}" "failed: 1"
	assert_match "${lines[2]}" $'^Seccomp:\t2$'
	assert_match "$stderr" "Operation not permitted"
}

@test "seccomp: the same allow-list with mkdir allowed makes the directory" {
	seccomp SCMP_ACT_ERRNO -- "$(allow_rule)" "$(rule SCMP_ACT_ALLOW 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR; test -d /tmp/d && echo there"
	assert_eq "$output" "made
there"
}

@test "seccomp: defaultAction ALLOW with an ERRNO rule blocks only that syscall" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "echo hello; $MKDIR; touch /tmp/f && echo touched"
	assert_eq "$output" "hello
failed: 1
touched"
	assert_match "$stderr" "Operation not permitted"
}

@test "seccomp: errnoRet picks the errno of a rule" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat' errnoRet=28)"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	assert_match "$stderr" "No space left on device"
}

@test "seccomp: defaultErrnoRet picks the errno of the default action" {
	seccomp SCMP_ACT_ERRNO defaultErrnoRet=13 -- "$(allow_rule)"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	assert_match "$stderr" "Permission denied"
}

@test "seccomp: SCMP_ACT_KILL kills the process with SIGSYS" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_KILL 'mkdir mkdirat')"
	in_ctr "echo before; exec mkdir /tmp/d"
	assert_eq "$status" 159 "exit status (128 + SIGSYS)"
	assert_eq "$output" before
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the process with SIGSYS" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_KILL_PROCESS 'mkdir mkdirat')"
	in_ctr "echo before; exec mkdir /tmp/d"
	assert_eq "$status" 159 "exit status (128 + SIGSYS)"
	assert_eq "$output" before
}

@test "seccomp: SCMP_ACT_KILL_THREAD kills the process with SIGSYS" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_KILL_THREAD 'mkdir mkdirat')"
	in_ctr "echo before; exec mkdir /tmp/d"
	assert_eq "$status" 159 "exit status (128 + SIGSYS)"
}

@test "seccomp: SCMP_ACT_TRAP raises SIGSYS" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_TRAP 'mkdir mkdirat')"
	in_ctr "echo before; exec mkdir /tmp/d"
	assert_eq "$status" 159 "exit status (128 + SIGSYS)"
	assert_eq "$output" before
}

@test "seccomp: SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_TRACE 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	assert_match "$stderr" "Function not implemented"
}

@test "seccomp: SCMP_ACT_LOG lets the syscall through" {
	seccomp SCMP_ACT_LOG -- "$(rule SCMP_ACT_ERRNO 'rmdir')"
	ok_in_ctr "$MKDIR; rmdir /tmp/d || echo kept"
	assert_eq "$output" "made
kept"
}

@test "seccomp: an ALLOW rule whose action is the default action is accepted" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ALLOW 'mkdir mkdirat')" "$(rule SCMP_ACT_ERRNO 'rmdir')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" made
}

# --- arguments ---------------------------------------------------------------------

@test "seccomp: an args rule blocks the syscall only for the given value" {
	# kill(pid, SIGUSR1) only: kill -0 still works.
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO kill 'args=[{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}]')"
	ok_in_ctr 'trap "" USR1 USR2; kill -0 $$ && echo zero; kill -USR2 $$ && echo usr2; kill -USR1 $$ || echo usr1 blocked'
	assert_eq "$output" "zero
usr2
usr1 blocked"
}

@test "seccomp: SCMP_CMP_MASKED_EQ compares the masked argument (personality)" {
	# personality(PER_LINUX32 = 8) is refused, personality(PER_LINUX = 0) is not.
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO personality 'args=[{"index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]')"
	ok_in_ctr 'linux64 true && echo linux64; linux32 true || echo linux32 blocked'
	assert_eq "$output" "linux64
linux32 blocked"
}

@test "seccomp: args on distinct indices must all match" {
	# kill(1, SIGUSR1) matches both; kill(other pid, SIGUSR1) only one.
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO kill 'args=[{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]')"
	# (the sleep inherits the ignored USR1: SIGTERM ends it)
	ok_in_ctr 'trap "" USR1; sleep 100 & kill -USR1 $! && echo other; kill -USR1 $$ || echo self blocked; kill $!; wait'
	assert_eq "$output" "other
self blocked"
}

@test "seccomp: args repeating an index each make a rule of their own (runc's semantics)" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO kill 'args=[{"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 12, "op": "SCMP_CMP_EQ"}]')"
	ok_in_ctr 'trap "" USR1 USR2 HUP; kill -USR1 $$ || echo usr1 blocked; kill -USR2 $$ || echo usr2 blocked; kill -HUP $$ && echo hup'
	assert_eq "$output" "usr1 blocked
usr2 blocked
hup"
}

@test "seccomp: SCMP_CMP_GE and SCMP_CMP_NE" {
	local op
	for op in "SCMP_CMP_GE 10 hup zero" "SCMP_CMP_NE 0 zero"; do
		set -- $op
		seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO kill "args=[{\"index\": 1, \"value\": $2, \"op\": \"$1\"}]")"
		ok_in_ctr 'trap "" HUP USR1; kill -HUP $$ && echo hup; kill -USR1 $$ && echo usr1; kill -0 $$ && echo zero; true'
		shift 2
		assert_eq "$(echo $output)" "$*" "$op"
	done
}

@test "seccomp: SCMP_CMP_GT, SCMP_CMP_LT and SCMP_CMP_LE" {
	# linux32: personality(8), linux64: personality(0)
	local op value expect
	for op in "SCMP_CMP_GT 7 linux64" "SCMP_CMP_LT 1 linux32" "SCMP_CMP_LE 0 linux32"; do
		set -- $op
		seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO personality "args=[{\"index\": 0, \"value\": $2, \"op\": \"$1\"}]")"
		ok_in_ctr 'linux32 true && echo linux32; linux64 true && echo linux64; true'
		assert_eq "$output" "$3" "$op"
	done
}

# --- architectures, flags, names ----------------------------------------------------

@test "seccomp: architectures: the native one and its companions" {
	seccomp SCMP_ACT_ALLOW 'architectures=["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]' -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
}

@test "seccomp: architectures: a foreign one alone still filters the native one" {
	seccomp SCMP_ACT_ALLOW 'architectures=["SCMP_ARCH_AARCH64"]' -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
}

@test "seccomp: flags LOG, SPEC_ALLOW and TSYNC are accepted and the filter applies" {
	# runc deviates: runc 1.1 refuses every flag (runc 1.2 has them).
	is_runc && skip "runc 1.1 has no seccomp flags"
	seccomp SCMP_ACT_ALLOW 'flags=["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"]' -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR; grep -E '^Seccomp(_filters)?:' /proc/self/status"
	assert_eq "${lines[0]}" "failed: 1"
	assert_match "${lines[1]}" $'^Seccomp:\t2$'
	assert_match "${lines[2]}" $'^Seccomp_filters:\t1$'
}

@test "seccomp: SPEC_ALLOW leaves speculative store bypass as it is" {
	grep -q 'seccomp' /sys/devices/system/cpu/vulnerabilities/spec_store_bypass 2>/dev/null ||
		skip "the kernel does not force the SSB mitigation on seccomp"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "grep '^Speculation_Store_Bypass:' /proc/self/status"
	assert_match "$output" "force mitigated"
	seccomp SCMP_ACT_ALLOW 'flags=["SECCOMP_FILTER_FLAG_SPEC_ALLOW"]' -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "grep '^Speculation_Store_Bypass:' /proc/self/status"
	! [[ $output == *"force mitigated"* ]]
}

@test "seccomp: syscall names this libseccomp does not know are skipped" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'husk_no_such_syscall mkdir another_future_call mkdirat')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
}

@test "seccomp: without noNewPrivileges the filter is loaded while still privileged" {
	cfg process.noNewPrivileges=false
	seccomp SCMP_ACT_ERRNO -- "$(allow_rule)"
	ok_in_ctr "$MKDIR; grep '^NoNewPrivs:' /proc/self/status"
	assert_eq "${lines[0]}" "failed: 1"
	assert_match "${lines[1]}" $'^NoNewPrivs:\t0$'
}

@test "seccomp: with a non-root user and noNewPrivileges" {
	cfg process.noNewPrivileges=true 'process.user={"uid": 1000, "gid": 1000}'
	seccomp SCMP_ACT_ERRNO -- "$(allow_rule)"
	ok_in_ctr "id -u; $MKDIR"
	assert_eq "$output" "1000
failed: 1"
}

# --- refused profiles ----------------------------------------------------------------

@test "seccomp: an architecture libseccomp does not know fails create, naming it, leaving nothing" {
	seccomp SCMP_ACT_ALLOW 'architectures=["SCMP_ARCH_X86_64", "SCMP_ARCH_LOONGARCH64"]'
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	if ! is_runc; then
		assert_match "$output" 'linux\.seccomp\.architectures\[1\]'
	fi
	assert_no_trace "$ID"
}

@test "seccomp: an unknown action fails create naming the JSON path" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_NOPE 'mkdir')"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	is_runc || assert_match "$output" 'linux\.seccomp\.syscalls\[0\]\.action'
	assert_no_trace "$ID"
}

@test "seccomp: an unknown operator fails create naming the JSON path" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO kill 'args=[{"index": 1, "value": 10, "op": "SCMP_CMP_ALMOST"}]')"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	is_runc || assert_match "$output" 'linux\.seccomp\.syscalls\[0\]\.args\[0\]\.op'
	assert_no_trace "$ID"
}

@test "seccomp: errnoRet with an action that has no errno fails create" {
	# runc deviates: runc 1.1 ignores it; config-linux.md says to fail.
	is_runc && skip "runc 1.1 ignores errnoRet there"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_KILL mkdir errnoRet=1)"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	is_runc || assert_match "$output" 'linux\.seccomp\.syscalls\[0\]'
	assert_no_trace "$ID"
}

@test "seccomp: SCMP_ACT_NOTIFY as the default action fails create" {
	# husk's own rule: its init hands the fd over under the filter, and
	# every syscall would wait on the listener, that one first.
	is_runc && skip "husk's own rule"
	seccomp SCMP_ACT_NOTIFY listenerPath='"/nonexistent.sock"' -- "$(allow_rule)"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	assert_match "$output" 'linux\.seccomp\.defaultAction'
	assert_no_trace "$ID"
}

@test "seccomp: SCMP_ACT_NOTIFY without listenerPath fails" {
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	set_cmd true
	husk_create "$ID" "$BUNDLE"
	if [ "$status" -eq 0 ]; then
		# runc checks it only when the process starts
		run_husk start "$ID"
		[ "$status" -ne 0 ]
		assert_match "$output" listenerPath
	else
		assert_match "$output" listenerPath
		is_runc || assert_match "$output" 'linux\.seccomp\.listenerPath'
		assert_no_trace "$ID"
	fi
}

@test "seccomp: SCMP_ACT_NOTIFY without a listener that answers fails create, leaving nothing" {
	seccomp SCMP_ACT_ALLOW listenerPath="\"$BATS_TEST_TMPDIR/nobody.sock\"" -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	set_cmd 'true'
	husk_create "$ID" "$BUNDLE"
	if [ "$status" -eq 0 ]; then
		# runc connects to the listener only when the process starts
		run_husk start "$ID"
		[ "$status" -ne 0 ]
	else
		is_runc || assert_match "$output" 'linux\.seccomp\.listenerPath'
		assert_no_trace "$ID"
	fi
}

# --- notify ----------------------------------------------------------------------------

# start_listener [--errno N]: the test listener on $LISTENER_SOCK, writing
# the state it gets to $LISTENER_STATE and its answers to $LISTENER_OUT.
start_listener() {
	LISTENER_SOCK=$BATS_TEST_TMPDIR/listener.sock
	LISTENER_STATE=$BATS_TEST_TMPDIR/listener-state.json
	LISTENER_OUT=$BATS_TEST_TMPDIR/listener.out
	"$SECCOMP_LISTENER" --pid-file "$BATS_TEST_TMPDIR/listener.pid" "$@" \
		"$LISTENER_SOCK" "$LISTENER_STATE" </dev/null >"$LISTENER_OUT" 2>&1 3>&- &
	LISTENER_PID=$!
	track_pid "$LISTENER_PID"
	wait_file_content "$BATS_TEST_TMPDIR/listener.pid" || {
		echo "listener did not start: $(cat "$LISTENER_OUT")" >&2
		return 1
	}
}

@test "seccomp: SCMP_ACT_NOTIFY: the listener gets the state and the fd, and answers the syscall" {
	start_listener
	seccomp SCMP_ACT_ALLOW listenerPath="\"$LISTENER_SOCK\"" listenerMetadata='"husk-test-metadata"' -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	set_cmd "$MKDIR; test -d /tmp/d && echo there || echo absent; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file_content "$LISTENER_STATE"
	retry 100 0.05 grep -q answered "$LISTENER_OUT"
	wait_for_status "$ID" stopped
	# the listener said yes without making it
	assert_eq "$(ctr_stdout "$ID")" "made
absent"
	assert_eq "$(json_get "$LISTENER_STATE" fds)" '["seccompFd"]'
	assert_eq "$(json_get "$LISTENER_STATE" metadata)" husk-test-metadata
	assert_eq "$(json_get "$LISTENER_STATE" state.id)" "$ID"
	[ -n "$(json_get "$LISTENER_STATE" ociVersion)" ]
	[ -n "$(json_get "$LISTENER_STATE" state.bundle)" ]
	pid=$(json_get "$LISTENER_STATE" pid)
	assert_eq "$(json_get "$LISTENER_STATE" state.pid)" "$pid"
	[ "$pid" -gt 1 ]
}

@test "seccomp: SCMP_ACT_NOTIFY: the pid the listener gets is the container's, as the host sees it" {
	start_listener
	seccomp SCMP_ACT_ALLOW listenerPath="\"$LISTENER_SOCK\"" -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	set_cmd "mkdir /tmp/d; sleep 1000; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file_content "$LISTENER_STATE"
	assert_eq "$(json_get "$LISTENER_STATE" pid)" "$(container_pid "$ID")"
}

@test "seccomp: SCMP_ACT_NOTIFY: the listener's errno reaches the process" {
	start_listener --errno 30
	seccomp SCMP_ACT_ALLOW listenerPath="\"$LISTENER_SOCK\"" -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	assert_match "$stderr" "Read-only file system"
	grep -q answered "$LISTENER_OUT"
}

@test "seccomp: SCMP_ACT_NOTIFY with SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV and TSYNC" {
	# runc deviates: runc 1.1 has no seccomp flags.
	is_runc && skip "runc 1.1 has no seccomp flags"
	start_listener
	seccomp SCMP_ACT_ALLOW listenerPath="\"$LISTENER_SOCK\"" 'flags=["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", "SECCOMP_FILTER_FLAG_TSYNC"]' -- "$(rule SCMP_ACT_NOTIFY 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR; test -d /tmp/d || echo absent"
	assert_eq "$output" "made
absent"
}

@test "seccomp: SCMP_ACT_NOTIFY on sendmsg is refused (it would block the fd hand-over)" {
	is_runc && skip "runc hands the fd over from its own process"
	seccomp SCMP_ACT_ALLOW listenerPath='"/nonexistent.sock"' -- "$(rule SCMP_ACT_NOTIFY 'sendmsg')"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	assert_match "$output" 'linux\.seccomp\.syscalls\[0\]'
	assert_no_trace "$ID"
}

# --- the cache of compiled programs (husk's own) ----------------------------------------

cache_files() {
	ls "$HUSK_ROOT/.seccomp-cache/"*.bpf 2>/dev/null
}

@test "seccomp cache: the first create stores the program, the second uses it" {
	is_runc && skip "husk's own cache"
	seccomp SCMP_ACT_ERRNO -- "$(allow_rule)"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	run cache_files
	assert_eq "${#lines[@]}" 1 "cache files"
	file=${lines[0]}
	before=$(stat -c '%i %Y %s' "$file")
	cp "$file" "$BATS_TEST_TMPDIR/first.bpf"
	# The same profile: the program comes from the file, which stays as it is.
	HUSK_GLOBAL+=(--debug --log "$BATS_TEST_TMPDIR/debug.log")
	ID2=$(new_id)
	make_bundle "$BATS_TEST_TMPDIR/b2" "$ID2"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/b2/config.json"
	cfg_file "$BATS_TEST_TMPDIR/b2/config.json" "linux.cgroupsPath=/husk-test-$ID2"
	set_cmd "$MKDIR"
	run_husk --separate-stderr run --bundle "$BATS_TEST_TMPDIR/b2" "$ID2"
	[ "$status" -eq 0 ]
	assert_eq "$output" "failed: 1"
	assert_eq "$(stat -c '%i %Y %s' "$file")" "$before" "cache file"
	grep -q "seccomp cache: using" "$BATS_TEST_TMPDIR/debug.log"
}

@test "seccomp cache: flags and the listener do not change the program" {
	is_runc && skip "husk's own cache"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	seccomp SCMP_ACT_ALLOW 'flags=["SECCOMP_FILTER_FLAG_LOG"]' -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	run cache_files
	assert_eq "${#lines[@]}" 1 "cache files"
	# Another profile, another program.
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat' errnoRet=28)"
	ok_in_ctr "$MKDIR"
	run cache_files
	assert_eq "${#lines[@]}" 2 "cache files"
}

@test "seccomp cache: a corrupted file is detected and compiled again" {
	is_runc && skip "husk's own cache"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	file=$(cache_files)
	cp "$file" "$BATS_TEST_TMPDIR/good.bpf"
	size=$(stat -c %s "$file")
	# An instruction of the program changed: RET ERRNO becomes RET ALLOW-ish.
	printf '\377\377\377\377\377\377\377\377' | dd of="$file" bs=1 seek=$((size - 16)) conv=notrunc status=none
	! cmp -s "$file" "$BATS_TEST_TMPDIR/good.bpf"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	cmp "$file" "$BATS_TEST_TMPDIR/good.bpf"
	# A truncated file too.
	truncate -s 20 "$file"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
	cmp "$file" "$BATS_TEST_TMPDIR/good.bpf"
}

@test "seccomp cache: another profile's file under this profile's name is not used" {
	is_runc && skip "husk's own cache"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'rmdir')"
	ok_in_ctr 'true'
	other=$(cache_files)
	mv "$other" "$BATS_TEST_TMPDIR/other.bpf"
	seccomp SCMP_ACT_ALLOW -- "$(rule SCMP_ACT_ERRNO 'mkdir mkdirat')"
	ok_in_ctr "$MKDIR"
	mine=$(cache_files)
	# As if the two keys had the same hash: the key inside tells them apart.
	cp "$BATS_TEST_TMPDIR/other.bpf" "$mine"
	ok_in_ctr "$MKDIR"
	assert_eq "$output" "failed: 1"
}

# --- engines' default profiles ----------------------------------------------------------

# The OCI profile an engine makes of its (Docker-format) profile FILE for a
# container with the capabilities CAPS (space separated) on this machine:
# archMap gives the architectures, includes/excludes (caps, arches,
# minKernel) pick the rules.  Written on stdout.
engine_profile() {
	"$PYTHON" - "$1" "$2" <<-'EOF'
		import json, os, platform, sys
		prof = json.load(open(sys.argv[1]))
		caps = set(sys.argv[2].split())
		goarch = {"x86_64": "amd64", "aarch64": "arm64", "i686": "386"}.get(platform.machine(), platform.machine())
		native = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64"}.get(goarch)
		kernel = tuple(int(x) for x in platform.release().split("-")[0].split(".")[:2])
		out = {"defaultAction": prof["defaultAction"]}
		if "defaultErrnoRet" in prof:
		    out["defaultErrnoRet"] = prof["defaultErrnoRet"]
		archs = []
		for m in prof.get("archMap") or []:
		    if m["architecture"] == native:
		        archs = [m["architecture"]] + m.get("subArchitectures", [])
		if archs:
		    out["architectures"] = archs
		rules = []
		for s in prof["syscalls"]:
		    inc, exc = s.get("includes") or {}, s.get("excludes") or {}
		    if inc.get("caps") and not set(inc["caps"]) <= caps:
		        continue
		    if inc.get("arches") and goarch not in inc["arches"]:
		        continue
		    if inc.get("minKernel"):
		        if kernel < tuple(int(x) for x in inc["minKernel"].split(".")[:2]):
		            continue
		    if exc.get("caps") and set(exc["caps"]) & caps:
		        continue
		    if exc.get("arches") and goarch in exc["arches"]:
		        continue
		    r = {"names": s.get("names") or [s["name"]], "action": s["action"]}
		    for k in ("errnoRet", "args"):
		        if s.get(k):
		            r[k] = s[k]
		    rules.append(r)
		out["syscalls"] = rules
		print(json.dumps(out))
	EOF
}

# The capabilities podman gives a container by default.
PODMAN_CAPS='CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL
CAP_NET_BIND_SERVICE CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID
CAP_SYS_CHROOT'

# give_caps CAP...: the container's process gets these capabilities (all
# sets but ambient), so that what still fails is what seccomp refuses.
give_caps() {
	local caps
	caps=$(json_args "$@")
	cfg "process.capabilities.bounding=$caps" "process.capabilities.effective=$caps" \
		"process.capabilities.permitted=$caps" "process.capabilities.inheritable=$caps"
}

PROFILE_CMD='hostname seccomp-test && echo hostname set || echo "hostname: $?"
unshare -U true && echo unshare ok || echo "unshare: $?"
mkdir /tmp/d && rmdir /tmp/d && echo mkdir ok
linux32 true && echo personality ok'

@test "seccomp: podman's default profile: sethostname is refused, the rest works" {
	[ -r /usr/share/containers/seccomp.json ] || skip "podman's profile is not installed"
	engine_profile /usr/share/containers/seccomp.json "$PODMAN_CAPS" >"$BATS_TEST_TMPDIR/podman.json"
	# CAP_SYS_ADMIN would let the kernel do it: what refuses is the profile.
	give_caps $PODMAN_CAPS CAP_SYS_ADMIN
	cfg "linux.seccomp=$(cat "$BATS_TEST_TMPDIR/podman.json")"
	ok_in_ctr "$PROFILE_CMD"
	assert_eq "$output" "hostname: 1
unshare ok
mkdir ok
personality ok"
	assert_match "$stderr" "Operation not permitted"
	# Without the profile, the same commands all work.
	cfg -linux.seccomp
	ok_in_ctr "$PROFILE_CMD"
	assert_eq "$output" "hostname set
unshare ok
mkdir ok
personality ok"
}

# Docker's default profile is built into dockerd: a dockerd of our own (its
# own data and exec roots, no network) runs a container with a "runtime"
# that copies the bundle's config.json and fails; its linux.seccomp is what
# Docker gives a container with the default capabilities.  Made once per run.
docker_profile() {
	local out=$BATS_RUN_TMPDIR/docker-seccomp.json dir=$BATS_RUN_TMPDIR/dockerd
	if [ -s "$out" ]; then
		echo "$out"
		return 0
	fi
	command -v dockerd >/dev/null && command -v docker >/dev/null || return 1
	mkdir -p "$dir"
	cat >"$dir/capture" <<-EOF
		#!/bin/sh
		# containerd's shim calls: capture [globals] create --bundle B ... ID
		while [ \$# -gt 0 ]; do
		  if [ "\$1" = --bundle ] || [ "\$1" = -b ]; then
		    cp "\$2/config.json" "$dir/config.json"
		  fi
		  shift
		done
		echo "capture only" >&2
		exit 1
	EOF
	chmod +x "$dir/capture"
	dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
		-H "unix://$dir/docker.sock" --bridge=none --iptables=false --ip6tables=false \
		--ip-masq=false --storage-driver=vfs --add-runtime "capture=$dir/capture" \
		</dev/null >"$dir/dockerd.log" 2>&1 3>&- &
	local pid=$! rc=1
	if retry 300 0.1 docker -H "unix://$dir/docker.sock" version >/dev/null 2>&1; then
		tar -C "$(rootfs_cache)" -c . | docker -H "unix://$dir/docker.sock" import - husk-seccomp-test >/dev/null 2>&1
		docker -H "unix://$dir/docker.sock" run --rm --runtime capture --network none husk-seccomp-test true >/dev/null 2>&1
		if [ -s "$dir/config.json" ]; then
			"$PYTHON" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["linux"]["seccomp"]))' "$dir/config.json" >"$out.tmp" &&
				mv "$out.tmp" "$out" && rc=0
		fi
	fi
	kill "$pid" 2>/dev/null
	wait_pid_gone "$pid" 600 || kill -9 "$pid" 2>/dev/null
	# dockerd's containerd, should it be left
	[ -s "$dir/exec/containerd/containerd.pid" ] && kill "$(cat "$dir/exec/containerd/containerd.pid")" 2>/dev/null
	umount -R "$dir/exec" "$dir/data" 2>/dev/null
	[ "$rc" -eq 0 ] && echo "$out"
}

@test "seccomp: Docker's default profile: unshare and sethostname are refused, the rest works" {
	profile=$(docker_profile) || skip "no dockerd to take Docker's default profile from"
	# Docker's default capabilities, plus CAP_SYS_ADMIN: the kernel would
	# allow both; the profile (made for the defaults) refuses them.
	give_caps CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD CAP_NET_RAW \
		CAP_SETGID CAP_SETUID CAP_SETFCAP CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_SYS_CHROOT \
		CAP_KILL CAP_AUDIT_WRITE CAP_SYS_ADMIN
	cfg "linux.seccomp=$(cat "$profile")"
	ok_in_ctr "$PROFILE_CMD"
	assert_eq "$output" "hostname: 1
unshare: 1
mkdir ok
personality ok"
	assert_match "$stderr" "Operation not permitted"
	cfg -linux.seccomp
	ok_in_ctr "$PROFILE_CMD"
	assert_eq "$output" "hostname set
unshare ok
mkdir ok
personality ok"
}
