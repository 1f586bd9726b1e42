/* `exec`: the process to run, from the container's config and the flags.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * runc's rules: --process FILE is the whole process and the other process
 * flags are ignored; otherwise the config's process is the base, args are
 * replaced, --env entries are added (one for an existing NAME replaces
 * it), --additional-gids are added, --cap adds to the bounding, effective
 * and permitted sets (never inheritable or ambient), --user, --cwd,
 * --apparmor and --process-label replace, --tty sets terminal.
 */
#include "config.h"

#include "exec-internal.h"

#include "cleanup.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Append a copy of each of `add` to the malloc'ed string array *v. */
static int strv_add(char ***v, size_t *len, char *const *add, size_t n) {
  if (n == 0)
    return 0;
  char **nv = realloc(*v, (*len + n) * sizeof(char *));
  if (nv == NULL)
    return -1;
  *v = nv;
  for (size_t i = 0; i < n; i++) {
    if ((nv[*len] = strdup(add[i])) == NULL)
      return -1;
    (*len)++;
  }
  return 0;
}

/* NAME=VALUE replacing an entry for the same NAME, else appended: execve
 * would hand both to the process, and getenv() finds the first. */
static int env_set(struct oci_process *p, const char *entry,
                   husk_error **err) {
  const char *eq = strchr(entry, '=');
  if (eq == NULL || eq == entry)
    return husk_error_set(err, 0, "--env \"%s\": not NAME=VALUE", entry);
  size_t nlen = (size_t)(eq - entry) + 1;
  for (size_t i = 0; i < p->env_len; i++) {
    if (strncmp(p->env[i], entry, nlen) == 0) {
      char *copy = strdup(entry);
      if (copy == NULL)
        return husk_error_set(err, ENOMEM, "--env");
      free(p->env[i]);
      p->env[i] = copy;
      return 0;
    }
  }
  if (strv_add(&p->env, &p->env_len, (char *const *)&entry, 1) < 0)
    return husk_error_set(err, ENOMEM, "--env");
  return 0;
}

/* One id of --user or --additional-gids: a number, as runc accepts. */
static int parse_id(const char *flag, const char *s, size_t len, uint32_t *out,
                    husk_error **err) {
  char buf[16];
  char *end;
  if (len == 0 || len >= sizeof(buf))
    return husk_error_set(err, 0, "%s: invalid id \"%.*s\"", flag, (int)len, s);
  memcpy(buf, s, len);
  buf[len] = '\0';
  errno = 0;
  unsigned long v = strtoul(buf, &end, 10);
  if (errno || *end || buf[0] < '0' || buf[0] > '9' || v > UINT32_MAX - 1)
    return husk_error_set(err, 0, "%s: \"%s\" is not a numeric id", flag, buf);
  *out = (uint32_t)v;
  return 0;
}

static struct oci_user *user_of(struct oci_process *p) {
  if (p->user == NULL)
    p->user = calloc(1, sizeof(*p->user));
  return p->user;
}

/* --user UID[:GID]: the gid stays the config's when not given (runc). */
static int set_user(struct oci_process *p, const char *spec, husk_error **err) {
  struct oci_user *u = user_of(p);
  if (u == NULL)
    return husk_error_set(err, ENOMEM, "--user");
  const char *colon = strchr(spec, ':');
  size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
  if (parse_id("--user", spec, ulen, &u->uid, err) < 0)
    return -1;
  if (colon && parse_id("--user", colon + 1, strlen(colon + 1), &u->gid, err) < 0)
    return -1;
  return 0;
}

static int add_gids(struct oci_process *p, char *const *gids, size_t n,
                    husk_error **err) {
  if (n == 0)
    return 0;
  struct oci_user *u = user_of(p);
  if (u == NULL)
    return husk_error_set(err, ENOMEM, "--additional-gids");
  uint32_t *v = realloc(u->additional_gids,
                        (u->additional_gids_len + n) * sizeof(uint32_t));
  if (v == NULL)
    return husk_error_set(err, ENOMEM, "--additional-gids");
  u->additional_gids = v;
  for (size_t i = 0; i < n; i++) {
    if (parse_id("--additional-gids", gids[i], strlen(gids[i]),
                 &v[u->additional_gids_len], err) < 0)
      return -1;
    u->additional_gids_len++;
  }
  return 0;
}

static int add_caps(struct oci_process *p, char *const *caps, size_t n,
                    husk_error **err) {
  if (n == 0)
    return 0;
  if (p->capabilities == NULL &&
      (p->capabilities = calloc(1, sizeof(*p->capabilities))) == NULL)
    return husk_error_set(err, ENOMEM, "--cap");
  struct oci_linux_capabilities *c = p->capabilities;
  if (strv_add(&c->bounding, &c->bounding_len, caps, n) < 0 ||
      strv_add(&c->effective, &c->effective_len, caps, n) < 0 ||
      strv_add(&c->permitted, &c->permitted_len, caps, n) < 0)
    return husk_error_set(err, ENOMEM, "--cap");
  return 0;
}

/* Replace the string *field with a copy of `v` (when given). */
static int replace(char **field, const char *v, const char *flag,
                   husk_error **err) {
  if (v == NULL)
    return 0;
  char *copy = strdup(v);
  if (copy == NULL)
    return husk_error_set(err, ENOMEM, "%s", flag);
  free(*field);
  *field = copy;
  return 0;
}

static int apply_flags(const struct exec_opts *o, struct oci_process *p,
                       husk_error **err) {
  for (size_t i = 0; i < p->args_len; i++)
    free(p->args[i]);
  p->args_len = 0;
  if (strv_add(&p->args, &p->args_len, o->args, o->args_len) < 0)
    return husk_error_set(err, ENOMEM, "args");
  for (size_t i = 0; i < o->env_len; i++)
    if (env_set(p, o->env[i], err) < 0)
      return -1;
  if (o->cwd && o->cwd[0] != '/')
    return husk_error_set(err, 0, "--cwd \"%s\": not an absolute path", o->cwd);
  if (replace(&p->cwd, o->cwd, "--cwd", err) < 0 ||
      replace(&p->apparmor_profile, o->apparmor, "--apparmor", err) < 0 ||
      replace(&p->selinux_label, o->process_label, "--process-label", err) < 0)
    return -1;
  if (o->user && set_user(p, o->user, err) < 0)
    return -1;
  if (add_gids(p, o->additional_gids, o->additional_gids_len, err) < 0 ||
      add_caps(p, o->caps, o->caps_len, err) < 0)
    return -1;
  if (o->no_new_privs)
    p->no_new_privileges = p->no_new_privileges_present = true;
  p->terminal = o->tty;
  p->terminal_present = true;
  return 0;
}

int exec_process_build(const struct exec_opts *o, struct oci_spec *spec,
                       struct oci_process **out, husk_error **err) {
  if (o->process_file) {
    char *msg = NULL;
    if (oci_process_parse_file(o->process_file, out, &msg) < 0) {
      husk_error_take(err, 0, msg);
      return husk_error_prefix(err, "--process %s", o->process_file);
    }
    return 0;
  }
  if (o->args_len == 0)
    return husk_error_set(err, 0, "missing <command>");
  if (spec->process == NULL)
    return husk_error_set(err, 0,
                          "the container's config has no process to start "
                          "from: use --process");
  struct oci_process *p = steal_pointer(&spec->process);
  if (apply_flags(o, p, err) < 0) {
    oci_process_free(p);
    return -1;
  }
  *out = p;
  return 0;
}
