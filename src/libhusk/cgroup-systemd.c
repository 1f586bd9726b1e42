/* The systemd cgroup driver (--systemd-cgroup): a transient unit per
 * container, asked of systemd over D-Bus.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The D-Bus API is org.freedesktop.systemd1(5); the properties are those of
 * systemd.resource-control(5) and systemd.scope(5).  Values are converted
 * from the OCI's v1-style numbers the way runc converts them, so that a
 * unit looks the same whichever runtime made it.
 */
#include "config.h"

#include "cgroup-systemd.h"

#include "cgroup.h"
#include "cleanup.h"
#include "sdbus.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define ERR_UNIT_EXISTS "org.freedesktop.systemd1.UnitExists"
#define ERR_NO_SUCH_UNIT "org.freedesktop.systemd1.NoSuchUnit"
#define ANNOTATION_PREFIX "org.systemd.property."
#define DEFAULT_PREFIX "husk"
/* runc's: long enough for a loaded system, short enough to notice a hung
 * manager. */
#define JOB_TIMEOUT_USEC (30 * 1000000ULL)
#define CGROUP_ROOT "/sys/fs/cgroup"

static const struct sdbus *S;

static bool has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- names ----------------------------------------------------------------- */

void systemd_unit_clear(struct systemd_unit *u) {
  free(u->slice);
  free(u->name);
  free(u->id);
  *u = (struct systemd_unit){0};
}

/* systemd's unit name alphabet (systemd.unit(5)); '@' is left out since
 * it would make a template instance. */
static bool valid_unit_name(const char *s) {
  if (*s == '\0' || strlen(s) >= 256)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || strchr(":-_.\\", *s)))
      return false;
  return true;
}

/* A slice's place in the tree comes from its name: "a-b.slice" is
 * /a.slice/a-b.slice ("-.slice" is the root, path "").  Names that would
 * have an empty component ("-a", "a-", "a--b") are not slices. */
static int expand_slice(const char *slice, char **path) {
  if (!has_suffix(slice, ".slice") || !valid_unit_name(slice))
    return -1;
  if (strcmp(slice, "-.slice") == 0) {
    *path = strdup("");
    return *path ? 0 : -1;
  }
  size_t base = strlen(slice) - strlen(".slice");
  if (base == 0 || slice[0] == '-' || slice[base - 1] == '-' ||
      strstr(slice, "--") != NULL)
    return -1;
  /* Each component repeats every name before it: at most n^2/2. */
  size_t cap = (base + 8) * (base + 8);
  char *p = malloc(cap), *o = p;
  if (p == NULL)
    return -1;
  for (size_t i = 0; i <= base; i++) {
    if (i == base || slice[i] == '-')
      o += snprintf(o, cap - (size_t)(o - p), "/%.*s.slice", (int)i, slice);
  }
  *path = p;
  return 0;
}

static int set_unit(struct systemd_unit *u, const char *slice,
                    const char *prefix, const char *name, const char *id) {
  u->slice = strdup(slice);
  u->id = strdup(id);
  if (has_suffix(name, ".slice"))
    u->name = strdup(name);
  else if (asprintf(&u->name, "%s-%s.scope", prefix, name) < 0)
    u->name = NULL;
  return u->slice && u->id && u->name ? 0 : -1;
}

