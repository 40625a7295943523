/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/utsname.h>

#include "xs-compat.h"
#include "xs-log.h"

/* x86_64, aarch64, aarch64_be, ppc64le, riscv64, ...: 64-bit kernels. */
static bool machine_is_64bit(const char *machine)
{
	return strstr(machine, "64") || !strcmp(machine, "s390x");
}

enum xs_abi xs_abi_classify(unsigned int long_bits, const char *machine, bool linux32)
{
	if (long_bits >= 64)
		return XS_ABI_NATIVE;
	if (machine_is_64bit(machine))
		return XS_ABI_COMPAT;
	/*
	 * PER_LINUX32 makes a 64-bit kernel's uname() report its 32-bit
	 * machine (i686, armv8l); a 32-bit kernel reports the same. We cannot
	 * tell them apart from here, and say so.
	 */
	return linux32 ? XS_ABI_COMPAT_MAYBE : XS_ABI_NATIVE;
}

void xs_abi_reason(enum xs_abi abi, const char *machine, char *buf, size_t len)
{
	switch (abi) {
	case XS_ABI_COMPAT:
		snprintf(buf, len,
			 "this is a 32-bit process on a 64-bit (%s) kernel, whose Xen "
			 "drivers have no 32-bit ioctls: use a 64-bit build",
			 machine);
		break;
	case XS_ABI_COMPAT_MAYBE:
		snprintf(buf, len,
			 "this is a 32-bit process under a 32-bit personality "
			 "(setarch, linux32), probably on a 64-bit kernel, whose Xen "
			 "drivers have no 32-bit ioctls: use a 64-bit build");
		break;
	case XS_ABI_NATIVE:
	default:
		snprintf(buf, len,
			 "the driver rejected an ioctl every version of it has "
			 "(is the fd still the Xen driver?)");
		break;
	}
}

static pthread_once_t abi_once = PTHREAD_ONCE_INIT;
static enum xs_abi abi_self;
static char abi_machine[65];
static char abi_text[256];

static void abi_init(void)
{
	struct utsname u;
	int pers = personality(0xffffffff);

	if (uname(&u) == 0)
		snprintf(abi_machine, sizeof(abi_machine), "%s", u.machine);
	else
		snprintf(abi_machine, sizeof(abi_machine), "unknown");
	abi_self = xs_abi_classify((unsigned int)(8 * sizeof(long)), abi_machine,
				   pers != -1 && (pers & PER_MASK) == PER_LINUX32);
	xs_abi_reason(abi_self, abi_machine, abi_text, sizeof(abi_text));
}

enum xs_abi xs_abi_get(void)
{
	int saved_errno = errno;

	pthread_once(&abi_once, abi_init);
	errno = saved_errno;
	return abi_self;
}

bool xs_enotty_is_compat(int err)
{
	return err == ENOTTY && xs_abi_get() != XS_ABI_NATIVE;
}

static void log_ioctl(const struct xs_handle *h, xentoollog_level level, int errnoval,
		      bool why, const char *fmt, va_list al) XS_PRINTF(5, 0);

static void log_ioctl(const struct xs_handle *h, xentoollog_level level, int errnoval,
		      bool why, const char *fmt, va_list al)
{
	char msg[256];

	if (!h || !h->logger)
		return;
	vsnprintf(msg, sizeof(msg), fmt, al);
	if (why) {
		xs_abi_get();
		xs_log(h, XTL_ERROR, errnoval, "%s: %s", msg, abi_text);
	} else {
		xs_log(h, level, errnoval, "%s", msg);
	}
}

void xs_log_core_ioctl(const struct xs_handle *h, int errnoval, const char *fmt, ...)
{
	va_list al;

	va_start(al, fmt);
	log_ioctl(h, XTL_ERROR, errnoval, errnoval == ENOTTY, fmt, al);
	va_end(al);
}

void xs_log_optional_ioctl(const struct xs_handle *h, xentoollog_level level,
			   int errnoval, const char *fmt, ...)
{
	va_list al;

	va_start(al, fmt);
	log_ioctl(h, level, errnoval, xs_enotty_is_compat(errnoval), fmt, al);
	va_end(al);
}

void xs_warn_compat(const struct xs_handle *h)
{
	if (xs_abi_get() != XS_ABI_COMPAT)
		return;
	xs_log(h, XTL_WARN, -1,
	       "32-bit process on a 64-bit (%s) kernel: the Linux Xen drivers have no "
	       "32-bit ioctls, every Xen ioctl will fail with ENOTTY; use a 64-bit build",
	       abi_machine);
}
