/* The generic reader: a JSON tree into C structs, driven by field tables.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reading is two passes: this file converts values (types and integer
 * ranges), then oci_validate_at() applies the rules of the tables (required,
 * enumerations, absolute paths, check functions).  The same validation thus
 * serves documents that husk builds in C.
 */
#include "config.h"

#include "internal.h"
#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_object(const struct oci_type *t, const struct jnode *n,
                       void *obj, struct oci_path *p, char **err);

static int type_error(const char *want, const struct jnode *n,
                      struct oci_path *p, char **err) {
  *err = oci_error(p->buf, "expected %s, got %s", want, jtype_name(n->type));
  return -1;
}

static const char *kind_name(int kind) {
  static const char *const names[] = {
      [OCI_INT8] = "int8",     [OCI_UINT8] = "uint8",   [OCI_INT16] = "int16",
      [OCI_UINT16] = "uint16", [OCI_INT32] = "int32",   [OCI_UINT32] = "uint32",
      [OCI_INT64] = "int64",   [OCI_UINT64] = "uint64",
  };
  return names[kind];
}

/* Convert number text to the C integer `kind` at `dst`, refusing fractions,
 * exponents and values the type cannot hold. */
static int read_integer(int kind, const struct jnode *n, void *dst,
                        struct oci_path *p, char **err) {
  if (n->type != J_NUMBER)
    return type_error("integer", n, p, err);
  if (strpbrk(n->str, ".eE")) {
    *err = oci_error(p->buf, "expected integer, got %s", n->str);
    return -1;
  }
  bool is_signed = kind == OCI_INT8 || kind == OCI_INT16 || kind == OCI_INT32 ||
                   kind == OCI_INT64;
  char *end;
  errno = 0;
  if (is_signed) {
    long long v = strtoll(n->str, &end, 10);
    static const long long lo[] = {[OCI_INT8] = INT8_MIN, [OCI_INT16] = INT16_MIN,
                                   [OCI_INT32] = INT32_MIN, [OCI_INT64] = INT64_MIN};
    static const long long hi[] = {[OCI_INT8] = INT8_MAX, [OCI_INT16] = INT16_MAX,
                                   [OCI_INT32] = INT32_MAX, [OCI_INT64] = INT64_MAX};
    if (errno == ERANGE || *end || v < lo[kind] || v > hi[kind])
      goto range;
    switch (kind) {
    case OCI_INT8: *(int8_t *)dst = (int8_t)v; break;
    case OCI_INT16: *(int16_t *)dst = (int16_t)v; break;
    case OCI_INT32: *(int32_t *)dst = (int32_t)v; break;
    default: *(int64_t *)dst = v; break;
    }
    return 0;
  }
  if (n->str[0] == '-')
    goto range;
  unsigned long long v = strtoull(n->str, &end, 10);
  static const unsigned long long max[] = {
      [OCI_UINT8] = UINT8_MAX, [OCI_UINT16] = UINT16_MAX,
      [OCI_UINT32] = UINT32_MAX, [OCI_UINT64] = UINT64_MAX};
  if (errno == ERANGE || *end || v > max[kind])
    goto range;
  switch (kind) {
  case OCI_UINT8: *(uint8_t *)dst = (uint8_t)v; break;
  case OCI_UINT16: *(uint16_t *)dst = (uint16_t)v; break;
  case OCI_UINT32: *(uint32_t *)dst = (uint32_t)v; break;
  default: *(uint64_t *)dst = v; break;
  }
  return 0;
range:
  *err = oci_error(p->buf, "%s is out of range for %s", n->str, kind_name(kind));
  return -1;
}

static int read_string(const struct jnode *n, char **dst, struct oci_path *p,
                       char **err) {
  if (n->type != J_STRING)
    return type_error("string", n, p, err);
  /* C strings end at NUL: a path that hides bytes after one could mean
   * something else to the kernel than to whoever checked it. */
  if (strlen(n->str) != n->len) {
    *err = oci_error(p->buf, "string contains a NUL byte");
    return -1;
  }
  char *s = strdup(n->str);
  if (s == NULL) {
    *err = oci_error(p->buf, "out of memory");
    return -1;
  }
  free(*dst);
  *dst = s;
  return 0;
}

/* One scalar or object of kind `kind` into `dst`. */
static int read_value(int kind, const struct oci_type *sub, const struct jnode *n,
                      void *dst, struct oci_path *p, char **err) {
  switch (kind) {
  case OCI_STRING:
    return read_string(n, dst, p, err);
  case OCI_BOOL:
    if (n->type != J_BOOL)
      return type_error("boolean", n, p, err);
    *(bool *)dst = n->boolean;
    return 0;
  case OCI_OBJECT:
    if (n->type != J_OBJECT)
      return type_error("object", n, p, err);
    return read_object(sub, n, dst, p, err);
  default:
    return read_integer(kind, n, dst, p, err);
  }
}

