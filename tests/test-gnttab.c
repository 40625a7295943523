/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab on the simulated machine (xensim): a simulated guest grants
 * pages, dom0 maps them (one, many, from several domains), reads and writes
 * through the mappings both ways, unmap notifications (byte clear and
 * event, also when the process dies), grant copy in both directions with
 * per-segment status, gntshr sharing mapped back through gnttab (dom0
 * granting to itself), DMA-BUF on a kernel with and without it, bounded
 * EAGAIN retries, restriction, argument checks with their log lines,
 * close-on-exec and fd leaks.
 *
 * With Debian's upstream library first in LD_LIBRARY_PATH, the checks of
 * documented xenstable improvements are skipped (xenstable is recognised
 * by libxenevtchn's extension symbol).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xenevtchn.h"
#include "xengnttab.h"
#include "xensim.h"
#include "xenstable.h"
#include "xentoolcore.h"
#include "xentoollog.h"
#include "evtchn-gnttab-util.h"

#define TWO_GUESTS "domain 1 type=hvm vcpus=2 memory=16M\ndomain 2 type=pv memory=16M\n"
#define WAIT_MS 10000
#define PAGE XEN_PAGE_SIZE
#define RW (PROT_READ | PROT_WRITE)

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

static bool xenstable(void)
{
	return dlsym(RTLD_DEFAULT, "xenevtchn_bind_static") != NULL;
}

static void reset(const char *scenario)
{
	int rc = xensim_reset(scenario);

	if (rc < 0 && errno == ENXIO) {
		fprintf(stderr, "test-gnttab: no simulated machine (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(rc == 0, "xensim_reset: %s", strerror(errno));
}

/* Fill guest frame @gfn with a pattern derived from @seed. */
static void guest_fill(uint16_t dom, uint64_t gfn, unsigned int seed)
{
	unsigned char buf[PAGE];
	size_t i;

	for (i = 0; i < PAGE; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
	ck_assert_int_eq(xensim_guest_write(dom, gfn << XEN_PAGE_SHIFT, buf, PAGE), 0);
}

static bool page_has_pattern(const void *p, unsigned int seed)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < PAGE; i++)
		if (b[i] != (unsigned char)(seed * 31 + i * 7 + (i >> 8)))
			return false;
	return true;
}

static uint32_t guest_grant(uint16_t dom, uint64_t gfn, int readonly)
{
	uint32_t ref;

	ck_assert_msg(xensim_guest_grant(dom, 0, gfn, readonly, &ref) == 0,
		      "xensim_guest_grant: %s", strerror(errno));
	return ref;
}

static uint32_t mapcount(uint16_t granter, uint32_t ref)
{
	struct xensim_grant_info info;

	ck_assert_int_eq(xensim_grant_info(granter, ref, &info), 0);
	return info.mapcount;
}

static unsigned char guest_byte(uint16_t dom, uint64_t gpa)
{
	unsigned char b;

	ck_assert_int_eq(xensim_guest_read(dom, gpa, &b, 1), 0);
	return b;
}

/* An event channel to guest @dom: our port, the guest's in *gport. */
static int connect_guest(xenevtchn_handle *xce, uint16_t dom, uint32_t *gport)
{
	int lport;

	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(dom, 0, gport), 0);
	lport = xenevtchn_bind_interdomain(xce, dom, *gport);
	ck_assert_int_gt(lport, 0);
	ck_assert_int_eq(xenevtchn_pending(xce), lport); /* starts pending */
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	xensim_guest_evtchn_pending(dom, *gport, 1);
	return lport;
}

/* ---------------------------------------------------------------------- */
/* Open and close                                                          */

START_TEST(open_close)
{
	int base = fd_count();
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;

	reset(NULL);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert(fd_cloexec(xengnttab_fd(xgt)));
	xgs = xengntshr_open(NULL, 0);
	ck_assert_ptr_nonnull(xgs);
	if (xenstable())
		ck_assert(fd_cloexec(xengntshr_fd(xgs))); /* upstream forgot it */
	ck_assert_int_ne(xengnttab_fd(xgt), xengntshr_fd(xgs));
	ck_assert_int_eq(fd_count(), base + 2);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(fd_count(), base);
	ck_assert_int_eq(xengnttab_close(NULL), 0);
	ck_assert_int_eq(xengntshr_close(NULL), 0);
}
END_TEST

START_TEST(open_flags)
{
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;

	/* Ignored, as upstream does: binaries in the field may pass anything. */
	reset(NULL);
	xgt = xengnttab_open(NULL, 1);
	ck_assert_ptr_nonnull(xgt);
	xgs = xengntshr_open(NULL, 8);
	ck_assert_ptr_nonnull(xgs);
	ck_assert_int_ge(xengnttab_fd(xgt), 0);
	ck_assert_int_ge(xengntshr_fd(xgs), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
}
END_TEST

START_TEST(open_without_device)
{
	struct logcap cap;
	xentoollog_logger *lg;

	reset("kernel linux-6.12-gntdev-gntalloc\n");
	lg = cap_open(&cap);
	errno = 0;
	ck_assert_ptr_null(xengnttab_open(lg, 0));
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_ptr_null(xengntshr_open(lg, 0));
	ck_assert_int_eq(errno, ENOENT);
	if (xenstable()) {
		ck_assert_logged(&cap, "open on /dev/xen/gntdev: No such file");
		ck_assert_logged(&cap, "open on /dev/xen/gntalloc: No such file");
	}
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Argument checks                                                         */

START_TEST(null_and_wrong_handles)
{
	xengnttab_grant_copy_segment_t seg = { 0 };
	struct logcap cap;
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;
	uint32_t ref = 1, dom = 1, fd;
	int page;

	if (!xenstable())
		return; /* upstream crashes */
	errno = 0;
	ck_assert_int_eq(xengnttab_fd(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengntshr_fd(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_set_max_grants(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(NULL, 1, 1, RW));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_refs(NULL, 1, &dom, &ref, RW));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_domain_grant_refs(NULL, 1, 1, &ref, RW));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref_notify(NULL, 1, 1, RW, 0, 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_unmap(NULL, &page, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(NULL, 1, &seg), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(NULL, 1, 0, 1, &ref, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(NULL, 3, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(NULL, 1, 3, 1, &ref), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(NULL, 3), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(NULL, 0, 1, &ref, 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_page_notify(NULL, 0, &ref, 1, 0, 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengntshr_unshare(NULL, &page, 1), -1);
	ck_assert_int_eq(errno, EINVAL);

	/* The two halves share a C type, but not their handles. */
	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	xgs = xengntshr_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(xgs);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgt, 0, 1, &ref, 1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "xengntshr_share_pages: called with a gnttab");
	errno = 0;
	ck_assert_int_eq(xengntshr_fd(xgt), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgs, 1, 1, RW));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "xengnttab_map_grant_ref: called with a gntshr");
	errno = 0;
	ck_assert_int_eq(xengnttab_fd(xgs), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(absurd_arguments)
{
	xengnttab_grant_copy_segment_t seg[2];
	unsigned char local[64];
	struct logcap cap;
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;
	uint32_t refs[2] = { 1, 2 }, doms[2] = { 1, 0x10000 }, fd, sentinel = 0xdeadbeef;
	int page;

	if (!xenstable())
		return;
	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	xgs = xengntshr_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(xgs);

	errno = 0;
	ck_assert_ptr_null(xengnttab_map_domain_grant_refs(xgt, 0, 1, refs, RW));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "xengnttab_map_domain_grant_refs: count 0 is out of range");
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_domain_grant_refs(xgt, 2, 1, NULL, RW));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "NULL refs array");
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_refs(xgt, 2, NULL, refs, RW));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_refs(xgt, 2, doms, refs, RW));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "grant 1: domain 65536 is out of range");
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, 1, 0x100));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "unsupported protection 0x100");
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref_notify(xgt, 1, 1, RW, PAGE, -1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "notify offset 4096 is beyond the page");
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref_notify(xgt, 1, 1, PROT_READ, 0, -1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "needs a writable mapping");
	errno = 0;
	ck_assert_int_eq(xengnttab_unmap(xgt, NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_unmap(xgt, &page, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "no mapping of this handle starts at");

	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 1, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	memset(seg, 0, sizeof(seg));
	seg[0].source.virt = local;
	seg[0].dest.virt = local + 32;
	seg[0].len = 8;
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 1, seg), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "segment 0: neither side is a grant");
	seg[1] = seg[0];
	seg[1].flags = GNTCOPY_source_gref;
	seg[1].source.foreign.ref = 1;
	seg[1].source.foreign.domid = 1;
	seg[1].source.foreign.offset = 4090;
	seg[0].flags = GNTCOPY_dest_gref;
	seg[0].dest.foreign.ref = 1;
	seg[0].dest.foreign.offset = 0;
	seg[0].dest.foreign.domid = 1;
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 2, seg), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "segment 1: source offset 4090 + length 8 crosses the page");
	seg[0].flags |= 0x80;
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 1, seg), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "segment 0: unknown flags 0x80");

	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 0, refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 4, 1, refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "unknown flags 0x4");
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, refs, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 1, 3, 0, refs), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 0x10000, 3, 1, refs), -1);
	ck_assert_int_eq(errno, EINVAL);

	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 0, 0, refs, 1));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 0, -3, refs, 1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_logged(&cap, "xengntshr_share_pages: count -3 is out of range");
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 0, 1, NULL, 1));
	ck_assert_int_eq(errno, EINVAL);
	/* A domid that would be truncated to another domain. */
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 0x10001, 1, &sentinel, 1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(sentinel, 0xdeadbeef);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_page_notify(xgs, 0, &sentinel, 1, 5000, -1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(sentinel, 0xdeadbeef);
	errno = 0;
	ck_assert_int_eq(xengntshr_unshare(xgs, &page, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* None of it reached a device. */
	ck_assert(!cap_has(&cap, "on /dev/xen/"));

	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Mapping                                                                 */

START_TEST(map_single)
{
	int base = fd_count();
	struct xensim_grant_info info;
	xengnttab_handle *xgt;
	uint32_t ref, roref;
	unsigned char *p, b;

	reset(NULL);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert_int_eq(xengnttab_set_max_grants(xgt, 64), 0);
	guest_fill(1, 0x100, 1);
	ref = guest_grant(1, 0x100, 0);

	p = xengnttab_map_grant_ref(xgt, 1, ref, RW);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % PAGE, 0);
	ck_assert(page_has_pattern(p, 1));
	ck_assert_int_eq(xensim_grant_info(1, ref, &info), 0);
	ck_assert_uint_eq(info.mapcount, 1);
	ck_assert_uint_eq(info.domid, 0);
	ck_assert_uint_eq(info.frame, 0x100);
	ck_assert(info.flags & GTF_reading);
	ck_assert(info.flags & GTF_writing);

	/* dom0 writes, the guest reads; the guest writes, dom0 reads. */
	p[123] = 0x5a;
	ck_assert_uint_eq(guest_byte(1, 0x100 * PAGE + 123), 0x5a);
	b = 0xc3;
	ck_assert_int_eq(xensim_guest_write(1, 0x100 * PAGE + 4000, &b, 1), 0);
	ck_assert_uint_eq(((volatile unsigned char *)p)[4000], 0xc3);

	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_uint_eq(mapcount(1, ref), 0);

	/* A read-only grant maps read-only, never writable. */
	guest_fill(1, 0x101, 2);
	roref = guest_grant(1, 0x101, 1);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, roref, RW));
	ck_assert_int_ne(errno, 0);
	ck_assert_uint_eq(mapcount(1, roref), 0);
	p = xengnttab_map_grant_ref(xgt, 1, roref, PROT_READ);
	ck_assert_ptr_nonnull(p);
	ck_assert(page_has_pattern(p, 2));
	ck_assert_int_eq(xensim_grant_info(1, roref, &info), 0);
	ck_assert(info.flags & GTF_reading);
	ck_assert(!(info.flags & GTF_writing));
	/* Ending a grant while mapped is refused. */
	errno = 0;
	ck_assert_int_eq(xensim_guest_ungrant(1, roref), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(xensim_guest_ungrant(1, roref), 0);

	/* A bad reference, a domain that did not grant it. */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, 5000, PROT_READ));
	ck_assert_int_ne(errno, 0);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 7, ref, PROT_READ));
	ck_assert_int_ne(errno, 0);

	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(fd_count(), base);
}
END_TEST

