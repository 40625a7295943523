#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Every installed public header must compile on its own as C89 (upstream's
# -ansi rule), C99 and C11 with -pedantic -Werror, and as C++; and none may
# include xenctrl.h/xenguest.h or need __XEN_TOOLS__.
#
# Environment: top_srcdir, top_builddir, CC, CXX, XS_PUBLIC_HEADERS,
#              XEN_HEADERS_CPPFLAGS (empty for the bundled Xen headers).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}" "${CXX:=c++}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
# XEN_HEADERS_CPPFLAGS refers to $(top_builddir) in make syntax.
xen_cppflags=$(printf '%s' "${XEN_HEADERS_CPPFLAGS:-}" | sed "s|\$(top_builddir)|$top_builddir|g")
inc="$xen_cppflags -I$top_srcdir/include"

for h in ${XS_PUBLIC_HEADERS:?}; do
	base=$(basename "$h")
	if grep -Eq '#[ \t]*include[ \t]*[<"](xenctrl|xenguest|xenctrl_compat)\.h' "$top_srcdir/$h"; then
		echo "FAIL: $base includes an unstable header"; fail=1
	fi
	if grep -Eq '^[ \t]*#.*__XEN_TOOLS__' "$top_srcdir/$h"; then
		echo "FAIL: $base depends on __XEN_TOOLS__"; fail=1
	fi
	# Headers live in include/ or next to their component (xensim/xensim.h).
	inc="$xen_cppflags -I$top_srcdir/include -I$top_srcdir/$(dirname "$h")"
	printf '#include <%s>\n#include <%s>\nint xs_header_check_dummy;\n' "$base" "$base" >"$tmp/t.c"
	cp "$tmp/t.c" "$tmp/t.cc"
	for std in "-ansi -Wall -Werror" "-std=c99 -pedantic -Wall -Wextra -Werror" \
		   "-std=c11 -pedantic -Wall -Wextra -Werror"; do
		# shellcheck disable=SC2086
		if ! $CC $std $inc -c "$tmp/t.c" -o "$tmp/t.o" 2>"$tmp/log"; then
			echo "FAIL: $base does not compile alone with $CC $std"; cat "$tmp/log"; fail=1
		fi
	done
	# shellcheck disable=SC2086
	if ! $CXX -std=c++11 -pedantic -Wall -Wextra -Werror $inc -c "$tmp/t.cc" -o "$tmp/t.o" 2>"$tmp/log"; then
		echo "FAIL: $base does not compile alone as C++"; cat "$tmp/log"; fail=1
	fi
	[ "$fail" = 0 ] && echo "ok: $base (C89, C99, C11, C++11)"
done
exit "$fail"
