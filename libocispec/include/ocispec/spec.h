/* libocispec: config.json, the OCI runtime-spec configuration (config.md and
 * config-linux.md, runtime-spec 1.3.0), as C structs and field tables.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Member layout follows the conventions of schema.h; members are the
 * snake_case of the JSON names.  Integer widths follow the runtime-spec's
 * Go bindings, so that any value another runtime accepts is accepted here.
 * Other platforms' objects (solaris, windows, vm, zos) are not modelled: the
 * reader skips unknown members.
 */
#ifndef OCISPEC_SPEC_H
#define OCISPEC_SPEC_H

#include <ocispec/schema.h>
#include <ocispec/process.h>

#ifdef __cplusplus
extern "C" {
#endif

/* GNU C predefines `linux` as 1, which would turn spec->linux into spec->1.
 * Code tests __linux__ instead. */
#undef linux

/* --- shared ------------------------------------------------------------- */

/* uidMappings / gidMappings, of linux and of mounts */
struct oci_linux_id_mapping {
  uint32_t container_id; /* "containerID", required */
  bool container_id_present;
  uint32_t host_id; /* "hostID", required */
  bool host_id_present;
  uint32_t size; /* required */
  bool size_present;
};

/* --- config.md ---------------------------------------------------------- */

struct oci_root {
  char *path; /* required; absolute or relative to the bundle */
  bool readonly;
  bool readonly_present;
};

struct oci_mount {
  char *destination; /* required; relative is deprecated, means from "/" */
  char *type;
  char *source;
  char **options;
  size_t options_len;
  struct oci_linux_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct oci_linux_id_mapping *gid_mappings;
  size_t gid_mappings_len;
};

struct oci_hook {
  char *path; /* required, absolute */
  char **args;
  size_t args_len;
  char **env;
  size_t env_len;
  int32_t timeout; /* seconds, > 0 */
  bool timeout_present;
};

struct oci_hooks {
  struct oci_hook *prestart; /* deprecated, still run */
  size_t prestart_len;
  struct oci_hook *create_runtime;
  size_t create_runtime_len;
  struct oci_hook *create_container;
  size_t create_container_len;
  struct oci_hook *start_container;
  size_t start_container_len;
  struct oci_hook *poststart;
  size_t poststart_len;
  struct oci_hook *poststop;
  size_t poststop_len;
};

/* --- config-linux.md ---------------------------------------------------- */

struct oci_linux_namespace {
  char *type; /* required: pid network mount ipc uts user cgroup time */
  char *path; /* absolute: join this namespace instead of creating one */
};

/* linux.timeOffsets: map of clock ("monotonic", "boottime") -> offset */
struct oci_linux_time_offset {
  char *key;
  int64_t secs;
  bool secs_present;
  uint32_t nanosecs;
  bool nanosecs_present;
};

/* linux.devices[]: device nodes to create in the container */
struct oci_linux_device {
  char *type; /* required: c b u p */
  char *path; /* required, absolute */
  int64_t major; /* required for c b u */
  bool major_present;
  int64_t minor;
  bool minor_present;
  uint32_t file_mode;
  bool file_mode_present;
  uint32_t uid;
  bool uid_present;
  uint32_t gid;
  bool gid_present;
};

/* linux.netDevices: map of host interface name -> where it goes */
struct oci_linux_net_device {
  char *key;
  char *name; /* name inside the container; defaults to the key */
};

/* linux.resources.devices[]: the device cgroup allow/deny list */
struct oci_linux_device_cgroup {
  bool allow; /* required */
  bool allow_present;
  char *type; /* a c b; absent means "a" */
  int64_t major; /* absent means all */
  bool major_present;
  int64_t minor;
  bool minor_present;
  char *access; /* subset of "rwm" */
};

struct oci_linux_memory {
  int64_t limit;
  bool limit_present;
  int64_t reservation;
  bool reservation_present;
  int64_t swap; /* memory + swap */
  bool swap_present;
  int64_t kernel; /* deprecated */
  bool kernel_present;
  int64_t kernel_tcp; /* "kernelTCP" */
  bool kernel_tcp_present;
  uint64_t swappiness;
  bool swappiness_present;
  bool disable_oom_killer; /* "disableOOMKiller" */
  bool disable_oom_killer_present;
  bool use_hierarchy;
  bool use_hierarchy_present;
  bool check_before_update;
  bool check_before_update_present;
};

struct oci_linux_cpu {
  uint64_t shares;
  bool shares_present;
  int64_t quota;
  bool quota_present;
  uint64_t burst;
  bool burst_present;
  uint64_t period;
  bool period_present;
  int64_t realtime_runtime;
  bool realtime_runtime_present;
  uint64_t realtime_period;
  bool realtime_period_present;
  char *cpus;
  char *mems;
  int64_t idle;
  bool idle_present;
};

struct oci_linux_weight_device {
  int64_t major; /* required */
  bool major_present;
  int64_t minor; /* required */
  bool minor_present;
  uint16_t weight;
  bool weight_present;
  uint16_t leaf_weight;
  bool leaf_weight_present;
};

struct oci_linux_throttle_device {
  int64_t major; /* required */
  bool major_present;
  int64_t minor; /* required */
  bool minor_present;
  uint64_t rate; /* required */
  bool rate_present;
};

struct oci_linux_blkio {
  uint16_t weight;
  bool weight_present;
  uint16_t leaf_weight;
  bool leaf_weight_present;
  struct oci_linux_weight_device *weight_device;
  size_t weight_device_len;
  struct oci_linux_throttle_device *throttle_read_bps_device;
  size_t throttle_read_bps_device_len;
  struct oci_linux_throttle_device *throttle_write_bps_device;
  size_t throttle_write_bps_device_len;
  struct oci_linux_throttle_device *throttle_read_iops_device; /* "...IOPS..." */
  size_t throttle_read_iops_device_len;
  struct oci_linux_throttle_device *throttle_write_iops_device;
  size_t throttle_write_iops_device_len;
};

struct oci_linux_pids {
  int64_t limit; /* required; <= 0 means no limit */
  bool limit_present;
};

struct oci_linux_hugepage_limit {
  char *page_size; /* required, "2MB", "1GB", ... */
  uint64_t limit; /* required */
  bool limit_present;
};

struct oci_linux_interface_priority {
  char *name; /* required */
  uint32_t priority; /* required */
  bool priority_present;
};

struct oci_linux_network {
  uint32_t class_id; /* "classID" */
  bool class_id_present;
  struct oci_linux_interface_priority *priorities;
  size_t priorities_len;
};

/* linux.resources.rdma: map of device name -> limits */
struct oci_linux_rdma {
  char *key;
  uint32_t hca_handles;
  bool hca_handles_present;
  uint32_t hca_objects;
  bool hca_objects_present;
};

struct oci_linux_resources {
  struct oci_linux_device_cgroup *devices;
  size_t devices_len;
  struct oci_linux_memory *memory;
  struct oci_linux_cpu *cpu;
  struct oci_linux_pids *pids;
  struct oci_linux_blkio *block_io; /* "blockIO" */
  struct oci_linux_hugepage_limit *hugepage_limits;
  size_t hugepage_limits_len;
  struct oci_linux_network *network;
  struct oci_linux_rdma *rdma;
  size_t rdma_len;
  oci_kv *unified; /* cgroup v2 file -> value */
  size_t unified_len;
};

struct oci_linux_intel_rdt {
  char *clos_id; /* "closID" */
  char *l3_cache_schema;
  char *mem_bw_schema;
  char **schemata; /* lines written as they are to resctrl's schemata */
  size_t schemata_len;
  bool enable_monitoring;
  bool enable_monitoring_present;
  bool enable_cmt; /* "enableCMT", superseded by enableMonitoring */
  bool enable_cmt_present;
  bool enable_mbm; /* "enableMBM", superseded by enableMonitoring */
  bool enable_mbm_present;
};

/* linux.memoryPolicy (set_mempolicy(2)) */
struct oci_linux_memory_policy {
  char *mode; /* required, MPOL_* */
  char *nodes; /* node list, "0-3,7" */
  char **flags; /* MPOL_F_* */
  size_t flags_len;
};

struct oci_linux_seccomp_arg {
  uint32_t index; /* required, < 6 */
  bool index_present;
  uint64_t value; /* required */
  bool value_present;
  uint64_t value_two;
  bool value_two_present;
  char *op; /* required, SCMP_CMP_* */
};

struct oci_linux_syscall {
  char **names; /* required, non-empty */
  size_t names_len;
  char *action; /* required, SCMP_ACT_* */
  uint32_t errno_ret;
  bool errno_ret_present;
  struct oci_linux_seccomp_arg *args;
  size_t args_len;
};

struct oci_linux_seccomp {
  char *default_action; /* required, SCMP_ACT_* */
  uint32_t default_errno_ret;
  bool default_errno_ret_present;
  char **architectures; /* SCMP_ARCH_* */
  size_t architectures_len;
  char **flags; /* SECCOMP_FILTER_FLAG_* */
  size_t flags_len;
  char *listener_path; /* where SCMP_ACT_NOTIFY sends the listener fd */
  char *listener_metadata;
  struct oci_linux_syscall *syscalls;
  size_t syscalls_len;
};

struct oci_linux_personality {
  char *domain; /* required: LINUX LINUX32 */
  char **flags; /* none defined yet */
  size_t flags_len;
};

struct oci_linux {
  struct oci_linux_namespace *namespaces;
  size_t namespaces_len;
  struct oci_linux_id_mapping *uid_mappings;
  size_t uid_mappings_len;
  struct oci_linux_id_mapping *gid_mappings;
  size_t gid_mappings_len;
  struct oci_linux_time_offset *time_offsets;
  size_t time_offsets_len;
  struct oci_linux_device *devices;
  size_t devices_len;
  struct oci_linux_net_device *net_devices;
  size_t net_devices_len;
  char *cgroups_path;
  char *rootfs_propagation;
  struct oci_linux_resources *resources;
  struct oci_linux_intel_rdt *intel_rdt;
  struct oci_linux_memory_policy *memory_policy;
  oci_kv *sysctl;
  size_t sysctl_len;
  struct oci_linux_seccomp *seccomp;
  char **masked_paths;
  size_t masked_paths_len;
  char **readonly_paths;
  size_t readonly_paths_len;
  char *mount_label;
  struct oci_linux_personality *personality;
};

/* --- the document ------------------------------------------------------- */

struct oci_spec {
  char *oci_version; /* required */
  struct oci_root *root; /* required on Linux */
  struct oci_mount *mounts;
  size_t mounts_len;
  struct oci_process *process; /* required by `start`, not by `create` */
  char *hostname;
  char *domainname;
  struct oci_hooks *hooks;
  oci_kv *annotations;
  size_t annotations_len;
  struct oci_linux *linux;
};

/* --- tables ------------------------------------------------------------- */

extern const struct oci_type oci_linux_id_mapping_type;
extern const struct oci_type oci_root_type;
extern const struct oci_type oci_mount_type;
extern const struct oci_type oci_hook_type;
extern const struct oci_type oci_hooks_type;
extern const struct oci_type oci_linux_namespace_type;
extern const struct oci_type oci_linux_time_offset_type;
extern const struct oci_type oci_linux_device_type;
extern const struct oci_type oci_linux_net_device_type;
extern const struct oci_type oci_linux_device_cgroup_type;
extern const struct oci_type oci_linux_memory_type;
extern const struct oci_type oci_linux_cpu_type;
extern const struct oci_type oci_linux_weight_device_type;
extern const struct oci_type oci_linux_throttle_device_type;
extern const struct oci_type oci_linux_blkio_type;
extern const struct oci_type oci_linux_pids_type;
extern const struct oci_type oci_linux_hugepage_limit_type;
extern const struct oci_type oci_linux_interface_priority_type;
extern const struct oci_type oci_linux_network_type;
extern const struct oci_type oci_linux_rdma_type;
extern const struct oci_type oci_linux_resources_type;
extern const struct oci_type oci_linux_intel_rdt_type;
extern const struct oci_type oci_linux_memory_policy_type;
extern const struct oci_type oci_linux_seccomp_arg_type;
extern const struct oci_type oci_linux_syscall_type;
extern const struct oci_type oci_linux_seccomp_type;
extern const struct oci_type oci_linux_personality_type;
extern const struct oci_type oci_linux_type;
extern const struct oci_type oci_spec_type;

/* NULL-terminated lists of the values the tables accept, for husk's own
 * mapping code and for `husk features`. */
extern const char *const oci_namespace_types[];       /* "pid", ... */
extern const char *const oci_rootfs_propagations[];   /* "private", ... */
extern const char *const oci_seccomp_actions[];       /* "SCMP_ACT_KILL", ... */
extern const char *const oci_seccomp_operators[];     /* "SCMP_CMP_NE", ... */
extern const char *const oci_seccomp_archs[];         /* "SCMP_ARCH_X86", ... */
extern const char *const oci_seccomp_flags[];   /* "SECCOMP_FILTER_FLAG_..." */
extern const char *const oci_memory_policy_modes[];   /* "MPOL_DEFAULT", ... */
extern const char *const oci_memory_policy_flags[];   /* "MPOL_F_...", ... */
extern const char *const oci_time_offset_clocks[];    /* "monotonic", ... */

/* Index of `s` in a NULL-terminated list, or -1. */
int oci_str_index(const char *const *list, const char *s);

/* --- typed wrappers over oci_parse() and friends (schema.h) ------------- */

int oci_spec_parse_file(const char *path, struct oci_spec **out, char **err);
int oci_spec_parse(const char *buf, size_t len, struct oci_spec **out,
                   char **err);
int oci_spec_generate(const struct oci_spec *s, unsigned flags, char **out,
                      size_t *len, char **err);
void oci_spec_free(struct oci_spec *s);

/* linux.resources alone (`husk update --resources FILE`) */
int oci_linux_resources_parse_file(const char *path,
                                   struct oci_linux_resources **out,
                                   char **err);
int oci_linux_resources_parse(const char *buf, size_t len,
                              struct oci_linux_resources **out, char **err);
int oci_linux_resources_generate(const struct oci_linux_resources *r,
                                 unsigned flags, char **out, size_t *len,
                                 char **err);
void oci_linux_resources_free(struct oci_linux_resources *r);

#ifdef __cplusplus
}
#endif
#endif
