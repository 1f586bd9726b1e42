/* Short strings built by concatenation.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A `run` builds about a hundred cgroup paths and device rules; through
 * snprintf's format machinery each costs ~1,000 instructions, a fifth of
 * all the runtime does in user space.  These join the pieces directly.
 */
#ifndef HUSK_STRJOIN_H
#define HUSK_STRJOIN_H

#include <stddef.h>
#include <stdint.h>

/* The strings up to the NULL, one after the other, in `buf` of `size`
 * (> 0) bytes, cut to fit and always terminated.  Returns the length the
 * whole would have, as snprintf does: `>= size` means it was cut. */
size_t strjoin(char *buf, size_t size, ...) __attribute__((sentinel));

/* The decimal digits of `v` (with its sign) in `buf`; returns `buf`. */
char *fmt_i64(char buf[21], int64_t v);

#endif
