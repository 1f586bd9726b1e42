/* Capabilities: config names to bit masks, the bounding set, and the
 * effective/permitted/inheritable/ambient sets of the user process.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libcap is used for what it knows better than we do (the name table and
 * the number of capabilities the running kernel has); the sets themselves
 * are written with capset(2) and prctl(2) directly, one call each, instead
 * of building and freeing cap_t objects in the container's hot path.
 *
 * Inheritable and ambient stay empty unless the config asks for them: a
 * non-empty inheritable set lets file capabilities of a binary in the image
 * grant more than the config asked for (CVE-2022-29162).
 */
#include "config.h"

#include "caps.h"
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP_BIT(c) (UINT64_C(1) << (c))

/* The highest capability the running kernel knows.  libcap measures it once
 * when the library is loaded (before the container's /proc exists), so this
 * costs no syscall and no read of /proc/sys/kernel/cap_last_cap. */
static int kernel_last_cap(void) {
  int bits = (int)cap_max_bits();
  if (bits <= 0 || bits > 64)
    bits = CAP_LAST_CAP + 1;
  return bits - 1;
}

/* OCI names are the kernel's: "CAP_" and upper-case letters, digits and
 * '_'.  cap_from_name() also takes "chown", "cap_chown" and "12"; those are
 * not names a config may use, so they are refused before it sees them. */
static bool well_formed(const char *name) {
  if (strncmp(name, "CAP_", 4) != 0 || name[4] == '\0')
    return false;
  for (const char *c = name + 4; *c; c++)
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_'))
      return false;
  return true;
}

/* One set.  A name neither we nor libcap know is an error (a typo must fail
 * `create`, not silently run the container with less).  A name libcap knows
 * but the running kernel does not cannot be granted: config.md asks for a
 * warning there, not a failure, so it is logged and left out. */
static int parse_set(const char *set, char *const *names, size_t n,
                     uint64_t *out, husk_error **err) {
  int last = kernel_last_cap();
  uint64_t mask = 0;
  for (size_t i = 0; i < n; i++) {
    cap_value_t v;
    if (!well_formed(names[i]) || cap_from_name(names[i], &v) < 0 || v < 0 ||
        v >= 64)
      return husk_error_set(err, 0,
                            "process.capabilities.%s[%zu]: unknown "
                            "capability \"%s\"",
                            set, i, names[i]);
    if (v > last) {
      husk_warn("process.capabilities.%s[%zu]: capability \"%s\" is not "
                "supported by the running kernel, ignoring it",
                set, i, names[i]);
      continue;
    }
    mask |= CAP_BIT(v);
  }
  *out = mask;
  return 0;
}

/* Index of the first of `names` whose capability is in `have` (the parsed
 * set, so without ignored ones) but not in `need`, or -1. */
static long first_outside(char *const *names, size_t n, uint64_t have,
                          uint64_t need) {
  for (size_t i = 0; i < n; i++) {
    cap_value_t v;
    if (cap_from_name(names[i], &v) == 0 && v >= 0 && v < 64 &&
        (have & CAP_BIT(v)) && !(need & CAP_BIT(v)))
      return (long)i;
  }
  return -1;
}

/* "CAP_SYS_ADMIN", as the config spells it, for messages: libcap names
 * capabilities in lower case (and numbers those it does not know). */
struct cap_name {
  char s[32];
};

static struct cap_name cap_name(int cap) {
  struct cap_name n = {"?"};
  char *lib = cap_to_name(cap);
  if (lib != NULL) {
    size_t i;
    for (i = 0; lib[i] != '\0' && i < sizeof(n.s) - 1; i++)
      n.s[i] = (lib[i] >= 'a' && lib[i] <= 'z') ? (char)(lib[i] - 'a' + 'A')
                                                : lib[i];
    n.s[i] = '\0';
    cap_free(lib);
  }
  return n;
}

/* The kernel refuses (with a bare EPERM, in the container) an effective
 * capability outside the permitted set, and an ambient one outside the
 * permitted or the inheritable set; say which one at `create`. */
