#!/usr/bin/env bats
# The lifecycle commands through the CLI: create, start, run, state, kill,
# delete, list, with runc's flags, output shapes and exit codes.
# SPDX-License-Identifier: GPL-2.0-or-later

load helpers

setup() {
	setup_common
}

teardown() {
	teardown_common
}

# The container's process: marks that it started, then sleeps; the id in its
# command line lets teardown find leftovers.
set_long_cmd() {
	set_cmd "touch /started; sleep 1000; : $ID"
}

# A process that records the signals it gets in /sigs (PID 1 of a pid
# namespace ignores signals it has no handler for, so it must trap them).
set_sig_recorder() {
	set_cmd "for s in HUP INT QUIT USR1 USR2 TERM; do trap \"echo \$s >>/sigs\" \$s; done; touch /ready; while :; do sleep 0.1; done; : $ID"
}

# wait_sig SIG: wait until the recorder logged SIG.
wait_sig() {
	retry 200 0.05 grep -sqx "$1" "$BUNDLE/rootfs/sigs"
}

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# --- create -------------------------------------------------------------------

@test "create: the container is created, its process waits, user code not run" {
	set_long_cmd
	create_ok "$ID"
	assert_eq "$(container_status "$ID")" created status
	pid=$(container_pid "$ID")
	pid_alive "$pid"
	[ ! -e "$BUNDLE/rootfs/started" ]
	# the state lives in a directory of its own under --root
	[ -d "$HUSK_ROOT/$ID" ]
}

@test "create: flags after the id are accepted (runc's argument order)" {
	set_long_cmd
	husk_detached "$ID" create "$ID" --bundle "$BUNDLE"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_eq "$(container_status "$ID")" created
	assert_eq "$(state_field "$ID" bundle)" "$BUNDLE"
}

@test "create: -b is --bundle, and the bundle defaults to the working directory" {
	set_long_cmd
	husk_detached "$ID" create -b "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_eq "$(state_field "$ID" bundle)" "$BUNDLE"

	id2=$(new_id)
	b2=$BATS_TEST_TMPDIR/b2
	make_bundle "$b2" "$id2"
	cfg_file "$b2/config.json" "process.args=[\"sleep\", \"1000\"]"
	cd "$b2"
	husk_detached "$id2" create "$id2"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_eq "$(state_field "$id2" bundle)" "$b2"
}

@test "create: a relative bundle path is stored as an absolute path" {
	set_long_cmd
	cd "$BATS_TEST_TMPDIR"
	husk_detached "$ID" create --bundle bundle "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	assert_eq "$(state_field "$ID" bundle)" "$BUNDLE"
}

@test "create --pid-file: the pid, digits only (no newline), same as state" {
	set_long_cmd
	create_ok "$ID" "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid"
	pid=$(container_pid "$ID")
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pid")" "$pid" "pid file"
	# containerd reads it with Atoi, without trimming
	assert_eq "$(wc -c <"$BATS_TEST_TMPDIR/pid")" "${#pid}" "pid file size"
}

@test "create --pid-file: a relative path is relative to the working directory" {
	set_long_cmd
	mkdir "$BATS_TEST_TMPDIR/wd"
	cd "$BATS_TEST_TMPDIR/wd"
	create_ok "$ID" "$BUNDLE" --pid-file rel.pid
	assert_eq "$(cat "$BATS_TEST_TMPDIR/wd/rel.pid")" "$(container_pid "$ID")"
}

@test "create: a missing --root directory is created" {
	set_long_cmd
	HUSK_ROOT=$BATS_TEST_TMPDIR/not/yet/there
	HUSK_GLOBAL=(--root "$HUSK_ROOT")
	create_ok "$ID"
	[ -d "$HUSK_ROOT/$ID" ]
	assert_eq "$(container_status "$ID")" created
}

