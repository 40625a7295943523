/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel: the portable core. Every operation checks its
 * arguments, builds its struct xen_dm_op on the stack and hands it to the
 * transport in linux.c. Nothing here allocates memory except the handle.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/sched.h>
#include <xenstable.h>

#include "private.h"
#include "xen-kernel.h"

#define LIB "xendevicemodel"

/* What fits in one buffer of the DM_OP ioctl. */
#define EXTENTS_PER_CALL                                                                 \
	((uint32_t)(XS_PRIVCMD_DM_OP_BUF_MAX_SIZE /                                      \
		    sizeof(struct xen_dm_op_modified_memory_extent)))
#define VRAM_PFNS_PER_CALL ((uint32_t)XS_PRIVCMD_DM_OP_BUF_MAX_SIZE * 8)

int xs_dm_einval(const xendevicemodel_handle *h, const char *op, domid_t domid,
		 const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	xs_log(&h->base, XTL_ERROR, EINVAL, "%s on domain %u: %s", op, (unsigned int)domid,
	       why);
	errno = EINVAL;
	return -1;
}

/* A NULL handle cannot log; every entry point starts with this. */
#define CHECK_HANDLE(h)                                                                  \
	do {                                                                             \
		if (XS_UNLIKELY(!(h))) {                                                 \
			errno = EINVAL;                                                  \
			return -1;                                                       \
		}                                                                        \
	} while (0)

/* dm_op never acts on reserved ids (DOMID_SELF, DOMID_INVALID, ...). */
static int check_domid(const xendevicemodel_handle *h, const char *op, domid_t domid)
{
	if (domid >= DOMID_FIRST_RESERVED)
		return xs_dm_einval(h, op, domid, "reserved domain id 0x%x",
				    (unsigned int)domid);
	return 0;
}

/* first + nr - 1 must be representable (nr == 0 is an empty range). */
static bool range_overflows(uint64_t first, uint64_t nr)
{
	return nr && first > UINT64_MAX - (nr - 1);
}

static void op_init(struct xen_dm_op *op, uint32_t nr)
{
	memset(op, 0, sizeof(*op));
	op->op = nr;
}

/* One-buffer operation. */
static int call_op(xendevicemodel_handle *h, const char *name, domid_t domid,
		   struct xen_dm_op *op)
{
	struct xs_dm_buf buf = { op, sizeof(*op) };

	return xs_dm_call(h, name, domid, &buf, 1, false);
}

/* ---- open / close ------------------------------------------------------------ */

XENSTABLE_EXPORT xendevicemodel_handle *xendevicemodel_open(xentoollog_logger *logger,
							    unsigned int open_flags)
{
	xendevicemodel_handle *h = calloc(1, sizeof(*h));
	int saved_errno;

	if (!h)
		return NULL;
	h->fd = -1;
	h->open_flags = open_flags;
	atomic_init(&h->restricted, false);
	atomic_init(&h->neutered, false);
	atomic_init(&h->irqfd_abi, XS_DM_IRQFD_UNKNOWN);
	atomic_init(&h->unknown_errno, 0);

	/* Registered before any fd is opened. */
	if (xs_handle_open(&h->base, LIB, logger, xs_dm_restrict_cb) < 0) {
		saved_errno = errno;
		free(h);
		errno = saved_errno;
		return NULL;
	}

	h->xcall = xencall_open(h->base.logger, 0);
	if (!h->xcall) {
		xs_log(&h->base, XTL_ERROR, errno, "could not open the hypercall interface");
		goto fail;
	}
	if (xs_dm_os_open(h) < 0)
		goto fail;
	return h;

fail:
	saved_errno = errno;
	xs_handle_unregister(&h->base); /* before closing any fd */
	if (h->xcall)
		xencall_close(h->xcall);
	xs_handle_close(&h->base);
	free(h);
	errno = saved_errno;
	return NULL;
}

XENSTABLE_EXPORT int xendevicemodel_close(xendevicemodel_handle *dmod)
{
	int rc, saved_errno;

	if (!dmod)
		return 0;
	/* Upstream closes first and deregisters afterwards; a concurrent
	 * restrict_all could then hit a closed or reused fd. */
	xs_handle_unregister(&dmod->base);
	rc = xs_dm_os_close(dmod);
	saved_errno = errno;
	xencall_close(dmod->xcall);
	xs_handle_close(&dmod->base);
	free(dmod);
	errno = saved_errno;
	return rc;
}

