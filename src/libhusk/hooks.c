/* OCI hooks: spawn each hook with the state on its stdin, wait for it with
 * its timeout, and turn its end into an error naming the hook.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runtime-spec config.md, "POSIX-platform Hooks": path is absolute and run
 * like execv(3) with args as argv and env as the whole environment; the state
 * of the container is written to the hook's stdin; a timeout, when set, is in
 * seconds.  createRuntime, createContainer and startContainer hooks abort the
 * operation when they fail; poststart and poststop only warn (runtime.md).
 */
#include "config.h"

#include "hooks.h"

#include "asan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "linux-syscalls.h"
#include "log.h"

/* Linux's default pipe capacity (16 pages); a larger state asks for more. */
#define DEFAULT_PIPE_CAPACITY 65536

/* The part of the state not yet written to the hook's stdin.  The write end
 * is non-blocking so that a hook that never reads cannot stall the timeout;
 * the parent keeps the read end open until the hook is reaped, so writes
 * never see EPIPE (and never raise SIGPIPE) when the hook exits early. */
struct feed {
  int fd;
  const char *buf;
  size_t len;
};

/* argv and envp for execve: args/env are counted arrays, execve wants them
 * NULL-terminated.  Absent args mean argv = {path} (execv semantics need an
 * argv[0]); absent env means an empty environment, nothing of husk's. */
static char **null_terminated(char *const *items, size_t n, char *only) {
  size_t count = n > 0 ? n : (only != NULL ? 1 : 0);
  char **v = calloc(count + 1, sizeof(*v));
  if (v == NULL)
    return NULL;
  if (n > 0)
    memcpy(v, items, n * sizeof(*v));
  else if (only != NULL)
    v[0] = only;
  return v;
}

/* The child's fds 0-2 must not be the pipe itself, or a dup2 onto the same
 * number would keep O_CLOEXEC and the hook would start without stdin. */
static int move_above_stdio(int *fd) {
  if (*fd > STDERR_FILENO)
    return 0;
  int moved = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  if (moved < 0)
    return -1;
  close(*fd);
  *fd = moved;
  return 0;
}

/* Write what fits without blocking; 0 when something remains or all is
 * written, -1 on a real error. */
static int feed_some(struct feed *f) {
  while (f->len > 0) {
    ssize_t w = write(f->fd, f->buf, f->len);
    if (w < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        return 0;
      return -1;
    }
    f->buf += w;
    f->len -= (size_t)w;
  }
  return 0;
}

static void feed_close_if_done(struct feed *f) {
  if (f->fd >= 0 && f->len == 0) {
    close(f->fd);
    f->fd = -1;
  }
}

/* A pipe holding as much of the state as fits before the hook starts: for
 * the usual few hundred bytes the hook finds all of it and EOF at once. */
static int stdin_pipe(const char *state, int *rd, struct feed *f,
                      husk_error **err) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return husk_error_set(err, errno, "pipe");
  *rd = p[0];
  f->fd = p[1];
  f->buf = state;
  f->len = strlen(state);
  if (move_above_stdio(rd) < 0 || move_above_stdio(&f->fd) < 0 ||
      fcntl(f->fd, F_SETFL, O_NONBLOCK) < 0)
    return husk_error_set(err, errno, "pipe");
  if (f->len > DEFAULT_PIPE_CAPACITY)
    (void)fcntl(f->fd, F_SETPIPE_SZ, f->len > INT_MAX ? INT_MAX : (int)f->len);
  if (feed_some(f) < 0)
    return husk_error_set(err, errno, "write state");
  feed_close_if_done(f);
  return 0;
}

/* What the hook's child needs, prepared by the parent.  The child shares
 * the parent's memory until it execs (CLONE_VM|CLONE_VFORK), so it only
 * reads this and calls nothing but thin system call wrappers: no malloc,
 * no stdio, no locks. */
struct hook_child {
  const char *path;
  char **argv;
  char **envp;
  int stdin_fd;     /* > 2, so that dup2 onto 0 drops its O_CLOEXEC */
  int report_fd;    /* > 2, O_CLOEXEC: closed by a successful execve */
  bool have_stderr; /* husk's fd 2 is open */
  int max_fd;       /* for closing fds where close_range(2) is missing */
};

/* What a child that did not get to exec writes to report_fd.  Through a
 * pipe rather than the shared memory, so that it also works where vfork
 * is emulated with fork (valgrind). */
enum child_step { STEP_STDIN, STEP_STDOUT, STEP_DEVNULL, STEP_EXEC };
static const char *const step_names[] = {
    [STEP_STDIN] = "stdin",
    [STEP_STDOUT] = "stdout",
    [STEP_DEVNULL] = "open /dev/null",
    [STEP_EXEC] = "exec",
};
struct child_report {
  int step;
  int errno_;
};

