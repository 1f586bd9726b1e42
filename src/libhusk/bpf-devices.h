/* The cgroup v2 device filter: an eBPF program of type
 * BPF_PROG_TYPE_CGROUP_DEVICE, built here instruction by instruction (no
 * libbpf), loaded with bpf(2) and attached to the container's cgroup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cgroup v2 has no devices.allow: the kernel asks every BPF_CGROUP_DEVICE
 * program attached to the cgroup and its ancestors, and allows an access
 * only if all of them return 1.  The program answers as the rule list
 * does under v1 semantics made exact: each requested access bit (mknod,
 * read, write) is decided by the last rule that names the device's type
 * and numbers and that bit, and an access bit no rule names is denied.
 */
#ifndef HUSK_BPF_DEVICES_H
#define HUSK_BPF_DEVICES_H

#include "cgroup-convert.h"
#include "error.h"

#include <linux/bpf.h>
#include <stddef.h>

/* The program for `rules`; *insns is malloc'ed.  Pure: no system call. */
int bpf_devices_program(const struct cg_dev_rule *rules, size_t n,
                        struct bpf_insn **insns, size_t *len, husk_error **err);

/* Load the program and attach it to the cgroup directory `cgroup_fd`, in
 * place of the filter attached there before (BPF_F_REPLACE: an update never
 * leaves the container without one), alongside any filter of an ancestor
 * (BPF_F_ALLOW_MULTI). */
int bpf_devices_apply(int cgroup_fd, const struct bpf_insn *insns, size_t len,
                      husk_error **err);

#endif
