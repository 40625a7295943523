/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel internals: the handle, and the seam between the
 * portable core (core.c: argument checks, building struct xen_dm_op) and
 * the Linux layer (linux.c: privcmd DM_OP ioctl, hypercall transport
 * through libxencall, restriction, irqfd/ioeventfd/GSI ioctls).
 */
#ifndef XS_DEVICEMODEL_PRIVATE_H
#define XS_DEVICEMODEL_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xencall.h>

#include "xendevicemodel.h"
#include "xs-compiler.h"
#include "xs-handle.h"
#include "xs-log.h"

/* No operation uses more than the op struct and one data buffer. */
#define XS_DM_MAX_BUFS 2

/* One buffer of a dm_op: bufs[0] is always the struct xen_dm_op. */
struct xs_dm_buf {
	void *ptr;
	size_t size;
};

/* Values of xendevicemodel_handle.irqfd_abi. */
enum xs_dm_irqfd_abi {
	XS_DM_IRQFD_UNKNOWN = 0, /* not tried yet */
	XS_DM_IRQFD_V67,	 /* _IOW number, __u64 dm_op (Linux 6.7+) */
	XS_DM_IRQFD_V66,	 /* _IOC(NONE) number, pointer dm_op (Linux 6.6) */
	XS_DM_IRQFD_NONE,	 /* the kernel has no irqfd */
};

struct xendevicemodel_handle {
	struct xs_handle base;
	xencall_handle *xcall; /* hypercall transport; always open */
	int fd;		       /* privcmd fd that has DM_OP, or -1 */
	const char *device;    /* path of fd, for logs */
	unsigned int open_flags;
	/* fd is restricted (by us, or by the kernel at open: XSA-482 domU). */
	atomic_bool restricted;
	/* xentoolcore_restrict_all() could not restrict the handle and made
	 * it useless: every operation fails with EPERM. */
	atomic_bool neutered;
	atomic_int irqfd_abi;	  /* enum xs_dm_irqfd_abi */
	atomic_int unknown_errno; /* errno of an unknown privcmd ioctl, 0: not probed */
};

/* ---- linux.c --------------------------------------------------------- */

/* Open the privcmd fd and probe DM_OP (h->fd = -1 if unavailable). */
int xs_dm_os_open(xendevicemodel_handle *h);
/* Close the privcmd fd (after deregistration). Returns close()'s result. */
int xs_dm_os_close(xendevicemodel_handle *h);

/* The libxentoolcore restrict callback. */
int xs_dm_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid);
int xs_dm_os_restrict(xendevicemodel_handle *h, domid_t domid);

/* Does the handle have the DM_OP ioctl (else: hypercall transport only)? */
bool xs_dm_uses_ioctl(const xendevicemodel_handle *h);
/* Does a request fit the DM_OP ioctl's limits? */
bool xs_dm_fits_ioctl(const struct xs_dm_buf *bufs, unsigned int nr);
/* May a request bypass the ioctl through the hypercall transport? */
bool xs_dm_may_hypercall(const xendevicemodel_handle *h);

/*
 * Issue one dm_op: the ioctl if the handle has DM_OP and the request fits
 * (or, with @force_ioctl, whatever its size: the kernel's limits are module
 * parameters), else the hypercall transport (bounce buffers, copied back
 * only on success). @op names the operation for logs. Returns 0 or -1 with
 * errno.
 */
int xs_dm_call(xendevicemodel_handle *h, const char *op, domid_t domid,
	       struct xs_dm_buf *bufs, unsigned int nr, bool force_ioctl);

/* The privcmd ioctls behind the extensions. */
int xs_dm_os_irqfd(xendevicemodel_handle *h, const char *op, domid_t domid, int eventfd,
		   const struct xen_dm_op *dm_op, bool deassign);
int xs_dm_os_ioeventfd(xendevicemodel_handle *h, const char *op, domid_t domid,
		       void *ioreq_page, const evtchn_port_t *ports, unsigned int nr_vcpus,
		       uint64_t addr, unsigned int addr_len, unsigned int vq, int eventfd,
		       bool deassign);
int xs_dm_os_pcidev_get_gsi(xendevicemodel_handle *h, uint32_t sbdf, uint32_t *gsi);

/* ---- logging helpers (core.c) ------------------------------------------ */

/* Log "<op> on domain <domid>: <why>: Invalid argument", return -1/EINVAL. */
int xs_dm_einval(const xendevicemodel_handle *h, const char *op, domid_t domid,
		 const char *fmt, ...) XS_PRINTF(4, 5);

#endif /* XS_DEVICEMODEL_PRIVATE_H */
