/* linux.sysctl: which keys a container may set, and setting them.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "sysctl.h"

#include "cleanup.h"
#include "mount-api.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* The key as a path below /proc/sys (sysctl(8) rules, see sysctl.h);
 * malloc'ed. */
static char *key_path(const char *key) {
  char *p = strdup(key);
  if (p == NULL)
    return NULL;
  size_t sep = strcspn(p, "./");
  if (p[sep] == '/')
    return p;
  for (char *c = p; *c; c++)
    *c = *c == '.' ? '/' : *c == '/' ? '.' : *c;
  return p;
}

static bool has_ns(const struct oci_spec *spec, const char *type,
                   const char **path) {
  const struct oci_linux *l = spec->linux;
  for (size_t i = 0; l != NULL && i < l->namespaces_len; i++) {
    if (l->namespaces[i].type != NULL &&
        strcmp(l->namespaces[i].type, type) == 0) {
      if (path)
        *path = l->namespaces[i].path;
      return true;
    }
  }
  return false;
}

/* Whether `path` (a namespace to join) is the runtime's own network
 * namespace, i.e. the host's. */
static bool is_host_netns(const char *path) {
  struct stat a, b;
  return path != NULL && path[0] != '\0' && stat(path, &a) == 0 &&
         stat("/proc/self/ns/net", &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

static bool is_ipc_key(const char *p) {
  static const char *const ipc[] = {
      "kernel/msgmax", "kernel/msgmnb",          "kernel/msgmni",
      "kernel/sem",    "kernel/shmall",          "kernel/shmmax",
      "kernel/shmmni", "kernel/shm_rmid_forced",
  };
  for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
    if (strcmp(p, ipc[i]) == 0)
      return true;
  return strncmp(p, "fs/mqueue/", 10) == 0;
}

static int check_key(const struct oci_spec *spec, const char *key,
                     husk_error **err) {
  cleanup_free char *p = key_path(key);
  if (p == NULL)
    return husk_error_set(err, ENOMEM, "linux.sysctl");
  if (is_ipc_key(p)) {
    if (!has_ns(spec, "ipc", NULL))
      return husk_error_set(err, 0,
                            "linux.sysctl: \"%s\" needs an IPC namespace", key);
    return 0;
  }
  if (strncmp(p, "net/", 4) == 0) {
    const char *path = NULL;
    if (!has_ns(spec, "network", &path))
      return husk_error_set(
          err, 0, "linux.sysctl: \"%s\" needs a network namespace", key);
    if (is_host_netns(path))
      return husk_error_set(err, 0,
                            "linux.sysctl: \"%s\" needs a network namespace, "
                            "and %s is the host's",
                            key, path);
    return 0;
  }
  if (strcmp(p, "kernel/domainname") == 0 ||
      strcmp(p, "kernel/hostname") == 0) {
    if (!has_ns(spec, "uts", NULL))
      return husk_error_set(err, 0,
                            "linux.sysctl: \"%s\" needs a UTS namespace", key);
    /* Two sources for one value: refuse, as runc does. */
    if (strcmp(p, "kernel/hostname") == 0 && spec->hostname != NULL)
      return husk_error_set(
          err, 0, "linux.sysctl: \"%s\" conflicts with \"hostname\"", key);
    return 0;
  }
  return husk_error_set(err, 0, "linux.sysctl: \"%s\" is not namespaced", key);
}

int sysctl_check(const struct oci_spec *spec, husk_error **err) {
  const struct oci_linux *l = spec->linux;
  for (size_t i = 0; l != NULL && i < l->sysctl_len; i++)
    if (check_key(spec, l->sysctl[i].key, err) < 0)
      return -1;
  return 0;
}

static bool is_procfs(int fd) {
  struct statfs s;
  return fstatfs(fd, &s) == 0 && s.f_type == PROC_SUPER_MAGIC;
}

/* /proc/sys/<path> for writing: beneath /proc, through no symlink and no
 * mount (a file overmounted by a bind is not the kernel's). */
static int open_key(int procfd, const char *path) {
  cleanup_free char *rel = NULL;
  if (asprintf(&rel, "sys/%s", path) < 0) {
    errno = ENOMEM;
    return -1;
  }
  struct open_how how = {
      .flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
      .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
                 RESOLVE_NO_XDEV,
  };
  int fd;
  do
    fd = husk_openat2(procfd, rel, &how);
  while (fd < 0 && errno == EAGAIN);
  if (fd < 0 && errno == ENOSYS) {
    /* No openat2: procfs has no symlinks below sys/, and the fd is
     * checked to be procfs below. */
    if (strstr(rel, "..") != NULL) {
      errno = EINVAL;
      return -1;
    }
    fd = openat(procfd, rel, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd >= 0 && !is_procfs(fd)) {
    close(fd);
    errno = EXDEV;
    return -1;
  }
  return fd;
}

int sysctl_apply(const struct oci_spec *spec, husk_error **err) {
  const struct oci_linux *l = spec->linux;
  if (l == NULL || l->sysctl_len == 0)
    return 0;
  cleanup_close int procfd =
      open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (procfd < 0)
    return husk_error_set(err, errno, "linux.sysctl: open /proc");
  if (!is_procfs(procfd))
    return husk_error_set(err, 0, "linux.sysctl: /proc is not a procfs");
  for (size_t i = 0; i < l->sysctl_len; i++) {
    const char *key = l->sysctl[i].key;
    const char *value = l->sysctl[i].value ? l->sysctl[i].value : "";
    cleanup_free char *p = key_path(key);
    if (p == NULL)
      return husk_error_set(err, ENOMEM, "linux.sysctl");
    cleanup_close int fd = open_key(procfd, p);
    if (fd < 0)
      return husk_error_set(err, errno, "linux.sysctl: \"%s\"", key);
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len)
      return husk_error_set(err, errno, "linux.sysctl: \"%s\": write", key);
  }
  return 0;
}
