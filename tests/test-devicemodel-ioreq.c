/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel driving real ioreq traffic on xensim: a device model
 * creates an ioreq server, maps its ioreq page with
 * xenforeignmemory_map_resource(), binds the per-vCPU event channels with
 * libxenevtchn and serves a simulated guest vCPU's MMIO write and port
 * read (issued from another thread); string I/O (rep outsb / insl / movsw,
 * DF clear and set) served through a foreign mapping of the guest buffer;
 * a broadcast INVALIDATE that completes only once both servers answered;
 * then the ioeventfd extension, where the kernel completes virtio-mmio
 * doorbell writes itself.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/hvm/ioreq.h>
#include <xen/memory.h>

#include "devicemodel-util.h"
#include "xendevicemodel.h"
#include "xenevtchn.h"
#include "xenforeignmemory.h"
#include "xensim.h"
#include "xentoollog.h"

#define DOM 1
#define DOM2 2
#define NR_VCPUS 2

#define SCENARIO                                                                         \
	"domain 1 type=hvm vcpus=2 memory=64M\n"                                         \
	"domain 2 type=hvm vcpus=1 memory=16M\n"

/* A device model: one ioreq server with its ioreq page and bound ports. */
struct dm {
	xendevicemodel_handle *dmod;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	xenforeignmemory_resource_handle *fres;
	shared_iopage_t *page;
	ioservid_t id;
	evtchn_port_t local[NR_VCPUS];
};

static xentoollog_logger_stdiostream *logger;

static void reset(const char *kernel)
{
	char scenario[256];

	snprintf(scenario, sizeof(scenario), "%s%s%s\n", SCENARIO, kernel ? "kernel " : "",
		 kernel ? kernel : "");
	ck_assert_int_eq(xensim_reset(scenario), 0);
}

static void setup(void)
{
	reset(NULL);
	logger = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
	ck_assert_ptr_nonnull(logger);
}

static void teardown(void)
{
	xtl_logger_destroy((xentoollog_logger *)logger);
}

static void dm_start(struct dm *dm, uint64_t mmio_start, uint64_t mmio_end)
{
	struct xensim_ioreq_server_info info;
	void *addr = NULL;
	unsigned int v;

	memset(dm, 0, sizeof(*dm));
	dm->dmod = xendevicemodel_open((xentoollog_logger *)logger, 0);
	dm->fmem = xenforeignmemory_open((xentoollog_logger *)logger, 0);
	dm->xce = xenevtchn_open((xentoollog_logger *)logger, 0);
	ck_assert_ptr_nonnull(dm->dmod);
	ck_assert_ptr_nonnull(dm->fmem);
	ck_assert_ptr_nonnull(dm->xce);

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(dm->dmod, DOM,
							    HVM_IOREQSRV_BUFIOREQ_OFF, &dm->id),
			 0);
	/* Frame 1 is the synchronous ioreq page (frame 0 the buffered ring). */
	dm->fres = xenforeignmemory_map_resource(dm->fmem, DOM, XENMEM_resource_ioreq_server,
						 dm->id,
						 XENMEM_resource_ioreq_server_frame_ioreq(0), 1,
						 &addr, PROT_READ | PROT_WRITE, 0);
	ck_assert_msg(dm->fres, "map_resource: %s", strerror(errno));
	dm->page = addr;

	ck_assert_int_eq(xensim_ioreq_server(DOM, dm->id, &info), 0);
	for (v = 0; v < NR_VCPUS; v++) {
		xenevtchn_port_or_error_t p;

		/* The page names each vCPU's port, as Xen fills it in. */
		ck_assert_uint_eq(dm->page->vcpu_ioreq[v].vp_eport, info.vcpu_port[v]);
		p = xenevtchn_bind_interdomain(dm->xce, DOM, dm->page->vcpu_ioreq[v].vp_eport);
		ck_assert_int_ge(p, 0);
		dm->local[v] = (evtchn_port_t)p;
	}
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(dm->dmod, DOM, dm->id, 1,
								     mmio_start, mmio_end),
			 0);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(dm->dmod, DOM, dm->id, 0,
								     0xc000, 0xc00f),
			 0);
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(dm->dmod, DOM, dm->id, 1), 0);
}

