/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Tests of the xensim daemon (core, machine, control, privcmd), spoken to
 * directly over its wire protocol (xensim/protocol.h) so that they check
 * exactly what the daemon answers. Runs under `xensim --no-preload --`.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/version.h>

#include "protocol.h"
#include "wire.h"

/* ---- helpers ------------------------------------------------------------- */

static int sock_connect(void)
{
	const char *path = getenv(XENSIM_ENV_SOCKET);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	ck_assert_msg(path != NULL, "XENSIM_SOCKET not set");
	ck_assert(strlen(path) < sizeof(sa.sun_path));
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static int64_t call(int fd, uint32_t type, const void *p, size_t len, struct xsw_msg *rep)
{
	struct iovec iov = {.iov_base = (void *)p, .iov_len = len};
	struct xsw_msg local;
	int64_t ret;

	ret = xsw_call(fd, type, &iov, len ? 1 : 0, NULL, 0, rep ? rep : &local);
	if (!rep)
		xsw_msg_free(&local);
	return ret;
}

/* Open a device: returns the socket, or -errno from HELLO. */
static int dev_open(enum xsp_device dev)
{
	struct xsp_hello h = {.version = XSP_VERSION, .device = dev, .pid = getpid()};
	int fd = sock_connect();
	int64_t ret;

	snprintf(h.comm, sizeof(h.comm), "test-xensim");
	ret = call(fd, XSP_HELLO, &h, sizeof(h), NULL);
	if (ret < 0) {
		close(fd);
		return (int)ret;
	}
	return fd;
}

/* A control command; the text answer (NUL-terminated) in @out. */
static int64_t ctl(const char *cmd, char *out, size_t outlen)
{
	struct xsw_msg rep;
	const unsigned char *d;
	size_t dlen;
	int64_t ret;
	int fd = dev_open(XSP_DEV_CONTROL);

	ck_assert_int_ge(fd, 0);
	ret = call(fd, XSP_CONTROL_COMMAND, cmd, strlen(cmd), &rep);
	d = xsw_reply_data(&rep, &dlen);
	if (out) {
		size_t n = dlen < outlen - 1 ? dlen : outlen - 1;

		if (n)
			memcpy(out, d, n);
		out[n] = '\0';
	}
	xsw_msg_free(&rep);
	close(fd);
	return ret;
}

static void reset(const char *scenario)
{
	char cmd[4096], out[512];
	int64_t ret;

	snprintf(cmd, sizeof(cmd), "reset %s", scenario ? scenario : "");
	ret = ctl(cmd, out, sizeof(out));
	ck_assert_msg(ret == 0, "reset failed: %s", out);
}

/* xen_version sub-op @cmd with one OUT buffer of @size bytes (or none). */
static int64_t xen_version(int fd, unsigned int cmd, void *buf, size_t size)
{
	struct {
		struct xsp_hypercall h;
		struct xsp_buf b;
		unsigned char data[1024 + 64];
	} rq;
	struct xsw_msg rep;
	const unsigned char *d;
	size_t dlen, len = sizeof(rq.h);
	int64_t ret;

	memset(&rq, 0, sizeof(rq));
	rq.h.op = __HYPERVISOR_xen_version;
	rq.h.arg[0] = cmd;
	if (buf) {
		ck_assert(size <= sizeof(rq.data));
		rq.h.arg[1] = 0x1000; /* any non-NULL caller address */
		rq.h.nbufs = 1;
		rq.b.index = 0;
		rq.b.flags = XSP_BUF_IN | XSP_BUF_OUT;
		rq.b.size = size;
		memcpy(rq.data, buf, size);
		len = sizeof(rq.h) + sizeof(rq.b) + size;
	}
	ret = call(fd, XSP_PRIVCMD_HYPERCALL, &rq, len, &rep);
	d = xsw_reply_data(&rep, &dlen);
	if (ret >= 0)
		ck_assert_uint_ge(dlen, 4);
	if (buf && dlen >= 4) {
		uint32_t n;
		struct xsp_buf b;

		memcpy(&n, d, 4);
		if (n == 1) {
			ck_assert_uint_ge(dlen, 4 + sizeof(b));
			memcpy(&b, d + 4, sizeof(b));
			ck_assert_uint_eq(b.index, 0);
			ck_assert_uint_eq(b.size, size);
			ck_assert_uint_ge(dlen, 4 + sizeof(b) + size);
			memcpy(buf, d + 4 + sizeof(b), size);
		}
	}
	xsw_msg_free(&rep);
	return ret;
}

static int64_t raw_hypercall(int fd, uint64_t op)
{
	struct xsp_hypercall h = {.op = op};

	return call(fd, XSP_PRIVCMD_HYPERCALL, &h, sizeof(h), NULL);
}

struct batch {
	int64_t ret;
	int32_t err[64];
	uint32_t nframes;
	struct xsp_frame frames[64];
	int fds[XSP_MAX_FDS];
	int nfds;
};

static void mmapbatch(int fd, unsigned int dom, unsigned int version,
		      const uint64_t *gfns, unsigned int num, struct batch *out)
{
	struct {
		struct xsp_mmapbatch mb;
		uint64_t gfn[64];
	} rq;
	struct xsw_msg rep;
	const unsigned char *d;
	size_t dlen;

	ck_assert_uint_le(num, 64);
	memset(&rq, 0, sizeof(rq));
	memset(out, 0, sizeof(*out));
	rq.mb.dom = dom;
	rq.mb.num = num;
	rq.mb.version = version;
	rq.mb.prot = PROT_READ | PROT_WRITE;
	memcpy(rq.gfn, gfns, num * sizeof(uint64_t));
	out->ret = call(fd, XSP_PRIVCMD_MMAPBATCH, &rq, sizeof(rq.mb) + num * 8, &rep);
	d = xsw_reply_data(&rep, &dlen);
	if (out->ret == 0 || out->ret == -ENOENT) {
		struct xsp_frames fr;

		ck_assert_uint_ge(dlen, num * 4 + sizeof(fr));
		memcpy(out->err, d, num * 4);
		memcpy(&fr, d + num * 4, sizeof(fr));
		out->nframes = fr.nframes;
		ck_assert_uint_le(fr.nframes, 64);
		ck_assert_uint_eq(dlen, num * 4 + sizeof(fr) +
						fr.nframes * sizeof(struct xsp_frame));
		memcpy(out->frames, d + num * 4 + sizeof(fr),
		       fr.nframes * sizeof(struct xsp_frame));
		ck_assert_int_eq((int)fr.nfds, rep.nfds);
	}
	out->nfds = rep.nfds;
	memcpy(out->fds, rep.fds, sizeof(out->fds));
	for (int i = 0; i < rep.nfds; i++)
		rep.fds[i] = -1; /* kept by the caller */
	xsw_msg_free(&rep);
}

static void batch_close(struct batch *b)
{
	for (int i = 0; i < b->nfds; i++)
		close(b->fds[i]);
	b->nfds = 0;
}

static int64_t do_restrict(int fd, uint32_t domid)
{
	struct xsp_restrict r = {.domid = domid};

	return call(fd, XSP_PRIVCMD_RESTRICT, &r, sizeof(r), NULL);
}

static int64_t resource_size(int fd, unsigned int dom, unsigned int type, unsigned int id,
			     uint64_t *size)
{
	struct xsp_mmap_resource mr = {.dom = dom, .type = type, .id = id};
	struct xsw_msg rep;
	const unsigned char *d;
	size_t dlen;
	int64_t ret;

	ret = call(fd, XSP_PRIVCMD_MMAP_RESOURCE, &mr, sizeof(mr), &rep);
	d = xsw_reply_data(&rep, &dlen);
	if (ret == 0) {
		ck_assert_uint_eq(dlen, 8);
		memcpy(size, d, 8);
	}
	xsw_msg_free(&rep);
	return ret;
}

/* DM_OP with @n buffers of @size bytes each (contents zero). */
static int64_t dm_op(int fd, unsigned int dom, unsigned int n, size_t size)
{
	size_t len = sizeof(struct xsp_dm_op) + n * (sizeof(struct xsp_buf) + size);
	unsigned char *p = calloc(1, len), *q;
	struct xsp_dm_op op = {.dom = dom, .nbufs = n};
	int64_t ret;

	ck_assert_ptr_nonnull(p);
	memcpy(p, &op, sizeof(op));
	q = p + sizeof(op);
	for (unsigned int i = 0; i < n; i++) {
		struct xsp_buf b = {
			.index = i, .flags = XSP_BUF_IN | XSP_BUF_OUT, .size = size};

		memcpy(q, &b, sizeof(b));
		q += sizeof(b) + size;
	}
	ret = call(fd, XSP_PRIVCMD_DM_OP, p, len, NULL);
	free(p);
	return ret;
}

static int64_t unknown_ioctl(int fd, enum xsp_device dev, uint64_t cmd)
{
	struct xsp_unknown_ioctl u = {.device = dev, .cmd = cmd};

	return call(fd, XSP_UNKNOWN_IOCTL, &u, sizeof(u), NULL);
}

/* ---- launcher environment ------------------------------------------------ */

START_TEST(test_environment)
{
	const char *path = getenv(XENSIM_ENV_SOCKET);
	char out[256];

	ck_assert_ptr_nonnull(path);
	ck_assert_ptr_nonnull(strstr(path, "xensim-"));
	reset(NULL);
	ck_assert_int_eq(ctl("show machine", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xen 4.17.0-xensim\nkernel linux-6.12\n");
}
END_TEST

/* ---- scenarios ------------------------------------------------------------ */

START_TEST(test_scenario_default)
{
	char out[512];

	reset(NULL);
	ck_assert_int_eq(ctl("show domains", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "0 Domain-0 type=pv vcpus=2 pages=4096 grant-frames=32\n"
			      "1 guest1 type=hvm vcpus=2 pages=16384 grant-frames=32\n");
}
END_TEST

START_TEST(test_scenario_good)
{
	char out[512], extra[16] = {0};
	int fd;

	reset("# a comment\n"
	      "xen 4.13 .5-test   # trailing comment\n"
	      "kernel linux-6.1-irqfd\n"
	      "\n"
	      "domain 2 type=pv vcpus=3 memory=8M name=backend\n"
	      "domain 7 type=pvh memory=512K grant-frames=4\n"
	      "domain 0 memory=1M\n");
	ck_assert_int_eq(ctl("show domains", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "0 Domain-0 type=pv vcpus=2 pages=256 grant-frames=32\n"
			      "2 backend type=pv vcpus=3 pages=2048 grant-frames=32\n"
			      "7 guest7 type=pvh vcpus=1 pages=128 grant-frames=4\n");
	ck_assert_int_eq(ctl("show machine", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xen 4.13.5-test\nkernel linux-6.1-irqfd\n");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), (4 << 16) | 13);
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, extra, sizeof(extra)), 0);
	ck_assert_str_eq(extra, ".5-test");
	close(fd);
}
END_TEST

static const char *const bad_scenarios[] = {
	"domain 1 type=foo",
	"domain 1 vcpus=0",
	"domain 1 vcpus=9",
	"domain 1 memory=0",
	"domain 1 memory=12345B",
	"domain 1 memory=lots",
	"domain 1 colour=blue",
	"domain 1 type",
	"domain 32752",
	"domain x",
	"domain 1\ndomain 1",
	"xen four",
	"xen 4.17 .0-a-very-long-extraversion",
	"kernel linux-9.9",
	"kernel linux-6.1+wings",
	"frobnicate 1",
	"page-out 5 0 1",
	"domain 1 memory=4K\npage-out 1 1 1",
	"frame-error 1 0 ENOTANERRNO",
	"pci-gsi 0000:00:40.0 5",
};

START_TEST(test_scenario_bad)
{
	char cmd[256], out[512];

	reset(NULL);
	snprintf(cmd, sizeof(cmd), "reset %s", bad_scenarios[_i]);
	ck_assert_int_eq(ctl(cmd, out, sizeof(out)), -EINVAL);
	ck_assert_msg(strstr(out, "scenario") != NULL, "no message for '%s': '%s'",
		      bad_scenarios[_i], out);
	/* the old machine is kept */
	ck_assert_int_eq(ctl("show machine", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xen 4.17.0-xensim\nkernel linux-6.12\n");
}
END_TEST

START_TEST(test_scenario_line_number)
{
	char out[512];

	ck_assert_int_eq(
		ctl("reset xen 4.17\n\n# x\ndomain 1 type=bad", out, sizeof(out)),
		-EINVAL);
	ck_assert_ptr_nonnull(strstr(out, "line 4"));
}
END_TEST

/* ---- personalities ---------------------------------------------------------- */

START_TEST(test_personality_devices)
{
	int fd;

	reset("kernel linux-6.12");
	fd = dev_open(XSP_DEV_HYPERCALL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	reset("kernel linux-4.14");
	ck_assert_int_eq(dev_open(XSP_DEV_HYPERCALL), -ENOENT);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	close(fd);
	reset("kernel linux-6.12-privcmd-gntalloc");
	ck_assert_int_eq(dev_open(XSP_DEV_PRIVCMD), -ENOENT);
	ck_assert_int_eq(dev_open(XSP_DEV_GNTALLOC), -ENOENT);
	fd = dev_open(XSP_DEV_PRIVCMD_PROC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	reset("kernel -proc-privcmd");
	ck_assert_int_eq(dev_open(XSP_DEV_PRIVCMD_PROC), -ENOENT);
}
END_TEST

START_TEST(test_personality_ioctls)
{
	uint64_t gfn = 0, size;
	struct batch b;
	int fd;

	reset("kernel linux-4.14");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(resource_size(fd, 1, XENMEM_resource_grant_table, 0, &size),
			 -ENOTTY);
	close(fd);

	reset("kernel linux-4.4");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(dm_op(fd, 1, 1, 32), -ENOTTY);
	ck_assert_int_eq(do_restrict(fd, 1), -ENOTTY);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, 0);
	batch_close(&b);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_PRIVCMD, 0x50ff), -ENOTTY);
	close(fd);

	reset("kernel linux-3.2");
	fd = dev_open(XSP_DEV_PRIVCMD);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, -EINVAL);
	mmapbatch(fd, 1, 1, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, 0);
	ck_assert_uint_eq(b.nframes, 1);
	batch_close(&b);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_PRIVCMD, 0x50ff), -EINVAL);
	ck_assert_int_eq(do_restrict(fd, 1), -EINVAL);
	close(fd);

	reset("kernel linux-6.1-resource-size");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(resource_size(fd, 1, XENMEM_resource_grant_table, 0, &size),
			 -EINVAL);
	close(fd);
}
END_TEST

START_TEST(test_personality_domu)
{
	char out[64];
	uint64_t gfn = 0;
	struct batch b;
	int fd;

	reset("kernel linux-6.12+domu\ndomu-target 1\ndomain 1\ndomain 2");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -EPERM);
	mmapbatch(fd, 2, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, -EPERM);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, 0);
	batch_close(&b);
	ck_assert_int_eq(do_restrict(fd, 2), -EINVAL);
	ck_assert_int_eq(do_restrict(fd, 1), 0);
	close(fd);

	/* no xenstore target: restricted to DOMID_IDLE, everything fails */
	reset("kernel linux-6.12+domu");
	fd = dev_open(XSP_DEV_PRIVCMD);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, -EPERM);
	close(fd);
	ck_assert_int_eq(ctl("show connections", out, sizeof(out)), 0);
}
END_TEST

