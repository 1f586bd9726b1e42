/* A mounts[] entry's "options", sorted into what each kernel call takes.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "mount-options.h"

#include "mount-api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

/* A mount(8) option: the MS_* bit it sets, or clears with `clear`, and the
 * matching mount_setattr attribute for bind mounts (0: none, the flag is
 * the superblock's, which a bind cannot change). */
struct flag_opt {
  const char *name;
  bool clear;
  unsigned long ms;
  uint64_t attr;
};

/* Atime modes are one field of three values in mount_setattr. */
#define ATIME_MODE(a) ((a) | ((uint64_t)1 << 63))

/* Sorted by name (strcmp order), for bsearch: every mount of every
 * container is parsed, twice (runtime and init). */
static const struct flag_opt flag_opts[] = {
    {"acl", false, MS_POSIXACL, 0},
    {"async", true, MS_SYNCHRONOUS, 0},
    {"atime", true, MS_NOATIME, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"defaults", false, 0, 0},
    {"dev", true, MS_NODEV, MOUNT_ATTR_NODEV},
    {"diratime", true, MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC, 0},
    {"exec", true, MS_NOEXEC, MOUNT_ATTR_NOEXEC},
    {"iversion", false, MS_I_VERSION, 0},
    {"lazytime", false, MS_LAZYTIME, 0},
    {"loud", true, MS_SILENT, 0},
    {"mand", false, MS_MANDLOCK, 0},
    {"noacl", true, MS_POSIXACL, 0},
    {"noatime", false, MS_NOATIME, ATIME_MODE(MOUNT_ATTR_NOATIME)},
    {"nodev", false, MS_NODEV, MOUNT_ATTR_NODEV},
    {"nodiratime", false, MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
    {"noexec", false, MS_NOEXEC, MOUNT_ATTR_NOEXEC},
    {"noiversion", true, MS_I_VERSION, 0},
    {"nolazytime", true, MS_LAZYTIME, 0},
    {"nomand", true, MS_MANDLOCK, 0},
    {"norelatime", true, MS_RELATIME, 0},
    {"nostrictatime", true, MS_STRICTATIME, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"nosuid", false, MS_NOSUID, MOUNT_ATTR_NOSUID},
    {"nosymfollow", false, MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    {"relatime", false, MS_RELATIME, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"remount", false, 0, 0}, /* meaningless for a mount being created */
    {"ro", false, MS_RDONLY, MOUNT_ATTR_RDONLY},
    {"rw", true, MS_RDONLY, MOUNT_ATTR_RDONLY},
    {"silent", false, MS_SILENT, 0},
    {"strictatime", false, MS_STRICTATIME, ATIME_MODE(MOUNT_ATTR_STRICTATIME)},
    {"suid", true, MS_NOSUID, MOUNT_ATTR_NOSUID},
    {"symfollow", true, MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    {"sync", false, MS_SYNCHRONOUS, 0},
};

/* The recursive attributes (mount_setattr with AT_RECURSIVE), sorted by
 * name too. */
struct rattr_opt {
  const char *name;
  bool clear;
  uint64_t attr;
};

static const struct rattr_opt rattr_opts[] = {
    {"ratime", false, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnoatime", false, ATIME_MODE(MOUNT_ATTR_NOATIME)},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    /* "not relatime" and not noatime leaves strictatime */
    {"rnorelatime", false, ATIME_MODE(MOUNT_ATTR_STRICTATIME)},
    {"rnostrictatime", false, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rrelatime", false, ATIME_MODE(MOUNT_ATTR_RELATIME)},
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rstrictatime", false, ATIME_MODE(MOUNT_ATTR_STRICTATIME)},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

static const struct {
  const char *name;
  uint64_t type;
  bool recursive;
} propagation_opts[] = {
    {"private", MS_PRIVATE, false},       {"rprivate", MS_PRIVATE, true},
    {"shared", MS_SHARED, false},         {"rshared", MS_SHARED, true},
    {"slave", MS_SLAVE, false},           {"rslave", MS_SLAVE, true},
    {"unbindable", MS_UNBINDABLE, false}, {"runbindable", MS_UNBINDABLE, true},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Record attribute `a` (maybe an ATIME_MODE) as set or cleared. */
static void add_attr(uint64_t *set, uint64_t *clr, uint64_t a, bool clear) {
  if (a & ATIME_MODE(0)) {
    /* mount_setattr takes an atime mode as "clear the whole field, set
     * one value"; the last one named wins. */
    *set = (*set & ~(uint64_t)MOUNT_ATTR__ATIME) | (a & MOUNT_ATTR__ATIME);
    *clr |= MOUNT_ATTR__ATIME;
    return;
  }
  if (clear) {
    *set &= ~a;
    *clr |= a;
  } else {
    *set |= a;
    *clr &= ~a;
  }
}

/* bsearch's comparison for a table whose entries start with their name. */
static int by_name(const void *key, const void *entry) {
  return strcmp(key, *(const char *const *)entry);
}

static bool parse_flag(const char *s, struct mount_opts *o) {
  const struct flag_opt *f =
      bsearch(s, flag_opts, COUNT(flag_opts), sizeof(flag_opts[0]), by_name);
  if (f == NULL)
    return false;
  if (f->clear)
    o->flags &= ~f->ms;
  else
    o->flags |= f->ms;
  /* relatime, noatime and strictatime exclude each other in mount(2) */
  if (!f->clear && (f->ms & (MS_RELATIME | MS_NOATIME | MS_STRICTATIME)))
    o->flags = (o->flags & ~(MS_RELATIME | MS_NOATIME | MS_STRICTATIME)) | f->ms;
  if (f->attr != 0)
    add_attr(&o->attr_set, &o->attr_clr, f->attr, f->clear);
  return true;
}

static bool parse_rattr(const char *s, struct mount_opts *o) {
  const struct rattr_opt *r =
      bsearch(s, rattr_opts, COUNT(rattr_opts), sizeof(rattr_opts[0]), by_name);
  if (r == NULL)
    return false;
  add_attr(&o->rattr_set, &o->rattr_clr, r->attr, r->clear);
  return true;
}

static int parse_propagation(const char *s, struct mount_opts *o,
                             husk_error **err) {
  for (size_t i = 0; i < COUNT(propagation_opts); i++) {
    if (strcmp(s, propagation_opts[i].name) != 0)
      continue;
    if (o->propagation_len == MOUNT_OPTS_MAX_PROPAGATION)
      return husk_error_set(err, 0, "too many propagation options");
    o->propagation[o->propagation_len].type = propagation_opts[i].type;
    o->propagation[o->propagation_len].recursive =
        propagation_opts[i].recursive;
    o->propagation_len++;
    return 1;
  }
  return 0;
}

static bool parse_bind(const char *s, struct mount_opts *o) {
  if (strcmp(s, "bind") == 0) {
    o->bind = true;
  } else if (strcmp(s, "rbind") == 0) {
    o->bind = o->recursive_bind = true;
  } else if (strcmp(s, "idmap") == 0) {
    o->idmap = true;
  } else if (strcmp(s, "ridmap") == 0) {
    o->idmap = o->recursive_idmap = true;
  } else if (strcmp(s, "tmpcopyup") == 0) {
    o->tmpcopyup = true;
  } else {
    return false;
  }
  return true;
}

static int add_data(struct mount_opts *o, const char *s, husk_error **err) {
  size_t old = o->data ? strlen(o->data) : 0;
  char *d = realloc(o->data, old + strlen(s) + 2);
  if (d == NULL)
    return husk_error_set(err, ENOMEM, "mount options");
  if (old > 0)
    d[old++] = ',';
  strcpy(d + old, s);
  o->data = d;
  return 0;
}

int mount_opts_parse(const struct oci_mount *m, struct mount_opts *o,
                     husk_error **err) {
  memset(o, 0, sizeof(*o));
  if (m->type != NULL && strcmp(m->type, "bind") == 0)
    o->bind = true;
  for (size_t i = 0; i < m->options_len; i++) {
    const char *s = m->options[i];
    int r;
    if (parse_bind(s, o) || parse_flag(s, o) || parse_rattr(s, o))
      continue;
    r = parse_propagation(s, o, err);
    if (r == 0)
      r = add_data(o, s, err);
    if (r < 0) {
      mount_opts_free(o);
      return -1;
    }
  }
  return 0;
}

/* runc's choice: proc and sysfs are never labelled (their files carry the
 * kernel's own labels), cgroup filesystems neither, and mqueue does not
 * take the option; binds show their source's labels. */
static bool takes_label(const struct mount_opts *o, const char *type) {
  static const char *const unlabelled[] = {"proc", "sysfs", "mqueue", "cgroup",
                                           "cgroup2"};
  if (o->bind || type == NULL)
    return false;
  for (size_t i = 0; i < sizeof(unlabelled) / sizeof(unlabelled[0]); i++)
    if (strcmp(type, unlabelled[i]) == 0)
      return false;
  return true;
}

int mount_opts_add_label(struct mount_opts *o, const char *type,
                         const char *label, husk_error **err) {
  if (label == NULL || label[0] == '\0' || !takes_label(o, type))
    return 0;
  /* Quoted, as a label has commas ("s0:c1,c2"); a quote cannot be. */
  if (strchr(label, '"') != NULL)
    return husk_error_set(err, 0, "linux.mountLabel: a label cannot hold '\"'");
  size_t n = strlen(label) + sizeof("context=\"\"");
  char *opt = malloc(n);
  if (opt == NULL)
    return husk_error_set(err, ENOMEM, "mount options");
  snprintf(opt, n, "context=\"%s\"", label);
  int r = add_data(o, opt, err);
  free(opt);
  return r;
}

void mount_opts_free(struct mount_opts *o) {
  free(o->data);
  o->data = NULL;
}

void mount_flags_to_attr(unsigned long flags, struct mount_attr *a) {
  memset(a, 0, sizeof(*a));
  if (flags & MS_RDONLY)
    a->attr_set |= MOUNT_ATTR_RDONLY;
  if (flags & MS_NOSUID)
    a->attr_set |= MOUNT_ATTR_NOSUID;
  if (flags & MS_NODEV)
    a->attr_set |= MOUNT_ATTR_NODEV;
  if (flags & MS_NOEXEC)
    a->attr_set |= MOUNT_ATTR_NOEXEC;
  if (flags & MS_NODIRATIME)
    a->attr_set |= MOUNT_ATTR_NODIRATIME;
  if (flags & MS_NOSYMFOLLOW)
    a->attr_set |= MOUNT_ATTR_NOSYMFOLLOW;
  if (flags & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
    a->attr_clr |= MOUNT_ATTR__ATIME;
    if (flags & MS_NOATIME)
      a->attr_set |= MOUNT_ATTR_NOATIME;
    else if (flags & MS_STRICTATIME)
      a->attr_set |= MOUNT_ATTR_STRICTATIME;
  }
}
