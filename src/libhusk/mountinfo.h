/* /proc/self/mountinfo, one entry at a time (proc_pid_mountinfo(5)).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only for the uncommon paths (cgroup v1 hierarchies, a shared rootfs
 * parent): a plain container never reads it.
 */
#ifndef HUSK_MOUNTINFO_H
#define HUSK_MOUNTINFO_H

#include "error.h"

#include <stdbool.h>
#include <stdint.h>

struct mountinfo {
  int id, parent_id;
  const char *root;        /* unescaped */
  const char *mount_point; /* unescaped */
  const char *options;     /* per-mount options */
  const char *optional;    /* "shared:N master:M", space-separated */
  const char *fstype;
  const char *source; /* unescaped */
  const char *super_options;
};

/* Call `fn` for each entry until it returns non-zero (which is returned:
 * > 0 to stop early, < 0 for an error it set). */
int mountinfo_each(int (*fn)(const struct mountinfo *mi, void *data,
                             husk_error **err),
                   void *data, husk_error **err);

/* The mount id of the mount `fd` is on (statx), matching mountinfo's
 * first field; -1 with errno ENOSYS where the kernel does not tell. */
int mountinfo_mnt_id(int fd, uint64_t *id);

/* Whether the comma-separated `list` holds `item`. */
bool mountinfo_has_option(const char *list, const char *item);

#endif
