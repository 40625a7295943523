/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxencall, Linux layer: /dev/xen/privcmd (or /proc/xen/privcmd) for
 * hypercalls, /dev/xen/hypercall for hypercall buffers, and locked
 * anonymous memory where that device is missing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compat.h"
#include "xs-fd.h"
#include "xs-log.h"

int xs_call_os_open(xencall_handle *xcall)
{
	xcall->fd = xs_open_privcmd(&xcall->base, &xcall->privcmd);
	if (xcall->fd < 0)
		return -1;

	xcall->buf_fd = xs_open_cloexec(XS_DEV_HYPERCALL, O_RDWR);
	if (xcall->buf_fd < 0) {
		if (!xs_dev_absent(errno)) {
			xs_log_op_error(&xcall->base, "open (hypercall buffer device)",
					XS_DEV_HYPERCALL, errno);
			xs_close_keep_errno(xcall->fd);
			xcall->fd = -1;
			return -1;
		}
		xs_log_debug(&xcall->base,
			     "no %s: hypercall buffers are locked anonymous memory",
			     XS_DEV_HYPERCALL);
		xcall->buf_fd = -1;
	}
	return 0;
}

void xs_call_os_close(xencall_handle *xcall)
{
	if (xcall->buf_fd >= 0)
		close(xcall->buf_fd);
	if (xcall->fd >= 0)
		close(xcall->fd);
	xcall->buf_fd = xcall->fd = -1;
}

long xs_call_os_hypercall(xencall_handle *xcall, unsigned int op, uint64_t a1,
			  uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct privcmd_hypercall call = {
		.op = op,
		.arg = {a1, a2, a3, a4, a5},
	};

	/*
	 * The driver returns a long; glibc's ioctl() would truncate it to
	 * int, syscall() does not.
	 */
	long ret = syscall(SYS_ioctl, xcall->fd, (unsigned long)IOCTL_PRIVCMD_HYPERCALL,
			   &call);

	/*
	 * Hypercall errors are the caller's business and not logged; ENOTTY
	 * is not one Xen gives, it is the driver refusing the ioctl.
	 */
	if (ret < 0 && errno == ENOTTY)
		xs_log_core_ioctl(&xcall->base, ENOTTY,
				  "IOCTL_PRIVCMD_HYPERCALL (op %u) on %s", op,
				  xcall->privcmd);
	return ret;
}

void *xs_call_os_alloc_pages(xencall_handle *xcall, size_t nr_pages)
{
	size_t len = nr_pages << XEN_PAGE_SHIFT, off;
	void *p;

	if (xcall->buf_fd >= 0) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, xcall->buf_fd, 0);
		if (p == MAP_FAILED) {
			xs_log_error(&xcall->base, errno,
				     "alloc_pages: mmap of %zu pages on %s failed",
				     nr_pages, XS_DEV_HYPERCALL);
			return NULL;
		}
		return p;
	}

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (p == MAP_FAILED) {
		xs_log_error(&xcall->base, errno,
			     "alloc_pages: locked anonymous mmap of %zu pages failed "
			     "(no %s; check RLIMIT_MEMLOCK)",
			     nr_pages, XS_DEV_HYPERCALL);
		return NULL;
	}
	/* A fork must not make the pages copy-on-write under a hypercall. */
	if (madvise(p, len, MADV_DONTFORK) < 0) {
		int saved_errno = errno;

		xs_log_error(&xcall->base, errno,
			     "alloc_pages: madvise(MADV_DONTFORK) failed");
		munmap(p, len);
		errno = saved_errno;
		return NULL;
	}
	/* Break any copy-on-write sharing a fork racing with us may have made. */
	for (off = 0; off < len; off += XEN_PAGE_SIZE)
		((volatile char *)p)[off] = 0;
	return p;
}

void xs_call_os_free_pages(xencall_handle *xcall, void *p, size_t nr_pages)
{
	int saved_errno = errno;
	size_t len = nr_pages << XEN_PAGE_SHIFT;

	if (xcall->buf_fd < 0)
		madvise(p, len, MADV_DOFORK);
	munmap(p, len);
	errno = saved_errno;
}

int xs_call_os_restrict(xencall_handle *xcall)
{
	int rc = 0, first_errno = 0;

	/* No kernel restriction exists for raw hypercalls: neuter both fds. */
	if (xcall->buf_fd >= 0 &&
	    xs_neuter_fd(&xcall->base, xcall->buf_fd, XS_DEV_HYPERCALL)) {
		rc = -1;
		first_errno = errno;
	}
	if (xs_neuter_fd(&xcall->base, xcall->fd, xcall->privcmd) && !rc) {
		rc = -1;
		first_errno = errno;
	}
	if (rc)
		errno = first_errno;
	return rc;
}
