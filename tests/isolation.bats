#!/usr/bin/env bats
# What the container sees, asserted from inside (busybox sh): namespaces,
# user namespace maps, time offsets, hostname, the root filesystem and its
# mounts, /dev, masked and read-only paths, sysctls, the process attributes
# (args, env, cwd, user, rlimits, oom score, capabilities, no_new_privs, io
# priority, scheduler, personality, cpu affinity), terminal and stdio, fds,
# hooks, cgroups.
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
}

teardown() {
	# a runtime that let a mount escape the rootfs made this on the host
	rmdir "/husk-escape-$ID" 2>/dev/null || true
	teardown_common
}

# ctr_sh 'command': run `sh -c command` in the container (foreground `run`),
# which must succeed; its stdout in $output/$lines, stderr in $stderr.
ctr_sh() {
	set_cmd "$1"
	run_husk --separate-stderr run --bundle "$BUNDLE" "$ID"
	if [ "$status" -ne 0 ]; then
		echo "run failed with $status: stdout: $output stderr: $stderr" >&2
		return 1
	fi
}

# The container prints its mount table with this; mnt_* read it from $output.
MOUNTS_CMD='cat /proc/self/mountinfo'

mnt_line() {
	awk -v m="$1" '$5 == m' <<<"$output"
}

# per-mount options (field 6) of MOUNTPOINT
mnt_opts() {
	mnt_line "$1" | awk '{ print $6 }'
}

# filesystem type and super options of MOUNTPOINT (after the " - ")
mnt_fs() {
	mnt_line "$1" | sed 's/.* - //'
}

has_opt() {
	[[ ",$1," == *",$2,"* ]] || { echo "option '$2' not in '$1'" >&2; return 1; }
}

# holder NS...: a process holding new namespaces (unshare flags), for tests
# that join namespaces by path; its pid in $HOLDER.
start_holder() {
	unshare "$@" sleep 1000 3>&- &
	HOLDER=$!
	track_pid "$HOLDER"
	retry 100 0.05 test "$(readlink "/proc/$HOLDER/exe")" = "$(readlink -f "$(command -v sleep)")"
}

# --- namespaces ---------------------------------------------------------------------

NS_CMD='for n in pid net ipc uts mnt cgroup user time; do echo "$n $(readlink /proc/self/ns/$n)"; done'

ns_inside() {
	awk -v n="$1" '$1 == n { print $2 }' <<<"$output"
}

@test "namespaces: pid, net, ipc, uts, mnt and cgroup are new when asked" {
	cfg ns:cgroup
	ctr_sh "$NS_CMD"
	for n in pid net ipc uts mnt cgroup; do
		[ -n "$(ns_inside $n)" ]
		[ "$(ns_inside $n)" != "$(host_ns $n)" ] || { echo "$n is the host's"; false; }
	done
	for n in user time; do
		assert_eq "$(ns_inside $n)" "$(host_ns $n)" "$n namespace"
	done
}

# runc brings up the loopback of a new network namespace (the kernel makes
# it down): flags 0x9, IFF_UP | IFF_LOOPBACK.
@test "namespaces: a new network namespace has its loopback up" {
	ctr_sh 'cat /sys/class/net/lo/flags; cat /sys/class/net/lo/operstate'
	[ $(( $(head -n1 <<<"$output") & 1 )) -eq 1 ] || { echo "lo flags: $output"; false; }
}

@test "namespaces: the ones not asked for are the host's" {
	cfg -hostname -ns:pid -ns:network -ns:ipc -ns:uts -ns:cgroup -ns:user -ns:time
	ctr_sh "$NS_CMD"
	[ "$(ns_inside mnt)" != "$(host_ns mnt)" ]
	for n in pid net ipc uts cgroup user time; do
		assert_eq "$(ns_inside $n)" "$(host_ns $n)" "$n namespace"
	done
}

@test "namespaces: joined by path" {
	start_holder --net --ipc --uts
	cfg -hostname "ns:network=/proc/$HOLDER/ns/net" "ns:ipc=/proc/$HOLDER/ns/ipc" "ns:uts=/proc/$HOLDER/ns/uts"
	ctr_sh "$NS_CMD"
	for n in net ipc uts; do
		assert_eq "$(ns_inside $n)" "$(readlink /proc/$HOLDER/ns/$n)" "$n namespace"
	done
	[ "$(ns_inside pid)" != "$(host_ns pid)" ]
}

@test "namespaces: a path that is not a namespace of that type fails create" {
	start_holder --ipc
	cfg "ns:network=/proc/$HOLDER/ns/ipc"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	assert_no_trace "$ID"
}

@test "user namespace: several uid and gid ranges" {
	userns_bundle
	cfg 'linux.uidMappings=[{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 200000, "size": 10}]' \
		'linux.gidMappings=[{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 300000, "size": 5}]'
	ctr_sh "$NS_CMD; cat /proc/self/uid_map; echo --; cat /proc/self/gid_map; id -u; id -g"
	[ "$(ns_inside user)" != "$(host_ns user)" ]
	maps=$(sed -n '/^ *[0-9]/p' <<<"$output" | awk 'NF == 3 { print $1, $2, $3 }')
	assert_eq "$maps" "0 100000 1000
1000 200000 10
0 100000 1000
1000 300000 5"
	assert_eq "${lines[-2]}" 0 uid
	assert_eq "${lines[-1]}" 0 gid
}

