/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxengnttab, Linux layer: /dev/xen/gntdev (mapping and copying grants
 * of other domains, DMA-BUF) and /dev/xen/gntalloc (granting our pages).
 *
 * Mapping a grant is two steps: IOCTL_GNTDEV_MAP_GRANT_REF reserves a
 * range of the device's file offsets for the grants, and mmap() of that
 * range makes Xen map them. Releasing is munmap() plus
 * IOCTL_GNTDEV_UNMAP_GRANT_REF; the kernel unmaps the grants (and fires
 * the unmap notification) when both are done. Sharing is
 * IOCTL_GNTALLOC_ALLOC_GREF and mmap(), then IOCTL_GNTALLOC_DEALLOC_GREF
 * straight away: the pages live on while they are mapped, here or by the
 * peer.
 *
 * ENOTTY from an ioctl every gntdev/gntalloc has is logged with its reason
 * (a 32-bit process on a 64-bit kernel gets it for every ioctl, see
 * xs-compat.h); from a newer one it means "no such feature" (EOPNOTSUPP),
 * except in such a process, where it stays ENOTTY.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "private.h"
#include "xen-kernel.h"
#include "xs-compat.h"
#include "xs-fd.h"
#include "xs-log.h"

/* The public segment is handed to the kernel as it is. */
_Static_assert(sizeof(xengnttab_grant_copy_segment_t) ==
		       sizeof(struct gntdev_grant_copy_segment),
	       "grant copy segment size");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, source.foreign.ref) ==
		       offsetof(struct gntdev_grant_copy_segment, source.foreign.ref),
	       "grant copy segment source.ref");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, source.foreign.offset) ==
		       offsetof(struct gntdev_grant_copy_segment, source.foreign.offset),
	       "grant copy segment source.offset");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, source.foreign.domid) ==
		       offsetof(struct gntdev_grant_copy_segment, source.foreign.domid),
	       "grant copy segment source.domid");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, dest) ==
		       offsetof(struct gntdev_grant_copy_segment, dest),
	       "grant copy segment dest");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, len) ==
		       offsetof(struct gntdev_grant_copy_segment, len),
	       "grant copy segment len");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, flags) ==
		       offsetof(struct gntdev_grant_copy_segment, flags),
	       "grant copy segment flags");
_Static_assert(offsetof(xengnttab_grant_copy_segment_t, status) ==
		       offsetof(struct gntdev_grant_copy_segment, status),
	       "grant copy segment status");
_Static_assert(GNTDEV_DMA_FLAG_WC == 1 && GNTDEV_DMA_FLAG_COHERENT == 2, "dma-buf flags");

/*
 * Xen answers EAGAIN for a granted page that is paged out; the pager may
 * run in this very domain, so the map cannot wait for it in the kernel.
 * Upstream retries forever; xenstable gives up after about a second.
 */
#define GNT_MMAP_EAGAIN_TRIES 1000
#define GNT_MMAP_EAGAIN_SLEEP_NS 1000000L

static size_t gnt_bytes(uint32_t count)
{
	return (size_t)count << XEN_PAGE_SHIFT;
}

static void gnt_ioctl_error(const xengnttab_handle *h, const char *op, int err)
{
	xs_log_core_ioctl(&h->base, err, "%s on %s", op, h->device);
	errno = err;
}

/* ENOTTY: the driver does not have the ioctl at all (or cannot be asked). */
static int gnt_not_supported(const xengnttab_handle *h, const char *op, const char *what)
{
	if (xs_enotty_is_compat(ENOTTY)) {
		gnt_ioctl_error(h, op, ENOTTY);
		return -1;
	}
	xs_log(&h->base, XTL_ERROR, EOPNOTSUPP, "%s on %s: the kernel has no %s (ENOTTY)", op,
	       h->device, what);
	errno = EOPNOTSUPP;
	return -1;
}

