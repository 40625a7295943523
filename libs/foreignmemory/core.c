/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenforeignmemory: handles, argument checks, the err[] contract and the
 * hypervisor page-size check.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"
#include "xs-compiler.h"
#include "xs-fd.h"
#include "xs-log.h"

/*
 * Largest frame count: its byte size must fit a size_t, V2's count an
 * unsigned int and V1's an int.
 */
#define XS_FMEM_MAX_PAGES                                                                \
	((SIZE_MAX >> XEN_PAGE_SHIFT) < (size_t)INT_MAX ? (SIZE_MAX >> XEN_PAGE_SHIFT)   \
							: (size_t)INT_MAX)

#define XS_FMEM_PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0
#endif
#define XS_FMEM_MAP2_FLAGS                                                               \
	(MAP_SHARED | MAP_FIXED | MAP_FIXED_NOREPLACE | MAP_NORESERVE | MAP_LOCKED |     \
	 MAP_POPULATE | MAP_NONBLOCK)

static int fmem_restrict_cb(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	xenforeignmemory_handle *fmem =
		xs_handle_from_tc(ah, xenforeignmemory_handle, base);
	int saved_errno;

	/* Seen by an xenforeignmemory_open() that has no fd yet. */
	__atomic_store_n(&fmem->pending_domid, (int)domid, __ATOMIC_SEQ_CST);
	if (fmem->fd < 0)
		return 0;
	if (xs_fmem_os_restrict(fmem, domid) == 0)
		return 0;
	/* Never leave a handle unrestricted: neuter it, report the failure. */
	saved_errno = errno;
	xs_neuter_fd(&fmem->base, fmem->fd, fmem->privcmd);
	errno = saved_errno;
	return -1;
}

XENSTABLE_EXPORT xenforeignmemory_handle *xenforeignmemory_open(
	struct xentoollog_logger *logger, unsigned open_flags)
{
	xenforeignmemory_handle *fmem = calloc(1, sizeof(*fmem));
	int saved_errno, pending;

	(void)open_flags; /* ignored, as upstream */
	if (!fmem)
		return NULL;
	fmem->fd = -1;
	fmem->pending_domid = -1;
	if (xs_handle_open(&fmem->base, "xenforeignmemory", logger, fmem_restrict_cb) <
	    0) {
		saved_errno = errno;
		free(fmem);
		errno = saved_errno;
		return NULL;
	}
	if (xs_fmem_os_open(fmem) < 0) {
		saved_errno = errno;
		xs_handle_unregister(&fmem->base);
		xs_handle_close(&fmem->base);
		free(fmem);
		errno = saved_errno;
		return NULL;
	}
	/* A restrict_all() between registration and now found no fd. */
	pending = __atomic_load_n(&fmem->pending_domid, __ATOMIC_SEQ_CST);
	if (pending >= 0 && xs_fmem_os_restrict(fmem, (domid_t)pending) < 0)
		xs_neuter_fd(&fmem->base, fmem->fd, fmem->privcmd);
	return fmem;
}

XENSTABLE_EXPORT int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	int rc, saved_errno;

	if (!fmem)
		return 0;
	xs_handle_unregister(&fmem->base);
	rc = xs_fmem_os_close(fmem);
	saved_errno = errno;
	xs_handle_close(&fmem->base);
	free(fmem);
	errno = saved_errno;
	return rc;
}

/* ---- page size ----------------------------------------------------------- */

static int query_pagesize(xenforeignmemory_handle *fmem, size_t *size)
{
	long ps = xs_fmem_os_pagesize(fmem);

	if (ps < 0)
		return -1;
	if (ps == 0) {
		errno = EPROTO;
		return -1;
	}
	__atomic_store_n(&fmem->pagesize, ps, __ATOMIC_RELAXED);
	__atomic_store_n(&fmem->pagesize_state,
			 ps == (long)XEN_PAGE_SIZE ? XS_PAGESIZE_OK
						   : XS_PAGESIZE_MISMATCH,
			 __ATOMIC_RELEASE);
	*size = (size_t)ps;
	return 0;
}

/*
 * Mapping calls: 0 if mapping XEN_PAGE_SIZE units is right (or cannot be
 * checked), -1 with EOPNOTSUPP (logged) if the hypervisor says otherwise.
 */
