/* Copying a directory tree between two directory fds.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "copy-tree.h"

#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper trees are not what a tmpfs over /tmp or /run starts with. */
#define MAX_DEPTH 64

static int copy_file(int from, int to, const char *name, const struct stat *st,
                     husk_error **err) {
  /* O_NONBLOCK: a FIFO swapped in since the stat must not hang the copy;
   * what was opened must be the regular file that was stat'ed. */
  cleanup_close int in =
      openat(from, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (in < 0)
    return husk_error_set(err, errno, "open %s", name);
  struct stat now;
  if (fstat(in, &now) < 0)
    return husk_error_set(err, errno, "stat %s", name);
  if (!S_ISREG(now.st_mode) || now.st_dev != st->st_dev ||
      now.st_ino != st->st_ino)
    return husk_error_set(err, 0, "%s changed while it was copied", name);
  cleanup_close int out =
      openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
             st->st_mode & 07777);
  if (out < 0)
    return husk_error_set(err, errno, "create %s", name);
  for (;;) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 20, 0);
    if (n == 0)
      break;
    if (n < 0) {
      /* Across filesystems older kernels say EXDEV: copy by hand. */
      char buf[65536];
      ssize_t r = read(in, buf, sizeof(buf));
      if (r == 0)
        break;
      if (r < 0 || write(out, buf, (size_t)r) != r)
        return husk_error_set(err, errno, "copy %s", name);
    }
  }
  if (fchown(out, st->st_uid, st->st_gid) < 0 ||
      fchmod(out, st->st_mode & 07777) < 0)
    return husk_error_set(err, errno, "chown %s", name);
  return 0;
}

static int copy_dir(int from, int to, int depth, husk_error **err);

static int copy_entry(int from, int to, const char *name, int depth,
                      husk_error **err) {
  struct stat st;
  if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return husk_error_set(err, errno, "stat %s", name);
  if (S_ISREG(st.st_mode))
    return copy_file(from, to, name, &st, err);
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(from, name, target, sizeof(target) - 1);
    if (n < 0)
      return husk_error_set(err, errno, "readlink %s", name);
    target[n] = '\0';
    if (symlinkat(target, to, name) < 0 ||
        fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
      return husk_error_set(err, errno, "symlink %s", name);
    return 0;
  }
  if (S_ISFIFO(st.st_mode)) {
    if (mkfifoat(to, name, st.st_mode & 07777) < 0 ||
        fchownat(to, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
      return husk_error_set(err, errno, "mkfifo %s", name);
    return 0;
  }
  if (!S_ISDIR(st.st_mode))
    return 0; /* devices and sockets: nothing a tmpfs should start with */
  if (depth >= MAX_DEPTH)
    return husk_error_set(err, ELOOP, "copy %s", name);
  if (mkdirat(to, name, 0700) < 0)
    return husk_error_set(err, errno, "mkdir %s", name);
  cleanup_close int sub_from =
      openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_close int sub_to =
      openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sub_from < 0 || sub_to < 0)
    return husk_error_set(err, errno, "open %s", name);
  if (copy_dir(sub_from, sub_to, depth + 1, err) < 0)
    return husk_error_prefix(err, "%s", name);
  if (fchown(sub_to, st.st_uid, st.st_gid) < 0 ||
      fchmod(sub_to, st.st_mode & 07777) < 0)
    return husk_error_set(err, errno, "chown %s", name);
  return 0;
}

static int copy_dir(int from, int to, int depth, husk_error **err) {
  int fd = dup(from);
  if (fd < 0)
    return husk_error_set(err, errno, "dup");
  cleanup_dir DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return husk_error_set(err, errno, "opendir");
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (copy_entry(from, to, e->d_name, depth, err) < 0)
      return -1;
  }
  return 0;
}

int copy_tree(int from, int to, husk_error **err) {
  struct stat st;
  if (fstat(from, &st) < 0)
    return husk_error_set(err, errno, "stat");
  if (copy_dir(from, to, 0, err) < 0)
    return -1;
  /* The tmpfs's root takes the directory's mode and owner too. */
  if (fchown(to, st.st_uid, st.st_gid) < 0 || fchmod(to, st.st_mode & 07777) < 0)
    return husk_error_set(err, errno, "chown");
  return 0;
}
