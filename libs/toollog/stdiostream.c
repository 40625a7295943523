/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoollog: the stdio stream logger.
 *
 * Output format (observable, and tested byte for byte against upstream):
 *   [YYYY-MM-DD HH:MM:SS TZ ][[pid] ][context: ]level: message[: strerror]\n
 * Progress is either an ordinary message "what: done/total  pct%" at level
 * detail (small steps) or progress, or, in CR mode, one line rewritten in
 * place with \r, padded with spaces over the previous line.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xs-compiler.h"
#include "xentoollog.h"

#define PROGRESS_STEP 5 /* smaller rises in percent are only "detail" */

struct xentoollog_logger_stdiostream {
	xentoollog_logger vtable; /* must be first */
	FILE *f;
	xentoollog_level min_level;
	unsigned flags;
	bool use_cr;        /* decided once, at creation */
	int progress_len;   /* length of the last CR progress line, 0 if none */
	int progress_last_percent;
};

static struct xentoollog_logger_stdiostream *to_stdio(xentoollog_logger *logger)
{
	return XS_CONTAINER_OF(logger, struct xentoollog_logger_stdiostream, vtable);
}

/* Blank out a CR progress line (the length is remembered, not reset). */
static void progress_erase(struct xentoollog_logger_stdiostream *lg)
{
	if (lg->progress_len)
		fprintf(lg->f, "\r%*s\r", lg->progress_len, "");
}

static void write_date(FILE *f)
{
	struct tm tm;
	time_t now = time(NULL);

	if (!localtime_r(&now, &tm)) {
		fprintf(f, "[localtime_r failed: %d] ", errno);
		return;
	}
	fprintf(f, "%04d-%02d-%02d %02d:%02d:%02d %s ", tm.tm_year + 1900,
		tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		tzname[tm.tm_isdst > 0]);
}

XS_PRINTF(5, 0)
static void stdiostream_vmessage(xentoollog_logger *logger, xentoollog_level level,
				 int errnoval, const char *context,
				 const char *format, va_list al)
{
	struct xentoollog_logger_stdiostream *lg = to_stdio(logger);

	if (level < lg->min_level)
		return;

	progress_erase(lg);
	if (lg->flags & XTL_STDIOSTREAM_SHOW_DATE)
		write_date(lg->f);
	if (lg->flags & XTL_STDIOSTREAM_SHOW_PID)
		fprintf(lg->f, "[%lu] ", (unsigned long)getpid());
	if (context)
		fprintf(lg->f, "%s: ", context);
	fprintf(lg->f, "%s: ", xtl_level_to_string(level));
	vfprintf(lg->f, format, al);
	if (errnoval >= 0)
		fprintf(lg->f, ": %s", strerror(errnoval));
	putc('\n', lg->f);
	fflush(lg->f);
}

XS_PRINTF(5, 6)
static void stdiostream_message(xentoollog_logger *logger, xentoollog_level level,
				int errnoval, const char *context,
				const char *format, ...)
{
	va_list al;

	va_start(al, format);
	stdiostream_vmessage(logger, level, errnoval, context, format, al);
	va_end(al);
}

static void stdiostream_progress(xentoollog_logger *logger, const char *context,
				 const char *doing_what, int percent,
				 unsigned long done, unsigned long total)
{
	struct xentoollog_logger_stdiostream *lg = to_stdio(logger);
	xentoollog_level level;
	int len;

	if (lg->flags & XTL_STDIOSTREAM_HIDE_PROGRESS)
		return;
	if (percent == lg->progress_last_percent)
		return;
	if (percent > lg->progress_last_percent &&
	    percent < lg->progress_last_percent + PROGRESS_STEP)
		level = XTL_DETAIL;
	else
		level = XTL_PROGRESS;
	if (level < lg->min_level)
		return;
	lg->progress_last_percent = percent;

	if (!lg->use_cr) {
		stdiostream_message(logger, level, -1, context, "%s: %lu/%lu  %3d%%",
				    doing_what, done, total, percent);
		return;
	}

	if (lg->progress_len)
		putc('\r', lg->f);
	len = fprintf(lg->f, "%s%s%s: %lu/%lu  %3d%%%s", context ? context : "",
		      context ? ": " : "", doing_what, done, total, percent,
		      done == total ? "\n" : "");
	if (len < 0)
		len = 0;
	if (len < lg->progress_len)
		fprintf(lg->f, "%*s\r", lg->progress_len - len, "");
	lg->progress_len = len;
	fflush(lg->f);
}

static void stdiostream_destroy(xentoollog_logger *logger)
{
	struct xentoollog_logger_stdiostream *lg = to_stdio(logger);

	progress_erase(lg);
	fflush(lg->f);
	free(lg);
}

XENSTABLE_EXPORT xentoollog_logger_stdiostream *
xtl_createlogger_stdiostream(FILE *f, xentoollog_level min_level, unsigned flags)
{
	struct xentoollog_logger_stdiostream *lg;

	if (!f || ((flags & XTL_STDIOSTREAM_PROGRESS_USE_CR) &&
		   (flags & XTL_STDIOSTREAM_PROGRESS_NO_CR))) {
		errno = EINVAL;
		return NULL;
	}

	lg = calloc(1, sizeof(*lg));
	if (!lg) {
		fprintf(f, "xtl: critical: failed to allocate memory for new message logger: %s\n",
			strerror(errno));
		return NULL;
	}
	lg->vtable.vmessage = stdiostream_vmessage;
	lg->vtable.progress = stdiostream_progress;
	lg->vtable.destroy = stdiostream_destroy;
	lg->f = f;
	lg->min_level = min_level;
	lg->flags = flags;
	if (flags & XTL_STDIOSTREAM_PROGRESS_USE_CR)
		lg->use_cr = true;
	else if (!(flags & XTL_STDIOSTREAM_PROGRESS_NO_CR))
		lg->use_cr = isatty(fileno(f));
	if (flags & XTL_STDIOSTREAM_SHOW_DATE)
		tzset();
	return lg;
}

XENSTABLE_EXPORT void xtl_stdiostream_set_minlevel(xentoollog_logger_stdiostream *lg,
						   xentoollog_level min_level)
{
	if (lg)
		lg->min_level = min_level;
}

XENSTABLE_EXPORT void xtl_stdiostream_adjust_flags(xentoollog_logger_stdiostream *lg,
						   unsigned set_flags,
						   unsigned clear_flags)
{
	if (!lg)
		return;
	lg->flags = (lg->flags & ~clear_flags) | set_flags;
	if (lg->flags & XTL_STDIOSTREAM_HIDE_PROGRESS) {
		progress_erase(lg);
		fflush(lg->f);
	}
}
