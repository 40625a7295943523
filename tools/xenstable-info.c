/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xenstable-info - why does Xen access work (or not) on this machine?
 *
 * Reports, as text or as JSON: whether this is a Xen host (dom0 or a
 * guest), the Xen version and page size, which /dev/xen nodes exist and
 * whether this user can open them, which kernel features the drivers have
 * (probed with harmless ioctls whose errno tells "present" from "absent"),
 * whether privcmd is restricted, and for every failure the likely cause
 * and fix. It only reads: probes never map, bind or restrict anything that
 * outlives the throwaway file descriptors they use.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/memory.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "xen-kernel.h"
#include "xs-compiler.h"

enum state { ST_YES, ST_NO, ST_UNKNOWN };

static const char *state_name(enum state s)
{
	return s == ST_YES ? "yes" : s == ST_NO ? "no" : "unknown";
}

/* ---- facts gathered --------------------------------------------------- */

struct device {
	const char *path;
	const char *module; /* kernel module providing it */
	bool optional;      /* absence is normal on some kernels */
	int open_errno;     /* 0: opened fine */
};

static struct device devices[] = {
	{ XS_DEV_PRIVCMD, "xen-privcmd", false, 0 },
	{ XS_DEV_PRIVCMD_PROC, "xenfs (mounted on /proc/xen)", true, 0 },
	{ XS_DEV_HYPERCALL, "xen-privcmd", true, 0 },
	{ XS_DEV_EVTCHN, "xen-evtchn", false, 0 },
	{ XS_DEV_GNTDEV, "xen-gntdev", false, 0 },
	{ XS_DEV_GNTALLOC, "xen-gntalloc", false, 0 },
};

struct feature {
	const char *name;
	const char *what;
	enum state state;
	char detail[96];
};

enum {
	F_MMAPBATCH_V2,
	F_MMAP_RESOURCE,
	F_RESOURCE_SIZE,
	F_DM_OP,
	F_RESTRICT,
	F_HYPERCALL_DEV,
	F_IRQFD,
	F_IOEVENTFD,
	F_PCIDEV_GSI,
	F_DMABUF,
	F_EVTCHN_RESTRICT,
	F_COUNT
};

static struct feature features[F_COUNT] = {
	[F_MMAPBATCH_V2] = { "mmapbatch_v2", "IOCTL_PRIVCMD_MMAPBATCH_V2 (per-frame errors)" },
	[F_MMAP_RESOURCE] = { "mmap_resource", "IOCTL_PRIVCMD_MMAP_RESOURCE (Linux >= 4.18)" },
	[F_RESOURCE_SIZE] = { "resource_size_query", "MMAP_RESOURCE size query (Linux >= 5.11)" },
	[F_DM_OP] = { "dm_op", "IOCTL_PRIVCMD_DM_OP (Linux >= 4.11)" },
	[F_RESTRICT] = { "restrict", "IOCTL_PRIVCMD_RESTRICT (Linux >= 4.11)" },
	[F_HYPERCALL_DEV] = { "hypercall_buffers", "/dev/xen/hypercall buffers (Linux >= 4.18)" },
	[F_IRQFD] = { "irqfd", "IOCTL_PRIVCMD_IRQFD (Linux >= 6.6)" },
	[F_IOEVENTFD] = { "ioeventfd", "IOCTL_PRIVCMD_IOEVENTFD (Linux >= 6.7)" },
	[F_PCIDEV_GSI] = { "pcidev_get_gsi", "IOCTL_PRIVCMD_PCIDEV_GET_GSI (Linux >= 6.12)" },
	[F_DMABUF] = { "gntdev_dmabuf", "gntdev DMA-BUF ioctls (Linux >= 4.19)" },
	[F_EVTCHN_RESTRICT] = { "evtchn_restrict", "IOCTL_EVTCHN_RESTRICT_DOMID (Linux >= 4.8)" },
};

