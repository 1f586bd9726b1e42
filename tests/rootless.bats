#!/usr/bin/env bats
# Rootless containers: the runtime run by an unprivileged user (made for
# this file, removed after it), with a user namespace mapping the user's
# own ids and, through newuidmap/newgidmap, a range /etc/subuid and
# /etc/subgid grant it.  State under $XDG_RUNTIME_DIR, no cgroup where none
# is delegated, and clear errors for what such a container cannot have.
# Copyright (C) 2026 The husk authors
# SPDX-License-Identifier: GPL-2.0-or-later
#
# RUNTIME=/usr/sbin/runc checks these tests against runc (its messages
# differ: the error texts are checked for husk only).

load helpers

SUBID_BASE=400000
SUBID_COUNT=65536

# /etc/subuid and /etc/subgid as they were before this file.
restore_subids() {
	local f
	for f in subuid subgid; do
		if [ -e "$BATS_FILE_TMPDIR/etc/$f" ]; then
			cat "$BATS_FILE_TMPDIR/etc/$f" >"/etc/$f"
		elif [ -e "$BATS_FILE_TMPDIR/etc/$f.absent" ]; then
			rm -f "/etc/$f"
		fi
	done
}

setup_file() {
	local f
	mkdir -p "$BATS_FILE_TMPDIR/etc"
	for f in subuid subgid; do
		if [ -e "/etc/$f" ]; then
			cp -a "/etc/$f" "$BATS_FILE_TMPDIR/etc/$f"
		else
			touch "$BATS_FILE_TMPDIR/etc/$f.absent"
		fi
	done
	RL_USER=hrl$$x$RANDOM
	useradd --no-create-home --home-dir / --shell /bin/sh --user-group "$RL_USER"
	export RL_USER
	# useradd may grant ranges of its own (SUB_UID_COUNT): only ours count.
	restore_subids
	echo "$RL_USER:$SUBID_BASE:$SUBID_COUNT" >>/etc/subuid
	echo "$RL_USER:$SUBID_BASE:$SUBID_COUNT" >>/etc/subgid
	# built once here, not within the first test's time limit
	rootfs_cache >/dev/null
	RL_UID=$(id -u "$RL_USER")
	RL_GID=$(id -g "$RL_USER")
	export RL_UID RL_GID
}

teardown_file() {
	if [ -n "${RL_USER:-}" ]; then
		userdel "$RL_USER"
	fi
	restore_subids
}

# as_user CMD...: CMD as the test user, with its XDG_RUNTIME_DIR.
as_user() {
	setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups \
		env HOME=/ USER="$RL_USER" LOGNAME="$RL_USER" XDG_RUNTIME_DIR="$XDG" \
		"$@" 3>&-
}

# uhusk ARG...: the runtime as the test user (default state root).
uhusk() {
	as_user "$HUSK" "$@"
}

# u_detached ID ARG...: husk_detached as the test user.
u_detached() {
	local id=$1 out err o0 e0
	shift
	out=$BATS_TEST_TMPDIR/$id.out
	err=$BATS_TEST_TMPDIR/$id.err
	touch "$out" "$err"
	chmod 666 "$out" "$err"
	o0=$(stat -c %s "$out")
	e0=$(stat -c %s "$err")
	status=0
	uhusk "$@" </dev/null >>"$out" 2>>"$err" || status=$?
	output=$(tail -c +$((e0 + 1)) "$err"; tail -c +$((o0 + 1)) "$out")
}

# u_state ID FIELD: one field of the state, asked as the user.
u_state() {
	local s
	s=$(uhusk state "$1" 2>/dev/null) || return 1
	json_get - "$2" <<<"$s"
}

# wait_for_status_u ID STATUS: poll the state (as the user), up to 10 s.
wait_for_status_u() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ "$(u_state "$1" status)" = "$2" ] && return 0
		sleep 0.05
	done
	echo "status of $1 is not $2" >&2
	return 1
}

is_husk() {
	[ "$(basename "$HUSK")" != runc ]
}

