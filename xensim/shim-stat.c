/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * stat()/access()/opendir()/chdir() of the simulated paths, so that a
 * program that looks before it opens sees the simulated machine and not
 * the host. Recognition is shim-path.c's; everything else goes to libc
 * after a prefix compare. See xensim/DESIGN.md, "The shim".
 */
#include "config.h"

/* We define both the plain and the *64 entry points of libc ourselves. */
#undef _FILE_OFFSET_BITS
#undef _TIME_BITS

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "shim.h"
#include "xs-compiler.h"

/* ---- the real functions ------------------------------------------------------- */

static struct {
	int (*stat)(const char *, struct stat *);
	int (*lstat)(const char *, struct stat *);
	int (*fstatat)(int, const char *, struct stat *, int);
	int (*stat64)(const char *, struct stat64 *);
	int (*lstat64)(const char *, struct stat64 *);
	int (*fstatat64)(int, const char *, struct stat64 *, int);
	int (*xstat)(int, const char *, struct stat *);
	int (*lxstat)(int, const char *, struct stat *);
	int (*fxstatat)(int, int, const char *, struct stat *, int);
	int (*xstat64)(int, const char *, struct stat64 *);
	int (*lxstat64)(int, const char *, struct stat64 *);
	int (*fxstatat64)(int, int, const char *, struct stat64 *, int);
	int (*statx)(int, const char *, int, unsigned int, struct statx *);
	int (*access)(const char *, int);
	int (*faccessat)(int, const char *, int, int);
	int (*euidaccess)(const char *, int);
	int (*eaccess)(const char *, int);
	DIR *(*opendir)(const char *);
	int (*chdir)(const char *);
	int (*fchdir)(int);
	ssize_t (*getxattr)(const char *, const char *, void *, size_t);
	ssize_t (*lgetxattr)(const char *, const char *, void *, size_t);
	ssize_t (*listxattr)(const char *, char *, size_t);
	ssize_t (*llistxattr)(const char *, char *, size_t);
} real;
static int real_done;

#define RESOLVE(field, name) (*(void **)&real.field = dlsym(RTLD_NEXT, name))

static void resolve(void)
{
	if (__atomic_load_n(&real_done, __ATOMIC_ACQUIRE))
		return;
	RESOLVE(stat, "stat");
	RESOLVE(lstat, "lstat");
	RESOLVE(fstatat, "fstatat");
	RESOLVE(stat64, "stat64");
	RESOLVE(lstat64, "lstat64");
	RESOLVE(fstatat64, "fstatat64");
	RESOLVE(xstat, "__xstat");
	RESOLVE(lxstat, "__lxstat");
	RESOLVE(fxstatat, "__fxstatat");
	RESOLVE(xstat64, "__xstat64");
	RESOLVE(lxstat64, "__lxstat64");
	RESOLVE(fxstatat64, "__fxstatat64");
	RESOLVE(statx, "statx");
	RESOLVE(access, "access");
	RESOLVE(faccessat, "faccessat");
	RESOLVE(euidaccess, "euidaccess");
	RESOLVE(eaccess, "eaccess");
	RESOLVE(opendir, "opendir");
	RESOLVE(chdir, "chdir");
	RESOLVE(fchdir, "fchdir");
	RESOLVE(getxattr, "getxattr");
	RESOLVE(lgetxattr, "lgetxattr");
	RESOLVE(listxattr, "listxattr");
	RESOLVE(llistxattr, "llistxattr");
	__atomic_store_n(&real_done, 1, __ATOMIC_RELEASE);
}

/* Without a real one (static libc, odd loaders): the syscalls. */
static int sys_fstatat(int dirfd, const char *path, void *st, int flags)
{
#ifdef SYS_newfstatat
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
#else
	return (int)syscall(SYS_fstatat64, dirfd, path, st, flags);
#endif
}

/* ---- what a simulated node looks like ---------------------------------------------- */

