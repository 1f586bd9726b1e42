/* cgroup values: conversions and device rules (pure functions).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cgroup-convert.h"

#include "strjoin.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t cg_shares_to_weight(uint64_t shares) {
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cg_blkio_to_io_weight(uint64_t weight) {
  if (weight < 10)
    weight = 10;
  if (weight > 1000)
    weight = 1000;
  return 1 + ((weight - 10) * 9999) / 990;
}

void cg_v2_limit(int64_t v, char buf[CG_VALUE_MAX]) {
  if (v < 0)
    snprintf(buf, CG_VALUE_MAX, "max");
  else
    snprintf(buf, CG_VALUE_MAX, "%" PRId64, v);
}

int cg_swap_to_v2(bool swap_present, int64_t swap, int64_t limit,
                  int64_t *out, husk_error **err) {
  /* v1 cannot have memory+swap below memory: an unlimited memory with no
   * swap given means both unlimited, on v2 as runc does. */
  if (!swap_present || swap == -1) {
    if (swap_present || limit == -1) {
      *out = -1;
      return 1;
    }
    return 0;
  }
  /* 0 is runc's "not set", whatever the JSON says. */
  if (swap == 0)
    return 0;
  if (swap < 0)
    return husk_error_set(err, 0,
                          "linux.resources.memory.swap: %" PRId64
                          " is neither -1 nor a number of bytes",
                          swap);
  if (limit <= 0)
    return husk_error_set(err, 0,
                          "linux.resources.memory.swap: a swap limit needs a "
                          "memory limit (linux.resources.memory.limit)");
  if (swap < limit)
    return husk_error_set(err, 0,
                          "linux.resources.memory.swap: must be >= "
                          "memory.limit (it counts memory and swap together)");
  *out = swap - limit;
  return 1;
}

void cg_cpu_max(bool quota_present, int64_t quota, bool period_present,
                uint64_t period, char buf[CG_VALUE_MAX]) {
  char q[32];
  if (quota_present && quota > 0)
    snprintf(q, sizeof(q), "%" PRId64, quota);
  else
    snprintf(q, sizeof(q), "max");
  if (period_present)
    snprintf(buf, CG_VALUE_MAX, "%s %" PRIu64, q, period);
  else
    snprintf(buf, CG_VALUE_MAX, "%s", q);
}

void cg_io_max_line(int64_t major, int64_t minor, const char *key,
                    uint64_t rate, char buf[CG_VALUE_MAX]) {
  if (rate == 0)
    snprintf(buf, CG_VALUE_MAX, "%" PRId64 ":%" PRId64 " %s=max", major, minor,
             key);
  else
    snprintf(buf, CG_VALUE_MAX, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, major,
             minor, key, rate);
}

