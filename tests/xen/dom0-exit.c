/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * dom0-exit CODE: end the QEMU run from a Xen PV dom0 by writing CODE to
 * QEMU's isa-debug-exit device (port 0xf4, as tests/xen/run configures it).
 * QEMU then exits with status (CODE << 1) | 1. Returns 1 if still alive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned long code = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;

	if (ioperm(0xf4, 4, 1) != 0) {
		perror("dom0-exit: ioperm(0xf4)");
		return 1;
	}
	outl((unsigned int)code, 0xf4);
	fprintf(stderr, "dom0-exit: still running after writing %#lx to port 0xf4\n", code);
	return 1;
}