struct attrs {
	mode_t mode;
	dev_t dev, rdev;
	ino_t ino;
	off_t size;
	nlink_t nlink;
};

static ino_t path_ino(const char *p)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*p)
		h = (h ^ (unsigned char)*p++) * 1099511628211ull;
	return (ino_t)(h & 0x7fffffff) | 0x1000;
}

/*
 * 0 and *a, or -errno. Device nodes: character devices of the misc major
 * with the minors Debian 12's dom0 gave them, root 0600, on a devtmpfs;
 * xenfs files (/proc/xen/privcmd 0600, capabilities 0444) and sysfs
 * attributes (0444, size 4096 as sysfs reports) are regular files;
 * directories 0755 (/proc/xen 0555).
 */
static int node_attrs(const struct shim_path *sp, struct attrs *a)
{
	int rc = shim_path_check(sp);
	int proc = strncmp(sp->path, "/proc/", 6) == 0;

	if (rc < 0)
		return rc;
	memset(a, 0, sizeof(*a));
	a->ino = path_ino(sp->path);
	a->nlink = 1;
	a->dev = proc		      ? makedev(0, 0x1c)
		 : sp->path[1] == 'd' ? makedev(0, 5)
				      : makedev(0, 0x15);
	switch (sp->kind) {
	case SHIM_NODE_DIR:
		a->mode = S_IFDIR | (proc ? 0555 : 0755);
		a->nlink = 2;
		break;
	case SHIM_NODE_DEV:
		if (sp->minor) {
			a->mode = S_IFCHR | 0600;
			a->rdev = makedev(10, sp->minor);
		} else {
			a->mode = S_IFREG | 0600;
		}
		break;
	case SHIM_NODE_FILE:
	default:
		a->mode = S_IFREG | 0444;
		a->size = proc ? 0 : 4096;
		break;
	}
	return 0;
}

#define FILL_STAT(st, a)                                                                 \
	do {                                                                             \
		memset((st), 0, sizeof(*(st)));                                          \
		(st)->st_dev = (a)->dev;                                                 \
		(st)->st_ino = (a)->ino;                                                 \
		(st)->st_mode = (a)->mode;                                               \
		(st)->st_nlink = (a)->nlink;                                             \
		(st)->st_rdev = (a)->rdev;                                               \
		(st)->st_size = (a)->size;                                               \
		(st)->st_blksize = 4096;                                                 \
	} while (0)

/*
 * The slow paths: 1 if handled (result in *rc: 0 or -1/errno), 0 to let
 * libc do it with the caller's path, 2 with *alt (rewritten, absolute).
 */
static __attribute__((noinline)) int stat_slow(int dirfd, const char *path,
					       struct attrs *a, char *alt, int *rc)
{
	struct shim_path sp;
	int r;

	switch (shim_path_resolve(dirfd, path, &sp)) {
	case SHIM_PATH_LIBC:
		return 0;
	case SHIM_PATH_REWRITTEN:
		memcpy(alt, sp.path, strlen(sp.path) + 1);
		return 2;
	default:
		break;
	}
	r = node_attrs(&sp, a);
	if (r < 0) {
		errno = -r;
		*rc = -1;
	} else {
		*rc = 0;
	}
	return 1;
}

/* One body for the stat family: T the struct, CALL(path) the real call. */
#define STAT_BODY(dirfd, path, fl, st, CALL)                                             \
	do {                                                                             \
		if (shim_path_maybe_at(dirfd, path, fl)) {                               \
			char alt_[PATH_MAX];                                             \
			struct attrs a_;                                                 \
			int rc_, h_ = stat_slow(dirfd, path, &a_, alt_, &rc_);           \
                                                                                         \
			if (h_ == 1) {                                                   \
				if (rc_ == 0)                                            \
					FILL_STAT(st, &a_);                              \
				return rc_;                                              \
			}                                                                \
			if (h_ == 2) {                                                   \
				resolve();                                               \
				dirfd = AT_FDCWD;                                        \
				path = alt_;                                             \
				return CALL;                                             \
			}                                                                \
		}                                                                        \
		resolve();                                                               \
		return CALL;                                                             \
	} while (0)

