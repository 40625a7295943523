/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenevtchn, Linux layer: the /dev/xen/evtchn driver.
 *
 * The bind ioctls return the new local port as the ioctl's result. Ports
 * that fired are read() from the fd as 32-bit words (the driver masks each
 * one as it queues it) and re-enabled by write()ing them back. The driver
 * answers ioctls it does not know with ENOSYS, not ENOTTY; for the ioctls
 * that newer kernels added (RESTRICT_DOMID, BIND_STATIC) that means "not
 * supported" and is reported as EOPNOTSUPP. ENOTTY, which the driver never
 * gives, is what a 32-bit process on a 64-bit kernel gets for every ioctl
 * (xs-compat.h): it stays ENOTTY and is logged with that reason.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compat.h"
#include "xs-fd.h"
#include "xs-log.h"

const char xs_evtchn_device[] = XS_DEV_EVTCHN;

int xs_evtchn_os_open(xenevtchn_handle *xce, bool cloexec)
{
	int fd = cloexec ? xs_open_cloexec(XS_DEV_EVTCHN, O_RDWR)
			 : open(XS_DEV_EVTCHN, O_RDWR);

	if (fd < 0)
		xs_log_op_error(&xce->base, "open", XS_DEV_EVTCHN, errno);
	return fd;
}

/*
 * ioctl(), logging a failure as "<name> (<args>) on /dev/xen/evtchn: <errno>";
 * @fmt describes the arguments.
 */
static int evtchn_ioctl(xenevtchn_handle *xce, unsigned long cmd, void *arg,
			const char *name, const char *fmt, ...) XS_PRINTF(5, 6);

static int evtchn_ioctl(xenevtchn_handle *xce, unsigned long cmd, void *arg,
			const char *name, const char *fmt, ...)
{
	int ret = ioctl(xce->fd, cmd, arg);

	if (ret < 0) {
		int err = errno;
		int rdom = xs_evtchn_restricted_domid(xce);
		char args[80];
		va_list al;

		va_start(al, fmt);
		vsnprintf(args, sizeof(args), fmt, al);
		va_end(al);
		if (err == EACCES && rdom >= 0)
			xs_log(&xce->base, XTL_ERROR, err,
			       "%s (%s) on %s: the handle is restricted to domain %d", name,
			       args, XS_DEV_EVTCHN, rdom);
		else
			xs_log_core_ioctl(&xce->base, err, "%s (%s) on %s", name, args,
					  XS_DEV_EVTCHN);
		errno = err;
	}
	return ret;
}

int xs_evtchn_os_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
	struct ioctl_evtchn_bind_unbound_port bind = { .remote_domain = domid };

	return evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &bind,
			    "IOCTL_EVTCHN_BIND_UNBOUND_PORT", "remote domain %u", domid);
}

int xs_evtchn_os_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
				  evtchn_port_t remote_port)
{
	struct ioctl_evtchn_bind_interdomain bind = {
		.remote_domain = domid,
		.remote_port = remote_port,
	};

	return evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind,
			    "IOCTL_EVTCHN_BIND_INTERDOMAIN", "remote domain %u, port %u",
			    domid, remote_port);
}

int xs_evtchn_os_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	struct ioctl_evtchn_bind_virq bind = { .virq = virq };

	return evtchn_ioctl(xce, IOCTL_EVTCHN_BIND_VIRQ, &bind, "IOCTL_EVTCHN_BIND_VIRQ",
			    "virq %u", virq);
}

/* ENOSYS from the driver: the kernel predates the ioctl. */
static int evtchn_not_supported(xenevtchn_handle *xce, const char *name, const char *since)
{
	xs_log(&xce->base, XTL_ERROR, EOPNOTSUPP,
	       "%s on %s: the kernel does not implement it (ENOSYS; needs %s)", name,
	       XS_DEV_EVTCHN, since);
	errno = EOPNOTSUPP;
	return -1;
}

