/* SPDX-License-Identifier: MIT */
/*
 * xen/grant_table.h - grant tables (__HYPERVISOR_grant_table_op).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface): grant references,
 * the version 1 grant entry and its flags, the sub-op numbers, the argument
 * structures for map/unmap/setup/copy/query, GNTMAP_* and GNTST_*. The
 * version 2 table layout is not provided.
 *
 * A domain grants another domain access to one of its pages by filling a
 * grant entry in its own grant table; the other domain names the page by
 * (granting domid, grant reference) when mapping or copying it.
 */
#ifndef __XEN_PUBLIC_GRANT_TABLE_H__
#define __XEN_PUBLIC_GRANT_TABLE_H__

#include "xen.h"

#ifndef __ASSEMBLY__

/* Index of an entry in a domain's grant table. */
typedef uint32_t grant_ref_t;

#if __XEN_INTERFACE_VERSION__ < 0x0003020a
/* Before version 2 tables existed, the v1 entry had the generic name. */
#define grant_entry_v1	 grant_entry
#define grant_entry_v1_t grant_entry_t
#endif

/* A version 1 grant table entry (8 bytes). */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid;	/* the domain being granted access */
	uint32_t frame; /* the granted frame, or the transferred one */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

#endif /* !__ASSEMBLY__ */

/* The first entries of every table are reserved for the toolstack. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE	   0
#define GNTTAB_RESERVED_XENSTORE   1

/* Entry type, in the low two bits of flags. */
#define GTF_invalid	    (0U << 0) /* no access granted */
#define GTF_permit_access   (1U << 0) /* domid may map or copy frame */
#define GTF_accept_transfer (2U << 0) /* domid may transfer a page here */
#define GTF_transitive	    (3U << 0) /* (v2 only) regrant of another grant */
#define GTF_type_mask	    (3U << 0)

/* Flags of a GTF_permit_access entry. */
#define _GTF_readonly (2)
#define GTF_readonly  (1U << _GTF_readonly) /* no writable mappings */
#define _GTF_reading  (3)
#define GTF_reading   (1U << _GTF_reading) /* set by Xen while mapped/read */
#define _GTF_writing  (4)
#define GTF_writing   (1U << _GTF_writing) /* set by Xen while mapped writable */
#define _GTF_PWT      (5)
#define GTF_PWT	      (1U << _GTF_PWT) /* cache attribute bits (x86) */
#define _GTF_PCD      (6)
#define GTF_PCD	      (1U << _GTF_PCD)
#define _GTF_PAT      (7)
#define GTF_PAT	      (1U << _GTF_PAT)
#define _GTF_sub_page (8)
#define GTF_sub_page  (1U << _GTF_sub_page) /* (v2 only) part of a page */

/* Flags of a GTF_accept_transfer entry. */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed	(1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed	(1U << _GTF_transfer_completed)

/* Sub-ops of __HYPERVISOR_grant_table_op(cmd, args, count). */
#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_dump_table	   3
#define GNTTABOP_transfer	   4
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_unmap_and_replace 7
#if __XEN_INTERFACE_VERSION__ >= 0x0003020a
#define GNTTABOP_set_version	   8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version	   10
#define GNTTABOP_swap_grant_ref	   11
#define GNTTABOP_cache_flush	   12
#endif

#ifndef __ASSEMBLY__

/* Handle of a grant mapping, returned by GNTTABOP_map_grant_ref. */
typedef uint32_t grant_handle_t;

/*
 * GNTTABOP_map_grant_ref: map grant <ref> of domain <dom> at host_addr
 * and/or for device access (GNTMAP_* in flags). OUT: status (GNTST_*),
 * handle, dev_bus_addr.
 */
struct gnttab_map_grant_ref {
	uint64_t host_addr;
	uint32_t flags;
	grant_ref_t ref;
	domid_t dom;
	int16_t status;
	grant_handle_t handle;
	uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/* GNTTABOP_unmap_grant_ref: undo a mapping by its handle. OUT: status. */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/*
 * GNTTABOP_setup_table: size domain <dom>'s table to nr_frames frames and
 * list them in frame_list. OUT: status.
 */
struct gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;
#if __XEN_INTERFACE_VERSION__ < 0x00040300
	XEN_GUEST_HANDLE(ulong) frame_list;
#else
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
#endif
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* Bits of gnttab_copy.flags: which side is named by a grant reference. */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

/*
 * GNTTABOP_copy: copy len bytes between two (frame or grant, offset) pairs
 * without mapping them; neither side may cross a page. OUT: status.
 */
struct gnttab_copy {
	struct gnttab_copy_ptr {
		union {
			grant_ref_t ref; /* with GNTCOPY_*_gref */
			xen_pfn_t gmfn;	 /* otherwise, the caller's frame */
		} u;
		domid_t domid;
		uint16_t offset;
	} source, dest;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_* */
	int16_t status;
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/*
 * GNTTABOP_query_size: current and maximum table size of domain <dom>, in
 * frames. OUT: nr_frames, max_nr_frames, status.
 */
struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

#endif /* !__ASSEMBLY__ */

/* Flags of GNTTABOP_map_grant_ref. */
#define _GNTMAP_device_map	(0)
#define GNTMAP_device_map	(1 << _GNTMAP_device_map) /* for DMA */
#define _GNTMAP_host_map	(1)
#define GNTMAP_host_map		(1 << _GNTMAP_host_map) /* for CPU access */
#define _GNTMAP_readonly	(2)
#define GNTMAP_readonly		(1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map	(1 << _GNTMAP_application_map) /* user mode */
#define _GNTMAP_contains_pte	(4)
#define GNTMAP_contains_pte	(1 << _GNTMAP_contains_pte) /* host_addr is a PTE */
/* Bits 16 and up are left to the guest. */
#define _GNTMAP_guest_avail0	(16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Grant operation status codes (the status fields above). */
#define GNTST_okay		(0)
#define GNTST_general_error	(-1)
#define GNTST_bad_domain	(-2)
#define GNTST_bad_gntref	(-3)
#define GNTST_bad_handle	(-4)
#define GNTST_bad_virt_addr	(-5)
#define GNTST_bad_dev_addr	(-6)
#define GNTST_no_device_space	(-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page		(-9)
#define GNTST_bad_copy_arg	(-10)
#define GNTST_address_too_big	(-11)
#define GNTST_eagain		(-12)
#define GNTST_no_space		(-13)

#endif /* __XEN_PUBLIC_GRANT_TABLE_H__ */
