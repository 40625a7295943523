/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-guest - the stable libraries against a real (paused, empty) HVM
 * guest. Debian's libxenctrl is used only as the toolstack that creates
 * and destroys the guest (a black-box helper, never part of xenstable);
 * it itself runs on whatever libxencall/foreignmemory/... dom0 was given.
 *
 * Checked: foreign mapping of the guest's RAM (read/write, batches, a
 * hole), grant-table resource size and mapping, device-model ops (vCPU
 * count, ioreq server lifecycle with its resource pages, memory types,
 * interrupt lines, MSI) and deprivileged operation after
 * xentoolcore_restrict_all to the guest (in a child process, which opens
 * its own handles: a privcmd restriction belongs to the open file, which a
 * fork would share).
 */
/* live-build: -lxenctrl -lxentoolcore -lxencall -lxendevicemodel -lxenforeignmemory */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xendevicemodel.h>
#include <xenforeignmemory.h>
#include <xentoolcore.h>

#include "live.h"

#define GUEST_PAGES   512 /* gfns 0 .. 511 populated: 2 MiB of RAM */
#define GRANT_FRAMES  32
#define RES_GRANT     1 /* XENMEM_resource_grant_table */
#define RES_IOREQ     0 /* XENMEM_resource_ioreq_server */
#define IOREQ_FRAME_0 1 /* XENMEM_resource_ioreq_server_frame_ioreq(0) */

static int create_guest(xc_interface *xch, uint32_t *domid)
{
	struct xen_domctl_createdomain cfg;
	xen_pfn_t gfns[GUEST_PAGES];
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ssidref = 0;
	cfg.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	cfg.max_vcpus = 1;
	cfg.max_evtchn_port = 1023;
	cfg.max_grant_frames = GRANT_FRAMES;
	cfg.max_maptrack_frames = 128;
	cfg.grant_opts = XEN_DOMCTL_GRANT_version(1);
	/* Xen refuses vPCI for a domU HVM guest: everything else */
	cfg.arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
	*domid = 0;
	r = xc_domain_create(xch, domid, &cfg);
	if (!live_check(r == 0 && *domid > 0, "create a paused HVM guest (libxenctrl)",
			"rc=%d domid=%u (%s)", r, *domid, r ? strerror(errno) : "ok"))
		return -1;
	r = xc_set_paging_mempool_size(xch, *domid, 4 << 20);
	live_check(r == 0, "give it a 4 MiB paging pool (libxenctrl)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xc_domain_setmaxmem(xch, *domid, 4 * GUEST_PAGES + 1024);
	live_check(r == 0, "set its maxmem (libxenctrl)", "rc=%d", r);
	for (int i = 0; i < GUEST_PAGES; i++)
		gfns[i] = (xen_pfn_t)i;
	r = xc_domain_populate_physmap_exact(xch, *domid, GUEST_PAGES, 0, 0, gfns);
	return live_check(r == 0, "populate 2 MiB of its RAM (libxenctrl)", "rc=%d (%s)", r,
			  r ? strerror(errno) : "ok")
		       ? 0
		       : -1;
}

static void test_foreignmemory(uint32_t dom)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	xen_pfn_t pfns[3] = { 0x100, 0x101, 0x1ff };
	xen_pfn_t hole[2] = { 0x10, 0x40000 };
	int err[3] = { 9, 9, 9 };
	size_t size = 0;
	void *addr = NULL;
	char *p;
	int r;

	if (!live_check(fm != NULL, "xenforeignmemory_open", "%s", fm ? "ok" : strerror(errno)))
		return;
	p = xenforeignmemory_map(fm, dom, PROT_READ | PROT_WRITE, 1, pfns, err);
	if (live_check(p != NULL && err[0] == 0, "map guest gfn 0x100 read-write",
		       "%p err=%d", (void *)p, err[0])) {
		live_check(p[0] == 0 && p[4095] == 0, "fresh guest RAM reads zero", "%d %d", p[0],
			   p[4095]);
		strcpy(p + 16, "written by dom0");
		xenforeignmemory_unmap(fm, p, 1);
	}
	p = xenforeignmemory_map(fm, dom, PROT_READ, 3, pfns, err);
	if (live_check(p != NULL && !err[0] && !err[1] && !err[2], "map 3 guest gfns read-only",
		       "err=%d %d %d", err[0], err[1], err[2])) {
		live_check(strcmp(p + 16, "written by dom0") == 0,
			   "a second mapping sees what the first wrote", "'%.20s'", p + 16);
		r = xenforeignmemory_unmap(fm, p, 3);
		live_check(r == 0, "xenforeignmemory_unmap", "rc=%d", r);
	}
	err[0] = err[1] = 9;
	p = xenforeignmemory_map(fm, dom, PROT_READ, 2, hole, err);
	/* the batch succeeds; the frame that is not populated has -EINVAL */
	live_check(p != NULL && err[0] == 0 && err[1] == -EINVAL, "map with a hole in the batch",
		   "err=%d %d", err[0], err[1]);
	if (p)
		xenforeignmemory_unmap(fm, p, 2);

	r = xenforeignmemory_resource_size(fm, (domid_t)dom, RES_GRANT, 0, &size);
	live_check(r == 0 && size == GRANT_FRAMES * 4096, "resource_size(guest grant table)",
		   "rc=%d size=%zu (%s)", r, size, r ? strerror(errno) : "ok");
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_GRANT, 0, 0, 1, &addr,
					    PROT_READ | PROT_WRITE, 0);
	if (live_check(res != NULL && addr != NULL, "map_resource(guest grant table frame 0)",
		       "%p (%s)", addr, res ? "ok" : strerror(errno))) {
		volatile uint32_t *gnt = addr;

		gnt[8 * 2 + 1] = 0x12345678; /* a v1 entry's frame field */
		live_check(gnt[8 * 2 + 1] == 0x12345678, "grant table frame is writable",
			   "%#x", gnt[8 * 2 + 1]);
		gnt[8 * 2 + 1] = 0;
		r = xenforeignmemory_unmap_resource(fm, res);
		live_check(r == 0, "unmap_resource", "rc=%d", r);
	}
	xenforeignmemory_close(fm);
}

