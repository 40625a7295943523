#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Upstream parity, library by library, against the distribution's own
# (upstream) .so.1 files and headers:
#  1. every symbol@VERSION the upstream library exports is exported by ours
#     with the same version node, and every upstream node has the same
#     parent in ours (ours may add XENSTABLE_* nodes);
#  2. every upstream function's prototype is the same in our public header
#     as in upstream's: a table type with one member per function
#     (__typeof__(&fn)) is compiled with -g against each header set and the
#     two are compared with abidiff (skipped without libabigail or libxen-dev).
# Libraries we do not build yet are reported and skipped. Skips (77) as a
# whole only if no upstream library is installed.
#
# Environment: top_srcdir, top_builddir, READELF, CC, XS_LIBNAMES,
#              XS_UPSTREAM_LIBDIR, XS_UPSTREAM_INCDIR.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${READELF:=readelf}" "${CC:=cc}"
libdir=${XS_UPSTREAM_LIBDIR:-/usr/lib/$($CC -print-multiarch 2>/dev/null)}
incdir=${XS_UPSTREAM_INCDIR:-/usr/include}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
checked=0
err() { echo "FAIL: $*"; fail=1; }

symbols() { # symbols SO: "name version" of every defined, versioned symbol
	"$READELF" --dyn-syms --wide "$1" | awk '$7 != "UND" && $8 ~ /@/ {
		n = $8; sub(/@.*/, "", n); v = $8; sub(/^[^@]*@@?/, "", v); print n, v }' | sort -u
}
parents() { # parents SO: "node parent" for every version definition
	"$READELF" -V --wide "$1" | awk '
		/Version definition section/ { d = 1; next }
		/Version needs section/ { d = 0 }
		d && /Name:/ { for (i = 1; i <= NF; i++) if ($i == "Name:") cur = $(i + 1)
			if ($0 ~ /Flags: BASE/) cur = ""; else print cur, "-"; next }
		d && /Parent 1:/ { print cur, $NF }' | sort -u
}

for lib in ${XS_LIBNAMES:?}; do
	name=libxen$lib
	up=$libdir/$name.so.1
	ours=$top_builddir/libs/$lib/.libs/$name.so
	if [ ! -e "$up" ]; then
		echo "skip: $name: no upstream $up (apt-get install ${name}1)"
		continue
	fi
	[ -e "$ours" ] || { err "$name: not built ($ours)"; continue; }
	checked=$((checked + 1))

	symbols "$up" >"$tmp/up.syms"
	symbols "$ours" >"$tmp/ours.syms"
	comm -23 "$tmp/up.syms" "$tmp/ours.syms" >"$tmp/missing"
	if [ -s "$tmp/missing" ]; then
		err "$name: upstream symbol@node pairs missing from ours:"; sed 's/^/  /' "$tmp/missing"
	fi
	parents "$up" | grep -v ' -$' >"$tmp/up.par"
	parents "$ours" >"$tmp/ours.par"
	comm -23 "$tmp/up.par" "$tmp/ours.par" >"$tmp/badpar"
	if [ -s "$tmp/badpar" ]; then
		err "$name: upstream node inheritance not matched:"; sed 's/^/  /' "$tmp/badpar"
	fi
	nsyms=$(wc -l <"$tmp/up.syms")

	# 2. prototypes, through the public header of the library.
	case $lib in
	toolcore) hdr=xentoolcore.h ;;
	toollog) hdr=xentoollog.h ;;
	*) hdr=xen$lib.h ;;
	esac
	protos=skipped
	if command -v abidiff >/dev/null 2>&1 && [ -f "$incdir/$hdr" ]; then
		{
			echo "#include <$hdr>"
			echo "struct xs_api_table {"
			# internal (xentoolcore__*) functions have no public prototype
			cut -d' ' -f1 "$tmp/up.syms" | grep -v '__' | sed 's/.*/	__typeof__(\&&) &;/'
			echo "};"
			echo "__attribute__((visibility(\"default\"))) struct xs_api_table xs_api_table;"
		} >"$tmp/table.c"
		# shellcheck disable=SC2086
		$CC -shared -fPIC -g -O0 -I"$top_srcdir/include" "$tmp/table.c" \
			-o "$tmp/ours-table.so" 2>"$tmp/cc1.log" ||
			{ err "$name: prototype table does not compile with our $hdr:"; cat "$tmp/cc1.log"; continue; }
		$CC -shared -fPIC -g -O0 -I"$incdir" "$tmp/table.c" \
			-o "$tmp/up-table.so" 2>"$tmp/cc2.log" ||
			{ err "$name: prototype table does not compile with upstream's $hdr:"; cat "$tmp/cc2.log"; continue; }
		if abidiff "$tmp/up-table.so" "$tmp/ours-table.so" >"$tmp/abidiff.log" 2>&1; then
			protos="identical to upstream's $incdir/$hdr"
		else
			err "$name: prototypes/types differ from upstream's $hdr:"; cat "$tmp/abidiff.log"
			continue
		fi
	fi
	echo "ok: $name: all $nsyms upstream symbol@node pairs and node parents present; prototypes $protos"
done
if [ "$checked" = 0 ] && [ "$fail" = 0 ]; then
	echo "SKIP: no upstream library installed in $libdir" >&2
	exit 77
fi
exit "$fail"
