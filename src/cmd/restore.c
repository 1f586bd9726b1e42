/* husk restore: restore a container from a checkpoint (CRIU).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk restore [OPTIONS] <container-id>\n"
    "\n"
    "Restore a container from a CRIU checkpoint.\n"
    "\n"
    "Options:\n"
    "      --console-socket PATH      AF_UNIX socket that receives the master end of\n"
    "                                 the container's pseudoterminal\n"
    "      --image-path DIR           where the CRIU image files are\n"
    "      --work-path DIR            where to save work files and logs\n"
    "      --tcp-established          allow open TCP connections\n"
    "      --ext-unix-sk              allow external unix sockets\n"
    "      --shell-job                allow shell jobs\n"
    "      --file-locks               handle file locks\n"
    "      --manage-cgroups-mode MODE soft (default), full or strict\n"
    "  -b, --bundle DIR               bundle directory (default: the current\n"
    "                                 directory)\n"
    "  -d, --detach                   do not wait for the container's process\n"
    "      --pid-file FILE            write the container's process id to FILE\n"
    "      --no-subreaper             do not become a subreaper\n"
    "      --no-pivot                 use MS_MOVE and chroot instead of pivot_root\n"
    "      --empty-ns NS              create namespace NS but do not restore it\n"
    "      --auto-dedup               deduplicate memory images\n"
    "      --lazy-pages               restore memory pages lazily (userfaultfd)\n"
    "      --lsm-profile TYPE:NAME    LSM profile to restore with\n"
    "      --lsm-mount-context CTX    LSM mount context to restore with\n"
    "  -h, --help                     show this help\n";

int cmd_restore(struct husk_globals *g, int argc, char **argv,
                husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