bool cg_file_name_ok(const char *name) {
  if (name == NULL || *name == '\0' || strlen(name) > 255 ||
      strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
    return false;
  for (const char *c = name; *c; c++)
    if (*c == '/' || *c <= ' ' || *c == 0x7f)
      return false;
  return true;
}

int cg_rdma_line(const struct oci_linux_rdma *r, char *buf, size_t size) {
  if (!cg_file_name_ok(r->key))
    return -1;
  int n = snprintf(buf, size, "%s", r->key);
  if (r->hca_handles_present)
    n += snprintf(buf + n, size - (size_t)n, " hca_handle=%" PRIu32,
                  r->hca_handles);
  if (r->hca_objects_present)
    n += snprintf(buf + n, size - (size_t)n, " hca_object=%" PRIu32,
                  r->hca_objects);
  return (size_t)n < size ? n : -1;
}

int cg_hugetlb_file(const char *page_size, bool v2, char *buf, size_t size,
                    husk_error **err) {
  size_t digits = strspn(page_size, "0123456789");
  const char *unit = page_size + digits;
  if (digits == 0 || digits > 10 ||
      (strcmp(unit, "KB") != 0 && strcmp(unit, "MB") != 0 &&
       strcmp(unit, "GB") != 0))
    return husk_error_set(err, 0,
                          "pageSize \"%s\" is not a size such as 2MB or 1GB",
                          page_size);
  snprintf(buf, size, "hugetlb.%s.%s", page_size,
           v2 ? "max" : "limit_in_bytes");
  return 0;
}

/* --- device rules ------------------------------------------------------- */

/* What every container may use, whatever its config says (runc's list). */
static const struct cg_dev_rule default_rules[] = {
    {true, 'c', -1, -1, CG_DEV_MKNOD},  {true, 'b', -1, -1, CG_DEV_MKNOD},
    {true, 'c', 1, 3, CG_DEV_RWM},      /* null */
    {true, 'c', 1, 8, CG_DEV_RWM},      /* random */
    {true, 'c', 1, 7, CG_DEV_RWM},      /* full */
    {true, 'c', 5, 0, CG_DEV_RWM},      /* tty */
    {true, 'c', 1, 5, CG_DEV_RWM},      /* zero */
    {true, 'c', 1, 9, CG_DEV_RWM},      /* urandom */
    {true, 'c', 136, -1, CG_DEV_RWM},   /* /dev/pts/N */
    {true, 'c', 5, 2, CG_DEV_RWM},      /* ptmx */
    {true, 'c', 10, 200, CG_DEV_RWM},   /* net/tun */
};

static int device_number(bool present, int64_t v, const char *field, size_t i,
                         int64_t *out, husk_error **err) {
  if (!present || v == -1) {
    *out = -1;
    return 0;
  }
  if (v < 0 || v > UINT32_MAX)
    return husk_error_set(err, 0,
                          "linux.resources.devices[%zu].%s: %" PRId64
                          " is not a device number",
                          i, field, v);
  *out = v;
  return 0;
}

static int device_rule(const struct oci_linux_device_cgroup *d, size_t i,
                       struct cg_dev_rule *r, husk_error **err) {
  r->allow = d->allow;
  if (d->type == NULL || strcmp(d->type, "a") == 0 || *d->type == '\0')
    r->type = 'a';
  else if (strcmp(d->type, "b") == 0 || strcmp(d->type, "c") == 0)
    r->type = d->type[0];
  else
    return husk_error_set(err, 0,
                          "linux.resources.devices[%zu].type: \"%s\" is not "
                          "a, b or c",
                          i, d->type);
  if (device_number(d->major_present, d->major, "major", i, &r->major, err) < 0 ||
      device_number(d->minor_present, d->minor, "minor", i, &r->minor, err) < 0)
    return -1;
  /* An empty access would be a rule about nothing; runc refuses it too. */
  if (d->access == NULL || *d->access == '\0')
    return husk_error_set(err, 0,
                          "linux.resources.devices[%zu].access: must not be "
                          "empty (a subset of \"rwm\")",
                          i);
  r->access = 0;
  for (const char *c = d->access; *c; c++) {
    unsigned bit = *c == 'r' ? CG_DEV_READ
                   : *c == 'w' ? CG_DEV_WRITE
                   : *c == 'm' ? CG_DEV_MKNOD
                               : 0;
    if (bit == 0)
      return husk_error_set(err, 0,
                            "linux.resources.devices[%zu].access: \"%s\" is "
                            "not a subset of \"rwm\"",
                            i, d->access);
    r->access |= bit;
  }
  return 0;
}

int cg_device_rules(const struct oci_linux_device_cgroup *devs, size_t n,
                    struct cg_dev_rule **rules, size_t *len, husk_error **err) {
  size_t nd = sizeof(default_rules) / sizeof(default_rules[0]);
  struct cg_dev_rule *v = calloc(n + nd, sizeof(*v));
  if (v == NULL)
    return husk_error_set(err, ENOMEM, "linux.resources.devices");
  for (size_t i = 0; i < n; i++) {
    if (device_rule(&devs[i], i, &v[i], err) < 0) {
      free(v);
      return -1;
    }
  }
  memcpy(v + n, default_rules, sizeof(default_rules));
  *rules = v;
  *len = n + nd;
  return 0;
}

/* --- the v1 form ----------------------------------------------------------- */

static bool is_everything(const struct cg_dev_rule *r) {
  return r->type == 'a' && r->major == -1 && r->minor == -1 &&
         r->access == CG_DEV_RWM;
}

static bool same_key(const struct cg_dev_rule *a, const struct cg_dev_rule *b) {
  return a->type == b->type && a->major == b->major && a->minor == b->minor;
}

/* Whether every device `b` names is one `a` names (same type). */
static bool covers(const struct cg_dev_rule *a, const struct cg_dev_rule *b) {
  return a->type == b->type && (a->major == -1 || a->major == b->major) &&
         (a->minor == -1 || a->minor == b->minor);
}

/* Whether some device is named by both. */
static bool overlaps(const struct cg_dev_rule *a, const struct cg_dev_rule *b) {
  return a->type == b->type &&
         (a->major == -1 || b->major == -1 || a->major == b->major) &&
         (a->minor == -1 || b->minor == -1 || a->minor == b->minor);
}

static void describe(const struct cg_dev_rule *r, char buf[CG_VALUE_MAX + 8]) {
  char line[CG_VALUE_MAX];
  cg_dev_rule_v1(r, line);
  snprintf(buf, CG_VALUE_MAX + 8, "%s %s", r->allow ? "allow" : "deny", line);
}

/* Apply one single-type rule to the exception list `e` of a list whose
 * default is `default_allow`. */
static int v1_step(struct cg_dev_rule *e, size_t *ne, bool default_allow,
                   const struct cg_dev_rule *r, husk_error **err) {
  if (r->allow != default_allow) {
    /* An exception: merged with the one of the same key, as v1 does. */
    for (size_t i = 0; i < *ne; i++) {
      if (same_key(&e[i], r)) {
        e[i].access |= r->access;
        return 0;
      }
    }
    e[(*ne)++] = *r;
    return 0;
  }
  /* Back towards the default: take the access away from every exception
   * the rule names whole; one it names only in part would need a hole. */
  size_t keep = 0;
  for (size_t i = 0; i < *ne; i++) {
    if (covers(r, &e[i])) {
      e[i].access &= ~r->access;
    } else if (overlaps(r, &e[i]) && (e[i].access & r->access)) {
      char a[CG_VALUE_MAX + 8], b[CG_VALUE_MAX + 8];
      describe(r, a);
      describe(&e[i], b);
      return husk_error_set(err, 0,
                            "linux.resources.devices: \"%s\" after \"%s\" "
                            "cannot be expressed with the cgroup v1 device "
                            "controller",
                            a, b);
    }
    if (e[i].access)
      e[keep++] = e[i];
  }
  *ne = keep;
  return 0;
}

/* v1 allows an access when one exception has all of its bits, where the
 * rules, last match wins, may grant r and w of a device by two rules (allow
 * c 1:3 r, allow c 1:* w).  So for each two exceptions that name a device
 * in common, the exception for what they have in common gets the bits of
 * both, until nothing changes. */
static int v1_close(struct cg_dev_rule **e, size_t *ne, size_t *cap,
                    husk_error **err) {
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < *ne; i++) {
      for (size_t j = 0; j < i; j++) {
        struct cg_dev_rule *a = &(*e)[i], *b = &(*e)[j];
        unsigned both = a->access | b->access;
        /* Nothing to add where one names every device of the other with
         * every bit of it: it answers alone. */
        if (!overlaps(a, b) || (covers(a, b) && both == a->access) ||
            (covers(b, a) && both == b->access))
          continue;
        struct cg_dev_rule k = {
            .allow = a->allow,
            .type = a->type,
            .major = a->major == -1 ? b->major : a->major,
            .minor = a->minor == -1 ? b->minor : a->minor,
            .access = both,
        };
        size_t x = 0;
        while (x < *ne && !same_key(&(*e)[x], &k))
          x++;
        if (x < *ne) {
          if (((*e)[x].access | k.access) == (*e)[x].access)
            continue;
          (*e)[x].access |= k.access;
        } else {
          if (*ne == *cap) {
            if (*cap >= 4096)
              return husk_error_set(err, 0,
                                    "linux.resources.devices: too many "
                                    "overlapping rules for cgroup v1");
            struct cg_dev_rule *m = realloc(*e, 2 * *cap * sizeof(**e));
            if (m == NULL)
              return husk_error_set(err, ENOMEM, "linux.resources.devices");
            *e = m;
            *cap *= 2;
          }
          (*e)[(*ne)++] = k;
        }
        changed = true;
      }
    }
  }
  return 0;
}

