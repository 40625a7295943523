/* SPDX-License-Identifier: MIT */
/*
 * xen/xen-compat.h - interface-version selection for the Xen public headers.
 *
 * xenstable's clean-room subset of Xen's public ABI (4.17 interface). A few
 * definitions in these headers change with __XEN_INTERFACE_VERSION__:
 *   - tools code (__XEN_TOOLS__) always gets the newest interface;
 *   - other code may ask for an older one by defining the version itself;
 *   - code that says nothing gets the original (0) interface.
 */
#ifndef __XEN_PUBLIC_XEN_COMPAT_H__
#define __XEN_PUBLIC_XEN_COMPAT_H__

/* The newest interface these headers describe (as shipped with Xen 4.17). */
#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#elif !defined(__XEN_INTERFACE_VERSION__)
#define __XEN_INTERFACE_VERSION__ 0x00000000
#endif

#if __XEN_INTERFACE_VERSION__ > __XEN_LATEST_INTERFACE_VERSION__
#error "Requested __XEN_INTERFACE_VERSION__ is newer than these Xen headers support."
#endif

/* Array bound for variable-length trailing members of compat structures. */
#define COMPAT_FLEX_ARRAY_DIM XEN_FLEX_ARRAY_DIM

#endif /* __XEN_PUBLIC_XEN_COMPAT_H__ */
