/* Compiled seccomp programs kept in the state root, so that a profile is
 * compiled once and not by every container that uses it.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * <root>/.seccomp-cache/<fnv1a-64 of the key>.bpf holds the key itself
 * (the profile's canonical JSON, libseccomp's version, the native
 * architecture), the program and a checksum.  A hit compares the whole key,
 * so a hash collision is a miss, never another profile's program; a file
 * that is short, torn or altered is a miss too and gets rewritten.  Files
 * are replaced by rename(2), so a reader sees an old file or a new one.
 */
#ifndef HUSK_SECCOMP_CACHE_H
#define HUSK_SECCOMP_CACHE_H

#include "error.h"

#include <linux/filter.h>
#include <ocispec/spec.h>
#include <stdbool.h>
#include <stddef.h>

#define SECCOMP_CACHE_DIR ".seccomp-cache"

struct seccomp_cache_key {
  char *text; /* malloc'ed */
  size_t len;
  char name[32]; /* "<16 hex digits>.bpf" */
};

/* What the compiled program of `s` depends on: its canonical JSON without
 * the members that do not reach the program (flags, listener), and the
 * compiler. */
int seccomp_cache_key(const struct oci_linux_seccomp *s,
                      struct seccomp_cache_key *key, husk_error **err);
void seccomp_cache_key_clear(struct seccomp_cache_key *key);

/* true and *insns (malloc'ed) on a hit; false on a miss, whatever the
 * reason (debug-logged). */
bool seccomp_cache_load(int rootfd, const struct seccomp_cache_key *key,
                        struct sock_filter **insns, size_t *len);

/* Best effort: a state root that cannot hold the cache costs a compile per
 * container, nothing else. */
void seccomp_cache_store(int rootfd, const struct seccomp_cache_key *key,
                         const struct sock_filter *insns, size_t len);

#endif