setup() {
	local d
	ID=$(new_id)
	# The user must reach its bundle: only this run's directories change.
	d=$BATS_TEST_TMPDIR
	while [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	XDG=$BATS_TEST_TMPDIR/xdg
	mkdir -m 700 "$XDG"
	chown "$RL_UID:$RL_GID" "$XDG"
	STATE_DIR=$XDG/$(basename "$HUSK")
	# teardown_common force-deletes (as root) what is left there
	HUSK_ROOT=$STATE_DIR
	HUSK_GLOBAL=(--root "$HUSK_ROOT")
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	CONFIG=$BUNDLE/config.json
	mkdir -p "$BUNDLE"
	cp -a "$(rootfs_cache)" "$BUNDLE/rootfs"
	chown -R "$RL_UID:$RL_GID" "$BUNDLE"
	as_user "$HUSK" spec --rootless --bundle "$BUNDLE"
	# No linux.cgroupsPath: where no cgroup is delegated, the container
	# goes without (runc's rule); the default paths are registered.
	register_cgroup "/husk/$ID"
	register_cgroup "/$ID"
	cfg process.terminal=false 'process.args=["sh"]' root.readonly=false
	cd "$BUNDLE"
}

teardown() {
	teardown_common
}

# The container: sleeps with its id in its command line (for teardown).
sleeper_cmd() {
	set_cmd "touch /started; sleep 1000; : $ID"
}

# assert_gone ID: no state dir, no cgroup, no process for ID.
assert_gone() {
	[ ! -e "$STATE_DIR/$1" ] || { echo "state dir $STATE_DIR/$1 left" >&2; return 1; }
	[ -z "$(cgroup_dirs "/husk/$1")$(cgroup_dirs "/$1")" ] || { echo "cgroup left: $(cgroup_dirs "/husk/$1") $(cgroup_dirs "/$1")" >&2; return 1; }
	! pgrep -f -- "$1" >/dev/null || { echo "process left: $(pgrep -af -- "$1")" >&2; return 1; }
	run uhusk state "$1"
	[ "$status" -ne 0 ] || { echo "state $1 still answers" >&2; return 1; }
}

@test "rootless: spec --rootless + run: root inside, the user's ids in the map" {
	set_cmd 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map'
	run uhusk run "$ID"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	assert_eq "${lines[0]}" 0 "uid inside"
	assert_eq "${lines[1]}" 0 "gid inside"
	assert_match "${lines[2]}" "^ +0 +$RL_UID +1\$"
	assert_match "${lines[3]}" "^ +0 +$RL_GID +1\$"
	assert_gone "$ID"
}

@test "rootless: create, start, state, exec, ps, list, kill, delete as the user; state in \$XDG_RUNTIME_DIR" {
	sleeper_cmd
	u_detached "$ID" create --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "create: $output" >&2; return 1; }
	assert_eq "$(u_state "$ID" status)" created
	[ -d "$STATE_DIR/$ID" ]
	assert_eq "$(stat -c %u "$STATE_DIR/$ID")" "$RL_UID" "owner of the state dir"
	if is_husk; then
		assert_eq "$(json_get "$STATE_DIR/$ID/state.json" '["husk.rootless"]')" true
		# no cgroup: the state names none
		[ -z "$(json_get "$STATE_DIR/$ID/state.json" '["husk.cgroupPath"]')" ]
	fi
	# sticky: XDG_RUNTIME_DIR's clean-up spares it
	assert_eq "$(stat -c '%a %u' "$STATE_DIR")" "1700 $RL_UID" "mode of the state root"
	run uhusk start "$ID"
	[ "$status" -eq 0 ] || { echo "start: $output" >&2; return 1; }
	wait_file "$BUNDLE/rootfs/started"
	assert_eq "$(u_state "$ID" status)" running
	pid=$(u_state "$ID" pid)
	track_pid "$pid"
	# seen from the host, the container's root is the user
	assert_match "$(grep '^Uid:' "/proc/$pid/status")" "^Uid:[[:space:]]+$RL_UID[[:space:]]+$RL_UID[[:space:]]+$RL_UID[[:space:]]+$RL_UID\$"
	assert_match "$(grep '^Gid:' "/proc/$pid/status")" "^Gid:[[:space:]]+$RL_GID[[:space:]]"
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	# no cgroup was delegated here: none was made
	[ -z "$(cgroup_dirs "/husk/$ID")$(cgroup_dirs "/$ID")" ]

	run uhusk exec "$ID" sh -c 'id -u; readlink /proc/self/ns/user'
	[ "$status" -eq 0 ] || { echo "exec: $output" >&2; return 1; }
	assert_eq "${lines[0]}" 0 "uid of the exec'd process"
	assert_eq "${lines[1]}" "$(readlink "/proc/$pid/ns/user")" "exec joins the user namespace"

	run uhusk list -q
	assert_eq "$output" "$ID"
	# runc 1.1.5 has no ps without a cgroup; husk lists the pid namespace
	if is_husk; then
		run uhusk ps "$ID"
		[ "$status" -eq 0 ] || { echo "ps: $output" >&2; return 1; }
		assert_match "$output" "[[:space:]]$pid[[:space:]]"
	fi

	# what needs a cgroup says so, and leaves the container as it was
	local cmds=(pause "update --pids-limit 10")
	# (runc 1.1.5 prints empty statistics instead)
	is_husk && cmds+=("events --stats")
	for cmd in "${cmds[@]}"; do
		run uhusk $cmd "$ID"
		[ "$status" -ne 0 ] || { echo "$cmd succeeded without a cgroup" >&2; return 1; }
		is_husk && assert_match "$output" "no cgroup \(rootless, none delegated\)"
	done
	assert_eq "$(u_state "$ID" status)" running

	run uhusk kill "$ID" KILL
	[ "$status" -eq 0 ] || { echo "kill: $output" >&2; return 1; }
	wait_for_status_u "$ID" stopped
	run uhusk delete "$ID"
	[ "$status" -eq 0 ] || { echo "delete: $output" >&2; return 1; }
	assert_gone "$ID"
	run uhusk list -q
	assert_eq "$output" ""
}

