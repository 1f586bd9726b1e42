/* Paths inside the container root, resolved without trusting the container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Lookups use openat2(RESOLVE_IN_ROOT), which the kernel keeps inside the
 * root even against concurrent renames.  Creating a missing path cannot be
 * one openat2 call, so it walks the path one component at a time: each
 * component is opened O_NOFOLLOW relative to the fd of its parent, symlinks
 * are expanded by hand (absolute targets restart at the root fd, ".." pops
 * a stack of fds and never asks the kernel for ".."), and a directory is
 * made with mkdirat on the fd just opened.  The same walk serves kernels
 * without openat2 (ENOSYS).
 */
#include "config.h"

#include "safepath.h"

#include "cleanup.h"
#include "mount-api.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* As the kernel's own limit on symlinks followed in one lookup. */
#define WALK_MAX_LINKS 40
/* openat2 returns EAGAIN when RESOLVE_IN_ROOT saw a rename or mount race;
 * retrying is what the man page recommends. */
#define OPENAT2_RETRIES 32

void safe_fd_path(int fd, char buf[SAFE_FD_PATH_MAX]) {
  snprintf(buf, SAFE_FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

char *safe_path_clean(const char *path) {
  size_t len = strlen(path);
  char *out = malloc(len + 2);
  if (out == NULL)
    return NULL;
  size_t o = 0;
  const char *p = path;
  while (*p != '\0') {
    while (*p == '/')
      p++;
    const char *end = strchrnul(p, '/');
    size_t n = (size_t)(end - p);
    if (n == 0 || (n == 1 && p[0] == '.')) {
      /* nothing */
    } else if (n == 2 && p[0] == '.' && p[1] == '.') {
      while (o > 0 && out[o - 1] != '/')
        o--;
      if (o > 0)
        o--; /* the slash before the dropped component */
    } else {
      out[o++] = '/';
      memcpy(out + o, p, n);
      o += n;
    }
    p = end;
  }
  if (o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return out;
}

/* --- the component walk ------------------------------------------------- */

enum {
  WALK_CREATE = 1 << 0,        /* make missing components */
  WALK_LAST_DIR = 1 << 1,      /* the last component is (made) a directory */
  WALK_NO_SYMLINKS = 1 << 2,   /* any symlink is an error (ELOOP) */
  WALK_NOFOLLOW_LAST = 1 << 3, /* a symlink as last component is the result */
};

struct walk {
  int *fds; /* fds[0] is the root; fds[depth] the current directory */
  size_t depth, cap;
  char *rest; /* the part of the path not consumed yet */
  size_t pos;
  unsigned links;
};

static void walk_free(struct walk *w) {
  for (size_t i = 0; w->fds != NULL && i <= w->depth; i++)
    if (w->fds[i] >= 0)
      close(w->fds[i]);
  free(w->fds);
  free(w->rest);
}

static int walk_push(struct walk *w, int fd) {
  if (w->depth + 1 >= w->cap) {
    size_t cap = w->cap * 2;
    int *fds = reallocarray(w->fds, cap, sizeof(*fds));
    if (fds == NULL) {
      close(fd);
      errno = ENOMEM;
      return -1;
    }
    w->fds = fds;
    w->cap = cap;
  }
  w->fds[++w->depth] = fd;
  return 0;
}

static void walk_pop_to(struct walk *w, size_t depth) {
  while (w->depth > depth)
    close(w->fds[w->depth--]);
}

/* The next component into `name` (NUL-terminated), or 0 at the end. */
static int walk_next(struct walk *w, char name[NAME_MAX + 1]) {
  const char *p = w->rest + w->pos;
  while (*p == '/')
    p++;
  if (*p == '\0')
    return 0;
  const char *end = strchrnul(p, '/');
  size_t n = (size_t)(end - p);
  if (n > NAME_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, p, n);
  name[n] = '\0';
  w->pos = (size_t)(end - w->rest);
  return 1;
}

static bool walk_at_end(const struct walk *w) {
  const char *p = w->rest + w->pos;
  while (*p == '/')
    p++;
  return *p == '\0';
}

static bool procfs_plain_link(const char *target) {
  bool relative = (target[0] >= '0' && target[0] <= '9') ||
                  strncmp(target, "self/", 5) == 0 ||
                  strncmp(target, "thread-self/", 12) == 0;
  return relative && strchr(target, ':') == NULL;
}

/* Replace the consumed part of the path with the symlink `fd`'s target. */
static int walk_expand_link(struct walk *w, int fd) {
  if (++w->links > WALK_MAX_LINKS) {
    errno = ELOOP;
    return -1;
  }
  char target[PATH_MAX];
  ssize_t n = readlinkat(fd, "", target, sizeof(target) - 1);
  if (n < 0)
    return -1;
  if (n == 0) {
    errno = ENOENT;
    return -1;
  }
  target[n] = '\0';
  /* Procfs "magic" links (fd/N, cwd, root, exe, ns/...) lead to whatever a
   * process holds, outside any root: refuse them as RESOLVE_NO_MAGICLINKS
   * does.  Procfs' ordinary symlinks ("self" -> "1234", "mounts" ->
   * "self/mounts") are relative and name no object ("pipe:[..]"). */
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0)
    return -1;
  if (sfs.f_type == PROC_SUPER_MAGIC && !procfs_plain_link(target)) {
    errno = ELOOP;
    return -1;
  }
  char *rest = NULL;
  if (asprintf(&rest, "%s/%s", target, w->rest + w->pos) < 0) {
    errno = ENOMEM;
    return -1;
  }
  free(w->rest);
  w->rest = rest;
  w->pos = 0;
  if (target[0] == '/')
    walk_pop_to(w, 0);
  return 0;
}

/* Create the missing component `name` in the current directory. */
static int walk_create(struct walk *w, const char *name, bool as_dir) {
  int dirfd = w->fds[w->depth];
  if (as_dir) {
    if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
      return -1;
    return 0;
  }
  /* O_EXCL|O_NOFOLLOW: a symlink raced in is not followed (EEXIST, and
   * the walk then looks at what is there). */
  int fd = openat(dirfd, name,
                  O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

/* Resolve `path` below `rootfd`.  The last component is opened with
 * `flags`/`mode` relative to its parent, O_NOFOLLOW (a symlink there has
 * been expanded already, or is the result with WALK_NOFOLLOW_LAST). */
static int walk(int rootfd, const char *path, unsigned how, int flags,
                mode_t mode) {
  struct walk w = {0};
  int ret = -1;
  w.cap = 16;
  w.fds = calloc(w.cap, sizeof(*w.fds));
  w.rest = strdup(path);
  if (w.fds == NULL || w.rest == NULL) {
    free(w.fds);
    free(w.rest);
    errno = ENOMEM;
    return -1;
  }
  w.fds[0] = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
  if (w.fds[0] < 0)
    goto out;

  for (;;) {
    char name[NAME_MAX + 1];
    int r = walk_next(&w, name);
    if (r < 0)
      goto out;
    if (r == 0) {
      /* The path ended on a directory already on the stack ("/", "a/.."). */
      int top = w.fds[w.depth];
      if (flags & O_PATH)
        ret = fcntl(top, F_DUPFD_CLOEXEC, 3);
      else
        ret = openat(top, ".", flags | O_CLOEXEC);
      goto out;
    }
    if (strcmp(name, ".") == 0)
      continue;
    if (strcmp(name, "..") == 0) {
      if (w.depth > 0)
        walk_pop_to(&w, w.depth - 1);
      continue;
    }
    bool last = walk_at_end(&w);
    int dirfd = w.fds[w.depth];
    int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && last && (flags & O_CREAT)) {
      ret = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
      goto out;
    }
    if (fd < 0 && errno == ENOENT && (how & WALK_CREATE)) {
      if (walk_create(&w, name, !last || (how & WALK_LAST_DIR)) < 0)
        goto out;
      fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0)
      goto out;
    struct stat st;
    if (fstat(fd, &st) < 0) {
      close(fd);
      goto out;
    }
    if (S_ISLNK(st.st_mode)) {
      if (last && (how & WALK_NOFOLLOW_LAST) && (flags & O_PATH) &&
          !(how & WALK_NO_SYMLINKS)) {
        ret = fd;
        goto out;
      }
      if ((how & WALK_NO_SYMLINKS) || (last && (how & WALK_NOFOLLOW_LAST))) {
        close(fd);
        errno = ELOOP;
        goto out;
      }
      r = walk_expand_link(&w, fd);
      close(fd);
      if (r < 0)
        goto out;
      continue;
    }
    if (!last) {
      if (!S_ISDIR(st.st_mode)) {
        close(fd);
        errno = ENOTDIR;
        goto out;
      }
      if (walk_push(&w, fd) < 0)
        goto out;
      continue;
    }
    if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode)) {
      close(fd);
      errno = ENOTDIR;
      goto out;
    }
    if (flags & O_PATH) {
      ret = fd;
      goto out;
    }
    close(fd);
    /* Reopen for real by name: had a symlink been swapped in since,
     * O_NOFOLLOW fails rather than follows it. */
    ret = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
    goto out;
  }
out:;
  int saved = errno;
  walk_free(&w);
  errno = saved;
  return ret;
}

/* --- the interface ------------------------------------------------------ */

/* openat2 below the root, retried on EAGAIN; -1 with errno, ENOSYS when the
 * kernel predates it. */
static int open_in_root(int rootfd, const char *path, int flags, mode_t mode,
                        uint64_t resolve) {
  struct open_how how = {
      .flags = (uint64_t)(flags | O_CLOEXEC),
      .mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
      .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | resolve,
  };
  const char *p = path[0] == '\0' ? "/" : path;
  for (int i = 0; i < OPENAT2_RETRIES; i++) {
    int fd = husk_openat2(rootfd, p, &how);
    if (fd >= 0 || errno != EAGAIN)
      return fd;
  }
  return -1;
}

int safe_openat(int rootfd, const char *path, int flags, mode_t mode,
                husk_error **err) {
  int fd = open_in_root(rootfd, path, flags, mode, 0);
  if (fd < 0 && errno == ENOSYS)
    fd = walk(rootfd, path, (flags & O_NOFOLLOW) ? WALK_NOFOLLOW_LAST : 0,
              flags & ~O_NOFOLLOW, mode);
  if (fd < 0)
    return husk_error_set(err, errno, "open %s", path);
  return fd;
}

static int check_kind(int fd, bool is_dir) {
  struct stat st;
  if (fstat(fd, &st) < 0)
    return -1;
  if (is_dir && !S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  if (!is_dir && S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return -1;
  }
  return 0;
}

static int mkpath(int rootfd, const char *path, bool is_dir, bool no_symlinks,
                  husk_error **err) {
  int flags = O_PATH | (is_dir ? O_DIRECTORY : 0);
  /* Most destinations exist: one openat2 and done. */
  cleanup_close int fd = open_in_root(rootfd, path, flags, 0,
                                      no_symlinks ? RESOLVE_NO_SYMLINKS : 0);
  if (fd < 0 && (errno == ENOENT || errno == ENOSYS)) {
    unsigned how = WALK_CREATE | (is_dir ? WALK_LAST_DIR : 0) |
                   (no_symlinks ? WALK_NO_SYMLINKS : 0);
    fd = walk(rootfd, path, how, flags, 0);
  }
  if (fd < 0) {
    if (errno == ELOOP && no_symlinks)
      return husk_error_set(err, 0, "%s: a symlink in the path is refused",
                            path);
    return husk_error_set(err, errno, "create %s", path);
  }
  if (check_kind(fd, is_dir) < 0)
    return husk_error_set(err, errno, "create %s", path);
  return steal_fd(&fd);
}

static bool is_procfs(int fd) {
  struct statfs s;
  return fstatfs(fd, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

int safe_proc_open(const char *path, int flags, husk_error **err) {
  if (strncmp(path, "/proc/", 6) != 0)
    return husk_error_set(err, EINVAL, "%s: not below /proc", path);
  cleanup_close int proc =
      open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (proc < 0)
    return husk_error_set(err, errno, "open /proc");
  if (!is_procfs(proc))
    return husk_error_set(err, 0, "%s is not on procfs", path);
  /* "self" is an ordinary symlink, allowed; fd/N, exe ... are not. */
  struct open_how how = {
      .flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY),
      .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
  };
  int fd = -1;
  for (int i = 0; i < OPENAT2_RETRIES; i++) {
    fd = husk_openat2(proc, path + 6, &how);
    if (fd >= 0 || errno != EAGAIN)
      break;
  }
  /* Without openat2 the fstatfs below still refuses a non-procfs file. */
  if (fd < 0 && errno == ENOSYS)
    fd = openat(proc, path + 6, flags | O_CLOEXEC | O_NOCTTY);
  if (fd < 0 && errno == EXDEV)
    return husk_error_set(err, 0, "%s: something is mounted over it", path);
  if (fd < 0)
    return husk_error_set(err, errno, "open %s", path);
  cleanup_close int owned = fd;
  if (!is_procfs(owned))
    return husk_error_set(err, 0, "%s is not on procfs", path);
  return steal_fd(&owned);
}

int safe_proc_write(const char *path, const void *data, size_t len,
                    husk_error **err) {
  cleanup_close int fd = safe_proc_open(path, O_WRONLY, err);
  if (fd < 0)
    return -1;
  if (write(fd, data, len) != (ssize_t)len)
    return husk_error_set(err, errno, "write %s", path);
  return 0;
}

int safe_mkpath(int rootfd, const char *path, bool is_dir, husk_error **err) {
  return mkpath(rootfd, path, is_dir, false, err);
}

int safe_mkpath_nofollow(int rootfd, const char *path, bool is_dir,
                         husk_error **err) {
  return mkpath(rootfd, path, is_dir, true, err);
}
