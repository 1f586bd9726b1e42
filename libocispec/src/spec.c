/* libocispec: the field tables of config.json, of the process object alone
 * (`husk exec --process`) and of linux.resources alone (`husk update
 * --resources`), with the few rules the tables cannot say.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fields are listed in the order of the runtime-spec's Go bindings, which is
 * the order runc writes them in, so that `husk spec` looks like `runc spec`.
 * What the spec says a runtime MUST reject and that needs no knowledge of
 * the host is rejected here, at parse time, with the JSON path; everything
 * else (capability names, whether a controller exists, ...) is husk's.
 */
#include "config.h"

#include <ocispec/spec.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------- */

int oci_str_index(const char *const *list, const char *s) {
  if (s == NULL)
    return -1;
  for (int i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0)
      return i;
  return -1;
}

/* Set *err to "PATH.SUB: message" (SUB may start with '[' or be empty). */
__attribute__((format(printf, 4, 5))) static int
fail(char **err, const char *path, const char *sub, const char *fmt, ...) {
  char full[600], msg[512];
  va_list ap;
  const char *sep = (*path && *sub && *sub != '[') ? "." : "";
  snprintf(full, sizeof(full), "%s%s%s", path, sep, sub);
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  *err = oci_error(full, "%s", msg);
  return -1;
}

/* --- enumerations ---------------------------------------------------------- */

const char *const oci_namespace_types[] = {
    "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time", NULL};
static const struct oci_enum namespace_enum = {"namespace",
                                               oci_namespace_types};

/* config-linux.md names the first four; the recursive forms are what runc
 * and crun accept too, and what engines send. */
const char *const oci_rootfs_propagations[] = {
    "private",  "shared",  "slave",  "unbindable",
    "rprivate", "rshared", "rslave", "runbindable", NULL};
static const struct oci_enum propagation_enum = {"rootfs propagation",
                                                 oci_rootfs_propagations};

static const char *const device_types[] = {"c", "b", "u", "p", NULL};
static const struct oci_enum device_enum = {"device type", device_types};

static const char *const device_cgroup_types[] = {"a", "c", "b", NULL};
static const struct oci_enum device_cgroup_enum = {"device type",
                                                   device_cgroup_types};

/* getrlimit(2) */
const char *const oci_rlimit_types[] = {
    "RLIMIT_AS",     "RLIMIT_CORE",       "RLIMIT_CPU",    "RLIMIT_DATA",
    "RLIMIT_FSIZE",  "RLIMIT_LOCKS",      "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE",
    "RLIMIT_NICE",   "RLIMIT_NOFILE",     "RLIMIT_NPROC",  "RLIMIT_RSS",
    "RLIMIT_RTPRIO", "RLIMIT_RTTIME",     "RLIMIT_SIGPENDING", "RLIMIT_STACK",
    NULL};
static const struct oci_enum rlimit_enum = {"rlimit", oci_rlimit_types};

const char *const oci_io_priority_classes[] = {
    "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", NULL};
static const struct oci_enum io_class_enum = {"I/O priority class",
                                              oci_io_priority_classes};

const char *const oci_scheduler_policies[] = {
    "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",       "SCHED_BATCH",
    "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE", NULL};
static const struct oci_enum sched_policy_enum = {"scheduler policy",
                                                  oci_scheduler_policies};

const char *const oci_scheduler_flags[] = {
    "SCHED_FLAG_RESET_ON_FORK",  "SCHED_FLAG_RECLAIM",
    "SCHED_FLAG_DL_OVERRUN",     "SCHED_FLAG_KEEP_POLICY",
    "SCHED_FLAG_KEEP_PARAMS",    "SCHED_FLAG_UTIL_CLAMP_MIN",
    "SCHED_FLAG_UTIL_CLAMP_MAX", NULL};
static const struct oci_enum sched_flag_enum = {"scheduler flag",
                                                oci_scheduler_flags};

const char *const oci_seccomp_actions[] = {
    "SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",        "SCMP_ACT_TRACE",
    "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",          "SCMP_ACT_NOTIFY",
    NULL};
static const struct oci_enum seccomp_action_enum = {"seccomp action",
                                                    oci_seccomp_actions};

const char *const oci_seccomp_operators[] = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",        "SCMP_CMP_EQ",
    "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL};
static const struct oci_enum seccomp_op_enum = {"seccomp operator",
                                                oci_seccomp_operators};

/* As config-linux.md lists them (libseccomp 2.6) */
const char *const oci_seccomp_archs[] = {
    "SCMP_ARCH_X86",        "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",        "SCMP_ARCH_AARCH64",     "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",     "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64",   "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",      "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",      "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",    "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
    "SCMP_ARCH_SH",         "SCMP_ARCH_SHEB",        NULL};
static const struct oci_enum seccomp_arch_enum = {"seccomp architecture",
                                                  oci_seccomp_archs};

