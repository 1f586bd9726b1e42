/* ps: the processes of a container, as pids or as the host's ps(1) table.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The table is runc's: ps(1) runs on the host with the caller's arguments,
 * and only the header and the lines of the container's pids are kept,
 * found by the column headed "PID" (so "-o pid,comm" works, "-o comm" does
 * not).  Nothing is printed unless ps succeeds and the column is found.
 */
#include "config.h"

#include "container-ops.h"

#include "cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "rootless.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int container_ps(const char *root, const char *id, pid_t **pids, size_t *n,
                 husk_error **err) {
  struct container_handle c;
  int ret = -1;
  *pids = NULL;
  *n = 0;
  if (container_open(root, id, false, false, &c, err) < 0)
    goto out;
  /* A stopped container's cgroup may still hold processes its init left
   * behind; a gone cgroup has none. */
  struct cgroup_paths cg = cgroup_paths_of(c.state);
  if (cg.path)
    ret = cgroup_pids(&cg, pids, n, err);
  else if (strcmp(c.state->status, "stopped") != 0 && c.state->pid > 0)
    ret = rootless_ns_pids(c.state->pid, pids, n, err); /* no cgroup */
  else
    ret = 0;
out:
  container_close(&c);
  return ret;
}

/* Everything a child writes to stdout and stderr, until it exits. */
static int run_capture(char *const *argv, char **out, size_t *len, int *status,
                       husk_error **err) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return husk_error_set(err, errno, "pipe");
  cleanup_close int rd = p[0];
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
  pid_t pid;
  int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(p[1]);
  if (r != 0)
    return husk_error_set(err, r, "run %s", argv[0]);

  cleanup_free char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (cap - n < 4096) {
      char *nb = realloc(buf, cap + 65536);
      if (nb == NULL) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return husk_error_set(err, ENOMEM, "read %s's output", argv[0]);
      }
      buf = nb;
      cap += 65536;
    }
    ssize_t got = read(rd, buf + n, cap - n - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    n += (size_t)got;
  }
  buf[n] = '\0';
  while (waitpid(pid, status, 0) < 0)
    if (errno != EINTR)
      return husk_error_set(err, errno, "wait for %s", argv[0]);
  *out = steal_pointer(&buf);
  *len = n;
  return 0;
}

/* The index of the whitespace-separated field `name` in `line`, or -1. */
static int field_index(const char *line, const char *name) {
  size_t nlen = strlen(name);
  int i = 0;
  for (const char *s = line; *s;) {
    s += strspn(s, " \t");
    size_t w = strcspn(s, " \t\n");
    if (w == 0)
      break;
    if (w == nlen && strncmp(s, name, w) == 0)
      return i;
    s += w;
    i++;
  }
  return -1;
}

/* The number in field `idx` of `line`; -1 when there is none. */
static long field_number(const char *line, int idx) {
  const char *s = line;
  for (int i = 0;; i++) {
    s += strspn(s, " \t");
    size_t w = strcspn(s, " \t\n");
    if (w == 0)
      return -1;
    if (i == idx) {
      char *end;
      long v = strtol(s, &end, 10);
      return (size_t)(end - s) == w ? v : -1;
    }
    s += w;
  }
}

static bool has_pid(const pid_t *pids, size_t n, long pid) {
  for (size_t i = 0; i < n; i++)
    if (pids[i] == pid)
      return true;
  return false;
}

/* The first non-empty line of ps's complaint, for a one-line error. */
static void first_line(const char *text, char *buf, size_t size) {
  text += strspn(text, "\n");
  snprintf(buf, size, "%.*s", (int)strcspn(text, "\n"), text);
}

int ps_table(const pid_t *pids, size_t n, char *const *args, FILE *out,
             husk_error **err) {
  size_t nargs = 0;
  while (args && args[nargs])
    nargs++;
  /* "ps", the args or "-ef", NULL */
  cleanup_free char **argv = calloc(nargs + 3, sizeof(char *));
  if (argv == NULL)
    return husk_error_set(err, ENOMEM, "ps");
  argv[0] = "ps";
  if (nargs == 0)
    argv[1] = "-ef";
  for (size_t i = 0; i < nargs; i++)
    argv[i + 1] = args[i];

  cleanup_free char *text = NULL;
  size_t len = 0;
  int status = 0;
  if (run_capture(argv, &text, &len, &status, err) < 0)
    return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char why[512];
    first_line(text, why, sizeof(why));
    return husk_error_set(err, 0, "ps(1) %s %d%s%s",
                          WIFEXITED(status) ? "exited with status"
                                            : "was killed by signal",
                          WIFEXITED(status) ? WEXITSTATUS(status)
                                            : WTERMSIG(status),
                          why[0] ? ": " : "", why);
  }

  /* Both field parsers stop at the end of the line. */
  const char *header_end = strchr(text, '\n');
  size_t header_len = header_end ? (size_t)(header_end - text) + 1 : len;
  int idx = field_index(text, "PID");
  if (idx < 0)
    return husk_error_set(err, 0, "no PID column in the output of ps(1)");

  /* Filter in place, then print at once. */
  size_t kept = header_len;
  for (char *line = text + header_len; line < text + len;) {
    char *nl = strchr(line, '\n');
    size_t l = nl ? (size_t)(nl - line) + 1 : strlen(line);
    if (has_pid(pids, n, field_number(line, idx))) {
      memmove(text + kept, line, l);
      kept += l;
    }
    line += l;
  }
  if (fwrite(text, 1, kept, out) != kept || fflush(out) != 0)
    return husk_error_set(err, errno, "write ps output");
  return 0;
}
