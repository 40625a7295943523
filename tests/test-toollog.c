/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoollog: levels, message format, flags, progress (both styles),
 * destroy. Expected text was established by running the same calls
 * against upstream's library (see tests/check-toollog-oracle.sh, which
 * keeps that comparison running).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xentoollog.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->f);
}

static const char *cap_text(struct capture *c)
{
	fflush(c->f);
	return c->buf;
}

static void cap_close(struct capture *c)
{
	fclose(c->f);
	free(c->buf);
}

static xentoollog_logger_stdiostream *new_logger(struct capture *c,
						 xentoollog_level min, unsigned flags)
{
	xentoollog_logger_stdiostream *l;

	cap_open(c);
	l = xtl_createlogger_stdiostream(c->f, min, flags);
	ck_assert_ptr_nonnull(l);
	return l;
}

#define LG(l) ((xentoollog_logger *)(l))

START_TEST(level_names)
{
	static const char *const want[] = {
		"[BUG:XTL_NONE]", "debug", "verbose", "detail",  "progress",
		"info",           "notice", "warning", "error", "critical",
	};
	int i;

	ck_assert_int_eq(XTL_NUM_LEVELS, 10);
	for (i = XTL_NONE; i < XTL_NUM_LEVELS; i++)
		ck_assert_str_eq(xtl_level_to_string((xentoollog_level)i), want[i]);
	/* Out of range: upstream asserts; we name the bug instead. */
	ck_assert_str_eq(xtl_level_to_string(XTL_NUM_LEVELS), "[BUG:invalid level]");
	ck_assert_str_eq(xtl_level_to_string((xentoollog_level)-1), "[BUG:invalid level]");
}
END_TEST