static void dm_stop(struct dm *dm)
{
	ck_assert_int_eq(xendevicemodel_destroy_ioreq_server(dm->dmod, DOM, dm->id), 0);
	ck_assert_int_eq(xenforeignmemory_unmap_resource(dm->fmem, dm->fres), 0);
	ck_assert_int_eq(xenevtchn_close(dm->xce), 0);
	ck_assert_int_eq(xenforeignmemory_close(dm->fmem), 0);
	ck_assert_int_eq(xendevicemodel_close(dm->dmod), 0);
}

/*
 * Serve one request as QEMU does: wait for a port, find its vCPU's slot
 * READY, take it, let @handle emulate it, post the response and notify.
 * Events without a ready slot (binding marks a port pending) are skipped.
 */
typedef void handler_fn(ioreq_t *req, void *arg);

static void serve_one(struct dm *dm, handler_fn *handle, void *arg)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(dm->xce), .events = POLLIN };
	int rounds;

	for (rounds = 0; rounds < 100; rounds++) {
		xenevtchn_port_or_error_t port;
		unsigned int v;

		ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		port = xenevtchn_pending(dm->xce);
		ck_assert_int_ge(port, 0);
		ck_assert_int_eq(xenevtchn_unmask(dm->xce, (evtchn_port_t)port), 0);
		for (v = 0; v < NR_VCPUS; v++) {
			ioreq_t *req = &dm->page->vcpu_ioreq[v];

			if ((evtchn_port_t)port != dm->local[v])
				continue;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (req->state == STATE_IOREQ_READY) {
				req->state = STATE_IOREQ_INPROCESS;
				__atomic_thread_fence(__ATOMIC_SEQ_CST);
				handle(req, arg);
				__atomic_thread_fence(__ATOMIC_SEQ_CST);
				req->state = STATE_IORESP_READY;
				__atomic_thread_fence(__ATOMIC_SEQ_CST);
				ck_assert_int_eq(xenevtchn_notify(dm->xce, dm->local[v]), 0);
				return;
			}
		}
	}
	ck_abort_msg("no ioreq arrived");
}

/* The guest: a vCPU issuing I/O from its own thread. */
struct guest_io {
	unsigned int vcpu;
	struct xensim_io io;
	int outcome;
	uint64_t data;
	int err;
};

static void *guest_thread(void *arg)
{
	struct guest_io *g = arg;
	int ticket = xensim_guest_io_submit(DOM, g->vcpu, &g->io);

	if (ticket < 0) {
		g->outcome = -1;
		g->err = errno;
		return NULL;
	}
	g->outcome = xensim_guest_io_wait(ticket, &g->data, 10000);
	g->err = g->outcome < 0 ? errno : 0;
	return NULL;
}

struct seen {
	ioreq_t req;
	uint64_t reply;
};

static void record(ioreq_t *req, void *arg)
{
	struct seen *s = arg;

	s->req = *req;
	if (req->dir == IOREQ_READ)
		req->data = s->reply;
}

static void guest_io_served(struct dm *dm, struct guest_io *g, struct seen *s)
{
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, guest_thread, g), 0);
	serve_one(dm, record, s);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_msg(g->outcome == XENSIM_IO_SERVED, "outcome %d (%s)", g->outcome,
		      strerror(g->err));
}

