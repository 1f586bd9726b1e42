/* The runtime <-> init protocol over one SOCK_SEQPACKET socketpair.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each message is a type and an optional payload (a state JSON for hooks,
 * an error message).  The init reports any failure as SYNC_ERROR with the
 * message and exits; the runtime sees a closed socket as the init's death.
 */
#ifndef HUSK_SYNC_H
#define HUSK_SYNC_H

#include "error.h"

#include <stddef.h>
#include <stdint.h>

enum sync_type {
  SYNC_ERROR = 1,  /* init -> runtime: payload is the message */
  SYNC_USERNS,     /* init -> runtime (slow path): write my id maps */
  SYNC_USERNS_DONE,
  SYNC_PID,        /* init -> runtime (slow path): payload is the decimal
                      pid of the init, forked into its new pid namespace,
                      or "0": the sender itself */
  SYNC_GO,         /* runtime -> init: id maps and cgroup are in place;
                      payload: the state JSON for createContainer and
                      startContainer hooks */
  SYNC_HOOKS,      /* init -> runtime: mounts done, run createRuntime */
  SYNC_HOOKS_DONE, /* runtime -> init */
  SYNC_READY,      /* init -> runtime: created, about to wait for start */
  SYNC_START,      /* runtime -> init, `run` only (no exec.fifo): start;
                      the socket then carries the init's error, or closes
                      at its execve */
};

int sync_send(int fd, uint32_t type, const void *payload, size_t len,
              husk_error **err);

/* Receive one message of `want`; SYNC_ERROR becomes *err with the init's
 * message, anything else (or end of file) an error of its own.  *payload
 * (may be NULL) is malloc'ed and NUL-terminated. */
int sync_expect(int fd, uint32_t want, char **payload, husk_error **err);

/* Receive one message of any type. */
int sync_recv(int fd, uint32_t *type, char **payload, husk_error **err);

#endif
