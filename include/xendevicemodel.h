/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xendevicemodel.h - operations a device model (an ioreq server such as
 * QEMU or a virtio backend) performs on the guest it emulates devices for
 * (libxendevicemodel.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface, plus a few
 * clearly marked extensions (irqfd, ioeventfd, GSI lookup).
 *
 * Every call goes to Xen's dm_op hypercall (__HYPERVISOR_dm_op). On Linux
 * it is made through the privcmd DM_OP ioctl when the kernel has it (Linux
 * 4.11 and later), otherwise as a plain hypercall through libxencall with
 * hypercall-safe bounce buffers. Requests bigger than the DM_OP ioctl
 * accepts (large dirty-VRAM bitmaps, more than 256 modified-memory
 * extents) are split or sent as a hypercall instead of failing with E2BIG.
 *
 * Conventions for every function below unless it says otherwise:
 *  - Returns 0 on success, -1 with errno set on failure. On failure no OUT
 *    parameter is written.
 *  - A NULL handle fails with EINVAL. Arguments are checked before any
 *    call is made: a bad argument fails with EINVAL and one log line
 *    through the handle's logger naming the operation and the domain.
 *  - errno otherwise is Xen's (which on Linux are the Linux numbers) or the
 *    kernel's: ESRCH (no such domain), EINVAL (not an HVM/PVH domain, bad
 *    value), EPERM (not allowed, or the handle is restricted to another
 *    domain or was neutered by xentoolcore_restrict_all()), ENOENT (no
 *    such ioreq server), EOPNOTSUPP (the operation does not exist on this
 *    architecture or Xen), EFAULT, ENOMEM.
 *  - Thread safety: a handle may be used from several threads at once.
 *  - Fork: a child must not use a handle inherited from its parent; the
 *    only call allowed on it is xendevicemodel_close(). exec reclaims
 *    everything (all descriptors are close-on-exec).
 *
 * Ranges given as (start, end) are inclusive at both ends.
 *
 * 32-bit programs: the Linux Xen drivers have no 32-bit compat ioctls, so
 * in a 32-bit process on a 64-bit kernel every call that needs an ioctl
 * fails with ENOTTY (also where a kernel without the feature would give
 * EOPNOTSUPP). The handle warns once at open, and each failure's log line
 * names the device, the ioctl and that reason. Use a 64-bit build (a
 * 32-bit build works on a 32-bit kernel).
 */
#ifndef XENDEVICEMODEL_H
#define XENDEVICEMODEL_H

#include <stdint.h>

#include <xen/xen.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>

/*
 * The buffered-ioreq modes of xendevicemodel_create_ioreq_server(). Xen's
 * hvm_op.h only provides them to tools builds; they are part of the stable
 * dm_op ABI, so they are given here for everybody.
 */
#ifndef HVM_IOREQSRV_BUFIOREQ_OFF
#define HVM_IOREQSRV_BUFIOREQ_OFF 0
#endif
#ifndef HVM_IOREQSRV_BUFIOREQ_LEGACY
#define HVM_IOREQSRV_BUFIOREQ_LEGACY 1
#endif
#ifndef HVM_IOREQSRV_BUFIOREQ_ATOMIC
#define HVM_IOREQSRV_BUFIOREQ_ATOMIC 2
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Callers that do not use logging need not include xentoollog.h. */
struct xentoollog_logger;

typedef struct xendevicemodel_handle xendevicemodel_handle;

/**
 * xendevicemodel_open() - open a device-model handle.
 * @logger: where errors are logged; NULL for a default logger writing
 *          XTL_PROGRESS and above to stderr.
 * @open_flags: reserved; pass 0 (other values are ignored, as upstream).
 *
 * Opens the privcmd driver, checks whether it has the DM_OP ioctl and
 * opens an internal libxencall handle for the hypercall transport. The
 * handle is registered with libxentoolcore, so xentoolcore_restrict_all()
 * restricts it.
 *
 * Returns: the handle, or NULL with errno set (ENOENT: not running on Xen;
 * EACCES: no permission; ENOMEM). The failure is logged.
 * Since: 1.0
 */
