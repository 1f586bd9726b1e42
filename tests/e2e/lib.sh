# tests/e2e/lib.sh: what the engine suites (podman.sh, containerd.sh,
# docker.sh) share: the runtime under test, a private temp tree, one result
# line per check, and a cleanup that leaves the host as it found it.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced, not run.  A suite calls e2e_init NAME first, registers its own
# teardown with e2e_on_exit, runs its checks and ends with e2e_finish.
#
# Environment:
#   RUNTIME      the OCI runtime the engines drive (default: the husk built
#                in this tree); the same suites run with
#                RUNTIME=$(command -v runc) to tell an engine quirk from a
#                husk bug
#   E2E_TIMEOUT  seconds a single engine command may take (default 90)
#   E2E_KEEP     when set, keep the temp tree for a post-mortem (daemons
#                are still stopped and containers removed)
#   E2E_VERBOSE  when set, print each failing command's whole output

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_TOP=$(cd "$E2E_DIR/../.." && pwd)
E2E_TIMEOUT=${E2E_TIMEOUT:-90}
PASSED=0
FAILED=0
E2E_CLEANUP=()          # commands run in reverse order at exit
E2E_CLEANED=
E2E_PIDS=()             # daemons this suite started
E2E_CGROUPS=()
E2E_CG_BEFORE=/dev/null
E2E_HOST_PATHS=()       # "MODE PATH": host paths an engine makes by itself

ok() { PASSED=$((PASSED + 1)); echo "ok $1"; }

# fail NAME WHY...: WHY is folded to one line so that every check is one
# line of output whatever the engine printed.
fail() {
	local name=$1
	shift
	local why
	why=$(printf '%s' "$*" | tr '\n\t' '  ' | tr -s ' ' | cut -c1-400)
	FAILED=$((FAILED + 1))
	echo "FAIL $name: $why"
}

# The last few lines a failing command printed, for fail's WHY.
e2e_output() {
	if [[ -n ${E2E_VERBOSE:-} ]]; then
		sed 's/^/    | /' "$T/out" "$T/err" >&2
	fi
	cat "$T/out" "$T/err" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 3
}

# run CMD...: run a command under the time limit, stdout to $T/out and
# stderr to $T/err; returns its status (124 on time-out).  Commands are
# executables (the suites' engine wrappers live in $T/bin), not functions,
# so that timeout(1) can run them.
run() {
	timeout -k 10 "$E2E_TIMEOUT" "$@" >"$T/out" 2>"$T/err" </dev/null
}

# runin INPUT CMD...: run with INPUT on stdin.
runin() {
	local input=$1
	shift
	printf '%s' "$input" | timeout -k 10 "$E2E_TIMEOUT" "$@" >"$T/out" 2>"$T/err"
}

# term CMDLINE: run a shell command line with a real terminal as stdio, as a
# person at a terminal would; `script -e` exits with the command's status.
# Output in $T/out with the pty's CRs removed, and the "^@" echo of a NUL
# that reaches the container's terminal in `podman exec -it` and `ctr -t`
# sessions under script(1) (with runc too: not the runtime's doing).
# Input, if any, on stdin.
term() {
	local rc
	timeout -k 10 "$E2E_TIMEOUT" script -qec "$1" /dev/null >"$T/out.raw" 2>"$T/err"
	rc=$?
	tr -d '\r\0' <"$T/out.raw" | sed 's/\^@//g' >"$T/out"
	return "$rc"
}

out() { cat "$T/out"; }

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1
	shift
	if run "$@"; then ok "$name"; else fail "$name" "exit $?: $(e2e_output)"; fi
}

# check_out NAME WANT CMD...: ok when CMD succeeds and prints exactly WANT
# (leading and trailing blank space ignored).
check_out() {
	local name=$1 want=$2 rc got
	shift 2
	run "$@"
	rc=$?
	got=$(sed -e 's/[[:space:]]*$//' "$T/out" | sed -e '/./,$!d')
	if [[ $rc != 0 ]]; then
		fail "$name" "exit $rc: $(e2e_output)"
	elif [[ $got != "$want" ]]; then
		fail "$name" "want '$want', got '$(printf '%s' "$got" | head -c 200)'"
	else
		ok "$name"
	fi
}

# check_rc NAME WANT CMD...: ok when CMD exits with status WANT.
check_rc() {
	local name=$1 want=$2 rc
	shift 2
	run "$@"
	rc=$?
	if [[ $rc == "$want" ]]; then ok "$name"; else fail "$name" "want exit $want, got $rc: $(e2e_output)"; fi
}

