/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Oracle check of xensim (issue 3, item 7): written against the upstream
 * API only, built against the distribution's headers and linked with the
 * distribution's (upstream) libraries, run under `xensim --` with the shim
 * preloaded. Every result is what a real Xen 4.17 dom0 would give for the
 * default machine (dom0 + domain 1: HVM, 2 vCPUs, 64 MiB, 32 grant frames).
 *
 * usage: xensim-oracle XENSIM-BINARY SECTION...
 *        (sections: call fmem dm evtchn gnttab resource dmabuf old ancient domu)
 * Guest-side actions go through `XENSIM-BINARY ctl ...`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>
#include <unistd.h>

#include <xencall.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/version.h>

static const char *xensim;
static int failures;

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (cond) {                                                              \
			printf("ok: " __VA_ARGS__);                                      \
		} else {                                                                 \
			printf("FAIL (%s:%d, errno %d): ", __FILE__, __LINE__, errno);   \
			printf(__VA_ARGS__);                                             \
			failures++;                                                      \
		}                                                                        \
		printf("\n");                                                            \
	} while (0)

/* Run `xensim ctl ARGS`; its first output line in @out. Returns its status. */
static int ctl(char *out, size_t outlen, const char *args)
{
	char cmd[512];
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' ctl %s", xensim, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		out[0] = '\0';
		if (fgets(out, (int)outlen, p))
			out[strcspn(out, "\n")] = '\0';
	}
	while (fgetc(p) != EOF)
		;
	st = pclose(p);
	return st;
}

static void section_call(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	char *buf;
	int rc;

	CHECK(xc != NULL, "xencall_open");
	if (!xc)
		return;
	rc = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	CHECK(rc == 0x40011, "xen_version(XENVER_version) = 0x%x (4.17)", rc);
	rc = xencall2(xc, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
	CHECK(rc == 4096, "xen_version(XENVER_pagesize) = %d", rc);
	buf = xencall_alloc_buffer(xc, sizeof(xen_extraversion_t));
	CHECK(buf != NULL, "xencall_alloc_buffer");
	if (buf) {
		rc = xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion,
			      (uint64_t)(uintptr_t)buf);
		CHECK(rc == 0 && !strcmp(buf, ".0-xensim"),
		      "xen_version(XENVER_extraversion) = %d '%s'", rc, buf);
		xencall_free_buffer(xc, buf);
	}
	CHECK(xencall_buffers_never_fault(xc) == 1,
	      "hypercall buffers from /dev/xen/hypercall");
	errno = 0;
	rc = xencall1(xc, __HYPERVISOR_sysctl, 0);
	CHECK(rc == -1 && errno == ENOSYS, "a hypercall xensim does not know: ENOSYS");
	CHECK(xencall_close(xc) == 0, "xencall_close");
}

