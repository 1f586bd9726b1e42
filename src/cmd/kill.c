/* husk kill: send a signal to a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk kill [OPTIONS] <container-id> [SIGNAL]\n"
    "\n"
    "Send SIGNAL (a name such as KILL or SIGKILL, or a number; default: SIGTERM)\n"
    "to the container's init process.\n"
    "\n"
    "Options:\n"
    "  -a, --all   send the signal to every process of the container\n"
    "  -h, --help  show this help\n";

int cmd_kill(struct husk_globals *g, int argc, char **argv,
             husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
