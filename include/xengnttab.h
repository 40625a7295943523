/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xengnttab.h - grant tables for Xen tools and backends
 * (libxengnttab.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface. A grant is
 * a domain's permission for another domain to map or copy one of its
 * pages, named by a grant reference. The library has two halves:
 *
 *  - gnttab (consumer): map pages other domains granted to us, copy to and
 *    from them (Linux: /dev/xen/gntdev);
 *  - gntshr (producer): allocate pages of our own and grant them to
 *    another domain (Linux: /dev/xen/gntalloc).
 *
 * Counts of pages and offsets into them are in Xen pages of 4096 bytes
 * (XEN_PAGE_SIZE in <xenstable.h>). Domain ids are uint32_t in this API but
 * 16 bits in Xen: larger values are rejected (EINVAL) instead of being
 * silently truncated to another domain.
 *
 * Error convention: -1 or NULL with errno. Every failure is logged
 * through the handle's logger at XTL_ERROR with the operation, the device
 * and errno (upstream logs some failures only); a NULL logger at open
 * means a stderr logger at XTL_PROGRESS. Calls with a NULL handle fail
 * with EINVAL (upstream crashes), except close, which returns 0.
 *
 * Thread safety: a handle may be used from several threads at once.
 *
 * Fork: a child must not use handles it inherited; close is the only
 * call allowed there. In particular it must not unmap: grant mappings are
 * not inherited (Linux marks them "don't copy" on PV kernels), while
 * gntshr pages are shared with the child.
 *
 * Restriction: gnttab and gntshr handles are registered with
 * libxentoolcore. xentoolcore_restrict_all() cannot limit them to one
 * domain, so it neuters them: their fd is replaced by /dev/null and every
 * later call except unmap, unshare, fd and close fails with EPERM. Existing
 * mappings stay valid until unmapped. (Upstream neuters gnttab handles
 * only; gntshr handles stayed fully usable after restriction, and calls
 * on neutered handles failed with ENOTTY.)
 *
 * Exec: both devices are opened close-on-exec (upstream forgot
 * /dev/xen/gntalloc), and dma-buf fds returned by the library are
 * close-on-exec.
 *
 * 32-bit programs: the Linux Xen drivers have no 32-bit compat ioctls, so
 * in a 32-bit process on a 64-bit kernel every call that needs an ioctl
 * fails with ENOTTY (also where a kernel without the feature would give
 * EOPNOTSUPP). The handle warns once at open, and each failure's log line
 * names the device, the ioctl and that reason. Use a 64-bit build (a
 * 32-bit build works on a 32-bit kernel).
 */
#ifndef XENGNTTAB_H
#define XENGNTTAB_H

#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/grant_table.h>

#ifdef __cplusplus
extern "C" {
#endif

struct xentoollog_logger;

/*
 * Both halves use the same (opaque) handle type, as upstream does, so the
 * compiler cannot tell them apart. xenstable can: passing a gnttab handle
 * to a gntshr function (or the reverse) fails with EINVAL.
 */
typedef struct xengntdev_handle xengnttab_handle;
typedef struct xengntdev_handle xengntshr_handle;

/* ====================================================================== */
/* gnttab: mapping and copying grants of other domains                    */

/**
 * xengnttab_open() - open the grant-mapping device.
 * @logger: where errors go; NULL: a stderr logger at XTL_PROGRESS, owned
 *	by the handle.
 * @open_flags: no flag is defined; pass 0. Other values are ignored, as
 *	upstream does, so that existing binaries keep working.
 *
 * Returns: a new handle, or NULL with errno: ENOENT (no gntdev device: not
 * on Xen, or the driver is not loaded), EACCES, ENOMEM, or another errno
 * of open(2).
 * Since: 1.0
 */
xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned int open_flags);

/**
 * xengnttab_close() - close a gnttab (or gntshr) handle.
 * @xgt: the handle, or NULL (nothing to do).
 *
 * Mappings still in place stay valid; they are released when unmapped
 * (munmap() is enough after close) or when the process exits, and their
 * unmap notifications fire then.
 *
 * Returns: 0, or -1 with errno from close(2) (the handle is freed anyway).
 * Since: 1.0
 */
int xengnttab_close(xengnttab_handle *xgt);

/**
 * xengnttab_fd() - the fd of the gntdev device behind the handle.
 * @xgt: the handle.
 *
 * Returns: the fd, or -1 with errno EINVAL for a NULL or gntshr handle.
 * Since: 1.2 (Xen 4.12)
 */
int xengnttab_fd(xengnttab_handle *xgt);

/**
 * xengnttab_set_max_grants() - set the most grants the handle may map.
 * @xgt: the handle.
 * @nr_grants: the limit.
 *
 * Call it right after open, before mapping anything. Mainline Linux has
 * no such limit per handle (its gntdev lacks the ioctl and answers
 * ENOTTY): then this succeeds and does nothing, as upstream does.
 *
 * Returns: 0, or -1 with errno (EINVAL for a NULL or gntshr handle,
 * EPERM after xentoolcore_restrict_all(), or the kernel's errno).
 * Since: 1.0
 */
int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants);

