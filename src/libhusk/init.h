/* The container's init: what the cloned child does, from its first
 * instruction to the execve() of the user process.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The child is a copy of the runtime (clone3 without CLONE_VM, no re-exec),
 * so it has the parsed config in memory.  It talks to the runtime over
 * `sync_fd` until it is created, then blocks opening exec.fifo until
 * `start` opens the other end; errors after that go into the fifo, where
 * `start` reads them.  In one step (`run`, see one_step below) it is no
 * copy but runs in the runtime's memory, vfork-style, straight through to
 * execve.
 */
#ifndef HUSK_INIT_H
#define HUSK_INIT_H

#include "caps.h"
#include "namespaces.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <sys/types.h>

struct cgroup_procs;
struct cgroup_v1_dir;
struct systemd_unit;
struct seccomp_setup;

struct init_config {
  const struct oci_spec *spec;
  const char *id;
  const char *rootfs;    /* absolute host path */
  struct ns_plan *ns;
  struct caps_sets caps; /* parsed by the runtime, before anything exists */
  pid_t runtime_pid;     /* to notice the runtime's death */
  int sync_fd;
  int runtime_sync_fd;   /* the runtime's end, closed first by the init so
                            that a receive fails once the runtime is gone */
  int state_dirfd;       /* exec.fifo lives there (O_PATH, not the lock) */
  int lock_fd;           /* the runtime's locked state dir: closed at once,
                            or `start` would wait for our exec */
  int console_sock;      /* connected console socket, or -1 */
  int preserve_fds;
  bool no_pivot;
  bool no_new_keyring;
  bool runtime_hooks;    /* prestart/createRuntime: ask the runtime */
  bool start_by_sync;    /* `run`: wait for SYNC_START, not on exec.fifo */
  const int *idmapped_trees; /* see struct rootfs_opts */
  /* --systemd-cgroup: the unit to start with the init in it, in place of
   * joining a cgroup husk made; NULL otherwise */
  const struct systemd_unit *systemd_unit;
  /* linux.seccomp as prepared by the runtime (seccomp.h), or NULL */
  struct seccomp_setup *seccomp;
  /* lsm_proc_open() when the process has an AppArmor profile or SELinux
   * label, or -1 (lsm.h) */
  int lsm_proc_fd;
  /* An unprivileged runtime (or newuidmap) can write our id maps and
   * oom_score_adj only while /proc/PID is its user's: non-dumpable from GO
   * on (no container process exists before). */
  bool dumpable_until_go;
  /* cgroup v1: the container's cgroup.procs in the memory hierarchy, which
   * the init writes itself once the container is built, and the
   * container's cgroup path there (spawn.c says why); -1 and NULL when the
   * runtime puts the init in every cgroup */
  int memory_cgroup_fd;
  const char *memory_cgroup;
  /* see struct rootfs_opts */
  const struct cgroup_v1_dir *cgroup_v1;
  size_t cgroup_v1_len;
  /* One step (`run` with nothing for the runtime to do between clone and
   * execve, spawn.c): the init shares the runtime's memory until its
   * execve, joins these cgroups itself first (none when it was cloned
   * into its cgroup), waits for no GO and no start, and reports any error
   * as SYNC_ERROR. */
  bool one_step;
  const struct cgroup_procs *cgroup_procs;
  size_t cgroup_procs_len;
};

/* Never returns: execs the user process or exits non-zero after
 * reporting why. */
__attribute__((noreturn)) void init_main(struct init_config *c);

#endif
