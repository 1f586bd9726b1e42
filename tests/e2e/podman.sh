#!/bin/bash
# tests/e2e/podman.sh: podman 4.3 (through conmon) driving the runtime under
# test, end to end, the way a person uses podman.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   tests/e2e/podman.sh                         # the husk built in this tree
#   RUNTIME=$(command -v runc) tests/e2e/podman.sh
#
# Everything podman keeps goes under one temp dir: storage (--root, vfs
# driver: no overlay mounts to leak), run state (--runroot), libpod's tmp dir,
# events file and network config; containers get no network (netns "none"),
# so nothing touches iptables or CNI.  The busybox image is imported from a
# tarball made by mkimage.py: there is no registry.
#
# Host facts that shape the setup (this machine: Debian 12, cgroup v1
# hybrid, no systemd as PID 1, root without CAP_SYS_RESOURCE in a sandbox):
#  - cgroupfs manager: there is no systemd to ask for scopes.
#  - podman asks for RLIMIT_NOFILE/NPROC 1048576 by default and raising a
#    hard limit needs CAP_SYS_RESOURCE, so without it every runtime (runc
#    too) fails "setting rlimit ... operation not permitted".  The config
#    then pins the defaults to what podman's children may have: NOFILE at
#    our hard limit, NPROC at 32768 (the limit podman's children were seen
#    to run with here).
#  - podman itself leaves /dev/shm/libpod_lock, /run/containers,
#    /run/docker/plugins, /var/lib/containers/cache (the image library's
#    blob cache, whatever --root says) and the runtime's default state dir
#    (/run/runc, /run/husk: podman passes no --root to the runtime); the
#    suite removes those it made.
#
# With RUNTIME=runc (1.1.5) every check passes on this host; a check that
# fails with husk only is a husk bug, one that fails with both is the host
# or podman.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

e2e_init podman libpod_parent
IMG=localhost/busybox:husk

# --- setup -----------------------------------------------------------------

for tool in podman conmon script; do
	command -v "$tool" >/dev/null || {
		fail setup "$tool not installed (apt-get install podman conmon bsdutils)"
		e2e_finish
	}
done
e2e_host_path all /dev/shm/libpod_lock
e2e_host_path all /var/lib/containers
e2e_host_path empty /run/containers
e2e_host_path empty /run/docker
e2e_host_path nostate "/run/$RT_NAME"

