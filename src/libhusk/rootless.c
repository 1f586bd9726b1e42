/* Rootless containers: what an unprivileged runtime can and cannot do.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "rootless.h"

#include "cgroup.h"
#include "cleanup.h"
#include "passwd.h"
#include "safepath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- checks before anything exists ---------------------------------------- */

static bool has_ns(const struct oci_linux *l, const char *type, bool new_only) {
  for (size_t i = 0; l && i < l->namespaces_len; i++)
    if (strcmp(l->namespaces[i].type, type) == 0 &&
        (!new_only || l->namespaces[i].path == NULL))
      return true;
  return false;
}

/* Is [start, start+size) inside a range that `file` (/etc/subuid or
 * /etc/subgid: "user:start:count" lines, user by name or number) grants
 * to `name` / `id`? */
static bool subid_granted(const char *file, const char *name, unsigned id,
                          unsigned long long start, unsigned long long size) {
  cleanup_fclose FILE *f = fopen(file, "re");
  if (f == NULL)
    return false;
  char line[512], num[16];
  snprintf(num, sizeof(num), "%u", id);
  while (fgets(line, sizeof(line), f)) {
    char *c1 = strchr(line, ':');
    if (c1 == NULL)
      continue;
    *c1 = '\0';
    if (strcmp(line, num) != 0 && (name == NULL || strcmp(line, name) != 0))
      continue;
    char *end;
    errno = 0;
    unsigned long long s = strtoull(c1 + 1, &end, 10);
    if (errno || *end != ':')
      continue;
    unsigned long long n = strtoull(end + 1, &end, 10);
    if (errno || (*end != '\n' && *end != '\0'))
      continue;
    if (start >= s && start + size <= s + n)
      return true;
  }
  return false;
}

/* Each host range of a map must be the user's own id or granted by
 * /etc/subuid (/etc/subgid): newuidmap would refuse it after the
 * container began to exist. */
static int check_map(const char *field, const struct oci_linux_id_mapping *m,
                     size_t n, unsigned own, const char *name,
                     const char *file, husk_error **err) {
  for (size_t i = 0; i < n; i++) {
    unsigned long long start = m[i].host_id, size = m[i].size;
    if (size == 0)
      continue;
    if (start == own && size == 1)
      continue;
    if (!subid_granted(file, name, own, start, size))
      return husk_error_set(err, 0,
                            "linux.%s[%zu]: host ids %llu-%llu are not granted "
                            "to %s%s(id %u) by %s",
                            field, i, start, start + size - 1,
                            name ? name : "", name ? " " : "", own, file);
  }
  return 0;
}

static int check_maps(const struct oci_linux *l, husk_error **err) {
  uid_t uid = geteuid();
  gid_t gid = getegid();
  char name[256];
  /* newgidmap looks the user's name up in /etc/subgid, not the group's. */
  const char *user = passwd_user_name(NULL, uid, name, sizeof(name)) ? name : NULL;
  if (check_map("uidMappings", l->uid_mappings, l->uid_mappings_len, uid, user,
                "/etc/subuid", err) < 0)
    return -1;
  return check_map("gidMappings", l->gid_mappings, l->gid_mappings_len, gid,
                   user, "/etc/subgid", err);
}

static bool mapped(const struct oci_linux_id_mapping *m, size_t n,
                   unsigned long id) {
  for (size_t i = 0; i < n; i++)
    if (id >= m[i].container_id && id - m[i].container_id < m[i].size)
      return true;
  return false;
}

/* uid=N / gid=N of a mount (devpts' gid=5) must be an id of the user
 * namespace, or the kernel says only EINVAL. */
