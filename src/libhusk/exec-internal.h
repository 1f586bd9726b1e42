/* `exec` inside libhusk: what the runtime half (exec.c) shares with the
 * process description (exec-process.c), the half that enters the container
 * (exec-child.c) and sub-cgroups (exec-cgroup.c).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_EXEC_INTERNAL_H
#define HUSK_EXEC_INTERNAL_H

#include "caps.h"
#include "cgroup.h"
#include "error.h"
#include "exec.h"

#include <ocispec/process.h>
#include <ocispec/spec.h>
#include <sys/types.h>

/* --- exec-process.c ------------------------------------------------------- */

/* The process to run: the whole of --process FILE, or the config's process
 * (taken out of `spec`) with the flags applied as runc does.  *out is the
 * caller's, freed with oci_process_free(). */
int exec_process_build(const struct exec_opts *o, struct oci_spec *spec,
                       struct oci_process **out, husk_error **err);

/* --- exec-cgroup.c -------------------------------------------------------- */

/* Move `pid` into the container's cgroup `cg`, or into the sub-cgroups
 * --cgroup names below it ("sub" for every hierarchy, "cpu,memory:sub" for
 * those controllers only; the others stay in `cg`). */
int exec_cgroup_enter(const struct cgroup_paths *cg, char *const *subs,
                      size_t n, pid_t pid, husk_error **err);

/* --- exec-child.c --------------------------------------------------------- */

struct seccomp_setup;

/* What the processes entering the container need; all of it was read and
 * checked by the runtime before the clone. */
struct exec_child {
  const struct oci_process *process;
  const struct oci_linux_personality *personality; /* may be NULL */
  struct caps_sets caps;
  struct seccomp_setup *seccomp; /* NULL without linux.seccomp */
  const char *state_json;        /* for a seccomp listener */
  int init_pidfd;                /* the container's init */
  int ns_flags;                  /* CLONE_NEW* of the namespaces to join */
  bool join_user;                /* ns_flags has CLONE_NEWUSER */
  int sync_fd;                   /* the children's end of the sync socket */
  int console_sock;              /* where the pty master goes, or -1 */
  int lsm_proc_fd;               /* lsm_proc_open(), or -1 without labels */
  bool relayed;                  /* console_sock leads to our relay */
  int preserve_fds;
  int close_fds[2];              /* the runtime's fds to close first, or -1 */
};

/* Clone the "joiner": a child of ours that waits for the runtime's "go"
 * (sent once it is in the cgroup), joins the namespaces and forks the
 * process with CLONE_PARENT, so that the process is our child too (and in
 * the container's pid namespace); it sets itself up and execs.  Messages on sync_fd: 'P' and the process's pid from the
 * joiner, 'E' and an error from either; end of file once both are gone,
 * the process by execve. */
pid_t exec_child_spawn(const struct exec_child *c, husk_error **err);

#endif