/* ---- xen_version ------------------------------------------------------------ */

START_TEST(test_xen_version)
{
	char caps[1024], chg[64], cmdline[1024];
	xen_compile_info_t ci;
	xen_feature_info_t fi = {.submap_idx = 0};
	xen_platform_parameters_t pp;
	xen_domain_handle_t handle;
	struct {
		uint32_t len;
		unsigned char buf[32];
	} bid;
	int fd;

	memset(&ci, 0, sizeof(ci));
	memset(&pp, 0, sizeof(pp));
	memset(&bid, 0, sizeof(bid));
	memset(chg, 0, sizeof(chg));
	memset(cmdline, 0, sizeof(cmdline));
	reset("xen-features 0x1234\ncommandline dom0_mem=1G console=com1\n");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), 0x40011);
	ck_assert_int_eq(xen_version(fd, XENVER_pagesize, NULL, 0), 4096);
	memset(caps, 'x', sizeof(caps));
	ck_assert_int_eq(xen_version(fd, XENVER_capabilities, caps, sizeof(caps)), 0);
	ck_assert_ptr_nonnull(strstr(caps, "xen-3.0-"));
	ck_assert_int_eq(xen_version(fd, XENVER_changeset, chg, sizeof(chg)), 0);
	ck_assert_str_eq(chg, "unavailable");
	ck_assert_int_eq(xen_version(fd, XENVER_commandline, cmdline, sizeof(cmdline)),
			 0);
	ck_assert_str_eq(cmdline, "dom0_mem=1G console=com1");
	ck_assert_int_eq(xen_version(fd, XENVER_compile_info, &ci, sizeof(ci)), 0);
	ck_assert_str_eq(ci.compile_by, "xensim");
	ck_assert_int_eq(xen_version(fd, XENVER_get_features, &fi, sizeof(fi)), 0);
	ck_assert_uint_eq(fi.submap, 0x1234);
	fi.submap_idx = 1;
	ck_assert_int_eq(xen_version(fd, XENVER_get_features, &fi, sizeof(fi)), -EINVAL);
	ck_assert_int_eq(xen_version(fd, XENVER_platform_parameters, &pp, sizeof(pp)), 0);
	memset(handle, 0xff, sizeof(handle));
	ck_assert_int_eq(xen_version(fd, XENVER_guest_handle, handle, sizeof(handle)), 0);
	ck_assert_uint_eq(handle[0] | handle[15], 0);
	bid.len = 4;
	ck_assert_int_eq(xen_version(fd, XENVER_build_id, &bid, 8), -ENOBUFS);
	bid.len = 32;
	ck_assert_int_eq(xen_version(fd, XENVER_build_id, &bid, sizeof(bid)), 20);
	ck_assert_int_eq(xen_version(fd, 99, NULL, 0), -ENOSYS);
	/* buffers that do not match the hypercall's description */
	ck_assert_int_eq(xen_version(fd, XENVER_extraversion, NULL, 0), -EPROTO);
	close(fd);
}
END_TEST

