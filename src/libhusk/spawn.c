/* Spawning the container's init and the runtime's half of the protocol.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "spawn.h"

#include "cgroup.h"
#include "cgroup-systemd.h"
#include "cleanup.h"
#include "hooks.h"
#include "linux-syscalls.h"
#include "rootless.h"
#include "log.h"
#include "status.h"
#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char *state_json(struct oci_state *st, pid_t pid, husk_error **err) {
  char *json = NULL, *msg = NULL;
  st->pid = pid;
  st->pid_present = true;
  if (oci_state_generate(st, 0, &json, NULL, &msg) < 0) {
    husk_error_take(err, 0, msg);
    return NULL;
  }
  return json;
}

/* Namespaces the runtime entered for its children only (a pid namespace
 * by path, a time namespace with offsets) must not catch the hooks it runs
 * later: go back to its own. */
struct saved_ns {
  int pid, time;
};

static void save_ns(const struct ns_plan *p, struct saved_ns *s) {
  s->pid = p->pid_join_fd >= 0 ? open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC)
                               : -1;
  s->time = p->new_time ? open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC) : -1;
}

static void restore_ns(struct saved_ns *s) {
  if (s->pid >= 0) {
    (void)setns(s->pid, CLONE_NEWPID);
    close(s->pid);
  }
  if (s->time >= 0) {
    (void)setns(s->time, CLONE_NEWTIME);
    close(s->time);
  }
}

/* clone(2) for where clone3 answers ENOSYS: a seccomp profile that hides
 * it (Docker's default does, so a nested runtime meets it) and valgrind.
 * It has no CLONE_INTO_CGROUP, and CLONE_NEWTIME's bit is part of its exit
 * signal: the time namespace is then unshared for our children here, and
 * restore_ns() takes the runtime back to its own. */
static pid_t clone_legacy(unsigned long long flags, int *pidfd) {
  if (flags & CLONE_NEWTIME) {
    if (unshare(CLONE_NEWTIME) < 0)
      return -1;
    flags &= ~(unsigned long long)CLONE_NEWTIME;
  }
  unsigned long f = (unsigned long)flags | SIGCHLD;
  /* No new stack: the child goes on from here on a copy, as after fork. */
#if defined(__s390__) || defined(__s390x__)
  return (pid_t)syscall(SYS_clone, NULL, f, pidfd, NULL, NULL);
#else
  return (pid_t)syscall(SYS_clone, f, NULL, pidfd, NULL, NULL);
#endif
}

/* Clone the init; with `cgroup_fd` >= 0 straight into that cgroup
 * (CLONE_INTO_CGROUP, cgroup v2), which *in_cgroup then says.  A kernel
 * that refuses it (too old: E2BIG; a cgroup it cannot take a task into
 * that way) gets the plain clone, and the runtime moves the init after. */
static pid_t clone_init(struct init_config *c, int cgroup_fd, bool *in_cgroup,
                        int *pidfd, husk_error **err) {
  unsigned long long flags = c->ns->clone_flags | CLONE_PIDFD;
  struct clone_args args = {
      .flags = flags,
      .pidfd = (uint64_t)(uintptr_t)pidfd,
      .exit_signal = SIGCHLD,
  };
  pid_t pid = -1;
  *in_cgroup = false;
  if (cgroup_fd >= 0) {
    args.flags = flags | CLONE_INTO_CGROUP;
    args.cgroup = (uint64_t)cgroup_fd;
    pid = sys_clone3(&args);
    *in_cgroup = pid >= 0;
    args.flags = flags;
    args.cgroup = 0;
  }
  if (pid < 0 && (cgroup_fd < 0 || errno != ENOSYS))
    pid = sys_clone3(&args);
  if (pid < 0 && errno == ENOSYS) {
    pid = clone_legacy(flags, pidfd);
    if (pid < 0)
      return husk_error_set(err, errno, "clone (clone3 is not available)");
  } else if (pid < 0) {
    return husk_error_set(err, errno, "clone3");
  }
  if (pid == 0)
    init_main(c);
  return pid;
}

/* --- one step ------------------------------------------------------------
 *
 * `run` with nothing for the runtime to do between the clone and the
 * execve (container.c decides) clones the init vfork-style: CLONE_VM |
 * CLONE_VFORK, on a stack of its own.  It runs in our memory while we
 * sleep, joins its cgroups through fds we opened, builds the container
 * and execs; we wake at its execve (or exit) and read its error, if any,
 * from the sync socket.  No page table is copied, no page is copied on
 * write by either side, the execve frees no copy of ours, and there is no
 * exchange but that: the plain fork-like path costs `run` about a tenth
 * more CPU.  What the init changes in our memory (init.c says what) we do
 * not read after.
 *
 * glibc has no clone3 wrapper that moves to another stack, and clone(2)
 * cannot clone into a cgroup (CLONE_INTO_CGROUP, v2): so a few lines of
 * assembly, x86-64 only.  Elsewhere, and under AddressSanitizer (whose
 * leak check would count the init's never-freed allocations, made in our
 * heap), `run` takes the usual path. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define HAVE_ONE_STEP 1

/* 1 MiB of address space (pages are touched only as deep as the init
 * goes), above one page that is never mapped. */
