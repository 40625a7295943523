/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * mmap()/munmap() and the table of simulated mappings (VMAs): privcmd
 * reservations populated by MMAPBATCH/MMAP_RESOURCE, /dev/xen/hypercall
 * buffers, gntdev and gntalloc mappings.
 */
#include "config.h"

/* We define both the plain and the *64 entry points of libc ourselves:
 * no large-file renaming of the declarations in this file. */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "xs-compiler.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* A gntdev/gntalloc map as the driver sees it: alive while mapped. */
struct gnt_map {
	int device;
	uint64_t index;
	uint32_t count;
	int dupfd; /* keeps the connection (the kernel file) alive */
	dev_t dev; /* ... which is this socket */
	ino_t ino;
	struct shim_conn *conn;
	size_t live; /* pages still mapped */
};

struct vma {
	uintptr_t start, end;
	int kind;
	int prot;
	int used;		     /* privcmd: populated once */
	struct shim_vma_page *pages; /* privcmd */
	struct gnt_map *gm;	     /* gntdev/gntalloc */
};

static pthread_mutex_t vma_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vma *vmas;
static size_t nvmas, vmas_cap;

void shim_vma_lock(void)
{
	pthread_mutex_lock(&vma_lock);
}

void shim_vma_unlock(void)
{
	pthread_mutex_unlock(&vma_lock);
}

static size_t pages_of(size_t len)
{
	return (len + SHIM_PAGE_SIZE - 1) >> SHIM_PAGE_SHIFT;
}

static void *raw_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (shim_real()->mmap)
		return shim_real()->mmap(addr, len, prot, flags, fd, off);
#ifdef SYS_mmap2
	/* 32-bit: mmap2 takes the offset in 4096-byte units (i386's SYS_mmap
	 * is the old one-struct-argument call) */
	return (void *)syscall(SYS_mmap2, addr, len, prot, flags, fd, (long)(off >> 12));
#else
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
#endif
}

static int raw_munmap(void *addr, size_t len)
{
	if (shim_real()->munmap)
		return shim_real()->munmap(addr, len);
	return (int)syscall(SYS_munmap, addr, len);
}

static struct vma *vma_add_locked(uintptr_t start, uintptr_t end, int kind, int prot)
{
	struct vma *v;

	if (nvmas == vmas_cap) {
		size_t ncap = vmas_cap ? vmas_cap * 2 : 16;
		struct vma *n = realloc(vmas, ncap * sizeof(*n));

		if (!n)
			return NULL;
		vmas = n;
		vmas_cap = ncap;
	}
	v = &vmas[nvmas++];
	memset(v, 0, sizeof(*v));
	v->start = start;
	v->end = end;
	v->kind = kind;
	v->prot = prot;
	return v;
}

static struct vma *vma_find_locked(uintptr_t addr)
{
	size_t i;

	for (i = 0; i < nvmas; i++)
		if (addr >= vmas[i].start && addr < vmas[i].end)
			return &vmas[i];
	return NULL;
}

/* Tell the daemon a gnt map is no longer mapped, and let go of it. */
/* Is our dup still the connection (a program may have closed all its
 * fds, and the number been reused since)? */
static int dup_is_ours(const struct gnt_map *gm)
{
	struct stat st;

	return gm->dupfd >= 0 && fstat(gm->dupfd, &st) == 0 && st.st_ino == gm->ino &&
	       st.st_dev == gm->dev;
}

static void gnt_map_release(struct gnt_map *gm)
{
	struct xsp_index_count ic = {.index = gm->index, .count = gm->count};

	if (!dup_is_ours(gm))
		gm->dupfd = -1;
	if (gm->conn && gm->dupfd >= 0) {
		shim_call_ret(gm->conn, gm->dupfd,
			      gm->device == XSP_DEV_GNTDEV ? XSP_GNTDEV_MUNMAP
							   : XSP_GNTALLOC_MUNMAP,
			      &ic, sizeof(ic));
	}
	if (gm->dupfd >= 0)
		close(gm->dupfd); /* through our close(): forgets the conn if last */
	free(gm);
}

/*
 * Remove [a, b) from the table (it has been unmapped or replaced). gnt
 * maps whose last page went are appended to @dead (room for 2 * nvmas).
 */
