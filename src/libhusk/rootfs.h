/* The container's root filesystem: mounts, /dev, pivot_root, masked and
 * read-only paths.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs in the container's init, in its new mount namespace, in three steps
 * around the createContainer hooks (which must see the mounts but run
 * before pivot_root, config.md "createContainer"):
 *
 *   rootfs_prepare()  propagation, root bind, every mounts[] entry, /dev
 *   ... createContainer hooks ...
 *   rootfs_pivot()    pivot_root (or MS_MOVE + chroot), rootfsPropagation
 *   rootfs_finish()   after /proc exists: maskedPaths, readonlyPaths,
 *                     root.readonly, sysctl
 */
#ifndef HUSK_ROOTFS_H
#define HUSK_ROOTFS_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>

struct cgroup_v1_dir;
struct rootfs_opts {
  const struct oci_spec *spec;
  const char *rootfs;   /* absolute host path of root.path */
  bool new_userns;      /* devices are bound from the host, not mknod'ed */
  bool new_netns;       /* sysfs can be mounted; else bound from the host */
  bool new_cgroupns;    /* cgroup mounts see the container's cgroup as / */
  bool no_pivot;        /* --no-pivot: MS_MOVE + chroot */
  int console_fd;       /* pty slave for /dev/console, or -1 */
  const int *idmapped_trees; /* per mounts[] entry, made by the runtime
                                (mounts_prepare_idmapped), or NULL */
  /* v1: the container's cgroup in each hierarchy, which a cgroup mount
   * binds (without a cgroup namespace), or NULL (cgroup.h) */
  const struct cgroup_v1_dir *cgroup_v1;
  size_t cgroup_v1_len;
};

/* Before the hooks.  Returns an fd of the root (O_PATH | O_DIRECTORY),
 * which the later steps use. */
int rootfs_prepare(const struct rootfs_opts *o, int *rootfd, husk_error **err);

/* Make the root the process's "/" and leave no way back to the host's. */
int rootfs_pivot(const struct rootfs_opts *o, int rootfd, husk_error **err);

/* After pivot, with a terminal: bind the pty slave `slave_fd` (verified
 * to be a pty) onto /dev/console, so that the container's console is its
 * own pty and never a host device (CVE-2025-52565 class). */
int rootfs_console(int slave_fd, husk_error **err);

/* After pivot: hide and freeze what the spec asks, write sysctls. */
int rootfs_finish(const struct rootfs_opts *o, husk_error **err);

/* Whether a sysctl key may be set given the namespaces the container has
 * (runc's rules: kernel.{msg*,sem,shm*} and fs.mqueue.* need an IPC
 * namespace, net.* a network namespace, kernel.{hostname,domainname} a UTS
 * namespace); used to refuse early, before anything is created. */
int rootfs_check_sysctl(const struct oci_spec *spec, husk_error **err);

#endif
