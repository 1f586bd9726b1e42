/* libocispec: the document `husk features` prints (runtime-spec features.md
 * and features-linux.md).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every bool has a present bit because features.md gives absence its own
 * meaning: "unknown", not "false".  Likewise an absent array is "unknown"
 * and an empty one is "none".
 */
#ifndef OCISPEC_FEATURES_H
#define OCISPEC_FEATURES_H

#include <ocispec/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

/* See spec.h: GNU C predefines `linux`. */
#undef linux

struct oci_features_cgroup {
  bool v1;
  bool v1_present;
  bool v2;
  bool v2_present;
  bool systemd;
  bool systemd_present;
  bool systemd_user;
  bool systemd_user_present;
  bool rdma;
  bool rdma_present;
};

struct oci_features_seccomp {
  bool enabled;
  bool enabled_present;
  char **actions;
  size_t actions_len;
  char **operators;
  size_t operators_len;
  char **archs;
  size_t archs_len;
  char **known_flags;
  size_t known_flags_len;
  char **supported_flags;
  size_t supported_flags_len;
};

/* apparmor, selinux, netDevices, mountExtensions.idmap: just "enabled" */
struct oci_features_enabled {
  bool enabled;
  bool enabled_present;
};

struct oci_features_intel_rdt {
  bool enabled;
  bool enabled_present;
  bool schemata; /* linux.intelRdt.schemata is implemented */
  bool schemata_present;
  bool monitoring; /* linux.intelRdt.enableMonitoring is implemented */
  bool monitoring_present;
};

struct oci_features_mount_extensions {
  struct oci_features_enabled *idmap;
};

struct oci_features_memory_policy {
  char **modes; /* MPOL_* */
  size_t modes_len;
  char **flags; /* MPOL_F_* */
  size_t flags_len;
};

struct oci_features_linux {
  char **namespaces;
  size_t namespaces_len;
  char **capabilities;
  size_t capabilities_len;
  struct oci_features_cgroup *cgroup;
  struct oci_features_seccomp *seccomp;
  struct oci_features_enabled *apparmor;
  struct oci_features_enabled *selinux;
  struct oci_features_intel_rdt *intel_rdt;
  struct oci_features_mount_extensions *mount_extensions;
  struct oci_features_enabled *net_devices;
  struct oci_features_memory_policy *memory_policy;
};

struct oci_features {
  char *oci_version_min; /* required */
  char *oci_version_max; /* required */
  char **hooks;
  size_t hooks_len;
  char **mount_options;
  size_t mount_options_len;
  struct oci_features_linux *linux;
  oci_kv *annotations;
  size_t annotations_len;
  /* entries ending in "." are prefixes */
  char **potentially_unsafe_config_annotations;
  size_t potentially_unsafe_config_annotations_len;
};

extern const struct oci_type oci_features_cgroup_type;
extern const struct oci_type oci_features_seccomp_type;
extern const struct oci_type oci_features_enabled_type;
extern const struct oci_type oci_features_intel_rdt_type;
extern const struct oci_type oci_features_mount_extensions_type;
extern const struct oci_type oci_features_memory_policy_type;
extern const struct oci_type oci_features_linux_type;
extern const struct oci_type oci_features_type;

int oci_features_parse_file(const char *path, struct oci_features **out,
                            char **err);
int oci_features_parse(const char *buf, size_t len, struct oci_features **out,
                       char **err);
int oci_features_generate(const struct oci_features *f, unsigned flags,
                          char **out, size_t *len, char **err);
void oci_features_free(struct oci_features *f);

#ifdef __cplusplus
}
#endif
#endif