@test "rootless: kill --all reaches every process of a container without a cgroup" {
	is_husk || skip "runc 1.1.5 has no kill --all without a cgroup"
	# pid 1 of a pid namespace ignores SIGTERM without a handler; its child
	# does not: only --all ends the container.
	set_cmd "touch /started; sleep 1000 & wait; : $ID"
	u_detached "$ID" run --detach --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "run: $output" >&2; return 1; }
	wait_file "$BUNDLE/rootfs/started"
	track_pid "$(u_state "$ID" pid)"
	run uhusk kill "$ID" TERM
	[ "$status" -eq 0 ]
	sleep 0.3
	assert_eq "$(u_state "$ID" status)" running "after a TERM to the init alone"
	run uhusk kill --all "$ID" TERM
	[ "$status" -eq 0 ] || { echo "kill --all: $output" >&2; return 1; }
	wait_for_status_u "$ID" stopped
	run uhusk delete "$ID"
	[ "$status" -eq 0 ]
	assert_gone "$ID"
}

@test "rootless: a second container joins the first's user and network namespaces (a pod)" {
	sleeper_cmd
	cfg ns:network
	u_detached "$ID" run --detach --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "run: $output" >&2; return 1; }
	wait_file "$BUNDLE/rootfs/started"
	pid=$(u_state "$ID" pid)
	track_pid "$pid"
	local id2 b2=$BATS_TEST_TMPDIR/b2
	id2=$(new_id)
	register_cgroup "/husk/$id2"
	register_cgroup "/$id2"
	mkdir "$b2"
	cp -a "$BUNDLE/rootfs" "$b2/rootfs"
	# the maps stay, as engines pass them (runc 1.1.5 wants them)
	cfg_file "$CONFIG" "ns:user=/proc/$pid/ns/user" "ns:network=/proc/$pid/ns/net"
	mv "$CONFIG" "$b2/config.json"
	chown -R "$RL_UID:$RL_GID" "$b2"
	CONFIG=$b2/config.json
	set_cmd "id -u; readlink /proc/self/ns/user; readlink /proc/self/ns/net; : $id2"
	run uhusk run --bundle "$b2" "$id2"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	assert_eq "${lines[0]}" 0
	assert_eq "${lines[1]}" "$(readlink "/proc/$pid/ns/user")"
	assert_eq "${lines[2]}" "$(readlink "/proc/$pid/ns/net")"
	assert_gone "$id2"
	run uhusk delete --force "$ID"
	[ "$status" -eq 0 ]
	assert_gone "$ID"
}

