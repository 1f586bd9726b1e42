/* linux.seccomp -> a classic BPF program, through libseccomp.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The rules follow runc's reading of the profile, which engines' profiles
 * are written against:
 *   - a rule whose action is the default action is left out (libseccomp
 *     refuses it, and it would change nothing);
 *   - args on distinct indices make one rule (all must match); when an
 *     index repeats, each arg makes a rule of its own (any may match), as
 *     one rule cannot test an argument twice;
 *   - ERRNO and TRACE without errnoRet return EPERM.
 */
#include "config.h"

#include "seccomp-compile.h"

#include "cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATH_SECCOMP "linux.seccomp"

static void ctx_release(scmp_filter_ctx *ctx) {
  if (*ctx)
    seccomp_release(*ctx);
}
#define cleanup_scmp __attribute__((cleanup(ctx_release)))

/* The action's value for libseccomp; `path` names the JSON object for
 * errors ("linux.seccomp" or "linux.seccomp.syscalls[2]"), `field` the
 * action's member ("defaultAction", "action"). */
static int action_value(const char *name, bool errno_present, uint32_t errno_ret,
                        const char *path, const char *field, uint32_t *out,
                        husk_error **err) {
  /* SECCOMP_RET_DATA holds 16 bits: more would come back as another errno
   * (or as a success) to the process. */
  if (errno_present && errno_ret > 0xffff)
    return husk_error_set(err, 0, "%s.%s: %u does not fit in seccomp's 16 "
                          "bits of return data", path,
                          strcmp(field, "action") == 0 ? "errnoRet"
                                                       : "defaultErrnoRet",
                          errno_ret);
  uint32_t data = errno_present ? errno_ret : EPERM;
  static const struct {
    const char *name;
    uint32_t value;
  } plain[] = {
      {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD},
      {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
      {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
      {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
      {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
      {"SCMP_ACT_LOG", SCMP_ACT_LOG},
      {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
  };
  if (strcmp(name, "SCMP_ACT_ERRNO") == 0) {
    *out = SCMP_ACT_ERRNO(data);
    return 0;
  }
  if (strcmp(name, "SCMP_ACT_TRACE") == 0) {
    *out = SCMP_ACT_TRACE(data);
    return 0;
  }
  for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
    if (strcmp(name, plain[i].name) == 0) {
      *out = plain[i].value;
      return 0;
    }
  return husk_error_set(err, 0, "%s.%s: unknown action \"%s\"", path, field,
                        name);
}

static int operator_value(const char *name, enum scmp_compare *out) {
  static const struct {
    const char *name;
    enum scmp_compare op;
  } ops[] = {
      {"SCMP_CMP_NE", SCMP_CMP_NE},       {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE},       {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE},       {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
  };
  for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
    if (strcmp(name, ops[i].name) == 0) {
      *out = ops[i].op;
      return 0;
    }
  return -1;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token for "x86_64", 0 if unknown. */
static uint32_t arch_token(const char *name) {
  static const char prefix[] = "SCMP_ARCH_";
  char lower[32];
  size_t j = 0;
  if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
    return 0;
  for (const char *p = name + sizeof(prefix) - 1; *p; p++) {
    if (j + 1 >= sizeof(lower))
      return 0;
    lower[j++] = (char)tolower((unsigned char)*p);
  }
  lower[j] = '\0';
  return seccomp_arch_resolve_name(lower);
}

static int add_architectures(scmp_filter_ctx ctx, const struct oci_linux_seccomp *s,
                             husk_error **err) {
  for (size_t i = 0; i < s->architectures_len; i++) {
    const char *name = s->architectures[i];
    uint32_t arch = arch_token(name);
    if (arch == 0)
      return husk_error_set(err, 0,
                            PATH_SECCOMP ".architectures[%zu]: \"%s\" is not "
                            "known to libseccomp %u.%u.%u",
                            i, name, seccomp_version()->major,
                            seccomp_version()->minor, seccomp_version()->micro);
    int r = seccomp_arch_add(ctx, arch);
    /* The native architecture is in every filter from the start. */
    if (r < 0 && r != -EEXIST)
      return husk_error_set(err, -r,
                            PATH_SECCOMP ".architectures[%zu]: \"%s\": "
                            "libseccomp seccomp_arch_add",
                            i, name);
  }
  return 0;
}

/* The args of one rule as libseccomp conditions; *repeated tells whether
 * an index appears twice. */
static int rule_conditions(const struct oci_linux_syscall *sc, const char *path,
                           struct scmp_arg_cmp *conds, bool *repeated,
                           husk_error **err) {
  bool seen[6] = {false};
  *repeated = false;
  for (size_t k = 0; k < sc->args_len; k++) {
    const struct oci_linux_seccomp_arg *a = &sc->args[k];
    enum scmp_compare op;
    if (a->index >= 6)
      return husk_error_set(err, 0, "%s.args[%zu].index: %u is not a syscall "
                            "argument (0-5)", path, k, (unsigned)a->index);
    if (operator_value(a->op, &op) < 0)
      return husk_error_set(err, 0, "%s.args[%zu].op: unknown operator \"%s\"",
                            path, k, a->op);
    if (seen[a->index])
      *repeated = true;
    seen[a->index] = true;
    conds[k] = (struct scmp_arg_cmp){.arg = a->index, .op = op,
                                     .datum_a = a->value,
                                     .datum_b = a->value_two};
  }
  return 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
                    const struct oci_linux_syscall *sc, const char *path,
                    size_t name_index, husk_error **err) {
  struct scmp_arg_cmp conds[sc->args_len ? sc->args_len : 1];
  bool repeated;
  if (rule_conditions(sc, path, conds, &repeated, err) < 0)
    return -1;
  int r = 0;
  if (!repeated) {
    r = seccomp_rule_add_array(ctx, action, nr, (unsigned)sc->args_len,
                               sc->args_len ? conds : NULL);
  } else {
    for (size_t k = 0; k < sc->args_len && r == 0; k++)
      r = seccomp_rule_add_array(ctx, action, nr, 1, &conds[k]);
  }
  if (r < 0)
    return husk_error_set(err, -r, "%s: names[%zu] \"%s\": libseccomp refuses "
                          "the rule", path, name_index, sc->names[name_index]);
  return 0;
}

/* The init hands the listener fd over with sendmsg() after the filter is
 * in force: were sendmsg notified, it would wait for a listener that has
 * no fd yet. */
static bool blocks_handover(const char *name, uint32_t action) {
  return action == SCMP_ACT_NOTIFY && strcmp(name, "sendmsg") == 0;
}

static int add_syscalls(scmp_filter_ctx ctx, const struct oci_linux_seccomp *s,
                        uint32_t default_action, husk_error **err) {
  for (size_t i = 0; i < s->syscalls_len; i++) {
    const struct oci_linux_syscall *sc = &s->syscalls[i];
    char path[64];
    snprintf(path, sizeof(path), PATH_SECCOMP ".syscalls[%zu]", i);
    uint32_t action;
    if (action_value(sc->action, sc->errno_ret_present, sc->errno_ret, path,
                     "action", &action, err) < 0)
      return -1;
    if (action == default_action)
      continue;
    for (size_t j = 0; j < sc->names_len; j++) {
      int nr = seccomp_syscall_resolve_name(sc->names[j]);
      if (nr == __NR_SCMP_ERROR)
        continue; /* unknown here: a syscall of another kernel */
      if (blocks_handover(sc->names[j], action))
        return husk_error_set(err, 0, "%s: names[%zu]: SCMP_ACT_NOTIFY on "
                              "sendmsg is not supported: the runtime needs it "
                              "to hand the listener its fd",
                              path, j);
      if (add_rule(ctx, action, nr, sc, path, j, err) < 0)
        return -1;
    }
  }
  return 0;
}

/* libseccomp 2.5 exports to an fd only; a memfd keeps it off the disk. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **insns,
                      size_t *len, husk_error **err) {
  cleanup_close int fd = memfd_create("husk-seccomp", MFD_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, PATH_SECCOMP ": memfd_create");
  int r = seccomp_export_bpf(ctx, fd);
  if (r < 0)
    return husk_error_set(err, -r, PATH_SECCOMP ": libseccomp cannot build "
                          "the filter");
  struct stat st;
  if (fstat(fd, &st) < 0)
    return husk_error_set(err, errno, PATH_SECCOMP ": fstat");
  size_t size = (size_t)st.st_size;
  if (size == 0 || size % sizeof(struct sock_filter) != 0)
    return husk_error_set(err, 0, PATH_SECCOMP ": libseccomp exported %zu "
                          "bytes, not a BPF program", size);
  if (size / sizeof(struct sock_filter) > BPF_MAXINSNS)
    return husk_error_set(err, 0, PATH_SECCOMP ": the filter has %zu "
                          "instructions, more than the kernel's %d",
                          size / sizeof(struct sock_filter), BPF_MAXINSNS);
  cleanup_free struct sock_filter *buf = malloc(size);
  if (buf == NULL)
    return husk_error_set(err, ENOMEM, PATH_SECCOMP);
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd, (char *)buf + done, size - done, (off_t)done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return husk_error_set(err, n < 0 ? errno : EIO, PATH_SECCOMP
                            ": read the exported filter");
    done += (size_t)n;
  }
  *insns = steal_pointer(&buf);
  *len = size / sizeof(struct sock_filter);
  return 0;
}

int seccomp_compile(const struct oci_linux_seccomp *s, struct sock_filter **insns,
                    size_t *len, husk_error **err) {
  uint32_t def;
  if (action_value(s->default_action, s->default_errno_ret_present,
                   s->default_errno_ret, PATH_SECCOMP, "defaultAction", &def,
                   err) < 0)
    return -1;
  /* Every syscall would wait on the listener, the init's own hand-over of
   * the listener fd first of all. */
  if (def == SCMP_ACT_NOTIFY)
    return husk_error_set(err, 0, PATH_SECCOMP ".defaultAction: "
                          "SCMP_ACT_NOTIFY cannot be the default action");
  cleanup_scmp scmp_filter_ctx ctx = seccomp_init(def);
  if (ctx == NULL)
    return husk_error_set(err, 0, PATH_SECCOMP ".defaultAction: libseccomp "
                          "refuses \"%s\"", s->default_action);
  /* A binary tree of syscall numbers: engines' profiles allow some 350
   * syscalls, which a linear filter compares one by one on every call. */
  int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  if (r < 0)
    return husk_error_set(err, -r, PATH_SECCOMP ": libseccomp optimize");
  if (add_architectures(ctx, s, err) < 0 ||
      add_syscalls(ctx, s, def, err) < 0)
    return -1;
  return export_bpf(ctx, insns, len, err);
}

void seccomp_compiler_id(char *buf, size_t size) {
  const struct scmp_version *v = seccomp_version();
  snprintf(buf, size, "libseccomp %u.%u.%u arch %u", v->major, v->minor,
           v->micro, seccomp_arch_native());
}
