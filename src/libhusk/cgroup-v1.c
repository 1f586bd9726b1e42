/* cgroup v1: linux.resources written in the files of each v1 controller,
 * and the v1 freezer.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * As runc, a 0 in memory.limit, reservation, swap, kernel, kernelTCP,
 * cpu.shares, quota, period, realtimeRuntime, realtimePeriod and
 * blockIO.weight, leafWeight means "not set": the Go structs engines fill
 * cannot tell 0 from absent.
 */
#include "config.h"

#include "cgroup-internal.h"
#include "cleanup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --- memory ------------------------------------------------------------------ */

static int check_usage(const char *dir, const char *file, int64_t limit,
                       husk_error **err) {
  char buf[64];
  if (cg_read(dir, file, buf, sizeof(buf), "linux.resources.memory.limit",
              err) < 0)
    return -1;
  uint64_t usage = strtoull(buf, NULL, 10);
  if ((uint64_t)limit < usage)
    return husk_error_set(err, 0,
                          "linux.resources.memory.limit: %" PRId64
                          " is below the current usage, %" PRIu64
                          " bytes (checkBeforeUpdate)",
                          limit, usage);
  return 0;
}

/* Kernels from 6.1 accept writes to memory.kmem.limit_in_bytes and ignore
 * them: read the value back, lest a limit be dropped without a word. */
static int kernel_memory(const char *dir, int64_t limit, husk_error **err) {
  static const char file[] = "memory.kmem.limit_in_bytes";
  static const char json[] = "linux.resources.memory.kernel";
  char v[CG_VALUE_MAX], back[64];
  snprintf(v, sizeof(v), "%" PRId64, limit);
  if (cg_set(dir, file, v, json, err) < 0 ||
      cg_read(dir, file, back, sizeof(back), json, err) < 0)
    return -1;
  int64_t page = sysconf(_SC_PAGESIZE);
  if (limit > 0 && strtoll(back, NULL, 10) != limit / page * page)
    return husk_error_set(err, 0,
                          "%s: this kernel ignores kernel memory limits (%s)",
                          json, file);
  return 0;
}

int cg_v1_memory(const char *dir, const struct oci_linux_memory *m,
                 bool update, husk_error **err) {
  bool limit = m->limit_present && m->limit != 0;
  bool swap = m->swap_present && m->swap != 0;
  if (update && limit && m->limit > 0 && m->check_before_update_present &&
      m->check_before_update &&
      check_usage(dir, "memory.usage_in_bytes", m->limit, err) < 0)
    return -1;

  /* memory.memsw (memory+swap) may never be below memory. */
  struct cg_item items[2];
  size_t n = 0;
  if (limit) {
    items[n] = (struct cg_item){"memory.limit_in_bytes", "",
                                "linux.resources.memory.limit"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRId64, m->limit);
  }
  if (swap) {
    items[n] = (struct cg_item){"memory.memsw.limit_in_bytes", "",
                                "linux.resources.memory.swap"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRId64, m->swap);
  } else if (limit && m->limit == -1 &&
             cg_exists(dir, "memory.memsw.limit_in_bytes")) {
    /* Unlimited memory and no swap given: unlimited both (runc's rule),
     * else the finite memsw would refuse the unlimited memory. */
    items[n++] = (struct cg_item){"memory.memsw.limit_in_bytes", "-1",
                                  "linux.resources.memory.limit"};
  }
  if (cg_set_all(dir, items, n, err) < 0)
    return -1;

  char v[CG_VALUE_MAX];
  if (m->reservation_present && m->reservation != 0) {
    snprintf(v, sizeof(v), "%" PRId64, m->reservation);
    if (cg_set(dir, "memory.soft_limit_in_bytes", v,
               "linux.resources.memory.reservation", err) < 0)
      return -1;
  }
  if (m->swappiness_present) {
    if (m->swappiness > 100)
      return husk_error_set(err, 0,
                            "linux.resources.memory.swappiness: %" PRIu64
                            " is not between 0 and 100",
                            m->swappiness);
    snprintf(v, sizeof(v), "%" PRIu64, m->swappiness);
    if (cg_set(dir, "memory.swappiness", v, "linux.resources.memory.swappiness",
               err) < 0)
      return -1;
  }
  if (m->disable_oom_killer_present &&
      cg_set(dir, "memory.oom_control", m->disable_oom_killer ? "1" : "0",
             "linux.resources.memory.disableOOMKiller", err) < 0)
    return -1;
  if (m->use_hierarchy_present &&
      cg_set(dir, "memory.use_hierarchy", m->use_hierarchy ? "1" : "0",
             "linux.resources.memory.useHierarchy", err) < 0)
    return -1;
  if (m->kernel_present && m->kernel != 0 &&
      kernel_memory(dir, m->kernel, err) < 0)
    return -1;
  if (m->kernel_tcp_present && m->kernel_tcp != 0) {
    snprintf(v, sizeof(v), "%" PRId64, m->kernel_tcp);
    if (cg_set(dir, "memory.kmem.tcp.limit_in_bytes", v,
               "linux.resources.memory.kernelTCP", err) < 0)
      return -1;
  }
  return 0;
}

