/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Why a Xen driver answered ENOTTY.
 *
 * The Linux Xen drivers (privcmd, evtchn, gntdev, gntalloc) have no
 * compat_ioctl: in a 32-bit process on a 64-bit kernel every ioctl on them
 * fails with ENOTTY before the driver looks at it, whatever its number.
 * open, read, write, mmap and poll work as they do natively.
 *
 * So ENOTTY from an ioctl that every version of its driver has (privcmd
 * HYPERCALL, MMAP, MMAPBATCH; evtchn BIND_*, UNBIND, NOTIFY, RESET; gntdev
 * MAP/UNMAP_GRANT_REF; gntalloc ALLOC/DEALLOC_GREF) is logged with its
 * reason (xs_log_core_ioctl()). ENOTTY from an ioctl newer kernels added
 * (MMAPBATCH_V2, DM_OP, RESTRICT, MMAP_RESOURCE, IRQFD, ..., evtchn
 * RESTRICT_DOMID and BIND_STATIC, gntdev SET_UNMAP_NOTIFY, GRANT_COPY,
 * DMA-BUF) stays ENOTTY in such a process instead of becoming "the kernel
 * lacks the feature" (EOPNOTSUPP, xs_enotty_is_compat()), and is logged
 * with the reason there only (xs_log_optional_ioctl()).
 */
#ifndef XS_COMPAT_H
#define XS_COMPAT_H

#include <stdbool.h>
#include <stddef.h>

#include "xs-compiler.h"
#include "xs-handle.h"

enum xs_abi {
	XS_ABI_NATIVE,	     /* 64-bit build, or 32-bit build on a 32-bit kernel */
	XS_ABI_COMPAT,	     /* 32-bit build, uname() reports a 64-bit machine */
	XS_ABI_COMPAT_MAYBE, /* 32-bit build under a 32-bit personality (setarch,
			      * linux32): uname() may hide a 64-bit machine */
};

/*
 * Pure classification, for the tests: @long_bits is 8 * sizeof(long) of
 * the build, @machine uname()'s machine, @linux32 whether the process runs
 * with the PER_LINUX32 personality.
 */
enum xs_abi xs_abi_classify(unsigned int long_bits, const char *machine, bool linux32);

/* The reason text for ENOTTY from a core ioctl under @abi into @buf. */
void xs_abi_reason(enum xs_abi abi, const char *machine, char *buf, size_t len);

/* This process (uname() and personality() asked once). */
enum xs_abi xs_abi_get(void);

/* True if @err is ENOTTY and this process may be hit by the compat gap. */
bool xs_enotty_is_compat(int err);

/*
 * Log a failed ioctl at XTL_ERROR: the message from @fmt (e.g.
 * "IOCTL_PRIVCMD_HYPERCALL on /dev/xen/privcmd"), then, if @errnoval is
 * ENOTTY, why, then errno's text. For ioctls every version of the driver
 * has, and for newer ones when xs_enotty_is_compat(). errno is preserved.
 */
void xs_log_core_ioctl(const struct xs_handle *h, int errnoval, const char *fmt, ...)
	XS_PRINTF(3, 4);

/*
 * For an ioctl newer kernels added: logged at @level, with the reason only
 * when xs_enotty_is_compat(@errnoval) (then always at XTL_ERROR: it is
 * never an expected answer).
 */
void xs_log_optional_ioctl(const struct xs_handle *h, xentoollog_level level,
			   int errnoval, const char *fmt, ...) XS_PRINTF(4, 5);

/* At open: one XTL_WARN if this is a 32-bit process on a 64-bit kernel. */
void xs_warn_compat(const struct xs_handle *h);

#endif /* XS_COMPAT_H */
