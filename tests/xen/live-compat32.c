/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-compat32 - a 32-bit (i686) program on the 64-bit dom0 kernel. The
 * Linux Xen drivers have no compat_ioctl: every ioctl on them fails with
 * ENOTTY, while open and mmap work. Each xenstable library must fail its
 * first real operation with ENOTTY and log why ("a 32-bit process on a
 * 64-bit kernel"); optional ioctls must stay ENOTTY, not EOPNOTSUPP.
 *
 * Built by tests/xen/run with i686-linux-gnu-gcc as a static program,
 * linked against xenstable's library sources of this tree (compiled for
 * i686 by the harness; XENSTABLE_LIBDIR does not apply). Skipped by the
 * harness if that compiler is missing.
 */
/* live-cross: i686-linux-gnu xenstable-static */
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <unistd.h>

#include <xencall.h>
#include <xendevicemodel.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xentoollog.h>

#include "live.h"

#define HYPERVISOR_xen_version 17
#define REASON		       "this is a 32-bit process on a 64-bit (x86_64) kernel"

/* A logger into memory: what the libraries said. */
static char *logbuf;
static size_t loglen;
static FILE *logf;
static xentoollog_logger *logger;

static void log_clear(void)
{
	fflush(logf);
	rewind(logf);
	if (logbuf)
		logbuf[0] = '\0';
}

static const char *log_text(void)
{
	fflush(logf);
	return logbuf ? logbuf : "";
}

/* errno @e and a log line with @what and the reason. */
static void check_enotty(const char *check, int ok, int e, const char *what)
{
	const char *t = log_text();
	const char *line = strstr(t, what);
	int logged = line && strstr(line, REASON) != NULL;

	live_check(ok && e == ENOTTY && logged, check, "errno %d (%s), log: %s", e,
		   strerror(e), line ? line : t);
}