static void forget_range_locked(uintptr_t a, uintptr_t b, struct gnt_map **dead,
				size_t *ndead)
{
	size_t i = 0;

	while (i < nvmas) {
		struct vma *v = &vmas[i];
		uintptr_t lo, hi;

		if (v->end <= a || v->start >= b) {
			i++;
			continue;
		}
		lo = v->start > a ? v->start : a;
		hi = v->end < b ? v->end : b;
		if (v->gm) {
			v->gm->live -= (hi - lo) >> SHIM_PAGE_SHIFT;
			if (v->gm->live == 0)
				dead[(*ndead)++] = v->gm;
		}
		if (lo == v->start && hi == v->end) {
			/* Whole VMA gone. */
			free(v->pages);
			vmas[i] = vmas[--nvmas];
			continue;
		}
		if (lo == v->start) {
			/* Head gone. */
			size_t cut = (hi - v->start) >> SHIM_PAGE_SHIFT;

			if (v->pages)
				memmove(v->pages, v->pages + cut,
					((v->end - hi) >> SHIM_PAGE_SHIFT) *
						sizeof(*v->pages));
			v->start = hi;
		} else if (hi == v->end) {
			/* Tail gone. */
			v->end = lo;
		} else {
			/* Hole in the middle: split. */
			struct vma tail = *v, *nv;
			size_t skip = (hi - v->start) >> SHIM_PAGE_SHIFT;
			size_t tn = (v->end - hi) >> SHIM_PAGE_SHIFT;

			tail.start = hi;
			tail.pages = NULL;
			if (v->pages) {
				tail.pages = malloc(tn * sizeof(*tail.pages));
				if (tail.pages)
					memcpy(tail.pages, v->pages + skip,
					       tn * sizeof(*tail.pages));
			}
			v->end = lo;
			nv = vma_add_locked(tail.start, tail.end, tail.kind, tail.prot);
			if (nv) {
				*nv = tail;
			} else {
				free(tail.pages);
			}
			/* vmas may have moved; nothing else uses v below. */
		}
		i++;
	}
}

static size_t ntracked(void)
{
	return __atomic_load_n(&nvmas, __ATOMIC_RELAXED);
}

/* forget_range() with the VMA lock held. */
static void forget_range_held(uintptr_t a, size_t len)
{
	struct gnt_map **dead;
	size_t ndead = 0, i;

	dead = calloc(nvmas * 2 + 1, sizeof(*dead));
	if (dead)
		forget_range_locked(a, a + pages_of(len) * SHIM_PAGE_SIZE, dead, &ndead);
	for (i = 0; i < ndead; i++)
		gnt_map_release(dead[i]);
	free(dead);
}

static void forget_range(uintptr_t a, size_t len)
{
	shim_vma_lock();
	forget_range_held(a, len);
	shim_vma_unlock();
}

/* ---- frames from replies ------------------------------------------------ */

int shim_map_frames(uintptr_t addr, size_t npages, const unsigned char *p, size_t len,
		    const struct xsw_msg *m, int prot, const int32_t *err)
{
	struct xsp_frames fr;
	const unsigned char *fp;
	size_t i, k = 0;

	if (len < sizeof(fr))
		return -EPROTO;
	memcpy(&fr, p, sizeof(fr));
	if (fr.nframes > (len - sizeof(fr)) / sizeof(struct xsp_frame))
		return -EPROTO;
	fp = p + sizeof(fr);
	i = 0;
	while (i < npages) {
		struct xsp_frame f, g;
		size_t run = 1;
		int pr;

		if (err && err[i]) {
			i++;
			continue;
		}
		if (k >= fr.nframes)
			return -EPROTO;
		memcpy(&f, fp + k * sizeof(f), sizeof(f));
		if (f.fd_index < 0 || f.fd_index >= m->nfds || m->fds[f.fd_index] < 0)
			return -EPROTO;
		/* Extend the run over pages backed contiguously by the same fd. */
		while (i + run < npages && !(err && err[i + run]) &&
		       k + run < fr.nframes) {
			memcpy(&g, fp + (k + run) * sizeof(g), sizeof(g));
			if (g.fd_index != f.fd_index || g.flags != f.flags ||
			    g.offset != f.offset + run * SHIM_PAGE_SIZE)
				break;
			run++;
		}
		pr = prot;
		if (f.flags & XSP_FRAME_RO)
			pr &= ~PROT_WRITE;
		if (raw_mmap((void *)(addr + i * SHIM_PAGE_SIZE), run * SHIM_PAGE_SIZE,
			     pr, MAP_SHARED | MAP_FIXED, m->fds[f.fd_index],
			     (off_t)f.offset) == MAP_FAILED)
			return -errno;
		i += run;
		k += run;
	}
	return 0;
}