static int check_mount_ids(const struct oci_mount *m, size_t idx,
                           const struct oci_linux *l, husk_error **err) {
  for (size_t j = 0; j < m->options_len; j++) {
    const char *o = m->options[j];
    bool gid = strncmp(o, "gid=", 4) == 0;
    if (!gid && strncmp(o, "uid=", 4) != 0)
      continue;
    char *end;
    unsigned long id = strtoul(o + 4, &end, 10);
    if (*end != '\0')
      continue;
    if (gid ? !mapped(l->gid_mappings, l->gid_mappings_len, id)
            : !mapped(l->uid_mappings, l->uid_mappings_len, id))
      return husk_error_set(err, 0,
                            "mounts[%zu].options[%zu]: %s is not mapped by "
                            "linux.%s (husk spec --rootless leaves it out)",
                            idx, j, o, gid ? "gidMappings" : "uidMappings");
  }
  return 0;
}

int rootless_check(const struct oci_spec *s, husk_error **err) {
  const struct oci_linux *l = s->linux;
  if (!has_ns(l, "user", false))
    return husk_error_set(err, 0,
                          "linux.namespaces: a rootless container needs a user "
                          "namespace (husk spec --rootless makes one)");
  if (has_ns(l, "user", true)) {
    if (l->uid_mappings_len == 0 || l->gid_mappings_len == 0)
      return husk_error_set(err, 0,
                            "linux.%s: a rootless container's user namespace "
                            "needs a mapping",
                            l->uid_mappings_len ? "gidMappings" : "uidMappings");
    if (check_maps(l, err) < 0)
      return -1;
  }
  /* sysfs without a network namespace is the host's /sys bound (mounts.c)
   * and device nodes are the host's bound (devices.c), as for root. */
  for (size_t i = 0; i < s->mounts_len; i++) {
    const struct oci_mount *m = &s->mounts[i];
    if (has_ns(l, "user", true) && check_mount_ids(m, i, l, err) < 0)
      return -1;
    /* mount_setattr(MOUNT_ATTR_IDMAP) needs CAP_SYS_ADMIN in the host's
     * user namespace. */
    if (m->uid_mappings_len || m->gid_mappings_len)
      return husk_error_set(err, 0,
                            "mounts[%zu].%s: a rootless container cannot have "
                            "idmapped mounts",
                            i, m->uid_mappings_len ? "uidMappings"
                                                   : "gidMappings");
  }
  return 0;
}

/* --- cgroups ---------------------------------------------------------------- */

/* Limits only a cgroup enforces; device rules are not among them here. */
static const char *asked_limit(const struct oci_linux_resources *r) {
  if (r == NULL)
    return NULL;
  if (r->memory)
    return "memory";
  if (r->cpu)
    return "cpu";
  if (r->pids)
    return "pids";
  if (r->block_io)
    return "blockIO";
  if (r->hugepage_limits_len)
    return "hugepageLimits";
  if (r->network)
    return "network";
  if (r->rdma_len)
    return "rdma";
  if (r->unified_len)
    return "unified";
  return NULL;
}

int rootless_cgroup_setup(const struct cgroup_paths *cg, const struct oci_spec *s,
                          bool *made, husk_error **err) {
  const struct oci_linux_resources *r = s->linux ? s->linux->resources : NULL;
  const char *limit = asked_limit(r);
  bool given = s->linux && s->linux->cgroups_path && *s->linux->cgroups_path;
  husk_error *cerr = NULL;
  *made = false;
  if (cgroup_create(cg, &cerr) < 0) {
    int e = cerr->errno_;
    bool denied = e == EACCES || e == EPERM || e == EROFS;
    /* Parents made in a hierarchy before another one refused. */
    husk_error *ignored = NULL;
    cgroup_destroy(cg, &ignored);
    husk_error_free(ignored);
    if (!denied) {
      *err = cerr;
      return -1;
    }
    /* As runc: a cgroup the config names is wanted, not optional. */
    if (given)
      husk_error_prefix(&cerr,
                        "linux.cgroupsPath: a rootless container gets a "
                        "cgroup only where one is delegated to its user");
    else if (limit)
      husk_error_prefix(&cerr,
                        "linux.resources.%s: a rootless container gets "
                        "limits only in a cgroup delegated to its user",
                        limit);
    else {
      husk_error_free(cerr);
      return 0;
    }
    *err = cerr;
    return -1;
  }
  *made = true;
  if (r == NULL)
    return 0;
  /* As `update` applies: only what is given, and no device rules (they
   * need CAP_SYS_ADMIN on the host, and a user namespace cannot make
   * device nodes anyway). */
  struct oci_linux_resources limits = *r;
  limits.devices = NULL;
  limits.devices_len = 0;
  if (cgroup_apply(cg, &limits, true, err) < 0) {
    husk_error *ignored = NULL;
    cgroup_destroy(cg, &ignored);
    husk_error_free(ignored);
    *made = false;
    return -1;
  }
  return 0;
}

