/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * live-call - libxencall (upstream API) against a real Xen: hypercalls,
 * hypercall buffers (single and page-sized, many at once), errno on an
 * unknown hypercall, buffers_never_fault and the fd.
 */
/* live-build: -lxencall */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <xencall.h>

#include "live.h"

#define HYPERVISOR_xen_version 17
#define XENVER_version	       0
#define XENVER_extraversion    1
#define XENVER_compile_info    2
#define XENVER_capabilities    3
#define XENVER_pagesize	       7

int main(void)
{
	xencall_handle *xc;
	char *buf, *pages, *many[32];
	long lv;
	int r, fd, distinct;

	live_prog = "live-call";
	xc = xencall_open(NULL, 0);
	if (!live_check(xc != NULL, "xencall_open", "%s", xc ? "ok" : strerror(errno)))
		return live_exit();
	fd = xencall_fd(xc);
	live_check(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "xencall_fd", "fd %d, close-on-exec", fd);

	r = xencall2(xc, HYPERVISOR_xen_version, XENVER_version, 0);
	live_check(r == 0x40011, "xencall2(xen_version, XENVER_version)", "%#x", r);
	r = xencall1(xc, HYPERVISOR_xen_version, XENVER_pagesize);
	live_check(r == 4096, "xencall1(xen_version, XENVER_pagesize)", "%d", r);
	r = xencall5(xc, HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	live_check(r == 0x40011, "xencall5(xen_version, XENVER_version, 0...)", "%#x", r);
	lv = xencall2L(xc, HYPERVISOR_xen_version, XENVER_version, 0);
	live_check(lv == 0x40011, "xencall2L(xen_version, XENVER_version)", "%#lx", lv);

	buf = xencall_alloc_buffer(xc, 1024);
	if (live_check(buf != NULL, "xencall_alloc_buffer(1024)", "%p", (void *)buf)) {
		memset(buf, 0, 1024);
		r = xencall2(xc, HYPERVISOR_xen_version, XENVER_capabilities, (uintptr_t)buf);
		live_check(r == 0 && strstr(buf, "xen-3.0-x86_64") != NULL,
			   "xencall2(XENVER_capabilities) into a hypercall buffer", "rc=%d '%.120s'",
			   r, buf);
		memset(buf, 0, 16);
		r = xencall2(xc, HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)buf);
		live_check(r == 0 && buf[0] == '.', "xencall2(XENVER_extraversion)",
			   "rc=%d '%.16s'", r, buf);
		xencall_free_buffer(xc, buf);
	}
	pages = xencall_alloc_buffer_pages(xc, 3);
	if (live_check(pages != NULL && ((uintptr_t)pages & 4095) == 0,
		       "xencall_alloc_buffer_pages(3)", "%p, page aligned", (void *)pages)) {
		memset(pages, 0x5a, 3 * 4096);
		memset(pages + 2 * 4096, 0, 4096);
		r = xencall2(xc, HYPERVISOR_xen_version, XENVER_compile_info,
			     (uintptr_t)(pages + 2 * 4096));
		live_check(r == 0 && pages[2 * 4096] != '\0' && pages[4095] == 0x5a,
			   "xencall2(XENVER_compile_info) into page 3", "rc=%d '%.60s'", r,
			   pages + 2 * 4096);
		xencall_free_buffer_pages(xc, pages, 3);
	}
	distinct = 1;
	for (int i = 0; i < 32; i++) {
		many[i] = xencall_alloc_buffer(xc, 64 + 100 * i);
		if (!many[i]) {
			distinct = 0;
			break;
		}
		memset(many[i], i, 64 + 100 * i);
	}
	for (int i = 0; distinct && i < 32; i++)
		if (many[i][0] != (char)i || many[i][63 + 100 * i] != (char)i)
			distinct = 0;
	live_check(distinct, "32 live hypercall buffers keep their contents", "%s",
		   distinct ? "ok" : "overlap or allocation failure");
	for (int i = 0; i < 32 && many[i]; i++)
		xencall_free_buffer(xc, many[i]);

	errno = 0;
	r = xencall2(xc, 63, 0, 0);
	live_check(r == -1 && errno == ENOSYS, "xencall2(63): unused hypercall",
		   "rc=%d errno=%d (%s)", r, errno, strerror(errno));
	r = xencall_buffers_never_fault(xc);
	live_check(r == 1, "xencall_buffers_never_fault", "%d (/dev/xen/hypercall present)", r);

	r = xencall_close(xc);
	live_check(r == 0, "xencall_close", "rc=%d", r);
	r = xencall_close(NULL);
	live_check(r == 0, "xencall_close(NULL)", "rc=%d", r);
	return live_exit();
}
