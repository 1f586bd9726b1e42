/* cgroups: where a container's processes go, on v1, v2 and hybrid hosts,
 * and which hierarchy each resource of linux.resources is written in.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The file formats are cgroup-v1.c's and cgroup-v2.c's; here is the
 * layout: each controller is looked for as a v1 hierarchy first, then in
 * the v2 tree (all of them on a pure v2 host; on a hybrid host the v2
 * tree at /sys/fs/cgroup/unified may hold some, as hugetlb).  A v2
 * controller is enabled in cgroup.subtree_control of the container's
 * ancestors when a resource needs it, and on a pure v2 host all of them
 * at create, as runc does, for the engines that read the container's
 * statistics files.  No file is read for a resource the config lacks.
 */
#include "config.h"

#include "cgroup.h"

#include "cgroup-internal.h"
#include "cleanup.h"
#include "strjoin.h"

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

#define MAX_HIERARCHIES 32

/* The mounted hierarchies, found once per process. */
struct hierarchies {
  bool loaded;
  bool unified; /* pure v2 */
  int v2;       /* hybrid: index of the v2 tree in names, else -1 */
  size_t n;
  char names[MAX_HIERARCHIES][64]; /* directory under /sys/fs/cgroup */
  /* Co-mounted controllers' links (cpu -> cpu,cpuacct), read once here
   * rather than with a readlink per lookup. */
  size_t nlinks;
  char links[MAX_HIERARCHIES][2][64]; /* [0] the link, [1] its target */
};

static struct hierarchies H;

/* /proc/self/cgroup, read once per process: "ID:CONTROLLERS:PATH" lines. */
static char self_cgroup[8192];

static int read_self_cgroup(husk_error **err) {
  if (self_cgroup[0] != '\0')
    return 0;
  cleanup_close int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open /proc/self/cgroup");
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, self_cgroup + n, sizeof(self_cgroup) - 1 - n);
    if (r < 0)
      return husk_error_set(err, errno, "read /proc/self/cgroup");
    if (r == 0)
      break;
    n += (size_t)r;
    if (n == sizeof(self_cgroup) - 1) {
      self_cgroup[0] = '\0';
      return husk_error_set(err, E2BIG, "read /proc/self/cgroup");
    }
  }
  self_cgroup[n] = '\0';
  return 0;
}

/* Each line of /proc/self/cgroup: its CONTROLLERS field (len bytes at
 * ctrls) and PATH (plen bytes at path); stops early when fn returns
 * non-zero, and returns that. */
static int each_self_cgroup(int (*fn)(const char *ctrls, size_t len,
                                      const char *path, size_t plen,
                                      void *data),
                            void *data) {
  for (const char *l = self_cgroup; *l;) {
    const char *end = strchrnul(l, '\n');
    const char *c = memchr(l, ':', (size_t)(end - l));
    const char *p = c ? memchr(c + 1, ':', (size_t)(end - c - 1)) : NULL;
    int r;
    if (p && (r = fn(c + 1, (size_t)(p - c - 1), p + 1,
                     (size_t)(end - p - 1), data)) != 0)
      return r;
    l = *end ? end + 1 : end;
  }
  return 0;
}

static int is_named(const char *ctrls, size_t len, const char *path,
                    size_t plen, void *data) {
  (void)path;
  (void)plen;
  const char *name = data;
  if (len > 5 && strncmp(ctrls, "name=", 5) == 0) {
    ctrls += 5;
    len -= 5;
  }
  return len > 0 && strlen(name) == len && strncmp(ctrls, name, len) == 0;
}

static int load_hierarchies(husk_error **err) {
  if (H.loaded)
    return 0;
  struct statfs sfs;
  if (statfs(CGROUP_ROOT, &sfs) < 0)
    return husk_error_set(err, errno, "statfs %s", CGROUP_ROOT);
  H.v2 = -1;
  if (sfs.f_type == CGROUP2_SUPER_MAGIC) {
    H.unified = true;
    H.n = 1;
    H.names[0][0] = '\0';
    H.loaded = true;
    return 0;
  }
  if (read_self_cgroup(err) < 0)
    return -1;
  cleanup_dir DIR *d = opendir(CGROUP_ROOT);
  if (d == NULL)
    return husk_error_set(err, errno, "open %s", CGROUP_ROOT);
  struct dirent *e;
  /* Symlinks (cpu -> cpu,cpuacct) name a hierarchy twice: skip them. */
  while ((e = readdir(d)) != NULL && H.n < MAX_HIERARCHIES) {
    if (e->d_name[0] == '.' || strlen(e->d_name) >= sizeof(H.names[0]))
      continue;
    char p[PATH_MAX];
    strjoin(p, sizeof(p), CGROUP_ROOT "/", e->d_name, NULL);
    if (e->d_type == DT_LNK && H.nlinks < MAX_HIERARCHIES) {
      char *l = H.links[H.nlinks][1];
      ssize_t n = readlink(p, l, sizeof(H.links[0][1]) - 1);
      if (n > 0) {
        l[n] = '\0';
        strcpy(H.links[H.nlinks++][0], e->d_name);
      }
      continue;
    }
    if (e->d_type != DT_DIR)
      continue;
    /* A directory named for one of our v1 hierarchies is its mount, as
     * every layout that mounts them under /sys/fs/cgroup has it; the
     * others (the v2 tree of a hybrid host, an unmounted leftover) are
     * asked of the kernel.  A statfs each costs a plain `run` ~1 %. */
    if (!each_self_cgroup(is_named, e->d_name)) {
      if (statfs(p, &sfs) < 0)
        continue;
      if (sfs.f_type != CGROUP_SUPER_MAGIC && sfs.f_type != CGROUP2_SUPER_MAGIC)
        continue;
      if (sfs.f_type == CGROUP2_SUPER_MAGIC)
        H.v2 = (int)H.n;
    }
    strcpy(H.names[H.n++], e->d_name);
  }
  if (H.n == 0)
    return husk_error_set(err, 0, "no cgroup hierarchy is mounted under %s",
                          CGROUP_ROOT);
  H.loaded = true;
  return 0;
}

