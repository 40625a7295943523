/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Caller-memory buffers of the hypercalls xensim knows, from the Xen 4.17
 * public ABI. See hypercall-abi.h.
 */
#include "config.h"

/* The current interface: guest handles are structs, all sub-ops visible. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <errno.h>
#include <string.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/hvm/dm_op.h>

#include "domctl-abi.h"
#include "hypercall-abi.h"
#include "protocol.h"

#define IN    XSP_BUF_IN
#define OUT   XSP_BUF_OUT
#define INOUT (XSP_BUF_IN | XSP_BUF_OUT)

/* memory_op: the low bits are the command, the rest a continuation. */
#define XS_MEMOP_CMD_MASK 0x3f

struct desc {
	struct xs_hcall_buf *bufs;
	unsigned int n;
	xs_hcall_read_fn *read;
	void *ctx;
};

static int add(struct desc *d, uint64_t addr, uint64_t size, uint32_t flags,
	       unsigned int arg, unsigned int sub)
{
	struct xs_hcall_buf *b;

	if (d->n >= XS_HCALL_MAX_BUFS || size > XS_HCALL_MAX_BUF_SIZE)
		return -E2BIG;
	b = &d->bufs[d->n++];
	b->addr = addr;
	b->size = size;
	b->flags = flags;
	b->arg = (uint16_t)arg;
	b->sub = (uint16_t)sub;
	return 0;
}

static int rd(struct desc *d, uint64_t addr, void *dst, size_t len)
{
	int rc = d->read(d->ctx, addr, dst, len);

	return rc < 0 ? rc : 0;
}

static int xen_version_bufs(struct desc *d, const uint64_t arg[5])
{
	uint64_t p = arg[1];
	uint32_t len;
	int rc;

	switch (arg[0]) {
	case XENVER_version:
	case XENVER_pagesize:
		return 0;
	case XENVER_extraversion:
		return add(d, p, sizeof(xen_extraversion_t), OUT, 1, 0);
	case XENVER_compile_info:
		return add(d, p, sizeof(xen_compile_info_t), OUT, 1, 0);
	case XENVER_capabilities:
		return add(d, p, sizeof(xen_capabilities_info_t), OUT, 1, 0);
	case XENVER_changeset:
		return add(d, p, sizeof(xen_changeset_info_t), OUT, 1, 0);
	case XENVER_platform_parameters:
		return add(d, p, sizeof(xen_platform_parameters_t), OUT, 1, 0);
	case XENVER_get_features:
		return add(d, p, sizeof(xen_feature_info_t), INOUT, 1, 0);
	case XENVER_guest_handle:
		return add(d, p, sizeof(xen_domain_handle_t), OUT, 1, 0);
	case XENVER_commandline:
		return add(d, p, sizeof(xen_commandline_t), OUT, 1, 0);
	case XENVER_build_id:
		/* IN len, then the buffer of len bytes (OUT). */
		rc = add(d, p, sizeof(uint32_t), INOUT, 1, 0);
		if (rc)
			return rc;
		rc = rd(d, p, &len, sizeof(len));
		if (rc)
			return rc;
		if (len > XS_HCALL_MAX_BUF_SIZE - sizeof(uint32_t))
			return -E2BIG;
		d->bufs[d->n - 1].size = sizeof(uint32_t) + (uint64_t)len;
		return 0;
	default:
		return 0;
	}
}

static int memory_op_bufs(struct desc *d, const uint64_t arg[5])
{
	xen_mem_acquire_resource_t ar;
	int rc;

	switch (arg[0] & XS_MEMOP_CMD_MASK) {
	case XENMEM_acquire_resource:
		rc = add(d, arg[1], sizeof(ar), INOUT, 1, 0);
		if (rc)
			return rc;
		rc = rd(d, arg[1], &ar, sizeof(ar));
		if (rc)
			return rc;
		if (ar.nr_frames && ar.frame_list.p)
			return add(d, (uint64_t)(uintptr_t)ar.frame_list.p,
				   (uint64_t)ar.nr_frames * sizeof(xen_pfn_t), INOUT, 1,
				   1);
		return 0;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return add(d, arg[1], sizeof(domid_t), IN, 1, 0);
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap: {
		struct xen_memory_reservation mr;

		/* the reservation, then its extent array (xen_pfn_t each) */
		rc = add(d, arg[1], sizeof(mr), IN, 1, 0);
		if (rc)
			return rc;
		rc = rd(d, arg[1], &mr, sizeof(mr));
		if (rc)
			return rc;
		if (mr.nr_extents && mr.extent_start.p) {
			if (mr.nr_extents > XS_HCALL_MAX_BUF_SIZE / sizeof(xen_pfn_t))
				return -E2BIG;
			return add(d, (uint64_t)(uintptr_t)mr.extent_start.p,
				   (uint64_t)mr.nr_extents * sizeof(xen_pfn_t), INOUT, 1,
				   1);
		}
		return 0;
	}
	default:
		return 0;
	}
}

