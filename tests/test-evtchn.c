/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxenevtchn on the simulated machine (xensim): open flags and fdopen
 * across exec, interdomain channels with a simulated guest and between two
 * processes, notify/pending/unmask round trips, VIRQs, blocking,
 * non-blocking and interrupted reads, poll readiness, restriction (by
 * hand and through libxentoolcore), static channels (xenstable
 * extension), argument checks with their log lines, close-on-exec and fd
 * leaks.
 *
 * The same program runs against Debian's upstream library (put it first
 * in LD_LIBRARY_PATH): then the checks of documented xenstable
 * improvements are skipped (the extension symbol tells the two apart).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xenevtchn.h"
#include "xensim.h"
#include "xentoolcore.h"
#include "xentoollog.h"
#include "evtchn-gnttab-util.h"
#include "xs-emulator.h"

#define TWO_GUESTS "domain 1 type=hvm vcpus=2 memory=16M\ndomain 2 type=pv memory=16M\n"
#define WAIT_MS 10000

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

typedef xenevtchn_port_or_error_t bind_static_fn(xenevtchn_handle *, evtchn_port_t);

/* The extension, looked up at run time so the program also runs on upstream. */
static bind_static_fn *bind_static(void)
{
	return (bind_static_fn *)dlsym(RTLD_DEFAULT, "xenevtchn_bind_static");
}

/* true with xenstable, false with upstream's library. */
static bool xenstable(void)
{
	return bind_static() != NULL;
}

static void reset(const char *scenario)
{
	int rc = xensim_reset(scenario);

	if (rc < 0 && errno == ENXIO) {
		fprintf(stderr, "test-evtchn: no simulated machine (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(rc == 0, "xensim_reset: %s", strerror(errno));
}

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc;

	do
		rc = poll(&p, 1, timeout_ms);
	while (rc < 0 && errno == EINTR);
	return rc > 0 && (p.revents & POLLIN) ? 1 : rc;
}

static void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	ck_assert_int_ge(fl, 0);
	ck_assert_int_eq(fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK), 0);
}

/*
 * After a request of our own queued an event (the unmask of a port with a
 * kept event, the bind of a port that starts pending) the fd must become
 * readable. (Early xensim lost this wake-up; the shim keeps it now.)
 */
static void expect_readable_after_own_request(xenevtchn_handle *xce, int lport)
{
	ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
}

/* A guest port offered to dom0 and our port bound to it, drained. */
static int connect_guest(xenevtchn_handle *xce, uint16_t dom, uint32_t *gport)
{
	int lport;

	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(dom, 0, gport), 0);
	lport = xenevtchn_bind_interdomain(xce, dom, *gport);
	ck_assert_int_gt(lport, 0);
	/* Xen marks a freshly bound interdomain port pending (blocking read;
	 * poll readiness of this case is checked in poll_readiness). */
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	xensim_guest_evtchn_pending(dom, *gport, 1); /* clear the guest side */
	return lport;
}

/* ---------------------------------------------------------------------- */
/* Open, close, fdopen                                                     */

START_TEST(open_close)
{
	int base = fd_count();
	xenevtchn_handle *xce;
	int fd;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	ck_assert_int_ge(fd, 0);
	ck_assert(fd_cloexec(fd));
	ck_assert_int_eq(fd_count(), base + 1);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	ck_assert_int_eq(fd_count(), base);
	ck_assert_int_eq(xenevtchn_close(NULL), 0);
}
END_TEST

START_TEST(open_flags)
{
	int base = fd_count();
	struct logcap cap;
	xenevtchn_handle *xce;
	xentoollog_logger *lg;

	reset(NULL);
	lg = cap_open(&cap);
	xce = xenevtchn_open(lg, XENEVTCHN_NO_CLOEXEC);
	ck_assert_ptr_nonnull(xce);
	ck_assert(!fd_cloexec(xenevtchn_fd(xce)));
	ck_assert_int_eq(xenevtchn_close(xce), 0);

	errno = 0;
	ck_assert_ptr_null(xenevtchn_open(lg, 1u << 1));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(xenevtchn_open(lg, ~0u));
	ck_assert_int_eq(errno, EINVAL);
	if (xenstable())
		ck_assert_msg(cap_has(&cap, "xenevtchn_open: unknown flags"), "log: %s",
			      cap_text(&cap));
	cap_close(&cap);
	ck_assert_int_eq(fd_count(), base);
}
END_TEST

