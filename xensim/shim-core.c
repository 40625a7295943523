/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The shim's core: the real libc functions, the environment, diagnostics,
 * the table of known device connections and user-memory access.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "shim.h"

/* ---- real functions ----------------------------------------------------- */

static struct shim_real real;
static int real_done;

#define RESOLVE(field, name)                                                             \
	do {                                                                             \
		if (!real.field)                                                         \
			*(void **)&real.field = dlsym(RTLD_NEXT, name);                  \
	} while (0)

const struct shim_real *shim_real(void)
{
	if (__atomic_load_n(&real_done, __ATOMIC_ACQUIRE))
		return &real;
	RESOLVE(open, "open");
	RESOLVE(open64, "open64");
	RESOLVE(openat, "openat");
	RESOLVE(openat64, "openat64");
	RESOLVE(open_2, "__open_2");
	RESOLVE(open64_2, "__open64_2");
	RESOLVE(openat_2, "__openat_2");
	RESOLVE(openat64_2, "__openat64_2");
	RESOLVE(fopen, "fopen");
	RESOLVE(fopen64, "fopen64");
	RESOLVE(ioctl, "ioctl");
	RESOLVE(syscall, "syscall");
	RESOLVE(mmap, "mmap");
	RESOLVE(mmap64, "mmap64");
	RESOLVE(munmap, "munmap");
	RESOLVE(read, "read");
	RESOLVE(read_chk, "__read_chk");
	RESOLVE(write, "write");
	RESOLVE(close, "close");
	__atomic_store_n(&real_done, 1, __ATOMIC_RELEASE);
	return &real;
}

/* ---- environment and diagnostics --------------------------------------- */

const char *shim_socket_path(void)
{
	const char *p = getenv(XENSIM_ENV_SOCKET);

	return p && *p ? p : NULL;
}

void shim_diag(const char *fmt, ...)
{
	const char *q = getenv(XENSIM_ENV_QUIET);
	char buf[512];
	va_list ap;
	int n;

	if (q && strcmp(q, "1") == 0)
		return;
	memcpy(buf, "xensim: ", 8);
	va_start(ap, fmt);
	n = vsnprintf(buf + 8, sizeof(buf) - 9, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += 8;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (shim_real()->write)
		(void)!shim_real()->write(2, buf, (size_t)n);
	else
		(void)!syscall(SYS_write, 2, buf, (size_t)n);
}

const char *shim_dev_name(int device)
{
	const char *path = xsp_dev_path(device);

	if (path)
		return path;
	return device == XSP_DEV_CONTROL ? "xensim control" : "?";
}

/* ---- connections -------------------------------------------------------- */

static int close_raw(int fd)
{
	if (shim_real()->close)
		return shim_real()->close(fd);
	return (int)syscall(SYS_close, fd);
}

int shim_connect(int device, int open_flags)
{
	unsigned int flags;

	return shim_connect_flags(device, open_flags, &flags);
}

int shim_connect_flags(int device, int open_flags, unsigned int *hello_flags)
{
	const char *path = shim_socket_path();
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct xsp_hello hello = {.version = XSP_VERSION};
	struct xsw_msg reply;
	int64_t ret;
	int fd, type = SOCK_STREAM;

	if (!path)
		return -ENOENT;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	if (open_flags & O_CLOEXEC)
		type |= SOCK_CLOEXEC;
	fd = socket(AF_UNIX, type, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close_raw(fd);
		shim_diag("cannot reach the simulator at %s: %s", path, strerror(e));
		return -ENOENT;
	}
	hello.device = (uint32_t)device;
	hello.open_flags = (uint32_t)open_flags;
	hello.pid = (int32_t)getpid();
	(void)prctl(PR_GET_NAME, hello.comm, 0, 0, 0);
	ret = xsw_call(fd, XSP_HELLO, &(struct iovec){&hello, sizeof(hello)}, 1, NULL, 0,
		       &reply);
	xsw_msg_free(&reply);
	if (ret < 0) {
		close_raw(fd);
		if (ret == -EPIPE || ret == -ECONNRESET || ret == -EPROTO)
			ret = -ENOENT;
		return (int)ret;
	}
	*hello_flags = (unsigned int)ret;
	if ((open_flags & O_NONBLOCK) && fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;

		close_raw(fd);
		return -e;
	}
	return fd;
}

static pthread_mutex_t conn_table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shim_conn **conns;
static size_t nconns, conns_cap;
static int conns_live; /* entries with ino != 0 */

static struct shim_conn *lookup_locked(dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < nconns; i++)
		if (conns[i]->ino == ino && conns[i]->dev == dev)
			return conns[i];
	return NULL;
}

