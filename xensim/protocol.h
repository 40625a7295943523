/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xensim wire protocol: between libxensim.so (the preload shim, inside the
 * client process) and the simulated machine (the xensim daemon).
 *
 * Model
 * -----
 * Every simulated device file a client opens (/dev/xen/privcmd, ...) is a
 * real fd: a SOCK_STREAM unix-socket connection to the daemon. The
 * connection *is* the kernel's `struct file`: dup/dup2/fork/exec/close-on-
 * exec/O_NONBLOCK behave natively, and the daemon sees the "release" (all
 * fds closed) as EOF, where it does what the driver's release does (unbind
 * ports, tear down grant maps, fire unmap notifications, drop irqfds...).
 *
 * Readiness: the daemon keeps the socket readable exactly when the device
 * would be readable (evtchn: pending-port ring not empty; other devices:
 * always, like a misc device without poll). It does so by sending XSP_WAKE
 * messages: after every reply if the device is readable, and asynchronously
 * when it becomes readable while no wake is outstanding. A client reads
 * messages until the reply to its request, discarding wakes; the daemon
 * treats every request as "all earlier wakes consumed". poll/select/epoll
 * therefore need no interposition.
 *
 * Memory: guest RAM, grant-table frames, ioreq pages, gntalloc pages and
 * /dev/xen/hypercall buffers live in memfds owned by the daemon. Replies
 * that map memory carry the memfds (SCM_RIGHTS) and, per Xen frame, which
 * fd and offset backs it; the shim mmaps them (MAP_SHARED|MAP_FIXED) into
 * the client's address space and closes the fds.
 *
 * Framing
 * -------
 * Every message is a struct xsp_hdr followed by `len` payload bytes.
 * Requests carry one of the XSP_* request types; the reply has the same
 * type with XSP_REPLY set, and its payload starts with struct xsp_reply.
 * File descriptors travel as SCM_RIGHTS on the header of their message
 * (at most XSP_MAX_FDS). Integers are native (both ends are one build).
 * Variable-length parts follow the fixed struct in the order documented.
 *
 * Errors: xsp_reply.ret >= 0 is the ioctl/hypercall result, < 0 is -errno,
 * exactly as the kernel driver would return it.
 */
#ifndef XENSIM_PROTOCOL_H
#define XENSIM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define XSP_VERSION 1
#define XSP_MAX_FDS 16
#define XSP_MAX_PAYLOAD (256u << 20) /* sanity bound */
#define XSP_REPLY 0x80000000u

/* Environment of a simulated process. */
#define XENSIM_ENV_SOCKET "XENSIM_SOCKET" /* daemon socket path; unset: no sim */
#define XENSIM_ENV_LIBDIR "XENSIM_LIBDIR" /* where libxensim.so lives */
#define XENSIM_ENV_QUIET "XENSIM_QUIET"   /* 1: no shim diagnostics on stderr */

/*
 * Stand-in directories: real, empty directories at XENSIM_SOCKET
 * XENSIM_STANDIN_SUFFIX + one of these paths (the launcher creates and
 * removes them), so that a simulated directory can be opened, used as a
 * dirfd, listed and chdir'ed into on a host that has none. The shim maps
 * them back to the simulated paths (xensim/DESIGN.md, "The shim").
 */
#define XENSIM_STANDIN_SUFFIX ".root"
#define XENSIM_STANDIN_DIRS                                                              \
	"/dev", "/dev/xen", "/proc", "/proc/xen", "/sys", "/sys/hypervisor",             \
		"/sys/hypervisor/version", "/sys/hypervisor/properties",                 \
		"/sys/hypervisor/compilation"

struct xsp_hdr {
	uint32_t type;
	uint32_t len; /* payload bytes after this header */
};

struct xsp_reply {
	int64_t ret; /* >= 0 result, < 0 -errno */
};

enum xsp_device {
	XSP_DEV_NONE = 0,
	XSP_DEV_PRIVCMD = 1,      /* /dev/xen/privcmd */
	XSP_DEV_PRIVCMD_PROC = 2, /* /proc/xen/privcmd (same driver) */
	XSP_DEV_HYPERCALL = 3,    /* /dev/xen/hypercall */
	XSP_DEV_EVTCHN = 4,       /* /dev/xen/evtchn */
	XSP_DEV_GNTDEV = 5,       /* /dev/xen/gntdev */
	XSP_DEV_GNTALLOC = 6,     /* /dev/xen/gntalloc */
	XSP_DEV_CONTROL = 7,      /* control connection (xensim.h, xensim ctl) */
};

