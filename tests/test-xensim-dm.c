/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The device-model side of xensim, end to end through the shim with raw
 * ioctls (tests/run-test.sh runs this under `xensim --no-preload`): every
 * dm_op with its success path and Xen's error paths, ioreq servers served
 * exactly as Xen drives them (ioreq page mapped with MMAP_RESOURCE or
 * through the legacy gfns, per-vCPU event channels, buffered ring),
 * guest I/O outcomes, irqfd and ioeventfd.
 */
#include "config.h"

#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/ioreq.h>

#include "xen-kernel.h"
#include "xensim.h"

#define PAGE	4096
#define GUEST	1 /* HVM, 2 vCPUs, 64 MiB */
#define PVDOM	2
#define NR_GFNS (64u << 8)

static const char scenario[] = "arch arm\n" /* set_irq_level is tested too */
			       "domain 1 type=hvm vcpus=2 memory=64M\n"
			       "domain 2 type=pv memory=16M\n"
			       "domain 3 type=pvh vcpus=1 memory=16M\n";

static int priv = -1;

static void setup(void)
{
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr, "test-xensim-dm: needs a simulator (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(xensim_reset(scenario) == 0, "reset: %s", strerror(errno));
	priv = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	ck_assert_msg(priv >= 0, "privcmd: %s", strerror(errno));
}

static void teardown(void)
{
	close(priv);
	priv = -1;
}

/* dm_op on @dom with op (+ an optional second buffer); -errno or 0. */
static int dmop2(unsigned int dom, struct xen_dm_op *op, void *b1, size_t n1)
{
	struct privcmd_dm_op_buf b[2] = {{op, sizeof(*op)}, {b1, n1}};
	struct privcmd_dm_op d = {.dom = (domid_t)dom, .num = b1 ? 2 : 1, .ubufs = b};

	return ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d) ? -errno : 0;
}

static int dmop(struct xen_dm_op *op)
{
	return dmop2(GUEST, op, NULL, 0);
}

static void op_init(struct xen_dm_op *op, uint32_t nr)
{
	memset(op, 0, sizeof(*op));
	op->op = nr;
}

static ioservid_t create_server(unsigned int dom, int bufioreq)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_create_ioreq_server);
	op.u.create_ioreq_server.handle_bufioreq = (uint8_t)bufioreq;
	ck_assert_int_eq(dmop2(dom, &op, NULL, 0), 0);
	return op.u.create_ioreq_server.id;
}

static int range_op(uint32_t which, ioservid_t id, uint32_t type, uint64_t s, uint64_t e)
{
	struct xen_dm_op op;

	op_init(&op, which);
	op.u.map_io_range_to_ioreq_server.id = id;
	op.u.map_io_range_to_ioreq_server.type = type;
	op.u.map_io_range_to_ioreq_server.start = s;
	op.u.map_io_range_to_ioreq_server.end = e;
	return dmop(&op);
}

static int map_range(ioservid_t id, uint32_t type, uint64_t s, uint64_t e)
{
	return range_op(XEN_DMOP_map_io_range_to_ioreq_server, id, type, s, e);
}

static int unmap_range(ioservid_t id, uint32_t type, uint64_t s, uint64_t e)
{
	return range_op(XEN_DMOP_unmap_io_range_from_ioreq_server, id, type, s, e);
}

static int set_state(ioservid_t id, int enabled)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_set_ioreq_server_state);
	op.u.set_ioreq_server_state.id = id;
	op.u.set_ioreq_server_state.enabled = (uint8_t)enabled;
	return dmop(&op);
}

/* Map @num frames of server @id from @idx into a new privcmd VMA. */
static void *map_resource(ioservid_t id, unsigned int idx, unsigned int num, int *err)
{
	struct privcmd_mmap_resource r = {.dom = GUEST,
					  .type = XENMEM_resource_ioreq_server,
					  .id = id,
					  .idx = idx,
					  .num = num};
	void *va = mmap(NULL, (size_t)num * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
			priv, 0);

	ck_assert_ptr_ne(va, MAP_FAILED);
	r.addr = (uint64_t)(uintptr_t)va;
	*err = ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r) ? errno : 0;
	if (*err) {
		munmap(va, (size_t)num * PAGE);
		return NULL;
	}
	return va;
}

static unsigned int bind_port(int evt, unsigned int remote_port)
{
	struct ioctl_evtchn_bind_interdomain b = {.remote_domain = GUEST,
						  .remote_port = remote_port};
	int port = ioctl(evt, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

	ck_assert_msg(port > 0, "bind_interdomain %u: %s", remote_port, strerror(errno));
	return (unsigned int)port;
}

static uint8_t slot_state(volatile struct ioreq *p)
{
	__sync_synchronize();
	return p->state;
}

/* ---- a device model serving in a thread, as QEMU does --------------------- */

struct dm {
	ioservid_t id;
	void *pages; /* [frame 0 buffered,] frame 1 ioreq */
	unsigned int npages;
	struct ioreq *ioreq;
	int evt;
	unsigned int lport[2];
	uint64_t read_value;
	volatile int stop;
	/* what the DM saw */
	unsigned int served;
	struct ioreq last;
	pthread_t thr;
};

static void *dm_thread(void *arg)
{
	struct dm *dm = arg;

	while (!dm->stop) {
		struct pollfd pfd = {.fd = dm->evt, .events = POLLIN};
		uint32_t port;
		unsigned int v;

		if (poll(&pfd, 1, 50) != 1)
			continue;
		if (read(dm->evt, &port, sizeof(port)) != sizeof(port))
			continue;
		for (v = 0; v < 2; v++) {
			volatile struct ioreq *p = &dm->ioreq[v];
			struct ioctl_evtchn_notify n = {.port = dm->lport[v]};

			if (port != dm->lport[v] || slot_state(p) != STATE_IOREQ_READY)
				continue;
			p->state = STATE_IOREQ_INPROCESS;
			if (p->dir == IOREQ_READ)
				p->data = dm->read_value;
			memcpy(&dm->last, (const void *)p, sizeof(dm->last));
			dm->served++;
			__sync_synchronize();
			p->state = STATE_IORESP_READY;
			ioctl(dm->evt, IOCTL_EVTCHN_NOTIFY, &n);
		}
		if (write(dm->evt, &port, sizeof(port)) != sizeof(port))
			break;
	}
	return NULL;
}

/* Create, map (MMAP_RESOURCE), bind the vCPU ports, enable, serve. */
static void dm_start(struct dm *dm, int bufioreq)
{
	int err, v;

	memset(dm, 0, sizeof(*dm));
	dm->id = create_server(GUEST, bufioreq);
	/* without a buffered ring only the ioreq frame exists (newer QEMU) */
	dm->npages = bufioreq ? 2 : 1;
	dm->pages = map_resource(dm->id, bufioreq ? 0 : 1, dm->npages, &err);
	ck_assert_msg(dm->pages, "map_resource: %s", strerror(err));
	dm->ioreq = (struct ioreq *)((char *)dm->pages + (dm->npages - 1) * PAGE);
	dm->evt = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(dm->evt, 0);
	for (v = 0; v < 2; v++) {
		ck_assert_uint_ne(dm->ioreq[v].vp_eport, 0);
		dm->lport[v] = bind_port(dm->evt, dm->ioreq[v].vp_eport);
	}
	ck_assert_int_eq(set_state(dm->id, 1), 0);
	ck_assert_int_eq(pthread_create(&dm->thr, NULL, dm_thread, dm), 0);
}

static void dm_stop(struct dm *dm)
{
	dm->stop = 1;
	pthread_join(dm->thr, NULL);
	close(dm->evt);
	munmap(dm->pages, dm->npages * PAGE);
}

static int guest_io(unsigned int space, int write, uint64_t addr, unsigned int size,
		    uint64_t data, uint64_t *out)
{
	struct xensim_io io = {
		.space = space, .write = write, .addr = addr, .size = size, .data = data};

	return xensim_guest_io(GUEST, 0, &io, out, 10000);
}

/* ---- generic dm_op checks ------------------------------------------------------ */

START_TEST(t_dmop_checks)
{
	struct xen_dm_op op, op3[3];
	struct privcmd_dm_op_buf b[3] = {
		{&op3[0], sizeof(op)}, {&op3[1], sizeof(op)}, {&op3[2], sizeof(op)}};
	struct privcmd_dm_op d = {.dom = GUEST, .num = 3, .ubufs = b};
	uint8_t small[16];

	/* Xen takes at most 2 buffers. */
	memset(op3, 0, sizeof(op3));
	op3[0].op = XEN_DMOP_nr_vcpus;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, E2BIG);
	/* Domains: unknown, the caller's own, PV; PVH counts as HVM. */
	op_init(&op, XEN_DMOP_nr_vcpus);
	ck_assert_int_eq(dmop2(9, &op, NULL, 0), -ESRCH);
	ck_assert_int_eq(dmop2(0, &op, NULL, 0), -EPERM);
	ck_assert_int_eq(dmop2(PVDOM, &op, NULL, 0), -EINVAL);
	ck_assert_int_eq(dmop2(3, &op, NULL, 0), 0);
	ck_assert_uint_eq(op.u.nr_vcpus.vcpus, 1);
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(op.u.nr_vcpus.vcpus, 2);
	/* Beyond the table, and op 0. */
	op_init(&op, XEN_DMOP_nr_vcpus + 1);
	ck_assert_int_eq(dmop(&op), -EOPNOTSUPP);
	op_init(&op, 0);
	ck_assert_int_eq(dmop(&op), -EOPNOTSUPP);
	op_init(&op, 1000);
	ck_assert_int_eq(dmop(&op), -EOPNOTSUPP);
	/* Header pad. */
	op_init(&op, XEN_DMOP_nr_vcpus);
	op.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	/* Buffer 0 shorter than the header, or than header + op struct. */
	memset(small, 0, sizeof(small));
	small[0] = XEN_DMOP_nr_vcpus;
	b[0].uptr = small;
	b[0].size = 4;
	d.num = 1;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, EFAULT);
	b[0].size = 12; /* header + nr_vcpus: enough */
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d), 0);
	ck_assert_uint_eq(small[8], 2);
	small[0] = XEN_DMOP_get_ioreq_server_info; /* needs 8 + 24 */
	b[0].size = 16;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, EFAULT);
	/* The kernel's limits come first (16 buffers, 4096 bytes). */
	d.num = 17;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_DM_OP, &d), -1);
	ck_assert_int_eq(errno, E2BIG);
	/* Failure injection by op name. */
	ck_assert_int_eq(xensim_inject("dm_op:nr_vcpus", 1, 1, EIO), 0);
	op_init(&op, XEN_DMOP_nr_vcpus);
	ck_assert_int_eq(dmop(&op), -EIO);
	ck_assert_int_eq(dmop(&op), 0);
}
END_TEST

