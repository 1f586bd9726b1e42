/* cgroups: where a container's processes go, on v1, v2 and hybrid hosts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cgroup.h"

#include "cleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
#define MAX_HIERARCHIES 32

/* The mounted hierarchies, found once per process. */
struct hierarchies {
  bool loaded;
  bool unified; /* pure v2 */
  size_t n;
  char names[MAX_HIERARCHIES][64]; /* directory under /sys/fs/cgroup */
};

static struct hierarchies H;

static int load_hierarchies(husk_error **err) {
  if (H.loaded)
    return 0;
  struct statfs sfs;
  if (statfs(CGROUP_ROOT, &sfs) < 0)
    return husk_error_set(err, errno, "statfs %s", CGROUP_ROOT);
  if (sfs.f_type == CGROUP2_SUPER_MAGIC) {
    H.unified = true;
    H.n = 1;
    H.names[0][0] = '\0';
    H.loaded = true;
    return 0;
  }
  cleanup_dir DIR *d = opendir(CGROUP_ROOT);
  if (d == NULL)
    return husk_error_set(err, errno, "open %s", CGROUP_ROOT);
  struct dirent *e;
  /* Symlinks (cpu -> cpu,cpuacct) name a hierarchy twice: skip them. */
  while ((e = readdir(d)) != NULL && H.n < MAX_HIERARCHIES) {
    if (e->d_type != DT_DIR || e->d_name[0] == '.' ||
        strlen(e->d_name) >= sizeof(H.names[0]))
      continue;
    char p[PATH_MAX];
    snprintf(p, sizeof(p), CGROUP_ROOT "/%s", e->d_name);
    if (statfs(p, &sfs) < 0)
      continue;
    if (sfs.f_type != CGROUP_SUPER_MAGIC && sfs.f_type != CGROUP2_SUPER_MAGIC)
      continue;
    strcpy(H.names[H.n++], e->d_name);
  }
  if (H.n == 0)
    return husk_error_set(err, 0, "no cgroup hierarchy is mounted under %s",
                          CGROUP_ROOT);
  H.loaded = true;
  return 0;
}

static void hierarchy_path(size_t i, const char *path, char *buf, size_t size) {
  if (H.unified)
    snprintf(buf, size, CGROUP_ROOT "%s", path);
  else
    snprintf(buf, size, CGROUP_ROOT "/%s%s", H.names[i], path);
}

/* The runtime's own cgroup, from /proc/self/cgroup: the v2 line ("0::")
 * on unified hosts, else the pids hierarchy (present on every v1 host
 * that runs containers), else the first. */
static int own_cgroup(char **out, husk_error **err) {
  cleanup_fclose FILE *f = fopen("/proc/self/cgroup", "re");
  if (f == NULL)
    return husk_error_set(err, errno, "open /proc/self/cgroup");
  char line[4096];
  char *best = NULL;
  while (fgets(line, sizeof(line), f)) {
    line[strcspn(line, "\n")] = '\0';
    char *ctrl = strchr(line, ':');
    char *path = ctrl ? strchr(ctrl + 1, ':') : NULL;
    if (path == NULL)
      continue;
    *path++ = '\0';
    ctrl++;
    bool pick = H.unified ? *ctrl == '\0' : strcmp(ctrl, "pids") == 0;
    if (pick || best == NULL) {
      free(best);
      best = strdup(path);
      if (best == NULL)
        return husk_error_set(err, ENOMEM, "own cgroup");
      if (pick)
        break;
    }
  }
  if (best == NULL)
    return husk_error_set(err, 0, "cannot find the runtime's own cgroup");
  *out = best;
  return 0;
}

int cgroup_resolve(const struct oci_spec *spec, const char *id, char **path,
                   husk_error **err) {
  const char *given = spec->linux ? spec->linux->cgroups_path : NULL;
  char *p = NULL;
  int r;
  if (load_hierarchies(err) < 0)
    return -1;
  if (given == NULL || *given == '\0') {
    r = asprintf(&p, "/husk/%s", id);
  } else if (*given == '/') {
    r = asprintf(&p, "%s", given);
  } else {
    cleanup_free char *own = NULL;
    if (own_cgroup(&own, err) < 0)
      return -1;
    r = asprintf(&p, "%s/%s", strcmp(own, "/") == 0 ? "" : own, given);
  }
  if (r < 0)
    return husk_error_set(err, ENOMEM, "cgroup path");
  /* A path that climbs out would put the container in someone else's
   * cgroup, and remove that on delete. */
  for (char *c = p; (c = strstr(c, "..")) != NULL; c += 2) {
    if ((c == p || c[-1] == '/') && (c[2] == '/' || c[2] == '\0')) {
      husk_error_set(err, 0, "linux.cgroupsPath: \"%s\" must not contain \"..\"",
                     given);
      free(p);
      return -1;
    }
  }
  /* Trailing slashes would make "/a/" and "/a" two containers' paths. */
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/')
    p[--n] = '\0';
  *path = p;
  return 0;
}

/* A new v1 cpuset cgroup starts with no CPUs and no memory nodes, and no
 * process can join it (ENOSPC) until it has some: give it its parent's. */