START_TEST(ioreq_round_trip)
{
	struct dm dm;
	struct seen s;
	struct guest_io w = { .vcpu = 1,
			      .io = { .space = XENSIM_IO_MMIO,
				      .write = 1,
				      .addr = 0xf0000010,
				      .size = 4,
				      .data = 0xcafef00d } };
	struct guest_io r = { .vcpu = 0,
			      .io = { .space = XENSIM_IO_PIO,
				      .write = 0,
				      .addr = 0xc004,
				      .size = 2 } };

	dm_start(&dm, 0xf0000000, 0xf0000fff);

	/* An MMIO write from vCPU 1. */
	memset(&s, 0, sizeof(s));
	guest_io_served(&dm, &w, &s);
	ck_assert_uint_eq(s.req.type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(s.req.dir, IOREQ_WRITE);
	ck_assert_uint_eq(s.req.addr, 0xf0000010);
	ck_assert_uint_eq(s.req.size, 4);
	ck_assert_uint_eq(s.req.count, 1);
	ck_assert_uint_eq(s.req.data_is_ptr, 0);
	ck_assert_uint_eq(s.req.data, 0xcafef00d);
	ck_assert_uint_eq(s.req.vp_eport, dm.page->vcpu_ioreq[1].vp_eport);

	/* A port read from vCPU 0: the guest gets what the device model put. */
	memset(&s, 0, sizeof(s));
	s.reply = 0xbeef;
	guest_io_served(&dm, &r, &s);
	ck_assert_uint_eq(s.req.type, IOREQ_TYPE_PIO);
	ck_assert_uint_eq(s.req.dir, IOREQ_READ);
	ck_assert_uint_eq(s.req.addr, 0xc004);
	ck_assert_uint_eq(s.req.size, 2);
	ck_assert_uint_eq(r.data, 0xbeef);

	/* Completed slots go back to NONE. */
	ck_assert_uint_eq(dm.page->vcpu_ioreq[0].state, STATE_IOREQ_NONE);
	ck_assert_uint_eq(dm.page->vcpu_ioreq[1].state, STATE_IOREQ_NONE);

	/* Disabled: the server gets nothing, reads float high. */
	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(dm.dmod, DOM, dm.id, 0), 0);
	r.data = 0;
	ck_assert_int_eq(xensim_guest_io(DOM, 0, &r.io, &r.data, 10000), XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(r.data & 0xffff, 0xffff);
	dm_stop(&dm);
}
END_TEST

/* ---- string I/O and broadcasts ------------------------------------------------------
 */

/* A device with 64 bytes of storage that serves string requests through a
 * foreign mapping of the guest buffer, item by item, as QEMU does. */
struct strdev {
	xenforeignmemory_handle *fmem;
	unsigned char dev[64];
	unsigned int len; /* bytes taken by writes */
	ioreq_t req;	  /* the last request */
};

static void strdev_handle(ioreq_t *req, void *arg)
{
	struct strdev *d = arg;
	uint64_t bytes = (uint64_t)req->count * req->size;
	uint64_t first = req->df ? req->data - (bytes - req->size) : req->data;
	xen_pfn_t gfn = (xen_pfn_t)(first >> XEN_PAGE_SHIFT);
	unsigned char *p;
	uint32_t i;

	d->req = *req;
	ck_assert_uint_eq(req->data_is_ptr, 1);
	ck_assert_uint_le(bytes, sizeof(d->dev));
	/* Xen splits string I/O at the buffer's page boundaries */
	ck_assert_uint_eq((first + bytes - 1) >> XEN_PAGE_SHIFT, gfn);
	p = xenforeignmemory_map(d->fmem, DOM, PROT_READ | PROT_WRITE, 1, &gfn, NULL);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < req->count; i++) {
		uint64_t step = (uint64_t)i * req->size;
		unsigned char *item = p + (first & (XEN_PAGE_SIZE - 1)) +
				      (req->df ? bytes - req->size - step : step);

		if (req->dir == IOREQ_WRITE) {
			memcpy(d->dev + d->len, item, req->size);
			d->len += req->size;
		} else {
			memcpy(item, d->dev + step, req->size);
		}
	}
	ck_assert_int_eq(xenforeignmemory_unmap(d->fmem, p, 1), 0);
}

struct guest_rep {
	struct xensim_io_rep rep;
	int outcome, err;
	uint64_t done;
};

