/* sd-bus, loaded at run time, and D-Bus values written as GVariant text.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * husk does not link libsystemd: only the systemd cgroup driver talks
 * D-Bus, and a plain container must not pay for loading it.  sdbus_load()
 * dlopen()s libsystemd.so.0 on first use and resolves the few sd_bus_*
 * functions the driver calls; <systemd/sd-bus.h> provides their types only
 * (no symbol of libsystemd is referenced at link time).
 *
 * The second half reads a value in GVariant's text form ("true",
 * "uint64 1234", "'string'", "[1, 2]"), the form in which runc takes the
 * `org.systemd.property.NAME` annotations, and appends it to a message as a
 * D-Bus variant.
 */
#ifndef HUSK_SDBUS_H
#define HUSK_SDBUS_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

/* Every function husk calls, as X(name). */
#define SDBUS_FUNCTIONS(X)                                                     \
  X(sd_bus_open_system)                                                        \
  X(sd_bus_open_user)                                                          \
  X(sd_bus_flush_close_unref)                                                  \
  X(sd_bus_call)                                                               \
  X(sd_bus_call_method)                                                        \
  X(sd_bus_process)                                                            \
  X(sd_bus_wait)                                                               \
  X(sd_bus_match_signal)                                                       \
  X(sd_bus_slot_unref)                                                         \
  X(sd_bus_get_property_string)                                                \
  X(sd_bus_message_new_method_call)                                            \
  X(sd_bus_message_unref)                                                      \
  X(sd_bus_message_append)                                                     \
  X(sd_bus_message_append_basic)                                               \
  X(sd_bus_message_append_array)                                               \
  X(sd_bus_message_open_container)                                             \
  X(sd_bus_message_close_container)                                            \
  X(sd_bus_message_read)                                                       \
  X(sd_bus_error_free)                                                         \
  X(sd_bus_error_has_name)

struct sdbus {
#define SDBUS_MEMBER(f) __typeof__(f) *f;
  SDBUS_FUNCTIONS(SDBUS_MEMBER)
#undef SDBUS_MEMBER
  /* The free() of libsystemd's libc, for what sd-bus allocates
   * (sd_bus_get_property_string): in a static husk that libc is a second
   * copy with a heap of its own, which husk's free() must not touch. */
  void (*free)(void *);
};

/* libsystemd's sd-bus, loaded once per process; NULL with *err set when
 * libsystemd.so.0 is missing or lacks a function. */
const struct sdbus *sdbus_load(husk_error **err);

/* --- values in GVariant text form ---------------------------------------- */

union sdbus_scalar {
  int b; /* sd-bus reads a D-Bus boolean as int */
  uint8_t y;
  int16_t n;
  uint16_t q;
  int32_t i;
  uint32_t u;
  int64_t x;
  uint64_t t;
  double d;
  char *s; /* s, o, g */
};

struct sdbus_value {
  char type;   /* D-Bus type of the value, or of each element of an array */
  bool array;  /* "a" + type */
  size_t n;    /* 1 for a scalar */
  union sdbus_scalar *v;
};

/* Parse one value: a boolean, a number (untyped integers are int32 and
 * untyped decimals double, as GVariant has it), a quoted string, an array
 * of those in [ ], each optionally typed by a keyword ("uint64 5",
 * "objectpath '/a'") or an "@T" annotation ("@t 5", "@as []").  The error
 * says what is wrong and where, without naming the text's source. */
int sdbus_value_parse(const char *text, struct sdbus_value *v,
                      husk_error **err);
void sdbus_value_clear(struct sdbus_value *v);

/* Integer and decimal values, as a count of seconds, to microseconds (for
 * properties such as TimeoutStopSec, which the bus takes as ...USec). */
int sdbus_value_seconds_to_usec(const struct sdbus_value *v, uint64_t *usec,
                                husk_error **err);

/* Append `v` to `m` as a variant ("v"). Returns a negative errno. */
int sdbus_append_value(const struct sdbus *S, sd_bus_message *m,
                       const struct sdbus_value *v);

#endif
