#!/bin/bash
# tests/e2e/docker.sh: Docker 20.10 (dockerd, its own containerd and the
# runc v2 shim) driving the runtime under test as `--runtime husk`.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   tests/e2e/docker.sh                         # the husk built in this tree
#   RUNTIME=$(command -v runc) tests/e2e/docker.sh
#
# The suite starts a dockerd of its own from a daemon.json in a temp dir
# (data-root, exec-root, pidfile, unix socket, the runtime registered as
# "husk") and stops it by pid at the end; dockerd starts and stops its own
# containerd.  No networking: --iptables=false, --bridge=none and every
# container --network none, so the host's firewall and links are untouched.
# Containers go under the cgroup parent /husk-e2e-docker (removed at the
# end).  The image is loaded from a docker-archive made by mkimage.py.
#
# What dockerd makes outside its roots whatever it is told, removed at the
# end if it was not there before: /etc/docker/key.json (its libtrust key),
# /run/docker/plugins, /opt/containerd (the "opt" plugin of the containerd
# it starts) and the shims' sockets under /run/containerd/s.
#
# The docker CLI used is the one of the docker.io package (/usr/bin/docker),
# matching the daemon, even when another docker is first in PATH.
#
# With RUNTIME=runc (1.1.5) every check passes on this host (cgroup v1
# hybrid, no systemd): a check that fails with husk only is a husk bug.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

e2e_init docker husk-e2e-docker
IMG=localhost/busybox:husk
DOCKER=/usr/bin/docker

# --- setup -----------------------------------------------------------------

for tool in dockerd "$DOCKER" containerd containerd-shim-runc-v2 script; do
	command -v "$tool" >/dev/null || {
		fail setup "$tool not installed (apt-get install docker.io bsdutils)"
		e2e_finish
	}
done
e2e_host_path all /etc/docker/key.json
e2e_host_path empty /run/docker
e2e_host_path empty /opt/containerd
e2e_host_path empty /run/containerd

# The cgroup parent is absolute: a relative one is taken by the runtime as
# relative to the daemon's own cgroup.
cat >"$T/daemon.json" <<EOF
{
  "data-root": "$T/data",
  "exec-root": "$T/exec",
  "pidfile": "$T/docker.pid",
  "hosts": ["unix://$T/docker.sock"],
  "iptables": false,
  "ip6tables": false,
  "ip-forward": false,
  "ip-masq": false,
  "bridge": "none",
  "cgroup-parent": "/husk-e2e-docker",
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "storage-driver": "overlay2",
  "runtimes": { "husk": { "path": "$RT" } }
}
EOF
export DOCKER_CONFIG=$T/cli
e2e_wrapper d "$DOCKER -H 'unix://$T/docker.sock'"
# Every container: this runtime, no network.
e2e_wrapper drun "$DOCKER -H 'unix://$T/docker.sock' run --runtime husk --network none"
# dockerd gives every v2-shim runtime the state root EXEC-ROOT/runtime-runc
# and the namespace moby.
e2e_wrapper rt "'$RT' --root '$T/exec/runtime-runc/moby'"

e2e_daemon dockerd "$T/dockerd.log" dockerd --config-file "$T/daemon.json"
if wait_for 60 d version; then
	ok daemon
else
	fail daemon "dockerd did not answer: $(tail -3 "$T/dockerd.log")"
	e2e_finish
fi
# Teardown, newest first: containers, then the image.
e2e_on_exit "d rmi -f $IMG"
e2e_on_exit 'd rm -f $(d ps -aq)'

run d info --format '{{json .Runtimes}}'
expect runtime-registered $? '"husk"'

"$E2E_DIR/mkimage.py" "$T/img" "$IMG" >/dev/null || { fail setup "mkimage.py failed"; e2e_finish; }
run d load -i "$T/img/docker.tar"
expect load $? "Loaded image: $IMG"

# --- one-shot containers -----------------------------------------------------