/* Whether v1 controller `ctl` has a hierarchy: known from
 * load_hierarchies() for a directory, asked of the kernel for a link
 * (cpu -> cpu,cpuacct) or a name that is not there. */
static bool is_v1_mount(const char *ctl) {
  for (size_t i = 0; !H.unified && i < H.n; i++)
    if (strcmp(H.names[i], ctl) == 0)
      return (int)i != H.v2;
  char p[PATH_MAX];
  struct statfs sfs;
  strjoin(p, sizeof(p), CGROUP_ROOT "/", ctl, NULL);
  return statfs(p, &sfs) == 0 && sfs.f_type == CGROUP_SUPER_MAGIC;
}

/* The path of the container's cgroup in hierarchy `name`. */
static const char *path_in(const struct cgroup_paths *cg, const char *name) {
  for (size_t i = 0; i < cg->per_len; i++)
    if (strcmp(cg->per[i].key, name) == 0)
      return cg->per[i].value;
  return cg->path;
}

/* The hierarchy that v1 controller `ctrl` is in: its directory under
 * /sys/fs/cgroup, or the one that directory links to when co-mounted
 * (cpu -> cpu,cpuacct). */
static const char *hierarchy_of(const char *ctrl, char *buf, size_t size) {
  for (size_t i = 0; i < H.nlinks; i++)
    if (strcmp(H.links[i][0], ctrl) == 0) {
      strjoin(buf, size, H.links[i][1], NULL);
      const char *slash = strrchr(buf, '/');
      return slash ? slash + 1 : buf;
    }
  return ctrl;
}

/* The directory of the container's cgroup in hierarchy `name`: a directory
 * under /sys/fs/cgroup (or a v1 controller's link to one), "" for the
 * tree of a pure v2 host.  The one place such a directory is built. */
static void hierarchy_path(const struct cgroup_paths *cg, const char *name,
                           char *buf, size_t size) {
  const char *path = cg->path;
  if (cg->per_len) {
    char link[64];
    path = path_in(cg, hierarchy_of(name, link, sizeof(link)));
  }
  strjoin(buf, size, CGROUP_ROOT, *name ? "/" : "", name, path, NULL);
}

/* The v2 tree's name for hierarchy_path() ("" on a pure v2 host, its
 * directory on a hybrid one), NULL when there is none. */
static const char *v2_name(void) {
  return H.unified ? "" : H.v2 >= 0 ? H.names[H.v2] : NULL;
}

/* The hierarchy of a /proc/self/cgroup line's controllers ("" for v2,
 * "cpu,cpuacct", "name=systemd"), -1 when none is mounted. */
static int hierarchy_index(const char *ctrls) {
  if (*ctrls == '\0')
    return H.unified ? 0 : H.v2;
  if (H.unified)
    return -1;
  char first[64], link[64];
  size_t len = strcspn(ctrls, ",");
  if (len >= sizeof(first))
    len = sizeof(first) - 1;
  memcpy(first, ctrls, len);
  first[len] = '\0';
  const char *name = strncmp(first, "name=", 5) == 0 ? first + 5 : first;
  name = hierarchy_of(name, link, sizeof(link));
  for (size_t i = 0; i < H.n; i++)
    if (strcmp(H.names[i], ctrls) == 0 || strcmp(H.names[i], name) == 0)
      return (int)i;
  return -1;
}

/* The runtime's own cgroup in each hierarchy, from /proc/self/cgroup:
 * own[i] (malloc'ed) for H.names[i], NULL where no line names it. */
struct own_data {
  char **own;
  husk_error **err;
};

static int own_one(const char *ctrls, size_t len, const char *path,
                   size_t plen, void *data) {
  struct own_data *d = data;
  char c[256];
  if (len >= sizeof(c))
    return 0;
  memcpy(c, ctrls, len);
  c[len] = '\0';
  int i = hierarchy_index(c);
  if (i < 0 || d->own[i] != NULL)
    return 0;
  if ((d->own[i] = strndup(path, plen)) == NULL)
    return husk_error_set(d->err, ENOMEM, "own cgroup");
  return 0;
}

static int own_cgroups(char *own[MAX_HIERARCHIES], husk_error **err) {
  if (read_self_cgroup(err) < 0)
    return -1;
  struct own_data d = {own, err};
  return each_self_cgroup(own_one, &d);
}

/* The hierarchy whose cgroup.procs lists the container's processes: the
 * unified tree on v2, else pids (present on every v1 host that runs
 * containers), else the first. */
static size_t pick_hierarchy(void) {
  if (H.unified)
    return 0;
  for (size_t i = 0; i < H.n; i++)
    if (strcmp(H.names[i], "pids") == 0)
      return i;
  return 0;
}

/* Refuse a path that climbs out, which would put the container in someone
 * else's cgroup and remove that on delete; drop trailing slashes, which
 * would make "/a/" and "/a" two containers' paths. */
static int tidy(char *p, const char *given, husk_error **err) {
  for (char *c = p; (c = strstr(c, "..")) != NULL; c += 2)
    if ((c == p || c[-1] == '/') && (c[2] == '/' || c[2] == '\0'))
      return husk_error_set(err, 0,
                            "linux.cgroupsPath: \"%s\" must not contain \"..\"",
                            given);
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/')
    p[--n] = '\0';
  return 0;
}

static char *join_path(const char *own, const char *rel) {
  if (strcmp(own, "/") == 0)
    own = "";
  size_t size = strlen(own) + strlen(rel) + 2;
  char *p = malloc(size);
  if (p)
    strjoin(p, size, own, "/", rel, NULL);
  return p;
}

