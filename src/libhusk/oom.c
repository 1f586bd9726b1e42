/* Noticing the OOM killer at work in a container's cgroup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "oom.h"

#include "cgroup.h"
#include "cleanup.h"
#include "stats-internal.h"
#include "stats.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

static int watch_v1(struct oom_watch *w, const char *dir, husk_error **err) {
  w->ctlfd = openat(w->dirfd, "memory.oom_control", O_RDONLY | O_CLOEXEC);
  if (w->ctlfd < 0)
    return husk_error_set(err, errno, "open %s/memory.oom_control", dir);
  w->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (w->fd < 0)
    return husk_error_set(err, errno, "eventfd");
  cleanup_close int ctl =
      openat(w->dirfd, "cgroup.event_control", O_WRONLY | O_CLOEXEC);
  char line[32];
  int n = snprintf(line, sizeof(line), "%d %d", w->fd, w->ctlfd);
  if (ctl < 0 || write(ctl, line, (size_t)n) != n)
    return husk_error_set(err, errno, "register for OOM events in %s", dir);
  return 0;
}

static int watch_v2(struct oom_watch *w, const char *dir, husk_error **err) {
  char p[PATH_MAX + 16];
  snprintf(p, sizeof(p), "%s/memory.events", dir);
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0)
    return husk_error_set(err, errno, "inotify");
  if (inotify_add_watch(w->fd, p, IN_MODIFY) < 0)
    return husk_error_set(err, errno, "watch %s", p);
  /* Kills before we started are not news. */
  stats_read_key(w->dirfd, "memory.events", "oom_kill", &w->kills);
  return 0;
}

int oom_watch_open(const struct cgroup_paths *cg, struct oom_watch *w,
                   husk_error **err) {
  *w = (struct oom_watch){.fd = -1, .dirfd = -1, .ctlfd = -1};
  char dir[PATH_MAX];
  husk_error *none = NULL;
  if (cgroup_dir(cg, "memory", dir, &w->v2, &none) < 0) {
    husk_error_free(none);
    return 0;
  }
  w->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (w->dirfd < 0)
    return husk_error_set(err, errno, "open %s", dir);
  /* A v2 tree without the memory controller has no memory.events. */
  if (w->v2 && faccessat(w->dirfd, "memory.events", F_OK, 0) < 0)
    return 0;
  int r = w->v2 ? watch_v2(w, dir, err) : watch_v1(w, dir, err);
  if (r < 0)
    oom_watch_close(w);
  return r;
}

static void end_watch(struct oom_watch *w) {
  if (w->fd >= 0)
    close(w->fd);
  w->fd = -1;
}

static int check_v1(struct oom_watch *w) {
  uint64_t count = 0;
  if (read(w->fd, &count, sizeof(count)) != sizeof(count))
    return 0;
  /* The eventfd also fires when the cgroup is removed. */
  if (faccessat(w->dirfd, "cgroup.event_control", F_OK, 0) < 0) {
    end_watch(w);
    return 0;
  }
  return 1;
}

static int check_v2(struct oom_watch *w) {
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  ssize_t n;
  bool gone = false;
  while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *ev = (struct inotify_event *)p;
      gone |= (ev->mask & IN_IGNORED) != 0;
      p += sizeof(*ev) + ev->len;
    }
  }
  uint64_t kills = w->kills;
  stats_read_key(w->dirfd, "memory.events", "oom_kill", &kills);
  int news = kills > w->kills;
  w->kills = kills;
  if (gone)
    end_watch(w);
  return news;
}

int oom_watch_check(struct oom_watch *w) {
  if (w->dirfd < 0)
    return 0;
  if (w->v2)
    return check_v2(w);
  return w->fd >= 0 ? check_v1(w) : 0;
}

void oom_watch_close(struct oom_watch *w) {
  end_watch(w);
  if (w->ctlfd >= 0)
    close(w->ctlfd);
  if (w->dirfd >= 0)
    close(w->dirfd);
  w->ctlfd = w->dirfd = -1;
}
