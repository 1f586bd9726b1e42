/* cgroup v2: linux.resources converted to the unified hierarchy's files,
 * the eBPF device filter, and cgroup.freeze.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The values are v1's (runtime-spec predates v2) and are converted as runc
 * converts them (cgroup-convert.h).  What v2 has no file for is refused
 * when it asks for something v2 cannot do, and accepted when it asks for
 * what v2 does anyway (useHierarchy true, disableOOMKiller false, kernel
 * memory -1).  A 0 means "not set" where it does on v1 (cgroup-v1.c).
 */
#include "config.h"

#include "bpf-devices.h"
#include "cgroup-internal.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* --- memory ---------------------------------------------------------------- */

static int refuse(const char *json, const char *why, husk_error **err) {
  return husk_error_set(err, 0, "%s: %s", json, why);
}

/* The limit a swap value is relative to: the one being set, else the one
 * in force (update of the swap alone). */
static int current_limit(const char *dir, const struct oci_linux_memory *m,
                         int64_t *limit, husk_error **err) {
  if (m->limit_present && m->limit != 0) {
    *limit = m->limit;
    return 0;
  }
  char buf[64];
  if (cg_read(dir, "memory.max", buf, sizeof(buf),
              "linux.resources.memory.swap", err) < 0)
    return -1;
  *limit = strcmp(buf, "max") == 0 ? -1 : strtoll(buf, NULL, 10);
  return 0;
}

static int memory_unsupported(const struct oci_linux_memory *m,
                              husk_error **err) {
  if (m->swappiness_present)
    return refuse("linux.resources.memory.swappiness",
                  "cgroup v2 has no per-cgroup swappiness", err);
  if (m->disable_oom_killer_present && m->disable_oom_killer)
    return refuse("linux.resources.memory.disableOOMKiller",
                  "cgroup v2 cannot disable the OOM killer", err);
  if (m->use_hierarchy_present && !m->use_hierarchy)
    return refuse("linux.resources.memory.useHierarchy",
                  "cgroup v2 is always hierarchical", err);
  if (m->kernel_present && m->kernel != 0 && m->kernel != -1)
    return refuse("linux.resources.memory.kernel",
                  "cgroup v2 has no kernel memory limit", err);
  if (m->kernel_tcp_present && m->kernel_tcp != 0 && m->kernel_tcp != -1)
    return refuse("linux.resources.memory.kernelTCP",
                  "cgroup v2 has no kernel TCP memory limit", err);
  return 0;
}

int cg_v2_memory(const char *dir, const struct oci_linux_memory *m,
                 bool update, husk_error **err) {
  if (memory_unsupported(m, err) < 0)
    return -1;
  bool limit = m->limit_present && m->limit != 0;
  if (update && limit && m->limit > 0 && m->check_before_update_present &&
      m->check_before_update) {
    char buf[64];
    if (cg_read(dir, "memory.current", buf, sizeof(buf),
                "linux.resources.memory.limit", err) < 0)
      return -1;
    uint64_t usage = strtoull(buf, NULL, 10);
    if ((uint64_t)m->limit < usage)
      return husk_error_set(err, 0,
                            "linux.resources.memory.limit: %" PRId64
                            " is below the current usage, %" PRIu64
                            " bytes (checkBeforeUpdate)",
                            m->limit, usage);
  }
  char v[CG_VALUE_MAX];
  if (limit) {
    cg_v2_limit(m->limit, v);
    if (cg_set(dir, "memory.max", v, "linux.resources.memory.limit", err) < 0)
      return -1;
  }
  bool swap = m->swap_present && m->swap != 0;
  if (swap || (limit && m->limit == -1)) {
    int64_t lim = -1, swap_max;
    if (swap && current_limit(dir, m, &lim, err) < 0)
      return -1;
    int r = cg_swap_to_v2(swap, m->swap, lim, &swap_max, err);
    if (r < 0)
      return -1;
    /* Unlimited memory implies unlimited swap, where swap is accounted. */
    if (r > 0 && (swap || cg_exists(dir, "memory.swap.max"))) {
      cg_v2_limit(swap_max, v);
      if (cg_set(dir, "memory.swap.max", v,
                 swap ? "linux.resources.memory.swap"
                      : "linux.resources.memory.limit",
                 err) < 0)
        return -1;
    }
  }
  if (m->reservation_present && m->reservation != 0) {
    cg_v2_limit(m->reservation, v);
    if (cg_set(dir, "memory.low", v, "linux.resources.memory.reservation",
               err) < 0)
      return -1;
  }
  return 0;
}

/* --- cpu ------------------------------------------------------------------ */

