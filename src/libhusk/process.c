/* The user process's environment: the executable, rlimits, oom score, I/O
 * priority, scheduler, personality, CPU affinity, umask, cwd, user and
 * groups, fds, and the final execve.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * All of this runs in the container's init (or an `exec`'d process) after
 * pivot_root, so "/" is the container's root and /proc is whatever the
 * container mounted there: every procfs file is opened through an fd that
 * fstatfs() proves is on procfs, so that a rootfs shipping a fake /proc
 * cannot fool us.  Errors name the config field they come from.
 */
#include "config.h"

#include "process.h"
#include "cleanup.h"
#include "safepath.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ocispec/spec.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* --- helpers ------------------------------------------------------------- */

/* Index of `s` in a table of {name, value} pairs, or -1. */
struct name_value {
  const char *name;
  int value;
};

static int lookup(const struct name_value *t, size_t n, const char *s) {
  for (size_t i = 0; s != NULL && i < n; i++)
    if (strcmp(t[i].name, s) == 0)
      return (int)i;
  return -1;
}

/* Open a procfs file and prove it is one, reached through no mount. */
static int open_proc(const char *path, int flags, husk_error **err) {
  return safe_proc_open(path, flags, err);
}

/* --- the executable ------------------------------------------------------ */

static const char default_path[] =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* The PATH the process will see.  With duplicates the last one wins, as it
 * does for runc (whose environment is a map filled in order). */
static const char *env_path(const struct oci_process *p) {
  const char *path = NULL;
  for (size_t i = 0; i < p->env_len; i++)
    if (strncmp(p->env[i], "PATH=", 5) == 0)
      path = p->env[i] + 5;
  return path ? path : default_path;
}

/* dir + "/" + name, with a relative dir taken below the process's cwd: the
 * lookup runs before chdir(process.cwd), the execve after it. */
static bool join(char *buf, size_t size, const char *cwd, const char *dir,
                 size_t dirlen, const char *name) {
  const char *base = "", *sep = "";
  if (dirlen == 0 || dir[0] != '/') {
    base = cwd != NULL && cwd[0] != '\0' ? cwd : "/";
    sep = base[strlen(base) - 1] == '/' ? "" : "/";
  }
  int n = snprintf(buf, size, "%s%s%.*s%s%s", base, sep, (int)dirlen, dir,
                   dirlen ? "/" : "", name);
  return n > 0 && (size_t)n < size;
}

/* 0, or the errno that execve would most likely fail with.  The lookup runs
 * as root, so any execute bit is enough (as for execve by root). */
static int check_executable(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0)
    return errno;
  if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
    return EACCES;
  return 0;
}

/* A name with a slash is used as it is (below cwd when relative). */
static int check_given(const struct oci_process *p, const char *arg,
                       char **path, husk_error **err) {
  char buf[PATH_MAX];
  const char *full = arg;
  if (arg[0] != '/') {
    if (!join(buf, sizeof(buf), p->cwd, "", 0, arg))
      return husk_error_set(err, ENAMETOOLONG, "exec: \"%s\"", arg);
    full = buf;
  }
  int e = check_executable(full);
  /* Messages as runc's, which come from Go's exec.LookPath, in Go's lower
   * case: Docker tells 127 (not found) from 126 (not executable) by
   * matching "no such file or directory" and "permission denied". */
  if (e == EACCES)
    return husk_error_set(err, 0, "exec: \"%s\": permission denied", arg);
  if (e == ENOENT)
    return husk_error_set(err, 0,
                          "exec: \"%s\": stat %s: no such file or directory",
                          arg, arg);
  if (e != 0)
    return husk_error_set(err, e, "exec: \"%s\": stat %s", arg, arg);
  *path = strdup(full);
  return *path ? 0 : husk_error_set(err, ENOMEM, "exec: \"%s\"", arg);
}

/* A bare name is searched in PATH; like execvp, entries that do not hold an
 * executable file are skipped, whatever the reason, and an empty entry
 * means the cwd. */
static int search_path(const struct oci_process *p, const char *arg,
                       char **path, husk_error **err) {
  for (const char *dir = env_path(p);; dir++) {
    size_t len = strcspn(dir, ":");
    char buf[PATH_MAX];
    if (join(buf, sizeof(buf), p->cwd, dir, len, arg) &&
        check_executable(buf) == 0) {
      *path = strdup(buf);
      return *path ? 0 : husk_error_set(err, ENOMEM, "exec: \"%s\"", arg);
    }
    dir += len;
    if (*dir == '\0')
      break;
  }
  return husk_error_set(err, 0,
                        "exec: \"%s\": executable file not found in $PATH",
                        arg);
}

