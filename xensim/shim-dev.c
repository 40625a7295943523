/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * evtchn, gntdev and gntalloc: ioctls, and read()/write() of the evtchn
 * pending-port ring (EINVAL on the other devices).
 *
 * What the daemon's grant-table part sees from the shim (protocol.h):
 * - MAP_GRANT_REF: count 0 or over 65536 (gntdev.limit) is EINVAL here;
 *   otherwise struct xsp_gnt_map + count x {domid, ref}; the reply's
 *   uint64_t index is written back.
 * - mmap(): XSP_GNTDEV_MMAP / XSP_GNTALLOC_MMAP {index = the mmap offset
 *   in bytes, count = pages, prot, shared = MAP_SHARED given}; the daemon
 *   does every check (index/count match, once only, writable needs
 *   shared, ...). While mapped, the shim holds a hidden dup of the
 *   connection, so the connection only ends (EOF) after both the munmap
 *   and the close, as the kernel's file reference works.
 * - XSP_*_MUNMAP {index, count} once every page of that mapping is gone
 *   (munmap, possibly in pieces, or MAP_FIXED over it), on that dup.
 * - GET_OFFSET_FOR_VADDR is answered from the shim's VMA table.
 * - GRANT_COPY: a segment with no grant side is EINVAL here; a bad local
 *   source is EFAULT before sending, a bad local destination EFAULT after.
 * - DMA-BUF: an exported buffer is a socket from the daemon; its release
 *   (every fd closed, in any process) is seen by the daemon itself. The
 *   driver names buffers by fd number, so the shim remembers which inode
 *   it handed out under which number (EXP_WAIT_RELEASED may come after
 *   the close); imports and IMP_RELEASE carry the number.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include <xen/grant_table.h>

#include "shim.h"
#include "xen-kernel.h"

#define SHIM_EVTCHN_RW_MAX 4096	 /* the driver caps a read/write at PAGE_SIZE */
#define SHIM_GNTDEV_LIMIT  65536 /* gntdev.limit: grants per map request */

/* ---- evtchn ------------------------------------------------------------ */

static long call_u32(struct shim_conn *c, int fd, uint32_t type, uint32_t v)
{
	struct xsp_u32 req = {.v = v};

	return (long)shim_call_ret(c, fd, type, &req, sizeof(req));
}

/*
 * Copy the ioctl's struct @st at @arg from the caller into a local @b
 * (EFAULT if it cannot be read), then evaluate @expr, which uses @b.
 */
#define COPY_IN(st, b, arg, expr)                                                        \
	({                                                                               \
		st b;                                                                    \
		shim_copy_from_user(&b, (arg), sizeof(b)) ? -EFAULT : (expr);            \
	})

/* An ioctl whose struct @st carries the one number the daemon needs: its
 * @field goes with call_u32(). */
#define CALL_FIELD(c, fd, type, arg, st, field)                                          \
	COPY_IN(st, b_, arg, call_u32((c), (fd), (type), b_.field))

long shim_evtchn_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_EVTCHN_BIND_VIRQ:
		return CALL_FIELD(c, fd, XSP_EVTCHN_BIND_VIRQ, arg,
				  struct ioctl_evtchn_bind_virq, virq);
	case IOCTL_EVTCHN_BIND_INTERDOMAIN: {
		struct ioctl_evtchn_bind_interdomain b;
		struct xsp_u32x2 req;

		if (shim_copy_from_user(&b, arg, sizeof(b)))
			return -EFAULT;
		req.a = b.remote_domain;
		req.b = b.remote_port;
		return (long)shim_call_ret(c, fd, XSP_EVTCHN_BIND_INTERDOMAIN, &req,
					   sizeof(req));
	}
	case IOCTL_EVTCHN_BIND_UNBOUND_PORT:
		return CALL_FIELD(c, fd, XSP_EVTCHN_BIND_UNBOUND_PORT, arg,
				  struct ioctl_evtchn_bind_unbound_port, remote_domain);
	case IOCTL_EVTCHN_UNBIND:
		return CALL_FIELD(c, fd, XSP_EVTCHN_UNBIND, arg,
				  struct ioctl_evtchn_unbind, port);
	case IOCTL_EVTCHN_NOTIFY:
		return CALL_FIELD(c, fd, XSP_EVTCHN_NOTIFY, arg,
				  struct ioctl_evtchn_notify, port);
	case IOCTL_EVTCHN_RESET:
		return (long)shim_call_ret(c, fd, XSP_EVTCHN_RESET, NULL, 0);
	case IOCTL_EVTCHN_RESTRICT_DOMID:
		return CALL_FIELD(c, fd, XSP_EVTCHN_RESTRICT_DOMID, arg,
				  struct ioctl_evtchn_restrict_domid, domid);
	case IOCTL_EVTCHN_BIND_STATIC:
		return CALL_FIELD(c, fd, XSP_EVTCHN_BIND_STATIC, arg,
				  struct ioctl_evtchn_bind, port);
	default:
		return shim_unknown_ioctl(c, fd, cmd, 0);
	}
}