static struct {
	bool on_xen;
	char hv_type[32];
	enum state dom0;
	char version[64]; /* "4.17.0-xensim" */
	long page_size;   /* -1 unknown */
	enum state privcmd_restricted;
	int hypercall_errno;
	int unimpl_errno; /* privcmd's answer to an unknown ioctl */
} host = { .dom0 = ST_UNKNOWN, .page_size = -1, .privcmd_restricted = ST_UNKNOWN };

/* A problem found, with its likely cause and fix. */
struct problem {
	char what[160];
	char cause[200];
	char fix[200];
};
static struct problem problems[32];
static int nproblems;

static void problem(const char *what, const char *cause, const char *fix)
{
	struct problem *p;

	if (nproblems == (int)XS_ARRAY_SIZE(problems))
		return;
	p = &problems[nproblems++];
	snprintf(p->what, sizeof(p->what), "%s", what);
	snprintf(p->cause, sizeof(p->cause), "%s", cause);
	snprintf(p->fix, sizeof(p->fix), "%s", fix);
}

/* ---- small helpers ---------------------------------------------------- */

/* First line of a small file, without the newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok = false;

	if (!f)
		return false;
	if (fgets(buf, (int)len, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		ok = true;
	}
	fclose(f);
	return ok;
}

static int open_dev(const char *path)
{
	return open(path, O_RDWR | O_CLOEXEC);
}

/* ioctl returning -errno (or the result). */
static long xioctl(int fd, unsigned long cmd, void *arg)
{
	long rc = ioctl(fd, cmd, arg);

	return rc < 0 ? -errno : rc;
}

static long xen_version(int fd, int sub, void *arg)
{
	privcmd_hypercall_t call = { .op = __HYPERVISOR_xen_version };

	call.arg[0] = (uint64_t)sub;
	call.arg[1] = (uint64_t)(uintptr_t)arg;
	return xioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
}

/*
 * Present unless the driver answered with its "unknown ioctl" errno (or,
 * for features a kernel can be built without, EOPNOTSUPP: the ioctl is
 * known but compiled out). An EOPNOTSUPP from Xen itself (e.g. a resource
 * type it does not offer) still means the kernel has the ioctl.
 */
static void judge_opt(int f, long rc, int absent_errno, bool optional, const char *fmt,
		      va_list ap) __attribute__((format(printf, 5, 0)));
static void judge_opt(int f, long rc, int absent_errno, bool optional, const char *fmt,
		      va_list ap)
{
	if (rc == -absent_errno)
		features[f].state = absent_errno == EINVAL ? ST_UNKNOWN : ST_NO;
	else if (optional && rc == -EOPNOTSUPP)
		features[f].state = ST_NO;
	else
		features[f].state = ST_YES;
	vsnprintf(features[f].detail, sizeof(features[f].detail), fmt, ap);
}

