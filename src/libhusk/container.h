/* The lifecycle: create, start, run, state, kill, delete, list.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runtime.md's operations, with runc's command-line semantics where the
 * spec is silent.  Every operation takes the container's lock; a failed one
 * leaves things as they were.
 */
#ifndef HUSK_CONTAINER_H
#define HUSK_CONTAINER_H

#include "error.h"

#include <ocispec/state.h>
#include <stdbool.h>
#include <sys/types.h>

struct container_opts {
  const char *root;           /* state root */
  const char *id;
  const char *bundle;         /* NULL: the current directory */
  const char *pid_file;       /* NULL: none */
  const char *console_socket; /* NULL: none */
  const char *pidfd_socket;   /* NULL: none; gets a pidfd of the init */
  int preserve_fds;
  bool no_pivot;
  bool no_new_keyring;
  bool systemd_cgroup;
  bool rootless;              /* --rootless: a cgroup only where delegated */
  bool detach;                /* run: return once started */
  bool keep;                  /* run: do not delete after the exit */
};

int container_create(const struct container_opts *o, husk_error **err);

struct container_handle;
struct oci_spec;
/* create, with the console socket already connected (or -1); with `keep`
 * (run) the container stays open, locked, in it, and *hooks_spec gets the
 * config when start or delete has hooks to run from it (else NULL). */
int container_create_spawned(const struct container_opts *o, int console_sock,
                             struct container_handle *keep,
                             struct oci_spec **hooks_spec, husk_error **err);
int container_start(const char *root, const char *id, husk_error **err);

/* create + start, then (without detach) forward signals, wait, delete.
 * *exit_status: the process's status, 128+N for signal N. */
int container_run(const struct container_opts *o, int *exit_status,
                  husk_error **err);

/* The state as runc prints it (pretty JSON, malloc'ed). */
int container_state(const char *root, const char *id, char **json,
                    husk_error **err);

int container_kill(const char *root, const char *id, int sig, bool all,
                   husk_error **err);
int container_delete(const char *root, const char *id, bool force,
                     husk_error **err);

/* Every container under root, with a fresh status; *states is malloc'ed,
 * free with container_list_free. */
int container_list(const char *root, struct oci_state ***states, size_t *n,
                   husk_error **err);
void container_list_free(struct oci_state **states, size_t n);

/* Write `pid` (digits, no newline, as runc) to the --pid-file `path`
 * atomically. */
int write_pid_file(const char *path, pid_t pid, husk_error **err);

/* An existing container, opened under its lock, with a fresh status. */
struct container_handle {
  int rootfd, dirfd;
  int pidfd;               /* pins the init while it lives, else -1 */
  int sync_fd;             /* run's: the init waits on it, not on exec.fifo
                              (-1 otherwise) */
  bool started;            /* run's, in one step (spawn.c): the process
                              runs already, there is no start to send */
  struct oci_state *state; /* status refreshed */
};

/* Open and lock (shared, or `exclusive`) container `id`; with
 * `want_pidfd`, pin its init.  On failure the handle is still safe to
 * close. */
int container_open(const char *root, const char *id, bool exclusive,
                   bool want_pidfd, struct container_handle *c,
                   husk_error **err);
void container_close(struct container_handle *c);

/* run's steps on the container it created and holds (no reopening, no
 * re-reading).  start: `c` locked and created; a failure destroys it.
 * destroy: `c` locked, whatever its state (delete --force).  delete: `c`
 * unlocked and its init reaped by the caller; takes the lock again, then
 * destroys.  `spec`: the config whose hooks run, or NULL. */
int container_start_held(struct container_handle *c, const char *id,
                         const struct oci_spec *spec, husk_error **err);
int container_destroy_held(struct container_handle *c, const char *id,
                           const struct oci_spec *spec, husk_error **err);
int container_delete_held(struct container_handle *c, const char *id,
                          const struct oci_spec *spec, husk_error **err);

struct oci_spec;
/* The config as it was at create time, from the state dir `dirfd`
 * (runtime.md: later changes to config.json do not affect the container). */
struct oci_spec *container_stored_config(int dirfd, husk_error **err);

#endif