/**
 * xengnttab_map_grant_ref() - map one page granted by another domain.
 * @xgt: the handle.
 * @domid: the granting domain.
 * @ref: the grant reference.
 * @prot: PROT_READ, optionally | PROT_WRITE (and PROT_EXEC). Without
 *	PROT_WRITE the grant is mapped read-only.
 *
 * Returns: the address of the page (release it with xengnttab_unmap(),
 * count 1), or NULL with errno: EINVAL (bad arguments; or Xen refused the
 * grant: wrong domain, bad reference, writable map of a read-only grant),
 * EAGAIN (the granted page stayed paged out while xenstable retried for
 * about a second; upstream retries forever), EPERM (handle restricted),
 * ENOMEM, or the kernel's errno.
 * Since: 1.0
 */
void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot);

/**
 * xengnttab_map_grant_refs() - map @count grants into one contiguous range.
 * @xgt: the handle.
 * @count: how many (>= 1).
 * @domids: the granting domain of each grant (@count entries).
 * @refs: the grant references (@count entries).
 * @prot: as for xengnttab_map_grant_ref().
 *
 * All or nothing: if any grant cannot be mapped, nothing stays mapped.
 *
 * Returns: the address of the first page (release with xengnttab_unmap(),
 * same @count), or NULL with errno as for xengnttab_map_grant_ref(); also
 * EINVAL for @count 0, a count too big for the address space, or NULL
 * arrays.
 * Since: 1.0
 */
void *xengnttab_map_grant_refs(xengnttab_handle *xgt, uint32_t count, uint32_t *domids,
			       uint32_t *refs, int prot);

/**
 * xengnttab_map_domain_grant_refs() - map @count grants of one domain into
 * one contiguous range.
 * @xgt: the handle.
 * @count: how many (>= 1).
 * @domid: the granting domain.
 * @refs: the grant references (@count entries).
 * @prot: as for xengnttab_map_grant_ref().
 *
 * Returns: as xengnttab_map_grant_refs().
 * Since: 1.0
 */
void *xengnttab_map_domain_grant_refs(xengnttab_handle *xgt, uint32_t count, uint32_t domid,
				      uint32_t *refs, int prot);

/**
 * xengnttab_map_grant_ref_notify() - map one grant, with notification of
 * the peer when the mapping goes away.
 * @xgt: the handle.
 * @domid: the granting domain.
 * @ref: the grant reference.
 * @prot: as for xengnttab_map_grant_ref().
 * @notify_offset: byte offset in the page to set to 0 when the mapping is
 *	torn down, or -1 for none. Needs a writable mapping (EINVAL
 *	otherwise). Must be below 4096 (EINVAL; upstream silently ignores
 *	offsets beyond the page).
 * @notify_port: event channel to notify at that time, or -1 for none. It
 *	must be bound in this domain (e.g. through libxenevtchn).
 *
 * The notification also fires if the process dies, so protocols use a
 * status byte where 0 means "peer gone". It does not protect against a
 * malicious peer. If the notification cannot be set up, nothing stays
 * mapped.
 *
 * Returns: as xengnttab_map_grant_ref().
 * Since: 1.0
 */
void *xengnttab_map_grant_ref_notify(xengnttab_handle *xgt, uint32_t domid, uint32_t ref,
				     int prot, uint32_t notify_offset,
				     evtchn_port_t notify_port);

/**
 * xengnttab_unmap() - release a mapping made by one of the map calls.
 * @xgt: the handle the mapping was made with.
 * @start_address: the address the map call returned.
 * @count: the number of pages it mapped (all of them are released).
 *
 * A registered unmap notification fires. Works after
 * xentoolcore_restrict_all() too.
 *
 * Returns: 0, or -1 with errno EINVAL (NULL handle or address, an address
 * that is not the start of a mapping of this handle, or the wrong
 * @count: nothing is unmapped then), or the errno of munmap(2) or the
 * kernel.
 * Since: 1.0
 */
int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count);

