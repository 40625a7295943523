/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim-evtchn.c - event channels of the simulated Xen (per domain) and the
 * simulated /dev/xen/evtchn driver (per connection).
 *
 * Xen side: every domain has up to SIM_EVTCHN_NR ports (the 2-level ABI of
 * a 64-bit guest); port 0 is reserved. A port is free, unbound (waiting
 * for a remote domain), interdomain (connected to a remote port), bound to
 * a VIRQ, or held by dom0's own kernel. Xen itself may own a port (the
 * ioreq server's ports): the remote end notifying it runs a callback
 * instead of setting it pending. Static (dom0less) ports are only unbound
 * from the driver, never closed.
 *
 * Driver side: a dom0 port bound through an evtchn connection belongs to
 * it. An event on it, while the port is enabled, disables it and appends
 * the port to the connection's ring; while disabled the event stays
 * pending and is delivered when user space re-enables (write()s) it.
 * Other dom0 ports and the ports of guests just collect pending bits,
 * which the control commands read, clear and wait for.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include <xen/event_channel.h>
#include <xen/xen.h>

#include "sim.h"

#define SIM_EVTCHN_NR 4096u       /* EVTCHN_2L_NR_CHANNELS, 64-bit guests */
#define SIM_DOM0_KERNEL_PORTS 7u  /* ports 1..7 of dom0: its kernel's own */
#define SIM_EVTCHN_RING_MIN 64u
#define SIM_EVTCHN_READ_MAX 1024u /* one page of ports per read() */

enum ev_state {
	EV_FREE = 0,
	EV_RESERVED, /* port 0, and dom0's kernel ports */
	EV_UNBOUND,
	EV_INTERDOMAIN,
	EV_VIRQ,
};

struct ev_port {
	unsigned char state;
	bool pending;
	bool is_static;
	bool xen_owned;
	bool enabled; /* driver: not disabled by a delivery (dom0 user ports) */
	unsigned int remote_dom;  /* unbound: who may bind; interdomain: peer */
	unsigned int remote_port; /* interdomain */
	unsigned int virq;
	struct sim_conn *conn; /* dom0: the evtchn connection that bound it */
	unsigned int krefs;    /* dom0: kernel references (unmap notifies) */
	sim_evtchn_xen_cb *cb;
	void *cbarg;
};

struct ev_dom {
	unsigned long serial;
	unsigned int nports; /* entries allocated in ports[] */
	struct ev_port *ports;
	unsigned int virq_port[NR_VIRQS];
};

struct ev_waiter {
	struct ev_waiter *next;
	struct sim_conn *c;
	unsigned int domid;
	unsigned int port;
	long timer;
	uint32_t type;
};

/* Per connection: evtchn device state, or a control connection's waits. */
struct ev_conn {
	unsigned long dom0_serial; /* incarnation of dom0 the bindings are in */
	unsigned int nbound;
	unsigned int restrict_domid; /* SIM_DOMID_INVALID: not restricted */
	uint32_t *ring;
	unsigned int ring_size, cons, prod; /* prod - cons = entries */
	bool overflow;
	struct ev_waiter *waiters;
};

static unsigned long ev_serial_next = 1;

/* ---- helpers --------------------------------------------------------- */

static struct ev_dom *ev_dom(struct sim *s, unsigned int domid)
{
	struct sim_domain *d = sim_domain_find(s, domid);

	return d ? d->evtchn : NULL;
}

static struct ev_port *ev_port(struct ev_dom *ed, unsigned int port)
{
	if (!ed || port == 0 || port >= ed->nports)
		return NULL;
	return &ed->ports[port];
}

static struct ev_conn *ev_conn(struct sim_conn *c, bool create)
{
	struct ev_conn *ec = c->evtchn;

	if (!ec && create) {
		ec = calloc(1, sizeof(*ec));
		if (!ec)
			return NULL;
		ec->restrict_domid = SIM_DOMID_INVALID;
		c->evtchn = ec;
	}
	return ec;
}

static int ev_get_free_port(struct ev_dom *ed)
{
	unsigned int p;

	for (p = 1; p < ed->nports; p++)
		if (ed->ports[p].state == EV_FREE)
			return (int)p;
	if (ed->nports >= SIM_EVTCHN_NR)
		return -ENOSPC;
	{
		unsigned int n = ed->nports * 2;
		struct ev_port *np;

		if (n > SIM_EVTCHN_NR)
			n = SIM_EVTCHN_NR;
		np = realloc(ed->ports, n * sizeof(*np));
		if (!np)
			return -ENOMEM;
		memset(np + ed->nports, 0, (n - ed->nports) * sizeof(*np));
		p = ed->nports;
		ed->ports = np;
		ed->nports = n;
		return (int)p;
	}
}

/* Make sure @port exists in the array (for static ports). */
static int ev_ensure_port(struct ev_dom *ed, unsigned int port)
{
	while (port >= ed->nports) {
		unsigned int n = ed->nports * 2;
		struct ev_port *np;

		if (n > SIM_EVTCHN_NR)
			n = SIM_EVTCHN_NR;
		if (n <= ed->nports)
			return -EINVAL;
		np = realloc(ed->ports, n * sizeof(*np));
		if (!np)
			return -ENOMEM;
		memset(np + ed->nports, 0, (n - ed->nports) * sizeof(*np));
		ed->ports = np;
		ed->nports = n;
	}
	return 0;
}

