/* Paths inside the container root, resolved without trusting the container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A rootfs is attacker-controlled: any component of a path in it can be a
 * symlink to the host, or be swapped for one while we work
 * (CVE-2021-30465, CVE-2024-45310).  Every lookup goes through openat2()
 * with RESOLVE_IN_ROOT relative to an fd of the root, and mounts target the
 * resulting fd (/proc/self/fd/N or move_mount), never a concatenated string.
 */
#ifndef HUSK_SAFEPATH_H
#define HUSK_SAFEPATH_H

#include "error.h"

#include <stdbool.h>
#include <sys/types.h>

/* Open `path` (absolute or relative, taken as inside the root) below
 * `rootfd`, with `flags` (O_PATH, O_DIRECTORY, O_NOFOLLOW ... as for
 * openat2); symlinks are followed but never leave the root. */
int safe_openat(int rootfd, const char *path, int flags, mode_t mode,
                husk_error **err);

/* Make every missing directory of `path` below `rootfd` (mode 0755), then
 * open the last component: a directory when `is_dir`, else an empty regular
 * file (created if missing).  Returns an O_PATH fd.  Nothing is ever made
 * outside the root, whatever symlinks the rootfs holds or races in. */
int safe_mkpath(int rootfd, const char *path, bool is_dir, husk_error **err);

/* As safe_mkpath, but no component of `path` may be a symlink (ELOOP): for
 * the destinations whose place in the tree matters to the host's security
 * policy, /proc and /sys (CVE-2019-16884). */
int safe_mkpath_nofollow(int rootfd, const char *path, bool is_dir,
                         husk_error **err);

/* `path` made absolute and lexically clean ("a//b/./c/.." -> "/a/b"), for
 * comparing a config's destinations; ".." never climbs above "/".
 * Returns a malloc'ed string, or NULL when out of memory. */
char *safe_path_clean(const char *path);

/* Open `path`, an absolute path below /proc ("/proc/self/oom_score_adj"),
 * for a read or write whose target must be the kernel's own file: /proc
 * must be a procfs, the lookup below it crosses no mount (a file or a
 * directory mounted over, be it a tmpfs or another procfs file,
 * CVE-2019-16884, CVE-2025-52881) and no magic link, and what is opened is
 * on procfs.  Errors name `path`. */
int safe_proc_open(const char *path, int flags, husk_error **err);

/* Write `data` to `path` (below /proc) in one write, through
 * safe_proc_open(); errors name `path`. */
int safe_proc_write(const char *path, const void *data, size_t len,
                    husk_error **err);

/* "/proc/self/fd/N" for mounting onto an fd. */
#define SAFE_FD_PATH_MAX 32
void safe_fd_path(int fd, char buf[SAFE_FD_PATH_MAX]);

#endif
