/* events: runc's stream of container events, one JSON object per line.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   {"type":"stats","id":"ID","data":{...}}   every interval (stats-json.c)
 *   {"type":"oom","id":"ID"}                   when the OOM killer acts
 *
 * The container's lock is held only while its state is read: the stream
 * may last for the container's life, and `delete` must not wait for it.
 * The init's pidfd says when that life ends; the stream then ends too,
 * with status 0 (runc 1.1 would go on printing a dead cgroup's numbers).
 */
#include "config.h"

#include "container-ops.h"

#include "cleanup.h"
#include "container.h"
#include "log.h"
#include "oom.h"
#include "stats.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

/* Write one event line with a single write(2), so that a reader never
 * sees half of one. */
static int emit(int fd, yajl_gen g, husk_error **err) {
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf(g, &buf, &len);
  cleanup_free char *line = malloc(len + 1);
  if (line == NULL)
    return husk_error_set(err, ENOMEM, "write event");
  memcpy(line, buf, len);
  line[len] = '\n';
  for (size_t off = 0; off < len + 1;) {
    ssize_t n = write(fd, line + off, len + 1 - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return husk_error_set(err, errno, "write event");
    off += (size_t)n;
  }
  return 0;
}

static yajl_gen_status gen_head(yajl_gen g, const char *type, const char *id) {
  yajl_gen_status st = yajl_gen_map_open(g);
  if (st == yajl_gen_status_ok)
    st = yajl_gen_string(g, (const unsigned char *)"type", 4);
  if (st == yajl_gen_status_ok)
    st = yajl_gen_string(g, (const unsigned char *)type, strlen(type));
  if (st == yajl_gen_status_ok)
    st = yajl_gen_string(g, (const unsigned char *)"id", 2);
  if (st == yajl_gen_status_ok)
    st = yajl_gen_string(g, (const unsigned char *)id, strlen(id));
  return st;
}

static int write_event(int fd, const char *type, const char *id,
                       const struct cgroup_stats *s, husk_error **err) {
  yajl_gen g = yajl_gen_alloc(NULL);
  if (g == NULL)
    return husk_error_set(err, ENOMEM, "write event");
  yajl_gen_status st = gen_head(g, type, id);
  if (st == yajl_gen_status_ok && s) {
    st = yajl_gen_string(g, (const unsigned char *)"data", 4);
    if (st == yajl_gen_status_ok)
      st = stats_generate(g, s);
  }
  if (st == yajl_gen_status_ok)
    st = yajl_gen_map_close(g);
  int r = st == yajl_gen_status_ok
              ? emit(fd, g, err)
              : husk_error_set(err, 0, "write event: yajl_gen status %d",
                               (int)st);
  yajl_gen_free(g);
  return r;
}

static int write_stats(int fd, const char *id, const struct cgroup_paths *cg,
                       husk_error **err) {
  struct cgroup_stats s = {0};
  if (stats_read(cg, &s, err) < 0)
    return -1;
  int r = write_event(fd, "stats", id, &s, err);
  stats_free(&s);
  return r;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* What the stream needs of the container, taken under its lock. */
struct target {
  struct oci_state *state; /* for its cgroup */
  struct cgroup_paths cg;
  int pidfd; /* the init; readable once it has exited */
};

static int open_target(const char *root, const char *id, struct target *t,
                       husk_error **err) {
  struct container_handle c;
  int ret = -1;
  *t = (struct target){.pidfd = -1};
  if (container_open(root, id, false, true, &c, err) < 0)
    goto out;
  const char *st = c.state->status;
  if (c.state->cgroup_path == NULL && strcmp(st, "stopped") != 0) {
    husk_error_set(err, 0, "container \"%s\" has no cgroup (rootless, none "
                           "delegated): no events or statistics", id);
    goto out;
  }
  if (strcmp(st, "stopped") == 0 || strcmp(st, "creating") == 0 ||
      c.state->cgroup_path == NULL || c.pidfd < 0) {
    husk_error_set(err, 0, "container \"%s\" is not running: it is %s", id, st);
    goto out;
  }
  t->state = c.state;
  c.state = NULL;
  t->cg = cgroup_paths_of(t->state);
  t->pidfd = steal_fd(&c.pidfd);
  ret = 0;
out:
  container_close(&c);
  return ret;
}

static void report_ooms(int fd, const char *id, struct oom_watch *w) {
  if (oom_watch_check(w) <= 0)
    return;
  husk_error *err = NULL;
  if (write_event(fd, "oom", id, NULL, &err) < 0) {
    husk_warn("%s", err->msg);
    husk_error_free(err);
  }
}

/* The loop: stats on every tick, OOMs as they come, until the init exits. */
static int stream(const char *id, const struct target *t,
                  const struct container_events_opts *o, husk_error **err) {
  struct oom_watch w;
  husk_error *werr = NULL;
  /* Statistics are still worth having without OOM notifications. */
  if (oom_watch_open(&t->cg, &w, &werr) < 0) {
    husk_warn("no OOM events: %s", werr->msg);
    husk_error_free(werr);
  }
  int ret = 0;
  uint64_t next = now_ns() + o->interval_ns;
  for (;;) {
    struct pollfd p[2] = {{.fd = t->pidfd, .events = POLLIN},
                          {.fd = w.fd, .events = POLLIN}};
    uint64_t now = now_ns();
    uint64_t wait = next > now ? next - now : 0;
    struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000ULL),
                          .tv_nsec = (long)(wait % 1000000000ULL)};
    int n = ppoll(p, 2, &ts, NULL);
    if (n < 0 && errno != EINTR) {
      ret = husk_error_set(err, errno, "poll");
      break;
    }
    if (n > 0 && (p[1].revents & POLLIN))
      report_ooms(o->out_fd, id, &w);
    if (n > 0 && (p[0].revents & POLLIN)) {
      /* The kernel may tell of the kill that ended the init after the
       * init is gone: one last look. */
      report_ooms(o->out_fd, id, &w);
      break;
    }
    if (now_ns() < next)
      continue;
    next += o->interval_ns;
    if (next < now_ns()) /* a slow reader: do not try to catch up */
      next = now_ns() + o->interval_ns;
    husk_error *serr = NULL;
    if (write_stats(o->out_fd, id, &t->cg, &serr) < 0) {
      /* The cgroup may go with the container between two polls. */
      husk_warn("%s", serr->msg);
      husk_error_free(serr);
    }
  }
  oom_watch_close(&w);
  return ret;
}

int container_events(const char *root, const char *id,
                     const struct container_events_opts *o, husk_error **err) {
  struct target t;
  int ret = -1;
  if (open_target(root, id, &t, err) < 0)
    goto out;
  if (o->stats_only)
    ret = write_stats(o->out_fd, id, &t.cg, err);
  else
    ret = stream(id, &t, o, err);
out:
  oci_state_free(t.state);
  if (t.pidfd >= 0)
    close(t.pidfd);
  return ret;
}