const char *const oci_seccomp_flags[] = {
    "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
    "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
    NULL};
static const struct oci_enum seccomp_flag_enum = {"seccomp flag",
                                                  oci_seccomp_flags};

static const char *const personality_domains[] = {"LINUX", "LINUX32", NULL};
static const struct oci_enum personality_domain_enum = {"personality domain",
                                                        personality_domains};

/* config-linux.md: "Currently no flag values are supported." */
static const char *const personality_flags[] = {NULL};
static const struct oci_enum personality_flag_enum = {"personality flag",
                                                      personality_flags};

const char *const oci_memory_policy_modes[] = {
    "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE",
    "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY",
    "MPOL_LOCAL",     NULL};
static const struct oci_enum mpol_mode_enum = {"memory policy mode",
                                               oci_memory_policy_modes};

const char *const oci_memory_policy_flags[] = {
    "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES",
    NULL};
static const struct oci_enum mpol_flag_enum = {"memory policy flag",
                                               oci_memory_policy_flags};

/* time_namespaces(7): the only clocks a time namespace offsets */
const char *const oci_time_offset_clocks[] = {"monotonic", "boottime", NULL};

/* --- process ------------------------------------------------------------- */

#define S struct oci_console_size
static const struct oci_field console_size_fields[] = {
    OCI_SCALAR(S, "height", height, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "width", width, OCI_UINT32, OCI_REQUIRED),
};
OCI_TYPE(oci_console_size_type, S, console_size_fields, NULL);
#undef S

#define S struct oci_user
static const struct oci_field user_fields[] = {
    OCI_SCALAR(S, "uid", uid, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "gid", gid, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "umask", umask, OCI_UINT32, 0),
    OCI_ARR(S, "additionalGids", additional_gids, OCI_UINT32, NULL, 0, NULL),
    OCI_STR(S, "username", username, 0, NULL),
};
OCI_TYPE(oci_user_type, S, user_fields, NULL);
#undef S

#define S struct oci_linux_capabilities
static const struct oci_field capabilities_fields[] = {
    OCI_ARR(S, "bounding", bounding, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "effective", effective, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "inheritable", inheritable, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "permitted", permitted, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "ambient", ambient, OCI_STRING, NULL, 0, NULL),
};
OCI_TYPE(oci_linux_capabilities_type, S, capabilities_fields, NULL);
#undef S

#define S struct oci_rlimit
static const struct oci_field rlimit_fields[] = {
    OCI_STR(S, "type", type, OCI_REQUIRED, &rlimit_enum),
    OCI_SCALAR(S, "hard", hard, OCI_UINT64, OCI_REQUIRED),
    OCI_SCALAR(S, "soft", soft, OCI_UINT64, OCI_REQUIRED),
};
OCI_TYPE(oci_rlimit_type, S, rlimit_fields, NULL);
#undef S