static void *guest_rep_thread(void *arg)
{
	struct guest_rep *g = arg;
	int ticket = xensim_guest_io_rep_submit(DOM, 0, &g->rep);

	if (ticket < 0) {
		g->outcome = -1;
		g->err = errno;
		return NULL;
	}
	g->outcome = xensim_guest_io_wait(ticket, &g->done, 10000);
	g->err = g->outcome < 0 ? errno : 0;
	return NULL;
}

/* vCPU 0 runs the string instruction @rep; @d serves it. */
static void rep_served(struct dm *dm, struct strdev *d, const struct xensim_io_rep *rep)
{
	struct guest_rep g = {.rep = *rep};
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, guest_rep_thread, &g), 0);
	serve_one(dm, strdev_handle, d);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_msg(g.outcome == XENSIM_IO_SERVED, "outcome %d (%s)", g.outcome,
		      strerror(g.err));
	ck_assert_uint_eq(g.done, rep->count);
	ck_assert_uint_eq(d->req.count, rep->count);
	ck_assert_uint_eq(d->req.size, rep->size);
	ck_assert_uint_eq(d->req.data, rep->gpa);
	ck_assert_uint_eq(d->req.df, rep->df);
	ck_assert_uint_eq(d->req.addr, rep->addr);
	ck_assert_uint_eq(d->req.dir, rep->write ? IOREQ_WRITE : IOREQ_READ);
}

START_TEST(ioreq_string_io)
{
	static const char msg[16] = "rep outsb works!";
	unsigned char rev[16], got[16];
	struct xensim_io_rep rep = {
		.space = XENSIM_IO_PIO,
		.write = 1,
		.addr = 0xc000,
		.size = 1,
		.count = 16,
		.gpa = 0x50000,
	};
	struct strdev d;
	struct dm dm;
	unsigned int i;

	dm_start(&dm, 0xf0000000, 0xf0000fff);
	memset(&d, 0, sizeof(d));
	d.fmem = dm.fmem;
	ck_assert_int_eq(xensim_guest_write(DOM, 0x50000, msg, sizeof(msg)), 0);

	/* rep outsb, DF clear: the device gets the string in order */
	rep_served(&dm, &d, &rep);
	ck_assert_uint_eq(d.req.type, IOREQ_TYPE_PIO);
	ck_assert_uint_eq(d.len, 16);
	ck_assert_mem_eq(d.dev, msg, sizeof(msg));

	/* DF set: from the last byte down */
	d.len = 0;
	rep.gpa = 0x5000f;
	rep.df = 1;
	rep_served(&dm, &d, &rep);
	for (i = 0; i < sizeof(rev); i++)
		rev[i] = (unsigned char)msg[sizeof(msg) - 1 - i];
	ck_assert_mem_eq(d.dev, rev, sizeof(rev));

	/* rep insl: the device fills the guest buffer */
	rep = (struct xensim_io_rep){.space = XENSIM_IO_PIO,
				     .addr = 0xc000,
				     .size = 4,
				     .count = 4,
				     .gpa = 0x51000};
	rep_served(&dm, &d, &rep);
	ck_assert_int_eq(xensim_guest_read(DOM, 0x51000, got, sizeof(got)), 0);
	ck_assert_mem_eq(got, rev, sizeof(rev));
	/* ... and with DF set the items land from the top down */
	rep.gpa = 0x5200c;
	rep.df = 1;
	rep_served(&dm, &d, &rep);
	ck_assert_int_eq(xensim_guest_read(DOM, 0x52000, got, sizeof(got)), 0);
	for (i = 0; i < 4; i++)
		ck_assert_mem_eq(got + 4 * i, rev + 4 * (3 - i), 4);

	/* rep movsw to MMIO: one ioreq of type COPY */
	d.len = 0;
	rep = (struct xensim_io_rep){.space = XENSIM_IO_MMIO,
				     .write = 1,
				     .addr = 0xf0000100,
				     .size = 2,
				     .count = 8,
				     .gpa = 0x50000};
	rep_served(&dm, &d, &rep);
	ck_assert_uint_eq(d.req.type, IOREQ_TYPE_COPY);
	ck_assert_mem_eq(d.dev, msg, sizeof(msg));
	dm_stop(&dm);
}
END_TEST

