/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim-dm.c - __HYPERVISOR_dm_op of the simulated Xen 4.17 and the HVM
 * device state it drives (interrupt lines, MSIs, memory types, dirty
 * tracking, injected events, pinned cache attributes, shutdown).
 *
 * Checks are made in Xen's order: more than 2 buffers -E2BIG; unknown
 * domain -ESRCH, the caller's own domain (dom0) -EPERM; a PV domain
 * -EINVAL (PVH counts as HVM, as in Xen); buffer 0 shorter than the op
 * header -EFAULT; op beyond the table -EOPNOTSUPP; buffer 0 shorter than
 * header + the op's struct -EFAULT; any pad field set -EINVAL. The op
 * struct is written back only for ops with output, only on success.
 *
 * The x86 ops are accepted on every HVM/PVH domain; Arm's set_irq_level
 * only with the scenario's "arch arm" (an x86 Xen 4.17 answers
 * -EOPNOTSUPP, as tests/xen/differential saw).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>

#include "sim-hvm.h"
#include "sim.h"

#define NR_DMOPS	   (XEN_DMOP_nr_vcpus + 1)
#define TRACK_MAX_NR	   (1u << 18) /* 1 GiB of 4 KiB frames */
#define CACHEATTR_GFN_BITS 40	      /* 52 physical address bits */
#define SIM_HVMMEM_UNUSED  3	      /* HVMMEM_unused (mmio_write_dm before 4.7) */

static const struct {
	const char *name;
	uint8_t size;
	bool out; /* the op struct is copied back on success */
} dmops[NR_DMOPS] = {
	[XEN_DMOP_create_ioreq_server] = {"create_ioreq_server",
					  sizeof(struct xen_dm_op_create_ioreq_server),
					  true},
	[XEN_DMOP_get_ioreq_server_info] =
		{"get_ioreq_server_info", sizeof(struct xen_dm_op_get_ioreq_server_info),
		 true},
	[XEN_DMOP_map_io_range_to_ioreq_server] =
		{"map_io_range_to_ioreq_server",
		 sizeof(struct xen_dm_op_ioreq_server_range)},
	[XEN_DMOP_unmap_io_range_from_ioreq_server] =
		{"unmap_io_range_from_ioreq_server",
		 sizeof(struct xen_dm_op_ioreq_server_range)},
	[XEN_DMOP_set_ioreq_server_state] =
		{"set_ioreq_server_state",
		 sizeof(struct xen_dm_op_set_ioreq_server_state)},
	[XEN_DMOP_destroy_ioreq_server] = {"destroy_ioreq_server",
					   sizeof(struct xen_dm_op_destroy_ioreq_server)},
	[XEN_DMOP_track_dirty_vram] = {"track_dirty_vram",
				       sizeof(struct xen_dm_op_track_dirty_vram)},
	[XEN_DMOP_set_pci_intx_level] = {"set_pci_intx_level",
					 sizeof(struct xen_dm_op_set_pci_intx_level)},
	[XEN_DMOP_set_isa_irq_level] = {"set_isa_irq_level",
					sizeof(struct xen_dm_op_set_isa_irq_level)},
	[XEN_DMOP_set_pci_link_route] = {"set_pci_link_route",
					 sizeof(struct xen_dm_op_set_pci_link_route)},
	[XEN_DMOP_modified_memory] = {"modified_memory",
				      sizeof(struct xen_dm_op_modified_memory)},
	[XEN_DMOP_set_mem_type] = {"set_mem_type", sizeof(struct xen_dm_op_set_mem_type)},
	[XEN_DMOP_inject_event] = {"inject_event", sizeof(struct xen_dm_op_inject_event)},
	[XEN_DMOP_inject_msi] = {"inject_msi", sizeof(struct xen_dm_op_inject_msi)},
	[XEN_DMOP_map_mem_type_to_ioreq_server] =
		{"map_mem_type_to_ioreq_server",
		 sizeof(struct xen_dm_op_map_mem_type_to_ioreq_server)},
	[XEN_DMOP_remote_shutdown] = {"remote_shutdown",
				      sizeof(struct xen_dm_op_remote_shutdown)},
	[XEN_DMOP_relocate_memory] = {"relocate_memory",
				      sizeof(struct xen_dm_op_relocate_memory)},
	[XEN_DMOP_pin_memory_cacheattr] = {"pin_memory_cacheattr",
					   sizeof(struct xen_dm_op_pin_memory_cacheattr)},
	[XEN_DMOP_set_irq_level] = {"set_irq_level",
				    sizeof(struct xen_dm_op_set_irq_level)},
	[XEN_DMOP_nr_vcpus] = {"nr_vcpus", sizeof(struct xen_dm_op_nr_vcpus), true},
};

