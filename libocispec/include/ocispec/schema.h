/* libocispec: the generic, table-driven JSON reader and writer.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every JSON document husk reads or writes is described by a static table of
 * fields (struct oci_type).  One reader and one writer walk those tables; no
 * struct has a hand-written parser.  The conventions a struct must follow so
 * that the tables can describe it:
 *
 *   string          char *NAME;                       NULL when absent
 *   bool / integer  T NAME; bool NAME_present;         present bit, so that an
 *                                                      absent value can mean
 *                                                      "leave untouched"
 *   object          struct oci_x *NAME;               NULL when absent
 *   array           T *NAME; size_t NAME_len;          T is char *, an integer
 *                                                      type, or a struct held
 *                                                      inline (not a pointer)
 *                   bool NAME_present is not needed:   NAME != NULL tells an
 *                                                      empty array from none
 *   map             T *NAME; size_t NAME_len;          T's first member is
 *                                                      char *key; for string
 *                                                      maps T is oci_kv
 *
 * Arrays that are present but empty have NAME != NULL and NAME_len == 0, so
 * that `"args": []` and no "args" round-trip differently.
 */
#ifndef OCISPEC_SCHEMA_H
#define OCISPEC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum oci_kind {
  OCI_STRING = 1,
  OCI_BOOL,
  OCI_INT8,
  OCI_UINT8,
  OCI_INT16,
  OCI_UINT16,
  OCI_INT32,
  OCI_UINT32,
  OCI_INT64,
  OCI_UINT64,
  OCI_OBJECT, /* pointer to a struct described by .type */
  OCI_ARRAY,  /* elements of kind .elem (.type for objects) */
  OCI_MAP,    /* JSON object with free keys; values of kind .elem */
};

/* Field flags. */
enum {
  OCI_REQUIRED = 1 << 0, /* missing is an error */
  OCI_ABSPATH = 1 << 1,  /* string must start with '/' */
  OCI_NONEMPTY = 1 << 2, /* string must not be "", array must have an element */
  OCI_PRIVATE = 1 << 3,  /* husk's own: read, but written only on request */
};

/* A closed set of string values; `what` names it in errors:
 * `linux.namespaces[2].type: unknown namespace "pdi"`. */
struct oci_enum {
  const char *what;
  const char *const *values; /* NULL-terminated */
};

struct oci_type;

struct oci_field {
  const char *name;            /* JSON key */
  uint8_t kind;                /* enum oci_kind */
  uint8_t elem;                /* element kind, for OCI_ARRAY and OCI_MAP */
  uint16_t flags;              /* OCI_REQUIRED | ... */
  uint32_t offset;             /* offset of the member */
  uint32_t aux;                /* offset of NAME_present (scalars) or NAME_len */
  const struct oci_type *type; /* OCI_OBJECT, or object elements */
  const struct oci_enum *oneof; /* string (or string elements) restricted */
};

/* Cross-field rules that a field table cannot say.  `path` is the JSON path
 * of the object ("" at the top); on failure return -1 and set *err with
 * oci_error(). */
typedef int (*oci_check_fn)(const void *obj, const char *path, char **err);

struct oci_type {
  const char *name; /* C struct name, for debugging */
  size_t size;
  const struct oci_field *fields;
  size_t nfields;
  oci_check_fn check; /* may be NULL */
};

/* Element of a string-to-string map (annotations, sysctl, unified, ...). */
typedef struct oci_kv {
  char *key;
  char *value;
} oci_kv;

extern const struct oci_type oci_kv_type; /* for OCI_MAP of strings */

/* --- table helpers ------------------------------------------------------ */

#define OCI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define OCI_STR(S, json, m, fl, en)                                            \
  { json, OCI_STRING, 0, fl, offsetof(S, m), 0, NULL, en }
#define OCI_SCALAR(S, json, m, k, fl)                                          \
  { json, k, 0, fl, offsetof(S, m), offsetof(S, m##_present), NULL, NULL }
#define OCI_OBJ(S, json, m, t, fl)                                             \
  { json, OCI_OBJECT, 0, fl, offsetof(S, m), 0, &(t), NULL }
#define OCI_ARR(S, json, m, ek, t, fl, en)                                     \
  { json, OCI_ARRAY, ek, fl, offsetof(S, m), offsetof(S, m##_len), t, en }
#define OCI_MAPOF(S, json, m, ek, t, fl)                                       \
  { json, OCI_MAP, ek, fl, offsetof(S, m), offsetof(S, m##_len), t, NULL }

#define OCI_STRINGIFY_(x) #x
#define OCI_STRINGIFY(x) OCI_STRINGIFY_(x) /* expands S before quoting it */
#define OCI_TYPE(var, S, fieldtab, checkfn)                                    \
  const struct oci_type var = {OCI_STRINGIFY(S), sizeof(S), fieldtab,          \
                               OCI_COUNT(fieldtab), checkfn}

/* --- the generic reader and writer ---------------------------------------- */

/* Parse `len` bytes of JSON into a new object of `type`.  On failure returns
 * -1, sets *err to a malloc'ed one-line message ("linux.namespaces[2].type:
 * unknown namespace \"pdi\"", or "line 3, column 7: malformed JSON: ...")
 * and *out is untouched. */
int oci_parse(const struct oci_type *type, const char *buf, size_t len,
              void **out, char **err);

/* Same, reading a file; the message does not name the file (the caller
 * knows what it is called to the user). */
int oci_parse_file(const struct oci_type *type, const char *path, void **out,
                   char **err);

enum {
  OCI_GEN_PRETTY = 1 << 0,  /* indented, for files people read */
  OCI_GEN_PRIVATE = 1 << 1, /* include OCI_PRIVATE fields */
};

/* Serialize `obj` to a malloc'ed NUL-terminated string. */
int oci_generate(const struct oci_type *type, const void *obj, unsigned flags,
                 char **out, size_t *len, char **err);

/* Free an object and everything it owns (NULL is fine). */
void oci_free(const struct oci_type *type, void *obj);

/* Run the table's checks (required, enum, abspath, check fns) on an object
 * built in C, as the reader does on parsed input. */
int oci_validate(const struct oci_type *type, const void *obj, char **err);

/* Build a malloc'ed message "PATH: FMT..." (or "FMT..." for an empty path). */
char *oci_error(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Helpers for code that builds objects by hand (husk spec, state).  They
 * abort on allocation failure: such objects are tiny. */
void *oci_xzalloc(size_t size);
char *oci_xstrdup(const char *s);

#ifdef __cplusplus
}
#endif
#endif
