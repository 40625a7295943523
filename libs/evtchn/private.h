/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenevtchn internals: the handle, and the interface between the
 * portable core (core.c: argument checks, handle life cycle, restriction)
 * and the OS layer (linux.c: the /dev/xen/evtchn driver).
 */
#ifndef XS_EVTCHN_PRIVATE_H
#define XS_EVTCHN_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "xenevtchn.h"
#include "xs-handle.h"

struct xenevtchn_handle {
	struct xs_handle base;
	int fd; /* -1 until the device is open */
	/*
	 * The domain this handle was restricted to through this library
	 * (xenevtchn_restrict() or xentoolcore_restrict_all()), or -1.
	 * Accessed atomically: restrict_all may run in another thread.
	 */
	int restricted_domid;
	bool neutered; /* fd replaced by /dev/null (atomic access) */
};

/* Ports fit in 31 bits (xenevtchn_port_or_error_t). */
#define XS_EVTCHN_PORT_MAX 0x7fffffffU

/* domid arguments are uint32_t in the API, 16 bits in Xen. */
#define XS_EVTCHN_DOMID_MAX 0xffffU

/*
 * OS layer. Every function returns what its operation returns (a port, 0,
 * a byte count) or -1 with errno, and logs its own failures through the
 * handle, naming the ioctl and the device; expected outcomes (EAGAIN and
 * EINTR of a read) are not logged.
 */
extern const char xs_evtchn_device[];

int xs_evtchn_os_open(xenevtchn_handle *xce, bool cloexec);
int xs_evtchn_os_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);
int xs_evtchn_os_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
				  evtchn_port_t remote_port);
int xs_evtchn_os_bind_virq(xenevtchn_handle *xce, unsigned int virq);
int xs_evtchn_os_bind_static(xenevtchn_handle *xce, evtchn_port_t port);
int xs_evtchn_os_unbind(xenevtchn_handle *xce, evtchn_port_t port);
int xs_evtchn_os_notify(xenevtchn_handle *xce, evtchn_port_t port);
int xs_evtchn_os_restrict(xenevtchn_handle *xce, domid_t domid);
/* One pending port, or -1 with errno (EIO for a partial read or EOF). */
int xs_evtchn_os_pending(xenevtchn_handle *xce);
int xs_evtchn_os_unmask(xenevtchn_handle *xce, evtchn_port_t port);

/* The domain the handle is known to be restricted to, or -1. */
static inline int xs_evtchn_restricted_domid(const xenevtchn_handle *xce)
{
	return __atomic_load_n(&xce->restricted_domid, __ATOMIC_ACQUIRE);
}

#endif /* XS_EVTCHN_PRIVATE_H */
