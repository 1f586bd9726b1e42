/* A "cgroup" mount: the container's own cgroups at the destination.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "mount-cgroup.h"

#include "cgroup.h"
#include "cleanup.h"
#include "mount-api.h"
#include "mount-legacy.h"
#include "mountinfo.h"
#include "mounts.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* The host's cgroup mount point, where runtimes and systemd put it. */
#define CGROUP_ROOT "/sys/fs/cgroup"

/* /proc/self/cgroup, one "ID:CONTROLLERS:PATH" line per hierarchy. */
struct own_cgroup {
  char *controllers; /* "cpu,cpuacct", "name=systemd", "" for v2 */
  char *path;
};

struct own_cgroups {
  struct own_cgroup *v;
  size_t n;
};

static void own_cgroups_free(struct own_cgroups *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].controllers);
    free(c->v[i].path);
  }
  free(c->v);
}
#define cleanup_own_cgroups __attribute__((cleanup(own_cgroups_free)))

static int own_cgroups_read(struct own_cgroups *c, husk_error **err) {
  /* A buffer of our own spares stdio's fstat (and its 1 KiB reads). */
  char buf[2048];
  cleanup_fclose FILE *f = fopen("/proc/self/cgroup", "re");
  if (f == NULL)
    return husk_error_set(err, errno, "open /proc/self/cgroup");
  setvbuf(f, buf, _IOFBF, sizeof(buf));
  cleanup_free char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) > 0) {
    if (line[len - 1] == '\n')
      line[len - 1] = '\0';
    char *ctl = strchr(line, ':');
    char *path = ctl ? strchr(ctl + 1, ':') : NULL;
    if (path == NULL)
      continue;
    *ctl++ = '\0';
    *path++ = '\0';
    struct own_cgroup *v = reallocarray(c->v, c->n + 1, sizeof(*v));
    if (v == NULL)
      return husk_error_set(err, ENOMEM, "/proc/self/cgroup");
    c->v = v;
    v[c->n].controllers = strdup(ctl);
    v[c->n].path = strdup(path);
    c->n++;
    if (v[c->n - 1].controllers == NULL || v[c->n - 1].path == NULL)
      return husk_error_set(err, ENOMEM, "/proc/self/cgroup");
  }
  return 0;
}

/* --- cgroup v2 ------------------------------------------------------------ */

/* Without the new mount API: attach, then give the bind its flags through
 * `dirfd`/`name`, the destination resolved again. */
static int bind_cgroup_legacy(const char *src, int destfd, int dirfd,
                              const char *name, const struct mount_attr *a,
                              bool recursive, husk_error **err) {
  cleanup_close int srcfd = open(src, O_PATH | O_CLOEXEC);
  if (srcfd < 0)
    return husk_error_set(err, errno, "bind %s", src);
  if (legacy_bind(srcfd, destfd, recursive, err) < 0)
    return husk_error_prefix(err, "bind %s", src);
  if ((a->attr_set | a->attr_clr) == 0)
    return 0;
  cleanup_close int mnt = safe_openat(dirfd, name, O_PATH | O_DIRECTORY, 0, err);
  if (mnt < 0)
    return -1;
  return mount_set_attr(mnt, false, a->attr_set, a->attr_clr,
                        "set mount attributes", err);
}

/* Bind the host's directory `src` onto destfd, which is `name` below
 * `dirfd`. */
static int bind_cgroup_dir(const char *src, int destfd, int dirfd,
                           const char *name, const struct mount_opts *mo,
                           bool recursive, husk_error **err) {
  struct mount_attr a;
  mount_flags_to_attr(mo->flags, &a);
  cleanup_close int tree =
      mount_api_missing()
          ? -1
          : husk_open_tree(AT_FDCWD, src,
                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                               (recursive ? AT_RECURSIVE : 0));
  if (tree < 0 && mount_api_fallback())
    return bind_cgroup_legacy(src, destfd, dirfd, name, &a, recursive, err);
  if (tree < 0)
    return husk_error_set(err, errno, "bind %s", src);
  if ((a.attr_set | a.attr_clr) != 0 &&
      mount_set_attr(tree, false, a.attr_set, a.attr_clr,
                     "set mount attributes", err) < 0)
    return -1;
  if (husk_move_mount_fd(tree, destfd) < 0)
    return husk_error_set(err, errno, "bind %s", src);
  return 0;
}

