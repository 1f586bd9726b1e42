/* The generic writer: C structs to JSON with yajl_gen, driven by field tables.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fields come out in table order, absent ones not at all, so that a document
 * read and written again keeps what it said.
 */
#include "config.h"

#include "internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

static int gen_str(yajl_gen g, const char *s) {
  return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static int gen_scalar(yajl_gen g, int kind, const void *v) {
  char num[32];
  switch (kind) {
  case OCI_STRING:
    return gen_str(g, *(char *const *)v);
  case OCI_BOOL:
    return yajl_gen_bool(g, *(const bool *)v);
  case OCI_INT8: snprintf(num, sizeof(num), "%" PRId8, *(const int8_t *)v); break;
  case OCI_UINT8: snprintf(num, sizeof(num), "%" PRIu8, *(const uint8_t *)v); break;
  case OCI_INT16: snprintf(num, sizeof(num), "%" PRId16, *(const int16_t *)v); break;
  case OCI_UINT16: snprintf(num, sizeof(num), "%" PRIu16, *(const uint16_t *)v); break;
  case OCI_INT32: snprintf(num, sizeof(num), "%" PRId32, *(const int32_t *)v); break;
  case OCI_UINT32: snprintf(num, sizeof(num), "%" PRIu32, *(const uint32_t *)v); break;
  case OCI_INT64: snprintf(num, sizeof(num), "%" PRId64, *(const int64_t *)v); break;
  case OCI_UINT64: snprintf(num, sizeof(num), "%" PRIu64, *(const uint64_t *)v); break;
  default:
    return yajl_gen_invalid_string;
  }
  /* yajl_gen_integer takes long long; uint64 values above it need text. */
  return yajl_gen_number(g, num, strlen(num));
}

static int gen_object(yajl_gen g, const struct oci_type *t, const void *obj,
                      unsigned flags);

static int gen_elements(yajl_gen g, const struct oci_field *f, const void *items,
                        size_t n, unsigned flags) {
  size_t size = oci_elem_size(f);
  int r = f->kind == OCI_MAP ? yajl_gen_map_open(g) : yajl_gen_array_open(g);
  for (size_t i = 0; r == yajl_gen_status_ok && i < n; i++) {
    const char *e = (const char *)items + i * size;
    if (f->kind == OCI_MAP) {
      r = gen_str(g, ((const oci_kv *)e)->key);
      if (r == yajl_gen_status_ok)
        r = f->elem == OCI_OBJECT ? gen_object(g, f->type, e, flags)
                                  : gen_str(g, ((const oci_kv *)e)->value);
    } else {
      r = f->elem == OCI_OBJECT ? gen_object(g, f->type, e, flags)
                                : gen_scalar(g, f->elem, e);
    }
  }
  if (r != yajl_gen_status_ok)
    return r;
  return f->kind == OCI_MAP ? yajl_gen_map_close(g) : yajl_gen_array_close(g);
}

static int gen_object(yajl_gen g, const struct oci_type *t, const void *obj,
                      unsigned flags) {
  int r = yajl_gen_map_open(g);
  for (size_t i = 0; r == yajl_gen_status_ok && i < t->nfields; i++) {
    const struct oci_field *f = &t->fields[i];
    if (!oci_field_present(f, obj))
      continue;
    if ((f->flags & OCI_PRIVATE) && !(flags & OCI_GEN_PRIVATE))
      continue;
    r = gen_str(g, f->name);
    if (r != yajl_gen_status_ok)
      break;
    switch (f->kind) {
    case OCI_OBJECT:
      r = gen_object(g, f->type, *CMEMBER(obj, f->offset, void *), flags);
      break;
    case OCI_ARRAY:
    case OCI_MAP:
      r = gen_elements(g, f, *CMEMBER(obj, f->offset, void *),
                       *CMEMBER(obj, f->aux, size_t), flags);
      break;
    default:
      r = gen_scalar(g, f->kind, CMEMBER(obj, f->offset, void));
      break;
    }
  }
  if (r != yajl_gen_status_ok)
    return r;
  return yajl_gen_map_close(g);
}

int oci_generate(const struct oci_type *type, const void *obj, unsigned flags,
                 char **out, size_t *len, char **err) {
  *err = NULL;
  yajl_gen g = yajl_gen_alloc(NULL);
  if (g == NULL) {
    *err = oci_error("", "out of memory");
    return -1;
  }
  if (flags & OCI_GEN_PRETTY) {
    yajl_gen_config(g, yajl_gen_beautify, 1);
    yajl_gen_config(g, yajl_gen_indent_string, "\t");
  }
  /* Strings came through the reader (valid UTF-8) or from husk itself;
   * validating again would only turn a host's odd path into a failure. */
  int r = gen_object(g, type, obj, flags);
  int ret = -1;
  if (r != yajl_gen_status_ok) {
    *err = oci_error("", "cannot write JSON (yajl_gen status %d)", r);
    goto out;
  }
  const unsigned char *buf;
  size_t n;
  yajl_gen_get_buf(g, &buf, &n);
  char *s = malloc(n + 2);
  if (s == NULL) {
    *err = oci_error("", "out of memory");
    goto out;
  }
  memcpy(s, buf, n);
  /* Files people read end with a newline; compact output stays one line. */
  if ((flags & OCI_GEN_PRETTY) && (n == 0 || s[n - 1] != '\n'))
    s[n++] = '\n';
  s[n] = '\0';
  *out = s;
  if (len)
    *len = n;
  ret = 0;
out:
  yajl_gen_free(g);
  return ret;
}