int process_find_exec(const struct oci_process *p, char **path,
                      husk_error **err) {
  if (p->args_len == 0 || p->args[0] == NULL || p->args[0][0] == '\0')
    return husk_error_set(err, 0, "process.args: no executable given");
  const char *arg = p->args[0];
  if (strchr(arg, '/') != NULL)
    return check_given(p, arg, path, err);
  return search_path(p, arg, path, err);
}

/* --- rlimits ------------------------------------------------------------- */

static const struct name_value rlimits[] = {
    {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_CORE", RLIMIT_CORE},
    {"RLIMIT_CPU", RLIMIT_CPU},
    {"RLIMIT_DATA", RLIMIT_DATA},
    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
    {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_NPROC", RLIMIT_NPROC},
    {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_STACK", RLIMIT_STACK},
};

/* Raising a hard limit needs CAP_SYS_RESOURCE in the initial user
 * namespace; without it the kernel says EPERM and so do we, naming the
 * limit, rather than running the container with less than it asked. */
static int set_rlimits(const struct oci_process *p, husk_error **err) {
  for (size_t i = 0; i < p->rlimits_len; i++) {
    const struct oci_rlimit *r = &p->rlimits[i];
    int k = lookup(rlimits, OCI_COUNT(rlimits), r->type);
    if (k < 0)
      return husk_error_set(err, 0, "process.rlimits[%zu]: unknown rlimit \"%s\"",
                            i, r->type ? r->type : "");
    if (r->soft > r->hard)
      return husk_error_set(err, 0,
                            "process.rlimits[%zu] (%s): soft limit %llu is "
                            "above hard limit %llu",
                            i, r->type, (unsigned long long)r->soft,
                            (unsigned long long)r->hard);
    struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard}, cur;
    if (setrlimit(rlimits[k].value, &rl) < 0) {
      int e = errno;
      if (e == EPERM && getrlimit(rlimits[k].value, &cur) == 0 &&
          rl.rlim_max > cur.rlim_max)
        return husk_error_set(err, e,
                              "process.rlimits[%zu] (%s): hard limit %llu is "
                              "above the runtime's %llu, which only "
                              "CAP_SYS_RESOURCE on the host may raise",
                              i, r->type, (unsigned long long)r->hard,
                              (unsigned long long)cur.rlim_max);
      return husk_error_set(err, e, "process.rlimits[%zu] (%s): setrlimit",
                            i, r->type);
    }
  }
  return 0;
}

/* --- oom score, I/O priority, scheduler, personality --------------------- */

/* Absent means "inherit the runtime's", so nothing is written. */
static int set_oom_score_adj(const struct oci_process *p, husk_error **err) {
  if (!p->oom_score_adj_present)
    return 0;
  char buf[16];
  int n = snprintf(buf, sizeof(buf), "%d", (int)p->oom_score_adj);
  /* An unprivileged runtime wrote it already (rootless.c): the file is
   * not ours to open for writing here. */
  char cur[16] = "";
  husk_error *ignored = NULL;
  cleanup_close int rfd =
      open_proc("/proc/self/oom_score_adj", O_RDONLY | O_NONBLOCK, &ignored);
  husk_error_free(ignored);
  if (rfd >= 0 && read(rfd, cur, sizeof(cur) - 1) > 0 &&
      strtol(cur, NULL, 10) == p->oom_score_adj)
    return 0;
  /* O_NONBLOCK: a FIFO planted in a fake /proc must not hang the open. */
  cleanup_close int fd =
      open_proc("/proc/self/oom_score_adj", O_WRONLY | O_NONBLOCK, err);
  if (fd < 0)
    return husk_error_prefix(err, "process.oomScoreAdj");
  ssize_t w = write(fd, buf, (size_t)n);
  if (w != n)
    return husk_error_set(err, w < 0 ? errno : EIO,
                          "process.oomScoreAdj %d: write "
                          "/proc/self/oom_score_adj",
                          (int)p->oom_score_adj);
  return 0;
}

/* linux/ioprio.h: IOPRIO_WHO_PROCESS, the class in the bits above 13. */
enum { WHO_PROCESS = 1, IOPRIO_CLASS_SHIFT_ = 13 };

static const struct name_value io_classes[] = {
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
};

static int set_io_priority(const struct oci_linux_io_priority *io,
                           husk_error **err) {
  if (io == NULL)
    return 0;
  int k = lookup(io_classes, OCI_COUNT(io_classes), io->class_);
  if (k < 0)
    return husk_error_set(err, 0,
                          "process.ioPriority.class: unknown class \"%s\"",
                          io->class_ ? io->class_ : "");
  /* Checked here because a stray bit would change the class. */
  if (io->priority < 0 || io->priority > 7)
    return husk_error_set(err, 0,
                          "process.ioPriority.priority: %d is not in 0-7",
                          (int)io->priority);
  int prio = (io_classes[k].value << IOPRIO_CLASS_SHIFT_) | io->priority;
  if (syscall(SYS_ioprio_set, WHO_PROCESS, 0, prio) < 0)
    return husk_error_set(err, errno, "process.ioPriority: ioprio_set");
  return 0;
}

/* sched_setattr(2)'s first published layout (SCHED_ATTR_SIZE_VER0); the
 * uapi header cannot be included next to <sched.h>.  The spec has no
 * utilization clamps, so the later fields are never needed. */
struct sched_attr_v0 {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};
_Static_assert(sizeof(struct sched_attr_v0) == 48, "SCHED_ATTR_SIZE_VER0");

/* Values of linux/sched.h; SCHED_ISO is reserved there and refused by the
 * kernel, which then says so. */
static const struct name_value sched_policies[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},
    {"SCHED_BATCH", 3}, {"SCHED_ISO", 4},  {"SCHED_IDLE", 5},
    {"SCHED_DEADLINE", 6},
};

static const struct name_value sched_flags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static int set_scheduler(const struct oci_linux_scheduler *s,
                         husk_error **err) {
  if (s == NULL)
    return 0;
  int k = lookup(sched_policies, OCI_COUNT(sched_policies), s->policy);
  if (k < 0)
    return husk_error_set(err, 0,
                          "process.scheduler.policy: unknown policy \"%s\"",
                          s->policy ? s->policy : "");
  struct sched_attr_v0 attr = {
      .size = sizeof(attr),
      .sched_policy = (uint32_t)sched_policies[k].value,
      .sched_nice = s->nice,
      .sched_priority = (uint32_t)s->priority,
      .sched_runtime = s->runtime,
      .sched_deadline = s->deadline,
      .sched_period = s->period,
  };
  for (size_t i = 0; i < s->flags_len; i++) {
    int f = lookup(sched_flags, OCI_COUNT(sched_flags), s->flags[i]);
    if (f < 0)
      return husk_error_set(err, 0,
                            "process.scheduler.flags[%zu]: unknown flag \"%s\"",
                            i, s->flags[i]);
    attr.sched_flags |= (uint64_t)sched_flags[f].value;
  }
  if (syscall(SYS_sched_setattr, 0, &attr, 0U) < 0)
    return husk_error_set(err, errno, "process.scheduler: sched_setattr");
  return 0;
}

static int set_personality(const struct oci_linux_personality *pers,
                           husk_error **err) {
  if (pers == NULL)
    return 0;
  unsigned long persona;
  if (pers->domain != NULL && strcmp(pers->domain, "LINUX") == 0)
    persona = PER_LINUX;
  else if (pers->domain != NULL && strcmp(pers->domain, "LINUX32") == 0)
    persona = PER_LINUX32;
  else
    return husk_error_set(err, 0,
                          "linux.personality.domain: unknown domain \"%s\"",
                          pers->domain ? pers->domain : "");
  /* config-linux.md defines no flags yet; one we cannot apply is refused
   * rather than dropped. */
  if (pers->flags_len > 0)
    return husk_error_set(err, 0,
                          "linux.personality.flags[0]: unknown flag \"%s\"",
                          pers->flags[0]);
  if (personality(persona) < 0)
    return husk_error_set(err, errno, "linux.personality: personality");
  return 0;
}

/* --- CPU affinity -------------------------------------------------------- */

/* Far above any kernel's NR_CPUS; bounds the set we allocate. */
#define CPU_LIST_MAX 65536

/* One "N" or "N-M" item of a CPU list, and the comma after it; -1 when the
 * list is malformed. */
static int next_range(const char **cur, unsigned long *lo, unsigned long *hi) {
  const char *s = *cur;
  char *end;
  if (*s < '0' || *s > '9')
    return -1;
  errno = 0;
  *lo = *hi = strtoul(s, &end, 10);
  if (*end == '-') {
    if (end[1] < '0' || end[1] > '9')
      return -1;
    *hi = strtoul(end + 1, &end, 10);
  }
  if (errno != 0 || *hi < *lo || *hi >= CPU_LIST_MAX)
    return -1;
  if (*end == ',' && end[1] != '\0')
    end++;
  else if (*end != '\0')
    return -1;
  *cur = end;
  return 0;
}

/* Validate `list` and return the highest CPU it names. */
static int cpu_list_max(const char *list, unsigned long *max) {
  unsigned long lo, hi;
  *max = 0;
  for (const char *cur = list; *cur != '\0';) {
    if (next_range(&cur, &lo, &hi) < 0)
      return -1;
    if (hi > *max)
      *max = hi;
  }
  return 0;
}

int process_cpu_affinity(const char *list, husk_error **err) {
  if (list == NULL || *list == '\0')
    return 0;
  unsigned long max;
  if (cpu_list_max(list, &max) < 0)
    return husk_error_set(err, 0, "invalid CPU list \"%s\"", list);
  cleanup_free cpu_set_t *set = CPU_ALLOC(max + 1);
  if (set == NULL)
    return husk_error_set(err, ENOMEM, "CPU list \"%s\"", list);
  size_t size = CPU_ALLOC_SIZE(max + 1);
  CPU_ZERO_S(size, set);
  unsigned long lo, hi;
  for (const char *cur = list; *cur != '\0' && next_range(&cur, &lo, &hi) == 0;)
    for (unsigned long c = lo; c <= hi; c++)
      CPU_SET_S(c, size, set);
  if (sched_setaffinity(0, size, set) < 0)
    return husk_error_set(err, errno, "sched_setaffinity \"%s\"", list);
  return 0;
}

/* --- cwd ----------------------------------------------------------------- */

/* An O_PATH fd of the directory `path`, never reached through a procfs
 * magic link: /proc/self/fd/N naming a directory the runtime leaked would
 * put the process outside the root (CVE-2024-21626).  Kernels before 5.6
 * lack openat2; *unchecked then tells enter_cwd() to verify afterwards. */
static int open_dir(const char *path, bool *unchecked) {
  struct open_how how = {
      .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
      .resolve = RESOLVE_NO_MAGICLINKS,
  };
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
  *unchecked = fd < 0 && errno == ENOSYS;
  if (*unchecked)
    fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  return fd;
}

/* runc creates a missing cwd (0755, owned by the container's root).  It is
 * made with every lookup kept inside the root, so that symlinks in the
 * image cannot make us create directories on the host. */
static int make_cwd(const char *cwd, husk_error **err) {
  cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0)
    return husk_error_set(err, errno, "open /");
  return safe_mkpath(root, cwd, true, err);
}

