/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxensim's shim and control API, on a private simulated machine
 * (tests/run-test.sh runs this under `xensim --no-preload`): pass-through
 * of everything that is not Xen, the device nodes and sysfs files, loud
 * failures for what is not simulated, fd semantics (dup, dup2 over,
 * fork, close-on-exec, O_NONBLOCK), EFAULT for bad pointers, the VMA
 * rules of privcmd, /dev/xen/hypercall, gntdev and gntalloc, evtchn
 * readiness, and the control API's answers.
 */
#include "config.h"

/* The current Xen interface (guest handles are structs), as the libraries use. */
#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/hvm/dm_op.h>

#include "xen-kernel.h"
#include "xensim.h"

#define PAGE  4096
#define GUEST 1 /* the default scenario's HVM guest */

#include "xs-emulator.h"

static void setup(void)
{
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr,
			"test-xensim-shim: needs a simulator (run under xensim)\n");
		exit(77);
	}
	/* the default machine, with Arm's set_irq_level (tested with irqfds) */
	ck_assert_msg(xensim_reset("arch arm\n") == 0, "reset: %s", strerror(errno));
	unsetenv("XENSIM_QUIET");
}

/*
 * The grant-table part of the daemon (sim-gnttab.c) came last; until it
 * is there the tests that need grants say so on stderr and pass.
 */
static int have_grants(void)
{
	uint32_t ref;

	/* (no reset here: it would detach the caller's open devices) */
	if (xensim_guest_grant(GUEST, 0, 0x1, 0, &ref) == 0) {
		ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
		return 1;
	}
	ck_assert_int_eq(errno, EINVAL);
	fprintf(stderr, "test-xensim-shim: the simulator has no grant tables yet: "
			"grant checks not run\n");
	return 0;
}

/* Likewise for event channels (sim-evtchn.c). */
static int have_evtchn(void)
{
	uint32_t port;

	if (xensim_guest_evtchn_alloc_unbound(GUEST, 0, &port) == 0) {
		ck_assert_int_eq(xensim_guest_evtchn_close(GUEST, port), 0);
		return 1;
	}
	ck_assert_int_eq(errno, EINVAL);
	fprintf(stderr, "test-xensim-shim: the simulator has no event channels yet: "
			"event channel checks not run\n");
	return 0;
}

static int xopen(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	ck_assert_msg(fd >= 0, "open %s: %s", path, strerror(errno));
	return fd;
}

/* ---- capturing our own stderr ------------------------------------------ */

static int saved_stderr = -1;
static FILE *capture_file;

static void capture_start(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	ck_assert_ptr_nonnull(capture_file);
	saved_stderr = dup(2);
	ck_assert_int_ge(saved_stderr, 0);
	ck_assert_int_eq(dup2(fileno(capture_file), 2), 2);
}

/* Stop capturing; the text (static buffer). */
static const char *capture_end(void)
{
	static char buf[4096];
	size_t n;

	fflush(stderr);
	ck_assert_int_eq(dup2(saved_stderr, 2), 2);
	close(saved_stderr);
	rewind(capture_file);
	n = fread(buf, 1, sizeof(buf) - 1, capture_file);
	buf[n] = '\0';
	fclose(capture_file);
	return buf;
}

/* ---- hypercall helpers --------------------------------------------------- */

static long xen_version(int fd, unsigned int cmd, void *arg)
{
	struct privcmd_hypercall hc = {.op = __HYPERVISOR_xen_version};

	hc.arg[0] = cmd;
	hc.arg[1] = (uint64_t)(uintptr_t)arg;
	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc);
}

/* A pointer that is certainly not mapped. */
static void *bad_pointer(void)
{
	void *p = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_int_eq(munmap(p, PAGE), 0);
	return p;
}

/* ---- pass-through -------------------------------------------------------- */