/* ---- domain state ------------------------------------------------------ */

int sim_hvm_domain_init(struct sim *s, struct sim_domain *d)
{
	struct sim_hvm *h;
	size_t bm;

	(void)s;
	if (d->hvm)
		return 0;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->nr_gfns = d->nr_pages;
	bm = (size_t)(h->nr_gfns + 7) / 8;
	h->mem_type = calloc(h->nr_gfns ? (size_t)h->nr_gfns : 1, 1);
	h->dirty = calloc(bm ? bm : 1, 1);
	h->modified = calloc(bm ? bm : 1, 1);
	if (!h->mem_type || !h->dirty || !h->modified) {
		free(h->mem_type);
		free(h->dirty);
		free(h->modified);
		free(h);
		return -ENOMEM;
	}
	h->shutdown_reason = -1;
	d->hvm = h;
	return 0;
}

/* A toolstack domain's RAM grew: per-gfn state for the new gfns (zeroed). */
int sim_hvm_domain_resize(struct sim *s, struct sim_domain *d)
{
	struct sim_hvm *h = sim_hvm_of(d);
	uint64_t n = d->nr_pages;
	size_t obm, bm;
	uint8_t *mt, *dirty, *mod;

	(void)s;
	if (!h || n <= h->nr_gfns)
		return 0;
	obm = (size_t)(h->nr_gfns + 7) / 8;
	bm = (size_t)(n + 7) / 8;
	mt = realloc(h->mem_type, (size_t)n);
	if (!mt)
		return -ENOMEM;
	h->mem_type = mt;
	memset(mt + h->nr_gfns, 0, (size_t)(n - h->nr_gfns));
	dirty = realloc(h->dirty, bm);
	if (!dirty)
		return -ENOMEM;
	h->dirty = dirty;
	mod = realloc(h->modified, bm);
	if (!mod)
		return -ENOMEM;
	h->modified = mod;
	/* the bits of the last old byte beyond nr_gfns are zero already */
	memset(dirty + obm, 0, bm - obm);
	memset(mod + obm, 0, bm - obm);
	h->nr_gfns = n;
	return 0;
}

void sim_hvm_domain_destroy(struct sim *s, struct sim_domain *d)
{
	struct sim_hvm *h = sim_hvm_of(d);

	if (!h)
		return;
	sim_ioreq_domain_destroy(s, d);
	while (h->cacheattr) {
		struct sim_cacheattr *n = h->cacheattr->next;

		free(h->cacheattr);
		h->cacheattr = n;
	}
	free(h->msis);
	free(h->events);
	free(h->mem_type);
	free(h->dirty);
	free(h->modified);
	free(h);
	d->hvm = NULL;
}

void sim_hvm_mark_dirty(struct sim_hvm *h, uint64_t gfn)
{
	if (h && gfn < h->nr_gfns)
		sim_bit_set(h->dirty, gfn);
}

/* ---- the ops handled here ---------------------------------------------- */

