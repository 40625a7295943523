/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-foreignmemory - libxenforeignmemory (upstream API) against a real
 * Xen with only dom0 running: resource size queries (Xen refuses them on
 * the caller itself), map_resource and map errors for a domain that does
 * not exist, restriction.
 */
/* live-build: -lxenforeignmemory */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenforeignmemory.h>

#include "live.h"

#define RES_GRANT_TABLE 1 /* XENMEM_resource_grant_table */
#define NO_DOMAIN	7 /* no such domain on the minimal dom0's machine */
#define OTHER_DOMAIN	8

int main(void)
{
	xenforeignmemory_handle *fm;
	xenforeignmemory_resource_handle *res;
	size_t size = 12345;
	void *addr = NULL, *p;
	xen_pfn_t pfn = 0x100;
	int err[1] = { 1 };
	int r;

	live_prog = "live-foreignmemory";
	fm = xenforeignmemory_open(NULL, 0);
	if (!live_check(fm != NULL, "xenforeignmemory_open", "%s", fm ? "ok" : strerror(errno)))
		return live_exit();

	errno = 0;
	r = xenforeignmemory_resource_size(fm, 0, RES_GRANT_TABLE, 0, &size);
	live_check(r == -1 && errno == EPERM, "resource_size(dom0's own grant table)",
		   "rc=%d errno=%d (%s): Xen refuses acquire_resource on the caller", r, errno,
		   strerror(errno));
	errno = 0;
	r = xenforeignmemory_resource_size(fm, NO_DOMAIN, RES_GRANT_TABLE, 0, &size);
	live_check(r == -1 && errno == ESRCH, "resource_size(no such domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	res = xenforeignmemory_map_resource(fm, NO_DOMAIN, RES_GRANT_TABLE, 0, 0, 1, &addr,
					    PROT_READ, 0);
	live_check(res == NULL && errno == ESRCH, "map_resource(no such domain)",
		   "%p errno=%d (%s)", (void *)res, errno, strerror(errno));
	errno = 0;
	p = xenforeignmemory_map(fm, NO_DOMAIN, PROT_READ, 1, &pfn, err);
	/* the batch ioctl succeeds; the frame's error is in err[] */
	live_check(p != NULL && err[0] == -ESRCH, "map(no such domain)",
		   "%p err[0]=%d (-ESRCH expected)", p, err[0]);
	if (p)
		xenforeignmemory_unmap(fm, p, 1);

	r = xenforeignmemory_restrict(fm, NO_DOMAIN);
	live_check(r == 0, "xenforeignmemory_restrict", "to dom%d rc=%d", NO_DOMAIN, r);
	r = xenforeignmemory_restrict(fm, NO_DOMAIN);
	live_check(r == 0, "xenforeignmemory_restrict again, same domain", "rc=%d", r);
	errno = 0;
	r = xenforeignmemory_restrict(fm, OTHER_DOMAIN);
	live_check(r == -1 && errno == EINVAL, "xenforeignmemory_restrict to another domain",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xenforeignmemory_resource_size(fm, OTHER_DOMAIN, RES_GRANT_TABLE, 0, &size);
	live_check(r == -1 && errno == EPERM, "restricted: resource_size(another domain)",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = xenforeignmemory_resource_size(fm, NO_DOMAIN, RES_GRANT_TABLE, 0, &size);
	live_check(r == -1 && errno == ESRCH, "restricted: resource_size(its domain) reaches Xen",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));

	r = xenforeignmemory_close(fm);
	live_check(r == 0, "xenforeignmemory_close", "rc=%d", r);
	live_check(xenforeignmemory_close(NULL) == 0, "xenforeignmemory_close(NULL)", "0");
	return live_exit();
}
