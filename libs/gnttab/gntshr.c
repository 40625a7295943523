/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab: the gntshr (grant-sharing) half of the API. Handles and
 * the mapping table are shared with gnttab (core.c); the device is driven
 * by the OS layer (linux.c).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "private.h"
#include "xs-compiler.h"
#include "xs-log.h"

XENSTABLE_EXPORT xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger,
						  unsigned int open_flags)
{
	return xs_gnt_open(logger, open_flags, XS_GNT_SHR);
}

XENSTABLE_EXPORT int xengntshr_close(xengntshr_handle *xgs)
{
	return xs_gnt_close(xgs);
}

XENSTABLE_EXPORT int xengntshr_fd(xengntshr_handle *xgs)
{
	if (xs_gnt_check_any(xgs, XS_GNT_SHR, "xengntshr_fd") < 0)
		return -1;
	return xgs->fd;
}

static void *gntshr_share(xengntshr_handle *h, const char *fn, uint32_t domid, uint32_t count,
			  uint32_t *refs, int writable, uint32_t notify_offset,
			  evtchn_port_t notify_port)
{
	uint64_t index;
	void *addr;

	if (!refs) {
		xs_gnt_bad_arg(h, fn, "NULL refs");
		return NULL;
	}
	if (domid > XS_GNT_DOMID_MAX) {
		xs_gnt_bad_arg(h, fn, "domain %u is out of range", domid);
		return NULL;
	}
	if (notify_offset != XS_GNT_NO_NOTIFY && notify_offset >= XEN_PAGE_SIZE) {
		xs_gnt_bad_arg(h, fn, "notify offset %u is beyond the page", notify_offset);
		return NULL;
	}
	addr = xs_gntalloc_os_share(h, domid, count, refs, writable != 0, notify_offset,
				    notify_port, &index);
	if (!addr)
		return NULL;
	if (xs_gnt_table_add(h, addr, count, index) < 0) {
		struct xs_gnt_mapping m = { .addr = addr, .count = count, .index = index };
		int err = errno;

		xs_gntalloc_os_unshare(h, &m);
		errno = err;
		return NULL;
	}
	return addr;
}

XENSTABLE_EXPORT void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count,
					     uint32_t *refs, int writable)
{
	static const char fn[] = "xengntshr_share_pages";

	if (xs_gnt_check(xgs, XS_GNT_SHR, fn) < 0)
		return NULL;
	if (count <= 0 || !xs_gnt_count_ok((uint64_t)count)) {
		xs_gnt_bad_arg(xgs, fn, "count %d is out of range", count);
		return NULL;
	}
	return gntshr_share(xgs, fn, domid, (uint32_t)count, refs, writable, XS_GNT_NO_NOTIFY,
			    XS_GNT_NO_NOTIFY);
}

XENSTABLE_EXPORT void *xengntshr_share_page_notify(xengntshr_handle *xgs, uint32_t domid,
						   uint32_t *ref, int writable,
						   uint32_t notify_offset,
						   evtchn_port_t notify_port)
{
	static const char fn[] = "xengntshr_share_page_notify";

	if (xs_gnt_check(xgs, XS_GNT_SHR, fn) < 0)
		return NULL;
	return gntshr_share(xgs, fn, domid, 1, ref, writable, notify_offset, notify_port);
}

XENSTABLE_EXPORT int xengntshr_unshare(xengntshr_handle *xgs, void *start_address,
				       uint32_t count)
{
	static const char fn[] = "xengntshr_unshare";
	struct xs_gnt_mapping m;

	if (xs_gnt_check_any(xgs, XS_GNT_SHR, fn) < 0)
		return -1;
	if (!start_address)
		return xs_gnt_bad_arg(xgs, fn, "NULL address");
	if (count == 0)
		return xs_gnt_bad_arg(xgs, fn, "count 0");
	if (xs_gnt_table_take(xgs, fn, start_address, count, &m) < 0)
		return -1;
	return xs_gntalloc_os_unshare(xgs, &m);
}
