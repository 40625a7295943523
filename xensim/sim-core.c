/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The xensim daemon's core: one poll loop over the listening socket, the
 * client connections (one per open simulated file), timers and extra fds.
 * Requests are dispatched by message type to the part that owns them; the
 * core sends the reply and keeps the readiness promise of protocol.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim-int.h"

struct sim_timer {
	long id;
	uint64_t due;
	sim_timer_cb *cb;
	void *arg;
	struct sim_timer *next;
};

struct sim_watch {
	int fd;
	sim_watch_cb *cb;
	void *arg;
	bool dead;
	struct sim_watch *next;
};

/* Extra per-connection flags the core keeps next to struct sim_conn. */
struct core_conn {
	struct sim_conn c;
	bool hello_done;
	bool dead;		/* drop at the end of this loop iteration */
	bool released;		/* release hooks already ran (detach) */
	bool close_after;	/* HELLO failed: close once the answer is out */
	uint32_t deferred_type; /* request whose answer a part deferred, or 0 */
	bool in_dispatch;	/* its request is being handled right now */
};

static struct core_conn *cc(struct sim_conn *c)
{
	return (struct core_conn *)c;
}

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- buffers and replies ---------------------------------------------- */

void *sim_buf_put(struct sim_buf *b, const void *data, size_t len)
{
	void *dst;

	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *p;

		while (cap < b->len + len)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return NULL;
		b->p = p;
		b->cap = cap;
	}
	dst = b->p + b->len;
	if (data)
		memcpy(dst, data, len);
	else
		memset(dst, 0, len);
	b->len += len;
	return dst;
}