START_TEST(map_many)
{
	static const uint64_t gfns[4] = { 0x200, 0x105, 0x300, 0x201 };
	struct logcap cap;
	xengnttab_handle *xgt;
	uint32_t refs[4];
	unsigned char *p;
	int i;

	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	for (i = 0; i < 4; i++) {
		guest_fill(1, gfns[i], 10 + i);
		refs[i] = guest_grant(1, gfns[i], 0);
	}
	p = xengnttab_map_domain_grant_refs(xgt, 4, 1, refs, RW);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(page_has_pattern(p + i * PAGE, 10 + i), "page %d", i);
		ck_assert_uint_eq(mapcount(1, refs[i]), 1);
	}
	p[3 * PAGE + 9] = 0x77;
	ck_assert_uint_eq(guest_byte(1, gfns[3] * PAGE + 9), 0x77);

	/* The wrong count unmaps nothing. */
	if (xenstable()) {
		errno = 0;
		ck_assert_int_eq(xengnttab_unmap(xgt, p, 3), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_logged(&cap, "has 4 page(s), not 3");
		errno = 0;
		ck_assert_int_eq(xengnttab_unmap(xgt, p + PAGE, 3), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert(page_has_pattern(p, 10));
	}
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 4), 0);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(mapcount(1, refs[i]), 0);

	/* All or nothing: one bad reference, nothing stays mapped. */
	refs[2] = 4999;
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_domain_grant_refs(xgt, 4, 1, refs, RW));
	ck_assert_int_ne(errno, 0);
	for (i = 0; i < 4; i++)
		if (i != 2)
			ck_assert_uint_eq(mapcount(1, refs[i]), 0);

	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(map_from_several_domains)
{
	xengnttab_handle *xgt;
	uint32_t refs[4], doms[4] = { 1, 2, 1, 2 };
	unsigned char *p;
	int i;

	reset(TWO_GUESTS);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	for (i = 0; i < 4; i++) {
		guest_fill(doms[i], 0x40 + i, 20 + i);
		refs[i] = guest_grant(doms[i], 0x40 + i, 0);
	}
	p = xengnttab_map_grant_refs(xgt, 4, doms, refs, RW);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(page_has_pattern(p + i * PAGE, 20 + i), "page %d", i);
		ck_assert_uint_eq(mapcount(doms[i], refs[i]), 1);
	}
	p[PAGE + 1] = 0x11; /* page 1: domain 2's frame 0x41 */
	ck_assert_uint_eq(guest_byte(2, 0x41 * PAGE + 1), 0x11);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 4), 0);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(mapcount(doms[i], refs[i]), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
}
END_TEST

