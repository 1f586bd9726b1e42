/* The lifecycle: create, start, state, kill, delete, list.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * status says where a container is: "creating" (state.json without a pid:
 * a create in progress, or one whose runtime was killed), "created" (init
 * alive, exec.fifo present), "running", "paused", "stopped".
 */
#include "config.h"

#include "container.h"

#include "caps.h"
#include "exec.h"
#include "cgroup.h"
#include "cgroup-systemd.h"
#include "cleanup.h"
#include "hooks.h"
#include "linux-syscalls.h"
#include "log.h"
#include "lsm.h"
#include "mounts.h"
#include "rootfs.h"
#include "rootless.h"
#include "seccomp.h"
#include "spawn.h"
#include "status.h"
#include "sync.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OCI_VERSION "1.3.0"

/* A container being created: what create has made so far, undone in
 * reverse when a later step fails. */
struct creation {
  int rootfd, dirfd, fifo_dirfd, console;
  const char *id;
  bool made_dir, made_cgroup;
  char *cgroup_path;
  oci_kv *cgroup_per; /* cgroup_resolve()'s, until the state has it */
  size_t cgroup_per_len;
  struct systemd_unit unit; /* --systemd-cgroup; name NULL otherwise */
  struct spawn_result init;
  struct oci_state *state;
  struct cgroup_v1_dir *cgroup_v1; /* for the init's cgroup mount */
  size_t cgroup_v1_len;
};

static int read_all(int fd, char **out, size_t *len) {
  struct stat st;
  if (fstat(fd, &st) < 0)
    return -1;
  size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
  char *buf = malloc(cap);
  if (buf == NULL)
    return -1;
  for (;;) {
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap *= 2);
      if (nb == NULL) {
        free(buf);
        return -1;
      }
      buf = nb;
    }
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      free(buf);
      return -1;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

/* --- create -------------------------------------------------------------- */

static int load_config(const char *bundle, char **text, size_t *len,
                       struct oci_spec **spec, husk_error **err) {
  char path[PATH_MAX + sizeof("/config.json")];
  snprintf(path, sizeof(path), "%s/config.json", bundle);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open %s", path);
  if (read_all(fd, text, len) < 0)
    return husk_error_set(err, errno, "read %s", path);
  char *msg = NULL;
  if (oci_spec_parse(*text, *len, spec, &msg) < 0) {
    husk_error_take(err, 0, msg);
    return husk_error_prefix(err, "config.json");
  }
  return 0;
}

static bool has_new_ns(const struct oci_spec *s, const char *type) {
  if (s->linux == NULL)
    return false;
  for (size_t i = 0; i < s->linux->namespaces_len; i++)
    if (strcmp(s->linux->namespaces[i].type, type) == 0 &&
        s->linux->namespaces[i].path == NULL)
      return true;
  return false;
}

static bool has_ns(const struct oci_spec *s, const char *type) {
  if (s->linux == NULL)
    return false;
  for (size_t i = 0; i < s->linux->namespaces_len; i++)
    if (strcmp(s->linux->namespaces[i].type, type) == 0)
      return true;
  return false;
}

/* What can be refused before anything exists. */
static int check_config(const struct container_opts *o,
                        const struct oci_spec *s, struct caps_sets *caps,
                        husk_error **err) {
  const struct oci_process *p = s->process;
  if (!has_ns(s, "mount"))
    return husk_error_set(err, 0,
                          "config.json: linux.namespaces: a mount namespace is "
                          "required");
  if ((s->hostname || s->domainname) && !has_new_ns(s, "uts"))
    return husk_error_set(err, 0,
                          "config.json: %s: setting it needs a new uts namespace",
                          s->hostname ? "hostname" : "domainname");
  if (p) {
    if (caps_parse(p->capabilities, caps, err) < 0)
      return husk_error_prefix(err, "config.json");
    if (p->terminal && o->console_socket == NULL && o->detach)
      return husk_error_set(err, 0,
                            "process.terminal needs --console-socket when the "
                            "container is detached");
  }
  if (o->console_socket && !(p && p->terminal))
    return husk_error_set(err, 0,
                          "--console-socket needs process.terminal to be true");
  if (rootfs_check_sysctl(s, err) < 0 || lsm_check_spec(s, err) < 0)
    return husk_error_prefix(err, "config.json");
  return 0;
}

/* The UTC calendar date of a day count since 1970-01-01 (the proleptic
 * Gregorian calendar, in 400-year eras). */
static void civil_from_days(long long days, int *y, int *m, int *d) {
  days += 719468;
  long long era = (days >= 0 ? days : days - 146096) / 146097;
  long long doe = days - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* By hand, not gmtime_r and strftime: glibc reads /etc/localtime the
 * first time either runs, for a UTC time that needs no zone. */
static char *rfc3339_now(void) {
  struct timespec ts;
  char buf[64];
  clock_gettime(CLOCK_REALTIME, &ts);
  long long secs = (long long)ts.tv_sec;
  long long days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  long long rem = secs - days * 86400;
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", y, m, d,
           (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60),
           ts.tv_nsec);
  return strdup(buf);
}

