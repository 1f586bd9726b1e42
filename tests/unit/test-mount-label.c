/* test-mount-label: TAP unit tests of linux.mountLabel's mount option.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No machine husk is tested on runs SELinux, so the context= option is
 * checked here as mount(2) would receive it: appended to the entry's own
 * data, quoted, and only on the filesystems runc labels.
 */
#include "config.h"

#include "mount-options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define LABEL "system_u:object_r:container_file_t:s0:c1,c2"

/* The data mount(2) gets for an entry of `type` with `options` under
 * `label`, or "(error: MSG)". */
static char *data_for(const char *type, const char *const *options,
                      size_t n, const char *label) {
  struct oci_mount m = {.destination = (char *)"/x", .type = (char *)type,
                        .source = (char *)type,
                        .options = (char **)options, .options_len = n};
  struct mount_opts mo;
  husk_error *err = NULL;
  char *out = NULL;
  if (mount_opts_parse(&m, &mo, &err) == 0 &&
      mount_opts_add_label(&mo, type, label, &err) == 0) {
    out = strdup(mo.data ? mo.data : "");
    mount_opts_free(&mo);
  } else {
    size_t len = strlen(err->msg) + 16;
    out = malloc(len);
    snprintf(out, len, "(error: %s)", err->msg);
    husk_error_free(err);
  }
  return out;
}

static void expect(const char *type, const char *const *options, size_t n,
                   const char *label, const char *want, const char *what) {
  char *got = data_for(type, options, n, label);
  bool ok = strcmp(got, want) == 0;
  tap_ok(ok, "%s", what);
  if (!ok)
    tap_diag("got:  %s\nwant: %s", got, want);
  free(got);
}

int main(void) {
  static const char *const tmpfs_opts[] = {"nosuid", "strictatime",
                                           "mode=755", "size=65536k"};
  static const char *const devpts_opts[] = {"nosuid", "noexec", "newinstance",
                                            "ptmxmode=0666", "mode=0620"};
  static const char *const bind_opts[] = {"rbind", "ro"};
  static const char *const none[] = {NULL};
  tap_no_plan();
  expect("tmpfs", tmpfs_opts, 4, LABEL,
         "mode=755,size=65536k,context=\"" LABEL "\"",
         "tmpfs: context= after the entry's data, quoted");
  expect("devpts", devpts_opts, 5, LABEL,
         "newinstance,ptmxmode=0666,mode=0620,context=\"" LABEL "\"",
         "devpts is labelled");
  expect("tmpfs", none, 0, LABEL, "context=\"" LABEL "\"",
         "a tmpfs without data gets the option alone");
  expect("proc", none, 0, LABEL, "", "proc is not labelled");
  expect("sysfs", none, 0, LABEL, "", "sysfs is not labelled");
  expect("mqueue", none, 0, LABEL, "", "mqueue is not labelled");
  expect("cgroup", none, 0, LABEL, "", "cgroup is not labelled");
  expect("cgroup2", none, 0, LABEL, "", "cgroup2 is not labelled");
  expect("none", bind_opts, 2, LABEL, "", "a bind mount is not labelled");
  expect("bind", none, 0, LABEL, "", "type bind is not labelled");
  expect("tmpfs", tmpfs_opts, 4, NULL, "mode=755,size=65536k",
         "no mountLabel: data unchanged");
  expect("tmpfs", tmpfs_opts, 4, "", "mode=755,size=65536k",
         "an empty mountLabel: data unchanged");
  expect("tmpfs", none, 0, "a\"b",
         "(error: linux.mountLabel: a label cannot hold '\"')",
         "a label with a quote is refused");
  tap_done_testing();
  return tap_exit();
}
