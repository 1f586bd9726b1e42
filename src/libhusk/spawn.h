/* Spawning the container's init: clone3() straight from the runtime, and
 * the runtime's half of the sync protocol up to "created".
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_SPAWN_H
#define HUSK_SPAWN_H

#include "cgroup.h"
#include "init.h"

#include <ocispec/state.h>
#include <stdint.h>

struct spawn_result {
  pid_t pid;           /* the init, in the runtime's pid namespace */
  int pidfd;           /* pins it */
  uint64_t start_time; /* /proc/PID/stat field 22 */
  int sync_fd;         /* `run` (start_by_sync): our end, for SYNC_START */
  bool started;        /* one step: it has exec'd the process already */
};

/* Clone the init described by `c` (sync_fd is made here), put it in
 * `cgroup_path`, write its id maps, run prestart and createRuntime hooks
 * when it asks, and return once it says it is created.  `state` is the
 * container's state with everything but the pid; hooks get it as JSON.  On
 * failure the init is killed and reaped; the caller undoes the rest. */
int spawn_init(struct init_config *c, const struct cgroup_paths *cg,
               struct oci_state *state, struct spawn_result *r,
               husk_error **err);

#endif
