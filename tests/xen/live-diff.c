/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-diff - the differential program of tests/xen/differential: one
 * fixed sequence of raw and API-level operations of every stable library
 * (error cases included), each printed as one canonical line
 *	DIFF <what> = <result>
 * run on a real Xen 4.17 dom0 and on xensim; the two outputs must be equal
 * line for line.
 *
 * Canonical: exact on behaviour (return values, errno names from a table,
 * grant-copy statuses, sizes, page contents); independent of what varies
 * legitimately between two machines or two runs: event-channel port
 * numbers and grant references (printed as "ok" or as relative facts),
 * addresses, the guest's domid (printed as "> 0"), timing (event delivery
 * is awaited, its order between two ports is not printed).
 *
 * The guest of the device-model part is a paused, empty HVM guest created
 * with Debian's libxenctrl exactly as live-guest does (xensim models the
 * few domctls that takes). A few LIVE lines check the program itself.
 */
/* clang-format off */
/* live-build: -lxenctrl -lxentoolcore -lxencall -lxendevicemodel -lxenforeignmemory -lxenevtchn -lxengnttab */
/* clang-format on */
#include <poll.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xencall.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xentoolcore.h>

#include "live.h"

#define NO_DOMAIN    7777
#define GUEST_PAGES  512
#define GRANT_FRAMES 32
#define PAGE	     4096
#define RES_IOREQ    0 /* XENMEM_resource_ioreq_server */
#define RES_GRANT    1 /* XENMEM_resource_grant_table */

static unsigned int lines;

__attribute__((format(printf, 1, 2))) static void D(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("DIFF ");
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
	lines++;
}

#define ERRNO_NAME(x)                                                                    \
	{                                                                                \
		x, #x                                                                    \
	}
static const struct {
	int e;
	const char *name;
} errno_names[] = {
	ERRNO_NAME(EPERM),	ERRNO_NAME(ENOENT),    ERRNO_NAME(ESRCH),
	ERRNO_NAME(EINTR),	ERRNO_NAME(EIO),       ERRNO_NAME(ENXIO),
	ERRNO_NAME(E2BIG),	ERRNO_NAME(EBADF),     ERRNO_NAME(EAGAIN),
	ERRNO_NAME(ENOMEM),	ERRNO_NAME(EACCES),    ERRNO_NAME(EFAULT),
	ERRNO_NAME(EBUSY),	ERRNO_NAME(EEXIST),    ERRNO_NAME(ENODEV),
	ERRNO_NAME(EINVAL),	ERRNO_NAME(ENOSPC),    ERRNO_NAME(ENOTTY),
	ERRNO_NAME(ENOSYS),	ERRNO_NAME(ENOTCONN),  ERRNO_NAME(EOPNOTSUPP),
	ERRNO_NAME(ENOBUFS),	ERRNO_NAME(EPROTO),    ERRNO_NAME(ERANGE),
	ERRNO_NAME(ENODATA),	ERRNO_NAME(EBADFD),    ERRNO_NAME(EMSGSIZE),
	ERRNO_NAME(EADDRINUSE), ERRNO_NAME(ETIMEDOUT), ERRNO_NAME(EOVERFLOW),
};
#undef ERRNO_NAME

/* errno by name ("0" for none), never strerror's text */
static const char *en(int e)
{
	static char buf[16];
	size_t i;

	if (e == 0)
		return "0";
	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (errno_names[i].e == e)
			return errno_names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* "ok", or "-1 ENAME": for calls returning 0 / -1 with errno */
static const char *rc0(int r)
{
	static char buf[32];

	if (r == 0)
		return "ok";
	snprintf(buf, sizeof(buf), "%d %s", r, r == -1 ? en(errno) : "");
	return buf;
}

/* a value >= 0 as a number, else "-1 ENAME" */
static const char *rcv(long r, const char *fmt)
{
	static char buf[48];

	if (r >= 0)
		snprintf(buf, sizeof(buf), fmt, r);
	else
		snprintf(buf, sizeof(buf), "%ld %s", r, r == -1 ? en(errno) : "");
	return buf;
}

/* a pointer: "ok" or "NULL ENAME" */
static const char *rcp(const void *p)
{
	static char buf[32];

	if (p)
		return "ok";
	snprintf(buf, sizeof(buf), "NULL %s", en(errno));
	return buf;
}

/* ---- xencall: raw hypercalls ----------------------------------------------- */

static void t_xencall(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	char *buf;
	long r;

	D("xencall.open = %s", rcp(xc));
	if (!xc)
		return;
	D("xencall.buffers_never_fault = %d", xencall_buffers_never_fault(xc));
	buf = xencall_alloc_buffer(xc, 1024);
	D("xencall.alloc_buffer(1024) = %s", rcp(buf));
	if (buf)
		D("xencall.alloc_buffer(1024) zeroed = %s",
		  buf[0] == 0 && buf[1023] == 0 ? "yes" : "no");
	errno = 0;
	r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	D("xencall.hypercall(xen_version, XENVER_version) = %s", rcv(r, "%#lx"));
	r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
	D("xencall.hypercall(xen_version, XENVER_pagesize) = %s", rcv(r, "%ld"));
	if (buf) {
		memset(buf, 0x55, 1024);
		r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(xen_version, XENVER_extraversion) = %s, '%.15s'",
		  rcv(r, "%ld"), buf);
		D("xencall.extraversion NUL-padded to 16 = %s",
		  memchr(buf, 0, 16) && buf[15] == 0 && (unsigned char)buf[16] == 0x55
			  ? "yes"
			  : "no");
		memset(buf, 0x55, 1024);
		r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_capabilities,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(xen_version, XENVER_capabilities) = %s, '%.200s'",
		  rcv(r, "%ld"), buf);
		memset(buf, 0x55, 1024);
		r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_compile_info,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(xen_version, XENVER_compile_info) = %s, compiler %s",
		  rcv(r, "%ld"), buf[0] && buf[0] != 0x55 ? "named" : "missing");
		memset(buf, 0x55, 1024);
		r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_changeset,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(xen_version, XENVER_changeset) = %s, NUL within 64: "
		  "%s",
		  rcv(r, "%ld"), memchr(buf, 0, 64) ? "yes" : "no");
		memset(buf, 0, 1024);
		r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_guest_handle,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(xen_version, XENVER_guest_handle) = %s",
		  rcv(r, "%ld"));
	}
	errno = 0;
	r = xencall2(xc, __HYPERVISOR_xen_version, 0x77, 0);
	D("xencall.hypercall(xen_version, sub-op 0x77) = %s", rcv(r, "%ld"));
	errno = 0;
	r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion, 8);
	D("xencall.hypercall(xen_version, XENVER_extraversion, bad pointer) = %s",
	  rcv(r, "%ld"));
	errno = 0;
	r = xencall1(xc, 63, 0);
	D("xencall.hypercall(63, unknown) = %s", rcv(r, "%ld"));
	if (buf) {
		domid_t *dom = (domid_t *)buf;

		*dom = NO_DOMAIN;
		errno = 0;
		r = xencall2(xc, __HYPERVISOR_memory_op, XENMEM_current_reservation,
			     (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(memory_op, XENMEM_current_reservation, dom %d) = %s",
		  NO_DOMAIN, rcv(r, "%ld"));
		errno = 0;
		r = xencall2(xc, __HYPERVISOR_memory_op, 63, (uint64_t)(uintptr_t)buf);
		D("xencall.hypercall(memory_op, sub-op 63) = %s", rcv(r, "%ld"));
	}
	{
		/* domctl: the interface version is checked first, then the domain */
		struct xen_domctl *dc = xencall_alloc_buffer(xc, sizeof(*dc));

		if (dc) {
			memset(dc, 0, sizeof(*dc));
			dc->cmd = XEN_DOMCTL_getdomaininfo;
			dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
			dc->domain = 0;
			errno = 0;
			r = xencall1(xc, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)dc);
			D("xencall.hypercall(domctl, old interface version) = %s",
			  rcv(r, "%ld"));
			memset(dc, 0, sizeof(*dc));
			dc->cmd = XEN_DOMCTL_max_mem;
			dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
			dc->domain = NO_DOMAIN;
			errno = 0;
			r = xencall1(xc, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)dc);
			D("xencall.hypercall(domctl, max_mem, dom %d) = %s", NO_DOMAIN,
			  rcv(r, "%ld"));
			memset(dc, 0, sizeof(*dc));
			dc->cmd = XEN_DOMCTL_destroydomain;
			dc->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
			dc->domain = NO_DOMAIN;
			errno = 0;
			r = xencall1(xc, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)dc);
			D("xencall.hypercall(domctl, destroydomain, dom %d) = %s",
			  NO_DOMAIN, rcv(r, "%ld"));
			xencall_free_buffer(xc, dc);
		}
	}
	if (buf)
		xencall_free_buffer(xc, buf);
	buf = xencall_alloc_buffer_pages(xc, 3);
	D("xencall.alloc_buffer_pages(3) = %s", rcp(buf));
	if (buf) {
		buf[3 * PAGE - 1] = 1;
		xencall_free_buffer_pages(xc, buf, 3);
	}
	D("xencall.close = %s", rc0(xencall_close(xc)));
}

