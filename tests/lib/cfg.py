#!/usr/bin/env python3
# Edit an OCI config.json in place, or read values out of a JSON document.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   cfg.py CONFIG EDIT...          apply the edits, in order, to CONFIG
#   cfg.py --default CONFIG        write the static default config (below)
#   cfg.py --get FILE|- PATH...    print each value (strings raw, others JSON;
#                                  a missing path prints nothing, exits 1)
#
# PATH: dotted keys, [N] indices and ["quoted.keys"]:
#   process.args   linux.namespaces[0].path   annotations["com.example.k"]
# EDIT:
#   PATH=JSON      set (intermediate objects are created)
#   PATH+=JSON     append to the array at PATH (created if missing)
#   PATH-=JSON     remove every element equal to JSON from the array at PATH
#   -PATH          delete the key or element at PATH (no error if missing)
#   ns:TYPE        add a namespace of TYPE to linux.namespaces (if absent)
#   ns:TYPE=PATH   add or replace a namespace of TYPE joining PATH
#   -ns:TYPE       remove the namespace of TYPE
#   hook:POINT=JSON      append a hook object to hooks.POINT
# A JSON value that does not parse is taken as a plain string, so
# `process.cwd=/tmp` works as well as `process.cwd="/tmp"`.
import json
import os
import sys

DEFAULT = {
    "ociVersion": "1.0.2",
    "process": {
        "terminal": False,
        "user": {"uid": 0, "gid": 0},
        "args": ["sh"],
        "env": [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TERM=xterm",
        ],
        "cwd": "/",
        "capabilities": {
            k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
            for k in ("bounding", "effective", "permitted")
        },
        "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
        "noNewPrivileges": True,
    },
    "root": {"path": "rootfs", "readonly": False},
    "hostname": "husk",
    "mounts": [
        {"destination": "/proc", "type": "proc", "source": "proc"},
        {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
         "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                     "mode=0620", "gid=5"]},
        {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
         "options": ["nosuid", "noexec", "nodev", "mode=1777",
                     "size=65536k"]},
        {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
         "options": ["nosuid", "noexec", "nodev"]},
        {"destination": "/sys", "type": "sysfs", "source": "sysfs",
         "options": ["nosuid", "noexec", "nodev", "ro"]},
    ],
    "linux": {
        "resources": {"devices": [{"allow": False, "access": "rwm"}]},
        "namespaces": [{"type": t} for t in
                       ("pid", "network", "ipc", "uts", "mount")],
        "maskedPaths": [
            "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
        ],
        "readonlyPaths": [
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger",
        ],
    },
}


def die(msg):
    sys.stderr.write("cfg.py: %s\n" % msg)
    sys.exit(2)


def parse_path(s):
    """'a.b[2]["c.d"]' -> ['a', 'b', 2, 'c.d']"""
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c == ".":
            i += 1
        elif c == "[":
            j = s.index("]", i)
            inner = s[i + 1:j]
            if inner.startswith('"'):
                # a quoted key may hold ']' : find the closing quote first
                k = s.index('"', i + 2)
                j = s.index("]", k)
                out.append(json.loads(s[i + 1:j]))
            else:
                out.append(int(inner))
            i = j + 1
        else:
            j = i
            while j < n and s[j] not in ".[":
                j += 1
            out.append(s[i:j])
            i = j
    return out


def value(s):
    try:
        return json.loads(s)
    except ValueError:
        return s


def walk(doc, path, create):
    cur = doc
    for idx, key in enumerate(path[:-1]):
        nxt = path[idx + 1]
        if isinstance(key, int):
            cur = cur[key]
            continue
        if key not in cur or cur[key] is None:
            if not create:
                raise KeyError(key)
            cur[key] = [] if isinstance(nxt, int) else {}
        cur = cur[key]
    return cur


def get(doc, path):
    cur = doc
    for key in path:
        cur = cur[key]
    return cur


def namespaces(doc):
    return doc.setdefault("linux", {}).setdefault("namespaces", [])


def edit(doc, e):
    if e.startswith("-ns:"):
        t = e[4:]
        doc["linux"]["namespaces"] = [x for x in namespaces(doc)
                                      if x.get("type") != t]
        return
    if e.startswith("ns:"):
        spec = e[3:]
        t, _, p = spec.partition("=")
        lst = namespaces(doc)
        for x in lst:
            if x.get("type") == t:
                if p:
                    x["path"] = p
                else:
                    x.pop("path", None)
                return
        lst.append({"type": t, "path": p} if p else {"type": t})
        return
    if e.startswith("hook:"):
        point, _, v = e[5:].partition("=")
        doc.setdefault("hooks", {}).setdefault(point, []).append(value(v))
        return
    if e.startswith("-"):
        path = parse_path(e[1:])
        try:
            parent = walk(doc, path, False)
            del parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            pass
        return
    k, depth = -1, 0
    for i, c in enumerate(e):
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == "=" and depth == 0:
            k = i
            break
    if k <= 0:
        die("bad edit: %r" % e)
    op = "="
    if e[k - 1] in "+-":
        k, op = k - 1, e[k - 1] + "="
    path, v = parse_path(e[:k]), value(e[k + len(op):])
    parent = walk(doc, path, True)
    last = path[-1]
    if op == "=":
        parent[last] = v
    elif op == "+=":
        if isinstance(last, str):
            parent.setdefault(last, [])
        parent[last].append(v)
    else:
        parent[last] = [x for x in parent[last] if x != v]


def main(argv):
    if len(argv) >= 2 and argv[0] == "--default":
        with open(argv[1], "w") as f:
            json.dump(DEFAULT, f, indent=2)
        return 0
    if len(argv) >= 2 and argv[0] == "--get":
        src = sys.stdin if argv[1] == "-" else open(argv[1])
        doc = json.load(src)
        rc = 0
        for p in argv[2:]:
            try:
                v = get(doc, parse_path(p))
            except (KeyError, IndexError, TypeError):
                rc = 1
                continue
            print(v if isinstance(v, str) else json.dumps(v))
        return rc
    if not argv:
        die("usage: cfg.py CONFIG EDIT... | --default CONFIG | --get FILE PATH")
    conf = argv[0]
    with open(conf) as f:
        doc = json.load(f)
    for e in argv[1:]:
        edit(doc, e)
    tmp = conf + ".tmp%d" % os.getpid()
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2)
    os.rename(tmp, conf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