int xs_evtchn_os_bind_static(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_bind bind = { .port = port };
	int ret = ioctl(xce->fd, IOCTL_EVTCHN_BIND_STATIC, &bind);

	if (ret < 0 && errno == ENOSYS)
		return evtchn_not_supported(xce, "IOCTL_EVTCHN_BIND_STATIC", "Linux 6.5");
	if (ret < 0) {
		xs_log_optional_ioctl(&xce->base, XTL_ERROR, errno,
				      "IOCTL_EVTCHN_BIND_STATIC (port %u) on %s", port,
				      XS_DEV_EVTCHN);
		return -1;
	}
	return (int)port;
}

int xs_evtchn_os_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_unbind unbind = { .port = port };

	return evtchn_ioctl(xce, IOCTL_EVTCHN_UNBIND, &unbind, "IOCTL_EVTCHN_UNBIND",
			    "port %u", port) < 0 ? -1 : 0;
}

int xs_evtchn_os_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct ioctl_evtchn_notify notify = { .port = port };

	return evtchn_ioctl(xce, IOCTL_EVTCHN_NOTIFY, &notify, "IOCTL_EVTCHN_NOTIFY",
			    "port %u", port) < 0 ? -1 : 0;
}

int xs_evtchn_os_restrict(xenevtchn_handle *xce, domid_t domid)
{
	struct ioctl_evtchn_restrict_domid restrict_domid = { .domid = domid };
	int err;

	if (ioctl(xce->fd, IOCTL_EVTCHN_RESTRICT_DOMID, &restrict_domid) == 0)
		return 0;
	err = errno;
	switch (err) {
	case ENOSYS:
		return evtchn_not_supported(xce, "IOCTL_EVTCHN_RESTRICT_DOMID", "Linux 4.12");
	case EACCES:
		xs_log(&xce->base, XTL_ERROR, err,
		       "IOCTL_EVTCHN_RESTRICT_DOMID (domain %u) on %s: the handle is already "
		       "restricted, and restriction works only once",
		       domid, XS_DEV_EVTCHN);
		break;
	case EINVAL:
		xs_log(&xce->base, XTL_ERROR, err,
		       "IOCTL_EVTCHN_RESTRICT_DOMID (domain %u) on %s: the kernel refuses "
		       "this domain (0 and reserved domains cannot be restricted to)",
		       domid, XS_DEV_EVTCHN);
		break;
	default:
		xs_log_optional_ioctl(&xce->base, XTL_ERROR, err,
				      "IOCTL_EVTCHN_RESTRICT_DOMID (domain %u) on %s",
				      domid, XS_DEV_EVTCHN);
		break;
	}
	errno = err;
	return -1;
}

int xs_evtchn_os_pending(xenevtchn_handle *xce)
{
	uint32_t port;
	ssize_t n = read(xce->fd, &port, sizeof(port));

	if (n == (ssize_t)sizeof(port)) {
		if (port > XS_EVTCHN_PORT_MAX) {
			xs_log(&xce->base, XTL_ERROR, EIO, "read on %s: port %u is out of range",
			       XS_DEV_EVTCHN, port);
			errno = EIO;
			return -1;
		}
		return (int)port;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			if (errno == EFBIG)
				xs_log(&xce->base, XTL_ERROR, errno,
				       "read on %s: the ring of pending ports overflowed, "
				       "events were lost",
				       XS_DEV_EVTCHN);
			else
				xs_log_op_error(&xce->base, "read", XS_DEV_EVTCHN, errno);
		}
		return -1;
	}
	xs_log(&xce->base, XTL_ERROR, EIO, "read on %s: %s", XS_DEV_EVTCHN,
	       n == 0 ? "end of file" : "partial port");
	errno = EIO;
	return -1;
}

int xs_evtchn_os_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	uint32_t word = port;
	ssize_t n = write(xce->fd, &word, sizeof(word));

	if (n == (ssize_t)sizeof(word))
		return 0;
	if (n >= 0)
		errno = EIO;
	xs_log(&xce->base, XTL_ERROR, errno, "write (unmask port %u) on %s", port,
	       XS_DEV_EVTCHN);
	return -1;
}
