/* `run`: create and start, then stay in the foreground as the container's
 * parent: forward signals, relay the terminal, return the exit status.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "container.h"

#include "cleanup.h"
#include "linux-syscalls.h"
#include "spawn.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* Signals a terminal or a supervisor sends the foreground `run`, meant for
 * the container. SIGCHLD tells us the container exited. */
static const int forwarded[] = {SIGHUP,  SIGINT,  SIGQUIT, SIGTERM, SIGUSR1,
                                SIGUSR2, SIGALRM, SIGCONT, SIGTSTP, SIGTTIN,
                                SIGTTOU, SIGWINCH};

static void signal_set(sigset_t *set) {
  sigemptyset(set);
  for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
    sigaddset(set, forwarded[i]);
  sigaddset(set, SIGCHLD);
}

struct relay {
  int master;       /* pty master, or -1 without a terminal */
  bool master_open; /* until the pty's slave side is gone (EIO) */
  bool stdin_open;
  bool raw;         /* stdin's tty is in raw mode: restore it */
  struct termios saved;
};

static void copy_winsize(int master) {
  struct winsize ws;
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
    ioctl(master, TIOCSWINSZ, &ws);
}

static void relay_start(struct relay *r) {
  r->stdin_open = true;
  r->master_open = true;
  if (tcgetattr(STDIN_FILENO, &r->saved) == 0) {
    struct termios t = r->saved;
    cfmakeraw(&t);
    r->raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
    copy_winsize(r->master);
  }
}

static void relay_stop(struct relay *r) {
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

static int exit_code(int status) {
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 255;
}

/* Until the init exits: forward signals, reap, relay the terminal. */
static int supervise(const struct spawn_result *init, int sfd,
                     struct relay *r, int *status) {
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
      pid_t pid;
      /* As a subreaper we also reap what the container orphans. */
      while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        if (pid == init->pid) {
          *status = st;
          return 0;
        }
    } else if (si.ssi_signo == SIGWINCH && r->master >= 0) {
      copy_winsize(r->master);
    } else {
      sys_pidfd_send_signal(init->pidfd, (int)si.ssi_signo);
    }
  }
}

static void drain(int master) {
  struct pollfd p = {.fd = master, .events = POLLIN};
  while (poll(&p, 1, 0) > 0 && (p.revents & POLLIN) &&
         copy(master, STDOUT_FILENO))
    ;
}

int container_run(const struct container_opts *o, int *exit_status,
                  husk_error **err) {
  sigset_t set, old;
  signal_set(&set);
  /* Blocked before the container exists, so that no signal is lost; the
   * init unblocks them for itself. */
  sigprocmask(SIG_BLOCK, &set, &old);
  if (!o->detach)
    prctl(PR_SET_CHILD_SUBREAPER, 1);
  /* Without --console-socket a terminal comes back to us over a
   * socketpair, and we relay it to our own stdio. */
  int sv[2] = {-1, -1};
  if (!o->detach && o->console_socket == NULL &&
      socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    sigprocmask(SIG_SETMASK, &old, NULL);
    return husk_error_set(err, errno, "socketpair");
  }
  struct spawn_result init = {.pidfd = -1};
  struct relay r = {.master = -1};
  cleanup_close int sfd = -1;
  int ret = -1;
  int theirs = sv[1];
  sv[1] = -1; /* create owns it now */
  if (container_create_spawned(o, theirs, &init, err) < 0)
    goto out;
  if (sv[0] >= 0) {
    int fd;
    husk_error *none = NULL;
    /* The fd, if any, was sent before the init said it was created. */
    if (fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0 &&
        terminal_recv_fd(sv[0], &fd, &none) == 0)
      r.master = fd;
    husk_error_free(none);
  }
  if (container_start(o->root, o->id, err) < 0) {
    husk_error *ignored = NULL;
    container_delete(o->root, o->id, true, &ignored);
    husk_error_free(ignored);
    goto out;
  }
  if (o->detach) {
    *exit_status = 0;
    ret = 0;
    goto out;
  }
  sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) {
    husk_error_set(err, errno, "signalfd");
    goto out;
  }
  if (r.master >= 0)
    relay_start(&r);
  int status = 0;
  if (supervise(&init, sfd, &r, &status) < 0) {
    husk_error_set(err, errno, "wait for the container");
    relay_stop(&r);
    goto out;
  }
  if (r.master >= 0) {
    if (r.master_open)
      drain(r.master);
    relay_stop(&r);
  }
  *exit_status = exit_code(status);
  ret = 0;
  if (!o->keep)
    ret = container_delete(o->root, o->id, false, err);
out:
  if (r.master >= 0)
    close(r.master);
  if (init.pidfd >= 0)
    close(init.pidfd);
  for (int i = 0; i < 2; i++)
    if (sv[i] >= 0)
      close(sv[i]);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return ret;
}
