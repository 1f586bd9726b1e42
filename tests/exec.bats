#!/usr/bin/env bats
# `exec`: a new process in an existing container, with runc's flags:
# namespaces and cgroup joined, the config's process with the overrides,
# exit status, signals, detach, terminals, paused and stopped containers,
# and the pidfd socket of create, run and exec.
# Copyright (C) 2026 The husk authors
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
}

teardown() {
	# a container cgroup with a sub-cgroup left cannot be deleted
	[ -n "${ID:-}" ] && remove_subs
	teardown_common
}

# The container: sleeps with its id in its command line (for teardown).
start_sleeper() {
	set_cmd "touch /started; sleep 1000; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	INIT_PID=$(container_pid "$ID")
	# the init's shell and its sleep
	retry 100 0.05 eval '[ "$(live_procs | wc -l)" = 2 ]'
	BASE_PROCS=$(live_procs)
}

# live_procs: the live (not zombie) processes of the container's cgroup.
live_procs() {
	local p
	for p in $(cat "$(cgroup_main_dir "/husk-test-$ID")/cgroup.procs"); do
		pid_alive "$p" && echo "$p"
	done
	return 0
}

# only_init_left: the container's cgroup holds what start_sleeper left
# there and nothing else alive (a zombie left to the container's init,
# which may never reap it, does not count).
only_init_left() {
	retry 100 0.05 eval '[ "$(live_procs)" = "$BASE_PROCS" ]' ||
		{ echo "live in the cgroup: $(for p in $(live_procs); do echo "$p: $(tr '\0' ' ' </proc/$p/cmdline)"; done), before: $BASE_PROCS"; false; }
}

# runc 1.1 has no --pidfd-socket.
skip_without_pidfd_socket() {
	"$HUSK" exec --help 2>/dev/null | grep -q -- --pidfd-socket ||
		skip "the runtime has no --pidfd-socket"
}

# recv_pidfd SOCKET OUT: listen on SOCKET in the background, receive one fd
# and write the "Pid:" line of its /proc/self/fdinfo to OUT.
recv_pidfd() {
	"$PYTHON" - "$1" "$2" </dev/null 3>&- <<-'EOF' &
		import os, socket, sys
		srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		srv.bind(sys.argv[1])
		srv.listen(1)
		open(sys.argv[1] + ".ready", "w").close()
		conn, _ = srv.accept()
		_, fds, _, _ = socket.recv_fds(conn, 16, 1)
		pid = [l.split()[1] for l in open("/proc/self/fdinfo/%d" % fds[0])
		       if l.startswith("Pid:")]
		tmp = sys.argv[2] + ".tmp"
		open(tmp, "w").write(pid[0] if pid else "none")
		os.rename(tmp, sys.argv[2])
	EOF
	track_pid $!
	wait_file "$1.ready"
}

# --- the basics ------------------------------------------------------------------

@test "exec: runs the command in the container and returns its status" {
	start_sleeper
	run_husk exec "$ID" sh -c 'cat /started && echo in-container'
	assert_eq "$status" 0 "$output"
	assert_eq "$output" in-container
	run_husk exec "$ID" sh -c 'exit 42'
	assert_eq "$status" 42
}

@test "exec: a process killed by signal N gives 128+N" {
	start_sleeper
	run_husk exec "$ID" sh -c 'kill -TERM $$'
	assert_eq "$status" 143
	run_husk exec "$ID" sh -c 'kill -KILL $$'
	assert_eq "$status" 137
}

@test "exec: everything after the container id is the command's" {
	start_sleeper
	run_husk exec -e X=1 "$ID" sh -c 'echo $X "$@"' sh -t -d --env -h
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "1 -t -d --env -h"
}

