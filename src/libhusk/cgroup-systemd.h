/* The systemd cgroup driver (--systemd-cgroup): a transient unit per
 * container, asked of systemd over D-Bus.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * systemd owns the cgroup tree on a host where it is PID 1; a runtime that
 * makes cgroups behind its back sees them moved or trimmed.  With this
 * driver the container's cgroup is the cgroup of a transient scope unit
 * (or slice) that systemd creates with the init's pid in it and with the
 * resource limits systemd knows as unit properties; husk then works on that
 * cgroup through cgroupfs (cgroup.h) for everything else, which systemd
 * allows because the unit is delegated (Delegate=yes).
 *
 * linux.cgroupsPath is runc's "slice:prefix:name": the unit is
 * "prefix-name.scope" in `slice`, or `name` itself when that ends in
 * ".slice".  libsystemd is loaded on first use only (sdbus.h).
 */
#ifndef HUSK_CGROUP_SYSTEMD_H
#define HUSK_CGROUP_SYSTEMD_H

#include "error.h"

#include <ocispec/spec.h>
#include <stdbool.h>
#include <sys/types.h>

struct systemd_unit {
  char *slice; /* the parent slice, "system.slice" */
  char *name;  /* "prefix-name.scope", or a slice's own name */
  char *id;    /* the container, for the unit's description */
  bool user;   /* the calling user's manager (not root: rootless) */
};

void systemd_unit_clear(struct systemd_unit *u);

/* The unit for container `id` from linux.cgroupsPath (may be NULL or "").
 * As runc: absent means "system.slice:husk:ID"; an empty slice is
 * "system.slice"; an empty name is the id (where runc makes "prefix-.scope").
 * Not root, the unit is the calling user's manager's (its bus at
 * $XDG_RUNTIME_DIR/bus), and the default slice user.slice.
 * Errors name linux.cgroupsPath. */
int systemd_cgroup_parse(const char *cgroups_path, const char *id,
                         struct systemd_unit *u, husk_error **err);

/* Refuse early, without the bus, what systemd_cgroup_start() would refuse
 * of `spec`: an annotation that is not a property name and a value, a
 * resource systemd could not be given.  Errors name the annotation or the
 * JSON path. */
int systemd_cgroup_check(const struct oci_spec *spec, husk_error **err);

/* The cgroup path the unit will have by systemd's naming rules
 * ("/a.slice/a-b.slice/p-n.scope"), known before the unit exists, so that
 * state.json can name it before the init is cloned.  A user manager's
 * units are under its own cgroup, which it is asked for. */
int systemd_cgroup_expected_path(const struct systemd_unit *u, char **path,
                                 husk_error **err);

/* The unit of a container from the cgroup path its state holds (the last
 * component is the unit's name), for delete. */
int systemd_cgroup_unit_from_path(const char *cgroup_path,
                                  struct systemd_unit *u, husk_error **err);

/* Start the unit with `pid` in it (StartTransientUnit, mode "replace"),
 * with the resources of spec->linux->resources that systemd knows and every
 * `org.systemd.property.NAME` annotation as property NAME, and wait for its
 * start job.  *cgroupfs_path (malloc'ed) is the unit's cgroup as systemd
 * reports it (ControlGroup), relative to /sys/fs/cgroup like the paths of
 * cgroup.h.  A unit of that name left over (failed, or stopped but not yet
 * collected) is reset and replaced; a running one is an error. */
int systemd_cgroup_start(const struct systemd_unit *u, pid_t pid,
                         const struct oci_spec *spec, char **cgroupfs_path,
                         husk_error **err);

/* `update` of the unit whose cgroup is `cgroup_path`: the resources of
 * `res` that systemd knows, as unit properties (SetUnitProperties,
 * runtime), so that systemd keeps them, rather than writing back its own
 * older values, when it next applies the unit's settings (daemon-reload).
 * `res` is the whole of linux.resources as it will be, since a property may
 * need two values (the quota and its period, swap and the memory limit).
 * The cgroup files are the caller's (cgroup_apply). */
int systemd_cgroup_update(const char *cgroup_path,
                          const struct oci_linux_resources *res,
                          husk_error **err);

/* Stop the unit (StopUnit, mode "replace"), wait for the job, and reset a
 * failed state so that the name can be used again; a unit already gone is
 * fine. */
int systemd_cgroup_stop(const struct systemd_unit *u, husk_error **err);

/* systemd_cgroup_stop() of the unit whose cgroup is `cgroup_path`
 * (state.json's), for delete. */
int systemd_cgroup_stop_path(const char *cgroup_path, husk_error **err);

#endif