static int cpuset_inherit(const char *dir) {
  static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
  for (size_t i = 0; i < 2; i++) {
    char path[PATH_MAX + 32], parent[PATH_MAX], buf[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
    cleanup_close int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
      return -1;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n > 1) /* already set ("\n" alone means empty) */
      continue;
    snprintf(parent, sizeof(parent), "%s", dir);
    *strrchr(parent, '/') = '\0';
    snprintf(path, sizeof(path), "%s/%s", parent, files[i]);
    cleanup_close int pfd = open(path, O_RDONLY | O_CLOEXEC);
    if (pfd < 0 || (n = read(pfd, buf, sizeof(buf) - 1)) <= 0)
      return -1;
    if (pwrite(fd, buf, (size_t)n, 0) != n)
      return -1;
  }
  return 0;
}

static int make_dir(char *p, bool cpuset) {
  if (mkdir(p, 0755) < 0 && errno != EEXIST)
    return -1;
  return cpuset ? cpuset_inherit(p) : 0;
}

static int mkdir_parents(char *p, bool cpuset) {
  for (char *s = p + sizeof(CGROUP_ROOT); (s = strchr(s, '/')) != NULL; s++) {
    *s = '\0';
    int r = make_dir(p, cpuset);
    *s = '/';
    if (r < 0)
      return -1;
  }
  return make_dir(p, cpuset);
}

int cgroup_create(const char *path, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    hierarchy_path(i, path, p, sizeof(p));
    bool cpuset = !H.unified && strcmp(H.names[i], "cpuset") == 0;
    /* A delete may remove the shared /husk parent between our mkdirs. */
    int tries = 0, r;
    while ((r = mkdir_parents(p, cpuset)) < 0 && errno == ENOENT && ++tries < 5)
      ;
    if (r < 0)
      return husk_error_set(err, errno, "create cgroup %s", p);
  }
  return 0;
}

static int write_file(const char *path, const char *data) {
  cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  size_t len = strlen(data);
  return write(fd, data, len) == (ssize_t)len ? 0 : -1;
}

int cgroup_enter(const char *path, pid_t pid, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  char num[16];
  snprintf(num, sizeof(num), "%d", (int)pid);
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    hierarchy_path(i, path, p, sizeof(p));
    strncat(p, "/cgroup.procs", sizeof(p) - strlen(p) - 1);
    if (write_file(p, num) < 0)
      return husk_error_set(err, errno, "join cgroup %s", p);
  }
  return 0;
}

static int pick_hierarchy(void) {
  if (H.unified)
    return 0;
  for (size_t i = 0; i < H.n; i++)
    if (strcmp(H.names[i], "pids") == 0)
      return (int)i;
  return 0;
}

int cgroup_pids(const char *path, pid_t **pids, size_t *n, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  char p[PATH_MAX];
  hierarchy_path((size_t)pick_hierarchy(), path, p, sizeof(p));
  strncat(p, "/cgroup.procs", sizeof(p) - strlen(p) - 1);
  cleanup_fclose FILE *f = fopen(p, "re");
  *pids = NULL;
  *n = 0;
  if (f == NULL)
    return errno == ENOENT ? 0 : husk_error_set(err, errno, "read %s", p);
  size_t cap = 0;
  int v;
  while (fscanf(f, "%d", &v) == 1) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      pid_t *np = realloc(*pids, cap * sizeof(pid_t));
      if (np == NULL) {
        free(*pids);
        *pids = NULL;
        return husk_error_set(err, ENOMEM, "read %s", p);
      }
      *pids = np;
    }
    (*pids)[(*n)++] = v;
  }
  return 0;
}

int cgroup_destroy(const char *path, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  int ret = 0;
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    hierarchy_path(i, path, p, sizeof(p));
    /* The kernel removes a cgroup only once its last process is gone, and
     * an exiting process leaves it a moment after it is reaped. */
    int tries = 0;
    while (rmdir(p) < 0) {
      if (errno == ENOENT)
        break;
      if (errno != EBUSY || ++tries > 200) {
        ret = husk_error_set(err, errno, "remove cgroup %s", p);
        break;
      }
      usleep(5000);
    }
    /* husk's default parent is husk's to tidy once empty; any other parent
     * may be someone else's. */
    char *slash = strrchr(p, '/');
    if (ret == 0 && strncmp(path, "/husk/", 6) == 0 && strchr(path + 6, '/') == NULL) {
      *slash = '\0';
      (void)rmdir(p);
    }
  }
  return ret;
}

bool cgroup_is_frozen(const char *path) {
  if (load_hierarchies(NULL) < 0)
    return false;
  char p[PATH_MAX], buf[16] = "";
  if (H.unified)
    snprintf(p, sizeof(p), CGROUP_ROOT "%s/cgroup.freeze", path);
  else
    snprintf(p, sizeof(p), CGROUP_ROOT "/freezer%s/freezer.state", path);
  cleanup_close int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  return H.unified ? buf[0] == '1' : strncmp(buf, "FROZEN", 6) == 0;
}
