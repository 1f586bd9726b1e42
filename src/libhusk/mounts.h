/* One mounts[] entry onto the container's root, by fd.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Bind mounts are cloned with open_tree(OPEN_TREE_CLONE), given their
 * attributes (ro, nosuid, idmap ...) while still detached, and attached
 * with move_mount onto the destination's fd: a bind is never visible with
 * the wrong flags, and no path is looked up twice.  New filesystems are
 * mounted with mount(2) onto /proc/self/fd/N of the destination (the
 * host's /proc, before pivot_root), which takes their data string exactly
 * as mount(8) would.  Where the new API answers ENOSYS, binds fall back
 * to mount(2) and bind remounts (mount-legacy.h).
 */
#ifndef HUSK_MOUNTS_H
#define HUSK_MOUNTS_H

#include "error.h"
#include "mount-options.h"
#include "rootfs.h"

#include <stdbool.h>

/* Mount spec->mounts[idx] below `rootfd`.  `keep_rw` leaves out "ro" (for
 * /dev, which is filled first and made read-only later).  Errors name the
 * entry: "mounts[3] (/dev/shm): mount tmpfs: ...". */
int mounts_apply_one(const struct rootfs_opts *o, int rootfd, size_t idx,
                     bool keep_rw, husk_error **err);

/* Bind what `src` refers to (any fd) onto what `dst` refers to. */
int mount_bind_fd(int src, int dst, bool recursive, husk_error **err);

/* mount_setattr on the mount `fd` is the root of; `what` names the step in
 * the error. */
int mount_set_attr(int fd, bool recursive, uint64_t set, uint64_t clr,
                   const char *what, husk_error **err);
int mount_set_propagation(int fd, bool recursive, uint64_t type,
                          husk_error **err);

/* Whether mounting at `dest` (a clean path) needs every component to be a
 * real directory: /proc and /sys, whose place the host's LSM policy
 * depends on, or any proc or sysfs mount. */
bool mount_dest_is_protected(const char *dest, const char *type);

/* In the runtime, before clone: the detached, idmapped trees of the
 * idmap/ridmap bind mounts, as an array indexed like mounts[] (-1 where
 * none; NULL when there is none at all). */
int mounts_prepare_idmapped(const struct rootfs_opts *o, int **trees,
                            husk_error **err);
void mounts_free_idmapped(int *trees, size_t n);

#endif
