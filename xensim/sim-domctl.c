/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The few toolstack operations xensim models, only so that a test can
 * create a guest the way a real toolstack does (Debian's libxenctrl:
 * xc_domain_create, xc_set_paging_mempool_size, xc_domain_setmaxmem,
 * xc_domain_populate_physmap_exact, xc_domain_destroy):
 *
 *   __HYPERVISOR_domctl  createdomain, destroydomain, pausedomain,
 *                        unpausedomain, getdomaininfo, max_mem,
 *                        get/set_paging_mempool_size
 *   __HYPERVISOR_memory_op  XENMEM_populate_physmap
 *
 * Checks and answers as Xen 4.17 gives them (compared with the real Xen by
 * tests/xen/differential, live-diff). Every other domctl fails loudly:
 * -ENOSYS and a log line.
 */
#include "config.h"

/* the current interface: guest handles are structs, all fields named */
#define __XEN_INTERFACE_VERSION__ 0x00040e00

#include <errno.h>
#include <string.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/memory.h>

#include "domctl-abi.h"
#include "sim-int.h"

#define DOMID_SELF_	      0x7FF0u
#define MEMOP_CMD_MASK_	      0x3fu
#define MEMOP_EXTENT_SHIFT_   6
#define DEFAULT_GRANT_FRAMES_ 64    /* Xen's gnttab_max_frames default */
#define MAX_GROW_	      65536 /* pages one extent may add beyond the RAM end */
#define CDF_KNOWN_                                                                       \
	(XS_CDF_hvm | XS_CDF_hap | XS_CDF_s3_integrity | XS_CDF_oos_off |                \
	 XS_CDF_xs_domain | XS_CDF_iommu | XS_CDF_nested_virt | XS_CDF_vpmu)

static const char *domctl_name(uint32_t cmd)
{
	switch (cmd) {
	case XS_DOMCTL_createdomain:
		return "createdomain";
	case XS_DOMCTL_destroydomain:
		return "destroydomain";
	case XS_DOMCTL_pausedomain:
		return "pausedomain";
	case XS_DOMCTL_unpausedomain:
		return "unpausedomain";
	case XS_DOMCTL_getdomaininfo:
		return "getdomaininfo";
	case XS_DOMCTL_max_mem:
		return "max_mem";
	case XS_DOMCTL_get_paging_mempool_size:
		return "get_paging_mempool_size";
	case XS_DOMCTL_set_paging_mempool_size:
		return "set_paging_mempool_size";
	default:
		return NULL;
	}
}

static bool domid_free(struct sim *s, unsigned int domid)
{
	return !sim_domain_find(s, domid);
}

/* Xen's choice: the next free id after the last one handed out. */
static int pick_domid(struct sim *s, unsigned int *domid)
{
	unsigned int d = s->domid_rover;

	for (unsigned int i = 0; i < SIM_DOMID_FIRST_RESERVED; i++) {
		if (++d >= SIM_DOMID_FIRST_RESERVED)
			d = 1;
		if (domid_free(s, d)) {
			s->domid_rover = d;
			*domid = d;
			return 0;
		}
	}
	return -ENOMEM;
}