@test "user namespace: the container's process runs as the mapped host ids" {
	userns_bundle
	set_cmd "touch /started; sleep 1000; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	assert_eq "$(awk '/^Uid:/ { print $2 }' /proc/$pid/status)" 100000 "host uid"
	assert_eq "$(awk '/^Gid:/ { print $2 }' /proc/$pid/status)" 100000 "host gid"
	assert_eq "$(stat -c %u:%g "$BUNDLE/rootfs/started")" 100000:100000 "owner of a file it made"
}

@test "time namespace: monotonic and boottime offsets" {
	# runc deviates: runc 1.1 lacks time namespaces (runc 1.2 has them).
	cfg ns:time 'linux.timeOffsets={"monotonic": {"secs": 864000, "nanosec": 0}, "boottime": {"secs": 1728000, "nanosec": 0}}'
	ctr_sh "$NS_CMD; cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime"
	[ "$(ns_inside time)" != "$(host_ns time)" ]
	grep -Eq '^monotonic +864000 +0$' <<<"$output"
	grep -Eq '^boottime +1728000 +0$' <<<"$output"
	# uptime counts from boot: it moved by the boottime offset
	[ "${lines[-1]}" -ge 1728000 ]
}

@test "uts: hostname" {
	cfg hostname=isolation-test
	ctr_sh 'hostname; cat /proc/sys/kernel/hostname'
	assert_eq "${lines[0]}" isolation-test
	assert_eq "${lines[1]}" isolation-test
	[ "$(hostname)" != isolation-test ]
}

@test "uts: domainname" {
	# runc deviates: runc 1.1 lacks linux domainname (runc 1.2 has it).
	cfg hostname=h domainname=example.org
	ctr_sh 'cat /proc/sys/kernel/domainname'
	assert_eq "$output" example.org
}

@test "pid namespace: PID 1 is the user's process" {
	ctr_sh 'echo $$; grep -c pid1-marker /proc/1/cmdline; : pid1-marker'
	assert_eq "${lines[0]}" 1
	assert_eq "${lines[1]}" 1 "the user's command line in /proc/1/cmdline"
}

# --- root and mounts ----------------------------------------------------------------

@test "root: readonly" {
	cfg root.readonly=true
	ctr_sh "touch /x 2>&1 || echo failed; $MOUNTS_CMD"
	grep -q 'Read-only file system' <<<"$output"
	grep -qx failed <<<"$output"
	has_opt "$(mnt_opts /)" ro
	[ ! -e "$BUNDLE/rootfs/x" ]
}

@test "root: writable when not readonly" {
	ctr_sh 'touch /x && echo ok'
	assert_eq "$output" ok
	[ -e "$BUNDLE/rootfs/x" ]
}

@test "root: rootfsPropagation slave and private" {
	# the runtime runs in a mount namespace of its own whose mounts are
	# shared, so that a slave root has a master to show
	cfg linux.rootfsPropagation=rslave
	set_cmd "$MOUNTS_CMD"
	run unshare -m --propagation shared "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID" 3>&-
	assert_eq "$status" 0
	assert_match "$(mnt_line /)" ' master:[0-9]+ ' "root mount of a slave root"
	cfg linux.rootfsPropagation=private
	run unshare -m --propagation shared "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID" 3>&-
	assert_eq "$status" 0
	! [[ "$(mnt_line /)" =~ (shared|master): ]] || { echo "private root: $(mnt_line /)"; false; }
}

@test "mounts: tmpfs with size and mode; nosuid, nodev, noexec" {
	cfg 'mounts+={"destination": "/t", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec", "size=1m", "mode=1750"]}'
	ctr_sh "stat -c %a /t; $MOUNTS_CMD"
	assert_eq "${lines[0]}" 1750 mode
	opts=$(mnt_opts /t)
	for o in nosuid nodev noexec; do has_opt "$opts" $o; done
	fs=$(mnt_fs /t)
	assert_match "$fs" '^tmpfs ' type
	has_opt "${fs##* }" size=1024k
}

@test "mounts: bind mount, read-only" {
	mkdir "$BATS_TEST_TMPDIR/src"
	echo from-host >"$BATS_TEST_TMPDIR/src/file"
	cfg "mounts+={\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"ro\"]}"
	ctr_sh "cat /b/file; touch /b/new 2>&1 || echo failed; $MOUNTS_CMD"
	assert_eq "${lines[0]}" from-host
	grep -q 'Read-only file system' <<<"$output"
	has_opt "$(mnt_opts /b)" ro
	[ ! -e "$BATS_TEST_TMPDIR/src/new" ]
}

@test "mounts: bind mount, writable, of a file" {
	echo from-host >"$BATS_TEST_TMPDIR/file"
	cfg "mounts+={\"destination\": \"/etc/bound\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/file\", \"options\": [\"bind\"]}"
	ctr_sh 'cat /etc/bound; echo from-ctr >>/etc/bound'
	assert_eq "$output" from-host
	assert_eq "$(cat "$BATS_TEST_TMPDIR/file")" "from-host
from-ctr"
}

