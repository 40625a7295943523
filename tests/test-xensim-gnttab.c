/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The grant-table part of xensim, end to end through the shim with raw
 * ioctls on /dev/xen/gntdev and /dev/xen/gntalloc (tests/run-test.sh runs
 * this under `xensim --no-preload`): grants made by a simulated guest,
 * map/unmap/notify/copy, gntalloc self-grants mapped back through gntdev,
 * the grant table seen through MMAP_RESOURCE, release on close, guests
 * mapping dom0's grants (control API), DMA-BUF buffer lifetime.
 */
#include "config.h"

#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "xen-kernel.h"
#include "xensim.h"

#define PAGE 4096
#define GUEST 1

static const char scenario[] = "domain 1 type=hvm vcpus=1 memory=16M grant-frames=4\n";

static int gd = -1;

static void setup(void)
{
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr, "test-xensim-gnttab: needs a simulator (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(xensim_reset(scenario) == 0, "reset: %s", strerror(errno));
	gd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	ck_assert_msg(gd >= 0, "gntdev: %s", strerror(errno));
}

static void teardown(void)
{
	if (gd >= 0)
		close(gd);
	gd = -1;
}

static uint32_t grant(uint64_t gfn, int ro)
{
	uint32_t ref = 0;

	ck_assert_msg(xensim_guest_grant(GUEST, 0, gfn, ro, &ref) == 0, "grant: %s",
		      strerror(errno));
	return ref;
}

/* MAP_GRANT_REF of @n grants; returns the index or -errno. */
static int64_t map_refs(int fd, unsigned int n, const uint32_t *doms, const uint32_t *refs)
{
	size_t sz = sizeof(struct ioctl_gntdev_map_grant_ref) +
		    (n ? n - 1 : 0) * sizeof(struct ioctl_gntdev_grant_ref);
	struct ioctl_gntdev_map_grant_ref *op = calloc(1, sz);
	int64_t ret;

	ck_assert_ptr_nonnull(op);
	op->count = n;
	for (unsigned int i = 0; i < n; i++) {
		op->refs[i].domid = doms[i];
		op->refs[i].ref = refs[i];
	}
	ret = ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, op) ? -errno : (int64_t)op->index;
	free(op);
	return ret;
}

static int64_t map1(int fd, uint32_t dom, uint32_t ref)
{
	return map_refs(fd, 1, &dom, &ref);
}

static int unmap_ref(int fd, uint64_t index, uint32_t count)
{
	struct ioctl_gntdev_unmap_grant_ref u = {.index = index, .count = count};

	return ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) ? -errno : 0;
}

static struct xensim_grant_info info(uint16_t dom, uint32_t ref)
{
	struct xensim_grant_info i;

	ck_assert_msg(xensim_grant_info(dom, ref, &i) == 0, "grant-info: %s",
		      strerror(errno));
	return i;
}

START_TEST(t_map_read_write)
{
	char buf[16] = {0};
	uint32_t ref;
	int64_t idx;
	char *p;

	ck_assert_int_eq(xensim_guest_write(GUEST, 5 * PAGE + 100, "hello", 6), 0);
	ref = grant(5, 0);
	ck_assert_uint_ge(ref, GNTTAB_NR_RESERVED_ENTRIES);
	ck_assert_uint_eq(info(GUEST, ref).flags, GTF_permit_access);
	ck_assert_uint_eq(info(GUEST, ref).frame, 5);
	idx = map1(gd, GUEST, ref);
	ck_assert_int_eq(idx, 0);
	/* reserved, not mapped yet */
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 0);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_str_eq(p + 100, "hello");
	ck_assert_uint_eq(info(GUEST, ref).flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 1);
	memcpy(p + 200, "world", 6);
	ck_assert_int_eq(xensim_guest_read(GUEST, 5 * PAGE + 200, buf, 6), 0);
	ck_assert_str_eq(buf, "world");
	xensim_guest_write(GUEST, 5 * PAGE + 300, "guest", 6);
	ck_assert_str_eq(p + 300, "guest");
	/* busy while mapped */
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), -1);
	ck_assert_int_eq(errno, EBUSY);
	/* UNMAP_GRANT_REF first: the mapping stays until munmap */
	ck_assert_int_eq(unmap_ref(gd, idx, 1), 0);
	ck_assert_int_eq(unmap_ref(gd, idx, 1), -ENOENT);
	ck_assert_str_eq(p + 100, "hello");
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 1);
	ck_assert_int_eq(munmap(p, PAGE), 0);
	ck_assert_uint_eq(info(GUEST, ref).flags, GTF_permit_access);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 0);
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
	ck_assert_uint_eq(info(GUEST, ref).flags, 0);
}
END_TEST

