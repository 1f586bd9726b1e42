/* Staying in the foreground as a container process's parent: signals,
 * terminal relay, exit status (see supervise.h).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "supervise.h"

#include "linux-syscalls.h"

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* Signals a terminal or a supervisor sends the foreground runtime, meant
 * for the container's process. SIGCHLD tells us a child exited. */
static const int forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1,
                                SIGUSR2, SIGALRM, SIGCONT, SIGTSTP, SIGTTIN,
                                SIGTTOU, SIGWINCH};

void supervise_signal_set(sigset_t *set) {
  sigemptyset(set);
  for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
    sigaddset(set, forwarded[i]);
  sigaddset(set, SIGCHLD);
}

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
    ioctl(master, TIOCSWINSZ, &ws);
}

void relay_start(struct relay *r) {
  r->stdin_open = true;
  r->master_open = true;
  if (tcgetattr(STDIN_FILENO, &r->saved) == 0) {
    struct termios t = r->saved;
    cfmakeraw(&t);
    r->raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
    copy_winsize(r->master);
  }
}

void relay_stop(struct relay *r) {
  if (r->raw)
    tcsetattr(STDIN_FILENO, TCSANOW, &r->saved);
}

static bool copy(int from, int to) {
  char buf[8192];
  ssize_t n = read(from, buf, sizeof(buf));
  if (n <= 0)
    return n < 0 && (errno == EINTR || errno == EAGAIN);
  for (ssize_t off = 0; off < n;) {
    ssize_t w = write(to, buf + off, (size_t)(n - off));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return true; /* the reader went away: drop, keep the container */
    off += w;
  }
  return true;
}

int supervise_exit_code(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 255;
}

int supervise_wait(pid_t pid, int pidfd, int sfd, struct relay *r,
                   int *status) {
  for (;;) {
    bool relay = r->master >= 0 && r->master_open;
    struct pollfd p[3] = {{.fd = sfd, .events = POLLIN},
                          {.fd = relay ? r->master : -1, .events = POLLIN},
                          {.fd = relay && r->stdin_open ? STDIN_FILENO : -1,
                           .events = POLLIN}};
    if (poll(p, 3, -1) < 0 && errno != EINTR)
      return -1;
    /* EIO on the master: the container closed its side; keep reaping. */
    if ((p[1].revents & (POLLIN | POLLHUP | POLLERR)) &&
        !copy(r->master, STDOUT_FILENO))
      r->master_open = false;
    if ((p[2].revents & (POLLIN | POLLHUP)) && !copy(STDIN_FILENO, r->master))
      r->stdin_open = false;
    if (!(p[0].revents & POLLIN))
      continue;
    struct signalfd_siginfo si;
    if (read(sfd, &si, sizeof(si)) != sizeof(si))
      continue;
    if (si.ssi_signo == SIGCHLD) {
      int st;
      pid_t got;
      /* As a subreaper we also reap what the container orphans. */
      while ((got = waitpid(-1, &st, WNOHANG)) > 0)
        if (got == pid) {
          *status = st;
          return 0;
        }
    } else if (si.ssi_signo == SIGWINCH && r->master >= 0) {
      copy_winsize(r->master);
    } else {
      sys_pidfd_send_signal(pidfd, (int)si.ssi_signo);
    }
  }
}

void relay_drain(int master) {
  struct pollfd p = {.fd = master, .events = POLLIN};
  while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN) &&
         copy(master, STDOUT_FILENO))
    ;
}
