#!/usr/bin/env bats
# Container escapes: one real attack per public runc/crun escape class,
# each of which husk must be immune to by construction (docs/security.md
# names the defence of each).  Run against runc 1.1.5 too
# (RUNTIME=/usr/sbin/runc): where it is vulnerable, the test says so in a
# comment and fails there, which shows that the attack is real.
# Copyright (C) 2026 The husk authors
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

: "${EXE_SNOOP:=$top_builddir/tests/tools/exe-snoop}"
: "${RENAME_RACER:=$top_builddir/tests/tools/rename-racer}"

setup() {
	setup_common
}

teardown() {
	teardown_common
}

is_runc() {
	[[ $(basename "$HUSK") == runc* ]]
}

# runtime ARG...: the runtime with the global flags, without closing fd 3
# (for --preserve-fds), stdin from /dev/null unless redirected.
runtime() {
	"$HUSK" "${HUSK_GLOBAL[@]}" "$@"
}

# The container: sleeps with its id in its command line (for teardown).
start_sleeper() {
	set_cmd "touch /started; sleep 1000; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	INIT_PID=$(container_pid "$ID")
}

# assert_failed_clean REGEX: the last run failed with an error matching
# REGEX (husk's wording: any error from runc), and left nothing of $ID
# behind.
assert_failed_clean() {
	[ "$status" -ne 0 ] || { echo "expected a failure, got: $output"; return 1; }
	is_runc || assert_match "$output" "$1" "error"
	assert_no_trace "$ID"
}

# --- 1. CVE-2019-5736: the runtime's binary through /proc/PID/exe ------------

# snoop_lines LOG: the lines of an exe-snoop log where an attempt worked.
snoop_holes() {
	grep -E '=ok( |$)' "$1" || true
}

# snoop_init ID BUNDLE: exec exe-snoop into the created container ID, at its
# pid 1 (still the runtime's copy, blocked on exec.fifo), and check that
# every attempt on /proc/1/exe failed.
snoop_init() {
	local id=$1 b=$2 log
	cp "$EXE_SNOOP" "$b/rootfs/snoop"
	chown --reference="$b/rootfs/bin" "$b/rootfs/snoop"
	cfg_file "$b/config.json" "process.args=[\"sh\", \"-c\", \"true; : $id\"]"
	create_ok "$id" "$b"
	run_husk exec "$id" /snoop x /snoop.log 1
	assert_eq "$status" 0 "$output"
	log=$b/rootfs/snoop.log
	[ -s "$log" ] || { echo "exe-snoop logged nothing"; return 1; }
	cat "$log"
	assert_eq "$(snoop_holes "$log")" "" "attempts on /proc/1/exe that worked"
	run_husk start "$id"
	assert_eq "$status" 0 "$output"
}

@test "CVE-2019-5736: the created container's init (the runtime's copy) cannot be opened through /proc/1/exe" {
	# The container's root, without CAP_SYS_PTRACE, may open /proc/1/exe
	# of a dumpable process of its own uid.  runc 1.1.5's waiting init is
	# dumpable (rd=ok path=ok: this fails with runc); it relies instead on
	# running from a sealed memfd copy of its binary (wr=ETXTBSY).
	snoop_init "$ID" "$BUNDLE"
	# In a user namespace with CAP_SYS_PTRACE in it: it may open that of
	# any dumpable process of the namespace.
	id2=$(new_id)
	b2=$BATS_TEST_TMPDIR/b2
	make_bundle "$b2" "$id2"
	userns_bundle "$b2"
	cfg_file "$b2/config.json" 'process.capabilities.bounding+="CAP_SYS_PTRACE"' \
		'process.capabilities.effective+="CAP_SYS_PTRACE"' \
		'process.capabilities.permitted+="CAP_SYS_PTRACE"'
	snoop_init "$id2" "$b2"
}

