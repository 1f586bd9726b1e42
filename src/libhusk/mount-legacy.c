/* mount(2) in place of the fd-based mount API where it answers ENOSYS.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "mount-legacy.h"

#include "cleanup.h"
#include "mount-api.h"
#include "mountinfo.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif
#define PROC_ROOT_INO 1

static bool missing;

bool mount_api_missing(void) { return missing; }

bool mount_api_fallback(void) {
  if (!missing && errno == ENOSYS)
    missing = true;
  return missing;
}

/* /proc/self/fd/N for `fd`, once "/proc" is known to be the root of a
 * procfs: after pivot_root it is the container's, and a rootfs without a
 * proc mount could have put a symlink tree there to redirect the mount.
 * (A mount point cannot be renamed away, so the check holds.) */
static int fd_path(int fd, char buf[SAFE_FD_PATH_MAX], husk_error **err) {
  cleanup_close int proc =
      open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct statfs s;
  struct stat st;
  if (proc < 0 || fstatfs(proc, &s) < 0 || fstat(proc, &st) < 0)
    return husk_error_set(err, errno, "open /proc");
  if (s.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
    return husk_error_set(err, 0,
                          "/proc is not a proc mount, which mount(2) needs "
                          "to reach its targets without the new mount API");
  safe_fd_path(fd, buf);
  return 0;
}

int legacy_bind(int src, int dst, bool recursive, husk_error **err) {
  char from[SAFE_FD_PATH_MAX], to[SAFE_FD_PATH_MAX];
  if (fd_path(src, from, err) < 0)
    return -1;
  safe_fd_path(dst, to);
  if (mount(from, to, NULL, MS_BIND | (recursive ? MS_REC : 0), NULL) < 0)
    return husk_error_set(err, errno, "bind mount");
  return 0;
}

int legacy_mount(const char *source, int dst, const char *type,
                 unsigned long flags, const char *data, husk_error **err) {
  char to[SAFE_FD_PATH_MAX];
  if (fd_path(dst, to, err) < 0)
    return -1;
  if (mount(source, to, type, flags, data) < 0)
    return husk_error_set(err, errno, "mount %s", type);
  return 0;
}

/* The per-mount flags a bind remount must repeat, from statfs: a remount
 * sets all of them, and in a user namespace dropping a locked one fails. */
static unsigned long current_flags(const struct statfs *s) {
  static const struct {
    unsigned long st, ms;
  } map[] = {
      {ST_RDONLY, MS_RDONLY},           {ST_NOSUID, MS_NOSUID},
      {ST_NODEV, MS_NODEV},             {ST_NOEXEC, MS_NOEXEC},
      {ST_NODIRATIME, MS_NODIRATIME},   {ST_NOSYMFOLLOW, MS_NOSYMFOLLOW},
      {ST_NOATIME, MS_NOATIME},         {ST_RELATIME, MS_RELATIME},
  };
  unsigned long f = 0;
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (s->f_flags & map[i].st)
      f |= map[i].ms;
  /* Neither noatime nor relatime: strictatime, which statfs does not
   * show but a remount must name. */
  if (!(f & (MS_NOATIME | MS_RELATIME)))
    f |= MS_STRICTATIME;
  return f;
}

/* `flags` with mount_setattr's set and clear applied. */
static unsigned long apply_attr(unsigned long flags, uint64_t set,
                                uint64_t clr) {
  static const struct {
    uint64_t attr;
    unsigned long ms;
  } map[] = {
      {MOUNT_ATTR_RDONLY, MS_RDONLY},         {MOUNT_ATTR_NOSUID, MS_NOSUID},
      {MOUNT_ATTR_NODEV, MS_NODEV},           {MOUNT_ATTR_NOEXEC, MS_NOEXEC},
      {MOUNT_ATTR_NODIRATIME, MS_NODIRATIME},
      {MOUNT_ATTR_NOSYMFOLLOW, MS_NOSYMFOLLOW},
  };
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (clr & map[i].attr)
      flags &= ~map[i].ms;
    if (set & map[i].attr)
      flags |= map[i].ms;
  }
  if (clr & MOUNT_ATTR__ATIME) {
    flags &= ~(unsigned long)(MS_NOATIME | MS_RELATIME | MS_STRICTATIME);
    switch (set & MOUNT_ATTR__ATIME) {
    case MOUNT_ATTR_NOATIME:
      flags |= MS_NOATIME;
      break;
    case MOUNT_ATTR_STRICTATIME:
      flags |= MS_STRICTATIME;
      break;
    default:
      flags |= MS_RELATIME;
    }
  }
  return flags;
}

