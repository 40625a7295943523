/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Helpers shared by the libxenevtchn and libxengnttab runners: fd hygiene
 * checks and a logger that captures what the library logged.
 */
#ifndef XS_EVTCHN_GNTTAB_UTIL_H
#define XS_EVTCHN_GNTTAB_UTIL_H

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xentoollog.h"

static inline int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory itself */
}

static inline bool fd_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	ck_assert_int_ge(flags, 0);
	return flags & FD_CLOEXEC;
}

static inline bool fd_is_dev_null(int fd)
{
	struct stat st, null_st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(stat("/dev/null", &null_st), 0);
	return S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev;
}

/* A logger writing into memory, to check what the library logged. */
/*
 * The memstream's buffer pointer and size live on the heap, not in the
 * test's stack frame: a failed test (no-fork mode) may leak its handle, and
 * that handle's logger must not write into a dead frame later.
 */
struct logmem {
	char *buf;
	size_t size;
};

struct logcap {
	FILE *f;
	struct logmem *m;
	xentoollog_logger_stdiostream *lg;
};

static inline xentoollog_logger *cap_open(struct logcap *c)
{
	memset(c, 0, sizeof(*c));
	c->m = calloc(1, sizeof(*c->m));
	ck_assert_ptr_nonnull(c->m);
	c->f = open_memstream(&c->m->buf, &c->m->size);
	ck_assert_ptr_nonnull(c->f);
	c->lg = xtl_createlogger_stdiostream(c->f, XTL_DEBUG, 0);
	ck_assert_ptr_nonnull(c->lg);
	return (xentoollog_logger *)c->lg;
}

static inline const char *cap_text(struct logcap *c)
{
	fflush(c->f);
	return c->m->buf ? c->m->buf : "";
}

/* Forget what was logged so far. */
static inline void cap_clear(struct logcap *c)
{
	fflush(c->f);
	rewind(c->f);
	if (c->m->buf)
		c->m->buf[0] = '\0';
}

static inline bool cap_has(struct logcap *c, const char *needle)
{
	return strstr(cap_text(c), needle) != NULL;
}

static inline void cap_close(struct logcap *c)
{
	xtl_logger_destroy((xentoollog_logger *)c->lg);
	fclose(c->f);
	free(c->m->buf);
	free(c->m);
}

#define ck_assert_logged(c, needle)                                                      \
	ck_assert_msg(cap_has((c), (needle)), "expected \"%s\" in the log: %s", (needle),  \
		      cap_text(c))

#endif /* XS_EVTCHN_GNTTAB_UTIL_H */
