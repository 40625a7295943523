/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xen-kernel.h - the private Linux kernel interface of xenstable: device
 * nodes, ioctl numbers and ioctl argument structures of the Xen drivers
 * (/dev/xen/privcmd, hypercall, evtchn, gntdev and gntalloc). Never
 * installed.
 *
 * This is the only place those numbers and layouts are written down. They
 * are the kernel's UAPI (include/uapi/xen/{privcmd,evtchn,gntdev,gntalloc}.h)
 * restated from the reference notes; the host's kernel headers and Xen's
 * <xen/sys/...> copies are never included. Structure and ioctl names follow
 * the kernel's.
 *
 * Every ioctl number embeds the size of its argument structure, so numbers
 * differ between 64-bit and 32-bit ABIs, and between i386 (where 64-bit
 * integers are only 4-byte aligned) and 32-bit Arm (8-byte aligned). The
 * _Static_asserts at the end pin every size, every offset the kernel reads
 * and every number for x86_64, i386, aarch64 and armhf.
 *
 * Note: none of these drivers has a compat_ioctl handler, so a 32-bit
 * process on a 64-bit kernel gets ENOTTY for all of them.
 */
#ifndef XS_XEN_KERNEL_H
#define XS_XEN_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>

#if defined(__x86_64__) && defined(__ILP32__)
#error "xen-kernel.h: the x32 ABI is not supported by the Linux Xen drivers"
#elif !defined(__x86_64__) && !defined(__i386__) && !defined(__aarch64__) &&             \
	!defined(__arm__)
#error "xen-kernel.h: Linux Xen ioctl ABI only known for x86_64, i386, aarch64 and arm"
#endif

/* ---------------------------------------------------------------------- */
/* Device nodes                                                            */

#define XS_DEV_PRIVCMD	    "/dev/xen/privcmd"
#define XS_DEV_PRIVCMD_PROC "/proc/xen/privcmd"	 /* xenfs; same driver */
#define XS_DEV_HYPERCALL    "/dev/xen/hypercall" /* hypercall buffers (mmap only) */
#define XS_DEV_EVTCHN	    "/dev/xen/evtchn"
#define XS_DEV_GNTDEV	    "/dev/xen/gntdev"
#define XS_DEV_GNTALLOC	    "/dev/xen/gntalloc"

/* ---------------------------------------------------------------------- */
/* ioctl encoding                                                          */

/*
 * The asm-generic encoding shared by x86 and Arm: 2 direction bits, 14
 * size bits, 8 type bits, 8 number bits. The Xen drivers declare almost
 * all their ioctls with direction NONE, whatever data moves.
 */
#define XS_IOC_NONE  0U
#define XS_IOC_WRITE 1U /* userspace writes the argument (kernel _IOW) */
#define XS_IOC_READ  2U /* userspace reads the argument (kernel _IOR) */

#define XS_IOC(dir, type, nr, size)                                                      \
	(((unsigned int)(dir) << 30) | ((unsigned int)(size) << 16) |                    \
	 ((unsigned int)(type) << 8) | (unsigned int)(nr))

/* ---------------------------------------------------------------------- */
/* privcmd: /dev/xen/privcmd, type 'P'                                     */

/*
 * IOCTL_PRIVCMD_HYPERCALL: make hypercall <op> with five arguments; the
 * ioctl returns the hypercall's result (negative: -errno). EPERM once the
 * fd is restricted.
 */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
typedef struct privcmd_hypercall privcmd_hypercall_t;

/*
 * IOCTL_PRIVCMD_MMAP: map ranges of foreign machine frames (PV kernels
 * only). Not used by the stable libraries.
 */
struct privcmd_mmap_entry {
	uint64_t va;
	uint64_t mfn; /* really a frame number of domain <dom> */
	uint64_t npages;
};

struct privcmd_mmap {
	int num;
	domid_t dom;
	struct privcmd_mmap_entry *entry;
};
typedef struct privcmd_mmap privcmd_mmap_t;

/*
 * IOCTL_PRIVCMD_MMAPBATCH (v1): map num frames arr[] of domain <dom> at
 * addr, which must be a privcmd mapping. On failure the kernel ORs an
 * error code into the top nibble of the 32-bit frame value (useless for
 * 64-bit frame numbers, hence v2).
 */
struct privcmd_mmapbatch {
	int num;
	domid_t dom;
	uint64_t addr;
	xen_pfn_t *arr;
};
typedef struct privcmd_mmapbatch privcmd_mmapbatch_t;

#define PRIVCMD_MMAPBATCH_MFN_ERROR   0xf0000000U /* any failure */
#define PRIVCMD_MMAPBATCH_PAGED_ERROR 0x80000000U /* frame paged out (ENOENT) */

/*
 * IOCTL_PRIVCMD_MMAPBATCH_V2: as v1, with per-frame errors (-errno or 0)
 * in err[]. The ioctl fails with ENOENT if some frame was paged out; other
 * per-frame errors leave the ioctl successful.
 */
struct privcmd_mmapbatch_v2 {
	unsigned int num;
	domid_t dom;
	uint64_t addr;
	const xen_pfn_t *arr;
	int *err;
};
typedef struct privcmd_mmapbatch_v2 privcmd_mmapbatch_v2_t;

