/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim-ioreq.c - ioreq servers of the simulated Xen, guest I/O to them,
 * and the privcmd irqfd / ioeventfd machinery of the simulated kernel.
 *
 * An ioreq server owns two pages: the buffered ring (resource frame 0)
 * and one ioreq page (frame 1; SIM_MAX_VCPUS ioreq_t fit in it). They
 * live in a memfd of their own, or, once get_ioreq_server_info has handed
 * out the legacy gfns, in guest RAM at those gfns (the two top frames of
 * RAM below the ones of lower server ids), so foreign mapping of the gfns
 * shows the same pages. As in Xen, a server mapped one way cannot be
 * mapped the other way (-EPERM).
 *
 * Guest I/O is issued by the control commands io / io-submit / io-wait
 * and answered later (deferred replies). A vCPU has at most one
 * synchronous request outstanding (-EBUSY otherwise).
 *
 * String I/O (io-rep) is one ioreq with count > 1 and data_is_ptr: data is
 * the guest physical address of the first item, df makes both the buffer
 * (and, for MMIO, the device address) descend. A buffer that crosses a
 * page boundary is issued as one ioreq per page, the way Xen's emulator
 * clips repetitions at page boundaries and restarts the instruction.
 * A broadcast (io-broadcast, IOREQ_TYPE_INVALIDATE) fills the vCPU's slot
 * of every enabled server and completes when all of them have answered.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/ioreq.h>

#include "sim-hvm.h"
#include "sim.h"

#define BUFIOREQ_OFF	0
#define BUFIOREQ_LEGACY 1
#define BUFIOREQ_ATOMIC 2

#define IRQFD_DEASSIGN	   1u
#define IOEVENTFD_DEASSIGN 1u
#define QUEUE_NOTIFY	   0x50 /* VIRTIO_MMIO_QUEUE_NOTIFY */

#define BUFFERED_START 0xa0000ull /* VGA window: Xen's buffered MMIO writes */
#define BUFFERED_END   0xbffffull

#define IO_DEFAULT_TIMEOUT_MS 30000
#define IO_MAX_REP	      65536u /* items per io-rep command */

#define KCMP_FILE_TYPE 0 /* KCMP_FILE */

enum { OUT_SERVED = 0, OUT_UNCLAIMED = 1, OUT_BUFFERED = 2, OUT_IOEVENTFD = 3 };

/* ---- rangesets ----------------------------------------------------------- */

bool sim_rangeset_overlaps(const struct sim_rangeset *rs, uint64_t s, uint64_t e)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].start <= e && s <= rs->r[i].end)
			return true;
	return false;
}

bool sim_rangeset_contains(const struct sim_rangeset *rs, uint64_t s, uint64_t e)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++)
		if (rs->r[i].start <= s && e <= rs->r[i].end)
			return true;
	return false;
}

