/* husk spec: write a starting config.json into a bundle.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The config keeps the shape of `runc spec`, so that guides written for runc
 * work, with these differences: terminal is false (scripts and engines do
 * not give the container a terminal), no inheritable or ambient
 * capabilities (CVE-2022-29162: an inheritable set lets a file capability
 * grant more than the bounding set was meant to allow), a cgroup namespace,
 * and /sys/devices/virtual/powercap masked (CVE-2020-8694: RAPL energy
 * counters leak what other processes compute).
 */
#include "config.h"

#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ocispec/spec.h>

#include "cleanup.h"
#include "runtime-features.h"

static const char usage[] =
    "Usage: husk spec [OPTIONS]\n"
    "\n"
    "Write a starting config.json into the bundle directory: the container\n"
    "runs sh from the root filesystem in ./rootfs (read-only), with its own\n"
    "namespaces and a few capabilities.  Edit it to taste; an existing\n"
    "config.json is never overwritten.\n"
    "\n"
    "Options:\n"
    "  -b, --bundle DIR  bundle directory (default: the current directory)\n"
    "      --rootless    for a container started by an unprivileged user: a\n"
    "                    user namespace mapping the current user to root, no\n"
    "                    network or cgroup namespace, no resource limits\n"
    "  -h, --help        show this help\n";

/* --- building the config -------------------------------------------------- */

static char **strv(const char *const *list, size_t *len) {
  size_t n = 0;
  while (list[n] != NULL)
    n++;
  char **v = oci_xzalloc((n + 1) * sizeof(*v));
  for (size_t i = 0; i < n; i++)
    v[i] = oci_xstrdup(list[i]);
  *len = n;
  return v;
}

static const char *const default_caps[] = {
    "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};

static struct oci_process *default_process(void) {
  static const char *const args[] = {"sh", NULL};
  static const char *const env[] = {
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "TERM=xterm", NULL};
  struct oci_process *p = oci_xzalloc(sizeof(*p));

  p->terminal = false;
  p->terminal_present = true;
  p->user = oci_xzalloc(sizeof(*p->user));
  p->user->uid_present = p->user->gid_present = true; /* 0:0 */
  p->args = strv(args, &p->args_len);
  p->env = strv(env, &p->env_len);
  p->cwd = oci_xstrdup("/");

  p->capabilities = oci_xzalloc(sizeof(*p->capabilities));
  p->capabilities->bounding =
      strv(default_caps, &p->capabilities->bounding_len);
  p->capabilities->effective =
      strv(default_caps, &p->capabilities->effective_len);
  p->capabilities->permitted =
      strv(default_caps, &p->capabilities->permitted_len);

  p->rlimits = oci_xzalloc(sizeof(*p->rlimits));
  p->rlimits_len = 1;
  p->rlimits[0].type = oci_xstrdup("RLIMIT_NOFILE");
  p->rlimits[0].soft = p->rlimits[0].hard = 1024;
  p->rlimits[0].soft_present = p->rlimits[0].hard_present = true;

  p->no_new_privileges = true;
  p->no_new_privileges_present = true;
  return p;
}

struct mount_def {
  const char *destination, *type, *source;
  const char *const *options;
};

#define OPTS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct mount_def default_mounts[] = {
    {"/proc", "proc", "proc", NULL},
    {"/dev", "tmpfs", "tmpfs",
     OPTS("nosuid", "strictatime", "mode=755", "size=65536k")},
    {"/dev/pts", "devpts", "devpts",
     OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
          "gid=5")},
    {"/dev/shm", "tmpfs", "shm",
     OPTS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")},
    {"/dev/mqueue", "mqueue", "mqueue", OPTS("nosuid", "noexec", "nodev")},
    {"/sys", "sysfs", "sysfs", OPTS("nosuid", "noexec", "nodev", "ro")},
    {"/sys/fs/cgroup", "cgroup", "cgroup",
     OPTS("nosuid", "noexec", "nodev", "relatime", "ro")},
};