START_TEST(test_hypercall_unknown)
{
	char out[8192];
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(raw_hypercall(fd, __HYPERVISOR_sysctl), -ENOSYS);
	ck_assert_int_eq(ctl("show log", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "hypercall 35 "));
	close(fd);
}
END_TEST

START_TEST(test_memory_op_size)
{
	struct {
		struct xsp_hypercall h;
		struct xsp_buf b;
		xen_mem_acquire_resource_t ar;
	} rq;
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	memset(&rq, 0, sizeof(rq));
	rq.h.op = __HYPERVISOR_memory_op;
	rq.h.arg[0] = XENMEM_acquire_resource;
	rq.h.arg[1] = 0x2000;
	rq.h.nbufs = 1;
	rq.b.flags = XSP_BUF_IN | XSP_BUF_OUT;
	rq.b.size = sizeof(rq.ar);
	rq.ar.domid = 9;
	rq.ar.type = XENMEM_resource_grant_table;
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &rq, sizeof(rq), NULL), -ESRCH);
	rq.ar.domid = 1;
	rq.ar.type = 7;
	/* Xen 4.17 stores the -EOPNOTSUPP in nr_frames and succeeds */
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &rq, sizeof(rq), NULL), 0);
	rq.ar.pad = 1;
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &rq, sizeof(rq), NULL), -EINVAL);
	{
		struct {
			struct xsp_hypercall h;
			struct xsp_buf b;
			uint16_t dom;
		} q;

		memset(&q, 0, sizeof(q));
		q.h.op = __HYPERVISOR_memory_op;
		q.h.arg[0] = XENMEM_current_reservation;
		q.h.arg[1] = 0x3000;
		q.h.nbufs = 1;
		q.b.flags = XSP_BUF_IN;
		q.b.size = 2;
		q.dom = 1;
		ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &q, sizeof(q), NULL),
				 16384);
		q.h.arg[0] = XENMEM_maximum_gpfn;
		ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &q, sizeof(q), NULL),
				 16383);
		q.dom = 0x7FF0; /* DOMID_SELF: dom0, 16 MiB */
		ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &q, sizeof(q), NULL),
				 4095);
		q.dom = 77;
		ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &q, sizeof(q), NULL),
				 -ESRCH);
		q.h.arg[0] = XENMEM_exchange;
		q.h.nbufs = 0;
		ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &q.h, sizeof(q.h), NULL),
				 -ENOSYS);
	}
	close(fd);
}
END_TEST

