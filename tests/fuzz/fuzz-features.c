/* fuzz-features: libFuzzer target for the features document (features.md).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The checks are in fuzz.h; this file only names the document type.
 * Seeds: tests/fuzz/corpus/features/.
 */
#include "config.h"

#define FUZZ_TYPE oci_features_type
#define FUZZ_NAME features
#include "fuzz.h"