/* ---- foreignmemory without a guest ------------------------------------------ */

static void t_foreignmemory(void)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	xen_pfn_t pfn = 0;
	void *addr = NULL;
	size_t size = 99;
	int err = 9, r;
	void *p;

	D("foreignmemory.open = %s", rcp(fm));
	if (!fm)
		return;
	errno = 0;
	p = xenforeignmemory_map(fm, NO_DOMAIN, PROT_READ, 1, &pfn, &err);
	D("foreignmemory.map(dom %d, gfn 0) = %s, err[0] = %s", NO_DOMAIN, rcp(p),
	  err < 0 ? en(-err) : en(err));
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	errno = 0;
	r = xenforeignmemory_resource_size(fm, 0, RES_GRANT, 0, &size);
	D("foreignmemory.resource_size(dom0, grant table) = %s", rc0(r));
	errno = 0;
	r = xenforeignmemory_resource_size(fm, DOMID_SELF, RES_GRANT, 0, &size);
	D("foreignmemory.resource_size(DOMID_SELF, grant table) = %s", rc0(r));
	errno = 0;
	r = xenforeignmemory_resource_size(fm, NO_DOMAIN, RES_GRANT, 0, &size);
	D("foreignmemory.resource_size(dom %d, grant table) = %s", NO_DOMAIN, rc0(r));
	errno = 0;
	res = xenforeignmemory_map_resource(fm, NO_DOMAIN, RES_GRANT, 0, 0, 1, &addr,
					    PROT_READ, 0);
	D("foreignmemory.map_resource(dom %d, grant table frame 0) = %s", NO_DOMAIN,
	  rcp(res));
	if (res)
		xenforeignmemory_unmap_resource(fm, res);
	errno = 0;
	res = xenforeignmemory_map_resource(fm, 0, RES_GRANT, 0, 0, 1, &addr, PROT_READ,
					    0);
	D("foreignmemory.map_resource(dom0, grant table frame 0) = %s", rcp(res));
	if (res)
		xenforeignmemory_unmap_resource(fm, res);
	D("foreignmemory.close = %s", rc0(xenforeignmemory_close(fm)));
}

/* ---- evtchn ------------------------------------------------------------------- */

/* wait until @want is pending (other ports seen meanwhile are unmasked too) */
static const char *wait_port(xenevtchn_handle *xe, int want)
{
	struct pollfd pfd = {.fd = xenevtchn_fd(xe), .events = POLLIN};

	for (int i = 0; i < 6; i++) {
		int p;

		if (poll(&pfd, 1, 2000) != 1)
			return "no (timeout)";
		p = xenevtchn_pending(xe);
		if (p < 0)
			return "no (pending failed)";
		if (xenevtchn_unmask(xe, (evtchn_port_t)p) != 0)
			return "no (unmask failed)";
		if (p == want)
			return "yes";
	}
	return "no (other ports)";
}

