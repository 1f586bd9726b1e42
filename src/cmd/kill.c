/* husk kill: send a signal to a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"

#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
    "Usage: husk kill [OPTIONS] <container-id> [SIGNAL]\n"
    "\n"
    "Send SIGNAL (a name such as KILL or SIGKILL, or a number; default: SIGTERM)\n"
    "to the container's init process.\n"
    "\n"
    "Options:\n"
    "  -a, --all   send the signal to every process of the container\n"
    "  -h, --help  show this help\n";

/* "TERM", "SIGTERM", "15", "RTMIN+3": runc's forms. */
static int parse_signal(const char *s, int *sig, husk_error **err) {
  char *end;
  long n = strtol(s, &end, 10);
  if (*s && *end == '\0') {
    if (n <= 0 || n >= NSIG)
      return husk_error_set(err, 0, "invalid signal \"%s\"", s);
    *sig = (int)n;
    return 0;
  }
  const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
  for (int i = 1; i < SIGRTMIN; i++) {
    const char *abbrev = sigabbrev_np(i);
    if (abbrev && strcasecmp(abbrev, name) == 0) {
      *sig = i;
      return 0;
    }
  }
  if (strncasecmp(name, "RTMIN", 5) == 0 || strncasecmp(name, "RTMAX", 5) == 0) {
    long off = name[5] ? strtol(name + 5, &end, 10) : 0;
    int v = (toupper((unsigned char)name[3]) == 'I' ? SIGRTMIN : SIGRTMAX) + (int)off;
    if ((name[5] == '\0' || *end == '\0') && v >= SIGRTMIN && v <= SIGRTMAX) {
      *sig = v;
      return 0;
    }
  }
  return husk_error_set(err, 0, "invalid signal \"%s\"", s);
}

int cmd_kill(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  static const struct option opts[] = {
      {"all", no_argument, NULL, 'a'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const char *const names[] = {"<container-id>", "[signal]"};
  bool all = false;
  int c, sig = SIGTERM;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:ah", opts, NULL)) != -1) {
    switch (c) {
    case 'a':
      all = true;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  int nargs = argc - optind;
  if (cmd_check_args(nargs, argv + optind, 1, 2, names, err) < 0)
    return -1;
  if (nargs == 2 && parse_signal(argv[optind + 1], &sig, err) < 0)
    return -1;
  return container_kill(g->root, argv[optind], sig, all, err) < 0 ? -1 : 0;
}
