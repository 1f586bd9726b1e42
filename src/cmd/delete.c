/* husk delete: delete a container and what it holds.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk delete [OPTIONS] <container-id>\n"
    "\n"
    "Delete a stopped container: run its poststop hooks, remove its cgroup and its\n"
    "state.\n"
    "\n"
    "Options:\n"
    "  -f, --force  kill the container (SIGKILL) first if it is still running\n"
    "  -h, --help   show this help\n";

int cmd_delete(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