#define S struct oci_linux_io_priority
static const struct oci_field io_priority_fields[] = {
    OCI_STR(S, "class", class_, OCI_REQUIRED, &io_class_enum),
    OCI_SCALAR(S, "priority", priority, OCI_INT32, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_io_priority_type, S, io_priority_fields, NULL);
#undef S

#define S struct oci_linux_scheduler
static const struct oci_field scheduler_fields[] = {
    OCI_STR(S, "policy", policy, OCI_REQUIRED, &sched_policy_enum),
    OCI_SCALAR(S, "nice", nice, OCI_INT32, 0),
    OCI_SCALAR(S, "priority", priority, OCI_INT32, 0),
    OCI_ARR(S, "flags", flags, OCI_STRING, NULL, 0, &sched_flag_enum),
    OCI_SCALAR(S, "runtime", runtime, OCI_UINT64, 0),
    OCI_SCALAR(S, "deadline", deadline, OCI_UINT64, 0),
    OCI_SCALAR(S, "period", period, OCI_UINT64, 0),
};
OCI_TYPE(oci_linux_scheduler_type, S, scheduler_fields, NULL);
#undef S

#define S struct oci_linux_exec_cpu_affinity
static const struct oci_field exec_cpu_affinity_fields[] = {
    OCI_STR(S, "initial", initial, 0, NULL),
    OCI_STR(S, "final", final, 0, NULL),
};
OCI_TYPE(oci_linux_exec_cpu_affinity_type, S, exec_cpu_affinity_fields, NULL);
#undef S

/* config.md, POSIX process: "If rlimits contains duplicated entries with
 * same type, the runtime MUST generate an error." */
static int check_process(const void *obj, const char *path, char **err) {
  const struct oci_process *p = obj;
  for (size_t i = 0; i < p->rlimits_len; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(p->rlimits[i].type, p->rlimits[j].type) == 0) {
        char sub[64];
        snprintf(sub, sizeof(sub), "rlimits[%zu].type", i);
        return fail(err, path, sub, "rlimit \"%s\" listed twice",
                    p->rlimits[i].type);
      }
  return 0;
}

#define S struct oci_process
static const struct oci_field process_fields[] = {
    OCI_SCALAR(S, "terminal", terminal, OCI_BOOL, 0),
    OCI_OBJ(S, "consoleSize", console_size, oci_console_size_type, 0),
    OCI_OBJ(S, "user", user, oci_user_type, 0),
    /* config.md: at least one entry is REQUIRED on non-Windows. */
    OCI_ARR(S, "args", args, OCI_STRING, NULL, OCI_REQUIRED | OCI_NONEMPTY,
            NULL),
    OCI_STR(S, "commandLine", command_line, 0, NULL),
    OCI_ARR(S, "env", env, OCI_STRING, NULL, 0, NULL),
    OCI_STR(S, "cwd", cwd, OCI_REQUIRED | OCI_ABSPATH, NULL),
    OCI_OBJ(S, "capabilities", capabilities, oci_linux_capabilities_type, 0),
    OCI_ARR(S, "rlimits", rlimits, OCI_OBJECT, &oci_rlimit_type, 0, NULL),
    OCI_SCALAR(S, "noNewPrivileges", no_new_privileges, OCI_BOOL, 0),
    OCI_STR(S, "apparmorProfile", apparmor_profile, 0, NULL),
    OCI_SCALAR(S, "oomScoreAdj", oom_score_adj, OCI_INT32, 0),
    OCI_OBJ(S, "scheduler", scheduler, oci_linux_scheduler_type, 0),
    OCI_STR(S, "selinuxLabel", selinux_label, 0, NULL),
    OCI_OBJ(S, "ioPriority", io_priority, oci_linux_io_priority_type, 0),
    OCI_OBJ(S, "execCPUAffinity", exec_cpu_affinity,
            oci_linux_exec_cpu_affinity_type, 0),
};
OCI_TYPE(oci_process_type, S, process_fields, check_process);
#undef S

/* --- config.md ------------------------------------------------------------ */

#define S struct oci_linux_id_mapping
static const struct oci_field id_mapping_fields[] = {
    OCI_SCALAR(S, "containerID", container_id, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "hostID", host_id, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "size", size, OCI_UINT32, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_id_mapping_type, S, id_mapping_fields, NULL);
#undef S

#define S struct oci_root
static const struct oci_field root_fields[] = {
    OCI_STR(S, "path", path, OCI_REQUIRED | OCI_NONEMPTY, NULL),
    OCI_SCALAR(S, "readonly", readonly, OCI_BOOL, 0),
};
OCI_TYPE(oci_root_type, S, root_fields, NULL);
#undef S

/* config.md: a mount's uidMappings "MUST be specified along with
 * gidMappings", and the other way round. */
static int check_mount(const void *obj, const char *path, char **err) {
  const struct oci_mount *m = obj;
  if (m->uid_mappings && !m->gid_mappings)
    return fail(err, path, "gidMappings",
                "missing required field (uidMappings is set)");
  if (m->gid_mappings && !m->uid_mappings)
    return fail(err, path, "uidMappings",
                "missing required field (gidMappings is set)");
  return 0;
}

/* Linux: a relative destination is deprecated but valid (taken from "/"),
 * so it is not OCI_ABSPATH. */
#define S struct oci_mount
static const struct oci_field mount_fields[] = {
    OCI_STR(S, "destination", destination, OCI_REQUIRED | OCI_NONEMPTY, NULL),
    OCI_STR(S, "type", type, 0, NULL),
    OCI_STR(S, "source", source, 0, NULL),
    OCI_ARR(S, "options", options, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "uidMappings", uid_mappings, OCI_OBJECT,
            &oci_linux_id_mapping_type, 0, NULL),
    OCI_ARR(S, "gidMappings", gid_mappings, OCI_OBJECT,
            &oci_linux_id_mapping_type, 0, NULL),
};
OCI_TYPE(oci_mount_type, S, mount_fields, check_mount);
#undef S

/* config.md: "If set, timeout MUST be greater than zero." */
static int check_hook(const void *obj, const char *path, char **err) {
  const struct oci_hook *h = obj;
  if (h->timeout_present && h->timeout <= 0)
    return fail(err, path, "timeout", "must be greater than zero, got %d",
                (int)h->timeout);
  return 0;
}

#define S struct oci_hook
static const struct oci_field hook_fields[] = {
    OCI_STR(S, "path", path, OCI_REQUIRED | OCI_ABSPATH, NULL),
    OCI_ARR(S, "args", args, OCI_STRING, NULL, 0, NULL),
    OCI_ARR(S, "env", env, OCI_STRING, NULL, 0, NULL),
    OCI_SCALAR(S, "timeout", timeout, OCI_INT32, 0),
};
OCI_TYPE(oci_hook_type, S, hook_fields, check_hook);
#undef S

#define S struct oci_hooks
static const struct oci_field hooks_fields[] = {
    OCI_ARR(S, "prestart", prestart, OCI_OBJECT, &oci_hook_type, 0, NULL),
    OCI_ARR(S, "createRuntime", create_runtime, OCI_OBJECT, &oci_hook_type, 0,
            NULL),
    OCI_ARR(S, "createContainer", create_container, OCI_OBJECT,
            &oci_hook_type, 0, NULL),
    OCI_ARR(S, "startContainer", start_container, OCI_OBJECT, &oci_hook_type,
            0, NULL),
    OCI_ARR(S, "poststart", poststart, OCI_OBJECT, &oci_hook_type, 0, NULL),
    OCI_ARR(S, "poststop", poststop, OCI_OBJECT, &oci_hook_type, 0, NULL),
};
OCI_TYPE(oci_hooks_type, S, hooks_fields, NULL);
#undef S

/* --- config-linux.md: namespaces, devices ---------------------------------- */

#define S struct oci_linux_namespace
static const struct oci_field namespace_fields[] = {
    OCI_STR(S, "type", type, OCI_REQUIRED, &namespace_enum),
    OCI_STR(S, "path", path, OCI_ABSPATH, NULL),
};
OCI_TYPE(oci_linux_namespace_type, S, namespace_fields, NULL);
#undef S

#define S struct oci_linux_time_offset
static const struct oci_field time_offset_fields[] = {
    OCI_SCALAR(S, "secs", secs, OCI_INT64, 0),
    OCI_SCALAR(S, "nanosecs", nanosecs, OCI_UINT32, 0),
};
OCI_TYPE(oci_linux_time_offset_type, S, time_offset_fields, NULL);
#undef S

/* config-linux.md: major and minor are "REQUIRED unless type is p". */
static int check_device(const void *obj, const char *path, char **err) {
  const struct oci_linux_device *d = obj;
  if (strcmp(d->type, "p") == 0)
    return 0;
  if (!d->major_present)
    return fail(err, path, "major", "missing required field");
  if (!d->minor_present)
    return fail(err, path, "minor", "missing required field");
  return 0;
}

#define S struct oci_linux_device
static const struct oci_field device_fields[] = {
    OCI_STR(S, "path", path, OCI_REQUIRED | OCI_ABSPATH, NULL),
    OCI_STR(S, "type", type, OCI_REQUIRED, &device_enum),
    OCI_SCALAR(S, "major", major, OCI_INT64, 0),
    OCI_SCALAR(S, "minor", minor, OCI_INT64, 0),
    OCI_SCALAR(S, "fileMode", file_mode, OCI_UINT32, 0),
    OCI_SCALAR(S, "uid", uid, OCI_UINT32, 0),
    OCI_SCALAR(S, "gid", gid, OCI_UINT32, 0),
};
OCI_TYPE(oci_linux_device_type, S, device_fields, check_device);
#undef S

#define S struct oci_linux_net_device
static const struct oci_field net_device_fields[] = {
    OCI_STR(S, "name", name, 0, NULL),
};
OCI_TYPE(oci_linux_net_device_type, S, net_device_fields, NULL);
#undef S

/* --- config-linux.md: resources -------------------------------------------- */

/* access is "a composition of r, w and m" */
static int check_device_cgroup(const void *obj, const char *path, char **err) {
  const struct oci_linux_device_cgroup *d = obj;
  if (d->access && d->access[strspn(d->access, "rwm")] != '\0')
    return fail(err, path, "access",
                "\"%s\" is not a combination of r, w and m", d->access);
  return 0;
}

#define S struct oci_linux_device_cgroup
static const struct oci_field device_cgroup_fields[] = {
    OCI_SCALAR(S, "allow", allow, OCI_BOOL, OCI_REQUIRED),
    OCI_STR(S, "type", type, 0, &device_cgroup_enum),
    OCI_SCALAR(S, "major", major, OCI_INT64, 0),
    OCI_SCALAR(S, "minor", minor, OCI_INT64, 0),
    OCI_STR(S, "access", access, 0, NULL),
};
OCI_TYPE(oci_linux_device_cgroup_type, S, device_cgroup_fields,
         check_device_cgroup);
#undef S

#define S struct oci_linux_memory
static const struct oci_field memory_fields[] = {
    OCI_SCALAR(S, "limit", limit, OCI_INT64, 0),
    OCI_SCALAR(S, "reservation", reservation, OCI_INT64, 0),
    OCI_SCALAR(S, "swap", swap, OCI_INT64, 0),
    OCI_SCALAR(S, "kernel", kernel, OCI_INT64, 0),
    OCI_SCALAR(S, "kernelTCP", kernel_tcp, OCI_INT64, 0),
    OCI_SCALAR(S, "swappiness", swappiness, OCI_UINT64, 0),
    OCI_SCALAR(S, "disableOOMKiller", disable_oom_killer, OCI_BOOL, 0),
    OCI_SCALAR(S, "useHierarchy", use_hierarchy, OCI_BOOL, 0),
    OCI_SCALAR(S, "checkBeforeUpdate", check_before_update, OCI_BOOL, 0),
};
OCI_TYPE(oci_linux_memory_type, S, memory_fields, NULL);
#undef S

#define S struct oci_linux_cpu
static const struct oci_field cpu_fields[] = {
    OCI_SCALAR(S, "shares", shares, OCI_UINT64, 0),
    OCI_SCALAR(S, "quota", quota, OCI_INT64, 0),
    OCI_SCALAR(S, "burst", burst, OCI_UINT64, 0),
    OCI_SCALAR(S, "period", period, OCI_UINT64, 0),
    OCI_SCALAR(S, "realtimeRuntime", realtime_runtime, OCI_INT64, 0),
    OCI_SCALAR(S, "realtimePeriod", realtime_period, OCI_UINT64, 0),
    OCI_STR(S, "cpus", cpus, 0, NULL),
    OCI_STR(S, "mems", mems, 0, NULL),
    OCI_SCALAR(S, "idle", idle, OCI_INT64, 0),
};
OCI_TYPE(oci_linux_cpu_type, S, cpu_fields, NULL);
#undef S

/* config-linux.md: "You MUST specify at least one of weight or leafWeight
 * in a given entry". */
static int check_weight_device(const void *obj, const char *path, char **err) {
  const struct oci_linux_weight_device *w = obj;
  if (!w->weight_present && !w->leaf_weight_present)
    return fail(err, path, "", "needs weight or leafWeight");
  return 0;
}

#define S struct oci_linux_weight_device
static const struct oci_field weight_device_fields[] = {
    OCI_SCALAR(S, "major", major, OCI_INT64, OCI_REQUIRED),
    OCI_SCALAR(S, "minor", minor, OCI_INT64, OCI_REQUIRED),
    OCI_SCALAR(S, "weight", weight, OCI_UINT16, 0),
    OCI_SCALAR(S, "leafWeight", leaf_weight, OCI_UINT16, 0),
};
OCI_TYPE(oci_linux_weight_device_type, S, weight_device_fields,
         check_weight_device);
#undef S

#define S struct oci_linux_throttle_device
static const struct oci_field throttle_device_fields[] = {
    OCI_SCALAR(S, "major", major, OCI_INT64, OCI_REQUIRED),
    OCI_SCALAR(S, "minor", minor, OCI_INT64, OCI_REQUIRED),
    OCI_SCALAR(S, "rate", rate, OCI_UINT64, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_throttle_device_type, S, throttle_device_fields, NULL);
#undef S

#define S struct oci_linux_blkio
static const struct oci_field blkio_fields[] = {
    OCI_SCALAR(S, "weight", weight, OCI_UINT16, 0),
    OCI_SCALAR(S, "leafWeight", leaf_weight, OCI_UINT16, 0),
    OCI_ARR(S, "weightDevice", weight_device, OCI_OBJECT,
            &oci_linux_weight_device_type, 0, NULL),
    OCI_ARR(S, "throttleReadBpsDevice", throttle_read_bps_device, OCI_OBJECT,
            &oci_linux_throttle_device_type, 0, NULL),
    OCI_ARR(S, "throttleWriteBpsDevice", throttle_write_bps_device,
            OCI_OBJECT, &oci_linux_throttle_device_type, 0, NULL),
    OCI_ARR(S, "throttleReadIOPSDevice", throttle_read_iops_device,
            OCI_OBJECT, &oci_linux_throttle_device_type, 0, NULL),
    OCI_ARR(S, "throttleWriteIOPSDevice", throttle_write_iops_device,
            OCI_OBJECT, &oci_linux_throttle_device_type, 0, NULL),
};
OCI_TYPE(oci_linux_blkio_type, S, blkio_fields, NULL);
#undef S

#define S struct oci_linux_pids
static const struct oci_field pids_fields[] = {
    OCI_SCALAR(S, "limit", limit, OCI_INT64, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_pids_type, S, pids_fields, NULL);
#undef S

#define S struct oci_linux_hugepage_limit
static const struct oci_field hugepage_limit_fields[] = {
    OCI_STR(S, "pageSize", page_size, OCI_REQUIRED | OCI_NONEMPTY, NULL),
    OCI_SCALAR(S, "limit", limit, OCI_UINT64, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_hugepage_limit_type, S, hugepage_limit_fields, NULL);
#undef S

#define S struct oci_linux_interface_priority
static const struct oci_field interface_priority_fields[] = {
    OCI_STR(S, "name", name, OCI_REQUIRED, NULL),
    OCI_SCALAR(S, "priority", priority, OCI_UINT32, OCI_REQUIRED),
};
OCI_TYPE(oci_linux_interface_priority_type, S, interface_priority_fields,
         NULL);
#undef S

#define S struct oci_linux_network
static const struct oci_field network_fields[] = {
    OCI_SCALAR(S, "classID", class_id, OCI_UINT32, 0),
    OCI_ARR(S, "priorities", priorities, OCI_OBJECT,
            &oci_linux_interface_priority_type, 0, NULL),
};
OCI_TYPE(oci_linux_network_type, S, network_fields, NULL);
#undef S

/* config-linux.md: "You MUST specify at least one of the hcaHandles or
 * hcaObjects in a given entry". */
static int check_rdma(const void *obj, const char *path, char **err) {
  const struct oci_linux_rdma *r = obj;
  if (!r->hca_handles_present && !r->hca_objects_present)
    return fail(err, path, "", "needs hcaHandles or hcaObjects");
  return 0;
}

#define S struct oci_linux_rdma
static const struct oci_field rdma_fields[] = {
    OCI_SCALAR(S, "hcaHandles", hca_handles, OCI_UINT32, 0),
    OCI_SCALAR(S, "hcaObjects", hca_objects, OCI_UINT32, 0),
};
OCI_TYPE(oci_linux_rdma_type, S, rdma_fields, check_rdma);
#undef S

#define S struct oci_linux_resources
static const struct oci_field resources_fields[] = {
    OCI_ARR(S, "devices", devices, OCI_OBJECT, &oci_linux_device_cgroup_type,
            0, NULL),
    OCI_OBJ(S, "memory", memory, oci_linux_memory_type, 0),
    OCI_OBJ(S, "cpu", cpu, oci_linux_cpu_type, 0),
    OCI_OBJ(S, "pids", pids, oci_linux_pids_type, 0),
    OCI_OBJ(S, "blockIO", block_io, oci_linux_blkio_type, 0),
    OCI_ARR(S, "hugepageLimits", hugepage_limits, OCI_OBJECT,
            &oci_linux_hugepage_limit_type, 0, NULL),
    OCI_OBJ(S, "network", network, oci_linux_network_type, 0),
    OCI_MAPOF(S, "rdma", rdma, OCI_OBJECT, &oci_linux_rdma_type, 0),
    OCI_MAPOF(S, "unified", unified, OCI_STRING, &oci_kv_type, 0),
};
OCI_TYPE(oci_linux_resources_type, S, resources_fields, NULL);
#undef S

/* --- config-linux.md: the rest ---------------------------------------------- */

/* closID names a directory under /sys/fs/resctrl; "/" alone means the root
 * (default) CLOS.  memBwSchema "MUST start with MB: and MUST NOT contain
 * newlines", and so must no schemata element. */
static int check_intel_rdt(const void *obj, const char *path, char **err) {
  const struct oci_linux_intel_rdt *r = obj;
  if (r->clos_id && strcmp(r->clos_id, "/") != 0 &&
      (!*r->clos_id || strcmp(r->clos_id, ".") == 0 ||
       strcmp(r->clos_id, "..") == 0 || strchr(r->clos_id, '/')))
    return fail(err, path, "closID", "invalid CLOS name \"%s\"", r->clos_id);
  if (r->mem_bw_schema && (strncmp(r->mem_bw_schema, "MB:", 3) != 0 ||
                           strchr(r->mem_bw_schema, '\n')))
    return fail(err, path, "memBwSchema",
                "must start with \"MB:\" and be one line");
  for (size_t i = 0; i < r->schemata_len; i++)
    if (strchr(r->schemata[i], '\n')) {
      char sub[48];
      snprintf(sub, sizeof(sub), "schemata[%zu]", i);
      return fail(err, path, sub, "must not contain a newline");
    }
  return 0;
}

#define S struct oci_linux_intel_rdt
static const struct oci_field intel_rdt_fields[] = {
    OCI_STR(S, "closID", clos_id, 0, NULL),
    OCI_ARR(S, "schemata", schemata, OCI_STRING, NULL, 0, NULL),
    OCI_STR(S, "l3CacheSchema", l3_cache_schema, 0, NULL),
    OCI_STR(S, "memBwSchema", mem_bw_schema, 0, NULL),
    OCI_SCALAR(S, "enableMonitoring", enable_monitoring, OCI_BOOL, 0),
    OCI_SCALAR(S, "enableCMT", enable_cmt, OCI_BOOL, 0),
    OCI_SCALAR(S, "enableMBM", enable_mbm, OCI_BOOL, 0),
};
OCI_TYPE(oci_linux_intel_rdt_type, S, intel_rdt_fields, check_intel_rdt);
#undef S

#define S struct oci_linux_memory_policy
static const struct oci_field memory_policy_fields[] = {
    OCI_STR(S, "mode", mode, OCI_REQUIRED, &mpol_mode_enum),
    OCI_STR(S, "nodes", nodes, 0, NULL),
    OCI_ARR(S, "flags", flags, OCI_STRING, NULL, 0, &mpol_flag_enum),
};
OCI_TYPE(oci_linux_memory_policy_type, S, memory_policy_fields, NULL);
#undef S

/* seccomp(2) filters see six syscall arguments. */
static int check_seccomp_arg(const void *obj, const char *path, char **err) {
  const struct oci_linux_seccomp_arg *a = obj;
  if (a->index >= 6)
    return fail(err, path, "index", "%u is not a syscall argument (0-5)",
                (unsigned)a->index);
  return 0;
}

#define S struct oci_linux_seccomp_arg
static const struct oci_field seccomp_arg_fields[] = {
    OCI_SCALAR(S, "index", index, OCI_UINT32, OCI_REQUIRED),
    OCI_SCALAR(S, "value", value, OCI_UINT64, OCI_REQUIRED),
    OCI_SCALAR(S, "valueTwo", value_two, OCI_UINT64, 0),
    OCI_STR(S, "op", op, OCI_REQUIRED, &seccomp_op_enum),
};
OCI_TYPE(oci_linux_seccomp_arg_type, S, seccomp_arg_fields,
         check_seccomp_arg);
#undef S

/* config-linux.md: an errno return with an action that has none "MUST
 * print an error and fail"; only ERRNO and TRACE carry one. */
static bool action_takes_errno(const char *action) {
  return strcmp(action, "SCMP_ACT_ERRNO") == 0 ||
         strcmp(action, "SCMP_ACT_TRACE") == 0;
}

static int check_syscall(const void *obj, const char *path, char **err) {
  const struct oci_linux_syscall *s = obj;
  if (s->errno_ret_present && !action_takes_errno(s->action))
    return fail(err, path, "errnoRet", "not allowed with action %s",
                s->action);
  return 0;
}

#define S struct oci_linux_syscall
static const struct oci_field syscall_fields[] = {
    OCI_ARR(S, "names", names, OCI_STRING, NULL,
            OCI_REQUIRED | OCI_NONEMPTY, NULL),
    OCI_STR(S, "action", action, OCI_REQUIRED, &seccomp_action_enum),
    OCI_SCALAR(S, "errnoRet", errno_ret, OCI_UINT32, 0),
    OCI_ARR(S, "args", args, OCI_OBJECT, &oci_linux_seccomp_arg_type, 0,
            NULL),
};
OCI_TYPE(oci_linux_syscall_type, S, syscall_fields, check_syscall);
#undef S

static int check_seccomp(const void *obj, const char *path, char **err) {
  const struct oci_linux_seccomp *s = obj;
  if (s->default_errno_ret_present && !action_takes_errno(s->default_action))
    return fail(err, path, "defaultErrnoRet", "not allowed with action %s",
                s->default_action);
  /* "This field MUST NOT be set if listenerPath is not set." */
  if (s->listener_metadata && !s->listener_path)
    return fail(err, path, "listenerMetadata",
                "not allowed without listenerPath");
  return 0;
}

#define S struct oci_linux_seccomp
static const struct oci_field seccomp_fields[] = {
    OCI_STR(S, "defaultAction", default_action, OCI_REQUIRED,
            &seccomp_action_enum),
    OCI_SCALAR(S, "defaultErrnoRet", default_errno_ret, OCI_UINT32, 0),
    OCI_ARR(S, "architectures", architectures, OCI_STRING, NULL, 0,
            &seccomp_arch_enum),
    OCI_ARR(S, "flags", flags, OCI_STRING, NULL, 0, &seccomp_flag_enum),
    OCI_STR(S, "listenerPath", listener_path, 0, NULL),
    OCI_STR(S, "listenerMetadata", listener_metadata, 0, NULL),
    OCI_ARR(S, "syscalls", syscalls, OCI_OBJECT, &oci_linux_syscall_type, 0,
            NULL),
};
OCI_TYPE(oci_linux_seccomp_type, S, seccomp_fields, check_seccomp);
#undef S

#define S struct oci_linux_personality
static const struct oci_field personality_fields[] = {
    OCI_STR(S, "domain", domain, OCI_REQUIRED, &personality_domain_enum),
    OCI_ARR(S, "flags", flags, OCI_STRING, NULL, 0, &personality_flag_enum),
};
OCI_TYPE(oci_linux_personality_type, S, personality_fields, NULL);
#undef S

/* config-linux.md: duplicated namespace types MUST be an error; the keys of
 * timeOffsets are clock names, and only two clocks have offsets. */
static int check_linux(const void *obj, const char *path, char **err) {
  const struct oci_linux *l = obj;
  char sub[64];
  for (size_t i = 0; i < l->namespaces_len; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(l->namespaces[i].type, l->namespaces[j].type) == 0) {
        snprintf(sub, sizeof(sub), "namespaces[%zu].type", i);
        return fail(err, path, sub, "namespace \"%s\" listed twice",
                    l->namespaces[i].type);
      }
  for (size_t i = 0; i < l->time_offsets_len; i++)
    if (oci_str_index(oci_time_offset_clocks, l->time_offsets[i].key) < 0)
      return fail(err, path, "timeOffsets", "unknown clock \"%s\"",
                  l->time_offsets[i].key);
  return 0;
}

#define S struct oci_linux
static const struct oci_field linux_fields[] = {
    OCI_ARR(S, "uidMappings", uid_mappings, OCI_OBJECT,
            &oci_linux_id_mapping_type, 0, NULL),
    OCI_ARR(S, "gidMappings", gid_mappings, OCI_OBJECT,
            &oci_linux_id_mapping_type, 0, NULL),
    OCI_MAPOF(S, "sysctl", sysctl, OCI_STRING, &oci_kv_type, 0),
    OCI_OBJ(S, "resources", resources, oci_linux_resources_type, 0),
    OCI_STR(S, "cgroupsPath", cgroups_path, 0, NULL),
    OCI_ARR(S, "namespaces", namespaces, OCI_OBJECT,
            &oci_linux_namespace_type, 0, NULL),
    OCI_ARR(S, "devices", devices, OCI_OBJECT, &oci_linux_device_type, 0,
            NULL),
    OCI_MAPOF(S, "netDevices", net_devices, OCI_OBJECT,
              &oci_linux_net_device_type, 0),
    OCI_OBJ(S, "seccomp", seccomp, oci_linux_seccomp_type, 0),
    OCI_STR(S, "rootfsPropagation", rootfs_propagation, 0, &propagation_enum),
    OCI_ARR(S, "maskedPaths", masked_paths, OCI_STRING, NULL, OCI_ABSPATH,
            NULL),
    OCI_ARR(S, "readonlyPaths", readonly_paths, OCI_STRING, NULL, OCI_ABSPATH,
            NULL),
    OCI_STR(S, "mountLabel", mount_label, 0, NULL),
    OCI_OBJ(S, "intelRdt", intel_rdt, oci_linux_intel_rdt_type, 0),
    OCI_OBJ(S, "memoryPolicy", memory_policy, oci_linux_memory_policy_type, 0),
    OCI_OBJ(S, "personality", personality, oci_linux_personality_type, 0),
    OCI_MAPOF(S, "timeOffsets", time_offsets, OCI_OBJECT,
              &oci_linux_time_offset_type, 0),
};
OCI_TYPE(oci_linux_type, S, linux_fields, check_linux);
#undef S

#define S struct oci_spec
static const struct oci_field spec_fields[] = {
    OCI_STR(S, "ociVersion", oci_version, OCI_REQUIRED, NULL),
    OCI_OBJ(S, "process", process, oci_process_type, 0),
    /* config.md: REQUIRED on all platforms but Windows */
    OCI_OBJ(S, "root", root, oci_root_type, OCI_REQUIRED),
    OCI_STR(S, "hostname", hostname, 0, NULL),
    OCI_STR(S, "domainname", domainname, 0, NULL),
    OCI_ARR(S, "mounts", mounts, OCI_OBJECT, &oci_mount_type, 0, NULL),
    OCI_OBJ(S, "hooks", hooks, oci_hooks_type, 0),
    OCI_MAPOF(S, "annotations", annotations, OCI_STRING, &oci_kv_type, 0),
    OCI_OBJ(S, "linux", linux, oci_linux_type, 0),
};
OCI_TYPE(oci_spec_type, S, spec_fields, NULL);
#undef S

/* --- typed wrappers ------------------------------------------------------ */

#define OCI_WRAPPERS(prefix, T, type)                                          \
  int prefix##_parse_file(const char *path, T **out, char **err) {             \
    void *obj = NULL;                                                          \
    if (oci_parse_file(&(type), path, &obj, err) < 0)                          \
      return -1;                                                               \
    *out = obj;                                                                \
    return 0;                                                                  \
  }                                                                            \
  int prefix##_parse(const char *buf, size_t len, T **out, char **err) {       \
    void *obj = NULL;                                                          \
    if (oci_parse(&(type), buf, len, &obj, err) < 0)                           \
      return -1;                                                               \
    *out = obj;                                                                \
    return 0;                                                                  \
  }                                                                            \
  int prefix##_generate(const T *obj, unsigned flags, char **out,              \
                        size_t *len, char **err) {                             \
    return oci_generate(&(type), obj, flags, out, len, err);                   \
  }                                                                            \
  void prefix##_free(T *obj) { oci_free(&(type), obj); }

OCI_WRAPPERS(oci_spec, struct oci_spec, oci_spec_type)
OCI_WRAPPERS(oci_process, struct oci_process, oci_process_type)
OCI_WRAPPERS(oci_linux_resources, struct oci_linux_resources,
             oci_linux_resources_type)
