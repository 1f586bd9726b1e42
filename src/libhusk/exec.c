/* `exec`: the runtime's half.  Read and check everything, clone the
 * processes that enter the container (exec-child.c), put them in the
 * cgroup, wait for the execve, then detach or supervise like `run`.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The container's lock is held while its state and config are read, and
 * dropped before anything is started: an exec into a paused container
 * (--ignore-paused) waits in the frozen cgroup until `resume`, which needs
 * the lock.  From then on the init's pidfd is what pins the container:
 * setns() through it fails once the init is gone, and a cgroup removed by
 * `delete` cannot be joined.
 */
#include "config.h"

#include "exec.h"
#include "exec-internal.h"

#include "cleanup.h"
#include "container.h"
#include "linux-syscalls.h"
#include "lsm.h"
#include "seccomp.h"
#include "supervise.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything an exec holds, released by exec_release(). */
struct exec_run {
  struct container_handle c;
  struct oci_spec *spec;
  struct oci_process *process;
  struct seccomp_setup seccomp;
  bool has_seccomp;
  char *state_json;
  int console;          /* connected console socket, or our relay's end */
  int relay_theirs;     /* the process's end of the relay socketpair */
  int sync[2];          /* ours, the children's */
  pid_t joiner, pid;    /* the children, 0 when gone */
  int pidfd;            /* of the process */
  int lsm_proc_fd;      /* lsm_proc_open(), or -1 */
  struct relay relay;
};

int pidfd_socket_send(const char *path, int pidfd, husk_error **err) {
  cleanup_close int sock = terminal_connect(path, err);
  if (sock < 0 || terminal_send_fd(sock, pidfd, err) < 0)
    return husk_error_prefix(err, "--pidfd-socket %s", path);
  return 0;
}

/* --- the container ---------------------------------------------------------- */

static int open_container(const struct exec_opts *o, struct exec_run *x,
                          husk_error **err) {
  if (container_open(o->root, o->id, false, true, &x->c, err) < 0)
    return -1;
  const char *st = x->c.state->status;
  if (strcmp(st, "paused") == 0 && !o->ignore_paused)
    return husk_error_set(err, 0,
                          "cannot exec in a paused container (use "
                          "--ignore-paused to override)");
  if (strcmp(st, "created") != 0 && strcmp(st, "running") != 0 &&
      strcmp(st, "paused") != 0)
    return husk_error_set(err, 0, "cannot exec in a %s container", st);
  if (x->c.pidfd < 0)
    return husk_error_set(err, 0, "cannot exec in a stopped container");
  return 0;
}

static const struct {
  int flag;
  const char *name;
} ns_types[] = {
    {CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mnt"},   {CLONE_NEWPID, "pid"},
    {CLONE_NEWNET, "net"},   {CLONE_NEWIPC, "ipc"},  {CLONE_NEWUTS, "uts"},
    {CLONE_NEWCGROUP, "cgroup"}, {CLONE_NEWTIME, "time"},
};

/* The namespaces of the init that are not ours: all of them are joined
 * (the user namespace must not be asked for when it is ours: EINVAL). */
static int ns_flags(const struct exec_run *x, int *flags, husk_error **err) {
  *flags = 0;
  for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++) {
    char path[64];
    struct stat mine, theirs;
    snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_types[i].name);
    if (stat(path, &mine) < 0)
      continue; /* a kernel without this namespace type */
    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)x->c.state->pid,
             ns_types[i].name);
    if (stat(path, &theirs) < 0)
      return husk_error_set(err, errno, "stat %s", path);
    if (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev)
      *flags |= ns_types[i].flag;
  }
  /* /proc/PID named the init only if it is still alive. */
  if (sys_pidfd_send_signal(x->c.pidfd, 0) < 0)
    return husk_error_set(err, 0, "cannot exec in a stopped container");
  return 0;
}

/* --- what to run ------------------------------------------------------------ */

static int check_terminal(const struct exec_opts *o,
                          const struct oci_process *p, husk_error **err) {
  if (p->terminal && o->detach && o->console_socket == NULL)
    return husk_error_set(err, 0,
                          "--tty with --detach needs --console-socket");
  if (!p->terminal && o->console_socket)
    return husk_error_set(err, 0, "--console-socket needs --tty");
  return 0;
}

/* A profile or label for an LSM that is off is refused, naming where it
 * came from; one that can be applied needs the procfs handle (lsm.h). */
