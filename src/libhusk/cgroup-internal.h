/* cgroups, inside libhusk: what cgroup.c (layout, dispatch) shares with the
 * per-version writers of resources, cgroup-v1.c and cgroup-v2.c.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cgroup.c finds, for each resource, the directory of the container's
 * cgroup in the hierarchy that holds its controller (a v1 hierarchy, or
 * the v2 tree, which on a hybrid host may hold some controllers too), and
 * hands it to the writer of that version.  The writers know file names and
 * formats only.  Every error names the JSON path and the file:
 * "linux.resources.memory.limit: write memory.max: Invalid argument".
 */
#ifndef HUSK_CGROUP_INTERNAL_H
#define HUSK_CGROUP_INTERNAL_H

#include "cgroup-convert.h"
#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <stddef.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* --- files (cgroup.c) ------------------------------------------------------ */

/* Write `value` to DIR/FILE; -1 with errno. */
int cg_write(const char *dir, const char *file, const char *value);

/* cg_write(), failing with "JSON: write FILE: strerror". */
int cg_set(const char *dir, const char *file, const char *value,
           const char *json, husk_error **err);

/* cg_set() through *fd: opened at the first value (when -1) and kept
 * for the next, for a file written many times that takes one value per
 * write (v1's devices.allow).  The caller closes it. */
int cg_set_fd(int *fd, const char *dir, const char *file, const char *value,
              const char *json, husk_error **err);

/* One value to write, for cg_set_all(). */
struct cg_item {
  const char *file;
  char value[CG_VALUE_MAX];
  const char *json;
};

/* Write the items in order; when one is refused with EINVAL, write them
 * all again last first.  For values the kernel checks against each other
 * (memory <= memory+swap, burst <= quota, rt runtime <= rt period): an
 * order that works going up fails going down, and the other way round. */
int cg_set_all(const char *dir, const struct cg_item *items, size_t n,
               husk_error **err);

/* Read DIR/FILE into buf (NUL-terminated, trailing newline dropped). */
int cg_read(const char *dir, const char *file, char *buf, size_t size,
            const char *json, husk_error **err);

bool cg_exists(const char *dir, const char *file);

/* --- cgroup v1 (cgroup-v1.c) ------------------------------------------------
 * `dir` is the container's cgroup in the controller's hierarchy. */

int cg_v1_memory(const char *dir, const struct oci_linux_memory *m,
                 bool update, husk_error **err);
int cg_v1_cpu(const char *dir, const struct oci_linux_cpu *c, husk_error **err);
int cg_v1_blkio(const char *dir, const struct oci_linux_blkio *b,
                husk_error **err);
int cg_v1_net_cls(const char *dir, const struct oci_linux_network *n,
                  husk_error **err);
int cg_v1_net_prio(const char *dir, const struct oci_linux_network *n,
                   husk_error **err);
int cg_v1_devices(const char *dir, const struct cg_dev_rule *rules, size_t n,
                  husk_error **err);
int cg_v1_freeze(const char *dir, bool freeze, husk_error **err);
bool cg_v1_is_frozen(const char *dir);

/* --- cgroup v2 (cgroup-v2.c) ---------------------------------------------- */

int cg_v2_memory(const char *dir, const struct oci_linux_memory *m,
                 bool update, husk_error **err);
int cg_v2_cpu(const char *dir, const struct oci_linux_cpu *c, husk_error **err);
int cg_v2_io(const char *dir, const struct oci_linux_blkio *b,
             husk_error **err);
int cg_v2_devices(const char *dir, const struct cg_dev_rule *rules, size_t n,
                  husk_error **err);
int cg_v2_freeze(const char *dir, bool freeze, husk_error **err);
bool cg_v2_is_frozen(const char *dir);

/* --- the same files on v1 and v2 (in cgroup-v2.c) --------------------------- */

int cg_cpuset(const char *dir, const struct oci_linux_cpu *c,
              husk_error **err);
int cg_pids(const char *dir, const struct oci_linux_pids *p, husk_error **err);
int cg_hugetlb(const char *dir, bool v2, const struct oci_linux_hugepage_limit *h,
               size_t n, husk_error **err);
int cg_rdma(const char *dir, const struct oci_linux_rdma *r, size_t n,
            husk_error **err);

#endif
