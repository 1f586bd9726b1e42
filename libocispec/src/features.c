/* libocispec: the field tables of the features document (features.md,
 * features-linux.md) that `husk features` prints.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Values are not enumerated: features.json lists what a runtime knows, and
 * a newer runtime's document must still parse.
 */
#include "config.h"

#include <ocispec/features.h>

#define S struct oci_features_cgroup
static const struct oci_field cgroup_fields[] = {
    OCI_SCALAR(S, "v1", v1, OCI_BOOL, 0),
    OCI_SCALAR(S, "v2", v2, OCI_BOOL, 0),
    OCI_SCALAR(S, "systemd", systemd, OCI_BOOL, 0),
    OCI_SCALAR(S, "systemdUser", systemd_user, OCI_BOOL, 0),
    OCI_SCALAR(S, "rdma", rdma, OCI_BOOL, 0),
};
OCI_TYPE(oci_features_cgroup_type, S, cgroup_fields, NULL);
#undef S

#define S struct oci_features_seccomp
static const struct oci_field seccomp_fields[] = {
    OCI_SCALAR(S, "enabled", enabled, OCI_BOOL, 0),
    OCI_ARR(S, "actions", actions, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "operators", operators, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "archs", archs, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "knownFlags", known_flags, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "supportedFlags", supported_flags, OCI_STRING, NULL, 0, NULL),
};
OCI_TYPE(oci_features_seccomp_type, S, seccomp_fields, NULL);
#undef S

#define S struct oci_features_enabled
static const struct oci_field enabled_fields[] = {
    OCI_SCALAR(S, "enabled", enabled, OCI_BOOL, 0),
};
OCI_TYPE(oci_features_enabled_type, S, enabled_fields, NULL);
#undef S

#define S struct oci_features_intel_rdt
static const struct oci_field intel_rdt_fields[] = {
    OCI_SCALAR(S, "enabled", enabled, OCI_BOOL, 0),
    OCI_SCALAR(S, "schemata", schemata, OCI_BOOL, 0),
    OCI_SCALAR(S, "monitoring", monitoring, OCI_BOOL, 0),
};
OCI_TYPE(oci_features_intel_rdt_type, S, intel_rdt_fields, NULL);
#undef S

#define S struct oci_features_mount_extensions
static const struct oci_field mount_extensions_fields[] = {
    OCI_OBJ(S, "idmap", idmap, oci_features_enabled_type, 0),
};
OCI_TYPE(oci_features_mount_extensions_type, S, mount_extensions_fields,
         NULL);
#undef S

#define S struct oci_features_memory_policy
static const struct oci_field memory_policy_fields[] = {
    OCI_ARR(S, "modes", modes, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "flags", flags, OCI_STRING, NULL, 0, NULL),
};
OCI_TYPE(oci_features_memory_policy_type, S, memory_policy_fields, NULL);
#undef S

#define S struct oci_features_linux
static const struct oci_field linux_fields[] = {
    OCI_ARR(S, "namespaces", namespaces, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "capabilities", capabilities, OCI_STRING, NULL, 0, NULL),
    OCI_OBJ(S, "cgroup", cgroup, oci_features_cgroup_type, 0),
    OCI_OBJ(S, "seccomp", seccomp, oci_features_seccomp_type, 0),
    OCI_OBJ(S, "apparmor", apparmor, oci_features_enabled_type, 0),
    OCI_OBJ(S, "selinux", selinux, oci_features_enabled_type, 0),
    OCI_OBJ(S, "intelRdt", intel_rdt, oci_features_intel_rdt_type, 0),
    OCI_OBJ(S, "mountExtensions", mount_extensions,
            oci_features_mount_extensions_type, 0),
    OCI_OBJ(S, "netDevices", net_devices, oci_features_enabled_type, 0),
    OCI_OBJ(S, "memoryPolicy", memory_policy, oci_features_memory_policy_type,
            0),
};
OCI_TYPE(oci_features_linux_type, S, linux_fields, NULL);
#undef S

#define S struct oci_features
static const struct oci_field features_fields[] = {
    OCI_STR(S, "ociVersionMin", oci_version_min, OCI_REQUIRED, NULL),
    OCI_STR(S, "ociVersionMax", oci_version_max, OCI_REQUIRED, NULL),
    OCI_ARR(S, "hooks", hooks, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "mountOptions", mount_options, OCI_STRING, NULL, 0, NULL),
    OCI_OBJ(S, "linux", linux, oci_features_linux_type, 0),
    OCI_MAPOF(S, "annotations", annotations, OCI_STRING, &oci_kv_type, 0),
    OCI_ARR(S, "potentiallyUnsafeConfigAnnotations",
            potentially_unsafe_config_annotations, OCI_STRING, NULL, 0, NULL),
};
OCI_TYPE(oci_features_type, S, features_fields, NULL);
#undef S

int oci_features_parse_file(const char *path, struct oci_features **out,
                            char **err) {
  void *obj = NULL;
  if (oci_parse_file(&oci_features_type, path, &obj, err) < 0)
    return -1;
  *out = obj;
  return 0;
}

int oci_features_parse(const char *buf, size_t len, struct oci_features **out,
                       char **err) {
  void *obj = NULL;
  if (oci_parse(&oci_features_type, buf, len, &obj, err) < 0)
    return -1;
  *out = obj;
  return 0;
}

int oci_features_generate(const struct oci_features *f, unsigned flags,
                          char **out, size_t *len, char **err) {
  return oci_generate(&oci_features_type, f, flags, out, len, err);
}

void oci_features_free(struct oci_features *f) {
  oci_free(&oci_features_type, f);
}
