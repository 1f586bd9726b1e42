/* The container's init: from clone to the execve() of the user process.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The order follows config.md: namespaces, mounts, createRuntime hooks (in
 * the runtime), createContainer hooks (here, before pivot_root), pivot_root,
 * terminal, masked and read-only paths; then the process is checked and set
 * up while still privileged, the init reports "created" and waits for
 * `start`; startContainer hooks run; the user, capabilities and
 * no_new_privs are the last changes before execve().
 */
#include "config.h"

#include "init.h"

#include "cgroup.h"
#include "cleanup.h"
#include "hooks.h"
#include "lsm.h"
#include "process.h"
#include "proctitle.h"
#include "rootfs.h"
#include "seccomp.h"
#include "status.h"
#include "sync.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int set_names(const struct oci_spec *s, husk_error **err) {
  if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
    return husk_error_set(err, errno, "hostname: sethostname \"%s\"",
                          s->hostname);
  if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
    return husk_error_set(err, errno, "domainname: setdomainname \"%s\"",
                          s->domainname);
  return 0;
}

/* In a new user namespace the init starts as the overflow uid; once the
 * runtime has written the maps it becomes the namespace's root, which owns
 * every other new namespace.  A map without 0 leaves it as it is, and the
 * user switch later says what fails. */
static void become_ns_root(void) {
  if (setresgid(0, 0, 0) == 0)
    (void)setresuid(0, 0, 0);
}

/* A container gets its own session keyring, named after it, so that it
 * never sees the caller's keys (runc's default; --no-new-keyring keeps the
 * caller's).  Kernels without keyrings have nothing to hide. */
static int join_keyring(const char *id, husk_error **err) {
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, id, 0, 0, 0) < 0 &&
      errno != ENOSYS && errno != EACCES)
    return husk_error_set(err, errno, "join session keyring");
  return 0;
}

