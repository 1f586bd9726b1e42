/* `run`: create and start, then stay in the foreground as the container's
 * parent: forward signals, relay the terminal, return the exit status.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "container.h"

#include "cleanup.h"
#include "spawn.h"
#include "supervise.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

int container_run(const struct container_opts *o, int *exit_status,
                  husk_error **err) {
  sigset_t set, old;
  supervise_signal_set(&set);
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
  if (supervise_wait(init.pid, init.pidfd, sfd, &r, &status) < 0) {
    husk_error_set(err, errno, "wait for the container");
    relay_stop(&r);
    goto out;
  }
  if (r.master >= 0) {
    if (r.master_open)
      relay_drain(r.master);
    relay_stop(&r);
  }
  *exit_status = supervise_exit_code(status);
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
