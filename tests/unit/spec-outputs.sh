#!/bin/sh
# spec-outputs.sh: the config.json files that `runc spec`, `crun spec` and
# `husk spec` write (plain and --rootless), and what `husk features` prints,
# must all be read by libocispec and be valid JSON.  Engines hand husk
# configs that began life as such templates, so refusing one of them would
# be a compatibility bug, not a strict parser.
#
# Copyright (C) 2026 The husk authors
# SPDX-License-Identifier: GPL-2.0-or-later
#
# TAP output, run by `make check` (tests/Makefile.inc exports the build and
# source directories).  runc and crun are required: a missing one is a
# failure, not a skip, so that CI cannot go green by not testing.

set -u

builddir=${abs_top_builddir:-${top_builddir:-.}}
PARSE=${OCISPEC_PARSE:-$builddir/tests/unit/ocispec-parse}
HUSK=${HUSK:-$builddir/husk}
PYTHON=${PYTHON:-python3}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/husk-spec-outputs.XXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 1
}
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	# Every line of the reason as a TAP comment.
	printf '%s\n' "$2" | sed 's/^/# /'
}

# check_json NAME TYPE FILE: libocispec and python3 both read FILE.
check_json() {
	if out=$("$PARSE" "$2" "$3" 2>&1 >"$3.regenerated"); then
		ok "$1: ocispec-parse $2 reads it"
	else
		not_ok "$1: ocispec-parse $2 reads it" "$out"
	fi
	if out=$("$PYTHON" -m json.tool "$3" 2>&1 >/dev/null); then
		ok "$1: python3 -m json.tool reads it"
	else
		not_ok "$1: python3 -m json.tool reads it" "$out"
	fi
}

# check_spec NAME PROGRAM [ARGS...]: PROGRAM spec ARGS writes config.json in
# an empty directory, and both readers accept it.  Three tests.
check_spec() {
	name=$1
	prog=$2
	shift 2
	dir=$tmp/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')
	mkdir -p "$dir"
	if ! command -v "$prog" >/dev/null 2>&1; then
		not_ok "$name: writes config.json" "$prog not found (install it; this test does not skip)"
		not_ok "$name: ocispec-parse config reads it" "no config.json"
		not_ok "$name: python3 -m json.tool reads it" "no config.json"
		return
	fi
	if out=$(cd "$dir" && "$prog" spec "$@" 2>&1) && test -s "$dir/config.json"; then
		ok "$name: writes config.json"
	else
		not_ok "$name: writes config.json" "$out"
		not_ok "$name: ocispec-parse config reads it" "no config.json"
		not_ok "$name: python3 -m json.tool reads it" "no config.json"
		return
	fi
	check_json "$name" config "$dir/config.json"
}

echo "1..23"

if test -x "$PARSE"; then
	ok "ocispec-parse is built ($PARSE)"
else
	not_ok "ocispec-parse is built ($PARSE)" "run make check, which builds it"
fi
if "$PYTHON" -c 'import json' 2>/dev/null; then
	ok "python3 is available"
else
	not_ok "python3 is available" "$PYTHON not found"
fi

check_spec "runc spec" runc
check_spec "runc spec --rootless" runc --rootless
check_spec "crun spec" crun
check_spec "crun spec --rootless" crun --rootless
check_spec "husk spec" "$HUSK"
check_spec "husk spec --rootless" "$HUSK" --rootless

if out=$("$HUSK" features 2>&1 >"$tmp/features.json") && test -s "$tmp/features.json"; then
	ok "husk features prints a document"
	check_json "husk features" features "$tmp/features.json"
else
	not_ok "husk features prints a document" "$out"
	not_ok "husk features: ocispec-parse features reads it" "no output"
	not_ok "husk features: python3 -m json.tool reads it" "no output"
fi

test "$failed" -eq 0