@test "exec: every namespace of the container is joined" {
	cfg ns:cgroup
	# runc 1.1 has no time namespaces
	[ -e /proc/self/ns/time ] && [[ $HUSK != *runc* ]] &&
		cfg ns:time 'linux.timeOffsets={"monotonic": {"secs": 86400, "nanosec": 0}}'
	start_sleeper
	for ns in pid mnt net ipc uts cgroup user time; do
		[ -e "/proc/self/ns/$ns" ] || continue
		run_husk exec "$ID" readlink "/proc/self/ns/$ns"
		assert_eq "$status" 0 "$ns: $output"
		assert_eq "$output" "$(readlink "/proc/$INIT_PID/ns/$ns")" "$ns"
	done
	# the container's root, and its own pid namespace (pid 1 is the init)
	run_husk exec "$ID" sh -c 'ls /started && cat /proc/1/cmdline | tr "\0" " "'
	assert_eq "${lines[0]}" /started
	assert_match "${lines[1]}" "sleep 1000"
}

@test "exec: a user namespace is joined, the process is the container's root" {
	userns_bundle
	start_sleeper
	run_husk exec "$ID" sh -c 'readlink /proc/self/ns/user; readlink /proc/self/ns/mnt; id -u; cat /proc/self/uid_map'
	assert_eq "$status" 0 "$output"
	assert_eq "${lines[0]}" "$(readlink "/proc/$INIT_PID/ns/user")" user
	assert_eq "${lines[1]}" "$(readlink "/proc/$INIT_PID/ns/mnt")" mnt
	assert_eq "${lines[2]}" 0
	assert_match "${lines[3]}" "^ +0 +$USERNS_HOST_ID +65536$"
}

@test "exec: the process is in the container's cgroup" {
	start_sleeper
	husk exec -d --pid-file "$BATS_TEST_TMPDIR/p" "$ID" sleep 100 </dev/null >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/p")
	track_pid "$pid"
	assert_eq "$(cat "/proc/$pid/cgroup")" "$(cat "/proc/$INIT_PID/cgroup")"
	grep -qx "$pid" "$(cgroup_main_dir "/husk-test-$ID")/cgroup.procs"
}

# exec_in_sub CGROUP-FLAG: a detached sleep with that --cgroup; its pid in $pid
exec_in_sub() {
	rm -f "$BATS_TEST_TMPDIR/p"
	husk exec -d --cgroup "$1" --pid-file "$BATS_TEST_TMPDIR/p" "$ID" sleep 100 </dev/null >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/p")
	track_pid "$pid"
}

# make_subs / remove_subs: cgroup "sub" below the container's, everywhere
# (a v1 cpuset cgroup needs CPUs and memory nodes before anyone can join).
make_subs() {
	local d f
	for d in $(cgroup_dirs "/husk-test-$ID"); do
		mkdir "$d/sub"
		for f in cpuset.cpus cpuset.mems; do
			[ -e "$d/sub/$f" ] && cat "$d/$f" >"$d/sub/$f"
		done
	done
	return 0
}

remove_subs() {
	local d p
	for d in $(cgroup_dirs "/husk-test-$ID/sub"); do
		for p in $(cat "$d/cgroup.procs"); do
			kill -9 "$p" 2>/dev/null
		done
		retry 100 0.05 rmdir "$d"
	done
}

@test "exec --cgroup: an existing sub-cgroup of the container's" {
	cgroup_v1 || skip "needs v1 controllers"
	start_sleeper
	make_subs
	# CTRL:PATH: that controller's hierarchy only
	exec_in_sub pids:sub
	grep -qx "$pid" "/sys/fs/cgroup/pids/husk-test-$ID/sub/cgroup.procs"
	grep -qx "$pid" "/sys/fs/cgroup/freezer/husk-test-$ID/cgroup.procs"
	kill -9 "$pid"
	wait_pid_gone "$pid"
	# PATH alone: every hierarchy (runc 1.1 gets the v1 memory path wrong
	# when its hierarchy is mounted from a subdirectory)
	if [[ $HUSK != *runc* ]]; then
		exec_in_sub sub
		for d in $(cgroup_dirs "/husk-test-$ID"); do
			grep -qx "$pid" "$d/sub/cgroup.procs" || { echo "not in $d/sub"; false; }
		done
		kill -9 "$pid"
		wait_pid_gone "$pid"
	fi
	# a missing one is an error naming it, and leaves no process behind
	run_husk exec --cgroup pids:nosuch "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" nosuch
	only_init_left
	remove_subs
}

