/* Logging as runc does it: one line per entry, text or JSON, to the --log
 * file or to stderr.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"

static struct {
  int fd;      /* where entries go */
  bool own_fd; /* fd is our --log file, to be closed */
  int format;  /* enum husk_log_format */
  bool debug;
} state = {STDERR_FILENO, false, HUSK_LOG_FORMAT_TEXT, false};

/* logrus's names, which the shim matches on. */
static const char *const level_names[] = {
    [HUSK_LOG_ERROR] = "error",
    [HUSK_LOG_WARNING] = "warning",
    [HUSK_LOG_INFO] = "info",
    [HUSK_LOG_DEBUG] = "debug",
};

int husk_log_parse_format(const char *name, int *format, husk_error **err) {
  if (strcmp(name, "text") == 0)
    *format = HUSK_LOG_FORMAT_TEXT;
  else if (strcmp(name, "json") == 0)
    *format = HUSK_LOG_FORMAT_JSON;
  else
    return husk_error_set(err, 0, "invalid log format \"%s\": expected text or json",
                          name);
  return 0;
}

/* A --log that names our own stderr (runc documents /dev/stderr as its
 * default) must not make husk_log_error() print every error twice. */
static bool is_stderr(int fd) {
  struct stat a, b;
  if (fstat(fd, &a) < 0 || fstat(STDERR_FILENO, &b) < 0)
    return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void husk_log_close(void) {
  if (state.own_fd)
    close(state.fd);
  state.fd = STDERR_FILENO;
  state.own_fd = false;
}

int husk_log_init(const char *path, int format, bool debug, husk_error **err) {
  int fd = STDERR_FILENO;
  if (path != NULL) {
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0)
      return husk_error_set(err, errno, "open log file %s", path);
  }
  husk_log_close();
  if (fd != STDERR_FILENO && is_stderr(fd)) {
    close(fd);
    fd = STDERR_FILENO;
  }
  state.fd = fd;
  state.own_fd = fd != STDERR_FILENO;
  state.format = format;
  state.debug = debug;
  return 0;
}

bool husk_log_enabled(int level) {
  if (level < HUSK_LOG_ERROR || level > HUSK_LOG_DEBUG)
    return false;
  return level != HUSK_LOG_DEBUG || state.debug;
}

int husk_log_fd(void) {
  return state.fd;
}

/* --- escaping ------------------------------------------------------------ */

/* Length of the well-formed UTF-8 sequence at s (1 to 4), 0 if malformed
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0)
      lo = 0xa0;
    else if (c == 0xed)
      hi = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0)
      lo = 0x90;
    else if (c == 0xf4)
      hi = 0x8f;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return len;
}

/* A JSON string (RFC 8259); malformed UTF-8 becomes U+FFFD, as Go's encoder
 * does, so that every line parses. */
static void put_json_string(FILE *f, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  fputc('"', f);
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = utf8_len(s + i, n - i);
      if (len == 0) {
        fputs("\\ufffd", f);
        i++;
      } else {
        fwrite(s + i, 1, len, f);
        i += len;
      }
      continue;
    }
    switch (c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\b': fputs("\\b", f); break;
    case '\f': fputs("\\f", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (c < 0x20)
        fprintf(f, "\\u%04x", c);
      else
        fputc(c, f);
    }
    i++;
  }
  fputc('"', f);
}

/* Control characters as Go's %q writes them, so that an entry stays on one
 * line; `quote` also escapes the quote and backslash for logrus's
 * msg="..." form. */
static void put_text(FILE *f, const char *str, bool quote) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = utf8_len(s + i, n - i);
      if (len == 0) {
        fprintf(f, "\\x%02x", c);
        i++;
      } else {
        fwrite(s + i, 1, len, f);
        i += len;
      }
      continue;
    }
    switch (c) {
    case '\a': fputs("\\a", f); break;
    case '\b': fputs("\\b", f); break;
    case '\f': fputs("\\f", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    case '\v': fputs("\\v", f); break;
    case '"':
    case '\\':
      if (quote)
        fputc('\\', f);
      fputc(c, f);
      break;
    default:
      if (c < 0x20 || c == 0x7f)
        fprintf(f, "\\x%02x", c);
      else
        fputc(c, f);
    }
    i++;
  }
}

/* --- writing ------------------------------------------------------------- */

/* RFC 3339 in UTC, at the second, as logrus writes it. */
static void format_time(char *buf, size_t size) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t r = write(fd, buf, len);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return; /* nowhere left to report it */
    buf += r;
    len -= (size_t)r;
  }
}

static void format_entry(FILE *f, int level, const char *msg, bool to_stderr) {
  char now[32];
  format_time(now, sizeof(now));
  if (state.format == HUSK_LOG_FORMAT_JSON) {
    fprintf(f, "{\"level\":\"%s\",\"msg\":", level_names[level]);
    put_json_string(f, msg);
    fprintf(f, ",\"time\":\"%s\"}\n", now);
  } else if (to_stderr) {
    fputs("husk: ", f);
    if (level != HUSK_LOG_ERROR)
      fprintf(f, "%s: ", level_names[level]);
    put_text(f, msg, false);
    fputc('\n', f);
  } else {
    fprintf(f, "time=\"%s\" level=%s msg=\"", now, level_names[level]);
    put_text(f, msg, true);
    fputs("\"\n", f);
  }
}

/* Build the whole line first: one write(2) per entry. */
static void emit(int fd, int level, const char *msg, bool plain) {
  cleanup_free char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f == NULL)
    return;
  if (plain) {
    fputs("husk: ", f);
    put_text(f, msg, false);
    fputc('\n', f);
  } else {
    format_entry(f, level, msg, fd == STDERR_FILENO);
  }
  if (fclose(f) == 0)
    write_all(fd, buf, len);
}

void husk_logv(int level, const char *fmt, va_list ap) {
  if (!husk_log_enabled(level))
    return;
  int saved = errno;
  cleanup_free char *msg = NULL;
  if (vasprintf(&msg, fmt, ap) >= 0)
    emit(state.fd, level, msg, false);
  errno = saved;
}

void husk_log(int level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  husk_logv(level, fmt, ap);
  va_end(ap);
}

void husk_log_error(const husk_error *err) {
  int saved = errno;
  const char *msg = err && err->msg ? err->msg : "unknown error";
  emit(state.fd, HUSK_LOG_ERROR, msg, false);
  if (state.fd != STDERR_FILENO)
    emit(STDERR_FILENO, HUSK_LOG_ERROR, msg, true);
  errno = saved;
}
