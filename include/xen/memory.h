/* SPDX-License-Identifier: MIT */
/*
 * xen/memory.h - memory hypercall (__HYPERVISOR_memory_op).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface): the sub-op
 * numbers, reservations, add/remove-to-physmap and resource acquisition
 * (used by privcmd's MMAP_RESOURCE and by device models mapping ioreq
 * pages). The paging, sharing, access and NUMA interfaces are not provided.
 *
 * Calling convention: HYPERVISOR_memory_op(cmd, &arg).
 */
#ifndef __XEN_PUBLIC_MEMORY_H__
#define __XEN_PUBLIC_MEMORY_H__

#include "xen.h"

/* Reservation changes; argument struct xen_memory_reservation. */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap	    6

#ifndef __ASSEMBLY__
/*
 * Give or take nr_extents extents of 2^extent_order frames to/from domain
 * <domid>. extent_start lists the frames (IN for decrease/populate, OUT
 * for increase). The hypercall returns the number of extents done.
 */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	unsigned int extent_order;
#if __XEN_INTERFACE_VERSION__ >= 0x00030209
	unsigned int mem_flags; /* XENMEMF_* (not provided here) */
#else
	unsigned int address_bits;
#endif
	domid_t domid;
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
#endif

/* Other sub-ops (argument structures mostly not provided here). */
#define XENMEM_exchange			11
#define XENMEM_maximum_ram_page		2  /* arg: NULL; returns highest frame */
#define XENMEM_current_reservation	3  /* arg: domid_t *; returns frames */
#define XENMEM_maximum_reservation	4  /* arg: domid_t *; returns frames */
#define XENMEM_maximum_gpfn		14 /* arg: domid_t *; returns highest gfn */
#define XENMEM_machphys_mfn_list	5
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_machphys_mapping		12
#define XENMEM_memory_map		9
#define XENMEM_machine_memory_map	10
#define XENMEM_set_memory_map		13
#define XENMEM_set_pod_target		16
#define XENMEM_get_pod_target		17
#define XENMEM_get_vnumainfo		26

/* Address spaces that XENMEM_add_to_physmap(_batch) takes frames from. */
#define XENMAPSPACE_shared_info	 0 /* the shared_info page */
#define XENMAPSPACE_grant_table	 1 /* grant table frames */
#define XENMAPSPACE_gmfn	 2 /* move a guest frame */
#define XENMAPSPACE_gmfn_range	 3 /* move a range of guest frames */
#define XENMAPSPACE_gmfn_foreign 4 /* map another domain's frame */
#define XENMAPSPACE_dev_mmio	 5 /* device MMIO (Arm hardware domain) */

/*
 * XENMEM_add_to_physmap: make frame <idx> of address space <space> appear
 * at guest frame <gpfn> of domain <domid>.
 */
#define XENMEM_add_to_physmap 7

#ifndef __ASSEMBLY__
struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;	    /* number of frames, for XENMAPSPACE_gmfn_range */
	unsigned int space; /* XENMAPSPACE_* */
/* In idx for XENMAPSPACE_grant_table: pick a status frame (v2 tables). */
#define XENMAPIDX_grant_table_status 0x80000000U
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
#endif

/*
 * XENMEM_add_to_physmap_batch: the same for <size> frames at once, with a
 * per-frame error array. Used to map foreign frames on auto-translated
 * guests.
 */
#define XENMEM_add_to_physmap_batch 23

#ifndef __ASSEMBLY__
struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space; /* XENMAPSPACE_* */
	uint16_t size;
#if __XEN_INTERFACE_VERSION__ < 0x00040700
	domid_t foreign_domid; /* for XENMAPSPACE_gmfn_foreign */
#else
	union xen_add_to_physmap_batch_extra {
		domid_t foreign_domid; /* for XENMAPSPACE_gmfn_foreign */
		uint16_t res0;	       /* 0 for every other space */
	} u;
#endif
	XEN_GUEST_HANDLE(xen_ulong_t) idxs; /* IN: source indices */
	XEN_GUEST_HANDLE(xen_pfn_t) gpfns;  /* IN: destination frames */
	XEN_GUEST_HANDLE(int) errs;	    /* OUT: per-frame result */
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

#if __XEN_INTERFACE_VERSION__ < 0x00040400
/* Original name of the batch operation. */
#define XENMEM_add_to_physmap_range XENMEM_add_to_physmap_batch
#define xen_add_to_physmap_range    xen_add_to_physmap_batch
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_range_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_range_t);
#endif
#endif /* !__ASSEMBLY__ */

/* XENMEM_remove_from_physmap: unmap guest frame <gpfn> of domain <domid>. */
#define XENMEM_remove_from_physmap 15

#ifndef __ASSEMBLY__
struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
#endif

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* Tools-only sub-ops (argument structures not provided here). */
#define XENMEM_get_sharing_freed_pages	  18
#define XENMEM_get_sharing_shared_pages	  19
#define XENMEM_paging_op		  20
#define XENMEM_access_op		  21
#define XENMEM_sharing_op		  22
#define XENMEM_claim_pages		  24
#define XENMEM_reserved_device_memory_map 27
#endif

/*
 * XENMEM_acquire_resource: map frames of a resource that belongs to domain
 * <domid> (ioreq server pages, grant table frames, trace buffers) into the
 * caller's physical address space.
 *
 * nr_frames == 0 with a null frame_list is a size query: Xen returns the
 * resource size in nr_frames. Otherwise frames <frame> ... <frame +
 * nr_frames - 1> are mapped at the caller's frames in frame_list (for an
 * auto-translated caller) or their frame numbers are written there.
 */
#define XENMEM_acquire_resource 28

#ifndef __ASSEMBLY__
struct xen_mem_acquire_resource {
	domid_t domid;
	uint16_t type; /* XENMEM_resource_* */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
	/*
	 * Which instance: the ioreq server id for ioreq_server, the vCPU id
	 * for vmtrace_buf, XENMEM_resource_grant_table_id_* for grant_table.
	 */
	uint32_t id;
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
	uint32_t nr_frames; /* IN: frames wanted; OUT (size query): size */
	uint32_t pad;	    /* must be zero */
	/*
	 * IN: first frame of the resource. For ioreq_server, frame 0 is the
	 * buffered ioreq page and frame 1 + n the n'th synchronous ioreq page.
	 */
	uint64_t frame;
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_MEMORY_H__ */