/* The hypercall path (libxendevicemodel's xencall fallback): Xen's own
 * limit is 2 buffers, there are no kernel limits, outputs are copied back. */
START_TEST(t_dmop_hypercall)
{
	struct xen_dm_op op;
	uint8_t bm[1024];
	xen_dm_op_buf_t b[3];
	struct privcmd_hypercall hc = {.op = __HYPERVISOR_dm_op};

	op_init(&op, XEN_DMOP_create_ioreq_server);
	op.u.create_ioreq_server.handle_bufioreq = 1;
	op.u.create_ioreq_server.id = 0xffff;
	set_xen_guest_handle(b[0].h, &op);
	b[0].size = sizeof(op);
	hc.arg[0] = GUEST;
	hc.arg[1] = 1;
	hc.arg[2] = (uint64_t)(uintptr_t)b;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_HYPERCALL, &hc), 0);
	ck_assert_uint_eq(op.u.create_ioreq_server.id, 0);
	/* a 5000-byte bitmap buffer is fine here (the ioctl would say E2BIG) */
	op_init(&op, XEN_DMOP_track_dirty_vram);
	op.u.track_dirty_vram.nr = 8 * sizeof(bm);
	set_xen_guest_handle(b[1].h, bm);
	b[1].size = sizeof(bm);
	hc.arg[1] = 2;
	memset(bm, 0, sizeof(bm));
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_HYPERCALL, &hc), 0);
	ck_assert_uint_eq(bm[sizeof(bm) - 1], 0xff);
	hc.arg[1] = 3;
	b[2] = b[1];
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_HYPERCALL, &hc), -1);
	ck_assert_int_eq(errno, E2BIG);
	hc.arg[0] = PVDOM;
	hc.arg[1] = 1;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_HYPERCALL, &hc), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

/* Both vCPUs have a request outstanding at once; each completes. */
START_TEST(t_guest_io_two_vcpus)
{
	struct xensim_io io = {.space = XENSIM_IO_PIO, .addr = 0x60, .size = 1};
	uint64_t d0 = 0, d1 = 0;
	int t0, t1;
	struct dm dm;

	dm_start(&dm, 0);
	dm.read_value = 0x42;
	ck_assert_int_eq(map_range(dm.id, XEN_DMOP_IO_RANGE_PORT, 0x60, 0x64), 0);
	t0 = xensim_guest_io_submit(GUEST, 0, &io);
	t1 = xensim_guest_io_submit(GUEST, 1, &io);
	ck_assert_int_ge(t0, 0);
	ck_assert_int_ge(t1, 0);
	ck_assert_int_ne(t0, t1);
	ck_assert_int_eq(xensim_guest_io_wait(t1, &d1, 10000), XENSIM_IO_SERVED);
	ck_assert_int_eq(xensim_guest_io_wait(t0, &d0, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(d0, 0x42);
	ck_assert_uint_eq(d1, 0x42);
	ck_assert_uint_eq(dm.served, 2);
	dm_stop(&dm);
}
END_TEST

/* ---- ioreq servers ----------------------------------------------------------------- */

START_TEST(t_ioreq_server_lifecycle)
{
	struct xensim_ioreq_server_info info;
	struct xen_dm_op op;
	ioservid_t id, ids[8];
	unsigned int i;

	op_init(&op, XEN_DMOP_create_ioreq_server);
	op.u.create_ioreq_server.handle_bufioreq = 3;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.create_ioreq_server.handle_bufioreq = 1;
	op.u.create_ioreq_server.pad[1] = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	for (i = 0; i < 8; i++) {
		ids[i] = create_server(GUEST, (int)(i % 3));
		ck_assert_uint_eq(ids[i], i);
	}
	op_init(&op, XEN_DMOP_create_ioreq_server);
	ck_assert_int_eq(dmop(&op), -ENOSPC);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, 1, &info), 0);
	ck_assert_int_eq(info.exists, 1);
	ck_assert_int_eq(info.enabled, 0);
	ck_assert_int_eq(info.bufioreq, 1);
	ck_assert_uint_ne(info.vcpu_port[0], 0);
	ck_assert_uint_ne(info.vcpu_port[1], 0);
	ck_assert_uint_ne(info.vcpu_port[0], info.vcpu_port[1]);
	ck_assert_uint_eq(info.vcpu_port[2], 0);
	ck_assert_uint_ne(info.bufioreq_port, 0);

	/* get_ioreq_server_info */
	op_init(&op, XEN_DMOP_get_ioreq_server_info);
	op.u.get_ioreq_server_info.id = 1;
	op.u.get_ioreq_server_info.flags = 2;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.get_ioreq_server_info.flags = XEN_DMOP_no_gfns;
	op.u.get_ioreq_server_info.id = 9;
	ck_assert_int_eq(dmop(&op), -ENOENT);
	op.u.get_ioreq_server_info.id = 1;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(op.u.get_ioreq_server_info.bufioreq_port, info.bufioreq_port);
	ck_assert_uint_eq(op.u.get_ioreq_server_info.ioreq_gfn, 0);
	op.u.get_ioreq_server_info.id = 0; /* bufioreq off: no port */
	op.u.get_ioreq_server_info.bufioreq_port = 0;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(op.u.get_ioreq_server_info.bufioreq_port, 0);

	/* ranges: inclusive, no overlap, merged when adjacent */
	id = 2;
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_PORT, 0x3f8, 0x3ff), 0);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_PORT, 0x3ff, 0x400), -EEXIST);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_PORT, 0x10, 0x8), -EINVAL);
	ck_assert_int_eq(map_range(id, 3, 0x10, 0x18), -EINVAL);
	ck_assert_int_eq(map_range(12, XEN_DMOP_IO_RANGE_PORT, 0x10, 0x18), -ENOENT);
	op_init(&op, XEN_DMOP_map_io_range_to_ioreq_server);
	op.u.map_io_range_to_ioreq_server.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xfe000000, 0xfe000fff),
			 0);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xfe001000, 0xfe001fff),
			 0);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_PCI,
				   XEN_DMOP_PCI_SBDF(0, 0, 3, 0),
				   XEN_DMOP_PCI_SBDF(0, 0, 3, 0)),
			 0);
	/* the same range in another server is fine */
	ck_assert_int_eq(map_range(3, XEN_DMOP_IO_RANGE_PORT, 0x3f8, 0x3ff), 0);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[0], 1);
	ck_assert_uint_eq(info.nr_ranges[1], 1); /* merged */
	ck_assert_uint_eq(info.nr_ranges[2], 1);
	ck_assert_int_eq(xensim_ioreq_server_has_range(GUEST, id,
						       XEN_DMOP_IO_RANGE_MEMORY,
						       0xfe000000, 0xfe001fff),
			 1);
	ck_assert_int_eq(xensim_ioreq_server_has_range(GUEST, id, XEN_DMOP_IO_RANGE_PORT,
						       0x3f8, 0x3fe),
			 0);
	/* unmap: must lie inside a mapped range; a middle part splits it */
	ck_assert_int_eq(unmap_range(id, XEN_DMOP_IO_RANGE_PORT, 0x3f0, 0x3f8), -ENOENT);
	ck_assert_int_eq(unmap_range(id, XEN_DMOP_IO_RANGE_PORT, 0x3fa, 0x3fb), 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(GUEST, id, XEN_DMOP_IO_RANGE_PORT,
						       0x3f8, 0x3f9),
			 1);
	ck_assert_int_eq(xensim_ioreq_server_has_range(GUEST, id, XEN_DMOP_IO_RANGE_PORT,
						       0x3fc, 0x3ff),
			 1);
	ck_assert_int_eq(unmap_range(id, XEN_DMOP_IO_RANGE_PORT, 0x3fa, 0x3fa), -ENOENT);
	ck_assert_int_eq(unmap_range(9, XEN_DMOP_IO_RANGE_PORT, 0x3f8, 0x3f9), -ENOENT);

	/* set_state */
	ck_assert_int_eq(set_state(9, 1), -ENOENT);
	op_init(&op, XEN_DMOP_set_ioreq_server_state);
	op.u.set_ioreq_server_state.id = id;
	op.u.set_ioreq_server_state.enabled = 1;
	op.u.set_ioreq_server_state.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	ck_assert_int_eq(set_state(id, 7), 0);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_int_eq(info.enabled, 1);
	ck_assert_int_eq(set_state(id, 0), 0);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_int_eq(info.enabled, 0);

	/* destroy: the id is free again */
	op_init(&op, XEN_DMOP_destroy_ioreq_server);
	op.u.destroy_ioreq_server.id = id;
	op.u.destroy_ioreq_server.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.destroy_ioreq_server.pad = 0;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(dmop(&op), -ENOENT);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_int_eq(info.exists, 0);
	ck_assert_uint_eq(create_server(GUEST, 0), id);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[1], 0);
	/* PV domains have none */
	op_init(&op, XEN_DMOP_create_ioreq_server);
	ck_assert_int_eq(dmop2(PVDOM, &op, NULL, 0), -EINVAL);
}
END_TEST

