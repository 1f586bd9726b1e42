/* fuzz-process: libFuzzer target for a process.json on its own (husk exec --process).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks are in fuzz.h; this file only names the document type.
 * Seeds: tests/fuzz/corpus/process/.
 */
#include "config.h"

#define FUZZ_TYPE oci_process_type
#define FUZZ_NAME process
#include "fuzz.h"
