/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/xen-x86_32.h - 32-bit x86 parts of the Xen public ABI.
 *
 * Clean-room subset. Included by xen/arch-x86/xen.h, not directly. The
 * PV guest segment selectors, address-space layout and register frames are
 * not provided.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__

#ifndef __ASSEMBLY__

/* __extension__ silences pedantic warnings on GNU compilers only. */
#if !defined(__GNUC__) && !defined(__extension__)
#define __extension__
#endif

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/*
 * The tools-only interfaces (domctl, sysctl, ...) are shared by 32- and
 * 64-bit callers, so their 64-bit fields and guest handles must be 8 bytes
 * and 8-byte aligned even here: every handle type gets a 64-bit twin,
 * __guest_handle_64_<name>, whose pointer sits in the low half.
 */
#undef ___DEFINE_XEN_GUEST_HANDLE
#define ___DEFINE_XEN_GUEST_HANDLE(name, type)                                           \
	typedef struct {                                                                 \
		type *p;                                                                 \
	} __guest_handle_##name;                                                         \
	__extension__ typedef struct {                                                   \
		union {                                                                  \
			type *p;                                                         \
			uint64_aligned_t q;                                              \
		};                                                                       \
	} __guest_handle_64_##name
#undef set_xen_guest_handle_raw
/* Clear the upper half of a 64-bit handle before storing the pointer. */
#define set_xen_guest_handle_raw(hnd, val)                                               \
	do {                                                                             \
		if (sizeof(hnd) == 8)                                                    \
			*(uint64_t *)&(hnd) = 0;                                         \
		(hnd).p = val;                                                           \
	} while (0)
#define int64_aligned_t		    int64_t __attribute__((aligned(8)))
#define uint64_aligned_t	    uint64_t __attribute__((aligned(8)))
#define __XEN_GUEST_HANDLE_64(name) __guest_handle_64_##name
#define XEN_GUEST_HANDLE_64(name)   __XEN_GUEST_HANDLE_64(name)
#endif /* __XEN__ || __XEN_TOOLS__ */

#endif /* !__ASSEMBLY__ */

/*
 * A 32-bit PV guest's CR3 holds the frame number rotated by 12 bits, so
 * that frames above 4 GiB (PAE) still fit in 32 bits.
 */
#define xen_pfn_to_cr3(pfn) (((unsigned)(pfn) << 12) | ((unsigned)(pfn) >> 20))
#define xen_cr3_to_pfn(cr3) (((unsigned)(cr3) >> 12) | ((unsigned)(cr3) << 20))

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__ */
