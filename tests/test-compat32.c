/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A 32-bit process on a 64-bit kernel: every ioctl on every Xen driver
 * fails with ENOTTY (no compat_ioctl). On xensim's +compat32 personality,
 * the first real operation of each library must fail with ENOTTY and log
 * the device, the ioctl and why; newer (optional) ioctls keep their native
 * meaning in this 64-bit build. The reason text for a real 32-bit process
 * is checked through the pure classifier (libs/common/xs-compat.h); the
 * real thing runs as tests/xen/live-compat32.c in a real dom0.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "xencall.h"
#include "xendevicemodel.h"
#include "xenevtchn.h"
#include "xenforeignmemory.h"
#include "xengnttab.h"
#include "xensim.h"
#include "xentoollog.h"
#include "xs-compat.h"
#include "evtchn-gnttab-util.h"

#define NATIVE_REASON "the driver rejected an ioctl every version of it has"

static void reset(const char *scenario)
{
	int rc = xensim_reset(scenario);

	if (rc < 0 && errno == ENXIO) {
		fprintf(stderr,
			"test-compat32: no simulated machine (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(rc == 0, "xensim_reset: %s", strerror(errno));
}

static void compat32_machine(void)
{
	reset("kernel linux-6.12+compat32\n"
	      "domain 1 type=hvm vcpus=2 memory=64M grant-frames=32\n");
}

/* ---- the classifier and its words -------------------------------------- */

START_TEST(classify)
{
	ck_assert_int_eq(xs_abi_classify(32, "x86_64", false), XS_ABI_COMPAT);
	ck_assert_int_eq(xs_abi_classify(32, "aarch64", false), XS_ABI_COMPAT);
	ck_assert_int_eq(xs_abi_classify(32, "aarch64_be", false), XS_ABI_COMPAT);
	ck_assert_int_eq(xs_abi_classify(64, "x86_64", false), XS_ABI_NATIVE);
	ck_assert_int_eq(xs_abi_classify(64, "aarch64", true), XS_ABI_NATIVE);
	ck_assert_int_eq(xs_abi_classify(32, "i686", false), XS_ABI_NATIVE);
	ck_assert_int_eq(xs_abi_classify(32, "armv7l", false), XS_ABI_NATIVE);
	/* setarch/linux32: a 64-bit kernel reports its 32-bit machine */
	ck_assert_int_eq(xs_abi_classify(32, "i686", true), XS_ABI_COMPAT_MAYBE);
	ck_assert_int_eq(xs_abi_classify(32, "armv8l", true), XS_ABI_COMPAT_MAYBE);
}
END_TEST

START_TEST(reason_text)
{
	char buf[256];

	xs_abi_reason(XS_ABI_COMPAT, "x86_64", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "32-bit process on a 64-bit (x86_64) kernel"), "%s",
		      buf);
	ck_assert_msg(strstr(buf, "no 32-bit ioctls"), "%s", buf);
	xs_abi_reason(XS_ABI_COMPAT_MAYBE, "i686", buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "32-bit personality (setarch, linux32)"), "%s", buf);
	ck_assert_msg(strstr(buf, "probably on a 64-bit kernel"), "%s", buf);
	xs_abi_reason(XS_ABI_NATIVE, "x86_64", buf, sizeof(buf));
	ck_assert_str_eq(buf, NATIVE_REASON " (is the fd still the Xen driver?)");
}
END_TEST

START_TEST(this_build_is_native)
{
	if (sizeof(long) != 8)
		return; /* a 32-bit build has its own answer */
	ck_assert_int_eq(xs_abi_get(), XS_ABI_NATIVE);
	ck_assert(!xs_enotty_is_compat(ENOTTY));
}
END_TEST

/* ---- each library on the +compat32 machine ----------------------------- */

