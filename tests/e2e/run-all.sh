#!/bin/bash
# tests/e2e/run-all.sh: the engine suites one after the other (podman,
# containerd, docker), then the sum of their counts.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   tests/e2e/run-all.sh [SUITE...]             # default: all three
#   RUNTIME=$(command -v runc) tests/e2e/run-all.sh
#
# Needs root and the engines (contrib/install-deps does not install them:
#   apt-get install podman conmon containerd docker.io busybox-static).
# Each suite starts and stops its own daemons and cleans up after itself;
# they run one at a time because containerd and dockerd's containerd share
# /run/containerd/s.  Exits non-zero if any check failed.

set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
suites=("$@")
((${#suites[@]})) || suites=(podman containerd docker)

passed=0 failed=0 status=0
for s in "${suites[@]}"; do
	[[ -x $dir/$s.sh ]] || { echo "FAIL $s: no suite $dir/$s.sh"; failed=$((failed + 1)); status=1; continue; }
	echo "# === $s"
	log=$(mktemp)
	"$dir/$s.sh" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	rm -f "$log"
	if [[ -z $line ]]; then
		# A suite that died before its count is one failure.
		echo "FAIL $s: ended (exit $rc) without a count"
		failed=$((failed + 1))
	else
		passed=$((passed + ${line%% passed*}))
		line=${line#*, }
		failed=$((failed + ${line%% failed*}))
	fi
	((rc == 0)) || status=1
done
echo "$passed passed, $failed failed"
exit "$status"
