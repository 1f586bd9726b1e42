/* The command line `ps` shows for husk's own processes.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "proctitle.h"

#include <string.h>

static char *area;
static size_t area_len;

void proctitle_init(int argc, char **argv) {
  if (argc <= 0 || argv[0] == NULL)
    return;
  /* The kernel lays the arguments out back to back: the area is from
   * argv[0] to the end of the last one. */
  char *end = argv[argc - 1] + strlen(argv[argc - 1]);
  area = argv[0];
  area_len = (size_t)(end - area);
}

void proctitle_set(const char *title) {
  if (area == NULL || area_len == 0)
    return;
  size_t n = strlen(title);
  if (n > area_len)
    n = area_len;
  memcpy(area, title, n);
  /* NULs after it: /proc/PID/cmdline then ends at the title. */
  memset(area + n, '\0', area_len - n);
}