xendevicemodel_handle *xendevicemodel_open(struct xentoollog_logger *logger,
					   unsigned int open_flags);

/**
 * xendevicemodel_close() - close a handle and release everything it holds.
 * @dmod: the handle; NULL is accepted and does nothing.
 *
 * The handle is deregistered from libxentoolcore *before* its descriptors
 * are closed, so a concurrent xentoolcore_restrict_all() never touches a
 * closed (or reused) descriptor. irqfds and ioeventfds registered through
 * the handle are released by the kernel when its descriptor is closed.
 * This is the only call allowed on a handle inherited across fork.
 *
 * Returns: 0, or -1 with errno if closing a descriptor failed.
 * Since: 1.0
 */
int xendevicemodel_close(xendevicemodel_handle *dmod);

/* ---- ioreq servers ----------------------------------------------------- */

/**
 * xendevicemodel_create_ioreq_server() - register a new ioreq server.
 * @dmod: handle.
 * @domid: the guest (HVM or PVH) whose I/O the server emulates.
 * @handle_bufioreq: HVM_IOREQSRV_BUFIOREQ_OFF (no buffered ring),
 *                   _LEGACY or _ATOMIC (ring pointers read as one 64-bit
 *                   word); other values fail with EINVAL.
 * @id: OUT, the new server's id.
 *
 * The server starts disabled and claims nothing; see map_io_range,
 * map_pcidev and set_ioreq_server_state. Its pages are best mapped with
 * xenforeignmemory_map_resource(XENMEM_resource_ioreq_server, id):
 * frame 0 is the buffered ring, frame 1 the synchronous ioreq page.
 *
 * Returns: 0 or -1 with errno (EINVAL also for a NULL @id; ENOSPC: too
 * many servers).
 * Since: 1.0
 */
int xendevicemodel_create_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
				       int handle_bufioreq, ioservid_t *id);

/**
 * xendevicemodel_get_ioreq_server_info() - where a server's pages are.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 * @ioreq_gfn: OUT (may be NULL), guest frame of the synchronous ioreq page.
 * @bufioreq_gfn: OUT (may be NULL), guest frame of the buffered ring.
 * @bufioreq_port: OUT (may be NULL), event channel (in the guest) of the
 *                 buffered ring; bind it with xenevtchn_bind_interdomain().
 *
 * If both frame pointers are NULL Xen is told not to place the pages in
 * the guest's physical memory at all (XEN_DMOP_no_gfns), which is what a
 * device model mapping them with xenforeignmemory_map_resource() wants.
 * The frames are meaningful only once the server is enabled.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_get_ioreq_server_info(xendevicemodel_handle *dmod, domid_t domid,
					 ioservid_t id, xen_pfn_t *ioreq_gfn,
					 xen_pfn_t *bufioreq_gfn,
					 evtchn_port_t *bufioreq_port);

/**
 * xendevicemodel_map_io_range_to_ioreq_server() - claim an I/O range.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 * @is_mmio: non-zero for guest-physical memory, 0 for I/O ports.
 * @start: first address of the range.
 * @end: last address of the range (inclusive); @end < @start is EINVAL.
 *
 * A guest access goes to this server only if it lies entirely within one
 * of its ranges.
 *
 * Returns: 0 or -1 with errno (EEXIST: overlaps a range already claimed).
 * Since: 1.0
 */
int xendevicemodel_map_io_range_to_ioreq_server(xendevicemodel_handle *dmod,
						domid_t domid, ioservid_t id,
						int is_mmio, uint64_t start,
						uint64_t end);

