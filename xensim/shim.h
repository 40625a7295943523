/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Private interface between the parts of libxensim's shim (shim-*.c): the
 * real libc functions, the table of known device connections, user-memory
 * access and the VMA table. See xensim/DESIGN.md, "The shim".
 */
#ifndef XENSIM_SHIM_H
#define XENSIM_SHIM_H

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "protocol.h"
#include "wire.h"

#define SHIM_PAGE_SHIFT 12
#define SHIM_PAGE_SIZE	(1ul << SHIM_PAGE_SHIFT)

/* ---- the real functions (libc, or whatever comes after us) ------------ */

struct shim_real {
	int (*open)(const char *, int, ...);
	int (*open64)(const char *, int, ...);
	int (*openat)(int, const char *, int, ...);
	int (*openat64)(int, const char *, int, ...);
	int (*open_2)(const char *, int);
	int (*open64_2)(const char *, int);
	int (*openat_2)(int, const char *, int);
	int (*openat64_2)(int, const char *, int);
	FILE *(*fopen)(const char *, const char *);
	FILE *(*fopen64)(const char *, const char *);
	int (*ioctl)(int, unsigned long, ...);
	long (*syscall)(long, ...);
	void *(*mmap)(void *, size_t, int, int, int, off_t);
	void *(*mmap64)(void *, size_t, int, int, int, off64_t);
	int (*munmap)(void *, size_t);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*read_chk)(int, void *, size_t, size_t);
	ssize_t (*write)(int, const void *, size_t);
	int (*close)(int);
};

/* Resolve (once) and return the real functions. Never NULL members for
 * the ones libc has; callers fall back to raw syscalls if one is NULL. */
const struct shim_real *shim_real(void);

/* ---- environment and diagnostics --------------------------------------- */

/* XENSIM_SOCKET, or NULL: then the shim passes everything through. */
const char *shim_socket_path(void);

/* "xensim: <msg>" on stderr unless XENSIM_QUIET=1. */
void shim_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Path of a device (for messages). */
const char *shim_dev_name(int device);

/* ---- simulated paths (shim-path.c) ------------------------------------------- */

/* What a path names in the simulated machine. */
enum shim_node {
	SHIM_NODE_DIR = 1, /* /dev/xen, /proc/xen, /sys/hypervisor and below */
	SHIM_NODE_DEV,	   /* a simulated device node (.device) */
	SHIM_NODE_FILE,	   /* a /sys/hypervisor or /proc/xen file (XSP_SYSFS_READ) */
	SHIM_NODE_UNKNOWN, /* under /dev/xen, not simulated: ENOENT, loudly */
};

/* shim_path_resolve() results. */
enum {
	SHIM_PATH_LIBC = 0,	 /* not ours: give libc the caller's path */
	SHIM_PATH_OURS = 1,	 /* a simulated path: see .kind */
	SHIM_PATH_REWRITTEN = 2, /* not ours, but give libc .path (absolute): the
				  * caller's path went through a stand-in */
};

struct shim_path {
	enum shim_node kind;
	int device;	     /* SHIM_NODE_DEV: enum xsp_device */
	unsigned int minor;  /* SHIM_NODE_DEV: misc minor; 0 = xenfs regular file */
	int slash;	     /* the caller's path ended in '/' */
	char path[PATH_MAX]; /* canonical simulated path (or the rewritten one) */
};

/*
 * The one place where paths are recognised. Cheap test first: 0 when
 * @path (relative to @dirfd, AT_FDCWD for the cwd) cannot name a simulated
 * file; that costs a prefix compare for absolute paths and, for relative
 * ones, a look at the first component (plus one getcwd after a chdir).
 */
int shim_path_maybe(int dirfd, const char *path);
/* Same with the *at() @flags: fstatat/statx(fd, "", AT_EMPTY_PATH) is ours
 * only for the fd of a stand-in (and costs a flag test otherwise). */
int shim_path_maybe_at(int dirfd, const char *path, int flags);

/* Full resolution, lexical (the simulated prefixes are never looked up in
 * the real filesystem): SHIM_PATH_* above. Call after shim_path_maybe(). */
int shim_path_resolve(int dirfd, const char *path, struct shim_path *out);

/* 0 if the node exists in the simulated machine now, else -errno
 * (ENOENT; ENOTDIR for a trailing '/' on a non-directory). Asks the
 * daemon for device nodes and files. */
int shim_path_check(const struct shim_path *p);

/* The stand-in directory of simulated directory @p in @buf (0 / -errno).
 * With @sync the entries of the directory are made to match the simulated
 * machine first (for readdir). Marks the process as holding stand-in
 * fds (dirfd-relative paths are then always resolved). */
int shim_path_standin(const struct shim_path *p, int sync, char *buf, size_t n);

/* chdir/fchdir happened: the cwd is looked at again by the next relative path. */
void shim_path_cwd_changed(void);

/* Contents of a daemon-served file: ret (length, >= 0) or -errno; *reply
 * must be freed with xsw_msg_free() whatever the result. */
int64_t shim_sysfs_read(const char *path, struct xsw_msg *reply);

/* ---- connections -------------------------------------------------------- */

