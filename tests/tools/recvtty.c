/* recvtty: the engine's end of a --console-socket, for the behaviour tests.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   recvtty [--mode single|null] [--no-stdin] [--pid-file FILE] SOCKET_PATH
 *
 * Listens on SOCKET_PATH and receives pty masters sent with SCM_RIGHTS, as
 * containerd's shim and conmon do.
 *
 *   single (default)  one connection; the master's output is copied to
 *                     stdout and stdin to the master, until the master
 *                     reports EOF/EIO (every slave fd closed: the container's
 *                     processes are gone).  With --no-stdin, stdin is not
 *                     read.  EOF on stdin only stops reading it: the pty
 *                     stays open, so that the container gets no hangup.
 *   null              any number of connections; every master is kept open
 *                     and drained, until SIGTERM or SIGINT.
 *
 * Nothing of recvtty's own goes to stdout, only what the pty produced (with
 * the line discipline's \r\n); diagnostics go to stderr.  The --pid-file is
 * written once the socket listens, so a test can wait for it and then start
 * the container, and later stop recvtty by that pid.  Exit status: 0 at EOF
 * or on SIGTERM/SIGINT, 1 on errors.
 *
 * Independent of libhusk on purpose: it checks husk's side of the protocol
 * rather than sharing its code.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#define MAX_MASTERS 64

static volatile sig_atomic_t stop_signal;
static const char *socket_path;
static bool stdin_raw;
static struct termios stdin_saved;

static void on_signal(int sig) {
  stop_signal = sig;
}

static void cleanup(void) {
  if (stdin_raw)
    tcsetattr(STDIN_FILENO, TCSANOW, &stdin_saved);
  if (socket_path != NULL)
    unlink(socket_path);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("recvtty: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("recvtty: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  cleanup();
  exit(1);
}

static void usage(void) {
  fprintf(stderr, "usage: recvtty [--mode single|null] [--no-stdin] "
                  "[--pid-file FILE] SOCKET_PATH\n");
  exit(2);
}

/* Without SA_RESTART, so that poll/accept return EINTR and the loops can
 * notice stop_signal. */
static void install_signals(void) {
  struct sigaction sa = {.sa_handler = on_signal};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  /* A closed stdout is an EPIPE to report, not a silent death. */
  signal(SIGPIPE, SIG_IGN);
}

static int listen_on(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path))
    die("%s: path too long for a unix socket", path);
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    die("socket: %s", strerror(errno));
  if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    die("bind %s: %s", path, strerror(errno));
  socket_path = path;
  if (listen(fd, 16) < 0)
    die("listen %s: %s", path, strerror(errno));
  return fd;
}

/* Written to a temporary name and renamed, so that a reader never sees a
 * partial pid. */
static void write_pid_file(const char *path) {
  char tmp[4096];
  if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
    die("%s: path too long", path);
  FILE *f = fopen(tmp, "we");
  if (f == NULL)
    die("%s: %s", tmp, strerror(errno));
  fprintf(f, "%d\n", (int)getpid());
  if (fclose(f) != 0 || rename(tmp, path) < 0)
    die("%s: %s", path, strerror(errno));
}

/* One message, one fd: close any extra fds a sender passed along. */
static int recv_master(int conn) {
  char payload[4096];
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(16 * sizeof(int))];
  } control;
  struct iovec iov = {.iov_base = payload, .iov_len = sizeof(payload)};
  struct msghdr msg = {.msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  ssize_t r;
  do
    r = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR && !stop_signal);
  if (r < 0)
    return -1;
  int master = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
       c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
      continue;
    size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < n; i++) {
      int fd;
      memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
      if (master < 0)
        master = fd;
      else
        close(fd);
    }
  }
  if (master < 0) {
    errno = r == 0 ? ECONNRESET : EBADMSG;
    return -1;
  }
  if (r == 0)
    warn("warning: empty payload with the fd (engines expect the pty name)");
  if (!isatty(master))
    warn("warning: the received fd is not a terminal");
  return master;
}

/* Accept one connection and take the master from it; -1 when stopped. */
static int accept_master(int lfd) {
  int conn;
  do
    conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
  while (conn < 0 && errno == EINTR && !stop_signal);
  if (conn < 0) {
    if (stop_signal)
      return -1;
    die("accept: %s", strerror(errno));
  }
  int master = recv_master(conn);
  int saved = errno;
  close(conn);
  if (master < 0 && !stop_signal)
    warn("receive pty master: %s", strerror(saved));
  return master;
}

static void write_all(int fd, const char *buf, size_t len, const char *what) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      die("write %s: %s", what, strerror(errno));
    buf += w;
    len -= (size_t)w;
  }
}

/* Read from the master; false at EOF.  EIO is how a pty master says that
 * no slave is open any more. */