static void t_evtchn(void)
{
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	int p1, p2, p3, r;

	D("evtchn.open = %s", rcp(xe));
	if (!xe)
		return;
	p1 = xenevtchn_bind_unbound_port(xe, 0);
	D("evtchn.bind_unbound_port(dom0) = %s", rcv(p1, p1 > 0 ? "port" : "%ld"));
	p2 = p1 > 0 ? xenevtchn_bind_interdomain(xe, 0, (evtchn_port_t)p1) : -1;
	D("evtchn.bind_interdomain(dom0, that port) = %s, %s",
	  rcv(p2, p2 > 0 ? "port" : "%ld"), p2 == p1 ? "same port" : "another port");
	if (p1 > 0 && p2 > 0) {
		D("evtchn.notify(interdomain end) = %s", rc0(xenevtchn_notify(xe, p2)));
		D("evtchn.pending at the unbound end = %s", wait_port(xe, p1));
		D("evtchn.notify(unbound end) = %s", rc0(xenevtchn_notify(xe, p1)));
		D("evtchn.pending at the interdomain end = %s", wait_port(xe, p2));
		D("evtchn.notify again after unmask = %s", rc0(xenevtchn_notify(xe, p2)));
		D("evtchn.pending again = %s", wait_port(xe, p1));
		D("evtchn.unbind(interdomain end) = %s", rc0(xenevtchn_unbind(xe, p2)));
		errno = 0;
		D("evtchn.unbind(interdomain end) again = %s",
		  rc0(xenevtchn_unbind(xe, p2)));
		errno = 0;
		D("evtchn.notify(unbound port) = %s", rc0(xenevtchn_notify(xe, p2)));
		D("evtchn.unbind(first port) = %s", rc0(xenevtchn_unbind(xe, p1)));
	}
	errno = 0;
	r = xenevtchn_bind_interdomain(xe, 0, 0x7ffff);
	D("evtchn.bind_interdomain(dom0, port 0x7ffff) = %s", rcv(r, "%ld"));
	errno = 0;
	r = xenevtchn_bind_interdomain(xe, NO_DOMAIN, 1);
	D("evtchn.bind_interdomain(dom %d, port 1) = %s", NO_DOMAIN, rcv(r, "%ld"));
	errno = 0;
	r = xenevtchn_unbind(xe, 0x7ffff);
	D("evtchn.unbind(port 0x7ffff) = %s", rc0(r));
	errno = 0;
	r = xenevtchn_notify(xe, 0x7ffff);
	D("evtchn.notify(port 0x7ffff) = %s", rc0(r));
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, NO_DOMAIN);
	D("evtchn.bind_unbound_port(dom %d) = %s", NO_DOMAIN,
	  rcv(r, r > 0 ? "port" : "%ld"));
	if (r > 0)
		xenevtchn_unbind(xe, r);
	errno = 0;
	p3 = xenevtchn_bind_virq(xe, VIRQ_DEBUG);
	D("evtchn.bind_virq(VIRQ_DEBUG) = %s", rcv(p3, p3 > 0 ? "port" : "%ld"));
	if (p3 > 0)
		xenevtchn_unbind(xe, p3);
	errno = 0;
	p3 = xenevtchn_bind_virq(xe, VIRQ_DOM_EXC);
	D("evtchn.bind_virq(VIRQ_DOM_EXC) = %s", rcv(p3, p3 > 0 ? "port" : "%ld"));
	if (p3 > 0) {
		errno = 0;
		r = xenevtchn_bind_virq(xe, VIRQ_DOM_EXC);
		D("evtchn.bind_virq(VIRQ_DOM_EXC) again = %s",
		  rcv(r, r > 0 ? "port" : "%ld"));
		D("evtchn.unbind(virq port) = %s", rc0(xenevtchn_unbind(xe, p3)));
	}
	errno = 0;
	p3 = xenevtchn_bind_virq(xe, 99);
	D("evtchn.bind_virq(99) = %s", rcv(p3, p3 > 0 ? "port" : "%ld"));
	errno = 0;
	D("evtchn.restrict(dom0) = %s", rc0(xenevtchn_restrict(xe, 0)));
	D("evtchn.close = %s", rc0(xenevtchn_close(xe)));
}

/* evtchn restricted to the guest: only ports of the guest may be bound */
static void t_evtchn_restricted(uint32_t dom)
{
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	int r;

	if (!xe)
		return;
	D("evtchn.restrict(guest) = %s", rc0(xenevtchn_restrict(xe, (domid_t)dom)));
	errno = 0;
	D("evtchn.restrict(guest) again = %s", rc0(xenevtchn_restrict(xe, (domid_t)dom)));
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, 0);
	D("evtchn.restricted bind_unbound_port(dom0) = %s", rcv(r, "%ld"));
	errno = 0;
	r = xenevtchn_bind_interdomain(xe, 0, 1);
	D("evtchn.restricted bind_interdomain(dom0, 1) = %s", rcv(r, "%ld"));
	errno = 0;
	r = xenevtchn_bind_interdomain(xe, dom, 1);
	D("evtchn.restricted bind_interdomain(guest, port 1, not unbound) = %s",
	  rcv(r, "%ld"));
	errno = 0;
	r = xenevtchn_bind_virq(xe, VIRQ_DOM_EXC);
	D("evtchn.restricted bind_virq(VIRQ_DOM_EXC) = %s", rcv(r, "%ld"));
	xenevtchn_close(xe);
}

/* ---- gnttab / gntshr ------------------------------------------------------------ */

