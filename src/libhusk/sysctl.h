/* linux.sysctl: which keys a container may set, and setting them.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Only namespaced sysctls are allowed (runc's list): kernel.msgmax,
 * kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall, kernel.shmmax,
 * kernel.shmmni, kernel.shm_rmid_forced and fs.mqueue.* with an IPC
 * namespace; net.* with a network namespace that is not the host's;
 * kernel.domainname (and kernel.hostname when "hostname" is unset) with a
 * UTS namespace.  Keys are written as sysctl(8) reads them: "." separates,
 * unless the first separator is "/" (then "." is part of a name, as in
 * "net/ipv4/conf/eth0.100/forwarding").
 */
#ifndef HUSK_SYSCTL_H
#define HUSK_SYSCTL_H

#include "error.h"

#include <ocispec/spec.h>

/* Refuse what the container's namespaces do not isolate; run before
 * anything is created (uses the caller's /proc/self/ns/net). */
int sysctl_check(const struct oci_spec *spec, husk_error **err);

/* Write every key below /proc/sys of the current root (after pivot_root),
 * through a /proc checked to be procfs, never following a symlink. */
int sysctl_apply(const struct oci_spec *spec, husk_error **err);

#endif