/* domctl(struct xen_domctl *): one fixed-size structure, read and written */
static int domctl_bufs(struct desc *d, const uint64_t arg[5])
{
	return add(d, arg[0], sizeof(struct xs_domctl), INOUT, 0, 0);
}

static int event_channel_op_bufs(struct desc *d, const uint64_t arg[5])
{
	uint64_t size;

	switch (arg[0]) {
	case EVTCHNOP_bind_interdomain:
		size = sizeof(evtchn_bind_interdomain_t);
		break;
	case EVTCHNOP_bind_virq:
		size = sizeof(evtchn_bind_virq_t);
		break;
	case EVTCHNOP_bind_pirq:
		size = sizeof(evtchn_bind_pirq_t);
		break;
	case EVTCHNOP_close:
		size = sizeof(evtchn_close_t);
		break;
	case EVTCHNOP_send:
		size = sizeof(evtchn_send_t);
		break;
	case EVTCHNOP_status:
		size = sizeof(evtchn_status_t);
		break;
	case EVTCHNOP_alloc_unbound:
		size = sizeof(evtchn_alloc_unbound_t);
		break;
	case EVTCHNOP_bind_ipi:
		size = sizeof(evtchn_bind_ipi_t);
		break;
	case EVTCHNOP_bind_vcpu:
		size = sizeof(evtchn_bind_vcpu_t);
		break;
	case EVTCHNOP_unmask:
		size = sizeof(evtchn_unmask_t);
		break;
	case EVTCHNOP_reset:
		size = sizeof(evtchn_reset_t);
		break;
	case EVTCHNOP_init_control:
		size = 24; /* u64 control_gfn, u32 offset, u32 vcpu, u8 link_bits, pad */
		break;
	case EVTCHNOP_expand_array:
		size = 8; /* u64 array_gfn */
		break;
	case EVTCHNOP_set_priority:
		size = sizeof(evtchn_set_priority_t);
		break;
	default:
		return 0;
	}
	return add(d, arg[1], size, INOUT, 1, 0);
}

static int grant_table_op_bufs(struct desc *d, const uint64_t arg[5])
{
	uint64_t each, count = arg[2];

	switch (arg[0]) {
	case GNTTABOP_map_grant_ref:
		each = sizeof(gnttab_map_grant_ref_t);
		break;
	case GNTTABOP_unmap_grant_ref:
		each = sizeof(gnttab_unmap_grant_ref_t);
		break;
	case GNTTABOP_setup_table:
		each = sizeof(gnttab_setup_table_t);
		break;
	case GNTTABOP_copy:
		each = sizeof(gnttab_copy_t);
		break;
	case GNTTABOP_query_size:
		each = sizeof(gnttab_query_size_t);
		break;
	case GNTTABOP_set_version:
		each = 4; /* u32 version */
		break;
	case GNTTABOP_get_version:
		each = 8; /* domid_t dom, u16 pad, u32 version */
		break;
	default:
		return 0;
	}
	if (count > XS_HCALL_MAX_BUF_SIZE / each)
		return -E2BIG;
	return add(d, arg[1], each * count, INOUT, 1, 0);
}

static int sched_op_bufs(struct desc *d, const uint64_t arg[5])
{
	switch (arg[0]) {
	case SCHEDOP_shutdown:
	case SCHEDOP_shutdown_code:
		return add(d, arg[1], sizeof(sched_shutdown_t), IN, 1, 0);
	case SCHEDOP_remote_shutdown:
		return add(d, arg[1], sizeof(sched_remote_shutdown_t), IN, 1, 0);
	default:
		return 0;
	}
}

