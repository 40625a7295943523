/* SPDX-License-Identifier: MIT */
/*
 * xen/event_channel.h - event channel hypercall (__HYPERVISOR_event_channel_op).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface): the sub-op
 * numbers, evtchn_port_t and the argument structures of the operations a
 * tools library, device model or simulator deals with. The FIFO ABI
 * structures are not provided.
 *
 * Calling convention: HYPERVISOR_event_channel_op(cmd, &arg), where arg is
 * the structure named after the sub-op.
 */
#ifndef __XEN_PUBLIC_EVENT_CHANNEL_H__
#define __XEN_PUBLIC_EVENT_CHANNEL_H__

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_pirq	  2
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10
#define EVTCHNOP_init_control	  11
#define EVTCHNOP_expand_array	  12
#define EVTCHNOP_set_priority	  13

#ifndef __ASSEMBLY__

/* A local event channel port number. */
typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * EVTCHNOP_alloc_unbound: make a new port in domain <dom> that domain
 * <remote_dom> may later bind to. OUT: port.
 */
struct evtchn_alloc_unbound {
	domid_t dom;
	domid_t remote_dom;
	evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to the unbound
 * <remote_port> of <remote_dom>. OUT: local_port.
 */
struct evtchn_bind_interdomain {
	domid_t remote_dom;
	evtchn_port_t remote_port;
	evtchn_port_t local_port;
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/* EVTCHNOP_bind_virq: bind VIRQ <virq> on <vcpu> to a new port. OUT: port. */
struct evtchn_bind_virq {
	uint32_t virq;
	uint32_t vcpu;
	evtchn_port_t port;
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/* EVTCHNOP_bind_pirq: bind a physical IRQ to a new port. OUT: port. */
struct evtchn_bind_pirq {
	uint32_t pirq;
#define BIND_PIRQ__WILL_SHARE 1 /* flags: the IRQ may be shared */
	uint32_t flags;
	evtchn_port_t port;
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/* EVTCHNOP_bind_ipi: a port for signalling <vcpu> of this domain. OUT: port. */
struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/* EVTCHNOP_close: close <port>; an interdomain peer becomes unbound. */
struct evtchn_close {
	evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

/* EVTCHNOP_send: signal the other end of <port>. */
struct evtchn_send {
	evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

/*
 * EVTCHNOP_status: describe <port> of domain <dom>. OUT: status, vcpu and
 * the union member matching status.
 */
struct evtchn_status {
	domid_t dom;
	evtchn_port_t port;
#define EVTCHNSTAT_closed      0 /* not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for a remote domain to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to a remote port */
#define EVTCHNSTAT_pirq	       3 /* bound to a physical IRQ */
#define EVTCHNSTAT_virq	       4 /* bound to a VIRQ */
#define EVTCHNSTAT_ipi	       5 /* bound to an IPI */
	uint32_t status;
	uint32_t vcpu; /* vCPU the port notifies */
	union {
		struct {
			domid_t dom;
		} unbound; /* EVTCHNSTAT_unbound */
		struct {
			domid_t dom;
			evtchn_port_t port;
		} interdomain; /* EVTCHNSTAT_interdomain */
		uint32_t pirq; /* EVTCHNSTAT_pirq */
		uint32_t virq; /* EVTCHNSTAT_virq */
	} u;
};
typedef struct evtchn_status evtchn_status_t;

/* EVTCHNOP_bind_vcpu: deliver <port>'s notifications to <vcpu>. */
struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/* EVTCHNOP_unmask: unmask <port>, delivering it if it is pending. */
struct evtchn_unmask {
	evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/* EVTCHNOP_reset: close every port of domain <dom>. */
struct evtchn_reset {
	domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/* EVTCHNOP_set_priority: FIFO ABI priority of <port>. */
struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/*
 * Number of ports the 2-level ABI can address: a word-sized bitmap of
 * word-sized pending bitmaps.
 */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_EVENT_CHANNEL_H__ */