START_TEST(t_passthrough_files)
{
	char path[] = "/tmp/xensim-shim-XXXXXX", buf[16] = {0};
	int fd = mkstemp(path), p[2], n = -1;
	FILE *f;
	void *m;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "hello", 5), 5);
	close(fd);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "hello");
	m = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(memcmp(m, "hello", 5), 0);
	ck_assert_int_eq(munmap(m, PAGE), 0);
	/* An ordinary ioctl on an ordinary fd reaches the kernel. */
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "abc", 3), 3);
	ck_assert_int_eq(ioctl(p[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(syscall(SYS_ioctl, p[0], FIONREAD, &n), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(syscall(SYS_getpid), getpid());
	close(p[0]);
	close(p[1]);
	close(fd);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "hello");
	fclose(f);
	ck_assert_int_eq(openat(AT_FDCWD, "/nonexistent/xensim", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOENT);
	unlink(path);
}
END_TEST

START_TEST(t_passthrough_without_socket)
{
	char *sock = strdup(getenv("XENSIM_SOCKET"));
	int fd;

	/* Without XENSIM_SOCKET the shim is not there: the real /dev/xen
	 * (absent on a test machine) answers, and nothing is printed. */
	unsetenv("XENSIM_SOCKET");
	capture_start();
	fd = open("/dev/xen/privcmd", O_RDWR);
	if (fd >= 0) {
		close(fd); /* a real Xen host: fine too */
	} else {
		ck_assert(errno == ENOENT || errno == EACCES || errno == ENODEV);
	}
	fd = open("/dev/xen/not-a-device", O_RDWR);
	ck_assert_int_eq(fd, -1);
	ck_assert_str_eq(capture_end(), "");
	ck_assert_int_eq(xensim_available(), 0);
	setenv("XENSIM_SOCKET", sock, 1);
	free(sock);
	ck_assert_int_eq(xensim_available(), 1);
}
END_TEST

/* ---- devices ---------------------------------------------------------------- */

static const char *const devices[] = {
	"/dev/xen/privcmd", "/proc/xen/privcmd", "/dev/xen/hypercall",
	"/dev/xen/evtchn",  "/dev/xen/gntdev",	 "/dev/xen/gntalloc",
};

START_TEST(t_devices_open)
{
	struct stat st;
	int fd = xopen(devices[_i]);

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(close(fd), 0);
	/* Other open entry points. */
	fd = openat(AT_FDCWD, devices[_i], O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	fd = open64(devices[_i], O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(t_devices_missing)
{
	static const char *const feature[] = {
		"privcmd", "proc-privcmd", "hypercall-dev",
		"evtchn",  "gntdev",	   "gntalloc",
	};
	char scen[128];

	snprintf(scen, sizeof(scen), "kernel linux-6.12-%s\n", feature[_i]);
	ck_assert_int_eq(xensim_reset(scen), 0);
	ck_assert_int_eq(open(devices[_i], O_RDWR | O_CLOEXEC), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* The others are still there. */
	{
		int fd = open(devices[(_i + 1) % 6], O_RDWR | O_CLOEXEC);

		ck_assert_int_ge(fd, 0);
		close(fd);
	}
}
END_TEST

START_TEST(t_old_kernel_no_hypercall_dev)
{
	ck_assert_int_eq(xensim_reset("kernel linux-4.14\n"), 0);
	ck_assert_int_eq(open("/dev/xen/hypercall", O_RDWR), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(t_unknown_path)
{
	const char *err;
	FILE *f;

	capture_start();
	ck_assert_int_eq(open("/dev/xen/xenbus", O_RDWR), -1);
	ck_assert_int_eq(errno, ENOENT);
	f = fopen("/dev/xen/xenbus_backend", "r+");
	ck_assert_ptr_null(f);
	ck_assert_int_eq(errno, ENOENT);
	err = capture_end();
	ck_assert_ptr_nonnull(strstr(err, "xensim: /dev/xen/xenbus is not simulated"));
	ck_assert_ptr_nonnull(
		strstr(err, "xensim: /dev/xen/xenbus_backend is not simulated"));
}
END_TEST

START_TEST(t_sysfs)
{
	char buf[256] = {0};
	FILE *f;
	int fd;

	fd = open("/sys/hypervisor/type", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 4);
	ck_assert_str_eq(buf, "xen\n");
	/* Read-only, like the sysfs attribute. */
	ck_assert_int_eq(write(fd, "x", 1), -1);
	ck_assert_int_eq(errno, EBADF);
	close(fd);
	f = fopen("/sys/hypervisor/version/major", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "4\n");
	fclose(f);
	f = fopen("/sys/hypervisor/version/minor", "re");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fcntl(fileno(f), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "17\n");
	fclose(f);
	/* /proc/xen files (xenfs) come the same way. */
	f = fopen("/proc/xen/capabilities", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "control_d\n");
	fclose(f);
	f = fopen("/sys/hypervisor/properties/pagesize", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	ck_assert_str_eq(buf, "1000\n");
	fclose(f);
	ck_assert_int_eq(open("/sys/hypervisor/type", O_WRONLY), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(open("/sys/hypervisor/no-such-file", O_RDONLY), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- unknown ioctls ----------------------------------------------------------- */

START_TEST(t_unknown_ioctl)
{
	static const int expect[] = {ENOTTY, ENOTTY, ENOTTY, ENOSYS, ENOTTY, ENOTTY};
	unsigned long cmd = XS_IOC(XS_IOC_NONE, 'X', 0x42, 8);
	char arg[8] = {0}, want[128];
	const char *err;
	int fd = xopen(devices[_i]);

	capture_start();
	ck_assert_int_eq(ioctl(fd, cmd, arg), -1);
	ck_assert_int_eq(errno, expect[_i]);
	/* syscall(SYS_ioctl) is decoded the same way. */
	ck_assert_int_eq(syscall(SYS_ioctl, fd, cmd, arg), -1);
	ck_assert_int_eq(errno, expect[_i]);
	err = capture_end();
	snprintf(want, sizeof(want), "xensim: ioctl 0x%lx on %s is not simulated", cmd,
		 devices[_i]);
	ck_assert_msg(strstr(err, want), "stderr: '%s'", err);

	/* Quiet when asked. */
	setenv("XENSIM_QUIET", "1", 1);
	capture_start();
	ck_assert_int_eq(ioctl(fd, cmd, arg), -1);
	ck_assert_int_eq(errno, expect[_i]);
	ck_assert_str_eq(capture_end(), "");
	unsetenv("XENSIM_QUIET");
	close(fd);
}
END_TEST

START_TEST(t_unimplemented_probe)
{
	int fd = xopen("/dev/xen/privcmd");

	/* The libraries' "which errno means unimplemented" probe: silent. */
	capture_start();
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL), -1);
	ck_assert_int_eq(errno, ENOTTY);
	ck_assert_str_eq(capture_end(), "");
	close(fd);
}
END_TEST

START_TEST(t_old_privcmd_einval)
{
	int fd;

	ck_assert_int_eq(xensim_reset("kernel linux-3.2\n"), 0);
	fd = xopen("/dev/xen/privcmd");
	setenv("XENSIM_QUIET", "1", 1);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
}
END_TEST

/* ---- hypercalls ------------------------------------------------------------ */

START_TEST(t_hypercall_xen_version)
{
	xen_extraversion_t extra;
	xen_capabilities_info_t caps;
	xen_feature_info_t fi = {.submap_idx = 0};
	int fd = xopen("/dev/xen/privcmd");

	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), (4 << 16) | 17);
	ck_assert_int_eq(xen_version(fd, XENVER_pagesize, NULL), PAGE);
	memset(extra, 'x', sizeof(extra));
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, extra), 0);
	ck_assert_str_eq(extra, ".0-xensim");
	memset(caps, 0, sizeof(caps));
	ck_assert_int_eq(xen_version(fd, XENVER_capabilities, caps), 0);
	ck_assert_int_gt(strlen(caps), 0);
	ck_assert_int_ge(xen_version(fd, XENVER_get_features, &fi), 0);
	/* The full long result through syscall(SYS_ioctl) too. */
	{
		struct privcmd_hypercall hc = {.op = __HYPERVISOR_xen_version,
					       .arg = {XENVER_version}};

		ck_assert_int_eq(syscall(SYS_ioctl, fd, IOCTL_PRIVCMD_HYPERCALL, &hc),
				 (4 << 16) | 17);
	}
	close(fd);
}
END_TEST

START_TEST(t_hypercall_version_scenario)
{
	xen_extraversion_t extra = {0};
	int fd;

	ck_assert_int_eq(xensim_reset("xen 4.19 .2-test\n"), 0);
	fd = xopen("/dev/xen/privcmd");
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), (4 << 16) | 19);
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, extra), 0);
	ck_assert_str_eq(extra, ".2-test");
	close(fd);
}
END_TEST

static void t_efault_body(void);

START_TEST(t_efault)
{
	if (_i == 1) {
		const char *pre = getenv("LD_PRELOAD");

		/* The fallback path; valgrind rightly reports the bad
		 * pointers handed to write(), so not under valgrind. */
		if (pre && strstr(pre, "vgpreload"))
			return;
		setenv("XENSIM_SHIM_COPY", "pipe", 1);
	} else
		unsetenv("XENSIM_SHIM_COPY");
	t_efault_body();
	unsetenv("XENSIM_SHIM_COPY");
}
END_TEST

static void t_efault_body(void)
{
	struct privcmd_mmapbatch_v2 m2;
	struct ioctl_evtchn_bind_unbound_port ub = {.remote_domain = GUEST};
	void *bad = bad_pointer();
	const char *ro = "read-only";
	int fd = xopen("/dev/xen/privcmd"), efd;

	/* The ioctl argument itself. */
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, bad), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* A buffer the hypercall writes. */
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, bad), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, (void *)ro), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* MMAPBATCH's frame list. */
	memset(&m2, 0, sizeof(m2));
	m2.num = 1;
	m2.dom = GUEST;
	m2.addr = 0x10000;
	m2.arr = bad;
	m2.err = bad;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m2), -1);
	ck_assert_int_eq(errno, EFAULT);
	close(fd);

	if (!have_evtchn())
		return;
	efd = xopen("/dev/xen/evtchn");
	ck_assert_int_eq(ioctl(efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, bad), -1);
	ck_assert_int_eq(errno, EFAULT);
	ck_assert_int_ge(ioctl(efd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub), 1);
	ck_assert_int_eq(write(efd, bad, 4), -1);
	ck_assert_int_eq(errno, EFAULT);
	close(efd);
}

/* ---- fd semantics ------------------------------------------------------------ */

START_TEST(t_fd_dup_and_neuter)
{
	if (skip_under_emulator("t_fd_dup_and_neuter", EMU_IOCTL_ENOSYS))
		return;
	int fd = xopen("/dev/xen/privcmd"), d, null;

	d = dup(fd);
	ck_assert_int_ge(d, 0);
	close(fd);
	/* The dup is the same open file. */
	ck_assert_int_eq(xen_version(d, XENVER_version, NULL), (4 << 16) | 17);
	/* libxentoolcore's neutering: /dev/null in its place gives ENOTTY. */
	null = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(null, 0);
	ck_assert_int_eq(dup2(null, d), d);
	close(null);
	ck_assert_int_eq(xen_version(d, XENVER_version, NULL), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(d);
}
END_TEST

START_TEST(t_fd_fork)
{
	int fd = xopen("/dev/xen/privcmd"), status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* The child shares the open file. */
		_exit(xen_version(fd, XENVER_version, NULL) == ((4 << 16) | 17) ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), (4 << 16) | 17);
	close(fd);
}
END_TEST