static int gnt_open(xengnttab_handle *h)
{
	int fd = xs_open_cloexec(h->device, O_RDWR);

	if (fd < 0)
		xs_log_op_error(&h->base, "open", h->device, errno);
	return fd;
}

int xs_gntdev_os_open(xengnttab_handle *h)
{
	return gnt_open(h);
}

int xs_gntalloc_os_open(xengntshr_handle *h)
{
	return gnt_open(h);
}

int xs_gntdev_os_set_max_grants(xengnttab_handle *h, uint32_t nr_grants)
{
	struct ioctl_gntdev_set_max_grants max = { .count = nr_grants };

	if (ioctl(h->fd, IOCTL_GNTDEV_SET_MAX_GRANTS, &max) == 0)
		return 0;
	if (errno == ENOTTY) {
		/* Mainline gntdev has no per-file limit: nothing to do. */
		xs_log_debug(&h->base, "IOCTL_GNTDEV_SET_MAX_GRANTS (%u) on %s: not "
				       "implemented by this kernel, ignored",
			     nr_grants, h->device);
		return 0;
	}
	gnt_ioctl_error(h, "IOCTL_GNTDEV_SET_MAX_GRANTS", errno);
	return -1;
}

/* mmap(), retrying EAGAIN (paged-out grants) a bounded number of times. */
static void *gnt_mmap(int fd, size_t len, int prot, uint64_t offset)
{
	struct timespec pause = { .tv_sec = 0, .tv_nsec = GNT_MMAP_EAGAIN_SLEEP_NS };
	void *addr;
	int tries;

	for (tries = 1;; tries++) {
		addr = mmap(NULL, len, prot, MAP_SHARED, fd, (off_t)offset);
		if (addr != MAP_FAILED || errno != EAGAIN || tries >= GNT_MMAP_EAGAIN_TRIES)
			return addr;
		nanosleep(&pause, NULL);
	}
}

static int gntdev_unmap_index(xengnttab_handle *h, uint64_t index, uint32_t count)
{
	struct ioctl_gntdev_unmap_grant_ref unmap = { .index = index, .count = count };

	if (ioctl(h->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) == 0)
		return 0;
	gnt_ioctl_error(h, "IOCTL_GNTDEV_UNMAP_GRANT_REF", errno);
	return -1;
}

static int gnt_set_unmap_notify(xengnttab_handle *h, unsigned long cmd, const char *op,
				uint64_t index, uint32_t notify_offset,
				evtchn_port_t notify_port)
{
	struct ioctl_gntdev_unmap_notify notify = { .index = index };

	if (notify_offset != XS_GNT_NO_NOTIFY) {
		notify.index += notify_offset;
		notify.action |= UNMAP_NOTIFY_CLEAR_BYTE;
	}
	if (notify_port != XS_GNT_NO_NOTIFY) {
		notify.action |= UNMAP_NOTIFY_SEND_EVENT;
		notify.event_channel_port = notify_port;
	}
	if (!notify.action || ioctl(h->fd, cmd, &notify) == 0)
		return 0;
	xs_log_optional_ioctl(&h->base, XTL_ERROR, errno, "%s (offset %d, port %d) on %s",
			      op, (int)notify_offset, (int)notify_port, h->device);
	return -1;
}

