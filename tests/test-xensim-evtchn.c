/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The event-channel part of xensim, end to end through the shim with raw
 * ioctls, read() and write() on /dev/xen/evtchn (tests/run-test.sh runs
 * this under `xensim --no-preload`), against a simulated guest driven with
 * the control API.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <xen/xen.h>

#include "xen-kernel.h"
#include "xensim.h"

#define GUEST 1

static const char scenario[] = "kernel linux-6.12\n"
			       "domain 1 type=hvm vcpus=1 memory=16M\n"
			       "domain 2 type=pv memory=16M\n";

static int fd = -1;

static void setup(void)
{
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr, "test-xensim-evtchn: needs a simulator (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(xensim_reset(scenario) == 0, "reset: %s", strerror(errno));
	fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ck_assert_msg(fd >= 0, "evtchn: %s", strerror(errno));
}

static void teardown(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}

static int bind_unbound(int f, unsigned int dom)
{
	struct ioctl_evtchn_bind_unbound_port b = { .remote_domain = dom };
	int rc = ioctl(f, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &b);

	return rc < 0 ? -errno : rc;
}

static int bind_inter(int f, unsigned int dom, unsigned int port)
{
	struct ioctl_evtchn_bind_interdomain b = { .remote_domain = dom, .remote_port = port };
	int rc = ioctl(f, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

	return rc < 0 ? -errno : rc;
}

static int bind_virq(int f, unsigned int virq)
{
	struct ioctl_evtchn_bind_virq b = { .virq = virq };
	int rc = ioctl(f, IOCTL_EVTCHN_BIND_VIRQ, &b);

	return rc < 0 ? -errno : rc;
}

static int unbind(int f, unsigned int port)
{
	struct ioctl_evtchn_unbind u = { .port = port };

	return ioctl(f, IOCTL_EVTCHN_UNBIND, &u) < 0 ? -errno : 0;
}

static int notify(int f, unsigned int port)
{
	struct ioctl_evtchn_notify n = { .port = port };

	return ioctl(f, IOCTL_EVTCHN_NOTIFY, &n) < 0 ? -errno : 0;
}

static int restrict_to(int f, unsigned int dom)
{
	struct ioctl_evtchn_restrict_domid r = { .domid = (domid_t)dom };

	return ioctl(f, IOCTL_EVTCHN_RESTRICT_DOMID, &r) < 0 ? -errno : 0;
}

/* One pending port (non-blocking fd), or -errno. */
static int64_t pending(int f)
{
	uint32_t port;
	ssize_t n = read(f, &port, sizeof(port));

	if (n < 0)
		return -errno;
	ck_assert_int_eq(n, 4);
	return port;
}

static void unmask(int f, uint32_t port)
{
	ck_assert_int_eq(write(f, &port, sizeof(port)), 4);
}

START_TEST(unbound_port_guest_binds_and_sends)
{
	uint32_t gport;
	int port = bind_unbound(fd, GUEST);

	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	ck_assert_int_eq(xensim_guest_evtchn_bind_interdomain(GUEST, 0, (uint32_t)port, &gport), 0);
	/* Xen marks the binder's new local port pending */
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 1), 1);
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 0), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(pending(fd), port);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	/* disabled until unmasked: the event waits, then comes once */
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	unmask(fd, (uint32_t)port);
	ck_assert_int_eq(pending(fd), port);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	/* dom0 -> guest */
	ck_assert_int_eq(notify(fd, (unsigned int)port), 0);
	ck_assert_int_eq(xensim_guest_evtchn_wait(GUEST, gport, 5000), 0);
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 0), 0);
}
END_TEST

START_TEST(interdomain_pending_at_bind_and_poll)
{
	uint32_t gport;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int port;

	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 0, &gport), 0);
	port = bind_inter(fd, GUEST, gport);
	ck_assert_int_gt(port, 0);
	ck_assert_int_ne((unsigned int)port, gport);
	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert(p.revents & POLLIN);
	ck_assert_int_eq(pending(fd), port);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	ck_assert_int_eq(notify(fd, (unsigned int)port), 0);
	ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, gport, 1), 1);
	/* binding the same remote port twice: no longer unbound */
	ck_assert_int_eq(bind_inter(fd, GUEST, gport), -EINVAL);
	/* errors */
	ck_assert_int_eq(bind_inter(fd, 77, 1), -ESRCH);
	ck_assert_int_eq(bind_inter(fd, GUEST, 4000), -EINVAL);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 2, &gport), 0);
	ck_assert_int_eq(bind_inter(fd, GUEST, gport), -EINVAL); /* for domain 2 */
}
END_TEST

