/* libocispec: the field tables of a container's state (`husk state`,
 * state.json) and of the container process state sent to a seccomp agent.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fields are in the order runc prints them, which engines do not depend on
 * but people diffing the two outputs do.
 */
#include "config.h"

#include <ocispec/state.h>

#include <stdio.h>
#include <string.h>

/* runtime.md lists the first four; "paused" is runc's, and engines
 * expect it from `state`. */
const char *const oci_state_statuses[] = {"creating", "created", "running",
                                          "stopped",  "paused",  NULL};
static const struct oci_enum status_enum = {"status", oci_state_statuses};

/* runtime.md: pid is "REQUIRED when status is created or running on
 * Linux". */
static int check_state(const void *obj, const char *path, char **err) {
  const struct oci_state *s = obj;
  if (!s->pid_present && (strcmp(s->status, "created") == 0 ||
                          strcmp(s->status, "running") == 0)) {
    char sub[600];
    snprintf(sub, sizeof(sub), "%s%spid", path, *path ? "." : "");
    *err = oci_error(sub, "missing required field (status is %s)", s->status);
    return -1;
  }
  return 0;
}

#define S struct oci_state
static const struct oci_field state_fields[] = {
    OCI_STR(S, "ociVersion", oci_version, OCI_REQUIRED, NULL),
    OCI_STR(S, "id", id, OCI_REQUIRED | OCI_NONEMPTY, NULL),
    OCI_SCALAR(S, "pid", pid, OCI_INT32, 0),
    OCI_STR(S, "status", status, OCI_REQUIRED, &status_enum),
    OCI_STR(S, "bundle", bundle, OCI_REQUIRED | OCI_ABSPATH, NULL),
    OCI_STR(S, "rootfs", rootfs, OCI_ABSPATH, NULL),
    OCI_STR(S, "created", created, 0, NULL),
    OCI_MAPOF(S, "annotations", annotations, OCI_STRING, &oci_kv_type, 0),
    OCI_STR(S, "owner", owner, 0, NULL),
    OCI_SCALAR(S, "husk.pidStartTime", pid_start_time, OCI_UINT64,
               OCI_PRIVATE),
    OCI_STR(S, "husk.cgroupPath", cgroup_path, OCI_PRIVATE, NULL),
    OCI_MAPOF(S, "husk.cgroupPaths", cgroup_paths, OCI_STRING, &oci_kv_type,
              OCI_PRIVATE),
    OCI_SCALAR(S, "husk.systemdCgroup", systemd_cgroup, OCI_BOOL, OCI_PRIVATE),
    OCI_SCALAR(S, "husk.rootless", rootless, OCI_BOOL, OCI_PRIVATE),
    OCI_SCALAR(S, "husk.noProcess", no_process, OCI_BOOL, OCI_PRIVATE),
    OCI_SCALAR(S, "husk.noHooks", no_hooks, OCI_BOOL, OCI_PRIVATE),
};
OCI_TYPE(oci_state_type, S, state_fields, check_state);
#undef S

#define S struct oci_container_process_state
static const struct oci_field process_state_fields[] = {
    OCI_STR(S, "ociVersion", oci_version, OCI_REQUIRED, NULL),
    OCI_ARR(S, "fds", fds, OCI_STRING, NULL, 0, NULL),
    OCI_SCALAR(S, "pid", pid, OCI_INT32, OCI_REQUIRED),
    OCI_STR(S, "metadata", metadata, 0, NULL),
    OCI_OBJ(S, "state", state, oci_state_type, OCI_REQUIRED),
};
OCI_TYPE(oci_container_process_state_type, S, process_state_fields, NULL);
#undef S

int oci_state_parse_file(const char *path, struct oci_state **out,
                         char **err) {
  void *obj = NULL;
  if (oci_parse_file(&oci_state_type, path, &obj, err) < 0)
    return -1;
  *out = obj;
  return 0;
}

int oci_state_parse(const char *buf, size_t len, struct oci_state **out,
                    char **err) {
  void *obj = NULL;
  if (oci_parse(&oci_state_type, buf, len, &obj, err) < 0)
    return -1;
  *out = obj;
  return 0;
}

int oci_state_generate(const struct oci_state *s, unsigned flags, char **out,
                       size_t *len, char **err) {
  return oci_generate(&oci_state_type, s, flags, out, len, err);
}

void oci_state_free(struct oci_state *s) { oci_free(&oci_state_type, s); }

int oci_container_process_state_generate(
    const struct oci_container_process_state *s, unsigned flags, char **out,
    size_t *len, char **err) {
  return oci_generate(&oci_container_process_state_type, s, flags, out, len,
                      err);
}

void oci_container_process_state_free(struct oci_container_process_state *s) {
  oci_free(&oci_container_process_state_type, s);
}