/* --- cpu, cpuset ------------------------------------------------------------ */

int cg_v1_cpu(const char *dir, const struct oci_linux_cpu *c, husk_error **err) {
  char v[CG_VALUE_MAX];
  if (c->shares_present && c->shares != 0) {
    snprintf(v, sizeof(v), "%" PRIu64, c->shares);
    if (cg_set(dir, "cpu.shares", v, "linux.resources.cpu.shares", err) < 0)
      return -1;
  }
  /* The kernel refuses a burst above the quota. */
  struct cg_item items[3];
  size_t n = 0;
  if (c->period_present && c->period != 0) {
    items[n] = (struct cg_item){"cpu.cfs_period_us", "",
                                "linux.resources.cpu.period"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRIu64, c->period);
  }
  if (c->quota_present && c->quota != 0) {
    items[n] = (struct cg_item){"cpu.cfs_quota_us", "",
                                "linux.resources.cpu.quota"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRId64,
             c->quota < 0 ? -1 : c->quota);
  }
  if (c->burst_present) {
    items[n] = (struct cg_item){"cpu.cfs_burst_us", "",
                                "linux.resources.cpu.burst"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRIu64, c->burst);
  }
  if (cg_set_all(dir, items, n, err) < 0)
    return -1;
  /* The runtime may never exceed the period. */
  n = 0;
  if (c->realtime_period_present && c->realtime_period != 0) {
    items[n] = (struct cg_item){"cpu.rt_period_us", "",
                                "linux.resources.cpu.realtimePeriod"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRIu64, c->realtime_period);
  }
  if (c->realtime_runtime_present && c->realtime_runtime != 0) {
    items[n] = (struct cg_item){"cpu.rt_runtime_us", "",
                                "linux.resources.cpu.realtimeRuntime"};
    snprintf(items[n++].value, CG_VALUE_MAX, "%" PRId64, c->realtime_runtime);
  }
  if (cg_set_all(dir, items, n, err) < 0)
    return -1;
  if (c->idle_present) {
    snprintf(v, sizeof(v), "%" PRId64, c->idle);
    if (cg_set(dir, "cpu.idle", v, "linux.resources.cpu.idle", err) < 0)
      return -1;
  }
  return 0;
}

/* --- blkio ------------------------------------------------------------------ */

static int throttle(const char *dir, const char *file, const char *name,
                    const struct oci_linux_throttle_device *t, size_t n,
                    husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    char v[CG_VALUE_MAX], json[96];
    snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major,
             t[i].minor, t[i].rate);
    snprintf(json, sizeof(json), "linux.resources.blockIO.%s[%zu]", name, i);
    if (cg_set(dir, file, v, json, err) < 0)
      return -1;
  }
  return 0;
}

/* Leaf weights were CFQ's, which left the kernel in 5.0; BFQ has none. */
static int leaf_weights_unsupported(const char *dir,
                                    const struct oci_linux_blkio *b,
                                    husk_error **err) {
  const char *json = NULL;
  char sub[96];
  if (b->leaf_weight_present && b->leaf_weight != 0)
    json = "linux.resources.blockIO.leafWeight";
  for (size_t i = 0; json == NULL && i < b->weight_device_len; i++) {
    if (b->weight_device[i].leaf_weight_present) {
      snprintf(sub, sizeof(sub),
               "linux.resources.blockIO.weightDevice[%zu].leafWeight", i);
      json = sub;
    }
  }
  if (json == NULL || cg_exists(dir, "blkio.leaf_weight"))
    return 0;
  return husk_error_set(err, 0, "%s: this kernel has no leaf weights "
                                "(blkio.leaf_weight, CFQ's)", json);
}

int cg_v1_blkio(const char *dir, const struct oci_linux_blkio *b,
                husk_error **err) {
  /* CFQ's files, or BFQ's, whichever scheduler the kernel has. */
  bool cfq = cg_exists(dir, "blkio.weight");
  const char *weight = cfq ? "blkio.weight" : "blkio.bfq.weight";
  const char *weight_dev = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
  char v[CG_VALUE_MAX], json[96];
  if (leaf_weights_unsupported(dir, b, err) < 0)
    return -1;
  if (b->weight_present && b->weight != 0) {
    snprintf(v, sizeof(v), "%u", b->weight);
    if (cg_set(dir, weight, v, "linux.resources.blockIO.weight", err) < 0)
      return -1;
  }
  if (b->leaf_weight_present && b->leaf_weight != 0) {
    snprintf(v, sizeof(v), "%u", b->leaf_weight);
    if (cg_set(dir, "blkio.leaf_weight", v, "linux.resources.blockIO.leafWeight",
               err) < 0)
      return -1;
  }
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const struct oci_linux_weight_device *d = &b->weight_device[i];
    if (d->weight_present) {
      snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
               d->weight);
      snprintf(json, sizeof(json), "linux.resources.blockIO.weightDevice[%zu].weight", i);
      if (cg_set(dir, weight_dev, v, json, err) < 0)
        return -1;
    }
    if (d->leaf_weight_present) {
      snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
               d->leaf_weight);
      snprintf(json, sizeof(json),
               "linux.resources.blockIO.weightDevice[%zu].leafWeight", i);
      if (cg_set(dir, "blkio.leaf_weight_device", v, json, err) < 0)
        return -1;
    }
  }
  const struct {
    const char *file, *name;
    const struct oci_linux_throttle_device *t;
    size_t n;
  } th[] = {
      {"blkio.throttle.read_bps_device", "throttleReadBpsDevice",
       b->throttle_read_bps_device, b->throttle_read_bps_device_len},
      {"blkio.throttle.write_bps_device", "throttleWriteBpsDevice",
       b->throttle_write_bps_device, b->throttle_write_bps_device_len},
      {"blkio.throttle.read_iops_device", "throttleReadIOPSDevice",
       b->throttle_read_iops_device, b->throttle_read_iops_device_len},
      {"blkio.throttle.write_iops_device", "throttleWriteIOPSDevice",
       b->throttle_write_iops_device, b->throttle_write_iops_device_len},
  };
  for (size_t i = 0; i < sizeof(th) / sizeof(th[0]); i++)
    if (throttle(dir, th[i].file, th[i].name, th[i].t, th[i].n, err) < 0)
      return -1;
  return 0;
}

