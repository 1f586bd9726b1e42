/* `exec`: a new process inside an existing container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runc's command-line semantics: the process is the container's config
 * process with the given args and the flags' overrides, or the whole of a
 * process.json (--process).  It joins the container's cgroup first, then
 * every namespace of the container's init, so that it can never be seen
 * outside the container's limits.
 */
#ifndef HUSK_EXEC_H
#define HUSK_EXEC_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

struct exec_opts {
  const char *root; /* state root */
  const char *id;
  const char *process_file;  /* --process: replaces all the flags below
                                that describe the process */
  char *const *args;         /* the command and its arguments */
  size_t args_len;
  const char *cwd;           /* NULL: the config's */
  char *const *env;          /* NAME=VALUE, added (replacing the same NAME) */
  size_t env_len;
  bool tty;
  const char *user;          /* "UID[:GID]", NULL: the config's */
  char *const *additional_gids; /* added to the config's */
  size_t additional_gids_len;
  char *const *caps;         /* added to bounding, effective, permitted */
  size_t caps_len;
  const char *process_label; /* SELinux, NULL: the config's */
  const char *apparmor;      /* NULL: the config's */
  bool no_new_privs;         /* true: set it (false leaves the config's) */
  char *const *cgroups;      /* "[CTRL[,CTRL]:]PATH" sub-cgroups */
  size_t cgroups_len;
  const char *console_socket; /* the pty master goes there (with tty) */
  const char *pidfd_socket;   /* a pidfd of the process goes there */
  const char *pid_file;
  int preserve_fds;
  bool detach;
  bool ignore_paused;
};

/* Start the process; without detach, wait for it, forwarding signals and
 * relaying the terminal, and set *exit_status to its status (128+N for
 * signal N).  With detach *exit_status is 0 once it has exec'd. */
int container_exec(const struct exec_opts *o, int *exit_status,
                   husk_error **err);

/* Connect to the AF_UNIX socket at `path` and send `pidfd` over it
 * (SCM_RIGHTS), for --pidfd-socket of create, run and exec. */
int pidfd_socket_send(const char *path, int pidfd, husk_error **err);

#endif
