/* Short strings built by concatenation.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "strjoin.h"

#include <stdarg.h>
#include <string.h>

size_t strjoin(char *buf, size_t size, ...) {
  va_list ap;
  size_t len = 0;
  va_start(ap, size);
  for (const char *s; (s = va_arg(ap, const char *)) != NULL;) {
    size_t n = strlen(s);
    if (len < size - 1)
      memcpy(buf + len, s, n < size - 1 - len ? n : size - 1 - len);
    len += n;
  }
  va_end(ap);
  buf[len < size ? len : size - 1] = '\0';
  return len;
}

char *fmt_i64(char buf[21], int64_t v) {
  char tmp[21], *e = tmp + sizeof(tmp);
  /* Unsigned, so that INT64_MIN negates without overflow. */
  uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
  *--e = '\0';
  do
    *--e = (char)('0' + u % 10);
  while ((u /= 10) > 0);
  if (v < 0)
    *--e = '-';
  memcpy(buf, e, (size_t)(tmp + sizeof(tmp) - e));
  return buf;
}
