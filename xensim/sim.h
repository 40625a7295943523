/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim.h - the simulated machine inside the xensim daemon: the contract
 * between the daemon's parts. Never installed, not used by the shim.
 *
 * The daemon is one thread running one poll loop (sim-core.c). Every
 * client connection is a struct sim_conn (one open "file" of a simulated
 * device, or a control connection). A request arrives as one wire message
 * (struct xsw_msg); the core hands it to the part that owns the message
 * type, which fills a struct sim_reply. The core sends the reply, then a
 * XSP_WAKE if the connection is readable (see protocol.h "Readiness").
 *
 * Parts and owners (each section below is edited only by its owner):
 *   core     sim-core.c     loop, connections, replies, timers, fd watches
 *   machine  sim-machine.c  scenario, personality, domains, RAM, page pool,
 *                           failure injection, log
 *   control  sim-control.c  control command dispatch, core commands, sysfs
 *   privcmd  sim-privcmd.c  privcmd + /dev/xen/hypercall devices, hypercalls
 *                           (xen_version, memory_op), MMAPBATCH, RESTRICT,
 *                           MMAP_RESOURCE dispatch, DM_OP ioctl limits
 *   evtchn   sim-evtchn.c   event channels (Xen side) + /dev/xen/evtchn
 *   gnttab   sim-gnttab.c   grant tables + /dev/xen/gntdev + /dev/xen/gntalloc
 *   dm       sim-dm.c       dm_op sub-ops and HVM device state
 *            sim-ioreq.c    ioreq servers, guest I/O, irqfd, ioeventfd
 *
 * Conventions: functions returning int give 0 (or a documented value >= 0)
 * or -errno, exactly the value the kernel/Xen would produce. Domain ids are
 * unsigned int in the API (the wire carries uint32_t).
 */
#ifndef XENSIM_SIM_H
#define XENSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol.h"
#include "wire.h"

#define SIM_PAGE_SHIFT 12
#define SIM_PAGE_SIZE (1UL << SIM_PAGE_SHIFT)
#define SIM_DOMID_INVALID 0x7FF4u
#define SIM_DOMID_FIRST_RESERVED 0x7FF0u
#define SIM_MAX_VCPUS 8 /* per domain (xensim.h's ioreq info has 8 slots) */

struct sim;
struct sim_conn;
struct sim_domain;

/* ====================================================================== */
/* core (sim-core.c)                                                        */
/* ====================================================================== */

/* A growable byte buffer. */
struct sim_buf {
	unsigned char *p;
	size_t len, cap;
};
/* Append; returns a pointer to the appended bytes (zeroed if @data is
 * NULL), or NULL on ENOMEM (the reply then fails with -ENOMEM). */
void *sim_buf_put(struct sim_buf *b, const void *data, size_t len);
void sim_buf_free(struct sim_buf *b);

/* One page-aligned piece of shared memory the shim should map. */
struct sim_frame {
	int fd;          /* memfd owned by the daemon (not closed by the reply) */
	uint64_t offset; /* page aligned */
	bool ro;         /* map read-only whatever the VMA says */
};

struct sim_reply {
	int64_t ret;          /* >= 0 result or -errno (as the driver returns) */
	struct sim_buf data;  /* payload after struct xsp_reply */
	int fds[XSP_MAX_FDS]; /* fds to send (SCM_RIGHTS) */
	bool fd_owned[XSP_MAX_FDS]; /* close after sending */
	int nfds;
	bool deferred; /* the part answers later with sim_conn_reply() */
};

/* Append bytes to the reply payload (0 or -ENOMEM). */
int sim_reply_put(struct sim_reply *r, const void *data, size_t len);
/* Attach @fd (index returned, an existing index if already attached);
 * @owned: the core closes it once sent. -E2BIG past XSP_MAX_FDS. */
int sim_reply_fd(struct sim_reply *r, int fd, bool owned);
/* Append struct xsp_frames + @n x struct xsp_frame describing @frames, with
 * their fds attached (deduplicated). 0 or -errno. */
int sim_reply_frames(struct sim_reply *r, const struct sim_frame *frames, size_t n);
/* Defer the answer: the core sends nothing now; the part must call
 * sim_conn_reply() later (or the connection goes away first, see the
 * release hooks). */