/*
 * IOCTL_PRIVCMD_DM_OP: __HYPERVISOR_dm_op on domain <dom> with num user
 * buffers; the kernel pins them for the duration.
 */
struct privcmd_dm_op_buf {
	void *uptr;
	size_t size;
};
typedef struct privcmd_dm_op_buf privcmd_dm_op_buf_t;

struct privcmd_dm_op {
	domid_t dom;
	uint16_t num;
	const struct privcmd_dm_op_buf *ubufs;
};
typedef struct privcmd_dm_op privcmd_dm_op_t;

/* The driver's default limits (module parameters); more gives E2BIG. */
#define XS_PRIVCMD_DM_OP_MAX_NR_BUFS  16   /* privcmd.dm_op_max_nr_bufs */
#define XS_PRIVCMD_DM_OP_BUF_MAX_SIZE 4096 /* privcmd.dm_op_buf_max_size */

/*
 * IOCTL_PRIVCMD_RESTRICT: the argument is a domid_t. Afterwards the fd can
 * only act on that domain; restricting again to another domain is EINVAL.
 */

/*
 * IOCTL_PRIVCMD_MMAP_RESOURCE: XENMEM_acquire_resource for <num> frames
 * from <idx> of resource (type, id) of domain <dom>, mapped at addr (a
 * privcmd mapping). addr == 0 && num == 0 is a size query: the kernel
 * writes the resource's size in frames to num.
 */
struct privcmd_mmap_resource {
	domid_t dom;
	uint32_t type; /* XENMEM_resource_* */
	uint32_t id;
	uint32_t idx;
	uint64_t num;
	uint64_t addr;
};
typedef struct privcmd_mmap_resource privcmd_mmap_resource_t;

/*
 * IOCTL_PRIVCMD_IRQFD (Linux 6.7 and later, _IOW): whenever eventfd <fd>
 * is signalled the kernel issues the DM op found at user address dm_op
 * (size bytes, a whole struct xen_dm_op) on domain <dom>.
 */
#define PRIVCMD_IRQFD_FLAG_DEASSIGN (1 << 0)

struct privcmd_irqfd {
	uint64_t dm_op; /* user pointer */
	uint32_t size;
	uint32_t fd;
	uint32_t flags; /* PRIVCMD_IRQFD_FLAG_* */
	domid_t dom;
	uint8_t pad[2];
};

/*
 * Linux 6.6 shipped IRQFD with a pointer-typed dm_op and direction NONE.
 * The layout is the same as struct privcmd_irqfd on 64-bit; only the
 * number differs. (The kernel called this struct privcmd_irqfd too.)
 */
struct privcmd_irqfd_v66 {
	void *dm_op;
	uint32_t size;
	uint32_t fd;
	uint32_t flags;
	domid_t dom;
	uint8_t pad[2];
};

/*
 * IOCTL_PRIVCMD_IOEVENTFD (Linux 6.7 and later, _IOW): the kernel
 * completes virtio-mmio queue-notify writes from the ioreq page mapped at
 * user address <ioreq> itself and signals eventfd <event_fd> instead.
 * ports points to vcpus per-vCPU ioreq event channel ports.
 */
#define PRIVCMD_IOEVENTFD_FLAG_DEASSIGN (1 << 0)

struct privcmd_ioeventfd {
	uint64_t ioreq; /* user pointer to the mapped ioreq page(s) */
	uint64_t ports; /* user pointer to uint32_t ports[vcpus] */
	uint64_t addr;	/* virtio-mmio device base address */
	uint32_t addr_len;
	uint32_t event_fd;
	uint32_t vcpus;
	uint32_t vq;
	uint32_t flags; /* PRIVCMD_IOEVENTFD_FLAG_* */
	domid_t dom;
	uint8_t pad[2];
};

/* IOCTL_PRIVCMD_PCIDEV_GET_GSI (Linux 6.12 and later): GSI of PCI <sbdf>. */
struct privcmd_pcidev_get_gsi {
	uint32_t sbdf; /* IN */
	uint32_t gsi;  /* OUT */
};

#define IOCTL_PRIVCMD_HYPERCALL                                                          \
	XS_IOC(XS_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAP XS_IOC(XS_IOC_NONE, 'P', 2, sizeof(struct privcmd_mmap))
#define IOCTL_PRIVCMD_MMAPBATCH                                                          \
	XS_IOC(XS_IOC_NONE, 'P', 3, sizeof(struct privcmd_mmapbatch))
#define IOCTL_PRIVCMD_MMAPBATCH_V2                                                       \
	XS_IOC(XS_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))
#define IOCTL_PRIVCMD_DM_OP    XS_IOC(XS_IOC_NONE, 'P', 5, sizeof(struct privcmd_dm_op))
#define IOCTL_PRIVCMD_RESTRICT XS_IOC(XS_IOC_NONE, 'P', 6, sizeof(domid_t))
#define IOCTL_PRIVCMD_MMAP_RESOURCE                                                      \
	XS_IOC(XS_IOC_NONE, 'P', 7, sizeof(struct privcmd_mmap_resource))
