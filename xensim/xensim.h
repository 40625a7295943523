/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xensim.h - control a simulated Xen machine (libxensim).
 *
 * A program runs on a simulated Xen with `xensim [--scenario FILE] -- PROG`
 * (or with libxensim.so preloaded and XENSIM_SOCKET pointing at a running
 * `xensim --daemon`). Its /dev/xen devices then talk to the simulated
 * hypervisor. This API lets the same program -- typically a test, or a
 * backend's demo -- set the machine up, act as a guest (write its memory,
 * grant pages, send events, issue I/O from a vCPU) and inspect what the
 * hypervisor saw (IRQ levels, ioreq servers, memory types, ...).
 *
 * Every call opens its own short control connection, so the API is thread
 * safe and works across fork. Functions return 0 (or a documented value)
 * on success and -1 with errno on failure: ENXIO if no simulator is
 * reachable, ESRCH for an unknown domain, EINVAL for bad arguments, and
 * the errno the simulated operation itself failed with.
 *
 * Everything here is also reachable as a text command (xensim_command(),
 * or `xensim ctl COMMAND` from a shell); see xensim/DESIGN.md.
 */
#ifndef XENSIM_H
#define XENSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if a simulator is reachable from this process, 0 if not. */
int xensim_available(void);

/*
 * Reset the whole machine to @scenario (scenario-file text, see
 * DESIGN.md; NULL or "" for the default: dom0 + domain 1, an HVM guest
 * with 2 vCPUs and 64 MiB). Every device connection opened before is
 * detached: its later operations fail with ENODEV.
 */
int xensim_reset(const char *scenario);

/* Send a text command; the answer (NUL-terminated, truncated to fit) goes
 * to @reply if not NULL. Returns 0 or -1 with errno from the command. */
int xensim_command(const char *command, char *reply, size_t reply_len);

/* ---- guest memory ------------------------------------------------------ */

/* Copy to/from a guest's physical memory (RAM only). */
int xensim_guest_write(uint16_t domid, uint64_t gpa, const void *buf, size_t len);
int xensim_guest_read(uint16_t domid, uint64_t gpa, void *buf, size_t len);

/* Map all of a guest's RAM into this process (shared with the guest).
 * Returns the address and sets *size, or NULL with errno. Unmap with
 * munmap(addr, *size). */
void *xensim_guest_map(uint16_t domid, size_t *size);

/* Make frame @gfn of @domid paged out: the next @retries foreign-map
 * attempts of it fail with ENOENT, then it is paged back in. */
int xensim_guest_page_out(uint16_t domid, uint64_t gfn, unsigned int retries);

/* Make mapping frame @gfn fail with @err (e.g. EFAULT, EINVAL, EPERM)
 * until cleared with @err == 0. */
int xensim_guest_frame_error(uint16_t domid, uint64_t gfn, int err);

/* ---- grants -------------------------------------------------------------- */

/* @granter grants its frame @gfn to @grantee; *ref receives the grant ref. */
int xensim_guest_grant(uint16_t granter, uint16_t grantee, uint64_t gfn,
		       int readonly, uint32_t *ref);
/* End a grant (fails with EBUSY while it is mapped). */
int xensim_guest_ungrant(uint16_t granter, uint32_t ref);

struct xensim_grant_info {
	uint16_t flags;   /* grant_entry_v1 flags, incl. GTF_reading/GTF_writing */
	uint16_t domid;   /* grantee */
	uint32_t frame;   /* granted gfn */
	uint32_t mapcount; /* live mappings of it */
};
int xensim_grant_info(uint16_t granter, uint32_t ref, struct xensim_grant_info *info);
/* Simulated guest @domid maps grant @ref of @granter (GNTTABOP_map_grant_ref:
 * the grant must be to @domid; writable unless @readonly); returns the page
 * mapped into this process (MAP_SHARED, PROT_READ[|PROT_WRITE]) and the
 * map's handle, or NULL with errno (EINVAL: not mappable, ESRCH). The map
 * counts in the grant's mapcount until xensim_guest_unmap_grant(). */
void *xensim_guest_map_grant(uint16_t domid, uint16_t granter, uint32_t ref, int readonly,
			     uint32_t *handle);
/* Undo it; @page (may be NULL) is unmapped from this process. */
int xensim_guest_unmap_grant(uint16_t domid, uint32_t handle, void *page);

/* ---- event channels -------------------------------------------------- */

/* Guest side of event channels (the guest's own kernel). */
int xensim_guest_evtchn_alloc_unbound(uint16_t domid, uint16_t remote, uint32_t *port);
int xensim_guest_evtchn_bind_interdomain(uint16_t domid, uint16_t remote,
					 uint32_t remote_port, uint32_t *port);
