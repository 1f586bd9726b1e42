/* The container's /dev: device nodes, the standard symlinks, the console.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * config-linux.md "Default Devices" (null zero full random urandom tty,
 * plus /dev/ptmx) and linux.devices.  In a new user namespace mknod is
 * not allowed: each node is the host's, bind-mounted onto an empty file,
 * after checking by fstat that the host's node is the device asked for.
 * Nothing at a node's path in the rootfs is ever followed: a symlink there
 * is replaced.
 */
#ifndef HUSK_DEVICES_H
#define HUSK_DEVICES_H

#include "error.h"
#include "rootfs.h"

#include <stdbool.h>

/* Whether husk fills /dev: always but when the config binds /dev from
 * elsewhere (as runc). */
bool devices_wanted(const struct oci_spec *spec);

/* Nodes (defaults and linux.devices), /dev/fd, /dev/std{in,out,err},
 * /dev/ptmx -> pts/ptmx, /dev/core when the host has /proc/kcore. */
int devices_setup(const struct rootfs_opts *o, int rootfd, husk_error **err);

/* Bind the pty slave `console_fd` onto /dev/console below `rootfd`. */
int devices_bind_console(int rootfd, int console_fd, husk_error **err);

#endif
