#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Build tests/toollog-oracle.c against our xentoollog.h twice: linked with
# our libxentoollog and with the distribution's (upstream) one; the outputs
# must be byte-for-byte identical. Skips (77) without the upstream library.
#
# Environment: top_srcdir, top_builddir, CC, CFLAGS_SAN (sanitizer flags of
#              the build, if any), XS_UPSTREAM_LIBDIR.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
libdir=${XS_UPSTREAM_LIBDIR:-/usr/lib/$($CC -print-multiarch 2>/dev/null)}
upstream=$libdir/libxentoollog.so.1
if [ ! -e "$upstream" ]; then
	echo "SKIP: no upstream libxentoollog.so.1 in $libdir (apt-get install libxentoollog1)" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
ours=$top_builddir/libs/toollog/.libs
# shellcheck disable=SC2086
$CC ${CFLAGS_SAN:-} -I"$top_srcdir/include" "$top_srcdir/tests/toollog-oracle.c" \
	-o "$tmp/ours" -L"$ours" -lxentoollog -Wl,-rpath,"$ours" || exit 99
# shellcheck disable=SC2086
$CC ${CFLAGS_SAN:-} -I"$top_srcdir/include" "$top_srcdir/tests/toollog-oracle.c" \
	-o "$tmp/upstream" "$upstream" || exit 99
"$tmp/ours" >"$tmp/ours.out" || exit 1
"$tmp/upstream" >"$tmp/upstream.out" || exit 1
if ! cmp -s "$tmp/ours.out" "$tmp/upstream.out"; then
	echo "FAIL: output differs from upstream's libxentoollog:"
	diff -u "$tmp/upstream.out" "$tmp/ours.out" | cat -A | head -n 60
	exit 1
fi
echo "ok: identical output to $upstream ($(wc -c <"$tmp/ours.out") bytes, $(grep -c '^---' "$tmp/ours.out") sessions)"
