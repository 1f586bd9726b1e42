/* Statistics from cgroup v1 controllers (the kernel's admin guide,
 * cgroup-v1), mapped to runc's fields.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "stats-internal.h"

#include "cleanup.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int stats_v1_cpu(int dirfd, struct cgroup_stats *s) {
  stats_read_key(dirfd, "cpu.stat", "nr_periods", &s->cpu.periods);
  stats_read_key(dirfd, "cpu.stat", "nr_throttled", &s->cpu.throttled_periods);
  stats_read_key(dirfd, "cpu.stat", "throttled_time", &s->cpu.throttled_time);
  return 0;
}

/* cpuacct.usage_all: a "cpu user system" header, then one line per CPU. */
static int read_usage_all(int dirfd, struct cgroup_stats *s) {
  cleanup_fclose FILE *f = stats_open(dirfd, "cpuacct.usage_all");
  if (f == NULL)
    return 0;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  if (getline(&line, &cap, f) <= 0)
    return 0;
  while (getline(&line, &cap, f) > 0) {
    unsigned cpu;
    uint64_t user, sys;
    if (sscanf(line, "%u %" SCNu64 " %" SCNu64, &cpu, &user, &sys) != 3)
      continue;
    if (stats_list_push(&s->cpu.percpu_user, user) < 0 ||
        stats_list_push(&s->cpu.percpu_kernel, sys) < 0)
      return -1;
  }
  return 0;
}

int stats_v1_cpuacct(int dirfd, struct cgroup_stats *s) {
  stats_read_u64(dirfd, "cpuacct.usage", &s->cpu.total);
  if (stats_read_list(dirfd, "cpuacct.usage_percpu", false, &s->cpu.percpu) < 0 ||
      read_usage_all(dirfd, s) < 0)
    return -1;
  /* cpuacct.stat counts USER_HZ ticks. */
  long hz = sysconf(_SC_CLK_TCK);
  uint64_t ns_per_tick = hz > 0 ? 1000000000ULL / (uint64_t)hz : 10000000ULL;
  uint64_t v;
  if (stats_read_key(dirfd, "cpuacct.stat", "user", &v) == 0)
    s->cpu.user = v * ns_per_tick;
  if (stats_read_key(dirfd, "cpuacct.stat", "system", &v) == 0)
    s->cpu.kernel = v * ns_per_tick;
  return 0;
}

int stats_v1_cpuset(int dirfd, struct cgroup_stats *s) {
  static const struct {
    const char *file;
    size_t offset;
  } flags[] = {
      {"cpuset.cpu_exclusive", offsetof(struct cgroup_stats, cpuset.cpu_exclusive)},
      {"cpuset.mem_hardwall", offsetof(struct cgroup_stats, cpuset.mem_hardwall)},
      {"cpuset.mem_exclusive", offsetof(struct cgroup_stats, cpuset.mem_exclusive)},
      {"cpuset.memory_migrate", offsetof(struct cgroup_stats, cpuset.memory_migrate)},
      {"cpuset.memory_spread_page",
       offsetof(struct cgroup_stats, cpuset.memory_spread_page)},
      {"cpuset.memory_spread_slab",
       offsetof(struct cgroup_stats, cpuset.memory_spread_slab)},
      {"cpuset.memory_pressure", offsetof(struct cgroup_stats, cpuset.memory_pressure)},
      {"cpuset.sched_load_balance",
       offsetof(struct cgroup_stats, cpuset.sched_load_balance)},
  };
  if (stats_read_list(dirfd, "cpuset.cpus", true, &s->cpuset.cpus) < 0 ||
      stats_read_list(dirfd, "cpuset.mems", true, &s->cpuset.mems) < 0)
    return -1;
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    stats_read_u64(dirfd, flags[i].file,
                   (uint64_t *)((char *)s + flags[i].offset));
  stats_read_i64(dirfd, "cpuset.sched_relax_domain_level",
                 &s->cpuset.sched_relax_domain_level);
  return 0;
}

/* memory.<prefix>usage_in_bytes and its siblings. */
static void read_memory_entry(int dirfd, const char *prefix,
                              struct stats_memory_entry *e) {
  static const struct {
    const char *suffix;
    size_t offset;
  } files[] = {
      {"limit_in_bytes", offsetof(struct stats_memory_entry, limit)},
      {"usage_in_bytes", offsetof(struct stats_memory_entry, usage)},
      {"max_usage_in_bytes", offsetof(struct stats_memory_entry, max)},
      {"failcnt", offsetof(struct stats_memory_entry, failcnt)},
  };
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char name[64];
    snprintf(name, sizeof(name), "memory.%s%s", prefix, files[i].suffix);
    stats_read_u64(dirfd, name, (uint64_t *)((char *)e + files[i].offset));
  }
}

