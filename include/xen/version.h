/* SPDX-License-Identifier: MIT */
/*
 * xen/version.h - version hypercall (__HYPERVISOR_xen_version).
 *
 * Clean-room subset of Xen's public ABI (4.17 interface). Calling
 * convention: HYPERVISOR_xen_version(cmd, arg). The XENFEAT_* bit numbers
 * (xen/features.h) are not provided.
 */
#ifndef __XEN_PUBLIC_VERSION_H__
#define __XEN_PUBLIC_VERSION_H__

#include "xen.h"

/* arg NULL. Returns (major << 16) | minor. */
#define XENVER_version 0

/* arg xen_extraversion_t: the rest of the version string, e.g. ".7". */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* arg xen_compile_info_t: who built Xen, with what, and when. */
#define XENVER_compile_info 2
struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;

/* arg xen_capabilities_info_t: space-separated guest types Xen can run. */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* arg xen_changeset_info_t: source revision Xen was built from. */
#define XENVER_changeset 4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* arg xen_platform_parameters_t: start of the hypervisor's virtual area. */
#define XENVER_platform_parameters 5
struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* arg xen_feature_info_t: 32-bit word <submap_idx> of the feature bitmap. */
#define XENVER_get_features 6
struct xen_feature_info {
	unsigned int submap_idx; /* IN */
	uint32_t submap;	 /* OUT */
};
typedef struct xen_feature_info xen_feature_info_t;

/* arg NULL. Returns the hypervisor's page size in bytes. */
#define XENVER_pagesize 7

/* arg xen_domain_handle_t: the calling domain's handle. */
#define XENVER_guest_handle 8

/* arg xen_commandline_t: Xen's boot command line. */
#define XENVER_commandline 9
typedef char xen_commandline_t[1024];

/*
 * arg xen_build_id_t: IN len = size of buf; OUT the build id bytes. Returns
 * the number of bytes written.
 */
#define XENVER_build_id 10
struct xen_build_id {
	uint32_t len;
	__extension__ unsigned char buf[XEN_FLEX_ARRAY_DIM]; /* C++ has no [] */
};
typedef struct xen_build_id xen_build_id_t;

#endif /* __XEN_PUBLIC_VERSION_H__ */
