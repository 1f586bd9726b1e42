/* The state directory: one directory per container under --root.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "status.h"

#include "cgroup.h"
#include "cleanup.h"
#include "linux-syscalls.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* runc allows [\w+-\.]; length is bounded so that paths built from the id
 * (cgroups, sockets) stay well below their limits. */
#define ID_MAX 1024

int status_validate_id(const char *id, husk_error **err) {
  size_t n = id ? strlen(id) : 0;
  if (n == 0)
    return husk_error_set(err, 0, "container id must not be empty");
  if (n > ID_MAX)
    return husk_error_set(err, 0, "container id is longer than %d bytes", ID_MAX);
  if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
    return husk_error_set(err, 0, "invalid container id \"%s\"", id);
  for (const char *p = id; *p; p++)
    if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
      return husk_error_set(err, 0,
                            "invalid container id \"%s\": only letters, digits "
                            "and _+-. are allowed",
                            id);
  return 0;
}

static int mkdir_p(const char *path, mode_t mode) {
  if (mkdir(path, mode) == 0 || errno == EEXIST)
    return 0;
  if (errno != ENOENT)
    return -1;
  cleanup_free char *parent = strdup(path);
  if (parent == NULL)
    return -1;
  char *slash = strrchr(parent, '/');
  if (slash == NULL || slash == parent)
    return -1;
  *slash = '\0';
  if (mkdir_p(parent, 0755) < 0)
    return -1;
  return mkdir(path, mode) == 0 || errno == EEXIST ? 0 : -1;
}

int status_open_root(const char *root, bool create, int *rootfd,
                     husk_error **err) {
  int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT && create) {
    if (mkdir_p(root, 0700) < 0)
      return husk_error_set(err, errno, "create state root %s", root);
    fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* A user's root is in XDG_RUNTIME_DIR, whose periodic clean-up spares
     * what has the sticky bit (the XDG spec; runc does it too). */
    if (fd >= 0 && geteuid() != 0 && fchmod(fd, 01700) < 0) {
      int e = errno;
      close(fd);
      return husk_error_set(err, e, "chmod state root %s", root);
    }
  }
  if (fd < 0)
    return husk_error_set(err, errno, "open state root %s", root);
  *rootfd = fd;
  return 0;
}

static int lock_dir(int fd, bool exclusive, husk_error **err) {
  while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
    if (errno != EINTR)
      return husk_error_set(err, errno, "lock state directory");
  return 0;
}

int status_lock(int dirfd, const char *id, bool exclusive, husk_error **err) {
  if (lock_dir(dirfd, exclusive, err) < 0)
    return -1;
  /* A delete that held the lock before us may have removed the directory. */
  struct stat st;
  if (fstat(dirfd, &st) < 0 || st.st_nlink == 0)
    return husk_error_set(err, 0, "container \"%s\" does not exist", id);
  return 0;
}

void status_unlock(int dirfd) { flock(dirfd, LOCK_UN); }

int status_create(int rootfd, const char *id, int *dirfd, husk_error **err) {
  /* 0711: the init, root of a user namespace, must reach exec.fifo. */
  if (mkdirat(rootfd, id, 0711) < 0) {
    if (errno == EEXIST)
      return husk_error_set(err, 0, "container \"%s\" already exists", id);
    return husk_error_set(err, errno, "create state directory for \"%s\"", id);
  }
  cleanup_close int fd =
      openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "open state directory for \"%s\"", id);
  if (lock_dir(fd, true, err) < 0)
    return -1;
  *dirfd = steal_fd(&fd);
  return 0;
}

int status_open(int rootfd, const char *id, bool exclusive, int *dirfd,
                husk_error **err) {
  cleanup_close int fd =
      openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      return husk_error_set(err, 0, "container \"%s\" does not exist", id);
    return husk_error_set(err, errno, "open state directory for \"%s\"", id);
  }
  if (status_lock(fd, id, exclusive, err) < 0)
    return -1;
  *dirfd = steal_fd(&fd);
  return 0;
}

/* Write `data` to a new file `name` in dirfd (opened with `excl_or_trunc`
 * added to the flags); on a failed write the file is removed. */
