/* fuzz-state: libFuzzer target for state.json, with husk's private fields.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks are in fuzz.h; this file only names the document type.
 * Seeds: tests/fuzz/corpus/state/.
 */
#include "config.h"

#define FUZZ_TYPE oci_state_type
#define FUZZ_NAME state
#include "fuzz.h"
