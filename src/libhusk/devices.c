/* The container's /dev: device nodes, the standard symlinks, the console.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "devices.h"

#include "cleanup.h"
#include "mounts.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* UNIX98 pty slaves: majors 136-143 (devices.txt). */
#define PTY_SLAVE_MAJOR_FIRST 136
#define PTY_SLAVE_MAJOR_LAST 143

/* Tries to settle a path the rootfs keeps changing under us. */
#define REPLACE_TRIES 3

struct node {
  const char *path;
  const char *type;
  int64_t major, minor;
  uint32_t mode, uid, gid;
};

static const struct node default_nodes[] = {
    {"/dev/null", "c", 1, 3, 0666, 0, 0},
    {"/dev/zero", "c", 1, 5, 0666, 0, 0},
    {"/dev/full", "c", 1, 7, 0666, 0, 0},
    {"/dev/random", "c", 1, 8, 0666, 0, 0},
    {"/dev/urandom", "c", 1, 9, 0666, 0, 0},
    {"/dev/tty", "c", 5, 0, 0666, 0, 0},
};

bool devices_wanted(const struct oci_spec *spec) {
  for (size_t i = 0; i < spec->mounts_len; i++) {
    const struct oci_mount *m = &spec->mounts[i];
    cleanup_free char *dest =
        m->destination ? safe_path_clean(m->destination) : NULL;
    if (dest == NULL || strcmp(dest, "/dev") != 0)
      continue;
    if (m->type != NULL && strcmp(m->type, "bind") == 0)
      return false;
    for (size_t j = 0; j < m->options_len; j++)
      if (strcmp(m->options[j], "bind") == 0 ||
          strcmp(m->options[j], "rbind") == 0)
        return false;
  }
  return true;
}

/* S_IF* of a linux.devices type, or 0. */
static mode_t node_type(const char *t) {
  if (t == NULL || t[0] == '\0' || t[1] != '\0')
    return 0;
  switch (t[0]) {
  case 'c':
  case 'u':
    return S_IFCHR;
  case 'b':
    return S_IFBLK;
  case 'p':
    return S_IFIFO;
  default:
    return 0;
  }
}

/* An O_PATH fd of a non-directory at dirfd/name to bind onto: what is
 * there (a node from the rootfs), or a new empty file; a symlink is
 * removed, never followed. */
static int bind_target(int dirfd, const char *name, husk_error **err) {
  for (int i = 0; i < REPLACE_TRIES; i++) {
    cleanup_close int fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      struct stat st;
      if (fstat(fd, &st) < 0)
        return husk_error_set(err, errno, "stat %s", name);
      if (S_ISDIR(st.st_mode))
        return husk_error_set(err, EISDIR, "%s", name);
      if (!S_ISLNK(st.st_mode))
        return steal_fd(&fd);
      if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
        return husk_error_set(err, errno, "remove symlink %s", name);
      continue;
    }
    if (errno != ENOENT)
      return husk_error_set(err, errno, "open %s", name);
    int f = openat(dirfd, name,
                   O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (f >= 0)
      close(f);
    else if (errno != EEXIST)
      return husk_error_set(err, errno, "create %s", name);
  }
  return husk_error_set(err, EAGAIN, "%s keeps changing", name);
}

/* In a user namespace: the host's node at the same path, checked to be
 * the device asked for, bound onto an empty file. */
static int bind_node(const struct node *n, mode_t type, int dirfd,
                     const char *name, husk_error **err) {
  cleanup_close int host = open(n->path, O_PATH | O_CLOEXEC);
  if (host < 0)
    return husk_error_set(err, errno, "open the host's %s", n->path);
  struct stat st;
  if (fstat(host, &st) < 0)
    return husk_error_set(err, errno, "stat the host's %s", n->path);
  if ((st.st_mode & S_IFMT) != type ||
      st.st_rdev != makedev((unsigned)n->major, (unsigned)n->minor))
    return husk_error_set(err, 0, "the host's %s is not device %s %lld:%lld",
                          n->path, n->type, (long long)n->major,
                          (long long)n->minor);
  cleanup_close int target = bind_target(dirfd, name, err);
  if (target < 0)
    return -1;
  return mount_bind_fd(host, target, false, err);
}

static bool is_node(const struct stat *st, mode_t type, dev_t rdev) {
  return (st->st_mode & S_IFMT) == type &&
         (type == S_IFIFO || st->st_rdev == rdev);
}

static int make_node(const struct node *n, mode_t type, int dirfd,
                     const char *name, husk_error **err) {
  dev_t rdev = makedev((unsigned)n->major, (unsigned)n->minor);
  mode_t mode = type | (n->mode & 07777);
  bool made = false;
  for (int i = 0; i < REPLACE_TRIES && !made; i++) {
    if (mknodat(dirfd, name, mode, rdev) == 0) {
      made = true;
      break;
    }
    if (errno != EEXIST)
      return husk_error_set(err, errno, "mknod %s", n->path);
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
      if (errno == ENOENT)
        continue;
      return husk_error_set(err, errno, "stat %s", n->path);
    }
    if (is_node(&st, type, rdev))
      return 0; /* the rootfs has it already */
    if (S_ISDIR(st.st_mode))
      return husk_error_set(err, EEXIST, "%s is a directory", n->path);
    /* Whatever else is there (a symlink to a host file ...) goes. */
    if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
      return husk_error_set(err, errno, "remove %s", n->path);
  }
  if (!made)
    return husk_error_set(err, EAGAIN, "%s keeps changing", n->path);
  /* The init is root here (mknod needs it): 0:0 is what it made. */
  if ((n->uid != 0 || n->gid != 0) &&
      fchownat(dirfd, name, n->uid, n->gid, AT_SYMLINK_NOFOLLOW) < 0)
    return husk_error_set(err, errno, "chown %s", n->path);
  return 0;
}

