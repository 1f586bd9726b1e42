/* User namespaces that only carry an id mapping, for idmapped mounts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mount_setattr(MOUNT_ATTR_IDMAP) takes the mapping as a user namespace
 * fd.  Such a namespace needs a process to be created in; it is a child
 * that does nothing and is killed once the namespace is held by an fd.
 */
#ifndef HUSK_IDMAP_H
#define HUSK_IDMAP_H

#include "error.h"

#include <ocispec/spec.h>

/* An fd (O_RDONLY) of a new user namespace mapping uids and gids as the
 * lists say (containerID -> hostID, as in uid_map).  Needs the host's
 * /proc, so it runs before pivot_root. */
int idmap_userns_open(const struct oci_linux_id_mapping *uids, size_t nuids,
                      const struct oci_linux_id_mapping *gids, size_t ngids,
                      husk_error **err);

#endif
