/* husk list: list the containers under the root directory.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later

 */
#include "config.h"

#include "cmd.h"

#include "container.h"
#include "passwd.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "Usage: husk list [OPTIONS]\n"
    "\n"
    "List the containers whose state is under the --root directory.\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT  table or json (default: table)\n"
    "  -q, --quiet          print the container ids only\n"
    "  -h, --help           show this help\n";

static const char *owner_name(const char *root, const char *id, char *buf,
                              size_t size) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof(path), "%s/%s", root, id);
  if (stat(path, &st) < 0)
    return "";
  if (passwd_user_name(NULL, st.st_uid, buf, size))
    return buf;
  snprintf(buf, size, "#%u", (unsigned)st.st_uid);
  return buf;
}

static int pid_of(const struct oci_state *s) {
  return strcmp(s->status, "stopped") == 0 || !s->pid_present ? 0 : s->pid;
}

/* runc's tabwriter: columns at least 12 wide, 3 spaces apart. */
static void print_table(const char *root, struct oci_state **s, size_t n) {
  int w[5] = {2, 3, 6, 6, 7};
  char pid[16], own[256];
  for (size_t i = 0; i < n; i++) {
    int l[5] = {(int)strlen(s[i]->id), snprintf(pid, sizeof(pid), "%d", pid_of(s[i])),
                (int)strlen(s[i]->status), (int)strlen(s[i]->bundle),
                (int)strlen(s[i]->created ? s[i]->created : "")};
    for (int k = 0; k < 5; k++)
      if (l[k] > w[k])
        w[k] = l[k];
  }
  for (int k = 0; k < 5; k++)
    w[k] = w[k] + 3 < 12 ? 12 : w[k] + 3;
  printf("%-*s%-*s%-*s%-*s%-*s%s\n", w[0], "ID", w[1], "PID", w[2], "STATUS",
         w[3], "BUNDLE", w[4], "CREATED", "OWNER");
  for (size_t i = 0; i < n; i++)
    printf("%-*s%-*d%-*s%-*s%-*s%s\n", w[0], s[i]->id, w[1], pid_of(s[i]), w[2],
           s[i]->status, w[3], s[i]->bundle, w[4],
           s[i]->created ? s[i]->created : "",
           owner_name(root, s[i]->id, own, sizeof(own)));
}

static int print_json(struct oci_state **s, size_t n, husk_error **err) {
  fputc('[', stdout);
  for (size_t i = 0; i < n; i++) {
    char *json = NULL, *msg = NULL;
    if (strcmp(s[i]->status, "stopped") == 0)
      s[i]->pid = 0;
    if (oci_state_generate(s[i], 0, &json, NULL, &msg) < 0)
      return husk_error_take(err, 0, msg);
    printf("%s%s", i ? "," : "", json);
    free(json);
  }
  fputs("]\n", stdout);
  return 0;
}

int cmd_list(struct husk_globals *g, int argc, char **argv, husk_error **err) {
  static const struct option opts[] = {
      {"format", required_argument, NULL, 'f'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  const char *format = "table";
  bool quiet = false;
  int c;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:f:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'f':
      format = optarg;
      break;
    case 'q':
      quiet = true;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  if (cmd_check_args(argc - optind, argv + optind, 0, 0, NULL, err) < 0)
    return -1;
  if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
    return husk_error_set(err, 0, "--format: invalid value \"%s\" (table or json)",
                          format);
  struct oci_state **states;
  size_t n;
  if (container_list(g->root, &states, &n, err) < 0)
    return -1;
  int r = 0;
  if (quiet)
    for (size_t i = 0; i < n; i++)
      puts(states[i]->id);
  else if (strcmp(format, "json") == 0)
    r = print_json(states, n, err);
  else
    print_table(g->root, states, n);
  container_list_free(states, n);
  return r;
}
