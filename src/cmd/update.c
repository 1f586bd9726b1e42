/* husk update: change the resource limits of a container.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * runc's flags and value forms: memory sizes as docker's units parser
 * reads them ("512m", "1.5g", "100 KiB"; powers of 1024) or -1; CPU
 * numbers in decimal; --pids-limit also in hex or octal.  With
 * --resources the JSON alone counts, as runc documents; containerd's shim
 * sends it on stdin (`-r -`).
 */
#include "config.h"

#include "cmd.h"

#include "container-ops.h"
#include "log.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: husk update [OPTIONS] <container-id>\n"
    "\n"
    "Change the cgroup resource limits of a created, running or paused container.\n"
    "\n"
    "Options:\n"
    "  -r, --resources FILE        read a linux.resources JSON object from FILE\n"
    "                              ('-' for stdin); the other flags are then ignored\n"
    "      --blkio-weight N        block I/O weight, 10 to 1000\n"
    "      --cpu-period USECS      CFS period\n"
    "      --cpu-quota USECS       CFS quota: CPU time allowed per period\n"
    "      --cpu-share N           CPU shares (relative weight); also --cpu-shares\n"
    "      --cpu-rt-period USECS   realtime period\n"
    "      --cpu-rt-runtime USECS  realtime runtime allowed per period\n"
    "      --cpuset-cpus LIST      CPUs to use (\"0-3,7\")\n"
    "      --cpuset-mems LIST      memory nodes to use\n"
    "      --memory SIZE           memory limit (bytes, or with a k, m, g, t, p\n"
    "                              suffix: \"512m\", \"1.5g\"; -1: unlimited)\n"
    "      --memory-reservation SIZE  memory soft limit\n"
    "      --memory-swap SIZE      memory + swap limit (-1: unlimited swap)\n"
    "      --kernel-memory SIZE    accepted and ignored, as by runc\n"
    "      --kernel-memory-tcp SIZE  accepted and ignored, as by runc\n"
    "      --pids-limit N          maximum number of processes\n"
    "      --l3-cache-schema S     Intel RDT/CAT schema: refused, husk has no RDT\n"
    "      --mem-bw-schema S       Intel RDT/MBA schema: refused, husk has no RDT\n"
    "  -h, --help                  show this help\n";

enum {
  OPT_BLKIO_WEIGHT = 0x100,
  OPT_CPU_PERIOD,
  OPT_CPU_QUOTA,
  OPT_CPU_SHARE,
  OPT_CPU_RT_PERIOD,
  OPT_CPU_RT_RUNTIME,
  OPT_CPUSET_CPUS,
  OPT_CPUSET_MEMS,
  OPT_MEMORY,
  OPT_MEMORY_RESERVATION,
  OPT_MEMORY_SWAP,
  OPT_KERNEL_MEMORY,
  OPT_KERNEL_MEMORY_TCP,
  OPT_PIDS_LIMIT,
  OPT_L3_CACHE,
  OPT_MEM_BW,
};