#define ONE_STEP_STACK (1024 * 1024)

/* clone3(args): the child starts on args->stack, calls fn(arg), which
 * never returns; the parent gets the pid, or -1 and errno. */
static pid_t clone3_on_stack(struct clone_args *args, void (*fn)(void *),
                             void *arg) {
  register long ret __asm__("rax") = SYS_clone3;
  register void (*f)(void *) __asm__("r12") = fn; /* kept by syscall */
  register void *a __asm__("r13") = arg;
  __asm__ volatile("syscall\n\t"
                   "test %%rax, %%rax\n\t"
                   "jnz 1f\n\t"
                   /* The child: no frame above fn's. */
                   "xor %%ebp, %%ebp\n\t"
                   "mov %%r13, %%rdi\n\t"
                   "call *%%r12\n\t"
                   "ud2\n"
                   "1:"
                   : "+r"(ret)
                   : "D"(args), "S"(sizeof(*args)), "r"(f), "r"(a)
                   : "rcx", "r11", "memory", "cc");
  if (ret < 0) {
    errno = (int)-ret;
    return -1;
  }
  return (pid_t)ret;
}

static void one_step_main(void *arg) { init_main(arg); }

/* Clone the init in one step (straight into `cgroup_fd` on v2); -1 with
 * errno when the kernel will not (no clone3: valgrind, a seccomp profile),
 * and the caller takes the usual path. */
static pid_t clone_one_step(struct init_config *c, int cgroup_fd,
                            int *pidfd) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  char *map = mmap(NULL, page + ONE_STEP_STACK, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED)
    return -1;
  pid_t pid = -1;
  if (mprotect(map + page, ONE_STEP_STACK, PROT_READ | PROT_WRITE) == 0) {
    struct clone_args args = {
        .flags = c->ns->clone_flags | CLONE_PIDFD | CLONE_VM | CLONE_VFORK,
        .pidfd = (uint64_t)(uintptr_t)pidfd,
        .exit_signal = SIGCHLD,
        .stack = (uint64_t)(uintptr_t)(map + page),
        .stack_size = ONE_STEP_STACK,
    };
    if (cgroup_fd >= 0) {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t)cgroup_fd;
    }
    /* No signal may run a handler of ours on the init's stack before it
     * sets its own mask (it has none it takes over, but the mask is all
     * it inherits). */
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    pid = clone3_on_stack(&args, one_step_main, c);
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
  }
  int e = errno;
  munmap(map, page + ONE_STEP_STACK);
  errno = e;
  return pid;
}
#endif

/* One step, after the clone: the init has exec'd, or exited having sent
 * SYNC_ERROR.  Its end of the socket closes either way (close on exec),
 * a moment after we wake. */
