/* husk: an OCI container runtime.  main(): the global flags, then one
 * subcommand.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The command line is runc's, since engines call whatever runtime they are
 * pointed at with runc's flags: `husk [global flags] COMMAND [flags] ARGS`.
 * Exit statuses follow runc too: 1 for a failure or a bad flag, 3 for an
 * unknown command, and `run`/`exec` pass on the container process's.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <ocispec/schema.h>

#include "cleanup.h"
#include "cmd/cmd.h"
#include "error.h"
#include "runtime-features.h"
#include "log.h"
#include "proctitle.h"

enum { EXIT_UNKNOWN_COMMAND = 3 };

static const struct husk_cmd commands[] = {
    {"checkpoint", cmd_checkpoint, "checkpoint a running container (CRIU)"},
    {"create", cmd_create, "create a container"},
    {"delete", cmd_delete, "delete a container and what it holds"},
    {"events", cmd_events, "print container events and statistics"},
    {"exec", cmd_exec, "run a new process inside a running container"},
    {"features", cmd_features, "show the features this husk supports"},
    {"kill", cmd_kill, "send a signal to a container's processes"},
    {"list", cmd_list, "list the containers under the root directory"},
    {"pause", cmd_pause, "suspend every process of a container"},
    {"ps", cmd_ps, "list the processes running inside a container"},
    {"restore", cmd_restore, "restore a container from a checkpoint (CRIU)"},
    {"resume", cmd_resume, "resume the processes of a paused container"},
    {"run", cmd_run, "create and start a container"},
    {"spec", cmd_spec, "write a starting config.json"},
    {"start", cmd_start, "run the user process of a created container"},
    {"state", cmd_state, "print the state of a container"},
    {"update", cmd_update, "change the resource limits of a container"},
};

static const char global_usage[] =
    "\n"
    "Global options:\n"
    "      --root DIR           container state directory (default: /run/husk,\n"
    "                           or $XDG_RUNTIME_DIR/husk for other users)\n"
    "      --log FILE           append log entries to FILE (default: stderr)\n"
    "      --log-format FORMAT  text or json (default: text)\n"
    "      --debug              log debug entries too\n"
    "      --systemd-cgroup     manage cgroups through systemd; cgroupsPath is\n"
    "                           \"slice:prefix:name\"\n"
    "      --rootless MODE      true, false or auto (default): whether cgroup\n"
    "                           permission errors are ignored\n"
    "      --criu PATH          accepted as runc does; unused\n"
    "  -v, --version            print the version\n"
    "  -h, --help               show this help\n"
    "\n"
    "`husk COMMAND --help` describes a command's options.\n";

static int print_help(void) {
  printf("husk - an OCI container runtime\n"
         "\n"
         "Usage: husk [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS...]\n"
         "\n"
         "Commands:\n");
  for (size_t i = 0; i < OCI_COUNT(commands); i++)
    printf("  %-10s  %s\n", commands[i].name, commands[i].summary);
  printf("  %-10s  %s\n", "help", "show this help, or a command's");
  fputs(global_usage, stdout);
  return fflush(stdout) == 0 ? 0 : 1;
}

static int print_version(void) {
  char seccomp[32];
  husk_libseccomp_version(seccomp, sizeof(seccomp));
  printf("husk version %s\n"
         "commit: %s\n"
         "spec: %s\n"
         "libseccomp: %s\n"
         "+SECCOMP +CAP +SYSTEMD +YAJL\n",
         PACKAGE_VERSION, HUSK_COMMIT, HUSK_SPEC_VERSION, seccomp);
  return fflush(stdout) == 0 ? 0 : 1;
}

static const struct husk_cmd *find_command(const char *name) {
  for (size_t i = 0; i < OCI_COUNT(commands); i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

/* --- global flags --------------------------------------------------------- */

/* The values Go's strconv.ParseBool takes, which is what runc accepts
 * besides "auto". */
