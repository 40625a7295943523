#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# /tests/live-info in dom0 (added by tests/xen/run when XENSTABLE_LIBDIR is
# a xenstable build tree): xenstable-info's answers on a real Xen 4.17 dom0
# with Debian's 6.1 kernel, one LIVE line per fact checked.
out=/tmp/xenstable-info.json
if ! /tests/xenstable-info --json >$out 2>&1; then
	echo "LIVE FAIL live-info: xenstable-info --json exited $?"
	exit 1
fi
failed=0
check() { # check WHAT PATTERN
	if grep -Eq "$2" $out; then
		echo "LIVE PASS live-info: $1"
	else
		echo "LIVE FAIL live-info: $1 (no line matching $2)"
		failed=1
	fi
}
feature() { check "$1 $2" "^    \"$1\": \\{\"present\": \"$2\""; }
check "a Xen host" '^  "xen": true,'
check "dom0" '^  "dom0": "yes",'
check "Xen 4.17" '^  "xen_version": "4\.17'
check "4096-byte pages" '^  "page_size": 4096,'
check "privcmd not restricted" '^  "privcmd_restricted": "no",'
# Debian 12's kernel: everything up to 5.11, nothing of 6.6+, and no
# CONFIG_XEN_GNTDEV_DMABUF (gntdev answers ENOTTY to the DMA-BUF ioctls)
for f in mmapbatch_v2 mmap_resource resource_size_query dm_op restrict hypercall_buffers \
	evtchn_restrict; do
	feature $f yes
done
for f in irqfd ioeventfd pcidev_get_gsi gntdev_dmabuf; do
	feature $f no
done
check "no problems on a healthy dom0" '^  "problems": \[$'
if grep -q '"what":' $out; then
	echo "LIVE FAIL live-info: problems reported on a healthy dom0"
	cat $out
	failed=1
fi
exit $failed