@test "exec: the config's process is the base (env, cwd, user, rlimits)" {
	cfg 'process.env+="FROMCFG=yes"' process.cwd=/tmp \
		'process.rlimits=[{"type": "RLIMIT_NOFILE", "hard": 777, "soft": 555}]'
	start_sleeper
	run_husk exec "$ID" sh -c 'echo $FROMCFG; pwd; id -u; ulimit -n; ulimit -Hn'
	assert_eq "$status" 0 "$output"
	assert_eq "${lines[0]}" yes
	assert_eq "${lines[1]}" /tmp
	assert_eq "${lines[2]}" 0
	assert_eq "${lines[3]}" 555
	assert_eq "${lines[4]}" 777
}

@test "exec --env: adds variables and replaces the config's" {
	cfg 'process.env+="FOO=config"'
	start_sleeper
	run_husk exec --env FOO=flag --env BAR=2 "$ID" sh -c 'env | grep -E "^(FOO|BAR)=" | sort'
	assert_eq "$status" 0 "$output"
	assert_eq "${lines[0]}" BAR=2
	assert_eq "${lines[1]}" FOO=flag
	assert_eq "${#lines[@]}" 2 "one FOO only"
}

@test "exec: without HOME in env, the user's home from the container's /etc/passwd (as runc)" {
	cfg 'process.env=["PATH=/bin"]'
	start_sleeper
	run_husk exec "$ID" sh -c 'echo "$HOME"'
	assert_eq "$output" /root
	run_husk exec --user 1000:1000 "$ID" sh -c 'echo "$HOME"'
	assert_eq "$output" /home/user
	run_husk exec --user 1000:1000 --env HOME=/given "$ID" sh -c 'echo "$HOME"'
	assert_eq "$output" /given
}

@test "exec --cwd: the working directory; a missing one fails" {
	start_sleeper
	run_husk exec --cwd /tmp "$ID" pwd
	assert_eq "$output" /tmp
	run_husk exec --cwd /no/such/dir "$ID" pwd
	[ "$status" -ne 0 ]
	assert_match "$output" /no/such/dir
	[ ! -e "$BUNDLE/rootfs/no" ]
}

@test "exec --user and --additional-gids" {
	start_sleeper
	run_husk exec --user 1000:1000 -g 10 -g 20 "$ID" id
	assert_eq "$status" 0 "$output"
	assert_match "$output" '^uid=1000\(user\) gid=1000\(user\) groups=10,20$'
	run_husk exec -u 1000 "$ID" id -u
	assert_eq "$output" 1000
	run_husk exec -u nobody "$ID" id -u
	[ "$status" -ne 0 ]
	assert_match "$output" nobody
}

@test "exec --cap: added to the bounding, effective and permitted sets" {
	start_sleeper
	run_husk exec "$ID" grep -E '^Cap(Bnd|Eff)' /proc/self/status
	bnd=$(awk '/^CapBnd/ { print $2 }' <<<"$output")
	(( (0x$bnd & (1 << 21)) == 0 )) || { echo "CAP_SYS_ADMIN without --cap: $bnd"; false; }
	run_husk exec --cap CAP_SYS_ADMIN --cap CAP_SYS_PTRACE "$ID" grep -E '^Cap(Bnd|Eff|Prm)' /proc/self/status
	assert_eq "$status" 0 "$output"
	for l in "${lines[@]}"; do
		v=$(awk '{ print $2 }' <<<"$l")
		(( (0x$v & (1 << 21)) && (0x$v & (1 << 19)) )) || { echo "$l: no CAP_SYS_ADMIN/CAP_SYS_PTRACE"; false; }
	done
	# runc 1.1 ignores an unknown name; husk refuses it, as in create
	if [[ $HUSK != *runc* ]]; then
		run_husk exec --cap CAP_NO_SUCH "$ID" true
		[ "$status" -ne 0 ]
		assert_match "$output" CAP_NO_SUCH
	fi
}