START_TEST(t_map_readonly)
{
	uint32_t ref = grant(6, 1);
	int64_t idx;
	char *p;

	ck_assert_uint_eq(info(GUEST, ref).flags, GTF_permit_access | GTF_readonly);
	idx = map1(gd, GUEST, ref);
	ck_assert_int_ge(idx, 0);
	/* a read-only grant cannot be mapped writable */
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx);
	ck_assert_ptr_eq(p, MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_uint_eq(info(GUEST, ref).flags,
			  GTF_permit_access | GTF_readonly | GTF_reading);
	/* CLEAR_BYTE on a read-only map */
	{
		struct ioctl_gntdev_unmap_notify n = {.index = idx + 1,
						      .action = UNMAP_NOTIFY_CLEAR_BYTE};

		ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* once only */
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(munmap(p, PAGE), 0);
	ck_assert_uint_eq(info(GUEST, ref).flags, GTF_permit_access | GTF_readonly);
	ck_assert_int_eq(unmap_ref(gd, idx, 1), 0);
}
END_TEST

START_TEST(t_map_errors)
{
	uint32_t ref = grant(7, 0), bad = 3, doms[2] = {GUEST, GUEST}, refs[2];
	struct ioctl_gntdev_set_max_grants mg = {.count = 8};
	int64_t idx;

	ck_assert_int_eq(map_refs(gd, 0, doms, refs), -EINVAL);
	/* private writable mapping */
	idx = map1(gd, GUEST, ref);
	ck_assert_int_eq(idx, 0);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, gd, idx),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	/* wrong offset, wrong length */
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, 8 * PAGE), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_eq(mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, gd, idx), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	/* a ref that is not granted, a domain that does not exist */
	idx = map1(gd, GUEST, bad);
	ck_assert_int_eq(idx, PAGE);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	idx = map1(gd, 42, ref);
	ck_assert_int_eq(idx, 2 * PAGE);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	/* a grant to another domain is not ours to map */
	refs[0] = 0;
	ck_assert_int_eq(xensim_guest_grant(GUEST, 5, 8, 0, &refs[0]), 0);
	idx = map1(gd, GUEST, refs[0]);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx), MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 0);
	/* unknown index/count */
	ck_assert_int_eq(unmap_ref(gd, 77 * PAGE, 1), -ENOENT);
	ck_assert_int_eq(unmap_ref(gd, 0, 2), -ENOENT);
	/* mainline has no SET_MAX_GRANTS */
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_MAX_GRANTS, &mg), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_int_eq(ioctl(gd, XS_IOC(XS_IOC_NONE, 'G', 99, 8), &mg), -1);
	ck_assert_int_eq(errno, ENOTTY);
	/* failure injection at the ioctl's entry */
	ck_assert_int_eq(xensim_inject("ioctl:IOCTL_GNTDEV_MAP_GRANT_REF", 1, 1, EIO), 0);
	ck_assert_int_eq(map1(gd, GUEST, ref), -EIO);
	ck_assert_int_ge(map1(gd, GUEST, ref), 0);
	ck_assert_int_eq(xensim_inject("mmap:gntdev", 1, 1, ENOMEM), 0);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, 0), MAP_FAILED);
	ck_assert_int_eq(errno, ENOMEM);
	xensim_inject_clear();
	(void)doms;
}
END_TEST

