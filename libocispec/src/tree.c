/* A small JSON tree built with yajl's event parser.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tree.h"

#include <ocispec/schema.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* Deeper documents are refused: the reader and free walk the tree
 * recursively, and no OCI document nests anywhere near this. */
#define MAX_DEPTH 128

/* Every node, string, key and member array of one tree comes from an
 * arena freed at once: a config.json is hundreds of small values, and one
 * malloc and one free for each cost more than the rest of the parse. */
struct jchunk {
  struct jchunk *next;
  size_t used, size;
  max_align_t data[];
};

#define CHUNK_MIN (32u * 1024)

static void *arena_alloc(struct jchunk **arena, size_t n) {
  n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
  struct jchunk *c = *arena;
  if (c == NULL || c->size - c->used < n) {
    size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
    c = malloc(sizeof(*c) + size);
    if (c == NULL)
      return NULL;
    c->size = size;
    c->used = 0;
    c->next = *arena;
    *arena = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += n;
  return p;
}

static void arena_free(struct jchunk *c) {
  while (c) {
    struct jchunk *next = c->next;
    free(c);
    c = next;
  }
}

struct builder {
  struct jchunk *arena;
  struct jnode *root;
  struct jnode *stack[MAX_DEPTH];
  size_t depth;
  char *key; /* pending key of the innermost object */
  const char *failure; /* why a callback stopped the parse */
};

static struct jnode *node_new(struct builder *b, enum jtype t) {
  struct jnode *n = arena_alloc(&b->arena, sizeof(*n));
  if (n) {
    memset(n, 0, sizeof(*n));
    n->type = t;
  }
  return n;
}

/* The root owns the arena of its whole tree. */
void jtree_free(struct jnode *root) {
  if (root)
    arena_free(root->arena);
}

/* Member arrays grow by doubling, inside the arena (the old copy is left
 * there: at most as much again). */
static void *grow(struct builder *b, void *old, size_t len, size_t ncap,
                  size_t size) {
  void *p = arena_alloc(&b->arena, ncap * size);
  if (p && len)
    memcpy(p, old, len * size);
  return p;
}

/* Attach a finished value to the innermost container (or make it the root). */
static int attach(struct builder *b, struct jnode *n) {
  if (n == NULL) {
    b->failure = "out of memory";
    return 0;
  }
  if (b->depth == 0) {
    b->root = n;
    return 1;
  }
  struct jnode *parent = b->stack[b->depth - 1];
  /* Grow by doubling; len is a power of two exactly when full. */
  size_t cap = parent->len;
  if (cap == 0 || (cap & (cap - 1)) == 0) {
    size_t ncap = cap ? cap * 2 : 4;
    struct jnode **items = grow(b, parent->items, cap, ncap, sizeof(*items));
    if (items == NULL)
      goto oom;
    parent->items = items;
    if (parent->type == J_OBJECT) {
      char **keys = grow(b, parent->keys, cap, ncap, sizeof(*keys));
      if (keys == NULL)
        goto oom;
      parent->keys = keys;
    }
  }
  if (parent->type == J_OBJECT) {
    parent->keys[parent->len] = b->key;
    b->key = NULL;
  }
  parent->items[parent->len++] = n;
  return 1;
oom:
  b->failure = "out of memory";
  return 0;
}

static int on_null(void *ctx) {
  return attach(ctx, node_new(ctx, J_NULL));
}

static int on_boolean(void *ctx, int v) {
  struct jnode *n = node_new(ctx, J_BOOL);
  if (n)
    n->boolean = v != 0;
  return attach(ctx, n);
}

static struct jnode *text_node(struct builder *b, enum jtype t,
                              const unsigned char *s, size_t len) {
  struct jnode *n = node_new(b, t);
  if (n == NULL)
    return NULL;
  n->str = arena_alloc(&b->arena, len + 1);
  if (n->str == NULL)
    return NULL;
  memcpy(n->str, s, len);
  n->str[len] = '\0';
  if (t == J_STRING)
    n->len = len;
  return n;
}

static int on_number(void *ctx, const char *s, size_t len) {
  return attach(ctx, text_node(ctx, J_NUMBER, (const unsigned char *)s, len));
}

static int on_string(void *ctx, const unsigned char *s, size_t len) {
  return attach(ctx, text_node(ctx, J_STRING, s, len));
}

static int open_container(struct builder *b, enum jtype t) {
  if (b->depth == MAX_DEPTH) {
    b->failure = "nested too deeply";
    return 0;
  }
  struct jnode *n = node_new(b, t);
  /* Attach first so that the parent owns it even if the parse stops. */
  if (!attach(b, n))
    return 0;
  b->stack[b->depth++] = n;
  return 1;
}

static int on_start_map(void *ctx) {
  return open_container(ctx, J_OBJECT);
}

static int on_start_array(void *ctx) {
  return open_container(ctx, J_ARRAY);
}

static int on_map_key(void *ctx, const unsigned char *s, size_t len) {
  struct builder *b = ctx;
  /* A key cut at a NUL would silently name another field. */
  if (memchr(s, '\0', len) != NULL) {
    b->failure = "object key contains a NUL byte";
    return 0;
  }
  b->key = arena_alloc(&b->arena, len + 1);
  if (b->key == NULL) {
    b->failure = "out of memory";
    return 0;
  }
  memcpy(b->key, s, len);
  b->key[len] = '\0';
  return 1;
}

static int close_container(void *ctx) {
  struct builder *b = ctx;
  b->depth--;
  return 1;
}

static const yajl_callbacks callbacks = {
    .yajl_null = on_null,
    .yajl_boolean = on_boolean,
    .yajl_number = on_number,
    .yajl_string = on_string,
    .yajl_start_map = on_start_map,
    .yajl_map_key = on_map_key,
    .yajl_end_map = close_container,
    .yajl_start_array = on_start_array,
    .yajl_end_array = close_container,
};

/* Line and column (both from 1) of byte `off`. */
static void position(const char *buf, size_t off, size_t *line, size_t *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (buf[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* yajl's messages end in a newline and start with "parse error: " or
 * "lexical error: "; keep the part after the colon. */
static char *syntax_error(yajl_handle h, const char *buf, size_t len,
                          size_t off, const char *failure) {
  size_t line, col;
  if (off > len)
    off = len;
  position(buf, off, &line, &col);
  if (failure)
    return oci_error("", "line %zu, column %zu: malformed JSON: %s", line, col,
                     failure);
  unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)buf, len);
  const char *text = msg ? (const char *)msg : "invalid JSON";
  const char *colon = strstr(text, ": ");
  if (colon)
    text = colon + 2;
  size_t tl = strcspn(text, "\n");
  /* An empty document is the common mistake; say so plainly. */
  char *e = len == 0 ? oci_error("", "empty document, expected JSON")
                     : oci_error("", "line %zu, column %zu: malformed JSON: %.*s",
                                 line, col, (int)tl, text);
  if (msg)
    yajl_free_error(h, msg);
  return e;
}

int jtree_parse(const char *buf, size_t len, struct jnode **out, char **err) {
  struct builder b = {0};
  yajl_handle h = yajl_alloc(&callbacks, NULL, &b);
  if (h == NULL) {
    *err = oci_error("", "out of memory");
    return -1;
  }
  yajl_status st = yajl_parse(h, (const unsigned char *)buf, len);
  size_t off = yajl_get_bytes_consumed(h);
  if (st == yajl_status_ok) {
    st = yajl_complete_parse(h);
    off = len;
  }
  int ret = 0;
  if (st != yajl_status_ok || b.root == NULL) {
    *err = syntax_error(h, buf, len, off, b.failure);
    arena_free(b.arena);
    ret = -1;
  } else {
    b.root->arena = b.arena;
    *out = b.root;
  }
  yajl_free(h);
  return ret;
}

const char *jtype_name(enum jtype t) {
  switch (t) {
  case J_NULL:
    return "null";
  case J_BOOL:
    return "boolean";
  case J_NUMBER:
    return "number";
  case J_STRING:
    return "string";
  case J_OBJECT:
    return "object";
  case J_ARRAY:
    return "array";
  }
  return "value";
}
