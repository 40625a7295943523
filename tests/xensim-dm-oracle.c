/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Oracle check of the device-model part of xensim: a device model written
 * against the upstream API (Debian's libxendevicemodel, libxenforeignmemory
 * and libxenevtchn) runs on the simulated machine and serves a guest I/O
 * request exactly as on Xen; the dm_ops it issues are seen by the
 * simulated hypervisor. Built and run by tests/check-xensim-dm-oracle.sh
 * under `xensim --`; argv[1] is the xensim launcher (for `xensim ctl`).
 * Exit status: 0 pass, 77 skip, otherwise the number of the failed step.
 */
#define __XEN_TOOLS__ 1 /* HVM_IOREQSRV_BUFIOREQ_*, as QEMU does */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xen/hvm/ioreq.h>
#include <xen/memory.h>

static const char *launcher;

/* Run `xensim ctl CMD`, its first output line into @out. */
static int ctl(const char *cmd, char *out, size_t len)
{
	char line[512];
	FILE *f;

	snprintf(line, sizeof(line), "'%s' ctl %s", launcher, cmd);
	f = popen(line, "r");
	if (!f)
		return -1;
	out[0] = '\0';
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	return pclose(f) == 0 ? 0 : -1;
}

static int expect(const char *cmd, const char *want)
{
	char out[256];

	if (ctl(cmd, out, sizeof(out)) || strcmp(out, want)) {
		fprintf(stderr, "oracle: '%s' gave '%s', want '%s'\n", cmd, out, want);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	xendevicemodel_handle *dm;
	xenforeignmemory_handle *fm;
	xenforeignmemory_resource_handle *res = NULL;
	xenevtchn_handle *xe;
	void *addr = NULL;
	struct ioreq *io;
	ioservid_t id;
	evtchn_port_t bufport;
	unsigned int vcpus;
	int lport[2], p, i, legacy = 0;
	unsigned long bitmap[1];
	char out[256], ticket[64], cmd[128];

	if (argc < 2)
		return 2;
	launcher = argv[1];
	dm = xendevicemodel_open(NULL, 0);
	fm = xenforeignmemory_open(NULL, 0);
	xe = xenevtchn_open(NULL, 0);
	if (!dm || !fm || !xe)
		return 3;
	if (xendevicemodel_nr_vcpus(dm, 1, &vcpus) || vcpus != 2)
		return 4;
	if (xendevicemodel_create_ioreq_server(dm, 1, HVM_IOREQSRV_BUFIOREQ_ATOMIC, &id))
		return 5;
	if (xendevicemodel_get_ioreq_server_info(dm, 1, id, NULL, NULL, &bufport) ||
	    !bufport)
		return 6;
	res = xenforeignmemory_map_resource(fm, 1, XENMEM_resource_ioreq_server, id, 0, 2,
					    &addr, PROT_READ | PROT_WRITE, 0);
	if (!res && errno == EOPNOTSUPP) {
		/* QEMU's fallback for kernels without MMAP_RESOURCE: the
		 * legacy gfns, mapped as foreign guest frames */
		xen_pfn_t ioreq_gfn, buf_gfn, pfns[2];
		int errs[2] = {1, 1};

		if (xendevicemodel_get_ioreq_server_info(dm, 1, id, &ioreq_gfn, &buf_gfn,
							 &bufport))
			return 30;
		pfns[0] = buf_gfn;
		pfns[1] = ioreq_gfn;
		addr = xenforeignmemory_map(fm, 1, PROT_READ | PROT_WRITE, 2, pfns, errs);
		if (!addr || errs[0] || errs[1])
			return 31;
		legacy = 1;
	} else if (!res) {
		return 7;
	}
	printf("path=%s\n", legacy ? "legacy" : "resource");
	fflush(stdout);
	io = (struct ioreq *)((char *)addr + 4096);
	for (i = 0; i < 2; i++) {
		lport[i] = xenevtchn_bind_interdomain(xe, 1, io[i].vp_eport);
		if (lport[i] < 0)
			return 8;
	}
	if (xendevicemodel_map_io_range_to_ioreq_server(dm, 1, id, 0, 0x3f8, 0x3ff) ||
	    xendevicemodel_map_pcidev_to_ioreq_server(dm, 1, id, 0, 0, 3, 0) ||
	    xendevicemodel_set_ioreq_server_state(dm, 1, id, 1))
		return 9;
	snprintf(cmd, sizeof(cmd), "show ioreq-range 1 %u 2 0x18 0x18", id);
	if (expect(cmd, "1"))
		return 10;

	/* The guest reads port 0x3f9; we serve it through the ioreq page. */
	if (ctl("io-submit 1 0 pio r 0x3f9 1", ticket, sizeof(ticket)))
		return 11;
	for (;;) {
		struct pollfd pfd = {.fd = xenevtchn_fd(xe), .events = POLLIN};

		if (poll(&pfd, 1, 10000) != 1)
			return 12;
		p = xenevtchn_pending(xe);
		if (p < 0)
			return 13;
		xenevtchn_unmask(xe, (evtchn_port_t)p);
		if (p == lport[0] && io[0].state == STATE_IOREQ_READY)
			break;
	}
	if (io[0].addr != 0x3f9 || io[0].size != 1 || io[0].dir != IOREQ_READ ||
	    io[0].type != IOREQ_TYPE_PIO)
		return 14;
	io[0].state = STATE_IOREQ_INPROCESS;
	io[0].data = 0x5a;
	__sync_synchronize();
	io[0].state = STATE_IORESP_READY;
	if (xenevtchn_notify(xe, (evtchn_port_t)lport[0]))
		return 15;
	snprintf(cmd, sizeof(cmd), "io-wait %s 10000", ticket);
	if (expect(cmd, "0 0x5a"))
		return 16;

	/* Interrupts, MSIs, memory: what the hypervisor saw. */
	if (xendevicemodel_set_isa_irq_level(dm, 1, 5, 1) ||
	    xendevicemodel_set_pci_intx_level(dm, 1, 0, 0, 3, 0, 1) ||
	    xendevicemodel_set_pci_link_route(dm, 1, 1, 10) ||
	    xendevicemodel_inject_msi(dm, 1, 0xfee00000, 0x41) ||
	    xendevicemodel_set_mem_type(dm, 1, HVMMEM_ram_ro, 0x300, 2) ||
	    xendevicemodel_modified_memory(dm, 1, 0x310, 1) ||
	    xendevicemodel_pin_memory_cacheattr(dm, 1, 0x320, 0x321,
						XEN_DMOP_MEM_CACHEATTR_WC) ||
	    xendevicemodel_inject_event(dm, 1, 1, 14, XEN_DMOP_EVENT_hw_exc, 2, 0,
					0x1000) ||
	    xendevicemodel_shutdown(dm, 1, 2))
		return 17;
	if (expect("show isa-irq 1 5", "1") || expect("show pci-intx 1 0 0 3 0", "1") ||
	    expect("show link-route 1 1", "10") || expect("show msis 1", "1") ||
	    expect("show mem-type 1 0x301", "1") ||
	    expect("show modified 1 0x310", "1") ||
	    expect("show cacheattr 1 0x321", "1") || expect("show events 1", "1") ||
	    expect("show shutdown 1", "2"))
		return 18;
	/* track_dirty_vram: a new range is all dirty, then what the guest did */
	if (xendevicemodel_track_dirty_vram(dm, 1, 0x400, 8, bitmap) ||
	    (bitmap[0] & 0xff) != 0xff)
		return 19;
	if (ctl("guest-dirty 1 0x402", out, sizeof(out)))
		return 20;
	bitmap[0] = 0;
	if (xendevicemodel_track_dirty_vram(dm, 1, 0x400, 8, bitmap) ||
	    (bitmap[0] & 0xff) != 4)
		return 21;
	/* errors as Xen gives them */
	if (xendevicemodel_set_isa_irq_level(dm, 1, 16, 1) != -1 || errno != EINVAL)
		return 22;
	if (xendevicemodel_map_io_range_to_ioreq_server(dm, 1, id, 0, 0x3fc, 0x400) !=
		    -1 ||
	    errno != EEXIST)
		return 23;
	if (xendevicemodel_set_ioreq_server_state(dm, 1, 7, 1) != -1 || errno != ENOENT)
		return 24;
	if (xendevicemodel_nr_vcpus(dm, 9, &vcpus) != -1 || errno != ESRCH)
		return 25;

	if (xendevicemodel_destroy_ioreq_server(dm, 1, id))
		return 26;
	snprintf(cmd, sizeof(cmd), "show ioreq-server 1 %u", id);
	if (ctl(cmd, out, sizeof(out)) || strncmp(out, "exists=0", 8))
		return 27;
	if (legacy)
		xenforeignmemory_unmap(fm, addr, 2);
	else
		xenforeignmemory_unmap_resource(fm, res);
	xenevtchn_close(xe);
	xenforeignmemory_close(fm);
	xendevicemodel_close(dm);
	return 0;
}