check_out run-rm hello drun --rm "$IMG" echo hello
run d ps -aq
[[ -z $(out) ]] && ok run-rm-removed || fail run-rm-removed "left: $(out)"
check_rc exit-code 42 drun --rm "$IMG" sh -c 'exit 42'
check_rc missing-binary 127 drun --rm "$IMG" /no/such/binary
check_rc not-executable 126 drun --rm "$IMG" /etc/passwd
runin 'through the pipe' drun --rm -i "$IMG" sh -c 'cat; echo " and back"'
expect stdin-pipe $? '^through the pipe and back$'
check_out no-tty notty drun --rm "$IMG" sh -c 'test -t 0 || test -t 1 || echo notty'

term "drun --rm -it $IMG sh -c 'sleep 0.3; tty; test -t 0 && test -t 1 && echo both-tty'"
expect tty $? '^/dev/pts/[0-9]+$'
grep -q both-tty "$T/out" && ok tty-stdio || fail tty-stdio "stdin/stdout not terminals: $(e2e_output)"
term "drun --rm -it $IMG sh -c 'exit 3'"
expect tty-exit-code $? '' 3
printf 'echo typed-""-input\nexit 5\n' | term "drun --rm -it $IMG sh"
expect tty-input $? 'typed--input' 5
term "stty rows 33 cols 101; drun --rm -it $IMG sh -c 'sleep 0.3; stty size'"
expect tty-winsize $? '^33 101$'

check_out user "1000:1000" drun --rm --user 1000:1000 "$IMG" sh -c 'echo $(id -u):$(id -g)'
check_out user-name "guest 1000" drun --rm --user guest "$IMG" sh -c 'echo $(id -un) $(id -u)'
run drun --rm --read-only "$IMG" touch /rootfile
expect read-only $? 'Read-only file system' 1
check read-only-tmpfs drun --rm --read-only --tmpfs /tmp "$IMG" touch /tmp/ok
check_out cap-drop-all "0000000000000000 0000000000000000" \
	drun --rm --cap-drop ALL "$IMG" sh -c 'echo $(awk "/^CapEff/ {print \$2}" /proc/self/status) $(awk "/^CapBnd/ {print \$2}" /proc/self/status)'
check_out no-new-privileges 1 drun --rm --security-opt no-new-privileges "$IMG" awk '/^NoNewPrivs/ {print $2}' /proc/self/status

# --memory: the limit in the kernel, read from the host; enforced: touching
# 100 MiB in a 32 MiB container gets the toucher OOM-killed, and Docker
# (through the shim's OOM events) marks the container OOMKilled.
check memory-setup drun -d --name mem --memory 32m "$IMG" sleep 300
pid=$(d inspect -f '{{.State.Pid}}' mem 2>/dev/null)
got=$(memory_limit "$pid" 2>&1)
[[ $got == 33554432 ]] && ok memory || fail memory "memory limit '$got' (pid '$pid')"
run d rm -f mem
check_rc memory-oom 137 drun --name oom --memory 32m --memory-swap 32m "$IMG" sh -c 'head -c 200m /dev/zero | tail -c 100m >/dev/null'
run d inspect -f '{{.State.OOMKilled}}' oom
expect oom-killed $? '^true$'
run d rm -f oom

# --pids-limit: forking past the limit fails; a roomy limit does not.
fork20='for i in $(seq 20); do sleep 1 & done; wait; echo forked'
run drun --rm --pids-limit 10 "$IMG" sh -c "$fork20"
rc=$?
if [[ $rc != 0 ]] && grep -q "can't fork" "$T/err" "$T/out"; then ok pids-limit; else fail pids-limit "exit $rc: $(e2e_output)"; fi
run drun --rm --pids-limit 100 "$IMG" sh -c "$fork20"
expect pids-limit-roomy $? '^forked$'

# --- a detached container ---------------------------------------------------

