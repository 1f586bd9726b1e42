/* husk events: print container events and statistics as JSON.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk events [OPTIONS] <container-id>\n"
    "\n"
    "Print the container's events (OOM notifications, resource statistics) as JSON\n"
    "lines.\n"
    "\n"
    "Options:\n"
    "      --interval DURATION  statistics interval (default: 5s)\n"
    "      --stats              print the statistics once and exit\n"
    "  -h, --help               show this help\n";

int cmd_events(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