void sim_reply_defer(struct sim_reply *r);

/*
 * A request's payload (struct xsw_msg) is its fixed struct, then any
 * trailing array. The length checks, done once here; each handler says
 * which errno a failed one gives (the drivers differ).
 */
/* Copy the first @size bytes into @req: 0, or -EINVAL (nothing copied)
 * when the payload is shorter. */
int sim_req_fixed(const struct xsw_msg *m, void *req, size_t size);
/* The @count elements of @elem bytes that follow the first @hdr bytes, or
 * NULL when the payload is shorter. */
const void *sim_req_array(const struct xsw_msg *m, size_t hdr, size_t count, size_t elem);

enum sim_conn_state {
	SIM_CONN_OPEN,
	SIM_CONN_DETACHED, /* machine reset: every request gets -ENODEV */
};

struct sim_conn {
	int sock;
	enum xsp_device dev;
	enum sim_conn_state state;
	pid_t pid;
	char comm[16];
	unsigned int id; /* for logs and `show connections` */
	uint32_t open_flags;

	/* privcmd */
	unsigned int restrict_domid; /* SIM_DOMID_INVALID: unrestricted */

	/* readiness */
	bool wake_outstanding;

	/* per-part state, owned and freed by the part's release hook */
	void *evtchn; /* sim-evtchn.c */
	void *gnt;    /* sim-gnttab.c (gntdev or gntalloc) */
	void *dm;     /* sim-ioreq.c (irqfds, ioeventfds, deferred io) */
	void *ctl;    /* sim-control.c / parts: deferred control answers */

	struct sim_conn *next;
};

/* Send the deferred reply of @c (type = the request type; XSP_REPLY is
 * added). @data/@len: payload after struct xsp_reply. Returns 0/-errno. */
int sim_conn_reply(struct sim *s, struct sim_conn *c, uint32_t type, int64_t ret,
		   const void *data, size_t len, const int *fds, int nfds);

/* A part tells the core that @c may have become readable (or not): the
 * core asks the part (sim_evtchn_conn_readable) and sends XSP_WAKE if
 * readable and no wake is outstanding. Safe to call any time. */
void sim_conn_readiness_changed(struct sim *s, struct sim_conn *c);

/* Iterate the open connections. */
struct sim_conn *sim_conns(struct sim *s);

/* Timers (milliseconds, CLOCK_MONOTONIC). The callback runs from the loop. */
typedef void sim_timer_cb(struct sim *s, void *arg);
/* Returns a timer id > 0, or -errno. */
long sim_timer_add(struct sim *s, int delay_ms, sim_timer_cb *cb, void *arg);
void sim_timer_cancel(struct sim *s, long id);

/* Watch an extra fd (e.g. an irqfd eventfd) for POLLIN. */
typedef void sim_watch_cb(struct sim *s, int fd, void *arg);
int sim_watch_fd(struct sim *s, int fd, sim_watch_cb *cb, void *arg);
void sim_unwatch_fd(struct sim *s, int fd);

/* Monotonic milliseconds. */
uint64_t sim_now_ms(void);

/* ====================================================================== */
/* machine (sim-machine.c)                                                  */
/* ====================================================================== */

