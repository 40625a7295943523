#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# The main job on a machine without Xen: mailbox-dm serves a simulated HVM
# guest (domain 1, 2 vCPUs) on xensim, and mailbox-guest drives the device
# as the guest's vCPUs and checks every answer.
#   examples/demo.sh [--irqfd]        (from the build directory: make demo)
# Exit status: 0 if every check passed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
builddir=${top_builddir:-$(pwd)}
launcher=$builddir/xensim/xensim
dm=$builddir/examples/mailbox-dm
guest=$builddir/examples/mailbox-guest
dmflags=""
guestflags=""
if [ "${1:-}" = --irqfd ]; then
	dmflags="--irqfd --irq 40"
	guestflags="-f -i 40"
fi

if [ -z "${XENSIM_SOCKET:-}" ]; then
	for f in "$launcher" "$dm" "$guest"; do
		[ -x "$f" ] || { echo "demo: $f is not built (run make)" >&2; exit 1; }
	done
	echo "demo: starting a simulated Xen 4.17 machine (xensim): dom0 + HVM domain 1"
	top_builddir=$builddir
	export top_builddir
	# --irqfd raises an Arm SPI (set_irq_level): an x86 Xen has none
	scen=
	if [ "${1:-}" = --irqfd ]; then
		scen=$(mktemp) || exit 1
		printf 'arch arm\ndomain 1 type=hvm vcpus=2 memory=64M grant-frames=32\n' >"$scen"
		"$launcher" --scenario "$scen" -- /bin/sh "$here/demo.sh" "$@"
		rc=$?
		rm -f "$scen"
		exit $rc
	fi
	exec "$launcher" -- /bin/sh "$here/demo.sh" "$@"
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"$dm" $dmflags --ready-file "$tmp/ready" 1 &
pid=$!
i=0
while [ ! -e "$tmp/ready" ]; do
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		echo "demo: mailbox-dm failed to start" >&2
		exit 1
	fi
	i=$((i + 1))
	[ $i -gt 200 ] && { echo "demo: mailbox-dm did not get ready" >&2; kill "$pid"; exit 1; }
	sleep 0.05
done
"$guest" $guestflags -d 1
rc=$?
kill -TERM "$pid"
wait "$pid" || rc=1
[ $rc = 0 ] && echo "demo: the device model served the simulated guest; every answer checked"
exit $rc