/* Add [s, e] (not overlapping anything), merging with adjacent ranges. */
int sim_rangeset_add(struct sim_rangeset *rs, uint64_t s, uint64_t e)
{
	unsigned int i, j;

	for (i = 0; i < rs->n && rs->r[i].start < s; i++)
		;
	/* merge with the previous and/or next range if adjacent */
	if (i > 0 && rs->r[i - 1].end + 1 == s) {
		rs->r[i - 1].end = e;
		if (i < rs->n && e + 1 == rs->r[i].start) {
			rs->r[i - 1].end = rs->r[i].end;
			for (j = i; j + 1 < rs->n; j++)
				rs->r[j] = rs->r[j + 1];
			rs->n--;
		}
		return 0;
	}
	if (i < rs->n && e + 1 == rs->r[i].start) {
		rs->r[i].start = s;
		return 0;
	}
	if (rs->n >= SIM_MAX_IO_RANGES)
		return -ENOMEM;
	if (rs->n == rs->cap) {
		unsigned int cap = rs->cap ? rs->cap * 2 : 8;
		struct sim_range *r = realloc(rs->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		rs->r = r;
		rs->cap = cap;
	}
	memmove(&rs->r[i + 1], &rs->r[i], (rs->n - i) * sizeof(*rs->r));
	rs->r[i].start = s;
	rs->r[i].end = e;
	rs->n++;
	return 0;
}

/* Remove [s, e], which sim_rangeset_contains(); may split a range. */
int sim_rangeset_remove(struct sim_rangeset *rs, uint64_t s, uint64_t e)
{
	unsigned int i;

	for (i = 0; i < rs->n; i++) {
		struct sim_range *r = &rs->r[i];

		if (!(r->start <= s && e <= r->end))
			continue;
		if (r->start == s && r->end == e) {
			memmove(r, r + 1, (rs->n - i - 1) * sizeof(*r));
			rs->n--;
		} else if (r->start == s) {
			r->start = e + 1;
		} else if (r->end == e) {
			r->end = s - 1;
		} else {
			uint64_t old_end = r->end;

			r->end = s - 1;
			return sim_rangeset_add(rs, e + 1, old_end);
		}
		return 0;
	}
	return -ENOENT;
}

void sim_rangeset_free(struct sim_rangeset *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->n = rs->cap = 0;
}

/* ---- ioreq slots ------------------------------------------------------------ */

/* Byte 30 of an ioreq_t: state (bits 0-3), data_is_ptr, dir, df. */
static uint8_t *slot_flags(struct ioreq *p)
{
	return (uint8_t *)p + 30;
}

static unsigned int slot_state(struct ioreq *p)
{
	return __atomic_load_n(slot_flags(p), __ATOMIC_ACQUIRE) & 0xf;
}

static struct ioreq *srv_slot(struct sim_ioreq_server *srv, unsigned int vcpu)
{
	return (struct ioreq *)(void *)(srv->page[1] + vcpu * sizeof(struct ioreq)); /* page aligned */
}

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* ---- guest I/O tickets ------------------------------------------------------ */

struct sim_io_ticket {
	long id;
	struct sim_domain *d;
	unsigned int vcpu;
	unsigned int space; /* IOREQ_TYPE_PIO / COPY / PCI_CONFIG */
	bool write;
	uint64_t addr, data;
	unsigned int size;

	/* io-rep: data is the guest address of the next item */
	bool rep, df;
	uint32_t count, reps_done, chunk; /* chunk: items in the slot now */
	/* io-broadcast: servers (bit per id) that have not answered yet */
	bool bcast;
	uint32_t bcast_pending, bcast_done;

	struct sim_ioreq_server *srv; /* while in a server's slot */
	bool done;
	int64_t ret;
	int outcome;
	uint64_t result;

	bool once; /* `io`: freed after its answer (or when done, if orphaned) */
	struct sim_conn *waiter;
	long timer;
	struct sim_io_ticket *next;
};

static struct sim_io_ticket *tickets;
static long next_ticket = 1;

static void ticket_unlink(struct sim_io_ticket *t)
{
	struct sim_io_ticket **pp;

	for (pp = &tickets; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
}

static void ticket_free(struct sim *s, struct sim_io_ticket *t)
{
	if (t->timer > 0)
		sim_timer_cancel(s, t->timer);
	ticket_unlink(t);
	free(t);
}

static struct sim_io_ticket *ticket_find(long id)
{
	struct sim_io_ticket *t;

	for (t = tickets; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static int ticket_text(const struct sim_io_ticket *t, char *buf, size_t len)
{
	return snprintf(buf, len, "%d 0x%" PRIx64, t->outcome, t->result);
}

/* Answer the waiter of a finished ticket; frees `io` tickets. */
static void ticket_answer(struct sim *s, struct sim_io_ticket *t)
{
	char text[64];
	int n = 0;

	if (!t->waiter) {
		if (t->once)
			ticket_free(s, t);
		return;
	}
	if (t->ret >= 0)
		n = ticket_text(t, text, sizeof(text));
	else
		n = snprintf(text, sizeof(text), "guest I/O failed");
	sim_conn_reply(s, t->waiter, XSP_CONTROL_COMMAND,
		       t->ret >= 0 ? t->outcome : t->ret, text, (size_t)n, NULL, 0);
	t->waiter = NULL;
	if (t->timer > 0) {
		sim_timer_cancel(s, t->timer);
		t->timer = 0;
	}
	ticket_free(s, t);
}

static void ticket_finish(struct sim *s, struct sim_io_ticket *t, int64_t ret,
			  int outcome, uint64_t result)
{
	struct sim_hvm *h = sim_hvm_of(t->d);

	if (h && t->vcpu < SIM_MAX_VCPUS && h->vcpu_io[t->vcpu] == t)
		h->vcpu_io[t->vcpu] = NULL;
	t->srv = NULL;
	t->done = true;
	t->ret = ret;
	t->outcome = outcome;
	t->result = result;
	if (t->waiter || t->once)
		ticket_answer(s, t);
}

/* ---- servers ------------------------------------------------------------------ */

static struct sim_ioreq_server *srv_get(struct sim_hvm *h, unsigned int id)
{
	return id < SIM_MAX_IOREQ_SERVERS ? h->srv[id] : NULL;
}

static int io_deliver(struct sim *s, struct sim_io_ticket *t);

/* @n items of a rep are done: move the buffer (and MMIO address) on. */
static void rep_advance(struct sim_io_ticket *t, uint32_t n)
{
	uint64_t step = (uint64_t)n * t->size;

	t->reps_done += n;
	t->data = t->df ? t->data - step : t->data + step;
	if (t->space == IOREQ_TYPE_COPY)
		t->addr = t->df ? t->addr - step : t->addr + step;
}

/* No server takes the rest of a rep: reads fill the buffer (the part in
 * guest RAM) with all ones, writes are dropped. */
static void rep_unclaimed(struct sim_io_ticket *t)
{
	uint32_t left = t->count - t->reps_done, i;

	for (i = 0; !t->write && i < left; i++) {
		uint64_t gpa = t->df ? t->data - (uint64_t)i * t->size
				     : t->data + (uint64_t)i * t->size;
		unsigned char *p = sim_guest_ptr(t->d, gpa, t->size);

		if (p)
			memset(p, 0xff, t->size);
	}
	rep_advance(t, left);
}

static void vcpu_port_cb(struct sim *s, struct sim_domain *d, unsigned int port,
			 void *arg)
{
	struct sim_ioreq_port *pc = arg;
	struct sim_ioreq_server *srv = pc->srv;
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_io_ticket *t;
	struct ioreq *p;
	uint64_t data;

	(void)port;
	if (!h || !srv || pc->vcpu >= SIM_MAX_VCPUS)
		return;
	t = h->vcpu_io[pc->vcpu];
	if (!t)
		return;
	if (t->bcast ? !(t->bcast_pending & (1u << srv->id)) : t->srv != srv)
		return;
	p = srv_slot(srv, pc->vcpu);
	if (slot_state(p) != STATE_IORESP_READY)
		return; /* not finished yet: a spurious or early notification */
	data = p->data;
	__atomic_store_n(slot_flags(p),
			 (uint8_t)(*slot_flags(p) & 0xf0) | STATE_IOREQ_NONE,
			 __ATOMIC_RELEASE);
	if (t->bcast) {
		t->bcast_pending &= ~(1u << srv->id);
		t->bcast_done++;
		if (!t->bcast_pending)
			ticket_finish(s, t, 0, OUT_SERVED, t->bcast_done);
		return;
	}
	if (t->rep) {
		rep_advance(t, t->chunk);
		if (t->reps_done < t->count) {
			int rc;

			/* the instruction restarts with the items left */
			h->vcpu_io[t->vcpu] = NULL;
			t->srv = NULL;
			rc = io_deliver(s, t);
			if (rc)
				ticket_finish(s, t, rc, OUT_SERVED, t->reps_done);
			return;
		}
		ticket_finish(s, t, 0, OUT_SERVED, t->reps_done);
		return;
	}
	ticket_finish(s, t, 0, OUT_SERVED, t->write ? 0 : data & size_mask(t->size));
}

static void buf_port_cb(struct sim *s, struct sim_domain *d, unsigned int port, void *arg)
{
	(void)s;
	(void)d;
	(void)port;
	(void)arg; /* the device model has caught up with the ring: nothing to do */
}

static void srv_free(struct sim *s, struct sim_ioreq_server *srv, bool free_ports)
{
	struct sim_hvm *h = sim_hvm_of(srv->d);
	unsigned int i;

	if (h) {
		for (i = 0; i < SIM_MAX_VCPUS; i++) {
			struct sim_io_ticket *t = h->vcpu_io[i];

			if (t && t->bcast && (t->bcast_pending & (1u << srv->id))) {
				/* a server gone cannot answer: stop waiting for it */
				t->bcast_pending &= ~(1u << srv->id);
				if (!t->bcast_pending)
					ticket_finish(s, t, 0, OUT_SERVED, t->bcast_done);
			} else if (t && t->srv == srv && t->rep) {
				rep_unclaimed(t);
				ticket_finish(s, t, 0, OUT_UNCLAIMED, t->reps_done);
			} else if (t && t->srv == srv) {
				ticket_finish(s, t, 0, OUT_UNCLAIMED,
					      t->write ? 0 : size_mask(t->size));
			}
		}
		if (h->mem_claim == srv) {
			h->mem_claim = NULL;
			h->mem_claim_flags = 0;
		}
		h->srv[srv->id] = NULL;
	}
	if (free_ports) {
		for (i = 0; i < srv->d->vcpus && i < SIM_MAX_VCPUS; i++)
			if (srv->vcpu_port[i])
				sim_evtchn_free_port(s, srv->d, srv->vcpu_port[i]);
		if (srv->buf_port)
			sim_evtchn_free_port(s, srv->d, srv->buf_port);
	}
	for (i = 0; i < 3; i++)
		sim_rangeset_free(&srv->ranges[i]);
	sim_mem_free(&srv->mem);
	free(srv);
}

static void ticket_withdraw(struct sim *s, struct sim_io_ticket *t);
static void ioeventfd_server_gone(unsigned int domid, unsigned int id);

void sim_ioreq_domain_destroy(struct sim *s, struct sim_domain *d)
{
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_io_ticket *t, *n;
	unsigned int i;

	if (!h)
		return;
	for (i = 0; i < SIM_MAX_IOREQ_SERVERS; i++)
		if (h->srv[i])
			srv_free(s, h->srv[i], false);
	/* Requests of this domain that nobody waits for any more. */
	for (t = tickets; t; t = n) {
		n = t->next;
		if (t->d != d)
			continue;
		if (t->waiter) {
			t->done = true;
			t->ret = -ENODEV;
			ticket_answer(s, t);
		} else {
			ticket_free(s, t);
		}
	}
}

static int srv_create(struct sim *s, struct sim_domain *d, uint8_t bufioreq,
		      unsigned int *idp)
{
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_ioreq_server *srv;
	unsigned int id, v;
	char name[64];
	int rc;

	if (bufioreq > BUFIOREQ_ATOMIC)
		return -EINVAL;
	for (id = 0; id < SIM_MAX_IOREQ_SERVERS && h->srv[id]; id++)
		;
	if (id == SIM_MAX_IOREQ_SERVERS)
		return -ENOSPC;
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return -ENOMEM;
	srv->id = id;
	srv->d = d;
	srv->bufioreq = bufioreq;
	snprintf(name, sizeof(name), "xensim-ioreq-d%u-s%u", d->domid, id);
	rc = sim_mem_alloc(&srv->mem, SIM_IOREQ_FRAMES, name);
	if (rc) {
		free(srv);
		return rc;
	}
	for (v = 0; v < SIM_IOREQ_FRAMES; v++) {
		srv->page[v] = srv->mem.ptr + v * SIM_PAGE_SIZE;
		srv->frame[v].fd = srv->mem.fd;
		srv->frame[v].offset = v * SIM_PAGE_SIZE;
		srv->frame[v].ro = false;
		srv->gfn[v] = ~0ull;
	}
	/* Xen gives a server ports for the vCPUs online (none in a domain not
	 * built yet), the buffered port with vCPU 0 */
	for (v = 0; d->built && v < d->vcpus && v < SIM_MAX_VCPUS; v++) {
		srv->pctx[v].srv = srv;
		srv->pctx[v].vcpu = v;
		rc = sim_evtchn_alloc_xen_port(s, d, 0, vcpu_port_cb, &srv->pctx[v]);
		if (rc < 0)
			goto fail;
		srv->vcpu_port[v] = (unsigned int)rc;
		srv_slot(srv, v)->vp_eport = (uint32_t)rc;
	}
	if (bufioreq != BUFIOREQ_OFF && d->built) {
		rc = sim_evtchn_alloc_xen_port(s, d, 0, buf_port_cb, srv);
		if (rc < 0)
			goto fail;
		srv->buf_port = (unsigned int)rc;
	}
	h->srv[id] = srv;
	*idp = id;
	sim_log(s, "ioreq: domain %u server %u created (bufioreq %u)", d->domid, id,
		bufioreq);
	return 0;
fail:
	h->srv[id] = srv; /* srv_free clears it */
	srv_free(s, srv, true);
	return rc;
}

/* Hand out the legacy gfns: move the pages into guest RAM. */
static int srv_map_gfns(struct sim_domain *d, struct sim_ioreq_server *srv)
{
	struct sim_hvm *h = sim_hvm_of(d);
	unsigned int i;

	if (srv->legacy)
		return 0;
	if (srv->resource_mapped)
		return -EPERM;
	if (!d->built) {
		/* the HVM params IOREQ_PFN / BUFIOREQ_PFN no builder has set: 0
		 * (the pages are not moved into guest RAM: not modelled) */
		srv->gfn[0] = srv->gfn[1] = 0;
		srv->legacy = true;
		return 0;
	}
	if (h->nr_gfns < 2u * SIM_MAX_IOREQ_SERVERS + 16)
		return -ENOMEM;
	for (i = 0; i < SIM_IOREQ_FRAMES; i++) {
		uint64_t gfn = h->nr_gfns - 1 - 2u * srv->id - i; /* 1: ioreq, 0: buf */
		struct sim_frame f;
		unsigned char *p;

		if (i == 0 && srv->bufioreq == BUFIOREQ_OFF)
			continue;
		p = sim_guest_ptr(d, gfn << SIM_PAGE_SHIFT, SIM_PAGE_SIZE);
		if (!p || sim_domain_frame(d, gfn, &f))
			return -ENOMEM;
		memcpy(p, srv->page[i], SIM_PAGE_SIZE);
		srv->page[i] = p;
		srv->frame[i] = f;
		srv->gfn[i] = gfn;
	}
	srv->legacy = true;
	return 0;
}

int sim_ioreq_dm_op(struct sim *s, struct sim_domain *d, struct xen_dm_op *op,
		    bool *written)
{
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_ioreq_server *srv;
	int rc;

	(void)written;
	switch (op->op) {
	case XEN_DMOP_create_ioreq_server: {
		struct xen_dm_op_create_ioreq_server *c = &op->u.create_ioreq_server;
		unsigned int id;

		if (c->pad[0] || c->pad[1] || c->pad[2])
			return -EINVAL;
		rc = srv_create(s, d, c->handle_bufioreq, &id);
		if (!rc)
			c->id = (ioservid_t)id;
		return rc;
	}
	case XEN_DMOP_get_ioreq_server_info: {
		struct xen_dm_op_get_ioreq_server_info *g = &op->u.get_ioreq_server_info;

		if (g->flags & ~XEN_DMOP_no_gfns)
			return -EINVAL;
		srv = srv_get(h, g->id);
		if (!srv)
			return -ENOENT;
		if (!(g->flags & XEN_DMOP_no_gfns)) {
			rc = srv_map_gfns(d, srv);
			if (rc)
				return rc;
			g->ioreq_gfn = srv->gfn[1];
			if (srv->bufioreq != BUFIOREQ_OFF)
				g->bufioreq_gfn = srv->gfn[0];
		}
		if (srv->bufioreq != BUFIOREQ_OFF)
			g->bufioreq_port = srv->buf_port;
		return 0;
	}
	case XEN_DMOP_map_io_range_to_ioreq_server:
	case XEN_DMOP_unmap_io_range_from_ioreq_server: {
		struct xen_dm_op_ioreq_server_range *r =
			&op->u.map_io_range_to_ioreq_server;
		struct sim_rangeset *rs;

		if (r->pad)
			return -EINVAL;
		if (r->start > r->end)
			return -EINVAL;
		srv = srv_get(h, r->id);
		if (!srv)
			return -ENOENT;
		if (r->type > XEN_DMOP_IO_RANGE_PCI)
			return -EINVAL;
		rs = &srv->ranges[r->type];
		if (op->op == XEN_DMOP_map_io_range_to_ioreq_server) {
			if (sim_rangeset_overlaps(rs, r->start, r->end))
				return -EEXIST;
			return sim_rangeset_add(rs, r->start, r->end);
		}
		if (!sim_rangeset_contains(rs, r->start, r->end))
			return -ENOENT;
		return sim_rangeset_remove(rs, r->start, r->end);
	}
	case XEN_DMOP_set_ioreq_server_state: {
		struct xen_dm_op_set_ioreq_server_state *st =
			&op->u.set_ioreq_server_state;

		if (st->pad)
			return -EINVAL;
		srv = srv_get(h, st->id);
		if (!srv)
			return -ENOENT;
		srv->enabled = st->enabled != 0;
		return 0;
	}
	case XEN_DMOP_destroy_ioreq_server: {
		struct xen_dm_op_destroy_ioreq_server *ds = &op->u.destroy_ioreq_server;

		if (ds->pad)
			return -EINVAL;
		srv = srv_get(h, ds->id);
		if (!srv)
			return -ENOENT;
		ioeventfd_server_gone(d->domid, srv->id);
		srv_free(s, srv, true);
		sim_log(s, "ioreq: domain %u server %u destroyed", d->domid, ds->id);
		return 0;
	}
	case XEN_DMOP_map_mem_type_to_ioreq_server: {
		struct xen_dm_op_map_mem_type_to_ioreq_server *m =
			&op->u.map_mem_type_to_ioreq_server;

		if (m->opaque == 0) {
			if (m->type != HVMMEM_ioreq_server)
				return -EINVAL;
			if (m->flags & ~XEN_DMOP_IOREQ_MEM_ACCESS_WRITE)
				return -EINVAL;
			srv = srv_get(h, m->id);
			if (!srv)
				return -ENOENT;
			if (m->flags == 0) {
				if (h->mem_claim != srv)
					return -EINVAL;
				h->mem_claim = NULL;
				h->mem_claim_flags = 0;
			} else {
				if (h->mem_claim || h->ioreq_type_pages)
					return -EBUSY;
				h->mem_claim = srv;
				h->mem_claim_flags = m->flags;
			}
		}
		if (m->flags == 0 && h->ioreq_type_pages) {
			uint64_t gfn;

			/* pages left of type ioreq_server go back to ram_rw */
			for (gfn = 0; gfn < h->nr_gfns; gfn++)
				if (h->mem_type[gfn] == HVMMEM_ioreq_server)
					h->mem_type[gfn] = HVMMEM_ram_rw;
			h->ioreq_type_pages = 0;
		}
		return 0;
	}
	default:
		return -EOPNOTSUPP;
	}
}

long sim_ioreq_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			uint64_t idx, uint64_t num, struct sim_frame *frames)
{
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_ioreq_server *srv;
	uint64_t i;
	int rc;

	rc = sim_inject(s, "resource:ioreq_server");
	if (rc)
		return rc;
	if (num == 0)
		return SIM_IOREQ_FRAMES; /* size query */
	if (!h || !sim_domain_is_hvm(d))
		return -ENOENT;
	srv = srv_get(h, id);
	if (!srv)
		return -ENOENT;
	if (srv->legacy)
		return -EPERM;
	for (i = 0; i < num; i++) {
		uint64_t f = idx + i;

		if (f == 0) {
			if (srv->bufioreq == BUFIOREQ_OFF)
				return -ENOENT;
		} else if (f != 1) {
			return -EINVAL;
		}
		frames[i] = srv->frame[f];
	}
	srv->resource_mapped = true;
	return (long)num;
}

/* ---- ioeventfd and irqfd ------------------------------------------------------ */

struct sim_ioeventfd {
	struct sim_conn *owner;
	unsigned int domid, ioservid, frame, vcpus;
	uint64_t addr;
	unsigned int addr_len, vq;
	uint32_t *ports;
	int efd;
	unsigned long signals;
	bool stale; /* its server was destroyed: the ioreq page is gone */
	struct sim_ioeventfd *next;
};

struct sim_irqfd {
	struct sim_conn *owner;
	unsigned int domid;
	unsigned char *op;
	size_t size;
	int efd;
	unsigned long injected;
	struct sim_irqfd *next;
};

static struct sim_ioeventfd *ioeventfds;
static struct sim_irqfd *irqfds;

/* Do two fds (of this process) refer to the same open file? */
static bool same_file(int a, int b)
{
	pid_t pid = getpid();
	long r = syscall(SYS_kcmp, pid, pid, KCMP_FILE_TYPE, a, b);
	char pa[64], pb[64], la[256], lb[256];
	FILE *fa, *fb;
	bool same = false;

	if (r >= 0)
		return r == 0;
	/* no kcmp: compare the eventfd ids in fdinfo */
	snprintf(pa, sizeof(pa), "/proc/self/fdinfo/%d", a);
	snprintf(pb, sizeof(pb), "/proc/self/fdinfo/%d", b);
	fa = fopen(pa, "re");
	fb = fopen(pb, "re");
	if (fa && fb) {
		la[0] = lb[0] = '\0';
		while (fgets(la, sizeof(la), fa))
			if (!strncmp(la, "eventfd-id:", 11))
				break;
		while (fgets(lb, sizeof(lb), fb))
			if (!strncmp(lb, "eventfd-id:", 11))
				break;
		same = !strncmp(la, "eventfd-id:", 11) && !strcmp(la, lb);
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

static bool is_eventfd(int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return true; /* no /proc: trust the caller */
	link[n] = '\0';
	return !strcmp(link, "anon_inode:[eventfd]");
}

static void eventfd_signal(int efd)
{
	uint64_t one = 1;
	ssize_t n;

	n = write(efd, &one, sizeof(one));
	(void)n;
}

static void ioeventfd_free(struct sim_ioeventfd *e)
{
	close(e->efd);
	free(e->ports);
	free(e);
}

/* ioeventfds stay until deassigned (as in the kernel), but those on the
 * pages of a destroyed server never match again (even if the id is
 * reused: a new server has new pages). */
static void ioeventfd_server_gone(unsigned int domid, unsigned int id)
{
	struct sim_ioeventfd *e;

	for (e = ioeventfds; e; e = e->next)
		if (e->domid == domid && e->ioservid == id)
			e->stale = true;
}

static struct sim_ioeventfd *ioeventfd_match(struct sim_ioreq_server *srv,
					     const struct sim_io_ticket *t)
{
	struct sim_ioeventfd *e;

	if (t->space != IOREQ_TYPE_COPY || !t->write || t->rep)
		return NULL;
	for (e = ioeventfds; e; e = e->next)
		if (!e->stale && e->domid == srv->d->domid && e->ioservid == srv->id &&
		    e->frame == 1 && t->vcpu < e->vcpus &&
		    t->addr == e->addr + QUEUE_NOTIFY && t->size == e->addr_len &&
		    (t->data & 0xffff) == e->vq)
			return e;
	return NULL;
}

int sim_ioeventfd(struct sim *s, struct sim_conn *c, const struct xsp_ioeventfd *req,
		  const uint32_t *ports, int efd)
{
	struct sim_ioeventfd *e, **pp;
	int rc;

	rc = -EINVAL;
	if (req->flags & ~IOEVENTFD_DEASSIGN)
		goto out;
	if (req->flags & IOEVENTFD_DEASSIGN) {
		rc = -EBADF;
		if (efd < 0)
			goto out;
		rc = -ENODEV;
		for (pp = &ioeventfds; *pp; pp = &(*pp)->next) {
			e = *pp;
			if (req->ioreq_valid && e->domid == req->dom &&
			    e->ioservid == req->ioservid &&
			    e->frame == req->ioreq_frame && same_file(e->efd, efd)) {
				*pp = e->next;
				ioeventfd_free(e);
				rc = 0;
				break;
			}
		}
		goto out;
	}
	if (req->addr + req->addr_len < req->addr)
		goto out;
	if (req->addr_len != 1 && req->addr_len != 2 && req->addr_len != 4 &&
	    req->addr_len != 8)
		goto out;
	if (req->vcpus == 0 || req->vcpus > 4096)
		goto out;
	rc = -EBADF;
	if (efd < 0)
		goto out;
	rc = -EINVAL;
	if (!is_eventfd(efd))
		goto out;
	rc = -EFAULT;
	if (!req->ioreq_valid)
		goto out; /* not an ioreq page mapped with MMAP_RESOURCE */
	rc = -EINVAL;
	if (req->ioreq_frame != 1)
		goto out; /* the buffered page holds no ioreq_t */
	for (e = ioeventfds; e; e = e->next) {
		if (e->stale || e->domid != req->dom || e->ioservid != req->ioservid ||
		    e->frame != req->ioreq_frame)
			continue;
		if (e->vcpus != req->vcpus) {
			rc = -EINVAL;
			goto out;
		}
		if (same_file(e->efd, efd)) {
			rc = -EBUSY;
			goto out;
		}
	}
	rc = -ENOMEM;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto out;
	e->ports = calloc(req->vcpus, sizeof(*e->ports));
	if (!e->ports) {
		free(e);
		goto out;
	}
	if (ports)
		memcpy(e->ports, ports, req->vcpus * sizeof(*e->ports));
	e->owner = c;
	e->domid = req->dom;
	e->ioservid = req->ioservid;
	e->frame = req->ioreq_frame;
	e->vcpus = req->vcpus;
	e->addr = req->addr;
	e->addr_len = req->addr_len;
	e->vq = req->vq;
	e->efd = efd;
	e->next = ioeventfds;
	ioeventfds = e;
	sim_log(s, "ioeventfd: domain %u server %u addr 0x%" PRIx64 " vq %u", e->domid,
		e->ioservid, e->addr, e->vq);
	return 0;
out:
	if (efd >= 0)
		close(efd);
	return rc;
}

static void irqfd_free(struct sim *s, struct sim_irqfd *q)
{
	sim_unwatch_fd(s, q->efd);
	close(q->efd);
	free(q->op);
	free(q);
}

/* Run the stored dm_op of @q (the kernel's irqfd_inject). */
static void irqfd_inject(struct sim *s, struct sim_irqfd *q)
{
	struct sim_ubuf b;
	long rc;

	memset(&b, 0, sizeof(b));
	b.index = 0;
	b.flags = XSP_BUF_IN | XSP_BUF_OUT;
	b.size = q->size;
	b.data = malloc(q->size ? q->size : 1);
	if (!b.data)
		return;
	memcpy(b.data, q->op, q->size);
	rc = sim_dm_op(s, NULL, q->domid, &b, 1);
	free(b.data);
	q->injected++;
	if (rc)
		sim_log(s, "irqfd: dm_op on domain %u failed: %ld", q->domid, rc);
}

static void irqfd_cb(struct sim *s, int fd, void *arg)
{
	struct sim_irqfd *q = arg;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint64_t cnt;

	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
		return;
	if (read(fd, &cnt, sizeof(cnt)) != (ssize_t)sizeof(cnt))
		return;
	irqfd_inject(s, q);
}

int sim_irqfd(struct sim *s, struct sim_conn *c, const struct xsp_irqfd *req,
	      const void *dm_op, size_t dm_op_size, int efd)
{
	struct sim_irqfd *q, **pp;
	int rc;

	rc = -EINVAL;
	if (req->flags & ~IRQFD_DEASSIGN)
		goto out;
	rc = -EBADF;
	if (efd < 0)
		goto out;
	rc = -EINVAL;
	if (!is_eventfd(efd))
		goto out;
	if (req->flags & IRQFD_DEASSIGN) {
		/* Linux answers 0 whether or not the eventfd was assigned. */
		for (pp = &irqfds; *pp; pp = &(*pp)->next)
			if (same_file((*pp)->efd, efd)) {
				q = *pp;
				*pp = q->next;
				irqfd_free(s, q);
				break;
			}
		rc = 0;
		goto out;
	}
	for (q = irqfds; q; q = q->next)
		if (same_file(q->efd, efd)) {
			rc = -EBUSY;
			goto out;
		}
	rc = -ENOMEM;
	q = calloc(1, sizeof(*q));
	if (!q)
		goto out;
	q->op = malloc(dm_op_size ? dm_op_size : 1);
	if (!q->op) {
		free(q);
		goto out;
	}
	if (dm_op_size)
		memcpy(q->op, dm_op, dm_op_size);
	q->size = dm_op_size;
	q->owner = c;
	q->domid = req->dom;
	q->efd = efd;
	rc = sim_watch_fd(s, efd, irqfd_cb, q);
	if (rc) {
		free(q->op);
		free(q);
		goto out;
	}
	q->next = irqfds;
	irqfds = q;
	sim_log(s, "irqfd: domain %u, %zu-byte dm_op", q->domid, dm_op_size);
	return 0;
out:
	if (efd >= 0)
		close(efd);
	return rc;
}

void sim_dm_conn_release(struct sim *s, struct sim_conn *c)
{
	struct sim_irqfd **qp = &irqfds;
	struct sim_ioeventfd **ep = &ioeventfds;
	struct sim_io_ticket *t, *n;

	while (*qp) {
		struct sim_irqfd *q = *qp;

		if (q->owner == c) {
			*qp = q->next;
			irqfd_free(s, q);
		} else {
			qp = &q->next;
		}
	}
	while (*ep) {
		struct sim_ioeventfd *e = *ep;

		if (e->owner == c) {
			*ep = e->next;
			ioeventfd_free(e);
		} else {
			ep = &e->next;
		}
	}
	for (t = tickets; t; t = n) {
		n = t->next;
		if (t->waiter != c)
			continue;
		t->waiter = NULL;
		if (t->timer > 0) {
			sim_timer_cancel(s, t->timer);
			t->timer = 0;
		}
		if (t->once)
			ticket_withdraw(s, t);
	}
	c->dm = NULL;
}

/* ---- guest I/O ---------------------------------------------------------------- */

static struct sim_ioreq_server *select_server(struct sim_hvm *h,
					      const struct sim_io_ticket *t)
{
	unsigned int i, type;
	uint64_t start = t->addr, end = t->addr + t->size - 1;

	if (t->rep && t->space == IOREQ_TYPE_COPY) {
		/* the whole span of device addresses of this ioreq */
		uint64_t span = (uint64_t)(t->chunk - 1) * t->size;

		start = t->df ? t->addr - span : t->addr;
		end = start + span + t->size - 1;
	}

	if (t->space == IOREQ_TYPE_COPY && t->write && h->mem_claim &&
	    h->mem_claim->enabled &&
	    (h->mem_claim_flags & XEN_DMOP_IOREQ_MEM_ACCESS_WRITE) &&
	    (t->addr >> SIM_PAGE_SHIFT) < h->nr_gfns &&
	    h->mem_type[t->addr >> SIM_PAGE_SHIFT] == HVMMEM_ioreq_server)
		return h->mem_claim;
	switch (t->space) {
	case IOREQ_TYPE_PIO:
		type = XEN_DMOP_IO_RANGE_PORT;
		break;
	case IOREQ_TYPE_COPY:
		type = XEN_DMOP_IO_RANGE_MEMORY;
		break;
	default:
		type = XEN_DMOP_IO_RANGE_PCI;
		start = end = t->addr >> 32; /* SBDF */
		break;
	}
	for (i = SIM_MAX_IOREQ_SERVERS; i-- > 0;) {
		struct sim_ioreq_server *srv = h->srv[i];

		if (srv && srv->enabled &&
		    sim_rangeset_contains(&srv->ranges[type], start, end))
			return srv;
	}
	return NULL;
}

/* Xen's buffered path; true if the write was queued on the ring. */
static bool send_buffered(struct sim *s, struct sim_ioreq_server *srv,
			  const struct sim_io_ticket *t)
{
	struct buffered_iopage *bp = (struct buffered_iopage *)(void *)srv->page[0];
	uint64_t *ptrs = (uint64_t *)(void *)bp; /* read_pointer | write_pointer << 32 */
	uint32_t rp, wp, word0, qw = t->size == 8;
	unsigned int lg = t->size == 1 ? 0 : t->size == 2 ? 1 : t->size == 4 ? 2 : 3;
	uint64_t pp;
	uint32_t *slot;

	if (srv->bufioreq == BUFIOREQ_OFF || !srv->buf_port || t->rep)
		return false;
	if (t->space != IOREQ_TYPE_COPY || !t->write || t->addr < BUFFERED_START ||
	    t->addr + t->size - 1 > BUFFERED_END)
		return false;
	pp = __atomic_load_n(ptrs, __ATOMIC_ACQUIRE);
	rp = (uint32_t)pp;
	wp = (uint32_t)(pp >> 32);
	if (wp - rp >= IOREQ_BUFFER_SLOT_NUM - qw)
		return false; /* ring full: synchronous path */
	word0 = (uint32_t)IOREQ_TYPE_COPY | ((uint32_t)IOREQ_WRITE << 9) | (lg << 10) |
		((uint32_t)(t->addr & 0xfffff) << 12);
	slot = (uint32_t *)&bp->buf_ioreq[wp % IOREQ_BUFFER_SLOT_NUM];
	slot[0] = word0;
	slot[1] = (uint32_t)t->data;
	if (qw) {
		slot = (uint32_t *)&bp->buf_ioreq[(wp + 1) % IOREQ_BUFFER_SLOT_NUM];
		slot[0] = word0;
		slot[1] = (uint32_t)(t->data >> 32);
	}
	__atomic_store_n(&bp->write_pointer, wp + 1 + qw, __ATOMIC_RELEASE);
	if (srv->bufioreq == BUFIOREQ_ATOMIC) {
		/* canonicalise both pointers together */
		uint64_t old = __atomic_load_n(ptrs, __ATOMIC_ACQUIRE), nw;

		do {
			uint32_t r = (uint32_t)old, w = (uint32_t)(old >> 32);
			uint32_t n = r - r % IOREQ_BUFFER_SLOT_NUM;

			if (n == 0)
				break;
			nw = (uint64_t)(r - n) | ((uint64_t)(w - n) << 32);
		} while (!__atomic_compare_exchange_n(
			ptrs, &old, nw, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	}
	sim_evtchn_send(s, srv->d, srv->buf_port);
	return true;
}

/* Items of a rep that one ioreq carries: those whose buffer bytes lie in
 * the page of the first item (at least one). */
static uint32_t rep_chunk(const struct sim_io_ticket *t)
{
	uint64_t off = t->data & (SIM_PAGE_SIZE - 1);
	uint32_t left = t->count - t->reps_done;
	uint64_t n;

	if (t->df)
		n = off + t->size <= SIM_PAGE_SIZE ? off / t->size + 1 : 0;
	else
		n = (SIM_PAGE_SIZE - off) / t->size;
	if (n == 0)
		n = 1; /* one item straddles the boundary */
	return n < left ? (uint32_t)n : left;
}

/* A broadcast: one request in the vCPU's slot of every enabled server. */
static int bcast_deliver(struct sim *s, struct sim_io_ticket *t)
{
	struct sim_hvm *h = t->d->hvm;
	uint32_t mask = 0;
	unsigned int i;

	for (i = 0; i < SIM_MAX_IOREQ_SERVERS; i++) {
		struct sim_ioreq_server *srv = h->srv[i];

		if (!srv || !srv->enabled || !srv->vcpu_port[t->vcpu])
			continue;
		if (slot_state(srv_slot(srv, t->vcpu)) != STATE_IOREQ_NONE)
			return -EBUSY;
		mask |= 1u << i;
	}
	if (!mask) {
		ticket_finish(s, t, 0, OUT_UNCLAIMED, 0);
		return 0;
	}
	t->bcast_pending = mask;
	h->vcpu_io[t->vcpu] = t;
	for (i = 0; i < SIM_MAX_IOREQ_SERVERS; i++) {
		struct sim_ioreq_server *srv = h->srv[i];
		struct ioreq *p;
		int rc;

		if (!(mask & (1u << i)))
			continue;
		p = srv_slot(srv, t->vcpu);
		p->addr = 0;
		p->data = 0;
		p->count = 1;
		p->size = 4;
		p->vp_eport = srv->vcpu_port[t->vcpu];
		p->_pad0 = 0;
		p->type = IOREQ_TYPE_INVALIDATE;
		__atomic_store_n(slot_flags(p),
				 (uint8_t)(STATE_IOREQ_READY | (IOREQ_WRITE << 5)),
				 __ATOMIC_RELEASE);
		rc = sim_evtchn_send(s, t->d, srv->vcpu_port[t->vcpu]);
		if (rc < 0)
			sim_log(s, "ioreq: event to port %u of domain %u failed: %d",
				srv->vcpu_port[t->vcpu], t->d->domid, rc);
	}
	sim_log(s, "ioreq: domain %u vCPU %u broadcast invalidate to servers 0x%x",
		t->d->domid, t->vcpu, mask);
	return 0;
}

/* Deliver @t as Xen would. Finishes it, or leaves it in a server slot. */
static int io_deliver(struct sim *s, struct sim_io_ticket *t)
{
	struct sim_hvm *h = t->d->hvm;
	struct sim_ioreq_server *srv;
	struct sim_ioeventfd *e;
	struct ioreq *p;
	int rc;

	if (h->vcpu_io[t->vcpu])
		return -EBUSY;
	if (t->bcast)
		return bcast_deliver(s, t);
	if (t->rep)
		t->chunk = rep_chunk(t);
	srv = select_server(h, t);
	if (!srv && t->rep) {
		rep_unclaimed(t);
		ticket_finish(s, t, 0, OUT_UNCLAIMED, t->reps_done);
		return 0;
	}
	if (!srv) {
		ticket_finish(s, t, 0, OUT_UNCLAIMED, t->write ? 0 : size_mask(t->size));
		return 0;
	}
	e = ioeventfd_match(srv, t);
	if (e) {
		eventfd_signal(e->efd);
		e->signals++;
		ticket_finish(s, t, 0, OUT_IOEVENTFD, 0);
		return 0;
	}
	if (send_buffered(s, srv, t)) {
		ticket_finish(s, t, 0, OUT_BUFFERED, 0);
		return 0;
	}
	p = srv_slot(srv, t->vcpu);
	if (slot_state(p) != STATE_IOREQ_NONE)
		return -EBUSY;
	p->addr = t->addr;
	if (t->rep)
		p->data = t->data; /* the guest address of the first item */
	else
		p->data = t->write ? t->data & size_mask(t->size) : 0;
	p->count = t->rep ? t->chunk : 1;
	p->size = t->size;
	p->vp_eport = srv->vcpu_port[t->vcpu];
	p->_pad0 = 0;
	p->type = (uint8_t)t->space;
	__atomic_store_n(slot_flags(p),
			 (uint8_t)(STATE_IOREQ_READY | ((t->rep ? 1u : 0u) << 4) |
				   ((t->write ? IOREQ_WRITE : IOREQ_READ) << 5) |
				   ((t->df ? 1u : 0u) << 6)),
			 __ATOMIC_RELEASE);
	t->srv = srv;
	h->vcpu_io[t->vcpu] = t;
	rc = sim_evtchn_send(s, t->d, srv->vcpu_port[t->vcpu]);
	if (rc < 0)
		sim_log(s, "ioreq: event to port %u of domain %u failed: %d",
			srv->vcpu_port[t->vcpu], t->d->domid, rc);
	return 0;
}

/* An `io` nobody waits for any more: withdraw the request if the device
 * model has not taken it yet, else leave it to be freed on completion. */
static void ticket_withdraw(struct sim *s, struct sim_io_ticket *t)
{
	struct sim_hvm *h = sim_hvm_of(t->d);

	if (t->done) {
		ticket_free(s, t);
		return;
	}
	if (t->bcast && h) {
		unsigned int i;

		/* take it back from the servers that have not seen it yet */
		for (i = 0; i < SIM_MAX_IOREQ_SERVERS; i++) {
			struct ioreq *p;

			if (!(t->bcast_pending & (1u << i)) || !h->srv[i])
				continue;
			p = srv_slot(h->srv[i], t->vcpu);
			if (slot_state(p) == STATE_IOREQ_READY) {
				__atomic_store_n(slot_flags(p), (uint8_t)STATE_IOREQ_NONE,
						 __ATOMIC_RELEASE);
				t->bcast_pending &= ~(1u << i);
			}
		}
		if (!t->bcast_pending) {
			if (h->vcpu_io[t->vcpu] == t)
				h->vcpu_io[t->vcpu] = NULL;
			ticket_free(s, t);
		}
		return;
	}
	if (t->srv && h) {
		struct ioreq *p = srv_slot(t->srv, t->vcpu);

		if (slot_state(p) == STATE_IOREQ_READY) {
			__atomic_store_n(slot_flags(p), (uint8_t)STATE_IOREQ_NONE,
					 __ATOMIC_RELEASE);
			if (h->vcpu_io[t->vcpu] == t)
				h->vcpu_io[t->vcpu] = NULL;
			ticket_free(s, t);
		}
	}
}

static void ticket_timeout(struct sim *s, void *arg)
{
	struct sim_io_ticket *t = arg;
	struct sim_conn *w = t->waiter;
	static const char msg[] = "guest I/O timed out";

	t->timer = 0;
	if (!w)
		return;
	t->waiter = NULL;
	sim_conn_reply(s, w, XSP_CONTROL_COMMAND, -ETIMEDOUT, msg, sizeof(msg) - 1, NULL,
		       0);
	if (t->once)
		ticket_withdraw(s, t);
	/* io-wait: the ticket stays, it can be waited for again */
}

/* Wait for @t on @c (deferred reply), or answer now if done. */
static void ticket_wait(struct sim *s, struct sim_conn *c, struct sim_io_ticket *t,
			int64_t timeout_ms, struct sim_reply *r)
{
	long id;

	if (t->done) {
		char text[64];
		int n;

		if (t->ret < 0) {
			sim_dm_ctl_err(r, (int)-t->ret, "guest I/O failed");
		} else {
			n = ticket_text(t, text, sizeof(text));
			r->ret = t->outcome;
			sim_reply_put(r, text, (size_t)n);
		}
		ticket_free(s, t);
		return;
	}
	if (t->waiter) {
		sim_dm_ctl_err(r, EBUSY, "ticket %ld already has a waiter", t->id);
		return;
	}
	if (timeout_ms <= 0) {
		sim_dm_ctl_err(r, ETIMEDOUT, "guest I/O not completed");
		if (t->once)
			ticket_withdraw(s, t);
		return;
	}
	if (timeout_ms > 3600000)
		timeout_ms = 3600000;
	id = sim_timer_add(s, (int)timeout_ms, ticket_timeout, t);
	if (id < 0) {
		sim_dm_ctl_err(r, (int)-id, "no timer");
		return;
	}
	t->timer = id;
	t->waiter = c;
	sim_reply_defer(r);
}

/* argv[0], argv[1]: DOM VCPU, an HVM domain and one of its vCPUs. */
static int parse_dom_vcpu(struct sim *s, char **argv, struct sim_reply *r,
			  struct sim_io_ticket *t)
{
	struct sim_domain *d;
	uint64_t v;

	if (sim_dm_hvm_arg(s, argv[0], r, &d))
		return -1;
	t->d = d;
	if (sim_ctl_num(argv[1], &v) || v >= d->vcpus || v >= SIM_MAX_VCPUS)
		return sim_dm_ctl_err(r, EINVAL, "bad vCPU '%s' (domain has %u)", argv[1],
				      d->vcpus);
	t->vcpu = (unsigned int)v;
	return 0;
}

/* An optional TIMEOUT-MS argument: argv[i] if i < argc. */
static int parse_timeout(int argc, char **argv, int i, struct sim_reply *r,
			 int64_t *timeout)
{
	uint64_t v;

	if (i >= argc)
		return 0;
	if (sim_ctl_num(argv[i], &v) || v > 0x7fffffff)
		return sim_dm_ctl_err(r, EINVAL, "bad timeout '%s'", argv[i]);
	*timeout = (int64_t)v;
	return 0;
}

static int parse_io(struct sim *s, int argc, char **argv, struct sim_reply *r,
		    struct sim_io_ticket *t, int64_t *timeout)
{
	uint64_t v;

	/* argv: DOM VCPU pio|mmio|pci r|w ADDR SIZE [DATA] [TIMEOUT-MS] */
	if (argc < 6 || argc > 8)
		return sim_dm_ctl_err(
			r, EINVAL,
			"usage: io DOM VCPU pio|mmio|pci r|w ADDR SIZE [DATA] "
			"[TIMEOUT-MS]");
	if (parse_dom_vcpu(s, argv, r, t))
		return -1;
	if (!strcmp(argv[2], "pio"))
		t->space = IOREQ_TYPE_PIO;
	else if (!strcmp(argv[2], "mmio"))
		t->space = IOREQ_TYPE_COPY;
	else if (!strcmp(argv[2], "pci"))
		t->space = IOREQ_TYPE_PCI_CONFIG;
	else
		return sim_dm_ctl_err(r, EINVAL, "bad space '%s' (pio, mmio, pci)",
				      argv[2]);
	if (!strcmp(argv[3], "r"))
		t->write = false;
	else if (!strcmp(argv[3], "w"))
		t->write = true;
	else
		return sim_dm_ctl_err(r, EINVAL, "bad direction '%s' (r, w)", argv[3]);
	if (sim_ctl_num(argv[4], &t->addr))
		return sim_dm_ctl_err(r, EINVAL, "bad address '%s'", argv[4]);
	if (sim_ctl_num(argv[5], &v) || (v != 1 && v != 2 && v != 4 && v != 8))
		return sim_dm_ctl_err(r, EINVAL, "bad size '%s' (1, 2, 4, 8)", argv[5]);
	t->size = (unsigned int)v;
	if (t->space == IOREQ_TYPE_PIO &&
	    (t->addr > 0xffff || t->addr + t->size > 0x10000))
		return sim_dm_ctl_err(r, EINVAL, "port 0x%" PRIx64 " out of range",
				      t->addr);
	if (t->addr + t->size - 1 < t->addr)
		return sim_dm_ctl_err(r, EINVAL, "address range wraps");
	t->data = 0;
	if (argc > 6 && sim_ctl_num(argv[6], &t->data))
		return sim_dm_ctl_err(r, EINVAL, "bad data '%s'", argv[6]);
	*timeout = IO_DEFAULT_TIMEOUT_MS;
	return parse_timeout(argc, argv, 7, r, timeout);
}

/* argv: DOM VCPU pio|mmio r|w ADDR SIZE COUNT GPA DF [TIMEOUT-MS] */
static int parse_rep(struct sim *s, int argc, char **argv, struct sim_reply *r,
		     struct sim_io_ticket *t, int64_t *timeout)
{
	uint64_t v, span;

	if (argc < 9 || argc > 10)
		return sim_dm_ctl_err(
			r, EINVAL,
			"usage: io-rep DOM VCPU pio|mmio r|w ADDR SIZE COUNT "
			"GPA DF [TIMEOUT-MS]");
	if (parse_io(s, 6, argv, r, t, timeout))
		return -1;
	if (t->space == IOREQ_TYPE_PCI_CONFIG)
		return sim_dm_ctl_err(r, EINVAL, "no string I/O to PCI config space");
	if (sim_ctl_num(argv[6], &v) || v == 0 || v > IO_MAX_REP)
		return sim_dm_ctl_err(r, EINVAL, "bad count '%s' (1-%u)", argv[6],
				      IO_MAX_REP);
	t->count = (uint32_t)v;
	if (sim_ctl_num(argv[7], &t->data))
		return sim_dm_ctl_err(r, EINVAL, "bad buffer address '%s'", argv[7]);
	if (sim_ctl_num(argv[8], &v) || v > 1)
		return sim_dm_ctl_err(r, EINVAL, "bad direction flag '%s' (0, 1)",
				      argv[8]);
	t->df = v == 1;
	span = (uint64_t)(t->count - 1) * t->size;
	/* neither the buffer nor the MMIO addresses may wrap */
	if (t->df ? t->data < span : t->data + span + t->size - 1 < t->data)
		return sim_dm_ctl_err(r, EINVAL, "buffer wraps");
	if (t->space == IOREQ_TYPE_COPY &&
	    (t->df ? t->addr < span : t->addr + span + t->size - 1 < t->addr))
		return sim_dm_ctl_err(r, EINVAL, "address range wraps");
	if (parse_timeout(argc, argv, 9, r, timeout))
		return -1;
	t->rep = true;
	return 0;
}

/* argv: DOM VCPU [TIMEOUT-MS] */
static int parse_bcast(struct sim *s, int argc, char **argv, struct sim_reply *r,
		       struct sim_io_ticket *t, int64_t *timeout)
{
	if (argc < 2 || argc > 3)
		return sim_dm_ctl_err(r, EINVAL,
				      "usage: io-broadcast DOM VCPU [TIMEOUT-MS]");
	if (parse_dom_vcpu(s, argv, r, t))
		return -1;
	t->space = IOREQ_TYPE_INVALIDATE;
	t->write = true;
	t->bcast = true;
	*timeout = IO_DEFAULT_TIMEOUT_MS;
	return parse_timeout(argc, argv, 2, r, timeout);
}

int sim_ioreq_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		      struct sim_reply *r)
{
	struct sim_io_ticket *t;
	int64_t timeout = 0;
	uint64_t v;
	int rc;

	if (!strcmp(argv[0], "io-wait")) {
		uint64_t ms;

		if (argc != 3 || sim_ctl_num(argv[1], &v) || sim_ctl_num(argv[2], &ms))
			return sim_dm_ctl_err(r, EINVAL,
					      "usage: io-wait TICKET TIMEOUT-MS");
		t = ticket_find((long)v);
		if (!t || t->once)
			return sim_dm_ctl_err(r, ENOENT, "no ticket %s", argv[1]);
		ticket_wait(s, c, t, ms > 0x7fffffff ? 0x7fffffff : (int64_t)ms, r);
		return 0;
	}

	t = calloc(1, sizeof(*t));
	if (!t)
		return sim_dm_ctl_err(r, ENOMEM, "out of memory");
	if (!strncmp(argv[0], "io-rep", 6))
		rc = parse_rep(s, argc - 1, argv + 1, r, t, &timeout);
	else if (!strncmp(argv[0], "io-broadcast", 12))
		rc = parse_bcast(s, argc - 1, argv + 1, r, t, &timeout);
	else
		rc = parse_io(s, argc - 1, argv + 1, r, t, &timeout);
	if (rc) {
		free(t);
		return 0;
	}
	rc = sim_inject(s, "guest:io");
	if (rc) {
		free(t);
		return sim_dm_ctl_err(r, -rc, "injected failure");
	}
	t->id = next_ticket++;
	t->once = !strstr(argv[0], "-submit");
	t->next = tickets;
	tickets = t;
	if (t->once) {
		/* keep it alive across io_deliver: no waiter yet, so finish
		 * does not free it */
		t->once = false;
		rc = io_deliver(s, t);
		t->once = true;
		if (rc) {
			unsigned int vcpu = t->vcpu;

			ticket_free(s, t);
			return sim_dm_ctl_err(r, -rc, "vCPU %u busy", vcpu);
		}
		ticket_wait(s, c, t, timeout, r);
		return 0;
	}
	rc = io_deliver(s, t);
	if (rc) {
		ticket_free(s, t);
		return sim_dm_ctl_err(r, -rc, "vCPU busy");
	}
	r->ret = t->id;
	return sim_ctl_printf(r, "%ld", t->id);
}

/* ---- show --------------------------------------------------------------------- */

int sim_ioreq_show(struct sim *s, struct sim_domain *d, int argc, char **argv,
		   struct sim_reply *r)
{
	struct sim_hvm *h = sim_hvm_of(d);
	struct sim_ioreq_server *srv;
	uint64_t v[4];
	unsigned int i;

	(void)s;
	/* argv: show WHAT DOM ... */
	if (!strcmp(argv[1], "ioreq-server")) {
		if (argc != 4 || sim_ctl_num(argv[3], &v[0]) || v[0] > 0xffff)
			return sim_dm_ctl_err(r, EINVAL,
					      "usage: show ioreq-server DOM ID");
		srv = srv_get(h, (unsigned int)v[0]);
		if (!srv)
			return sim_ctl_printf(
				r, "exists=0 enabled=0 bufioreq=0 ranges=0,0,0 "
				   "mem-type=0 bufioreq-port=0 "
				   "vcpu-ports=0,0,0,0,0,0,0,0");
		sim_ctl_printf(
			r,
			"exists=1 enabled=%d bufioreq=%u ranges=%u,%u,%u mem-type=%u "
			"bufioreq-port=%u vcpu-ports=",
			srv->enabled, srv->bufioreq, srv->ranges[0].n, srv->ranges[1].n,
			srv->ranges[2].n, h->mem_claim == srv ? h->mem_claim_flags : 0,
			srv->buf_port);
		for (i = 0; i < SIM_MAX_VCPUS; i++)
			sim_ctl_printf(r, "%s%u", i ? "," : "", srv->vcpu_port[i]);
		return 0;
	}
	if (!strcmp(argv[1], "ioreq-range")) {
		if (argc != 7 || sim_ctl_num(argv[3], &v[0]) ||
		    sim_ctl_num(argv[4], &v[1]) || sim_ctl_num(argv[5], &v[2]) ||
		    sim_ctl_num(argv[6], &v[3]) || v[1] > 2)
			return sim_dm_ctl_err(
				r, EINVAL,
				"usage: show ioreq-range DOM ID TYPE START END");
		srv = v[0] <= 0xffff ? srv_get(h, (unsigned int)v[0]) : NULL;
		if (srv)
			for (i = 0; i < srv->ranges[v[1]].n; i++)
				if (srv->ranges[v[1]].r[i].start == v[2] &&
				    srv->ranges[v[1]].r[i].end == v[3])
					return sim_ctl_printf(r, "1");
		return sim_ctl_printf(r, "0");
	}
	return sim_dm_ctl_err(r, EINVAL, "unknown show '%s'", argv[1]);
}