START_TEST(unbind_notify_errors)
{
	int other = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	int port = bind_unbound(fd, GUEST);
	char status[256], cmd[64];

	ck_assert_int_ge(other, 0);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(unbind(fd, 4096), -EINVAL);
	ck_assert_int_eq(unbind(fd, 4000), -ENOTCONN);
	ck_assert_int_eq(unbind(other, (unsigned int)port), -ENOTCONN);
	ck_assert_int_eq(notify(other, (unsigned int)port), -ENOTCONN);
	ck_assert_int_eq(notify(fd, 4000), -ENOTCONN);
	ck_assert_int_eq(unbind(fd, (unsigned int)port), 0);
	ck_assert_int_eq(unbind(fd, (unsigned int)port), -ENOTCONN);
	ck_assert_int_eq(notify(fd, (unsigned int)port), -ENOTCONN);
	snprintf(cmd, sizeof(cmd), "evtchn-status 0 %d", port);
	ck_assert_int_eq(xensim_command(cmd, status, sizeof(status)), 0);
	ck_assert_msg(strstr(status, "free") != NULL, "%s", status);
	/* unknown ioctls on evtchn: ENOSYS */
	errno = 0;
	ck_assert_int_eq(ioctl(fd, XS_IOC(XS_IOC_NONE, 'E', 0x42, 0), NULL), -1);
	ck_assert_int_eq(errno, ENOSYS);
	close(other);
}
END_TEST

START_TEST(close_releases_ports)
{
	int f = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	uint32_t gport;
	char status[256], cmd[64];
	int port;

	ck_assert_int_ge(f, 0);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 0, &gport), 0);
	port = bind_inter(f, GUEST, gport);
	ck_assert_int_gt(port, 0);
	snprintf(cmd, sizeof(cmd), "evtchn-status 1 %u", gport);
	ck_assert_int_eq(xensim_command(cmd, status, sizeof(status)), 0);
	ck_assert_msg(strstr(status, "interdomain") != NULL, "%s", status);
	close(f);
	/* the daemon sees the release asynchronously; the guest port goes back
	 * to unbound (for dom0), so dom0 can bind it again */
	for (int i = 0; i < 500; i++) {
		snprintf(cmd, sizeof(cmd), "evtchn-status 1 %u", gport);
		ck_assert_int_eq(xensim_command(cmd, status, sizeof(status)), 0);
		if (strstr(status, "unbound remote=0"))
			break;
		usleep(10000);
	}
	ck_assert_msg(strstr(status, "unbound remote=0") != NULL, "%s", status);
	ck_assert_int_gt(bind_inter(fd, GUEST, gport), 0);
}
END_TEST

START_TEST(virq_bind_and_raise)
{
	int port = bind_virq(fd, VIRQ_DOM_EXC);

	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(bind_virq(fd, VIRQ_DOM_EXC), -EEXIST);
	ck_assert_int_eq(bind_virq(fd, NR_VIRQS), -EINVAL);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	ck_assert_int_eq(xensim_raise_virq(0, VIRQ_DOM_EXC), 0);
	ck_assert_int_eq(pending(fd), port);
	unmask(fd, (uint32_t)port);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	ck_assert_int_eq(unbind(fd, (unsigned int)port), 0);
	ck_assert_int_eq(xensim_raise_virq(0, VIRQ_DOM_EXC), 0);
	ck_assert_int_eq(bind_virq(fd, VIRQ_DOM_EXC), port);
}
END_TEST