static int check_pagesize(xenforeignmemory_handle *fmem, const char *op)
{
	int state = __atomic_load_n(&fmem->pagesize_state, __ATOMIC_ACQUIRE);
	int saved_errno = errno;
	size_t ps;

	if (state == XS_PAGESIZE_UNKNOWN) {
		if (query_pagesize(fmem, &ps) < 0) {
			/* e.g. restricted (EPERM): assume 4K as upstream does. */
			xs_log_debug(
				&fmem->base,
				"cannot ask Xen's page size (%s); assuming %lu bytes",
				strerror(errno), XEN_PAGE_SIZE);
			__atomic_store_n(&fmem->pagesize_state, XS_PAGESIZE_OK,
					 __ATOMIC_RELEASE);
		}
		errno = saved_errno;
		state = __atomic_load_n(&fmem->pagesize_state, __ATOMIC_ACQUIRE);
	}
	if (state == XS_PAGESIZE_MISMATCH) {
		xs_log_error(
			&fmem->base, EOPNOTSUPP,
			"%s on %s: the hypervisor's page size is %ld bytes, this library "
			"maps %lu-byte pages",
			op, fmem->privcmd,
			__atomic_load_n(&fmem->pagesize, __ATOMIC_RELAXED),
			XEN_PAGE_SIZE);
		errno = EOPNOTSUPP;
		return -1;
	}
	return 0;
}

XENSTABLE_EXPORT int xenforeignmemory_hypervisor_page_size(xenforeignmemory_handle *fmem,
							   size_t *size)
{
	int state;

	if (!fmem || !size) {
		if (fmem)
			xs_log_op_error(&fmem->base,
					"xenforeignmemory_hypervisor_page_size: "
					"NULL size",
					fmem->privcmd, EINVAL);
		errno = EINVAL;
		return -1;
	}
	state = __atomic_load_n(&fmem->pagesize_state, __ATOMIC_ACQUIRE);
	if (state != XS_PAGESIZE_UNKNOWN) {
		long ps = __atomic_load_n(&fmem->pagesize, __ATOMIC_RELAXED);

		if (ps > 0) {
			*size = (size_t)ps;
			return 0;
		}
	}
	return query_pagesize(fmem, size);
}

/* ---- foreign frames ------------------------------------------------------ */

static int bad_arg(xenforeignmemory_handle *fmem, const char *op, const char *what)
{
	xs_log_error(&fmem->base, EINVAL, "%s on %s: %s", op, fmem->privcmd, what);
	errno = EINVAL;
	return -1;
}

XENSTABLE_EXPORT void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom,
					     void *addr, int prot, int flags,
					     size_t pages, const xen_pfn_t arr[],
					     int err[])
{
	static const char op[] = "xenforeignmemory_map";
	long os_page = sysconf(_SC_PAGESIZE);
	int *errs = err, saved_errno;
	size_t i;
	void *p;

	if (!fmem) {
		errno = EINVAL;
		return NULL;
	}
	if (!pages || pages > XS_FMEM_MAX_PAGES) {
		bad_arg(fmem, op, pages ? "too many pages" : "zero pages");
		return NULL;
	}
	if (!arr) {
		bad_arg(fmem, op, "NULL frame array");
		return NULL;
	}
	if (prot & ~XS_FMEM_PROT_ALL) {
		bad_arg(fmem, op, "unknown prot bits");
		return NULL;
	}
	if (flags & ~XS_FMEM_MAP2_FLAGS) {
		bad_arg(fmem, op, "unsupported mmap flags");
		return NULL;
	}
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    (!addr || (os_page > 0 && ((uintptr_t)addr % (uintptr_t)os_page)))) {
		bad_arg(fmem, op, "MAP_FIXED needs a page-aligned address");
		return NULL;
	}
	if (dom > UINT16_MAX) {
		bad_arg(fmem, op, "domain id out of range");
		return NULL;
	}
	if (check_pagesize(fmem, op) < 0)
		return NULL;

	if (!errs) {
		errs = malloc(pages * sizeof(*errs));
		if (!errs)
			return NULL;
	}
	p = xs_fmem_os_map(fmem, dom, addr, prot, flags, pages, arr, errs);
	if (p && !err) {
		for (i = 0; i < pages; i++) {
			if (errs[i]) {
				saved_errno = -errs[i];
				xs_log_error(
					&fmem->base, saved_errno,
					"%s on %s: frame %zu (gfn 0x%llx) of domain %u "
					"failed, nothing mapped",
					op, fmem->privcmd, i, (unsigned long long)arr[i],
					(unsigned int)dom);
				munmap(p, pages << XEN_PAGE_SHIFT);
				p = NULL;
				errno = saved_errno;
				break;
			}
		}
	}
	if (!err) {
		saved_errno = errno;
		free(errs);
		errno = saved_errno;
	}
	return p;
}

XENSTABLE_EXPORT void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom,
					    int prot, size_t pages, const xen_pfn_t arr[],
					    int err[])
{
	return xenforeignmemory_map2(fmem, dom, NULL, prot, 0, pages, arr, err);
}

