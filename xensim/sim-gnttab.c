/* SPDX-License-Identifier: LGPL-2.1-only */
/* Owned by the grant-table helper; the evtchn helper does not write this file. */
/*
 * sim-gnttab.c - grant tables of the simulated Xen (one v1 table per
 * domain, in its own shared frames) and the simulated /dev/xen/gntdev and
 * /dev/xen/gntalloc drivers (per connection).
 *
 * Xen side: a domain's table is grant_frames pages of grant_entry_v1_t in a
 * memfd, so MMAP_RESOURCE of the grant table shows the real entries. Next
 * to each entry the daemon keeps the map counts (reading, writing) and,
 * for dom0 entries made by gntalloc, the page that backs the grant.
 *
 * gntdev: MAP_GRANT_REF reserves an index range (first fit); mmap does the
 * grant maps (GTF_reading/GTF_writing, counts) and returns the frames; the
 * shim's XSP_GNTDEV_MUNMAP drops them and clears the notification byte; the
 * event of SET_UNMAP_NOTIFY fires when the map is gone from both the file
 * (UNMAP_GRANT_REF) and the address space, as the driver's last put does.
 *
 * gntalloc: ALLOC_GREF allocates zeroed pages (one memfd each, reference
 * counted so a gntdev mapping of a dealloc'ed grant keeps its page) and
 * grants them from dom0; a grant is deleted once dealloc'ed and no longer
 * mapped by this file: then its notification fires and foreign access ends
 * (later, when a gntdev map of it goes away, if one still holds it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistd.h>

#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/xen.h>

#include "sim.h"

#define GNT_ENTRIES_PER_FRAME (SIM_PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GNTDEV_LIMIT 65536u      /* gntdev.limit: grants per mapping request */
#define GNTALLOC_LIMIT 1024u     /* gntalloc.limit: grants system wide */
#define GNT_DEFAULT_FRAMES 32u   /* a domain configured without grant-frames */
#define NOTIFY_ACTIONS (UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT)

#ifndef UNMAP_NOTIFY_CLEAR_BYTE
#define UNMAP_NOTIFY_CLEAR_BYTE 0x1
#define UNMAP_NOTIFY_SEND_EVENT 0x2
#endif
#define GNTALLOC_FLAG_WRITABLE_ 1u

/* Weak fallbacks until the evtchn part provides dom0 kernel references. */
__attribute__((weak)) int sim_evtchn_kernel_get(struct sim *s, unsigned int port)
{
	(void)s;
	(void)port;
	return -ENOENT;
}

__attribute__((weak)) void sim_evtchn_kernel_put(struct sim *s, unsigned int port)
{
	(void)s;
	(void)port;
}

__attribute__((weak)) void sim_evtchn_kernel_notify(struct sim *s, unsigned int port)
{
	(void)s;
	(void)port;
}

/* ---- pages behind dom0 grants ------------------------------------------ */

/*
 * The page behind a grant of dom0 that is not dom0 RAM: a zeroed page of
 * its own (gntalloc), or a borrowed one (a DMA-BUF import: the frame some
 * other domain granted and dom0 maps through the export; the borrowed page
 * holds a writable map of that grant while it lives, as the kernel's page
 * reference keeps the foreign mapping).
 */
struct gpage {
	struct sim_mem mem; /* one page (borrowed: fd and ptr only) */
	uint64_t offset;    /* of the page in mem.fd */
	unsigned int refs;
	bool borrowed;
	uint32_t fdom, fref; /* borrowed: the grant it maps */
};

static void grant_map_put(struct sim *s, unsigned int domid, uint32_t ref, bool write);

static struct gpage *gpage_new(void)
{
	struct gpage *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (sim_mem_alloc(&p->mem, 1, "xensim-gntalloc") < 0) {
		free(p);
		return NULL;
	}
	p->refs = 1;
	return p;
}

static void gpage_put(struct sim *s, struct gpage *p)
{
	if (!p || --p->refs)
		return;
	if (p->borrowed)
		grant_map_put(s, p->fdom, p->fref, true);
	else
		sim_mem_free(&p->mem);
	free(p);
}

/* ---- the Xen side: one table per domain ------------------------------ */

struct gent_aux {
	uint32_t rd, wr;     /* grant maps (all / writable) */
	struct gpage *page;  /* dom0 gntalloc grants: the backing page */
	bool ending;         /* end foreign access once unmapped */
};

/* A grant this domain maps (control command grant-map: the simulated
 * guest's GNTTABOP_map_grant_ref); the handle is the index. */
struct gguest_map {
	uint32_t granter, ref;
	bool write, used;
};

struct gtab {
	struct sim_mem mem;  /* the shared frames */
	unsigned int frames;
	uint32_t nr;         /* entries */
	struct gent_aux *aux;
	struct gguest_map *gmaps; /* grants of others this domain maps */
	uint32_t ngmaps;
};

static unsigned int gntalloc_in_use; /* grants of every gntalloc file */

static struct gtab *gtab_of(struct sim_domain *d)
{
	return d ? d->gnttab : NULL;
}

static grant_entry_v1_t *gent(struct gtab *t, uint32_t ref)
{
	return (grant_entry_v1_t *)(void *)t->mem.ptr + ref; /* page aligned */
}

int sim_gnttab_domain_init(struct sim *s, struct sim_domain *d)
{
	struct gtab *t = calloc(1, sizeof(*t));
	char name[48];
	int rc;

	(void)s;
	if (!t)
		return -ENOMEM;
	t->frames = d->grant_frames ? d->grant_frames : GNT_DEFAULT_FRAMES;
	t->nr = t->frames * GNT_ENTRIES_PER_FRAME;
	snprintf(name, sizeof(name), "xensim-gnttab-d%u", d->domid);
	rc = sim_mem_alloc(&t->mem, t->frames, name);
	if (rc < 0) {
		free(t);
		return rc;
	}
	t->aux = calloc(t->nr, sizeof(*t->aux));
	if (!t->aux) {
		sim_mem_free(&t->mem);
		free(t);
		return -ENOMEM;
	}
	d->gnttab = t;
	return 0;
}

static void dmabuf_domain_gone(struct sim *s, struct sim_domain *d);

void sim_gnttab_domain_destroy(struct sim *s, struct sim_domain *d)
{
	struct gtab *t = gtab_of(d);

	if (!t)
		return;
	dmabuf_domain_gone(s, d);
	for (uint32_t i = 0; i < t->ngmaps; i++)
		if (t->gmaps[i].used)
			grant_map_put(s, t->gmaps[i].granter, t->gmaps[i].ref,
				      t->gmaps[i].write);
	free(t->gmaps);
	for (uint32_t i = 0; i < t->nr; i++)
		gpage_put(s, t->aux[i].page);
	free(t->aux);
	sim_mem_free(&t->mem);
	free(t);
	d->gnttab = NULL;
}