@test "CVE-2019-5736: the runtime's process entering the container on exec cannot be opened through /proc/PID/exe" {
	# The process `exec` forks into the container is the runtime until its
	# execve: exe-snoop, inside, watches for it (by its comm) and tries
	# to open its /proc/PID/exe for writing, reading and O_PATH, and to
	# read the link.  Non-dumpable: every attempt fails with EACCES.
	# (A process caught just as it exits or execs the container's program
	# gives ENOENT, or "exec" when what was opened is busybox: no hole.)
	userns_bundle
	cfg 'process.capabilities.bounding+="CAP_SYS_PTRACE"' \
		'process.capabilities.effective+="CAP_SYS_PTRACE"' \
		'process.capabilities.permitted+="CAP_SYS_PTRACE"'
	cp "$EXE_SNOOP" "$BUNDLE/rootfs/snoop"
	chown "$USERNS_HOST_ID:$USERNS_HOST_ID" "$BUNDLE/rootfs/snoop"
	start_sleeper
	comm=$(basename "$HUSK")
	# runc's process entering the container renames itself
	is_runc && comm='runc:[2:INIT]'
	husk_detached "$ID" exec -d --pid-file "$BATS_TEST_TMPDIR/snoop.pid" "$ID" /snoop "$comm" /seen
	assert_eq "$status" 0 "$output"
	track_pid "$(cat "$BATS_TEST_TMPDIR/snoop.pid")"
	seen=$BUNDLE/rootfs/seen
	for i in $(seq 300); do
		husk exec "$ID" true </dev/null >/dev/null 2>&1 || { echo "exec $i failed"; false; }
		[ -s "$seen" ] && [ "$(grep -c wr=EACCES "$seen")" -ge 3 ] && break
	done
	echo "# $i execs, $(grep -c wr=EACCES "$seen") caught" >&3
	kill -9 "$(cat "$BATS_TEST_TMPDIR/snoop.pid")"
	[ -s "$seen" ] || { echo "300 execs and the runtime's process was never caught"; false; }
	cat "$seen"
	assert_eq "$(snoop_holes "$seen")" "" "attempts on the runtime's /proc/PID/exe that worked"
	# The processes caught were not merely gone: the open was refused.
	grep -q 'wr=EACCES' "$seen" || { echo "no EACCES among: $(cat "$seen")"; false; }
}

# --- 2. CVE-2024-21626: leaked fds ----------------------------------------------

# The fds a process holds are listed from inside, from another process (a
# shell listing its own would show its own fds too).
FD_LIST='p=$1; echo fds $(ls /proc/$p/fd); for f in /proc/$p/fd/*; do readlink $f; done'

@test "CVE-2024-21626: run: the init holds stdio and --preserve-fds only, nothing of the runtime" {
	set_cmd "touch /started; exec sleep 1000; : $ID"
	echo three >"$BATS_TEST_TMPDIR/f3"
	echo four >"$BATS_TEST_TMPDIR/f4"
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	# fd 5, a host directory, is not preserved: it must not reach the
	# container (a leaked directory fd is the CVE's way out).
	runtime --log "$BATS_TEST_TMPDIR/runtime.log" run --detach --preserve-fds 2 --bundle "$BUNDLE" "$ID" \
		3<"$BATS_TEST_TMPDIR/f3" 4<"$BATS_TEST_TMPDIR/f4" 5<"$BATS_TEST_TMPDIR/hostdir" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 || { cat "$BATS_TEST_TMPDIR/out"; false; }
	wait_file "$BUNDLE/rootfs/started"
	container_pid "$ID" >/dev/null
	run_husk exec "$ID" sh -c "$FD_LIST" sh 1
	assert_eq "$status" 0 "$output"
	echo "$output"
	assert_eq "$(head -n 1 <<<"$output")" "fds 0 1 2 3 4" "fds of the init"
	assert_match "$output" "$BATS_TEST_TMPDIR/f3"
	assert_match "$output" "$BATS_TEST_TMPDIR/f4"
	! grep -q -e hostdir -e runtime.log -e "$HUSK_ROOT" -e cgroup <<<"$output" ||
		{ echo "leaked: $output"; false; }
}

