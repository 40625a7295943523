/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoolcore: the handle registry from many threads, restrict_all with
 * every handle succeeding, one failing, many handles, and fd neutering that
 * keeps close-on-exec.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xentoolcore.h"
#include "xentoolcore_internal.h"
#include "xs-compiler.h"

/* A fake library handle: an fd, and a restrict that may fail. */
struct fake_handle {
	Xentoolcore__Active_Handle ah;
	int fd;
	int fail_errno; /* 0: succeed */
	int calls;
	domid_t domid;
	int order; /* when it was called */
};

static int call_counter;

static int fake_restrict(Xentoolcore__Active_Handle *ah, domid_t domid)
{
	struct fake_handle *h = XS_CONTAINER_OF(ah, struct fake_handle, ah);

	h->calls++;
	h->domid = domid;
	h->order = call_counter++;
	if (!h->fail_errno)
		return 0;
	/* As xenstable's libraries do: a handle that cannot be restricted
	 * is neutered, then the failure is reported. */
	xentoolcore__restrict_by_dup2_null(h->fd);
	errno = h->fail_errno;
	return -1;
}

static void fake_open(struct fake_handle *h, int fail_errno, bool cloexec)
{
	int fds[2];

	memset(h, 0, sizeof(*h));
	ck_assert_int_eq(pipe2(fds, cloexec ? O_CLOEXEC : 0), 0);
	close(fds[1]);
	h->fd = fds[0];
	h->fail_errno = fail_errno;
	h->ah.restrict_callback = fake_restrict;
	xentoolcore__register_active_handle(&h->ah);
}

static void fake_close(struct fake_handle *h)
{
	xentoolcore__deregister_active_handle(&h->ah);
	close(h->fd);
}

static bool fd_is_dev_null(int fd)
{
	struct stat st, null_st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(stat("/dev/null", &null_st), 0);
	return S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev;
}

static bool fd_is_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	ck_assert_int_ge(flags, 0);
	return flags & FD_CLOEXEC;
}

START_TEST(layout_is_abi)
{
	/* libxenstore embeds this struct: callback, le_next, le_prev. */
	ck_assert_uint_eq(offsetof(Xentoolcore__Active_Handle, restrict_callback), 0);
	ck_assert_uint_eq(offsetof(Xentoolcore__Active_Handle, entry.le_next), sizeof(void *));
	ck_assert_uint_eq(offsetof(Xentoolcore__Active_Handle, entry.le_prev), 2 * sizeof(void *));
	ck_assert_uint_eq(sizeof(Xentoolcore__Active_Handle), 3 * sizeof(void *));
}
END_TEST

START_TEST(empty_registry)
{
	ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
}
END_TEST

START_TEST(all_succeed_newest_first)
{
	struct fake_handle h[3];
	int i;

	call_counter = 0;
	for (i = 0; i < 3; i++)
		fake_open(&h[i], 0, true);
	ck_assert_int_eq(xentoolcore_restrict_all(7), 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(h[i].calls, 1);
		ck_assert_uint_eq(h[i].domid, 7);
		ck_assert(!fd_is_dev_null(h[i].fd));
	}
	ck_assert_int_eq(h[2].order, 0);
	ck_assert_int_eq(h[1].order, 1);
	ck_assert_int_eq(h[0].order, 2);
	for (i = 0; i < 3; i++)
		fake_close(&h[i]);
	/* Closed handles are no longer called. */
	ck_assert_int_eq(xentoolcore_restrict_all(7), 0);
	ck_assert_int_eq(h[0].calls, 1);
}
END_TEST

START_TEST(one_failing_all_tried)
{
	struct fake_handle h[4];
	int i;

	fake_open(&h[0], 0, true);
	fake_open(&h[1], ENOTTY, true); /* fails, is neutered */
	fake_open(&h[2], 0, true);
	fake_open(&h[3], 0, false);
	errno = 0;
	ck_assert_int_eq(xentoolcore_restrict_all(3), -1);
	ck_assert_int_eq(errno, ENOTTY);
	/* Upstream stops at the first failure; every handle must be tried. */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(h[i].calls, 1);
	ck_assert(fd_is_dev_null(h[1].fd));
	ck_assert(fd_is_cloexec(h[1].fd));
	ck_assert(!fd_is_dev_null(h[0].fd));
	ck_assert(!fd_is_dev_null(h[2].fd));
	for (i = 0; i < 4; i++)
		fake_close(&h[i]);
}
END_TEST

START_TEST(first_failure_errno_reported)
{
	struct fake_handle older, newer;

	fake_open(&older, EINVAL, true);
	fake_open(&newer, EACCES, true);
	ck_assert_int_eq(xentoolcore_restrict_all(3), -1);
	ck_assert_int_eq(errno, EACCES); /* newest handle is walked first */
	ck_assert(fd_is_dev_null(older.fd) && fd_is_dev_null(newer.fd));
	fake_close(&older);
	fake_close(&newer);
}
END_TEST