START_TEST(close_keeps_mappings)
{
	xengnttab_handle *xgt;
	uint32_t ref;
	unsigned char *p;

	reset(NULL);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x120, 3);
	ref = guest_grant(1, 0x120, 0);
	p = xengnttab_map_grant_ref(xgt, 1, ref, RW);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	/* Still mapped and shared with the guest until munmap. */
	ck_assert(page_has_pattern(p, 3));
	p[7] = 0x42;
	ck_assert_uint_eq(guest_byte(1, 0x120 * PAGE + 7), 0x42);
	ck_assert_int_eq(munmap(p, PAGE), 0);
}
END_TEST

START_TEST(eagain_is_retried_with_a_bound)
{
	struct logcap cap;
	xengnttab_handle *xgt;
	uint32_t ref;
	void *p;

	if (!xenstable())
		return; /* upstream retries forever */
	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x130, 4);
	ref = guest_grant(1, 0x130, 0);

	/* Paged out for a while: the map waits for it. */
	ck_assert_int_eq(xensim_inject("mmap:gntdev", 1, 5, EAGAIN), 0);
	p = xengnttab_map_grant_ref(xgt, 1, ref, RW);
	ck_assert_ptr_nonnull(p);
	ck_assert(page_has_pattern(p, 4));
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);

	/* Paged out for good: the map gives up, and nothing stays mapped. */
	ck_assert_int_eq(xensim_inject("mmap:gntdev", 1, 0, EAGAIN), 0);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, ref, RW));
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_logged(&cap, "mmap of 1 grant(s) (first: domain 1 ref");
	ck_assert_int_eq(xensim_inject_clear(), 0);
	ck_assert_uint_eq(mapcount(1, ref), 0);
	p = xengnttab_map_grant_ref(xgt, 1, ref, RW);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Unmap notification                                                      */

