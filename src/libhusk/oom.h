/* Noticing the OOM killer at work in a container's cgroup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * v1 has a notification API (memory.oom_control registered through
 * cgroup.event_control with an eventfd, memory.rst "OOM Control"); v2 has a
 * counter, memory.events "oom_kill", whose changes raise a file-modified
 * event (cgroup-v2.rst), which inotify delivers.
 */
#ifndef HUSK_OOM_H
#define HUSK_OOM_H

#include "cgroup.h"
#include "error.h"

#include <stdbool.h>
#include <stdint.h>

struct oom_watch {
  int fd;     /* readable when something happened; -1: nothing to watch */
  int dirfd;  /* the cgroup's directory in the memory hierarchy */
  int ctlfd;  /* v1: memory.oom_control, registered with the eventfd */
  bool v2;
  uint64_t kills; /* v2: the oom_kill count last seen */
};

/* Start watching the cgroup `cg`.  Without a memory controller there is
 * nothing to watch: w->fd is then -1 and this succeeds. */
int oom_watch_open(const struct cgroup_paths *cg, struct oom_watch *w,
                   husk_error **err);

/* Once w->fd polls readable, or for a last look before giving up: 1 if the
 * OOM killer acted since the last call, else 0.  A cgroup that went away
 * ends the watch (w->fd becomes -1). */
int oom_watch_check(struct oom_watch *w);

void oom_watch_close(struct oom_watch *w);

#endif