long sim_gnttab_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			 uint64_t idx, uint64_t num, struct sim_frame *frames)
{
	struct gtab *t = gtab_of(d);
	int rc = sim_inject(s, "resource:grant_table");

	if (rc)
		return rc;
	if (!t)
		return -EINVAL;
	if (id != XENMEM_resource_grant_table_id_shared)
		return -EINVAL; /* v1: no status frames */
	if (num == 0)
		return t->frames;
	if (idx >= t->frames || num > t->frames - idx)
		return -EINVAL;
	for (uint64_t i = 0; i < num; i++) {
		frames[i].fd = t->mem.fd;
		frames[i].offset = (idx + i) << SIM_PAGE_SHIFT;
		frames[i].ro = false;
	}
	return (long)num;
}

/* A new grant of @d to @grantee. Returns the ref or -errno. */
static long grant_new(struct sim_domain *d, unsigned int grantee, uint32_t frame, bool ro,
		      struct gpage *page)
{
	struct gtab *t = gtab_of(d);

	if (!t)
		return -ESRCH;
	for (uint32_t ref = GNTTAB_NR_RESERVED_ENTRIES; ref < t->nr; ref++) {
		grant_entry_v1_t *e = gent(t, ref);
		struct gent_aux *a = &t->aux[ref];

		if (e->flags || a->rd || a->page)
			continue;
		e->domid = (domid_t)grantee;
		e->frame = frame;
		e->flags = GTF_permit_access | (ro ? GTF_readonly : 0);
		if (page) {
			page->refs++;
			a->page = page;
		}
		a->ending = false;
		return ref;
	}
	return -ENOSPC;
}

/* End foreign access (now, or once the last map goes). */
static void grant_end(struct sim *s, struct gtab *t, uint32_t ref)
{
	struct gent_aux *a = &t->aux[ref];
	struct gpage *page = a->page;

	if (a->rd) {
		a->ending = true;
		return;
	}
	memset(gent(t, ref), 0, sizeof(grant_entry_v1_t));
	a->page = NULL;
	a->ending = false;
	gpage_put(s, page);
}

static void grant_flags_update(struct gtab *t, uint32_t ref)
{
	grant_entry_v1_t *e = gent(t, ref);
	struct gent_aux *a = &t->aux[ref];

	e->flags &= (uint16_t) ~(GTF_reading | GTF_writing);
	if (a->rd)
		e->flags |= GTF_reading;
	if (a->wr)
		e->flags |= GTF_writing;
}

/*
 * Check that domain @mapper may access (@domid, @ref) (@write: writably),
 * and find its page. Returns GNTST_*.
 */
static int grant_lookup_by(struct sim *s, unsigned int mapper, unsigned int domid,
			   uint32_t ref, bool write, struct sim_frame *f,
			   unsigned char **ptr)
{
	struct sim_domain *d = sim_domain_find(s, domid);
	struct gtab *t = gtab_of(d);
	grant_entry_v1_t *e;
	struct gent_aux *a;

	if (!t)
		return GNTST_bad_domain;
	if (ref >= t->nr)
		return GNTST_bad_gntref;
	e = gent(t, ref);
	a = &t->aux[ref];
	if ((e->flags & GTF_type_mask) != GTF_permit_access || e->domid != mapper ||
	    a->ending)
		return GNTST_bad_gntref;
	if (write && (e->flags & GTF_readonly))
		return GNTST_permission_denied;
	if (a->page) {
		f->fd = a->page->mem.fd;
		f->offset = a->page->offset;
		*ptr = a->page->mem.ptr;
	} else {
		if (sim_domain_frame(d, e->frame, f) < 0)
			return GNTST_bad_page;
		*ptr = sim_guest_ptr(d, (uint64_t)e->frame << SIM_PAGE_SHIFT, SIM_PAGE_SIZE);
		if (!*ptr)
			return GNTST_bad_page;
	}
	f->ro = !write;
	return GNTST_okay;
}

/* dom0 (the gntdev driver) maps it */
static int grant_lookup(struct sim *s, unsigned int domid, uint32_t ref, bool write,
			struct sim_frame *f, unsigned char **ptr)
{
	return grant_lookup_by(s, 0, domid, ref, write, f, ptr);
}

static void grant_map_get(struct sim *s, unsigned int domid, uint32_t ref, bool write)
{
	struct gtab *t = gtab_of(sim_domain_find(s, domid));

	if (!t || ref >= t->nr)
		return;
	t->aux[ref].rd++;
	if (write)
		t->aux[ref].wr++;
	grant_flags_update(t, ref);
}

static void grant_map_put(struct sim *s, unsigned int domid, uint32_t ref, bool write)
{
	struct gtab *t = gtab_of(sim_domain_find(s, domid));
	struct gent_aux *a;

	if (!t || ref >= t->nr)
		return;
	a = &t->aux[ref];
	if (a->rd)
		a->rd--;
	if (write && a->wr)
		a->wr--;
	grant_flags_update(t, ref);
	if (!a->rd && a->ending)
		grant_end(s, t, ref);
}

/* ---- unmap notifications --------------------------------------------- */

struct notify {
	uint32_t action; /* UNMAP_NOTIFY_* */
	uint32_t port;
	uint64_t offset; /* byte within the map */
};

static void notify_event(struct sim *s, struct notify *n)
{
	if (n->action & UNMAP_NOTIFY_SEND_EVENT) {
		sim_evtchn_kernel_notify(s, n->port);
		sim_evtchn_kernel_put(s, n->port);
	}
	n->action = 0;
}

/* SET_UNMAP_NOTIFY: the reference on the port comes first, as in the
 * drivers (a bad port is EINVAL whatever the index). */
static int notify_get(struct sim *s, const struct xsp_unmap_notify *u)
{
	int rc;

	if (u->action & ~NOTIFY_ACTIONS)
		return -EINVAL;
	if (!(u->action & UNMAP_NOTIFY_SEND_EVENT))
		return 0;
	rc = sim_evtchn_kernel_get(s, u->port);
	return rc < 0 ? -EINVAL : 0;
}

static void notify_drop(struct sim *s, const struct xsp_unmap_notify *u)
{
	if (u->action & UNMAP_NOTIFY_SEND_EVENT)
		sim_evtchn_kernel_put(s, u->port);
}

/* A second call replaces the previous notification. */
static void notify_set(struct sim *s, struct notify *n, const struct xsp_unmap_notify *u,
		       uint64_t base)
{
	if (n->action & UNMAP_NOTIFY_SEND_EVENT)
		sim_evtchn_kernel_put(s, n->port);
	n->action = u->action;
	n->port = u->port;
	n->offset = u->index - base;
}

/* ---- gntdev ----------------------------------------------------------- */

struct gnt_ref {
	uint32_t domid, ref;
};

struct gmap {
	uint64_t index; /* bytes */
	uint32_t count;
	struct gnt_ref *refs;
	bool listed;   /* not yet UNMAP_GRANT_REF'd */
	bool mmapped;  /* currently mapped */
	bool was_mapped; /* a map can only be mmapped once */
	bool writable;
	unsigned char **ptrs; /* while mmapped: the pages */
	struct notify notify;
	struct gmap *next;
};

