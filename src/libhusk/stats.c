/* Reading a container's statistics: find the cgroup in each controller's
 * hierarchy, read it as v1 or v2, free what was read.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The directories come from cgroup.c (cgroup_dir), which knows where the
 * container's cgroup is in each hierarchy: a hybrid host may hold a
 * controller (hugetlb) in its v2 tree, and a relative cgroupsPath on v1
 * is in a different place in each hierarchy.
 */
#include "config.h"

#include "stats-internal.h"

#include "cgroup.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char *const ctrl_names[STATS_NCTRL] = {
    [STATS_CPU] = "cpu",       [STATS_CPUACCT] = "cpuacct",
    [STATS_CPUSET] = "cpuset", [STATS_MEMORY] = "memory",
    [STATS_PIDS] = "pids",     [STATS_BLKIO] = "blkio",
    [STATS_HUGETLB] = "hugetlb",
};

static int open_dir(const char *p) {
  return open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static void close_dirs(struct stats_dirs *d) {
  for (int c = 0; c < STATS_NCTRL; c++) {
    /* v2 controllers share one fd: close it once. */
    if (d->fd[c] < 0)
      continue;
    for (int o = c + 1; o < STATS_NCTRL; o++)
      if (d->fd[o] == d->fd[c])
        d->fd[o] = -1;
    close(d->fd[c]);
    d->fd[c] = -1;
  }
}

/* Each controller's directory of the container's cgroup, as cgroup.c
 * finds it: its v1 hierarchy, else the v2 tree (pure v2, or hugetlb on a
 * hybrid host). */
static int open_dirs(const struct cgroup_paths *cg, struct stats_dirs *d,
                     husk_error **err) {
  int v2fd = -1;
  bool any = false;
  for (int c = 0; c < STATS_NCTRL; c++) {
    char dir[PATH_MAX];
    d->fd[c] = -1;
    d->v2[c] = false;
    husk_error *none = NULL;
    if (cgroup_dir(cg, ctrl_names[c], dir, &d->v2[c], &none) < 0) {
      husk_error_free(none);
      continue;
    }
    /* v2 controllers share one fd. */
    if (d->v2[c] && v2fd < 0)
      v2fd = open_dir(dir);
    d->fd[c] = d->v2[c] ? v2fd : open_dir(dir);
    any |= d->fd[c] >= 0;
  }
  if (!any)
    return husk_error_set(err, ENOENT, "cgroup %s", cg->path);
  return 0;
}

static int read_pids(int dirfd, struct cgroup_stats *s) {
  stats_read_u64(dirfd, "pids.current", &s->pids.current);
  /* runc reports no limit as 0. */
  if (stats_read_u64(dirfd, "pids.max", &s->pids.limit) == 0 &&
      s->pids.limit == UINT64_MAX)
    s->pids.limit = 0;
  return 0;
}

static int read_all(const struct stats_dirs *d, struct cgroup_stats *s) {
  const int *fd = d->fd;
  const bool *v2 = d->v2;
  if (v2[STATS_CPU] ? stats_v2_cpu(fd[STATS_CPU], s) < 0
                    : stats_v1_cpu(fd[STATS_CPU], s) < 0)
    return -1;
  /* v2's cpu.stat has the usage that v1 keeps in cpuacct. */
  if (!v2[STATS_CPUACCT] && stats_v1_cpuacct(fd[STATS_CPUACCT], s) < 0)
    return -1;
  if (v2[STATS_CPUSET] ? stats_v2_cpuset(fd[STATS_CPUSET], s) < 0
                       : stats_v1_cpuset(fd[STATS_CPUSET], s) < 0)
    return -1;
  if (v2[STATS_MEMORY] ? stats_v2_memory(fd[STATS_MEMORY], s) < 0
                       : stats_v1_memory(fd[STATS_MEMORY], s) < 0)
    return -1;
  if (read_pids(fd[STATS_PIDS], s) < 0)
    return -1;
  if (v2[STATS_BLKIO] ? stats_v2_io(fd[STATS_BLKIO], s) < 0
                      : stats_v1_blkio(fd[STATS_BLKIO], s) < 0)
    return -1;
  if (v2[STATS_HUGETLB] ? stats_v2_hugetlb(fd[STATS_HUGETLB], s) < 0
                        : stats_v1_hugetlb(fd[STATS_HUGETLB], s) < 0)
    return -1;
  return 0;
}

static int cmp_counter(const void *a, const void *b) {
  return strcmp(((const struct stats_counter *)a)->key,
                ((const struct stats_counter *)b)->key);
}

static int cmp_hugetlb(const void *a, const void *b) {
  return strcmp(((const struct stats_hugetlb *)a)->size,
                ((const struct stats_hugetlb *)b)->size);
}

int stats_read(const struct cgroup_paths *cg, struct cgroup_stats *s,
               husk_error **err) {
  struct stats_dirs d;
  if (open_dirs(cg, &d, err) < 0)
    return husk_error_prefix(err, "cgroup statistics");
  int r = read_all(&d, s);
  close_dirs(&d);
  if (r < 0) {
    stats_free(s);
    return husk_error_set(err, ENOMEM, "cgroup statistics of %s", cg->path);
  }
  /* runc prints these as Go maps, whose keys come out sorted. */
  if (s->memory.nraw)
    qsort(s->memory.raw, s->memory.nraw, sizeof(*s->memory.raw), cmp_counter);
  if (s->nhugetlb)
    qsort(s->hugetlb, s->nhugetlb, sizeof(*s->hugetlb), cmp_hugetlb);
  return 0;
}

void stats_free(struct cgroup_stats *s) {
  free(s->cpu.percpu.v);
  free(s->cpu.percpu_kernel.v);
  free(s->cpu.percpu_user.v);
  free(s->cpuset.cpus.v);
  free(s->cpuset.mems.v);
  for (size_t i = 0; i < s->memory.nraw; i++)
    free(s->memory.raw[i].key);
  free(s->memory.raw);
  for (int k = 0; k < STATS_IO_NKINDS; k++)
    free(s->blkio[k].v);
  free(s->hugetlb);
  *s = (struct cgroup_stats){0};
}
