/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel: the Linux layer. Two transports for dm_op:
 *
 *  - IOCTL_PRIVCMD_DM_OP (Linux 4.11+), probed at open. The kernel pins the
 *    caller's buffers; the buffer descriptors live on our stack. Limits of
 *    the default kernel: 16 buffers of at most 4096 bytes (E2BIG beyond).
 *  - __HYPERVISOR_dm_op through libxencall, where the ioctl is missing or a
 *    request is too big for it: buffers are bounced through hypercall-safe
 *    memory and copied back only if the hypercall succeeded.
 *
 * Plus restriction (IOCTL_PRIVCMD_RESTRICT) and the irqfd, ioeventfd and
 * GSI ioctls behind the xenstable extensions.
 *
 * ENOTTY from an optional ioctl means "this kernel lacks it" (EOPNOTSUPP),
 * except in a 32-bit process on a 64-bit kernel, which gets ENOTTY for
 * every ioctl (xs-compat.h): there it stays ENOTTY, logged with that reason.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compat.h"
#include "xs-fd.h"

_Static_assert(sizeof(((xen_dm_op_buf_t *)0)->h) >= sizeof(void *),
	       "a guest handle holds a pointer");
_Static_assert(XS_DM_MAX_BUFS <= XS_PRIVCMD_DM_OP_MAX_NR_BUFS,
	       "every request's descriptors fit the DM_OP ioctl");

/* ---- open / close -------------------------------------------------------------- */

static bool errno_means_absent(int e)
{
	return e == ENOENT || e == ENXIO || e == ENODEV;
}

int xs_dm_os_open(xendevicemodel_handle *h)
{
	struct privcmd_dm_op probe = { .dom = DOMID_INVALID, .num = 0, .ubufs = NULL };
	int fd;

	h->device = XS_DEV_PRIVCMD;
	fd = xs_open_cloexec(XS_DEV_PRIVCMD, O_RDWR);
	if (fd < 0 && errno_means_absent(errno)) {
		/* xenfs exposes the same driver. */
		h->device = XS_DEV_PRIVCMD_PROC;
		fd = xs_open_cloexec(XS_DEV_PRIVCMD_PROC, O_RDWR);
	}
	if (fd < 0) {
		if (errno_means_absent(errno)) {
			/* libxencall managed without it; use the hypercalls. */
			xs_log_debug(&h->base, "no privcmd device: using the dm_op hypercall");
			h->fd = -1;
			return 0;
		}
		xs_log(&h->base, XTL_ERROR, errno,
		       "could not obtain handle on privileged command interface %s",
		       XS_DEV_PRIVCMD);
		return -1;
	}

	/*
	 * num == 0 returns at once on kernels with DM_OP. A kernel that has
	 * already restricted the fd (XSA-482 in a domU) says EPERM for the
	 * invalid domain: the ioctl exists then too, and the hypercall
	 * transport would be refused anyway.
	 */
	if (ioctl(fd, IOCTL_PRIVCMD_DM_OP, &probe) == 0) {
		h->fd = fd;
	} else if (errno == EPERM) {
		xs_log_debug(&h->base, "%s is restricted by the kernel", h->device);
		atomic_store(&h->restricted, true);
		h->fd = fd;
	} else {
		xs_log(&h->base, XTL_DEBUG, errno,
		       "IOCTL_PRIVCMD_DM_OP probe on %s failed: using the dm_op hypercall",
		       h->device);
		close(fd);
		h->fd = -1;
	}
	return 0;
}

int xs_dm_os_close(xendevicemodel_handle *h)
{
	int rc;

	if (h->fd < 0)
		return 0;
	rc = close(h->fd);
	h->fd = -1;
	return rc;
}

/* ---- transports ------------------------------------------------------------------- */

bool xs_dm_uses_ioctl(const xendevicemodel_handle *h)
{
	return h->fd >= 0;
}

bool xs_dm_fits_ioctl(const struct xs_dm_buf *bufs, unsigned int nr)
{
	unsigned int i;

	if (nr > XS_PRIVCMD_DM_OP_MAX_NR_BUFS)
		return false;
	for (i = 0; i < nr; i++)
		if (bufs[i].size > XS_PRIVCMD_DM_OP_BUF_MAX_SIZE)
			return false;
	return true;
}

bool xs_dm_may_hypercall(const xendevicemodel_handle *h)
{
	/*
	 * Never around a restriction: the hypercall goes through libxencall's
	 * own privcmd fd, which would let a restricted handle reach other
	 * domains (and is refused once restricted anyway).
	 */
	return h->xcall && !atomic_load(&h->restricted) && !atomic_load(&h->neutered);
}

