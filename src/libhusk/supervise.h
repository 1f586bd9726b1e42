/* Staying in the foreground as a container process's parent: forward the
 * signals we get to it, relay its terminal to ours, wait for its exit.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared by `run` (the container's init) and `exec` (a process entering
 * it): both block the forwarded signals before the process exists, so that
 * none is lost, and read them from a signalfd afterwards.
 */
#ifndef HUSK_SUPERVISE_H
#define HUSK_SUPERVISE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

/* The signals to block and forward, plus SIGCHLD. */
void supervise_signal_set(sigset_t *set);

/* A pty master relayed to our stdin/stdout. */
struct relay {
  int master;       /* pty master, or -1 without a terminal */
  bool master_open; /* until the pty's slave side is gone (EIO) */
  bool stdin_open;
  bool raw;         /* stdin's tty is in raw mode: restore it */
  struct termios saved;
};

/* Put our terminal (if stdin is one) in raw mode and copy its size. */
void relay_start(struct relay *r);
/* Restore our terminal. */
void relay_stop(struct relay *r);
/* Copy what is left on the master to stdout. */
void relay_drain(int master);

/* Until `pid` (our child) exits: forward the signals read from `sfd` to it
 * through `pidfd`, reap whatever else we are given, relay the terminal.
 * -1 with errno if polling fails. */
int supervise_wait(pid_t pid, int pidfd, int sfd, struct relay *r,
                   int *status);

/* A wait status as a shell would: the code, or 128+N for signal N. */
int supervise_exit_code(int status);

#endif
