/* fuzz-resources: libFuzzer target for linux.resources on its own (husk update --resources).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks are in fuzz.h; this file only names the document type.
 * Seeds: tests/fuzz/corpus/resources/.
 */
#include "config.h"

#define FUZZ_TYPE oci_linux_resources_type
#define FUZZ_NAME resources
#include "fuzz.h"
