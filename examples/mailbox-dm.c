/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * mailbox-dm - a small but real ioreq-server device model.
 *
 * It serves one guest the way QEMU and virtio backends do: it creates an
 * ioreq server, claims an MMIO page and four I/O ports, maps the server's
 * ioreq page with xenforeignmemory_map_resource(), binds one event
 * channel per vCPU, restricts itself to the guest with
 * xentoolcore_restrict_all(), and then serves the guest's accesses until
 * SIGINT or SIGTERM, when it tears everything down.
 *
 * The device ("xsmbox"):
 *   MMIO base + 0x00  MAGIC     r   0x584d4258 ("XBMX")
 *               0x04  VERSION   r   1
 *               0x08  SCRATCH   rw  any value, 1-8 bytes
 *               0x10  DOORBELL  w   raise the interrupt; r: doorbells rung
 *               0x18  IRQ_ACK   w   lower the interrupt
 *               0x20  COPY_SRC  rw  source guest frame number
 *               0x28  COPY_DST  rw  destination guest frame number
 *               0x30  COPY_LEN  rw  bytes to copy (at most 4096)
 *               0x38  COMMAND   w   1: copy COPY_LEN bytes from frame COPY_SRC
 *                                   to frame COPY_DST (through foreign
 *                                   mappings of both frames); r: status of
 *                                   the last command (0, or an errno value)
 *               0x100-0x1ff BUF rw  256 bytes of memory, any access size
 *   I/O port  base + 0        rw  echo: reads return the last value written + 1;
 *                                 string I/O (rep outs / rep ins) goes to a
 *                                 256-byte FIFO instead: outs appends, ins
 *                                 takes the bytes back in order (0 if empty)
 *             base + 1..3     r   "XSM" (one byte each)
 * Reads of other offsets give 0; writes to them are ignored (and logged).
 *
 * String I/O arrives as one ioreq with count items and data_is_ptr: data is
 * the guest physical address of the first item, df makes the addresses
 * descend. The device model maps the guest frames of the buffer
 * (xenforeignmemory_map) and keeps that mapping for the next request until
 * Xen's broadcast IOREQ_TYPE_INVALIDATE tells it to drop its mappings.
 *
 * The interrupt is ISA IRQ --irq (set_isa_irq_level), or with --irqfd an
 * Arm-style SPI raised through an irqfd (xenstable extension).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>

#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xenstable.h>
#include <xentoolcore.h>

/* HVM_IOREQSRV_BUFIOREQ_OFF: Xen's headers show it to __XEN_TOOLS__ only. */
#define MBOX_BUFIOREQ_OFF 0

#define MBOX_MAGIC 0x584d4258u
#define MBOX_VERSION 1u
#define MBOX_BUF_OFF  0x100u
#define MBOX_BUF_LEN  256u
#define MBOX_FIFO_LEN 256u
/* The largest string request served: Xen splits string I/O at the
 * buffer's page boundaries, so a page (plus one straddling item) is plenty. */
#define MBOX_REP_MAX_BYTES 4096u

enum {
	REG_MAGIC = 0x00,
	REG_VERSION = 0x04,
	REG_SCRATCH = 0x08,
	REG_DOORBELL = 0x10,
	REG_IRQ_ACK = 0x18,
	REG_COPY_SRC = 0x20,
	REG_COPY_DST = 0x28,
	REG_COPY_LEN = 0x30,
	REG_COMMAND = 0x38,
};

struct mbox {
	/* configuration */
	domid_t domid;
	uint64_t mmio_base;
	uint16_t port_base;
	unsigned int irq;
	bool use_irqfd;
	bool verbose;
	const char *ready_file;

	/* handles */
	xendevicemodel_handle *dmod;
	xenforeignmemory_handle *fmem;
	xenevtchn_handle *xce;
	xenforeignmemory_resource_handle *ioreq_res;
	shared_iopage_t *iopage;
	ioservid_t id;
	bool server_created, mmio_mapped, ports_mapped;
	unsigned int nr_vcpus;
	evtchn_port_t *local_port; /* per vCPU, ours */
	evtchn_port_t *remote_port; /* per vCPU, Xen's */
	int irqfd;

	/* the guest frames mapped for string I/O, kept until INVALIDATE */
	unsigned char *map;
	xen_pfn_t map_gfn;
	unsigned int map_nr;

