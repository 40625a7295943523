#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# libxensim.so preloaded into unmodified programs by `xensim -- PROG`:
# ordinary files pass through untouched, simulated sysfs files and device
# nodes are there (to open, stat, test, ls and cd), unknown /dev/xen paths
# fail loudly, personalities remove devices. If Debian's Xen libraries and headers are installed, a
# small program written against the upstream API runs on the simulator
# too (the oracle check).
#
# Environment: top_srcdir, top_builddir, CC, CFLAGS_SAN.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}"
launcher=$top_builddir/xensim/xensim
if [ ! -x "$launcher" ]; then
	echo "check-xensim-preload: $launcher is not built" >&2
	exit 99
fi
if [ -n "${CFLAGS_SAN:-}" ]; then
	echo "check-xensim-preload: skipped: a sanitizer build cannot be preloaded into other programs" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*"; fail=1; }

# Ordinary files are untouched.
"$launcher" -- cat "$top_srcdir/xensim/protocol.h" >"$tmp/copy" || err "cat under xensim failed"
cmp -s "$tmp/copy" "$top_srcdir/xensim/protocol.h" || err "cat changed an ordinary file"

# Simulated sysfs.
out=$("$launcher" -- cat /sys/hypervisor/type) || err "cat /sys/hypervisor/type failed"
[ "$out" = xen ] || err "/sys/hypervisor/type is '$out'"
out=$("$launcher" -- cat /sys/hypervisor/version/major /sys/hypervisor/version/minor \
	/sys/hypervisor/version/extra | tr '\n' ' ')
[ "$out" = "4 17 .0-xensim " ] || err "version files: '$out'"

# Devices open through the shell; a personality without one gives ENOENT.
"$launcher" -- sh -c 'exec 3<>/dev/xen/evtchn' || err "cannot open /dev/xen/evtchn"
if "$launcher" --personality linux-6.12-evtchn -- sh -c 'exec 3<>/dev/xen/evtchn' 2>/dev/null; then
	err "/dev/xen/evtchn opened on a personality without it"
fi

# Programs that look before they open (test -c, ls, cd) see the machine,
# however the path is spelled; the stand-ins go away with the launcher.
"$launcher" -- sh -c 'test -c /dev/xen/privcmd && test -c /dev//xen/./gntdev &&
	test -r /proc/xen/capabilities && test -d /sys/hypervisor/version &&
	! test -e /dev/xen/xenbus' 2>/dev/null || err "test(1) does not see the simulated nodes"
if "$launcher" --personality linux-4.14 -- sh -c 'test -e /dev/xen/hypercall'; then
	err "/dev/xen/hypercall exists on linux-4.14"
fi
out=$("$launcher" -- sh -c 'ls /dev/xen | tr "\n" " "; echo "$XENSIM_SOCKET" > "$1"' sh "$tmp/sock")
[ "$out" = "evtchn gntalloc gntdev hypercall privcmd " ] || err "ls /dev/xen: '$out'"
[ -e "$(cat "$tmp/sock").root" ] && err "the stand-in directories were left behind"
out=$("$launcher" -- sh -c 'cd /sys/hypervisor/version && cat major minor | tr "\n" " "')
[ "$out" = "4 17 " ] || err "cat after cd /sys/hypervisor/version: '$out'"
out=$("$launcher" -- stat -c '%F %t:%T %a %U' /dev/xen/evtchn)
[ "$out" = "character special file a:78 600 root" ] || err "stat(1) of /dev/xen/evtchn: '$out'"

# Unknown /dev/xen paths fail loudly (and quietly on request).
"$launcher" -- sh -c 'cat /dev/xen/xenbus' >/dev/null 2>"$tmp/err" && err "xenbus opened"
grep -q 'xensim: /dev/xen/xenbus is not simulated' "$tmp/err" ||
	err "no diagnostic for /dev/xen/xenbus: $(cat "$tmp/err")"