/* Without a network namespace of its own, an unprivileged user may not
 * mount sysfs, only bind the host's; and its user namespace has no group 5
 * (tty) to give the ptys. */
static const struct mount_def rootless_sys = {
    "/sys", "none", "/sys", OPTS("rbind", "nosuid", "noexec", "nodev", "ro")};
static const struct mount_def rootless_devpts = {
    "/dev/pts", "devpts", "devpts",
    OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")};

static struct oci_mount *mounts(bool rootless, size_t *len) {
  size_t n = OCI_COUNT(default_mounts);
  struct oci_mount *m = oci_xzalloc(n * sizeof(*m));
  for (size_t i = 0; i < n; i++) {
    const struct mount_def *d = &default_mounts[i];
    if (rootless && strcmp(d->destination, "/sys") == 0)
      d = &rootless_sys;
    else if (rootless && strcmp(d->destination, "/dev/pts") == 0)
      d = &rootless_devpts;
    m[i].destination = oci_xstrdup(d->destination);
    m[i].type = oci_xstrdup(d->type);
    m[i].source = oci_xstrdup(d->source);
    if (d->options != NULL)
      m[i].options = strv(d->options, &m[i].options_len);
  }
  *len = n;
  return m;
}

static struct oci_linux_namespace *namespaces(bool rootless, size_t *len) {
  static const char *const rootful[] = {"pid",   "network", "ipc", "uts",
                                        "mount", "cgroup",  NULL};
  /* An unprivileged user cannot connect a new network namespace to
   * anything, and usually has no cgroup of its own to root a cgroup
   * namespace at (runc drops both too). */
  static const char *const rootless_ns[] = {"pid",   "ipc",  "uts",
                                            "mount", "user", NULL};
  const char *const *types = rootless ? rootless_ns : rootful;
  size_t n = 0;
  while (types[n] != NULL)
    n++;
  struct oci_linux_namespace *ns = oci_xzalloc(n * sizeof(*ns));
  for (size_t i = 0; i < n; i++)
    ns[i].type = oci_xstrdup(types[i]);
  *len = n;
  return ns;
}

/* The current user as root of the container, and nobody else. */
static struct oci_linux_id_mapping *map_one(uint32_t host_id, size_t *len) {
  struct oci_linux_id_mapping *m = oci_xzalloc(sizeof(*m));
  m->container_id = 0;
  m->host_id = host_id;
  m->size = 1;
  m->container_id_present = m->host_id_present = m->size_present = true;
  *len = 1;
  return m;
}

static struct oci_linux_resources *deny_all_devices(void) {
  struct oci_linux_resources *r = oci_xzalloc(sizeof(*r));
  r->devices = oci_xzalloc(sizeof(*r->devices));
  r->devices_len = 1;
  r->devices[0].allow = false;
  r->devices[0].allow_present = true;
  r->devices[0].access = oci_xstrdup("rwm");
  return r;
}

static struct oci_linux *linux_section(bool rootless) {
  static const char *const masked[] = {
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
      "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
      "/sys/devices/virtual/powercap", NULL};
  static const char *const readonly[] = {"/proc/bus", "/proc/fs", "/proc/irq",
                                         "/proc/sys", "/proc/sysrq-trigger",
                                         NULL};
  struct oci_linux *l = oci_xzalloc(sizeof(*l));

  l->namespaces = namespaces(rootless, &l->namespaces_len);
  if (rootless) {
    l->uid_mappings = map_one(geteuid(), &l->uid_mappings_len);
    l->gid_mappings = map_one(getegid(), &l->gid_mappings_len);
  } else {
    /* An unprivileged user cannot use the device cgroup anyway. */
    l->resources = deny_all_devices();
  }
  l->masked_paths = strv(masked, &l->masked_paths_len);
  l->readonly_paths = strv(readonly, &l->readonly_paths_len);
  return l;
}

static struct oci_spec *default_spec(bool rootless) {
  struct oci_spec *s = oci_xzalloc(sizeof(*s));
  s->oci_version = oci_xstrdup(HUSK_SPEC_VERSION);
  s->root = oci_xzalloc(sizeof(*s->root));
  s->root->path = oci_xstrdup("rootfs");
  s->root->readonly = true;
  s->root->readonly_present = true;
  s->process = default_process();
  s->hostname = oci_xstrdup("husk");
  s->mounts = mounts(rootless, &s->mounts_len);
  s->linux = linux_section(rootless);
  return s;
}

/* --- writing it -------------------------------------------------------- */

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t r = write(fd, buf, len);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    buf += r;
    len -= (size_t)r;
  }
  return 0;
}