static void t_gnttab(void)
{
	xengntshr_handle *gs = xengntshr_open(NULL, 0);
	xengnttab_handle *gt = xengnttab_open(NULL, 0);
	xengnttab_grant_copy_segment_t seg[3];
	uint32_t refs[2] = {0, 0}, doms[2] = {0, 0};
	char *src = NULL, *one, *two, local[64];
	int r;

	D("gntshr.open = %s", rcp(gs));
	D("gnttab.open = %s", rcp(gt));
	if (!gs || !gt)
		goto out;
	D("gnttab.set_max_grants(64) = %s", rc0(xengnttab_set_max_grants(gt, 64)));
	src = xengntshr_share_pages(gs, 0, 2, refs, 1);
	D("gntshr.share_pages(dom0, 2, writable) = %s, refs %s", rcp(src),
	  refs[0] != refs[1] ? "distinct" : "equal");
	if (!src)
		goto out;
	D("gntshr.shared pages zeroed = %s",
	  src[0] == 0 && src[2 * PAGE - 1] == 0 ? "yes" : "no");
	strcpy(src, "page one");
	strcpy(src + PAGE, "page two");
	one = xengnttab_map_grant_ref(gt, 0, refs[1], PROT_READ | PROT_WRITE);
	D("gnttab.map_grant_ref(dom0, second ref, rw) = %s, reads '%.20s'", rcp(one),
	  one ? one : "");
	if (one) {
		strcpy(one + 8, " + written");
		D("gnttab.write through the mapping, granter reads '%.30s'", src + PAGE);
		D("gnttab.unmap = %s", rc0(xengnttab_unmap(gt, one, 1)));
	}
	two = xengnttab_map_grant_refs(gt, 2, doms, refs, PROT_READ | PROT_WRITE);
	D("gnttab.map_grant_refs(2 refs) = %s, reads '%.10s' '%.20s'", rcp(two),
	  two ? two : "", two ? two + PAGE : "");
	if (two) {
		strcpy(src, "changed at the source");
		D("gnttab.write at the source, mapping reads '%.30s'", two);
		D("gnttab.unmap(2 pages) = %s", rc0(xengnttab_unmap(gt, two, 2)));
	}
	two = xengnttab_map_domain_grant_refs(gt, 2, 0, refs, PROT_READ);
	D("gnttab.map_domain_grant_refs(dom0, ro) = %s, reads '%.30s'", rcp(two),
	  two ? two : "");
	if (two)
		D("gnttab.unmap = %s", rc0(xengnttab_unmap(gt, two, 2)));
	errno = 0;
	one = xengnttab_map_grant_ref(gt, 0, 100000, PROT_READ);
	D("gnttab.map_grant_ref(dom0, ref 100000) = %s", rcp(one));
	errno = 0;
	one = xengnttab_map_grant_ref(gt, NO_DOMAIN, refs[0], PROT_READ);
	D("gnttab.map_grant_ref(dom %d) = %s", NO_DOMAIN, rcp(one));
	{
		uint32_t dfd = 12345;
		int r;

		/* Debian's PV dom0 kernel has no CONFIG_XEN_GNTDEV_DMABUF */
		errno = 0;
		r = xengnttab_dmabuf_exp_from_refs(gt, 0, 0, 1, refs, &dfd);
		D("gnttab.dmabuf_exp_from_refs(dom0, 1 ref) = %s, fd %s", rc0(r),
		  dfd == 12345 ? "untouched" : "set");
	}

	memset(seg, 0, sizeof(seg));
	memset(local, 0, sizeof(local));
	seg[0].source.foreign.ref = refs[0];
	seg[0].source.foreign.offset = 8;
	seg[0].source.foreign.domid = 0;
	seg[0].dest.virt = local;
	seg[0].len = 13;
	seg[0].flags = GNTCOPY_source_gref;
	seg[1].source.virt = "copied in";
	seg[1].dest.foreign.ref = refs[1];
	seg[1].dest.foreign.offset = 100;
	seg[1].dest.foreign.domid = 0;
	seg[1].len = 10;
	seg[1].flags = GNTCOPY_dest_gref;
	seg[2].source.foreign.ref = 100000;
	seg[2].source.foreign.domid = 0;
	seg[2].dest.virt = local + 32;
	seg[2].len = 4;
	seg[2].flags = GNTCOPY_source_gref;
	r = xengnttab_grant_copy(gt, 3, seg);
	D("gnttab.grant_copy(out of, into, bad ref) = %s, status %d %d %d", rc0(r),
	  seg[0].status, seg[1].status, seg[2].status);
	D("gnttab.grant_copy out of the grant: '%s'", local);
	D("gnttab.grant_copy into the grant: '%.20s'", src + PAGE + 100);
	memset(seg, 0, sizeof(seg));
	seg[0].source.foreign.ref = refs[0];
	seg[0].source.foreign.offset = PAGE - 2;
	seg[0].source.foreign.domid = 0;
	seg[0].dest.virt = local;
	seg[0].len = 4; /* crosses the end of the page */
	seg[0].flags = GNTCOPY_source_gref;
	seg[1].source.foreign.ref = refs[0];
	seg[1].source.foreign.domid = NO_DOMAIN;
	seg[1].dest.virt = local;
	seg[1].len = 4;
	seg[1].flags = GNTCOPY_source_gref;
	r = xengnttab_grant_copy(gt, 2, seg);
	D("gnttab.grant_copy(across a page end, dom %d) = %s, status %d %d", NO_DOMAIN,
	  rc0(r), seg[0].status, seg[1].status);
	D("gntshr.unshare = %s", rc0(xengntshr_unshare(gs, src, 2)));
	{
		/* unmap notification: byte cleared at unmap, port notified */
		xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
		int p1 = xe ? xenevtchn_bind_unbound_port(xe, 0) : -1;
		int p2 = p1 > 0 ? xenevtchn_bind_interdomain(xe, 0, (evtchn_port_t)p1)
				: -1;
		uint32_t ref = 0;
		char *sh;

		sh = p2 > 0 ? xengntshr_share_page_notify(gs, 0, &ref, 1, 0, -1) : NULL;
		D("gntshr.share_page_notify(dom0) = %s", rcp(sh));
		if (sh) {
			strcpy(sh, "xnotify");
			one = xengnttab_map_grant_ref_notify(
				gt, 0, ref, PROT_READ | PROT_WRITE, 0, (evtchn_port_t)p2);
			D("gnttab.map_grant_ref_notify(offset 0, port) = %s, reads "
			  "'%.8s'",
			  rcp(one), one ? one : "");
			if (one) {
				D("gnttab.unmap = %s", rc0(xengnttab_unmap(gt, one, 1)));
				D("gnttab.unmap notify: byte 0 cleared = %s, rest '%.8s'",
				  sh[0] == 0 ? "yes" : "no", sh + 1);
				D("gnttab.unmap notify: event at the other end = %s",
				  wait_port(xe, p1));
			}
			xengntshr_unshare(gs, sh, 1);
		}
		if (xe)
			xenevtchn_close(xe);
	}
out:
	if (gt)
		D("gnttab.close = %s", rc0(xengnttab_close(gt)));
	if (gs)
		D("gntshr.close = %s", rc0(xengntshr_close(gs)));
}

/* ---- the guest ------------------------------------------------------------------- */

/* getdomaininfo of the guest, canonical */
static void guest_info(xc_interface *xch, uint32_t dom, const char *when)
{
	xc_dominfo_t info;
	int r;

	memset(&info, 0, sizeof(info));
	r = xc_domain_getinfo(xch, dom, 1, &info);
	D("xenctrl.domain_getinfo(guest, %s) = %s, %s, hvm %u hap %u paused %u running "
	  "%u blocked %u dying %u shutdown %u, %lu pages, max %lu KiB, %u vCPUs online, "
	  "max vCPU id %u",
	  when, rcv(r, "%ld"), info.domid == dom ? "this domain" : "another domain",
	  info.hvm, info.hap, info.paused, info.running, info.blocked, info.dying,
	  info.shutdown, info.nr_pages, info.max_memkb, info.nr_online_vcpus,
	  info.max_vcpu_id);
}

