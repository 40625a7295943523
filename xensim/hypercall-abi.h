/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * hypercall-abi.h - which arguments of a hypercall point at caller memory,
 * and how much of it (Xen 4.17 public ABI). Shared by both ends of xensim:
 *
 * - the shim (inside the client) describes an IOCTL_PRIVCMD_HYPERCALL with
 *   xs_hcall_describe(), reading caller memory through its own read
 *   callback, and sends the buffers in the order described (protocol.h,
 *   XSP_PRIVCMD_HYPERCALL: xsp_buf.index = position in that order);
 * - the daemon rebuilds the same description from what it received with
 *   xs_hcall_describe_rx(), so it knows which received buffer is which
 *   (buffer i: caller address bufs[i].addr, argument bufs[i].arg, ...).
 *
 * A description is deterministic given (op, arguments, contents of the
 * earlier buffers): a later buffer's address or size may come from an
 * earlier one (dm_op: the xen_dm_op_buf_t array; xen_version build_id: its
 * len field), never the other way round.
 */
#ifndef XENSIM_HYPERCALL_ABI_H
#define XENSIM_HYPERCALL_ABI_H

#include <stddef.h>
#include <stdint.h>

/* Most buffers a single hypercall is described with (dm_op: array + 2). */
#define XS_HCALL_MAX_BUFS 8
/* Largest single buffer the description accepts (else -E2BIG). */
#define XS_HCALL_MAX_BUF_SIZE (4u << 20)

/* multicall: at most this many calls are described (more: -E2BIG); the
 * buffers of call i, argument a have arg XS_HCALL_MC_ARG(i, a). */
#define XS_HCALL_MC_MAX	      4
#define XS_HCALL_MC_ARG(i, a) (0x100u + 8u * (unsigned int)(i) + (unsigned int)(a))

/* Xen 4.17 dm_op accepts at most this many buffers (more: -E2BIG). */
#define XS_HCALL_DM_OP_MAX_BUFS 2

struct xs_hcall_buf {
	uint64_t addr;	/* caller virtual address */
	uint64_t size;	/* bytes */
	uint32_t flags; /* XSP_BUF_IN (Xen reads it) | XSP_BUF_OUT (Xen writes it) */
	uint16_t arg;	/* hypercall argument (0-4) the pointer is or comes from */
	uint16_t sub;	/* dm_op: 0 = the xen_dm_op_buf_t array, j + 1 = buffer j;
			 * memory_op acquire_resource: 1 = frame_list; else 0 */
};

/* Read @len bytes of caller memory at @addr into @dst. Returns 0 or -errno. */
typedef int xs_hcall_read_fn(void *ctx, uint64_t addr, void *dst, size_t len);

/*
 * Describe hypercall @op with arguments @arg: fill @bufs (room for
 * XS_HCALL_MAX_BUFS) and return how many there are (0 for hypercalls that
 * take no caller memory, or that are not known: those are passed on with
 * their raw arguments only). Returns -EFAULT if @read failed on a field the
 * description needs, -E2BIG if a count or size is beyond what Xen accepts
 * (dm_op with more than XS_HCALL_DM_OP_MAX_BUFS buffers, a buffer over
 * XS_HCALL_MAX_BUF_SIZE).
 */
int xs_hcall_describe(uint64_t op, const uint64_t arg[5], xs_hcall_read_fn *read,
		      void *ctx, struct xs_hcall_buf *bufs);

/*
 * Daemon side: describe the request from the @nrx buffers received (in
 * order, contents @rx[i], @rx_size[i] bytes). Returns the count (== @nrx)
 * with @bufs filled, or -EPROTO if what was received does not match the
 * description (count or sizes), or the error xs_hcall_describe() gives.
 */
int xs_hcall_describe_rx(uint64_t op, const uint64_t arg[5], unsigned int nrx,
			 const void *const rx[], const uint64_t rx_size[],
			 struct xs_hcall_buf *bufs);

/* Name of hypercall @op ("xen_version", "dm_op", ...) or NULL. */
const char *xs_hcall_name(uint64_t op);

#endif /* XENSIM_HYPERCALL_ABI_H */