START_TEST(many_handles)
{
	enum { N = 500 };
	struct fake_handle *h = calloc(N, sizeof(*h));
	int i;

	ck_assert_ptr_nonnull(h);
	for (i = 0; i < N; i++)
		fake_open(&h[i], i == N / 2 ? EPERM : 0, true);
	ck_assert_int_eq(xentoolcore_restrict_all(9), -1);
	ck_assert_int_eq(errno, EPERM);
	for (i = 0; i < N; i++) {
		ck_assert_int_eq(h[i].calls, 1);
		ck_assert_uint_eq(h[i].domid, 9);
		ck_assert(fd_is_dev_null(h[i].fd) == (i == N / 2));
	}
	/* Deregister in a scattered order; list integrity is checked by
	 * a second walk seeing exactly the remaining handles. */
	for (i = 0; i < N; i += 2)
		fake_close(&h[i]);
	ck_assert_int_eq(xentoolcore_restrict_all(9), 0); /* the failing one is gone */
	for (i = 0; i < N; i++)
		ck_assert_int_eq(h[i].calls, i % 2 ? 2 : 1);
	for (i = 1; i < N; i += 2)
		fake_close(&h[i]);
	free(h);
}
END_TEST

START_TEST(deregister_is_idempotent)
{
	struct fake_handle h;

	fake_open(&h, 0, true);
	xentoolcore__deregister_active_handle(&h.ah);
	xentoolcore__deregister_active_handle(&h.ah);
	xentoolcore__deregister_active_handle(NULL);
	xentoolcore__register_active_handle(NULL);
	ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
	ck_assert_int_eq(h.calls, 0);
	close(h.fd);
}
END_TEST

struct thread_arg {
	int rounds;
	int restricts;
};

static void *churn(void *p)
{
	struct thread_arg *arg = p;
	struct fake_handle h[8];
	int r, i;

	for (r = 0; r < arg->rounds; r++) {
		for (i = 0; i < 8; i++)
			fake_open(&h[i], 0, true);
		for (i = 0; i < arg->restricts; i++)
			if (xentoolcore_restrict_all(5) != 0)
				return (void *)1;
		for (i = 7; i >= 0; i -= 2)
			fake_close(&h[i]);
		for (i = 0; i < 8; i += 2)
			fake_close(&h[i]);
	}
	return NULL;
}

START_TEST(threads)
{
	enum { NT = 8 };
	pthread_t t[NT];
	struct thread_arg arg[NT];
	struct fake_handle mine;
	int i;

	fake_open(&mine, 0, true);
	for (i = 0; i < NT; i++) {
		arg[i].rounds = 200;
		arg[i].restricts = i % 2;
		ck_assert_int_eq(pthread_create(&t[i], NULL, churn, &arg[i]), 0);
	}
	for (i = 0; i < NT; i++) {
		void *ret;

		ck_assert_int_eq(pthread_join(t[i], &ret), 0);
		ck_assert_ptr_null(ret);
	}
	/* Only `mine` is left, and it was restricted by every restrict_all. */
	mine.calls = 0;
	ck_assert_int_eq(xentoolcore_restrict_all(5), 0);
	ck_assert_int_eq(mine.calls, 1);
	fake_close(&mine);
	ck_assert_int_eq(xentoolcore_restrict_all(5), 0);
}
END_TEST

START_TEST(dup2_null_keeps_cloexec)
{
	int fds[2];

	ck_assert_int_eq(xentoolcore__restrict_by_dup2_null(-1), 0);

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	ck_assert_int_eq(xentoolcore__restrict_by_dup2_null(fds[0]), 0);
	ck_assert(fd_is_dev_null(fds[0]));
	ck_assert(fd_is_cloexec(fds[0]));
	close(fds[0]);
	close(fds[1]);

	/* An fd deliberately inheritable stays inheritable. */
	ck_assert_int_eq(pipe2(fds, 0), 0);
	ck_assert_int_eq(xentoolcore__restrict_by_dup2_null(fds[0]), 0);
	ck_assert(fd_is_dev_null(fds[0]));
	ck_assert(!fd_is_cloexec(fds[0]));
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(dup2_null_no_fd_leak)
{
	int fds[2], probe, before;

	ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
	probe = dup(0);
	before = probe;
	close(probe);
	ck_assert_int_eq(xentoolcore__restrict_by_dup2_null(fds[0]), 0);
	probe = dup(0);
	ck_assert_int_eq(probe, before); /* the temporary /dev/null fd was closed */
	close(probe);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *toolcore_suite(void)
{
	Suite *s = suite_create("libxentoolcore");
	TCase *tc = tcase_create("registry");

	tcase_add_test(tc, layout_is_abi);
	tcase_add_test(tc, empty_registry);
	tcase_add_test(tc, all_succeed_newest_first);
	tcase_add_test(tc, one_failing_all_tried);
	tcase_add_test(tc, first_failure_errno_reported);
	tcase_add_test(tc, many_handles);
	tcase_add_test(tc, deregister_is_idempotent);
	tcase_add_test(tc, threads);
	tcase_add_test(tc, dup2_null_keeps_cloexec);
	tcase_add_test(tc, dup2_null_no_fd_leak);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(toolcore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