@test "mounts: in the listed order, a later one inside an earlier one" {
	cfg 'mounts+={"destination": "/o", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}' \
		'mounts+={"destination": "/o/inner", "type": "tmpfs", "source": "tmpfs", "options": ["size=2m"]}'
	ctr_sh "$MOUNTS_CMD"
	outer=$(mnt_line /o | awk '{ print $1 }')
	inner_parent=$(mnt_line /o/inner | awk '{ print $2 }')
	[ -n "$outer" ]
	assert_eq "$inner_parent" "$outer" "parent of /o/inner"
	# /o/inner was made in the tmpfs, not in the rootfs
	[ ! -e "$BUNDLE/rootfs/o/inner" ]
}

@test "mounts: rro makes the submounts read-only too" {
	mkdir -p "$BATS_TEST_TMPDIR/src/inner"
	cfg "mounts+={\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"rro\"]}"
	set_cmd "touch /r/top 2>&1; touch /r/inner/sub 2>&1; $MOUNTS_CMD"
	# the submount exists only in a private mount namespace of the runtime
	run unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs "$1" && shift && exec "$@"' -- \
		"$BATS_TEST_TMPDIR/src/inner" "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID" 3>&-
	assert_eq "$(grep -c 'Read-only file system' <<<"$output")" 2 "read-only errors: $output"
	has_opt "$(mnt_opts /r)" ro
	has_opt "$(mnt_opts /r/inner)" ro
}

@test "mounts: nosymfollow" {
	mkdir "$BATS_TEST_TMPDIR/src"
	echo target >"$BATS_TEST_TMPDIR/src/file"
	ln -s file "$BATS_TEST_TMPDIR/src/link"
	cfg "mounts+={\"destination\": \"/n\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"nosymfollow\"]}"
	ctr_sh "cat /n/file; cat /n/link 2>/dev/null || echo link-refused; $MOUNTS_CMD"
	assert_eq "${lines[0]}" target
	assert_eq "${lines[1]}" link-refused
	has_opt "$(mnt_opts /n)" nosymfollow
}

@test "mounts: idmap on a bind mount, with a user namespace" {
	# runc deviates: runc 1.1 lacks idmapped mounts: it ignores the option (runc 1.2 has it).
	userns_bundle
	mkdir "$BATS_TEST_TMPDIR/src"
	chmod o+rx "$BATS_TEST_TMPDIR/src"
	touch "$BATS_TEST_TMPDIR/src/host-root-file"
	cfg "mounts+={\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"idmap\"], \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}], \"gidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]}"
	ctr_sh "stat -c '%u:%g' /idm/host-root-file; $MOUNTS_CMD"
	# the host's root owns it; through the idmapped mount, the container's
	assert_eq "${lines[0]}" 0:0 "owner seen in the container"
	has_opt "$(mnt_opts /idm)" idmapped
}

@test "mounts: a missing destination is created inside the rootfs" {
	cfg "mounts+={\"destination\": \"/husk-deep-$ID/new/dir\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"
	ctr_sh "$MOUNTS_CMD"
	[ -n "$(mnt_line "/husk-deep-$ID/new/dir")" ]
	[ -d "$BUNDLE/rootfs/husk-deep-$ID/new/dir" ]
	[ ! -e "/husk-deep-$ID" ]
}

@test "mounts: a destination through a symlink to / stays in the rootfs" {
	ln -s / "$BUNDLE/rootfs/evil"
	ln -s ../../../../../../.. "$BUNDLE/rootfs/evil2"
	cfg "mounts+={\"destination\": \"/evil/husk-escape-$ID\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}" \
		"mounts+={\"destination\": \"/evil2/husk-escape-$ID/two\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}"
	set_cmd "$MOUNTS_CMD"
	run_husk run --bundle "$BUNDLE" "$ID"
	# whether it ran or refused, nothing happened on the host
	[ ! -e "/husk-escape-$ID" ] || { echo "made /husk-escape-$ID on the host"; false; }
	! grep -q "husk-escape-$ID" /proc/self/mountinfo
	if [ "$status" -eq 0 ]; then
		[ -d "$BUNDLE/rootfs/husk-escape-$ID" ]
		[ -n "$(mnt_line "/husk-escape-$ID")" ]
		[ -n "$(mnt_line "/husk-escape-$ID/two")" ]
	fi
}

# --- /dev ---------------------------------------------------------------------------

@test "mounts: sysfs in a user namespace without a network namespace is the host's, bound" {
	# The kernel refuses a new sysfs to a user namespace that does not own
	# the network namespace; husk binds the host's /sys instead, as runc.
	userns_bundle
	cfg -ns:network
	ctr_sh "ls /sys/class/net; $MOUNTS_CMD"
	assert_match "$output" '(^|[[:space:]])lo([[:space:]]|$)'
	assert_match "$(mnt_fs /sys)" '^sysfs '
	# the host's interfaces, since the network namespace is the host's
	for dev in $(ls /sys/class/net); do
		assert_match "$output" "(^|[[:space:]])$dev([[:space:]]|\$)"
	done
}

@test "mounts: tmpcopyup starts a tmpfs with the directory's contents" {
	# runc's and crun's extension, which podman's --read-only relies on.
	mkdir -p "$BUNDLE/rootfs/seed/sub"
	echo seeded >"$BUNDLE/rootfs/seed/sub/f"
	ln -sf sub/f "$BUNDLE/rootfs/seed/link"
	chmod 0710 "$BUNDLE/rootfs/seed"
	cfg 'mounts+={"destination": "/seed", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "mode=755"]}'
	ctr_sh "cat /seed/sub/f; readlink /seed/link; stat -c %a /seed; echo new >/seed/n; $MOUNTS_CMD"
	assert_eq "${lines[0]}" seeded
	assert_eq "${lines[1]}" sub/f
	assert_eq "${lines[2]}" 710 "the tmpfs root takes the directory's mode"
	assert_match "$(mnt_fs /seed)" '^tmpfs '
	[ ! -e "$BUNDLE/rootfs/seed/n" ] || { echo "write reached the rootfs"; false; }
}