/* dm_op(domid, nr_bufs, bufs): the array, then every buffer it names. */
static int dm_op_bufs(struct desc *d, const uint64_t arg[5])
{
	xen_dm_op_buf_t b[XS_HCALL_DM_OP_MAX_BUFS];
	uint64_t nr = arg[1];
	unsigned int j;
	int rc;

	if (nr > XS_HCALL_DM_OP_MAX_BUFS)
		return -E2BIG;
	if (nr == 0)
		return 0;
	rc = add(d, arg[2], nr * sizeof(xen_dm_op_buf_t), IN, 2, 0);
	if (rc)
		return rc;
	rc = rd(d, arg[2], b, nr * sizeof(xen_dm_op_buf_t));
	if (rc)
		return rc;
	for (j = 0; j < nr; j++) {
		rc = add(d, (uint64_t)(uintptr_t)b[j].h.p, b[j].size, INOUT, 2, j + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int describe_op(struct desc *d, uint64_t op, const uint64_t arg[5]);

/*
 * multicall(entries, nr): the array of struct multicall_entry (64 bytes:
 * op, result, args[6]), then the buffers of each call, described as the
 * call itself would be, with arg = XS_HCALL_MC_ARG(entry, argument).
 */
static int multicall_bufs(struct desc *d, const uint64_t arg[5])
{
	uint64_t nr = arg[1], e[8];
	int rc;

	if (nr == 0)
		return 0;
	if (nr > XS_HCALL_MC_MAX)
		return -E2BIG;
	rc = add(d, arg[0], nr * sizeof(e), INOUT, 0, 0);
	for (uint64_t i = 0; !rc && i < nr; i++) {
		unsigned int n0 = d->n;

		rc = rd(d, arg[0] + i * sizeof(e), e, sizeof(e));
		if (rc || e[0] == __HYPERVISOR_multicall)
			continue; /* Xen refuses a nested multicall */
		rc = describe_op(d, e[0], &e[2]);
		for (unsigned int j = n0; !rc && j < d->n; j++)
			d->bufs[j].arg = (uint16_t)XS_HCALL_MC_ARG(i, d->bufs[j].arg);
	}
	return rc;
}

static int describe_op(struct desc *d, uint64_t op, const uint64_t arg[5])
{
	switch (op) {
	case __HYPERVISOR_xen_version:
		return xen_version_bufs(d, arg);
	case __HYPERVISOR_memory_op:
		return memory_op_bufs(d, arg);
	case __HYPERVISOR_event_channel_op:
		return event_channel_op_bufs(d, arg);
	case __HYPERVISOR_grant_table_op:
		return grant_table_op_bufs(d, arg);
	case __HYPERVISOR_sched_op:
		return sched_op_bufs(d, arg);
	case __HYPERVISOR_dm_op:
		return dm_op_bufs(d, arg);
	case __HYPERVISOR_domctl:
		return domctl_bufs(d, arg);
	case __HYPERVISOR_multicall:
		return multicall_bufs(d, arg);
	default:
		return 0;
	}
}

int xs_hcall_describe(uint64_t op, const uint64_t arg[5], xs_hcall_read_fn *read,
		      void *ctx, struct xs_hcall_buf *bufs)
{
	struct desc d = {.bufs = bufs, .n = 0, .read = read, .ctx = ctx};
	int rc;

	memset(bufs, 0, sizeof(*bufs) * XS_HCALL_MAX_BUFS);
	rc = describe_op(&d, op, arg);
	return rc < 0 ? rc : (int)d.n;
}

struct rx_ctx {
	const struct xs_hcall_buf *bufs;
	unsigned int nrx;
	const void *const *rx;
	const uint64_t *rx_size;
};

/* Read from the received buffer that the description placed at @addr. */
static int rx_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	const struct rx_ctx *c = ctx;
	unsigned int i;

	for (i = 0; i < c->nrx; i++) {
		const struct xs_hcall_buf *b = &c->bufs[i];
		uint64_t have = b->size < c->rx_size[i] ? b->size : c->rx_size[i];

		if (addr >= b->addr && len <= have && addr - b->addr <= have - len) {
			memcpy(dst, (const unsigned char *)c->rx[i] + (addr - b->addr),
			       len);
			return 0;
		}
	}
	return -EPROTO;
}

int xs_hcall_describe_rx(uint64_t op, const uint64_t arg[5], unsigned int nrx,
			 const void *const rx[], const uint64_t rx_size[],
			 struct xs_hcall_buf *bufs)
{
	struct rx_ctx c = {.bufs = bufs, .nrx = nrx, .rx = rx, .rx_size = rx_size};
	unsigned int i;
	int n;

	if (nrx > XS_HCALL_MAX_BUFS)
		return -EPROTO;
	n = xs_hcall_describe(op, arg, rx_read, &c, bufs);
	if (n < 0)
		return n;
	if ((unsigned int)n != nrx)
		return -EPROTO;
	for (i = 0; i < nrx; i++)
		if (bufs[i].size != rx_size[i])
			return -EPROTO;
	return n;
}

const char *xs_hcall_name(uint64_t op)
{
	switch (op) {
	case __HYPERVISOR_memory_op:
		return "memory_op";
	case __HYPERVISOR_xen_version:
		return "xen_version";
	case __HYPERVISOR_grant_table_op:
		return "grant_table_op";
	case __HYPERVISOR_sched_op:
		return "sched_op";
	case __HYPERVISOR_event_channel_op:
		return "event_channel_op";
	case __HYPERVISOR_physdev_op:
		return "physdev_op";
	case __HYPERVISOR_hvm_op:
		return "hvm_op";
	case __HYPERVISOR_sysctl:
		return "sysctl";
	case __HYPERVISOR_domctl:
		return "domctl";
	case __HYPERVISOR_dm_op:
		return "dm_op";
	case __HYPERVISOR_multicall:
		return "multicall";
	case __HYPERVISOR_hypfs_op:
		return "hypfs_op";
	default:
		return NULL;
	}
}