static int fill_state(struct oci_state *st, const struct container_opts *o,
                      const char *bundle, const char *rootfs,
                      const struct oci_spec *s, const char *cgroup_path) {
  st->oci_version = strdup(OCI_VERSION);
  st->id = strdup(o->id);
  st->status = strdup("creating");
  st->bundle = strdup(bundle);
  st->rootfs = strdup(rootfs);
  st->created = rfc3339_now();
  st->owner = strdup("");
  st->cgroup_path = strdup(cgroup_path);
  st->systemd_cgroup = st->systemd_cgroup_present = o->systemd_cgroup;
  st->rootless = o->rootless;
  st->rootless_present = true;
  st->no_process = s->process == NULL;
  st->no_process_present = st->no_process;
  /* start and delete read the stored config only for these hooks. */
  st->no_hooks = s->hooks == NULL || (s->hooks->poststart_len == 0 &&
                                      s->hooks->poststop_len == 0);
  st->no_hooks_present = st->no_hooks;
  if (s->annotations_len) {
    st->annotations = calloc(s->annotations_len, sizeof(oci_kv));
    if (st->annotations == NULL)
      return -1;
    for (size_t i = 0; i < s->annotations_len; i++) {
      st->annotations[i].key = strdup(s->annotations[i].key);
      st->annotations[i].value = strdup(s->annotations[i].value);
      if (!st->annotations[i].key || !st->annotations[i].value)
        return -1;
      st->annotations_len++;
    }
  }
  return st->oci_version && st->id && st->status && st->bundle && st->rootfs &&
                 st->created && st->owner && st->cgroup_path
             ? 0
             : -1;
}

int write_pid_file(const char *path, pid_t pid, husk_error **err) {
  char tmp[PATH_MAX], num[16];
  int n = snprintf(tmp, sizeof(tmp), "%s.husk-tmp", path);
  if (n < 0 || (size_t)n >= sizeof(tmp))
    return husk_error_set(err, ENAMETOOLONG, "--pid-file %s", path);
  int len = snprintf(num, sizeof(num), "%d", (int)pid);
  cleanup_close int fd =
      open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0 || write(fd, num, (size_t)len) != len)
    return husk_error_set(err, errno, "--pid-file %s", path);
  if (rename(tmp, path) < 0) {
    int e = errno;
    unlink(tmp);
    return husk_error_set(err, e, "--pid-file %s", path);
  }
  return 0;
}

/* $LISTEN_FDS (socket activation) adds to --preserve-fds, and the process
 * learns of them as the first and only process of its namespace. */
static int socket_activation(struct oci_spec *s, int *preserve_fds) {
  const char *v = getenv("LISTEN_FDS");
  if (v == NULL || s->process == NULL)
    return 0;
  int n = atoi(v);
  if (n <= 0)
    return 0;
  *preserve_fds += n;
  struct oci_process *p = s->process;
  char **env = realloc(p->env, (p->env_len + 2) * sizeof(char *));
  if (env == NULL)
    return -1;
  p->env = env;
  if (asprintf(&env[p->env_len], "LISTEN_FDS=%d", n) < 0)
    return -1;
  p->env_len++;
  if ((env[p->env_len] = strdup("LISTEN_PID=1")) == NULL)
    return -1;
  p->env_len++;
  return 0;
}

/* The host id that id 0 of the container maps to (itself without a map). */
static unsigned root_host_id(const struct oci_linux_id_mapping *m, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (m[i].container_id == 0)
      return m[i].host_id;
  return 0;
}

/* exec.fifo, opened for writing by the init as the root of its user
 * namespace: it must be that root's (0622, as runc). */