static int remount_one(int fd, uint64_t set, uint64_t clr, husk_error **err) {
  struct statfs s;
  if (fstatfs(fd, &s) < 0)
    return husk_error_set(err, errno, "statfs");
  char path[SAFE_FD_PATH_MAX];
  if (fd_path(fd, path, err) < 0)
    return -1;
  unsigned long f = apply_attr(current_flags(&s), set, clr);
  if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | f, NULL) < 0)
    return husk_error_set(err, errno, "remount");
  return 0;
}

/* The mounts below one mount, found through their parent ids. */
struct below {
  uint64_t *ids;
  char **points;
  size_t n;
};

static void below_free(struct below *b) {
  for (size_t i = 0; i < b->n; i++)
    free(b->points[i]);
  free(b->ids);
  free(b->points);
}
#define cleanup_below __attribute__((cleanup(below_free)))

static bool below_has(const struct below *b, uint64_t id) {
  for (size_t i = 0; i < b->n; i++)
    if (b->ids[i] == id)
      return true;
  return false;
}

static int collect_below(const struct mountinfo *mi, void *data,
                         husk_error **err) {
  struct below *b = data;
  if (!below_has(b, (uint64_t)mi->parent_id) || below_has(b, (uint64_t)mi->id))
    return 0;
  uint64_t *ids = reallocarray(b->ids, b->n + 1, sizeof(*ids));
  if (ids != NULL)
    b->ids = ids;
  char **points = reallocarray(b->points, b->n + 1, sizeof(*points));
  if (points != NULL)
    b->points = points;
  char *p = strdup(mi->mount_point);
  if (ids == NULL || points == NULL || p == NULL) {
    free(p);
    return husk_error_set(err, ENOMEM, "mountinfo");
  }
  b->ids[b->n] = (uint64_t)mi->id;
  b->points[b->n++] = p;
  return 0;
}

/* Every mount below `fd`'s, each remounted through an fd whose mount id
 * proves it is the one mountinfo named (no symlink is followed on the
 * way, and a mount hidden under another is an error, not skipped). */
static int remount_below(int fd, uint64_t set, uint64_t clr,
                         husk_error **err) {
  uint64_t top;
  if (mountinfo_mnt_id(fd, &top) < 0)
    return husk_error_set(err, errno, "statx");
  cleanup_below struct below b = {0};
  b.ids = malloc(sizeof(*b.ids));
  b.points = malloc(sizeof(*b.points));
  if (b.ids == NULL || b.points == NULL)
    return husk_error_set(err, ENOMEM, "mountinfo");
  b.ids[0] = top;
  b.points[0] = NULL;
  b.n = 1;
  /* mountinfo lists parents before their children, but a mount moved
   * since may break that: read again until nothing new turns up. */
  for (size_t seen = 0; seen != b.n;) {
    seen = b.n;
    if (mountinfo_each(collect_below, &b, err) < 0)
      return -1;
  }
  for (size_t i = 1; i < b.n; i++) {
    struct open_how how = {.flags = O_PATH | O_CLOEXEC,
                           .resolve = RESOLVE_NO_SYMLINKS};
    cleanup_close int sub = husk_openat2(AT_FDCWD, b.points[i], &how);
    uint64_t id;
    if (sub < 0 || mountinfo_mnt_id(sub, &id) < 0)
      return husk_error_set(err, errno, "open the mount at %s", b.points[i]);
    if (id != b.ids[i])
      return husk_error_set(err, 0, "the mount at %s is hidden",
                            b.points[i]);
    if (remount_one(sub, set, clr, err) < 0)
      return husk_error_prefix(err, "%s", b.points[i]);
  }
  return 0;
}

int legacy_set_attr(int fd, bool recursive, uint64_t set, uint64_t clr,
                    husk_error **err) {
  if (set & MOUNT_ATTR_IDMAP)
    return husk_error_set(err, ENOSYS,
                          "idmapped mounts need mount_setattr");
  if (remount_one(fd, set, clr, err) < 0)
    return -1;
  return recursive ? remount_below(fd, set, clr, err) : 0;
}

int legacy_set_propagation(int fd, bool recursive, uint64_t type,
                           husk_error **err) {
  char path[SAFE_FD_PATH_MAX];
  if (fd_path(fd, path, err) < 0)
    return -1;
  if (mount(NULL, path, NULL, (unsigned long)type | (recursive ? MS_REC : 0),
            NULL) < 0)
    return husk_error_set(err, errno, "set propagation");
  return 0;
}

int legacy_move(int from, const char *to_path, husk_error **err) {
  char path[SAFE_FD_PATH_MAX];
  if (fd_path(from, path, err) < 0)
    return -1;
  if (mount(path, to_path, NULL, MS_MOVE, NULL) < 0)
    return husk_error_set(err, errno, "move mount");
  return 0;
}