static void section_fmem(void)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xen_pfn_t gfns[3] = {0x10, 0x11, 0x12};
	int err[3] = {7, 7, 7};
	char out[256];
	unsigned char *p;
	size_t size = 0;

	CHECK(fm != NULL, "xenforeignmemory_open");
	if (!fm)
		return;
	CHECK(ctl(NULL, 0, "guest-write 1 0x10ff0 48656c6c6f2c20646f6d30") == 0,
	      "guest writes 'Hello, dom0' at 0x10ff0");
	CHECK(ctl(NULL, 0, "page-out 1 0x11 3") == 0, "gfn 0x11 paged out for 3 tries");
	CHECK(ctl(NULL, 0, "frame-error 1 0x12 EFAULT") == 0,
	      "gfn 0x12 fails with EFAULT");
	p = xenforeignmemory_map(fm, 1, PROT_READ | PROT_WRITE, 3, gfns, err);
	CHECK(p != NULL, "xenforeignmemory_map of 3 frames with err[]");
	if (p) {
		CHECK(err[0] == 0 && err[1] == 0 && err[2] == -EFAULT,
		      "err[] = {%d, %d, %d}: paged-out frame retried, failing one "
		      "-EFAULT",
		      err[0], err[1], err[2]);
		CHECK(!memcmp(p + 0xff0, "Hello, dom0", 11),
		      "dom0 reads what the guest wrote");
		memcpy(p + 0x1000, "\xca\xfe", 2);
		CHECK(ctl(out, sizeof(out), "guest-read 1 0x11000 2") == 0 &&
			      !strcmp(out, "cafe"),
		      "the guest reads what dom0 wrote (%s)", out);
		xenforeignmemory_unmap(fm, p, 3);
	}
	errno = 0;
	p = xenforeignmemory_map(fm, 1, PROT_READ, 3, gfns, NULL);
	CHECK(p == NULL && errno == EFAULT, "without err[]: NULL, errno EFAULT");
	errno = 0;
	p = xenforeignmemory_map(fm, 9, PROT_READ, 1, gfns, err);
	CHECK(p != NULL && err[0] == -ESRCH, "unknown domain: err[0] = %d (-ESRCH)",
	      err[0]);
	if (p)
		xenforeignmemory_unmap(fm, p, 1);

	if (getenv("ORACLE_NO_GNTTAB"))
		printf("skip: grant table resource size (no gnttab part in this "
		       "daemon)\n");
	else
		CHECK(xenforeignmemory_resource_size(
			      fm, 1, XENMEM_resource_grant_table,
			      XENMEM_resource_grant_table_id_shared, &size) == 0 &&
			      size == 32 * 4096,
		      "grant table resource size = %zu (32 frames)", size);
	errno = 0;
	/* Xen 4.17 stores the -EOPNOTSUPP of an unknown type in nr_frames */
	CHECK(xenforeignmemory_resource_size(fm, 1, 3, 0, &size) == 0 &&
		      size == (size_t)(uint32_t)-EOPNOTSUPP * 4096,
	      "resource size of an invalid type: Xen's -EOPNOTSUPP as the frame count");

	CHECK(xenforeignmemory_restrict(fm, 1) == 0, "xenforeignmemory_restrict(1)");
	errno = 0;
	CHECK(xenforeignmemory_restrict(fm, 2) == -1 && errno == EINVAL,
	      "restricting again to another domain: EINVAL");
	errno = 0;
	p = xenforeignmemory_map(fm, 0, PROT_READ, 1, gfns, err);
	CHECK(p == NULL && errno == EPERM, "restricted: mapping dom0 fails with EPERM");
	p = xenforeignmemory_map(fm, 1, PROT_READ, 1, gfns, err);
	CHECK(p != NULL && err[0] == 0, "restricted: mapping domain 1 still works");
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	CHECK(xenforeignmemory_close(fm) == 0, "xenforeignmemory_close");
}

static void section_dm(void)
{
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	unsigned int vcpus = 0;
	ioservid_t id = 0xffff;
	int rc;

	CHECK(dm != NULL, "xendevicemodel_open");
	if (!dm)
		return;
	rc = xendevicemodel_nr_vcpus(dm, 1, &vcpus);
	CHECK(rc == 0 && vcpus == 2, "xendevicemodel_nr_vcpus = %u", vcpus);
	rc = xendevicemodel_create_ioreq_server(
		dm, 1, 2 /* HVM_IOREQSRV_BUFIOREQ_ATOMIC */, &id);
	CHECK(rc == 0, "create_ioreq_server: id %u", id);
	if (rc == 0) {
		CHECK(xendevicemodel_map_io_range_to_ioreq_server(dm, 1, id, 0, 0x3f8,
								  0x3ff) == 0,
		      "map port range 0x3f8-0x3ff");
		CHECK(xendevicemodel_set_ioreq_server_state(dm, 1, id, 1) == 0,
		      "enable it");
		CHECK(xendevicemodel_destroy_ioreq_server(dm, 1, id) == 0, "destroy it");
	}
	errno = 0;
	rc = xendevicemodel_nr_vcpus(dm, 0, &vcpus);
	CHECK(rc == -1, "dm_op on PV dom0 fails (errno %d)", errno);
	CHECK(xendevicemodel_close(dm) == 0, "xendevicemodel_close");
}

static void section_evtchn(void)
{
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	char out[64], cmd[64];
	xenevtchn_port_or_error_t port, got;
	unsigned int rport;

	CHECK(xce != NULL, "xenevtchn_open");
	if (!xce)
		return;
	port = xenevtchn_bind_unbound_port(xce, 1);
	CHECK(port > 0, "bind_unbound_port(1) = %d", port);
	snprintf(cmd, sizeof(cmd), "evtchn-bind-interdomain 1 0 %d", port);
	CHECK(ctl(out, sizeof(out), cmd) == 0 && sscanf(out, "%u", &rport) == 1,
	      "the guest binds to it: its port %s", out);
	snprintf(cmd, sizeof(cmd), "evtchn-send 1 %u", rport);
	CHECK(ctl(NULL, 0, cmd) == 0, "the guest sends an event");
	got = xenevtchn_pending(xce);
	CHECK(got == port, "xenevtchn_pending = %d", got);
	CHECK(xenevtchn_unmask(xce, (evtchn_port_t)port) == 0, "unmask");
	CHECK(xenevtchn_notify(xce, (evtchn_port_t)port) == 0, "notify the guest");
	snprintf(cmd, sizeof(cmd), "evtchn-pending 1 %u clear", rport);
	CHECK(ctl(out, sizeof(out), cmd) == 0 && !strcmp(out, "1"), "the guest saw it");
	CHECK(xenevtchn_unbind(xce, (evtchn_port_t)port) == 0, "unbind");
	CHECK(xenevtchn_close(xce) == 0, "xenevtchn_close");
}