@test "rootless: a terminal through --console-socket" {
	local sock=$BATS_TEST_TMPDIR/tty.sock
	cfg process.terminal=true
	set_cmd "tty; id -u; : $ID"
	start_recvtty "$sock" "$BATS_TEST_TMPDIR/tty.out"
	chown "$RL_UID:$RL_GID" "$sock"
	u_detached "$ID" run --detach --console-socket "$sock" "$ID"
	[ "$status" -eq 0 ] || { echo "run: $output" >&2; return 1; }
	wait_recvtty
	wait_for_status_u "$ID" stopped
	output=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
	mapfile -t lines <<<"$output"
	assert_match "${lines[0]}" '^/dev/pts/[0-9]+$' tty
	assert_eq "${lines[1]}" 0
	run uhusk delete "$ID"
	[ "$status" -eq 0 ]
	assert_gone "$ID"
}

@test "rootless: process.oomScoreAdj above the user's is set" {
	local adj=$(($(cat /proc/self/oom_score_adj) + 100))
	cfg "process.oomScoreAdj=$adj"
	set_cmd 'cat /proc/self/oom_score_adj'
	run uhusk run "$ID"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	assert_eq "$output" "$adj"
	assert_gone "$ID"
}

@test "rootless: a subuid range through newuidmap and newgidmap" {
	command -v newuidmap >/dev/null || skip "newuidmap missing (package uidmap)"
	local b=$((SUBID_BASE + 1))
	cfg "linux.uidMappings=[{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $b, \"size\": 1000}]" \
		"linux.gidMappings=[{\"containerID\": 0, \"hostID\": $RL_GID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $b, \"size\": 1000}]" \
		'process.user={"uid": 1, "gid": 1}' \
		"mounts+={\"destination\": \"/vol\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/vol\", \"options\": [\"rbind\"]}"
	mkdir -m 1777 "$BATS_TEST_TMPDIR/vol"
	set_cmd 'id -u; touch /vol/f; cat /proc/self/uid_map'
	run uhusk run "$ID"
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	assert_eq "${lines[0]}" 1
	assert_eq "$(stat -c '%u %g' "$BATS_TEST_TMPDIR/vol/f")" "$b $b" "owner of the file on the host"
	assert_match "$output" "1 +$b +1000"
	assert_gone "$ID"
}

@test "rootless: a host range /etc/subuid or /etc/subgid does not grant: clear error, nothing left" {
	local out=$((SUBID_BASE + SUBID_COUNT))
	cfg "linux.uidMappings=[{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $out, \"size\": 10}]"
	set_cmd "true $ID"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "linux\.uidMappings\[1\]: host ids $out-$((out + 9)) are not granted to $RL_USER .*/etc/subuid"
	assert_gone "$ID"
	cfg "linux.uidMappings=[{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}]" \
		"linux.gidMappings=[{\"containerID\": 0, \"hostID\": $RL_GID, \"size\": 1}, {\"containerID\": 1, \"hostID\": 1, \"size\": 1}]"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "linux\.gidMappings\[1\]: host ids 1-1 are not granted .*/etc/subgid"
	assert_gone "$ID"
}

@test "rootless: without newuidmap on PATH, a granted range fails clearly and leaves nothing" {
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	chmod 755 "$bin"
	cfg "linux.uidMappings=[{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $SUBID_BASE, \"size\": 10}]"
	set_cmd "true $ID"
	run as_user env PATH="$bin" "$HUSK" run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "linux\.uidMappings: mapping more than the user's own id needs newuidmap \(package uidmap\)"
	assert_gone "$ID"
}

