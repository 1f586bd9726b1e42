/* Shared pieces of the generic reader, writer and validator.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef OCISPEC_INTERNAL_H
#define OCISPEC_INTERNAL_H

#include <ocispec/schema.h>

/* The JSON path of the value being looked at, as errors name it:
 * "linux.namespaces[2].type".  Paths longer than the buffer are cut. */
struct oci_path {
  char buf[512];
  size_t len;
};

size_t path_push_key(struct oci_path *p, const char *key);
size_t path_push_index(struct oci_path *p, size_t i);
static inline void path_pop(struct oci_path *p, size_t mark) {
  p->len = mark;
  p->buf[mark] = '\0';
}

#define MEMBER(obj, off, T) ((T *)((char *)(obj) + (off)))
#define CMEMBER(obj, off, T) ((const T *)((const char *)(obj) + (off)))

/* Bytes one element of an array or map of field `f` takes. */
size_t oci_elem_size(const struct oci_field *f);
/* Bytes a scalar of `kind` takes (char * for strings). */
size_t oci_scalar_size(int kind);
/* Whether field `f` of `obj` holds a value. */
bool oci_field_present(const struct oci_field *f, const void *obj);
/* Free what `obj`'s fields own, but not `obj` itself. */
void oci_free_members(const struct oci_type *t, void *obj);
/* Check the object's values against the tables, recursively. */
int oci_validate_at(const struct oci_type *t, const void *obj,
                    struct oci_path *p, char **err);

#endif