XENSTABLE_EXPORT int stat(const char *path, struct stat *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.stat ? real.stat(path, st) : sys_fstatat(dirfd, path, st, 0));
}

XENSTABLE_EXPORT int lstat(const char *path, struct stat *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.lstat ? real.lstat(path, st)
			     : sys_fstatat(dirfd, path, st, AT_SYMLINK_NOFOLLOW));
}

XENSTABLE_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	STAT_BODY(dirfd, path, flags, st,
		  real.fstatat ? real.fstatat(dirfd, path, st, flags)
			       : sys_fstatat(dirfd, path, st, flags));
}

XENSTABLE_EXPORT int stat64(const char *path, struct stat64 *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.stat64 ? real.stat64(path, st) : sys_fstatat(dirfd, path, st, 0));
}

XENSTABLE_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.lstat64 ? real.lstat64(path, st)
			       : sys_fstatat(dirfd, path, st, AT_SYMLINK_NOFOLLOW));
}

XENSTABLE_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	STAT_BODY(dirfd, path, flags, st,
		  real.fstatat64 ? real.fstatat64(dirfd, path, st, flags)
				 : sys_fstatat(dirfd, path, st, flags));
}

/*
 * The pre-2.33 glibc entry points (stat() was an inline wrapper around
 * them): binaries built then still call these, and glibc 2.36 still
 * exports them. @ver is the layout version; the host's struct stat is
 * the one they mean on every architecture the shim is built for.
 */
int __xstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);

XENSTABLE_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.xstat ? real.xstat(ver, path, st)
			     : sys_fstatat(dirfd, path, st, 0));
}

XENSTABLE_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.lxstat ? real.lxstat(ver, path, st)
			      : sys_fstatat(dirfd, path, st, AT_SYMLINK_NOFOLLOW));
}

XENSTABLE_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
				int flags)
{
	STAT_BODY(dirfd, path, flags, st,
		  real.fxstatat ? real.fxstatat(ver, dirfd, path, st, flags)
				: sys_fstatat(dirfd, path, st, flags));
}

XENSTABLE_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.xstat64 ? real.xstat64(ver, path, st)
			       : sys_fstatat(dirfd, path, st, 0));
}

XENSTABLE_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	int dirfd = AT_FDCWD;

	STAT_BODY(dirfd, path, 0, st,
		  real.lxstat64 ? real.lxstat64(ver, path, st)
				: sys_fstatat(dirfd, path, st, AT_SYMLINK_NOFOLLOW));
}

XENSTABLE_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
				  int flags)
{
	STAT_BODY(dirfd, path, flags, st,
		  real.fxstatat64 ? real.fxstatat64(ver, dirfd, path, st, flags)
				  : sys_fstatat(dirfd, path, st, flags));
}

XENSTABLE_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask,
			   struct statx *stx)
{
	if (shim_path_maybe_at(dirfd, path, flags)) {
		char alt[PATH_MAX];
		struct attrs a;
		int rc, h = stat_slow(dirfd, path, &a, alt, &rc);

		if (h == 1) {
			if (rc == 0) {
				memset(stx, 0, sizeof(*stx));
				stx->stx_mask = STATX_BASIC_STATS;
				stx->stx_blksize = 4096;
				stx->stx_nlink = (uint32_t)a.nlink;
				stx->stx_mode = (uint16_t)a.mode;
				stx->stx_ino = a.ino;
				stx->stx_size = (uint64_t)a.size;
				stx->stx_rdev_major = major(a.rdev);
				stx->stx_rdev_minor = minor(a.rdev);
				stx->stx_dev_major = major(a.dev);
				stx->stx_dev_minor = minor(a.dev);
			}
			return rc;
		}
		if (h == 2)
			return statx(AT_FDCWD, alt, flags, mask, stx);
	}
	resolve();
	if (real.statx)
		return real.statx(dirfd, path, flags, mask, stx);
#ifdef SYS_statx
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, stx);
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* ---- access -------------------------------------------------------------------------
 */

