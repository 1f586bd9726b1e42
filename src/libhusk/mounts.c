/* One mounts[] entry onto the container's root, by fd.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "mounts.h"

#include "cleanup.h"
#include "copy-tree.h"
#include "idmap.h"
#include "mount-api.h"
#include "mount-cgroup.h"
#include "mount-legacy.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* --- helpers shared with the other rootfs steps ------------------------- */

int mount_bind_fd(int src, int dst, bool recursive, husk_error **err) {
  cleanup_close int tree =
      mount_api_missing()
          ? -1
          : husk_open_tree(src, "",
                           AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                               (recursive ? AT_RECURSIVE : 0));
  if (tree < 0 && mount_api_fallback())
    return legacy_bind(src, dst, recursive, err);
  if (tree < 0)
    return husk_error_set(err, errno, "clone mount");
  if (husk_move_mount_fd(tree, dst) < 0)
    return husk_error_set(err, errno, "move_mount");
  return 0;
}

/* mount_setattr(2) on fd: 0 when done, 1 when the kernel has no such call
 * (then mount(2) must do it), -1 with errno on any other failure. */
static int set_attr_new(int fd, bool recursive, struct mount_attr *a) {
  if (mount_api_missing())
    return 1;
  if (husk_mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
                         a) == 0)
    return 0;
  return mount_api_fallback() ? 1 : -1;
}

int mount_set_attr(int fd, bool recursive, uint64_t set, uint64_t clr,
                   const char *what, husk_error **err) {
  struct mount_attr a = {.attr_set = set, .attr_clr = clr};
  int r = set_attr_new(fd, recursive, &a);
  if (r <= 0)
    return r == 0 ? 0 : husk_error_set(err, errno, "%s", what);
  if (legacy_set_attr(fd, recursive, set, clr, err) < 0)
    return husk_error_prefix(err, "%s", what);
  return 0;
}

int mount_set_propagation(int fd, bool recursive, uint64_t type,
                          husk_error **err) {
  struct mount_attr a = {.propagation = type};
  int r = set_attr_new(fd, recursive, &a);
  if (r <= 0)
    return r == 0 ? 0 : husk_error_set(err, errno, "set propagation");
  return legacy_set_propagation(fd, recursive, type, err);
}

bool mount_dest_is_protected(const char *dest, const char *type) {
  return strcmp(dest, "/proc") == 0 || strcmp(dest, "/sys") == 0 ||
         (type != NULL &&
          (strcmp(type, "proc") == 0 || strcmp(type, "sysfs") == 0));
}

/* --- /proc ---------------------------------------------------------------- */

/* Files below /proc that may be mounted over, as runc allows: what lxcfs
 * and similar tools provide.  Anything else below /proc could hide or
 * redirect what the kernel's protections rely on. */
static const char *const proc_overmountable[] = {
    "/proc/cpuinfo", "/proc/diskstats",
    "/proc/meminfo", "/proc/stat",
    "/proc/swaps",   "/proc/uptime",
    "/proc/loadavg", "/proc/slabinfo",
    "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
};

static bool proc_overmountable_path(const char *dest) {
  for (size_t i = 0;
       i < sizeof(proc_overmountable) / sizeof(proc_overmountable[0]); i++)
    if (strcmp(dest, proc_overmountable[i]) == 0)
      return true;
  return false;
}