static const char *self_path;

/* Run as `test-xensim-shim --inherited FD`: use a device fd this process
 * did not open (the shim must recognise it with XSP_IDENT). */
static int inherited_child(int fd)
{
	long v = xen_version(fd, XENVER_version, NULL);

	return v == ((4 << 16) | 17) ? 0 : 1;
}

START_TEST(t_fd_exec_inherited)
{
	if (skip_under_emulator("t_fd_exec_inherited", EMU_NO_EXEC))
		return;
	int fd = open("/dev/xen/privcmd", O_RDWR), status;
	pid_t pid;

	ck_assert_int_ge(fd, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char num[16];

		snprintf(num, sizeof(num), "%d", fd);
		execl(self_path, self_path, "--inherited", num, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(fd);

	/* O_CLOEXEC fds do not survive exec. */
	fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char num[16];

		snprintf(num, sizeof(num), "%d", fd);
		execl(self_path, self_path, "--inherited", num, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 1);
	close(fd);
}
END_TEST

START_TEST(t_evtchn_nonblock_and_poll)
{
	struct ioctl_evtchn_bind_unbound_port ub = {.remote_domain = GUEST};
	struct pollfd p;
	uint32_t port, gport, got = 0;
	int fd = open("/dev/xen/evtchn", O_RDWR | O_NONBLOCK | O_CLOEXEC), rc;

	if (!have_evtchn())
		return;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
	rc = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub);
	ck_assert_int_gt(rc, 0);
	port = (uint32_t)rc;
	/* Nothing pending: not readable, EAGAIN. */
	p = (struct pollfd){.fd = fd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	ck_assert_int_eq(read(fd, &got, 4), -1);
	ck_assert_int_eq(errno, EAGAIN);
	/* The guest connects and signals. */
	ck_assert_int_eq(xensim_guest_evtchn_bind_interdomain(GUEST, 0, port, &gport), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	p.revents = 0;
	ck_assert_int_eq(poll(&p, 1, 10000), 1);
	ck_assert(p.revents & POLLIN);
	/* select() and epoll see the same readiness. */
	{
		struct epoll_event ev = {.events = EPOLLIN}, out;
		struct timeval tv = {0, 0};
		fd_set rfds;
		int ep = epoll_create1(EPOLL_CLOEXEC);

		FD_ZERO(&rfds);
		FD_SET(fd, &rfds);
		ck_assert_int_eq(select(fd + 1, &rfds, NULL, NULL, &tv), 1);
		ck_assert(FD_ISSET(fd, &rfds));
		ck_assert_int_ge(ep, 0);
		ck_assert_int_eq(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), 0);
		ck_assert_int_eq(epoll_wait(ep, &out, 1, 0), 1);
		ck_assert(out.events & EPOLLIN);
		close(ep);
	}
	/* Sizes: 0 reads nothing, a partial port is rounded down. */
	ck_assert_int_eq(read(fd, &got, 0), 0);
	ck_assert_int_eq(read(fd, &got, 3), 0);
	ck_assert_int_eq(read(fd, &got, 4), 4);
	ck_assert_uint_eq(got, port);
	/* Consumed: not readable any more. */
	p.revents = 0;
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	/* Masked until unmasked with write(): an event meanwhile is kept, */
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(poll(&p, 1, 0), 0);
	/* and the unmask delivers it: readable right after the write(). */
	ck_assert_int_eq(write(fd, &port, 4), 4);
	p.revents = 0;
	ck_assert_int_eq(poll(&p, 1, 10000), 1);
	ck_assert(p.revents & POLLIN);
	got = 0;
	ck_assert_int_eq(read(fd, &got, 4), 4);
	ck_assert_uint_eq(got, port);
	ck_assert_int_eq(write(fd, &port, 4), 4);
	close(fd);
}
END_TEST

struct reader {
	int fd;
	uint32_t port;
	ssize_t n;
};

static void *blocking_reader(void *arg)
{
	struct reader *r = arg;

	r->n = read(r->fd, &r->port, sizeof(r->port));
	return NULL;
}

START_TEST(t_evtchn_blocking_read)
{
	struct ioctl_evtchn_bind_unbound_port ub = {.remote_domain = GUEST};
	struct reader r = {.n = -2};
	pthread_t th;
	uint32_t port, gport;
	int rc;

	if (!have_evtchn())
		return;

	r.fd = xopen("/dev/xen/evtchn");
	rc = ioctl(r.fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub);
	ck_assert_int_gt(rc, 0);
	port = (uint32_t)rc;
	ck_assert_int_eq(xensim_guest_evtchn_bind_interdomain(GUEST, 0, port, &gport), 0);
	ck_assert_int_eq(pthread_create(&th, NULL, blocking_reader, &r), 0);
	ck_assert_int_eq(xensim_guest_evtchn_send(GUEST, gport), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_int_eq(r.n, 4);
	ck_assert_uint_eq(r.port, port);
	close(r.fd);
}
END_TEST

static void on_alarm(int sig)
{
	(void)sig;
}

START_TEST(t_evtchn_read_eintr)
{
	struct ioctl_evtchn_bind_unbound_port ub = {.remote_domain = GUEST};
	struct sigaction sa;
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	uint32_t port;
	int fd = xopen("/dev/xen/evtchn");

	if (!have_evtchn())
		return;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_gt(ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	/* Nothing will ever arrive: the signal ends the wait. */
	ck_assert_int_eq(read(fd, &port, sizeof(port)), -1);
	ck_assert_int_eq(errno, EINTR);
	close(fd);
}
END_TEST

START_TEST(t_read_write_other_devices)
{
	char buf[8];
	int i;

	for (i = 0; i < 6; i++) {
		int fd;

		if (!strcmp(devices[i], "/dev/xen/evtchn"))
			continue;
		fd = xopen(devices[i]);
		ck_assert_int_eq(read(fd, buf, sizeof(buf)), -1);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(write(fd, buf, sizeof(buf)), -1);
		ck_assert_int_eq(errno, EINVAL);
		close(fd);
	}
}
END_TEST

/* ---- DM_OP, RESTRICT, IRQFD ------------------------------------------------- */

START_TEST(t_dm_op_ioctl)
{
	if (skip_under_emulator("t_dm_op_ioctl", EMU_NO_PROCESS_VM))
		return;
	int fd = xopen("/dev/xen/privcmd");
	struct xen_dm_op op;
	struct privcmd_dm_op_buf b[17];
	struct privcmd_dm_op d = {.dom = GUEST, .num = 1, .ubufs = b};
	static char big[4097];
	unsigned int i;

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_nr_vcpus;
	op.u.nr_vcpus.vcpus = 0xdead;
	b[0].uptr = &op;
	b[0].size = sizeof(op);
	/* The buffer Xen writes is copied back. */
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), 0);
	ck_assert_uint_eq(op.u.nr_vcpus.vcpus, 2);
	/* num 0: nothing to do. */
	d.num = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), 0);
	/* The kernel's limits: 16 buffers, 4096 bytes each. */
	for (i = 0; i < 17; i++) {
		b[i].uptr = &op;
		b[i].size = sizeof(op);
	}
	d.num = 17;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, E2BIG);
	d.num = 2;
	b[1].uptr = big;
	b[1].size = sizeof(big);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, E2BIG);
	/* A bad buffer. */
	d.num = 1;
	b[0].uptr = bad_pointer();
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, EFAULT);
	close(fd);
}
END_TEST

