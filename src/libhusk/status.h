/* The state directory: one directory per container under --root, holding
 * state.json, the config copy and exec.fifo, guarded by a lock.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_STATUS_H
#define HUSK_STATUS_H

#include "error.h"

#include <ocispec/state.h>
#include <stdbool.h>
#include <sys/types.h>

#define STATUS_STATE "state.json"
#define STATUS_CONFIG "config.json"
#define STATUS_FIFO "exec.fifo"

/* IDs name a directory: no '/', no "." or "..", printable, bounded. */
int status_validate_id(const char *id, husk_error **err);

/* Open the state root, creating it (0700) when `create`. */
int status_open_root(const char *root, bool create, int *rootfd,
                     husk_error **err);

/* Make <root>/<id> (fails if it exists) and return its fd, locked. */
int status_create(int rootfd, const char *id, int *dirfd, husk_error **err);

/* Open <root>/<id> and take its lock (exclusive or shared); a missing one
 * is `container "ID" does not exist`. */
int status_open(int rootfd, const char *id, bool exclusive, int *dirfd,
                husk_error **err);

/* Take the lock of an open state dir again (after status_unlock); a
 * directory removed meanwhile is `container "ID" does not exist`. */
int status_lock(int dirfd, const char *id, bool exclusive, husk_error **err);
void status_unlock(int dirfd);

/* Write a file of the state dir atomically (temporary file + rename). */
int status_write_file(int dirfd, const char *name, const char *data,
                      size_t len, husk_error **err);

/* Write a file that does not exist yet straight to its name: for the
 * first state and the config copy, written under create's exclusive lock
 * into a directory nobody has read yet; a reader that takes no lock (list)
 * sees no file or a prefix, which does not parse, never a wrong one. */
int status_create_file(int dirfd, const char *name, const char *data,
                       size_t len, husk_error **err);

/* The config copy (STATUS_CONFIG), written once before anything else of
 * the container exists, with the state so far (`creating`, the cgroup
 * paths) as its first member "husk.creating" (ended by a newline; spec
 * readers skip unknown members).  status_read() takes that state while
 * state.json is missing or incomplete: a create in progress, or one whose
 * runtime was killed, which `delete --force` then undoes.  So state.json
 * is written once, complete, in the usual case. */
int status_write_config(int dirfd, const struct oci_state *st,
                        const char *config, size_t len, husk_error **err);

/* The first state (status_create_file), then later ones (atomic). */
int status_write_first(int dirfd, const struct oci_state *st,
                       husk_error **err);
int status_write(int dirfd, const struct oci_state *st, husk_error **err);

/* Read a file of the state dir (openat on dirfd) into a malloc'ed,
 * NUL-terminated buffer; -1 with errno. */
int status_read_file(int dirfd, const char *name, char **out, size_t *len);
int status_read(int dirfd, const char *id, struct oci_state **st,
                husk_error **err);

/* Remove the container's directory and everything in it. */
int status_remove(int rootfd, const char *id, husk_error **err);

/* Field 22 of /proc/PID/stat (start time in clock ticks) and whether the
 * process is a zombie; -1 with ESRCH when there is no such process. */
int proc_stat_start(pid_t pid, uint64_t *start, bool *zombie);

/* Recompute st->status from the process: "stopped" when the pid is gone,
 * a zombie, or a recycled pid (start time differs); "created" while
 * exec.fifo exists; "paused" when frozen; else "running".  With `pidfd`
 * non-NULL and the process alive, returns a pidfd that pins it (or -1),
 * so signals cannot reach a recycled pid. */
int status_refresh(int dirfd, struct oci_state *st, int *pidfd,
                   husk_error **err);

#endif
