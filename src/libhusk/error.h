/* husk_error: an errno and a message, with context added by each caller.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Functions return int (>= 0 success, < 0 failure) and, on failure, fill
 * *err.  A caller that can say more prefixes its own context:
 *
 *   if (mount_one(m, &err) < 0)
 *     return husk_error_prefix(err, "mount %s", m->destination);
 *
 * and the CLI prints the whole chain on one line: "mount /proc: No such
 * device".  No exit() below src/husk.c but in the container's init.
 */
#ifndef HUSK_ERROR_H
#define HUSK_ERROR_H

#include <stdarg.h>
#include <stddef.h>

typedef struct husk_error {
  int errno_; /* 0 when the failure is not a system error */
  char *msg;
} husk_error;

/* Set *err (when err != NULL and *err is not already set) and return -1.
 * With errno_ != 0 the message ends with ": strerror(errno_)". */
int husk_error_set(husk_error **err, int errno_, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int husk_error_setv(husk_error **err, int errno_, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Prefix the message of *err with "CONTEXT: " and return -1. */
int husk_error_prefix(husk_error **err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Take ownership of a malloc'ed message (from libocispec) and return -1. */
int husk_error_take(husk_error **err, int errno_, char *msg);

void husk_error_free(husk_error *err);
static inline void husk_error_freep(husk_error **err) {
  husk_error_free(*err);
  *err = NULL;
}
#define cleanup_error __attribute__((cleanup(husk_error_freep)))

#endif