@test "CVE-2024-21626: exec: the process holds stdio and --preserve-fds only, and so does the init" {
	set_cmd "touch /started; exec sleep 1000; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	container_pid "$ID" >/dev/null
	echo three >"$BATS_TEST_TMPDIR/f3"
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	runtime --log "$BATS_TEST_TMPDIR/runtime.log" exec -d --pid-file "$BATS_TEST_TMPDIR/p" --preserve-fds 1 "$ID" \
		sleep 999 3<"$BATS_TEST_TMPDIR/f3" 4<"$BATS_TEST_TMPDIR/hostdir" </dev/null \
		>"$BATS_TEST_TMPDIR/out" 2>&1 || { cat "$BATS_TEST_TMPDIR/out"; false; }
	track_pid "$(cat "$BATS_TEST_TMPDIR/p")"
	# the exec'd sleep: the one that is not pid 1
	run_husk exec "$ID" sh -c "set -- \$(pidof sleep | tr ' ' '\\n' | grep -vx 1); $FD_LIST"
	assert_eq "$status" 0 "$output"
	echo "$output"
	assert_eq "$(head -n 1 <<<"$output")" "fds 0 1 2 3" "fds of the exec'd process"
	assert_match "$output" "$BATS_TEST_TMPDIR/f3"
	! grep -q -e hostdir -e runtime.log -e "$HUSK_ROOT" -e cgroup <<<"$output" ||
		{ echo "leaked: $output"; false; }
	run_husk exec "$ID" sh -c "$FD_LIST" sh 1
	assert_eq "$(head -n 1 <<<"$output")" "fds 0 1 2" "fds of the init"
	# and the process exec'd in the foreground: its own fds, as its first
	# program sees them before it opens anything
	run runtime exec --preserve-fds 1 "$ID" ls /proc/self/fd 3<"$BATS_TEST_TMPDIR/f3" 4<"$BATS_TEST_TMPDIR/hostdir" </dev/null
	assert_eq "$status" 0 "$output"
	# ls's own directory fd comes after the preserved one
	assert_eq "$(tr '\n' ' ' <<<"$output")" "0 1 2 3 4 " "fds of ls /proc/self/fd"
}

@test "CVE-2024-21626: process.cwd /proc/self/fd/N fails to start, for every N a runtime may hold" {
	# runc 1.1.5 is vulnerable: one of these N is a directory fd of the
	# host's /sys/fs/cgroup it leaks, and the process starts there.
	for n in 3 4 5 6 7 8 9 10 11 12; do
		cfg "process.cwd=\"/proc/self/fd/$n\""
		set_cmd "pwd >/pwd; ls .. >/up; : $ID"
		run_husk run --bundle "$BUNDLE" "$ID"
		[ "$status" -ne 0 ] || { echo "cwd /proc/self/fd/$n: started in $(cat "$BUNDLE/rootfs/pwd")"; false; }
		[ ! -e "$BUNDLE/rootfs/pwd" ]
		assert_no_trace "$ID"
	done
}

@test "CVE-2024-21626: exec --cwd /proc/self/fd/N fails, for every N a runtime may hold" {
	start_sleeper
	for n in 3 4 5 6 7 8 9 10 11 12; do
		run_husk exec --cwd "/proc/self/fd/$n" "$ID" sh -c 'pwd; ls ..'
		[ "$status" -ne 0 ] || { echo "exec --cwd /proc/self/fd/$n: $output"; false; }
	done
	# the same through a process.json
	cat >"$BATS_TEST_TMPDIR/p.json" <<-EOF
		{"args": ["pwd"], "cwd": "/proc/self/fd/5", "user": {"uid": 0, "gid": 0}}
	EOF
	run_husk exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	[ "$status" -ne 0 ] || { echo "exec -p cwd /proc/self/fd/5: $output"; false; }
	# Even a directory fd passed on purpose is no way out as the cwd.
	mkdir -p "$BATS_TEST_TMPDIR/hostdir"
	run runtime exec --preserve-fds 1 --cwd /proc/self/fd/3 "$ID" sh -c 'pwd; ls' 3<"$BATS_TEST_TMPDIR/hostdir" </dev/null
	[ "$status" -ne 0 ] || { echo "exec --cwd /proc/self/fd/3 (a host directory): $output"; false; }
}