START_TEST(unmap_notify)
{
	xenevtchn_handle *xce;
	xengnttab_handle *xgt;
	uint32_t ref, gport;
	unsigned char *p;
	int lport;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	lport = connect_guest(xce, 1, &gport);
	guest_fill(1, 0x140, 5);
	ref = guest_grant(1, 0x140, 0);

	/* Byte and event. */
	p = xengnttab_map_grant_ref_notify(xgt, 1, ref, RW, 10, lport);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_ne(p[10], 0);
	ck_assert_int_eq(xensim_guest_evtchn_pending(1, gport, 0), 0);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_uint_eq(guest_byte(1, 0x140 * PAGE + 10), 0);
	ck_assert_uint_ne(guest_byte(1, 0x140 * PAGE + 11), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);

	/* Byte only. */
	guest_fill(1, 0x140, 5);
	p = xengnttab_map_grant_ref_notify(xgt, 1, ref, RW, 4095, -1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_uint_eq(guest_byte(1, 0x140 * PAGE + 4095), 0);
	ck_assert_int_eq(xensim_guest_evtchn_pending(1, gport, 0), 0);

	/* Event only, on a read-only mapping. */
	guest_fill(1, 0x140, 5);
	p = xengnttab_map_grant_ref_notify(xgt, 1, ref, PROT_READ, -1, lport);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);

	/* A port that is not bound here: the map is undone. */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref_notify(xgt, 1, ref, RW, 0, lport + 50));
	ck_assert_int_ne(errno, 0);
	ck_assert_uint_eq(mapcount(1, ref), 0);

	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

START_TEST(unmap_notify_when_process_dies)
{
	xenevtchn_handle *xce;
	uint32_t ref, gport;
	int lport, status, sync[2];
	pid_t pid;
	char c;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	lport = connect_guest(xce, 1, &gport);
	guest_fill(1, 0x150, 6);
	ref = guest_grant(1, 0x150, 0);
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Its own gnttab handle; the evtchn port is the parent's. */
		xengnttab_handle *xgt = xengnttab_open(NULL, 0);
		unsigned char *p;

		if (!xgt)
			_exit(10);
		p = xengnttab_map_grant_ref_notify(xgt, 1, ref, RW, 100, lport);
		if (!p)
			_exit(11);
		if (write(sync[1], "m", 1) != 1)
			_exit(12);
		_exit(0); /* no unmap, no close */
	}
	ck_assert_int_eq(read(sync[0], &c, 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %#x", status);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);
	ck_assert_uint_eq(guest_byte(1, 0x150 * PAGE + 100), 0);
	ck_assert_uint_eq(mapcount(1, ref), 0);
	close(sync[0]);
	close(sync[1]);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Grant copy                                                              */

START_TEST(grant_copy)
{
	xengnttab_grant_copy_segment_t seg[4];
	unsigned char *local, out[64];
	struct logcap cap;
	xengnttab_handle *xgt;
	uint32_t ref, roref;
	int i;

	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	/* QEMU's probe. */
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 0, NULL), 0);

	guest_fill(1, 0x160, 7);
	guest_fill(1, 0x161, 8);
	ref = guest_grant(1, 0x160, 0);
	roref = guest_grant(1, 0x161, 1);
	/* Local buffer straddling a page boundary. */
	local = mmap(NULL, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(local, MAP_FAILED);
	for (i = 0; i < 64; i++)
		local[PAGE - 32 + i] = (unsigned char)(0xa0 + i);

	memset(seg, 0, sizeof(seg));
	/* 0: guest -> local, crossing our page boundary. */
	seg[0].flags = GNTCOPY_source_gref;
	seg[0].source.foreign.ref = ref;
	seg[0].source.foreign.domid = 1;
	seg[0].source.foreign.offset = 100;
	seg[0].dest.virt = local + PAGE - 16;
	seg[0].len = 32;
	/* 1: local -> guest. */
	seg[1].flags = GNTCOPY_dest_gref;
	seg[1].source.virt = local + PAGE - 32;
	seg[1].dest.foreign.ref = ref;
	seg[1].dest.foreign.domid = 1;
	seg[1].dest.foreign.offset = 2000;
	seg[1].len = 16;
	/* 2: a bad reference. */
	seg[2].flags = GNTCOPY_source_gref;
	seg[2].source.foreign.ref = 4000;
	seg[2].source.foreign.domid = 1;
	seg[2].dest.virt = out;
	seg[2].len = 8;
	/* 3: writing to a read-only grant. */
	seg[3].flags = GNTCOPY_dest_gref;
	seg[3].source.virt = out;
	seg[3].dest.foreign.ref = roref;
	seg[3].dest.foreign.domid = 1;
	seg[3].len = 8;
	for (i = 0; i < 4; i++)
		seg[i].status = 99;

	ck_assert_int_eq(xengnttab_grant_copy(xgt, 4, seg), 0);
	ck_assert_int_eq(seg[0].status, GNTST_okay);
	ck_assert_int_eq(seg[1].status, GNTST_okay);
	ck_assert_int_lt(seg[2].status, 0);
	ck_assert_int_lt(seg[3].status, 0);

	{
		unsigned char expect[PAGE], got[32];

		for (i = 0; i < (int)PAGE; i++)
			expect[i] = (unsigned char)(7 * 31 + i * 7 + (i >> 8));
		ck_assert_mem_eq(local + PAGE - 16, expect + 100, 32);
		ck_assert_int_eq(xensim_guest_read(1, 0x160 * PAGE + 2000, got, 16), 0);
		for (i = 0; i < 16; i++)
			ck_assert_uint_eq(got[i], (unsigned char)(0xa0 + i));
	}
	/* The read-only page is untouched. */
	{
		unsigned char page[PAGE];

		ck_assert_int_eq(xensim_guest_read(1, 0x161 * PAGE, page, PAGE), 0);
		ck_assert(page_has_pattern(page, 8));
	}

	/* A bad local address: EFAULT for the whole call. */
	memset(seg, 0, sizeof(seg));
	seg[0].flags = GNTCOPY_source_gref;
	seg[0].source.foreign.ref = ref;
	seg[0].source.foreign.domid = 1;
	seg[0].dest.virt = (void *)(uintptr_t)16;
	seg[0].len = 8;
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 1, seg), -1);
	ck_assert_int_eq(errno, EFAULT);
	if (xenstable())
		ck_assert_logged(&cap, "IOCTL_GNTDEV_GRANT_COPY (1 segment(s)) on /dev/xen/gntdev");

	ck_assert_int_eq(munmap(local, 2 * PAGE), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* gntshr                                                                  */

START_TEST(share_with_ourselves)
{
	int base = fd_count();
	struct xensim_grant_info info;
	struct logcap cap;
	xengntshr_handle *xgs;
	xengnttab_handle *xgt;
	uint32_t refs[3];
	unsigned char *p, *q;
	int i;

	reset(NULL);
	xgs = xengntshr_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgs);
	xgt = xengnttab_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(xgt);

	p = xengntshr_share_pages(xgs, 0, 3, refs, 1);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 3 * (int)PAGE; i++)
		ck_assert_uint_eq(p[i], 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(xensim_grant_info(0, refs[i], &info), 0);
		ck_assert_uint_eq(info.domid, 0);
		ck_assert(!(info.flags & GTF_readonly));
	}
	for (i = 0; i < 3; i++)
		memset(p + i * PAGE, 0x30 + i, PAGE);

	/* dom0 maps its own grants. */
	q = xengnttab_map_domain_grant_refs(xgt, 3, 0, refs, RW);
	ck_assert_ptr_nonnull(q);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(q[i * PAGE + 17], 0x30 + i);
	q[2 * PAGE + 5] = 0xee;
	ck_assert_uint_eq(((volatile unsigned char *)p)[2 * PAGE + 5], 0xee);
	ck_assert_uint_eq(mapcount(0, refs[1]), 1);

	if (xenstable()) {
		errno = 0;
		ck_assert_int_eq(xengntshr_unshare(xgs, p, 2), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_logged(&cap, "xengntshr_unshare: the mapping at");
	}
	ck_assert_int_eq(xengnttab_unmap(xgt, q, 3), 0);
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 3), 0);

	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	cap_close(&cap);
	ck_assert_int_eq(fd_count(), base);
}
END_TEST

