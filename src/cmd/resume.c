/* husk resume: resume the processes of a paused container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk resume <container-id>\n"
    "\n"
    "Resume every process of a container suspended by `husk pause`.\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

int cmd_resume(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
