/* husk ps: list the processes running inside a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk ps [OPTIONS] <container-id> [PS-OPTIONS...]\n"
    "\n"
    "List the processes of a container, with ps(1) and PS-OPTIONS (default: -ef)\n"
    "for the table format.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  table or json (default: table); json prints the pids\n"
    "  -h, --help           show this help\n";

int cmd_ps(struct husk_globals *g, int argc, char **argv,
           husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
