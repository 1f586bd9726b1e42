/* Helpers shared by the subcommands: flag errors, argument counts, usage.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

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
