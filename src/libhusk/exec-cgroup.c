/* `exec --cgroup`: an exec'd process in an existing sub-cgroup of the
 * container's cgroup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runc's format: "PATH" for every hierarchy, "CTRL[,CTRL...]:PATH" for the
 * hierarchies of those controllers (v1), repeatable.  The process first
 * joins the container's own cgroup everywhere (cgroup_enter), then moves
 * down where a sub-cgroup is named; sub-cgroups are never made, as runc.
 */
#include "config.h"

#include "exec-internal.h"

#include "cgroup.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Does the comma-separated list `a` (len bytes) share a name with `b`? */
static bool lists_meet(const char *a, size_t alen, const char *b) {
  for (const char *x = a; x < a + alen;) {
    size_t xl = strcspn(x, ",");
    if (x + xl > a + alen)
      xl = (size_t)(a + alen - x);
    for (const char *y = b; *y;) {
      size_t yl = strcspn(y, ",");
      if (xl == yl && strncmp(x, y, xl) == 0)
        return true;
      y += yl + (y[yl] == ',');
    }
    x += xl + 1;
  }
  return false;
}

/* The sub-cgroup for hierarchy `dir` (its directory name lists its v1
 * controllers), or NULL: a spec naming its controllers wins over a bare
 * one. */
static const char *sub_for(const char *dir, bool v2, char *const *subs,
                           size_t n) {
  const char *bare = NULL;
  for (size_t i = 0; i < n; i++) {
    const char *colon = strchr(subs[i], ':');
    if (colon == NULL || colon == subs[i]) {
      bare = colon ? colon + 1 : subs[i];
      continue;
    }
    if (!v2 && lists_meet(subs[i], (size_t)(colon - subs[i]), dir))
      return colon + 1;
  }
  return bare;
}

static int check_sub(const char *spec, husk_error **err) {
  const char *colon = strchr(spec, ':');
  const char *p = colon ? colon + 1 : spec;
  if (*p == '\0')
    return husk_error_set(err, 0, "--cgroup \"%s\": empty path", spec);
  for (const char *c = p; (c = strstr(c, "..")) != NULL; c += 2)
    if ((c == p || c[-1] == '/') && (c[2] == '/' || c[2] == '\0'))
      return husk_error_set(err, 0, "--cgroup \"%s\": \"..\" is not allowed",
                            spec);
  return 0;
}

static int join(const char *dir, const char *sub, pid_t pid,
                husk_error **err) {
  char file[PATH_MAX], num[16];
  while (*sub == '/')
    sub++;
  int n = snprintf(file, sizeof(file), "%s/%s/cgroup.procs", dir, sub);
  if (n < 0 || (size_t)n >= sizeof(file))
    return husk_error_set(err, ENAMETOOLONG, "--cgroup %s", sub);
  int len = snprintf(num, sizeof(num), "%d", (int)pid);
  cleanup_close int fd = open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, num, (size_t)len) != len)
    return husk_error_set(err, errno, "--cgroup %s: join %s", sub, file);
  return 0;
}

struct joining {
  char *const *subs;
  size_t n;
  pid_t pid;
};

/* cgroup_each(): down into the sub-cgroup named for this hierarchy. */
static int join_sub(const char *name, bool v2, const char *dir, void *data,
                    husk_error **err) {
  const struct joining *j = data;
  const char *sub = sub_for(name, v2, j->subs, j->n);
  return sub ? join(dir, sub, j->pid, err) : 0;
}

int exec_cgroup_enter(const struct cgroup_paths *cg, char *const *subs,
                      size_t n, pid_t pid, husk_error **err) {
  for (size_t i = 0; i < n; i++)
    if (check_sub(subs[i], err) < 0)
      return -1;
  /* A rootless container without a delegated cgroup has none to join. */
  if (cg->path == NULL)
    return n ? husk_error_set(err, 0, "--cgroup: the container has no cgroup "
                                      "(rootless, none delegated)")
             : 0;
  if (cgroup_enter(cg, pid, err) < 0)
    return -1;
  struct joining j = {subs, n, pid};
  return n == 0 ? 0 : cgroup_each(cg, join_sub, &j, err);
}
