/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab: the handle shared by gnttab and gntshr, the table of
 * mappings, and the gnttab (grant-mapping) half of the API. The devices
 * are driven by the OS layer (linux.c).
 */
#include "config.h"

#include <errno.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"
#include "xs-compiler.h"
#include "xs-fd.h"
#include "xs-log.h"

/* ---------------------------------------------------------------------- */
/* Handles                                                                 */

bool xs_gnt_neutered(const xengnttab_handle *h)
{
	return __atomic_load_n(&h->neutered, __ATOMIC_ACQUIRE);
}

/*
 * xentoolcore_restrict_all() callback. Grant devices cannot be limited to
 * one domain, so the handle is neutered: /dev/null replaces its fd, and
 * the library refuses further work on it even if that replacement failed.
 */
static int gnt_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xengnttab_handle *h = xs_handle_from_tc(ah, xengnttab_handle, base);

	if (h->fd < 0 || xs_gnt_neutered(h))
		return 0;
	__atomic_store_n(&h->neutered, true, __ATOMIC_RELEASE);
	return xs_neuter_fd(&h->base, h->fd, h->device);
}

xengnttab_handle *xs_gnt_open(struct xentoollog_logger *logger, unsigned int open_flags,
			      enum xs_gnt_kind kind)
{
	xengnttab_handle *h = calloc(1, sizeof(*h));
	bool tab = kind == XS_GNT_TAB;
	int fd;

	if (!h)
		return NULL;
	h->kind = kind;
	h->fd = -1;
	h->device = tab ? "/dev/xen/gntdev" : "/dev/xen/gntalloc";
	if (pthread_mutex_init(&h->lock, NULL) != 0) {
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	/* Registered with libxentoolcore before the device is opened. */
	if (xs_handle_open(&h->base, tab ? "gnttab" : "gntshr", logger, gnt_restrict_cb) < 0) {
		pthread_mutex_destroy(&h->lock);
		free(h);
		errno = ENOMEM;
		return NULL;
	}
	if (open_flags) {
		xs_log(&h->base, XTL_ERROR, EINVAL, "%s: unknown flags %#x",
		       tab ? "xengnttab_open" : "xengntshr_open", open_flags);
		errno = EINVAL;
		goto fail;
	}
	fd = tab ? xs_gntdev_os_open(h) : xs_gntalloc_os_open(h);
	if (fd < 0)
		goto fail;
	h->fd = fd;
	return h;

fail:
	xs_gnt_close(h);
	return NULL;
}

int xs_gnt_close(xengnttab_handle *h)
{
	int saved_errno = errno;
	int rc = 0;

	if (!h)
		return 0;
	/* Deregister first, so restrict_all never sees a closed fd. */
	xs_handle_unregister(&h->base);
	if (h->fd >= 0) {
		rc = close(h->fd);
		saved_errno = errno;
	}
	xs_gnt_table_free(h);
	pthread_mutex_destroy(&h->lock);
	xs_handle_close(&h->base);
	free(h);
	errno = saved_errno;
	return rc;
}

int xs_gnt_check_any(xengnttab_handle *h, enum xs_gnt_kind kind, const char *fn)
{
	if (XS_UNLIKELY(!h)) {
		errno = EINVAL;
		return -1;
	}
	if (XS_UNLIKELY(h->kind != kind)) {
		xs_log(&h->base, XTL_ERROR, EINVAL, "%s: called with a %s handle", fn,
		       h->kind == XS_GNT_TAB ? "gnttab (xengnttab_open)"
					     : "gntshr (xengntshr_open)");
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int xs_gnt_check(xengnttab_handle *h, enum xs_gnt_kind kind, const char *fn)
{
	if (xs_gnt_check_any(h, kind, fn) < 0)
		return -1;
	if (XS_UNLIKELY(xs_gnt_neutered(h))) {
		xs_log(&h->base, XTL_ERROR, EPERM,
		       "%s on %s: the handle was neutered by xentoolcore_restrict_all", fn,
		       h->device);
		errno = EPERM;
		return -1;
	}
	return 0;
}

int xs_gnt_bad_arg(xengnttab_handle *h, const char *fn, const char *fmt, ...)
{
	char what[160];
	va_list al;

	va_start(al, fmt);
	vsnprintf(what, sizeof(what), fmt, al);
	va_end(al);
	xs_log(&h->base, XTL_ERROR, EINVAL, "%s: %s", fn, what);
	errno = EINVAL;
	return -1;
}

/* ---------------------------------------------------------------------- */
/* Mapping table                                                           */

static int mapping_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct xs_gnt_mapping *)a)->addr;
	uintptr_t y = (uintptr_t)((const struct xs_gnt_mapping *)b)->addr;