START_TEST(open_without_device)
{
	struct logcap cap;
	xentoollog_logger *lg;

	reset("kernel linux-6.12-evtchn\n");
	lg = cap_open(&cap);
	errno = 0;
	ck_assert_ptr_null(xenevtchn_open(lg, 0));
	ck_assert_int_eq(errno, ENOENT);
	if (xenstable())
		ck_assert_msg(cap_has(&cap, "open on /dev/xen/evtchn: No such file"), "log: %s",
			      cap_text(&cap));
	cap_close(&cap);
}
END_TEST

START_TEST(fdopen_arguments)
{
	int base = fd_count();
	struct logcap cap;
	xentoollog_logger *lg;
	xenevtchn_handle *xce;
	int fd;

	reset(NULL);
	lg = cap_open(&cap);
	xce = xenevtchn_open(lg, 0);
	ck_assert_ptr_nonnull(xce);
	fd = dup(xenevtchn_fd(xce));
	ck_assert_int_ge(fd, 0);

	/* Any flag, NO_CLOEXEC included: EINVAL, and the fd stays the caller's. */
	errno = 0;
	ck_assert_ptr_null(xenevtchn_fdopen(lg, fd, XENEVTCHN_NO_CLOEXEC));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(xenevtchn_fdopen(lg, fd, 4));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_ge(fcntl(fd, F_GETFD), 0);
	if (xenstable()) {
		ck_assert(cap_has(&cap, "xenevtchn_fdopen: flags must be 0"));
		ck_assert_ptr_null(xenevtchn_fdopen(lg, -1, 0));
		ck_assert_int_eq(errno, EINVAL);
		ck_assert(cap_has(&cap, "invalid fd -1"));
		ck_assert_ptr_null(xenevtchn_fdopen(lg, 1000, 0));
		ck_assert_int_eq(errno, EBADF);
	}

	/* Success: the handle owns the fd, and close closes it. */
	{
		xenevtchn_handle *x2 = xenevtchn_fdopen(lg, fd, 0);

		ck_assert_ptr_nonnull(x2);
		ck_assert_int_eq(xenevtchn_fd(x2), fd);
		ck_assert_int_eq(xenevtchn_close(x2), 0);
		errno = 0;
		ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
		ck_assert_int_eq(errno, EBADF);
	}
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
	ck_assert_int_eq(fd_count(), base);
}
END_TEST

static char self_exe[4096];

/*
 * The re-executed test program (see main): take over the inherited fd
 * with xenevtchn_fdopen, notify the guest, and wait for its answer.
 */
static int fdopen_child(int fd, int lport, const char *mode)
{
	xenevtchn_handle *xce;

	alarm(30);
	if (!strcmp(mode, "closed"))
		return fcntl(fd, F_GETFD) < 0 && errno == EBADF ? 0 : 20;
	if (fcntl(fd, F_GETFD) < 0)
		return 21;
	xce = xenevtchn_fdopen(NULL, fd, 0);
	if (!xce)
		return 22;
	if (xenevtchn_fd(xce) != fd)
		return 23;
	if (xenevtchn_notify(xce, (evtchn_port_t)lport) != 0)
		return 24;
	/* Blocking read: the parent makes the guest answer. */
	if (xenevtchn_pending(xce) != lport)
		return 25;
	if (xenevtchn_unmask(xce, (evtchn_port_t)lport) != 0)
		return 26;
	return xenevtchn_close(xce) == 0 ? 0 : 27;
}