/* Keep a copy of the request served (a broadcast has nothing to emulate). */
static void note(ioreq_t *req, void *arg)
{
	*(ioreq_t *)arg = *req;
}

START_TEST(ioreq_broadcast)
{
	struct dm a, b;
	ioreq_t seen;
	uint64_t servers = 0;
	int ticket;

	dm_start(&a, 0xf0000000, 0xf0000fff);
	dm_start(&b, 0xf0001000, 0xf0001fff);
	ticket = xensim_guest_io_broadcast_submit(DOM, 0);
	ck_assert_int_ge(ticket, 0);
	memset(&seen, 0, sizeof(seen));
	serve_one(&b, note, &seen);
	ck_assert_uint_eq(seen.type, IOREQ_TYPE_INVALIDATE);
	/* only one of the two has answered */
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &servers, 50), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	memset(&seen, 0, sizeof(seen));
	serve_one(&a, note, &seen);
	ck_assert_uint_eq(seen.type, IOREQ_TYPE_INVALIDATE);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &servers, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(servers, 2);
	dm_stop(&a);
	dm_stop(&b);
}
END_TEST

/* ---- ioeventfd ---------------------------------------------------------------------- */

#ifndef XS_UPSTREAM_ORACLE
#define VIRTIO_BASE 0xf1000000ULL
#define QUEUE_NOTIFY (VIRTIO_BASE + 0x50)

static bool readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) == 1 && (pfd.revents & POLLIN);
}

#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable extension */
START_TEST(ioeventfd_doorbell)
{
	struct dm dm;
	struct seen s;
	struct xensim_io kick = { .space = XENSIM_IO_MMIO,
				  .write = 1,
				  .addr = QUEUE_NOTIFY,
				  .size = 4,
				  .data = 1 };
	struct guest_io other = { .vcpu = 0, .io = kick };
	uint64_t count = 0;
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	ck_assert_int_ge(efd, 0);
	dm_start(&dm, VIRTIO_BASE, VIRTIO_BASE + 0x1ff);
	ck_assert_int_eq(xendevicemodel_ioeventfd_assign(dm.dmod, DOM, dm.page, dm.local,
							 NR_VCPUS, VIRTIO_BASE, 4, 1, efd),
			 0);

	/* Queue 1's doorbell: completed in the kernel, eventfd signalled. */
	ck_assert_int_eq(xensim_guest_io(DOM, 1, &kick, NULL, 10000), XENSIM_IO_IOEVENTFD);
	ck_assert(readable(efd, 10000));
	ck_assert_int_eq(read(efd, &count, sizeof(count)), sizeof(count));
	ck_assert_uint_eq(count, 1);
	/* ... and no ioreq reached the device model. */
	ck_assert_uint_eq(dm.page->vcpu_ioreq[0].state, STATE_IOREQ_NONE);
	ck_assert_uint_eq(dm.page->vcpu_ioreq[1].state, STATE_IOREQ_NONE);

	/* Another queue's doorbell is an ordinary request. */
	other.io.data = 2;
	memset(&s, 0, sizeof(s));
	guest_io_served(&dm, &other, &s);
	ck_assert_uint_eq(s.req.addr, QUEUE_NOTIFY);
	ck_assert_uint_eq(s.req.data, 2);
	ck_assert(!readable(efd, 0));

	/* A registered eventfd cannot be registered twice. */
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_assign(dm.dmod, DOM, dm.page, dm.local,
							 NR_VCPUS, VIRTIO_BASE, 4, 1, efd),
			 -1);
	ck_assert_int_eq(errno, EBUSY);

	/* Deassigned: queue 1's doorbell comes to the device model again. */
	ck_assert_int_eq(xendevicemodel_ioeventfd_deassign(dm.dmod, DOM, dm.page, dm.local,
							   NR_VCPUS, VIRTIO_BASE, 4, 1, efd),
			 0);
	other.io.data = 1;
	memset(&s, 0, sizeof(s));
	guest_io_served(&dm, &other, &s);
	ck_assert_uint_eq(s.req.data, 1);
	ck_assert(!readable(efd, 0));
	dm_stop(&dm);
	close(efd);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable extension */