/**
 * xendevicemodel_unmap_io_range_from_ioreq_server() - release an I/O range.
 *
 * Arguments as xendevicemodel_map_io_range_to_ioreq_server(); the range
 * must be exactly one mapped earlier (ENOENT otherwise).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_unmap_io_range_from_ioreq_server(xendevicemodel_handle *dmod,
						    domid_t domid, ioservid_t id,
						    int is_mmio, uint64_t start,
						    uint64_t end);

/**
 * xendevicemodel_map_mem_type_to_ioreq_server() - claim accesses to pages
 * of memory type HVMMEM_ioreq_server.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 * @type: must be HVMMEM_ioreq_server (else EINVAL, no call made).
 * @flags: XEN_DMOP_IOREQ_MEM_ACCESS_WRITE to claim writes, 0 to release
 *         the claim; anything else is EINVAL (no call made; Xen does not
 *         support claiming reads).
 *
 * Returns: 0 or -1 with errno (EOPNOTSUPP on x86 without HAP).
 * Since: 1.0
 */
int xendevicemodel_map_mem_type_to_ioreq_server(xendevicemodel_handle *dmod,
						domid_t domid, ioservid_t id,
						uint16_t type, uint32_t flags);

/**
 * xendevicemodel_map_pcidev_to_ioreq_server() - claim the config space of
 * one PCI device.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 * @segment: PCI segment.
 * @bus: PCI bus.
 * @device: PCI device, 0-31 (else EINVAL).
 * @function: PCI function, 0-7 (else EINVAL).
 *
 * Claims the one-device range XEN_DMOP_PCI_SBDF(segment, bus, device,
 * function) of type XEN_DMOP_IO_RANGE_PCI.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_map_pcidev_to_ioreq_server(xendevicemodel_handle *dmod,
					      domid_t domid, ioservid_t id,
					      uint16_t segment, uint8_t bus,
					      uint8_t device, uint8_t function);

/**
 * xendevicemodel_unmap_pcidev_from_ioreq_server() - release one PCI device.
 *
 * Arguments and checks as xendevicemodel_map_pcidev_to_ioreq_server().
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_unmap_pcidev_from_ioreq_server(xendevicemodel_handle *dmod,
						  domid_t domid, ioservid_t id,
						  uint16_t segment, uint8_t bus,
						  uint8_t device, uint8_t function);

/**
 * xendevicemodel_destroy_ioreq_server() - destroy a server and release
 * all its ranges.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_destroy_ioreq_server(xendevicemodel_handle *dmod, domid_t domid,
					ioservid_t id);

/**
 * xendevicemodel_set_ioreq_server_state() - enable or disable a server.
 * @dmod: handle.
 * @domid: the guest.
 * @id: the server.
 * @enabled: non-zero to enable; a disabled server receives no requests.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_set_ioreq_server_state(xendevicemodel_handle *dmod, domid_t domid,
					  ioservid_t id, int enabled);

/* ---- interrupts --------------------------------------------------------- */

/**
 * xendevicemodel_set_pci_intx_level() - drive a PCI INTx line (x86).
 * @dmod: handle.
 * @domid: the guest.
 * @segment: PCI segment.
 * @bus: PCI bus.
 * @device: PCI device, 0-31 (else EINVAL).
 * @intx: 0-3 for INTA-INTD (else EINVAL).
 * @level: 1 asserted, 0 deasserted (else EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_set_pci_intx_level(xendevicemodel_handle *dmod, domid_t domid,
				      uint16_t segment, uint8_t bus, uint8_t device,
				      uint8_t intx, unsigned int level);

/**
 * xendevicemodel_set_isa_irq_level() - drive an ISA IRQ line (x86).
 * @dmod: handle.
 * @domid: the guest.
 * @irq: ISA IRQ, 0-15 (else EINVAL).
 * @level: 1 asserted, 0 deasserted (else EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_set_isa_irq_level(xendevicemodel_handle *dmod, domid_t domid,
				     uint8_t irq, unsigned int level);

/**
 * xendevicemodel_set_irq_level() - drive an interrupt line (Arm: an SPI).
 * @dmod: handle.
 * @domid: the guest.
 * @irq: the interrupt number.
 * @level: 1 asserted, 0 deasserted (else EINVAL).
 *
 * Returns: 0 or -1 with errno (EINVAL: not an SPI the guest has;
 * EOPNOTSUPP: Xen on x86).
 * Since: 1.4
 */