static void free_own(char *(*own)[MAX_HIERARCHIES]) {
  for (size_t i = 0; i < MAX_HIERARCHIES; i++)
    free((*own)[i]);
}

static void free_per(oci_kv *per, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(per[i].key);
    free(per[i].value);
  }
  free(per);
}

/* A relative path: under the runtime's own cgroup of each hierarchy.
 * *path is the pids hierarchy's (the v2 tree's on v2); *per the others
 * where they differ. */
static int resolve_relative(const char *given, char **path, oci_kv **per,
                            size_t *per_len, husk_error **err) {
  char *own[MAX_HIERARCHIES] __attribute__((cleanup(free_own))) = {0};
  if (own_cgroups(own, err) < 0)
    return -1;
  size_t first = pick_hierarchy();
  if (own[first] == NULL)
    return husk_error_set(err, 0, "linux.cgroupsPath: cannot find the "
                                  "runtime's own cgroup in /proc/self/cgroup");
  cleanup_free char *p = join_path(own[first], given);
  oci_kv *v = calloc(H.n, sizeof(*v));
  size_t n = 0;
  if (p == NULL || v == NULL) {
    free(v);
    return husk_error_set(err, ENOMEM, "cgroup path");
  }
  if (tidy(p, given, err) < 0) {
    free(v);
    return -1;
  }
  for (size_t i = 0; i < H.n; i++) {
    if (own[i] == NULL || i == first)
      continue;
    char *q = join_path(own[i], given);
    if (q && tidy(q, given, err) < 0) {
      free(q);
      free_per(v, n);
      return -1;
    }
    if (q && strcmp(q, p) == 0) {
      free(q);
      continue;
    }
    v[n].key = strdup(H.names[i]);
    v[n++].value = q;
    if (q == NULL || v[n - 1].key == NULL) {
      free_per(v, n);
      return husk_error_set(err, ENOMEM, "cgroup path");
    }
  }
  if (n == 0) {
    free(v);
    v = NULL;
  }
  *path = p;
  p = NULL;
  *per = v;
  *per_len = n;
  return 0;
}

int cgroup_resolve(const struct oci_spec *spec, const char *id, char **path,
                   oci_kv **per, size_t *per_len, husk_error **err) {
  const char *given = spec->linux ? spec->linux->cgroups_path : NULL;
  char *p = NULL;
  int r;
  *per = NULL;
  *per_len = 0;
  if (load_hierarchies(err) < 0)
    return -1;
  /* No path: the id under the runtime's own cgroup, as runc does. */
  if (given == NULL || *given == '\0')
    return resolve_relative(id, path, per, per_len, err);
  if (*given != '/')
    return resolve_relative(given, path, per, per_len, err);
  r = asprintf(&p, "%s", given);
  if (r < 0)
    return husk_error_set(err, ENOMEM, "cgroup path");
  if (tidy(p, given, err) < 0) {
    free(p);
    return -1;
  }
  *path = p;
  return 0;
}

int cgroup_dir(const struct cgroup_paths *cg, const char *ctrl,
               char dir[PATH_MAX], bool *v2, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  const char *name = v2_name();
  *v2 = H.unified || !is_v1_mount(ctrl);
  if (!*v2)
    name = ctrl;
  else if (name == NULL)
    return husk_error_set(err, ENOENT, "no cgroup hierarchy has the %s "
                                       "controller", ctrl);
  hierarchy_path(cg, name, dir, PATH_MAX);
  return 0;
}

int cgroup_each(const struct cgroup_paths *cg,
                int (*fn)(const char *name, bool v2, const char *dir,
                          void *data, husk_error **err),
                void *data, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  for (size_t i = 0; i < H.n; i++) {
    char dir[PATH_MAX];
    hierarchy_path(cg, H.names[i], dir, sizeof(dir));
    int r = fn(H.names[i], H.unified || (int)i == H.v2, dir, data, err);
    if (r != 0)
      return r;
  }
  return 0;
}

struct v1_dirs {
  struct cgroup_v1_dir *v;
  size_t n;
};

static int add_v1_dir(const char *name, bool v2, const char *dir, void *data,
                      husk_error **err) {
  struct v1_dirs *d = data;
  if (v2)
    return 0;
  struct cgroup_v1_dir e = {strdup(name), strdup(dir)};
  struct cgroup_v1_dir *v = reallocarray(d->v, d->n + 1, sizeof(*v));
  if (v == NULL || e.name == NULL || e.dir == NULL) {
    free(e.name);
    free(e.dir);
    if (v)
      d->v = v;
    return husk_error_set(err, ENOMEM, "cgroup");
  }
  d->v = v;
  v[d->n++] = e;
  return 0;
}

int cgroup_v1_dirs(const struct cgroup_paths *cg, struct cgroup_v1_dir **v,
                   size_t *n, husk_error **err) {
  struct v1_dirs d = {0};
  if (cgroup_each(cg, add_v1_dir, &d, err) < 0) {
    cgroup_v1_dirs_free(d.v, d.n);
    return -1;
  }
  *v = d.v;
  *n = d.n;
  return 0;
}

void cgroup_v1_dirs_free(struct cgroup_v1_dir *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].name);
    free(v[i].dir);
  }
  free(v);
}