START_TEST(ioeventfd_errors)
{
	struct dm dm;
	int efd = eventfd(0, EFD_CLOEXEC);
	char *unaligned;

	ck_assert_int_ge(efd, 0);
	dm_start(&dm, VIRTIO_BASE, VIRTIO_BASE + 0x1ff);
	unaligned = (char *)dm.page + 8;
#define EINVAL_CALL(...)                                                                 \
	do {                                                                             \
		errno = 0;                                                               \
		ck_assert_int_eq(xendevicemodel_ioeventfd_assign(__VA_ARGS__), -1);      \
		ck_assert_int_eq(errno, EINVAL);                                         \
	} while (0)
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, NR_VCPUS, VIRTIO_BASE, 3, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, 0, VIRTIO_BASE, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, 4097, VIRTIO_BASE, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, unaligned, dm.local, NR_VCPUS, VIRTIO_BASE, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, NULL, dm.local, NR_VCPUS, VIRTIO_BASE, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, NULL, NR_VCPUS, VIRTIO_BASE, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, NR_VCPUS, VIRTIO_BASE, 4, 0x10000, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, NR_VCPUS, UINT64_MAX - 0x50, 4, 0, efd);
	EINVAL_CALL(dm.dmod, DOM, dm.page, dm.local, NR_VCPUS, VIRTIO_BASE, 4, 0, -1);
	/* Not an ioreq-server mapping: the kernel says EFAULT. */
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_assign(
				 dm.dmod, DOM, (void *)((uintptr_t)&dm & ~(uintptr_t)0xfff),
				 dm.local, NR_VCPUS, VIRTIO_BASE, 4, 0, efd),
			 -1);
	ck_assert_int_eq(errno, EFAULT);

	/* Deassigning what was never assigned. */
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_deassign(dm.dmod, DOM, dm.page, dm.local,
							   NR_VCPUS, VIRTIO_BASE, 4, 0, efd),
			 -1);
	ck_assert_int_eq(errno, ENODEV);

	/* Restriction applies. */
	ck_assert_int_eq(xendevicemodel_restrict(dm.dmod, DOM), 0);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_assign(dm.dmod, DOM2, dm.page, dm.local,
							 NR_VCPUS, VIRTIO_BASE, 4, 0, efd),
			 -1);
	ck_assert_int_eq(errno, EPERM);
	dm_stop(&dm);
	close(efd);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable extension */
START_TEST(ioeventfd_unsupported)
{
	xendevicemodel_handle *dmod;
	evtchn_port_t ports[1] = { 5 };
	static char page[8192] __attribute__((aligned(4096)));
	int efd = eventfd(0, EFD_CLOEXEC);

	reset("linux-6.6");
	dmod = xendevicemodel_open((xentoollog_logger *)logger, 0);
	ck_assert_ptr_nonnull(dmod);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_assign(dmod, DOM, page, ports, 1, VIRTIO_BASE,
							 4, 0, efd),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_ioeventfd_deassign(dmod, DOM, page, ports, 1,
							   VIRTIO_BASE, 4, 0, efd),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	xendevicemodel_close(dmod);
	close(efd);
}
END_TEST
#endif

static Suite *ioreq_suite(void)
{
	Suite *s = suite_create("devicemodel-ioreq");
	TCase *tc = tcase_create("ioreq");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ioreq_round_trip);
	tcase_add_test(tc, ioreq_string_io);
	tcase_add_test(tc, ioreq_broadcast);
#ifndef XS_UPSTREAM_ORACLE
	tcase_add_test(tc, ioeventfd_doorbell);
	tcase_add_test(tc, ioeventfd_errors);
	tcase_add_test(tc, ioeventfd_unsupported);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return xs_dm_run("test-devicemodel-ioreq", ioreq_suite);
}
