/* Reading a container's statistics: find the cgroup in each controller's
 * hierarchy, read it as v1 or v2, free what was read.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The hierarchies come from /proc/self/mountinfo rather than from fixed
 * names under /sys/fs/cgroup: hosts name the v1 mounts differently
 * ("cpu,cpuacct" or two mounts), and a hybrid host may hold a controller
 * (hugetlb) in its v2 tree.
 */
#include "config.h"

#include "stats-internal.h"

#include "cleanup.h"
#include "mountinfo.h"

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

struct mounts {
  char v1[STATS_NCTRL][PATH_MAX]; /* mount point + the cgroup path */
  char v2[PATH_MAX];
  const char *path;
};

/* The cgroup path as seen from a mount whose root is `root` (not "/" in a
 * cgroup namespace). */
static const char *relative_to(const char *path, const char *root) {
  size_t n = strlen(root);
  if (strcmp(root, "/") == 0 || strncmp(path, root, n) != 0 ||
      (path[n] != '/' && path[n] != '\0'))
    return path;
  return path + n;
}

static int note_mount(const struct mountinfo *mi, void *data,
                      husk_error **err) {
  (void)err;
  struct mounts *m = data;
  const char *rel = relative_to(m->path, mi->root);
  if (strcmp(mi->fstype, "cgroup2") == 0) {
    if (m->v2[0] == '\0')
      snprintf(m->v2, sizeof(m->v2), "%s%s", mi->mount_point, rel);
    return 0;
  }
  if (strcmp(mi->fstype, "cgroup") != 0)
    return 0;
  for (int c = 0; c < STATS_NCTRL; c++)
    if (m->v1[c][0] == '\0' &&
        mountinfo_has_option(mi->super_options, ctrl_names[c]))
      snprintf(m->v1[c], sizeof(m->v1[c]), "%s%s", mi->mount_point, rel);
  return 0;
}

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

static int open_dirs(const char *path, struct stats_dirs *d,
                     husk_error **err) {
  cleanup_free struct mounts *m = calloc(1, sizeof(*m));
  if (m == NULL)
    return husk_error_set(err, ENOMEM, "cgroup statistics");
  m->path = path;
  if (mountinfo_each(note_mount, m, err) < 0)
    return -1;
  int v2fd = m->v2[0] ? open_dir(m->v2) : -1;
  bool any = false;
  for (int c = 0; c < STATS_NCTRL; c++) {
    d->fd[c] = m->v1[c][0] ? open_dir(m->v1[c]) : -1;
    d->v2[c] = false;
    /* A controller v1 does not have is the v2 tree's, if any (pure v2, or
     * hugetlb on a hybrid host). */
    if (d->fd[c] < 0 && m->v1[c][0] == '\0' && v2fd >= 0) {
      d->fd[c] = v2fd;
      d->v2[c] = true;
    }
    any |= d->fd[c] >= 0;
  }
  if (!any) {
    if (v2fd >= 0)
      close(v2fd);
    return husk_error_set(err, ENOENT, "cgroup %s", path);
  }
  /* v2fd is now owned by the entries that share it, or unused. */
  bool used = false;
  for (int c = 0; c < STATS_NCTRL; c++)
    used |= d->v2[c];
  if (!used && v2fd >= 0)
    close(v2fd);
  return 0;
}

int stats_controller_dir(const char *path, const char *ctrl, char **dir,
                         bool *v2, husk_error **err) {
  int c = 0;
  while (c < STATS_NCTRL && strcmp(ctrl_names[c], ctrl) != 0)
    c++;
  if (c == STATS_NCTRL)
    return husk_error_set(err, EINVAL, "cgroup controller %s", ctrl);
  cleanup_free struct mounts *m = calloc(1, sizeof(*m));
  if (m == NULL)
    return husk_error_set(err, ENOMEM, "cgroup controller %s", ctrl);
  m->path = path;
  if (mountinfo_each(note_mount, m, err) < 0)
    return -1;
  const char *p = m->v1[c][0] ? m->v1[c] : m->v2;
  if (*p == '\0')
    return husk_error_set(err, ENOENT, "cgroup controller %s", ctrl);
  if ((*dir = strdup(p)) == NULL)
    return husk_error_set(err, ENOMEM, "cgroup controller %s", ctrl);
  *v2 = m->v1[c][0] == '\0';
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

int stats_read(const char *path, struct cgroup_stats *s, husk_error **err) {
  struct stats_dirs d;
  if (open_dirs(path, &d, err) < 0)
    return husk_error_prefix(err, "cgroup statistics");
  int r = read_all(&d, s);
  close_dirs(&d);
  if (r < 0) {
    stats_free(s);
    return husk_error_set(err, ENOMEM, "cgroup statistics of %s", path);
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