/* DIR/FILE in p[PATH_MAX]; -1 (ENAMETOOLONG) when it does not fit. */
static int file_path(char *p, const char *dir, const char *file) {
  if (strjoin(p, PATH_MAX, dir, "/", file, NULL) >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

/* Read DIR/FILE into buf (not NUL-terminated); its length, -1 on error. */
static ssize_t read_raw(const char *dir, const char *file, char *buf,
                        size_t size) {
  char p[PATH_MAX];
  if (file_path(p, dir, file) < 0)
    return -1;
  cleanup_close int fd = open(p, O_RDONLY | O_CLOEXEC);
  return fd < 0 ? -1 : read(fd, buf, size);
}

/* Give cpuset cgroup `dir` its parent's CPUs or memory nodes (`file`),
 * first filling the parent from its own parent when it is empty too: made
 * just now (`fresh` > 1: the number of levels from dir up that are new)
 * or left empty by someone.  The hierarchy's root (the first `root_len`
 * bytes of dir) always has some.  buf receives the value, *len its
 * length. */
static int cpuset_copy(char *dir, size_t root_len, unsigned fresh,
                       const char *file, char *buf, size_t size, ssize_t *len) {
  char *slash = strrchr(dir, '/');
  if (slash == NULL || (size_t)(slash - dir) < root_len) {
    errno = EINVAL;
    return -1;
  }
  bool parent_is_root = (size_t)(slash - dir) == root_len;
  ssize_t n = 0;
  int r = 0;
  *slash = '\0';
  if (fresh < 2 || parent_is_root)
    r = (n = read_raw(dir, file, buf, size)) < 0 ? -1 : 0;
  /* "\n" alone means empty. */
  if (r == 0 && n <= 1 && !parent_is_root)
    r = cpuset_copy(dir, root_len, fresh ? fresh - 1 : 0, file, buf, size, &n);
  *slash = '/';
  if (r < 0)
    return -1;
  if (n <= 0) {
    errno = EINVAL;
    return -1;
  }
  char p[PATH_MAX];
  if (file_path(p, dir, file) < 0)
    return -1;
  cleanup_close int fd = open(p, O_WRONLY | O_CLOEXEC);
  if (fd < 0 || write(fd, buf, (size_t)n) != n)
    return -1;
  *len = n;
  return 0;
}

/* A new v1 cpuset cgroup starts with no CPUs and no memory nodes, and no
 * process can join it (ENOSPC) until it has some: give it its parent's.
 * One that was there already (`fresh` 0) keeps what it has; read first,
 * for a delegated cgroup is the user's to enter, not to write.  A new one
 * is empty (or, under cgroup.clone_children, has its parent's already). */
static int cpuset_inherit(char *dir, size_t root_len, unsigned fresh) {
  static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
  for (size_t i = 0; i < 2; i++) {
    char buf[4096];
    ssize_t n;
    if (!fresh && (n = read_raw(dir, files[i], buf, sizeof(buf))) > 1)
      continue;
    if (cpuset_copy(dir, root_len, fresh, files[i], buf, sizeof(buf), &n) < 0)
      return -1;
  }
  return 0;
}

/* mkdir -p for p, whose first `root_len` bytes are the hierarchy's root:
 * the leaf first, its parents only when missing (ENOENT).  *fresh: how
 * many levels from p up are new (0: p was there). */
static int make_path(char *p, size_t root_len, unsigned *fresh) {
  *fresh = mkdir(p, 0755) == 0;
  if (*fresh || errno == EEXIST)
    return 0;
  char *slash = strrchr(p, '/');
  if (errno != ENOENT || slash == NULL || (size_t)(slash - p) < root_len)
    return -1;
  unsigned parents;
  *slash = '\0';
  int r = make_path(p, root_len, &parents);
  *slash = '/';
  if (r < 0)
    return -1;
  if (mkdir(p, 0755) == 0)
    *fresh = parents + 1;
  return *fresh || errno == EEXIST ? 0 : -1;
}

int cgroup_create(const struct cgroup_paths *cg, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    hierarchy_path(cg, H.names[i], p, sizeof(p));
    size_t root_len = sizeof(CGROUP_ROOT) - 1 +
                      (H.unified ? 0 : 1 + strlen(H.names[i]));
    bool cpuset = !H.unified && strcmp(H.names[i], "cpuset") == 0;
    /* A delete may remove the shared /husk parent between our mkdirs. */
    int tries = 0, r;
    do {
      unsigned fresh;
      r = make_path(p, root_len, &fresh);
      if (r == 0 && cpuset)
        r = cpuset_inherit(p, root_len, fresh);
    } while (r < 0 && errno == ENOENT && ++tries < 5);
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

/* The container's `file` in hierarchy i. */
static void file_in(const struct cgroup_paths *cg, size_t i, const char *file,
                    char p[PATH_MAX]) {
  hierarchy_path(cg, H.names[i], p, PATH_MAX);
  strncat(p, file, PATH_MAX - strlen(p) - 1);
}

/* The container's cgroup.procs in hierarchy i. */
static void procs_path(const struct cgroup_paths *cg, size_t i,
                       char p[PATH_MAX]) {
  file_in(cg, i, "/cgroup.procs", p);
}

/* The file through which the init, still its only thread, moves itself
 * into the container's cgroup of hierarchy i by writing "0": on v1 the
 * thread's `tasks`, else cgroup.procs.  The kernel moves a thread that
 * moves itself without taking the lock that freezes every thread group of
 * the system, which cgroup.procs takes, and whose first taking waits out
 * an RCU grace period: ~5 ms of a `run` here, mostly idle, and the idle
 * CPU comes back cold.  One thread moved is the whole process. */
static void self_join_path(const struct cgroup_paths *cg, size_t i,
                           char p[PATH_MAX]) {
  file_in(cg, i, H.unified || (int)i == H.v2 ? "/cgroup.procs" : "/tasks", p);
}

/* The v1 hierarchy of the memory controller, -1 when memory is not a v1
 * controller here (a pure v2 host, or no memory hierarchy). */
static int v1_memory_index(void) {
  if (H.unified)
    return -1;
  char link[64];
  const char *name = hierarchy_of("memory", link, sizeof(link));
  for (size_t i = 0; i < H.n; i++)
    if ((int)i != H.v2 && strcmp(H.names[i], name) == 0)
      return (int)i;
  return -1;
}

int cgroup_open_v1_memory(const struct cgroup_paths *cg, int *fd,
                          const char **path, husk_error **err) {
  *fd = -1;
  *path = NULL;
  if (load_hierarchies(err) < 0)
    return -1;
  int m = v1_memory_index();
  if (m < 0)
    return 0;
  char p[PATH_MAX];
  self_join_path(cg, (size_t)m, p);
  *fd = open(p, O_WRONLY | O_CLOEXEC);
  if (*fd < 0)
    return husk_error_set(err, errno, "open %s", p);
  *path = path_in(cg, H.names[m]);
  return 0;
}

static int enter(const struct cgroup_paths *cg, pid_t pid, int skip,
                 husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  char num[21];
  fmt_i64(num, pid);
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    if ((int)i == skip)
      continue;
    procs_path(cg, i, p);
    if (write_file(p, num) < 0)
      return husk_error_set(err, errno, "join cgroup %s", p);
  }
  return 0;
}

int cgroup_enter(const struct cgroup_paths *cg, pid_t pid, husk_error **err) {
  return enter(cg, pid, -1, err);
}

int cgroup_enter_but_v1_memory(const struct cgroup_paths *cg, pid_t pid,
                               husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  return enter(cg, pid, v1_memory_index(), err);
}

int cgroup_open_procs_but_v1_memory(const struct cgroup_paths *cg,
                                    struct cgroup_procs **procs, size_t *n,
                                    husk_error **err) {
  *procs = NULL;
  *n = 0;
  if (load_hierarchies(err) < 0)
    return -1;
  struct cgroup_procs *v = calloc(H.n, sizeof(*v));
  if (v == NULL)
    return husk_error_set(err, ENOMEM, "cgroup");
  int skip = v1_memory_index();
  size_t k = 0;
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    if ((int)i == skip)
      continue;
    self_join_path(cg, i, p);
    v[k].fd = open(p, O_WRONLY | O_CLOEXEC);
    v[k].path = v[k].fd < 0 ? NULL : strdup(p);
    if (v[k].fd < 0 || v[k].path == NULL) {
      int e = v[k].fd < 0 ? errno : ENOMEM;
      cgroup_procs_close(v, k + (v[k].fd >= 0));
      return husk_error_set(err, e, "open %s", p);
    }
    k++;
  }
  *procs = v;
  *n = k;
  return 0;
}

void cgroup_procs_close(struct cgroup_procs *procs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (procs[i].fd >= 0)
      close(procs[i].fd);
    free(procs[i].path);
  }
  free(procs);
}