START_TEST(share_read_only)
{
	struct xensim_grant_info info;
	xengntshr_handle *xgs;
	xengnttab_handle *xgt;
	uint32_t ref;
	unsigned char *p, *q;

	reset(NULL);
	xgs = xengntshr_open(NULL, 0);
	ck_assert_ptr_nonnull(xgs);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	p = xengntshr_share_pages(xgs, 0, 1, &ref, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xensim_grant_info(0, ref, &info), 0);
	ck_assert(info.flags & GTF_readonly);
	p[0] = 0x99; /* writable for us */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 0, ref, RW));
	ck_assert_int_ne(errno, 0);
	q = xengnttab_map_grant_ref(xgt, 0, ref, PROT_READ);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(q[0], 0x99);
	ck_assert_int_eq(xengnttab_unmap(xgt, q, 1), 0);
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 1), 0);

	/* Granted to a guest. */
	p = xengntshr_share_pages(xgs, 1, 1, &ref, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xensim_grant_info(0, ref, &info), 0);
	ck_assert_uint_eq(info.domid, 1);
	ck_assert(!(info.flags & GTF_readonly));
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 1), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
}
END_TEST

START_TEST(share_page_notify)
{
	xenevtchn_handle *xce;
	xengntshr_handle *xgs;
	xengnttab_handle *xgt;
	uint32_t ref, gport;
	unsigned char *p, *q;
	int lport;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	xgs = xengntshr_open(NULL, 0);
	ck_assert_ptr_nonnull(xgs);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	lport = connect_guest(xce, 1, &gport);

	p = xengntshr_share_page_notify(xgs, 0, &ref, 1, 5, lport);
	ck_assert_ptr_nonnull(p);
	memset(p, 0x66, PAGE);
	/* The peer (us, through gnttab) keeps the page alive. */
	q = xengnttab_map_grant_ref(xgt, 0, ref, PROT_READ);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(q[5], 0x66);
	ck_assert_int_eq(xensim_guest_evtchn_pending(1, gport, 0), 0);
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);
	ck_assert_uint_eq(((volatile unsigned char *)q)[5], 0);
	ck_assert_uint_eq(q[6], 0x66);
	ck_assert_int_eq(xengnttab_unmap(xgt, q, 1), 0);

	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* DMA-BUF                                                                 */

/* Domain @dom maps grant @ref of dom0 (xensim's control API). */
static unsigned char *guest_map_dom0_grant(uint16_t dom, uint32_t ref, uint32_t *handle)
{
	unsigned char *p = xensim_guest_map_grant(dom, 0, ref, 0, handle);

	ck_assert_msg(p != NULL, "domain %u maps dom0 grant %u: %s", dom, ref,
		      strerror(errno));
	return p;
}