@test "rootless: linux.resources without a delegated cgroup: clear error, nothing left" {
	cfg 'linux.resources={"pids": {"limit": 10}}'
	set_cmd "true $ID"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "linux\.resources\.pids: a rootless container gets limits only in a cgroup delegated to its user"
	assert_gone "$ID"
}

# delegate PATH: make cgroup PATH in every hierarchy and hand it to the user
# (the directory and the files a delegatee writes, as systemd's Delegate=),
# with a leaf PATH/runtime for the runtime itself: on cgroup v2 a process
# may move only below a cgroup whose cgroup.procs its mover can write.
delegate() {
	local m d f
	register_cgroup "$1"
	for m in $(cgroup_mounts); do
		for d in "$m$1" "$m$1/runtime"; do
			mkdir "$d"
			for f in cpuset.cpus cpuset.mems; do
				# v1 starts a cpuset cgroup empty; v2 inherits (its root
				# has no such file, once a test enabled cpuset there)
				[ -e "$d/$f" ] && [ -e "$(dirname "$d")/$f" ] && cat "$(dirname "$d")/$f" >"$d/$f"
			done
			for f in . cgroup.procs tasks cgroup.subtree_control cgroup.threads; do
				[ -e "$d/$f" ] && chown "$RL_UID:$RL_GID" "$d/$f"
			done
		done
	done
	return 0
}

# from_delegated PATH CMD...: CMD as the user, started in PATH/runtime.
from_delegated() {
	local d=$1 m
	shift
	(
		for m in $(cgroup_mounts); do
			echo "$BASHPID" >"$m$d/runtime/cgroup.procs"
		done
		exec setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups \
			env HOME=/ USER="$RL_USER" XDG_RUNTIME_DIR="$XDG" "$@" 3>&-
	)
}

# undelegate PATH: remove what delegate made (the container's is gone).
undelegate() {
	local m
	for m in $(cgroup_mounts); do
		rmdir "$m$1/runtime" "$m$1"
	done
}

@test "rootless: a delegated cgroup is used, with linux.resources" {
	local D=/husk-deleg-$ID m enabled=
	delegate "$D"
	# pure cgroup v2: the pids controller must reach the delegated cgroup
	if ! cgroup_v1 && ! grep -qw pids /sys/fs/cgroup/cgroup.subtree_control; then
		echo +pids >/sys/fs/cgroup/cgroup.subtree_control
		enabled=1
	fi
	cfg "linux.cgroupsPath=$D/ctr" 'linux.resources={"pids": {"limit": 42}}'
	sleeper_cmd
	from_delegated "$D" "$HUSK" run --detach "$ID" </dev/null >"$BATS_TEST_TMPDIR/run.out" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/run.out" >&2; false; }
	wait_file "$BUNDLE/rootfs/started"
	pid=$(u_state "$ID" pid)
	track_pid "$pid"
	assert_eq "$(cat "$(cgroup_main_dir "$D/ctr")/pids.max")" 42
	grep -qx "$pid" "$(cgroup_main_dir "$D/ctr")/cgroup.procs"
	run from_delegated "$D" "$HUSK" exec "$ID" cat /proc/self/cgroup
	[ "$status" -eq 0 ] || { echo "exec: $output" >&2; return 1; }
	assert_match "$output" "pids:$D/ctr|0::$D/ctr"
	run uhusk delete --force "$ID"
	[ "$status" -eq 0 ] || { echo "delete: $output" >&2; return 1; }
	assert_gone "$ID"
	[ -z "$(cgroup_dirs "$D/ctr")" ]
	undelegate "$D"
	[ -z "$enabled" ] || echo -pids >/sys/fs/cgroup/cgroup.subtree_control
}

@test "rootless: a linux.cgroupsPath not delegated to the user: clear error, nothing left" {
	register_cgroup "/husk-test-$ID"
	cfg "linux.cgroupsPath=/husk-test-$ID"
	set_cmd "true $ID"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "linux\.cgroupsPath: a rootless container gets a cgroup only where one is delegated to its user: create cgroup .*/husk-test-$ID: Permission denied"
	assert_gone "$ID"
	[ -z "$(cgroup_dirs "/husk-test-$ID")" ]
}

