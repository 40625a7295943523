#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Oracle check of xensim (issue 3, item 7): tests/xensim-oracle.c is built
# against the distribution's Xen headers and linked with the distribution's
# upstream libraries (libxencall, libxenforeignmemory, libxendevicemodel,
# libxenevtchn, libxengnttab), then run under `xensim --` with libxensim.so
# preloaded; it checks that the results are what a real dom0 would get.
# Sections whose daemon part is not built are skipped (and said so).
# Skips (77) without the upstream libraries or libxensim.so.
#
# Environment: top_srcdir, top_builddir, CC, CFLAGS_SAN, XS_UPSTREAM_LIBDIR.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
libdir=${XS_UPSTREAM_LIBDIR:-/usr/lib/$($CC -print-multiarch 2>/dev/null)}
xensim=$(cd "$top_builddir/xensim" && pwd)/xensim
shim=$top_builddir/xensim/.libs/libxensim.so
libs=
for l in xencall xenforeignmemory xendevicemodel xenevtchn xengnttab; do
	if [ ! -e "$libdir/lib$l.so.1" ]; then
		echo "SKIP: no upstream lib$l.so.1 in $libdir (apt-get install lib${l}1)" >&2
		exit 77
	fi
	libs="$libs $libdir/lib$l.so.1"
done
for h in xencall.h xenforeignmemory.h xendevicemodel.h xenevtchn.h xengnttab.h; do
	if ! echo "#include <$h>" | $CC -E -x c - >/dev/null 2>&1; then
		echo "SKIP: no upstream $h (apt-get install libxen-dev)" >&2
		exit 77
	fi
done
if [ ! -x "$xensim" ] || [ ! -e "$shim" ]; then
	echo "SKIP: xensim or libxensim.so not built" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086
$CC ${CFLAGS_SAN:-} "$top_srcdir/tests/xensim-oracle.c" -o "$tmp/oracle" $libs || exit 99

# Which parts does this daemon have? (an unknown command says so)
has() {
	! "$xensim" --no-preload -- "$xensim" ctl "$@" 2>&1 | grep -q "unknown command"
}
sections="call fmem"
evtchn=no
if has evtchn-pending 1 1; then evtchn=yes; fi
# ioreq servers need Xen-side event channels: the dm part needs the evtchn part
if has show ioreq-server 1 0 && [ $evtchn = yes ]; then
	sections="$sections dm"
else
	echo "skip: dm (no dm or no evtchn part)"
fi
if [ $evtchn = yes ]; then sections="$sections evtchn"; else echo "skip: evtchn (no evtchn part)"; fi
if has grant-info 1 0; then
	sections="$sections gnttab resource"
else
	echo "skip: gnttab, resource (no gnttab part)"
	ORACLE_NO_GNTTAB=1
	export ORACLE_NO_GNTTAB
fi
# the shim is instrumented in a sanitizer build; it comes before libasan
ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0
export ASAN_OPTIONS
XENSIM_LIBDIR=$(cd "$top_builddir/xensim/.libs" && pwd)
export XENSIM_LIBDIR
fail=0
# shellcheck disable=SC2086
"$xensim" -- "$tmp/oracle" "$xensim" $sections || fail=1
# older kernels: the libraries' fallbacks
"$xensim" --personality linux-4.14 -- "$tmp/oracle" "$xensim" old || fail=1
"$xensim" --personality linux-3.2 -- "$tmp/oracle" "$xensim" ancient || fail=1
# DMA-BUF needs the kernel feature and a dom0 that is not PV
if [ -z "${ORACLE_NO_GNTTAB:-}" ]; then
	"$xensim" --personality linux-6.12 -- "$tmp/oracle" "$xensim" dmabuf || fail=1
fi
printf 'kernel linux-6.12+domu\ndomu-target 1\ndomain 1\ndomain 2\n' > "$tmp/domu.scn"
"$xensim" --scenario "$tmp/domu.scn" -- "$tmp/oracle" "$xensim" domu || fail=1
exit $fail
