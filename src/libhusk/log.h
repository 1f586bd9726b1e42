/* Logging as runc does it: one line per entry, text or JSON, to the --log
 * file or to stderr.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * containerd's shim and conmon pass `--log FILE --log-format json` and read
 * the last "error" entry back to tell the user why a container failed, so the
 * JSON shape is runc's exactly:
 *
 *   {"level":"error","msg":"...","time":"2026-11-22T16:04:47Z"}
 *
 * The text shape in a file is logrus's (`time="..." level=error msg="..."`).
 * Without --log, text entries go to stderr as `husk: MESSAGE` (warnings and
 * debug lines say their level), JSON entries go to stderr as they are.
 *
 * Every entry is written with one write(2) on an O_APPEND descriptor, so that
 * lines from several husk processes sharing one log file do not interleave.
 * Logging never changes errno.
 */
#ifndef HUSK_LOG_H
#define HUSK_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h> /* error.h uses NULL */

#include "error.h"

enum husk_log_level {
  HUSK_LOG_ERROR = 0,
  HUSK_LOG_WARNING,
  HUSK_LOG_INFO,
  HUSK_LOG_DEBUG,
};

enum husk_log_format {
  HUSK_LOG_FORMAT_TEXT = 0,
  HUSK_LOG_FORMAT_JSON,
};

/* "text" or "json" -> enum husk_log_format. */
int husk_log_parse_format(const char *name, int *format, husk_error **err);

/* Direct the log: `path` NULL means stderr, otherwise the file is opened for
 * appending (created 0644 if missing).  Debug entries are written only when
 * `debug`.  Before this is called, entries go to stderr as text without
 * debug.  Calling it again replaces the previous destination. */
int husk_log_init(const char *path, int format, bool debug, husk_error **err);

/* Close the log file, if any; later entries go to stderr. */
void husk_log_close(void);

/* Whether an entry of `level` would be written (to skip costly messages). */
bool husk_log_enabled(int level);

/* The descriptor entries are written to (2 for stderr), for code that hands
 * it to a child so that the child logs to the same place. */
int husk_log_fd(void);

void husk_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void husk_logv(int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* With --debug, "PHASE: done in N.NNN ms" since the previous phase (or
 * the process's start): where a command spends its time.  Otherwise a
 * test of one flag. */
void husk_log_phase(const char *phase);

#define husk_debug(...) husk_log(HUSK_LOG_DEBUG, __VA_ARGS__)
#define husk_info(...) husk_log(HUSK_LOG_INFO, __VA_ARGS__)
#define husk_warn(...) husk_log(HUSK_LOG_WARNING, __VA_ARGS__)

/* Report a failure the way the CLI does: an "error" entry in the log, and,
 * when the log is a file, also `husk: MESSAGE` on stderr so that a person at
 * a terminal sees it too (runc does the same). */
void husk_log_error(const husk_error *err);

#endif
