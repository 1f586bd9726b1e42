#!/usr/bin/env bats
# The systemd cgroup driver as not root: the container is a scope of the
# calling user's own manager (its bus at $XDG_RUNTIME_DIR/bus), in
# user.slice under the manager's cgroup, as runc does it.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# NOT YET IN BATS_TESTS: it passes with runc (RUNTIME=/usr/sbin/runc under
# vm-run --systemd) but husk cannot yet run a rootless container at all
# (as an unprivileged user it writes gid_map without denying setgroups
# first: "linux.gidMappings: open /proc/PID/gid_map: Permission denied").
# Add it to tests/Makefile.inc once rootless containers work.
#
# Needs systemd as PID 1 with D-Bus: `vm-run --systemd -- bats
# tests/systemd-user.bats`.

: "${BATS_TEST_TIMEOUT:=600}"

load helpers

setup() {
	[ -d /run/systemd/system ] && command -v systemctl >/dev/null ||
		skip "this machine has no systemd as PID 1 (run this file under vm-run --systemd)"
	setup_common
	UNIT=husk-test-$ID.scope
}

teardown() {
	local rc=0 u
	teardown_common || rc=$?
	# the user managers the test started (and with them their units)
	if [ -f "$BATS_TEST_TMPDIR/.user-managers" ]; then
		while read -r u; do
			systemctl stop "$u" 2>/dev/null
		done <"$BATS_TEST_TMPDIR/.user-managers"
	fi
	return "$rc"
}



# rootless_setup: the manager of user nobody (started for the test, its
# bus at /run/user/UID/bus), a rootless bundle and a state root it owns;
# husk_user runs the runtime as that user.
rootless_setup() {
	USER_UID=$(id -u nobody)
	command -v setpriv >/dev/null || skip "no setpriv(1) on this machine"
	systemctl start "user@$USER_UID.service" ||
		skip "this machine cannot start a user manager for nobody"
	echo "user@$USER_UID.service" >>"$BATS_TEST_TMPDIR/.user-managers"
	wait_file "/run/user/$USER_UID/bus" || { echo "no user bus"; false; }
	local b=$BATS_TEST_TMPDIR/rbundle d
	mkdir -p "$b"
	cp -a "$(rootfs_cache)" "$b/rootfs"
	"$HUSK" spec --rootless --bundle "$b"
	CONFIG=$b/config.json
	BUNDLE=$b
	# spec --rootless maps the uid that ran it (root here) to the user's
	cfg process.terminal=false root.path=rootfs root.readonly=true \
		"linux.cgroupsPath=user.slice:husk-test:$ID" \
		"linux.uidMappings=[{\"containerID\": 0, \"hostID\": $USER_UID, \"size\": 1}]" \
		"linux.gidMappings=[{\"containerID\": 0, \"hostID\": $USER_UID, \"size\": 1}]"
	chown -R "$USER_UID" "$HUSK_ROOT"
	d=$BATS_TEST_TMPDIR
	while [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	USER_CG=/user.slice/user-$USER_UID.slice/user@$USER_UID.service/user.slice/$UNIT
	register_cgroup "$USER_CG"
}

husk_user() {
	setpriv --reuid="$USER_UID" --regid="$USER_UID" --clear-groups \
		env XDG_RUNTIME_DIR="/run/user/$USER_UID" \
		"$HUSK" --root "$HUSK_ROOT" --systemd-cgroup "$@" 3>&-
}

systemctl_user() {
	setpriv --reuid="$USER_UID" --regid="$USER_UID" --clear-groups \
		env XDG_RUNTIME_DIR="/run/user/$USER_UID" systemctl --user "$@"
}

@test "systemd (user manager): a non-root user's container is a delegated scope of its own manager" {
	rootless_setup
	set_cmd "sleep 1000; : $ID"
	husk_user run --detach --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1 ||
		{ echo "run failed: $(cat "$BATS_TEST_TMPDIR/out")"; false; }
	pid=$(husk_user state "$ID" | json_get - pid)
	track_pid "$pid"
	assert_eq "$(systemctl_user show -p ActiveState --value "$UNIT")" active "ActiveState"
	assert_eq "$(systemctl_user show -p Delegate --value "$UNIT")" yes "Delegate"
	assert_eq "$(systemctl_user show -p ControlGroup --value "$UNIT")" "$USER_CG" "ControlGroup"
	grep -qx "$pid" "/sys/fs/cgroup$USER_CG/cgroup.procs" ||
		{ echo "init $pid in $(cat "/proc/$pid/cgroup"), not $USER_CG"; false; }
	husk_user kill "$ID" KILL
	retry 200 0.05 eval '[ "$(husk_user state "$ID" | json_get - status)" = stopped ]'
	husk_user delete "$ID"
	[ ! -d "/sys/fs/cgroup$USER_CG" ] || { echo "cgroup $USER_CG left"; false; }
	retry 100 0.1 eval '[ "$(systemctl_user show -p LoadState --value "$UNIT")" = not-found ]'
}
