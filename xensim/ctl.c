/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The control API (xensim.h): every call is one short control connection
 * to the daemon carrying one text command (XSP_CONTROL_COMMAND); see
 * "Control commands" in xensim/DESIGN.md.
 *
 * Answers are parsed leniently: a value is found by key ("key=value"
 * tokens) when the answer has keys, else by position among the answer's
 * words; numbers may be decimal or 0x-hex.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"
#include "xensim.h"
#include "xs-compiler.h"

#define CTL_CHUNK 32768 /* bytes of guest memory per guest-read/write command */

struct answer {
	char *text; /* NUL-terminated */
	size_t len;
	int fd; /* first fd received, or -1 */
};

static void answer_free(struct answer *a)
{
	free(a->text);
	a->text = NULL;
	if (a->fd >= 0)
		shim_real()->close(a->fd);
	a->fd = -1;
}

/* Run @cmd; returns ret (>= 0) with *a filled, or -1 with errno (with
 * @keep_error, *a then holds the daemon's message if there is one). */
static int64_t ctl_run_keep(const char *cmd, size_t cmdlen, struct answer *a,
			    int keep_error)
{
	struct xsw_msg reply;
	const unsigned char *p;
	size_t len;
	int64_t ret;
	int sock, i;

	a->text = NULL;
	a->len = 0;
	a->fd = -1;
	if (!shim_socket_path()) {
		errno = ENXIO;
		return -1;
	}
	sock = shim_connect(XSP_DEV_CONTROL, O_CLOEXEC);
	if (sock < 0) {
		errno = ENXIO;
		return -1;
	}
	ret = xsw_call(sock, XSP_CONTROL_COMMAND, &(struct iovec){(void *)cmd, cmdlen}, 1,
		       NULL, 0, &reply);
	shim_real()->close(sock);
	if (ret < 0 && reply.type == 0) {
		xsw_msg_free(&reply);
		errno = ENXIO;
		return -1;
	}
	p = xsw_reply_data(&reply, &len);
	a->text = malloc(len + 1);
	if (!a->text) {
		xsw_msg_free(&reply);
		errno = ENOMEM;
		return -1;
	}
	if (len)
		memcpy(a->text, p, len);
	a->text[len] = '\0';
	a->len = len;
	if (reply.nfds > 0) {
		a->fd = reply.fds[0];
		reply.fds[0] = -1;
	}
	for (i = 1; i < reply.nfds; i++)
		; /* closed by xsw_msg_free */
	xsw_msg_free(&reply);
	if (ret < 0) {
		if (!keep_error)
			answer_free(a);
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static int64_t ctl_run(const char *cmd, size_t cmdlen, struct answer *a)
{
	return ctl_run_keep(cmd, cmdlen, a, 0);
}

static int64_t ctl_vrun(struct answer *a, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = EINVAL;
		return -1;
	}
	return ctl_run(buf, (size_t)n, a);
}

static int64_t ctl(struct answer *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int64_t ctl(struct answer *a, const char *fmt, ...)
{
	va_list ap;
	int64_t r;

	va_start(ap, fmt);
	r = ctl_vrun(a, fmt, ap);
	va_end(ap);
	return r;
}

/* Run a command whose answer does not matter: 0 or -1/errno. */
static int ctl0(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int ctl0(const char *fmt, ...)
{
	struct answer a;
	va_list ap;
	int64_t r;

	va_start(ap, fmt);
	r = ctl_vrun(&a, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	answer_free(&a);
	return 0;
}

/* ---- answer parsing ------------------------------------------------------ */

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
	char tmp[64], *end;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	errno = 0;
	if (tmp[0] == '-') {
		long long v = strtoll(tmp, &end, 0);

		if (*end || errno)
			return -1;
		*out = (uint64_t)v;
		return 0;
	}
	*out = strtoull(tmp, &end, 0);
	return *end || errno ? -1 : 0;
}

/*
 * Value of @key ("key=value" / "key: value"), or else of the @pos'th word
 * (0-based; for "key=value" words the value counts). 0 or -1.
 */
static int ans_num(const char *text, const char *key, int pos, uint64_t *out)
{
	const char *s = text;
	int idx = 0;

	if (key) {
		size_t kl = strlen(key);

		for (s = text; (s = strstr(s, key)) != NULL; s += kl) {
			const char *v = s + kl;

			if (s != text && (isalnum((unsigned char)s[-1]) || s[-1] == '_' ||
					  s[-1] == '-'))
				continue;
			if (*v == '=' || *v == ':') {
				size_t n;

				v++;
				while (*v == ' ')
					v++;
				n = strcspn(v, " \t\r\n,;");
				if (parse_u64(v, n, out) == 0)
					return 0;
			}
		}
	}
	if (pos < 0)
		return -1;
	for (s = text; *s;) {
		size_t n;
		const char *eq;

		s += strspn(s, " \t\r\n,;");
		if (!*s)
			break;
		n = strcspn(s, " \t\r\n,;");
		eq = memchr(s, '=', n);
		if (idx == pos) {
			if (eq)
				return parse_u64(eq + 1, n - (size_t)(eq + 1 - s), out);
			return parse_u64(s, n, out);
		}
		idx++;
		s += n;
	}
	return -1;
}

/* "key=A,B,C": up to @max values into @vals; returns how many. */
static unsigned int ans_list(const char *text, const char *key, uint64_t *vals,
			     unsigned int max)
{
	size_t kl = strlen(key);
	const char *s;

	for (s = text; (s = strstr(s, key)) != NULL; s += kl) {
		const char *v = s + kl;
		unsigned int n = 0;

		if (s != text && !isspace((unsigned char)s[-1]))
			continue;
		if (*v != '=')
			continue;
		v++;
		while (n < max) {
			size_t len = strcspn(v, " \t\r\n,;");

			if (parse_u64(v, len, &vals[n]) != 0)
				break;
			n++;
			v += len;
			if (*v != ',')
				break;
			v++;
		}
		return n;
	}
	return 0;
}

/* A command answering one number: the number (>= 0), or -1/errno. */
static int64_t ctl_number(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int64_t ctl_number(const char *key, const char *fmt, ...)
{
	struct answer a;
	uint64_t v;
	va_list ap;
	int64_t r;

	va_start(ap, fmt);
	r = ctl_vrun(&a, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	if (ans_num(a.text, key, 0, &v) != 0) {
		/* No text: the ret is the answer. */
		answer_free(&a);
		return r;
	}
	answer_free(&a);
	return (int64_t)v;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A negative timeout means "wait as long as it takes". */
static int wait_ms(int timeout_ms)
{
	return timeout_ms < 0 ? 0x7fffffff : timeout_ms;
}

/* ---- the API ---------------------------------------------------------------- */

XENSTABLE_EXPORT int xensim_available(void)
{
	int sock;

	if (!shim_socket_path())
		return 0;
	sock = shim_connect(XSP_DEV_CONTROL, O_CLOEXEC);
	if (sock < 0)
		return 0;
	shim_real()->close(sock);
	return 1;
}

XENSTABLE_EXPORT int xensim_reset(const char *scenario)
{
	struct answer a;
	size_t sl = scenario ? strlen(scenario) : 0;
	char *cmd = malloc(sl + 8);
	int64_t r;

	if (!cmd) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(cmd, "reset", 5);
	if (sl) {
		cmd[5] = ' ';
		memcpy(cmd + 6, scenario, sl);
	}
	r = ctl_run(cmd, sl ? sl + 6 : 5, &a);
	free(cmd);
	if (r < 0)
		return -1;
	answer_free(&a);
	return 0;
}

XENSTABLE_EXPORT int xensim_command(const char *command, char *reply, size_t reply_len)
{
	struct answer a;
	int64_t r;

	if (!command) {
		errno = EINVAL;
		return -1;
	}
	if (reply && reply_len)
		reply[0] = '\0';
	r = ctl_run_keep(command, strlen(command), &a, 1);
	/* The answer, or the daemon's error message. */
	if (reply && reply_len && a.text) {
		size_t n = a.len < reply_len - 1 ? a.len : reply_len - 1;

		memcpy(reply, a.text, n);
		reply[n] = '\0';
	}
	if (r < 0) {
		int e = errno;

		answer_free(&a);
		errno = e;
		return -1;
	}
	answer_free(&a);
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_write(uint16_t domid, uint64_t gpa, const void *buf,
					size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *b = buf;
	char *cmd;
	size_t done = 0;

	if (!buf && len) {
		errno = EINVAL;
		return -1;
	}
	cmd = malloc(64 + 2 * CTL_CHUNK);
	if (!cmd) {
		errno = ENOMEM;
		return -1;
	}
	while (done < len) {
		size_t n = len - done < CTL_CHUNK ? len - done : CTL_CHUNK, i;
		int hl = snprintf(cmd, 64, "guest-write %u 0x%" PRIx64 " ", domid,
				  gpa + done);
		struct answer a;

		for (i = 0; i < n; i++) {
			cmd[hl + 2 * i] = hex[b[done + i] >> 4];
			cmd[hl + 2 * i + 1] = hex[b[done + i] & 15];
		}
		if (ctl_run(cmd, (size_t)hl + 2 * n, &a) < 0) {
			int e = errno;

			free(cmd);
			errno = e;
			return -1;
		}
		answer_free(&a);
		done += n;
	}
	free(cmd);
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_read(uint16_t domid, uint64_t gpa, void *buf,
				       size_t len)
{
	unsigned char *b = buf;
	size_t done = 0;

	if (!buf && len) {
		errno = EINVAL;
		return -1;
	}
	while (done < len) {
		size_t n = len - done < CTL_CHUNK ? len - done : CTL_CHUNK, i;
		struct answer a;
		const char *t;

		if (ctl(&a, "guest-read %u 0x%" PRIx64 " %zu", domid, gpa + done, n) < 0)
			return -1;
		t = a.text + strspn(a.text, " \t\r\n");
		for (i = 0; i < n; i++) {
			int hi = hexval((unsigned char)t[2 * i]), lo;

			lo = hi < 0 ? -1 : hexval((unsigned char)t[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				answer_free(&a);
				errno = EPROTO;
				return -1;
			}
			b[done + i] = (unsigned char)(hi << 4 | lo);
		}
		answer_free(&a);
		done += n;
	}
	return 0;
}

XENSTABLE_EXPORT void *xensim_guest_map(uint16_t domid, size_t *size)
{
	struct answer a;
	uint64_t sz;
	void *p;
	int e;

	if (ctl(&a, "guest-memfd %u", domid) < 0)
		return NULL;
	if (a.fd < 0 || ans_num(a.text, "size", 0, &sz) != 0 || sz == 0) {
		if (a.fd >= 0) {
			struct stat st;

			if (fstat(a.fd, &st) == 0 && st.st_size > 0) {
				sz = (uint64_t)st.st_size;
				goto map;
			}
		}
		answer_free(&a);
		errno = EPROTO;
		return NULL;
	}
map:
	p = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, a.fd, 0);
	e = errno;
	answer_free(&a);
	if (p == MAP_FAILED) {
		errno = e;
		return NULL;
	}
	if (size)
		*size = (size_t)sz;
	return p;
}

XENSTABLE_EXPORT int xensim_guest_page_out(uint16_t domid, uint64_t gfn,
					   unsigned int retries)
{
	return ctl0("page-out %u 0x%" PRIx64 " %u", domid, gfn, retries);
}

XENSTABLE_EXPORT int xensim_guest_frame_error(uint16_t domid, uint64_t gfn, int err)
{
	return ctl0("frame-error %u 0x%" PRIx64 " %d", domid, gfn, err);
}

XENSTABLE_EXPORT int xensim_guest_grant(uint16_t granter, uint16_t grantee, uint64_t gfn,
					int readonly, uint32_t *ref)
{
	int64_t r = ctl_number("ref", "grant %u %u 0x%" PRIx64 "%s", granter, grantee,
			       gfn, readonly ? " ro" : "");

	if (r < 0)
		return -1;
	if (ref)
		*ref = (uint32_t)r;
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_ungrant(uint16_t granter, uint32_t ref)
{
	return ctl0("ungrant %u %u", granter, ref);
}

XENSTABLE_EXPORT void *xensim_guest_map_grant(uint16_t domid, uint16_t granter,
					      uint32_t ref, int readonly,
					      uint32_t *handle)
{
	struct answer a;
	uint64_t h, off;
	void *p;
	int e;

	if (ctl(&a, "grant-map %u %u %u%s", domid, granter, ref, readonly ? " ro" : "") <
	    0)
		return NULL;
	if (a.fd < 0 || ans_num(a.text, "handle", 0, &h) ||
	    ans_num(a.text, "offset", 1, &off)) {
		answer_free(&a);
		errno = EPROTO;
		return NULL;
	}
	p = mmap(NULL, 4096, PROT_READ | (readonly ? 0 : PROT_WRITE), MAP_SHARED, a.fd,
		 (off_t)off);
	e = errno;
	answer_free(&a);
	if (p == MAP_FAILED) {
		ctl0("grant-unmap %u %u", domid, (unsigned int)h);
		errno = e;
		return NULL;
	}
	if (handle)
		*handle = (uint32_t)h;
	return p;
}

XENSTABLE_EXPORT int xensim_guest_unmap_grant(uint16_t domid, uint32_t handle, void *page)
{
	if (page)
		munmap(page, 4096);
	return ctl0("grant-unmap %u %u", domid, handle);
}

XENSTABLE_EXPORT int xensim_grant_info(uint16_t granter, uint32_t ref,
				       struct xensim_grant_info *info)
{
	struct answer a;
	uint64_t v[4];

	if (!info) {
		errno = EINVAL;
		return -1;
	}
	if (ctl(&a, "grant-info %u %u", granter, ref) < 0)
		return -1;
	if (ans_num(a.text, "flags", 0, &v[0]) || ans_num(a.text, "domid", 1, &v[1]) ||
	    ans_num(a.text, "frame", 2, &v[2]) || ans_num(a.text, "mapcount", 3, &v[3])) {
		answer_free(&a);
		errno = EPROTO;
		return -1;
	}
	answer_free(&a);
	info->flags = (uint16_t)v[0];
	info->domid = (uint16_t)v[1];
	info->frame = (uint32_t)v[2];
	info->mapcount = (uint32_t)v[3];
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_evtchn_alloc_unbound(uint16_t domid, uint16_t remote,
						       uint32_t *port)
{
	int64_t r = ctl_number("port", "evtchn-alloc-unbound %u %u", domid, remote);

	if (r < 0)
		return -1;
	if (port)
		*port = (uint32_t)r;
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_evtchn_bind_interdomain(uint16_t domid, uint16_t remote,
							  uint32_t remote_port,
							  uint32_t *port)
{
	int64_t r = ctl_number("port", "evtchn-bind-interdomain %u %u %u", domid, remote,
			       remote_port);

	if (r < 0)
		return -1;
	if (port)
		*port = (uint32_t)r;
	return 0;
}

XENSTABLE_EXPORT int xensim_guest_evtchn_send(uint16_t domid, uint32_t port)
{
	return ctl0("evtchn-send %u %u", domid, port);
}

XENSTABLE_EXPORT int xensim_guest_evtchn_pending(uint16_t domid, uint32_t port, int clear)
{
	int64_t r = ctl_number("pending", "evtchn-pending %u %u%s", domid, port,
			       clear ? " clear" : "");

	return r < 0 ? -1 : (r ? 1 : 0);
}

XENSTABLE_EXPORT int xensim_guest_evtchn_close(uint16_t domid, uint32_t port)
{
	return ctl0("evtchn-close %u %u", domid, port);
}

XENSTABLE_EXPORT int xensim_guest_evtchn_wait(uint16_t domid, uint32_t port,
					      int timeout_ms)
{
	return ctl0("evtchn-wait %u %u %d", domid, port, wait_ms(timeout_ms));
}

XENSTABLE_EXPORT int xensim_raise_virq(uint16_t domid, unsigned int virq)
{
	return ctl0("virq %u %u", domid, virq);
}

XENSTABLE_EXPORT int xensim_static_evtchn(uint32_t port, uint16_t remote,
					  uint32_t remote_port)
{
	return ctl0("static-evtchn %u %u %u", port, remote, remote_port);
}

/* ---- guest I/O ------------------------------------------------------------ */

static const char *io_space(unsigned int space)
{
	switch (space) {
	case XENSIM_IO_PIO:
		return "pio";
	case XENSIM_IO_MMIO:
		return "mmio";
	case XENSIM_IO_PCI_CONFIG:
		return "pci";
	default:
		return NULL;
	}
}

static int io_words(const struct xensim_io *io, char *buf, size_t len)
{
	const char *sp = io ? io_space(io->space) : NULL;
	int n;

	if (!sp || (io->size != 1 && io->size != 2 && io->size != 4 && io->size != 8)) {
		errno = EINVAL;
		return -1;
	}
	if (io->write)
		n = snprintf(buf, len, "%s w 0x%" PRIx64 " %u 0x%" PRIx64, sp, io->addr,
			     io->size, io->data);
	else
		n = snprintf(buf, len, "%s r 0x%" PRIx64 " %u", sp, io->addr, io->size);
	return n < 0 || (size_t)n >= len ? (errno = EINVAL, -1) : 0;
}

/* "OUTCOME DATA": outcome as a word or a number. */
static int io_outcome(struct answer *a, uint64_t *data_out)
{
	static const char *const names[] = {"served", "unclaimed", "buffered",
					    "ioeventfd"};
	const char *t = a->text + strspn(a->text, " \t\r\n");
	uint64_t v;
	unsigned int i;
	int outcome = -1;

	for (i = 0; i < XS_ARRAY_SIZE(names); i++) {
		size_t n = strlen(names[i]);

		if (strncasecmp(t, names[i], n) == 0 && !isalnum((unsigned char)t[n])) {
			outcome = (int)i;
			break;
		}
	}
	if (outcome < 0) {
		if (ans_num(a->text, "outcome", 0, &v) != 0) {
			errno = EPROTO;
			return -1;
		}
		outcome = (int)v;
	}
	if (data_out) {
		if (ans_num(a->text, "data", 1, &v) == 0)
			*data_out = v;
		else
			*data_out = 0;
	}
	return outcome;
}

XENSTABLE_EXPORT int xensim_guest_io(uint16_t domid, unsigned int vcpu,
				     const struct xensim_io *io, uint64_t *data_out,
				     int timeout_ms)
{
	char words[160];
	struct answer a;
	int r;

	if (io_words(io, words, sizeof(words)) < 0)
		return -1;
	if (ctl(&a, "io %u %u %s%s %d", domid, vcpu, words, io->write ? "" : " 0",
		wait_ms(timeout_ms)) < 0)
		return -1;
	r = io_outcome(&a, data_out);
	answer_free(&a);
	return r;
}

XENSTABLE_EXPORT int xensim_guest_io_submit(uint16_t domid, unsigned int vcpu,
					    const struct xensim_io *io)
{
	char words[160];
	int64_t r;

	if (io_words(io, words, sizeof(words)) < 0)
		return -1;
	r = ctl_number("ticket", "io-submit %u %u %s", domid, vcpu, words);
	return r < 0 ? -1 : (int)r;
}

XENSTABLE_EXPORT int xensim_guest_io_wait(int ticket, uint64_t *data_out, int timeout_ms)
{
	struct answer a;
	int r;

	if (ctl(&a, "io-wait %d %d", ticket, wait_ms(timeout_ms)) < 0)
		return -1;
	r = io_outcome(&a, data_out);
	answer_free(&a);
	return r;
}

static int rep_words(const struct xensim_io_rep *rep, char *buf, size_t len)
{
	const char *sp = rep ? io_space(rep->space) : NULL;
	int n;

	if (!sp || rep->space == XENSIM_IO_PCI_CONFIG) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(buf, len, "%s %s 0x%" PRIx64 " %u %" PRIu32 " 0x%" PRIx64 " %d", sp,
		     rep->write ? "w" : "r", rep->addr, rep->size, rep->count, rep->gpa,
		     rep->df ? 1 : 0);
	return n < 0 || (size_t)n >= len ? (errno = EINVAL, -1) : 0;
}

XENSTABLE_EXPORT int xensim_guest_io_rep(uint16_t domid, unsigned int vcpu,
					 const struct xensim_io_rep *rep, uint32_t *done,
					 int timeout_ms)
{
	char words[160];
	struct answer a;
	uint64_t v = 0;
	int r;

	if (rep_words(rep, words, sizeof(words)) < 0)
		return -1;
	if (ctl(&a, "io-rep %u %u %s %d", domid, vcpu, words, wait_ms(timeout_ms)) < 0)
		return -1;
	r = io_outcome(&a, &v);
	answer_free(&a);
	if (done)
		*done = (uint32_t)v;
	return r;
}

XENSTABLE_EXPORT int xensim_guest_io_rep_submit(uint16_t domid, unsigned int vcpu,
						const struct xensim_io_rep *rep)
{
	char words[160];
	int64_t r;

	if (rep_words(rep, words, sizeof(words)) < 0)
		return -1;
	r = ctl_number("ticket", "io-rep-submit %u %u %s", domid, vcpu, words);
	return r < 0 ? -1 : (int)r;
}

XENSTABLE_EXPORT int xensim_guest_io_broadcast(uint16_t domid, unsigned int vcpu,
					       unsigned int *servers, int timeout_ms)
{
	struct answer a;
	uint64_t v = 0;
	int r;

	if (ctl(&a, "io-broadcast %u %u %d", domid, vcpu, wait_ms(timeout_ms)) < 0)
		return -1;
	r = io_outcome(&a, &v);
	answer_free(&a);
	if (servers)
		*servers = (unsigned int)v;
	return r;
}

XENSTABLE_EXPORT int xensim_guest_io_broadcast_submit(uint16_t domid, unsigned int vcpu)
{
	int64_t r = ctl_number("ticket", "io-broadcast-submit %u %u", domid, vcpu);

	return r < 0 ? -1 : (int)r;
}

/* ---- inspection -------------------------------------------------------- */

/* An inspection answering one int: ctl_number()'s answer as an int. */
#define show_int(key, ...) ((int)ctl_number((key), __VA_ARGS__))

XENSTABLE_EXPORT int xensim_isa_irq_level(uint16_t domid, unsigned int irq)
{
	return show_int("level", "show isa-irq %u %u", domid, irq);
}

XENSTABLE_EXPORT int xensim_pci_intx_level(uint16_t domid, uint16_t seg, uint8_t bus,
					   uint8_t dev, unsigned int intx)
{
	return show_int("level", "show pci-intx %u %u %u %u %u", domid, seg, bus, dev,
			intx);
}

XENSTABLE_EXPORT int xensim_irq_level(uint16_t domid, unsigned int irq)
{
	return show_int("level", "show irq %u %u", domid, irq);
}

XENSTABLE_EXPORT int xensim_pci_link_route(uint16_t domid, unsigned int link)
{
	return show_int("isa_irq", "show link-route %u %u", domid, link);
}

XENSTABLE_EXPORT int xensim_irq_assert_count(uint16_t domid, unsigned int irq)
{
	return show_int("asserts", "show irq-asserts %u %u", domid, irq);
}

/* Lines of numbers: each line with at least @min numbers is an entry. */
static int lines_of(const char *text, int min, uint64_t *vals, int maxvals, int line_idx)
{
	const char *s = text;
	int entry = 0;

	while (*s) {
		size_t ll = strcspn(s, "\n");
		char *line = strndup(s, ll);
		int n = 0, k;
		uint64_t v;

		if (!line)
			return -1;
		for (k = 0; k < 16 && ans_num(line, NULL, k, &v) == 0; k++) {
			if (entry == line_idx && n < maxvals)
				vals[n] = v;
			n++;
		}
		free(line);
		if (n >= min) {
			if (entry == line_idx)
				return n;
			entry++;
		}
		s += ll;
		if (*s)
			s++;
	}
	return line_idx < 0 ? entry : -1;
}

XENSTABLE_EXPORT int xensim_msis(uint16_t domid, struct xensim_msi *out, int max)
{
	struct answer a;
	int n, i;

	if (max < 0 || (max && !out)) {
		errno = EINVAL;
		return -1;
	}
	if (ctl(&a, "show msis %u", domid) < 0)
		return -1;
	n = lines_of(a.text, 2, NULL, 0, -1);
	for (i = 0; i < n && i < max; i++) {
		uint64_t v[2] = {0, 0};

		lines_of(a.text, 2, v, 2, i);
		out[i].addr = v[0];
		out[i].data = (uint32_t)v[1];
	}
	answer_free(&a);
	return n;
}

XENSTABLE_EXPORT int xensim_mem_type(uint16_t domid, uint64_t gfn)
{
	return show_int("type", "show mem-type %u 0x%" PRIx64, domid, gfn);
}

XENSTABLE_EXPORT int xensim_ioreq_server(uint16_t domid, uint16_t id,
					 struct xensim_ioreq_server_info *info)
{
	struct answer a;
	uint64_t v, list[8] = {0};
	unsigned int i;

	if (!info) {
		errno = EINVAL;
		return -1;
	}
	memset(info, 0, sizeof(*info));
	if (ctl(&a, "show ioreq-server %u %u", domid, id) < 0) {
		if (errno == ENOENT)
			return 0; /* exists = 0 */
		return -1;
	}
	/* exists=1 enabled=E bufioreq=B ranges=P,M,C mem-type=T
	 * bufioreq-port=N vcpu-ports=A,B,... */
	info->exists = ans_num(a.text, "exists", -1, &v) == 0 ? (int)v : 1;
	if (ans_num(a.text, "enabled", -1, &v) == 0)
		info->enabled = (int)v;
	if (ans_num(a.text, "bufioreq", -1, &v) == 0)
		info->bufioreq = (int)v;
	ans_list(a.text, "ranges", list, 3);
	for (i = 0; i < 3; i++)
		info->nr_ranges[i] = (uint32_t)list[i];
	if (ans_num(a.text, "mem-type", -1, &v) == 0)
		info->mem_type_claimed = (int)v;
	if (ans_num(a.text, "bufioreq-port", -1, &v) == 0)
		info->bufioreq_port = (uint32_t)v;
	memset(list, 0, sizeof(list));
	ans_list(a.text, "vcpu-ports", list, XS_ARRAY_SIZE(info->vcpu_port));
	for (i = 0; i < XS_ARRAY_SIZE(info->vcpu_port); i++)
		info->vcpu_port[i] = (uint32_t)list[i];
	answer_free(&a);
	return 0;
}

XENSTABLE_EXPORT int xensim_ioreq_server_has_range(uint16_t domid, uint16_t id,
						   unsigned int type, uint64_t start,
						   uint64_t end)
{
	return show_int("present", "show ioreq-range %u %u %u 0x%" PRIx64 " 0x%" PRIx64,
			domid, id, type, start, end);
}

XENSTABLE_EXPORT int xensim_shutdown_reason(uint16_t domid)
{
	return show_int("reason", "show shutdown %u", domid);
}

XENSTABLE_EXPORT int xensim_modified(uint16_t domid, uint64_t gfn)
{
	return show_int("modified", "show modified %u 0x%" PRIx64, domid, gfn);
}

XENSTABLE_EXPORT int xensim_guest_dirty(uint16_t domid, uint64_t gfn)
{
	return ctl0("guest-dirty %u 0x%" PRIx64, domid, gfn);
}

XENSTABLE_EXPORT int xensim_events(uint16_t domid, struct xensim_event *out, int max)
{
	struct answer a;
	int n, i;

	if (max < 0 || (max && !out)) {
		errno = EINVAL;
		return -1;
	}
	if (ctl(&a, "show events %u", domid) < 0)
		return -1;
	n = lines_of(a.text, 6, NULL, 0, -1);
	for (i = 0; i < n && i < max; i++) {
		uint64_t v[6] = {0};

		lines_of(a.text, 6, v, 6, i);
		out[i].vcpu = (uint32_t)v[0];
		out[i].vector = (uint8_t)v[1];
		out[i].type = (uint8_t)v[2];
		out[i].insn_len = (uint8_t)v[3];
		out[i].error_code = (uint32_t)v[4];
		out[i].extra = v[5];
	}
	answer_free(&a);
	return n;
}

XENSTABLE_EXPORT int xensim_cacheattr(uint16_t domid, uint64_t gfn)
{
	return show_int("type", "show cacheattr %u 0x%" PRIx64, domid, gfn);
}

XENSTABLE_EXPORT int xensim_inject(const char *what, unsigned int nth, unsigned int count,
				   int err)
{
	if (!what || !*what || strpbrk(what, " \t\r\n")) {
		errno = EINVAL;
		return -1;
	}
	return ctl0("inject %s %u %u %d", what, nth, count, err);
}

XENSTABLE_EXPORT int xensim_inject_clear(void)
{
	return ctl0("inject-clear");
}