static uint16_t grant_flags(uint16_t granter, uint32_t ref)
{
	struct xensim_grant_info info;

	ck_assert_int_eq(xensim_grant_info(granter, ref, &info), 0);
	return info.flags;
}

/*
 * The whole DMA-BUF cycle on a kernel with it (not a PV dom0): domain 1's
 * grants exported, the buffer imported and granted to domain 2, which sees
 * (and writes) domain 1's very bytes; release of the import, then of the
 * export once every fd of it is closed.
 */
START_TEST(dmabuf)
{
	struct xensim_grant_info info;
	xengnttab_handle *xgt;
	uint32_t refs[2], irefs[2], fd, h[2];
	unsigned char *pg[2], b;
	int i, dupfd;

	reset("kernel linux-6.12\n" TWO_GUESTS);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	for (i = 0; i < 2; i++) {
		guest_fill(1, 0x170 + i, 30 + i);
		refs[i] = guest_grant(1, 0x170 + i, 0);
	}
	errno = 0;
	ck_assert_msg(xengnttab_dmabuf_exp_from_refs(xgt, 1, GNTDEV_DMA_FLAG_WC, 2, refs,
						     &fd) == 0,
		      "exp_from_refs: %s", strerror(errno));
	ck_assert_int_ge((int)fd, 0);
	ck_assert(fd_cloexec((int)fd));
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(mapcount(1, refs[i]), 1);
		ck_assert(grant_flags(1, refs[i]) & GTF_writing); /* mapped writable */
	}
	errno = 0;
	ck_assert_int_eq(xensim_guest_ungrant(1, refs[0]), -1); /* in use */
	ck_assert_int_eq(errno, EBUSY);

	/* Import it, granting its pages to domain 2. */
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, fd, 2, irefs), 0);
	ck_assert_uint_ne(irefs[0], irefs[1]);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(xensim_grant_info(0, irefs[i], &info), 0);
		ck_assert_uint_eq(info.domid, 2);
		ck_assert(info.flags & GTF_permit_access);
		ck_assert(!(info.flags & GTF_readonly));
	}
	/* Domain 2 maps them and sees domain 1's bytes: the same frames. */
	for (i = 0; i < 2; i++) {
		pg[i] = guest_map_dom0_grant(2, irefs[i], &h[i]);
		ck_assert_msg(page_has_pattern(pg[i], 30 + i),
			      "import page %d: not domain 1's", i);
		ck_assert_uint_eq(mapcount(0, irefs[i]), 1);
	}
	pg[0][5] = 0xa5; /* domain 2 writes, domain 1 reads */
	ck_assert_uint_eq(guest_byte(1, (0x170ull << 12) + 5), 0xa5);
	b = 0x5a; /* and back */
	ck_assert_int_eq(xensim_guest_write(1, (0x171ull << 12) + 7, &b, 1), 0);
	ck_assert_uint_eq(((volatile unsigned char *)pg[1])[7], 0x5a);
	/* Only the grantee may map them. */
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(1, 0, irefs[0], 0, NULL));
	ck_assert_int_eq(errno, EINVAL);

	/* Release the import while domain 2 still maps page 1: that grant
	 * ends when domain 2 unmaps it (the kernel defers it). */
	ck_assert_int_eq(xensim_guest_unmap_grant(2, h[0], pg[0]), 0);
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, fd), 0);
	ck_assert_uint_eq(grant_flags(0, irefs[0]), 0);
	ck_assert_uint_ne(grant_flags(0, irefs[1]), 0);
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(2, 0, irefs[0], 0, &h[0]));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_guest_unmap_grant(2, h[1], pg[1]), 0);
	ck_assert_uint_eq(grant_flags(0, irefs[1]), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, fd), -1);
	ck_assert_int_eq(errno, ENOENT);
	for (i = 0; i < 2; i++)
		ck_assert_uint_eq(mapcount(1, refs[i]), 1); /* the export's map only */

	/* Still held by us: the wait times out. */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	/* Every fd of it counts: a dup keeps it after our close. */
	dupfd = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
	ck_assert_int_ge(dupfd, 0);
	ck_assert_int_eq(close((int)fd), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(close(dupfd), 0);
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, WAIT_MS), 0);
	/* Released already: the kernel's ENOENT is a success. */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10), 0);
	ck_assert_int_eq(errno, 0);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(mapcount(1, refs[i]), 0);
		ck_assert_int_eq(xensim_guest_ungrant(1, refs[i]), 0);
	}
	ck_assert_int_eq(xengnttab_close(xgt), 0);
}
END_TEST

/* The buffer is released when its last fd goes, in whichever process:
 * here a child that exits without closing it; and it outlives the gntdev
 * handle, while an import ends with it. */
START_TEST(dmabuf_release_elsewhere)
{
	xengnttab_handle *xgt;
	uint32_t ref, iref, fd;
	int st, i;
	pid_t pid;
	int go[2];

	reset("kernel linux-6.12\n" TWO_GUESTS);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x190, 5);
	ref = guest_grant(1, 0x190, 0);
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &ref, &fd), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char c;

		close(go[1]);
		if (read(go[0], &c, 1) < 0) /* hold fd until told; exit keeps it open */
			_exit(2);
		_exit(0);
	}
	close(go[0]);
	ck_assert_int_eq(close((int)fd), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	close(go[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, WAIT_MS), 0);
	ck_assert_uint_eq(mapcount(1, ref), 0);

	/* Closing the handle ends its imports; its exports live on. */
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &ref, &fd), 0);
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, fd, 1, &iref), 0);
	ck_assert_uint_eq(mapcount(1, ref), 2);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	ck_assert_uint_eq(grant_flags(0, iref), 0);
	ck_assert_uint_eq(mapcount(1, ref), 1);
	ck_assert_int_eq(close((int)fd), 0);
	/* nobody can wait any more: watch the map go (bounded) */
	for (i = 0; i < 1000 && mapcount(1, ref) != 0; i++)
		usleep(10000);
	ck_assert_uint_eq(mapcount(1, ref), 0);
}
END_TEST

