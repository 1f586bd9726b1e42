/* The container's root filesystem: mounts, /dev, pivot_root, masked and
 * read-only paths.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The steps themselves live in files named for them (mounts.c,
 * mount-cgroup.c, devices.c, protected-paths.c, sysctl.c); this file puts
 * them in order and owns what concerns the root mount: its propagation,
 * the bind that makes it a mount point, pivot_root and root.readonly.
 */
#include "config.h"

#include "rootfs.h"

#include "cleanup.h"
#include "devices.h"
#include "mount-api.h"
#include "mount-legacy.h"
#include "mount-options.h"
#include "mountinfo.h"
#include "mounts.h"
#include "protected-paths.h"
#include "safepath.h"
#include "sysctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif

/* --- propagation ---------------------------------------------------------- */

struct propagation {
  uint64_t type; /* MS_SHARED ... */
  bool recursive;
};

static int root_propagation(const struct oci_spec *spec, struct propagation *p,
                            husk_error **err) {
  static const struct {
    const char *name;
    struct propagation p;
  } names[] = {
      {"private", {MS_PRIVATE, false}},
      {"rprivate", {MS_PRIVATE, true}},
      {"slave", {MS_SLAVE, false}},
      {"rslave", {MS_SLAVE, true}},
      {"shared", {MS_SHARED, false}},
      {"rshared", {MS_SHARED, true}},
      {"unbindable", {MS_UNBINDABLE, false}},
      {"runbindable", {MS_UNBINDABLE, true}},
  };
  const char *rp = spec->linux ? spec->linux->rootfs_propagation : NULL;
  memset(p, 0, sizeof(*p));
  if (rp == NULL || rp[0] == '\0')
    return 0;
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    if (strcmp(rp, names[i].name) == 0) {
      *p = names[i].p;
      return 0;
    }
  }
  return husk_error_set(err, 0, "linux.rootfsPropagation: unknown \"%s\"", rp);
}

struct find_shared {
  uint64_t id;
  bool shared;
};

static int find_shared(const struct mountinfo *mi, void *data,
                       husk_error **err) {
  (void)err;
  struct find_shared *f = data;
  if ((uint64_t)mi->id != f->id)
    return 0;
  f->shared = strstr(mi->optional, "shared:") != NULL;
  return 1;
}

/* pivot_root refuses a new root whose parent mount is shared, and a bind
 * under a shared mount would show up in its peers (the host's): make the
 * mount the rootfs sits on private when it is shared, as runc does.  Only
 * a rootfsPropagation other than the default can leave it shared, so only
 * then is mountinfo read. */
static int parent_mount_private(int rootdir, husk_error **err) {
  struct find_shared f = {0};
  if (mountinfo_mnt_id(rootdir, &f.id) < 0)
    return husk_error_set(err, errno, "statx the rootfs");
  if (mountinfo_each(find_shared, &f, err) < 0)
    return -1;
  if (!f.shared)
    return 0;
  /* Climb to that mount's root: ".." out of a mount root lands in
   * another mount (or on itself at "/"). */
  cleanup_close int cur = fcntl(rootdir, F_DUPFD_CLOEXEC, 3);
  for (;;) {
    if (cur < 0)
      return husk_error_set(err, errno, "open the rootfs' mount");
    cleanup_close int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    struct stat a, b;
    uint64_t id;
    if (up < 0 || mountinfo_mnt_id(up, &id) < 0 || fstat(up, &a) < 0 ||
        fstat(cur, &b) < 0)
      return husk_error_set(err, errno, "find the rootfs' mount");
    if (id != f.id || (a.st_dev == b.st_dev && a.st_ino == b.st_ino))
      break;
    close(cur);
    cur = steal_fd(&up);
  }
  if (mount_set_propagation(cur, false, MS_PRIVATE, err) < 0)
    return husk_error_prefix(err, "make the rootfs' parent mount private");
  return 0;
}

