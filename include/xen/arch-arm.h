/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-arm.h - Arm (AArch32 and AArch64) parts of the Xen public ABI.
 *
 * Clean-room subset: hypercall tag, guest handles, xen_pfn_t and
 * xen_ulong_t. The vCPU context, guest memory map and PSCI definitions are
 * not provided.
 *
 * On Arm the hypercall ABI is the same for 32- and 64-bit guests: every
 * guest handle stored in memory and every xen_ulong_t is 64 bits wide and
 * 8-byte aligned, whatever the guest's pointer size.
 */
#ifndef __XEN_PUBLIC_ARCH_ARM_H__
#define __XEN_PUBLIC_ARCH_ARM_H__

/* Immediate of the HVC instruction that enters Xen. */
#define XEN_HYPERCALL_TAG 0XEA1

#define int64_aligned_t	 int64_t __attribute__((aligned(8)))
#define uint64_aligned_t uint64_t __attribute__((aligned(8)))

#ifndef __ASSEMBLY__
#include <stdint.h>

/*
 * __guest_handle_<name> is pointer-sized (used for hypercall arguments);
 * __guest_handle_64_<name> is the 8-byte form used inside structures. The
 * "q" member lets a 32-bit guest clear the upper half.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type)                                           \
	typedef union {                                                                  \
		type *p;                                                                 \
		unsigned long q;                                                         \
	} __guest_handle_##name;                                                         \
	typedef union {                                                                  \
		type *p;                                                                 \
		uint64_aligned_t q;                                                      \
	} __guest_handle_64_##name

#define __DEFINE_XEN_GUEST_HANDLE(name, type)                                            \
	___DEFINE_XEN_GUEST_HANDLE(name, type);                                          \
	___DEFINE_XEN_GUEST_HANDLE(const_##name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name) __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)      __guest_handle_64_##name
#define XEN_GUEST_HANDLE(name)	      __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)  __guest_handle_##name
/* Zero all 64 bits first, then store the (possibly 32-bit) pointer. */
#define set_xen_guest_handle_raw(hnd, val)                                               \
	do {                                                                             \
		__typeof__(&(hnd)) xs_sxgh_hnd_ = &(hnd);                                \
		xs_sxgh_hnd_->q = 0;                                                     \
		xs_sxgh_hnd_->p = val;                                                   \
	} while (0)
#define set_xen_guest_handle(hnd, val) set_xen_guest_handle_raw(hnd, val)

/* Guest frame numbers are 64-bit on both Arm flavours. */
typedef uint64_t xen_pfn_t;
#define PRI_xen_pfn  PRIx64
#define PRIu_xen_pfn PRIu64

/* Number of vCPUs described by the legacy vcpu_info array in shared_info. */
#define XEN_LEGACY_MAX_VCPUS 1

/* A 64-bit hypercall argument, also for 32-bit guests. */
typedef uint64_t xen_ulong_t;
#define PRI_xen_ulong PRIx64
#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_ARCH_ARM_H__ */