static void section_gnttab(void)
{
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	char out[64];
	uint32_t ref;
	unsigned char *p;

	CHECK(xgt != NULL, "xengnttab_open");
	if (!xgt)
		return;
	CHECK(ctl(NULL, 0, "guest-write 1 0x20000 6772616e746564") == 0,
	      "guest writes 'granted'");
	CHECK(ctl(out, sizeof(out), "grant 1 0 0x20") == 0 &&
		      sscanf(out, "%u", &ref) == 1,
	      "the guest grants gfn 0x20 to dom0: ref %s", out);
	p = xengnttab_map_grant_ref(xgt, 1, ref, PROT_READ | PROT_WRITE);
	CHECK(p != NULL, "xengnttab_map_grant_ref");
	if (p) {
		CHECK(!memcmp(p, "granted", 7), "dom0 reads the granted page");
		CHECK(xengnttab_unmap(xgt, p, 1) == 0, "xengnttab_unmap");
	}
	CHECK(xengnttab_close(xgt) == 0, "xengnttab_close");
}

/*
 * DMA-BUF on a kernel that has it and a dom0 that is not PV (run with
 * --personality linux-6.12): domain 1's grant exported, the buffer
 * imported and granted back to dom0, mapped through gnttab: the very bytes
 * of domain 1, both ways; then both releases.
 */
static void section_dmabuf(void)
{
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	char out[128];
	uint32_t ref, iref, fd;
	unsigned char *p;
	int rc;

	CHECK(xgt != NULL, "xengnttab_open");
	if (!xgt)
		return;
	CHECK(ctl(NULL, 0, "guest-write 1 0x1c000 646d612d627566") == 0,
	      "guest writes 'dma-buf'");
	CHECK(ctl(out, sizeof(out), "grant 1 0 0x1c") == 0 && sscanf(out, "%u", &ref) == 1,
	      "the guest grants gfn 0x1c to dom0: ref %s", out);
	rc = xengnttab_dmabuf_exp_from_refs(xgt, 1, 0, 1, &ref, &fd);
	CHECK(rc == 0, "xengnttab_dmabuf_exp_from_refs: fd %d", rc == 0 ? (int)fd : -1);
	if (rc) {
		xengnttab_close(xgt);
		return;
	}
	snprintf(out, sizeof(out), "grant-info 1 %u", ref);
	ctl(out, sizeof(out), out);
	CHECK(strstr(out, "mapcount=1") != NULL, "the exported grant is mapped: %s", out);
	rc = xengnttab_dmabuf_imp_to_refs(xgt, 0, fd, 1, &iref);
	CHECK(rc == 0, "xengnttab_dmabuf_imp_to_refs (to dom0): ref %u", rc == 0 ? iref : 0);
	p = rc == 0 ? xengnttab_map_grant_ref(xgt, 0, iref, PROT_READ | PROT_WRITE) : NULL;
	CHECK(p != NULL, "dom0 maps the imported grant");
	if (p) {
		CHECK(!memcmp(p, "dma-buf", 7), "it is domain 1's page");
		memcpy(p + 8, "back", 4);
		CHECK(ctl(out, sizeof(out), "guest-read 1 0x1c008 4") == 0 &&
			      !strcmp(out, "6261636b"),
		      "domain 1 sees the write: %s", out);
		CHECK(xengnttab_unmap(xgt, p, 1) == 0, "xengnttab_unmap");
	}
	CHECK(xengnttab_dmabuf_imp_release(xgt, fd) == 0, "xengnttab_dmabuf_imp_release");
	errno = 0;
	CHECK(xengnttab_dmabuf_imp_release(xgt, fd) == -1 && errno == ENOENT,
	      "released again: ENOENT");
	errno = 0;
	CHECK(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10) == -1 && errno == ETIMEDOUT,
	      "wait while the fd is open: ETIMEDOUT");
	close((int)fd);
	CHECK(xengnttab_dmabuf_exp_wait_released(xgt, fd, 10000) == 0, "wait after close: 0");
	snprintf(out, sizeof(out), "grant-info 1 %u", ref);
	ctl(out, sizeof(out), out);
	CHECK(strstr(out, "mapcount=0") != NULL, "the grant is no longer mapped: %s", out);
	snprintf(out, sizeof(out), "ungrant 1 %u", ref);
	CHECK(ctl(NULL, 0, out) == 0, "domain 1 ends the grant");
	CHECK(xengnttab_close(xgt) == 0, "xengnttab_close");
}