mkdir -p "$T/cni" "$T/tmp"
ulimits=
capeff=$(awk '/^CapEff/ { print $2 }' /proc/self/status)
if (((0x$capeff >> 24 & 1) == 0)); then   # CAP_SYS_RESOURCE is bit 24
	nproc=$(ulimit -Hu)
	[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
	ulimits="default_ulimits = [\"nofile=$(ulimit -Hn):$(ulimit -Hn)\", \"nproc=$nproc:$nproc\"]"
fi
cat >"$T/containers.conf" <<EOF
# Written by tests/e2e/podman.sh for one run.
[containers]
netns = "none"
log_driver = "k8s-file"
$ulimits
[network]
network_config_dir = "$T/cni"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$T/events.log"
tmp_dir = "$T/tmp"
volume_path = "$T/root/volumes"
# husk writes runc's JSON log lines: let podman ask for them.
runtime_supports_json = ["crun", "runc", "kata", "runsc", "krun", "husk"]
# conmon's exit command (podman container cleanup) reads this too.
conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CONTAINERS_CONF=$T/containers.conf"]
EOF
export CONTAINERS_CONF=$T/containers.conf
# The storage.conf of the system is not read: everything on the command line.
export CONTAINERS_STORAGE_CONF=$T/storage.conf
printf '[storage]\ndriver = "vfs"\nrunroot = "%s"\ngraphroot = "%s"\n' "$T/runroot" "$T/root" >"$CONTAINERS_STORAGE_CONF"
e2e_wrapper pm "podman --runtime '$RT' --cgroup-manager cgroupfs --root '$T/root' --runroot '$T/runroot' --tmpdir '$T/tmp' --storage-driver vfs --events-backend file --network-config-dir '$T/cni'"

# Whatever the checks leave behind, remove every container, then the image.
e2e_on_exit "pm rmi -a -f"
e2e_on_exit "pm rm -a -f -t 0"

"$E2E_DIR/mkimage.py" "$T/img" "$IMG" >/dev/null || { fail setup "mkimage.py failed"; e2e_finish; }
check import pm import --change CMD=/bin/sh "$T/img/rootfs.tar" "$IMG"

# --- one-shot containers -----------------------------------------------------

check_out run-rm hello pm run --rm "$IMG" echo hello
run pm ps -a -q
[[ -z $(out) ]] && ok run-rm-removed || fail run-rm-removed "left: $(out)"
check_rc exit-code 42 pm run --rm "$IMG" sh -c 'exit 42'
check_rc missing-binary 127 pm run --rm "$IMG" /no/such/binary
check_rc not-executable 126 pm run --rm "$IMG" /etc/passwd
runin 'through the pipe' pm run --rm -i "$IMG" sh -c 'cat; echo " and back"'
expect stdin-pipe $? '^through the pipe and back$'
runin '' pm run --rm "$IMG" sh -c 'test -t 0 || test -t 1 || echo notty'
expect no-tty $? '^notty$'

# -it under a real terminal: the container's stdio is a pty, input typed at
# the terminal reaches the shell and the shell's status is podman's.  The
# short sleeps let podman attach first: output of a -t container that exits
# before the attach is now and then lost (seen with runc too).
term "pm run --rm -it $IMG sh -c 'sleep 0.5; tty; test -t 0 && test -t 1 && echo both-tty'"
expect tty $? '^/dev/pts/[0-9]+$'
grep -q both-tty "$T/out" && ok tty-stdio || fail tty-stdio "stdin/stdout not terminals: $(e2e_output)"
term "pm run --rm -it $IMG sh -c 'exit 3'"
expect tty-exit-code $? '' 3
printf 'echo typed-""-input\nexit 5\n' | term "pm run --rm -it $IMG sh"
expect tty-input $? 'typed--input' 5
# The terminal's size reaches the container's pty.
term "stty rows 33 cols 101; pm run --rm -it $IMG sh -c 'sleep 0.5; stty size'"
expect tty-winsize $? '^33 101$'

check_out user "1000:1000" pm run --rm --user 1000:1000 "$IMG" sh -c 'echo $(id -u):$(id -g)'
check_out user-name "guest 1000" pm run --rm --user guest "$IMG" sh -c 'echo $(id -un) $(id -u)'
run pm run --rm --read-only "$IMG" touch /rootfile
expect read-only 1 'Read-only file system' 1
check read-only-tmp pm run --rm --read-only "$IMG" touch /tmp/ok
check_out cap-drop-all "0000000000000000 0000000000000000" \
	pm run --rm --cap-drop ALL "$IMG" sh -c 'echo $(awk "/^CapEff/ {print \$2}" /proc/self/status) $(awk "/^CapBnd/ {print \$2}" /proc/self/status)'
run pm run --rm "$IMG" awk '/^CapEff/ {print $2}' /proc/self/status
[[ $(out) =~ ^0*[1-9a-f][0-9a-f]*$ ]] && ok default-caps || fail default-caps "CapEff '$(out)'"
check_out no-new-privileges 1 pm run --rm --security-opt no-new-privileges "$IMG" awk '/^NoNewPrivs/ {print $2}' /proc/self/status
check_out new-privileges-default 0 pm run --rm "$IMG" awk '/^NoNewPrivs/ {print $2}' /proc/self/status

# --memory: the limit in the kernel (read from the host), and enforced: a
# process that touches 100 MiB in a 32 MiB container is OOM-killed.
run pm run -d --name mem --memory 32m "$IMG" sleep 300
pid=$(pm inspect -f '{{.State.Pid}}' mem 2>/dev/null)
got=$(memory_limit "$pid" 2>&1)
[[ $got == 33554432 ]] && ok memory || fail memory "memory limit '$got' (pid '$pid')"
run pm rm -f -t 0 mem
check_rc memory-oom 137 pm run --rm --memory 32m --memory-swap 32m "$IMG" sh -c 'head -c 200m /dev/zero | tail -c 100m >/dev/null'

# --pids-limit: forking past the limit fails (ash: "can't fork"); the same
# loop under a roomy limit succeeds.
fork20='for i in $(seq 20); do sleep 1 & done; wait; echo forked'
run pm run --rm --pids-limit 10 "$IMG" sh -c "$fork20"
rc=$?
if [[ $rc != 0 ]] && grep -q "can't fork" "$T/err" "$T/out"; then ok pids-limit; else fail pids-limit "exit $rc: $(e2e_output)"; fi
run pm run --rm --pids-limit 100 "$IMG" sh -c "$fork20"
expect pids-limit-roomy $? '^forked$'

# --- a detached container ---------------------------------------------------

check detached pm run -d --name web "$IMG" sh -c 'echo started; exec sleep 1000'
cid=$(pm inspect -f '{{.Id}}' web 2>/dev/null)
run pm ps --format '{{.Names}} {{.Status}}'
expect ps $? '^web Up'
run pm inspect -f '{{.State.Status}} {{.State.Running}} {{.OCIRuntime}}' web
expect inspect $? "^running true (.*/)?$RT_NAME\$"
pid=$(pm inspect -f '{{.State.Pid}}' web 2>/dev/null)
[[ -n $pid && -r /proc/$pid/cmdline ]] && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == "sleep 1000 " ]] &&
	ok inspect-pid || fail inspect-pid "pid '$pid' is not the container's sleep"