/* The node a device is opened as; NULL for the control connection (no
 * node: each side names it its own way) and unknown numbers. */
static inline const char *xsp_dev_path(int dev)
{
	switch (dev) {
	case XSP_DEV_PRIVCMD:
		return "/dev/xen/privcmd";
	case XSP_DEV_PRIVCMD_PROC:
		return "/proc/xen/privcmd";
	case XSP_DEV_HYPERCALL:
		return "/dev/xen/hypercall";
	case XSP_DEV_EVTCHN:
		return "/dev/xen/evtchn";
	case XSP_DEV_GNTDEV:
		return "/dev/xen/gntdev";
	case XSP_DEV_GNTALLOC:
		return "/dev/xen/gntalloc";
	default:
		return NULL;
	}
}

enum xsp_type {
	/* --- any connection ------------------------------------------- */
	/* First message on a new connection. Reply ret: 0, or -errno the
	 * open() must fail with (-ENOENT: the personality has no such
	 * device; -EACCES: simulated permission denial; injected errors);
	 * on success ret may carry XSP_HELLO_COMPAT32. */
	XSP_HELLO = 1,
	/* "Which device is this fd?" for fds the shim has not seen opened
	 * (inherited across exec). Reply ret: enum xsp_device, ORed with
	 * XSP_HELLO_COMPAT32 << 16. */
	XSP_IDENT = 2,
	/* Daemon -> client, no reply: the device became readable. */
	XSP_WAKE = 3,
	/* An ioctl the shim cannot decode. The daemon logs it and replies
	 * with the driver's answer (-ENOTTY, -ENOSYS for evtchn, -EINVAL
	 * for old privcmd personalities). Payload: struct xsp_unknown_ioctl. */
	XSP_UNKNOWN_IOCTL = 4,

	/* --- privcmd ---------------------------------------------------- */
	XSP_PRIVCMD_HYPERCALL = 0x100,  /* struct xsp_hypercall */
	XSP_PRIVCMD_MMAPBATCH = 0x101,  /* struct xsp_mmapbatch (V1 and V2) */
	XSP_PRIVCMD_MMAP_RESOURCE = 0x102, /* struct xsp_mmap_resource */
	XSP_PRIVCMD_DM_OP = 0x103,      /* struct xsp_dm_op */
	XSP_PRIVCMD_RESTRICT = 0x104,   /* struct xsp_restrict */
	XSP_PRIVCMD_IRQFD = 0x105,      /* struct xsp_irqfd + eventfd */
	XSP_PRIVCMD_IOEVENTFD = 0x106,  /* struct xsp_ioeventfd + eventfd */
	XSP_PRIVCMD_PCIDEV_GET_GSI = 0x107, /* struct xsp_pcidev_gsi */
	XSP_PRIVCMD_MMAP_LEGACY = 0x108, /* IOCTL_PRIVCMD_MMAP: always -ENOSYS
					  * unless the personality is PV, then
					  * treated like MMAPBATCH */

	/* --- /dev/xen/hypercall ------------------------------------------ */
	/* mmap of the buffer device: the daemon allocates zeroed pages.
	 * Payload: struct xsp_bufdev_mmap. Reply: struct xsp_frames (one fd). */
	XSP_HYPERCALL_MMAP = 0x180,

