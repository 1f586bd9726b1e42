/* husk list: list the containers under the root directory.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk list [OPTIONS]\n"
    "\n"
    "List the containers whose state is under the --root directory.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  table or json (default: table)\n"
    "  -q, --quiet          print the container ids only\n"
    "  -h, --help           show this help\n";

int cmd_list(struct husk_globals *g, int argc, char **argv,
             husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
