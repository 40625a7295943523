/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xenevtchn.h - event channels for Xen tools and backends
 * (libxenevtchn.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface. An event
 * channel is a one-bit doorbell between two domains (or between Xen and a
 * domain, for virtual IRQs). A handle wraps one open of the event-channel
 * device (/dev/xen/evtchn on Linux); every port bound through a handle is
 * closed again when the handle is closed.
 *
 * The usual cycle, e.g. for a backend talking to a guest frontend:
 *
 *	xce = xenevtchn_open(NULL, 0);
 *	local = xenevtchn_bind_interdomain(xce, domid, remote_port);
 *	loop:
 *		poll(xenevtchn_fd(xce), POLLIN);
 *		port = xenevtchn_pending(xce);    <- port is now masked
 *		...handle the work signalled on port...
 *		xenevtchn_unmask(xce, port);      <- deliver further events
 *		xenevtchn_notify(xce, local);     <- kick the other end
 *
 * Error convention: functions return -1 (or NULL) and set errno.
 *
 * Logging: upstream's header says "none of these do any logging". In
 * xenstable every failure is reported through the handle's logger at
 * XTL_ERROR, naming the operation, the device and errno, except the
 * normal "nothing pending" (EAGAIN) and "interrupted" (EINTR) outcomes of
 * xenevtchn_pending(). A NULL logger at open means a stderr logger at
 * XTL_PROGRESS, as in every Xen library.
 *
 * Thread safety: the calls are single system calls on the handle's fd, so
 * different threads may bind, notify and unbind on one handle; but only
 * one thread (or process) may wait for and read pending events of a
 * handle at a time.
 *
 * Fork: a child process must not use a handle it inherited (not even
 * poll() its fd); xenevtchn_close() is the only call allowed there.
 *
 * Exec: the device is opened close-on-exec unless XENEVTCHN_NO_CLOEXEC is
 * given; a daemon that re-executes itself keeps its ports that way and
 * gets a handle back with xenevtchn_fdopen().
 *
 * Restriction: handles are registered with libxentoolcore;
 * xentoolcore_restrict_all(domid) restricts them like xenevtchn_restrict().
 *
 * 32-bit programs: the Linux Xen drivers have no 32-bit compat ioctls, so
 * in a 32-bit process on a 64-bit kernel every call that needs an ioctl
 * fails with ENOTTY (also where a kernel without the feature would give
 * EOPNOTSUPP). The handle warns once at open, and each failure's log line
 * names the device, the ioctl and that reason. Use a 64-bit build (a
 * 32-bit build works on a 32-bit kernel).
 */
#ifndef XENEVTCHN_H
#define XENEVTCHN_H

#include <stdint.h>

#include <xen/event_channel.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A port number, or -1 for an error. Event-channel ports always fit in 31
 * bits, so the type can carry both.
 */
typedef int xenevtchn_port_or_error_t;

/* An open event-channel device (opaque). */
typedef struct xenevtchn_handle xenevtchn_handle;

struct xentoollog_logger;

/*
 * Flag for xenevtchn_open(): do not open the device close-on-exec, so
 * that the fd (and every port bound through it) survives execve(). Since
 * 1.2 (Xen 4.15).
 */
#define XENEVTCHN_NO_CLOEXEC (1 << 0)

/**
 * xenevtchn_open() - open the event-channel device.
 * @logger: where errors go; NULL: a stderr logger at XTL_PROGRESS, owned
 *	by the handle.
 * @open_flags: 0 or XENEVTCHN_NO_CLOEXEC.
 *
 * Returns: a new handle, or NULL with errno: EINVAL (unknown flag), ENOENT
 * (no event-channel device: not running on Xen, or the driver is not
 * loaded), EACCES (no permission on the device), ENOMEM, or another errno
 * from open(2).
 * Since: 1.0 (@open_flags honoured since 1.2; before, it was ignored).
 */
xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags);

