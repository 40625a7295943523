/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "xs-log.h"

void xs_log(const struct xs_handle *h, xentoollog_level level, int errnoval,
	    const char *fmt, ...)
{
	va_list al;

	if (!h || !h->logger)
		return;
	va_start(al, fmt);
	xtl_logv(h->logger, level, errnoval, h->lib, fmt, al);
	va_end(al);
}

void xs_log_op_error(const struct xs_handle *h, const char *op, const char *device,
		     int errnoval)
{
	xs_log(h, XTL_ERROR, errnoval, "%s on %s", op, device);
}
