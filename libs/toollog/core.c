/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoollog: the logger-independent entry points.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>

#include "xs-compiler.h"
#include "xentoollog.h"

static int level_is_valid(xentoollog_level level)
{
	return level > XTL_NONE && level < XTL_NUM_LEVELS;
}

XENSTABLE_EXPORT void xtl_logv(struct xentoollog_logger *logger,
			       xentoollog_level level, int errnoval,
			       const char *context, const char *format, va_list al)
{
	int saved_errno = errno;

	/* Upstream asserts here; a bad level or logger is dropped instead. */
	if (logger && logger->vmessage && level_is_valid(level) && format)
		logger->vmessage(logger, level, errnoval, context, format, al);
	errno = saved_errno;
}

XENSTABLE_EXPORT void xtl_log(struct xentoollog_logger *logger,
			      xentoollog_level level, int errnoval,
			      const char *context, const char *format, ...)
{
	va_list al;

	va_start(al, format);
	xtl_logv(logger, level, errnoval, context, format, al);
	va_end(al);
}

/*
 * done * 100 / total. For large totals, upstream divides done by total/100
 * rounded up; we do the same, but round up without wrapping, where
 * upstream's (total + 99) / 100 wraps to zero and divides by it.
 */
static int progress_percent(unsigned long done, unsigned long total)
{
	unsigned long per_cent;

	if (!total)
		return 0;
	if (total < LONG_MAX / 100)
		return (int)(done * 100 / total);
	per_cent = total / 100 + (total % 100 != 0);
	return (int)(done / per_cent);
}

XENSTABLE_EXPORT void xtl_progress(struct xentoollog_logger *logger,
				   const char *context, const char *doing_what,
				   unsigned long done, unsigned long total)
{
	int saved_errno = errno;

	if (logger && logger->progress)
		logger->progress(logger, context, doing_what,
				 progress_percent(done, total), done, total);
	errno = saved_errno;
}

XENSTABLE_EXPORT void xtl_logger_destroy(struct xentoollog_logger *logger)
{
	if (logger && logger->destroy)
		logger->destroy(logger);
}

XENSTABLE_EXPORT const char *xtl_level_to_string(xentoollog_level level)
{
	static const char *const names[XTL_NUM_LEVELS] = {
		[XTL_NONE] = "[BUG:XTL_NONE]",
		[XTL_DEBUG] = "debug",
		[XTL_VERBOSE] = "verbose",
		[XTL_DETAIL] = "detail",
		[XTL_PROGRESS] = "progress",
		[XTL_INFO] = "info",
		[XTL_NOTICE] = "notice",
		[XTL_WARN] = "warning",
		[XTL_ERROR] = "error",
		[XTL_CRITICAL] = "critical",
	};

	if ((unsigned)level >= XTL_NUM_LEVELS)
		return "[BUG:invalid level]";
	return names[level];
}