static int fd_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_NONBLOCK);
}

/*
 * How many bytes a read() or write() of @n moves, as the evtchn driver
 * counts them: whole 4-byte ports, at most a page (0: nothing to move).
 * -1 with errno EINVAL on another device: it has no read or write.
 */
static ssize_t evtchn_rw_size(const struct shim_conn *c, size_t n)
{
	if (c->device != XSP_DEV_EVTCHN) {
		errno = EINVAL;
		return -1;
	}
	n &= ~(size_t)3;
	return (ssize_t)(n > SHIM_EVTCHN_RW_MAX ? SHIM_EVTCHN_RW_MAX : n);
}

ssize_t shim_dev_read(struct shim_conn *c, int fd, void *buf, size_t n)
{
	ssize_t want;
	struct xsp_u32 req;
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;

	want = evtchn_rw_size(c, n);
	if (want <= 0)
		return want;
	req.v = (uint32_t)(want / 4);
	for (;;) {
		ret = shim_call_buf(c, fd, XSP_EVTCHN_READ, &req, sizeof(req), &reply);
		if (ret != -EAGAIN || fd_nonblocking(fd))
			break;
		xsw_msg_free(&reply);
		/* Block like the driver: until the daemon says it is readable. */
		{
			struct pollfd pfd = {.fd = fd, .events = POLLIN};

			if (poll(&pfd, 1, -1) < 0) {
				if (errno == EINTR)
					return -1;
				return -1;
			}
		}
	}
	if (ret < 0) {
		xsw_msg_free(&reply);
		errno = (int)-ret;
		return -1;
	}
	p = xsw_reply_data(&reply, &len);
	if ((uint64_t)ret > req.v || !p || len < (size_t)ret * 4) {
		xsw_msg_free(&reply);
		errno = EIO;
		return -1;
	}
	if (shim_copy_to_user(buf, p, (size_t)ret * 4)) {
		xsw_msg_free(&reply);
		errno = EFAULT;
		return -1;
	}
	xsw_msg_free(&reply);
	return (ssize_t)ret * 4;
}

ssize_t shim_dev_write(struct shim_conn *c, int fd, const void *buf, size_t n)
{
	unsigned char tmp[SHIM_EVTCHN_RW_MAX];
	ssize_t want;
	int64_t ret;

	want = evtchn_rw_size(c, n);
	if (want <= 0)
		return want;
	if (shim_copy_from_user(tmp, buf, (size_t)want)) {
		errno = EFAULT;
		return -1;
	}
	ret = shim_call_ret(c, fd, XSP_EVTCHN_WRITE, tmp, (size_t)want);
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return (ssize_t)ret;
}

/* ---- gntdev ------------------------------------------------------------ */

/*
 * A new copy (free() it) of the caller's array of @count (> 0) elements of
 * @elem bytes at @uarray, in *@out: 0, -ENOMEM or -EFAULT. The caller
 * checks @count against its limit first.
 */