START_TEST(t_indexes)
{
	uint32_t refs[3] = {grant(10, 0), grant(11, 0), grant(12, 0)};
	uint32_t doms[3] = {GUEST, GUEST, GUEST};
	char *p;

	ck_assert_int_eq(map_refs(gd, 2, doms, refs), 0);
	ck_assert_int_eq(map_refs(gd, 1, doms, refs + 2), 2 * PAGE);
	ck_assert_int_eq(unmap_ref(gd, 0, 2), 0);
	/* first fit */
	ck_assert_int_eq(map_refs(gd, 1, doms, refs), 0);
	ck_assert_int_eq(map_refs(gd, 2, doms, refs), 3 * PAGE);
	ck_assert_int_eq(map_refs(gd, 1, doms, refs + 1), PAGE);
	/* a multi-page map shows the pages in order */
	xensim_guest_write(GUEST, 10 * PAGE, "ten", 4);
	xensim_guest_write(GUEST, 11 * PAGE, "eleven", 7);
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, gd, 3 * PAGE);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_str_eq(p, "ten");
	ck_assert_str_eq(p + PAGE, "eleven");
	ck_assert_uint_eq(info(GUEST, refs[1]).mapcount, 1);
	munmap(p, 2 * PAGE);
	ck_assert_uint_eq(info(GUEST, refs[1]).mapcount, 0);
}
END_TEST

static int evtchn_pair(int *efd, uint32_t *port, uint32_t *gport)
{
	struct ioctl_evtchn_bind_unbound_port b = {.remote_domain = GUEST};
	int r;

	*efd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (*efd < 0)
		return -1;
	r = ioctl(*efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);
	if (r < 0 || xensim_guest_evtchn_bind_interdomain(GUEST, 0, (uint32_t)r, gport)) {
		close(*efd);
		return -1;
	}
	*port = (uint32_t)r;
	return 0;
}

START_TEST(t_notify)
{
	uint32_t ref = grant(20, 0), port = 0, gport = 0;
	struct ioctl_gntdev_unmap_notify n = {.index = 0, .action = 4};
	unsigned char byte = 0;
	int64_t idx = map1(gd, GUEST, ref);
	int efd = -1;
	char *p;

	ck_assert_int_eq(idx, 0);
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, EINVAL);
	n.action = UNMAP_NOTIFY_CLEAR_BYTE;
	n.index = 5 * PAGE;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, ENOENT);
	n.index = 33;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), 0);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, idx);
	ck_assert_ptr_ne(p, MAP_FAILED);
	p[33] = 0x5a;
	p[34] = 0x5b;
	munmap(p, PAGE);
	xensim_guest_read(GUEST, 20 * PAGE + 33, &byte, 1);
	ck_assert_uint_eq(byte, 0);
	xensim_guest_read(GUEST, 20 * PAGE + 34, &byte, 1);
	ck_assert_uint_eq(byte, 0x5b);
	ck_assert_int_eq(unmap_ref(gd, idx, 1), 0);

	/* SEND_EVENT: the port must be bound in dom0's kernel */
	idx = map1(gd, GUEST, ref);
	n.index = idx;
	n.action = UNMAP_NOTIFY_SEND_EVENT;
	n.event_channel_port = 1000;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, EINVAL);
	if (evtchn_pair(&efd, &port, &gport)) {
		fprintf(stderr, "test-xensim-gnttab: no evtchn part in this build: "
				"SEND_EVENT notification not checked\n");
		return;
	}
	/* Xen marks the new interdomain end pending when it binds */
	xensim_guest_evtchn_pending(GUEST, gport, 1);
	n.event_channel_port = port;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), 0);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, idx);
	ck_assert_ptr_ne(p, MAP_FAILED);
	munmap(p, PAGE);
	/* still in the file: not yet */
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 0), 0);
	ck_assert_int_eq(unmap_ref(gd, idx, 1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 1), 1);
	/* a bad port is EINVAL before the index is looked at */
	n.index = 50 * PAGE;
	n.event_channel_port = 1000;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, EINVAL);
	n.event_channel_port = port;
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* the reference held the port: closing our binding works */
	close(efd);
}
END_TEST

static int copy(struct gntdev_grant_copy_segment *seg, unsigned int n)
{
	struct ioctl_gntdev_grant_copy op = {.count = n, .segments = seg};

	return ioctl(gd, IOCTL_GNTDEV_GRANT_COPY, &op) ? -errno : 0;
}