START_TEST(t_ioreq_resource)
{
	struct privcmd_mmap_resource r = {.dom = GUEST,
					  .type = XENMEM_resource_ioreq_server};
	ioservid_t off = create_server(GUEST, 0), on = create_server(GUEST, 2);
	struct xensim_ioreq_server_info info;
	struct xen_dm_op op;
	struct ioreq *io;
	char *va;
	int err;

	/* size query */
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAP_RESOURCE, &r), 0);
	ck_assert_uint_eq(r.num, 2);
	/* no buffered page without bufioreq; frame 2 does not exist */
	ck_assert_ptr_null(map_resource(off, 0, 1, &err));
	ck_assert_int_eq(err, ENOENT);
	ck_assert_ptr_null(map_resource(off, 2, 1, &err));
	ck_assert_int_eq(err, EINVAL);
	ck_assert_ptr_null(map_resource(on, 0, 3, &err));
	ck_assert_int_eq(err, EINVAL);
	ck_assert_ptr_null(map_resource(7, 1, 1, &err));
	ck_assert_int_eq(err, ENOENT);
	/* the ioreq page carries the vCPU ports */
	io = map_resource(off, 1, 1, &err);
	ck_assert_ptr_nonnull(io);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, off, &info), 0);
	ck_assert_uint_eq(io[0].vp_eport, info.vcpu_port[0]);
	ck_assert_uint_eq(io[1].vp_eport, info.vcpu_port[1]);
	ck_assert_uint_eq(io[0].state, STATE_IOREQ_NONE);
	munmap(io, PAGE);
	va = map_resource(on, 0, 2, &err);
	ck_assert_ptr_nonnull(va);
	ck_assert_uint_eq(((buffered_iopage_t *)va)->write_pointer, 0);
	munmap(va, 2 * PAGE);
	/* mapped as a resource: no legacy gfns any more */
	op_init(&op, XEN_DMOP_get_ioreq_server_info);
	op.u.get_ioreq_server_info.id = off;
	ck_assert_int_eq(dmop(&op), -EPERM);
}
END_TEST

/* The legacy way (kernels without MMAP_RESOURCE): gfns + foreign mapping. */
START_TEST(t_ioreq_legacy_gfns)
{
	ioservid_t id = create_server(GUEST, 1);
	struct xensim_ioreq_server_info info;
	struct xen_dm_op op;
	xen_pfn_t gfns[2];
	int err[2] = {1, 1}, e;
	struct privcmd_mmapbatch_v2 m = {.num = 2, .dom = GUEST, .arr = gfns, .err = err};
	char *va;
	struct ioreq *io;
	buffered_iopage_t *bp;

	op_init(&op, XEN_DMOP_get_ioreq_server_info);
	op.u.get_ioreq_server_info.id = id;
	ck_assert_int_eq(dmop(&op), 0);
	gfns[0] = op.u.get_ioreq_server_info.ioreq_gfn;
	gfns[1] = op.u.get_ioreq_server_info.bufioreq_gfn;
	ck_assert_uint_lt(gfns[0], NR_GFNS);
	ck_assert_uint_lt(gfns[1], NR_GFNS);
	ck_assert_uint_ne(gfns[0], gfns[1]);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ck_assert_uint_eq(op.u.get_ioreq_server_info.bufioreq_port, info.bufioreq_port);
	/* asking again gives the same gfns */
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(op.u.get_ioreq_server_info.ioreq_gfn, gfns[0]);

	va = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, priv, 0);
	ck_assert_ptr_ne(va, MAP_FAILED);
	m.addr = (uint64_t)(uintptr_t)va;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_MMAPBATCH_V2, &m), 0);
	ck_assert_int_eq(err[0], 0);
	ck_assert_int_eq(err[1], 0);
	io = (struct ioreq *)va;
	bp = (buffered_iopage_t *)(va + PAGE);
	ck_assert_uint_eq(io[0].vp_eport, info.vcpu_port[0]);
	ck_assert_uint_eq(io[1].vp_eport, info.vcpu_port[1]);
	/* and it is the real page: a buffered write lands in it */
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xa0000, 0xbffff), 0);
	ck_assert_int_eq(set_state(id, 1), 0);
	ck_assert_int_eq(guest_io(XENSIM_IO_MMIO, 1, 0xa0010, 2, 0xbeef, NULL),
			 XENSIM_IO_BUFFERED);
	ck_assert_uint_eq(bp->write_pointer, 1);
	ck_assert_uint_eq(bp->buf_ioreq[0].data, 0xbeef);
	ck_assert_uint_eq(bp->buf_ioreq[0].addr, 0xa0010);
	ck_assert_uint_eq(bp->buf_ioreq[0].size, 1);
	munmap(va, 2 * PAGE);
	/* mapped through gfns: MMAP_RESOURCE is refused */
	ck_assert_ptr_null(map_resource(id, 1, 1, &e));
	ck_assert_int_eq(e, EPERM);
}
END_TEST

/* ---- guest I/O ----------------------------------------------------------------------
 */

START_TEST(t_guest_io_served)
{
	struct dm dm;
	uint64_t data = 0;
	struct xensim_io io = {.space = XENSIM_IO_PIO, .addr = 0x3f8, .size = 1};
	unsigned int pci_addr_hi = (0u << 16) | (0u << 8) | (3u << 3) | 1u;

	dm_start(&dm, 1);
	ck_assert_int_eq(map_range(dm.id, XEN_DMOP_IO_RANGE_PORT, 0x3f8, 0x3ff), 0);
	ck_assert_int_eq(
		map_range(dm.id, XEN_DMOP_IO_RANGE_MEMORY, 0xfe000000, 0xfe000fff), 0);
	ck_assert_int_eq(map_range(dm.id, XEN_DMOP_IO_RANGE_PCI,
				   XEN_DMOP_PCI_SBDF(0, 0, 3, 1),
				   XEN_DMOP_PCI_SBDF(0, 0, 3, 1)),
			 0);
	dm.read_value = 0x1234567855aa;
	/* port read: masked to its size */
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 0, 0x3f9, 1, 0, &data),
			 XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0xaa);
	ck_assert_uint_eq(dm.last.addr, 0x3f9);
	ck_assert_uint_eq(dm.last.size, 1);
	ck_assert_uint_eq(dm.last.count, 1);
	ck_assert_uint_eq(dm.last.dir, IOREQ_READ);
	ck_assert_uint_eq(dm.last.type, IOREQ_TYPE_PIO);
	/* port write */
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 1, 0x3fc, 2, 0xc0de, NULL),
			 XENSIM_IO_SERVED);
	ck_assert_uint_eq(dm.last.dir, IOREQ_WRITE);
	ck_assert_uint_eq(dm.last.data, 0xc0de);
	/* an access that does not fit entirely in the range is not claimed */
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 0, 0x3fe, 4, 0, &data),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(data, 0xffffffff);
	/* MMIO, 8 bytes, from vCPU 1 */
	io.space = XENSIM_IO_MMIO;
	io.addr = 0xfe000010;
	io.size = 8;
	ck_assert_int_eq(xensim_guest_io(GUEST, 1, &io, &data, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0x1234567855aa);
	ck_assert_uint_eq(dm.last.type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(dm.last.vp_eport, dm.ioreq[1].vp_eport);
	/* PCI config space of 00:03.1, register 0x10 */
	ck_assert_int_eq(guest_io(XENSIM_IO_PCI_CONFIG, 0,
				  ((uint64_t)pci_addr_hi << 32) | 0x10, 4, 0, &data),
			 XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0x567855aa);
	ck_assert_uint_eq(dm.last.type, IOREQ_TYPE_PCI_CONFIG);
	ck_assert_uint_eq(dm.last.addr, ((uint64_t)pci_addr_hi << 32) | 0x10);
	ck_assert_int_eq(guest_io(XENSIM_IO_PCI_CONFIG, 0,
				  (uint64_t)(pci_addr_hi + 1) << 32, 4, 0, &data),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(dm.served, 4);
	/* disabled: nothing reaches it */
	ck_assert_int_eq(set_state(dm.id, 0), 0);
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 0, 0x3f8, 2, 0, &data),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(data, 0xffff);
	ck_assert_uint_eq(dm.served, 4);
	dm_stop(&dm);
}
END_TEST

/* The highest-numbered server claiming an address wins, as in Xen. */
START_TEST(t_guest_io_two_servers)
{
	struct dm a, b;
	uint64_t data;

	dm_start(&a, 0);
	dm_start(&b, 0);
	a.read_value = 0xa;
	b.read_value = 0xb;
	ck_assert_int_eq(map_range(a.id, XEN_DMOP_IO_RANGE_PORT, 0x100, 0x1ff), 0);
	ck_assert_int_eq(map_range(b.id, XEN_DMOP_IO_RANGE_PORT, 0x180, 0x18f), 0);
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 0, 0x110, 1, 0, &data),
			 XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0xa);
	ck_assert_int_eq(guest_io(XENSIM_IO_PIO, 0, 0x184, 1, 0, &data),
			 XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0xb);
	dm_stop(&a);
	dm_stop(&b);
}
END_TEST