static int mount_v2(const struct rootfs_opts *o, const char *source, int rootfd,
                    const char *dest, int destfd, const struct mount_opts *mo,
                    husk_error **err) {
  char target[SAFE_FD_PATH_MAX];
  safe_fd_path(destfd, target);
  if (mount(source, target, "cgroup2", mo->flags, mo->data) == 0)
    return 0;
  int e = errno;
  /* A user namespace without its own cgroup namespace may not mount
   * cgroup2 (EPERM), nor may some nested setups (EBUSY): bind what the
   * mount would have shown, the whole tree (so that the paths in
   * /proc/self/cgroup stay valid below it) or, in a cgroup namespace,
   * the container's own cgroup. */
  if (e != EPERM && e != EBUSY)
    return husk_error_set(err, e, "mount cgroup2");
  if (!o->new_cgroupns)
    return bind_cgroup_dir(CGROUP_ROOT, destfd, rootfd, dest, mo, true, err);
  cleanup_own_cgroups struct own_cgroups own = {0};
  if (own_cgroups_read(&own, err) < 0)
    return -1;
  for (size_t i = 0; i < own.n; i++) {
    if (own.v[i].controllers[0] != '\0')
      continue;
    cleanup_free char *src = NULL;
    if (asprintf(&src, CGROUP_ROOT "%s", own.v[i].path) < 0)
      return husk_error_set(err, ENOMEM, "cgroup");
    return bind_cgroup_dir(src, destfd, rootfd, dest, mo, true, err);
  }
  return husk_error_set(err, e, "mount cgroup2");
}

/* --- cgroup v1 ------------------------------------------------------------ */

struct hierarchy {
  char *mount_point;       /* on the host */
  char *rel;               /* the container's cgroup, below the mount's root */
  const char *controllers; /* borrowed from own_cgroups */
};

struct collect {
  const struct own_cgroups *own;
  const char *rootfs;
  bool bind; /* else mounted anew: the container's path is not needed */
  struct hierarchy *v;
  size_t n;
};

static void collect_free(struct collect *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].mount_point);
    free(c->v[i].rel);
  }
  free(c->v);
}
#define cleanup_collect __attribute__((cleanup(collect_free)))

/* Whether every controller of `list` is among a mount's super options. */
static bool has_controllers(const char *super, const char *list) {
  cleanup_free char *copy = strdup(list);
  if (copy == NULL || copy[0] == '\0')
    return false;
  char *save = NULL;
  for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
    if (!mountinfo_has_option(super, t))
      return false;
  return true;
}

static bool under(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int collect_one(const struct mountinfo *mi, void *data,
                       husk_error **err) {
  struct collect *c = data;
  if (strcmp(mi->fstype, "cgroup") != 0 || under(mi->mount_point, c->rootfs))
    return 0;
  const struct own_cgroup *own = NULL;
  for (size_t i = 0; i < c->own->n && own == NULL; i++)
    if (has_controllers(mi->super_options, c->own->v[i].controllers))
      own = &c->own->v[i];
  if (own == NULL)
    return 0;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].controllers == own->controllers)
      return 0; /* the same hierarchy mounted twice */
  /* The mount shows the hierarchy from mi->root down.  (In a cgroup
   * namespace both are relative to its root, and mi->root may be "/..":
   * then nothing is bound, so it does not matter.) */
  const char *rel = own->path;
  if (c->bind && strcmp(mi->root, "/") != 0) {
    if (!under(own->path, mi->root))
      return 0;
    rel = own->path + strlen(mi->root);
  }
  struct hierarchy *v = reallocarray(c->v, c->n + 1, sizeof(*v));
  if (v == NULL)
    return husk_error_set(err, ENOMEM, "cgroup");
  c->v = v;
  v[c->n].mount_point = strdup(mi->mount_point);
  v[c->n].rel = strdup(rel);
  v[c->n].controllers = own->controllers;
  c->n++;
  if (v[c->n - 1].mount_point == NULL || v[c->n - 1].rel == NULL)
    return husk_error_set(err, ENOMEM, "cgroup");
  return 0;
}

/* An empty tmpfs (mode 755, nosuid nodev noexec, as runc's) attached onto
 * destfd, which is `dest` below `rootfd`; returns the attached mount's fd,
 * to fill it through. */
static int attach_tmpfs(int rootfd, const char *dest, int destfd,
                        husk_error **err) {
  cleanup_close int fs =
      mount_api_missing() ? -1 : husk_fsopen("tmpfs", FSOPEN_CLOEXEC);
  if (fs < 0 && mount_api_fallback()) {
    if (legacy_mount("tmpfs", destfd, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                     "mode=755", err) < 0)
      return -1;
    return safe_openat(rootfd, dest, O_PATH | O_DIRECTORY, 0, err);
  }
  if (fs < 0)
    return husk_error_set(err, errno, "fsopen tmpfs");
  if (husk_fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
      husk_fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) < 0 ||
      husk_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return husk_error_set(err, errno, "create tmpfs");
  cleanup_close int mnt =
      husk_fsmount(fs, FSMOUNT_CLOEXEC,
                   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  if (mnt < 0)
    return husk_error_set(err, errno, "fsmount tmpfs");
  if (husk_move_mount_fd(mnt, destfd) < 0)
    return husk_error_set(err, errno, "attach tmpfs");
  return steal_fd(&mnt);
}

/* Hierarchy `name` (its directory under /sys/fs/cgroup) in the tmpfs: the
 * host's directory `src` bound there, or, in a cgroup namespace (`src`
 * NULL), a new mount of `controllers`. */
static int mount_hierarchy(int tmpfs, const char *name, const char *controllers,
                           const char *src, const struct mount_opts *mo,
                           husk_error **err) {
  if (name[0] == '\0' || mkdirat(tmpfs, name, 0755) < 0)
    return husk_error_set(err, errno, "mkdir %s", name);
  cleanup_close int dir =
      openat(tmpfs, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0)
    return husk_error_set(err, errno, "open %s", name);
  if (src == NULL) {
    /* In its own cgroup namespace a new mount shows the container's
     * cgroup as the root. */
    char target[SAFE_FD_PATH_MAX];
    safe_fd_path(dir, target);
    /* The source shown in mountinfo: runc's, the name of a named
     * hierarchy ("systemd"), else "cgroup". */
    const char *source = strncmp(controllers, "name=", 5) == 0
                             ? controllers + 5
                             : "cgroup";
    if (mount(source, target, "cgroup", mo->flags, controllers) < 0)
      return husk_error_set(err, errno, "mount cgroup %s", controllers);
  } else if (bind_cgroup_dir(src, dir, tmpfs, name, mo, false, err) < 0) {
    return -1;
  }
  /* "cpu,cpuacct" is also reachable as "cpu" and "cpuacct". */
  if (strchr(name, ',') != NULL) {
    cleanup_free char *copy = strdup(name);
    char *save = NULL;
    if (copy == NULL)
      return husk_error_set(err, ENOMEM, "cgroup");
    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save))
      if (symlinkat(name, tmpfs, t) < 0 && errno != EEXIST)
        return husk_error_set(err, errno, "symlink %s", t);
  }
  return 0;
}