#define IOCTL_PRIVCMD_IRQFD XS_IOC(XS_IOC_WRITE, 'P', 8, sizeof(struct privcmd_irqfd))
#define IOCTL_PRIVCMD_IRQFD_V66                                                          \
	XS_IOC(XS_IOC_NONE, 'P', 8, sizeof(struct privcmd_irqfd_v66))
#define IOCTL_PRIVCMD_IOEVENTFD                                                          \
	XS_IOC(XS_IOC_WRITE, 'P', 9, sizeof(struct privcmd_ioeventfd))
#define IOCTL_PRIVCMD_PCIDEV_GET_GSI                                                     \
	XS_IOC(XS_IOC_NONE, 'P', 10, sizeof(struct privcmd_pcidev_get_gsi))
/*
 * A number no kernel implements. Old kernels answer unknown privcmd
 * ioctls with EINVAL instead of ENOTTY; probing this one tells which
 * errno means "not implemented" here.
 */
#define IOCTL_PRIVCMD_UNIMPLEMENTED XS_IOC(XS_IOC_NONE, 'P', 0xFF, 0)

/* ---------------------------------------------------------------------- */
/* evtchn: /dev/xen/evtchn, type 'E'                                       */

/*
 * The bind ioctls return the new local port as the ioctl's result. Ports
 * that fire are read() from the fd as uint32_t and re-enabled by write()ing
 * them back. Unknown ioctls give ENOSYS (not ENOTTY).
 */

/* IOCTL_EVTCHN_BIND_VIRQ: bind VIRQ <virq> on vCPU 0. */
struct ioctl_evtchn_bind_virq {
	unsigned int virq;
};

/* IOCTL_EVTCHN_BIND_INTERDOMAIN: connect to <remote_port> of a domain. */
struct ioctl_evtchn_bind_interdomain {
	unsigned int remote_domain;
	unsigned int remote_port;
};

/* IOCTL_EVTCHN_BIND_UNBOUND_PORT: new port that <remote_domain> may bind. */
struct ioctl_evtchn_bind_unbound_port {
	unsigned int remote_domain;
};

/* IOCTL_EVTCHN_UNBIND: close a port bound through this fd. */
struct ioctl_evtchn_unbind {
	unsigned int port;
};

/* IOCTL_EVTCHN_NOTIFY: signal the remote end of a port bound here. */
struct ioctl_evtchn_notify {
	unsigned int port;
};

/* IOCTL_EVTCHN_RESET (no argument): empty the pending ring, clear overflow. */

/*
 * IOCTL_EVTCHN_RESTRICT_DOMID: from now on only interdomain binds to
 * <domid> are allowed. Once per fd (then EACCES).
 */
struct ioctl_evtchn_restrict_domid {
	domid_t domid;
};

/*
 * IOCTL_EVTCHN_BIND_STATIC (Linux 6.5 and later): take over an already
 * allocated (static, dom0less) port; returns 0, not the port.
 */
struct ioctl_evtchn_bind {
	unsigned int port;
};

#define IOCTL_EVTCHN_BIND_VIRQ                                                           \
	XS_IOC(XS_IOC_NONE, 'E', 0, sizeof(struct ioctl_evtchn_bind_virq))
#define IOCTL_EVTCHN_BIND_INTERDOMAIN                                                    \
	XS_IOC(XS_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_BIND_UNBOUND_PORT                                                   \
	XS_IOC(XS_IOC_NONE, 'E', 2, sizeof(struct ioctl_evtchn_bind_unbound_port))
#define IOCTL_EVTCHN_UNBIND                                                              \
	XS_IOC(XS_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_unbind))
#define IOCTL_EVTCHN_NOTIFY                                                              \
	XS_IOC(XS_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_notify))
#define IOCTL_EVTCHN_RESET XS_IOC(XS_IOC_NONE, 'E', 5, 0)
#define IOCTL_EVTCHN_RESTRICT_DOMID                                                      \
	XS_IOC(XS_IOC_NONE, 'E', 6, sizeof(struct ioctl_evtchn_restrict_domid))
#define IOCTL_EVTCHN_BIND_STATIC                                                         \
	XS_IOC(XS_IOC_NONE, 'E', 7, sizeof(struct ioctl_evtchn_bind))

/* ---------------------------------------------------------------------- */
/* gntdev: /dev/xen/gntdev, type 'G'                                       */

/* One grant to map: (granting domain, grant reference). */
struct ioctl_gntdev_grant_ref {
	uint32_t domid;
	uint32_t ref;
};

/*
 * IOCTL_GNTDEV_MAP_GRANT_REF: reserve a mapping of count grants; index
 * (OUT) is the mmap() offset that maps them. Variable length: refs[] has
 * count entries; sizeof (and so the ioctl number) counts one.
 */
struct ioctl_gntdev_map_grant_ref {
	uint32_t count;
	uint32_t pad;
	uint64_t index;
	struct ioctl_gntdev_grant_ref refs[1];
};