/* The directory must be reachable from the root: getcwd() fails with
 * ENOENT ("(unreachable)" from the kernel) when it is not. */
static int check_reachable(const char *cwd, husk_error **err) {
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof(buf)) == NULL && errno != ERANGE)
    return husk_error_set(err, errno,
                          "process.cwd %s: outside the container's root", cwd);
  return 0;
}

static int enter_cwd(const char *cwd, husk_error **err) {
  if (cwd == NULL)
    cwd = "/";
  bool unchecked;
  cleanup_close int fd = open_dir(cwd, &unchecked);
  if (fd < 0 && errno == ENOENT) {
    fd = make_cwd(cwd, err);
    if (fd < 0)
      return husk_error_prefix(err, "process.cwd %s", cwd);
  }
  if (fd < 0)
    return husk_error_set(err, errno, "process.cwd %s", cwd);
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0)
    return husk_error_set(err, errno, "process.cwd %s: fstatfs", cwd);
  if (sfs.f_type == PROC_SUPER_MAGIC)
    return husk_error_set(err, 0, "process.cwd %s: refusing a cwd on procfs",
                          cwd);
  if (fchdir(fd) < 0)
    return husk_error_set(err, errno, "process.cwd %s: chdir", cwd);
  return unchecked ? check_reachable(cwd, err) : 0;
}