@test "create: an id that is taken fails and leaves the first container alone" {
	set_long_cmd
	create_ok "$ID"
	pid=$(container_pid "$ID")
	b2=$BATS_TEST_TMPDIR/b2
	make_bundle "$b2" "$ID"
	cfg_file "$b2/config.json" "linux.cgroupsPath=/husk-test-$ID-b"
	register_cgroup "/husk-test-$ID-b"
	husk_create "$ID" "$b2"
	[ "$status" -ne 0 ]
	assert_eq "$(container_status "$ID")" created
	assert_eq "$(container_pid "$ID")" "$pid"
	assert_eq "$(state_field "$ID" bundle)" "$BUNDLE"
	[ -z "$(cgroup_dirs "/husk-test-$ID-b")" ]
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
}

@test "create: invalid ids are refused and leave nothing" {
	set_long_cmd
	long=$(printf 'x%.0s' $(seq 300))
	for bad in "a/b" ".." "." "../$ID" "" "$long" "a b" "a:b"; do
		husk_detached bad-id create --bundle "$BUNDLE" "$bad"
		[ "$status" -ne 0 ] || { echo "id '$bad' was accepted"; husk delete -f "$bad"; false; }
	done
	# nothing was created: no state, no entry, no cgroup, no process
	[ -z "$(ls -A "$HUSK_ROOT")" ] || { ls -la "$HUSK_ROOT"; false; }
	run_husk -0 list -q
	assert_eq "$output" ""
	[ -z "$(cgroup_dirs "/husk-test-$ID")" ]
	! pgrep -f -- "$ID"
	# "../ID" did not escape the state root
	[ ! -e "$BATS_TEST_TMPDIR/$ID" ]
}

@test "create: ids with letters, digits, '_', '-', '.' and '+' are accepted" {
	set_long_cmd
	id="Ab_9-x.y+z-$ID"
	register_id "$id"
	create_ok "$id"
	assert_eq "$(state_field "$id" id)" "$id"
	run_husk -0 delete --force "$id"
}

# --- start --------------------------------------------------------------------

@test "start: runs the process, status running, pid unchanged" {
	set_long_cmd
	create_ok "$ID"
	pid=$(container_pid "$ID")
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	assert_eq "$(container_status "$ID")" running
	assert_eq "$(container_pid "$ID")" "$pid"
}

@test "start: a second start fails and the container keeps running" {
	set_long_cmd
	create_ok "$ID"
	start_ok "$ID"
	pid=$(container_pid "$ID")
	run_husk start "$ID"
	[ "$status" -ne 0 ]
	assert_eq "$(container_status "$ID")" running
	assert_eq "$(container_pid "$ID")" "$pid"
}

@test "start: an unknown id fails" {
	run_husk start "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$HUSK_ROOT/$ID" ]
}

# --- run ----------------------------------------------------------------------

@test "run: exits with the process's status, passes stdout and stderr, deletes the container" {
	set_cmd 'echo to-stdout; echo to-stderr >&2; exit 42'
	run_husk --separate-stderr run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 42 "exit status"
	assert_eq "$output" to-stdout stdout
	assert_match "$stderr" to-stderr stderr
	run_husk state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$HUSK_ROOT/$ID" ]
	[ -z "$(cgroup_dirs "/husk-test-$ID")" ]
}

@test "run: exit status 0" {
	set_cmd 'true'
	run_husk -0 run --bundle "$BUNDLE" "$ID"
}

@test "run: flags after the id are accepted (runc's argument order)" {
	set_cmd 'exit 7'
	run_husk -7 run "$ID" --bundle "$BUNDLE"
}

@test "run: stdin is the caller's" {
	set_args cat
	run bash -c 'echo through-stdin | "$@" 3>&-' -- "$HUSK" "${HUSK_GLOBAL[@]}" run --bundle "$BUNDLE" "$ID"
	assert_eq "$status" 0
	assert_eq "$output" through-stdin
}

@test "run: the bundle defaults to the working directory" {
	set_cmd 'echo cwd-bundle'
	cd "$BUNDLE"
	run_husk -0 run "$ID"
	assert_eq "$output" cwd-bundle
}

@test "run: a process killed by a signal gives 128+N" {
	set_cmd "touch /ready; sleep 1000; : $ID"
	husk_bg "$BATS_TEST_TMPDIR/run.out" run --bundle "$BUNDLE" "$ID"
	runpid=$BG_PID
	wait_file "$BUNDLE/rootfs/ready"
	run_husk -0 kill "$ID" KILL
	rc=0
	wait "$runpid" || rc=$?
	assert_eq "$rc" 137 "exit status of run"
}

