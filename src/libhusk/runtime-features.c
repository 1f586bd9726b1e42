/* What this build of husk supports, on this host: the runtime-spec features
 * document (features.md) that `husk features` prints.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * features-linux.md asks, for most entries, what the runtime recognizes and
 * implements whatever the host offers ("irrelevant to the availability ... on
 * the host operating system"); only seccomp's supportedFlags depend on the
 * kernel and the libseccomp husk runs with.  Names listed here must be the
 * ones the config reader and husk's own mapping code accept.
 */
#include "config.h"

#include "runtime-features.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ocispec/spec.h>

static const char *const hooks[] = {
    "prestart",  "createRuntime", "createContainer", "startContainer",
    "poststart", "poststop",      NULL,
};

/* Sorted, as runc prints them. */
const char *const husk_mount_options[] = {
    "acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync",
    "exec", "idmap", "iversion", "lazytime", "loud", "mand", "noacl",
    "noatime", "nodev", "nodiratime", "noexec", "noiversion", "nolazytime",
    "nomand", "norelatime", "nostrictatime", "nosuid", "nosymfollow",
    "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
    "rexec", "ridmap", "rnoatime", "rnodev", "rnodiratime", "rnoexec",
    "rnorelatime", "rnostrictatime", "rnosuid", "rnosymfollow", "ro",
    "rprivate", "rrelatime", "rro", "rrw", "rshared", "rslave",
    "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared",
    "silent", "slave", "strictatime", "suid", "symfollow", "sync",
    "tmpcopyup",
    "unbindable", NULL,
};

/* --- helpers ------------------------------------------------------------- */

static char **strv_dup(const char *const *list, size_t *len) {
  size_t n = 0;
  while (list[n] != NULL)
    n++;
  /* One spare slot: an empty list must still be a non-NULL array. */
  char **v = oci_xzalloc((n + 1) * sizeof(*v));
  for (size_t i = 0; i < n; i++)
    v[i] = oci_xstrdup(list[i]);
  *len = n;
  return v;
}

static struct oci_features_enabled *enabled(bool on) {
  struct oci_features_enabled *e = oci_xzalloc(sizeof(*e));
  e->enabled = on;
  e->enabled_present = true;
  return e;
}

static void add_annotation(struct oci_features *f, const char *key,
                           const char *value) {
  oci_kv *a = reallocarray(f->annotations, f->annotations_len + 1, sizeof(*a));
  if (a == NULL)
    abort(); /* as oci_xzalloc does: this document is tiny */
  a[f->annotations_len].key = oci_xstrdup(key);
  a[f->annotations_len].value = oci_xstrdup(value);
  f->annotations = a;
  f->annotations_len++;
}

void husk_libseccomp_version(char *buf, size_t size) {
  const struct scmp_version *v = seccomp_version();
  if (v == NULL)
    snprintf(buf, size, "unknown");
  else
    snprintf(buf, size, "%u.%u.%u", v->major, v->minor, v->micro);
}

/* --- linux.capabilities ---------------------------------------------------- */

/* Every capability libcap can name, host kernel or not: husk maps names
 * through libcap, so these are exactly the ones it recognizes.  libcap
 * names an unknown number with digits, which ends the list. */
static char **capability_names(size_t *len) {
  char **v = oci_xzalloc((64 + 1) * sizeof(*v));
  size_t n = 0;
  for (cap_value_t c = 0; c < 64; c++) {
    char *name = cap_to_name(c);
    if (name == NULL)
      break;
    bool named = !isdigit((unsigned char)name[0]);
    if (named) {
      v[n] = oci_xstrdup(name);
      for (char *p = v[n]; *p; p++)
        *p = (char)toupper((unsigned char)*p);
      n++;
    }
    cap_free(name);
    if (!named)
      break;
  }
  *len = n;
  return v;
}

/* --- linux.seccomp --------------------------------------------------------- */

/* The architectures this libseccomp can build filters for, out of those the
 * config reader accepts: "SCMP_ARCH_X86_64" is libseccomp's "x86_64". */
static char **seccomp_archs(size_t *len) {
  size_t total = 0;
  while (oci_seccomp_archs[total] != NULL)
    total++;
  char **v = oci_xzalloc((total + 1) * sizeof(*v));
  size_t n = 0;
  for (size_t i = 0; i < total; i++) {
    const char *name = oci_seccomp_archs[i];
    char lower[32];
    const char *p = name + strlen("SCMP_ARCH_");
    size_t j = 0;
    if (strncmp(name, "SCMP_ARCH_", strlen("SCMP_ARCH_")) != 0)
      continue;
    for (; p[j] != '\0' && j + 1 < sizeof(lower); j++)
      lower[j] = (char)tolower((unsigned char)p[j]);
    lower[j] = '\0';
    if (seccomp_arch_resolve_name(lower) != 0)
      v[n++] = oci_xstrdup(name);
  }
  *len = n;
  return v;
}

