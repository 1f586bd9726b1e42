/* A container's resource statistics, read from its cgroup on v1 or v2, and
 * written in the shape of runc's `events` data.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Units are runc's whatever the hierarchy: times in nanoseconds (v2 counts
 * microseconds), sizes in bytes.  A controller that is not mounted, or a
 * file the kernel does not have, leaves its values at zero: statistics are
 * best effort, as in runc, and only a cgroup that is gone is an error.
 */
#ifndef HUSK_STATS_H
#define HUSK_STATS_H

#include "cgroup.h"
#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>

/* One usage/limit quadruple of the memory controller. */
struct stats_memory_entry {
  uint64_t limit, usage, max, failcnt;
};

/* One line of a block I/O statistic: device, operation, value. */
struct stats_blkio_entry {
  uint64_t major, minor;
  char op[16]; /* "Read", "Write", "Sync", "Async", "Discard", "Total" */
  uint64_t value;
};

/* The block I/O statistics runc reports, in its order. */
enum stats_blkio_kind {
  STATS_IO_SERVICE_BYTES = 0,
  STATS_IO_SERVICED,
  STATS_IO_QUEUED,
  STATS_IO_SERVICE_TIME,
  STATS_IO_WAIT_TIME,
  STATS_IO_MERGED,
  STATS_IO_TIME,
  STATS_IO_SECTORS,
  STATS_IO_NKINDS,
};

struct stats_blkio_list {
  struct stats_blkio_entry *v;
  size_t n;
};

/* A name -> counter pair (memory.stat). */
struct stats_counter {
  char *key;
  uint64_t value;
};

struct stats_hugetlb {
  char size[16]; /* "2MB", "1GB": runc's names for the page sizes */
  uint64_t usage, max, failcnt;
};

struct stats_u64_list {
  uint64_t *v;
  size_t n;
};

struct cgroup_stats {
  struct {
    uint64_t total, kernel, user;
    struct stats_u64_list percpu, percpu_kernel, percpu_user;
    uint64_t periods, throttled_periods, throttled_time;
  } cpu;
  struct {
    struct stats_u64_list cpus, mems;
    uint64_t cpu_exclusive, mem_hardwall, mem_exclusive, memory_migrate,
        memory_spread_page, memory_spread_slab, memory_pressure,
        sched_load_balance;
    int64_t sched_relax_domain_level;
  } cpuset;
  struct {
    uint64_t cache;
    struct stats_memory_entry usage, swap, kernel, kernel_tcp;
    struct stats_counter *raw; /* sorted by key, as runc prints its map */
    size_t nraw;
  } memory;
  struct {
    uint64_t current, limit; /* limit 0: none */
  } pids;
  struct stats_blkio_list blkio[STATS_IO_NKINDS];
  struct stats_hugetlb *hugetlb; /* sorted by size name */
  size_t nhugetlb;
};

/* Read the statistics of the cgroup `path` (a container's cgroup path, as
 * in state.json) into *s, which the caller zeroes first and frees with
 * stats_free(). */
int stats_read(const struct cgroup_paths *cg, struct cgroup_stats *s,
               husk_error **err);
void stats_free(struct cgroup_stats *s);

/* Write `s` as the "data" object of runc's stats event. */
yajl_gen_status stats_generate(yajl_gen g, const struct cgroup_stats *s);

#endif