/* --- /dev read-only ---------------------------------------------------------
 */

/* A /dev tmpfs with "ro" is mounted writable, filled, and made read-only
 * at the end (runc does the same). */
static bool is_readonly_dev(const struct oci_mount *m) {
  cleanup_free char *dest =
      m->destination ? safe_path_clean(m->destination) : NULL;
  if (dest == NULL || strcmp(dest, "/dev") != 0)
    return false;
  struct mount_opts mo;
  if (mount_opts_parse(m, &mo, NULL) < 0)
    return false;
  bool ro = !mo.bind && (mo.flags & MS_RDONLY);
  mount_opts_free(&mo);
  return ro;
}

static bool dev_needs_readonly(const struct oci_spec *spec) {
  for (size_t i = 0; i < spec->mounts_len; i++)
    if (is_readonly_dev(&spec->mounts[i]))
      return true;
  return false;
}

/* --- the three steps ------------------------------------------------------ */

int rootfs_prepare(const struct rootfs_opts *o, int *rootfd, husk_error **err) {
  const struct oci_spec *spec = o->spec;
  struct propagation prop;
  if (root_propagation(spec, &prop, err) < 0)
    return -1;
  /* Nothing mounted from here on may reach the host: "/" becomes a slave
   * (receiving the host's mounts, sending nothing back) unless the config
   * asks otherwise. */
  unsigned long flags = prop.type ? (unsigned long)prop.type : MS_SLAVE;
  if (prop.type == 0 || prop.recursive)
    flags |= MS_REC;
  if (mount(NULL, "/", NULL, flags, NULL) < 0)
    return husk_error_set(err, errno, "set the propagation of /");

  cleanup_close int rootdir = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootdir < 0)
    return husk_error_set(err, errno, "open the rootfs %s", o->rootfs);
  bool may_be_shared =
      prop.type != 0 && !(prop.recursive && prop.type != MS_SHARED);
  if (may_be_shared && parent_mount_private(rootdir, err) < 0)
    return -1;
  /* pivot_root needs the new root to be a mount point. */
  cleanup_close int root =
      mount_api_missing()
          ? -1
          : husk_open_tree(rootdir, "",
                           AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                               AT_RECURSIVE);
  if (root < 0 && mount_api_fallback()) {
    /* The bind is reached by opening the (host's) path again. */
    if (legacy_bind(rootdir, rootdir, true, err) < 0)
      return husk_error_prefix(err, "bind the rootfs %s onto itself",
                               o->rootfs);
    root = open(o->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
      return husk_error_set(err, errno, "open the rootfs %s", o->rootfs);
  } else if (root < 0 || husk_move_mount_fd(root, rootdir) < 0) {
    return husk_error_set(err, errno, "bind the rootfs %s onto itself",
                          o->rootfs);
  }

  bool fill_dev = devices_wanted(spec);
  for (size_t i = 0; i < spec->mounts_len; i++) {
    bool keep_rw = fill_dev && is_readonly_dev(&spec->mounts[i]);
    if (mounts_apply_one(o, root, i, keep_rw, err) < 0)
      return -1;
  }
  if (fill_dev && devices_setup(o, root, err) < 0)
    return -1;
  *rootfd = steal_fd(&root);
  return 0;
}

