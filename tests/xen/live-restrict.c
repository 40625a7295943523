/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-restrict - libxendevicemodel and xentoolcore_restrict_all (upstream
 * API) against a real Xen: DM ops on a domain that does not exist, then
 * restrict every open handle of the process to that domain and check that
 * each library is limited (or neutered) as upstream documents.
 */
/* live-build: -lxentoolcore -lxencall -lxendevicemodel -lxenforeignmemory -lxenevtchn -lxengnttab */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xencall.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xentoolcore.h>

#include "live.h"

#define NO_DOMAIN    7 /* no such domain on the minimal dom0's machine */
#define OTHER_DOMAIN 8

int main(void)
{
	xencall_handle *xc = xencall_open(NULL, 0);
	xendevicemodel_handle *dm = xendevicemodel_open(NULL, 0);
	xenforeignmemory_handle *fm = xenforeignmemory_open(NULL, 0);
	xenevtchn_handle *xe = xenevtchn_open(NULL, 0);
	xengnttab_handle *gt = xengnttab_open(NULL, 0);
	unsigned int vcpus = 99;
	size_t size;
	void *p;
	int r;

	live_prog = "live-restrict";
	if (!live_check(xc && dm && fm && xe && gt, "open xencall, xendevicemodel, "
			"xenforeignmemory, xenevtchn, xengnttab", "%p %p %p %p %p", (void *)xc,
			(void *)dm, (void *)fm, (void *)xe, (void *)gt))
		return live_exit();

	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, NO_DOMAIN, &vcpus);
	live_check(r == -1 && errno == ESRCH, "xendevicemodel_nr_vcpus(no such domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, 0, &vcpus);
	live_note("xendevicemodel_nr_vcpus(dom0) -> rc=%d vcpus=%u errno=%d (%s)", r, vcpus,
		  errno, strerror(errno));
	live_check(r == -1 && errno == EPERM, "xendevicemodel_nr_vcpus(dom0 itself)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xendevicemodel_set_irq_level(dm, NO_DOMAIN, 5, 1);
	live_check(r == -1 && errno == ESRCH, "xendevicemodel_set_irq_level(no such domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));

	r = xentoolcore_restrict_all(NO_DOMAIN);
	live_check(r == 0, "xentoolcore_restrict_all", "to dom%d rc=%d (%s)", NO_DOMAIN, r,
		   r ? strerror(errno) : "ok");

	/* xencall: its fds are now /dev/null */
	errno = 0;
	r = xencall2(xc, 17, 0, 0);
	live_check(r == -1 && errno == ENOTTY, "restricted: xencall2 fails on /dev/null",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	/* mmap(PROT_WRITE, MAP_SHARED) of the read-only /dev/null: EACCES */
	errno = 0;
	p = xencall_alloc_buffer(xc, 64);
	live_check(p == NULL && errno == EACCES, "restricted: xencall_alloc_buffer",
		   "%p errno=%d (%s)", p, errno, strerror(errno));
	/* devicemodel: its privcmd fd is limited to the domain */
	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, OTHER_DOMAIN, &vcpus);
	live_check(r == -1 && errno == EPERM, "restricted: xendevicemodel_nr_vcpus(another domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, NO_DOMAIN, &vcpus);
	live_check(r == -1 && errno == ESRCH,
		   "restricted: xendevicemodel_nr_vcpus(its domain) reaches Xen",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	/* foreignmemory: same */
	errno = 0;
	r = xenforeignmemory_resource_size(fm, OTHER_DOMAIN, 1, 0, &size);
	live_check(r == -1 && errno == EPERM, "restricted: resource_size(another domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	/* evtchn: only interdomain binds to the domain */
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, 0);
	live_check(r == -1 && errno == EACCES, "restricted: xenevtchn_bind_unbound_port",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	/* gnttab: its fd is /dev/null */
	errno = 0;
	p = xengnttab_map_grant_ref(gt, 0, 8, PROT_READ);
	live_check(p == NULL, "restricted: xengnttab_map_grant_ref", "%p errno=%d (%s)", p,
		   errno, strerror(errno));
	/*
	 * A second restrict_all to the same domain: upstream's evtchn passes
	 * it to the kernel, which refuses any second RESTRICT_DOMID (EACCES);
	 * xenstable's follows the toolcore contract (idempotent for the same
	 * domid) and returns 0. Either way nothing may become unrestricted.
	 */
	errno = 0;
	r = xentoolcore_restrict_all(NO_DOMAIN);
	live_check((r == -1 && errno == EACCES) || r == 0,
		   "xentoolcore_restrict_all again, same domain",
		   "rc=%d errno=%d (%s): %s", r, errno, strerror(errno),
		   r ? "upstream's EACCES" : "idempotent");
	errno = 0;
	r = xenevtchn_bind_unbound_port(xe, 0);
	live_check(r == -1 && errno == EACCES, "evtchn still restricted after that",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xendevicemodel_nr_vcpus(dm, OTHER_DOMAIN, &vcpus);
	live_check(r == -1 && errno == EPERM, "devicemodel still restricted after that",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xentoolcore_restrict_all(OTHER_DOMAIN);
	live_check(r == -1, "xentoolcore_restrict_all to another domain",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));

	live_check(xengnttab_close(gt) == 0 && xenevtchn_close(xe) == 0 &&
			   xenforeignmemory_close(fm) == 0 && xendevicemodel_close(dm) == 0 &&
			   xencall_close(xc) == 0,
		   "close every restricted handle", "0");
	return live_exit();
}
