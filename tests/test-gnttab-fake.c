/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab's Linux layer against a small in-process fake of the gntdev
 * and gntalloc drivers: this program defines open(), ioctl(), mmap() and
 * munmap(), so the library's calls on /dev/xen/gntdev and /dev/xen/gntalloc
 * land here (everything else goes on to libc). The fake keeps "foreign"
 * pages in a memfd, checks each request as the reference notes describe
 * the drivers, and records what it saw, so the tests check the exact
 * kernel-facing behaviour: ioctl arguments, mmap offsets, notification
 * encoding, unmap order, DEALLOC after every share, the bounded EAGAIN
 * retry, and the ENOTTY -> success / EOPNOTSUPP mappings.
 *
 * This complements test-gnttab (on xensim); it is not a simulation of Xen.
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xen-kernel.h"
#include "xengnttab.h"
#include "xenstable.h"
#include "xentoolcore.h"

#define PAGE XEN_PAGE_SIZE
#define NPAGES 64 /* foreign pages: ref r of domain d is page (d * 8 + r) % NPAGES */
#define MAXMAPS 64

/* ---------------------------------------------------------------------- */
/* The fake drivers                                                        */

enum kind { NONE, GNTDEV, GNTALLOC };

struct fmap {
	bool used, unmapped_ioctl, munmapped, mmapped, readonly_grant;
	uint64_t index;
	uint32_t count;
	uint32_t page0; /* first backing page (contiguous in the fake) */
	void *addr;
	uint32_t notify_action, notify_port;
	uint64_t notify_index;
	bool dealloc; /* gntalloc: DEALLOC seen */
	enum kind kind;
};

static struct {
	int fd_kind[1024];
	int memfd; /* backing pages */
	unsigned char *mem;
	struct fmap maps[MAXMAPS];
	uint64_t next_index;
	int eagain; /* next mmaps failing with EAGAIN (-1: forever) */
	int mmap_calls;
	bool dmabuf;
	int events[16]; /* ports notified at teardown */
	int nevents;
	int last_dealloc_count;
	int dealloc_calls;
	uint32_t bad_ref; /* a reference that does not map */
	uint32_t ro_ref;  /* a read-only grant */
	int max_grants_errno; /* SET_MAX_GRANTS answer */
} fk;

static int (*real_open)(const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);

static void fake_init(void)
{
	if (!real_open) {
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
		real_mmap = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT,
										 "mmap");
		real_munmap = (int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap");
	}
}

static void fake_reset(void)
{
	fake_init();
	memset(fk.fd_kind, 0, sizeof(fk.fd_kind));
	memset(fk.maps, 0, sizeof(fk.maps));
	fk.next_index = 0;
	fk.eagain = 0;
	fk.mmap_calls = 0;
	fk.dmabuf = true;
	fk.nevents = 0;
	fk.dealloc_calls = 0;
	fk.last_dealloc_count = 0;
	fk.bad_ref = 999;
	fk.ro_ref = 7;
	fk.max_grants_errno = ENOTTY;
	fk.memfd = memfd_create("fake-foreign-pages", MFD_CLOEXEC);
	ck_assert_int_ge(fk.memfd, 0);
	ck_assert_int_eq(ftruncate(fk.memfd, NPAGES * PAGE), 0);
	fk.mem = real_mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fk.memfd, 0);
	ck_assert_ptr_ne(fk.mem, MAP_FAILED);
}

static void fake_fini(void)
{
	real_munmap(fk.mem, NPAGES * PAGE);
	close(fk.memfd);
}

static uint32_t page_of(uint32_t domid, uint32_t ref)
{
	return (domid * 8 + ref) % NPAGES;
}

static enum kind kind_of(int fd)
{
	return fd >= 0 && fd < 1024 ? (enum kind)fk.fd_kind[fd] : NONE;
}

/* The project builds with -fvisibility=hidden: these must be visible. */
#define INTERPOSE __attribute__((visibility("default")))

