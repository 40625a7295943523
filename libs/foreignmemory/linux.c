/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenforeignmemory, Linux layer: privcmd mmap + IOCTL_PRIVCMD_MMAPBATCH_V2
 * (V1 on kernels without V2), IOCTL_PRIVCMD_MMAP_RESOURCE and
 * IOCTL_PRIVCMD_RESTRICT.
 *
 * ENOTTY from MMAP_RESOURCE or RESTRICT means "this kernel lacks it"
 * (EOPNOTSUPP), except in a 32-bit process on a 64-bit kernel, which gets
 * ENOTTY for every ioctl (xs-compat.h): there it stays ENOTTY.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/memory.h>
#include <xen/version.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compat.h"
#include "xs-fd.h"
#include "xs-log.h"

int xs_fmem_os_open(xenforeignmemory_handle *fmem)
{
	fmem->fd = xs_open_privcmd(&fmem->base, &fmem->privcmd);
	if (fmem->fd < 0)
		return -1;

	/*
	 * Learn how this privcmd says "no such ioctl": ENOTTY, or EINVAL on
	 * old kernels. It tells a missing MMAP_RESOURCE or RESTRICT apart
	 * from a real failure later.
	 */
	if (ioctl(fmem->fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL) == 0) {
		xs_log_error(&fmem->base, -1,
			     "%s implements an ioctl that must not exist (0x%x); "
			     "refusing to use it",
			     fmem->privcmd, (unsigned int)IOCTL_PRIVCMD_UNIMPLEMENTED);
		close(fmem->fd);
		fmem->fd = -1;
		errno = EPROTO;
		return -1;
	}
	fmem->unimpl_errno = errno;
	errno = 0;
	return 0;
}

int xs_fmem_os_close(xenforeignmemory_handle *fmem)
{
	int rc = 0;

	if (fmem->fd >= 0)
		rc = close(fmem->fd);
	fmem->fd = -1;
	return rc;
}

static void sleep_us(unsigned int us)
{
	struct timespec ts = {.tv_sec = us / 1000000,
			      .tv_nsec = (long)(us % 1000000) * 1000};

	nanosleep(&ts, NULL);
}

static int batch_v2(xenforeignmemory_handle *fmem, uint32_t dom, char *addr,
		    const xen_pfn_t *arr, int *err, size_t num)
{
	struct privcmd_mmapbatch_v2 b = {
		.num = (unsigned int)num,
		.dom = (domid_t)dom,
		.addr = (uint64_t)(uintptr_t)addr,
		.arr = arr,
		.err = err,
	};

	return ioctl(fmem->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &b);
}

static int batch_v1(xenforeignmemory_handle *fmem, uint32_t dom, char *addr,
		    xen_pfn_t *arr, size_t num)
{
	struct privcmd_mmapbatch b = {
		.num = (int)num,
		.dom = (domid_t)dom,
		.addr = (uint64_t)(uintptr_t)addr,
		.arr = arr,
	};

	return ioctl(fmem->fd, IOCTL_PRIVCMD_MMAPBATCH, &b);
}

/* V1 reports errors in the frame numbers: derive err[] for [first, end). */
static bool v1_errors(const xen_pfn_t *arr, const xen_pfn_t *scratch, int *err,
		      size_t first, size_t end)
{
	bool paged = false;
	size_t i;

	for (i = first; i < end; i++) {
		xen_pfn_t diff = scratch[i] ^ arr[i];

		if (!diff) {
			err[i] = 0;
		} else if (diff == PRIVCMD_MMAPBATCH_PAGED_ERROR) {
			err[i] = -ENOENT;
			paged = true;
		} else {
			err[i] = -EINVAL; /* V1 does not say which error */
		}
	}
	return paged;
}

/*
 * Retry the runs of err[] == -ENOENT (paged-out frames) into the holes they
 * left in the mapping at @base, with a bounded back-off. Returns 0 (frames
 * still paged out at the end keep -ENOENT), or -1 with errno on a fatal
 * error.
 */