void sim_buf_free(struct sim_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int sim_reply_put(struct sim_reply *r, const void *data, size_t len)
{
	if (!len)
		return 0;
	return sim_buf_put(&r->data, data, len) ? 0 : -ENOMEM;
}

int sim_req_fixed(const struct xsw_msg *m, void *req, size_t size)
{
	if (m->len < size)
		return -EINVAL;
	memcpy(req, m->data, size);
	return 0;
}

const void *sim_req_array(const struct xsw_msg *m, size_t hdr, size_t count, size_t elem)
{
	if (m->len < hdr)
		return NULL;
	/* divide rather than multiply: no overflow whatever @count says */
	if (elem && (m->len - hdr) / elem < count)
		return NULL;
	return m->data + hdr;
}

int sim_reply_fd(struct sim_reply *r, int fd, bool owned)
{
	int i;

	for (i = 0; i < r->nfds; i++)
		if (r->fds[i] == fd) {
			r->fd_owned[i] = r->fd_owned[i] || owned;
			return i;
		}
	if (r->nfds >= XSP_MAX_FDS)
		return -E2BIG;
	r->fds[r->nfds] = fd;
	r->fd_owned[r->nfds] = owned;
	return r->nfds++;
}

int sim_reply_frames(struct sim_reply *r, const struct sim_frame *frames, size_t n)
{
	struct xsp_frames *hdr;
	size_t hdr_off = r->data.len, i;

	if (n > UINT32_MAX)
		return -E2BIG;
	if (!sim_buf_put(&r->data, NULL, sizeof(*hdr)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct xsp_frame f = {0};
		int idx = sim_reply_fd(r, frames[i].fd, false);

		if (idx < 0)
			return idx;
		f.fd_index = idx;
		f.flags = frames[i].ro ? XSP_FRAME_RO : 0;
		f.offset = frames[i].offset;
		if (!sim_buf_put(&r->data, &f, sizeof(f)))
			return -ENOMEM;
	}
	hdr = (struct xsp_frames *)(void *)(r->data.p + hdr_off);
	hdr->nframes = (uint32_t)n;
	hdr->nfds = (uint32_t)r->nfds;
	return 0;
}

void sim_reply_defer(struct sim_reply *r)
{
	r->deferred = true;
}

static void reply_release(struct sim_reply *r)
{
	int i;

	for (i = 0; i < r->nfds; i++)
		if (r->fd_owned[i])
			close(r->fds[i]);
	sim_buf_free(&r->data);
	r->nfds = 0;
}

/* ---- connections ------------------------------------------------------- */

struct sim_conn *sim_conns(struct sim *s)
{
	return s->conns;
}

static void send_wake_if_readable(struct sim *s, struct sim_conn *c)
{
	bool readable;

	if (c->state != SIM_CONN_OPEN || cc(c)->dead || !cc(c)->hello_done)
		return;
	switch (c->dev) {
	case XSP_DEV_EVTCHN:
		readable = sim_evtchn_conn_readable(s, c);
		break;
	case XSP_DEV_NONE:
	case XSP_DEV_CONTROL:
		readable = false;
		break;
	default:
		readable = true; /* a misc device without poll */
		break;
	}
	if (readable && !c->wake_outstanding) {
		if (xsw_send(c->sock, XSP_WAKE, NULL, 0, NULL, 0) == 0)
			c->wake_outstanding = true;
		else
			cc(c)->dead = true;
	}
}

void sim_conn_readiness_changed(struct sim *s, struct sim_conn *c)
{
	send_wake_if_readable(s, c);
}

static int send_reply(struct sim *s, struct sim_conn *c, uint32_t type, int64_t ret,
		      const void *data, size_t len, const int *fds, int nfds)
{
	struct xsp_reply rep = {.ret = ret};
	struct iovec iov[2] = {
		{.iov_base = &rep, .iov_len = sizeof(rep)},
		{.iov_base = (void *)data, .iov_len = len},
	};
	int rc;

	rc = xsw_send(c->sock, type | XSP_REPLY, iov, len ? 2 : 1, fds, nfds);
	if (rc) {
		cc(c)->dead = true;
		return rc;
	}
	send_wake_if_readable(s, c);
	return 0;
}

int sim_conn_reply(struct sim *s, struct sim_conn *c, uint32_t type, int64_t ret,
		   const void *data, size_t len, const int *fds, int nfds)
{
	if (cc(c)->dead)
		return -EPIPE;
	cc(c)->deferred_type = 0;
	return send_reply(s, c, type, ret, data, len, fds, nfds);
}

static void conn_release(struct sim *s, struct sim_conn *c)
{
	if (cc(c)->released)
		return;
	cc(c)->released = true;
	sim_evtchn_conn_release(s, c);
	sim_gnttab_conn_release(s, c);
	sim_dm_conn_release(s, c);
}

void sim_detach_all(struct sim *s)
{
	struct sim_conn *c;

	for (c = s->conns; c; c = c->next) {
		if (c->dev == XSP_DEV_CONTROL || c->dev == XSP_DEV_NONE)
			continue;
		if (c->state == SIM_CONN_DETACHED)
			continue;
		conn_release(s, c);
		c->state = SIM_CONN_DETACHED;
		/* a request still waiting for its answer gets one */
		if (cc(c)->deferred_type && !cc(c)->dead && !cc(c)->in_dispatch) {
			uint32_t type = cc(c)->deferred_type;

			cc(c)->deferred_type = 0;
			send_reply(s, c, type, -ENODEV, NULL, 0, NULL, 0);
		}
	}
}

static void accept_conn(struct sim *s)
{
	struct core_conn *n;
	int fd;

	fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	n = calloc(1, sizeof(*n));
	if (!n) {
		close(fd);
		return;
	}
	n->c.sock = fd;
	n->c.dev = XSP_DEV_NONE;
	n->c.state = SIM_CONN_OPEN;
	n->c.restrict_domid = SIM_DOMID_INVALID;
	n->c.id = ++s->next_conn_id;
	n->c.next = s->conns;
	s->conns = &n->c;
}

static const char *dev_path(enum xsp_device dev)
{
	const char *path = xsp_dev_path((int)dev);

	if (path)
		return path;
	return dev == XSP_DEV_CONTROL ? "control" : "?";
}

const char *sim_dev_name(enum xsp_device dev)
{
	return dev_path(dev);
}

static int64_t handle_hello(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_hello h;
	enum sim_feature need;
	char what[64];
	int rc;

	if (cc(c)->hello_done)
		return -EINVAL;
	if ((rc = sim_req_fixed(m, &h, sizeof(h))))
		return rc;
	if (h.version != XSP_VERSION)
		return -EPROTO;
	switch (h.device) {
	case XSP_DEV_PRIVCMD:
		need = SIM_F_PRIVCMD;
		break;
	case XSP_DEV_PRIVCMD_PROC:
		need = SIM_F_PROC_PRIVCMD;
		break;
	case XSP_DEV_HYPERCALL:
		need = SIM_F_HYPERCALL_DEV;
		break;
	case XSP_DEV_EVTCHN:
		need = SIM_F_EVTCHN;
		break;
	case XSP_DEV_GNTDEV:
		need = SIM_F_GNTDEV;
		break;
	case XSP_DEV_GNTALLOC:
		need = SIM_F_GNTALLOC;
		break;
	case XSP_DEV_CONTROL:
		need = SIM_F_COUNT;
		break;
	default:
		return -EINVAL;
	}
	c->pid = h.pid;
	memcpy(c->comm, h.comm, sizeof(c->comm));
	c->comm[sizeof(c->comm) - 1] = '\0';
	c->open_flags = h.open_flags;
	if (need != SIM_F_COUNT) {
		if (!sim_has(s, need))
			return -ENOENT;
		snprintf(what, sizeof(what), "open:%s", dev_path(h.device));
		rc = sim_inject(s, what);
		if (rc)
			return rc;
	}
	c->dev = h.device;
	cc(c)->hello_done = true;
	if ((c->dev == XSP_DEV_PRIVCMD || c->dev == XSP_DEV_PRIVCMD_PROC) &&
	    sim_has(s, SIM_F_DOMU))
		c->restrict_domid = s->domu_target;
	return need != SIM_F_COUNT && sim_has(s, SIM_F_COMPAT32) ? XSP_HELLO_COMPAT32 : 0;
}

/* The driver's answer to an ioctl it does not know. */
static int64_t unknown_ioctl(struct sim *s, struct sim_conn *c, const struct xsw_msg *m)
{
	struct xsp_unknown_ioctl u = {0};

	if (m->len >= sizeof(u))
		memcpy(&u, m->data, sizeof(u));
	if (sim_has(s, SIM_F_COMPAT32)) {
		/* No compat_ioctl in any Xen driver: ENOTTY, evtchn included. */
		sim_log(s,
			"conn %u (%s, pid %d %s): ioctl 0x%llx from a 32-bit process: "
			"ENOTTY",
			c->id, dev_path(c->dev), (int)c->pid, c->comm,
			(unsigned long long)u.cmd);
		return -ENOTTY;
	}
	sim_log(s, "conn %u (%s, pid %d %s): unknown ioctl 0x%llx", c->id,
		dev_path(c->dev), (int)c->pid, c->comm, (unsigned long long)u.cmd);
	switch (c->dev) {
	case XSP_DEV_EVTCHN:
		return -ENOSYS;
	case XSP_DEV_PRIVCMD:
	case XSP_DEV_PRIVCMD_PROC:
		return sim_has(s, SIM_F_OLD_PRIVCMD_EINVAL) ? -EINVAL : -ENOTTY;
	default:
		return -ENOTTY;
	}
}

/* Does message @type belong to device @dev? */
static bool type_fits(uint32_t type, enum xsp_device dev)
{
	if (type >= 0x100 && type < 0x180)
		return dev == XSP_DEV_PRIVCMD || dev == XSP_DEV_PRIVCMD_PROC;
	if (type >= 0x180 && type < 0x200)
		return dev == XSP_DEV_HYPERCALL;
	if (type >= 0x200 && type < 0x300)
		return dev == XSP_DEV_EVTCHN;
	if (type >= 0x300 && type < 0x400)
		return dev == XSP_DEV_GNTDEV;
	if (type >= 0x400 && type < 0x500)
		return dev == XSP_DEV_GNTALLOC;
	return false;
}

static void handle_msg(struct sim *s, struct sim_conn *c, struct xsw_msg *m)
{
	struct sim_reply r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	c->wake_outstanding = false; /* every request consumes earlier wakes */
	/* in flight; stays set if a part defers the answer (see sim_detach_all) */
	cc(c)->deferred_type = m->type;
	cc(c)->in_dispatch = true;

	if (m->type == XSP_HELLO) {
		r.ret = handle_hello(s, c, m);
		if (r.ret < 0)
			cc(c)->close_after = true;
	} else if (m->type == XSP_IDENT) {
		r.ret = c->dev;
		if (c->dev != XSP_DEV_CONTROL && sim_has(s, SIM_F_COMPAT32))
			r.ret |= XSP_HELLO_COMPAT32 << 16;
	} else if (m->type == XSP_CONTROL_COMMAND || m->type == XSP_SYSFS_READ) {
		/* control and sysfs work on any connection, before HELLO too */
		if (m->type == XSP_CONTROL_COMMAND && c->state == SIM_CONN_DETACHED)
			r.ret = -ENODEV;
		else
			rc = sim_control_request(s, c, m, &r);
	} else if (c->state == SIM_CONN_DETACHED) {
		r.ret = -ENODEV;
	} else if (!cc(c)->hello_done) {
		r.ret = -EPROTO;
	} else if (m->type == XSP_UNKNOWN_IOCTL) {
		r.ret = unknown_ioctl(s, c, m);
	} else if (!type_fits(m->type, c->dev)) {
		sim_log(s, "conn %u (%s): request 0x%x does not belong to this device",
			c->id, dev_path(c->dev), m->type);
		r.ret = c->dev == XSP_DEV_EVTCHN ? -ENOSYS : -ENOTTY;
	} else if (m->type < 0x200) {
		rc = sim_privcmd_request(s, c, m, &r);
	} else if (m->type < 0x300) {
		rc = sim_evtchn_request(s, c, m, &r);
	} else {
		rc = sim_gnttab_request(s, c, m, &r);
	}

	cc(c)->in_dispatch = false;
	if (rc < 0) {
		cc(c)->dead = true;
		reply_release(&r);
		return;
	}
	if (!r.deferred) {
		cc(c)->deferred_type = 0;
		send_reply(s, c, m->type, r.ret, r.data.p, r.data.len, r.fds, r.nfds);
	}
	reply_release(&r);
	if (cc(c)->close_after)
		cc(c)->dead = true;
}

static void conn_input(struct sim *s, struct sim_conn *c)
{
	struct xsw_msg m;
	int rc;

	rc = xsw_recv(c->sock, &m, 1);
	if (rc == -EAGAIN)
		return;
	if (rc) {
		cc(c)->dead = true;
		return;
	}
	handle_msg(s, c, &m);
	xsw_msg_free(&m);
}

static void reap_conns(struct sim *s)
{
	struct sim_conn **pp = &s->conns;

	while (*pp) {
		struct sim_conn *c = *pp;

		if (!cc(c)->dead) {
			pp = &c->next;
			continue;
		}
		conn_release(s, c);
		*pp = c->next;
		close(c->sock);
		free(cc(c));
	}
}

/* ---- timers and watches ------------------------------------------------ */

long sim_timer_add(struct sim *s, int delay_ms, sim_timer_cb *cb, void *arg)
{
	struct sim_timer *t = calloc(1, sizeof(*t)), **pp;

	if (!t)
		return -ENOMEM;
	if (delay_ms < 0)
		delay_ms = 0;
	t->id = ++s->next_timer_id;
	t->due = sim_now_ms() + (uint64_t)delay_ms;
	t->cb = cb;
	t->arg = arg;
	for (pp = &s->timers; *pp && (*pp)->due <= t->due; pp = &(*pp)->next)
		;
	t->next = *pp;
	*pp = t;
	return t->id;
}

void sim_timer_cancel(struct sim *s, long id)
{
	struct sim_timer **pp;

	for (pp = &s->timers; *pp; pp = &(*pp)->next)
		if ((*pp)->id == id) {
			struct sim_timer *t = *pp;

			*pp = t->next;
			free(t);
			return;
		}
}

static void run_timers(struct sim *s)
{
	uint64_t now = sim_now_ms();

	while (s->timers && s->timers->due <= now) {
		struct sim_timer *t = s->timers;

		s->timers = t->next;
		t->cb(s, t->arg);
		free(t);
	}
}

int sim_watch_fd(struct sim *s, int fd, sim_watch_cb *cb, void *arg)
{
	struct sim_watch *w;

	if (fd < 0)
		return -EBADF;
	for (w = s->watches; w; w = w->next)
		if (w->fd == fd && !w->dead)
			return -EEXIST;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->cb = cb;
	w->arg = arg;
	w->next = s->watches;
	s->watches = w;
	return 0;
}

void sim_unwatch_fd(struct sim *s, int fd)
{
	struct sim_watch *w;

	for (w = s->watches; w; w = w->next)
		if (w->fd == fd)
			w->dead = true;
}

static void reap_watches(struct sim *s)
{
	struct sim_watch **pp = &s->watches;

	while (*pp) {
		struct sim_watch *w = *pp;

		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

/* ---- the loop ------------------------------------------------------------ */

int sim_init(struct sim *s, int listen_fd)
{
	s->listen_fd = listen_fd;
	return 0;
}

void sim_fini(struct sim *s)
{
	struct sim_conn *c;

	for (c = s->conns; c; c = c->next)
		cc(c)->dead = true;
	reap_conns(s);
	while (s->timers)
		sim_timer_cancel(s, s->timers->id);
	for (struct sim_watch *w = s->watches; w; w = w->next)
		w->dead = true;
	reap_watches(s);
}

int sim_run(struct sim *s)
{
	struct pollfd *pfd = NULL;
	struct sim_conn **pconn = NULL;
	size_t cap = 0;

	while (!s->quit) {
		size_t n = 0, nconn = 0, nwatch = 0, i;
		struct sim_conn *c;
		struct sim_watch *w;
		int timeout = -1, rc;

		for (c = s->conns; c; c = c->next)
			nconn++;
		for (w = s->watches; w; w = w->next)
			nwatch++;
		if (1 + nconn + nwatch > cap) {
			size_t ncap = (1 + nconn + nwatch) * 2;
			struct pollfd *np = realloc(pfd, ncap * sizeof(*pfd));
			struct sim_conn **nc;

			if (!np)
				return -ENOMEM;
			pfd = np;
			nc = realloc(pconn, ncap * sizeof(*pconn));
			if (!nc)
				return -ENOMEM;
			pconn = nc;
			cap = ncap;
		}
		pfd[n++] = (struct pollfd){.fd = s->listen_fd, .events = POLLIN};
		for (c = s->conns; c; c = c->next) {
			pconn[n] = c;
			pfd[n++] = (struct pollfd){.fd = c->sock, .events = POLLIN};
		}
		for (w = s->watches; w; w = w->next)
			pfd[n++] = (struct pollfd){.fd = w->fd, .events = POLLIN};
		if (s->timers) {
			uint64_t now = sim_now_ms();

			timeout = s->timers->due <= now ? 0 : (int)(s->timers->due - now);
		}
		rc = poll(pfd, n, timeout);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			free(pfd);
			free(pconn);
			return -errno;
		}
		for (i = 1; i < 1 + nconn; i++)
			if (pfd[i].revents && !cc(pconn[i])->dead)
				conn_input(s, pconn[i]);
		for (i = 1 + nconn; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			for (w = s->watches; w; w = w->next)
				if (w->fd == pfd[i].fd && !w->dead) {
					w->cb(s, w->fd, w->arg);
					break;
				}
		}
		run_timers(s);
		reap_watches(s);
		reap_conns(s);
		if (pfd[0].revents & POLLIN)
			accept_conn(s);
	}
	free(pfd);
	free(pconn);
	return 0;
}