static int read_elements(const struct oci_field *f, const struct jnode *n,
                         void *obj, struct oci_path *p, char **err) {
  bool is_map = f->kind == OCI_MAP;
  if (n->type != (is_map ? J_OBJECT : J_ARRAY))
    return type_error(is_map ? "object" : "array", n, p, err);
  size_t size = oci_elem_size(f);
  char *items = calloc(n->len ? n->len : 1, size);
  if (items == NULL) {
    *err = oci_error(p->buf, "out of memory");
    return -1;
  }
  /* Replace what a duplicate key left; the new array owns its elements
   * from the start, so a failure part way is freed as a whole. */
  void **slot = MEMBER(obj, f->offset, void *);
  size_t *count = MEMBER(obj, f->aux, size_t);
  struct oci_field only = *f;
  oci_free_members(&(struct oci_type){"", 0, &only, 1, NULL}, obj);
  *slot = items;
  *count = 0;
  for (size_t i = 0; i < n->len; i++) {
    char *e = items + i * size;
    size_t mark;
    const struct jnode *v = n->items[i];
    int r;
    (*count)++;
    if (is_map) {
      mark = path_push_key(p, n->keys[i]);
      ((oci_kv *)e)->key = strdup(n->keys[i]);
      if (((oci_kv *)e)->key == NULL) {
        *err = oci_error(p->buf, "out of memory");
        r = -1;
      } else if (f->elem == OCI_OBJECT) {
        r = v->type == J_OBJECT ? read_object(f->type, v, e, p, err)
                                : type_error("object", v, p, err);
      } else {
        r = read_string(v, &((oci_kv *)e)->value, p, err);
      }
    } else {
      mark = path_push_index(p, i);
      if (f->elem == OCI_OBJECT)
        r = v->type == J_OBJECT ? read_object(f->type, v, e, p, err)
                                : type_error("object", v, p, err);
      else
        r = read_value(f->elem, NULL, v, e, p, err);
    }
    path_pop(p, mark);
    if (r < 0)
      return -1;
  }
  return 0;
}

static const struct oci_field *find_field(const struct oci_type *t,
                                          const char *name) {
  for (size_t i = 0; i < t->nfields; i++)
    if (strcmp(t->fields[i].name, name) == 0)
      return &t->fields[i];
  return NULL;
}

static int read_field(const struct oci_field *f, const struct jnode *v,
                      void *obj, struct oci_path *p, char **err) {
  switch (f->kind) {
  case OCI_OBJECT: {
    if (v->type != J_OBJECT)
      return type_error("object", v, p, err);
    void **slot = MEMBER(obj, f->offset, void *);
    oci_free(f->type, *slot);
    *slot = calloc(1, f->type->size);
    if (*slot == NULL) {
      *err = oci_error(p->buf, "out of memory");
      return -1;
    }
    return read_object(f->type, v, *slot, p, err);
  }
  case OCI_ARRAY:
  case OCI_MAP:
    return read_elements(f, v, obj, p, err);
  case OCI_STRING:
    return read_string(v, MEMBER(obj, f->offset, char *), p, err);
  default:
    if (read_value(f->kind, NULL, v, MEMBER(obj, f->offset, void), p, err) < 0)
      return -1;
    *MEMBER(obj, f->aux, bool) = true;
    return 0;
  }
}

/* Fill `obj` (zeroed by the caller) from object node `n`.  Unknown keys are
 * ignored, as the runtime-spec requires; null means absent, as in Go. */
static int read_object(const struct oci_type *t, const struct jnode *n,
                       void *obj, struct oci_path *p, char **err) {
  for (size_t i = 0; i < n->len; i++) {
    const struct oci_field *f = find_field(t, n->keys[i]);
    const struct jnode *v = n->items[i];
    if (f == NULL || v->type == J_NULL)
      continue;
    size_t mark = path_push_key(p, f->name);
    int r = read_field(f, v, obj, p, err);
    path_pop(p, mark);
    if (r < 0)
      return -1;
  }
  return 0;
}

int oci_parse(const struct oci_type *type, const char *buf, size_t len,
              void **out, char **err) {
  struct jnode *root = NULL;
  *err = NULL;
  if (jtree_parse(buf, len, &root, err) < 0)
    return -1;
  struct oci_path p = {.len = 0};
  p.buf[0] = '\0';
  void *obj = NULL;
  int r = -1;
  if (root->type != J_OBJECT) {
    *err = oci_error("", "expected a JSON object, got %s", jtype_name(root->type));
    goto out;
  }
  obj = calloc(1, type->size);
  if (obj == NULL) {
    *err = oci_error("", "out of memory");
    goto out;
  }
  if (read_object(type, root, obj, &p, err) < 0)
    goto out;
  path_pop(&p, 0);
  if (oci_validate_at(type, obj, &p, err) < 0)
    goto out;
  *out = obj;
  obj = NULL;
  r = 0;
out:
  oci_free(type, obj);
  jtree_free(root);
  return r;
}

/* Documents larger than this are not configuration. */
#define MAX_DOCUMENT (64u << 20)

int oci_parse_file(const struct oci_type *type, const char *path, void **out,
                   char **err) {
  *err = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *err = oci_error("", "open: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  char *buf = NULL;
  size_t len = 0;
  int r = -1;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_DOCUMENT) {
    *err = oci_error("", "not a regular file of at most 64 MiB");
    goto out;
  }
  buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL) {
    *err = oci_error("", "out of memory");
    goto out;
  }
  while (len < (size_t)st.st_size) {
    ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      *err = oci_error("", "read: %s", strerror(errno));
      goto out;
    }
    if (n == 0)
      break;
    len += (size_t)n;
  }
  r = oci_parse(type, buf, len, out, err);
out:
  free(buf);
  close(fd);
  return r;
}