static int retry_paged(xenforeignmemory_handle *fmem, uint32_t dom, char *base,
		       const xen_pfn_t *arr, xen_pfn_t *scratch, int *err, size_t pages)
{
	unsigned int delay = XS_FMEM_PAGED_DELAY_MIN_US, round;
	size_t i, j, left = 0;
	int rc;

	for (round = 0; round < XS_FMEM_PAGED_ROUNDS; round++) {
		sleep_us(delay);
		if (delay < XS_FMEM_PAGED_DELAY_MAX_US)
			delay = delay * 2 < XS_FMEM_PAGED_DELAY_MAX_US
					? delay * 2
					: XS_FMEM_PAGED_DELAY_MAX_US;
		left = 0;
		for (i = 0; i < pages; i = j) {
			if (err[i] != -ENOENT) {
				j = i + 1;
				continue;
			}
			for (j = i; j < pages && err[j] == -ENOENT; j++)
				;
			if (!scratch) {
				rc = batch_v2(fmem, dom, base + (i << XEN_PAGE_SHIFT),
					      arr + i, err + i, j - i);
			} else {
				memcpy(scratch + i, arr + i, (j - i) * sizeof(*scratch));
				rc = batch_v1(fmem, dom, base + (i << XEN_PAGE_SHIFT),
					      scratch + i, j - i);
				if (rc == 0 || errno == ENOENT)
					v1_errors(arr, scratch, err, i, j);
			}
			if (rc < 0 && errno != ENOENT)
				return -1;
			for (; i < j; i++)
				left += err[i] == -ENOENT;
		}
		if (!left)
			return 0;
	}
	xs_log(&fmem->base, XTL_WARN, ENOENT,
	       "%zu frame(s) of domain %u still paged out after %u retries on %s", left,
	       (unsigned int)dom, XS_FMEM_PAGED_ROUNDS, fmem->privcmd);
	return 0;
}

/* IOCTL_PRIVCMD_MMAPBATCH (Linux before 3.7). */
static int map_v1(xenforeignmemory_handle *fmem, uint32_t dom, char *base,
		  const xen_pfn_t *arr, int *err, size_t pages)
{
	xen_pfn_t *scratch;
	int rc, saved_errno;

	if (pages > SIZE_MAX / sizeof(*scratch)) {
		errno = ENOMEM;
		return -1;
	}
	scratch = malloc(pages * sizeof(*scratch));
	if (!scratch)
		return -1;
	memcpy(scratch, arr, pages * sizeof(*scratch));
	rc = batch_v1(fmem, dom, base, scratch, pages);
	if (rc < 0 && errno != ENOENT) {
		saved_errno = errno;
		xs_log_core_ioctl(&fmem->base, errno, "IOCTL_PRIVCMD_MMAPBATCH on %s",
				  fmem->privcmd);
		free(scratch);
		errno = saved_errno;
		return -1;
	}
	rc = 0;
	if (v1_errors(arr, scratch, err, 0, pages)) {
		rc = retry_paged(fmem, dom, base, arr, scratch, err, pages);
		if (rc < 0)
			xs_log_op_error(&fmem->base,
					"IOCTL_PRIVCMD_MMAPBATCH (paged retry)",
					fmem->privcmd, errno);
	}
	saved_errno = errno;
	free(scratch);
	errno = saved_errno;
	return rc;
}

void *xs_fmem_os_map(xenforeignmemory_handle *fmem, uint32_t dom, void *addr, int prot,
		     int flags, size_t pages, const xen_pfn_t arr[], int err[])
{
	size_t len = pages << XEN_PAGE_SHIFT;
	int rc, saved_errno;
	char *p;

	p = mmap(addr, len, prot, flags | MAP_SHARED, fmem->fd, 0);
	if (p == MAP_FAILED) {
		xs_log_error(&fmem->base, errno, "mmap of %zu pages on %s failed", pages,
			     fmem->privcmd);
		return NULL;
	}

	rc = batch_v2(fmem, dom, p, arr, err, pages);
	if (rc < 0 && errno == ENOENT) {
		rc = retry_paged(fmem, dom, p, arr, NULL, err, pages);
		if (rc < 0)
			xs_log_op_error(&fmem->base,
					"IOCTL_PRIVCMD_MMAPBATCH_V2 (paged retry)",
					fmem->privcmd, errno);
	} else if (rc < 0 && ((errno == EINVAL && fmem->unimpl_errno == EINVAL) ||
			      errno == ENOTTY)) {
		/*
		 * No V2 (Linux < 3.7). Such kernels answer every unknown
		 * ioctl with EINVAL; where they say ENOTTY instead, an EINVAL
		 * from V2 is a real one (upstream retries V1 anyway).
		 */
		rc = map_v1(fmem, dom, p, arr, err, pages);
	} else if (rc < 0) {
		xs_log_op_error(&fmem->base, "IOCTL_PRIVCMD_MMAPBATCH_V2", fmem->privcmd,
				errno);
	}
	if (rc < 0) {
		saved_errno = errno;
		munmap(p, len);
		errno = saved_errno;
		return NULL;
	}
	return p;
}

/* errno of a failed ioctl, EOPNOTSUPP if it means "no such ioctl". */
static int unimplemented_to_eopnotsupp(xenforeignmemory_handle *fmem, int e)
{
	if (xs_enotty_is_compat(e))
		return e;
	return e == fmem->unimpl_errno || e == ENOTTY ? EOPNOTSUPP : e;
}