# --- 3. symlink races on mount destinations (CVE-2021-30465, CVE-2024-45310) ------

# mounts_of PID: the mount points in PID's mountinfo (relative to its root).
mounts_of() {
	awk '{ print $5 }' "/proc/$1/mountinfo"
}

@test "mount destinations symlinked to /, ../../.. or a host path land inside the root (or are refused)" {
	mkdir -p "$BATS_TEST_TMPDIR/host"
	echo marker >"$BATS_TEST_TMPDIR/host/marker"
	for target in / ../../.. /../../.. ../../../../../../..; do
		ln -sfn "$target" "$BUNDLE/rootfs/evil"
		cfg 'mounts+={"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
		set_cmd "touch /started; sleep 1000; : $ID"
		husk_create "$ID" "$BUNDLE"
		if [ "$status" -eq 0 ]; then
			# the tmpfs is somewhere under the container's root, which
			# still holds its files: the root itself was not covered
			run_husk exec "$ID" ls /bin/busybox
			assert_eq "$status" 0 "symlink to $target covered the root: $output"
			run_husk delete --force "$ID"
		else
			is_runc || assert_match "$output" 'mounts\[[0-9]+\] \(/evil\)' "error for a symlink to $target"
		fi
		assert_no_trace "$ID"
		cfg 'mounts-={"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
	done
	# A symlink to an absolute host path is resolved inside the root: the
	# directories are made in the rootfs, never in the host's directory.
	ln -sfn "$BATS_TEST_TMPDIR/host" "$BUNDLE/rootfs/evil"
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo from-src >"$BATS_TEST_TMPDIR/src/file"
	cfg 'mounts+={"destination": "/evil/a/b", "type": "tmpfs", "source": "tmpfs"}' \
		"mounts+={\"destination\": \"/evil/c\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	set_cmd "touch /started; sleep 1000; : $ID"
	create_ok "$ID"
	pid=$(container_pid "$ID")
	assert_eq "$(ls -A "$BATS_TEST_TMPDIR/host")" marker "the host directory"
	[ -d "$BUNDLE/rootfs/$BATS_TEST_TMPDIR/host/a/b" ]
	mounts_of "$pid" | grep -qx "$BATS_TEST_TMPDIR/host/a/b"
	mounts_of "$pid" | grep -qx "$BATS_TEST_TMPDIR/host/c"
	run_husk exec "$ID" cat /evil/c/file
	assert_eq "$output" from-src
}

@test "CVE-2021-30465, CVE-2024-45310: a directory swapped with a symlink to the host during creates" {
	# rename-racer exchanges /race (a directory) and /race-link (a
	# symlink to a host directory) in the rootfs without pause while
	# containers are created with mounts below /race.  Nothing may ever be
	# made or mounted in the host directory, and every mount must be in
	# the container's root (a mount made outside it is gone with the old
	# root after pivot_root, so it would be missing from the container's
	# mountinfo).  runc 1.1.5 is vulnerable to CVE-2024-45310 (fixed in
	# 1.1.14): it may create the directories on the host.
	hostdir=$BATS_TEST_TMPDIR/hostdir
	mkdir -p "$hostdir" "$BATS_TEST_TMPDIR/src" "$BUNDLE/rootfs/race"
	echo from-src >"$BATS_TEST_TMPDIR/src/file"
	ln -s "$hostdir" "$BUNDLE/rootfs/race-link"
	cfg 'mounts+={"destination": "/race/a/b", "type": "tmpfs", "source": "tmpfs"}' \
		"mounts+={\"destination\": \"/race/c/d\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	set_cmd "touch /started; sleep 1000; : $ID"
	"$RENAME_RACER" "$BUNDLE/rootfs/race" "$BUNDLE/rootfs/race-link" "$BATS_TEST_TMPDIR/racer.pid" 3>&- &
	track_pid $!
	racer=$!
	wait_file_content "$BATS_TEST_TMPDIR/racer.pid"
	ok=0
	for i in $(seq 40); do
		husk_create "$ID" "$BUNDLE"
		if [ "$status" -eq 0 ]; then
			ok=$((ok + 1))
			pid=$(container_pid "$ID")
			n=$(mounts_of "$pid" | grep -cE "^(/race|/race-link|$hostdir)/(a/b|c/d)$" || true)
			[ "$n" = 2 ] || { kill -9 $racer; echo "create $i: mounts in the root: $(mounts_of "$pid" | tail -n 5)"; false; }
			run_husk delete --force "$ID"
		fi
		[ -z "$(ls -A "$hostdir")" ] || { kill -9 $racer; echo "create $i made on the host: $(find "$hostdir")"; false; }
		assert_no_trace "$ID"
	done
	kill -9 $racer
	echo "$ok of 40 creates succeeded"
	[ "$ok" -gt 0 ]
}

