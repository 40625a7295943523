#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
#
# LOG_COMPILER of every Check runner. Runners listed in XS_SIM_TESTS (set by
# tests/Makefile.inc from the fragments) need a simulated Xen machine: they
# run inside `xensim --no-preload -- RUNNER`, which starts a private xensim
# daemon for them (the runners link libxensim.so themselves, so nothing is
# preloaded and ASan stays first in the library list). The others run
# directly. XS_TEST_WRAPPER (e.g. a valgrind command line) goes between the
# launcher and the runner. XS_TEST_EMULATOR (e.g. qemu-aarch64-static, for a
# cross build; scripts/cross-check sets it) goes before every program this
# script starts, the launcher and the runner alike, since without binfmt_misc
# the kernel cannot start a foreign binary by itself.
set -u
test=$1
name=${test#./}
sim=no
for t in ${XS_SIM_TESTS:-}; do
	[ "$t" = "$name" ] && sim=yes
done
if [ "$sim" = no ]; then
	exec ${XS_TEST_WRAPPER:-} ${XS_TEST_EMULATOR:-} "$@"
fi
launcher=${top_builddir:-.}/xensim/xensim
if [ ! -x "$launcher" ]; then
	echo "run-test: $name needs the xensim launcher, but $launcher is not built" >&2
	exit 99
fi
exec ${XS_TEST_EMULATOR:-} "$launcher" --no-preload -- \
	${XS_TEST_WRAPPER:-} ${XS_TEST_EMULATOR:-} "$@"
