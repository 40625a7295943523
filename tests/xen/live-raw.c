/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-raw - the Linux Xen drivers of a real dom0, driven through the raw
 * ioctls of xenstable's private kernel interface (libs/common/xen-kernel.h):
 * proves those numbers and layouts against the real kernel, and pins the
 * kernel and Xen behaviour the libraries rely on.
 */
/* live-build: -I@top@/include -I@top@/libs/common */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/memory.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "xen-kernel.h"
#include "live.h"

#define PAGE 4096

static long hcall(int fd, uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall h = { .op = op, .arg = { a0, a1, 0, 0, 0 } };

	return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
}

static int open_dev(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	live_check(fd >= 0, "open", "%s: %s", path, fd >= 0 ? "ok" : strerror(errno));
	return fd;
}

static void test_privcmd(void)
{
	int fd = open_dev(XS_DEV_PRIVCMD);
	char extra[16] = { 0 };
	long v, r;

	if (fd < 0)
		return;
	v = hcall(fd, __HYPERVISOR_xen_version, XENVER_version, 0);
	live_check(v >> 16 == 4 && (v & 0xffff) == 17, "xen_version(XENVER_version)",
		   "%#lx = Xen %ld.%ld", v, v >> 16, v & 0xffff);
	r = hcall(fd, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
	live_check(r == PAGE, "xen_version(XENVER_pagesize)", "%ld", r);
	r = hcall(fd, __HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra);
	live_check(r == 0 && extra[0] == '.', "xen_version(XENVER_extraversion), stack buffer",
		   "rc=%ld '%.16s'", r, extra);
	errno = 0;
	r = hcall(fd, 63, 0, 0);
	live_check(r == -1 && errno == ENOSYS, "hypercall 63 (unused)", "rc=%ld errno=%d (%s)",
		   r, errno, strerror(errno));
	errno = 0;
	r = ioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL);
	live_check(r == -1 && errno == ENOTTY, "unknown privcmd ioctl", "rc=%ld errno=%d (%s)",
		   r, errno, strerror(errno));
	close(fd);
}

static void test_hypercall_buffers(void)
{
	int fd = open_dev(XS_DEV_PRIVCMD);
	int bfd = open_dev(XS_DEV_HYPERCALL);
	char *p;
	long r;

	if (fd < 0 || bfd < 0)
		goto out;
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, bfd, 0);
	if (!live_check(p != MAP_FAILED, "mmap /dev/xen/hypercall, 2 pages", "%s",
			p == MAP_FAILED ? strerror(errno) : "ok"))
		goto out;
	memset(p, 0x55, 2 * PAGE);
	live_check(p[0] == 0x55 && p[2 * PAGE - 1] == 0x55, "hypercall buffer is plain memory",
		   "written and read back");
	memset(p + PAGE, 0, PAGE);
	r = hcall(fd, __HYPERVISOR_xen_version, XENVER_capabilities, (uintptr_t)(p + PAGE));
	live_check(r == 0 && strstr(p + PAGE, "xen-3.0-x86_64") != NULL,
		   "xen_version(XENVER_capabilities) into page 2 of the buffer", "rc=%ld '%.200s'",
		   r, p + PAGE);
	memset(p, 0, PAGE);
	r = hcall(fd, __HYPERVISOR_xen_version, XENVER_compile_info, (uintptr_t)p);
	live_check(r == 0 && p[0] != '\0', "xen_version(XENVER_compile_info)",
		   "rc=%ld compiler '%.60s'", r, p);
	munmap(p, 2 * PAGE);
out:
	if (bfd >= 0)
		close(bfd);
	if (fd >= 0)
		close(fd);
}

static int resource_size(int fd, domid_t dom, uint64_t *frames)
{
	struct privcmd_mmap_resource res = {
		.dom = dom,
		.type = XENMEM_resource_grant_table,
		.id = XENMEM_resource_grant_table_id_shared,
	};
	int r = ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &res);

	*frames = res.num;
	return r;
}

static int dm_op(int fd, domid_t dom)
{
	unsigned char op[64] = { 0 };
	struct privcmd_dm_op_buf buf = { .uptr = op, .size = sizeof(op) };
	struct privcmd_dm_op dm = { .dom = dom, .num = 1, .ubufs = &buf };

	return ioctl(fd, IOCTL_PRIVCMD_DM_OP, &dm);
}

/*
 * The grant-table size query reaches Xen, which refuses
 * XENMEM_acquire_resource on the calling domain itself (EPERM), and on
 * DOMID_SELF and a domain that does not exist (ESRCH). A domain that does not exist lets
 * the kernel's restriction check (EPERM before any hypercall) be told
 * apart from Xen's answer.
 */
#define NO_DOMAIN    7 /* no such domain in the minimal dom0's machine */
#define OTHER_DOMAIN 8