	/* --- evtchn ----------------------------------------------------- */
	XSP_EVTCHN_BIND_VIRQ = 0x200,    /* struct xsp_u32 (virq); ret: port */
	XSP_EVTCHN_BIND_INTERDOMAIN = 0x201, /* struct xsp_u32x2 (dom, port); ret: port */
	XSP_EVTCHN_BIND_UNBOUND_PORT = 0x202, /* struct xsp_u32 (remote dom); ret: port */
	XSP_EVTCHN_UNBIND = 0x203,       /* struct xsp_u32 (port) */
	XSP_EVTCHN_NOTIFY = 0x204,       /* struct xsp_u32 (port) */
	XSP_EVTCHN_RESET = 0x205,        /* no payload */
	XSP_EVTCHN_RESTRICT_DOMID = 0x206, /* struct xsp_u32 (domid) */
	XSP_EVTCHN_BIND_STATIC = 0x207,  /* struct xsp_u32 (port); ret 0 */
	/* read(): payload struct xsp_u32 (max ports, >= 1). Never blocks:
	 * ret = number of ports, followed by that many uint32_t; -EAGAIN if
	 * the ring is empty; -EFBIG after an overflow. The shim blocks by
	 * poll()ing the fd when the caller's fd is blocking. */
	XSP_EVTCHN_READ = 0x208,
	/* write(): payload = uint32_t ports[]; ret = bytes accepted. */
	XSP_EVTCHN_WRITE = 0x209,

	/* --- gntdev ----------------------------------------------------- */
	XSP_GNTDEV_MAP_GRANT_REF = 0x300, /* struct xsp_gnt_map; ret 0, index in reply */
	XSP_GNTDEV_UNMAP_GRANT_REF = 0x301, /* struct xsp_index_count */
	XSP_GNTDEV_SET_MAX_GRANTS = 0x302, /* struct xsp_u32 */
	XSP_GNTDEV_SET_UNMAP_NOTIFY = 0x303, /* struct xsp_unmap_notify */
	XSP_GNTDEV_GRANT_COPY = 0x304,   /* struct xsp_grant_copy */
	/* mmap(offset=index, count pages): struct xsp_gnt_mmap; reply
	 * struct xsp_frames. The daemon performs the grant map (Xen side). */
	XSP_GNTDEV_MMAP = 0x305,
	/* The client's mapping of (index, count) is gone (munmap, or
	 * MAP_FIXED over it). Payload struct xsp_index_count; no error. */
	XSP_GNTDEV_MUNMAP = 0x306,
	/* DMA-BUF. An exported dma-buf is one end of a socketpair the
	 * daemon made (it keeps the other end: EOF there = every fd of the
	 * buffer is closed, in any process = released). The driver names
	 * buffers by the fd number given at export/import; see below. */
	XSP_GNTDEV_DMABUF_EXP_FROM_REFS = 0x307, /* struct xsp_dmabuf_exp; reply fd */
	XSP_GNTDEV_DMABUF_EXP_WAIT_RELEASED = 0x308, /* struct xsp_dmabuf_id */
	XSP_GNTDEV_DMABUF_IMP_TO_REFS = 0x309, /* struct xsp_dmabuf_imp + dma-buf fd */
	XSP_GNTDEV_DMABUF_IMP_RELEASE = 0x30a, /* struct xsp_dmabuf_id */

	/* --- gntalloc --------------------------------------------------- */
	XSP_GNTALLOC_ALLOC_GREF = 0x400,   /* struct xsp_gntalloc_alloc */
	XSP_GNTALLOC_DEALLOC_GREF = 0x401, /* struct xsp_index_count */
	XSP_GNTALLOC_SET_UNMAP_NOTIFY = 0x402, /* struct xsp_unmap_notify */
	XSP_GNTALLOC_MMAP = 0x403,   /* struct xsp_gnt_mmap; reply xsp_frames */
	XSP_GNTALLOC_MUNMAP = 0x404, /* struct xsp_index_count */

	/* --- control and sysfs -------------------------------------------- */
	/* A text command (see xensim/DESIGN.md). Payload: the command, not
	 * NUL-terminated. Reply: ret, then the text answer; may carry fds
	 * (e.g. "guest-memfd <dom>"). */
	XSP_CONTROL_COMMAND = 0x500,
	/* Contents of a simulated /sys/hypervisor or /proc/xen file.
	 * Payload: the path. Reply: ret = length, then the bytes;
	 * -ENOENT if the personality does not provide it. Any connection.
	 * For a device node path (/dev/xen/NAME, /proc/xen/privcmd): ret 0
	 * if the personality has the node, -ENOENT if not (the shim's stat
	 * and access; no injection is consumed, nothing is logged). */
	XSP_SYSFS_READ = 0x501,
};

