/* `exec`: the two processes that enter the container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The joiner is cloned from the runtime and is put in the container's
 * cgroup by it before it does anything, so that nothing it makes can
 * escape the cgroup.  It then joins every namespace of the init at once
 * through the init's pidfd (setns(2) with a pidfd, Linux 5.8), user
 * namespace included.  Joining a pid or time namespace only applies to
 * children, so it forks the process with CLONE_PARENT: the process is the
 * runtime's child (the runtime waits for it, and no recycled pid can be
 * mistaken for it), in the container's pid namespace.  The process sets
 * itself up in the container and execs.
 *
 * Both are copies of the runtime, whose memory and binary must not be
 * reachable from the container: they are non-dumpable until execve
 * (CVE-2019-5736 class), and every fd of theirs is close-on-exec but stdio
 * and the preserved ones.
 */
#include "config.h"

#include "exec-internal.h"

#include "cleanup.h"
#include "linux-syscalls.h"
#include "lsm.h"
#include "process.h"
#include "seccomp.h"
#include "terminal.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Tell the runtime what went wrong; it reads one message per send. */
static void report(int sync_fd, const husk_error *e, const char *fallback) {
  char buf[4096];
  int n = snprintf(buf, sizeof(buf), "E%s", e && e->msg ? e->msg : fallback);
  if (n > (int)sizeof(buf) - 1)
    n = (int)sizeof(buf) - 1;
  if (send(sync_fd, buf, (size_t)n, MSG_NOSIGNAL) < 0)
    return;
}

/* After joining a user namespace we are whoever our host ids map to there
 * (the overflow id if unmapped); become its root, as the init did, so that
 * what follows is done with the namespace's privileges. */
static void become_ns_root(void) {
  if (setresgid(0, 0, 0) == 0)
    (void)setresuid(0, 0, 0);
}

/* runc does not make a missing cwd for exec (it does for the init): an
 * exec'd process's cwd must exist. */
static int check_cwd(const struct oci_process *p, husk_error **err) {
  struct stat st;
  if (p->cwd && stat(p->cwd, &st) < 0)
    return husk_error_set(err, errno, "chdir to cwd (\"%s\")", p->cwd);
  return 0;
}

/* With a terminal: a pty of the container's devpts (opened after the
 * mount namespace is joined), the slave as our controlling terminal and
 * stdio, the master to whoever listens on the console socket. */
