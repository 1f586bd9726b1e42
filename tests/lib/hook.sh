#!/bin/sh
# A hook for the tests: records what it was given, then does what it is told.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   hook.sh OUTDIR NAME [ACTION ARG]...
#
# Writes into OUTDIR (POSIX sh only: it runs on the host's /bin/sh and in a
# busybox rootfs, where startContainer hooks are resolved):
#   NAME.state    the container state it read on stdin
#   NAME.args     its arguments after $0, one per line
#   NAME.env      its environment (`env` output, sorted)
#   NAME.selfns   its own mnt, pid and net namespaces (readlink /proc/self/ns/X)
#   NAME.pidns    the same for the state's pid, when /proc shows that pid
#   NAME.cmdline  /proc/PID/cmdline of the state's pid, NULs turned to spaces
#   NAME.exe      readlink /proc/PID/exe of the state's pid
#   NAME.pid      its own pid
#   order         NAME appended, so tests can check the order hooks ran in
# then runs the actions, in order:
#   exit N        exit with status N now
#   sleep N       sleep N seconds
#   stderr TEXT   write TEXT to stderr
#   wait-file F   wait (up to 10 s) for the file F to exist
#   exists F      append "F yes" or "F no" to NAME.exists
#   exec-sleep N  become `sleep N` (same pid: NAME.pid), for timeouts
#   note TEXT     nothing (an argument to look for in NAME.args or with pgrep)
out=$1
name=$2
[ -n "$out" ] && [ -n "$name" ] || { echo "usage: hook.sh OUTDIR NAME [ACTION ARG]..." >&2; exit 64; }
printf '%s\n' "$@" >"$out/$name.args"
echo $$ >"$out/$name.pid"
cat >"$out/$name.state"
env | sort >"$out/$name.env"
for ns in mnt pid net; do
	echo "$ns $(readlink /proc/self/ns/$ns)"
done >"$out/$name.selfns"
pid=$(sed -n 's/.*"pid":[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$out/$name.state" | head -n 1)
if [ -n "$pid" ] && [ "$pid" != 0 ] && [ -e "/proc/$pid" ]; then
	tr '\0' ' ' <"/proc/$pid/cmdline" >"$out/$name.cmdline" 2>/dev/null
	readlink "/proc/$pid/exe" >"$out/$name.exe" 2>/dev/null
	for ns in mnt pid net; do
		echo "$ns $(readlink /proc/$pid/ns/$ns)"
	done >"$out/$name.pidns"
fi
echo "$name" >>"$out/order"
shift 2
while [ $# -gt 0 ]; do
	case $1 in
	exit) exit "$2" ;;
	sleep) sleep "$2" ;;
	stderr) echo "$2" >&2 ;;
	wait-file)
		i=0
		while [ ! -e "$2" ] && [ $i -lt 100 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		;;
	exec-sleep) exec sleep "$2" ;;
	note) ;;
	exists)
		if [ -e "$2" ]; then echo "$2 yes"; else echo "$2 no"; fi >>"$out/$name.exists"
		;;
	*) echo "hook.sh: unknown action $1" >&2; exit 64 ;;
	esac
	shift 2
done
exit 0