# expect NAME RC REGEX [WANT_RC]: judge the last run/runin/term by its
# status RC (must be WANT_RC, default 0) and an extended regex its output
# (stdout or stderr) must match.
expect() {
	local name=$1 rc=$2 re=$3 want_rc=${4:-0}
	if [[ $rc != "$want_rc" ]]; then
		fail "$name" "want exit $want_rc, got $rc: $(e2e_output)"
	elif [[ -n $re ]] && ! grep -Eq -- "$re" "$T/out" "$T/err"; then
		fail "$name" "output does not match /$re/: $(e2e_output)"
	else
		ok "$name"
	fi
}

# wait_for SECONDS CMD...: poll CMD (quietly) until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		((SECONDS >= deadline)) && return 1
		sleep 0.2
	done
}

# cgroup_file PID CONTROLLER FILE: a cgroup file of a host pid, read from
# outside to check that an engine's setting reached the kernel.  v1: the
# CONTROLLER's hierarchy; without that hierarchy (cgroup v2), the unified
# one.
cgroup_file() {
	local pid=$1 controller=$2 file=$3 path root=/sys/fs/cgroup
	if [[ -n $controller && -d $root/$controller ]]; then
		path=$(awk -F: -v c="$controller" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
		cat "$root/$controller$path/$file"
	else
		[[ -d $root/unified ]] && root=$root/unified
		path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
		cat "$root$path/$file"
	fi
}

# memory_limit PID: the memory limit of PID's cgroup in bytes.
memory_limit() {
	if [[ -d /sys/fs/cgroup/memory ]]; then
		cgroup_file "$1" memory memory.limit_in_bytes
	else
		cgroup_file "$1" "" memory.max
	fi
}

# freezer_state PID: FROZEN or THAWED.
freezer_state() {
	if [[ -d /sys/fs/cgroup/freezer ]]; then
		cgroup_file "$1" freezer freezer.state
	elif [[ $(cgroup_file "$1" "" cgroup.freeze) == 1 ]]; then
		echo FROZEN
	else
		echo THAWED
	fi
}

e2e_on_exit() { E2E_CLEANUP+=("$1"); }

# e2e_host_path MODE PATH: PATH is one the engine makes outside our temp
# tree whatever it is told (podman's blob cache, containerd's shim sockets
# under /run/containerd/s, ...).  If it does not exist now, it is removed
# at the end: MODE "empty" removes only empty dirs, sockets and fifos (what
# is left once every daemon stopped), "all" the whole tree, "nostate" the
# whole tree unless it holds a container's state.json (a runtime's default
# root, where husk also keeps its seccomp cache).  A path that exists now
# is someone else's and is left alone.
e2e_host_path() {
	[[ -e $2 || -L $2 ]] || E2E_HOST_PATHS+=("$1 $2")
}

# e2e_init NAME CGROUP_NAMES...: make $T, put the runtime in $T/bin, and
# note which cgroups under the named top-level ones exist already (only
# new ones are removed at the end).
e2e_init() {
	E2E_NAME=$1
	shift
	E2E_CGROUPS=("$@")
	if [[ $(id -u) != 0 ]]; then
		echo "FAIL $E2E_NAME: the engine suites need root"
		echo "0 passed, 1 failed"
		exit 1
	fi
	T=$(mktemp -d "/tmp/husk-e2e-$E2E_NAME.XXXXXX") || exit 1
	chmod 0711 "$T"
	mkdir -p "$T/bin" "$T/img"
	trap 'e2e_cleanup >/dev/null; exit 130' INT TERM
	trap 'e2e_cleanup' EXIT

	local rt=${RUNTIME:-$E2E_TOP/husk}
	rt=$(command -v "$rt") || {
		fail setup "runtime ${RUNTIME:-$E2E_TOP/husk} not found (make -j2 first)"
		e2e_finish
	}
	# A copy: other work may rebuild ./husk while the suite runs, and a
	# half-written binary under a running engine is not a husk bug.
	RT_NAME=$(basename "$rt")
	RT=$T/bin/$RT_NAME
	cp "$rt" "$RT"
	echo "# $E2E_NAME: runtime $rt ($("$RT" --version 2>/dev/null | head -1))"
	echo "# temp dir $T"

	local c n
	E2E_CG_BEFORE=$T/cgroups.before
	for c in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
		for n in "${E2E_CGROUPS[@]}"; do
			[[ -d $c$n ]] && find "$c$n" -type d
		done
	done >"$E2E_CG_BEFORE" 2>/dev/null
	export PATH="$T/bin:$PATH"
	# Nothing an engine or its CLI writes should land in root's home.
	export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config XDG_DATA_HOME=$T/home/.local/share
	mkdir -p "$HOME"
	cd "$T" || exit 1
}

# e2e_wrapper NAME CMDLINE: a script $T/bin/NAME that runs CMDLINE "$@".
e2e_wrapper() {
	printf '#!/bin/sh\nexec %s "$@"\n' "$2" >"$T/bin/$1"
	chmod +x "$T/bin/$1"
}

# e2e_daemon NAME LOG CMD...: start a daemon in the background, noting its
# pid for the cleanup.
e2e_daemon() {
	local name=$1 log=$2
	shift 2
	setsid "$@" >"$log" 2>&1 </dev/null &
	local pid=$!
	E2E_PIDS+=("$pid")
	eval "${name}_PID=$pid"
}

# stop_pid PID: TERM, wait up to 20 s, then KILL.
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "# pid $pid ignored SIGTERM, killing" >&2
		kill -KILL "$pid" 2>/dev/null
		sleep 0.5
	fi
	wait "$pid" 2>/dev/null
	return 0
}