static int one_step_result(int sync_fd, struct oci_state *state,
                           struct spawn_result *r, husk_error **err) {
  ssize_t size;
  do
    size = recv(sync_fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
  while (size < 0 && errno == EINTR);
  if (size != 0)
    return sync_expect(sync_fd, SYNC_ERROR, NULL, err) < 0
               ? -1
               : husk_error_set(err, 0, "container init failed");
  r->started = true;
  state->pid = r->pid;
  state->pid_present = true;
  /* The process may have run and exited already: a zombie has its start
   * time too. */
  bool zombie;
  if (proc_stat_start(r->pid, &r->start_time, &zombie) < 0)
    return husk_error_set(err, errno, "read /proc/%d/stat", (int)r->pid);
  return 0;
}

/* Put `pid` in the container's cgroup.  With --systemd-cgroup the cgroup
 * is the unit's, which systemd makes only now that there is a pid to put
 * in it; cgroupfs then adds the v1 hierarchies systemd does not manage
 * (a no-op on v2). */
static int join_cgroup(struct init_config *c, const struct cgroup_paths *cg,
                       pid_t pid, bool in_cgroup, husk_error **err) {
  if (in_cgroup)
    return 0; /* cloned into it */
  if (cg->path == NULL && c->systemd_unit == NULL)
    return 0; /* rootless, no cgroup delegated (container.c) */
  if (c->systemd_unit) {
    cleanup_free char *actual = NULL;
    if (systemd_cgroup_start(c->systemd_unit, pid, c->spec, &actual, err) < 0)
      return -1;
    /* state.json named the path before the unit existed. */
    if (strcmp(actual, cg->path) != 0)
      return husk_error_set(err, 0, "systemd put unit %s in %s, not %s",
                            c->systemd_unit->name, actual, cg->path);
    if (cgroup_create(cg, err) < 0)
      return -1;
    /* systemd set what it knows; every resource goes through the cgroup
     * files too, as without systemd (these agree with systemd's values,
     * and the others systemd has no property for), before the init goes
     * on. */
    const struct oci_linux_resources *r =
        c->spec->linux ? c->spec->linux->resources : NULL;
    if (geteuid() != 0) {
      /* A user's manager: the limits only, as rootless.c applies them in a
       * delegated cgroup (device filters need CAP_SYS_ADMIN on the host,
       * and a user namespace cannot make device nodes anyway). */
      struct oci_linux_resources limits = {0};
      if (r)
        limits = *r;
      limits.devices = NULL;
      limits.devices_len = 0;
      if (cgroup_apply(cg, &limits, true, err) < 0)
        return -1;
    } else if (cgroup_apply(cg, r, false, err) < 0) {
      return -1;
    }
  }
  if (c->memory_cgroup_fd >= 0)
    return cgroup_enter_but_v1_memory(cg, pid, err);
  return cgroup_enter(cg, pid, err);
}

/* The slow path's exchange: id maps on request, then the init's pid. */
static int slow_path(struct init_config *c, const struct cgroup_paths *cg,
                     const struct oci_linux *l, bool in_cgroup, pid_t *pid,
                     int *pidfd, husk_error **err) {
  if (sync_expect(c->sync_fd, SYNC_USERNS, NULL, err) < 0)
    return -1;
  /* Before the init forks: its child must start in the cgroup. */
  if (join_cgroup(c, cg, *pid, in_cgroup, err) < 0)
    return -1;
  if (c->ns->new_user && ns_write_id_maps(*pid, l, err) < 0)
    return -1;
  if (sync_send(c->sync_fd, SYNC_USERNS_DONE, NULL, 0, err) < 0)
    return -1;
  cleanup_free char *text = NULL;
  if (sync_expect(c->sync_fd, SYNC_PID, &text, err) < 0)
    return -1;
  int init = atoi(text);
  if (init <= 0)
    return 0;
  /* The first child forked the init into its pid namespace and exits. */
  int status;
  while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
    ;
  close(*pidfd);
  *pid = init;
  *pidfd = sys_pidfd_open(init, 0);
  if (*pidfd < 0)
    return husk_error_set(err, errno, "pidfd_open init %d", init);
  return 0;
}

static int run_runtime_hooks(const struct oci_spec *s, const char *json,
                             husk_error **err) {
  if (s->hooks == NULL)
    return 0;
  if (hooks_run("prestart", s->hooks->prestart, s->hooks->prestart_len, json,
                err) < 0)
    return -1;
  return hooks_run("createRuntime", s->hooks->create_runtime,
                   s->hooks->create_runtime_len, json, err);
}

static int converse(struct init_config *c, const struct cgroup_paths *cg,
                    bool in_cgroup, struct oci_state *state,
                    struct spawn_result *r, husk_error **err) {
  const struct oci_linux *l = c->spec->linux;
  if (c->ns->slow) {
    if (slow_path(c, cg, l, in_cgroup, &r->pid, &r->pidfd, err) < 0)
      return -1;
  } else {
    if (c->ns->new_user && ns_write_id_maps(r->pid, l, err) < 0)
      return -1;
    if (join_cgroup(c, cg, r->pid, in_cgroup, err) < 0)
      return -1;
  }
  husk_log_phase("spawn: init in its cgroup, id maps written");
  /* The init cannot reopen its own /proc files for writing once in its
   * user namespace: an unprivileged runtime writes for it. */
  if (c->dumpable_until_go &&
      rootless_oom_score_adj(r->pid, c->spec->process, err) < 0)
    return -1;
  cleanup_free char *json = state_json(state, r->pid, err);
  if (json == NULL)
    return -1;
  if (sync_send(c->sync_fd, SYNC_GO, json, strlen(json), err) < 0)
    return -1;
  uint32_t type;
  for (;;) {
    cleanup_free char *payload = NULL;
    if (sync_recv(c->sync_fd, &type, &payload, err) < 0)
      return -1;
    if (type == SYNC_ERROR)
      return husk_error_take(err, 0, steal_pointer(&payload));
    if (type == SYNC_READY) {
      husk_log_phase("spawn: the init set up the container");
      break;
    }
    if (type != SYNC_HOOKS)
      return husk_error_set(err, 0, "sync: unexpected message %u", type);
    if (run_runtime_hooks(c->spec, json, err) < 0)
      return -1;
    if (sync_send(c->sync_fd, SYNC_HOOKS_DONE, NULL, 0, err) < 0)
      return -1;
  }
  bool zombie;
  if (proc_stat_start(r->pid, &r->start_time, &zombie) < 0 || zombie)
    return husk_error_set(err, 0, "container init exited unexpectedly");
  return 0;
}

static void kill_init(struct spawn_result *r) {
  if (r->pidfd >= 0)
    sys_pidfd_send_signal(r->pidfd, SIGKILL);
  /* Only our own child can be reaped; a forked init goes to the reaper. */
  while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
    ;
  if (r->pidfd >= 0) {
    struct pollfd p = {.fd = r->pidfd, .events = POLLIN};
    (void)poll(&p, 1, 5000);
    close(r->pidfd);
    r->pidfd = -1;
  }
}

int spawn_init(struct init_config *c, const struct cgroup_paths *cg,
               struct oci_state *state, struct spawn_result *r,
               husk_error **err) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return husk_error_set(err, errno, "socketpair");
  /* cgroup v2: the init is born in its cgroup (systemd makes the unit's
   * only once there is a pid).  Elsewhere the runtime moves it. */
  cleanup_close int cgroup_fd = -1;
  if (c->systemd_unit == NULL && cg->path) {
    husk_error *ignored = NULL;
    cgroup_fd = cgroup_open_v2_dir(cg, &ignored);
    husk_error_free(ignored);
  }
  /* cgroup v1: the init joins its memory cgroup itself, once the container
   * is built (init.c), so that what the kernel allocates to build it (the
   * namespaces, mounts, the init's copies of our pages) is charged to the
   * runtime, as crun's namespaces are, and the container's memory limit is
   * left to its processes.  (On v2 the init is born in its cgroup.) */
  r->pidfd = -1;
  r->pid = -1;
  r->sync_fd = -1;
  r->started = false;
  cleanup_close int memory_fd = -1;
  c->memory_cgroup_fd = -1;
  c->memory_cgroup = NULL;
  if (cgroup_fd < 0 && c->systemd_unit == NULL && cg->path &&
      cgroup_open_v1_memory(cg, &memory_fd, &c->memory_cgroup, err) < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  c->memory_cgroup_fd = memory_fd;
  /* One step: the init joins the rest itself too, unless born in it. */
  struct cgroup_procs *procs = NULL;
  size_t nprocs = 0;
#ifndef HAVE_ONE_STEP
  c->one_step = false;
#endif
  if (c->one_step && cgroup_fd < 0 && cg->path &&
      cgroup_open_procs_but_v1_memory(cg, &procs, &nprocs, err) < 0) {
    close(sv[0]);
    close(sv[1]);
    return -1;
  }
  c->cgroup_procs = procs;
  c->cgroup_procs_len = nprocs;
  bool in_cgroup = false;
  struct saved_ns saved;
  save_ns(c->ns, &saved);
  int ret = ns_prepare_runtime(c->ns, c->spec->linux, err);
  if (ret == 0) {
    c->sync_fd = sv[1];
    c->runtime_sync_fd = sv[0];
    c->runtime_pid = getpid();
#ifdef HAVE_ONE_STEP
    if (c->one_step && (r->pid = clone_one_step(c, cgroup_fd, &r->pidfd)) < 0)
      c->one_step = false; /* the usual path says why, if it fails too */
#endif
    if (!c->one_step)
      r->pid = clone_init(c, cgroup_fd, &in_cgroup, &r->pidfd, err);
    ret = r->pid < 0 ? -1 : 0;
  }
  restore_ns(&saved);
  cgroup_procs_close(procs, nprocs);
  c->cgroup_procs = NULL;
  c->cgroup_procs_len = 0;
  husk_log_phase(c->one_step ? "spawn: init cloned, created and started in "
                               "one step"
                             : "spawn: init cloned");
  close(sv[1]);
  c->sync_fd = sv[0];
  c->runtime_sync_fd = -1;
  if (ret == 0)
    ret = c->one_step ? one_step_result(sv[0], state, r, err)
                      : converse(c, cg, in_cgroup, state, r, err);
  if (ret == 0 && c->start_by_sync && !c->one_step)
    r->sync_fd = sv[0];
  else
    close(sv[0]);
  c->sync_fd = -1;
  c->memory_cgroup_fd = -1; /* the init's; ours closes on return */
  if (ret < 0 && r->pid > 0)
    kill_init(r);
  return ret;
}