int xensim_guest_evtchn_send(uint16_t domid, uint32_t port);
/* 1 if @port of @domid is pending (and clear it if @clear), 0 if not. */
int xensim_guest_evtchn_pending(uint16_t domid, uint32_t port, int clear);
int xensim_guest_evtchn_close(uint16_t domid, uint32_t port);
/* Wait up to @timeout_ms for @port of @domid to become pending; clears it.
 * Returns 0, or -1/ETIMEDOUT. */
int xensim_guest_evtchn_wait(uint16_t domid, uint32_t port, int timeout_ms);

/* Raise virtual IRQ @virq (VIRQ_*) for @domid (0: dom0, whose bound
 * /dev/xen/evtchn ports then fire). */
int xensim_raise_virq(uint16_t domid, unsigned int virq);

/* A static event channel (dom0less): allocate @port of dom0 bound to
 * @remote_port of @remote, ready for IOCTL_EVTCHN_BIND_STATIC. */
int xensim_static_evtchn(uint32_t port, uint16_t remote, uint32_t remote_port);

/* ---- guest I/O to device models --------------------------------------- */

enum xensim_io_space {
	XENSIM_IO_PIO = 0,        /* IOREQ_TYPE_PIO */
	XENSIM_IO_MMIO = 1,       /* IOREQ_TYPE_COPY */
	XENSIM_IO_PCI_CONFIG = 2, /* IOREQ_TYPE_PCI_CONFIG; addr as Xen encodes it */
};

struct xensim_io {
	unsigned int space; /* enum xensim_io_space */
	int write;          /* 1: write @data, 0: read */
	uint64_t addr;
	unsigned int size;  /* 1, 2, 4 or 8 */
	uint64_t data;
};

/* How a request was handled. */
enum xensim_io_outcome {
	XENSIM_IO_SERVED = 0,    /* an ioreq server completed it */
	XENSIM_IO_UNCLAIMED = 1, /* no server claims it: reads give all ones */
	XENSIM_IO_BUFFERED = 2,  /* queued on a buffered ioreq ring */
	XENSIM_IO_IOEVENTFD = 3, /* completed in the kernel by an ioeventfd */
};

/*
 * vCPU @vcpu of @domid issues @io, as Xen would deliver it: to the enabled
 * ioreq server whose ranges contain it (ioreq page slot, READY, event on the
 * vCPU's port) and waits up to @timeout_ms for the device model's
 * completion (IORESP_READY + event). Reads return the data in *data_out.
 * Returns an enum xensim_io_outcome, or -1 with errno (ETIMEDOUT).
 */
int xensim_guest_io(uint16_t domid, unsigned int vcpu, const struct xensim_io *io,
		    uint64_t *data_out, int timeout_ms);

/* The same, in two steps, so one thread can drive the guest while another
 * serves it: submit returns a ticket (>= 0) for xensim_guest_io_wait(). */
int xensim_guest_io_submit(uint16_t domid, unsigned int vcpu, const struct xensim_io *io);
int xensim_guest_io_wait(int ticket, uint64_t *data_out, int timeout_ms);

/*
 * String I/O (rep ins/outs, rep movs to or from MMIO): one ioreq with
 * count > 1 and data_is_ptr = 1, as Xen presents it to an ioreq server.
 * Item i of @size bytes is at guest address @gpa + i * size (@gpa - i * size
 * with @df); for MMIO the device address moves the same way, a port stays.
 * write = 1: the device takes the buffer (outs); 0: it fills it (ins).
 * A buffer crossing a page boundary goes out as one ioreq per page, as
 * Xen's emulator clips repetitions at page boundaries.
 */
struct xensim_io_rep {
	unsigned int space; /* XENSIM_IO_PIO or XENSIM_IO_MMIO */
	int write;
	uint64_t addr;	   /* port, or MMIO address of the first item */
	unsigned int size; /* 1, 2, 4 or 8 */
	uint32_t count;	   /* 1 .. 65536 */
	uint64_t gpa;	   /* guest physical address of the first item */
	int df;		   /* direction flag: addresses descend */
};

/* vCPU @vcpu issues @rep and waits up to @timeout_ms for every ioreq of it.
 * Returns an enum xensim_io_outcome (an unclaimed read fills the buffer
 * with all ones), *done the items completed; -1 with errno on failure. */
int xensim_guest_io_rep(uint16_t domid, unsigned int vcpu,
			const struct xensim_io_rep *rep, uint32_t *done, int timeout_ms);
