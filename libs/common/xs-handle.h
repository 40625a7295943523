/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The part every xenstable handle has in common: logger ownership and
 * registration with libxentoolcore.
 *
 *	open:  xs_handle_open(&h->base, "xencall", logger, restrict_cb);
 *	       ...open fds...
 *	close: xs_handle_unregister(&h->base);   <- before closing fds
 *	       ...close fds...
 *	       xs_handle_close(&h->base);
 */
#ifndef XS_HANDLE_H
#define XS_HANDLE_H

#include <stdbool.h>

#include "xentoollog.h"
#include "xentoolcore_internal.h"

struct xs_handle {
	const char *lib;                  /* log context: "xencall", ... */
	xentoollog_logger *logger;        /* where messages go */
	xentoollog_logger *logger_tofree; /* default logger we made, or NULL */
	Xentoolcore__Active_Handle tc;    /* registry entry */
	bool registered;
};

/*
 * Set up logging (a stderr logger at XTL_PROGRESS if @logger is NULL) and,
 * if @restrict_cb is not NULL, register with libxentoolcore.
 * Returns 0, or -1 with errno (ENOMEM).
 */
int xs_handle_open(struct xs_handle *h, const char *lib, xentoollog_logger *logger,
		   Xentoolcore__Restrict_Callback *restrict_cb);

/* Deregister from libxentoolcore (idempotent). Call before closing fds. */
void xs_handle_unregister(struct xs_handle *h);

/* Deregister if still registered and destroy the default logger. */
void xs_handle_close(struct xs_handle *h);

/* The handle that embeds @ah as `member.tc` (for restrict callbacks). */
#define xs_handle_from_tc(ah, type, member) \
	XS_CONTAINER_OF(XS_CONTAINER_OF(ah, struct xs_handle, tc), type, member)

#endif /* XS_HANDLE_H */
