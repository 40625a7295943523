/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * privcmd ioctls: decode the caller's structures (EFAULT for bad
 * pointers), check the VMA rules, ask the daemon and write the results
 * back into the caller's memory the way the Linux driver does.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>

#include <xen/memory.h>

#include "hypercall-abi.h"
#include "shim.h"
#include "xen-kernel.h"

static int hc_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	(void)ctx;
	return shim_copy_from_user(dst, (const void *)(uintptr_t)addr, len);
}

/* A growing request payload. */
struct pl {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

static void *pl_room(struct pl *b, size_t n)
{
	void *r;

	if (b->oom)
		return NULL;
	if (b->len + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		unsigned char *np;

		while (ncap < b->len + n)
			ncap *= 2;
		np = realloc(b->p, ncap);
		if (!np) {
			b->oom = 1;
			return NULL;
		}
		b->p = np;
		b->cap = ncap;
	}
	r = b->p + b->len;
	b->len += n;
	return r;
}

static void pl_put(struct pl *b, const void *data, size_t n)
{
	void *r = pl_room(b, n);

	if (r && n)
		memcpy(r, data, n);
}

/* Append a struct xsp_buf + @size bytes of caller memory at @uaddr. */
static int pl_user_buf(struct pl *b, uint32_t index, uint32_t flags, const void *uaddr,
		       uint64_t size)
{
	struct xsp_buf xb = {.index = index, .flags = flags, .size = size};
	void *r;

	pl_put(b, &xb, sizeof(xb));
	r = pl_room(b, (size_t)size);
	if (!r)
		return b->oom ? -ENOMEM : 0;
	return shim_copy_from_user(r, uaddr, (size_t)size);
}

static int64_t pl_call(struct shim_conn *c, int fd, uint32_t type, struct pl *b,
		       const int *fds, int nfds, struct xsw_msg *reply)
{
	struct iovec iov = {.iov_base = b->p, .iov_len = b->len};

	if (b->oom) {
		memset(reply, 0, sizeof(*reply));
		return -ENOMEM;
	}
	return shim_call(c, fd, type, &iov, b->len ? 1 : 0, fds, nfds, reply);
}

/*
 * Reply part "uint32_t nbufs, then struct xsp_buf + bytes each": write each
 * buffer back to uaddr[index] (at most size[index] bytes).
 */
static int write_back_bufs(const unsigned char *p, size_t len, void *const uaddr[],
			   const uint64_t size[], unsigned int n)
{
	uint32_t nbufs, i;
	size_t off = sizeof(uint32_t);

	if (len < sizeof(uint32_t))
		return 0;
	memcpy(&nbufs, p, sizeof(nbufs));
	for (i = 0; i < nbufs; i++) {
		struct xsp_buf xb;
		uint64_t sz;

		if (len - off < sizeof(xb))
			return -EPROTO;
		memcpy(&xb, p + off, sizeof(xb));
		off += sizeof(xb);
		if (xb.size > len - off)
			return -EPROTO;
		if (xb.index < n) {
			sz = xb.size < size[xb.index] ? xb.size : size[xb.index];
			if (shim_copy_to_user(uaddr[xb.index], p + off, (size_t)sz))
				return -EFAULT;
		}
		off += (size_t)xb.size;
	}
	return 0;
}

static long privcmd_hypercall(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_hypercall hc;
	struct xs_hcall_buf bufs[XS_HCALL_MAX_BUFS];
	struct xsp_hypercall req = {0};
	void *uaddr[XS_HCALL_MAX_BUFS];
	uint64_t size[XS_HCALL_MAX_BUFS];
	struct xsw_msg reply;
	struct pl b = {0};
	const unsigned char *p;
	size_t len;
	int64_t ret;
	int n, i, rc;

	if (shim_copy_from_user(&hc, arg, sizeof(hc)))
		return -EFAULT;
	if (c->restricted)
		return -EPERM;
	n = xs_hcall_describe(hc.op, hc.arg, hc_read, NULL, bufs);
	if (n < 0)
		return n;
	req.op = hc.op;
	memcpy(req.arg, hc.arg, sizeof(req.arg));
	req.nbufs = (uint32_t)n;
	pl_put(&b, &req, sizeof(req));
	for (i = 0; i < n; i++) {
		uaddr[i] = (void *)(uintptr_t)bufs[i].addr;
		size[i] = bufs[i].size;
		rc = pl_user_buf(&b, (uint32_t)i, bufs[i].flags, uaddr[i], bufs[i].size);
		if (rc) {
			free(b.p);
			return rc;
		}
	}
	ret = pl_call(c, fd, XSP_PRIVCMD_HYPERCALL, &b, NULL, 0, &reply);
	free(b.p);
	p = xsw_reply_data(&reply, &len);
	if (p) {
		rc = write_back_bufs(p, len, uaddr, size, (unsigned int)n);
		if (rc && ret >= 0)
			ret = rc;
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static long privcmd_mmapbatch(struct shim_conn *c, int fd, void *arg, int version)
{
	struct xsp_mmapbatch req = {.version = (uint32_t)version};
	uint64_t addr;
	void *uarr, *uerr = NULL;
	xen_pfn_t *arr = NULL;
	int32_t *err = NULL;
	uint64_t *gfns = NULL;
	struct xsw_msg reply = {0};
	const unsigned char *p;
	size_t len, i, num, npages;
	int64_t ret;
	int prot, rc, used;

	if (version == 1) {
		struct privcmd_mmapbatch m;

		if (shim_copy_from_user(&m, arg, sizeof(m)))
			return -EFAULT;
		if (c->restricted && m.dom != c->restrict_domid)
			return -EPERM;
		if (m.num <= 0)
			return -EINVAL;
		num = (size_t)m.num;
		req.dom = m.dom;
		addr = m.addr;
		uarr = m.arr;
	} else {
		struct privcmd_mmapbatch_v2 m;

		if (shim_copy_from_user(&m, arg, sizeof(m)))
			return -EFAULT;
		if (c->restricted && m.dom != c->restrict_domid)
			return -EPERM;
		if (m.num == 0)
			return -EINVAL;
		num = m.num;
		req.dom = m.dom;
		addr = m.addr;
		uarr = (void *)m.arr;
		uerr = m.err;
	}
	npages = num;
	if (npages > (SIZE_MAX >> SHIM_PAGE_SHIFT) / 2 || num > (1u << 26))
		return -EINVAL;
	req.num = (uint32_t)num;

	arr = malloc(num * sizeof(*arr));
	err = calloc(num, sizeof(*err));
	gfns = malloc(num * sizeof(*gfns));
	if (!arr || !err || !gfns) {
		ret = -ENOMEM;
		goto out;
	}
	/* V2 zeroes err[] first, so only real errors are written later. */
	if (uerr && shim_copy_to_user(uerr, err, num * sizeof(*err))) {
		ret = -EFAULT;
		goto out;
	}
	if (shim_copy_from_user(arr, uarr, num * sizeof(*arr))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < num; i++)
		gfns[i] = arr[i];

	rc = shim_privcmd_batch_begin((uintptr_t)addr, npages, &prot);
	if (rc) {
		ret = rc;
		goto out;
	}
	req.prot = (uint32_t)prot;
	{
		struct iovec iov[2] = {{&req, sizeof(req)}, {gfns, num * sizeof(*gfns)}};

		ret = shim_call(c, fd, XSP_PRIVCMD_MMAPBATCH, iov, 2, NULL, 0, &reply);
	}
	used = 0;
	p = xsw_reply_data(&reply, &len);
	if ((ret >= 0 || ret == -ENOENT) && p) {
		if (len < num * sizeof(int32_t)) {
			ret = -EPROTO;
		} else {
			memcpy(err, p, num * sizeof(int32_t));
			rc = shim_map_frames(
				(uintptr_t)addr, npages, p + num * sizeof(int32_t),
				len - num * sizeof(int32_t), &reply, prot, err);
			if (rc)
				ret = rc;
			used = 1;
		}
	}
	shim_privcmd_batch_end((uintptr_t)addr, npages, used ? err : NULL, used);
	if (!used)
		goto out;

	if (version == 2) {
		if (shim_copy_to_user(uerr, err, num * sizeof(*err)))
			ret = -EFAULT;
	} else {
		int changed = 0;

		for (i = 0; i < num; i++) {
			if (!err[i])
				continue;
			arr[i] |= err[i] == -ENOENT ? PRIVCMD_MMAPBATCH_PAGED_ERROR
						    : PRIVCMD_MMAPBATCH_MFN_ERROR;
			changed = 1;
		}
		if (changed && shim_copy_to_user(uarr, arr, num * sizeof(*arr)))
			ret = -EFAULT;
	}
out:
	xsw_msg_free(&reply);
	free(arr);
	free(err);
	free(gfns);
	return (long)ret;
}

static long privcmd_mmap_resource(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_mmap_resource m;
	struct xsp_mmap_resource req = {0};
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;
	int prot = 0, rc;

	if (shim_copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (c->restricted && m.dom != c->restrict_domid)
		return -EPERM;
	if (!m.addr != !m.num)
		return -EINVAL;
	req.dom = m.dom;
	req.type = m.type;
	req.id = m.id;
	req.idx = m.idx;
	req.num = m.num;
	if (!m.num) {
		/* Size query. */
		ret = shim_call_buf(c, fd, XSP_PRIVCMD_MMAP_RESOURCE, &req, sizeof(req),
				    &reply);
		p = xsw_reply_data(&reply, &len);
		if (ret >= 0) {
			if (!p || len < sizeof(uint64_t)) {
				ret = -EPROTO;
			} else {
				memcpy(&m.num, p, sizeof(m.num));
				if (shim_copy_to_user(
					    (char *)arg +
						    offsetof(struct privcmd_mmap_resource,
							     num),
					    &m.num, sizeof(m.num)))
					ret = -EFAULT;
			}
		}
		xsw_msg_free(&reply);
		return (long)ret;
	}
	if (m.num > (SIZE_MAX >> SHIM_PAGE_SHIFT))
		return -EINVAL;
	rc = shim_privcmd_resource_begin((uintptr_t)m.addr, (size_t)m.num, &prot);
	if (rc)
		return rc;
	req.prot = (uint32_t)prot;
	ret = shim_call_buf(c, fd, XSP_PRIVCMD_MMAP_RESOURCE, &req, sizeof(req), &reply);
	p = xsw_reply_data(&reply, &len);
	if (ret >= 0) {
		rc = p ? shim_map_frames((uintptr_t)m.addr, (size_t)m.num, p, len, &reply,
					 prot, NULL)
		       : -EPROTO;
		if (rc)
			ret = rc;
	}
	shim_privcmd_resource_end((uintptr_t)m.addr, (size_t)m.num, m.dom, m.type, m.id,
				  m.idx, ret >= 0);
	xsw_msg_free(&reply);
	return (long)(ret > 0 ? 0 : ret);
}

static long privcmd_dm_op(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_dm_op op;
	struct privcmd_dm_op_buf ub[XS_PRIVCMD_DM_OP_MAX_NR_BUFS];
	void *uaddr[XS_PRIVCMD_DM_OP_MAX_NR_BUFS];
	uint64_t size[XS_PRIVCMD_DM_OP_MAX_NR_BUFS];
	struct xsp_dm_op req;
	struct xsw_msg reply;
	struct pl b = {0};
	const unsigned char *p;
	size_t len;
	int64_t ret;
	unsigned int i;
	int rc;

	if (shim_copy_from_user(&op, arg, sizeof(op)))
		return -EFAULT;
	if (c->restricted && op.dom != c->restrict_domid)
		return -EPERM;
	if (op.num > XS_PRIVCMD_DM_OP_MAX_NR_BUFS)
		return -E2BIG;
	if (op.num && shim_copy_from_user(ub, op.ubufs, op.num * sizeof(ub[0])))
		return -EFAULT;
	for (i = 0; i < op.num; i++)
		if (ub[i].size > XS_PRIVCMD_DM_OP_BUF_MAX_SIZE)
			return -E2BIG;
	req.dom = op.dom;
	req.nbufs = op.num;
	pl_put(&b, &req, sizeof(req));
	for (i = 0; i < op.num; i++) {
		uaddr[i] = ub[i].uptr;
		size[i] = ub[i].size;
		rc = pl_user_buf(&b, i, XSP_BUF_IN | XSP_BUF_OUT, ub[i].uptr, ub[i].size);
		if (rc) {
			free(b.p);
			return rc;
		}
	}
	ret = pl_call(c, fd, XSP_PRIVCMD_DM_OP, &b, NULL, 0, &reply);
	free(b.p);
	p = xsw_reply_data(&reply, &len);
	if (p) {
		rc = write_back_bufs(p, len, uaddr, size, op.num);
		if (rc && ret >= 0)
			ret = rc;
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static long privcmd_restrict(struct shim_conn *c, int fd, void *arg)
{
	struct xsp_restrict req;
	domid_t dom;
	int64_t ret;

	if (shim_copy_from_user(&dom, arg, sizeof(dom)))
		return -EFAULT;
	req.domid = dom;
	ret = shim_call_ret(c, fd, XSP_PRIVCMD_RESTRICT, &req, sizeof(req));
	if (ret >= 0) {
		c->restricted = 1;
		c->restrict_domid = dom;
	}
	return (long)ret;
}

static long privcmd_irqfd(struct shim_conn *c, int fd, void *arg, int abi)
{
	struct privcmd_irqfd ir;
	struct xsp_irqfd req;
	struct xsw_msg reply;
	struct pl b = {0};
	int64_t ret;
	int efd;

	/* Same layout on 64-bit; the 6.6 number differs only in direction. */
	if (abi == 1) {
		struct privcmd_irqfd_v66 v;

		if (shim_copy_from_user(&v, arg, sizeof(v)))
			return -EFAULT;
		ir.dm_op = (uint64_t)(uintptr_t)v.dm_op;
		ir.size = v.size;
		ir.fd = v.fd;
		ir.flags = v.flags;
		ir.dom = v.dom;
	} else if (shim_copy_from_user(&ir, arg, sizeof(ir))) {
		return -EFAULT;
	}
	/* The daemon checks the personality first (an absent ioctl is ENOTTY
	 * whatever the arguments), then the restriction. */
	req.dom = ir.dom;
	req.flags = ir.flags;
	req.abi = (uint32_t)abi;
	req.size = 0;
	efd = (int)ir.fd;
	pl_put(&b, &req, sizeof(req));
	if (!(ir.flags & PRIVCMD_IRQFD_FLAG_DEASSIGN) && ir.size) {
		void *r;

		if (ir.size > 65536) {
			free(b.p);
			return -EINVAL;
		}
		r = pl_room(&b, ir.size);
		if (!r || shim_copy_from_user(r, (void *)(uintptr_t)ir.dm_op, ir.size)) {
			free(b.p);
			return r ? -EFAULT : -ENOMEM;
		}
		((struct xsp_irqfd *)(void *)b.p)->size = ir.size;
	}
	ret = pl_call(c, fd, XSP_PRIVCMD_IRQFD, &b, &efd, efd >= 0 ? 1 : 0, &reply);
	free(b.p);
	xsw_msg_free(&reply);
	return (long)ret;
}

static long privcmd_ioeventfd(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_ioeventfd io;
	struct xsp_ioeventfd req = {0};
	struct shim_vma_page pg;
	struct xsw_msg reply;
	struct pl b = {0};
	int64_t ret;
	int efd;

	if (shim_copy_from_user(&io, arg, sizeof(io)))
		return -EFAULT;
	req.dom = io.dom;
	req.flags = io.flags;
	req.addr = io.addr;
	req.addr_len = io.addr_len;
	req.vcpus = io.vcpus;
	req.vq = io.vq;
	if (shim_vma_resource_at((uintptr_t)io.ioreq, &pg) == 0 &&
	    pg.res_type == XENMEM_resource_ioreq_server) {
		req.ioreq_valid = 1;
		req.ioservid = pg.res_id;
		req.ioreq_frame = pg.res_frame;
	}
	efd = (int)io.event_fd;
	pl_put(&b, &req, sizeof(req));
	if (!(io.flags & PRIVCMD_IOEVENTFD_FLAG_DEASSIGN) && io.vcpus >= 1 &&
	    io.vcpus <= 4096) {
		void *r = pl_room(&b, io.vcpus * sizeof(uint32_t));

		if (!r || shim_copy_from_user(r, (void *)(uintptr_t)io.ports,
					      io.vcpus * sizeof(uint32_t))) {
			free(b.p);
			return r ? -EFAULT : -ENOMEM;
		}
	} else {
		/* No ports to carry; the daemon answers (ENOTTY on a kernel
		 * without the ioctl, EINVAL for a bad vCPU count). */
		((struct xsp_ioeventfd *)(void *)b.p)->vcpus = io.vcpus;
	}
	ret = pl_call(c, fd, XSP_PRIVCMD_IOEVENTFD, &b, &efd, efd >= 0 ? 1 : 0, &reply);
	free(b.p);
	xsw_msg_free(&reply);
	return (long)ret;
}

static long privcmd_pcidev_gsi(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_pcidev_get_gsi g;
	struct xsp_pcidev_gsi req;
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;

	if (shim_copy_from_user(&g, arg, sizeof(g)))
		return -EFAULT;
	req.sbdf = g.sbdf;
	ret = shim_call_buf(c, fd, XSP_PRIVCMD_PCIDEV_GET_GSI, &req, sizeof(req), &reply);
	p = xsw_reply_data(&reply, &len);
	if (ret >= 0) {
		if (!p || len < sizeof(uint32_t)) {
			ret = -EPROTO;
		} else {
			memcpy(&g.gsi, p, sizeof(g.gsi));
			if (shim_copy_to_user(arg, &g, sizeof(g)))
				ret = -EFAULT;
			else
				ret = 0;
		}
	}
	xsw_msg_free(&reply);
	return (long)ret;
}

static long privcmd_mmap_legacy(struct shim_conn *c, int fd, void *arg)
{
	struct privcmd_mmap m;
	struct xsp_u32x2 req;
	int64_t ret;

	if (shim_copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (c->restricted && m.dom != c->restrict_domid)
		return -EPERM;
	req.a = m.dom;
	req.b = (uint32_t)m.num;
	ret = shim_call_ret(c, fd, XSP_PRIVCMD_MMAP_LEGACY, &req, sizeof(req));
	/* Only auto-translated (PVH/HVM/Arm) dom0s are simulated: no PV maps. */
	return (long)(ret >= 0 ? -ENOSYS : ret);
}

long shim_privcmd_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg)
{
	switch (cmd) {
	case IOCTL_PRIVCMD_HYPERCALL:
		return privcmd_hypercall(c, fd, arg);
	case IOCTL_PRIVCMD_MMAP:
		return privcmd_mmap_legacy(c, fd, arg);
	case IOCTL_PRIVCMD_MMAPBATCH:
		return privcmd_mmapbatch(c, fd, arg, 1);
	case IOCTL_PRIVCMD_MMAPBATCH_V2:
		return privcmd_mmapbatch(c, fd, arg, 2);
	case IOCTL_PRIVCMD_DM_OP:
		return privcmd_dm_op(c, fd, arg);
	case IOCTL_PRIVCMD_RESTRICT:
		return privcmd_restrict(c, fd, arg);
	case IOCTL_PRIVCMD_MMAP_RESOURCE:
		return privcmd_mmap_resource(c, fd, arg);
	case IOCTL_PRIVCMD_IRQFD:
		return privcmd_irqfd(c, fd, arg, 0);
	case IOCTL_PRIVCMD_IRQFD_V66: /* differs in the direction bits */
		return privcmd_irqfd(c, fd, arg, 1);
	case IOCTL_PRIVCMD_IOEVENTFD:
		return privcmd_ioeventfd(c, fd, arg);
	case IOCTL_PRIVCMD_PCIDEV_GET_GSI:
		return privcmd_pcidev_gsi(c, fd, arg);
	case IOCTL_PRIVCMD_UNIMPLEMENTED:
		/* The libraries' probe: unimplemented on purpose, no noise. */
		return shim_unknown_ioctl(c, fd, cmd, 1);
	default:
		return shim_unknown_ioctl(c, fd, cmd, 0);
	}
}