/* IOCTL_GNTDEV_UNMAP_GRANT_REF: release the mapping (index, count). */
struct ioctl_gntdev_unmap_grant_ref {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

/* IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: which mapping covers vaddr. */
struct ioctl_gntdev_get_offset_for_vaddr {
	uint64_t vaddr;	 /* IN */
	uint64_t offset; /* OUT: its index */
	uint32_t count;	 /* OUT */
	uint32_t pad;
};

/* IOCTL_GNTDEV_SET_MAX_GRANTS: not implemented by mainline (ENOTTY). */
struct ioctl_gntdev_set_max_grants {
	uint32_t count;
};

/*
 * IOCTL_GNTDEV_SET_UNMAP_NOTIFY / IOCTL_GNTALLOC_SET_UNMAP_NOTIFY: when
 * the mapping containing byte <index> goes away, clear that byte and/or
 * signal event channel <event_channel_port>.
 */
#define UNMAP_NOTIFY_CLEAR_BYTE 0x1
#define UNMAP_NOTIFY_SEND_EVENT 0x2

struct ioctl_gntdev_unmap_notify {
	uint64_t index;
	uint32_t action; /* UNMAP_NOTIFY_* */
	uint32_t event_channel_port;
};

/*
 * IOCTL_GNTDEV_GRANT_COPY: count GNTTABOP_copy-like segments; each side is
 * a local address or, with GNTCOPY_source_gref/GNTCOPY_dest_gref in flags,
 * a (ref, offset, domid) grant. status (OUT) is a GNTST_* code. Same
 * layout as xengnttab_grant_copy_segment_t.
 */
struct gntdev_grant_copy_segment {
	union {
		void *virt;
		struct {
			uint32_t ref; /* grant_ref_t */
			uint16_t offset;
			domid_t domid;
		} foreign;
	} source, dest;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_* */
	int16_t status; /* GNTST_* */
};

struct ioctl_gntdev_grant_copy {
	unsigned int count;
	struct gntdev_grant_copy_segment *segments;
};

/* Flags of IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS (also in xengnttab.h). */
#ifndef GNTDEV_DMA_FLAG_WC
#define GNTDEV_DMA_FLAG_WC (1 << 0)
#endif
#ifndef GNTDEV_DMA_FLAG_COHERENT
#define GNTDEV_DMA_FLAG_COHERENT (1 << 1)
#endif

/*
 * IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS: map count grants of <domid> and
 * export them as a dma-buf; fd (OUT). Variable length like MAP_GRANT_REF.
 */
struct ioctl_gntdev_dmabuf_exp_from_refs {
	uint32_t flags; /* GNTDEV_DMA_FLAG_* */
	uint32_t count;
	uint32_t fd;
	uint32_t domid;
	uint32_t refs[1];
};

/* IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED: wait until the dma-buf is freed. */
struct ioctl_gntdev_dmabuf_exp_wait_released {
	uint32_t fd;
	uint32_t wait_to_ms;
};

/*
 * IOCTL_GNTDEV_DMABUF_IMP_TO_REFS: grant the pages of dma-buf <fd> to
 * <domid>; refs[] (OUT) has count entries. Variable length.
 */
struct ioctl_gntdev_dmabuf_imp_to_refs {
	uint32_t fd;
	uint32_t count;
	uint32_t domid;
	uint32_t reserved; /* must be 0 */
	uint32_t refs[1];
};

/* IOCTL_GNTDEV_DMABUF_IMP_RELEASE: end the grants of an imported dma-buf. */
struct ioctl_gntdev_dmabuf_imp_release {
	uint32_t fd;
	uint32_t reserved;
};

#define IOCTL_GNTDEV_MAP_GRANT_REF                                                       \
	XS_IOC(XS_IOC_NONE, 'G', 0, sizeof(struct ioctl_gntdev_map_grant_ref))
#define IOCTL_GNTDEV_UNMAP_GRANT_REF                                                     \
	XS_IOC(XS_IOC_NONE, 'G', 1, sizeof(struct ioctl_gntdev_unmap_grant_ref))
#define IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR                                                \
	XS_IOC(XS_IOC_NONE, 'G', 2, sizeof(struct ioctl_gntdev_get_offset_for_vaddr))
#define IOCTL_GNTDEV_SET_MAX_GRANTS                                                      \
	XS_IOC(XS_IOC_NONE, 'G', 3, sizeof(struct ioctl_gntdev_set_max_grants))
#define IOCTL_GNTDEV_SET_UNMAP_NOTIFY                                                    \
	XS_IOC(XS_IOC_NONE, 'G', 7, sizeof(struct ioctl_gntdev_unmap_notify))
#define IOCTL_GNTDEV_GRANT_COPY                                                          \
	XS_IOC(XS_IOC_NONE, 'G', 8, sizeof(struct ioctl_gntdev_grant_copy))
#define IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS                                                \
	XS_IOC(XS_IOC_NONE, 'G', 9, sizeof(struct ioctl_gntdev_dmabuf_exp_from_refs))
#define IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED                                            \
	XS_IOC(XS_IOC_NONE, 'G', 10, sizeof(struct ioctl_gntdev_dmabuf_exp_wait_released))
#define IOCTL_GNTDEV_DMABUF_IMP_TO_REFS                                                  \
	XS_IOC(XS_IOC_NONE, 'G', 11, sizeof(struct ioctl_gntdev_dmabuf_imp_to_refs))
#define IOCTL_GNTDEV_DMABUF_IMP_RELEASE                                                  \
	XS_IOC(XS_IOC_NONE, 'G', 12, sizeof(struct ioctl_gntdev_dmabuf_imp_release))

/* ---------------------------------------------------------------------- */
/* gntalloc: /dev/xen/gntalloc, type 'G' (numbers 5-7)                     */

#define GNTALLOC_FLAG_WRITABLE 1

/*
 * IOCTL_GNTALLOC_ALLOC_GREF: allocate count zeroed pages and grant them to
 * <domid> (read-only unless GNTALLOC_FLAG_WRITABLE); index (OUT) is the
 * mmap() offset, gref_ids[] (OUT, count entries) the grant references.
 * Variable length.
 */
struct ioctl_gntalloc_alloc_gref {
	uint16_t domid;
	uint16_t flags; /* GNTALLOC_FLAG_* */
	uint32_t count;
	uint64_t index;
	uint32_t gref_ids[1];
};

/* IOCTL_GNTALLOC_DEALLOC_GREF: drop this fd's reference to (index, count). */
struct ioctl_gntalloc_dealloc_gref {
	uint64_t index;
	uint32_t count;
};

/* IOCTL_GNTALLOC_SET_UNMAP_NOTIFY: see UNMAP_NOTIFY_* above. */
struct ioctl_gntalloc_unmap_notify {
	uint64_t index;
	uint32_t action; /* UNMAP_NOTIFY_* */
	uint32_t event_channel_port;
};

#define IOCTL_GNTALLOC_ALLOC_GREF                                                        \
	XS_IOC(XS_IOC_NONE, 'G', 5, sizeof(struct ioctl_gntalloc_alloc_gref))
#define IOCTL_GNTALLOC_DEALLOC_GREF                                                      \
	XS_IOC(XS_IOC_NONE, 'G', 6, sizeof(struct ioctl_gntalloc_dealloc_gref))
/* Same number as IOCTL_GNTDEV_SET_UNMAP_NOTIFY; the device tells them apart. */
#define IOCTL_GNTALLOC_SET_UNMAP_NOTIFY                                                  \
	XS_IOC(XS_IOC_NONE, 'G', 7, sizeof(struct ioctl_gntalloc_unmap_notify))

/* ---------------------------------------------------------------------- */
/* Compile-time checks of the ABI                                          */

/* XS_KABI(lp64, i386, arm32): the value expected on the ABI being built. */
#if defined(__x86_64__) || defined(__aarch64__)
#define XS_KABI(lp64, i386, arm32) (lp64)
#elif defined(__i386__)
#define XS_KABI(lp64, i386, arm32) (i386)
#else
#define XS_KABI(lp64, i386, arm32) (arm32)
#endif

#define XS_KABI_SIZE(type, lp64, i386, arm32)                                            \
	_Static_assert(sizeof(type) == XS_KABI(lp64, i386, arm32),                       \
		       "kernel ABI: sizeof(" #type ")")
#define XS_KABI_OFF(type, field, lp64, i386, arm32)                                      \
	_Static_assert(offsetof(type, field) == XS_KABI(lp64, i386, arm32),              \
		       "kernel ABI: offsetof(" #type ", " #field ")")
#define XS_KABI_IOCTL(name, lp64, i386, arm32)                                           \
	_Static_assert((name) == XS_KABI(lp64, i386, arm32), "kernel ABI: " #name)

/* The encoding itself. */
_Static_assert(XS_IOC(XS_IOC_READ, 0xff, 0xfe, 0x3fff) == 0xbffffffeU,
	       "kernel ABI: ioctl encoding");
_Static_assert(XS_IOC(XS_IOC_WRITE, 'P', 8, 24) == 0x40185008U,
	       "kernel ABI: ioctl encoding");

/* Types the layouts are built from. */
XS_KABI_SIZE(domid_t, 2, 2, 2);
XS_KABI_SIZE(xen_pfn_t, 8, 4, 8);
XS_KABI_SIZE(void *, 8, 4, 4);
XS_KABI_SIZE(size_t, 8, 4, 4);

/* privcmd structures. */
XS_KABI_SIZE(struct privcmd_hypercall, 48, 48, 48);
XS_KABI_OFF(struct privcmd_hypercall, op, 0, 0, 0);
XS_KABI_OFF(struct privcmd_hypercall, arg, 8, 8, 8);

XS_KABI_SIZE(struct privcmd_mmap_entry, 24, 24, 24);
XS_KABI_OFF(struct privcmd_mmap_entry, va, 0, 0, 0);
XS_KABI_OFF(struct privcmd_mmap_entry, mfn, 8, 8, 8);
XS_KABI_OFF(struct privcmd_mmap_entry, npages, 16, 16, 16);
XS_KABI_SIZE(struct privcmd_mmap, 16, 12, 12);
XS_KABI_OFF(struct privcmd_mmap, num, 0, 0, 0);
XS_KABI_OFF(struct privcmd_mmap, dom, 4, 4, 4);
XS_KABI_OFF(struct privcmd_mmap, entry, 8, 8, 8);

XS_KABI_SIZE(struct privcmd_mmapbatch, 24, 20, 24);
XS_KABI_OFF(struct privcmd_mmapbatch, num, 0, 0, 0);
XS_KABI_OFF(struct privcmd_mmapbatch, dom, 4, 4, 4);
XS_KABI_OFF(struct privcmd_mmapbatch, addr, 8, 8, 8);
XS_KABI_OFF(struct privcmd_mmapbatch, arr, 16, 16, 16);

XS_KABI_SIZE(struct privcmd_mmapbatch_v2, 32, 24, 24);
XS_KABI_OFF(struct privcmd_mmapbatch_v2, num, 0, 0, 0);
XS_KABI_OFF(struct privcmd_mmapbatch_v2, dom, 4, 4, 4);
XS_KABI_OFF(struct privcmd_mmapbatch_v2, addr, 8, 8, 8);
XS_KABI_OFF(struct privcmd_mmapbatch_v2, arr, 16, 16, 16);
XS_KABI_OFF(struct privcmd_mmapbatch_v2, err, 24, 20, 20);

XS_KABI_SIZE(struct privcmd_dm_op_buf, 16, 8, 8);
XS_KABI_OFF(struct privcmd_dm_op_buf, uptr, 0, 0, 0);
XS_KABI_OFF(struct privcmd_dm_op_buf, size, 8, 4, 4);
XS_KABI_SIZE(struct privcmd_dm_op, 16, 8, 8);
XS_KABI_OFF(struct privcmd_dm_op, dom, 0, 0, 0);
XS_KABI_OFF(struct privcmd_dm_op, num, 2, 2, 2);
XS_KABI_OFF(struct privcmd_dm_op, ubufs, 8, 4, 4);

XS_KABI_SIZE(struct privcmd_mmap_resource, 32, 32, 32);
XS_KABI_OFF(struct privcmd_mmap_resource, dom, 0, 0, 0);
XS_KABI_OFF(struct privcmd_mmap_resource, type, 4, 4, 4);
XS_KABI_OFF(struct privcmd_mmap_resource, id, 8, 8, 8);
XS_KABI_OFF(struct privcmd_mmap_resource, idx, 12, 12, 12);
XS_KABI_OFF(struct privcmd_mmap_resource, num, 16, 16, 16);
XS_KABI_OFF(struct privcmd_mmap_resource, addr, 24, 24, 24);

XS_KABI_SIZE(struct privcmd_irqfd, 24, 24, 24);
XS_KABI_OFF(struct privcmd_irqfd, dm_op, 0, 0, 0);
XS_KABI_OFF(struct privcmd_irqfd, size, 8, 8, 8);
XS_KABI_OFF(struct privcmd_irqfd, fd, 12, 12, 12);
XS_KABI_OFF(struct privcmd_irqfd, flags, 16, 16, 16);
XS_KABI_OFF(struct privcmd_irqfd, dom, 20, 20, 20);
XS_KABI_OFF(struct privcmd_irqfd, pad, 22, 22, 22);
XS_KABI_SIZE(struct privcmd_irqfd_v66, 24, 20, 20);
XS_KABI_OFF(struct privcmd_irqfd_v66, size, 8, 4, 4);
XS_KABI_OFF(struct privcmd_irqfd_v66, fd, 12, 8, 8);
XS_KABI_OFF(struct privcmd_irqfd_v66, flags, 16, 12, 12);
XS_KABI_OFF(struct privcmd_irqfd_v66, dom, 20, 16, 16);

XS_KABI_SIZE(struct privcmd_ioeventfd, 48, 48, 48);
XS_KABI_OFF(struct privcmd_ioeventfd, ioreq, 0, 0, 0);
XS_KABI_OFF(struct privcmd_ioeventfd, ports, 8, 8, 8);
XS_KABI_OFF(struct privcmd_ioeventfd, addr, 16, 16, 16);
XS_KABI_OFF(struct privcmd_ioeventfd, addr_len, 24, 24, 24);
XS_KABI_OFF(struct privcmd_ioeventfd, event_fd, 28, 28, 28);
XS_KABI_OFF(struct privcmd_ioeventfd, vcpus, 32, 32, 32);
XS_KABI_OFF(struct privcmd_ioeventfd, vq, 36, 36, 36);
XS_KABI_OFF(struct privcmd_ioeventfd, flags, 40, 40, 40);
XS_KABI_OFF(struct privcmd_ioeventfd, dom, 44, 44, 44);
XS_KABI_OFF(struct privcmd_ioeventfd, pad, 46, 46, 46);

XS_KABI_SIZE(struct privcmd_pcidev_get_gsi, 8, 8, 8);
XS_KABI_OFF(struct privcmd_pcidev_get_gsi, sbdf, 0, 0, 0);
XS_KABI_OFF(struct privcmd_pcidev_get_gsi, gsi, 4, 4, 4);

/* privcmd ioctl numbers. */
XS_KABI_IOCTL(IOCTL_PRIVCMD_HYPERCALL, 0x00305000U, 0x00305000U, 0x00305000U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_MMAP, 0x00105002U, 0x000c5002U, 0x000c5002U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_MMAPBATCH, 0x00185003U, 0x00145003U, 0x00185003U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_MMAPBATCH_V2, 0x00205004U, 0x00185004U, 0x00185004U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_DM_OP, 0x00105005U, 0x00085005U, 0x00085005U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_RESTRICT, 0x00025006U, 0x00025006U, 0x00025006U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_MMAP_RESOURCE, 0x00205007U, 0x00205007U, 0x00205007U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_IRQFD, 0x40185008U, 0x40185008U, 0x40185008U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_IRQFD_V66, 0x00185008U, 0x00145008U, 0x00145008U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_IOEVENTFD, 0x40305009U, 0x40305009U, 0x40305009U);
XS_KABI_IOCTL(IOCTL_PRIVCMD_PCIDEV_GET_GSI, 0x0008500aU, 0x0008500aU, 0x0008500aU);
XS_KABI_IOCTL(IOCTL_PRIVCMD_UNIMPLEMENTED, 0x000050ffU, 0x000050ffU, 0x000050ffU);

/* evtchn structures and numbers. */
XS_KABI_SIZE(struct ioctl_evtchn_bind_virq, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_evtchn_bind_interdomain, 8, 8, 8);
XS_KABI_OFF(struct ioctl_evtchn_bind_interdomain, remote_domain, 0, 0, 0);
XS_KABI_OFF(struct ioctl_evtchn_bind_interdomain, remote_port, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_evtchn_bind_unbound_port, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_evtchn_unbind, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_evtchn_notify, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_evtchn_restrict_domid, 2, 2, 2);
XS_KABI_SIZE(struct ioctl_evtchn_bind, 4, 4, 4);

XS_KABI_IOCTL(IOCTL_EVTCHN_BIND_VIRQ, 0x00044500U, 0x00044500U, 0x00044500U);
XS_KABI_IOCTL(IOCTL_EVTCHN_BIND_INTERDOMAIN, 0x00084501U, 0x00084501U, 0x00084501U);
XS_KABI_IOCTL(IOCTL_EVTCHN_BIND_UNBOUND_PORT, 0x00044502U, 0x00044502U, 0x00044502U);
XS_KABI_IOCTL(IOCTL_EVTCHN_UNBIND, 0x00044503U, 0x00044503U, 0x00044503U);
XS_KABI_IOCTL(IOCTL_EVTCHN_NOTIFY, 0x00044504U, 0x00044504U, 0x00044504U);
XS_KABI_IOCTL(IOCTL_EVTCHN_RESET, 0x00004505U, 0x00004505U, 0x00004505U);
XS_KABI_IOCTL(IOCTL_EVTCHN_RESTRICT_DOMID, 0x00024506U, 0x00024506U, 0x00024506U);
XS_KABI_IOCTL(IOCTL_EVTCHN_BIND_STATIC, 0x00044507U, 0x00044507U, 0x00044507U);

/* gntdev structures. */
XS_KABI_SIZE(struct ioctl_gntdev_grant_ref, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_grant_ref, domid, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_grant_ref, ref, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_gntdev_map_grant_ref, 24, 24, 24);
XS_KABI_OFF(struct ioctl_gntdev_map_grant_ref, count, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_map_grant_ref, index, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_map_grant_ref, refs, 16, 16, 16);
XS_KABI_SIZE(struct ioctl_gntdev_unmap_grant_ref, 16, 16, 16);
XS_KABI_OFF(struct ioctl_gntdev_unmap_grant_ref, index, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_unmap_grant_ref, count, 8, 8, 8);
XS_KABI_SIZE(struct ioctl_gntdev_get_offset_for_vaddr, 24, 24, 24);
XS_KABI_OFF(struct ioctl_gntdev_get_offset_for_vaddr, vaddr, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_get_offset_for_vaddr, offset, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_get_offset_for_vaddr, count, 16, 16, 16);
XS_KABI_SIZE(struct ioctl_gntdev_set_max_grants, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_gntdev_unmap_notify, 16, 16, 16);
XS_KABI_OFF(struct ioctl_gntdev_unmap_notify, index, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_unmap_notify, action, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_unmap_notify, event_channel_port, 12, 12, 12);

XS_KABI_SIZE(struct gntdev_grant_copy_segment, 24, 24, 24);
XS_KABI_OFF(struct gntdev_grant_copy_segment, source, 0, 0, 0);
XS_KABI_OFF(struct gntdev_grant_copy_segment, source.virt, 0, 0, 0);
XS_KABI_OFF(struct gntdev_grant_copy_segment, source.foreign.ref, 0, 0, 0);
XS_KABI_OFF(struct gntdev_grant_copy_segment, source.foreign.offset, 4, 4, 4);
XS_KABI_OFF(struct gntdev_grant_copy_segment, source.foreign.domid, 6, 6, 6);
XS_KABI_OFF(struct gntdev_grant_copy_segment, dest, 8, 8, 8);
XS_KABI_OFF(struct gntdev_grant_copy_segment, dest.foreign.ref, 8, 8, 8);
XS_KABI_OFF(struct gntdev_grant_copy_segment, dest.foreign.offset, 12, 12, 12);
XS_KABI_OFF(struct gntdev_grant_copy_segment, dest.foreign.domid, 14, 14, 14);
XS_KABI_OFF(struct gntdev_grant_copy_segment, len, 16, 16, 16);
XS_KABI_OFF(struct gntdev_grant_copy_segment, flags, 18, 18, 18);
XS_KABI_OFF(struct gntdev_grant_copy_segment, status, 20, 20, 20);
XS_KABI_SIZE(struct ioctl_gntdev_grant_copy, 16, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_grant_copy, count, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_grant_copy, segments, 8, 4, 4);

XS_KABI_SIZE(struct ioctl_gntdev_dmabuf_exp_from_refs, 20, 20, 20);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_from_refs, flags, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_from_refs, count, 4, 4, 4);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_from_refs, fd, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_from_refs, domid, 12, 12, 12);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_from_refs, refs, 16, 16, 16);
XS_KABI_SIZE(struct ioctl_gntdev_dmabuf_exp_wait_released, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_exp_wait_released, wait_to_ms, 4, 4, 4);
XS_KABI_SIZE(struct ioctl_gntdev_dmabuf_imp_to_refs, 20, 20, 20);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_imp_to_refs, fd, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_imp_to_refs, count, 4, 4, 4);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_imp_to_refs, domid, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_imp_to_refs, reserved, 12, 12, 12);
XS_KABI_OFF(struct ioctl_gntdev_dmabuf_imp_to_refs, refs, 16, 16, 16);
XS_KABI_SIZE(struct ioctl_gntdev_dmabuf_imp_release, 8, 8, 8);