static int create_guest(xc_interface *xch, uint32_t *domid)
{
	struct xen_domctl_createdomain cfg;
	xen_pfn_t gfns[GUEST_PAGES];
	int r;

	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	cfg.max_vcpus = 1;
	cfg.max_evtchn_port = 1023;
	cfg.max_grant_frames = GRANT_FRAMES;
	cfg.max_maptrack_frames = 128;
	cfg.grant_opts = XEN_DOMCTL_GRANT_version(1);
	cfg.arch.emulation_flags = XEN_X86_EMU_ALL;
	*domid = 0;
	errno = 0;
	r = xc_domain_create(xch, domid, &cfg);
	D("xenctrl.domain_create(HVM, all emulators) = %s", rc0(r));
	if (r == 0)
		xc_domain_destroy(xch, *domid);
	cfg.arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
	cfg.max_vcpus = 0;
	*domid = 0;
	errno = 0;
	r = xc_domain_create(xch, domid, &cfg);
	D("xenctrl.domain_create(HVM, 0 vCPUs) = %s", rc0(r));
	if (r == 0)
		xc_domain_destroy(xch, *domid);
	cfg.max_vcpus = 1;
	*domid = 0;
	errno = 0;
	r = xc_domain_create(xch, domid, &cfg);
	D("xenctrl.domain_create(HVM, paused) = %s, domid %s", rc0(r),
	  *domid > 0 && *domid < DOMID_FIRST_RESERVED ? "> 0" : "bad");
	if (r)
		return -1;
	{
		uint32_t again = *domid;

		errno = 0;
		r = xc_domain_create(xch, &again, &cfg);
		D("xenctrl.domain_create(the same domid) = %s", rc0(r));
	}
	D("xenctrl.set_paging_mempool_size(4 MiB) = %s",
	  rc0(xc_set_paging_mempool_size(xch, *domid, 4 << 20)));
	D("xenctrl.domain_setmaxmem = %s",
	  rc0(xc_domain_setmaxmem(xch, *domid, 4 * GUEST_PAGES + 1024)));
	for (int i = 0; i < GUEST_PAGES; i++)
		gfns[i] = (xen_pfn_t)i;
	r = xc_domain_populate_physmap_exact(xch, *domid, GUEST_PAGES, 0, 0, gfns);
	D("xenctrl.populate_physmap_exact(512 pages) = %s", rc0(r));
	if (r)
		return -1;
	guest_info(xch, *domid, "created");
	{
		xen_pfn_t max = 0;

		errno = 0;
		r = xc_domain_maximum_gpfn(xch, *domid, &max);
		D("xenctrl.domain_maximum_gpfn = %s, %#llx", rc0(r),
		  (unsigned long long)max);
		errno = 0;
		r = xc_domain_maximum_gpfn(xch, NO_DOMAIN, &max);
		D("xenctrl.domain_maximum_gpfn(dom %d) = %s", NO_DOMAIN, rc0(r));
	}
	D("xenctrl.domain_unpause = %s", rc0(xc_domain_unpause(xch, *domid)));
	guest_info(xch, *domid, "unpaused");
	D("xenctrl.domain_pause = %s", rc0(xc_domain_pause(xch, *domid)));
	guest_info(xch, *domid, "paused again");
	errno = 0;
	D("xenctrl.domain_pause(dom %d) = %s", NO_DOMAIN,
	  rc0(xc_domain_pause(xch, NO_DOMAIN)));
	return 0;
}

static void t_guest_foreignmemory(uint32_t dom)
{
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	xen_pfn_t pfns[3] = {0x100, 0x101, 0x1ff};
	xen_pfn_t hole[3] = {0x10, 0x40000, 0x200};
	int err[3] = {9, 9, 9};
	size_t size = 0;
	void *addr = NULL;
	char *p;
	int r;

	if (!fm)
		return;
	p = xenforeignmemory_map(fm, dom, PROT_READ | PROT_WRITE, 1, pfns, err);
	D("foreignmemory.map(guest gfn 0x100, rw) = %s, err %d", rcp(p), err[0]);
	if (p) {
		D("foreignmemory.fresh guest RAM reads zero = %s",
		  p[0] == 0 && p[PAGE - 1] == 0 ? "yes" : "no");
		strcpy(p + 16, "written by dom0");
		xenforeignmemory_unmap(fm, p, 1);
	}
	p = xenforeignmemory_map(fm, dom, PROT_READ, 3, pfns, err);
	D("foreignmemory.map(guest, 3 gfns, ro) = %s, err %d %d %d, reads '%.20s'",
	  rcp(p), err[0], err[1], err[2], p ? p + 16 : "");
	if (p)
		D("foreignmemory.unmap = %s", rc0(xenforeignmemory_unmap(fm, p, 3)));
	err[0] = err[1] = err[2] = 9;
	p = xenforeignmemory_map(fm, dom, PROT_READ, 3, hole, err);
	D("foreignmemory.map(guest, gfns 0x10 0x40000 0x200) = %s, err %s %s %s", rcp(p),
	  en(-err[0]), en(-err[1]), en(-err[2]));
	if (p)
		xenforeignmemory_unmap(fm, p, 3);
	r = xenforeignmemory_resource_size(fm, (domid_t)dom, RES_GRANT, 0, &size);
	D("foreignmemory.resource_size(guest, grant table shared) = %s, %zu bytes",
	  rc0(r), size);
	size = 99;
	errno = 0;
	r = xenforeignmemory_resource_size(fm, (domid_t)dom, 99, 0, &size);
	D("foreignmemory.resource_size(guest, type 99) = %s, %zu bytes", rc0(r), size);
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_GRANT, 0, 0, 1, &addr,
					    PROT_READ | PROT_WRITE, 0);
	D("foreignmemory.map_resource(guest grant table frame 0) = %s", rcp(res));
	if (res) {
		volatile uint32_t *gnt = addr;

		D("foreignmemory.grant table frame 0 reads zero = %s",
		  gnt[0] == 0 && gnt[1023] == 0 ? "yes" : "no");
		D("foreignmemory.unmap_resource = %s",
		  rc0(xenforeignmemory_unmap_resource(fm, res)));
	}
	errno = 0;
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_GRANT, 0, GRANT_FRAMES,
					    1, &addr, PROT_READ, 0);
	D("foreignmemory.map_resource(guest grant table frame 32, beyond) = %s",
	  rcp(res));
	if (res)
		xenforeignmemory_unmap_resource(fm, res);
	errno = 0;
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_IOREQ, 0, 1, 1, &addr,
					    PROT_READ, 0);
	D("foreignmemory.map_resource(guest ioreq server 0, none created) = %s",
	  rcp(res));
	if (res)
		xenforeignmemory_unmap_resource(fm, res);
	xenforeignmemory_close(fm);
}

