/* SPDX-License-Identifier: MIT */
/*
 * xen/hvm/dm_op.h - device model hypercall (__HYPERVISOR_dm_op).
 *
 * Clean-room rendering of Xen's public ABI (4.17 interface). This is a
 * stable interface, usable without __XEN_TOOLS__:
 *
 *     HYPERVISOR_dm_op(domid_t domid, unsigned int nr_bufs,
 *                      xen_dm_op_buf_t bufs[]);
 *
 * bufs[0] holds a struct xen_dm_op naming the operation; some operations
 * read or write further buffers (bufs[1] ...). Every structure below has
 * the same layout on x86 (32/64-bit) and Arm (32/64-bit); padding fields
 * must be zero.
 */
#ifndef __XEN_PUBLIC_HVM_DM_OP_H__
#define __XEN_PUBLIC_HVM_DM_OP_H__

#include "../xen.h"
#include "../event_channel.h"

#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif

/*
 * IOREQ servers. An ioreq server is an emulator registered with Xen to
 * receive the guest's accesses to the I/O port ranges, MMIO ranges and
 * PCI devices it claims; they arrive as struct ioreq (xen/hvm/ioreq.h) in
 * shared pages, announced through event channels.
 */
typedef uint16_t ioservid_t;

/*
 * XEN_DMOP_create_ioreq_server: create a server, initially disabled.
 * handle_bufioreq is HVM_IOREQSRV_BUFIOREQ_*. OUT: id.
 */
#define XEN_DMOP_create_ioreq_server 1

struct xen_dm_op_create_ioreq_server {
	uint8_t handle_bufioreq; /* IN */
	uint8_t pad[3];
	ioservid_t id; /* OUT */
};
typedef struct xen_dm_op_create_ioreq_server xen_dm_op_create_ioreq_server_t;

/*
 * XEN_DMOP_get_ioreq_server_info: the event channel of the buffered ring
 * and, unless XEN_DMOP_no_gfns is set in flags, the guest frames of the
 * ioreq pages (mapping them with XENMEM_acquire_resource is preferred).
 */
#define XEN_DMOP_get_ioreq_server_info 2

struct xen_dm_op_get_ioreq_server_info {
	ioservid_t id;	/* IN */
	uint16_t flags; /* IN */
#define _XEN_DMOP_no_gfns 0
#define XEN_DMOP_no_gfns  (1u << _XEN_DMOP_no_gfns)
	evtchn_port_t bufioreq_port;   /* OUT */
	uint64_aligned_t ioreq_gfn;    /* OUT */
	uint64_aligned_t bufioreq_gfn; /* OUT */
};
typedef struct xen_dm_op_get_ioreq_server_info xen_dm_op_get_ioreq_server_info_t;

/*
 * XEN_DMOP_map_io_range_to_ioreq_server / ..._unmap_...: claim or release
 * the inclusive range [start, end] of I/O ports, guest physical memory or
 * PCI config spaces (XEN_DMOP_PCI_SBDF values).
 */
#define XEN_DMOP_map_io_range_to_ioreq_server	  3
#define XEN_DMOP_unmap_io_range_from_ioreq_server 4

struct xen_dm_op_ioreq_server_range {
	ioservid_t id;
	uint16_t pad;
	uint32_t type;
#define XEN_DMOP_IO_RANGE_PORT	 0
#define XEN_DMOP_IO_RANGE_MEMORY 1
#define XEN_DMOP_IO_RANGE_PCI	 2
	uint64_aligned_t start;
	uint64_aligned_t end;
};
typedef struct xen_dm_op_ioreq_server_range xen_dm_op_ioreq_server_range_t;

/* PCI segment/bus/device/function as one 32-bit value. */
#define XEN_DMOP_PCI_SBDF(s, b, d, f)                                                    \
	((((s)&0xffff) << 16) | (((b)&0xff) << 8) | (((d)&0x1f) << 3) | ((f)&0x07))

/* XEN_DMOP_set_ioreq_server_state: enable (1) or disable (0) a server. */
#define XEN_DMOP_set_ioreq_server_state 5

struct xen_dm_op_set_ioreq_server_state {
	ioservid_t id;
	uint8_t enabled;
	uint8_t pad;
};
typedef struct xen_dm_op_set_ioreq_server_state xen_dm_op_set_ioreq_server_state_t;

/* XEN_DMOP_destroy_ioreq_server. */
#define XEN_DMOP_destroy_ioreq_server 6

struct xen_dm_op_destroy_ioreq_server {
	ioservid_t id;
	uint16_t pad;
};
typedef struct xen_dm_op_destroy_ioreq_server xen_dm_op_destroy_ioreq_server_t;

/*
 * XEN_DMOP_track_dirty_vram: fetch and clear the dirty bits of nr frames
 * from first_pfn; bufs[1] receives the bitmap (one bit per frame).
 */
#define XEN_DMOP_track_dirty_vram 7