/* --- process_setup ------------------------------------------------------- */

int process_setup(const struct process_setup_opts *o, husk_error **err) {
  const struct oci_process *p = o->process;
  if (set_rlimits(p, err) < 0 || set_oom_score_adj(p, err) < 0 ||
      set_io_priority(p->io_priority, err) < 0 ||
      set_scheduler(p->scheduler, err) < 0 ||
      set_personality(o->personality, err) < 0)
    return -1;
  if (o->is_exec && p->exec_cpu_affinity != NULL &&
      process_cpu_affinity(p->exec_cpu_affinity->initial, err) < 0)
    return husk_error_prefix(err, "process.execCPUAffinity.initial");
  /* Before the umask: a cwd made here is 0755 whatever the umask, as with
   * runc, so that a non-root user can still enter it. */
  if (enter_cwd(p->cwd, err) < 0)
    return -1;
  /* 0022 when unset, as runc. */
  umask(p->user && p->user->umask_present ? (mode_t)(p->user->umask & 0777)
                                          : 0022);
  return 0;
}

/* --- user and groups ----------------------------------------------------- */

/* An unprivileged user namespace has setgroups(2) switched off
 * (user_namespaces(7)); "deny" there is no failure when there is nothing
 * to set. */
static bool setgroups_denied(void) {
  cleanup_error husk_error *ignored = NULL;
  cleanup_close int fd = open_proc("/proc/self/setgroups", O_RDONLY, &ignored);
  char buf[8];
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
  return n >= 4 && memcmp(buf, "deny", 4) == 0;
}

