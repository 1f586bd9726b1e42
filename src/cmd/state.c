/* husk state: print the state of a container as JSON.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk state <container-id>\n"
    "\n"
    "Print the state of a container (runtime.md, State) as JSON.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

int cmd_state(struct husk_globals *g, int argc, char **argv,
              husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