@test "mounts: overlay with lower, upper and work directories" {
	mkdir -p "$BATS_TEST_TMPDIR"/{lower,upper,work}
	echo from-lower >"$BATS_TEST_TMPDIR/lower/f"
	cfg "mounts+={\"destination\": \"/ov\", \"type\": \"overlay\", \"source\": \"overlay\", \"options\": [\"lowerdir=$BATS_TEST_TMPDIR/lower\", \"upperdir=$BATS_TEST_TMPDIR/upper\", \"workdir=$BATS_TEST_TMPDIR/work\"]}"
	ctr_sh "cat /ov/f; echo new >/ov/g; $MOUNTS_CMD"
	assert_eq "${lines[0]}" from-lower
	assert_match "$(mnt_fs /ov)" '^overlay '
	assert_eq "$(cat "$BATS_TEST_TMPDIR/upper/g")" new "written through to upperdir"
}

@test "/dev: the default devices with their numbers" {
	ctr_sh 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T" /dev/$d; done
		echo x >/dev/null && echo null-ok
		head -c 4 /dev/zero | wc -c
		echo x 2>&1 >/dev/full || echo full-refused
		head -c 8 /dev/urandom | wc -c'
	assert_eq "${lines[0]}" "/dev/null character special file 1:3"
	assert_eq "${lines[1]}" "/dev/zero character special file 1:5"
	assert_eq "${lines[2]}" "/dev/full character special file 1:7"
	assert_eq "${lines[3]}" "/dev/random character special file 1:8"
	assert_eq "${lines[4]}" "/dev/urandom character special file 1:9"
	assert_eq "${lines[5]}" "/dev/tty character special file 5:0"
	assert_eq "${lines[6]}" null-ok
	assert_eq "${lines[7]}" 4
	grep -qx full-refused <<<"$output"
	assert_eq "${lines[-1]}" 8
}

@test "/dev: linux.devices makes the listed devices with mode and owner" {
	cfg 'linux.devices+={"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 438, "uid": 0, "gid": 0}' \
		'linux.devices+={"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 416, "uid": 1000, "gid": 5}' \
		'linux.resources.devices+={"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rwm"}'
	ctr_sh 'stat -c "%n %F %t:%T %a %u:%g" /dev/mynull /dev/fuse; echo x >/dev/mynull && echo mynull-ok'
	assert_eq "${lines[0]}" "/dev/mynull character special file 1:3 666 0:0"
	assert_eq "${lines[1]}" "/dev/fuse character special file a:e5 640 1000:5"
	assert_eq "${lines[2]}" mynull-ok
}

@test "/dev: fd, stdin, stdout, stderr and ptmx links; shm and pts" {
	ctr_sh "for l in fd stdin stdout stderr ptmx; do echo \"\$l \$(readlink /dev/\$l)\"; done; $MOUNTS_CMD"
	assert_eq "${lines[0]}" "fd /proc/self/fd"
	assert_eq "${lines[1]}" "stdin /proc/self/fd/0"
	assert_eq "${lines[2]}" "stdout /proc/self/fd/1"
	assert_eq "${lines[3]}" "stderr /proc/self/fd/2"
	assert_eq "${lines[4]}" "ptmx pts/ptmx"
	assert_match "$(mnt_fs /dev/shm)" '^tmpfs '
	assert_match "$(mnt_fs /dev/pts)" '^devpts '
}

@test "root: with pivot_root and with --no-pivot the process sees the rootfs as /" {
	touch "$BUNDLE/rootfs/only-in-rootfs-$ID"
	set_cmd 'ls -A / | sort; cat /etc/passwd'
	expected=$(ls -A "$BUNDLE/rootfs" | sort; cat "$BUNDLE/rootfs/etc/passwd")
	run_husk --separate-stderr run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0 "run: $stderr"
	assert_eq "$output" "$expected"
	run_husk --separate-stderr run --no-pivot --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0 "run --no-pivot: $stderr"
	assert_eq "$output" "$expected"
}

# --- masked and read-only paths -----------------------------------------------------

@test "maskedPaths: files read empty, directories are empty read-only tmpfs, missing ones are skipped" {
	[ -s /proc/version ] && [ -d /sys/firmware ]
	cfg "linux.maskedPaths=[\"/proc/version\", \"/proc/cmdline\", \"/sys/firmware\", \"/proc/husk-no-such-$ID\"]"
	ctr_sh "wc -c </proc/version; wc -c </proc/cmdline; ls -A /sys/firmware | wc -l; $MOUNTS_CMD"
	assert_eq "${lines[0]}" 0 "bytes of /proc/version"
	assert_eq "${lines[1]}" 0 "bytes of /proc/cmdline"
	assert_eq "${lines[2]}" 0 "entries of /sys/firmware"
	assert_match "$(mnt_fs /sys/firmware)" '^tmpfs '
	has_opt "$(mnt_opts /sys/firmware)" ro
}

