/* The command line `ps` shows for husk's own processes.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The container's init is a clone of `husk create ... ID`; until it execs
 * it would show that command line, which reads as if the runtime were
 * still running (and holds the id).  It names itself "husk init" instead,
 * by overwriting the argument area in place: no privilege needed.
 */
#ifndef HUSK_PROCTITLE_H
#define HUSK_PROCTITLE_H

/* Remember where main()'s arguments are; call first thing in main(). */
void proctitle_init(int argc, char **argv);

/* Show `title` as the whole command line (cut to the original length). */
void proctitle_set(const char *title);

#endif
