/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxencall: handles, hypercalls and the per-handle hypercall buffer cache.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compiler.h"
#include "xs-log.h"

/* Largest page count whose byte size (plus a header) fits a size_t and an int. */
#define XS_CALL_MAX_PAGES                                                                \
	((SIZE_MAX >> XEN_PAGE_SHIFT) - 1 < (size_t)INT_MAX                              \
		 ? (SIZE_MAX >> XEN_PAGE_SHIFT) - 1                                      \
		 : (size_t)INT_MAX)

/* The device hypercall buffers come from, for log lines. */
static const char *buf_device(const xencall_handle *xcall)
{
	return xcall->buf_fd >= 0 ? XS_DEV_HYPERCALL : "locked anonymous memory";
}

static int call_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xencall_handle *xcall = xs_handle_from_tc(ah, xencall_handle, base);

	(void)domid;
	/* Seen by an xencall_open() that has not opened its fds yet. */
	__atomic_store_n(&xcall->restricted, true, __ATOMIC_SEQ_CST);
	return xs_call_os_restrict(xcall);
}

XENSTABLE_EXPORT xencall_handle *xencall_open(struct xentoollog_logger *logger,
					      unsigned open_flags)
{
	xencall_handle *xcall = calloc(1, sizeof(*xcall));
	int saved_errno;

	if (!xcall)
		return NULL;
	xcall->fd = xcall->buf_fd = -1;
	xcall->flags = open_flags;
	xcall->locked = !(open_flags & XENCALL_OPENFLAG_NON_REENTRANT);
	if (xcall->locked &&
	    (errno = pthread_mutex_init(&xcall->cache_lock, NULL)) != 0) {
		free(xcall);
		return NULL;
	}
	if (xs_handle_open(&xcall->base, "xencall", logger, call_restrict_cb) < 0)
		goto err;
	if (xs_call_os_open(xcall) < 0)
		goto err_handle;
	/* A restrict_all() between registration and now found no fds. */
	if (__atomic_load_n(&xcall->restricted, __ATOMIC_SEQ_CST))
		xs_call_os_restrict(xcall);
	return xcall;

err_handle:
	saved_errno = errno;
	xs_handle_unregister(&xcall->base);
	xs_handle_close(&xcall->base);
	errno = saved_errno;
err:
	saved_errno = errno;
	if (xcall->locked)
		pthread_mutex_destroy(&xcall->cache_lock);
	free(xcall);
	errno = saved_errno;
	return NULL;
}

XENSTABLE_EXPORT int xencall_close(xencall_handle *xcall)
{
	unsigned int i, j;

	if (!xcall)
		return 0;
	xs_handle_unregister(&xcall->base);
	/* Cached buffers first: the fallback allocator looks at buf_fd. */
	for (i = 0; i < XS_CACHE_NRPAGES; i++)
		for (j = 0; j < xcall->cache[i].nr; j++)
			xs_call_os_free_pages(xcall, xcall->cache[i].buf[j], i + 1);
	xs_call_os_close(xcall);
	xs_log(&xcall->base, XTL_DEBUG, -1,
	       "buffer cache: %lu allocations, %lu frees, %lu still held, at most %lu; "
	       "%lu hits, %lu misses, %lu too big",
	       xcall->stats.allocs, xcall->stats.frees, xcall->stats.current,
	       xcall->stats.maximum, xcall->stats.hits, xcall->stats.misses,
	       xcall->stats.toobig);
	xs_handle_close(&xcall->base);
	if (xcall->locked)
		pthread_mutex_destroy(&xcall->cache_lock);
	free(xcall);
	return 0;
}

XENSTABLE_EXPORT int xencall_fd(xencall_handle *xcall)
{
	if (!xcall) {
		errno = EINVAL;
		return -1;
	}
	return xcall->fd;
}

XENSTABLE_EXPORT int xencall_buffers_never_fault(xencall_handle *xcall)
{
	if (!xcall) {
		errno = EINVAL;
		return 0;
	}
	return xcall->buf_fd >= 0;
}

/* ---- hypercalls ---------------------------------------------------------- */

static long call5(xencall_handle *xcall, unsigned int op, uint64_t a1, uint64_t a2,
		  uint64_t a3, uint64_t a4, uint64_t a5)
{
	if (!xcall) {
		errno = EINVAL;
		return -1;
	}
	return xs_call_os_hypercall(xcall, op, a1, a2, a3, a4, a5);
}

XENSTABLE_EXPORT int xencall0(xencall_handle *xcall, unsigned int op)
{
	return (int)call5(xcall, op, 0, 0, 0, 0, 0);
}

XENSTABLE_EXPORT int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1)
{
	return (int)call5(xcall, op, arg1, 0, 0, 0, 0);
}

XENSTABLE_EXPORT int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1,
			      uint64_t arg2)
{
	return (int)call5(xcall, op, arg1, arg2, 0, 0, 0);
}

XENSTABLE_EXPORT long xencall2L(xencall_handle *xcall, unsigned int op, uint64_t arg1,
				uint64_t arg2)
{
	return call5(xcall, op, arg1, arg2, 0, 0, 0);
}

XENSTABLE_EXPORT int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1,
			      uint64_t arg2, uint64_t arg3)
{
	return (int)call5(xcall, op, arg1, arg2, arg3, 0, 0);
}

XENSTABLE_EXPORT int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1,
			      uint64_t arg2, uint64_t arg3, uint64_t arg4)
{
	return (int)call5(xcall, op, arg1, arg2, arg3, arg4, 0);
}

