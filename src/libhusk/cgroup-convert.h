/* cgroup values: from the OCI's cgroup-v1-shaped numbers to what the
 * kernel's files take, and the device rules every container gets.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure functions only (no file is read or written), so that the unit test
 * (tests/unit/test-cgroup-convert.c) can pin every conversion down.  The
 * v1 -> v2 formulas are the ones runc documents and uses, so that a config
 * moved from runc to husk gets the same kernel values:
 *
 *   cpu.shares [2, 262144]  -> cpu.weight [1, 10000]:  1 + (s - 2) * 9999 / 262142
 *   blkio.weight [10, 1000] -> io.weight  [1, 10000]:  1 + (w - 10) * 9999 / 990
 *   memory.swap (memory+swap) -> memory.swap.max:      swap - limit
 *
 * (crun 1.8 maps shares with a quadratic curve instead; runc's linear one
 * is kept because it is what the engines that call runc expect.)
 */
#ifndef HUSK_CGROUP_CONVERT_H
#define HUSK_CGROUP_CONVERT_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for any value or line built here ("MAJ:MIN rbps=N", "Q P", ...). */
#define CG_VALUE_MAX 128

/* cpu.shares -> cpu.weight; shares outside [2, 262144] are clamped first,
 * as the kernel clamps cpu.shares on v1. */
uint64_t cg_shares_to_weight(uint64_t shares);

/* blkio.weight -> io.weight; weights outside [10, 1000] are clamped. */
uint64_t cg_blkio_to_io_weight(uint64_t weight);

/* A v2 limit: negative is "max", else the number. */
void cg_v2_limit(int64_t v, char buf[CG_VALUE_MAX]);

/* memory.swap.max from the OCI's memory+swap `swap` and the memory `limit`
 * (both in bytes, -1 unlimited): -1 ("max") when swap is -1, or when the
 * limit is -1 and no swap is given; swap - limit otherwise.  Refuses a
 * swap below the limit, or a finite swap with no finite limit. */
int cg_swap_to_v2(bool swap_present, int64_t swap, int64_t limit,
                  int64_t *out, husk_error **err);

/* cpu.max: "QUOTA PERIOD", "max PERIOD" for a quota <= 0, or "QUOTA" alone
 * (the kernel keeps the period) when no period is given. */
void cg_cpu_max(bool quota_present, int64_t quota, bool period_present,
                uint64_t period, char buf[CG_VALUE_MAX]);

/* One io.max line, "MAJ:MIN KEY=RATE", with a rate of 0 as "max" (v1's
 * blkio.throttle files read 0 as "no limit"). */
void cg_io_max_line(int64_t major, int64_t minor, const char *key,
                    uint64_t rate, char buf[CG_VALUE_MAX]);

/* The rdma.max line of one device: "DEV hca_handle=N hca_object=M" with
 * the fields present ("max" for the absent ones is not written: they keep
 * their value). */
int cg_rdma_line(const struct oci_linux_rdma *r, char *buf, size_t size);

/* A name taken from config.json that becomes a file name in a cgroup
 * directory (a unified key, a huge page size): non-empty, no '/', not "."
 * or "..", printable. */
bool cg_file_name_ok(const char *name);

/* The hugetlb file of a page size: hugetlb.2MB.limit_in_bytes (v1) or
 * hugetlb.2MB.max (v2).  Refuses a size that is not [0-9]+[KMG]B. */
int cg_hugetlb_file(const char *page_size, bool v2, char *buf, size_t size,
                    husk_error **err);

/* --- device rules ----------------------------------------------------------
 * One rule of the device cgroup, as the kernel (v1) and the eBPF filter
 * (v2) take it.  Access bits are the kernel's BPF_DEVCG_ACC_* values. */
enum {
  CG_DEV_MKNOD = 1,
  CG_DEV_READ = 2,
  CG_DEV_WRITE = 4,
  CG_DEV_RWM = 7,
};

struct cg_dev_rule {
  bool allow;
  char type;     /* 'a' (both), 'b', 'c' */
  int64_t major; /* -1: any */
  int64_t minor; /* -1: any */
  unsigned access;
};

/* The rules of a container: linux.resources.devices (may be NULL) in
 * order, then the devices every container gets (runc's list: mknod of any
 * node; /dev/null zero full random urandom tty ptmx net/tun; /dev/pts/N),
 * which therefore win over the config's.  Evaluated last match wins over
 * a default of deny.  Errors name the offending linux.resources.devices[i]
 * field.  *rules is malloc'ed. */
int cg_device_rules(const struct oci_linux_device_cgroup *devs, size_t n,
                    struct cg_dev_rule **rules, size_t *len, husk_error **err);

/* The v1 form of a rule list: v1 keeps a default (allow or deny) and a
 * list of exceptions, edited by writes that match exactly; it cannot
 * punch a hole in a wildcard exception.  This works out the default and
 * the exceptions that give the same answers as `rules` evaluated last
 * match wins, and refuses (naming linux.resources.devices) a list that v1
 * cannot express, as deny of c 1:3 after allow of c 1:*.  The exceptions
 * never have type 'a'; *out is malloc'ed. */
int cg_dev_v1_list(const struct cg_dev_rule *rules, size_t n,
                   bool *default_allow, struct cg_dev_rule **out,
                   size_t *len, husk_error **err);

/* A rule as v1's devices.allow and devices.deny take it: "c 1:3 rwm",
 * "b *:* m". */
void cg_dev_rule_v1(const struct cg_dev_rule *r, char buf[CG_VALUE_MAX]);

#endif