static int track_dirty_vram(struct sim_hvm *h, const struct xen_dm_op_track_dirty_vram *t,
			    struct sim_ubuf *bm, unsigned int nbufs)
{
	size_t bytes = ((size_t)t->nr + 7) / 8;
	uint64_t i;

	if (t->pad || nbufs < 2)
		return -EINVAL;
	if (t->nr > TRACK_MAX_NR)
		return -EINVAL;
	if (bytes > bm->size)
		return -EINVAL;
	if (t->nr == 0) {
		h->vram_tracking = false;
		return 0;
	}
	if (!h->vram_tracking || h->vram_first != t->first_pfn || h->vram_nr != t->nr) {
		/* A new range: every frame counts as dirty once. */
		h->vram_tracking = true;
		h->vram_first = t->first_pfn;
		h->vram_nr = t->nr;
		for (i = 0; i < t->nr; i++)
			if (t->first_pfn + i < h->nr_gfns)
				sim_bit_clear(h->dirty, t->first_pfn + i);
		memset(bm->data, 0xff, bytes);
		bm->written = true;
		return 0;
	}
	memset(bm->data, 0, bytes);
	for (i = 0; i < t->nr; i++) {
		uint64_t gfn = t->first_pfn + i;

		if (gfn < h->nr_gfns && sim_bit_test(h->dirty, gfn)) {
			sim_bit_clear(h->dirty, gfn);
			sim_bit_set(bm->data, i);
		}
	}
	bm->written = true;
	return 0;
}

static int modified_memory(struct sim_hvm *h, struct xen_dm_op_modified_memory *m,
			   const struct sim_ubuf *ext, unsigned int nbufs)
{
	if (nbufs < 2)
		return -EINVAL;
	if (ext->size / sizeof(struct xen_dm_op_modified_memory_extent) < m->nr_extents)
		return -EINVAL;
	/* Xen walks the extents from the last one; nr_extents counts down
	 * and opaque is the progress inside the current extent. */
	while (m->nr_extents > 0) {
		struct xen_dm_op_modified_memory_extent e;
		uint64_t end, gfn;

		memcpy(&e, ext->data + (size_t)(m->nr_extents - 1) * sizeof(e),
		       sizeof(e));
		if (e.pad)
			return -EINVAL;
		end = e.first_pfn + e.nr;
		if (end <= e.first_pfn)
			return -EINVAL;
		if (end > h->nr_gfns) {
			/* Xen ignores the call without log-dirty mode (vram tracking
			 * here): out of range is an error only with it */
			if (h->vram_tracking)
				return -EINVAL;
			end = h->nr_gfns > e.first_pfn ? h->nr_gfns : e.first_pfn;
		}
		if (m->opaque >= e.nr)
			return -EINVAL;
		for (gfn = e.first_pfn + m->opaque; gfn < end; gfn++) {
			sim_bit_set(h->modified, gfn);
			sim_bit_set(h->dirty, gfn);
		}
		m->opaque = 0;
		m->nr_extents--;
	}
	return 0;
}

static bool mem_type_change_allowed(unsigned int from, unsigned int to)
{
	if (from == HVMMEM_ram_rw || from == HVMMEM_ram_ro)
		return true;
	if (from == HVMMEM_mmio_dm)
		return to == HVMMEM_mmio_dm;
	if (from == HVMMEM_ioreq_server)
		return to == HVMMEM_ram_rw;
	return false;
}

static int set_mem_type(struct sim_hvm *h, const struct xen_dm_op_set_mem_type *m)
{
	uint64_t last = m->first_pfn + m->nr - 1, gfn;

	if (m->pad)
		return -EINVAL;
	if (m->first_pfn > last || last >= h->nr_gfns)
		return -EINVAL;
	if (m->mem_type > HVMMEM_ioreq_server || m->mem_type == SIM_HVMMEM_UNUSED)
		return -EINVAL;
	if (m->mem_type == HVMMEM_ioreq_server && !h->mem_claim)
		return -EINVAL;
	for (gfn = m->first_pfn; gfn <= last; gfn++) {
		unsigned int old = h->mem_type[gfn];

		if (!mem_type_change_allowed(old, m->mem_type))
			return -EINVAL;
		if (old == HVMMEM_ioreq_server)
			h->ioreq_type_pages--;
		if (m->mem_type == HVMMEM_ioreq_server)
			h->ioreq_type_pages++;
		h->mem_type[gfn] = (uint8_t)m->mem_type;
	}
	return 0;
}