/* gntdev ioctl numbers. */
XS_KABI_IOCTL(IOCTL_GNTDEV_MAP_GRANT_REF, 0x00184700U, 0x00184700U, 0x00184700U);
XS_KABI_IOCTL(IOCTL_GNTDEV_UNMAP_GRANT_REF, 0x00104701U, 0x00104701U, 0x00104701U);
XS_KABI_IOCTL(IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, 0x00184702U, 0x00184702U, 0x00184702U);
XS_KABI_IOCTL(IOCTL_GNTDEV_SET_MAX_GRANTS, 0x00044703U, 0x00044703U, 0x00044703U);
XS_KABI_IOCTL(IOCTL_GNTDEV_SET_UNMAP_NOTIFY, 0x00104707U, 0x00104707U, 0x00104707U);
XS_KABI_IOCTL(IOCTL_GNTDEV_GRANT_COPY, 0x00104708U, 0x00084708U, 0x00084708U);
XS_KABI_IOCTL(IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS, 0x00144709U, 0x00144709U, 0x00144709U);
XS_KABI_IOCTL(IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, 0x0008470aU, 0x0008470aU,
	      0x0008470aU);
XS_KABI_IOCTL(IOCTL_GNTDEV_DMABUF_IMP_TO_REFS, 0x0014470bU, 0x0014470bU, 0x0014470bU);
XS_KABI_IOCTL(IOCTL_GNTDEV_DMABUF_IMP_RELEASE, 0x0008470cU, 0x0008470cU, 0x0008470cU);