/* ---- MMAPBATCH and guest memory --------------------------------------------- */

START_TEST(test_mmapbatch_errors)
{
	uint64_t gfns[6] = {0, 1, 0x100000, 3, 4, 5};
	char out[64];
	struct batch b;
	int fd;

	reset(NULL);
	ck_assert_int_eq(ctl("page-out 1 3 2", out, sizeof(out)), 0);
	ck_assert_int_eq(ctl("frame-error 1 4 EFAULT", out, sizeof(out)), 0);
	ck_assert_int_eq(ctl("page-out 1 0x100000 1", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("page-out 9 0 1", out, sizeof(out)), -ESRCH);
	fd = dev_open(XSP_DEV_PRIVCMD);

	mmapbatch(fd, 1, 2, gfns, 6, &b);
	ck_assert_int_eq(b.ret, -ENOENT);
	ck_assert_int_eq(b.err[0], 0);
	ck_assert_int_eq(b.err[1], 0);
	ck_assert_int_eq(b.err[2], -EINVAL);
	ck_assert_int_eq(b.err[3], -ENOENT);
	ck_assert_int_eq(b.err[4], -EFAULT);
	ck_assert_int_eq(b.err[5], 0);
	ck_assert_uint_eq(b.nframes, 3);
	ck_assert_uint_eq(b.frames[0].offset, 0);
	ck_assert_uint_eq(b.frames[1].offset, 4096);
	ck_assert_uint_eq(b.frames[2].offset, 5 * 4096);
	ck_assert_int_eq(b.nfds, 1);
	batch_close(&b);

	/* paged out for two attempts, then back */
	mmapbatch(fd, 1, 2, &gfns[3], 1, &b);
	ck_assert_int_eq(b.ret, -ENOENT);
	ck_assert_uint_eq(b.nframes, 0);
	mmapbatch(fd, 1, 2, &gfns[3], 1, &b);
	ck_assert_int_eq(b.ret, 0);
	ck_assert_int_eq(b.err[0], 0);
	ck_assert_uint_eq(b.nframes, 1);
	batch_close(&b);

	/* V1 answers the same way (the shim encodes the top nibble) */
	ck_assert_int_eq(ctl("page-out 1 3 1", out, sizeof(out)), 0);
	mmapbatch(fd, 1, 1, gfns, 6, &b);
	ck_assert_int_eq(b.ret, -ENOENT);
	ck_assert_int_eq(b.err[3], -ENOENT);
	ck_assert_int_eq(b.err[4], -EFAULT);
	batch_close(&b);

	/* cleared frame error */
	ck_assert_int_eq(ctl("frame-error 1 4 0", out, sizeof(out)), 0);
	mmapbatch(fd, 1, 2, &gfns[4], 1, &b);
	ck_assert_int_eq(b.ret, 0);
	ck_assert_int_eq(b.err[0], 0);
	batch_close(&b);

	/* unknown domain: every frame ESRCH, the ioctl itself succeeds */
	mmapbatch(fd, 42, 2, gfns, 2, &b);
	ck_assert_int_eq(b.ret, 0);
	ck_assert_int_eq(b.err[0], -ESRCH);
	ck_assert_int_eq(b.err[1], -ESRCH);
	ck_assert_uint_eq(b.nframes, 0);

	/* num == 0 */
	mmapbatch(fd, 1, 2, gfns, 0, &b);
	ck_assert_int_eq(b.ret, -EINVAL);
	ck_assert_int_eq(ctl("show foreign-maps 1", out, sizeof(out)), 0);
	ck_assert_str_eq(
		out, "mmapbatch calls=5 frames=8 failed=7\nresource calls=0 frames=0\n");
	close(fd);
}
END_TEST

START_TEST(test_guest_memory_shared)
{
	uint64_t gfns[2] = {16, 17};
	char out[64];
	unsigned char *p;
	struct batch b;
	int fd;

	reset(NULL);
	ck_assert_int_eq(ctl("guest-write 1 0x10ffe 0102a0b0c0", out, sizeof(out)), 0);
	fd = dev_open(XSP_DEV_PRIVCMD);
	mmapbatch(fd, 1, 2, gfns, 2, &b);
	ck_assert_int_eq(b.ret, 0);
	ck_assert_uint_eq(b.nframes, 2);
	ck_assert_int_eq(b.nfds, 1);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED,
		 b.fds[b.frames[0].fd_index], (off_t)b.frames[0].offset);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_uint_eq(b.frames[1].offset, b.frames[0].offset + 4096);
	/* what the guest wrote, across the page boundary */
	ck_assert_uint_eq(p[4094], 0x01);
	ck_assert_uint_eq(p[4095], 0x02);
	ck_assert_uint_eq(p[4096], 0xa0);
	ck_assert_uint_eq(p[4098], 0xc0);
	/* and what we write, the guest sees */
	memcpy(p + 100, "\x11\x22\x33", 3);
	ck_assert_int_eq(ctl("guest-read 1 0x10064 3", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "112233");
	munmap(p, 8192);
	batch_close(&b);
	close(fd);

	ck_assert_int_eq(ctl("guest-read 1 0x3fffffe 4", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("guest-write 1 0 abc", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("guest-write 1 0 zz", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("guest-write 5 0 00", out, sizeof(out)), -ESRCH);
}
END_TEST

START_TEST(test_guest_memfd)
{
	struct xsw_msg rep;
	const char *cmd = "guest-memfd 1";
	const unsigned char *d;
	unsigned char *p;
	size_t dlen;
	char out[64];
	int fd;

	reset("domain 1 memory=1M");
	ck_assert_int_eq(ctl("guest-write 1 0x2000 5a", out, sizeof(out)), 0);
	fd = dev_open(XSP_DEV_CONTROL);
	ck_assert_int_eq(call(fd, XSP_CONTROL_COMMAND, cmd, strlen(cmd), &rep), 0);
	d = xsw_reply_data(&rep, &dlen);
	ck_assert_int_eq((int)dlen, 7);
	ck_assert_int_eq(memcmp(d, "1048576", 7), 0);
	ck_assert_int_eq(rep.nfds, 1);
	p = mmap(NULL, 1 << 20, PROT_READ, MAP_SHARED, rep.fds[0], 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_uint_eq(p[0x2000], 0x5a);
	munmap(p, 1 << 20);
	xsw_msg_free(&rep);
	close(fd);
}
END_TEST

/* ---- MMAP_RESOURCE ---------------------------------------------------------- */

START_TEST(test_mmap_resource_checks)
{
	struct xsp_mmap_resource mr = {.dom = 1, .type = 3, .num = 1};
	uint64_t size = 0;
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	/* Xen 4.17: an unknown type's -EOPNOTSUPP ends up in nr_frames */
	ck_assert_int_eq(resource_size(fd, 1, 3, 0, &size), 0);
	ck_assert_uint_eq(size, (uint32_t)-EOPNOTSUPP);
	ck_assert_int_eq(resource_size(fd, 1, XENMEM_resource_vmtrace_buf, 0, &size),
			 -EINVAL);
	ck_assert_int_eq(resource_size(fd, 9, XENMEM_resource_grant_table, 0, &size),
			 -ESRCH);
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_MMAP_RESOURCE, &mr, sizeof(mr), NULL),
			 -EOPNOTSUPP);
	mr.dom = 9;
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_MMAP_RESOURCE, &mr, sizeof(mr), NULL),
			 -ESRCH);
	ck_assert_int_eq(do_restrict(fd, 2), 0);
	ck_assert_int_eq(resource_size(fd, 1, XENMEM_resource_grant_table, 0, &size),
			 -EPERM);
	close(fd);
}
END_TEST

/* ---- DM_OP ------------------------------------------------------------------ */

START_TEST(test_dm_op_limits)
{
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(dm_op(fd, 1, 0, 0), 0);
	ck_assert_int_eq(dm_op(fd, 1, 17, 8), -E2BIG);
	ck_assert_int_eq(dm_op(fd, 1, 2, 4097), -E2BIG);
	/* within the kernel's limits: the hypervisor answers (not E2BIG) */
	ck_assert_int_ne(dm_op(fd, 1, 2, 4096), -E2BIG);
	ck_assert_int_eq(do_restrict(fd, 2), 0);
	ck_assert_int_eq(dm_op(fd, 1, 1, 32), -EPERM);
	ck_assert_int_eq(dm_op(fd, 1, 17, 8), -EPERM);
	close(fd);
}
END_TEST

/* ---- RESTRICT --------------------------------------------------------------- */

START_TEST(test_restrict)
{
	uint64_t gfn = 0;
	struct batch b;
	int fd, fd2;

	reset("domain 1\ndomain 2");
	fd = dev_open(XSP_DEV_PRIVCMD);
	fd2 = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), 0x40011);
	ck_assert_int_eq(do_restrict(fd, 1), 0);
	ck_assert_int_eq(do_restrict(fd, 1), 0);
	ck_assert_int_eq(do_restrict(fd, 2), -EINVAL);
	ck_assert_int_eq(do_restrict(fd, 0x7FF4), -EINVAL);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -EPERM);
	mmapbatch(fd, 2, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, -EPERM);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, 0);
	batch_close(&b);
	/* only that file is restricted */
	ck_assert_int_eq(xen_version(fd2, XENVER_version, NULL, 0), 0x40011);
	close(fd);
	close(fd2);
}
END_TEST

