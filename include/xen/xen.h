/* SPDX-License-Identifier: MIT */
/*
 * xen/xen.h - core of the Xen public ABI: hypercall numbers, virtual IRQs,
 * domain ids and the basic handle and integer types.
 *
 * xenstable's clean-room subset of Xen's public headers (4.17 interface):
 * the parts the stable tools libraries, device models and test simulators
 * use. Names, values and layouts follow Xen; text is our own.
 */
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

#include "xen-compat.h"

/* __extension__ silences pedantic warnings on GNU compilers only. */
#if !defined(__ASSEMBLY__) && !defined(__GNUC__) && !defined(__extension__)
#define __extension__
#endif

#if defined(__i386__) || defined(__x86_64__)
#include "arch-x86/xen.h"
#elif defined(__arm__) || defined(__aarch64__)
#include "arch-arm.h"
#else
#error "xen/xen.h: unsupported architecture"
#endif

#ifndef __ASSEMBLY__
/* Handles to the primitive types. */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
#if __XEN_INTERFACE_VERSION__ < 0x00040300
DEFINE_XEN_GUEST_HANDLE(long);
__DEFINE_XEN_GUEST_HANDLE(ulong, unsigned long);
#endif
DEFINE_XEN_GUEST_HANDLE(void);

DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Bound to use for a variable-length array at the end of a structure. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define XEN_FLEX_ARRAY_DIM /* C99 flexible array member */
#elif defined(__GNUC__)
#define XEN_FLEX_ARRAY_DIM 0 /* GNU zero-length array */
#else
#define XEN_FLEX_ARRAY_DIM 1 /* really variable */
#endif

/* Give a bare number an unsigned (long (long)) type. */
#define __xen_mk_uint(x)  x##U
#define __xen_mk_ulong(x) x##UL
#ifndef __xen_mk_ullong
#define __xen_mk_ullong(x) x##ULL
#endif
#define xen_mk_uint(x)	 __xen_mk_uint(x)
#define xen_mk_ulong(x)	 __xen_mk_ulong(x)
#define xen_mk_ullong(x) __xen_mk_ullong(x)
#else /* __ASSEMBLY__ */
/* The assembler does not know C suffixes. */
#define xen_mk_uint(x)	 x
#define xen_mk_ulong(x)	 x
#define xen_mk_ullong(x) x
#endif /* __ASSEMBLY__ */

/*
 * Hypercall numbers. The hypercall is made with this number and up to
 * five (six on Arm) word-sized arguments; the "compat" ones are the
 * original forms of hypercalls that were later replaced.
 */
#define __HYPERVISOR_set_trap_table		   0
#define __HYPERVISOR_mmu_update			   1
#define __HYPERVISOR_set_gdt			   2
#define __HYPERVISOR_stack_switch		   3
#define __HYPERVISOR_set_callbacks		   4
#define __HYPERVISOR_fpu_taskswitch		   5
#define __HYPERVISOR_sched_op_compat		   6
#define __HYPERVISOR_platform_op		   7
#define __HYPERVISOR_set_debugreg		   8
#define __HYPERVISOR_get_debugreg		   9
#define __HYPERVISOR_update_descriptor		   10
#define __HYPERVISOR_memory_op			   12
#define __HYPERVISOR_multicall			   13
#define __HYPERVISOR_update_va_mapping		   14
#define __HYPERVISOR_set_timer_op		   15
#define __HYPERVISOR_event_channel_op_compat	   16
#define __HYPERVISOR_xen_version		   17
#define __HYPERVISOR_console_io			   18
#define __HYPERVISOR_physdev_op_compat		   19
#define __HYPERVISOR_grant_table_op		   20
#define __HYPERVISOR_vm_assist			   21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret			   23
#define __HYPERVISOR_vcpu_op			   24
#define __HYPERVISOR_set_segment_base		   25
#define __HYPERVISOR_mmuext_op			   26
#define __HYPERVISOR_xsm_op			   27
#define __HYPERVISOR_nmi_op			   28
#define __HYPERVISOR_sched_op			   29
#define __HYPERVISOR_callback_op		   30
#define __HYPERVISOR_xenoprof_op		   31
#define __HYPERVISOR_event_channel_op		   32
#define __HYPERVISOR_physdev_op			   33
#define __HYPERVISOR_hvm_op			   34
#define __HYPERVISOR_sysctl			   35
#define __HYPERVISOR_domctl			   36
#define __HYPERVISOR_kexec_op			   37
#define __HYPERVISOR_tmem_op			   38
#define __HYPERVISOR_argo_op			   39
#define __HYPERVISOR_xenpmu_op			   40
#define __HYPERVISOR_dm_op			   41
#define __HYPERVISOR_hypfs_op			   42

/* Numbers reserved for architecture-specific hypercalls. */
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55

/*
 * Callers asking for an interface older than a hypercall's replacement
 * get the original number under the new name.
 */