START_TEST(message_format)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_DEBUG,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	xtl_log(LG(l), XTL_ERROR, ENOENT, "ctx", "hello %d", 42);
	xtl_log(LG(l), XTL_WARN, -1, NULL, "no context");
	xtl_log(LG(l), XTL_DEBUG, 0, "c", "errno zero");
	xtl_log(LG(l), XTL_INFO, -5, "c", "negative errno");
	xtl_log(LG(l), XTL_CRITICAL, EIO, "c", "%s|%5.2f|%lu", "s", 1.5, 7UL);
	ck_assert_str_eq(cap_text(&c),
			 "ctx: error: hello 42: No such file or directory\n"
			 "warning: no context\n"
			 "c: debug: errno zero: Success\n"
			 "c: info: negative errno\n"
			 "c: critical: s| 1.50|7: Input/output error\n");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(min_level)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_NOTICE,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	xtl_log(LG(l), XTL_INFO, -1, "c", "dropped");
	xtl_log(LG(l), XTL_NOTICE, -1, "c", "kept");
	xtl_stdiostream_set_minlevel(l, XTL_DEBUG);
	xtl_log(LG(l), XTL_DEBUG, -1, "c", "now kept");
	xtl_stdiostream_set_minlevel(l, XTL_CRITICAL);
	xtl_log(LG(l), XTL_ERROR, -1, "c", "dropped again");
	ck_assert_str_eq(cap_text(&c), "c: notice: kept\nc: debug: now kept\n");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(invalid_level_is_dropped)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_NONE,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	xtl_log(LG(l), XTL_NONE, -1, "c", "none");
	xtl_log(LG(l), XTL_NUM_LEVELS, -1, "c", "too big");
	ck_assert_str_eq(cap_text(&c), "");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(show_pid)
{
	struct capture c;
	char want[64];
	xentoollog_logger_stdiostream *l = new_logger(
		&c, XTL_DEBUG, XTL_STDIOSTREAM_PROGRESS_NO_CR | XTL_STDIOSTREAM_SHOW_PID);

	xtl_log(LG(l), XTL_ERROR, EPERM, "ctx", "pid");
	snprintf(want, sizeof(want), "[%lu] ctx: error: pid: Operation not permitted\n",
		 (unsigned long)getpid());
	ck_assert_str_eq(cap_text(&c), want);
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(show_date)
{
	struct capture c;
	regex_t re;
	xentoollog_logger_stdiostream *l;

	setenv("TZ", "UTC", 1);
	l = new_logger(&c, XTL_DEBUG,
		       XTL_STDIOSTREAM_PROGRESS_NO_CR | XTL_STDIOSTREAM_SHOW_DATE |
			       XTL_STDIOSTREAM_SHOW_PID);
	xtl_log(LG(l), XTL_ERROR, -1, "ctx", "date");
	ck_assert_int_eq(regcomp(&re,
				 "^[0-9]{4}-[01][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] "
				 "UTC \\[[0-9]+\\] ctx: error: date\n$",
				 REG_EXTENDED),
			 0);
	ck_assert_msg(regexec(&re, cap_text(&c), 0, NULL, 0) == 0, "got \"%s\"", cap_text(&c));
	regfree(&re);
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(both_cr_flags_rejected)
{
	errno = 0;
	ck_assert_ptr_null(xtl_createlogger_stdiostream(
		stderr, XTL_DEBUG,
		XTL_STDIOSTREAM_PROGRESS_USE_CR | XTL_STDIOSTREAM_PROGRESS_NO_CR));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xtl_createlogger_stdiostream(NULL, XTL_DEBUG, 0));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(errno_preserved)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_DEBUG,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	errno = 1234;
	xtl_log(LG(l), XTL_ERROR, EPERM, "ctx", "x");
	ck_assert_int_eq(errno, 1234);
	xtl_progress(LG(l), "ctx", "p", 50, 100);
	ck_assert_int_eq(errno, 1234);
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(progress_plain)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_DEBUG,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	xtl_progress(LG(l), "ctx", "copying", 0, 100);  /* unchanged: 0% */
	xtl_progress(LG(l), "ctx", "copying", 2, 100);  /* +2: detail */
	xtl_progress(LG(l), "ctx", "copying", 7, 100);  /* +5: progress */
	xtl_progress(LG(l), "ctx", "copying", 50, 100); /* progress */
	xtl_progress(LG(l), "ctx", "copying", 50, 100); /* unchanged */
	xtl_progress(LG(l), "ctx", "copying", 10, 100); /* down: progress */
	xtl_progress(LG(l), "ctx", "copying", 100, 100);
	xtl_progress(LG(l), "ctx", "other", 100, 100); /* same percent: ignored */
	xtl_progress(LG(l), NULL, "other", 0, 0);      /* total 0 -> 0% */
	ck_assert_str_eq(cap_text(&c),
			 "ctx: detail: copying: 2/100    2%\n"
			 "ctx: progress: copying: 7/100    7%\n"
			 "ctx: progress: copying: 50/100   50%\n"
			 "ctx: progress: copying: 10/100   10%\n"
			 "ctx: progress: copying: 100/100  100%\n"
			 "progress: other: 0/0    0%\n");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(progress_plain_levels)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_PROGRESS,
						      XTL_STDIOSTREAM_PROGRESS_NO_CR);

	xtl_progress(LG(l), "c", "p", 3, 100); /* detail: dropped, not remembered */
	xtl_progress(LG(l), "c", "p", 6, 100); /* +6 from 0: progress */
	xtl_progress(LG(l), "c", "p", 50, 100);
	xtl_stdiostream_adjust_flags(l, XTL_STDIOSTREAM_HIDE_PROGRESS, 0);
	xtl_progress(LG(l), "c", "p", 80, 100); /* hidden, not remembered */
	xtl_stdiostream_adjust_flags(l, 0, XTL_STDIOSTREAM_HIDE_PROGRESS);
	xtl_progress(LG(l), "c", "p", 81, 100); /* +31 from 50 */
	ck_assert_str_eq(cap_text(&c),
			 "c: progress: p: 6/100    6%\n"
			 "c: progress: p: 50/100   50%\n"
			 "c: progress: p: 81/100   81%\n");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(progress_cr)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_DEBUG,
						      XTL_STDIOSTREAM_PROGRESS_USE_CR);

	xtl_progress(LG(l), "ctx", "copying", 0, 100);
	xtl_progress(LG(l), "ctx", "copying", 1, 100);
	xtl_progress(LG(l), "ctx", "copying", 31, 100);
	xtl_log(LG(l), XTL_ERROR, EIO, "ctx", "msg1");
	xtl_log(LG(l), XTL_ERROR, EIO, "ctx", "msg2");
	xtl_progress(LG(l), "ctx", "copying", 100, 100);
	xtl_progress(LG(l), "ctx", "x", 5, 10);
	xtl_progress(LG(l), "ctx", "longer name here", 6, 10);
	xtl_progress(LG(l), NULL, "y", 7, 10);
	ck_assert_str_eq(cap_text(&c),
			 "ctx: copying: 1/100    1%"
			 "\rctx: copying: 31/100   31%"
			 "\r                          \rctx: error: msg1: Input/output error\n"
			 "\r                          \rctx: error: msg2: Input/output error\n"
			 "\rctx: copying: 100/100  100%\n"
			 "\rctx: x: 5/10   50%          \r"
			 "\rctx: longer name here: 6/10   60%"
			 "\ry: 7/10   70%                    \r");
	xtl_logger_destroy(LG(l));
	cap_close(&c);
}
END_TEST

