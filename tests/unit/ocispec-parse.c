/* ocispec-parse: read one OCI JSON document with libocispec and print it
 * back, or print why it was refused.  Used by tests/unit/spec-outputs.sh to
 * check that what runc, crun and husk write is what husk reads, and handy
 * when debugging a config.json or a fuzzer finding.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Usage: ocispec-parse [--compact] [--private] TYPE FILE
 *   TYPE  config | process | state | features | resources
 *   FILE  a path, or - for standard input
 * Exit status: 0 and the regenerated JSON on stdout; 1 and one line on
 * stderr ("TYPE FILE: <libocispec message>") if the document is refused;
 * 2 on a usage error.
 */
#include "config.h"

#include <ocispec/features.h>
#include <ocispec/process.h>
#include <ocispec/spec.h>
#include <ocispec/state.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  const struct oci_type *type;
} types[] = {
    {"config", &oci_spec_type},
    {"process", &oci_process_type},
    {"state", &oci_state_type},
    {"features", &oci_features_type},
    {"resources", &oci_linux_resources_type},
};

static int usage(void) {
  fprintf(stderr, "usage: ocispec-parse [--compact] [--private] "
                  "config|process|state|features|resources FILE|-\n");
  return 2;
}

/* Standard input has no size to stat, so it is read here and handed to
 * oci_parse(); files go through oci_parse_file() like husk's own. */
static char *read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, stdin);
    if (n < cap)
      break;
    cap *= 2;
    char *nbuf = realloc(buf, cap);
    if (nbuf == NULL)
      free(buf);
    buf = nbuf;
  }
  if (buf == NULL || ferror(stdin)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  unsigned flags = OCI_GEN_PRETTY;
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (strcmp(argv[i], "--compact") == 0)
      flags &= ~(unsigned)OCI_GEN_PRETTY;
    else if (strcmp(argv[i], "--private") == 0)
      flags |= OCI_GEN_PRIVATE;
    else
      return usage();
  }
  if (argc - i != 2)
    return usage();
  const char *tname = argv[i], *file = argv[i + 1];

  const struct oci_type *type = NULL;
  for (size_t t = 0; t < OCI_COUNT(types); t++)
    if (strcmp(types[t].name, tname) == 0)
      type = types[t].type;
  if (type == NULL)
    return usage();

  void *obj = NULL;
  char *err = NULL;
  int r;
  if (strcmp(file, "-") == 0) {
    size_t len = 0;
    char *buf = read_stdin(&len);
    if (buf == NULL) {
      fprintf(stderr, "%s -: cannot read standard input\n", tname);
      return 1;
    }
    r = oci_parse(type, buf, len, &obj, &err);
    free(buf);
  } else {
    r = oci_parse_file(type, file, &obj, &err);
  }
  if (r < 0) {
    fprintf(stderr, "%s %s: %s\n", tname, file, err ? err : "(no message)");
    free(err);
    return 1;
  }

  char *out = NULL;
  size_t len = 0;
  if (oci_generate(type, obj, flags, &out, &len, &err) < 0) {
    fprintf(stderr, "%s %s: generate: %s\n", tname, file, err);
    free(err);
    oci_free(type, obj);
    return 1;
  }
  fwrite(out, 1, len, stdout);
  if (!(flags & OCI_GEN_PRETTY))
    putchar('\n');
  free(out);
  oci_free(type, obj);
  return fflush(stdout) == 0 ? 0 : 1;
}
