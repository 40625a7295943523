#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Oracle check of xensim's device-model part: tests/xensim-dm-oracle.c,
# written against the upstream API and linked with Debian's libraries,
# serves a guest I/O request and issues dm_ops on the simulated machine.
# Skipped (77) when Debian's Xen headers/libraries are not installed.
#
# Environment: top_srcdir, top_builddir, CC, CFLAGS_SAN (sanitizer build).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
launcher=$top_builddir/xensim/xensim
if [ ! -x "$launcher" ]; then
	echo "check-xensim-dm-oracle: $launcher is not built" >&2
	exit 99
fi
if [ -n "${CFLAGS_SAN:-}" ]; then
	# the preloaded shim is instrumented: build the oracle with the same
	# sanitizers and let the shim come before libasan
	ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0
	export ASAN_OPTIONS
fi
for h in xendevicemodel.h xenforeignmemory.h xenevtchn.h; do
	if [ ! -f /usr/include/$h ]; then
		echo "check-xensim-dm-oracle: skipped: Debian's $h is not installed" >&2
		exit 77
	fi
done
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
if ! $CC ${CFLAGS_SAN:-} -o "$tmp/oracle" "$top_srcdir/tests/xensim-dm-oracle.c" -lxendevicemodel \
	-lxenforeignmemory -lxenevtchn 2>"$tmp/cc.err"; then
	echo "check-xensim-dm-oracle: skipped: cannot build against Debian's libraries:" >&2
	cat "$tmp/cc.err" >&2
	exit 77
fi
launcher_abs=$(cd "$(dirname "$launcher")" && pwd)/xensim
fail=0
# A current kernel maps the ioreq pages with MMAP_RESOURCE; Linux 4.14 has
# no MMAP_RESOURCE, so the library says EOPNOTSUPP and the device model
# falls back to the legacy gfns, as QEMU does.
for run in "resource linux-6.12" "legacy linux-4.14"; do
	want=${run%% *}
	pers=${run#* }
	"$launcher" --personality "$pers" -- "$tmp/oracle" "$launcher_abs" >"$tmp/out"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: ($pers) the oracle device model failed at step $rc"
		fail=1
	elif ! grep -qx "path=$want" "$tmp/out"; then
		echo "FAIL: ($pers) expected the $want path: $(cat "$tmp/out")"
		fail=1
	else
		echo "check-xensim-dm-oracle: ($pers, $want pages) Debian's libxendevicemodel served guest I/O"
	fi
done
exit $fail
