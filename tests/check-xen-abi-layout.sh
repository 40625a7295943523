#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Compare xenstable's include/xen with the distribution's Xen public headers
# (Debian libxen-dev, used as a black-box oracle): tests/xen-abi-layout.c is
# built against each and the two sorted outputs (sizes, alignments, offsets,
# bit-fields, constant values and types, include guards) must be identical.
# This is done for a tools build (__XEN_TOOLS__) and for guest builds at
# several __XEN_INTERFACE_VERSION__s, since some definitions depend on it.
#
# Also checks that every macro, structure, union, typedef and enumerator
# that include/xen defines is named in tests/xen-abi-layout.c, and that our
# build never falls back to a system Xen header.
#
# Usage: check-xen-abi-layout.sh              build and run natively, diff
#        check-xen-abi-layout.sh --cross CC   only compile both variants with
#                                             CC (e.g. aarch64-linux-gnu-gcc);
#                                             if XS_CROSS_RUNNER is set (e.g.
#                                             qemu-aarch64-static), also link
#                                             statically, run through it, diff
#
# Environment: CC (default gcc), top_srcdir (default: this script's dir/..),
#              XS_SYSTEM_XEN_INCLUDE (default /usr/include/xen).
# Exit status: 0 identical, 1 different (or a variant does not build),
#              77 no system Xen headers, 99 usage or environment error.
set -u

script_dir=$(cd "$(dirname "$0")" && pwd) || exit 99
: "${top_srcdir:=$script_dir/..}" "${CC:=gcc}"
sysxen=${XS_SYSTEM_XEN_INCLUDE:-/usr/include/xen}

cross=
case $# in
0) ;;
2)
	if [ "$1" != --cross ]; then
		echo "usage: $0 [--cross CC]" >&2
		exit 99
	fi
	cross=$2
	CC=$cross
	;;
*)
	echo "usage: $0 [--cross CC]" >&2
	exit 99
	;;
esac

if [ ! -f "$sysxen/xen.h" ]; then
	echo "SKIP: no system Xen headers ($sysxen/xen.h; apt-get install libxen-dev)" >&2
	exit 77
fi

src=$top_srcdir/tests/xen-abi-layout.c
ours_inc=$top_srcdir/include
if [ ! -f "$src" ] || [ ! -f "$ours_inc/xen/xen.h" ]; then
	echo "ERROR: $src or $ours_inc/xen/xen.h not found (set top_srcdir)" >&2
	exit 99
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sys" && ln -s "$sysxen" "$tmp/sys/xen" || exit 99
fail=0

# 1. Everything include/xen defines must be named in the layout program.
names() {
	sed -n \
		-e 's/^[[:space:]]*#[[:space:]]*define[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' \
		-e 's/.*struct[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*{.*/\1/p' \
		-e 's/.*union[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*{.*/\1/p' \
		-e 's/^[[:space:]]*typedef[[:space:]].*[[:space:]*]\([A-Za-z_][A-Za-z0-9_]*\)\(\[[^]]*\]\)\{0,1\};.*/\1/p' \
		-e 's/^[[:space:]]*}[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);.*/\1/p' \
		-e 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\);[[:space:]]*$/\1/p' \
		-e 's/^[[:space:]]*\([A-Z][A-Za-z0-9_]*\),\{0,1\}[[:space:]]*\(\/\*.*\)\{0,1\}$/\1/p'
}
find "$ours_inc/xen" -name '*.h' -exec cat {} + | names | LC_ALL=C sort -u >"$tmp/names"
missing=0
while read -r name; do
	if ! grep -Eq "(^|[^A-Za-z0-9_])$name([^A-Za-z0-9_]|\$)" "$src"; then
		echo "FAIL: include/xen defines $name but tests/xen-abi-layout.c never names it"
		missing=$((missing + 1))
	fi
done <"$tmp/names"
if [ "$missing" = 0 ]; then
	echo "ok: all $(wc -l <"$tmp/names") names defined in include/xen are covered"
else
	fail=1
fi

# 2. Our headers must be self-sufficient: no system Xen header pulled in.
if ! $CC -std=gnu11 -I"$ours_inc" -M "$src" >"$tmp/deps" 2>"$tmp/log"; then
	echo "FAIL: $CC cannot preprocess $src with our headers:"
	cat "$tmp/log"
	exit 1
fi
if grep -F "$sysxen/" "$tmp/deps" >/dev/null; then
	echo "FAIL: building against include/xen used system headers:"
	tr -s ' ' '\n' <"$tmp/deps" | grep -F "$sysxen/"
	fail=1
fi

# 3. Build, run and compare for each interface selection.
modes="tools guest"
for iv in 0x00030100 0x00030101 0x00030201 0x00030202 0x00030204 0x00030209 \
	0x0003020a 0x00040300 0x00040400 0x00040600 0x00040700 0x00040900 0x00040e00; do
	modes="$modes guest-$iv"
done

link=
run=
if [ -n "$cross" ]; then
	if [ -n "${XS_CROSS_RUNNER:-}" ]; then
		link=-static
		run=$XS_CROSS_RUNNER
	fi
fi

for mode in $modes; do
	case $mode in
	tools) defs= ;;
	guest) defs=-DXS_ABI_GUEST ;;
	guest-*) defs="-DXS_ABI_GUEST -D__XEN_INTERFACE_VERSION__=${mode#guest-}" ;;
	esac
	built=1
	for variant in ours system; do
		if [ "$variant" = ours ]; then
			incopt=-I
			incdir=$ours_inc
			werror=-Werror
		else
			incopt=-isystem
			incdir=$tmp/sys
			werror=
		fi
		if [ -n "$cross" ] && [ -z "$run" ]; then
			out="$tmp/$variant.o"
			objonly=-c
		else
			out="$tmp/$variant"
			objonly=
		fi
		# shellcheck disable=SC2086
		if ! $CC -std=gnu11 -Wall -Wextra $werror $defs "$incopt" "$incdir" $objonly $link \
			"$src" -o "$out" 2>"$tmp/log"; then
			echo "FAIL [$mode]: $CC does not build the layout program against the $variant headers:"
			cat "$tmp/log"
			fail=1
			built=0
		fi
	done
	[ "$built" = 1 ] || continue
	if [ -n "$cross" ] && [ -z "$run" ]; then
		echo "ok [$mode]: both variants compile with $CC"
		continue
	fi
	for variant in ours system; do
		# shellcheck disable=SC2086
		if ! $run "$tmp/$variant" >"$tmp/$variant.raw"; then
			echo "FAIL [$mode]: the $variant layout program failed"
			fail=1
			continue 2
		fi
		LC_ALL=C sort "$tmp/$variant.raw" >"$tmp/$variant.out"
	done
	if cmp -s "$tmp/system.out" "$tmp/ours.out"; then
		echo "ok [$mode]: $(wc -l <"$tmp/ours.out") facts identical to $sysxen"
	else
		echo "FAIL [$mode]: include/xen differs from $sysxen (- system, + ours):"
		diff -u "$tmp/system.out" "$tmp/ours.out" | sed -n '3,$p' | grep '^[-+]'
		fail=1
	fi
done

exit "$fail"