	/* device state */
	unsigned char buf[MBOX_BUF_LEN];
	unsigned char fifo[MBOX_FIFO_LEN];
	unsigned int fifo_head, fifo_len;
	uint64_t scratch;
	uint64_t copy_src, copy_dst, copy_len;
	uint32_t status;
	uint32_t echo;
	uint64_t doorbells;
	unsigned long served;
};

static void say(const struct mbox *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct mbox *m, const char *fmt, ...)
{
	va_list ap;

	(void)m;
	va_start(ap, fmt);
	fputs("mailbox-dm: ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
}

static int fail(const char *what)
{
	fprintf(stderr, "mailbox-dm: %s: %s\n", what, strerror(errno));
	return -1;
}

/* ---- the device ---------------------------------------------------------- */

static void set_irq(struct mbox *m, unsigned int level)
{
	int rc;

	if (m->use_irqfd) {
		uint64_t one = 1;

		if (!level)
			rc = xendevicemodel_set_irq_level(m->dmod, m->domid, m->irq, 0);
		else
			rc = write(m->irqfd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
	} else {
		rc = xendevicemodel_set_isa_irq_level(m->dmod, m->domid, (uint8_t)m->irq, level);
	}
	if (rc)
		fail(level ? "raising the interrupt" : "lowering the interrupt");
}

/* COMMAND 1: copy guest memory between two frames through foreign mappings. */
static uint32_t copy_frames(struct mbox *m)
{
	xen_pfn_t frames[2] = { (xen_pfn_t)m->copy_src, (xen_pfn_t)m->copy_dst };
	int err[2] = { 0, 0 };
	unsigned char *p;

	if (m->copy_len > XEN_PAGE_SIZE)
		return EINVAL;
	p = xenforeignmemory_map(m->fmem, m->domid, PROT_READ | PROT_WRITE, 2, frames, err);
	if (!p)
		return (uint32_t)errno;
	if (err[0] || err[1]) {
		int e = err[0] ? -err[0] : -err[1];

		xenforeignmemory_unmap(m->fmem, p, 2);
		return (uint32_t)e;
	}
	memmove(p + XEN_PAGE_SIZE, p, (size_t)m->copy_len);
	xenforeignmemory_unmap(m->fmem, p, 2);
	return 0;
}

static bool in_buf(uint64_t off, uint32_t size)
{
	return off >= MBOX_BUF_OFF && off - MBOX_BUF_OFF + size <= MBOX_BUF_LEN;
}

static uint64_t mmio_read(struct mbox *m, uint64_t off, uint32_t size)
{
	if (in_buf(off, size)) {
		uint64_t v = 0;

		memcpy(&v, m->buf + (off - MBOX_BUF_OFF), size); /* little-endian */
		return v;
	}
	switch (off) {
	case REG_MAGIC:
		return MBOX_MAGIC;
	case REG_VERSION:
		return MBOX_VERSION;
	case REG_SCRATCH:
		return m->scratch;
	case REG_DOORBELL:
		return m->doorbells;
	case REG_COPY_SRC:
		return m->copy_src;
	case REG_COPY_DST:
		return m->copy_dst;
	case REG_COPY_LEN:
		return m->copy_len;
	case REG_COMMAND:
		return m->status;
	default:
		return 0;
	}
}

static void mmio_write(struct mbox *m, uint64_t off, uint32_t size, uint64_t val)
{
	if (in_buf(off, size)) {
		memcpy(m->buf + (off - MBOX_BUF_OFF), &val, size);
		return;
	}
	switch (off) {
	case REG_SCRATCH:
		m->scratch = val;
		break;
	case REG_DOORBELL:
		m->doorbells++;
		set_irq(m, 1);
		break;
	case REG_IRQ_ACK:
		set_irq(m, 0);
		break;
	case REG_COPY_SRC:
		m->copy_src = val;
		break;
	case REG_COPY_DST:
		m->copy_dst = val;
		break;
	case REG_COPY_LEN:
		m->copy_len = val;
		break;
	case REG_COMMAND:
		m->status = val == 1 ? copy_frames(m) : EINVAL;
		say(m, "command %" PRIu64 ": copy %" PRIu64 " bytes frame 0x%" PRIx64
		       " -> 0x%" PRIx64 ": %s",
		    val, m->copy_len, m->copy_src, m->copy_dst,
		    m->status ? strerror((int)m->status) : "done");
		break;
	default:
		say(m, "ignored write to offset 0x%" PRIx64, off);
		break;
	}
}

static uint64_t port_read(struct mbox *m, unsigned int off, unsigned int size)
{
	static const char id[4] = { 0, 'X', 'S', 'M' };
	uint64_t v = 0;

	if (off == 0)
		return (uint64_t)m->echo + 1;
	for (unsigned int i = 0; i < size && off + i < 4; i++)
		v |= (uint64_t)(unsigned char)id[off + i] << (8 * i);
	return v;
}

static void port_write(struct mbox *m, unsigned int off, uint64_t val)
{
	if (off == 0)
		m->echo = (uint32_t)val;
}

static uint64_t size_mask(uint32_t size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/* String I/O on port base + 0: the FIFO, @size bytes an item. */
static void fifo_put(struct mbox *m, uint64_t val, uint32_t size)
{
	for (uint32_t i = 0; i < size && m->fifo_len < MBOX_FIFO_LEN; i++, m->fifo_len++)
		m->fifo[(m->fifo_head + m->fifo_len) % MBOX_FIFO_LEN] =
			(unsigned char)(val >> (8 * i));
}

static uint64_t fifo_get(struct mbox *m, uint32_t size)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < size && m->fifo_len; i++, m->fifo_len--) {
		v |= (uint64_t)m->fifo[m->fifo_head] << (8 * i);
		m->fifo_head = (m->fifo_head + 1) % MBOX_FIFO_LEN;
	}
	return v;
}

/*
 * One access (or one item of a string access) of @size bytes at @addr;
 * *val is the value written or receives the value read. False if @addr is
 * not the device's.
 */
static bool dev_access(struct mbox *m, unsigned int type, uint64_t addr, uint32_t size,
		       bool write, bool string, uint64_t *val)
{
	if (type == IOREQ_TYPE_COPY) {
		if (addr < m->mmio_base || addr - m->mmio_base >= XEN_PAGE_SIZE)
			return false;
		if (write)
			mmio_write(m, addr - m->mmio_base, size, *val & size_mask(size));
		else
			*val = mmio_read(m, addr - m->mmio_base, size) & size_mask(size);
		return true;
	}
	if (addr < m->port_base || addr - m->port_base >= 4)
		return false;
	if (string && addr == m->port_base) {
		if (write)
			fifo_put(m, *val, size);
		else
			*val = fifo_get(m, size);
	} else if (write) {
		port_write(m, (unsigned int)(addr - m->port_base),
			   *val & size_mask(size));
	} else {
		*val = port_read(m, (unsigned int)(addr - m->port_base), size) &
		       size_mask(size);
	}
	return true;
}

/* Drop the cached mapping of guest frames (INVALIDATE, or to map others). */
static void drop_mapping(struct mbox *m)
{
	if (m->map)
		xenforeignmemory_unmap(m->fmem, m->map, m->map_nr);
	m->map = NULL;
	m->map_nr = 0;
}

/* The guest's frames [gfn, gfn + nr) mapped, reusing the cached mapping. */
static unsigned char *map_frames(struct mbox *m, xen_pfn_t gfn, unsigned int nr)
{
	xen_pfn_t frames[2] = {gfn, gfn + 1};
	int err[2] = {0, 0};

	if (m->map && m->map_gfn <= gfn && gfn + nr <= m->map_gfn + m->map_nr)
		return m->map + (gfn - m->map_gfn) * XEN_PAGE_SIZE;
	drop_mapping(m);
	m->map = xenforeignmemory_map(m->fmem, m->domid, PROT_READ | PROT_WRITE, nr,
				      frames, err);
	if (m->map && (err[0] || (nr > 1 && err[1]))) {
		xenforeignmemory_unmap(m->fmem, m->map, nr);
		m->map = NULL;
		errno = err[0] ? -err[0] : -err[1];
	}
	if (!m->map)
		return NULL;
	m->map_gfn = gfn;
	m->map_nr = nr;
	return m->map;
}

/*
 * A string request: @count items of @size bytes between the device and the
 * guest buffer at guest address data (descending with df), copied item by
 * item through a foreign mapping of the buffer's frames.
 */
static void serve_rep(struct mbox *m, unsigned int vcpu, ioreq_t *req, const char *space)
{
	bool write = req->dir == IOREQ_WRITE;
	uint64_t bytes = (uint64_t)req->count * req->size, first, last;
	unsigned char *p;

	if (req->count == 0 ||
	    (req->size != 1 && req->size != 2 && req->size != 4 && req->size != 8) ||
	    bytes > MBOX_REP_MAX_BYTES) {
		say(m, "vcpu%u: %s string %s of %u x %u bytes refused (at most %u bytes)",
		    vcpu, space, write ? "write" : "read", req->count, req->size,
		    MBOX_REP_MAX_BYTES);
		return;
	}
	/* the buffer's lowest and highest byte */
	first = req->df ? req->data - (bytes - req->size) : req->data;
	last = first + bytes - 1;
	if ((req->df && req->data < bytes - req->size) || last < first ||
	    (last >> XEN_PAGE_SHIFT) - (first >> XEN_PAGE_SHIFT) > 1) {
		say(m, "vcpu%u: %s string buffer at 0x%" PRIx64 " refused", vcpu, space,
		    req->data);
		return;
	}
	p = map_frames(
		m, (xen_pfn_t)(first >> XEN_PAGE_SHIFT),
		(unsigned int)((last >> XEN_PAGE_SHIFT) - (first >> XEN_PAGE_SHIFT) + 1));
	if (!p) {
		say(m,
		    "vcpu%u: %s string buffer 0x%" PRIx64 "-0x%" PRIx64
		    " is not guest RAM: %s",
		    vcpu, space, first, last, strerror(errno));
		return;
	}
	p += first & (XEN_PAGE_SIZE - 1);
	for (uint32_t i = 0; i < req->count; i++) {
		uint64_t step = (uint64_t)i * req->size, val = 0;
		uint64_t addr = req->addr;
		unsigned char *item = p + (req->df ? bytes - req->size - step : step);

		if (req->type == IOREQ_TYPE_COPY)
			addr = req->df ? req->addr - step : req->addr + step;
		if (write)
			memcpy(&val, item, req->size); /* little-endian, as the guest */
		if (!dev_access(m, req->type, addr, req->size, write, true, &val)) {
			say(m,
			    "vcpu%u: %s string item at 0x%" PRIx64 " outside the device",
			    vcpu, space, addr);
			return;
		}
		if (!write)
			memcpy(item, &val, req->size);
	}
	m->served++;
	if (m->verbose)
		say(m,
		    "vcpu%u: %s string %s 0x%" PRIx64 " %u x %u bytes, buffer 0x%" PRIx64
		    "%s",
		    vcpu, space, write ? "write" : "read", req->addr, req->count,
		    req->size, req->data, req->df ? " (df)" : "");
}

/* Serve one synchronous request. */
static void serve(struct mbox *m, unsigned int vcpu, ioreq_t *req)
{
	bool write = req->dir == IOREQ_WRITE;
	const char *space = req->type == IOREQ_TYPE_COPY ? "mmio" : "port";
	uint64_t data = req->data & size_mask(req->size);

	switch (req->type) {
	case IOREQ_TYPE_INVALIDATE:
		/* broadcast to every ioreq server: guest memory changed */
		say(m, "vcpu%u: invalidate: %s", vcpu,
		    m->map ? "dropped the cached guest mapping"
			   : "no guest mapping cached");
		drop_mapping(m);
		return;
	case IOREQ_TYPE_TIMEOFFSET:
		return; /* broadcast too; this device has no clock */
	case IOREQ_TYPE_COPY:
	case IOREQ_TYPE_PIO:
		break;
	default:
		say(m, "vcpu%u: request type %u ignored", vcpu, req->type);
		return;
	}
	if (req->data_is_ptr) {
		serve_rep(m, vcpu, req, space);
		return;
	}
	if (req->count != 1) {
		say(m, "vcpu%u: %s %u-item request without a buffer refused", vcpu, space,
		    req->count);
		return;
	}
	if (!dev_access(m, req->type, req->addr, req->size, write, false, &data)) {
		say(m, "vcpu%u: %s access at 0x%" PRIx64 " outside the device", vcpu,
		    space, req->addr);
		if (!write)
			req->data = ~0ULL;
		return;
	}
	if (!write)
		req->data = data;
	m->served++;
	if (m->verbose)
		say(m, "vcpu%u: %s %s 0x%" PRIx64 " size %u data 0x%" PRIx64, vcpu, space,
		    write ? "write" : "read", req->addr, req->size, data);
}

/* ---- setup and teardown ------------------------------------------------ */

static void teardown(struct mbox *m)
{
	if (m->ports_mapped)
		xendevicemodel_unmap_io_range_from_ioreq_server(m->dmod, m->domid, m->id, 0,
								m->port_base, m->port_base + 3u);
	if (m->mmio_mapped)
		xendevicemodel_unmap_io_range_from_ioreq_server(
			m->dmod, m->domid, m->id, 1, m->mmio_base, m->mmio_base + XEN_PAGE_SIZE - 1);
	if (m->server_created) {
		xendevicemodel_set_ioreq_server_state(m->dmod, m->domid, m->id, 0);
		xendevicemodel_destroy_ioreq_server(m->dmod, m->domid, m->id);
	}
	if (m->irqfd >= 0) {
		xendevicemodel_irqfd_deassign(m->dmod, m->domid, m->irqfd);
		close(m->irqfd);
	}
	drop_mapping(m);
	if (m->ioreq_res)
		xenforeignmemory_unmap_resource(m->fmem, m->ioreq_res);
	for (unsigned int i = 0; m->local_port && i < m->nr_vcpus; i++)
		if (m->local_port[i])
			xenevtchn_unbind(m->xce, m->local_port[i]);
	free(m->local_port);
	free(m->remote_port);
	xenevtchn_close(m->xce);
	xenforeignmemory_close(m->fmem);
	xendevicemodel_close(m->dmod);
}

static int setup(struct mbox *m)
{
	void *addr = NULL;

	m->dmod = xendevicemodel_open(NULL, 0);
	m->fmem = xenforeignmemory_open(NULL, 0);
	m->xce = xenevtchn_open(NULL, 0);
	if (!m->dmod || !m->fmem || !m->xce)
		return fail("opening the Xen libraries");
	if (xendevicemodel_nr_vcpus(m->dmod, m->domid, &m->nr_vcpus))
		return fail("asking the guest's vCPU count");
	if (xendevicemodel_create_ioreq_server(m->dmod, m->domid, MBOX_BUFIOREQ_OFF,
					       &m->id))
		return fail("creating the ioreq server");
	m->server_created = true;
	m->ioreq_res = xenforeignmemory_map_resource(
		m->fmem, m->domid, XENMEM_resource_ioreq_server, m->id,
		XENMEM_resource_ioreq_server_frame_ioreq(0), 1, &addr, PROT_READ | PROT_WRITE, 0);
	if (!m->ioreq_res)
		return fail("mapping the ioreq page");
	m->iopage = addr;
	if (xendevicemodel_map_io_range_to_ioreq_server(m->dmod, m->domid, m->id, 1, m->mmio_base,
							m->mmio_base + XEN_PAGE_SIZE - 1))
		return fail("claiming the MMIO page");
	m->mmio_mapped = true;
	if (xendevicemodel_map_io_range_to_ioreq_server(m->dmod, m->domid, m->id, 0, m->port_base,
							m->port_base + 3u))
		return fail("claiming the I/O ports");
	m->ports_mapped = true;
	if (xendevicemodel_set_ioreq_server_state(m->dmod, m->domid, m->id, 1))
		return fail("enabling the ioreq server");

	m->local_port = calloc(m->nr_vcpus, sizeof(*m->local_port));
	m->remote_port = calloc(m->nr_vcpus, sizeof(*m->remote_port));
	if (!m->local_port || !m->remote_port)
		return fail("allocating");
	for (unsigned int i = 0; i < m->nr_vcpus; i++) {
		xenevtchn_port_or_error_t p;

		m->remote_port[i] = m->iopage->vcpu_ioreq[i].vp_eport;
		p = xenevtchn_bind_interdomain(m->xce, m->domid, m->remote_port[i]);
		if (p < 0)
			return fail("binding a vCPU's event channel");
		m->local_port[i] = (evtchn_port_t)p;
	}
	if (m->use_irqfd) {
		m->irqfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (m->irqfd < 0)
			return fail("eventfd");
		if (xendevicemodel_irqfd_assign(m->dmod, m->domid, m->irqfd, m->irq, 1))
			return fail("assigning the irqfd");
	}
	/* From here on this process can only touch its guest. */
	if (xentoolcore_restrict_all(m->domid))
		return fail("restricting to the guest");
	return 0;
}

static int serve_loop(struct mbox *m, int sigfd)
{
	struct pollfd fds[2] = {
		{ .fd = xenevtchn_fd(m->xce), .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
	};

	for (;;) {
		xenevtchn_port_or_error_t port;
		unsigned int vcpu;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail("poll");
		}
		if (fds[1].revents) {
			struct signalfd_siginfo si;

			if (read(sigfd, &si, sizeof(si)) == sizeof(si))
				say(m, "%s: shutting down", strsignal((int)si.ssi_signo));
			return 0;
		}
		if (!(fds[0].revents & POLLIN))
			continue;
		port = xenevtchn_pending(m->xce);
		if (port < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return fail("reading pending events");
		}
		xenevtchn_unmask(m->xce, (evtchn_port_t)port);
		for (vcpu = 0; vcpu < m->nr_vcpus; vcpu++)
			if (m->local_port[vcpu] == (evtchn_port_t)port)
				break;
		if (vcpu == m->nr_vcpus)
			continue;
		{
			ioreq_t *req = &m->iopage->vcpu_ioreq[vcpu];

			if (req->state != STATE_IOREQ_READY)
				continue;
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			req->state = STATE_IOREQ_INPROCESS;
			serve(m, vcpu, req);
			__atomic_thread_fence(__ATOMIC_RELEASE);
			req->state = STATE_IORESP_READY;
			if (xenevtchn_notify(m->xce, (evtchn_port_t)port))
				fail("completing a request");
		}
	}
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mailbox-dm [options] DOMID\n"
		"  --mmio ADDR      MMIO page of the device (default 0xfeb00000)\n"
		"  --port PORT      first of its 4 I/O ports (default 0x5a0)\n"
		"  --irq N          ISA IRQ it raises (default 5), or SPI with --irqfd\n"
		"  --irqfd          raise the interrupt through an irqfd (Arm-style SPI)\n"
		"  --ready-file F   create F once serving (for scripts)\n"
		"  --verbose        print every access\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mmio", required_argument, NULL, 'm' }, { "port", required_argument, NULL, 'p' },
		{ "irq", required_argument, NULL, 'i' },  { "irqfd", no_argument, NULL, 'f' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },    { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox m = { .mmio_base = 0xfeb00000, .port_base = 0x5a0, .irq = 5, .irqfd = -1 };
	sigset_t sigs;
	int c, sigfd, rc;
	char *end;

	while ((c = getopt_long(argc, argv, "m:p:i:fr:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			m.mmio_base = strtoull(optarg, &end, 0);
			if (*end || m.mmio_base % XEN_PAGE_SIZE) {
				fprintf(stderr, "mailbox-dm: --mmio must be page aligned\n");
				return 2;
			}
			break;
		case 'p':
			m.port_base = (uint16_t)strtoul(optarg, NULL, 0);
			break;
		case 'i':
			m.irq = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'f':
			m.use_irqfd = true;
			break;
		case 'r':
			m.ready_file = optarg;
			break;
		case 'v':
			m.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	m.domid = (domid_t)strtoul(argv[optind], &end, 0);
	if (*end || m.domid == 0 || m.domid >= DOMID_FIRST_RESERVED) {
		fprintf(stderr, "mailbox-dm: DOMID must be a guest's domain id\n");
		return 2;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sigfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sigfd < 0)
		return fail("signalfd"), 1;

	rc = setup(&m);
	if (rc == 0) {
		say(&m, "serving domain %u: MMIO 0x%" PRIx64 "-0x%" PRIx64 ", ports 0x%x-0x%x, %u vCPU%s, "
			"ioreq server %u, IRQ %u%s; restricted to domain %u",
		    m.domid, m.mmio_base, m.mmio_base + XEN_PAGE_SIZE - 1, m.port_base,
		    m.port_base + 3u, m.nr_vcpus, m.nr_vcpus == 1 ? "" : "s", m.id, m.irq,
		    m.use_irqfd ? " (irqfd)" : "", m.domid);
		if (m.ready_file) {
			FILE *f = fopen(m.ready_file, "we");

			if (f)
				fclose(f);
		}
		rc = serve_loop(&m, sigfd);
	}
	say(&m, "served %lu request%s, %" PRIu64 " doorbell%s", m.served,
	    m.served == 1 ? "" : "s", m.doorbells, m.doorbells == 1 ? "" : "s");
	teardown(&m);
	close(sigfd);
	return rc ? 1 : 0;
}
