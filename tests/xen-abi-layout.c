/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xen-abi-layout - print the ABI facts of the Xen public headers in use.
 *
 * Built twice by tests/check-xen-abi-layout.sh, once against xenstable's
 * include/xen and once against the distribution's /usr/include/xen; the two
 * outputs (sorted) must be identical. One fact per line:
 *
 *   guard <NAME>                            include guard defined
 *   sizeof <type> = N align A               size and alignment (_Alignof)
 *   offsetof <type>.<field> = N size S      offset and size of a member
 *   bits <type>.<field> = byte B mask M     bit-field position (one per byte)
 *   value <EXPR> = 0x... <s|u><bits>        integer constant, its signedness
 *                                           and width
 *   string <NAME> = "..."                   string constant
 *   tokens <NAME> = ...                     macro expansion (for macros that
 *                                           expand to nothing or to a bound)
 *   bytes <what> = xx xx ...                memory image of an operation
 *
 * Every macro, structure and typedef that include/xen defines must be
 * named in this file; the script checks that too. The one name not printed
 * is __extension__, which the headers define (empty) only for compilers
 * that are not GNU-compatible. Unless XS_ABI_GUEST is
 * defined the program is a tools program (__XEN_TOOLS__, newest interface);
 * with it, the interface version is whatever the command line says
 * (possibly none, i.e. the original interface).
 */
#ifndef XS_ABI_GUEST
#define __XEN_TOOLS__ 1
#endif

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/xen-compat.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/dm_op.h>
#include <xen/hvm/ioreq.h>

#define XS_STR_(x) #x
#define XS_XSTR(x) XS_STR_(x)

