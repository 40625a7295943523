/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenforeignmemory internals: the handles and the interface between the
 * portable core (core.c) and the Linux layer (linux.c).
 */
#ifndef XS_FMEM_PRIVATE_H
#define XS_FMEM_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenforeignmemory.h"
#include "xs-handle.h"

/* What the handle knows about the hypervisor's page size. */
enum xs_fmem_pagesize_state {
	XS_PAGESIZE_UNKNOWN = 0, /* not asked yet */
	XS_PAGESIZE_OK,		 /* XEN_PAGE_SIZE, or cannot be asked: map */
	XS_PAGESIZE_MISMATCH,	 /* something else: refuse to map */
};

struct xenforeignmemory_handle {
	struct xs_handle base;
	int fd;		     /* privcmd */
	const char *privcmd; /* path actually opened */
	int unimpl_errno;    /* what this privcmd answers to unknown ioctls */
	bool restricted;     /* restricted through this library */
	int pending_domid;   /* restrict_all() before the fd existed, or -1 (atomic) */
	domid_t restricted_domid;
	int pagesize_state; /* enum xs_fmem_pagesize_state, atomic */
	long pagesize;	    /* the hypervisor's answer, if asked successfully */
};

struct xenforeignmemory_resource_handle {
	domid_t domid;
	uint32_t type;
	uint32_t id;
	unsigned long frame;
	unsigned long nr_frames;
	void *addr;
	int prot;
	int flags;
};

/* Bounded retry of paged-out frames (see xenforeignmemory.h). */
#define XS_FMEM_PAGED_ROUNDS	   128
#define XS_FMEM_PAGED_DELAY_MIN_US 100
#define XS_FMEM_PAGED_DELAY_MAX_US 20000

/* linux.c */
int xs_fmem_os_open(xenforeignmemory_handle *fmem);
int xs_fmem_os_close(xenforeignmemory_handle *fmem);
void *xs_fmem_os_map(xenforeignmemory_handle *fmem, uint32_t dom, void *addr, int prot,
		     int flags, size_t pages, const xen_pfn_t arr[], int err[]);
int xs_fmem_os_restrict(xenforeignmemory_handle *fmem, domid_t domid);
int xs_fmem_os_map_resource(xenforeignmemory_handle *fmem,
			    xenforeignmemory_resource_handle *fres);
long xs_fmem_os_pagesize(xenforeignmemory_handle *fmem);

#endif /* XS_FMEM_PRIVATE_H */
