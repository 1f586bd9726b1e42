/* husk checkpoint: checkpoint a running container (CRIU).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk checkpoint [OPTIONS] <container-id>\n"
    "\n"
    "Checkpoint a running container with CRIU.\n"
    "\n"
    "Options:\n"
    "      --image-path DIR           where to save the CRIU image files\n"
    "      --work-path DIR            where to save work files and logs\n"
    "      --parent-path DIR          previous image files, for a pre-dump\n"
    "      --leave-running            leave the container running afterwards\n"
    "      --tcp-established          allow open TCP connections\n"
    "      --ext-unix-sk              allow external unix sockets\n"
    "      --shell-job                allow shell jobs\n"
    "      --lazy-pages               restore memory pages lazily (userfaultfd)\n"
    "      --status-fd FD             CRIU writes \\0 to FD when lazy-pages is ready\n"
    "      --page-server ADDR:PORT    page server to send pages to\n"
    "      --file-locks               handle file locks\n"
    "      --pre-dump                 dump memory only; the container keeps running\n"
    "      --manage-cgroups-mode MODE soft (default), full or strict\n"
    "      --empty-ns NS              create namespace NS but do not restore it\n"
    "      --auto-dedup               deduplicate memory images\n"
    "  -h, --help                     show this help\n";

int cmd_checkpoint(struct husk_globals *g, int argc, char **argv,
                   husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
