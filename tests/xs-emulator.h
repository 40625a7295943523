/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Under qemu-user (scripts/cross-check sets XS_TEST_EMULATOR) a few kernel
 * facilities some checks rely on are not emulated: such a check is skipped
 * there, saying why (scripts/README-cross.md lists them). Natively every
 * check runs.
 */
#ifndef XS_EMULATOR_H
#define XS_EMULATOR_H

#include <stdio.h>
#include <stdlib.h>

__attribute__((unused)) static int skip_under_emulator(const char *check, const char *why)
{
	const char *emu = getenv("XS_TEST_EMULATOR");

	if (!emu || !*emu)
		return 0;
	fprintf(stderr, "%s: skipped under %s: %s\n", check, emu, why);
	return 1;
}

#define EMU_NO_PROCESS_VM "qemu-user has no process_vm_readv/writev (ENOSYS), so a bad " \
	"pointer cannot be told from a good one and faults instead of giving EFAULT"
#define EMU_IOCTL_ENOSYS "qemu-user answers an ioctl number it does not know with ENOSYS, " \
	"where the kernel says ENOTTY"
#define EMU_NO_DONTFORK "qemu-user ignores madvise(MADV_DONTFORK): the child inherits the mapping"
#define EMU_NO_EXEC "without binfmt_misc an emulated process cannot execve an arm64 binary"

#endif /* XS_EMULATOR_H */
