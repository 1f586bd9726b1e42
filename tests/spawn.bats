#!/usr/bin/env bats
# How the init is spawned: clone3, and clone(2) where clone3 answers ENOSYS
# (a seccomp profile that hides it, as Docker's default does for a runtime
# nested in a container; valgrind).
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
	WITHOUT_CLONE3=$top_builddir/tests/tools/without-clone3
	[ -x "$WITHOUT_CLONE3" ] || skip "tests/tools/without-clone3 not built (make check builds it)"
}

teardown() {
	teardown_common
}

@test "spawn: without clone3 the container runs, in its own namespaces" {
	cfg ns:pid ns:ipc ns:uts
	set_cmd 'echo pid=$$; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts'
	run "$WITHOUT_CLONE3" "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ $output == *"pid=1"* ]]
	[[ $output != *"$(readlink /proc/self/ns/ipc)"* ]]
	[[ $output != *"$(readlink /proc/self/ns/uts)"* ]]
}

@test "spawn: without clone3 a new time namespace is still made, the runtime's is kept" {
	# clone(2) has no CLONE_NEWTIME (its bit is the exit signal): the runtime
	# unshares it for its children and must return to its own afterwards,
	# which the poststart hook, run by the runtime, shows.
	cfg ns:time "hook:poststart={\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"readlink /proc/self/ns/time >$BATS_TEST_TMPDIR/hook-timens\"]}"
	set_cmd 'readlink /proc/self/ns/time'
	run "$WITHOUT_CLONE3" "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	host=$(readlink /proc/self/ns/time)
	[[ $output == time:* ]]
	[ "$output" != "$host" ]
	assert_eq "$(cat "$BATS_TEST_TMPDIR/hook-timens")" "$host" "time namespace of the poststart hook"
}

@test "spawn: on cgroup v2 the init is cloned straight into its cgroup" {
	# CLONE_INTO_CGROUP: the init never runs in the runtime's cgroup.  The
	# runtime is started in a cgroup that allows no other process
	# (pids.max 1): a clone there fails, one into the container's cgroup
	# does not.  runc deviates (runc init starts in runc's cgroup).
	cgroup_v1 && skip "needs pure cgroup v2 (this host has v1 hierarchies): run it under vm-run"
	grep -qw pids /sys/fs/cgroup/cgroup.controllers ||
		skip "this kernel has no pids controller"
	# as the runtime does for every container it makes
	echo +pids >/sys/fs/cgroup/cgroup.subtree_control
	local rt=/sys/fs/cgroup/husk-test-rt-$ID
	register_cgroup "/husk-test-rt-$ID"
	mkdir "$rt"
	echo 1 >"$rt/pids.max"
	# the limit bites: a shell in that cgroup cannot fork
	run sh -c 'echo $$ >"$1/cgroup.procs" && /bin/true' sh "$rt"
	[ "$status" -ne 0 ]
	set_cmd "sleep 1000; : $ID"
	# (not bats' run: the init keeps the runtime's stdout open)
	status=0
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$rt" \
		"$HUSK" "${HUSK_GLOBAL[@]}" create --bundle "$BUNDLE" "$ID" \
		</dev/null >"$BATS_TEST_TMPDIR/create.out" 2>&1 || status=$?
	rmdir "$rt"
	[ "$status" -eq 0 ] || { cat "$BATS_TEST_TMPDIR/create.out"; false; }
	pid=$(container_pid "$ID")
	assert_eq "$(cat "/proc/$pid/cgroup")" "0::/husk-test-$ID" "cgroup of the init"
	husk delete --force "$ID"
}

@test "spawn: with a pids limit of 1 the container still runs" {
	# The runtime clones the init and moves it into the cgroup (on v2 it
	# clones it straight in); the init forks nothing, so pids.max 1 is
	# enough for it and then the process.
	cfg linux.resources.pids.limit=1
	set_cmd 'echo in the container'
	run_husk -0 run --bundle "$BUNDLE" "$ID"
	[[ $output == *"in the container"* ]]
}

@test "spawn: --debug logs each phase of create with its duration" {
	set_cmd "sleep 1000; : $ID"
	HUSK_GLOBAL+=(--debug --log "$BATS_TEST_TMPDIR/debug.log")
	create_ok "$ID"
	for phase in "create: config read and checked" "spawn: init cloned" \
		"spawn: the init set up the container" "create: state written"; do
		grep -q "msg=\"$phase: done" "$BATS_TEST_TMPDIR/debug.log" ||
			{ cat "$BATS_TEST_TMPDIR/debug.log"; false; }
	done
	husk delete --force "$ID"
}

# `run` with nothing for the runtime to do between clone and execve
# clones, creates and starts the init in one step, vfork-style (spawn.c).
one_step_logged() {
	grep -q 'msg="spawn: init cloned, created and started in one step: done' \
		"$BATS_TEST_TMPDIR/debug.log"
}

@test "spawn: run takes one step, unless a hook needs the runtime between clone and start" {
	[ "$(uname -m)" = x86_64 ] || skip "one step is x86-64 only"
	set_cmd 'echo ran'
	HUSK_GLOBAL+=(--debug --log "$BATS_TEST_TMPDIR/debug.log")
	run_husk -0 run --bundle "$BUNDLE" "$ID"
	[[ $output == *ran* ]]
	one_step_logged || { cat "$BATS_TEST_TMPDIR/debug.log"; false; }
	cp "$CONFIG" "$BATS_TEST_TMPDIR/config.plain"
	for kind in prestart createRuntime createContainer startContainer; do
		: >"$BATS_TEST_TMPDIR/debug.log"
		cp "$BATS_TEST_TMPDIR/config.plain" "$CONFIG"
		# /bin/true on the host and in the rootfs (startContainer's)
		cfg "hook:$kind={\"path\": \"/bin/true\"}"
		run_husk -0 run --bundle "$BUNDLE" "$ID"
		[[ $output == *ran* ]]
		! one_step_logged || { echo "one step with a $kind hook"; false; }
		grep -q 'msg="spawn: the init set up the container: done' \
			"$BATS_TEST_TMPDIR/debug.log"
	done
}

@test "spawn: in one step the init joins each of the container's cgroups itself" {
	set_cmd "sleep 1000; : $ID"
	run_detached_ok "$ID"
	pid=$(container_pid "$ID")
	cgroups=$(cat "/proc/$pid/cgroup")
	husk delete --force "$ID"
	# every hierarchy, the v2 tree of a hybrid host too
	while IFS= read -r line; do
		[[ $line == *"/husk-test-$ID" ]] || { echo "not the container's cgroup: $line"; echo "$cgroups"; false; }
	done <<<"$cgroups"
	[ "$(wc -l <<<"$cgroups")" -eq "$(wc -l </proc/self/cgroup)" ]
}

@test "spawn: in one step an execve that fails after setup is run's error, and leaves nothing" {
	# found and executable, refused by execve: its interpreter is missing
	printf '#!/no/such/interpreter\n' >"$BUNDLE/rootfs/bad-script"
	chmod 755 "$BUNDLE/rootfs/bad-script"
	cfg 'process.args=["/bad-script"]'
	run_husk run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ $output == *"/bad-script"* ]] || { echo "$output"; false; }
	assert_no_trace "$ID"
}
