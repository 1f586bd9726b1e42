/* Statistics from the cgroup v2 interface files (cgroup-v2.rst in the
 * kernel's admin guide), mapped to runc's v1-shaped fields.
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

static int cpu_pair(const char *key, uint64_t v, void *data) {
  struct cgroup_stats *s = data;
  /* v2 counts microseconds; runc reports nanoseconds. */
  if (strcmp(key, "usage_usec") == 0)
    s->cpu.total = v * 1000;
  else if (strcmp(key, "user_usec") == 0)
    s->cpu.user = v * 1000;
  else if (strcmp(key, "system_usec") == 0)
    s->cpu.kernel = v * 1000;
  else if (strcmp(key, "nr_periods") == 0)
    s->cpu.periods = v;
  else if (strcmp(key, "nr_throttled") == 0)
    s->cpu.throttled_periods = v;
  else if (strcmp(key, "throttled_usec") == 0)
    s->cpu.throttled_time = v * 1000;
  return 0;
}

int stats_v2_cpu(int dirfd, struct cgroup_stats *s) {
  return stats_each_pair(dirfd, "cpu.stat", cpu_pair, s);
}

/* v2 has none of v1's cpuset flags; the CPUs and nodes in effect are what
 * a reader wants to know. */
int stats_v2_cpuset(int dirfd, struct cgroup_stats *s) {
  if (stats_read_list(dirfd, "cpuset.cpus.effective", true, &s->cpuset.cpus) < 0 ||
      stats_read_list(dirfd, "cpuset.mems.effective", true, &s->cpuset.mems) < 0)
    return -1;
  return 0;
}

static int push_raw(const char *key, uint64_t value, void *data) {
  return stats_raw_push(data, key, value);
}

static uint64_t add_limits(uint64_t a, uint64_t b) {
  return a == UINT64_MAX || b == UINT64_MAX || a + b < a ? UINT64_MAX : a + b;
}

int stats_v2_memory(int dirfd, struct cgroup_stats *s) {
  struct stats_memory_entry *mem = &s->memory.usage, *swap = &s->memory.swap;
  stats_read_u64(dirfd, "memory.current", &mem->usage);
  stats_read_u64(dirfd, "memory.max", &mem->limit);
  stats_read_u64(dirfd, "memory.peak", &mem->max);
  /* memory.events "max": times the usage hit the limit, v1's failcnt. */
  stats_read_key(dirfd, "memory.events", "max", &mem->failcnt);

  /* runc reports v1's memsw view: memory plus swap, usage and limit. */
  uint64_t swap_usage = 0, swap_limit = 0;
  stats_read_u64(dirfd, "memory.swap.current", &swap_usage);
  if (stats_read_u64(dirfd, "memory.swap.max", &swap_limit) == 0) {
    swap->limit = add_limits(swap_limit, mem->limit);
    swap->usage = swap_usage + mem->usage;
  }

  if (stats_each_pair(dirfd, "memory.stat", push_raw, s) < 0)
    return -1;
  for (size_t i = 0; i < s->memory.nraw; i++)
    if (strcmp(s->memory.raw[i].key, "file") == 0)
      s->memory.cache = s->memory.raw[i].value;
  return 0;
}

/* io.stat: "8:0 rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N". */
static int io_line(char *line, struct cgroup_stats *s) {
  static const struct {
    const char *key;
    enum stats_blkio_kind kind;
    const char *op;
  } map[] = {
      {"rbytes", STATS_IO_SERVICE_BYTES, "Read"},
      {"wbytes", STATS_IO_SERVICE_BYTES, "Write"},
      {"dbytes", STATS_IO_SERVICE_BYTES, "Discard"},
      {"rios", STATS_IO_SERVICED, "Read"},
      {"wios", STATS_IO_SERVICED, "Write"},
      {"dios", STATS_IO_SERVICED, "Discard"},
  };
  uint64_t major, minor;
  int off = 0;
  if (sscanf(line, "%" SCNu64 ":%" SCNu64 "%n", &major, &minor, &off) != 2)
    return 0;
  char *save = NULL;
  for (char *kv = strtok_r(line + off, " \n", &save); kv != NULL;
       kv = strtok_r(NULL, " \n", &save)) {
    char *eq = strchr(kv, '=');
    if (eq == NULL)
      continue;
    *eq = '\0';
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
      if (strcmp(kv, map[i].key) != 0)
        continue;
      uint64_t v = strtoull(eq + 1, NULL, 10);
      if (stats_blkio_push(&s->blkio[map[i].kind], major, minor, map[i].op,
                           v) < 0)
        return -1;
    }
  }
  return 0;
}

int stats_v2_io(int dirfd, struct cgroup_stats *s) {
  cleanup_fclose FILE *f = stats_open(dirfd, "io.stat");
  if (f == NULL)
    return 0;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0)
    if (io_line(line, s) < 0)
      return -1;
  return 0;
}

static int read_hugetlb(int dirfd, const char *size, void *data) {
  struct stats_hugetlb *h = stats_hugetlb_get(data, size);
  if (h == NULL)
    return -1;
  char name[64];
  snprintf(name, sizeof(name), "hugetlb.%s.current", size);
  stats_read_u64(dirfd, name, &h->usage);
  /* events "max": allocations that failed on the limit. */
  snprintf(name, sizeof(name), "hugetlb.%s.events", size);
  stats_read_key(dirfd, name, "max", &h->failcnt);
  return 0;
}

int stats_v2_hugetlb(int dirfd, struct cgroup_stats *s) {
  return stats_each_hugetlb(dirfd, "current", read_hugetlb, s);
}
