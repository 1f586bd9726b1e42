/* sd-bus, loaded at run time, and D-Bus values written as GVariant text.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sdbus.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- the library ----------------------------------------------------------- */

static struct sdbus fns;
static bool loaded;

const struct sdbus *sdbus_load(husk_error **err) {
  if (loaded)
    return &fns;
  /* Never closed: the library stays for the life of the process, as any
   * linked one would. */
  void *h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) {
    husk_error_set(err, 0, "the systemd cgroup driver needs libsystemd.so.0: %s",
                   dlerror());
    return NULL;
  }
#define SDBUS_RESOLVE(f)                                                       \
  if ((fns.f = (__typeof__(fns.f))dlsym(h, #f)) == NULL) {                     \
    husk_error_set(err, 0, "libsystemd.so.0 lacks %s (systemd too old?)", #f); \
    dlclose(h);                                                                \
    return NULL;                                                               \
  }
  SDBUS_FUNCTIONS(SDBUS_RESOLVE)
#undef SDBUS_RESOLVE
  /* A static husk loads libsystemd's libc.so.6 next to its own glibc,
   * which glibc supports only for the same release (the internal
   * interface between the two is private): refuse another one before
   * sd-bus runs. */
  const char *(*libc_version)(void) =
      (const char *(*)(void))dlsym(h, "gnu_get_libc_version");
  fns.free = (void (*)(void *))dlsym(h, "free");
  if (libc_version == NULL || fns.free == NULL ||
      strcmp(libc_version(), gnu_get_libc_version()) != 0) {
    husk_error_set(err, 0,
                   "libsystemd.so.0 loads glibc %s, husk was linked with "
                   "glibc %s: rebuild husk (or configure it with "
                   "--disable-static-binary)",
                   libc_version ? libc_version() : "(unknown)",
                   gnu_get_libc_version());
    dlclose(h);
    return NULL;
  }
  loaded = true;
  return &fns;
}

/* --- GVariant text --------------------------------------------------------- */

/* The type keywords of GVariant's text form that map to a D-Bus basic
 * type husk can send ("handle" cannot be: it names a file descriptor). */
static const struct {
  const char *word;
  char type;
} keywords[] = {
    {"boolean", 'b'}, {"byte", 'y'},    {"int16", 'n'},      {"uint16", 'q'},
    {"int32", 'i'},   {"uint32", 'u'},  {"int64", 'x'},      {"uint64", 't'},
    {"double", 'd'},  {"string", 's'},  {"objectpath", 'o'}, {"signature", 'g'},
};

#define BASIC_TYPES "bynqiuxtdsog"

struct cursor {
  const char *start, *p;
  husk_error **err;
};

static int fail(struct cursor *c, const char *what) {
  return husk_error_set(c->err, 0, "%s at character %zu", what,
                        (size_t)(c->p - c->start) + 1);
}

static void skip_space(struct cursor *c) {
  while (isspace((unsigned char)*c->p))
    c->p++;
}

static bool is_string_type(char t) {
  return t == 's' || t == 'o' || t == 'g';
}

static bool is_number_type(char t) {
  return t != 0 && strchr("ynqiuxtd", t) != NULL;
}

/* "@t", "@as": the type annotation, or 0 when there is none. */
static int parse_annotation(struct cursor *c, char *type, bool *array) {
  *type = 0;
  *array = false;
  if (*c->p != '@')
    return 0;
  c->p++;
  if (*c->p == 'a') {
    *array = true;
    c->p++;
  }
  if (*c->p == '\0' || strchr(BASIC_TYPES, *c->p) == NULL)
    return fail(c, "unsupported type annotation");
  *type = *c->p++;
  if (*c->p != '\0' && *c->p != '[' && !isspace((unsigned char)*c->p))
    return fail(c, "unsupported type annotation");
  skip_space(c);
  return 0;
}

/* A type keyword followed by space ("uint64 5"), or 0 when there is none. */
static int parse_keyword(struct cursor *c, char *type) {
  *type = 0;
  size_t len = 0;
  while (islower((unsigned char)c->p[len]) || isdigit((unsigned char)c->p[len]))
    len++;
  if (len == 0 || !isspace((unsigned char)c->p[len]))
    return 0;
  for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
    if (strlen(keywords[i].word) == len &&
        strncmp(c->p, keywords[i].word, len) == 0) {
      *type = keywords[i].type;
      c->p += len;
      skip_space(c);
      return 0;
    }
  }
  /* Not a keyword ("true ", "inf "): the value itself says what it is. */
  return 0;
}

static void put_utf8(char **out, uint32_t cp) {
  char *o = *out;
  if (cp < 0x80) {
    *o++ = (char)cp;
  } else if (cp < 0x800) {
    *o++ = (char)(0xc0 | cp >> 6);
    *o++ = (char)(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    *o++ = (char)(0xe0 | cp >> 12);
    *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
    *o++ = (char)(0x80 | (cp & 0x3f));
  } else {
    *o++ = (char)(0xf0 | cp >> 18);
    *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
    *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
    *o++ = (char)(0x80 | (cp & 0x3f));
  }
  *out = o;
}

/* \uXXXX or \UXXXXXXXX, the digits at c->p. */
static int parse_codepoint(struct cursor *c, int digits, uint32_t *cp) {
  *cp = 0;
  for (int i = 0; i < digits; i++, c->p++) {
    if (!isxdigit((unsigned char)*c->p))
      return fail(c, "bad unicode escape");
    int d = *c->p;
    *cp = *cp * 16 + (uint32_t)(isdigit(d) ? d - '0' : tolower(d) - 'a' + 10);
  }
  if (*cp == 0 || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
    return fail(c, "bad unicode escape");
  return 0;
}

/* A string in single or double quotes, with GVariant's escapes. */
static int parse_string(struct cursor *c, char **out) {
  char quote = *c->p++;
  /* Escapes only shrink the text, \u's UTF-8 at most as long as it. */
  char *buf = malloc(strlen(c->p) + 1), *o = buf;
  if (buf == NULL)
    return husk_error_set(c->err, ENOMEM, "string");
  for (;;) {
    char ch = *c->p++;
    if (ch == '\0') {
      c->p--;
      free(buf);
      return fail(c, "unterminated string");
    }
    if (ch == quote)
      break;
    if (ch != '\\') {
      *o++ = ch;
      continue;
    }
    uint32_t cp;
    switch ((ch = *c->p++)) {
    case 'a': *o++ = '\a'; break;
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'v': *o++ = '\v'; break;
    case '\\': case '\'': case '"': *o++ = ch; break;
    case 'u':
    case 'U':
      if (parse_codepoint(c, ch == 'u' ? 4 : 8, &cp) < 0) {
        free(buf);
        return -1;
      }
      put_utf8(&o, cp);
      break;
    default:
      c->p -= ch ? 2 : 1;
      free(buf);
      return fail(c, "unknown escape in string");
    }
  }
  *o = '\0';
  *out = buf;
  return 0;
}

/* The characters a number may be written with (sign, digits, hex, decimal
 * point, exponent, inf, nan). */
static size_t number_len(const char *p) {
  size_t n = 0;
  while (isalnum((unsigned char)p[n]) || p[n] == '+' || p[n] == '-' ||
         p[n] == '.')
    n++;
  return n;
}

/* GVariant's rule for an untyped number: a double when written as one. */
static bool looks_decimal(const char *tok) {
  const char *p = tok + (*tok == '-' || *tok == '+');
  if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 ||
      strcasecmp(p, "nan") == 0)
    return true;
  if (!isdigit((unsigned char)p[0]) && p[0] != '.')
    return false;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    return false;
  return strpbrk(p, ".eE") != NULL;
}

static int parse_signed(struct cursor *c, const char *tok, size_t len,
                        int64_t min, int64_t max, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(tok, &end, 0);
  if ((size_t)(end - tok) != len || errno == ERANGE || v < min || v > max)
    return fail(c, "integer out of range or malformed");
  *out = v;
  return 0;
}

static int parse_unsigned(struct cursor *c, const char *tok, size_t len,
                          uint64_t max, uint64_t *out) {
  char *end;
  errno = 0;
  if (tok[0] == '-')
    return fail(c, "negative value for an unsigned type");
  unsigned long long v = strtoull(tok, &end, 0);
  if ((size_t)(end - tok) != len || errno == ERANGE || v > max)
    return fail(c, "integer out of range or malformed");
  *out = v;
  return 0;
}

/* A number of type `type` (0: int32, or double when it has a decimal point
 * or an exponent). */
static int parse_number(struct cursor *c, char *type, union sdbus_scalar *v) {
  size_t len = number_len(c->p);
  char tok[128];
  if (len == 0 || len >= sizeof(tok))
    return fail(c, "expected a value");
  memcpy(tok, c->p, len);
  tok[len] = '\0';
  if (*type == 0 && isalpha((unsigned char)tok[0]) && !looks_decimal(tok))
    return fail(c, "unquoted text (strings are written in quotes)");
  if (*type == 0)
    *type = looks_decimal(tok) ? 'd' : 'i';
  int64_t s;
  uint64_t u;
  int r = 0;
  switch (*type) {
  case 'y': if ((r = parse_unsigned(c, tok, len, UINT8_MAX, &u)) == 0) v->y = (uint8_t)u; break;
  case 'q': if ((r = parse_unsigned(c, tok, len, UINT16_MAX, &u)) == 0) v->q = (uint16_t)u; break;
  case 'u': if ((r = parse_unsigned(c, tok, len, UINT32_MAX, &u)) == 0) v->u = (uint32_t)u; break;
  case 't': if ((r = parse_unsigned(c, tok, len, UINT64_MAX, &u)) == 0) v->t = u; break;
  case 'n': if ((r = parse_signed(c, tok, len, INT16_MIN, INT16_MAX, &s)) == 0) v->n = (int16_t)s; break;
  case 'i': if ((r = parse_signed(c, tok, len, INT32_MIN, INT32_MAX, &s)) == 0) v->i = (int32_t)s; break;
  case 'x': if ((r = parse_signed(c, tok, len, INT64_MIN, INT64_MAX, &s)) == 0) v->x = s; break;
  case 'd': {
    char *end;
    errno = 0;
    v->d = strtod(tok, &end);
    if ((size_t)(end - tok) != len || errno == ERANGE)
      r = fail(c, "malformed number");
    break;
  }
  default:
    return fail(c, "a number where another type is expected");
  }
  if (r == 0)
    c->p += len;
  return r;
}

static bool word_at(const char *p, const char *w) {
  size_t n = strlen(w);
  return strncmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/* One scalar; `*type` is what the context requires, or 0 to infer it. */
static int parse_scalar(struct cursor *c, char *type, union sdbus_scalar *v) {
  char kw;
  if (parse_keyword(c, &kw) < 0)
    return -1;
  if (kw) {
    if (*type && *type != kw)
      return fail(c, "type keyword disagrees with the value's type");
    *type = kw;
  }
  if (*c->p == '\'' || *c->p == '"') {
    if (*type && !is_string_type(*type))
      return fail(c, "a string where another type is expected");
    if (*type == 0)
      *type = 's';
    return parse_string(c, &v->s);
  }
  if (word_at(c->p, "true") || word_at(c->p, "false")) {
    if (*type && *type != 'b')
      return fail(c, "a boolean where another type is expected");
    *type = 'b';
    v->b = *c->p == 't';
    c->p += v->b ? 4 : 5;
    return 0;
  }
  if (*type == 'b' || is_string_type(*type))
    return fail(c, *type == 'b' ? "expected true or false" : "expected a quoted string");
  return parse_number(c, type, v);
}

static int grow(struct cursor *c, struct sdbus_value *v, size_t *cap) {
  if (v->n < *cap)
    return 0;
  size_t ncap = *cap ? *cap * 2 : 4;
  union sdbus_scalar *nv = realloc(v->v, ncap * sizeof(*nv));
  if (nv == NULL)
    return husk_error_set(c->err, ENOMEM, "value");
  v->v = nv;
  *cap = ncap;
  return 0;
}

/* [ elem, elem, ... ]: every element of the one type. */
static int parse_array(struct cursor *c, struct sdbus_value *v) {
  size_t cap = 0;
  c->p++;
  skip_space(c);
  if (*c->p == ']') {
    c->p++;
    return v->type ? 0 : fail(c, "an empty array needs a type (\"@as []\")");
  }
  for (;;) {
    if (grow(c, v, &cap) < 0)
      return -1;
    char t = v->type;
    if (parse_scalar(c, &t, &v->v[v->n]) < 0)
      return -1;
    v->type = t;
    v->n++;
    skip_space(c);
    if (*c->p == ']') {
      c->p++;
      return 0;
    }
    if (*c->p != ',')
      return fail(c, "expected ',' or ']'");
    c->p++;
    skip_space(c);
  }
}

int sdbus_value_parse(const char *text, struct sdbus_value *v,
                      husk_error **err) {
  struct cursor c = {.start = text, .p = text, .err = err};
  *v = (struct sdbus_value){0};
  skip_space(&c);
  if (parse_annotation(&c, &v->type, &v->array) < 0)
    goto fail;
  if (*c.p == '[') {
    if (v->type && !v->array) {
      fail(&c, "an array where a scalar type is annotated");
      goto fail;
    }
    v->array = true;
    if (parse_array(&c, v) < 0)
      goto fail;
  } else {
    if (v->array) {
      fail(&c, "expected '['");
      goto fail;
    }
    v->v = calloc(1, sizeof(*v->v));
    if (v->v == NULL) {
      husk_error_set(err, ENOMEM, "value");
      goto fail;
    }
    if (parse_scalar(&c, &v->type, v->v) < 0)
      goto fail;
    v->n = 1;
  }
  skip_space(&c);
  if (*c.p != '\0') {
    fail(&c, "unexpected text after the value");
    goto fail;
  }
  return 0;
fail:
  sdbus_value_clear(v);
  return -1;
}

void sdbus_value_clear(struct sdbus_value *v) {
  if (is_string_type(v->type))
    for (size_t i = 0; i < v->n; i++)
      free(v->v[i].s);
  free(v->v);
  *v = (struct sdbus_value){0};
}

int sdbus_value_seconds_to_usec(const struct sdbus_value *v, uint64_t *usec,
                                husk_error **err) {
  if (v->array || !is_number_type(v->type))
    return husk_error_set(err, 0, "expected a number of seconds");
  const union sdbus_scalar *s = v->v;
  double secs;
  switch (v->type) {
  case 'y': secs = s->y; break;
  case 'n': secs = s->n; break;
  case 'q': secs = s->q; break;
  case 'i': secs = s->i; break;
  case 'u': secs = s->u; break;
  case 'x': secs = (double)s->x; break;
  case 't':
    /* Exact for integers, which a double is not above 2^53. */
    if (s->t > UINT64_MAX / 1000000)
      return husk_error_set(err, 0, "number of seconds too large");
    *usec = s->t * 1000000;
    return 0;
  default: secs = s->d; break;
  }
  if (!(secs >= 0) || secs >= (double)UINT64_MAX / 1e6)
    return husk_error_set(err, 0, "number of seconds out of range");
  *usec = (uint64_t)(secs * 1e6 + 0.5); // rounded: 0.1 s is 100000 us, not 99999
  return 0;
}

static const void *scalar_ptr(char type, const union sdbus_scalar *s) {
  /* sd-bus takes strings themselves and other values by address. */
  return is_string_type(type) ? (const void *)s->s : (const void *)s;
}

int sdbus_append_value(const struct sdbus *S, sd_bus_message *m,
                       const struct sdbus_value *v) {
  char sig[3] = {0};
  snprintf(sig, sizeof(sig), "%s%c", v->array ? "a" : "", v->type);
  int r = S->sd_bus_message_open_container(m, 'v', sig);
  if (r < 0)
    return r;
  if (v->array && (r = S->sd_bus_message_open_container(m, 'a', sig + 1)) < 0)
    return r;
  for (size_t i = 0; i < v->n; i++)
    if ((r = S->sd_bus_message_append_basic(m, v->type,
                                            scalar_ptr(v->type, &v->v[i]))) < 0)
      return r;
  if (v->array && (r = S->sd_bus_message_close_container(m)) < 0)
    return r;
  return S->sd_bus_message_close_container(m);
}