void *xs_gntdev_os_map(xengnttab_handle *h, uint32_t count, const uint32_t *domids,
		       size_t domid_stride, const uint32_t *refs, int prot,
		       uint32_t notify_offset, evtchn_port_t notify_port, uint64_t *index)
{
	size_t argsz = offsetof(struct ioctl_gntdev_map_grant_ref, refs) +
		       (size_t)count * sizeof(struct ioctl_gntdev_grant_ref);
	struct ioctl_gntdev_map_grant_ref *map;
	struct ioctl_gntdev_grant_ref *grefs;
	uint64_t idx;
	uint32_t i;
	void *addr;
	int err;

	map = calloc(1, argsz < sizeof(*map) ? sizeof(*map) : argsz);
	if (!map) {
		xs_log(&h->base, XTL_ERROR, ENOMEM, "mapping %u grant(s)", count);
		errno = ENOMEM;
		return NULL;
	}
	map->count = count;
	grefs = (struct ioctl_gntdev_grant_ref *)(void *)((char *)map +
							 offsetof(struct ioctl_gntdev_map_grant_ref, refs));
	for (i = 0; i < count; i++) {
		grefs[i].domid = domids[i * domid_stride];
		grefs[i].ref = refs[i];
	}
	if (ioctl(h->fd, IOCTL_GNTDEV_MAP_GRANT_REF, map) < 0) {
		err = errno;
		xs_log_core_ioctl(&h->base, err,
				  "IOCTL_GNTDEV_MAP_GRANT_REF (%u grant(s), first: domain %u "
				  "ref %u) on %s",
				  count, domids[0], refs[0], h->device);
		free(map);
		errno = err;
		return NULL;
	}
	idx = map->index;
	free(map);

	addr = gnt_mmap(h->fd, gnt_bytes(count), prot, idx);
	if (addr == MAP_FAILED) {
		err = errno;
		xs_log(&h->base, XTL_ERROR, err,
		       "mmap of %u grant(s) (first: domain %u ref %u) on %s", count, domids[0],
		       refs[0], h->device);
		gntdev_unmap_index(h, idx, count);
		errno = err;
		return NULL;
	}
	if (gnt_set_unmap_notify(h, IOCTL_GNTDEV_SET_UNMAP_NOTIFY,
				 "IOCTL_GNTDEV_SET_UNMAP_NOTIFY", idx, notify_offset,
				 notify_port) < 0) {
		err = errno;
		munmap(addr, gnt_bytes(count));
		gntdev_unmap_index(h, idx, count);
		errno = err;
		return NULL;
	}
	*index = idx;
	return addr;
}

int xs_gntdev_os_unmap(xengnttab_handle *h, const struct xs_gnt_mapping *m)
{
	bool neutered = xs_gnt_neutered(h);

	if (!neutered) {
		/*
		 * Make sure the table is not stale: the address must still be
		 * that mapping of this device (the caller may have released
		 * it with munmap() and the address been reused).
		 */
		struct ioctl_gntdev_get_offset_for_vaddr q = { .vaddr = (uintptr_t)m->addr };

		if (ioctl(h->fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &q) < 0 ||
		    q.offset != m->index || q.count != m->count) {
			xs_log(&h->base, XTL_ERROR, EINVAL,
			       "xengnttab_unmap: %p is no longer a grant mapping of %s "
			       "(released with munmap?)",
			       m->addr, h->device);
			/* The kernel may still hold the reservation. */
			gntdev_unmap_index(h, m->index, m->count);
			errno = EINVAL;
			return -1;
		}
	}
	if (munmap(m->addr, gnt_bytes(m->count)) < 0) {
		xs_log(&h->base, XTL_ERROR, errno, "munmap of %u grant(s) at %p", m->count,
		       m->addr);
		return -1;
	}
	/* A neutered fd is /dev/null: the kernel drops the map with the file. */
	if (neutered)
		return 0;
	return gntdev_unmap_index(h, m->index, m->count);
}

int xs_gntdev_os_grant_copy(xengnttab_handle *h, uint32_t count,
			    xengnttab_grant_copy_segment_t *segs)
{
	struct ioctl_gntdev_grant_copy copy = {
		.count = count,
		.segments = (struct gntdev_grant_copy_segment *)(void *)segs,
	};

	if (ioctl(h->fd, IOCTL_GNTDEV_GRANT_COPY, &copy) == 0)
		return 0;
	if (errno == ENOTTY)
		return gnt_not_supported(h, "IOCTL_GNTDEV_GRANT_COPY", "grant copy");
	xs_log(&h->base, XTL_ERROR, errno, "IOCTL_GNTDEV_GRANT_COPY (%u segment(s)) on %s",
	       count, h->device);
	return -1;
}

