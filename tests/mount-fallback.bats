#!/usr/bin/env bats
# The mount(2) fallback for kernels, seccomp profiles and tools (valgrind
# 3.19) where open_tree, move_mount, fsopen/fsconfig/fsmount, fspick and
# mount_setattr answer ENOSYS: the container must get the same mounts.
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
	WITHOUT_MOUNT_API=$top_builddir/tests/tools/without-mount-api
	[ -x "$WITHOUT_MOUNT_API" ] || skip "tests/tools/without-mount-api not built (make check builds it)"
	# the mounts to compare, then what a masked or read-only path gives
	set_cmd 'cat /proc/self/mountinfo
		echo "timer_list=$(wc -c </proc/timer_list)"
		echo "acpi=$(ls -A /proc/acpi | wc -l)"
		echo x >/proc/sysrq-trigger 2>/dev/null && echo sysrq-writable
		touch /mnt/x 2>/dev/null && echo bind-writable
		echo end'
}

teardown() {
	teardown_common
}

# mountinfo without what differs between two runs: mount ids, device
# numbers, peer group numbers.
normalise() {
	sed -E 's/^[0-9]+ [0-9]+ [0-9]+:[0-9]+ //; s/(shared|master|propagate_from):[0-9]+/\1:N/g'
}

# has_opts MOUNT-POINT OPTION...: the fallback's mount there has each
# per-mount option.
has_opts() {
	local mp=$1 opts o
	shift
	opts=,$(awk -v mp="$mp" '$2 == mp { print $3 }' <<<"$fallback"),
	for o in "$@"; do
		[[ $opts == *,$o,* ]] || { echo "$mp: no $o in $opts" >&2; return 1; }
	done
}

# run_both [RUN-OPTION]...: the container under the new API, then (as a
# second container of the same bundle) without it; $normal and $fallback
# hold their output.
run_both() {
	run "$HUSK" "${HUSK_GLOBAL[@]}" run "$@" --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "normal run: $output"; false; }
	normal=$(normalise <<<"$output")
	local id2
	id2=$(new_id)
	run "$WITHOUT_MOUNT_API" "$HUSK" "${HUSK_GLOBAL[@]}" run "$@" --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ] || { echo "fallback run: $output"; false; }
	fallback=$(normalise <<<"$output")
	[[ $normal == *end ]]
	assert_eq "$fallback" "$normal" "mountinfo and protected paths without the new mount API"
}

@test "mount fallback: default mounts, binds, masked and readonly paths, cgroup mount" {
	echo data >"$BATS_TEST_TMPDIR/file"
	cfg "mounts+={\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$BUNDLE/rootfs/etc\", \"options\": [\"rbind\", \"ro\", \"nosuid\", \"noatime\"]}" \
		"mounts+={\"destination\": \"/etc/bound\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/file\", \"options\": [\"bind\", \"ro\", \"nodev\"]}"
	run_both
	# what the comparison relies on
	has_opts /mnt ro nosuid noatime
	has_opts /etc/bound ro nodev
	has_opts /proc/sys ro nosuid nodev noexec
	has_opts /proc/acpi ro
	[[ $fallback == *" /proc/acpi ro,"*" tmpfs "* ]]
	[[ $fallback == *" /sys/fs/cgroup "* ]]
	[[ $fallback == *"timer_list=0"* ]]
	[[ $fallback == *"acpi=0"* ]]
	[[ $fallback != *sysrq-writable* ]]
	[[ $fallback != *bind-writable* ]]
}

@test "mount fallback: no cgroup namespace, read-only root and /dev, recursive read-only bind" {
	# Without a cgroup namespace the cgroup mount is bound from the host's;
	# rro reaches the mounts below /sys (the fallback remounts each of
	# them).
	cfg -ns:cgroup root.readonly=true 'mounts[1].options+="ro"' \
		'mounts+={"destination": "/hostsys", "type": "bind", "source": "/sys", "options": ["rbind", "rro"]}' \
		'mounts+={"destination": "/mnt", "type": "tmpfs", "source": "tmpfs", "options": ["ro"]}'
	assert_eq "$(json_get "$CONFIG" 'mounts[1].destination')" /dev "mounts[1]"
	run_both
	has_opts / ro
	has_opts /dev ro
	[[ $fallback == *" /sys/fs/cgroup "* ]]
	# every mount below /hostsys is read-only
	local below
	below=$(grep ' /hostsys/' <<<"$fallback")
	[ -n "$below" ]
	! grep -v ' /hostsys/[^ ]* ro,' <<<"$below"
}

@test "mount fallback: --no-pivot moves the root onto / with mount(2)" {
	cfg "mounts+={\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$BUNDLE/rootfs/etc\", \"options\": [\"rbind\", \"ro\"]}"
	run_both --no-pivot
	has_opts / rw
	has_opts /mnt ro
	has_opts /proc/sys ro
}

@test "mount fallback: an idmapped mount fails naming the entry, leaving nothing behind" {
	cfg "mounts+={\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$BUNDLE/rootfs/etc\", \"options\": [\"rbind\", \"idmap\"]}" ns:user \
		'linux.uidMappings=[{"containerID": 0, "hostID": 100000, "size": 65536}]' \
		'linux.gidMappings=[{"containerID": 0, "hostID": 100000, "size": 65536}]'
	run "$WITHOUT_MOUNT_API" "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ $output == *"mounts[7] (/mnt): idmap needs open_tree and mount_setattr"* ]] || { echo "$output"; false; }
	assert_no_trace "$ID"
}

@test "mount fallback: after pivot_root it names targets through /proc only when that is a proc mount" {
	# No proc mount: the rootfs' own /proc, where a fake self/fd/N points
	# every fd number at /decoy.  The mask must not land there.
	cfg 'mounts-={"destination": "/proc", "type": "proc", "source": "proc"}' \
		'linux.maskedPaths=["/sys/firmware"]' 'linux.readonlyPaths=[]'
	! grep -q '"/proc"' "$CONFIG"
	mkdir -p "$BUNDLE/rootfs/decoy" "$BUNDLE/rootfs/proc/self/fd"
	for n in $(seq 0 99); do ln -s /decoy "$BUNDLE/rootfs/proc/self/fd/$n"; done
	set_cmd 'ls -A /sys/firmware | wc -l'
	run "$WITHOUT_MOUNT_API" "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ] || { echo "$output"; false; }
	[[ $output == *"linux.maskedPaths[0] (/sys/firmware): /proc is not a proc mount"* ]] || { echo "$output"; false; }
	assert_no_trace "$ID"
	# the new API needs no /proc
	id2=$(new_id)
	run "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$id2"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_eq "$output" 0 "entries of the masked /sys/firmware"
}
