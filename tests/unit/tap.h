/* tap.h: a tiny header-only producer of TAP (Test Anything Protocol) output,
 * for the C unit tests that automake's tap-driver.sh runs.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each test program includes this once.  Usage:
 *
 *   tap_plan(n);                  (or tap_no_plan() and tap_done_testing())
 *   tap_ok(cond, "what %s", x);   one test line, numbered automatically
 *   tap_diag("detail %d", y);     a "# " line; the driver shows it in the log
 *   tap_todo(cond, "why", "what"); a known bug: XFAIL until it is fixed
 *   return tap_exit();            0 only if every planned test passed
 *
 * The plan is printed first when known, so that a crash part way shows up
 * as "missing tests" rather than as a shorter, passing run.
 */
#ifndef HUSK_TAP_H
#define HUSK_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned tap_run_;    /* tests reported so far */
static unsigned tap_failed_; /* of those, how many failed */
static unsigned tap_planned_; /* 0: no plan yet */

static inline void tap_plan(unsigned n) {
  tap_planned_ = n;
  printf("1..%u\n", n);
  fflush(stdout);
}

/* For programs whose number of tests depends on data: print the plan at
 * the end with tap_done_testing(). */
static inline void tap_no_plan(void) { tap_planned_ = 0; }

/* Print each line of a message prefixed with "# ", so that a multi-line
 * message (a JSON diff) cannot be mistaken for a test line. */
static inline __attribute__((format(printf, 1, 0))) void
tap_vdiag_(const char *fmt, va_list ap) {
  char buf[8192];
  vsnprintf(buf, sizeof(buf), fmt, ap);
  const char *line = buf;
  for (;;) {
    const char *nl = strchr(line, '\n');
    int len = nl ? (int)(nl - line) : (int)strlen(line);
    printf("# %.*s\n", len, line);
    if (nl == NULL || nl[1] == '\0')
      break;
    line = nl + 1;
  }
  fflush(stdout);
}

static inline __attribute__((format(printf, 1, 2))) void
tap_diag(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tap_vdiag_(fmt, ap);
  va_end(ap);
}

/* Report one test; returns cond so that callers can add diagnostics only
 * on failure: if (!tap_ok(...)) tap_diag(...). */
static inline __attribute__((format(printf, 2, 3))) bool
tap_ok(bool cond, const char *fmt, ...) {
  char desc[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(desc, sizeof(desc), fmt, ap);
  va_end(ap);
  /* '#' starts a directive in TAP; a description must not contain one. */
  for (char *c = desc; *c; c++)
    if (*c == '#' || *c == '\n')
      *c = ' ';
  tap_run_++;
  if (!cond)
    tap_failed_++;
  printf("%sok %u - %s\n", cond ? "" : "not ", tap_run_, desc);
  fflush(stdout);
  return cond;
}

/* A test of behaviour that is known not to work yet: reported with a TAP
 * TODO directive, so the driver counts a failure as XFAIL (not a failed
 * run) and a pass as XPASS (which does fail the run: the fix has landed,
 * and the test should become a plain tap_ok). */
static inline __attribute__((format(printf, 3, 4))) bool
tap_todo(bool cond, const char *why, const char *fmt, ...) {
  char desc[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(desc, sizeof(desc), fmt, ap);
  va_end(ap);
  for (char *c = desc; *c; c++)
    if (*c == '#' || *c == '\n')
      *c = ' ';
  tap_run_++;
  printf("%sok %u - %s # TODO %s\n", cond ? "" : "not ", tap_run_, desc, why);
  fflush(stdout);
  return cond;
}

/* Give up on the whole program (a fixture is missing): the driver reports
 * the run as an error rather than as passing. */
static inline __attribute__((format(printf, 1, 2), noreturn)) void
tap_bail_out(const char *fmt, ...) {
  char why[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof(why), fmt, ap);
  va_end(ap);
  printf("Bail out! %s\n", why);
  fflush(stdout);
  exit(1);
}

static inline void tap_done_testing(void) {
  tap_planned_ = tap_run_;
  printf("1..%u\n", tap_run_);
  fflush(stdout);
}

/* Exit status for main(): failures, or a run that did not match its plan. */
static inline int tap_exit(void) {
  if (tap_planned_ != tap_run_) {
    tap_diag("planned %u tests but ran %u", tap_planned_, tap_run_);
    return 1;
  }
  if (tap_failed_) {
    tap_diag("failed %u of %u tests", tap_failed_, tap_run_);
    return 1;
  }
  return 0;
}

#endif