static int copy_user_array(const void *uarray, size_t count, size_t elem, void **out)
{
	void *a = malloc(count * elem);

	if (!a)
		return -ENOMEM;
	if (shim_copy_from_user(a, uarray, count * elem)) {
		free(a);
		return -EFAULT;
	}
	*out = a;
	return 0;
}

/*
 * Send @req followed by a copy of the caller's array (copy_user_array():
 * its ENOMEM or EFAULT come before anything is sent), else shim_call()'s
 * result. *reply is freeable in any case.
 */
static int64_t call_user_array(struct shim_conn *c, int fd, uint32_t type,
			       const void *req, size_t req_size, const void *uarray,
			       size_t count, size_t elem, struct xsw_msg *reply)
{
	void *a;
	int64_t ret;

	memset(reply, 0, sizeof(*reply));
	ret = copy_user_array(uarray, count, elem, &a);
	if (ret)
		return ret;
	{
		struct iovec iov[2] = {{(void *)req, req_size}, {a, count * elem}};

		ret = shim_call(c, fd, type, iov, 2, NULL, 0, reply);
	}
	free(a);
	return ret;
}

static long gntdev_map(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_map_grant_ref op;
	struct xsp_gnt_map req = {0};
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.count == 0 || op.count > SHIM_GNTDEV_LIMIT)
		return -EINVAL;
	req.count = op.count;
	ret = call_user_array(c, fd, XSP_GNTDEV_MAP_GRANT_REF, &req, sizeof(req),
			      (char *)arg +
				      offsetof(struct ioctl_gntdev_map_grant_ref, refs),
			      op.count, sizeof(struct ioctl_gntdev_grant_ref), &reply);
	p = xsw_reply_data(&reply, &len);
	if (ret >= 0) {
		if (!p || len < sizeof(uint64_t)) {
			ret = -EPROTO;
		} else {
			memcpy(&op.index, p, sizeof(op.index));
			if (shim_copy_to_user(
				    (char *)arg +
					    offsetof(struct ioctl_gntdev_map_grant_ref,
						     index),
				    &op.index, sizeof(op.index)))
				ret = -EFAULT;
			else
				ret = 0;
		}
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static long index_count_call(struct shim_conn *c, int fd, uint32_t type, uint64_t index,
			     uint32_t count)
{
	struct xsp_index_count req = {.index = index, .count = count};

	return (long)shim_call_ret(c, fd, type, &req, sizeof(req));
}

static long unmap_notify_call(struct shim_conn *c, int fd, uint32_t type, void *arg)
{
	struct ioctl_gntdev_unmap_notify n; /* same layout as gntalloc's */
	struct xsp_unmap_notify req;

	if (shim_copy_from_user(&n, arg, sizeof(n)))
		return -EFAULT;
	req.index = n.index;
	req.action = n.action;
	req.port = n.event_channel_port;
	return (long)shim_call_ret(c, fd, type, &req, sizeof(req));
}

static long gntdev_grant_copy(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_grant_copy op;
	struct gntdev_grant_copy_segment *seg = NULL;
	void *a;
	struct xsp_copy_seg *xs = NULL;
	struct xsp_grant_copy req = {0};
	unsigned char *src = NULL;
	size_t srclen = 0, off, need;
	struct xsw_msg reply = {0};
	const unsigned char *p;
	size_t len;
	int64_t ret;
	unsigned int i;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.count > (1u << 20))
		return -ENOMEM;
	if (op.count) {
		xs = calloc(op.count, sizeof(*xs));
		if (!xs) {
			ret = -ENOMEM;
			goto out;
		}
		ret = copy_user_array(op.segments, op.count, sizeof(*seg), &a);
		if (ret)
			goto out;
		seg = a;
	}
	for (i = 0; i < op.count; i++) {
		if (!(seg[i].flags & (GNTCOPY_source_gref | GNTCOPY_dest_gref))) {
			ret = -EINVAL;
			goto out;
		}
		if (!(seg[i].flags & GNTCOPY_source_gref))
			srclen += seg[i].len;
	}
	if (srclen) {
		src = malloc(srclen);
		if (!src) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (i = 0, off = 0; i < op.count; i++) {
		struct xsp_copy_seg *x = &xs[i];

		x->len = seg[i].len;
		x->flags = seg[i].flags;
		if (seg[i].flags & GNTCOPY_source_gref) {
			x->src_ref = seg[i].source.foreign.ref;
			x->src_offset = seg[i].source.foreign.offset;
			x->src_domid = seg[i].source.foreign.domid;
		} else {
			if (shim_copy_from_user(src + off, seg[i].source.virt,
						seg[i].len)) {
				ret = -EFAULT;
				goto out;
			}
			off += seg[i].len;
		}
		if (seg[i].flags & GNTCOPY_dest_gref) {
			x->dst_ref = seg[i].dest.foreign.ref;
			x->dst_offset = seg[i].dest.foreign.offset;
			x->dst_domid = seg[i].dest.foreign.domid;
		}
	}
	req.count = op.count;
	{
		struct iovec iov[3] = {
			{&req, sizeof(req)}, {xs, op.count * sizeof(*xs)}, {src, srclen}};

		ret = shim_call(c, fd, XSP_GNTDEV_GRANT_COPY, iov,
				srclen ? 3 : (op.count ? 2 : 1), NULL, 0, &reply);
	}
	if (ret < 0 || !op.count)
		goto out;
	p = xsw_reply_data(&reply, &len);
	need = ((op.count * sizeof(int16_t)) + 3) & ~(size_t)3;
	if (!p || len < need) {
		ret = -EPROTO;
		goto out;
	}
	off = need;
	for (i = 0; i < op.count; i++) {
		int16_t st;

		memcpy(&st, p + i * sizeof(int16_t), sizeof(st));
		if (!(seg[i].flags & GNTCOPY_dest_gref)) {
			if (len - off < seg[i].len) {
				ret = -EPROTO;
				goto out;
			}
			if (st == GNTST_okay &&
			    shim_copy_to_user(seg[i].dest.virt, p + off, seg[i].len)) {
				ret = -EFAULT;
				goto out;
			}
			off += seg[i].len;
		}
		if (shim_copy_to_user(
			    (char *)op.segments + i * sizeof(*seg) +
				    offsetof(struct gntdev_grant_copy_segment, status),
			    &st, sizeof(st))) {
			ret = -EFAULT;
			goto out;
		}
	}
out:
	xsw_msg_free(&reply);
	free(seg);
	free(xs);
	free(src);
	return (long)ret;
}

/*
 * Exported dma-bufs: fd number -> inode of the buffer the export returned
 * under that number (latest first). An entry goes once the daemon says the
 * buffer is released; the fd may be closed long before.
 */
struct dmabuf_export {
	int fd;
	ino_t ino;
};

static pthread_mutex_t exports_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dmabuf_export *exports;
static size_t nexports, exports_cap;

static void export_add(int dfd)
{
	struct stat st;

	if (fstat(dfd, &st) < 0)
		return;
	pthread_mutex_lock(&exports_lock);
	if (nexports == exports_cap) {
		size_t ncap = exports_cap ? exports_cap * 2 : 8;
		struct dmabuf_export *n = realloc(exports, ncap * sizeof(*n));

		if (!n) {
			pthread_mutex_unlock(&exports_lock);
			return;
		}
		exports = n;
		exports_cap = ncap;
	}
	exports[nexports].fd = dfd;
	exports[nexports].ino = st.st_ino;
	nexports++;
	pthread_mutex_unlock(&exports_lock);
}

/* The inode exported under fd number @dfd (the latest), or 0. @drop: forget it. */
static uint64_t export_ino(int dfd, bool drop)
{
	uint64_t ino = 0;

	pthread_mutex_lock(&exports_lock);
	for (size_t i = nexports; i-- > 0;) {
		if (exports[i].fd != dfd)
			continue;
		ino = exports[i].ino;
		if (drop)
			exports[i] = exports[--nexports];
		break;
	}
	pthread_mutex_unlock(&exports_lock);
	return ino;
}

void shim_dev_atfork_child(void)
{
	pthread_mutex_init(&exports_lock, NULL);
}

static long gntdev_dmabuf_exp(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_dmabuf_exp_from_refs op;
	struct xsp_dmabuf_exp req = {0};
	struct xsw_msg reply;
	int64_t ret;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.count == 0 || op.count > SHIM_GNTDEV_LIMIT)
		return -EINVAL;
	req.flags = op.flags;
	req.count = op.count;
	req.domid = op.domid;
	ret = call_user_array(
		c, fd, XSP_GNTDEV_DMABUF_EXP_FROM_REFS, &req, sizeof(req),
		(char *)arg + offsetof(struct ioctl_gntdev_dmabuf_exp_from_refs, refs),
		op.count, sizeof(uint32_t), &reply);
	if (ret >= 0) {
		if (reply.nfds < 1) {
			ret = -EPROTO;
		} else {
			op.fd = (uint32_t)reply.fds[0];
			if (shim_copy_to_user(
				    (char *)arg +
					    offsetof(struct
						     ioctl_gntdev_dmabuf_exp_from_refs,
						     fd),
				    &op.fd, sizeof(op.fd))) {
				ret = -EFAULT;
			} else {
				reply.fds[0] = -1; /* now the caller's */
				export_add((int)op.fd);
				ret = 0;
			}
		}
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The daemon defers its answer up to the time asked; the shim asks in
 * slices so the connection lock is free in between (other threads' ioctls
 * on the same file go on, as they would in the kernel).
 */
#define DMABUF_WAIT_SLICE_MS 100u

static long gntdev_dmabuf_wait(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_dmabuf_exp_wait_released op;
	struct xsp_dmabuf_id req = {0};
	uint64_t end;
	int64_t ret;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	req.ino = export_ino((int)op.fd, false);
	req.fd = op.fd;
	end = now_ms() + op.wait_to_ms;
	for (;;) {
		uint64_t now = now_ms(), left = end > now ? end - now : 0;

		req.wait_to_ms = left < DMABUF_WAIT_SLICE_MS ? (uint32_t)left
							     : DMABUF_WAIT_SLICE_MS;
		ret = shim_call_ret(c, fd, XSP_GNTDEV_DMABUF_EXP_WAIT_RELEASED, &req,
				    sizeof(req));
		if (ret != -ETIMEDOUT || left <= req.wait_to_ms)
			break;
		/*
		 * Off the connection lock for a moment: a mutex is not fair,
		 * and without this pause the waiting thread could take it
		 * again at once, every slice, starving the very thread that
		 * would close the buffer (seen under valgrind's scheduler).
		 */
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
	if (ret == 0 || ret == -ENOENT)
		export_ino((int)op.fd, true); /* released: forget the number */
	return (long)ret;
}

static long gntdev_dmabuf_imp(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_dmabuf_imp_to_refs op;
	struct xsp_dmabuf_imp req;
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;
	int dfd;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.count == 0 || op.count > SHIM_GNTDEV_LIMIT)
		return -EINVAL;
	req.count = op.count;
	req.domid = op.domid;
	req.fd = op.fd;
	req.pad = 0;
	dfd = (int)op.fd;
	ret = shim_call(c, fd, XSP_GNTDEV_DMABUF_IMP_TO_REFS,
			&(struct iovec){&req, sizeof(req)}, 1, &dfd, 1, &reply);
	p = xsw_reply_data(&reply, &len);
	if (ret >= 0) {
		if (!p || len < op.count * sizeof(uint32_t))
			ret = -EPROTO;
		else if (shim_copy_to_user(
				 (char *)arg +
					 offsetof(struct ioctl_gntdev_dmabuf_imp_to_refs,
						  refs),
				 p, op.count * sizeof(uint32_t)))
			ret = -EFAULT;
		else
			ret = 0;
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static long gntdev_dmabuf_imp_release(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntdev_dmabuf_imp_release op;
	struct xsp_dmabuf_id req = {0};

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	req.fd = op.fd; /* the number given at import: it need not be open now */
	return (long)shim_call_ret(c, fd, XSP_GNTDEV_DMABUF_IMP_RELEASE, &req,
				   sizeof(req));
}

long shim_gntdev_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_GNTDEV_MAP_GRANT_REF:
		return gntdev_map(c, fd, arg);
	case IOCTL_GNTDEV_UNMAP_GRANT_REF:
		return COPY_IN(struct ioctl_gntdev_unmap_grant_ref, u, arg,
			       index_count_call(c, fd, XSP_GNTDEV_UNMAP_GRANT_REF,
						u.index, u.count));
	case IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: {
		struct ioctl_gntdev_get_offset_for_vaddr g;
		int rc;

		if (shim_copy_from_user(&g, arg, sizeof(g)))
			return -EFAULT;
		rc = shim_vma_gntdev_offset((uintptr_t)g.vaddr, &g.offset, &g.count);
		if (rc)
			return rc;
		return shim_copy_to_user(arg, &g, sizeof(g)) ? -EFAULT : 0;
	}
	case IOCTL_GNTDEV_SET_MAX_GRANTS:
		return CALL_FIELD(c, fd, XSP_GNTDEV_SET_MAX_GRANTS, arg,
				  struct ioctl_gntdev_set_max_grants, count);
	case IOCTL_GNTDEV_SET_UNMAP_NOTIFY:
		return unmap_notify_call(c, fd, XSP_GNTDEV_SET_UNMAP_NOTIFY, arg);
	case IOCTL_GNTDEV_GRANT_COPY:
		return gntdev_grant_copy(c, fd, arg);
	case IOCTL_GNTDEV_DMABUF_EXP_FROM_REFS:
		return gntdev_dmabuf_exp(c, fd, arg);
	case IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED:
		return gntdev_dmabuf_wait(c, fd, arg);
	case IOCTL_GNTDEV_DMABUF_IMP_TO_REFS:
		return gntdev_dmabuf_imp(c, fd, arg);
	case IOCTL_GNTDEV_DMABUF_IMP_RELEASE:
		return gntdev_dmabuf_imp_release(c, fd, arg);
	default:
		return shim_unknown_ioctl(c, fd, cmd, 0);
	}
}

/* ---- gntalloc ---------------------------------------------------------- */

static long gntalloc_alloc(struct shim_conn *c, int fd, void *arg)
{
	struct ioctl_gntalloc_alloc_gref op;
	struct xsp_gntalloc_alloc req = {0};
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;

	if (shim_copy_from_user(&op, arg,
				offsetof(struct ioctl_gntalloc_alloc_gref, gref_ids)))
		return -EFAULT;
	req.domid = op.domid;
	req.flags = op.flags;
	req.count = op.count;
	ret = shim_call_buf(c, fd, XSP_GNTALLOC_ALLOC_GREF, &req, sizeof(req), &reply);
	p = xsw_reply_data(&reply, &len);
	if (ret >= 0) {
		if (!p || len < sizeof(uint64_t) + (size_t)op.count * sizeof(uint32_t)) {
			ret = -EPROTO;
		} else if (shim_copy_to_user(
				   (char *)arg +
					   offsetof(struct ioctl_gntalloc_alloc_gref,
						    index),
				   p, sizeof(uint64_t)) ||
			   shim_copy_to_user(
				   (char *)arg +
					   offsetof(struct ioctl_gntalloc_alloc_gref,
						    gref_ids),
				   p + sizeof(uint64_t), op.count * sizeof(uint32_t))) {
			ret = -EFAULT;
		} else {
			ret = 0;
		}
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

long shim_gntalloc_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_GNTALLOC_ALLOC_GREF:
		return gntalloc_alloc(c, fd, arg);
	case IOCTL_GNTALLOC_DEALLOC_GREF:
		return COPY_IN(struct ioctl_gntalloc_dealloc_gref, d, arg,
			       index_count_call(c, fd, XSP_GNTALLOC_DEALLOC_GREF, d.index,
						d.count));
	case IOCTL_GNTALLOC_SET_UNMAP_NOTIFY:
		return unmap_notify_call(c, fd, XSP_GNTALLOC_SET_UNMAP_NOTIFY, arg);
	default:
		return shim_unknown_ioctl(c, fd, cmd, 0);
	}
}