@test "readonlyPaths: writing fails with EROFS" {
	[ -d /proc/irq ]
	cfg "linux.readonlyPaths=[\"/proc/sys\", \"/proc/irq\", \"/proc/husk-no-such-$ID\"]"
	ctr_sh "echo 1 2>&1 >/proc/sys/net/ipv4/ip_forward || true; $MOUNTS_CMD"
	grep -q 'Read-only file system' <<<"$output"
	has_opt "$(mnt_opts /proc/sys)" ro
	has_opt "$(mnt_opts /proc/irq)" ro
}

# --- sysctl -------------------------------------------------------------------------

@test "sysctl: set in the container's network namespace, not on the host" {
	host_value=$(cat /proc/sys/net/ipv4/ip_forward)
	cfg 'linux.sysctl={"net.ipv4.ip_forward": "1", "net.ipv4.ping_group_range": "0 0"}'
	ctr_sh 'cat /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ping_group_range'
	assert_eq "${lines[0]}" 1
	assert_match "${lines[1]}" '^0[[:space:]]+0$'
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_value" "host value"
}

@test "sysctl: a net.* sysctl without a network namespace fails create, with a clear error" {
	cfg -ns:network 'linux.sysctl={"net.ipv4.ip_forward": "1"}'
	host_value=$(cat /proc/sys/net/ipv4/ip_forward)
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	grep -q 'net.ipv4.ip_forward' <<<"$output"
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_value" "host value"
	assert_no_trace "$ID"
}

# --- process ------------------------------------------------------------------------

@test "process: args are passed exactly" {
	set_args sh -c 'printf "[%s]" "$@"' argv0 "a b" "" 'c"d' '$HOME'
	run_husk --separate-stderr -0 run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" '[a b][][c"d][$HOME]'
}

@test "process: args[0] is found in the PATH of the container's env" {
	cfg 'process.env=["PATH=/bin"]' 'process.args=["busybox", "echo", "found"]'
	run_husk --separate-stderr -0 run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" found
}

@test "process: env is the config's, not the runtime's" {
	cfg 'process.env=["PATH=/bin:/usr/bin", "FOO=bar", "SPACED=a b"]'
	export HUSK_TEST_HOST_VAR=leak
	ctr_sh 'env'
	grep -qx FOO=bar <<<"$output"
	grep -qx 'SPACED=a b' <<<"$output"
	grep -qx PATH=/bin:/usr/bin <<<"$output"
	! grep -q HUSK_TEST_HOST_VAR <<<"$output"
}

@test "process: without HOME in env, the user's home from the container's /etc/passwd (as runc)" {
	cfg 'process.env=["PATH=/bin"]'
	ctr_sh 'echo "$HOME"'
	assert_eq "$output" /root
	cfg 'process.user={"uid": 1000, "gid": 1000}'
	ctr_sh 'echo "$HOME"'
	assert_eq "$output" /home/user
	# no line for the uid: "/"
	cfg 'process.user={"uid": 4242, "gid": 4242}'
	ctr_sh 'echo "$HOME"'
	assert_eq "$output" /
	# a HOME the config gives wins
	cfg 'process.env=["PATH=/bin", "HOME=/given"]'
	ctr_sh 'echo "$HOME"'
	assert_eq "$output" /given
}

@test "process: cwd, created when missing" {
	cfg process.cwd=/work/dir
	ctr_sh 'pwd'
	assert_eq "$output" /work/dir
	[ -d "$BUNDLE/rootfs/work/dir" ]
}

@test "process: user uid, gid, additionalGids and umask" {
	cfg 'process.user={"uid": 1000, "gid": 1000, "additionalGids": [5, 1234], "umask": 23}' process.cwd=/tmp
	ctr_sh 'id -u; id -g; grep -E "^(Uid|Gid|Groups):" /proc/self/status; umask; touch f; stat -c %a f'
	assert_eq "${lines[0]}" 1000 uid
	assert_eq "${lines[1]}" 1000 gid
	assert_match "${lines[2]}" '^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	assert_match "${lines[3]}" '^Gid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	groups=$(sed 's/^Groups://' <<<"${lines[4]}" | tr -s ' \t' '\n' | grep . | sort -n | tr '\n' ' ')
	# the additional gids, and nothing of the caller's (root's) groups
	[[ " $groups" == *" 5 "* ]] && [[ " $groups" == *" 1234 "* ]] || { echo "groups: $groups"; false; }
	[[ " $groups" != *" 0 "* ]]
	assert_eq "${lines[5]}" 0027 umask
	assert_eq "${lines[6]}" 640 "mode of a new file"
}

@test "process: rlimits" {
	cfg 'process.rlimits=[{"type": "RLIMIT_NOFILE", "soft": 123, "hard": 456}, {"type": "RLIMIT_NPROC", "soft": 1000, "hard": 2000}]'
	ctr_sh 'ulimit -n; ulimit -Hn; grep -E "^Max (open files|processes)" /proc/self/limits'
	assert_eq "${lines[0]}" 123
	assert_eq "${lines[1]}" 456
	grep -Eq '^Max open files +123 +456 ' <<<"$output"
	grep -Eq '^Max processes +1000 +2000 ' <<<"$output"
}

@test "process: oomScoreAdj set" {
	cfg process.oomScoreAdj=345
	ctr_sh 'cat /proc/self/oom_score_adj'
	assert_eq "$output" 345
}

