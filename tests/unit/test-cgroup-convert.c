/* test-cgroup-convert: TAP unit tests of the cgroup value conversions and
 * of the device rules, for cgroup v1 and for the v2 eBPF filter.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The conversions are pinned to the values runc gives (a config moved
 * from runc to husk must get the same kernel values).  The device rules
 * are checked against one reference, "for each access bit asked, the last
 * rule naming the device and the bit decides; none: denied":
 *   - the eBPF program, run by a small interpreter of the instructions it
 *     uses, must answer as the reference for every request, and must have
 *     no instruction the kernel's verifier would find unreachable;
 *   - the v1 default and exceptions, read the way the kernel reads them
 *     (one exception must grant every bit asked; any deny exception with a
 *     bit asked refuses), must answer as the reference whenever
 *     cg_dev_v1_list() accepts the list.
 * Rule lists are drawn at random (fixed seed) from a small universe in
 * which wildcards and numbers collide often.
 */
#include "config.h"

#include "bpf-devices.h"
#include "cgroup-convert.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static bool error_is(husk_error *err, const char *want) {
  bool ok = err && strcmp(err->msg, want) == 0;
  if (!ok)
    tap_diag("got:  %s\nwant: %s", err ? err->msg : "(no error)", want);
  return ok;
}

/* --- conversions ------------------------------------------------------------ */

static void test_weights(void) {
  static const struct {
    uint64_t shares, weight;
  } s[] = {{0, 1}, {1, 1}, {2, 1}, {512, 20}, {1024, 39}, {262144, 10000},
           {1000000, 10000}};
  for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
    tap_ok(cg_shares_to_weight(s[i].shares) == s[i].weight,
           "cpu.shares %" PRIu64 " -> cpu.weight %" PRIu64 " (got %" PRIu64 ")",
           s[i].shares, s[i].weight, cg_shares_to_weight(s[i].shares));
  static const struct {
    uint64_t blkio, io;
  } b[] = {{1, 1}, {10, 1}, {100, 910}, {500, 4950}, {1000, 10000}, {5000, 10000}};
  for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
    tap_ok(cg_blkio_to_io_weight(b[i].blkio) == b[i].io,
           "blkio.weight %" PRIu64 " -> io.weight %" PRIu64 " (got %" PRIu64 ")",
           b[i].blkio, b[i].io, cg_blkio_to_io_weight(b[i].blkio));
}

static void test_swap(void) {
  static const struct {
    bool present;
    int64_t swap, limit;
    int ret;
    int64_t out;
    const char *error;
  } t[] = {
      {true, 150000000, 100000000, 1, 50000000, NULL},
      {true, 100000000, 100000000, 1, 0, NULL},
      {true, -1, 100000000, 1, -1, NULL},
      {true, -1, -1, 1, -1, NULL},
      {false, 0, -1, 1, -1, NULL},
      {false, 0, 100000000, 0, 0, NULL},
      {true, 0, 100000000, 0, 0, NULL},
      {true, 50000000, 100000000, -1, 0,
       "linux.resources.memory.swap: must be >= memory.limit (it counts "
       "memory and swap together)"},
      {true, 150000000, -1, -1, 0,
       "linux.resources.memory.swap: a swap limit needs a memory limit "
       "(linux.resources.memory.limit)"},
      {true, -2, 100, -1, 0,
       "linux.resources.memory.swap: -2 is neither -1 nor a number of bytes"},
  };
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    husk_error *err = NULL;
    int64_t out = 12345;
    int r = cg_swap_to_v2(t[i].present, t[i].swap, t[i].limit, &out, &err);
    bool ok = r == t[i].ret && (r != 1 || out == t[i].out) &&
              (t[i].error ? error_is(err, t[i].error) : err == NULL);
    tap_ok(ok, "swap %s%" PRId64 ", limit %" PRId64 " -> %d %" PRId64,
           t[i].present ? "" : "(absent) ", t[i].swap, t[i].limit, t[i].ret,
           t[i].out);
    husk_error_free(err);
  }
}