/* --- network ------------------------------------------------------------------ */

int cg_v1_net_cls(const char *dir, const struct oci_linux_network *n,
                  husk_error **err) {
  char v[CG_VALUE_MAX];
  snprintf(v, sizeof(v), "%" PRIu32, n->class_id);
  return cg_set(dir, "net_cls.classid", v, "linux.resources.network.classID",
                err);
}

int cg_v1_net_prio(const char *dir, const struct oci_linux_network *n,
                   husk_error **err) {
  for (size_t i = 0; i < n->priorities_len; i++) {
    char v[CG_VALUE_MAX], json[96];
    snprintf(json, sizeof(json), "linux.resources.network.priorities[%zu]", i);
    if (!cg_file_name_ok(n->priorities[i].name))
      return husk_error_set(err, 0, "%s.name: \"%s\" is not an interface name",
                            json, n->priorities[i].name);
    snprintf(v, sizeof(v), "%s %" PRIu32, n->priorities[i].name,
             n->priorities[i].priority);
    if (cg_set(dir, "net_prio.ifpriomap", v, json, err) < 0)
      return -1;
  }
  return 0;
}

/* --- devices ------------------------------------------------------------------ */

int cg_v1_devices(const char *dir, const struct cg_dev_rule *rules, size_t n,
                  husk_error **err) {
  bool default_allow;
  struct cg_dev_rule *e;
  size_t ne;
  if (cg_dev_v1_list(rules, n, &default_allow, &e, &ne, err) < 0)
    return -1;
  /* "a" resets the list to the default; then the exceptions.  (On update a
   * process that opens a device between the two may be refused.) */
  const char *reset = default_allow ? "devices.allow" : "devices.deny";
  const char *except = default_allow ? "devices.deny" : "devices.allow";
  int ret = cg_set(dir, reset, "a", "linux.resources.devices", err);
  cleanup_close int fd = -1; /* one open for all the exceptions */
  for (size_t i = 0; ret == 0 && i < ne; i++) {
    char line[CG_VALUE_MAX];
    cg_dev_rule_v1(&e[i], line);
    /* The rule is put in the message only on failure: formatting it for
     * every rule cost more than the write. */
    if (cg_set_fd(&fd, dir, except, line, "linux.resources.devices", NULL) < 0)
      ret = husk_error_set(err, errno,
                           "linux.resources.devices (\"%s\"): write %s", line,
                           except);
  }
  free(e);
  return ret;
}

/* --- freezer ------------------------------------------------------------------- */

#define FREEZE_TIMEOUT_MS 10000

static long elapsed_ms(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start->tv_sec) * 1000 +
         (now.tv_nsec - start->tv_nsec) / 1000000;
}

int cg_v1_freeze(const char *dir, bool freeze, husk_error **err) {
  const char *want = freeze ? "FROZEN" : "THAWED";
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  /* v1 reports FREEZING while some task has not stopped yet; asking again
   * makes the kernel try the laggards again. */
  for (unsigned i = 1;; i++) {
    char state[32];
    if (cg_write(dir, "freezer.state", want) < 0)
      return husk_error_set(err, errno, "write freezer.state");
    if (cg_read(dir, "freezer.state", state, sizeof(state), "freezer", err) < 0)
      return -1;
    if (strcmp(state, want) == 0)
      return 0;
    if (elapsed_ms(&start) > FREEZE_TIMEOUT_MS)
      break;
    usleep(i < 10 ? 1000 * i : 10000);
  }
  if (freeze)
    (void)cg_write(dir, "freezer.state", "THAWED");
  return husk_error_set(err, 0, "freezer.state: not %s after %d s", want,
                        FREEZE_TIMEOUT_MS / 1000);
}

bool cg_v1_is_frozen(const char *dir) {
  char state[32];
  return cg_read(dir, "freezer.state", state, sizeof(state), "", NULL) == 0 &&
         strcmp(state, "FROZEN") == 0;
}