@test "exec --no-new-privs" {
	cfg process.noNewPrivileges=false
	start_sleeper
	run_husk exec "$ID" grep NoNewPrivs /proc/self/status
	assert_match "$output" '0$'
	run_husk exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
	assert_match "$output" '1$'
}

@test "exec --process: the whole process from a file" {
	start_sleeper
	cat >"$BATS_TEST_TMPDIR/process.json" <<-'EOF'
		{"terminal": false, "user": {"uid": 1000, "gid": 1000},
		 "args": ["sh", "-c", "echo $P; id -u; pwd"], "env": ["P=from-file", "PATH=/bin"],
		 "cwd": "/home/user"}
	EOF
	run_husk exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	assert_eq "$status" 0 "$output"
	assert_eq "${lines[0]}" from-file
	assert_eq "${lines[1]}" 1000
	assert_eq "${lines[2]}" /home/user
	echo '{"args": ' >"$BATS_TEST_TMPDIR/bad.json"
	run_husk exec -p "$BATS_TEST_TMPDIR/bad.json" "$ID"
	[ "$status" -ne 0 ]
}

@test "exec --preserve-fds: passes fds 3..3+N-1, closes the others" {
	start_sleeper
	echo passed >"$BATS_TEST_TMPDIR/f3"
	run bash -c '"${@:2}" 3<"$1" 4<"$1"' -- "$BATS_TEST_TMPDIR/f3" "$HUSK" "${HUSK_GLOBAL[@]}" exec --preserve-fds 1 "$ID" sh -c 'cat <&3; [ -e /proc/self/fd/4 ] && echo fd4-leaked; true'
	assert_eq "$status" 0 "$output"
	assert_eq "$output" passed
}

@test "exec: LISTEN_FDS is ignored (only create and run take it, as runc)" {
	start_sleeper
	cd "$BATS_TEST_TMPDIR"
	for f in one two three; do echo "$f" >"$f"; done
	run bash -c 'exec 3<one 4<two 5<three; export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' -- "$HUSK" "${HUSK_GLOBAL[@]}" exec --preserve-fds 1 "$ID" sh -c 'for fd in 3 4 5; do if [ -e /proc/self/fd/$fd ]; then read -r l <&$fd; echo "$fd $l"; else echo "$fd closed"; fi; done; env | grep ^LISTEN_ | sort'
	assert_eq "$status" 0 "$output"
	assert_eq "$output" "3 one
4 closed
5 closed"
}

@test "exec: the container's seccomp filter applies" {
	cfg 'linux.seccomp={"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	start_sleeper
	run_husk exec "$ID" sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /blocked && echo made'
	assert_match "${lines[0]}" 'Seccomp:[[:space:]]+2'
	[ ! -e "$BUNDLE/rootfs/blocked" ]
	# and with no_new_privs, where it is loaded last
	run_husk exec --no-new-privs "$ID" sh -c 'mkdir /blocked2 && echo made'
	[ ! -e "$BUNDLE/rootfs/blocked2" ]
}

@test "exec --detach --pid-file: returns at once, the pid is the process's" {
	start_sleeper
	husk_detached "$ID" exec -d --pid-file "$BATS_TEST_TMPDIR/p" "$ID" sh -c "echo detached-out; sleep 100; : $ID"
	assert_eq "$status" 0 "$output"
	pid=$(cat "$BATS_TEST_TMPDIR/p")
	track_pid "$pid"
	[[ $pid =~ ^[0-9]+$ ]]
	assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$INIT_PID/ns/pid")"
	assert_match "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "sleep 100"
	retry 100 0.05 grep -q detached-out "$BATS_TEST_TMPDIR/$ID.out"
}

@test "exec: signals to a foreground exec reach the process" {
	start_sleeper
	husk_bg "$BATS_TEST_TMPDIR/fg.out" exec "$ID" sh -c 'trap "echo got-usr1; exit 7" USR1; touch /ready; while :; do sleep 0.1; done'
	wait_file "$BUNDLE/rootfs/ready"
	kill -USR1 "$BG_PID"
	st=0
	wait "$BG_PID" || st=$?
	assert_eq "$st" 7 "$(cat "$BATS_TEST_TMPDIR/fg.out")"
	grep -q got-usr1 "$BATS_TEST_TMPDIR/fg.out"
}

