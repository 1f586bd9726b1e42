/* Shared by the statistics readers (stats*.c): where each controller's
 * files are, small parsers for cgroup files, and the per-version readers.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The readers return -1 only when memory runs out; a file that is missing
 * or malformed leaves its values at zero, as runc does for a kernel that
 * lacks one (swap accounting off, no kmem, no CFQ).
 */
#ifndef HUSK_STATS_INTERNAL_H
#define HUSK_STATS_INTERNAL_H

#include "stats.h"

#include <stdio.h>

enum stats_ctrl {
  STATS_CPU = 0,
  STATS_CPUACCT,
  STATS_CPUSET,
  STATS_MEMORY,
  STATS_PIDS,
  STATS_BLKIO,
  STATS_HUGETLB,
  STATS_NCTRL,
};

/* One cgroup's directory in each controller's hierarchy: -1 when the
 * controller is not mounted; on v2 (and for v2 controllers of a hybrid
 * host) several entries share a directory. */
struct stats_dirs {
  int fd[STATS_NCTRL];
  bool v2[STATS_NCTRL];
};

/* --- file parsers (stats-files.c) ---------------------------------------- */

/* Open a file of the cgroup for reading; NULL (errno set) if absent. */
FILE *stats_open(int dirfd, const char *name);

/* A file holding one number; "max" reads as UINT64_MAX.  Returns -1 and
 * leaves *v alone when the file is missing or not a number. */
int stats_read_u64(int dirfd, const char *name, uint64_t *v);
int stats_read_i64(int dirfd, const char *name, int64_t *v);

/* For each "key value" line of a flat keyed file (cpu.stat, memory.stat,
 * memory.events), call fn; stops and returns -1 if fn does. */
int stats_each_pair(int dirfd, const char *name,
                    int (*fn)(const char *key, uint64_t value, void *data),
                    void *data);

/* The value of one key of a flat keyed file; -1 when absent. */
int stats_read_key(int dirfd, const char *name, const char *key, uint64_t *v);

/* A list file: "0-3,7" (cpuset.cpus) with `ranges`, else numbers separated
 * by blanks (cpuacct.usage_percpu). */
int stats_read_list(int dirfd, const char *name, bool ranges,
                    struct stats_u64_list *l);

int stats_list_push(struct stats_u64_list *l, uint64_t v);
int stats_blkio_push(struct stats_blkio_list *l, uint64_t major,
                     uint64_t minor, const char *op, uint64_t value);
int stats_raw_push(struct cgroup_stats *s, const char *key, uint64_t value);
/* The entry for page size `size` ("2MB"), added if new; NULL on ENOMEM. */
struct stats_hugetlb *stats_hugetlb_get(struct cgroup_stats *s,
                                        const char *size);

/* The hugetlb page sizes of the cgroup dir, from its file names
 * "hugetlb.<size>.<suffix>": fn is called once per size. */
int stats_each_hugetlb(int dirfd, const char *suffix,
                       int (*fn)(int dirfd, const char *size, void *data),
                       void *data);

/* --- per hierarchy (stats-v1.c, stats-v2.c) ------------------------------ */

int stats_v1_cpu(int dirfd, struct cgroup_stats *s);
int stats_v1_cpuacct(int dirfd, struct cgroup_stats *s);
int stats_v1_cpuset(int dirfd, struct cgroup_stats *s);
int stats_v1_memory(int dirfd, struct cgroup_stats *s);
int stats_v1_blkio(int dirfd, struct cgroup_stats *s);
int stats_v1_hugetlb(int dirfd, struct cgroup_stats *s);

int stats_v2_cpu(int dirfd, struct cgroup_stats *s);
int stats_v2_cpuset(int dirfd, struct cgroup_stats *s);
int stats_v2_memory(int dirfd, struct cgroup_stats *s);
int stats_v2_io(int dirfd, struct cgroup_stats *s);
int stats_v2_hugetlb(int dirfd, struct cgroup_stats *s);

#endif