START_TEST(progress_cr_hide_and_destroy)
{
	struct capture c;
	xentoollog_logger_stdiostream *l = new_logger(&c, XTL_DEBUG,
						      XTL_STDIOSTREAM_PROGRESS_USE_CR);
	size_t before;

	xtl_progress(LG(l), "c", "y", 5, 10);
	xtl_stdiostream_adjust_flags(l, XTL_STDIOSTREAM_HIDE_PROGRESS, 0);
	xtl_progress(LG(l), "c", "y", 6, 10);
	xtl_stdiostream_adjust_flags(l, 0, XTL_STDIOSTREAM_HIDE_PROGRESS);
	/* The style is fixed at creation: flipping the CR flags changes nothing. */
	xtl_stdiostream_adjust_flags(l, XTL_STDIOSTREAM_PROGRESS_NO_CR,
				     XTL_STDIOSTREAM_PROGRESS_USE_CR);
	xtl_progress(LG(l), "c", "y", 9, 10);
	ck_assert_str_eq(cap_text(&c), "c: y: 5/10   50%"
				       "\r                \r"
				       "\rc: y: 9/10   90%");
	before = c.len;
	xtl_logger_destroy(LG(l));
	fflush(c.f);
	ck_assert_str_eq(c.buf + before, "\r                \r");
	cap_close(&c);
}
END_TEST

struct percent_logger {
	xentoollog_logger vtable;
	int calls;
	int percent;
	unsigned long done, total;
};

static void percent_logger_vmessage(xentoollog_logger *logger, xentoollog_level level,
				    int errnoval, const char *context,
				    const char *format, va_list al)
{
}

static void percent_logger_progress(xentoollog_logger *logger, const char *context,
				    const char *doing_what, int percent,
				    unsigned long done, unsigned long total)
{
	struct percent_logger *pl = (struct percent_logger *)logger;

	pl->calls++;
	pl->percent = percent;
	pl->done = done;
	pl->total = total;
}

static void percent_logger_destroy(xentoollog_logger *logger)
{
	free(logger);
}

typedef struct percent_logger xentoollog_logger_percent_logger;

START_TEST(progress_percent_math)
{
	struct percent_logger buffer = { .calls = 0 }, *pl;

	/* The header's XTL_NEW_LOGGER() builds a custom logger. */
	pl = XTL_NEW_LOGGER(percent_logger, buffer);
	ck_assert_ptr_nonnull(pl);

	xtl_progress(LG(pl), "c", "w", 0, 0);
	ck_assert_int_eq(pl->percent, 0);
	xtl_progress(LG(pl), "c", "w", 1, 3);
	ck_assert_int_eq(pl->percent, 33);
	xtl_progress(LG(pl), "c", "w", ULONG_MAX / 2, ULONG_MAX - 100);
	ck_assert_int_eq(pl->percent, 50);
	/* Upstream divides by zero here (its rounding wraps); we keep its
	 * rounding (total/100 rounded up) without the wrap. */
	xtl_progress(LG(pl), "c", "w", ULONG_MAX, ULONG_MAX);
	ck_assert_int_eq(pl->percent, 99);
	ck_assert_uint_eq(pl->done, ULONG_MAX);
	ck_assert_int_eq(pl->calls, 4);
	xtl_logger_destroy(LG(pl));
}
END_TEST

START_TEST(null_safety)
{
	xtl_logger_destroy(NULL);
	xtl_log(NULL, XTL_ERROR, -1, "c", "nothing");
	xtl_progress(NULL, "c", "p", 1, 2);
	xtl_stdiostream_set_minlevel(NULL, XTL_DEBUG);
	xtl_stdiostream_adjust_flags(NULL, 1, 0);
}
END_TEST

static Suite *toollog_suite(void)
{
	Suite *s = suite_create("libxentoollog");
	TCase *tc = tcase_create("stdiostream");

	tcase_add_test(tc, level_names);
	tcase_add_test(tc, message_format);
	tcase_add_test(tc, min_level);
	tcase_add_test(tc, invalid_level_is_dropped);
	tcase_add_test(tc, show_pid);
	tcase_add_test(tc, show_date);
	tcase_add_test(tc, both_cr_flags_rejected);
	tcase_add_test(tc, errno_preserved);
	tcase_add_test(tc, progress_plain);
	tcase_add_test(tc, progress_plain_levels);
	tcase_add_test(tc, progress_cr);
	tcase_add_test(tc, progress_cr_hide_and_destroy);
	tcase_add_test(tc, progress_percent_math);
	tcase_add_test(tc, null_safety);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(toollog_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