static int push_raw(const char *key, uint64_t value, void *data) {
  return stats_raw_push(data, key, value);
}

int stats_v1_memory(int dirfd, struct cgroup_stats *s) {
  read_memory_entry(dirfd, "", &s->memory.usage);
  read_memory_entry(dirfd, "memsw.", &s->memory.swap);
  read_memory_entry(dirfd, "kmem.", &s->memory.kernel);
  read_memory_entry(dirfd, "kmem.tcp.", &s->memory.kernel_tcp);
  if (stats_each_pair(dirfd, "memory.stat", push_raw, s) < 0)
    return -1;
  for (size_t i = 0; i < s->memory.nraw; i++)
    if (strcmp(s->memory.raw[i].key, "cache") == 0)
      s->memory.cache = s->memory.raw[i].value;
  return 0;
}

/* Lines "8:0 Read 4096" (or "8:0 4096" for time and sectors); the "Total"
 * line sums the others and is left out, as runc does. */
static int read_blkio_file(int dirfd, const char *name,
                           struct stats_blkio_list *l) {
  cleanup_fclose FILE *f = stats_open(dirfd, name);
  if (f == NULL)
    return 0;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    uint64_t major, minor, value;
    char op[16];
    if (sscanf(line, "%" SCNu64 ":%" SCNu64 " %15s %" SCNu64, &major, &minor,
               op, &value) == 4) {
      if (stats_blkio_push(l, major, minor, op, value) < 0)
        return -1;
    } else if (sscanf(line, "%" SCNu64 ":%" SCNu64 " %" SCNu64, &major, &minor,
                      &value) == 3) {
      if (stats_blkio_push(l, major, minor, "", value) < 0)
        return -1;
    }
  }
  return 0;
}

static bool any_blkio(const struct cgroup_stats *s) {
  for (int k = 0; k < STATS_IO_NKINDS; k++)
    if (s->blkio[k].n)
      return true;
  return false;
}

static void clear_blkio(struct cgroup_stats *s) {
  for (int k = 0; k < STATS_IO_NKINDS; k++) {
    free(s->blkio[k].v);
    s->blkio[k] = (struct stats_blkio_list){0};
  }
}

int stats_v1_blkio(int dirfd, struct cgroup_stats *s) {
  /* The CFQ scheduler's files, BFQ's, then the throttling layer's, which
   * counts every I/O but only in bytes and operations: the first that has
   * numbers wins. */
  static const char *const prefixes[] = {"blkio.", "blkio.bfq.",
                                         "blkio.throttle."};
  static const char *const files[STATS_IO_NKINDS] = {
      [STATS_IO_SERVICE_BYTES] = "io_service_bytes_recursive",
      [STATS_IO_SERVICED] = "io_serviced_recursive",
      [STATS_IO_QUEUED] = "io_queued_recursive",
      [STATS_IO_SERVICE_TIME] = "io_service_time_recursive",
      [STATS_IO_WAIT_TIME] = "io_wait_time_recursive",
      [STATS_IO_MERGED] = "io_merged_recursive",
      [STATS_IO_TIME] = "time_recursive",
      [STATS_IO_SECTORS] = "sectors_recursive",
  };
  for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
    for (int k = 0; k < STATS_IO_NKINDS; k++) {
      char name[64];
      snprintf(name, sizeof(name), "%s%s", prefixes[p], files[k]);
      if (read_blkio_file(dirfd, name, &s->blkio[k]) < 0)
        return -1;
    }
    if (any_blkio(s))
      return 0;
    clear_blkio(s);
  }
  return 0;
}

static int read_hugetlb(int dirfd, const char *size, void *data) {
  struct stats_hugetlb *h = stats_hugetlb_get(data, size);
  if (h == NULL)
    return -1;
  char name[64];
  snprintf(name, sizeof(name), "hugetlb.%s.usage_in_bytes", size);
  stats_read_u64(dirfd, name, &h->usage);
  snprintf(name, sizeof(name), "hugetlb.%s.max_usage_in_bytes", size);
  stats_read_u64(dirfd, name, &h->max);
  snprintf(name, sizeof(name), "hugetlb.%s.failcnt", size);
  stats_read_u64(dirfd, name, &h->failcnt);
  return 0;
}

int stats_v1_hugetlb(int dirfd, struct cgroup_stats *s) {
  return stats_each_hugetlb(dirfd, "usage_in_bytes", read_hugetlb, s);
}
