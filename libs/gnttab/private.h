/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab internals: the handle shared by gnttab and gntshr, the
 * table of mappings a handle made, and the interface between the portable
 * parts (core.c: gnttab, gntshr.c: gntshr) and the OS layer (linux.c:
 * /dev/xen/gntdev and /dev/xen/gntalloc).
 */
#ifndef XS_GNTTAB_PRIVATE_H
#define XS_GNTTAB_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xengnttab.h"
#include "xenstable.h"
#include "xs-handle.h"

enum xs_gnt_kind {
	XS_GNT_TAB = 0x67746162, /* "gtab" */
	XS_GNT_SHR = 0x67736872, /* "gshr" */
};

/*
 * One mapping made through a handle: where it is, how many pages, and the
 * kernel's name for it (the mmap offset). Kept in a tree by address, so
 * unmap needs neither the kernel (which cannot answer any more after the
 * handle was neutered) nor trust in the caller's count.
 */
struct xs_gnt_mapping {
	void *addr;
	uint32_t count;
	uint64_t index;
};

struct xengntdev_handle {
	struct xs_handle base;
	enum xs_gnt_kind kind;
	int fd;		       /* -1 until the device is open */
	const char *device;    /* its path, for messages */
	bool neutered;	       /* restrict_all replaced fd (atomic access) */
	pthread_mutex_t lock;  /* protects maps */
	void *maps;	       /* tsearch() tree of struct xs_gnt_mapping */
};

/* domids are uint32_t in the API and 16 bits in Xen. */
#define XS_GNT_DOMID_MAX 0xffffU

/* "No notification" value of notify_offset and notify_port. */
#define XS_GNT_NO_NOTIFY ((uint32_t)-1)

/*
 * Largest page count whose byte size (and ioctl argument) fits in size_t;
 * the kernel has its own, smaller, limit.
 */
#define XS_GNT_MAX_COUNT                                                                 \
	((SIZE_MAX >> XEN_PAGE_SHIFT) < (SIZE_MAX - 64) / 8 ? (SIZE_MAX >> XEN_PAGE_SHIFT) \
							     : (SIZE_MAX - 64) / 8)

/* 1 <= @count <= XS_GNT_MAX_COUNT (also on 64-bit, where it always fits). */
static inline bool xs_gnt_count_ok(uint64_t count)
{
	return count != 0 && count <= (uint64_t)XS_GNT_MAX_COUNT;
}

/* Common handle code (core.c). */
xengnttab_handle *xs_gnt_open(struct xentoollog_logger *logger, unsigned int open_flags,
			      enum xs_gnt_kind kind);
int xs_gnt_close(xengnttab_handle *h);
/* 0 if @h is a usable handle of @kind; else -1 with errno, logged. */
int xs_gnt_check(xengnttab_handle *h, enum xs_gnt_kind kind, const char *fn);
/* Like xs_gnt_check() but a neutered handle passes too (unmap, unshare). */
int xs_gnt_check_any(xengnttab_handle *h, enum xs_gnt_kind kind, const char *fn);
bool xs_gnt_neutered(const xengnttab_handle *h);
/* Log "fn: <message>" at XTL_ERROR with EINVAL, set errno; returns -1. */
int xs_gnt_bad_arg(xengnttab_handle *h, const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Mapping table. */
int xs_gnt_table_add(xengnttab_handle *h, void *addr, uint32_t count, uint64_t index);
/* Remove the entry at @addr if its count is @count; -1/EINVAL (logged) if not. */
int xs_gnt_table_take(xengnttab_handle *h, const char *fn, void *addr, uint32_t count,
		      struct xs_gnt_mapping *out);
void xs_gnt_table_free(xengnttab_handle *h);

/*
 * OS layer. Every function logs its own failures (operation, device,
 * errno) and returns 0 (or a pointer) or -1 (or NULL) with errno.
 */
int xs_gntdev_os_open(xengnttab_handle *h);
int xs_gntalloc_os_open(xengntshr_handle *h);
int xs_gntdev_os_set_max_grants(xengnttab_handle *h, uint32_t nr_grants);
/*
 * Map @count grants: domain @domids[i * @domid_stride] (stride 0: one
 * domain), reference @refs[i]. Sets *index to the kernel's name of the
 * mapping.
 */
void *xs_gntdev_os_map(xengnttab_handle *h, uint32_t count, const uint32_t *domids,
		       size_t domid_stride, const uint32_t *refs, int prot,
		       uint32_t notify_offset, evtchn_port_t notify_port, uint64_t *index);
int xs_gntdev_os_unmap(xengnttab_handle *h, const struct xs_gnt_mapping *m);
int xs_gntdev_os_grant_copy(xengnttab_handle *h, uint32_t count,
			    xengnttab_grant_copy_segment_t *segs);
int xs_gntdev_os_dmabuf_exp_from_refs(xengnttab_handle *h, uint32_t domid, uint32_t flags,
				      uint32_t count, const uint32_t *refs, uint32_t *fd);
int xs_gntdev_os_dmabuf_exp_wait_released(xengnttab_handle *h, uint32_t fd,
					  uint32_t wait_to_ms);
int xs_gntdev_os_dmabuf_imp_to_refs(xengnttab_handle *h, uint32_t domid, uint32_t fd,
				    uint32_t count, uint32_t *refs);
int xs_gntdev_os_dmabuf_imp_release(xengnttab_handle *h, uint32_t fd);
/* Share @count new pages with @domid; refs[] filled only on success. */
void *xs_gntalloc_os_share(xengntshr_handle *h, uint32_t domid, uint32_t count,
			   uint32_t *refs, bool writable, uint32_t notify_offset,
			   evtchn_port_t notify_port, uint64_t *index);
int xs_gntalloc_os_unshare(xengntshr_handle *h, const struct xs_gnt_mapping *m);

#endif /* XS_GNTTAB_PRIVATE_H */