@test "run: SIGTERM to the runtime is forwarded to the container's process" {
	set_cmd "trap 'echo got-TERM; exit 42' TERM; touch /ready; while :; do sleep 0.1; done; : $ID"
	husk_bg "$BATS_TEST_TMPDIR/run.out" run --bundle "$BUNDLE" "$ID"
	runpid=$BG_PID
	wait_file "$BUNDLE/rootfs/ready"
	kill -TERM "$runpid"
	rc=0
	wait "$runpid" || rc=$?
	assert_eq "$rc" 42 "exit status of run"
	grep -qx got-TERM "$BATS_TEST_TMPDIR/run.out"
}

@test "run: SIGHUP and SIGUSR1 to the runtime are forwarded too" {
	set_sig_recorder
	husk_bg "$BATS_TEST_TMPDIR/run.out" run --bundle "$BUNDLE" "$ID"
	runpid=$BG_PID
	wait_file "$BUNDLE/rootfs/ready"
	kill -HUP "$runpid"
	wait_sig HUP
	kill -USR1 "$runpid"
	wait_sig USR1
	run_husk -0 kill "$ID" KILL
	rc=0
	wait "$runpid" || rc=$?
	assert_eq "$rc" 137
}

@test "run --detach: returns while the process runs; --pid-file" {
	set_long_cmd
	run_detached_ok "$ID" "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid"
	wait_file "$BUNDLE/rootfs/started"
	assert_eq "$(container_status "$ID")" running
	assert_eq "$(cat "$BATS_TEST_TMPDIR/pid")" "$(container_pid "$ID")"
}

@test "run -d: the container's output goes to the caller's stdout" {
	set_cmd "echo detached-output; sleep 1000; : $ID"
	husk_detached "$ID" run -d --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	retry 200 0.05 grep -qx detached-output "$BATS_TEST_TMPDIR/$ID.out"
}

@test "run --keep: the stopped container stays until deleted" {
	set_cmd 'exit 3'
	run_husk -3 run --keep --bundle "$BUNDLE" "$ID"
	assert_eq "$(container_status "$ID")" stopped
	run_husk -0 delete "$ID"
	run_husk state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(cgroup_dirs "/husk-test-$ID")" ]
}

# --- state --------------------------------------------------------------------

@test "state: the JSON of a created container" {
	set_long_cmd
	cfg 'annotations={"com.example.a": "1", "org.example.b": "two words"}'
	before=$(date -u +%s)
	create_ok "$ID"
	after=$(date -u +%s)
	run_husk --separate-stderr state "$ID"
	assert_eq "$status" 0
	state=$output
	assert_match "$(json_get - ociVersion <<<"$state")" '^[0-9]+\.[0-9]+\.[0-9]+' ociVersion
	assert_eq "$(json_get - id <<<"$state")" "$ID" id
	assert_eq "$(json_get - status <<<"$state")" created status
	pid=$(json_get - pid <<<"$state")
	assert_match "$pid" '^[1-9][0-9]*$' pid
	pid_alive "$pid"
	track_pid "$pid"
	assert_eq "$(json_get - bundle <<<"$state")" "$BUNDLE" bundle
	assert_eq "$(json_get - rootfs <<<"$state")" "$BUNDLE/rootfs" rootfs
	assert_eq "$(json_get - 'annotations["com.example.a"]' <<<"$state")" 1
	assert_eq "$(json_get - 'annotations["org.example.b"]' <<<"$state")" "two words"
	created=$(json_get - created <<<"$state")
	assert_match "$created" "$RFC3339" created
	# the creation time is the time of the create command (to the second)
	c=$(date -u -d "$created" +%s)
	[ "$c" -ge "$before" ] && [ "$c" -le "$after" ]
	json_get - owner <<<"$state" >/dev/null
	# types: pid is a number, annotations a map
	"$PYTHON" -c 'import json,sys; s=json.loads(sys.argv[1]); assert type(s["pid"]) is int and type(s["annotations"]) is dict and type(s["status"]) is str, s' "$state"
}

