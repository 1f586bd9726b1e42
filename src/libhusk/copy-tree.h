/* Copying a directory tree between two directory fds.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For the tmpcopyup mount option: a tmpfs mounted over a directory of the
 * rootfs starts with that directory's contents.  The source is the
 * container's (untrusted): every lookup is relative to an fd and never
 * follows a symlink; symlinks are copied as symlinks.
 */
#ifndef HUSK_COPY_TREE_H
#define HUSK_COPY_TREE_H

#include "error.h"

/* Copy everything below directory `from` into directory `to` (both fds
 * opened O_RDONLY|O_DIRECTORY), with modes and owners; device nodes and
 * sockets are skipped. */
int copy_tree(int from, int to, husk_error **err);

#endif
