/* A small JSON tree built with yajl's event parser.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * yajl_tree cannot say where a syntax error is, and people fixing a
 * config.json by hand want "line 3, column 7"; so the reader builds its own
 * tree from yajl's callbacks.  Numbers keep their text: the table decides
 * whether "18446744073709551615" fits the C type, not a double.
 */
#ifndef OCISPEC_TREE_H
#define OCISPEC_TREE_H

#include <stdbool.h>
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_OBJECT, J_ARRAY };

struct jnode {
  enum jtype type;
  bool boolean;
  size_t len;           /* string bytes, or object/array members */
  char *str;            /* J_STRING and J_NUMBER text, NUL-terminated */
  char **keys;          /* J_OBJECT: len keys */
  struct jnode **items; /* J_OBJECT values, J_ARRAY elements */
  struct jchunk *arena; /* the root's: where the whole tree lives */
};

/* Parse one JSON document.  On failure returns -1 and sets *err to a
 * malloc'ed "line L, column C: malformed JSON: ..." message. */
int jtree_parse(const char *buf, size_t len, struct jnode **out, char **err);
/* Free the tree of `root` (the whole tree: not for a subtree). */
void jtree_free(struct jnode *root);
const char *jtype_name(enum jtype t);

#endif
