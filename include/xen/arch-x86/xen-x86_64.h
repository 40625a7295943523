/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/xen-x86_64.h - 64-bit x86 parts of the Xen public ABI.
 *
 * Clean-room subset. Included by xen/arch-x86/xen.h, not directly. The
 * PV guest segment selectors, address-space layout and register frames are
 * not provided.
 */
#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__

/*
 * Converting between a page-table base frame and the CR3 value that a
 * 64-bit PV guest context carries: a plain 4 KiB shift.
 */
#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__ */