struct waiter {
	xengnttab_handle *xgt;
	uint32_t fd;
	int rc, err;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	errno = 0;
	w->rc = xengnttab_dmabuf_exp_wait_released(w->xgt, w->fd, WAIT_MS);
	w->err = errno;
	return NULL;
}

/* A thread waiting for the release does not hold up the others' calls on
 * the same handle (the kernel does not serialise them). */
START_TEST(dmabuf_wait_concurrent)
{
	struct waiter w;
	pthread_t th;
	uint32_t ref, ref2;
	unsigned char *p;

	reset("kernel linux-6.12\n" TWO_GUESTS);
	w.xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(w.xgt);
	guest_fill(1, 0x1b0, 7);
	ref = guest_grant(1, 0x1b0, 0);
	guest_fill(1, 0x1b1, 8);
	ref2 = guest_grant(1, 0x1b1, 0);
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(w.xgt, 1, 0, 1, &ref, &w.fd), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, wait_thread, &w), 0);
	/* meanwhile, on the same handle */
	p = xengnttab_map_grant_ref(w.xgt, 1, ref2, PROT_READ);
	ck_assert_ptr_nonnull(p);
	ck_assert(page_has_pattern(p, 8));
	ck_assert_int_eq(xengnttab_unmap(w.xgt, p, 1), 0);
	ck_assert_int_eq(close((int)w.fd), 0); /* released: the waiter returns 0 */
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_msg(w.rc == 0, "wait: %d (%s)", w.rc, strerror(w.err));
	ck_assert_uint_eq(mapcount(1, ref), 0);
	ck_assert_int_eq(xengnttab_close(w.xgt), 0);
}
END_TEST

START_TEST(dmabuf_errors)
{
	struct logcap cap;
	xengnttab_handle *xgt;
	uint32_t refs[2], other, ro, irefs[2], fd = 12345, fd2;
	int p[2], mfd;

	/* A PV dom0 kernel cannot export (use_ptemod), whatever the grants. */
	reset("kernel linux-6.12+pv-dom0\n" TWO_GUESTS);
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x1a0, 1);
	refs[0] = guest_grant(1, 0x1a0, 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fd, 12345);
	ck_assert_uint_eq(mapcount(1, refs[0]), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);

	reset("kernel linux-6.12\n" TWO_GUESTS);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x1a0, 1);
	refs[0] = guest_grant(1, 0x1a0, 0);
	refs[1] = 100000; /* no such grant */
	ck_assert_int_eq(xensim_guest_grant(1, 2, 0x1a1, 0, &other), 0); /* not to us */
	ro = guest_grant(1, 0x1a2, 1);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 2, refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(mapcount(1, refs[0]), 0); /* nothing kept */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &other, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0; /* the driver maps writably */
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &ro, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 0, refs, &fd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(fd, 12345);

	/* Imports of what is not a dma-buf of this machine. */
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, (uint32_t)p[0], 1, irefs),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
	mfd = memfd_create("not-a-dma-buf", MFD_CLOEXEC);
	ck_assert_int_ge(mfd, 0);
	ck_assert_int_eq(ftruncate(mfd, PAGE), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, (uint32_t)mfd, 1, irefs),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, (uint32_t)mfd, 0, irefs),
			 -1);
	ck_assert_int_eq(errno, EINVAL);
	close(p[0]);
	close(p[1]);
	close(mfd);
	errno = 0; /* not an open fd at all: dma_buf_get()'s EBADF */
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, 4321, 1, irefs), -1);
	ck_assert_int_eq(errno, EBADF);
	/* The wrong size. */
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, refs, &fd2), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 2, fd2, 2, irefs), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Unknown buffers: release ENOENT; wait: ENOENT, which is success. */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, fd2), -1); /* not imported */
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, 4321), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, 4321, 10), 0);
	ck_assert_int_eq(errno, 0);
	if (xenstable())
		ck_assert_logged(&cap,
				 "IOCTL_GNTDEV_DMABUF_IMP_RELEASE on /dev/xen/gntdev");
	ck_assert_int_eq(close((int)fd2), 0);
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd2, WAIT_MS), 0);
	ck_assert_uint_eq(mapcount(1, refs[0]), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* Without CONFIG_XEN_GNTDEV_DMABUF (Debian 12's kernel, or the feature
 * taken away): ENOTTY from the kernel, EOPNOTSUPP from xenstable. */
START_TEST(dmabuf_unsupported_kernel)
{
	static const char *const kernels[] = {"kernel linux-6.1\n",
					      "kernel linux-6.12-dmabuf\n"};
	struct logcap cap;
	xengnttab_handle *xgt;
	uint32_t ref, irefs[1], fd = 12345;
	int expect = xenstable() ? EOPNOTSUPP : ENOTTY;

	reset(kernels[_i]);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	guest_fill(1, 0x180, 9);
	ref = guest_grant(1, 0x180, 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &ref, &fd), -1);
	ck_assert_int_eq(errno, expect);
	ck_assert_uint_eq(fd, 12345);
	ck_assert_uint_eq(mapcount(1, ref), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, 3, 10), -1);
	ck_assert_int_eq(errno, expect);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 1, 3, 1, irefs), -1);
	ck_assert_int_eq(errno, expect);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, 3), -1);
	ck_assert_int_eq(errno, expect);
	if (xenstable()) {
		ck_assert_logged(&cap,
				 "IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS on /dev/xen/gntdev: "
				 "the kernel has no DMA-BUF support");
		ck_assert_logged(
			&cap, "IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED on /dev/xen/gntdev: "
			      "the kernel has no DMA-BUF support");
		ck_assert_logged(&cap,
				 "IOCTL_GNTDEV_DMABUF_IMP_TO_REFS on /dev/xen/gntdev: "
				 "the kernel has no DMA-BUF support");
		ck_assert_logged(&cap,
				 "IOCTL_GNTDEV_DMABUF_IMP_RELEASE on /dev/xen/gntdev: "
				 "the kernel has no DMA-BUF support");
	}
	/* Grant copy and maps still work there. */
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 0, NULL), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Restriction                                                             */

