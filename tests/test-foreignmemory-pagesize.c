/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenforeignmemory on a hypervisor whose page size is not 4096 bytes.
 *
 * xensim's Xen always has 4 KiB pages, so this runner stands between the
 * library and the simulated privcmd: it defines ioctl() itself (the
 * executable comes first in the symbol lookup order), answers
 * XENVER_pagesize hypercalls with a configurable size and passes every
 * other ioctl on to the next ioctl() (xensim's shim). Everything else is
 * the real simulated machine.
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <xen/memory.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "call-util.h"
#include "xen-kernel.h"
#include "xenforeignmemory.h"

#define PAGE 4096UL

static long fake_pagesize = 65536; /* what "Xen" answers to XENVER_pagesize */
static int pagesize_queries;

/* Exported (the build hides symbols by default) so the libraries bind to it. */
__attribute__((visibility("default"))) int ioctl(int fd, unsigned long request, ...)
{
	static int (*next)(int, unsigned long, ...);
	struct privcmd_hypercall *call;
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (request == IOCTL_PRIVCMD_HYPERCALL && arg) {
		call = arg;
		if (call->op == __HYPERVISOR_xen_version &&
		    call->arg[0] == XENVER_pagesize) {
			__atomic_add_fetch(&pagesize_queries, 1, __ATOMIC_RELAXED);
			return (int)fake_pagesize;
		}
	}
	if (!next)
		next = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	return next(fd, request, arg);
}

START_TEST(mismatch_refuses_to_map)
{
	xenforeignmemory_handle *fmem;
	struct memlog m;
	xen_pfn_t gfn = 3;
	void *addr = NULL;
	size_t size = 0;
	int err = 0;

	t_reset(NULL);
	fake_pagesize = 65536;
	pagesize_queries = 0;
	fmem = xenforeignmemory_open(memlog_open(&m), 0);
	ck_assert_ptr_nonnull(fmem);

	errno = 0;
	ck_assert_ptr_null(xenforeignmemory_map(fmem, 1, PROT_READ, 1, &gfn, &err));
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_msg(memlog_has(&m, "65536"), "log: %s", memlog_text(&m));
	ck_assert_msg(memlog_has(&m, "/dev/xen/privcmd"), "log: %s", memlog_text(&m));
	errno = 0;
	ck_assert_ptr_null(xenforeignmemory_map_resource(
		fmem, 1, XENMEM_resource_grant_table, 0, 0, 1, &addr, PROT_READ, 0));
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_ptr_null(addr);
	/* asked once, then cached */
	ck_assert_int_eq(pagesize_queries, 1);
	ck_assert_int_eq(xenforeignmemory_hypervisor_page_size(fmem, &size), 0);
	ck_assert_uint_eq(size, 65536);
	ck_assert_int_eq(pagesize_queries, 1);
	xenforeignmemory_close(fmem);
	memlog_close(&m);
}
END_TEST

START_TEST(match_maps_and_asks_once)
{
	xenforeignmemory_handle *fmem;
	xen_pfn_t gfn = 3;
	size_t size = 0;
	void *p;
	int i;

	t_reset(NULL);
	fake_pagesize = 4096;
	pagesize_queries = 0;
	fmem = xenforeignmemory_open(NULL, 0);
	ck_assert_ptr_nonnull(fmem);
	for (i = 0; i < 3; i++) {
		p = xenforeignmemory_map(fmem, 1, PROT_READ, 1, &gfn, NULL);
		ck_assert_ptr_nonnull(p);
		ck_assert_int_eq(xenforeignmemory_unmap(fmem, p, 1), 0);
	}
	ck_assert_int_eq(pagesize_queries, 1);
	ck_assert_int_eq(xenforeignmemory_hypervisor_page_size(fmem, &size), 0);
	ck_assert_uint_eq(size, 4096);
	ck_assert_int_eq(pagesize_queries, 1);
	xenforeignmemory_close(fmem);
}
END_TEST

static Suite *pagesize_suite(void)
{
	Suite *s = suite_create("libxenforeignmemory page size");
	TCase *tc = tcase_create("xensim");

	tcase_add_test(tc, mismatch_refuses_to_map);
	tcase_add_test(tc, match_maps_and_asks_once);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	t_need_sim("test-foreignmemory-pagesize");
	sr = srunner_create(pagesize_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
