/* libocispec: the OCI "process" object (config.md, Process), which is both a
 * member of config.json and, on its own, the file `husk exec --process`
 * reads.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Member layout follows the conventions of schema.h.  Integer widths follow
 * the runtime-spec's Go bindings (uint -> uint32_t, int -> int32_t).
 */
#ifndef OCISPEC_PROCESS_H
#define OCISPEC_PROCESS_H

#include <ocispec/schema.h>

#ifdef __cplusplus
extern "C" {
#endif

/* process.consoleSize; runtimes ignore it unless process.terminal. */
struct oci_console_size {
  uint32_t height; /* required */
  bool height_present;
  uint32_t width; /* required */
  bool width_present;
};

/* process.user (POSIX); username is the Windows member, kept so that a
 * config written for both platforms round-trips. */
struct oci_user {
  uint32_t uid; /* required */
  bool uid_present;
  uint32_t gid; /* required */
  bool gid_present;
  uint32_t umask;
  bool umask_present;
  uint32_t *additional_gids;
  size_t additional_gids_len;
  char *username;
};

/* process.capabilities: names are not checked here, husk maps them through
 * libcap at create time (config.md: unknown ones are warnings). */
struct oci_linux_capabilities {
  char **bounding;
  size_t bounding_len;
  char **effective;
  size_t effective_len;
  char **inheritable;
  size_t inheritable_len;
  char **permitted;
  size_t permitted_len;
  char **ambient;
  size_t ambient_len;
};

/* process.rlimits[] */
struct oci_rlimit {
  char *type; /* required, RLIMIT_* */
  uint64_t soft; /* required */
  bool soft_present;
  uint64_t hard; /* required */
  bool hard_present;
};

/* process.ioPriority.  The JSON key is "class"; the member is class_ so
 * that the header stays usable from C++. */
struct oci_linux_io_priority {
  char *class_; /* required, IOPRIO_CLASS_* */
  int32_t priority; /* required, 0..7 */
  bool priority_present;
};

/* process.scheduler (sched_setattr(2)) */
struct oci_linux_scheduler {
  char *policy; /* required, SCHED_* */
  int32_t nice;
  bool nice_present;
  int32_t priority;
  bool priority_present;
  char **flags; /* SCHED_FLAG_* */
  size_t flags_len;
  uint64_t runtime;
  bool runtime_present;
  uint64_t deadline;
  bool deadline_present;
  uint64_t period;
  bool period_present;
};

/* process.execCPUAffinity: CPU lists ("0-3,7"), for exec'd processes only */
struct oci_linux_exec_cpu_affinity {
  char *initial;
  char *final;
};

struct oci_process {
  bool terminal;
  bool terminal_present;
  struct oci_console_size *console_size;
  struct oci_user *user;
  char **args; /* required, at least one element (non-Windows) */
  size_t args_len;
  char *command_line; /* Windows only */
  char **env;
  size_t env_len;
  char *cwd; /* required, absolute */
  /* POSIX */
  struct oci_rlimit *rlimits;
  size_t rlimits_len;
  /* Linux */
  struct oci_linux_capabilities *capabilities;
  bool no_new_privileges;
  bool no_new_privileges_present;
  char *apparmor_profile;
  int32_t oom_score_adj;
  bool oom_score_adj_present;
  struct oci_linux_scheduler *scheduler;
  char *selinux_label;
  struct oci_linux_io_priority *io_priority;
  struct oci_linux_exec_cpu_affinity *exec_cpu_affinity;
};

extern const struct oci_type oci_console_size_type;
extern const struct oci_type oci_user_type;
extern const struct oci_type oci_linux_capabilities_type;
extern const struct oci_type oci_rlimit_type;
extern const struct oci_type oci_linux_io_priority_type;
extern const struct oci_type oci_linux_scheduler_type;
extern const struct oci_type oci_linux_exec_cpu_affinity_type;
extern const struct oci_type oci_process_type;

/* NULL-terminated lists of the values the tables accept, for husk's own
 * mapping code and for `husk features`. */
extern const char *const oci_rlimit_types[];       /* "RLIMIT_AS", ... */
extern const char *const oci_io_priority_classes[]; /* "IOPRIO_CLASS_RT", ... */
extern const char *const oci_scheduler_policies[]; /* "SCHED_OTHER", ... */
extern const char *const oci_scheduler_flags[];    /* "SCHED_FLAG_...", ... */

/* A process.json on its own (`husk exec --process FILE`); same errors and
 * conventions as oci_parse() and friends in schema.h. */
int oci_process_parse_file(const char *path, struct oci_process **out,
                           char **err);
int oci_process_parse(const char *buf, size_t len, struct oci_process **out,
                      char **err);
int oci_process_generate(const struct oci_process *p, unsigned flags,
                         char **out, size_t *len, char **err);
void oci_process_free(struct oci_process *p);

#ifdef __cplusplus
}
#endif
#endif