INTERPOSE int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list al;

	fake_init();
	va_start(al, flags);
	if (flags & O_CREAT)
		mode = va_arg(al, mode_t);
	va_end(al);
	if (!strcmp(path, XS_DEV_GNTDEV) || !strcmp(path, XS_DEV_GNTALLOC)) {
		int fd = memfd_create(path + 9, (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);

		if (fd >= 0 && fd < 1024)
			fk.fd_kind[fd] = strcmp(path, XS_DEV_GNTDEV) ? GNTALLOC : GNTDEV;
		return fd;
	}
	return real_open(path, flags, mode);
}

static struct fmap *map_by_index(uint64_t index, uint32_t count, enum kind k)
{
	int i;

	for (i = 0; i < MAXMAPS; i++)
		if (fk.maps[i].used && fk.maps[i].kind == k && fk.maps[i].index == index &&
		    fk.maps[i].count == count)
			return &fk.maps[i];
	return NULL;
}

static struct fmap *map_containing(uint64_t byte, enum kind k)
{
	int i;

	for (i = 0; i < MAXMAPS; i++)
		if (fk.maps[i].used && fk.maps[i].kind == k && byte >= fk.maps[i].index &&
		    byte < fk.maps[i].index + (uint64_t)fk.maps[i].count * PAGE)
			return &fk.maps[i];
	return NULL;
}

static struct fmap *map_new(enum kind k, uint32_t count)
{
	int i;

	for (i = 0; i < MAXMAPS; i++)
		if (!fk.maps[i].used) {
			memset(&fk.maps[i], 0, sizeof(fk.maps[i]));
			fk.maps[i].used = true;
			fk.maps[i].kind = k;
			fk.maps[i].count = count;
			fk.maps[i].index = fk.next_index;
			fk.next_index += (uint64_t)count * PAGE;
			return &fk.maps[i];
		}
	return NULL;
}

/* Last reference gone: the notification fires, the map disappears. */
static void map_release(struct fmap *m)
{
	if (m->notify_action & UNMAP_NOTIFY_CLEAR_BYTE)
		fk.mem[(uint64_t)m->page0 * PAGE + (m->notify_index - m->index)] = 0;
	if ((m->notify_action & UNMAP_NOTIFY_SEND_EVENT) && fk.nevents < 16)
		fk.events[fk.nevents++] = (int)m->notify_port;
	m->used = false;
}

static int fk_fail(int err)
{
	errno = err;
	return -1;
}