@test "state: without annotations in the config, none (or an empty map) in the state" {
	set_long_cmd
	cfg -annotations
	create_ok "$ID"
	run_husk --separate-stderr -0 state "$ID"
	"$PYTHON" -c 'import json,sys; s=json.loads(sys.argv[1]); assert s.get("annotations") in (None, {}), s' "$output"
}

@test "state: the pid is the container's process on the host" {
	set_long_cmd
	create_ok "$ID"
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	# the pid is the user's process (sh -c ...) in the container's cgroup
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$ID"
	grep -q "/husk-test-$ID\$" "/proc/$pid/cgroup"
	# and its root is the bundle's rootfs
	assert_eq "$(stat -L -c %d:%i "/proc/$pid/root/started")" "$(stat -c %d:%i "$BUNDLE/rootfs/started")"
}

@test "state: an unknown id fails with an error on stderr" {
	run_husk --separate-stderr state "$ID"
	[ "$status" -ne 0 ]
	[ -z "$output" ]
	[ -n "$stderr" ]
}

@test "state: stopped once the process exits; kill then fails (no recycled pid is signalled)" {
	mkfifo "$BUNDLE/rootfs/fifo"
	set_cmd "touch /ready; read x </fifo; : $ID"
	create_ok "$ID"
	start_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	pid=$(container_pid "$ID")
	echo go >"$BUNDLE/rootfs/fifo"
	wait_for_status "$ID" stopped
	run_husk kill "$ID" KILL
	[ "$status" -ne 0 ]
	run_husk kill "$ID" 0
	[ "$status" -ne 0 ]
	assert_eq "$(container_status "$ID")" stopped
	run_husk -0 delete "$ID"
}

# --- kill ---------------------------------------------------------------------

@test "kill: default signal is SIGTERM" {
	set_sig_recorder
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	run_husk -0 kill "$ID"
	wait_sig TERM
	assert_eq "$(container_status "$ID")" running
}

@test "kill: signal by name without SIG, with SIG, lower case, and by number" {
	set_sig_recorder
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	run_husk -0 kill "$ID" USR1
	wait_sig USR1
	run_husk -0 kill "$ID" SIGUSR2
	wait_sig USR2
	run_husk -0 kill "$ID" 1
	wait_sig HUP
	run_husk -0 kill "$ID" quit
	wait_sig QUIT
	run_husk -0 kill "$ID" sigint
	wait_sig INT
	assert_eq "$(container_status "$ID")" running
}

@test "kill: an unknown signal fails and the container keeps running" {
	set_sig_recorder
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	for sig in SIGBOGUS BOGUS 99999 -1 SIG; do
		run_husk kill "$ID" "$sig"
		[ "$status" -ne 0 ] || { echo "signal '$sig' accepted"; false; }
	done
	assert_eq "$(container_status "$ID")" running
	# nothing was delivered
	[ ! -e "$BUNDLE/rootfs/sigs" ]
}

@test "kill KILL: the container stops" {
	set_long_cmd
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	run_husk -0 kill "$ID" KILL
	wait_for_status "$ID" stopped
	wait_pid_gone "$pid"
}

@test "kill: a created container can be signalled" {
	set_long_cmd
	create_ok "$ID"
	pid=$(container_pid "$ID")
	run_husk -0 kill "$ID" KILL
	wait_for_status "$ID" stopped
	wait_pid_gone "$pid"
	[ ! -e "$BUNDLE/rootfs/started" ]
}

@test "kill --all: every process of the container gets the signal" {
	# no pid namespace: killing the first process does not take the others
	cfg -ns:pid
	set_cmd "sleep 1001 & echo \$! >/child; touch /ready; wait; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	pid=$(container_pid "$ID")
	child=$(cat "$BUNDLE/rootfs/child")
	track_pid "$child"
	pid_alive "$child"
	run_husk -0 kill --all "$ID" KILL
	wait_pid_gone "$pid"
	wait_pid_gone "$child"
	wait_for_status "$ID" stopped
}

