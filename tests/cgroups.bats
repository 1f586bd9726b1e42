#!/usr/bin/env bats
# cgroup resources (linux.resources at create, `update`), and the commands
# built on the container's cgroup: pause/resume, ps, events, kill --all,
# delete; cgroupsPath.  Every test reads the values back from the cgroup
# files of the layout of the machine: v1 (or hybrid, where hugetlb lives in
# the cgroup2 tree) or pure v2, with runtime-spec's v1 -> v2 conversions.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# References: runtime-spec config-linux.md "Control groups" and its
# subsections; runc's CLI for update/pause/resume/ps/events/kill --all.

load helpers
load lib/cgroup

setup() {
	setup_common
	cg_setup
}

teardown() {
	local r=0
	teardown_common || r=$?
	# the parents a test made for its cgroupsPath
	[ -z "${CG_TOP:-}" ] || remove_cgroup "$CG_TOP"
	return "$r"
}

MiB=1048576

# --- resources at create: memory ------------------------------------------------

@test "memory: limit, reservation and swap at create" {
	cfg "linux.resources.memory.limit=$((64 * MiB))" \
		"linux.resources.memory.reservation=$((32 * MiB))" \
		"linux.resources.memory.swap=$((128 * MiB))"
	cg_create
	if cg_v2; then
		cg_expect memory memory.max $((64 * MiB))
		cg_expect memory memory.low $((32 * MiB))
		# v2 swap is swap alone: memory.swap.max = swap - limit
		cg_need memory memory.swap.max
		cg_expect memory memory.swap.max $((64 * MiB))
	else
		cg_expect memory memory.limit_in_bytes $((64 * MiB))
		cg_expect memory memory.soft_limit_in_bytes $((32 * MiB))
		cg_need memory memory.memsw.limit_in_bytes
		cg_expect memory memory.memsw.limit_in_bytes $((128 * MiB))
	fi
}

# memcg_create ID BUNDLE: `create` with the runtime alone in a fresh v1
# memory cgroup under the test's own, the container's cgroup being
# elsewhere; prints the kernel memory
# peak of the runtime's cgroup, then the kernel memory the container's
# cgroup holds, in KiB.
memcg_create() {
	local id=$1 bundle=$2 own rcg peak
	own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print $3 }' /proc/self/cgroup)
	own=${own%/}/husk-test-rt-$id
	register_cgroup "$own"
	rcg=$(cg_v1_mount memory)$own
	mkdir "$rcg"
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$rcg" \
		"$HUSK" "${HUSK_GLOBAL[@]}" create --bundle "$bundle" "$id" \
		</dev/null >"$BATS_TEST_TMPDIR/$id.out" 2>&1 3>&- ||
		{ cat "$BATS_TEST_TMPDIR/$id.out" >&2; return 1; }
	peak=$(cat "$rcg/memory.kmem.max_usage_in_bytes")
	rmdir "$rcg"
	echo $((peak / 1024)) \
		$(($(cat "$(cg_dir memory "/husk-test-$id")/memory.kmem.usage_in_bytes") / 1024))
}

# The namespaces of `runc spec` (1.1), which engines send on v1: no cgroup
# namespace, with which the init joins its memory cgroup before it makes
# that namespace (whose root is the cgroup it is in), and so before the
# mounts.
NS_RUNC_SPEC='linux.namespaces=[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]'

# Issue 7's memory floor is the container's: the smallest
# linux.resources.memory.limit under which `run /bin/true` succeeds.  On v1
# the init joins its memory cgroup itself once the container is built
# (spawn.c): what the kernel allocates for the namespaces and mounts (a
# network namespace alone is ~100 KiB) is charged to the runtime's memory
# cgroup, as crun's namespaces are, and the container's limit is left to
# its process.  (cgroup v2: the init is cloned into its cgroup, and only v1
# counts kernel memory apart.)
@test "memory (v1): the runtime's cgroup, not the container's, pays for the namespaces and mounts" {
	cg_v2 && skip "cgroup v2 has no memory.kmem counters (and clones the init into its cgroup)"
	[ -e "$(cg_v1_mount memory)/memory.kmem.max_usage_in_bytes" ] ||
		skip "this kernel does not count kernel memory apart (memory.kmem)"
	set_args true
	cfg "$NS_RUNC_SPEC"
	out=$(memcg_create "$ID" "$BUNDLE")
	read -r rt ctr <<<"$out"
	echo "kernel memory: runtime peak $rt KiB, container $ctr KiB" >&2
	# created: the init is in the container's memory cgroup
	pid=$(container_pid "$ID")
	grep -Eq "^[0-9]+:([^:]*,)?memory(,[^:]*)?:/husk-test-$ID\$" "/proc/$pid/cgroup" ||
		{ cat "/proc/$pid/cgroup"; false; }
	# a few pages at most are the container's (the exec.fifo's pipe)
	[ "$ctr" -le 16 ]
	[ "$rt" -ge 64 ]
}

@test "memory (v1): a container limited to 160 KiB runs true" {
	cg_v2 && skip "cgroup v2 charges the init's namespaces to the container (it is cloned into its cgroup)"
	cfg "linux.resources.memory.limit=$((160 * 1024))" \
		"linux.resources.memory.swap=$((160 * 1024))" "$NS_RUNC_SPEC"
	set_args true
	# The binary's page cache is charged to whoever reads it first: here,
	# not the container.
	cat "$BUNDLE/rootfs/bin/busybox" >/dev/null
	run_husk -0 run --bundle "$BUNDLE" "$ID"
}

@test "memory (v1): the container's /sys/fs/cgroup/memory is its own cgroup" {
	cg_v2 && skip "cgroup v1 only (on v2 the init is born in its cgroup)"
	cfg "linux.resources.memory.limit=$((48 * MiB))" "$NS_RUNC_SPEC"
	set_args cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	run_husk -0 --separate-stderr run --bundle "$BUNDLE" "$ID"
	assert_eq "$output" $((48 * MiB))
}

@test "memory: swap -1 is unlimited swap" {
	cfg "linux.resources.memory.limit=$((64 * MiB))" linux.resources.memory.swap=-1
	cg_create
	if cg_v2; then
		cg_expect memory memory.max $((64 * MiB))
		cg_need memory memory.swap.max
		cg_expect memory memory.swap.max max
	else
		cg_expect memory memory.limit_in_bytes $((64 * MiB))
		cg_need memory memory.memsw.limit_in_bytes
		# unlimited: the same as the root's
		cg_expect memory memory.memsw.limit_in_bytes "$(cat "$(cg_v1_mount memory)/memory.memsw.limit_in_bytes")"
	fi
}