int cgroup_pids(const struct cgroup_paths *cg, pid_t **pids, size_t *n,
                husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  char p[PATH_MAX];
  procs_path(cg, pick_hierarchy(), p);
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

/* rmdir in every hierarchy, waiting up to `busy_tries` * 5 ms for one
 * still in use; gone already is fine. */
static int remove_all(const struct cgroup_paths *cg, int busy_tries,
                      husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  int ret = 0;
  for (size_t i = 0; i < H.n; i++) {
    char p[PATH_MAX];
    hierarchy_path(cg, H.names[i], p, sizeof(p));
    /* The kernel removes a cgroup only once its last process is gone, and
     * an exiting process leaves it a moment after it is reaped. */
    int tries = 0;
    while (rmdir(p) < 0) {
      if (errno == ENOENT)
        break;
      if (errno != EBUSY || ++tries > busy_tries) {
        ret = husk_error_set(err, errno, "remove cgroup %s", p);
        break;
      }
      usleep(5000);
    }
  }
  return ret;
}

int cgroup_destroy(const struct cgroup_paths *cg, husk_error **err) {
  return remove_all(cg, 200, err);
}

bool cgroup_destroy_if_empty(const struct cgroup_paths *cg) {
  return remove_all(cg, 0, NULL) == 0;
}

/* --- files ------------------------------------------------------------------- */

int cg_write(const char *dir, const char *file, const char *value) {
  char p[PATH_MAX];
  return file_path(p, dir, file) < 0 ? -1 : write_file(p, value);
}

int cg_set(const char *dir, const char *file, const char *value,
           const char *json, husk_error **err) {
  if (cg_write(dir, file, value) < 0)
    return husk_error_set(err, errno, "%s: write %s", json, file);
  return 0;
}

int cg_set_fd(int *fd, const char *dir, const char *file, const char *value,
              const char *json, husk_error **err) {
  char p[PATH_MAX];
  if (*fd < 0 && file_path(p, dir, file) == 0)
    *fd = open(p, O_WRONLY | O_CLOEXEC);
  size_t len = strlen(value);
  if (*fd < 0 || write(*fd, value, len) != (ssize_t)len)
    return husk_error_set(err, errno, "%s: write %s", json, file);
  return 0;
}

int cg_set_all(const char *dir, const struct cg_item *items, size_t n,
               husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    if (cg_write(dir, items[i].file, items[i].value) == 0)
      continue;
    if (errno != EINVAL)
      return husk_error_set(err, errno, "%s: write %s", items[i].json,
                            items[i].file);
    for (size_t j = n; j-- > 0;)
      if (cg_set(dir, items[j].file, items[j].value, items[j].json, err) < 0)
        return -1;
    return 0;
  }
  return 0;
}

int cg_read(const char *dir, const char *file, char *buf, size_t size,
            const char *json, husk_error **err) {
  char p[PATH_MAX];
  cleanup_close int fd =
      file_path(p, dir, file) < 0 ? -1 : open(p, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);
  if (n < 0)
    return husk_error_set(err, errno, "%s: read %s", json, file);
  buf[n] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  return 0;
}

bool cg_exists(const char *dir, const char *file) {
  char p[PATH_MAX];
  return file_path(p, dir, file) == 0 && access(p, F_OK) == 0;
}

/* --- where a controller lives ------------------------------------------------ */

enum cg_kind { CG_ABSENT, CG_V1, CG_V2 };