/*
 * The flow of upstream's tools/tests/resource: the grant table of domain 1
 * mapped as a resource by dom0, one entry written in each frame, and all
 * of them mapped through gntdev (which shows the frames' order).
 */
static void section_resource(void)
{
	enum { NF = 32 };
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	uint32_t domids[NF], refs[NF];
	unsigned char *maps;
	void *addr = NULL;
	size_t size = 0;
	char cmd[128];
	int ok = 1;

	CHECK(fm && xgt, "open foreignmemory and gnttab");
	if (!fm || !xgt)
		return;
	CHECK(xenforeignmemory_resource_size(fm, 1, XENMEM_resource_grant_table,
					     XENMEM_resource_grant_table_id_shared,
					     &size) == 0 &&
		      size >> 12 == NF,
	      "grant table size %zu frames", size >> 12);
	res = xenforeignmemory_map_resource(fm, 1, XENMEM_resource_grant_table,
					    XENMEM_resource_grant_table_id_shared, 0, NF,
					    &addr, PROT_READ | PROT_WRITE, 0);
	CHECK(res != NULL && addr != NULL, "map the whole grant table as a resource");
	if (!res)
		return;
	for (unsigned int i = 0; i < NF; i++) {
		grant_entry_v1_t *e = (grant_entry_v1_t *)((char *)addr + i * 4096) + i;

		refs[i] = i * (4096 / sizeof(grant_entry_v1_t)) + i;
		domids[i] = 1;
		e->domid = 0;
		e->frame = 0x100 + i;
		__atomic_store_n(&e->flags, GTF_permit_access, __ATOMIC_RELEASE);
		snprintf(cmd, sizeof(cmd), "guest-write 1 0x%x %02x", (0x100 + i) << 12,
			 i + 1);
		if (ctl(NULL, 0, cmd) != 0)
			ok = 0;
	}
	CHECK(ok, "one entry per frame written, granted pages marked");
	maps = xengnttab_map_grant_refs(xgt, NF, domids, refs, PROT_READ | PROT_WRITE);
	CHECK(maps != NULL, "xengnttab_map_grant_refs of the %d refs", NF);
	if (maps) {
		ok = 1;
		for (unsigned int i = 0; i < NF; i++)
			if (maps[i * 4096] != i + 1)
				ok = 0;
		CHECK(ok, "every mapped grant shows its page: the frames are in order");
		CHECK(xengnttab_unmap(xgt, maps, NF) == 0, "xengnttab_unmap");
	}
	CHECK(xenforeignmemory_unmap_resource(fm, res) == 0, "unmap_resource");
	addr = NULL;
	res = xenforeignmemory_map_resource(fm, 1, XENMEM_resource_grant_table,
					    XENMEM_resource_grant_table_id_status, 0, 1,
					    &addr, PROT_READ, 0);
	CHECK(res == NULL, "the status table of a v1 grant table cannot be mapped");
	xengnttab_close(xgt);
	xenforeignmemory_close(fm);
}

/* Kernel without /dev/xen/hypercall and MMAP_RESOURCE (run with linux-4.14). */
static void section_old(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xen_pfn_t gfn = 0x30;
	size_t size = 0;
	int err = 7, rc;
	char *buf, *p;

	CHECK(xc && fm, "xencall_open and xenforeignmemory_open on linux-4.14");
	if (!xc || !fm)
		return;
	CHECK(xencall_buffers_never_fault(xc) == 0,
	      "no /dev/xen/hypercall: buffers may fault");
	buf = xencall_alloc_buffer(xc, sizeof(xen_extraversion_t));
	rc = buf ? xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion,
			    (uint64_t)(uintptr_t)buf)
		 : -1;
	CHECK(rc == 0 && !strcmp(buf, ".0-xensim"),
	      "hypercall through locked anonymous memory");
	if (buf)
		xencall_free_buffer(xc, buf);
	errno = 0;
	CHECK(xenforeignmemory_resource_size(fm, 1, XENMEM_resource_grant_table, 0,
					     &size) == -1 &&
		      errno == EOPNOTSUPP,
	      "no MMAP_RESOURCE: EOPNOTSUPP (errno %d)", errno);
	CHECK(ctl(NULL, 0, "guest-write 1 0x30000 6f6c64") == 0, "guest writes 'old'");
	p = xenforeignmemory_map(fm, 1, PROT_READ, 1, &gfn, &err);
	CHECK(p && err == 0 && !memcmp(p, "old", 3), "foreign map still works");
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	xenforeignmemory_close(fm);
	xencall_close(xc);
}