START_TEST(t_dm_op_hypercall)
{
	int fd = xopen("/dev/xen/privcmd");
	struct xen_dm_op op;
	xen_dm_op_buf_t b = {.size = sizeof(op)};
	struct privcmd_hypercall hc = {.op = __HYPERVISOR_dm_op};

	/* libxendevicemodel's fallback: dm_op through the HYPERCALL ioctl. */
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_isa_irq_level;
	op.u.set_isa_irq_level.isa_irq = 7;
	op.u.set_isa_irq_level.level = 1;
	set_xen_guest_handle(b.h, &op);
	hc.arg[0] = GUEST;
	hc.arg[1] = 1;
	hc.arg[2] = (uint64_t)(uintptr_t)&b;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc), 0);
	ck_assert_int_eq(xensim_isa_irq_level(GUEST, 7), 1);
	/* Xen takes at most 2 buffers. */
	hc.arg[1] = 3;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &hc), -1);
	ck_assert_int_eq(errno, E2BIG);
	close(fd);
}
END_TEST

START_TEST(t_restrict)
{
	int fd = xopen("/dev/xen/privcmd");
	domid_t dom = GUEST, other = 2;
	xen_pfn_t gfn = 0x10;
	int err = 0;
	struct privcmd_mmapbatch_v2 m = {.num = 1, .dom = 2, .arr = &gfn, .err = &err};

	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &other), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Raw hypercalls are gone, other domains too. */
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), -1);
	ck_assert_int_eq(errno, EPERM);
	m.addr = 0x1000;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_RESTRICT, NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	close(fd);
	/* Per open file: a new one is unrestricted. */
	fd = xopen("/dev/xen/privcmd");
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), (4 << 16) | 17);
	close(fd);
}
END_TEST

START_TEST(t_irqfd)
{
	int fd = xopen("/dev/xen/privcmd"), efd = eventfd(0, EFD_CLOEXEC), i;
	struct xen_dm_op op;
	struct privcmd_irqfd ir = {.size = sizeof(op), .dom = GUEST};
	uint64_t one = 1;

	ck_assert_int_ge(efd, 0);
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_irq_level;
	op.u.set_irq_level.irq = 40;
	op.u.set_irq_level.level = 1;
	ir.dm_op = (uint64_t)(uintptr_t)&op;
	ir.fd = (uint32_t)efd;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(write(efd, &one, sizeof(one)), sizeof(one));
	/* The daemon injects asynchronously: wait for it (no timing asserted). */
	for (i = 0; i < 1000 && xensim_irq_assert_count(GUEST, 40) < 1; i++)
		usleep(10000);
	ck_assert_int_eq(xensim_irq_assert_count(GUEST, 40), 1);
	ir.flags = PRIVCMD_IRQFD_FLAG_DEASSIGN;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), 0);
	/* A closed fd number. */
	ir.flags = 0;
	ir.fd = 1000;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, EBADF);
	close(efd);
	close(fd);
}
END_TEST

START_TEST(t_irqfd_linux66)
{
	int fd, efd = eventfd(0, EFD_CLOEXEC);
	struct xen_dm_op op;
	struct privcmd_irqfd_v66 v = {.dm_op = &op, .size = sizeof(op), .dom = GUEST};
	struct privcmd_irqfd ir = {.dom = GUEST};

	ck_assert_int_eq(xensim_reset("kernel linux-6.6\n"), 0);
	fd = xopen("/dev/xen/privcmd");
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_irq_level;
	op.u.set_irq_level.irq = 41;
	op.u.set_irq_level.level = 1;
	v.fd = (uint32_t)efd;
	/* Linux 6.6 knows only its own number. */
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD_V66, &v), 0);
	ir.fd = (uint32_t)efd;
	setenv("XENSIM_QUIET", "1", 1);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, ENOTTY);
	v.flags = PRIVCMD_IRQFD_FLAG_DEASSIGN;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD_V66, &v), 0);
	close(efd);
	close(fd);
}
END_TEST

START_TEST(t_pcidev_get_gsi)
{
	struct privcmd_pcidev_get_gsi g = {.sbdf = (0 << 16) | (0 << 8) | (3 << 3) | 0,
					   .gsi = 0xdead};
	int fd;

	ck_assert_int_eq(xensim_reset("pci-gsi 0000:00:03.0 28\n"), 0);
	fd = xopen("/dev/xen/privcmd");
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &g), 0);
	ck_assert_uint_eq(g.gsi, 28);
	g.sbdf = 4 << 3; /* no such device: no GSI */
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &g), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, NULL), -1);
	ck_assert_int_eq(errno, EFAULT);
	close(fd);
}
END_TEST

START_TEST(t_irqfd_old_kernel)
{
	int fd, efd = eventfd(0, EFD_CLOEXEC);
	struct privcmd_irqfd ir = {.dom = GUEST};

	ck_assert_int_eq(xensim_reset("kernel linux-6.1\n"), 0);
	fd = xopen("/dev/xen/privcmd");
	ir.fd = (uint32_t)efd;
	setenv("XENSIM_QUIET", "1", 1);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(efd);
	close(fd);
}
END_TEST

static int dm_op1(int fd, struct xen_dm_op *op)
{
	struct privcmd_dm_op_buf b = {.uptr = op, .size = sizeof(*op)};
	struct privcmd_dm_op d = {.dom = GUEST, .num = 1, .ubufs = &b};

	return ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d);
}

START_TEST(t_ioeventfd)
{
	int fd = xopen("/dev/xen/privcmd"), efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct privcmd_mmap_resource r = {.dom = GUEST,
					  .type = XENMEM_resource_ioreq_server};
	struct privcmd_ioeventfd io = {
		.addr = 0xfe000000, .addr_len = 4, .vcpus = 2, .vq = 3, .dom = GUEST};
	struct xensim_ioreq_server_info info;
	struct xensim_io gio = {.space = XENSIM_IO_MMIO,
				.write = 1,
				.addr = 0xfe000050,
				.size = 4,
				.data = 3};
	struct xen_dm_op op;
	uint32_t ports[2];
	uint64_t cnt = 0;
	void *va;
	ioservid_t id;

	if (!have_evtchn())
		return;

	ck_assert_int_ge(efd, 0);
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_create_ioreq_server;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	id = op.u.create_ioreq_server.id;
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_map_io_range_to_ioreq_server;
	op.u.map_io_range_to_ioreq_server.id = id;
	op.u.map_io_range_to_ioreq_server.type = XEN_DMOP_IO_RANGE_MEMORY;
	op.u.map_io_range_to_ioreq_server.start = 0xfe000000;
	op.u.map_io_range_to_ioreq_server.end = 0xfe000fff;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_ioreq_server_state;
	op.u.set_ioreq_server_state.id = id;
	op.u.set_ioreq_server_state.enabled = 1;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_int_eq(info.exists, 1);
	ck_assert_int_eq(info.enabled, 1);
	ck_assert_uint_eq(info.nr_ranges[1], 1);
	ck_assert_int_eq(xensim_ioreq_server_has_range(GUEST, id,
						       XEN_DMOP_IO_RANGE_MEMORY,
						       0xfe000000, 0xfe000fff),
			 1);
	ports[0] = info.vcpu_port[0];
	ports[1] = info.vcpu_port[1];
	ck_assert_uint_ne(ports[0], 0);

	/* ioreq must be an ioreq page mapped with MMAP_RESOURCE. */
	io.ioreq = (uint64_t)(uintptr_t)&op;
	io.ports = (uint64_t)(uintptr_t)ports;
	io.event_fd = (uint32_t)efd;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EFAULT);
	va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	r.id = id;
	r.idx = XENMEM_resource_ioreq_server_frame_ioreq(0);
	r.num = 1;
	r.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	io.ioreq = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	/* The queue notify completes in the "kernel" and signals the eventfd. */
	ck_assert_int_eq(xensim_guest_io(GUEST, 0, &gio, NULL, 10000),
			 XENSIM_IO_IOEVENTFD);
	ck_assert_int_eq(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	ck_assert_uint_eq(cnt, 1);
	io.flags = PRIVCMD_IOEVENTFD_FLAG_DEASSIGN;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, ENODEV);
	munmap(va, PAGE);
	close(efd);
	close(fd);
}
END_TEST