static int gntdev_ioctl(unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_GNTDEV_MAP_GRANT_REF: {
		struct ioctl_gntdev_map_grant_ref *op = arg;
		struct ioctl_gntdev_grant_ref *g =
			(void *)((char *)op + offsetof(struct ioctl_gntdev_map_grant_ref, refs));
		struct fmap *m;
		uint32_t i;

		if (op->count == 0 || op->count > 65536)
			return fk_fail(EINVAL);
		/* The fake backs a map with contiguous pages: refs must be too. */
		for (i = 1; i < op->count; i++)
			if (page_of(g[i].domid, g[i].ref) != page_of(g[0].domid, g[0].ref) + i)
				return fk_fail(EINVAL);
		m = map_new(GNTDEV, op->count);
		if (!m)
			return fk_fail(ENOMEM);
		m->page0 = page_of(g[0].domid, g[0].ref);
		for (i = 0; i < op->count; i++) {
			if (g[i].ref == fk.bad_ref)
				m->readonly_grant = true, m->page0 = UINT32_MAX; /* fails at mmap */
			if (g[i].ref == fk.ro_ref)
				m->readonly_grant = true;
		}
		op->index = m->index;
		return 0;
	}
	case IOCTL_GNTDEV_UNMAP_GRANT_REF: {
		struct ioctl_gntdev_unmap_grant_ref *op = arg;
		struct fmap *m = map_by_index(op->index, op->count, GNTDEV);

		if (!m || m->unmapped_ioctl)
			return fk_fail(ENOENT);
		m->unmapped_ioctl = true;
		if (m->munmapped || !m->mmapped)
			map_release(m);
		return 0;
	}
	case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: {
		struct ioctl_gntdev_get_offset_for_vaddr *op = arg;
		int i;

		for (i = 0; i < MAXMAPS; i++) {
			struct fmap *m = &fk.maps[i];

			if (m->used && m->kind == GNTDEV && m->mmapped && !m->munmapped &&
			    op->vaddr >= (uintptr_t)m->addr &&
			    op->vaddr < (uintptr_t)m->addr + (uint64_t)m->count * PAGE) {
				op->offset = m->index;
				op->count = m->count;
				return 0;
			}
		}
		return fk_fail(EINVAL);
	}
	case IOCTL_GNTDEV_SET_MAX_GRANTS:
		return fk.max_grants_errno ? fk_fail(fk.max_grants_errno) : 0;
	case IOCTL_GNTDEV_SET_UNMAP_NOTIFY: {
		struct ioctl_gntdev_unmap_notify *op = arg;
		struct fmap *m = map_containing(op->index, GNTDEV);

		if (op->action & ~(UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT))
			return fk_fail(EINVAL);
		if (!m)
			return fk_fail(ENOENT);
		if ((op->action & UNMAP_NOTIFY_SEND_EVENT) && op->event_channel_port >= 1000)
			return fk_fail(EINVAL); /* not bound in this domain */
		m->notify_action = op->action;
		m->notify_port = op->event_channel_port;
		m->notify_index = op->index;
		return 0;
	}
	case IOCTL_GNTDEV_GRANT_COPY: {
		struct ioctl_gntdev_grant_copy *op = arg;
		unsigned int i;

		for (i = 0; i < op->count; i++) {
			struct gntdev_grant_copy_segment *s = &op->segments[i];
			unsigned char *src, *dst;

			s->status = GNTST_okay;
			if (s->flags & GNTCOPY_source_gref) {
				if (s->source.foreign.ref == fk.bad_ref) {
					s->status = GNTST_bad_gntref;
					continue;
				}
				src = fk.mem +
				      (uint64_t)page_of(s->source.foreign.domid, s->source.foreign.ref) *
					      PAGE +
				      s->source.foreign.offset;
			} else {
				src = s->source.virt;
			}
			if (s->flags & GNTCOPY_dest_gref) {
				if (s->dest.foreign.ref == fk.ro_ref) {
					s->status = GNTST_permission_denied;
					continue;
				}
				dst = fk.mem +
				      (uint64_t)page_of(s->dest.foreign.domid, s->dest.foreign.ref) *
					      PAGE +
				      s->dest.foreign.offset;
			} else {
				dst = s->dest.virt;
			}
			memcpy(dst, src, s->len);
		}
		return 0;
	}
	case IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS: {
		struct ioctl_gntdev_dmabuf_exp_from_refs *op = arg;

		if (!fk.dmabuf)
			return fk_fail(ENOTTY);
		op->fd = (uint32_t)memfd_create("fake-dmabuf", 0); /* not CLOEXEC: the lib fixes it */
		return 0;
	}
	case IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED: {
		struct ioctl_gntdev_dmabuf_exp_wait_released *op = arg;

		if (!fk.dmabuf)
			return fk_fail(ENOTTY);
		return fk_fail(fcntl((int)op->fd, F_GETFD) >= 0 ? ETIMEDOUT : ENOENT);
	}
	case IOCTL_GNTDEV_DMABUF_IMP_TO_REFS: {
		struct ioctl_gntdev_dmabuf_imp_to_refs *op = arg;
		uint32_t *refs =
			(void *)((char *)op + offsetof(struct ioctl_gntdev_dmabuf_imp_to_refs, refs));
		uint32_t i;

		if (!fk.dmabuf)
			return fk_fail(ENOTTY);
		if (op->reserved)
			return fk_fail(EINVAL);
		for (i = 0; i < op->count; i++)
			refs[i] = 100 + op->domid * 10 + i;
		return 0;
	}
	case IOCTL_GNTDEV_DMABUF_IMP_RELEASE:
		return fk.dmabuf ? 0 : fk_fail(ENOTTY);
	}
	return fk_fail(ENOTTY);
}