static int setup_terminal(const struct exec_child *c, husk_error **err) {
  cleanup_close int master = -1;
  cleanup_close int slave = -1;
  if (setsid() < 0)
    return husk_error_set(err, errno, "setsid");
  if (terminal_open(c->process->console_size, &master, &slave, err) < 0)
    return -1;
  /* Relayed to the caller's terminal (still our stdin): its size, before
   * the process can ask (the relay copies later changes). */
  struct winsize ws;
  if (c->relayed && c->process->console_size == NULL &&
      ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
    ioctl(master, TIOCSWINSZ, &ws);
  if (terminal_set_stdio(slave, err) < 0 ||
      terminal_send_fd(c->console_sock, master, err) < 0)
    return -1;
  close(c->console_sock);
  return 0;
}

/* The order of the init's last steps (init.c): privileged setup, then the
 * bounding set, seccomp (before the user switch unless no_new_privs lets
 * an unprivileged process load it), the user and capabilities, fds, exec. */
static int process_main(const struct exec_child *c, husk_error **err) {
  const struct oci_process *p = c->process;
  sigset_t none;
  sigemptyset(&none);
  /* The runtime blocks the signals it forwards; the mask survives execve. */
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
    return husk_error_set(err, errno, "prctl(PR_SET_PDEATHSIG)");
  if (c->join_user)
    become_ns_root();
  if (check_cwd(p, err) < 0)
    return -1;
  if (c->console_sock >= 0 && setup_terminal(c, err) < 0)
    return -1;
  struct process_setup_opts po = {
      .process = p, .is_exec = true, .personality = c->personality};
  if (process_setup(&po, err) < 0)
    return -1;
  cleanup_free char *path = NULL;
  if (process_find_exec(p, &path, err) < 0)
    return -1;
  /* The process is our own copy (we were forked). */
  if (process_default_home((struct oci_process *)p, err) < 0)
    return -1;
  /* --- seccomp: the container's linux.seccomp, prepared by the runtime. */
  if (c->seccomp && seccomp_listener_ready(c->seccomp, c->state_json, err) < 0)
    return -1;
  /* Now in the container's cgroup: its cpuset allows `final`. */
  if (p->exec_cpu_affinity &&
      process_cpu_affinity(p->exec_cpu_affinity->final, err) < 0)
    return husk_error_prefix(err, "process.execCPUAffinity.final");
  if (caps_drop_bounding(&c->caps, err) < 0)
    return -1;
  /* The labels for the execve: before any seccomp filter, which may deny
   * the write (as in init.c). */
  if (lsm_set_exec(c->lsm_proc_fd, p, err) < 0)
    return -1;
  bool seccomp_late = c->seccomp && p->no_new_privileges;
  if (c->seccomp && !seccomp_late && seccomp_install(c->seccomp, err) < 0)
    return -1;
  if (process_set_user(p, &c->caps, err) < 0)
    return -1;
  if (process_close_fds(c->preserve_fds, -1, err) < 0)
    return -1;
  /* The runtime waits for our execve; it may exit then (--detach). */
  prctl(PR_SET_PDEATHSIG, 0);
  if (seccomp_late)
    return seccomp_exec(c->seccomp, p, path, err);
  return process_exec(p, path, err);
}

static _Noreturn void process_start(const struct exec_child *c) {
  husk_error *err = NULL;
  process_main(c, &err);
  report(c->sync_fd, err, "exec failed");
  _exit(127);
}

/* Fork the process into the joined pid namespace, as the runtime's child. */
static pid_t fork_process(const struct exec_child *c, husk_error **err) {
  /* The exit signal is the joiner's own (SIGCHLD): clone3 refuses one
   * with CLONE_PARENT. */
  struct clone_args args = {.flags = CLONE_PARENT};
  pid_t pid = sys_clone3(&args);
  if (pid < 0)
    return husk_error_set(err, errno, "clone3 into the container");
  if (pid == 0)
    process_start(c);
  return pid;
}

static int joiner_main(const struct exec_child *c, husk_error **err) {
  for (size_t i = 0; i < sizeof(c->close_fds) / sizeof(c->close_fds[0]); i++)
    if (c->close_fds[i] >= 0)
      close(c->close_fds[i]);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
    return husk_error_set(err, errno, "prctl(PR_SET_PDEATHSIG)");
  /* "go": we are in the cgroup. */
  char go;
  ssize_t n;
  do
    n = recv(c->sync_fd, &go, 1, 0);
  while (n < 0 && errno == EINTR);
  if (n != 1)
    _exit(1); /* the runtime gave up */
  if (c->ns_flags && setns(c->init_pidfd, c->ns_flags) < 0)
    return husk_error_set(err, errno, "join the container's namespaces");
  close(c->init_pidfd);
  pid_t pid = fork_process(c, err);
  if (pid < 0)
    return -1;
  char msg[16];
  int len = snprintf(msg, sizeof(msg), "P%d", (int)pid);
  if (send(c->sync_fd, msg, (size_t)len, MSG_NOSIGNAL) != len)
    return husk_error_set(err, errno, "send the process's pid");
  return 0;
}

pid_t exec_child_spawn(const struct exec_child *c, husk_error **err) {
  struct clone_args args = {.exit_signal = SIGCHLD};
  pid_t pid = sys_clone3(&args);
  if (pid < 0)
    return husk_error_set(err, errno, "clone3");
  if (pid > 0)
    return pid;
  /* Our memory is the runtime's: no ptrace, no /proc/PID/mem, no
   * /proc/PID/exe for anyone in the container.  The process inherits it. */
  husk_error *e = NULL;
  if (prctl(PR_SET_DUMPABLE, 0) < 0) {
    husk_error_set(&e, errno, "prctl(PR_SET_DUMPABLE)");
    report(c->sync_fd, e, "prctl(PR_SET_DUMPABLE)");
    _exit(1);
  }
  if (joiner_main(c, &e) < 0) {
    report(c->sync_fd, e, "joining the container failed");
    _exit(1);
  }
  _exit(0);
}