static void ev_port_clear(struct ev_port *p)
{
	memset(p, 0, sizeof(*p));
}

/* ---- driver ring ------------------------------------------------------- */

static int ev_ring_grow(struct ev_conn *ec)
{
	unsigned int n, i, used;
	uint32_t *nr;

	if (ec->nbound <= ec->ring_size)
		return 0;
	n = ec->ring_size ? ec->ring_size * 2 : SIM_EVTCHN_RING_MIN;
	while (n < ec->nbound)
		n *= 2;
	nr = calloc(n, sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	used = ec->prod - ec->cons;
	for (i = 0; i < used; i++)
		nr[i] = ec->ring[(ec->cons + i) % ec->ring_size];
	free(ec->ring);
	ec->ring = nr;
	ec->ring_size = n;
	ec->cons = 0;
	ec->prod = used;
	return 0;
}

static void ev_ring_push(struct sim *s, struct sim_conn *c, unsigned int port)
{
	struct ev_conn *ec = c->evtchn;
	bool was_empty;

	if (!ec || !ec->ring_size) {
		sim_log(s, "evtchn: conn %u: event on port %u without a ring", c->id, port);
		return;
	}
	was_empty = ec->prod == ec->cons;
	if (ec->prod - ec->cons < ec->ring_size) {
		ec->ring[ec->prod % ec->ring_size] = port;
		ec->prod++;
	} else {
		ec->overflow = true;
	}
	if (was_empty || ec->overflow)
		sim_conn_readiness_changed(s, c);
}

/* ---- Xen: pending -------------------------------------------------------- */

static void ev_wake_waiters(struct sim *s, unsigned int domid, unsigned int port,
			    struct ev_port *p);

/* Xen marks @port of @domid pending (after an EVTCHNOP_send to it, a VIRQ,
 * an interdomain bind). */
static void ev_set_pending(struct sim *s, unsigned int domid, unsigned int port)
{
	struct ev_dom *ed = ev_dom(s, domid);
	struct ev_port *p = ev_port(ed, port);

	if (!p || p->state == EV_FREE || p->state == EV_RESERVED)
		return;
	if (p->xen_owned) {
		if (p->cb)
			p->cb(s, sim_domain_find(s, domid), port, p->cbarg);
		return;
	}
	if (p->pending)
		return; /* already pending: the events coalesce */
	p->pending = true;
	if (p->conn) {
		if (p->enabled) {
			/* the driver's handler: disable and queue */
			p->enabled = false;
			p->pending = false;
			ev_ring_push(s, p->conn, port);
		}
		return;
	}
	ev_wake_waiters(s, domid, port, p);
}

/* The port an operation on @port of @domid (send, close) acts on, with
 * Xen's checks: ESRCH without the domain, EINVAL for a port out of range
 * or, when the domain itself (@guest) asks, one that Xen owns. 0 or -errno;
 * @edp (if not NULL) and @pp are set on success. */
static int ev_op_port(struct sim *s, unsigned int domid, unsigned int port, bool guest,
		      struct ev_dom **edp, struct ev_port **pp)
{
	struct ev_dom *ed = ev_dom(s, domid);
	struct ev_port *p;

	if (!ed)
		return -ESRCH;
	p = ev_port(ed, port);
	if (!p)
		return -EINVAL;
	if (guest && p->xen_owned)
		return -EINVAL;
	if (edp)
		*edp = ed;
	*pp = p;
	return 0;
}

/* EVTCHNOP_send from @port of @domid. @guest: issued by the domain (not by
 * Xen), which may not send through a Xen-owned port. */
static int ev_send(struct sim *s, unsigned int domid, unsigned int port, bool guest)
{
	struct ev_port *p;
	int rc = ev_op_port(s, domid, port, guest, NULL, &p);

	if (rc)
		return rc;
	switch (p->state) {
	case EV_INTERDOMAIN:
		ev_set_pending(s, p->remote_dom, p->remote_port);
		return 0;
	case EV_UNBOUND:
		return 0; /* nobody listens: dropped */
	case EV_VIRQ:
		if (!guest) {
			ev_set_pending(s, domid, port);
			return 0;
		}
		return -EINVAL;
	default:
		return -EINVAL;
	}
}

/* ---- Xen: operations ------------------------------------------------------ */

static int ev_alloc_unbound(struct sim *s, unsigned int domid, unsigned int remote)
{
	struct ev_dom *ed = ev_dom(s, domid);
	struct ev_port *p;
	int port;

	if (!ed)
		return -ESRCH;
	if (remote == DOMID_SELF)
		remote = domid;
	if (remote >= SIM_DOMID_FIRST_RESERVED && remote != domid)
		return -EINVAL;
	port = ev_get_free_port(ed);
	if (port < 0)
		return port;
	p = &ed->ports[port];
	ev_port_clear(p);
	p->state = EV_UNBOUND;
	p->remote_dom = remote;
	return port;
}

/* EVTCHNOP_bind_interdomain by @domid to (@rdom, @rport); @lport: a given
 * local port (static channels) or 0 for the first free one. */
static int ev_bind_interdomain(struct sim *s, unsigned int domid, unsigned int rdom,
			       unsigned int rport, unsigned int lport)
{
	struct ev_dom *ld = ev_dom(s, domid), *rd;
	struct ev_port *rp, *lp;
	int port;

	if (!ld)
		return -ESRCH;
	if (rdom == DOMID_SELF)
		rdom = domid;
	rd = ev_dom(s, rdom);
	if (!rd)
		return -ESRCH;
	rp = ev_port(rd, rport);
	if (!rp)
		return -EINVAL;
	if (rp->state != EV_UNBOUND || rp->remote_dom != domid)
		return -EINVAL;
	if (lport) {
		int rc = ev_ensure_port(ld, lport);

		if (rc)
			return rc;
		if (ld->ports[lport].state != EV_FREE)
			return -EBUSY;
		port = (int)lport;
	} else {
		port = ev_get_free_port(ld);
		if (port < 0)
			return port;
	}
	/* get_free_port may have moved rd->ports if ld == rd */
	rp = &rd->ports[rport];
	lp = &ld->ports[port];
	ev_port_clear(lp);
	lp->state = EV_INTERDOMAIN;
	lp->remote_dom = rdom;
	lp->remote_port = rport;
	rp->state = EV_INTERDOMAIN;
	rp->remote_dom = domid;
	rp->remote_port = (unsigned int)port;
	/* As Xen does: notifications sent to the unbound remote port may have
	 * been lost, so the new local port starts pending. */
	ev_set_pending(s, domid, (unsigned int)port);
	return port;
}

static int ev_bind_virq(struct sim *s, unsigned int domid, unsigned int virq)
{
	struct ev_dom *ed = ev_dom(s, domid);
	struct ev_port *p;
	int port;

	if (!ed)
		return -ESRCH;
	if (virq >= NR_VIRQS)
		return -EINVAL;
	if (ed->virq_port[virq])
		return -EEXIST;
	port = ev_get_free_port(ed);
	if (port < 0)
		return port;
	p = &ed->ports[port];
	ev_port_clear(p);
	p->state = EV_VIRQ;
	p->virq = virq;
	ed->virq_port[virq] = (unsigned int)port;
	return port;
}

/* EVTCHNOP_close. @guest: the domain closes it (not Xen). */
static int ev_close(struct sim *s, unsigned int domid, unsigned int port, bool guest)
{
	struct ev_dom *ed;
	struct ev_port *p;
	int rc = ev_op_port(s, domid, port, guest, &ed, &p);

	if (rc)
		return rc;
	switch (p->state) {
	case EV_FREE:
	case EV_RESERVED:
		return -EINVAL;
	case EV_VIRQ:
		if (p->virq < NR_VIRQS && ed->virq_port[p->virq] == port)
			ed->virq_port[p->virq] = 0;
		break;
	case EV_INTERDOMAIN: {
		struct ev_port *rp = ev_port(ev_dom(s, p->remote_dom), p->remote_port);

		if (rp && rp->state == EV_INTERDOMAIN && rp->remote_dom == domid &&
		    rp->remote_port == port) {
			rp->state = EV_UNBOUND;
			rp->remote_dom = domid;
			rp->remote_port = 0;
		}
		break;
	}
	default:
		break;
	}
	if (p->conn) {
		struct ev_conn *ec = p->conn->evtchn;

		if (ec && ec->nbound)
			ec->nbound--;
	}
	ev_port_clear(p);
	return 0;
}

/* ---- guest waiters (control connections) ----------------------------------- */

static void ev_waiter_unlink(struct ev_conn *ec, struct ev_waiter *w)
{
	struct ev_waiter **pp;

	for (pp = &ec->waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

static void ev_waiter_finish(struct sim *s, struct ev_waiter *w, int ret, bool cancel_timer)
{
	struct ev_conn *ec = w->c->evtchn;
	char msg[64];
	int len = 0;

	if (cancel_timer && w->timer > 0)
		sim_timer_cancel(s, w->timer);
	if (ec)
		ev_waiter_unlink(ec, w);
	if (ret == -ETIMEDOUT)
		len = snprintf(msg, sizeof(msg), "port %u of domain %u: timed out", w->port,
			       w->domid);
	else if (ret == -ESRCH)
		len = snprintf(msg, sizeof(msg), "domain %u is gone", w->domid);
	sim_conn_reply(s, w->c, w->type, ret, len > 0 ? msg : NULL, len > 0 ? (size_t)len : 0,
		       NULL, 0);
	free(w);
}

static void ev_wake_waiters(struct sim *s, unsigned int domid, unsigned int port,
			    struct ev_port *p)
{
	struct sim_conn *c;

	for (c = sim_conns(s); c; c = c->next) {
		struct ev_conn *ec = c->dev == XSP_DEV_CONTROL ? c->evtchn : NULL;
		struct ev_waiter *w;

		if (!ec)
			continue;
		for (w = ec->waiters; w; w = w->next)
			if (w->domid == domid && w->port == port)
				break;
		if (w) {
			p->pending = false; /* the waiting guest consumes it */
			ev_waiter_finish(s, w, 0, true);
			return;
		}
	}
}

static void ev_waiter_timeout(struct sim *s, void *arg)
{
	struct ev_waiter *w = arg;

	w->timer = 0;
	ev_waiter_finish(s, w, -ETIMEDOUT, false);
}

/* ---- the Xen side for other parts --------------------------------------------- */

int sim_evtchn_alloc_xen_port(struct sim *s, struct sim_domain *d, unsigned int remote,
			      sim_evtchn_xen_cb *cb, void *arg)
{
	struct ev_dom *ed = d ? d->evtchn : NULL;
	int port;

	if (!ed)
		return -ESRCH;
	port = ev_alloc_unbound(s, d->domid, remote);
	if (port < 0)
		return port;
	ed->ports[port].xen_owned = true;
	ed->ports[port].cb = cb;
	ed->ports[port].cbarg = arg;
	return port;
}

void sim_evtchn_free_port(struct sim *s, struct sim_domain *d, unsigned int port)
{
	if (d && d->evtchn)
		ev_close(s, d->domid, port, false);
}

int sim_evtchn_send(struct sim *s, struct sim_domain *d, unsigned int port)
{
	if (!d)
		return -ESRCH;
	return ev_send(s, d->domid, port, false);
}

/* The dom0 kernel takes a reference on @port (gntdev/gntalloc unmap
 * notifications, evtchn_get). 0, -EINVAL if the port is not bound through
 * /dev/xen/evtchn, -ENOENT if it has no binding in the kernel at all. */
int sim_evtchn_kernel_get(struct sim *s, unsigned int port)
{
	struct ev_port *p;

	if (port >= SIM_EVTCHN_NR)
		return -EINVAL;
	p = ev_port(ev_dom(s, 0), port);
	if (!p || (!p->conn && !p->krefs))
		return p && p->state == EV_RESERVED ? -EINVAL : -ENOENT;
	p->krefs++;
	return 0;
}

/* Drop a reference taken with sim_evtchn_kernel_get(); the port is closed
 * when neither a connection nor a reference holds it. */
void sim_evtchn_kernel_put(struct sim *s, unsigned int port)
{
	struct ev_port *p = ev_port(ev_dom(s, 0), port);

	if (!p || !p->krefs)
		return;
	p->krefs--;
	if (!p->krefs && !p->conn) {
		if (p->is_static)
			p->enabled = false;
		else
			ev_close(s, 0, port, false);
	}
}

/* The dom0 kernel notifies @port (notify_remote_via_evtchn). */
void sim_evtchn_kernel_notify(struct sim *s, unsigned int port)
{
	ev_send(s, 0, port, false);
}

/* ---- domains ----------------------------------------------------------------- */

int sim_evtchn_domain_init(struct sim *s, struct sim_domain *d)
{
	struct ev_dom *ed;
	unsigned int i;

	(void)s;
	ed = calloc(1, sizeof(*ed));
	if (!ed)
		return -ENOMEM;
	ed->nports = 64;
	ed->ports = calloc(ed->nports, sizeof(*ed->ports));
	if (!ed->ports) {
		free(ed);
		return -ENOMEM;
	}
	ed->serial = ev_serial_next++;
	ed->ports[0].state = EV_RESERVED;
	if (d->domid == 0)
		for (i = 1; i <= SIM_DOM0_KERNEL_PORTS; i++)
			ed->ports[i].state = EV_RESERVED;
	d->evtchn = ed;
	return 0;
}

void sim_evtchn_domain_destroy(struct sim *s, struct sim_domain *d)
{
	struct ev_dom *ed = d->evtchn;
	struct sim_conn *c;
	unsigned int p;

	if (!ed)
		return;
	/* answer waits on this domain; forget connection bindings in it */
	for (c = sim_conns(s); c; c = c->next) {
		struct ev_conn *ec = c->evtchn;
		struct ev_waiter *w, *next;

		if (!ec)
			continue;
		for (w = ec->waiters; w; w = next) {
			next = w->next;
			if (w->domid == d->domid)
				ev_waiter_finish(s, w, -ESRCH, true);
		}
		if (d->domid == 0 && ec->dom0_serial == ed->serial)
			ec->nbound = 0;
	}
	/* ports connected to other domains: their peers become unbound */
	for (p = 1; p < ed->nports; p++) {
		struct ev_port *pp = &ed->ports[p];

		if (pp->state == EV_INTERDOMAIN && pp->remote_dom != d->domid) {
			struct ev_port *rp = ev_port(ev_dom(s, pp->remote_dom), pp->remote_port);

			if (rp && rp->state == EV_INTERDOMAIN && rp->remote_dom == d->domid &&
			    rp->remote_port == p) {
				rp->state = EV_UNBOUND;
				rp->remote_port = 0;
			}
		}
	}
	free(ed->ports);
	free(ed);
	d->evtchn = NULL;
}

/* ---- the /dev/xen/evtchn driver ------------------------------------------------- */

/* The bound port @port (already bound in Xen) joins connection @c. */
static int ev_user_bind(struct sim *s, struct sim_conn *c, unsigned int port)
{
	struct ev_dom *ed = ev_dom(s, 0);
	struct ev_conn *ec = c->evtchn;
	struct ev_port *p = ev_port(ed, port);
	int rc;

	if (!p)
		return -EINVAL;
	ec->nbound++;
	rc = ev_ring_grow(ec);
	if (rc) {
		ec->nbound--;
		return rc;
	}
	ec->dom0_serial = ed->serial;
	p->conn = c;
	p->enabled = true;
	if (p->pending) {
		/* a pending event is delivered as soon as the port is set up */
		p->pending = false;
		p->enabled = false;
		ev_ring_push(s, c, port);
	}
	return 0;
}

/* The connection lets go of @port (UNBIND, release): closed in Xen unless
 * static or still referenced by the kernel. */
static void ev_user_unbind(struct sim *s, struct sim_conn *c, unsigned int port)
{
	struct ev_conn *ec = c->evtchn;
	struct ev_port *p = ev_port(ev_dom(s, 0), port);

	if (!p || p->conn != c)
		return;
	p->conn = NULL;
	if (ec && ec->nbound)
		ec->nbound--;
	if (p->krefs)
		return;
	if (p->is_static) {
		p->enabled = false;
		return;
	}
	ev_close(s, 0, port, false);
}

/* @port, just bound in Xen for the connection (bind_virq, bind_interdomain,
 * alloc_unbound; a -errno of theirs is passed on), joins it: the port, or
 * -errno with the port closed again. */
static int ev_user_bind_new(struct sim *s, struct sim_conn *c, int port)
{
	int rc;

	if (port < 0)
		return port;
	rc = ev_user_bind(s, c, (unsigned int)port);
	if (rc) {
		ev_close(s, 0, (unsigned int)port, false);
		return rc;
	}
	return port;
}

static int ev_need_u32(const struct xsw_msg *m, size_t n, const void **out)
{
	if (m->len < n * sizeof(uint32_t))
		return -EINVAL;
	*out = m->data;
	return 0;
}

static int ev_bound_here(struct sim *s, struct sim_conn *c, unsigned int port)
{
	struct ev_port *p = ev_port(ev_dom(s, 0), port);

	return p && p->conn == c;
}

static const char *ev_req_name(uint32_t type)
{
	switch (type) {
	case XSP_EVTCHN_BIND_VIRQ:
		return "ioctl:IOCTL_EVTCHN_BIND_VIRQ";
	case XSP_EVTCHN_BIND_INTERDOMAIN:
		return "ioctl:IOCTL_EVTCHN_BIND_INTERDOMAIN";
	case XSP_EVTCHN_BIND_UNBOUND_PORT:
		return "ioctl:IOCTL_EVTCHN_BIND_UNBOUND_PORT";
	case XSP_EVTCHN_UNBIND:
		return "ioctl:IOCTL_EVTCHN_UNBIND";
	case XSP_EVTCHN_NOTIFY:
		return "ioctl:IOCTL_EVTCHN_NOTIFY";
	case XSP_EVTCHN_RESET:
		return "ioctl:IOCTL_EVTCHN_RESET";
	case XSP_EVTCHN_RESTRICT_DOMID:
		return "ioctl:IOCTL_EVTCHN_RESTRICT_DOMID";
	case XSP_EVTCHN_BIND_STATIC:
		return "ioctl:IOCTL_EVTCHN_BIND_STATIC";
	case XSP_EVTCHN_READ:
		return "read:evtchn";
	case XSP_EVTCHN_WRITE:
		return "write:evtchn";
	default:
		return "evtchn:unknown";
	}
}

static int64_t ev_do_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			     struct sim_reply *r)
{
	struct ev_conn *ec = c->evtchn;
	const uint32_t *a = NULL;
	int rc;

	switch (m->type) {
	case XSP_EVTCHN_BIND_VIRQ:
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		if (ec->restrict_domid != SIM_DOMID_INVALID)
			return -EACCES;
		if ((rc = sim_inject(s, "evtchn:bind_virq")))
			return rc;
		return ev_user_bind_new(s, c, ev_bind_virq(s, 0, a[0]));

	case XSP_EVTCHN_BIND_INTERDOMAIN:
		if (ev_need_u32(m, 2, (const void **)&a))
			return -EINVAL;
		if (ec->restrict_domid != SIM_DOMID_INVALID && a[0] != ec->restrict_domid)
			return -EACCES;
		if ((rc = sim_inject(s, "evtchn:bind_interdomain")))
			return rc;
		/* the kernel passes remote_domain as a domid_t; the port joins the
		 * file before the pending bit set by Xen gets delivered */
		return ev_user_bind_new(
			s, c, ev_bind_interdomain(s, 0, a[0] & 0xffffu, a[1], 0));

	case XSP_EVTCHN_BIND_UNBOUND_PORT:
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		if (ec->restrict_domid != SIM_DOMID_INVALID)
			return -EACCES;
		if ((rc = sim_inject(s, "evtchn:alloc_unbound")))
			return rc;
		return ev_user_bind_new(s, c, ev_alloc_unbound(s, 0, a[0] & 0xffffu));

	case XSP_EVTCHN_UNBIND:
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		if (a[0] >= SIM_EVTCHN_NR)
			return -EINVAL;
		if (!ev_bound_here(s, c, a[0]))
			return -ENOTCONN;
		ev_user_unbind(s, c, a[0]);
		return 0;

	case XSP_EVTCHN_NOTIFY:
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		if (!ev_bound_here(s, c, a[0]))
			return -ENOTCONN;
		if ((rc = sim_inject(s, "evtchn:send")))
			return rc;
		ev_send(s, 0, a[0], false);
		return 0; /* the kernel ignores the hypercall's result */

	case XSP_EVTCHN_RESET:
		ec->cons = ec->prod = 0;
		ec->overflow = false;
		return 0;

	case XSP_EVTCHN_RESTRICT_DOMID:
		if (!sim_has(s, SIM_F_EVTCHN_RESTRICT)) {
			sim_log(s, "evtchn: IOCTL_EVTCHN_RESTRICT_DOMID is not in this kernel");
			return -ENOSYS;
		}
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		if (ec->restrict_domid != SIM_DOMID_INVALID)
			return -EACCES;
		/* the ioctl's argument is a domid_t */
		if ((a[0] & 0xffffu) == 0 || (a[0] & 0xffffu) >= SIM_DOMID_FIRST_RESERVED)
			return -EINVAL;
		ec->restrict_domid = a[0] & 0xffffu;
		return 0;

	case XSP_EVTCHN_BIND_STATIC: {
		struct ev_port *p;

		if (!sim_has(s, SIM_F_BIND_STATIC)) {
			sim_log(s, "evtchn: IOCTL_EVTCHN_BIND_STATIC is not in this kernel");
			return -ENOSYS;
		}
		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		p = ev_port(ev_dom(s, 0), a[0]);
		if (p && p->conn)
			return -EISCONN;
		if (a[0] >= SIM_EVTCHN_NR)
			return -ENOMEM; /* no irq can be set up for it */
		if (!p || !p->is_static)
			return -EINVAL;
		rc = ev_user_bind(s, c, a[0]);
		return rc ? rc : 0;
	}

	case XSP_EVTCHN_READ: {
		unsigned int want, n = 0, avail;

		if (ev_need_u32(m, 1, (const void **)&a))
			return -EINVAL;
		want = a[0];
		if (want == 0)
			return 0;
		if (want > SIM_EVTCHN_READ_MAX)
			want = SIM_EVTCHN_READ_MAX;
		if (ec->overflow)
			return -EFBIG;
		avail = ec->prod - ec->cons;
		if (!avail)
			return -EAGAIN;
		while (n < want && n < avail) {
			uint32_t port = ec->ring[(ec->cons + n) % ec->ring_size];

			if (sim_reply_put(r, &port, sizeof(port)))
				return -ENOMEM;
			n++;
		}
		ec->cons += n;
		if (ec->cons == ec->prod)
			ec->cons = ec->prod = 0;
		return n;
	}

	case XSP_EVTCHN_WRITE: {
		size_t i, n = m->len / sizeof(uint32_t);
		const uint32_t *ports = (const uint32_t *)(const void *)m->data; /* malloc'd */

		for (i = 0; i < n; i++) {
			uint32_t port;
			struct ev_port *p;

			memcpy(&port, ports + i, sizeof(port));
			p = ev_port(ev_dom(s, 0), port);
			if (!p || p->conn != c || p->enabled)
				continue;
			p->enabled = true;
			if (p->pending) {
				p->pending = false;
				p->enabled = false;
				ev_ring_push(s, c, port);
			}
		}
		return (int64_t)(n * sizeof(uint32_t));
	}

	default:
		sim_log(s, "evtchn: request 0x%x not simulated", m->type);
		return -ENOSYS;
	}
}

int sim_evtchn_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		       struct sim_reply *r)
{
	int rc;

	if (c->dev != XSP_DEV_EVTCHN) {
		r->ret = -ENOTTY;
		return 0;
	}
	if (!ev_conn(c, true)) {
		r->ret = -ENOMEM;
		return 0;
	}
	if (m->type != XSP_EVTCHN_READ && m->type != XSP_EVTCHN_WRITE &&
	    (rc = sim_inject(s, ev_req_name(m->type)))) {
		r->ret = rc;
		return 0;
	}
	r->ret = ev_do_request(s, c, m, r);
	if (r->ret < 0)
		r->data.len = 0;
	return 0;
}

bool sim_evtchn_conn_readable(struct sim *s, struct sim_conn *c)
{
	struct ev_conn *ec = c->evtchn;

	(void)s;
	if (!ec || c->dev != XSP_DEV_EVTCHN)
		return false;
	return ec->overflow || ec->prod != ec->cons;
}

void sim_evtchn_conn_release(struct sim *s, struct sim_conn *c)
{
	struct ev_conn *ec = c->evtchn;
	struct ev_dom *ed;
	struct ev_waiter *w, *next;

	if (!ec)
		return;
	for (w = ec->waiters; w; w = next) {
		next = w->next;
		if (w->timer > 0)
			sim_timer_cancel(s, w->timer);
		free(w);
	}
	ec->waiters = NULL;
	ed = ev_dom(s, 0);
	if (ed && ed->serial == ec->dom0_serial) {
		unsigned int p;

		for (p = 1; p < ed->nports; p++)
			if (ed->ports[p].conn == c)
				ev_user_unbind(s, c, p);
	}
	free(ec->ring);
	free(ec);
	c->evtchn = NULL;
}

/* ---- control commands ---------------------------------------------------------- */

static const char *ev_state_name(const struct ev_port *p)
{
	switch (p->state) {
	case EV_FREE:
		return "free";
	case EV_RESERVED:
		return "reserved";
	case EV_UNBOUND:
		return "unbound";
	case EV_INTERDOMAIN:
		return "interdomain";
	case EV_VIRQ:
		return "virq";
	default:
		return "?";
	}
}

static int ev_print_port(struct sim_reply *r, unsigned int port, const struct ev_port *p)
{
	int rc = sim_ctl_printf(r, "%u %s", port, ev_state_name(p));

	if (p->state == EV_UNBOUND)
		rc = rc ? rc : sim_ctl_printf(r, " remote=%u", p->remote_dom);
	if (p->state == EV_INTERDOMAIN)
		rc = rc ? rc
			: sim_ctl_printf(r, " remote=%u:%u", p->remote_dom, p->remote_port);
	if (p->state == EV_VIRQ)
		rc = rc ? rc : sim_ctl_printf(r, " virq=%u", p->virq);
	if (!rc)
		rc = sim_ctl_printf(r, " pending=%d%s%s%s", p->pending ? 1 : 0,
				    p->xen_owned ? " xen" : "", p->is_static ? " static" : "",
				    p->conn ? (p->enabled ? " enabled" : " disabled") : "");
	if (!rc && p->conn)
		rc = sim_ctl_printf(r, " conn=%u", p->conn->id);
	return rc;
}

/* Domain @dom for a control command, or NULL with ESRCH answered. */
static struct ev_dom *ev_ctl_dom(struct sim *s, struct sim_reply *r, unsigned int dom)
{
	struct ev_dom *ed = ev_dom(s, dom);

	if (!ed)
		sim_ctl_error(r, -ESRCH, "no domain %u", dom);
	return ed;
}

static int ev_arg(struct sim_reply *r, const char *w, const char *what, uint64_t max,
		  unsigned int *out)
{
	uint64_t v;

	if (sim_ctl_num(w, &v) || v > max) {
		sim_ctl_error(r, -EINVAL, "bad %s '%s'", what, w);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

static int ev_ret(struct sim_reply *r, int rc, const char *what)
{
	if (rc < 0)
		return sim_ctl_error(r, rc, "%s: %s", what, strerror(-rc));
	r->ret = rc;
	return sim_ctl_printf(r, "%d", rc);
}

#define EV_USAGE(n, text)                                                                \
	do {                                                                             \
		if (argc != (n)) {                                                       \
			sim_ctl_error(r, -EINVAL, "usage: %s", text);                    \
			return 0;                                                        \
		}                                                                        \
	} while (0)

int sim_evtchn_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		       struct sim_reply *r)
{
	const char *cmd = argv[0];
	unsigned int dom, a1, a2;
	int rc;

	if (!strcmp(cmd, "evtchn-alloc-unbound")) {
		EV_USAGE(3, "evtchn-alloc-unbound DOM REMOTE");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "remote domain", 0xffff, &a1))
			return 0;
		if ((rc = sim_inject(s, "evtchn:alloc_unbound")) == 0)
			rc = ev_alloc_unbound(s, dom, a1);
		ev_ret(r, rc, "evtchn-alloc-unbound");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-bind-interdomain")) {
		EV_USAGE(4, "evtchn-bind-interdomain DOM REMOTE RPORT");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "remote domain", 0xffff, &a1) ||
		    ev_arg(r, argv[3], "remote port", UINT32_MAX, &a2))
			return 0;
		if ((rc = sim_inject(s, "evtchn:bind_interdomain")) == 0)
			rc = ev_bind_interdomain(s, dom, a1, a2, 0);
		ev_ret(r, rc, "evtchn-bind-interdomain");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-send")) {
		EV_USAGE(3, "evtchn-send DOM PORT");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "port", UINT32_MAX, &a1))
			return 0;
		if ((rc = sim_inject(s, "evtchn:send")) == 0)
			rc = ev_send(s, dom, a1, true);
		ev_ret(r, rc, "evtchn-send");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-close")) {
		EV_USAGE(3, "evtchn-close DOM PORT");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "port", UINT32_MAX, &a1))
			return 0;
		{
			struct ev_port *p = ev_port(ev_dom(s, dom), a1);

			if (p && p->conn) {
				sim_ctl_error(r, -EBUSY, "port %u of domain %u is bound by "
					      "connection %u", a1, dom, p->conn->id);
				return 0;
			}
		}
		ev_ret(r, ev_close(s, dom, a1, true), "evtchn-close");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-pending")) {
		struct ev_port *p;
		struct ev_dom *ed;

		if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "clear"))) {
			sim_ctl_error(r, -EINVAL, "usage: evtchn-pending DOM PORT [clear]");
			return 0;
		}
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "port", UINT32_MAX, &a1))
			return 0;
		ed = ev_ctl_dom(s, r, dom);
		if (!ed)
			return 0;
		p = ev_port(ed, a1);
		if (!p) {
			sim_ctl_error(r, -EINVAL, "port %u out of range", a1);
			return 0;
		}
		rc = p->pending ? 1 : 0;
		if (argc == 4)
			p->pending = false;
		ev_ret(r, rc, "evtchn-pending");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-wait")) {
		struct ev_port *p;
		struct ev_dom *ed;
		struct ev_conn *ec;
		struct ev_waiter *w;

		EV_USAGE(4, "evtchn-wait DOM PORT TIMEOUT-MS");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "port", UINT32_MAX, &a1) ||
		    ev_arg(r, argv[3], "timeout", INT32_MAX, &a2))
			return 0;
		ed = ev_ctl_dom(s, r, dom);
		if (!ed)
			return 0;
		p = ev_port(ed, a1);
		if (!p || p->state == EV_FREE || p->state == EV_RESERVED) {
			sim_ctl_error(r, -EINVAL, "port %u of domain %u is not in use", a1, dom);
			return 0;
		}
		if (p->conn || p->xen_owned) {
			sim_ctl_error(r, -EINVAL, "port %u of domain %u is not the guest's", a1,
				      dom);
			return 0;
		}
		if (p->pending) {
			p->pending = false;
			r->ret = 0;
			return 0;
		}
		if (a2 == 0) {
			sim_ctl_error(r, -ETIMEDOUT, "port %u of domain %u: timed out", a1, dom);
			return 0;
		}
		ec = ev_conn(c, true);
		w = ec ? calloc(1, sizeof(*w)) : NULL;
		if (!w) {
			sim_ctl_error(r, -ENOMEM, "out of memory");
			return 0;
		}
		w->c = c;
		w->domid = dom;
		w->port = a1;
		w->type = XSP_CONTROL_COMMAND;
		w->timer = sim_timer_add(s, (int)a2, ev_waiter_timeout, w);
		if (w->timer < 0) {
			sim_ctl_error(r, (int)w->timer, "no timer");
			free(w);
			return 0;
		}
		w->next = ec->waiters;
		ec->waiters = w;
		sim_reply_defer(r);
		return 0;
	}
	if (!strcmp(cmd, "virq")) {
		struct ev_dom *ed;

		EV_USAGE(3, "virq DOM VIRQ");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "virq", UINT32_MAX, &a1))
			return 0;
		ed = ev_ctl_dom(s, r, dom);
		if (!ed)
			return 0;
		if (a1 >= NR_VIRQS) {
			sim_ctl_error(r, -EINVAL, "no VIRQ %u", a1);
			return 0;
		}
		r->ret = 0;
		if (!ed->virq_port[a1]) {
			sim_ctl_printf(r, "unbound");
			return 0;
		}
		rc = (int)ed->virq_port[a1];
		ev_set_pending(s, dom, (unsigned int)rc);
		sim_ctl_printf(r, "%d", rc);
		return 0;
	}
	if (!strcmp(cmd, "static-evtchn")) {
		struct ev_dom *ed0, *rd;
		struct ev_port *rp;

		EV_USAGE(4, "static-evtchn PORT REMOTE RPORT");
		if (ev_arg(r, argv[1], "port", SIM_EVTCHN_NR - 1, &a1) ||
		    ev_arg(r, argv[2], "remote domain", 0xffff, &dom) ||
		    ev_arg(r, argv[3], "remote port", SIM_EVTCHN_NR - 1, &a2))
			return 0;
		ed0 = ev_dom(s, 0);
		rd = ev_dom(s, dom);
		if (!ed0 || !rd) {
			sim_ctl_error(r, -ESRCH, "no domain %u", rd ? 0 : dom);
			return 0;
		}
		if (a1 == 0 || a2 == 0) {
			sim_ctl_error(r, -EINVAL, "port 0 is reserved");
			return 0;
		}
		if ((rc = ev_ensure_port(ed0, a1)) || (rc = ev_ensure_port(rd, a2))) {
			sim_ctl_error(r, rc, "bad port");
			return 0;
		}
		if (ed0->ports[a1].state != EV_FREE) {
			sim_ctl_error(r, -EEXIST, "port %u of domain 0 is in use", a1);
			return 0;
		}
		rp = &rd->ports[a2];
		if (rp->state == EV_FREE) {
			ev_port_clear(rp);
			rp->state = EV_UNBOUND;
			rp->remote_dom = 0;
			rp->is_static = true;
		} else if (rp->state != EV_UNBOUND || rp->remote_dom != 0) {
			sim_ctl_error(r, -EEXIST, "port %u of domain %u is in use", a2, dom);
			return 0;
		}
		rc = ev_bind_interdomain(s, 0, dom, a2, a1);
		if (rc < 0) {
			ev_ret(r, rc, "static-evtchn");
			return 0;
		}
		ed0->ports[a1].is_static = true;
		ev_ret(r, rc, "static-evtchn");
		return 0;
	}
	if (!strcmp(cmd, "evtchn-status")) {
		struct ev_port *p;

		EV_USAGE(3, "evtchn-status DOM PORT");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom) ||
		    ev_arg(r, argv[2], "port", UINT32_MAX, &a1))
			return 0;
		if (!ev_ctl_dom(s, r, dom))
			return 0;
		p = ev_port(ev_dom(s, dom), a1);
		if (!p) {
			if (a1 != 0 && a1 < SIM_EVTCHN_NR) {
				r->ret = 0;
				sim_ctl_printf(r, "%u free pending=0", a1);
			} else {
				sim_ctl_error(r, -EINVAL, "port %u out of range", a1);
			}
			return 0;
		}
		r->ret = 0;
		ev_print_port(r, a1, p);
		return 0;
	}
	if (!strcmp(cmd, "evtchn-ports") ||
	    (!strcmp(cmd, "show") && argc >= 2 && !strcmp(argv[1], "ports"))) {
		struct ev_dom *ed;
		unsigned int p;
		int first = 1;

		if (!strcmp(cmd, "show")) {
			argv++;
			argc--;
		}
		EV_USAGE(2, "evtchn-ports DOM");
		if (ev_arg(r, argv[1], "domain", 0xffff, &dom))
			return 0;
		ed = ev_ctl_dom(s, r, dom);
		if (!ed)
			return 0;
		r->ret = 0;
		for (p = 1; p < ed->nports; p++) {
			if (ed->ports[p].state == EV_FREE || ed->ports[p].state == EV_RESERVED)
				continue;
			if (!first)
				sim_ctl_printf(r, "\n");
			first = 0;
			ev_print_port(r, p, &ed->ports[p]);
		}
		return 0;
	}
	return SIM_CTL_NOT_MINE;
}