@test "process: oomScoreAdj absent: the caller's value" {
	cfg -process.oomScoreAdj
	set_cmd 'cat /proc/self/oom_score_adj'
	run bash -c 'echo 123 >/proc/self/oom_score_adj && exec "$@" 3>&-' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0
	assert_eq "$output" 123
}

@test "process: noNewPrivileges" {
	cfg process.noNewPrivileges=true
	ctr_sh 'grep NoNewPrivs /proc/self/status'
	assert_match "$output" '^NoNewPrivs:[[:space:]]+1$'
	cfg process.noNewPrivileges=false
	ctr_sh 'grep NoNewPrivs /proc/self/status'
	assert_match "$output" '^NoNewPrivs:[[:space:]]+0$'
}

# CHOWN 0, DAC_OVERRIDE 1, KILL 5, NET_BIND_SERVICE 10, NET_RAW 13
CAPS_B='["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"]'
CAPS_B_MASK=0000000000002423

caps_of() {
	awk -v k="$1:" '$1 == k { print $2 }' <<<"$output"
}

@test "process: capabilities of a root process: bounding, effective, permitted, inheritable" {
	# root's exec: permitted = effective = bounding | inheritable
	cfg process.noNewPrivileges=false "process.capabilities={\"bounding\": $CAPS_B, \"effective\": $CAPS_B, \"permitted\": $CAPS_B, \"inheritable\": [\"CAP_KILL\"], \"ambient\": []}"
	ctr_sh 'grep ^Cap /proc/self/status'
	assert_eq "$(caps_of CapBnd)" $CAPS_B_MASK CapBnd
	assert_eq "$(caps_of CapEff)" $CAPS_B_MASK CapEff
	assert_eq "$(caps_of CapPrm)" $CAPS_B_MASK CapPrm
	assert_eq "$(caps_of CapInh)" 0000000000000020 CapInh
	assert_eq "$(caps_of CapAmb)" 0000000000000000 CapAmb
}

@test "process: capabilities of a non-root process: ambient ones survive exec" {
	# a non-root exec keeps only the ambient set in permitted and effective
	cfg process.noNewPrivileges=false 'process.user={"uid": 1000, "gid": 1000}' \
		"process.capabilities={\"bounding\": $CAPS_B, \"effective\": $CAPS_B, \"permitted\": $CAPS_B, \"inheritable\": [\"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"], \"ambient\": [\"CAP_NET_BIND_SERVICE\"]}"
	ctr_sh 'grep ^Cap /proc/self/status'
	assert_eq "$(caps_of CapBnd)" $CAPS_B_MASK CapBnd
	assert_eq "$(caps_of CapInh)" 0000000000000420 CapInh
	assert_eq "$(caps_of CapAmb)" 0000000000000400 CapAmb
	assert_eq "$(caps_of CapPrm)" 0000000000000400 CapPrm
	assert_eq "$(caps_of CapEff)" 0000000000000400 CapEff
}

@test "process: ambient capabilities outside the inheritable set are dropped without a word, as runc (said under --debug)" {
	# `runc spec` writes ambient caps without inheritable ones
	cfg "process.capabilities={\"bounding\": $CAPS_B, \"effective\": $CAPS_B, \"permitted\": $CAPS_B, \"ambient\": [\"CAP_KILL\"]}"
	set_cmd 'grep ^CapAmb /proc/self/status'
	run_husk -0 --separate-stderr run --bundle "$BUNDLE" "$ID"
	assert_eq "$(awk '{print $2}' <<<"$output")" 0000000000000000 CapAmb
	assert_eq "$stderr" "" "stderr of run"
	HUSK_GLOBAL+=(--debug)
	run_husk -0 --separate-stderr run --bundle "$BUNDLE" "$ID"
	[[ $stderr == *"process.capabilities.ambient: CAP_KILL is not in both the inheritable and permitted sets; not raised"* ]] ||
		{ echo "$stderr"; false; }
}

@test "process: no capabilities at all" {
	cfg 'process.capabilities={}'
	ctr_sh 'grep ^Cap /proc/self/status'
	for s in CapBnd CapEff CapPrm CapInh CapAmb; do
		assert_eq "$(caps_of $s)" 0000000000000000 $s
	done
}

@test "process: ioPriority" {
	# runc deviates: runc 1.1 lacks process.ioPriority (runc 1.2 has it).
	cfg 'process.ioPriority={"class": "IOPRIO_CLASS_BE", "priority": 5}'
	ctr_sh 'ionice -p $$'
	assert_eq "$output" "best-effort: prio 5"
}

@test "process: scheduler policy and nice" {
	# runc deviates: runc 1.1 lacks process.scheduler (runc 1.2 has it).
	cfg 'process.scheduler={"policy": "SCHED_BATCH", "nice": 5}'
	# /proc/PID/stat: field 19 is nice, 41 the policy (SCHED_BATCH = 3)
	ctr_sh 'sed "s/.*) //" /proc/$$/stat | awk "{ print \$17, \$39 }"'
	assert_eq "$output" "5 3" "nice and policy"
}