static bool pump_master(int master, int out) {
  char buf[8192];
  ssize_t r = read(master, buf, sizeof(buf));
  if (r < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (r < 0 && errno != EIO)
    die("read pty master: %s", strerror(errno));
  if (r <= 0)
    return false;
  if (out >= 0)
    write_all(out, buf, (size_t)r, "stdout");
  return true;
}

/* Keystrokes go through to the container as they are typed.  Only from
 * the foreground: a background job changing the terminal would be stopped
 * by SIGTTOU. */
static void stdin_make_raw(void) {
  if (!isatty(STDIN_FILENO) || tcgetpgrp(STDIN_FILENO) != getpgrp() ||
      tcgetattr(STDIN_FILENO, &stdin_saved) < 0)
    return;
  struct termios raw = stdin_saved;
  cfmakeraw(&raw);
  if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
    stdin_raw = true;
}

/* Data read from stdin and not yet accepted by the master: the master is
 * non-blocking, so a container that does not read its input cannot wedge
 * the copy of its output. */
struct pending {
  char buf[4096];
  size_t off, len;
};

static void pump_stdin(struct pending *p, bool *stdin_open) {
  ssize_t r = read(STDIN_FILENO, p->buf, sizeof(p->buf));
  if (r < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (r < 0)
    die("read stdin: %s", strerror(errno));
  if (r == 0)
    *stdin_open = false;
  p->off = 0;
  p->len = (size_t)r;
}

static void flush_pending(int master, struct pending *p) {
  ssize_t w = write(master, p->buf + p->off, p->len);
  if (w < 0 && (errno == EINTR || errno == EAGAIN))
    return;
  if (w < 0 && errno == EIO)
    return; /* the slave is gone; the read side sees EOF next */
  if (w < 0)
    die("write pty master: %s", strerror(errno));
  p->off += (size_t)w;
  p->len -= (size_t)w;
}

static void copy_single(int master, bool use_stdin) {
  struct pending p = {0};
  bool stdin_open = use_stdin;
  if (fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK) < 0)
    die("pty master: %s", strerror(errno));
  if (use_stdin)
    stdin_make_raw();
  while (!stop_signal) {
    struct pollfd pfd[2] = {
        {.fd = master, .events = POLLIN | (p.len > 0 ? POLLOUT : 0)},
        {.fd = stdin_open && p.len == 0 ? STDIN_FILENO : -1, .events = POLLIN},
    };
    if (poll(pfd, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      die("poll: %s", strerror(errno));
    }
    if ((pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !pump_master(master, STDOUT_FILENO))
      return;
    if (pfd[0].revents & POLLOUT)
      flush_pending(master, &p);
    if (pfd[1].revents)
      pump_stdin(&p, &stdin_open);
  }
}

static void run_single(int lfd, bool use_stdin) {
  int master = accept_master(lfd);
  close(lfd);
  if (master < 0) {
    if (stop_signal)
      return;
    die("no pty master received");
  }
  copy_single(master, use_stdin);
  close(master);
}

/* Keep every master open and drained, so that containers writing to their
 * terminal never block, until told to stop. */
static void run_null(int lfd) {
  struct pollfd pfd[1 + MAX_MASTERS] = {{.fd = lfd, .events = POLLIN}};
  size_t n = 1;
  while (!stop_signal) {
    if (poll(pfd, n, -1) < 0) {
      if (errno == EINTR)
        continue;
      die("poll: %s", strerror(errno));
    }
    for (size_t i = n; i-- > 1;) {
      if (pfd[i].revents && !pump_master(pfd[i].fd, -1)) {
        close(pfd[i].fd);
        pfd[i] = pfd[--n];
      }
    }
    if (pfd[0].revents) {
      int master = accept_master(lfd);
      if (master < 0)
        continue;
      if (n == 1 + MAX_MASTERS) {
        warn("more than %d ptys open, closing the new one", MAX_MASTERS);
        close(master);
        continue;
      }
      fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
      pfd[n++] = (struct pollfd){.fd = master, .events = POLLIN};
    }
  }
}

int main(int argc, char **argv) {
  static const struct option opts[] = {
      {"mode", required_argument, NULL, 'm'},
      {"no-stdin", no_argument, NULL, 'n'},
      {"pid-file", required_argument, NULL, 'p'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *mode = "single", *pid_file = NULL;
  bool use_stdin = true;
  int c;
  while ((c = getopt_long(argc, argv, "m:np:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm':
      mode = optarg;
      break;
    case 'n':
      use_stdin = false;
      break;
    case 'p':
      pid_file = optarg;
      break;
    default:
      usage();
    }
  }
  if (optind != argc - 1)
    usage();
  bool null_mode = strcmp(mode, "null") == 0;
  if (!null_mode && strcmp(mode, "single") != 0)
    die("unknown mode \"%s\": expected single or null", mode);

  install_signals();
  int lfd = listen_on(argv[optind]);
  if (pid_file != NULL)
    write_pid_file(pid_file);
  if (null_mode)
    run_null(lfd);
  else
    run_single(lfd, use_stdin);
  cleanup();
  return 0;
}