static int call_ioctl(xendevicemodel_handle *h, domid_t domid, struct xs_dm_buf *bufs,
		      unsigned int nr)
{
	struct privcmd_dm_op_buf ubufs[XS_DM_MAX_BUFS];
	struct privcmd_dm_op arg = { .dom = domid, .num = (uint16_t)nr, .ubufs = ubufs };
	unsigned int i;

	for (i = 0; i < nr; i++) {
		ubufs[i].uptr = bufs[i].ptr;
		ubufs[i].size = bufs[i].size;
	}
	return ioctl(h->fd, IOCTL_PRIVCMD_DM_OP, &arg) < 0 ? -1 : 0;
}

static int call_hypercall(xendevicemodel_handle *h, domid_t domid, struct xs_dm_buf *bufs,
			  unsigned int nr)
{
	void *bounce[XS_DM_MAX_BUFS] = { NULL };
	xen_dm_op_buf_t *xbufs;
	unsigned int i;
	int rc = -1, saved_errno;

	xbufs = xencall_alloc_buffer(h->xcall, nr * sizeof(*xbufs));
	if (!xbufs)
		return -1;
	for (i = 0; i < nr; i++) {
		bounce[i] = xencall_alloc_buffer(h->xcall, bufs[i].size);
		if (!bounce[i])
			goto out;
		if (bufs[i].size)
			memcpy(bounce[i], bufs[i].ptr, bufs[i].size);
		/* The handle is a bare or wrapped pointer depending on the
		 * interface version, little-endian-first on Arm: store the
		 * pointer's bytes at its start (the rest is zero). */
		memset(&xbufs[i].h, 0, sizeof(xbufs[i].h));
		memcpy(&xbufs[i].h, &bounce[i], sizeof(bounce[i]));
		xbufs[i].size = bufs[i].size;
	}
	rc = xencall3(h->xcall, __HYPERVISOR_dm_op, domid, nr, (uint64_t)(uintptr_t)xbufs);
	if (rc >= 0) {
		rc = 0;
		for (i = 0; i < nr; i++)
			if (bufs[i].size)
				memcpy(bufs[i].ptr, bounce[i], bufs[i].size);
	}
out:
	saved_errno = errno;
	for (i = 0; i < nr; i++)
		xencall_free_buffer(h->xcall, bounce[i]);
	xencall_free_buffer(h->xcall, xbufs);
	errno = saved_errno;
	return rc < 0 ? -1 : 0;
}

static int neutered(const xendevicemodel_handle *h, const char *op, domid_t domid)
{
	if (!atomic_load(&h->neutered))
		return 0;
	xs_log(&h->base, XTL_ERROR, EPERM,
	       "%s on domain %u: handle was neutered by xentoolcore_restrict_all()", op,
	       (unsigned int)domid);
	errno = EPERM;
	return -1;
}

int xs_dm_call(xendevicemodel_handle *h, const char *op, domid_t domid,
	       struct xs_dm_buf *bufs, unsigned int nr, bool force_ioctl)
{
	const char *how;
	int rc;

	if (neutered(h, op, domid))
		return -1;
	if (h->fd >= 0 && (force_ioctl || xs_dm_fits_ioctl(bufs, nr))) {
		how = "IOCTL_PRIVCMD_DM_OP";
		rc = call_ioctl(h, domid, bufs, nr);
	} else if (h->fd < 0 || xs_dm_may_hypercall(h)) {
		how = "dm_op hypercall";
		rc = call_hypercall(h, domid, bufs, nr);
	} else {
		/* core.c splits what could not go either way; not reached. */
		xs_log(&h->base, XTL_ERROR, E2BIG,
		       "%s on domain %u: too big for IOCTL_PRIVCMD_DM_OP on a restricted handle",
		       op, (unsigned int)domid);
		errno = E2BIG;
		return -1;
	}
	if (rc < 0 && errno == ENOTTY)
		xs_log_core_ioctl(&h->base, ENOTTY, "%s on domain %u (%s on %s)", op,
				  (unsigned int)domid, how, h->device);
	else if (rc < 0)
		xs_log(&h->base, XTL_DEBUG, errno, "%s on domain %u (%s)", op,
		       (unsigned int)domid, how);
	return rc;
}

/* ---- restriction ------------------------------------------------------------------ */

