/* OCI hooks: the six points, state JSON on stdin, timeouts.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_HOOKS_H
#define HUSK_HOOKS_H

#include "error.h"

#include <ocispec/spec.h>
#include <stddef.h>

/* Run `n` hooks in order, each with `state_json` on its stdin, its args and
 * env (nothing else of husk's environment), and its timeout (SIGKILL when it
 * expires).  Stops at the first that fails (exit status != 0, signal,
 * timeout, exec failure) with an error naming the hook point and index:
 * `createRuntime hook 0 (/usr/bin/x): exited with status 3`.  `point` is the
 * JSON name ("createRuntime"). stdout and stderr of a hook go to husk's
 * stderr, so that they end up in the engine's log. */
int hooks_run(const char *point, const struct oci_hook *hooks, size_t n,
              const char *state_json, husk_error **err);

/* Same, but a failing hook is logged as a warning and the rest still run
 * (poststart, poststop: runtime.md "log a warning ... continue"). */
void hooks_run_warn(const char *point, const struct oci_hook *hooks, size_t n,
                    const char *state_json);

#endif