START_TEST(t_guest_io_buffered)
{
	ioservid_t id = create_server(GUEST, 2 /* HVM_IOREQSRV_BUFIOREQ_ATOMIC */);
	struct xensim_ioreq_server_info info;
	buffered_iopage_t *bp;
	struct pollfd pfd;
	uint32_t port;
	unsigned int lport;
	int err, evt;
	char *va;

	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	va = map_resource(id, 0, 2, &err);
	ck_assert_ptr_nonnull(va);
	bp = (buffered_iopage_t *)va;
	evt = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	ck_assert_int_ge(evt, 0);
	lport = bind_port(evt, info.bufioreq_port);
	/* binding marks the port pending once: drain it */
	while (read(evt, &port, sizeof(port)) == sizeof(port))
		ck_assert_int_eq(write(evt, &port, sizeof(port)), sizeof(port));
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xa0000, 0xbffff), 0);
	ck_assert_int_eq(set_state(id, 1), 0);

	ck_assert_int_eq(guest_io(XENSIM_IO_MMIO, 1, 0xa0004, 4, 0x11223344, NULL),
			 XENSIM_IO_BUFFERED);
	ck_assert_int_eq(
		guest_io(XENSIM_IO_MMIO, 1, 0xb0000, 8, 0x8877665544332211ull, NULL),
		XENSIM_IO_BUFFERED);
	ck_assert_uint_eq(bp->write_pointer, 3);
	ck_assert_uint_eq(bp->read_pointer, 0);
	ck_assert_uint_eq(bp->buf_ioreq[0].type, IOREQ_TYPE_COPY);
	ck_assert_uint_eq(bp->buf_ioreq[0].dir, IOREQ_WRITE);
	ck_assert_uint_eq(bp->buf_ioreq[0].size, 2);
	ck_assert_uint_eq(bp->buf_ioreq[0].addr, 0xa0004);
	ck_assert_uint_eq(bp->buf_ioreq[0].data, 0x11223344);
	ck_assert_uint_eq(bp->buf_ioreq[1].size, 3);
	ck_assert_uint_eq(bp->buf_ioreq[1].data, 0x44332211);
	ck_assert_uint_eq(bp->buf_ioreq[2].data, 0x88776655);
	/* the bufioreq port fired */
	pfd.fd = evt;
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
	ck_assert_int_eq(read(evt, &port, sizeof(port)), sizeof(port));
	ck_assert_uint_eq(port, lport);
	/* reads are never buffered: with nobody serving, a read times out */
	{
		struct xensim_io io = {
			.space = XENSIM_IO_MMIO, .addr = 0xa0000, .size = 4};
		uint64_t data;

		ck_assert_int_eq(xensim_guest_io(GUEST, 0, &io, &data, 50), -1);
		ck_assert_int_eq(errno, ETIMEDOUT);
	}
	/* the DM consumes the ring; atomic mode canonicalises the pointers */
	bp->read_pointer = 3;
	ck_assert_int_eq(guest_io(XENSIM_IO_MMIO, 1, 0xa0000, 1, 0x5a, NULL),
			 XENSIM_IO_BUFFERED);
	ck_assert_uint_eq(bp->write_pointer, 4);
	ck_assert_uint_eq(bp->buf_ioreq[3].data, 0x5a);
	/* a full ring (write - read >= 511 - qw) sends synchronously instead:
	 * 510 slots in use leave no room for an 8-byte write */
	bp->read_pointer = 4;
	bp->write_pointer = 4 + 510;
	{
		struct xensim_io io = {.space = XENSIM_IO_MMIO,
				       .write = 1,
				       .addr = 0xa0008,
				       .size = 8,
				       .data = 1};
		uint64_t data;

		ck_assert_int_eq(xensim_guest_io(GUEST, 0, &io, &data, 10), -1);
		ck_assert_int_eq(errno, ETIMEDOUT);
		ck_assert_uint_eq(bp->write_pointer, 4 + 510);
		/* ... while a 4-byte write still fits in the last slot */
		io.size = 4;
		ck_assert_int_eq(xensim_guest_io(GUEST, 1, &io, &data, 10000),
				 XENSIM_IO_BUFFERED);
		ck_assert_uint_eq(bp->write_pointer, 4 + 511);
	}
	close(evt);
	munmap(va, 2 * PAGE);
}
END_TEST

