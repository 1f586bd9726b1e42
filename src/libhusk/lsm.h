/* Linux security modules: the process's AppArmor profile and SELinux
 * label, and the SELinux context of the container's new filesystems.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Used by the container's init and by `husk exec` alike, in three steps:
 *   1. in the runtime, before anything exists, refuse a profile or label
 *      whose LSM is off on this host (runc does too: a silent downgrade
 *      would run the container unconfined);
 *   2. still in the runtime, before clone, open a handle on a procfs the
 *      container cannot touch (lsm_proc_open);
 *   3. in the process, just before execve, request the profile and label
 *      for that execve through the handle (lsm_set_exec).
 */
#ifndef HUSK_LSM_H
#define HUSK_LSM_H

#include "error.h"

#include <ocispec/process.h>
#include <ocispec/spec.h>
#include <stdbool.h>

/* Whether the LSM is on (read from the caller's /sys: call it in the
 * runtime, where /sys is the host's). */
bool lsm_apparmor_enabled(void);
bool lsm_selinux_enabled(void);

/* Refuse a non-empty `profile` (or `label`) when its LSM is off; `what`
 * names the JSON path or flag it came from:
 * "process.apparmorProfile: AppArmor is not enabled on this host". */
int lsm_check_apparmor(const char *profile, const char *what,
                       husk_error **err);
int lsm_check_selinux(const char *label, const char *what, husk_error **err);

/* Steps 1 for a config: process.apparmorProfile, process.selinuxLabel and
 * linux.mountLabel (errors name the path; the caller adds "config.json"). */
int lsm_check_spec(const struct oci_spec *s, husk_error **err);

/* Whether `p` asks for a profile or a label (then lsm_proc_open is due). */
bool lsm_process_labelled(const struct oci_process *p);

/* Step 2: an O_PATH fd of a procfs root whose pid namespace is the
 * runtime's (an ancestor of the container's), close-on-exec.  The caller
 * hands it to the process and closes its own copy. */
int lsm_proc_open(husk_error **err);

/* Step 3, in the process itself (the kernel lets a task write only its
 * own attributes): request p's AppArmor profile and SELinux label for the
 * next execve, through `procfd` from lsm_proc_open().  A no-op when `p`
 * asks for neither. */
int lsm_set_exec(int procfd, const struct oci_process *p, husk_error **err);

#endif
