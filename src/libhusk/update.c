/* update: change a container's resource limits while it lives.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The cgroup is changed first (that is what the caller asked for); then the
 * new values are laid over linux.resources of the config kept in the state
 * directory, as runc keeps them in its state, so that what husk reads later
 * agrees with what is in force.  Recording is best effort: the limits are
 * already applied and cannot be taken back, so a failure there is a
 * warning, not an error.  A failed update puts back what it had changed.
 */
#include "config.h"

#include "container-ops.h"

#include "cgroup.h"
#include "cgroup-systemd.h"
#include "cleanup.h"
#include "container.h"
#include "json-merge.h"
#include "log.h"
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The whole of a small file under dirfd, NUL-terminated. */
static int read_all(int dirfd, const char *name, char **out, size_t *len,
                    husk_error **err) {
  cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0)
    return husk_error_set(err, errno, "read %s", name);
  cleanup_free char *buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL)
    return husk_error_set(err, ENOMEM, "read %s", name);
  size_t n = 0;
  while (n < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return husk_error_set(err, errno, "read %s", name);
    if (r == 0)
      break;
    n += (size_t)r;
  }
  buf[n] = '\0';
  *out = steal_pointer(&buf);
  *len = n;
  return 0;
}

/* The stored config's text with `r` laid over its linux.resources, into
 * *merged (malloc'ed). */
static int merge(int dirfd, const struct oci_linux_resources *r,
                 char **merged, husk_error **err) {
  cleanup_free char *config = NULL, *rjson = NULL, *over = NULL;
  char *msg = NULL;
  size_t len;
  if (read_all(dirfd, STATUS_CONFIG, &config, &len, err) < 0)
    return -1;
  if (oci_linux_resources_generate(r, 0, &rjson, NULL, &msg) < 0)
    return husk_error_take(err, 0, msg);
  if (asprintf(&over, "{\"linux\":{\"resources\":%s}}", rjson) < 0) {
    over = NULL;
    return husk_error_set(err, ENOMEM, "update config");
  }
  return json_merge(config, over, merged, err);
}

/* Lay `r` over linux.resources of the stored config. */
static int record(int dirfd, const struct oci_linux_resources *r,
                  husk_error **err) {
  cleanup_free char *merged = NULL;
  char *msg = NULL;
  if (merge(dirfd, r, &merged, err) < 0)
    return -1;
  /* Whatever is stored must still read as a config. */
  struct oci_spec *check = NULL;
  if (oci_spec_parse(merged, strlen(merged), &check, &msg) < 0)
    return husk_error_take(err, 0, msg);
  oci_spec_free(check);
  return status_write_file(dirfd, STATUS_CONFIG, merged, strlen(merged), err);
}

/* linux.resources of the stored config with `r` laid over it, as record()
 * will store it; *spec is the caller's to free. */
static int merged_config(int dirfd, const struct oci_linux_resources *r,
                         struct oci_spec **spec, husk_error **err) {
  cleanup_free char *merged = NULL;
  char *msg = NULL;
  if (merge(dirfd, r, &merged, err) < 0)
    return -1;
  if (oci_spec_parse(merged, strlen(merged), spec, &msg) < 0)
    return husk_error_take(err, 0, msg);
  return 0;
}

/* --systemd-cgroup: systemd is told the new values of what it manages
 * before the files are written, lest it write its own back (on
 * daemon-reload); the whole of linux.resources, since a property may need a
 * value `r` does not repeat (the period of a quota). */
static int systemd_update(int dirfd, const char *path,
                          const struct oci_linux_resources *r,
                          husk_error **err) {
  struct oci_spec *s = NULL;
  if (merged_config(dirfd, r, &s, err) < 0)
    return -1;
  int ret = systemd_cgroup_update(path, s->linux ? s->linux->resources : NULL,
                                  err);
  oci_spec_free(s);
  return ret;
}