_Static_assert(sizeof(gid_t) == sizeof(uint32_t), "gid_t is 32 bits");

/* The additional gids, or none at all: groups inherited from the runtime
 * must not follow the process into the container. */
static int set_groups(const struct oci_user *u, husk_error **err) {
  size_t n = u ? u->additional_gids_len : 0;
  if (setgroups(n, n ? (const gid_t *)u->additional_gids : NULL) == 0)
    return 0;
  int e = errno;
  if (n == 0 && e == EPERM && setgroups_denied())
    return 0;
  if (n == 0)
    return husk_error_set(err, e, "process.user: dropping groups: setgroups");
  return husk_error_set(err, e, "process.user.additionalGids: setgroups");
}

int process_set_user(const struct oci_process *p, const struct caps_sets *caps,
                     husk_error **err) {
  static const struct caps_sets none;
  uid_t uid = p->user ? p->user->uid : 0;
  gid_t gid = p->user ? p->user->gid : 0;
  /* Leaving uid 0 for good empties the permitted set unless KEEPCAPS is on;
   * caps_apply() then picks the config's sets out of it.  Staying root
   * keeps the capabilities anyway. */
  bool keep = uid != 0;
  if (keep && prctl(PR_SET_KEEPCAPS, 1UL, 0UL, 0UL, 0UL) < 0)
    return husk_error_set(err, errno, "prctl PR_SET_KEEPCAPS");
  if (set_groups(p->user, err) < 0)
    return -1;
  if (setresgid(gid, gid, gid) < 0)
    return husk_error_set(err, errno, "process.user.gid %u: setresgid", gid);
  if (setresuid(uid, uid, uid) < 0)
    return husk_error_set(err, errno, "process.user.uid %u: setresuid", uid);
  if (keep && prctl(PR_SET_KEEPCAPS, 0UL, 0UL, 0UL, 0UL) < 0)
    return husk_error_set(err, errno, "prctl PR_SET_KEEPCAPS");
  if (caps_apply(caps ? caps : &none, err) < 0)
    return -1;
  if (p->no_new_privileges &&
      prctl(PR_SET_NO_NEW_PRIVS, 1UL, 0UL, 0UL, 0UL) < 0)
    return husk_error_set(err, errno, "process.noNewPrivileges: prctl");
  return 0;
}

/* --- fds ----------------------------------------------------------------- */

static int cloexec_range(unsigned int lo, unsigned int hi) {
  if (lo > hi)
    return 0;
  return (int)syscall(SYS_close_range, lo, hi, CLOSE_RANGE_CLOEXEC);
}

/* Before Linux 5.11 (no CLOSE_RANGE_CLOEXEC): one fcntl per open fd. */
static int cloexec_each(unsigned int first, int keep, husk_error **err) {
  int fd = open_proc("/proc/self/fd", O_RDONLY | O_DIRECTORY, err);
  if (fd < 0)
    return -1;
  cleanup_dir DIR *d = fdopendir(fd);
  if (d == NULL) {
    int e = errno;
    close(fd);
    return husk_error_set(err, e, "fdopendir /proc/self/fd");
  }
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    char *end;
    long n = strtol(de->d_name, &end, 10);
    if (*end != '\0' || end == de->d_name || n < (long)first || n == keep ||
        n == fd || n > INT_MAX)
      continue;
    int flags = fcntl((int)n, F_GETFD);
    if (flags >= 0 && !(flags & FD_CLOEXEC) &&
        fcntl((int)n, F_SETFD, flags | FD_CLOEXEC) < 0)
      return husk_error_set(err, errno, "fcntl %ld FD_CLOEXEC", n);
  }
  return 0;
}