XENSTABLE_EXPORT int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1,
			      uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
	return (int)call5(xcall, op, arg1, arg2, arg3, arg4, arg5);
}

/* ---- buffers ------------------------------------------------------------- */

static void cache_lock(xencall_handle *xcall)
{
	int saved_errno = errno;

	if (xcall->locked)
		pthread_mutex_lock(&xcall->cache_lock);
	errno = saved_errno;
}

static void cache_unlock(xencall_handle *xcall)
{
	int saved_errno = errno;

	if (xcall->locked)
		pthread_mutex_unlock(&xcall->cache_lock);
	errno = saved_errno;
}

/* A cached buffer of @nr_pages, or NULL; counts the allocation. */
static void *cache_get(xencall_handle *xcall, size_t nr_pages)
{
	struct xs_call_cache_class *c;
	void *p = NULL;

	cache_lock(xcall);
	xcall->stats.allocs++;
	if (nr_pages > XS_CACHE_NRPAGES) {
		xcall->stats.toobig++;
	} else {
		c = &xcall->cache[nr_pages - 1];
		if (c->nr) {
			p = c->buf[--c->nr];
			xcall->stats.hits++;
		} else {
			xcall->stats.misses++;
		}
	}
	cache_unlock(xcall);
	return p;
}

static void count_held(xencall_handle *xcall, bool alloc)
{
	cache_lock(xcall);
	if (alloc) {
		if (++xcall->stats.current > xcall->stats.maximum)
			xcall->stats.maximum = xcall->stats.current;
	} else {
		xcall->stats.allocs--; /* the allocation failed */
	}
	cache_unlock(xcall);
}

/* true if @p was kept in the cache; counts the free. */
static bool cache_put(xencall_handle *xcall, void *p, size_t nr_pages)
{
	struct xs_call_cache_class *c;
	bool kept = false;

	cache_lock(xcall);
	xcall->stats.frees++;
	if (xcall->stats.current)
		xcall->stats.current--;
	if (nr_pages >= 1 && nr_pages <= XS_CACHE_NRPAGES) {
		c = &xcall->cache[nr_pages - 1];
		if (c->nr < XS_CACHE_DEPTH) {
			c->buf[c->nr++] = p;
			kept = true;
		}
	}
	cache_unlock(xcall);
	return kept;
}

XENSTABLE_EXPORT void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages)
{
	void *p;

	if (!xcall) {
		errno = EINVAL;
		return NULL;
	}
	if (nr_pages == 0 || nr_pages > XS_CALL_MAX_PAGES) {
		xs_log_error(&xcall->base, EINVAL,
			     "xencall_alloc_buffer_pages on %s: invalid page count %zu",
			     buf_device(xcall), nr_pages);
		errno = EINVAL;
		return NULL;
	}
	p = cache_get(xcall, nr_pages);
	if (!p) {
		p = xs_call_os_alloc_pages(xcall, nr_pages);
		if (!p) {
			count_held(xcall, false);
			return NULL;
		}
	}
	count_held(xcall, true);
	memset(p, 0, nr_pages << XEN_PAGE_SHIFT);
	return p;
}

XENSTABLE_EXPORT void xencall_free_buffer_pages(xencall_handle *xcall, void *p,
						size_t nr_pages)
{
	int saved_errno = errno;

	if (!p || !xcall)
		return;
	if (((uintptr_t)p & (XEN_PAGE_SIZE - 1)) || nr_pages == 0 ||
	    nr_pages > XS_CALL_MAX_PAGES) {
		xs_log_error(
			&xcall->base, EINVAL,
			"xencall_free_buffer_pages on %s: not a buffer (%p, %zu pages); "
			"ignored",
			buf_device(xcall), p, nr_pages);
		errno = saved_errno;
		return;
	}
	if (!cache_put(xcall, p, nr_pages))
		xs_call_os_free_pages(xcall, p, nr_pages);
	errno = saved_errno;
}

XENSTABLE_EXPORT void *xencall_alloc_buffer(xencall_handle *xcall, size_t size)
{
	struct xs_call_buffer_header *hdr;
	size_t nr_pages;

	if (!xcall) {
		errno = EINVAL;
		return NULL;
	}
	if (size > (XS_CALL_MAX_PAGES << XEN_PAGE_SHIFT) - sizeof(*hdr)) {
		xs_log_error(&xcall->base, EINVAL,
			     "xencall_alloc_buffer on %s: invalid size %zu",
			     buf_device(xcall), size);
		errno = EINVAL;
		return NULL;
	}
	nr_pages = (size + sizeof(*hdr) + XEN_PAGE_SIZE - 1) >> XEN_PAGE_SHIFT;
	hdr = xencall_alloc_buffer_pages(xcall, nr_pages);
	if (!hdr)
		return NULL;
	hdr->nr_pages = (int)nr_pages;
	return hdr + 1;
}

XENSTABLE_EXPORT void xencall_free_buffer(xencall_handle *xcall, void *p)
{
	struct xs_call_buffer_header *hdr;
	int saved_errno = errno;

	if (!p || !xcall)
		return;
	hdr = (struct xs_call_buffer_header *)p - 1;
	if ((uintptr_t)hdr & (XEN_PAGE_SIZE - 1)) {
		xs_log_error(
			&xcall->base, EINVAL,
			"xencall_free_buffer on %s: %p is not from xencall_alloc_buffer; "
			"ignored",
			buf_device(xcall), p);
		errno = saved_errno;
		return;
	}
	xencall_free_buffer_pages(xcall, hdr, (size_t)hdr->nr_pages);
	errno = saved_errno;
}