/* The same as a ticket for xensim_guest_io_wait() (data_out: items done). */
int xensim_guest_io_rep_submit(uint16_t domid, unsigned int vcpu,
			       const struct xensim_io_rep *rep);

/*
 * Xen's broadcast ioreq IOREQ_TYPE_INVALIDATE (device models drop their
 * cached mappings of guest memory, QEMU's "mapcache"): put in vCPU
 * @vcpu's slot of every enabled ioreq server of @domid; completes when all
 * have answered. *servers: how many did. Returns XENSIM_IO_SERVED, or
 * XENSIM_IO_UNCLAIMED if there is no server; -1 with errno (ETIMEDOUT).
 */
int xensim_guest_io_broadcast(uint16_t domid, unsigned int vcpu, unsigned int *servers,
			      int timeout_ms);
/* The same as a ticket for xensim_guest_io_wait() (data_out: servers). */
int xensim_guest_io_broadcast_submit(uint16_t domid, unsigned int vcpu);

/* ---- inspection -------------------------------------------------------- */

/* Interrupt line levels as the device model last set them. */
int xensim_isa_irq_level(uint16_t domid, unsigned int irq);           /* 0/1 */
int xensim_pci_intx_level(uint16_t domid, uint16_t seg, uint8_t bus,
			  uint8_t dev, unsigned int intx);             /* 0/1 */
int xensim_irq_level(uint16_t domid, unsigned int irq);               /* set_irq_level */
int xensim_pci_link_route(uint16_t domid, unsigned int link);         /* isa irq or 0 */
/* Count of set_irq_level/set_isa_irq_level "assert" transitions on @irq
 * (irqfd tests count deliveries with it). */
int xensim_irq_assert_count(uint16_t domid, unsigned int irq);

struct xensim_msi {
	uint64_t addr;
	uint32_t data;
};
/* Copy up to @max injected MSIs (oldest first); returns how many exist. */
int xensim_msis(uint16_t domid, struct xensim_msi *out, int max);

/* hvmmem_type_t of @gfn. */
int xensim_mem_type(uint16_t domid, uint64_t gfn);

struct xensim_ioreq_server_info {
	int exists;
	int enabled;
	int bufioreq;          /* HVM_IOREQSRV_BUFIOREQ_* given at creation */
	uint32_t nr_ranges[3]; /* port, memory, pci */
	int mem_type_claimed;  /* map_mem_type_to_ioreq_server flags, or 0 */
	uint32_t vcpu_port[8]; /* Xen-side event channel per vCPU (guest domain) */
	uint32_t bufioreq_port;
};
int xensim_ioreq_server(uint16_t domid, uint16_t id, struct xensim_ioreq_server_info *info);
/* 1 if server @id has exactly the range [start, end] of @type
 * (XEN_DMOP_IO_RANGE_*), 0 if not. */
int xensim_ioreq_server_has_range(uint16_t domid, uint16_t id, unsigned int type,
				  uint64_t start, uint64_t end);

/* Shutdown reason given through remote_shutdown, or -1/ENOENT if none. */
int xensim_shutdown_reason(uint16_t domid);

/* Pages marked dirty by modified_memory (and cleared by reading them). */
int xensim_modified(uint16_t domid, uint64_t gfn);                    /* 0/1 */
/* Make the guest dirty @gfn (for track_dirty_vram). */
int xensim_guest_dirty(uint16_t domid, uint64_t gfn);

struct xensim_event {
	uint32_t vcpu;
	uint8_t vector, type, insn_len;
	uint32_t error_code;
	uint64_t extra; /* cr2 */
};
/* Copy up to @max injected events; returns how many exist. */
int xensim_events(uint16_t domid, struct xensim_event *out, int max);

/* Cache attribute pinned for @gfn (XEN_DMOP_MEM_CACHEATTR_*), or -1/ENOENT. */
int xensim_cacheattr(uint16_t domid, uint64_t gfn);

/* ---- failure injection ------------------------------------------------ */

/*
 * Make the @nth (1-based) next occurrence of @what fail with @err, for
 * @count occurrences (0: forever). @what names an operation:
 * "open:/dev/xen/privcmd", "ioctl:IOCTL_PRIVCMD_MMAPBATCH_V2",
 * "hypercall:xen_version", "dm_op:create_ioreq_server", "mmap:gntdev", ...
 * (list: `xensim ctl help inject`).
 */
int xensim_inject(const char *what, unsigned int nth, unsigned int count, int err);
/* Remove every injection. */
int xensim_inject_clear(void);

#ifdef __cplusplus
}
#endif

#endif /* XENSIM_H */