@test "process: personality LINUX32" {
	# runc deviates: runc 1.1 lacks linux.personality (runc 1.2 has it).
	[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 host (LINUX32 shows i686)"
	cfg 'linux.personality={"domain": "LINUX32"}'
	ctr_sh 'uname -m; cat /proc/self/personality'
	assert_eq "${lines[0]}" i686
	assert_eq "${lines[1]}" 00000008
}

@test "process: execCPUAffinity does not apply to the init process" {
	# config.md: "This setting is not applicable to the container's init
	# process" (it is for `exec`).
	mine=$(awk '/^Cpus_allowed_list/ { print $2 }' /proc/self/status)
	first=${mine%%[-,]*}
	cfg "process.execCPUAffinity={\"initial\": \"$first\", \"final\": \"$first\"}"
	ctr_sh 'grep Cpus_allowed_list /proc/self/status'
	assert_match "$output" "^Cpus_allowed_list:[[:space:]]+$mine\$"
}

# --- terminal and stdio -------------------------------------------------------------

# run_tty 'command': the container with a terminal, through --console-socket
# and $RECVTTY; what it printed (CRs removed) in $output and $lines.
run_tty() {
	local sock=$BATS_TEST_TMPDIR/console.sock
	cfg process.terminal=true
	set_cmd "$1"
	start_recvtty "$sock" "$BATS_TEST_TMPDIR/tty.out"
	create_ok "$ID" "$BUNDLE" --console-socket "$sock"
	start_ok "$ID"
	wait_recvtty
	wait_for_status "$ID" stopped
	output=$(tr -d '\r' <"$BATS_TEST_TMPDIR/tty.out")
	mapfile -t lines <<<"$output"
}

@test "terminal: stdio are the pty, /dev/console is it too" {
	run_tty 'tty; for f in 0 1 2; do readlink /proc/self/fd/$f; done; stat -c "%F %t" /dev/console; [ -t 0 ] && echo is-a-tty'
	assert_match "${lines[0]}" '^/dev/pts/[0-9]+$' tty
	assert_eq "${lines[1]}" "${lines[0]}" "fd 0"
	assert_eq "${lines[2]}" "${lines[0]}" "fd 1"
	assert_eq "${lines[3]}" "${lines[0]}" "fd 2"
	assert_eq "${lines[4]}" "character special file 88" "/dev/console (pty major 136)"
	assert_eq "${lines[5]}" is-a-tty
}

@test "terminal: consoleSize" {
	cfg 'process.consoleSize={"height": 37, "width": 101}'
	run_tty 'stty size'
	assert_eq "$output" "37 101"
}

@test "terminal: run with a terminal and no console socket uses the caller's terminal" {
	# script(1) gives the runtime a terminal of its own; the container's
	# stdio must be a pty and its output must reach that terminal.
	cfg 'process.terminal=true'
	set_cmd 'tty; [ -t 0 ] && [ -t 1 ] && echo both-ttys; stty size; exit 7'
	run script -qec "stty rows 24 cols 80; '$HUSK' ${HUSK_GLOBAL[*]} run --bundle '$BUNDLE' '$ID'" /dev/null </dev/null
	output=$(printf '%s' "$output" | tr -d '\r')
	assert_eq "$status" 7 "exit status through the terminal: $output"
	assert_match "$output" '/dev/pts/[0-9]+'
	assert_match "$output" 'both-ttys'
	assert_match "$output" '24 80'
}

@test "terminal: without one, a detached container's stdio are exactly the caller's" {
	set_cmd 'readlink /proc/self/fd/0; stat -L -c %d:%i /proc/self/fd/1 /proc/self/fd/2; cat'
	out=$BATS_TEST_TMPDIR/stdout
	err=$BATS_TEST_TMPDIR/stderr
	echo from-caller-pipe | husk create --bundle "$BUNDLE" "$ID" >"$out" 2>"$err"
	start_ok "$ID"
	wait_for_status "$ID" stopped
	mapfile -t l <"$out"
	assert_match "${l[0]}" '^pipe:\[[0-9]+\]$' "fd 0"
	assert_eq "${l[1]}" "$(stat -c %d:%i "$out")" "fd 1"
	assert_eq "${l[2]}" "$(stat -c %d:%i "$err")" "fd 2"
	assert_eq "${l[3]}" from-caller-pipe "stdin data"
}

@test "terminal: without one, a foreground run's stdio are pipes" {
	set_cmd 'for f in 0 1 2; do readlink /proc/self/fd/$f; done'
	run bash -c 'echo | "$@" 2>&1 3>&-' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0
	for i in 0 1 2; do
		assert_match "${lines[$i]}" '^pipe:\[[0-9]+\]$' "fd $i"
	done
}

# --- file descriptors ---------------------------------------------------------------

FD_CMD='for fd in 3 4 5 6; do if [ -e /proc/self/fd/$fd ]; then read -r l <&$fd; echo "$fd $l"; else echo "$fd closed"; fi; done; env | grep ^LISTEN_ | sort'

fd_files() {
	for f in one two three four; do echo "$f" >"$BATS_TEST_TMPDIR/$f"; done
}

@test "fds: --preserve-fds N passes fds 3..3+N-1, closes the others" {
	fd_files
	set_cmd "$FD_CMD"
	cd "$BATS_TEST_TMPDIR"
	run bash -c 'exec 3<one 4<two 5<three 6<four; exec "$@"' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --preserve-fds 2 --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0 "run: $output"
	assert_eq "$output" "3 one
4 two
5 closed
6 closed"
}

@test "fds: LISTEN_FDS passes the socket-activation fds before the preserved ones" {
	fd_files
	set_cmd "$FD_CMD"
	cd "$BATS_TEST_TMPDIR"
	run bash -c 'exec 3<one 4<two 5<three 6<four; export LISTEN_FDS=1 LISTEN_PID=$$; exec "$@"' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --preserve-fds 1 --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0 "run: $output"
	assert_eq "$output" "3 one
4 two
5 closed
6 closed
LISTEN_FDS=1
LISTEN_PID=1"
}

@test "fds: every fd but stdio is closed" {
	set_cmd 'ls /proc/self/fd | sort -n | tr "\n" " "'
	run bash -c 'exec 5</dev/null 7>/dev/null 9</etc/passwd 3>&-; exec "$@"' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0
	# 3 is the directory ls reads
	assert_eq "$output" "0 1 2 3 "
}

# --- hooks --------------------------------------------------------------------------

@test "hooks: args and env at each of the six points" {
	install_rootfs_hook
	HOOK_EXTRA='"env": ["HOOK_A=1", "HOOK_B=two words"]'
	for p in prestart createRuntime createContainer poststart poststop; do
		add_hook "$p" "$p" note "arg with spaces"
	done
	add_rootfs_hook startContainer startContainer note "arg with spaces"
	export HUSK_TEST_HOST_VAR=leak
	set_cmd 'exit 0'
	create_ok "$ID"
	start_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk -0 delete "$ID"
	for p in prestart createRuntime createContainer poststart poststop startContainer; do
		dir=$HOOK_OUT arg1=$HOOK_OUT
		if [ $p = startContainer ]; then
			dir=$BUNDLE/rootfs/hookout arg1=/hookout
		fi
		[ -e "$dir/$p.args" ] || { echo "$p did not run"; false; }
		assert_eq "$(cat "$dir/$p.args")" "$(printf '%s\n' "$arg1" "$p" note "arg with spaces")" "$p args"
		grep -qx HOOK_A=1 "$dir/$p.env"
		grep -qx 'HOOK_B=two words' "$dir/$p.env"
		! grep -q HUSK_TEST_HOST_VAR "$dir/$p.env" || { echo "$p got the runtime's environment"; false; }
	done
}

@test "hooks: create's runtime-namespace hooks run in the bundle directory (runc's behaviour)" {
	for p in prestart createRuntime; do
		add_hook "$p" "$p"
	done
	set_cmd 'exit 0'
	create_ok "$ID"
	for p in prestart createRuntime; do
		grep -qx "PWD=$BUNDLE" "$HOOK_OUT/$p.env" || { echo "$p: $(grep PWD "$HOOK_OUT/$p.env")"; false; }
	done
}

@test "hooks: timeout aborts a hook, the operation fails, the hook is killed" {
	HOOK_EXTRA='"timeout": 1'
	add_hook createRuntime slow exec-sleep 30
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	[ -e "$HOOK_OUT/slow.state" ]
	# the hook (now `sleep 30`, same pid) was killed
	hookpid=$(cat "$HOOK_OUT/slow.pid")
	track_pid "$hookpid"
	wait_pid_gone "$hookpid"
	assert_no_trace "$ID"
}

@test "hooks: a hook that finishes within its timeout is fine" {
	HOOK_EXTRA='"timeout": 30'
	add_hook createRuntime quick
	set_cmd 'exit 0'
	create_ok "$ID"
	[ -e "$HOOK_OUT/quick.state" ]
}

@test "hooks: a missing hook binary fails create with no trace" {
	cfg 'hooks.createRuntime=[{"path": "/nonexistent/hook"}]'
	set_cmd 'exit 0'
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ]
	assert_no_trace "$ID"
}

