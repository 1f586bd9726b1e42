/* husk delete: delete a container and what it holds.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"

#include <getopt.h>
#include <stdbool.h>

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
  static const struct option opts[] = {
      {"force", no_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const char *const names[] = {"<container-id>"};
  bool force = false;
  int c;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, ":fh", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      force = true;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    return -1;
  return container_delete(g->root, argv[optind], force, err) < 0 ? -1 : 0;
}
