#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# The main job, as `make demo` runs it: mailbox-dm serves a simulated HVM
# guest on xensim and mailbox-guest checks every answer, with the
# interrupt raised through set_isa_irq_level and through an irqfd. Also
# checks what the device model prints and that it tears down cleanly.
#
# Environment: top_srcdir, top_builddir.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
demo=$top_srcdir/examples/demo.sh
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS XENSIM_QUIET=1

for mode in "" --irqfd; do
	top_builddir=$top_builddir $SHELL "$demo" $mode >"$tmp/out" 2>&1
	rc=$?
	name="demo${mode:+ $mode}"
	if [ $rc != 0 ]; then
		echo "FAIL: $name exited $rc:"; sed 's/^/  /' "$tmp/out"; fail=1; continue
	fi
	for want in '^mailbox-dm: serving domain 1: MMIO 0xfeb00000-0xfeb00fff, ports 0x5a0-0x5a3, 2 vCPUs' \
		'restricted to domain 1$' \
		'^mailbox-guest: [0-9]+ passed, 0 failed$' \
		'^mailbox-dm: command 1: copy 256 bytes frame 0x10 -> 0x11: done$' \
		'^mailbox-dm: vcpu0: port string buffer 0x40000000-0x40000003 is not guest RAM: ' \
		'^mailbox-dm: vcpu0: invalidate: dropped the cached guest mapping$' \
		'^mailbox-dm: Terminated: shutting down$' \
		'^mailbox-dm: served [0-9]+ requests, 1 doorbell$' \
		'^demo: the device model served the simulated guest; every answer checked$'; do
		grep -Eq "$want" "$tmp/out" ||
			{ echo "FAIL: $name: no line matching /$want/ in:"; sed 's/^/  /' "$tmp/out"; fail=1; }
	done
	grep '^FAIL' "$tmp/out" && fail=1
	[ $fail = 0 ] && echo "ok: $name: $(grep -c '^ok:' "$tmp/out") guest checks passed"
done
exit $fail