struct shim_conn {
	dev_t dev;
	ino_t ino;	/* 0: free slot */
	int device;	/* enum xsp_device */
	int restricted; /* privcmd: RESTRICT succeeded (domid below) */
	uint16_t restrict_domid;
	int compat32;	/* +compat32: every ioctl is ENOTTY (XSP_HELLO_COMPAT32) */
	pthread_mutex_t lock;
};

/* Connect to the daemon as @device (HELLO); returns the socket or -errno. */
int shim_connect(int device, int open_flags);
/* Same, and *@hello_flags = the XSP_HELLO_* flags of the reply. */
int shim_connect_flags(int device, int open_flags, unsigned int *hello_flags);

/* Register a freshly opened connection. */
struct shim_conn *shim_conn_add(int fd, int device);

/* The connection behind @fd if it is a simulated device, else NULL. */
struct shim_conn *shim_conn_get(int fd);

/* close(): is @fd a known connection (identity in *dev and *ino)? */
int shim_conn_known(int fd, dev_t *dev, ino_t *ino);
/* After the real close: forget the connection if no fd refers to it. */
void shim_conn_forget_if_unused(dev_t dev, ino_t ino);

/* Request/reply on @fd under the connection lock; transport failures are
 * turned into -ENODEV. Returns the reply's ret (>= 0) or -errno; *reply
 * must be freed with xsw_msg_free() whatever the result. */
int64_t shim_call(struct shim_conn *c, int fd, uint32_t type, const struct iovec *iov,
		  int iovcnt, const int *fds, int nfds, struct xsw_msg *reply);

/* Same with one buffer. */
int64_t shim_call_buf(struct shim_conn *c, int fd, uint32_t type, const void *buf,
		      size_t len, struct xsw_msg *reply);

/* Same for a request whose reply says nothing but its ret: the reply is
 * freed here. Returns the ret (>= 0) or -errno. */
int64_t shim_call_ret(struct shim_conn *c, int fd, uint32_t type, const void *buf,
		      size_t len);

/* ---- user memory (EFAULT instead of a crash) --------------------------- */

int shim_copy_from_user(void *dst, const void *uaddr, size_t len); /* 0 / -EFAULT */
int shim_copy_to_user(void *uaddr, const void *src, size_t len);   /* 0 / -EFAULT */

/* ---- ioctl and read/write per device (shim-privcmd.c and shim-dev.c) ------ */

long shim_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg);
long shim_privcmd_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg);
long shim_evtchn_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg);
long shim_gntdev_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg);
long shim_gntalloc_ioctl(struct shim_conn *c, int fd, unsigned long cmd, void *arg);
/* Tell the daemon and the user about an ioctl nobody decodes. */
long shim_unknown_ioctl(struct shim_conn *c, int fd, unsigned long cmd, int quiet);

ssize_t shim_dev_read(struct shim_conn *c, int fd, void *buf, size_t n);
ssize_t shim_dev_write(struct shim_conn *c, int fd, const void *buf, size_t n);

/* ---- VMA table (shim-mmap.c) -------------------------------------------- */

enum shim_vma_kind {
	SHIM_VMA_PRIVCMD = 1,
	SHIM_VMA_GNTDEV = 2,
	SHIM_VMA_GNTALLOC = 3,
};

/* Per page of a privcmd VMA. */
struct shim_vma_page {
	uint8_t mapped;
	uint8_t res_valid; /* mapped by MMAP_RESOURCE: origin below */
	uint16_t res_dom;
	uint32_t res_type;
	uint32_t res_id;
	uint32_t res_frame;
};

void shim_vma_lock(void);
void shim_vma_unlock(void);

/* privcmd MMAPBATCH / MMAP_RESOURCE: *_begin checks the VMA rules and
 * returns 0 with the VMA lock held (or -EINVAL, unlocked); *_end records
 * what got mapped and unlocks. */
int shim_privcmd_batch_begin(uintptr_t addr, size_t npages, int *prot);
void shim_privcmd_batch_end(uintptr_t addr, size_t npages, const int32_t *err, int used);
int shim_privcmd_resource_begin(uintptr_t addr, size_t npages, int *prot);
void shim_privcmd_resource_end(uintptr_t addr, size_t npages, uint16_t dom, uint32_t type,
			       uint32_t id, uint32_t idx, int ok);

/* Map frames from a reply (struct xsp_frames + xsp_frame[] at @p, fds in
 * @m) at @addr, one page each, with @prot (minus PROT_WRITE for RO
 * frames); if @err_or_null is given only pages with err 0 are mapped
 * (frames are consumed in order for them). Returns 0 or -errno. */
int shim_map_frames(uintptr_t addr, size_t npages, const unsigned char *p, size_t len,
		    const struct xsw_msg *m, int prot, const int32_t *err_or_null);

/* gntdev GET_OFFSET_FOR_VADDR. */
int shim_vma_gntdev_offset(uintptr_t vaddr, uint64_t *offset, uint32_t *count);

/* ioreq-server origin of the page at @addr (IOEVENTFD). */
int shim_vma_resource_at(uintptr_t addr, struct shim_vma_page *out);

void *shim_mmap_device(struct shim_conn *c, int fd, void *addr, size_t len, int prot,
		       int flags, off_t off);

/* fork: forget the mappings the child does not inherit. */
void shim_vma_atfork_child(void);
void shim_conn_atfork_child(void);
void shim_dev_atfork_child(void);

#endif /* XENSIM_SHIM_H */
