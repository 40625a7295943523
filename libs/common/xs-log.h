/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Logging helpers: one clear line through a handle's xentoollog_logger,
 * naming the library (as the context), the operation, the device and the
 * errno text, e.g.
 *   xenforeignmemory: error: IOCTL_PRIVCMD_MMAPBATCH_V2 on /dev/xen/privcmd: Invalid argument
 */
#ifndef XS_LOG_H
#define XS_LOG_H

#include "xentoollog.h"
#include "xs-compiler.h"
#include "xs-handle.h"

/* Log @fmt at @level; @errnoval >= 0 appends its text. errno is preserved. */
void xs_log(const struct xs_handle *h, xentoollog_level level, int errnoval,
	    const char *fmt, ...) XS_PRINTF(4, 5);

#define xs_log_error(h, errnoval, ...) xs_log((h), XTL_ERROR, (errnoval), __VA_ARGS__)
#define xs_log_debug(h, ...) xs_log((h), XTL_DEBUG, -1, __VA_ARGS__)

/* "<op> on <device>: <strerror(errnoval)>" at XTL_ERROR. errno is preserved. */
void xs_log_op_error(const struct xs_handle *h, const char *op,
		     const char *device, int errnoval);

#endif /* XS_LOG_H */
