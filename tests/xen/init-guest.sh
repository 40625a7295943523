#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# /init of the guests of tests/xen/run-full: say that userspace was reached
# (on the console xenconsoled logs in dom0), then power off.
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
t=unknown
[ -e /sys/hypervisor/guest_type ] && t=$(/bin/busybox cat /sys/hypervisor/guest_type)
t=$(echo "$t" | /bin/busybox tr 'A-Z' 'a-z')
# with a mailbox device model in dom0 (tests/xen/run-full, HVM guest only)
if [ "$t" = hvm ] && [ -x /mbox-check ]; then
	/bin/busybox mount -t devtmpfs devtmpfs /dev
	/mbox-check
fi
echo "XSGUEST userspace type=$t uptime=$(/bin/busybox cut -d' ' -f1 /proc/uptime)" \
	"kernel=$(/bin/busybox uname -r)"
/bin/busybox sleep 1
/bin/busybox poweroff -f