START_TEST(restrict_all_neuters)
{
	struct logcap cap;
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;
	uint32_t ref, sref;
	unsigned char *p, *s;
	int tfd, sfd;

	reset(NULL);
	xgt = xengnttab_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xgt);
	xgs = xengntshr_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(xgs);
	tfd = xengnttab_fd(xgt);
	sfd = xengntshr_fd(xgs);
	guest_fill(1, 0x190, 11);
	ref = guest_grant(1, 0x190, 0);
	p = xengnttab_map_grant_ref(xgt, 1, ref, RW);
	ck_assert_ptr_nonnull(p);
	s = xengntshr_share_pages(xgs, 1, 1, &sref, 1);
	ck_assert_ptr_nonnull(s);

	ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
	ck_assert(fd_is_dev_null(tfd));
	if (xenstable())
		ck_assert(fd_cloexec(tfd)); /* upstream's dup2 drops FD_CLOEXEC */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, ref, RW));
	ck_assert_int_ne(errno, 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 0, NULL), -1);
	ck_assert_int_ne(errno, 0);
	if (xenstable()) {
		/* gntshr too (upstream leaves it working), EPERM for both. */
		ck_assert(fd_is_dev_null(sfd));
		ck_assert(fd_cloexec(sfd));
		ck_assert_int_eq(errno, EPERM);
		ck_assert_logged(&cap, "xengnttab_grant_copy on /dev/xen/gntdev: the handle "
				       "was neutered");
		errno = 0;
		ck_assert_ptr_null(xengntshr_share_pages(xgs, 1, 1, &sref, 1));
		ck_assert_int_eq(errno, EPERM);
		errno = 0;
		ck_assert_int_eq(xengnttab_set_max_grants(xgt, 1), -1);
		ck_assert_int_eq(errno, EPERM);
		/* Existing mappings are still released properly. */
		ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
		ck_assert_int_eq(xengntshr_unshare(xgs, s, 1), 0);
		/* And a second restriction is harmless. */
		ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
	}
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *gnttab_suite(bool have_grants, bool have_evtchn)
{
	Suite *s = suite_create("xengnttab");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_test(tc, open_close);
	tcase_add_test(tc, open_flags);
	tcase_add_test(tc, open_without_device);
	suite_add_tcase(s, tc);

	tc = tcase_create("arguments");
	tcase_add_test(tc, null_and_wrong_handles);
	tcase_add_test(tc, absurd_arguments);
	suite_add_tcase(s, tc);

	if (!have_grants)
		return s;

	tc = tcase_create("map");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, map_single);
	tcase_add_test(tc, map_many);
	tcase_add_test(tc, map_from_several_domains);
	tcase_add_test(tc, close_keeps_mappings);
	tcase_add_test(tc, eagain_is_retried_with_a_bound);
	suite_add_tcase(s, tc);

	tc = tcase_create("copy");
	tcase_add_test(tc, grant_copy);
	suite_add_tcase(s, tc);

	tc = tcase_create("share");
	tcase_add_test(tc, share_with_ourselves);
	tcase_add_test(tc, share_read_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("dmabuf");
	tcase_add_test(tc, dmabuf);
	tcase_add_test(tc, dmabuf_release_elsewhere);
	tcase_add_test(tc, dmabuf_wait_concurrent);
	tcase_add_test(tc, dmabuf_errors);
	tcase_add_loop_test(tc, dmabuf_unsupported_kernel, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("restrict");
	tcase_add_test(tc, restrict_all_neuters);
	suite_add_tcase(s, tc);

	if (!have_evtchn)
		return s;
	tc = tcase_create("notify");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, unmap_notify);
	tcase_add_test(tc, unmap_notify_when_process_dies);
	tcase_add_test(tc, share_page_notify);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	bool have_grants = true, have_evtchn = true;
	uint32_t port, ref;
	SRunner *sr;
	int failed;

	if (!xensim_available()) {
		fprintf(stderr, "test-gnttab: no simulated machine (run under xensim)\n");
		return 77;
	}
	/* Grant tables and event channels are parts of their own in the
	 * simulator: run what the machine can do, and say what is not run. */
	if (xensim_reset(NULL) < 0 || xensim_guest_grant(1, 0, 0x100, 0, &ref) < 0) {
		fprintf(stderr, "test-gnttab: the simulator has no grant tables (%s): ONLY "
				"open and argument checks are run\n",
			strerror(errno));
		have_grants = false;
	}
	if (xensim_reset(NULL) < 0 || xensim_guest_evtchn_alloc_unbound(1, 0, &port) < 0) {
		fprintf(stderr, "test-gnttab: the simulator has no event channels (%s): "
				"unmap-notification checks NOT run\n",
			strerror(errno));
		have_evtchn = false;
	}
	sr = srunner_create(gnttab_suite(have_grants, have_grants && have_evtchn));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
