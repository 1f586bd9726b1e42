/* fuzz-config: libFuzzer target for config.json (config.md, config-linux.md).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks are in fuzz.h; this file only names the document type.
 * Seeds: tests/fuzz/corpus/config/.
 */
#include "config.h"

#define FUZZ_TYPE oci_spec_type
#define FUZZ_NAME config
#include "fuzz.h"