static void test_formats(void) {
  char buf[CG_VALUE_MAX];
  cg_v2_limit(-1, buf);
  tap_ok(strcmp(buf, "max") == 0, "v2 limit -1 is max");
  cg_v2_limit(4096, buf);
  tap_ok(strcmp(buf, "4096") == 0, "v2 limit 4096");

  cg_cpu_max(true, 50000, true, 100000, buf);
  tap_ok(strcmp(buf, "50000 100000") == 0, "cpu.max quota and period: %s", buf);
  cg_cpu_max(true, -1, true, 250000, buf);
  tap_ok(strcmp(buf, "max 250000") == 0, "cpu.max no quota: %s", buf);
  cg_cpu_max(true, 20000, false, 0, buf);
  tap_ok(strcmp(buf, "20000") == 0, "cpu.max quota alone: %s", buf);

  cg_io_max_line(8, 16, "rbps", 1048576, buf);
  tap_ok(strcmp(buf, "8:16 rbps=1048576") == 0, "io.max line: %s", buf);
  cg_io_max_line(254, 0, "wiops", 0, buf);
  tap_ok(strcmp(buf, "254:0 wiops=max") == 0, "io.max rate 0 is max: %s", buf);

  struct oci_linux_rdma r = {.key = "mlx5_1", .hca_handles = 3,
                             .hca_handles_present = true};
  char line[256];
  tap_ok(cg_rdma_line(&r, line, sizeof(line)) > 0 &&
             strcmp(line, "mlx5_1 hca_handle=3") == 0,
         "rdma.max one field: %s", line);
  r.hca_objects = 1000;
  r.hca_objects_present = true;
  tap_ok(cg_rdma_line(&r, line, sizeof(line)) > 0 &&
             strcmp(line, "mlx5_1 hca_handle=3 hca_object=1000") == 0,
         "rdma.max both fields: %s", line);
  r.key = "a b";
  tap_ok(cg_rdma_line(&r, line, sizeof(line)) < 0, "rdma device with a space");
}

static void test_names(void) {
  static const char *good[] = {"memory.high", "hugetlb.2MB.max", "cpu.idle"};
  static const char *bad[] = {"", ".", "..", "../memory.max", "a/b", "a b",
                              "memory.high\n"};
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    tap_ok(cg_file_name_ok(good[i]), "file name \"%s\" accepted", good[i]);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    tap_ok(!cg_file_name_ok(bad[i]), "file name \"%s\" refused", bad[i]);

  char f[96];
  husk_error *err = NULL;
  tap_ok(cg_hugetlb_file("2MB", true, f, sizeof(f), &err) == 0 &&
             strcmp(f, "hugetlb.2MB.max") == 0,
         "hugetlb v2 file: %s", f);
  tap_ok(cg_hugetlb_file("1GB", false, f, sizeof(f), &err) == 0 &&
             strcmp(f, "hugetlb.1GB.limit_in_bytes") == 0,
         "hugetlb v1 file: %s", f);
  tap_ok(cg_hugetlb_file("64KB", true, f, sizeof(f), &err) == 0,
         "hugetlb 64KB");
  static const char *sizes[] = {"2mb", "../2MB", "MB", "2 MB", "2MB/x", ""};
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    husk_error *e = NULL;
    char want[128];
    snprintf(want, sizeof(want),
             "pageSize \"%s\" is not a size such as 2MB or 1GB", sizes[i]);
    tap_ok(cg_hugetlb_file(sizes[i], true, f, sizeof(f), &e) < 0 &&
               error_is(e, want),
           "page size \"%s\" refused", sizes[i]);
    husk_error_free(e);
  }
  husk_error_free(err);
}

/* --- device rules: parsing and the v1 form ----------------------------------- */

#define DEFAULT_RULES 11