/* The members of the stored config's resources that `r` names; its
 * pointers belong to `old`. */
static struct oci_linux_resources touched(const struct oci_linux_resources *old,
                                         const struct oci_linux_resources *r) {
  struct oci_linux_resources t = {0};
  if (r->memory)
    t.memory = old->memory;
  if (r->cpu)
    t.cpu = old->cpu;
  if (r->pids)
    t.pids = old->pids;
  if (r->block_io)
    t.block_io = old->block_io;
  if (r->network)
    t.network = old->network;
  if (r->devices) {
    t.devices = old->devices;
    t.devices_len = old->devices_len;
  }
  if (r->hugepage_limits_len) {
    t.hugepage_limits = old->hugepage_limits;
    t.hugepage_limits_len = old->hugepage_limits_len;
  }
  if (r->rdma_len) {
    t.rdma = old->rdma;
    t.rdma_len = old->rdma_len;
  }
  if (r->unified_len) {
    t.unified = old->unified;
    t.unified_len = old->unified_len;
  }
  return t;
}

/* After a failed update, put back the recorded values of what it touched,
 * as runc does: an update that stopped half-way would otherwise leave
 * limits in force that nothing records.  Best effort: values the config
 * never had cannot be put back. */
static void restore(int dirfd, const struct cgroup_paths *cg,
                    const struct oci_linux_resources *r, const char *id,
                    bool systemd) {
  struct oci_spec *s = NULL;
  husk_error *err = NULL;
  if ((s = container_stored_config(dirfd, &err)) == NULL) {
    husk_warn("container \"%s\": cannot read its stored config to restore "
              "the previous limits: %s",
              id, err->msg);
    husk_error_free(err);
    return;
  }
  if (s->linux && s->linux->resources) {
    struct oci_linux_resources old = touched(s->linux->resources, r);
    if (systemd &&
        systemd_cgroup_update(cg->path, s->linux->resources, &err) < 0) {
      husk_warn("container \"%s\": restoring the previous systemd unit "
                "properties failed: %s",
                id, err->msg);
      husk_error_freep(&err);
    }
    if (cgroup_apply(cg, &old, true, &err) < 0) {
      husk_warn("container \"%s\": restoring the previous limits failed, "
                "its cgroup and stored config may disagree: %s",
                id, err->msg);
      husk_error_free(err);
    }
  }
  oci_spec_free(s);
}

static bool updatable(const char *status) {
  return strcmp(status, "created") == 0 || strcmp(status, "running") == 0 ||
         strcmp(status, "paused") == 0;
}

int container_update(const char *root, const char *id,
                     const struct oci_linux_resources *r, husk_error **err) {
  struct container_handle c;
  int ret = -1;
  if (container_open(root, id, true, false, &c, err) < 0)
    goto out;
  if (updatable(c.state->status) && c.state->cgroup_path == NULL) {
    husk_error_set(err, 0, "cannot update container \"%s\": it has no cgroup "
                           "(rootless, none delegated)", id);
    goto out;
  }
  if (!updatable(c.state->status)) {
    husk_error_set(err, 0, "cannot update container \"%s\": it is %s", id,
                   c.state->status);
    goto out;
  }
  struct cgroup_paths cg = cgroup_paths_of(c.state);
  bool systemd = c.state->systemd_cgroup;
  if (systemd && systemd_update(c.dirfd, c.state->cgroup_path, r, err) < 0)
    goto out;
  if (cgroup_apply(&cg, r, true, err) < 0) {
    restore(c.dirfd, &cg, r, id, systemd);
    goto out;
  }
  ret = 0;
  husk_error *warn = NULL;
  if (record(c.dirfd, r, &warn) < 0) {
    husk_warn("container \"%s\": the new limits are in force, but recording "
              "them in its stored config failed: %s",
              id, warn->msg);
    husk_error_free(warn);
  }
out:
  container_close(&c);
  return ret;
}
