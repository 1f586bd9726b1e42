/* A seccomp listener for the tests: what linux.seccomp.listenerPath names.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   seccomp-listener [--pid-file FILE] [--errno N] SOCKET STATE-FILE
 *
 * Listens on SOCKET, accepts one connection, receives the container
 * process state (JSON, until the runtime closes its end) with the listener
 * fd (SCM_RIGHTS), writes the JSON to STATE-FILE, then answers every
 * notification as if the syscall had succeeded and returned 0 (without it
 * being done), or failed with errno N; each answer is a line on stdout:
 * "answered NR". Exits 0 when the filtered processes are gone.  The pid
 * file is written once the socket listens.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what) {
  fprintf(stderr, "seccomp-listener: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void write_file(const char *path, const char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
    die(tmp);
  if (rename(tmp, path) < 0)
    die(path);
}

static int listen_on(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) {
    errno = ENAMETOOLONG;
    die(path);
  }
  strcpy(addr.sun_path, path);
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    die("socket");
  unlink(path);
  if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(s, 1) < 0)
    die(path);
  return s;
}

/* Whether buf holds a whole JSON object: runtimes send it in one message
 * and may keep the connection open (runc does), so EOF cannot tell. */
static int json_complete(const char *buf, size_t len) {
  int depth = 0, in_string = 0, escaped = 0, started = 0;
  for (size_t i = 0; i < len; i++) {
    char c = buf[i];
    if (in_string) {
      if (escaped)
        escaped = 0;
      else if (c == '\\')
        escaped = 1;
      else if (c == '"')
        in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '{' || c == '[') {
      depth++;
      started = 1;
    } else if (c == '}' || c == ']') {
      depth--;
    }
  }
  return started && depth == 0;
}

/* The state JSON (NUL-terminated) and the fd sent with it. */
static char *receive(int conn, int *fd) {
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL)
    die("malloc");
  *fd = -1;
  for (;;) {
    union {
      char b[CMSG_SPACE(sizeof(int) * 4)];
      struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf + len, .iov_len = cap - len - 1};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = control.b,
                       .msg_controllen = sizeof(control.b)};
    ssize_t n = recvmsg(conn, &m, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      die("recvmsg");
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
          *fd < 0)
        memcpy(fd, CMSG_DATA(c), sizeof(int));
    if (n == 0)
      break;
    len += (size_t)n;
    if (json_complete(buf, len))
      break;
    if (len + 1 >= cap) {
      errno = EMSGSIZE;
      die("state");
    }
  }
  buf[len] = '\0';
  return buf;
}

static void answer(int fd, int error) {
  struct seccomp_notif_sizes sizes;
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
    die("SECCOMP_GET_NOTIF_SIZES");
  struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
  struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
  if (req == NULL || resp == NULL)
    die("calloc");
  for (;;) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      die("poll");
    }
    if (!(p.revents & POLLIN))
      return; /* POLLHUP: no process left with the filter */
    memset(req, 0, sizes.seccomp_notif);
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
      if (errno == EINTR || errno == ENOENT)
        continue;
      die("SECCOMP_IOCTL_NOTIF_RECV");
    }
    memset(resp, 0, sizes.seccomp_notif_resp);
    resp->id = req->id;
    resp->error = error ? -error : 0;
    resp->val = 0;
    /* ENOENT: the caller was killed meanwhile. */
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
      die("SECCOMP_IOCTL_NOTIF_SEND");
    printf("answered %d\n", req->data.nr);
    fflush(stdout);
  }
}

int main(int argc, char **argv) {
  const char *pid_file = NULL;
  int error = 0, i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
    if (strcmp(argv[i], "--pid-file") == 0)
      pid_file = argv[i + 1];
    else if (strcmp(argv[i], "--errno") == 0)
      error = atoi(argv[i + 1]);
    else
      break;
  }
  if (argc - i != 2) {
    fprintf(stderr, "usage: seccomp-listener [--pid-file FILE] [--errno N] "
                    "SOCKET STATE-FILE\n");
    return 2;
  }
  int s = listen_on(argv[i]);
  if (pid_file) {
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
    write_file(pid_file, pid, (size_t)n);
  }
  int conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0)
    die("accept");
  close(s);
  int fd;
  char *state = receive(conn, &fd);
  close(conn);
  write_file(argv[i + 1], state, strlen(state));
  if (fd < 0) {
    fprintf(stderr, "seccomp-listener: no fd came with the state\n");
    return 1;
  }
  answer(fd, error);
  return 0;
}