static void t_devicemodel(uint32_t dom)
{
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenforeignmemory_resource_handle *res;
	unsigned int vcpus = 0;
	ioservid_t id = 0xffff, id2 = 0xffff;
	xen_pfn_t ioreq_gfn = 0, buf_gfn = 0;
	evtchn_port_t bufport = 0;
	void *addr = NULL;
	int r;

	D("devicemodel.open = %s", rcp(dm));
	if (!dm || !fm)
		goto out;
	errno = 0;
	D("devicemodel.nr_vcpus(dom %d) = %s", NO_DOMAIN,
	  rc0(xendevicemodel_nr_vcpus(dm, NO_DOMAIN, &vcpus)));
	errno = 0;
	D("devicemodel.nr_vcpus(dom0) = %s", rc0(xendevicemodel_nr_vcpus(dm, 0, &vcpus)));
	errno = 0;
	D("devicemodel.set_isa_irq_level(dom %d) = %s", NO_DOMAIN,
	  rc0(xendevicemodel_set_isa_irq_level(dm, NO_DOMAIN, 5, 1)));
	errno = 0;
	D("devicemodel.create_ioreq_server(dom %d) = %s", NO_DOMAIN,
	  rc0(xendevicemodel_create_ioreq_server(dm, NO_DOMAIN, 0, &id)));
	vcpus = 0;
	r = xendevicemodel_nr_vcpus(dm, (domid_t)dom, &vcpus);
	D("devicemodel.nr_vcpus(guest) = %s, %u", rc0(r), vcpus);
	id = 0xffff;
	r = xendevicemodel_create_ioreq_server(dm, (domid_t)dom,
					       HVM_IOREQSRV_BUFIOREQ_OFF, &id);
	D("devicemodel.create_ioreq_server(guest, no bufioreq) = %s, id %u", rc0(r), id);
	if (r)
		goto out;
	r = xendevicemodel_get_ioreq_server_info(dm, (domid_t)dom, id, NULL, NULL, NULL);
	D("devicemodel.get_ioreq_server_info(no gfns) = %s", rc0(r));
	errno = 0;
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_IOREQ, id, 0, 1, &addr,
					    PROT_READ, 0);
	D("foreignmemory.map_resource(ioreq server, buffered frame, no bufioreq) = %s",
	  rcp(res));
	if (res)
		xenforeignmemory_unmap_resource(fm, res);
	res = xenforeignmemory_map_resource(fm, (domid_t)dom, RES_IOREQ, id, 1, 1, &addr,
					    PROT_READ | PROT_WRITE, 0);
	D("foreignmemory.map_resource(ioreq server, vCPU 0 page) = %s", rcp(res));
	if (res) {
		const unsigned char *pg = addr;
		int zero = 1;

		for (int i = 0; i < PAGE; i++)
			zero &= pg[i] == 0;
		D("foreignmemory.ioreq page reads zero = %s", zero ? "yes" : "no");
		xenforeignmemory_unmap_resource(fm, res);
	}
	size_t sz = 0;
	r = xenforeignmemory_resource_size(fm, (domid_t)dom, RES_IOREQ, id, &sz);
	D("foreignmemory.resource_size(ioreq server) = %s, %zu bytes", rc0(r), sz);
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x3f8,
							0x3ff);
	D("devicemodel.map_io_range(port 0x3f8-0x3ff) = %s", rc0(r));
	errno = 0;
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x3f8,
							0x3ff);
	D("devicemodel.map_io_range(same range) = %s", rc0(r));
	errno = 0;
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x3fc,
							0x400);
	D("devicemodel.map_io_range(overlapping 0x3fc-0x400) = %s", rc0(r));
	r = xendevicemodel_unmap_io_range_from_ioreq_server(dm, (domid_t)dom, id, 0,
							    0x3f8, 0x3ff);
	D("devicemodel.unmap_io_range = %s", rc0(r));
	errno = 0;
	r = xendevicemodel_unmap_io_range_from_ioreq_server(dm, (domid_t)dom, id, 0,
							    0x3f8, 0x3ff);
	D("devicemodel.unmap_io_range again = %s", rc0(r));
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 1,
							0xfeb00000, 0xfeb00fff);
	D("devicemodel.map_io_range(MMIO 0xfeb00000-0xfeb00fff) = %s", rc0(r));
	errno = 0;
	r = xendevicemodel_map_io_range_to_ioreq_server(dm, (domid_t)dom, id, 0, 0x400,
							0x3ff);
	D("devicemodel.map_io_range(start > end) = %s", rc0(r));
	r = xendevicemodel_map_pcidev_to_ioreq_server(dm, (domid_t)dom, id, 0, 0, 3, 0);
	D("devicemodel.map_pcidev(00:03.0) = %s", rc0(r));
	r = xendevicemodel_unmap_pcidev_from_ioreq_server(dm, (domid_t)dom, id, 0, 0, 3,
							  0);
	D("devicemodel.unmap_pcidev(00:03.0) = %s", rc0(r));
	D("devicemodel.set_ioreq_server_state(on) = %s",
	  rc0(xendevicemodel_set_ioreq_server_state(dm, (domid_t)dom, id, 1)));
	D("devicemodel.set_ioreq_server_state(off) = %s",
	  rc0(xendevicemodel_set_ioreq_server_state(dm, (domid_t)dom, id, 0)));
	errno = 0;
	D("devicemodel.set_ioreq_server_state(server 5, none) = %s",
	  rc0(xendevicemodel_set_ioreq_server_state(dm, (domid_t)dom, 5, 1)));
	r = xendevicemodel_create_ioreq_server(dm, (domid_t)dom,
					       HVM_IOREQSRV_BUFIOREQ_ATOMIC, &id2);
	D("devicemodel.create_ioreq_server(guest, atomic bufioreq) = %s, %s", rc0(r),
	  id2 != id ? "another id" : "same id");
	if (r == 0) {
		r = xendevicemodel_get_ioreq_server_info(dm, (domid_t)dom, id2, NULL,
							 NULL, &bufport);
		D("devicemodel.get_ioreq_server_info(bufioreq port) = %s, port %s",
		  rc0(r), bufport ? "given" : "0");
		r = xendevicemodel_get_ioreq_server_info(dm, (domid_t)dom, id2,
							 &ioreq_gfn, &buf_gfn, NULL);
		D("devicemodel.get_ioreq_server_info(gfns) = %s, ioreq gfn %#llx, "
		  "buffered gfn "
		  "%#llx",
		  rc0(r), (unsigned long long)ioreq_gfn, (unsigned long long)buf_gfn);
		D("devicemodel.destroy_ioreq_server(second) = %s",
		  rc0(xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id2)));
	}
	D("devicemodel.destroy_ioreq_server = %s",
	  rc0(xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id)));
	errno = 0;
	D("devicemodel.destroy_ioreq_server again = %s",
	  rc0(xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id)));
	D("devicemodel.set_mem_type(ram_ro, 0x100, 2) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_ro, 0x100, 2)));
	D("devicemodel.set_mem_type(ram_rw, 0x100, 2) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_rw, 0x100, 2)));
	errno = 0;
	D("devicemodel.set_mem_type(ram_rw, 0x1ff, 4: beyond RAM) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_rw, 0x1ff, 4)));
	errno = 0;
	D("devicemodel.set_mem_type(type 99) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, 99, 0x100, 1)));
	D("devicemodel.set_isa_irq_level(5, 1) = %s",
	  rc0(xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 5, 1)));
	D("devicemodel.set_isa_irq_level(5, 0) = %s",
	  rc0(xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 5, 0)));
	errno = 0;
	D("devicemodel.set_isa_irq_level(16, 1) = %s",
	  rc0(xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 16, 1)));
	D("devicemodel.set_pci_intx_level(00:03.0 INTA, 1) = %s",
	  rc0(xendevicemodel_set_pci_intx_level(dm, (domid_t)dom, 0, 0, 3, 0, 1)));
	D("devicemodel.set_pci_intx_level(00:03.0 INTA, 0) = %s",
	  rc0(xendevicemodel_set_pci_intx_level(dm, (domid_t)dom, 0, 0, 3, 0, 0)));
	errno = 0;
	D("devicemodel.set_pci_intx_level(INTx 4) = %s",
	  rc0(xendevicemodel_set_pci_intx_level(dm, (domid_t)dom, 0, 0, 3, 4, 1)));
	errno = 0;
	D("devicemodel.set_irq_level(irq 40, 1) = %s",
	  rc0(xendevicemodel_set_irq_level(dm, (domid_t)dom, 40, 1)));
	D("devicemodel.set_pci_link_route(0, 10) = %s",
	  rc0(xendevicemodel_set_pci_link_route(dm, (domid_t)dom, 0, 10)));
	errno = 0;
	D("devicemodel.set_pci_link_route(link 4) = %s",
	  rc0(xendevicemodel_set_pci_link_route(dm, (domid_t)dom, 4, 10)));
	D("devicemodel.inject_msi = %s",
	  rc0(xendevicemodel_inject_msi(dm, (domid_t)dom, 0xfee00000, 0x31)));
	D("devicemodel.modified_memory(0x100, 1) = %s",
	  rc0(xendevicemodel_modified_memory(dm, (domid_t)dom, 0x100, 1)));
	errno = 0;
	D("devicemodel.modified_memory(0x1ff, 4: beyond RAM) = %s",
	  rc0(xendevicemodel_modified_memory(dm, (domid_t)dom, 0x1ff, 4)));
	{
		/* at most 8 ioreq servers per domain */
		ioservid_t ids[9];
		int n = 0;

		errno = 0;
		while (n < 9 && xendevicemodel_create_ioreq_server(dm, (domid_t)dom, 0,
								   &ids[n]) == 0)
			n++;
		D("devicemodel.create_ioreq_server until it fails = %d created, then %s",
		  n, n < 9 ? en(errno) : "none failed");
		while (n > 0)
			xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, ids[--n]);
	}
	id = 0xffff;
	r = xendevicemodel_create_ioreq_server(dm, (domid_t)dom, 0, &id);
	D("devicemodel.create_ioreq_server(for the memory claim) = %s, id %u", rc0(r),
	  id);
	errno = 0;
	D("devicemodel.map_mem_type_to_ioreq_server(ioreq_server, write) = %s",
	  rc0(xendevicemodel_map_mem_type_to_ioreq_server(
		  dm, (domid_t)dom, id, HVMMEM_ioreq_server,
		  XEN_DMOP_IOREQ_MEM_ACCESS_WRITE)));
	errno = 0;
	D("devicemodel.map_mem_type_to_ioreq_server(ram_rw) = %s",
	  rc0(xendevicemodel_map_mem_type_to_ioreq_server(
		  dm, (domid_t)dom, id, HVMMEM_ram_rw, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE)));
	errno = 0;
	D("devicemodel.set_mem_type(ioreq_server, 0x180, 1) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ioreq_server, 0x180,
					  1)));
	errno = 0;
	D("devicemodel.set_mem_type(ram_rw, 0x180, 1) = %s",
	  rc0(xendevicemodel_set_mem_type(dm, (domid_t)dom, HVMMEM_ram_rw, 0x180, 1)));
	errno = 0;
	D("devicemodel.map_mem_type_to_ioreq_server(ioreq_server, no access) = %s",
	  rc0(xendevicemodel_map_mem_type_to_ioreq_server(dm, (domid_t)dom, id,
							  HVMMEM_ioreq_server, 0)));
	D("devicemodel.destroy_ioreq_server = %s",
	  rc0(xendevicemodel_destroy_ioreq_server(dm, (domid_t)dom, id)));
	{
		unsigned long bm[2] = {0x5a5a, 0x5a5a};

		errno = 0;
		r = xendevicemodel_track_dirty_vram(dm, (domid_t)dom, 0x100, 16, bm);
		D("devicemodel.track_dirty_vram(0x100, 16) = %s, bitmap %#lx", rc0(r),
		  bm[0]);
		bm[0] = 0x5a5a;
		errno = 0;
		r = xendevicemodel_track_dirty_vram(dm, (domid_t)dom, 0x100, 16, bm);
		D("devicemodel.track_dirty_vram(0x100, 16) again = %s, bitmap %#lx",
		  rc0(r), bm[0]);
		errno = 0;
		r = xendevicemodel_track_dirty_vram(dm, (domid_t)dom, 0, 0, bm);
		D("devicemodel.track_dirty_vram(0, 0: off) = %s", rc0(r));
	}
	errno = 0;
	D("devicemodel.inject_event(vCPU 0, vector 0x20) = %s",
	  rc0(xendevicemodel_inject_event(dm, (domid_t)dom, 0, 0x20, 0, ~0u, 0, 0)));
	errno = 0;
	D("devicemodel.inject_event(vCPU 5) = %s",
	  rc0(xendevicemodel_inject_event(dm, (domid_t)dom, 5, 0x20, 0, ~0u, 0, 0)));
	errno = 0;
	D("devicemodel.pin_memory_cacheattr(0x100-0x101, WB) = %s",
	  rc0(xendevicemodel_pin_memory_cacheattr(dm, (domid_t)dom, 0x100, 0x101,
						  XEN_DMOP_MEM_CACHEATTR_WB)));
	errno = 0;
	D("devicemodel.pin_memory_cacheattr(type 3) = %s",
	  rc0(xendevicemodel_pin_memory_cacheattr(dm, (domid_t)dom, 0x102, 0x102, 3)));
