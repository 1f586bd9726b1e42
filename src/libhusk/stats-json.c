/* Container statistics as the "data" of runc's stats event.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The keys, their order, and which ones are left out when zero follow what
 * runc 1.1 prints (`runc events --stats`), so that tools written against
 * runc read husk's the same way:
 *
 *   {"cpu":{"usage":{...},"throttling":{...}},"cpuset":{...},
 *    "memory":{"cache":N,"usage":{...},"swap":{...},"kernel":{...},
 *              "kernelTCP":{...},"raw":{...}},
 *    "pids":{...},"blkio":{...},"hugetlb":{"2MB":{...}},
 *    "intel_rdt":{},"network_interfaces":null}
 */
#include "config.h"

#include "stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Stop at the first error; every helper returns the running status. */
#define TRY(expr)                                                              \
  do {                                                                         \
    yajl_gen_status st_ = (expr);                                              \
    if (st_ != yajl_gen_status_ok)                                             \
      return st_;                                                              \
  } while (0)

static yajl_gen_status key(yajl_gen g, const char *k) {
  return yajl_gen_string(g, (const unsigned char *)k, strlen(k));
}

/* yajl_gen_integer takes a long long: larger uint64 values go as text. */
static yajl_gen_status u64(yajl_gen g, uint64_t v) {
  char buf[24];
  int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);
  return yajl_gen_number(g, buf, (size_t)n);
}

static yajl_gen_status field(yajl_gen g, const char *k, uint64_t v) {
  TRY(key(g, k));
  return u64(g, v);
}

/* A field runc leaves out when it is zero (Go's omitempty). */
static yajl_gen_status field_nz(yajl_gen g, const char *k, uint64_t v) {
  return v ? field(g, k, v) : yajl_gen_status_ok;
}

static yajl_gen_status list_nz(yajl_gen g, const char *k,
                               const struct stats_u64_list *l) {
  if (l->n == 0)
    return yajl_gen_status_ok;
  TRY(key(g, k));
  TRY(yajl_gen_array_open(g));
  for (size_t i = 0; i < l->n; i++)
    TRY(u64(g, l->v[i]));
  return yajl_gen_array_close(g);
}

