/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live.h - reporting helpers of the live tests that tests/xen/run runs in a
 * real Xen dom0. Every check prints one line
 *	LIVE PASS|FAIL|SKIP <program>: <what>: <details>
 * which dom0's /init counts; a program exits 1 if a check failed.
 */
#ifndef XS_LIVE_H
#define XS_LIVE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int live_failures;
static const char *live_prog = "live";

static inline void live_report(const char *verdict, const char *what, const char *fmt,
			       va_list ap)
{
	printf("LIVE %s %s: %s: ", verdict, live_prog, what);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

/* One check: cond true passes. Returns cond, so callers can stop early. */
__attribute__((format(printf, 3, 4))) static inline int live_check(int cond, const char *what,
								   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	live_report(cond ? "PASS" : "FAIL", what, fmt, ap);
	va_end(ap);
	if (!cond)
		live_failures++;
	return cond;
}

__attribute__((format(printf, 2, 3))) static inline void live_skip(const char *what,
								   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	live_report("SKIP", what, fmt, ap);
	va_end(ap);
}

/* informational line, not counted */
#define live_note(...)                                                                   \
	do {                                                                             \
		printf("  ");                                                            \
		printf(__VA_ARGS__);                                                     \
		putchar('\n');                                                           \
		fflush(stdout);                                                          \
	} while (0)

static inline int live_exit(void)
{
	return live_failures ? 1 : 0;
}

#endif