# --- cgroups ------------------------------------------------------------------------

@test "cgroups: the process is in linux.cgroupsPath (every v1 controller), removed on delete" {
	# Without a cgroup namespace (husk spec adds one; runc spec has none),
	# the container sees the host's cgroup paths.
	cfg "linux.cgroupsPath=/husk-test-$ID/sub/leaf" -ns:cgroup
	register_cgroup "/husk-test-$ID"
	set_cmd "cat /proc/1/cgroup; touch /started; sleep 1000; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	leaf=/husk-test-$ID/sub/leaf
	if cgroup_v1; then
		ctrls="pids memory cpu devices freezer"
		for c in $ctrls; do
			grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:$leaf\$" "/proc/$pid/cgroup" ||
				{ echo "$c: $(cat /proc/$pid/cgroup)"; false; }
			grep -qx "$pid" "/sys/fs/cgroup/$c$leaf/cgroup.procs"
		done
		# seen from inside (no cgroup namespace), the same path
		grep -q ":pids:$leaf\$" "$BATS_TEST_TMPDIR/$ID.out"
	else
		grep -qx "0::$leaf" "/proc/$pid/cgroup"
		grep -qx "$pid" "/sys/fs/cgroup$leaf/cgroup.procs"
		grep -qx "0::$leaf" "$BATS_TEST_TMPDIR/$ID.out"
	fi
	run_husk -0 delete --force "$ID"
	for d in $(cgroup_mounts); do
		[ ! -e "$d$leaf" ] || { echo "$d$leaf left"; false; }
	done
	remove_cgroup "/husk-test-$ID"
}

@test "cgroups: with a cgroup namespace the container sees its cgroup as /" {
	cfg ns:cgroup
	ctr_sh 'cat /proc/self/cgroup'
	if cgroup_v1; then
		for c in pids memory cpu; do
			grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:/\$" <<<"$output" || { echo "$c: $output"; false; }
		done
	else
		assert_eq "$output" "0::/"
	fi
}
