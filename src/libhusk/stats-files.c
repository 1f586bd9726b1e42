/* Parsers for the small text files of a cgroup, for the statistics.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Files are opened relative to the cgroup's directory fd, so that a cgroup
 * removed while we read fails cleanly instead of reading another one.
 */
#include "config.h"

#include "stats-internal.h"

#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

FILE *stats_open(int dirfd, const char *name) {
  if (dirfd < 0) {
    errno = ENOENT;
    return NULL;
  }
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  FILE *f = fdopen(fd, "r");
  if (f == NULL)
    close(fd);
  return f;
}

/* "max" is the kernel's word for no limit (v2, pids.max). */
static int parse_u64(const char *s, uint64_t *v) {
  if (strncmp(s, "max", 3) == 0 && (s[3] == '\0' || s[3] == '\n')) {
    *v = UINT64_MAX;
    return 0;
  }
  char *end;
  errno = 0;
  unsigned long long n = strtoull(s, &end, 10);
  if (errno || end == s || (*end != '\0' && *end != '\n' && *end != ' '))
    return -1;
  *v = n;
  return 0;
}

static int read_line(int dirfd, const char *name, char *buf, size_t size) {
  cleanup_fclose FILE *f = stats_open(dirfd, name);
  if (f == NULL || fgets(buf, (int)size, f) == NULL)
    return -1;
  return 0;
}

int stats_read_u64(int dirfd, const char *name, uint64_t *v) {
  char buf[64];
  if (read_line(dirfd, name, buf, sizeof(buf)) < 0)
    return -1;
  return parse_u64(buf, v);
}

int stats_read_i64(int dirfd, const char *name, int64_t *v) {
  char buf[64], *end;
  if (read_line(dirfd, name, buf, sizeof(buf)) < 0)
    return -1;
  errno = 0;
  long long n = strtoll(buf, &end, 10);
  if (errno || end == buf)
    return -1;
  *v = n;
  return 0;
}

int stats_each_pair(int dirfd, const char *name,
                    int (*fn)(const char *key, uint64_t value, void *data),
                    void *data) {
  cleanup_fclose FILE *f = stats_open(dirfd, name);
  if (f == NULL)
    return 0;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char *sp = strchr(line, ' ');
    uint64_t v;
    if (sp == NULL)
      continue;
    *sp = '\0';
    if (parse_u64(sp + 1, &v) == 0 && fn(line, v, data) < 0)
      return -1;
  }
  return 0;
}

struct find_key {
  const char *key;
  uint64_t *v;
  bool found;
};

static int match_key(const char *key, uint64_t value, void *data) {
  struct find_key *fk = data;
  if (!fk->found && strcmp(key, fk->key) == 0) {
    *fk->v = value;
    fk->found = true;
  }
  return 0;
}

int stats_read_key(int dirfd, const char *name, const char *key, uint64_t *v) {
  struct find_key fk = {.key = key, .v = v};
  stats_each_pair(dirfd, name, match_key, &fk);
  return fk.found ? 0 : -1;
}

int stats_list_push(struct stats_u64_list *l, uint64_t v) {
  /* Grow by powers of two: n is a power of two exactly when full. */
  if (l->n == 0 || (l->n & (l->n - 1)) == 0) {
    size_t cap = l->n ? l->n * 2 : 4;
    uint64_t *nv = realloc(l->v, cap * sizeof(*nv));
    if (nv == NULL)
      return -1;
    l->v = nv;
  }
  l->v[l->n++] = v;
  return 0;
}

/* "0-3,7": a kernel-made list, so a malformed one ends the parse. */
static int parse_ranges(const char *s, struct stats_u64_list *l) {
  while (*s && *s != '\n') {
    char *end;
    unsigned long long lo = strtoull(s, &end, 10), hi = lo;
    if (end == s)
      return 0;
    if (*end == '-') {
      s = end + 1;
      hi = strtoull(s, &end, 10);
      if (end == s || hi < lo || hi - lo > 65536)
        return 0;
    }
    for (unsigned long long i = lo; i <= hi; i++)
      if (stats_list_push(l, i) < 0)
        return -1;
    s = *end == ',' ? end + 1 : end;
  }
  return 0;
}

static int parse_numbers(const char *s, struct stats_u64_list *l) {
  for (;;) {
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
      return 0;
    if (stats_list_push(l, v) < 0)
      return -1;
    s = end;
  }
}

int stats_read_list(int dirfd, const char *name, bool ranges,
                    struct stats_u64_list *l) {
  cleanup_fclose FILE *f = stats_open(dirfd, name);
  if (f == NULL)
    return 0;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  if (getline(&line, &cap, f) <= 0)
    return 0;
  return ranges ? parse_ranges(line, l) : parse_numbers(line, l);
}

int stats_blkio_push(struct stats_blkio_list *l, uint64_t major,
                     uint64_t minor, const char *op, uint64_t value) {
  if (l->n == 0 || (l->n & (l->n - 1)) == 0) {
    size_t cap = l->n ? l->n * 2 : 8;
    struct stats_blkio_entry *nv = realloc(l->v, cap * sizeof(*nv));
    if (nv == NULL)
      return -1;
    l->v = nv;
  }
  struct stats_blkio_entry *e = &l->v[l->n++];
  e->major = major;
  e->minor = minor;
  snprintf(e->op, sizeof(e->op), "%s", op);
  e->value = value;
  return 0;
}

int stats_raw_push(struct cgroup_stats *s, const char *key, uint64_t value) {
  size_t n = s->memory.nraw;
  if (n == 0 || (n & (n - 1)) == 0) {
    size_t cap = n ? n * 2 : 64;
    struct stats_counter *nv = realloc(s->memory.raw, cap * sizeof(*nv));
    if (nv == NULL)
      return -1;
    s->memory.raw = nv;
  }
  char *k = strdup(key);
  if (k == NULL)
    return -1;
  s->memory.raw[n] = (struct stats_counter){.key = k, .value = value};
  s->memory.nraw = n + 1;
  return 0;
}

struct stats_hugetlb *stats_hugetlb_get(struct cgroup_stats *s,
                                        const char *size) {
  for (size_t i = 0; i < s->nhugetlb; i++)
    if (strcmp(s->hugetlb[i].size, size) == 0)
      return &s->hugetlb[i];
  struct stats_hugetlb *nv =
      realloc(s->hugetlb, (s->nhugetlb + 1) * sizeof(*nv));
  if (nv == NULL)
    return NULL;
  s->hugetlb = nv;
  struct stats_hugetlb *h = &nv[s->nhugetlb++];
  *h = (struct stats_hugetlb){0};
  snprintf(h->size, sizeof(h->size), "%s", size);
  return h;
}

int stats_each_hugetlb(int dirfd, const char *suffix,
                       int (*fn)(int dirfd, const char *size, void *data),
                       void *data) {
  if (dirfd < 0)
    return 0;
  int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  cleanup_dir DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return 0;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    /* hugetlb.2MB.current, not hugetlb.2MB.rsvd.current */
    if (strncmp(e->d_name, "hugetlb.", 8) != 0)
      continue;
    const char *size = e->d_name + 8;
    const char *dot = strchr(size, '.');
    if (dot == NULL || strcmp(dot + 1, suffix) != 0 ||
        (size_t)(dot - size) >= sizeof(((struct stats_hugetlb *)0)->size))
      continue;
    char name[16];
    snprintf(name, sizeof(name), "%.*s", (int)(dot - size), size);
    if (fn(dirfd, name, data) < 0)
      return -1;
  }
  return 0;
}
