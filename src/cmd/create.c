/* husk create: create a container from a bundle, stopped before its
 * process runs.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"

static const char usage[] =
    "Usage: husk create [OPTIONS] <container-id>\n"
    "\n"
    "Create a container from the bundle: a directory holding config.json and the\n"
    "root filesystem.  The container's process is started by `husk start`.\n"
    "\n"
    "Options:\n"
    "  -b, --bundle DIR            bundle directory (default: the current directory)\n"
    "      --console-socket PATH   AF_UNIX socket that receives the master end\n"
    "                              of the container's pseudoterminal\n"
    "      --pid-file FILE         write the container's process id to FILE\n"
    "      --pidfd-socket PATH     AF_UNIX socket that receives a pidfd of the\n"
    "                              container's process\n"
    "      --no-pivot              use MS_MOVE and chroot instead of pivot_root (for\n"
    "                              a rootfs on a ramdisk)\n"
    "      --no-new-keyring        keep the caller's session keyring\n"
    "      --preserve-fds N        pass N more file descriptors (after stdio and\n"
    "                              $LISTEN_FDS) to the container (default: 0)\n"
    "  -h, --help                  show this help\n";

int cmd_create(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  struct container_opts o = {.root = g->root, .detach = true,
                             .systemd_cgroup = g->systemd_cgroup,
                             .rootless = cmd_rootless(g)};
  int r = cmd_parse_container_opts(argc, argv, false, &o, usage, err);
  if (r != 1)
    return r;
  return container_create(&o, err) < 0 ? -1 : 0;
}