static int check_lsm(const struct exec_opts *o, struct exec_run *x,
                     husk_error **err) {
  const struct oci_process *p = x->process;
  /* --process replaces the flags; without it a flag replaces the config. */
  const char *aa = o->process_file ? "apparmorProfile"
                   : o->apparmor   ? "--apparmor"
                                   : "config.json: process.apparmorProfile";
  const char *se = o->process_file   ? "selinuxLabel"
                   : o->process_label ? "--process-label"
                                      : "config.json: process.selinuxLabel";
  if (lsm_check_apparmor(p->apparmor_profile, aa, err) < 0 ||
      lsm_check_selinux(p->selinux_label, se, err) < 0)
    return o->process_file
               ? husk_error_prefix(err, "--process %s", o->process_file)
               : -1;
  if (lsm_process_labelled(p) && (x->lsm_proc_fd = lsm_proc_open(err)) < 0)
    return -1;
  return 0;
}

static int prepare(const struct exec_opts *o, struct exec_run *x,
                   struct caps_sets *caps, husk_error **err) {
  if ((x->spec = container_stored_config(x->c.dirfd, err)) == NULL)
    return -1;
  if (exec_process_build(o, x->spec, &x->process, err) < 0)
    return -1;
  if (caps_parse(x->process->capabilities, caps, err) < 0 ||
      check_terminal(o, x->process, err) < 0 || check_lsm(o, x, err) < 0)
    return -1;
  const struct oci_linux *l = x->spec->linux;
  if (l && l->seccomp) {
    if (seccomp_prepare(l->seccomp, x->c.rootfd, &x->seccomp, err) < 0)
      return husk_error_prefix(err, "config.json");
    x->has_seccomp = true;
    char *msg = NULL;
    if (oci_state_generate(x->c.state, 0, &x->state_json, NULL, &msg) < 0)
      return husk_error_take(err, 0, msg);
  }
  return 0;
}

/* The console socket, or without one (foreground --tty) a socketpair whose
 * other end brings the pty master back to us for the relay. */
static int connect_terminal(const struct exec_opts *o, struct exec_run *x,
                            husk_error **err) {
  if (!x->process->terminal)
    return 0;
  if (o->console_socket) {
    x->relay_theirs = terminal_connect(o->console_socket, err);
    return x->relay_theirs < 0 ? husk_error_prefix(err, "--console-socket")
                               : 0;
  }
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
    return husk_error_set(err, errno, "socketpair");
  x->console = sv[0];
  x->relay_theirs = sv[1];
  return 0;
}

/* Drop the lock (and the state root); keep the state read and the pidfd. */
static void unlock(struct exec_run *x) {
  if (x->c.dirfd >= 0)
    close(x->c.dirfd);
  if (x->c.rootfd >= 0)
    close(x->c.rootfd);
  x->c.dirfd = x->c.rootfd = -1;
}

/* --- starting it ------------------------------------------------------------ */

/* One message from the children: 'P' pid, 'E' error; 0 at end of file. */
static ssize_t recv_msg(int fd, char *buf, size_t size) {
  ssize_t n;
  do
    n = recv(fd, buf, size - 1, 0);
  while (n < 0 && errno == EINTR);
  if (n >= 0)
    buf[n] = '\0';
  return n;
}

static void reap(pid_t *pid) {
  if (*pid <= 0)
    return;
  while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
    ;
  *pid = 0;
}

/* Wait for the process's pid, then for its execve (end of file) or error. */
static int wait_exec(struct exec_run *x, husk_error **err) {
  char buf[4096];
  ssize_t n = recv_msg(x->sync[0], buf, sizeof(buf));
  if (n > 0 && buf[0] == 'P') {
    x->pid = atoi(buf + 1);
    n = recv_msg(x->sync[0], buf, sizeof(buf));
  }
  reap(&x->joiner);
  if (n > 0 && buf[0] == 'E')
    return husk_error_set(err, 0, "%s", buf + 1);
  if (n != 0 || x->pid <= 0)
    return husk_error_set(err, n < 0 ? errno : 0,
                          "the process did not start");
  return 0;
}

static int start(const struct exec_opts *o, struct exec_run *x,
                 const struct caps_sets *caps, husk_error **err) {
  int flags;
  if (ns_flags(x, &flags, err) < 0)
    return -1;
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, x->sync) < 0)
    return husk_error_set(err, errno, "socketpair");
  struct exec_child child = {
      .process = x->process,
      .personality = x->spec->linux ? x->spec->linux->personality : NULL,
      .caps = *caps,
      .seccomp = x->has_seccomp ? &x->seccomp : NULL,
      .state_json = x->state_json,
      .init_pidfd = x->c.pidfd,
      .ns_flags = flags,
      .join_user = (flags & CLONE_NEWUSER) != 0,
      .sync_fd = x->sync[1],
      .console_sock = x->relay_theirs,
      .lsm_proc_fd = x->lsm_proc_fd,
      .relayed = x->console >= 0,
      /* $LISTEN_FDS is create's and run's only, as with runc: an
       * engine's own socket activation must not leak into exec'd
       * processes. */
      .preserve_fds = o->preserve_fds,
      .close_fds = {x->sync[0], x->console},
  };
  x->joiner = exec_child_spawn(&child, err);
  if (x->joiner < 0) {
    x->joiner = 0;
    return -1;
  }
  close(x->sync[1]);
  x->sync[1] = -1;
  if (x->relay_theirs >= 0) {
    close(x->relay_theirs);
    x->relay_theirs = -1;
  }
  /* Before it joins anything: nothing it makes may escape the cgroup. */
  struct cgroup_paths cg = cgroup_paths_of(x->c.state);
  if (exec_cgroup_enter(&cg, o->cgroups, o->cgroups_len, x->joiner, err) < 0)
    return -1;
  if (send(x->sync[0], "G", 1, MSG_NOSIGNAL) != 1)
    return husk_error_set(err, errno, "start the process");
  if (wait_exec(x, err) < 0)
    return -1;
  x->pidfd = sys_pidfd_open(x->pid, 0);
  if (x->pidfd < 0)
    return husk_error_set(err, errno, "pidfd_open %d", (int)x->pid);
  return 0;
}

