/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxensim's path handling, on a private simulated machine
 * (tests/run-test.sh runs this under `xensim --no-preload`): stat, lstat,
 * fstatat, statx, the old __xstat family, access, faccessat, euidaccess,
 * xattrs, opendir and chdir of /dev/xen, /proc/xen and /sys/hypervisor;
 * the spellings of a path (extra slashes, "." and ".."), dirfd- and
 * cwd-relative paths; absent nodes; and paths that are not ours, which
 * must get the kernel's own answer. The test machine has no /dev/xen,
 * /proc/xen or /sys/hypervisor, so every check here fails without the
 * shim's interposition.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "xensim.h"
#include "xs-emulator.h"

/* The pre-2.33 glibc entry points (no header declares them any more). */
/* the struct stat version glibc's old __xstat ABI wants on this architecture */
#if defined(__x86_64__)
#define XSTAT_VER 1
#elif defined(__i386__) || defined(__arm__)
#define XSTAT_VER 3
#else
#define XSTAT_VER 0
#endif
int __xstat(int ver, const char *path, struct stat *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);

static void setup(void)
{
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr,
			"test-xensim-paths: needs a simulator (run under xensim)\n");
		exit(77);
	}
	ck_assert_msg(xensim_reset("") == 0, "reset: %s", strerror(errno));
	setenv("XENSIM_QUIET", "1", 1);
}

/* The kernel's answer, past every libc entry point the shim interposes. */
static int real_stat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
}

static void read_str(int fd, const char *want)
{
	char buf[256] = {0};

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), (ssize_t)strlen(want));
	ck_assert_str_eq(buf, want);
	close(fd);
}

/* The device nodes, with the numbers Debian 12's dom0 shows. */
static const struct {
	const char *path;
	unsigned int minor; /* 0: a xenfs regular file */
	const char *feature;
} devs[] = {
	{"/dev/xen/privcmd", 122, "privcmd"},
	{"/dev/xen/hypercall", 121, "hypercall-dev"},
	{"/dev/xen/evtchn", 120, "evtchn"},
	{"/dev/xen/gntdev", 119, "gntdev"},
	{"/dev/xen/gntalloc", 118, "gntalloc"},
	{"/proc/xen/privcmd", 0, "proc-privcmd"},
};

static void assert_dev(const struct stat *st, unsigned int minor)
{
	if (minor) {
		ck_assert_msg(S_ISCHR(st->st_mode), "mode %o", (unsigned)st->st_mode);
		ck_assert_uint_eq(major(st->st_rdev), 10);
		ck_assert_uint_eq(minor(st->st_rdev), minor);
	} else {
		ck_assert(S_ISREG(st->st_mode));
	}
	ck_assert_uint_eq(st->st_mode & 07777, 0600);
	ck_assert_uint_eq(st->st_uid, 0);
	ck_assert_uint_eq(st->st_gid, 0);
}

/* ---- every interposed call on each device node ------------------------------ */