/* Kernel personality features (DESIGN.md "Kernel personalities"). */
enum sim_feature {
	SIM_F_PRIVCMD,         /* /dev/xen/privcmd exists */
	SIM_F_PROC_PRIVCMD,    /* /proc/xen/privcmd exists */
	SIM_F_HYPERCALL_DEV,   /* /dev/xen/hypercall */
	SIM_F_EVTCHN,          /* /dev/xen/evtchn */
	SIM_F_GNTDEV,          /* /dev/xen/gntdev */
	SIM_F_GNTALLOC,        /* /dev/xen/gntalloc */
	SIM_F_MMAPBATCH_V2,
	SIM_F_MMAP_RESOURCE,
	SIM_F_RESOURCE_SIZE,   /* MMAP_RESOURCE size query (addr = num = 0) */
	SIM_F_DM_OP,
	SIM_F_RESTRICT,        /* IOCTL_PRIVCMD_RESTRICT */
	SIM_F_IRQFD,           /* Linux >= 6.7 number */
	SIM_F_IRQFD_66,        /* Linux 6.6 number instead */
	SIM_F_IOEVENTFD,
	SIM_F_GSI,             /* IOCTL_PRIVCMD_PCIDEV_GET_GSI */
	SIM_F_DMABUF,          /* gntdev DMA-BUF ioctls */
	SIM_F_EVTCHN_RESTRICT, /* IOCTL_EVTCHN_RESTRICT_DOMID */
	SIM_F_BIND_STATIC,     /* IOCTL_EVTCHN_BIND_STATIC */
	SIM_F_OLD_PRIVCMD_EINVAL, /* unknown privcmd ioctls give EINVAL */
	SIM_F_DOMU,            /* privcmd fds start restricted (XSA-482 domU) */
	SIM_F_COMPAT32,        /* the caller is a 32-bit process on a 64-bit
				* kernel: every ioctl gives ENOTTY */
	SIM_F_PV_DOM0,         /* dom0's kernel is PV (use_ptemod): no DMA-BUF export */
	SIM_F_COUNT
};
bool sim_has(const struct sim *s, enum sim_feature f);
/* The simulated Xen's architecture (scenario "arch x86|arm"; default the
 * host's): Arm's dm_op set_irq_level exists only on arm. */
bool sim_arch_arm(const struct sim *s);

enum sim_domain_type { SIM_DOM_PV, SIM_DOM_PVH, SIM_DOM_HVM };

/* Memory shared with clients: a memfd, also mapped by the daemon. */
struct sim_mem {
	int fd;
	unsigned char *ptr;
	size_t size; /* bytes, multiple of SIM_PAGE_SIZE */
};
/* Allocate @pages zeroed pages in a new memfd named @name. 0 or -errno. */
int sim_mem_alloc(struct sim_mem *m, size_t pages, const char *name);
void sim_mem_free(struct sim_mem *m);

struct sim_domain {
	unsigned int domid;
	enum sim_domain_type type;
	unsigned int vcpus; /* max_vcpus, 1..SIM_MAX_VCPUS */
	char name[64];
	struct sim_mem ram; /* guest RAM; gfn n = bytes [n << 12, (n+1) << 12) */
	uint64_t nr_pages;
	unsigned int grant_frames; /* max grant-table frames (v1) */
	/* Built by a domain builder: vCPUs online, HVM params set. Scenario
	 * domains are; a domain created by domctl is not (no vCPU is online:
	 * ioreq servers get no vCPU or buffered ports, legacy ioreq gfns are
	 * the unset HVM params, 0). */
	bool built;

	/* per-part state, created/destroyed by the parts' domain hooks */
	void *evtchn; /* sim-evtchn.c */
	void *gnttab; /* sim-gnttab.c */
	void *hvm;    /* sim-dm.c / sim-ioreq.c (NULL for PV) */
	void *machine; /* sim-machine.c: paged-out and failing frames */

	struct sim_domain *next;
};

struct sim_domain *sim_domain_find(struct sim *s, unsigned int domid);
struct sim_domain *sim_domains(struct sim *s); /* dom0 first, then by id */
bool sim_domain_is_hvm(const struct sim_domain *d); /* HVM or PVH */

/* The frame backing guest frame @gfn of @d (RAM only). 0, -EINVAL if
 * out of range. Does not apply paging/failure state. */
int sim_domain_frame(struct sim_domain *d, uint64_t gfn, struct sim_frame *f);
/* Pointer to guest physical memory [gpa, gpa + len) if all in RAM, else NULL. */
void *sim_guest_ptr(struct sim_domain *d, uint64_t gpa, size_t len);

/* Foreign-map state of @gfn (xensim_guest_page_out / frame_error): 0 to
 * map it, -ENOENT while paged out (consumes one retry), or the injected
 * -errno. */
int sim_domain_frame_check(struct sim *s, struct sim_domain *d, uint64_t gfn);

/* Xen version facts. */
struct sim_version {
	unsigned int major, minor;
	char extraversion[16];
	char capabilities[1024];
	char changeset[64];
	char compiler[64], compile_by[16], compile_domain[32], compile_date[32];
	char commandline[1024];
};
const struct sim_version *sim_version(const struct sim *s);