static int write_new(int dirfd, const char *name, int excl_or_trunc,
                     const char *data, size_t len, husk_error **err) {
  cleanup_close int fd =
      openat(dirfd, name,
             O_WRONLY | O_CREAT | excl_or_trunc | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return husk_error_set(err, errno, "write %s", name);
  for (size_t off = 0; off < len;) {
    ssize_t n = write(fd, data + off, len - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      int e = errno;
      unlinkat(dirfd, name, 0);
      return husk_error_set(err, e, "write %s", name);
    }
    off += (size_t)n;
  }
  return 0;
}

int status_write_file(int dirfd, const char *name, const char *data,
                      size_t len, husk_error **err) {
  char tmp[64];
  snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
  if (write_new(dirfd, tmp, O_TRUNC, data, len, err) < 0)
    return -1;
  /* The state root is a tmpfs (/run): rename is atomic, fsync buys
   * nothing there and costs every create. */
  if (renameat(dirfd, tmp, dirfd, name) < 0) {
    int e = errno;
    unlinkat(dirfd, tmp, 0);
    return husk_error_set(err, e, "rename %s", name);
  }
  return 0;
}

int status_create_file(int dirfd, const char *name, const char *data,
                       size_t len, husk_error **err) {
  return write_new(dirfd, name, O_EXCL, data, len, err);
}

static int write_state(int dirfd, const struct oci_state *st, bool first,
                       husk_error **err) {
  cleanup_free char *json = NULL;
  char *msg = NULL;
  size_t len;
  if (oci_state_generate(st, OCI_GEN_PRIVATE, &json, &len, &msg) < 0)
    return husk_error_take(err, 0, msg);
  return first ? status_create_file(dirfd, STATUS_STATE, json, len, err)
               : status_write_file(dirfd, STATUS_STATE, json, len, err);
}

int status_write_first(int dirfd, const struct oci_state *st,
                       husk_error **err) {
  return write_state(dirfd, st, true, err);
}

int status_write(int dirfd, const struct oci_state *st, husk_error **err) {
  return write_state(dirfd, st, false, err);
}

int status_read_file(int dirfd, const char *name, char **out, size_t *len) {
  cleanup_close int fd =
      openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  /* A state is a few hundred bytes, a config a few KiB: one read of a
   * buffer that big is the usual case, no fstat needed. */
  size_t cap = 4096, n = 0;
  cleanup_free char *buf = malloc(cap);
  if (buf == NULL)
    return -1;
  for (;;) {
    if (n + 1 >= cap) {
      char *nb = realloc(buf, cap *= 2);
      if (nb == NULL)
        return -1;
      buf = nb;
    }
    size_t want = cap - n - 1;
    ssize_t r = read(fd, buf + n, want);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    n += (size_t)r;
    /* A regular file gives less than asked only at its end: no read
     * more to see end of file. */
    if ((size_t)r < want)
      break;
  }
  buf[n] = '\0';
  *out = steal_pointer(&buf);
  *len = n;
  return 0;
}

#define CREATING_KEY "{\"husk.creating\":"

int status_write_config(int dirfd, const struct oci_state *st,
                        const char *config, size_t len, husk_error **err) {
  cleanup_free char *json = NULL, *buf = NULL;
  char *msg = NULL;
  size_t slen;
  if (oci_state_generate(st, OCI_GEN_PRIVATE, &json, &slen, &msg) < 0)
    return husk_error_take(err, 0, msg);
  /* The config parsed as an object: skip to its '{'. */
  const char *body = config, *end = config + len;
  while (body < end && *body != '{')
    body++;
  if (body == end)
    return husk_error_set(err, EINVAL, "write %s", STATUS_CONFIG);
  body++;
  const char *p = body;
  while (p < end && strchr(" \t\r\n", *p))
    p++;
  bool empty = p < end && *p == '}';
  size_t n = strlen(CREATING_KEY) + slen + 2 + (size_t)(end - body);
  if ((buf = malloc(n)) == NULL)
    return husk_error_set(err, ENOMEM, "write %s", STATUS_CONFIG);
  /* The compact state has no newline: one ends it for the reader. */
  size_t off = 0;
  memcpy(buf, CREATING_KEY, strlen(CREATING_KEY));
  off += strlen(CREATING_KEY);
  memcpy(buf + off, json, slen);
  off += slen;
  buf[off++] = '\n';
  if (!empty)
    buf[off++] = ',';
  memcpy(buf + off, body, (size_t)(end - body));
  off += (size_t)(end - body);
  return status_create_file(dirfd, STATUS_CONFIG, buf, off, err);
}

/* The state create stored in the config copy, for a create in progress or
 * killed before it wrote state.json. */
static int read_creating(int dirfd, struct oci_state **st) {
  cleanup_free char *text = NULL;
  char *msg = NULL;
  size_t len, klen = strlen(CREATING_KEY);
  if (status_read_file(dirfd, STATUS_CONFIG, &text, &len) < 0 ||
      strncmp(text, CREATING_KEY, klen) != 0)
    return -1;
  char *nl = strchr(text + klen, '\n');
  if (nl == NULL ||
      oci_state_parse(text + klen, (size_t)(nl - text) - klen, st, &msg) < 0) {
    free(msg);
    return -1;
  }
  return 0;
}

int status_read(int dirfd, const char *id, struct oci_state **st,
                husk_error **err) {
  cleanup_free char *text = NULL;
  char *msg = NULL;
  size_t len;
  if (status_read_file(dirfd, STATUS_STATE, &text, &len) < 0) {
    int e = errno;
    if (e == ENOENT && read_creating(dirfd, st) == 0)
      return 0;
    husk_error_set(err, e, "open %s", STATUS_STATE);
    return husk_error_prefix(err, "container \"%s\": read state", id);
  }
  if (oci_state_parse(text, len, st, &msg) < 0) {
    /* Being written (list takes no lock), or its writer was killed. */
    if (read_creating(dirfd, st) == 0) {
      free(msg);
      return 0;
    }
    husk_error_take(err, 0, msg);
    return husk_error_prefix(err, "container \"%s\": read state", id);
  }
  return 0;
}

static int remove_tree_at(int dirfd, const char *name) {
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : -1;
  cleanup_dir DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return -1;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (unlinkat(fd, e->d_name, 0) < 0 && errno == EISDIR &&
        remove_tree_at(fd, e->d_name) < 0)
      return -1;
  }
  return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : -1;
}

