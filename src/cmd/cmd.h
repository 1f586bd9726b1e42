/* The subcommand interface: src/husk.c parses the global flags into struct
 * husk_globals and hands the rest of the command line to one cmd_NAME().
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A command parses its own flags with getopt_long() in "+:" mode (stop at
 * the first non-option, so that `exec ID cmd -flags` leaves cmd's flags
 * alone; ':' so that a missing value is told from an unknown flag), after
 * cmd_getopt_reset().  It supports -h/--help, and fails on a wrong number of
 * arguments with a one-line message naming the argument.  It does no work
 * itself beyond turning flags into a libhusk call.
 */
#ifndef HUSK_CMD_H
#define HUSK_CMD_H

#include <stdbool.h>
#include <stddef.h> /* error.h uses NULL */

#include "error.h"

enum husk_rootless {
  HUSK_ROOTLESS_AUTO = 0,
  HUSK_ROOTLESS_TRUE,
  HUSK_ROOTLESS_FALSE,
};

struct husk_globals {
  const char *root;    /* --root: state directory, always absolute */
  const char *log;     /* --log FILE; NULL means stderr */
  int log_format;      /* --log-format: enum husk_log_format */
  bool debug;          /* --debug */
  bool systemd_cgroup; /* --systemd-cgroup */
  int rootless;        /* --rootless: enum husk_rootless */
  const char *criu;    /* --criu: accepted as runc does, unused */
};

/* argv[0] is the command's name, argv[1..] its flags and arguments, as for
 * main().  Returns the exit status (0 to 255: `run` and `exec` pass on the
 * container process's), or -1 with *err set; the caller prefixes the
 * command's name and logs it. */
typedef int husk_cmd_fn(struct husk_globals *g, int argc, char **argv,
                        husk_error **err);

struct husk_cmd {
  const char *name;
  husk_cmd_fn *fn;
  const char *summary; /* one line, for `husk --help` */
};

husk_cmd_fn cmd_checkpoint;
husk_cmd_fn cmd_create;
husk_cmd_fn cmd_delete;
husk_cmd_fn cmd_events;
husk_cmd_fn cmd_exec;
husk_cmd_fn cmd_features;
husk_cmd_fn cmd_kill;
husk_cmd_fn cmd_list;
husk_cmd_fn cmd_pause;
husk_cmd_fn cmd_ps;
husk_cmd_fn cmd_restore;
husk_cmd_fn cmd_resume;
husk_cmd_fn cmd_run;
husk_cmd_fn cmd_spec;
husk_cmd_fn cmd_start;
husk_cmd_fn cmd_state;
husk_cmd_fn cmd_update;

/* --- helpers for the commands (cmd.c) ----------------------------------- */

/* Make getopt_long() start over on a new argv and leave error messages to
 * cmd_flag_error(). */
void cmd_getopt_reset(void);

/* Turn getopt_long()'s '?' (unknown flag) or ':' (missing value) into a
 * one-line error naming the flag; returns -1. */
int cmd_flag_error(int c, char **argv, husk_error **err);

/* Check the positional arguments left after the flags.  `names` describes
 * them ("<container-id>", "[signal]"); the first `min` are required, at most
 * `max` are accepted (-1: no limit; the last name then stands for the rest).
 * Fails with "missing <container-id>" or "unexpected argument \"x\"". */
int cmd_check_args(int nargs, char *const *args, int min, int max,
                   const char *const *names, husk_error **err);

/* Print a command's --help text on stdout; returns 0, the exit status. */
int cmd_usage(const char *usage);

/* The whole body of a command that a later change implements: prints
 * `usage` for -h/--help, fails with "not implemented yet" otherwise. */
int cmd_not_implemented(const char *usage, int argc, char **argv,
                        husk_error **err);

/* A command whose only flag is --help: returns 1 to go on (optind points
 * at the arguments), 0 after printing the help, -1 on a bad flag. */
int cmd_parse_no_flags(int argc, char **argv, const char *usage,
                       husk_error **err);

/* A count flag (--preserve-fds): a decimal from 0 to 65536, or an error
 * naming `flag`. */
/* --rootless as runc reads it: auto means "not running as root". */
bool cmd_rootless(const struct husk_globals *g);

int cmd_parse_count(const char *flag, const char *v, int *out,
                    husk_error **err);

struct container_opts;
/* create's flags (and run's, with `run`): bundle, console socket, pid file,
 * no-pivot, no-new-keyring, preserve-fds (+ detach, keep, no-subreaper),
 * and the container id.  Returns 1 to go on, 0 after --help, -1 on error. */
int cmd_parse_container_opts(int argc, char **argv, bool run,
                             struct container_opts *o, const char *usage,
                             husk_error **err);

#endif
