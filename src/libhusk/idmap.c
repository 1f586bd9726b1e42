/* User namespaces that only carry an id mapping, for idmapped mounts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "idmap.h"

#include "cleanup.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child: in its new user namespace, tell the parent its pid as the
 * host's /proc numbers it (the caller may sit in a pid namespace of its
 * own, where clone's return value means another process to that /proc),
 * then wait to be killed. */
static void __attribute__((noreturn)) holder(int wfd) {
  char buf[32];
  ssize_t n = readlink("/proc/self", buf, sizeof(buf));
  if (n > 0 && n < (ssize_t)sizeof(buf))
    (void)!write(wfd, buf, (size_t)n);
  close(wfd);
  for (;;)
    pause();
}

static int write_map(const char *pid, const char *file,
                     const struct oci_linux_id_mapping *m, size_t n,
                     husk_error **err) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%s/%s", pid, file);
  cleanup_free char *buf = NULL;
  size_t len = 0;
  cleanup_fclose FILE *mem = open_memstream(&buf, &len);
  if (mem == NULL)
    return husk_error_set(err, errno, "%s", file);
  for (size_t i = 0; i < n; i++)
    fprintf(mem, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  if (fclose(mem) != 0) {
    mem = NULL;
    return husk_error_set(err, errno, "%s", file);
  }
  mem = NULL;
  cleanup_close int fd = safe_proc_open(path, O_WRONLY, err);
  if (fd < 0)
    return -1;
  /* The kernel takes a map in one write or not at all. */
  if (write(fd, buf, len) != (ssize_t)len)
    return husk_error_set(err, errno, "write %s", file);
  return 0;
}

static void reap(pid_t pid) {
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

int idmap_userns_open(const struct oci_linux_id_mapping *uids, size_t nuids,
                      const struct oci_linux_id_mapping *gids, size_t ngids,
                      husk_error **err) {
  if (nuids == 0 || ngids == 0)
    return husk_error_set(err, 0, "idmap needs uidMappings and gidMappings");
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return husk_error_set(err, errno, "pipe");
  cleanup_close int rfd = p[0];
  /* clone without a new stack works as fork() does. */
  pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL,
                             NULL, NULL);
  if (pid < 0) {
    close(p[1]);
    return husk_error_set(err, errno, "clone user namespace");
  }
  if (pid == 0) {
    close(p[0]);
    holder(p[1]);
  }
  close(p[1]);

  char host_pid[32];
  ssize_t n;
  do
    n = read(rfd, host_pid, sizeof(host_pid) - 1);
  while (n < 0 && errno == EINTR);
  if (n <= 0) {
    reap(pid);
    return husk_error_set(err, n < 0 ? errno : 0,
                          "idmap: the namespace holder failed");
  }
  host_pid[n] = '\0';

  int fd = -1;
  if (write_map(host_pid, "uid_map", uids, nuids, err) == 0 &&
      write_map(host_pid, "gid_map", gids, ngids, err) == 0) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%s/ns/user", host_pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      husk_error_set(err, errno, "open %s", path);
  }
  reap(pid);
  return fd;
}
