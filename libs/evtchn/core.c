/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenevtchn: handle life cycle, argument checks and restriction. The
 * device itself is driven by the OS layer (linux.c).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"
#include "xs-compiler.h"
#include "xs-fd.h"
#include "xs-log.h"

static void evtchn_set_restricted(xenevtchn_handle *xce, domid_t domid)
{
	__atomic_store_n(&xce->restricted_domid, (int)domid, __ATOMIC_RELEASE);
}

static bool evtchn_neutered(const xenevtchn_handle *xce)
{
	return __atomic_load_n(&xce->neutered, __ATOMIC_ACQUIRE);
}

/*
 * xentoolcore_restrict_all() callback. The kernel restricts an fd only
 * once; asking again for the domain this library already restricted the
 * handle to is a success. Any failure (another domain, domain 0, a kernel
 * without the ioctl) neuters the handle, so that nothing unrestricted
 * survives, and is reported.
 */
static int evtchn_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xenevtchn_handle *xce = xs_handle_from_tc(ah, xenevtchn_handle, base);
	int err;

	if (xce->fd < 0 || evtchn_neutered(xce))
		return 0;
	if (xs_evtchn_restricted_domid(xce) == (int)domid)
		return 0;
	if (domid != 0 && domid < DOMID_FIRST_RESERVED && xs_evtchn_os_restrict(xce, domid) == 0) {
		evtchn_set_restricted(xce, domid);
		return 0;
	}
	err = errno;
	if (domid == 0 || domid >= DOMID_FIRST_RESERVED)
		err = EINVAL;
	xs_log(&xce->base, XTL_ERROR, err,
	       "xentoolcore_restrict_all: cannot restrict %s to domain %u; "
	       "neutering the handle",
	       xs_evtchn_device, domid);
	if (xs_neuter_fd(&xce->base, xce->fd, xs_evtchn_device) == 0)
		__atomic_store_n(&xce->neutered, true, __ATOMIC_RELEASE);
	errno = err;
	return -1;
}

static xenevtchn_handle *evtchn_alloc(struct xentoollog_logger *logger)
{
	xenevtchn_handle *xce = calloc(1, sizeof(*xce));

	if (!xce)
		return NULL;
	xce->fd = -1;
	xce->restricted_domid = -1;
	if (xs_handle_open(&xce->base, "xenevtchn", logger, evtchn_restrict_cb) < 0) {
		free(xce);
		errno = ENOMEM;
		return NULL;
	}
	return xce;
}

/* Free a handle whose fd (if any) belongs to someone else; keeps errno. */
static void evtchn_free(xenevtchn_handle *xce)
{
	int saved_errno = errno;

	xs_handle_close(&xce->base);
	free(xce);
	errno = saved_errno;
}

XENSTABLE_EXPORT xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
						  unsigned int open_flags)
{
	xenevtchn_handle *xce = evtchn_alloc(logger);
	int fd;

	if (!xce)
		return NULL;
	if (open_flags & ~(unsigned int)XENEVTCHN_NO_CLOEXEC) {
		xs_log(&xce->base, XTL_ERROR, EINVAL, "xenevtchn_open: unknown flags %#x",
		       open_flags & ~(unsigned int)XENEVTCHN_NO_CLOEXEC);
		errno = EINVAL;
		evtchn_free(xce);
		return NULL;
	}
	/* Registered with libxentoolcore (by evtchn_alloc) before the open. */
	fd = xs_evtchn_os_open(xce, !(open_flags & XENEVTCHN_NO_CLOEXEC));
	if (fd < 0) {
		evtchn_free(xce);
		return NULL;
	}
	xce->fd = fd;
	return xce;
}

XENSTABLE_EXPORT xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
						    unsigned int open_flags)
{
	xenevtchn_handle *xce = evtchn_alloc(logger);

	if (!xce)
		return NULL;
	if (open_flags) {
		xs_log(&xce->base, XTL_ERROR, EINVAL,
		       "xenevtchn_fdopen: flags must be 0 (got %#x)", open_flags);
		errno = EINVAL;
		goto fail;
	}
	if (fd < 0) {
		xs_log(&xce->base, XTL_ERROR, EINVAL, "xenevtchn_fdopen: invalid fd %d", fd);
		errno = EINVAL;
		goto fail;
	}
	if (fcntl(fd, F_GETFD) < 0) {
		xs_log(&xce->base, XTL_ERROR, errno, "xenevtchn_fdopen: fd %d", fd);
		goto fail;
	}
	xce->fd = fd;
	return xce;

fail:
	evtchn_free(xce);
	return NULL;
}