#if __XEN_INTERFACE_VERSION__ < 0x00030101
#undef __HYPERVISOR_sched_op
#define __HYPERVISOR_sched_op __HYPERVISOR_sched_op_compat
#endif

#if __XEN_INTERFACE_VERSION__ < 0x00030202
#undef __HYPERVISOR_event_channel_op
#define __HYPERVISOR_event_channel_op __HYPERVISOR_event_channel_op_compat
#undef __HYPERVISOR_physdev_op
#define __HYPERVISOR_physdev_op __HYPERVISOR_physdev_op_compat
#endif

#if __XEN_INTERFACE_VERSION__ < 0x00030204
#define __HYPERVISOR_dom0_op __HYPERVISOR_platform_op
#endif

/*
 * Virtual interrupts, bound to event channels with EVTCHNOP_bind_virq.
 * Most are global (delivered to one vCPU of one domain); VIRQ_TIMER and
 * VIRQ_DEBUG are per vCPU.
 */
#define VIRQ_TIMER	0  /* per-vCPU timer tick or one-shot timeout */
#define VIRQ_DEBUG	1  /* debug key pressed on the console */
#define VIRQ_CONSOLE	2  /* Xen console input (hardware domain) */
#define VIRQ_DOM_EXC	3  /* a domain exited or crashed */
#define VIRQ_TBUF	4  /* trace buffers need draining */
#define VIRQ_DEBUGGER	6  /* a domain was paused for a debugger */
#define VIRQ_XENOPROF	7  /* profiling samples available */
#define VIRQ_CON_RING	8  /* Xen console ring has new output */
#define VIRQ_PCPU_STATE 9  /* a physical CPU came online or went away */
#define VIRQ_MEM_EVENT	10 /* a memory event (e.g. paging) is pending */
#define VIRQ_ARGO	11 /* Argo messages arrived */
#define VIRQ_ENOMEM	12 /* Xen ran low on free memory */
#define VIRQ_XENPMU	13 /* PMU interrupt */

/* Numbers reserved for architecture-specific VIRQs. */
#define VIRQ_ARCH_0 16
#define VIRQ_ARCH_1 17
#define VIRQ_ARCH_2 18
#define VIRQ_ARCH_3 19
#define VIRQ_ARCH_4 20
#define VIRQ_ARCH_5 21
#define VIRQ_ARCH_6 22
#define VIRQ_ARCH_7 23

#define NR_VIRQS 24

#ifndef __ASSEMBLY__

/* A domain id. */
typedef uint16_t domid_t;

/*
 * Domain ids from DOMID_FIRST_RESERVED upwards never name an ordinary
 * domain; some are pseudo-domains with a meaning of their own.
 */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF	     xen_mk_uint(0x7FF0) /* the calling domain */
#define DOMID_IO	     xen_mk_uint(0x7FF1) /* owner of I/O memory */
#define DOMID_XEN	     xen_mk_uint(0x7FF2) /* the hypervisor itself */
#define DOMID_COW	     xen_mk_uint(0x7FF3) /* owner of shared pages */
#define DOMID_INVALID	     xen_mk_uint(0x7FF4) /* no domain at all */
#define DOMID_IDLE	     xen_mk_uint(0x7FFF) /* the idle domain */
#define DOMID_MASK	     xen_mk_uint(0x7FFF) /* bits of a valid id */

/*
 * One entry of a __HYPERVISOR_multicall batch: the hypercall number, its
 * arguments, and (written by Xen) its result.
 */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

#if __XEN_INTERFACE_VERSION__ < 0x00040400
/* Old name for the 2-level event channel limit (xen/event_channel.h). */
#define NR_EVENT_CHANNELS EVTCHN_2L_NR_CHANNELS
#endif

/* A domain's 16-byte handle (normally its UUID). */
typedef uint8_t xen_domain_handle_t[16];

/* Handles to the fixed-width integer types. */
__DEFINE_XEN_GUEST_HANDLE(uint8, uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

#endif /* !__ASSEMBLY__ */

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/*
 * The tools-only interfaces use these for 64-bit fields and handles; the
 * architecture header overrides them where plain types would be too small
 * or too loosely aligned (32-bit x86).
 */
#ifndef int64_aligned_t
#define int64_aligned_t int64_t
#endif
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif
#ifndef XEN_GUEST_HANDLE_64
#define XEN_GUEST_HANDLE_64(name) XEN_GUEST_HANDLE(name)
#endif

#ifndef __ASSEMBLY__
/* A bitmap of nr_bits bits (CPUs, nodes, ...) in caller memory. */
struct xenctl_bitmap {
	XEN_GUEST_HANDLE_64(uint8) bitmap;
	uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;
#endif
#endif /* __XEN__ || __XEN_TOOLS__ */

#endif /* __XEN_PUBLIC_XEN_H__ */