/* Every inspection call of the control API returns what the DM did. */
START_TEST(t_ctl_inspection)
{
	int fd = xopen("/dev/xen/privcmd");
	struct xensim_msi msi[4];
	struct xensim_event ev[4];
	struct xen_dm_op op;

	ck_assert_int_eq(xensim_shutdown_reason(GUEST), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(xensim_msis(GUEST, msi, 4), 0);
	ck_assert_int_eq(xensim_events(GUEST, ev, 4), 0);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_pci_intx_level;
	op.u.set_pci_intx_level.bus = 0;
	op.u.set_pci_intx_level.device = 3;
	op.u.set_pci_intx_level.intx = 1;
	op.u.set_pci_intx_level.level = 1;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_pci_intx_level(GUEST, 0, 0, 3, 1), 1);
	ck_assert_int_eq(xensim_pci_intx_level(GUEST, 0, 0, 3, 0), 0);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_pci_link_route;
	op.u.set_pci_link_route.link = 2;
	op.u.set_pci_link_route.isa_irq = 11;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_pci_link_route(GUEST, 2), 11);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_irq_level;
	op.u.set_irq_level.irq = 33;
	op.u.set_irq_level.level = 1;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_irq_level(GUEST, 33), 1);
	ck_assert_int_eq(xensim_irq_assert_count(GUEST, 33), 1);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_inject_msi;
	op.u.inject_msi.addr = 0xfee01000;
	op.u.inject_msi.data = 0x4031;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_msis(GUEST, msi, 4), 1);
	ck_assert_uint_eq(msi[0].addr, 0xfee01000);
	ck_assert_uint_eq(msi[0].data, 0x4031);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_inject_event;
	op.u.inject_event.vcpuid = 1;
	op.u.inject_event.vector = 14;
	op.u.inject_event.type = XEN_DMOP_EVENT_hw_exc;
	op.u.inject_event.error_code = 6;
	op.u.inject_event.cr2 = 0xdead000;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_events(GUEST, ev, 4), 1);
	ck_assert_uint_eq(ev[0].vcpu, 1);
	ck_assert_uint_eq(ev[0].vector, 14);
	ck_assert_uint_eq(ev[0].type, XEN_DMOP_EVENT_hw_exc);
	ck_assert_uint_eq(ev[0].error_code, 6);
	ck_assert_uint_eq(ev[0].extra, 0xdead000);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_set_mem_type;
	op.u.set_mem_type.nr = 2;
	op.u.set_mem_type.mem_type = 1; /* HVMMEM_ram_ro */
	op.u.set_mem_type.first_pfn = 0x80;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x81), 1);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x82), 0);

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_pin_memory_cacheattr;
	op.u.pin_memory_cacheattr.start = 0x90;
	op.u.pin_memory_cacheattr.end = 0x91;
	op.u.pin_memory_cacheattr.type = XEN_DMOP_MEM_CACHEATTR_WC;
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x91), XEN_DMOP_MEM_CACHEATTR_WC);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x92), -1);
	ck_assert_int_eq(errno, ENOENT);

	{
		struct xen_dm_op_modified_memory_extent ext = {.nr = 1,
							       .first_pfn = 0xa0};
		struct privcmd_dm_op_buf b[2] = {{&op, sizeof(op)}, {&ext, sizeof(ext)}};
		struct privcmd_dm_op d = {.dom = GUEST, .num = 2, .ubufs = b};

		ck_assert_int_eq(xensim_modified(GUEST, 0xa0), 0);
		memset(&op, 0, sizeof(op));
		op.op = XEN_DMOP_modified_memory;
		op.u.modified_memory.nr_extents = 1;
		ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_DM_OP, &d), 0);
		ck_assert_int_eq(xensim_modified(GUEST, 0xa0), 1);
	}

	memset(&op, 0, sizeof(op));
	op.op = XEN_DMOP_remote_shutdown;
	op.u.remote_shutdown.reason = 1; /* SHUTDOWN_reboot */
	ck_assert_int_eq(dm_op1(fd, &op), 0);
	ck_assert_int_eq(xensim_shutdown_reason(GUEST), 1);
	close(fd);
}
END_TEST

struct hc_thread {
	int fd;
	int ok;
};

static void *hc_worker(void *arg)
{
	struct hc_thread *t = arg;
	int i;

	for (i = 0; i < 200; i++) {
		xen_extraversion_t e = {0};

		if (xen_version(t->fd, XENVER_extraversion, e) == 0 &&
		    !strcmp(e, ".0-xensim") &&
		    xen_version(t->fd, XENVER_version, NULL) == ((4 << 16) | 17))
			t->ok++;
	}
	return NULL;
}

START_TEST(t_threads_share_fd)
{
	struct hc_thread t[4];
	pthread_t th[4];
	int fd = xopen("/dev/xen/privcmd"), i;

	for (i = 0; i < 4; i++) {
		t[i].fd = fd;
		t[i].ok = 0;
		ck_assert_int_eq(pthread_create(&th[i], NULL, hc_worker, &t[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(t[i].ok, 200);
	}
	close(fd);
}
END_TEST

START_TEST(t_hypercall_buffers_fork)
{
	int fd = xopen("/dev/xen/hypercall"), status;
	volatile unsigned char *p =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid_t pid;

	ck_assert_ptr_ne((void *)p, MAP_FAILED);
	/* Not VM_DONTCOPY: the child shares the pages. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		p[10] = 0x77;
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_uint_eq(p[10], 0x77);
	munmap((void *)p, PAGE);
	close(fd);
}
END_TEST

/* ---- privcmd VMAs ------------------------------------------------------------- */

static void fill_guest(uint64_t gfn, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		char text[32];

		snprintf(text, sizeof(text), "guest page %u", (unsigned int)(gfn + i));
		ck_assert_int_eq(xensim_guest_write(GUEST, (gfn + i) * PAGE, text,
						    strlen(text) + 1),
				 0);
	}
}

START_TEST(t_mmapbatch_v2_rules)
{
	int fd = xopen("/dev/xen/privcmd");
	xen_pfn_t gfns[4] = {0x100, 0x101, 0x102, 0x103};
	int err[4] = {7, 7, 7, 7};
	struct privcmd_mmapbatch_v2 m = {.num = 2, .dom = GUEST, .arr = gfns, .err = err};
	char *va, buf[32];

	fill_guest(0x100, 4);
	va = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	/* Not a privcmd VMA. */
	m.addr = (uint64_t)(uintptr_t)&m;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* The first use must cover the whole VMA. */
	m.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	m.num = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Frame 0x102 is paged out once: ENOENT for it, the rest mapped. */
	ck_assert_int_eq(xensim_guest_page_out(GUEST, 0x102, 1), 0);
	m.num = 4;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(err[0], 0);
	ck_assert_int_eq(err[1], 0);
	ck_assert_int_eq(err[2], -ENOENT);
	ck_assert_int_eq(err[3], 0);
	ck_assert_str_eq(va, "guest page 256");
	ck_assert_str_eq(va + 3 * PAGE, "guest page 259");
	/* Shared memory with the guest, both ways. */
	strcpy(va + PAGE + 100, "from dom0");
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x101 * PAGE + 100, buf, 10), 0);
	ck_assert_str_eq(buf, "from dom0");
	/* Later uses only fill holes. */
	m.num = 1;
	m.arr = &gfns[2];
	m.err = &err[2];
	m.addr = (uint64_t)(uintptr_t)(va + PAGE);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	m.addr = (uint64_t)(uintptr_t)(va + 2 * PAGE);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), 0);
	ck_assert_int_eq(err[2], 0);
	ck_assert_str_eq(va + 2 * PAGE, "guest page 258");
	/* Gone after munmap. */
	ck_assert_int_eq(munmap(va, 4 * PAGE), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
}
END_TEST