int cg_v2_cpu(const char *dir, const struct oci_linux_cpu *c, husk_error **err) {
  if ((c->realtime_runtime_present && c->realtime_runtime != 0) ||
      (c->realtime_period_present && c->realtime_period != 0))
    return refuse(c->realtime_runtime_present
                      ? "linux.resources.cpu.realtimeRuntime"
                      : "linux.resources.cpu.realtimePeriod",
                  "cgroup v2 has no real-time scheduling limits", err);
  char v[CG_VALUE_MAX];
  if (c->shares_present && c->shares != 0) {
    snprintf(v, sizeof(v), "%" PRIu64, cg_shares_to_weight(c->shares));
    if (cg_set(dir, "cpu.weight", v, "linux.resources.cpu.shares", err) < 0)
      return -1;
  }
  bool quota = c->quota_present && c->quota != 0;
  bool period = c->period_present && c->period != 0;
  if (quota || period) {
    int64_t q = c->quota;
    /* A period alone keeps the quota in force: cpu.max takes both. */
    if (!quota) {
      char cur[64];
      if (cg_read(dir, "cpu.max", cur, sizeof(cur), "linux.resources.cpu.period",
                  err) < 0)
        return -1;
      q = strncmp(cur, "max", 3) == 0 ? -1 : strtoll(cur, NULL, 10);
    }
    cg_cpu_max(true, q, period, c->period, v);
    if (cg_set(dir, "cpu.max", v,
               quota ? "linux.resources.cpu.quota" : "linux.resources.cpu.period",
               err) < 0)
      return -1;
  }
  if (c->burst_present) {
    snprintf(v, sizeof(v), "%" PRIu64, c->burst);
    if (cg_set(dir, "cpu.max.burst", v, "linux.resources.cpu.burst", err) < 0)
      return -1;
  }
  if (c->idle_present) {
    snprintf(v, sizeof(v), "%" PRId64, c->idle);
    if (cg_set(dir, "cpu.idle", v, "linux.resources.cpu.idle", err) < 0)
      return -1;
  }
  return 0;
}

/* --- io ----------------------------------------------------------------------- */

static int io_max(const char *dir, const char *key, const char *name,
                  const struct oci_linux_throttle_device *t, size_t n,
                  husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    char v[CG_VALUE_MAX], json[96];
    cg_io_max_line(t[i].major, t[i].minor, key, t[i].rate, v);
    snprintf(json, sizeof(json), "linux.resources.blockIO.%s[%zu]", name, i);
    if (cg_set(dir, "io.max", v, json, err) < 0)
      return -1;
  }
  return 0;
}

int cg_v2_io(const char *dir, const struct oci_linux_blkio *b,
             husk_error **err) {
  if (b->leaf_weight_present && b->leaf_weight != 0)
    return refuse("linux.resources.blockIO.leafWeight",
                  "cgroup v2 has no leaf weight", err);
  for (size_t i = 0; i < b->weight_device_len; i++) {
    if (b->weight_device[i].leaf_weight_present) {
      char json[96];
      snprintf(json, sizeof(json),
               "linux.resources.blockIO.weightDevice[%zu].leafWeight", i);
      return refuse(json, "cgroup v2 has no leaf weight", err);
    }
  }
  /* BFQ's weights have blkio's range and need no conversion; io.weight
   * (blk-iocost) is converted. */
  bool bfq = (b->weight_present && b->weight != 0) || b->weight_device_len
                 ? cg_exists(dir, "io.bfq.weight")
                 : false;
  const char *file = bfq ? "io.bfq.weight" : "io.weight";
  char v[CG_VALUE_MAX], json[96];
  if (b->weight_present && b->weight != 0) {
    snprintf(v, sizeof(v), "%" PRIu64,
             bfq ? b->weight : cg_blkio_to_io_weight(b->weight));
    if (cg_set(dir, file, v, "linux.resources.blockIO.weight", err) < 0)
      return -1;
  }
  for (size_t i = 0; i < b->weight_device_len; i++) {
    const struct oci_linux_weight_device *d = &b->weight_device[i];
    if (!d->weight_present)
      continue;
    snprintf(v, sizeof(v), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
             d->minor, bfq ? d->weight : cg_blkio_to_io_weight(d->weight));
    snprintf(json, sizeof(json),
             "linux.resources.blockIO.weightDevice[%zu].weight", i);
    if (cg_set(dir, file, v, json, err) < 0)
      return -1;
  }
  const struct {
    const char *key, *name;
    const struct oci_linux_throttle_device *t;
    size_t n;
  } th[] = {
      {"rbps", "throttleReadBpsDevice", b->throttle_read_bps_device,
       b->throttle_read_bps_device_len},
      {"wbps", "throttleWriteBpsDevice", b->throttle_write_bps_device,
       b->throttle_write_bps_device_len},
      {"riops", "throttleReadIOPSDevice", b->throttle_read_iops_device,
       b->throttle_read_iops_device_len},
      {"wiops", "throttleWriteIOPSDevice", b->throttle_write_iops_device,
       b->throttle_write_iops_device_len},
  };
  for (size_t i = 0; i < sizeof(th) / sizeof(th[0]); i++)
    if (io_max(dir, th[i].key, th[i].name, th[i].t, th[i].n, err) < 0)
      return -1;
  return 0;
}

/* --- cpuset, pids, hugetlb, rdma: the same files on v1 and v2 ------------------ */

