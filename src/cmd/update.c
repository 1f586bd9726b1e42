/* husk update: change the resource limits of a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk update [OPTIONS] <container-id>\n"
    "\n"
    "Change the cgroup resource limits of a running container.\n"
    "\n"
    "Options:\n"
    "  -r, --resources FILE        read a linux.resources JSON object from FILE\n"
    "                              ('-' for stdin); the other flags are then ignored\n"
    "      --blkio-weight N        block I/O weight, 10 to 1000\n"
    "      --cpu-period USECS      CFS period\n"
    "      --cpu-quota USECS       CFS quota: CPU time allowed per period\n"
    "      --cpu-share N           CPU shares (relative weight)\n"
    "      --cpu-rt-period USECS   realtime period\n"
    "      --cpu-rt-runtime USECS  realtime runtime allowed per period\n"
    "      --cpuset-cpus LIST      CPUs to use (\"0-3,7\")\n"
    "      --cpuset-mems LIST      memory nodes to use\n"
    "      --memory BYTES          memory limit\n"
    "      --memory-reservation BYTES  memory soft limit\n"
    "      --memory-swap BYTES     memory + swap limit (-1: unlimited swap)\n"
    "      --pids-limit N          maximum number of processes\n"
    "      --l3-cache-schema S     Intel RDT/CAT L3 cache schema\n"
    "      --mem-bw-schema S       Intel RDT/MBA memory bandwidth schema\n"
    "  -h, --help                  show this help\n";

int cmd_update(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