static const struct option opts[] = {
    {"resources", required_argument, NULL, 'r'},
    {"blkio-weight", required_argument, NULL, OPT_BLKIO_WEIGHT},
    {"cpu-period", required_argument, NULL, OPT_CPU_PERIOD},
    {"cpu-quota", required_argument, NULL, OPT_CPU_QUOTA},
    {"cpu-share", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-shares", required_argument, NULL, OPT_CPU_SHARE},
    {"cpu-rt-period", required_argument, NULL, OPT_CPU_RT_PERIOD},
    {"cpu-rt-runtime", required_argument, NULL, OPT_CPU_RT_RUNTIME},
    {"cpuset-cpus", required_argument, NULL, OPT_CPUSET_CPUS},
    {"cpuset-mems", required_argument, NULL, OPT_CPUSET_MEMS},
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"memory-reservation", required_argument, NULL, OPT_MEMORY_RESERVATION},
    {"memory-swap", required_argument, NULL, OPT_MEMORY_SWAP},
    {"kernel-memory", required_argument, NULL, OPT_KERNEL_MEMORY},
    {"kernel-memory-tcp", required_argument, NULL, OPT_KERNEL_MEMORY_TCP},
    {"pids-limit", required_argument, NULL, OPT_PIDS_LIMIT},
    {"l3-cache-schema", required_argument, NULL, OPT_L3_CACHE},
    {"mem-bw-schema", required_argument, NULL, OPT_MEM_BW},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The long name of a flag, for messages. */
static const char *flag_name(int c) {
  for (const struct option *o = opts; o->name; o++)
    if (o->val == c)
      return o->name;
  return "?";
}

static int invalid(int c, const char *v, husk_error **err) {
  return husk_error_set(err, 0, "--%s: invalid value \"%s\"", flag_name(c), v);
}

/* docker's units.RAMInBytes, which runc uses: digits with an optional
 * fraction, one optional space, then an optional k/m/g/t/p, 'i' and 'b'
 * (any case), in powers of 1024; "-1" means unlimited. */
static int parse_size(int c, const char *v, int64_t *out, husk_error **err) {
  if (strcmp(v, "-1") == 0) {
    *out = -1;
    return 0;
  }
  const char *s = v;
  if (!isdigit((unsigned char)*s))
    return invalid(c, v, err);
  while (isdigit((unsigned char)*s))
    s++;
  if (*s == '.') {
    s++;
    if (!isdigit((unsigned char)*s))
      return invalid(c, v, err);
    while (isdigit((unsigned char)*s))
      s++;
  }
  size_t numlen = (size_t)(s - v);
  if (*s == ' ')
    s++;
  static const char units[] = "kmgtp";
  double mult = 1;
  const char *u = *s ? strchr(units, tolower((unsigned char)*s)) : NULL;
  if (u) {
    for (const char *p = units; p <= u; p++)
      mult *= 1024;
    s++;
  }
  if (tolower((unsigned char)*s) == 'i')
    s++;
  if (tolower((unsigned char)*s) == 'b')
    s++;
  if (*s != '\0')
    return invalid(c, v, err);
  char num[64];
  if (numlen >= sizeof(num))
    return invalid(c, v, err);
  memcpy(num, v, numlen);
  num[numlen] = '\0';
  double bytes = strtod(num, NULL) * mult;
  /* 2^63 is the first double past INT64_MAX. */
  if (!isfinite(bytes) || bytes >= 9223372036854775808.0)
    return invalid(c, v, err);
  *out = (int64_t)bytes;
  return 0;
}

static int parse_u64(int c, const char *v, uint64_t *out, husk_error **err) {
  char *end;
  if (!isdigit((unsigned char)*v))
    return invalid(c, v, err);
  errno = 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (errno || *end)
    return invalid(c, v, err);
  *out = n;
  return 0;
}

static int parse_i64(int c, const char *v, int base, int64_t *out,
                     husk_error **err) {
  char *end;
  errno = 0;
  long long n = strtoll(v, &end, base);
  if (errno || *v == '\0' || isspace((unsigned char)*v) || *end)
    return invalid(c, v, err);
  *out = n;
  return 0;
}

/* A member of `r`, made when first needed. */
static int ensure(void **p, size_t size, husk_error **err) {
  if (*p == NULL && (*p = calloc(1, size)) == NULL)
    return husk_error_set(err, ENOMEM, "update");
  return 0;
}

static int memory_flag(int c, const char *v, struct oci_linux_resources *r,
                       husk_error **err) {
  int64_t i = 0;
  /* runc skips a memory flag given as "" (--memory=). */
  if (*v == '\0')
    return 0;
  if (parse_size(c, v, &i, err) < 0)
    return -1;
  if (c == OPT_KERNEL_MEMORY || c == OPT_KERNEL_MEMORY_TCP) {
    husk_warn("--%s is ignored: kernel memory limits are deprecated",
              flag_name(c));
    return 0;
  }
  if (ensure((void **)&r->memory, sizeof(*r->memory), err) < 0)
    return -1;
  struct oci_linux_memory *m = r->memory;
  if (c == OPT_MEMORY) {
    m->limit = i;
    m->limit_present = true;
  } else if (c == OPT_MEMORY_RESERVATION) {
    m->reservation = i;
    m->reservation_present = true;
  } else {
    m->swap = i;
    m->swap_present = true;
  }
  return 0;
}

static int cpu_flag(int c, const char *v, struct oci_linux_resources *r,
                    husk_error **err) {
  if (ensure((void **)&r->cpu, sizeof(*r->cpu), err) < 0)
    return -1;
  struct oci_linux_cpu *cpu = r->cpu;
  switch (c) {
  case OPT_CPU_SHARE:
    cpu->shares_present = true;
    return parse_u64(c, v, &cpu->shares, err);
  case OPT_CPU_PERIOD:
    cpu->period_present = true;
    return parse_u64(c, v, &cpu->period, err);
  case OPT_CPU_RT_PERIOD:
    cpu->realtime_period_present = true;
    return parse_u64(c, v, &cpu->realtime_period, err);
  case OPT_CPU_QUOTA:
    cpu->quota_present = true;
    return parse_i64(c, v, 10, &cpu->quota, err);
  case OPT_CPU_RT_RUNTIME:
    cpu->realtime_runtime_present = true;
    return parse_i64(c, v, 10, &cpu->realtime_runtime, err);
  }
  /* cpuset lists: runc skips an empty one. */
  char **dst = c == OPT_CPUSET_CPUS ? &cpu->cpus : &cpu->mems;
  if (*v == '\0')
    return 0;
  free(*dst);
  if ((*dst = strdup(v)) == NULL)
    return husk_error_set(err, ENOMEM, "update");
  return 0;
}

/* One flag into `r`. */
static int apply_flag(int c, const char *v, struct oci_linux_resources *r,
                      husk_error **err) {
  int64_t i = 0;
  switch (c) {
  case OPT_MEMORY:
  case OPT_MEMORY_RESERVATION:
  case OPT_MEMORY_SWAP:
  case OPT_KERNEL_MEMORY:
  case OPT_KERNEL_MEMORY_TCP:
    return memory_flag(c, v, r, err);
  case OPT_CPU_SHARE:
  case OPT_CPU_PERIOD:
  case OPT_CPU_RT_PERIOD:
  case OPT_CPU_QUOTA:
  case OPT_CPU_RT_RUNTIME:
  case OPT_CPUSET_CPUS:
  case OPT_CPUSET_MEMS:
    return cpu_flag(c, v, r, err);
  case OPT_PIDS_LIMIT:
    /* Go's flag package reads it with base prefixes: 0x10, 010. */
    if (parse_i64(c, v, 0, &i, err) < 0 ||
        ensure((void **)&r->pids, sizeof(*r->pids), err) < 0)
      return -1;
    r->pids->limit = i;
    r->pids->limit_present = true;
    return 0;
  case OPT_BLKIO_WEIGHT:
    if (parse_i64(c, v, 0, &i, err) < 0 || i < 0 || i > UINT16_MAX)
      return invalid(c, v, err);
    if (ensure((void **)&r->block_io, sizeof(*r->block_io), err) < 0)
      return -1;
    r->block_io->weight = (uint16_t)i;
    r->block_io->weight_present = true;
    return 0;
  case OPT_L3_CACHE:
  case OPT_MEM_BW:
    return husk_error_set(err, 0, "--%s: Intel RDT is not supported by husk",
                          flag_name(c));
  }
  return 0;
}

static int read_resources(const char *file, struct oci_linux_resources **r,
                          husk_error **err) {
  char *msg = NULL;
  if (strcmp(file, "-") != 0) {
    if (oci_linux_resources_parse_file(file, r, &msg) < 0) {
      husk_error_take(err, 0, msg);
      return husk_error_prefix(err, "--resources %s", file);
    }
    return 0;
  }
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (mem == NULL)
    return husk_error_set(err, errno, "--resources -");
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
    fwrite(chunk, 1, n, mem);
  bool bad = ferror(stdin) != 0;
  fclose(mem);
  int ret = 0;
  if (bad)
    ret = husk_error_set(err, EIO, "--resources -: read stdin");
  else if (oci_linux_resources_parse(buf, len, r, &msg) < 0) {
    husk_error_take(err, 0, msg);
    ret = husk_error_prefix(err, "--resources -");
  }
  free(buf);
  return ret;
}

int cmd_update(struct husk_globals *g, int argc, char **argv,
               husk_error **err) {
  static const char *const names[] = {"<container-id>"};
  struct oci_linux_resources *r = calloc(1, sizeof(*r));
  const char *file = NULL;
  bool other_flags = false;
  int c, ret = -1;
  if (r == NULL)
    return husk_error_set(err, ENOMEM, "update");
  cmd_getopt_reset();
  /* runc takes the flags after the id too: permute. */
  while ((c = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1) {
    if (c == 'h') {
      ret = cmd_usage(usage);
      goto out;
    }
    if (c == 'r') {
      file = optarg;
      continue;
    }
    if (c == '?' || c == ':') {
      cmd_flag_error(c, argv, err);
      goto out;
    }
    other_flags = true;
    if (apply_flag(c, optarg, r, err) < 0)
      goto out;
  }
  if (cmd_check_args(argc - optind, argv + optind, 1, 1, names, err) < 0)
    goto out;
  if (file) {
    if (other_flags)
      husk_warn("--resources is given: the other flags are ignored");
    oci_linux_resources_free(r);
    r = NULL;
    if (read_resources(file, &r, err) < 0)
      goto out;
  }
  ret = container_update(g->root, argv[optind], r, err) < 0 ? -1 : 0;
out:
  oci_linux_resources_free(r);
  return ret;
}
