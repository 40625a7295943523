/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xencall.h - make hypercalls from user space (libxencall.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface. The
 * library issues arbitrary hypercalls, subject to the permissions of the
 * process and of the domain it runs in, and hands out memory that
 * hypercalls can safely point at. The library's interface is stable; the
 * hypercalls themselves follow their own stability rules.
 *
 * On Linux a handle owns /dev/xen/privcmd (or /proc/xen/privcmd where only
 * xenfs provides it) and, where the kernel has it, /dev/xen/hypercall for
 * hypercall buffers. Every file descriptor is close-on-exec.
 *
 * Thread safety: a handle may be used from several threads at once unless
 * it was opened with XENCALL_OPENFLAG_NON_REENTRANT. Each handle has its own
 * buffer cache with its own lock (upstream shares one lock between all
 * handles of the process): threads using different handles never contend.
 *
 * Fork: a child must not use a handle, or any buffer, inherited from its
 * parent; the only permitted call is xencall_close(), which releases what
 * the child holds (exec releases everything). Buffers from
 * /dev/xen/hypercall stay shared with the parent in the child; buffers of
 * the fallback allocator (see xencall_buffers_never_fault()) are absent in
 * the child. Never call xencall_free_buffer*() in the child.
 *
 * Restriction: xentoolcore_restrict_all() makes a handle useless (Linux
 * cannot restrict raw hypercalls to one domain): its descriptors are
 * replaced by /dev/null, still close-on-exec. Later hypercalls fail with
 * ENOTTY; new hypercall buffers that are not in the handle's cache fail
 * with EACCES (a shared writable mmap of the read-only /dev/null; upstream's
 * notes say ENODEV) when /dev/xen/hypercall was in use.
 *
 * 32-bit programs: the Linux Xen drivers have no 32-bit compat ioctls, so
 * in a 32-bit process on a 64-bit kernel every call that needs an ioctl
 * fails with ENOTTY (also where a kernel without the feature would give
 * EOPNOTSUPP). The handle warns once at open, and each failure's log line
 * names the device, the ioctl and that reason. Use a 64-bit build (a
 * 32-bit build works on a 32-bit kernel).
 */
#ifndef XENCALL_H
#define XENCALL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;

typedef struct xencall_handle xencall_handle;

/*
 * The caller promises to use the handle from one thread only; the handle's
 * buffer-cache lock is then skipped.
 */
#define XENCALL_OPENFLAG_NON_REENTRANT (1U << 0)

/**
 * xencall_open() - open a hypercall handle.
 * @logger: where errors are logged; NULL for a stderr logger at
 *          XTL_PROGRESS that the handle owns.
 * @open_flags: XENCALL_OPENFLAG_* (other bits are ignored, as upstream).
 *
 * Opens /dev/xen/privcmd (falling back to /proc/xen/privcmd if the device
 * node is missing, ENOENT/ENXIO/ENODEV) and /dev/xen/hypercall if the
 * kernel has it. Failures are logged with the device name and errno.
 *
 * Returns: the handle, or NULL with errno set by the failing call (ENOENT:
 * no privcmd device, not running on Xen; EACCES: not permitted; ENOMEM).
 * Since: 1.0
 */
xencall_handle *xencall_open(struct xentoollog_logger *logger, unsigned open_flags);

/**
 * xencall_close() - close a handle and release its cached buffers.
 * @xcall: the handle, or NULL (no-op).
 *
 * Buffers the caller still holds are not freed. This is the only call
 * allowed on a handle inherited across fork.
 *
 * Returns: 0 (also for NULL).
 * Since: 1.0
 */
int xencall_close(xencall_handle *xcall);

/**
 * xencall0() ... xencall5() - make hypercall @op with 0 to 5 arguments.
 * @xcall: the handle.
 * @op: the hypercall number (__HYPERVISOR_*).
 * @arg1 ... @arg5: the arguments; pointers must point into buffers from
 *                  xencall_alloc_buffer*().
 *
 * Returns: the hypercall's result (>= 0) on success, or -1 with errno set:
 * either Xen's error (Xen's errno numbers are Linux's) or one from the
 * driver or the library (EINVAL: NULL handle; EPERM: privcmd restricted;
 * ENOTTY: the handle was neutered by xentoolcore_restrict_all()). The two
 * cannot always be told apart. These functions never log.
 * Since: 1.0
 */
int xencall0(xencall_handle *xcall, unsigned int op);
int xencall1(xencall_handle *xcall, unsigned int op, uint64_t arg1);
int xencall2(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2);
int xencall3(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2,
	     uint64_t arg3);
int xencall4(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2,
	     uint64_t arg3, uint64_t arg4);
int xencall5(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2,
	     uint64_t arg3, uint64_t arg4, uint64_t arg5);

/**
 * xencall2L() - xencall2() returning the full `long` result.
 *
 * Some memory_op results do not fit in an int. xenstable returns the
 * driver's whole `long` on Linux too (upstream truncates it through
 * glibc's int ioctl()). Results between -4095 and -1 cannot be told from
 * errors. Same errno rules as xencall2(); never logs.
 *
 * Returns: the hypercall's result, or -1 with errno.
 * Since: 1.3 (Xen 4.16)
 */
long xencall2L(xencall_handle *xcall, unsigned int op, uint64_t arg1, uint64_t arg2);

/**
 * xencall_alloc_buffer_pages() - allocate hypercall-safe memory.
 * @xcall: the handle.
 * @nr_pages: number of 4096-byte pages, >= 1.
 *
 * Returns: page-aligned zeroed memory, or NULL with errno (EINVAL: NULL
 * handle, @nr_pages 0 or too large; ENOMEM; EAGAIN: the fallback
 * allocator hit RLIMIT_MEMLOCK; EACCES: the handle was neutered). Failures
 * are logged once, naming the device and errno.
 * Since: 1.0
 */
void *xencall_alloc_buffer_pages(xencall_handle *xcall, size_t nr_pages);

/**
 * xencall_free_buffer_pages() - free memory from xencall_alloc_buffer_pages().
 * @xcall: the handle it came from.
 * @p: the buffer, or NULL (no-op).
 * @nr_pages: the count given at allocation.
 *
 * Small buffers go back to the handle's cache. errno is preserved.
 * Since: 1.0
 */
void xencall_free_buffer_pages(xencall_handle *xcall, void *p, size_t nr_pages);

/**
 * xencall_alloc_buffer() - allocate @size bytes of hypercall-safe memory.
 *
 * The memory is zeroed and 16-byte aligned (not page aligned: as upstream,
 * a hidden 16-byte header precedes it in its first page). @size 0 gives a
 * usable buffer. Same errors as xencall_alloc_buffer_pages().
 *
 * Returns: the buffer, or NULL with errno.
 * Since: 1.0
 */
void *xencall_alloc_buffer(xencall_handle *xcall, size_t size);

/**
 * xencall_free_buffer() - free memory from xencall_alloc_buffer().
 * @p: the buffer, or NULL (no-op). errno is preserved.
 * Since: 1.0
 */
void xencall_free_buffer(xencall_handle *xcall, void *p);

/**
 * xencall_buffers_never_fault() - can the hypervisor fault on buffers?
 *
 * Returns: 1 if hypercall buffers come from /dev/xen/hypercall (kernel
 * pages that are never migrated), 0 if they are locked anonymous memory
 * (which the kernel may still migrate or compact, so a hypercall may see
 * EFAULT), or 0 with errno EINVAL for a NULL handle.
 * Since: 1.1 (Xen 4.11)
 */
int xencall_buffers_never_fault(xencall_handle *xcall);

/**
 * xencall_fd() - the handle's privcmd file descriptor.
 *
 * For passing to other programs, direct ioctls, fcntl and descriptor
 * audits; selecting on it is not useful. It is not the /dev/xen/hypercall
 * descriptor.
 *
 * Returns: the fd, or -1 with errno EINVAL for a NULL handle.
 * Since: 1.2 (Xen 4.12)
 */
int xencall_fd(xencall_handle *xcall);

#ifdef __cplusplus
}
#endif

#endif /* XENCALL_H */
