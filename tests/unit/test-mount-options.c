/* test-mount-options: TAP unit tests of the option tables' lookup.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mount-options.c finds an option by bsearch, which misses names silently
 * if a table is not sorted: each would then reach mount(2) as filesystem
 * data.  Every name is checked to be taken as what it is.
 */
#include "config.h"

#include "mount-options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "tap.h"

/* Parse the one option `name`: 0 when it is taken as a flag or an
 * attribute (no data left for mount(2)). */
static int leftover_data(const char *name, struct mount_opts *mo) {
  const char *opts[] = {name};
  struct oci_mount m = {.destination = (char *)"/x", .type = (char *)"tmpfs",
                        .source = (char *)"tmpfs", .options = (char **)opts,
                        .options_len = 1};
  husk_error *err = NULL;
  if (mount_opts_parse(&m, mo, &err) < 0) {
    husk_error_free(err);
    return -1;
  }
  int r = mo->data != NULL;
  mount_opts_free(mo);
  return r;
}

int main(void) {
  tap_no_plan();
  static const char *const flags[] = {
      "acl",         "async",         "atime",      "defaults",
      "dev",         "diratime",      "dirsync",    "exec",
      "iversion",    "lazytime",      "loud",       "mand",
      "noacl",       "noatime",       "nodev",      "nodiratime",
      "noexec",      "noiversion",    "nolazytime", "nomand",
      "norelatime",  "nostrictatime", "nosuid",     "nosymfollow",
      "relatime",    "remount",       "ro",         "rw",
      "silent",      "strictatime",   "suid",       "symfollow",
      "sync"};
  static const char *const rattrs[] = {
      "ratime",   "rdev",        "rdiratime",     "rexec",       "rnoatime",
      "rnodev",   "rnodiratime", "rnoexec",       "rnorelatime", "rnostrictatime",
      "rnosuid",  "rnosymfollow", "rrelatime",    "rro",         "rrw",
      "rstrictatime", "rsuid",   "rsymfollow"};
  struct mount_opts mo;
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    tap_ok(leftover_data(flags[i], &mo) == 0, "flag %s is known", flags[i]);
  for (size_t i = 0; i < sizeof(rattrs) / sizeof(rattrs[0]); i++)
    tap_ok(leftover_data(rattrs[i], &mo) == 0, "recursive attribute %s is known",
           rattrs[i]);
  tap_ok(leftover_data("size=65536k", &mo) == 1,
         "an unknown option is the filesystem's data");
  /* what each does, for a few */
  const char *opts[] = {"nosuid", "ro", "noexec", "rnodev"};
  struct oci_mount m = {.destination = (char *)"/x", .type = (char *)"tmpfs",
                        .source = (char *)"tmpfs", .options = (char **)opts,
                        .options_len = 4};
  husk_error *err = NULL;
  int r = mount_opts_parse(&m, &mo, &err);
  tap_ok(r == 0 && mo.flags == (MS_NOSUID | MS_RDONLY | MS_NOEXEC) &&
             mo.rattr_set == MOUNT_ATTR_NODEV,
         "nosuid,ro,noexec,rnodev: flags and recursive attribute");
  if (r == 0)
    mount_opts_free(&mo);
  husk_error_free(err);
  tap_done_testing();
  return tap_exit();
}