out:
	if (fm)
		xenforeignmemory_close(fm);
	if (dm)
		D("devicemodel.close = %s", rc0(xendevicemodel_close(dm)));
}

/* in a child: fresh handles, every one restricted to the guest */
static int restricted_child(uint32_t dom)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	xengnttab_handle *gt = xengnttab_open(NULL, 0);
	xen_pfn_t pfn = 0x100;
	unsigned int vcpus = 0;
	size_t size = 0;
	int err = 9, r;
	char *p;

	D("restricted.open all = %s", xc && dm && fm && xe && gt ? "ok" : "failed");
	if (!xc || !dm || !fm || !xe || !gt)
		return 1;
	D("toolcore.restrict_all(guest) = %s",
	  rc0(xentoolcore_restrict_all((domid_t)dom)));
	errno = 0;
	r = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	D("restricted.xencall(xen_version) = %s", rcv(r, "%#lx"));
	errno = 0;
	p = xencall_alloc_buffer(xc, 64);
	D("restricted.xencall.alloc_buffer = %s", rcp(p));
	vcpus = 0;
	r = xendevicemodel_nr_vcpus(dm, (domid_t)dom, &vcpus);
	D("restricted.devicemodel.nr_vcpus(guest) = %s, %u", rc0(r), vcpus);
	errno = 0;
	D("restricted.devicemodel.nr_vcpus(dom0) = %s",
	  rc0(xendevicemodel_nr_vcpus(dm, 0, &vcpus)));
	errno = 0;
	D("restricted.devicemodel.nr_vcpus(dom %d) = %s", NO_DOMAIN,
	  rc0(xendevicemodel_nr_vcpus(dm, NO_DOMAIN, &vcpus)));
	p = xenforeignmemory_map(fm, dom, PROT_READ, 1, &pfn, &err);
	D("restricted.foreignmemory.map(guest) = %s, err %d, reads '%.20s'", rcp(p), err,
	  p ? p + 16 : "");
	if (p)
		xenforeignmemory_unmap(fm, p, 1);
	errno = 0;
	p = xenforeignmemory_map(fm, 0, PROT_READ, 1, &pfn, &err);
	D("restricted.foreignmemory.map(dom0) = %s", rcp(p));
	r = xenforeignmemory_resource_size(fm, (domid_t)dom, RES_GRANT, 0, &size);
	D("restricted.foreignmemory.resource_size(guest) = %s, %zu bytes", rc0(r), size);
	errno = 0;
	r = xenforeignmemory_resource_size(fm, NO_DOMAIN, RES_GRANT, 0, &size);
	D("restricted.foreignmemory.resource_size(dom %d) = %s", NO_DOMAIN, rc0(r));
	D("restricted.foreignmemory.restrict(guest) again = %s",
	  rc0(xenforeignmemory_restrict(fm, (domid_t)dom)));
	errno = 0;
	D("restricted.foreignmemory.restrict(dom0) = %s",
	  rc0(xenforeignmemory_restrict(fm, 0)));
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, 0);
	D("restricted.evtchn.bind_unbound_port(dom0) = %s", rcv(r, "%ld"));
	errno = 0;
	p = xengnttab_map_grant_ref(gt, 0, 8, PROT_READ);
	D("restricted.gnttab.map_grant_ref = %s", rcp(p));
	D("restricted.devicemodel.set_isa_irq_level(guest) = %s",
	  rc0(xendevicemodel_set_isa_irq_level(dm, (domid_t)dom, 7, 0)));
	errno = 0;
	D("restricted.devicemodel.set_isa_irq_level(dom0) = %s",
	  rc0(xendevicemodel_set_isa_irq_level(dm, 0, 7, 0)));
	errno = 0;
	r = xentoolcore_restrict_all(NO_DOMAIN);
	D("toolcore.restrict_all(another domain) = %s", r ? "fails" : "ok");
	xengnttab_close(gt);
	xenevtchn_close(xe);
	xenforeignmemory_close(fm);
	xendevicemodel_close(dm);
	xencall_close(xc);
	return 0;
}