XENSIM_QUIET=1 "$launcher" -- sh -c 'cat /dev/xen/xenbus' >/dev/null 2>"$tmp/err"
grep -q 'is not simulated' "$tmp/err" && err "XENSIM_QUIET=1 still prints"

# Event channels come from the daemon's evtchn part; until it is there,
# the parts that need them are skipped (and say so).
if "$launcher" -- sh -c "'$launcher' ctl evtchn-alloc-unbound 1 0" >/dev/null 2>&1; then
	have_evtchn=yes
else
	have_evtchn=no
	echo "check-xensim-preload: the simulator has no event channels yet: evtchn parts skipped"
fi

# A _FORTIFY_SOURCE program: __open_2, __openat_2 and __read_chk.
cat >"$tmp/fortify.c" <<'EOC'
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int flags = argc > 1 ? atoi(argv[1]) : O_RDWR;
	int e = openat(AT_FDCWD, "/dev/xen/evtchn", flags);
	int p = open("/dev/xen/privcmd", flags);
	char buf[8];

	if (e < 0 || p < 0)
		return 2;
	/* read() on privcmd is EINVAL; on an empty non-blocking evtchn EAGAIN. */
	if (read(p, buf, (size_t)argc * 4) != -1 || errno != EINVAL)
		return 3;
	if (fcntl(e, F_SETFL, O_NONBLOCK) < 0 || read(e, buf, (size_t)argc * 4) != -1 ||
	    errno != EAGAIN)
		return 4;
	return 0;
}
EOC
if [ $have_evtchn = no ]; then
	:
elif $CC -O2 -D_FORTIFY_SOURCE=2 -o "$tmp/fortify" "$tmp/fortify.c" 2>"$tmp/cc.err"; then
	"$launcher" -- "$tmp/fortify" 2 || err "fortified program failed ($?)"
else
	echo "check-xensim-preload: cannot compile with $CC: fortify part skipped"
fi

# Oracle: Debian's libraries on the simulator.
if [ $have_evtchn = yes ] && [ -f /usr/include/xenevtchn.h ] && [ -f /usr/include/xencall.h ] &&
	[ -f /usr/include/xenforeignmemory.h ] &&
	cat >"$tmp/oracle.c" <<'EOC' &&
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <xencall.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
int main(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	xen_pfn_t pfn = 0x10;
	int err = 1, port;
	char *p;

	if (!xc || !fm || !xe)
		return 2;
	/* __HYPERVISOR_xen_version, XENVER_version */
	if (xencall2(xc, 17, 0, 0) != ((4 << 16) | 17))
		return 3;
	p = xenforeignmemory_map(fm, 1, PROT_READ | PROT_WRITE, 1, &pfn, &err);
	if (!p || err)
		return 4;
	strcpy(p, "oracle wrote this");
	xenforeignmemory_unmap(fm, p, 1);
	port = xenevtchn_bind_unbound_port(xe, 1);
	if (port <= 0)
		return 5;
	printf("%d\n", port);
	xenevtchn_close(xe);
	xenforeignmemory_close(fm);
	xencall_close(xc);
	return 0;
}
EOC
	$CC -o "$tmp/oracle" "$tmp/oracle.c" -lxencall -lxenforeignmemory -lxenevtchn \
		2>/dev/null; then
	"$launcher" -- sh -c "'$tmp/oracle' && '$launcher' ctl guest-read 1 0x10000 17" \
		>"$tmp/out" 2>&1 || err "oracle program failed: $(cat "$tmp/out")"
	# "oracle wrote this" in hex
	grep -q '^6f7261636c652077726f74652074686973$' "$tmp/out" ||
		err "the guest does not see what the oracle wrote: $(cat "$tmp/out")"
elif [ $have_evtchn = yes ]; then
	echo "check-xensim-preload: Debian's Xen libraries not installed: oracle part skipped"
fi
exit $fail