static int gntalloc_ioctl(unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_GNTALLOC_ALLOC_GREF: {
		struct ioctl_gntalloc_alloc_gref *op = arg;
		uint32_t *ids =
			(void *)((char *)op + offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids));
		struct fmap *m;
		uint32_t i;

		if (op->count == 0 || op->count > 32)
			return fk_fail(op->count ? ENOSPC : EINVAL);
		m = map_new(GNTALLOC, op->count);
		if (!m)
			return fk_fail(ENOSPC);
		m->page0 = 32; /* dom0's pages live in the upper half */
		memset(fk.mem + 32 * PAGE, 0, (size_t)op->count * PAGE);
		m->readonly_grant = !(op->flags & GNTALLOC_FLAG_WRITABLE);
		for (i = 0; i < op->count; i++)
			ids[i] = 500 + op->domid * 50 + i;
		op->index = m->index;
		return 0;
	}
	case IOCTL_GNTALLOC_DEALLOC_GREF: {
		struct ioctl_gntalloc_dealloc_gref *op = arg;
		struct fmap *m = map_by_index(op->index, op->count, GNTALLOC);

		fk.dealloc_calls++;
		fk.last_dealloc_count = (int)op->count;
		if (!m)
			return fk_fail(EINVAL);
		m->dealloc = true;
		if (!m->mmapped || m->munmapped)
			map_release(m);
		return 0;
	}
	case IOCTL_GNTALLOC_SET_UNMAP_NOTIFY: {
		struct ioctl_gntalloc_unmap_notify *op = arg;
		struct fmap *m = map_containing(op->index, GNTALLOC);

		if (!m)
			return fk_fail(ENOENT);
		m->notify_action = op->action;
		m->notify_port = op->event_channel_port;
		m->notify_index = op->index;
		return 0;
	}
	}
	return fk_fail(ENOTTY);
}

INTERPOSE int ioctl(int fd, unsigned long cmd, ...)
{
	va_list al;
	void *arg;

	fake_init();
	va_start(al, cmd);
	arg = va_arg(al, void *);
	va_end(al);
	switch (kind_of(fd)) {
	case GNTDEV:
		return gntdev_ioctl(cmd, arg);
	case GNTALLOC:
		return gntalloc_ioctl(cmd, arg);
	default:
		return real_ioctl(fd, cmd, arg);
	}
}

INTERPOSE void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	enum kind k;
	struct fmap *m;
	void *p;

	fake_init();
	k = kind_of(fd);
	if (k == NONE)
		return real_mmap(addr, len, prot, flags, fd, off);
	fk.mmap_calls++;
	if (k == GNTDEV && fk.eagain) {
		if (fk.eagain > 0)
			fk.eagain--;
		errno = EAGAIN;
		return MAP_FAILED;
	}
	m = map_by_index((uint64_t)off, (uint32_t)(len / PAGE), k);
	if (!m || m->mmapped || len % PAGE || !(flags & MAP_SHARED)) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (m->page0 == UINT32_MAX || (k == GNTDEV && m->readonly_grant && (prot & PROT_WRITE))) {
		errno = EINVAL; /* Xen refuses the grant map */
		return MAP_FAILED;
	}
	p = real_mmap(addr, len, prot, MAP_SHARED, fk.memfd, (off_t)m->page0 * PAGE);
	if (p == MAP_FAILED)
		return p;
	m->mmapped = true;
	m->addr = p;
	return p;
}

