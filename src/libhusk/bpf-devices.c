/* The cgroup v2 device filter (see bpf-devices.h).
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The program, for the context struct bpf_cgroup_dev_ctx
 * { access_type = access << 16 | type; major; minor }:
 *
 *   r2 = type, r3 = access, r4 = major, r5 = minor
 *   for each access bit B (mknod, read, write):
 *     if (r3 & B) {
 *       for each rule naming B, last first:
 *         if (type, major, minor match) { allow: next bit; deny: return 0 }
 *       return 0
 *     }
 *   return 1
 *
 * A rule that matches any device ends its bit's list: what would follow
 * could never run, and the verifier refuses code that cannot run.
 */
#include "config.h"

#include "bpf-devices.h"

#include "cleanup.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Jump offsets are 16 bits; a list long enough to need more is refused. */
#define MAX_INSNS 30000

struct prog {
  struct bpf_insn *insn;
  size_t len, cap;
  bool oom;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src,
                 int16_t off, int32_t imm) {
  if (p->len == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 128;
    struct bpf_insn *n = realloc(p->insn, cap * sizeof(*n));
    if (n == NULL) {
      p->oom = true;
      return;
    }
    p->insn = n;
    p->cap = cap;
  }
  p->insn[p->len++] = (struct bpf_insn){
      .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

static void emit_return(struct prog *p, int32_t verdict) {
  emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, verdict);
  emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* Make the jump at `at` land on `target`. */
static void patch(struct prog *p, size_t at, size_t target) {
  if (!p->oom)
    p->insn[at].off = (int16_t)(target - at - 1);
}

/* One rule: compare what it names, jumping past it on a mismatch; then its
 * verdict.  Returns whether it matches every device (nothing after it in
 * this bit's list can run).  `*exits` collects the jumps to the bit's end. */
static bool emit_rule(struct prog *p, const struct cg_dev_rule *r,
                      size_t *exits, size_t *nexits) {
  /* What the rule names: type (r2), major (r4), minor (r5). */
  uint8_t reg[3];
  int64_t val[3];
  size_t nc = 0;
  if (r->type != 'a') {
    reg[nc] = BPF_REG_2;
    val[nc++] = r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
  }
  if (r->major >= 0) {
    reg[nc] = BPF_REG_4;
    val[nc++] = r->major;
  }
  if (r->minor >= 0) {
    reg[nc] = BPF_REG_5;
    val[nc++] = r->minor;
  }
  size_t verdict_len = r->allow ? 1 : 2;
  for (size_t k = 0; k < nc; k++)
    emit(p, BPF_JMP32 | BPF_JNE | BPF_K, reg[k], 0,
         (int16_t)(nc - k - 1 + verdict_len), (int32_t)(uint32_t)val[k]);
  if (r->allow) {
    exits[(*nexits)++] = p->len;
    emit(p, BPF_JMP | BPF_JA, 0, 0, 0, 0);
  } else {
    emit_return(p, 0);
  }
  return nc == 0;
}

int bpf_devices_program(const struct cg_dev_rule *rules, size_t n,
                        struct bpf_insn **insns, size_t *len, husk_error **err) {
  struct prog p = {0};
  cleanup_free size_t *exits = calloc(n + 1, sizeof(*exits));
  if (exits == NULL)
    return husk_error_set(err, ENOMEM, "device filter");

  /* struct bpf_cgroup_dev_ctx is three u32s; r1 points at it. */
  emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0);
  emit(&p, BPF_ALU | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
  emit(&p, BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
  emit(&p, BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
  emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0);
  emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0);

  static const unsigned bits[] = {CG_DEV_MKNOD, CG_DEV_READ, CG_DEV_WRITE};
  for (size_t b = 0; b < 3; b++) {
    size_t nexits = 0;
    /* Not asked for: on to the next bit. */
    emit(&p, BPF_JMP | BPF_JSET | BPF_K, BPF_REG_3, 0, 1, (int32_t)bits[b]);
    exits[nexits++] = p.len;
    emit(&p, BPF_JMP | BPF_JA, 0, 0, 0, 0);
    bool caught_all = false;
    for (size_t i = n; i-- > 0 && !caught_all;)
      if (rules[i].access & bits[b])
        caught_all = emit_rule(&p, &rules[i], exits, &nexits);
    if (!caught_all)
      emit_return(&p, 0);
    for (size_t e = 0; e < nexits; e++)
      patch(&p, exits[e], p.len);
    if (p.len > MAX_INSNS)
      break;
  }
  emit_return(&p, 1);

  if (p.oom) {
    free(p.insn);
    return husk_error_set(err, ENOMEM, "device filter");
  }
  if (p.len > MAX_INSNS) {
    free(p.insn);
    return husk_error_set(err, 0,
                          "linux.resources.devices: too many rules (%zu) for "
                          "the cgroup v2 device filter",
                          n);
  }
  *insns = p.insn;
  *len = p.len;
  return 0;
}

/* --- bpf(2) ------------------------------------------------------------------ */

static int sys_bpf(int cmd, union bpf_attr *attr) {
  return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load(const struct bpf_insn *insns, size_t len, husk_error **err) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.expected_attach_type = BPF_CGROUP_DEVICE;
  attr.insns = (uintptr_t)insns;
  attr.insn_cnt = (uint32_t)len;
  /* The program calls no helper, so no GPL-only one either. */
  attr.license = (uintptr_t) "LGPL-2.1-or-later";
  int fd = sys_bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  int saved = errno;
  if (saved != EINVAL && saved != EACCES)
    return husk_error_set(err, saved, "load the device filter (bpf)");
  /* The verifier said no: ask again for its reasons, for the message. */
  char log[16384] = "";
  attr.log_level = 1;
  attr.log_buf = (uintptr_t)log;
  attr.log_size = sizeof(log);
  fd = sys_bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0)
    return fd;
  /* The reason is the last line but the statistics ("processed N insns"). */
  const char *why = "";
  for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n"))
    if (strncmp(line, "processed ", 10) != 0)
      why = line;
  return husk_error_set(err, saved, "load the device filter (bpf): %s", why);
}

static int attach(int cgroup_fd, int prog_fd, unsigned flags, int replace_fd) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)cgroup_fd;
  attr.attach_bpf_fd = (uint32_t)prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = flags;
  attr.replace_bpf_fd = replace_fd >= 0 ? (uint32_t)replace_fd : 0;
  return sys_bpf(BPF_PROG_ATTACH, &attr);
}

