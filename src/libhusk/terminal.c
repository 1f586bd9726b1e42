/* Terminals: the container's pty and the console socket.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pty is opened through the /dev/ptmx of the root the caller is in (the
 * container's, after pivot_root), so that its slave lives in the container's
 * devpts.  The master goes to the engine over the console socket as one
 * SCM_RIGHTS message with a short name as payload, the shape that
 * containerd's shim (go-runc) and conmon read.
 */
#include "config.h"

#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"

/* Linux >= 4.13; older headers lack the name. */
#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* devices.txt: /dev/ptmx is 5:2, UNIX98 pty slaves majors 136-143. */
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTY_SLAVE_MAJOR_FIRST 136
#define PTY_SLAVE_MAJOR_LAST 143

/* Enough room for the fds a confused sender might pass along with ours:
 * each is received so that it can be closed rather than leak. */
#define RECV_MAX_FDS 16

int terminal_connect(const char *path, husk_error **err) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (path == NULL || *path == '\0')
    return husk_error_set(err, EINVAL, "console socket: empty path");
  size_t len = strlen(path);
  if (len >= sizeof(addr.sun_path))
    return husk_error_set(err, ENAMETOOLONG,
                          "console socket %s: path too long (%zu bytes, at most "
                          "%zu)",
                          path, len, sizeof(addr.sun_path) - 1);
  memcpy(addr.sun_path, path, len + 1);
  cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return husk_error_set(err, errno, "console socket %s: socket", path);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    return husk_error_set(err, errno, "console socket %s: connect", path);
  return steal_fd(&fd);
}

/* The slave by its number, for kernels without TIOCGPTPEER.  Racier (the
 * name is looked up again), hence only the fallback. */
static int open_slave_by_name(int master, husk_error **err) {
  unsigned int n;
  char name[64];
  if (ioctl(master, TIOCGPTN, &n) < 0)
    return husk_error_set(err, errno, "pty number (TIOCGPTN)");
  snprintf(name, sizeof(name), "/dev/pts/%u", n);
  int fd = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open %s", name);
  return fd;
}

static int open_slave(int master, husk_error **err) {
  int fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0)
    return fd;
  if (errno != EINVAL && errno != ENOTTY)
    return husk_error_set(err, errno, "pty slave (TIOCGPTPEER)");
  return open_slave_by_name(master, err);
}

/* A devpts mounted by the container's config could be anything, and its
 * /dev/ptmx a symlink to any device (CVE-2025-52565): make sure the master
 * is a pty multiplexer and that what we are about to hand the process as
 * its stdio (and bind on /dev/console) is a pty slave. */
static int check_master(int master, husk_error **err) {
  struct stat st;
  if (fstat(master, &st) < 0)
    return husk_error_set(err, errno, "/dev/ptmx: fstat");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(PTMX_MAJOR, PTMX_MINOR))
    return husk_error_set(err, 0, "/dev/ptmx is not the pty multiplexer");
  return 0;
}

static int check_slave(int slave, husk_error **err) {
  struct stat st;
  if (fstat(slave, &st) < 0)
    return husk_error_set(err, errno, "pty slave: fstat");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) < PTY_SLAVE_MAJOR_FIRST ||
      major(st.st_rdev) > PTY_SLAVE_MAJOR_LAST)
    return husk_error_set(err, 0, "pty slave is not a pty");
  return 0;
}

static int set_size(int master, const struct oci_console_size *size,
                    husk_error **err) {
  struct winsize ws = {.ws_row = (unsigned short)size->height,
                       .ws_col = (unsigned short)size->width};
  if (ioctl(master, TIOCSWINSZ, &ws) < 0)
    return husk_error_set(err, errno, "pty: set window size %ux%u", size->width,
                          size->height);
  return 0;
}

int terminal_open(const struct oci_console_size *size, int *master, int *slave,
                  husk_error **err) {
  cleanup_close int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (m < 0)
    return husk_error_set(err, errno, "open /dev/ptmx");
  if (check_master(m, err) < 0)
    return -1;
  int unlock = 0;
  if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
    return husk_error_set(err, errno, "unlock pty (TIOCSPTLCK)");
  cleanup_close int s = open_slave(m, err);
  if (s < 0 || check_slave(s, err) < 0)
    return -1;
  if (size != NULL && set_size(m, size, err) < 0)
    return -1;
  *master = steal_fd(&m);
  *slave = steal_fd(&s);
  return 0;
}

/* dup2 onto itself would keep O_CLOEXEC, and the process would lose that
 * stdio fd at exec. */
static int make_stdio(int fd, int target) {
  if (fd != target)
    return dup2(fd, target) < 0 ? -1 : 0;
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0)
    return -1;
  return fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
}

int terminal_set_stdio(int slave, husk_error **err) {
  /* TIOCSCTTY needs a session leader without a controlling terminal. */
  if (getsid(0) != getpid() && setsid() < 0)
    return husk_error_set(err, errno, "setsid");
  if (ioctl(slave, TIOCSCTTY, 0) < 0)
    return husk_error_set(err, errno, "make the pty the controlling terminal");
  for (int target = STDIN_FILENO; target <= STDERR_FILENO; target++)
    if (make_stdio(slave, target) < 0)
      return husk_error_set(err, errno, "pty as fd %d", target);
  return 0;
}

/* The payload is the name of what is sent, the master: runc 1.1.5 sends
 * "/dev/ptmx" (observed).  go-runc and conmon only use the fd, but want a
 * non-empty payload. */
static const char master_name[] = "/dev/ptmx";

int terminal_send_fd(int sock, int fd, husk_error **err) {
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  memset(&control, 0, sizeof(control));
  struct iovec iov = {.iov_base = (void *)master_name,
                      .iov_len = sizeof(master_name) - 1};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t r;
  /* MSG_NOSIGNAL: an engine that went away is an error, not a SIGPIPE. */
  do
    r = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return husk_error_set(err, errno, "send pty master to console socket");
  return 0;
}

/* Keep the first fd of the message, close every other one. */
static int take_first_fd(struct msghdr *msg) {
  int first = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL;
       c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (first < 0)
        first = fd;
      else
        close(fd);
    }
  }
  return first;
}

int terminal_recv_fd(int sock, int *fd, husk_error **err) {
  char payload[4096];
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(RECV_MAX_FDS * sizeof(int))];
  } control;
  struct iovec iov = {.iov_base = payload, .iov_len = sizeof(payload)};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  ssize_t r;
  do
    r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return husk_error_set(err, errno, "receive pty master");
  int got = take_first_fd(&msg);
  if (got < 0 && r == 0)
    return husk_error_set(err, 0, "receive pty master: connection closed "
                                  "before a file descriptor was sent");
  if (got < 0)
    return husk_error_set(err, EBADMSG, "receive pty master: no file descriptor");
  *fd = got;
  return 0;
}
