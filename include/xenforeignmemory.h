/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xenforeignmemory.h - map other domains' memory and Xen resources
 * (libxenforeignmemory.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface.
 *
 * Units: every count is in 4096-byte Xen pages (XEN_PAGE_SIZE from
 * <xenstable.h>), whatever the OS page size, except
 * xenforeignmemory_resource_size(), which gives bytes.
 *
 * Mappings are ordinary memory mappings: the caller may munmap() them
 * itself, or mmap(MAP_FIXED) over them, instead of calling the unmap
 * functions; the library keeps no per-mapping state.
 *
 * Thread safety: a handle may be used from several threads at once.
 *
 * Fork: a child must not use a handle inherited from its parent; the only
 * permitted call is xenforeignmemory_close(). Foreign and resource
 * mappings are not inherited: the child has nothing mapped at those
 * addresses (the kernel marks them "do not copy"). exec releases
 * everything. Every file descriptor is close-on-exec.
 *
 * Restriction: xenforeignmemory_restrict() and xentoolcore_restrict_all()
 * make the handle able to map only the given domain's memory (EPERM for
 * any other domain). Where the kernel cannot restrict, they fail with
 * EOPNOTSUPP; xentoolcore_restrict_all() then neuters the handle.
 *
 * 32-bit programs: the Linux Xen drivers have no 32-bit compat ioctls, so
 * in a 32-bit process on a 64-bit kernel every call that needs an ioctl
 * fails with ENOTTY (also where a kernel without the feature would give
 * EOPNOTSUPP). The handle warns once at open, and each failure's log line
 * names the device, the ioctl and that reason. Use a 64-bit build (a
 * 32-bit build works on a 32-bit kernel).
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>

#include <xenstable.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;

typedef struct xenforeignmemory_handle xenforeignmemory_handle;

/**
 * xenforeignmemory_open() - open a foreign-memory handle.
 * @logger: where errors are logged; NULL for a stderr logger at
 *          XTL_PROGRESS that the handle owns.
 * @open_flags: ignored (as upstream).
 *
 * Opens /dev/xen/privcmd (falling back to /proc/xen/privcmd). Errors are
 * logged with the device name and errno.
 *
 * Returns: the handle, or NULL with errno (ENOENT: no privcmd, not on Xen;
 * EACCES; ENOMEM).
 * Since: 1.0
 */
xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags);

/**
 * xenforeignmemory_close() - close a handle. Existing mappings stay valid.
 * @fmem: the handle, or NULL.
 * Returns: 0, or -1 with errno from close(). NULL gives 0.
 * Since: 1.0
 */
int xenforeignmemory_close(xenforeignmemory_handle *fmem);

/**
 * xenforeignmemory_map() - xenforeignmemory_map2(@fmem, @dom, NULL, @prot,
 * 0, @pages, @arr, @err).
 * Since: 1.0
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot,
			   size_t pages, const xen_pfn_t arr[/*pages*/],
			   int err[/*pages*/]);

/**
 * xenforeignmemory_map2() - map guest frames into one contiguous region.
 * @fmem: the handle.
 * @dom: the domain whose frames are mapped.
 * @addr: where to map (a hint, or the address with MAP_FIXED), or NULL.
 * @prot: PROT_READ, PROT_WRITE, PROT_EXEC or PROT_NONE, ORed.
 * @flags: 0, or MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_LOCKED,
 *         MAP_POPULATE, MAP_NONBLOCK, MAP_SHARED (always implied). Any
 *         other flag gives EINVAL (upstream passes anything to mmap()).
 * @pages: number of frames, >= 1.
 * @arr: the @pages guest frame numbers; frame i appears at byte
 *       i * XEN_PAGE_SIZE of the region.
 * @err: NULL, or an array of @pages ints for per-frame results.
 *
 * With @err != NULL the call may succeed partially: it returns the region
 * and sets every @err[i] to 0 (mapped) or to a **negative** errno value
 * (e.g. -EINVAL, -EFAULT, -EPERM, -ENOENT), exactly as the Linux driver
 * reports it (upstream's "errno values" wording omits the sign). errno is
 * then not meaningful, and the region is returned even if every frame
 * failed; failed frames are inaccessible.
 *
 * With @err == NULL any failing frame makes the whole call fail: nothing
 * stays mapped and errno is the error of the first failing frame (which
 * may not be the most important one).
 *
 * Paged-out frames (ENOENT while Xen pages them back in) are retried, for
 * just those frames and into the same region, with a back-off from 100
 * microseconds doubling to 20 milliseconds, for at most 128 rounds (about
 * 2.5 seconds; upstream retries forever). Frames still paged out after that
 * are reported as -ENOENT in @err (or errno ENOENT), and the library logs
 * a warning.
 *
 * Kernels older than Linux 3.7 lack IOCTL_PRIVCMD_MMAPBATCH_V2; the older
 * interface is used instead (only there: on kernels that answer unknown
 * ioctls with ENOTTY an EINVAL from V2 is reported as it is), which cannot tell error
 * codes apart: failed frames then get -EINVAL (or -ENOENT if still paged out), and errors
 * of frame numbers that already have any of bits 28-31 set cannot be seen.
 *
 * Returns: the region (unmap with xenforeignmemory_unmap() or munmap()),
 * or NULL with errno on complete failure: EINVAL (NULL handle or @arr, 0
 * or too many @pages, unknown @prot or @flags, unaligned MAP_FIXED @addr),
 * EPERM (handle restricted to another domain), ESRCH (no such domain),
 * ENOMEM, EOPNOTSUPP (the hypervisor's page size is not XEN_PAGE_SIZE),
 * the per-frame error with @err == NULL, or mmap()'s errno. Complete
 * failures are logged.
 * Since: 1.2 (Xen 4.10)
 */