@test "kill -a: the short flag works" {
	cfg -ns:pid
	set_cmd "sleep 1001 & echo \$! >/child; touch /ready; wait; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	child=$(cat "$BUNDLE/rootfs/child")
	track_pid "$child"
	run_husk -0 kill -a "$ID" KILL
	wait_pid_gone "$child"
}

@test "kill: an unknown id fails" {
	run_husk kill "$ID" KILL
	[ "$status" -ne 0 ]
}

# --- delete -------------------------------------------------------------------

@test "delete: a stopped container: state, cgroup and state dir go" {
	set_cmd 'exit 0'
	create_ok "$ID"
	[ -n "$(cgroup_dirs "/husk-test-$ID")" ]
	start_ok "$ID"
	wait_for_status "$ID" stopped
	run_husk -0 delete "$ID"
	run_husk state "$ID"
	[ "$status" -ne 0 ]
	[ ! -e "$HUSK_ROOT/$ID" ]
	[ -z "$(cgroup_dirs "/husk-test-$ID")" ]
	run_husk -0 list -q
	assert_eq "$output" ""
}

@test "delete: a running container fails without --force and keeps running" {
	set_long_cmd
	run_detached_ok "$ID"
	pid=$(container_pid "$ID")
	run_husk delete "$ID"
	[ "$status" -ne 0 ]
	assert_eq "$(container_status "$ID")" running
	assert_eq "$(container_pid "$ID")" "$pid"
	pid_alive "$pid"
}

@test "delete --force: a running container is killed and removed" {
	set_long_cmd
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	run_husk -0 delete --force "$ID"
	wait_pid_gone "$pid"
	assert_no_trace "$ID"
}

@test "delete -f: a created container is killed and removed" {
	set_long_cmd
	create_ok "$ID"
	pid=$(container_pid "$ID")
	run_husk -0 delete -f "$ID"
	wait_pid_gone "$pid"
	assert_no_trace "$ID"
	[ ! -e "$BUNDLE/rootfs/started" ]
}

@test "delete --force: every process of a container without pid namespace goes" {
	cfg -ns:pid
	set_cmd "sleep 1001 & echo \$! >/child; touch /ready; wait; : $ID"
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/ready"
	child=$(cat "$BUNDLE/rootfs/child")
	track_pid "$child"
	run_husk -0 delete --force "$ID"
	wait_pid_gone "$child"
	assert_no_trace "$ID"
}

@test "delete: an unknown id fails; with --force it succeeds (runc)" {
	run_husk delete "$ID"
	[ "$status" -ne 0 ]
	run_husk -0 delete --force "$ID"
}

@test "delete: the id can be used again afterwards" {
	set_cmd 'exit 0'
	run_husk -0 run --bundle "$BUNDLE" "$ID"
	set_long_cmd
	create_ok "$ID"
	assert_eq "$(container_status "$ID")" created
}

# --- list ---------------------------------------------------------------------

@test "list: empty" {
	run_husk -0 list -q
	assert_eq "$output" ""
	run_husk --separate-stderr -0 list --format json
	"$PYTHON" -c 'import json,sys; assert json.loads(sys.argv[1]) in (None, []), sys.argv[1]' "$output"
	run_husk -0 list
	# the table has only its header
	assert_eq "${#lines[@]}" 1
}

