/* A "cgroup" mount: the container's own cgroups at the destination.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * On a cgroup v2 host it is a cgroup2 mount (the namespace's root with a
 * cgroup namespace, else the whole tree, as runc); where the kernel refuses
 * that (a user namespace without a cgroup namespace) the same view is
 * bound instead: the host's whole tree, or the container's own cgroup.  On a v1
 * or hybrid host it is, as runc makes it, a tmpfs holding one directory per v1
 * hierarchy: mounted anew with a cgroup namespace, else bound from the
 * container's cgroup in that hierarchy, with the entry's flags ("ro" ...).
 */
#ifndef HUSK_MOUNT_CGROUP_H
#define HUSK_MOUNT_CGROUP_H

#include "error.h"
#include "mount-options.h"
#include "rootfs.h"

/* `m` is a "cgroup" or "cgroup2" entry (the latter is always cgroup2);
 * `dest` its clean destination. */
int mount_cgroup(const struct rootfs_opts *o, int rootfd,
                 const struct oci_mount *m, const char *dest,
                 const struct mount_opts *mo, husk_error **err);

#endif