/* --- id maps ------------------------------------------------------------------ */

/* Run the setuid helper (newuidmap PID c h s ...); its complaint, if
 * any, becomes the error. */
static int run_helper(const char *helper, pid_t pid,
                      const struct oci_linux_id_mapping *m, size_t n,
                      const char *field, husk_error **err) {
  size_t argc = 3 + 3 * n;
  cleanup_free char **argv = calloc(argc, sizeof(char *));
  cleanup_free char *nums = malloc((1 + 3 * n) * 12);
  if (argv == NULL || nums == NULL)
    return husk_error_set(err, ENOMEM, "linux.%s", field);
  size_t k = 0;
  argv[k++] = (char *)helper;
  char *p = nums;
  p += sprintf(argv[k++] = p, "%d", (int)pid) + 1;
  for (size_t i = 0; i < n; i++) {
    p += sprintf(argv[k++] = p, "%u", m[i].container_id) + 1;
    p += sprintf(argv[k++] = p, "%u", m[i].host_id) + 1;
    p += sprintf(argv[k++] = p, "%u", m[i].size) + 1;
  }
  argv[k] = NULL;
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) < 0)
    return husk_error_set(err, errno, "linux.%s: pipe", field);
  pid_t child = fork();
  if (child < 0) {
    close(pfd[0]);
    close(pfd[1]);
    return husk_error_set(err, errno, "linux.%s: fork", field);
  }
  if (child == 0) {
    dup2(pfd[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
    }
    execvp(helper, argv);
    dprintf(STDERR_FILENO, "%d", errno);
    _exit(127);
  }
  close(pfd[1]);
  char msg[512];
  size_t len = 0;
  ssize_t r;
  while (len < sizeof(msg) - 1 &&
         ((r = read(pfd[0], msg + len, sizeof(msg) - 1 - len)) > 0 ||
          (r < 0 && errno == EINTR)))
    if (r > 0)
      len += (size_t)r;
  close(pfd[0]);
  msg[len] = '\0';
  int status;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return husk_error_set(err, atoi(msg),
                          "linux.%s: mapping more than the user's own id needs "
                          "%s (package uidmap)",
                          field, helper);
  /* One line: the helper's first, without its "newuidmap: " prefix. */
  msg[strcspn(msg, "\n")] = '\0';
  const char *why = msg;
  size_t hl = strlen(helper);
  if (strncmp(why, helper, hl) == 0 && strncmp(why + hl, ": ", 2) == 0)
    why += hl + 2;
  return husk_error_set(err, 0, "linux.%s: %s refused: %s", field, helper,
                        *why ? why : "no reason given");
}

/* A single line mapping the caller's own id is what the kernel lets an
 * unprivileged process write itself. */
static bool own_only(const struct oci_linux_id_mapping *m, size_t n,
                     unsigned own) {
  return n == 1 && m[0].host_id == own && m[0].size == 1;
}