int status_remove(int rootfd, const char *id, husk_error **err) {
  /* The files create makes, by name: no directory read in the usual case;
   * anything else (a temporary file of a killed writer) by the walk. */
  static const char *const known[] = {STATUS_STATE, STATUS_CONFIG, STATUS_FIFO};
  char path[ID_MAX + 32];
  for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
    snprintf(path, sizeof(path), "%s/%s", id, known[i]);
    unlinkat(rootfd, path, 0);
  }
  if (unlinkat(rootfd, id, AT_REMOVEDIR) == 0 || errno == ENOENT)
    return 0;
  if (remove_tree_at(rootfd, id) < 0)
    return husk_error_set(err, errno, "remove state directory of \"%s\"", id);
  return 0;
}

int proc_stat_start(pid_t pid, uint64_t *start, bool *zombie) {
  char path[32], buf[1024];
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    errno = ESRCH;
    return -1;
  }
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  if (n <= 0) {
    errno = ESRCH;
    return -1;
  }
  buf[n] = '\0';
  /* The command name may hold spaces and parentheses: fields count from
   * the last ')'. Field 3 is the state, field 22 the start time. */
  char *p = strrchr(buf, ')');
  if (p == NULL || p[1] != ' ') {
    errno = EINVAL;
    return -1;
  }
  p += 2;
  *zombie = *p == 'Z' || *p == 'X';
  for (int field = 3; field < 22; field++) {
    p = strchr(p, ' ');
    if (p == NULL) {
      errno = EINVAL;
      return -1;
    }
    p++;
  }
  *start = strtoull(p, NULL, 10);
  return 0;
}

/* Whether the init still is the process state.json names. */
static bool init_alive(const struct oci_state *st, int *pidfd) {
  if (!st->pid_present || st->pid <= 0)
    return false;
  int fd = -1;
  if (pidfd) {
    /* Open the pidfd first: once it is open, the start time we read next
     * belongs to the process it pins, not to a later reuse of the pid. */
    fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
    /* Where pidfd_open is unknown (valgrind 3.19) the start time alone
     * tells the init from a reuse of its pid, and callers get no pidfd. */
    if (fd < 0 && errno != ENOSYS)
      return false;
  }
  uint64_t start;
  bool zombie;
  if (proc_stat_start(st->pid, &start, &zombie) < 0 || zombie ||
      (st->pid_start_time_present && start != st->pid_start_time)) {
    if (fd >= 0)
      close(fd);
    return false;
  }
  if (pidfd)
    *pidfd = fd;
  return true;
}

int status_refresh(int dirfd, struct oci_state *st, int *pidfd,
                   husk_error **err) {
  const char *status;
  if (pidfd)
    *pidfd = -1;
  if (!st->pid_present)
    status = "creating";
  else if (!init_alive(st, pidfd))
    status = "stopped";
  else if (st->cgroup_path && cgroup_is_frozen(&(struct cgroup_paths){
                                   st->cgroup_path, st->cgroup_paths,
                                   st->cgroup_paths_len}))
    status = "paused"; /* a created container can be paused too */
  else if (st->no_process ||
           faccessat(dirfd, STATUS_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    status = "created";
  else
    status = "running";
  if (st->status == NULL || strcmp(st->status, status) != 0) {
    char *s = strdup(status);
    if (s == NULL)
      return husk_error_set(err, ENOMEM, "container state");
    free(st->status);
    st->status = s;
  }
  return 0;
}