/* Whether the kernel knows a filter flag.  With a NULL program, seccomp(2)
 * checks the flags first (EINVAL for unknown ones) and then fails to read
 * the program (EFAULT): no filter is installed either way. */
static bool kernel_has_filter_flag(unsigned long flag) {
#ifdef SYS_seccomp
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL) < 0 &&
         errno == EFAULT;
#else
  (void)flag;
  return false;
#endif
}

/* A flag is supported when both the kernel and the libseccomp husk runs
 * with can apply it; seccomp_api_get(3) levels say what libseccomp can. */
static bool filter_flag_supported(const char *name) {
  unsigned int api = seccomp_api_get();
  if (strcmp(name, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
    return api >= 2 && kernel_has_filter_flag(SECCOMP_FILTER_FLAG_TSYNC);
  if (strcmp(name, "SECCOMP_FILTER_FLAG_LOG") == 0)
    return api >= 3 && kernel_has_filter_flag(SECCOMP_FILTER_FLAG_LOG);
  if (strcmp(name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
    return api >= 4 && kernel_has_filter_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW);
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
  /* Needs the listener flag with it; and a libseccomp header that has the
   * attribute, or husk's filter code cannot ask for it. */
  if (strcmp(name, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
    return api >= 7 && kernel_has_filter_flag((1UL << 5) | (1UL << 3));
#endif
  return false;
}

static char **seccomp_supported_flags(size_t *len) {
  size_t total = 0;
  while (oci_seccomp_flags[total] != NULL)
    total++;
  char **v = oci_xzalloc((total + 1) * sizeof(*v));
  size_t n = 0;
  for (size_t i = 0; i < total; i++)
    if (filter_flag_supported(oci_seccomp_flags[i]))
      v[n++] = oci_xstrdup(oci_seccomp_flags[i]);
  *len = n;
  return v;
}

static struct oci_features_seccomp *seccomp_features(void) {
  struct oci_features_seccomp *s = oci_xzalloc(sizeof(*s));
  s->enabled = true;
  s->enabled_present = true;
  s->actions = strv_dup(oci_seccomp_actions, &s->actions_len);
  s->operators = strv_dup(oci_seccomp_operators, &s->operators_len);
  s->archs = seccomp_archs(&s->archs_len);
  s->known_flags = strv_dup(oci_seccomp_flags, &s->known_flags_len);
  s->supported_flags = seccomp_supported_flags(&s->supported_flags_len);
  return s;
}

/* --- the document ----------------------------------------------------------- */

static struct oci_features_cgroup *cgroup_features(void) {
  struct oci_features_cgroup *c = oci_xzalloc(sizeof(*c));
  /* The drivers husk has (cgroup-v1.c, cgroup-v2.c, cgroup-systemd.c), on
   * any host.  No RDMA controller support. */
  c->v1 = c->v2 = c->systemd = c->systemd_user = true;
  c->v1_present = c->v2_present = true;
  c->systemd_present = c->systemd_user_present = true;
  c->rdma = false;
  c->rdma_present = true;
  return c;
}

static struct oci_features_linux *linux_features(void) {
  struct oci_features_linux *l = oci_xzalloc(sizeof(*l));
  l->namespaces = strv_dup(oci_namespace_types, &l->namespaces_len);
  l->capabilities = capability_names(&l->capabilities_len);
  l->cgroup = cgroup_features();
  l->seccomp = seccomp_features();
  /* features.md: whether support is built in, not whether the host runs
   * the LSM (`create` refuses a profile or label whose LSM is off).  The
   * init and exec apply both (lsm.c) through procfs, with no library: every
   * build supports them. */
  l->apparmor = enabled(true);
  l->selinux = enabled(true);

  l->intel_rdt = oci_xzalloc(sizeof(*l->intel_rdt));
  l->intel_rdt->enabled = false;
  l->intel_rdt->enabled_present = true;

  l->mount_extensions = oci_xzalloc(sizeof(*l->mount_extensions));
  l->mount_extensions->idmap = enabled(true);

  l->net_devices = enabled(false);
  return l;
}

int husk_features_build(struct oci_features **out, husk_error **err) {
  (void)err; /* nothing fails yet; probes that can will report here */
  struct oci_features *f = oci_xzalloc(sizeof(*f));
  char seccomp_ver[32];

  f->oci_version_min = oci_xstrdup(HUSK_SPEC_VERSION_MIN);
  f->oci_version_max = oci_xstrdup(HUSK_SPEC_VERSION);
  f->hooks = strv_dup(hooks, &f->hooks_len);
  f->mount_options = strv_dup(husk_mount_options, &f->mount_options_len);
  f->linux = linux_features();

  husk_libseccomp_version(seccomp_ver, sizeof(seccomp_ver));
  add_annotation(f, "io.github.husk.commit", HUSK_COMMIT);
  add_annotation(f, "io.github.husk.version", PACKAGE_VERSION);
  add_annotation(f, "io.github.seccomp.libseccomp.version", seccomp_ver);

  *out = f;
  return 0;
}
