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