struct xen_dm_op_track_dirty_vram {
	uint32_t nr;
	uint32_t pad;
	uint64_aligned_t first_pfn;
};
typedef struct xen_dm_op_track_dirty_vram xen_dm_op_track_dirty_vram_t;

/* XEN_DMOP_set_pci_intx_level: drive INTx line <intx> of a PCI device. */
#define XEN_DMOP_set_pci_intx_level 8

struct xen_dm_op_set_pci_intx_level {
	uint16_t domain; /* PCI segment */
	uint8_t bus;
	uint8_t device;
	uint8_t intx; /* 0 = INTA ... 3 = INTD */
	uint8_t level;
};
typedef struct xen_dm_op_set_pci_intx_level xen_dm_op_set_pci_intx_level_t;

/* XEN_DMOP_set_isa_irq_level: drive ISA IRQ line <isa_irq>. */
#define XEN_DMOP_set_isa_irq_level 9

struct xen_dm_op_set_isa_irq_level {
	uint8_t isa_irq;
	uint8_t level;
};
typedef struct xen_dm_op_set_isa_irq_level xen_dm_op_set_isa_irq_level_t;

/* XEN_DMOP_set_pci_link_route: route PCI link <link> to <isa_irq> (0: none). */
#define XEN_DMOP_set_pci_link_route 10

struct xen_dm_op_set_pci_link_route {
	uint8_t link;
	uint8_t isa_irq;
};
typedef struct xen_dm_op_set_pci_link_route xen_dm_op_set_pci_link_route_t;

/*
 * XEN_DMOP_modified_memory: mark frames dirty that the device model wrote.
 * bufs[1] holds nr_extents struct xen_dm_op_modified_memory_extent.
 * On return nr_extents is the index of the failing extent plus one (or 0);
 * opaque is Xen's continuation state and must be 0 on the first call.
 */
#define XEN_DMOP_modified_memory 11

struct xen_dm_op_modified_memory {
	uint32_t nr_extents;
	uint32_t opaque;
};
typedef struct xen_dm_op_modified_memory xen_dm_op_modified_memory_t;

struct xen_dm_op_modified_memory_extent {
	uint32_t nr;
	uint32_t pad;
	uint64_aligned_t first_pfn;
};

/* XEN_DMOP_set_mem_type: give nr frames from first_pfn an hvmmem_type_t. */
#define XEN_DMOP_set_mem_type 12

struct xen_dm_op_set_mem_type {
	uint32_t nr;
	uint16_t mem_type; /* hvmmem_type_t */
	uint16_t pad;
	uint64_aligned_t first_pfn;
};
typedef struct xen_dm_op_set_mem_type xen_dm_op_set_mem_type_t;

/*
 * XEN_DMOP_inject_event: inject an interrupt or exception into <vcpuid>
 * (x86). error_code is ~0u when there is none; cr2 is for page faults.
 */
#define XEN_DMOP_inject_event 13

struct xen_dm_op_inject_event {
	uint32_t vcpuid;
	uint8_t vector;
	uint8_t type;
#define XEN_DMOP_EVENT_ext_int	  0 /* external interrupt */
#define XEN_DMOP_EVENT_nmi	  2 /* NMI */
#define XEN_DMOP_EVENT_hw_exc	  3 /* hardware exception */
#define XEN_DMOP_EVENT_sw_int	  4 /* software interrupt (INT n) */
#define XEN_DMOP_EVENT_pri_sw_exc 5 /* ICEBP (INT1) */
#define XEN_DMOP_EVENT_sw_exc	  6 /* INT3, INTO */
	uint8_t insn_len;	    /* for the software kinds */
	uint8_t pad0;
	uint32_t error_code;
	uint32_t pad1;
	uint64_aligned_t cr2;
};
typedef struct xen_dm_op_inject_event xen_dm_op_inject_event_t;

/* XEN_DMOP_inject_msi: deliver an MSI with this address and data. */
#define XEN_DMOP_inject_msi 14

struct xen_dm_op_inject_msi {
	uint32_t data;
	uint32_t pad;
	uint64_aligned_t addr;
};
typedef struct xen_dm_op_inject_msi xen_dm_op_inject_msi_t;

/*
 * XEN_DMOP_map_mem_type_to_ioreq_server: send accesses (flags) to pages of
 * hvmmem_type_t <type> (only HVMMEM_ioreq_server) to server <id>; flags 0
 * undoes it. opaque is continuation state and must be 0.
 */
#define XEN_DMOP_map_mem_type_to_ioreq_server 15

struct xen_dm_op_map_mem_type_to_ioreq_server {
	ioservid_t id;
	uint16_t type;
	uint32_t flags;
#define XEN_DMOP_IOREQ_MEM_ACCESS_READ	(1u << 0)
#define XEN_DMOP_IOREQ_MEM_ACCESS_WRITE (1u << 1)
	uint64_t opaque;
};
typedef struct xen_dm_op_map_mem_type_to_ioreq_server
	xen_dm_op_map_mem_type_to_ioreq_server_t;