START_TEST(t_privcmd_vma_split)
{
	int fd = xopen("/dev/xen/privcmd");
	xen_pfn_t gfns[4] = {0x110, 0x111, 0x112, 0x113};
	int err[4];
	struct privcmd_mmapbatch_v2 m = {.num = 4, .dom = GUEST, .arr = gfns, .err = err};
	char *va, *fixed;

	fill_guest(0x110, 4);
	va = mmap(NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	m.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(xensim_guest_page_out(GUEST, 0x113, 1), 0);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(err[3], -ENOENT);
	/* Punch out page 1: the VMA splits in two. */
	ck_assert_int_eq(munmap(va + PAGE, PAGE), 0);
	m.num = 1;
	m.arr = &gfns[1];
	m.err = &err[1];
	m.addr = (uint64_t)(uintptr_t)(va + PAGE);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* The tail keeps what it knew: page 2 mapped, page 3 a hole. */
	m.arr = &gfns[2];
	m.err = &err[2];
	m.addr = (uint64_t)(uintptr_t)(va + 2 * PAGE);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	m.arr = &gfns[3];
	m.err = &err[3];
	m.addr = (uint64_t)(uintptr_t)(va + 3 * PAGE);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), 0);
	ck_assert_str_eq(va + 3 * PAGE, "guest page 275");
	ck_assert_str_eq(va, "guest page 272");
	/* An ordinary MAP_FIXED mapping over page 0 replaces it. */
	fixed = mmap(va, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ck_assert_ptr_eq(fixed, va);
	m.arr = &gfns[0];
	m.err = &err[0];
	m.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	munmap(va, 4 * PAGE);
	close(fd);
}
END_TEST

struct map_thread {
	int fd, id, errors;
};

static void *map_worker(void *arg)
{
	struct map_thread *t = arg;
	int r;

	for (r = 0; r < 100; r++) {
		xen_pfn_t gfn = 0x120 + (xen_pfn_t)t->id;
		int err = 1;
		struct privcmd_mmapbatch_v2 m = {
			.num = 1, .dom = GUEST, .arr = &gfn, .err = &err};
		char want[32];
		char *va = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, t->fd, 0);

		if (va == MAP_FAILED) {
			t->errors++;
			continue;
		}
		m.addr = (uint64_t)(uintptr_t)va;
		snprintf(want, sizeof(want), "guest page %d", 0x120 + t->id);
		if (ioctl(t->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m) != 0 || err ||
		    strcmp(va, want))
			t->errors++;
		if (munmap(va, PAGE))
			t->errors++;
	}
	return NULL;
}

/* mmap/MMAPBATCH/munmap from several threads at once: the VMA table must
 * never lose a fresh VMA to another thread's munmap of the same address. */
START_TEST(t_threads_map_unmap)
{
	struct map_thread t[4];
	pthread_t th[4];
	int fd = xopen("/dev/xen/privcmd"), i;

	fill_guest(0x120, 4);
	for (i = 0; i < 4; i++) {
		t[i].fd = fd;
		t[i].id = i;
		t[i].errors = 0;
		ck_assert_int_eq(pthread_create(&th[i], NULL, map_worker, &t[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
		ck_assert_int_eq(t[i].errors, 0);
	}
	close(fd);
}
END_TEST

START_TEST(t_mmapbatch_v1_errors)
{
	int fd = xopen("/dev/xen/privcmd");
	xen_pfn_t gfns[3] = {0x200, 0x201, 0x202};
	struct privcmd_mmapbatch m = {.num = 3, .dom = GUEST, .arr = gfns};
	char *va;
	int rc;

	fill_guest(0x200, 3);
	ck_assert_int_eq(xensim_guest_frame_error(GUEST, 0x201, EFAULT), 0);
	va = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	m.addr = (uint64_t)(uintptr_t)va;
	rc = ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH, &m);
	/* Not ENOENT: the ioctl succeeds, the error is in the frame list. */
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(gfns[0], 0x200);
	ck_assert_uint_eq(gfns[1], 0x201 | PRIVCMD_MMAPBATCH_MFN_ERROR);
	ck_assert_uint_eq(gfns[2], 0x202);
	ck_assert_str_eq(va, "guest page 512");
	ck_assert_str_eq(va + 2 * PAGE, "guest page 514");
	ck_assert_int_eq(munmap(va, 3 * PAGE), 0);

	/* Paged out: ENOENT and the paged-out nibble. */
	ck_assert_int_eq(xensim_guest_page_out(GUEST, 0x200, 1), 0);
	gfns[0] = 0x200;
	va = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	m.addr = (uint64_t)(uintptr_t)va;
	m.num = 1;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH, &m), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(gfns[0], 0x200 | PRIVCMD_MMAPBATCH_PAGED_ERROR);
	munmap(va, PAGE);
	close(fd);
}
END_TEST

START_TEST(t_privcmd_vma_not_inherited)
{
	if (skip_under_emulator("t_privcmd_vma_not_inherited", EMU_NO_DONTFORK))
		return;
	int fd = xopen("/dev/xen/privcmd"), status;
	xen_pfn_t gfn = 0x300;
	int err = 1;
	struct privcmd_mmapbatch_v2 m = {
		.num = 1, .dom = GUEST, .arr = &gfn, .err = &err};
	char *va;
	pid_t pid;

	fill_guest(0x300, 1);
	va = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	m.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), 0);
	ck_assert_str_eq(va, "guest page 768");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* VM_DONTCOPY: the range is not mapped in the child. */
		unsigned char vec;

		_exit(mincore(va, PAGE, &vec) == -1 && errno == ENOMEM ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	munmap(va, PAGE);
	close(fd);
}
END_TEST

