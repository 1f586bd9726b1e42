/* `exec`: the exec'd process's AppArmor profile and SELinux label.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both are requested for the next execve by writing the task's "exec"
 * attribute.  This runs inside the container's mount namespace, where
 * /proc is the container's: the attribute file is opened through an fd
 * that fstatfs() proves is on procfs, so that an image's fake /proc cannot
 * swallow the request.  The host's /sys tells whether each LSM is on; a
 * profile or label for one that is off is an error (as runc), not a
 * silent downgrade.
 */
#include "config.h"

#include "exec-internal.h"

#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

static int open_attr(const char *path, husk_error **err) {
  cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return husk_error_set(err, errno, "open %s", path);
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0)
    return husk_error_set(err, errno, "fstatfs %s", path);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return husk_error_set(err, 0, "%s is not on procfs", path);
  return steal_fd(&fd);
}

static int write_attr(const char *path, const char *value, husk_error **err) {
  cleanup_close int fd = open_attr(path, err);
  if (fd < 0)
    return -1;
  size_t len = strlen(value);
  if (write(fd, value, len) != (ssize_t)len)
    return husk_error_set(err, errno, "write %s", path);
  return 0;
}

/* Read once, before the process enters the container: its /sys is not the
 * host's. */
static int apparmor_state = -1, selinux_state = -1;

static void lsm_probe(void) {
  if (apparmor_state < 0) {
    char c = 'N';
    cleanup_close int fd =
        open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
    apparmor_state = fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
  }
  if (selinux_state < 0)
    selinux_state = access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int exec_lsm_check(const struct oci_process *p, husk_error **err) {
  lsm_probe();
  if (p->apparmor_profile && *p->apparmor_profile && !apparmor_state)
    return husk_error_set(err, 0,
                          "apparmor profile \"%s\" requested, but AppArmor "
                          "is not enabled on this host",
                          p->apparmor_profile);
  if (p->selinux_label && *p->selinux_label && !selinux_state)
    return husk_error_set(err, 0,
                          "selinux label \"%s\" requested, but SELinux is "
                          "not enabled on this host",
                          p->selinux_label);
  return 0;
}

static int apply_apparmor(const char *profile, husk_error **err) {
  char buf[4096];
  int n = snprintf(buf, sizeof(buf), "exec %s", profile);
  if (n < 0 || (size_t)n >= sizeof(buf))
    return husk_error_set(err, ENAMETOOLONG, "apparmor profile");
  /* The per-LSM file when the kernel has one (stacked LSMs). */
  if (access("/proc/self/attr/apparmor/exec", F_OK) == 0)
    return write_attr("/proc/self/attr/apparmor/exec", buf, err);
  return write_attr("/proc/self/attr/exec", buf, err);
}

int exec_lsm_apply(const struct oci_process *p, husk_error **err) {
  if (p->apparmor_profile && *p->apparmor_profile &&
      apply_apparmor(p->apparmor_profile, err) < 0)
    return husk_error_prefix(err, "apparmor");
  if (p->selinux_label && *p->selinux_label && 
      write_attr("/proc/self/attr/exec", p->selinux_label, err) < 0)
    return husk_error_prefix(err, "selinux label \"%s\"", p->selinux_label);
  return 0;
}