static int make_fifo(int dirfd, const struct oci_spec *s, husk_error **err) {
  if (mkfifoat(dirfd, STATUS_FIFO, 0622) < 0 ||
      fchmodat(dirfd, STATUS_FIFO, 0622, 0) < 0)
    return husk_error_set(err, errno, "make %s", STATUS_FIFO);
  const struct oci_linux *l = s->linux;
  /* An unprivileged runtime cannot give it away (0622 lets the init open
   * it whoever it is). */
  if (l && has_new_ns(s, "user") && geteuid() == 0) {
    unsigned uid = root_host_id(l->uid_mappings, l->uid_mappings_len);
    unsigned gid = root_host_id(l->gid_mappings, l->gid_mappings_len);
    if (fchownat(dirfd, STATUS_FIFO, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
      return husk_error_set(err, errno, "chown %s", STATUS_FIFO);
  }
  return 0;
}

static int destroy(int rootfd, const char *id, struct oci_state *st, int pidfd,
                   const struct oci_spec *spec, husk_error **err);

/* Undo a create that failed.  Once the init existed, the container did:
 * then the lifecycle goes on at destroy and poststop (runtime.md, a failed
 * prestart, createRuntime or createContainer hook). */
static void undo_creation(struct creation *c, const struct oci_spec *spec) {
  husk_error *ignored = NULL;
  if (c->made_dir && c->state && c->init.pid > 0) {
    destroy(c->rootfd, c->id, c->state, c->init.pidfd, spec, &ignored);
  } else {
    if (c->made_cgroup && c->unit.name)
      systemd_cgroup_stop(&c->unit, &ignored);
    husk_error_freep(&ignored);
    if (c->made_cgroup) {
      struct cgroup_paths cg = cgroup_paths_of(c->state);
      cgroup_destroy(&cg, &ignored);
    }
    husk_error_freep(&ignored);
    if (c->made_dir)
      status_remove(c->rootfd, c->id, &ignored);
  }
  husk_error_free(ignored);
}

static void free_creation(struct creation *c) {
  if (c->init.pidfd >= 0)
    close(c->init.pidfd);
  if (c->init.sync_fd >= 0)
    close(c->init.sync_fd);
  int fds[] = {c->rootfd, c->dirfd, c->fifo_dirfd, c->console};
  for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
    if (fds[i] >= 0)
      close(fds[i]);
  free(c->cgroup_path);
  for (size_t i = 0; i < c->cgroup_per_len; i++) {
    free(c->cgroup_per[i].key);
    free(c->cgroup_per[i].value);
  }
  free(c->cgroup_per);
  cgroup_v1_dirs_free(c->cgroup_v1, c->cgroup_v1_len);
  systemd_unit_clear(&c->unit);
  oci_state_free(c->state);
}

/* `run` can clone, create and start the init in one step (spawn.c) when
 * nothing needs the runtime in between: no hook before poststart, no
 * terminal, no user namespace to map, no seccomp listener, no systemd
 * unit to start with the pid, and the runtime is root. */
static bool one_step_possible(const struct container_opts *o,
                              const struct oci_spec *s,
                              const struct ns_plan *ns, int console,
                              const struct seccomp_setup *seccomp) {
  const struct oci_hooks *h = s->hooks;
  return s->process && console < 0 && !o->systemd_cgroup &&
         geteuid() == 0 && !ns->slow && !ns->new_user &&
         seccomp->listener_fd < 0 &&
         !(h && (h->prestart_len || h->create_runtime_len ||
                 h->create_container_len || h->start_container_len));
}

static bool has_cgroup_mount(const struct oci_spec *s) {
  for (size_t i = 0; i < s->mounts_len; i++)
    if (s->mounts[i].type && strcmp(s->mounts[i].type, "cgroup") == 0)
      return true;
  return false;
}

/* Create; on success the init waits on exec.fifo.  With `keep`, the
 * container stays open and locked in it, and *hooks_spec receives the
 * config when start or delete has hooks to run from it (else NULL). */
int container_create_spawned(const struct container_opts *o, int console_sock,
                             struct container_handle *keep,
                             struct oci_spec **hooks_spec, husk_error **err) {
  /* Owns console_sock from here on, whatever happens. */
  struct creation c = {.rootfd = -1, .dirfd = -1, .fifo_dirfd = -1,
                       .console = console_sock,
                       .init = {.pidfd = -1, .sync_fd = -1},
                       .id = o->id};
  char bundle[PATH_MAX], rootfs[PATH_MAX];
  cleanup_free char *text = NULL;
  size_t text_len = 0;
  struct oci_spec *spec = NULL;
  struct caps_sets caps;
  struct ns_plan ns = {.pid_join_fd = -1};
  int preserve_fds = o->preserve_fds;
  int *idmapped = NULL;
  struct seccomp_setup seccomp = SECCOMP_SETUP_INIT;
  cleanup_close int lsm_proc_fd = -1;
  int ret = -1;

  if (status_validate_id(o->id, err) < 0)
    goto out;
  if (realpath(o->bundle ? o->bundle : ".", bundle) == NULL) {
    husk_error_set(err, errno, "bundle %s", o->bundle ? o->bundle : ".");
    goto out;
  }
  if (load_config(bundle, &text, &text_len, &spec, err) < 0)
    goto out;
  /* --pid-file is relative to where we were called from. */
  char pid_file[PATH_MAX] = "";
  if (o->pid_file) {
    char cwd[PATH_MAX / 2];
    int n = o->pid_file[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL
                ? snprintf(pid_file, sizeof(pid_file), "%s", o->pid_file)
                : snprintf(pid_file, sizeof(pid_file), "%s/%s", cwd, o->pid_file);
    if (n < 0 || (size_t)n >= sizeof(pid_file)) {
      husk_error_set(err, ENAMETOOLONG, "--pid-file");
      goto out;
    }
  }
  if (check_config(o, spec, &caps, err) < 0)
    goto out;
  if (geteuid() != 0 && rootless_check(spec, err) < 0) {
    husk_error_prefix(err, "config.json");
    goto out;
  }
  bool abs = spec->root->path[0] == '/';
  int n = snprintf(rootfs, sizeof(rootfs), "%s%s%s", abs ? "" : bundle,
                   abs ? "" : "/", spec->root->path);
  if (n < 0 || (size_t)n >= sizeof(rootfs)) {
    husk_error_set(err, ENAMETOOLONG, "config.json: root.path");
    goto out;
  }
  struct stat st;
  if (stat(rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
    husk_error_set(err, errno ? errno : ENOTDIR, "config.json: root.path %s",
                   rootfs);
    goto out;
  }
  if (socket_activation(spec, &preserve_fds) < 0) {
    husk_error_set(err, ENOMEM, "LISTEN_FDS");
    goto out;
  }
  if (ns_plan_build(spec->linux, &ns, err) < 0) {
    husk_error_prefix(err, "config.json");
    goto out;
  }
  if (o->systemd_cgroup) {
    if (systemd_cgroup_parse(spec->linux ? spec->linux->cgroups_path : NULL,
                             o->id, &c.unit, err) < 0 ||
        systemd_cgroup_check(spec, err) < 0 ||
        systemd_cgroup_expected_path(&c.unit, &c.cgroup_path, err) < 0)
      goto out;
  } else if (cgroup_resolve(spec, o->id, &c.cgroup_path, &c.cgroup_per,
                            &c.cgroup_per_len, err) < 0) {
    goto out;
  }
  /* run's own console socket is only for a terminal. */
  if (c.console >= 0 && !(spec->process && spec->process->terminal)) {
    close(c.console);
    c.console = -1;
  }
  if (o->console_socket && c.console < 0 &&
      (c.console = terminal_connect(o->console_socket, err)) < 0)
    goto out;

  husk_log_phase("create: config read and checked");
  if (status_open_root(o->root, true, &c.rootfd, err) < 0)
    goto out;
  /* seccomp: compiled (or taken from the cache in the root) and the
   * listener connected before the container exists, so that a bad profile
   * leaves nothing behind and the init only loads it. */
  if (spec->linux && spec->linux->seccomp &&
      seccomp_prepare(spec->linux->seccomp, c.rootfd, &seccomp, err) < 0) {
    husk_error_prefix(err, "config.json");
    goto out;
  }
  /* The init writes its labels through this (lsm.h), opened while our
   * mount namespace is the host's. */
  if (lsm_process_labelled(spec->process) &&
      (lsm_proc_fd = lsm_proc_open(err)) < 0)
    goto out;
  husk_log_phase("create: seccomp prepared");
  if (status_create(c.rootfd, o->id, &c.dirfd, err) < 0)
    goto out;
  c.made_dir = true;
  c.state = calloc(1, sizeof(*c.state));
  if (c.state == NULL ||
      fill_state(c.state, o, bundle, rootfs, spec, c.cgroup_path) < 0) {
    husk_error_set(err, ENOMEM, "container state");
    goto fail;
  }
  c.state->cgroup_paths = c.cgroup_per;
  c.state->cgroup_paths_len = c.cgroup_per_len;
  c.cgroup_per = NULL;
  c.cgroup_per_len = 0;
  struct cgroup_paths cg = cgroup_paths_of(c.state);
  /* Written before anything else exists, so that `delete --force` can undo
   * a create whose runtime was killed: the config copy carries the state
   * so far (status.h), and state.json is written once, when complete. */
  bool state_written = false;
  if (status_write_config(c.dirfd, c.state, text, text_len, err) < 0)
    goto fail;
  husk_log_phase("create: state directory written");
  if (o->rootless && geteuid() != 0 && !o->systemd_cgroup) {
    /* A cgroup only where the user was delegated one; without, the state
     * names none and the container goes without. */
    if (rootless_cgroup_setup(&cg, spec, &c.made_cgroup, err) < 0) {
      husk_error_prefix(err, "config.json");
      goto fail;
    }
    if (!c.made_cgroup) {
      free(c.state->cgroup_path);
      c.state->cgroup_path = NULL;
      for (size_t i = 0; i < c.state->cgroup_paths_len; i++) {
        free(c.state->cgroup_paths[i].key);
        free(c.state->cgroup_paths[i].value);
      }
      free(c.state->cgroup_paths);
      c.state->cgroup_paths = NULL;
      c.state->cgroup_paths_len = 0;
      free(c.cgroup_path);
      c.cgroup_path = NULL;
      cg = cgroup_paths_of(c.state);
      /* The copy's state names the cgroup we did not make. */
      if (status_write_first(c.dirfd, c.state, err) < 0)
        goto fail;
      state_written = true;
    }
  } else {
    c.made_cgroup = true;
    /* systemd makes the unit's cgroup once the init exists (spawn.c). */
    if (!o->systemd_cgroup && cgroup_create(&cg, err) < 0)
      goto fail;
    /* Limits in place before the init joins; with no linux.resources
     * still the device rules every container gets (as runc). */
    if (!o->systemd_cgroup &&
        cgroup_apply(&cg, spec->linux ? spec->linux->resources : NULL, false,
                     err) < 0)
      goto fail;
  }
  husk_log_phase("create: cgroup made, resources applied");
  /* `run` (keep) starts the init over the sync socket instead. */
  if (spec->process && keep == NULL && make_fifo(c.dirfd, spec, err) < 0)
    goto fail;
  c.fifo_dirfd = openat(c.dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (c.fifo_dirfd < 0) {
    husk_error_set(err, errno, "open state directory");
    goto fail;
  }

  /* Relative mount sources are relative to the bundle (runc's rule). */
  if (chdir(bundle) < 0) {
    husk_error_set(err, errno, "chdir %s", bundle);
    goto fail;
  }
  /* Idmapped trees are made here, in the host's user namespace. */
  struct rootfs_opts ro = {.spec = spec, .rootfs = rootfs};
  if (mounts_prepare_idmapped(&ro, &idmapped, err) < 0) {
    husk_error_prefix(err, "config.json");
    goto fail;
  }
  struct init_config ic = {
      .spec = spec,
      .id = o->id,
      .rootfs = rootfs,
      .ns = &ns,
      .caps = caps,
      .runtime_sync_fd = -1, /* spawn_init() sets it */
      .state_dirfd = c.fifo_dirfd,
      .lock_fd = c.dirfd,
      .console_sock = c.console,
      .preserve_fds = preserve_fds,
      .no_pivot = o->no_pivot,
      .no_new_keyring = o->no_new_keyring,
      .idmapped_trees = idmapped,
      .systemd_unit = o->systemd_cgroup ? &c.unit : NULL,
      .dumpable_until_go = geteuid() != 0,
      .seccomp = spec->linux && spec->linux->seccomp ? &seccomp : NULL,
      .lsm_proc_fd = lsm_proc_fd,
      .runtime_hooks = spec->hooks && (spec->hooks->prestart_len ||
                                       spec->hooks->create_runtime_len),
      .start_by_sync = keep != NULL,
      .one_step = keep != NULL &&
                  one_step_possible(o, spec, &ns, c.console, &seccomp),
  };
  /* A cgroup mount without a cgroup namespace binds the container's v1
   * cgroups from what is known here (mount-cgroup.c). */
  if (cg.path && !ns.new_cgroup && has_cgroup_mount(spec)) {
    if (cgroup_v1_dirs(&cg, &c.cgroup_v1, &c.cgroup_v1_len, err) < 0)
      goto fail;
    ic.cgroup_v1 = c.cgroup_v1;
    ic.cgroup_v1_len = c.cgroup_v1_len;
  }
  free(c.state->status);
  c.state->status = strdup("created");
  husk_log_phase("create: idmapped mounts prepared");
  if (spawn_init(&ic, &cg, c.state, &c.init, err) < 0)
    goto fail;
  c.state->pid_start_time = c.init.start_time;
  c.state->pid_start_time_present = true;
  if ((state_written ? status_write(c.dirfd, c.state, err)
                     : status_write_first(c.dirfd, c.state, err)) < 0)
    goto fail;
  if (pid_file[0] && write_pid_file(pid_file, c.init.pid, err) < 0)
    goto fail;
  if (o->pidfd_socket && pidfd_socket_send(o->pidfd_socket, c.init.pidfd,
                                           err) < 0)
    goto fail;
  if (keep) {
    *keep = (struct container_handle){.rootfd = steal_fd(&c.rootfd),
                                      .dirfd = steal_fd(&c.dirfd),
                                      .pidfd = steal_fd(&c.init.pidfd),
                                      .sync_fd = steal_fd(&c.init.sync_fd),
                                      .started = c.init.started,
                                      .state = steal_pointer(&c.state)};
    if (hooks_spec && !keep->state->no_hooks)
      *hooks_spec = steal_pointer(&spec);
  }
  husk_log_phase("create: state written");
  ret = 0;
  goto out;
fail:
  undo_creation(&c, spec);
out:
  if (spec)
    mounts_free_idmapped(idmapped, spec->mounts_len);
  ns_plan_close(&ns);
  seccomp_setup_clear(&seccomp);
  free_creation(&c);
  oci_spec_free(spec);
  return ret;
}

int container_create(const struct container_opts *o, husk_error **err) {
  return container_create_spawned(o, -1, NULL, NULL, err);
}

/* --- opening an existing container --------------------------------------- */

void container_close(struct container_handle *c) {
  if (c->sync_fd >= 0)
    close(c->sync_fd);
  if (c->pidfd >= 0)
    close(c->pidfd);
  if (c->dirfd >= 0)
    close(c->dirfd);
  if (c->rootfd >= 0)
    close(c->rootfd);
  oci_state_free(c->state);
  c->state = NULL;
  c->pidfd = c->dirfd = c->rootfd = c->sync_fd = -1;
}

int container_open(const char *root, const char *id, bool exclusive,
                   bool want_pidfd, struct container_handle *c,
                   husk_error **err) {
  *c = (struct container_handle){
      .rootfd = -1, .dirfd = -1, .pidfd = -1, .sync_fd = -1};
  if (status_validate_id(id, err) < 0)
    return -1;
  if (status_open_root(root, false, &c->rootfd, err) < 0) {
    husk_error_free(*err);
    *err = NULL;
    return husk_error_set(err, 0, "container \"%s\" does not exist", id);
  }
  if (status_open(c->rootfd, id, exclusive, &c->dirfd, err) < 0)
    return -1;
  if (status_read(c->dirfd, id, &c->state, err) < 0)
    return -1;
  return status_refresh(c->dirfd, c->state, want_pidfd ? &c->pidfd : NULL, err);
}

static char *public_state(const struct oci_state *st, unsigned flags,
                          husk_error **err) {
  char *json = NULL, *msg = NULL;
  if (oci_state_generate(st, flags, &json, NULL, &msg) < 0)
    husk_error_take(err, 0, msg);
  return json;
}

/* Hooks of the config as it was at create time (runtime.md: later changes
 * to config.json do not affect the container). */
struct oci_spec *container_stored_config(int dirfd, husk_error **err) {
  cleanup_free char *text = NULL;
  size_t len;
  char *msg = NULL;
  struct oci_spec *s = NULL;
  if (status_read_file(dirfd, STATUS_CONFIG, &text, &len) < 0) {
    husk_error_set(err, errno, "open %s", STATUS_CONFIG);
    husk_error_prefix(err, "stored config");
    return NULL;
  }
  if (oci_spec_parse(text, len, &s, &msg) < 0) {
    husk_error_take(err, 0, msg);
    husk_error_prefix(err, "stored config");
    return NULL;
  }
  return s;
}

/* --- start ---------------------------------------------------------------- */

/* Start the init: open the fifo, or (run) send SYNC_START; then wait until
 * it has exec'd (its end closes on execve) or failed (it writes why, then
 * exits). */
static int wait_exec(const struct container_handle *c, husk_error **err) {
  int pidfd = c->pidfd;
  cleanup_close int fifo = -1;
  if (c->sync_fd >= 0) {
    if (sync_send(c->sync_fd, SYNC_START, NULL, 0, err) < 0)
      return -1;
  } else {
    fifo = openat(c->dirfd, STATUS_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fifo < 0)
      return husk_error_set(err, errno, "open %s", STATUS_FIFO);
  }
  int fd = fifo >= 0 ? fifo : c->sync_fd;
  char msg[4096];
  size_t n = 0;
  for (;;) {
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
                          {.fd = pidfd, .events = POLLIN}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      return husk_error_set(err, errno, "wait for the init to start");
    }
    if (p[0].revents & (POLLIN | POLLHUP)) {
      ssize_t r = read(fd, msg + n, sizeof(msg) - 1 - n);
      if (r > 0) {
        n += (size_t)r;
        if (n < sizeof(msg) - 1)
          continue;
      }
      if (r < 0 && errno == EAGAIN)
        continue;
      break; /* end of file: the init's end is closed */
    }
    if (p[1].revents) {
      /* The init died; whatever it wrote is still there. */
      ssize_t r = read(fd, msg + n, sizeof(msg) - 1 - n);
      if (r > 0)
        n += (size_t)r;
      if (n == 0)
        return husk_error_set(err, 0, "container init exited before start");
      break;
    }
  }
  msg[n] = '\0';
  if (n > 0)
    return husk_error_set(err, 0, "%s", msg);
  return 0;
}

int container_start(const char *root, const char *id, husk_error **err) {
  struct container_handle c;
  int ret = -1;
  if (container_open(root, id, true, true, &c, err) < 0)
    goto out;
  if (strcmp(c.state->status, "created") != 0) {
    husk_error_set(err, 0, "cannot start container \"%s\": it is %s, not created",
                   id, c.state->status);
    goto out;
  }
  if (c.state->no_process) {
    husk_error_set(err, 0,
                   "cannot start container \"%s\": its config has no process",
                   id);
    goto out;
  }
  /* A state written by an older husk does not say: read the config. */
  struct oci_spec *s = NULL;
  if (!c.state->no_hooks &&
      (s = container_stored_config(c.dirfd, err)) == NULL)
    goto out;
  ret = container_start_held(&c, id, s, err);
  oci_spec_free(s);
out:
  container_close(&c);
  return ret;
}

int container_start_held(struct container_handle *c, const char *id,
                         const struct oci_spec *s, husk_error **err) {
  if (!c->started && wait_exec(c, err) < 0) {
    /* A failed startContainer hook or exec: lifecycle step 12 on. */
    husk_error *ignored = NULL;
    destroy(c->rootfd, id, c->state, c->pidfd, s, &ignored);
    husk_error_free(ignored);
    return -1;
  }
  if (c->sync_fd >= 0) {
    close(c->sync_fd);
    c->sync_fd = -1;
  } else if (!c->started) {
    unlinkat(c->dirfd, STATUS_FIFO, 0);
  }
  free(c->state->status);
  c->state->status = strdup("running");
  /* poststart: after the process started; failures are warnings. */
  if (s && s->hooks && s->hooks->poststart_len) {
    cleanup_free char *json = public_state(c->state, 0, err);
    if (json == NULL)
      return -1;
    hooks_run_warn("poststart", s->hooks->poststart, s->hooks->poststart_len,
                   json);
  }
  return 0;
}

/* --- state, kill ----------------------------------------------------------- */

int container_state(const char *root, const char *id, char **json,
                    husk_error **err) {
  struct container_handle c;
  int ret = -1;
  if (container_open(root, id, false, false, &c, err) == 0) {
    /* runc's convention: a stopped container has no pid. */
    if (strcmp(c.state->status, "stopped") == 0)
      c.state->pid = 0;
    *json = public_state(c.state, OCI_GEN_PRETTY, err);
    ret = *json ? 0 : -1;
  }
  container_close(&c);
  return ret;
}

/* Signal each of `pids` through a pidfd: a pid that exited meanwhile is
 * skipped, never a reused one signalled by number. */
static void signal_each(const pid_t *pids, size_t n, int sig) {
  for (size_t i = 0; i < n; i++) {
    int fd = sys_pidfd_open(pids[i], 0);
    if (fd < 0)
      continue;
    sys_pidfd_send_signal(fd, sig);
    close(fd);
  }
}

/* Signal every process of the cgroup. */
static int kill_cgroup(const struct cgroup_paths *cg, int sig,
                       husk_error **err) {
  cleanup_free pid_t *pids = NULL;
  size_t n;
  if (cgroup_pids(cg, &pids, &n, err) < 0)
    return -1;
  signal_each(pids, n, sig);
  return 0;
}

/* A pid recycled between the scan and pidfd_open could only be one of
 * the user's own processes: an unprivileged runtime cannot signal others. */
static int kill_ns(pid_t init, int sig, husk_error **err) {
  cleanup_free pid_t *pids = NULL;
  size_t n;
  if (rootless_ns_pids(init, &pids, &n, err) < 0)
    return -1;
  signal_each(pids, n, sig);
  return 0;
}

int container_kill(const char *root, const char *id, int sig, bool all,
                   husk_error **err) {
  struct container_handle c;
  int ret = -1;
  if (container_open(root, id, false, true, &c, err) < 0)
    goto out;
  const char *s = c.state->status;
  struct cgroup_paths cg = cgroup_paths_of(c.state);
  if (strcmp(s, "created") != 0 && strcmp(s, "running") != 0 &&
      strcmp(s, "paused") != 0) {
    husk_error_set(err, 0, "cannot kill container \"%s\": it is %s", id, s);
    goto out;
  }
  if (all && c.state->cgroup_path) {
    ret = kill_cgroup(&cg, sig, err);
    goto out;
  }
  /* Rootless without a cgroup: the processes of the init's pid namespace. */
  if (all) {
    ret = kill_ns(c.state->pid, sig, err);
    goto out;
  }
  if (sys_pidfd_send_signal(c.pidfd, sig) < 0) {
    husk_error_set(err, errno, "signal container \"%s\"", id);
    goto out;
  }
  /* As runc: SIGKILL to a paused container thaws it, or a frozen v1 task
   * would never die. */
  if (sig == SIGKILL && strcmp(s, "paused") == 0 &&
      cgroup_freeze(&cg, false, err) < 0)
    goto out;
  ret = 0;
out:
  container_close(&c);
  return ret;
}

/* --- delete ---------------------------------------------------------------- */

/* SIGKILL the init (when `pidfd` >= 0) and whatever else is in the cgroup,
 * and wait for the init to be gone. */
static int kill_all_and_wait(int pidfd, const struct cgroup_paths *cg,
                             bool maybe_frozen, const char *id,
                             husk_error **err) {
  /* A frozen v1 task ignores SIGKILL until thawed. */
  if (cg->path && maybe_frozen && cgroup_is_frozen(cg)) {
    if (kill_cgroup(cg, SIGKILL, err) < 0 ||
        cgroup_freeze(cg, false, err) < 0)
      return -1;
  }
  if (pidfd >= 0) {
    sys_pidfd_send_signal(pidfd, SIGKILL);
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    if (poll(&p, 1, 10000) <= 0)
      return husk_error_set(err, 0, "container \"%s\" did not die after SIGKILL",
                            id);
  }
  return cg->path ? kill_cgroup(cg, SIGKILL, err) : 0;
}

/* runtime.md lifecycle steps 12 and 13: destroy what create made (the
 * processes, the cgroup, the state), then run the poststop hooks, whose
 * failures are warnings.  `spec` may be NULL (no hooks known). */
static int destroy(int rootfd, const char *id, struct oci_state *st, int pidfd,
                   const struct oci_spec *spec, husk_error **err) {
  struct cgroup_paths cg = cgroup_paths_of(st);
  /* Found running or created under the lock that pause takes: the
   * freezer was read then (status_refresh), or the cgroup is new. */
  bool maybe_frozen = strcmp(st->status, "running") != 0 &&
                      strcmp(st->status, "created") != 0;
  /* With the init gone there is usually nothing left to kill (its pid
   * namespace went with it): then the cgroup goes at the first try, read
   * by nobody.  A cgroup still in use is emptied first, as ever. */
  bool gone = pidfd < 0 && !st->systemd_cgroup && st->cgroup_path &&
              cgroup_destroy_if_empty(&cg);
  if (!gone && kill_all_and_wait(pidfd, &cg, maybe_frozen, id, err) < 0)
    return -1;
  if (st->systemd_cgroup && st->cgroup_path &&
      systemd_cgroup_stop_path(st->cgroup_path, err) < 0)
    return -1;
  if (!gone && st->cgroup_path && cgroup_destroy(&cg, err) < 0)
    return -1;
  if (spec && spec->hooks && spec->hooks->poststop_len) {
    free(st->status);
    st->status = strdup("stopped");
    cleanup_free char *json = public_state(st, 0, err);
    if (json == NULL)
      return -1;
    hooks_run_warn("poststop", spec->hooks->poststop, spec->hooks->poststop_len,
                   json);
  }
  return status_remove(rootfd, id, err);
}

int container_delete(const char *root, const char *id, bool force,
                     husk_error **err) {
  struct container_handle c;
  int ret = -1;
  struct oci_spec *spec = NULL;
  if (container_open(root, id, true, true, &c, err) < 0) {
    /* runc's --force makes deleting what is gone a success, which engines
     * rely on when they clean up; the id must still be valid. */
    if (force && c.dirfd < 0 && status_validate_id(id, NULL) == 0 &&
        strstr((*err)->msg, "does not exist")) {
      husk_error_freep(err);
      ret = 0;
    }
    goto out;
  }
  if (strcmp(c.state->status, "stopped") != 0 && !force) {
    husk_error_set(err, 0, "cannot delete container \"%s\" that is not stopped: %s",
                   id, c.state->status);
    goto out;
  }
  /* A killed create (a state without a pid) whose config copy does not
   * read has no hooks to run; it must still be undone. */
  if (!c.state->no_hooks &&
      (spec = container_stored_config(c.dirfd, err)) == NULL) {
    if (c.state->pid_present)
      goto out;
    husk_error_freep(err);
  }
  ret = destroy(c.rootfd, id, c.state, c.pidfd, spec, err);
out:
  oci_spec_free(spec);
  container_close(&c);
  return ret;
}

int container_destroy_held(struct container_handle *c, const char *id,
                           const struct oci_spec *spec, husk_error **err) {
  return destroy(c->rootfd, id, c->state, c->pidfd, spec, err);
}

int container_delete_held(struct container_handle *c, const char *id,
                          const struct oci_spec *spec, husk_error **err) {
  /* As `husk delete` would: under the lock, and only what still is ours
   * (a delete --force meanwhile removed the directory). */
  if (status_lock(c->dirfd, id, true, err) < 0)
    return -1;
  if (c->pidfd >= 0) {
    close(c->pidfd);
    c->pidfd = -1;
  }
  free(c->state->status);
  c->state->status = strdup("stopped");
  return destroy(c->rootfd, id, c->state, -1, spec, err);
}

/* --- list ------------------------------------------------------------------ */

void container_list_free(struct oci_state **states, size_t n) {
  for (size_t i = 0; i < n; i++)
    oci_state_free(states[i]);
  free(states);
}

int container_list(const char *root, struct oci_state ***states, size_t *n,
                   husk_error **err) {
  *states = NULL;
  *n = 0;
  cleanup_dir DIR *d = opendir(root);
  if (d == NULL)
    return errno == ENOENT ? 0 : husk_error_set(err, errno, "open %s", root);
  size_t cap = 0;
  struct dirent *e;
  /* No lock: state.json is replaced atomically, and list must not wait
   * for a start in progress. */
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    cleanup_close int cfd = openat(dirfd(d), e->d_name,
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (cfd < 0)
      continue;
    struct oci_state *st = NULL;
    husk_error *ignored = NULL;
    if (status_read(cfd, e->d_name, &st, &ignored) < 0 ||
        status_refresh(cfd, st, NULL, &ignored) < 0) {
      husk_error_free(ignored);
      oci_state_free(st);
      continue;
    }
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      struct oci_state **ns = realloc(*states, cap * sizeof(*ns));
      if (ns == NULL) {
        oci_state_free(st);
        container_list_free(*states, *n);
        *states = NULL;
        *n = 0;
        return husk_error_set(err, ENOMEM, "list");
      }
      *states = ns;
    }
    (*states)[(*n)++] = st;
  }
  return 0;
}
