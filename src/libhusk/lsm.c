/* Linux security modules: the process's AppArmor profile and SELinux
 * label, and the SELinux context of the container's new filesystems.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both labels are requested for the next execve by writing the task's
 * "exec" attribute under /proc/thread-self/attr, as late as possible: the
 * kernel applies it at execve, and nothing in between may run under it.
 *
 * Where the attribute files come from: the init writes them after
 * pivot_root, and an exec'd process inside the container's mount
 * namespace, where /proc is the container's own mount, or missing, or a
 * tmpfs an image dressed up as procfs, or a real procfs with a file bound
 * over attr/exec.  None of that may swallow the request (the process would
 * run unconfined, the CVE-2019-16884 class).  So the runtime, while still
 * in the host's mount namespace, makes a procfs instance of its own with
 * fsopen/fsmount: a detached mount nobody else can reach, so nothing can
 * be mounted over it, whose pid namespace is the runtime's, an ancestor
 * of the container's, so that its thread-self names the calling thread.
 * Where the kernel refuses that (a runtime in a user namespace whose /proc
 * is partly masked), the runtime's own /proc is used instead, and the
 * lookup below (RESOLVE_NO_XDEV) refuses to cross anything mounted over
 * it.  Either way the attribute file is opened O_NOFOLLOW and proven by
 * fstatfs() to be on procfs before anything is written.
 */
#include "config.h"

#include "lsm.h"

#include "cleanup.h"
#include "mount-api.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

/* --- is it on? ------------------------------------------------------------- */

bool lsm_apparmor_enabled(void) {
  char c = 'N';
  cleanup_close int fd =
      open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
  return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

bool lsm_selinux_enabled(void) {
  /* selinuxfs exists (and is mounted there) only with SELinux on. */
  struct statfs sfs;
  return statfs("/sys/fs/selinux", &sfs) == 0 &&
         sfs.f_type == SELINUX_MAGIC;
}

static bool set(const char *s) { return s != NULL && s[0] != '\0'; }

int lsm_check_apparmor(const char *profile, const char *what,
                       husk_error **err) {
  if (set(profile) && !lsm_apparmor_enabled())
    return husk_error_set(err, 0, "%s: AppArmor is not enabled on this host",
                          what);
  return 0;
}

int lsm_check_selinux(const char *label, const char *what, husk_error **err) {
  if (set(label) && !lsm_selinux_enabled())
    return husk_error_set(err, 0, "%s: SELinux is not enabled on this host",
                          what);
  return 0;
}

int lsm_check_spec(const struct oci_spec *s, husk_error **err) {
  const struct oci_process *p = s->process;
  if (p && (lsm_check_apparmor(p->apparmor_profile, "process.apparmorProfile",
                               err) < 0 ||
            lsm_check_selinux(p->selinux_label, "process.selinuxLabel",
                              err) < 0))
    return -1;
  if (s->linux &&
      lsm_check_selinux(s->linux->mount_label, "linux.mountLabel", err) < 0)
    return -1;
  return 0;
}

bool lsm_process_labelled(const struct oci_process *p) {
  return p && (set(p->apparmor_profile) || set(p->selinux_label));
}

/* --- the procfs handle (in the runtime) -------------------------------------- */

static int check_procfs(int fd, const char *what, husk_error **err) {
  struct statfs sfs;
  if (fstatfs(fd, &sfs) < 0)
    return husk_error_set(err, errno, "fstatfs %s", what);
  if (sfs.f_type != PROC_SUPER_MAGIC)
    return husk_error_set(err, 0, "%s is not on procfs", what);
  return 0;
}

/* A procfs instance of our own; -1 where the kernel refuses one. */
static int private_procfs(void) {
  cleanup_close int fs = husk_fsopen("proc", FSOPEN_CLOEXEC);
  if (fs < 0 || husk_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
    return -1;
  return husk_fsmount(fs, FSMOUNT_CLOEXEC,
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                          MOUNT_ATTR_NOEXEC);
}

int lsm_proc_open(husk_error **err) {
  cleanup_close int fd = private_procfs();
  if (fd < 0)
    fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open /proc");
  if (check_procfs(fd, "/proc", err) < 0)
    return -1;
  return steal_fd(&fd);
}

/* --- the exec attribute (in the process) ------------------------------------- */

/* thread-self/attr/NAME below `procfd`: never leaving that procfs mount,
 * never through a magic link, never the file a symlink names. */
static int open_attr(int procfd, const char *name, husk_error **err) {
  char path[64];
  snprintf(path, sizeof(path), "thread-self/attr/%s", name);
  struct open_how how = {
      .flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
      .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
  };
  cleanup_close int fd = husk_openat2(procfd, path, &how);
  if (fd < 0)
    return husk_error_set(err, errno, "open /proc/%s", path);
  if (check_procfs(fd, path, err) < 0)
    return -1;
  return steal_fd(&fd);
}

static int write_attr(int fd, const char *name, const char *value,
                      husk_error **err) {
  size_t len = strlen(value);
  ssize_t n;
  do
    n = write(fd, value, len);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t)len)
    return husk_error_set(err, n < 0 ? errno : EIO,
                          "write /proc/thread-self/attr/%s", name);
  return 0;
}

static int set_apparmor(int procfd, const char *profile, husk_error **err) {
  char cmd[4096];
  int n = snprintf(cmd, sizeof(cmd), "exec %s", profile);
  if (n < 0 || (size_t)n >= sizeof(cmd))
    return husk_error_set(err, ENAMETOOLONG, "profile name");
  /* attr/apparmor/exec where the kernel has per-LSM files (5.8+, and the
   * only right one when AppArmor is stacked after another major LSM);
   * the shared attr/exec on older kernels. */
  cleanup_error husk_error *first = NULL;
  cleanup_close int fd = open_attr(procfd, "apparmor/exec", &first);
  if (fd < 0 && first->errno_ != ENOENT) {
    if (err && *err == NULL) {
      *err = first;
      first = NULL;
    }
    return -1;
  }
  const char *name = "apparmor/exec";
  if (fd < 0) {
    name = "exec";
    fd = open_attr(procfd, name, err);
  }
  if (fd < 0 || write_attr(fd, name, cmd, err) < 0)
    return -1;
  return 0;
}

static int set_selinux(int procfd, const char *label, husk_error **err) {
  cleanup_close int fd = open_attr(procfd, "exec", err);
  if (fd < 0 || write_attr(fd, "exec", label, err) < 0)
    return -1;
  return 0;
}

int lsm_set_exec(int procfd, const struct oci_process *p, husk_error **err) {
  if (!lsm_process_labelled(p))
    return 0;
  if (procfd < 0)
    return husk_error_set(err, EBADF, "no procfs handle for the LSM labels");
  if (set(p->apparmor_profile) &&
      set_apparmor(procfd, p->apparmor_profile, err) < 0)
    return husk_error_prefix(err, "apparmor profile \"%s\"",
                             p->apparmor_profile);
  if (set(p->selinux_label) && set_selinux(procfd, p->selinux_label, err) < 0)
    return husk_error_prefix(err, "selinux label \"%s\"", p->selinux_label);
  return 0;
}