@test "memory: swappiness and disableOOMKiller (v1)" {
	cg_v2 && skip "cgroup v2 has no memory.swappiness nor memory.oom_control"
	cfg "linux.resources.memory.limit=$((64 * MiB))" \
		linux.resources.memory.swappiness=37 \
		linux.resources.memory.disableOOMKiller=true
	cg_create
	cg_expect memory memory.swappiness 37
	grep -qx 'oom_kill_disable 1' "$(cg_file memory memory.oom_control)" ||
		{ echo "memory.oom_control: $(cg_read memory memory.oom_control)"; false; }
}

# --- cpu -------------------------------------------------------------------------

@test "cpu: shares, quota and period at create" {
	cfg linux.resources.cpu.shares=512 linux.resources.cpu.quota=50000 linux.resources.cpu.period=200000
	cg_create
	if cg_v2; then
		cg_expect cpu cpu.weight "$(cg_shares_to_weight 512)"
		cg_expect cpu cpu.max "50000 200000"
	else
		cg_expect cpu cpu.shares 512
		cg_expect cpu cpu.cfs_quota_us 50000
		cg_expect cpu cpu.cfs_period_us 200000
	fi
}

@test "cpu: burst" {
	# runc deviates/fails here: runc 1.1.5 (and crun 1.8.1) leave the burst
	# at 0: they do not know linux.resources.cpu.burst.
	cfg linux.resources.cpu.quota=50000 linux.resources.cpu.period=100000 linux.resources.cpu.burst=20000
	cg_create
	if cg_v2; then
		cg_need cpu cpu.max.burst
		cg_expect cpu cpu.max "50000 100000"
		cg_expect cpu cpu.max.burst 20000
	else
		cg_need cpu cpu.cfs_burst_us
		cg_expect cpu cpu.cfs_quota_us 50000
		cg_expect cpu cpu.cfs_burst_us 20000
	fi
}

@test "cpu: idle" {
	# runc deviates/fails here: runc 1.1.5 leaves cpu.idle at 0: it does not
	# know linux.resources.cpu.idle.
	cfg linux.resources.cpu.idle=1
	cg_create
	cg_need cpu cpu.idle
	cg_expect cpu cpu.idle 1
}

@test "cpuset: cpus and mems at create" {
	cpu=$(cg_last_cpu)
	mem=$(cg_first_mem)
	cfg "linux.resources.cpu.cpus=\"$cpu\"" "linux.resources.cpu.mems=\"$mem\""
	cg_create
	cg_expect cpuset cpuset.cpus "$cpu"
	cg_expect cpuset cpuset.mems "$mem"
	# and the process runs there
	pid=$(container_pid "$ID")
	assert_eq "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$pid/status)" "$cpu" "Cpus_allowed_list"
}

@test "cpuset (v1): a new cgroup gets its parent's CPUs and nodes, through parents made or left empty" {
	cg_v2 && skip "cgroup v2: an empty cpuset is the parent's; nothing is copied"
	m=$(cg_v1_mount cpuset)
	cpu=$(cg_last_cpu)
	mem=$(cg_first_mem)
	[ "$(cat "$m/cpuset.cpus")" != "$cpu" ] || skip "one CPU online: no narrower cpuset"
	# narrow has the last CPU only; below it, empty is as mkdir leaves a
	# v1 cpuset; the runtime makes new and leaf
	CG_TOP=/husk-test-$ID
	mkdir "$m$CG_TOP"
	cat "$m/cpuset.cpus" >"$m$CG_TOP/cpuset.cpus"
	cat "$m/cpuset.mems" >"$m$CG_TOP/cpuset.mems"
	mkdir "$m$CG_TOP/narrow"
	echo "$cpu" >"$m$CG_TOP/narrow/cpuset.cpus"
	echo "$mem" >"$m$CG_TOP/narrow/cpuset.mems"
	mkdir "$m$CG_TOP/narrow/empty"
	CG=$CG_TOP/narrow/empty/new/leaf
	cfg "linux.cgroupsPath=$CG"
	cg_create
	cg_expect cpuset cpuset.cpus "$cpu"
	cg_expect cpuset cpuset.mems "$mem"
	assert_eq "$(cat "$m$CG_TOP/narrow/empty/cpuset.cpus")" "$cpu" "the empty parent's cpuset.cpus"
	assert_eq "$(cat "$m$CG_TOP/narrow/empty/new/cpuset.mems")" "$mem" "the new parent's cpuset.mems"
	pid=$(container_pid "$ID")
	assert_eq "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$pid/status)" "$cpu" "Cpus_allowed_list"
	run_husk -0 delete --force "$ID"
	[ -z "$(cgroup_dirs "$CG")" ] || { echo "left: $(cgroup_dirs "$CG")"; false; }
	# the parents are not the container's: they stay, for us to remove
	remove_cgroup "$CG_TOP"
}

# --- block io ----------------------------------------------------------------------

@test "blkio: weight at create" {
	cfg linux.resources.blockIO.weight=500
	cg_create
	if cg_v2; then
		# io.bfq.weight takes the v1 value, io.weight the converted one
		if cg_has io io.bfq.weight; then
			assert_eq "$(cg_weight_value "$(cg_file io io.bfq.weight)")" 500 io.bfq.weight
		elif cg_has io io.weight; then
			assert_eq "$(cg_weight_value "$(cg_file io io.weight)")" "$(cg_blkio_to_io_weight 500)" io.weight
		else
			skip "this kernel has neither io.bfq.weight nor io.weight"
		fi
	else
		if cg_has blkio blkio.weight; then
			assert_eq "$(cg_weight_value "$(cg_file blkio blkio.weight)")" 500 blkio.weight
		elif cg_has blkio blkio.bfq.weight; then
			assert_eq "$(cg_weight_value "$(cg_file blkio blkio.bfq.weight)")" 500 blkio.bfq.weight
		else
			skip "this kernel has neither blkio.weight nor blkio.bfq.weight"
		fi
	fi
}

