/* A mounts[] entry's "options", sorted into what each kernel call takes.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * config.md leaves option names to the platform; husk takes mount(8)'s
 * (as runc does) plus the recursive "r*" attributes of mount_setattr(2),
 * the propagation types and "idmap"/"ridmap".  Anything else ("mode=755",
 * "newinstance", ...) is filesystem data, passed on as it is.
 */
#ifndef HUSK_MOUNT_OPTIONS_H
#define HUSK_MOUNT_OPTIONS_H

#include "error.h"
#include "mount-api.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <stdint.h>

/* More changes of propagation than anyone writes in one entry. */
#define MOUNT_OPTS_MAX_PROPAGATION 8

struct mount_propagation {
  uint64_t type;  /* MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE */
  bool recursive; /* the "r" variant */
};

struct mount_opts {
  unsigned long flags; /* MS_* for mount(2) of a new filesystem */
  /* The same per-mount flags as mount_setattr(2) attributes, for bind
   * mounts: set and clear only what the options name, keeping the rest of
   * what the source mount has (and the flags a user namespace locks). */
  uint64_t attr_set, attr_clr;
  uint64_t rattr_set, rattr_clr; /* "rro", "rnosuid" ...: AT_RECURSIVE */
  struct mount_propagation propagation[MOUNT_OPTS_MAX_PROPAGATION];
  size_t propagation_len; /* applied in order, after the mount */
  bool bind;              /* "bind", "rbind" or type "bind" */
  bool recursive_bind;    /* "rbind" */
  bool idmap;             /* "idmap" or "ridmap" */
  bool recursive_idmap;   /* "ridmap" */
  bool tmpcopyup;         /* tmpfs starts with what the directory held
                             (runc's and crun's extension; podman uses it) */
  char *data;             /* the other options, comma-joined, or NULL */
};

int mount_opts_parse(const struct oci_mount *m, struct mount_opts *o,
                     husk_error **err);
void mount_opts_free(struct mount_opts *o);

/* linux.mountLabel: add context="LABEL" to the data of a new filesystem of
 * `type` that runc labels (not proc, sysfs, mqueue, cgroup nor a bind); a
 * NULL or empty label adds nothing. */
int mount_opts_add_label(struct mount_opts *o, const char *type,
                         const char *label, husk_error **err);

/* The mount_setattr(2) equivalent of the per-mount MS_* in `flags` (ro,
 * nosuid, nodev, noexec, atime, nosymfollow), for a bind that should look
 * like a new mount with those flags. */
void mount_flags_to_attr(unsigned long flags, struct mount_attr *a);

#endif
