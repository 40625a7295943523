#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# The xensim launcher: exit status, environment, clean-up, errors,
# `xensim ctl` and `xensim --daemon`.
set -u
b=${top_builddir:-.}/xensim/xensim
if [ ! -x "$b" ]; then
	echo "check-xensim-launcher: $b is not built" >&2
	exit 99
fi
fail=0
t=$(mktemp -d "${TMPDIR:-/tmp}/xensim-launcher-test.XXXXXX") || exit 99
trap 'rm -rf "$t"' EXIT

check() { # description, expected, actual
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: expected '$2', got '$3'" >&2
		fail=1
	else
		echo "ok: $1"
	fi
}

"$b" --no-preload -- true; check "exit 0" 0 $?
"$b" --no-preload -- sh -c 'exit 3'; check "exit status passed on" 3 $?
"$b" --no-preload -- sh -c 'kill -TERM $$'; check "signal as 128+N" 143 $?
"$b" --no-preload -- "$t/nonexistent" 2>/dev/null; check "missing program" 127 $?
"$b" --no-preload sh -c 'exit 4'; check "program without --" 4 $?

"$b" --version | grep -q "^xensim "; check "--version" 0 $?
"$b" --help | grep -q "^usage: xensim"; check "--help" 0 $?

# environment: the socket exists while the program runs, and is gone after
"$b" --no-preload -- sh -c 'test -S "$XENSIM_SOCKET" && echo "$XENSIM_SOCKET" > "$1" &&
	echo "${LD_PRELOAD:-none}" > "$1.preload"' sh "$t/sock"
check "socket present during the run" 0 $?
sock=$(cat "$t/sock")
test -e "$sock"; check "socket removed afterwards" 1 $?
test -e "$(dirname "$sock")"; check "private directory removed afterwards" 1 $?
check "--no-preload: no LD_PRELOAD" none "$(cat "$t/sock.preload")"

if [ -e "${top_builddir:-.}/xensim/.libs/libxensim.so" ]; then
	# in a sanitizer build the shim is instrumented and comes before libasan
	ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0
	export ASAN_OPTIONS
	XENSIM_QUIET=1 "$b" -- sh -c 'echo "$LD_PRELOAD" > "$1"' sh "$t/preload"
	case $(cat "$t/preload") in
	*/libxensim.so*) check "LD_PRELOAD of libxensim.so" yes yes ;;
	*) check "LD_PRELOAD of libxensim.so" "*/libxensim.so" "$(cat "$t/preload")" ;;
	esac
	XENSIM_LIBDIR=$t "$b" -- true 2>/dev/null
	check "XENSIM_LIBDIR without the library falls back" 0 $?
fi

# scenario and personality errors
printf 'domain 1 type=hvm\ndomain 2 type=weird\n' > "$t/bad.scn"
"$b" --no-preload --scenario "$t/bad.scn" -- true 2> "$t/err"
check "bad scenario" 2 $?
grep -q "line 2" "$t/err"; check "bad scenario message names the line" 0 $?
"$b" --no-preload --scenario "$t/missing.scn" -- true 2>/dev/null
check "missing scenario" 2 $?
"$b" --no-preload --personality linux-0.1 -- true 2>/dev/null
check "bad personality" 2 $?
"$b" --bogus -- true 2>/dev/null; check "unknown option" 2 $?

# a scenario and ctl inside the launcher
printf 'xen 4.16 .3\nkernel linux-6.1\ndomain 5 type=pvh memory=4M\n' > "$t/good.scn"
out=$("$b" --no-preload --scenario "$t/good.scn" -- "$b" ctl show machine)
check "scenario file applied" "xen 4.16.3
kernel linux-6.1" "$out"
out=$("$b" --no-preload --personality linux-4.4 -- "$b" ctl show machine)
check "--personality" "xen 4.17.0-xensim
kernel linux-4.4" "$out"
out=$("$b" --no-preload -- sh -c '"$1" ctl guest-write 1 0x100 c0ffee && "$1" ctl guest-read 1 0x100 3' sh "$b")
check "ctl guest-write/read" c0ffee "$out"
"$b" --no-preload -- "$b" ctl no-such-command 2>/dev/null
check "ctl error status" 1 $?
"$b" --no-preload --log "$t/log" -- "$b" ctl reset 'xen 4.20' >/dev/null
grep -q "machine reset: Xen 4.20" "$t/log"; check "--log file" 0 $?

# daemon mode
"$b" --daemon --socket "$t/d.sock" --personality linux-6.6 &
pid=$!
i=0
while [ ! -S "$t/d.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
out=$("$b" ctl --socket "$t/d.sock" show machine)
check "daemon mode + ctl --socket" "xen 4.17.0-xensim
kernel linux-6.6" "$out"
"$b" --daemon --socket "$t/d.sock" 2>/dev/null
check "second daemon on a live socket" 2 $?
kill -TERM $pid
wait $pid; check "daemon exits on SIGTERM" 0 $?
test -e "$t/d.sock"; check "daemon removes its socket" 1 $?
"$b" ctl --socket "$t/d.sock" help >/dev/null 2>&1; check "ctl without a daemon" 2 $?
exit $fail
