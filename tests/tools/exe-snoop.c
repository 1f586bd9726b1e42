/* exe-snoop: from inside a container, try to reach the runtime's binary
 * through /proc/PID/exe of the runtime's processes that enter it
 * (CVE-2019-5736), for tests/security.bats.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   exe-snoop COMM LOG [PID]
 *
 * With PID: one look at that process.  Without: scans /proc until killed
 * for processes whose comm is COMM (a runtime's copy before it execs the
 * container's process).  For each one caught, appends to LOG one line:
 *
 *   PID wr=ERR rd=ERR path=ERR link=ERR
 *
 * where ERR is "ok" when the attempt succeeded (the hole), else the errno
 * name: open(/proc/PID/exe) for writing and for reading, an O_PATH open
 * (CVE-2019-5736 reopened that fd for writing once the runtime had exited)
 * and readlink.  "exec" when the attempt worked but reached /bin/sh's
 * binary: the process had exec'd the container's program (busybox) in the
 * meantime, which is no hole.  Linked statically: the container's rootfs
 * is busybox.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The container's programs: what a caught process may have exec'd. */
#define CONTAINER_BINARY "/bin/sh"

static const char *result(int r) {
  if (r >= 0)
    return "ok";
  switch (errno) {
  case EACCES:
    return "EACCES";
  case EPERM:
    return "EPERM";
  case ETXTBSY:
    return "ETXTBSY";
  case ENOENT:
    return "ENOENT";
  case ESRCH:
    return "ESRCH";
  default:
    return strerror(errno);
  }
}

static int is_container_binary(int fd) {
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(CONTAINER_BINARY, &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The result of opening `path` with `flags` into buf. */
static void try_open(const char *path, int flags, char *buf, size_t size) {
  int fd = open(path, flags | O_CLOEXEC);
  snprintf(buf, size, "%s", result(fd));
  if (fd >= 0 && is_container_binary(fd))
    snprintf(buf, size, "exec");
  if (fd >= 0)
    close(fd);
}

/* Whether /proc/PID/comm is `comm`. */
static int comm_is(const char *pid, const char *comm) {
  char path[300], buf[64];
  snprintf(path, sizeof(path), "/proc/%s/comm", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  return strcmp(buf, comm) == 0;
}

static void attack(const char *pid, FILE *log) {
  char exe[300], target[4096];
  snprintf(exe, sizeof(exe), "/proc/%s/exe", pid);
  /* Each result is taken before the next call changes errno. */
  char wr[32], rd[32], op[32], ln[32];
  try_open(exe, O_WRONLY, wr, sizeof(wr));
  try_open(exe, O_RDONLY, rd, sizeof(rd));
  try_open(exe, O_PATH, op, sizeof(op));
  ssize_t n = readlink(exe, target, sizeof(target) - 1);
  snprintf(ln, sizeof(ln), "%s", result((int)n));
  if (n > 0) {
    target[n] = '\0';
    if (strcmp(target, "/bin/busybox") == 0)
      snprintf(ln, sizeof(ln), "exec");
  }
  fprintf(log, "%s wr=%s rd=%s path=%s link=%s\n", pid, wr, rd, op, ln);
  fflush(log);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: exe-snoop COMM LOG [PID]\n");
    return 2;
  }
  FILE *log = fopen(argv[2], "ae");
  if (log == NULL) {
    perror(argv[2]);
    return 1;
  }
  if (argc > 3) {
    attack(argv[3], log);
    return 0;
  }
  char self[32];
  snprintf(self, sizeof(self), "%d", (int)getpid());
  char last[256] = "";
  for (;;) {
    DIR *d = opendir("/proc");
    if (d == NULL) {
      perror("/proc");
      return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
      if (!isdigit((unsigned char)de->d_name[0]) || strcmp(de->d_name, self) == 0)
        continue;
      if (strcmp(de->d_name, last) == 0 || !comm_is(de->d_name, argv[1]))
        continue;
      attack(de->d_name, log);
      snprintf(last, sizeof(last), "%s", de->d_name);
    }
    closedir(d);
  }
}
