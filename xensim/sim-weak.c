/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Weak fallbacks for the hooks of the daemon parts owned by others
 * (sim-evtchn.c, sim-gnttab.c, sim-dm.c, sim-ioreq.c), so that the daemon
 * links and runs with whatever parts exist. A part's real (strong)
 * definition replaces each of these at link time.
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "sim.h"

#define WEAK __attribute__((weak))

/* An area that is not built answers every request of its devices. */
static int not_built(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
		     struct sim_reply *r, const char *area)
{
	sim_log(s, "conn %u: request 0x%x for %s, which is not simulated in this build",
		c->id, m->type, area);
	r->ret = -ENOSYS;
	return 0;
}

WEAK int sim_evtchn_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			    struct sim_reply *r)
{
	return not_built(s, c, m, r, "evtchn");
}

WEAK int sim_gnttab_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			    struct sim_reply *r)
{
	return not_built(s, c, m, r, "gntdev/gntalloc");
}

WEAK int sim_evtchn_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
			    struct sim_reply *r)
{
	return SIM_CTL_NOT_MINE;
}

WEAK int sim_gnttab_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
			    struct sim_reply *r)
{
	return SIM_CTL_NOT_MINE;
}

WEAK int sim_dm_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
			struct sim_reply *r)
{
	return SIM_CTL_NOT_MINE;
}

WEAK void sim_evtchn_conn_release(struct sim *s, struct sim_conn *c)
{
}

WEAK void sim_gnttab_conn_release(struct sim *s, struct sim_conn *c)
{
}

WEAK void sim_dm_conn_release(struct sim *s, struct sim_conn *c)
{
}

WEAK bool sim_evtchn_conn_readable(struct sim *s, struct sim_conn *c)
{
	return false;
}

WEAK int sim_evtchn_domain_init(struct sim *s, struct sim_domain *d)
{
	return 0;
}

WEAK void sim_evtchn_domain_destroy(struct sim *s, struct sim_domain *d)
{
}

WEAK int sim_gnttab_domain_init(struct sim *s, struct sim_domain *d)
{
	return 0;
}

WEAK void sim_gnttab_domain_destroy(struct sim *s, struct sim_domain *d)
{
}

WEAK int sim_hvm_domain_init(struct sim *s, struct sim_domain *d)
{
	return 0;
}

WEAK void sim_hvm_domain_destroy(struct sim *s, struct sim_domain *d)
{
}

WEAK int sim_hvm_domain_resize(struct sim *s, struct sim_domain *d)
{
	return 0;
}

WEAK int sim_evtchn_alloc_xen_port(struct sim *s, struct sim_domain *d,
				   unsigned int remote, sim_evtchn_xen_cb *cb, void *arg)
{
	return -ENOSYS;
}

WEAK void sim_evtchn_free_port(struct sim *s, struct sim_domain *d, unsigned int port)
{
}

WEAK int sim_evtchn_send(struct sim *s, struct sim_domain *d, unsigned int port)
{
	return -ENOSYS;
}

WEAK long sim_gnttab_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			      uint64_t idx, uint64_t num, struct sim_frame *frames)
{
	return -EOPNOTSUPP;
}

WEAK long sim_dm_op(struct sim *s, struct sim_conn *c, unsigned int domid,
		    struct sim_ubuf *bufs, unsigned int nbufs)
{
	sim_log(s, "dm_op on domain %u: not simulated in this build", domid);
	return -ENOSYS;
}

WEAK long sim_ioreq_resource(struct sim *s, struct sim_domain *d, unsigned int id,
			     uint64_t idx, uint64_t num, struct sim_frame *frames)
{
	return -EOPNOTSUPP;
}

WEAK int sim_irqfd(struct sim *s, struct sim_conn *c, const struct xsp_irqfd *req,
		   const void *dm_op, size_t dm_op_size, int efd)
{
	close(efd);
	return -ENOSYS;
}

WEAK int sim_ioeventfd(struct sim *s, struct sim_conn *c, const struct xsp_ioeventfd *req,
		       const uint32_t *ports, int efd)
{
	close(efd);
	return -ENOSYS;
}
