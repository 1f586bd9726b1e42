/* husk exec: run a new process inside a running container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Not implemented yet: only --help works.
 */
#include "config.h"

#include "cmd.h"

static const char usage[] =
    "Usage: husk exec [OPTIONS] <container-id> <command> [ARGS...]\n"
    "       husk exec [OPTIONS] -p process.json <container-id>\n"
    "\n"
    "Run a new process inside a running container.\n"
    "\n"
    "Options:\n"
    "      --console-socket PATH  AF_UNIX socket that receives the master end of the\n"
    "                             process's pseudoterminal (with --tty)\n"
    "      --cwd DIR              working directory inside the container\n"
    "  -e, --env NAME=VALUE       set an environment variable (repeatable)\n"
    "  -t, --tty                  allocate a pseudoterminal\n"
    "  -u, --user UID[:GID]       run as this user\n"
    "  -g, --additional-gids GID  add a supplementary group (repeatable)\n"
    "  -p, --process FILE         read the process from a process.json file\n"
    "  -d, --detach               do not wait for the process\n"
    "      --pid-file FILE        write the process id to FILE\n"
    "      --process-label LABEL  SELinux label of the process\n"
    "      --apparmor PROFILE     AppArmor profile of the process\n"
    "      --no-new-privs         set no_new_privs for the process\n"
    "  -c, --cap CAP              add a capability to the bounding set (repeatable)\n"
    "      --preserve-fds N       pass N more file descriptors (after stdio and\n"
    "                             $LISTEN_FDS) to the process (default: 0)\n"
    "      --cgroup [CTRL:]PATH   run the process in this existing sub-cgroup\n"
    "      --ignore-paused        allow exec in a paused container\n"
    "  -h, --help                 show this help\n";

int cmd_exec(struct husk_globals *g, int argc, char **argv,
             husk_error **err) {
  (void)g;
  return cmd_not_implemented(usage, argc, argv, err);
}
