/* rename-racer: swap two paths with renameat2(RENAME_EXCHANGE) as fast as
 * possible, for the symlink-race tests of tests/security.bats
 * (CVE-2021-30465, CVE-2024-45310).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   rename-racer PATH1 PATH2 [PIDFILE]
 *
 * Typically a directory and a symlink to a host directory: any runtime
 * that resolves a path in the rootfs more than once may see either.  Runs
 * until killed; the pid file is written once the first swap succeeded.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rename-racer PATH1 PATH2 [PIDFILE]\n");
    return 2;
  }
  if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2],
              RENAME_EXCHANGE) < 0) {
    perror("renameat2");
    return 1;
  }
  if (argc > 3) {
    FILE *f = fopen(argv[3], "we");
    if (f == NULL) {
      perror(argv[3]);
      return 1;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
  }
  for (;;)
    syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2],
            RENAME_EXCHANGE);
}