int cg_cpuset(const char *dir, const struct oci_linux_cpu *c,
              husk_error **err) {
  if (c->cpus && *c->cpus &&
      cg_set(dir, "cpuset.cpus", c->cpus, "linux.resources.cpu.cpus", err) < 0)
    return -1;
  if (c->mems && *c->mems &&
      cg_set(dir, "cpuset.mems", c->mems, "linux.resources.cpu.mems", err) < 0)
    return -1;
  return 0;
}

int cg_pids(const char *dir, const struct oci_linux_pids *p, husk_error **err) {
  char v[CG_VALUE_MAX];
  cg_v2_limit(p->limit <= 0 ? -1 : p->limit, v);
  return cg_set(dir, "pids.max", v, "linux.resources.pids.limit", err);
}

int cg_hugetlb(const char *dir, bool v2, const struct oci_linux_hugepage_limit *h,
               size_t n, husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    char file[96], v[CG_VALUE_MAX], json[96];
    snprintf(json, sizeof(json), "linux.resources.hugepageLimits[%zu]", i);
    if (cg_hugetlb_file(h[i].page_size ? h[i].page_size : "", v2, file,
                        sizeof(file), err) < 0)
      return husk_error_prefix(err, "%s", json);
    snprintf(v, sizeof(v), "%" PRIu64, h[i].limit);
    if (cg_set(dir, file, v, json, err) < 0)
      return -1;
    /* config-linux.md: where the kernel accounts reservations, the limit
     * applies to them too (hugetlb.<size>.rsvd.*). */
    char rsvd[128], full[PATH_MAX];
    snprintf(rsvd, sizeof(rsvd), "hugetlb.%s.rsvd.%s", h[i].page_size,
             v2 ? "max" : "limit_in_bytes");
    snprintf(full, sizeof(full), "%s/%s", dir, rsvd);
    if (access(full, F_OK) == 0 && cg_set(dir, rsvd, v, json, err) < 0)
      return -1;
  }
  return 0;
}

int cg_rdma(const char *dir, const struct oci_linux_rdma *r, size_t n,
            husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    char v[CG_VALUE_MAX * 2], json[160];
    snprintf(json, sizeof(json), "linux.resources.rdma.%s", r[i].key);
    if (!r[i].hca_handles_present && !r[i].hca_objects_present)
      continue;
    if (cg_rdma_line(&r[i], v, sizeof(v)) < 0)
      return husk_error_set(err, 0, "%s: not a device name", json);
    if (cg_set(dir, "rdma.max", v, json, err) < 0)
      return -1;
  }
  return 0;
}

/* --- devices ------------------------------------------------------------------ */

int cg_v2_devices(const char *dir, const struct cg_dev_rule *rules, size_t n,
                  husk_error **err) {
  cleanup_free struct bpf_insn *insns = NULL;
  size_t len;
  if (bpf_devices_program(rules, n, &insns, &len, err) < 0)
    return -1;
  cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "linux.resources.devices: open %s", dir);
  if (bpf_devices_apply(fd, insns, len, err) < 0)
    return husk_error_prefix(err, "linux.resources.devices");
  return 0;
}

/* --- freezer ------------------------------------------------------------------- */

#define FREEZE_TIMEOUT_MS 10000

/* cgroup.events' "frozen" line: 1 or 0, -1 when unreadable. */
static int frozen_now(int fd) {
  char buf[512];
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  const char *f = strstr(buf, "frozen ");
  return f ? f[7] == '1' : -1;
}

int cg_v2_freeze(const char *dir, bool freeze, husk_error **err) {
  if (cg_write(dir, "cgroup.freeze", freeze ? "1" : "0") < 0)
    return husk_error_set(err, errno, "write cgroup.freeze");
  char path[4096];
  snprintf(path, sizeof(path), "%s/cgroup.events", dir);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open cgroup.events");
  /* The kernel signals a change of cgroup.events with POLLPRI. */
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    int f = frozen_now(fd);
    if (f < 0)
      return husk_error_set(err, errno ? errno : EIO, "read cgroup.events");
    if (f == freeze)
      return 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long left = FREEZE_TIMEOUT_MS - ((now.tv_sec - start.tv_sec) * 1000 +
                                     (now.tv_nsec - start.tv_nsec) / 1000000);
    if (left <= 0)
      break;
    struct pollfd p = {.fd = fd, .events = POLLPRI};
    if (poll(&p, 1, left < 100 ? (int)left : 100) < 0 && errno != EINTR)
      return husk_error_set(err, errno, "poll cgroup.events");
  }
  if (freeze)
    (void)cg_write(dir, "cgroup.freeze", "0");
  return husk_error_set(err, 0, "cgroup.events: not %s after %d s",
                        freeze ? "frozen" : "thawed", FREEZE_TIMEOUT_MS / 1000);
}

bool cg_v2_is_frozen(const char *dir) {
  char v[8];
  return cg_read(dir, "cgroup.freeze", v, sizeof(v), "", NULL) == 0 &&
         strcmp(v, "1") == 0;
}