/* Marked close-on-exec rather than closed: the init still talks to the
 * runtime (and may log) until execve, which then closes them all at once;
 * an exec failure can still be reported. */
int process_close_fds(int preserve_fds, int keep, husk_error **err) {
  unsigned int first = 3U + (unsigned int)(preserve_fds > 0 ? preserve_fds : 0);
  int r;
  if (keep >= 0 && (unsigned int)keep >= first) {
    r = cloexec_range(first, (unsigned int)keep - 1U);
    if (r == 0)
      r = cloexec_range((unsigned int)keep + 1U, ~0U);
  } else {
    r = cloexec_range(first, ~0U);
  }
  if (r == 0)
    return 0;
  if (errno != ENOSYS && errno != EINVAL)
    return husk_error_set(err, errno, "close_range");
  return cloexec_each(first, keep, err);
}

/* --- HOME ---------------------------------------------------------------- */

/* The home directory of `uid` in the container's /etc/passwd into `home`;
 * unchanged when there is no such line.  Read inside the root with no
 * magic link followed (an /etc/passwd linked to /proc/self/fd/N would show
 * the container a line of a file the runtime holds), and only a regular
 * file (a FIFO would hang us). */
static void passwd_home(uid_t uid, char *home, size_t size) {
  cleanup_close int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  husk_error *ignored = NULL;
  int fd = root < 0 ? -1
                    : safe_openat(root, "/etc/passwd",
                                  O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0,
                                  &ignored);
  husk_error_free(ignored);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0)
      close(fd);
    return;
  }
  cleanup_fclose FILE *f = fdopen(fd, "re");
  if (f == NULL) {
    close(fd);
    return;
  }
  char line[1024];
  while (fgets(line, sizeof(line), f)) {
    /* name:password:uid:gid:gecos:home:shell */
    char *field[7] = {line};
    size_t n = 1;
    for (char *c = line; *c && n < 7; c++)
      if (*c == ':') {
        *c = '\0';
        field[n++] = c + 1;
      }
    if (n < 7)
      continue;
    char *end;
    unsigned long id = strtoul(field[2], &end, 10);
    if (*field[2] == '\0' || *end != '\0' || id != uid)
      continue;
    field[5][strcspn(field[5], "\n")] = '\0';
    if (*field[5])
      snprintf(home, size, "%s", field[5]);
    return;
  }
}

int process_default_home(struct oci_process *p, husk_error **err) {
  for (size_t i = 0; i < p->env_len; i++)
    if (strncmp(p->env[i], "HOME=", 5) == 0)
      return 0;
  char home[PATH_MAX] = "/";
  passwd_home(p->user ? p->user->uid : 0, home, sizeof(home));
  char **env = realloc(p->env, (p->env_len + 1) * sizeof(*env));
  if (env == NULL)
    return husk_error_set(err, ENOMEM, "process.env: HOME");
  p->env = env;
  if (asprintf(&env[p->env_len], "HOME=%s", home) < 0)
    return husk_error_set(err, ENOMEM, "process.env: HOME");
  p->env_len++;
  return 0;
}

/* --- exec ---------------------------------------------------------------- */

/* libocispec arrays carry a length, execve wants a NULL at the end. */
static char **strv_terminated(char *const *v, size_t n) {
  char **out = malloc((n + 1) * sizeof(*out));
  if (out == NULL)
    return NULL;
  if (n > 0)
    memcpy(out, v, n * sizeof(*out));
  out[n] = NULL;
  return out;
}

int process_exec(const struct oci_process *p, const char *path,
                 husk_error **err) {
  cleanup_free char **argv = strv_terminated(p->args, p->args_len);
  cleanup_free char **envp = strv_terminated(p->env, p->env_len);
  if (argv == NULL || envp == NULL)
    return husk_error_set(err, ENOMEM, "exec %s", path);
  execve(path, argv, envp);
  return husk_error_set(err, errno, "exec %s", path);
}