int systemd_cgroup_parse(const char *cgroups_path, const char *id,
                         struct systemd_unit *u, husk_error **err) {
  *u = (struct systemd_unit){0};
  const char *given = cgroups_path ? cgroups_path : "";
  cleanup_free char *copy = strdup(given);
  if (copy == NULL)
    return husk_error_set(err, ENOMEM, "linux.cgroupsPath");
  const char *slice = "", *prefix = DEFAULT_PREFIX, *name = "";
  if (*copy != '\0') {
    char *c1 = strchr(copy, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (c2 == NULL || strchr(c2 + 1, ':') != NULL)
      return husk_error_set(err, 0,
                            "linux.cgroupsPath: expected \"slice:prefix:name\" "
                            "for the systemd cgroup driver, got \"%s\"",
                            given);
    *c1 = *c2 = '\0';
    slice = copy;
    prefix = c1 + 1;
    name = c2 + 1;
  }
  /* Not root: the calling user's own manager, whose default slice is
   * user.slice (runc's rule). */
  bool user = geteuid() != 0;
  if (*slice == '\0')
    slice = user ? "user.slice" : "system.slice";
  if (*name == '\0')
    name = id;
  if (set_unit(u, slice, prefix, name, id) < 0) {
    systemd_unit_clear(u);
    return husk_error_set(err, ENOMEM, "linux.cgroupsPath");
  }
  u->user = user;
  cleanup_free char *p1 = NULL;
  cleanup_free char *p2 = NULL;
  const char *bad = NULL;
  if (expand_slice(u->slice, &p1) < 0)
    bad = "is not a valid slice name";
  else if (!valid_unit_name(u->name))
    bad = "is not a valid unit name";
  else if (has_suffix(u->name, ".slice") && expand_slice(u->name, &p2) < 0)
    bad = "is not a valid slice name";
  if (bad) {
    husk_error_set(err, 0, "linux.cgroupsPath \"%s\": \"%s\" %s", given,
                   p1 == NULL ? u->slice : u->name, bad);
    systemd_unit_clear(u);
    return -1;
  }
  return 0;
}

static int manager_cgroup(const struct systemd_unit *u, char **path,
                          husk_error **err);

int systemd_cgroup_expected_path(const struct systemd_unit *u, char **path,
                                 husk_error **err) {
  cleanup_free char *base = NULL;
  cleanup_free char *root = NULL;
  /* A user manager's tree is its own cgroup's (user@UID.service); the
   * system manager's is the root. */
  if (u->user && manager_cgroup(u, &root, err) < 0)
    return -1;
  const char *prefix = root ? root : "";
  if (has_suffix(u->name, ".slice")) {
    if (expand_slice(u->name, &base) < 0)
      return husk_error_set(err, EINVAL, "slice %s", u->name);
    if (asprintf(path, "%s%s", prefix, base) < 0)
      return husk_error_set(err, ENOMEM, "cgroup path");
    return 0;
  }
  if (expand_slice(u->slice, &base) < 0)
    return husk_error_set(err, EINVAL, "slice %s", u->slice);
  if (asprintf(path, "%s%s/%s", prefix, base, u->name) < 0)
    return husk_error_set(err, ENOMEM, "cgroup path");
  return 0;
}

int systemd_cgroup_unit_from_path(const char *cgroup_path,
                                  struct systemd_unit *u, husk_error **err) {
  *u = (struct systemd_unit){0};
  const char *last = strrchr(cgroup_path, '/');
  last = last ? last + 1 : cgroup_path;
  if (!valid_unit_name(last) ||
      !(has_suffix(last, ".scope") || has_suffix(last, ".slice")))
    return husk_error_set(err, EINVAL, "cgroup %s is not a systemd unit's",
                          cgroup_path);
  /* The parent is the previous component, or the root slice. */
  const char *end = last > cgroup_path ? last - 1 : last, *start = end;
  while (start > cgroup_path && start[-1] != '/')
    start--;
  u->name = strdup(last);
  u->slice = end > start ? strndup(start, (size_t)(end - start)) : strdup("-.slice");
  u->id = strdup("");
  u->user = geteuid() != 0;
  if (!u->name || !u->slice || !u->id) {
    systemd_unit_clear(u);
    return husk_error_set(err, ENOMEM, "unit");
  }
  return 0;
}

/* --- the bus --------------------------------------------------------------- */

struct job_wait {
  const char *path; /* the job waited for; NULL: none yet */
  bool done;
  char result[32];
};

struct bus {
  sd_bus *bus;
  sd_bus_slot *slot;
  struct job_wait job;
};

static void bus_close(struct bus *b) {
  if (b->slot)
    S->sd_bus_slot_unref(b->slot);
  if (b->bus)
    S->sd_bus_flush_close_unref(b->bus);
  b->slot = NULL;
  b->bus = NULL;
}
#define cleanup_bus __attribute__((cleanup(bus_close)))

static void bus_error_free(sd_bus_error *e) {
  if (S)
    S->sd_bus_error_free(e);
}
#define cleanup_bus_error __attribute__((cleanup(bus_error_free)))

static void message_unrefp(sd_bus_message **m) {
  if (*m)
    S->sd_bus_message_unref(*m);
}
#define cleanup_message __attribute__((cleanup(message_unrefp)))

/* "CONTEXT: what systemd said", keeping the errno for callers. */
static int bus_fail(husk_error **err, int r, const sd_bus_error *e,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bus_fail(husk_error **err, int r, const sd_bus_error *e,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *ctx = NULL, *msg = NULL;
  if (vasprintf(&ctx, fmt, ap) < 0)
    ctx = NULL;
  va_end(ap);
  int errno_ = r < 0 ? -r : EIO;
  const char *why = e && e->message ? e->message : strerror(errno_);
  if (ctx == NULL || asprintf(&msg, "%s: %s", ctx, why) < 0)
    msg = NULL;
  free(ctx);
  return husk_error_take(err, errno_, msg);
}

/* JobRemoved(u id, o job, s unit, s result), for the job waited for. */
static int on_job_removed(sd_bus_message *m, void *userdata,
                          sd_bus_error *ret_error) {
  (void)ret_error;
  struct job_wait *w = userdata;
  uint32_t id;
  const char *path, *unit, *result;
  if (w->path == NULL ||
      S->sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
    return 0;
  if (strcmp(path, w->path) == 0) {
    w->done = true;
    snprintf(w->result, sizeof(w->result), "%s", result);
  }
  return 0;
}

/* Connect and subscribe to job completions before any job exists, so that
 * none is missed (org.freedesktop.systemd1(5): signals are sent only once
 * some client called Subscribe()). */
static int bus_open(const struct systemd_unit *u, struct bus *b,
                    husk_error **err) {
  if (S == NULL && (S = sdbus_load(err)) == NULL)
    return -1;
  int r = u->user ? S->sd_bus_open_user(&b->bus) : S->sd_bus_open_system(&b->bus);
  /* No socket: no D-Bus, so no systemd to ask, whatever the flag says. */
  if (r < 0)
    return bus_fail(err, r, NULL,
                    "systemd: connect to the %s bus (--systemd-cgroup needs "
                    "systemd and D-Bus running)",
                    u->user ? "user" : "system");
  r = S->sd_bus_match_signal(b->bus, &b->slot, SD_DEST, SD_PATH, SD_MANAGER,
                             "JobRemoved", on_job_removed, &b->job);
  if (r < 0)
    return bus_fail(err, r, NULL, "systemd: watch jobs");
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  r = S->sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe",
                            &e, NULL, "");
  if (r < 0)
    return bus_fail(err, r, &e, "systemd: subscribe");
  return 0;
}

static uint64_t now_usec(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Wait for JobRemoved of `job` and check that it did its work. */
static int wait_job(struct bus *b, const char *job, const char *what,
                    const char *unit, husk_error **err) {
  b->job = (struct job_wait){.path = job};
  uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC;
  int r = 0;
  while (!b->job.done) {
    if ((r = S->sd_bus_process(b->bus, NULL)) < 0)
      break;
    if (r > 0)
      continue;
    uint64_t now = now_usec();
    if (now >= deadline) {
      b->job.path = NULL;
      return husk_error_set(err, ETIMEDOUT, "systemd: %s unit %s", what, unit);
    }
    if ((r = S->sd_bus_wait(b->bus, deadline - now)) < 0)
      break;
  }
  b->job.path = NULL;
  if (!b->job.done)
    return bus_fail(err, r, NULL, "systemd: %s unit %s", what, unit);
  if (strcmp(b->job.result, "done") != 0)
    return husk_error_set(err, 0, "systemd: %s unit %s: job %s", what, unit,
                          b->job.result);
  return 0;
}

/* The object path returned by a method that returns one (a job's). */
static int read_path(sd_bus_message *reply, char **path) {
  const char *p;
  int r = S->sd_bus_message_read(reply, "o", &p);
  if (r < 0)
    return r;
  return (*path = strdup(p)) ? 0 : -ENOMEM;
}

static int reset_failed(struct bus *b, const char *unit) {
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  return S->sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER,
                               "ResetFailedUnit", &e, NULL, "s", unit);
}

/* Undo a start that failed half-way, without waiting: the caller reports
 * the first error, not this one's. */
static void abandon(struct bus *b, const char *unit) {
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  S->sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit", &e,
                        NULL, "ss", unit, "replace");
  reset_failed(b, unit);
}

/* --- properties ------------------------------------------------------------ */

static int prop_open(sd_bus_message *m, const char *name, const char *sig) {
  int r;
  if ((r = S->sd_bus_message_open_container(m, 'r', "sv")) < 0 ||
      (r = S->sd_bus_message_append_basic(m, 's', name)) < 0)
    return r;
  return S->sd_bus_message_open_container(m, 'v', sig);
}

static int prop_close(sd_bus_message *m) {
  int r = S->sd_bus_message_close_container(m);
  return r < 0 ? r : S->sd_bus_message_close_container(m);
}

static int prop_bool(sd_bus_message *m, const char *name, bool v) {
  return S->sd_bus_message_append(m, "(sv)", name, "b", (int)v);
}

static int prop_u64(sd_bus_message *m, const char *name, uint64_t v) {
  return S->sd_bus_message_append(m, "(sv)", name, "t", v);
}

static int prop_str(sd_bus_message *m, const char *name, const char *v) {
  return S->sd_bus_message_append(m, "(sv)", name, "s", v);
}

static int prop_bytes(sd_bus_message *m, const char *name, const uint8_t *v,
                      size_t n) {
  int r;
  if ((r = prop_open(m, name, "ay")) < 0 ||
      (r = S->sd_bus_message_append_array(m, 'y', v, n)) < 0)
    return r;
  return prop_close(m);
}

/* Limits in the OCI are int64 with -1 for "none"; the bus says none with
 * UINT64_MAX ("infinity"). */
static uint64_t limit_or_infinity(int64_t v) {
  return v < 0 ? UINT64_MAX : (uint64_t)v;
}

static bool host_is_unified(void) {
  struct statfs s;
  return statfs(CGROUP_ROOT, &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC;
}

/* "0-3,7" as systemd's CPU/NUMA node bitmask: bit i%8 of byte i/8. */
static int parse_set(const char *list, const char *field, uint8_t **mask,
                     size_t *len, husk_error **err) {
  enum { MAX_INDEX = 1 << 16 };
  size_t cap = 0;
  *mask = NULL;
  *len = 0;
  const char *p = list;
  while (*p) {
    char *end;
    while (*p == ' ' || *p == ',')
      p++;
    if (*p == '\0')
      break;
    if (*p < '0' || *p > '9')
      goto bad;
    unsigned long lo = strtoul(p, &end, 10), hi = lo;
    if (*end == '-') {
      p = end + 1;
      if (*p < '0' || *p > '9')
        goto bad;
      hi = strtoul(p, &end, 10);
    }
    if (hi < lo || hi >= MAX_INDEX || (*end && *end != ',' && *end != ' '))
      goto bad;
    if (hi / 8 + 1 > cap) {
      size_t ncap = hi / 8 + 1;
      uint8_t *nm = realloc(*mask, ncap);
      if (nm == NULL) {
        free(*mask);
        return husk_error_set(err, ENOMEM, "%s", field);
      }
      memset(nm + cap, 0, ncap - cap);
      *mask = nm;
      cap = ncap;
    }
    for (unsigned long i = lo; i <= hi; i++)
      (*mask)[i / 8] |= (uint8_t)(1u << (i % 8));
    p = end;
  }
  *len = cap;
  return 0;
bad:
  free(*mask);
  *mask = NULL;
  return husk_error_set(err, EINVAL, "%s: \"%s\" is not a list of indices",
                        field, list);
}

static int append_set(sd_bus_message *m, const char *prop, const char *list,
                      const char *field, husk_error **err) {
  cleanup_free uint8_t *mask = NULL;
  size_t len;
  if (parse_set(list, field, &mask, &len, err) < 0)
    return -1;
  int r = prop_bytes(m, prop, mask, len);
  return r < 0 ? bus_fail(err, r, NULL, "%s", field) : 0;
}

/* memory.swap is memory+swap; systemd's MemorySwapMax is the swap alone. */
static int swap_only(const struct oci_linux_memory *mem, uint64_t *out,
                     husk_error **err) {
  if (mem->swap == -1) {
    *out = UINT64_MAX;
    return 0;
  }
  if (mem->swap < 0)
    return husk_error_set(err, EINVAL, "linux.resources.memory.swap: invalid value %" PRId64,
                          mem->swap);
  if (!mem->limit_present || mem->limit <= 0)
    return husk_error_set(err, EINVAL,
                          "linux.resources.memory.swap: needs linux.resources.memory.limit");
  if (mem->swap < mem->limit)
    return husk_error_set(err, EINVAL,
                          "linux.resources.memory.swap: must be >= memory.limit "
                          "(it counts memory and swap together)");
  *out = (uint64_t)(mem->swap - mem->limit);
  return 0;
}

static int append_memory(sd_bus_message *m, const struct oci_linux_memory *mem,
                         bool unified, husk_error **err) {
  int r = 0;
  if (mem->limit_present && mem->limit != 0 &&
      (r = prop_u64(m, "MemoryMax", limit_or_infinity(mem->limit))) < 0)
    return bus_fail(err, r, NULL, "linux.resources.memory.limit");
  /* systemd applies these on the unified hierarchy only; on v1, cgroupfs
   * (cgroup_apply) does. */
  if (!unified)
    return 0;
  if (mem->reservation_present && mem->reservation != 0 &&
      (r = prop_u64(m, "MemoryLow", limit_or_infinity(mem->reservation))) < 0)
    return bus_fail(err, r, NULL, "linux.resources.memory.reservation");
  if (mem->swap_present && mem->swap != 0) {
    uint64_t swap = 0;
    if (swap_only(mem, &swap, err) < 0)
      return -1;
    if ((r = prop_u64(m, "MemorySwapMax", swap)) < 0)
      return bus_fail(err, r, NULL, "linux.resources.memory.swap");
  }
  return 0;
}

/* cpu.shares [2, 262144] onto cpu.weight [1, 10000], as runc and crun map
 * it. */
static uint64_t shares_to_weight(uint64_t shares) {
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

/* systemd keeps the quota as a percentage of one CPU, so a quota that is
 * not a whole number of 10ms per second is rounded up to one (runc's
 * rule), lest the kernel's value end below the one asked for. */
static uint64_t quota_per_sec(int64_t quota, uint64_t period) {
  if (quota <= 0)
    return UINT64_MAX;
  uint64_t usec = (uint64_t)quota * 1000000 / period;
  if (usec % 10000)
    usec = (usec / 10000 + 1) * 10000;
  return usec;
}

static int append_cpu(sd_bus_message *m, const struct oci_linux_cpu *cpu,
                      bool unified, husk_error **err) {
  int r;
  /* On v1 systemd keeps CPUShares= as such (runc's choice too): a weight
   * would come back to cpu.shares rounded on systemd's next reload. */
  if (cpu->shares_present && cpu->shares != 0 &&
      (r = unified ? prop_u64(m, "CPUWeight", shares_to_weight(cpu->shares))
                   : prop_u64(m, "CPUShares", cpu->shares)) < 0)
    return bus_fail(err, r, NULL, "linux.resources.cpu.shares");
  bool period = cpu->period_present && cpu->period != 0;
  bool quota = cpu->quota_present && cpu->quota != 0;
  if (period && (r = prop_u64(m, "CPUQuotaPeriodUSec", cpu->period)) < 0)
    return bus_fail(err, r, NULL, "linux.resources.cpu.period");
  if ((quota || period) &&
      (r = prop_u64(m, "CPUQuotaPerSecUSec",
                    quota_per_sec(quota ? cpu->quota : -1,
                                  period ? cpu->period : 100000))) < 0)
    return bus_fail(err, r, NULL, "linux.resources.cpu.quota");
  if (!unified)
    return 0;
  if (cpu->cpus && *cpu->cpus &&
      append_set(m, "AllowedCPUs", cpu->cpus, "linux.resources.cpu.cpus", err) < 0)
    return -1;
  if (cpu->mems && *cpu->mems &&
      append_set(m, "AllowedMemoryNodes", cpu->mems, "linux.resources.cpu.mems",
                 err) < 0)
    return -1;
  return 0;
}

/* linux.resources.unified keys that are systemd properties too (runc's
 * list): systemd would otherwise write its own value over the file on its
 * next reload. */
static const struct {
  const char *key, *prop;
  bool max; /* "max" is a value (infinity) */
} unified_props[] = {
    {"memory.high", "MemoryHigh", true},  {"memory.low", "MemoryLow", true},
    {"memory.min", "MemoryMin", true},    {"memory.max", "MemoryMax", true},
    {"memory.swap.max", "MemorySwapMax", true},
    {"pids.max", "TasksMax", true},       {"cpu.weight", "CPUWeight", false},
};

/* One number of a cgroup file's value ("max" for infinity where allowed),
 * ending at a space or the end; *end is after it. */
static int unified_number(const char *v, bool max, uint64_t *out,
                          const char **end) {
  while (*v == ' ')
    v++;
  if (max && strncmp(v, "max", 3) == 0 && (v[3] == '\0' || v[3] == ' ' || v[3] == '\n')) {
    *out = UINT64_MAX;
    *end = v + 3;
    return 0;
  }
  if (*v < '0' || *v > '9')
    return -1;
  char *e;
  errno = 0;
  unsigned long long n = strtoull(v, &e, 10);
  if (errno == ERANGE || n == UINT64_MAX)
    return -1;
  *out = n;
  *end = e;
  return 0;
}

static bool at_end(const char *p) {
  while (*p == ' ' || *p == '\n')
    p++;
  return *p == '\0';
}

static int unified_fail(const oci_kv *kv, husk_error **err) {
  return husk_error_set(err, EINVAL,
                        "linux.resources.unified[\"%s\"]: \"%s\" is not a "
                        "value systemd can take",
                        kv->key, kv->value);
}

/* The unified keys above, cpu.max, cpuset.cpus and cpuset.mems as
 * properties; with m NULL, only check them. */
static int append_unified(sd_bus_message *m, const oci_kv *kv, size_t n,
                          husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    const char *key = kv[i].key, *v = kv[i].value ? kv[i].value : "", *end;
    uint64_t x, period = 0;
    int r = 0;
    if (strcmp(key, "cpu.max") == 0) {
      /* "QUOTA [PERIOD]", QUOTA "max" or microseconds */
      if (unified_number(v, true, &x, &end) < 0)
        return unified_fail(&kv[i], err);
      if (!at_end(end) && (unified_number(end, false, &period, &end) < 0 ||
                           period == 0 || !at_end(end)))
        return unified_fail(&kv[i], err);
      if (m && period && (r = prop_u64(m, "CPUQuotaPeriodUSec", period)) < 0)
        return bus_fail(err, r, NULL, "linux.resources.unified[\"%s\"]", key);
      if (m && (r = prop_u64(m, "CPUQuotaPerSecUSec",
                             quota_per_sec(x == UINT64_MAX ? -1 : (int64_t)x,
                                           period ? period : 100000))) < 0)
        return bus_fail(err, r, NULL, "linux.resources.unified[\"%s\"]", key);
      continue;
    }
    if (strcmp(key, "cpuset.cpus") == 0 || strcmp(key, "cpuset.mems") == 0) {
      cleanup_free uint8_t *mask = NULL;
      size_t len;
      cleanup_free char *field = NULL;
      if (asprintf(&field, "linux.resources.unified[\"%s\"]", key) < 0)
        return husk_error_set(err, ENOMEM, "linux.resources.unified");
      if (parse_set(v, field, &mask, &len, err) < 0)
        return -1;
      if (m && (r = prop_bytes(m, key[7] == 'c' ? "AllowedCPUs"
                                                 : "AllowedMemoryNodes",
                               mask, len)) < 0)
        return bus_fail(err, r, NULL, "linux.resources.unified[\"%s\"]", key);
      continue;
    }
    for (size_t j = 0; j < sizeof(unified_props) / sizeof(unified_props[0]); j++) {
      if (strcmp(key, unified_props[j].key) != 0)
        continue;
      if (unified_number(v, unified_props[j].max, &x, &end) < 0 || !at_end(end))
        return unified_fail(&kv[i], err);
      if (m && (r = prop_u64(m, unified_props[j].prop, x)) < 0)
        return bus_fail(err, r, NULL, "linux.resources.unified[\"%s\"]", key);
    }
  }
  return 0;
}

/* The resources systemd knows; cgroup_apply writes the rest through
 * cgroupfs, and writes these too, which agrees with systemd's values. */
static int append_resources(sd_bus_message *m,
                            const struct oci_linux_resources *res,
                            husk_error **err) {
  bool unified = host_is_unified();
  int r;
  if (res->memory && append_memory(m, res->memory, unified, err) < 0)
    return -1;
  if (res->cpu && append_cpu(m, res->cpu, unified, err) < 0)
    return -1;
  if (res->pids && res->pids->limit_present &&
      (r = prop_u64(m, "TasksMax",
                    res->pids->limit > 0 ? (uint64_t)res->pids->limit
                                         : UINT64_MAX)) < 0)
    return bus_fail(err, r, NULL, "linux.resources.pids.limit");
  /* blkio.weight [10, 1000] onto io.weight [1, 10000]; on v1 as it is. */
  if (res->block_io && res->block_io->weight_present &&
      res->block_io->weight != 0) {
    uint64_t w = res->block_io->weight;
    w = w < 10 ? 10 : w > 1000 ? 1000 : w;
    if ((r = unified ? prop_u64(m, "IOWeight", 1 + (w - 10) * 9999 / 990)
                     : prop_u64(m, "BlockIOWeight", w)) < 0)
      return bus_fail(err, r, NULL, "linux.resources.blockIO.weight");
  }
  /* Last: a unified key says more precisely what a field above says. */
  if (unified && append_unified(m, res->unified, res->unified_len, err) < 0)
    return -1;
  return 0;
}

/* A property name, by runc's rule, so that a config either runtime takes
 * the other takes too: ASCII letters only, at least three of them; what
 * is not a property systemd knows is refused by systemd itself. */
static bool valid_property_name(const char *s) {
  if (strlen(s) < 3)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
      return false;
  return true;
}

/* An org.systemd.property.NAME annotation, read: NAME = VALUE, VALUE in
 * GVariant text.  NAMESec takes seconds and goes to the bus as NAMEUSec
 * (the bus has no ...Sec properties), as runc does it. */
struct annotation_prop {
  char *name; /* on the bus */
  bool in_usec; /* send `usec` rather than `value` */
  uint64_t usec;
  struct sdbus_value value;
};

static void annotation_clear(struct annotation_prop *p) {
  free(p->name);
  sdbus_value_clear(&p->value);
  *p = (struct annotation_prop){0};
}

static bool is_annotation(const oci_kv *a) {
  return strncmp(a->key, ANNOTATION_PREFIX, strlen(ANNOTATION_PREFIX)) == 0;
}

static int annotation_parse(const oci_kv *a, struct annotation_prop *p,
                            husk_error **err) {
  const char *name = a->key + strlen(ANNOTATION_PREFIX);
  *p = (struct annotation_prop){0};
  if (!valid_property_name(name))
    return husk_error_set(err, 0, "annotation %s: invalid property name",
                          a->key);
  if (sdbus_value_parse(a->value, &p->value, err) < 0)
    return husk_error_prefix(err, "annotation %s: \"%s\"", a->key, a->value);
  /* "...Sec" after a lower-case letter is systemd.unit(5)'s spelling of a
   * time in seconds ("TimeoutStopSec"); "...USec", "...NSec" are not. */
  size_t len = strlen(name);
  p->in_usec = has_suffix(name, "Sec") && len > 3 && name[len - 4] >= 'a' &&
               name[len - 4] <= 'z';
  int r = p->in_usec
              ? asprintf(&p->name, "%.*sUSec", (int)(strlen(name) - 3), name)
              : asprintf(&p->name, "%s", name);
  if (r < 0) {
    p->name = NULL;
    annotation_clear(p);
    return husk_error_set(err, ENOMEM, "annotation %s", a->key);
  }
  if (p->in_usec && sdbus_value_seconds_to_usec(&p->value, &p->usec, err) < 0) {
    annotation_clear(p);
    return husk_error_prefix(err, "annotation %s", a->key);
  }
  return 0;
}

static int append_annotation(sd_bus_message *m, const oci_kv *a,
                             husk_error **err) {
  struct annotation_prop p;
  if (annotation_parse(a, &p, err) < 0)
    return -1;
  int r;
  if (p.in_usec) {
    r = prop_u64(m, p.name, p.usec);
  } else if ((r = S->sd_bus_message_open_container(m, 'r', "sv")) >= 0 &&
             (r = S->sd_bus_message_append_basic(m, 's', p.name)) >= 0 &&
             (r = sdbus_append_value(S, m, &p.value)) >= 0) {
    r = S->sd_bus_message_close_container(m);
  }
  annotation_clear(&p);
  return r < 0 ? bus_fail(err, r, NULL, "annotation %s", a->key) : 0;
}

static int append_annotations(sd_bus_message *m, const struct oci_spec *spec,
                              husk_error **err) {
  for (size_t i = 0; i < spec->annotations_len; i++)
    if (is_annotation(&spec->annotations[i]) &&
        append_annotation(m, &spec->annotations[i], err) < 0)
      return -1;
  return 0;
}

int systemd_cgroup_check(const struct oci_spec *spec, husk_error **err) {
  for (size_t i = 0; i < spec->annotations_len; i++) {
    struct annotation_prop p;
    if (!is_annotation(&spec->annotations[i]))
      continue;
    if (annotation_parse(&spec->annotations[i], &p, err) < 0)
      return -1;
    annotation_clear(&p);
  }
  const struct oci_linux_resources *res =
      spec->linux ? spec->linux->resources : NULL;
  if (res == NULL || !host_is_unified())
    return 0;
  uint64_t swap;
  if (res->memory && res->memory->swap_present && res->memory->swap != 0 &&
      swap_only(res->memory, &swap, err) < 0)
    return -1;
  if (append_unified(NULL, res->unified, res->unified_len, err) < 0)
    return -1;
  cleanup_free uint8_t *cpus = NULL;
  cleanup_free uint8_t *mems = NULL;
  size_t len;
  if (res->cpu && res->cpu->cpus && *res->cpu->cpus &&
      parse_set(res->cpu->cpus, "linux.resources.cpu.cpus", &cpus, &len, err) < 0)
    return -1;
  if (res->cpu && res->cpu->mems && *res->cpu->mems &&
      parse_set(res->cpu->mems, "linux.resources.cpu.mems", &mems, &len, err) < 0)
    return -1;
  return 0;
}

/* The unit's own properties: what it is, where, and with whom. */
static int append_unit(sd_bus_message *m, const struct systemd_unit *u,
                       pid_t pid, husk_error **err) {
  bool slice = has_suffix(u->name, ".slice");
  cleanup_free char *desc = NULL;
  if (asprintf(&desc, "husk container %s", u->id) < 0)
    return husk_error_set(err, ENOMEM, "unit description");
  int r;
  if ((r = prop_str(m, "Description", desc)) < 0)
    goto fail;
  /* A slice's parent is in its name; Wants= keeps the named one started
   * with it.  Processes and delegation belong to scopes: a slice gets the
   * pid through cgroupfs. */
  if (slice) {
    if ((r = S->sd_bus_message_append(m, "(sv)", "Wants", "as", 1, u->slice)) < 0)
      goto fail;
  } else {
    if ((r = prop_str(m, "Slice", u->slice)) < 0 ||
        (r = prop_bool(m, "Delegate", true)) < 0 ||
        (r = S->sd_bus_message_append(m, "(sv)", "PIDs", "au", 1,
                                      (uint32_t)pid)) < 0)
      goto fail;
  }
  static const char *const accounting[] = {"MemoryAccounting", "CPUAccounting",
                                           "TasksAccounting", "IOAccounting"};
  for (size_t i = 0; i < sizeof(accounting) / sizeof(accounting[0]); i++)
    if ((r = prop_bool(m, accounting[i], true)) < 0)
      goto fail;
  /* No ordering against shutdown.target and the like: the container's
   * lifetime is the engine's, not the boot's. */
  if ((r = prop_bool(m, "DefaultDependencies", false)) < 0)
    goto fail;
  return 0;
fail:
  return bus_fail(err, r, NULL, "unit %s", u->name);
}

/* StartTransientUnit(s name, s mode, a(sv) properties,
 *                    a(sa(sv)) aux) -> o job */
static int build_start(struct bus *b, const struct systemd_unit *u, pid_t pid,
                       const struct oci_spec *spec, sd_bus_message **out,
                       husk_error **err) {
  cleanup_message sd_bus_message *m = NULL;
  int r = S->sd_bus_message_new_method_call(b->bus, &m, SD_DEST, SD_PATH,
                                            SD_MANAGER, "StartTransientUnit");
  if (r < 0 || (r = S->sd_bus_message_append(m, "ss", u->name, "replace")) < 0 ||
      (r = S->sd_bus_message_open_container(m, 'a', "(sv)")) < 0)
    return bus_fail(err, r, NULL, "systemd: unit %s", u->name);
  if (append_unit(m, u, pid, err) < 0)
    return -1;
  const struct oci_linux_resources *res =
      spec->linux ? spec->linux->resources : NULL;
  if (res && append_resources(m, res, err) < 0)
    return -1;
  /* Last, so that what the annotations say wins over husk's values. */
  if (append_annotations(m, spec, err) < 0)
    return -1;
  if ((r = S->sd_bus_message_close_container(m)) < 0 ||
      (r = S->sd_bus_message_append(m, "a(sa(sv))", 0)) < 0)
    return bus_fail(err, r, NULL, "systemd: unit %s", u->name);
  *out = steal_pointer(&m);
  return 0;
}

/* Start the unit; *job is NULL when an existing slice was reused. */
static int start_unit(struct bus *b, const struct systemd_unit *u, pid_t pid,
                      const struct oci_spec *spec, char **job,
                      husk_error **err) {
  *job = NULL;
  for (int attempt = 0;; attempt++) {
    cleanup_message sd_bus_message *m = NULL;
    cleanup_message sd_bus_message *reply = NULL;
    cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
    if (build_start(b, u, pid, spec, &m, err) < 0)
      return -1;
    int r = S->sd_bus_call(b->bus, m, 0, &e, &reply);
    if (r >= 0) {
      if ((r = read_path(reply, job)) < 0)
        return bus_fail(err, r, NULL, "systemd: start unit %s", u->name);
      return 0;
    }
    if (!S->sd_bus_error_has_name(&e, ERR_UNIT_EXISTS) || attempt > 0)
      return bus_fail(err, r, &e, "systemd: start unit %s", u->name);
    /* Slices are shared: one that exists is the one asked for. */
    if (has_suffix(u->name, ".slice"))
      return 0;
    /* A failed scope of the same name stays loaded until reset. */
    reset_failed(b, u->name);
  }
}

/* A string sd-bus allocated, moved to husk's heap (sdbus.h: free). */
static int own_string(char *s, char **out, husk_error **err) {
  *out = strdup(s);
  S->free(s);
  if (*out == NULL)
    return husk_error_set(err, ENOMEM, "out of memory");
  return 0;
}

/* The unit's cgroup, from systemd (ControlGroup of its type's
 * interface). */
static int control_group(struct bus *b, const struct systemd_unit *u,
                         char **path, husk_error **err) {
  cleanup_message sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  int r = S->sd_bus_call_method(b->bus, SD_DEST, SD_PATH, SD_MANAGER, "GetUnit",
                                &e, &reply, "s", u->name);
  const char *object;
  if (r < 0 || (r = S->sd_bus_message_read(reply, "o", &object)) < 0)
    return bus_fail(err, r, &e, "systemd: find unit %s", u->name);
  const char *iface = has_suffix(u->name, ".slice")
                          ? SD_DEST ".Slice"
                          : SD_DEST ".Scope";
  char *cg = NULL;
  r = S->sd_bus_get_property_string(b->bus, SD_DEST, object, iface,
                                    "ControlGroup", &e, &cg);
  if (r < 0)
    return bus_fail(err, r, &e, "systemd: cgroup of unit %s", u->name);
  if (cg == NULL || cg[0] != '/') {
    S->free(cg);
    return husk_error_set(err, 0, "systemd: unit %s has no cgroup", u->name);
  }
  return own_string(cg, path, err);
}

/* The manager's own cgroup (its ControlGroup property): "" for the
 * system manager, "/user.slice/user-UID.slice/user@UID.service" for a
 * user's. */
static int manager_cgroup(const struct systemd_unit *u, char **path,
                          husk_error **err) {
  cleanup_bus struct bus b = {0};
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  char *cg = NULL;
  if (bus_open(u, &b, err) < 0)
    return -1;
  int r = S->sd_bus_get_property_string(b.bus, SD_DEST, SD_PATH, SD_MANAGER,
                                        "ControlGroup", &e, &cg);
  if (r < 0)
    return bus_fail(err, r, &e, "systemd: cgroup of the %s manager",
                    u->user ? "user" : "system");
  /* "/" or "" is the root: the paths here have no trailing '/'. */
  if (cg && strcmp(cg, "/") == 0)
    cg[0] = '\0';
  if (cg == NULL) {
    *path = NULL;
    return 0;
  }
  return own_string(cg, path, err);
}

int systemd_cgroup_start(const struct systemd_unit *u, pid_t pid,
                         const struct oci_spec *spec, char **cgroupfs_path,
                         husk_error **err) {
  cleanup_bus struct bus b = {0};
  cleanup_free char *job = NULL;
  cleanup_free char *cg = NULL;
  if (bus_open(u, &b, err) < 0 || start_unit(&b, u, pid, spec, &job, err) < 0)
    return -1;
  if ((job && wait_job(&b, job, "start", u->name, err) < 0) ||
      control_group(&b, u, &cg, err) < 0 ||
      (has_suffix(u->name, ".slice") &&
       cgroup_enter(&(struct cgroup_paths){.path = cg}, pid, err) < 0)) {
    /* A unit half made is still the caller's to undo, but only a scope is
     * this container's alone. */
    if (job && !has_suffix(u->name, ".slice"))
      abandon(&b, u->name);
    return -1;
  }
  *cgroupfs_path = steal_pointer(&cg);
  return 0;
}

int systemd_cgroup_update(const char *cgroup_path,
                          const struct oci_linux_resources *res,
                          husk_error **err) {
  cleanup_bus struct bus b = {0};
  cleanup_message sd_bus_message *m = NULL;
  cleanup_message sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  struct systemd_unit u;
  if (systemd_cgroup_unit_from_path(cgroup_path, &u, err) < 0)
    return -1;
  int ret = -1;
  if (bus_open(&u, &b, err) < 0)
    goto out;
  /* SetUnitProperties(s name, b runtime, a(sv) properties): runtime, as
   * the unit itself is (transient units live in /run). */
  int r = S->sd_bus_message_new_method_call(b.bus, &m, SD_DEST, SD_PATH,
                                            SD_MANAGER, "SetUnitProperties");
  if (r < 0 || (r = S->sd_bus_message_append(m, "sb", u.name, 1)) < 0 ||
      (r = S->sd_bus_message_open_container(m, 'a', "(sv)")) < 0) {
    bus_fail(err, r, NULL, "systemd: unit %s", u.name);
    goto out;
  }
  if (res && append_resources(m, res, err) < 0)
    goto out;
  if ((r = S->sd_bus_message_close_container(m)) < 0) {
    bus_fail(err, r, NULL, "systemd: unit %s", u.name);
    goto out;
  }
  if ((r = S->sd_bus_call(b.bus, m, 0, &e, &reply)) < 0) {
    bus_fail(err, r, &e, "systemd: set the properties of unit %s", u.name);
    goto out;
  }
  ret = 0;
out:
  systemd_unit_clear(&u);
  return ret;
}

int systemd_cgroup_stop(const struct systemd_unit *u, husk_error **err) {
  cleanup_bus struct bus b = {0};
  cleanup_message sd_bus_message *reply = NULL;
  cleanup_bus_error sd_bus_error e = SD_BUS_ERROR_NULL;
  cleanup_free char *job = NULL;
  if (bus_open(u, &b, err) < 0)
    return -1;
  int r = S->sd_bus_call_method(b.bus, SD_DEST, SD_PATH, SD_MANAGER, "StopUnit",
                                &e, &reply, "ss", u->name, "replace");
  if (r < 0) {
    if (S->sd_bus_error_has_name(&e, ERR_NO_SUCH_UNIT))
      return 0;
    return bus_fail(err, r, &e, "systemd: stop unit %s", u->name);
  }
  if ((r = read_path(reply, &job)) < 0)
    return bus_fail(err, r, NULL, "systemd: stop unit %s", u->name);
  if (wait_job(&b, job, "stop", u->name, err) < 0)
    return -1;
  /* A unit that failed stays loaded, and its name taken, until reset. */
  reset_failed(&b, u->name);
  return 0;
}

int systemd_cgroup_stop_path(const char *cgroup_path, husk_error **err) {
  struct systemd_unit u;
  if (systemd_cgroup_unit_from_path(cgroup_path, &u, err) < 0)
    return -1;
  int r = systemd_cgroup_stop(&u, err);
  systemd_unit_clear(&u);
  return r;
}
