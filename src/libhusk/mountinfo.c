/* /proc/self/mountinfo, one entry at a time (proc_pid_mountinfo(5)).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "mountinfo.h"

#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The kernel escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s) {
  char *o = s;
  for (char *p = s; *p != '\0'; p++) {
    if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
        p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
      *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
      p += 3;
    } else {
      *o++ = *p;
    }
  }
  *o = '\0';
}

/* Split one line in place; false if it is not a mountinfo line. */
static bool parse_line(char *line, struct mountinfo *mi) {
  char *save = NULL;
  char *f[6];
  for (int i = 0; i < 6; i++) {
    f[i] = strtok_r(i == 0 ? line : NULL, " \n", &save);
    if (f[i] == NULL)
      return false;
  }
  /* Optional fields run up to a lone "-"; they are rejoined with spaces
   * (strtok_r put NULs between them). */
  char *opt_start = NULL, *opt_end = NULL;
  char *t;
  while ((t = strtok_r(NULL, " \n", &save)) != NULL && strcmp(t, "-") != 0) {
    if (opt_start == NULL)
      opt_start = t;
    opt_end = t + strlen(t);
  }
  if (t == NULL)
    return false;
  for (char *p = opt_start; opt_start != NULL && p < opt_end; p++)
    if (*p == '\0')
      *p = ' ';
  char *fstype = strtok_r(NULL, " \n", &save);
  char *source = strtok_r(NULL, " \n", &save);
  char *super = strtok_r(NULL, " \n", &save);
  if (fstype == NULL || source == NULL)
    return false;
  mi->id = atoi(f[0]);
  mi->parent_id = atoi(f[1]);
  unescape(f[3]);
  unescape(f[4]);
  unescape(source);
  mi->root = f[3];
  mi->mount_point = f[4];
  mi->options = f[5];
  mi->optional = opt_start ? opt_start : "";
  mi->fstype = fstype;
  mi->source = source;
  mi->super_options = super ? super : "";
  return true;
}

int mountinfo_each(int (*fn)(const struct mountinfo *mi, void *data,
                             husk_error **err),
                   void *data, husk_error **err) {
  /* stdio would size its buffer from st_blksize, 1 KiB on proc: one
   * fstat and a read per KiB of a file that is often tens of KiB. */
  char buf[8192];
  cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
  if (f == NULL)
    return husk_error_set(err, errno, "open /proc/self/mountinfo");
  setvbuf(f, buf, _IOFBF, sizeof(buf));
  cleanup_free char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    struct mountinfo mi;
    if (!parse_line(line, &mi))
      continue;
    int r = fn(&mi, data, err);
    if (r != 0)
      return r;
  }
  if (ferror(f))
    return husk_error_set(err, errno, "read /proc/self/mountinfo");
  return 0;
}

bool mountinfo_has_option(const char *list, const char *item) {
  size_t n = strlen(item);
  for (const char *p = list; p != NULL && *p != '\0';) {
    const char *end = strchrnul(p, ',');
    if ((size_t)(end - p) == n && strncmp(p, item, n) == 0)
      return true;
    p = *end ? end + 1 : end;
  }
  return false;
}

int mountinfo_mnt_id(int fd, uint64_t *id) {
  struct statx stx;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0)
    return -1;
  if (!(stx.stx_mask & STATX_MNT_ID)) {
    errno = ENOSYS;
    return -1;
  }
  *id = stx.stx_mnt_id;
  return 0;
}
