/* fuzz.h: the body shared by the libFuzzer targets in tests/fuzz, one per
 * JSON document husk reads (config.json, process.json, state.json,
 * features.json, linux.resources).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A target defines FUZZ_TYPE (the libocispec table) and includes this.
 * Beyond "does not crash or leak", each input that parses must survive a
 * round trip: what we write must be read back, and writing that again must
 * give the same bytes, compact and pretty, with and without the private
 * fields.  A writer that emits something its own reader refuses would turn
 * a state.json husk wrote into a container husk cannot manage.
 *
 * Built with -DFUZZ_REPLAY (plain `make check`, no clang needed) the same
 * target becomes a TAP test that runs every file of its seed corpus once,
 * so the corpora and the targets never rot.
 */
#ifndef HUSK_FUZZ_H
#define HUSK_FUZZ_H

#include <ocispec/features.h>
#include <ocispec/process.h>
#include <ocispec/spec.h>
#include <ocispec/state.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FUZZ_TYPE
#error "define FUZZ_TYPE to the oci_type to fuzz"
#endif

/* A broken invariant: say which, and abort so that libFuzzer (or the
 * replay test) records the input. */
#define FUZZ_ASSERT(cond, ...)                                                 \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "fuzz invariant failed: " __VA_ARGS__);                 \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* Generate `obj` with `flags`, read that back, generate again: both
 * outputs must be identical.  Returns the first output (caller frees). */
static char *fuzz_regenerate(const struct oci_type *type, const void *obj,
                             unsigned flags) {
  char *out = NULL, *out2 = NULL, *err = NULL;
  size_t len = 0, len2 = 0;
  void *again = NULL;
  FUZZ_ASSERT(oci_generate(type, obj, flags, &out, &len, &err) == 0,
              "generate (flags %u): %s", flags, err);
  FUZZ_ASSERT(strlen(out) == len, "generated length %zu but strlen %zu", len,
              strlen(out));
  FUZZ_ASSERT(oci_parse(type, out, len, &again, &err) == 0,
              "our own output is refused: %s\n%s", err, out);
  FUZZ_ASSERT(oci_generate(type, again, flags, &out2, &len2, &err) == 0,
              "generate after re-read: %s", err);
  FUZZ_ASSERT(len == len2 && memcmp(out, out2, len) == 0,
              "regeneration differs:\n%s\n%s", out, out2);
  oci_free(type, again);
  free(out2);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const struct oci_type *type = &FUZZ_TYPE;
  void *obj = NULL;
  char *err = NULL;
  if (oci_parse(type, (const char *)data, size, &obj, &err) < 0) {
    /* A refusal must say why, on one line. */
    FUZZ_ASSERT(err != NULL && *err != '\0', "refused without a message");
    FUZZ_ASSERT(strchr(err, '\n') == NULL, "message has a newline: %s", err);
    FUZZ_ASSERT(obj == NULL, "output set on failure");
    free(err);
    return 0;
  }
  FUZZ_ASSERT(err == NULL, "message on success: %s", err);
  /* What the reader accepted, the validator accepts. */
  FUZZ_ASSERT(oci_validate(type, obj, &err) == 0,
              "parsed object does not validate: %s", err);

  char *priv = fuzz_regenerate(type, obj, OCI_GEN_PRIVATE);
  char *pretty = fuzz_regenerate(type, obj, OCI_GEN_PRIVATE | OCI_GEN_PRETTY);
  free(fuzz_regenerate(type, obj, 0));

  /* Pretty and compact say the same thing: read the pretty form and write
   * it compact. */
  void *again = NULL;
  char *compact = NULL;
  FUZZ_ASSERT(oci_parse(type, pretty, strlen(pretty), &again, &err) == 0,
              "pretty output refused: %s", err);
  FUZZ_ASSERT(oci_generate(type, again, OCI_GEN_PRIVATE, &compact, NULL,
                           &err) == 0,
              "generate: %s", err);
  FUZZ_ASSERT(strcmp(priv, compact) == 0, "pretty and compact differ:\n%s\n%s",
              priv, compact);
  oci_free(type, again);
  free(compact);
  free(pretty);
  free(priv);
  oci_free(type, obj);
  return 0;
}

#ifdef FUZZ_REPLAY
/* Replay mode: every file of the seed corpus once, one TAP line each. */
#include <dirent.h>

#define FUZZ_STR_(x) #x
#define FUZZ_STR(x) FUZZ_STR_(x)

static int fuzz_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  const char *top = getenv("abs_top_srcdir");
  char dir[4096];
  if (top == NULL || *top == '\0')
    top = HUSK_ABS_TOP_SRCDIR;
  if (argc > 1)
    snprintf(dir, sizeof(dir), "%s", argv[1]);
  else
    snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top,
             FUZZ_STR(FUZZ_NAME));
  DIR *d = opendir(dir);
  if (d == NULL) {
    printf("Bail out! cannot open %s\n", dir);
    return 1;
  }
  /* Sorted, so that test numbers name the same file on every run. */
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char **nn = realloc(names, (n + 1) * sizeof(*names));
    if (nn == NULL || (nn[n] = strdup(e->d_name)) == NULL)
      abort();
    names = nn;
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof(*names), fuzz_cmp);
  printf("1..%zu\n", n);
  int status = 0;
  for (size_t i = 0; i < n; i++) {
    char path[8192];
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;
    if (f) {
      fseek(f, 0, SEEK_END);
      long sz = ftell(f);
      rewind(f);
      buf = malloc(sz > 0 ? (size_t)sz : 1);
      len = buf && sz > 0 ? fread(buf, 1, (size_t)sz, f) : 0;
      fclose(f);
    }
    if (buf == NULL) {
      printf("not ok %zu - %s: cannot read\n", i + 1, names[i]);
      status = 1;
    } else {
      /* An invariant failure aborts the whole run, which the TAP driver
       * reports with the file name printed last. */
      fprintf(stderr, "# %s\n", names[i]);
      LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
      printf("ok %zu - %s/%s\n", i + 1, FUZZ_STR(FUZZ_NAME), names[i]);
    }
    fflush(stdout);
    free(buf);
    free(names[i]);
  }
  free(names);
  return status;
}
#endif

#endif