/* ---- unknown ioctls, wrong device ------------------------------------------ */

START_TEST(test_unknown_ioctl)
{
	struct xsp_hypercall h = {.op = __HYPERVISOR_xen_version};
	char out[8192];
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_PRIVCMD, 0x50ff), -ENOTTY);
	close(fd);
	fd = dev_open(XSP_DEV_HYPERCALL);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_HYPERCALL, 0x5000), -ENOTTY);
	/* a privcmd request on the hypercall device */
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &h, sizeof(h), NULL), -ENOTTY);
	close(fd);
	fd = dev_open(XSP_DEV_EVTCHN);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_EVTCHN, 0x4599), -ENOSYS);
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_HYPERCALL, &h, sizeof(h), NULL), -ENOSYS);
	close(fd);
	fd = dev_open(XSP_DEV_GNTDEV);
	ck_assert_int_eq(unknown_ioctl(fd, XSP_DEV_GNTDEV, 0x4799), -ENOTTY);
	close(fd);
	ck_assert_int_eq(ctl("show log", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "unknown ioctl 0x50ff"));
}
END_TEST

START_TEST(test_ident_and_protocol)
{
	struct xsp_hello h = {.version = 99, .device = XSP_DEV_PRIVCMD};
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_GNTALLOC);
	ck_assert_int_eq(call(fd, XSP_IDENT, NULL, 0, NULL), XSP_DEV_GNTALLOC);
	close(fd);
	fd = sock_connect();
	ck_assert_int_eq(call(fd, XSP_HELLO, &h, sizeof(h), NULL), -EPROTO);
	close(fd);
	fd = sock_connect();
	h.version = XSP_VERSION;
	h.device = 42;
	ck_assert_int_eq(call(fd, XSP_HELLO, &h, sizeof(h), NULL), -EINVAL);
	close(fd);
	/* requests before HELLO */
	fd = sock_connect();
	ck_assert_int_eq(raw_hypercall(fd, __HYPERVISOR_xen_version), -EPROTO);
	close(fd);
}
END_TEST

