#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Proves that the ABI gate (make abi-check, abi-dumps/abi.sh) can fail:
# libxentoollog is rebuilt twice from its sources in a scratch directory,
# once as it is and once with a public prototype changed
# (xtl_level_to_string gains a second parameter: old binaries would pass
# garbage); the gate must accept the first against
# the stored dump and reject the second. Skips (77) without libabigail.
#
# Environment: top_srcdir, top_builddir, CC.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
if ! command -v abidw >/dev/null 2>&1 || ! command -v abidiff >/dev/null 2>&1; then
	echo "SKIP: abidw/abidiff not found (apt-get install abigail-tools)" >&2
	exit 77
fi
dump=$top_srcdir/abi-dumps/libxentoollog.abi
[ -f "$dump" ] || { echo "FAIL: no stored dump $dump"; exit 1; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

build() { # build DIR: a scratch libxentoollog.so.1.0.0 from DIR/include
	mkdir -p "$1/libs/toollog/.libs"
	$CC -shared -fPIC -g -O2 -std=gnu11 -fvisibility=hidden -I"$top_builddir" \
		-I"$1/include" -I"$top_srcdir/libs/common" \
		"$top_srcdir"/libs/toollog/*.c -o "$1/libs/toollog/.libs/libxentoollog.so.1.0.0" \
		-Wl,-soname,libxentoollog.so.1 \
		-Wl,--version-script="$top_srcdir/libs/toollog/libxentoollog.map" || exit 99
}
gate() { # gate DIR: abi.sh check on DIR's library
	top_builddir=$1 XS_LIBNAMES=toollog XS_ABI_HEADERS=$1/include \
		ABIDW_FLAGS="--no-corpus-path --no-comp-dir-path --no-show-locs" \
		$SHELL "$top_srcdir/abi-dumps/abi.sh" check
}

cp -R "$top_srcdir/include" "$tmp/same-include"
mkdir -p "$tmp/same" && mv "$tmp/same-include" "$tmp/same/include"
build "$tmp/same"
if ! gate "$tmp/same" >"$tmp/same.log" 2>&1; then
	echo "FAIL: the gate rejects an unchanged rebuild:"; cat "$tmp/same.log"; exit 1
fi

mkdir -p "$tmp/changed" && cp -R "$top_srcdir/include" "$tmp/changed/include"
new='const char *xtl_level_to_string(xentoollog_level level, unsigned long long flags)'
sed -i "s/^const char \*xtl_level_to_string(xentoollog_level level);/$new;/" \
	"$tmp/changed/include/xentoollog.h"
grep -qF "$new;" "$tmp/changed/include/xentoollog.h" ||
	{ echo "FAIL: could not change the prototype (header changed?)"; exit 1; }
# The definition and the caller must follow the header for the scratch build.
mkdir -p "$tmp/changed/src"
for f in "$top_srcdir"/libs/toollog/*.c; do
	sed "s/^XENSTABLE_EXPORT const char \*xtl_level_to_string(xentoollog_level level)/XENSTABLE_EXPORT $new/; s/xtl_level_to_string(level)/xtl_level_to_string(level, 0)/" \
		"$f" >"$tmp/changed/src/$(basename "$f")"
done
grep -qF "XENSTABLE_EXPORT $new" "$tmp"/changed/src/*.c ||
	{ echo "FAIL: could not change the definition (source changed?)"; exit 1; }
mkdir -p "$tmp/changed/libs/toollog/.libs"
$CC -shared -fPIC -g -O2 -std=gnu11 -fvisibility=hidden -I"$top_builddir" \
	-I"$tmp/changed/include" -I"$top_srcdir/libs/common" \
	"$tmp"/changed/src/*.c -o "$tmp/changed/libs/toollog/.libs/libxentoollog.so.1.0.0" \
	-Wl,-soname,libxentoollog.so.1 \
	-Wl,--version-script="$top_srcdir/libs/toollog/libxentoollog.map" 2>"$tmp/cc.log" ||
	{ echo "FAIL: scratch build with the changed prototype failed:"; cat "$tmp/cc.log"; exit 99; }
if gate "$tmp/changed" >"$tmp/changed.log" 2>&1; then
	echo "FAIL: the gate accepted a changed public prototype:"; cat "$tmp/changed.log"; exit 1
fi
grep -q 'xtl_level_to_string' "$tmp/changed.log" ||
	{ echo "FAIL: the gate failed, but not because of xtl_level_to_string:"; cat "$tmp/changed.log"; exit 1; }
echo "ok: abi gate accepts an unchanged rebuild and rejects a changed prototype"