/* XEN_DMOP_remote_shutdown: shut the domain down for a SHUTDOWN_* reason. */
#define XEN_DMOP_remote_shutdown 16

struct xen_dm_op_remote_shutdown {
	uint32_t reason;
};
typedef struct xen_dm_op_remote_shutdown xen_dm_op_remote_shutdown_t;

/*
 * XEN_DMOP_relocate_memory: move <size> frames from src_gfn to dst_gfn.
 * The fields are continuation state; their values on return are undefined.
 */
#define XEN_DMOP_relocate_memory 17

struct xen_dm_op_relocate_memory {
	uint32_t size;
	uint32_t pad;
	uint64_aligned_t src_gfn;
	uint64_aligned_t dst_gfn;
};
typedef struct xen_dm_op_relocate_memory xen_dm_op_relocate_memory_t;

/*
 * XEN_DMOP_pin_memory_cacheattr: force a cache attribute on the inclusive
 * frame range [start, end], or drop the pinning with
 * XEN_DMOP_DELETE_MEM_CACHEATTR.
 */
#define XEN_DMOP_pin_memory_cacheattr 18

struct xen_dm_op_pin_memory_cacheattr {
	uint64_aligned_t start;
	uint64_aligned_t end;
	uint32_t type;
#define XEN_DMOP_MEM_CACHEATTR_UC     0
#define XEN_DMOP_MEM_CACHEATTR_WC     1
#define XEN_DMOP_MEM_CACHEATTR_WT     4
#define XEN_DMOP_MEM_CACHEATTR_WP     5
#define XEN_DMOP_MEM_CACHEATTR_WB     6
#define XEN_DMOP_MEM_CACHEATTR_UCM    7
#define XEN_DMOP_DELETE_MEM_CACHEATTR (~(uint32_t)0)
	uint32_t pad;
};
typedef struct xen_dm_op_pin_memory_cacheattr xen_dm_op_pin_memory_cacheattr_t;

/* XEN_DMOP_set_irq_level: drive interrupt line <irq> (Arm SPIs). */
#define XEN_DMOP_set_irq_level 19

struct xen_dm_op_set_irq_level {
	uint32_t irq;
	uint8_t level;
	uint8_t pad[3];
};
typedef struct xen_dm_op_set_irq_level xen_dm_op_set_irq_level_t;

/* XEN_DMOP_nr_vcpus: how many vCPUs the domain has. OUT: vcpus. */
#define XEN_DMOP_nr_vcpus 20

struct xen_dm_op_nr_vcpus {
	uint32_t vcpus;
};
typedef struct xen_dm_op_nr_vcpus xen_dm_op_nr_vcpus_t;

/* The request in bufs[0]: op is XEN_DMOP_*, u the matching member. */
struct xen_dm_op {
	uint32_t op;
	uint32_t pad;
	union {
		xen_dm_op_create_ioreq_server_t create_ioreq_server;
		xen_dm_op_get_ioreq_server_info_t get_ioreq_server_info;
		xen_dm_op_ioreq_server_range_t map_io_range_to_ioreq_server;
		xen_dm_op_ioreq_server_range_t unmap_io_range_from_ioreq_server;
		xen_dm_op_set_ioreq_server_state_t set_ioreq_server_state;
		xen_dm_op_destroy_ioreq_server_t destroy_ioreq_server;
		xen_dm_op_track_dirty_vram_t track_dirty_vram;
		xen_dm_op_set_pci_intx_level_t set_pci_intx_level;
		xen_dm_op_set_isa_irq_level_t set_isa_irq_level;
		xen_dm_op_set_pci_link_route_t set_pci_link_route;
		xen_dm_op_modified_memory_t modified_memory;
		xen_dm_op_set_mem_type_t set_mem_type;
		xen_dm_op_inject_event_t inject_event;
		xen_dm_op_inject_msi_t inject_msi;
		xen_dm_op_map_mem_type_to_ioreq_server_t map_mem_type_to_ioreq_server;
		xen_dm_op_remote_shutdown_t remote_shutdown;
		xen_dm_op_relocate_memory_t relocate_memory;
		xen_dm_op_pin_memory_cacheattr_t pin_memory_cacheattr;
		xen_dm_op_set_irq_level_t set_irq_level;
		xen_dm_op_nr_vcpus_t nr_vcpus;
	} u;
};

/* One buffer of the hypercall: guest address and length in bytes. */
struct xen_dm_op_buf {
	XEN_GUEST_HANDLE(void) h;
	xen_ulong_t size;
};
typedef struct xen_dm_op_buf xen_dm_op_buf_t;
DEFINE_XEN_GUEST_HANDLE(xen_dm_op_buf_t);

#endif /* __XEN_PUBLIC_HVM_DM_OP_H__ */