int xs_dm_os_restrict(xendevicemodel_handle *h, domid_t domid)
{
	int e;

	if (neutered(h, "restrict", domid))
		return -1;
	if (h->fd < 0 && xs_abi_get() != XS_ABI_NATIVE) {
		/* The DM_OP probe at open got ENOTTY, as every ioctl does. */
		xs_log_core_ioctl(&h->base, ENOTTY,
				  "restrict to domain %u: IOCTL_PRIVCMD_DM_OP on %s",
				  (unsigned int)domid, h->device);
		errno = ENOTTY;
		return -1;
	}
	if (h->fd < 0) {
		xs_log(&h->base, XTL_ERROR, EOPNOTSUPP,
		       "restrict to domain %u: the kernel has no IOCTL_PRIVCMD_DM_OP, "
		       "a hypercall-transport handle cannot be restricted",
		       (unsigned int)domid);
		errno = EOPNOTSUPP;
		return -1;
	}
	if (ioctl(h->fd, IOCTL_PRIVCMD_RESTRICT, &domid) == 0) {
		atomic_store(&h->restricted, true);
		return 0;
	}
	e = errno == ENOTTY && !xs_enotty_is_compat(errno) ? EOPNOTSUPP : errno;
	xs_log_optional_ioctl(&h->base, XTL_ERROR, e,
			      "IOCTL_PRIVCMD_RESTRICT to domain %u on %s",
			      (unsigned int)domid, h->device);
	errno = e;
	return -1;
}

int xs_dm_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xendevicemodel_handle *h = xs_handle_from_tc(ah, xendevicemodel_handle, base);
	int e;

	if (atomic_load(&h->neutered))
		return 0;
	if (xs_dm_os_restrict(h, domid) == 0)
		return 0;
	/*
	 * The handle cannot be limited to @domid: make it useless instead.
	 * Its libxencall handle is neutered by its own callback.
	 */
	e = errno;
	atomic_store(&h->neutered, true);
	if (h->fd >= 0)
		xs_neuter_fd(&h->base, h->fd, h->device);
	errno = e;
	return -1;
}

/* ---- extensions --------------------------------------------------------------- */

/* The fd for the extension ioctls: ours, or libxencall's privcmd fd. */
static int ext_fd(const xendevicemodel_handle *h)
{
	return h->fd >= 0 ? h->fd : xencall_fd(h->xcall);
}

/* The errno this kernel gives for an unknown privcmd ioctl (probed once). */
static int unknown_errno(xendevicemodel_handle *h)
{
	int e = atomic_load(&h->unknown_errno);

	if (!e) {
		e = ioctl(ext_fd(h), IOCTL_PRIVCMD_UNIMPLEMENTED, NULL) < 0 ? errno : ENOTTY;
		atomic_store(&h->unknown_errno, e);
	}
	return e;
}

static int ext_fail(xendevicemodel_handle *h, const char *op, domid_t domid, int e)
{
	xs_log_optional_ioctl(&h->base, e == EOPNOTSUPP ? XTL_DEBUG : XTL_ERROR, e,
			      "%s on domain %u", op, (unsigned int)domid);
	errno = e;
	return -1;
}

static int irqfd_ioctl(int fd, enum xs_dm_irqfd_abi abi, domid_t domid, int eventfd,
		       const struct xen_dm_op *dm_op, bool deassign)
{
	uint32_t flags = deassign ? PRIVCMD_IRQFD_FLAG_DEASSIGN : 0;

	if (abi == XS_DM_IRQFD_V67) {
		struct privcmd_irqfd a = {
			.dm_op = (uint64_t)(uintptr_t)dm_op,
			.size = sizeof(*dm_op),
			.fd = (uint32_t)eventfd,
			.flags = flags,
			.dom = domid,
		};

		return ioctl(fd, IOCTL_PRIVCMD_IRQFD, &a);
	} else {
		struct privcmd_irqfd_v66 a = {
			.dm_op = (void *)(uintptr_t)dm_op,
			.size = sizeof(*dm_op),
			.fd = (uint32_t)eventfd,
			.flags = flags,
			.dom = domid,
		};

		return ioctl(fd, IOCTL_PRIVCMD_IRQFD_V66, &a);
	}
}