/* Two steps: submit, look at the slot as the DM sees it, complete, wait. */
START_TEST(t_guest_io_submit_wait)
{
	ioservid_t id = create_server(GUEST, 0);
	struct xensim_io io = {
		.space = XENSIM_IO_MMIO, .write = 0, .addr = 0xfe000100, .size = 4};
	struct ioctl_evtchn_notify n;
	struct ioreq *slot;
	uint64_t data = 0;
	int err, evt, ticket, i;
	unsigned int lport;

	slot = map_resource(id, 1, 1, &err);
	ck_assert_ptr_nonnull(slot);
	evt = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(evt, 0);
	lport = bind_port(evt, slot[0].vp_eport);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xfe000000, 0xfe000fff),
			 0);
	ck_assert_int_eq(set_state(id, 1), 0);

	ticket = xensim_guest_io_submit(GUEST, 0, &io);
	ck_assert_int_ge(ticket, 0);
	/* the vCPU is blocked on it */
	ck_assert_int_eq(xensim_guest_io_submit(GUEST, 0, &io), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &data, 0), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert_int_eq(xensim_guest_io_wait(ticket + 1000, &data, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_READY);
	ck_assert_uint_eq(slot[0].addr, 0xfe000100);
	ck_assert_uint_eq(slot[0].size, 4);
	ck_assert_uint_eq(slot[0].dir, IOREQ_READ);
	ck_assert_uint_eq(slot[0].type, IOREQ_TYPE_COPY);
	/* a notification before completion changes nothing */
	n.port = lport;
	ck_assert_int_eq(ioctl(evt, IOCTL_EVTCHN_NOTIFY, &n), 0);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &data, 20), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	slot[0].data = 0xfeedf00d;
	__sync_synchronize();
	slot[0].state = STATE_IORESP_READY;
	ck_assert_int_eq(ioctl(evt, IOCTL_EVTCHN_NOTIFY, &n), 0);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &data, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(data, 0xfeedf00d);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_NONE);
	/* consumed */
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &data, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* an `io` nobody takes is withdrawn after its timeout */
	ck_assert_int_eq(xensim_guest_io(GUEST, 0, &io, &data, 10), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	for (i = 0; i < 100 && slot_state(&slot[0]) != STATE_IOREQ_NONE; i++)
		usleep(10000);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_NONE);
	/* destroying the server finishes a pending request (all ones) */
	ticket = xensim_guest_io_submit(GUEST, 0, &io);
	ck_assert_int_ge(ticket, 0);
	{
		struct xen_dm_op op;

		op_init(&op, XEN_DMOP_destroy_ioreq_server);
		op.u.destroy_ioreq_server.id = id;
		ck_assert_int_eq(dmop(&op), 0);
	}
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &data, 10000), XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(data, 0xffffffff);
	/* argument checks */
	io.size = 3;
	ck_assert_int_eq(xensim_guest_io_submit(GUEST, 0, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.size = 4;
	ck_assert_int_eq(xensim_guest_io_submit(GUEST, 2, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_guest_io_submit(PVDOM, 0, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_guest_io_submit(9, 0, &io), -1);
	ck_assert_int_eq(errno, ESRCH);
	close(evt);
	munmap(slot, PAGE);
}
END_TEST

/* ---- string I/O and broadcasts ---------------------------------------------------- */

/* Answer the READY request in @slot and notify its port. */
static void answer_slot(int evt, unsigned int lport, struct ioreq *slot)
{
	struct ioctl_evtchn_notify n = {.port = lport};

	ck_assert_uint_eq(slot_state(slot), STATE_IOREQ_READY);
	slot->state = STATE_IOREQ_INPROCESS;
	__sync_synchronize();
	slot->state = STATE_IORESP_READY;
	ck_assert_int_eq(ioctl(evt, IOCTL_EVTCHN_NOTIFY, &n), 0);
}

/* One ioreq of a rep: the slot holds what Xen sends for string I/O. */
static void expect_rep(struct ioreq *slot, unsigned int type, unsigned int dir,
		       uint64_t addr, unsigned int size, uint32_t count, uint64_t gpa,
		       unsigned int df)
{
	ck_assert_uint_eq(slot_state(slot), STATE_IOREQ_READY);
	ck_assert_uint_eq(slot->type, type);
	ck_assert_uint_eq(slot->dir, dir);
	ck_assert_uint_eq(slot->data_is_ptr, 1);
	ck_assert_uint_eq(slot->df, df);
	ck_assert_uint_eq(slot->addr, addr);
	ck_assert_uint_eq(slot->size, size);
	ck_assert_uint_eq(slot->count, count);
	ck_assert_uint_eq(slot->data, gpa);
}

START_TEST(t_guest_io_rep)
{
	ioservid_t id = create_server(GUEST, 0);
	struct xensim_io_rep rep = {.space = XENSIM_IO_PIO,
				    .write = 1,
				    .addr = 0xc000,
				    .size = 1,
				    .count = 10,
				    .gpa = 0x20ffa};
	unsigned char ones[8], buf[8];
	struct ioreq *slot;
	uint64_t done = 0;
	uint32_t n = 0;
	int err, evt, ticket;
	unsigned int lport;

	slot = map_resource(id, 1, 1, &err);
	ck_assert_ptr_nonnull(slot);
	evt = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(evt, 0);
	lport = bind_port(evt, slot[0].vp_eport);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0xfe000000, 0xfe000fff),
			 0);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_PORT, 0xc000, 0xc00f), 0);
	ck_assert_int_eq(set_state(id, 1), 0);

	/* rep outsb of 10 bytes whose buffer crosses a page: two ioreqs */
	ticket = xensim_guest_io_rep_submit(GUEST, 0, &rep);
	ck_assert_int_ge(ticket, 0);
	expect_rep(&slot[0], IOREQ_TYPE_PIO, IOREQ_WRITE, 0xc000, 1, 6, 0x20ffa, 0);
	answer_slot(evt, lport, &slot[0]);
	expect_rep(&slot[0], IOREQ_TYPE_PIO, IOREQ_WRITE, 0xc000, 1, 4, 0x21000, 0);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 0), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	answer_slot(evt, lport, &slot[0]);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(done, 10);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_NONE);

	/* rep movsl from MMIO with DF set: buffer and device addresses descend */
	rep = (struct xensim_io_rep){.space = XENSIM_IO_MMIO,
				     .write = 0,
				     .addr = 0xfe000100,
				     .size = 4,
				     .count = 8,
				     .gpa = 0x30010,
				     .df = 1};
	ticket = xensim_guest_io_rep_submit(GUEST, 0, &rep);
	ck_assert_int_ge(ticket, 0);
	expect_rep(&slot[0], IOREQ_TYPE_COPY, IOREQ_READ, 0xfe000100, 4, 5, 0x30010, 1);
	answer_slot(evt, lport, &slot[0]);
	expect_rep(&slot[0], IOREQ_TYPE_COPY, IOREQ_READ, 0xfe0000ec, 4, 3, 0x2fffc, 1);
	answer_slot(evt, lport, &slot[0]);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(done, 8);

	/* unclaimed: a rep read fills the buffer with all ones */
	memset(ones, 0xff, sizeof(ones));
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(xensim_guest_write(GUEST, 0x40000, buf, sizeof(buf)), 0);
	rep = (struct xensim_io_rep){.space = XENSIM_IO_PIO,
				     .addr = 0xd000,
				     .size = 2,
				     .count = 4,
				     .gpa = 0x40000};
	ck_assert_int_eq(xensim_guest_io_rep(GUEST, 0, &rep, &n, 10000),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x40000, buf, sizeof(buf)), 0);
	ck_assert_mem_eq(buf, ones, sizeof(buf));
	/* ... and a rep running past the server's MMIO range is not its own */
	rep = (struct xensim_io_rep){.space = XENSIM_IO_MMIO,
				     .write = 1,
				     .addr = 0xfe000ffc,
				     .size = 4,
				     .count = 2,
				     .gpa = 0x40000};
	ck_assert_int_eq(xensim_guest_io_rep(GUEST, 0, &rep, &n, 10000),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_NONE);

	/* argument checks */
	rep.count = 0;
	ck_assert_int_eq(xensim_guest_io_rep_submit(GUEST, 0, &rep), -1);
	ck_assert_int_eq(errno, EINVAL);
	rep.count = 65537;
	ck_assert_int_eq(xensim_guest_io_rep_submit(GUEST, 0, &rep), -1);
	ck_assert_int_eq(errno, EINVAL);
	rep.count = 4;
	rep.df = 1;
	rep.gpa = 8; /* item 3 would be below 0 */
	ck_assert_int_eq(xensim_guest_io_rep_submit(GUEST, 0, &rep), -1);
	ck_assert_int_eq(errno, EINVAL);
	rep.space = XENSIM_IO_PCI_CONFIG;
	rep.gpa = 0x40000;
	ck_assert_int_eq(xensim_guest_io_rep_submit(GUEST, 0, &rep), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_command("io-rep 1 0 pci r 0 4 1 0x40000 0", NULL, 0), -1);
	ck_assert_int_eq(errno, EINVAL);

	close(evt);
	munmap(slot, PAGE);
}
END_TEST

START_TEST(t_guest_io_broadcast)
{
	ioservid_t id[3];
	struct ioreq *slot[3];
	unsigned int lport[3], servers = 9;
	uint64_t done = 0;
	int err, evt, ticket, i;

	evt = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(evt, 0);
	for (i = 0; i < 3; i++) {
		id[i] = create_server(GUEST, 0);
		slot[i] = map_resource(id[i], 1, 1, &err);
		ck_assert_ptr_nonnull(slot[i]);
		lport[i] = bind_port(evt, slot[i][1].vp_eport);
		if (i < 2) /* the third stays disabled: Xen skips it */
			ck_assert_int_eq(set_state(id[i], 1), 0);
	}
	ticket = xensim_guest_io_broadcast_submit(GUEST, 1);
	ck_assert_int_ge(ticket, 0);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(slot_state(&slot[i][1]), STATE_IOREQ_READY);
		ck_assert_uint_eq(slot[i][1].type, IOREQ_TYPE_INVALIDATE);
		ck_assert_uint_eq(slot[i][1].count, 1);
		ck_assert_uint_eq(slot[i][1].data_is_ptr, 0);
		ck_assert_uint_eq(slot_state(&slot[i][0]), STATE_IOREQ_NONE);
	}
	ck_assert_uint_eq(slot_state(&slot[2][1]), STATE_IOREQ_NONE);
	/* the vCPU waits for the broadcast */
	ck_assert_int_eq(xensim_guest_io_broadcast_submit(GUEST, 1), -1);
	ck_assert_int_eq(errno, EBUSY);
	answer_slot(evt, lport[1], &slot[1][1]);
	/* one server answered: not complete */
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 20), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	answer_slot(evt, lport[0], &slot[0][1]);
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(done, 2);
	ck_assert_uint_eq(slot_state(&slot[0][1]), STATE_IOREQ_NONE);
	ck_assert_uint_eq(slot_state(&slot[1][1]), STATE_IOREQ_NONE);

	/* a server destroyed before answering is no longer waited for */
	ticket = xensim_guest_io_broadcast_submit(GUEST, 1);
	ck_assert_int_ge(ticket, 0);
	answer_slot(evt, lport[0], &slot[0][1]);
	{
		struct xen_dm_op op;

		op_init(&op, XEN_DMOP_destroy_ioreq_server);
		op.u.destroy_ioreq_server.id = id[1];
		ck_assert_int_eq(dmop(&op), 0);
	}
	ck_assert_int_eq(xensim_guest_io_wait(ticket, &done, 10000), XENSIM_IO_SERVED);
	ck_assert_uint_eq(done, 1);
	/* an `io-broadcast` nobody answers times out and is withdrawn */
	ck_assert_int_eq(xensim_guest_io_broadcast(GUEST, 1, &servers, 10), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	for (i = 0; i < 100 && slot_state(&slot[0][1]) != STATE_IOREQ_NONE; i++)
		usleep(10000);
	ck_assert_uint_eq(slot_state(&slot[0][1]), STATE_IOREQ_NONE);
	/* no enabled server: nothing to wait for */
	ck_assert_int_eq(set_state(id[0], 0), 0);
	ck_assert_int_eq(xensim_guest_io_broadcast(GUEST, 1, &servers, 10000),
			 XENSIM_IO_UNCLAIMED);
	ck_assert_uint_eq(servers, 0);
	ck_assert_int_eq(xensim_guest_io_broadcast(PVDOM, 0, &servers, 10000), -1);
	ck_assert_int_eq(errno, EINVAL);
	for (i = 0; i < 3; i++)
		munmap(slot[i], PAGE);
	close(evt);
}
END_TEST

/* ---- memory types -------------------------------------------------------------------
 */

static int set_mem_type(uint16_t type, uint64_t first, uint32_t nr)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_set_mem_type);
	op.u.set_mem_type.mem_type = type;
	op.u.set_mem_type.first_pfn = first;
	op.u.set_mem_type.nr = nr;
	return dmop(&op);
}

static int map_mem_type(ioservid_t id, uint16_t type, uint32_t flags)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_map_mem_type_to_ioreq_server);
	op.u.map_mem_type_to_ioreq_server.id = id;
	op.u.map_mem_type_to_ioreq_server.type = type;
	op.u.map_mem_type_to_ioreq_server.flags = flags;
	return dmop(&op);
}