struct cg_dir {
  enum cg_kind kind;
  char path[PATH_MAX]; /* the container's cgroup in that hierarchy */
};

/* The v2 tree's mount: /sys/fs/cgroup, or /sys/fs/cgroup/unified on a
 * hybrid host; NULL when there is none.  *path: the container's cgroup in
 * it, and *dir (when not NULL) its directory. */
static const char *v2_root(const struct cgroup_paths *cg, char *buf,
                           size_t size, const char **path, char *dir) {
  const char *name = v2_name();
  if (name == NULL)
    return NULL;
  *path = path_in(cg, name);
  if (dir)
    hierarchy_path(cg, name, dir, PATH_MAX);
  if (H.unified)
    return CGROUP_ROOT;
  strjoin(buf, size, CGROUP_ROOT "/", name, NULL);
  return buf;
}

/* Whether the space-separated `list` has `word`. */
static bool has_word(const char *list, const char *word) {
  size_t len = strlen(word);
  for (const char *c = list; (c = strstr(c, word)) != NULL; c += len)
    if ((c == list || c[-1] == ' ') && (c[len] == ' ' || c[len] == '\0'))
      return true;
  return false;
}

/* The v2 tree's controllers (its root's cgroup.controllers), read once;
 * "" when unreadable. */
static const char *v2_controllers(const char *root) {
  static char controllers[512];
  static bool loaded;
  if (!loaded) {
    husk_error *ignored = NULL;
    if (cg_read(root, "cgroup.controllers", controllers, sizeof(controllers),
                "", &ignored) < 0)
      controllers[0] = '\0';
    husk_error_free(ignored);
    loaded = true;
  }
  return controllers;
}

static bool v2_has(const char *root, const char *ctl) {
  return has_word(v2_controllers(root), ctl);
}

/* Write `plus` ("+memory", "+cpu +io") to cgroup.subtree_control of each
 * ancestor of the container, from the root down: a controller's files
 * appear in a v2 cgroup only once its parent enables it for its children.
 * Returns -1 (errno) with the failing directory in `failed`, else 0. */
static int v2_subtree(const char *root, const char *path, const char *plus,
                      int (*fallback)(const char *dir, const char *plus),
                      char failed[PATH_MAX]) {
  char dir[PATH_MAX];
  int n = snprintf(dir, sizeof(dir), "%s%s", root, path);
  if (n < 0 || n >= PATH_MAX) {
    errno = ENAMETOOLONG;
    return -1;
  }
  char *last = strrchr(dir, '/');
  for (char *s = dir + strlen(root);; s = strchr(s + 1, '/')) {
    *s = '\0';
    int r = cg_write(dir, "cgroup.subtree_control", plus);
    if (r < 0 && fallback)
      r = fallback(dir, plus);
    if (r < 0) {
      snprintf(failed, PATH_MAX, "%s", dir);
      return -1;
    }
    *s = '/';
    if (s == last)
      return 0;
  }
}

/* A parent we may not write is fine if the controller is on already. */
static int already_enabled(const char *dir, const char *plus) {
  int e = errno;
  char have[512];
  husk_error *ignored = NULL;
  bool on = cg_read(dir, "cgroup.subtree_control", have, sizeof(have), "",
                    &ignored) == 0 && has_word(have, plus + 1);
  husk_error_free(ignored);
  errno = e;
  return on ? 0 : -1;
}

static int v2_enable(const char *root, const char *path, const char *ctl,
                     husk_error **err) {
  char plus[64], failed[PATH_MAX];
  snprintf(plus, sizeof(plus), "+%s", ctl);
  if (v2_subtree(root, path, plus, already_enabled, failed) < 0)
    return husk_error_set(err, errno,
                          "enable the %s controller: write %s/cgroup.subtree_control",
                          ctl, failed);
  return 0;
}

/* One by one what a write of them all refused, each as it can. */
static int each_controller(const char *dir, const char *plus) {
  char list[512];
  snprintf(list, sizeof(list), "%s", plus);
  for (char *save, *w = strtok_r(list, " ", &save); w;
       w = strtok_r(NULL, " ", &save))
    (void)cg_write(dir, "cgroup.subtree_control", w);
  return 0;
}

/* At create on a pure v2 host, every controller the host has, as runc
 * does: engines read the container's memory.stat, cpu.stat, io.stat
 * themselves, which exist only where the controller is enabled. */
static void v2_enable_all(const struct cgroup_paths *cg) {
  const char *path = path_in(cg, "");
  char plus[600] = "", failed[PATH_MAX];
  size_t n = 0;
  char list[512];
  snprintf(list, sizeof(list), "%s", v2_controllers(CGROUP_ROOT));
  for (char *save, *w = strtok_r(list, " ", &save); w && n < sizeof(plus) - 80;
       w = strtok_r(NULL, " ", &save))
    n += (size_t)snprintf(plus + n, sizeof(plus) - n, "%s+%s", n ? " " : "", w);
  if (n)
    (void)v2_subtree(CGROUP_ROOT, path, plus, each_controller, failed);
}

/* Where the container's cgroup is for controller `v1` (its v1 name) or
 * `v2` (its v2 name; NULL: none).  A v2 controller is enabled for it. */
static int locate(const struct cgroup_paths *cg, const char *v1,
                  const char *v2, struct cg_dir *out, husk_error **err) {
  char buf[PATH_MAX], dir[PATH_MAX];
  const char *path;
  const char *root = v2_root(cg, buf, sizeof(buf), &path, dir);
  out->kind = CG_ABSENT;
  if (!H.unified && v1 && is_v1_mount(v1)) {
    out->kind = CG_V1;
    hierarchy_path(cg, v1, out->path, sizeof(out->path));
  } else if (root && v2 && v2_has(root, v2)) {
    if (v2_enable(root, path, v2, err) < 0)
      return -1;
    out->kind = CG_V2;
    snprintf(out->path, sizeof(out->path), "%s", dir);
  }
  return 0;
}