static bool is_procfs(int fd) {
  struct statfs s;
  return fstatfs(fd, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

/* What the config asks, before anything is resolved: /proc takes only a
 * procfs, below it only the allowed files. */
static int check_proc_dest(const char *dest, const struct oci_mount *m,
                           const struct mount_opts *mo, int src,
                           husk_error **err) {
  if (strcmp(dest, "/proc") == 0) {
    bool ok = mo->bind ? (src >= 0 && is_procfs(src))
                       : (m->type != NULL && strcmp(m->type, "proc") == 0);
    if (!ok)
      return husk_error_set(err, 0, "/proc takes only a proc filesystem");
    return 0;
  }
  if (strncmp(dest, "/proc/", 6) == 0 && !proc_overmountable_path(dest))
    return husk_error_set(err, 0, "mounting inside /proc is refused");
  return 0;
}

/* What the rootfs made of it: a destination that resolved into a procfs
 * through symlinks gets the same rule. */
static int check_resolved_dest(const char *dest, int destfd, husk_error **err) {
  if (strcmp(dest, "/proc") != 0 && !proc_overmountable_path(dest) &&
      is_procfs(destfd))
    return husk_error_set(err, 0, "destination resolves into /proc");
  return 0;
}

static bool same_file(int a, int b) {
  struct stat sa, sb;
  return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

static int open_dest(int rootfd, const char *dest, const char *type,
                     bool is_dir, husk_error **err) {
  cleanup_close int fd = mount_dest_is_protected(dest, type)
                             ? safe_mkpath_nofollow(rootfd, dest, is_dir, err)
                             : safe_mkpath(rootfd, dest, is_dir, err);
  if (fd < 0)
    return -1;
  /* A symlink to "/" would stack the mount over the root itself. */
  if (is_dir && same_file(fd, rootfd))
    return husk_error_set(err, 0, "destination resolves to the root");
  return steal_fd(&fd);
}

/* --- bind mounts ------------------------------------------------------- */

static int apply_idmap(const struct rootfs_opts *o, const struct oci_mount *m,
                       const struct mount_opts *mo, int tree,
                       husk_error **err) {
  /* config.md: without mappings of its own, an idmapped mount takes the
   * container's. */
  const struct oci_linux *l = o->spec->linux;
  const struct oci_linux_id_mapping *u = m->uid_mappings, *g = m->gid_mappings;
  size_t nu = m->uid_mappings_len, ng = m->gid_mappings_len;
  if (nu == 0 && ng == 0 && l != NULL) {
    u = l->uid_mappings;
    nu = l->uid_mappings_len;
    g = l->gid_mappings;
    ng = l->gid_mappings_len;
  }
  cleanup_close int userns = idmap_userns_open(u, nu, g, ng, err);
  if (userns < 0)
    return -1;
  struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP,
                         .userns_fd = (uint64_t)userns};
  if (husk_mount_setattr(
          tree, "", AT_EMPTY_PATH | (mo->recursive_idmap ? AT_RECURSIVE : 0),
          &a) < 0)
    return husk_error_set(err, errno, "idmap");
  return 0;
}

static int apply_propagation(int fd, const struct mount_opts *mo,
                             husk_error **err) {
  for (size_t i = 0; i < mo->propagation_len; i++)
    if (mount_set_propagation(fd, mo->propagation[i].recursive,
                              mo->propagation[i].type, err) < 0)
      return -1;
  return 0;
}

static int apply_rattr(int fd, const struct mount_opts *mo, husk_error **err) {
  if ((mo->rattr_set | mo->rattr_clr) == 0)
    return 0;
  return mount_set_attr(fd, true, mo->rattr_set, mo->rattr_clr,
                        "set recursive mount attributes", err);
}

/* A mount's own attributes (`set`: mo's, less what keep_rw keeps), then
 * the recursive ones. */
static int apply_attrs(int fd, const struct mount_opts *mo, uint64_t set,
                       husk_error **err) {
  if ((set | mo->attr_clr) != 0 &&
      mount_set_attr(fd, false, set, mo->attr_clr, "set mount attributes",
                     err) < 0)
    return -1;
  return apply_rattr(fd, mo, err);
}

/* The detached copy of a bind mount's source.  The source is the host's
 * (the config is trusted, the rootfs is not); a relative one is taken from
 * the bundle, the runtime's cwd. */
static int clone_source(const char *source, const struct mount_opts *mo) {
  return husk_open_tree(AT_FDCWD, source,
                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                            (mo->recursive_bind ? AT_RECURSIVE : 0));
}

/* A bind without the new mount API: attached first, then given its
 * attributes through the new mount, reached by resolving the destination
 * again inside the root. */
static int mount_bind_legacy(int rootfd, const struct oci_mount *m,
                             const char *source, const char *dest,
                             const struct mount_opts *mo, bool keep_rw,
                             husk_error **err) {
  if (mo->idmap)
    return husk_error_set(err, ENOSYS,
                          "idmap needs open_tree and mount_setattr");
  cleanup_close int src = open(source, O_PATH | O_CLOEXEC);
  struct stat st;
  if (src < 0 || fstat(src, &st) < 0)
    return husk_error_set(err, errno, "bind %s", source);
  if (check_proc_dest(dest, m, mo, src, err) < 0)
    return -1;
  bool is_dir = S_ISDIR(st.st_mode);
  cleanup_close int destfd = open_dest(rootfd, dest, m->type, is_dir, err);
  if (destfd < 0 || check_resolved_dest(dest, destfd, err) < 0)
    return -1;
  if (legacy_bind(src, destfd, mo->recursive_bind, err) < 0)
    return husk_error_prefix(err, "bind %s", source);
  uint64_t set = mo->attr_set;
  if (keep_rw)
    set &= ~(uint64_t)MOUNT_ATTR_RDONLY;
  if ((set | mo->attr_clr | mo->rattr_set | mo->rattr_clr) == 0 &&
      mo->propagation_len == 0)
    return 0;
  cleanup_close int mnt = open_dest(rootfd, dest, m->type, is_dir, err);
  if (mnt < 0)
    return -1;
  if (apply_attrs(mnt, mo, set, err) < 0)
    return -1;
  return apply_propagation(mnt, mo, err);
}

static int mount_bind(const struct rootfs_opts *o, int rootfd,
                      const struct oci_mount *m, const char *source,
                      const char *dest, const struct mount_opts *mo,
                      bool keep_rw, int premade, husk_error **err) {
  if (source == NULL || source[0] == '\0')
    return husk_error_set(err, 0, "a bind mount needs a source");
  /* An idmapped tree comes ready from the runtime: the kernel refuses to
   * idmap a host filesystem from inside the container's user namespace. */
  if (premade < 0 && mount_api_missing())
    return mount_bind_legacy(rootfd, m, source, dest, mo, keep_rw, err);
  cleanup_close int tree = premade >= 0
                               ? fcntl(premade, F_DUPFD_CLOEXEC, 3)
                               : clone_source(source, mo);
  if (tree < 0 && premade < 0 && mount_api_fallback())
    return mount_bind_legacy(rootfd, m, source, dest, mo, keep_rw, err);
  if (tree < 0)
    return husk_error_set(err, errno, "bind %s", source);
  struct stat st;
  if (fstat(tree, &st) < 0)
    return husk_error_set(err, errno, "bind %s", source);
  if (check_proc_dest(dest, m, mo, tree, err) < 0)
    return -1;
  cleanup_close int destfd =
      open_dest(rootfd, dest, m->type, S_ISDIR(st.st_mode), err);
  if (destfd < 0 || check_resolved_dest(dest, destfd, err) < 0)
    return -1;

  if (mo->idmap && premade < 0 && apply_idmap(o, m, mo, tree, err) < 0)
    return -1;
  uint64_t set = mo->attr_set;
  if (keep_rw)
    set &= ~(uint64_t)MOUNT_ATTR_RDONLY;
  if (apply_attrs(tree, mo, set, err) < 0)
    return -1;
  if (husk_move_mount_fd(tree, destfd) < 0)
    return husk_error_set(err, errno, "bind %s", source);
  /* After move_mount the tree fd is the attached mount itself. */
  return apply_propagation(tree, mo, err);
}

/* --- new filesystems ---------------------------------------------------- */

static int mount_new_fs(int rootfd, const struct oci_mount *m, const char *dest,
                        const struct mount_opts *mo, bool keep_rw,
                        husk_error **err) {
  if (m->type == NULL || m->type[0] == '\0')
    return husk_error_set(err, 0, "no type, and not a bind mount");
  if (mo->idmap)
    return husk_error_set(err, 0, "idmap is supported on bind mounts only");
  if (check_proc_dest(dest, m, mo, -1, err) < 0)
    return -1;
  cleanup_close int destfd = open_dest(rootfd, dest, m->type, true, err);
  if (destfd < 0 || check_resolved_dest(dest, destfd, err) < 0)
    return -1;
  unsigned long flags = mo->flags;
  if (keep_rw)
    flags &= ~(unsigned long)MS_RDONLY;
  char target[SAFE_FD_PATH_MAX];
  safe_fd_path(destfd, target);
  if (mo->tmpcopyup && strcmp(m->type, "tmpfs") != 0)
    return husk_error_set(err, 0, "tmpcopyup needs a tmpfs");
  /* What the directory holds, to copy into the tmpfs over it. */
  cleanup_close int under =
      mo->tmpcopyup ? openat(destfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    : -1;
  if (mo->tmpcopyup && under < 0)
    return husk_error_set(err, errno, "tmpcopyup: open");
  const char *source = m->source ? m->source : m->type;
  /* Read-only comes after the copy. */
  unsigned long first = mo->tmpcopyup ? flags & ~(unsigned long)MS_RDONLY : flags;
  if (mount(source, target, m->type, first, mo->data) < 0)
    return husk_error_set(err, errno, "mount %s", m->type);
  if (mo->tmpcopyup) {
    cleanup_close int top = open_dest(rootfd, dest, m->type, true, err);
    cleanup_close int dir =
        top < 0 ? -1 : openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top >= 0 && dir < 0)
      husk_error_set(err, errno, "open the new tmpfs");
    if (dir < 0 || copy_tree(under, dir, err) < 0)
      return husk_error_prefix(err, "tmpcopyup");
    if (flags & MS_RDONLY) {
      safe_fd_path(top, target);
      if (mount(NULL, target, NULL, MS_REMOUNT | flags, mo->data) < 0)
        return husk_error_set(err, errno, "remount %s read-only", m->type);
    }
  }

  if ((mo->rattr_set | mo->rattr_clr) == 0 && mo->propagation_len == 0)
    return 0;
  /* destfd is the directory under the new mount; mount_setattr wants the
   * mount's root, which only a new lookup reaches (and it refuses
   * anything that is not a mount root). */
  cleanup_close int mnt = open_dest(rootfd, dest, m->type, true, err);
  if (mnt < 0 || apply_rattr(mnt, mo, err) < 0)
    return -1;
  return apply_propagation(mnt, mo, err);
}

/* --- one entry ------------------------------------------------------------ */

static bool is_type(const struct oci_mount *m, const char *type) {
  return m->type != NULL && strcmp(m->type, type) == 0;
}

static int apply(const struct rootfs_opts *o, int rootfd,
                 const struct oci_mount *m, const char *dest,
                 struct mount_opts *mo, bool keep_rw, int premade,
                 husk_error **err) {
  if (strcmp(dest, "/") == 0)
    return husk_error_set(err, 0, "mounting over the root is refused");
  if (mo->bind)
    return mount_bind(o, rootfd, m, m->source, dest, mo, keep_rw, premade,
                      err);
  if (is_type(m, "cgroup") || is_type(m, "cgroup2"))
    return mount_cgroup(o, rootfd, m, dest, mo, err);
  if (is_type(m, "sysfs") && o->new_userns && !o->new_netns) {
    /* sysfs shows network devices of the mounter's network namespace, so
     * the kernel refuses it to a user namespace that does not own one;
     * the host's /sys is bound instead, as runc does. */
    mo->bind = mo->recursive_bind = true;
    return mount_bind(o, rootfd, m, "/sys", dest, mo, keep_rw, -1, err);
  }
  return mount_new_fs(rootfd, m, dest, mo, keep_rw, err);
}

int mounts_apply_one(const struct rootfs_opts *o, int rootfd, size_t idx,
                     bool keep_rw, husk_error **err) {
  const struct oci_mount *m = &o->spec->mounts[idx];
  const char *shown = m->destination ? m->destination : "";
  cleanup_free char *dest = safe_path_clean(shown);
  if (dest == NULL)
    return husk_error_set(err, ENOMEM, "mounts[%zu] (%s)", idx, shown);
  struct mount_opts mo;
  int r = mount_opts_parse(m, &mo, err);
  if (r == 0 && o->spec->linux &&
      mount_opts_add_label(&mo, m->type, o->spec->linux->mount_label,
                           err) < 0) {
    mount_opts_free(&mo);
    r = -1;
  }
  if (r == 0) {
    int premade = o->idmapped_trees ? o->idmapped_trees[idx] : -1;
    r = apply(o, rootfd, m, dest, &mo, keep_rw, premade, err);
    mount_opts_free(&mo);
  }
  if (r < 0)
    return husk_error_prefix(err, "mounts[%zu] (%s)", idx, shown);
  return 0;
}

int mounts_prepare_idmapped(const struct rootfs_opts *o, int **trees,
                            husk_error **err) {
  const struct oci_spec *s = o->spec;
  int *t = NULL;
  *trees = NULL;
  for (size_t i = 0; i < s->mounts_len; i++) {
    const struct oci_mount *m = &s->mounts[i];
    struct mount_opts mo;
    if (mount_opts_parse(m, &mo, err) < 0)
      goto fail_at;
    int fd = -1;
    if (mo.idmap && mo.bind && m->source) {
      fd = clone_source(m->source, &mo);
      if (fd < 0 && errno == ENOSYS)
        husk_error_set(err, errno, "idmap needs open_tree and mount_setattr");
      else if (fd < 0)
        husk_error_set(err, errno, "bind %s", m->source);
      else if (apply_idmap(o, m, &mo, fd, err) < 0) {
        close(fd);
        fd = -1;
      }
    }
    mount_opts_free(&mo);
    if (mo.idmap && mo.bind && fd < 0)
      goto fail_at;
    if (fd >= 0 && t == NULL) {
      t = malloc(s->mounts_len * sizeof(int));
      if (t == NULL) {
        close(fd);
        husk_error_set(err, ENOMEM, "idmapped mounts");
        goto fail_at;
      }
      for (size_t k = 0; k < s->mounts_len; k++)
        t[k] = -1;
    }
    if (fd >= 0)
      t[i] = fd;
    continue;
  fail_at:
    mounts_free_idmapped(t, s->mounts_len);
    return husk_error_prefix(err, "mounts[%zu] (%s)", i,
                             m->destination ? m->destination : "");
  }
  *trees = t;
  return 0;
}

void mounts_free_idmapped(int *trees, size_t n) {
  if (trees == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    if (trees[i] >= 0)
      close(trees[i]);
  free(trees);
}
