/* linux.maskedPaths and linux.readonlyPaths (config-linux.md).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Run after pivot_root, on the container's own /proc and /sys.  A masked
 * file gets the container's /dev/null bound over it (checked by fstat to
 * be the null device: a rootfs could have made /dev/null a symlink to a
 * host file, CVE-2025-31133), a masked directory an empty read-only tmpfs.
 * A read-only path is a recursive clone of itself made read-only, nosuid,
 * nodev and noexec before it is attached.  Paths that do not exist are
 * skipped.
 */
#ifndef HUSK_PROTECTED_PATHS_H
#define HUSK_PROTECTED_PATHS_H

#include "error.h"

#include <ocispec/spec.h>

int protected_paths_readonly(int rootfd, const struct oci_linux *l,
                             husk_error **err);
int protected_paths_mask(int rootfd, const struct oci_linux *l,
                         husk_error **err);

#endif