	return x < y ? -1 : x > y;
}

int xs_gnt_table_add(xengnttab_handle *h, void *addr, uint32_t count, uint64_t index)
{
	struct xs_gnt_mapping *m = malloc(sizeof(*m));
	void **node;

	if (!m)
		goto nomem;
	m->addr = addr;
	m->count = count;
	m->index = index;
	pthread_mutex_lock(&h->lock);
	node = tfind(m, &h->maps, mapping_cmp);
	if (node) {
		/*
		 * A stale entry: the caller released an earlier mapping at
		 * this address with plain munmap(). Forget it.
		 */
		struct xs_gnt_mapping *old = *node;

		tdelete(old, &h->maps, mapping_cmp);
		free(old);
	}
	node = tsearch(m, &h->maps, mapping_cmp);
	pthread_mutex_unlock(&h->lock);
	if (node)
		return 0;
	free(m);
nomem:
	xs_log(&h->base, XTL_ERROR, ENOMEM, "recording a mapping of %u page(s)", count);
	errno = ENOMEM;
	return -1;
}

int xs_gnt_table_take(xengnttab_handle *h, const char *fn, void *addr, uint32_t count,
		      struct xs_gnt_mapping *out)
{
	struct xs_gnt_mapping key = { .addr = addr };
	struct xs_gnt_mapping *m = NULL;
	uint32_t have = 0;
	void **node;

	pthread_mutex_lock(&h->lock);
	node = tfind(&key, &h->maps, mapping_cmp);
	if (node) {
		m = *node;
		have = m->count;
		if (have == count)
			tdelete(m, &h->maps, mapping_cmp);
	}
	pthread_mutex_unlock(&h->lock);
	if (!m)
		return xs_gnt_bad_arg(h, fn, "no mapping of this handle starts at %p", addr);
	if (have != count)
		return xs_gnt_bad_arg(h, fn, "the mapping at %p has %u page(s), not %u", addr,
				      have, count);
	*out = *m;
	free(m);
	return 0;
}

void xs_gnt_table_free(xengnttab_handle *h)
{
	tdestroy(h->maps, free);
	h->maps = NULL;
}

/* ---------------------------------------------------------------------- */
/* gnttab                                                                  */

XENSTABLE_EXPORT xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
						  unsigned int open_flags)
{
	return xs_gnt_open(logger, open_flags, XS_GNT_TAB);
}

XENSTABLE_EXPORT int xengnttab_close(xengnttab_handle *xgt)
{
	return xs_gnt_close(xgt);
}

XENSTABLE_EXPORT int xengnttab_fd(xengnttab_handle *xgt)
{
	if (xs_gnt_check_any(xgt, XS_GNT_TAB, "xengnttab_fd") < 0)
		return -1;
	return xgt->fd;
}

XENSTABLE_EXPORT int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	if (xs_gnt_check(xgt, XS_GNT_TAB, "xengnttab_set_max_grants") < 0)
		return -1;
	return xs_gntdev_os_set_max_grants(xgt, nr_grants);
}

#define GNT_PROT_ALLOWED (PROT_READ | PROT_WRITE | PROT_EXEC)

