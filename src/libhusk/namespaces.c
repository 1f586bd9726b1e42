/* Namespaces: clone flags, joins by path, id maps, time offsets.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "namespaces.h"

#include "cleanup.h"
#include "linux-syscalls.h"
#include "rootless.h"
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct {
  const char *name;
  int flag;
} ns_types[] = {
    {"user", CLONE_NEWUSER}, /* first: joined before the others */
    {"pid", CLONE_NEWPID},     {"network", CLONE_NEWNET},
    {"mount", CLONE_NEWNS},    {"ipc", CLONE_NEWIPC},
    {"uts", CLONE_NEWUTS},     {"cgroup", CLONE_NEWCGROUP},
    {"time", CLONE_NEWTIME},
};

const char *ns_name(int flag) {
  for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
    if (ns_types[i].flag == flag)
      return ns_types[i].name;
  return "?";
}

static int ns_flag(const char *name) {
  for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
    if (strcmp(ns_types[i].name, name) == 0)
      return ns_types[i].flag;
  return 0;
}

static void mark_new(struct ns_plan *p, int flag) {
  switch (flag) {
  case CLONE_NEWUSER: p->new_user = true; break;
  case CLONE_NEWPID: p->new_pid = true; break;
  case CLONE_NEWNET: p->new_net = true; break;
  case CLONE_NEWNS: p->new_mnt = p->has_mnt = true; break;
  case CLONE_NEWIPC: p->new_ipc = true; break;
  case CLONE_NEWUTS: p->new_uts = true; break;
  case CLONE_NEWCGROUP: p->new_cgroup = true; break;
  case CLONE_NEWTIME: p->new_time = true; break;
  }
}

/* Open a namespace file and check with the kernel that it is one of the
 * announced type (NS_GET_NSTYPE), so that a regular file or a namespace of
 * another kind fails here, named, instead of at setns. */
static int open_ns(const char *path, int flag, size_t idx, husk_error **err) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return husk_error_set(err, errno, "linux.namespaces[%zu].path: open %s",
                          idx, path);
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE 0xb703
#endif
  int t = ioctl(fd, NS_GET_NSTYPE);
  if (t != flag) {
    close(fd);
    return husk_error_set(err, 0,
                          "linux.namespaces[%zu].path: %s is not a %s namespace",
                          idx, path, ns_name(flag));
  }
  return fd;
}

int ns_plan_build(const struct oci_linux *l, struct ns_plan *p,
                  husk_error **err) {
  memset(p, 0, sizeof(*p));
  p->pid_join_fd = -1;
  size_t n = l ? l->namespaces_len : 0;
  /* Joins go user first: the others may belong to the joined user ns. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      const struct oci_linux_namespace *ns = &l->namespaces[i];
      int flag = ns_flag(ns->type);
      if ((flag == CLONE_NEWUSER) != (pass == 0))
        continue;
      if (ns->path == NULL) {
        mark_new(p, flag);
        continue;
      }
      int fd = open_ns(ns->path, flag, i, err);
      if (fd < 0) {
        ns_plan_close(p);
        return -1;
      }
      if (flag == CLONE_NEWNS)
        p->has_mnt = true;
      if (flag == CLONE_NEWUSER)
        p->user_joined = true;
      if (flag == CLONE_NEWNET)
        p->net_joined = true;
      if (flag == CLONE_NEWPID) {
        p->pid_join_fd = fd;
        continue;
      }
      p->join_fds[p->njoin] = fd;
      p->join_types[p->njoin++] = flag;
    }
  }
  bool user_joined = p->njoin > 0 && p->join_types[0] == CLONE_NEWUSER;
  p->slow = user_joined || (p->new_user && p->njoin > 0);
  unsigned long long all = 0;
  for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++) {
    bool is_new;
    switch (ns_types[i].flag) {
    case CLONE_NEWUSER: is_new = p->new_user; break;
    case CLONE_NEWPID: is_new = p->new_pid; break;
    case CLONE_NEWNET: is_new = p->new_net; break;
    case CLONE_NEWNS: is_new = p->new_mnt; break;
    case CLONE_NEWIPC: is_new = p->new_ipc; break;
    case CLONE_NEWUTS: is_new = p->new_uts; break;
    case CLONE_NEWCGROUP: is_new = p->new_cgroup; break;
    default: is_new = p->new_time; break;
    }
    if (is_new)
      all |= (unsigned long long)ns_types[i].flag;
  }
  /* The cgroup namespace is unshared by the init once it is in its
   * cgroups, so that the namespace's root is the container's cgroup. */
  unsigned long long late = all & CLONE_NEWCGROUP;
  p->late_flags = (unsigned long)late;
  if (p->slow) {
    /* A time namespace made at clone is entered by the init itself; made
     * by unshare() it would be only for children the init never has. */
    p->clone_flags = all & CLONE_NEWTIME;
    p->unshare_flags = (unsigned long)(all & ~late & ~(unsigned long long)CLONE_NEWTIME);
  } else {
    p->clone_flags = all & ~late;
  }
  return 0;
}