static void test_device_rules(void) {
  struct cg_dev_rule *r = NULL;
  size_t n = 0;
  husk_error *err = NULL;
  tap_ok(cg_device_rules(NULL, 0, &r, &n, &err) == 0 && n == DEFAULT_RULES,
         "no rules: the %d defaults", DEFAULT_RULES);
  free(r);

  struct oci_linux_device_cgroup d[] = {
      {.allow = false, .access = "rwm"},
      {.allow = true, .type = "c", .major = 10, .major_present = true,
       .minor = -1, .minor_present = true, .access = "mr"},
  };
  tap_ok(cg_device_rules(d, 2, &r, &n, &err) == 0 && n == 2 + DEFAULT_RULES &&
             r[0].type == 'a' && r[0].major == -1 && r[0].minor == -1 &&
             r[0].access == CG_DEV_RWM && !r[0].allow && r[1].type == 'c' &&
             r[1].major == 10 && r[1].minor == -1 &&
             r[1].access == (CG_DEV_MKNOD | CG_DEV_READ) && r[1].allow,
         "rules in order, then the defaults; -1 is a wildcard");
  char line[CG_VALUE_MAX];
  cg_dev_rule_v1(&r[1], line);
  tap_ok(strcmp(line, "c 10:* rm") == 0, "v1 line: %s", line);
  cg_dev_rule_v1(&r[2], line);
  tap_ok(strcmp(line, "c *:* m") == 0, "v1 line of the first default: %s", line);
  free(r);

  static const struct {
    struct oci_linux_device_cgroup d;
    const char *error;
  } bad[] = {
      {{.allow = true, .type = "u", .access = "r"},
       "linux.resources.devices[0].type: \"u\" is not a, b or c"},
      {{.allow = true, .type = "c"},
       "linux.resources.devices[0].access: must not be empty (a subset of "
       "\"rwm\")"},
      {{.allow = true, .access = "rwx"},
       "linux.resources.devices[0].access: \"rwx\" is not a subset of \"rwm\""},
      {{.allow = true, .major = -5, .major_present = true, .access = "r"},
       "linux.resources.devices[0].major: -5 is not a device number"},
      {{.allow = true, .minor = 1LL << 33, .minor_present = true, .access = "r"},
       "linux.resources.devices[0].minor: 8589934592 is not a device number"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    husk_error *e = NULL;
    tap_ok(cg_device_rules(&bad[i].d, 1, &r, &n, &e) < 0 &&
               error_is(e, bad[i].error),
           "refused: %s", bad[i].error);
    husk_error_free(e);
  }
}

static void test_v1_list(void) {
  struct cg_dev_rule rules[] = {
      {false, 'a', -1, -1, CG_DEV_RWM},
      {true, 'c', 1, 3, CG_DEV_RWM},
      {true, 'a', 7, -1, CG_DEV_READ},
  };
  bool allow;
  struct cg_dev_rule *e;
  size_t n;
  husk_error *err = NULL;
  tap_ok(cg_dev_v1_list(rules, 3, &allow, &e, &n, &err) == 0 && !allow &&
             n == 3,
         "deny-all then allows: default deny, 3 exceptions (a split in b, c)");
  if (n == 3) {
    char l[3][CG_VALUE_MAX];
    for (size_t i = 0; i < 3; i++)
      cg_dev_rule_v1(&e[i], l[i]);
    tap_ok(strcmp(l[0], "c 1:3 rwm") == 0 && strcmp(l[1], "b 7:* r") == 0 &&
               strcmp(l[2], "c 7:* r") == 0,
           "exceptions: %s, %s, %s", l[0], l[1], l[2]);
  } else {
    tap_ok(false, "exceptions");
  }
  free(e);

  struct cg_dev_rule rules2[] = {
      {true, 'a', -1, -1, CG_DEV_RWM},
      {false, 'b', 7, -1, CG_DEV_WRITE},
      {true, 'b', -1, -1, CG_DEV_MKNOD},
  };
  tap_ok(cg_dev_v1_list(rules2, 3, &allow, &e, &n, &err) == 0 && allow &&
             n == 1 && e[0].type == 'b' && e[0].major == 7 &&
             e[0].access == CG_DEV_WRITE,
         "allow-all then a deny: default allow, one deny exception");
  free(e);

  struct cg_dev_rule hole[] = {
      {false, 'a', -1, -1, CG_DEV_RWM},
      {true, 'c', 1, -1, CG_DEV_RWM},
      {false, 'c', 1, 4, CG_DEV_WRITE},
  };
  tap_ok(cg_dev_v1_list(hole, 3, &allow, &e, &n, &err) < 0 &&
             error_is(err, "linux.resources.devices: \"deny c 1:4 w\" after "
                           "\"allow c 1:* rwm\" cannot be expressed with the "
                           "cgroup v1 device controller"),
         "a hole in a wildcard exception is refused");
  husk_error_free(err);
  err = NULL;

  struct cg_dev_rule two[] = {
      {true, 'c', 1, 3, CG_DEV_READ},
      {true, 'c', 1, -1, CG_DEV_WRITE},
  };
  bool found = false;
  if (cg_dev_v1_list(two, 2, &allow, &e, &n, &err) == 0) {
    for (size_t i = 0; i < n; i++)
      found |= e[i].major == 1 && e[i].minor == 3 &&
               e[i].access == (CG_DEV_READ | CG_DEV_WRITE);
    free(e);
  }
  tap_ok(found, "r by one rule and w by another: one exception with rw");
}

/* --- the reference, the v1 model, the eBPF interpreter ------------------------ */

struct request {
  char type; /* 'b' or 'c' */
  int64_t major, minor;
  unsigned access;
};

static bool names(const struct cg_dev_rule *r, const struct request *q) {
  return (r->type == 'a' || r->type == q->type) &&
         (r->major == -1 || r->major == q->major) &&
         (r->minor == -1 || r->minor == q->minor);
}

static bool reference(const struct cg_dev_rule *rules, size_t n,
                      const struct request *q) {
  for (unsigned bit = 1; bit <= 4; bit <<= 1) {
    if (!(q->access & bit))
      continue;
    bool allowed = false;
    for (size_t i = n; i-- > 0;) {
      if ((rules[i].access & bit) && names(&rules[i], q)) {
        allowed = rules[i].allow;
        break;
      }
    }
    if (!allowed)
      return false;
  }
  return true;
}

/* The kernel's v1 check (security/device_cgroup.c). */
static bool v1_model(bool default_allow, const struct cg_dev_rule *e, size_t n,
                     const struct request *q) {
  for (size_t i = 0; i < n; i++) {
    if (!names(&e[i], q))
      continue;
    if (default_allow && (e[i].access & q->access))
      return false;
    if (!default_allow && (q->access & ~e[i].access) == 0)
      return true;
  }
  return default_allow;
}

/* Runs the instructions bpf-devices.c emits; -1 on anything else. */
static int interpret(const struct bpf_insn *p, size_t len,
                     const struct request *q) {
  uint32_t ctx[3] = {q->access << 16 |
                         (q->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR),
                     (uint32_t)q->major, (uint32_t)q->minor};
  uint64_t r[11] = {0};
  for (size_t pc = 0, steps = 0; pc < len && steps < 100000; pc++, steps++) {
    const struct bpf_insn *i = &p[pc];
    switch (i->code) {
    case BPF_LDX | BPF_MEM | BPF_W:
      if (i->src_reg != BPF_REG_1 || i->off % 4 || i->off < 0 || i->off > 8 ||
          i->imm)
        return -1;
      r[i->dst_reg] = ctx[i->off / 4];
      break;
    case BPF_ALU | BPF_MOV | BPF_X:
      r[i->dst_reg] = (uint32_t)r[i->src_reg];
      break;
    case BPF_ALU | BPF_RSH | BPF_K:
      r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm;
      break;
    case BPF_ALU | BPF_AND | BPF_K:
      r[i->dst_reg] = (uint32_t)r[i->dst_reg] & (uint32_t)i->imm;
      break;
    case BPF_ALU64 | BPF_MOV | BPF_K:
      r[i->dst_reg] = (uint64_t)(int64_t)i->imm;
      break;
    case BPF_JMP | BPF_JSET | BPF_K:
      if (r[i->dst_reg] & (uint64_t)(int64_t)i->imm)
        pc += i->off;
      break;
    case BPF_JMP | BPF_JA:
      pc += i->off;
      break;
    case BPF_JMP32 | BPF_JNE | BPF_K:
      if ((uint32_t)r[i->dst_reg] != (uint32_t)i->imm)
        pc += i->off;
      break;
    case BPF_JMP | BPF_EXIT:
      return (int)r[0];
    default:
      return -1;
    }
  }
  return -1;
}

/* What the verifier checks first: every jump lands inside, every
 * instruction can be reached, the last one does not fall off the end. */
static bool well_formed(const struct bpf_insn *p, size_t len) {
  bool *seen = calloc(len, 1);
  size_t *stack = calloc(2 * len + 1, sizeof(*stack)), top = 0;
  bool ok = seen && stack;
  if (ok)
    stack[top++] = 0;
  while (ok && top) {
    size_t pc = stack[--top];
    if (pc >= len) {
      ok = false;
      break;
    }
    if (seen[pc])
      continue;
    seen[pc] = true;
    uint8_t code = p[pc].code;
    if (code == (BPF_JMP | BPF_EXIT))
      continue;
    bool jump = BPF_CLASS(code) == BPF_JMP || BPF_CLASS(code) == BPF_JMP32;
    if (jump)
      stack[top++] = pc + 1 + (size_t)(int64_t)p[pc].off;
    if (code != (BPF_JMP | BPF_JA))
      stack[top++] = pc + 1;
  }
  for (size_t i = 0; ok && i < len; i++)
    ok = seen[i];
  free(seen);
  free(stack);
  return ok;
}

/* --- random lists ------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static const char rule_types[] = {'a', 'b', 'c'};
static const int64_t rule_majors[] = {-1, 1, 7};
static const int64_t rule_minors[] = {-1, 3, 4};
static const int64_t q_majors[] = {1, 7, 10};
static const int64_t q_minors[] = {3, 4, 9};

static struct cg_dev_rule random_rule(void) {
  bool everything = rnd(8) == 0;
  return (struct cg_dev_rule){
      .allow = rnd(2),
      .type = everything ? 'a' : rule_types[rnd(3)],
      .major = everything ? -1 : rule_majors[rnd(3)],
      .minor = everything ? -1 : rule_minors[rnd(3)],
      .access = everything ? CG_DEV_RWM : 1 + rnd(7),
  };
}

static void describe_rules(const struct cg_dev_rule *r, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char l[CG_VALUE_MAX];
    cg_dev_rule_v1(&r[i], l);
    tap_diag("  %s %s", r[i].allow ? "allow" : "deny", l);
  }
}

static void test_random_lists(void) {
  unsigned lists = 3000, bpf_bad = 0, v1_bad = 0, v1_refused = 0, malformed = 0;
  for (unsigned l = 0; l < lists; l++) {
    struct cg_dev_rule rules[8];
    size_t n = rnd(8);
    for (size_t i = 0; i < n; i++)
      rules[i] = random_rule();
    husk_error *err = NULL;
    struct bpf_insn *prog = NULL;
    size_t len = 0;
    if (bpf_devices_program(rules, n, &prog, &len, &err) < 0) {
      bpf_bad++;
      husk_error_free(err);
      continue;
    }
    if (!well_formed(prog, len)) {
      if (malformed++ == 0) {
        tap_diag("a program the verifier would refuse, for:");
        describe_rules(rules, n);
      }
    }
    bool allow;
    struct cg_dev_rule *e = NULL;
    size_t ne = 0;
    bool v1 = cg_dev_v1_list(rules, n, &allow, &e, &ne, &err) == 0;
    if (!v1) {
      v1_refused++;
      husk_error_free(err);
      err = NULL;
    }
    bool reported_bpf = false, reported_v1 = false;
    for (size_t t = 0; t < 2; t++)
      for (size_t ma = 0; ma < 3; ma++)
        for (size_t mi = 0; mi < 3; mi++)
          for (unsigned acc = 1; acc <= 7; acc++) {
            struct request q = {"bc"[t], q_majors[ma], q_minors[mi], acc};
            int want = reference(rules, n, &q);
            if (interpret(prog, len, &q) != want && !reported_bpf) {
              reported_bpf = true;
              bpf_bad++;
              tap_diag("eBPF answers %d for %c %" PRId64 ":%" PRId64 " %u, "
                       "reference %d, rules:",
                       !want, q.type, q.major, q.minor, acc, want);
              describe_rules(rules, n);
            }
            if (v1 && v1_model(allow, e, ne, &q) != want && !reported_v1) {
              reported_v1 = true;
              v1_bad++;
              tap_diag("v1 answers %d for %c %" PRId64 ":%" PRId64 " %u, "
                       "reference %d, rules:",
                       !want, q.type, q.major, q.minor, acc, want);
              describe_rules(rules, n);
            }
          }
    free(e);
    free(prog);
  }
  tap_ok(malformed == 0, "every program is one the verifier walks whole (%u bad)",
         malformed);
  tap_ok(bpf_bad == 0, "eBPF filter answers as the rules, %u lists (%u wrong)",
         lists, bpf_bad);
  tap_ok(v1_bad == 0,
         "v1 exceptions answer as the rules when accepted (%u wrong, %u of %u "
         "refused)",
         v1_bad, v1_refused, lists);
  tap_ok(v1_refused < lists / 2, "v1 refuses only some lists (%u of %u)",
         v1_refused, lists);
}

/* The real lists: runc's defaults behind a deny-all, and a privileged
 * container's allow-all. */
static void test_default_program(void) {
  struct oci_linux_device_cgroup deny_all = {.allow = false, .access = "rwm"};
  struct cg_dev_rule *r;
  size_t n, len;
  struct bpf_insn *prog;
  husk_error *err = NULL;
  if (cg_device_rules(&deny_all, 1, &r, &n, &err) < 0 ||
      bpf_devices_program(r, n, &prog, &len, &err) < 0)
    tap_bail_out("default program: %s", err->msg);
  static const struct {
    struct request q;
    int want;
  } t[] = {
      {{'c', 1, 3, CG_DEV_READ | CG_DEV_WRITE}, 1},   /* /dev/null */
      {{'c', 136, 5, CG_DEV_READ | CG_DEV_WRITE}, 1}, /* /dev/pts/5 */
      {{'c', 10, 200, CG_DEV_READ}, 1},               /* /dev/net/tun */
      {{'b', 8, 0, CG_DEV_MKNOD}, 1},                 /* mknod of anything */
      {{'b', 8, 0, CG_DEV_READ}, 0},                  /* /dev/sda */
      {{'c', 1, 1, CG_DEV_READ}, 0},                  /* /dev/mem */
      {{'c', 10, 229, CG_DEV_READ | CG_DEV_MKNOD}, 0},
  };
  for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
    tap_ok(interpret(prog, len, &t[i].q) == t[i].want, "default rules: %c %" PRId64
           ":%" PRId64 " access %u -> %s",
           t[i].q.type, t[i].q.major, t[i].q.minor, t[i].q.access,
           t[i].want ? "allowed" : "denied");
  tap_ok(well_formed(prog, len), "default program is well formed (%zu insns)",
         len);
  free(prog);
  free(r);
}

int main(void) {
  tap_no_plan();
  test_weights();
  test_swap();
  test_formats();
  test_names();
  test_device_rules();
  test_v1_list();
  test_default_program();
  test_random_lists();
  tap_done_testing();
  return tap_exit();
}