/*
 * Failure injection: returns 0, or the -errno the operation must fail
 * with now. @what is the operation's name, e.g. "open:/dev/xen/privcmd",
 * "ioctl:IOCTL_PRIVCMD_MMAPBATCH_V2", "hypercall:xen_version",
 * "dm_op:create_ioreq_server", "mmap:gntdev", "evtchn:bind_interdomain".
 * Every part calls it at the entry of each operation it owns.
 */
int sim_inject(struct sim *s, const char *what);

/* Append a line to the machine log (`show log`) and, if verbose, stderr. */
void sim_log(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Scenario text -> machine (used at start-up and by `reset`). Destroys
 * the old machine's domains and detaches every connection first.
 * On a parse error returns -EINVAL with a message in @err. */
int sim_machine_load(struct sim *s, const char *scenario, char *err, size_t errlen);

/* ====================================================================== */
/* control (sim-control.c)                                                  */
/* ====================================================================== */

/*
 * Control commands are split into words; each part has a dispatcher that
 * returns SIM_CTL_NOT_MINE if it does not know argv[0]. Otherwise it sets
 * r->ret and appends its text answer to r->data (no terminating NUL; the
 * client adds one). Numbers accept 0x hex (sim_ctl_num). Errors: r->ret =
 * -errno and a one-line message in r->data.
 */
#define SIM_CTL_NOT_MINE 1
int sim_ctl_num(const char *word, uint64_t *v); /* 0 or -EINVAL */
int sim_ctl_printf(struct sim_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int sim_ctl_error(struct sim_reply *r, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int sim_evtchn_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		       struct sim_reply *r); /* sim-evtchn.c: evtchn-*, virq, static-evtchn */
int sim_gnttab_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		       struct sim_reply *r); /* sim-gnttab.c: grant, ungrant, grant-info */
int sim_dm_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		   struct sim_reply *r); /* sim-dm.c / sim-ioreq.c: io*, show <hvm things>, guest-dirty */

/* ====================================================================== */
/* privcmd (sim-privcmd.c)                                                  */
/* ====================================================================== */

/* A buffer of caller memory carried by a request (hypercall/DM_OP). */
struct sim_ubuf {
	uint32_t index;      /* position in the request (xsp_buf.index) */
	uint32_t flags;      /* XSP_BUF_IN | XSP_BUF_OUT */
	size_t size;
	unsigned char *data; /* daemon copy (IN contents, zeros if OUT-only) */
	bool written;        /* set by whoever writes it: sent back */
};

/* Is @c (a privcmd connection) allowed to act on @domid? 0 or -EPERM. */
int sim_privcmd_may(const struct sim_conn *c, unsigned int domid);

/* ====================================================================== */
/* Hooks every part implements (called by core/machine)                   */
/* ====================================================================== */

/* Requests by message type range: 0x100-0x1ff privcmd/hypercall
 * (sim-privcmd.c), 0x200 evtchn, 0x300 gntdev and 0x400 gntalloc
 * (sim-evtchn.c / sim-gnttab.c), 0x500 control (sim-control.c). */
int sim_privcmd_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			struct sim_reply *r);
int sim_evtchn_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r);
int sim_gnttab_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r); /* gntdev and gntalloc */
int sim_control_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			struct sim_reply *r);
/* (the return value of a request handler: 0 = reply filled; -errno =
 * transport-level failure, the core drops the connection) */

/* A connection is gone (EOF) or detached by a reset: release everything
 * it holds as the driver's release would (unbind ports, unmap grants and
 * fire unmap notifications, drop irqfds, cancel deferred answers). Each
 * part frees its own per-connection state and sets its pointer to NULL. */
void sim_evtchn_conn_release(struct sim *s, struct sim_conn *c);
void sim_gnttab_conn_release(struct sim *s, struct sim_conn *c);
void sim_dm_conn_release(struct sim *s, struct sim_conn *c);

/* Is evtchn connection @c readable (pending ring not empty, or overflow)? */
bool sim_evtchn_conn_readable(struct sim *s, struct sim_conn *c);