int xs_fmem_os_restrict(xenforeignmemory_handle *fmem, domid_t domid)
{
	int e;

	if (ioctl(fmem->fd, IOCTL_PRIVCMD_RESTRICT, &domid) == 0) {
		fmem->restricted = true;
		fmem->restricted_domid = domid;
		return 0;
	}
	e = errno;
	/* Once restricted, EINVAL is "another domid", never "no ioctl". */
	if (!(fmem->restricted && e == EINVAL))
		e = unimplemented_to_eopnotsupp(fmem, e);
	if (e == EOPNOTSUPP)
		xs_log_error(
			&fmem->base, errno,
			"IOCTL_PRIVCMD_RESTRICT to domain %u on %s: the kernel cannot "
			"restrict privcmd, failing with EOPNOTSUPP",
			(unsigned int)domid, fmem->privcmd);
	else
		xs_log_optional_ioctl(&fmem->base, XTL_ERROR, e,
				      "IOCTL_PRIVCMD_RESTRICT to domain %u on %s",
				      (unsigned int)domid, fmem->privcmd);
	errno = e;
	return -1;
}

/*
 * XENMEM_acquire_resource size query through a raw hypercall. Returns 0
 * with fres->nr_frames set, or -1 with errno: EOPNOTSUPP where the
 * question cannot be asked (restricted fd: EPERM; no such hypercall),
 * otherwise Xen's answer.
 */
static int size_by_hypercall(xenforeignmemory_handle *fmem,
			     xenforeignmemory_resource_handle *fres)
{
	xen_mem_acquire_resource_t *xmar;
	struct privcmd_hypercall call = {
		.op = __HYPERVISOR_memory_op,
		.arg = {XENMEM_acquire_resource, 0},
	};
	int rc, saved_errno;

	/* Xen reads the argument from memory that must not fault: lock it. */
	xmar = mmap(NULL, XEN_PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (xmar == MAP_FAILED)
		return -1;
	xmar->domid = fres->domid;
	xmar->type = (uint16_t)fres->type;
	xmar->id = fres->id;
	call.arg[1] = (uint64_t)(uintptr_t)xmar;
	rc = ioctl(fmem->fd, IOCTL_PRIVCMD_HYPERCALL, &call);
	if (rc == 0)
		fres->nr_frames = xmar->nr_frames;
	saved_errno = errno;
	munmap(xmar, XEN_PAGE_SIZE);
	if (rc < 0) {
		if (saved_errno == EPERM || saved_errno == ENOSYS ||
		    saved_errno == ENOTTY)
			saved_errno = EOPNOTSUPP;
		errno = saved_errno;
		return -1;
	}
	return 0;
}

int xs_fmem_os_map_resource(xenforeignmemory_handle *fmem,
			    xenforeignmemory_resource_handle *fres)
{
	struct privcmd_mmap_resource mr = {
		.dom = fres->domid,
		.type = fres->type,
		.id = fres->id,
		.idx = (uint32_t)fres->frame,
		.num = fres->nr_frames,
	};
	size_t len = (size_t)fres->nr_frames << XEN_PAGE_SHIFT;
	bool query = !fres->addr && !fres->nr_frames;
	void *p = NULL;
	int e;

	if (!query) {
		p = mmap(fres->addr, len, fres->prot, MAP_SHARED, fmem->fd, 0);
		if (p == MAP_FAILED) {
			xs_log_error(&fmem->base, errno,
				     "mmap of %lu resource frames on %s failed",
				     fres->nr_frames, fmem->privcmd);
			return -1;
		}
		mr.addr = (uint64_t)(uintptr_t)p;
	}
	if (ioctl(fmem->fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &mr) < 0) {
		e = unimplemented_to_eopnotsupp(fmem, errno);
		/*
		 * A kernel with MMAP_RESOURCE but without its size query
		 * (before Linux 5.11) looks for a VMA at address 0: EINVAL.
		 * Ask Xen directly then, as upstream's first implementation
		 * did.
		 */
		if (query && e == EINVAL && size_by_hypercall(fmem, fres) == 0)
			return 0;
		if (query && e == EINVAL)
			e = errno;
		/* EOPNOTSUPP is an expected answer (QEMU falls back on it). */
		xs_log_optional_ioctl(
			&fmem->base, e == EOPNOTSUPP ? XTL_DETAIL : XTL_ERROR, e,
			"IOCTL_PRIVCMD_MMAP_RESOURCE%s (domain %u type %u id %u "
			"frames %lu+%lu) on %s",
			query ? " size query" : "", (unsigned int)fres->domid, fres->type,
			fres->id, fres->frame, fres->nr_frames, fmem->privcmd);
		if (p)
			munmap(p, len);
		errno = e;
		return -1;
	}
	if (query)
		fres->nr_frames = (unsigned long)mr.num;
	else
		fres->addr = p;
	return 0;
}

long xs_fmem_os_pagesize(xenforeignmemory_handle *fmem)
{
	struct privcmd_hypercall call = {
		.op = __HYPERVISOR_xen_version,
		.arg = {XENVER_pagesize, 0},
	};

	return ioctl(fmem->fd, IOCTL_PRIVCMD_HYPERCALL, &call);
}
