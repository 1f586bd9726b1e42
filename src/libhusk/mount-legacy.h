/* mount(2) in place of the fd-based mount API where it answers ENOSYS.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * open_tree, move_mount, fsopen/fsconfig/fsmount and mount_setattr are
 * missing under valgrind 3.19 and under seccomp profiles written before
 * them.  The first ENOSYS switches the whole process over, so a kernel
 * that has them pays one branch per call.
 *
 * Targets stay fds resolved inside the root: mount(2) reaches them as
 * /proc/self/fd/N, as runc does, never as a path string in the container;
 * that needs "/proc" to be a proc mount (after pivot_root, the
 * container's), which is checked each time.
 * What the fallback cannot do: a bind is attached first and given its
 * flags after (by a remount), where the new API sets them while it is
 * still detached; the container runs nothing meanwhile.  A magic link
 * names what the fd was opened on, not a mount attached over it since, so
 * after attaching the callers open the destination again, inside the
 * root, to reach the new mount.
 */
#ifndef HUSK_MOUNT_LEGACY_H
#define HUSK_MOUNT_LEGACY_H

#include "error.h"

#include <stdbool.h>
#include <stdint.h>

/* Whether an earlier call of the new API answered ENOSYS. */
bool mount_api_missing(void);

/* After a new-API call failed: whether to take the fallback, that is
 * whether it failed with ENOSYS (remembered from then on) or was skipped
 * because an earlier one did. */
bool mount_api_fallback(void);

/* Bind what `src` refers to onto what `dst` refers to (both any fd). */
int legacy_bind(int src, int dst, bool recursive, husk_error **err);

/* mount(2) a new filesystem onto what `dst` refers to. */
int legacy_mount(const char *source, int dst, const char *type,
                 unsigned long flags, const char *data, husk_error **err);

/* mount_setattr's set/clear of MOUNT_ATTR_* on the mount `fd` is the root
 * of (and with `recursive` every mount below it), as bind remounts that
 * keep the flags not named. */
int legacy_set_attr(int fd, bool recursive, uint64_t set, uint64_t clr,
                    husk_error **err);

/* Propagation (MS_SHARED ...) of the mount `fd` is the root of. */
int legacy_set_propagation(int fd, bool recursive, uint64_t type,
                           husk_error **err);

/* Move the mount `from` is the root of onto `to_path` (a path outside the
 * container: "/" for --no-pivot). */
int legacy_move(int from, const char *to_path, husk_error **err);

#endif