/* HELLO/IDENT reply flag: the personality has +compat32, the shim answers
 * every ioctl on the connection with ENOTTY (through XSP_UNKNOWN_IOCTL),
 * as a 64-bit kernel does for a 32-bit process. */
#define XSP_HELLO_COMPAT32 1

struct xsp_hello {
	uint32_t version;   /* XSP_VERSION */
	uint32_t device;    /* enum xsp_device */
	uint32_t open_flags; /* the open() flags, for the record */
	int32_t pid;
	char comm[16];      /* program name, for logs */
};

struct xsp_unknown_ioctl {
	uint32_t device;
	uint32_t pad;
	uint64_t cmd;
};

struct xsp_u32 {
	uint32_t v;
};

struct xsp_u32x2 {
	uint32_t a, b;
};

/*
 * HYPERCALL. The shim knows, per (op, sub-op), which arguments point at
 * caller memory (xensim/hypercall-abi.c) and sends those buffers along;
 * the daemon returns the final contents of the buffers it wrote.
 * Request: struct xsp_hypercall, then nbufs x struct xsp_buf each
 *          followed by its `size` bytes (IN contents; zeros for OUT-only).
 * Reply:   struct xsp_reply, uint32_t nbufs, then for each written buffer
 *          struct xsp_buf + bytes (index = position in the request).
 * A pointer the shim could not read is reported by the shim itself as
 * -EFAULT without a request. For __HYPERVISOR_dm_op the buffers are the
 * xen_dm_op_buf_t array (index 0, IN) followed by each referenced buffer.
 */
struct xsp_hypercall {
	uint64_t op;
	uint64_t arg[5];
	uint32_t nbufs;
	uint32_t pad;
};

struct xsp_buf {
	uint32_t index; /* request position; for hypercalls also the argument */
	uint32_t flags; /* XSP_BUF_IN | XSP_BUF_OUT */
	uint64_t size;
};
#define XSP_BUF_IN 1u
#define XSP_BUF_OUT 2u

/*
 * MMAPBATCH (V1 or V2). The shim checks the target VMA (a privcmd mmap of
 * its own; first use must cover it exactly, later uses only holes) and
 * sends the frame list; the daemon answers per frame. V1 results come back
 * as V2-style errors; the shim turns them into V1's top-nibble encoding.
 * Request: struct xsp_mmapbatch, then num x uint64_t gfn.
 * Reply:   struct xsp_reply (0, -ENOENT if some frame is paged out and no
 *          global error, or a global -errno), then num x int32_t err
 *          (0 or -errno per frame), then struct xsp_frames describing the
 *          frames with err == 0, in order.
 */
struct xsp_mmapbatch {
	uint32_t dom;
	uint32_t num;
	uint32_t version; /* 1 or 2 */
	uint32_t prot;    /* PROT_* of the VMA */
};

/*
 * Frames to map, in order: nframes x struct xsp_frame; the fds arrive as
 * SCM_RIGHTS on the reply header, fd_index indexing them.
 */
struct xsp_frames {
	uint32_t nframes;
	uint32_t nfds;
};

struct xsp_frame {
	int32_t fd_index;
	uint32_t flags; /* XSP_FRAME_RO: map read-only whatever the VMA says */
	uint64_t offset; /* byte offset in the memfd, page aligned */
};
#define XSP_FRAME_RO 1u

/*
 * MMAP_RESOURCE. num == 0 && addr == 0: size query, reply ret 0 and
 * uint64_t num. Otherwise reply ret 0 + struct xsp_frames (num frames).
 * The shim has already checked that addr/num are both set or both zero
 * (-EINVAL) and that addr is in one of its privcmd VMAs (-EINVAL).
 */
struct xsp_mmap_resource {
	uint32_t dom;
	uint32_t type;
	uint32_t id;
	uint32_t idx;
	uint64_t num;
	uint32_t prot;
	uint32_t pad;
};

/*
 * DM_OP ioctl. Request: struct xsp_dm_op, then nbufs x struct xsp_buf +
 * contents. The daemon applies the kernel's limits (-E2BIG) and then the
 * hypervisor's dm_op. Reply: ret, uint32_t nbufs, then the buffers Xen
 * wrote (struct xsp_buf + bytes).
 */
struct xsp_dm_op {
	uint32_t dom;
	uint32_t nbufs;
};