/* Domain life cycle (called after RAM is set up / before it is freed). */
int sim_evtchn_domain_init(struct sim *s, struct sim_domain *d);
void sim_evtchn_domain_destroy(struct sim *s, struct sim_domain *d);
int sim_gnttab_domain_init(struct sim *s, struct sim_domain *d);
void sim_gnttab_domain_destroy(struct sim *s, struct sim_domain *d);
int sim_hvm_domain_init(struct sim *s, struct sim_domain *d); /* HVM/PVH only */
/* d->nr_pages grew (toolstack domain, populate_physmap): follow it. */
int sim_hvm_domain_resize(struct sim *s, struct sim_domain *d);
void sim_hvm_domain_destroy(struct sim *s, struct sim_domain *d);

/* ====================================================================== */
/* evtchn (sim-evtchn.c): the Xen side, for the other parts               */
/* ====================================================================== */

/*
 * A port owned by Xen itself in domain @d, unbound for @remote (as the
 * ioreq server's per-vCPU and buffered ports are: the device model in
 * @remote binds interdomain to it). When the remote end notifies, @cb
 * runs. Returns the port (> 0) or -errno.
 */
typedef void sim_evtchn_xen_cb(struct sim *s, struct sim_domain *d, unsigned int port,
			       void *arg);
int sim_evtchn_alloc_xen_port(struct sim *s, struct sim_domain *d, unsigned int remote,
			      sim_evtchn_xen_cb *cb, void *arg);
void sim_evtchn_free_port(struct sim *s, struct sim_domain *d, unsigned int port);
/* EVTCHNOP_send from @port of @d (to whatever it is connected to). */
int sim_evtchn_send(struct sim *s, struct sim_domain *d, unsigned int port);

/* dom0's kernel (gntdev/gntalloc unmap notifications): take a reference on
 * dom0 @port as evtchn_get() does (0; -EINVAL if the kernel has no user
 * binding of it, -ENOENT if nothing binds it), drop it (the port is closed
 * once no evtchn connection or reference holds it), notify through it. */
int sim_evtchn_kernel_get(struct sim *s, unsigned int port);
void sim_evtchn_kernel_put(struct sim *s, unsigned int port);
void sim_evtchn_kernel_notify(struct sim *s, unsigned int port);

/* ====================================================================== */
/* gnttab (sim-gnttab.c): for MMAP_RESOURCE                                */
/* ====================================================================== */

/* Frames of XENMEM_resource_grant_table (id shared 0 / status 1) of @d:
 * @idx.. @idx + @num - 1. @num == 0: return the resource size in frames.
 * Returns >= 0 (frames filled or size) or -errno (-EINVAL bad id/range). */
long sim_gnttab_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			 uint64_t idx, uint64_t num, struct sim_frame *frames);

/* ====================================================================== */
/* dm (sim-dm.c, sim-ioreq.c): for privcmd                                 */
/* ====================================================================== */

/*
 * __HYPERVISOR_dm_op on @domid with @nbufs buffers (bufs[0] = struct
 * xen_dm_op), with Xen's checks. Used by both the DM_OP ioctl (after the
 * kernel's limits) and the dm_op hypercall. Sets bufs[i].written for the
 * buffers Xen writes. Returns Xen's result (0 or -errno).
 */
long sim_dm_op(struct sim *s, struct sim_conn *c, unsigned int domid,
	       struct sim_ubuf *bufs, unsigned int nbufs);

/* Frames of XENMEM_resource_ioreq_server @id of @d (frame 0 = buffered
 * page, 1.. = ioreq pages), as sim_gnttab_resource. */
long sim_ioreq_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			uint64_t idx, uint64_t num, struct sim_frame *frames);

/* IOCTL_PRIVCMD_IRQFD / IOEVENTFD, after privcmd checked the personality
 * and the restriction. @efd is the received eventfd (the part keeps or
 * closes it). Return the ioctl's result. */
int sim_irqfd(struct sim *s, struct sim_conn *c, const struct xsp_irqfd *req,
	      const void *dm_op, size_t dm_op_size, int efd);
int sim_ioeventfd(struct sim *s, struct sim_conn *c, const struct xsp_ioeventfd *req,
		  const uint32_t *ports, int efd);

#endif /* XENSIM_SIM_H */