START_TEST(call_hypercall)
{
	struct logcap cap;
	xencall_handle *h;
	void *buf;

	compat32_machine();
	h = xencall_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(h);
	errno = 0;
	ck_assert_int_eq(xencall2(h, __HYPERVISOR_xen_version, 0, 0), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_logged(
		&cap,
		"IOCTL_PRIVCMD_HYPERCALL (op 17) on /dev/xen/privcmd: " NATIVE_REASON);
	ck_assert_logged(&cap, "Inappropriate ioctl for device");
	/* mmap has no compat problem: /dev/xen/hypercall buffers still work */
	buf = xencall_alloc_buffer(h, 64);
	ck_assert_ptr_nonnull(buf);
	xencall_free_buffer(h, buf);
	xencall_close(h);
	cap_close(&cap);
}
END_TEST

START_TEST(foreignmemory_map)
{
	struct logcap cap;
	xenforeignmemory_handle *h;
	xen_pfn_t pfn = 0;
	size_t size = 0;
	int err = 1;

	compat32_machine();
	h = xenforeignmemory_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(h);
	errno = 0;
	ck_assert_ptr_null(xenforeignmemory_map(h, 1, PROT_READ, 1, &pfn, &err));
	ck_assert_int_eq(errno, ENOTTY);
	/* V2 first, then V1 (a kernel before 3.7), which every privcmd has */
	ck_assert_logged(&cap,
			 "IOCTL_PRIVCMD_MMAPBATCH on /dev/xen/privcmd: " NATIVE_REASON);
	/* optional ioctls: in a 64-bit process ENOTTY means "not in this kernel" */
	errno = 0;
	ck_assert_int_eq(xenforeignmemory_resource_size(
				 h, 1, XENMEM_resource_grant_table,
				 XENMEM_resource_grant_table_id_shared, &size),
			 -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	errno = 0;
	ck_assert_int_eq(xenforeignmemory_restrict(h, 1), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	xenforeignmemory_close(h);
	cap_close(&cap);
}
END_TEST

START_TEST(evtchn_bind)
{
	struct logcap cap;
	xenevtchn_handle *h;

	compat32_machine();
	h = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(h);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_unbound_port(h, 1), -1);
	/* the native driver says ENOSYS for unknown ioctls; compat says ENOTTY */
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_logged(&cap, "IOCTL_EVTCHN_BIND_UNBOUND_PORT (remote domain 1) on "
			       "/dev/xen/evtchn: " NATIVE_REASON);
	/*
	 * A newer ioctl: evtchn's "not in this kernel" is ENOSYS, so ENOTTY
	 * stays ENOTTY; natively no reason is claimed for a newer ioctl.
	 */
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(h, 1), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_logged(&cap, "IOCTL_EVTCHN_RESTRICT_DOMID (domain 1) on "
			       "/dev/xen/evtchn: Inappropriate ioctl for device");
	xenevtchn_close(h);
	cap_close(&cap);
}
END_TEST

START_TEST(gnttab_map_and_share)
{
	struct logcap cap;
	xengnttab_handle *g;
	xengntshr_handle *s;
	xengnttab_grant_copy_segment_t seg;
	uint32_t ref = 0;

	compat32_machine();
	g = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(g);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(g, 1, 8, PROT_READ));
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_logged(&cap, "IOCTL_GNTDEV_MAP_GRANT_REF (1 grant(s), first: domain 1 "
			       "ref 8) on /dev/xen/gntdev: " NATIVE_REASON);
	/* grant copy came later: a 64-bit process reads ENOTTY as "no such feature" */
	memset(&seg, 0, sizeof(seg));
	seg.len = 1;
	seg.flags = GNTCOPY_source_gref;
	seg.source.foreign.domid = 1;
	seg.dest.virt = &ref;
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(g, 1, &seg), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	xengnttab_close(g);

	cap_clear(&cap);
	s = xengntshr_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(s);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(s, 1, 1, &ref, 1));
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_logged(&cap, "IOCTL_GNTALLOC_ALLOC_GREF (1 page(s) for domain 1) on "
			       "/dev/xen/gntalloc: " NATIVE_REASON);
	xengntshr_close(s);
	cap_close(&cap);
}
END_TEST

START_TEST(devicemodel_op)
{
	struct logcap cap;
	xendevicemodel_handle *h;
	unsigned int n = 0;

	compat32_machine();
	h = xendevicemodel_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(h);
	errno = 0;
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, 1, &n), -1);
	ck_assert_int_eq(errno, ENOTTY);
	/* the DM_OP probe at open failed: the op went as a hypercall */
	ck_assert_logged(
		&cap,
		"IOCTL_PRIVCMD_HYPERCALL (op 41) on /dev/xen/privcmd: " NATIVE_REASON);
	ck_assert_logged(&cap, "nr_vcpus on domain 1 (dm_op hypercall on "
			       "/dev/xen/privcmd): " NATIVE_REASON);
	/* RESTRICT needs DM_OP: a 64-bit process reads that as an old kernel */
	errno = 0;
	ck_assert_int_eq(xendevicemodel_restrict(h, 1), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	xendevicemodel_close(h);
	cap_close(&cap);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compat32");
	TCase *tc = tcase_create("classify");

	tcase_add_test(tc, classify);
	tcase_add_test(tc, reason_text);
	tcase_add_test(tc, this_build_is_native);
	suite_add_tcase(s, tc);
	tc = tcase_create("xensim +compat32");
	tcase_add_test(tc, call_hypercall);
	tcase_add_test(tc, foreignmemory_map);
	tcase_add_test(tc, evtchn_bind);
	tcase_add_test(tc, gnttab_map_and_share);
	tcase_add_test(tc, devicemodel_op);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