/* ---- readiness ---------------------------------------------------------------- */

START_TEST(test_privcmd_readable)
{
	struct pollfd p;
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	p.fd = fd;
	p.events = POLLIN;
	/* a misc device without poll is always readable */
	ck_assert_int_eq(poll(&p, 1, 5000), 1);
	ck_assert(p.revents & POLLIN);
	close(fd);
}
END_TEST

/* ---- injection ---------------------------------------------------------------- */

START_TEST(test_inject_open)
{
	char out[256];
	int fd;

	reset(NULL);
	ck_assert_int_eq(ctl("inject open:/dev/xen/privcmd 2 1 EACCES", out, sizeof(out)),
			 0);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(dev_open(XSP_DEV_PRIVCMD), -EACCES);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ctl("inject nothing 1 1 ENOTANERRNO", out, sizeof(out)),
			 -EINVAL);
	ck_assert_int_eq(ctl("inject nothing 1 1", out, sizeof(out)), -EINVAL);
}
END_TEST

START_TEST(test_inject_ops)
{
	uint64_t gfn = 0;
	struct batch b;
	char out[256];
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(ctl("inject hypercall:xen_version 1 0 EIO", out, sizeof(out)),
			 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -EIO);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -EIO);
	ck_assert_int_eq(ctl("inject-clear", out, sizeof(out)), 0);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), 0x40011);
	ck_assert_int_eq(
		ctl("inject ioctl:IOCTL_PRIVCMD_MMAPBATCH* 1 1 ENOMEM", out, sizeof(out)),
		0);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, -ENOMEM);
	mmapbatch(fd, 1, 2, &gfn, 1, &b);
	ck_assert_int_eq(b.ret, 0);
	batch_close(&b);
	/* reset drops injections */
	ck_assert_int_eq(
		ctl("inject ioctl:IOCTL_PRIVCMD_RESTRICT 1 0 EBUSY", out, sizeof(out)),
		0);
	close(fd);
	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(do_restrict(fd, 1), 0);
	close(fd);
}
END_TEST

/* ---- reset ---------------------------------------------------------------------- */

START_TEST(test_reset_detaches)
{
	char out[512];
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), 0x40011);
	reset("xen 4.19");
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -ENODEV);
	ck_assert_int_eq(do_restrict(fd, 1), -ENODEV);
	ck_assert_int_eq(call(fd, XSP_IDENT, NULL, 0, NULL), XSP_DEV_PRIVCMD);
	ck_assert_int_eq(ctl("show connections", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "/dev/xen/privcmd"));
	ck_assert_ptr_nonnull(strstr(out, "state=detached"));
	close(fd);
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), 0x40013);
	/* a reset sent on a device connection: one answer, then detached */
	{
		const char *cmd = "reset xen 4.20";

		ck_assert_int_eq(call(fd, XSP_CONTROL_COMMAND, cmd, strlen(cmd), NULL),
				 0);
		ck_assert_int_eq(xen_version(fd, XENVER_version, NULL, 0), -ENODEV);
		ck_assert_int_eq(call(fd, XSP_IDENT, NULL, 0, NULL), XSP_DEV_PRIVCMD);
	}
	close(fd);
}
END_TEST

/* ---- /dev/xen/hypercall ---------------------------------------------------------- */

START_TEST(test_hypercall_dev_mmap)
{
	struct xsp_bufdev_mmap q = {.pages = 3};
	struct xsp_frames fr;
	struct xsp_frame f[3];
	struct xsw_msg rep;
	const unsigned char *d;
	unsigned char *p;
	size_t dlen;
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_HYPERCALL);
	ck_assert_int_eq(call(fd, XSP_HYPERCALL_MMAP, &q, sizeof(q), &rep), 0);
	d = xsw_reply_data(&rep, &dlen);
	ck_assert_uint_eq(dlen, sizeof(fr) + sizeof(f));
	memcpy(&fr, d, sizeof(fr));
	memcpy(f, d + sizeof(fr), sizeof(f));
	ck_assert_uint_eq(fr.nframes, 3);
	ck_assert_uint_eq(fr.nfds, 1);
	ck_assert_int_eq(rep.nfds, 1);
	ck_assert_uint_eq(f[2].offset, 8192);
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rep.fds[0], 0);
	ck_assert_ptr_ne(p, MAP_FAILED);
	ck_assert_uint_eq(p[0] | p[3 * 4096 - 1], 0);
	munmap(p, 3 * 4096);
	xsw_msg_free(&rep);
	q.pages = 0;
	ck_assert_int_eq(call(fd, XSP_HYPERCALL_MMAP, &q, sizeof(q), NULL), -EINVAL);
	close(fd);
}
END_TEST