START_TEST(t_mem_type)
{
	struct xensim_ioreq_server_info info;
	struct xen_dm_op op;
	ioservid_t a = create_server(GUEST, 0), b = create_server(GUEST, 0);
	struct xensim_io io = {.space = XENSIM_IO_MMIO,
			       .write = 1,
			       .addr = 0x200010,
			       .size = 4,
			       .data = 7};
	struct ioreq *slot;
	int err, ticket;

	ck_assert_int_eq(xensim_mem_type(GUEST, 0x100), HVMMEM_ram_rw);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_ro, 0x100, 4), 0);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x103), HVMMEM_ram_ro);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x104), HVMMEM_ram_rw);
	ck_assert_int_eq(set_mem_type(HVMMEM_mmio_dm, 0x100, 1), 0);
	ck_assert_int_eq(set_mem_type(HVMMEM_mmio_dm, 0x100, 1), 0);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_rw, 0x100, 1), -EINVAL); /* hole */
	ck_assert_int_eq(set_mem_type(3, 0x101, 1), -EINVAL);		  /* unused */
	ck_assert_int_eq(set_mem_type(5, 0x101, 1), -EINVAL);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_rw, 0x101, 0), -EINVAL);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_rw, NR_GFNS - 1, 2), -EINVAL);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_rw, NR_GFNS - 1, 1), 0);
	op_init(&op, XEN_DMOP_set_mem_type);
	op.u.set_mem_type.nr = 1;
	op.u.set_mem_type.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	/* ioreq_server pages need a claim first */
	ck_assert_int_eq(set_mem_type(HVMMEM_ioreq_server, 0x200, 1), -EINVAL);
	ck_assert_int_eq(map_mem_type(a, HVMMEM_mmio_dm, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
			 -EINVAL);
	ck_assert_int_eq(
		map_mem_type(a, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_READ),
		-EINVAL);
	ck_assert_int_eq(
		map_mem_type(7, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
		-ENOENT);
	ck_assert_int_eq(map_mem_type(a, HVMMEM_ioreq_server, 0),
			 -EINVAL); /* not claimed */
	ck_assert_int_eq(
		map_mem_type(a, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE), 0);
	ck_assert_int_eq(xensim_ioreq_server(GUEST, a, &info), 0);
	ck_assert_int_eq(info.mem_type_claimed, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE);
	ck_assert_int_eq(
		map_mem_type(b, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
		-EBUSY);
	ck_assert_int_eq(set_mem_type(HVMMEM_ioreq_server, 0x200, 2), 0);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x201), HVMMEM_ioreq_server);
	ck_assert_int_eq(set_mem_type(HVMMEM_ram_ro, 0x200, 1), -EINVAL);
	ck_assert_int_eq(set_mem_type(HVMMEM_ioreq_server, 0x200, 1), -EINVAL);
	/* writes to those pages go to the claiming server */
	slot = map_resource(a, 1, 1, &err);
	ck_assert_ptr_nonnull(slot);
	ck_assert_int_eq(set_state(a, 1), 0);
	ticket = xensim_guest_io_submit(GUEST, 0, &io);
	ck_assert_int_ge(ticket, 0);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_READY);
	ck_assert_uint_eq(slot[0].addr, 0x200010);
	ck_assert_uint_eq(slot[0].data, 7);
	ck_assert_int_eq(map_mem_type(b, HVMMEM_ioreq_server, 0), -EINVAL);
	/* unclaim: the pages go back to ram_rw */
	ck_assert_int_eq(map_mem_type(a, HVMMEM_ioreq_server, 0), 0);
	ck_assert_int_eq(xensim_mem_type(GUEST, 0x200), HVMMEM_ram_rw);
	ck_assert_int_eq(
		map_mem_type(b, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE), 0);
	munmap(slot, PAGE);
}
END_TEST

/* ---- dirty tracking, modified memory, relocation ----------------------------------- */

START_TEST(t_track_dirty_vram)
{
	struct xen_dm_op op;
	uint8_t bm[8], big[3];

	op_init(&op, XEN_DMOP_track_dirty_vram);
	op.u.track_dirty_vram.first_pfn = 0x400;
	op.u.track_dirty_vram.nr = 20;
	ck_assert_int_eq(dmop(&op), -EINVAL);		      /* no bitmap buffer */
	ck_assert_int_eq(dmop2(GUEST, &op, big, 2), -EINVAL); /* (20 + 7) / 8 = 3 bytes */
	op.u.track_dirty_vram.pad = 1;
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), -EINVAL);
	op.u.track_dirty_vram.pad = 0;
	op.u.track_dirty_vram.nr = (1u << 18) + 1;
	ck_assert_int_eq(dmop2(GUEST, &op, bm, sizeof(bm)), -EINVAL);
	/* a new range: everything dirty once */
	op.u.track_dirty_vram.nr = 20;
	memset(big, 0, sizeof(big));
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	ck_assert_uint_eq(big[0], 0xff);
	ck_assert_uint_eq(big[2], 0xff);
	memset(big, 0xaa, sizeof(big));
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	ck_assert_uint_eq(big[0] | big[1] | big[2], 0);
	/* the guest dirties frames; the DM marks one modified */
	ck_assert_int_eq(xensim_guest_dirty(GUEST, 0x401), 0);
	ck_assert_int_eq(xensim_guest_dirty(GUEST, 0x413), 0);
	ck_assert_int_eq(xensim_guest_dirty(GUEST, NR_GFNS), -1);
	ck_assert_int_eq(errno, EINVAL);
	{
		struct xen_dm_op m;
		struct xen_dm_op_modified_memory_extent e = {.nr = 1, .first_pfn = 0x409};

		op_init(&m, XEN_DMOP_modified_memory);
		m.u.modified_memory.nr_extents = 1;
		ck_assert_int_eq(dmop2(GUEST, &m, &e, sizeof(e)), 0);
	}
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	ck_assert_uint_eq(big[0], 0x02);
	ck_assert_uint_eq(big[1], 0x02);
	ck_assert_uint_eq(big[2], 0x08);
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	ck_assert_uint_eq(big[0] | big[1] | big[2], 0);
	/* nr == 0 stops tracking: the next call is a new range again */
	op.u.track_dirty_vram.nr = 0;
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	op.u.track_dirty_vram.nr = 20;
	ck_assert_int_eq(dmop2(GUEST, &op, big, 3), 0);
	ck_assert_uint_eq(big[1], 0xff);
}
END_TEST

START_TEST(t_modified_memory)
{
	struct xen_dm_op op;
	struct xen_dm_op_modified_memory_extent e[3] = {{.nr = 2, .first_pfn = 0x10},
							{.nr = 1, .first_pfn = 0x20},
							{.nr = 1, .first_pfn = NR_GFNS}};

	op_init(&op, XEN_DMOP_modified_memory);
	op.u.modified_memory.nr_extents = 2;
	ck_assert_int_eq(dmop(&op), -EINVAL);			       /* one buffer */
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e[0])), -EINVAL); /* too short */
	ck_assert_int_eq(dmop2(GUEST, &op, e, 2 * sizeof(e[0])), 0);
	ck_assert_int_eq(xensim_modified(GUEST, 0x10), 1);
	ck_assert_int_eq(xensim_modified(GUEST, 0x10), 0); /* read clears */
	ck_assert_int_eq(xensim_modified(GUEST, 0x11), 1);
	ck_assert_int_eq(xensim_modified(GUEST, 0x12), 0);
	ck_assert_int_eq(xensim_modified(GUEST, 0x20), 1);
	/* extent 2 is outside RAM: ignored without log-dirty mode (as Xen),
	 * an error with it: Xen reports the failing extent + 1 */
	op.u.modified_memory.nr_extents = 3;
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e)), 0);
	{
		struct xen_dm_op v;
		uint8_t vbm[3] = {0, 0, 0};

		op_init(&v, XEN_DMOP_track_dirty_vram); /* log-dirty mode on */
		v.u.track_dirty_vram.first_pfn = 0x400;
		v.u.track_dirty_vram.nr = 20;
		ck_assert_int_eq(dmop2(GUEST, &v, vbm, sizeof(vbm)), 0);
	}
	op.u.modified_memory.nr_extents = 3;
	op.u.modified_memory.opaque = 0;
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e)), -EINVAL);
	ck_assert_uint_eq(op.u.modified_memory.nr_extents, 3);
	e[2].first_pfn = 0x30;
	e[2].nr = 0;
	op.u.modified_memory.nr_extents = 3;
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e)), -EINVAL);
	e[2].nr = 1;
	e[2].pad = 1;
	op.u.modified_memory.nr_extents = 3;
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e)), -EINVAL);
	e[2].pad = 0;
	op.u.modified_memory.nr_extents = 3;
	op.u.modified_memory.opaque = 5; /* past the last extent's size */
	ck_assert_int_eq(dmop2(GUEST, &op, e, sizeof(e)), -EINVAL);
}
END_TEST