XENSTABLE_EXPORT int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr,
					    size_t pages)
{
	static const char op[] = "xenforeignmemory_unmap";
	long os_page = sysconf(_SC_PAGESIZE);

	if (!fmem) {
		errno = EINVAL;
		return -1;
	}
	if (!addr || (os_page > 0 && ((uintptr_t)addr % (uintptr_t)os_page)))
		return bad_arg(fmem, op, "NULL or unaligned address");
	if (!pages || pages > XS_FMEM_MAX_PAGES)
		return bad_arg(fmem, op, pages ? "too many pages" : "zero pages");
	if (munmap(addr, pages << XEN_PAGE_SHIFT) < 0) {
		xs_log_op_error(&fmem->base, "xenforeignmemory_unmap: munmap",
				fmem->privcmd, errno);
		return -1;
	}
	return 0;
}

XENSTABLE_EXPORT int xenforeignmemory_restrict(xenforeignmemory_handle *fmem,
					       domid_t domid)
{
	if (!fmem) {
		errno = EINVAL;
		return -1;
	}
	return xs_fmem_os_restrict(fmem, domid);
}

/* ---- resources ----------------------------------------------------------- */

XENSTABLE_EXPORT xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, domid_t domid, unsigned int type, unsigned int id,
	unsigned long frame, unsigned long nr_frames, void **paddr, int prot, int flags)
{
	static const char op[] = "xenforeignmemory_map_resource";
	xenforeignmemory_resource_handle *fres;
	int saved_errno;

	if (!fmem) {
		errno = EINVAL;
		return NULL;
	}
	if (!paddr) {
		bad_arg(fmem, op, "NULL paddr");
		return NULL;
	}
	if (flags & ~(MAP_SHARED | MAP_PRIVATE)) {
		bad_arg(fmem, op, "flags other than MAP_SHARED/MAP_PRIVATE");
		return NULL;
	}
	if (prot & ~XS_FMEM_PROT_ALL) {
		bad_arg(fmem, op, "unknown prot bits");
		return NULL;
	}
	if (nr_frames > XS_FMEM_MAX_PAGES || frame > UINT32_MAX ||
	    nr_frames > UINT32_MAX - frame) {
		bad_arg(fmem, op, "frame range too large");
		return NULL;
	}
	if (!nr_frames && *paddr) {
		bad_arg(fmem, op, "zero frames");
		return NULL;
	}
	if (nr_frames && check_pagesize(fmem, op) < 0)
		return NULL;

	fres = calloc(1, sizeof(*fres));
	if (!fres)
		return NULL;
	fres->domid = domid;
	fres->type = type;
	fres->id = id;
	fres->frame = frame;
	fres->nr_frames = nr_frames;
	fres->addr = *paddr;
	fres->prot = prot;
	fres->flags = flags;
	if (xs_fmem_os_map_resource(fmem, fres) < 0) {
		saved_errno = errno;
		free(fres);
		errno = saved_errno;
		return NULL;
	}
	*paddr = fres->addr;
	return fres;
}

XENSTABLE_EXPORT int xenforeignmemory_unmap_resource(
	xenforeignmemory_handle *fmem, xenforeignmemory_resource_handle *fres)
{
	int rc = 0, saved_errno;

	if (!fres)
		return 0;
	if (fres->addr && fres->nr_frames &&
	    munmap(fres->addr, (size_t)fres->nr_frames << XEN_PAGE_SHIFT) < 0) {
		saved_errno = errno;
		if (fmem)
			xs_log_op_error(&fmem->base,
					"xenforeignmemory_unmap_resource: munmap",
					fmem->privcmd, errno);
		errno = saved_errno;
		rc = -1;
	}
	saved_errno = errno;
	free(fres);
	errno = saved_errno;
	return rc;
}

XENSTABLE_EXPORT int xenforeignmemory_resource_size(xenforeignmemory_handle *fmem,
						    domid_t domid, unsigned int type,
						    unsigned int id, size_t *size)
{
	xenforeignmemory_resource_handle fres = {
		.domid = domid,
		.type = type,
		.id = id,
	};

	if (!fmem) {
		errno = EINVAL;
		return -1;
	}
	if (!size)
		return bad_arg(fmem, "xenforeignmemory_resource_size", "NULL size");
	if (xs_fmem_os_map_resource(fmem, &fres) < 0)
		return -1;
	if (fres.nr_frames > (SIZE_MAX >> XEN_PAGE_SHIFT)) {
		errno = EOVERFLOW;
		return -1;
	}
	*size = (size_t)fres.nr_frames << XEN_PAGE_SHIFT;
	return 0;
}