# Processes still running whose command line names our temp tree (shims,
# conmon, container processes started by a daemon we stopped).  Only these,
# by pid: everything here was started by this suite.
e2e_stray_pids() {
	local p
	for p in /proc/[0-9]*; do
		[[ ${p#/proc/} == "$$" || ${p#/proc/} == "$BASHPID" ]] && continue
		if { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "$T/"; then
			echo "${p#/proc/}"
		fi
	done
}

# e2e_cleanup: the suite's own teardown (newest first), daemons, strays,
# mounts, cgroups, the host paths engines made, the temp tree.  Leftovers it cannot
# remove fail the `cleanup` check.
e2e_cleanup() {
	[[ -n $E2E_CLEANED || -z ${T:-} ]] && return 0
	E2E_CLEANED=1
	local i p m c n leftovers=()
	cd / || true
	for ((i = ${#E2E_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${E2E_CLEANUP[i]}" >/dev/null 2>&1
	done
	for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
		stop_pid "${E2E_PIDS[i]}"
	done
	for p in $(e2e_stray_pids); do
		leftovers+=("process $p ($({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null | cut -c1-80))")
		kill -KILL "$p" 2>/dev/null
	done
	sleep 0.3
	# Mounts under the temp tree, deepest first (lazy: a shim killed above
	# may still hold one for a moment).
	for m in $(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	m=$(awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo | head -3)
	[[ -n $m ]] && leftovers+=("mounts $m")
	m=$(awk '$5 ~ "^/run/(containerd|docker|netns|libpod|containers)/" { print $5 }' /proc/self/mountinfo | head -3)
	[[ -n $m ]] && leftovers+=("mounts $m")
	# Cgroups: the named ones we made, children before parents; a cgroup
	# whose last process just died can stay busy for a moment.
	for i in 1 2 3 4 5; do
		for c in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
			for n in "${E2E_CGROUPS[@]}"; do
				[[ -d $c$n ]] && find "$c$n" -depth -type d
			done
		done 2>/dev/null | while read -r c; do
			grep -qxF -- "$c" "$E2E_CG_BEFORE" || rmdir "$c" 2>/dev/null || echo "$c"
		done >"$T/cgroups.left"
		[[ -s $T/cgroups.left ]] || break
		sleep 0.5
	done
	[[ -s $T/cgroups.left ]] && leftovers+=("cgroups $(head -3 "$T/cgroups.left" | tr '\n' ' ')")
	local hp mode path
	for hp in "${E2E_HOST_PATHS[@]}"; do
		mode=${hp%% *} path=${hp#* }
		[[ -e $path || -L $path ]] || continue
		if [[ $mode == all ]] ||
			[[ $mode == nostate && -z $(find "$path" -name state.json 2>/dev/null) ]]; then
			rm -rf --one-file-system "$path"
		else
			find "$path" -depth \( -type s -o -type p -o -type d -empty \) -delete 2>/dev/null
		fi
		[[ -e $path ]] && leftovers+=("$path: $(find "$path" | head -3 | tr '\n' ' ')")
	done
	if [[ -z ${E2E_KEEP:-} ]]; then
		rm -rf --one-file-system "$T" 2>/dev/null || leftovers+=("cannot remove $T")
	else
		echo "# kept $T" >&2
	fi
	if ((${#leftovers[@]})); then
		fail cleanup "${leftovers[*]}"
	else
		ok cleanup
	fi
}

# e2e_finish: clean up, print the count, exit non-zero on any failure.
e2e_finish() {
	e2e_cleanup
	trap - EXIT INT TERM
	echo "$PASSED passed, $FAILED failed"
	((FAILED == 0))
	exit
}