static int pivot(int rootfd, husk_error **err) {
  cleanup_close int oldroot = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (oldroot < 0)
    return husk_error_set(err, errno, "open /");
  if (fchdir(rootfd) < 0)
    return husk_error_set(err, errno, "chdir to the rootfs");
  /* pivot_root(".", "."): the old root ends up stacked on the new one,
   * with no directory needed in the rootfs to hold it. */
  if (syscall(SYS_pivot_root, ".", ".") < 0)
    return husk_error_set(err, errno, "pivot_root");
  if (fchdir(oldroot) < 0)
    return husk_error_set(err, errno, "chdir to the old root");
  /* Detaching must not propagate to the host's mounts.  Without the new
   * mount API the old root is reached as ".", the container's /proc being
   * no help (it may not be one). */
  if (mount_api_missing()) {
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
      return husk_error_set(err, errno, "the old root: set propagation");
  } else if (mount_set_propagation(oldroot, true, MS_SLAVE, err) < 0) {
    return husk_error_prefix(err, "the old root");
  }
  if (umount2(".", MNT_DETACH) < 0)
    return husk_error_set(err, errno, "detach the old root");
  if (chdir("/") < 0)
    return husk_error_set(err, errno, "chdir /");
  return 0;
}

/* --no-pivot (a root that cannot be pivoted, like an initramfs): move the
 * root onto "/" and chroot into it. */
static int move_root(int rootfd, husk_error **err) {
  if (fchdir(rootfd) < 0)
    return husk_error_set(err, errno, "chdir to the rootfs");
  int r = mount_api_missing() ? -1
                              : husk_move_mount(rootfd, "", AT_FDCWD, "/",
                                                MOVE_MOUNT_F_EMPTY_PATH);
  if (r < 0 && mount_api_fallback())
    r = legacy_move(rootfd, "/", err);
  else if (r < 0)
    husk_error_set(err, errno, "move mount");
  if (r < 0)
    return husk_error_prefix(err, "move the rootfs onto /");
  if (chroot(".") < 0)
    return husk_error_set(err, errno, "chroot");
  if (chdir("/") < 0)
    return husk_error_set(err, errno, "chdir /");
  return 0;
}

int rootfs_pivot(const struct rootfs_opts *o, int rootfd, husk_error **err) {
  struct propagation prop;
  if (root_propagation(o->spec, &prop, err) < 0)
    return -1;
  if ((o->no_pivot ? move_root(rootfd, err) : pivot(rootfd, err)) < 0)
    return -1;
  if (prop.type == 0)
    return 0;
  /* The root is a new mount now: give it the asked propagation. */
  cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return husk_error_set(err, errno, "open /");
  if (mount_set_propagation(root, prop.recursive, prop.type, err) < 0)
    return husk_error_prefix(err, "linux.rootfsPropagation");
  return 0;
}

int rootfs_console(int slave_fd, husk_error **err) {
  cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return husk_error_set(err, errno, "open /");
  return devices_bind_console(root, slave_fd, err);
}

int rootfs_finish(const struct rootfs_opts *o, husk_error **err) {
  const struct oci_spec *spec = o->spec;
  const struct oci_linux *l = spec->linux;
  cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return husk_error_set(err, errno, "open /");
  /* Same as rootfs_console() for a caller that has the pty by now; before
   * /dev may go read-only. */
  if (o->console_fd >= 0 && devices_bind_console(root, o->console_fd, err) < 0)
    return -1;
  /* Before readonlyPaths, which usually freeze /proc/sys. */
  if (sysctl_apply(spec, err) < 0)
    return -1;
  if (protected_paths_readonly(root, l, err) < 0 ||
      protected_paths_mask(root, l, err) < 0)
    return -1;
  if (devices_wanted(spec) && dev_needs_readonly(spec)) {
    cleanup_close int dev =
        safe_openat(root, "/dev", O_PATH | O_DIRECTORY, 0, err);
    if (dev < 0 || mount_set_attr(dev, false, MOUNT_ATTR_RDONLY, 0,
                                  "make read-only", err) < 0)
      return husk_error_prefix(err, "/dev");
  }
  if (spec->root != NULL && spec->root->readonly &&
      mount_set_attr(root, false, MOUNT_ATTR_RDONLY, 0, "make read-only", err) <
          0)
    return husk_error_prefix(err, "root.readonly");
  return 0;
}

int rootfs_check_sysctl(const struct oci_spec *spec, husk_error **err) {
  return sysctl_check(spec, err);
}
