#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# The API-level test programs of libxendevicemodel (tests/test-devicemodel.c,
# tests/test-devicemodel-ioreq.c), built with -DXS_UPSTREAM_ORACLE and linked
# with the distribution's (upstream) libraries instead of ours, must pass on
# xensim too. XS_UPSTREAM_ORACLE leaves out exactly the cases where
# xenstable documents an intended improvement (argument checks and their
# log lines, NULL handles, requests beyond the DM_OP ioctl's limits,
# restriction that never silently succeeds, kernel-restricted privcmd) and
# the XENSTABLE_1.0 extensions. Skips (77) without the upstream libraries.
#
# Environment: top_srcdir, top_builddir, CC, CFLAGS_SAN, XS_UPSTREAM_LIBDIR.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
libdir=${XS_UPSTREAM_LIBDIR:-/usr/lib/$($CC -print-multiarch 2>/dev/null)}
libs="libxendevicemodel.so.1 libxenforeignmemory.so.1 libxenevtchn.so.1 libxencall.so.1
	libxentoolcore.so.1 libxentoollog.so.1"
for l in $libs; do
	if [ ! -e "$libdir/$l" ]; then
		echo "SKIP: no upstream $l in $libdir (apt-get install libxen-dev)" >&2
		exit 77
	fi
done
launcher=$top_builddir/xensim/xensim
sim=$top_builddir/xensim/.libs
if [ ! -x "$launcher" ] || [ ! -e "$sim/libxensim.so" ]; then
	echo "SKIP: xensim is not built" >&2
	exit 77
fi
check_cflags=$(pkg-config --cflags check 2>/dev/null) || {
	echo "SKIP: Check not found" >&2
	exit 77
}
check_libs=$(pkg-config --libs check)
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
link=
for l in $libs; do
	link="$link $libdir/$l"
done
fail=0
for t in test-devicemodel test-devicemodel-ioreq; do
	# The bundled Xen headers and ours: the same ABI as the system's.
	# shellcheck disable=SC2086
	$CC -std=gnu11 ${CFLAGS_SAN:-} -DXS_UPSTREAM_ORACLE $check_cflags \
		-I"$top_builddir" -I"$top_srcdir/include" -I"$top_srcdir/xensim" \
		"$top_srcdir/tests/$t.c" -o "$tmp/$t" $link \
		-L"$sim" -lxensim -Wl,-rpath,"$sim" $check_libs -lpthread || exit 99
	echo "== $t with upstream's libraries ($libdir)"
	CK_FORK=yes "$launcher" --no-preload -- "$tmp/$t"
	rc=$?
	if [ "$rc" = 77 ]; then
		skipped=1
	elif [ "$rc" != 0 ]; then
		echo "FAIL: $t fails with upstream's libraries"
		fail=1
	fi
done
[ "$fail" = 0 ] && [ "${skipped:-0}" = 1 ] && exit 77
exit "$fail"
