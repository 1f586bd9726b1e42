/* Merging one JSON document into another, for updating a stored config.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_JSON_MERGE_H
#define HUSK_JSON_MERGE_H

#include "error.h"

/* The document `base` with `over` laid on it: where both hold an object,
 * their members merge (recursively); anywhere else `over`'s value replaces
 * `base`'s (arrays included).  Members `over` lacks are kept as they are,
 * with their text (numbers are not reformatted).  *out is malloc'ed. */
int json_merge(const char *base, const char *over, char **out,
               husk_error **err);

#endif
