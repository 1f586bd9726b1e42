/* Terminals: the container's pty and the console socket.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * With process.terminal, the init opens a pty from the container's own
 * devpts (after pivot_root, so the pty belongs to the container), makes the
 * slave its controlling terminal and stdio, and sends the master over the
 * --console-socket as one SCM_RIGHTS message, as conmon and containerd's
 * shim expect.
 */
#ifndef HUSK_TERMINAL_H
#define HUSK_TERMINAL_H

#include "error.h"

#include <ocispec/process.h>

/* Connect to the AF_UNIX stream socket at `path` (the engine's console
 * socket); done by the runtime before clone so that the path is looked up
 * in the host's namespaces. */
int terminal_connect(const char *path, husk_error **err);

/* Open a new pty through /dev/ptmx of the current root; return master and
 * slave fds.  consoleSize, when present, sets the window size. */
int terminal_open(const struct oci_console_size *size, int *master, int *slave,
                  husk_error **err);

/* Make `slave` the controlling terminal and fds 0-2 (after setsid). */
int terminal_set_stdio(int slave, husk_error **err);

/* Send `fd` over the connected unix socket `sock` with SCM_RIGHTS. */
int terminal_send_fd(int sock, int fd, husk_error **err);

/* Receive one fd sent with SCM_RIGHTS (for `run` without a console socket
 * and for tests). */
int terminal_recv_fd(int sock, int *fd, husk_error **err);

#endif