START_TEST(t_grant_copy)
{
	uint32_t rw = grant(30, 0), ro = grant(31, 1);
	char local[64] = "from dom0", back[64] = {0}, gbuf[64] = {0};
	struct gntdev_grant_copy_segment seg[6];

	xensim_guest_write(GUEST, 31 * PAGE + 8, "read only", 10);
	memset(seg, 0, sizeof(seg));
	/* local -> guest */
	seg[0].source.virt = local;
	seg[0].dest.foreign.ref = rw;
	seg[0].dest.foreign.offset = 100;
	seg[0].dest.foreign.domid = GUEST;
	seg[0].len = 10;
	seg[0].flags = GNTCOPY_dest_gref;
	/* guest (ro) -> local */
	seg[1].source.foreign.ref = ro;
	seg[1].source.foreign.offset = 8;
	seg[1].source.foreign.domid = GUEST;
	seg[1].dest.virt = back;
	seg[1].len = 10;
	seg[1].flags = GNTCOPY_source_gref;
	/* write to a read-only grant */
	seg[2] = seg[0];
	seg[2].dest.foreign.ref = ro;
	/* bad domain */
	seg[3] = seg[0];
	seg[3].dest.foreign.domid = 42;
	/* bad ref */
	seg[4] = seg[1];
	seg[4].source.foreign.ref = 2000;
	/* grant -> grant */
	seg[5].source.foreign.ref = ro;
	seg[5].source.foreign.offset = 8;
	seg[5].source.foreign.domid = GUEST;
	seg[5].dest.foreign.ref = rw;
	seg[5].dest.foreign.offset = 200;
	seg[5].dest.foreign.domid = GUEST;
	seg[5].len = 10;
	seg[5].flags = GNTCOPY_source_gref | GNTCOPY_dest_gref;
	for (int i = 0; i < 6; i++)
		seg[i].status = 99;
	ck_assert_int_eq(copy(seg, 6), 0);
	ck_assert_int_eq(seg[0].status, GNTST_okay);
	ck_assert_int_eq(seg[1].status, GNTST_okay);
	ck_assert_int_eq(seg[2].status, GNTST_permission_denied);
	ck_assert_int_eq(seg[3].status, GNTST_bad_domain);
	ck_assert_int_eq(seg[4].status, GNTST_bad_gntref);
	ck_assert_int_eq(seg[5].status, GNTST_okay);
	ck_assert_str_eq(back, "read only");
	xensim_guest_read(GUEST, 30 * PAGE + 100, gbuf, 10);
	ck_assert_str_eq(gbuf, "from dom0");
	xensim_guest_read(GUEST, 30 * PAGE + 200, gbuf, 10);
	ck_assert_str_eq(gbuf, "read only");
	xensim_guest_read(GUEST, 31 * PAGE + 8, gbuf, 10);
	ck_assert_str_eq(gbuf, "read only");
	/* count 0 is the capability probe */
	ck_assert_int_eq(copy(NULL, 0), 0);
	/* a grant side crossing the page */
	seg[0].dest.foreign.offset = 4090;
	ck_assert_int_eq(copy(seg, 1), -EINVAL);
	/* local -> local */
	seg[0].dest.foreign.offset = 0;
	seg[0].flags = 0;
	ck_assert_int_eq(copy(seg, 1), -EINVAL);
}
END_TEST

static int64_t ga_alloc(int fd, uint16_t dom, uint16_t flags, uint32_t count, uint32_t *refs)
{
	size_t sz = sizeof(struct ioctl_gntalloc_alloc_gref) + count * sizeof(uint32_t);
	struct ioctl_gntalloc_alloc_gref *op = calloc(1, sz);
	int64_t r;

	ck_assert_ptr_nonnull(op);
	op->domid = dom;
	op->flags = flags;
	op->count = count;
	r = ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, op) ? -errno : (int64_t)op->index;
	if (r >= 0 && refs)
		memcpy(refs, op->gref_ids, count * sizeof(uint32_t));
	free(op);
	return r;
}

static int ga_dealloc(int fd, uint64_t index, uint32_t count)
{
	struct ioctl_gntalloc_dealloc_gref d = {.index = index, .count = count};

	return ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d) ? -errno : 0;
}

