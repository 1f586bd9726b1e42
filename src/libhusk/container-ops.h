/* Operations on an existing container's cgroup: update, pause, resume, ps,
 * events.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Not in runtime.md: these are runc's commands, with runc's rules about
 * which container states allow them.  Each takes the container's lock
 * (container_open) for as long as it looks at or changes the state, and no
 * longer: `events` streams without holding it, so that `delete` is never
 * kept waiting.
 */
#ifndef HUSK_CONTAINER_OPS_H
#define HUSK_CONTAINER_OPS_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Apply `r` to a created, running or paused container's cgroup (only the
 * members `r` has), and record the new values in the container's stored
 * config so that later readers see what is in force. */
int container_update(const char *root, const char *id,
                     const struct oci_linux_resources *r, husk_error **err);

/* Freeze a created or running container's processes (runc allows both),
 * and thaw a paused one. */
int container_pause(const char *root, const char *id, husk_error **err);
int container_resume(const char *root, const char *id, husk_error **err);

/* The pids in the container's cgroup (none once it is gone); *pids is
 * malloc'ed. */
int container_ps(const char *root, const char *id, pid_t **pids, size_t *n,
                 husk_error **err);

/* Run the host's ps(1) with `args` (NULL-terminated; NULL or empty means
 * "-ef") and copy to `out` its header and the lines whose PID column holds
 * one of `pids`, as `runc ps` does. */
int ps_table(const pid_t *pids, size_t n, char *const *args, FILE *out,
             husk_error **err);

struct container_events_opts {
  bool stats_only;      /* one stats event, then return */
  uint64_t interval_ns; /* between stats events; > 0 */
  int out_fd;           /* where the JSON lines go */
};

/* runc's event stream: one JSON object per line, {"type":"stats",...}
 * every interval and {"type":"oom","id":ID} when the OOM killer acts in
 * the cgroup, until the container's init exits. */
int container_events(const char *root, const char *id,
                     const struct container_events_opts *o, husk_error **err);

#endif