/* ---- ioreq servers --------------------------------------------------------- */

XENSTABLE_EXPORT int xendevicemodel_create_ioreq_server(xendevicemodel_handle *dmod,
							domid_t domid, int handle_bufioreq,
							ioservid_t *id)
{
	static const char name[] = "create_ioreq_server";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (!id)
		return xs_dm_einval(dmod, name, domid, "id is NULL");
	if (handle_bufioreq < HVM_IOREQSRV_BUFIOREQ_OFF ||
	    handle_bufioreq > HVM_IOREQSRV_BUFIOREQ_ATOMIC)
		return xs_dm_einval(dmod, name, domid, "unknown bufioreq mode %d",
				    handle_bufioreq);
	op_init(&op, XEN_DMOP_create_ioreq_server);
	op.u.create_ioreq_server.handle_bufioreq = (uint8_t)handle_bufioreq;
	if (call_op(dmod, name, domid, &op))
		return -1;
	*id = op.u.create_ioreq_server.id;
	return 0;
}

XENSTABLE_EXPORT int xendevicemodel_get_ioreq_server_info(xendevicemodel_handle *dmod,
							  domid_t domid, ioservid_t id,
							  xen_pfn_t *ioreq_gfn,
							  xen_pfn_t *bufioreq_gfn,
							  evtchn_port_t *bufioreq_port)
{
	static const char name[] = "get_ioreq_server_info";
	struct xen_dm_op op;
	xen_dm_op_get_ioreq_server_info_t *info = &op.u.get_ioreq_server_info;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	op_init(&op, XEN_DMOP_get_ioreq_server_info);
	info->id = id;
	/* Nobody wants the legacy gfns: keep Xen from mapping them in. */
	if (!ioreq_gfn && !bufioreq_gfn)
		info->flags = XEN_DMOP_no_gfns;
	if (call_op(dmod, name, domid, &op))
		return -1;
	if (ioreq_gfn)
		*ioreq_gfn = (xen_pfn_t)info->ioreq_gfn;
	if (bufioreq_gfn)
		*bufioreq_gfn = (xen_pfn_t)info->bufioreq_gfn;
	if (bufioreq_port)
		*bufioreq_port = info->bufioreq_port;
	return 0;
}

