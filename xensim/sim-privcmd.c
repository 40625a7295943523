/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The privcmd driver (/dev/xen/privcmd, /proc/xen/privcmd) and the
 * hypercall buffer device (/dev/xen/hypercall), with the hypercalls that
 * reach Xen through IOCTL_PRIVCMD_HYPERCALL: xen_version, memory_op
 * (XENMEM_acquire_resource size query) and dm_op. Semantics follow the
 * Linux driver (kernel-and-consumers.md 1.3/1.4) and Xen 4.17.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/version.h>

#include "hypercall-abi.h"
#include "sim-int.h"
#include "xen-kernel.h"

#define DOMID_SELF_	0x7FF0u
#define MEMOP_CMD_MASK_ 0x3fu
#define MAX_MAP_FRAMES	(1u << 20)

int sim_privcmd_may(const struct sim_conn *c, unsigned int domid)
{
	if (c->restrict_domid != SIM_DOMID_INVALID && c->restrict_domid != domid)
		return -EPERM;
	return 0;
}

/* The answer of a kernel that does not have this ioctl. */
static int64_t no_such_ioctl(struct sim *s, struct sim_conn *c, const char *name)
{
	sim_log(s, "conn %u (pid %d %s): %s not in kernel personality %s", c->id,
		(int)c->pid, c->comm, name, s->personality);
	return sim_has(s, SIM_F_OLD_PRIVCMD_EINVAL) ? -EINVAL : -ENOTTY;
}

static unsigned int resolve_domid(unsigned int domid)
{
	return domid == DOMID_SELF_ ? 0 : domid;
}

/*
 * XENMEM_acquire_resource as Xen 4.17 answers a dom0 caller: DOMID_SELF
 * names no domain (ESRCH) and a domain may not acquire its own resources
 * (EPERM), as seen on a real Xen by tests/xen/differential.
 */
static int resource_domain(struct sim *s, unsigned int domid, struct sim_domain **d)
{
	if (domid == DOMID_SELF_)
		return -ESRCH;
	if (domid == 0)
		return -EPERM;
	*d = sim_domain_find(s, domid);
	return *d ? 0 : -ESRCH;
}

/* ---- buffers carried by hypercall / DM_OP requests ------------------------ */

/* Parse @n struct xsp_buf + contents from @p (@len bytes). */
static int parse_bufs(unsigned char *p, size_t len, uint32_t n, struct sim_ubuf **out)
{
	struct sim_ubuf *b;

	*out = NULL;
	if (n > 1024)
		return -E2BIG;
	if (!n)
		return 0;
	b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct xsp_buf h;

		if (len < sizeof(h))
			goto bad;
		memcpy(&h, p, sizeof(h));
		p += sizeof(h);
		len -= sizeof(h);
		if (h.size > len)
			goto bad;
		b[i].index = h.index;
		b[i].flags = h.flags;
		b[i].size = (size_t)h.size;
		b[i].data = p;
		p += h.size;
		len -= h.size;
	}
	*out = b;
	return 0;
bad:
	free(b);
	return -EPROTO;
}

/* Reply tail: uint32_t nbufs, then the written buffers. */
static int put_written(struct sim_reply *r, const struct sim_ubuf *b, uint32_t n)
{
	uint32_t count = 0;
	int rc;

	for (uint32_t i = 0; i < n; i++)
		count += b[i].written;
	rc = sim_reply_put(r, &count, sizeof(count));
	for (uint32_t i = 0; i < n && !rc; i++) {
		struct xsp_buf h = {
			.index = b[i].index, .flags = b[i].flags, .size = b[i].size};

		if (!b[i].written)
			continue;
		rc = sim_reply_put(r, &h, sizeof(h));
		if (!rc)
			rc = sim_reply_put(r, b[i].data, b[i].size);
	}
	return rc;
}

/* The received buffer that hypercall-abi.c describes as (@arg, @sub). */
static struct sim_ubuf *buf_for_arg(struct sim_ubuf *b, const struct xs_hcall_buf *desc,
				    uint32_t n, uint16_t arg, uint16_t sub)
{
	for (uint32_t i = 0; i < n; i++)
		if (desc[i].arg == arg && desc[i].sub == sub)
			return &b[i];
	return NULL;
}