/* locate(), refusing an absent controller on behalf of `json`. */
static int locate_needed(const struct cgroup_paths *cg, const char *v1,
                         const char *v2, const char *json, struct cg_dir *out,
                         husk_error **err) {
  if (locate(cg, v1, v2, out, err) < 0)
    return husk_error_prefix(err, "%s", json);
  if (out->kind == CG_ABSENT)
    return husk_error_set(err, 0,
                          "%s: the %s controller is not available on this host",
                          json, H.unified && v2 ? v2 : v1);
  return 0;
}

/* --- resources ----------------------------------------------------------------- */

static bool any_memory(const struct oci_linux_memory *m) {
  return m && (m->limit_present || m->reservation_present || m->swap_present ||
               m->kernel_present || m->kernel_tcp_present ||
               m->swappiness_present || m->disable_oom_killer_present ||
               m->use_hierarchy_present);
}

static bool any_cpu(const struct oci_linux_cpu *c) {
  return c && (c->shares_present || c->quota_present || c->period_present ||
               c->burst_present || c->realtime_runtime_present ||
               c->realtime_period_present || c->idle_present);
}

static bool any_cpuset(const struct oci_linux_cpu *c) {
  return c && ((c->cpus && *c->cpus) || (c->mems && *c->mems));
}

static bool any_blkio(const struct oci_linux_blkio *b) {
  return b && (b->weight_present || b->leaf_weight_present ||
               b->weight_device_len || b->throttle_read_bps_device_len ||
               b->throttle_write_bps_device_len ||
               b->throttle_read_iops_device_len ||
               b->throttle_write_iops_device_len);
}

static int apply_memory(const struct cgroup_paths *cg, const struct oci_linux_memory *m,
                        bool update, husk_error **err) {
  struct cg_dir d;
  if (locate_needed(cg, "memory", "memory", "linux.resources.memory", &d,
                    err) < 0)
    return -1;
  return d.kind == CG_V1 ? cg_v1_memory(d.path, m, update, err)
                         : cg_v2_memory(d.path, m, update, err);
}

static int apply_cpu(const struct cgroup_paths *cg, const struct oci_linux_cpu *c,
                     husk_error **err) {
  struct cg_dir d;
  if (any_cpuset(c)) {
    const char *json = c->cpus && *c->cpus ? "linux.resources.cpu.cpus"
                                            : "linux.resources.cpu.mems";
    if (locate_needed(cg, "cpuset", "cpuset", json, &d, err) < 0 ||
        cg_cpuset(d.path, c, err) < 0)
      return -1;
  }
  if (!any_cpu(c))
    return 0;
  if (locate_needed(cg, "cpu", "cpu", "linux.resources.cpu", &d, err) < 0)
    return -1;
  return d.kind == CG_V1 ? cg_v1_cpu(d.path, c, err) : cg_v2_cpu(d.path, c, err);
}

static int apply_blkio(const struct cgroup_paths *cg, const struct oci_linux_blkio *b,
                       husk_error **err) {
  struct cg_dir d;
  if (locate_needed(cg, "blkio", "io", "linux.resources.blockIO", &d, err) < 0)
    return -1;
  return d.kind == CG_V1 ? cg_v1_blkio(d.path, b, err)
                         : cg_v2_io(d.path, b, err);
}

static int apply_pids(const struct cgroup_paths *cg, const struct oci_linux_pids *p,
                      husk_error **err) {
  struct cg_dir d;
  if (locate_needed(cg, "pids", "pids", "linux.resources.pids", &d, err) < 0)
    return -1;
  return cg_pids(d.path, p, err);
}

static int apply_hugetlb(const struct cgroup_paths *cg, const struct oci_linux_resources *r,
                         husk_error **err) {
  struct cg_dir d;
  if (locate_needed(cg, "hugetlb", "hugetlb", "linux.resources.hugepageLimits",
                    &d, err) < 0)
    return -1;
  return cg_hugetlb(d.path, d.kind == CG_V2, r->hugepage_limits,
                    r->hugepage_limits_len, err);
}

/* net_cls and net_prio are v1 only: v2 tags traffic by cgroup path (eBPF,
 * nftables "socket cgroupv2") instead. */
static int apply_network(const struct cgroup_paths *cg, const struct oci_linux_network *n,
                         husk_error **err) {
  if (H.unified && n->class_id_present)
    return husk_error_set(err, 0, "linux.resources.network.classID: cgroup v2 "
                                  "has no net_cls controller");
  if (H.unified)
    return husk_error_set(err, 0, "linux.resources.network.priorities: cgroup "
                                  "v2 has no net_prio controller");
  struct cg_dir d;
  if (n->class_id_present &&
      (locate_needed(cg, "net_cls", NULL, "linux.resources.network.classID",
                     &d, err) < 0 ||
       cg_v1_net_cls(d.path, n, err) < 0))
    return -1;
  if (n->priorities_len &&
      (locate_needed(cg, "net_prio", NULL,
                     "linux.resources.network.priorities", &d, err) < 0 ||
       cg_v1_net_prio(d.path, n, err) < 0))
    return -1;
  return 0;
}

static int apply_rdma(const struct cgroup_paths *cg, const struct oci_linux_resources *r,
                      husk_error **err) {
  struct cg_dir d;
  if (locate_needed(cg, "rdma", "rdma", "linux.resources.rdma", &d, err) < 0)
    return -1;
  return cg_rdma(d.path, r->rdma, r->rdma_len, err);
}

/* The devices every container gets are added even when the config lists
 * none (as runc does), so `given` only says whether a missing device
 * controller is the config's problem. */