int xs_dm_os_irqfd(xendevicemodel_handle *h, const char *op, domid_t domid, int eventfd,
		   const struct xen_dm_op *dm_op, bool deassign)
{
	int abi = atomic_load(&h->irqfd_abi);
	int fd = ext_fd(h);
	int e67 = 0, e66;

	if (neutered(h, op, domid))
		return -1;
	if (abi == XS_DM_IRQFD_NONE)
		return ext_fail(h, op, domid, EOPNOTSUPP);

	/*
	 * Linux 6.7 changed the ioctl's number (and, on 32-bit, its layout);
	 * 6.6 kernels only know the old one. Try the new one first and
	 * remember which works.
	 */
	if (abi != XS_DM_IRQFD_V66) {
		if (irqfd_ioctl(fd, XS_DM_IRQFD_V67, domid, eventfd, dm_op, deassign) == 0) {
			atomic_store(&h->irqfd_abi, XS_DM_IRQFD_V67);
			return 0;
		}
		e67 = errno;
		if (xs_enotty_is_compat(e67))
			return ext_fail(h, op, domid, e67);
		if (abi == XS_DM_IRQFD_V67 || (e67 != ENOTTY && e67 != EINVAL))
			return ext_fail(h, op, domid, e67);
	}
	if (irqfd_ioctl(fd, XS_DM_IRQFD_V66, domid, eventfd, dm_op, deassign) == 0) {
		atomic_store(&h->irqfd_abi, XS_DM_IRQFD_V66);
		return 0;
	}
	e66 = errno;
	if (abi == XS_DM_IRQFD_V66)
		return ext_fail(h, op, domid, e66);

	/* First attempt on this handle, both numbers failed. */
	if (e66 != ENOTTY && e66 != EINVAL) {
		/* The 6.6 ioctl exists and refused (EBUSY, EOPNOTSUPP, ...). */
		if (e66 != EOPNOTSUPP)
			atomic_store(&h->irqfd_abi, XS_DM_IRQFD_V66);
		return ext_fail(h, op, domid, e66);
	}
	if (e67 == e66) {
		/* Neither number is known (ENOTTY, or EINVAL on old kernels). */
		atomic_store(&h->irqfd_abi, XS_DM_IRQFD_NONE);
		return ext_fail(h, op, domid, EOPNOTSUPP);
	}
	/* One number is unknown, the other's EINVAL is the real answer. */
	atomic_store(&h->irqfd_abi, e67 == EINVAL ? XS_DM_IRQFD_V67 : XS_DM_IRQFD_V66);
	return ext_fail(h, op, domid, EINVAL);
}

/* ENOTTY, or EINVAL from a kernel that says EINVAL for unknown ioctls. */
static int not_implemented(xendevicemodel_handle *h, int e)
{
	if (xs_enotty_is_compat(e))
		return e;
	if (e == ENOTTY || (e == EINVAL && unknown_errno(h) == EINVAL))
		return EOPNOTSUPP;
	return e;
}

int xs_dm_os_ioeventfd(xendevicemodel_handle *h, const char *op, domid_t domid,
		       void *ioreq_page, const evtchn_port_t *ports, unsigned int nr_vcpus,
		       uint64_t addr, unsigned int addr_len, unsigned int vq, int eventfd,
		       bool deassign)
{
	struct privcmd_ioeventfd a = {
		.ioreq = (uint64_t)(uintptr_t)ioreq_page,
		.ports = (uint64_t)(uintptr_t)ports,
		.addr = addr,
		.addr_len = addr_len,
		.event_fd = (uint32_t)eventfd,
		.vcpus = nr_vcpus,
		.vq = vq,
		.flags = deassign ? PRIVCMD_IOEVENTFD_FLAG_DEASSIGN : 0,
		.dom = domid,
	};

	if (neutered(h, op, domid))
		return -1;
	if (ioctl(ext_fd(h), IOCTL_PRIVCMD_IOEVENTFD, &a) == 0)
		return 0;
	return ext_fail(h, op, domid, not_implemented(h, errno));
}

int xs_dm_os_pcidev_get_gsi(xendevicemodel_handle *h, uint32_t sbdf, uint32_t *gsi)
{
	struct privcmd_pcidev_get_gsi a = { .sbdf = sbdf, .gsi = 0 };
	int e;

	if (neutered(h, "pcidev_get_gsi", 0))
		return -1;
	if (ioctl(ext_fd(h), IOCTL_PRIVCMD_PCIDEV_GET_GSI, &a) == 0) {
		*gsi = a.gsi;
		return 0;
	}
	e = not_implemented(h, errno);
	xs_log_optional_ioctl(&h->base,
			      e == EOPNOTSUPP || e == ENOENT ? XTL_DEBUG : XTL_ERROR, e,
			      "pcidev_get_gsi of PCI %04x:%02x:%02x.%u", sbdf >> 16,
			      (sbdf >> 8) & 0xff, (sbdf >> 3) & 0x1f, sbdf & 7);
	errno = e;
	return -1;
}