/*
 * One segment of a grant copy: @len bytes from @source to @dest. Each side
 * is a local address (virt) or, if its flag GNTCOPY_source_gref /
 * GNTCOPY_dest_gref is in @flags, a grant (foreign.ref of foreign.domid,
 * from byte foreign.offset). At least one side must be a grant. A grant
 * side must stay within its page (offset + len <= 4096); a local side may
 * cross pages. @status receives the result (GNTST_okay or another GNTST_*
 * code). The layout is ABI (24 bytes, passed to the kernel as is).
 */
typedef struct xengnttab_grant_copy_segment xengnttab_grant_copy_segment_t;
struct xengnttab_grant_copy_segment {
	union xengnttab_copy_ptr {
		void *virt;
		struct {
			uint32_t ref;
			uint16_t offset;
			uint16_t domid;
		} foreign;
	} source, dest;
	uint16_t len;
	uint16_t flags;
	int16_t status;
};

/**
 * xengnttab_grant_copy() - copy data to and from granted pages.
 * @xgt: the handle.
 * @count: number of segments; 0 is allowed (and @segs may then be NULL):
 *	it succeeds exactly when the kernel supports grant copy, which is
 *	how QEMU probes for it.
 * @segs: the segments; each one's status is written.
 *
 * The call succeeds as a whole even if some segments fail: check every
 * @segs[i].status.
 *
 * Returns: 0, or -1 with errno: EINVAL (NULL handle, NULL @segs with
 * @count > 0, a segment with no grant side, unknown flags, or a grant side
 * crossing its page; the log names the segment), EFAULT (a local address
 * is not accessible), EOPNOTSUPP (the kernel has no grant copy: it
 * answered ENOTTY), EPERM (handle restricted), or the kernel's errno.
 * Since: 1.1 (Xen 4.8)
 */
int xengnttab_grant_copy(xengnttab_handle *xgt, uint32_t count,
			 xengnttab_grant_copy_segment_t *segs);

/*
 * DMA-BUF (Linux with CONFIG_XEN_GNTDEV_DMABUF, on a non-PV kernel): share
 * grants with other devices as dma-buf fds. On a kernel without it every
 * call fails with EOPNOTSUPP (the kernel answers ENOTTY; upstream passes
 * that on).
 */

/* Flags of xengnttab_dmabuf_exp_from_refs(); same values as Linux's. */
#ifndef GNTDEV_DMA_FLAG_WC
#define GNTDEV_DMA_FLAG_WC (1 << 0)	  /* write-combined buffer */
#endif
#ifndef GNTDEV_DMA_FLAG_COHERENT
#define GNTDEV_DMA_FLAG_COHERENT (1 << 1) /* coherent buffer */
#endif

/**
 * xengnttab_dmabuf_exp_from_refs() - map grants and export them as a
 * dma-buf.
 * @xgt: the handle.
 * @domid: the granting domain.
 * @flags: 0 or GNTDEV_DMA_FLAG_* (EINVAL for others).
 * @count: number of grants (>= 1).
 * @refs: the grant references.
 * @fd: receives the dma-buf fd (close-on-exec).
 *
 * Returns: 0, or -1 with errno: EINVAL (bad arguments; or a PV kernel,
 * which cannot export), EOPNOTSUPP, EPERM (handle restricted), ENOMEM, or
 * the kernel's errno.
 * Since: 1.2 (Xen 4.12)
 */
int xengnttab_dmabuf_exp_from_refs(xengnttab_handle *xgt, uint32_t domid, uint32_t flags,
				   uint32_t count, const uint32_t *refs, uint32_t *fd);

/**
 * xengnttab_dmabuf_exp_wait_released() - wait until an exported dma-buf
 * has been released by everyone.
 * @xgt: the handle that exported it.
 * @fd: the dma-buf fd the export returned (the caller must have closed
 *	its own copy, or the wait can only time out).
 * @wait_to_ms: how long to wait, in milliseconds.
 *
 * Returns: 0 (released; also if it was released before, which the kernel
 * reports as ENOENT: errno is then 0), or -1 with errno: ETIMEDOUT (still
 * in use after @wait_to_ms), EOPNOTSUPP, EPERM, EINVAL.
 * Since: 1.2 (Xen 4.12)
 */
int xengnttab_dmabuf_exp_wait_released(xengnttab_handle *xgt, uint32_t fd,
				       uint32_t wait_to_ms);

/**
 * xengnttab_dmabuf_imp_to_refs() - import a dma-buf and grant its pages to
 * a domain.
 * @xgt: the handle.
 * @domid: the domain to grant to.
 * @fd: the dma-buf.
 * @count: its size in pages (>= 1).
 * @refs: receives @count grant references.
 *
 * Returns: 0, or -1 with errno: EINVAL (bad arguments, or @count does not
 * match the buffer), EOPNOTSUPP, EPERM (handle restricted), ENOMEM, or
 * the kernel's errno.
 * Since: 1.2 (Xen 4.12)
 */