static struct shim_conn *add_locked(dev_t dev, ino_t ino, int device)
{
	struct shim_conn *c = lookup_locked(dev, ino);
	size_t i;

	if (c) {
		c->device = device;
		return c;
	}
	for (i = 0; i < nconns; i++)
		if (conns[i]->ino == 0) {
			c = conns[i];
			break;
		}
	if (!c) {
		if (nconns == conns_cap) {
			size_t ncap = conns_cap ? conns_cap * 2 : 16;
			struct shim_conn **n = realloc(conns, ncap * sizeof(*n));

			if (!n)
				return NULL;
			conns = n;
			conns_cap = ncap;
		}
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		pthread_mutex_init(&c->lock, NULL);
		conns[nconns++] = c;
	}
	c->dev = dev;
	c->ino = ino;
	c->device = device;
	c->restricted = 0;
	c->restrict_domid = 0;
	c->compat32 = 0;
	conns_live++;
	return c;
}

struct shim_conn *shim_conn_add(int fd, int device)
{
	struct shim_conn *c;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return NULL;
	pthread_mutex_lock(&conn_table_lock);
	c = add_locked(st.st_dev, st.st_ino, device);
	pthread_mutex_unlock(&conn_table_lock);
	return c;
}

/* Is @fd connected to the daemon's socket? */
static int peer_is_daemon(int fd)
{
	const char *path = shim_socket_path();
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);

	if (!path)
		return 0;
	memset(&sa, 0, sizeof(sa));
	if (getpeername(fd, (struct sockaddr *)&sa, &len) < 0 || sa.sun_family != AF_UNIX)
		return 0;
	if (len <= offsetof(struct sockaddr_un, sun_path))
		return 0;
	sa.sun_path[sizeof(sa.sun_path) - 1] = '\0';
	return strcmp(sa.sun_path, path) == 0;
}

static pthread_mutex_t ident_lock = PTHREAD_MUTEX_INITIALIZER;

struct shim_conn *shim_conn_get(int fd)
{
	struct shim_conn *c;
	struct xsw_msg reply;
	struct stat st;
	int64_t ret;

	if (fd < 0)
		return NULL;
	if (!__atomic_load_n(&conns_live, __ATOMIC_RELAXED) && !shim_socket_path())
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return NULL;
	pthread_mutex_lock(&conn_table_lock);
	c = lookup_locked(st.st_dev, st.st_ino);
	pthread_mutex_unlock(&conn_table_lock);
	if (c)
		return c;
	/* A connection we did not open (inherited across exec)? */
	if (!peer_is_daemon(fd))
		return NULL;
	pthread_mutex_lock(&ident_lock);
	pthread_mutex_lock(&conn_table_lock);
	c = lookup_locked(st.st_dev, st.st_ino);
	pthread_mutex_unlock(&conn_table_lock);
	if (!c) {
		ret = xsw_call(fd, XSP_IDENT, NULL, 0, NULL, 0, &reply);
		xsw_msg_free(&reply);
		if ((ret & 0xffff) > XSP_DEV_NONE && (ret & 0xffff) < XSP_DEV_CONTROL) {
			pthread_mutex_lock(&conn_table_lock);
			c = add_locked(st.st_dev, st.st_ino, (int)(ret & 0xffff));
			if (c)
				c->compat32 = !!((ret >> 16) & XSP_HELLO_COMPAT32);
			pthread_mutex_unlock(&conn_table_lock);
		}
	}
	pthread_mutex_unlock(&ident_lock);
	return c;
}

