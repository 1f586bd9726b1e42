/* Scope-bound cleanup helpers, so that early returns leak nothing.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_CLEANUP_H
#define HUSK_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void husk_freep(void *p) {
  free(*(void **)p);
}
static inline void husk_closep(int *fd) {
  if (*fd >= 0) {
    int saved = errno;
    close(*fd);
    errno = saved;
  }
}
static inline void husk_fclosep(FILE **f) {
  if (*f)
    fclose(*f);
}
static inline void husk_closedirp(DIR **d) {
  if (*d)
    closedir(*d);
}

#define cleanup_free __attribute__((cleanup(husk_freep)))
#define cleanup_close __attribute__((cleanup(husk_closep)))
#define cleanup_fclose __attribute__((cleanup(husk_fclosep)))
#define cleanup_dir __attribute__((cleanup(husk_closedirp)))

/* Hand a value out of a cleanup-guarded variable. */
#define steal_pointer(pp)                                                      \
  ({                                                                           \
    __typeof__(*(pp)) _v = *(pp);                                              \
    *(pp) = NULL;                                                              \
    _v;                                                                        \
  })
#define steal_fd(fdp)                                                          \
  ({                                                                           \
    int _fd = *(fdp);                                                          \
    *(fdp) = -1;                                                               \
    _fd;                                                                       \
  })

#endif