static int inject_event(struct sim_domain *d, struct sim_hvm *h,
			const struct xen_dm_op_inject_event *e)
{
	struct sim_event *ev;

	if (e->pad0 || e->pad1)
		return -EINVAL;
	if (e->vcpuid >= d->vcpus)
		return -EINVAL;
	/* The vCPU takes the event at once, so there is never one pending
	 * (Xen's -EBUSY for a second unconsumed event cannot happen here). */
	if (h->nevents >= SIM_MAX_RECORDS)
		return 0;
	if (!h->events) {
		h->events = calloc(SIM_MAX_RECORDS, sizeof(*h->events));
		if (!h->events)
			return -ENOMEM;
	}
	ev = &h->events[h->nevents++];
	ev->vcpu = e->vcpuid;
	ev->vector = e->vector;
	ev->type = e->type;
	ev->insn_len = e->insn_len;
	ev->error_code = e->error_code;
	ev->extra = e->cr2;
	return 0;
}

static int inject_msi(struct sim_hvm *h, const struct xen_dm_op_inject_msi *m)
{
	if (m->pad)
		return -EINVAL;
	if (h->nmsis >= SIM_MAX_RECORDS)
		return 0;
	if (!h->msis) {
		h->msis = calloc(SIM_MAX_RECORDS, sizeof(*h->msis));
		if (!h->msis)
			return -ENOMEM;
	}
	h->msis[h->nmsis].addr = m->addr;
	h->msis[h->nmsis].data = m->data;
	h->nmsis++;
	return 0;
}

static int relocate_memory(struct sim_domain *d, struct sim_hvm *h,
			   const struct xen_dm_op_relocate_memory *m)
{
	uint64_t i;

	if (m->pad)
		return -EINVAL;
	if (m->size == 0)
		return 0;
	if (m->src_gfn >= h->nr_gfns || m->size > h->nr_gfns - m->src_gfn ||
	    m->dst_gfn >= h->nr_gfns || m->size > h->nr_gfns - m->dst_gfn)
		return -EINVAL;
	/* Frame by frame, ascending, as XENMAPSPACE_gmfn_range: the frame
	 * at src moves to dst (whose old frame is dropped) and src is left
	 * empty (reads as zeros here). */
	for (i = 0; i < m->size; i++) {
		uint64_t src = m->src_gfn + i, dst = m->dst_gfn + i;
		unsigned char *ps =
			sim_guest_ptr(d, src << SIM_PAGE_SHIFT, SIM_PAGE_SIZE);
		unsigned char *pd =
			sim_guest_ptr(d, dst << SIM_PAGE_SHIFT, SIM_PAGE_SIZE);

		if (!ps || !pd)
			return -EINVAL;
		if (src == dst)
			continue;
		memcpy(pd, ps, SIM_PAGE_SIZE);
		memset(ps, 0, SIM_PAGE_SIZE);
		sim_bit_set(h->dirty, dst);
	}
	return 0;
}

static bool cacheattr_type_ok(uint32_t t)
{
	switch (t) {
	case XEN_DMOP_MEM_CACHEATTR_UC:
	case XEN_DMOP_MEM_CACHEATTR_WC:
	case XEN_DMOP_MEM_CACHEATTR_WT:
	case XEN_DMOP_MEM_CACHEATTR_WP:
	case XEN_DMOP_MEM_CACHEATTR_WB:
	case XEN_DMOP_MEM_CACHEATTR_UCM:
		return true;
	default:
		return false;
	}
}