int cg_dev_v1_list(const struct cg_dev_rule *rules, size_t n,
                   bool *default_allow, struct cg_dev_rule **out,
                   size_t *len, husk_error **err) {
  /* Everything before the last rule about every device is overridden. */
  size_t start = 0;
  *default_allow = false;
  for (size_t i = 0; i < n; i++) {
    if (is_everything(&rules[i])) {
      start = i + 1;
      *default_allow = rules[i].allow;
    }
  }
  /* Each rule adds at most two exceptions (one per type). */
  size_t cap = 2 * (n - start) + 8;
  struct cg_dev_rule *e = calloc(cap, sizeof(*e));
  if (e == NULL)
    return husk_error_set(err, ENOMEM, "linux.resources.devices");
  size_t ne = 0;
  for (size_t i = start; i < n; i++) {
    struct cg_dev_rule one = rules[i];
    static const char types[] = {'b', 'c'};
    for (size_t t = 0; t < 2; t++) {
      if (rules[i].type != 'a' && rules[i].type != types[t])
        continue;
      one.type = types[t];
      if (v1_step(e, &ne, *default_allow, &one, err) < 0) {
        free(e);
        return -1;
      }
    }
  }
  /* Denials need no closing: v1 refuses an access if any deny exception
   * has any of its bits. */
  if (!*default_allow && v1_close(&e, &ne, &cap, err) < 0) {
    free(e);
    return -1;
  }
  *out = e;
  *len = ne;
  return 0;
}

void cg_dev_rule_v1(const struct cg_dev_rule *r, char buf[CG_VALUE_MAX]) {
  char major[21] = "*", minor[21] = "*", head[3] = {r->type, ' ', '\0'};
  char access[4];
  size_t n = 0;
  if (r->major >= 0)
    fmt_i64(major, r->major);
  if (r->minor >= 0)
    fmt_i64(minor, r->minor);
  if (r->access & CG_DEV_READ)
    access[n++] = 'r';
  if (r->access & CG_DEV_WRITE)
    access[n++] = 'w';
  if (r->access & CG_DEV_MKNOD)
    access[n++] = 'm';
  access[n] = '\0';
  strjoin(buf, CG_VALUE_MAX, head, major, ":", minor, " ", access, NULL);
}
