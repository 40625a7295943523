#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# Drop-in resolution: with our .so.1 files first on the search path and
# LD_BIND_NOW=1, Debian's own Xen binaries (xl, xenstored, libxenctrl,
# libxenguest, libxenlight and qemu-xen's xen-qemu-system-i386) resolve
# every symbol and every version requirement against our libraries
# (`ldd -r` clean, and every libxen*.so.1 of ours is the one picked), and
# xen-qemu-system-i386 --version runs on them. Libraries we do not build yet
# are reported; the binaries then use the distribution's for those.
# Skips (77) if none of the Debian binaries is installed
# (apt-get install xen-utils-4.17 qemu-system-xen).
#
# Environment: top_builddir, XS_LIBNAMES, CC, CFLAGS_SAN.
set -u
: "${top_builddir:=.}" "${CC:=cc}"
multiarch=$($CC -print-multiarch 2>/dev/null)
if [ -n "${CFLAGS_SAN:-}" ]; then
	echo "SKIP: sanitizer build: our libraries need the sanitizer runtime in the process" >&2
	exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
err() { echo "FAIL: $*"; fail=1; }

ours=""
for lib in ${XS_LIBNAMES:?}; do
	real=$(ls "$top_builddir/libs/$lib/.libs/libxen$lib.so".*.*.* 2>/dev/null | head -n 1)
	[ -n "$real" ] || continue
	real=$(cd "$(dirname "$real")" && pwd)/$(basename "$real")
	ln -s "$real" "$tmp/libxen$lib.so.1"
	ours="$ours libxen$lib.so.1"
done
for lib in toollog toolcore call foreignmemory evtchn gnttab devicemodel; do
	[ -e "$tmp/libxen$lib.so.1" ] ||
		echo "note: libxen$lib.so.1 is not built yet; the distribution's is used for it"
done

found=0
for bin in /usr/lib/xen-4.17/bin/xl /usr/lib/xen-4.17/bin/xenstored \
	/usr/lib/"$multiarch"/libxenctrl.so.4.17 /usr/lib/"$multiarch"/libxenguest.so.4.17 \
	/usr/lib/"$multiarch"/libxenlight.so.4.17 /usr/libexec/xen-qemu-system-i386; do
	[ -e "$bin" ] || { echo "skip: $bin not installed"; continue; }
	found=$((found + 1))
	LD_LIBRARY_PATH=$tmp LD_BIND_NOW=1 ldd -r "$bin" >"$tmp/ldd.log" 2>&1
	if grep -Ei 'undefined symbol|not found|version .* not found' "$tmp/ldd.log" >"$tmp/bad"; then
		err "$bin does not resolve against our libraries:"; sed 's/^/  /' "$tmp/bad"
		continue
	fi
	used=0
	for so in $ours; do
		if grep -q "^[[:space:]]*$so => " "$tmp/ldd.log"; then
			if grep -q "^[[:space:]]*$so => $tmp/" "$tmp/ldd.log"; then
				used=$((used + 1))
			else
				err "$bin: $so resolves to $(grep "^[[:space:]]*$so => " "$tmp/ldd.log" | awk '{print $3}'), not ours"
			fi
		fi
	done
	echo "ok: $(basename "$bin"): every symbol and version resolves; $used of our libraries in use"
done
[ "$found" = 0 ] && { echo "SKIP: no Debian Xen binaries installed" >&2; exit 77; }

qemu=/usr/libexec/xen-qemu-system-i386
if [ -x "$qemu" ]; then
	if LD_LIBRARY_PATH=$tmp LD_BIND_NOW=1 "$qemu" --version >"$tmp/qemu.log" 2>&1 &&
		grep -q 'QEMU emulator version' "$tmp/qemu.log"; then
		echo "ok: $(head -n 1 "$tmp/qemu.log") runs on our libraries"
	else
		err "xen-qemu-system-i386 --version failed on our libraries:"; cat "$tmp/qemu.log"
	fi
fi
exit "$fail"
