/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * open()/fopen()/close() of the simulated device nodes, of the
 * /sys/hypervisor and /proc/xen files, and of the simulated directories
 * (their stand-ins). Paths are recognised by shim-path.c, however they are
 * spelled; everything else goes to libc after a prefix compare.
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

/* A read-only fd with the contents the daemon gives for @path. */
static int open_sysfs(const char *path, int flags)
{
	struct xsw_msg reply;
	const unsigned char *data;
	size_t len;
	int64_t ret;
	int mfd, fd;
	char self[64];

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	ret = shim_sysfs_read(path, &reply);
	if (ret < 0) {
		xsw_msg_free(&reply);
		return (int)ret;
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

static int raw_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

/* Open the simulated node @sp: the fd or -errno. */
static int open_node(const struct shim_path *sp, int flags, mode_t mode)
{
	char standin[PATH_MAX];
	int fd, rc;

	switch (sp->kind) {
	case SHIM_NODE_UNKNOWN:
		shim_diag("%s is not simulated", sp->path);
		return -ENOENT;
	case SHIM_NODE_DIR:
		rc = shim_path_check(sp);
		if (rc == 0)
			rc = shim_path_standin(sp, 1, standin, sizeof(standin));
		if (rc < 0)
			return rc;
		fd = raw_openat(AT_FDCWD, standin, flags, mode);
		return fd < 0 ? -errno : fd;
	case SHIM_NODE_FILE:
	case SHIM_NODE_DEV:
	default:
		break;
	}
	if ((flags & O_DIRECTORY) || sp->slash) {
		rc = shim_path_check(sp);
		return rc < 0 ? rc : -ENOTDIR;
	}
	if (sp->kind == SHIM_NODE_FILE)
		return open_sysfs(sp->path, flags);

	{
		unsigned int hello = 0;
		struct shim_conn *c;

		fd = shim_connect_flags(sp->device, flags, &hello);
		if (fd < 0)
			return fd;
		c = shim_conn_add(fd, sp->device);
		if (!c) {
			shim_real()->close(fd);
			return -ENOMEM;
		}
		c->compat32 = !!(hello & XSP_HELLO_COMPAT32);
		return fd;
	}
}

/*
 * open*() of a path shim_path_maybe() let through: *handled = 0 if libc
 * should open the caller's path after all, else the result (-1/errno).
 */
static __attribute__((noinline)) int open_slow(int dirfd, const char *path, int flags,
					       mode_t mode, int *handled)
{
	struct shim_path sp;
	int fd;

	*handled = 1;
	switch (shim_path_resolve(dirfd, path, &sp)) {
	case SHIM_PATH_LIBC:
		*handled = 0;
		return -1;
	case SHIM_PATH_REWRITTEN:
		return raw_openat(AT_FDCWD, sp.path, flags, mode);
	default:
		break;
	}
	fd = open_node(&sp, flags, mode);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

/* 1 and *result set if @path is ours, 0 if it should go to libc. */
static inline int shim_open_path(int dirfd, const char *path, int flags, mode_t mode,
				 int *result)
{
	int handled;

	if (!shim_path_maybe(dirfd, path))
		return 0;
	*result = open_slow(dirfd, path, flags, mode, &handled);
	return handled;
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

XENSTABLE_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	int fd;

	GET_MODE(flags, mode);
	if (shim_open_path(AT_FDCWD, path, flags, mode, &fd))
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
	if (shim_open_path(AT_FDCWD, path, flags, mode, &fd))
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
	if (shim_open_path(dirfd, path, flags, mode, &fd))
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
	if (shim_open_path(dirfd, path, flags, mode, &fd))
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

	if (shim_open_path(AT_FDCWD, path, flags, 0, &fd))
		return fd;
	if (shim_real()->open_2)
		return shim_real()->open_2(path, flags);
	return raw_openat(AT_FDCWD, path, flags, 0);
}

XENSTABLE_EXPORT int __open64_2(const char *path, int flags)
{
	int fd;

	if (shim_open_path(AT_FDCWD, path, flags, 0, &fd))
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

	if (shim_open_path(dirfd, path, flags, 0, &fd))
		return fd;
	if (shim_real()->openat_2)
		return shim_real()->openat_2(dirfd, path, flags);
	return raw_openat(dirfd, path, flags, 0);
}

XENSTABLE_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	int fd;

	if (shim_open_path(dirfd, path, flags, 0, &fd))
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

static __attribute__((noinline)) FILE *fopen_slow(const char *path, const char *mode,
						  int *handled)
{
	struct shim_path sp;
	int flags, fd;
	FILE *f;

	*handled = 0;
	switch (shim_path_resolve(AT_FDCWD, path, &sp)) {
	case SHIM_PATH_LIBC:
		return NULL;
	case SHIM_PATH_REWRITTEN:
		*handled = 1;
		return shim_real()->fopen(sp.path, mode);
	default:
		break;
	}
	*handled = 1;
	flags = mode_flags(mode);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	fd = open_node(&sp, flags, 0666);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	f = fdopen(fd, mode);
	if (!f) {
		int e = errno;

		shim_real()->close(fd);
		errno = e;
	}
	return f;
}

static inline FILE *shim_fopen(const char *path, const char *mode, int *handled)
{
	*handled = 0;
	if (!mode || !shim_path_maybe(AT_FDCWD, path))
		return NULL;
	return fopen_slow(path, mode, handled);
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