static yajl_gen_status gen_cpu(yajl_gen g, const struct cgroup_stats *s) {
  TRY(key(g, "cpu"));
  TRY(yajl_gen_map_open(g));
  TRY(key(g, "usage"));
  TRY(yajl_gen_map_open(g));
  TRY(field_nz(g, "total", s->cpu.total));
  TRY(list_nz(g, "percpu", &s->cpu.percpu));
  TRY(list_nz(g, "percpu_kernel", &s->cpu.percpu_kernel));
  TRY(list_nz(g, "percpu_user", &s->cpu.percpu_user));
  TRY(field(g, "kernel", s->cpu.kernel));
  TRY(field(g, "user", s->cpu.user));
  TRY(yajl_gen_map_close(g));
  TRY(key(g, "throttling"));
  TRY(yajl_gen_map_open(g));
  TRY(field_nz(g, "periods", s->cpu.periods));
  TRY(field_nz(g, "throttledPeriods", s->cpu.throttled_periods));
  TRY(field_nz(g, "throttledTime", s->cpu.throttled_time));
  TRY(yajl_gen_map_close(g));
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_cpuset(yajl_gen g, const struct cgroup_stats *s) {
  TRY(key(g, "cpuset"));
  TRY(yajl_gen_map_open(g));
  TRY(list_nz(g, "cpus", &s->cpuset.cpus));
  TRY(field(g, "cpu_exclusive", s->cpuset.cpu_exclusive));
  TRY(list_nz(g, "mems", &s->cpuset.mems));
  TRY(field(g, "mem_hardwall", s->cpuset.mem_hardwall));
  TRY(field(g, "mem_exclusive", s->cpuset.mem_exclusive));
  TRY(field(g, "memory_migrate", s->cpuset.memory_migrate));
  TRY(field(g, "memory_spread_page", s->cpuset.memory_spread_page));
  TRY(field(g, "memory_spread_slab", s->cpuset.memory_spread_slab));
  TRY(field(g, "memory_pressure", s->cpuset.memory_pressure));
  TRY(field(g, "sched_load_balance", s->cpuset.sched_load_balance));
  TRY(key(g, "sched_relax_domain_level"));
  TRY(yajl_gen_integer(g, s->cpuset.sched_relax_domain_level));
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_memory_entry(yajl_gen g, const char *k,
                                        const struct stats_memory_entry *e) {
  TRY(key(g, k));
  TRY(yajl_gen_map_open(g));
  TRY(field(g, "limit", e->limit));
  TRY(field_nz(g, "usage", e->usage));
  TRY(field_nz(g, "max", e->max));
  TRY(field(g, "failcnt", e->failcnt));
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_memory(yajl_gen g, const struct cgroup_stats *s) {
  TRY(key(g, "memory"));
  TRY(yajl_gen_map_open(g));
  TRY(field_nz(g, "cache", s->memory.cache));
  TRY(gen_memory_entry(g, "usage", &s->memory.usage));
  TRY(gen_memory_entry(g, "swap", &s->memory.swap));
  TRY(gen_memory_entry(g, "kernel", &s->memory.kernel));
  TRY(gen_memory_entry(g, "kernelTCP", &s->memory.kernel_tcp));
  if (s->memory.nraw) {
    TRY(key(g, "raw"));
    TRY(yajl_gen_map_open(g));
    for (size_t i = 0; i < s->memory.nraw; i++)
      TRY(field(g, s->memory.raw[i].key, s->memory.raw[i].value));
    TRY(yajl_gen_map_close(g));
  }
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_pids(yajl_gen g, const struct cgroup_stats *s) {
  TRY(key(g, "pids"));
  TRY(yajl_gen_map_open(g));
  TRY(field_nz(g, "current", s->pids.current));
  TRY(field_nz(g, "limit", s->pids.limit));
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_blkio(yajl_gen g, const struct cgroup_stats *s) {
  static const char *const names[STATS_IO_NKINDS] = {
      [STATS_IO_SERVICE_BYTES] = "ioServiceBytesRecursive",
      [STATS_IO_SERVICED] = "ioServicedRecursive",
      [STATS_IO_QUEUED] = "ioQueueRecursive",
      [STATS_IO_SERVICE_TIME] = "ioServiceTimeRecursive",
      [STATS_IO_WAIT_TIME] = "ioWaitTimeRecursive",
      [STATS_IO_MERGED] = "ioMergedRecursive",
      [STATS_IO_TIME] = "ioTimeRecursive",
      [STATS_IO_SECTORS] = "sectorsRecursive",
  };
  TRY(key(g, "blkio"));
  TRY(yajl_gen_map_open(g));
  for (int k = 0; k < STATS_IO_NKINDS; k++) {
    const struct stats_blkio_list *l = &s->blkio[k];
    if (l->n == 0)
      continue;
    TRY(key(g, names[k]));
    TRY(yajl_gen_array_open(g));
    for (size_t i = 0; i < l->n; i++) {
      TRY(yajl_gen_map_open(g));
      /* Every member is left out when zero: {"major":8,"op":"Write"}. */
      TRY(field_nz(g, "major", l->v[i].major));
      TRY(field_nz(g, "minor", l->v[i].minor));
      if (l->v[i].op[0]) {
        TRY(key(g, "op"));
        TRY(key(g, l->v[i].op));
      }
      TRY(field_nz(g, "value", l->v[i].value));
      TRY(yajl_gen_map_close(g));
    }
    TRY(yajl_gen_array_close(g));
  }
  return yajl_gen_map_close(g);
}

static yajl_gen_status gen_hugetlb(yajl_gen g, const struct cgroup_stats *s) {
  TRY(key(g, "hugetlb"));
  TRY(yajl_gen_map_open(g));
  for (size_t i = 0; i < s->nhugetlb; i++) {
    const struct stats_hugetlb *h = &s->hugetlb[i];
    TRY(key(g, h->size));
    TRY(yajl_gen_map_open(g));
    TRY(field_nz(g, "usage", h->usage));
    TRY(field_nz(g, "max", h->max));
    TRY(field(g, "failcnt", h->failcnt));
    TRY(yajl_gen_map_close(g));
  }
  return yajl_gen_map_close(g);
}

yajl_gen_status stats_generate(yajl_gen g, const struct cgroup_stats *s) {
  TRY(yajl_gen_map_open(g));
  TRY(gen_cpu(g, s));
  TRY(gen_cpuset(g, s));
  TRY(gen_memory(g, s));
  TRY(gen_pids(g, s));
  TRY(gen_blkio(g, s));
  TRY(gen_hugetlb(g, s));
  /* husk has no Intel RDT and no network statistics; runc prints these
   * two members empty when it has none either. */
  TRY(key(g, "intel_rdt"));
  TRY(yajl_gen_map_open(g));
  TRY(yajl_gen_map_close(g));
  TRY(key(g, "network_interfaces"));
  TRY(yajl_gen_null(g));
  return yajl_gen_map_close(g);
}