int xendevicemodel_set_irq_level(xendevicemodel_handle *dmod, domid_t domid,
				 unsigned int irq, unsigned int level);

/**
 * xendevicemodel_set_pci_link_route() - route a PCI interrupt link (x86).
 * @dmod: handle.
 * @domid: the guest.
 * @link: the link, 0-3 for LNKA-LNKD (else EINVAL).
 * @irq: the ISA IRQ it is routed to, 1-15, or 0 to disconnect it (else
 *       EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_set_pci_link_route(xendevicemodel_handle *dmod, domid_t domid,
				      uint8_t link, uint8_t irq);

/**
 * xendevicemodel_inject_msi() - deliver a message-signalled interrupt.
 * @dmod: handle.
 * @domid: the guest.
 * @msi_addr: the MSI address as the guest programmed it.
 * @msi_data: the MSI data.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_inject_msi(xendevicemodel_handle *dmod, domid_t domid,
			      uint64_t msi_addr, uint32_t msi_data);

/* ---- memory ---------------------------------------------------------------- */

/**
 * xendevicemodel_track_dirty_vram() - fetch and reset the dirty bits of a
 * range of guest frames (typically the VGA frame buffer).
 * @dmod: handle.
 * @domid: the guest.
 * @first_pfn: first guest frame.
 * @nr: number of frames; 0 stops tracking.
 * @dirty_bitmap: OUT, one bit per frame (bit i%8 of byte i/8 for frame
 *                @first_pfn + i); (@nr + 7) / 8 **bytes** are written
 *                despite the type. May be NULL only if @nr is 0.
 *
 * The first call for a range starts tracking and reports every frame
 * dirty. Bitmaps larger than the DM_OP ioctl's default 4096-byte limit
 * (@nr > 32768) work too: they are sent as one dm_op hypercall; a handle
 * that may not use hypercalls (restricted) tries the ioctl whole and, if
 * the kernel refuses it (E2BIG), sends 32768-frame pieces. Xen tracks one
 * range at a time, so pieces report every frame dirty on every call:
 * never fewer frames than were written. @first_pfn + @nr must not
 * overflow (EINVAL). On failure the bitmap contents are unspecified.
 *
 * Returns: 0 or -1 with errno (EOPNOTSUPP: Arm).
 * Since: 1.0
 */
int xendevicemodel_track_dirty_vram(xendevicemodel_handle *dmod, domid_t domid,
				    uint64_t first_pfn, uint32_t nr,
				    unsigned long *dirty_bitmap);

/**
 * xendevicemodel_modified_memory() - tell Xen the device model wrote to
 * guest frames (for log-dirty, e.g. during live migration).
 * @dmod: handle.
 * @domid: the guest.
 * @first_pfn: first frame.
 * @nr: number of frames; @first_pfn + @nr must not overflow (EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_modified_memory(xendevicemodel_handle *dmod, domid_t domid,
				   uint64_t first_pfn, uint32_t nr);

/**
 * xendevicemodel_modified_memory_bulk() - xendevicemodel_modified_memory()
 * for several ranges at once.
 * @dmod: handle.
 * @domid: the guest.
 * @extents: @nr ranges { nr, pad (must be 0, else EINVAL), first_pfn };
 *           read only. May be NULL only if @nr is 0.
 * @nr: number of extents; any number works (more than 256 are sent in
 *      pieces of 256, in order).
 *
 * On failure the extents before the failing one have been marked; which
 * pages of the failing one were is not defined.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.3
 */
int xendevicemodel_modified_memory_bulk(xendevicemodel_handle *dmod, domid_t domid,
					struct xen_dm_op_modified_memory_extent extents[],
					uint32_t nr);

/**
 * xendevicemodel_set_mem_type() - set the HVM memory type of guest frames.
 * @dmod: handle.
 * @domid: the guest.
 * @mem_type: an hvmmem_type_t (HVMMEM_ram_rw, _ram_ro, _mmio_dm,
 *            _ioreq_server); values above 0xffff are EINVAL.
 * @first_pfn: first frame.
 * @nr: number of frames; @first_pfn + @nr must not overflow (EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.0
 */
