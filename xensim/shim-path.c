/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Recognising the simulated paths: /dev/xen, /proc/xen, /sys/hypervisor and
 * everything below, however a program spells them (extra slashes, "." and
 * "..", relative to a dirfd or to the cwd). Canonicalisation is lexical:
 * the simulated prefixes usually do not exist on the host, so they are
 * never looked up there. Directory fds and the cwd are real directories
 * (the stand-ins, protocol.h) that are mapped back to the simulated paths.
 * See xensim/DESIGN.md, "The shim".
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "xs-compiler.h"

/* The fixed nodes; anything else below /dev/xen is SHIM_NODE_UNKNOWN,
 * below /proc/xen and /sys/hypervisor SHIM_NODE_FILE (the daemon knows). */
static const struct node {
	const char *path;
	enum shim_node kind;
	int device;
	unsigned int minor; /* as udev numbered them on Debian 12's dom0 */
} nodes[] = {
	{"/dev/xen", SHIM_NODE_DIR, 0, 0},
	{"/dev/xen/privcmd", SHIM_NODE_DEV, XSP_DEV_PRIVCMD, 122},
	{"/dev/xen/hypercall", SHIM_NODE_DEV, XSP_DEV_HYPERCALL, 121},
	{"/dev/xen/evtchn", SHIM_NODE_DEV, XSP_DEV_EVTCHN, 120},
	{"/dev/xen/gntdev", SHIM_NODE_DEV, XSP_DEV_GNTDEV, 119},
	{"/dev/xen/gntalloc", SHIM_NODE_DEV, XSP_DEV_GNTALLOC, 118},
	{"/proc/xen", SHIM_NODE_DIR, 0, 0},
	{"/proc/xen/privcmd", SHIM_NODE_DEV, XSP_DEV_PRIVCMD_PROC, 0},
	{"/sys/hypervisor", SHIM_NODE_DIR, 0, 0},
	{"/sys/hypervisor/version", SHIM_NODE_DIR, 0, 0},
	{"/sys/hypervisor/properties", SHIM_NODE_DIR, 0, 0},
	{"/sys/hypervisor/compilation", SHIM_NODE_DIR, 0, 0},
};

/* The files a listing can show (each one still asked for). */
static const char *const files[] = {
	"/proc/xen/capabilities",
	"/sys/hypervisor/type",
	"/sys/hypervisor/uuid",
	"/sys/hypervisor/version/major",
	"/sys/hypervisor/version/minor",
	"/sys/hypervisor/version/extra",
	"/sys/hypervisor/properties/capabilities",
	"/sys/hypervisor/properties/changeset",
	"/sys/hypervisor/properties/pagesize",
	"/sys/hypervisor/properties/virtual_start",
	"/sys/hypervisor/properties/features",
	"/sys/hypervisor/compilation/compiler",
	"/sys/hypervisor/compilation/compiled_by",
	"/sys/hypervisor/compilation/compile_date",
};

static const char *const prefixes[] = {"/dev/xen", "/proc/xen", "/sys/hypervisor"};

/* ---- the cheap test ------------------------------------------------------------ */

