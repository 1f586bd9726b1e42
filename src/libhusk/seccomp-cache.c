/* Compiled seccomp programs kept in the state root.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * File layout (host byte order: the program is native anyway):
 *   struct cache_header, then key_len bytes of key, then insn_count
 *   struct sock_filter; the checksum is FNV-1a 64 over key and program.
 */
#include "config.h"

#include "seccomp-cache.h"

#include "cleanup.h"
#include "log.h"
#include "seccomp-compile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define CACHE_MAGIC "HUSKBPF1"
/* A key is a profile's JSON: engines' profiles are some 20 KiB. */
#define CACHE_MAX_KEY (16u << 20)

struct cache_header {
  char magic[8];
  uint32_t key_len;
  uint32_t insn_count;
  uint64_t checksum;
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
#define FNV_OFFSET 0xcbf29ce484222325ULL

static uint64_t checksum(const void *key, size_t key_len, const void *insns,
                         size_t insns_size) {
  return fnv1a(fnv1a(FNV_OFFSET, key, key_len), insns, insns_size);
}

int seccomp_cache_key(const struct oci_linux_seccomp *s,
                      struct seccomp_cache_key *key, husk_error **err) {
  /* seccomp(2) flags and the listener are applied by the init, not
   * compiled: profiles differing only there share one program. */
  struct oci_linux_seccomp bpf_only = *s;
  bpf_only.flags = NULL;
  bpf_only.flags_len = 0;
  bpf_only.listener_path = NULL;
  bpf_only.listener_metadata = NULL;
  cleanup_free char *json = NULL;
  char *msg = NULL;
  size_t json_len = 0;
  if (oci_generate(&oci_linux_seccomp_type, &bpf_only, 0, &json, &json_len,
                   &msg) < 0) {
    husk_error_take(err, 0, msg);
    return husk_error_prefix(err, "linux.seccomp");
  }
  char compiler[96];
  seccomp_compiler_id(compiler, sizeof(compiler));
  int n = asprintf(&key->text, "husk seccomp cache 1\n%s\n%s", compiler, json);
  if (n < 0) {
    key->text = NULL;
    return husk_error_set(err, ENOMEM, "linux.seccomp: cache key");
  }
  key->len = (size_t)n;
  snprintf(key->name, sizeof(key->name), "%016" PRIx64 ".bpf",
           fnv1a(FNV_OFFSET, key->text, key->len));
  return 0;
}

void seccomp_cache_key_clear(struct seccomp_cache_key *key) {
  free(key->text);
  key->text = NULL;
  key->len = 0;
}

static int open_cache_dir(int rootfd, bool create) {
  if (create && mkdirat(rootfd, SECCOMP_CACHE_DIR, 0700) < 0 && errno != EEXIST)
    return -1;
  return openat(rootfd, SECCOMP_CACHE_DIR,
                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static bool read_exact(int fd, void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = read(fd, (char *)buf + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += (size_t)n;
  }
  return true;
}

/* Why a cache file is not used, for the debug log; NULL when it is. */
static const char *check_file(int fd, const struct seccomp_cache_key *key,
                              struct sock_filter **insns, size_t *len) {
  struct stat st;
  struct cache_header h;
  if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
    return "not a regular file";
  if (!read_exact(fd, &h, sizeof(h)) ||
      memcmp(h.magic, CACHE_MAGIC, sizeof(h.magic)) != 0)
    return "bad header";
  if (h.key_len != key->len || h.insn_count == 0 ||
      h.insn_count > BPF_MAXINSNS)
    return "other key or bad size";
  size_t insns_size = (size_t)h.insn_count * sizeof(struct sock_filter);
  if ((uint64_t)st.st_size != sizeof(h) + (uint64_t)h.key_len + insns_size)
    return "truncated or overlong";
  cleanup_free char *stored_key = malloc(h.key_len ? h.key_len : 1);
  cleanup_free struct sock_filter *prog = malloc(insns_size);
  if (stored_key == NULL || prog == NULL)
    return "out of memory";
  if (!read_exact(fd, stored_key, h.key_len) ||
      !read_exact(fd, prog, insns_size))
    return "short read";
  if (memcmp(stored_key, key->text, key->len) != 0)
    return "other key (hash collision)";
  if (checksum(stored_key, h.key_len, prog, insns_size) != h.checksum)
    return "checksum mismatch";
  *insns = steal_pointer(&prog);
  *len = h.insn_count;
  return NULL;
}

bool seccomp_cache_load(int rootfd, const struct seccomp_cache_key *key,
                        struct sock_filter **insns, size_t *len) {
  if (key->len > CACHE_MAX_KEY)
    return false;
  cleanup_close int dirfd = open_cache_dir(rootfd, false);
  if (dirfd < 0)
    return false;
  cleanup_close int fd =
      openat(dirfd, key->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return false;
  const char *why = check_file(fd, key, insns, len);
  if (why != NULL) {
    husk_debug("seccomp cache: %s/%s: %s; compiling again", SECCOMP_CACHE_DIR,
               key->name, why);
    return false;
  }
  husk_debug("seccomp cache: using %s/%s", SECCOMP_CACHE_DIR, key->name);
  return true;
}

static bool write_all(int fd, const struct iovec *iov, int n) {
  size_t total = 0;
  for (int i = 0; i < n; i++)
    total += iov[i].iov_len;
  /* A regular file takes it all at once or fails (ENOSPC, EIO). */
  return writev(fd, iov, n) == (ssize_t)total;
}

void seccomp_cache_store(int rootfd, const struct seccomp_cache_key *key,
                         const struct sock_filter *insns, size_t len) {
  if (key->len > CACHE_MAX_KEY || len == 0 || len > BPF_MAXINSNS)
    return;
  cleanup_close int dirfd = open_cache_dir(rootfd, true);
  if (dirfd < 0) {
    husk_debug("seccomp cache: %s: %s", SECCOMP_CACHE_DIR, strerror(errno));
    return;
  }
  size_t insns_size = len * sizeof(struct sock_filter);
  struct cache_header h = {.key_len = (uint32_t)key->len,
                           .insn_count = (uint32_t)len,
                           .checksum = checksum(key->text, key->len, insns,
                                                insns_size)};
  memcpy(h.magic, CACHE_MAGIC, sizeof(h.magic));
  struct iovec iov[] = {{&h, sizeof(h)},
                        {key->text, key->len},
                        {(void *)insns, insns_size}};
  /* Written aside and renamed over, so that concurrent creates never read
   * a partial file; the pid keeps their temporary names apart. */
  char tmp[64];
  snprintf(tmp, sizeof(tmp), "%s.tmp-%d", key->name, (int)getpid());
  cleanup_close int fd = openat(
      dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0 || !write_all(fd, iov, 3) ||
      renameat(dirfd, tmp, dirfd, key->name) < 0) {
    husk_debug("seccomp cache: store %s: %s", key->name, strerror(errno));
    unlinkat(dirfd, tmp, 0);
    return;
  }
  husk_debug("seccomp cache: stored %s/%s", SECCOMP_CACHE_DIR, key->name);
}
