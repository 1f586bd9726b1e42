/* pause and resume: freeze and thaw a container's cgroup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runc pauses a created container as well as a running one (its init then
 * waits frozen on exec.fifo), and resumes only a paused one.  The state is
 * the freezer's own: status_refresh() reads it back, nothing is stored.
 */
#include "config.h"

#include "container-ops.h"

#include "cgroup.h"
#include "container.h"

#include <string.h>

static bool is(const struct container_handle *c, const char *status) {
  return strcmp(c->state->status, status) == 0;
}

static int freeze(const char *root, const char *id, bool pause,
                  husk_error **err) {
  const char *verb = pause ? "pause" : "resume";
  struct container_handle c;
  int ret = -1;
  if (container_open(root, id, true, false, &c, err) < 0)
    goto out;
  struct cgroup_paths cg = cgroup_paths_of(c.state);
  if (cg.path == NULL && !is(&c, "stopped")) {
    husk_error_set(err, 0, "cannot %s container \"%s\": it has no cgroup "
                           "(rootless, none delegated)", verb, id);
    goto out;
  }
  /* A paused created container still reads "created" (exec.fifo is there),
   * so the freezer tells whether it is paused. */
  bool frozen = cg.path && cgroup_is_frozen(&cg);
  bool ok = pause ? (is(&c, "running") || (is(&c, "created") && !frozen))
                  : (is(&c, "paused") || (is(&c, "created") && frozen));
  if (!ok || cg.path == NULL) {
    husk_error_set(err, 0, "cannot %s container \"%s\": it is %s%s", verb, id,
                   frozen && is(&c, "created") ? "paused" : c.state->status,
                   pause ? "" : ", not paused");
    goto out;
  }
  if (cgroup_freeze(&cg, pause, err) < 0) {
    husk_error_prefix(err, "%s container \"%s\"", verb, id);
    goto out;
  }
  ret = 0;
out:
  container_close(&c);
  return ret;
}

int container_pause(const char *root, const char *id, husk_error **err) {
  return freeze(root, id, true, err);
}

int container_resume(const char *root, const char *id, husk_error **err) {
  return freeze(root, id, false, err);
}