/* ---- IRQFD / IOEVENTFD / GSI personality checks ----------------------------------- */

START_TEST(test_eventfd_ioctls)
{
	struct {
		struct xsp_irqfd q;
		unsigned char op[32];
	} irq;
	struct iovec iov = {.iov_base = &irq, .iov_len = sizeof(irq)};
	struct xsw_msg rep;
	int fd, efd[2];

	ck_assert_int_eq(pipe(efd), 0);
	memset(&irq, 0, sizeof(irq));
	irq.q.dom = 1;
	irq.q.size = 32;

	reset("kernel linux-6.1");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(xsw_call(fd, XSP_PRIVCMD_IRQFD, &iov, 1, &efd[0], 1, &rep),
			 -ENOTTY);
	xsw_msg_free(&rep);
	close(fd);

	reset("kernel linux-6.12");
	fd = dev_open(XSP_DEV_PRIVCMD);
	irq.q.abi = 1; /* the 6.6 number on a 6.7+ kernel */
	ck_assert_int_eq(xsw_call(fd, XSP_PRIVCMD_IRQFD, &iov, 1, &efd[0], 1, &rep),
			 -ENOTTY);
	xsw_msg_free(&rep);
	irq.q.abi = 0;
	irq.q.flags = 2;
	ck_assert_int_eq(xsw_call(fd, XSP_PRIVCMD_IRQFD, &iov, 1, &efd[0], 1, &rep),
			 -EINVAL);
	xsw_msg_free(&rep);
	irq.q.flags = 0;
	ck_assert_int_eq(do_restrict(fd, 2), 0);
	ck_assert_int_eq(xsw_call(fd, XSP_PRIVCMD_IRQFD, &iov, 1, &efd[0], 1, &rep),
			 -EPERM);
	xsw_msg_free(&rep);
	close(fd);

	reset("kernel linux-6.6");
	fd = dev_open(XSP_DEV_PRIVCMD);
	irq.q.abi = 0;
	ck_assert_int_eq(xsw_call(fd, XSP_PRIVCMD_IRQFD, &iov, 1, &efd[0], 1, &rep),
			 -ENOTTY);
	xsw_msg_free(&rep);
	{
		struct xsp_ioeventfd io = {.dom = 1, .addr_len = 4, .vcpus = 0};
		struct iovec iov2 = {.iov_base = &io, .iov_len = sizeof(io)};

		ck_assert_int_eq(
			xsw_call(fd, XSP_PRIVCMD_IOEVENTFD, &iov2, 1, &efd[0], 1, &rep),
			-ENOTTY);
		xsw_msg_free(&rep);
		close(fd);
		reset(NULL);
		fd = dev_open(XSP_DEV_PRIVCMD);
		ck_assert_int_eq(
			xsw_call(fd, XSP_PRIVCMD_IOEVENTFD, &iov2, 1, &efd[0], 1, &rep),
			-EINVAL); /* vcpus 0 */
		xsw_msg_free(&rep);
		io.vcpus = 1;
		io.addr_len = 3;
		ck_assert_int_eq(
			xsw_call(fd, XSP_PRIVCMD_IOEVENTFD, &iov2, 1, &efd[0], 1, &rep),
			-EINVAL);
		xsw_msg_free(&rep);
	}
	close(fd);
	close(efd[0]);
	close(efd[1]);
}
END_TEST

START_TEST(test_pcidev_gsi)
{
	struct xsp_pcidev_gsi q = {.sbdf = (3 << 3)};
	struct xsw_msg rep;
	const unsigned char *d;
	uint32_t gsi;
	size_t dlen;
	int fd;

	reset("pci-gsi 0000:00:03.0 20\n");
	fd = dev_open(XSP_DEV_PRIVCMD);
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_PCIDEV_GET_GSI, &q, sizeof(q), &rep), 0);
	d = xsw_reply_data(&rep, &dlen);
	ck_assert_uint_eq(dlen, 4);
	memcpy(&gsi, d, 4);
	ck_assert_uint_eq(gsi, 20);
	xsw_msg_free(&rep);
	/* not restriction-checked */
	ck_assert_int_eq(do_restrict(fd, 5), 0);
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_PCIDEV_GET_GSI, &q, sizeof(q), NULL), 0);
	q.sbdf = 4 << 3;
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_PCIDEV_GET_GSI, &q, sizeof(q), NULL),
			 -ENOENT);
	close(fd);
	reset("kernel linux-6.6\npci-gsi 0000:00:03.0 20\n");
	fd = dev_open(XSP_DEV_PRIVCMD);
	q.sbdf = 3 << 3;
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_PCIDEV_GET_GSI, &q, sizeof(q), NULL),
			 -ENOTTY);
	close(fd);
}
END_TEST

/* ---- sysfs ---------------------------------------------------------------------- */

static int64_t sysfs(const char *path, char *out, size_t outlen)
{
	struct xsw_msg rep;
	const unsigned char *d;
	size_t dlen;
	int64_t ret;
	int fd = sock_connect();

	ret = call(fd, XSP_SYSFS_READ, path, strlen(path), &rep);
	d = xsw_reply_data(&rep, &dlen);
	ck_assert_uint_lt(dlen, outlen);
	if (dlen)
		memcpy(out, d, dlen);
	out[dlen] = '\0';
	if (ret >= 0)
		ck_assert_int_eq(ret, (int64_t)dlen);
	xsw_msg_free(&rep);
	close(fd);
	return ret;
}