/* ---- privcmd ------------------------------------------------------------ */

int shim_privcmd_batch_begin(uintptr_t addr, size_t npages, int *prot)
{
	struct vma *v;
	size_t first, i;

	shim_vma_lock();
	v = vma_find_locked(addr);
	if (!v || v->kind != SHIM_VMA_PRIVCMD)
		goto inval;
	if (!v->used) {
		/* The first use must cover the whole VMA. */
		if (addr != v->start || npages != (v->end - v->start) >> SHIM_PAGE_SHIFT)
			goto inval;
	} else {
		/* Later ones only fill holes. */
		if (npages > (v->end - addr) >> SHIM_PAGE_SHIFT)
			goto inval;
		first = (addr - v->start) >> SHIM_PAGE_SHIFT;
		for (i = 0; i < npages; i++)
			if (v->pages[first + i].mapped)
				goto inval;
	}
	*prot = v->prot;
	return 0; /* with the lock held */
inval:
	shim_vma_unlock();
	return -EINVAL;
}

void shim_privcmd_batch_end(uintptr_t addr, size_t npages, const int32_t *err, int used)
{
	struct vma *v = vma_find_locked(addr);
	size_t first, i;

	if (v && used) {
		v->used = 1;
		first = (addr - v->start) >> SHIM_PAGE_SHIFT;
		for (i = 0; i < npages; i++)
			if (!err || !err[i])
				v->pages[first + i].mapped = 1;
		/* Frame mappings are new kernel VMAs: keep them out of children. */
		madvise((void *)addr, npages * SHIM_PAGE_SIZE, MADV_DONTFORK);
	}
	shim_vma_unlock();
}

int shim_privcmd_resource_begin(uintptr_t addr, size_t npages, int *prot)
{
	struct vma *v;

	shim_vma_lock();
	v = vma_find_locked(addr);
	if (!v || v->kind != SHIM_VMA_PRIVCMD ||
	    npages > (v->end - addr) >> SHIM_PAGE_SHIFT) {
		shim_vma_unlock();
		return -EINVAL;
	}
	*prot = v->prot;
	return 0;
}

void shim_privcmd_resource_end(uintptr_t addr, size_t npages, uint16_t dom, uint32_t type,
			       uint32_t id, uint32_t idx, int ok)
{
	struct vma *v = vma_find_locked(addr);
	size_t first, i;

	if (v && ok) {
		v->used = 1;
		first = (addr - v->start) >> SHIM_PAGE_SHIFT;
		for (i = 0; i < npages; i++) {
			struct shim_vma_page *pg = &v->pages[first + i];

			pg->mapped = 1;
			pg->res_valid = 1;
			pg->res_dom = dom;
			pg->res_type = type;
			pg->res_id = id;
			pg->res_frame = idx + (uint32_t)i;
		}
		madvise((void *)addr, npages * SHIM_PAGE_SIZE, MADV_DONTFORK);
	}
	shim_vma_unlock();
}

int shim_vma_resource_at(uintptr_t addr, struct shim_vma_page *out)
{
	struct vma *v;
	int rc = -ENOENT;

	shim_vma_lock();
	v = vma_find_locked(addr);
	if (v && v->kind == SHIM_VMA_PRIVCMD && v->pages) {
		struct shim_vma_page *pg =
			&v->pages[(addr - v->start) >> SHIM_PAGE_SHIFT];

		if (pg->res_valid) {
			*out = *pg;
			rc = 0;
		}
	}
	shim_vma_unlock();
	return rc;
}

int shim_vma_gntdev_offset(uintptr_t vaddr, uint64_t *offset, uint32_t *count)
{
	struct vma *v;
	int rc = -EINVAL;

	shim_vma_lock();
	v = vma_find_locked(vaddr);
	if (v && v->kind == SHIM_VMA_GNTDEV && v->gm) {
		*offset = v->gm->index;
		*count = v->gm->count;
		rc = 0;
	}
	shim_vma_unlock();
	return rc;
}

void shim_vma_atfork_child(void)
{
	size_t i, j;

	pthread_mutex_init(&vma_lock, NULL);
	/* privcmd and gntdev mappings are not inherited; gntalloc ones are,
	 * but the child's copy is not the driver's business: forget all,
	 * and let go of the connections the parent's maps hold. */
	for (i = 0; i < nvmas; i++) {
		struct gnt_map *gm = vmas[i].gm;

		free(vmas[i].pages);
		if (!gm)
			continue;
		for (j = i + 1; j < nvmas; j++)
			if (vmas[j].gm == gm)
				vmas[j].gm = NULL;
		if (dup_is_ours(gm))
			shim_real()->close(gm->dupfd);
		free(gm);
	}
	nvmas = 0;
}