int main(void)
{
	xc_interface *xch;
	uint32_t dom = 0;
	pid_t pid;
	int st = 0, r;

	live_prog = "live-diff";
	t_xencall();
	t_foreignmemory();
	t_evtchn();
	t_gnttab();
	xch = xc_interface_open(NULL, NULL, 0);
	D("xenctrl.interface_open = %s", rcp(xch));
	if (xch && create_guest(xch, &dom) == 0) {
		t_guest_foreignmemory(dom);
		t_devicemodel(dom);
		t_evtchn_restricted(dom);
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(restricted_child(dom));
		r = pid > 0 ? waitpid(pid, &st, 0) : -1;
		live_check(r == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
			   "restricted child process", "status %#x", st);
	}
	if (xch && dom > 0) {
		static xen_pfn_t more[GUEST_PAGES];

		guest_info(xch, dom, "after the device model");
		/* one page well after the end of RAM: a hole in between */
		more[0] = 0x400;
		errno = 0;
		r = xc_domain_populate_physmap(xch, dom, 1, 0, 0, more);
		D("xenctrl.populate_physmap(one page at 0x400) = %s",
		  rcv(r, "%ld extents"));
		{
			xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
			xen_pfn_t two[3] = {0x300, 0x400, 0x401};
			int err[3] = {9, 9, 9};
			unsigned char *p;

			p = fm ? xenforeignmemory_map(fm, dom, PROT_READ, 3, two, err)
			       : NULL;
			D("foreignmemory.map(guest, gfns 0x300 0x400 0x401) = %s, err %s "
			  "%s %s, "
			  "0x400 reads zero %s",
			  rcp(p), en(-err[0]), en(-err[1]), en(-err[2]),
			  p && p[PAGE] == 0 && p[2 * PAGE - 1] == 0 ? "yes" : "no");
			if (p)
				xenforeignmemory_unmap(fm, p, 3);
			if (fm)
				xenforeignmemory_close(fm);
		}
		{
			xen_pfn_t max = 0;

			r = xc_domain_maximum_gpfn(xch, dom, &max);
			D("xenctrl.domain_maximum_gpfn = %s, %#llx", rc0(r),
			  (unsigned long long)max);
		}
		/* 256 pages more: only 255 fit under maxmem (768 pages) */
		for (int i = 0; i < 256; i++)
			more[i] = (xen_pfn_t)(0x401 + i);
		errno = 0;
		r = xc_domain_populate_physmap(xch, dom, 256, 0, 0, more);
		D("xenctrl.populate_physmap(256 pages from 0x401, maxmem 768 pages) = %s",
		  rcv(r, "%ld extents"));
		guest_info(xch, dom, "grown");
		r = xc_domain_destroy(xch, dom);
		D("xenctrl.domain_destroy(guest) = %s", rc0(r));
		errno = 0;
		r = xc_domain_destroy(xch, dom);
		D("xenctrl.domain_destroy(guest) again = %s", rc0(r));
	}
	if (xch)
		xc_interface_close(xch);
	live_check(lines > 150, "canonical lines printed", "%u", lines);
	live_check(dom > 0, "the guest was created", "dom %u", dom);
	return live_exit();
}