@test "list: table, -q and --format json show each container with its status" {
	set_long_cmd
	create_ok "$ID"
	id2=$(new_id)
	make_bundle "$BATS_TEST_TMPDIR/b2" "$id2"
	cfg_file "$BATS_TEST_TMPDIR/b2/config.json" "process.args=[\"sh\",\"-c\",\"sleep 1000; : $id2\"]"
	run_detached_ok "$id2" "$BATS_TEST_TMPDIR/b2"
	id3=$(new_id)
	make_bundle "$BATS_TEST_TMPDIR/b3" "$id3"
	cfg_file "$BATS_TEST_TMPDIR/b3/config.json" 'process.args=["true"]'
	run_husk -0 run --keep --bundle "$BATS_TEST_TMPDIR/b3" "$id3"
	pid=$(container_pid "$ID")

	run_husk -0 list -q
	assert_eq "$(sort <<<"$output")" "$(printf '%s\n' "$ID" "$id2" "$id3" | sort)"

	run_husk -0 list
	read -r -a header <<<"${lines[0]}"
	assert_eq "${header[*]}" "ID PID STATUS BUNDLE CREATED OWNER" header
	row=$(grep "^$ID " <<<"$output")
	read -r -a f <<<"$row"
	assert_eq "${f[1]}" "$pid" pid
	assert_eq "${f[2]}" created status
	assert_eq "${f[3]}" "$BUNDLE" bundle
	assert_match "${f[4]}" "$RFC3339" created
	assert_eq "${f[5]}" root owner
	grep -q "^$id2 .* running " <<<"$output"
	grep -q "^$id3 .* stopped " <<<"$output"

	run_husk --separate-stderr -0 list --format json
	"$PYTHON" - "$output" "$ID" "$id2" "$id3" "$pid" "$BUNDLE" <<-'EOF'
		import json, sys
		out, id1, id2, id3, pid, bundle = sys.argv[1:]
		l = {c["id"]: c for c in json.loads(out)}
		assert set(l) == {id1, id2, id3}, l
		assert l[id1]["status"] == "created" and l[id1]["pid"] == int(pid), l[id1]
		assert l[id1]["bundle"] == bundle, l[id1]
		assert l[id2]["status"] == "running", l[id2]
		assert l[id3]["status"] == "stopped", l[id3]
		for c in l.values():
		    for k in ("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner"):
		        assert k in c, (k, c)
	EOF
	run_husk -0 list -f json
	"$PYTHON" -c 'import json,sys; assert len(json.loads(sys.argv[1])) == 3' "$output"
}

# husk reads /etc/passwd itself (a static glibc cannot use NSS): the first
# entry of the state directory's owner gives the name, no entry "#UID".
@test "list: OWNER is the state directory owner's name from /etc/passwd, else #UID" {
	set_long_cmd
	create_ok "$ID"
	local uid name unknown=2147480001
	read -r uid name < <(awk -F: '$3 != 0 && $3 ~ /^[0-9]+$/ && $1 !~ /^[-+#]/ { print $3, $1; exit }' /etc/passwd)
	assert_match "$name" '.' "a user other than root in /etc/passwd"
	assert_eq "$(awk -F: -v u="$unknown" '$3 == u' /etc/passwd)" "" "uid $unknown in /etc/passwd"
	owner_column() {
		run_husk -0 list
		local row f
		row=$(grep "^$ID " <<<"$output")
		read -r -a f <<<"$row"
		echo "${f[5]}"
	}
	chown "$uid" "$HUSK_ROOT/$ID"
	assert_eq "$(owner_column)" "$name" "owner uid $uid"
	chown "$unknown" "$HUSK_ROOT/$ID"
	assert_eq "$(owner_column)" "#$unknown" "owner uid $unknown"
	chown 0 "$HUSK_ROOT/$ID"
	assert_eq "$(owner_column)" root "owner uid 0"
}

# --- concurrency --------------------------------------------------------------

# in_bg NAME CMD...: run CMD in the background, its status to NAME.rc and
# its output to NAME.out in the test directory; wait_bg waits for them all
# (a bare `wait` would also wait for bats' own timeout watcher).
BG_PIDS=()
in_bg() {
	local name=$1
	shift
	(
		rc=0
		"$@" </dev/null >"$BATS_TEST_TMPDIR/$name.out" 2>&1 || rc=$?
		echo "$rc" >"$BATS_TEST_TMPDIR/$name.rc"
	) &
	BG_PIDS+=($!)
}

wait_bg() {
	wait "${BG_PIDS[@]}"
	BG_PIDS=()
}

bg_rc() {
	cat "$BATS_TEST_TMPDIR/$1.rc"
}

