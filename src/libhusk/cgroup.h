/* cgroups: where a container's processes go, on v1, v2 and hybrid hosts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A container's cgroup is one path, the same in every hierarchy: on cgroup
 * v2 the unified tree, on v1 each mounted hierarchy, on hybrid hosts both
 * (here the v2 tree may hold a controller such as hugetlb).  Except for a
 * relative linux.cgroupsPath on a v1 host: it is under the runtime's own
 * cgroup of each hierarchy (runc's rule), and those may differ.
 */
#ifndef HUSK_CGROUP_H
#define HUSK_CGROUP_H

#include "error.h"

#include <limits.h>
#include <ocispec/spec.h>
#include <ocispec/state.h>
#include <stdbool.h>
#include <sys/types.h>

/* Where a container's cgroup is: `path` in every hierarchy but those `per`
 * names (key: the hierarchy's directory under /sys/fs/cgroup, value: the
 * path there).  Borrowed strings; state.json keeps them as husk.cgroupPath
 * and husk.cgroupPaths, so that later commands, which run in other
 * cgroups, find the same directories. */
struct cgroup_paths {
  const char *path;
  const oci_kv *per;
  size_t per_len;
};

/* The container's cgroup as its state records it. */
static inline struct cgroup_paths cgroup_paths_of(const struct oci_state *st) {
  return (struct cgroup_paths){st->cgroup_path, st->cgroup_paths,
                               st->cgroup_paths_len};
}

/* The container's cgroup path from linux.cgroupsPath: absolute as given,
 * relative under the runtime's own cgroup, and ID there when absent (runc's
 * default).  The result is absolute and free of "..".  A relative path on a
 * v1 host may need a path per hierarchy: *per (malloc'ed, NULL when none)
 * lists those that differ from *path.  Only the relative case reads a
 * file. */
int cgroup_resolve(const struct oci_spec *spec, const char *id, char **path,
                   oci_kv **per, size_t *per_len, husk_error **err);

/* The container's cgroup directory in the hierarchy of controller `ctrl`
 * (its v1 name: "memory", "cpu", ...), or in the v2 tree when no v1
 * hierarchy has it (*v2 then true).  -1 (ENOENT) when there is neither.
 * Every directory of a container's cgroup is built here or by
 * cgroup_each(). */
int cgroup_dir(const struct cgroup_paths *cg, const char *ctrl,
               char dir[PATH_MAX], bool *v2, husk_error **err);

/* Call `fn` for each mounted hierarchy: its directory name under
 * /sys/fs/cgroup ("" on a pure v2 host), whether it is a v2 tree, and the
 * container's cgroup directory in it.  Stops at the first non-zero. */
int cgroup_each(const struct cgroup_paths *cg,
                int (*fn)(const char *name, bool v2, const char *dir,
                          void *data, husk_error **err),
                void *data, husk_error **err);

/* A v1 hierarchy (its directory under /sys/fs/cgroup: "cpu,cpuacct",
 * "systemd") and the container's cgroup directory in it. */
struct cgroup_v1_dir {
  char *name;
  char *dir;
};
/* Every v1 hierarchy's, malloc'ed (free with cgroup_v1_dirs_free); none on
 * a pure v2 host.  What a container's cgroup mount binds, without reading
 * /proc/self/cgroup and mountinfo in the init. */
int cgroup_v1_dirs(const struct cgroup_paths *cg, struct cgroup_v1_dir **v,
                   size_t *n, husk_error **err);
void cgroup_v1_dirs_free(struct cgroup_v1_dir *v, size_t n);
/* Make the cgroup in every hierarchy (and its parents). */
int cgroup_create(const struct cgroup_paths *cg, husk_error **err);

/* On a pure cgroup v2 host, the cgroup's directory (O_DIRECTORY, close on
 * exec), for clone3's CLONE_INTO_CGROUP; -1 with *err set elsewhere (v1,
 * hybrid) or when it cannot be opened. */
int cgroup_open_v2_dir(const struct cgroup_paths *cg, husk_error **err);

/* Move `pid` into the cgroup in every hierarchy. */
int cgroup_enter(const struct cgroup_paths *cg, pid_t pid, husk_error **err);
/* The same in every hierarchy but the v1 memory one, which a new init
 * joins itself once the container is built (spawn.c says why). */
int cgroup_enter_but_v1_memory(const struct cgroup_paths *cg, pid_t pid,
                               husk_error **err);
/* For an init that joins every hierarchy but the v1 memory one itself
 * (spawn.c, one step), by writing "0" while it has one thread: in each,
 * the file it writes (v1 `tasks`, else cgroup.procs) opened for writing
 * (close on exec), with its path for messages, in *procs (malloc'ed,
 * *n). */
struct cgroup_procs {
  int fd;
  char *path;
};
int cgroup_open_procs_but_v1_memory(const struct cgroup_paths *cg,
                                    struct cgroup_procs **procs, size_t *n,
                                    husk_error **err);
void cgroup_procs_close(struct cgroup_procs *procs, size_t n);
/* Where memory is a v1 controller: the container's `tasks` in its
 * hierarchy, for the init to write "0" to while it has one thread,
 * opened for writing (close on exec) in *fd, and the
 * container's cgroup there (borrowed from `cg`) in *path.  0 with *fd -1
 * where it is not (a pure v2 host, no memory hierarchy). */
int cgroup_open_v1_memory(const struct cgroup_paths *cg, int *fd,
                          const char **path, husk_error **err);

/* The pids in the cgroup (from the unified tree on v2, else the pids or
 * first v1 hierarchy); *pids is malloc'ed. */
int cgroup_pids(const struct cgroup_paths *cg, pid_t **pids, size_t *n,
                husk_error **err);

/* Remove the cgroup from every hierarchy; gone already is fine. */
int cgroup_destroy(const struct cgroup_paths *cg, husk_error **err);
/* The same, one try each: false when one is still in use (EBUSY), and
 * the caller empties it first. */
bool cgroup_destroy_if_empty(const struct cgroup_paths *cg);

bool cgroup_is_frozen(const struct cgroup_paths *cg);

/* --- resources (issue: cgroups) ------------------------------------------ */

/* Apply linux.resources to the container's cgroup, at create time (before
 * the init joins) and on `update` (only what `r` has).  Every resource the
 * spec names is applied or refused with an error naming its JSON path
 * (`linux.resources.unified: needs cgroup v2`); none is silently dropped.
 * v1 values are converted for v2 as runc and crun document it. */
int cgroup_apply(const struct cgroup_paths *cg,
                 const struct oci_linux_resources *r,
                 bool update, husk_error **err);

/* Freeze or thaw every process of the cgroup (v1 freezer.state, v2
 * cgroup.freeze) and wait until the kernel says it is done. */
int cgroup_freeze(const struct cgroup_paths *cg, bool freeze,
                  husk_error **err);

#endif