void *xenforeignmemory_map2(xenforeignmemory_handle *fmem, uint32_t dom, void *addr,
			    int prot, int flags, size_t pages,
			    const xen_pfn_t arr[/*pages*/], int err[/*pages*/]);

/**
 * xenforeignmemory_unmap() - unmap @pages Xen pages at @addr.
 * Returns: 0, or -1 with errno (EINVAL: NULL handle or @addr, unaligned
 * @addr, 0 or too many @pages).
 * Since: 1.0
 */
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages);

/**
 * xenforeignmemory_restrict() - restrict the handle to domain @domid.
 *
 * Afterwards mapping any other domain's memory or resources fails with
 * EPERM. Restricting again to the same @domid succeeds; to another one
 * fails with EINVAL. It cannot be undone.
 *
 * Returns: 0, or -1 with errno: EOPNOTSUPP if the kernel has no
 * IOCTL_PRIVCMD_RESTRICT (never a silent success), EINVAL (already
 * restricted to another domain, NULL handle).
 * Since: 1.1 (Xen 4.9)
 */
int xenforeignmemory_restrict(xenforeignmemory_handle *fmem, domid_t domid);

typedef struct xenforeignmemory_resource_handle xenforeignmemory_resource_handle;

/**
 * xenforeignmemory_map_resource() - map frames of a Xen resource.
 * @fmem: the handle.
 * @domid: the domain owning the resource.
 * @type: XENMEM_resource_* (ioreq_server, grant_table, vmtrace_buf).
 * @id: resource id (ioreq server id, XENMEM_resource_grant_table_id_*, vCPU).
 * @frame: first frame of the resource to map.
 * @nr_frames: number of frames.
 * @paddr: in: where to map (NULL: anywhere); out: the address.
 * @prot: PROT_* as for map2.
 * @flags: 0, MAP_SHARED or MAP_PRIVATE (mappings are always shared);
 *         anything else gives EINVAL.
 *
 * As upstream, @nr_frames 0 with *@paddr NULL maps nothing: it returns a
 * handle (to be passed to xenforeignmemory_unmap_resource()) after asking
 * the resource's size. Use xenforeignmemory_resource_size() instead.
 *
 * Returns: a handle, or NULL with errno: EOPNOTSUPP if the kernel (Linux
 * before 4.18) or Xen cannot map resources (consumers such as QEMU fall
 * back on that errno), EPERM (restricted to another domain), ENOENT (no
 * such ioreq server), EINVAL (bad arguments, frames beyond the resource),
 * ENOMEM, EOPNOTSUPP also if the hypervisor's page size is not
 * XEN_PAGE_SIZE. Failures are logged.
 * Since: 1.3 (Xen 4.11)
 */
xenforeignmemory_resource_handle *xenforeignmemory_map_resource(
	xenforeignmemory_handle *fmem, domid_t domid, unsigned int type, unsigned int id,
	unsigned long frame, unsigned long nr_frames, void **paddr, int prot, int flags);

/**
 * xenforeignmemory_unmap_resource() - unmap and free a resource handle.
 * @fres: the handle, or NULL (returns 0).
 * Returns: 0, or -1 with munmap()'s errno (@fres is freed either way).
 * Since: 1.3 (Xen 4.11)
 */
int xenforeignmemory_unmap_resource(xenforeignmemory_handle *fmem,
				    xenforeignmemory_resource_handle *fres);

/**
 * xenforeignmemory_resource_size() - size of a Xen resource.
 * @size: out: the size in **bytes** (frames * XEN_PAGE_SIZE).
 *
 * Works on restricted handles for the restricted domain. On kernels that
 * have IOCTL_PRIVCMD_MMAP_RESOURCE but not its size query (before Linux
 * 5.11) xenstable asks Xen directly with a memory_op hypercall, which an
 * unrestricted handle only may do (upstream fails with EINVAL there).
 *
 * Returns: 0, or -1 with errno: EOPNOTSUPP if the kernel or Xen has no
 * size query, EPERM, ENOENT, EINVAL (NULL @fmem or @size).
 * Since: 1.4 (Xen 4.15)
 */
int xenforeignmemory_resource_size(xenforeignmemory_handle *fmem, domid_t domid,
				   unsigned int type, unsigned int id, size_t *size);

/* ===================================================================== */
/* xenstable extension (version node XENSTABLE_1.0; not in upstream).    */
/* A program using it fails to load against upstream's library.          */
/* ===================================================================== */

/**
 * xenforeignmemory_hypervisor_page_size() - the hypervisor's page size.
 * @fmem: the handle.
 * @size: out: the page size in bytes, as Xen reports it (XENVER_pagesize).
 *
 * The mapping calls count in XEN_PAGE_SIZE units. They ask the hypervisor
 * once, lazily, and refuse to map (EOPNOTSUPP, logged) if its page size is
 * different, instead of mapping the wrong amount; if the question cannot
 * be asked (e.g. the handle is restricted, so hypercalls give EPERM) they
 * assume XEN_PAGE_SIZE, as upstream always does.
 *
 * Returns: 0 with *@size set, or -1 with errno: EINVAL (NULL argument),
 * EPERM (restricted handle: raw hypercalls are not allowed), or the
 * hypercall's error.
 * Since: XENSTABLE_1.0
 */
int xenforeignmemory_hypervisor_page_size(xenforeignmemory_handle *fmem, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* XENFOREIGNMEMORY_H */