/* The hierarchies the host mounts, and the container's cgroup in each,
 * from /proc/self/cgroup and mountinfo: with a cgroup namespace (the init
 * is then in every cgroup of its own), or where the runtime made none. */
static int mount_v1_found(const struct rootfs_opts *o, int tmpfs,
                          const struct mount_opts *mo, husk_error **err) {
  cleanup_own_cgroups struct own_cgroups own = {0};
  if (own_cgroups_read(&own, err) < 0)
    return -1;
  cleanup_collect struct collect c = {
      .own = &own, .rootfs = o->rootfs, .bind = !o->new_cgroupns};
  if (mountinfo_each(collect_one, &c, err) < 0)
    return -1;
  for (size_t i = 0; i < c.n; i++) {
    const struct hierarchy *h = &c.v[i];
    const char *name = strrchr(h->mount_point, '/');
    name = name ? name + 1 : h->mount_point;
    cleanup_free char *src = NULL;
    if (!o->new_cgroupns && asprintf(&src, "%s%s", h->mount_point, h->rel) < 0)
      return husk_error_set(err, ENOMEM, "cgroup");
    if (mount_hierarchy(tmpfs, name, h->controllers, src, mo, err) < 0)
      return -1;
  }
  return 0;
}

static int mount_v1(const struct rootfs_opts *o, int rootfd, const char *dest,
                    int destfd, const struct mount_opts *mo,
                    husk_error **err) {
  cleanup_close int tmpfs = attach_tmpfs(rootfd, dest, destfd, err);
  if (tmpfs < 0)
    return -1;
  if (o->new_cgroupns || o->cgroup_v1 == NULL) {
    if (mount_v1_found(o, tmpfs, mo, err) < 0)
      return -1;
  } else {
    /* The directories the runtime made, by their host paths.  (The init
     * is not in its v1 memory cgroup yet: spawn.c.) */
    for (size_t i = 0; i < o->cgroup_v1_len; i++)
      if (mount_hierarchy(tmpfs, o->cgroup_v1[i].name, NULL,
                          o->cgroup_v1[i].dir, mo, err) < 0)
        return -1;
  }
  /* The tmpfs holding them too, once filled, as runc does. */
  if ((mo->flags & MS_RDONLY) &&
      mount_set_attr(tmpfs, false, MOUNT_ATTR_RDONLY, 0, "make read-only",
                     err) < 0)
    return -1;
  return 0;
}

/* Whether the entry says "rw" in so many words. */
static bool asks_rw(const struct oci_mount *m) {
  for (size_t i = 0; i < m->options_len; i++)
    if (strcmp(m->options[i], "rw") == 0)
      return true;
  return false;
}

int mount_cgroup(const struct rootfs_opts *o, int rootfd,
                 const struct oci_mount *m, const char *dest,
                 const struct mount_opts *mo, husk_error **err) {
  bool v2_only = strcmp(m->type, "cgroup2") == 0;
  const char *source = m->source ? m->source : m->type;
  /* Without a cgroup namespace the tree shown is the host's (cgroup2) or
   * the container's cgroup bound from it (v1), where a write moves or
   * limits host processes: read-only unless the config asks for "rw"
   * explicitly (CVE-2023-25809). */
  struct mount_opts opts = *mo;
  if (!o->new_cgroupns && !asks_rw(m))
    opts.flags |= MS_RDONLY;
  mo = &opts;
  cleanup_close int destfd = safe_mkpath(rootfd, dest, true, err);
  if (destfd < 0)
    return -1;
  struct statfs s;
  if (v2_only ||
      (statfs(CGROUP_ROOT, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC))
    return mount_v2(o, source, rootfd, dest, destfd, mo, err);
  return mount_v1(o, rootfd, dest, destfd, mo, err);
}