/* ---------------------------------------------------------------------- */
/* DMA-BUF                                                                 */

static int gnt_dmabuf_error(const xengnttab_handle *h, const char *op)
{
	if (errno == ENOTTY)
		return gnt_not_supported(h, op, "DMA-BUF support");
	gnt_ioctl_error(h, op, errno);
	return -1;
}

int xs_gntdev_os_dmabuf_exp_from_refs(xengnttab_handle *h, uint32_t domid, uint32_t flags,
				      uint32_t count, const uint32_t *refs, uint32_t *fd)
{
	size_t argsz = offsetof(struct ioctl_gntdev_dmabuf_exp_from_refs, refs) +
		       (size_t)count * sizeof(uint32_t);
	struct ioctl_gntdev_dmabuf_exp_from_refs *exp;
	int fd_flags, err;

	exp = calloc(1, argsz < sizeof(*exp) ? sizeof(*exp) : argsz);
	if (!exp) {
		xs_log(&h->base, XTL_ERROR, ENOMEM, "exporting %u grant(s)", count);
		errno = ENOMEM;
		return -1;
	}
	exp->flags = flags;
	exp->count = count;
	exp->domid = domid;
	memcpy((char *)exp + offsetof(struct ioctl_gntdev_dmabuf_exp_from_refs, refs), refs,
	       (size_t)count * sizeof(uint32_t));
	if (ioctl(h->fd, IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS, exp) < 0) {
		err = errno;
		free(exp);
		errno = err;
		return gnt_dmabuf_error(h, "IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS");
	}
	*fd = exp->fd;
	free(exp);
	/* The kernel makes it close-on-exec; make sure whatever it is. */
	fd_flags = fcntl((int)*fd, F_GETFD);
	if (fd_flags >= 0 && !(fd_flags & FD_CLOEXEC))
		fcntl((int)*fd, F_SETFD, fd_flags | FD_CLOEXEC);
	return 0;
}

int xs_gntdev_os_dmabuf_exp_wait_released(xengnttab_handle *h, uint32_t fd,
					  uint32_t wait_to_ms)
{
	struct ioctl_gntdev_dmabuf_exp_wait_released wait = {
		.fd = fd,
		.wait_to_ms = wait_to_ms,
	};

	if (ioctl(h->fd, IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, &wait) == 0)
		return 0;
	if (errno == ENOENT) {
		/* Released already (or never known): nothing to wait for. */
		errno = 0;
		return 0;
	}
	return gnt_dmabuf_error(h, "IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED");
}

int xs_gntdev_os_dmabuf_imp_to_refs(xengnttab_handle *h, uint32_t domid, uint32_t fd,
				    uint32_t count, uint32_t *refs)
{
	size_t argsz = offsetof(struct ioctl_gntdev_dmabuf_imp_to_refs, refs) +
		       (size_t)count * sizeof(uint32_t);
	struct ioctl_gntdev_dmabuf_imp_to_refs *imp;
	int err;

	imp = calloc(1, argsz < sizeof(*imp) ? sizeof(*imp) : argsz);
	if (!imp) {
		xs_log(&h->base, XTL_ERROR, ENOMEM, "importing a dma-buf of %u page(s)", count);
		errno = ENOMEM;
		return -1;
	}
	imp->fd = fd;
	imp->count = count;
	imp->domid = domid;
	if (ioctl(h->fd, IOCTL_GNTDEV_DMABUF_IMP_TO_REFS, imp) < 0) {
		err = errno;
		free(imp);
		errno = err;
		return gnt_dmabuf_error(h, "IOCTL_GNTDEV_DMABUF_IMP_TO_REFS");
	}
	memcpy(refs, (char *)imp + offsetof(struct ioctl_gntdev_dmabuf_imp_to_refs, refs),
	       (size_t)count * sizeof(uint32_t));
	free(imp);
	return 0;
}

