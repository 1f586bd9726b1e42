/* Merging one JSON document into another, for updating a stored config.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Both documents are read with yajl_tree and the result is written with
 * yajl_gen while walking them, so that neither tree is modified and members
 * husk does not know survive untouched.
 */
#include "config.h"

#include "json-merge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

static yajl_gen_status gen_value(yajl_gen g, yajl_val v);

static yajl_gen_status gen_string(yajl_gen g, const char *s) {
  return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static yajl_gen_status gen_value(yajl_gen g, yajl_val v) {
  yajl_gen_status st = yajl_gen_status_ok;
  switch (v ? v->type : yajl_t_null) {
  case yajl_t_string:
    return gen_string(g, v->u.string);
  case yajl_t_number:
    /* The text as read: 18446744073709551615 stays exact. */
    return yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
  case yajl_t_true:
    return yajl_gen_bool(g, 1);
  case yajl_t_false:
    return yajl_gen_bool(g, 0);
  case yajl_t_object:
    st = yajl_gen_map_open(g);
    for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.object.len; i++) {
      st = gen_string(g, v->u.object.keys[i]);
      if (st == yajl_gen_status_ok)
        st = gen_value(g, v->u.object.values[i]);
    }
    return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
  case yajl_t_array:
    st = yajl_gen_array_open(g);
    for (size_t i = 0; st == yajl_gen_status_ok && i < v->u.array.len; i++)
      st = gen_value(g, v->u.array.values[i]);
    return st == yajl_gen_status_ok ? yajl_gen_array_close(g) : st;
  default:
    return yajl_gen_null(g);
  }
}

static yajl_val member(yajl_val obj, const char *key) {
  for (size_t i = 0; i < obj->u.object.len; i++)
    if (strcmp(obj->u.object.keys[i], key) == 0)
      return obj->u.object.values[i];
  return NULL;
}

static yajl_gen_status gen_merged(yajl_gen g, yajl_val base, yajl_val over) {
  if (!YAJL_IS_OBJECT(base) || !YAJL_IS_OBJECT(over))
    return gen_value(g, over);
  yajl_gen_status st = yajl_gen_map_open(g);
  for (size_t i = 0; st == yajl_gen_status_ok && i < base->u.object.len; i++) {
    const char *k = base->u.object.keys[i];
    yajl_val o = member(over, k);
    st = gen_string(g, k);
    if (st == yajl_gen_status_ok)
      st = o ? gen_merged(g, base->u.object.values[i], o)
             : gen_value(g, base->u.object.values[i]);
  }
  for (size_t i = 0; st == yajl_gen_status_ok && i < over->u.object.len; i++) {
    const char *k = over->u.object.keys[i];
    if (member(base, k) != NULL)
      continue;
    st = gen_string(g, k);
    if (st == yajl_gen_status_ok)
      st = gen_value(g, over->u.object.values[i]);
  }
  return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
}

static yajl_val parse(const char *text, const char *what, husk_error **err) {
  char msg[256] = "";
  yajl_val v = yajl_tree_parse(text, msg, sizeof(msg));
  if (v == NULL) {
    msg[strcspn(msg, "\n")] = '\0';
    husk_error_set(err, 0, "%s: malformed JSON: %s", what, msg);
  }
  return v;
}

int json_merge(const char *base, const char *over, char **out,
               husk_error **err) {
  int ret = -1;
  yajl_val b = parse(base, "merge base", err), o = NULL;
  yajl_gen g = NULL;
  if (b == NULL || (o = parse(over, "merge update", err)) == NULL)
    goto out;
  if ((g = yajl_gen_alloc(NULL)) == NULL) {
    husk_error_set(err, ENOMEM, "merge JSON");
    goto out;
  }
  yajl_gen_status st = gen_merged(g, b, o);
  if (st != yajl_gen_status_ok) {
    husk_error_set(err, 0, "merge JSON: yajl_gen status %d", (int)st);
    goto out;
  }
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf(g, &buf, &len);
  if ((*out = strndup((const char *)buf, len)) == NULL) {
    husk_error_set(err, ENOMEM, "merge JSON");
    goto out;
  }
  ret = 0;
out:
  if (g)
    yajl_gen_free(g);
  yajl_tree_free(o);
  yajl_tree_free(b);
  return ret;
}