# --- 4. masked paths and /dev/console (CVE-2025-31133, CVE-2025-52565) ------------

# A /dev of the bundle's own, bound from $BUNDLE/devdir instead of the tmpfs:
# what it holds is the rootfs' to choose.
bind_dev() {
	local d=$BUNDLE/devdir
	mkdir -p "$d/pts" "$d/shm" "$d/mqueue"
	ln -s pts/ptmx "$d/ptmx"
	mknod -m 666 "$d/zero" c 1 5
	cfg 'mounts-={"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}'
	"$PYTHON" - "$CONFIG" "$d" <<-'EOF'
		import json, sys
		cfg, d = sys.argv[1], sys.argv[2]
		c = json.load(open(cfg))
		c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/dev"]
		c["mounts"].insert(1, {"destination": "/dev", "type": "bind", "source": d, "options": ["rbind"]})
		json.dump(c, open(cfg, "w"), indent=1)
	EOF
}

# A masked file of the default config that the kernel has.
masked_file() {
	local f
	for f in /proc/timer_list /proc/keys /proc/sched_debug /proc/latency_stats; do
		[ -e "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

@test "CVE-2025-31133: a /dev/null that is a symlink, a file or another device never unmasks a masked path" {
	# runc 1.1.5 is vulnerable (fixed in 1.2.8): with /dev/null a symlink
	# to /proc/sys/kernel/core_pattern, the masked file shows core_pattern.
	secret=$BATS_TEST_TMPDIR/secret
	echo SECRET >"$secret"
	masked=$(masked_file)
	cfg "linux.maskedPaths=[\"$masked\"]"
	set_cmd "head -c 64 $masked; stat -c '%F %t:%T' $masked; : $ID"
	bind_dev
	for kind in host-link proc-link file zero; do
		rm -f "$BUNDLE/devdir/null"
		case $kind in
		host-link) ln -s "$secret" "$BUNDLE/devdir/null" ;;
		proc-link) ln -s /proc/sys/kernel/core_pattern "$BUNDLE/devdir/null" ;;
		file) echo SECRET >"$BUNDLE/devdir/null" ;;
		zero) mknod -m 666 "$BUNDLE/devdir/null" c 1 5 ;;
		esac
		run_husk run --bundle "$BUNDLE" "$ID"
		if [ "$status" -eq 0 ]; then
			# masked: reads nothing, and is the null device
			assert_eq "$output" "character special file 1:3" "$masked with a /dev/null that is a $kind"
		else
			assert_match "$output" /dev/null "error with a /dev/null that is a $kind"
			assert_no_trace "$ID"
		fi
		assert_eq "$(cat "$secret")" SECRET
	done
}