@test "concurrency: two delete --force at once: both return, the container is gone" {
	set_long_cmd
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	in_bg d1 husk delete --force "$ID"
	in_bg d2 husk delete --force "$ID"
	wait_bg
	for d in d1 d2; do
		rc=$(bg_rc $d)
		[ "$rc" -le 1 ] || { echo "$d: exit $rc: $(cat "$BATS_TEST_TMPDIR/$d.out")"; false; }
	done
	[ "$(bg_rc d1)" -eq 0 ] || [ "$(bg_rc d2)" -eq 0 ]
	wait_pid_gone "$pid"
	assert_no_trace "$ID"
}

@test "concurrency: kill and delete --force at once: one consistent outcome" {
	set_long_cmd
	run_detached_ok "$ID"
	wait_file "$BUNDLE/rootfs/started"
	pid=$(container_pid "$ID")
	in_bg k husk kill "$ID" KILL
	in_bg d husk delete --force "$ID"
	wait_bg
	[ "$(bg_rc k)" -le 1 ] || { cat "$BATS_TEST_TMPDIR/k.out"; false; }
	assert_eq "$(bg_rc d)" 0 "delete --force: $(cat "$BATS_TEST_TMPDIR/d.out")"
	wait_pid_gone "$pid"
	assert_no_trace "$ID"
}

@test "concurrency: start and delete --force at once: no half state" {
	set_long_cmd
	create_ok "$ID"
	pid=$(container_pid "$ID")
	in_bg s husk start "$ID"
	in_bg d husk delete --force "$ID"
	wait_bg
	[ "$(bg_rc s)" -le 1 ] || { cat "$BATS_TEST_TMPDIR/s.out"; false; }
	assert_eq "$(bg_rc d)" 0 "delete --force: $(cat "$BATS_TEST_TMPDIR/d.out")"
	wait_pid_gone "$pid"
	assert_no_trace "$ID"
}

@test "concurrency: two creates of one id: exactly one container, the other leaves nothing" {
	# runc does not lock the id: under contention both creates can fail
	# (seen in a tight loop), so with runc this may fail now and then.
	set_long_cmd
	b2=$BATS_TEST_TMPDIR/b2
	make_bundle "$b2" "$ID"
	cfg_file "$b2/config.json" "linux.cgroupsPath=/husk-test-$ID-b" "process.args=[\"sh\",\"-c\",\"touch /started; sleep 1000; : $ID\"]"
	register_cgroup "/husk-test-$ID-b"
	in_bg c1 husk create --bundle "$BUNDLE" "$ID"
	in_bg c2 husk create --bundle "$b2" "$ID"
	wait_bg
	rc1=$(bg_rc c1) rc2=$(bg_rc c2)
	if [ "$rc1" -eq 0 ]; then
		win=$BUNDLE lose=/husk-test-$ID-b
		[ "$rc2" -ne 0 ]
	else
		win=$b2 lose=/husk-test-$ID
		assert_eq "$rc2" 0 "both creates failed: $(cat "$BATS_TEST_TMPDIR/c1.out" "$BATS_TEST_TMPDIR/c2.out")"
	fi
	assert_eq "$(state_field "$ID" bundle)" "$win"
	assert_eq "$(container_status "$ID")" created
	[ -z "$(cgroup_dirs "$lose")" ]
	start_ok "$ID"
	wait_file "$win/rootfs/started"
}

@test "concurrency: many state queries during start and kill never fail or show garbage" {
	set_long_cmd
	create_ok "$ID"
	for i in 1 2 3 4; do
		(
			for j in $(seq 30); do
				s=$(husk state "$ID" 2>/dev/null) || { echo "state failed" >>"$BATS_TEST_TMPDIR/bad"; continue; }
				st=$(json_get - status <<<"$s") || echo "bad json: $s" >>"$BATS_TEST_TMPDIR/bad"
				case $st in created | running | stopped) ;; *) echo "status '$st'" >>"$BATS_TEST_TMPDIR/bad" ;; esac
			done
		) &
		BG_PIDS+=($!)
	done
	start_ok "$ID"
	run_husk -0 kill "$ID" KILL
	wait_bg
	[ ! -e "$BATS_TEST_TMPDIR/bad" ] || { cat "$BATS_TEST_TMPDIR/bad"; false; }
	wait_for_status "$ID" stopped
}
