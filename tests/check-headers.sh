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

# Xen's own hvm_op.h pulls in trace.h, whose flexible array members ISO
# C++ rejects: with the system's Xen headers C++ is checked without
# -pedantic (ours are clean with it).
cxx_pedantic=-pedantic
[ -n "$xen_cppflags" ] && cxx_pedantic=
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
	if ! $CXX -std=c++11 $cxx_pedantic -Wall -Wextra -Werror $inc -c "$tmp/t.cc" -o "$tmp/t.o" 2>"$tmp/log"; then
		echo "FAIL: $base does not compile alone as C++"; cat "$tmp/log"; fail=1
	fi
	[ "$fail" = 0 ] && echo "ok: $base (C89, C99, C11, C++11)"
done
# set_xen_guest_handle() must work in every interface mode: a bare pointer
# before 0x00030201 (the default without __XEN_TOOLS__), a struct after.
cat >"$tmp/gh.c" <<'EOT'
#include <stdint.h>
#include <xen/xen.h>
#include <xen/memory.h>
void *xs_gh(void);
void *xs_gh(void)
{
	static xen_pfn_t frames[1];
	static struct xen_mem_acquire_resource r;

	set_xen_guest_handle(r.frame_list, frames);
	return &r;
}
EOT
# (Our bundled headers only: upstream's have the .p form in every mode.)
[ -n "$xen_cppflags" ] && gh_modes="" || gh_modes='"" -D__XEN_TOOLS__ -D__XEN_INTERFACE_VERSION__=0x00030200'
eval "set -- $gh_modes"
for mode in "$@"; do
	# shellcheck disable=SC2086
	if ! $CC -std=c99 -pedantic -Wall -Wextra -Werror $mode $xen_cppflags -I"$top_srcdir/include" \
		-c "$tmp/gh.c" -o "$tmp/gh.o" 2>"$tmp/log"; then
		echo "FAIL: set_xen_guest_handle() does not compile (${mode:-default interface}):"
		cat "$tmp/log"; fail=1
	fi
done
[ "$fail" = 0 ] && [ -n "$gh_modes" ] && echo "ok: set_xen_guest_handle() in every interface mode"

# Mixed with the distribution's full Xen public headers (libxen-dev), in
# both include orders, with and without __XEN_TOOLS__ (QEMU defines it):
# consumers that include Xen's headers themselves must still be able to
# include ours, and the guarded XEN_PAGE_* of <xenstable.h> must not clash
# with io/ring.h's.
sysxen=${XS_SYSTEM_XEN_INCDIR:-/usr/include}
if [ -f "$sysxen/xen/xen.h" ]; then
	mkdir -p "$tmp/libinc"
	for h in ${XS_PUBLIC_HEADERS:?}; do cp "$top_srcdir/$h" "$tmp/libinc/"; done
	xenpub="xen/xen.h xen/xen-compat.h xen/event_channel.h xen/grant_table.h xen/memory.h
		xen/version.h xen/sched.h xen/physdev.h xen/vcpu.h xen/callback.h xen/features.h
		xen/hvm/dm_op.h xen/hvm/hvm_op.h xen/hvm/ioreq.h xen/hvm/params.h xen/io/ring.h
		xen/io/xs_wire.h"
	mixed=0
	for tools in "" "-D__XEN_TOOLS__"; do
		extra=""
		[ -n "$tools" ] && extra="xen/domctl.h xen/sysctl.h"
		for h in ${XS_PUBLIC_HEADERS:?}; do
			base=$(basename "$h")
			for order in xen-first ours-first; do
				# (Xen's public headers expect <stdint.h> before them)
				echo "#include <stdint.h>" >"$tmp/m.c"
				[ $order = ours-first ] && echo "#include <$base>" >>"$tmp/m.c"
				for x in $xenpub $extra; do echo "#include <$x>" >>"$tmp/m.c"; done
				[ $order = xen-first ] && echo "#include <$base>" >>"$tmp/m.c"
				echo "int xs_header_check_dummy;" >>"$tmp/m.c"
				# shellcheck disable=SC2086
				if ! $CC -std=gnu11 -Wall -Wextra -Werror $tools -I"$tmp/libinc" \
					-isystem "$sysxen" -c "$tmp/m.c" -o "$tmp/m.o" 2>"$tmp/log"; then
					echo "FAIL: $base with $sysxen/xen/*.h ($order${tools:+, $tools}):"
					cat "$tmp/log"; fail=1
				else
					mixed=$((mixed + 1))
				fi
			done
		done
	done
	[ "$fail" = 0 ] && echo "ok: every header with the system's Xen public headers, both orders, with and without __XEN_TOOLS__ ($mixed builds)"
else
	echo "note: no $sysxen/xen/xen.h: mixed-header checks not run"
fi
exit "$fail"
