/* Paths, errors, sizes, validation and freeing over the field tables.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct oci_type oci_kv_type = {"oci_kv", sizeof(oci_kv), NULL, 0, NULL};

/* Messages quote keys and values from the document: escape control
 * characters so that a message stays one line and cannot drive the
 * terminal or forge a log line. */
static char *escape_controls(char *s) {
  size_t extra = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      extra += 5;
  if (extra == 0)
    return s;
  char *out = malloc(strlen(s) + extra + 1), *o = out;
  if (out == NULL) {
    free(s);
    return NULL;
  }
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\n')
      o += sprintf(o, "\\n");
    else if (*p == '\t')
      o += sprintf(o, "\\t");
    else if (*p < 0x20 || *p == 0x7f)
      o += sprintf(o, "\\u%04x", *p);
    else
      *o++ = (char)*p;
  }
  *o = '\0';
  free(s);
  return out;
}

char *oci_error(const char *path, const char *fmt, ...) {
  char *body = NULL, *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&body, fmt, ap) < 0)
    body = NULL;
  va_end(ap);
  if (body == NULL)
    return NULL;
  if (path == NULL || *path == '\0')
    return escape_controls(body);
  if (asprintf(&msg, "%s: %s", path, body) < 0)
    msg = NULL;
  free(body);
  return msg ? escape_controls(msg) : NULL;
}

void *oci_xzalloc(size_t size) {
  void *p = calloc(1, size ? size : 1);
  if (p == NULL)
    abort();
  return p;
}

char *oci_xstrdup(const char *s) {
  if (s == NULL)
    return NULL;
  char *d = strdup(s);
  if (d == NULL)
    abort();
  return d;
}

static size_t path_append(struct oci_path *p, const char *text) {
  size_t mark = p->len;
  size_t room = sizeof(p->buf) - 1 - p->len;
  size_t n = strlen(text);
  if (n > room)
    n = room;
  memcpy(p->buf + p->len, text, n);
  p->len += n;
  p->buf[p->len] = '\0';
  return mark;
}

size_t path_push_key(struct oci_path *p, const char *key) {
  size_t mark = p->len;
  if (p->len > 0)
    path_append(p, ".");
  path_append(p, key);
  return mark;
}

/* Called for every array element parsed or validated: digits by hand,
 * since snprintf costs more than the rest of the element's parse. */
size_t path_push_index(struct oci_path *p, size_t i) {
  char idx[32], *e = idx + sizeof(idx) - 1;
  *e = '\0';
  *--e = ']';
  do
    *--e = (char)('0' + i % 10);
  while ((i /= 10) > 0);
  *--e = '[';
  return path_append(p, e);
}

size_t oci_scalar_size(int kind) {
  switch (kind) {
  case OCI_STRING:
    return sizeof(char *);
  case OCI_BOOL:
    return sizeof(bool);
  case OCI_INT8:
  case OCI_UINT8:
    return 1;
  case OCI_INT16:
  case OCI_UINT16:
    return 2;
  case OCI_INT32:
  case OCI_UINT32:
    return 4;
  case OCI_INT64:
  case OCI_UINT64:
    return 8;
  default:
    return sizeof(void *);
  }
}

size_t oci_elem_size(const struct oci_field *f) {
  if (f->kind == OCI_MAP)
    return f->elem == OCI_OBJECT ? f->type->size : sizeof(oci_kv);
  return f->elem == OCI_OBJECT ? f->type->size : oci_scalar_size(f->elem);
}

bool oci_field_present(const struct oci_field *f, const void *obj) {
  switch (f->kind) {
  case OCI_STRING:
  case OCI_OBJECT:
  case OCI_ARRAY:
  case OCI_MAP:
    return *CMEMBER(obj, f->offset, void *) != NULL;
  default:
    return *CMEMBER(obj, f->aux, bool);
  }
}

static void free_elements(const struct oci_field *f, void *items, size_t n) {
  size_t size = oci_elem_size(f);
  for (size_t i = 0; i < n; i++) {
    char *e = (char *)items + i * size;
    if (f->kind == OCI_MAP) {
      free(((oci_kv *)e)->key);
      if (f->elem != OCI_OBJECT)
        free(((oci_kv *)e)->value);
    }
    if (f->elem == OCI_OBJECT)
      oci_free_members(f->type, e);
    else if (f->elem == OCI_STRING && f->kind == OCI_ARRAY)
      free(*(char **)e);
  }
  free(items);
}