static long createdomain(struct sim *s, struct xs_domctl *dc)
{
	struct xs_domctl_createdomain *cf = &dc->u.createdomain;
	uint32_t emu = cf->emulation_flags, want;
	enum sim_domain_type type;
	unsigned int domid = dc->domain, frames;
	struct sim_domain *d;
	int rc;

	if (cf->flags & ~CDF_KNOWN_)
		return -EINVAL;
	if ((cf->flags & XS_CDF_hap) && !(cf->flags & XS_CDF_hvm))
		return -EINVAL;
	if (cf->flags &
	    (XS_CDF_iommu | XS_CDF_nested_virt | XS_CDF_vpmu | XS_CDF_xs_domain)) {
		sim_log(s, "domctl createdomain: flags %#x not simulated", cf->flags);
		return -EINVAL;
	}
	if (cf->vmtrace_size || cf->iommu_opts)
		return -EINVAL;
	if (cf->max_vcpus < 1)
		return -EINVAL;
	if (cf->max_vcpus > SIM_MAX_VCPUS) {
		sim_log(s, "domctl createdomain: %u vCPUs, xensim simulates at most %d",
			cf->max_vcpus, SIM_MAX_VCPUS);
		return -EINVAL;
	}
	if (cf->cpupool_id)
		return -ENOENT;
	/* x86: the emulators an HVM (all but vPCI) or PVH (LAPIC) domU may have,
	 * none or the PIT for PV; anything else Xen refuses with EOPNOTSUPP */
	if (cf->flags & XS_CDF_hvm) {
		want = XS_X86_EMU_ALL & ~XS_X86_EMU_VPCI;
		if (emu == want)
			type = SIM_DOM_HVM;
		else if (emu == XS_X86_EMU_LAPIC)
			type = SIM_DOM_PVH;
		else {
			sim_log(s,
				"domctl createdomain: Xen does not allow HVM domain "
				"creation "
				"with the current selection of emulators: %#x",
				emu);
			return -EOPNOTSUPP;
		}
	} else {
		if (emu && emu != XS_X86_EMU_PIT)
			return -EOPNOTSUPP;
		type = SIM_DOM_PV;
	}
	if ((cf->grant_opts & 0xfu) != 1) {
		sim_log(s,
			"domctl createdomain: grant table version %u not simulated (v1 "
			"only)",
			(cf->grant_opts & 0xfu));
		return -EINVAL;
	}
	if (cf->max_grant_frames == -1)
		frames = DEFAULT_GRANT_FRAMES_;
	else if (cf->max_grant_frames < 1 || cf->max_grant_frames > 4096)
		return -EINVAL;
	else
		frames = (unsigned int)cf->max_grant_frames;

	if (domid == 0 || domid >= SIM_DOMID_FIRST_RESERVED) {
		rc = pick_domid(s, &domid);
		if (rc)
			return rc;
	} else if (!domid_free(s, domid)) {
		return -EEXIST;
	}
	rc = sim_domain_add(s, domid, type, cf->max_vcpus, frames);
	if (rc) {
		sim_log(s, "domctl createdomain: cannot create domain %u (%d)", domid,
			rc);
		return rc;
	}
	d = sim_domain_find(s, domid);
	{
		struct sim_domctl_state *st = sim_domain_ctl(d);

		st->pause_count = 1; /* a new domain is paused until unpaused */
		st->max_pages = 0;
		st->cdf_flags = cf->flags;
		st->ssidref = cf->ssidref;
		memcpy(st->handle, cf->handle, sizeof(st->handle));
	}
	snprintf(d->name, sizeof(d->name), "domctl%u", domid);
	sim_log(s, "domctl createdomain: domain %u (%s, %u vCPUs, %u grant frames)",
		domid,
		type == SIM_DOM_HVM   ? "hvm"
		: type == SIM_DOM_PVH ? "pvh"
				      : "pv",
		cf->max_vcpus, frames);
	dc->domain = (domid_t)domid;
	return 0;
}

static long getdomaininfo(struct sim *s, struct xs_domctl *dc)
{
	struct xs_domctl_getdomaininfo *gi = &dc->u.getdomaininfo;
	struct sim_domctl_state *st;
	struct sim_domain *d;

	/* the first domain with an id >= the one asked for */
	if (dc->domain >= SIM_DOMID_FIRST_RESERVED)
		return -ESRCH;
	for (d = sim_domains(s); d && d->domid < dc->domain; d = d->next)
		;
	if (!d)
		return -ESRCH;
	st = sim_domain_ctl(d);
	memset(gi, 0, sizeof(*gi));
	gi->domain = (domid_t)d->domid;
	if (sim_domain_is_hvm(d))
		gi->flags |= XS_DOMINF_hvm_guest | XS_DOMINF_hap;
	if (st->pause_count)
		gi->flags |= XS_DOMINF_paused;
	/* a domain not built has no vCPU: neither running nor blocked */
	if (d->built && !st->pause_count)
		gi->flags |= XS_DOMINF_running;
	gi->tot_pages = st->toolstack ? st->tot_pages : d->nr_pages;
	gi->max_pages = st->max_pages;
	gi->shared_info_frame = 0;
	gi->nr_online_vcpus = d->built ? d->vcpus : 0;
	gi->max_vcpu_id = d->built ? d->vcpus - 1 : ~0u; /* XEN_INVALID_MAX_VCPU_ID */
	gi->ssidref = st->ssidref;
	memcpy(gi->handle, st->handle, sizeof(gi->handle));
	gi->gpaddr_bits = 48;
	dc->domain = (domid_t)d->domid;
	return 0;
}

