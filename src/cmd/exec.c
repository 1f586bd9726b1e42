/* husk exec: run a new process inside an existing container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * runc's flags, before the container's id: everything after the id is the
 * process's own (`exec ID sh -c 'ls -l'`).  Repeatable flags are collected
 * in argv order.
 */
#include "config.h"

#include "cmd.h"

#include "exec.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

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
    "      --pidfd-socket PATH    AF_UNIX socket that receives a pidfd of the process\n"
    "      --process-label LABEL  SELinux label of the process\n"
    "      --apparmor PROFILE     AppArmor profile of the process\n"
    "      --no-new-privs         set no_new_privs for the process\n"
    "  -c, --cap CAP              add a capability to the bounding, effective and\n"
    "                             permitted sets (repeatable)\n"
    "      --preserve-fds N       pass N more file descriptors (after stdio) to the\n"
    "                             process (default: 0; $LISTEN_FDS is ignored)\n"
    "      --cgroup [CTRL:]PATH   run the process in this existing sub-cgroup of\n"
    "                             the container's (repeatable; CTRL: a comma-\n"
    "                             separated list of v1 controllers)\n"
    "      --ignore-paused        allow exec in a paused container\n"
    "  -h, --help                 show this help\n";


/* A repeatable flag's values, pointing into argv. */
struct list {
  char **v;
  size_t n;
};

static int list_add(struct list *l, char *value, husk_error **err) {
  char **nv = realloc(l->v, (l->n + 1) * sizeof(char *));
  if (nv == NULL)
    return husk_error_set(err, ENOMEM, "flags");
  nv[l->n++] = value;
  l->v = nv;
  return 0;
}

enum {
  OPT_CONSOLE = 0x100,
  OPT_CWD,
  OPT_PIDFILE,
  OPT_PIDFD_SOCKET,
  OPT_LABEL,
  OPT_APPARMOR,
  OPT_NNP,
  OPT_PRESERVE,
  OPT_CGROUP,
  OPT_IGNORE_PAUSED,
};

static const struct option opts[] = {
    {"console-socket", required_argument, NULL, OPT_CONSOLE},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"env", required_argument, NULL, 'e'},
    {"tty", no_argument, NULL, 't'},
    {"user", required_argument, NULL, 'u'},
    {"additional-gids", required_argument, NULL, 'g'},
    {"process", required_argument, NULL, 'p'},
    {"detach", no_argument, NULL, 'd'},
    {"pid-file", required_argument, NULL, OPT_PIDFILE},
    {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET},
    {"process-label", required_argument, NULL, OPT_LABEL},
    {"apparmor", required_argument, NULL, OPT_APPARMOR},
    {"no-new-privs", no_argument, NULL, OPT_NNP},
    {"cap", required_argument, NULL, 'c'},
    {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct lists {
  struct list env, gids, caps, cgroups;
};

/* One flag into `o`; 1 to go on, 0 for --help, -1 on error. */
static int one_flag(int c, char **argv, struct exec_opts *o, struct lists *l,
                    husk_error **err) {
  switch (c) {
  case OPT_CONSOLE: o->console_socket = optarg; break;
  case OPT_CWD: o->cwd = optarg; break;
  case 'e': return list_add(&l->env, optarg, err) < 0 ? -1 : 1;
  case 't': o->tty = true; break;
  case 'u': o->user = optarg; break;
  case 'g': return list_add(&l->gids, optarg, err) < 0 ? -1 : 1;
  case 'p': o->process_file = optarg; break;
  case 'd': o->detach = true; break;
  case OPT_PIDFILE: o->pid_file = optarg; break;
  case OPT_PIDFD_SOCKET: o->pidfd_socket = optarg; break;
  case OPT_LABEL: o->process_label = optarg; break;
  case OPT_APPARMOR: o->apparmor = optarg; break;
  case OPT_NNP: o->no_new_privs = true; break;
  case 'c': return list_add(&l->caps, optarg, err) < 0 ? -1 : 1;
  case OPT_PRESERVE:
    return cmd_parse_count("--preserve-fds", optarg, &o->preserve_fds, err) < 0
               ? -1
               : 1;
  case OPT_CGROUP: return list_add(&l->cgroups, optarg, err) < 0 ? -1 : 1;
  case OPT_IGNORE_PAUSED: o->ignore_paused = true; break;
  case 'h': return cmd_usage(usage);
  default: return cmd_flag_error(c, argv, err);
  }
  return 1;
}

/* As runc: the flags come before the id; the command and everything after
 * it are the process's, so `exec ID sh -c ...` never has its arguments
 * taken for ours. */
static int parse(int argc, char **argv, struct exec_opts *o, struct lists *l,
                 husk_error **err) {
  static const char *const names[] = {"<container-id>", "<command>"};
  int c, r;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:e:tu:g:p:dc:h", opts, NULL)) != -1)
    if ((r = one_flag(c, argv, o, l, err)) <= 0)
      return r;
  int nargs = argc - optind;
  if (cmd_check_args(nargs, argv + optind, o->process_file ? 1 : 2, -1, names,
                     err) < 0)
    return -1;
  o->id = argv[optind];
  o->args = argv + optind + 1;
  o->args_len = (size_t)(nargs - 1);
  return 1;
}

int cmd_exec(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  struct exec_opts o = {.root = g->root};
  struct lists l = {0};
  int status = 0;
  int r = parse(argc, argv, &o, &l, err);
  if (r == 1) {
    o.env = l.env.v;
    o.env_len = l.env.n;
    o.additional_gids = l.gids.v;
    o.additional_gids_len = l.gids.n;
    o.caps = l.caps.v;
    o.caps_len = l.caps.n;
    o.cgroups = l.cgroups.v;
    o.cgroups_len = l.cgroups.n;
    r = container_exec(&o, &status, err) < 0 ? -1 : status;
  }
  free(l.env.v);
  free(l.gids.v);
  free(l.caps.v);
  free(l.cgroups.v);
  return r;
}
