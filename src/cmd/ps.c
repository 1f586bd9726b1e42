/* husk ps: list the processes running inside a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * As runc: flags come before the id, and everything after the id is
 * ps(1)'s (`husk ps ID -o pid,comm`); a "--" right after the id is
 * dropped, so `husk ps ID -- -o pid` works as well.
 */
#include "config.h"

#include "cmd.h"

#include "container-ops.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: husk ps [OPTIONS] <container-id> [PS-OPTIONS...]\n"
    "\n"
    "List the processes of a container, with ps(1) and PS-OPTIONS (default: -ef)\n"
    "for the table format.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  table or json (default: table); json prints the pids\n"
    "  -h, --help           show this help\n";

/* runc's JSON: an array of pids, or null when there are none. */
static int print_json(const pid_t *pids, size_t n) {
  if (n == 0)
    return puts("null") < 0 ? -1 : 0;
  putchar('[');
  for (size_t i = 0; i < n; i++)
    printf("%s%d", i ? "," : "", (int)pids[i]);
  putchar(']');
  putchar('\n');
  return fflush(stdout) == 0 ? 0 : -1;
}

int cmd_ps(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  static const struct option opts[] = {
      {"format", required_argument, NULL, 'f'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const char *const names[] = {"<container-id>"};
  const char *format = "table";
  int c;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:f:h", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      format = optarg;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  bool json = strcmp(format, "json") == 0;
  if (!json && strcmp(format, "table") != 0)
    return husk_error_set(err, 0, "--format: invalid value \"%s\" (table or json)",
                          format);
  if (cmd_check_args(argc - optind, argv + optind, 1, -1, names, err) < 0)
    return -1;
  const char *id = argv[optind];
  char **ps_args = argv + optind + 1;
  if (*ps_args && strcmp(*ps_args, "--") == 0)
    ps_args++;

  pid_t *pids = NULL;
  size_t n = 0;
  if (container_ps(g->root, id, &pids, &n, err) < 0)
    return -1;
  int ret = 0;
  if (json) {
    if (print_json(pids, n) < 0)
      ret = husk_error_set(err, 0, "write to stdout failed");
  } else if (ps_table(pids, n, ps_args, stdout, err) < 0) {
    ret = -1;
  }
  free(pids);
  return ret;
}
