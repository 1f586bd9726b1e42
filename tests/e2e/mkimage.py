#!/usr/bin/python3
# tests/e2e/mkimage.py: build a one-layer busybox-static image without a
# registry, in the three forms the engines load.
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   mkimage.py OUTDIR [NAME] [BUSYBOX]
#
# writes
#   OUTDIR/rootfs.tar  the layer, uncompressed (podman import, docker import)
#   OUTDIR/oci.tar     an OCI image layout (ctr images import)
#   OUTDIR/docker.tar  a docker-archive, as `docker save` writes it (docker load)
#
# NAME defaults to localhost/busybox:husk, BUSYBOX to /bin/busybox.  The
# layer is built in memory (no root-owned tree on disk) with fixed times, so
# the same busybox always gives the same digests.

import gzip
import hashlib
import io
import json
import os
import platform
import subprocess
import sys
import tarfile

EPOCH = 1700000000  # fixed mtime: reproducible layers
CREATED = "2023-11-14T22:13:20Z"


def layer_tar(busybox):
    """The root filesystem as an uncompressed tar, in bytes."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        def add(name, kind, mode, data=b"", link=""):
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime = kind, mode, EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if kind == tarfile.SYMTYPE:
                info.linkname = link
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data else None)

        dirs = ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "dev",
                "proc", "sys", "root", "run", "var", "var/tmp", "home"]
        for d in dirs:
            add(d, tarfile.DIRTYPE, 0o755)
        add("tmp", tarfile.DIRTYPE, 0o1777)
        with open(busybox, "rb") as f:
            add("bin/busybox", tarfile.REGTYPE, 0o755, f.read())
        # Every applet at the path busybox itself names (bin/sh, usr/bin/env,
        # ...), so scripts with absolute paths work as on a real system.
        applets = subprocess.run([busybox, "--list-full"], check=True,
                                 capture_output=True, text=True).stdout.split()
        for path in sorted(set(applets)):
            if path != "bin/busybox":
                add(path, tarfile.SYMTYPE, 0o777, link="/bin/busybox")
        # Users for --user checks: a named non-root user with a home.
        add("etc/passwd", tarfile.REGTYPE, 0o644,
            b"root:x:0:0:root:/root:/bin/sh\n"
            b"guest:x:1000:1000:guest:/home:/bin/sh\n"
            b"nobody:x:65534:65534:nobody:/:/bin/false\n")
        add("etc/group", tarfile.REGTYPE, 0o644,
            b"root:x:0:\nguest:x:1000:\nnogroup:x:65534:\n")
        add("etc/hostname", tarfile.REGTYPE, 0o644, b"busybox\n")
    return buf.getvalue()


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_of(members):
    """An uncompressed tar of (name, bytes) pairs, directories implied."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        seen = set()
        for name, data in members:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in seen:
                    seen.add(d)
                    info = tarfile.TarInfo(d)
                    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, EPOCH
                    tar.addfile(info)
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, EPOCH
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: mkimage.py OUTDIR [NAME] [BUSYBOX]")
    out = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "localhost/busybox:husk"
    busybox = sys.argv[3] if len(sys.argv) > 3 else "/bin/busybox"
    arch = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm",
            "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64"
            }.get(platform.machine(), platform.machine())
    os.makedirs(out, exist_ok=True)

    layer = layer_tar(busybox)
    with open(os.path.join(out, "rootfs.tar"), "wb") as f:
        f.write(layer)
    diff_id = digest(layer)

    config = json.dumps({
        "architecture": arch,
        "os": "linux",
        "created": CREATED,
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            "Cmd": ["/bin/sh"],
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": CREATED, "created_by": "tests/e2e/mkimage.py"}],
    }, sort_keys=True).encode()

    # OCI image layout: the layer gzipped (mtime 0 in the gzip header keeps
    # the digest stable), config and manifest as blobs, index.json naming
    # the image for containerd's importer.
    layer_gz = gzip.compress(layer, mtime=0)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": digest(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": digest(layer_gz), "size": len(layer_gz)}],
    }, sort_keys=True).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": digest(manifest), "size": len(manifest),
            "platform": {"architecture": arch, "os": "linux"},
            "annotations": {"io.containerd.image.name": name,
                            "org.opencontainers.image.ref.name": name.rsplit(":", 1)[-1]},
        }],
    }, sort_keys=True).encode()
    blobs = [("blobs/sha256/" + digest(b)[7:], b) for b in (layer_gz, config, manifest)]
    with open(os.path.join(out, "oci.tar"), "wb") as f:
        f.write(tar_of([("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'),
                        ("index.json", index)] + blobs))

    # docker-archive: manifest.json lists config and layer paths by name.
    layer_dir = diff_id[7:]
    docker_manifest = json.dumps([{
        "Config": digest(config)[7:] + ".json",
        "RepoTags": [name],
        "Layers": [layer_dir + "/layer.tar"],
    }]).encode()
    with open(os.path.join(out, "docker.tar"), "wb") as f:
        f.write(tar_of([("manifest.json", docker_manifest),
                        (digest(config)[7:] + ".json", config),
                        (layer_dir + "/VERSION", b"1.0"),
                        (layer_dir + "/layer.tar", layer)]))


if __name__ == "__main__":
    main()