#define GUARD(m) printf("guard %s\n", #m)
#define SIZE(T)                                                                          \
	printf("sizeof %s = %zu align %zu\n", #T, (size_t)sizeof(T), (size_t) _Alignof(T))
#define OFF(T, F)                                                                        \
	printf("offsetof %s.%s = %zu size %zu\n", #T, #F, (size_t)offsetof(T, F),        \
	       (size_t)sizeof(((T *)0)->F))
/* For a flexible array member, which has no size. */
#define OFF_FLEX(T, F) printf("offsetof %s.%s = %zu\n", #T, #F, (size_t)offsetof(T, F))
/* (e) * 0 - 1 is positive only when e has an unsigned type. */
#define VAL(e)	  value_line(#e, (unsigned long long)(e), sizeof(e), (e)*0 - 1 > 0)
#define STRING(m) printf("string %s = \"%s\"\n", #m, m)
#define TOKENS(m) printf("tokens %s = %s\n", #m, XS_XSTR(m))
#define BITS(T, F)                                                                       \
	do {                                                                             \
		T bits_obj_;                                                             \
		volatile unsigned long long bits_ones_ = ~0ULL;                          \
		memset(&bits_obj_, 0, sizeof(bits_obj_));                                \
		bits_obj_.F = bits_ones_;                                                \
		bits_line(#T, #F, &bits_obj_, sizeof(bits_obj_));                        \
	} while (0)

static void value_line(const char *name, unsigned long long v, size_t size,
		       int is_unsigned)
{
	printf("value %s = 0x%llx %c%zu\n", name, v, is_unsigned ? 'u' : 's', size * 8);
}

static void bits_line(const char *type, const char *field, const void *obj, size_t n)
{
	const unsigned char *p = obj;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			printf("bits %s.%s = byte %zu mask 0x%02x\n", type, field, i,
			       p[i]);
}

static void bytes_line(const char *what, const void *obj, size_t n)
{
	const unsigned char *p = obj;
	size_t i;

	printf("bytes %s =", what);
	for (i = 0; i < n; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

/* Handle types made by the program itself, through each defining macro. */
DEFINE_XEN_GUEST_HANDLE(ioservid_t);
__DEFINE_XEN_GUEST_HANDLE(xs_short, short);
___DEFINE_XEN_GUEST_HANDLE(xs_long, long);

/* Sizes of every handle flavour of a handle name. */
#ifdef XEN_GUEST_HANDLE_64
#define HANDLE_64(n) SIZE(XEN_GUEST_HANDLE_64(n))
#else
#define HANDLE_64(n) ((void)0)
#endif
#define HANDLE(n)                                                                        \
	do {                                                                             \
		SIZE(XEN_GUEST_HANDLE(n));                                               \
		SIZE(XEN_GUEST_HANDLE(const_##n));                                       \
		SIZE(XEN_GUEST_HANDLE_PARAM(n));                                         \
		SIZE(__XEN_GUEST_HANDLE(n));                                             \
		HANDLE_64(n);                                                            \
	} while (0)

static void print_compat_and_xen(void)
{
	GUARD(__XEN_PUBLIC_XEN_COMPAT_H__);
	GUARD(__XEN_PUBLIC_XEN_H__);
	VAL(__XEN_LATEST_INTERFACE_VERSION__);
	VAL(__XEN_INTERFACE_VERSION__);
	TOKENS(XEN_FLEX_ARRAY_DIM);
	TOKENS(COMPAT_FLEX_ARRAY_DIM);
#if defined(__i386__) || defined(__x86_64__)
	GUARD(__XEN_PUBLIC_ARCH_X86_XEN_H__);
	VAL(XEN_HAVE_PV_GUEST_ENTRY);
	VAL(XEN_HAVE_PV_UPCALL_MASK);
#endif
#if defined(__i386__)
	GUARD(__XEN_PUBLIC_ARCH_X86_XEN_X86_32_H__);
#elif defined(__x86_64__)
	GUARD(__XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__);
#else
	GUARD(__XEN_PUBLIC_ARCH_ARM_H__);
	VAL(XEN_HYPERCALL_TAG);
#endif
#ifdef xen_pfn_to_cr3
	VAL(xen_pfn_to_cr3(0x123456));
	VAL(xen_cr3_to_pfn(0x23456001));
#endif
	VAL(XEN_LEGACY_MAX_VCPUS);

	/* Integer types. */
	SIZE(domid_t);
	VAL((domid_t)-1);
	SIZE(xen_pfn_t);
	VAL((xen_pfn_t)-1);
	STRING(PRI_xen_pfn);
	STRING(PRIu_xen_pfn);
	SIZE(xen_ulong_t);
	VAL((xen_ulong_t)-1);
	STRING(PRI_xen_ulong);
	SIZE(uint64_aligned_t);
#ifdef int64_aligned_t
	SIZE(int64_aligned_t);
#endif
	SIZE(xen_domain_handle_t);
	VAL(xen_mk_uint(5));
	VAL(xen_mk_ulong(5));
	VAL(xen_mk_ullong(5));
	VAL(__xen_mk_uint(7));
	VAL(__xen_mk_ulong(7));
	VAL(__xen_mk_ullong(7));

	/* Guest handles. */
	HANDLE(char);
	HANDLE(uchar);
	HANDLE(int);
	HANDLE(uint);
#if __XEN_INTERFACE_VERSION__ < 0x00040300
	HANDLE(long);
	HANDLE(ulong);
#endif
	HANDLE(void);
	HANDLE(uint64_t);
	HANDLE(xen_pfn_t);
	HANDLE(xen_ulong_t);
	HANDLE(uint8);
	HANDLE(uint16);
	HANDLE(uint32);
	HANDLE(uint64);
	HANDLE(multicall_entry_t);
	HANDLE(ioservid_t);
	HANDLE(xs_short);
	SIZE(XEN_GUEST_HANDLE(xs_long));
#ifdef __XEN_GUEST_HANDLE_64
	SIZE(__XEN_GUEST_HANDLE_64(void));
#endif
#if !(defined(__i386__) || defined(__x86_64__)) || __XEN_INTERFACE_VERSION__ >= 0x00030201
	{
		/* What the setters leave in a handle full of junk. */
		XEN_GUEST_HANDLE(void) h;
		XEN_GUEST_HANDLE_PARAM(void) hp;

		memset(&h, 0xa5, sizeof(h));
		set_xen_guest_handle(h, (void *)(uintptr_t)0x12345678);
		bytes_line("set_xen_guest_handle(XEN_GUEST_HANDLE(void))", &h, sizeof(h));
		memset(&hp, 0xa5, sizeof(hp));
		set_xen_guest_handle_raw(hp, (void *)(uintptr_t)0x12345678);
		bytes_line("set_xen_guest_handle_raw(XEN_GUEST_HANDLE_PARAM(void))", &hp,
			   sizeof(hp));
#ifdef XEN_GUEST_HANDLE_64
		{
			XEN_GUEST_HANDLE_64(uint8) h64;

			memset(&h64, 0xa5, sizeof(h64));
			set_xen_guest_handle(h64, (uint8_t *)(uintptr_t)0x12345678);
			bytes_line("set_xen_guest_handle(XEN_GUEST_HANDLE_64(uint8))",
				   &h64, sizeof(h64));
		}
#endif
	}
#else
	{
		/* Before structured handles, an x86 handle was a plain pointer. */
		XEN_GUEST_HANDLE(void) h = (void *)(uintptr_t)0x12345678;

		bytes_line("XEN_GUEST_HANDLE(void) = pointer", &h, sizeof(h));
	}
#endif

	/* Hypercall numbers. */
	VAL(__HYPERVISOR_set_trap_table);
	VAL(__HYPERVISOR_mmu_update);
	VAL(__HYPERVISOR_set_gdt);
	VAL(__HYPERVISOR_stack_switch);
	VAL(__HYPERVISOR_set_callbacks);
	VAL(__HYPERVISOR_fpu_taskswitch);
	VAL(__HYPERVISOR_sched_op_compat);
	VAL(__HYPERVISOR_platform_op);
	VAL(__HYPERVISOR_set_debugreg);
	VAL(__HYPERVISOR_get_debugreg);
	VAL(__HYPERVISOR_update_descriptor);
	VAL(__HYPERVISOR_memory_op);
	VAL(__HYPERVISOR_multicall);
	VAL(__HYPERVISOR_update_va_mapping);
	VAL(__HYPERVISOR_set_timer_op);
	VAL(__HYPERVISOR_event_channel_op_compat);
	VAL(__HYPERVISOR_xen_version);
	VAL(__HYPERVISOR_console_io);
	VAL(__HYPERVISOR_physdev_op_compat);
	VAL(__HYPERVISOR_grant_table_op);
	VAL(__HYPERVISOR_vm_assist);
	VAL(__HYPERVISOR_update_va_mapping_otherdomain);
	VAL(__HYPERVISOR_iret);
	VAL(__HYPERVISOR_vcpu_op);
	VAL(__HYPERVISOR_set_segment_base);
	VAL(__HYPERVISOR_mmuext_op);
	VAL(__HYPERVISOR_xsm_op);
	VAL(__HYPERVISOR_nmi_op);
	VAL(__HYPERVISOR_sched_op);
	VAL(__HYPERVISOR_callback_op);
	VAL(__HYPERVISOR_xenoprof_op);
	VAL(__HYPERVISOR_event_channel_op);
	VAL(__HYPERVISOR_physdev_op);
	VAL(__HYPERVISOR_hvm_op);
	VAL(__HYPERVISOR_sysctl);
	VAL(__HYPERVISOR_domctl);
	VAL(__HYPERVISOR_kexec_op);
	VAL(__HYPERVISOR_tmem_op);
	VAL(__HYPERVISOR_argo_op);
	VAL(__HYPERVISOR_xenpmu_op);
	VAL(__HYPERVISOR_dm_op);
	VAL(__HYPERVISOR_hypfs_op);
	VAL(__HYPERVISOR_arch_0);
	VAL(__HYPERVISOR_arch_1);
	VAL(__HYPERVISOR_arch_2);
	VAL(__HYPERVISOR_arch_3);
	VAL(__HYPERVISOR_arch_4);
	VAL(__HYPERVISOR_arch_5);
	VAL(__HYPERVISOR_arch_6);
	VAL(__HYPERVISOR_arch_7);
#ifdef __HYPERVISOR_dom0_op
	VAL(__HYPERVISOR_dom0_op);
#endif

	/* Virtual IRQs. */
	VAL(VIRQ_TIMER);
	VAL(VIRQ_DEBUG);
	VAL(VIRQ_CONSOLE);
	VAL(VIRQ_DOM_EXC);
	VAL(VIRQ_TBUF);
	VAL(VIRQ_DEBUGGER);
	VAL(VIRQ_XENOPROF);
	VAL(VIRQ_CON_RING);
	VAL(VIRQ_PCPU_STATE);
	VAL(VIRQ_MEM_EVENT);
	VAL(VIRQ_ARGO);
	VAL(VIRQ_ENOMEM);
	VAL(VIRQ_XENPMU);
	VAL(VIRQ_ARCH_0);
	VAL(VIRQ_ARCH_1);
	VAL(VIRQ_ARCH_2);
	VAL(VIRQ_ARCH_3);
	VAL(VIRQ_ARCH_4);
	VAL(VIRQ_ARCH_5);
	VAL(VIRQ_ARCH_6);
	VAL(VIRQ_ARCH_7);
	VAL(NR_VIRQS);

	/* Domain ids. */
	VAL(DOMID_FIRST_RESERVED);
	VAL(DOMID_SELF);
	VAL(DOMID_IO);
	VAL(DOMID_XEN);
	VAL(DOMID_COW);
	VAL(DOMID_INVALID);
	VAL(DOMID_IDLE);
	VAL(DOMID_MASK);

	SIZE(struct multicall_entry);
	SIZE(multicall_entry_t);
	OFF(multicall_entry_t, op);
	OFF(multicall_entry_t, result);
	OFF(multicall_entry_t, args);
#ifdef NR_EVENT_CHANNELS
	VAL(NR_EVENT_CHANNELS);
#endif
#ifdef __XEN_TOOLS__
	SIZE(struct xenctl_bitmap);
	SIZE(xenctl_bitmap_t);
	OFF(xenctl_bitmap_t, bitmap);
	OFF(xenctl_bitmap_t, nr_bits);
#endif
}

static void print_event_channel(void)
{
	GUARD(__XEN_PUBLIC_EVENT_CHANNEL_H__);
	VAL(EVTCHNOP_bind_interdomain);
	VAL(EVTCHNOP_bind_virq);
	VAL(EVTCHNOP_bind_pirq);
	VAL(EVTCHNOP_close);
	VAL(EVTCHNOP_send);
	VAL(EVTCHNOP_status);
	VAL(EVTCHNOP_alloc_unbound);
	VAL(EVTCHNOP_bind_ipi);
	VAL(EVTCHNOP_bind_vcpu);
	VAL(EVTCHNOP_unmask);
	VAL(EVTCHNOP_reset);
	VAL(EVTCHNOP_init_control);
	VAL(EVTCHNOP_expand_array);
	VAL(EVTCHNOP_set_priority);
	SIZE(evtchn_port_t);
	VAL((evtchn_port_t)-1);
	HANDLE(evtchn_port_t);

	SIZE(struct evtchn_alloc_unbound);
	SIZE(evtchn_alloc_unbound_t);
	OFF(evtchn_alloc_unbound_t, dom);
	OFF(evtchn_alloc_unbound_t, remote_dom);
	OFF(evtchn_alloc_unbound_t, port);

	SIZE(struct evtchn_bind_interdomain);
	SIZE(evtchn_bind_interdomain_t);
	OFF(evtchn_bind_interdomain_t, remote_dom);
	OFF(evtchn_bind_interdomain_t, remote_port);
	OFF(evtchn_bind_interdomain_t, local_port);

	SIZE(struct evtchn_bind_virq);
	SIZE(evtchn_bind_virq_t);
	OFF(evtchn_bind_virq_t, virq);
	OFF(evtchn_bind_virq_t, vcpu);
	OFF(evtchn_bind_virq_t, port);

	SIZE(struct evtchn_bind_pirq);
	SIZE(evtchn_bind_pirq_t);
	OFF(evtchn_bind_pirq_t, pirq);
	OFF(evtchn_bind_pirq_t, flags);
	OFF(evtchn_bind_pirq_t, port);
	VAL(BIND_PIRQ__WILL_SHARE);

	SIZE(struct evtchn_bind_ipi);
	SIZE(evtchn_bind_ipi_t);
	OFF(evtchn_bind_ipi_t, vcpu);
	OFF(evtchn_bind_ipi_t, port);

	SIZE(struct evtchn_close);
	SIZE(evtchn_close_t);
	OFF(evtchn_close_t, port);

	SIZE(struct evtchn_send);
	SIZE(evtchn_send_t);
	OFF(evtchn_send_t, port);

	SIZE(struct evtchn_status);
	SIZE(evtchn_status_t);
	OFF(evtchn_status_t, dom);
	OFF(evtchn_status_t, port);
	OFF(evtchn_status_t, status);
	OFF(evtchn_status_t, vcpu);
	OFF(evtchn_status_t, u);
	OFF(evtchn_status_t, u.unbound.dom);
	OFF(evtchn_status_t, u.interdomain.dom);
	OFF(evtchn_status_t, u.interdomain.port);
	OFF(evtchn_status_t, u.pirq);
	OFF(evtchn_status_t, u.virq);
	VAL(EVTCHNSTAT_closed);
	VAL(EVTCHNSTAT_unbound);
	VAL(EVTCHNSTAT_interdomain);
	VAL(EVTCHNSTAT_pirq);
	VAL(EVTCHNSTAT_virq);
	VAL(EVTCHNSTAT_ipi);

	SIZE(struct evtchn_bind_vcpu);
	SIZE(evtchn_bind_vcpu_t);
	OFF(evtchn_bind_vcpu_t, port);
	OFF(evtchn_bind_vcpu_t, vcpu);

	SIZE(struct evtchn_unmask);
	SIZE(evtchn_unmask_t);
	OFF(evtchn_unmask_t, port);

	SIZE(struct evtchn_reset);
	SIZE(evtchn_reset_t);
	OFF(evtchn_reset_t, dom);

	SIZE(struct evtchn_set_priority);
	SIZE(evtchn_set_priority_t);
	OFF(evtchn_set_priority_t, port);
	OFF(evtchn_set_priority_t, priority);

	VAL(EVTCHN_2L_NR_CHANNELS);
}

static void print_grant_table(void)
{
	GUARD(__XEN_PUBLIC_GRANT_TABLE_H__);
	SIZE(grant_ref_t);
	VAL((grant_ref_t)-1);
	SIZE(struct grant_entry_v1);
	SIZE(grant_entry_v1_t);
	OFF(grant_entry_v1_t, flags);
	OFF(grant_entry_v1_t, domid);
	OFF(grant_entry_v1_t, frame);
	VAL(GNTTAB_NR_RESERVED_ENTRIES);
	VAL(GNTTAB_RESERVED_CONSOLE);
	VAL(GNTTAB_RESERVED_XENSTORE);

	VAL(GTF_invalid);
	VAL(GTF_permit_access);
	VAL(GTF_accept_transfer);
	VAL(GTF_transitive);
	VAL(GTF_type_mask);
	VAL(_GTF_readonly);
	VAL(GTF_readonly);
	VAL(_GTF_reading);
	VAL(GTF_reading);
	VAL(_GTF_writing);
	VAL(GTF_writing);
	VAL(_GTF_PWT);
	VAL(GTF_PWT);
	VAL(_GTF_PCD);
	VAL(GTF_PCD);
	VAL(_GTF_PAT);
	VAL(GTF_PAT);
	VAL(_GTF_sub_page);
	VAL(GTF_sub_page);
	VAL(_GTF_transfer_committed);
	VAL(GTF_transfer_committed);
	VAL(_GTF_transfer_completed);
	VAL(GTF_transfer_completed);

	VAL(GNTTABOP_map_grant_ref);
	VAL(GNTTABOP_unmap_grant_ref);
	VAL(GNTTABOP_setup_table);
	VAL(GNTTABOP_dump_table);
	VAL(GNTTABOP_transfer);
	VAL(GNTTABOP_copy);
	VAL(GNTTABOP_query_size);
	VAL(GNTTABOP_unmap_and_replace);
#ifdef GNTTABOP_set_version
	VAL(GNTTABOP_set_version);
#endif
#ifdef GNTTABOP_get_status_frames
	VAL(GNTTABOP_get_status_frames);
#endif
#ifdef GNTTABOP_get_version
	VAL(GNTTABOP_get_version);
#endif
#ifdef GNTTABOP_swap_grant_ref
	VAL(GNTTABOP_swap_grant_ref);
#endif
#ifdef GNTTABOP_cache_flush
	VAL(GNTTABOP_cache_flush);
#endif

	SIZE(grant_handle_t);
	VAL((grant_handle_t)-1);

	SIZE(struct gnttab_map_grant_ref);
	SIZE(gnttab_map_grant_ref_t);
	OFF(gnttab_map_grant_ref_t, host_addr);
	OFF(gnttab_map_grant_ref_t, flags);
	OFF(gnttab_map_grant_ref_t, ref);
	OFF(gnttab_map_grant_ref_t, dom);
	OFF(gnttab_map_grant_ref_t, status);
	OFF(gnttab_map_grant_ref_t, handle);
	OFF(gnttab_map_grant_ref_t, dev_bus_addr);
	HANDLE(gnttab_map_grant_ref_t);

	SIZE(struct gnttab_unmap_grant_ref);
	SIZE(gnttab_unmap_grant_ref_t);
	OFF(gnttab_unmap_grant_ref_t, host_addr);
	OFF(gnttab_unmap_grant_ref_t, dev_bus_addr);
	OFF(gnttab_unmap_grant_ref_t, handle);
	OFF(gnttab_unmap_grant_ref_t, status);
	HANDLE(gnttab_unmap_grant_ref_t);

	SIZE(struct gnttab_setup_table);
	SIZE(gnttab_setup_table_t);
	OFF(gnttab_setup_table_t, dom);
	OFF(gnttab_setup_table_t, nr_frames);
	OFF(gnttab_setup_table_t, status);
	OFF(gnttab_setup_table_t, frame_list);
	HANDLE(gnttab_setup_table_t);

	VAL(_GNTCOPY_source_gref);
	VAL(GNTCOPY_source_gref);
	VAL(_GNTCOPY_dest_gref);
	VAL(GNTCOPY_dest_gref);
	SIZE(struct gnttab_copy_ptr);
	SIZE(struct gnttab_copy);
	SIZE(gnttab_copy_t);
	OFF(gnttab_copy_t, source);
	OFF(gnttab_copy_t, source.u);
	OFF(gnttab_copy_t, source.u.ref);
	OFF(gnttab_copy_t, source.u.gmfn);
	OFF(gnttab_copy_t, source.domid);
	OFF(gnttab_copy_t, source.offset);
	OFF(gnttab_copy_t, dest);
	OFF(gnttab_copy_t, dest.u.ref);
	OFF(gnttab_copy_t, dest.u.gmfn);
	OFF(gnttab_copy_t, dest.domid);
	OFF(gnttab_copy_t, dest.offset);
	OFF(gnttab_copy_t, len);
	OFF(gnttab_copy_t, flags);
	OFF(gnttab_copy_t, status);
	HANDLE(gnttab_copy_t);

	SIZE(struct gnttab_query_size);
	SIZE(gnttab_query_size_t);
	OFF(gnttab_query_size_t, dom);
	OFF(gnttab_query_size_t, nr_frames);
	OFF(gnttab_query_size_t, max_nr_frames);
	OFF(gnttab_query_size_t, status);
	HANDLE(gnttab_query_size_t);

	VAL(_GNTMAP_device_map);
	VAL(GNTMAP_device_map);
	VAL(_GNTMAP_host_map);
	VAL(GNTMAP_host_map);
	VAL(_GNTMAP_readonly);
	VAL(GNTMAP_readonly);
	VAL(_GNTMAP_application_map);
	VAL(GNTMAP_application_map);
	VAL(_GNTMAP_contains_pte);
	VAL(GNTMAP_contains_pte);
	VAL(_GNTMAP_guest_avail0);
	VAL(GNTMAP_guest_avail_mask);

	VAL(GNTST_okay);
	VAL(GNTST_general_error);
	VAL(GNTST_bad_domain);
	VAL(GNTST_bad_gntref);
	VAL(GNTST_bad_handle);
	VAL(GNTST_bad_virt_addr);
	VAL(GNTST_bad_dev_addr);
	VAL(GNTST_no_device_space);
	VAL(GNTST_permission_denied);
	VAL(GNTST_bad_page);
	VAL(GNTST_bad_copy_arg);
	VAL(GNTST_address_too_big);
	VAL(GNTST_eagain);
	VAL(GNTST_no_space);
}

static void print_memory(void)
{
	GUARD(__XEN_PUBLIC_MEMORY_H__);
	VAL(XENMEM_increase_reservation);
	VAL(XENMEM_decrease_reservation);
	VAL(XENMEM_populate_physmap);
	VAL(XENMEM_exchange);
	VAL(XENMEM_maximum_ram_page);
	VAL(XENMEM_current_reservation);
	VAL(XENMEM_maximum_reservation);
	VAL(XENMEM_maximum_gpfn);
	VAL(XENMEM_machphys_mfn_list);
	VAL(XENMEM_machphys_compat_mfn_list);
	VAL(XENMEM_machphys_mapping);
	VAL(XENMEM_memory_map);
	VAL(XENMEM_machine_memory_map);
	VAL(XENMEM_set_memory_map);
	VAL(XENMEM_set_pod_target);
	VAL(XENMEM_get_pod_target);
	VAL(XENMEM_get_vnumainfo);
	VAL(XENMEM_add_to_physmap);
	VAL(XENMEM_add_to_physmap_batch);
	VAL(XENMEM_remove_from_physmap);
	VAL(XENMEM_acquire_resource);
#ifdef XENMEM_add_to_physmap_range
	VAL(XENMEM_add_to_physmap_range);
	SIZE(struct xen_add_to_physmap_range);
	SIZE(xen_add_to_physmap_range_t);
	HANDLE(xen_add_to_physmap_range_t);
#endif
#ifdef __XEN_TOOLS__
	VAL(XENMEM_get_sharing_freed_pages);
	VAL(XENMEM_get_sharing_shared_pages);
	VAL(XENMEM_paging_op);
	VAL(XENMEM_access_op);
	VAL(XENMEM_sharing_op);
	VAL(XENMEM_claim_pages);
	VAL(XENMEM_reserved_device_memory_map);
#endif

	SIZE(struct xen_memory_reservation);
	SIZE(xen_memory_reservation_t);
	OFF(xen_memory_reservation_t, extent_start);
	OFF(xen_memory_reservation_t, nr_extents);
	OFF(xen_memory_reservation_t, extent_order);
#if __XEN_INTERFACE_VERSION__ >= 0x00030209
	OFF(xen_memory_reservation_t, mem_flags);
#else
	OFF(xen_memory_reservation_t, address_bits);
#endif
	OFF(xen_memory_reservation_t, domid);
	HANDLE(xen_memory_reservation_t);

	VAL(XENMAPSPACE_shared_info);
	VAL(XENMAPSPACE_grant_table);
	VAL(XENMAPSPACE_gmfn);
	VAL(XENMAPSPACE_gmfn_range);
	VAL(XENMAPSPACE_gmfn_foreign);
	VAL(XENMAPSPACE_dev_mmio);
	VAL(XENMAPIDX_grant_table_status);

	SIZE(struct xen_add_to_physmap);
	SIZE(xen_add_to_physmap_t);
	OFF(xen_add_to_physmap_t, domid);
	OFF(xen_add_to_physmap_t, size);
	OFF(xen_add_to_physmap_t, space);
	OFF(xen_add_to_physmap_t, idx);
	OFF(xen_add_to_physmap_t, gpfn);
	HANDLE(xen_add_to_physmap_t);

	SIZE(struct xen_add_to_physmap_batch);
	SIZE(xen_add_to_physmap_batch_t);
	OFF(xen_add_to_physmap_batch_t, domid);
	OFF(xen_add_to_physmap_batch_t, space);
	OFF(xen_add_to_physmap_batch_t, size);
#if __XEN_INTERFACE_VERSION__ < 0x00040700
	OFF(xen_add_to_physmap_batch_t, foreign_domid);
#else
	SIZE(union xen_add_to_physmap_batch_extra);
	OFF(xen_add_to_physmap_batch_t, u.foreign_domid);
	OFF(xen_add_to_physmap_batch_t, u.res0);
#endif
	OFF(xen_add_to_physmap_batch_t, idxs);
	OFF(xen_add_to_physmap_batch_t, gpfns);
	OFF(xen_add_to_physmap_batch_t, errs);
	HANDLE(xen_add_to_physmap_batch_t);

	SIZE(struct xen_remove_from_physmap);
	SIZE(xen_remove_from_physmap_t);
	OFF(xen_remove_from_physmap_t, domid);
	OFF(xen_remove_from_physmap_t, gpfn);
	HANDLE(xen_remove_from_physmap_t);

	SIZE(struct xen_mem_acquire_resource);
	SIZE(xen_mem_acquire_resource_t);
	OFF(xen_mem_acquire_resource_t, domid);
	OFF(xen_mem_acquire_resource_t, type);
	OFF(xen_mem_acquire_resource_t, id);
	OFF(xen_mem_acquire_resource_t, nr_frames);
	OFF(xen_mem_acquire_resource_t, pad);
	OFF(xen_mem_acquire_resource_t, frame);
	OFF(xen_mem_acquire_resource_t, frame_list);
	HANDLE(xen_mem_acquire_resource_t);
	VAL(XENMEM_resource_ioreq_server);
	VAL(XENMEM_resource_grant_table);
	VAL(XENMEM_resource_vmtrace_buf);
	VAL(XENMEM_resource_grant_table_id_shared);
	VAL(XENMEM_resource_grant_table_id_status);
	VAL(XENMEM_resource_ioreq_server_frame_bufioreq);
	VAL(XENMEM_resource_ioreq_server_frame_ioreq(0));
	VAL(XENMEM_resource_ioreq_server_frame_ioreq(5));
}

static void print_version_and_sched(void)
{
	GUARD(__XEN_PUBLIC_VERSION_H__);
	VAL(XENVER_version);
	VAL(XENVER_extraversion);
	VAL(XENVER_compile_info);
	VAL(XENVER_capabilities);
	VAL(XENVER_changeset);
	VAL(XENVER_platform_parameters);
	VAL(XENVER_get_features);
	VAL(XENVER_pagesize);
	VAL(XENVER_guest_handle);
	VAL(XENVER_commandline);
	VAL(XENVER_build_id);
	SIZE(xen_extraversion_t);
	VAL(XEN_EXTRAVERSION_LEN);
	SIZE(struct xen_compile_info);
	SIZE(xen_compile_info_t);
	OFF(xen_compile_info_t, compiler);
	OFF(xen_compile_info_t, compile_by);
	OFF(xen_compile_info_t, compile_domain);
	OFF(xen_compile_info_t, compile_date);
	SIZE(xen_capabilities_info_t);
	VAL(XEN_CAPABILITIES_INFO_LEN);
	SIZE(xen_changeset_info_t);
	VAL(XEN_CHANGESET_INFO_LEN);
	SIZE(struct xen_platform_parameters);
	SIZE(xen_platform_parameters_t);
	OFF(xen_platform_parameters_t, virt_start);
	SIZE(struct xen_feature_info);
	SIZE(xen_feature_info_t);
	OFF(xen_feature_info_t, submap_idx);
	OFF(xen_feature_info_t, submap);
	SIZE(xen_commandline_t);
	SIZE(struct xen_build_id);
	SIZE(xen_build_id_t);
	OFF(xen_build_id_t, len);
	OFF_FLEX(xen_build_id_t, buf);

	GUARD(__XEN_PUBLIC_SCHED_H__);
	VAL(SCHEDOP_yield);
	VAL(SCHEDOP_block);
	VAL(SCHEDOP_shutdown);
	VAL(SCHEDOP_poll);
	VAL(SCHEDOP_remote_shutdown);
	VAL(SCHEDOP_shutdown_code);
	VAL(SCHEDOP_watchdog);
	VAL(SCHEDOP_pin_override);
	SIZE(struct sched_shutdown);
	SIZE(sched_shutdown_t);
	OFF(sched_shutdown_t, reason);
	HANDLE(sched_shutdown_t);
	SIZE(struct sched_remote_shutdown);
	SIZE(sched_remote_shutdown_t);
	OFF(sched_remote_shutdown_t, domain_id);
	OFF(sched_remote_shutdown_t, reason);
	HANDLE(sched_remote_shutdown_t);
	VAL(SHUTDOWN_poweroff);
	VAL(SHUTDOWN_reboot);
	VAL(SHUTDOWN_suspend);
	VAL(SHUTDOWN_crash);
	VAL(SHUTDOWN_watchdog);
	VAL(SHUTDOWN_soft_reset);
	VAL(SHUTDOWN_MAX);
}

static void print_hvm_op(void)
{
	GUARD(__XEN_PUBLIC_HVM_HVM_OP_H__);
	VAL(HVMOP_set_param);
	VAL(HVMOP_get_param);
	VAL(HVMOP_flush_tlbs);
	VAL(HVMOP_pagetable_dying);
	VAL(HVMOP_get_time);
	VAL(HVMOP_xentrace);
	VAL(HVMOP_get_mem_type);
	VAL(HVMOP_guest_request_vm_event);
	VAL(HVMOP_altp2m);
#ifdef __XEN_TOOLS__
	VAL(HVMOP_set_mem_access);
	VAL(HVMOP_get_mem_access);
#endif
#ifdef HVMOP_set_evtchn_upcall_vector
	VAL(HVMOP_set_evtchn_upcall_vector);
	SIZE(struct xen_hvm_evtchn_upcall_vector);
	SIZE(xen_hvm_evtchn_upcall_vector_t);
	OFF(xen_hvm_evtchn_upcall_vector_t, vcpu);
	OFF(xen_hvm_evtchn_upcall_vector_t, vector);
	HANDLE(xen_hvm_evtchn_upcall_vector_t);
#endif

	SIZE(struct xen_hvm_param);
	SIZE(xen_hvm_param_t);
	OFF(xen_hvm_param_t, domid);
	OFF(xen_hvm_param_t, pad);
	OFF(xen_hvm_param_t, index);
	OFF(xen_hvm_param_t, value);
	HANDLE(xen_hvm_param_t);

	SIZE(hvmmem_type_t);
	VAL(HVMMEM_ram_rw);
	VAL(HVMMEM_ram_ro);
	VAL(HVMMEM_mmio_dm);
#if __XEN_INTERFACE_VERSION__ < 0x00040700
	VAL(HVMMEM_mmio_write_dm);
#else
	VAL(HVMMEM_unused);
#endif
	VAL(HVMMEM_ioreq_server);

	SIZE(struct xen_hvm_pagetable_dying);
	SIZE(xen_hvm_pagetable_dying_t);
	OFF(xen_hvm_pagetable_dying_t, domid);
	OFF(xen_hvm_pagetable_dying_t, pad);
	OFF(xen_hvm_pagetable_dying_t, gpa);
	HANDLE(xen_hvm_pagetable_dying_t);

	SIZE(struct xen_hvm_get_time);
	SIZE(xen_hvm_get_time_t);
	OFF(xen_hvm_get_time_t, now);
	HANDLE(xen_hvm_get_time_t);

	SIZE(struct xen_hvm_get_mem_type);
	SIZE(xen_hvm_get_mem_type_t);
	OFF(xen_hvm_get_mem_type_t, domid);
	OFF(xen_hvm_get_mem_type_t, mem_type);
	OFF(xen_hvm_get_mem_type_t, pad);
	OFF(xen_hvm_get_mem_type_t, pfn);
	HANDLE(xen_hvm_get_mem_type_t);

#ifdef __XEN_TOOLS__
	VAL(HVM_IOREQSRV_BUFIOREQ_OFF);
	VAL(HVM_IOREQSRV_BUFIOREQ_LEGACY);
	VAL(HVM_IOREQSRV_BUFIOREQ_ATOMIC);
#endif
}

static void print_dm_op(void)
{
	GUARD(__XEN_PUBLIC_HVM_DM_OP_H__);
	SIZE(ioservid_t);
	VAL((ioservid_t)-1);

	VAL(XEN_DMOP_create_ioreq_server);
	SIZE(struct xen_dm_op_create_ioreq_server);
	SIZE(xen_dm_op_create_ioreq_server_t);
	OFF(xen_dm_op_create_ioreq_server_t, handle_bufioreq);
	OFF(xen_dm_op_create_ioreq_server_t, pad);
	OFF(xen_dm_op_create_ioreq_server_t, id);

	VAL(XEN_DMOP_get_ioreq_server_info);
	SIZE(struct xen_dm_op_get_ioreq_server_info);
	SIZE(xen_dm_op_get_ioreq_server_info_t);
	OFF(xen_dm_op_get_ioreq_server_info_t, id);
	OFF(xen_dm_op_get_ioreq_server_info_t, flags);
	OFF(xen_dm_op_get_ioreq_server_info_t, bufioreq_port);
	OFF(xen_dm_op_get_ioreq_server_info_t, ioreq_gfn);
	OFF(xen_dm_op_get_ioreq_server_info_t, bufioreq_gfn);
	VAL(_XEN_DMOP_no_gfns);
	VAL(XEN_DMOP_no_gfns);

	VAL(XEN_DMOP_map_io_range_to_ioreq_server);
	VAL(XEN_DMOP_unmap_io_range_from_ioreq_server);
	SIZE(struct xen_dm_op_ioreq_server_range);
	SIZE(xen_dm_op_ioreq_server_range_t);
	OFF(xen_dm_op_ioreq_server_range_t, id);
	OFF(xen_dm_op_ioreq_server_range_t, pad);
	OFF(xen_dm_op_ioreq_server_range_t, type);
	OFF(xen_dm_op_ioreq_server_range_t, start);
	OFF(xen_dm_op_ioreq_server_range_t, end);
	VAL(XEN_DMOP_IO_RANGE_PORT);
	VAL(XEN_DMOP_IO_RANGE_MEMORY);
	VAL(XEN_DMOP_IO_RANGE_PCI);
	VAL(XEN_DMOP_PCI_SBDF(0x1234, 0x56, 0x1f, 0x7));
	VAL(XEN_DMOP_PCI_SBDF(0, 0xab, 0x3, 0x1));
	VAL(XEN_DMOP_PCI_SBDF(0x10001, 0x1ff, 0x3f, 0xf));

	VAL(XEN_DMOP_set_ioreq_server_state);
	SIZE(struct xen_dm_op_set_ioreq_server_state);
	SIZE(xen_dm_op_set_ioreq_server_state_t);
	OFF(xen_dm_op_set_ioreq_server_state_t, id);
	OFF(xen_dm_op_set_ioreq_server_state_t, enabled);
	OFF(xen_dm_op_set_ioreq_server_state_t, pad);

	VAL(XEN_DMOP_destroy_ioreq_server);
	SIZE(struct xen_dm_op_destroy_ioreq_server);
	SIZE(xen_dm_op_destroy_ioreq_server_t);
	OFF(xen_dm_op_destroy_ioreq_server_t, id);
	OFF(xen_dm_op_destroy_ioreq_server_t, pad);

	VAL(XEN_DMOP_track_dirty_vram);
	SIZE(struct xen_dm_op_track_dirty_vram);
	SIZE(xen_dm_op_track_dirty_vram_t);
	OFF(xen_dm_op_track_dirty_vram_t, nr);
	OFF(xen_dm_op_track_dirty_vram_t, pad);
	OFF(xen_dm_op_track_dirty_vram_t, first_pfn);

	VAL(XEN_DMOP_set_pci_intx_level);
	SIZE(struct xen_dm_op_set_pci_intx_level);
	SIZE(xen_dm_op_set_pci_intx_level_t);
	OFF(xen_dm_op_set_pci_intx_level_t, domain);
	OFF(xen_dm_op_set_pci_intx_level_t, bus);
	OFF(xen_dm_op_set_pci_intx_level_t, device);
	OFF(xen_dm_op_set_pci_intx_level_t, intx);
	OFF(xen_dm_op_set_pci_intx_level_t, level);

	VAL(XEN_DMOP_set_isa_irq_level);
	SIZE(struct xen_dm_op_set_isa_irq_level);
	SIZE(xen_dm_op_set_isa_irq_level_t);
	OFF(xen_dm_op_set_isa_irq_level_t, isa_irq);
	OFF(xen_dm_op_set_isa_irq_level_t, level);

	VAL(XEN_DMOP_set_pci_link_route);
	SIZE(struct xen_dm_op_set_pci_link_route);
	SIZE(xen_dm_op_set_pci_link_route_t);
	OFF(xen_dm_op_set_pci_link_route_t, link);
	OFF(xen_dm_op_set_pci_link_route_t, isa_irq);

	VAL(XEN_DMOP_modified_memory);
	SIZE(struct xen_dm_op_modified_memory);
	SIZE(xen_dm_op_modified_memory_t);
	OFF(xen_dm_op_modified_memory_t, nr_extents);
	OFF(xen_dm_op_modified_memory_t, opaque);
	SIZE(struct xen_dm_op_modified_memory_extent);
	OFF(struct xen_dm_op_modified_memory_extent, nr);
	OFF(struct xen_dm_op_modified_memory_extent, pad);
	OFF(struct xen_dm_op_modified_memory_extent, first_pfn);

	VAL(XEN_DMOP_set_mem_type);
	SIZE(struct xen_dm_op_set_mem_type);
	SIZE(xen_dm_op_set_mem_type_t);
	OFF(xen_dm_op_set_mem_type_t, nr);
	OFF(xen_dm_op_set_mem_type_t, mem_type);
	OFF(xen_dm_op_set_mem_type_t, pad);
	OFF(xen_dm_op_set_mem_type_t, first_pfn);

	VAL(XEN_DMOP_inject_event);
	SIZE(struct xen_dm_op_inject_event);
	SIZE(xen_dm_op_inject_event_t);
	OFF(xen_dm_op_inject_event_t, vcpuid);
	OFF(xen_dm_op_inject_event_t, vector);
	OFF(xen_dm_op_inject_event_t, type);
	OFF(xen_dm_op_inject_event_t, insn_len);
	OFF(xen_dm_op_inject_event_t, pad0);
	OFF(xen_dm_op_inject_event_t, error_code);
	OFF(xen_dm_op_inject_event_t, pad1);
	OFF(xen_dm_op_inject_event_t, cr2);
	VAL(XEN_DMOP_EVENT_ext_int);
	VAL(XEN_DMOP_EVENT_nmi);
	VAL(XEN_DMOP_EVENT_hw_exc);
	VAL(XEN_DMOP_EVENT_sw_int);
	VAL(XEN_DMOP_EVENT_pri_sw_exc);
	VAL(XEN_DMOP_EVENT_sw_exc);

	VAL(XEN_DMOP_inject_msi);
	SIZE(struct xen_dm_op_inject_msi);
	SIZE(xen_dm_op_inject_msi_t);
	OFF(xen_dm_op_inject_msi_t, data);
	OFF(xen_dm_op_inject_msi_t, pad);
	OFF(xen_dm_op_inject_msi_t, addr);

	VAL(XEN_DMOP_map_mem_type_to_ioreq_server);
	SIZE(struct xen_dm_op_map_mem_type_to_ioreq_server);
	SIZE(xen_dm_op_map_mem_type_to_ioreq_server_t);
	OFF(xen_dm_op_map_mem_type_to_ioreq_server_t, id);
	OFF(xen_dm_op_map_mem_type_to_ioreq_server_t, type);
	OFF(xen_dm_op_map_mem_type_to_ioreq_server_t, flags);
	OFF(xen_dm_op_map_mem_type_to_ioreq_server_t, opaque);
	VAL(XEN_DMOP_IOREQ_MEM_ACCESS_READ);
	VAL(XEN_DMOP_IOREQ_MEM_ACCESS_WRITE);

	VAL(XEN_DMOP_remote_shutdown);
	SIZE(struct xen_dm_op_remote_shutdown);
	SIZE(xen_dm_op_remote_shutdown_t);
	OFF(xen_dm_op_remote_shutdown_t, reason);

	VAL(XEN_DMOP_relocate_memory);
	SIZE(struct xen_dm_op_relocate_memory);
	SIZE(xen_dm_op_relocate_memory_t);
	OFF(xen_dm_op_relocate_memory_t, size);
	OFF(xen_dm_op_relocate_memory_t, pad);
	OFF(xen_dm_op_relocate_memory_t, src_gfn);
	OFF(xen_dm_op_relocate_memory_t, dst_gfn);

	VAL(XEN_DMOP_pin_memory_cacheattr);
	SIZE(struct xen_dm_op_pin_memory_cacheattr);
	SIZE(xen_dm_op_pin_memory_cacheattr_t);
	OFF(xen_dm_op_pin_memory_cacheattr_t, start);
	OFF(xen_dm_op_pin_memory_cacheattr_t, end);
	OFF(xen_dm_op_pin_memory_cacheattr_t, type);
	OFF(xen_dm_op_pin_memory_cacheattr_t, pad);
	VAL(XEN_DMOP_MEM_CACHEATTR_UC);
	VAL(XEN_DMOP_MEM_CACHEATTR_WC);
	VAL(XEN_DMOP_MEM_CACHEATTR_WT);
	VAL(XEN_DMOP_MEM_CACHEATTR_WP);
	VAL(XEN_DMOP_MEM_CACHEATTR_WB);
	VAL(XEN_DMOP_MEM_CACHEATTR_UCM);
	VAL(XEN_DMOP_DELETE_MEM_CACHEATTR);

	VAL(XEN_DMOP_set_irq_level);
	SIZE(struct xen_dm_op_set_irq_level);
	SIZE(xen_dm_op_set_irq_level_t);
	OFF(xen_dm_op_set_irq_level_t, irq);
	OFF(xen_dm_op_set_irq_level_t, level);
	OFF(xen_dm_op_set_irq_level_t, pad);

	VAL(XEN_DMOP_nr_vcpus);
	SIZE(struct xen_dm_op_nr_vcpus);
	SIZE(xen_dm_op_nr_vcpus_t);
	OFF(xen_dm_op_nr_vcpus_t, vcpus);

	SIZE(struct xen_dm_op);
	OFF(struct xen_dm_op, op);
	OFF(struct xen_dm_op, pad);
	OFF(struct xen_dm_op, u);
	OFF(struct xen_dm_op, u.create_ioreq_server);
	OFF(struct xen_dm_op, u.get_ioreq_server_info);
	OFF(struct xen_dm_op, u.map_io_range_to_ioreq_server);
	OFF(struct xen_dm_op, u.unmap_io_range_from_ioreq_server);
	OFF(struct xen_dm_op, u.set_ioreq_server_state);
	OFF(struct xen_dm_op, u.destroy_ioreq_server);
	OFF(struct xen_dm_op, u.track_dirty_vram);
	OFF(struct xen_dm_op, u.set_pci_intx_level);
	OFF(struct xen_dm_op, u.set_isa_irq_level);
	OFF(struct xen_dm_op, u.set_pci_link_route);
	OFF(struct xen_dm_op, u.modified_memory);
	OFF(struct xen_dm_op, u.set_mem_type);
	OFF(struct xen_dm_op, u.inject_event);
	OFF(struct xen_dm_op, u.inject_msi);
	OFF(struct xen_dm_op, u.map_mem_type_to_ioreq_server);
	OFF(struct xen_dm_op, u.remote_shutdown);
	OFF(struct xen_dm_op, u.relocate_memory);
	OFF(struct xen_dm_op, u.pin_memory_cacheattr);
	OFF(struct xen_dm_op, u.set_irq_level);
	OFF(struct xen_dm_op, u.nr_vcpus);

	SIZE(struct xen_dm_op_buf);
	SIZE(xen_dm_op_buf_t);
	OFF(xen_dm_op_buf_t, h);
	OFF(xen_dm_op_buf_t, size);
	HANDLE(xen_dm_op_buf_t);
}

static void print_ioreq(void)
{
	GUARD(_IOREQ_H_);
	VAL(IOREQ_READ);
	VAL(IOREQ_WRITE);
	VAL(STATE_IOREQ_NONE);
	VAL(STATE_IOREQ_READY);
	VAL(STATE_IOREQ_INPROCESS);
	VAL(STATE_IORESP_READY);
	VAL(IOREQ_TYPE_PIO);
	VAL(IOREQ_TYPE_COPY);
	VAL(IOREQ_TYPE_PCI_CONFIG);
	VAL(IOREQ_TYPE_TIMEOFFSET);
	VAL(IOREQ_TYPE_INVALIDATE);

	SIZE(struct ioreq);
	SIZE(ioreq_t);
	OFF(ioreq_t, addr);
	OFF(ioreq_t, data);
	OFF(ioreq_t, count);
	OFF(ioreq_t, size);
	OFF(ioreq_t, vp_eport);
	OFF(ioreq_t, _pad0);
	BITS(ioreq_t, state);
	BITS(ioreq_t, data_is_ptr);
	BITS(ioreq_t, dir);
	BITS(ioreq_t, df);
	BITS(ioreq_t, _pad1);
	OFF(ioreq_t, type);

	SIZE(struct shared_iopage);
	SIZE(shared_iopage_t);
	OFF(shared_iopage_t, vcpu_ioreq);

	SIZE(struct buf_ioreq);
	SIZE(buf_ioreq_t);
	OFF(buf_ioreq_t, type);
	BITS(buf_ioreq_t, pad);
	BITS(buf_ioreq_t, dir);
	BITS(buf_ioreq_t, size);
	BITS(buf_ioreq_t, addr);
	OFF(buf_ioreq_t, data);

	VAL(IOREQ_BUFFER_SLOT_NUM);
	SIZE(struct buffered_iopage);
	SIZE(buffered_iopage_t);
	OFF(buffered_iopage_t, read_pointer);
	OFF(buffered_iopage_t, write_pointer);
	OFF(buffered_iopage_t, buf_ioreq);

	VAL(ACPI_PM1A_EVT_BLK_ADDRESS_V0);
	VAL(ACPI_PM1A_CNT_BLK_ADDRESS_V0);
	VAL(ACPI_PM_TMR_BLK_ADDRESS_V0);
	VAL(ACPI_GPE0_BLK_ADDRESS_V0);
	VAL(ACPI_GPE0_BLK_LEN_V0);
	VAL(ACPI_PM1A_EVT_BLK_ADDRESS_V1);
	VAL(ACPI_PM1A_CNT_BLK_ADDRESS_V1);
	VAL(ACPI_PM_TMR_BLK_ADDRESS_V1);
	VAL(ACPI_GPE0_BLK_ADDRESS_V1);
	VAL(ACPI_GPE0_BLK_LEN_V1);
	VAL(ACPI_PM1A_EVT_BLK_ADDRESS);
	VAL(ACPI_PM1A_CNT_BLK_ADDRESS);
	VAL(ACPI_PM_TMR_BLK_ADDRESS);
	VAL(ACPI_GPE0_BLK_ADDRESS);
	VAL(ACPI_GPE0_BLK_LEN);
}

int main(void)
{
	print_compat_and_xen();
	print_event_channel();
	print_grant_table();
	print_memory();
	print_version_and_sched();
	print_hvm_op();
	print_dm_op();
	print_ioreq();
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
