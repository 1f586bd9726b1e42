#!/usr/bin/env bats
# Linux security modules: process.apparmorProfile, process.selinuxLabel,
# linux.mountLabel and exec's --apparmor / --process-label.
#
# A profile or label whose LSM is off is refused before anything exists,
# naming where it came from.  Where AppArmor is on, a container (and an
# exec'd process) runs confined by the profile asked for: the profile is
# its current one, in enforce mode, and its deny rule bites.
#
# The test machine runs neither LSM, so the AppArmor tests skip there;
# CI runs this file under ../shared/tools/vm-run, whose kernel has
# AppArmor (and where the AppArmor refusals skip in turn).  No machine
# runs SELinux: its refusals run everywhere, and linux.mountLabel's mount
# option is checked by tests/unit/test-mount-label.
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
	PROFILE=
}

teardown() {
	local st=0
	teardown_common || st=$?
	# After the containers are gone: nothing runs under the profile.
	if [ -n "$PROFILE" ]; then
		aa_parser -K -R "$BATS_TEST_TMPDIR/profile" ||
			{ echo "teardown: cannot remove profile $PROFILE" >&2; st=1; }
	fi
	return $st
}

apparmor_on() {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]
}

selinux_on() {
	[ -e /sys/fs/selinux/enforce ]
}

require_apparmor() {
	apparmor_on || skip "AppArmor is not enabled on this machine (CI runs this file under vm-run)"
	command -v apparmor_parser >/dev/null ||
		{ echo "apparmor_parser is missing: contrib/install-deps installs it" >&2; return 1; }
}

# aa_parser ARG...: apparmor_parser, which needs securityfs; where the
# machine has not mounted it (the vm-run VM), it is mounted in a private
# mount namespace that goes away with the parser.
aa_parser() {
	if [ -d /sys/kernel/security/apparmor ]; then
		apparmor_parser "$@"
	else
		unshare -m sh -c 'mount -t securityfs securityfs /sys/kernel/security && exec apparmor_parser "$@"' sh "$@"
	fi
}

