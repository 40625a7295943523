/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * open()/fopen()/close() of the simulated device nodes and of
 * /sys/hypervisor, /proc/xen files. Everything else goes to libc.
 */
#include "config.h"

/* We define both the plain and the *64 entry points of libc ourselves:
 * no large-file renaming of the declarations in this file. */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim.h"
#include "xs-compiler.h"

enum path_kind {
	PATH_OTHER = 0, /* not ours: pass through */
	PATH_DEVICE,	/* a simulated device node */
	PATH_UNKNOWN,	/* under /dev/xen but not simulated */
	PATH_SYSFS,	/* contents from the daemon */
};

static enum path_kind classify(const char *path, int *device)
{
	static const struct {
		const char *path;
		int device;
	} nodes[] = {
		{"/dev/xen/privcmd", XSP_DEV_PRIVCMD},
		{"/proc/xen/privcmd", XSP_DEV_PRIVCMD_PROC},
		{"/dev/xen/hypercall", XSP_DEV_HYPERCALL},
		{"/dev/xen/evtchn", XSP_DEV_EVTCHN},
		{"/dev/xen/gntdev", XSP_DEV_GNTDEV},
		{"/dev/xen/gntalloc", XSP_DEV_GNTALLOC},
	};
	size_t i;

	if (!path || path[0] != '/' || !shim_socket_path())
		return PATH_OTHER;
	for (i = 0; i < XS_ARRAY_SIZE(nodes); i++)
		if (strcmp(path, nodes[i].path) == 0) {
			*device = nodes[i].device;
			return PATH_DEVICE;
		}
	if (strncmp(path, "/dev/xen/", 9) == 0)
		return PATH_UNKNOWN;
	if (strncmp(path, "/sys/hypervisor/", 16) == 0 ||
	    strncmp(path, "/proc/xen/", 10) == 0)
		return PATH_SYSFS;
	return PATH_OTHER;
}

/* A read-only fd with the contents the daemon gives for @path. */
static int open_sysfs(const char *path, int flags)
{
	struct xsw_msg reply;
	const unsigned char *data;
	size_t len;
	int64_t ret;
	int sock, mfd, fd;
	char self[64];

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	sock = shim_connect(XSP_DEV_CONTROL, O_CLOEXEC);
	if (sock < 0)
		return sock;
	ret = xsw_call(sock, XSP_SYSFS_READ, &(struct iovec){(void *)path, strlen(path)},
		       1, NULL, 0, &reply);
	shim_real()->close(sock);
	if (ret < 0) {
		xsw_msg_free(&reply);
		return ret == -EPIPE ? -ENOENT : (int)ret;
	}
	data = xsw_reply_data(&reply, &len);
	if ((uint64_t)ret < len)
		len = (size_t)ret;
	mfd = memfd_create("xensim-sysfs", MFD_CLOEXEC);
	if (mfd < 0) {
		int e = errno;

		xsw_msg_free(&reply);
		return -e;
	}
	if (len && shim_real()->write(mfd, data, len) != (ssize_t)len) {
		xsw_msg_free(&reply);
		shim_real()->close(mfd);
		return -EIO;
	}
	xsw_msg_free(&reply);
	/* Reopen read-only, as the sysfs file is. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", mfd);
	fd = shim_real()->open(self, O_RDONLY | (flags & (O_CLOEXEC | O_NONBLOCK)));
	if (fd < 0) {
		lseek(mfd, 0, SEEK_SET);
		if (!(flags & O_CLOEXEC))
			fcntl(mfd, F_SETFD, 0);
		return mfd;
	}
	shim_real()->close(mfd);
	return fd;
}

/* 1 and *result set if @path is ours, 0 if it should go to libc. */
static int shim_open_path(const char *path, int flags, int *result)
{
	int device = 0, fd;

	switch (classify(path, &device)) {
	case PATH_OTHER:
		return 0;
	case PATH_UNKNOWN:
		shim_diag("%s is not simulated", path);
		errno = ENOENT;
		*result = -1;
		return 1;
	case PATH_SYSFS:
		fd = open_sysfs(path, flags);
		break;
	case PATH_DEVICE:
	default: {
		unsigned int hello = 0;
		struct shim_conn *c;

		fd = shim_connect_flags(device, flags, &hello);
		if (fd < 0)
			break;
		c = shim_conn_add(fd, device);
		if (!c) {
			shim_real()->close(fd);
			fd = -ENOMEM;
			break;
		}
		c->compat32 = !!(hello & XSP_HELLO_COMPAT32);
		break;
	}
	}
	if (fd < 0) {
		errno = -fd;
		*result = -1;
	} else {
		*result = fd;
	}
	return 1;
}

static int needs_mode(int flags)
{
#ifdef O_TMPFILE
	if ((flags & O_TMPFILE) == O_TMPFILE)
		return 1;
#endif
	return (flags & O_CREAT) != 0;
}

#define GET_MODE(flags, mode)                                                            \
	do {                                                                             \
		if (needs_mode(flags)) {                                                 \
			va_list ap;                                                      \
			va_start(ap, flags);                                             \
			mode = va_arg(ap, mode_t);                                       \
			va_end(ap);                                                      \
		}                                                                        \
	} while (0)

static int raw_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

XENSTABLE_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	GET_MODE(flags, mode);
	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->open)
		return shim_real()->open(path, flags, mode);
	return raw_openat(AT_FDCWD, path, flags, mode);
}