int xengnttab_dmabuf_imp_to_refs(xengnttab_handle *xgt, uint32_t domid, uint32_t fd,
				 uint32_t count, uint32_t *refs);

/**
 * xengnttab_dmabuf_imp_release() - end the grants of an imported dma-buf.
 * @xgt: the handle that imported it.
 * @fd: the dma-buf fd given to xengnttab_dmabuf_imp_to_refs().
 *
 * Returns: 0, or -1 with errno: ENOENT (not imported here), EOPNOTSUPP,
 * EPERM, EINVAL.
 * Since: 1.2 (Xen 4.12)
 */
int xengnttab_dmabuf_imp_release(xengnttab_handle *xgt, uint32_t fd);

/* ====================================================================== */
/* gntshr: granting our own pages to other domains                        */

/**
 * xengntshr_open() - open the grant-allocation device.
 * @logger: as for xengnttab_open().
 * @open_flags: pass 0; other values are ignored, as upstream does.
 *
 * Returns: a new handle, or NULL with errno: ENOENT (no gntalloc device),
 * EACCES, ENOMEM, or another errno of open(2).
 * Since: 1.0
 */
xengntshr_handle *xengntshr_open(struct xentoollog_logger *logger, unsigned int open_flags);

/**
 * xengntshr_close() - close a gntshr (or gnttab) handle.
 * @xgs: the handle, or NULL (nothing to do).
 *
 * Shared pages stay shared (and mapped) until unshared or until the
 * process exits.
 *
 * Returns: 0, or -1 with errno from close(2) (the handle is freed anyway).
 * Since: 1.0
 */
int xengntshr_close(xengntshr_handle *xgs);

/**
 * xengntshr_fd() - the fd of the gntalloc device behind the handle.
 * @xgs: the handle.
 *
 * Returns: the fd, or -1 with errno EINVAL for a NULL or gnttab handle.
 * Since: 1.2 (Xen 4.12)
 */
int xengntshr_fd(xengntshr_handle *xgs);

/**
 * xengntshr_share_pages() - allocate pages and grant them to a domain.
 * @xgs: the handle.
 * @domid: the domain that may map them.
 * @count: number of pages (>= 1).
 * @refs: receives @count grant references (left untouched on failure).
 * @writable: non-zero: the peer may map them writable.
 *
 * The pages are zeroed, contiguous in our address space and always
 * writable here. Only memory allocated by this call can be shared.
 *
 * Returns: the address of the pages (release with xengntshr_unshare(),
 * same @count), or NULL with errno (nothing is then allocated): EINVAL
 * (bad arguments), ENOSPC (the system-wide limit on shared pages is
 * reached), EPERM (handle restricted), ENOMEM, or the kernel's errno.
 * Since: 1.0
 */
void *xengntshr_share_pages(xengntshr_handle *xgs, uint32_t domid, int count, uint32_t *refs,
			    int writable);

/**
 * xengntshr_share_page_notify() - share one page, with notification of the
 * peer when we unshare it (or die).
 * @xgs: the handle.
 * @domid: the domain that may map it.
 * @ref: receives the grant reference (left untouched on failure; upstream
 *	writes it even then).
 * @writable: as for xengntshr_share_pages().
 * @notify_offset: byte offset (below 4096) to clear when the page is
 *	unshared, or -1 for none.
 * @notify_port: event channel to notify then, or -1 for none.
 *
 * Returns: as xengntshr_share_pages().
 * Since: 1.0
 */
void *xengntshr_share_page_notify(xengntshr_handle *xgs, uint32_t domid, uint32_t *ref,
				  int writable, uint32_t notify_offset,
				  evtchn_port_t notify_port);

/**
 * xengntshr_unshare() - unmap pages shared by this handle.
 * @xgs: the handle they were shared with.
 * @start_address: the address share_pages/share_page_notify returned.
 * @count: the number of pages shared then.
 *
 * The grants end once the peer has unmapped them too. A registered
 * notification fires. Works after xentoolcore_restrict_all() too.
 *
 * Returns: 0, or -1 with errno: EINVAL (NULL handle or address, not the
 * start of a shared range of this handle, or the wrong @count: nothing is
 * unmapped then; upstream just calls munmap()), or the errno of munmap(2).
 * Since: 1.0
 */
int xengntshr_unshare(xengntshr_handle *xgs, void *start_address, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif /* XENGNTTAB_H */