int main(void)
{
	struct utsname u;
	xencall_handle *xc;
	xenforeignmemory_handle *fm;
	xenevtchn_handle *xe;
	xengnttab_handle *gt;
	xengntshr_handle *gs;
	xendevicemodel_handle *dm;
	xengnttab_grant_copy_segment_t seg;
	xen_pfn_t pfn = 0;
	uint32_t ref = 0;
	unsigned int n;
	size_t size;
	void *p;
	int e, r, fd, err = 0;

	live_prog = "live-compat32";
	uname(&u);
	if (!live_check(sizeof(long) == 4 && !strcmp(u.machine, "x86_64"), "abi",
			"sizeof(long) = %zu, kernel machine %s", sizeof(long), u.machine))
		return 1;
	logf = open_memstream(&logbuf, &loglen);
	logger = logf ? (xentoollog_logger *)xtl_createlogger_stdiostream(logf, XTL_DEBUG,
									  0)
		      : NULL;
	if (!live_check(logger != NULL, "logger", "memstream logger"))
		return 1;

	/* raw: evtchn says ENOSYS natively for an unknown ioctl, here ENOTTY */
	fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	e = errno;
	r = -1;
	if (fd >= 0) {
		errno = 0;
		r = ioctl(fd, _IOC(_IOC_NONE, 'E', 0x7f, 0), NULL);
		e = errno;
	}
	live_check(fd >= 0 && r == -1 && e == ENOTTY, "raw evtchn unknown ioctl",
		   "fd %d, ret %d, errno %d (%s)", fd, r, e, strerror(e));
	if (fd >= 0)
		close(fd);

	/* libxencall */
	xc = xencall_open(logger, 0);
	live_check(xc && strstr(log_text(),
				"32-bit process on a 64-bit (x86_64) kernel: the "
				"Linux Xen drivers have no 32-bit ioctls"),
		   "xencall open warning", "%s", log_text());
	if (xc) {
		log_clear();
		errno = 0;
		r = xencall2(xc, HYPERVISOR_xen_version, 0, 0);
		e = errno;
		check_enotty("xencall hypercall", r == -1, e,
			     "IOCTL_PRIVCMD_HYPERCALL (op 17) on /dev/xen/privcmd");
		/* mmap of /dev/xen/hypercall has no compat problem */
		p = xencall_alloc_buffer(xc, 64);
		live_check(p != NULL, "xencall buffer (mmap works)", "%p, errno %d", p,
			   errno);
		if (p)
			xencall_free_buffer(xc, p);
		xencall_close(xc);
	}

	/* libxenforeignmemory */
	log_clear();
	fm = xenforeignmemory_open(logger, 0);
	if (live_check(fm != NULL, "foreignmemory open", "errno %d", errno)) {
		log_clear();
		errno = 0;
		p = xenforeignmemory_map(fm, 0, PROT_READ, 1, &pfn, &err);
		e = errno;
		check_enotty("foreignmemory map", p == NULL, e,
			     "IOCTL_PRIVCMD_MMAPBATCH on /dev/xen/privcmd");
		log_clear();
		errno = 0;
		r = xenforeignmemory_resource_size(fm, 0, 1, 0, &size);
		e = errno;
		check_enotty("foreignmemory resource_size (optional, stays ENOTTY)",
			     r == -1, e, "IOCTL_PRIVCMD_MMAP_RESOURCE size query");
		log_clear();
		errno = 0;
		r = xenforeignmemory_restrict(fm, 0);
		e = errno;
		check_enotty("foreignmemory restrict (optional)", r == -1, e,
			     "IOCTL_PRIVCMD_RESTRICT to domain 0 on /dev/xen/privcmd");
		xenforeignmemory_close(fm);
	}

	/* libxenevtchn */
	log_clear();
	xe = xenevtchn_open(logger, 0);
	if (live_check(xe != NULL, "evtchn open", "errno %d", errno)) {
		log_clear();
		errno = 0;
		r = xenevtchn_bind_unbound_port(xe, 0);
		e = errno;
		check_enotty("evtchn bind_unbound_port", r == -1, e,
			     "IOCTL_EVTCHN_BIND_UNBOUND_PORT (remote domain 0) on "
			     "/dev/xen/evtchn");
		log_clear();
		errno = 0;
		r = xenevtchn_restrict(xe, 1);
		e = errno;
		check_enotty("evtchn restrict (optional)", r == -1, e,
			     "IOCTL_EVTCHN_RESTRICT_DOMID (domain 1) on /dev/xen/evtchn");
		xenevtchn_close(xe);
	}

	/* libxengnttab: gntdev */
	log_clear();
	gt = xengnttab_open(logger, 0);
	if (live_check(gt != NULL, "gnttab open", "errno %d", errno)) {
		log_clear();
		errno = 0;
		p = xengnttab_map_grant_ref(gt, 0, 8, PROT_READ);
		e = errno;
		check_enotty("gnttab map_grant_ref", p == NULL, e,
			     "IOCTL_GNTDEV_MAP_GRANT_REF (1 grant(s), first: domain 0 "
			     "ref 8) on "
			     "/dev/xen/gntdev");
		memset(&seg, 0, sizeof(seg));
		seg.len = 1;
		seg.flags = 1; /* GNTCOPY_source_gref */
		seg.dest.virt = &ref;
		log_clear();
		errno = 0;
		r = xengnttab_grant_copy(gt, 1, &seg);
		e = errno;
		check_enotty("gnttab grant_copy (optional)", r == -1, e,
			     "IOCTL_GNTDEV_GRANT_COPY on /dev/xen/gntdev");
		xengnttab_close(gt);
	}

	/* libxengnttab: gntalloc */
	log_clear();
	gs = xengntshr_open(logger, 0);
	if (live_check(gs != NULL, "gntshr open", "errno %d", errno)) {
		log_clear();
		errno = 0;
		p = xengntshr_share_pages(gs, 0, 1, &ref, 1);
		e = errno;
		check_enotty("gntshr share_pages", p == NULL, e,
			     "IOCTL_GNTALLOC_ALLOC_GREF (1 page(s) for domain 0) on "
			     "/dev/xen/gntalloc");
		xengntshr_close(gs);
	}

	/* libxendevicemodel */
	log_clear();
	dm = xendevicemodel_open(logger, 0);
	if (live_check(dm != NULL, "devicemodel open", "errno %d", errno)) {
		log_clear();
		errno = 0;
		r = xendevicemodel_nr_vcpus(dm, 0, &n);
		e = errno;
		check_enotty(
			"devicemodel nr_vcpus", r == -1, e,
			"nr_vcpus on domain 0 (dm_op hypercall on /dev/xen/privcmd)");
		log_clear();
		errno = 0;
		r = xendevicemodel_restrict(dm, 1);
		e = errno;
		check_enotty(
			"devicemodel restrict (optional)", r == -1, e,
			"restrict to domain 1: IOCTL_PRIVCMD_DM_OP on /dev/xen/privcmd");
		xendevicemodel_close(dm);
	}

	xtl_logger_destroy(logger);
	fclose(logf);
	free(logbuf);
	return live_failures ? 1 : 0;
}