static int apply_devices(const struct cgroup_paths *cg,
                         const struct oci_linux_device_cgroup *devs, size_t n,
                         bool given, husk_error **err) {
  cleanup_free struct cg_dev_rule *rules = NULL;
  size_t len;
  if (cg_device_rules(devs, n, &rules, &len, err) < 0)
    return -1;
  char buf[PATH_MAX], dir[PATH_MAX];
  const char *path;
  const char *root = v2_root(cg, buf, sizeof(buf), &path, dir);
  /* v1's device controller if mounted; else the v2 tree's filter, which
   * also works for the v2 tree of a hybrid host. */
  if (!H.unified && is_v1_mount("devices")) {
    hierarchy_path(cg, "devices", dir, sizeof(dir));
    return cg_v1_devices(dir, rules, len, err);
  }
  if (root)
    return cg_v2_devices(dir, rules, len, err);
  if (given)
    return husk_error_set(err, 0,
                          "linux.resources.devices: no device controller on "
                          "this host");
  return 0;
}

/* Raw v2 files: in the v2 tree (pure), or in the v2 tree of a hybrid host
 * when the file is there (a controller that hybrid host put on v2). */
static int apply_unified(const struct cgroup_paths *cg,
                         const struct oci_linux_resources *r,
                         husk_error **err) {
  char buf[PATH_MAX], dir[PATH_MAX];
  const char *path;
  const char *root = v2_root(cg, buf, sizeof(buf), &path, dir);
  if (root == NULL)
    return husk_error_set(err, 0,
                          "linux.resources.unified: needs cgroup v2");
  for (size_t i = 0; i < r->unified_len; i++) {
    const char *key = r->unified[i].key;
    char json[PATH_MAX];
    snprintf(json, sizeof(json), "linux.resources.unified.%s", key);
    if (!cg_file_name_ok(key) || strchr(key, '.') == NULL)
      return husk_error_set(err, 0,
                            "%s: not the name of a cgroup v2 file", json);
    /* "memory.high" needs the memory controller; "cgroup.*" is core. */
    char ctl[64];
    snprintf(ctl, sizeof(ctl), "%.*s", (int)strcspn(key, "."), key);
    if (strcmp(ctl, "cgroup") != 0 && v2_has(root, ctl) &&
        v2_enable(root, path, ctl, err) < 0)
      return husk_error_prefix(err, "%s", json);
    if (!H.unified && !cg_exists(dir, key))
      return husk_error_set(err, 0,
                            "%s: not in the cgroup v2 tree of this hybrid host "
                            "(%s); its controller is on cgroup v1",
                            json, root);
    if (cg_set(dir, key, r->unified[i].value ? r->unified[i].value : "", json,
               err) < 0)
      return -1;
  }
  return 0;
}

int cgroup_apply(const struct cgroup_paths *cg,
                 const struct oci_linux_resources *r, bool update,
                 husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  if (H.unified && !update)
    v2_enable_all(cg);
  if (r) {
    if ((any_cpu(r->cpu) || any_cpuset(r->cpu)) &&
        apply_cpu(cg, r->cpu, err) < 0)
      return -1;
    if (any_memory(r->memory) && apply_memory(cg, r->memory, update, err) < 0)
      return -1;
    if (any_blkio(r->block_io) && apply_blkio(cg, r->block_io, err) < 0)
      return -1;
    if (r->pids && r->pids->limit_present && apply_pids(cg, r->pids, err) < 0)
      return -1;
    if (r->hugepage_limits_len && apply_hugetlb(cg, r, err) < 0)
      return -1;
    if (r->network && (r->network->class_id_present || r->network->priorities_len) &&
        apply_network(cg, r->network, err) < 0)
      return -1;
    if (r->rdma_len && apply_rdma(cg, r, err) < 0)
      return -1;
  }
  /* On update, the device rules are replaced only when given. */
  bool devices = r && r->devices;
  if ((!update || devices) &&
      apply_devices(cg, devices ? r->devices : NULL,
                    devices ? r->devices_len : 0, devices, err) < 0)
    return -1;
  /* Last, so that a raw value wins over the converted ones (runc's order). */
  if (r && r->unified_len && apply_unified(cg, r, err) < 0)
    return -1;
  return 0;
}

/* --- freezer ------------------------------------------------------------------ */

/* v1's freezer if mounted, else v2's cgroup.freeze (a hybrid host's v2
 * tree has it too). */
static enum cg_kind freezer(const struct cgroup_paths *cg, char dir[PATH_MAX]) {
  char buf[PATH_MAX];
  const char *path;
  if (!H.unified && is_v1_mount("freezer")) {
    hierarchy_path(cg, "freezer", dir, PATH_MAX);
    return CG_V1;
  }
  return v2_root(cg, buf, sizeof(buf), &path, dir) ? CG_V2 : CG_ABSENT;
}

int cgroup_freeze(const struct cgroup_paths *cg, bool freeze,
                  husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  char dir[PATH_MAX];
  switch (freezer(cg, dir)) {
  case CG_V1:
    return cg_v1_freeze(dir, freeze, err);
  case CG_V2:
    return cg_v2_freeze(dir, freeze, err);
  default:
    return husk_error_set(err, 0, "no cgroup freezer on this host");
  }
}

bool cgroup_is_frozen(const struct cgroup_paths *cg) {
  if (load_hierarchies(NULL) < 0)
    return false;
  char dir[PATH_MAX];
  switch (freezer(cg, dir)) {
  case CG_V1:
    return cg_v1_is_frozen(dir);
  case CG_V2:
    return cg_v2_is_frozen(dir);
  default:
    return false;
  }
}

int cgroup_open_v2_dir(const struct cgroup_paths *cg, husk_error **err) {
  if (load_hierarchies(err) < 0)
    return -1;
  if (!H.unified)
    return husk_error_set(err, EOPNOTSUPP, "cgroup %s: not a cgroup v2 host",
                          cg->path);
  char p[PATH_MAX];
  hierarchy_path(cg, H.names[0], p, sizeof(p));
  int fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open cgroup %s", p);
  return fd;
}