/* gntalloc structures and numbers. */
XS_KABI_SIZE(struct ioctl_gntalloc_alloc_gref, 24, 20, 24);
XS_KABI_OFF(struct ioctl_gntalloc_alloc_gref, domid, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntalloc_alloc_gref, flags, 2, 2, 2);
XS_KABI_OFF(struct ioctl_gntalloc_alloc_gref, count, 4, 4, 4);
XS_KABI_OFF(struct ioctl_gntalloc_alloc_gref, index, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntalloc_alloc_gref, gref_ids, 16, 16, 16);
XS_KABI_SIZE(struct ioctl_gntalloc_dealloc_gref, 16, 12, 16);
XS_KABI_OFF(struct ioctl_gntalloc_dealloc_gref, index, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntalloc_dealloc_gref, count, 8, 8, 8);
XS_KABI_SIZE(struct ioctl_gntalloc_unmap_notify, 16, 16, 16);
XS_KABI_OFF(struct ioctl_gntalloc_unmap_notify, index, 0, 0, 0);
XS_KABI_OFF(struct ioctl_gntalloc_unmap_notify, action, 8, 8, 8);
XS_KABI_OFF(struct ioctl_gntalloc_unmap_notify, event_channel_port, 12, 12, 12);

XS_KABI_IOCTL(IOCTL_GNTALLOC_ALLOC_GREF, 0x00184705U, 0x00144705U, 0x00184705U);
XS_KABI_IOCTL(IOCTL_GNTALLOC_DEALLOC_GREF, 0x00104706U, 0x000c4706U, 0x00104706U);
XS_KABI_IOCTL(IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, 0x00104707U, 0x00104707U, 0x00104707U);

#endif /* XS_XEN_KERNEL_H */
