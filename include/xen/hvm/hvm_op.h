/* SPDX-License-Identifier: MIT */
/*
 * xen/hvm/hvm_op.h - HVM hypercall (__HYPERVISOR_hvm_op).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface): the sub-op
 * numbers, parameter access, the HVM memory types (hvmmem_type_t, used by
 * XEN_DMOP_set_mem_type) and the buffered-ioreq modes of
 * XEN_DMOP_create_ioreq_server. The altp2m, trace and legacy interrupt
 * interfaces are not provided.
 */
#ifndef __XEN_PUBLIC_HVM_HVM_OP_H__
#define __XEN_PUBLIC_HVM_HVM_OP_H__

#include "../xen.h"
#include "../event_channel.h"

/* HVMOP_set_param / HVMOP_get_param: HVM_PARAM_<index> of domain <domid>. */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
struct xen_hvm_param {
	domid_t domid;
	uint16_t pad;
	uint32_t index;
	uint64_t value;
};
typedef struct xen_hvm_param xen_hvm_param_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_param_t);

/* Flush every vCPU's TLBs; arg must be NULL. */
#define HVMOP_flush_tlbs 5

/*
 * Types of HVM guest memory. Value 3 was "mmio_write_dm" up to interface
 * 0x00040700 and has been an unusable placeholder since.
 */
typedef enum {
	HVMMEM_ram_rw,	/* ordinary RAM */
	HVMMEM_ram_ro,	/* RAM whose writes are dropped */
	HVMMEM_mmio_dm, /* every access goes to the device model */
#if __XEN_INTERFACE_VERSION__ < 0x00040700
	HVMMEM_mmio_write_dm, /* reads from RAM, writes to the device model */
#else
	HVMMEM_unused, /* placeholder; cannot be set any more */
#endif
	HVMMEM_ioreq_server /* claimed by an ioreq server (map_mem_type_...) */
} hvmmem_type_t;

/* A PV driver tells Xen that the page table at <gpa> is being torn down. */
#define HVMOP_pagetable_dying 9
struct xen_hvm_pagetable_dying {
	domid_t domid;
	uint16_t pad[3];
	uint64_t gpa;
};
typedef struct xen_hvm_pagetable_dying xen_hvm_pagetable_dying_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_pagetable_dying_t);

/* Xen's current system time in nanoseconds. */
#define HVMOP_get_time 10
struct xen_hvm_get_time {
	uint64_t now;
};
typedef struct xen_hvm_get_time xen_hvm_get_time_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_time_t);

#define HVMOP_xentrace 11

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* Superseded by XENMEM_access_op. */
#define HVMOP_set_mem_access 12
#define HVMOP_get_mem_access 13
#endif

/* The hvmmem_type_t of frame <pfn> of domain <domid>. OUT: mem_type. */
#define HVMOP_get_mem_type 15
struct xen_hvm_get_mem_type {
	domid_t domid;
	uint16_t mem_type;
	uint16_t pad[2];
	uint64_t pfn;
};
typedef struct xen_hvm_get_mem_type xen_hvm_get_mem_type_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_mem_type_t);

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/*
 * How an ioreq server takes buffered (posted-write) requests; the
 * handle_bufioreq argument of XEN_DMOP_create_ioreq_server.
 */
#define HVM_IOREQSRV_BUFIOREQ_OFF    0 /* no buffered ring */
#define HVM_IOREQSRV_BUFIOREQ_LEGACY 1 /* ring; pointers read separately */
/* Ring whose pointer pair is updated and must be read as one 64-bit word. */
#define HVM_IOREQSRV_BUFIOREQ_ATOMIC 2
#endif

#if defined(__i386__) || defined(__x86_64__)
/* Use x86 vector <vector> for event upcalls to <vcpu>. */
#define HVMOP_set_evtchn_upcall_vector 23
struct xen_hvm_evtchn_upcall_vector {
	uint32_t vcpu;
	uint8_t vector;
};
typedef struct xen_hvm_evtchn_upcall_vector xen_hvm_evtchn_upcall_vector_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_evtchn_upcall_vector_t);
#endif

/* Raise a vm_event on behalf of the guest. */
#define HVMOP_guest_request_vm_event 24

/* Alternate p2m operations (structures not provided here). */
#define HVMOP_altp2m 25

#endif /* __XEN_PUBLIC_HVM_HVM_OP_H__ */