/*
 * What open() would allow (the simulated process is dom0's root for the
 * devices): device nodes read/write, files and directories read, and
 * directories search; anything else EACCES.
 */
static __attribute__((noinline)) int access_slow(int dirfd, const char *path, int mode,
						 char *alt, int *rc)
{
	struct shim_path sp;
	struct attrs a;
	int r, ok;

	switch (shim_path_resolve(dirfd, path, &sp)) {
	case SHIM_PATH_LIBC:
		return 0;
	case SHIM_PATH_REWRITTEN:
		memcpy(alt, sp.path, strlen(sp.path) + 1);
		return 2;
	default:
		break;
	}
	r = node_attrs(&sp, &a);
	if (r == 0 && (mode & ~(R_OK | W_OK | X_OK)))
		r = -EINVAL;
	if (r == 0) {
		if (S_ISDIR(a.mode))
			ok = !(mode & W_OK);
		else if (S_ISCHR(a.mode) || (a.mode & 0200))
			ok = !(mode & X_OK);
		else
			ok = !(mode & (W_OK | X_OK));
		if (!ok)
			r = -EACCES;
	}
	if (r < 0) {
		errno = -r;
		*rc = -1;
	} else {
		*rc = 0;
	}
	return 1;
}

#define ACCESS_BODY(dirfd, path, mode, CALL)                                             \
	do {                                                                             \
		if (shim_path_maybe(dirfd, path)) {                                      \
			char alt_[PATH_MAX];                                             \
			int rc_, h_ = access_slow(dirfd, path, mode, alt_, &rc_);        \
                                                                                         \
			if (h_ == 1)                                                     \
				return rc_;                                              \
			if (h_ == 2) {                                                   \
				resolve();                                               \
				dirfd = AT_FDCWD;                                        \
				path = alt_;                                             \
				return CALL;                                             \
			}                                                                \
		}                                                                        \
		resolve();                                                               \
		return CALL;                                                             \
	} while (0)

XENSTABLE_EXPORT int access(const char *path, int mode)
{
	int dirfd = AT_FDCWD;

	ACCESS_BODY(dirfd, path, mode,
		    real.access ? real.access(path, mode)
				: (int)syscall(SYS_faccessat, dirfd, path, mode));
}

XENSTABLE_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	ACCESS_BODY(dirfd, path, mode,
		    real.faccessat ? real.faccessat(dirfd, path, mode, flags)
				   : (int)syscall(SYS_faccessat, dirfd, path, mode));
}

XENSTABLE_EXPORT int euidaccess(const char *path, int mode)
{
	int dirfd = AT_FDCWD;

	ACCESS_BODY(dirfd, path, mode,
		    real.euidaccess ? real.euidaccess(path, mode)
				    : faccessat(dirfd, path, mode, AT_EACCESS));
}

XENSTABLE_EXPORT int eaccess(const char *path, int mode)
{
	int dirfd = AT_FDCWD;

	ACCESS_BODY(dirfd, path, mode,
		    real.eaccess ? real.eaccess(path, mode)
				 : faccessat(dirfd, path, mode, AT_EACCESS));
}

/* ---- directories
 * ----------------------------------------------------------------------- */

/*
 * A simulated directory -> its stand-in (entries synced with the machine)
 * in @alt: 2; not ours: 0; an error: 1 with errno.
 */
static __attribute__((noinline)) int dir_slow(const char *path, int sync, char *alt)
{
	struct shim_path sp;
	int r;

	switch (shim_path_resolve(AT_FDCWD, path, &sp)) {
	case SHIM_PATH_LIBC:
		return 0;
	case SHIM_PATH_REWRITTEN:
		memcpy(alt, sp.path, strlen(sp.path) + 1);
		return 2;
	default:
		break;
	}
	r = shim_path_check(&sp);
	if (r == 0 && sp.kind != SHIM_NODE_DIR)
		r = -ENOTDIR;
	if (r == 0)
		r = shim_path_standin(&sp, sync, alt, PATH_MAX);
	if (r < 0) {
		errno = -r;
		return 1;
	}
	return 2;
}