/* `devfd` is /dev, where nearly every node goes. */
static int create_node(const struct rootfs_opts *o, int rootfd, int devfd,
                       const struct node *n, husk_error **err) {
  mode_t type = node_type(n->type);
  if (type == 0)
    return husk_error_set(err, 0, "unknown device type \"%s\"",
                          n->type ? n->type : "");
  cleanup_free char *path = safe_path_clean(n->path);
  if (path == NULL)
    return husk_error_set(err, ENOMEM, "%s", n->path);
  char *slash = strrchr(path, '/');
  const char *name = slash + 1;
  if (name[0] == '\0')
    return husk_error_set(err, EINVAL, "not a device path");
  *slash = '\0';
  cleanup_close int own = -1;
  int dirfd = devfd;
  if (strcmp(path, "/dev") != 0) {
    own = safe_mkpath(rootfd, path[0] ? path : "/", true, err);
    if (own < 0)
      return -1;
    dirfd = own;
  }
  /* mknod of a device needs CAP_MKNOD in the initial user namespace; a
   * fifo needs nothing. */
  if (o->new_userns && type != S_IFIFO)
    return bind_node(n, type, dirfd, name, err);
  return make_node(n, type, dirfd, name, err);
}

static int config_node(const struct oci_linux_device *d, struct node *n) {
  n->path = d->path;
  n->type = d->type;
  n->major = d->major;
  n->minor = d->minor;
  n->mode = d->file_mode_present ? d->file_mode : 0666;
  n->uid = d->uid_present ? d->uid : 0;
  n->gid = d->gid_present ? d->gid : 0;
  return d->path != NULL ? 0 : -1;
}

/* Whether linux.devices names `path` itself, replacing a default. */
static bool configured(const struct oci_linux *l, const char *path) {
  for (size_t i = 0; l != NULL && i < l->devices_len; i++) {
    cleanup_free char *p =
        l->devices[i].path ? safe_path_clean(l->devices[i].path) : NULL;
    if (p != NULL && strcmp(p, path) == 0)
      return true;
  }
  return false;
}

static int create_nodes(const struct rootfs_opts *o, int rootfd, int devfd,
                        husk_error **err) {
  const struct oci_linux *l = o->spec->linux;
  for (size_t i = 0; l != NULL && i < l->devices_len; i++) {
    struct node n;
    if (config_node(&l->devices[i], &n) < 0)
      return husk_error_set(err, 0, "linux.devices[%zu]: no path", i);
    if (create_node(o, rootfd, devfd, &n, err) < 0)
      return husk_error_prefix(err, "linux.devices[%zu] (%s)", i, n.path);
  }
  for (size_t i = 0; i < sizeof(default_nodes) / sizeof(default_nodes[0]);
       i++) {
    if (configured(l, default_nodes[i].path))
      continue;
    if (create_node(o, rootfd, devfd, &default_nodes[i], err) < 0)
      return husk_error_prefix(err, "%s", default_nodes[i].path);
  }
  return 0;
}

static int create_links(int devfd, husk_error **err) {
  static const char *const links[][2] = {
      {"fd", "/proc/self/fd"},
      {"stdin", "/proc/self/fd/0"},
      {"stdout", "/proc/self/fd/1"},
      {"stderr", "/proc/self/fd/2"},
  };
  for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
    if (symlinkat(links[i][1], devfd, links[i][0]) < 0 && errno != EEXIST)
      return husk_error_set(err, errno, "symlink /dev/%s", links[i][0]);
  /* runc adds /dev/core where the host has a /proc/kcore. */
  if (access("/proc/kcore", F_OK) == 0 &&
      symlinkat("/proc/kcore", devfd, "core") < 0 && errno != EEXIST)
    return husk_error_set(err, errno, "symlink /dev/core");
  /* config-linux.md: /dev/ptmx is the devpts instance's ptmx, whatever
   * the rootfs had there. */
  if (unlinkat(devfd, "ptmx", 0) < 0 && errno != ENOENT)
    return husk_error_set(err, errno, "remove /dev/ptmx");
  if (symlinkat("pts/ptmx", devfd, "ptmx") < 0)
    return husk_error_set(err, errno, "symlink /dev/ptmx");
  return 0;
}

int devices_setup(const struct rootfs_opts *o, int rootfd, husk_error **err) {
  cleanup_close int devfd = safe_mkpath(rootfd, "/dev", true, err);
  if (devfd < 0)
    return husk_error_prefix(err, "/dev");
  /* Nodes get the config's modes, not the umask's. */
  mode_t old = umask(0);
  int r = create_nodes(o, rootfd, devfd, err);
  umask(old);
  if (r < 0)
    return -1;
  return create_links(devfd, err);
}

int devices_bind_console(int rootfd, int console_fd, husk_error **err) {
  struct stat st;
  if (fstat(console_fd, &st) < 0)
    return husk_error_set(err, errno, "/dev/console: stat the terminal");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) < PTY_SLAVE_MAJOR_FIRST ||
      major(st.st_rdev) > PTY_SLAVE_MAJOR_LAST)
    return husk_error_set(err, 0, "/dev/console: the terminal is not a pty");
  cleanup_close int devfd = safe_mkpath(rootfd, "/dev", true, err);
  if (devfd < 0)
    return husk_error_prefix(err, "/dev/console");
  cleanup_close int target = bind_target(devfd, "console", err);
  if (target < 0 || mount_bind_fd(console_fd, target, false, err) < 0)
    return husk_error_prefix(err, "/dev/console");
  return 0;
}