# load_profile: a profile named after the test's container id that allows
# everything but writing below /deny-me, loaded in enforce mode ($PROFILE).
load_profile() {
	local name=husk-test-$ID
	cat >"$BATS_TEST_TMPDIR/profile" <<-EOF
		profile $name flags=(attach_disconnected,mediate_deleted) {
		  file,
		  capability,
		  network,
		  signal,
		  unix,
		  ptrace,
		  deny /deny-me/** w,
		}
	EOF
	aa_parser -K -r "$BATS_TEST_TMPDIR/profile"
	PROFILE=$name
	mkdir -p "$BUNDLE/rootfs/deny-me" "$BUNDLE/rootfs/allow-me"
}

# What the container's process reports: its AppArmor label, then whether
# each write worked.
PROBE='f=/proc/self/attr/apparmor/current; [ -e $f ] || f=/proc/self/attr/current
read -r label <$f; echo "label=$label"
echo x 2>/dev/null >/deny-me/f && echo deny-me=written || echo deny-me=refused
echo x 2>/dev/null >/allow-me/f && echo allow-me=written || echo allow-me=refused'

# A running container whose command line holds its id (for teardown).
start_sleeper() {
	set_cmd "touch /started; sleep 1000; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
}

# exec_refused FLAG VALUE MESSAGE: exec with FLAG fails with MESSAGE and
# runs nothing.
exec_refused() {
	start_sleeper
	run_husk exec "$1" "$2" "$ID" sh -c "touch /exec-ran; sleep 1000; : exec-$ID"
	[ "$status" -ne 0 ] || { echo "exec succeeded" >&2; return 1; }
	assert_match "$output" ": $3\$" "error"
	[ "$(wc -l <<<"$output")" = 1 ] || { echo "not one line: $output" >&2; return 1; }
	[ ! -e "$BUNDLE/rootfs/exec-ran" ] || { echo "the process ran" >&2; return 1; }
	! pgrep -f -- "exec-$ID" >/dev/null || { echo "process left: $(pgrep -af -- "exec-$ID")" >&2; return 1; }
	assert_eq "$(container_status "$ID")" running "status"
}

# create_refused MESSAGE: create fails with MESSAGE, leaves nothing.
create_refused() {
	set_cmd "touch /started; sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ] || { echo "create succeeded" >&2; return 1; }
	assert_match "$output" ": $1\$" "error"
	[ "$(wc -l <<<"$output")" = 1 ] || { echo "not one line: $output" >&2; return 1; }
	[ ! -e "$BUNDLE/rootfs/started" ] || { echo "the process ran" >&2; return 1; }
	assert_no_trace "$ID"
}

# --- refusals: the LSM is off ---------------------------------------------------

@test "lsm: process.apparmorProfile without AppArmor is refused, nothing left" {
	! apparmor_on || skip "AppArmor is enabled on this machine (the refusal runs where it is off)"
	cfg process.apparmorProfile=husk-test-none
	create_refused "config.json: process.apparmorProfile: AppArmor is not enabled on this host"
}

@test "lsm: process.selinuxLabel without SELinux is refused, nothing left" {
	! selinux_on || skip "SELinux is enabled on this machine (the refusal runs where it is off)"
	cfg process.selinuxLabel=system_u:system_r:container_t:s0:c1,c2
	create_refused "config.json: process.selinuxLabel: SELinux is not enabled on this host"
}

@test "lsm: linux.mountLabel without SELinux is refused, nothing left" {
	! selinux_on || skip "SELinux is enabled on this machine (the refusal runs where it is off)"
	cfg linux.mountLabel=system_u:object_r:container_file_t:s0:c1,c2
	create_refused "config.json: linux.mountLabel: SELinux is not enabled on this host"
}

@test "lsm: run refuses too, before anything exists" {
	! selinux_on || skip "SELinux is enabled on this machine (the refusal runs where it is off)"
	cfg linux.mountLabel=system_u:object_r:container_file_t:s0:c1,c2
	set_cmd "touch /started; : $ID"
	run_husk run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	assert_match "$output" ": config.json: linux.mountLabel: SELinux is not enabled on this host\$" "error"
	[ ! -e "$BUNDLE/rootfs/started" ]
	assert_no_trace "$ID"
}

@test "lsm: exec --apparmor without AppArmor is refused, nothing runs" {
	! apparmor_on || skip "AppArmor is enabled on this machine (the refusal runs where it is off)"
	exec_refused --apparmor husk-test-none "--apparmor: AppArmor is not enabled on this host"
}

@test "lsm: exec --process-label without SELinux is refused, nothing runs" {
	! selinux_on || skip "SELinux is enabled on this machine (the refusal runs where it is off)"
	exec_refused --process-label system_u:system_r:container_t:s0 \
		"--process-label: SELinux is not enabled on this host"
}

# --- AppArmor on ------------------------------------------------------------------

@test "lsm: without apparmorProfile the process is unconfined" {
	require_apparmor
	set_cmd "$PROBE"
	mkdir -p "$BUNDLE/rootfs/deny-me" "$BUNDLE/rootfs/allow-me"
	run_husk -0 run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" "label=unconfined
deny-me=written
allow-me=written"
}

@test "lsm: process.apparmorProfile confines the process (enforce, deny rule bites)" {
	require_apparmor
	load_profile
	cfg "process.apparmorProfile=$PROFILE"
	set_cmd "$PROBE"
	run_husk -0 run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" "label=$PROFILE (enforce)
deny-me=refused
allow-me=written"
	[ ! -e "$BUNDLE/rootfs/deny-me/f" ]
}

@test "lsm: process.apparmorProfile naming no loaded profile fails the start" {
	require_apparmor
	cfg "process.apparmorProfile=husk-test-unloaded-$ID"
	set_cmd "touch /started; : $ID"
	run_husk run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	# the kernel's answer to an unknown profile (runc's words differ)
	assert_match "$output" "apparmor.*[Nn]o such file or directory" "error"
	[ ! -e "$BUNDLE/rootfs/started" ]
	assert_no_trace "$ID"
}

@test "lsm: exec --apparmor confines the exec'd process only" {
	require_apparmor
	load_profile
	start_sleeper
	run_husk -0 exec --apparmor "$PROFILE" "$ID" sh -c "$PROBE"
	assert_eq "$output" "label=$PROFILE (enforce)
deny-me=refused
allow-me=written"
	run_husk -0 exec "$ID" sh -c "$PROBE"
	assert_eq "$output" "label=unconfined
deny-me=written
allow-me=written"
}

@test "lsm: process.apparmorProfile and exec --apparmor in a user namespace" {
	require_apparmor
	load_profile
	userns_bundle
	cfg "process.apparmorProfile=$PROFILE"
	start_sleeper
	run_husk -0 exec "$ID" sh -c "$PROBE"
	assert_eq "$output" "label=$PROFILE (enforce)
deny-me=refused
allow-me=written"
	run_husk -0 exec --apparmor "$PROFILE" "$ID" sh -c "$PROBE"
	assert_eq "$output" "label=$PROFILE (enforce)
deny-me=refused
allow-me=written"
	# the init itself
	pid=$(container_pid "$ID")
	assert_eq "$(cat "/proc/$pid/attr/current")" "$PROFILE (enforce)" "the init's label"
}

# features.md: "enabled" says the runtime supports the LSM, whatever the host.
@test "lsm: features reports AppArmor and SELinux support" {
	run_husk -0 features
	assert_eq "$(json_get - linux.apparmor.enabled <<<"$output")" true apparmor
	assert_eq "$(json_get - linux.selinux.enabled <<<"$output")" true selinux
}

# The attribute is written through the runtime's own procfs (lsm.c): a
# rootfs without a proc mount whose /proc/self and /proc/thread-self lead
# to plain files must not swallow the profile (CVE-2019-16884 class).
# runc 1.1.5 refuses to start this container ("/proc/self/attr/apparmor/exec
# is not on procfs"): safe too, but husk does not depend on the
# container's /proc at all.
@test "lsm: a rootfs faking /proc cannot swallow the AppArmor profile" {
	require_apparmor
	load_profile
	"$PYTHON" - "$CONFIG" <<-'PY'
		import json, sys
		c = json.load(open(sys.argv[1]))
		c["mounts"] = [m for m in c["mounts"] if m["destination"] != "/proc"]
		c["linux"].pop("maskedPaths", None)
		c["linux"].pop("readonlyPaths", None)
		json.dump(c, open(sys.argv[1], "w"))
	PY
	local r=$BUNDLE/rootfs
	mkdir -p "$r/fakeproc/attr/apparmor"
	: >"$r/fakeproc/attr/apparmor/exec"
	: >"$r/fakeproc/attr/exec"
	ln -s /fakeproc "$r/proc/self"
	ln -s /fakeproc "$r/proc/thread-self"
	cfg "process.apparmorProfile=$PROFILE"
	set_cmd "echo x 2>/dev/null >/deny-me/f && echo written >/init-result || echo refused >/init-result; sleep 1000; : $ID"
	run_detached_ok "$ID"
	wait_file_content "$r/init-result"
	assert_eq "$(cat "$r/init-result")" refused "the init's denied write"
	pid=$(container_pid "$ID")
	assert_eq "$(cat "/proc/$pid/attr/current")" "$PROFILE (enforce)" "the init's label"
	husk exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" --apparmor "$PROFILE" "$ID" \
		sh -c "sleep 1000; : exec-$ID" </dev/null >/dev/null 2>&1
	epid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	track_pid "$epid"
	assert_eq "$(cat "/proc/$epid/attr/current")" "$PROFILE (enforce)" "the exec'd process's label"
	assert_eq "$(cat "$r/fakeproc/attr/apparmor/exec" "$r/fakeproc/attr/exec")" "" "the fake files"
}