/* Does any fd of this process still refer to socket inode @ino? */
static int ino_still_open(ino_t ino)
{
	char want[64], link[64], path[300];
	struct dirent *de;
	DIR *d;
	int found = 0;

	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)ino);
	d = opendir("/proc/self/fd");
	if (!d)
		return 1; /* cannot tell: keep */
	while ((de = readdir(d)) != NULL) {
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, want) == 0) {
			found = 1;
			break;
		}
	}
	closedir(d);
	return found;
}

void shim_conn_forget_if_unused(dev_t dev, ino_t ino)
{
	struct shim_conn *c;

	pthread_mutex_lock(&conn_table_lock);
	c = lookup_locked(dev, ino);
	pthread_mutex_unlock(&conn_table_lock);
	if (!c || ino_still_open(ino))
		return;
	pthread_mutex_lock(&conn_table_lock);
	if (c->ino == ino && c->dev == dev) {
		c->ino = 0;
		c->dev = 0;
		conns_live--;
	}
	pthread_mutex_unlock(&conn_table_lock);
}

int shim_conn_known(int fd, dev_t *dev, ino_t *ino)
{
	struct stat st;
	int known;

	if (!__atomic_load_n(&conns_live, __ATOMIC_RELAXED))
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	pthread_mutex_lock(&conn_table_lock);
	known = lookup_locked(st.st_dev, st.st_ino) != NULL;
	pthread_mutex_unlock(&conn_table_lock);
	*dev = st.st_dev;
	*ino = st.st_ino;
	return known;
}

void shim_conn_atfork_child(void)
{
	size_t i;

	pthread_mutex_init(&conn_table_lock, NULL);
	pthread_mutex_init(&ident_lock, NULL);
	for (i = 0; i < nconns; i++)
		pthread_mutex_init(&conns[i]->lock, NULL);
}

/*
 * xsw_call(), counting the XSP_WAKEs that arrived before the reply (and
 * dropping those that were there before the request).
 */
static int64_t call_counting_wakes(int fd, uint32_t type, const struct iovec *iov,
				   int iovcnt, const int *fds, int nfds,
				   struct xsw_msg *reply, int *wakes)
{
	/* Wakes already waiting are old news (every request consumes them);
	 * only those that arrive after the request count. */
	for (;;) {
		if (xsw_recv(fd, reply, 1) != 0)
			break;
		if (reply->type != XSP_WAKE) {
			xsw_msg_free(reply);
			return -EPROTO;
		}
		xsw_msg_free(reply);
	}
	return xsw_call_wakes(fd, type, iov, iovcnt, fds, nfds, reply, wakes);
}

int64_t shim_call(struct shim_conn *c, int fd, uint32_t type, const struct iovec *iov,
		  int iovcnt, const int *fds, int nfds, struct xsw_msg *reply)
{
	int64_t ret;
	int wakes = 0, i;

	pthread_mutex_lock(&c->lock);
	ret = call_counting_wakes(fd, type, iov, iovcnt, fds, nfds, reply, &wakes);
	/*
	 * A wake that came before the reply (the device became readable
	 * while the daemon handled the request) was consumed here, and the
	 * socket must stay readable for poll(). The daemon sends a wake
	 * after a reply when the device is readable, but may skip it if it
	 * thinks its earlier wake is still outstanding: ask again with a
	 * request of no consequence, whose reply is followed by a fresh
	 * wake if the device is still readable.
	 */
	for (i = 0; wakes && i < 3 && ret != -EPIPE && ret != -ECONNRESET; i++) {
		struct xsw_msg ident;

		wakes = 0;
		if (call_counting_wakes(fd, XSP_IDENT, NULL, 0, NULL, 0, &ident, &wakes) <
		    0) {
			xsw_msg_free(&ident);
			break;
		}
		xsw_msg_free(&ident);
	}
	pthread_mutex_unlock(&c->lock);
	if (ret < 0 && reply->type == 0 && reply->len == 0) {
		/* Transport failure: the simulated device has gone away. */
		if (ret == -EPIPE || ret == -ECONNRESET || ret == -EPROTO ||
		    ret == -ENOTCONN)
			ret = -ENODEV;
	}
	return ret;
}