/* ---- device mmap ----------------------------------------------------- */

/* An address range for @len bytes: where the caller asked, or anywhere. */
static void *reserve(void *addr, size_t len, int flags)
{
	int f = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

	f |= flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	return raw_mmap(addr, len, PROT_NONE, f, -1, 0);
}

static void *fail(int err)
{
	errno = err;
	return MAP_FAILED;
}

static void *mmap_privcmd(void *addr, size_t len, int prot, int flags)
{
	size_t np = pages_of(len);
	struct shim_vma_page *pages = calloc(np, sizeof(*pages));
	struct vma *v;
	void *p;

	if (!pages)
		return fail(ENOMEM);
	if (flags & MAP_FIXED)
		forget_range((uintptr_t)addr, len);
	p = reserve(addr, np * SHIM_PAGE_SIZE, flags);
	if (p == MAP_FAILED) {
		free(pages);
		return MAP_FAILED;
	}
	madvise(p, np * SHIM_PAGE_SIZE, MADV_DONTFORK);
	shim_vma_lock();
	v = vma_add_locked((uintptr_t)p, (uintptr_t)p + np * SHIM_PAGE_SIZE,
			   SHIM_VMA_PRIVCMD, prot);
	if (v)
		v->pages = pages;
	shim_vma_unlock();
	if (!v) {
		free(pages);
		raw_munmap(p, np * SHIM_PAGE_SIZE);
		return fail(ENOMEM);
	}
	return p;
}

/* Map what a XSP_*_MMAP reply describes. */
static void *map_reply(void *addr, size_t np, int prot, int flags, struct xsw_msg *reply)
{
	const unsigned char *d;
	size_t dlen;
	void *p;
	int rc;

	d = xsw_reply_data(reply, &dlen);
	if (!d)
		return fail(EPROTO);
	if (flags & MAP_FIXED)
		forget_range((uintptr_t)addr, np * SHIM_PAGE_SIZE);
	p = reserve(addr, np * SHIM_PAGE_SIZE, flags);
	if (p == MAP_FAILED)
		return MAP_FAILED;
	rc = shim_map_frames((uintptr_t)p, np, d, dlen, reply, prot, NULL);
	if (rc) {
		raw_munmap(p, np * SHIM_PAGE_SIZE);
		return fail(-rc);
	}
	return p;
}

static void *mmap_hypercall(struct shim_conn *c, int fd, void *addr, size_t len, int prot,
			    int flags)
{
	struct xsp_bufdev_mmap req = {.pages = pages_of(len)};
	struct xsw_msg reply;
	int64_t ret;
	void *p;

	if ((flags & MAP_TYPE) != MAP_SHARED && (flags & MAP_TYPE) != MAP_SHARED_VALIDATE)
		return fail(EINVAL);
	ret = shim_call_buf(c, fd, XSP_HYPERCALL_MMAP, &req, sizeof(req), &reply);
	if (ret < 0) {
		xsw_msg_free(&reply);
		return fail((int)-ret);
	}
	p = map_reply(addr, (size_t)req.pages, prot, flags, &reply);
	xsw_msg_free(&reply);
	return p;
}

