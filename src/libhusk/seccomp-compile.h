/* linux.seccomp -> a classic BPF program, through libseccomp.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The only place that builds a libseccomp filter.  The runtime calls it
 * before clone (on a cache miss), so that a profile libseccomp refuses
 * fails `create` with nothing made, and the init only loads the result.
 */
#ifndef HUSK_SECCOMP_COMPILE_H
#define HUSK_SECCOMP_COMPILE_H

#include "error.h"

#include <linux/filter.h>
#include <ocispec/spec.h>
#include <stddef.h>

/* Compile `s` into *insns (malloc'ed, *len instructions).  Syscall names
 * libseccomp does not know are skipped (profiles list syscalls of newer
 * kernels); everything it refuses is an error naming the JSON path:
 * `linux.seccomp.syscalls[3]: ...`. */
int seccomp_compile(const struct oci_linux_seccomp *s, struct sock_filter **insns,
                    size_t *len, husk_error **err);

/* libseccomp's version ("2.5.4") and the native architecture's token, the
 * two things besides the profile that a compiled program depends on. */
void seccomp_compiler_id(char *buf, size_t size);

#endif