struct dmaimp;
struct dmaexp;

struct gntdev {
	struct gmap *maps;	/* by index */
	struct dmaimp *imps;	/* DMA-BUF imports of this file */
	struct dmaexp *waiting; /* deferred EXP_WAIT_RELEASED on this export */
	long wait_timer;
};

static struct gntdev *gntdev_of(struct sim_conn *c)
{
	if (!c->gnt)
		c->gnt = calloc(1, sizeof(struct gntdev));
	return c->gnt;
}

static void gmap_unmap_pages(struct sim *s, struct gmap *g)
{
	if (!g->mmapped)
		return;
	if ((g->notify.action & UNMAP_NOTIFY_CLEAR_BYTE) && g->ptrs) {
		uint64_t pg = g->notify.offset >> SIM_PAGE_SHIFT;

		if (pg < g->count && g->ptrs[pg])
			g->ptrs[pg][g->notify.offset & (SIM_PAGE_SIZE - 1)] = 0;
	}
	g->notify.action &= ~UNMAP_NOTIFY_CLEAR_BYTE;
	for (uint32_t i = 0; i < g->count; i++)
		grant_map_put(s, g->refs[i].domid, g->refs[i].ref, g->writable);
	free(g->ptrs);
	g->ptrs = NULL;
	g->mmapped = false;
}