/* Write @len bytes of @src to buffer @b (-EFAULT if it is missing or small). */
static int buf_out(struct sim_ubuf *b, const void *src, size_t len)
{
	if (!b || b->size < len)
		return -EFAULT;
	memcpy(b->data, src, len);
	b->written = true;
	return 0;
}

/* ---- hypercalls ------------------------------------------------------------ */

static const uint8_t build_id[20] = {0x78, 0x65, 0x6e, 0x73, 0x69, 0x6d, 0x2d,
				     0x34, 0x2e, 0x31, 0x37, 0x00, 0x00, 0x00,
				     0x00, 0x00, 0x00, 0x00, 0x00, 0x01};

static long hc_xen_version(struct sim *s, uint64_t cmd, struct sim_ubuf *arg)
{
	const struct sim_version *v = sim_version(s);
	char str[1024];

	switch (cmd) {
	case XENVER_version:
		return (long)((v->major << 16) | v->minor);
	case XENVER_extraversion:
		memset(str, 0, XEN_EXTRAVERSION_LEN);
		snprintf(str, XEN_EXTRAVERSION_LEN, "%s", v->extraversion);
		return buf_out(arg, str, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		xen_compile_info_t ci;

		memset(&ci, 0, sizeof(ci));
		snprintf(ci.compiler, sizeof(ci.compiler), "%s", v->compiler);
		snprintf(ci.compile_by, sizeof(ci.compile_by), "%s", v->compile_by);
		snprintf(ci.compile_domain, sizeof(ci.compile_domain), "%s",
			 v->compile_domain);
		snprintf(ci.compile_date, sizeof(ci.compile_date), "%s", v->compile_date);
		return buf_out(arg, &ci, sizeof(ci));
	}
	case XENVER_capabilities:
		memset(str, 0, XEN_CAPABILITIES_INFO_LEN);
		snprintf(str, XEN_CAPABILITIES_INFO_LEN, "%s", v->capabilities);
		return buf_out(arg, str, XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		memset(str, 0, XEN_CHANGESET_INFO_LEN);
		snprintf(str, XEN_CHANGESET_INFO_LEN, "%s", v->changeset);
		return buf_out(arg, str, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters: {
		xen_platform_parameters_t pp = {0};

#if defined(__x86_64__)
		pp.virt_start = (xen_ulong_t)0xffff800000000000ULL;
#elif defined(__i386__)
		pp.virt_start = (xen_ulong_t)0xf5800000UL;
#endif
		return buf_out(arg, &pp, sizeof(pp));
	}
	case XENVER_get_features: {
		xen_feature_info_t fi;

		if (!arg || arg->size < sizeof(fi))
			return -EFAULT;
		memcpy(&fi, arg->data, sizeof(fi));
		if (fi.submap_idx >= 1)
			return -EINVAL;
		fi.submap = s->xen_features;
		return buf_out(arg, &fi, sizeof(fi));
	}
	case XENVER_pagesize:
		return (long)SIM_PAGE_SIZE;
	case XENVER_guest_handle: {
		xen_domain_handle_t h;

		memset(h, 0, sizeof(h));
		return buf_out(arg, h, sizeof(h));
	}
	case XENVER_commandline:
		memset(str, 0, sizeof(xen_commandline_t));
		snprintf(str, sizeof(xen_commandline_t), "%s", v->commandline);
		return buf_out(arg, str, sizeof(xen_commandline_t));
	case XENVER_build_id: {
		uint32_t len;

		if (!arg || arg->size < sizeof(len))
			return -EFAULT;
		memcpy(&len, arg->data, sizeof(len));
		if (len < sizeof(build_id))
			return -ENOBUFS;
		if (arg->size < sizeof(len) + sizeof(build_id))
			return -EFAULT;
		memcpy(arg->data + sizeof(len), build_id, sizeof(build_id));
		arg->written = true;
		return (long)sizeof(build_id);
	}
	default:
		sim_log(s, "hypercall xen_version sub-op %llu not simulated",
			(unsigned long long)cmd);
		return -ENOSYS;
	}
}

static bool handle_is_null(const void *h, size_t len)
{
	const unsigned char *p = h;

	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Size (frames) or frames of a resource: dispatch by type. */
static long resource(struct sim *s, struct sim_domain *d, unsigned int type,
		     unsigned int id, uint64_t idx, uint64_t num,
		     struct sim_frame *frames)
{
	switch (type) {
	case XENMEM_resource_grant_table:
		return sim_gnttab_resource(s, d, id, idx, num, frames);
	case XENMEM_resource_ioreq_server:
		return sim_ioreq_resource(s, d, id, idx, num, frames);
	case XENMEM_resource_vmtrace_buf:
		return -EINVAL; /* no domain is created with vmtrace buffers */
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * The size query (nr_frames 0) of XENMEM_acquire_resource. Xen 4.17 stores
 * the -EOPNOTSUPP of an unknown resource type in the uint32_t nr_frames
 * and succeeds (seen on the real Xen by tests/xen/differential: the size
 * query gives 0xffffffa1 frames): xensim does the same.
 */
static long size_query(struct sim *s, struct sim_domain *d, unsigned int type,
		       unsigned int id)
{
	long rc = resource(s, d, type, id, 0, 0, NULL);

	if (rc == -EOPNOTSUPP && type != XENMEM_resource_grant_table &&
	    type != XENMEM_resource_ioreq_server && type != XENMEM_resource_vmtrace_buf)
		return (long)(uint32_t)rc;
	return rc;
}

static long hc_memory_op(struct sim *s, struct sim_conn *c, uint64_t cmd,
			 struct sim_ubuf *arg, struct sim_ubuf *ext)
{
	xen_mem_acquire_resource_t ar;
	struct sim_domain *d;
	long rc;

	switch (cmd & MEMOP_CMD_MASK_) {
	case XENMEM_acquire_resource:
		break;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn: {
		domid_t dom;

		if (!arg || arg->size < sizeof(dom))
			return -EFAULT;
		memcpy(&dom, arg->data, sizeof(dom));
		d = sim_domain_find(s, resolve_domid(dom));
		if (!d)
			return -ESRCH;
		/* RAM is all populated: pages = reservation, the last gfn = max */
		if ((cmd & MEMOP_CMD_MASK_) == XENMEM_maximum_reservation &&
		    sim_domain_ctl(d)->toolstack)
			return (long)sim_domain_ctl(d)->max_pages;
		if ((cmd & MEMOP_CMD_MASK_) == XENMEM_current_reservation &&
		    sim_domain_ctl(d)->toolstack)
			return (long)sim_domain_ctl(d)->tot_pages;
		return (cmd & MEMOP_CMD_MASK_) == XENMEM_maximum_gpfn
			       ? (long)(d->nr_pages - 1)
			       : (long)d->nr_pages;
	}
	case XENMEM_populate_physmap:
		return sim_memory_reservation(s, cmd, arg, ext);
	default:
		sim_log(s, "hypercall memory_op sub-op %llu not simulated",
			(unsigned long long)cmd);
		return -ENOSYS;
	}
	if (!arg || arg->size < sizeof(ar))
		return -EFAULT;
	memcpy(&ar, arg->data, sizeof(ar));
	if (ar.pad)
		return -EINVAL;
	rc = resource_domain(s, ar.domid, &d);
	if (rc)
		return rc;
	if (ar.nr_frames || !handle_is_null(&ar.frame_list, sizeof(ar.frame_list))) {
		sim_log(s,
			"hypercall memory_op XENMEM_acquire_resource with frames is not "
			"simulated (use IOCTL_PRIVCMD_MMAP_RESOURCE)");
		return -EOPNOTSUPP;
	}
	rc = size_query(s, d, ar.type, ar.id);
	if (rc < 0)
		return rc;
	ar.nr_frames = (uint32_t)rc;
	return buf_out(arg, &ar, sizeof(ar));
}

static long hc_dm_op(struct sim *s, struct sim_conn *c, const uint64_t *args,
		     struct sim_ubuf *b, uint32_t n)
{
	uint64_t nr = args[1];

	if (n == 0)
		return nr ? -EFAULT : sim_dm_op(s, c, (unsigned int)args[0], NULL, 0);
	if (nr != n - 1)
		return -EFAULT;
	return sim_dm_op(s, c, (unsigned int)(args[0] & 0xffff), b + 1, n - 1);
}

/*
 * multicall: each call of the array runs as the hypercall itself would,
 * its result stored in the entry (op, result, args[6]); the multicall
 * returns 0. Only xen_version and memory_op calls are simulated in it.
 */
static long hc_multicall(struct sim *s, struct sim_conn *c, const uint64_t *args,
			 struct sim_ubuf *b, const struct xs_hcall_buf *desc, uint32_t n)
{
	struct xs_hcall_buf dd[XS_HCALL_MAX_BUFS];
	struct sim_ubuf *arr = buf_for_arg(b, desc, n, 0, 0);
	uint64_t nr = args[1], e[8];

	if (nr == 0)
		return 0;
	if (!arr || arr->size < nr * sizeof(e))
		return -EFAULT;
	for (uint64_t i = 0; i < nr; i++) {
		long ret;

		memcpy(e, arr->data + i * sizeof(e), sizeof(e));
		for (uint32_t j = 0; j < n; j++) {
			dd[j] = desc[j];
			dd[j].arg = 0xffff;
			if (desc[j].arg >= XS_HCALL_MC_ARG(i, 0) &&
			    desc[j].arg < XS_HCALL_MC_ARG(i + 1, 0))
				dd[j].arg =
					(uint16_t)(desc[j].arg - XS_HCALL_MC_ARG(i, 0));
		}
		switch (e[0]) {
		case __HYPERVISOR_xen_version:
			ret = hc_xen_version(s, e[2], buf_for_arg(b, dd, n, 1, 0));
			break;
		case __HYPERVISOR_memory_op:
			ret = hc_memory_op(s, c, e[2], buf_for_arg(b, dd, n, 1, 0),
					   buf_for_arg(b, dd, n, 1, 1));
			break;
		default:
			sim_log(s,
				"hypercall %llu in a multicall not simulated (pid %d %s)",
				(unsigned long long)e[0], (int)c->pid, c->comm);
			ret = -ENOSYS;
			break;
		}
		e[1] = (uint64_t)ret;
		memcpy(arr->data + i * sizeof(e), e, sizeof(e));
	}
	arr->written = true;
	return 0;
}

static int privcmd_hypercall(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			     struct sim_reply *r)
{
	struct xs_hcall_buf desc[XS_HCALL_MAX_BUFS];
	const void *rx[XS_HCALL_MAX_BUFS];
	uint64_t rx_size[XS_HCALL_MAX_BUFS];
	struct xsp_hypercall h;
	struct sim_ubuf *b = NULL;
	const char *name = NULL;
	long ret;
	int rc;

	if ((r->ret = sim_req_fixed(m, &h, sizeof(h))))
		return 0;
	if (h.nbufs > XS_HCALL_MAX_BUFS) {
		r->ret = -E2BIG;
		return 0;
	}
	rc = parse_bufs(m->data + sizeof(h), m->len - sizeof(h), h.nbufs, &b);
	if (rc) {
		r->ret = rc;
		return 0;
	}
	for (uint32_t i = 0; i < h.nbufs; i++) {
		rx[i] = b[i].data;
		rx_size[i] = b[i].size;
	}
	rc = xs_hcall_describe_rx(h.op, h.arg, h.nbufs, rx, rx_size, desc);
	if (rc < 0) {
		r->ret = rc;
		rc = put_written(r, NULL, 0);
		free(b);
		return rc ? -ENOMEM : 0;
	}
	ret = sim_inject(s, "ioctl:IOCTL_PRIVCMD_HYPERCALL");
	if (!ret && c->restrict_domid != SIM_DOMID_INVALID)
		ret = -EPERM;
	if (!ret) {
		switch (h.op) {
		case __HYPERVISOR_xen_version:
			name = "hypercall:xen_version";
			break;
		case __HYPERVISOR_memory_op:
			name = "hypercall:memory_op";
			break;
		case __HYPERVISOR_dm_op:
			name = "hypercall:dm_op";
			break;
		case __HYPERVISOR_domctl:
			name = "hypercall:domctl";
			break;
		case __HYPERVISOR_multicall:
			name = "hypercall:multicall";
			break;
		default:
			break;
		}
		if (name)
			ret = sim_inject(s, name);
	}
	if (!ret) {
		switch (h.op) {
		case __HYPERVISOR_xen_version:
			ret = hc_xen_version(s, h.arg[0],
					     buf_for_arg(b, desc, h.nbufs, 1, 0));
			break;
		case __HYPERVISOR_memory_op:
			ret = hc_memory_op(s, c, h.arg[0],
					   buf_for_arg(b, desc, h.nbufs, 1, 0),
					   buf_for_arg(b, desc, h.nbufs, 1, 1));
			break;
		case __HYPERVISOR_multicall:
			ret = hc_multicall(s, c, h.arg, b, desc, h.nbufs);
			break;
		case __HYPERVISOR_domctl:
			ret = sim_domctl(s, c, buf_for_arg(b, desc, h.nbufs, 0, 0));
			break;
		case __HYPERVISOR_dm_op:
			ret = hc_dm_op(s, c, h.arg, b, h.nbufs);
			break;
		default:
			sim_log(s,
				"hypercall %llu (%#llx, %#llx) not simulated (pid %d %s)",
				(unsigned long long)h.op, (unsigned long long)h.arg[0],
				(unsigned long long)h.arg[1], (int)c->pid, c->comm);
			ret = -ENOSYS;
			break;
		}
	}
	r->ret = ret;
	rc = put_written(r, b, h.nbufs);
	free(b);
	if (rc)
		r->ret = rc;
	return 0;
}

/* ---- MMAPBATCH ------------------------------------------------------------- */

static int privcmd_mmapbatch(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			     struct sim_reply *r)
{
	struct xsp_mmapbatch mb;
	struct sim_frame *frames = NULL;
	struct sim_domain *d;
	const unsigned char *gfns;
	int32_t *errs;
	size_t nok = 0;
	bool enoent = false;
	int rc;

	if ((r->ret = sim_req_fixed(m, &mb, sizeof(mb))))
		return 0;
	rc = sim_inject(s, mb.version == 2 ? "ioctl:IOCTL_PRIVCMD_MMAPBATCH_V2"
					   : "ioctl:IOCTL_PRIVCMD_MMAPBATCH");
	if (rc) {
		r->ret = rc;
		return 0;
	}
	if (mb.version == 2 && !sim_has(s, SIM_F_MMAPBATCH_V2)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_MMAPBATCH_V2");
		return 0;
	}
	if (mb.version != 1 && mb.version != 2) {
		r->ret = -EINVAL;
		return 0;
	}
	if (mb.num == 0 || mb.num > MAX_MAP_FRAMES ||
	    m->len != sizeof(mb) + (size_t)mb.num * sizeof(uint64_t)) {
		r->ret = -EINVAL;
		return 0;
	}
	rc = sim_privcmd_may(c, mb.dom);
	if (rc) {
		r->ret = rc;
		return 0;
	}
	gfns = m->data + sizeof(mb);
	d = sim_domain_find(s, resolve_domid(mb.dom));
	errs = sim_buf_put(&r->data, NULL, (size_t)mb.num * sizeof(*errs));
	frames = calloc(mb.num, sizeof(*frames));
	if (!errs || !frames) {
		free(frames);
		r->data.len = 0;
		r->ret = -ENOMEM;
		return 0;
	}
	for (uint32_t i = 0; i < mb.num; i++) {
		uint64_t gfn;
		int e;

		memcpy(&gfn, gfns + (size_t)i * sizeof(gfn), sizeof(gfn));
		if (!d)
			e = -ESRCH;
		else if (gfn >= d->nr_pages)
			e = -EINVAL;
		else
			e = sim_domain_frame_check(s, d, gfn);
		if (!e)
			e = sim_domain_frame(d, gfn, &frames[nok]);
		if (!e)
			nok++;
		if (e == -ENOENT)
			enoent = true;
		errs[i] = e;
	}
	if (d) {
		struct sim_map_stats *st = sim_domain_map_stats(d);

		st->mmapbatch_calls++;
		st->mmapbatch_frames += nok;
		st->mmapbatch_failed += mb.num - nok;
	}
	rc = sim_reply_frames(r, frames, nok);
	free(frames);
	if (rc) {
		r->data.len = 0;
		r->nfds = 0;
		r->ret = rc;
		return 0;
	}
	r->ret = enoent ? -ENOENT : 0;
	return 0;
}

/* ---- MMAP_RESOURCE -------------------------------------------------------------- */

static int privcmd_mmap_resource(struct sim *s, struct sim_conn *c,
				 const struct xsw_msg *m, struct sim_reply *r)
{
	struct xsp_mmap_resource mr;
	struct sim_frame *frames;
	struct sim_domain *d;
	long rc;

	if (!sim_has(s, SIM_F_MMAP_RESOURCE)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_MMAP_RESOURCE");
		return 0;
	}
	if ((r->ret = sim_req_fixed(m, &mr, sizeof(mr))))
		return 0;
	rc = sim_inject(s, "ioctl:IOCTL_PRIVCMD_MMAP_RESOURCE");
	if (!rc)
		rc = sim_privcmd_may(c, mr.dom);
	if (rc) {
		r->ret = rc;
		return 0;
	}
	if (mr.num == 0) {
		uint64_t size;

		if (!sim_has(s, SIM_F_RESOURCE_SIZE)) {
			/* an old kernel looks for a VMA at address 0 */
			r->ret = -EINVAL;
			return 0;
		}
		rc = resource_domain(s, mr.dom, &d);
		if (rc) {
			r->ret = rc;
			return 0;
		}
		rc = size_query(s, d, mr.type, mr.id);
		if (rc < 0) {
			r->ret = rc;
			return 0;
		}
		size = (uint64_t)rc;
		r->ret = sim_reply_put(r, &size, sizeof(size));
		return 0;
	}
	if (mr.num > MAX_MAP_FRAMES) {
		r->ret = -ENOMEM;
		return 0;
	}
	rc = resource_domain(s, mr.dom, &d);
	if (rc) {
		r->ret = rc;
		return 0;
	}
	frames = calloc(mr.num, sizeof(*frames));
	if (!frames) {
		r->ret = -ENOMEM;
		return 0;
	}
	for (uint64_t i = 0; i < mr.num; i++)
		frames[i].fd = -1;
	rc = resource(s, d, mr.type, mr.id, mr.idx, mr.num, frames);
	if (rc >= 0 && (uint64_t)rc != mr.num)
		rc = -EINVAL;
	if (rc >= 0) {
		struct sim_map_stats *st = sim_domain_map_stats(d);

		st->resource_calls++;
		st->resource_frames += mr.num;
		rc = sim_reply_frames(r, frames, mr.num);
	}
	free(frames);
	if (rc < 0) {
		r->data.len = 0;
		r->nfds = 0;
		r->ret = rc;
		return 0;
	}
	r->ret = 0;
	return 0;
}

/* ---- DM_OP, RESTRICT ---------------------------------------------------------- */

static int privcmd_dm_op(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			 struct sim_reply *r)
{
	struct xsp_dm_op op;
	struct sim_ubuf *b = NULL;
	long ret;
	int rc;

	if (!sim_has(s, SIM_F_DM_OP)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_DM_OP");
		return 0;
	}
	if ((r->ret = sim_req_fixed(m, &op, sizeof(op))))
		return 0;
	ret = sim_inject(s, "ioctl:IOCTL_PRIVCMD_DM_OP");
	if (!ret)
		ret = sim_privcmd_may(c, op.dom);
	if (!ret && op.nbufs == 0) {
		r->ret = 0;
		return put_written(r, NULL, 0) ? -ENOMEM : 0;
	}
	if (!ret && op.nbufs > XS_PRIVCMD_DM_OP_MAX_NR_BUFS)
		ret = -E2BIG;
	if (!ret) {
		rc = parse_bufs(m->data + sizeof(op), m->len - sizeof(op), op.nbufs, &b);
		if (rc)
			ret = rc;
	}
	for (uint32_t i = 0; !ret && i < op.nbufs; i++)
		if (b[i].size > XS_PRIVCMD_DM_OP_BUF_MAX_SIZE)
			ret = -E2BIG;
	if (!ret)
		ret = sim_dm_op(s, c, op.dom & 0xffff, b, op.nbufs);
	r->ret = ret;
	rc = put_written(r, b, b ? op.nbufs : 0);
	free(b);
	if (rc)
		r->ret = rc;
	return 0;
}

static int privcmd_restrict(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			    struct sim_reply *r)
{
	struct xsp_restrict rq;
	int rc;

	if (!sim_has(s, SIM_F_RESTRICT)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_RESTRICT");
		return 0;
	}
	if ((r->ret = sim_req_fixed(m, &rq, sizeof(rq))))
		return 0;
	rq.domid &= 0xffff; /* a domid_t */
	rc = sim_inject(s, "ioctl:IOCTL_PRIVCMD_RESTRICT");
	if (rc) {
		r->ret = rc;
		return 0;
	}
	if (c->restrict_domid == SIM_DOMID_INVALID)
		c->restrict_domid = rq.domid;
	else if (c->restrict_domid != rq.domid)
		rc = -EINVAL;
	r->ret = rc;
	return 0;
}

/* ---- IRQFD, IOEVENTFD, PCIDEV_GET_GSI ------------------------------------------ */

static int privcmd_irqfd(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			 struct sim_reply *r)
{
	struct xsp_irqfd q;
	int rc, efd;

	if ((r->ret = sim_req_fixed(m, &q, sizeof(q))))
		return 0;
	if (!sim_has(s, q.abi == 1 ? SIM_F_IRQFD_66 : SIM_F_IRQFD)) {
		r->ret = no_such_ioctl(s, c,
				       q.abi == 1 ? "IOCTL_PRIVCMD_IRQFD (6.6 number)"
						  : "IOCTL_PRIVCMD_IRQFD");
		return 0;
	}
	rc = sim_inject(s, "ioctl:IOCTL_PRIVCMD_IRQFD");
	if (!rc)
		rc = sim_privcmd_may(c, q.dom);
	if (!rc && (q.flags & ~(uint32_t)PRIVCMD_IRQFD_FLAG_DEASSIGN))
		rc = -EINVAL;
	if (!rc && m->len != sizeof(q) + q.size)
		rc = -EFAULT;
	if (rc) {
		r->ret = rc;
		return 0;
	}
	efd = m->nfds >= 1 ? fcntl(m->fds[0], F_DUPFD_CLOEXEC, 0) : -1;
	if (efd < 0) {
		r->ret = -EBADF;
		return 0;
	}
	r->ret = sim_irqfd(s, c, &q, m->data + sizeof(q), q.size, efd);
	return 0;
}

static int privcmd_ioeventfd(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			     struct sim_reply *r)
{
	struct xsp_ioeventfd q;
	uint32_t *ports = NULL;
	int rc, efd;

	if (!sim_has(s, SIM_F_IOEVENTFD)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_IOEVENTFD");
		return 0;
	}
	if ((r->ret = sim_req_fixed(m, &q, sizeof(q))))
		return 0;
	rc = sim_inject(s, "ioctl:IOCTL_PRIVCMD_IOEVENTFD");
	if (!rc)
		rc = sim_privcmd_may(c, q.dom);
	if (!rc && (q.flags & ~(uint32_t)PRIVCMD_IOEVENTFD_FLAG_DEASSIGN))
		rc = -EINVAL;
	if (!rc && !(q.flags & PRIVCMD_IOEVENTFD_FLAG_DEASSIGN)) {
		if (q.addr_len != 1 && q.addr_len != 2 && q.addr_len != 4 &&
		    q.addr_len != 8)
			rc = -EINVAL;
		else if (q.vcpus < 1 || q.vcpus > 4096)
			rc = -EINVAL;
		else if (q.addr + q.addr_len < q.addr)
			rc = -EINVAL;
	}
	if (!rc && m->len != sizeof(q) + (size_t)q.vcpus * sizeof(uint32_t) &&
	    !(q.flags & PRIVCMD_IOEVENTFD_FLAG_DEASSIGN))
		rc = -EFAULT;
	if (rc) {
		r->ret = rc;
		return 0;
	}
	if (m->len >= sizeof(q) + (size_t)q.vcpus * sizeof(uint32_t) && q.vcpus) {
		ports = calloc(q.vcpus, sizeof(*ports));
		if (!ports) {
			r->ret = -ENOMEM;
			return 0;
		}
		memcpy(ports, m->data + sizeof(q), (size_t)q.vcpus * sizeof(*ports));
	}
	efd = m->nfds >= 1 ? fcntl(m->fds[0], F_DUPFD_CLOEXEC, 0) : -1;
	if (efd < 0) {
		free(ports);
		r->ret = -EBADF;
		return 0;
	}
	r->ret = sim_ioeventfd(s, c, &q, ports, efd);
	free(ports);
	return 0;
}

static int privcmd_gsi(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r)
{
	struct xsp_pcidev_gsi q;
	uint32_t gsi;
	int rc;

	if (!sim_has(s, SIM_F_GSI)) {
		r->ret = no_such_ioctl(s, c, "IOCTL_PRIVCMD_PCIDEV_GET_GSI");
		return 0;
	}
	if ((r->ret = sim_req_fixed(m, &q, sizeof(q))))
		return 0;
	rc = sim_inject(s, "ioctl:IOCTL_PRIVCMD_PCIDEV_GET_GSI");
	if (!rc)
		rc = sim_pci_gsi(s, q.sbdf);
	if (rc < 0) {
		r->ret = rc;
		return 0;
	}
	gsi = (uint32_t)rc;
	r->ret = sim_reply_put(r, &gsi, sizeof(gsi));
	return 0;
}

/* ---- /dev/xen/hypercall -------------------------------------------------------------
 */

static int hypercall_mmap(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			  struct sim_reply *r)
{
	struct xsp_bufdev_mmap q;
	struct sim_frame *frames;
	struct sim_mem mem;
	int rc, idx;

	if ((r->ret = sim_req_fixed(m, &q, sizeof(q))))
		return 0;
	if (q.pages == 0 || q.pages > MAX_MAP_FRAMES) {
		r->ret = q.pages ? -ENOMEM : -EINVAL;
		return 0;
	}
	rc = sim_inject(s, "mmap:hypercall");
	if (rc) {
		r->ret = rc;
		return 0;
	}
	rc = sim_mem_alloc(&mem, q.pages, "xensim-hypercall-buf");
	if (rc) {
		r->ret = rc == -EINVAL ? -EINVAL : -ENOMEM;
		return 0;
	}
	munmap(mem.ptr, mem.size); /* the daemon never looks at these pages */
	idx = sim_reply_fd(r, mem.fd, true);
	frames = calloc(q.pages, sizeof(*frames));
	if (idx < 0 || !frames) {
		free(frames);
		if (idx < 0)
			close(mem.fd);
		r->ret = -ENOMEM;
		return 0;
	}
	for (uint64_t i = 0; i < q.pages; i++) {
		frames[i].fd = mem.fd;
		frames[i].offset = i << SIM_PAGE_SHIFT;
	}
	rc = sim_reply_frames(r, frames, q.pages);
	free(frames);
	r->ret = rc;
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------------
 */

int sim_privcmd_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			struct sim_reply *r)
{
	switch (m->type) {
	case XSP_PRIVCMD_HYPERCALL:
		return privcmd_hypercall(s, c, m, r);
	case XSP_PRIVCMD_MMAPBATCH:
		return privcmd_mmapbatch(s, c, m, r);
	case XSP_PRIVCMD_MMAP_RESOURCE:
		return privcmd_mmap_resource(s, c, m, r);
	case XSP_PRIVCMD_DM_OP:
		return privcmd_dm_op(s, c, m, r);
	case XSP_PRIVCMD_RESTRICT:
		return privcmd_restrict(s, c, m, r);
	case XSP_PRIVCMD_IRQFD:
		return privcmd_irqfd(s, c, m, r);
	case XSP_PRIVCMD_IOEVENTFD:
		return privcmd_ioeventfd(s, c, m, r);
	case XSP_PRIVCMD_PCIDEV_GET_GSI:
		return privcmd_gsi(s, c, m, r);
	case XSP_PRIVCMD_MMAP_LEGACY: {
		struct xsp_u32x2 q = {0};

		/* IOCTL_PRIVCMD_MMAP (dom, num): the simulated dom0 is
		 * auto-translated, where the kernel answers ENOSYS */
		if (m->len >= sizeof(q))
			memcpy(&q, m->data, sizeof(q));
		r->ret = sim_inject(s, "ioctl:IOCTL_PRIVCMD_MMAP");
		if (!r->ret)
			r->ret = sim_privcmd_may(c, q.a);
		if (!r->ret)
			r->ret = -ENOSYS;
		return 0;
	}
	case XSP_HYPERCALL_MMAP:
		return hypercall_mmap(s, c, m, r);
	default:
		sim_log(s, "conn %u: privcmd request 0x%x not simulated", c->id, m->type);
		r->ret = -ENOTTY;
		return 0;
	}
}