static int setup_terminal(struct init_config *c, int *slave_out,
                          husk_error **err) {
  const struct oci_process *p = c->spec->process;
  cleanup_close int master = -1;
  int slave = -1;
  if (terminal_open(p->console_size, &master, &slave, err) < 0)
    return -1;
  /* `run` relaying to the caller's terminal (still our stdin): its size,
   * before the process can ask (the relay copies later changes). */
  struct winsize ws;
  if (p->console_size == NULL && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
    ioctl(master, TIOCSWINSZ, &ws);
  if (terminal_set_stdio(slave, err) < 0 ||
      terminal_send_fd(c->console_sock, master, err) < 0) {
    close(slave);
    return -1;
  }
  close(c->console_sock);
  c->console_sock = -1;
  *slave_out = slave;
  return 0;
}

/* cgroup v1: join the memory cgroup the runtime left to us (spawn.c), once
 * the container is built or before anything but husk runs (a hook), and
 * before a cgroup namespace is made, whose root is the cgroup we are in.
 * The fd was opened by the runtime, whose credentials the kernel checks. */
/* Move ourselves into a cgroup by writing "0" to the `tasks` or
 * cgroup.procs the runtime opened for us, and close it: 0, or the errno
 * of the failure. */
static int self_join(int fd) {
  ssize_t n = write(fd, "0", 1);
  int e = n == 1 ? 0 : n < 0 ? errno : EIO;
  close(fd);
  return e;
}

static int join_memory_cgroup(struct init_config *c, husk_error **err) {
  if (c->memory_cgroup_fd < 0)
    return 0;
  int e = self_join(c->memory_cgroup_fd);
  c->memory_cgroup_fd = -1;
  if (e)
    return husk_error_set(err, e, "join memory cgroup %s", c->memory_cgroup);
  return 0;
}

/* The slow path (see namespaces.h): join, make the user namespace and have
 * the runtime map it, make the rest, and fork into a new pid namespace;
 * the forked child carries on as the init and its parent reports its pid
 * and leaves. */
static int init_slow_namespaces(struct init_config *c, husk_error **err) {
  struct ns_plan *ns = c->ns;
  if (ns_join(ns, err) < 0)
    return -1;
  if (ns->new_user && unshare(CLONE_NEWUSER) < 0)
    return husk_error_set(err, errno, "unshare user namespace");
  /* The runtime puts us in the cgroup (and maps the user namespace)
   * before we fork anything. */
  if (sync_send(c->sync_fd, SYNC_USERNS, NULL, 0, err) < 0 ||
      sync_expect(c->sync_fd, SYNC_USERNS_DONE, NULL, err) < 0)
    return -1;
  if (ns->new_user)
    become_ns_root();
  if (ns->unshare_flags & ~(unsigned long)CLONE_NEWUSER &&
      unshare((int)(ns->unshare_flags & ~(unsigned long)CLONE_NEWUSER)) < 0)
    return husk_error_set(err, errno, "unshare namespaces");
  char pid[16] = "0";
  if (ns->new_pid) {
    pid_t child = fork();
    if (child < 0)
      return husk_error_set(err, errno, "fork into the pid namespace");
    if (child == 0)
      return 0; /* the forked init reports nothing: its parent does */
    snprintf(pid, sizeof(pid), "%d", (int)child);
    _exit(sync_send(c->sync_fd, SYNC_PID, pid, strlen(pid), err) < 0);
  }
  return sync_send(c->sync_fd, SYNC_PID, pid, strlen(pid), err);
}

static int init_namespaces(struct init_config *c, char **state_json,
                           husk_error **err) {
  struct ns_plan *ns = c->ns;
  /* The runtime may die before we are created: then so do we.  (Had it
   * died already, its end of the sync socket is closed -- init_main()
   * closed our copy -- and the next receive fails; getppid() cannot tell,
   * it is 0 in a new pid ns.) */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
    return husk_error_set(err, errno, "prctl(PR_SET_PDEATHSIG)");
  /* Our memory is the runtime's: keep the container from reading it
   * through /proc/1/mem and from ptrace (CVE-2019-5736 class). */
  if (!c->dumpable_until_go && prctl(PR_SET_DUMPABLE, 0) < 0)
    return husk_error_set(err, errno, "prctl(PR_SET_DUMPABLE)");
  if (ns->slow && init_slow_namespaces(c, err) < 0)
    return -1;
  if (!c->one_step && sync_expect(c->sync_fd, SYNC_GO, state_json, err) < 0)
    return -1;
  if (c->dumpable_until_go && prctl(PR_SET_DUMPABLE, 0) < 0)
    return husk_error_set(err, errno, "prctl(PR_SET_DUMPABLE)");
  if (!ns->slow) {
    if (ns->new_user)
      become_ns_root();
    if (ns_join(ns, err) < 0)
      return -1;
  }
  /* Now in the container's cgroups (v1 memory's: just below), see
   * ns_plan_build. */
  if (ns->late_flags & CLONE_NEWCGROUP && join_memory_cgroup(c, err) < 0)
    return -1;
  if (ns->late_flags && unshare((int)ns->late_flags) < 0)
    return husk_error_set(err, errno, "unshare namespaces");
  return 0;
}

/* createContainer and startContainer hooks run in the container's pid
 * namespace: give them the pid as seen there (runc does too). */
static int localize_pid(char **state_json, husk_error **err) {
  struct oci_state *st = NULL;
  char *msg = NULL, *json = NULL;
  if (oci_state_parse(*state_json, strlen(*state_json), &st, &msg) < 0)
    return husk_error_take(err, 0, msg);
  st->pid = getpid();
  int r = oci_state_generate(st, 0, &json, NULL, &msg);
  oci_state_free(st);
  if (r < 0)
    return husk_error_take(err, 0, msg);
  free(*state_json);
  *state_json = json;
  return 0;
}

/* Everything up to "created".  Returns the path of the executable (NULL
 * without a process). */
static int init_create(struct init_config *c, char **exec_path,
                       char **state_json_out, husk_error **err) {
  const struct oci_spec *s = c->spec;
  struct ns_plan *ns = c->ns;
  char *state_json = NULL;

  if (init_namespaces(c, &state_json, err) < 0)
    return -1;
  *state_json_out = state_json;
  /* The listener is told our pid as the runtime sees it: before
   * localize_pid. */
  if (c->seccomp && seccomp_listener_ready(c->seccomp, state_json, err) < 0)
    return -1;
  if (s->hooks &&
      (s->hooks->create_container_len || s->hooks->start_container_len) &&
      localize_pid(state_json_out, err) < 0)
    return -1;
  state_json = *state_json_out;
  if (!c->no_new_keyring && join_keyring(c->id, err) < 0)
    return -1;
  /* c->id points into the runtime's argv, which this overwrites: in one
   * step the runtime's own, which it still needs (and no one sees the
   * title of an init that execs at once). */
  c->id = NULL;
  if (!c->one_step)
    proctitle_set("husk init");
  if (set_names(s, err) < 0)
    return -1;
  if (ns->new_net && ns_loopback_up(err) < 0)
    return -1;

  struct rootfs_opts ro = {
      .spec = s,
      .rootfs = c->rootfs,
      /* A joined user namespace (a pod's) is one too: no mknod there; its
       * joined network namespace is its own, where sysfs mounts. */
      .new_userns = ns->new_user || ns->user_joined,
      .new_netns = ns->new_net || (ns->user_joined && ns->net_joined),
      .new_cgroupns = ns->new_cgroup,
      .no_pivot = c->no_pivot,
      .console_fd = -1,
      .idmapped_trees = c->idmapped_trees,
      .cgroup_v1 = c->cgroup_v1,
      .cgroup_v1_len = c->cgroup_v1_len,
  };
  cleanup_close int rootfd = -1;
  if (rootfs_prepare(&ro, &rootfd, err) < 0)
    return -1;
  if ((c->runtime_hooks || (s->hooks && s->hooks->create_container_len)) &&
      join_memory_cgroup(c, err) < 0)
    return -1;
  if (c->runtime_hooks) {
    if (sync_send(c->sync_fd, SYNC_HOOKS, NULL, 0, err) < 0 ||
        sync_expect(c->sync_fd, SYNC_HOOKS_DONE, NULL, err) < 0)
      return -1;
  }
  if (s->hooks && hooks_run("createContainer", s->hooks->create_container,
                            s->hooks->create_container_len, state_json,
                            err) < 0)
    return -1;
  if (rootfs_pivot(&ro, rootfd, err) < 0)
    return -1;
  cleanup_close int slave = -1;
  if (c->console_sock >= 0) {
    if (setup_terminal(c, &slave, err) < 0)
      return -1;
    if (rootfs_console(slave, err) < 0)
      return -1;
  }
  if (rootfs_finish(&ro, err) < 0)
    return -1;
  if (s->process) {
    struct process_setup_opts po = {
        .process = s->process,
        .personality = s->linux ? s->linux->personality : NULL,
    };
    if (process_setup(&po, err) < 0)
      return -1;
    if (process_find_exec(s->process, exec_path, err) < 0)
      return -1;
    /* The spec is the init's own copy (clone gave it its own memory), or
     * in one step the runtime's, which reads no process.env after. */
    if (process_default_home((struct oci_process *)s->process, err) < 0)
      return -1;
  }
  return join_memory_cgroup(c, err);
}

/* From "started" to execve(): runs after `start` opened the fifo. */
static int init_start(struct init_config *c, const char *exec_path,
                      const char *state_json, int fifo, husk_error **err) {
  const struct oci_spec *s = c->spec;
  if (s->hooks && hooks_run("startContainer", s->hooks->start_container,
                            s->hooks->start_container_len, state_json,
                            err) < 0)
    return -1;
  if (caps_drop_bounding(&c->caps, err) < 0)
    return -1;
  /* The AppArmor profile and SELinux label take effect at execve.  Written
   * after every other privileged step but the user switch (which needs no
   * write of ours to the attribute), and before any seccomp filter, which
   * may deny the write. */
  if (lsm_set_exec(c->lsm_proc_fd, s->process, err) < 0)
    return -1;
  /* seccomp last of all, but without no_new_privs loading a filter needs
   * CAP_SYS_ADMIN, which the user switch may drop (as runc). */
  bool seccomp_late = c->seccomp && s->process->no_new_privileges;
  if (c->seccomp && !seccomp_late && seccomp_install(c->seccomp, err) < 0)
    return -1;
  if (process_set_user(s->process, &c->caps, err) < 0)
    return -1;
  if (process_close_fds(c->preserve_fds, fifo, err) < 0)
    return -1;
  if (seccomp_late)
    return seccomp_exec(c->seccomp, s->process, exec_path, err);
  return process_exec(s->process, exec_path, err);
}

/* Wait for `start`: on exec.fifo, which `start` opens, or for `run`'s
 * SYNC_START on the sync socket (no fifo to make, open and remove).
 * Returns the fd whose other end learns our error, or that we exec'd as
 * it closes (close on exec). */
static int wait_start(struct init_config *c) {
  if (c->start_by_sync) {
    husk_error *ignored = NULL;
    if (sync_expect(c->sync_fd, SYNC_START, NULL, &ignored) < 0)
      return -1;
    return c->sync_fd;
  }
  close(c->sync_fd);
  int fifo;
  do
    fifo = openat(c->state_dirfd, STATUS_FIFO, O_WRONLY | O_CLOEXEC);
  while (fifo < 0 && errno == EINTR);
  return fifo;
}

/* Tell the runtime why we fail, before we exit. */
static void send_error(int sync_fd, const husk_error *err) {
  const char *msg = err && err->msg ? err->msg : "container init failed";
  husk_error *ignored = NULL;
  sync_send(sync_fd, SYNC_ERROR, msg, strlen(msg), &ignored);
  husk_error_free(ignored);
}

/* One step: into each cgroup the runtime made, before anything else (it
 * would have moved us at once); v1 memory's comes last, as ever. */
static int join_cgroups(const struct init_config *c, husk_error **err) {
  for (size_t i = 0; i < c->cgroup_procs_len; i++) {
    int e = self_join(c->cgroup_procs[i].fd);
    if (e)
      return husk_error_set(err, e, "join cgroup %s", c->cgroup_procs[i].path);
  }
  return 0;
}

/* One step: from created straight on to execve(), nobody to tell and no
 * start to wait for.  Never returns. */
__attribute__((noreturn)) static void init_one_step(struct init_config *c,
                                                    const char *exec_path,
                                                    const char *state_json) {
  husk_error *err = NULL;
  /* What runs now outlives `run -d`, as after any start. */
  prctl(PR_SET_PDEATHSIG, 0);
  close(c->state_dirfd);
  init_start(c, exec_path, state_json, c->sync_fd, &err);
  send_error(c->sync_fd, err);
  _exit(127);
}

/* The other end is `start`'s (the fifo, or `run`'s socket); what we write
 * there is its error. */
static void report_to_start(int fifo, const husk_error *e) {
  const char *msg = e && e->msg ? e->msg : "container init failed";
  ssize_t n = write(fifo, msg, strlen(msg));
  (void)n;
}

void init_main(struct init_config *c) {
  husk_error *err = NULL;
  /* `run` blocks the signals it forwards; the mask survives execve. */
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (c->runtime_sync_fd >= 0)
    close(c->runtime_sync_fd);
  if (c->lock_fd >= 0)
    close(c->lock_fd);
  cleanup_free char *exec_path = NULL;
  cleanup_free char *state_json = NULL;
  if ((c->one_step && join_cgroups(c, &err) < 0) ||
      init_create(c, &exec_path, &state_json, &err) < 0) {
    send_error(c->sync_fd, err);
    _exit(1);
  }
  if (c->one_step)
    init_one_step(c, exec_path, state_json);
  /* Created: from here on we belong to the caller's subreaper, and the
   * runtime exits as soon as it reads READY. */
  prctl(PR_SET_PDEATHSIG, 0);
  if (sync_send(c->sync_fd, SYNC_READY, NULL, 0, &err) < 0)
    _exit(1);
  if (c->spec->process == NULL) {
    /* `start` refuses a container without a process; wait to be killed. */
    close(c->sync_fd);
    for (;;)
      pause();
  }
  int start = wait_start(c);
  if (start < 0)
    _exit(1);
  close(c->state_dirfd);
  init_start(c, exec_path, state_json, start, &err);
  report_to_start(start, err);
  _exit(127);
}
