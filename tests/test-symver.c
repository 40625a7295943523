/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The compat symbol-version macros produce a library where the old node
 * keeps the old behaviour and the default is the new one.
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

typedef int demo_fn(int);

START_TEST(both_versions)
{
	char path[4096];
	const char *dir = getenv("top_builddir");
	void *h;
	demo_fn *old_fn, *new_fn, *default_fn;

	snprintf(path, sizeof(path), "%s/tests/.libs/libsymverdemo.so", dir ? dir : ".");
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "dlopen %s: %s", path, dlerror());
	old_fn = (demo_fn *)dlvsym(h, "xs_demo", "VERS_1.0");
	new_fn = (demo_fn *)dlvsym(h, "xs_demo", "VERS_1.1");
	default_fn = (demo_fn *)dlsym(h, "xs_demo");
	ck_assert_ptr_nonnull(old_fn);
	ck_assert_ptr_nonnull(new_fn);
	ck_assert_ptr_nonnull(default_fn);
	ck_assert_int_eq(old_fn(1), 2);
	ck_assert_int_eq(new_fn(1), 3);
	ck_assert_int_eq(default_fn(1), 3);
	/* The implementation names themselves are not exported. */
	ck_assert_ptr_null(dlsym(h, "xs_demo_v1_0"));
	ck_assert_ptr_null(dlsym(h, "xs_demo_v1_1"));
	dlclose(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symver macros");
	TCase *tc = tcase_create("compat");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, both_versions);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