XENSTABLE_EXPORT int xenevtchn_close(xenevtchn_handle *xce)
{
	int rc = 0;

	if (!xce)
		return 0;
	/* Deregister first, so restrict_all never sees a closed fd. */
	xs_handle_unregister(&xce->base);
	if (xce->fd >= 0)
		rc = close(xce->fd);
	evtchn_free(xce);
	return rc;
}

/*
 * 0 if @xce can be used; -1 with errno otherwise: EINVAL for NULL (there
 * is no logger to tell), EPERM (logged) once a failed restriction has
 * neutered the handle.
 */
static int evtchn_check(xenevtchn_handle *xce, const char *fn)
{
	if (XS_UNLIKELY(!xce)) {
		errno = EINVAL;
		return -1;
	}
	if (XS_UNLIKELY(evtchn_neutered(xce))) {
		xs_log(&xce->base, XTL_ERROR, EPERM,
		       "%s on %s: the handle was neutered by xentoolcore_restrict_all", fn,
		       xs_evtchn_device);
		errno = EPERM;
		return -1;
	}
	return 0;
}

#define EVTCHN_CHECK_HANDLE(xce, fn)                                                     \
	do {                                                                             \
		if (evtchn_check((xce), (fn)) < 0)                                       \
			return -1;                                                       \
	} while (0)

static int evtchn_bad_arg(xenevtchn_handle *xce, const char *fn, const char *what,
			  unsigned long value)
{
	xs_log(&xce->base, XTL_ERROR, EINVAL, "%s: %s %lu is out of range", fn, what, value);
	errno = EINVAL;
	return -1;
}

#define EVTCHN_CHECK_PORT(xce, fn, port)                                                 \
	do {                                                                             \
		if (XS_UNLIKELY((port) > XS_EVTCHN_PORT_MAX))                            \
			return evtchn_bad_arg((xce), (fn), "port", (port));              \
	} while (0)

#define EVTCHN_CHECK_DOMID(xce, fn, domid)                                               \
	do {                                                                             \
		if (XS_UNLIKELY((domid) > XS_EVTCHN_DOMID_MAX))                          \
			return evtchn_bad_arg((xce), (fn), "domid", (domid));            \
	} while (0)

XENSTABLE_EXPORT int xenevtchn_fd(xenevtchn_handle *xce)
{
	if (!xce) {
		errno = EINVAL;
		return -1;
	}
	return xce->fd;
}

XENSTABLE_EXPORT int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_notify");
	EVTCHN_CHECK_PORT(xce, "xenevtchn_notify", port);
	return xs_evtchn_os_notify(xce, port);
}

XENSTABLE_EXPORT xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce,
								       uint32_t domid)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_bind_unbound_port");
	EVTCHN_CHECK_DOMID(xce, "xenevtchn_bind_unbound_port", domid);
	return xs_evtchn_os_bind_unbound_port(xce, domid);
}

XENSTABLE_EXPORT xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce,
								      uint32_t domid,
								      evtchn_port_t remote_port)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_bind_interdomain");
	EVTCHN_CHECK_DOMID(xce, "xenevtchn_bind_interdomain", domid);
	EVTCHN_CHECK_PORT(xce, "xenevtchn_bind_interdomain", remote_port);
	return xs_evtchn_os_bind_interdomain(xce, domid, remote_port);
}

XENSTABLE_EXPORT xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
							       unsigned int virq)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_bind_virq");
	return xs_evtchn_os_bind_virq(xce, virq);
}

XENSTABLE_EXPORT int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_unbind");
	EVTCHN_CHECK_PORT(xce, "xenevtchn_unbind", port);
	return xs_evtchn_os_unbind(xce, port);
}

XENSTABLE_EXPORT xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_pending");
	return xs_evtchn_os_pending(xce);
}

XENSTABLE_EXPORT int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_unmask");
	EVTCHN_CHECK_PORT(xce, "xenevtchn_unmask", port);
	return xs_evtchn_os_unmask(xce, port);
}

XENSTABLE_EXPORT int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_restrict");
	if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
		xs_log(&xce->base, XTL_ERROR, EINVAL,
		       "xenevtchn_restrict: cannot restrict %s to domain %u "
		       "(not domain 0, not a reserved domain)",
		       xs_evtchn_device, domid);
		errno = EINVAL;
		return -1;
	}
	if (xs_evtchn_os_restrict(xce, domid) < 0)
		return -1;
	evtchn_set_restricted(xce, domid);
	return 0;
}

XENSTABLE_EXPORT xenevtchn_port_or_error_t xenevtchn_bind_static(xenevtchn_handle *xce,
								 evtchn_port_t port)
{
	EVTCHN_CHECK_HANDLE(xce, "xenevtchn_bind_static");
	EVTCHN_CHECK_PORT(xce, "xenevtchn_bind_static", port);
	return xs_evtchn_os_bind_static(xce, port);
}
