/* The seccomp listener (linux.seccomp.listenerPath): who answers the
 * syscalls of SCMP_ACT_NOTIFY rules.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * config-linux.md: the runtime connects to the AF_UNIX socket at
 * listenerPath and sends the container process state as JSON, with the
 * listener fd of the filter as SCM_RIGHTS (the state's "fds" names it
 * "seccompFd").  husk's runtime connects before clone, with the host's
 * view of the path; the init, which alone gets the listener fd when it
 * loads the filter, sends the message right after, then execs.
 */
#ifndef HUSK_SECCOMP_NOTIFY_H
#define HUSK_SECCOMP_NOTIFY_H

#include "error.h"

#include <ocispec/spec.h>

/* A connected socket to s->listener_path, or -1 and *err. */
int seccomp_listener_connect(const char *path, husk_error **err);

/* The container process state for the listener, from the state the
 * runtime gave the init (its pid as the runtime sees it). */
int seccomp_listener_state(const struct oci_linux_seccomp *s,
                         const char *state_json, char **out, husk_error **err);

/* Send `json` and `notify_fd` on `sock`; nothing but sendmsg(2), as the
 * filter is already in force. */
int seccomp_listener_send(int sock, int notify_fd, const char *json,
                        husk_error **err);

#endif