/* Drop @g if neither listed nor mapped (the driver's last put). */
static void gmap_maybe_free(struct sim *s, struct gntdev *gd, struct gmap *g)
{
	struct gmap **pp;

	if (g->listed || g->mmapped)
		return;
	notify_event(s, &g->notify);
	for (pp = &gd->maps; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
	free(g->refs);
	free(g);
}

static struct gmap *gmap_find(struct gntdev *gd, uint64_t index, uint32_t count,
			      bool listed_only)
{
	for (struct gmap *g = gd->maps; g; g = g->next)
		if (g->index == index && (count == 0 || g->count == count) &&
		    (!listed_only || g->listed))
			return g;
	return NULL;
}

static int gntdev_map_grant_ref(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
				struct sim_reply *r)
{
	struct xsp_gnt_map req;
	struct gntdev *gd = gntdev_of(c);
	const void *refs;
	struct gmap *g, **pp;
	uint64_t index = 0;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTDEV_MAP_GRANT_REF")))
		return rc;
	if (!gd)
		return -ENOMEM;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	refs = sim_req_array(m, sizeof(req), req.count, sizeof(struct gnt_ref));
	if (req.count == 0 || req.count > GNTDEV_LIMIT || !refs)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->refs = malloc(req.count * sizeof(*g->refs));
	if (!g->refs) {
		free(g);
		return -ENOMEM;
	}
	memcpy(g->refs, refs, req.count * sizeof(*g->refs));
	g->count = req.count;
	g->listed = true;
	/* first fit, in page units */
	for (pp = &gd->maps; *pp; pp = &(*pp)->next) {
		if ((*pp)->index >= index + ((uint64_t)req.count << SIM_PAGE_SHIFT))
			break;
		index = (*pp)->index + ((uint64_t)(*pp)->count << SIM_PAGE_SHIFT);
	}
	g->index = index;
	g->next = *pp;
	*pp = g;
	return sim_reply_put(r, &index, sizeof(index));
}

static int gntdev_unmap_grant_ref(struct sim *s, struct sim_conn *c,
				  const struct xsw_msg *m)
{
	struct xsp_index_count ic;
	struct gntdev *gd = c->gnt;
	struct gmap *g;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTDEV_UNMAP_GRANT_REF")))
		return rc;
	if ((rc = sim_req_fixed(m, &ic, sizeof(ic))))
		return rc;
	g = gd ? gmap_find(gd, ic.index, ic.count, true) : NULL;
	if (!g)
		return -ENOENT;
	g->listed = false;
	gmap_maybe_free(s, gd, g);
	return 0;
}

static int gntdev_set_unmap_notify(struct sim *s, struct sim_conn *c,
				   const struct xsw_msg *m)
{
	struct xsp_unmap_notify u;
	struct gntdev *gd = c->gnt;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTDEV_SET_UNMAP_NOTIFY")))
		return rc;
	if ((rc = sim_req_fixed(m, &u, sizeof(u))))
		return rc;
	if ((rc = notify_get(s, &u)))
		return rc;
	for (struct gmap *g = gd ? gd->maps : NULL; g; g = g->next) {
		if (!g->listed || u.index < g->index ||
		    u.index >= g->index + ((uint64_t)g->count << SIM_PAGE_SHIFT))
			continue;
		if ((u.action & UNMAP_NOTIFY_CLEAR_BYTE) && g->was_mapped && !g->writable) {
			notify_drop(s, &u);
			return -EINVAL;
		}
		notify_set(s, &g->notify, &u, g->index);
		return 0;
	}
	notify_drop(s, &u);
	return -ENOENT;
}

static int gntdev_mmap(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r)
{
	struct xsp_gnt_mmap req;
	struct gntdev *gd = c->gnt;
	struct sim_frame *frames;
	unsigned char **ptrs;
	struct gmap *g;
	bool write;
	int rc = 0;

	if ((rc = sim_inject(s, "mmap:gntdev")))
		return rc;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	write = (req.prot & PROT_WRITE) != 0;
	g = gd ? gmap_find(gd, req.index, req.count, true) : NULL;
	if (!g || g->was_mapped)
		return -EINVAL;
	if (write && !req.shared)
		return -EINVAL;
	frames = calloc(g->count, sizeof(*frames));
	ptrs = calloc(g->count, sizeof(*ptrs));
	if (!frames || !ptrs) {
		free(frames);
		free(ptrs);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < g->count; i++) {
		if (grant_lookup(s, g->refs[i].domid, g->refs[i].ref, write, &frames[i],
				 &ptrs[i]) != GNTST_okay) {
			rc = -EINVAL;
			break;
		}
	}
	if (!rc)
		rc = sim_reply_frames(r, frames, g->count);
	free(frames);
	if (rc) {
		free(ptrs);
		return rc;
	}
	for (uint32_t i = 0; i < g->count; i++)
		grant_map_get(s, g->refs[i].domid, g->refs[i].ref, write);
	g->ptrs = ptrs;
	g->writable = write;
	g->mmapped = true;
	g->was_mapped = true;
	return 0;
}

static int gntdev_munmap(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_index_count ic;
	struct gntdev *gd = c->gnt;
	struct gmap *g = NULL;

	if (sim_req_fixed(m, &ic, sizeof(ic)))
		return 0; /* a short notice is ignored */
	for (struct gmap *i = gd ? gd->maps : NULL; i; i = i->next)
		if (i->mmapped && i->index == ic.index && i->count == ic.count)
			g = i;
	if (!g)
		return 0;
	gmap_unmap_pages(s, g);
	gmap_maybe_free(s, gd, g);
	return 0;
}

/* GRANT_COPY: one side of a segment. */
static int copy_side(struct sim *s, uint32_t domid, uint32_t ref, uint16_t off,
		     uint16_t len, bool write, unsigned char **p)
{
	struct sim_frame f;
	int st = grant_lookup(s, domid, ref, write, &f, p);

	if (st != GNTST_okay)
		return st;
	if ((uint32_t)off + len > SIM_PAGE_SIZE)
		return GNTST_bad_copy_arg;
	*p += off;
	return GNTST_okay;
}

static int gntdev_grant_copy(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			     struct sim_reply *r)
{
	struct xsp_grant_copy req;
	const struct xsp_copy_seg *segs;
	const unsigned char *src;
	size_t need, srclen = 0, dstlen = 0, soff = 0, doff;
	unsigned char *out;
	int rc;

	(void)c;
	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTDEV_GRANT_COPY")))
		return rc;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	if (req.count == 0)
		return 0;
	segs = sim_req_array(m, sizeof(req), req.count, sizeof(*segs)); /* 8-aligned */
	if (!segs)
		return -EINVAL;
	for (uint32_t i = 0; i < req.count; i++) {
		const struct xsp_copy_seg *g = &segs[i];

		if (!(g->flags & (GNTCOPY_source_gref | GNTCOPY_dest_gref)))
			return -EINVAL;
		/* the driver refuses a grant side crossing a Xen page */
		if ((g->flags & GNTCOPY_source_gref) &&
		    (uint32_t)g->src_offset + g->len > SIM_PAGE_SIZE)
			return -EINVAL;
		if ((g->flags & GNTCOPY_dest_gref) &&
		    (uint32_t)g->dst_offset + g->len > SIM_PAGE_SIZE)
			return -EINVAL;
		if (!(g->flags & GNTCOPY_source_gref))
			srclen += g->len;
		if (!(g->flags & GNTCOPY_dest_gref))
			dstlen += g->len;
	}
	src = sim_req_array(m, sizeof(req) + (size_t)req.count * sizeof(*segs), srclen, 1);
	if (!src)
		return -EINVAL;
	need = ((req.count * sizeof(int16_t)) + 3) & ~(size_t)3;
	out = sim_buf_put(&r->data, NULL, need + dstlen);
	if (!out)
		return -ENOMEM;
	doff = need;
	for (uint32_t i = 0; i < req.count; i++) {
		const struct xsp_copy_seg *g = &segs[i];
		const unsigned char *from = NULL;
		unsigned char *to = NULL, *p;
		int16_t st = GNTST_okay;
		int x;

		if (g->flags & GNTCOPY_source_gref) {
			x = copy_side(s, g->src_domid, g->src_ref, g->src_offset, g->len,
				      false, &p);
			if (x != GNTST_okay)
				st = (int16_t)x;
			from = p;
		} else {
			from = src + soff;
			soff += g->len;
		}
		if (g->flags & GNTCOPY_dest_gref) {
			x = copy_side(s, g->dst_domid, g->dst_ref, g->dst_offset, g->len, true,
				      &p);
			if (x != GNTST_okay && st == GNTST_okay)
				st = (int16_t)x;
			to = p;
		} else {
			to = out + doff;
			doff += g->len;
		}
		if (st == GNTST_okay && g->len)
			memmove(to, from, g->len);
		memcpy(out + i * sizeof(int16_t), &st, sizeof(st));
	}
	return 0;
}

static void dmabuf_conn_gone(struct sim *s, struct sim_conn *c, struct gntdev *gd);

static void gntdev_release(struct sim *s, struct sim_conn *c)
{
	struct gntdev *gd = c->gnt;

	if (!gd)
		return;
	dmabuf_conn_gone(s, c, gd);
	while (gd->maps) {
		struct gmap *g = gd->maps;

		gmap_unmap_pages(s, g);
		g->listed = false;
		gmap_maybe_free(s, gd, g);
	}
	free(gd);
	c->gnt = NULL;
}

/* ---- gntalloc --------------------------------------------------------- */

struct gref {
	uint64_t index; /* bytes */
	uint32_t ref;
	struct gpage *page;
	bool listed;
	unsigned int maps; /* mmaps covering it */
	struct notify notify;
	struct gref *next;
};

struct gntalloc {
	struct gref *grefs; /* by index */
	uint64_t next_index;
};

static struct gntalloc *gntalloc_of(struct sim_conn *c)
{
	if (!c->gnt)
		c->gnt = calloc(1, sizeof(struct gntalloc));
	return c->gnt;
}

static void gref_maybe_free(struct sim *s, struct gntalloc *ga, struct gref *g)
{
	struct gtab *t = gtab_of(sim_domain_find(s, 0));
	struct gref **pp;

	if (g->listed || g->maps)
		return;
	if (g->notify.action & UNMAP_NOTIFY_CLEAR_BYTE)
		g->page->mem.ptr[g->notify.offset & (SIM_PAGE_SIZE - 1)] = 0;
	notify_event(s, &g->notify);
	if (t && g->ref < t->nr && t->aux[g->ref].page == g->page)
		grant_end(s, t, g->ref);
	gpage_put(s, g->page);
	for (pp = &ga->grefs; *pp; pp = &(*pp)->next) {
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	}
	gntalloc_in_use--;
	free(g);
}

static int gntalloc_alloc(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			  struct sim_reply *r)
{
	struct xsp_gntalloc_alloc req;
	struct gntalloc *ga = gntalloc_of(c);
	struct sim_domain *d0 = sim_domain_find(s, 0);
	struct gref *first = NULL, **tail;
	uint64_t index;
	uint32_t *ids;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTALLOC_ALLOC_GREF")))
		return rc;
	if (!ga)
		return -ENOMEM;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	if (!d0)
		return -ENODEV;
	if (req.count > GNTALLOC_LIMIT - gntalloc_in_use)
		return -ENOSPC;
	index = ga->next_index;
	ids = sim_buf_put(&r->data, &index, sizeof(index));
	if (ids && req.count == 0)
		return 0; /* the driver allocates nothing and answers the index */
	ids = ids ? sim_buf_put(&r->data, NULL, req.count * sizeof(uint32_t)) : NULL;
	if (!ids)
		return -ENOMEM;
	for (tail = &ga->grefs; *tail; tail = &(*tail)->next)
		;
	for (uint32_t i = 0; i < req.count; i++) {
		struct gref *g = calloc(1, sizeof(*g));
		long ref;

		if (g)
			g->page = gpage_new();
		if (!g || !g->page) {
			free(g);
			rc = -ENOMEM;
			break;
		}
		ref = grant_new(d0, req.domid & 0xffff, 0, !(req.flags & GNTALLOC_FLAG_WRITABLE_),
				g->page);
		if (ref < 0) {
			gpage_put(s, g->page);
			free(g);
			rc = (int)ref == -ENOSPC ? -ENOMEM : (int)ref;
			break;
		}
		g->ref = (uint32_t)ref;
		g->index = index + ((uint64_t)i << SIM_PAGE_SHIFT);
		g->listed = true;
		ids[i] = g->ref;
		*tail = g;
		tail = &g->next;
		if (!first)
			first = g;
		gntalloc_in_use++;
	}
	if (rc) {
		/* undo this call's grants */
		while (first) {
			struct gref *n = first->next;

			first->listed = false;
			gref_maybe_free(s, ga, first);
			first = n;
		}
		r->data.len = 0;
		return rc;
	}
	ga->next_index = index + ((uint64_t)req.count << SIM_PAGE_SHIFT);
	return 0;
}

static struct gref *gref_find(struct gntalloc *ga, uint64_t index)
{
	for (struct gref *g = ga ? ga->grefs : NULL; g; g = g->next)
		if (g->index == index)
			return g;
	return NULL;
}

/* The @count grefs from @index, contiguous in index order, all @listed
 * (if asked). Returns the first or NULL. */
static struct gref *gref_range(struct gntalloc *ga, uint64_t index, uint32_t count,
			       bool listed)
{
	struct gref *g = gref_find(ga, index), *i = g;

	for (uint32_t n = 0; n < count; n++, i = i->next) {
		if (!i || i->index != index + ((uint64_t)n << SIM_PAGE_SHIFT) ||
		    (listed && !i->listed))
			return NULL;
	}
	return g;
}

static int gntalloc_dealloc(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_index_count ic;
	struct gntalloc *ga = c->gnt;
	struct gref *g;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTALLOC_DEALLOC_GREF")))
		return rc;
	if ((rc = sim_req_fixed(m, &ic, sizeof(ic))))
		return rc;
	g = ic.count ? gref_range(ga, ic.index, ic.count, true) : NULL;
	if (!g)
		return -EINVAL;
	for (uint32_t n = 0; n < ic.count; n++) {
		struct gref *next = g->next;

		g->listed = false;
		gref_maybe_free(s, ga, g);
		g = next;
	}
	return 0;
}

static int gntalloc_set_unmap_notify(struct sim *s, struct sim_conn *c,
				     const struct xsw_msg *m)
{
	struct xsp_unmap_notify u;
	struct gref *g;
	int rc;

	if ((rc = sim_inject(s, "ioctl:IOCTL_GNTALLOC_SET_UNMAP_NOTIFY")))
		return rc;
	if ((rc = sim_req_fixed(m, &u, sizeof(u))))
		return rc;
	if ((rc = notify_get(s, &u)))
		return rc;
	g = gref_find(c->gnt, u.index & ~(uint64_t)(SIM_PAGE_SIZE - 1));
	if (!g || !g->listed) {
		notify_drop(s, &u);
		return -ENOENT;
	}
	notify_set(s, &g->notify, &u, g->index);
	return 0;
}

static int gntalloc_mmap(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			 struct sim_reply *r)
{
	struct xsp_gnt_mmap req;
	struct gntalloc *ga = c->gnt;
	struct sim_frame *frames;
	struct gref *g, *i;
	int rc;

	if ((rc = sim_inject(s, "mmap:gntalloc")))
		return rc;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	if (!req.shared)
		return -EINVAL;
	g = req.count ? gref_range(ga, req.index, req.count, true) : NULL;
	if (!g)
		return -ENOENT;
	frames = calloc(req.count, sizeof(*frames));
	if (!frames)
		return -ENOMEM;
	i = g;
	for (uint32_t n = 0; n < req.count; n++, i = i->next) {
		frames[n].fd = i->page->mem.fd;
		frames[n].offset = 0;
		frames[n].ro = false;
	}
	rc = sim_reply_frames(r, frames, req.count);
	free(frames);
	if (rc)
		return rc;
	i = g;
	for (uint32_t n = 0; n < req.count; n++, i = i->next)
		i->maps++;
	return 0;
}

static int gntalloc_munmap(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_index_count ic;
	struct gntalloc *ga = c->gnt;
	struct gref *g;

	if (sim_req_fixed(m, &ic, sizeof(ic)))
		return 0; /* a short notice is ignored */
	g = ic.count ? gref_range(ga, ic.index, ic.count, false) : NULL;
	for (uint32_t n = 0; g && n < ic.count; n++) {
		struct gref *next = g->next;

		if (g->maps)
			g->maps--;
		gref_maybe_free(s, ga, g);
		g = next;
	}
	return 0;
}

static void gntalloc_release(struct sim *s, struct sim_conn *c)
{
	struct gntalloc *ga = c->gnt;

	if (!ga)
		return;
	while (ga->grefs) {
		struct gref *g = ga->grefs;

		g->listed = false;
		g->maps = 0;
		gref_maybe_free(s, ga, g);
	}
	free(ga);
	c->gnt = NULL;
}

/* ---- dispatch --------------------------------------------------------- */

/* ---- gntdev DMA-BUF ----------------------------------------------------- */

/*
 * Export: the grants are mapped (writable, as the driver maps them without
 * a VMA) for as long as the buffer lives. The buffer is one end of a
 * socketpair handed to the client; the daemon keeps the other end and
 * sees EOF once every fd of the buffer is closed, in any process (dups,
 * fork, SCM_RIGHTS, exit): that is the release. The buffer outlives the
 * gntdev file (conn = NULL then: nobody can wait on it any more). An
 * import of it holds a dup of the client's end, as the importer's dma-buf
 * reference does, so the export is not released before the import is.
 */
struct dmaexp {
	struct sim_conn *conn; /* the exporting gntdev file, NULL once closed */
	int sock;	       /* our end */
	dev_t dev;	       /* the client's end */
	ino_t ino;
	uint32_t domid, count;
	uint32_t *refs;
	struct sim_frame *frames;
	unsigned char **ptrs;
	struct dmaexp *next;
};

/* Import: dom0 grants of the buffer's pages to @domid. */
struct dmaimp {
	uint32_t fd; /* the fd number given at import (the driver's key) */
	int hold;    /* our reference on the buffer */
	uint32_t domid, count;
	uint32_t *refs;
	struct dmaimp *next;
};

static struct dmaexp *dmaexps; /* every live export of the machine */

static void dmabuf_wait_answer(struct sim *s, struct sim_conn *c, struct gntdev *gd,
			       int64_t ret)
{
	if (gd->wait_timer > 0)
		sim_timer_cancel(s, gd->wait_timer);
	gd->wait_timer = 0;
	gd->waiting = NULL;
	sim_conn_reply(s, c, XSP_GNTDEV_DMABUF_EXP_WAIT_RELEASED, ret, NULL, 0, NULL, 0);
}

/* The buffer is released (or its domain is gone): unmap, answer waiters. */
static void dmaexp_release(struct sim *s, struct dmaexp *e, const char *why)
{
	struct dmaexp **pp;

	for (pp = &dmaexps; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	sim_log(s, "gntdev: dma-buf of %u grant(s) of domain %u released (%s)", e->count,
		e->domid, why);
	sim_unwatch_fd(s, e->sock);
	close(e->sock);
	for (uint32_t i = 0; i < e->count; i++)
		grant_map_put(s, e->domid, e->refs[i], true);
	for (struct sim_conn *c = sim_conns(s); c; c = c->next) {
		struct gntdev *gd = c->dev == XSP_DEV_GNTDEV ? c->gnt : NULL;

		if (gd && gd->waiting == e)
			dmabuf_wait_answer(s, c, gd, 0);
	}
	free(e->refs);
	free(e->frames);
	free(e->ptrs);
	free(e);
}

/* EOF on our end? Then release it; returns true if released. */
static bool dmaexp_check(struct sim *s, struct dmaexp *e)
{
	char buf[256];
	ssize_t n;

	for (;;) {
		n = recv(e->sock, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			continue; /* someone wrote to the buffer's fd: ignored */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		break; /* 0: every fd closed; an error: treat as gone */
	}
	dmaexp_release(s, e, "every fd closed");
	return true;
}

static void dmaexp_watch(struct sim *s, int fd, void *arg)
{
	(void)fd;
	dmaexp_check(s, arg);
}

static struct dmaexp *dmaexp_by_inode(dev_t dev, ino_t ino)
{
	for (struct dmaexp *e = dmaexps; e; e = e->next)
		if (e->dev == dev && e->ino == ino)
			return e;
	return NULL;
}

static int dmabuf_supported(struct sim *s, struct sim_conn *c, const char *what)
{
	int rc;

	if (!sim_has(s, SIM_F_DMABUF)) {
		sim_log(s, "conn %u: %s on a kernel without gntdev DMA-BUF: ENOTTY", c->id,
			what);
		return -ENOTTY;
	}
	{
		char name[80];

		snprintf(name, sizeof(name), "ioctl:%s", what);
		rc = sim_inject(s, name);
	}
	return rc;
}

static int dmabuf_exp(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		      struct sim_reply *r)
{
	static const char what[] = "IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS";
	struct xsp_dmabuf_exp req;
	const void *refs;
	struct dmaexp *e;
	struct stat st;
	int sv[2], rc;

	if ((rc = dmabuf_supported(s, c, what)))
		return rc;
	if (sim_has(s, SIM_F_PV_DOM0)) {
		sim_log(s, "conn %u: %s on a PV dom0 kernel (use_ptemod): EINVAL", c->id,
			what);
		return -EINVAL;
	}
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	refs = sim_req_array(m, sizeof(req), req.count, sizeof(uint32_t));
	if (req.count == 0 || req.count > GNTDEV_LIMIT || !refs)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->refs = malloc(req.count * sizeof(*e->refs));
	e->frames = calloc(req.count, sizeof(*e->frames));
	e->ptrs = calloc(req.count, sizeof(*e->ptrs));
	if (!e->refs || !e->frames || !e->ptrs) {
		rc = -ENOMEM;
		goto fail;
	}
	memcpy(e->refs, refs, req.count * sizeof(*e->refs));
	e->domid = req.domid;
	e->count = req.count;
	for (uint32_t i = 0; i < e->count; i++) {
		int st_ = grant_lookup(s, e->domid, e->refs[i], true, &e->frames[i],
				       &e->ptrs[i]);

		if (st_ != GNTST_okay) {
			sim_log(s,
				"conn %u: %s: grant %u of domain %u cannot be mapped "
				"(GNTST %d): EINVAL",
				c->id, what, e->refs[i], e->domid, st_);
			rc = -EINVAL;
			goto fail;
		}
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = -errno;
		goto fail;
	}
	/* our end never writes: a read() of the buffer's fd gives 0 */
	if (fstat(sv[1], &st) < 0 || shutdown(sv[0], SHUT_WR) < 0)
		rc = -errno;
	else if ((rc = sim_watch_fd(s, sv[0], dmaexp_watch, e)) == 0 &&
		 (rc = sim_reply_fd(r, sv[1], true)) < 0)
		sim_unwatch_fd(s, sv[0]);
	if (rc < 0) {
		close(sv[0]);
		close(sv[1]);
		goto fail;
	}
	e->sock = sv[0];
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	for (uint32_t i = 0; i < e->count; i++)
		grant_map_get(s, e->domid, e->refs[i], true);
	e->conn = c;
	e->next = dmaexps;
	dmaexps = e;
	return 0;
fail:
	free(e->refs);
	free(e->frames);
	free(e->ptrs);
	free(e);
	return rc;
}

static void dmabuf_wait_timeout(struct sim *s, void *arg)
{
	struct sim_conn *c = arg;
	struct gntdev *gd = c->gnt;

	gd->wait_timer = 0; /* this timer is done */
	dmabuf_wait_answer(s, c, gd, -ETIMEDOUT);
}

static int dmabuf_wait(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r)
{
	struct xsp_dmabuf_id id;
	struct gntdev *gd = gntdev_of(c);
	struct dmaexp *e;
	long t;
	int rc;

	if ((rc = dmabuf_supported(s, c, "IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED")))
		return rc;
	if (!gd)
		return -ENOMEM;
	if ((rc = sim_req_fixed(m, &id, sizeof(id))))
		return rc;
	for (e = dmaexps; e; e = e->next)
		if (e->conn == c && id.ino && e->ino == id.ino)
			break;
	if (!e || dmaexp_check(s, e))
		return -ENOENT; /* released (or never exported by this file) */
	if (id.wait_to_ms == 0)
		return -ETIMEDOUT;
	t = sim_timer_add(s, id.wait_to_ms > INT_MAX ? INT_MAX : (int)id.wait_to_ms,
			  dmabuf_wait_timeout, c);
	if (t < 0)
		return (int)t;
	gd->waiting = e;
	gd->wait_timer = t;
	sim_reply_defer(r);
	return 0;
}

static void dmaimp_free(struct sim *s, struct dmaimp *im)
{
	struct gtab *t0 = gtab_of(sim_domain_find(s, 0));

	for (uint32_t i = 0; t0 && i < im->count; i++)
		if (im->refs[i] < t0->nr)
			grant_end(s, t0, im->refs[i]); /* deferred while mapped */
	if (im->hold >= 0)
		close(im->hold);
	free(im->refs);
	free(im);
}

static int dmabuf_imp(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		      struct sim_reply *r)
{
	static const char what[] = "IOCTL_GNTDEV_DMABUF_IMP_TO_REFS";
	struct xsp_dmabuf_imp req;
	struct gntdev *gd = gntdev_of(c);
	struct sim_domain *d0 = sim_domain_find(s, 0);
	struct dmaimp *im;
	struct dmaexp *e;
	struct stat st;
	uint32_t *out;
	int rc;

	if ((rc = dmabuf_supported(s, c, what)))
		return rc;
	if (!gd)
		return -ENOMEM;
	if ((rc = sim_req_fixed(m, &req, sizeof(req))))
		return rc;
	if (req.count == 0 || req.count > GNTDEV_LIMIT)
		return -EINVAL;
	if (m->nfds < 1)
		return -EBADF;
	if (fstat(m->fds[0], &st) < 0)
		return -EBADF;
	e = dmaexp_by_inode(st.st_dev, st.st_ino);
	if (!e) {
		sim_log(s, "conn %u: %s: fd %u is not a dma-buf of this machine: EINVAL",
			c->id, what, req.fd);
		return -EINVAL;
	}
	if (req.count != e->count) {
		sim_log(s, "conn %u: %s: the dma-buf has %u page(s), not %u: EINVAL",
			c->id, what, e->count, req.count);
		return -EINVAL;
	}
	if (!d0)
		return -ENODEV;
	im = calloc(1, sizeof(*im));
	out = sim_buf_put(&r->data, NULL, req.count * sizeof(uint32_t));
	if (!im || !out || !(im->refs = calloc(req.count, sizeof(*im->refs)))) {
		free(im);
		return -ENOMEM;
	}
	im->fd = req.fd;
	im->domid = req.domid & 0xffff;
	im->hold = -1;
	for (uint32_t i = 0; i < req.count; i++) {
		struct gpage *p = calloc(1, sizeof(*p));
		long ref;

		if (!p) {
			rc = -ENOMEM;
			break;
		}
		p->borrowed = true;
		p->refs = 1;
		p->mem.fd = e->frames[i].fd;
		p->mem.ptr = e->ptrs[i];
		p->mem.size = SIM_PAGE_SIZE;
		p->offset = e->frames[i].offset;
		p->fdom = e->domid;
		p->fref = e->refs[i];
		grant_map_get(s, p->fdom, p->fref, true);
		ref = grant_new(d0, im->domid, 0, false, p);
		gpage_put(s, p); /* the grant holds it now (or nobody does) */
		if (ref < 0) {
			rc = (int)ref;
			break;
		}
		im->refs[im->count++] = (uint32_t)ref;
	}
	if (!rc && (im->hold = fcntl(m->fds[0], F_DUPFD_CLOEXEC, 3)) < 0)
		rc = -errno;
	if (rc) {
		dmaimp_free(s, im);
		return rc;
	}
	memcpy(out, im->refs, req.count * sizeof(uint32_t));
	im->next = gd->imps;
	gd->imps = im;
	return 0;
}

static int dmabuf_imp_release(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_dmabuf_id id;
	struct gntdev *gd = c->gnt;
	struct dmaimp **pp;
	int rc;

	if ((rc = dmabuf_supported(s, c, "IOCTL_GNTDEV_DMABUF_IMP_RELEASE")))
		return rc;
	if ((rc = sim_req_fixed(m, &id, sizeof(id))))
		return rc;
	for (pp = gd ? &gd->imps : NULL; pp && *pp; pp = &(*pp)->next) {
		struct dmaimp *im = *pp;

		if (im->fd != id.fd)
			continue;
		*pp = im->next;
		dmaimp_free(s, im);
		return 0;
	}
	return -ENOENT;
}

/* The gntdev file is released: imports end, exports live on. */
static void dmabuf_conn_gone(struct sim *s, struct sim_conn *c, struct gntdev *gd)
{
	if (gd->wait_timer > 0)
		sim_timer_cancel(s, gd->wait_timer);
	gd->wait_timer = 0;
	gd->waiting = NULL;
	while (gd->imps) {
		struct dmaimp *im = gd->imps;

		gd->imps = im->next;
		dmaimp_free(s, im);
	}
	for (struct dmaexp *e = dmaexps; e; e = e->next)
		if (e->conn == c)
			e->conn = NULL;
}

/* A domain is destroyed (machine reset): exports of its grants end. */
static void dmabuf_domain_gone(struct sim *s, struct sim_domain *d)
{
	struct dmaexp *e = dmaexps;

	while (e) {
		struct dmaexp *n = e->next;

		if (e->domid == d->domid || d->domid == 0)
			dmaexp_release(s, e, "machine reset");
		e = n;
	}
}

int sim_gnttab_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r)
{
	int rc;

	if (c->dev == XSP_DEV_GNTDEV) {
		switch (m->type) {
		case XSP_GNTDEV_MAP_GRANT_REF:
			rc = gntdev_map_grant_ref(s, c, m, r);
			break;
		case XSP_GNTDEV_UNMAP_GRANT_REF:
			rc = gntdev_unmap_grant_ref(s, c, m);
			break;
		case XSP_GNTDEV_SET_MAX_GRANTS:
			/* pvops gntdev has no such ioctl any more */
			rc = sim_inject(s, "ioctl:IOCTL_GNTDEV_SET_MAX_GRANTS");
			if (!rc)
				rc = -ENOTTY;
			break;
		case XSP_GNTDEV_SET_UNMAP_NOTIFY:
			rc = gntdev_set_unmap_notify(s, c, m);
			break;
		case XSP_GNTDEV_GRANT_COPY:
			rc = gntdev_grant_copy(s, c, m, r);
			break;
		case XSP_GNTDEV_MMAP:
			rc = gntdev_mmap(s, c, m, r);
			break;
		case XSP_GNTDEV_MUNMAP:
			rc = gntdev_munmap(s, c, m);
			break;
		case XSP_GNTDEV_DMABUF_EXP_FROM_REFS:
			rc = dmabuf_exp(s, c, m, r);
			break;
		case XSP_GNTDEV_DMABUF_EXP_WAIT_RELEASED:
			rc = dmabuf_wait(s, c, m, r);
			break;
		case XSP_GNTDEV_DMABUF_IMP_TO_REFS:
			rc = dmabuf_imp(s, c, m, r);
			break;
		case XSP_GNTDEV_DMABUF_IMP_RELEASE:
			rc = dmabuf_imp_release(s, c, m);
			break;
		default:
			sim_log(s, "conn %u: gntdev request 0x%x unknown", c->id, m->type);
			rc = -ENOTTY;
		}
	} else if (c->dev == XSP_DEV_GNTALLOC) {
		switch (m->type) {
		case XSP_GNTALLOC_ALLOC_GREF:
			rc = gntalloc_alloc(s, c, m, r);
			break;
		case XSP_GNTALLOC_DEALLOC_GREF:
			rc = gntalloc_dealloc(s, c, m);
			break;
		case XSP_GNTALLOC_SET_UNMAP_NOTIFY:
			rc = gntalloc_set_unmap_notify(s, c, m);
			break;
		case XSP_GNTALLOC_MMAP:
			rc = gntalloc_mmap(s, c, m, r);
			break;
		case XSP_GNTALLOC_MUNMAP:
			rc = gntalloc_munmap(s, c, m);
			break;
		default:
			sim_log(s, "conn %u: gntalloc request 0x%x unknown", c->id, m->type);
			rc = -ENOTTY;
		}
	} else {
		sim_log(s, "conn %u: grant request 0x%x on %s", c->id, m->type,
			c->dev == XSP_DEV_PRIVCMD ? "privcmd" : "another device");
		rc = -ENOTTY;
	}
	r->ret = rc;
	if (rc < 0) {
		r->data.len = 0;
		r->nfds = 0;
	}
	return 0;
}

void sim_gnttab_conn_release(struct sim *s, struct sim_conn *c)
{
	if (c->dev == XSP_DEV_GNTDEV)
		gntdev_release(s, c);
	else if (c->dev == XSP_DEV_GNTALLOC)
		gntalloc_release(s, c);
}

/* ---- control ---------------------------------------------------------- */

static int ctl_domain(struct sim *s, struct sim_reply *r, const char *w,
		      struct sim_domain **d)
{
	uint64_t v;

	if (sim_ctl_num(w, &v) || v > 0xffff) {
		sim_ctl_error(r, EINVAL, "bad domain id '%s'", w);
		return -1;
	}
	*d = sim_domain_find(s, (unsigned int)v);
	if (!*d || !(*d)->gnttab) {
		sim_ctl_error(r, ESRCH, "no domain %s", w);
		return -1;
	}
	return 0;
}

int sim_gnttab_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		       struct sim_reply *r)
{
	struct sim_domain *d;
	struct gtab *t;
	uint64_t a, b;
	long ref;

	(void)c;
	if (!strcmp(argv[0], "grant")) {
		bool ro = false;

		if (argc == 5 && !strcmp(argv[4], "ro"))
			ro = true;
		else if (argc != 4)
			return sim_ctl_error(r, EINVAL, "usage: grant DOM GRANTEE GFN [ro]");
		if (ctl_domain(s, r, argv[1], &d))
			return 0;
		if (sim_ctl_num(argv[2], &a) || a > 0xffff)
			return sim_ctl_error(r, EINVAL, "bad grantee '%s'", argv[2]);
		if (sim_ctl_num(argv[3], &b) || b >= d->nr_pages || b > UINT32_MAX)
			return sim_ctl_error(r, EINVAL, "gfn %s is not in domain %u's RAM",
					     argv[3], d->domid);
		ref = grant_new(d, (unsigned int)a, (uint32_t)b, ro, NULL);
		if (ref < 0)
			return sim_ctl_error(r, (int)-ref, "domain %u: no free grant entry",
					     d->domid);
		r->ret = ref;
		sim_ctl_printf(r, "%ld", ref);
		return 0;
	}
	if (!strcmp(argv[0], "ungrant") || !strcmp(argv[0], "grant-info")) {
		bool info = argv[0][0] == 'g';
		grant_entry_v1_t *e;

		if (argc != 3)
			return sim_ctl_error(r, EINVAL, "usage: %s DOM REF", argv[0]);
		if (ctl_domain(s, r, argv[1], &d))
			return 0;
		t = d->gnttab;
		if (sim_ctl_num(argv[2], &a) || a >= t->nr)
			return sim_ctl_error(r, EINVAL, "bad grant ref '%s'", argv[2]);
		e = gent(t, (uint32_t)a);
		if (info) {
			r->ret = 0;
			sim_ctl_printf(r, "flags=%u domid=%u frame=%u mapcount=%u", e->flags,
				       e->domid, e->frame, t->aux[a].rd);
			return 0;
		}
		if (t->aux[a].page)
			return sim_ctl_error(r, EINVAL,
					     "grant %s of domain %u belongs to gntalloc",
					     argv[2], d->domid);
		if (!e->flags)
			return sim_ctl_error(r, ENOENT, "grant %s of domain %u is not in use",
					     argv[2], d->domid);
		if (t->aux[a].rd)
			return sim_ctl_error(r, EBUSY, "grant %s of domain %u is mapped",
					     argv[2], d->domid);
		grant_end(s, t, (uint32_t)a);
		r->ret = 0;
		return 0;
	}
	if (!strcmp(argv[0], "grant-map")) {
		bool ro = false;
		struct sim_frame f;
		unsigned char *ptr;
		struct gguest_map *gm;
		uint32_t h;
		int st, rc;

		if (argc == 5 && !strcmp(argv[4], "ro"))
			ro = true;
		else if (argc != 4)
			return sim_ctl_error(r, EINVAL,
					     "usage: grant-map DOM GRANTER REF [ro]");
		if (ctl_domain(s, r, argv[1], &d))
			return 0;
		t = d->gnttab;
		if (sim_ctl_num(argv[2], &a) || a > 0xffff)
			return sim_ctl_error(r, EINVAL, "bad granter '%s'", argv[2]);
		if (sim_ctl_num(argv[3], &b) || b > UINT32_MAX)
			return sim_ctl_error(r, EINVAL, "bad grant ref '%s'", argv[3]);
		st = grant_lookup_by(s, d->domid, (unsigned int)a, (uint32_t)b, !ro, &f,
				     &ptr);
		if (st != GNTST_okay)
			return sim_ctl_error(r, st == GNTST_bad_domain ? ESRCH : EINVAL,
					     "domain %u cannot map grant %s of domain %s "
					     "(GNTST %d)",
					     d->domid, argv[3], argv[2], st);
		for (h = 0; h < t->ngmaps && t->gmaps[h].used; h++)
			;
		if (h == t->ngmaps) {
			gm = realloc(t->gmaps, (t->ngmaps + 16) * sizeof(*gm));
			if (!gm)
				return sim_ctl_error(r, ENOMEM, "out of memory");
			memset(gm + t->ngmaps, 0, 16 * sizeof(*gm));
			t->gmaps = gm;
			t->ngmaps += 16;
		}
		rc = sim_reply_fd(r, f.fd, false);
		if (rc < 0)
			return sim_ctl_error(r, -rc, "cannot attach the page");
		t->gmaps[h] = (struct gguest_map){(uint32_t)a, (uint32_t)b, !ro, true};
		grant_map_get(s, (unsigned int)a, (uint32_t)b, !ro);
		r->ret = h;
		sim_ctl_printf(r, "handle=%u offset=%" PRIu64, h, f.offset);
		return 0;
	}
	if (!strcmp(argv[0], "grant-unmap")) {
		struct gguest_map *gm;

		if (argc != 3)
			return sim_ctl_error(r, EINVAL, "usage: grant-unmap DOM HANDLE");
		if (ctl_domain(s, r, argv[1], &d))
			return 0;
		t = d->gnttab;
		if (sim_ctl_num(argv[2], &a) || a >= t->ngmaps || !t->gmaps[a].used)
			return sim_ctl_error(r, EINVAL, "domain %u has no grant map %s",
					     d->domid, argv[2]);
		gm = &t->gmaps[a];
		gm->used = false;
		grant_map_put(s, gm->granter, gm->ref, gm->write);
		r->ret = 0;
		return 0;
	}
	return SIM_CTL_NOT_MINE;
}