START_TEST(restrict_domid)
{
	uint32_t g1, g2;

	ck_assert_int_eq(restrict_to(fd, 0), -EINVAL);
	ck_assert_int_eq(restrict_to(fd, DOMID_FIRST_RESERVED), -EINVAL);
	ck_assert_int_eq(restrict_to(fd, GUEST), 0);
	ck_assert_int_eq(restrict_to(fd, GUEST), -EACCES);
	ck_assert_int_eq(restrict_to(fd, 2), -EACCES);
	ck_assert_int_eq(bind_virq(fd, VIRQ_DOM_EXC), -EACCES);
	ck_assert_int_eq(bind_unbound(fd, GUEST), -EACCES);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 0, &g1), 0);
	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(2, 0, &g2), 0);
	ck_assert_int_eq(bind_inter(fd, 2, g2), -EACCES);
	ck_assert_int_gt(bind_inter(fd, GUEST, g1), 0);
}
END_TEST

START_TEST(restrict_missing_in_old_kernel)
{
	ck_assert_int_eq(xensim_reset("kernel linux-3.2\ndomain 1 type=hvm memory=16M\n"), 0);
	close(fd);
	fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(restrict_to(fd, GUEST), -ENOSYS);
}
END_TEST

START_TEST(bind_static)
{
	struct ioctl_evtchn_bind b = { .port = 100 };
	char status[256], cmd[64];

	ck_assert_int_eq(xensim_static_evtchn(100, GUEST, 20), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_EVTCHN_BIND_STATIC, &b), 0);
	ck_assert_int_eq(pending(fd), 100); /* pending since the bind in Xen */
	errno = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_EVTCHN_BIND_STATIC, &b), -1);
	ck_assert_int_eq(errno, EISCONN);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, 20), 0);
	unmask(fd, 100);
	ck_assert_int_eq(pending(fd), 100);
	/* unbinding keeps a static port open */
	ck_assert_int_eq(unbind(fd, 100), 0);
	snprintf(cmd, sizeof(cmd), "evtchn-status 0 100");
	ck_assert_int_eq(xensim_command(cmd, status, sizeof(status)), 0);
	ck_assert_msg(strstr(status, "interdomain remote=1:20") != NULL, "%s", status);
	b.port = 101;
	errno = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_EVTCHN_BIND_STATIC, &b), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(reset_ring_and_read_sizes)
{
	uint32_t gport, ports[4];
	int port = bind_unbound(fd, GUEST);

	ck_assert_int_eq(xensim_guest_evtchn_bind_interdomain(GUEST, 0, (uint32_t)port, &gport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(read(fd, ports, 0), 0);
	ck_assert_int_eq(read(fd, ports, 3), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_EVTCHN_RESET, NULL), 0);
	ck_assert_int_eq(pending(fd), -EAGAIN);
	/* still disabled: the next event needs the unmask */
	unmask(fd, (uint32_t)port);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(read(fd, ports, sizeof(ports)), 4);
	ck_assert_uint_eq(ports[0], (uint32_t)port);
	/* write ignores ports not bound here */
	ports[0] = 3999;
	ports[1] = (uint32_t)port;
	ck_assert_int_eq(write(fd, ports, 8), 8);
}
END_TEST

START_TEST(guest_wait_times_out)
{
	uint32_t gport;

	ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 0, &gport), 0);
	errno = 0;
	ck_assert_int_eq(xensim_guest_evtchn_wait(GUEST, gport, 50), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(xensim_guest_evtchn_close(GUEST, gport), 0);
	errno = 0;
	ck_assert_int_eq(xensim_guest_evtchn_close(GUEST, gport), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(xensim_guest_evtchn_send(9, 1), -1);
	ck_assert_int_eq(errno, ESRCH);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("xensim-evtchn");
	TCase *t = tcase_create("evtchn");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, unbound_port_guest_binds_and_sends);
	tcase_add_test(t, interdomain_pending_at_bind_and_poll);
	tcase_add_test(t, unbind_notify_errors);
	tcase_add_test(t, close_releases_ports);
	tcase_add_test(t, virq_bind_and_raise);
	tcase_add_test(t, restrict_domid);
	tcase_add_test(t, restrict_missing_in_old_kernel);
	tcase_add_test(t, bind_static);
	tcase_add_test(t, reset_ring_and_read_sizes);
	tcase_add_test(t, guest_wait_times_out);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