@test "CVE-2025-52565: with terminal, a /dev/console symlink in the rootfs is not followed" {
	secret=$BATS_TEST_TMPDIR/secret
	echo SECRET >"$secret"
	passwd_sum=$(sha256sum <"$BUNDLE/rootfs/etc/passwd")
	bind_dev
	mknod -m 666 "$BUNDLE/devdir/null" c 1 3
	for target in "$secret" /etc/passwd; do
		ln -sfn "$target" "$BUNDLE/devdir/console"
		cfg process.terminal=true
		set_cmd "stat -c '%F %t' /dev/console; grep -c ^root: /etc/passwd; grep -c . /proc/self/mountinfo >/dev/null; grep ' /etc/passwd ' /proc/self/mountinfo; : $ID"
		start_recvtty "$BATS_TEST_TMPDIR/tty.sock" "$BATS_TEST_TMPDIR/tty.out"
		husk_detached "$ID" run --detach --console-socket "$BATS_TEST_TMPDIR/tty.sock" --bundle "$BUNDLE" "$ID"
		# runc 1.1.5 fails here with the link to a host path, without
		# following it; with the link to /etc/passwd it hangs (and the
		# test fails by its timeout)
		if is_runc && [ "$status" -ne 0 ]; then
			kill -9 "$RECVTTY_PID" 2>/dev/null || :
			rm -f "$BATS_TEST_TMPDIR/tty.sock" "$BATS_TEST_TMPDIR/tty.sock.pid"
			assert_eq "$(cat "$secret")" SECRET
			continue
		fi
		assert_eq "$status" 0 "$output"
		wait_recvtty
		out=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
		# a pty slave (major 136 = 0x88), the rootfs' passwd untouched
		# and nothing mounted over it
		assert_eq "$out" $'character special file 88\n1' "console with a symlink to $target"
		run_husk delete --force "$ID"
		rm -f "$BATS_TEST_TMPDIR/tty.sock" "$BATS_TEST_TMPDIR/tty.sock.pid"
		assert_eq "$(cat "$secret")" SECRET
		assert_eq "$(sha256sum <"$BUNDLE/rootfs/etc/passwd")" "$passwd_sum" "rootfs /etc/passwd"
	done
}

# --- 5. /proc and /sys swapped or symlinked -----------------------------------------
# CVE-2019-16884, CVE-2019-19921, CVE-2023-27561/28642, CVE-2025-52881

@test "a /proc or /sys that is a symlink in the rootfs is refused, naming the mount" {
	mkdir -p "$BUNDLE/rootfs/fake"
	for d in proc sys; do
		for target in fake /fake ../fake; do
			rm -rf "${BUNDLE:?}/rootfs/$d"
			ln -s "$target" "$BUNDLE/rootfs/$d"
			run_husk run --bundle "$BUNDLE" "$ID"
			assert_failed_clean "mounts\[[0-9]+\] \(/$d\).*symlink"
			# nothing was mounted where the link points
			[ -z "$(ls -A "$BUNDLE/rootfs/fake")" ]
		done
		rm -f "$BUNDLE/rootfs/$d"
		mkdir "$BUNDLE/rootfs/$d"
	done
}

# fake_proc DIR: a procfs-looking tree.
fake_proc() {
	mkdir -p "$1/sys/net/ipv4" "$1/self/attr" "$1/sys/kernel"
	echo 0 >"$1/sys/net/ipv4/ip_forward"
	echo 0 >"$1/self/oom_score_adj"
	echo deny >"$1/self/setgroups"
	: >"$1/self/attr/exec"
}

@test "CVE-2019-16884: a rootfs /proc that is no procfs never receives the sysctl and oom_score_adj writes" {
	# runc 1.1.5 is vulnerable: it writes the sysctl into the fake file
	# (then fails later).
	"$PYTHON" - "$CONFIG" <<-'EOF'
		import json, sys
		c = json.load(open(sys.argv[1]))
		c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/proc"]
		json.dump(c, open(sys.argv[1], "w"), indent=1)
	EOF
	fake_proc "$BUNDLE/rootfs/proc"
	set_cmd "true; : $ID"
	cfg 'linux.sysctl={"net.ipv4.ip_forward": "1"}'
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_failed_clean 'linux.sysctl.*(proc|procfs)'
	assert_eq "$(cat "$BUNDLE/rootfs/proc/sys/net/ipv4/ip_forward")" 0
	cfg -linux.sysctl process.oomScoreAdj=123
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_failed_clean 'oom_score_adj.*procfs'
	assert_eq "$(cat "$BUNDLE/rootfs/proc/self/oom_score_adj")" 0
}

