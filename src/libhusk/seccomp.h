/* linux.seccomp: the filter the runtime prepares and the init loads.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Split between the two processes so that the init does no compiling and a
 * bad profile fails `create` before anything exists:
 *   runtime, before clone: seccomp_prepare() turns the profile into a BPF
 *     program (from the cache in the state root, else through libseccomp,
 *     see seccomp-cache.h and seccomp-compile.h), works out the seccomp(2)
 *     flags and connects to listenerPath;
 *   init, at GO: seccomp_listener_ready() writes what the listener is told;
 *   init, last: seccomp_install() (seccomp(2) SECCOMP_SET_MODE_FILTER, then
 *     the listener fd to the listener) or seccomp_exec() (the same, then
 *     execve, with nothing else in between).
 * The program lives in the runtime's memory, which the init has a copy of
 * (clone without CLONE_VM).
 */
#ifndef HUSK_SECCOMP_H
#define HUSK_SECCOMP_H

#include "error.h"

#include <linux/filter.h>
#include <ocispec/spec.h>
#include <stdbool.h>
#include <stddef.h>

struct seccomp_setup {
  const struct oci_linux_seccomp *spec;
  struct sock_filter *insns; /* the program, malloc'ed */
  size_t len;
  unsigned int flags;  /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
  int listener_fd;     /* connected to listenerPath, or -1 */
  char *process_state; /* for the listener (init), malloc'ed */
};

#define SECCOMP_SETUP_INIT {.listener_fd = -1}

/* Runtime, before clone: everything the init needs to load `s`.  Errors
 * name the JSON path (`linux.seccomp.syscalls[3]: ...`).  `rootfd` is the
 * state root, where compiled programs are cached. */
int seccomp_prepare(const struct oci_linux_seccomp *s, int rootfd,
                    struct seccomp_setup *out, husk_error **err);

void seccomp_setup_clear(struct seccomp_setup *s);

/* Init, once it has the container's state (its pid as the runtime sees
 * it): prepare the listener's message.  Nothing to do without a listener. */
int seccomp_listener_ready(struct seccomp_setup *s, const char *state_json,
                           husk_error **err);

/* Init: load the filter and, with a listener, send it the listener fd.
 * Every syscall after this one goes through the filter. */
int seccomp_install(const struct seccomp_setup *s, husk_error **err);

/* Init: seccomp_install() then execve(path) of process `p`, with argv and
 * envp built before the filter is in force, so that execve is the only
 * syscall the profile must allow after it (sendmsg too with a listener).
 * Returns only on failure. */
int seccomp_exec(const struct seccomp_setup *s, const struct oci_process *p,
                 const char *path, husk_error **err);

#endif
