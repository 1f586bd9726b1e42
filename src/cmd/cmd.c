/* Helpers shared by the subcommands: flag errors, argument counts, usage.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cmd.h"

#include "container.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cmd_getopt_reset(void) {
  /* 0, not 1: glibc then also forgets the position inside a cluster of
   * short flags left over from the previous argv. */
  optind = 0;
  opterr = 0;
}

int cmd_flag_error(int c, char **argv, husk_error **err) {
  /* glibc has already stepped past the offending word, unless it is inside
   * a cluster of short flags ("-dz"); optopt is 0 only for an unknown long
   * flag, and holds the flag's value when a long flag's value is wrong. */
  const char *word = optind > 0 ? argv[optind - 1] : "";
  bool is_long = strncmp(word, "--", 2) == 0 &&
                 (optopt == 0 || c == ':' || strchr(word, '=') != NULL);

  if (!is_long) {
    if (c == ':')
      return husk_error_set(err, 0, "flag -%c needs a value", optopt);
    return husk_error_set(err, 0, "unknown flag -%c", optopt);
  }
  int namelen = (int)strcspn(word, "=");
  if (c == ':')
    return husk_error_set(err, 0, "flag %.*s needs a value", namelen, word);
  if (optopt != 0)
    return husk_error_set(err, 0, "flag %.*s takes no value", namelen, word);
  return husk_error_set(err, 0, "unknown flag %.*s", namelen, word);
}

int cmd_check_args(int nargs, char *const *args, int min, int max,
                   const char *const *names, husk_error **err) {
  if (nargs < min)
    return husk_error_set(err, 0, "missing %s",
                          names ? names[nargs] : "argument");
  if (max >= 0 && nargs > max)
    return husk_error_set(err, 0, "unexpected argument \"%s\"", args[max]);
  return 0;
}

int cmd_usage(const char *usage) {
  fputs(usage, stdout);
  return 0;
}

int cmd_not_implemented(const char *usage, int argc, char **argv,
                        husk_error **err) {
  /* Only the flags before the first argument: `exec ID sh -h` is sh's. */
  for (int i = 1; i < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "--") == 0)
      break;
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
      return cmd_usage(usage);
  }
  return husk_error_set(err, 0, "not implemented yet");
}

int cmd_parse_no_flags(int argc, char **argv, const char *usage,
                       husk_error **err) {
  static const struct option opts[] = {
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  int c;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
    if (c == 'h')
      return cmd_usage(usage);
    return cmd_flag_error(c, argv, err);
  }
  return 1;
}

int cmd_parse_count(const char *flag, const char *v, int *out,
                    husk_error **err) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || *v == '\0' || *end || n < 0 || n > 65536)
    return husk_error_set(err, 0, "%s: invalid value \"%s\"", flag, v);
  *out = (int)n;
  return 0;
}

int cmd_parse_container_opts(int argc, char **argv, bool run,
                             struct container_opts *o, const char *usage,
                             husk_error **err) {
  enum {
    OPT_CONSOLE = 0x100,
    OPT_PIDFILE,
    OPT_NOPIVOT,
    OPT_NOKEYRING,
    OPT_PRESERVE,
    OPT_KEEP,
    OPT_NOSUBREAPER,
    OPT_PIDFD_SOCKET,
  };
  static const struct option create_opts[] = {
      {"bundle", required_argument, NULL, 'b'},
      {"console-socket", required_argument, NULL, OPT_CONSOLE},
      {"pid-file", required_argument, NULL, OPT_PIDFILE},
      {"no-pivot", no_argument, NULL, OPT_NOPIVOT},
      {"no-new-keyring", no_argument, NULL, OPT_NOKEYRING},
      {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
      {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const struct option run_opts[] = {
      {"bundle", required_argument, NULL, 'b'},
      {"console-socket", required_argument, NULL, OPT_CONSOLE},
      {"pid-file", required_argument, NULL, OPT_PIDFILE},
      {"no-pivot", no_argument, NULL, OPT_NOPIVOT},
      {"no-new-keyring", no_argument, NULL, OPT_NOKEYRING},
      {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
      {"pidfd-socket", required_argument, NULL, OPT_PIDFD_SOCKET},
      {"detach", no_argument, NULL, 'd'},
      {"keep", no_argument, NULL, OPT_KEEP},
      {"no-subreaper", no_argument, NULL, OPT_NOSUBREAPER},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const char *const names[] = {"<container-id>"};
  int c;
  cmd_getopt_reset();
  /* runc takes these flags after the id too: permute. */
  while ((c = getopt_long(argc, argv, run ? ":b:dh" : ":b:h",
                          run ? run_opts : create_opts, NULL)) != -1) {
    switch (c) {
    case 'b':
      o->bundle = optarg;
      break;
    case OPT_CONSOLE:
      o->console_socket = optarg;
      break;
    case OPT_PIDFILE:
      o->pid_file = optarg;
      break;
    case OPT_PIDFD_SOCKET:
      o->pidfd_socket = optarg;
      break;
    case OPT_NOPIVOT:
      o->no_pivot = true;
      break;
    case OPT_NOKEYRING:
      o->no_new_keyring = true;
      break;
    case OPT_PRESERVE:
      if (cmd_parse_count("--preserve-fds", optarg, &o->preserve_fds, err) < 0)
        return -1;
      break;
    case 'd':
      o->detach = true;
      break;
    case OPT_KEEP:
      o->keep = true;
      break;
    case OPT_NOSUBREAPER: /* accepted as runc does; husk reaps regardless */
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    return -1;
  o->id = argv[optind];
  return 1;
}

bool cmd_rootless(const struct husk_globals *g) {
  return g->rootless == HUSK_ROOTLESS_TRUE ||
         (g->rootless == HUSK_ROOTLESS_AUTO && geteuid() != 0);
}