void oci_free_members(const struct oci_type *t, void *obj) {
  for (size_t i = 0; i < t->nfields; i++) {
    const struct oci_field *f = &t->fields[i];
    switch (f->kind) {
    case OCI_STRING:
      free(*MEMBER(obj, f->offset, char *));
      break;
    case OCI_OBJECT:
      oci_free(f->type, *MEMBER(obj, f->offset, void *));
      break;
    case OCI_ARRAY:
    case OCI_MAP:
      free_elements(f, *MEMBER(obj, f->offset, void *),
                    *MEMBER(obj, f->aux, size_t));
      break;
    default:
      break;
    }
  }
}

void oci_free(const struct oci_type *type, void *obj) {
  if (obj == NULL)
    return;
  oci_free_members(type, obj);
  free(obj);
}

/* --- validation -------------------------------------------------------- */

static int check_string(const struct oci_field *f, const char *s,
                        struct oci_path *p, char **err) {
  if ((f->flags & OCI_NONEMPTY) && *s == '\0') {
    *err = oci_error(p->buf, "must not be empty");
    return -1;
  }
  if ((f->flags & OCI_ABSPATH) && *s != '/') {
    *err = oci_error(p->buf, "must be an absolute path, got \"%s\"", s);
    return -1;
  }
  if (f->oneof) {
    for (const char *const *v = f->oneof->values; *v; v++)
      if (strcmp(*v, s) == 0)
        return 0;
    *err = oci_error(p->buf, "unknown %s \"%s\"", f->oneof->what, s);
    return -1;
  }
  return 0;
}

static int check_elements(const struct oci_field *f, const void *items,
                          size_t n, struct oci_path *p, char **err) {
  size_t size = oci_elem_size(f);
  if ((f->flags & OCI_NONEMPTY) && n == 0) {
    *err = oci_error(p->buf, "must not be empty");
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const char *e = (const char *)items + i * size;
    size_t mark = f->kind == OCI_MAP ? path_push_key(p, ((const oci_kv *)e)->key)
                                     : path_push_index(p, i);
    int r = 0;
    if (f->elem == OCI_OBJECT)
      r = oci_validate_at(f->type, e, p, err);
    else if (f->kind == OCI_ARRAY && f->elem == OCI_STRING) {
      /* Element checks other than "not empty" apply to each element. */
      struct oci_field ef = *f;
      ef.flags &= ~OCI_NONEMPTY;
      r = check_string(&ef, *(char *const *)e, p, err);
    }
    path_pop(p, mark);
    if (r < 0)
      return -1;
  }
  return 0;
}

int oci_validate_at(const struct oci_type *t, const void *obj,
                    struct oci_path *p, char **err) {
  for (size_t i = 0; i < t->nfields; i++) {
    const struct oci_field *f = &t->fields[i];
    size_t mark = path_push_key(p, f->name);
    int r = 0;
    if (!oci_field_present(f, obj)) {
      if (f->flags & OCI_REQUIRED) {
        *err = oci_error(p->buf, "missing required field");
        r = -1;
      }
    } else if (f->kind == OCI_STRING) {
      r = check_string(f, *CMEMBER(obj, f->offset, char *), p, err);
    } else if (f->kind == OCI_OBJECT) {
      r = oci_validate_at(f->type, *CMEMBER(obj, f->offset, void *), p, err);
    } else if (f->kind == OCI_ARRAY || f->kind == OCI_MAP) {
      r = check_elements(f, *CMEMBER(obj, f->offset, void *),
                         *CMEMBER(obj, f->aux, size_t), p, err);
    }
    path_pop(p, mark);
    if (r < 0)
      return -1;
  }
  if (t->check && t->check(obj, p->buf, err) < 0) {
    if (*err == NULL)
      *err = oci_error(p->buf, "invalid");
    return -1;
  }
  return 0;
}

int oci_validate(const struct oci_type *type, const void *obj, char **err) {
  struct oci_path p = {.len = 0};
  p.buf[0] = '\0';
  return oci_validate_at(type, obj, &p, err);
}
