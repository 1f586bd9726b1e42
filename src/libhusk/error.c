/* husk_error: an errno and a message, with context added by each caller.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allocation failure while reporting an error leaves a static message
 * rather than losing the error. */
static char oom_msg[] = "out of memory";

static void set_msg(husk_error *e, char *msg) {
  if (e->msg != oom_msg)
    free(e->msg);
  e->msg = msg ? msg : oom_msg;
}

int husk_error_setv(husk_error **err, int errno_, const char *fmt, va_list ap) {
  if (err == NULL || *err != NULL)
    return -1;
  husk_error *e = calloc(1, sizeof(*e));
  if (e == NULL)
    return -1;
  char *base = NULL, *msg = NULL;
  if (vasprintf(&base, fmt, ap) < 0)
    base = NULL;
  if (base && errno_ != 0) {
    if (asprintf(&msg, "%s: %s", base, strerror(errno_)) < 0)
      msg = NULL;
    free(base);
  } else {
    msg = base;
  }
  e->errno_ = errno_;
  set_msg(e, msg);
  *err = e;
  return -1;
}

int husk_error_set(husk_error **err, int errno_, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  husk_error_setv(err, errno_, fmt, ap);
  va_end(ap);
  return -1;
}

int husk_error_take(husk_error **err, int errno_, char *msg) {
  if (err == NULL || *err != NULL) {
    free(msg);
    return -1;
  }
  husk_error *e = calloc(1, sizeof(*e));
  if (e == NULL) {
    free(msg);
    return -1;
  }
  e->errno_ = errno_;
  set_msg(e, msg);
  *err = e;
  return -1;
}

int husk_error_prefix(husk_error **err, const char *fmt, ...) {
  if (err == NULL || *err == NULL)
    return -1;
  char *ctx = NULL, *msg = NULL;
  va_list ap;
  va_start(ap, fmt);
  if (vasprintf(&ctx, fmt, ap) < 0)
    ctx = NULL;
  va_end(ap);
  if (ctx == NULL)
    return -1;
  if (asprintf(&msg, "%s: %s", ctx, (*err)->msg) >= 0)
    set_msg(*err, msg);
  free(ctx);
  return -1;
}

void husk_error_free(husk_error *err) {
  if (err == NULL)
    return;
  set_msg(err, NULL);
  free(err);
}