XENSTABLE_EXPORT DIR *opendir(const char *path)
{
	char alt[PATH_MAX];

	if (shim_path_maybe(AT_FDCWD, path)) {
		int h = dir_slow(path, 1, alt);

		if (h == 1)
			return NULL;
		if (h == 2)
			path = alt;
	}
	resolve();
	if (!real.opendir) {
		errno = ENOSYS;
		return NULL;
	}
	return real.opendir(path);
}

XENSTABLE_EXPORT int chdir(const char *path)
{
	char alt[PATH_MAX];
	int rc;

	if (shim_path_maybe(AT_FDCWD, path)) {
		int h = dir_slow(path, 0, alt);

		if (h == 1)
			return -1;
		if (h == 2)
			path = alt;
	}
	resolve();
	rc = real.chdir ? real.chdir(path) : (int)syscall(SYS_chdir, path);
	shim_path_cwd_changed();
	return rc;
}

XENSTABLE_EXPORT int fchdir(int fd)
{
	int rc;

	resolve();
	rc = real.fchdir ? real.fchdir(fd) : (int)syscall(SYS_fchdir, fd);
	shim_path_cwd_changed();
	return rc;
}

/* ---- extended attributes ------------------------------------------------------------
 */

/*
 * The simulated nodes have none (ls -l asks for ACLs and SELinux labels):
 * getxattr ENODATA, listxattr an empty list; absent nodes ENOENT.
 * 1 if handled (*rc), 0 for libc, 2 with @alt.
 */
static __attribute__((noinline)) int xattr_slow(const char *path, int list, char *alt,
						ssize_t *rc)
{
	struct attrs a;
	int h, r;

	h = stat_slow(AT_FDCWD, path, &a, alt, &r);
	if (h != 1)
		return h;
	if (r == 0 && !list) {
		errno = ENODATA;
		r = -1;
	}
	*rc = r;
	return 1;
}

#define XATTR_BODY(path, list, CALL)                                                     \
	do {                                                                             \
		if (shim_path_maybe(AT_FDCWD, path)) {                                   \
			char alt_[PATH_MAX];                                             \
			ssize_t rc_;                                                     \
			int h_ = xattr_slow(path, list, alt_, &rc_);                     \
                                                                                         \
			if (h_ == 1)                                                     \
				return rc_;                                              \
			if (h_ == 2) {                                                   \
				resolve();                                               \
				path = alt_;                                             \
				return CALL;                                             \
			}                                                                \
		}                                                                        \
		resolve();                                                               \
		return CALL;                                                             \
	} while (0)

#define NO_XATTR (errno = ENOTSUP, (ssize_t)-1)

XENSTABLE_EXPORT ssize_t getxattr(const char *path, const char *name, void *value,
				  size_t size)
{
	XATTR_BODY(path, 0,
		   real.getxattr ? real.getxattr(path, name, value, size) : NO_XATTR);
}

XENSTABLE_EXPORT ssize_t lgetxattr(const char *path, const char *name, void *value,
				   size_t size)
{
	XATTR_BODY(path, 0,
		   real.lgetxattr ? real.lgetxattr(path, name, value, size) : NO_XATTR);
}

XENSTABLE_EXPORT ssize_t listxattr(const char *path, char *list, size_t size)
{
	XATTR_BODY(path, 1, real.listxattr ? real.listxattr(path, list, size) : NO_XATTR);
}

XENSTABLE_EXPORT ssize_t llistxattr(const char *path, char *list, size_t size)
{
	XATTR_BODY(path, 1,
		   real.llistxattr ? real.llistxattr(path, list, size) : NO_XATTR);
}
