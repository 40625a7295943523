/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "xs-compat.h"
#include "xs-handle.h"

int xs_handle_open(struct xs_handle *h, const char *lib, xentoollog_logger *logger,
		   Xentoolcore__Restrict_Callback *restrict_cb)
{
	h->lib = lib;
	h->logger = logger;
	h->logger_tofree = NULL;
	h->registered = false;
	if (!logger) {
		xentoollog_logger_stdiostream *def =
			xtl_createlogger_stdiostream(stderr, XTL_PROGRESS, 0);

		if (!def)
			return -1;
		h->logger = h->logger_tofree = (xentoollog_logger *)def;
	}
	xs_warn_compat(h);
	if (restrict_cb) {
		h->tc.restrict_callback = restrict_cb;
		xentoolcore__register_active_handle(&h->tc);
		h->registered = true;
	}
	return 0;
}

void xs_handle_unregister(struct xs_handle *h)
{
	if (h->registered) {
		xentoolcore__deregister_active_handle(&h->tc);
		h->registered = false;
	}
}

void xs_handle_close(struct xs_handle *h)
{
	int saved_errno = errno;

	xs_handle_unregister(h);
	xtl_logger_destroy(h->logger_tofree);
	h->logger = h->logger_tofree = NULL;
	errno = saved_errno;
}