START_TEST(test_sysfs)
{
	char out[1100];

	reset("xen 4.18 .2");
	ck_assert_int_eq(sysfs("/sys/hypervisor/type", out, sizeof(out)), 4);
	ck_assert_str_eq(out, "xen\n");
	ck_assert_int_ge(sysfs("/sys/hypervisor/version/major", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "4\n");
	ck_assert_int_ge(sysfs("/sys/hypervisor/version/minor", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "18\n");
	ck_assert_int_ge(sysfs("/sys/hypervisor/version/extra", out, sizeof(out)), 0);
	ck_assert_str_eq(out, ".2\n");
	ck_assert_int_ge(
		sysfs("/sys/hypervisor/properties/capabilities", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "xen-3.0-"));
	ck_assert_int_ge(sysfs("/proc/xen/capabilities", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "control_d\n");
	ck_assert_int_eq(sysfs("/sys/hypervisor/nonsense", out, sizeof(out)), -ENOENT);
	reset("kernel -proc-privcmd");
	ck_assert_int_eq(sysfs("/proc/xen/capabilities", out, sizeof(out)), -ENOENT);
}
END_TEST

/* ---- control misc ---------------------------------------------------------------- */

START_TEST(test_control_misc)
{
	char out[4096];

	reset(NULL);
	ck_assert_int_eq(ctl("help", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "guest-write"));
	ck_assert_int_eq(ctl("help inject", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "hypercall:xen_version"));
	ck_assert_int_eq(ctl("help scenario", out, sizeof(out)), 0);
	ck_assert_int_eq(ctl("help nothing", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("no-such-command 1 2", out, sizeof(out)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(out, "unknown command"));
	ck_assert_int_eq(ctl("   ", out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(ctl("show", out, sizeof(out)), -EINVAL);
}
END_TEST

/* ---- robustness: malformed requests never take the daemon down ------------- */

START_TEST(test_malformed)
{
	static const uint32_t types[] = {
		XSP_PRIVCMD_HYPERCALL,
		XSP_PRIVCMD_MMAPBATCH,
		XSP_PRIVCMD_MMAP_RESOURCE,
		XSP_PRIVCMD_DM_OP,
		XSP_PRIVCMD_RESTRICT,
		XSP_PRIVCMD_IRQFD,
		XSP_PRIVCMD_IOEVENTFD,
		XSP_PRIVCMD_PCIDEV_GET_GSI,
		XSP_PRIVCMD_MMAP_LEGACY,
		XSP_UNKNOWN_IOCTL,
		XSP_IDENT,
		XSP_SYSFS_READ,
		XSP_CONTROL_COMMAND,
		0x1ff,
		0x7777,
	};
	unsigned char buf[256];
	char out[64];
	unsigned int seed = 12345;

	reset(NULL);
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		int fd = dev_open(XSP_DEV_PRIVCMD);

		ck_assert_int_ge(fd, 0);
		for (size_t len = 0; len <= sizeof(buf); len += 7) {
			struct xsw_msg rep;
			int64_t ret;

			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				buf[i] = (unsigned char)(seed >> 16);
				/* keep counts small sometimes, so parsing goes deeper */
				if (i % 8 >= 2 && (seed & 0x300))
					buf[i] = 0;
			}
			ret = call(fd, types[t], buf, len, &rep);
			xsw_msg_free(&rep);
			ck_assert_msg(ret > -4096,
				      "type 0x%x len %zu: transport error %lld", types[t],
				      len, (long long)ret);
		}
		close(fd);
	}
	/* still alive and well */
	ck_assert_int_eq(ctl("show machine", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "xen 4.17.0-xensim\nkernel linux-6.12\n");
}
END_TEST

START_TEST(test_many_connections)
{
	enum { N = 300 };
	static int fds[N];
	char out[64];

	reset(NULL);
	for (int i = 0; i < N; i++) {
		fds[i] = dev_open(i % 2 ? XSP_DEV_PRIVCMD : XSP_DEV_HYPERCALL);
		ck_assert_int_ge(fds[i], 0);
	}
	for (int i = 1; i < N; i += 2)
		ck_assert_int_eq(xen_version(fds[i], XENVER_version, NULL, 0), 0x40011);
	for (int i = 0; i < N; i++)
		close(fds[i]);
	ck_assert_int_eq(ctl("show machine", out, sizeof(out)), 0);
}
END_TEST

START_TEST(test_mmap_legacy)
{
	struct xsp_u32x2 q = {.a = 1, .b = 1};
	int fd;

	reset(NULL);
	fd = dev_open(XSP_DEV_PRIVCMD);
	/* the simulated dom0 is auto-translated: ENOSYS */
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_MMAP_LEGACY, &q, sizeof(q), NULL), -ENOSYS);
	ck_assert_int_eq(do_restrict(fd, 2), 0);
	ck_assert_int_eq(call(fd, XSP_PRIVCMD_MMAP_LEGACY, &q, sizeof(q), NULL), -EPERM);
	close(fd);
}
END_TEST

static Suite *xensim_suite(void)
{
	Suite *s = suite_create("xensim");
	TCase *tc = tcase_create("daemon");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_scenario_default);
	tcase_add_test(tc, test_scenario_good);
	tcase_add_loop_test(tc, test_scenario_bad, 0,
			    (int)(sizeof(bad_scenarios) / sizeof(bad_scenarios[0])));
	tcase_add_test(tc, test_scenario_line_number);
	tcase_add_test(tc, test_personality_devices);
	tcase_add_test(tc, test_personality_ioctls);
	tcase_add_test(tc, test_personality_domu);
	tcase_add_test(tc, test_xen_version);
	tcase_add_test(tc, test_hypercall_unknown);
	tcase_add_test(tc, test_memory_op_size);
	tcase_add_test(tc, test_mmapbatch_errors);
	tcase_add_test(tc, test_guest_memory_shared);
	tcase_add_test(tc, test_guest_memfd);
	tcase_add_test(tc, test_mmap_resource_checks);
	tcase_add_test(tc, test_dm_op_limits);
	tcase_add_test(tc, test_restrict);
	tcase_add_test(tc, test_unknown_ioctl);
	tcase_add_test(tc, test_ident_and_protocol);
	tcase_add_test(tc, test_privcmd_readable);
	tcase_add_test(tc, test_inject_open);
	tcase_add_test(tc, test_inject_ops);
	tcase_add_test(tc, test_reset_detaches);
	tcase_add_test(tc, test_hypercall_dev_mmap);
	tcase_add_test(tc, test_eventfd_ioctls);
	tcase_add_test(tc, test_pcidev_gsi);
	tcase_add_test(tc, test_sysfs);
	tcase_add_test(tc, test_control_misc);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_mmap_legacy);
	tcase_add_test(tc, test_many_connections);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (!getenv(XENSIM_ENV_SOCKET)) {
		fprintf(stderr,
			"test-xensim: needs a simulator (run under `xensim --`)\n");
		return 77;
	}
	sr = srunner_create(xensim_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
