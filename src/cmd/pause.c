/* husk pause: suspend every process of a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cmd.h"

#include "container-ops.h"

#include <getopt.h>

static const char usage[] =
    "Usage: husk pause <container-id>\n"
    "\n"
    "Suspend every process of a created or running container with the cgroup\n"
    "freezer; `husk resume` lets them go on.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

int cmd_pause(struct husk_globals *g, int argc, char **argv,
              husk_error **err) {
  static const char *const names[] = {"<container-id>"};
  int r = cmd_parse_no_flags(argc, argv, usage, err);
  if (r != 1)
    return r;
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    return -1;
  return container_pause(g->root, argv[optind], err) < 0 ? -1 : 0;
}