long sim_domctl(struct sim *s, struct sim_conn *c, struct sim_ubuf *b)
{
	struct xs_domctl dc;
	struct sim_domain *d = NULL;
	const char *name;
	long rc;

	(void)c;
	if (!b || b->size < sizeof(dc))
		return -EFAULT;
	memcpy(&dc, b->data, sizeof(dc));
	if (dc.interface_version != XS_DOMCTL_INTERFACE_VERSION)
		return -EACCES;
	name = domctl_name(dc.cmd);
	if (dc.cmd != XS_DOMCTL_createdomain && dc.cmd != XS_DOMCTL_getdomaininfo) {
		d = sim_domain_find(s, dc.domain == DOMID_SELF_ ? 0 : dc.domain);
		if (!d) {
			if (!name)
				sim_log(s, "domctl %u (dom %u) not simulated", dc.cmd,
					dc.domain);
			return -ESRCH;
		}
	}
	switch (dc.cmd) {
	case XS_DOMCTL_createdomain:
		rc = createdomain(s, &dc);
		break;
	case XS_DOMCTL_getdomaininfo:
		rc = getdomaininfo(s, &dc);
		break;
	case XS_DOMCTL_destroydomain:
		if (d->domid == 0)
			return -EINVAL;
		if (!sim_domain_ctl(d)->toolstack)
			sim_log(s, "domctl destroydomain: scenario domain %u destroyed",
				d->domid);
		sim_log(s, "domctl destroydomain: domain %u", d->domid);
		sim_domain_remove(s, d);
		return 0;
	case XS_DOMCTL_pausedomain:
		if (d->domid == 0)
			return -EINVAL;
		sim_domain_ctl(d)->pause_count++;
		return 0;
	case XS_DOMCTL_unpausedomain:
		if (d->domid == 0)
			return -EINVAL;
		if (sim_domain_ctl(d)->pause_count)
			sim_domain_ctl(d)->pause_count--;
		return 0;
	case XS_DOMCTL_max_mem:
		sim_domain_ctl(d)->max_pages = dc.u.max_memkb >> (SIM_PAGE_SHIFT - 10);
		return 0;
	case XS_DOMCTL_get_paging_mempool_size:
		dc.u.paging_pool = sim_domain_ctl(d)->paging_pool;
		rc = 0;
		break;
	case XS_DOMCTL_set_paging_mempool_size:
		if (dc.u.paging_pool & (SIM_PAGE_SIZE - 1))
			return -EINVAL;
		if (!sim_domain_is_hvm(d) && d->type != SIM_DOM_PV)
			return -EINVAL;
		sim_domain_ctl(d)->paging_pool = dc.u.paging_pool;
		return 0;
	default:
		sim_log(s, "domctl %u (dom %u) not simulated", dc.cmd, dc.domain);
		return -ENOSYS;
	}
	if (rc == 0) {
		memcpy(b->data, &dc, sizeof(dc));
		b->written = true;
	}
	return rc;
}

/*
 * XENMEM_populate_physmap for a toolstack domain: RAM grows at its end
 * (gfns 0..n-1 stay one contiguous memfd); gfns below the end are already
 * there. A gfn beyond the end would leave a hole, which xensim does not
 * model: the call stops there (logged). Returns the extents done, as Xen.
 */
long sim_memory_reservation(struct sim *s, uint64_t cmd, struct sim_ubuf *res,
			    struct sim_ubuf *ext)
{
	struct xen_memory_reservation mr;
	struct sim_domctl_state *st;
	struct sim_domain *d;
	uint64_t start = cmd >> MEMOP_EXTENT_SHIFT_, i;
	long rc;

	if ((cmd & MEMOP_CMD_MASK_) != XENMEM_populate_physmap) {
		sim_log(s, "hypercall memory_op sub-op %llu not simulated",
			(unsigned long long)(cmd & MEMOP_CMD_MASK_));
		return -ENOSYS;
	}
	if (!res || res->size < sizeof(mr))
		return -EFAULT;
	memcpy(&mr, res->data, sizeof(mr));
	if (mr.extent_order > 9 || mr.mem_flags) {
		sim_log(s, "populate_physmap: order %u flags %#x not simulated",
			mr.extent_order, mr.mem_flags);
		return -EINVAL;
	}
	d = sim_domain_find(s, mr.domid == DOMID_SELF_ ? 0 : mr.domid);
	if (!d)
		return -ESRCH;
	st = sim_domain_ctl(d);
	if (!st->toolstack) {
		sim_log(s,
			"populate_physmap of domain %u (not created by domctl) not "
			"simulated",
			d->domid);
		return -ENOSYS;
	}
	if (start > mr.nr_extents)
		return -EINVAL;
	if (mr.nr_extents && (!ext || ext->size < mr.nr_extents * sizeof(xen_pfn_t)))
		return -EFAULT;
	for (i = start; i < mr.nr_extents; i++) {
		xen_pfn_t gfn;
		uint64_t n = 1ull << mr.extent_order, old = d->nr_pages, add = 0;

		memcpy(&gfn, ext->data + i * sizeof(gfn), sizeof(gfn));
		if (gfn & (n - 1))
			break; /* a misaligned extent fails */
		if (st->tot_pages + n > st->max_pages) {
			sim_log(s, "populate_physmap: dom%u over its max_pages %llu",
				d->domid, (unsigned long long)st->max_pages);
			break;
		}
		if (gfn + n > old && gfn + n - old > MAX_GROW_) {
			sim_log(s,
				"populate_physmap: dom%u gfn %#llx: a hole of more than "
				"%u pages "
				"is not simulated",
				d->domid, (unsigned long long)gfn, MAX_GROW_);
			break;
		}
		if (gfn + n > old) {
			rc = sim_domain_grow(s, d, gfn + n);
			if (rc)
				return i ? (long)i : rc;
			for (uint64_t g = old; g < gfn; g++) /* the gfns skipped */
				if (sim_domain_set_hole(d, g, true))
					return i ? (long)i : -ENOMEM;
		}
		for (uint64_t g = gfn; g < gfn + n; g++) {
			void *p = sim_guest_ptr(d, g << SIM_PAGE_SHIFT, SIM_PAGE_SIZE);

			if (g >= old || sim_domain_is_hole(d, g))
				add++;
			else if (p) /* a fresh page replaces the one there */
				memset(p, 0, SIM_PAGE_SIZE);
			sim_domain_set_hole(d, g, false);
		}
		st->tot_pages += add;
	}
	return (long)i;
}
