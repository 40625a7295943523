#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# xenstable-info gives correct answers: on this machine as it is (plain
# Linux: no Xen, every device missing, one problem naming the cause), and
# on xensim with two kernel personalities (a current kernel: dom0, Xen
# 4.17, 4096-byte pages, every feature present; Linux 4.14: no
# MMAP_RESOURCE, no /dev/xen/hypercall, no IRQFD, still DM_OP and
# RESTRICT). On a real Xen host the plain part is skipped.
#
# Environment: top_builddir.
set -u
: "${top_builddir:=.}"
info=$top_builddir/tools/xenstable-info
launcher=$top_builddir/xensim/xensim
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
ran=0

expect() { # expect FILE PATTERN WHAT
	if ! grep -Eq "$2" "$1"; then
		echo "FAIL: $3: no line matching /$2/ in:"; sed 's/^/  /' "$1"; fail=1
	fi
}
feature() { # feature FILE NAME yes|no
	expect "$1" "^    \"$2\": \\{\"present\": \"$3\"" "$2 should be $3"
}

"$info" --json >"$tmp/plain.json" || { echo "FAIL: xenstable-info --json exited $?"; exit 1; }
"$info" >"$tmp/plain.txt" || { echo "FAIL: xenstable-info exited $?"; exit 1; }
if [ -e /dev/xen/privcmd ] || [ -e /proc/xen/privcmd ]; then
	echo "skip: plain-Linux answers (this machine has Xen devices)"
else
	ran=$((ran + 1))
	expect "$tmp/plain.json" '^  "xen": false,' "plain Linux is not a Xen host"
	expect "$tmp/plain.json" '"path": "/dev/xen/privcmd", "usable": false, "error": "No such file or directory", "errno": 2' \
		"privcmd is missing"
	expect "$tmp/plain.json" '"what": "this machine is not running on Xen"' "the problem is named"
	expect "$tmp/plain.txt" '^Xen host: +no$' "text report says no Xen"
	expect "$tmp/plain.txt" 'fix: +boot Linux as a Xen dom0' "text report gives the fix"
fi

if [ -x "$launcher" ]; then
	ran=$((ran + 1))
	# xensim preloads libxensim.so; in a sanitizer build the ASan runtime
	# then is not first in the library list, which is harmless here.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
	export ASAN_OPTIONS
	XENSIM_QUIET=1 "$launcher" -- "$info" --json >"$tmp/sim.json" 2>"$tmp/sim.err" ||
		{ echo "FAIL: xenstable-info on xensim exited $?:"; cat "$tmp/sim.err"; fail=1; }
	expect "$tmp/sim.json" '^  "xen": true,' "xensim is a Xen host"
	expect "$tmp/sim.json" '^  "dom0": "yes",' "xensim runs us in dom0"
	expect "$tmp/sim.json" '^  "xen_version": "4\.17' "Xen 4.17"
	expect "$tmp/sim.json" '^  "page_size": 4096,' "4096-byte pages"
	expect "$tmp/sim.json" '^  "privcmd_restricted": "no",' "privcmd unrestricted"
	for f in mmapbatch_v2 mmap_resource resource_size_query dm_op restrict \
		hypercall_buffers irqfd ioeventfd pcidev_get_gsi gntdev_dmabuf evtchn_restrict; do
		feature "$tmp/sim.json" $f yes
	done
	expect "$tmp/sim.json" '^  "problems": \[$' "problems list"
	grep -q '"what":' "$tmp/sim.json" && { echo "FAIL: problems reported on a healthy xensim:"; cat "$tmp/sim.json"; fail=1; }

	XENSIM_QUIET=1 "$launcher" --personality linux-4.14 -- "$info" --json >"$tmp/old.json" 2>"$tmp/old.err" ||
		{ echo "FAIL: xenstable-info on xensim linux-4.14 exited $?:"; cat "$tmp/old.err"; fail=1; }
	for f in mmap_resource hypercall_buffers irqfd ioeventfd; do
		feature "$tmp/old.json" $f no
	done
	for f in mmapbatch_v2 dm_op restrict; do
		feature "$tmp/old.json" $f yes
	done
	expect "$tmp/old.json" '"what": "no IOCTL_PRIVCMD_MMAP_RESOURCE"' "old kernel problem named"

	# a 32-bit program on a 64-bit kernel: every ioctl ENOTTY, no "old kernel" advice
	XENSIM_QUIET=1 "$launcher" --personality linux-6.1+compat32 -- "$info" --json \
		>"$tmp/c32.json" 2>"$tmp/c32.err" ||
		{ echo "FAIL: xenstable-info on xensim +compat32 exited $?:"; cat "$tmp/c32.err"; fail=1; }
	for f in mmapbatch_v2 mmap_resource dm_op restrict irqfd evtchn_restrict; do
		feature "$tmp/c32.json" $f unknown
	done
	feature "$tmp/c32.json" hypercall_buffers yes
	expect "$tmp/c32.json" '"what": "privcmd rejects IOCTL_PRIVCMD_HYPERCALL \(ENOTTY\)' \
		"compat gap named"
	grep -q '"what": "no IOCTL_PRIVCMD_' "$tmp/c32.json" &&
		{ echo "FAIL: +compat32 reported as an old kernel:"; cat "$tmp/c32.json"; fail=1; }
else
	echo "skip: xensim is not built"
fi
[ "$ran" = 0 ] && { echo "SKIP: nothing to check here" >&2; exit 77; }
[ "$fail" = 0 ] && echo "ok: xenstable-info answers correctly ($ran setups)"
exit "$fail"