/* Move the finished file into place unless `path` exists by then: with
 * RENAME_NOREPLACE, or where the filesystem lacks it, link + unlink. */
static int publish(const char *tmp, const char *path) {
  if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return -1;
  if (link(tmp, path) < 0)
    return -1;
  unlink(tmp);
  return 0;
}

/* Write `data` to a new file `path`, whole or not at all: a reader never
 * sees half a config, and an existing file (even one created meanwhile) is
 * left alone. */
static int write_new_file(const char *dir, const char *path, const char *data,
                          size_t len, husk_error **err) {
  cleanup_free char *tmp = NULL;
  cleanup_close int fd = -1;

  if (asprintf(&tmp, "%s/.config.json.XXXXXX", dir) < 0)
    return husk_error_set(err, ENOMEM, "write %s", path);
  fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "create a file in %s", dir);

  /* mkostemp() creates 0600; a config is as readable as any new file. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, data, len) < 0 ||
      fsync(fd) < 0 || close(steal_fd(&fd)) < 0)
    goto fail;
  if (publish(tmp, path) < 0) {
    if (errno == EEXIST) {
      unlink(tmp);
      return husk_error_set(err, 0, "%s exists; remove it first", path);
    }
    goto fail;
  }
  return 0;

fail:;
  int saved = errno;
  unlink(tmp);
  return husk_error_set(err, saved, "write %s", path);
}

static int write_spec(const char *bundle, bool rootless, husk_error **err) {
  const char *dir = bundle ? bundle : ".";
  cleanup_free char *path = NULL;
  cleanup_free char *json = NULL;
  char *msg = NULL;
  size_t len = 0;
  struct stat st;

  if (stat(dir, &st) < 0)
    return husk_error_set(err, errno, "bundle %s", dir);
  if (!S_ISDIR(st.st_mode))
    return husk_error_set(err, ENOTDIR, "bundle %s", dir);
  if (bundle == NULL)
    path = strdup("config.json");
  else if (asprintf(&path, "%s/config.json", bundle) < 0)
    path = NULL;
  if (path == NULL)
    return husk_error_set(err, ENOMEM, "config.json");
  /* Say so before doing any work; write_new_file() still guards against a
   * file created meanwhile. */
  if (faccessat(AT_FDCWD, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    return husk_error_set(err, 0, "%s exists; remove it first", path);

  struct oci_spec *spec = default_spec(rootless);
  int r = oci_spec_generate(spec, OCI_GEN_PRETTY, &json, &len, &msg);
  oci_spec_free(spec);
  if (r < 0)
    return husk_error_take(err, 0, msg);
  return write_new_file(dir, path, json, len, err);
}

int cmd_spec(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  enum { OPT_ROOTLESS = 0x100 };
  static const struct option opts[] = {
      {"bundle", required_argument, NULL, 'b'},
      {"rootless", no_argument, NULL, OPT_ROOTLESS},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *bundle = NULL;
  bool rootless = false;
  int c;

  (void)g;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:b:h", opts, NULL)) != -1) {
    switch (c) {
    case 'b':
      bundle = optarg;
      break;
    case OPT_ROOTLESS:
      rootless = true;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  if (cmd_check_args(argc - optind, argv + optind, 0, 0, NULL, err) < 0)
    return -1;
  return write_spec(bundle, rootless, err);
}