# podman passes no --root: the container is in the runtime's default root.
run "$RT" state "$cid"
expect runtime-state $? '"status": *"running"'
wait_for 10 sh -c 'pm logs web | grep -q started'
run pm logs web
expect logs $? '^started$'

check_out exec hi pm exec web echo hi
check_rc exec-exit-code 5 pm exec web sh -c 'exit 5'
check_rc exec-missing 127 pm exec web /no/such/binary
check_out exec-user "uid=1000(guest) gid=1000(guest)" pm exec --user guest web sh -c 'id | cut -d" " -f1-2'
check_out exec-user-numeric "65534" pm exec --user 65534:65534 web id -u
runin 'to exec' pm exec -i web cat
expect exec-stdin $? '^to exec$'
check_out exec-env "bar" pm exec -e FOO=bar web sh -c 'echo $FOO'
check_out exec-workdir "/tmp" pm exec -w /tmp web pwd
term "pm exec -it web sh -c 'tty; exit 4'"
expect exec-tty $? '^/dev/pts/[0-9]+$' 4
printf 'echo exec-""-typed\nexit 6\n' | term "pm exec -it web sh"
expect exec-tty-input $? 'exec--typed' 6
term "stty rows 21 cols 77; pm exec -it web stty size"
expect exec-tty-winsize $? '^21 77$'
# An exec'd process shares the container's pid namespace: it sees sleep as 1.
check_out exec-pidns "sleep 1000" pm exec web sh -c 'tr "\0" " " </proc/1/cmdline | sed "s/ $//"'

run pm top web
expect top $? 'sleep 1000'
run pm top web pid args
expect top-descriptors $? 'sleep 1000'
run pm stats --no-stream --format '{{.Name}} {{.PIDs}} {{.MemUsage}}' web
expect stats $? '^web [1-9][0-9]* [0-9.]+[kKMGT]?i?B '

check pause pm pause web
run pm inspect -f '{{.State.Status}}' web
expect paused-status $? '^paused$'
got=$(freezer_state "$pid" 2>&1)
[[ $got == FROZEN ]] && ok paused-frozen || fail paused-frozen "freezer '$got'"
check unpause pm unpause web
run pm inspect -f '{{.State.Status}}' web
expect unpaused-status $? '^running$'
check_out exec-after-unpause ok pm exec web echo ok

if pm update --help >/dev/null 2>&1; then
	check update-memory pm update --memory 64m web
	got=$(memory_limit "$pid" 2>&1)
	[[ $got == 67108864 ]] && ok update-memory-applied || fail update-memory-applied "memory limit '$got'"
else
	echo "# podman $(podman --version) has no update command: skipped"
fi

# stop: sleep as PID 1 ignores SIGTERM, so -t 1 ends in SIGKILL (137).
check stop pm stop -t 1 web
run pm inspect -f '{{.State.Status}} {{.State.ExitCode}}' web
expect stopped $? '^exited 137$'
[[ -d /proc/$pid ]] && fail stop-reaped "pid $pid still there" || ok stop-reaped
check start pm start web
run pm inspect -f '{{.State.Status}}' web
expect restarted $? '^running$'
check_out exec-after-start ok pm exec web echo ok
check rm pm rm -f -t 0 web
run pm ps -a -q
[[ -z $(out) ]] && ok rm-gone || fail rm-gone "left: $(out)"
run "$RT" state "$cid"
[[ $? != 0 ]] && ok runtime-state-gone || fail runtime-state-gone "$RT state still answers: $(out)"

# kill -s: the signal reaches the container's PID 1, whose trap sets the
# exit status that wait reports.
check kill-setup pm run -d --name sig "$IMG" sh -c 'trap "exit 7" USR1; echo ready; while :; do sleep 0.2; done'
wait_for 10 sh -c 'pm logs sig | grep -q ready'
check kill-signal pm kill -s USR1 sig
check_out wait 7 pm wait sig
run pm run -d --name three "$IMG" sh -c 'sleep 1; exit 3'
check_out wait-exit-code 3 pm wait three
check kill-default pm run -d --name victim "$IMG" sleep 1000
check kill pm kill victim
check_out kill-wait 137 pm wait victim
run pm rm -a -f -t 0

e2e_finish
