/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxencall internals: the handle, the per-handle buffer cache and the
 * interface between the portable core (core.c) and the Linux layer
 * (linux.c).
 */
#ifndef XS_CALL_PRIVATE_H
#define XS_CALL_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencall.h"
#include "xenstable.h"
#include "xs-handle.h"

/* Buffers of 1..XS_CACHE_NRPAGES pages are cached, XS_CACHE_DEPTH per size. */
#define XS_CACHE_NRPAGES 4
#define XS_CACHE_DEPTH	 4

struct xs_call_cache_class {
	void *buf[XS_CACHE_DEPTH];
	unsigned int nr;
};

struct xs_call_stats {
	unsigned long allocs, frees, current, maximum;
	unsigned long hits, misses, toobig;
};

struct xencall_handle {
	struct xs_handle base;
	int fd;		     /* privcmd */
	int buf_fd;	     /* /dev/xen/hypercall, or -1 (fallback allocator) */
	bool restricted;     /* restrict_all ran (atomic; may be before the fds exist) */
	const char *privcmd; /* path of the privcmd node actually opened */
	unsigned int flags;  /* XENCALL_OPENFLAG_* */
	bool locked;	     /* false with XENCALL_OPENFLAG_NON_REENTRANT */
	pthread_mutex_t cache_lock;
	struct xs_call_cache_class cache[XS_CACHE_NRPAGES];
	struct xs_call_stats stats;
};

/* The hidden header of xencall_alloc_buffer() (same layout as upstream). */
struct xs_call_buffer_header {
	int nr_pages;
	int pad[3];
};

/* linux.c */
int xs_call_os_open(xencall_handle *xcall);
void xs_call_os_close(xencall_handle *xcall);
long xs_call_os_hypercall(xencall_handle *xcall, unsigned int op, uint64_t a1,
			  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
void *xs_call_os_alloc_pages(xencall_handle *xcall, size_t nr_pages);
void xs_call_os_free_pages(xencall_handle *xcall, void *p, size_t nr_pages);
int xs_call_os_restrict(xencall_handle *xcall);

#endif /* XS_CALL_PRIVATE_H */