struct xsp_restrict {
	uint32_t domid;
};

/* IRQFD: request struct xsp_irqfd + size bytes of struct xen_dm_op;
 * SCM_RIGHTS carries the eventfd (also for deassign, to identify it). */
struct xsp_irqfd {
	uint32_t dom;
	uint32_t flags; /* PRIVCMD_IRQFD_FLAG_DEASSIGN */
	uint32_t size;
	uint32_t abi;   /* 0: Linux >= 6.7 ioctl number, 1: 6.6 number */
};

/*
 * IOEVENTFD: the shim resolves the `ioreq` address to the ioreq-server
 * resource it maps (dom, server id, frame); request struct xsp_ioeventfd
 * then vcpus x uint32_t ports; SCM_RIGHTS carries the eventfd.
 */
struct xsp_ioeventfd {
	uint32_t dom;
	uint32_t flags; /* PRIVCMD_IOEVENTFD_FLAG_DEASSIGN */
	uint32_t ioreq_valid; /* 0: address not an ioreq-server mapping */
	uint32_t ioservid;
	uint32_t ioreq_frame;
	uint32_t addr_len;
	uint64_t addr;
	uint32_t vcpus;
	uint32_t vq;
};

struct xsp_pcidev_gsi {
	uint32_t sbdf; /* reply: ret 0, then uint32_t gsi */
};

struct xsp_bufdev_mmap {
	uint64_t pages;
};

/* gntdev MAP_GRANT_REF: then count x {uint32_t domid, ref}. Reply ret 0,
 * then uint64_t index (an mmap byte offset). */
struct xsp_gnt_map {
	uint32_t count;
	uint32_t pad;
};

struct xsp_index_count {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

struct xsp_unmap_notify {
	uint64_t index;
	uint32_t action;
	uint32_t port;
};

/* mmap of gntdev/gntalloc at byte offset `index` for `count` pages. */
struct xsp_gnt_mmap {
	uint64_t index;
	uint32_t count;
	uint32_t prot;
	uint32_t shared; /* MAP_SHARED given */
	uint32_t pad;
};

/*
 * GRANT_COPY: request struct xsp_grant_copy, then count x struct
 * xsp_copy_seg, then the bytes of every local source (in segment order).
 * Reply: ret, count x int16_t status (padded to 4 bytes), then the bytes
 * of every local destination, in segment order, len each (the shim copies
 * them out for segments whose status is GNTST_okay).
 */
struct xsp_grant_copy {
	uint32_t count;
	uint32_t pad;
};

struct xsp_copy_seg {
	uint32_t src_ref, dst_ref;     /* when the side is a grant */
	uint16_t src_offset, dst_offset;
	uint16_t src_domid, dst_domid;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_source_gref | GNTCOPY_dest_gref */
	uint32_t pad;
};

/* DMA-BUF export: then count x uint32_t refs. Reply ret 0, and the
 * dma-buf as SCM_RIGHTS (the shim stores the fd number it got, with the
 * fd's inode, to name the buffer in EXP_WAIT_RELEASED later: the fd may
 * be closed by then). */
struct xsp_dmabuf_exp {
	uint32_t flags;
	uint32_t count;
	uint32_t domid;
	uint32_t pad;
};

/* DMA-BUF import: the dma-buf fd as SCM_RIGHTS. Reply ret 0, then
 * count x uint32_t refs. */
struct xsp_dmabuf_imp {
	uint32_t count;
	uint32_t domid;
	uint32_t fd;   /* the caller's fd number (names it in IMP_RELEASE) */
	uint32_t pad;
};

/* EXP_WAIT_RELEASED: ino = st_ino of the fd this process got from its
 * export under that number (0: none), wait_to_ms. IMP_RELEASE: fd. */
struct xsp_dmabuf_id {
	uint64_t ino;
	uint32_t wait_to_ms;
	uint32_t fd;
};

/* gntalloc ALLOC_GREF. Reply ret 0, uint64_t index, count x uint32_t gref. */
struct xsp_gntalloc_alloc {
	uint32_t domid;
	uint32_t flags; /* GNTALLOC_FLAG_WRITABLE */
	uint32_t count;
	uint32_t pad;
};

#endif /* XENSIM_PROTOCOL_H */
