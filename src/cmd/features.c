/* husk features: print what this husk supports, as runtime-spec features.md
 * JSON.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config.h"

#include "cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cleanup.h"
#include "runtime-features.h"

static const char usage[] =
    "Usage: husk features\n"
    "\n"
    "Print the features this husk supports on this host, as the JSON document\n"
    "of the OCI runtime-spec (features.md).\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help\n";

static int print_features(husk_error **err) {
  struct oci_features *f = NULL;
  cleanup_free char *json = NULL;
  char *msg = NULL;
  size_t len = 0;

  if (husk_features_build(&f, err) < 0)
    return -1;
  int r = oci_features_generate(f, OCI_GEN_PRETTY, &json, &len, &msg);
  oci_features_free(f);
  if (r < 0)
    return husk_error_take(err, 0, msg);
  if (fwrite(json, 1, len, stdout) != len || fflush(stdout) != 0)
    return husk_error_set(err, errno, "write to stdout");
  return 0;
}

int cmd_features(struct husk_globals *g, int argc, char **argv,
                 husk_error **err) {
  static const struct option opts[] = {
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  int c;

  (void)g;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
    if (c == 'h')
      return cmd_usage(usage);
    return cmd_flag_error(c, argv, err);
  }
  if (cmd_check_args(argc - optind, argv + optind, 0, 0, NULL, err) < 0)
    return -1;
  return print_features(err);
}