@test "blkio: throttle read/write bps and iops of a device" {
	dev=$(cg_block_dev) || skip "no block device on this machine"
	maj=${dev%:*} min=${dev#*:}
	cfg "linux.resources.blockIO.throttleReadBpsDevice=[{\"major\": $maj, \"minor\": $min, \"rate\": $MiB}]" \
		"linux.resources.blockIO.throttleWriteBpsDevice=[{\"major\": $maj, \"minor\": $min, \"rate\": $((2 * MiB))}]" \
		"linux.resources.blockIO.throttleReadIOPSDevice=[{\"major\": $maj, \"minor\": $min, \"rate\": 100}]" \
		"linux.resources.blockIO.throttleWriteIOPSDevice=[{\"major\": $maj, \"minor\": $min, \"rate\": 200}]"
	cg_create
	if cg_v2; then
		cg_need io io.max
		grep -qx "$dev rbps=$MiB wbps=$((2 * MiB)) riops=100 wiops=200" "$(cg_file io io.max)" ||
			{ echo "io.max: $(cg_read io io.max)"; false; }
	else
		cg_expect blkio blkio.throttle.read_bps_device "$dev $MiB"
		cg_expect blkio blkio.throttle.write_bps_device "$dev $((2 * MiB))"
		cg_expect blkio blkio.throttle.read_iops_device "$dev 100"
		cg_expect blkio blkio.throttle.write_iops_device "$dev 200"
	fi
}

# --- pids, hugetlb, unified, network, devices ------------------------------------

@test "pids: limit at create" {
	cfg linux.resources.pids.limit=42
	cg_create
	cg_expect pids pids.max 42
}

@test "hugetlb: 2MB limit at create (cgroup2 tree on a hybrid host)" {
	# runc deviates/fails here: runc 1.1 looks for hugetlb in the v1
	# hierarchies only: on a hybrid host where hugetlb is in cgroup2 its
	# create fails ("cannot set hugetlb limit"); on v2 it leaves the
	# reservation limit (hugetlb.2MB.rsvd.max) at max, as crun 1.8.1 does.
	cg_hugetlb_2mb || skip "this kernel has no 2MB huge pages or no hugetlb controller"
	cfg 'linux.resources.hugepageLimits=[{"pageSize": "2MB", "limit": 4194304}]'
	cg_create
	pid=$(container_pid "$ID")
	d=$(cg_dir hugetlb)
	grep -qx "$pid" "$d/cgroup.procs" || { echo "$pid not in $d"; false; }
	if [ -e "$d/hugetlb.2MB.max" ]; then
		assert_eq "$(cat "$d/hugetlb.2MB.max")" 4194304 hugetlb.2MB.max
		# spec: the limit is on reservations where the kernel has them
		[ ! -e "$d/hugetlb.2MB.rsvd.max" ] || assert_eq "$(cat "$d/hugetlb.2MB.rsvd.max")" 4194304 hugetlb.2MB.rsvd.max
	else
		assert_eq "$(cat "$d/hugetlb.2MB.limit_in_bytes")" 4194304 hugetlb.2MB.limit_in_bytes
		[ ! -e "$d/hugetlb.2MB.rsvd.limit_in_bytes" ] ||
			assert_eq "$(cat "$d/hugetlb.2MB.rsvd.limit_in_bytes")" 4194304 hugetlb.2MB.rsvd.limit_in_bytes
	fi
}

@test "unified: a key of a cgroup2 controller is written to the cgroup2 tree" {
	# runc deviates/fails here: runc 1.1 refuses linux.resources.unified
	# unless the host is pure cgroup v2 ("cannot use unified on cgroup v1").
	[ -n "$(cg_unified_mount)" ] || skip "no cgroup2 hierarchy on this machine"
	if cg_unified_has hugetlb && [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
		key=hugetlb.2MB.max val=6291456
	elif cg_v2; then
		key=pids.max val=23
	else
		skip "the cgroup2 tree of this hybrid host has no controller with a limit"
	fi
	cfg "linux.resources.unified[\"$key\"]=\"$val\""
	cg_create
	f=$(cg_unified_mount)$CG/$key
	assert_eq "$(cat "$f")" "$val" "$f"
	pid=$(container_pid "$ID")
	grep -qx "$pid" "$(cg_unified_mount)$CG/cgroup.procs"
}

@test "unified: a key of a controller that cgroup2 lacks fails create, naming linux.resources.unified" {
	# runc deviates here: its error does not name linux.resources.unified.
	if [ -z "$(cg_unified_mount)" ] || ! cg_unified_has memory; then
		key=memory.max # v1-only (or no cgroup2 at all) here
	else
		key=nosuchcontroller.max
	fi
	cfg "linux.resources.unified[\"$key\"]=\"$((64 * MiB))\""
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	[ "$status" -ne 0 ] || { echo "create succeeded with unified $key"; false; }
	assert_match "$output" 'linux\.resources\.unified'
	assert_no_trace "$ID" "$CG"
}

@test "network: classID is refused where net_cls is not mounted" {
	# runc deviates here: runc 1.1 refuses it on v1 with an error that does
	# not name linux.resources.network ("cannot set net_cls limit"), and
	# ignores it silently on v2; the spec has no resource silently dropped.
	cfg linux.resources.network.classID=1048577
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	if m=$(cg_v1_mount net_cls) && [ -n "$m" ]; then
		assert_eq "$status" 0 "create status"
		assert_eq "$(cat "$m$CG/net_cls.classid")" 1048577 net_cls.classid
	else
		[ "$status" -ne 0 ] || { echo "create succeeded with net_cls absent"; false; }
		if cg_v2; then
			assert_eq "$output" "husk: create: linux.resources.network.classID: cgroup v2 has no net_cls controller"
		else
			assert_eq "$output" "husk: create: linux.resources.network.classID: the net_cls controller is not available on this host"
		fi
		assert_no_trace "$ID" "$CG"
	fi
}

@test "network: priorities are refused where net_prio is not mounted" {
	# runc deviates here: as for classID (v1: error without the JSON path;
	# v2: ignored silently).
	cfg 'linux.resources.network.priorities=[{"name": "lo", "priority": 5}]'
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	if m=$(cg_v1_mount net_prio) && [ -n "$m" ]; then
		assert_eq "$status" 0 "create status"
		grep -qx 'lo 5' "$m$CG/net_prio.ifpriomap"
	else
		[ "$status" -ne 0 ] || { echo "create succeeded with net_prio absent"; false; }
		if cg_v2; then
			assert_eq "$output" "husk: create: linux.resources.network.priorities: cgroup v2 has no net_prio controller"
		else
			assert_eq "$output" "husk: create: linux.resources.network.priorities: the net_prio controller is not available on this host"
		fi
		assert_no_trace "$ID" "$CG"
	fi
}

# --- what a layout lacks: refused, naming the JSON path -----------------------
#
# runtime-spec: a resource the runtime cannot apply is an error, never
# dropped.  Each test checks the layout that has the file too: there the
# value is written.  runc deviates here: it ignores most of these on v2.

@test "memory: swappiness is refused on cgroup v2 (written on v1)" {
	cfg linux.resources.memory.swappiness=37
	if cg_v2; then
		cg_refused "linux.resources.memory.swappiness: cgroup v2 has no per-cgroup swappiness"
	else
		cg_create
		cg_expect memory memory.swappiness 37
	fi
}

@test "memory: disableOOMKiller is refused on cgroup v2 (written on v1)" {
	cfg linux.resources.memory.disableOOMKiller=true
	if cg_v2; then
		cg_refused "linux.resources.memory.disableOOMKiller: cgroup v2 cannot disable the OOM killer"
	else
		cg_create
		grep -qx 'oom_kill_disable 1' "$(cg_file memory memory.oom_control)"
	fi
}

@test "memory: useHierarchy false is refused on cgroup v2 (v1: written, or refused by the kernel)" {
	cfg linux.resources.memory.useHierarchy=false
	if cg_v2; then
		cg_refused "linux.resources.memory.useHierarchy: cgroup v2 is always hierarchical"
		return
	fi
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	if [ "$status" -eq 0 ]; then
		cg_expect memory memory.use_hierarchy 0
	else
		# kernels from 5.16 refuse 0: the error is the kernel's, named
		assert_eq "$output" "husk: create: linux.resources.memory.useHierarchy: write memory.use_hierarchy: Invalid argument"
		assert_no_trace "$ID" "$CG"
	fi
}

@test "memory: kernel is refused on cgroup v2, and on v1 where the kernel ignores it" {
	cfg "linux.resources.memory.kernel=$((64 * MiB))"
	if cg_v2; then
		cg_refused "linux.resources.memory.kernel: cgroup v2 has no kernel memory limit"
		return
	fi
	set_cmd "sleep 1000; : $ID"
	husk_create "$ID" "$BUNDLE"
	if [ "$status" -eq 0 ]; then
		cg_expect memory memory.kmem.limit_in_bytes $((64 * MiB))
	else
		# kernels from 6.1 accept the write and ignore it
		assert_eq "$output" "husk: create: linux.resources.memory.kernel: this kernel ignores kernel memory limits (memory.kmem.limit_in_bytes)"
		assert_no_trace "$ID" "$CG"
	fi
}

@test "memory: kernelTCP is refused on cgroup v2 (written on v1)" {
	cfg "linux.resources.memory.kernelTCP=$((64 * MiB))"
	if cg_v2; then
		cg_refused "linux.resources.memory.kernelTCP: cgroup v2 has no kernel TCP memory limit"
	else
		cg_create
		cg_expect memory memory.kmem.tcp.limit_in_bytes $((64 * MiB))
	fi
}

@test "cpu: realtimeRuntime is refused on cgroup v2 (written on v1)" {
	cfg linux.resources.cpu.realtimeRuntime=10000
	if cg_v2; then
		cg_refused "linux.resources.cpu.realtimeRuntime: cgroup v2 has no real-time scheduling limits"
	else
		cg_create
		cg_need cpu cpu.rt_runtime_us
		cg_expect cpu cpu.rt_runtime_us 10000
	fi
}

@test "cpu: realtimePeriod is refused on cgroup v2 (written on v1)" {
	cfg linux.resources.cpu.realtimePeriod=500000
	if cg_v2; then
		cg_refused "linux.resources.cpu.realtimePeriod: cgroup v2 has no real-time scheduling limits"
	else
		cg_create
		cg_need cpu cpu.rt_period_us
		cg_expect cpu cpu.rt_period_us 500000
	fi
}

# cg_leaf_weights: this v1 kernel has CFQ's leaf weights.
cg_leaf_weights() {
	[ -e "$(cg_v1_mount blkio)/blkio.leaf_weight" ]
}

@test "blkio: leafWeight is refused on cgroup v2 and without CFQ" {
	cfg linux.resources.blockIO.leafWeight=300
	if cg_v2; then
		cg_refused "linux.resources.blockIO.leafWeight: cgroup v2 has no leaf weight"
	elif ! cg_leaf_weights; then
		cg_refused "linux.resources.blockIO.leafWeight: this kernel has no leaf weights (blkio.leaf_weight, CFQ's)"
	else
		cg_create
		cg_expect blkio blkio.leaf_weight 300
	fi
}

@test "blkio: weightDevice leafWeight is refused on cgroup v2 and without CFQ" {
	# refused before anything is written: any device will do, but the
	# kernel that has leaf weights wants a real one
	dev=$(cg_block_dev) || dev=8:0
	cfg "linux.resources.blockIO.weightDevice=[{\"major\": ${dev%:*}, \"minor\": ${dev#*:}, \"leafWeight\": 300}]"
	if cg_v2; then
		cg_refused "linux.resources.blockIO.weightDevice[0].leafWeight: cgroup v2 has no leaf weight"
	elif ! cg_leaf_weights; then
		cg_refused "linux.resources.blockIO.weightDevice[0].leafWeight: this kernel has no leaf weights (blkio.leaf_weight, CFQ's)"
	else
		cg_block_dev >/dev/null || skip "no block device on this machine"
		cg_create
		grep -qx "$dev 300" "$(cg_file blkio blkio.leaf_weight_device)"
	fi
}

@test "rdma: refused where the rdma controller is absent, or the device unknown" {
	cfg 'linux.resources.rdma={"husk-no-such-hca": {"hcaHandles": 3}}'
	if [ -n "$(cg_v1_mount rdma)" ] || cg_unified_has rdma; then
		cg_refused "linux.resources.rdma.husk-no-such-hca: write rdma.max: No such device"
	else
		cg_refused "linux.resources.rdma: the rdma controller is not available on this host"
	fi
}

# The default devices (/dev/null, zero, full, random, urandom, tty) are
# always usable: the spec says the runtime MUST supply them, and runtimes
# allow them after the config's rules.  So the denied device is one outside
# that set: the fuse device, 10:229 (the check is at open(2), before the
# driver: a denied node fails with EPERM whatever the device).
DEVICE_RULES='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
MYDEV='[{"path": "/dev/mydev", "type": "c", "major": 10, "minor": 229, "fileMode": 438}]'

@test "devices: deny all + allow /dev/null: a node of a denied device cannot be opened" {
	cfg "linux.resources.devices=$DEVICE_RULES" "linux.devices=$MYDEV"
	cg_sh_ok 'head -c1 /dev/null && echo null-ok; ls -l /dev/mydev >/dev/null && echo mydev-exists; head -c1 /dev/mydev || echo mydev-failed'
	assert_eq "$output" "null-ok
mydev-exists
mydev-failed"
	assert_match "$stderr" '/dev/mydev: Operation not permitted'
}

@test "devices: an allow rule for the device lets it be opened" {
	[ -e /sys/dev/char/10:229 ] || skip "no fuse device (10:229) on this machine"
	cfg "linux.resources.devices=$DEVICE_RULES" "linux.devices=$MYDEV" \
		'linux.resources.devices+={"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}'
	cg_sh_ok 'exec 3</dev/mydev && echo mydev-opened'
	assert_eq "$output" mydev-opened
}

@test "devices (v1): devices.list has every rule, the config's and the default devices'" {
	cg_v2 && skip "cgroup v2 has no devices.list (an eBPF filter: the tests above)"
	cfg "linux.resources.devices=$DEVICE_RULES" \
		'linux.resources.devices+={"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}' \
		'linux.resources.devices+={"allow": true, "type": "b", "major": 7, "access": "r"}'
	cg_create
	# without the m (mknod) bits: the default "c *:* m" and "b *:* m" give
	# that to every device, and husk (not runc) lists it on each rule too
	list=$(cg_read devices devices.list | sed 's/m$//')
	for rule in 'c 10:229 rw' 'b 7:* r' 'c 1:3 rw' 'c 1:5 rw' 'c 1:7 rw' \
		'c 1:8 rw' 'c 1:9 rw' 'c 5:0 rw'; do
		grep -qxF "$rule" <<<"$list" || { echo "no \"$rule\" in devices.list: $list"; false; }
	done
	! grep -q '^a ' <<<"$list" || { echo "devices.list still allows all: $list"; false; }
}

# --- what the limits do, seen from inside ------------------------------------------

# A shell that doubles a string until the memory limit kills it.
HOG='a=x; while :; do a="$a$a"; done'

@test "memory: a hog over the limit is OOM-killed" {
	cfg "linux.resources.memory.limit=$((8 * MiB))" "linux.resources.memory.swap=$((8 * MiB))"
	cg_sh "$HOG"
	assert_eq "$status" 137 "exit status (128 + SIGKILL) of the OOM-killed process"
}

@test "pids: the limit stops fork" {
	cfg linux.resources.pids.limit=10
	cg_sh 'i=0; while [ $i -lt 20 ]; do sleep 100 & i=$((i+1)); echo $i; done; echo all-forked'
	[ "$status" -ne 0 ] || { echo "every fork succeeded: $output"; false; }
	assert_match "$stderr" "can't fork|Resource temporarily unavailable"
	# the shell and 9 sleeps make the 10 tasks the limit allows
	assert_eq "${lines[-1]}" 9 "sleeps forked"
}

# --- update ----------------------------------------------------------------------------

# expect_memory LIMIT RESERVATION [SWAP] (memory + swap, as in the spec)
expect_memory() {
	if cg_v2; then
		cg_expect memory memory.max "$1"
		cg_expect memory memory.low "$2"
		[ -z "$3" ] || ! cg_has memory memory.swap.max || cg_expect memory memory.swap.max $(($3 - $1))
	else
		cg_expect memory memory.limit_in_bytes "$1"
		cg_expect memory memory.soft_limit_in_bytes "$2"
		[ -z "$3" ] || ! cg_has memory memory.memsw.limit_in_bytes || cg_expect memory memory.memsw.limit_in_bytes "$3"
	fi
}

# expect_cpu SHARES QUOTA PERIOD
expect_cpu() {
	if cg_v2; then
		cg_expect cpu cpu.weight "$(cg_shares_to_weight "$1")"
		cg_expect cpu cpu.max "$2 $3"
	else
		cg_expect cpu cpu.shares "$1"
		cg_expect cpu cpu.cfs_quota_us "$2"
		cg_expect cpu cpu.cfs_period_us "$3"
	fi
}

# blkio_weight: the container's block io weight, in v1 units where the
# file takes them (blkio.weight, blkio.bfq.weight, io.bfq.weight), else
# io.weight's; "" when the kernel has none of them.
blkio_weight_file() {
	local f
	if cg_v2; then
		for f in io.bfq.weight io.weight; do
			cg_has io $f && { cg_file io $f; return 0; }
		done
	else
		for f in blkio.weight blkio.bfq.weight; do
			cg_has blkio $f && { cg_file blkio $f; return 0; }
		done
	fi
	return 1
}

# expect_blkio_weight W
expect_blkio_weight() {
	local f want=$1
	f=$(blkio_weight_file) || return 1
	[ "${f##*/}" != io.weight ] || want=$(cg_blkio_to_io_weight "$1")
	assert_eq "$(cg_weight_value "$f")" "$want" "$f"
}

@test "update: --resources FILE" {
	cg_create
	cat >"$BATS_TEST_TMPDIR/r.json" <<-EOF
		{"memory": {"limit": $((64 * MiB)), "reservation": $((32 * MiB)), "swap": $((128 * MiB))},
		 "cpu": {"shares": 256, "quota": 30000, "period": 100000},
		 "pids": {"limit": 33}}
	EOF
	run_husk -0 update --resources "$BATS_TEST_TMPDIR/r.json" "$ID"
	expect_memory $((64 * MiB)) $((32 * MiB)) $((128 * MiB))
	expect_cpu 256 30000 100000
	cg_expect pids pids.max 33
}

@test "update: -r - reads the resources from stdin" {
	cfg linux.resources.pids.limit=50 linux.resources.cpu.shares=1024
	cg_create
	cg_expect pids pids.max 50
	run_husk -0 update -r - "$ID" <<<'{"pids": {"limit": 77}, "cpu": {"shares": 768}}'
	cg_expect pids pids.max 77
	if cg_v2; then
		cg_expect cpu cpu.weight "$(cg_shares_to_weight 768)"
	else
		cg_expect cpu cpu.shares 768
	fi
}

@test "update: --memory, --memory-swap, --memory-reservation" {
	cfg "linux.resources.memory.limit=$((32 * MiB))" "linux.resources.memory.swap=$((32 * MiB))"
	cg_start 'sleep 1000'
	run_husk -0 update --memory $((96 * MiB)) --memory-swap $((160 * MiB)) --memory-reservation $((48 * MiB)) "$ID"
	expect_memory $((96 * MiB)) $((48 * MiB)) $((160 * MiB))
	# lower again, one flag at a time; on v1 memory + swap stays (v2 has no
	# such total: what swap becomes there is the runtime's choice)
	run_husk -0 update --memory-reservation $((16 * MiB)) "$ID"
	run_husk -0 update --memory $((80 * MiB)) "$ID"
	if cg_v2; then
		expect_memory $((80 * MiB)) $((16 * MiB))
	else
		expect_memory $((80 * MiB)) $((16 * MiB)) $((160 * MiB))
	fi
}

@test "update: --cpu-share, --cpu-quota, --cpu-period" {
	cg_start 'sleep 1000'
	run_husk -0 update --cpu-share 256 "$ID"
	run_husk -0 update --cpu-quota 25000 --cpu-period 50000 "$ID"
	expect_cpu 256 25000 50000
	run_husk -0 update --cpu-period 80000 "$ID"
	expect_cpu 256 25000 80000
}

@test "update: --cpuset-cpus, --cpuset-mems" {
	first=$(cut -d- -f1 /sys/devices/system/cpu/online | cut -d, -f1)
	last=$(cg_last_cpu)
	[ "$first" != "$last" ] || skip "one CPU online: no other cpuset to move to"
	mem=$(cg_first_mem)
	cfg "linux.resources.cpu.cpus=\"$first\"" "linux.resources.cpu.mems=\"$mem\""
	cg_start 'sleep 1000'
	cg_expect cpuset cpuset.cpus "$first"
	run_husk -0 update --cpuset-cpus "$last" --cpuset-mems "$mem" "$ID"
	cg_expect cpuset cpuset.cpus "$last"
	cg_expect cpuset cpuset.mems "$mem"
	assert_eq "$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/$PID/status)" "$last" "Cpus_allowed_list"
}

@test "update: --pids-limit" {
	cfg linux.resources.pids.limit=100
	cg_start 'sleep 1000'
	run_husk -0 update --pids-limit 12 "$ID"
	cg_expect pids pids.max 12
}

@test "update: --blkio-weight" {
	cfg linux.resources.blockIO.weight=500
	cg_start 'sleep 1000'
	blkio_weight_file >/dev/null || skip "this kernel has no blkio/io weight file"
	expect_blkio_weight 500
	run_husk -0 update --blkio-weight 300 "$ID"
	expect_blkio_weight 300
}

@test "update: a stopped container cannot be updated" {
	cfg linux.resources.pids.limit=100
	set_cmd "exit 0; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk update --pids-limit 10 "$ID"
	[ "$status" -ne 0 ] || { echo "update of a stopped container succeeded: $output"; false; }
	run_husk update -r - "$ID" <<<'{"pids": {"limit": 10}}'
	[ "$status" -ne 0 ] || { echo "update -r - of a stopped container succeeded: $output"; false; }
}

# --- pause / resume ---------------------------------------------------------------------

# The container appends to /counter as fast as it can.
COUNTER_CMD='while :; do echo x >>/counter; done'

counter_size() {
	stat -c %s "$BUNDLE/rootfs/counter" 2>/dev/null || echo 0
}

# counter_advances: the counter grows (bounded: 10 s)
counter_advances() {
	local a
	a=$(counter_size)
	retry 200 0.05 eval '[ "$(counter_size)" -gt '"$a"' ]' || { echo "the counter does not advance from $a"; return 1; }
}

# expect_frozen yes|no: the freezer of the container's cgroup
expect_frozen() {
	if cg_v2; then
		cg_expect freezer cgroup.freeze "$([ "$1" = yes ] && echo 1 || echo 0)"
		grep -qx "frozen $([ "$1" = yes ] && echo 1 || echo 0)" "$(cg_file freezer cgroup.events)"
	else
		cg_expect freezer freezer.state "$([ "$1" = yes ] && echo FROZEN || echo THAWED)"
	fi
}

@test "pause/resume: a paused container stops, resume continues" {
	cg_start "$COUNTER_CMD"
	counter_advances
	run_husk -0 pause "$ID"
	assert_eq "$(container_status "$ID")" paused status
	expect_frozen yes
	a=$(counter_size)
	sleep 0.5
	assert_eq "$(counter_size)" "$a" "counter size while paused"
	run_husk -0 resume "$ID"
	assert_eq "$(container_status "$ID")" running status
	expect_frozen no
	counter_advances
}

@test "pause/resume: pausing a paused container and resuming a running one fail" {
	cg_start 'sleep 1000'
	run_husk resume "$ID"
	[ "$status" -ne 0 ] || { echo "resume of a running container succeeded"; false; }
	run_husk -0 pause "$ID"
	run_husk pause "$ID"
	[ "$status" -ne 0 ] || { echo "pause of a paused container succeeded"; false; }
	assert_eq "$(container_status "$ID")" paused status
	run_husk -0 resume "$ID"
	assert_eq "$(container_status "$ID")" running status
}

@test "pause: a stopped container cannot be paused" {
	set_cmd "exit 0; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk pause "$ID"
	[ "$status" -ne 0 ] || { echo "pause of a stopped container succeeded"; false; }
	run_husk resume "$ID"
	[ "$status" -ne 0 ] || { echo "resume of a stopped container succeeded"; false; }
}

@test "pause: a paused container can be killed, then deleted" {
	cg_start "$COUNTER_CMD"
	run_husk -0 pause "$ID"
	run_husk -0 kill "$ID" KILL
	wait_pid_gone "$PID" || { echo "the paused container's process survived SIGKILL"; false; }
	wait_for_status "$ID" stopped
	run_husk -0 delete "$ID"
	assert_no_trace "$ID" "$CG"
}

@test "pause: delete --force of a paused container" {
	cg_start "$COUNTER_CMD"
	run_husk -0 pause "$ID"
	run_husk -0 delete --force "$ID"
	wait_pid_gone "$PID"
	assert_no_trace "$ID" "$CG"
}

# --- ps ----------------------------------------------------------------------------------

# wait_procs N: the cgroup holds N processes (bounded: 10 s).
wait_procs() {
	retry 200 0.05 eval '[ "$(cg_procs | wc -l)" -eq '"$1"' ]' ||
		{ echo "cgroup holds $(cg_procs | wc -l) processes, not $1"; return 1; }
}

@test "ps --format json: the pids of the cgroup" {
	cg_start 'sleep 1000 & sleep 1000 & wait'
	wait_procs 3
	run_husk -0 --separate-stderr ps --format json "$ID"
	got=$("$PYTHON" -c 'import json, sys
a = json.load(sys.stdin)
assert isinstance(a, list) and all(type(x) is int for x in a), a
print("\n".join(map(str, sorted(a))))' <<<"$output")
	assert_eq "$got" "$(cg_procs)" "ps --format json"
	grep -qx "$PID" <<<"$got"
}

@test "ps: the table has a header and a line per process of the container" {
	command -v ps >/dev/null || skip "no ps(1) on this machine"
	cg_start 'sleep 1000 & sleep 1000 & wait'
	wait_procs 3
	run_husk -0 --separate-stderr ps "$ID"
	col=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "PID") print i }' <<<"$output")
	[ -n "$col" ] || { echo "no PID column in the header: ${lines[0]}"; false; }
	got=$(awk -v c="$col" 'NR > 1 { print $c }' <<<"$output" | sort -n)
	assert_eq "$got" "$(cg_procs)" "pids of the table"
	# the two sleeps (the shell's own command line ends with the id)
	assert_eq "$(grep -Ec ' sleep 1000$' <<<"$output")" 2 "sleep lines"
}

# --- events --------------------------------------------------------------------------------

@test "events --stats: one JSON line of type stats" {
	cg_start 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; touch /busy-done; sleep 1000'
	wait_file "$BUNDLE/rootfs/busy-done"
	run_husk -0 --separate-stderr events --stats "$ID"
	assert_eq "${#lines[@]}" 1 "lines of events --stats"
	"$PYTHON" -c 'import json, sys
e = json.loads(sys.stdin.read())
assert e["type"] == "stats", e["type"]
assert e["id"] == sys.argv[1], e["id"]
d = e["data"]
assert d["cpu"]["usage"]["total"] > 0, d["cpu"]
assert d["memory"]["usage"]["usage"] > 0, d["memory"]["usage"]
assert d["pids"]["current"] >= 1, d["pids"]' "$ID" <<<"$output"
}

@test "events: an OOM kill in the container is reported" {
	cfg "linux.resources.memory.limit=$((8 * MiB))" "linux.resources.memory.swap=$((8 * MiB))"
	echo "$HOG" >"$BUNDLE/rootfs/hog.sh"
	# a hog after the other: an event is seen whenever events listens
	cg_start 'while :; do sh /hog.sh; done'
	husk_bg "$BATS_TEST_TMPDIR/events.out" events "$ID"
	ev=$BATS_TEST_TMPDIR/events.out
	retry 600 0.05 grep -q '"type": *"oom"' "$ev" || { echo "no oom event: $(cat "$ev")"; false; }
	kill "$BG_PID"
	wait "$BG_PID" || true
	line=$(grep -m1 '"type": *"oom"' "$ev")
	assert_eq "$(json_get - id <<<"$line")" "$ID" "id of the oom event"
}

# --- kill --all, delete ---------------------------------------------------------------------

@test "kill --all: every process of the cgroup gets the signal" {
	# each shell records the signal it gets
	cat >"$BUNDLE/rootfs/trap.sh" <<-'EOF'
		trap "touch /got.$N" USR1
		touch /ready.$N
		while :; do sleep 0.1; done
	EOF
	cg_start 'N=2 sh /trap.sh & N=3 sh /trap.sh & N=1; . /trap.sh'
	for n in 1 2 3; do wait_file "$BUNDLE/rootfs/ready.$n"; done
	run_husk -0 kill --all "$ID" USR1
	for n in 1 2 3; do
		wait_file "$BUNDLE/rootfs/got.$n" || { echo "process $n did not get SIGUSR1"; false; }
	done
	# the signal was not fatal: they all still run
	assert_eq "$(container_status "$ID")" running status
}

@test "kill --all: SIGKILL empties the cgroup" {
	cfg -ns:pid
	cg_start 'sleep 1000 & sleep 1000 & wait'
	wait_procs 3
	pids=$(cg_procs)
	for p in $pids; do track_pid "$p"; done
	run_husk -0 kill --all "$ID" KILL
	for p in $pids; do wait_pid_gone "$p" || { echo "$p survived"; false; }; done
	wait_for_status "$ID" stopped
}

@test "delete: the cgroup is removed from every hierarchy" {
	cg_create
	pid=$(container_pid "$ID")
	# the container is in every hierarchy: each v1 one (named ones too)
	# and cgroup2 (on a hybrid host as well)
	for m in $(cgroup_mounts); do
		[ -d "$m$CG" ] || { echo "no $m$CG"; false; }
		grep -qx "$pid" "$m$CG/cgroup.procs" || { echo "$pid not in $m$CG"; false; }
	done
	dirs=$(cgroup_dirs "$CG")
	run_husk -0 delete --force "$ID"
	left=$(cgroup_dirs "$CG")
	[ -z "$left" ] || { echo "left after delete: $left (had: $dirs)"; false; }
}

@test "delete --force: processes left in the cgroup after the init exited are killed" {
	# without a pid namespace the init's children outlive it
	cfg -ns:pid
	set_cmd "sleep 1000 & sleep 1000 & exit 0; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_for_status "$ID" stopped
	wait_procs 2
	pids=$(cg_procs)
	for p in $pids; do track_pid "$p"; done
	run_husk -0 delete --force "$ID"
	for p in $pids; do wait_pid_gone "$p" || { echo "$p survived delete --force"; false; }; done
	assert_no_trace "$ID" "$CG"
}

# --- cgroupsPath -------------------------------------------------------------------------------

# expect_in_cgroup PID PATH CTRL...: PID is in cgroup PATH for each v1 CTRL
# (or in cgroup2 on a pure v2 host).
expect_in_cgroup() {
	local pid=$1 path=$2 c
	shift 2
	if cg_v2; then
		grep -qx "0::$path" "/proc/$pid/cgroup" || { echo "$(cat /proc/$pid/cgroup), not $path"; return 1; }
		return 0
	fi
	for c in "$@"; do
		grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:$path\$" "/proc/$pid/cgroup" ||
			{ echo "$c: $(grep -E ":([^:]*,)?$c(,[^:]*)?:" "/proc/$pid/cgroup"), not $path"; return 1; }
	done
}

@test "cgroupsPath: absolute" {
	CG=/husk-test-$ID/abs/leaf
	cfg "linux.cgroupsPath=$CG" linux.resources.pids.limit=21
	cg_create
	pid=$(container_pid "$ID")
	expect_in_cgroup "$pid" "$CG" pids memory cpu cpuset devices freezer blkio
	cg_expect pids pids.max 21
	run_husk -0 delete --force "$ID"
	[ -z "$(cgroup_dirs "$CG")" ] || { echo "left: $(cgroup_dirs "$CG")"; false; }
	# the parents the runtime made are not the container's: they may stay
	remove_cgroup "/husk-test-$ID"
}

@test "cgroupsPath: relative is under the runtime's own cgroup" {
	# the runtime runs in this shell's cgroups: the expected path of each
	# hierarchy is this shell's cgroup there + the relative path
	rel=husk-test-rel-$ID
	cfg "linux.cgroupsPath=$rel"
	declare -A want
	if cg_v2; then
		want[cgroup2]=$(cg_join "$(cg_own_path "")" "$rel")
	else
		for c in pids memory cpu; do
			want[$c]=$(cg_join "$(cg_own_path "$c")" "$rel")
		done
	fi
	for c in "${!want[@]}"; do register_cgroup "${want[$c]}"; done
	cg_create
	pid=$(container_pid "$ID")
	for c in "${!want[@]}"; do
		expect_in_cgroup "$pid" "${want[$c]}" $c
	done
	run_husk -0 delete --force "$ID"
	for c in "${!want[@]}"; do
		[ -z "$(cgroup_dirs "${want[$c]}")" ] || { echo "left: $(cgroup_dirs "${want[$c]}")"; false; }
	done
}

@test "cgroupsPath: relative: commands run from another cgroup find the container's cgroup" {
	# the later commands (ps, pause, resume, update, events, exec, kill
	# --all, delete) run in another cgroup than create did: they must use
	# the directories create resolved, not resolve the path again
	rel=husk-test-rel-$ID
	other=/husk-test-other-$ID
	cfg "linux.cgroupsPath=$rel" linux.resources.pids.limit=30
	declare -A dir
	if cg_v2; then ctrls="pids"; else ctrls="pids memory cpu freezer"; fi
	for c in $ctrls; do
		dir[$c]=$(cg_rel_dir "$c" "$rel")
		register_cgroup "$(cg_join "$(cg_own_path "$(cg_v2 || echo "$c")")" "$rel")"
	done
	register_cgroup "$other"
	cg_start 'sleep 1000 & wait'
	elsewhere() { cg_run_in "$other" husk "$@"; }

	run -0 elsewhere ps --format json "$ID"
	got=$(tr -d '[] ' <<<"$output" | tr , '\n' | sort -n)
	assert_eq "$got" "$(sort -n "${dir[pids]}/cgroup.procs")" "ps from $other"
	grep -qx "$PID" <<<"$got"

	run -0 elsewhere pause "$ID"
	if cg_v2; then
		assert_eq "$(cat "${dir[pids]}/cgroup.freeze")" 1 cgroup.freeze
	else
		assert_eq "$(cat "${dir[freezer]}/freezer.state")" FROZEN freezer.state
	fi
	assert_eq "$(container_status "$ID")" paused status
	run -0 elsewhere resume "$ID"
	assert_eq "$(container_status "$ID")" running status

	run -0 elsewhere update --pids-limit 42 "$ID"
	assert_eq "$(cat "${dir[pids]}/pids.max")" 42 pids.max

	run -0 --separate-stderr elsewhere events --stats "$ID"
	"$PYTHON" -c 'import json, sys
d = json.loads(sys.stdin.read())["data"]
assert d["pids"]["limit"] == 42, d["pids"]
assert d["pids"]["current"] >= 2, d["pids"]
assert d["memory"]["usage"]["usage"] > 0, d["memory"]["usage"]' <<<"$output"

	elsewhere exec -d --pid-file "$BATS_TEST_TMPDIR/p" "$ID" sleep 100 </dev/null >/dev/null 2>&1
	epid=$(cat "$BATS_TEST_TMPDIR/p")
	track_pid "$epid"
	for c in $ctrls; do
		grep -qx "$epid" "${dir[$c]}/cgroup.procs" || { echo "exec'd $epid not in ${dir[$c]}"; false; }
	done

	run -0 elsewhere kill --all "$ID" KILL
	wait_pid_gone "$epid"
	wait_for_status "$ID" stopped
	run -0 elsewhere delete "$ID"
	for c in $ctrls; do
		[ ! -d "${dir[$c]}" ] || { echo "left: ${dir[$c]}"; false; }
	done
	remove_cgroup "$other"
}

@test "cgroupsPath: the default is the id under the runtime's own cgroup, as runc" {
	# no linux.cgroupsPath: each hierarchy's cgroup is this shell's cgroup
	# there + the container's id (runc's default), and delete leaves no
	# parent behind (there is none to make)
	cfg -linux.cgroupsPath
	declare -A want
	if cg_v2; then
		want[cgroup2]=$(cg_join "$(cg_own_path "")" "$ID")
	else
		for c in pids memory cpu devices freezer; do
			want[$c]=$(cg_join "$(cg_own_path "$c")" "$ID")
		done
	fi
	for c in "${!want[@]}"; do register_cgroup "${want[$c]}"; done
	cg_create
	pid=$(container_pid "$ID")
	for c in "${!want[@]}"; do
		expect_in_cgroup "$pid" "${want[$c]}" $c
	done
	run_husk -0 delete --force "$ID"
	for c in "${!want[@]}"; do
		[ -z "$(cgroup_dirs "${want[$c]}")" ] || { echo "left: $(cgroup_dirs "${want[$c]}")"; false; }
	done
}
