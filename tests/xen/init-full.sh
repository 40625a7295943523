#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# /init of the full Debian dom0 of tests/xen/run-full: Debian's toolstack
# (xenstored, xenconsoled, xl) and qemu-xen on the libraries the harness put
# in, then a PV, a PVH and an HVM guest that must each reach userspace and
# say so on their console. Every check: "FULL PASS|FAIL <what>: <details>".
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run /tmp /var/log/xen/console /var/lib/xen /var/run/xen
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mkdir -p /run/xenstored /run/xen
up() { cut -d' ' -f1 /proc/uptime; }
passed=0
failed=0
check() { # cond-status what details
	if [ "$1" = 0 ]; then
		echo "FULL PASS $2: $3"
		passed=$((passed + 1))
	else
		echo "FULL FAIL $2: $3"
		failed=$((failed + 1))
	fi
}
echo "INIT: full dom0 userspace, uptime $(up)s"
for m in xen-privcmd xen-evtchn xen-gntdev xen-gntalloc xenfs; do
	insmod /modules/$m.ko 2>/dev/null
done
mount -t xenfs xenfs /proc/xen
i=0
while [ ! -c /dev/xen/gntdev ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
for l in /usr/lib/x86_64-linux-gnu/libxen*.so.1; do
	echo "INIT: lib $(md5sum "$(readlink -f "$l")" | cut -d' ' -f1) ${l##*/}"
done
bin=/usr/lib/xen-4.17/bin
XENSTORED_ROOTDIR=/run/xenstored $bin/xenstored --pid-file=/run/xenstored.pid \
	>/tmp/xenstored.out 2>&1
r=$?
xenstore-write /xenstable-probe ok >/dev/null 2>&1 && v=$(xenstore-read /xenstable-probe 2>&1)
check $([ $r = 0 ] && [ "$v" = ok ] && echo 0 || echo 1) "xenstored" \
	"rc=$r, write/read of a node: ${v:-failed} $(head -c 300 /tmp/xenstored.out)"
$bin/xen-init-dom0 >/tmp/init-dom0.out 2>&1
check $? "xen-init-dom0" "$(tr '\n' ' ' </tmp/init-dom0.out | head -c 300)"
$bin/xenconsoled --log=guest --log-dir=/var/log/xen/console >/tmp/xenconsoled.out 2>&1
r=$?
sleep 0.5
pidof xenconsoled >/dev/null
check $([ $r = 0 ] && pidof xenconsoled >/dev/null && echo 0 || echo 1) "xenconsoled" \
	"rc=$r running=$(pidof xenconsoled) $(head -c 300 /tmp/xenconsoled.out)"
xl info >/tmp/xlinfo.out 2>&1
r=$?
check $r "xl info" "rc=$r $(grep -E '^(xen_version|virt_caps|nr_cpus|free_memory)' \
	/tmp/xlinfo.out | tr -s ' \n' ' ')"
GUESTS=$(echo "${GUESTS:-pv+pvh+hvm}" | tr + " ")
for g in $GUESTS; do
	limit=60
	[ $g = hvm ] && limit=360 # ~90 s idle, 190 s seen with both cores loaded
	echo "INIT: xl create $g, uptime $(up)s"
	t0=$(up)
	xl create /root/$g.cfg >/tmp/create-$g.out 2>&1
	r=$?
	check $r "xl create $g" "rc=$r $(tail -n 3 /tmp/create-$g.out | tr '\n' ' ' | head -c 300)"
	[ $r = 0 ] || { xl destroy $g >/dev/null 2>&1; continue; }
	[ $g = hvm ] && echo "INIT: device model: $(pidof xen-qemu-system-i386 qemu-system-i386)"
	if [ $g = hvm ] && [ -x /root/mailbox-dm ]; then
		d=$(xl domid hvm)
		/root/mailbox-dm --ready-file /tmp/mbox-ready "$d" >/tmp/mbox-dm.out 2>&1 &
		i=0
		while [ ! -e /tmp/mbox-ready ] && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
		check $([ -e /tmp/mbox-ready ] && echo 0 || echo 1) "mailbox-dm serves hvm (dom$d)" \
			"$(tr '\n' ' ' </tmp/mbox-dm.out | head -c 300)"
	fi
	log=/var/log/xen/console/guest-$g.log
	i=0
	while ! grep -q "XSGUEST userspace" $log 2>/dev/null && [ $i -lt $((limit * 2)) ]; do
		sleep 0.5
		i=$((i + 1))
	done
	line=$(grep -a -m1 "XSGUEST userspace" $log 2>/dev/null | tr -d '\r')
	check $([ -n "$line" ] && echo 0 || echo 1) "$g guest reached userspace" \
		"${line:-nothing after ${limit}s; console: $(tail -c 400 $log 2>/dev/null | tr -d '\r' | tr '\n' ' ')} (created at ${t0}s, now $(up)s)"
	case "$line" in
	*"type=$g"*) check 0 "$g guest type" "$line" ;;
	*) [ -n "$line" ] && check 1 "$g guest type" "expected type=$g: $line" ;;
	esac
	if [ $g = hvm ] && [ -x /root/mailbox-dm ]; then
		grep -a "XSMBOX " $log | tr -d '\r' | sed 's/^/INIT: guest: /'
		sum=$(grep -a -o "XSMBOX SUMMARY passed=[0-9]* failed=0" $log)
		check $([ -n "$sum" ] && ! echo "$sum" | grep -q "passed=0 " && echo 0 || echo 1) \
			"mailbox device seen from the hvm guest (ports, MMIO)" \
			"$(grep -a -o 'XSMBOX SUMMARY.*' $log | tr -d '\r')"
		pid=$(pidof mailbox-dm) && kill $pid
		sleep 1
		tail -n 5 /tmp/mbox-dm.out | sed 's/^/INIT: mailbox-dm: /'
	fi
	i=0
	while xl list $g >/dev/null 2>&1 && [ $i -lt 40 ]; do sleep 0.5; i=$((i + 1)); done
	xl list $g >/dev/null 2>&1 && { echo "INIT: $g still there, destroying"; xl destroy $g; }
	[ $g = hvm ] && tail -n 5 /var/log/xen/qemu-dm-$g.log 2>/dev/null | sed 's/^/INIT: qemu-dm: /'
done
echo "FULL SUMMARY passed=$passed failed=$failed"
echo "INIT: done, uptime $(up)s"
if [ $failed -eq 0 ] && [ $passed -gt 0 ]; then
	/root/dom0-exit 0x10
else
	/root/dom0-exit 0x11
fi
busybox poweroff -f