/* Does component @p (up to '/' or NUL) equal @name? */
static inline int comp_is(const char *p, const char *name, size_t n)
{
	return strncmp(p, name, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

static inline int comp_dots(const char *p)
{
	return p[0] == '.' &&
	       (p[1] == '/' || !p[1] || (p[1] == '.' && (p[2] == '/' || !p[2])));
}

/* After "/dev", "/proc", "/sys": can the rest lead to @name? */
static inline int next_is(const char *p, const char *name, size_t n)
{
	while (*p == '/')
		p++;
	return comp_is(p, name, n) || comp_dots(p);
}

/*
 * Does the process hold stand-in fds (then every dirfd-relative path is
 * resolved)? Found out once by a look at /proc/self/fd (fds inherited
 * across exec), and set for good when this shim hands one out.
 */
enum { STANDIN_UNKNOWN = 0, STANDIN_NONE, STANDIN_SOME };
static int standin_fds;

static int standin_root(char *buf, size_t n);

static int scan_fds(void)
{
	char root[PATH_MAX], link[PATH_MAX];
	char buf[4096] __attribute__((aligned(8)));
	int rl = standin_root(root, sizeof(root)), dfd, found = 0;
	long n;

	if (rl < 0)
		return 0;
	dfd = shim_real()->open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	while (!found && (n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (off < n && !found) {
			const struct dirent64 *d = (const void *)(buf + off);
			ssize_t r = readlinkat(dfd, d->d_name, link, sizeof(link) - 1);

			found = r >= rl && strncmp(link, root, (size_t)rl) == 0 &&
				(r == rl || link[rl] == '/');
			off += d->d_reclen;
		}
	}
	shim_real()->close(dfd);
	return found;
}

static inline int have_standin_fds(void)
{
	int st = __atomic_load_n(&standin_fds, __ATOMIC_RELAXED);

	if (st == STANDIN_UNKNOWN) {
		int want = scan_fds() ? STANDIN_SOME : STANDIN_NONE;

		if (!__atomic_compare_exchange_n(&standin_fds, &st, want, 0,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return st == STANDIN_SOME; /* someone set it meanwhile */
		st = want;
	}
	return st == STANDIN_SOME;
}

enum { CWD_UNKNOWN = 0, CWD_PLAIN, CWD_SPECIAL };
static int cwd_state;

void shim_path_cwd_changed(void)
{
	__atomic_store_n(&cwd_state, CWD_UNKNOWN, __ATOMIC_RELAXED);
}

static int get_cwd(char *buf, size_t n)
{
	long r = syscall(SYS_getcwd, buf, n);

	return r < 0 || buf[0] != '/' ? -1 : 0;
}

static int standin_root(char *buf, size_t n)
{
	const char *sock = shim_socket_path();
	int len;

	if (!sock || sock[0] != '/')
		return -1;
	len = snprintf(buf, n, "%s" XENSIM_STANDIN_SUFFIX, sock);
	return len < 0 || (size_t)len >= n ? -1 : len;
}

/* Is the cwd a place from where relative paths may reach our prefixes:
 * a stand-in, or "/", "/dev", "/proc", "/sys" (or a real simulated dir)? */
static int compute_cwd_state(void)
{
	char cwd[PATH_MAX], root[PATH_MAX];
	int rl;
	const char *p;

	if (get_cwd(cwd, sizeof(cwd)) < 0)
		return CWD_PLAIN;
	rl = standin_root(root, sizeof(root));
	if (rl > 0 && strncmp(cwd, root, (size_t)rl) == 0 &&
	    (cwd[rl] == '/' || cwd[rl] == '\0'))
		return CWD_SPECIAL;
	p = cwd + 1;
	if (!*p || comp_is(p, "dev", 3) || comp_is(p, "proc", 4) || comp_is(p, "sys", 3))
		return CWD_SPECIAL;
	return CWD_PLAIN;
}

int shim_path_maybe(int dirfd, const char *path)
{
	const char *p = path;

	if (!p)
		return 0;
	if (*p == '/') {
		while (*p == '/')
			p++;
		switch (*p) {
		case 'd':
			if (!comp_is(p, "dev", 3) || !next_is(p + 3, "xen", 3))
				return 0;
			break;
		case 'p':
			if (!comp_is(p, "proc", 4) || !next_is(p + 4, "xen", 3))
				return 0;
			break;
		case 's':
			if (!comp_is(p, "sys", 3) || !next_is(p + 3, "hypervisor", 10))
				return 0;
			break;
		case '.':
			if (!comp_dots(p))
				return 0;
			break;
		default:
			return 0;
		}
		return shim_socket_path() != NULL;
	}
	if (!*p)
		return 0; /* "" (AT_EMPTY_PATH): the fd itself */
	if (dirfd != AT_FDCWD) {
		if (!have_standin_fds() && !comp_is(p, "dev", 3) &&
		    !comp_is(p, "proc", 4) && !comp_is(p, "sys", 3) &&
		    !comp_is(p, "xen", 3) && !comp_is(p, "hypervisor", 10) &&
		    !comp_dots(p))
			return 0;
		return shim_socket_path() != NULL;
	}
	if (!comp_is(p, "..", 2)) {
		int st = __atomic_load_n(&cwd_state, __ATOMIC_RELAXED);

		if (st == CWD_UNKNOWN) {
			if (!shim_socket_path())
				return 0;
			st = compute_cwd_state();
			__atomic_store_n(&cwd_state, st, __ATOMIC_RELAXED);
		}
		if (st == CWD_PLAIN)
			return 0;
	}
	return shim_socket_path() != NULL;
}

/* ---- full resolution ------------------------------------------------------------- */

static int under_prefix(const char *path)
{
	size_t i;

	for (i = 0; i < XS_ARRAY_SIZE(prefixes); i++) {
		size_t l = strlen(prefixes[i]);

		if (strncmp(path, prefixes[i], l) == 0 &&
		    (path[l] == '/' || path[l] == '\0'))
			return 1;
	}
	return 0;
}

/* Append the components of @s to the canonical path in @out (length *len);
 * *@visited is set if the walk passes through a simulated directory.
 * -1 if too long. */
static int push_components(char *out, size_t n, size_t *len, const char *s, int *visited)
{
	while (*s) {
		const char *e;
		size_t cl;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != '/'; e++)
			;
		cl = (size_t)(e - s);
		if (cl == 1 && s[0] == '.') {
			/* nothing */
		} else if (cl == 2 && s[0] == '.' && s[1] == '.') {
			while (*len > 0 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 0)
				(*len)--; /* the '/'; "/.." stays "/" */
		} else {
			if (*len + 1 + cl + 1 > n)
				return -1;
			out[(*len)++] = '/';
			memcpy(out + *len, s, cl);
			*len += cl;
			out[*len] = '\0';
			if (!*visited && under_prefix(out))
				*visited = 1;
		}
		s = e;
	}
	out[*len] = '\0';
	return 0;
}

/* A real directory path (from the kernel) -> its simulated meaning: the
 * stand-in root is cut off. Result in @out (canonical). */
static int map_real(const char *real, char *out, size_t n, size_t *len, int *visited)
{
	char root[PATH_MAX];
	int rl = standin_root(root, sizeof(root));

	*len = 0;
	if (rl > 0 && strncmp(real, root, (size_t)rl) == 0 &&
	    (real[rl] == '/' || real[rl] == '\0'))
		real += rl;
	return push_components(out, n, len, real, visited);
}

int shim_path_resolve(int dirfd, const char *path, struct shim_path *out)
{
	size_t len = 0, i, pl;
	int via_standin = 0, visited = 0;

	/* "" only comes here for fstatat/statx(fd, "", AT_EMPTY_PATH) */
	if (!path || (!*path && dirfd == AT_FDCWD))
		return SHIM_PATH_LIBC;
	out->path[0] = '\0';
	if (path[0] != '/') {
		char base[PATH_MAX], root[PATH_MAX];
		int rl;

		if (dirfd == AT_FDCWD) {
			if (get_cwd(base, sizeof(base)) < 0)
				return SHIM_PATH_LIBC;
		} else {
			char self[64];
			ssize_t r;

			snprintf(self, sizeof(self), "/proc/self/fd/%d", dirfd);
			r = readlink(self, base, sizeof(base) - 1);
			if (r <= 0 || base[0] != '/')
				return SHIM_PATH_LIBC; /* bad fd, not a directory: the
							  kernel says */
			base[r] = '\0';
		}
		rl = standin_root(root, sizeof(root));
		via_standin = rl > 0 && strncmp(base, root, (size_t)rl) == 0 &&
			      (base[rl] == '/' || base[rl] == '\0');
		if (map_real(base, out->path, sizeof(out->path), &len, &visited) < 0)
			return SHIM_PATH_LIBC;
	}
	if (push_components(out->path, sizeof(out->path), &len, path, &visited) < 0)
		return SHIM_PATH_LIBC;
	if (len == 0) {
		out->path[0] = '/';
		out->path[1] = '\0';
	}
	pl = strlen(path);
	out->slash = pl == 0 ? 0
			     : path[pl - 1] == '/' ||
				       (pl >= 2 && path[pl - 1] == '.' &&
					path[pl - 2] == '/') ||
				       (pl >= 3 && path[pl - 1] == '.' &&
					path[pl - 2] == '.' && path[pl - 3] == '/');
	if (!*path && !via_standin)
		return SHIM_PATH_LIBC; /* the fd of a real file */
	/* Not ours; but the kernel cannot walk through a simulated directory
	 * (it may not exist on the host): give it the canonical path then. */
	if (!under_prefix(out->path))
		return via_standin || visited ? SHIM_PATH_REWRITTEN : SHIM_PATH_LIBC;

	for (i = 0; i < XS_ARRAY_SIZE(nodes); i++)
		if (strcmp(out->path, nodes[i].path) == 0) {
			out->kind = nodes[i].kind;
			out->device = nodes[i].device;
			out->minor = nodes[i].minor;
			return SHIM_PATH_OURS;
		}
	out->device = 0;
	out->minor = 0;
	out->kind = strncmp(out->path, "/dev/xen/", 9) == 0 ? SHIM_NODE_UNKNOWN
							    : SHIM_NODE_FILE;
	return SHIM_PATH_OURS;
}

/* ---- existence ------------------------------------------------------------------- */

int64_t shim_sysfs_read(const char *path, struct xsw_msg *reply)
{
	int64_t ret;
	int sock;

	memset(reply, 0, sizeof(*reply));
	sock = shim_connect(XSP_DEV_CONTROL, O_CLOEXEC);
	if (sock < 0)
		return sock;
	ret = xsw_call(sock, XSP_SYSFS_READ, &(struct iovec){(void *)path, strlen(path)},
		       1, NULL, 0, reply);
	shim_real()->close(sock);
	return ret == -EPIPE ? -ENOENT : ret;
}

static int ask(const char *path)
{
	struct xsw_msg reply;
	int64_t ret = shim_sysfs_read(path, &reply);

	xsw_msg_free(&reply);
	return ret < 0 ? (int)ret : 0;
}

int shim_path_check(const struct shim_path *p)
{
	switch (p->kind) {
	case SHIM_NODE_DIR:
		/* xenfs is there when the personality has /proc/xen/privcmd */
		if (strcmp(p->path, "/proc/xen") == 0)
			return ask("/proc/xen/privcmd");
		return 0;
	case SHIM_NODE_DEV:
	case SHIM_NODE_FILE: {
		int rc = ask(p->path);

		if (rc == 0 && p->slash)
			return -ENOTDIR;
		return rc;
	}
	case SHIM_NODE_UNKNOWN:
	default:
		shim_diag("%s is not simulated", p->path);
		return -ENOENT;
	}
}

/* ---- stand-ins --------------------------------------------------------------------- */

/* Make the stand-in of directory @dir list what exists now. Concurrent
 * syncs of several processes converge (same daemon answers). */
static void sync_dir(const char *dir, const char *standin)
{
	size_t dl = strlen(dir), i;
	int dfd = shim_real()->open(standin, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return;
	for (i = 0; i < XS_ARRAY_SIZE(nodes) + XS_ARRAY_SIZE(files); i++) {
		const char *path = i < XS_ARRAY_SIZE(nodes)
					   ? nodes[i].path
					   : files[i - XS_ARRAY_SIZE(nodes)];
		const char *name = path + dl + 1;
		int fd;

		if (strncmp(path, dir, dl) != 0 || path[dl] != '/' || strchr(name, '/'))
			continue;
		if (i < XS_ARRAY_SIZE(nodes) && nodes[i].kind == SHIM_NODE_DIR)
			continue; /* the launcher made it */
		if (ask(path) == 0) {
			fd = shim_real()->openat(dfd, name,
						 O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd >= 0)
				shim_real()->close(fd);
		} else {
			unlinkat(dfd, name, 0);
		}
	}
	shim_real()->close(dfd);
}

int shim_path_standin(const struct shim_path *p, int sync, char *buf, size_t n)
{
	int rl = standin_root(buf, n);

	if (rl < 0 || (size_t)rl + strlen(p->path) + 1 > n)
		return -ENOENT;
	memcpy(buf + rl, p->path, strlen(p->path) + 1);
	if (sync)
		sync_dir(p->path, buf);
	__atomic_store_n(&standin_fds, STANDIN_SOME, __ATOMIC_RELAXED);
	return 0;
}

int shim_path_maybe_at(int dirfd, const char *path, int flags)
{
	if (path && !*path)
		return dirfd != AT_FDCWD && (flags & AT_EMPTY_PATH) &&
		       shim_socket_path() && have_standin_fds();
	return shim_path_maybe(dirfd, path);
}
