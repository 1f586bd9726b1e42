#!/usr/bin/env python3
# Console socket receiver, the fallback when tests/tools/recvtty is not built.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   recvtty.py [--pid-file F] [--input TEXT] SOCKET
#
# Listens on the unix socket SOCKET, accepts one connection, receives the
# pty master over SCM_RIGHTS, writes TEXT (if given) to it, then copies what
# the container prints to stdout until the slave side is closed (EIO or EOF).
import argparse
import errno
import os
import socket
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pid-file")
    ap.add_argument("--input")
    ap.add_argument("socket")
    a = ap.parse_args()
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(a.socket)
    srv.listen(1)
    if a.pid_file:
        tmp = a.pid_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % os.getpid())
        os.rename(tmp, a.pid_file)
    conn, _ = srv.accept()
    _, fds, _, _ = socket.recv_fds(conn, 4096, 4)
    conn.close()
    srv.close()
    if not fds:
        sys.stderr.write("recvtty.py: no fd received\n")
        return 1
    master = fds[0]
    for fd in fds[1:]:
        os.close(fd)
    if a.input:
        os.write(master, a.input.encode())
    out = sys.stdout.buffer
    while True:
        try:
            data = os.read(master, 4096)
        except OSError as e:
            if e.errno == errno.EIO:
                break
            raise
        if not data:
            break
        out.write(data)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