int xendevicemodel_set_mem_type(xendevicemodel_handle *dmod, domid_t domid,
				hvmmem_type_t mem_type, uint64_t first_pfn,
				uint32_t nr);

/**
 * xendevicemodel_relocate_memory() - move guest frames to other guest
 * frame numbers (like XENMEM_add_to_physmap with XENMAPSPACE_gmfn_range).
 * @dmod: handle.
 * @domid: the guest.
 * @size: number of frames (a count, not bytes).
 * @src_gfn: first frame to move.
 * @dst_gfn: where it goes; neither range may overflow (EINVAL).
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.2
 */
int xendevicemodel_relocate_memory(xendevicemodel_handle *dmod, domid_t domid,
				   uint32_t size, uint64_t src_gfn, uint64_t dst_gfn);

/**
 * xendevicemodel_pin_memory_cacheattr() - pin the cache attribute of a
 * range of guest frames (x86).
 * @dmod: handle.
 * @domid: the guest.
 * @start: first frame.
 * @end: last frame (inclusive); @end < @start is EINVAL.
 * @type: XEN_DMOP_MEM_CACHEATTR_{UC,WC,WT,WP,WB,UCM}, or
 *        XEN_DMOP_DELETE_MEM_CACHEATTR to drop an earlier pinning of
 *        exactly this range; anything else is EINVAL.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.2
 */
int xendevicemodel_pin_memory_cacheattr(xendevicemodel_handle *dmod, domid_t domid,
					uint64_t start, uint64_t end, uint32_t type);

/* ---- vCPUs and the domain --------------------------------------------------- */

/**
 * xendevicemodel_inject_event() - inject an interrupt or exception into a
 * vCPU (x86).
 * @dmod: handle.
 * @domid: the guest.
 * @vcpu: vCPU id (>= 0, else EINVAL).
 * @vector: the vector.
 * @type: XEN_DMOP_EVENT_{ext_int,nmi,hw_exc,sw_int,pri_sw_exc,sw_exc};
 *        anything else is EINVAL.
 * @error_code: the error code, or ~0u for none.
 * @insn_len: instruction length for the software kinds, 0-15 (else EINVAL).
 * @extra: %cr2 for a page fault, the pending debug bits for #DB, else 0.
 *
 * Returns: 0 or -1 with errno (EBUSY: an event is already pending).
 * Since: 1.0
 */
int xendevicemodel_inject_event(xendevicemodel_handle *dmod, domid_t domid, int vcpu,
				uint8_t vector, uint8_t type, uint32_t error_code,
				uint8_t insn_len, uint64_t extra);

/**
 * xendevicemodel_shutdown() - shut the guest down on its behalf.
 * @dmod: handle.
 * @domid: the guest.
 * @reason: SHUTDOWN_poweroff, _reboot, _suspend, _crash, _watchdog or
 *          _soft_reset (xen/sched.h); anything above SHUTDOWN_MAX is
 *          EINVAL.
 *
 * Returns: 0 or -1 with errno.
 * Since: 1.1
 */
int xendevicemodel_shutdown(xendevicemodel_handle *dmod, domid_t domid,
			    unsigned int reason);

/**
 * xendevicemodel_nr_vcpus() - how many vCPUs the guest was created with.
 * @dmod: handle.
 * @domid: the guest.
 * @vcpus: OUT, the number (valid vCPU ids are 0 .. *@vcpus - 1).
 *
 * Returns: 0 or -1 with errno (EINVAL also for a NULL @vcpus).
 * Since: 1.4
 */
int xendevicemodel_nr_vcpus(xendevicemodel_handle *dmod, domid_t domid,
			    unsigned int *vcpus);