@test "CVE-2019-19921: mounts over /proc or inside it from the config are refused" {
	# runc 1.1.5 accepts some of these (this fails with runc).
	mkdir -p "$BATS_TEST_TMPDIR/fake"
	fake_proc "$BATS_TEST_TMPDIR/fake"
	set_cmd "true; : $ID"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/config.orig"
	# a tmpfs over the procfs
	cfg 'mounts+={"destination": "/proc", "type": "tmpfs", "source": "tmpfs"}'
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_failed_clean 'mounts\[[0-9]+\] \(/proc\)'
	# a fake tree bound over /proc/self, /proc/sys or all of /proc
	for dest in /proc /proc/self /proc/sys /proc/1/attr; do
		cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
		cfg "mounts+={\"destination\": \"$dest\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/fake\", \"options\": [\"rbind\"]}"
		run_husk run --bundle "$BUNDLE" "$ID"
		assert_failed_clean "mounts\[[0-9]+\] \($dest\)"
	done
	# a destination that reaches into /proc through a symlink of the rootfs
	cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
	ln -s /proc/sys "$BUNDLE/rootfs/sneaky"
	cfg 'mounts+={"destination": "/sneaky/net", "type": "tmpfs", "source": "tmpfs"}'
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_failed_clean 'mounts\[[0-9]+\] \(/sneaky/net\).*proc'
}

@test "CVE-2019-16884: exec into a container that mounted a fake /proc: the oom_score_adj write is refused" {
	# The container's root (CAP_SYS_ADMIN in its user namespace) covers
	# /proc with a tmpfs holding a procfs-looking tree; `exec` then has an
	# oom_score_adj to write in there.
	userns_bundle
	cfg 'process.capabilities.bounding+="CAP_SYS_ADMIN"' \
		'process.capabilities.effective+="CAP_SYS_ADMIN"' \
		'process.capabilities.permitted+="CAP_SYS_ADMIN"'
	start_sleeper
	run_husk exec "$ID" sh -c 'mount -t tmpfs tmpfs /proc && mkdir -p /proc/self /proc/sys/net/ipv4 && echo 0 >/proc/self/oom_score_adj && echo 0 >/proc/sys/net/ipv4/ip_forward'
	assert_eq "$status" 0 "$output"
	cat >"$BATS_TEST_TMPDIR/p.json" <<-EOF
		{"args": ["cat", "/proc/self/oom_score_adj"], "cwd": "/", "oomScoreAdj": 321, "user": {"uid": 0, "gid": 0}}
	EOF
	run_husk exec -p "$BATS_TEST_TMPDIR/p.json" "$ID"
	[ "$status" -ne 0 ] || { echo "exec with oomScoreAdj into a fake /proc: $output"; false; }
	is_runc || assert_match "$output" 'procfs'
	# (read through the init's root: the tmpfs is in its mount namespace)
	assert_eq "$(cat "/proc/$INIT_PID/root/proc/self/oom_score_adj")" 0 "the fake file"
}

# --- 6. CVE-2022-29162: inheritable and ambient capabilities ------------------------

# cap_line NAME: "NAME: VALUE" of /proc/self/status in a shell command.
CAPS_CMD='grep -E "^Cap(Inh|Amb)" /proc/self/status | tr "\t" " "'

@test "CVE-2022-29162: inheritable and ambient are empty in run and exec, even when the runtime had them" {
	set_cmd "$CAPS_CMD; touch /started; sleep 1000; : $ID"
	# the runtime itself runs with CAP_NET_RAW inheritable and ambient
	setpriv --inh-caps +net_raw --ambient-caps +net_raw \
		"$HUSK" "${HUSK_GLOBAL[@]}" run --detach --bundle "$BUNDLE" "$ID" \
		</dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- || { cat "$BATS_TEST_TMPDIR/out"; false; }
	wait_file "$BUNDLE/rootfs/started"
	container_pid "$ID" >/dev/null
	assert_eq "$(cat "$BATS_TEST_TMPDIR/out")" $'CapInh: 0000000000000000\nCapAmb: 0000000000000000' "run"
	run setpriv --inh-caps +net_raw --ambient-caps +net_raw \
		"$HUSK" "${HUSK_GLOBAL[@]}" exec "$ID" sh -c "$CAPS_CMD" </dev/null 3>&-
	assert_eq "$output" $'CapInh: 0000000000000000\nCapAmb: 0000000000000000' "exec"
	# --cap adds to bounding, effective and permitted, never inheritable
	run_husk exec --cap CAP_NET_ADMIN "$ID" sh -c "$CAPS_CMD"
	assert_eq "$output" $'CapInh: 0000000000000000\nCapAmb: 0000000000000000' "exec --cap"
}

