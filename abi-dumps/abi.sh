#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# abi.sh store|check: write abi-dumps/<lib>.abi for every built library, or
# compare every built library with its stored dump. Called by
# `make abi-store` / `make abi-check` (see abi-dumps/Makefile.inc).
#
# abidiff's exit status is a bit field: 1 tool error, 2 usage error,
# 4 the ABI changed, 8 the change is incompatible (libabigail sets it for
# removed symbols). Added symbols (a new version node) are not reported
# (--no-added-syms), and harmless changes are filtered by abidiff itself,
# so any bit left means a change an old binary could notice: a changed
# prototype, a changed public type, a removed symbol or version. All fail.
#
# Environment: top_srcdir, top_builddir, XS_LIBNAMES, ABIDW, ABIDIFF, XS_ABI_HEADERS,
#              ABIDW_FLAGS.
set -u
mode=${1:?usage: abi.sh store|check}
: "${top_srcdir:=.}" "${top_builddir:=.}" "${ABIDW:=abidw}" "${ABIDIFF:=abidiff}"
dumps=$top_srcdir/abi-dumps
if ! command -v "$ABIDW" >/dev/null 2>&1; then
	echo "abi: $ABIDW not found (apt-get install abigail-tools)" >&2
	exit 1
fi
fail=0
for lib in ${XS_LIBNAMES:?}; do
	so=$(ls "$top_builddir/libs/$lib/.libs/libxen$lib.so".*.*.* 2>/dev/null | head -n 1)
	if [ -z "$so" ]; then
		echo "abi: libxen$lib is not built" >&2
		fail=1
		continue
	fi
	dump=$dumps/libxen$lib.abi
	case $mode in
	store)
		# shellcheck disable=SC2086
		"$ABIDW" $ABIDW_FLAGS --out-file "$dump" "$so" || { fail=1; continue; }
		echo "abi: stored $(basename "$dump") ($(grep -c '<elf-symbol ' "$dump") symbols)"
		;;
	check)
		if [ ! -f "$dump" ]; then
			echo "FAIL: abi: no stored dump for libxen$lib (run make abi-store)"
			fail=1
			continue
		fi
		"$ABIDIFF" --no-added-syms --headers-dir2 "${XS_ABI_HEADERS:-$top_srcdir/include}" \
			"$dump" "$so" >"$top_builddir/abi-$lib.diff" 2>&1
		rc=$?
		if [ $((rc & 3)) -ne 0 ]; then
			echo "FAIL: abi: libxen$lib: abidiff could not compare (exit $rc):"
			cat "$top_builddir/abi-$lib.diff"
			fail=1
		elif [ $rc -ne 0 ]; then
			what="ABI change"
			[ $((rc & 8)) -ne 0 ] && what="incompatible ABI change (symbols removed)"
			echo "FAIL: abi: libxen$lib: $what (abidiff exit $rc):"
			cat "$top_builddir/abi-$lib.diff"
			fail=1
		else
			echo "ok: abi: libxen$lib: identical to the stored dump"
		fi
		;;
	*)
		echo "usage: abi.sh store|check" >&2
		exit 2
		;;
	esac
done
exit "$fail"