/**
 * xendevicemodel_restrict() - restrict the handle to one guest.
 * @dmod: handle.
 * @domid: the only domain the handle may act on afterwards.
 *
 * One way: afterwards every operation on another domain fails with EPERM,
 * and restricting again to another domain fails with EINVAL (to the same
 * one it succeeds). Deprivileged device models usually restrict every
 * handle at once with xentoolcore_restrict_all(); where the kernel cannot
 * restrict, that call fails (EOPNOTSUPP) and leaves this handle neutered:
 * every later operation fails with EPERM. (Upstream reports success there
 * and the handle silently stops working.) A privcmd device the kernel
 * restricted by itself (a domU kernel with XSA-482) is detected at open.
 *
 * Returns: 0, or -1 with errno: EOPNOTSUPP if the kernel cannot restrict
 * (no DM_OP/RESTRICT ioctl; the handle is left as it was, never silently
 * unrestricted), EINVAL (already restricted to another domain).
 * Since: 1.0
 */
int xendevicemodel_restrict(xendevicemodel_handle *dmod, domid_t domid);

/* ======================================================================
 * xenstable extension (version node XENSTABLE_1.0)
 *
 * These functions do not exist in upstream's libxendevicemodel; a binary
 * using them fails to load, with a clear message, on upstream's library.
 * They wrap Linux privcmd ioctls that virtio backends otherwise open-code.
 * ====================================================================== */

