/* The user process's environment: user and groups, rlimits, oom score, I/O
 * priority, scheduler, personality, CPU affinity, cwd, fds, exec.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Called in the container's init (and, later, `exec`) after pivot_root, in
 * this order: process_find_exec() at create time, process_setup() while still
 * root, process_set_user() as late as possible, then process_exec().
 */
#ifndef HUSK_PROCESS_H
#define HUSK_PROCESS_H

#include "caps.h"
#include "error.h"

#include <ocispec/process.h>
#include <stdbool.h>

/* Resolve args[0] through the PATH of process.env (as execvp would, inside
 * the current root) and check that it is an executable file, so that
 * `create` fails for a missing binary instead of `start`.  Returns a
 * malloc'ed path. */
int process_find_exec(const struct oci_process *p, char **path,
                      husk_error **err);

/* While still privileged: rlimits, oomScoreAdj (untouched when absent),
 * ioPriority, scheduler, personality (linux.personality), execCPUAffinity
 * initial, umask, and chdir(cwd) creating cwd if missing.  procfs writes go
 * through fds checked to be on procfs. */
struct process_setup_opts {
  const struct oci_process *process;
  bool is_exec; /* execCPUAffinity applies to exec'd processes only
                   (config.md), never to the container's init */
  const struct oci_linux_personality *personality; /* may be NULL */
};
int process_setup(const struct process_setup_opts *o, husk_error **err);

/* Pin the calling thread to a CPU list ("0-3,7"; NULL or "" leaves the
 * affinity alone), for execCPUAffinity: process_setup() applies `initial`,
 * the exec path applies `final` once the process is in the container's
 * cgroup.  Errors carry no JSON path; the caller adds it. */
int process_cpu_affinity(const char *list, husk_error **err);

/* runc's rule: without HOME in process.env, add the home of process.user
 * from the container's /etc/passwd, else "/".  Called in the container's
 * root, before any seccomp filter. */
int process_default_home(struct oci_process *p, husk_error **err);

/* Switch to process.user: additionalGids (setgroups; skipped where
 * setgroups is denied in a user namespace and none are asked for), gid,
 * uid, keeping capabilities across the switch, then apply `caps`; and
 * no_new_privs if asked. */
int process_set_user(const struct oci_process *p, const struct caps_sets *caps,
                     husk_error **err);

/* Close every fd >= 3 + preserve_fds except `keep` (-1 for none), or mark
 * them close-on-exec where closing would disturb the caller. */
int process_close_fds(int preserve_fds, int keep, husk_error **err);

/* execve `path` with args and env; returns only on failure. */
int process_exec(const struct oci_process *p, const char *path,
                 husk_error **err);

#endif
