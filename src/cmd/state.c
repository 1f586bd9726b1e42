/* husk state: print the state of a container as JSON.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
    "Usage: husk state <container-id>\n"
    "\n"
    "Print the state of a container (runtime.md, State) as JSON.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

int cmd_state(struct husk_globals *g, int argc, char **argv,
              husk_error **err) {
  static const char *const names[] = {"<container-id>"};
  int r = cmd_parse_no_flags(argc, argv, usage, err);
  if (r != 1)
    return r;
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    return -1;
  char *json = NULL;
  if (container_state(g->root, argv[optind], &json, err) < 0)
    return -1;
  fputs(json, stdout);
  free(json);
  return 0;
}