@test "rootless: what a rootless container cannot have fails naming it, and leaves nothing" {
	local hard
	hard=$(as_user sh -c 'ulimit -Hn')
	set_cmd "true $ID"
	cp "$CONFIG" "$BATS_TEST_TMPDIR/config.orig"

	# a hard limit above the user's
	cfg "process.rlimits=[{\"type\": \"RLIMIT_NOFILE\", \"hard\": $((hard + 1)), \"soft\": 1024}]"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" "process\.rlimits\[0\] \(RLIMIT_NOFILE\): hard limit $((hard + 1)) is above the runtime's $hard"
	assert_gone "$ID"

	# an oom score below the user's
	cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
	cfg "process.oomScoreAdj=$(($(cat /proc/self/oom_score_adj) - 1))"
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" 'process\.oomScoreAdj -?[0-9]+: a rootless container cannot lower it'
	assert_gone "$ID"

	# no user namespace
	cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
	cfg -ns:user -linux.uidMappings -linux.gidMappings
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" 'linux\.namespaces: a rootless container needs a user namespace'
	assert_gone "$ID"

	# a group the user namespace does not map (runc's default devpts gid=5)
	cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
	cfg 'mounts[2].options+="gid=5"'
	run uhusk run "$ID"
	[ "$status" -ne 0 ]
	is_husk && assert_match "$output" 'mounts\[2\]\.options\[[0-9]+\]: gid=5 is not mapped by linux\.gidMappings'
	assert_gone "$ID"

	if is_husk; then
		# an idmapped mount (runc 1.1 has none)
		cp "$BATS_TEST_TMPDIR/config.orig" "$CONFIG"
		mkdir -p "$BATS_TEST_TMPDIR/vol"
		cfg "mounts+={\"destination\": \"/vol\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/vol\", \"options\": [\"rbind\"], \"uidMappings\": [{\"containerID\": 0, \"hostID\": $RL_UID, \"size\": 1}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": $RL_GID, \"size\": 1}]}"
		run uhusk run "$ID"
		[ "$status" -ne 0 ]
		assert_match "$output" 'mounts\[[0-9]+\]\.uidMappings: a rootless container cannot have idmapped mounts'
		assert_gone "$ID"
	fi
}

@test "rootless: the state root: \$XDG_RUNTIME_DIR/husk, an error when it is unset or not the user's, --root wins" {
	set_cmd "true $ID"
	# runc falls back to /run/runc here; husk says what is wrong
	if is_husk; then
		run as_user env -u XDG_RUNTIME_DIR "$HUSK" run "$ID"
		[ "$status" -ne 0 ]
		assert_match "$output" 'XDG_RUNTIME_DIR is not set: uid [0-9]+ keeps its state in \$XDG_RUNTIME_DIR/husk; set it or pass --root'
		run as_user env XDG_RUNTIME_DIR=/tmp "$HUSK" run "$ID"
		[ "$status" -ne 0 ]
		assert_match "$output" 'XDG_RUNTIME_DIR /tmp belongs to uid 0, not to uid [0-9]+'
		assert_gone "$ID"
	fi
	# --root wins, with or without XDG_RUNTIME_DIR
	local r=$BATS_TEST_TMPDIR/own-root
	mkdir -m 700 "$r"
	chown "$RL_UID:$RL_GID" "$r"
	HUSK_ROOT=$r
	sleeper_cmd
	as_user env -u XDG_RUNTIME_DIR "$HUSK" --root "$r" run --detach "$ID" \
		</dev/null >"$BATS_TEST_TMPDIR/run.out" 2>&1 ||
		{ cat "$BATS_TEST_TMPDIR/run.out" >&2; return 1; }
	[ -d "$r/$ID" ]
	[ ! -e "$STATE_DIR/$ID" ]
	run as_user env -u XDG_RUNTIME_DIR "$HUSK" --root "$r" delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -e "$r/$ID" ]
}
