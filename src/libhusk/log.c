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

/* An entry is built in memory and written with one write(2).  A small
 * buffer of our own rather than open_memstream and stdio: a warning cost
 * some 30k instructions that way, more than parsing the config's caps. */
struct line {
  char *buf;
  size_t len, cap;
  bool failed;
  char inline_buf[512];
};

static void put(struct line *l, const char *s, size_t n) {
  if (l->failed)
    return;
  if (l->len + n > l->cap) {
    size_t cap = l->cap * 2 > l->len + n ? l->cap * 2 : l->len + n;
    char *b = malloc(cap);
    if (b == NULL) {
      l->failed = true;
      return;
    }
    memcpy(b, l->buf, l->len);
    if (l->buf != l->inline_buf)
      free(l->buf);
    l->buf = b;
    l->cap = cap;
  }
  memcpy(l->buf + l->len, s, n);
  l->len += n;
}

static void puts_line(struct line *l, const char *s) {
  put(l, s, strlen(s));
}

static void putc_line(struct line *l, char c) {
  put(l, &c, 1);
}

/* `prefix` then c in hex, `digits` wide. */
static void put_hex(struct line *l, const char *prefix, unsigned c, int digits) {
  static const char hex[] = "0123456789abcdef";
  puts_line(l, prefix);
  for (int i = digits - 1; i >= 0; i--)
    putc_line(l, hex[(c >> (4 * i)) & 0xf]);
}

/* A JSON string (RFC 8259); malformed UTF-8 becomes U+FFFD, as Go's encoder
 * does, so that every line parses. */
static void put_json_string(struct line *f, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  putc_line(f, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = utf8_len(s + i, n - i);
      if (len == 0) {
        puts_line(f, "\\ufffd");
        i++;
      } else {
        put(f, (const char *)s + i, len);
        i += len;
      }
      continue;
    }
    switch (c) {
    case '"': puts_line(f, "\\\""); break;
    case '\\': puts_line(f, "\\\\"); break;
    case '\b': puts_line(f, "\\b"); break;
    case '\f': puts_line(f, "\\f"); break;
    case '\n': puts_line(f, "\\n"); break;
    case '\r': puts_line(f, "\\r"); break;
    case '\t': puts_line(f, "\\t"); break;
    default:
      if (c < 0x20)
        put_hex(f, "\\u", c, 4);
      else
        putc_line(f, (char)c);
    }
    i++;
  }
  putc_line(f, '"');
}

/* Control characters as Go's %q writes them, so that an entry stays on one
 * line; `quote` also escapes the quote and backslash for logrus's
 * msg="..." form. */
static void put_text(struct line *f, const char *str, bool quote) {
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c >= 0x80) {
      size_t len = utf8_len(s + i, n - i);
      if (len == 0) {
        put_hex(f, "\\x", c, 2);
        i++;
      } else {
        put(f, (const char *)s + i, len);
        i += len;
      }
      continue;
    }
    switch (c) {
    case '\a': puts_line(f, "\\a"); break;
    case '\b': puts_line(f, "\\b"); break;
    case '\f': puts_line(f, "\\f"); break;
    case '\n': puts_line(f, "\\n"); break;
    case '\r': puts_line(f, "\\r"); break;
    case '\t': puts_line(f, "\\t"); break;
    case '\v': puts_line(f, "\\v"); break;
    case '"':
    case '\\':
      if (quote)
        putc_line(f, '\\');
      putc_line(f, (char)c);
      break;
    default:
      if (c < 0x20 || c == 0x7f)
        put_hex(f, "\\x", c, 2);
      else
        putc_line(f, (char)c);
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

static void format_entry(struct line *f, int level, const char *msg,
                         bool to_stderr) {
  if (to_stderr && state.format != HUSK_LOG_FORMAT_JSON) {
    puts_line(f, "husk: ");
    if (level != HUSK_LOG_ERROR) {
      puts_line(f, level_names[level]);
      puts_line(f, ": ");
    }
    put_text(f, msg, false);
    putc_line(f, '\n');
    return;
  }
  char now[32];
  format_time(now, sizeof(now));
  if (state.format == HUSK_LOG_FORMAT_JSON) {
    puts_line(f, "{\"level\":\"");
    puts_line(f, level_names[level]);
    puts_line(f, "\",\"msg\":");
    put_json_string(f, msg);
    puts_line(f, ",\"time\":\"");
    puts_line(f, now);
    puts_line(f, "\"}\n");
  } else {
    puts_line(f, "time=\"");
    puts_line(f, now);
    puts_line(f, "\" level=");
    puts_line(f, level_names[level]);
    puts_line(f, " msg=\"");
    put_text(f, msg, true);
    puts_line(f, "\"\n");
  }
}

/* Build the whole line first: one write(2) per entry. */
static void emit(int fd, int level, const char *msg, bool plain) {
  struct line l;
  l.buf = l.inline_buf;
  l.len = 0;
  l.cap = sizeof(l.inline_buf);
  l.failed = false;
  if (plain) {
    puts_line(&l, "husk: ");
    put_text(&l, msg, false);
    putc_line(&l, '\n');
  } else {
    format_entry(&l, level, msg, fd == STDERR_FILENO);
  }
  if (!l.failed)
    write_all(fd, l.buf, l.len);
  if (l.buf != l.inline_buf)
    free(l.buf);
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

void husk_log_phase(const char *phase) {
  static struct timespec last;
  if (!state.debug)
    return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  if (last.tv_sec == 0 && last.tv_nsec == 0) {
    /* The first phase counts from the process's start. */
    clockid_t cpu;
    struct timespec ran;
    if (clock_getcpuclockid(0, &cpu) == 0 && clock_gettime(cpu, &ran) == 0)
      husk_log(HUSK_LOG_DEBUG, "%s: done (%.3f ms of CPU since exec)", phase,
               (double)ran.tv_sec * 1e3 + (double)ran.tv_nsec / 1e6);
  } else {
    husk_log(HUSK_LOG_DEBUG, "%s: done in %.3f ms", phase,
             (double)(now.tv_sec - last.tv_sec) * 1e3 +
                 (double)(now.tv_nsec - last.tv_nsec) / 1e6);
  }
  last = now;
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