int xs_gntdev_os_dmabuf_imp_release(xengnttab_handle *h, uint32_t fd)
{
	struct ioctl_gntdev_dmabuf_imp_release rel = { .fd = fd };

	if (ioctl(h->fd, IOCTL_GNTDEV_DMABUF_IMP_RELEASE, &rel) == 0)
		return 0;
	return gnt_dmabuf_error(h, "IOCTL_GNTDEV_DMABUF_IMP_RELEASE");
}

/* ---------------------------------------------------------------------- */
/* gntalloc                                                                */

static int gntalloc_dealloc(xengntshr_handle *h, uint64_t index, uint32_t count)
{
	struct ioctl_gntalloc_dealloc_gref dealloc = { .index = index, .count = count };

	if (ioctl(h->fd, IOCTL_GNTALLOC_DEALLOC_GREF, &dealloc) == 0)
		return 0;
	gnt_ioctl_error(h, "IOCTL_GNTALLOC_DEALLOC_GREF", errno);
	return -1;
}

void *xs_gntalloc_os_share(xengntshr_handle *h, uint32_t domid, uint32_t count,
			   uint32_t *refs, bool writable, uint32_t notify_offset,
			   evtchn_port_t notify_port, uint64_t *index)
{
	size_t argsz = offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids) +
		       (size_t)count * sizeof(uint32_t);
	struct ioctl_gntalloc_alloc_gref *alloc;
	void *addr = NULL;
	uint64_t idx;
	int err = 0;

	alloc = calloc(1, argsz < sizeof(*alloc) ? sizeof(*alloc) : argsz);
	if (!alloc) {
		xs_log(&h->base, XTL_ERROR, ENOMEM, "sharing %u page(s)", count);
		errno = ENOMEM;
		return NULL;
	}
	alloc->domid = (uint16_t)domid;
	alloc->flags = writable ? GNTALLOC_FLAG_WRITABLE : 0;
	alloc->count = count;
	if (ioctl(h->fd, IOCTL_GNTALLOC_ALLOC_GREF, alloc) < 0) {
		err = errno;
		xs_log_core_ioctl(&h->base, err,
				  "IOCTL_GNTALLOC_ALLOC_GREF (%u page(s) for domain %u) on %s",
				  count, domid, h->device);
		free(alloc);
		errno = err;
		return NULL;
	}
	idx = alloc->index;

	addr = mmap(NULL, gnt_bytes(count), PROT_READ | PROT_WRITE, MAP_SHARED, h->fd,
		    (off_t)idx);
	if (addr == MAP_FAILED) {
		err = errno;
		xs_log(&h->base, XTL_ERROR, err, "mmap of %u shared page(s) on %s", count,
		       h->device);
		addr = NULL;
	} else if (gnt_set_unmap_notify(h, IOCTL_GNTALLOC_SET_UNMAP_NOTIFY,
					"IOCTL_GNTALLOC_SET_UNMAP_NOTIFY", idx, notify_offset,
					notify_port) < 0) {
		err = errno;
		munmap(addr, gnt_bytes(count));
		addr = NULL;
	}
	if (addr)
		memcpy(refs,
		       (char *)alloc + offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids),
		       (size_t)count * sizeof(uint32_t));
	free(alloc);

	/*
	 * Drop the file's reference in every case: on success the mapping
	 * keeps the pages alive, on failure nothing stays allocated.
	 */
	if (gntalloc_dealloc(h, idx, count) < 0 && addr)
		xs_log(&h->base, XTL_WARN, -1,
		       "the grants stay allocated until the handle is closed");
	if (!addr) {
		errno = err;
		return NULL;
	}
	*index = idx;
	return addr;
}

int xs_gntalloc_os_unshare(xengntshr_handle *h, const struct xs_gnt_mapping *m)
{
	if (munmap(m->addr, gnt_bytes(m->count)) == 0)
		return 0;
	xs_log(&h->base, XTL_ERROR, errno, "munmap of %u shared page(s) at %p", m->count,
	       m->addr);
	return -1;
}