int64_t shim_call_buf(struct shim_conn *c, int fd, uint32_t type, const void *buf,
		      size_t len, struct xsw_msg *reply)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};

	return shim_call(c, fd, type, &iov, len ? 1 : 0, NULL, 0, reply);
}

int64_t shim_call_ret(struct shim_conn *c, int fd, uint32_t type, const void *buf,
		      size_t len)
{
	struct xsw_msg reply;
	int64_t ret = shim_call_buf(c, fd, type, buf, len, &reply);

	xsw_msg_free(&reply);
	return ret;
}

/* ---- user memory -------------------------------------------------------- */

static int vm_unavailable; /* process_vm_* missing (ENOSYS) or forbidden */

/*
 * process_vm_readv/writev may be missing or forbidden (seccomp profiles
 * of container runtimes often refuse them). Then copy through a pipe:
 * the kernel itself reads and writes the caller's memory in write() and
 * read(), so a bad pointer is still EFAULT and never a crash.
 * XENSIM_SHIM_COPY=pipe forces this path (for tests).
 */
static int use_pipe_copy(void)
{
	const char *e;

	if (vm_unavailable)
		return 1;
	e = getenv("XENSIM_SHIM_COPY");
	return e && strcmp(e, "pipe") == 0;
}

static int pipe_copy(void *dst, const void *src, size_t len)
{
	const struct shim_real *r = shim_real();
	int p[2], rc = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	while (len > 0 && rc == 0) {
		size_t n = len < 32768 ? len : 32768; /* fits an empty pipe */
		ssize_t w = r->write(p[1], src, n), got;

		if (w <= 0) {
			rc = -EFAULT;
			break;
		}
		got = r->read(p[0], dst, (size_t)w);
		if (got != w) {
			rc = -EFAULT;
			break;
		}
		src = (const char *)src + w;
		dst = (char *)dst + w;
		len -= (size_t)w;
	}
	close_raw(p[0]);
	close_raw(p[1]);
	return rc;
}

int shim_copy_from_user(void *dst, const void *uaddr, size_t len)
{
	struct iovec l = {dst, len}, r = {(void *)uaddr, len};
	ssize_t n;

	if (len == 0)
		return 0;
	if (!use_pipe_copy()) {
		n = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		if (errno != ENOSYS && errno != EPERM)
			return -EFAULT;
		vm_unavailable = 1;
	}
	return pipe_copy(dst, uaddr, len);
}

int shim_copy_to_user(void *uaddr, const void *src, size_t len)
{
	struct iovec l = {(void *)src, len}, r = {uaddr, len};
	ssize_t n;

	if (len == 0)
		return 0;
	if (!use_pipe_copy()) {
		n = process_vm_writev(getpid(), &l, 1, &r, 1, 0);
		if (n == (ssize_t)len) {
			/* Again in plain C, so that memory checkers see the
			 * store (valgrind does not track process_vm_writev
			 * into ourselves). The range is known writable. */
			memcpy(uaddr, src, len);
			return 0;
		}
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		if (errno != ENOSYS && errno != EPERM)
			return -EFAULT;
		vm_unavailable = 1;
	}
	return pipe_copy(uaddr, src, len);
}

/* ---- initialisation ----------------------------------------------------- */

static void atfork_child(void)
{
	shim_conn_atfork_child();
	shim_vma_atfork_child();
	shim_dev_atfork_child();
}

__attribute__((constructor)) static void shim_init(void)
{
	(void)shim_real();
	pthread_atfork(NULL, NULL, atfork_child);
}