static void *mmap_gnt(struct shim_conn *c, int fd, void *addr, size_t len, int prot,
		      int flags, off_t off)
{
	int shared = (flags & MAP_TYPE) == MAP_SHARED ||
		     (flags & MAP_TYPE) == MAP_SHARED_VALIDATE;
	struct xsp_gnt_mmap req = {
		.index = (uint64_t)off,
		.count = (uint32_t)pages_of(len),
		.prot = (uint32_t)prot,
		.shared = (uint32_t)shared,
	};
	struct gnt_map *gm;
	struct xsw_msg reply;
	struct vma *v;
	int64_t ret;
	void *p;
	int dupfd;

	if (pages_of(len) > UINT32_MAX)
		return fail(EINVAL);
	gm = calloc(1, sizeof(*gm));
	if (!gm)
		return fail(ENOMEM);
	/* Out of the way of the program's own low fds, if the limit allows. */
	dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	if (dupfd < 0 && errno == EINVAL)
		dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dupfd < 0) {
		free(gm);
		return fail(errno == EINVAL ? EMFILE : errno);
	}
	ret = shim_call_buf(
		c, fd, c->device == XSP_DEV_GNTDEV ? XSP_GNTDEV_MMAP : XSP_GNTALLOC_MMAP,
		&req, sizeof(req), &reply);
	if (ret < 0) {
		xsw_msg_free(&reply);
		shim_real()->close(dupfd);
		free(gm);
		return fail((int)-ret);
	}
	p = map_reply(addr, req.count, prot, flags, &reply);
	xsw_msg_free(&reply);
	gm->device = c->device;
	gm->index = req.index;
	gm->count = req.count;
	gm->dupfd = dupfd;
	gm->dev = c->dev;
	gm->ino = c->ino;
	gm->conn = c;
	gm->live = req.count;
	if (p == MAP_FAILED) {
		int e = errno;

		gnt_map_release(gm);
		return fail(e);
	}
	if (c->device == XSP_DEV_GNTDEV)
		madvise(p, req.count * SHIM_PAGE_SIZE, MADV_DONTFORK);
	shim_vma_lock();
	v = vma_add_locked(
		(uintptr_t)p, (uintptr_t)p + req.count * SHIM_PAGE_SIZE,
		c->device == XSP_DEV_GNTDEV ? SHIM_VMA_GNTDEV : SHIM_VMA_GNTALLOC, prot);
	if (v)
		v->gm = gm;
	shim_vma_unlock();
	if (!v) {
		raw_munmap(p, req.count * SHIM_PAGE_SIZE);
		gnt_map_release(gm);
		return fail(ENOMEM);
	}
	return p;
}

void *shim_mmap_device(struct shim_conn *c, int fd, void *addr, size_t len, int prot,
		       int flags, off_t off)
{
	if (len == 0 || (off & (SHIM_PAGE_SIZE - 1)))
		return fail(EINVAL);
	if ((uintptr_t)addr & (SHIM_PAGE_SIZE - 1) && (flags & MAP_FIXED))
		return fail(EINVAL);
	switch (c->device) {
	case XSP_DEV_PRIVCMD:
	case XSP_DEV_PRIVCMD_PROC:
		return mmap_privcmd(addr, len, prot, flags);
	case XSP_DEV_HYPERCALL:
		return mmap_hypercall(c, fd, addr, len, prot, flags);
	case XSP_DEV_GNTDEV:
	case XSP_DEV_GNTALLOC:
		return mmap_gnt(c, fd, addr, len, prot, flags, off);
	case XSP_DEV_EVTCHN:
	default:
		return fail(ENODEV); /* no mmap in the driver */
	}
}

/* ---- the interposed functions ----------------------------------------- */

static void *do_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p;

	if (!(flags & MAP_ANONYMOUS) && fd >= 0) {
		struct shim_conn *c = shim_conn_get(fd);

		if (c)
			return shim_mmap_device(c, fd, addr, len, prot, flags, off);
	}
	if (!(flags & MAP_FIXED) || !ntracked())
		return raw_mmap(addr, len, prot, flags, fd, off);
	/* Replace and forget under the lock, so that no other thread can
	 * record a new VMA at this address in between. */
	shim_vma_lock();
	p = raw_mmap(addr, len, prot, flags, fd, off);
	if (p != MAP_FAILED) {
		int e = errno;

		forget_range_held((uintptr_t)p, len);
		errno = e;
	}
	shim_vma_unlock();
	return p;
}

XENSTABLE_EXPORT void *mmap(void *addr, size_t len, int prot, int flags, int fd,
			    off_t off)
{
	return do_mmap(addr, len, prot, flags, fd, off);
}

XENSTABLE_EXPORT void *mmap64(void *addr, size_t len, int prot, int flags, int fd,
			      off64_t off)
{
	return do_mmap(addr, len, prot, flags, fd, (off_t)off);
}

XENSTABLE_EXPORT int munmap(void *addr, size_t len)
{
	int rc;

	if (!ntracked())
		return raw_munmap(addr, len);
	/* Unmap and forget under the lock: otherwise a concurrent mmap()
	 * could get the address and record its VMA before we forget the
	 * old one, and lose it. */
	shim_vma_lock();
	rc = raw_munmap(addr, len);
	if (rc == 0) {
		int e = errno;

		forget_range_held((uintptr_t)addr, len);
		errno = e;
	}
	shim_vma_unlock();
	return rc;
}
