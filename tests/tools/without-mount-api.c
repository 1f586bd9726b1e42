/* Run a command where the fd-based mount API and clone3 answer ENOSYS, as
 * under valgrind 3.19 or a seccomp profile written before them.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   without-mount-api COMMAND [ARG]...
 *
 * Checks that the filter holds (each call fails with ENOSYS) before it
 * execs COMMAND, so that a test using it cannot pass with the calls still
 * there.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const hidden[] = {
    "clone3",  "open_tree", "move_mount",    "fsopen",
    "fsconfig", "fsmount",  "fspick",        "mount_setattr",
};
#define N_HIDDEN (sizeof(hidden) / sizeof(hidden[0]))

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: without-mount-api COMMAND [ARG]...\n");
    return 2;
  }
  int nr[N_HIDDEN];
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL) {
    fprintf(stderr, "without-mount-api: seccomp_init failed\n");
    return 2;
  }
  for (size_t i = 0; i < N_HIDDEN; i++) {
    nr[i] = seccomp_syscall_resolve_name(hidden[i]);
    if (nr[i] == __NR_SCMP_ERROR ||
        seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr[i], 0) < 0) {
      fprintf(stderr, "without-mount-api: cannot filter %s\n", hidden[i]);
      return 2;
    }
  }
  if (seccomp_load(ctx) < 0) {
    fprintf(stderr, "without-mount-api: cannot install the filter\n");
    return 2;
  }
  seccomp_release(ctx);
  /* Invalid arguments everywhere: with the filter gone the kernel answers
   * EFAULT/EINVAL/EBADF, never ENOSYS. */
  for (size_t i = 0; i < N_HIDDEN; i++) {
    if (syscall(nr[i], -1L, NULL, 0L, NULL, 0L) != -1 || errno != ENOSYS) {
      fprintf(stderr, "without-mount-api: %s is still there\n", hidden[i]);
      return 2;
    }
  }
  execvp(argv[1], argv + 1);
  fprintf(stderr, "without-mount-api: exec %s: %s\n", argv[1],
          strerror(errno));
  return 127;
}