START_TEST(t_stat_devices)
{
	const char *path = devs[_i].path;
	struct stat st;
	struct statx stx;

	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(stat(path, &st), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(lstat(path, &st), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(fstatat(AT_FDCWD, path, &st, 0), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(__xstat(XSTAT_VER, path, &st), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(__lxstat(XSTAT_VER, path, &st), 0);
	assert_dev(&st, devs[_i].minor);
	memset(&st, 0xa5, sizeof(st));
	ck_assert_int_eq(__fxstatat(XSTAT_VER, AT_FDCWD, path, &st, 0), 0);
	assert_dev(&st, devs[_i].minor);
	{
		struct stat64 st64;

		memset(&st64, 0xa5, sizeof(st64));
		ck_assert_int_eq(stat64(path, &st64), 0);
		ck_assert_uint_eq(st64.st_mode & 07777, 0600);
		ck_assert_uint_eq(st64.st_rdev,
				  devs[_i].minor ? makedev(10, devs[_i].minor) : 0);
		ck_assert_int_eq(lstat64(path, &st64), 0);
		ck_assert_uint_eq(st64.st_mode & 07777, 0600);
		ck_assert_int_eq(fstatat64(AT_FDCWD, path, &st64, 0), 0);
		ck_assert_uint_eq(st64.st_mode & 07777, 0600);
	}
	memset(&stx, 0xa5, sizeof(stx));
	ck_assert_int_eq(statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx), 0);
	ck_assert_uint_eq(stx.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
	ck_assert_uint_eq(stx.stx_mode, (devs[_i].minor ? S_IFCHR : S_IFREG) | 0600);
	ck_assert_uint_eq(stx.stx_uid, 0);
	ck_assert_uint_eq(stx.stx_rdev_major, devs[_i].minor ? 10 : 0);
	ck_assert_uint_eq(stx.stx_rdev_minor, devs[_i].minor);

	/* access: what open() allows (read/write, never execute) */
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(access(path, R_OK | W_OK), 0);
	ck_assert_int_eq(access(path, X_OK), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(faccessat(AT_FDCWD, path, R_OK | W_OK, 0), 0);
	ck_assert_int_eq(faccessat(AT_FDCWD, path, R_OK, AT_EACCESS), 0);
	ck_assert_int_eq(euidaccess(path, W_OK), 0);
	ck_assert_int_eq(eaccess(path, R_OK), 0);

	/* no extended attributes (ls -l asks) */
	ck_assert_int_eq(lgetxattr(path, "security.selinux", NULL, 0), -1);
	ck_assert_int_eq(errno, ENODATA);
	ck_assert_int_eq(getxattr(path, "system.posix_acl_access", NULL, 0), -1);
	ck_assert_int_eq(errno, ENODATA);
	ck_assert_int_eq(listxattr(path, NULL, 0), 0);
	ck_assert_int_eq(llistxattr(path, NULL, 0), 0);

	/* not a directory */
	ck_assert_ptr_null(opendir(path));
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(chdir(path), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(open(path, O_RDONLY | O_DIRECTORY), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

/* A node the personality lacks is absent everywhere; the others stay. */
START_TEST(t_stat_absent)
{
	const char *path = devs[_i].path;
	char scen[128];
	struct stat st;
	struct statx stx;
	DIR *d;
	struct dirent *e;

	snprintf(scen, sizeof(scen), "kernel linux-6.12-%s\n", devs[_i].feature);
	ck_assert_int_eq(xensim_reset(scen), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(lstat(path, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(fstatat(AT_FDCWD, path, &st, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &stx), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(faccessat(AT_FDCWD, path, F_OK, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(open(path, O_RDWR), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat(devs[(_i + 1) % 6].path, &st), 0);
	if (devs[_i].minor == 0) {
		/* no xenfs: no /proc/xen at all */
		ck_assert_int_eq(stat("/proc/xen", &st), -1);
		ck_assert_int_eq(errno, ENOENT);
		ck_assert_int_eq(access("/proc/xen/capabilities", R_OK), -1);
		ck_assert_int_eq(errno, ENOENT);
		ck_assert_ptr_null(opendir("/proc/xen"));
		ck_assert_int_eq(errno, ENOENT);
		return;
	}
	/* and the listing leaves it out */
	d = opendir("/dev/xen");
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		ck_assert_str_ne(e->d_name, path + strlen("/dev/xen/"));
	closedir(d);
}
END_TEST

START_TEST(t_unknown_node)
{
	struct stat st;

	ck_assert_int_eq(stat("/dev/xen/xenbus", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(access("/dev/xen/xenbus_backend", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat("/sys/hypervisor/no-such-file", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(stat("/proc/xen/xenbus", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* a trailing slash on a node: not a directory */
	ck_assert_int_eq(stat("/dev/xen/privcmd/", &st), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	ck_assert_int_eq(open("/dev/xen/evtchn/", O_RDWR), -1);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

/* ---- files and directories ------------------------------------------------------- */

START_TEST(t_stat_files)
{
	static const char *const files[] = {
		"/proc/xen/capabilities",
		"/sys/hypervisor/type",
		"/sys/hypervisor/version/major",
		"/sys/hypervisor/properties/pagesize",
		"/sys/hypervisor/compilation/compiler",
	};
	static const char *const dirs[] = {
		"/dev/xen",
		"/proc/xen",
		"/sys/hypervisor",
		"/sys/hypervisor/version",
		"/sys/hypervisor/properties",
		"/sys/hypervisor/compilation",
	};
	struct stat st;
	struct statx stx;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ck_assert_msg(stat(files[i], &st) == 0, "%s: %s", files[i],
			      strerror(errno));
		ck_assert(S_ISREG(st.st_mode));
		ck_assert_uint_eq(st.st_mode & 07777, 0444);
		ck_assert_int_eq(statx(AT_FDCWD, files[i], 0, STATX_BASIC_STATS, &stx),
				 0);
		ck_assert_uint_eq(stx.stx_mode, S_IFREG | 0444);
		ck_assert_int_eq(access(files[i], R_OK), 0);
		ck_assert_int_eq(access(files[i], W_OK), -1);
		ck_assert_int_eq(errno, EACCES);
		ck_assert_int_eq(faccessat(AT_FDCWD, files[i], X_OK, 0), -1);
		ck_assert_int_eq(errno, EACCES);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		ck_assert_msg(stat(dirs[i], &st) == 0, "%s: %s", dirs[i],
			      strerror(errno));
		ck_assert(S_ISDIR(st.st_mode));
		ck_assert_uint_eq(st.st_uid, 0);
		ck_assert_int_eq(lstat(dirs[i], &st), 0);
		ck_assert(S_ISDIR(st.st_mode));
		ck_assert_int_eq(statx(AT_FDCWD, dirs[i], 0, STATX_BASIC_STATS, &stx), 0);
		ck_assert(S_ISDIR(stx.stx_mode));
		ck_assert_int_eq(access(dirs[i], R_OK | X_OK), 0);
	}
	/* a domU has xenfs but no control_d */
	ck_assert_int_eq(xensim_reset("kernel linux-6.12+domu\n"), 0);
	ck_assert_int_eq(stat("/proc/xen/capabilities", &st), 0);
	read_str(open("/proc/xen/capabilities", O_RDONLY), "");
}
END_TEST

/* The names in simulated directory @dir, sorted, joined by spaces. */
static const char *listing(DIR *d)
{
	static char out[512];
	char names[32][256];
	struct dirent *e;
	int n = 0, i, j;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		ck_assert_int_lt(n, 32);
		snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[256];

			memcpy(t, names[j], sizeof(t));
			memcpy(names[j], names[j - 1], sizeof(t));
			memcpy(names[j - 1], t, sizeof(t));
		}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, i ? " " : "");
		strcat(out, names[i]);
	}
	return out;
}

START_TEST(t_opendir)
{
	int fd;

	ck_assert_str_eq(listing(opendir("/dev/xen")),
			 "evtchn gntalloc gntdev hypercall privcmd");
	ck_assert_str_eq(listing(opendir("/proc/xen")), "capabilities privcmd");
	ck_assert_str_eq(listing(opendir("/sys/hypervisor")),
			 "compilation properties type uuid version");
	ck_assert_str_eq(listing(opendir("/sys/hypervisor/version")),
			 "extra major minor");
	ck_assert_str_eq(listing(opendir("/sys//hypervisor/./version/")),
			 "extra major minor");
	/* an open() of the directory lists the same */
	fd = open("/dev/xen", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_str_eq(listing(fdopendir(fd)),
			 "evtchn gntalloc gntdev hypercall privcmd");
	/* the listing follows the machine */
	ck_assert_int_eq(xensim_reset("kernel linux-4.14\n"), 0);
	ck_assert_str_eq(listing(opendir("/dev/xen")), "evtchn gntalloc gntdev privcmd");
	ck_assert_ptr_null(opendir("/dev/xen/xenbus"));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- spellings of a path ---------------------------------------------------------- */

START_TEST(t_normalised)
{
	static const struct {
		const char *path;
		unsigned int minor;
	} v[] = {
		{"/dev//xen/privcmd", 122},	    {"//dev/xen/hypercall", 121},
		{"/dev/xen/./evtchn", 120},	    {"/dev/xen/../xen/gntdev", 119},
		{"/./dev/xen/gntalloc", 118},	    {"/../dev/./xen//privcmd", 122},
		{"/dev/xen/evtchn/../gntdev", 119}, {"/proc//xen/./privcmd", 0},
	};
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		int fd;

		ck_assert_msg(stat(v[i].path, &st) == 0, "%s: %s", v[i].path,
			      strerror(errno));
		assert_dev(&st, v[i].minor);
		ck_assert_int_eq(access(v[i].path, R_OK | W_OK), 0);
		fd = open(v[i].path, O_RDWR | O_CLOEXEC);
		ck_assert_msg(fd >= 0, "open %s: %s", v[i].path, strerror(errno));
		ck_assert_int_eq(fstat(fd, &st), 0);
		ck_assert(S_ISSOCK(st.st_mode)); /* a daemon connection */
		close(fd);
	}
	read_str(open("/sys/hypervisor/version/../type", O_RDONLY), "xen\n");
	read_str(open("/sys//hypervisor/./properties/pagesize", O_RDONLY), "1000\n");
	read_str(open("/proc/xen/../xen/capabilities", O_RDONLY), "control_d\n");
	{
		FILE *f = fopen("/sys/hypervisor//version/major", "r");
		char buf[16] = {0};

		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
		ck_assert_str_eq(buf, "4\n");
		fclose(f);
	}
	/* leaving the prefix lexically: the real file */
	ck_assert_int_eq(stat("/dev/xen/../null", &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
}
END_TEST

/* ---- relative to a dirfd -------------------------------------------------------------
 */

START_TEST(t_dirfd)
{
	int dfd, fd, sfd, devfd;
	struct stat st, want;
	struct statx stx;

	dfd = open("/dev/xen", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_msg(dfd >= 0, "open /dev/xen: %s", strerror(errno));
	ck_assert_int_eq(fstatat(dfd, "privcmd", &st, 0), 0);
	assert_dev(&st, 122);
	ck_assert_int_eq(fstatat(dfd, "./evtchn", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_dev(&st, 120);
	ck_assert_int_eq(statx(dfd, "gntdev", 0, STATX_BASIC_STATS, &stx), 0);
	ck_assert_uint_eq(stx.stx_rdev_minor, 119);
	ck_assert_int_eq(faccessat(dfd, "gntalloc", R_OK | W_OK, 0), 0);
	ck_assert_int_eq(faccessat(dfd, "xenbus", F_OK, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	fd = openat(dfd, "privcmd", O_RDWR | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "openat privcmd: %s", strerror(errno));
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	close(fd);
	fd = openat64(dfd, "hypercall", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	/* out of the prefix and into another one */
	read_str(openat(dfd, "../../sys/hypervisor/type", O_RDONLY), "xen\n");
	/* and out to the real /dev */
	ck_assert_int_eq(fstatat(dfd, "../null", &st, 0), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
	/* fstatat(dirfd, "", AT_EMPTY_PATH) and "." describe the directory */
	ck_assert_int_eq(fstatat(dfd, ".", &st, 0), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_uid, 0);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(fstatat(dfd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_uid, 0); /* the simulated one, not the stand-in */
	ck_assert_int_eq(statx(dfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx), 0);
	ck_assert_uint_eq(stx.stx_uid, 0);
	ck_assert(S_ISDIR(stx.stx_mode));
	/* ... and of a real file, the real one */
	fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstatat(fd, "", &st, AT_EMPTY_PATH), 0);
	ck_assert_int_eq(real_stat(AT_FDCWD, "/etc/passwd", &want, 0), 0);
	ck_assert_uint_eq(st.st_ino, want.st_ino);
	close(fd);
	close(dfd);

	/* an O_PATH dirfd of a sysfs directory */
	sfd = open("/sys/hypervisor/version", O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(sfd, 0);
	read_str(openat(sfd, "major", O_RDONLY), "4\n");
	ck_assert_int_eq(fstatat(sfd, "minor", &st, 0), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(fstatat(sfd, "nope", &st, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(sfd);

	/* a real directory above a prefix */
	devfd = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(devfd, 0);
	ck_assert_int_eq(fstatat(devfd, "xen/evtchn", &st, 0), 0);
	assert_dev(&st, 120);
	fd = openat(devfd, "xen//gntdev", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(faccessat(devfd, "./xen/privcmd", R_OK | W_OK, 0), 0);
	/* ... whose other entries are the real ones */
	ck_assert_int_eq(fstatat(devfd, "null", &st, 0), 0);
	ck_assert_int_eq(real_stat(AT_FDCWD, "/dev/null", &want, 0), 0);
	ck_assert_uint_eq(st.st_ino, want.st_ino);
	close(devfd);
}
END_TEST

/* A stand-in dirfd inherited across exec is still recognised. */
static const char *self_path;

static int inherited_child(int dfd)
{
	struct stat st;

	if (fstatat(dfd, "privcmd", &st, 0) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(10, 122))
		return 1;
	return faccessat(dfd, "xenbus", F_OK, 0) == -1 && errno == ENOENT ? 0 : 2;
}

START_TEST(t_dirfd_inherited)
{
	int dfd = open("/dev/xen", O_RDONLY | O_DIRECTORY), status = -1;
	char arg[16];
	pid_t pid;

	ck_assert_int_ge(dfd, 0);
	if (skip_under_emulator("t_dirfd_inherited", EMU_NO_EXEC)) {
		close(dfd);
		return;
	}
	snprintf(arg, sizeof(arg), "%d", dfd);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		execl(self_path, self_path, "--inherited-dirfd", arg, (char *)NULL);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	close(dfd);
}
END_TEST

/* ---- relative to the cwd --------------------------------------------------------------
 */

START_TEST(t_cwd)
{
	int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
	struct stat st;

	ck_assert_int_ge(here, 0);
	ck_assert_int_eq(chdir("/dev/xen"), 0);
	ck_assert_int_eq(stat("privcmd", &st), 0);
	assert_dev(&st, 122);
	ck_assert_int_eq(lstat("./evtchn", &st), 0);
	assert_dev(&st, 120);
	ck_assert_int_eq(access("gntdev", R_OK | W_OK), 0);
	ck_assert_int_eq(faccessat(AT_FDCWD, "gntalloc", F_OK, 0), 0);
	ck_assert_int_eq(access("xenbus", F_OK), -1);
	ck_assert_int_eq(errno, ENOENT);
	fd = open("evtchn", O_RDWR | O_CLOEXEC);
	ck_assert_msg(fd >= 0, "open evtchn: %s", strerror(errno));
	close(fd);
	fd = openat(AT_FDCWD, "hypercall", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	read_str(open("../../proc/xen/capabilities", O_RDONLY), "control_d\n");
	ck_assert_str_eq(listing(opendir(".")),
			 "evtchn gntalloc gntdev hypercall privcmd");
	/* leaving it: the real files */
	ck_assert_int_eq(stat("../null", &st), 0);
	ck_assert_uint_eq(st.st_rdev, makedev(1, 3));
	ck_assert_int_eq(chdir("/sys/hypervisor"), 0);
	read_str(open("version/minor", O_RDONLY), "17\n");
	ck_assert_int_eq(chdir("version"), 0);
	read_str(open("major", O_RDONLY), "4\n");
	ck_assert_int_eq(chdir("/dev/xen/privcmd"), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	/* from / */
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(stat("dev/xen/gntalloc", &st), 0);
	assert_dev(&st, 118);
	ck_assert_int_eq(stat("etc/passwd", &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	/* back to a plain directory: relative names are not ours */
	ck_assert_int_eq(fchdir(here), 0);
	ck_assert_int_eq(stat("privcmd", &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(here);
}
END_TEST

/* ---- not ours ------------------------------------------------------------------------
 */

static void assert_same(const struct stat *a, const struct stat *b)
{
	ck_assert_uint_eq(a->st_dev, b->st_dev);
	ck_assert_uint_eq(a->st_ino, b->st_ino);
	ck_assert_uint_eq(a->st_mode, b->st_mode);
	ck_assert_uint_eq(a->st_nlink, b->st_nlink);
	ck_assert_uint_eq(a->st_uid, b->st_uid);
	ck_assert_uint_eq(a->st_rdev, b->st_rdev);
	ck_assert_int_eq(a->st_size, b->st_size);
}

START_TEST(t_passthrough)
{
	static const char *const paths[] = {
		"/etc/passwd", "/dev/null",	     "/dev", "/proc/self", "/sys",
		"/",	       "/etc/../etc/passwd",
	};
	static const char *const absent[] = {
		"/dev/xenfoo",	    "/sys/hypervisorx", "/proc/xenx/privcmd",
		"/nonexistent/xen", "xen/privcmd",	"dev/xen/privcmd",
	};
	struct stat st, want;
	struct statx stx;
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ck_assert_int_eq(real_stat(AT_FDCWD, paths[i], &want, 0), 0);
		memset(&st, 0, sizeof(st));
		ck_assert_int_eq(stat(paths[i], &st), 0);
		assert_same(&st, &want);
		ck_assert_int_eq(fstatat(AT_FDCWD, paths[i], &st, 0), 0);
		assert_same(&st, &want);
		ck_assert_int_eq(__xstat(XSTAT_VER, paths[i], &st), 0);
		assert_same(&st, &want);
		ck_assert_int_eq(statx(AT_FDCWD, paths[i], 0, STATX_BASIC_STATS, &stx),
				 0);
		ck_assert_uint_eq(stx.stx_ino, want.st_ino);
		ck_assert_uint_eq(stx.stx_mode, want.st_mode);
		ck_assert_int_eq(access(paths[i], F_OK), 0);
		ck_assert_int_eq(access(paths[i], R_OK),
				 (int)syscall(SYS_faccessat, AT_FDCWD, paths[i], R_OK));
	}
	ck_assert_int_eq(real_stat(AT_FDCWD, "/proc/self", &want, AT_SYMLINK_NOFOLLOW),
			 0);
	ck_assert_int_eq(lstat("/proc/self", &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	assert_same(&st, &want);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		ck_assert_int_eq(stat(absent[i], &st), -1);
		ck_assert_int_eq(errno, ENOENT);
		ck_assert_int_eq(access(absent[i], F_OK), -1);
		ck_assert_int_eq(errno, ENOENT);
	}
	/* a real directory listing is the kernel's */
	{
		DIR *d = opendir("/dev");
		struct dirent *e;
		int null = 0;

		ck_assert_ptr_nonnull(d);
		while ((e = readdir(d)))
			null |= !strcmp(e->d_name, "null");
		closedir(d);
		ck_assert(null);
	}
}
END_TEST

/* Without XENSIM_SOCKET nothing is simulated. */
START_TEST(t_without_socket)
{
	char *sock = strdup(getenv("XENSIM_SOCKET"));
	struct stat st;
	int rc, e;

	unsetenv("XENSIM_SOCKET");
	rc = stat("/dev/xen/privcmd", &st);
	e = errno;
	setenv("XENSIM_SOCKET", sock, 1);
	free(sock);
	if (rc == 0)
		return; /* a real Xen host */
	ck_assert_int_eq(e, ENOENT);
}
END_TEST

static Suite *paths_suite(void)
{
	Suite *s = suite_create("xensim-paths");
	TCase *tc;

	tc = tcase_create("nodes");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, t_stat_devices, 0, 6);
	tcase_add_loop_test(tc, t_stat_absent, 0, 6);
	tcase_add_test(tc, t_unknown_node);
	tcase_add_test(tc, t_stat_files);
	tcase_add_test(tc, t_opendir);
	suite_add_tcase(s, tc);

	tc = tcase_create("spellings");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_normalised);
	tcase_add_test(tc, t_dirfd);
	tcase_add_test(tc, t_dirfd_inherited);
	tcase_add_test(tc, t_cwd);
	suite_add_tcase(s, tc);

	tc = tcase_create("passthrough");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, t_passthrough);
	tcase_add_test(tc, t_without_socket);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	SRunner *sr;
	int failed;

	if (argc == 3 && !strcmp(argv[1], "--inherited-dirfd"))
		return inherited_child(atoi(argv[2]));
	self_path = argv[0];
	if (!getenv("XENSIM_SOCKET")) {
		fprintf(stderr,
			"test-xensim-paths: needs a simulator (run under xensim)\n");
		return 77;
	}
	sr = srunner_create(paths_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