/**
 * xendevicemodel_irqfd_assign() - raise a guest interrupt line whenever
 * an eventfd is signalled, without a round trip through the device model.
 * @dmod: handle.
 * @domid: the guest.
 * @eventfd: an eventfd(2) descriptor (e.g. a vhost-user call fd).
 * @irq: the interrupt line (as for xendevicemodel_set_irq_level()).
 * @level: the level set on each signal, 0 or 1 (else EINVAL); a virtio
 *         backend passes 1.
 *
 * Each time @eventfd is signalled (a write(2) of a non-zero count), the
 * kernel issues XEN_DMOP_set_irq_level(@irq, @level) for @domid; a count
 * already pending is delivered at once. The registration lasts until
 * xendevicemodel_irqfd_deassign(), until @eventfd is closed everywhere,
 * or until the handle is closed. Works with both the Linux 6.6 and the
 * Linux 6.7+ ioctl ABIs.
 *
 * Returns: 0 or -1 with errno: EOPNOTSUPP (the kernel has no privcmd
 * irqfd support: Linux < 6.6 or without CONFIG_XEN_PRIVCMD_EVENTFD),
 * EBUSY (@eventfd already registered), EBADF (@eventfd is not open),
 * EINVAL (@eventfd is not an eventfd, or a bad argument, logged), EPERM
 * (restricted to another domain).
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_irqfd_assign(xendevicemodel_handle *dmod, domid_t domid,
				int eventfd, uint32_t irq, unsigned int level);

/**
 * xendevicemodel_irqfd_assign_msi() - inject an MSI whenever an eventfd is
 * signalled (x86 virtio-pci backends).
 * @dmod: handle.
 * @domid: the guest.
 * @eventfd: an eventfd(2) descriptor.
 * @msi_addr: the MSI address.
 * @msi_data: the MSI data.
 *
 * As xendevicemodel_irqfd_assign(), with XEN_DMOP_inject_msi(@msi_addr,
 * @msi_data) issued on each signal. To change the message, deassign and
 * assign again.
 *
 * Returns: 0 or -1 with errno, as xendevicemodel_irqfd_assign().
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_irqfd_assign_msi(xendevicemodel_handle *dmod, domid_t domid,
				    int eventfd, uint64_t msi_addr, uint32_t msi_data);

/**
 * xendevicemodel_irqfd_deassign() - end an irqfd registration.
 * @dmod: handle.
 * @domid: the guest given at assign time.
 * @eventfd: the eventfd given at assign time.
 *
 * When it returns, no more interrupts are raised for @eventfd. As in
 * Linux, deassigning an eventfd that is not registered succeeds.
 *
 * Returns: 0 or -1 with errno: EOPNOTSUPP, EBADF, EINVAL, EPERM.
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_irqfd_deassign(xendevicemodel_handle *dmod, domid_t domid,
				  int eventfd);

/**
 * xendevicemodel_ioeventfd_assign() - let the kernel complete a virtio-mmio
 * queue notification itself and signal an eventfd.
 * @dmod: handle.
 * @domid: the guest.
 * @ioreq_page: the server's synchronous ioreq page(s) as mapped in this
 *              process with xenforeignmemory_map_resource()
 *              (XENMEM_resource_ioreq_server frame 1); page aligned.
 * @ports: @nr_vcpus event-channel ports of this process bound to the
 *         servers' per-vCPU ports (vCPU i's at index i).
 * @nr_vcpus: number of vCPUs, 1-4096 (else EINVAL).
 * @addr: guest-physical base address of the virtio-mmio device; the
 *        doorbell is its QueueNotify register at @addr + 0x50.
 * @addr_len: size in bytes of the guest's doorbell write: 1, 2, 4 or 8
 *            (virtio-mmio uses 4; else EINVAL).
 * @vq: the virtqueue index, 0-65535; only writes whose low 16 data bits
 *      equal it match.
 * @eventfd: the eventfd to signal (e.g. a vhost-user kick fd).
 *
 * A matching write (type MMIO, write, address @addr + 0x50, size
 * @addr_len, (data & 0xffff) == @vq) is completed by the kernel and
 * signals @eventfd; the device model never sees it. Every other request
 * arrives as usual. The registration lasts until
 * xendevicemodel_ioeventfd_deassign() or until the handle is closed.
 *
 * Returns: 0 or -1 with errno: EOPNOTSUPP (no privcmd ioeventfd support:
 * Linux < 6.7 or without CONFIG_XEN_PRIVCMD_EVENTFD), EBUSY (@eventfd
 * already registered), EINVAL (bad argument, logged; or @eventfd is not an
 * eventfd, or @ioreq_page maps the buffered page, or disagrees with an
 * earlier registration about @nr_vcpus), EFAULT (@ioreq_page is not an
 * ioreq-server mapping), EPERM (restricted to another domain).
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_ioeventfd_assign(xendevicemodel_handle *dmod, domid_t domid,
				    void *ioreq_page, const evtchn_port_t *ports,
				    unsigned int nr_vcpus, uint64_t addr,
				    unsigned int addr_len, unsigned int vq, int eventfd);

/**
 * xendevicemodel_ioeventfd_deassign() - end an ioeventfd registration.
 *
 * Arguments as given to xendevicemodel_ioeventfd_assign().
 *
 * Returns: 0 or -1 with errno: ENODEV (not registered), EOPNOTSUPP,
 * EINVAL, EPERM.
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_ioeventfd_deassign(xendevicemodel_handle *dmod, domid_t domid,
				      void *ioreq_page, const evtchn_port_t *ports,
				      unsigned int nr_vcpus, uint64_t addr,
				      unsigned int addr_len, unsigned int vq,
				      int eventfd);

/**
 * xendevicemodel_pcidev_get_gsi() - the GSI a host PCI device's legacy
 * interrupt is wired to, for passing it through from a PVH dom0.
 * @dmod: handle.
 * @segment: PCI segment.
 * @bus: PCI bus.
 * @device: PCI device, 0-31 (else EINVAL).
 * @function: PCI function, 0-7 (else EINVAL).
 * @gsi: OUT, the GSI.
 *
 * A property of the host, not of a guest: restriction does not apply.
 *
 * Returns: 0 or -1 with errno: EOPNOTSUPP (Linux < 6.12, or not x86/ACPI),
 * ENOENT (the device has no legacy interrupt), EINVAL (bad argument or
 * NULL @gsi, logged; older kernels also for unknown devices).
 * Since: XENSTABLE_1.0
 */
int xendevicemodel_pcidev_get_gsi(xendevicemodel_handle *dmod, uint16_t segment,
				  uint8_t bus, uint8_t device, uint8_t function,
				  uint32_t *gsi);

#ifdef __cplusplus
}
#endif

#endif /* XENDEVICEMODEL_H */
