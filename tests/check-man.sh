#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Manual pages: every function a built library exports has a section 3
# page (generated from its header's documentation), every library has its
# overview page, and every page, section 1 included, renders with groff
# without a single warning (and with man -l where man-db is installed).
#
# Environment: top_srcdir, top_builddir, READELF, XS_LIBNAMES.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${READELF:=readelf}"
if ! command -v groff >/dev/null 2>&1; then
	echo "SKIP: groff not found (apt-get install groff-base)" >&2
	exit 77
fi
man3=$top_builddir/man/man3
fail=0
pages=0
err() { echo "FAIL: $*"; fail=1; }

for lib in ${XS_LIBNAMES:?}; do
	so=$top_builddir/libs/$lib/.libs/libxen$lib.so
	[ -f "$so" ] || { err "libxen$lib is not built"; continue; }
	[ -f "$man3/libxen$lib.3" ] || err "no overview page libxen$lib.3"
	missing=""
	for sym in $("$READELF" --dyn-syms --wide "$so" |
		awk '$7 != "UND" && $4 == "FUNC" && $8 ~ /@/ { n = $8; sub(/@.*/, "", n); print n }' | sort -u); do
		[ -f "$man3/$sym.3" ] || missing="$missing $sym"
	done
	[ -n "$missing" ] && err "libxen$lib: exported functions without a page:$missing"
done

for page in "$man3"/*.3 "$top_srcdir"/man/*.1; do
	[ -f "$page" ] || continue
	pages=$((pages + 1))
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -n "$warn" ] && err "$(basename "$page") renders with warnings: $warn"
	if command -v man >/dev/null 2>&1; then
		out=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null)
		[ -n "$out" ] && err "man -l $(basename "$page"): $out"
	fi
done
[ "$pages" = 0 ] && err "no manual pages generated in $man3"
[ "$fail" = 0 ] && echo "ok: $pages manual pages, every exported function documented, no warnings"
exit "$fail"
