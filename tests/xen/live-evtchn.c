/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-evtchn - libxenevtchn (upstream API) against a real Xen: a loopback
 * channel inside dom0 (bind_unbound_port + bind_interdomain to dom0
 * itself), notify, pending, unmask, unbind, restrict and fdopen.
 */
/* live-build: -lxenevtchn */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include <xenevtchn.h>

#include "live.h"

/* wait for port <want> through poll + pending, unmasking what comes */
static int wait_port(xenevtchn_handle *xe, int want)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(xe), .events = POLLIN };

	for (int i = 0; i < 6; i++) {
		int p;

		if (poll(&pfd, 1, 2000) != 1)
			return 0;
		p = xenevtchn_pending(xe);
		live_note("pending -> %d", p);
		if (p < 0)
			return 0;
		if (xenevtchn_unmask(xe, (evtchn_port_t)p) != 0)
			return 0;
		if (p == want)
			return 1;
	}
	return 0;
}

int main(void)
{
	xenevtchn_handle *xe, *xf;
	int p1, p2, r, fd;

	live_prog = "live-evtchn";
	xe = xenevtchn_open(NULL, 0);
	if (!live_check(xe != NULL, "xenevtchn_open", "%s", xe ? "ok" : strerror(errno)))
		return live_exit();
	fd = xenevtchn_fd(xe);
	live_check(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "xenevtchn_fd",
		   "fd %d, close-on-exec", fd);

	p1 = xenevtchn_bind_unbound_port(xe, 0);
	live_check(p1 > 0, "xenevtchn_bind_unbound_port(0)", "port %d", p1);
	p2 = xenevtchn_bind_interdomain(xe, 0, (evtchn_port_t)p1);
	live_check(p2 > 0 && p2 != p1, "xenevtchn_bind_interdomain(0, that port)", "port %d", p2);
	if (p1 > 0 && p2 > 0) {
		r = xenevtchn_notify(xe, (evtchn_port_t)p2);
		live_check(r == 0, "xenevtchn_notify", "port %d rc=%d", p2, r);
		live_check(wait_port(xe, p1), "notify is pending at the other end",
			   "port %d (the new port %d may come first)", p1, p2);
		r = xenevtchn_notify(xe, (evtchn_port_t)p1);
		live_check(r == 0 && wait_port(xe, p2), "notify in the other direction",
			   "port %d -> %d", p1, p2);
		r = xenevtchn_notify(xe, (evtchn_port_t)p2);
		live_check(r == 0 && wait_port(xe, p1), "second notify after unmask",
			   "port %d -> %d", p2, p1);
		r = xenevtchn_unbind(xe, (evtchn_port_t)p2);
		live_check(r == 0, "xenevtchn_unbind", "port %d rc=%d", p2, r);
		errno = 0;
		r = xenevtchn_unbind(xe, (evtchn_port_t)p2);
		live_check(r == -1 && errno == ENOTCONN, "xenevtchn_unbind of an unbound port",
			   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
		errno = 0;
		r = xenevtchn_notify(xe, (evtchn_port_t)p2);
		live_check(r == -1 && errno == ENOTCONN, "xenevtchn_notify of an unbound port",
			   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
		r = xenevtchn_unbind(xe, (evtchn_port_t)p1);
		live_check(r == 0, "xenevtchn_unbind", "port %d rc=%d", p1, r);
	}
	errno = 0;
	r = xenevtchn_bind_interdomain(xe, 0, 0x7ffff);
	live_check(r == -1 && errno == EINVAL, "xenevtchn_bind_interdomain to a bad port",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xenevtchn_restrict(xe, 0);
	live_check(r == -1 && errno == EINVAL, "xenevtchn_restrict(0)", "rc=%d errno=%d (%s)", r,
		   errno, strerror(errno));
	r = xenevtchn_restrict(xe, 7);
	live_check(r == 0, "xenevtchn_restrict(7)", "rc=%d", r);
	errno = 0;
	r = xenevtchn_restrict(xe, 7);
	live_check(r == -1 && errno == EACCES, "xenevtchn_restrict(7) again",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, 0);
	live_check(r == -1 && errno == EACCES, "bind_unbound_port on a restricted handle",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	r = xenevtchn_close(xe);
	live_check(r == 0, "xenevtchn_close", "rc=%d", r);

	/* fdopen wraps an fd opened by the caller; the handle then owns it */
	fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	errno = 0;
	xf = xenevtchn_fdopen(NULL, fd, 1);
	live_check(xf == NULL && errno == EINVAL, "xenevtchn_fdopen with flags", "errno=%d (%s)",
		   errno, strerror(errno));
	xf = xenevtchn_fdopen(NULL, fd, 0);
	if (live_check(xf != NULL && xenevtchn_fd(xf) == fd, "xenevtchn_fdopen", "fd %d", fd)) {
		p1 = xenevtchn_bind_unbound_port(xf, 0);
		p2 = p1 > 0 ? xenevtchn_bind_interdomain(xf, 0, (evtchn_port_t)p1) : -1;
		r = p2 > 0 ? xenevtchn_notify(xf, (evtchn_port_t)p2) : -1;
		live_check(r == 0 && wait_port(xf, p1), "loopback through an fdopen()ed handle",
			   "ports %d %d", p1, p2);
		r = xenevtchn_close(xf);
		live_check(r == 0 && fcntl(fd, F_GETFD) == -1 && errno == EBADF,
			   "xenevtchn_close closes the fdopen()ed fd", "rc=%d", r);
	}
	live_check(xenevtchn_close(NULL) == 0, "xenevtchn_close(NULL)", "0");
	return live_exit();
}
