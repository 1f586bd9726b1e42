/* Rootless containers: what an unprivileged runtime can and cannot do.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A runtime whose effective uid is not 0 has no capability in the host's
 * namespaces.  Its container needs a user namespace; that namespace can map
 * the user's own uid and gid (written by the runtime itself), and the
 * ranges /etc/subuid and /etc/subgid grant (written by the setuid helpers
 * newuidmap and newgidmap).  Its cgroup exists only where one was
 * delegated to the user.  What such a container cannot have is refused
 * before anything exists, naming the JSON path.
 */
#ifndef HUSK_ROOTLESS_H
#define HUSK_ROOTLESS_H

#include "cgroup.h"
#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <sys/types.h>

/* Refuse what a rootless container cannot have, before anything exists:
 * no user namespace, host ids the user was not granted, mount uid=/gid=
 * options the namespace does not map, idmapped mounts.  (rlimits above the
 * hard limit fail in the init and a lower oomScoreAdj in
 * rootless_oom_score_adj, named, and the create is undone.) */
int rootless_check(const struct oci_spec *s, husk_error **err);

/* Make the container's cgroup `cg` and apply linux.resources where
 * the user may (a delegated cgroup); device rules are left out, a user
 * namespace cannot make device nodes.  Where the user may not, the
 * container goes without a cgroup (*made false), unless linux.resources
 * asks for limits or linux.cgroupsPath names one (runc's rule): then a
 * one-line error naming it. */
int rootless_cgroup_setup(const struct cgroup_paths *cg, const struct oci_spec *s,
                          bool *made, husk_error **err);

/* Write the id maps of `pid`'s new user namespace as an unprivileged
 * user: one line mapping the user's own id directly (gid_map after
 * "deny" to setgroups, as the kernel wants), anything else through
 * newuidmap / newgidmap. */
int rootless_write_id_maps(pid_t pid, const struct oci_linux *l,
                           husk_error **err);

/* process.oomScoreAdj of the init `pid`, written by the runtime before
 * the init is non-dumpable (then its /proc files are the host root's). */
int rootless_oom_score_adj(pid_t pid, const struct oci_process *p,
                           husk_error **err);

/* Without a cgroup, a container's processes are those of its init's pid
 * namespace (just the init when that is the host's); none once it is gone.
 * *pids is malloc'ed. */
int rootless_ns_pids(pid_t init, pid_t **pids, size_t *n, husk_error **err);

#endif