static int pin_cacheattr(struct sim_hvm *h,
			 const struct xen_dm_op_pin_memory_cacheattr *p)
{
	struct sim_cacheattr **pp, *c;

	if (p->pad)
		return -EINVAL;
	if (p->end < p->start || (p->start | p->end) >> CACHEATTR_GFN_BITS)
		return -EINVAL;
	if (p->type == XEN_DMOP_DELETE_MEM_CACHEATTR) {
		for (pp = &h->cacheattr; *pp; pp = &(*pp)->next) {
			c = *pp;
			if (c->start == p->start && c->end == p->end) {
				*pp = c->next;
				free(c);
				return 0;
			}
		}
		return -ENOENT;
	}
	if (!cacheattr_type_ok(p->type))
		return -EINVAL;
	for (c = h->cacheattr; c; c = c->next) {
		if (c->start == p->start && c->end == p->end) {
			c->type = p->type;
			return 0;
		}
		if (c->start <= p->end && p->start <= c->end)
			return -EBUSY;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->start = p->start;
	c->end = p->end;
	c->type = p->type;
	c->next = h->cacheattr;
	h->cacheattr = c;
	return 0;
}

static int set_irq_level(struct sim_hvm *h, const struct xen_dm_op_set_irq_level *l)
{
	if (l->irq < SIM_NR_LOCAL_IRQS || l->irq >= SIM_NR_IRQS)
		return -EINVAL;
	if (l->level > 1)
		return -EINVAL;
	if (l->pad[0] || l->pad[1] || l->pad[2])
		return -EINVAL;
	h->irq_level[l->irq] = l->level;
	if (l->level)
		h->irq_asserts[l->irq]++;
	return 0;
}

long sim_dm_op(struct sim *s, struct sim_conn *c, unsigned int domid,
	       struct sim_ubuf *bufs, unsigned int nbufs)
{
	const size_t hdr = offsetof(struct xen_dm_op, u);
	struct xen_dm_op op;
	struct sim_domain *d;
	struct sim_hvm *h;
	bool written = false;
	char what[64];
	int rc;

	(void)c;
	if (nbufs > 2)
		return -E2BIG;
	d = sim_domain_find(s, domid);
	if (!d)
		return -ESRCH;
	if (domid == 0)
		return -EPERM; /* the caller's own domain */
	h = sim_hvm_of(d);
	if (!sim_domain_is_hvm(d) || !h)
		return -EINVAL;
	if (nbufs < 1 || bufs[0].size < hdr)
		return -EFAULT;
	memset(&op, 0, sizeof(op));
	memcpy(&op, bufs[0].data, hdr);
	if (op.op >= NR_DMOPS || !dmops[op.op].name)
		return -EOPNOTSUPP;
	if (bufs[0].size < hdr + dmops[op.op].size)
		return -EFAULT;
	memcpy(&op.u, bufs[0].data + hdr, dmops[op.op].size);

	snprintf(what, sizeof(what), "dm_op:%s", dmops[op.op].name);
	rc = sim_inject(s, what);
	if (rc)
		return rc;
	if (op.pad)
		return -EINVAL;

	switch (op.op) {
	case XEN_DMOP_create_ioreq_server:
	case XEN_DMOP_get_ioreq_server_info:
	case XEN_DMOP_map_io_range_to_ioreq_server:
	case XEN_DMOP_unmap_io_range_from_ioreq_server:
	case XEN_DMOP_set_ioreq_server_state:
	case XEN_DMOP_destroy_ioreq_server:
	case XEN_DMOP_map_mem_type_to_ioreq_server:
		rc = sim_ioreq_dm_op(s, d, &op, &written);
		break;
	case XEN_DMOP_track_dirty_vram:
		/* Xen needs vCPU 0 (none before the domain is built): EINVAL */
		rc = !d->built ? -EINVAL
			       : track_dirty_vram(h, &op.u.track_dirty_vram,
						  nbufs > 1 ? &bufs[1] : NULL, nbufs);
		break;
	case XEN_DMOP_set_pci_intx_level: {
		const struct xen_dm_op_set_pci_intx_level *l = &op.u.set_pci_intx_level;

		rc = -EINVAL;
		if (l->domain != 0 || l->bus != 0 || l->device > 0x1f || l->intx > 3 ||
		    l->level > 1)
			break;
		h->intx[l->device][l->intx] = l->level;
		rc = 0;
		break;
	}
	case XEN_DMOP_set_isa_irq_level: {
		const struct xen_dm_op_set_isa_irq_level *l = &op.u.set_isa_irq_level;

		rc = -EINVAL;
		if (l->isa_irq > 15 || l->level > 1)
			break;
		h->isa_irq[l->isa_irq] = l->level;
		if (l->level)
			h->irq_asserts[l->isa_irq]++;
		rc = 0;
		break;
	}
	case XEN_DMOP_set_pci_link_route: {
		const struct xen_dm_op_set_pci_link_route *l = &op.u.set_pci_link_route;

		rc = -EINVAL;
		if (l->link > 3 || l->isa_irq > 15)
			break;
		h->link_route[l->link] = l->isa_irq;
		rc = 0;
		break;
	}
	case XEN_DMOP_modified_memory:
		rc = modified_memory(h, &op.u.modified_memory,
				     nbufs > 1 ? &bufs[1] : NULL, nbufs);
		if (rc && nbufs > 1)
			written = true; /* nr_extents = failing extent + 1 */
		break;
	case XEN_DMOP_set_mem_type:
		rc = set_mem_type(h, &op.u.set_mem_type);
		break;
	case XEN_DMOP_inject_event:
		/* no vCPU exists before the domain is built: EINVAL */
		rc = !d->built ? -EINVAL : inject_event(d, h, &op.u.inject_event);
		break;
	case XEN_DMOP_inject_msi:
		rc = inject_msi(h, &op.u.inject_msi);
		break;
	case XEN_DMOP_remote_shutdown:
		if (h->shutdown_reason < 0) /* the first reason sticks */
			h->shutdown_reason =
				(int)(op.u.remote_shutdown.reason & 0x7fffffff);
		sim_log(s, "dm_op: domain %u shut down (reason %u)", domid,
			op.u.remote_shutdown.reason);
		rc = 0;
		break;
	case XEN_DMOP_relocate_memory:
		rc = relocate_memory(d, h, &op.u.relocate_memory);
		break;
	case XEN_DMOP_pin_memory_cacheattr:
		rc = pin_cacheattr(h, &op.u.pin_memory_cacheattr);
		break;
	case XEN_DMOP_set_irq_level:
		rc = sim_arch_arm(s) ? set_irq_level(h, &op.u.set_irq_level)
				     : -EOPNOTSUPP;
		break;
	case XEN_DMOP_nr_vcpus:
		op.u.nr_vcpus.vcpus = d->vcpus;
		rc = 0;
		break;
	default:
		rc = -EOPNOTSUPP;
		break;
	}

	if ((rc == 0 && dmops[op.op].out) || written) {
		memcpy(bufs[0].data + hdr, &op.u, dmops[op.op].size);
		bufs[0].written = true;
	}
	return rc;
}

/* ---- control commands -------------------------------------------------- */

/* Fail the command with @err and a message; always returns -@err. */
int sim_dm_ctl_err(struct sim_reply *r, int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_ctl_error(r, err, "%s", msg);
	r->ret = -err;
	return -err;
}

int sim_dm_hvm_arg(struct sim *s, const char *word, struct sim_reply *r,
		   struct sim_domain **dp)
{
	uint64_t v;
	struct sim_domain *d;

	if (sim_ctl_num(word, &v) || v > 0xffff)
		return sim_dm_ctl_err(r, EINVAL, "bad domain id '%s'", word);
	d = sim_domain_find(s, (unsigned int)v);
	if (!d)
		return sim_dm_ctl_err(r, ESRCH, "no domain %" PRIu64, v);
	if (!sim_domain_is_hvm(d) || !d->hvm)
		return sim_dm_ctl_err(r, EINVAL, "domain %" PRIu64 " is not HVM/PVH", v);
	*dp = d;
	return 0;
}

/* @n numbers from argv[0..n-1]; exactly @n arguments (@argc). */
static int num_args(struct sim_reply *r, int argc, char **argv, int n, uint64_t *v,
		    const char *usage)
{
	int i;

	if (argc != n)
		return sim_dm_ctl_err(r, EINVAL, "usage: %s", usage);
	for (i = 0; i < n; i++)
		if (sim_ctl_num(argv[i], &v[i]))
			return sim_dm_ctl_err(r, EINVAL, "usage: %s", usage);
	return 0;
}

static int dm_show(struct sim *s, int argc, char **argv, struct sim_reply *r)
{
	const char *what = argv[1];
	struct sim_domain *d;
	struct sim_hvm *h;
	uint64_t v[4];
	unsigned int i;

	if (argc < 3)
		return sim_dm_ctl_err(r, EINVAL, "usage: show %s DOM ...", what);
	if (sim_dm_hvm_arg(s, argv[2], r, &d))
		return 0;
	h = sim_hvm_of(d);
	argc -= 3;
	argv += 3;

	if (!strcmp(what, "isa-irq")) {
		if (num_args(r, argc, argv, 1, v, "show isa-irq DOM IRQ"))
			return 0;
		if (v[0] > 15)
			return sim_dm_ctl_err(r, EINVAL,
					      "ISA IRQ %" PRIu64 " out of range", v[0]);
		return sim_ctl_printf(r, "%u", h->isa_irq[v[0]]);
	}
	if (!strcmp(what, "pci-intx")) {
		if (num_args(r, argc, argv, 4, v, "show pci-intx DOM SEG BUS DEV INTX"))
			return 0;
		if (v[0] > 0xffff || v[1] > 0xff || v[2] > 0x1f || v[3] > 3)
			return sim_dm_ctl_err(r, EINVAL, "PCI INTx out of range");
		return sim_ctl_printf(r, "%u", (v[0] || v[1]) ? 0u : h->intx[v[2]][v[3]]);
	}
	if (!strcmp(what, "irq") || !strcmp(what, "irq-asserts")) {
		bool asserts = what[3] != '\0';

		if (num_args(r, argc, argv, 1, v, "show irq DOM IRQ"))
			return 0;
		if (v[0] >= SIM_NR_IRQS)
			return sim_dm_ctl_err(r, EINVAL, "IRQ %" PRIu64 " out of range",
					      v[0]);
		return sim_ctl_printf(r, "%u",
				      asserts ? h->irq_asserts[v[0]]
					      : (unsigned int)h->irq_level[v[0]]);
	}
	if (!strcmp(what, "link-route")) {
		if (num_args(r, argc, argv, 1, v, "show link-route DOM LINK"))
			return 0;
		if (v[0] > 3)
			return sim_dm_ctl_err(r, EINVAL, "link %" PRIu64 " out of range",
					      v[0]);
		return sim_ctl_printf(r, "%u", h->link_route[v[0]]);
	}
	if (!strcmp(what, "msis")) {
		sim_ctl_printf(r, "%u", h->nmsis);
		for (i = 0; i < h->nmsis; i++)
			sim_ctl_printf(r, "\n0x%" PRIx64 " 0x%" PRIx32, h->msis[i].addr,
				       h->msis[i].data);
		return 0;
	}
	if (!strcmp(what, "events")) {
		sim_ctl_printf(r, "%u", h->nevents);
		for (i = 0; i < h->nevents; i++) {
			const struct sim_event *e = &h->events[i];

			sim_ctl_printf(r, "\n%u %u %u %u 0x%" PRIx32 " 0x%" PRIx64,
				       e->vcpu, e->vector, e->type, e->insn_len,
				       e->error_code, e->extra);
		}
		return 0;
	}
	if (!strcmp(what, "mem-type") || !strcmp(what, "modified")) {
		if (num_args(r, argc, argv, 1, v, "show mem-type DOM GFN"))
			return 0;
		if (v[0] >= h->nr_gfns)
			return sim_dm_ctl_err(r, EINVAL, "gfn 0x%" PRIx64 " outside RAM",
					      v[0]);
		if (what[1] == 'e')
			return sim_ctl_printf(r, "%u", h->mem_type[v[0]]);
		i = sim_bit_test(h->modified, v[0]);
		sim_bit_clear(h->modified, v[0]);
		return sim_ctl_printf(r, "%u", i);
	}
	if (!strcmp(what, "shutdown")) {
		if (h->shutdown_reason < 0)
			return sim_dm_ctl_err(r, ENOENT, "domain %u was not shut down",
					      d->domid);
		return sim_ctl_printf(r, "%d", h->shutdown_reason);
	}
	if (!strcmp(what, "cacheattr")) {
		const struct sim_cacheattr *c;

		if (num_args(r, argc, argv, 1, v, "show cacheattr DOM GFN"))
			return 0;
		for (c = h->cacheattr; c; c = c->next)
			if (c->start <= v[0] && v[0] <= c->end)
				return sim_ctl_printf(r, "%u", c->type);
		return sim_dm_ctl_err(
			r, ENOENT, "no cache attribute pinned for gfn 0x%" PRIx64, v[0]);
	}
	return sim_ioreq_show(s, d, argc + 3, argv - 3, r);
}

int sim_dm_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		   struct sim_reply *r)
{
	static const char *const shows[] = {
		"isa-irq",   "pci-intx",     "irq",	    "irq-asserts", "link-route",
		"msis",	     "mem-type",     "shutdown",    "modified",	   "events",
		"cacheattr", "ioreq-server", "ioreq-range",
	};
	unsigned int i;

	if (argc < 1)
		return SIM_CTL_NOT_MINE;
	if (!strcmp(argv[0], "show")) {
		if (argc < 2)
			return SIM_CTL_NOT_MINE;
		for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++)
			if (!strcmp(argv[1], shows[i]))
				break;
		if (i == sizeof(shows) / sizeof(shows[0]))
			return SIM_CTL_NOT_MINE;
		r->ret = 0;
		dm_show(s, argc, argv, r);
		return 0;
	}
	if (!strcmp(argv[0], "guest-dirty")) {
		struct sim_domain *d;
		struct sim_hvm *h;
		uint64_t gfn;

		r->ret = 0;
		if (argc != 3)
			return sim_dm_ctl_err(r, EINVAL, "usage: guest-dirty DOM GFN"), 0;
		if (sim_dm_hvm_arg(s, argv[1], r, &d))
			return 0;
		h = d->hvm;
		if (sim_ctl_num(argv[2], &gfn) || gfn >= h->nr_gfns)
			return sim_dm_ctl_err(r, EINVAL, "bad gfn '%s'", argv[2]), 0;
		sim_hvm_mark_dirty(h, gfn);
		return 0;
	}
	if (!strcmp(argv[0], "io") || !strcmp(argv[0], "io-submit") ||
	    !strcmp(argv[0], "io-wait") || !strcmp(argv[0], "io-rep") ||
	    !strcmp(argv[0], "io-rep-submit") || !strcmp(argv[0], "io-broadcast") ||
	    !strcmp(argv[0], "io-broadcast-submit")) {
		r->ret = 0;
		sim_ioreq_control(s, c, argc, argv, r);
		return 0;
	}
	return SIM_CTL_NOT_MINE;
}