/* 256 KiB of address space, touched only as far as the child goes. */
#define CHILD_STACK_SIZE (256 * 1024)

/* Handlers of husk must not run in the child, which borrows husk's memory;
 * ignored signals go back to default too, so that a hook starts from a
 * clean slate whatever husk ignores. */
static void child_reset_signals(void) {
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; sig++) {
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler != SIG_DFL)
      (void)sigaction(sig, &dfl, NULL);
  }
}

/* stdin from the pipe; stdout and stderr to husk's stderr, so that the
 * engine logs them (or /dev/null when husk has no stderr at all). */
static int child_stdio(const struct hook_child *c) {
  if (dup2(c->stdin_fd, STDIN_FILENO) < 0)
    return STEP_STDIN;
  if (c->have_stderr)
    return dup2(STDERR_FILENO, STDOUT_FILENO) < 0 ? STEP_STDOUT : -1;
  int null = open("/dev/null", O_WRONLY);
  if (null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
      dup2(null, STDERR_FILENO) < 0)
    return STEP_DEVNULL;
  return -1;
}

/* Everything above 2 but report_fd, which execve closes itself. */
static void child_close_fds(int keep, int max_fd) {
  bool below_ok = keep == STDERR_FILENO + 1 ||
                  close_range(STDERR_FILENO + 1, (unsigned)keep - 1, 0) == 0;
  if (below_ok && close_range((unsigned)keep + 1, ~0U, 0) == 0)
    return;
  for (int fd = STDERR_FILENO + 1; fd < max_fd; fd++)
    if (fd != keep)
      (void)close(fd);
}

static int hook_child_main(void *arg) {
  struct hook_child *c = arg;
  child_reset_signals();
  /* Its own process group, so that a timeout kills what it started too. */
  (void)setpgid(0, 0);
  int step = child_stdio(c);
  if (step < 0) {
    child_close_fds(c->report_fd, c->max_fd);
    sigset_t none;
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    execve(c->path, c->argv, c->envp);
    step = STEP_EXEC;
  }
  struct child_report report = {.step = step, .errno_ = errno};
  (void)!write(c->report_fd, &report, sizeof(report));
  _exit(127);
}


/* Clone the child with CLONE_VM|CLONE_VFORK: no page tables copied, and
 * this returns once the hook has exec'd (or failed to), with a pidfd for
 * it.  Every signal is blocked meanwhile, so that none of husk's handlers
 * runs in the child before it resets them. */
static int clone_child(struct hook_child *c, pid_t *pid, int *pidfd,
                       husk_error **err) {
  void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE,
                     -1, 0);
  if (stack == MAP_FAILED)
    return husk_error_set(err, errno, "spawn: stack");
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  *pid = clone(hook_child_main, (char *)stack + CHILD_STACK_SIZE,
               CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD, c, pidfd);
  int saved = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  /* The child's frames poisoned this stack's shadow under ASan; a later
   * mmap at the same address would inherit that poison. */
  asan_unpoison(stack, CHILD_STACK_SIZE);
  munmap(stack, CHILD_STACK_SIZE);
  if (*pid < 0)
    return husk_error_set(err, saved, "spawn: clone");
  return 0;
}

static int reap(pid_t pid, int *status, husk_error **err) {
  while (waitpid(pid, status, 0) < 0) {
    if (errno != EINTR)
      return husk_error_set(err, errno, "wait");
  }
  return 0;
}

/* What the child reported: 0 when it exec'd (EOF, the pipe was closed by
 * execve), 1 with *r filled when it failed before. */
static int read_report(int fd, struct child_report *r) {
  ssize_t n;
  do
    n = read(fd, r, sizeof(*r));
  while (n < 0 && errno == EINTR);
  return n == (ssize_t)sizeof(*r) && r->step >= 0 && r->step <= STEP_EXEC;
}

/* Start the hook; on success it has exec'd and *pidfd refers to it. */
static int spawn_hook(const struct oci_hook *h, int rd, pid_t *pid, int *pidfd,
                      husk_error **err) {
  cleanup_free char **argv = null_terminated(h->args, h->args_len, h->path);
  cleanup_free char **envp = null_terminated(h->env, h->env_len, NULL);
  if (argv == NULL || envp == NULL)
    return husk_error_set(err, ENOMEM, "spawn");
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0)
    return husk_error_set(err, errno, "spawn: pipe");
  cleanup_close int report_rd = p[0], report_wr = p[1];
  /* Above 2 both, so that the check of husk's own stderr below sees fd 2
   * as husk has it. */
  if (move_above_stdio(&report_rd) < 0 || move_above_stdio(&report_wr) < 0)
    return husk_error_set(err, errno, "spawn: pipe");
  long max_fd = sysconf(_SC_OPEN_MAX);
  struct hook_child c = {
      .path = h->path,
      .argv = argv,
      .envp = envp,
      .stdin_fd = rd,
      .report_fd = report_wr,
      .have_stderr = fcntl(STDERR_FILENO, F_GETFD) >= 0,
      .max_fd = max_fd > 0 && max_fd < INT_MAX ? (int)max_fd : 1024,
  };
  if (clone_child(&c, pid, pidfd, err) < 0)
    return -1;
  /* Our copy of the write end, or the read would never see EOF. */
  close(steal_fd(&report_wr));
  struct child_report report;
  if (read_report(report_rd, &report)) {
    int status;
    (void)reap(*pid, &status, NULL);
    husk_closep(pidfd);
    *pidfd = -1;
    return husk_error_set(err, report.errno_, "%s", step_names[report.step]);
  }
  return 0;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Kill the hook and whatever stayed in its process group.  The group id is
 * the hook's pid, which cannot be reused while the hook is unreaped. */
