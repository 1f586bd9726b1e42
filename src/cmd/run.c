/* husk run: create and start a container, and wait for it.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"

static const char usage[] =
    "Usage: husk run [OPTIONS] <container-id>\n"
    "\n"
    "Create a container from the bundle and start it: `husk create` and\n"
    "`husk start` in one step.  Without --detach, husk waits for the process,\n"
    "exits with its status, and deletes the container.\n"
    "\n"
    "Options:\n"
    "  -b, --bundle DIR            bundle directory (default: the current directory)\n"
    "      --console-socket PATH   AF_UNIX socket that receives the master end\n"
    "                              of the container's pseudoterminal\n"
    "  -d, --detach                do not wait for the container's process\n"
    "      --keep                  do not delete the container after it exits\n"
    "      --pid-file FILE         write the container's process id to FILE\n"
    "      --pidfd-socket PATH     AF_UNIX socket that receives a pidfd of the\n"
    "                              container's process\n"
    "      --no-subreaper          do not reap reparented processes\n"
    "      --no-pivot              use MS_MOVE and chroot instead of pivot_root (for\n"
    "                              a rootfs on a ramdisk)\n"
    "      --no-new-keyring        keep the caller's session keyring\n"
    "      --preserve-fds N        pass N more file descriptors (after stdio and\n"
    "                              $LISTEN_FDS) to the container (default: 0)\n"
    "  -h, --help                  show this help\n";

int cmd_run(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  struct container_opts o = {.root = g->root,
                             .systemd_cgroup = g->systemd_cgroup,
                             .rootless = cmd_rootless(g)};
  int r = cmd_parse_container_opts(argc, argv, true, &o, usage, err);
  if (r != 1)
    return r;
  int status = 0;
  if (container_run(&o, &status, err) < 0)
    return -1;
  return status;
}
