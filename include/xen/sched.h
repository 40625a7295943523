/* SPDX-License-Identifier: MIT */
/*
 * xen/sched.h - scheduler hypercall (__HYPERVISOR_sched_op).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface): the sub-op
 * numbers, the shutdown requests and the SHUTDOWN_* reason codes (which
 * XEN_DMOP_remote_shutdown uses too). Calling convention:
 * HYPERVISOR_sched_op(cmd, &arg).
 */
#ifndef __XEN_PUBLIC_SCHED_H__
#define __XEN_PUBLIC_SCHED_H__

#include "event_channel.h"

#define SCHEDOP_yield		0 /* arg NULL: give up the CPU */
#define SCHEDOP_block		1 /* arg NULL: sleep until an event */
#define SCHEDOP_shutdown	2 /* arg struct sched_shutdown */
#define SCHEDOP_poll		3 /* wait for one of a set of ports */
#define SCHEDOP_remote_shutdown 4 /* arg struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code	5 /* arg struct sched_shutdown: record reason */
#define SCHEDOP_watchdog	6 /* set up or kick a domain watchdog */
#define SCHEDOP_pin_override	7 /* temporarily pin a vCPU (hardware domain) */

#ifndef __ASSEMBLY__
/* SCHEDOP_shutdown, SCHEDOP_shutdown_code: the caller stops for <reason>. */
struct sched_shutdown {
	unsigned int reason; /* SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

/* SCHEDOP_remote_shutdown: shut down domain <domain_id> for <reason>. */
struct sched_remote_shutdown {
	domid_t domain_id;
	unsigned int reason; /* SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);
#endif

/* Why a domain shut down. */
#define SHUTDOWN_poweroff   0 /* halted; clean up and destroy it */
#define SHUTDOWN_reboot	    1 /* clean up, destroy and start it again */
#define SHUTDOWN_suspend    2 /* state saved; keep it for resume */
#define SHUTDOWN_crash	    3 /* it crashed */
#define SHUTDOWN_watchdog   4 /* its watchdog expired */
#define SHUTDOWN_soft_reset 5 /* reset in place, keeping its memory */
#define SHUTDOWN_MAX	    5 /* highest valid reason */

#endif /* __XEN_PUBLIC_SCHED_H__ */