static void kill_hook(pid_t pid, int pidfd) {
  (void)kill(-pid, SIGKILL);
  (void)sys_pidfd_send_signal(pidfd, SIGKILL);
}

/* Wait for the hook to exit, feeding it the rest of the state meanwhile.
 * Returns 1 when the deadline passed (the hook is still running), 0 when it
 * has exited, -1 on error. `timeout_ms` < 0 means no deadline. */
static int wait_exit(int pidfd, struct feed *f, int64_t timeout_ms,
                     husk_error **err) {
  int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;
  for (;;) {
    int wait_ms = -1;
    if (deadline >= 0) {
      int64_t left = deadline - now_ms();
      if (left <= 0)
        return 1;
      wait_ms = left > INT_MAX ? INT_MAX : (int)left;
    }
    struct pollfd pfd[2] = {{.fd = pidfd, .events = POLLIN},
                            {.fd = f->fd, .events = POLLOUT}};
    int r = poll(pfd, f->fd >= 0 ? 2 : 1, wait_ms);
    if (r < 0 && errno != EINTR)
      return husk_error_set(err, errno, "poll");
    if (r <= 0)
      continue;
    if (pfd[0].revents)
      return 0;
    if (pfd[1].revents) {
      if (feed_some(f) < 0)
        return husk_error_set(err, errno, "write state");
      feed_close_if_done(f);
    }
  }
}

static int check_status(int status, husk_error **err) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  if (WIFEXITED(status))
    return husk_error_set(err, 0, "exited with status %d", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return husk_error_set(err, 0, "killed by signal %d", WTERMSIG(status));
  return husk_error_set(err, 0, "ended with wait status 0x%x", status);
}

/* Wait for a spawned hook and reap it whatever happens: no zombie is left
 * on any path. */
static int finish_hook(const struct oci_hook *h, pid_t pid, int pidfd,
                       struct feed *f, husk_error **err) {
  int status;
  int64_t timeout_ms =
      h->timeout_present && h->timeout > 0 ? (int64_t)h->timeout * 1000 : -1;
  int r = wait_exit(pidfd, f, timeout_ms, err);
  if (r != 0)
    kill_hook(pid, pidfd);
  if (reap(pid, &status, r < 0 ? NULL : err) < 0 || r < 0)
    return -1;
  if (r > 0)
    return husk_error_set(err, 0, "timed out after %ds", (int)h->timeout);
  return check_status(status, err);
}

static int run_hook(const struct oci_hook *h, const char *state,
                    husk_error **err) {
  cleanup_close int rd = -1;
  cleanup_close int pidfd = -1;
  struct feed f = {.fd = -1};
  pid_t pid = -1;
  int r = stdin_pipe(state, &rd, &f, err);
  if (r == 0)
    r = spawn_hook(h, rd, &pid, &pidfd, err);
  if (r == 0)
    r = finish_hook(h, pid, pidfd, &f, err);
  husk_closep(&f.fd);
  return r;
}

static int run_one(const char *point, const struct oci_hook *hooks, size_t i,
                   const char *state_json, husk_error **err) {
  const struct oci_hook *h = &hooks[i];
  husk_debug("running %s hook %zu: %s", point, i, h->path);
  if (run_hook(h, state_json ? state_json : "", err) < 0)
    return husk_error_prefix(err, "%s hook %zu (%s)", point, i, h->path);
  return 0;
}

int hooks_run(const char *point, const struct oci_hook *hooks, size_t n,
              const char *state_json, husk_error **err) {
  for (size_t i = 0; i < n; i++)
    if (run_one(point, hooks, i, state_json, err) < 0)
      return -1;
  return 0;
}

void hooks_run_warn(const char *point, const struct oci_hook *hooks, size_t n,
                    const char *state_json) {
  for (size_t i = 0; i < n; i++) {
    cleanup_error husk_error *e = NULL;
    if (run_one(point, hooks, i, state_json, &e) < 0)
      husk_warn("%s", e != NULL ? e->msg : "hook failed");
  }
}