INTERPOSE int munmap(void *addr, size_t len)
{
	int i;

	fake_init();
	for (i = 0; i < MAXMAPS; i++) {
		struct fmap *m = &fk.maps[i];

		if (m->used && m->mmapped && !m->munmapped && m->addr == addr &&
		    len == (size_t)m->count * PAGE) {
			m->munmapped = true;
			if ((m->kind == GNTDEV && m->unmapped_ioctl) ||
			    (m->kind == GNTALLOC && m->dealloc))
				map_release(m);
			break;
		}
	}
	return real_munmap(addr, len);
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */

static int live_maps(void)
{
	int i, n = 0;

	for (i = 0; i < MAXMAPS; i++)
		n += fk.maps[i].used;
	return n;
}

START_TEST(map_unmap_sequence)
{
	xengnttab_handle *xgt;
	uint32_t refs[3] = { 1, 2, 3 };
	unsigned char *p;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert(fcntl(xengnttab_fd(xgt), F_GETFD) & FD_CLOEXEC);
	/* Mainline has no SET_MAX_GRANTS: ENOTTY is a success. */
	ck_assert_int_eq(xengnttab_set_max_grants(xgt, 10), 0);
	fk.max_grants_errno = E2BIG;
	errno = 0;
	ck_assert_int_eq(xengnttab_set_max_grants(xgt, 10), -1);
	ck_assert_int_eq(errno, E2BIG);

	memset(fk.mem + page_of(1, 1) * PAGE, 0xab, 3 * PAGE);
	p = xengnttab_map_domain_grant_refs(xgt, 3, 1, refs, PROT_READ | PROT_WRITE);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p[0], 0xab);
	ck_assert_uint_eq(p[3 * PAGE - 1], 0xab);
	p[PAGE + 5] = 0x11;
	ck_assert_uint_eq(fk.mem[(page_of(1, 1) + 1) * PAGE + 5], 0x11);
	ck_assert_int_eq(live_maps(), 1);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 3), 0);
	ck_assert_int_eq(live_maps(), 0); /* both munmap and UNMAP_GRANT_REF done */

	/* All or nothing: a grant Xen refuses leaves no map behind. */
	refs[0] = fk.bad_ref;
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, fk.bad_ref, PROT_READ));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(live_maps(), 0);
	/* A read-only grant cannot be mapped writable, but readable. */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, fk.ro_ref, PROT_READ | PROT_WRITE));
	ck_assert_int_eq(live_maps(), 0);
	p = xengnttab_map_grant_ref(xgt, 1, fk.ro_ref, PROT_READ);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(stale_mapping_detected)
{
	xengnttab_handle *xgt;
	unsigned char *p;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	p = xengnttab_map_grant_ref(xgt, 1, 4, PROT_READ);
	ck_assert_ptr_nonnull(p);
	/* Released behind the library's back: unmap refuses, frees the map. */
	ck_assert_int_eq(munmap(p, PAGE), 0);
	errno = 0;
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(live_maps(), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(notify_encoding)
{
	xengnttab_handle *xgt;
	unsigned char *p;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	memset(fk.mem + page_of(2, 3) * PAGE, 0x5a, PAGE);
	p = xengnttab_map_grant_ref_notify(xgt, 2, 3, PROT_READ | PROT_WRITE, 100, 42);
	ck_assert_ptr_nonnull(p);
	{
		int i;
		struct fmap *m = NULL;

		for (i = 0; i < MAXMAPS; i++)
			if (fk.maps[i].used)
				m = &fk.maps[i];
		ck_assert_ptr_nonnull(m);
		ck_assert_uint_eq(m->notify_action,
				  UNMAP_NOTIFY_CLEAR_BYTE | UNMAP_NOTIFY_SEND_EVENT);
		ck_assert_uint_eq(m->notify_index, m->index + 100);
		ck_assert_uint_eq(m->notify_port, 42);
	}
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_uint_eq(fk.mem[page_of(2, 3) * PAGE + 100], 0);
	ck_assert_uint_eq(fk.mem[page_of(2, 3) * PAGE + 101], 0x5a);
	ck_assert_int_eq(fk.nevents, 1);
	ck_assert_int_eq(fk.events[0], 42);

	/* Event only: no byte cleared; the index is the map's. */
	p = xengnttab_map_grant_ref_notify(xgt, 2, 3, PROT_READ, -1, 43);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(fk.nevents, 2);
	ck_assert_int_eq(fk.events[1], 43);
	ck_assert_uint_eq(fk.mem[page_of(2, 3) * PAGE + 0], 0x5a);

	/* The notification cannot be set up: nothing stays mapped. */
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref_notify(xgt, 2, 3, PROT_READ, -1, 5000));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(live_maps(), 0);
	ck_assert_int_eq(fk.nevents, 2);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(eagain_bounded)
{
	xengnttab_handle *xgt;
	void *p;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	fk.eagain = 3;
	p = xengnttab_map_grant_ref(xgt, 1, 1, PROT_READ);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fk.mmap_calls, 4);
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	fk.eagain = -1;
	fk.mmap_calls = 0;
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, 1, PROT_READ));
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fk.mmap_calls, 1000);
	ck_assert_int_eq(live_maps(), 0); /* the reservation was released */
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(grant_copy_in_place)
{
	xengnttab_grant_copy_segment_t seg[3];
	xengnttab_handle *xgt;
	unsigned char local[32];

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 0, NULL), 0);
	memset(fk.mem + page_of(1, 2) * PAGE, 0x33, PAGE);
	memset(local, 0x44, sizeof(local));
	memset(seg, 0, sizeof(seg));
	seg[0].flags = GNTCOPY_source_gref;
	seg[0].source.foreign.domid = 1;
	seg[0].source.foreign.ref = 2;
	seg[0].source.foreign.offset = 8;
	seg[0].dest.virt = local;
	seg[0].len = 16;
	seg[1].flags = GNTCOPY_dest_gref;
	seg[1].source.virt = local + 16;
	seg[1].dest.foreign.domid = 1;
	seg[1].dest.foreign.ref = 2;
	seg[1].dest.foreign.offset = 4000;
	seg[1].len = 16;
	seg[2].flags = GNTCOPY_dest_gref;
	seg[2].source.virt = local;
	seg[2].dest.foreign.domid = 1;
	seg[2].dest.foreign.ref = fk.ro_ref;
	seg[2].len = 4;
	ck_assert_int_eq(xengnttab_grant_copy(xgt, 3, seg), 0);
	ck_assert_int_eq(seg[0].status, GNTST_okay);
	ck_assert_int_eq(seg[1].status, GNTST_okay);
	ck_assert_int_eq(seg[2].status, GNTST_permission_denied);
	ck_assert_uint_eq(local[0], 0x33);
	ck_assert_uint_eq(local[15], 0x33);
	ck_assert_uint_eq(fk.mem[page_of(1, 2) * PAGE + 4000], 0x44);
	ck_assert_uint_eq(fk.mem[page_of(1, 2) * PAGE + 3999], 0x33);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(dmabuf_encoding)
{
	xengnttab_handle *xgt;
	uint32_t refs[2] = { 1, 2 }, out[2], fd;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 2, refs, &fd), 0);
	ck_assert(fcntl((int)fd, F_GETFD) & FD_CLOEXEC); /* made close-on-exec */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 1), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	close((int)fd);
	errno = EBADF;
	ck_assert_int_eq(xengnttab_dmabuf_exp_wait_released(xgt, fd, 1), 0); /* ENOENT */
	ck_assert_int_eq(errno, 0);
	ck_assert_int_eq(xengnttab_dmabuf_imp_to_refs(xgt, 3, 9, 2, out), 0);
	ck_assert_uint_eq(out[0], 130);
	ck_assert_uint_eq(out[1], 131);
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, 9), 0);

	fk.dmabuf = false; /* ENOTTY: no DMA-BUF in this kernel */
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 2, refs, &fd), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	errno = 0;
	ck_assert_int_eq(xengnttab_dmabuf_imp_release(xgt, 9), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

START_TEST(share_sequence)
{
	xengntshr_handle *xgs;
	uint32_t refs[2] = { 0, 0 }, ref = 0xdead;
	unsigned char *p;

	fake_reset();
	xgs = xengntshr_open(NULL, 0);
	ck_assert_ptr_nonnull(xgs);
	ck_assert(fcntl(xengntshr_fd(xgs), F_GETFD) & FD_CLOEXEC);
	p = xengntshr_share_pages(xgs, 3, 2, refs, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(refs[0], 650);
	ck_assert_uint_eq(refs[1], 651);
	/* DEALLOC straight away; the mapping keeps the pages. */
	ck_assert_int_eq(fk.dealloc_calls, 1);
	ck_assert_int_eq(fk.last_dealloc_count, 2);
	ck_assert_int_eq(live_maps(), 1);
	p[PAGE] = 9;
	ck_assert_uint_eq(fk.mem[33 * PAGE], 9);
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 2), 0);
	ck_assert_int_eq(live_maps(), 0);

	/* With a notification; the byte is cleared when the page goes. */
	p = xengntshr_share_page_notify(xgs, 0, &ref, 0, 7, 21);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(ref, 500);
	p[7] = 1;
	p[8] = 1;
	ck_assert_int_eq(xengntshr_unshare(xgs, p, 1), 0);
	ck_assert_uint_eq(fk.mem[32 * PAGE + 7], 0);
	ck_assert_uint_eq(fk.mem[32 * PAGE + 8], 1);
	ck_assert_int_eq(fk.nevents, 1);
	ck_assert_int_eq(fk.events[0], 21);

	/* The kernel's limit: nothing allocated, refs untouched. */
	refs[0] = refs[1] = 77;
	fk.dealloc_calls = 0;
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 3, 40, refs, 1));
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_uint_eq(refs[0], 77);
	ck_assert_int_eq(fk.dealloc_calls, 0);
	ck_assert_int_eq(live_maps(), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	fake_fini();
}
END_TEST