static void *gnt_map(xengnttab_handle *h, const char *fn, uint32_t count,
		     const uint32_t *domids, size_t domid_stride, const uint32_t *refs,
		     int prot, uint32_t notify_offset, evtchn_port_t notify_port)
{
	uint64_t index;
	uint32_t i;
	void *addr;

	if (xs_gnt_check(h, XS_GNT_TAB, fn) < 0)
		return NULL;
	if (!xs_gnt_count_ok(count)) {
		xs_gnt_bad_arg(h, fn, "count %u is out of range", count);
		return NULL;
	}
	if (!domids || !refs) {
		xs_gnt_bad_arg(h, fn, "NULL %s array", !refs ? "refs" : "domids");
		return NULL;
	}
	if (prot & ~GNT_PROT_ALLOWED) {
		xs_gnt_bad_arg(h, fn, "unsupported protection %#x", (unsigned int)prot);
		return NULL;
	}
	for (i = 0; i < count; i++) {
		uint32_t domid = domids[i * domid_stride];

		if (domid > XS_GNT_DOMID_MAX) {
			xs_gnt_bad_arg(h, fn, "grant %u: domain %u is out of range", i, domid);
			return NULL;
		}
	}
	if (notify_offset != XS_GNT_NO_NOTIFY) {
		if (notify_offset >= XEN_PAGE_SIZE) {
			xs_gnt_bad_arg(h, fn, "notify offset %u is beyond the page",
				       notify_offset);
			return NULL;
		}
		if (!(prot & PROT_WRITE)) {
			xs_gnt_bad_arg(h, fn, "clearing a notify byte needs a writable mapping");
			return NULL;
		}
	}

	addr = xs_gntdev_os_map(h, count, domids, domid_stride, refs, prot, notify_offset,
				notify_port, &index);
	if (!addr)
		return NULL;
	if (xs_gnt_table_add(h, addr, count, index) < 0) {
		struct xs_gnt_mapping m = { .addr = addr, .count = count, .index = index };
		int err = errno;

		xs_gntdev_os_unmap(h, &m);
		errno = err;
		return NULL;
	}
	return addr;
}

XENSTABLE_EXPORT void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
					       uint32_t ref, int prot)
{
	return gnt_map(xgt, "xengnttab_map_grant_ref", 1, &domid, 0, &ref, prot,
		       XS_GNT_NO_NOTIFY, XS_GNT_NO_NOTIFY);
}

XENSTABLE_EXPORT void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count,
						uint32_t *domids, uint32_t *refs, int prot)
{
	return gnt_map(xgt, "xengnttab_map_grant_refs", count, domids, 1, refs, prot,
		       XS_GNT_NO_NOTIFY, XS_GNT_NO_NOTIFY);
}

XENSTABLE_EXPORT void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count,
						       uint32_t domid, uint32_t *refs, int prot)
{
	return gnt_map(xgt, "xengnttab_map_domain_grant_refs", count, &domid, 0, refs, prot,
		       XS_GNT_NO_NOTIFY, XS_GNT_NO_NOTIFY);
}

XENSTABLE_EXPORT void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid,
						      uint32_t ref, int prot,
						      uint32_t notify_offset,
						      evtchn_port_t notify_port)
{
	return gnt_map(xgt, "xengnttab_map_grant_ref_notify", 1, &domid, 0, &ref, prot,
		       notify_offset, notify_port);
}

XENSTABLE_EXPORT int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
				     uint32_t count)
{
	static const char fn[] = "xengnttab_unmap";
	struct xs_gnt_mapping m;

	if (xs_gnt_check_any(xgt, XS_GNT_TAB, fn) < 0)
		return -1;
	if (!start_address)
		return xs_gnt_bad_arg(xgt, fn, "NULL address");
	if (count == 0)
		return xs_gnt_bad_arg(xgt, fn, "count 0");
	if (xs_gnt_table_take(xgt, fn, start_address, count, &m) < 0)
		return -1;
	return xs_gntdev_os_unmap(xgt, &m);
}