START_TEST(t_relocate_memory)
{
	struct xen_dm_op op;
	char buf[16];

	ck_assert_int_eq(xensim_guest_write(GUEST, 0x50 * PAGE, "page-50", 8), 0);
	ck_assert_int_eq(xensim_guest_write(GUEST, 0x51 * PAGE, "page-51", 8), 0);
	op_init(&op, XEN_DMOP_relocate_memory);
	op.u.relocate_memory.size = 2;
	op.u.relocate_memory.src_gfn = 0x50;
	op.u.relocate_memory.dst_gfn = 0x70;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x70 * PAGE, buf, 8), 0);
	ck_assert_str_eq(buf, "page-50");
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x71 * PAGE, buf, 8), 0);
	ck_assert_str_eq(buf, "page-51");
	ck_assert_int_eq(xensim_guest_read(GUEST, 0x50 * PAGE, buf, 8), 0);
	ck_assert_int_eq(buf[0], 0);
	op_init(&op, XEN_DMOP_relocate_memory);
	op.u.relocate_memory.size = 2;
	op.u.relocate_memory.src_gfn = NR_GFNS - 1;
	op.u.relocate_memory.dst_gfn = 0x70;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.relocate_memory.src_gfn = 0x70;
	op.u.relocate_memory.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.relocate_memory.pad = 0;
	op.u.relocate_memory.size = 0;
	ck_assert_int_eq(dmop(&op), 0);
}
END_TEST

/* ---- interrupts, events, cache attributes, shutdown ---------------------------------
 */

START_TEST(t_irq_lines)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_set_isa_irq_level);
	op.u.set_isa_irq_level.isa_irq = 4;
	op.u.set_isa_irq_level.level = 1;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_isa_irq_level(GUEST, 4), 1);
	ck_assert_int_eq(xensim_irq_assert_count(GUEST, 4), 2);
	op.u.set_isa_irq_level.level = 0;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_isa_irq_level(GUEST, 4), 0);
	ck_assert_int_eq(xensim_irq_assert_count(GUEST, 4), 2);
	op.u.set_isa_irq_level.level = 2;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_isa_irq_level.level = 1;
	op.u.set_isa_irq_level.isa_irq = 16;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	ck_assert_int_eq(xensim_isa_irq_level(GUEST, 16), -1);
	ck_assert_int_eq(errno, EINVAL);

	op_init(&op, XEN_DMOP_set_pci_intx_level);
	op.u.set_pci_intx_level.device = 31;
	op.u.set_pci_intx_level.intx = 3;
	op.u.set_pci_intx_level.level = 1;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_pci_intx_level(GUEST, 0, 0, 31, 3), 1);
	op.u.set_pci_intx_level.bus = 1; /* only Xen's emulated bus 0 */
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_pci_intx_level.bus = 0;
	op.u.set_pci_intx_level.domain = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_pci_intx_level.domain = 0;
	op.u.set_pci_intx_level.device = 32;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_pci_intx_level.device = 1;
	op.u.set_pci_intx_level.intx = 4;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_pci_intx_level.intx = 0;
	op.u.set_pci_intx_level.level = 2;
	ck_assert_int_eq(dmop(&op), -EINVAL);

	op_init(&op, XEN_DMOP_set_pci_link_route);
	op.u.set_pci_link_route.link = 3;
	op.u.set_pci_link_route.isa_irq = 15;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_pci_link_route(GUEST, 3), 15);
	op.u.set_pci_link_route.isa_irq = 0;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_pci_link_route(GUEST, 3), 0);
	op.u.set_pci_link_route.isa_irq = 16;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_pci_link_route.link = 4;
	op.u.set_pci_link_route.isa_irq = 5;
	ck_assert_int_eq(dmop(&op), -EINVAL);

	op_init(&op, XEN_DMOP_set_irq_level);
	op.u.set_irq_level.irq = 32;
	op.u.set_irq_level.level = 1;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_irq_level(GUEST, 32), 1);
	op.u.set_irq_level.irq = 31; /* SPIs only */
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_irq_level.irq = 1020;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_irq_level.irq = 40;
	op.u.set_irq_level.level = 2;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.set_irq_level.level = 1;
	op.u.set_irq_level.pad[2] = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	ck_assert_int_eq(xensim_irq_level(GUEST, 40), 0);
}
END_TEST

START_TEST(t_events_msis_shutdown)
{
	struct xensim_event ev[2];
	struct xensim_msi msi[2];
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_inject_event);
	op.u.inject_event.vcpuid = 2; /* 2 vCPUs */
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.inject_event.vcpuid = 0;
	op.u.inject_event.pad0 = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.inject_event.pad0 = 0;
	op.u.inject_event.pad1 = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	op.u.inject_event.pad1 = 0;
	op.u.inject_event.vector = 3;
	op.u.inject_event.type = XEN_DMOP_EVENT_sw_exc;
	op.u.inject_event.insn_len = 1;
	op.u.inject_event.error_code = ~0u;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(dmop(&op), 0); /* the vCPU took the first one */
	ck_assert_int_eq(xensim_events(GUEST, ev, 2), 2);
	ck_assert_uint_eq(ev[1].vector, 3);
	ck_assert_uint_eq(ev[1].type, XEN_DMOP_EVENT_sw_exc);
	ck_assert_uint_eq(ev[1].insn_len, 1);
	ck_assert_uint_eq(ev[1].error_code, ~0u);

	op_init(&op, XEN_DMOP_inject_msi);
	op.u.inject_msi.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
	ck_assert_int_eq(xensim_msis(GUEST, msi, 2), 0);

	ck_assert_int_eq(xensim_shutdown_reason(GUEST), -1);
	ck_assert_int_eq(errno, ENOENT);
	op_init(&op, XEN_DMOP_remote_shutdown);
	op.u.remote_shutdown.reason = 3; /* crash */
	ck_assert_int_eq(dmop(&op), 0);
	op.u.remote_shutdown.reason = 0; /* the first reason sticks */
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_int_eq(xensim_shutdown_reason(GUEST), 3);
}
END_TEST

static int pin(uint64_t start, uint64_t end, uint32_t type)
{
	struct xen_dm_op op;

	op_init(&op, XEN_DMOP_pin_memory_cacheattr);
	op.u.pin_memory_cacheattr.start = start;
	op.u.pin_memory_cacheattr.end = end;
	op.u.pin_memory_cacheattr.type = type;
	return dmop(&op);
}

START_TEST(t_cacheattr)
{
	struct xen_dm_op op;

	ck_assert_int_eq(pin(0x20, 0x10, XEN_DMOP_MEM_CACHEATTR_WB), -EINVAL);
	ck_assert_int_eq(pin(0x10, 0x20, 2), -EINVAL);
	ck_assert_int_eq(pin(0x10, 0x20, XEN_DMOP_MEM_CACHEATTR_UC), 0);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x10), XEN_DMOP_MEM_CACHEATTR_UC);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x20), XEN_DMOP_MEM_CACHEATTR_UC);
	ck_assert_int_eq(pin(0x20, 0x30, XEN_DMOP_MEM_CACHEATTR_WB), -EBUSY);
	ck_assert_int_eq(pin(0x10, 0x20, XEN_DMOP_MEM_CACHEATTR_WT), 0); /* same range */
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x15), XEN_DMOP_MEM_CACHEATTR_WT);
	ck_assert_int_eq(pin(0x21, 0x21, XEN_DMOP_MEM_CACHEATTR_UCM), 0);
	ck_assert_int_eq(pin(0x10, 0x1f, XEN_DMOP_DELETE_MEM_CACHEATTR), -ENOENT);
	ck_assert_int_eq(pin(0x10, 0x20, XEN_DMOP_DELETE_MEM_CACHEATTR), 0);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x15), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(xensim_cacheattr(GUEST, 0x21), XEN_DMOP_MEM_CACHEATTR_UCM);
	op_init(&op, XEN_DMOP_pin_memory_cacheattr);
	op.u.pin_memory_cacheattr.start = 1;
	op.u.pin_memory_cacheattr.end = 1;
	op.u.pin_memory_cacheattr.pad = 1;
	ck_assert_int_eq(dmop(&op), -EINVAL);
}
END_TEST

/* ---- irqfd and ioeventfd -------------------------------------------------------------
 */

static int wait_asserts(unsigned int irq, int n)
{
	int i, c = 0;

	for (i = 0; i < 1000; i++) {
		c = xensim_irq_assert_count(GUEST, irq);
		if (c >= n)
			break;
		usleep(10000);
	}
	return c;
}

START_TEST(t_irqfd_isa)
{
	int efd = eventfd(0, EFD_CLOEXEC), pfd[2], fd2, i;
	struct xen_dm_op op;
	struct privcmd_irqfd ir = {.size = sizeof(op), .dom = GUEST};
	uint64_t one = 1;

	ck_assert_int_ge(efd, 0);
	op_init(&op, XEN_DMOP_set_isa_irq_level);
	op.u.set_isa_irq_level.isa_irq = 9;
	op.u.set_isa_irq_level.level = 1;
	ir.dm_op = (uint64_t)(uintptr_t)&op;
	ir.fd = (uint32_t)efd;
	ir.flags = 2;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	ir.flags = 0;
	ir.fd = (uint32_t)pfd[0];
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(pfd[0]);
	close(pfd[1]);
	/* a count already pending is injected at once */
	ck_assert_int_eq(write(efd, &one, sizeof(one)), sizeof(one));
	ir.fd = (uint32_t)efd;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir), 0);
	ck_assert_int_eq(wait_asserts(9, 1), 1);
	for (i = 2; i <= 4; i++) {
		ck_assert_int_eq(write(efd, &one, sizeof(one)), sizeof(one));
		ck_assert_int_eq(wait_asserts(9, i), i);
	}
	ck_assert_int_eq(xensim_isa_irq_level(GUEST, 9), 1);
	/* released with the privcmd file: the same eventfd can be assigned
	 * again on another one */
	fd2 = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd2, 0);
	ck_assert_int_eq(ioctl(fd2, IOCTL_PRIVCMD_IRQFD, &ir), -1);
	ck_assert_int_eq(errno, EBUSY);
	close(priv);
	priv = fd2;
	for (i = 0; i < 1000 && ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir) != 0; i++) {
		ck_assert_int_eq(errno, EBUSY);
		usleep(10000);
	}
	ck_assert_int_lt(i, 1000);
	/* deassign; deassigning again is no error (as Linux) */
	ir.flags = PRIVCMD_IRQFD_FLAG_DEASSIGN;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir), 0);
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IRQFD, &ir), 0);
	close(efd);
}
END_TEST