XENSTABLE_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	GET_MODE(flags, mode);
	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->open64)
		return shim_real()->open64(path, flags, mode);
	return raw_openat(AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

XENSTABLE_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	GET_MODE(flags, mode);
	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->openat)
		return shim_real()->openat(dirfd, path, flags, mode);
	return raw_openat(dirfd, path, flags, mode);
}

XENSTABLE_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	GET_MODE(flags, mode);
	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->openat64)
		return shim_real()->openat64(dirfd, path, flags, mode);
	return raw_openat(dirfd, path, flags | O_LARGEFILE, mode);
}

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

XENSTABLE_EXPORT int __open_2(const char *path, int flags)
{
	int fd;

	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->open_2)
		return shim_real()->open_2(path, flags);
	return raw_openat(AT_FDCWD, path, flags, 0);
}

XENSTABLE_EXPORT int __open64_2(const char *path, int flags)
{
	int fd;

	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->open64_2)
		return shim_real()->open64_2(path, flags);
	return raw_openat(AT_FDCWD, path, flags | O_LARGEFILE, 0);
}

int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

/* _FORTIFY_SOURCE's openat() when the flags are not a constant. */
XENSTABLE_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	int fd;

	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->openat_2)
		return shim_real()->openat_2(dirfd, path, flags);
	return raw_openat(dirfd, path, flags, 0);
}

XENSTABLE_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	int fd;

	if (shim_open_path(path, flags, &fd))
		return fd;
	if (shim_real()->openat64_2)
		return shim_real()->openat64_2(dirfd, path, flags);
	return raw_openat(dirfd, path, flags | O_LARGEFILE, 0);
}

/* fopen() mode string to open() flags; -1 if invalid. */
static int mode_flags(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (mode++; *mode; mode++) {
		if (*mode == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*mode == 'e')
			flags |= O_CLOEXEC;
		else if (*mode == 'x')
			flags |= O_EXCL;
	}
	return flags;
}

static FILE *shim_fopen(const char *path, const char *mode, int *handled)
{
	int flags, fd, dev;
	FILE *f;

	*handled = 0;
	if (classify(path, &dev) == PATH_OTHER || !mode)
		return NULL;
	*handled = 1;
	flags = mode_flags(mode);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	shim_open_path(path, flags, &fd);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f) {
		int e = errno;

		shim_real()->close(fd);
		errno = e;
	}
	return f;
}

XENSTABLE_EXPORT FILE *fopen(const char *path, const char *mode)
{
	int handled;
	FILE *f = shim_fopen(path, mode, &handled);

	if (handled)
		return f;
	return shim_real()->fopen(path, mode);
}

XENSTABLE_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	int handled;
	FILE *f = shim_fopen(path, mode, &handled);

	if (handled)
		return f;
	if (shim_real()->fopen64)
		return shim_real()->fopen64(path, mode);
	return shim_real()->fopen(path, mode);
}

XENSTABLE_EXPORT int close(int fd)
{
	dev_t dev = 0;
	ino_t ino = 0;
	int known = shim_conn_known(fd, &dev, &ino);
	int rc;

	if (shim_real()->close)
		rc = shim_real()->close(fd);
	else
		rc = (int)syscall(SYS_close, fd);
	if (known) {
		int e = errno;

		shim_conn_forget_if_unused(dev, ino);
		errno = e;
	}
	return rc;
}