START_TEST(t_gntalloc_self)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	uint32_t refs[2];
	int64_t idx, gidx;
	char *a, *b;
	pid_t pid;
	int st;

	ck_assert_int_ge(ga, 0);
	idx = ga_alloc(ga, 0, GNTALLOC_FLAG_WRITABLE, 2, refs);
	ck_assert_int_eq(idx, 0);
	ck_assert_uint_ne(refs[0], refs[1]);
	ck_assert_uint_eq(info(0, refs[0]).flags, GTF_permit_access);
	ck_assert_uint_eq(info(0, refs[0]).domid, 0);
	ck_assert_ptr_eq(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ga, idx),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	a = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, idx);
	ck_assert_ptr_ne(a, MAP_FAILED);
	ck_assert_int_eq(a[0], 0); /* zeroed */
	strcpy(a + PAGE + 16, "shared by dom0");
	/* mapped back through gntdev, in this process */
	gidx = map1(gd, 0, refs[1]);
	ck_assert_int_ge(gidx, 0);
	b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gd, gidx);
	ck_assert_ptr_ne(b, MAP_FAILED);
	ck_assert_str_eq(b + 16, "shared by dom0");
	strcpy(b + 64, "and back");
	ck_assert_str_eq(a + PAGE + 64, "and back");
	ck_assert_uint_eq(info(0, refs[1]).flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
	/* and in another process */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int g2 = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
		int64_t i2 = g2 < 0 ? -1 : map1(g2, 0, refs[1]);
		char *c = i2 < 0 ? MAP_FAILED
				 : mmap(NULL, PAGE, PROT_READ, MAP_SHARED, g2, i2);

		_exit(c != MAP_FAILED && !strcmp(c + 16, "shared by dom0") ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child could not map it");
	/* dealloc while mapped: the pages stay */
	ck_assert_int_eq(ga_dealloc(ga, idx + PAGE, 2), -EINVAL);
	ck_assert_int_eq(ga_dealloc(ga, idx, 2), 0);
	ck_assert_int_eq(ga_dealloc(ga, idx, 2), -EINVAL);
	ck_assert_str_eq(a + PAGE + 16, "shared by dom0");
	munmap(a, 2 * PAGE);
	/* the gntdev map still holds refs[1]; refs[0] is gone */
	ck_assert_uint_eq(info(0, refs[0]).flags, 0);
	ck_assert_uint_ne(info(0, refs[1]).flags, 0);
	ck_assert_str_eq(b + 16, "shared by dom0");
	munmap(b, PAGE);
	ck_assert_uint_eq(info(0, refs[1]).flags, 0);
	close(ga);
}
END_TEST

START_TEST(t_gntalloc_rules)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	struct ioctl_gntalloc_unmap_notify n = {.action = UNMAP_NOTIFY_CLEAR_BYTE};
	uint32_t ref;
	int64_t idx, i2, gidx;
	char *a, *b;

	ck_assert_int_ge(ga, 0);
	ck_assert_int_eq(ga_alloc(ga, GUEST, 0, 1025, NULL), -ENOSPC);
	ck_assert_int_eq(ga_alloc(ga, GUEST, 0, 0, NULL), 0);
	ck_assert_int_eq(xensim_inject("ioctl:IOCTL_GNTALLOC_ALLOC_GREF", 1, 1, EIO), 0);
	ck_assert_int_eq(ga_alloc(ga, GUEST, 0, 1, NULL), -EIO);
	xensim_inject_clear();
	idx = ga_alloc(ga, GUEST, 0, 1, &ref);
	ck_assert_int_eq(idx, 0);
	ck_assert_uint_eq(info(0, ref).flags, GTF_permit_access | GTF_readonly);
	ck_assert_uint_eq(info(0, ref).domid, GUEST);
	i2 = ga_alloc(ga, 0, GNTALLOC_FLAG_WRITABLE, 1, &ref);
	ck_assert_int_eq(i2, PAGE);
	/* notification: clear a byte once the grant is gone */
	n.index = 5 * PAGE;
	ck_assert_int_eq(ioctl(ga, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, ENOENT);
	n.index = i2 + 9;
	ck_assert_int_eq(ioctl(ga, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), 0);
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, i2);
	ck_assert_ptr_ne(a, MAP_FAILED);
	a[9] = 1;
	gidx = map1(gd, 0, ref);
	b = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, gd, gidx);
	ck_assert_ptr_ne(b, MAP_FAILED);
	ck_assert_int_eq(b[9], 1);
	ck_assert_int_eq(ga_dealloc(ga, i2, 1), 0);
	ck_assert_int_eq(b[9], 1); /* still mapped by gntalloc */
	/* a dealloc'ed grant can neither be notified nor mapped again */
	ck_assert_int_eq(ioctl(ga, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY, &n), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ga, i2), MAP_FAILED);
	ck_assert_int_eq(errno, ENOENT);
	munmap(a, PAGE);
	ck_assert_int_eq(b[9], 0);
	munmap(b, PAGE);
	/* wrong offset */
	ck_assert_ptr_eq(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ga, 9 * PAGE), MAP_FAILED);
	ck_assert_int_eq(errno, ENOENT);
	/* close releases the rest */
	ck_assert_uint_ne(info(0, 8).flags, 0);
	close(ga);
	ck_assert_uint_eq(info(0, 8).flags, 0);
}
END_TEST

