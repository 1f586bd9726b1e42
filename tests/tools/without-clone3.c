/* Run a command where clone3 answers ENOSYS, as under a seccomp profile
 * that hides it (Docker's default does, for runtimes nested in a
 * container) or under valgrind 3.19.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   without-clone3 COMMAND [ARG]...
 *
 * Checks that the filter holds (clone3 fails with ENOSYS) before it execs
 * COMMAND, so that a test using it cannot pass with clone3 still there.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: without-clone3 COMMAND [ARG]...\n");
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == NULL ||
      seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 ||
      seccomp_load(ctx) < 0) {
    fprintf(stderr, "without-clone3: cannot install the filter\n");
    return 2;
  }
  seccomp_release(ctx);
  if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS) {
    fprintf(stderr, "without-clone3: clone3 is still there\n");
    return 2;
  }
  execvp(argv[1], argv + 1);
  fprintf(stderr, "without-clone3: exec %s: %s\n", argv[1], strerror(errno));
  return 127;
}