static void judge(int f, long rc, int absent_errno, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void judge(int f, long rc, int absent_errno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	judge_opt(f, rc, absent_errno, false, fmt, ap);
	va_end(ap);
}

/* For CONFIG_XEN_PRIVCMD_EVENTFD features: EOPNOTSUPP means compiled out. */
static void judge_config(int f, long rc, int absent_errno, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void judge_config(int f, long rc, int absent_errno, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	judge_opt(f, rc, absent_errno, true, fmt, ap);
	va_end(ap);
}

static const char *errname(long rc)
{
	return rc == 0 ? "ok" : strerror((int)-rc);
}

/* ---- probes ------------------------------------------------------------ */

static void probe_host(void)
{
	char caps[256];

	if (read_line("/sys/hypervisor/type", host.hv_type, sizeof(host.hv_type)))
		host.on_xen = strcmp(host.hv_type, "xen") == 0;
	if (read_line("/proc/xen/capabilities", caps, sizeof(caps)))
		host.dom0 = strstr(caps, "control_d") ? ST_YES : ST_NO;
	else if (host.on_xen)
		host.dom0 = ST_UNKNOWN;
	if (host.on_xen) {
		char major[16], minor[16], extra[32] = "";

		if (read_line("/sys/hypervisor/version/major", major, sizeof(major)) &&
		    read_line("/sys/hypervisor/version/minor", minor, sizeof(minor))) {
			read_line("/sys/hypervisor/version/extra", extra, sizeof(extra));
			snprintf(host.version, sizeof(host.version), "%s.%s%s", major, minor,
				 extra);
		}
	}
}

static void probe_privcmd(int fd)
{
	char extra[XEN_EXTRAVERSION_LEN] = "";
	long rc;

	/* What "unknown ioctl" looks like here (ENOTTY; EINVAL before 4.x). */
	rc = xioctl(fd, IOCTL_PRIVCMD_UNIMPLEMENTED, NULL);
	host.unimpl_errno = rc < 0 ? (int)-rc : 0;

	rc = xen_version(fd, XENVER_version, NULL);
	host.hypercall_errno = rc < 0 ? (int)-rc : 0;
	if (rc >= 0) {
		host.privcmd_restricted = ST_NO;
		if (xen_version(fd, XENVER_extraversion, extra) < 0)
			extra[0] = '\0';
		extra[sizeof(extra) - 1] = '\0';
		snprintf(host.version, sizeof(host.version), "%ld.%ld%s", rc >> 16,
			 rc & 0xffff, extra);
		rc = xen_version(fd, XENVER_pagesize, NULL);
		if (rc > 0)
			host.page_size = rc;
	} else if (rc == -EPERM) {
		host.privcmd_restricted = ST_YES;
	}

	{
		privcmd_mmapbatch_v2_t m = { .num = 0, .dom = DOMID_SELF };

		rc = xioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
		judge(F_MMAPBATCH_V2, rc, host.unimpl_errno, "probe (num 0): %s",
		      errname(rc));
	}
	{
		privcmd_mmap_resource_t r = { .dom = 0, .type = XENMEM_resource_grant_table };

		rc = xioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r);
		judge(F_MMAP_RESOURCE, rc, host.unimpl_errno, "size query of dom0's grant table: %s",
		      errname(rc));
		/*
		 * A kernel without the size query wants a privcmd VMA at addr
		 * (EINVAL); one with it asks Xen, which may well refuse (dom0's
		 * own grant table: EPERM on a real Xen), so any other answer
		 * means the kernel has it.
		 */
		if (features[F_MMAP_RESOURCE].state != ST_YES) {
			features[F_RESOURCE_SIZE].state = features[F_MMAP_RESOURCE].state;
		} else if (rc == -EINVAL) {
			features[F_RESOURCE_SIZE].state = ST_NO;
			snprintf(features[F_RESOURCE_SIZE].detail,
				 sizeof(features[F_RESOURCE_SIZE].detail), "%s", errname(rc));
		} else {
			features[F_RESOURCE_SIZE].state = ST_YES;
			if (rc == 0)
				snprintf(features[F_RESOURCE_SIZE].detail,
					 sizeof(features[F_RESOURCE_SIZE].detail),
					 "dom0 grant table: %llu frames", (unsigned long long)r.num);
			else
				snprintf(features[F_RESOURCE_SIZE].detail,
					 sizeof(features[F_RESOURCE_SIZE].detail),
					 "the kernel asked Xen: %s", errname(rc));
		}
	}
	{
		privcmd_dm_op_t op = { .dom = DOMID_SELF, .num = 0 };

		rc = xioctl(fd, IOCTL_PRIVCMD_DM_OP, &op);
		judge(F_DM_OP, rc, host.unimpl_errno, "probe (no buffers): %s", errname(rc));
	}
	{
		/* On a throwaway fd: restriction is one-way. */
		int fd2 = open_dev(XS_DEV_PRIVCMD);

		if (fd2 < 0)
			fd2 = open_dev(XS_DEV_PRIVCMD_PROC);
		if (fd2 >= 0) {
			domid_t domid = DOMID_SELF;

			rc = xioctl(fd2, IOCTL_PRIVCMD_RESTRICT, &domid);
			judge(F_RESTRICT, rc, host.unimpl_errno, "probe on a spare fd: %s",
			      errname(rc));
			close(fd2);
		}
	}
	{
		struct privcmd_irqfd irqfd = { .fd = (uint32_t)-1, .flags = ~0u };
		long rc66;

		rc = xioctl(fd, IOCTL_PRIVCMD_IRQFD, &irqfd);
		rc66 = xioctl(fd, IOCTL_PRIVCMD_IRQFD_V66, &irqfd);
		if (rc == -host.unimpl_errno && rc66 != -host.unimpl_errno)
			judge_config(F_IRQFD, rc66, host.unimpl_errno,
			      "Linux 6.6 ioctl number only (probe: %s)", errname(rc66));
		else
			judge_config(F_IRQFD, rc, host.unimpl_errno, "probe (bad flags): %s",
			      errname(rc));
	}
	{
		struct privcmd_ioeventfd ioev = { .event_fd = (uint32_t)-1, .flags = ~0u };

		rc = xioctl(fd, IOCTL_PRIVCMD_IOEVENTFD, &ioev);
		judge_config(F_IOEVENTFD, rc, host.unimpl_errno, "probe (bad flags): %s", errname(rc));
	}
	{
		struct privcmd_pcidev_get_gsi gsi = { .sbdf = ~0u };

		rc = xioctl(fd, IOCTL_PRIVCMD_PCIDEV_GET_GSI, &gsi);
		judge(F_PCIDEV_GSI, rc, host.unimpl_errno, "probe (no such device): %s",
		      errname(rc));
	}
}

static void probe_gntdev(int fd)
{
	struct ioctl_gntdev_dmabuf_exp_wait_released w = { .fd = (uint32_t)-1 };
	long rc = xioctl(fd, IOCTL_GNTDEV_DMABUF_EXP_WAIT_RELEASED, &w);

	judge(F_DMABUF, rc, ENOTTY, "probe (no such buffer): %s", errname(rc));
}

static void probe_evtchn(void)
{
	/* domid 0 is always refused (EINVAL), so nothing gets restricted. */
	struct ioctl_evtchn_restrict_domid r = { .domid = 0 };
	int fd = open_dev(XS_DEV_EVTCHN);
	long rc;

	if (fd < 0)
		return;
	rc = xioctl(fd, IOCTL_EVTCHN_RESTRICT_DOMID, &r);
	judge(F_EVTCHN_RESTRICT, rc, ENOSYS, "probe (domid 0): %s", errname(rc));
	close(fd);
}

static void probe_devices(void)
{
	int privcmd = -1;

	for (size_t i = 0; i < XS_ARRAY_SIZE(devices); i++) {
		int fd = open_dev(devices[i].path);

		devices[i].open_errno = fd < 0 ? errno : 0;
		if (fd < 0)
			continue;
		if (strcmp(devices[i].path, XS_DEV_GNTDEV) == 0)
			probe_gntdev(fd);
		if (privcmd < 0 && (strcmp(devices[i].path, XS_DEV_PRIVCMD) == 0 ||
				    strcmp(devices[i].path, XS_DEV_PRIVCMD_PROC) == 0))
			privcmd = fd;
		else
			close(fd);
	}
	features[F_HYPERCALL_DEV].state = devices[2].open_errno == 0 ? ST_YES : ST_NO;
	snprintf(features[F_HYPERCALL_DEV].detail, sizeof(features[F_HYPERCALL_DEV].detail),
		 "open: %s", devices[2].open_errno ? strerror(devices[2].open_errno) : "ok");
	if (privcmd >= 0) {
		probe_privcmd(privcmd);
		close(privcmd);
	}
	probe_evtchn();
	/*
	 * ENOTTY for the hypercall, which every privcmd has: the drivers
	 * refuse every ioctl (a 32-bit process on a 64-bit kernel: no compat
	 * ioctls), so the probes above cannot tell a feature's absence.
	 */
	if (host.hypercall_errno == ENOTTY)
		for (int f = 0; f < F_COUNT; f++)
			if (f != F_HYPERCALL_DEV)
				features[f].state = ST_UNKNOWN;
}

/* ---- diagnosis ----------------------------------------------------------- */

static void diagnose(void)
{
	char what[160], fix[200];
	bool privcmd_ok = devices[0].open_errno == 0 || devices[1].open_errno == 0;

	if (!host.on_xen && devices[0].open_errno == ENOENT && devices[1].open_errno == ENOENT)
		problem("this machine is not running on Xen",
			"/sys/hypervisor/type does not say \"xen\" and there is no /dev/xen",
			"boot Linux as a Xen dom0 (or a guest) to use the libraries, or run "
			"programs under xensim: xensim -- PROGRAM");
	for (size_t i = 0; i < XS_ARRAY_SIZE(devices); i++) {
		struct device *d = &devices[i];

		if (d->open_errno == 0)
			continue;
		snprintf(what, sizeof(what), "cannot open %s: %s", d->path, strerror(d->open_errno));
		switch (d->open_errno) {
		case ENOENT:
		case ENXIO:
		case ENODEV:
			if (d->optional || !host.on_xen)
				continue;
			if (strcmp(d->path, XS_DEV_PRIVCMD) == 0 && devices[1].open_errno == 0)
				continue; /* /proc/xen/privcmd does the job */
			if (strncmp(d->module, "xenfs", 5) == 0)
				snprintf(fix, sizeof(fix), "mount -t xenfs xenfs /proc/xen");
			else
				snprintf(fix, sizeof(fix),
					 "modprobe %s (and check that udev created %s)", d->module,
					 d->path);
			problem(what, "the driver is not loaded (or the device node is missing)", fix);
			break;
		case EACCES:
		case EPERM:
			problem(what, "this user may not open it (the Xen devices are root-only "
				"by default)",
				"run as root, or give a group access with a udev rule");
			break;
		default:
			problem(what, "unexpected error from the driver", "check dmesg");
			break;
		}
	}
	if (privcmd_ok && host.privcmd_restricted == ST_YES)
		problem("privcmd refuses hypercalls (EPERM)",
			host.dom0 == ST_YES ? "this process's privcmd is restricted"
					    : "this is a guest whose kernel restricts privcmd to the "
					      "domain it is device model for (XSA-482)",
			"in a guest: set the xenstore \"target\" of this domain, or boot with "
			"privcmd.unrestricted=1; in dom0: do not restrict before probing");
	else if (privcmd_ok && host.hypercall_errno == ENOTTY)
		problem("privcmd rejects IOCTL_PRIVCMD_HYPERCALL (ENOTTY), which every privcmd "
			"has",
			sizeof(long) == 4
				? "this is a 32-bit program: a 64-bit kernel's Xen drivers have no "
				  "32-bit ioctls, every Xen ioctl fails with ENOTTY"
				: "the device is not the Xen privcmd driver (a 32-bit program on a "
				  "64-bit kernel would see this too)",
			"use a 64-bit build of the program and of the Xen libraries");
	else if (privcmd_ok && host.hypercall_errno && host.hypercall_errno != EPERM) {
		snprintf(what, sizeof(what), "the xen_version hypercall fails: %s",
			 strerror(host.hypercall_errno));
		problem(what, "privcmd is there but the hypervisor refuses the call",
			"check the Xen log (xl dmesg)");
	}
	if (host.page_size > 0 && host.page_size != 4096) {
		snprintf(what, sizeof(what), "the hypervisor's page size is %ld", host.page_size);
		problem(what, "xenstable maps in 4096-byte Xen pages",
			"report this: mapping calls will refuse to run");
	}
	if (features[F_MMAP_RESOURCE].state == ST_NO && privcmd_ok)
		problem("no IOCTL_PRIVCMD_MMAP_RESOURCE",
			"kernel older than 4.18: xenforeignmemory_map_resource fails with "
			"EOPNOTSUPP and device models fall back to legacy ioreq gfns",
			"use Linux 4.18 or later");
	if (features[F_DM_OP].state == ST_NO && privcmd_ok)
		problem("no IOCTL_PRIVCMD_DM_OP",
			"kernel older than 4.11: libxendevicemodel uses the dm_op hypercall, and "
			"deprivileged device models cannot restrict themselves",
			"use Linux 4.11 or later");
}

/* ---- output -------------------------------------------------------------- */

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(void)
{
	printf("{\n  \"xen\": %s,\n", host.on_xen ? "true" : "false");
	printf("  \"hypervisor_type\": ");
	json_str(host.hv_type);
	printf(",\n  \"dom0\": ");
	json_str(state_name(host.dom0));
	printf(",\n  \"xen_version\": ");
	if (host.version[0])
		json_str(host.version);
	else
		printf("null");
	printf(",\n  \"page_size\": ");
	if (host.page_size > 0)
		printf("%ld", host.page_size);
	else
		printf("null");
	printf(",\n  \"privcmd_restricted\": ");
	json_str(state_name(host.privcmd_restricted));
	printf(",\n  \"devices\": [\n");
	for (size_t i = 0; i < XS_ARRAY_SIZE(devices); i++) {
		printf("    {\"path\": ");
		json_str(devices[i].path);
		printf(", \"usable\": %s, \"error\": ", devices[i].open_errno ? "false" : "true");
		if (devices[i].open_errno)
			json_str(strerror(devices[i].open_errno));
		else
			printf("null");
		printf(", \"errno\": %d}%s\n", devices[i].open_errno,
		       i + 1 < XS_ARRAY_SIZE(devices) ? "," : "");
	}
	printf("  ],\n  \"features\": {\n");
	for (int i = 0; i < F_COUNT; i++) {
		printf("    ");
		json_str(features[i].name);
		printf(": {\"present\": ");
		json_str(state_name(features[i].state));
		printf(", \"detail\": ");
		json_str(features[i].detail);
		printf("}%s\n", i + 1 < F_COUNT ? "," : "");
	}
	printf("  },\n  \"problems\": [\n");
	for (int i = 0; i < nproblems; i++) {
		printf("    {\"what\": ");
		json_str(problems[i].what);
		printf(", \"cause\": ");
		json_str(problems[i].cause);
		printf(", \"fix\": ");
		json_str(problems[i].fix);
		printf("}%s\n", i + 1 < nproblems ? "," : "");
	}
	printf("  ]\n}\n");
}

static void print_text(void)
{
	printf("Xen host:            %s", host.on_xen ? "yes" : "no");
	if (host.on_xen)
		printf(" (%s)", host.dom0 == ST_YES ? "dom0" : host.dom0 == ST_NO ? "guest" :
			"dom0 or guest: /proc/xen not mounted");
	printf("\nXen version:         %s\n", host.version[0] ? host.version : "unknown");
	if (host.page_size > 0)
		printf("Xen page size:       %ld\n", host.page_size);
	else
		printf("Xen page size:       unknown (%d assumed)\n", 4096);
	printf("privcmd restricted:  %s\n\nDevices:\n", state_name(host.privcmd_restricted));
	for (size_t i = 0; i < XS_ARRAY_SIZE(devices); i++)
		printf("  %-20s %s\n", devices[i].path,
		       devices[i].open_errno ? strerror(devices[i].open_errno) : "ok");
	printf("\nKernel features:\n");
	for (int i = 0; i < F_COUNT; i++)
		printf("  %-20s %-8s %s%s%s%s\n", features[i].name, state_name(features[i].state),
		       features[i].what, features[i].detail[0] ? " [" : "", features[i].detail,
		       features[i].detail[0] ? "]" : "");
	if (!nproblems) {
		printf("\nNo problems found.\n");
		return;
	}
	printf("\nProblems:\n");
	for (int i = 0; i < nproblems; i++)
		printf("  * %s\n    cause: %s\n    fix:   %s\n", problems[i].what, problems[i].cause,
		       problems[i].fix);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: xenstable-info [--json] [--help] [--version]\n"
		   "Report whether and how this machine gives access to Xen, and why not.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "jhV", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("xenstable-info %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	for (int i = 0; i < F_COUNT; i++)
		features[i].state = ST_UNKNOWN;
	probe_host();
	probe_devices();
	diagnose();
	if (json)
		print_json();
	else
		print_text();
	return 0;
}