START_TEST(restrict_neuters_both)
{
	xengnttab_handle *xgt;
	xengntshr_handle *xgs;
	uint32_t ref;
	void *p, *s;

	fake_reset();
	xgt = xengnttab_open(NULL, 0);
	xgs = xengntshr_open(NULL, 0);
	ck_assert_ptr_nonnull(xgt);
	ck_assert_ptr_nonnull(xgs);
	p = xengnttab_map_grant_ref(xgt, 1, 1, PROT_READ);
	s = xengntshr_share_pages(xgs, 1, 1, &ref, 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(xentoolcore_restrict_all(5), 0);
	{
		struct stat st, null_st;
		int fds[2] = { xengnttab_fd(xgt), xengntshr_fd(xgs) }, i;

		ck_assert_int_eq(stat("/dev/null", &null_st), 0);
		for (i = 0; i < 2; i++) {
			/* /dev/null now (the fake cannot see the dup2 itself). */
			ck_assert_int_eq(fstat(fds[i], &st), 0);
			ck_assert(S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev);
			fk.fd_kind[fds[i]] = NONE;
		}
	}
	ck_assert(fcntl(xengnttab_fd(xgt), F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(xengntshr_fd(xgs), F_GETFD) & FD_CLOEXEC);
	errno = 0;
	ck_assert_ptr_null(xengnttab_map_grant_ref(xgt, 1, 1, PROT_READ));
	ck_assert_int_eq(errno, EPERM);
	errno = 0;
	ck_assert_ptr_null(xengntshr_share_pages(xgs, 1, 1, &ref, 1));
	ck_assert_int_eq(errno, EPERM);
	/* Existing mappings still go away cleanly. */
	ck_assert_int_eq(xengnttab_unmap(xgt, p, 1), 0);
	ck_assert_int_eq(xengntshr_unshare(xgs, s, 1), 0);
	ck_assert_int_eq(xengntshr_close(xgs), 0);
	ck_assert_int_eq(xengnttab_close(xgt), 0);
	fake_fini();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xengnttab on fake drivers");
	TCase *tc = tcase_create("linux layer");
	SRunner *sr;
	int failed;

	if (sizeof(void *) != 8) {
		fprintf(stderr, "test-gnttab-fake: the fake drivers need a 64-bit ABI: skipped\n");
		return 77;
	}
	tcase_add_test(tc, map_unmap_sequence);
	tcase_add_test(tc, stale_mapping_detected);
	tcase_add_test(tc, notify_encoding);
	tcase_add_test(tc, eagain_bounded);
	tcase_add_test(tc, grant_copy_in_place);
	tcase_add_test(tc, dmabuf_encoding);
	tcase_add_test(tc, share_sequence);
	tcase_add_test(tc, restrict_neuters_both);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
