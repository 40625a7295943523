/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xenstable.h - definitions shared by xenstable's public headers.
 *
 * Xen's hypercall and mapping interfaces count in Xen pages, which are
 * 4096 bytes on every architecture and whatever the OS page size is. This
 * header gives that unit a stable home so that no stable header needs the
 * unstable xenctrl.h (XC_PAGE_SIZE). The names are guarded because Xen's
 * io/ring.h and some consumers define XEN_PAGE_SHIFT themselves.
 *
 * The hypervisor's own page size can also be asked for at run time; see
 * xenforeignmemory_hypervisor_page_size() (xenstable extension).
 */
#ifndef XENSTABLE_H
#define XENSTABLE_H

#ifndef XEN_PAGE_SHIFT
#define XEN_PAGE_SHIFT 12
#endif
#ifndef XEN_PAGE_SIZE
#define XEN_PAGE_SIZE (1UL << XEN_PAGE_SHIFT)
#endif
#ifndef XEN_PAGE_MASK
#define XEN_PAGE_MASK (~(XEN_PAGE_SIZE - 1))
#endif

/* The xenstable release the headers come from. */
#define XENSTABLE_VERSION_MAJOR 0
#define XENSTABLE_VERSION_MINOR 1
#define XENSTABLE_VERSION_MICRO 0

#endif /* XENSTABLE_H */