void ns_plan_close(struct ns_plan *p) {
  for (size_t i = 0; i < p->njoin; i++)
    if (p->join_fds[i] >= 0)
      close(p->join_fds[i]);
  p->njoin = 0;
  if (p->pid_join_fd >= 0)
    close(p->pid_join_fd);
  p->pid_join_fd = -1;
}

int ns_prepare_runtime(struct ns_plan *p, const struct oci_linux *l,
                       husk_error **err) {
  if (p->pid_join_fd >= 0 && setns(p->pid_join_fd, CLONE_NEWPID) < 0)
    return husk_error_set(err, errno, "join pid namespace");
  if (!p->new_time || l == NULL || l->time_offsets_len == 0)
    return 0;
  /* unshare() puts only the children to come in the new time namespace,
   * and its offsets can be written until the first of them enters. */
  if (unshare(CLONE_NEWTIME) < 0)
    return husk_error_set(err, errno, "unshare time namespace");
  char buf[256];
  size_t len = 0;
  for (size_t i = 0; i < l->time_offsets_len; i++) {
    const struct oci_linux_time_offset *o = &l->time_offsets[i];
    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %lld %u\n",
                            o->key, (long long)o->secs, o->nanosecs);
    if (len >= sizeof(buf))
      return husk_error_set(err, 0, "linux.timeOffsets: too many entries");
  }
  if (safe_proc_write("/proc/self/timens_offsets", buf, len, err) < 0)
    return husk_error_prefix(err, "linux.timeOffsets");
  p->clone_flags &= ~(unsigned long long)CLONE_NEWTIME;
  p->unshare_flags &= ~(unsigned long)CLONE_NEWTIME;
  return 0;
}

static int write_map(pid_t pid, const char *file,
                     const struct oci_linux_id_mapping *m, size_t n,
                     const char *field, husk_error **err) {
  /* The kernel takes the whole map in one write of at most a page. */
  char buf[4096];
  size_t len = 0;
  for (size_t i = 0; i < n; i++) {
    int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
                     m[i].container_id, m[i].host_id, m[i].size);
    if (w < 0 || (size_t)w >= sizeof(buf) - len)
      return husk_error_set(err, 0, "linux.%s: too many entries", field);
    len += (size_t)w;
  }
  if (len == 0)
    return 0;
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  if (safe_proc_write(path, buf, len, err) < 0)
    return husk_error_prefix(err, "linux.%s", field);
  return 0;
}

int ns_write_id_maps(pid_t pid, const struct oci_linux *l, husk_error **err) {
  if (l == NULL)
    return 0;
  /* Without CAP_SETUID on the host, the kernel takes only the user's own
   * id from us; setuid helpers write the rest. */
  if (geteuid() != 0)
    return rootless_write_id_maps(pid, l, err);
  if (write_map(pid, "uid_map", l->uid_mappings, l->uid_mappings_len,
                "uidMappings", err) < 0)
    return -1;
  return write_map(pid, "gid_map", l->gid_mappings, l->gid_mappings_len,
                   "gidMappings", err);
}

int ns_join(struct ns_plan *p, husk_error **err) {
  for (size_t i = 0; i < p->njoin; i++) {
    if (setns(p->join_fds[i], p->join_types[i]) < 0)
      return husk_error_set(err, errno, "join %s namespace",
                            ns_name(p->join_types[i]));
    close(p->join_fds[i]);
    p->join_fds[i] = -1;
  }
  return 0;
}

int ns_loopback_up(husk_error **err) {
  cleanup_close int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0)
    return husk_error_set(err, errno, "network namespace: socket");
  struct ifreq ifr = {.ifr_flags = IFF_UP | IFF_RUNNING};
  memcpy(ifr.ifr_name, "lo", 3);
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
    return husk_error_set(err, errno, "network namespace: bring up lo");
  return 0;
}
