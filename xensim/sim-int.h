/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim-int.h - private to the core, machine, control and privcmd parts of
 * the xensim daemon: the layout of struct sim and the entry points main.c
 * uses. The other parts only see sim.h.
 */
#ifndef XENSIM_SIM_INT_H
#define XENSIM_SIM_INT_H

#include <stdio.h>

#include "sim.h"

struct sim_timer;
struct sim_watch;
struct sim_inject;
struct sim_pci_gsi;

#define SIM_LOG_LINES 512

struct sim {
	/* core */
	int listen_fd;
	struct sim_conn *conns;
	unsigned int next_conn_id;
	struct sim_timer *timers;
	long next_timer_id;
	struct sim_watch *watches;
	volatile int quit;

	/* machine */
	bool feat[SIM_F_COUNT];
	char personality[128];	       /* as given (scenario or default) */
	char default_personality[128]; /* --personality, used when a scenario has none */
	struct sim_version ver;
	uint32_t xen_features;	  /* XENVER_get_features submap 0 */
	unsigned int domu_target; /* +domu: the domain privcmd fds start restricted to */
	struct sim_domain *domains;
	struct sim_inject *injects;
	struct sim_pci_gsi *gsis;
	bool arch_arm;		  /* scenario "arch arm" */
	unsigned int domid_rover; /* createdomain: the last domid handed out */
	char *log[SIM_LOG_LINES];
	unsigned int log_next, log_count;
	FILE *logf;
};

/* core */
int sim_init(struct sim *s, int listen_fd);
int sim_run(struct sim *s); /* until s->quit */
void sim_fini(struct sim *s);
/* Detach every device connection (machine reset): release their state. */
void sim_detach_all(struct sim *s);
/* "/dev/xen/privcmd", ... for logs. */
const char *sim_dev_name(enum xsp_device dev);

/* machine */
int sim_machine_init(struct sim *s, const char *personality, const char *logfile);
void sim_machine_fini(struct sim *s);
/* Apply a personality name ("linux-6.1-irqfd+domu"). 0 or -EINVAL. */
int sim_personality_parse(const char *name, bool feat[SIM_F_COUNT]);
int sim_page_out(struct sim *s, struct sim_domain *d, uint64_t gfn, unsigned int retries);
int sim_frame_error(struct sim *s, struct sim_domain *d, uint64_t gfn, int err);
int sim_inject_add(struct sim *s, const char *what, unsigned int nth, unsigned int count,
		   int err);
void sim_inject_clear(struct sim *s);
/* Text listing of the log (oldest first), appended to @r. */
void sim_log_dump(struct sim *s, struct sim_reply *r);
/* Foreign-map statistics of a domain (`show foreign-maps DOM`). */
struct sim_map_stats {
	uint64_t mmapbatch_calls, mmapbatch_frames; /* frames handed out */
	uint64_t mmapbatch_failed;		    /* frames refused */
	uint64_t resource_calls, resource_frames;
};
struct sim_map_stats *sim_domain_map_stats(struct sim_domain *d);
/* GSI of PCI device @sbdf (scenario "pci-gsi"), -ENOENT if none. */
int sim_pci_gsi(struct sim *s, uint32_t sbdf);

/*
 * Toolstack domains (sim-domctl.c): created by XEN_DOMCTL_createdomain
 * without RAM, grown by XENMEM_populate_physmap, destroyed by
 * XEN_DOMCTL_destroydomain. Scenario domains have the same state, with
 * max_pages = their RAM and toolstack false.
 */
struct sim_domctl_state {
	bool toolstack;		  /* created through domctl */
	unsigned int pause_count; /* created paused (1) */
	uint64_t max_pages;	  /* XEN_DOMCTL_max_mem, in pages */
	uint64_t tot_pages;	  /* toolstack domain: pages populated */
	uint64_t paging_pool;	  /* XEN_DOMCTL_set_paging_mempool_size, bytes */
	uint32_t cdf_flags;	  /* XEN_DOMCTL_CDF_* */
	uint32_t ssidref;
	uint8_t handle[16];
};
struct sim_domctl_state *sim_domain_ctl(struct sim_domain *d);
/* A new domain @domid without RAM (its parts initialised). 0 or -errno. */
int sim_domain_add(struct sim *s, unsigned int domid, enum sim_domain_type type,
		   unsigned int vcpus, unsigned int grant_frames);
void sim_domain_remove(struct sim *s, struct sim_domain *d);
/* A gfn of a toolstack domain's RAM range that is not populated: foreign
 * maps of it fail with -EINVAL. */
int sim_domain_set_hole(struct sim_domain *d, uint64_t gfn, bool hole);
bool sim_domain_is_hole(struct sim_domain *d, uint64_t gfn);
/* Grow a toolstack domain's RAM to @pages (gfns 0..pages-1). 0 or -errno. */
int sim_domain_grow(struct sim *s, struct sim_domain *d, uint64_t pages);
/* __HYPERVISOR_domctl with the struct xen_domctl in @b. */
long sim_domctl(struct sim *s, struct sim_conn *c, struct sim_ubuf *b);
/* XENMEM_populate_physmap: reservation @res, extent array @ext (may be NULL). */
long sim_memory_reservation(struct sim *s, uint64_t cmd, struct sim_ubuf *res,
			    struct sim_ubuf *ext);

/* control */
int sim_sysfs_read(struct sim *s, const char *path, struct sim_reply *r);
/* errno from a name ("EIO") or number; -1 if unknown. */
int sim_errno_parse(const char *word);
const char *sim_errno_name(int err);

#endif /* XENSIM_SIM_INT_H */