static void test_devicemodel(uint32_t dom)
{
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	unsigned int vcpus = 0;
	ioservid_t id = 0xffff;
	void *addr = NULL;
	int r;

	if (!live_check(dm && fm, "xendevicemodel_open", "%s", dm ? "ok" : strerror(errno)))
		goto out;
	r = xendevicemodel_nr_vcpus(dm, (domid_t)dom, &vcpus);
	live_check(r == 0 && vcpus == 1, "xendevicemodel_nr_vcpus", "rc=%d vcpus=%u", r, vcpus);
	r = xendevicemodel_create_ioreq_server(dm, (domid_t)dom, HVM_IOREQSRV_BUFIOREQ_OFF, &id);
	if (!live_check(r == 0 && id != 0xffff, "create_ioreq_server(no buffered ioreqs)",
			"rc=%d id=%u (%s)", r, id, r ? strerror(errno) : "ok"))
		goto out;
	r = xendevicemodel_get_ioreq_server_info(dm, (domid_t)dom, id, NULL, NULL, NULL);
	live_check(r == 0, "get_ioreq_server_info (no gfns asked)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_IOREQ, id, IOREQ_FRAME_0, 1,
					    &addr, PROT_READ | PROT_WRITE, 0);
	if (live_check(res != NULL, "map_resource(ioreq server page of vCPU 0)", "%p (%s)", addr,
		       res ? "ok" : strerror(errno)))
		xenforeignmemory_unmap_resource(fm, res);
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x3f8, 0x3ff);
	live_check(r == 0, "map_io_range_to_ioreq_server(port 0x3f8-0x3ff)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	errno = 0;
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x3f8, 0x3ff);
	live_check(r == -1 && errno == EEXIST, "map the same range again", "rc=%d errno=%d (%s)",
		   r, errno, strerror(errno));
	r = xendevicemodel_unmap_io_range_from_ioreq_server(dm, (domid_t)dom, id, 0, 0x3f8,
							    0x3ff);
	live_check(r == 0, "unmap_io_range_from_ioreq_server", "rc=%d", r);
	r = xendevicemodel_map_pcidev_to_ioreq_server(dm, (domid_t)dom, id, 0, 0, 3, 0);
	live_check(r == 0, "map_pcidev_to_ioreq_server(00:03.0)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xendevicemodel_unmap_pcidev_from_ioreq_server(dm, (domid_t)dom, id, 0, 0, 3, 0);
	live_check(r == 0, "unmap_pcidev_from_ioreq_server", "rc=%d", r);
	r = xendevicemodel_set_ioreq_server_state(dm, (domid_t)dom, id, 1);
	live_check(r == 0, "set_ioreq_server_state(enabled)", "rc=%d", r);
	r = xendevicemodel_set_ioreq_server_state(dm, (domid_t)dom, id, 0);
	live_check(r == 0, "set_ioreq_server_state(disabled)", "rc=%d", r);
	r = xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id);
	live_check(r == 0, "destroy_ioreq_server", "rc=%d", r);
	errno = 0;
	r = xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id);
	live_check(r == -1 && errno == ENOENT, "destroy_ioreq_server again",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));

	r = xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_ro, 0x100, 2);
	live_check(r == 0, "set_mem_type(ram_ro, 2 pages)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_rw, 0x100, 2);
	live_check(r == 0, "set_mem_type(ram_rw)", "rc=%d", r);
	r = xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 5, 1);
	live_check(r == 0, "set_isa_irq_level(5, 1)", "rc=%d (%s)", r, r ? strerror(errno) : "ok");
	r = xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 5, 0);
	live_check(r == 0, "set_isa_irq_level(5, 0)", "rc=%d", r);
	r = xendevicemodel_set_pci_intx_level(dm, (domid_t)dom, 0, 0, 3, 0, 1);
	live_check(r == 0, "set_pci_intx_level(00:03.0 INTA, 1)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xendevicemodel_set_pci_intx_level(dm, (domid_t)dom, 0, 0, 3, 0, 0);
	live_check(r == 0, "set_pci_intx_level(00:03.0 INTA, 0)", "rc=%d", r);
	r = xendevicemodel_set_pci_link_route(dm, (domid_t)dom, 0, 10);
	live_check(r == 0, "set_pci_link_route(link 0, irq 10)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xendevicemodel_inject_msi(dm, (domid_t)dom, 0xfee00000, 0x31);
	live_check(r == 0, "inject_msi", "rc=%d (%s)", r, r ? strerror(errno) : "ok");
	r = xendevicemodel_modified_memory(dm, (domid_t)dom, 0x100, 1);
	live_check(r == 0, "modified_memory(0x100, 1), log-dirty off", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
out:
	if (fm)
		xenforeignmemory_close(fm);
	if (dm)
		xendevicemodel_close(dm);
}

/* the child: fresh handles, restrict them all to the guest, then probe */
static int restricted_child(uint32_t dom)
{
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xen_pfn_t pfn = 0x100;
	unsigned int vcpus = 0;
	size_t size = 0;
	int err = 9, r;
	char *p;

	live_prog = "live-guest(restricted)";
	if (!live_check(dm && fm, "open handles in the child", "ok"))
		return live_exit();
	r = xentoolcore_restrict_all((domid_t)dom);
	live_check(r == 0, "xentoolcore_restrict_all(guest)", "rc=%d (%s)", r,
		   r ? strerror(errno) : "ok");
	r = xendevicemodel_nr_vcpus(dm, (domid_t)dom, &vcpus);
	live_check(r == 0 && vcpus == 1, "nr_vcpus(guest) still works", "rc=%d vcpus=%u", r,
		   vcpus);
	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, 0, &vcpus);
	live_check(r == -1 && errno == EPERM, "nr_vcpus(dom0)", "rc=%d errno=%d (%s)", r, errno,
		   strerror(errno));
	p = xenforeignmemory_map(fm, dom, PROT_READ, 1, &pfn, &err);
	live_check(p != NULL && err == 0 && strcmp(p + 16, "written by dom0") == 0,
		   "map guest RAM still works", "%p err=%d", (void *)p, err);
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	r = xenforeignmemory_resource_size(fm, (domid_t)dom, RES_GRANT, 0, &size);
	live_check(r == 0 && size == GRANT_FRAMES * 4096, "resource_size(guest) still works",
		   "rc=%d size=%zu", r, size);
	errno = 0;
	p = xenforeignmemory_map(fm, 0, PROT_READ, 1, &pfn, &err);
	live_check(p == NULL && errno == EPERM, "map of a dom0 frame", "%p errno=%d (%s)",
		   (void *)p, errno, strerror(errno));
	r = xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 7, 0);
	live_check(r == 0, "set_isa_irq_level(guest) still works", "rc=%d", r);
	xenforeignmemory_close(fm);
	xendevicemodel_close(dm);
	return live_exit();
}

int main(void)
{
	xc_interface *xch;
	uint32_t dom = 0;
	pid_t pid;
	int st = 0, r;

	live_prog = "live-guest";
	xch = xc_interface_open(NULL, NULL, 0);
	if (!live_check(xch != NULL, "xc_interface_open (libxenctrl)", "%s",
			xch ? "ok" : strerror(errno)))
		return live_exit();
	if (create_guest(xch, &dom) == 0) {
		test_foreignmemory(dom);
		test_devicemodel(dom);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(restricted_child(dom));
		r = pid > 0 ? waitpid(pid, &st, 0) : -1;
		live_check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
			   "restricted child process", "status %#x", st);
	}
	if (dom > 0) {
		r = xc_domain_destroy(xch, dom);
		live_check(r == 0, "destroy the guest (libxenctrl)", "rc=%d", r);
	}
	xc_interface_close(xch);
	return live_exit();
}