@test "exec --tty --console-socket: the pty master goes over the socket" {
	start_sleeper
	sock=$BATS_TEST_TMPDIR/console.sock
	start_recvtty "$sock" "$BATS_TEST_TMPDIR/tty.out"
	husk_detached "$ID" exec -d -t --console-socket "$sock" "$ID" sh -c 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-ttys'
	assert_eq "$status" 0 "$output"
	wait_recvtty
	output=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
	assert_match "$output" '^/dev/pts/[0-9]+'
	assert_match "$output" 'all-ttys'
}

@test "exec --tty: without a console socket, the caller's terminal is relayed" {
	start_sleeper
	run script -qec "stty rows 24 cols 80; '$HUSK' ${HUSK_GLOBAL[*]} exec -t '$ID' sh -c 'tty; stty size; exit 5'" /dev/null </dev/null
	output=$(printf '%s' "$output" | tr -d '\r')
	assert_eq "$status" 5 "$output"
	assert_match "$output" '/dev/pts/[0-9]+'
	assert_match "$output" '24 80'
}

@test "exec: terminal flags that cannot work are refused" {
	start_sleeper
	run_husk exec -d -t "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" "console.socket"
	run_husk exec --console-socket "$BATS_TEST_TMPDIR/none.sock" "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" "tty"
}

# --- container states ------------------------------------------------------------

@test "exec: into a created container works (as runc)" {
	set_cmd "sleep 1000; : $ID"
	create_ok "$ID"
	run_husk exec "$ID" echo hello
	assert_eq "$status" 0 "$output"
	assert_eq "$output" hello
	assert_eq "$(container_status "$ID")" created
}

@test "exec: into a stopped container fails" {
	set_cmd true
	run_detached_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk exec "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" stopped
}

@test "exec: into a missing container fails" {
	run_husk exec nosuchcontainer true
	[ "$status" -ne 0 ]
	assert_match "$output" "does not exist"
}

@test "exec: into a paused container fails, --ignore-paused waits for resume" {
	start_sleeper
	run_husk pause "$ID"
	assert_eq "$status" 0 "$output"
	run_husk exec "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" "paused"
	husk_bg "$BATS_TEST_TMPDIR/ip.out" exec --ignore-paused "$ID" sh -c 'echo ran > /ignored'
	sleep 0.5
	run_husk resume "$ID"
	assert_eq "$status" 0 "$output"
	st=0
	wait "$BG_PID" || st=$?
	assert_eq "$st" 0 "$(cat "$BATS_TEST_TMPDIR/ip.out")"
	assert_eq "$(cat "$BUNDLE/rootfs/ignored")" ran
}

# --- errors leave nothing behind --------------------------------------------------

@test "exec: a command that cannot be run fails and leaves no process" {
	start_sleeper
	run_husk exec "$ID" /no/such/binary
	[ "$status" -ne 0 ]
	assert_match "$output" /no/such/binary
	only_init_left
}

@test "exec: usage errors name the problem" {
	start_sleeper
	run_husk exec "$ID"
	[ "$status" -ne 0 ]
	run_husk exec --no-such-flag "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" no-such-flag
	run_husk exec --preserve-fds x "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" preserve-fds
}

@test "exec --apparmor: refused clearly when AppArmor is off" {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && skip "AppArmor is on"
	start_sleeper
	run_husk exec --apparmor some-profile "$ID" true
	[ "$status" -ne 0 ]
	assert_match "$output" '[Aa]pp[Aa]rmor'
}

@test "exec --process-label: refused clearly when SELinux is off" {
	[ -e /sys/fs/selinux/enforce ] && skip "SELinux is on"
	start_sleeper
	run_husk exec --process-label system_u:system_r:container_t:s0 "$ID" echo ok
	[ "$status" -ne 0 ]
	assert_match "$output" '[Ss][Ee][Ll]inux'
	only_init_left
}

# --- CVE-2019-5736 class -------------------------------------------------------------

