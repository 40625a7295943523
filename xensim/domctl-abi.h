/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * domctl-abi.h - the part of Xen 4.17's domctl interface (an unstable,
 * per-release toolstack ABI, XEN_DOMCTL_INTERFACE_VERSION 0x15) that
 * xensim models so that tests can create guests as the real toolstack does
 * (sim-domctl.c). Layouts as Xen 4.17 on x86_64 (checked against Debian's
 * libxen-dev 4.17 headers: struct xen_domctl is 144 bytes, the union at 16).
 */
#ifndef XENSIM_DOMCTL_ABI_H
#define XENSIM_DOMCTL_ABI_H

#include <stdint.h>

#define XS_DOMCTL_INTERFACE_VERSION 0x15u

#define XS_DOMCTL_createdomain		  1
#define XS_DOMCTL_destroydomain		  2
#define XS_DOMCTL_pausedomain		  3
#define XS_DOMCTL_unpausedomain		  4
#define XS_DOMCTL_getdomaininfo		  5
#define XS_DOMCTL_max_mem		  11
#define XS_DOMCTL_get_paging_mempool_size 85
#define XS_DOMCTL_set_paging_mempool_size 86

/* createdomain flags (XEN_DOMCTL_CDF_*) */
#define XS_CDF_hvm	    (1u << 0)
#define XS_CDF_hap	    (1u << 1)
#define XS_CDF_s3_integrity (1u << 2)
#define XS_CDF_oos_off	    (1u << 3)
#define XS_CDF_xs_domain    (1u << 4)
#define XS_CDF_iommu	    (1u << 5)
#define XS_CDF_nested_virt  (1u << 6)
#define XS_CDF_vpmu	    (1u << 7)

/* x86 emulation flags (XEN_X86_EMU_*) */
#define XS_X86_EMU_LAPIC (1u << 0)
#define XS_X86_EMU_PIT	 (1u << 8)
#define XS_X86_EMU_VPCI	 (1u << 10)
#define XS_X86_EMU_ALL	 0x7ffu

/* getdomaininfo flags (XEN_DOMINF_*) */
#define XS_DOMINF_hvm_guest (1u << 1)
#define XS_DOMINF_paused    (1u << 3)
#define XS_DOMINF_running   (1u << 5)
#define XS_DOMINF_hap	    (1u << 8)

struct xs_domctl_createdomain { /* 64 bytes */
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t flags;
	uint32_t iommu_opts;
	uint32_t max_vcpus;
	uint32_t max_evtchn_port;
	int32_t max_grant_frames;
	int32_t max_maptrack_frames;
	uint32_t grant_opts; /* low 4 bits: grant table version */
	uint32_t vmtrace_size;
	uint32_t cpupool_id;
	uint32_t emulation_flags; /* struct xen_arch_domainconfig (x86) */
	uint32_t misc_flags;
};

struct xs_domctl_getdomaininfo { /* 112 bytes */
	uint16_t domain;
	uint16_t pad1;
	uint32_t flags;
	uint64_t tot_pages, max_pages, outstanding_pages, shr_pages, paged_pages;
	uint64_t shared_info_frame, cpu_time;
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;
	uint32_t ssidref;
	uint8_t handle[16];
	uint32_t cpupool;
	uint8_t gpaddr_bits;
	uint8_t pad2[7];
	uint32_t emulation_flags, misc_flags;
};

struct xs_domctl { /* 144 bytes */
	uint32_t cmd;
	uint32_t interface_version;
	uint16_t domain;
	uint16_t pad[3];
	union {
		struct xs_domctl_createdomain createdomain;
		struct xs_domctl_getdomaininfo getdomaininfo;
		uint64_t max_memkb;   /* max_mem */
		uint64_t paging_pool; /* get/set_paging_mempool_size: bytes */
		uint8_t raw[128];
	} u;
};

_Static_assert(sizeof(struct xs_domctl_createdomain) == 64, "createdomain layout");
_Static_assert(sizeof(struct xs_domctl_getdomaininfo) == 112, "getdomaininfo layout");
_Static_assert(sizeof(struct xs_domctl) == 144, "domctl layout");

#endif /* XENSIM_DOMCTL_ABI_H */
