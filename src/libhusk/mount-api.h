/* The kernel's fd-based mount and path-resolution calls (open_tree,
 * move_mount, mount_setattr, fsopen/fsconfig/fsmount, openat2).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * glibc wraps the mount calls only from 2.36 and openat2 not at all, and
 * <linux/mount.h> clashes with <sys/mount.h> on some glibc versions, so
 * husk calls them through syscall(2) and defines what an older libc lacks.
 * All of them exist on Linux 5.12 (mount_setattr) and later; husk needs
 * 6.1 anyway.
 */
#ifndef HUSK_MOUNT_API_H
#define HUSK_MOUNT_API_H

#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#endif
#ifndef FSMOUNT_CLOEXEC
#define FSMOUNT_CLOEXEC 0x00000001
#endif
#ifndef FSCONFIG_SET_FLAG
#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_SIZE_VER0 32
struct mount_attr {
  uint64_t attr_set;
  uint64_t attr_clr;
  uint64_t propagation;
  uint64_t userns_fd;
};
#endif

static inline int husk_open_tree(int dfd, const char *path, unsigned flags) {
  return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static inline int husk_move_mount(int from_dfd, const char *from_path,
                                  int to_dfd, const char *to_path,
                                  unsigned flags) {
  return (int)syscall(SYS_move_mount, from_dfd, from_path, to_dfd, to_path,
                      flags);
}

static inline int husk_mount_setattr(int dfd, const char *path, unsigned flags,
                                     struct mount_attr *attr) {
  return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr, sizeof(*attr));
}

static inline int husk_fsopen(const char *fstype, unsigned flags) {
  return (int)syscall(SYS_fsopen, fstype, flags);
}

static inline int husk_fsconfig(int fd, unsigned cmd, const char *key,
                                const void *value, int aux) {
  return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int husk_fsmount(int fd, unsigned flags, unsigned attr_flags) {
  return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}

static inline int husk_openat2(int dfd, const char *path,
                               struct open_how *how) {
  return (int)syscall(SYS_openat2, dfd, path, how, sizeof(*how));
}

/* Attach the detached mount `from` (open_tree or fsmount) onto the object
 * `to` refers to: both by fd, so no path is looked up again. */
static inline int husk_move_mount_fd(int from, int to) {
  return husk_move_mount(from, "", to, "",
                         MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

#endif
