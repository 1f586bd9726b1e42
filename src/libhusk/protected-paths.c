/* linux.maskedPaths and linux.readonlyPaths (config-linux.md).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "protected-paths.h"

#include "cleanup.h"
#include "mount-api.h"
#include "mount-legacy.h"
#include "mounts.h"
#include "safepath.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Open a listed path; 0 with *fd = -1 when it does not exist. */
static int open_listed(int rootfd, const char *path, int *fd,
                       husk_error **err) {
  cleanup_error husk_error *e = NULL;
  *fd = safe_openat(rootfd, path, O_PATH, 0, &e);
  if (*fd >= 0)
    return 0;
  if (e->errno_ == ENOENT)
    return 0;
  return husk_error_set(err, e->errno_, "open");
}

#define READONLY_ATTRS                                                         \
  (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)

/* Without the new mount API: bind the path onto itself, then remount the
 * bind, reached by resolving the path again. */
static int readonly_legacy(int rootfd, int fd, const char *path,
                           husk_error **err) {
  if (legacy_bind(fd, fd, true, err) < 0)
    return -1;
  cleanup_close int mnt = safe_openat(rootfd, path, O_PATH, 0, err);
  if (mnt < 0)
    return -1;
  return mount_set_attr(mnt, true, READONLY_ATTRS, 0, "make read-only", err);
}

int protected_paths_readonly(int rootfd, const struct oci_linux *l,
                             husk_error **err) {
  for (size_t i = 0; l != NULL && i < l->readonly_paths_len; i++) {
    const char *p = l->readonly_paths[i];
    cleanup_close int fd = -1;
    if (open_listed(rootfd, p, &fd, err) < 0)
      return husk_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, p);
    if (fd < 0)
      continue;
    cleanup_close int tree =
        mount_api_missing()
            ? -1
            : husk_open_tree(fd, "",
                             AT_EMPTY_PATH | OPEN_TREE_CLONE |
                                 OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0 && mount_api_fallback()) {
      if (readonly_legacy(rootfd, fd, p, err) < 0)
        return husk_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, p);
      continue;
    }
    if (tree < 0) {
      husk_error_set(err, errno, "clone mount");
      return husk_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, p);
    }
    if (mount_set_attr(tree, true, READONLY_ATTRS, 0, "make read-only", err) <
        0)
      return husk_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, p);
    if (husk_move_mount_fd(tree, fd) < 0) {
      husk_error_set(err, errno, "move_mount");
      return husk_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, p);
    }
  }
  return 0;
}

/* The container's /dev/null, refused unless it is the null device itself
 * (not a symlink, not another file). */
static int open_null(int rootfd, husk_error **err) {
  cleanup_close int fd =
      safe_openat(rootfd, "/dev/null", O_PATH | O_NOFOLLOW, 0, err);
  if (fd < 0)
    return -1;
  struct stat st;
  if (fstat(fd, &st) < 0)
    return husk_error_set(err, errno, "stat /dev/null");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
    return husk_error_set(err, 0, "/dev/null is not the null device");
  return steal_fd(&fd);
}

/* An empty read-only tmpfs onto `dir`, made with the new mount API, which
 * needs no /proc in the container to name the target (the mount(2)
 * fallback does). */
static int mask_dir(int dir, husk_error **err) {
  cleanup_close int fs =
      mount_api_missing() ? -1 : husk_fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0 && mount_api_fallback())
    return legacy_mount("tmpfs", dir, "tmpfs", MS_RDONLY, NULL, err);
  if (fs < 0)
    return husk_error_set(err, errno, "fsopen tmpfs");
  if (husk_fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
      husk_fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
      husk_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return husk_error_set(err, errno, "create tmpfs");
  cleanup_close int mnt = husk_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
  if (mnt < 0)
    return husk_error_set(err, errno, "fsmount tmpfs");
  if (husk_move_mount_fd(mnt, dir) < 0)
    return husk_error_set(err, errno, "move_mount");
  return 0;
}

int protected_paths_mask(int rootfd, const struct oci_linux *l,
                         husk_error **err) {
  cleanup_close int null = -1;
  for (size_t i = 0; l != NULL && i < l->masked_paths_len; i++) {
    const char *p = l->masked_paths[i];
    cleanup_close int fd = -1;
    if (open_listed(rootfd, p, &fd, err) < 0)
      return husk_error_prefix(err, "linux.maskedPaths[%zu] (%s)", i, p);
    if (fd < 0)
      continue;
    struct stat st;
    int r;
    if (fstat(fd, &st) < 0) {
      r = husk_error_set(err, errno, "stat");
    } else if (S_ISDIR(st.st_mode)) {
      r = mask_dir(fd, err);
    } else {
      if (null < 0)
        null = open_null(rootfd, err);
      r = null < 0 ? -1 : mount_bind_fd(null, fd, false, err);
    }
    if (r < 0)
      return husk_error_prefix(err, "linux.maskedPaths[%zu] (%s)", i, p);
  }
  return 0;
}
