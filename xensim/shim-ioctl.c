/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * ioctl(), syscall(SYS_ioctl), read() and write() on simulated device fds:
 * dispatch per device. Everything else goes to libc untouched.
 */
#include "config.h"

/* We define both the plain and the *64 entry points of libc ourselves:
 * no large-file renaming of the declarations in this file. */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "xen-kernel.h"
#include "xs-compiler.h"

long shim_unknown_ioctl(struct shim_conn *c, int fd, unsigned long cmd, int quiet)
{
	struct xsp_unknown_ioctl u = {.device = (uint32_t)c->device, .cmd = cmd};
	struct xsw_msg reply;
	int64_t ret;

	if (!quiet)
		shim_diag("ioctl 0x%lx on %s is not simulated", cmd,
			  shim_dev_name(c->device));
	ret = shim_call_buf(c, fd, XSP_UNKNOWN_IOCTL, &u, sizeof(u), &reply);
	xsw_msg_free(&reply);
	if (ret >= 0 || ret == -ENODEV) {
		/* The daemon must refuse it; if it is gone, answer for it. */
		ret = c->device == XSP_DEV_EVTCHN && !c->compat32 ? -ENOSYS : -ENOTTY;
	}
	return (long)ret;
}

long shim_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg)
{
	/* The VFS handles these itself, before any driver sees them. */
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
	case FIONBIO:
	case FIOASYNC:
		return shim_real()->ioctl(fd, cmd, arg) < 0 ? -errno : 0;
	default:
		break;
	}
	/* +compat32: no Xen driver has a compat_ioctl; the daemon says ENOTTY. */
	if (c->compat32)
		return shim_unknown_ioctl(c, fd, cmd, 1);
	switch (c->device) {
	case XSP_DEV_PRIVCMD:
	case XSP_DEV_PRIVCMD_PROC:
		return shim_privcmd_ioctl(c, fd, cmd, arg);
	case XSP_DEV_EVTCHN:
		return shim_evtchn_ioctl(c, fd, cmd, arg);
	case XSP_DEV_GNTDEV:
		return shim_gntdev_ioctl(c, fd, cmd, arg);
	case XSP_DEV_GNTALLOC:
		return shim_gntalloc_ioctl(c, fd, cmd, arg);
	case XSP_DEV_HYPERCALL: /* no ioctls at all */
	default:
		return shim_unknown_ioctl(c, fd, cmd, 0);
	}
}

XENSTABLE_EXPORT int ioctl(int fd, unsigned long cmd, ...)
{
	struct shim_conn *c;
	va_list ap;
	void *arg;
	long ret;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	c = shim_conn_get(fd);
	if (!c) {
		if (shim_real()->ioctl)
			return shim_real()->ioctl(fd, cmd, arg);
		return (int)syscall(SYS_ioctl, fd, cmd, arg);
	}
	ret = shim_ioctl(c, fd, cmd, arg);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (int)ret;
}

XENSTABLE_EXPORT long syscall(long number, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, number);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	if (number == SYS_ioctl) {
		struct shim_conn *c = shim_conn_get((int)a[0]);

		if (c) {
			long ret = shim_ioctl(c, (int)a[0], (unsigned long)a[1],
					      (void *)(uintptr_t)a[2]);

			if (ret < 0) {
				errno = (int)-ret;
				return -1;
			}
			return ret;
		}
	}
	return shim_real()->syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

XENSTABLE_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	struct shim_conn *c = shim_conn_get(fd);

	if (!c)
		return shim_real()->read(fd, buf, n);
	return shim_dev_read(c, fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
void __chk_fail(void) __attribute__((noreturn));
XENSTABLE_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	struct shim_conn *c = shim_conn_get(fd);

	if (!c)
		return shim_real()->read_chk(fd, buf, n, buflen);
	if (n > buflen)
		__chk_fail(); /* what libc's __read_chk does */
	return shim_dev_read(c, fd, buf, n);
}

XENSTABLE_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	struct shim_conn *c = shim_conn_get(fd);

	if (!c)
		return shim_real()->write(fd, buf, n);
	return shim_dev_write(c, fd, buf, n);
}