static int ioreq_range(xendevicemodel_handle *dmod, const char *name, uint32_t opnr,
		       domid_t domid, ioservid_t id, uint32_t type, uint64_t start,
		       uint64_t end)
{
	struct xen_dm_op op;
	xen_dm_op_ioreq_server_range_t *r;

	if (check_domid(dmod, name, domid))
		return -1;
	if (end < start)
		return xs_dm_einval(dmod, name, domid,
				    "range end 0x%llx below start 0x%llx",
				    (unsigned long long)end, (unsigned long long)start);
	op_init(&op, opnr);
	/* Both ops share the layout; write through the one member. */
	r = &op.u.map_io_range_to_ioreq_server;
	r->id = id;
	r->type = type;
	r->start = start;
	r->end = end;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_map_io_range_to_ioreq_server(
	xendevicemodel_handle *dmod, domid_t domid, ioservid_t id, int is_mmio,
	uint64_t start, uint64_t end)
{
	CHECK_HANDLE(dmod);
	return ioreq_range(dmod, "map_io_range_to_ioreq_server",
			   XEN_DMOP_map_io_range_to_ioreq_server, domid, id,
			   is_mmio ? XEN_DMOP_IO_RANGE_MEMORY : XEN_DMOP_IO_RANGE_PORT, start,
			   end);
}

XENSTABLE_EXPORT int xendevicemodel_unmap_io_range_from_ioreq_server(
	xendevicemodel_handle *dmod, domid_t domid, ioservid_t id, int is_mmio,
	uint64_t start, uint64_t end)
{
	CHECK_HANDLE(dmod);
	return ioreq_range(dmod, "unmap_io_range_from_ioreq_server",
			   XEN_DMOP_unmap_io_range_from_ioreq_server, domid, id,
			   is_mmio ? XEN_DMOP_IO_RANGE_MEMORY : XEN_DMOP_IO_RANGE_PORT, start,
			   end);
}

static int check_devfn(const xendevicemodel_handle *h, const char *name, domid_t domid,
		       unsigned int device, unsigned int function)
{
	if (device > 0x1f)
		return xs_dm_einval(h, name, domid, "PCI device %u out of range (0-31)",
				    device);
	if (function > 7)
		return xs_dm_einval(h, name, domid, "PCI function %u out of range (0-7)",
				    function);
	return 0;
}

static int pcidev(xendevicemodel_handle *dmod, const char *name, uint32_t opnr,
		  domid_t domid, ioservid_t id, uint16_t segment, uint8_t bus,
		  uint8_t device, uint8_t function)
{
	uint64_t sbdf;

	if (check_devfn(dmod, name, domid, device, function))
		return -1;
	sbdf = XEN_DMOP_PCI_SBDF((uint32_t)segment, (uint32_t)bus, (uint32_t)device,
				 (uint32_t)function);
	return ioreq_range(dmod, name, opnr, domid, id, XEN_DMOP_IO_RANGE_PCI, sbdf, sbdf);
}

XENSTABLE_EXPORT int xendevicemodel_map_pcidev_to_ioreq_server(
	xendevicemodel_handle *dmod, domid_t domid, ioservid_t id, uint16_t segment,
	uint8_t bus, uint8_t device, uint8_t function)
{
	CHECK_HANDLE(dmod);
	return pcidev(dmod, "map_pcidev_to_ioreq_server",
		      XEN_DMOP_map_io_range_to_ioreq_server, domid, id, segment, bus, device,
		      function);
}

XENSTABLE_EXPORT int xendevicemodel_unmap_pcidev_from_ioreq_server(
	xendevicemodel_handle *dmod, domid_t domid, ioservid_t id, uint16_t segment,
	uint8_t bus, uint8_t device, uint8_t function)
{
	CHECK_HANDLE(dmod);
	return pcidev(dmod, "unmap_pcidev_from_ioreq_server",
		      XEN_DMOP_unmap_io_range_from_ioreq_server, domid, id, segment, bus,
		      device, function);
}

XENSTABLE_EXPORT int xendevicemodel_map_mem_type_to_ioreq_server(
	xendevicemodel_handle *dmod, domid_t domid, ioservid_t id, uint16_t type,
	uint32_t flags)
{
	static const char name[] = "map_mem_type_to_ioreq_server";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (type != HVMMEM_ioreq_server)
		return xs_dm_einval(dmod, name, domid,
				    "memory type %u is not HVMMEM_ioreq_server",
				    (unsigned int)type);
	if (flags & ~XEN_DMOP_IOREQ_MEM_ACCESS_WRITE)
		return xs_dm_einval(dmod, name, domid,
				    "flags 0x%x: only XEN_DMOP_IOREQ_MEM_ACCESS_WRITE "
				    "(or 0) is supported",
				    flags);
	op_init(&op, XEN_DMOP_map_mem_type_to_ioreq_server);
	op.u.map_mem_type_to_ioreq_server.id = id;
	op.u.map_mem_type_to_ioreq_server.type = type;
	op.u.map_mem_type_to_ioreq_server.flags = flags;
	op.u.map_mem_type_to_ioreq_server.opaque = 0;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_destroy_ioreq_server(xendevicemodel_handle *dmod,
							 domid_t domid, ioservid_t id)
{
	static const char name[] = "destroy_ioreq_server";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	op_init(&op, XEN_DMOP_destroy_ioreq_server);
	op.u.destroy_ioreq_server.id = id;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_set_ioreq_server_state(xendevicemodel_handle *dmod,
							   domid_t domid, ioservid_t id,
							   int enabled)
{
	static const char name[] = "set_ioreq_server_state";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	op_init(&op, XEN_DMOP_set_ioreq_server_state);
	op.u.set_ioreq_server_state.id = id;
	op.u.set_ioreq_server_state.enabled = !!enabled;
	return call_op(dmod, name, domid, &op);
}

/* ---- interrupts ------------------------------------------------------------ */

static int check_level(const xendevicemodel_handle *h, const char *name, domid_t domid,
		       unsigned int level)
{
	if (level > 1)
		return xs_dm_einval(h, name, domid, "level %u is neither 0 nor 1", level);
	return 0;
}

XENSTABLE_EXPORT int xendevicemodel_set_pci_intx_level(xendevicemodel_handle *dmod,
						       domid_t domid, uint16_t segment,
						       uint8_t bus, uint8_t device,
						       uint8_t intx, unsigned int level)
{
	static const char name[] = "set_pci_intx_level";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_devfn(dmod, name, domid, device, 0) ||
	    check_level(dmod, name, domid, level))
		return -1;
	if (intx > 3)
		return xs_dm_einval(dmod, name, domid, "INTx %u out of range (0-3 = A-D)",
				    (unsigned int)intx);
	op_init(&op, XEN_DMOP_set_pci_intx_level);
	op.u.set_pci_intx_level.domain = segment;
	op.u.set_pci_intx_level.bus = bus;
	op.u.set_pci_intx_level.device = device;
	op.u.set_pci_intx_level.intx = intx;
	op.u.set_pci_intx_level.level = (uint8_t)level;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_set_isa_irq_level(xendevicemodel_handle *dmod,
						      domid_t domid, uint8_t irq,
						      unsigned int level)
{
	static const char name[] = "set_isa_irq_level";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_level(dmod, name, domid, level))
		return -1;
	if (irq > 15)
		return xs_dm_einval(dmod, name, domid, "ISA IRQ %u out of range (0-15)",
				    (unsigned int)irq);
	op_init(&op, XEN_DMOP_set_isa_irq_level);
	op.u.set_isa_irq_level.isa_irq = irq;
	op.u.set_isa_irq_level.level = (uint8_t)level;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_set_irq_level(xendevicemodel_handle *dmod,
						  domid_t domid, uint32_t irq,
						  unsigned int level)
{
	static const char name[] = "set_irq_level";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_level(dmod, name, domid, level))
		return -1;
	op_init(&op, XEN_DMOP_set_irq_level);
	op.u.set_irq_level.irq = irq;
	op.u.set_irq_level.level = (uint8_t)level;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_set_pci_link_route(xendevicemodel_handle *dmod,
						       domid_t domid, uint8_t link,
						       uint8_t irq)
{
	static const char name[] = "set_pci_link_route";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (link > 3)
		return xs_dm_einval(dmod, name, domid, "link %u out of range (0-3)",
				    (unsigned int)link);
	if (irq > 15)
		return xs_dm_einval(dmod, name, domid,
				    "ISA IRQ %u out of range (1-15, 0 = none)",
				    (unsigned int)irq);
	op_init(&op, XEN_DMOP_set_pci_link_route);
	op.u.set_pci_link_route.link = link;
	op.u.set_pci_link_route.isa_irq = irq;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_inject_msi(xendevicemodel_handle *dmod, domid_t domid,
					       uint64_t msi_addr, uint32_t msi_data)
{
	static const char name[] = "inject_msi";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	op_init(&op, XEN_DMOP_inject_msi);
	op.u.inject_msi.addr = msi_addr;
	op.u.inject_msi.data = msi_data;
	return call_op(dmod, name, domid, &op);
}

/* ---- memory ---------------------------------------------------------------- */

static int dirty_vram_call(xendevicemodel_handle *dmod, const char *name, domid_t domid,
			   uint64_t first_pfn, uint32_t nr, unsigned char *bitmap,
			   bool force_ioctl)
{
	struct xen_dm_op op;
	struct xs_dm_buf bufs[2];

	op_init(&op, XEN_DMOP_track_dirty_vram);
	op.u.track_dirty_vram.first_pfn = first_pfn;
	op.u.track_dirty_vram.nr = nr;
	bufs[0] = (struct xs_dm_buf){ &op, sizeof(op) };
	bufs[1] = (struct xs_dm_buf){ bitmap, ((size_t)nr + 7) / 8 };
	return xs_dm_call(dmod, name, domid, bufs, 2, force_ioctl);
}

XENSTABLE_EXPORT int xendevicemodel_track_dirty_vram(xendevicemodel_handle *dmod,
						     domid_t domid, uint64_t first_pfn,
						     uint32_t nr,
						     unsigned long *dirty_bitmap)
{
	static const char name[] = "track_dirty_vram";
	unsigned char *bitmap = (unsigned char *)dirty_bitmap;
	uint32_t done, chunk;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (nr && !dirty_bitmap)
		return xs_dm_einval(dmod, name, domid, "bitmap is NULL for %u frames", nr);
	if (range_overflows(first_pfn, nr))
		return xs_dm_einval(dmod, name, domid, "frames 0x%llx + %u overflow",
				    (unsigned long long)first_pfn, nr);

	/* Up to 32768 frames the bitmap fits the DM_OP ioctl. */
	if (nr <= VRAM_PFNS_PER_CALL || !xs_dm_uses_ioctl(dmod))
		return dirty_vram_call(dmod, name, domid, first_pfn, nr, bitmap, false);

	/*
	 * Beyond, one hypercall keeps Xen's view of a single tracked range.
	 * A privcmd the kernel restricted on its own (XSA-482 domU) refuses
	 * it with EPERM: go on with the ioctl then.
	 */
	if (xs_dm_may_hypercall(dmod)) {
		if (!dirty_vram_call(dmod, name, domid, first_pfn, nr, bitmap, false))
			return 0;
		if (errno != EPERM)
			return -1;
	}
	/* The ioctl's limit is a module parameter: try it whole first. */
	if (!dirty_vram_call(dmod, name, domid, first_pfn, nr, bitmap, true))
		return 0;
	if (errno != E2BIG)
		return -1;
	/*
	 * Pieces of 32768 frames (4096 bytes of bitmap). Xen tracks one range
	 * at a time and starts a new range by reporting all of it dirty, so
	 * split calls report every frame dirty: never fewer than were
	 * written, which is what a display needs.
	 */
	for (done = 0; done < nr; done += chunk) {
		chunk = nr - done < VRAM_PFNS_PER_CALL ? nr - done : VRAM_PFNS_PER_CALL;
		if (dirty_vram_call(dmod, name, domid, first_pfn + done, chunk,
				    bitmap + done / 8, true))
			return -1;
	}
	return 0;
}

static int modified_call(xendevicemodel_handle *dmod, const char *name, domid_t domid,
			 struct xen_dm_op_modified_memory_extent *extents, uint32_t nr)
{
	struct xen_dm_op op;
	struct xs_dm_buf bufs[2];

	op_init(&op, XEN_DMOP_modified_memory);
	op.u.modified_memory.nr_extents = nr;
	op.u.modified_memory.opaque = 0;
	bufs[0] = (struct xs_dm_buf){ &op, sizeof(op) };
	bufs[1] = (struct xs_dm_buf){ extents, (size_t)nr * sizeof(*extents) };
	return xs_dm_call(dmod, name, domid, bufs, 2, false);
}

static int modified_memory(xendevicemodel_handle *dmod, const char *name, domid_t domid,
			   struct xen_dm_op_modified_memory_extent *extents, uint32_t nr)
{
	uint32_t i, done, chunk;

	if (check_domid(dmod, name, domid))
		return -1;
	if (nr && !extents)
		return xs_dm_einval(dmod, name, domid, "extents is NULL for %u extents", nr);
	if ((uint64_t)nr * sizeof(*extents) > SIZE_MAX)
		return xs_dm_einval(dmod, name, domid, "%u extents overflow", nr);
	for (i = 0; i < nr; i++) {
		if (extents[i].pad)
			return xs_dm_einval(dmod, name, domid, "extent %u: pad is not zero",
					    i);
		if (range_overflows(extents[i].first_pfn, extents[i].nr))
			return xs_dm_einval(dmod, name, domid,
					    "extent %u: frames 0x%llx + %u overflow", i,
					    (unsigned long long)extents[i].first_pfn,
					    extents[i].nr);
	}
	/*
	 * Xen handles extents one after the other, so on the ioctl path
	 * pieces of 256 (what fits one buffer) give exactly the result of
	 * one call.
	 */
	if (!xs_dm_uses_ioctl(dmod))
		return modified_call(dmod, name, domid, extents, nr);
	done = 0;
	do {
		chunk = nr - done < EXTENTS_PER_CALL ? nr - done : EXTENTS_PER_CALL;
		if (modified_call(dmod, name, domid, extents + done, chunk))
			return -1;
		done += chunk;
	} while (done < nr);
	return 0;
}

XENSTABLE_EXPORT int xendevicemodel_modified_memory(xendevicemodel_handle *dmod,
						    domid_t domid, uint64_t first_pfn,
						    uint32_t nr)
{
	struct xen_dm_op_modified_memory_extent extent = { .nr = nr,
							   .pad = 0,
							   .first_pfn = first_pfn };

	CHECK_HANDLE(dmod);
	return modified_memory(dmod, "modified_memory", domid, &extent, 1);
}

XENSTABLE_EXPORT int xendevicemodel_modified_memory_bulk(
	xendevicemodel_handle *dmod, domid_t domid,
	struct xen_dm_op_modified_memory_extent extents[], uint32_t nr)
{
	CHECK_HANDLE(dmod);
	return modified_memory(dmod, "modified_memory_bulk", domid, extents, nr);
}

XENSTABLE_EXPORT int xendevicemodel_set_mem_type(xendevicemodel_handle *dmod,
						 domid_t domid, hvmmem_type_t mem_type,
						 uint64_t first_pfn, uint32_t nr)
{
	static const char name[] = "set_mem_type";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if ((unsigned int)mem_type > UINT16_MAX)
		return xs_dm_einval(dmod, name, domid, "memory type %u out of range",
				    (unsigned int)mem_type);
	if (range_overflows(first_pfn, nr))
		return xs_dm_einval(dmod, name, domid, "frames 0x%llx + %u overflow",
				    (unsigned long long)first_pfn, nr);
	op_init(&op, XEN_DMOP_set_mem_type);
	op.u.set_mem_type.mem_type = (uint16_t)mem_type;
	op.u.set_mem_type.first_pfn = first_pfn;
	op.u.set_mem_type.nr = nr;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_relocate_memory(xendevicemodel_handle *dmod,
						    domid_t domid, uint32_t size,
						    uint64_t src_gfn, uint64_t dst_gfn)
{
	static const char name[] = "relocate_memory";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (range_overflows(src_gfn, size) || range_overflows(dst_gfn, size))
		return xs_dm_einval(dmod, name, domid,
				    "%u frames from 0x%llx to 0x%llx overflow", size,
				    (unsigned long long)src_gfn, (unsigned long long)dst_gfn);
	op_init(&op, XEN_DMOP_relocate_memory);
	op.u.relocate_memory.size = size;
	op.u.relocate_memory.src_gfn = src_gfn;
	op.u.relocate_memory.dst_gfn = dst_gfn;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_pin_memory_cacheattr(xendevicemodel_handle *dmod,
							 domid_t domid, uint64_t start,
							 uint64_t end, uint32_t type)
{
	static const char name[] = "pin_memory_cacheattr";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (end < start)
		return xs_dm_einval(dmod, name, domid, "end 0x%llx below start 0x%llx",
				    (unsigned long long)end, (unsigned long long)start);
	switch (type) {
	case XEN_DMOP_MEM_CACHEATTR_UC:
	case XEN_DMOP_MEM_CACHEATTR_WC:
	case XEN_DMOP_MEM_CACHEATTR_WT:
	case XEN_DMOP_MEM_CACHEATTR_WP:
	case XEN_DMOP_MEM_CACHEATTR_WB:
	case XEN_DMOP_MEM_CACHEATTR_UCM:
	case XEN_DMOP_DELETE_MEM_CACHEATTR:
		break;
	default:
		return xs_dm_einval(dmod, name, domid, "unknown cache attribute %u", type);
	}
	op_init(&op, XEN_DMOP_pin_memory_cacheattr);
	op.u.pin_memory_cacheattr.start = start;
	op.u.pin_memory_cacheattr.end = end;
	op.u.pin_memory_cacheattr.type = type;
	return call_op(dmod, name, domid, &op);
}

/* ---- vCPUs and the domain ------------------------------------------------------- */

XENSTABLE_EXPORT int xendevicemodel_inject_event(xendevicemodel_handle *dmod,
						 domid_t domid, int vcpu, uint8_t vector,
						 uint8_t type, uint32_t error_code,
						 uint8_t insn_len, uint64_t extra)
{
	static const char name[] = "inject_event";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (vcpu < 0)
		return xs_dm_einval(dmod, name, domid, "vCPU %d is negative", vcpu);
	switch (type) {
	case XEN_DMOP_EVENT_ext_int:
	case XEN_DMOP_EVENT_nmi:
	case XEN_DMOP_EVENT_hw_exc:
	case XEN_DMOP_EVENT_sw_int:
	case XEN_DMOP_EVENT_pri_sw_exc:
	case XEN_DMOP_EVENT_sw_exc:
		break;
	default:
		return xs_dm_einval(dmod, name, domid, "unknown event type %u",
				    (unsigned int)type);
	}
	if (insn_len > 15)
		return xs_dm_einval(dmod, name, domid,
				    "instruction length %u out of range (0-15)",
				    (unsigned int)insn_len);
	op_init(&op, XEN_DMOP_inject_event);
	op.u.inject_event.vcpuid = (uint32_t)vcpu;
	op.u.inject_event.vector = vector;
	op.u.inject_event.type = type;
	op.u.inject_event.error_code = error_code;
	op.u.inject_event.insn_len = insn_len;
	op.u.inject_event.cr2 = extra;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_shutdown(xendevicemodel_handle *dmod, domid_t domid,
					     unsigned int reason)
{
	static const char name[] = "shutdown";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (reason > SHUTDOWN_MAX)
		return xs_dm_einval(dmod, name, domid, "unknown shutdown reason %u", reason);
	op_init(&op, XEN_DMOP_remote_shutdown);
	op.u.remote_shutdown.reason = reason;
	return call_op(dmod, name, domid, &op);
}

XENSTABLE_EXPORT int xendevicemodel_nr_vcpus(xendevicemodel_handle *dmod, domid_t domid,
					     unsigned int *vcpus)
{
	static const char name[] = "nr_vcpus";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid))
		return -1;
	if (!vcpus)
		return xs_dm_einval(dmod, name, domid, "vcpus is NULL");
	op_init(&op, XEN_DMOP_nr_vcpus);
	if (call_op(dmod, name, domid, &op))
		return -1;
	*vcpus = op.u.nr_vcpus.vcpus;
	return 0;
}

XENSTABLE_EXPORT int xendevicemodel_restrict(xendevicemodel_handle *dmod, domid_t domid)
{
	CHECK_HANDLE(dmod);
	if (check_domid(dmod, "restrict", domid))
		return -1;
	return xs_dm_os_restrict(dmod, domid);
}

/* ---- xenstable extensions ------------------------------------------------------ */

static int check_eventfd(const xendevicemodel_handle *h, const char *name, domid_t domid,
			 int eventfd)
{
	if (eventfd < 0)
		return xs_dm_einval(h, name, domid, "eventfd %d is not a descriptor",
				    eventfd);
	return 0;
}

XENSTABLE_EXPORT int xendevicemodel_irqfd_assign(xendevicemodel_handle *dmod,
						 domid_t domid, int eventfd, uint32_t irq,
						 unsigned int level)
{
	static const char name[] = "irqfd_assign";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_eventfd(dmod, name, domid, eventfd) ||
	    check_level(dmod, name, domid, level))
		return -1;
	/* The kernel copies the op at assign time and replays it per signal. */
	op_init(&op, XEN_DMOP_set_irq_level);
	op.u.set_irq_level.irq = irq;
	op.u.set_irq_level.level = (uint8_t)level;
	return xs_dm_os_irqfd(dmod, name, domid, eventfd, &op, false);
}

XENSTABLE_EXPORT int xendevicemodel_irqfd_assign_msi(xendevicemodel_handle *dmod,
						     domid_t domid, int eventfd,
						     uint64_t msi_addr, uint32_t msi_data)
{
	static const char name[] = "irqfd_assign_msi";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_eventfd(dmod, name, domid, eventfd))
		return -1;
	op_init(&op, XEN_DMOP_inject_msi);
	op.u.inject_msi.addr = msi_addr;
	op.u.inject_msi.data = msi_data;
	return xs_dm_os_irqfd(dmod, name, domid, eventfd, &op, false);
}

XENSTABLE_EXPORT int xendevicemodel_irqfd_deassign(xendevicemodel_handle *dmod,
						   domid_t domid, int eventfd)
{
	static const char name[] = "irqfd_deassign";
	struct xen_dm_op op;

	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_eventfd(dmod, name, domid, eventfd))
		return -1;
	/* The kernel matches by eventfd; the op only has to be well formed. */
	op_init(&op, XEN_DMOP_set_irq_level);
	return xs_dm_os_irqfd(dmod, name, domid, eventfd, &op, true);
}

/* virtio-mmio's QueueNotify register offset (the kernel matches base + this). */
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x50

static int ioeventfd(xendevicemodel_handle *dmod, const char *name, domid_t domid,
		     void *ioreq_page, const evtchn_port_t *ports, unsigned int nr_vcpus,
		     uint64_t addr, unsigned int addr_len, unsigned int vq, int eventfd,
		     bool deassign)
{
	CHECK_HANDLE(dmod);
	if (check_domid(dmod, name, domid) || check_eventfd(dmod, name, domid, eventfd))
		return -1;
	if (!ioreq_page || ((uintptr_t)ioreq_page & (XEN_PAGE_SIZE - 1)))
		return xs_dm_einval(dmod, name, domid,
				    "ioreq page %p is not a page-aligned mapping", ioreq_page);
	if (!ports)
		return xs_dm_einval(dmod, name, domid, "ports is NULL");
	if (nr_vcpus < 1 || nr_vcpus > 4096)
		return xs_dm_einval(dmod, name, domid, "%u vCPUs out of range (1-4096)",
				    nr_vcpus);
	if (addr_len != 1 && addr_len != 2 && addr_len != 4 && addr_len != 8)
		return xs_dm_einval(dmod, name, domid,
				    "doorbell size %u is not 1, 2, 4 or 8", addr_len);
	if (vq > 0xffff)
		return xs_dm_einval(dmod, name, domid, "virtqueue %u out of range (0-65535)",
				    vq);
	if (addr > UINT64_MAX - VIRTIO_MMIO_QUEUE_NOTIFY - addr_len)
		return xs_dm_einval(dmod, name, domid, "doorbell address 0x%llx overflows",
				    (unsigned long long)addr);
	return xs_dm_os_ioeventfd(dmod, name, domid, ioreq_page, ports, nr_vcpus, addr,
				  addr_len, vq, eventfd, deassign);
}

XENSTABLE_EXPORT int xendevicemodel_ioeventfd_assign(
	xendevicemodel_handle *dmod, domid_t domid, void *ioreq_page,
	const evtchn_port_t *ports, unsigned int nr_vcpus, uint64_t addr,
	unsigned int addr_len, unsigned int vq, int eventfd)
{
	return ioeventfd(dmod, "ioeventfd_assign", domid, ioreq_page, ports, nr_vcpus, addr,
			 addr_len, vq, eventfd, false);
}

XENSTABLE_EXPORT int xendevicemodel_ioeventfd_deassign(
	xendevicemodel_handle *dmod, domid_t domid, void *ioreq_page,
	const evtchn_port_t *ports, unsigned int nr_vcpus, uint64_t addr,
	unsigned int addr_len, unsigned int vq, int eventfd)
{
	return ioeventfd(dmod, "ioeventfd_deassign", domid, ioreq_page, ports, nr_vcpus,
			 addr, addr_len, vq, eventfd, true);
}

XENSTABLE_EXPORT int xendevicemodel_pcidev_get_gsi(xendevicemodel_handle *dmod,
						   uint16_t segment, uint8_t bus,
						   uint8_t device, uint8_t function,
						   uint32_t *gsi)
{
	static const char name[] = "pcidev_get_gsi";

	CHECK_HANDLE(dmod);
	/* No guest here: logged as domain 0 (the host). */
	if (check_devfn(dmod, name, 0, device, function))
		return -1;
	if (!gsi)
		return xs_dm_einval(dmod, name, 0, "gsi is NULL");
	return xs_dm_os_pcidev_get_gsi(dmod,
				       XEN_DMOP_PCI_SBDF((uint32_t)segment, (uint32_t)bus,
							 (uint32_t)device,
							 (uint32_t)function),
				       gsi);
}
