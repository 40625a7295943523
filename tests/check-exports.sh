#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# For every built library: the dynamic symbols it exports, the names in its
# version script and the definitions marked XENSTABLE_EXPORT in its sources
# must be the same set, each symbol in the same node; the node chain in the
# binary must match the script; the newest upstream node must be
# VERS_<version from configure>; every upstream symbol (tests/upstream-symbols.txt)
# must be exported in its upstream node; nothing without the library's
# prefix may leak.
#
# Environment: top_srcdir, top_builddir, READELF, XS_LIBNAMES,
#              XS_LIBRARY_VERSIONS ("toollog=1.0 toolcore=1.0 ...").
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${READELF:=readelf}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

err() { echo "FAIL: $*"; fail=1; }

prefix_of() {
	case $1 in
	toollog) echo 'xtl_' ;;
	toolcore) echo 'xentoolcore_' ;;
	call) echo 'xencall' ;;
	gnttab) echo 'xengnttab_|xengntshr_' ;;
	*) echo "xen$1_" ;;
	esac
}

for lib in ${XS_LIBNAMES:?}; do
	name=libxen$lib
	map=$top_srcdir/libs/$lib/$name.map
	so=$top_builddir/libs/$lib/.libs/$name.so
	[ -f "$map" ] || { err "$name: no version script $map"; continue; }
	[ -f "$so" ] || { err "$name: not built ($so)"; continue; }

	# 1. version script: "symbol node" lines, and "node parent" lines.
	awk '
		/^[ \t]*#/ { next }
		/^[A-Za-z_][A-Za-z0-9_.]*[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); next }
		/^\}/ { p = $0; gsub(/[}; \t]/, "", p); print node, (p == "" ? "-" : p) > "/dev/stderr"; node = ""; next }
		node != "" && /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;/ { s = $1; sub(/;.*/, "", s); print s, node }
	' "$map" 2>"$tmp/$lib.map-chain" | sort >"$tmp/$lib.map"

	# 2. the binary: defined, versioned dynamic symbols.
	"$READELF" --dyn-syms --wide "$so" | awk '
		$7 != "UND" && $7 != "ABS" && $8 ~ /@/ {
			n = $8; sub(/@.*/, "", n); v = $8; sub(/^[^@]*@@?/, "", v); print n, v
		}' | sort >"$tmp/$lib.so"
	"$READELF" --dyn-syms --wide "$so" | awk '$7 != "UND" && $7 != "ABS" && $8 !~ /@/ && NR > 3 && $8 != "" { print $8 }' >"$tmp/$lib.unversioned"
	if [ -s "$tmp/$lib.unversioned" ]; then
		err "$name: exports unversioned symbols: $(tr '\n' ' ' <"$tmp/$lib.unversioned")"
	fi

	# 3. the sources: definitions marked XENSTABLE_EXPORT.
	cat "$top_srcdir"/libs/"$lib"/*.c | tr '\n' ' ' |
		grep -o 'XENSTABLE_EXPORT[^;{(]*(' |
		sed 's/[ \t]*($//; s/.*[^A-Za-z0-9_]//' | sort -u >"$tmp/$lib.src"

	cut -d' ' -f1 "$tmp/$lib.map" | sort -u >"$tmp/$lib.map-names"
	cut -d' ' -f1 "$tmp/$lib.so" | sort -u >"$tmp/$lib.so-names"
	if ! diff -u "$tmp/$lib.map" "$tmp/$lib.so" >"$tmp/d1"; then
		err "$name: exported symbols/nodes differ from $name.map:"; cat "$tmp/d1"
	fi
	if ! diff -u "$tmp/$lib.map-names" "$tmp/$lib.src" >"$tmp/d2"; then
		err "$name: XENSTABLE_EXPORT definitions differ from $name.map:"; cat "$tmp/d2"
	fi

	# 4. node chain: each node inherits the previous one, in the binary too.
	awk 'NR == 1 { if ($2 != "-") print "first node " $1 " inherits " $2; prev = $1; next }
	     { if ($2 != prev) print "node " $1 " inherits " $2 ", expected " prev; prev = $1 }' \
		"$tmp/$lib.map-chain" >"$tmp/d3"
	if [ -s "$tmp/d3" ]; then err "$name: bad node chain in $name.map:"; cat "$tmp/d3"; fi
	"$READELF" -V --wide "$so" | awk '
		/Version definition section/ { d = 1; next }
		/Version needs section/ { d = 0 }
		d && /Name:/ { for (i = 1; i <= NF; i++) if ($i == "Name:") { cur = $(i + 1) }
			if ($0 ~ /Flags: BASE/) { cur = "" } else { print cur, "-" > "/dev/stderr" } next }
		d && /Parent 1:/ { print cur, $NF }
	' 2>"$tmp/$lib.so-roots" | sort >"$tmp/$lib.so-chain"
	grep -v ' -$' "$tmp/$lib.map-chain" | sort >"$tmp/$lib.map-chain-p"
	if ! diff -u "$tmp/$lib.map-chain-p" "$tmp/$lib.so-chain" >"$tmp/d4"; then
		err "$name: node inheritance in the binary differs from $name.map:"; cat "$tmp/d4"
	fi

	# 5. the newest upstream node matches the version configure gives.
	want=""
	for lv in ${XS_LIBRARY_VERSIONS:-}; do
		case $lv in "$lib="*) want=VERS_${lv#*=} ;; esac
	done
	newest=$(grep '^VERS_' "$tmp/$lib.map-chain" | tail -n 1 | cut -d' ' -f1)
	if [ -z "$want" ]; then
		err "$name: no version for $lib in XS_LIBRARY_VERSIONS"
	elif [ "$newest" != "$want" ]; then
		err "$name: newest upstream node is $newest but configure says $want"
	fi

	# 6. every upstream symbol is there, in its upstream node.
	awk -v n="$name" '$1 == n { print $2, $3 }' "$top_srcdir/tests/upstream-symbols.txt" |
		sort >"$tmp/$lib.upstream"
	if ! comm -23 "$tmp/$lib.upstream" "$tmp/$lib.so" >"$tmp/d5" || [ -s "$tmp/d5" ]; then
		err "$name: upstream symbols missing or in the wrong node:"; cat "$tmp/d5"
	fi
	extra=$(comm -13 "$tmp/$lib.upstream" "$tmp/$lib.so" | grep -v ' XENSTABLE_' || true)
	if [ -n "$extra" ]; then
		err "$name: symbols beyond upstream's outside a XENSTABLE_ node: $extra"
	fi

	# 7. nothing without the library's prefix.
	leaks=$(grep -Ev "^($(prefix_of "$lib"))" "$tmp/$lib.so-names" || true)
	if [ -n "$leaks" ]; then err "$name: symbols without the library prefix: $leaks"; fi

	n=$(wc -l <"$tmp/$lib.so")
	[ "$fail" = 0 ] && echo "ok: $name: $n symbols, map == exports == sources, nodes $(cut -d' ' -f1 "$tmp/$lib.map-chain" | tr '\n' ' ')"
done
exit "$fail"