/* Kernel without MMAPBATCH_V2 (run with linux-3.2): the library's V1 path. */
static void section_ancient(void)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xen_pfn_t gfns[3] = {0x40, 0x41, 0x42};
	int err[3] = {7, 7, 7};
	size_t size;
	char *p;

	CHECK(fm != NULL, "xenforeignmemory_open on linux-3.2");
	if (!fm)
		return;
	CHECK(ctl(NULL, 0, "guest-write 1 0x41000 763176") == 0, "guest writes 'v1v'");
	CHECK(ctl(NULL, 0, "page-out 1 0x41 2") == 0, "gfn 0x41 paged out for 2 tries");
	CHECK(ctl(NULL, 0, "frame-error 1 0x42 EFAULT") == 0, "gfn 0x42 fails");
	p = xenforeignmemory_map(fm, 1, PROT_READ, 3, gfns, err);
	CHECK(p != NULL, "map through MMAPBATCH V1");
	if (p) {
		/* V1 only says "error" for a failed frame: upstream reports EINVAL */
		CHECK(err[0] == 0 && err[1] == 0 && err[2] == -EINVAL,
		      "err[] = {%d, %d, %d}", err[0], err[1], err[2]);
		CHECK(!memcmp(p + 4096, "v1v", 3),
		      "the paged-out frame arrived after retries");
		xenforeignmemory_unmap(fm, p, 3);
	}
	errno = 0;
	CHECK(xenforeignmemory_resource_size(fm, 1, XENMEM_resource_grant_table, 0,
					     &size) == -1 &&
		      errno == EOPNOTSUPP,
	      "unknown ioctls give EINVAL there, still reported as EOPNOTSUPP");
	xenforeignmemory_close(fm);
}

/* A device-model domU on an XSA-482 kernel (linux-6.12+domu, target 1). */
static void section_domu(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xen_pfn_t gfn = 0;
	char caps[64] = "unread";
	int err = 7, rc;
	FILE *f;
	void *p;

	CHECK(xc && fm, "open in a domU");
	if (!xc || !fm)
		return;
	errno = 0;
	rc = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	CHECK(rc == -1 && errno == EPERM, "raw hypercalls: EPERM");
	p = xenforeignmemory_map(fm, 1, PROT_READ, 1, &gfn, &err);
	CHECK(p != NULL && err == 0, "the target domain can be mapped");
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	errno = 0;
	p = xenforeignmemory_map(fm, 2, PROT_READ, 1, &gfn, &err);
	CHECK(p == NULL && errno == EPERM, "another domain: EPERM");
	CHECK(xenforeignmemory_restrict(fm, 1) == 0, "restrict to the target: 0");
	errno = 0;
	CHECK(xenforeignmemory_restrict(fm, 2) == -1 && errno == EINVAL,
	      "restrict to another domain: EINVAL");
	f = fopen("/proc/xen/capabilities", "r");
	if (f) {
		if (!fgets(caps, sizeof(caps), f))
			caps[0] = '\0';
		fclose(f);
	}
	CHECK(f && caps[0] == '\0', "/proc/xen/capabilities is empty in a domU ('%s')",
	      caps);
	xenforeignmemory_close(fm);
	xencall_close(xc);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s XENSIM SECTION...\n", argv[0]);
		return 2;
	}
	xensim = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 2; i < argc; i++) {
		printf("--- %s\n", argv[i]);
		if (!strcmp(argv[i], "call"))
			section_call();
		else if (!strcmp(argv[i], "fmem"))
			section_fmem();
		else if (!strcmp(argv[i], "dm"))
			section_dm();
		else if (!strcmp(argv[i], "evtchn"))
			section_evtchn();
		else if (!strcmp(argv[i], "gnttab"))
			section_gnttab();
		else if (!strcmp(argv[i], "resource"))
			section_resource();
		else if (!strcmp(argv[i], "dmabuf"))
			section_dmabuf();
		else if (!strcmp(argv[i], "domu"))
			section_domu();
		else if (!strcmp(argv[i], "old"))
			section_old();
		else if (!strcmp(argv[i], "ancient"))
			section_ancient();
		else
			return 2;
	}
	return failures ? 1 : 0;
}