@test "CVE-2022-29162: spec never sets inheritable or ambient; a config that does gets them" {
	# runc 1.1.5's spec lists ambient capabilities (dropped at run time,
	# as they are not inheritable): this fails with runc.
	for flags in "" --rootless; do
		rm -f "$BATS_TEST_TMPDIR/config.json"
		run_husk spec $flags --bundle "$BATS_TEST_TMPDIR"
		assert_eq "$status" 0 "$output"
		run json_get "$BATS_TEST_TMPDIR/config.json" process.capabilities.inheritable
		[ "$status" -ne 0 ] || [ "$output" = "[]" ] || { echo "spec $flags: inheritable $output"; false; }
		run json_get "$BATS_TEST_TMPDIR/config.json" process.capabilities.ambient
		[ "$status" -ne 0 ] || [ "$output" = "[]" ] || { echo "spec $flags: ambient $output"; false; }
	done
	# The reading above is right: asked for, they are there.
	cfg 'process.capabilities.inheritable=["CAP_KILL"]' 'process.capabilities.ambient=["CAP_KILL"]'
	set_cmd "$CAPS_CMD; : $ID"
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" $'CapInh: 0000000000000020\nCapAmb: 0000000000000020'
}

# --- 7. CVE-2023-25809: cgroupfs writable without a cgroup namespace ----------------

# Inside: try to make a directory in /sys/fs/cgroup and in every hierarchy
# below it, print each error.
CG_WRITE_CMD='for d in /sys/fs/cgroup /sys/fs/cgroup/*; do [ -d "$d" ] && [ ! -L "$d" ] && { mkdir "$d/husk-escape" 2>&1 || :; } ; done | sort -u'

cgroup_write_attempt() {
	set_cmd "$CG_WRITE_CMD; : $ID"
	run_husk run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0 "$output"
	[ -n "$output" ] || { echo "no write attempt failed"; return 1; }
	# every attempt fails on a read-only file system
	! grep -v 'Read-only file system' <<<"$output" || { echo "$output"; return 1; }
}

@test "CVE-2023-25809: without a cgroup namespace /sys/fs/cgroup is read-only, whatever its options" {
	cfg -ns:cgroup
	# the default options say ro
	cgroup_write_attempt
	# options without ro: still read-only.  (With runc 1.1.5 this fails:
	# its tmpfs at /sys/fs/cgroup stays writable, EACCES here only for
	# want of CAP_DAC_OVERRIDE.)
	"$PYTHON" - "$CONFIG" <<-'EOF'
		import json, sys
		c = json.load(open(sys.argv[1]))
		for m in c["mounts"]:
		    if m["destination"] == "/sys/fs/cgroup":
		        m["options"] = ["nosuid", "noexec", "nodev"]
		json.dump(c, open(sys.argv[1], "w"), indent=1)
	EOF
	cgroup_write_attempt
}

@test "CVE-2023-25809: in a user namespace without a cgroup namespace /sys/fs/cgroup is read-only" {
	# runc 1.1.5 leaves it writable; the writes fail there only with
	# EACCES, the host's cgroup directories not being the user
	# namespace's (this fails with runc).
	userns_bundle
	cfg -ns:cgroup
	"$PYTHON" - "$CONFIG" <<-'EOF'
		import json, sys
		c = json.load(open(sys.argv[1]))
		for m in c["mounts"]:
		    if m["destination"] == "/sys/fs/cgroup":
		        m["options"] = ["nosuid", "noexec", "nodev"]
		json.dump(c, open(sys.argv[1], "w"), indent=1)
	EOF
	cgroup_write_attempt
}