/* Needs the daemon's grant tables (sim-gnttab.c, daemon-evtchn part). */
START_TEST(t_mmap_resource)
{
	int fd = xopen("/dev/xen/privcmd");
	struct privcmd_mmap_resource r = {
		.dom = GUEST,
		.type = XENMEM_resource_grant_table,
		.id = XENMEM_resource_grant_table_id_shared,
	};
	grant_entry_v1_t *gt;
	uint32_t ref;
	void *va;

	if (!have_grants())
		return;

	/* Size query. */
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	ck_assert_uint_eq(r.num, 32);
	/* addr and num: both or neither. */
	r.num = 1;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Needs a privcmd VMA. */
	r.addr = (uint64_t)(uintptr_t)&r;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* The real grant table frame shows a grant the guest made. */
	ck_assert_int_eq(xensim_guest_grant(GUEST, 0, 0x42, 0, &ref), 0);
	va = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	r.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	gt = va;
	ck_assert_uint_eq(gt[ref].frame, 0x42);
	ck_assert_uint_eq(gt[ref].domid, 0);
	ck_assert(gt[ref].flags & GTF_permit_access);
	munmap(va, PAGE);
	close(fd);
}
END_TEST

START_TEST(t_hypercall_buffers)
{
	int fd = xopen("/dev/xen/hypercall"), i;
	unsigned char *p;

	ck_assert_ptr_eq(mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0),
			 MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	for (i = 0; i < 2 * PAGE; i++)
		ck_assert_uint_eq(p[i], 0);
	p[PAGE + 1] = 0x5a;
	ck_assert_uint_eq(p[PAGE + 1], 0x5a);
	ck_assert_int_eq(munmap(p, 2 * PAGE), 0);
	/* No ioctls at all. */
	setenv("XENSIM_QUIET", "1", 1);
	ck_assert_int_eq(ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, NULL), -1);
	ck_assert_int_eq(errno, ENOTTY);
	close(fd);
}
END_TEST

/* ---- gntdev and gntalloc ------------------------------------------------------ */

/* Needs the daemon's grant tables (sim-gnttab.c, daemon-evtchn part). */
START_TEST(t_gntdev_map)
{
	struct ioctl_gntdev_map_grant_ref m = {.count = 1};
	struct ioctl_gntdev_get_offset_for_vaddr g;
	struct ioctl_gntdev_unmap_grant_ref u;
	struct xensim_grant_info info;
	int fd = xopen("/dev/xen/gntdev");
	uint32_t ref;
	char *va;

	if (!have_grants())
		return;

	fill_guest(0x400, 1);
	ck_assert_int_eq(xensim_guest_grant(GUEST, 0, 0x400, 0, &ref), 0);
	m.refs[0].domid = GUEST;
	m.refs[0].ref = ref;
	m.count = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m), -1);
	ck_assert_int_eq(errno, EINVAL);
	m.count = 1;
	m.index = 12345;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &m), 0);
	ck_assert_uint_eq(m.index, 0); /* first map of a fresh fd */
	/* Writable needs MAP_SHARED. */
	ck_assert_ptr_eq(
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)m.index),
		MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)m.index);
	ck_assert_ptr_ne(va, MAP_FAILED);
	ck_assert_str_eq(va, "guest page 1024");
	strcpy(va + 64, "backend");
	ck_assert_int_eq(xensim_grant_info(GUEST, ref, &info), 0);
	ck_assert_uint_eq(info.frame, 0x400);
	ck_assert_uint_eq(info.mapcount, 1);
	g.vaddr = (uint64_t)(uintptr_t)(va + 100);
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &g), 0);
	ck_assert_uint_eq(g.offset, m.index);
	ck_assert_uint_eq(g.count, 1);
	g.vaddr = (uint64_t)(uintptr_t)&g;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR, &g), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Unmapping: the grant is released once the mapping is gone. */
	u.index = m.index;
	u.count = 1;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u), 0);
	ck_assert_int_eq(munmap(va, PAGE), 0);
	ck_assert_int_eq(xensim_grant_info(GUEST, ref, &info), 0);
	ck_assert_uint_eq(info.mapcount, 0);
	{
		char buf[8];

		ck_assert_int_eq(xensim_guest_read(GUEST, 0x400 * PAGE + 64, buf, 8), 0);
		ck_assert_str_eq(buf, "backend");
	}
	close(fd);
}
END_TEST

/* Needs the daemon's grant tables (sim-gnttab.c, daemon-evtchn part). */
START_TEST(t_gntdev_grant_copy)
{
	struct gntdev_grant_copy_segment seg[2];
	struct ioctl_gntdev_grant_copy op = {.count = 2, .segments = seg};
	int fd = xopen("/dev/xen/gntdev");
	char local[32] = {0}, src[] = "written by dom0";
	uint32_t ref;

	if (!have_grants())
		return;

	fill_guest(0x410, 1);
	ck_assert_int_eq(xensim_guest_grant(GUEST, 0, 0x410, 0, &ref), 0);
	memset(seg, 0, sizeof(seg));
	/* grant -> local */
	seg[0].source.foreign.ref = ref;
	seg[0].source.foreign.domid = GUEST;
	seg[0].source.foreign.offset = 0;
	seg[0].dest.virt = local;
	seg[0].len = 16;
	seg[0].flags = GNTCOPY_source_gref;
	seg[0].status = 99;
	/* local -> grant */
	seg[1].source.virt = src;
	seg[1].dest.foreign.ref = ref;
	seg[1].dest.foreign.domid = GUEST;
	seg[1].dest.foreign.offset = 200;
	seg[1].len = sizeof(src);
	seg[1].flags = GNTCOPY_dest_gref;
	seg[1].status = 99;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, &op), 0);
	ck_assert_int_eq(seg[0].status, GNTST_okay);
	ck_assert_int_eq(seg[1].status, GNTST_okay);
	ck_assert_str_eq(local, "guest page 1040");
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x410 * PAGE + 200, local, sizeof(src)),
			 0);
	ck_assert_str_eq(local, src);
	/* A bad reference fails that segment only. */
	op.count = 1;
	seg[0].source.foreign.ref = 100000;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, &op), 0);
	ck_assert_int_lt(seg[0].status, 0);
	/* Local to local is refused; count 0 is the capability probe. */
	seg[0].flags = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, &op), -1);
	ck_assert_int_eq(errno, EINVAL);
	op.count = 0;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTDEV_GRANT_COPY, &op), 0);
	close(fd);
}
END_TEST

/* Needs the daemon's grant tables (sim-gnttab.c, daemon-evtchn part). */
START_TEST(t_gntalloc)
{
	struct ioctl_gntalloc_alloc_gref a = {
		.domid = GUEST, .flags = GNTALLOC_FLAG_WRITABLE, .count = 1};
	struct ioctl_gntalloc_dealloc_gref d;
	struct xensim_grant_info info;
	int fd = xopen("/dev/xen/gntalloc");
	char *va;

	if (!have_grants())
		return;

	a.gref_ids[0] = 0xffffffff;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTALLOC_ALLOC_GREF, &a), 0);
	ck_assert_uint_ne(a.gref_ids[0], 0xffffffff);
	ck_assert_int_eq(xensim_grant_info(0, a.gref_ids[0], &info), 0);
	ck_assert_uint_eq(info.domid, GUEST);
	/* mmap must be MAP_SHARED. */
	ck_assert_ptr_eq(
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)a.index),
		MAP_FAILED);
	ck_assert_int_eq(errno, EINVAL);
	va = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)a.index);
	ck_assert_ptr_ne(va, MAP_FAILED);
	ck_assert_uint_eq((unsigned char)va[0], 0); /* zeroed */
	strcpy(va, "shared page");
	d.index = a.index;
	d.count = 1;
	ck_assert_int_eq(ioctl(fd, IOCTL_GNTALLOC_DEALLOC_GREF, &d), 0);
	/* Still mapped: still usable. */
	ck_assert_str_eq(va, "shared page");
	ck_assert_int_eq(munmap(va, PAGE), 0);
	close(fd);
}
END_TEST