static int check_subsets(const struct oci_linux_capabilities *c,
                         struct caps_sets *s, husk_error **err) {
  static const char fmt[] = "process.capabilities.%s[%ld]: capability \"%s\" "
                            "must also be in the %s set";
  long i = first_outside(c->effective, c->effective_len, s->effective,
                         s->permitted);
  if (i >= 0)
    return husk_error_set(err, 0, fmt, "effective", i, c->effective[i],
                          "permitted");
  /* The kernel cannot raise an ambient capability that is not both
   * inheritable and permitted.  `runc spec` and engines write ambient sets
   * without inheritable ones and runc drops them silently; do the same
   * rather than refuse every such bundle, and say so under --debug only:
   * a warning would come with every container of the stock config. */
  uint64_t dropped = s->ambient & ~(s->inheritable & s->permitted);
  for (int b = 0; dropped && husk_log_enabled(HUSK_LOG_DEBUG) && b < 64; b++)
    if ((dropped >> b) & 1)
      husk_debug("process.capabilities.ambient: %s is not in both the "
                 "inheritable and permitted sets; not raised",
                 cap_name(b).s);
  s->ambient &= ~dropped;
  return 0;
}

int caps_parse(const struct oci_linux_capabilities *c, struct caps_sets *out,
               husk_error **err) {
  struct caps_sets s = {0};
  if (c != NULL) {
    if (parse_set("bounding", c->bounding, c->bounding_len, &s.bounding,
                  err) < 0 ||
        parse_set("effective", c->effective, c->effective_len, &s.effective,
                  err) < 0 ||
        parse_set("inheritable", c->inheritable, c->inheritable_len,
                  &s.inheritable, err) < 0 ||
        parse_set("permitted", c->permitted, c->permitted_len, &s.permitted,
                  err) < 0 ||
        parse_set("ambient", c->ambient, c->ambient_len, &s.ambient, err) < 0 ||
        check_subsets(c, &s, err) < 0)
      return -1;
  }
  *out = s;
  return 0;
}


int caps_drop_bounding(const struct caps_sets *s, husk_error **err) {
  int last = kernel_last_cap();
  for (int c = 0; c <= last; c++) {
    if (s->bounding & CAP_BIT(c))
      continue;
    if (prctl(PR_CAPBSET_DROP, (unsigned long)c, 0UL, 0UL, 0UL) < 0) {
      int e = errno; /* before cap_name() can change it */
      return husk_error_set(err, e, "process.capabilities.bounding: drop %s",
                            cap_name(c).s);
    }
  }
  return 0;
}

/* capset(2) with the three sets at once (version 3: two 32-bit halves). */
static int set_sets(const struct caps_sets *s, husk_error **err) {
  struct __user_cap_header_struct hdr = {
      .version = _LINUX_CAPABILITY_VERSION_3,
      .pid = 0,
  };
  struct __user_cap_data_struct data[2];
  for (int i = 0; i < 2; i++) {
    data[i].effective = (uint32_t)(s->effective >> (32 * i));
    data[i].permitted = (uint32_t)(s->permitted >> (32 * i));
    data[i].inheritable = (uint32_t)(s->inheritable >> (32 * i));
  }
  if (syscall(SYS_capset, &hdr, data) == 0)
    return 0;
  int e = errno;
  /* The usual EPERM: an inheritable capability may not be added from
   * outside the bounding set. */
  uint64_t stray = s->inheritable & ~s->bounding;
  if (e == EPERM && stray != 0)
    return husk_error_set(err, e,
                          "process.capabilities.inheritable: %s is not in "
                          "the bounding set: capset",
                          cap_name(__builtin_ctzll(stray)).s);
  return husk_error_set(err, e, "process.capabilities: capset");
}

/* Whatever the runtime's own ambient set held must not reach the container,
 * so it is cleared even when the config asks for none. */
static int set_ambient(uint64_t ambient, husk_error **err) {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0UL, 0UL, 0UL) < 0 &&
      (errno != EINVAL || ambient != 0)) /* EINVAL: kernel < 4.3 */
    return husk_error_set(err, errno, "process.capabilities.ambient: clear");
  for (int c = 0; c < 64; c++) {
    if (!(ambient & CAP_BIT(c)))
      continue;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)c, 0UL,
              0UL) < 0) {
      int e = errno; /* before cap_name() can change it */
      return husk_error_set(err, e, "process.capabilities.ambient: raise %s",
                            cap_name(c).s);
    }
  }
  return 0;
}

int caps_apply(const struct caps_sets *s, husk_error **err) {
  if (set_sets(s, err) < 0)
    return -1;
  return set_ambient(s->ambient, err);
}