START_TEST(t_resource)
{
	struct privcmd_mmap_resource r = {.dom = GUEST,
					  .type = XENMEM_resource_grant_table,
					  .id = XENMEM_resource_grant_table_id_shared};
	int priv = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	uint32_t ref = grant(40, 1);
	grant_entry_v1_t *e;
	void *p;

	ck_assert_int_ge(priv, 0);
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	ck_assert_uint_eq(r.num, 4);
	r.id = XENMEM_resource_grant_table_id_status;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, priv, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	r.id = XENMEM_resource_grant_table_id_shared;
	r.num = 4;
	r.addr = (uintptr_t)p;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	e = p;
	ck_assert_uint_eq(e[ref].flags, GTF_permit_access | GTF_readonly);
	ck_assert_uint_eq(e[ref].domid, 0);
	ck_assert_uint_eq(e[ref].frame, 40);
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
	ck_assert_uint_eq(e[ref].flags, 0);
	r.idx = 3;
	r.num = 2;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	munmap(p, 4 * PAGE);
	close(priv);
}
END_TEST

START_TEST(t_release)
{
	uint32_t ref = grant(50, 0), ref2 = grant(51, 0);
	int g2 = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	int64_t idx;
	char *p;

	ck_assert_int_ge(g2, 0);
	idx = map1(g2, GUEST, ref);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, g2, idx);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_int_ge(map1(g2, GUEST, ref2), 0);
	close(g2);
	/* the mapping keeps the file */
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 1);
	munmap(p, PAGE);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 0);
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref2), 0);
	/* control errors */
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref2), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(xensim_guest_grant(42, 0, 1, 0, &ref), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(xensim_guest_grant(GUEST, 0, 1u << 30, 0, &ref), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* A simulated guest maps a grant of dom0 (control API grant-map). */
START_TEST(t_guest_map)
{
	int ga = open("/dev/xen/gntalloc", O_RDWR | O_CLOEXEC);
	uint32_t refs[2], h, h2;
	unsigned char *a, *g, *g2;
	int64_t idx;

	ck_assert_int_ge(ga, 0);
	idx = ga_alloc(ga, GUEST, GNTALLOC_FLAG_WRITABLE, 1, &refs[0]);
	ck_assert_int_ge(idx, 0);
	ck_assert_int_ge(ga_alloc(ga, GUEST, 0, 1, &refs[1]), 0); /* read-only */
	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ga, idx);
	ck_assert_ptr_ne(a, MAP_FAILED);
	strcpy((char *)a + 100, "from dom0");
	g = xensim_guest_map_grant(GUEST, 0, refs[0], 0, &h);
	ck_assert_msg(g != NULL, "grant-map: %s", strerror(errno));
	ck_assert_str_eq((char *)g + 100, "from dom0");
	strcpy((char *)g + 200, "from the guest");
	ck_assert_str_eq((char *)a + 200, "from the guest");
	ck_assert_uint_eq(info(0, refs[0]).mapcount, 1);
	ck_assert_uint_eq(info(0, refs[0]).flags,
			  GTF_permit_access | GTF_reading | GTF_writing);
	/* read-only grants: only read-only maps */
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(GUEST, 0, refs[1], 0, &h2));
	ck_assert_int_eq(errno, EINVAL);
	g2 = xensim_guest_map_grant(GUEST, 0, refs[1], 1, &h2);
	ck_assert_ptr_nonnull(g2);
	ck_assert_uint_eq(info(0, refs[1]).flags, GTF_permit_access | GTF_readonly | GTF_reading);
	ck_assert_int_eq(xensim_guest_unmap_grant(GUEST, h2, g2), 0);
	/* only the grantee; only existing domains and handles */
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(0, 0, refs[0], 1, NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(42, 0, refs[0], 1, NULL));
	ck_assert_int_eq(errno, ESRCH);
	errno = 0;
	ck_assert_ptr_null(xensim_guest_map_grant(GUEST, 0, 100000, 1, NULL));
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xensim_guest_unmap_grant(GUEST, h + 100, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* dealloc while the guest maps it: the grant stays until unmapped */
	munmap(a, PAGE);
	ck_assert_int_eq(ga_dealloc(ga, idx, 1), 0);
	ck_assert_uint_ne(info(0, refs[0]).flags, 0);
	ck_assert_str_eq((char *)g + 100, "from dom0");
	ck_assert_int_eq(xensim_guest_unmap_grant(GUEST, h, g), 0);
	ck_assert_uint_eq(info(0, refs[0]).flags, 0);
	errno = 0;
	ck_assert_int_eq(xensim_guest_unmap_grant(GUEST, h, NULL), -1); /* once */
	ck_assert_int_eq(errno, EINVAL);
	close(ga);
}
END_TEST

/* DMA-BUF export with raw ioctls: the buffer outlives the gntdev file,
 * the exports are per file, and a zero timeout does not wait. */
START_TEST(t_dmabuf_raw)
{
	struct {
		struct ioctl_gntdev_dmabuf_exp_from_refs op;
		uint32_t more[1];
	} exp;
	struct ioctl_gntdev_dmabuf_exp_wait_released w;
	uint32_t ref;
	int g2, bfd, i;
	char c;

	/* explicitly a kernel with DMA-BUF and a dom0 that is not PV */
	close(gd);
	ck_assert_int_eq(xensim_reset("kernel linux-6.12\ndomain 1 type=hvm memory=16M\n"), 0);
	gd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	g2 = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(gd, 0);
	ref = grant(60, 0);
	ck_assert_int_ge(g2, 0);
	memset(&exp, 0, sizeof(exp));
	exp.op.count = 1;
	exp.op.domid = GUEST;
	exp.op.refs[0] = ref;
	ck_assert_msg(ioctl(g2, IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS, &exp) == 0, "export: %s",
		      strerror(errno));
	bfd = (int)exp.op.fd;
	ck_assert_int_eq(fcntl(bfd, F_GETFD), FD_CLOEXEC);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 1);
	ck_assert_int_eq(read(bfd, &c, 1), 0); /* nothing to read */
	w.fd = (uint32_t)bfd;
	w.wait_to_ms = 0;
	ck_assert_int_eq(ioctl(g2, IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, &w), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	/* another gntdev file does not know it */
	ck_assert_int_eq(ioctl(gd, IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, &w), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* the buffer outlives the file that exported it */
	close(g2);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 1);
	close(bfd);
	for (i = 0; i < 1000 && info(GUEST, ref).mapcount; i++)
		usleep(10000);
	ck_assert_uint_eq(info(GUEST, ref).mapcount, 0);
	ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
}
END_TEST

static Suite *gnttab_suite(void)
{
	Suite *s = suite_create("xensim-gnttab");
	TCase *tc = tcase_create("gnttab");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, t_map_read_write);
	tcase_add_test(tc, t_map_readonly);
	tcase_add_test(tc, t_map_errors);
	tcase_add_test(tc, t_indexes);
	tcase_add_test(tc, t_notify);
	tcase_add_test(tc, t_grant_copy);
	tcase_add_test(tc, t_gntalloc_self);
	tcase_add_test(tc, t_gntalloc_rules);
	tcase_add_test(tc, t_resource);
	tcase_add_test(tc, t_release);
	tcase_add_test(tc, t_guest_map);
	tcase_add_test(tc, t_dmabuf_raw);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gnttab_suite());
	int failed;

	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr, "test-xensim-gnttab: needs a simulator (run under xensim)\n");
		return 77;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