/* ---- control API ------------------------------------------------------------ */

START_TEST(t_ctl_api)
{
	char reply[256], buf[16];
	uint32_t ref, port;
	struct xensim_grant_info info;
	size_t size = 0;
	char *ram;

	ck_assert_int_eq(xensim_available(), 1);
	ck_assert_int_eq(xensim_command("help", reply, sizeof(reply)), 0);
	ck_assert_int_gt(strlen(reply), 0);
	ck_assert_int_eq(xensim_command("no-such-command", reply, sizeof(reply)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_nonnull(
		strstr(reply, "no-such-command")); /* the daemon's message */

	ck_assert_int_eq(xensim_guest_write(GUEST, 0x5000, "abcdef", 7), 0);
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x5000, buf, 7), 0);
	ck_assert_str_eq(buf, "abcdef");
	ram = xensim_guest_map(GUEST, &size);
	ck_assert_ptr_nonnull(ram);
	ck_assert_uint_eq(size, 64u << 20);
	ck_assert_str_eq(ram + 0x5000, "abcdef");
	munmap(ram, size);
	ck_assert_int_eq(xensim_guest_read(99, 0, buf, 1), -1);
	ck_assert_int_eq(errno, ESRCH);

	/* (grants: needs the daemon's sim-gnttab.c) */
	if (have_grants()) {
		ck_assert_int_eq(xensim_guest_grant(GUEST, 0, 0x77, 1, &ref), 0);
		ck_assert_int_eq(xensim_grant_info(GUEST, ref, &info), 0);
		ck_assert_uint_eq(info.domid, 0);
		ck_assert_uint_eq(info.frame, 0x77);
		ck_assert_uint_eq(info.mapcount, 0);
		ck_assert(info.flags & GTF_readonly);
		ck_assert_int_eq(xensim_guest_ungrant(GUEST, ref), 0);
	}

	if (have_evtchn()) {
		ck_assert_int_eq(xensim_guest_evtchn_alloc_unbound(GUEST, 0, &port), 0);
		ck_assert_uint_gt(port, 0);
		ck_assert_int_eq(xensim_guest_evtchn_pending(GUEST, port, 0), 0);
		ck_assert_int_eq(xensim_guest_evtchn_close(GUEST, port), 0);
	}
	ck_assert_int_eq(xensim_inject("bogus thing", 1, 1, EIO), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_inject_clear(), 0);
}
END_TEST

START_TEST(t_ctl_guest_io)
{
	struct xensim_io io = {
		.space = XENSIM_IO_MMIO, .write = 0, .addr = 0xfed00000, .size = 4};
	uint64_t data = 0;
	int t;

	/* Nobody claims it: reads give all ones. */
	ck_assert_int_eq(xensim_guest_io(GUEST, 0, &io, &data, 1000),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(data, 0xffffffff);
	io.space = XENSIM_IO_PIO;
	io.addr = 0x80;
	io.size = 1;
	io.write = 1;
	io.data = 0x12;
	t = xensim_guest_io_submit(GUEST, 1, &io);
	ck_assert_int_ge(t, 0);
	ck_assert_int_eq(xensim_guest_io_wait(t, &data, -1), XENSIM_IO_UNCLAIMED);
	io.size = 3;
	ck_assert_int_eq(xensim_guest_io(GUEST, 0, &io, NULL, 1000), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(t_ctl_inject_open)
{
	int fd;

	ck_assert_int_eq(xensim_inject("open:/dev/xen/evtchn", 1, 1, EACCES), 0);
	ck_assert_int_eq(open("/dev/xen/evtchn", O_RDWR), -1);
	ck_assert_int_eq(errno, EACCES);
	fd = open("/dev/xen/evtchn", O_RDWR);
	ck_assert_int_ge(fd, 0);
	close(fd);
}
END_TEST

START_TEST(t_reset_detaches)
{
	int fd = xopen("/dev/xen/privcmd");

	ck_assert_int_eq(xensim_reset(NULL), 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL), -1);
	ck_assert_int_eq(errno, ENODEV);
	close(fd);
}
END_TEST

static Suite *shim_suite(void)
{
	Suite *s = suite_create("xensim-shim");
	TCase *tc;

	tc = tcase_create("passthrough");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_passthrough_files);
	tcase_add_test(tc, t_passthrough_without_socket);
	suite_add_tcase(s, tc);

	tc = tcase_create("devices");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, t_devices_open, 0, 6);
	tcase_add_loop_test(tc, t_devices_missing, 0, 6);
	tcase_add_test(tc, t_old_kernel_no_hypercall_dev);
	tcase_add_test(tc, t_unknown_path);
	tcase_add_test(tc, t_sysfs);
	tcase_add_loop_test(tc, t_unknown_ioctl, 0, 6);
	tcase_add_test(tc, t_unimplemented_probe);
	tcase_add_test(tc, t_old_privcmd_einval);
	suite_add_tcase(s, tc);

	tc = tcase_create("hypercall");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_hypercall_xen_version);
	tcase_add_test(tc, t_hypercall_version_scenario);
	tcase_add_loop_test(tc, t_efault, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("dm");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_dm_op_ioctl);
	tcase_add_test(tc, t_dm_op_hypercall);
	tcase_add_test(tc, t_restrict);
	tcase_add_test(tc, t_irqfd);
	tcase_add_test(tc, t_irqfd_linux66);
	tcase_add_test(tc, t_pcidev_get_gsi);
	tcase_add_test(tc, t_irqfd_old_kernel);
	tcase_add_test(tc, t_ioeventfd);
	tcase_add_test(tc, t_ctl_inspection);
	tcase_add_test(tc, t_threads_share_fd);
	tcase_add_test(tc, t_hypercall_buffers_fork);
	suite_add_tcase(s, tc);

	tc = tcase_create("fd");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_fd_dup_and_neuter);
	tcase_add_test(tc, t_fd_fork);
	tcase_add_test(tc, t_fd_exec_inherited);
	tcase_add_test(tc, t_evtchn_nonblock_and_poll);
	tcase_add_test(tc, t_evtchn_blocking_read);
	tcase_add_test(tc, t_evtchn_read_eintr);
	tcase_add_test(tc, t_read_write_other_devices);
	tcase_add_test(tc, t_reset_detaches);
	suite_add_tcase(s, tc);

	tc = tcase_create("vma");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_mmapbatch_v2_rules);
	tcase_add_test(tc, t_privcmd_vma_split);
	tcase_add_test(tc, t_threads_map_unmap);
	tcase_add_test(tc, t_mmapbatch_v1_errors);
	tcase_add_test(tc, t_privcmd_vma_not_inherited);
	tcase_add_test(tc, t_mmap_resource);
	tcase_add_test(tc, t_hypercall_buffers);
	tcase_add_test(tc, t_gntdev_map);
	tcase_add_test(tc, t_gntdev_grant_copy);
	tcase_add_test(tc, t_gntalloc);
	suite_add_tcase(s, tc);

	tc = tcase_create("control");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_ctl_api);
	tcase_add_test(tc, t_ctl_guest_io);
	tcase_add_test(tc, t_ctl_inject_open);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--inherited"))
		return inherited_child(atoi(argv[2]));
	self_path = argv[0];
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr,
			"test-xensim-shim: needs a simulator (run under xensim)\n");
		return 77;
	}
	sr = srunner_create(shim_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
