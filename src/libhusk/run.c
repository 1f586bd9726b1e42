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
#include "status.h"
#include "supervise.h"
#include "terminal.h"

#include <errno.h>
#include <ocispec/spec.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
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
  /* One process does create, start and delete on what it holds: the
   * state dir stays open (locked from create through start, as one
   * operation), the state and the init's pidfd in memory. */
  struct container_handle c = {
      .rootfd = -1, .dirfd = -1, .pidfd = -1, .sync_fd = -1};
  struct oci_spec *spec = NULL;
  struct relay r = {.master = -1};
  cleanup_close int sfd = -1;
  int ret = -1;
  int theirs = sv[1];
  sv[1] = -1; /* create owns it now */
  if (container_create_spawned(o, theirs, &c, &spec, err) < 0)
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
  if (c.state->no_process)
    husk_error_set(err, 0,
                   "cannot start container \"%s\": its config has no process",
                   o->id);
  if (c.state->no_process || container_start_held(&c, o->id, spec, err) < 0) {
    /* A failed start has destroyed it, unless it failed after the
     * process started: run leaves nothing either way. */
    struct stat st;
    husk_error *ignored = NULL;
    if (fstat(c.dirfd, &st) == 0 && st.st_nlink > 0)
      container_destroy_held(&c, o->id, spec, &ignored);
    husk_error_free(ignored);
    goto out;
  }
  if (o->detach) {
    *exit_status = 0;
    ret = 0;
    goto out;
  }
  /* Running: state, kill, exec, pause... may take the lock now. */
  status_unlock(c.dirfd);
  sfd = signalfd(-1, &set, SFD_CLOEXEC);
  if (sfd < 0) {
    husk_error_set(err, errno, "signalfd");
    goto out;
  }
  if (r.master >= 0)
    relay_start(&r);
  int status = 0;
  if (supervise_wait(c.state->pid, c.pidfd, sfd, &r, &status) < 0) {
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
    ret = container_delete_held(&c, o->id, spec, err);
out:
  if (r.master >= 0)
    close(r.master);
  container_close(&c);
  oci_spec_free(spec);
  for (int i = 0; i < 2; i++)
    if (sv[i] >= 0)
      close(sv[i]);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return ret;
}
