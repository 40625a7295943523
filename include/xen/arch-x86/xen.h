/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/xen.h - x86 (32- and 64-bit) parts of the Xen public ABI.
 *
 * Clean-room subset: guest handles, xen_pfn_t and xen_ulong_t. The PV
 * guest register and trap structures are not provided.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_H__

/*
 * A guest handle is how a hypercall argument structure refers to guest
 * memory. On x86 it is a pointer of the native width, wrapped in a
 * one-member struct (interface 0x00030201 and later) so that handles of
 * different types cannot be mixed up; before that it was a bare pointer.
 * Every handle type also has a "const_" twin pointing to const data.
 */
#if __XEN_INTERFACE_VERSION__ >= 0x00030201
#define ___DEFINE_XEN_GUEST_HANDLE(name, type)                                           \
	typedef struct {                                                                 \
		type *p;                                                                 \
	} __guest_handle_##name
#define set_xen_guest_handle_raw(hnd, val)                                               \
	do {                                                                             \
		(hnd).p = val;                                                           \
	} while (0)
#else
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) typedef type *__guest_handle_##name
#define set_xen_guest_handle_raw(hnd, val)                                               \
	do {                                                                             \
		(hnd) = val;                                                             \
	} while (0)
#endif

#define __DEFINE_XEN_GUEST_HANDLE(name, type)                                            \
	___DEFINE_XEN_GUEST_HANDLE(name, type);                                          \
	___DEFINE_XEN_GUEST_HANDLE(const_##name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name) __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)      __guest_handle_##name
#define XEN_GUEST_HANDLE(name)	      __XEN_GUEST_HANDLE(name)
/* Handles passed directly as hypercall arguments are the same on x86. */
#define XEN_GUEST_HANDLE_PARAM(name) XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle(hnd, val) set_xen_guest_handle_raw(hnd, val)

#if defined(__i386__)
#include "xen-x86_32.h"
#elif defined(__x86_64__)
#include "xen-x86_64.h"
#endif

#ifndef __ASSEMBLY__
/* Guest frame numbers are native unsigned longs on x86. */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* PV guests have a Xen-defined entry point and an upcall mask. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/* Number of vCPUs described by the legacy vcpu_info array in shared_info. */
#define XEN_LEGACY_MAX_VCPUS 32

#ifndef __ASSEMBLY__
/* An unsigned long sized hypercall argument. */
typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"
#endif

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_H__ */