/**
 * xenevtchn_fdopen() - make a handle from an already open event-channel fd.
 * @logger: as for xenevtchn_open().
 * @fd: an fd of the event-channel device, typically inherited across exec
 *	from an image that opened it with XENEVTCHN_NO_CLOEXEC.
 * @open_flags: must be 0 (XENEVTCHN_NO_CLOEXEC included: the fd's
 *	close-on-exec flag is left as it is).
 *
 * On success the handle owns @fd: xenevtchn_close() closes it. On failure
 * @fd is left open and still belongs to the caller. The fd is not
 * checked to be an event-channel fd; using anything else makes later
 * calls fail.
 *
 * Returns: a new handle, or NULL with errno: EINVAL (non-zero flags, or
 * @fd < 0), EBADF (@fd is not open; xenstable checks this, upstream does
 * not), ENOMEM.
 * Since: 1.2 (Xen 4.15).
 */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd,
				   unsigned int open_flags);

/**
 * xenevtchn_close() - close a handle and every port bound through it.
 * @xce: the handle, or NULL (nothing to do).
 *
 * The fd is closed even if it is shared (with a fork child, or through
 * dup): the ports are unbound when the last reference to the open device
 * goes away.
 *
 * Returns: 0, or -1 with errno from close(2) (the handle is freed anyway).
 * Since: 1.0
 */
int xenevtchn_close(xenevtchn_handle *xce);

/**
 * xenevtchn_fd() - the fd to wait on for pending events.
 * @xce: the handle.
 *
 * The fd is readable (POLLIN) while events are pending, and signals
 * POLLERR if the kernel's pending ring ever overflowed (see
 * xenevtchn_pending()). Do not read or write it directly, and do not
 * close it.
 *
 * Setting O_NONBLOCK on it makes xenevtchn_pending() fail with EAGAIN
 * instead of waiting. (Upstream warns that some old kernels may still
 * block; poll before every xenevtchn_pending() to be safe.)
 *
 * Returns: the fd, or -1 with errno EINVAL if @xce is NULL.
 * Since: 1.0
 */
int xenevtchn_fd(xenevtchn_handle *xce);

/**
 * xenevtchn_notify() - signal the other end of a port.
 * @xce: the handle.
 * @port: a local port bound through @xce.
 *
 * Returns: 0, or -1 with errno: ENOTCONN (@port is not bound through this
 * handle), EINVAL (NULL handle, or @port does not fit in 31 bits).
 * Since: 1.0
 */
int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port);

/**
 * xenevtchn_bind_unbound_port() - allocate a new local port that domain
 * @domid may connect to.
 * @xce: the handle.
 * @domid: the remote domain (DOMID_SELF allowed).
 *
 * The new port is bound through @xce; pass its number to the remote
 * domain (e.g. through xenstore), which connects with its own
 * bind_interdomain.
 *
 * Returns: the new local port, or -1 with errno: EACCES (the handle is
 * restricted), EINVAL (NULL handle, @domid above 0xFFFF), ESRCH (no such
 * domain), ENOSPC (no free port), or another errno of the kernel or Xen.
 * Since: 1.0
 */
xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid);

/**
 * xenevtchn_bind_interdomain() - connect a new local port to an unbound
 * port of another domain.
 * @xce: the handle.
 * @domid: the remote domain (DOMID_SELF allowed).
 * @remote_port: the remote domain's unbound port offered to us.
 *
 * As Xen does, the new local port starts pending, so the first
 * xenevtchn_pending() after the bind returns it.
 *
 * Returns: the new local port, or -1 with errno: EACCES (the handle is
 * restricted to another domain), EINVAL (NULL handle, @domid above
 * 0xFFFF, or the remote port is not unbound for us), ESRCH (no such
 * domain), or another errno of the kernel or Xen.
 * Since: 1.0
 */
xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port);

/**
 * xenevtchn_bind_virq() - bind a virtual IRQ (VIRQ_*) on vCPU 0.
 * @xce: the handle.
 * @virq: the virtual IRQ number (VIRQ_DOM_EXC, VIRQ_CONSOLE, ...).
 *
 * Returns: the new local port, or -1 with errno: EACCES (the handle is
 * restricted), EINVAL (NULL handle, or no such VIRQ), EEXIST (the VIRQ is
 * already bound), or another errno of the kernel or Xen.
 * Since: 1.0
 */
xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq);

/**
 * xenevtchn_unbind() - close a port bound through this handle.
 * @xce: the handle.
 * @port: the local port.
 *
 * Returns: 0, or -1 with errno: ENOTCONN (@port is not bound through this
 * handle), EINVAL (NULL handle, or @port out of range).
 * Since: 1.0
 */
int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port);

/**
 * xenevtchn_pending() - the next port that fired.
 * @xce: the handle.
 *
 * Waits for an event unless the fd is non-blocking. The returned port is
 * masked: it delivers no further events until xenevtchn_unmask(); an
 * event that arrives meanwhile is delivered after the unmask.
 *
 * Returns: the port, or -1 with errno: EAGAIN (non-blocking fd and
 * nothing pending; not logged), EINTR (a signal interrupted the wait; not
 * logged), EFBIG (the kernel's ring of pending ports overflowed and
 * events were lost: every later call fails the same way; close the handle
 * and rebind), EIO (the device returned a partial port or end of file,
 * e.g. after xentoolcore_restrict_all() neutered a handle), EINVAL (NULL
 * handle).
 * Since: 1.0
 */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce);

/**
 * xenevtchn_unmask() - re-enable a port returned by xenevtchn_pending().
 * @xce: the handle.
 * @port: the port.
 *
 * Ports that are not bound through this handle, or not masked, are
 * ignored (as the kernel does): this is not an error.
 *
 * Returns: 0, or -1 with errno: EINVAL (NULL handle, or @port does not
 * fit in 31 bits), EIO (the device took less than a whole port), or the
 * errno of write(2).
 * Since: 1.0
 */
int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port);

/**
 * xenevtchn_restrict() - limit the handle to one domain, irreversibly.
 * @xce: the handle.
 * @domid: the only domain the handle may bind to from now on.
 *
 * Afterwards bind_virq and bind_unbound_port fail with EACCES and
 * bind_interdomain works only towards @domid. Ports bound before keep
 * working. This is the kernel's rule and xenstable keeps it: a handle can
 * be restricted only once, and never to domain 0.
 *
 * xentoolcore_restrict_all() uses the same operation, but asking it again
 * for the domain a handle is already restricted to succeeds; asking for
 * another domain, or for domain 0, neuters the handle (its fd is replaced
 * by /dev/null) and fails.
 *
 * Returns: 0, or -1 with errno: EACCES (already restricted, even to the
 * same domain), EINVAL (NULL handle, @domid 0 or >= DOMID_FIRST_RESERVED),
 * EOPNOTSUPP (the kernel cannot restrict event channels; it answers
 * ENOSYS, which xenstable reports as EOPNOTSUPP). Every failure is logged.
 * Since: 1.1 (Xen 4.10)
 */
int xenevtchn_restrict(xenevtchn_handle *xce, domid_t domid);

/* ---------------------------------------------------------------------- */
/* xenstable extension (version node XENSTABLE_1.0)                        */

/**
 * xenevtchn_bind_static() - take over a static event channel.
 * @xce: the handle.
 * @port: a local port that Xen set up at boot (static event channels of
 *	dom0less systems, configured in the device tree).
 *
 * The port is bound through @xce like a port from bind_interdomain: it
 * can be notified, fires into xenevtchn_pending() and is unbound by
 * xenevtchn_unbind() or close, but the channel itself stays allocated.
 *
 * Returns: @port, or -1 with errno: EOPNOTSUPP (the kernel has no static
 * event-channel support: Linux before 6.5, or a non-Linux OS), EISCONN
 * (already bound through this handle), EINVAL (NULL handle, @port does
 * not fit in 31 bits, or @port is not a static channel), or another errno
 * of the kernel or Xen.
 * Since: XENSTABLE_1.0
 */
xenevtchn_port_or_error_t xenevtchn_bind_static(xenevtchn_handle *xce, evtchn_port_t port);

#ifdef __cplusplus
}
#endif

#endif /* XENEVTCHN_H */
