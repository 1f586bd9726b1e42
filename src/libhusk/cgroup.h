/* cgroups: where a container's processes go, on v1, v2 and hybrid hosts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A container's cgroup is one path, the same in every hierarchy: on cgroup
 * v2 the unified tree, on v1 each mounted hierarchy, on hybrid hosts both
 * (here the v2 tree may hold a controller such as hugetlb).
 */
#ifndef HUSK_CGROUP_H
#define HUSK_CGROUP_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <sys/types.h>

/* The container's cgroup path from linux.cgroupsPath: absolute as given,
 * relative under the runtime's own cgroup, "/husk/ID" when absent.  The
 * result is absolute and free of "..". */
int cgroup_resolve(const struct oci_spec *spec, const char *id, char **path,
                   husk_error **err);

/* Make the cgroup in every hierarchy (and its parents). */
int cgroup_create(const char *path, husk_error **err);

/* On a pure cgroup v2 host, the cgroup's directory (O_DIRECTORY, close on
 * exec), for clone3's CLONE_INTO_CGROUP; -1 with *err set elsewhere (v1,
 * hybrid) or when it cannot be opened. */
int cgroup_open_v2_dir(const char *path, husk_error **err);

/* Move `pid` into the cgroup in every hierarchy. */
int cgroup_enter(const char *path, pid_t pid, husk_error **err);

/* The pids in the cgroup (from the unified tree on v2, else the pids or
 * first v1 hierarchy); *pids is malloc'ed. */
int cgroup_pids(const char *path, pid_t **pids, size_t *n, husk_error **err);

/* Remove the cgroup from every hierarchy; gone already is fine. */
int cgroup_destroy(const char *path, husk_error **err);

bool cgroup_is_frozen(const char *path);

/* --- resources (issue: cgroups) ------------------------------------------ */

/* Apply linux.resources to the container's cgroup, at create time (before
 * the init joins) and on `update` (only what `r` has).  Every resource the
 * spec names is applied or refused with an error naming its JSON path
 * (`linux.resources.unified: needs cgroup v2`); none is silently dropped.
 * v1 values are converted for v2 as runc and crun document it. */
int cgroup_apply(const char *path, const struct oci_linux_resources *r,
                 bool update, husk_error **err);

/* Freeze or thaw every process of the cgroup (v1 freezer.state, v2
 * cgroup.freeze) and wait until the kernel says it is done. */
int cgroup_freeze(const char *path, bool freeze, husk_error **err);

#endif
