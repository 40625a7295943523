/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-gnttab - libxengnttab (upstream API) against a real Xen: dom0
 * shares pages with itself (xengntshr), maps them back (xengnttab, single,
 * batch, domain batch), reads and writes both ways, copies to and from a
 * grant (grant_copy) and releases everything; and what the kernel answers
 * to a DMA-BUF export (xensim's default personalities are pinned to it).
 */
/* live-build: -lxengnttab */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xengnttab.h>

#include "live.h"

#define PAGE 4096
/* GNTCOPY_* and GNTST_* come with <xengnttab.h> (<xen/grant_table.h>) */

int main(void)
{
	xengntshr_handle *gs;
	xengnttab_handle *gt;
	uint32_t refs[2] = { 0, 0 }, doms[2] = { 0, 0 };
	char *src = NULL, *one, *two, local[64];
	int r;

	live_prog = "live-gnttab";
	gs = xengntshr_open(NULL, 0);
	gt = xengnttab_open(NULL, 0);
	live_check(gs != NULL, "xengntshr_open", "%s", gs ? "ok" : strerror(errno));
	live_check(gt != NULL, "xengnttab_open", "%s", gt ? "ok" : strerror(errno));
	if (!gs || !gt)
		goto out;
	r = xengnttab_fd(gt);
	live_check(r >= 0 && fcntl(r, F_GETFD) == FD_CLOEXEC, "xengnttab_fd", "fd %d", r);
	/* Debian's libxengnttab 4.17 opens gntalloc without O_CLOEXEC: not asserted */
	r = xengntshr_fd(gs);
	live_check(r >= 0 && fcntl(r, F_GETFD) >= 0, "xengntshr_fd", "fd %d, close-on-exec %s", r,
		   fcntl(r, F_GETFD) == FD_CLOEXEC ? "yes" : "no");
	r = xengnttab_set_max_grants(gt, 64);
	live_check(r == 0, "xengnttab_set_max_grants(64)", "rc=%d", r);

	src = xengntshr_share_pages(gs, 0, 2, refs, 1);
	if (!live_check(src != NULL, "xengntshr_share_pages(dom0, 2, writable)", "refs %u %u",
			refs[0], refs[1]))
		goto out;
	live_check(refs[0] != refs[1], "two distinct grant refs", "%u %u", refs[0], refs[1]);
	strcpy(src, "page one");
	strcpy(src + PAGE, "page two");

	one = xengnttab_map_grant_ref(gt, 0, refs[1], PROT_READ | PROT_WRITE);
	if (live_check(one != NULL && strcmp(one, "page two") == 0,
		       "xengnttab_map_grant_ref(dom0, second ref)", "reads '%.20s'",
		       one ? one : "(null)")) {
		strcpy(one + 8, " + written");
		live_check(strcmp(src + PAGE, "page two + written") == 0,
			   "write through the mapping is seen by the granter", "'%.30s'",
			   src + PAGE);
		r = xengnttab_unmap(gt, one, 1);
		live_check(r == 0, "xengnttab_unmap", "rc=%d", r);
	}
	two = xengnttab_map_grant_refs(gt, 2, doms, refs, PROT_READ | PROT_WRITE);
	if (live_check(two != NULL && strcmp(two, "page one") == 0 &&
			       strcmp(two + PAGE, "page two + written") == 0,
		       "xengnttab_map_grant_refs(2 refs)", "'%.10s' '%.20s'", two ? two : "",
		       two ? two + PAGE : "")) {
		strcpy(src, "changed at the source");
		live_check(strcmp(two, "changed at the source") == 0,
			   "write at the source is seen through the mapping", "'%.30s'", two);
		r = xengnttab_unmap(gt, two, 2);
		live_check(r == 0, "xengnttab_unmap(2 pages)", "rc=%d", r);
	}
	two = xengnttab_map_domain_grant_refs(gt, 2, 0, refs, PROT_READ);
	if (live_check(two != NULL && strcmp(two, "changed at the source") == 0,
		       "xengnttab_map_domain_grant_refs(dom0, read-only)", "'%.30s'",
		       two ? two : "")) {
		r = xengnttab_unmap(gt, two, 2);
		live_check(r == 0, "xengnttab_unmap", "rc=%d", r);
	}

	{
		xengnttab_grant_copy_segment_t seg[2];

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
		r = xengnttab_grant_copy(gt, 2, seg);
		live_check(r == 0 && seg[0].status == GNTST_okay && seg[1].status == GNTST_okay,
			   "xengnttab_grant_copy(from a grant, to a grant)",
			   "rc=%d status %d %d", r, seg[0].status, seg[1].status);
		live_check(strcmp(local, "at the source") == 0, "grant copy out of the grant",
			   "'%s'", local);
		live_check(strcmp(src + PAGE + 100, "copied in") == 0, "grant copy into the grant",
			   "'%.20s'", src + PAGE + 100);
		memset(seg, 0, sizeof(seg));
		seg[0].source.foreign.ref = 100000; /* no such grant */
		seg[0].source.foreign.domid = 0;
		seg[0].dest.virt = local;
		seg[0].len = 4;
		seg[0].flags = GNTCOPY_source_gref;
		r = xengnttab_grant_copy(gt, 1, seg);
		live_check(r == 0 && seg[0].status < 0, "xengnttab_grant_copy of a bad ref",
			   "rc=%d status %d", r, seg[0].status);
	}

	{
		/*
		 * DMA-BUF export on Debian 12's PV dom0. Debian's 6.1 kernel is
		 * built without CONFIG_XEN_GNTDEV_DMABUF (observed: the ioctl is
		 * ENOTTY), so the PV rule (EINVAL, use_ptemod) is never reached:
		 * xenstable reports EOPNOTSUPP, Debian's library passes ENOTTY
		 * on. xensim's linux-6.1 personality (no `dmabuf`) models it.
		 */
		uint32_t dfd = 12345;

		errno = 0;
		r = xengnttab_dmabuf_exp_from_refs(gt, 0, 0, 1, refs, &dfd);
		live_check(r == -1 && (errno == EOPNOTSUPP || errno == ENOTTY) && dfd == 12345,
			   "xengnttab_dmabuf_exp_from_refs on the PV dom0 (no DMA-BUF in the kernel)",
			   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	}

	errno = 0;
	one = xengnttab_map_grant_ref(gt, 0, 100000, PROT_READ);
	live_check(one == NULL, "xengnttab_map_grant_ref of a bad ref", "%p errno=%d (%s)",
		   (void *)one, errno, strerror(errno));
	r = xengntshr_unshare(gs, src, 2);
	live_check(r == 0, "xengntshr_unshare", "rc=%d", r);
out:
	if (gt)
		live_check(xengnttab_close(gt) == 0, "xengnttab_close", "0");
	if (gs)
		live_check(xengntshr_close(gs) == 0, "xengntshr_close", "0");
	return live_exit();
}
