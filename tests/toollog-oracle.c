/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A program written against the upstream xentoollog.h API only. It is
 * built twice by check-toollog-oracle.sh, once against upstream's library
 * and once against ours, and the two outputs must be identical.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <xentoollog.h>

static void session(FILE *out, xentoollog_level min, unsigned flags)
{
	xentoollog_logger_stdiostream *s = xtl_createlogger_stdiostream(out, min, flags);
	xentoollog_logger *l = (xentoollog_logger *)s;
	unsigned long i;

	xtl_log(l, XTL_ERROR, ENOENT, "ctx", "hello %d", 42);
	xtl_log(l, XTL_WARN, -1, NULL, "no context");
	xtl_log(l, XTL_DEBUG, 0, "c", "errno zero");
	xtl_log(l, XTL_DETAIL, -1, "c", "detail");
	for (i = 0; i <= 100; i += 3)
		xtl_progress(l, "ctx", "copying", i, 100);
	xtl_progress(l, "ctx", "copying", 100, 100);
	xtl_log(l, XTL_NOTICE, EIO, "ctx", "between");
	xtl_progress(l, NULL, "second", 1, 7);
	xtl_progress(l, NULL, "second a longer line", 5, 7);
	xtl_progress(l, "x", "third", 2, 7);
	xtl_stdiostream_adjust_flags(s, XTL_STDIOSTREAM_HIDE_PROGRESS, 0);
	xtl_progress(l, "x", "third", 6, 7);
	xtl_stdiostream_adjust_flags(s, 0, XTL_STDIOSTREAM_HIDE_PROGRESS);
	xtl_progress(l, "x", "third", 3, 7);
	xtl_stdiostream_set_minlevel(s, XTL_WARN);
	xtl_log(l, XTL_NOTICE, -1, "x", "dropped");
	xtl_log(l, XTL_CRITICAL, 1, "x", "kept");
	xtl_progress(l, "x", "third", 7, 7);
	xtl_logger_destroy(l);
}

int main(void)
{
	static const unsigned flag_sets[] = {
		XTL_STDIOSTREAM_PROGRESS_NO_CR,
		XTL_STDIOSTREAM_PROGRESS_USE_CR,
		XTL_STDIOSTREAM_PROGRESS_NO_CR | XTL_STDIOSTREAM_HIDE_PROGRESS,
		XTL_STDIOSTREAM_PROGRESS_USE_CR | XTL_STDIOSTREAM_HIDE_PROGRESS,
	};
	static const xentoollog_level levels[] = { XTL_DEBUG, XTL_DETAIL, XTL_PROGRESS, XTL_INFO };
	unsigned f, l;
	int i;

	for (f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
			printf("--- flags %u min %d\n", flag_sets[f], levels[l]);
			fflush(stdout);
			session(stdout, levels[l], flag_sets[f]);
		}
	for (i = 0; i <= XTL_CRITICAL; i++)
		printf("%d %s\n", i, xtl_level_to_string((xentoollog_level)i));
	errno = 0;
	printf("both CR flags: %s errno %d\n",
	       xtl_createlogger_stdiostream(stdout, XTL_DEBUG,
					    XTL_STDIOSTREAM_PROGRESS_USE_CR |
						    XTL_STDIOSTREAM_PROGRESS_NO_CR)
		       ? "logger"
		       : "NULL",
	       errno);
	return 0;
}
