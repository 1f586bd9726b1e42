/* strjoin() and fmt_i64(): what snprintf would give, including when cut.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tap.h"

#include "strjoin.h"

#include <inttypes.h>

static void join_like_snprintf(size_t size, const char *a, const char *b,
                               const char *c) {
  char got[64], want[64];
  size_t n = strjoin(got, size, a, b, c, NULL);
  int m = snprintf(want, size, "%s%s%s", a, b, c);
  tap_ok(n == (size_t)m && strcmp(got, want) == 0,
         "strjoin(%zu, \"%s\", \"%s\", \"%s\") = \"%s\" (%zu), as snprintf: "
         "\"%s\" (%d)",
         size, a, b, c, got, n, want, m);
}

static void digits_like_snprintf(int64_t v) {
  char got[21], want[32];
  snprintf(want, sizeof(want), "%" PRId64, v);
  tap_ok(strcmp(fmt_i64(got, v), want) == 0, "fmt_i64(%s) = \"%s\"", want,
         got);
}

int main(void) {
  tap_plan(12);
  join_like_snprintf(64, "/sys/fs/cgroup/", "memory", "/a/b");
  join_like_snprintf(64, "", "", "");
  join_like_snprintf(1, "abc", "def", "");
  join_like_snprintf(4, "ab", "cd", "ef");
  join_like_snprintf(5, "ab", "cd", "ef");
  join_like_snprintf(7, "ab", "cd", "ef");
  digits_like_snprintf(0);
  digits_like_snprintf(7);
  digits_like_snprintf(-1);
  digits_like_snprintf(1234567890123);
  digits_like_snprintf(INT64_MAX);
  digits_like_snprintf(INT64_MIN);
  return tap_exit();
}