@test "exec: the runtime entering the container cannot be reached through /proc" {
	# A user namespace and CAP_SYS_PTRACE in it: the container's root may
	# then read /proc/PID/exe of any dumpable process of its own namespace,
	# which the process entering it is until execve unless non-dumpable.
	# (A link it may not read is listed without its target.)
	userns_bundle
	cfg 'process.capabilities.bounding+="CAP_SYS_PTRACE"' \
		'process.capabilities.effective+="CAP_SYS_PTRACE"' \
		'process.capabilities.permitted+="CAP_SYS_PTRACE"'
	start_sleeper
	sum=$(sha256sum "$(readlink -f "$HUSK")" | cut -d' ' -f1)
	husk_detached "$ID" exec -d "$ID" sh -c "exec 2>/dev/null; touch /watching; while :; do
		ls -l /proc/[0-9]*/exe | grep -e '->' | grep -v busybox >>/seen
		for p in /proc/[0-9]*; do (: >>\$p/exe) && echo \$p >>/opened; done; done; : $ID"
	assert_eq "$status" 0 "$output"
	wait_file "$BUNDLE/rootfs/watching"
	for i in $(seq 100); do
		husk exec "$ID" true </dev/null >/dev/null 2>&1 || { echo "exec $i failed"; false; }
	done
	assert_eq "$(sha256sum "$(readlink -f "$HUSK")" | cut -d' ' -f1)" "$sum" "runtime binary"
	[ ! -s "$BUNDLE/rootfs/opened" ] || { echo "opened: $(cat "$BUNDLE/rootfs/opened")"; false; }
	[ ! -s "$BUNDLE/rootfs/seen" ] || { echo "seen: $(cat "$BUNDLE/rootfs/seen")"; false; }
}

# --- pidfd socket ---------------------------------------------------------------------

@test "exec --pidfd-socket: a pidfd of the process is sent" {
	skip_without_pidfd_socket
	start_sleeper
	recv_pidfd "$BATS_TEST_TMPDIR/pidfd.sock" "$BATS_TEST_TMPDIR/pidfd.pid"
	husk_detached "$ID" exec -d --pid-file "$BATS_TEST_TMPDIR/p" --pidfd-socket "$BATS_TEST_TMPDIR/pidfd.sock" "$ID" sleep 100
	assert_eq "$status" 0 "$output"
	track_pid "$(cat "$BATS_TEST_TMPDIR/p")"
	wait_file "$BATS_TEST_TMPDIR/pidfd.pid"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pidfd.pid")" "$(cat "$BATS_TEST_TMPDIR/p")"
	# a socket nobody listens on is an error, and no process is left
	run_husk exec --pidfd-socket "$BATS_TEST_TMPDIR/none.sock" "$ID" sleep 100
	[ "$status" -ne 0 ]
	assert_match "$output" pidfd-socket
	assert_eq "$(live_procs | wc -l)" 3 "init, its sleep and the detached sleep"
}

@test "create --pidfd-socket: a pidfd of the init is sent" {
	skip_without_pidfd_socket
	set_cmd "sleep 1000; : $ID"
	recv_pidfd "$BATS_TEST_TMPDIR/pidfd.sock" "$BATS_TEST_TMPDIR/pidfd.pid"
	create_ok "$ID" "$BUNDLE" --pidfd-socket "$BATS_TEST_TMPDIR/pidfd.sock"
	wait_file "$BATS_TEST_TMPDIR/pidfd.pid"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pidfd.pid")" "$(container_pid "$ID")"
}

@test "run --pidfd-socket: a pidfd of the init is sent" {
	skip_without_pidfd_socket
	set_cmd "sleep 1000; : $ID"
	recv_pidfd "$BATS_TEST_TMPDIR/pidfd.sock" "$BATS_TEST_TMPDIR/pidfd.pid"
	run_detached_ok "$ID" "$BUNDLE" --pidfd-socket "$BATS_TEST_TMPDIR/pidfd.sock"
	wait_file "$BATS_TEST_TMPDIR/pidfd.pid"
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pidfd.pid")" "$(container_pid "$ID")"
}
