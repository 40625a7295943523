/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * sim-hvm.h - private to the "dm" part of the xensim daemon (sim-dm.c,
 * sim-ioreq.c): the HVM device state of a domain (struct sim_domain.hvm)
 * and the ioreq servers in it.
 */
#ifndef XENSIM_SIM_HVM_H
#define XENSIM_SIM_HVM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim.h"

#define SIM_MAX_IOREQ_SERVERS 8	   /* Xen's MAX_NR_IOREQ_SERVERS */
#define SIM_MAX_IO_RANGES     256  /* Xen's MAX_NR_IO_RANGES per rangeset */
#define SIM_NR_IRQS	      1020 /* set_irq_level lines (GIC: SPIs 32..1019) */
#define SIM_NR_LOCAL_IRQS     32   /* SGIs + PPIs: not settable */
#define SIM_MAX_RECORDS	      4096 /* MSIs / events kept per domain */
#define SIM_IOREQ_FRAMES      2	   /* resource frames: bufioreq + one ioreq page */

/* An inclusive range [start, end]; a rangeset is sorted, merged, disjoint. */
struct sim_range {
	uint64_t start, end;
};

struct sim_rangeset {
	struct sim_range *r;
	unsigned int n, cap;
};

struct sim_ioreq_server;
struct sim_io_ticket;

/* Argument of a Xen-side vCPU port's callback. */
struct sim_ioreq_port {
	struct sim_ioreq_server *srv;
	unsigned int vcpu;
};

struct sim_ioreq_server {
	unsigned int id;
	struct sim_domain *d;
	uint8_t bufioreq; /* HVM_IOREQSRV_BUFIOREQ_* */
	bool enabled;
	struct sim_rangeset ranges[3]; /* XEN_DMOP_IO_RANGE_PORT/MEMORY/PCI */

	/* Pages: own memfd (page 0 buffered, page 1 ioreq) until the legacy
	 * gfns are handed out, then the guest RAM frames at those gfns. */
	struct sim_mem mem;
	struct sim_frame frame[SIM_IOREQ_FRAMES]; /* 0 buffered, 1 ioreq */
	unsigned char *page[SIM_IOREQ_FRAMES];
	bool resource_mapped; /* pages handed out by acquire_resource */
	bool legacy;	      /* pages live in guest RAM at the gfns below */
	uint64_t gfn[SIM_IOREQ_FRAMES];

	unsigned int vcpu_port[SIM_MAX_VCPUS]; /* Xen side, in the guest */
	unsigned int buf_port;		       /* 0 if bufioreq is off */
	struct sim_ioreq_port pctx[SIM_MAX_VCPUS];
};

struct sim_cacheattr {
	uint64_t start, end;
	uint32_t type;
	struct sim_cacheattr *next; /* newest first */
};

struct sim_msi {
	uint64_t addr;
	uint32_t data;
};

struct sim_event {
	uint32_t vcpu;
	uint8_t vector, type, insn_len;
	uint32_t error_code;
	uint64_t extra;
};

struct sim_hvm {
	uint8_t isa_irq[16];
	uint8_t link_route[4];
	uint8_t intx[32][4]; /* segment 0, bus 0 only (Xen's emulated bus) */
	uint8_t irq_level[SIM_NR_IRQS];
	uint32_t irq_asserts[SIM_NR_IRQS];

	struct sim_msi *msis;
	unsigned int nmsis;
	struct sim_event *events;
	unsigned int nevents;

	uint64_t nr_gfns;	   /* == d->nr_pages */
	uint8_t *mem_type;	   /* hvmmem_type_t per gfn */
	uint64_t ioreq_type_pages; /* gfns of type HVMMEM_ioreq_server */
	uint8_t *dirty;		   /* bitmap: dirtied since the last track_dirty_vram */
	uint8_t *modified;	   /* bitmap: marked by modified_memory */
	bool vram_tracking;
	uint64_t vram_first;
	uint32_t vram_nr;

	struct sim_cacheattr *cacheattr;
	int shutdown_reason; /* -1: none */

	/* map_mem_type_to_ioreq_server claim */
	struct sim_ioreq_server *mem_claim;
	uint32_t mem_claim_flags;

	struct sim_ioreq_server *srv[SIM_MAX_IOREQ_SERVERS];

	/* the synchronous guest I/O outstanding on each vCPU (or NULL) */
	struct sim_io_ticket *vcpu_io[SIM_MAX_VCPUS];
};

static inline struct sim_hvm *sim_hvm_of(struct sim_domain *d)
{
	return d ? (struct sim_hvm *)d->hvm : NULL;
}

static inline void sim_bit_set(uint8_t *map, uint64_t bit)
{
	map[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static inline bool sim_bit_test(const uint8_t *map, uint64_t bit)
{
	return map[bit / 8] & (1u << (bit % 8));
}

static inline void sim_bit_clear(uint8_t *map, uint64_t bit)
{
	map[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
}

/* sim-dm.c */
/* Fail a control command with @err and a message; returns -@err. */
int sim_dm_ctl_err(struct sim_reply *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Domain named by @word, which must be HVM/PVH; 0 or -errno (answered). */
int sim_dm_hvm_arg(struct sim *s, const char *word, struct sim_reply *r,
		   struct sim_domain **dp);
/* Record a guest write to @gfn (dirty for track_dirty_vram). */
void sim_hvm_mark_dirty(struct sim_hvm *h, uint64_t gfn);

/* sim-ioreq.c: the ioreq-server dm_ops (Xen's checks; bufs[0] is op). */
struct xen_dm_op;
int sim_ioreq_dm_op(struct sim *s, struct sim_domain *d, struct xen_dm_op *op,
		    bool *written);
/* Show commands of the ioreq part (ioreq-server, ioreq-range). */
int sim_ioreq_show(struct sim *s, struct sim_domain *d, int argc, char **argv,
		   struct sim_reply *r);
/* Control commands io, io-submit, io-wait, io-rep[-submit], io-broadcast[-submit]. */
int sim_ioreq_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
		      struct sim_reply *r);
/* Free every server of @h (domain destruction; ports are not freed). */
void sim_ioreq_domain_destroy(struct sim *s, struct sim_domain *d);

/* rangesets (sim-ioreq.c) */
bool sim_rangeset_overlaps(const struct sim_rangeset *rs, uint64_t s, uint64_t e);
bool sim_rangeset_contains(const struct sim_rangeset *rs, uint64_t s, uint64_t e);
int sim_rangeset_add(struct sim_rangeset *rs, uint64_t s, uint64_t e);
int sim_rangeset_remove(struct sim_rangeset *rs, uint64_t s, uint64_t e);
void sim_rangeset_free(struct sim_rangeset *rs);

#endif /* XENSIM_SIM_HVM_H */
