/* libocispec: a container's state, as `husk state` prints it (runtime.md,
 * State, plus the members runc adds) and as husk keeps it in state.json
 * (plus husk's private members).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One struct serves both: the private members are OCI_PRIVATE, written only
 * with OCI_GEN_PRIVATE, so `husk state` never shows them.
 */
#ifndef OCISPEC_STATE_H
#define OCISPEC_STATE_H

#include <ocispec/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

struct oci_state {
  /* runtime.md */
  char *oci_version; /* required */
  char *id; /* required */
  char *status; /* required: creating created running stopped paused */
  int32_t pid; /* the init's pid in the runtime's pid namespace */
  bool pid_present;
  char *bundle; /* required, absolute */
  oci_kv *annotations;
  size_t annotations_len;
  /* runc's additions, which engines read */
  char *rootfs; /* absolute */
  char *created; /* RFC 3339, UTC, nanoseconds */
  char *owner; /* "" unless rootless */
  /* husk's own (OCI_PRIVATE) */
  uint64_t pid_start_time; /* "husk.pidStartTime": /proc/PID/stat field 22,
                              tells our init from a recycled pid */
  bool pid_start_time_present;
  char *cgroup_path; /* "husk.cgroupPath": as resolved at create time */
  oci_kv *cgroup_paths; /* "husk.cgroupPaths": hierarchy (its directory
                           under /sys/fs/cgroup) -> the container's cgroup
                           there, where it is not cgroup_path (a relative
                           linux.cgroupsPath on a v1 host) */
  size_t cgroup_paths_len;
  bool systemd_cgroup; /* "husk.systemdCgroup": created through systemd */
  bool systemd_cgroup_present;
  bool rootless; /* "husk.rootless" */
  bool rootless_present;
  bool no_process; /* "husk.noProcess": created without process, so
                      `start` must fail and change nothing */
  bool no_process_present;
  bool no_hooks; /* "husk.noHooks": the config has no poststart or poststop
                    hooks, so start and delete need not read it */
  bool no_hooks_present;
};

extern const struct oci_type oci_state_type;

/* "creating", "created", "running", "stopped", "paused", NULL */
extern const char *const oci_state_statuses[];

/* What SCMP_ACT_NOTIFY sends to seccomp.listenerPath along with the
 * listener fd (config-linux.md, The Container Process State). */
struct oci_container_process_state {
  char *oci_version; /* required */
  char **fds; /* names of the SCM_RIGHTS fds, in order: "seccompFd" */
  size_t fds_len;
  int32_t pid; /* required, as the runtime sees it */
  bool pid_present;
  char *metadata; /* seccomp.listenerMetadata */
  struct oci_state *state; /* required */
};

extern const struct oci_type oci_container_process_state_type;

int oci_state_parse_file(const char *path, struct oci_state **out, char **err);
int oci_state_parse(const char *buf, size_t len, struct oci_state **out,
                    char **err);
/* flags: OCI_GEN_PRETTY, and OCI_GEN_PRIVATE for state.json itself */
int oci_state_generate(const struct oci_state *s, unsigned flags, char **out,
                       size_t *len, char **err);
void oci_state_free(struct oci_state *s);

int oci_container_process_state_generate(
    const struct oci_container_process_state *s, unsigned flags, char **out,
    size_t *len, char **err);
void oci_container_process_state_free(struct oci_container_process_state *s);

#ifdef __cplusplus
}
#endif
#endif