static int write_one(pid_t pid, const char *file, const char *helper,
                     const struct oci_linux_id_mapping *m, size_t n,
                     unsigned own, const char *field, husk_error **err) {
  if (n == 0)
    return 0;
  if (!own_only(m, n, own))
    return run_helper(helper, pid, m, n, field, err);
  char path[64], line[64];
  if (strcmp(file, "gid_map") == 0) {
    snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
    if (safe_proc_write(path, "deny", 4, err) < 0)
      return husk_error_prefix(err, "linux.%s", field);
  }
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  int len = snprintf(line, sizeof(line), "%u %u 1\n", m[0].container_id, own);
  if (safe_proc_write(path, line, (size_t)len, err) < 0)
    return husk_error_prefix(err, "linux.%s", field);
  return 0;
}

int rootless_write_id_maps(pid_t pid, const struct oci_linux *l,
                           husk_error **err) {
  if (write_one(pid, "uid_map", "newuidmap", l->uid_mappings,
                l->uid_mappings_len, (unsigned)geteuid(), "uidMappings",
                err) < 0)
    return -1;
  return write_one(pid, "gid_map", "newgidmap", l->gid_mappings,
                   l->gid_mappings_len, (unsigned)getegid(), "gidMappings",
                   err);
}

/* --- oom score ---------------------------------------------------------------- */

int rootless_oom_score_adj(pid_t pid, const struct oci_process *p,
                           husk_error **err) {
  if (p == NULL || !p->oom_score_adj_present)
    return 0;
  char path[64], buf[16];
  snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
  int n = snprintf(buf, sizeof(buf), "%d", (int)p->oom_score_adj);
  if (safe_proc_write(path, buf, (size_t)n, err) < 0) {
    /* The kernel's EACCES: below the lowest the user's processes had. */
    if ((*err)->errno_ == EACCES)
      return husk_error_prefix(err, "process.oomScoreAdj %d: a rootless "
                                    "container cannot lower it",
                               (int)p->oom_score_adj);
    return husk_error_prefix(err, "process.oomScoreAdj %d",
                             (int)p->oom_score_adj);
  }
  return 0;
}

/* --- processes without a cgroup ---------------------------------------------- */

static int ns_of(const char *pid, struct stat *st) {
  char path[sizeof("/proc//ns/pid") + 256];
  snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
  return stat(path, st);
}

int rootless_ns_pids(pid_t init, pid_t **pids, size_t *n, husk_error **err) {
  *pids = NULL;
  *n = 0;
  char num[16];
  snprintf(num, sizeof(num), "%d", (int)init);
  struct stat want, self;
  if (ns_of(num, &want) < 0)
    return errno == ENOENT || errno == ESRCH
               ? 0
               : husk_error_set(err, errno, "pid namespace of %d", (int)init);
  size_t cap = 16;
  *pids = malloc(cap * sizeof(pid_t));
  if (*pids == NULL)
    return husk_error_set(err, ENOMEM, "pids");
  /* Sharing the host's pid namespace, the init is all we can tell. */
  if (ns_of("self", &self) == 0 && self.st_ino == want.st_ino &&
      self.st_dev == want.st_dev) {
    (*pids)[(*n)++] = init;
    return 0;
  }
  cleanup_dir DIR *d = opendir("/proc");
  if (d == NULL) {
    free(*pids);
    *pids = NULL;
    return husk_error_set(err, errno, "open /proc");
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (e->d_name[0] < '1' || e->d_name[0] > '9' || ns_of(e->d_name, &st) < 0 ||
        st.st_ino != want.st_ino || st.st_dev != want.st_dev)
      continue;
    if (*n == cap) {
      pid_t *np = realloc(*pids, (cap *= 2) * sizeof(pid_t));
      if (np == NULL) {
        free(*pids);
        *pids = NULL;
        *n = 0;
        return husk_error_set(err, ENOMEM, "pids");
      }
      *pids = np;
    }
    (*pids)[(*n)++] = atoi(e->d_name);
  }
  return 0;
}