static int parse_rootless(const char *s, int *out, husk_error **err) {
  static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};
  static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
  if (strcmp(s, "auto") == 0) {
    *out = HUSK_ROOTLESS_AUTO;
    return 0;
  }
  for (size_t i = 0; i < OCI_COUNT(yes); i++) {
    if (strcmp(s, yes[i]) == 0) {
      *out = HUSK_ROOTLESS_TRUE;
      return 0;
    }
    if (strcmp(s, no[i]) == 0) {
      *out = HUSK_ROOTLESS_FALSE;
      return 0;
    }
  }
  return husk_error_set(err, 0,
                        "invalid --rootless \"%s\": expected true, false or auto",
                        s);
}

enum action { ACTION_RUN, ACTION_HELP, ACTION_VERSION };

/* Parse the flags before the command into *g; returns the index of the
 * command in argv (argc when there is none). */
static int parse_globals(int argc, char **argv, struct husk_globals *g,
                         enum action *action, husk_error **err) {
  enum {
    OPT_ROOT = 0x100,
    OPT_LOG,
    OPT_LOG_FORMAT,
    OPT_DEBUG,
    OPT_SYSTEMD_CGROUP,
    OPT_ROOTLESS,
    OPT_CRIU,
  };
  static const struct option opts[] = {
      {"root", required_argument, NULL, OPT_ROOT},
      {"log", required_argument, NULL, OPT_LOG},
      {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
      {"debug", no_argument, NULL, OPT_DEBUG},
      {"systemd-cgroup", no_argument, NULL, OPT_SYSTEMD_CGROUP},
      {"rootless", required_argument, NULL, OPT_ROOTLESS},
      {"criu", required_argument, NULL, OPT_CRIU},
      {"version", no_argument, NULL, 'v'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0},
  };
  int c;

  *action = ACTION_RUN;
  cmd_getopt_reset();
  while ((c = getopt_long(argc, argv, "+:vh", opts, NULL)) != -1) {
    switch (c) {
    case OPT_ROOT:
      if (optarg[0] == '\0')
        return husk_error_set(err, 0, "--root must not be empty");
      g->root = optarg;
      break;
    case OPT_LOG:
      g->log = optarg[0] != '\0' ? optarg : NULL;
      break;
    case OPT_LOG_FORMAT:
      if (husk_log_parse_format(optarg, &g->log_format, err) < 0)
        return -1;
      break;
    case OPT_DEBUG:
      g->debug = true;
      break;
    case OPT_SYSTEMD_CGROUP:
      g->systemd_cgroup = true;
      break;
    case OPT_ROOTLESS:
      if (parse_rootless(optarg, &g->rootless, err) < 0)
        return -1;
      break;
    case OPT_CRIU:
      g->criu = optarg;
      break;
    case 'v':
      *action = ACTION_VERSION;
      return optind;
    case 'h':
      *action = ACTION_HELP;
      return optind;
    default:
      return cmd_flag_error(c, argv, err);
    }
  }
  return optind;
}

/* An unprivileged user's XDG_RUNTIME_DIR, which must be set, absolute and
 * the user's own (the XDG spec's rule; runc only finds out when it cannot
 * write there). */
static int user_runtime_dir(const char **out, husk_error **err) {
  const char *xdg = getenv("XDG_RUNTIME_DIR");
  uid_t uid = geteuid();
  if (xdg == NULL || xdg[0] == '\0')
    return husk_error_set(err, 0,
                          "XDG_RUNTIME_DIR is not set: uid %u keeps its state "
                          "in $XDG_RUNTIME_DIR/husk; set it or pass --root",
                          (unsigned)uid);
  if (xdg[0] != '/')
    return husk_error_set(err, 0, "XDG_RUNTIME_DIR \"%s\" is not absolute",
                          xdg);
  struct stat st;
  if (stat(xdg, &st) < 0)
    return husk_error_set(err, errno, "XDG_RUNTIME_DIR %s", xdg);
  if (st.st_uid != uid)
    return husk_error_set(err, 0,
                          "XDG_RUNTIME_DIR %s belongs to uid %u, not to uid "
                          "%u; set it to yours or pass --root",
                          xdg, (unsigned)st.st_uid, (unsigned)uid);
  *out = xdg;
  return 0;
}

/* The state directory, absolute: commands may chdir, and `list` shows it.
 * Unprivileged users cannot write /run, so theirs is in XDG_RUNTIME_DIR. */
static int resolve_root(const char *root, char **out, husk_error **err) {
  int r;
  *out = NULL;
  if (root == NULL) {
    const char *xdg = NULL;
    if (geteuid() == 0)
      r = asprintf(out, "/run/husk");
    else if (user_runtime_dir(&xdg, err) < 0)
      return -1;
    else
      r = asprintf(out, "%s/husk", xdg);
  } else if (root[0] == '/') {
    r = asprintf(out, "%s", root);
  } else {
    cleanup_free char *cwd = getcwd(NULL, 0);
    if (cwd == NULL)
      return husk_error_set(err, errno, "--root %s: current directory", root);
    r = asprintf(out, "%s/%s", cwd, root);
  }
  if (r < 0) {
    *out = NULL;
    return husk_error_set(err, ENOMEM, "--root");
  }
  return 0;
}

/* --- dispatch ----------------------------------------------------------- */

/* `husk help [COMMAND]`, as runc has it. */
static int run_help(struct husk_globals *g, int argc, char **argv,
                    husk_error **err) {
  if (argc < 2)
    return print_help();
  const struct husk_cmd *cmd = find_command(argv[1]);
  if (cmd == NULL) {
    husk_error_set(err, 0, "unknown command \"%s\"", argv[1]);
    return -EXIT_UNKNOWN_COMMAND;
  }
  char *help_argv[] = {(char *)cmd->name, (char *)"--help", NULL};
  return cmd->fn(g, 2, help_argv, err);
}

/* Run the command at argv[0]; returns the exit status, or minus it with
 * *err set. */
static int dispatch(struct husk_globals *g, int argc, char **argv,
                    husk_error **err) {
  if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "h") == 0)
    return run_help(g, argc, argv, err);
  const struct husk_cmd *cmd = find_command(argv[0]);
  if (cmd == NULL) {
    husk_error_set(err, 0, "unknown command \"%s\"", argv[0]);
    return -EXIT_UNKNOWN_COMMAND;
  }
  int r = cmd->fn(g, argc, argv, err);
  if (r < 0) {
    husk_error_prefix(err, "%s", cmd->name);
    return -1;
  }
  return r;
}

int main(int argc, char **argv) {
  struct husk_globals g = {.log_format = HUSK_LOG_FORMAT_TEXT,
                           .rootless = HUSK_ROOTLESS_AUTO};
  cleanup_free char *root = NULL;
  husk_error *err = NULL;
  enum action action;

  proctitle_init(argc, argv);
  int status;

  int first = parse_globals(argc, argv, &g, &action, &err);
  if (first < 0)
    goto fail;
  if (action == ACTION_VERSION)
    return print_version();
  if (action == ACTION_HELP || first >= argc)
    return print_help();
  /* spec and features keep no state: no root to find for them. */
  if (resolve_root(g.root, &root, &err) < 0 &&
      strcmp(argv[first], "spec") != 0 && strcmp(argv[first], "features") != 0)
    goto fail;
  husk_error_freep(&err);
  g.root = root;
  if (husk_log_init(g.log, g.log_format, g.debug, &err) < 0)
    goto fail;

  status = dispatch(&g, argc - first, argv + first, &err);
  if (status < 0) {
    husk_log_error(err);
    husk_error_free(err);
    status = -status;
  }
  husk_log_close();
  return status;

fail:
  husk_log_error(err);
  husk_error_free(err);
  return 1;
}
