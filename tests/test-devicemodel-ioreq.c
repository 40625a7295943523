/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel driving real ioreq traffic on xensim: a device model
 * creates an ioreq server, maps its ioreq page with
 * xenforeignmemory_map_resource(), binds the per-vCPU event channels with
 * libxenevtchn and serves a simulated guest vCPU's MMIO write and port
 * read (issued from another thread); then the ioeventfd extension, where
 * the kernel completes virtio-mmio doorbell writes itself.
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