START_TEST(t_ioeventfd_rules)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), efd2 = eventfd(0, EFD_CLOEXEC),
	    err;
	ioservid_t id = create_server(GUEST, 1);
	struct xensim_ioreq_server_info info;
	struct privcmd_ioeventfd io = {
		.addr = 0x10000000, .addr_len = 4, .vcpus = 2, .vq = 1, .dom = GUEST};
	struct xensim_io gio = {.space = XENSIM_IO_MMIO,
				.write = 1,
				.addr = 0x10000050,
				.size = 4,
				.data = 0x10001};
	uint32_t ports[2];
	uint64_t cnt;
	char *va;
	struct ioreq *slot;
	int ticket;

	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ports[0] = info.vcpu_port[0];
	ports[1] = info.vcpu_port[1];
	va = map_resource(id, 0, 2, &err);
	ck_assert_ptr_nonnull(va);
	slot = (struct ioreq *)(va + PAGE);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0x10000000, 0x100001ff),
			 0);
	ck_assert_int_eq(set_state(id, 1), 0);
	io.ioreq = (uint64_t)(uintptr_t)(va + PAGE);
	io.ports = (uint64_t)(uintptr_t)ports;
	io.event_fd = (uint32_t)efd;

	io.flags = 2;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.flags = 0;
	io.addr_len = 3;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.addr_len = 4;
	io.vcpus = 0;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.vcpus = 4097;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.vcpus = 2;
	io.addr = ~0ull - 1;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.addr = 0x10000000;
	io.ioreq = (uint64_t)(uintptr_t)va; /* the buffered page */
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.ioreq = (uint64_t)(uintptr_t)(va + PAGE);
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EBUSY);
	io.event_fd = (uint32_t)efd2;
	io.vcpus = 1; /* same ioreq page, other vCPU count */
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, EINVAL);
	io.vcpus = 2;
	io.vq = 2;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);

	/* data & 0xffff selects the queue */
	ck_assert_int_eq(xensim_guest_io(GUEST, 1, &gio, NULL, 10000),
			 XENSIM_IO_IOEVENTFD);
	ck_assert_int_eq(read(efd, &cnt, sizeof(cnt)), sizeof(cnt));
	ck_assert_uint_eq(cnt, 1);
	ck_assert_uint_eq(slot_state(&slot[1]), STATE_IOREQ_NONE); /* no ioreq seen */
	/* a write of another size or another queue goes to the DM */
	gio.data = 3;
	ticket = xensim_guest_io_submit(GUEST, 0, &gio);
	ck_assert_int_ge(ticket, 0);
	ck_assert_uint_eq(slot_state(&slot[0]), STATE_IOREQ_READY);
	ck_assert_uint_eq(slot[0].data, 3);
	ck_assert_int_eq(read(efd, &cnt, sizeof(cnt)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	/* deassign: by eventfd; unknown -> ENODEV */
	io.flags = PRIVCMD_IOEVENTFD_FLAG_DEASSIGN;
	io.event_fd = (uint32_t)efd;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), -1);
	ck_assert_int_eq(errno, ENODEV);
	io.event_fd = (uint32_t)efd2;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	munmap(va, 2 * PAGE);
	close(efd);
	close(efd2);
}
END_TEST

/* An ioeventfd lives on the ioreq page it was registered on: once that
 * server is gone, a new server with the same id does not inherit it. */
START_TEST(t_ioeventfd_server_gone)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), err;
	ioservid_t id = create_server(GUEST, 0);
	struct xensim_ioreq_server_info info;
	struct privcmd_ioeventfd io = {
		.addr = 0x10000000, .addr_len = 4, .vcpus = 2, .dom = GUEST};
	struct xensim_io gio = {.space = XENSIM_IO_MMIO,
				.write = 1,
				.addr = 0x10000050,
				.size = 4,
				.data = 0};
	struct xen_dm_op op;
	uint32_t ports[2];
	uint64_t cnt;
	char *va;

	ck_assert_int_eq(xensim_ioreq_server(GUEST, id, &info), 0);
	ports[0] = info.vcpu_port[0];
	ports[1] = info.vcpu_port[1];
	va = map_resource(id, 1, 1, &err);
	ck_assert_ptr_nonnull(va);
	io.ioreq = (uint64_t)(uintptr_t)va;
	io.ports = (uint64_t)(uintptr_t)ports;
	io.event_fd = (uint32_t)efd;
	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_IOEVENTFD, &io), 0);
	op_init(&op, XEN_DMOP_destroy_ioreq_server);
	op.u.destroy_ioreq_server.id = id;
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(create_server(GUEST, 0), id);
	ck_assert_int_eq(map_range(id, XEN_DMOP_IO_RANGE_MEMORY, 0x10000000, 0x100001ff),
			 0);
	ck_assert_int_eq(set_state(id, 1), 0);
	munmap(va, PAGE);
	va = map_resource(id, 1, 1, &err);
	ck_assert_ptr_nonnull(va);
	ck_assert_int_ge(xensim_guest_io_submit(GUEST, 0, &gio), 0);
	/* delivered to the new server's slot, the old eventfd stays quiet */
	ck_assert_uint_eq(slot_state((struct ioreq *)va), STATE_IOREQ_READY);
	ck_assert_int_eq(read(efd, &cnt, sizeof(cnt)), -1);
	ck_assert_int_eq(errno, EAGAIN);
	munmap(va, PAGE);
	close(efd);
}
END_TEST

/* A restricted privcmd file acts on its domain only (the kernel's check). */
START_TEST(t_dmop_restricted)
{
	struct xen_dm_op op;
	domid_t dom = GUEST;

	ck_assert_int_eq(ioctl(priv, IOCTL_PRIVCMD_RESTRICT, &dom), 0);
	op_init(&op, XEN_DMOP_nr_vcpus);
	ck_assert_int_eq(dmop2(3, &op, NULL, 0), -EPERM);
	ck_assert_int_eq(dmop(&op), 0);
	ck_assert_uint_eq(op.u.nr_vcpus.vcpus, 2);
}
END_TEST

/* The text commands behind the inspection API, for `xensim ctl`. */
START_TEST(t_ctl_text)
{
	char out[256];

	ck_assert_int_eq(xensim_command("show ioreq-server 1 0", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "exists=0 enabled=0 bufioreq=0 ranges=0,0,0 mem-type=0 "
			      "bufioreq-port=0 vcpu-ports=0,0,0,0,0,0,0,0");
	ck_assert_int_eq(xensim_command("show isa-irq 2 1", out, sizeof(out)), -1);
	ck_assert_int_eq(errno, EINVAL); /* PV */
	ck_assert_int_eq(xensim_command("show isa-irq 9 1", out, sizeof(out)), -1);
	ck_assert_int_eq(errno, ESRCH);
	ck_assert_int_eq(xensim_command("show mem-type 1", out, sizeof(out)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_command("show msis 1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "0");
	ck_assert_int_eq(xensim_command("io 1 0 pio r 0x80 1", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "1 0xff");
	ck_assert_int_eq(xensim_command("io 1 0 disk r 0x80 1", out, sizeof(out)), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(xensim_command("io 1 0 pio r 0x10000 1", out, sizeof(out)), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static Suite *dm_suite(void)
{
	Suite *s = suite_create("xensim-dm");
	TCase *tc = tcase_create("dm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_dmop_checks);
	tcase_add_test(tc, t_dmop_hypercall);
	tcase_add_test(tc, t_ioreq_server_lifecycle);
	tcase_add_test(tc, t_ioreq_resource);
	tcase_add_test(tc, t_ioreq_legacy_gfns);
	tcase_add_test(tc, t_guest_io_served);
	tcase_add_test(tc, t_guest_io_two_servers);
	tcase_add_test(tc, t_guest_io_two_vcpus);
	tcase_add_test(tc, t_guest_io_buffered);
	tcase_add_test(tc, t_guest_io_submit_wait);
	tcase_add_test(tc, t_guest_io_rep);
	tcase_add_test(tc, t_guest_io_broadcast);
	tcase_add_test(tc, t_mem_type);
	tcase_add_test(tc, t_track_dirty_vram);
	tcase_add_test(tc, t_modified_memory);
	tcase_add_test(tc, t_relocate_memory);
	tcase_add_test(tc, t_irq_lines);
	tcase_add_test(tc, t_events_msis_shutdown);
	tcase_add_test(tc, t_cacheattr);
	tcase_add_test(tc, t_irqfd_isa);
	tcase_add_test(tc, t_ioeventfd_rules);
	tcase_add_test(tc, t_ioeventfd_server_gone);
	tcase_add_test(tc, t_dmop_restricted);
	tcase_add_test(tc, t_ctl_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