static int detach(int cgroup_fd, int prog_fd) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.target_fd = (uint32_t)cgroup_fd;
  attr.attach_bpf_fd = (uint32_t)prog_fd;
  attr.attach_type = BPF_CGROUP_DEVICE;
  return sys_bpf(BPF_PROG_DETACH, &attr);
}

static int prog_fd_by_id(uint32_t id) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.prog_id = id;
  return sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
}

#define MAX_ATTACHED 64

/* The filters attached to the cgroup itself (not its ancestors'). */
static int query(int cgroup_fd, uint32_t *ids, uint32_t *n, uint32_t *flags) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.query.target_fd = (uint32_t)cgroup_fd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uintptr_t)ids;
  attr.query.prog_cnt = MAX_ATTACHED;
  if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
    return -1;
  *n = attr.query.prog_cnt;
  *flags = attr.query.attach_flags;
  return 0;
}

int bpf_devices_apply(int cgroup_fd, const struct bpf_insn *insns, size_t len,
                      husk_error **err) {
  cleanup_close int prog = load(insns, len, err);
  if (prog < 0)
    return -1;
  uint32_t ids[MAX_ATTACHED], n = 0, flags = 0;
  if (query(cgroup_fd, ids, &n, &flags) < 0)
    return husk_error_set(err, errno, "query the device filters (bpf)");
  if (n > MAX_ATTACHED)
    n = MAX_ATTACHED;

  if (n == 0) {
    if (attach(cgroup_fd, prog, BPF_F_ALLOW_MULTI, -1) < 0)
      return husk_error_set(err, errno, "attach the device filter (bpf)");
    return 0;
  }
  /* Someone attached a lone filter without BPF_F_ALLOW_MULTI: attaching
   * another the same way replaces it. */
  if (!(flags & BPF_F_ALLOW_MULTI)) {
    if (attach(cgroup_fd, prog, flags, -1) < 0)
      return husk_error_set(err, errno, "replace the device filter (bpf)");
    return 0;
  }
  if (n == 1) {
    cleanup_close int old = prog_fd_by_id(ids[0]);
    if (old < 0)
      return husk_error_set(err, errno, "open the device filter (bpf)");
    if (attach(cgroup_fd, prog, BPF_F_ALLOW_MULTI | BPF_F_REPLACE, old) < 0)
      return husk_error_set(err, errno, "replace the device filter (bpf)");
    return 0;
  }
  /* Several: the new one first, so that there is never none (all attached
   * filters must allow an access, so the stricter ones rule meanwhile),
   * then the old ones go. */
  int olds[MAX_ATTACHED];
  for (uint32_t i = 0; i < n; i++)
    olds[i] = prog_fd_by_id(ids[i]);
  int ret = 0;
  if (attach(cgroup_fd, prog, BPF_F_ALLOW_MULTI, -1) < 0)
    ret = husk_error_set(err, errno, "attach the device filter (bpf)");
  for (uint32_t i = 0; i < n; i++) {
    if (olds[i] < 0)
      continue;
    if (ret == 0 && detach(cgroup_fd, olds[i]) < 0 && errno != ENOENT)
      ret = husk_error_set(err, errno, "detach the old device filter (bpf)");
    close(olds[i]);
  }
  return ret;
}