static void test_resource_and_restrict(void)
{
	int fd = open_dev(XS_DEV_PRIVCMD);
	struct privcmd_mmap_resource res = { 0 };
	uint64_t frames = 0;
	domid_t dom;
	long r;

	if (fd < 0)
		return;
	errno = 0;
	r = resource_size(fd, 0, &frames);
	live_check(r == -1 && errno == EPERM, "MMAP_RESOURCE size query, dom0's own grant table",
		   "rc=%ld frames=%llu errno=%d (%s)", r, (unsigned long long)frames, errno,
		   strerror(errno));
	errno = 0;
	r = resource_size(fd, DOMID_SELF, &frames);
	live_check(r == -1 && errno == ESRCH, "MMAP_RESOURCE size query, DOMID_SELF",
		   "rc=%ld frames=%llu errno=%d (%s)", r, (unsigned long long)frames, errno,
		   strerror(errno));
	errno = 0;
	r = resource_size(fd, NO_DOMAIN, &frames);
	live_check(r == -1 && errno == ESRCH, "MMAP_RESOURCE size query, no such domain",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	res.dom = NO_DOMAIN;
	res.type = XENMEM_resource_grant_table;
	res.num = 1; /* addr 0 with num != 0 */
	errno = 0;
	r = ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &res);
	live_check(r == -1 && errno == EINVAL, "MMAP_RESOURCE addr=0 num=1",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = dm_op(fd, NO_DOMAIN);
	live_check(r == -1 && errno == ESRCH, "DM_OP, no such domain", "rc=%ld errno=%d (%s)", r,
		   errno, strerror(errno));

	dom = NO_DOMAIN;
	r = ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom);
	live_check(r == 0, "RESTRICT", "to dom%d rc=%ld (%s)", NO_DOMAIN, r,
		   r ? strerror(errno) : "ok");
	r = ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom);
	live_check(r == 0, "RESTRICT again to the same domain", "rc=%ld", r);
	dom = OTHER_DOMAIN;
	errno = 0;
	r = ioctl(fd, IOCTL_PRIVCMD_RESTRICT, &dom);
	live_check(r == -1 && errno == EINVAL, "RESTRICT to another domain",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = hcall(fd, __HYPERVISOR_xen_version, XENVER_version, 0);
	live_check(r == -1 && errno == EPERM, "HYPERCALL on a restricted fd",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = resource_size(fd, NO_DOMAIN, &frames);
	live_check(r == -1 && errno == ESRCH,
		   "restricted fd: MMAP_RESOURCE for its own domain reaches Xen",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = resource_size(fd, OTHER_DOMAIN, &frames);
	live_check(r == -1 && errno == EPERM, "restricted fd: MMAP_RESOURCE for another domain",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = dm_op(fd, NO_DOMAIN);
	live_check(r == -1 && errno == ESRCH, "restricted fd: DM_OP for its own domain reaches Xen",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = dm_op(fd, OTHER_DOMAIN);
	live_check(r == -1 && errno == EPERM, "restricted fd: DM_OP for another domain",
		   "rc=%ld errno=%d (%s)", r, errno, strerror(errno));
	close(fd);
}

/* read pending ports until <want> comes (others are noted); 1 if seen */
static int evtchn_wait(int fd, unsigned int want, unsigned int *seen, int *nseen)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned int got[16];
	int found = 0;

	for (int round = 0; round < 4 && !found; round++) {
		ssize_t n;

		if (poll(&pfd, 1, 2000) != 1)
			break;
		n = read(fd, got, sizeof(got));
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(got[0]); i++) {
			if (got[i] == want)
				found = 1;
			if (*nseen < 16)
				seen[(*nseen)++] = got[i];
		}
	}
	return found;
}

static void test_evtchn(void)
{
	int fd = open_dev(XS_DEV_EVTCHN);
	struct ioctl_evtchn_bind_unbound_port ub = { .remote_domain = 0 };
	struct ioctl_evtchn_bind_interdomain bi = { .remote_domain = 0 };
	struct ioctl_evtchn_notify nt;
	struct ioctl_evtchn_unbind un;
	struct ioctl_evtchn_restrict_domid rd = { .domid = 0 };
	unsigned int seen[16];
	int nseen = 0, p1, p2, r;

	if (fd < 0)
		return;
	p1 = ioctl(fd, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &ub);
	live_check(p1 > 0, "BIND_UNBOUND_PORT(remote dom0)", "port %d", p1);
	bi.remote_port = (unsigned int)p1;
	p2 = ioctl(fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bi);
	if (!live_check(p2 > 0 && p2 != p1, "BIND_INTERDOMAIN(dom0, that port)", "port %d", p2))
		goto out;
	nt.port = (unsigned int)p2;
	r = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &nt);
	live_check(r == 0, "NOTIFY", "port %d rc=%d", p2, r);
	r = evtchn_wait(fd, (unsigned int)p1, seen, &nseen);
	for (int i = 0; i < nseen; i++)
		live_note("read port %u", seen[i]);
	live_check(r, "notify reaches the other end", "port %d pending after notify of %d", p1,
		   p2);
	/* unmask: write the ports back, then a second notify must arrive */
	r = (int)write(fd, seen, (size_t)nseen * sizeof(seen[0]));
	live_check(r == nseen * (int)sizeof(seen[0]), "write (unmask) of the read ports",
		   "%d bytes", r);
	r = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &nt);
	nseen = 0;
	live_check(r == 0 && evtchn_wait(fd, (unsigned int)p1, seen, &nseen),
		   "second notify after unmask", "rc=%d, port %d pending again", r, p1);
	un.port = (unsigned int)p2;
	r = ioctl(fd, IOCTL_EVTCHN_UNBIND, &un);
	live_check(r == 0, "UNBIND", "port %d rc=%d", p2, r);
	errno = 0;
	r = ioctl(fd, IOCTL_EVTCHN_UNBIND, &un);
	live_check(r == -1 && errno == ENOTCONN, "UNBIND of an unbound port",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	errno = 0;
	r = ioctl(fd, IOCTL_EVTCHN_NOTIFY, &nt);
	live_check(r == -1 && errno == ENOTCONN, "NOTIFY on an unbound port",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
out:
	if (p1 > 0) {
		un.port = (unsigned int)p1;
		r = ioctl(fd, IOCTL_EVTCHN_UNBIND, &un);
		live_check(r == 0, "UNBIND", "port %d rc=%d", p1, r);
	}
	errno = 0;
	r = ioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &rd);
	live_check(r == -1 && errno == EINVAL, "RESTRICT_DOMID(0)", "rc=%d errno=%d (%s)", r,
		   errno, strerror(errno));
	errno = 0;
	r = ioctl(fd, XS_IOC(XS_IOC_NONE, 'E', 99, 0), NULL);
	live_check(r == -1 && errno == ENOSYS, "unknown evtchn ioctl", "rc=%d errno=%d (%s)", r,
		   errno, strerror(errno));
	close(fd);
}

static void test_grants(void)
{
	static const char msg[] = "hello through a grant";
	int afd = open_dev(XS_DEV_GNTALLOC);
	int dfd = open_dev(XS_DEV_GNTDEV);
	struct ioctl_gntalloc_alloc_gref a = { .domid = 0,
					       .flags = GNTALLOC_FLAG_WRITABLE,
					       .count = 1 };
	struct ioctl_gntdev_map_grant_ref m = { .count = 1 };
	struct ioctl_gntdev_unmap_grant_ref um = { 0 };
	struct ioctl_gntalloc_dealloc_gref da = { 0 };
	char *src = MAP_FAILED, *dst = MAP_FAILED;
	int r;

	if (afd < 0 || dfd < 0)
		goto out;
	r = ioctl(afd, IOCTL_GNTALLOC_ALLOC_GREF, &a);
	if (!live_check(r == 0, "GNTALLOC_ALLOC_GREF for dom0, writable",
			"rc=%d gref=%u index=%llu (%s)", r, a.gref_ids[0],
			(unsigned long long)a.index, r ? strerror(errno) : "ok"))
		goto out;
	src = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, afd, (off_t)a.index);
	if (!live_check(src != MAP_FAILED, "mmap gntalloc page", "%s",
			src == MAP_FAILED ? strerror(errno) : "ok"))
		goto out;
	live_check(src[0] == 0 && src[PAGE - 1] == 0, "gntalloc page starts zeroed", "%d %d",
		   src[0], src[PAGE - 1]);
	memcpy(src, msg, sizeof(msg));
	m.refs[0].domid = 0;
	m.refs[0].ref = a.gref_ids[0];
	r = ioctl(dfd, IOCTL_GNTDEV_MAP_GRANT_REF, &m);
	if (!live_check(r == 0, "GNTDEV_MAP_GRANT_REF(dom0, that gref)", "rc=%d index=%llu (%s)",
			r, (unsigned long long)m.index, r ? strerror(errno) : "ok"))
		goto out;
	dst = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, (off_t)m.index);
	if (live_check(dst != MAP_FAILED, "mmap gntdev mapping", "%s",
		       dst == MAP_FAILED ? strerror(errno) : "ok")) {
		live_check(memcmp(dst, msg, sizeof(msg)) == 0, "grant mapping reads the source",
			   "'%.30s'", dst);
		memcpy(dst + 100, "written back", 13);
		live_check(memcmp(src + 100, "written back", 13) == 0,
			   "write through the mapping is seen by the granter", "'%.20s'",
			   src + 100);
		munmap(dst, PAGE);
	}
	um.index = m.index;
	um.count = 1;
	r = ioctl(dfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
	live_check(r == 0, "GNTDEV_UNMAP_GRANT_REF", "rc=%d", r);
	errno = 0;
	r = ioctl(dfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &um);
	live_check(r == -1 && errno == ENOENT, "GNTDEV_UNMAP_GRANT_REF twice",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	da.index = a.index;
	da.count = 1;
	r = ioctl(afd, IOCTL_GNTALLOC_DEALLOC_GREF, &da);
	live_check(r == 0, "GNTALLOC_DEALLOC_GREF", "rc=%d", r);
out:
	if (src != MAP_FAILED)
		munmap(src, PAGE);
	if (dfd >= 0)
		close(dfd);
	if (afd >= 0)
		close(afd);
}

int main(void)
{
	live_prog = "live-raw";
	test_privcmd();
	test_hypercall_buffers();
	test_resource_and_restrict();
	test_evtchn();
	test_grants();
	return live_exit();
}
