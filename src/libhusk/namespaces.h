/* Namespaces: which are made at clone time, which are joined by path, id
 * maps of user namespaces, time namespace offsets.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The common case, no namespace given by path, is one clone3() with every
 * CLONE_NEW* flag: the new user namespace owns all the others.  Joining a
 * namespace by path while making a new user namespace has to happen before
 * that user namespace exists (the joined one belongs to the host's), so the
 * init joins, unshares the user namespace, asks the runtime for its id
 * maps, unshares the rest and forks once more for a new pid namespace.
 */
#ifndef HUSK_NAMESPACES_H
#define HUSK_NAMESPACES_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <sys/types.h>

#define NS_MAX 8

struct ns_plan {
  unsigned long long clone_flags; /* for clone3() */
  unsigned long unshare_flags;    /* slow path: unshared after the joins */
  unsigned long late_flags;       /* unshared by the init once in its cgroup */
  bool slow;          /* joins before a new user namespace: see above */
  bool new_user;      /* a new user namespace (id maps to write) */
  bool new_pid, new_net, new_mnt, new_ipc, new_uts, new_cgroup, new_time;
  bool has_mnt;       /* new or joined: the container has its own mounts */
  bool user_joined, net_joined; /* given by path */
  int pid_join_fd;    /* joined by the runtime before clone (-1 if none) */
  size_t njoin;       /* joined by the init, user first */
  int join_fds[NS_MAX];
  int join_types[NS_MAX]; /* CLONE_NEW* */
};

/* Read linux.namespaces: open every path (so that a bad one fails before
 * anything is made) and decide the flags. */
int ns_plan_build(const struct oci_linux *l, struct ns_plan *p,
                  husk_error **err);
void ns_plan_close(struct ns_plan *p);

/* In the runtime, just before clone: join a pid namespace given by path
 * (for the children to come) and make a time namespace with the offsets
 * of linux.timeOffsets (offsets can only be set before a process enters). */
int ns_prepare_runtime(struct ns_plan *p, const struct oci_linux *l,
                       husk_error **err);

/* Write linux.uidMappings / gidMappings for process `pid`. */
int ns_write_id_maps(pid_t pid, const struct oci_linux *l, husk_error **err);

/* In the init: setns() into every namespace given by path. */
int ns_join(struct ns_plan *p, husk_error **err);

/* In the init: bring up the loopback of its new network namespace, which
 * the kernel makes down (runc brings it up; 127.0.0.1 must answer). */
int ns_loopback_up(husk_error **err);

/* Name of a CLONE_NEW* flag as the spec says it ("network"). */
const char *ns_name(int flag);

#endif
