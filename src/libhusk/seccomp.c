/* linux.seccomp: prepared by the runtime, loaded by the init.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The init loads the program with seccomp(2) itself rather than through
 * libseccomp's seccomp_load(): the program was compiled (or read from the
 * cache) by the runtime, and seccomp(2) takes the flags as they are, the
 * listener flag included, whatever libseccomp version is installed.
 */
#include "config.h"

#include "seccomp.h"

#include "cleanup.h"
#include "seccomp-cache.h"
#include "seccomp-compile.h"
#include "seccomp-notify.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux 6.0 (and 5.7 for TSYNC_ESRCH): headers may be older. */
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static long sys_seccomp(unsigned int op, unsigned int flags, void *args) {
  return syscall(SYS_seccomp, op, flags, args);
}

/* --- runtime side ----------------------------------------------------------- */

static bool uses_notify(const struct oci_linux_seccomp *s) {
  for (size_t i = 0; i < s->syscalls_len; i++)
    if (strcmp(s->syscalls[i].action, "SCMP_ACT_NOTIFY") == 0)
      return true;
  return false;
}

static unsigned int flag_value(const char *name) {
  static const struct {
    const char *name;
    unsigned int value;
  } flags[] = {
      {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
      {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
      {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
      {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
       SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
  };
  for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
    if (strcmp(name, flags[i].name) == 0)
      return flags[i].value;
  return 0;
}

/* Whether the kernel takes `flags`: it checks them before it reads the
 * program, so a NULL program fails with EFAULT when they are fine, and
 * installs nothing either way. */
static bool kernel_takes(unsigned int flags) {
  return sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 &&
         errno == EFAULT;
}

/* linux.seccomp.flags, plus the listener flag that SCMP_ACT_NOTIFY needs,
 * refused here if the kernel would refuse them in the init. */
static int filter_flags(const struct oci_linux_seccomp *s, unsigned int *out,
                        husk_error **err) {
  bool notify = uses_notify(s);
  unsigned int flags = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  for (size_t i = 0; i < s->flags_len; i++) {
    unsigned int f = flag_value(s->flags[i]);
    if (f == 0)
      return husk_error_set(err, 0, "linux.seccomp.flags[%zu]: unknown flag "
                            "\"%s\"", i, s->flags[i]);
    /* It is about waiting for a listener: without one it means nothing
     * (and the kernel refuses it alone). */
    if (f == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV && !notify)
      continue;
    /* Each alone, but the one that is meaningless without a listener. */
    unsigned int probe = f;
    if (f == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
      probe |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    if (!kernel_takes(probe))
      return husk_error_set(err, EINVAL, "linux.seccomp.flags[%zu]: %s: not "
                            "supported by this kernel", i, s->flags[i]);
    flags |= f;
  }
  /* TSYNC and a listener go together only if a thread that cannot be
   * synchronised fails the call (ESRCH) instead of returning its id where
   * the listener fd should be.  The init has one thread anyway. */
  if ((flags & SECCOMP_FILTER_FLAG_TSYNC) &&
      (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
    flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  if (notify && !kernel_takes(flags))
    return husk_error_set(err, EINVAL, "linux.seccomp: SCMP_ACT_NOTIFY with "
                          "these flags is not supported by this kernel");
  *out = flags;
  return 0;
}

static int program(const struct oci_linux_seccomp *s, int rootfd,
                   struct seccomp_setup *out, husk_error **err) {
  struct seccomp_cache_key key = {0};
  if (seccomp_cache_key(s, &key, err) < 0)
    return -1;
  int ret = 0;
  if (!seccomp_cache_load(rootfd, &key, &out->insns, &out->len)) {
    ret = seccomp_compile(s, &out->insns, &out->len, err);
    if (ret == 0)
      seccomp_cache_store(rootfd, &key, out->insns, out->len);
  }
  seccomp_cache_key_clear(&key);
  return ret;
}

int seccomp_prepare(const struct oci_linux_seccomp *s, int rootfd,
                    struct seccomp_setup *out, husk_error **err) {
  *out = (struct seccomp_setup)SECCOMP_SETUP_INIT;
  out->spec = s;
  /* The notified syscalls would fail with ENOSYS, no one listening; runc
   * refuses it too. */
  if (uses_notify(s) && s->listener_path == NULL)
    return husk_error_set(err, 0, "linux.seccomp.listenerPath: required by "
                          "SCMP_ACT_NOTIFY");
  if (filter_flags(s, &out->flags, err) < 0 || program(s, rootfd, out, err) < 0)
    goto fail;
  if (uses_notify(s) &&
      (out->listener_fd = seccomp_listener_connect(s->listener_path, err)) < 0)
    goto fail;
  return 0;
fail:
  seccomp_setup_clear(out);
  return -1;
}

void seccomp_setup_clear(struct seccomp_setup *s) {
  free(s->insns);
  free(s->process_state);
  if (s->listener_fd >= 0)
    close(s->listener_fd);
  *s = (struct seccomp_setup)SECCOMP_SETUP_INIT;
}

/* --- init side ------------------------------------------------------------------- */

int seccomp_listener_ready(struct seccomp_setup *s, const char *state_json,
                           husk_error **err) {
  if (s->listener_fd < 0)
    return 0;
  return seccomp_listener_state(s->spec, state_json, &s->process_state, err);
}

int seccomp_install(const struct seccomp_setup *s, husk_error **err) {
  struct sock_fprog prog = {.len = (unsigned short)s->len,
                            .filter = s->insns};
  long fd = sys_seccomp(SECCOMP_SET_MODE_FILTER, s->flags, &prog);
  if (fd < 0)
    return husk_error_set(err, errno, "linux.seccomp: load the filter");
  if (!(s->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
    return 0;
  /* From here on, what the profile denies fails; the listener fd and the
   * socket are close-on-exec, so failed closes leak nothing. */
  int r = 0;
  if (s->listener_fd >= 0) {
    r = seccomp_listener_send(s->listener_fd, (int)fd, s->process_state, err);
    close(s->listener_fd);
  }
  close((int)fd);
  return r;
}

/* libocispec's string arrays carry a length; execve wants a NULL last. */
static char **terminated(char *const *v, size_t n) {
  char **out = calloc(n + 1, sizeof(*out));
  if (out != NULL && n > 0)
    memcpy(out, v, n * sizeof(*out));
  return out;
}

int seccomp_exec(const struct seccomp_setup *s, const struct oci_process *p,
                 const char *path, husk_error **err) {
  cleanup_free char **argv = terminated(p->args, p->args_len);
  cleanup_free char **envp = terminated(p->env, p->env_len);
  if (argv == NULL || envp == NULL)
    return husk_error_set(err, ENOMEM, "exec %s", path);
  if (seccomp_install(s, err) < 0)
    return -1;
  execve(path, argv, envp);
  return husk_error_set(err, errno, "exec %s", path);
}
