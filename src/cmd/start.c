/* husk start: run the user process of a created container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk start <container-id>\n"
    "\n"
    "Run the process defined in config.json in a container made by `husk create`.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

int cmd_start(struct husk_globals *g, int argc, char **argv,
              husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