check detached drun -d --name web "$IMG" sh -c 'echo started; exec sleep 1000'
cid=$(d inspect -f '{{.Id}}' web 2>/dev/null)
run d ps --format '{{.Names}} {{.Status}}'
expect ps $? '^web Up'
run d inspect -f '{{.State.Status}} {{.HostConfig.Runtime}}' web
expect inspect $? '^running husk$'
pid=$(d inspect -f '{{.State.Pid}}' web 2>/dev/null)
[[ -n $pid ]] && [[ $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) == "sleep 1000 " ]] &&
	ok inspect-pid || fail inspect-pid "pid '$pid' is not the container's sleep"
run rt state "$cid"
expect runtime-state $? '"status": *"running"'
wait_for 10 sh -c 'd logs web 2>&1 | grep -q started'
run d logs web
expect logs $? '^started$'

check_out exec hi d exec web echo hi
check_rc exec-exit-code 5 d exec web sh -c 'exit 5'
run d exec web /no/such/binary
rc=$?
[[ $rc == 126 || $rc == 127 ]] && ok exec-missing || fail exec-missing "exit $rc: $(e2e_output)"
check_out exec-user "uid=1000(guest) gid=1000(guest)" d exec --user guest web sh -c 'id | cut -d" " -f1-2'
runin 'to exec' d exec -i web cat
expect exec-stdin $? '^to exec$'
check_out exec-env bar d exec -e FOO=bar web sh -c 'echo $FOO'
check_out exec-workdir /tmp d exec -w /tmp web pwd
term "d exec -it web sh -c 'tty; exit 4'"
expect exec-tty $? '^/dev/pts/[0-9]+$' 4
printf 'echo exec-""-typed\nexit 6\n' | term "d exec -it web sh"
expect exec-tty-input $? 'exec--typed' 6
check_out exec-pidns "sleep 1000" d exec web sh -c 'tr "\0" " " </proc/1/cmdline | sed "s/ $//"'

run d top web
expect top $? 'sleep 1000'
run d stats --no-stream --format '{{.Name}} {{.PIDs}} {{.MemUsage}}' web
expect stats $? '^web [1-9][0-9]* [0-9.]+[kKMGT]?i?B '

check pause d pause web
run d inspect -f '{{.State.Status}}' web
expect paused-status $? '^paused$'
got=$(freezer_state "$pid" 2>&1)
[[ $got == FROZEN ]] && ok paused-frozen || fail paused-frozen "freezer '$got'"
check unpause d unpause web
run d inspect -f '{{.State.Status}}' web
expect unpaused-status $? '^running$'
check_out exec-after-unpause ok d exec web echo ok

check update-memory d update --memory 64m --memory-swap 128m web
got=$(memory_limit "$pid" 2>&1)
[[ $got == 67108864 ]] && ok update-memory-applied || fail update-memory-applied "memory limit '$got'"

# stop: sleep as PID 1 ignores SIGTERM, so -t 1 ends in SIGKILL (137).
check stop d stop -t 1 web
run d inspect -f '{{.State.Status}} {{.State.ExitCode}}' web
expect stopped $? '^exited 137$'
check start d start web
run d inspect -f '{{.State.Status}}' web
expect restarted $? '^running$'
check_out exec-after-start ok d exec web echo ok
check rm d rm -f web
run d ps -aq
[[ -z $(out) ]] && ok rm-gone || fail rm-gone "left: $(out)"
run rt state "$cid"
[[ $? != 0 ]] && ok runtime-state-gone || fail runtime-state-gone "$RT state still answers: $(out)"

# kill -s: the signal reaches PID 1, whose trap sets what wait reports.
check kill-setup drun -d --name sig "$IMG" sh -c 'trap "exit 7" USR1; echo ready; while :; do sleep 0.2; done'
wait_for 10 sh -c 'd logs sig 2>&1 | grep -q ready'
check kill-signal d kill -s USR1 sig
check_out wait 7 d wait sig
run d rm -f sig

e2e_finish
