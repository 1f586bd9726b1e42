/* User names from /etc/passwd, without NSS.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_PASSWD_H
#define HUSK_PASSWD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The name of `uid` in `file` (NULL: /etc/passwd) copied to buf; false
 * when no line names it, the file cannot be read or the name does not fit.
 * husk is linked statically, and a static glibc's getpwuid() would have to
 * dlopen the NSS modules of the glibc it was built with; the users husk
 * needs (container owners, the rootless user) are local ones. */
bool passwd_user_name(const char *file, uid_t uid, char *buf, size_t size);

#endif
