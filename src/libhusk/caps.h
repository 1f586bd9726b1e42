/* Capabilities through libcap, and no_new_privs.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_CAPS_H
#define HUSK_CAPS_H

#include "error.h"

#include <ocispec/process.h>
#include <stdint.h>

/* The five sets as bit masks of CAP_* numbers. */
struct caps_sets {
  uint64_t bounding, effective, inheritable, permitted, ambient;
};

/* Map names ("CAP_SYS_ADMIN") to bits.  An unknown name is an error naming
 * the JSON path: `process.capabilities.bounding[3]: unknown capability
 * "CAP_FOO"`.  NULL capabilities means all five sets empty. */
int caps_parse(const struct oci_linux_capabilities *c, struct caps_sets *out,
               husk_error **err);

/* Drop every capability outside `bounding` from the bounding set; needs
 * CAP_SETPCAP, so it runs before the user switch. */
int caps_drop_bounding(const struct caps_sets *s, husk_error **err);

/* After setuid (with PR_SET_KEEPCAPS on): set effective, permitted and
 * inheritable, then raise the ambient set. */
int caps_apply(const struct caps_sets *s, husk_error **err);

#endif