XENSTABLE_EXPORT int xengnttab_grant_copy(xengnttab_handle *xgt, uint32_t count,
					  xengnttab_grant_copy_segment_t *segs)
{
	static const char fn[] = "xengnttab_grant_copy";
	const unsigned int both = GNTCOPY_source_gref | GNTCOPY_dest_gref;
	uint32_t i;

	if (xs_gnt_check(xgt, XS_GNT_TAB, fn) < 0)
		return -1;
	if (count && !segs)
		return xs_gnt_bad_arg(xgt, fn, "NULL segments for count %u", count);
	for (i = 0; i < count; i++) {
		const xengnttab_grant_copy_segment_t *s = &segs[i];

		if (s->flags & ~both)
			return xs_gnt_bad_arg(xgt, fn, "segment %u: unknown flags %#x", i,
					      (unsigned int)(s->flags & ~both));
		if (!(s->flags & both))
			return xs_gnt_bad_arg(xgt, fn, "segment %u: neither side is a grant", i);
		if ((s->flags & GNTCOPY_source_gref) &&
		    (unsigned long)s->source.foreign.offset + s->len > XEN_PAGE_SIZE)
			return xs_gnt_bad_arg(xgt, fn,
					      "segment %u: source offset %u + length %u "
					      "crosses the page",
					      i, s->source.foreign.offset, s->len);
		if ((s->flags & GNTCOPY_dest_gref) &&
		    (unsigned long)s->dest.foreign.offset + s->len > XEN_PAGE_SIZE)
			return xs_gnt_bad_arg(xgt, fn,
					      "segment %u: destination offset %u + length %u "
					      "crosses the page",
					      i, s->dest.foreign.offset, s->len);
	}
	return xs_gntdev_os_grant_copy(xgt, count, segs);
}

XENSTABLE_EXPORT int xengnttab_dmabuf_exp_from_refs(xengnttab_handle *xgt, uint32_t domid,
						    uint32_t flags, uint32_t count,
						    const uint32_t *refs, uint32_t *fd)
{
	static const char fn[] = "xengnttab_dmabuf_exp_from_refs";
	const uint32_t known = GNTDEV_DMA_FLAG_WC | GNTDEV_DMA_FLAG_COHERENT;

	if (xs_gnt_check(xgt, XS_GNT_TAB, fn) < 0)
		return -1;
	if (!xs_gnt_count_ok(count))
		return xs_gnt_bad_arg(xgt, fn, "count %u is out of range", count);
	if (!refs || !fd)
		return xs_gnt_bad_arg(xgt, fn, "NULL %s", !refs ? "refs" : "fd");
	if (flags & ~known)
		return xs_gnt_bad_arg(xgt, fn, "unknown flags %#x", flags & ~known);
	if (domid > XS_GNT_DOMID_MAX)
		return xs_gnt_bad_arg(xgt, fn, "domain %u is out of range", domid);
	return xs_gntdev_os_dmabuf_exp_from_refs(xgt, domid, flags, count, refs, fd);
}

XENSTABLE_EXPORT int xengnttab_dmabuf_exp_wait_released(xengnttab_handle *xgt, uint32_t fd,
							uint32_t wait_to_ms)
{
	if (xs_gnt_check(xgt, XS_GNT_TAB, "xengnttab_dmabuf_exp_wait_released") < 0)
		return -1;
	return xs_gntdev_os_dmabuf_exp_wait_released(xgt, fd, wait_to_ms);
}

XENSTABLE_EXPORT int xengnttab_dmabuf_imp_to_refs(xengnttab_handle *xgt, uint32_t domid,
						  uint32_t fd, uint32_t count, uint32_t *refs)
{
	static const char fn[] = "xengnttab_dmabuf_imp_to_refs";

	if (xs_gnt_check(xgt, XS_GNT_TAB, fn) < 0)
		return -1;
	if (!xs_gnt_count_ok(count))
		return xs_gnt_bad_arg(xgt, fn, "count %u is out of range", count);
	if (!refs)
		return xs_gnt_bad_arg(xgt, fn, "NULL refs");
	if (domid > XS_GNT_DOMID_MAX)
		return xs_gnt_bad_arg(xgt, fn, "domain %u is out of range", domid);
	return xs_gntdev_os_dmabuf_imp_to_refs(xgt, domid, fd, count, refs);
}

XENSTABLE_EXPORT int xengnttab_dmabuf_imp_release(xengnttab_handle *xgt, uint32_t fd)
{
	if (xs_gnt_check(xgt, XS_GNT_TAB, "xengnttab_dmabuf_imp_release") < 0)
		return -1;
	return xs_gntdev_os_dmabuf_imp_release(xgt, fd);
}
