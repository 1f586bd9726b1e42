/* User names from /etc/passwd, without NSS.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "passwd.h"

#include "cleanup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "name:password:uid:gid:gecos:home:shell": the uid field of a line, or
 * -1 when the line is not an entry (comment, blank, malformed, or a NIS
 * "+"/"-" inclusion, which names no local user). */
static long long line_uid(char *line, char **name_end) {
  if (line[0] == '\0' || strchr("#\n+-", line[0]) != NULL)
    return -1;
  char *c1 = strchr(line, ':');
  char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  if (c1 == NULL || c1 == line || c2 == NULL)
    return -1;
  char *end;
  errno = 0;
  unsigned long long uid = strtoull(c2 + 1, &end, 10);
  if (errno || end == c2 + 1 || *end != ':' || uid > (uid_t)-1)
    return -1;
  *name_end = c1;
  return (long long)uid;
}

bool passwd_user_name(const char *file, uid_t uid, char *buf, size_t size) {
  cleanup_fclose FILE *f = fopen(file ? file : "/etc/passwd", "re");
  if (f == NULL)
    return false;
  cleanup_free char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char *name_end;
    if (line_uid(line, &name_end) != (long long)uid)
      continue;
    size_t len = (size_t)(name_end - line);
    if (len >= size)
      return false;
    memcpy(buf, line, len);
    buf[len] = '\0';
    return true;
  }
  return false;
}