static pid_t spawn_fdopen_child(int fd, int lport, const char *mode)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char fdbuf[16], portbuf[16];

		snprintf(fdbuf, sizeof(fdbuf), "%d", fd);
		snprintf(portbuf, sizeof(portbuf), "%d", lport);
		execl(self_exe, self_exe, "--fdopen-child", fdbuf, portbuf, mode, (char *)NULL);
		_exit(99);
	}
	return pid;
}

static int wait_child(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died with status %#x", status);
	return WEXITSTATUS(status);
}


START_TEST(fdopen_after_exec)
{
	xenevtchn_handle *xce;
	uint32_t gport;
	int lport, fd;
	pid_t pid;

	if (skip_under_emulator("fdopen_after_exec", EMU_NO_EXEC))
		return;

	reset(NULL);
	xce = xenevtchn_open(NULL, XENEVTCHN_NO_CLOEXEC);
	ck_assert_ptr_nonnull(xce);
	lport = connect_guest(xce, 1, &gport);
	fd = xenevtchn_fd(xce);

	pid = spawn_fdopen_child(fd, lport, "inherit");
	/* The child owns the device now; drop our reference to it. */
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(wait_child(pid), 0);
}
END_TEST

START_TEST(cloexec_fd_does_not_survive_exec)
{
	xenevtchn_handle *xce;

	if (skip_under_emulator("cloexec_fd_does_not_survive_exec", EMU_NO_EXEC))
		return;
	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	ck_assert_int_eq(wait_child(spawn_fdopen_child(xenevtchn_fd(xce), 1, "closed")), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Argument checks                                                         */

START_TEST(null_handle)
{
	if (!xenstable())
		return; /* upstream crashes on a NULL handle */
	errno = 0;
	ck_assert_int_eq(xenevtchn_fd(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_notify(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_unbound_port(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_interdomain(NULL, 1, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_unbind(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_pending(NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_unmask(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(bind_static()(NULL, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(absurd_arguments)
{
	struct logcap cap;
	xenevtchn_handle *xce;

	if (!xenstable())
		return; /* upstream passes these on to the kernel */
	reset(NULL);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);

	errno = 0;
	ck_assert_int_eq(xenevtchn_notify(xce, 0x80000000u), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(cap_has(&cap, "xenevtchn_notify: port 2147483648 is out of range"));
	errno = 0;
	ck_assert_int_eq(xenevtchn_unbind(xce, 0xffffffffu), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(cap_has(&cap, "xenevtchn_unbind: port"));
	errno = 0;
	ck_assert_int_eq(xenevtchn_unmask(xce, 0x80000001u), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_unbound_port(xce, 0x10001), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(cap_has(&cap, "xenevtchn_bind_unbound_port: domid 65537 is out of range"));
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 0x10001, 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 1, 0x80000000u), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(bind_static()(xce, 0x80000000u), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Nothing reached the device for these: no device errors logged. */
	ck_assert(!cap_has(&cap, "on /dev/xen/evtchn"));

	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Event channels with a simulated guest                                   */

START_TEST(interdomain_with_guest)
{
	int base = fd_count();
	struct logcap cap;
	xenevtchn_handle *xce;
	uint32_t gport;
	int lport, fd, i;

	reset(NULL);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	lport = connect_guest(xce, 1, &gport);

	/* Nothing pending: not readable. */
	ck_assert_int_eq(wait_readable(fd, 0), 0);

	/* dom0 -> guest. */
	ck_assert_int_eq(xenevtchn_notify(xce, lport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);

	/* guest -> dom0, many round trips. */
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
		ck_assert_int_eq(wait_readable(fd, WAIT_MS), 1);
		ck_assert_int_eq(xenevtchn_pending(xce), lport);
		ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
		ck_assert_int_eq(xenevtchn_notify(xce, lport), 0);
		ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);
	}

	/* A masked port keeps an event until it is unmasked. */
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(wait_readable(fd, WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	set_nonblock(fd, true);
	cap_clear(&cap);
	errno = 0;
	ck_assert_int_eq(xenevtchn_pending(xce), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_str_eq(cap_text(&cap), ""); /* EAGAIN is not an error */
	set_nonblock(fd, false);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	ck_assert_int_eq(xenevtchn_pending(xce), lport); /* blocking read */
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	set_nonblock(fd, true);
	errno = 0;
	ck_assert_int_eq(xenevtchn_pending(xce), -1);
	ck_assert_int_eq(errno, EAGAIN);
	set_nonblock(fd, false);

	/* Unmasking a port that is not ours is ignored, as the kernel does. */
	ck_assert_int_eq(xenevtchn_unmask(xce, lport + 100), 0);

	/* Unbind: the port is gone. */
	ck_assert_int_eq(xenevtchn_unbind(xce, lport), 0);
	cap_clear(&cap);
	errno = 0;
	ck_assert_int_eq(xenevtchn_notify(xce, lport), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	ck_assert_msg(!xenstable() || /* upstream does not log it */
			      (cap_has(&cap, "IOCTL_EVTCHN_NOTIFY (port") &&
			       cap_has(&cap, "on /dev/xen/evtchn: Transport endpoint")),
		      "log: %s", cap_text(&cap));
	errno = 0;
	ck_assert_int_eq(xenevtchn_unbind(xce, lport), -1);
	ck_assert_int_eq(errno, ENOTCONN);

	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
	ck_assert_int_eq(fd_count(), base);
}
END_TEST

START_TEST(unbound_port_for_guest)
{
	xenevtchn_handle *xce;
	uint32_t gport;
	int lport, fd;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	lport = xenevtchn_bind_unbound_port(xce, 1);
	ck_assert_int_gt(lport, 0);
	ck_assert_int_eq(xensim_guest_evtchn_bind_interdomain(1, 0, lport, &gport), 0);
	xensim_guest_evtchn_pending(1, gport, 1);

	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(wait_readable(fd, WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	ck_assert_int_eq(xenevtchn_notify(xce, lport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);

	/* The guest closes its end: notifying still works (Xen drops it). */
	ck_assert_int_eq(xensim_guest_evtchn_close(1, gport), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

START_TEST(several_ports)
{
	enum { N = 5 };
	xenevtchn_handle *xce;
	uint32_t gport[N];
	int lport[N], seen[N] = { 0 }, i, j;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	for (i = 0; i < N; i++)
		lport[i] = connect_guest(xce, 1, &gport[i]);
	for (i = 0; i < N; i++)
		for (j = 0; j < i; j++)
			ck_assert_int_ne(lport[i], lport[j]);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(xensim_guest_evtchn_send(1, gport[i]), 0);
	/* Each fires exactly once (they stay masked until unmasked). */
	for (i = 0; i < N; i++) {
		int p;

		ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), WAIT_MS), 1);
		p = xenevtchn_pending(xce);
		for (j = 0; j < N && lport[j] != p; j++)
			;
		ck_assert_msg(j < N, "unexpected port %d", p);
		seen[j]++;
	}
	for (i = 0; i < N; i++)
		ck_assert_int_eq(seen[i], 1);
	ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), 0), 0);
	/* Closing the handle closes every port bound through it. */
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

START_TEST(interdomain_two_processes)
{
	xenevtchn_handle *a;
	int pa, pb, sync[2], status;
	pid_t pid;

	reset(NULL);
	a = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(a);
	/* A loopback channel: dom0 offers a port to itself. */
	pa = xenevtchn_bind_unbound_port(a, 0);
	ck_assert_int_gt(pa, 0);
	ck_assert_int_eq(pipe2(sync, O_CLOEXEC), 0);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Another process, its own handle (the inherited one is not used). */
		xenevtchn_handle *b;
		int p;

		alarm(30);
		b = xenevtchn_open(NULL, 0);
		if (!b)
			_exit(10);
		p = xenevtchn_bind_interdomain(b, 0, (evtchn_port_t)pa);
		if (p <= 0)
			_exit(11);
		if (write(sync[1], &p, sizeof(p)) != sizeof(p))
			_exit(12);
		if (xenevtchn_pending(b) != p) /* pending after the bind */
			_exit(13);
		if (xenevtchn_unmask(b, p) != 0)
			_exit(14);
		if (xenevtchn_pending(b) != p) /* the parent's notify */
			_exit(15);
		if (xenevtchn_unmask(b, p) != 0 || xenevtchn_notify(b, p) != 0)
			_exit(16);
		if (read(sync[0], &p, 1) != 1) /* parent done */
			_exit(17);
		_exit(xenevtchn_close(b) == 0 ? 0 : 18);
	}
	ck_assert_int_eq(read(sync[0], &pb, sizeof(pb)), sizeof(pb));
	ck_assert_int_gt(pb, 0);
	ck_assert_int_eq(xenevtchn_notify(a, pa), 0);
	ck_assert_int_eq(wait_readable(xenevtchn_fd(a), WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(a), pa);
	ck_assert_int_eq(xenevtchn_unmask(a, pa), 0);
	ck_assert_int_eq(write(sync[1], "x", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x",
		      status);
	close(sync[0]);
	close(sync[1]);
	ck_assert_int_eq(xenevtchn_close(a), 0);
}
END_TEST

START_TEST(virq)
{
	xenevtchn_handle *xce, *other;
	int port, i;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	port = xenevtchn_bind_virq(xce, VIRQ_DOM_EXC);
	ck_assert_int_gt(port, 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(xensim_raise_virq(0, VIRQ_DOM_EXC), 0);
		ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), WAIT_MS), 1);
		ck_assert_int_eq(xenevtchn_pending(xce), port);
		ck_assert_int_eq(xenevtchn_unmask(xce, port), 0);
	}
	/* A VIRQ can be bound once. */
	other = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(other);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(other, VIRQ_DOM_EXC), -1);
	ck_assert_int_eq(errno, EEXIST);
	/* After unbinding it, someone else can. */
	ck_assert_int_eq(xenevtchn_unbind(xce, port), 0);
	port = xenevtchn_bind_virq(other, VIRQ_DOM_EXC);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(xensim_raise_virq(0, VIRQ_DOM_EXC), 0);
	ck_assert_int_eq(wait_readable(xenevtchn_fd(other), WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(other), port);
	ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), 0), 0);
	/* No such VIRQ. */
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(xce, 1000), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xenevtchn_close(other), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* A thread blocked in xenevtchn_pending(). */
struct pending_thread {
	pthread_t tid;
	xenevtchn_handle *xce;
	int result, err;
	bool done;
};

static void *pending_main(void *arg)
{
	struct pending_thread *t = arg;

	t->result = xenevtchn_pending(t->xce);
	t->err = errno;
	__atomic_store_n(&t->done, true, __ATOMIC_RELEASE);
	return NULL;
}

START_TEST(blocking_read)
{
	struct pending_thread t = { 0 };
	xenevtchn_handle *xce;
	uint32_t gport;
	int lport;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	lport = connect_guest(xce, 1, &gport);
	t.xce = xce;
	ck_assert_int_eq(pthread_create(&t.tid, NULL, pending_main, &t), 0);
	usleep(50 * 1000); /* most likely blocked by now; correct either way */
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(pthread_join(t.tid, NULL), 0);
	ck_assert_int_eq(t.result, lport);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

static void on_usr1(int sig)
{
	(void)sig;
}

START_TEST(interrupted_read)
{
	struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */
	struct pending_thread t = { 0 };
	struct logcap cap;
	xenevtchn_handle *xce;
	uint32_t gport;
	int i;

	reset(NULL);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	connect_guest(xce, 1, &gport);
	cap_clear(&cap);
	t.xce = xce;
	ck_assert_int_eq(pthread_create(&t.tid, NULL, pending_main, &t), 0);
	/* Signal until the read gives up (a signal before the read is lost). */
	for (i = 0; i < 2000 && !__atomic_load_n(&t.done, __ATOMIC_ACQUIRE); i++) {
		pthread_kill(t.tid, SIGUSR1);
		usleep(5 * 1000);
	}
	ck_assert_int_eq(pthread_join(t.tid, NULL), 0);
	ck_assert_int_eq(t.result, -1);
	ck_assert_int_eq(t.err, EINTR);
	ck_assert_str_eq(cap_text(&cap), ""); /* EINTR is not an error */
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
	signal(SIGUSR1, SIG_DFL);
}
END_TEST

START_TEST(poll_readiness)
{
	struct pollfd p;
	xenevtchn_handle *xce;
	uint32_t gport;
	int lport, fd;

	reset(NULL);
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	lport = connect_guest(xce, 1, &gport);

	p = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	ck_assert_int_eq(poll(&p, 1, 0), 1);
	ck_assert(!(p.revents & POLLIN));
	ck_assert(!(p.revents & POLLERR));

	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ck_assert_int_eq(poll(&p, 1, WAIT_MS), 1);
	ck_assert(p.revents & POLLIN);
	/* Still readable until the port is read. */
	ck_assert_int_eq(wait_readable(fd, 0), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
	ck_assert_int_eq(wait_readable(fd, 0), 0);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	ck_assert_int_eq(wait_readable(fd, 0), 0);

	/* An event kept while the port was masked: readable after the unmask. */
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(wait_readable(fd, WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), lport);
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);
	expect_readable_after_own_request(xce, lport);
	ck_assert_int_eq(xenevtchn_unmask(xce, lport), 0);

	/* A freshly bound interdomain port starts pending: readable. */
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(1, 0, &gport), 0);
	lport = xenevtchn_bind_interdomain(xce, 1, gport);
	ck_assert_int_gt(lport, 0);
	expect_readable_after_own_request(xce, lport);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Restriction                                                             */

START_TEST(restrict_by_hand)
{
	struct logcap cap;
	xenevtchn_handle *xce;
	uint32_t g1, g1b, g2;
	int before, l1;

	reset(TWO_GUESTS);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	before = connect_guest(xce, 2, &g2); /* bound before: keeps working */
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(1, 0, &g1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(2, 0, &g1b), 0);

	ck_assert_int_eq(xenevtchn_restrict(xce, 1), 0);

	/* Only interdomain binds to domain 1 are allowed now. */
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 2, g1b), -1);
	ck_assert_int_eq(errno, EACCES);
	if (xenstable())
		ck_assert_msg(cap_has(&cap, "the handle is restricted to domain 1"), "log: %s",
			      cap_text(&cap));
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_unbound_port(xce, 1), -1);
	ck_assert_int_eq(errno, EACCES);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(xce, VIRQ_DOM_EXC), -1);
	ck_assert_int_eq(errno, EACCES);
	l1 = xenevtchn_bind_interdomain(xce, 1, g1);
	ck_assert_int_gt(l1, 0);
	ck_assert_int_eq(xenevtchn_notify(xce, before), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(2, g2, WAIT_MS), 0);

	/* Once only, even to the same domain (the kernel's rule). */
	cap_clear(&cap);
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(xce, 1), -1);
	ck_assert_int_eq(errno, EACCES);
	if (xenstable())
		ck_assert_msg(cap_has(&cap, "already restricted"), "log: %s", cap_text(&cap));
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(xce, 2), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(xenevtchn_close(xce), 0);

	/* Never to domain 0 or a reserved domain. */
	xce = xenevtchn_open((xentoollog_logger *)cap.lg, 0);
	ck_assert_ptr_nonnull(xce);
	cap_clear(&cap);
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(xce, 0), -1);
	ck_assert_int_eq(errno, EINVAL);
	if (xenstable())
		ck_assert_msg(cap_has(&cap, "cannot restrict /dev/xen/evtchn to domain 0"),
			      "log: %s", cap_text(&cap));
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(xce, DOMID_FIRST_RESERVED), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Those failures did not use up the one restriction. */
	ck_assert_int_eq(xenevtchn_restrict(xce, 2), 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(restrict_unsupported_kernel)
{
	struct logcap cap;
	xenevtchn_handle *xce;
	int port;

	reset("kernel linux-6.12-evtchn-restrict\n");
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	errno = 0;
	ck_assert_int_eq(xenevtchn_restrict(xce, 1), -1);
	if (!xenstable()) {
		ck_assert_int_eq(errno, ENOSYS); /* upstream passes ENOSYS on */
	} else {
		ck_assert_int_eq(errno, EOPNOTSUPP);
		ck_assert_msg(cap_has(&cap, "IOCTL_EVTCHN_RESTRICT_DOMID on /dev/xen/evtchn: "
					    "the kernel does not implement it"),
			      "log: %s", cap_text(&cap));
	}
	/* The handle is not restricted. */
	port = xenevtchn_bind_virq(xce, VIRQ_DOM_EXC);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(restrict_all)
{
	struct logcap cap;
	xenevtchn_handle *xce;
	uint32_t g1, g2;
	int fd;

	reset(TWO_GUESTS);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(1, 0, &g1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(2, 0, &g2), 0);

	ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(xce, VIRQ_DOM_EXC), -1);
	ck_assert_int_eq(errno, EACCES);
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 2, g2), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_gt(xenevtchn_bind_interdomain(xce, 1, g1), 0);

	if (xenstable()) {
		/* Again for the same domain: fine (upstream: EACCES). */
		ck_assert_int_eq(xentoolcore_restrict_all(1), 0);
		ck_assert(!fd_is_dev_null(fd));
		/* Another domain: fails, and the handle is neutered. */
		errno = 0;
		ck_assert_int_eq(xentoolcore_restrict_all(2), -1);
		ck_assert_int_eq(errno, EACCES);
		ck_assert(fd_is_dev_null(fd));
		ck_assert(fd_cloexec(fd));
		cap_clear(&cap);
		errno = 0;
		ck_assert_int_eq(xenevtchn_bind_interdomain(xce, 1, g1), -1);
		ck_assert_int_eq(errno, EPERM);
		ck_assert(cap_has(&cap, "neutered"));
		ck_assert_int_eq(xenevtchn_fd(xce), fd);
	}
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(restrict_all_dom0_neuters)
{
	xenevtchn_handle *xce;
	int fd;

	reset(NULL);
	if (!xenstable())
		return; /* upstream fails but leaves the handle working */
	xce = xenevtchn_open(NULL, 0);
	ck_assert_ptr_nonnull(xce);
	fd = xenevtchn_fd(xce);
	errno = 0;
	ck_assert_int_eq(xentoolcore_restrict_all(0), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert(fd_is_dev_null(fd));
	errno = 0;
	ck_assert_int_eq(xenevtchn_bind_virq(xce, VIRQ_DOM_EXC), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Static event channels (xenstable extension)                             */

START_TEST(bind_static_channel)
{
	struct logcap cap;
	xenevtchn_handle *xce;
	const uint32_t sport = 40;
	uint32_t gport;
	int port;

	if (!xenstable())
		return;
	reset(NULL);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(1, 0, &gport), 0);
	ck_assert_int_eq(xensim_static_evtchn(sport, 1, gport), 0);
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	port = bind_static()(xce, sport);
	ck_assert_int_eq(port, (int)sport);
	ck_assert_int_eq(xenevtchn_notify(xce, sport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(1, gport, WAIT_MS), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(1, gport), 0);
	ck_assert_int_eq(wait_readable(xenevtchn_fd(xce), WAIT_MS), 1);
	ck_assert_int_eq(xenevtchn_pending(xce), (int)sport);
	ck_assert_int_eq(xenevtchn_unmask(xce, sport), 0);
	/* Bound already. */
	errno = 0;
	ck_assert_int_eq(bind_static()(xce, sport), -1);
	ck_assert_int_eq(errno, EISCONN);
	ck_assert(cap_has(&cap, "IOCTL_EVTCHN_BIND_STATIC (port 40) on /dev/xen/evtchn"));
	/* Unbinding leaves the channel allocated: it can be bound again. */
	ck_assert_int_eq(xenevtchn_unbind(xce, sport), 0);
	ck_assert_int_eq(bind_static()(xce, sport), (int)sport);
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

START_TEST(bind_static_unsupported_kernel)
{
	struct logcap cap;
	xenevtchn_handle *xce;

	if (!xenstable())
		return;
	reset("kernel linux-6.1\n");
	xce = xenevtchn_open(cap_open(&cap), 0);
	ck_assert_ptr_nonnull(xce);
	errno = 0;
	ck_assert_int_eq(bind_static()(xce, 40), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_assert_msg(cap_has(&cap, "IOCTL_EVTCHN_BIND_STATIC on /dev/xen/evtchn: the kernel "
				    "does not implement it"),
		      "log: %s", cap_text(&cap));
	ck_assert_int_eq(xenevtchn_close(xce), 0);
	cap_close(&cap);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *evtchn_suite(bool have_evtchn)
{
	Suite *s = suite_create("xenevtchn");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_test(tc, open_close);
	tcase_add_test(tc, open_flags);
	tcase_add_test(tc, open_without_device);
	tcase_add_test(tc, fdopen_arguments);
	tcase_add_test(tc, cloexec_fd_does_not_survive_exec);
	suite_add_tcase(s, tc);

	tc = tcase_create("arguments");
	tcase_add_test(tc, null_handle);
	tcase_add_test(tc, absurd_arguments);
	suite_add_tcase(s, tc);

	if (!have_evtchn)
		return s;

	tc = tcase_create("exec");
	tcase_add_test(tc, fdopen_after_exec);
	suite_add_tcase(s, tc);

	tc = tcase_create("events");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, interdomain_with_guest);
	tcase_add_test(tc, unbound_port_for_guest);
	tcase_add_test(tc, several_ports);
	tcase_add_test(tc, interdomain_two_processes);
	tcase_add_test(tc, virq);
	tcase_add_test(tc, blocking_read);
	tcase_add_test(tc, interrupted_read);
	tcase_add_test(tc, poll_readiness);
	suite_add_tcase(s, tc);

	tc = tcase_create("restrict");
	tcase_add_test(tc, restrict_by_hand);
	tcase_add_test(tc, restrict_unsupported_kernel);
	tcase_add_test(tc, restrict_all);
	tcase_add_test(tc, restrict_all_dom0_neuters);
	suite_add_tcase(s, tc);

	tc = tcase_create("static");
	tcase_add_test(tc, bind_static_channel);
	tcase_add_test(tc, bind_static_unsupported_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	bool have_evtchn = true;
	uint32_t port;
	SRunner *sr;
	ssize_t n;
	int failed;

	if (argc == 5 && !strcmp(argv[1], "--fdopen-child"))
		return fdopen_child(atoi(argv[2]), atoi(argv[3]), argv[4]);

	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0) {
		perror("test-evtchn: /proc/self/exe");
		return 99;
	}
	self_exe[n] = '\0';
	if (!xensim_available()) {
		fprintf(stderr, "test-evtchn: no simulated machine (run under xensim)\n");
		return 77;
	}
	/* The simulator's event channels come in a part of their own; without
	 * them only the open and argument checks run. */
	if (xensim_reset(NULL) < 0 || xensim_guest_evtchn_alloc_unbound(1, 0, &port) < 0) {
		fprintf(stderr, "test-evtchn: the simulator has no event channels (%s): ONLY "
				"open and argument checks are run\n",
			strerror(errno));
		have_evtchn = false;
	}
	sr = srunner_create(evtchn_suite(have_evtchn));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
