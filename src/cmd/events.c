/* husk events: print container events and statistics as JSON.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * --interval takes a duration as runc (Go) writes one: "5s", "500ms",
 * "1m30s", "1.5h"; units ns, us (or µs), ms, s, m, h.
 */
#include "config.h"

#include "cmd.h"

#include "container-ops.h"

#include <ctype.h>
#include <getopt.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "Usage: husk events [OPTIONS] <container-id>\n"
    "\n"
    "Print the container's events (OOM notifications, resource statistics) as JSON\n"
    "lines, until the container stops.\n"
    "\n"
    "Options:\n"
    "      --interval DURATION  statistics interval (default: 5s)\n"
    "      --stats              print the statistics once and exit\n"
    "  -h, --help               show this help\n";

static const struct {
  const char *name;
  uint64_t ns;
} units[] = {
    {"ns", 1},
    {"us", 1000},
    {"\xc2\xb5s", 1000}, /* U+00B5 MICRO SIGN */
    {"\xce\xbcs", 1000}, /* U+03BC GREEK SMALL LETTER MU */
    {"ms", 1000000},
    {"s", 1000000000ULL},
    {"m", 60000000000ULL},
    {"h", 3600000000000ULL},
};

/* One "<number><unit>" element of a duration; advances *s. */
static int duration_element(const char **s, uint64_t *ns) {
  const char *p = *s;
  uint64_t whole = 0, frac = 0, scale = 1;
  bool digits = false;
  for (; isdigit((unsigned char)*p); p++, digits = true) {
    if (whole > (UINT64_MAX - 9) / 10)
      return -1;
    whole = whole * 10 + (uint64_t)(*p - '0');
  }
  if (*p == '.') {
    for (p++; isdigit((unsigned char)*p); p++, digits = true) {
      if (scale < 1000000000000000000ULL) { /* finer digits do not matter */
        frac = frac * 10 + (uint64_t)(*p - '0');
        scale *= 10;
      }
    }
  }
  if (!digits)
    return -1;
  size_t ulen = 0;
  while (p[ulen] && !isdigit((unsigned char)p[ulen]) && p[ulen] != '.')
    ulen++;
  for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
    if (strlen(units[i].name) != ulen || strncmp(p, units[i].name, ulen) != 0)
      continue;
    uint64_t u = units[i].ns;
    if (whole > UINT64_MAX / u)
      return -1;
    /* frac * u may need more than 64 bits; the result, < u, does not. */
    uint64_t part = (uint64_t)((long double)frac * (long double)u /
                               (long double)scale);
    if (whole * u > UINT64_MAX - part)
      return -1;
    *ns = whole * u + part;
    *s = p + ulen;
    return 0;
  }
  return -1;
}

/* A Go duration, > 0; fails with the message runc gives. */
static int parse_duration(const char *v, uint64_t *ns, husk_error **err) {
  const char *s = v;
  bool negative = false;
  if (*s == '-' || *s == '+')
    negative = *s++ == '-';
  uint64_t total = 0;
  if (strcmp(s, "0") == 0) {
    total = 0;
  } else {
    if (*s == '\0')
      return husk_error_set(err, 0, "--interval: invalid duration \"%s\"", v);
    while (*s) {
      uint64_t part;
      if (duration_element(&s, &part) < 0 || total > UINT64_MAX - part)
        return husk_error_set(err, 0, "--interval: invalid duration \"%s\"",
                              v);
      total += part;
    }
  }
  if (negative || total == 0)
    return husk_error_set(err, 0, "--interval: must be greater than 0");
  *ns = total;
  return 0;
}

int cmd_events(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  enum { OPT_INTERVAL = 0x100, OPT_STATS };
  static const struct option opts[] = {
      {"interval", required_argument, NULL, OPT_INTERVAL},
      {"stats", no_argument, NULL, OPT_STATS},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  static const char *const names[] = {"<container-id>"};
  struct container_events_opts o = {.interval_ns = 5000000000ULL,
                                    .out_fd = STDOUT_FILENO};
  int c;
  cmd_getopt_reset();
  /* runc takes the flags after the id too: permute. */
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
    case OPT_INTERVAL:
      if (parse_duration(optarg, &o.interval_ns, err) < 0)
        return -1;
      break;
    case OPT_STATS:
      o.stats_only = true;
      break;
    case 'h':
      return cmd_usage(usage);
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    return -1;
  return container_events(g->root, argv[optind], &o, err) < 0 ? -1 : 0;
}
