/* What this build of husk supports, on this host: the runtime-spec features
 * document (features.md) that `husk features` prints.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_RUNTIME_FEATURES_H
#define HUSK_RUNTIME_FEATURES_H

#include <stddef.h>

#include <ocispec/features.h>

/* error.h wants NULL from stddef.h, included above */
#include "error.h"

/* The runtime-spec versions husk implements: the newest is what `husk spec`
 * writes; configs from the oldest on are accepted. */
#define HUSK_SPEC_VERSION "1.3.0"
#define HUSK_SPEC_VERSION_MIN "1.0.0"

/* The mount(2) and mount_setattr(2) options husk's mount code maps itself
 * (NULL-terminated); any other option goes to the filesystem as data.  The
 * mount code must accept every one of them: features.md's mountOptions. */
extern const char *const husk_mount_options[];

/* Build the document; free it with oci_features_free(). */
int husk_features_build(struct oci_features **out, husk_error **err);

/* The version of the libseccomp husk runs with ("2.5.4"), which may differ
 * from the one it was built against. */
void husk_libseccomp_version(char *buf, size_t size);

#endif
