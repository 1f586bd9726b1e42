#!/bin/bash
# tests/vm/run-all.sh: the bats files that need another kind of host than
# this one, each run inside a VM that vm-run boots on this checkout:
#
#   pure cgroup v2 (with AppArmor)    tests/cgroups.bats tests/lsm.bats tests/spawn.bats
#                                     tests/rootless.bats
#   cgroup v2 with systemd as PID 1   tests/systemd.bats tests/systemd-user.bats
#
# then the sum of their counts as "N passed, M failed".
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   tests/vm/run-all.sh [v2|systemd]...       # default: both
#   VM_RUN=/path/to/vm-run tests/vm/run-all.sh
#   BATS_FILTER=memory tests/vm/run-all.sh v2  # only tests whose name matches
#
# vm-run is the workplace's tool (../shared/tools/vm-run from the checkout);
# under emulation it is slow, so each kind of host boots once for all its
# files.  A missing vm-run is a failure, not a skip: CI must run these.
# Exits non-zero if any test failed or a VM did not finish.

set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

find_vm_run() {
	local c
	for c in "${VM_RUN:-}" "$top/../shared/tools/vm-run" /work/shared/tools/vm-run; do
		[[ -n $c && -x $c ]] && { echo "$c"; return 0; }
	done
	return 1
}
vm_run=$(find_vm_run) || { echo "FAIL vm: vm-run not found (set VM_RUN)"; echo "0 passed, 1 failed"; exit 1; }

# The files of each kind of host; a file not in the tree yet is left out.
declare -A files=(
	[v2]="tests/cgroups.bats tests/lsm.bats tests/spawn.bats tests/rootless.bats"
	[systemd]="tests/systemd.bats tests/systemd-user.bats"
)
declare -A flags=([v2]="" [systemd]="--systemd")

kinds=("$@")
((${#kinds[@]})) || kinds=(v2 systemd)

[[ -x $top/husk ]] || { echo "FAIL vm: build husk first (make)"; echo "0 passed, 1 failed"; exit 1; }

# The tests' busybox rootfs, built here once: under emulation its few
# hundred links take minutes, longer than a test may.  In the checkout,
# which the VMs share.
rootfs=$(mktemp -d "$top/.vm-rootfs.XXXXXX") || exit 1
trap 'rm -rf "$rootfs"' EXIT
chmod 755 "$rootfs"
bash -c 'bats_require_minimum_version() { :; }; source tests/helpers.bash && build_rootfs "$1"' \
	_ "$rootfs/rootfs" || { echo "FAIL vm: cannot build the test rootfs"; echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 skipped=0 status=0
for k in "${kinds[@]}"; do
	[[ -n ${files[$k]+x} ]] || { echo "FAIL vm: unknown kind $k"; failed=$((failed + 1)); status=1; continue; }
	run=()
	for f in ${files[$k]}; do [[ -e $f ]] && run+=("$f"); done
	((${#run[@]})) || continue
	echo "# === $k: ${run[*]}"
	log=$(mktemp)
	filter=()
	[[ -n ${BATS_FILTER:-} ]] && filter=(-f "$BATS_FILTER")
	# Emulation is 25-50x slower: the per-test timeout grows with it.
	# shellcheck disable=SC2086
	"$vm_run" ${flags[$k]} -- env BATS_TEST_TIMEOUT=1800 HUSK_TEST_ROOTFS="$rootfs/rootfs" bats --tap "${filter[@]}" "${run[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	plan=$(grep -m1 -E '^1\.\.[0-9]+' "$log" | sed 's/^1\.\.//')
	ok=$(grep -cE '^ok [0-9]+' "$log")
	skip=$(grep -cE '^ok [0-9]+ .*# skip' "$log")
	notok=$(grep -cE '^not ok [0-9]+' "$log")
	rm -f "$log"
	passed=$((passed + ok - skip))
	skipped=$((skipped + skip))
	failed=$((failed + notok))
	# A VM that died mid-run is one failure more.
	if [[ -z $plan ]] || ((ok + notok != plan)); then
		echo "FAIL $k: the VM ended (exit $rc) after $((ok + notok)) of ${plan:-?} tests"
		failed=$((failed + 1))
	fi
	((rc == 0)) || status=1
done
echo "# skipped: $skipped"
echo "$passed passed, $failed failed"
((failed == 0)) || status=1
exit "$status"
