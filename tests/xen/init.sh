#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# /init of the minimal dom0 built by tests/xen/run (busybox sh, PID 1).
# Loads the Xen device drivers, runs every /tests/live-* program, counts
# its "LIVE PASS|FAIL|SKIP" lines, prints one "LIVE SUMMARY" line and ends
# QEMU through isa-debug-exit (0x10: all passed, 0x11: failures).
export PATH=/bin:/sbin
export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
up() { cut -d' ' -f1 /proc/uptime; }
echo "INIT: dom0 userspace reached, uptime $(up)s"
# from here on only errors of the kernel reach the console, so that its
# messages do not cut through the test lines
echo 3 >/proc/sys/kernel/printk

fatal=0
for m in xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs; do
	insmod /modules/$m.ko || {
		echo "LIVE FAIL init: insmod $m.ko"
		fatal=1
	}
done
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen || echo "INIT: cannot mount xenfs"
for n in privcmd hypercall evtchn gntdev gntalloc; do
	i=0
	while [ ! -c /dev/xen/$n ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -c /dev/xen/$n ] || {
		echo "LIVE FAIL init: /dev/xen/$n did not appear"
		fatal=1
	}
done
echo "INIT: hypervisor $(cat /sys/hypervisor/type 2>/dev/null)" \
	"$(cat /sys/hypervisor/version/major 2>/dev/null).$(cat \
	/sys/hypervisor/version/minor 2>/dev/null)$(cat /sys/hypervisor/version/extra \
	2>/dev/null), capabilities: $(cat /proc/xen/capabilities 2>/dev/null)," \
	"devices: $(ls /dev/xen | tr '\n' ' ')"

passed=0
failed=$fatal
skipped=0
for t in /tests/live-*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	echo "INIT: running $name, uptime $(up)s"
	timeout 60 "$t" >/tmp/$name.out 2>&1
	rc=$?
	cat /tmp/$name.out
	p=$(grep -c '^LIVE PASS ' /tmp/$name.out)
	f=$(grep -c '^LIVE FAIL ' /tmp/$name.out)
	s=$(grep -c '^LIVE SKIP ' /tmp/$name.out)
	if [ $rc -ne 0 ] && [ $f -eq 0 ]; then
		echo "LIVE FAIL $name: exited with status $rc and no failed check"
		f=1
	elif [ $rc -eq 0 ] && [ $f -ne 0 ]; then
		echo "LIVE FAIL $name: exited with status 0 after failed checks"
		f=$((f + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "INIT: $name exit=$rc: $p passed, $f failed, $s skipped"
done
echo "LIVE SUMMARY passed=$passed failed=$failed skipped=$skipped"
echo "INIT: done, uptime $(up)s"
if [ $failed -eq 0 ] && [ $passed -gt 0 ]; then
	/tests/dom0-exit 0x10
else
	/tests/dom0-exit 0x11
fi
# dom0-exit only returns if the port is absent: a plain power-off then
poweroff -f