/* --- after the execve --------------------------------------------------------- */

static int announce(const struct exec_opts *o, struct exec_run *x,
                    husk_error **err) {
  if (o->pidfd_socket && pidfd_socket_send(o->pidfd_socket, x->pidfd, err) < 0)
    return -1;
  if (o->pid_file && write_pid_file(o->pid_file, x->pid, err) < 0)
    return -1;
  if (x->console >= 0) {
    /* Sent before the execve, so already there. */
    int fd;
    if (terminal_recv_fd(x->console, &fd, err) < 0)
      return husk_error_prefix(err, "the process's terminal");
    x->relay.master = fd;
  }
  return 0;
}

static int supervise(const sigset_t *set, struct exec_run *x, int *exit_status,
                     husk_error **err) {
  cleanup_close int sfd = signalfd(-1, set, SFD_CLOEXEC);
  if (sfd < 0)
    return husk_error_set(err, errno, "signalfd");
  struct relay *r = &x->relay;
  if (r->master >= 0)
    relay_start(r);
  int status = 0;
  int ret = supervise_wait(x->pid, x->pidfd, sfd, r, &status);
  if (ret == 0)
    x->pid = 0; /* reaped */
  if (r->master >= 0) {
    if (ret == 0 && r->master_open)
      relay_drain(r->master);
    relay_stop(r);
  }
  if (ret < 0)
    return husk_error_set(err, errno, "wait for the process");
  *exit_status = supervise_exit_code(status);
  return 0;
}

/* --- the whole ---------------------------------------------------------------- */

static void exec_release(struct exec_run *x, bool failed) {
  /* A process that never exec'd (or a joiner) must not stay behind. */
  if (failed && x->pid > 0) {
    if (x->pidfd >= 0)
      sys_pidfd_send_signal(x->pidfd, SIGKILL);
    else
      kill(x->pid, SIGKILL);
    reap(&x->pid);
  }
  if (x->joiner > 0) {
    kill(x->joiner, SIGKILL);
    reap(&x->joiner);
  }
  int fds[] = {x->console, x->relay_theirs, x->sync[0], x->sync[1], x->pidfd,
               x->relay.master, x->lsm_proc_fd};
  for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
    if (fds[i] >= 0)
      close(fds[i]);
  if (x->has_seccomp)
    seccomp_setup_clear(&x->seccomp);
  free(x->state_json);
  oci_process_free(x->process);
  oci_spec_free(x->spec);
  container_close(&x->c);
}

int container_exec(const struct exec_opts *o, int *exit_status,
                   husk_error **err) {
  struct exec_run x = {.console = -1, .relay_theirs = -1, .sync = {-1, -1},
                       .pidfd = -1, .lsm_proc_fd = -1,
                       .relay = {.master = -1},
                       .c = {.rootfd = -1, .dirfd = -1, .pidfd = -1},
                       .seccomp = SECCOMP_SETUP_INIT};
  struct caps_sets caps;
  sigset_t set, old;
  supervise_signal_set(&set);
  /* Blocked before the process exists, so that none is lost; it unblocks
   * them for itself. */
  sigprocmask(SIG_BLOCK, &set, &old);
  int ret = -1;
  *exit_status = 0;
  if (open_container(o, &x, err) < 0 || prepare(o, &x, &caps, err) < 0)
    goto out;
  unlock(&x);
  if (connect_terminal(o, &x, err) < 0 || start(o, &x, &caps, err) < 0)
    goto out;
  if (announce(o, &x, err) < 0)
    goto out;
  if (o->detach) {
    x.pid = 0; /* it is on its own now */
    ret = 0;
    goto out;
  }
  ret = supervise(&set, &x, exit_status, err);
out:
  exec_release(&x, ret < 0);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return ret;
}
