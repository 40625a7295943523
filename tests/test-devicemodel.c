/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxendevicemodel on xensim: every operation reaches the simulated
 * hypervisor with the fields Xen expects (checked through xensim's
 * inspection API), every argument check fails with EINVAL and a log line,
 * both transports (DM_OP ioctl and dm_op hypercall), requests beyond the
 * ioctl's limits, restriction, irqfd and the GSI lookup.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdint.h>

#include <xen/sched.h>

#include "devicemodel-util.h"
#include "xendevicemodel.h"
#include "xensim.h"
#include "xentoolcore.h"
#include "xentoollog.h"

#define DOM 1	   /* HVM, 2 vCPUs */
#define DOM2 2	   /* HVM, 1 vCPU */
#define DOM_PV 3   /* PV: dm_op refuses it */
#define DOM_NONE 9 /* does not exist */

#define SCENARIO_BASE                                                                    \
	"arch arm\n" /* set_irq_level (Arm's) is tested too */                          \
	"domain 1 type=hvm vcpus=2 memory=256M name=guest1\n"                            \
	"domain 2 type=hvm vcpus=1 memory=16M name=guest2\n"                             \
	"domain 3 type=pv memory=16M name=pv3\n"

/* ---- fixture: a fresh machine and a logger writing to memory ------------------ */

static char *log_buf;
static size_t log_len;
static FILE *log_file;
static xentoollog_logger_stdiostream *logger;

/* The base machine plus @extra scenario lines. */
static void reset_scenario(const char *extra)
{
	char scenario[1024];

	snprintf(scenario, sizeof(scenario), "%s%s", SCENARIO_BASE, extra ? extra : "");
	ck_assert_msg(xensim_reset(scenario) == 0, "xensim_reset: %s", strerror(errno));
	ck_assert_int_eq(xensim_inject_clear(), 0);
}

static void reset_machine(const char *kernel)
{
	char line[128] = "";

	if (kernel)
		snprintf(line, sizeof(line), "kernel %s\n", kernel);
	reset_scenario(line);
}

static void setup(void)
{
	reset_machine(NULL);
	log_file = open_memstream(&log_buf, &log_len);
	ck_assert_ptr_nonnull(log_file);
	logger = xtl_createlogger_stdiostream(log_file, XTL_DEBUG, 0);
	ck_assert_ptr_nonnull(logger);
}

static void teardown(void)
{
	xtl_logger_destroy((xentoollog_logger *)logger);
	fclose(log_file);
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
}

/* What was logged so far (NUL-terminated). */
static __attribute__((unused)) const char *logged(void)
{
	fflush(log_file);
	return log_buf ? log_buf : "";
}

static void clear_log(void)
{
	fflush(log_file);
	rewind(log_file);
	if (log_buf)
		log_buf[0] = '\0';
	fflush(log_file);
}

static xendevicemodel_handle *dm_open(void)
{
	xendevicemodel_handle *h = xendevicemodel_open((xentoollog_logger *)logger, 0);

	ck_assert_msg(h, "xendevicemodel_open: %s", strerror(errno));
	return h;
}

/*
 * The call failed with EINVAL and one error line names the operation. Built
 * against upstream's libraries (XS_UPSTREAM_ORACLE) these checks are left
 * out: upstream checks almost nothing (or crashes) and logs nothing.
 */
#ifdef XS_UPSTREAM_ORACLE
#define ck_einval_logged(call, opname) ((void)0)
#else
#define ck_einval_logged(call, opname)                                                   \
	do {                                                                             \
		clear_log();                                                             \
		errno = 0;                                                               \
		ck_assert_int_eq((call), -1);                                            \
		ck_assert_int_eq(errno, EINVAL);                                         \
		ck_assert_msg(strstr(logged(), "xendevicemodel: error: " opname " on "), \
			      "no log line for %s in: %s", opname, logged());            \
		ck_assert_msg(strstr(logged(), "Invalid argument"), "no errno text: %s", \
			      logged());                                                 \
	} while (0)
#endif

#define ck_fails(call, err)                                                              \
	do {                                                                             \
		errno = 0;                                                               \
		ck_assert_int_eq((call), -1);                                            \
		ck_assert_msg(errno == (err), "errno %d (%s), expected %d (%s)", errno,  \
			      strerror(errno), (err), strerror(err));                    \
	} while (0)

static int count_fds(void)
{
	int n = 0, fd;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* ---- open / close ---------------------------------------------------------------- */

START_TEST(open_close)
{
	static bool was_open[1024];
	int before = count_fds(), fd, opened = 0;
	xendevicemodel_handle *h, *h2;

	for (fd = 0; fd < 1024; fd++)
		was_open[fd] = fcntl(fd, F_GETFD) >= 0;
	h = dm_open();
	h2 = xendevicemodel_open(NULL, 0);
	ck_assert_ptr_nonnull(h2);
	/* Every descriptor the handles opened is close-on-exec. */
	for (fd = 0; fd < 1024; fd++) {
		int flags = fcntl(fd, F_GETFD);

		if (flags < 0 || was_open[fd])
			continue;
		opened++;
		ck_assert_msg(flags & FD_CLOEXEC, "fd %d not close-on-exec", fd);
	}
	ck_assert_int_gt(opened, 0);
	ck_assert_int_eq(xendevicemodel_close(h), 0);
	ck_assert_int_eq(xendevicemodel_close(h2), 0);
	ck_assert_int_eq(count_fds(), before);
	ck_assert_int_eq(xendevicemodel_close(NULL), 0);
}
END_TEST

START_TEST(open_without_privcmd)
{
	xendevicemodel_handle *h;

	reset_machine("linux-6.12-privcmd-proc-privcmd");
	errno = 0;
	h = xendevicemodel_open((xentoollog_logger *)logger, 0);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(null_handle)
{
	struct xen_dm_op_modified_memory_extent ext = { 1, 0, 0 };
	unsigned long bitmap = 0;
	unsigned int n;
	ioservid_t id;
	uint32_t gsi;

	ck_fails(xendevicemodel_create_ioreq_server(NULL, DOM, 0, &id), EINVAL);
	ck_fails(xendevicemodel_get_ioreq_server_info(NULL, DOM, 0, NULL, NULL, NULL), EINVAL);
	ck_fails(xendevicemodel_map_io_range_to_ioreq_server(NULL, DOM, 0, 0, 1, 2), EINVAL);
	ck_fails(xendevicemodel_unmap_io_range_from_ioreq_server(NULL, DOM, 0, 0, 1, 2),
		 EINVAL);
	ck_fails(xendevicemodel_map_mem_type_to_ioreq_server(NULL, DOM, 0, 4, 2), EINVAL);
	ck_fails(xendevicemodel_map_pcidev_to_ioreq_server(NULL, DOM, 0, 0, 0, 1, 0), EINVAL);
	ck_fails(xendevicemodel_unmap_pcidev_from_ioreq_server(NULL, DOM, 0, 0, 0, 1, 0),
		 EINVAL);
	ck_fails(xendevicemodel_destroy_ioreq_server(NULL, DOM, 0), EINVAL);
	ck_fails(xendevicemodel_set_ioreq_server_state(NULL, DOM, 0, 1), EINVAL);
	ck_fails(xendevicemodel_set_pci_intx_level(NULL, DOM, 0, 0, 1, 0, 1), EINVAL);
	ck_fails(xendevicemodel_set_isa_irq_level(NULL, DOM, 1, 1), EINVAL);
	ck_fails(xendevicemodel_set_irq_level(NULL, DOM, 1, 1), EINVAL);
	ck_fails(xendevicemodel_set_pci_link_route(NULL, DOM, 0, 5), EINVAL);
	ck_fails(xendevicemodel_inject_msi(NULL, DOM, 0xfee00000, 1), EINVAL);
	ck_fails(xendevicemodel_track_dirty_vram(NULL, DOM, 0, 8, &bitmap), EINVAL);
	ck_fails(xendevicemodel_modified_memory(NULL, DOM, 0, 1), EINVAL);
	ck_fails(xendevicemodel_modified_memory_bulk(NULL, DOM, &ext, 1), EINVAL);
	ck_fails(xendevicemodel_set_mem_type(NULL, DOM, HVMMEM_ram_ro, 0, 1), EINVAL);
	ck_fails(xendevicemodel_inject_event(NULL, DOM, 0, 14, 3, 0, 0, 0), EINVAL);
	ck_fails(xendevicemodel_shutdown(NULL, DOM, 0), EINVAL);
	ck_fails(xendevicemodel_relocate_memory(NULL, DOM, 1, 0, 1), EINVAL);
	ck_fails(xendevicemodel_pin_memory_cacheattr(NULL, DOM, 0, 1, 6), EINVAL);
	ck_fails(xendevicemodel_nr_vcpus(NULL, DOM, &n), EINVAL);
	ck_fails(xendevicemodel_restrict(NULL, DOM), EINVAL);
	ck_fails(xendevicemodel_irqfd_assign(NULL, DOM, 0, 1, 1), EINVAL);
	ck_fails(xendevicemodel_irqfd_assign_msi(NULL, DOM, 0, 1, 1), EINVAL);
	ck_fails(xendevicemodel_irqfd_deassign(NULL, DOM, 0), EINVAL);
	ck_fails(xendevicemodel_ioeventfd_assign(NULL, DOM, &n, &n, 1, 0, 4, 0, 0), EINVAL);
	ck_fails(xendevicemodel_ioeventfd_deassign(NULL, DOM, &n, &n, 1, 0, 4, 0, 0), EINVAL);
	ck_fails(xendevicemodel_pcidev_get_gsi(NULL, 0, 0, 1, 0, &gsi), EINVAL);
}
END_TEST
#endif

/* One handle, many threads at once (the kernel serialises nothing for us). */
struct worker {
	xendevicemodel_handle *h;
	unsigned int irq;
	int failures;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	unsigned int i, n;

	for (i = 0; i < 200; i++) {
		if (xendevicemodel_set_isa_irq_level(w->h, DOM, (uint8_t)w->irq, i & 1))
			w->failures++;
		if (xendevicemodel_nr_vcpus(w->h, DOM, &n) || n != 2)
			w->failures++;
	}
	return NULL;
}

START_TEST(threads_share_handle)
{
	xendevicemodel_handle *h = dm_open();
	struct worker w[4];
	pthread_t t[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ .h = h, .irq = 8 + i, .failures = 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(w[i].failures, 0);
		/* The last of 200 writes (i = 199) raised the line. */
		ck_assert_int_eq(xensim_isa_irq_level(DOM, 8 + i), 1);
	}
	xendevicemodel_close(h);
}
END_TEST

/* A child may close an inherited handle, and that is all. */
START_TEST(fork_child_closes)
{
	xendevicemodel_handle *h = dm_open();
	unsigned int n;
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(xendevicemodel_close(h) == 0 ? 0 : 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The parent's handle is unaffected. */
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	xendevicemodel_close(h);
}
END_TEST

/* Errors from Xen come back as they are; OUT parameters stay untouched. */
START_TEST(hypervisor_errors_pass_through)
{
	xendevicemodel_handle *h = dm_open();
	ioservid_t id = 0x4242;
	unsigned int n = 99;

	ck_assert_int_eq(xensim_inject("dm_op:create_ioreq_server", 1, 1, ENOSPC), 0);
	ck_fails(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), ENOSPC);
	ck_assert_uint_eq(id, 0x4242);
	ck_assert_int_eq(xensim_inject("dm_op:nr_vcpus", 1, 1, EFAULT), 0);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM, &n), EFAULT);
	ck_assert_uint_eq(n, 99);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
	ck_assert_uint_ne(id, 0x4242);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	xendevicemodel_close(h);
}
END_TEST

/* ---- ioreq servers ----------------------------------------------------------------- */

START_TEST(ioreq_server_lifecycle)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_ioreq_server_info info;
	xen_pfn_t ioreq_gfn = 0, bufioreq_gfn = 0;
	evtchn_port_t bufport = 0;
	ioservid_t id, id2;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, HVM_IOREQSRV_BUFIOREQ_ATOMIC,
							    &id),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.exists, 1);
	ck_assert_int_eq(info.enabled, 0);
	ck_assert_int_eq(info.bufioreq, HVM_IOREQSRV_BUFIOREQ_ATOMIC);

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, HVM_IOREQSRV_BUFIOREQ_OFF,
							    &id2),
			 0);
	ck_assert_uint_ne(id, id2);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id2, &info), 0);
	ck_assert_int_eq(info.bufioreq, HVM_IOREQSRV_BUFIOREQ_OFF);

	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(h, DOM, id, 7), 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.enabled, 1);

	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(h, DOM, id, &ioreq_gfn,
							      &bufioreq_gfn, &bufport),
			 0);
	ck_assert_uint_eq(bufport, info.bufioreq_port);
	ck_assert_uint_ne(ioreq_gfn, bufioreq_gfn);
	/* Only the port: Xen is told not to map the pages (XEN_DMOP_no_gfns). */
	bufport = 0;
	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(h, DOM, id, NULL, NULL,
							      &bufport),
			 0);
	ck_assert_uint_eq(bufport, info.bufioreq_port);
	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(h, DOM, id, NULL, NULL, NULL),
			 0);

	ck_assert_int_eq(xendevicemodel_set_ioreq_server_state(h, DOM, id, 0), 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.enabled, 0);

	ck_assert_int_eq(xendevicemodel_destroy_ioreq_server(h, DOM, id), 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.exists, 0);
	ck_fails(xendevicemodel_destroy_ioreq_server(h, DOM, id), ENOENT);
	ck_fails(xendevicemodel_set_ioreq_server_state(h, DOM, id, 1), ENOENT);

	ck_assert_int_eq(xendevicemodel_destroy_ioreq_server(h, DOM, id2), 0);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(ioreq_server_errors)
{
	xendevicemodel_handle *h = dm_open();
	ioservid_t id = 0x5555;
	unsigned int n = 77;

	ck_einval_logged(xendevicemodel_create_ioreq_server(h, DOM, 3, &id),
			 "create_ioreq_server");
	ck_einval_logged(xendevicemodel_create_ioreq_server(h, DOM, -1, &id),
			 "create_ioreq_server");
	ck_einval_logged(xendevicemodel_create_ioreq_server(h, DOM, 0, NULL),
			 "create_ioreq_server");
	ck_einval_logged(xendevicemodel_create_ioreq_server(h, DOMID_SELF, 0, &id),
			 "create_ioreq_server");
	ck_assert_uint_eq(id, 0x5555);

	/* What Xen says: no such domain, not an HVM domain. OUT untouched. */
	ck_fails(xendevicemodel_create_ioreq_server(h, DOM_NONE, 0, &id), ESRCH);
	ck_fails(xendevicemodel_create_ioreq_server(h, DOM_PV, 0, &id), EINVAL);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM_NONE, &n), ESRCH);
	ck_assert_uint_eq(id, 0x5555);
	ck_assert_uint_eq(n, 77);
	ck_fails(xendevicemodel_get_ioreq_server_info(h, DOM, 42, NULL, NULL, NULL), ENOENT);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(io_ranges)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_ioreq_server_info info;
	ioservid_t id;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(h, DOM, id, 0, 0x3f8,
								     0x3ff),
			 0);
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(h, DOM, id, 1,
								     0xfe000000, 0xfe000fff),
			 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PORT, 0x3f8,
						       0x3ff),
			 1);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_MEMORY,
						       0xfe000000, 0xfe000fff),
			 1);
	/* Inclusive end: not one more, not one less. */
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PORT, 0x3f8,
						       0x400),
			 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_MEMORY,
						       0x3f8, 0x3ff),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[0], 1);
	ck_assert_uint_eq(info.nr_ranges[1], 1);
	ck_assert_uint_eq(info.nr_ranges[2], 0);

	/* A single port. */
	ck_assert_int_eq(xendevicemodel_map_io_range_to_ioreq_server(h, DOM, id, 0, 0x80, 0x80),
			 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PORT, 0x80,
						       0x80),
			 1);

	ck_assert_int_eq(xendevicemodel_unmap_io_range_from_ioreq_server(h, DOM, id, 0, 0x3f8,
									 0x3ff),
			 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PORT, 0x3f8,
						       0x3ff),
			 0);
	ck_assert_int_eq(xendevicemodel_unmap_io_range_from_ioreq_server(h, DOM, id, 1,
									 0xfe000000,
									 0xfe000fff),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[0], 1);
	ck_assert_uint_eq(info.nr_ranges[1], 0);

	ck_einval_logged(xendevicemodel_map_io_range_to_ioreq_server(h, DOM, id, 1, 0x2000,
								     0x1fff),
			 "map_io_range_to_ioreq_server");
	ck_einval_logged(xendevicemodel_unmap_io_range_from_ioreq_server(h, DOM, id, 0, 9, 8),
			 "unmap_io_range_from_ioreq_server");
	ck_fails(xendevicemodel_map_io_range_to_ioreq_server(h, DOM, 99, 0, 0x60, 0x64),
		 ENOENT);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(pcidev_sbdf)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_ioreq_server_info info;
	const uint64_t sbdf = (0x1234ULL << 16) | (0xab << 8) | (0x1f << 3) | 7;
	ioservid_t id;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
	ck_assert_int_eq(xendevicemodel_map_pcidev_to_ioreq_server(h, DOM, id, 0x1234, 0xab,
								   0x1f, 7),
			 0);
	ck_assert_uint_eq(sbdf, XEN_DMOP_PCI_SBDF(0x1234, 0xab, 0x1f, 7));
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PCI, sbdf,
						       sbdf),
			 1);
	ck_assert_int_eq(xendevicemodel_map_pcidev_to_ioreq_server(h, DOM, id, 0, 0, 3, 0), 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PCI, 3 << 3,
						       3 << 3),
			 1);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[2], 2);

	ck_assert_int_eq(xendevicemodel_unmap_pcidev_from_ioreq_server(h, DOM, id, 0x1234,
								       0xab, 0x1f, 7),
			 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PCI, sbdf,
						       sbdf),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_uint_eq(info.nr_ranges[2], 1);

	ck_einval_logged(xendevicemodel_map_pcidev_to_ioreq_server(h, DOM, id, 0, 0, 32, 0),
			 "map_pcidev_to_ioreq_server");
	ck_einval_logged(xendevicemodel_map_pcidev_to_ioreq_server(h, DOM, id, 0, 0, 0, 8),
			 "map_pcidev_to_ioreq_server");
	ck_einval_logged(xendevicemodel_unmap_pcidev_from_ioreq_server(h, DOM, id, 0, 0, 0xff,
								       0),
			 "unmap_pcidev_from_ioreq_server");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(mem_type_claim)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_ioreq_server_info info;
	ioservid_t id;

	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
	ck_assert_int_eq(xendevicemodel_map_mem_type_to_ioreq_server(
				 h, DOM, id, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.mem_type_claimed, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE);
	ck_assert_int_eq(xendevicemodel_map_mem_type_to_ioreq_server(h, DOM, id,
								     HVMMEM_ioreq_server, 0),
			 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.mem_type_claimed, 0);

	ck_einval_logged(xendevicemodel_map_mem_type_to_ioreq_server(
				 h, DOM, id, HVMMEM_ram_rw, XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
			 "map_mem_type_to_ioreq_server");
	ck_einval_logged(xendevicemodel_map_mem_type_to_ioreq_server(
				 h, DOM, id, HVMMEM_ioreq_server, XEN_DMOP_IOREQ_MEM_ACCESS_READ),
			 "map_mem_type_to_ioreq_server");
	ck_einval_logged(xendevicemodel_map_mem_type_to_ioreq_server(h, DOM, id,
								     HVMMEM_ioreq_server, 4),
			 "map_mem_type_to_ioreq_server");
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.mem_type_claimed, 0);
	xendevicemodel_close(h);
}
END_TEST

/* ---- interrupts ------------------------------------------------------------------- */

START_TEST(isa_irq_and_link_route)
{
	xendevicemodel_handle *h = dm_open();

	ck_assert_int_eq(xensim_isa_irq_level(DOM, 5), 0);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 5, 1), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 5), 1);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 4), 0);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 15, 1), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 15), 1);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 5, 0), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 5), 0);
	ck_einval_logged(xendevicemodel_set_isa_irq_level(h, DOM, 16, 1), "set_isa_irq_level");
	ck_einval_logged(xendevicemodel_set_isa_irq_level(h, DOM, 3, 2), "set_isa_irq_level");

	ck_assert_int_eq(xendevicemodel_set_pci_link_route(h, DOM, 2, 11), 0);
	ck_assert_int_eq(xensim_pci_link_route(DOM, 2), 11);
	ck_assert_int_eq(xendevicemodel_set_pci_link_route(h, DOM, 3, 10), 0);
	ck_assert_int_eq(xensim_pci_link_route(DOM, 3), 10);
	ck_assert_int_eq(xendevicemodel_set_pci_link_route(h, DOM, 2, 0), 0);
	ck_assert_int_eq(xensim_pci_link_route(DOM, 2), 0);
	ck_einval_logged(xendevicemodel_set_pci_link_route(h, DOM, 4, 5), "set_pci_link_route");
	ck_einval_logged(xendevicemodel_set_pci_link_route(h, DOM, 0, 16), "set_pci_link_route");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(pci_intx)
{
	xendevicemodel_handle *h = dm_open();

	ck_assert_int_eq(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 3, 2, 1), 0);
	ck_assert_int_eq(xensim_pci_intx_level(DOM, 0, 0, 3, 2), 1);
	ck_assert_int_eq(xensim_pci_intx_level(DOM, 0, 0, 3, 1), 0);
	ck_assert_int_eq(xensim_pci_intx_level(DOM, 0, 0, 4, 2), 0);
	ck_assert_int_eq(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 31, 3, 1), 0);
	ck_assert_int_eq(xensim_pci_intx_level(DOM, 0, 0, 31, 3), 1);
	/* Xen only emulates segment 0, bus 0. */
	ck_fails(xendevicemodel_set_pci_intx_level(h, DOM, 0, 1, 3, 0, 1), EINVAL);
	ck_fails(xendevicemodel_set_pci_intx_level(h, DOM, 1, 0, 3, 0, 1), EINVAL);
	ck_assert_int_eq(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 3, 2, 0), 0);
	ck_assert_int_eq(xensim_pci_intx_level(DOM, 0, 0, 3, 2), 0);
	ck_einval_logged(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 32, 0, 1),
			 "set_pci_intx_level");
	ck_einval_logged(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 1, 4, 1),
			 "set_pci_intx_level");
	ck_einval_logged(xendevicemodel_set_pci_intx_level(h, DOM, 0, 0, 1, 0, 2),
			 "set_pci_intx_level");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(irq_level)
{
	xendevicemodel_handle *h = dm_open();
	int asserts = xensim_irq_assert_count(DOM, 40);

	ck_assert_int_ge(asserts, 0);
	ck_assert_int_eq(xendevicemodel_set_irq_level(h, DOM, 40, 1), 0);
	ck_assert_int_eq(xensim_irq_level(DOM, 40), 1);
	ck_assert_int_eq(xensim_irq_assert_count(DOM, 40), asserts + 1);
	ck_assert_int_eq(xendevicemodel_set_irq_level(h, DOM, 40, 0), 0);
	ck_assert_int_eq(xensim_irq_level(DOM, 40), 0);
	ck_assert_int_eq(xensim_irq_level(DOM, 41), 0);
	ck_einval_logged(xendevicemodel_set_irq_level(h, DOM, 40, 5), "set_irq_level");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(msi)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_msi m[4];

	ck_assert_int_eq(xensim_msis(DOM, m, 4), 0);
	ck_assert_int_eq(xendevicemodel_inject_msi(h, DOM, 0xfee01000, 0x4041), 0);
	ck_assert_int_eq(xendevicemodel_inject_msi(h, DOM, 0x1fee02000ULL, 0xffffffffU), 0);
	ck_assert_int_eq(xensim_msis(DOM, m, 4), 2);
	ck_assert_uint_eq(m[0].addr, 0xfee01000);
	ck_assert_uint_eq(m[0].data, 0x4041);
	ck_assert_uint_eq(m[1].addr, 0x1fee02000ULL);
	ck_assert_uint_eq(m[1].data, 0xffffffffU);
	ck_assert_int_eq(xensim_msis(DOM2, m, 4), 0);
	xendevicemodel_close(h);
}
END_TEST

/* ---- memory --------------------------------------------------------------------------- */

START_TEST(mem_type)
{
	xendevicemodel_handle *h = dm_open();

	ck_assert_int_eq(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ram_ro, 0x100, 4), 0);
	ck_assert_int_eq(xensim_mem_type(DOM, 0xff), HVMMEM_ram_rw);
	ck_assert_int_eq(xensim_mem_type(DOM, 0x100), HVMMEM_ram_ro);
	ck_assert_int_eq(xensim_mem_type(DOM, 0x103), HVMMEM_ram_ro);
	ck_assert_int_eq(xensim_mem_type(DOM, 0x104), HVMMEM_ram_rw);
	ck_assert_int_eq(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ram_rw, 0x100, 4), 0);
	ck_assert_int_eq(xensim_mem_type(DOM, 0x102), HVMMEM_ram_rw);
	ck_assert_int_eq(xendevicemodel_set_mem_type(h, DOM, HVMMEM_mmio_dm, 0x200, 2), 0);
	ck_assert_int_eq(xensim_mem_type(DOM, 0x201), HVMMEM_mmio_dm);
	/* HVMMEM_ioreq_server pages need a server that claimed them (Xen). */
	ck_fails(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ioreq_server, 0x102, 1), EINVAL);
	{
		ioservid_t id;

		ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
		ck_assert_int_eq(xendevicemodel_map_mem_type_to_ioreq_server(
					 h, DOM, id, HVMMEM_ioreq_server,
					 XEN_DMOP_IOREQ_MEM_ACCESS_WRITE),
				 0);
		ck_assert_int_eq(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ioreq_server,
							     0x102, 1),
				 0);
		ck_assert_int_eq(xensim_mem_type(DOM, 0x102), HVMMEM_ioreq_server);
		ck_assert_int_eq(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ram_rw, 0x102, 1),
				 0);
		ck_assert_int_eq(xensim_mem_type(DOM, 0x102), HVMMEM_ram_rw);
	}
	ck_einval_logged(xendevicemodel_set_mem_type(h, DOM, HVMMEM_ram_ro, UINT64_MAX - 1, 3),
			 "set_mem_type");
	ck_einval_logged(xendevicemodel_set_mem_type(h, DOM, (hvmmem_type_t)0x10000, 0, 1),
			 "set_mem_type");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(modified)
{
	xendevicemodel_handle *h = dm_open();
	struct xen_dm_op_modified_memory_extent ext[2] = {
		{ .nr = 2, .pad = 0, .first_pfn = 0x300 },
		{ .nr = 1, .pad = 0, .first_pfn = 0x310 },
	};

	ck_assert_int_eq(xendevicemodel_modified_memory(h, DOM, 0x200, 3), 0);
	ck_assert_int_eq(xensim_modified(DOM, 0x1ff), 0);
	ck_assert_int_eq(xensim_modified(DOM, 0x200), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x202), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x203), 0);
	/* Reading cleared them. */
	ck_assert_int_eq(xensim_modified(DOM, 0x200), 0);

	ck_assert_int_eq(xendevicemodel_modified_memory_bulk(h, DOM, ext, 2), 0);
	ck_assert_int_eq(xensim_modified(DOM, 0x300), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x301), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x302), 0);
	ck_assert_int_eq(xensim_modified(DOM, 0x310), 1);
	/* The caller's extents are left as they were. */
	ck_assert_uint_eq(ext[0].nr, 2);
	ck_assert_uint_eq(ext[1].first_pfn, 0x310);
	ck_assert_int_eq(xendevicemodel_modified_memory_bulk(h, DOM, NULL, 0), 0);

	ext[1].pad = 1;
	ck_einval_logged(xendevicemodel_modified_memory_bulk(h, DOM, ext, 2),
			 "modified_memory_bulk");
	ck_assert_int_eq(xensim_modified(DOM, 0x300), 0); /* nothing was sent */
	ck_einval_logged(xendevicemodel_modified_memory_bulk(h, DOM, NULL, 1),
			 "modified_memory_bulk");
	ck_einval_logged(xendevicemodel_modified_memory(h, DOM, UINT64_MAX, 2),
			 "modified_memory");
	xendevicemodel_close(h);
}
END_TEST

/* More extents than one DM_OP ioctl buffer holds (256): split, in order. */
#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(modified_bulk_large)
{
	xendevicemodel_handle *h = dm_open();
	struct xen_dm_op_modified_memory_extent ext[300];
	unsigned int i;

	for (i = 0; i < 300; i++)
		ext[i] = (struct xen_dm_op_modified_memory_extent){ .nr = 1,
								    .first_pfn = 0x1000 + 2 * i };
	ck_assert_int_eq(xendevicemodel_modified_memory_bulk(h, DOM, ext, 300), 0);
	for (i = 0; i < 300; i++) {
		ck_assert_int_eq(xensim_modified(DOM, 0x1000 + 2 * i), 1);
		ck_assert_int_eq(xensim_modified(DOM, 0x1000 + 2 * i + 1), 0);
	}

	/* Two ioctls: the second fails, the first 256 extents are marked. */
	ck_assert_int_eq(xensim_inject("ioctl:IOCTL_PRIVCMD_DM_OP", 2, 1, EIO), 0);
	ck_fails(xendevicemodel_modified_memory_bulk(h, DOM, ext, 300), EIO);
	ck_assert_int_eq(xensim_modified(DOM, 0x1000), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x1000 + 2 * 255), 1);
	ck_assert_int_eq(xensim_modified(DOM, 0x1000 + 2 * 256), 0);
	xendevicemodel_close(h);
}
END_TEST
#endif

/* Bit @i of a byte bitmap. */
static int bit(const unsigned long *bitmap, unsigned int i)
{
	return (((const unsigned char *)bitmap)[i / 8] >> (i % 8)) & 1;
}

static unsigned int count_bits(const unsigned long *bitmap, unsigned int nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr; i++)
		n += bit(bitmap, i);
	return n;
}

START_TEST(dirty_vram)
{
	xendevicemodel_handle *h = dm_open();
	unsigned long bitmap[2];

	/* Prime tracking for the range, then only what the guest dirties. */
	memset(bitmap, 0xaa, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, 0x300, 100, bitmap), 0);
	ck_assert_int_eq(xensim_guest_dirty(DOM, 0x305), 0);
	ck_assert_int_eq(xensim_guest_dirty(DOM, 0x363), 0);
	ck_assert_int_eq(xensim_guest_dirty(DOM, 0x364), 0); /* just outside */
	memset(bitmap, 0, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, 0x300, 100, bitmap), 0);
	ck_assert_int_eq(bit(bitmap, 5), 1);
	ck_assert_int_eq(bit(bitmap, 99), 1);
	ck_assert_int_eq(count_bits(bitmap, 100), 2);
	/* (nr + 7) / 8 bytes written, not one more. */
	ck_assert_uint_eq(((unsigned char *)bitmap)[13], 0);
	/* Reading re-armed tracking. */
	memset(bitmap, 0xff, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, 0x300, 100, bitmap), 0);
	ck_assert_int_eq(count_bits(bitmap, 100), 0);
	ck_assert_uint_eq(((unsigned char *)bitmap)[13], 0xff);

	ck_einval_logged(xendevicemodel_track_dirty_vram(h, DOM, 0x300, 100, NULL),
			 "track_dirty_vram");
	ck_einval_logged(xendevicemodel_track_dirty_vram(h, DOM, UINT64_MAX - 10, 100, bitmap),
			 "track_dirty_vram");
	xendevicemodel_close(h);
}
END_TEST

/* 40000 frames: a 5000-byte bitmap, over the DM_OP ioctl's 4096 bytes. */
#define BIG_NR 40000
#define BIG_PFN 0x1000

static void big_dirty_vram(xendevicemodel_handle *h)
{
	static unsigned long bitmap[(BIG_NR + 63) / 64 + 1];
	const unsigned int dirty[] = { 0, 5, 32767, 32768, 39999 };
	unsigned int i;

	memset(bitmap, 0, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, BIG_PFN, BIG_NR, bitmap), 0);
	for (i = 0; i < (sizeof(dirty) / sizeof(dirty[0])); i++)
		ck_assert_int_eq(xensim_guest_dirty(DOM, BIG_PFN + dirty[i]), 0);
	memset(bitmap, 0, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, BIG_PFN, BIG_NR, bitmap), 0);
	for (i = 0; i < (sizeof(dirty) / sizeof(dirty[0])); i++)
		ck_assert_msg(bit(bitmap, dirty[i]), "frame %u not dirty", dirty[i]);
	ck_assert_uint_eq(count_bits(bitmap, BIG_NR), (sizeof(dirty) / sizeof(dirty[0])));
}

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(dirty_vram_large)
{
	xendevicemodel_handle *h = dm_open();
	static unsigned long bitmap[(BIG_NR + 63) / 64 + 1];

	big_dirty_vram(h);
	/* It went as one hypercall, not through the ioctl (which says E2BIG). */
	ck_assert_int_eq(xensim_inject("ioctl:IOCTL_PRIVCMD_HYPERCALL", 1, 1, EIO), 0);
	ck_fails(xendevicemodel_track_dirty_vram(h, DOM, BIG_PFN, BIG_NR, bitmap), EIO);
	xendevicemodel_close(h);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(dirty_vram_large_restricted)
{
	xendevicemodel_handle *h = dm_open();
	static unsigned long bitmap[(BIG_NR + 63) / 64 + 1];

	/*
	 * A restricted handle never uses the hypercall: the kernel refuses the
	 * whole bitmap (E2BIG), so it goes in 32768-frame pieces. Xen tracks
	 * one range at a time: pieces report everything dirty, never less.
	 */
	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	memset(bitmap, 0, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, BIG_PFN, BIG_NR, bitmap), 0);
	ck_assert_int_eq(xensim_guest_dirty(DOM, BIG_PFN + 7), 0);
	memset(bitmap, 0, sizeof(bitmap));
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, BIG_PFN, BIG_NR, bitmap), 0);
	ck_assert_uint_eq(count_bits(bitmap, BIG_NR), BIG_NR);
	/* Exactly (nr + 7) / 8 bytes written. */
	ck_assert_uint_eq(((unsigned char *)bitmap)[BIG_NR / 8], 0);
	xendevicemodel_close(h);
}
END_TEST
#endif

START_TEST(relocate)
{
	xendevicemodel_handle *h = dm_open();
	char buf[16] = "";

	ck_assert_int_eq(xensim_guest_write(DOM, 0x400000, "relocated!", 11), 0);
	ck_assert_int_eq(xendevicemodel_relocate_memory(h, DOM, 1, 0x400, 0x500), 0);
	ck_assert_int_eq(xensim_guest_read(DOM, 0x500000, buf, 11), 0);
	ck_assert_str_eq(buf, "relocated!");
	ck_einval_logged(xendevicemodel_relocate_memory(h, DOM, 2, UINT64_MAX, 0),
			 "relocate_memory");
	ck_einval_logged(xendevicemodel_relocate_memory(h, DOM, 2, 0, UINT64_MAX),
			 "relocate_memory");
	xendevicemodel_close(h);
}
END_TEST

START_TEST(cacheattr)
{
	xendevicemodel_handle *h = dm_open();

	ck_fails(xensim_cacheattr(DOM, 0x605), ENOENT);
	ck_assert_int_eq(xendevicemodel_pin_memory_cacheattr(h, DOM, 0x600, 0x60f,
							     XEN_DMOP_MEM_CACHEATTR_WC),
			 0);
	ck_assert_int_eq(xensim_cacheattr(DOM, 0x600), XEN_DMOP_MEM_CACHEATTR_WC);
	ck_assert_int_eq(xensim_cacheattr(DOM, 0x60f), XEN_DMOP_MEM_CACHEATTR_WC);
	ck_fails(xensim_cacheattr(DOM, 0x610), ENOENT);
	ck_assert_int_eq(xendevicemodel_pin_memory_cacheattr(h, DOM, 0x600, 0x60f,
							     XEN_DMOP_DELETE_MEM_CACHEATTR),
			 0);
	ck_fails(xensim_cacheattr(DOM, 0x605), ENOENT);
	ck_einval_logged(xendevicemodel_pin_memory_cacheattr(h, DOM, 0x10, 0xf, 6),
			 "pin_memory_cacheattr");
	ck_einval_logged(xendevicemodel_pin_memory_cacheattr(h, DOM, 0, 1, 2),
			 "pin_memory_cacheattr");
	xendevicemodel_close(h);
}
END_TEST

/* ---- vCPUs and the domain ---------------------------------------------------------------- */

START_TEST(inject_event)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_event ev[2];

	ck_assert_int_eq(xendevicemodel_inject_event(h, DOM, 1, 14, XEN_DMOP_EVENT_hw_exc, 2, 0,
						     0xdead000),
			 0);
	ck_assert_int_eq(xensim_events(DOM, ev, 2), 1);
	ck_assert_uint_eq(ev[0].vcpu, 1);
	ck_assert_uint_eq(ev[0].vector, 14);
	ck_assert_uint_eq(ev[0].type, XEN_DMOP_EVENT_hw_exc);
	ck_assert_uint_eq(ev[0].insn_len, 0);
	ck_assert_uint_eq(ev[0].error_code, 2);
	ck_assert_uint_eq(ev[0].extra, 0xdead000);

	ck_einval_logged(xendevicemodel_inject_event(h, DOM, -1, 3, 3, ~0u, 0, 0),
			 "inject_event");
	ck_einval_logged(xendevicemodel_inject_event(h, DOM, 0, 3, 1, ~0u, 0, 0),
			 "inject_event");
	ck_einval_logged(xendevicemodel_inject_event(h, DOM, 0, 3, 7, ~0u, 0, 0),
			 "inject_event");
	ck_einval_logged(xendevicemodel_inject_event(h, DOM, 0, 0x80, XEN_DMOP_EVENT_sw_int,
						     ~0u, 16, 0),
			 "inject_event");
	ck_assert_int_eq(xensim_events(DOM, ev, 2), 1);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(shutdown)
{
	xendevicemodel_handle *h = dm_open();

	ck_fails(xensim_shutdown_reason(DOM), ENOENT);
	ck_einval_logged(xendevicemodel_shutdown(h, DOM, SHUTDOWN_MAX + 1), "shutdown");
	ck_fails(xensim_shutdown_reason(DOM), ENOENT);
	ck_assert_int_eq(xendevicemodel_shutdown(h, DOM2, SHUTDOWN_reboot), 0);
	ck_assert_int_eq(xensim_shutdown_reason(DOM2), SHUTDOWN_reboot);
	ck_assert_int_eq(xendevicemodel_shutdown(h, DOM, SHUTDOWN_soft_reset), 0);
	ck_assert_int_eq(xensim_shutdown_reason(DOM), SHUTDOWN_soft_reset);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(nr_vcpus)
{
	xendevicemodel_handle *h = dm_open();
	unsigned int n = 0;

	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM2, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_einval_logged(xendevicemodel_nr_vcpus(h, DOM, NULL), "nr_vcpus");
	xendevicemodel_close(h);
}
END_TEST

/* ---- the hypercall transport ------------------------------------------------------------ */

/* Linux 4.4 has no DM_OP ioctl (and no RESTRICT): everything goes through
 * __HYPERVISOR_dm_op with bounce buffers. */
static void hypercall_transport(const char *kernel)
{
	xendevicemodel_handle *h;
	struct xensim_ioreq_server_info info;
	unsigned int n = 1234;
	evtchn_port_t port = 0;
	ioservid_t id;

	reset_machine(kernel);
	h = dm_open();
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 1, &id), 0);
	ck_assert_int_eq(xensim_ioreq_server(DOM, id, &info), 0);
	ck_assert_int_eq(info.exists, 1);
	ck_assert_int_eq(info.bufioreq, 1);
	ck_assert_int_eq(xendevicemodel_get_ioreq_server_info(h, DOM, id, NULL, NULL, &port),
			 0);
	ck_assert_uint_eq(port, info.bufioreq_port);
	ck_assert_int_eq(xendevicemodel_map_pcidev_to_ioreq_server(h, DOM, id, 0, 0, 5, 1), 0);
	ck_assert_int_eq(xensim_ioreq_server_has_range(DOM, id, XEN_DMOP_IO_RANGE_PCI,
						       XEN_DMOP_PCI_SBDF(0, 0, 5, 1),
						       XEN_DMOP_PCI_SBDF(0, 0, 5, 1)),
			 1);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 7, 1), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 7), 1);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	big_dirty_vram(h);
	{
		/* 300 extents, 4800 bytes: one hypercall takes them all. */
		static struct xen_dm_op_modified_memory_extent ext[300];
		unsigned int i;

		for (i = 0; i < 300; i++)
			ext[i] = (struct xen_dm_op_modified_memory_extent){
				.nr = 1, .first_pfn = 0x2000 + 3 * i
			};
		ck_assert_int_eq(xendevicemodel_modified_memory_bulk(h, DOM, ext, 300), 0);
		for (i = 0; i < 300; i++) {
			ck_assert_int_eq(xensim_modified(DOM, 0x2000 + 3 * i), 1);
			ck_assert_int_eq(xensim_modified(DOM, 0x2000 + 3 * i + 1), 0);
		}
	}

	/* Failure: OUT values are not written (copied back only on success). */
	n = 1234;
	ck_fails(xendevicemodel_nr_vcpus(h, DOM_NONE, &n), ESRCH);
	ck_assert_uint_eq(n, 1234);
	ck_fails(xendevicemodel_create_ioreq_server(h, DOM_PV, 0, &id), EINVAL);

	/* The dm_op really went as a hypercall. */
	ck_assert_int_eq(xensim_inject("ioctl:IOCTL_PRIVCMD_HYPERCALL", 1, 1, EIO), 0);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM, &n), EIO);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);

	/* No kernel restriction: never a silent success. */
	clear_log();
	ck_fails(xendevicemodel_restrict(h, DOM), EOPNOTSUPP);
#ifndef XS_UPSTREAM_ORACLE
	ck_assert_ptr_nonnull(strstr(logged(), "restrict"));
#endif
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM2, &n), 0); /* still usable */
	ck_assert_uint_eq(n, 1);
	xendevicemodel_close(h);
}

START_TEST(hypercall_transport_linux44)
{
	hypercall_transport("linux-4.4");
}
END_TEST

START_TEST(hypercall_transport_no_dm_op)
{
	hypercall_transport("linux-6.12-dm-op");
}
END_TEST

/* ---- restriction ------------------------------------------------------------------------- */

START_TEST(restrict_explicit)
{
	xendevicemodel_handle *h = dm_open();
	unsigned int n;
	ioservid_t id;

	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(xendevicemodel_create_ioreq_server(h, DOM, 0, &id), 0);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	ck_fails(xendevicemodel_create_ioreq_server(h, DOM2, 0, &id), EPERM);
	ck_fails(xendevicemodel_set_isa_irq_level(h, DOM2, 1, 1), EPERM);
	ck_assert_int_eq(xensim_isa_irq_level(DOM2, 1), 0);
	/* Same domain again: fine; another: EINVAL (the kernel's answer). */
	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	ck_fails(xendevicemodel_restrict(h, DOM2), EINVAL);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	xendevicemodel_close(h);
}
END_TEST

START_TEST(restrict_all)
{
	xendevicemodel_handle *h = dm_open();
	xendevicemodel_handle *gone = dm_open();
	unsigned int n;

	/* A closed handle has left the registry before its fd was closed. */
	xendevicemodel_close(gone);
	ck_assert_int_eq(xentoolcore_restrict_all(DOM), 0);
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 3, 1), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 3), 1);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	xendevicemodel_close(h);
	ck_assert_int_eq(xentoolcore_restrict_all(DOM), 0);
}
END_TEST

/* The kernel has DM_OP but no RESTRICT. */
#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(restrict_unsupported)
{
	xendevicemodel_handle *h;
	unsigned int n;

	reset_machine("linux-6.12-restrict");
	h = dm_open();
	ck_fails(xendevicemodel_restrict(h, DOM), EOPNOTSUPP);
	/* Left as it was: never silently "restricted". */
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM2, &n), 0);
	/* restrict_all cannot restrict it either: it is neutered, and says so. */
	ck_assert_int_eq(xentoolcore_restrict_all(DOM), -1);
	clear_log();
	ck_fails(xendevicemodel_nr_vcpus(h, DOM, &n), EPERM);
	ck_assert_ptr_nonnull(strstr(logged(), "neutered"));
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	ck_fails(xendevicemodel_restrict(h, DOM), EPERM);
	ck_assert_int_eq(xendevicemodel_close(h), 0);
}
END_TEST
#endif

/* A domU kernel after XSA-482: every privcmd fd starts restricted to the
 * domain this one is device model for. */
#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(restrict_by_kernel_domu)
{
	static unsigned long bitmap[(40000 + 63) / 64 + 1];
	xendevicemodel_handle *h;
	unsigned int n;

	reset_scenario("kernel linux-6.12+domu\ndomu-target 1\n");
	h = dm_open();
	ck_assert_int_eq(xendevicemodel_nr_vcpus(h, DOM, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	ck_fails(xendevicemodel_restrict(h, DOM2), EINVAL);
	/* Too big for one ioctl and no hypercalls allowed: still works. */
	ck_assert_int_eq(xendevicemodel_track_dirty_vram(h, DOM, 0x1000, 40000, bitmap), 0);
	ck_assert_int_eq(xentoolcore_restrict_all(DOM), 0);
	ck_assert_int_eq(xendevicemodel_set_isa_irq_level(h, DOM, 9, 1), 0);
	ck_assert_int_eq(xensim_isa_irq_level(DOM, 9), 1);
	xendevicemodel_close(h);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(restrict_all_hypercall_transport)
{
	xendevicemodel_handle *h;
	unsigned int n;

	reset_machine("linux-4.4");
	h = dm_open();
	ck_assert_int_eq(xentoolcore_restrict_all(DOM), -1);
	ck_assert_int_eq(errno, EOPNOTSUPP);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM, &n), EPERM);
	ck_fails(xendevicemodel_nr_vcpus(h, DOM2, &n), EPERM);
	ck_assert_int_eq(xendevicemodel_close(h), 0);
}
END_TEST
#endif

/* ---- irqfd --------------------------------------------------------------------------------- */

#ifndef XS_UPSTREAM_ORACLE
/* Wait (bounded) until xensim counts @want asserts of @irq. */
static bool wait_asserts(unsigned int irq, int want)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (xensim_irq_assert_count(DOM, irq) >= want)
			return true;
		usleep(1000);
	}
	return false;
}

static void signal_eventfd(int efd)
{
	uint64_t one = 1;

	ck_assert_int_eq(write(efd, &one, sizeof(one)), sizeof(one));
}

static void irqfd_works(const char *kernel)
{
	xendevicemodel_handle *h;
	int efd, efd2, base;

	reset_machine(kernel);
	h = dm_open();
	efd = eventfd(0, EFD_CLOEXEC);
	efd2 = eventfd(0, EFD_CLOEXEC);
	ck_assert_int_ge(efd, 0);
	base = xensim_irq_assert_count(DOM, 50);
	ck_assert_int_ge(base, 0);

	ck_assert_int_eq(xendevicemodel_irqfd_assign(h, DOM, efd, 50, 1), 0);
	signal_eventfd(efd);
	ck_assert_msg(wait_asserts(50, base + 1), "eventfd signal did not raise IRQ 50");
	ck_assert_int_eq(xensim_irq_level(DOM, 50), 1);
	/* The device model lowers the line; the next signal raises it again. */
	ck_assert_int_eq(xendevicemodel_set_irq_level(h, DOM, 50, 0), 0);
	signal_eventfd(efd);
	ck_assert_msg(wait_asserts(50, base + 2), "second signal did not raise IRQ 50");

	/* One eventfd, one registration. */
	ck_fails(xendevicemodel_irqfd_assign(h, DOM, efd, 51, 1), EBUSY);
	ck_assert_int_eq(xendevicemodel_irqfd_deassign(h, DOM, efd), 0);
	/* As Linux: deassigning an unregistered eventfd succeeds. */
	ck_assert_int_eq(xendevicemodel_irqfd_deassign(h, DOM, efd), 0);
	/* Deassigned: the eventfd can be registered again. */
	ck_assert_int_eq(xendevicemodel_irqfd_assign(h, DOM, efd, 51, 1), 0);
	ck_assert_int_eq(xendevicemodel_irqfd_deassign(h, DOM, efd), 0);

	/* A count pending before assignment is delivered at once. */
	base = xensim_irq_assert_count(DOM, 52);
	signal_eventfd(efd2);
	ck_assert_int_eq(xendevicemodel_irqfd_assign(h, DOM, efd2, 52, 1), 0);
	ck_assert_msg(wait_asserts(52, base + 1), "pending count not delivered");
	ck_assert_int_eq(xendevicemodel_irqfd_deassign(h, DOM, efd2), 0);

	/* Restriction applies. */
	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	ck_fails(xendevicemodel_irqfd_assign(h, DOM2, efd, 50, 1), EPERM);
	ck_assert_int_eq(xendevicemodel_irqfd_assign(h, DOM, efd, 53, 1), 0);

	ck_einval_logged(xendevicemodel_irqfd_assign(h, DOM, -1, 50, 1), "irqfd_assign");
	ck_einval_logged(xendevicemodel_irqfd_assign(h, DOM, efd, 50, 2), "irqfd_assign");
	ck_einval_logged(xendevicemodel_irqfd_deassign(h, DOM, -3), "irqfd_deassign");
	ck_einval_logged(xendevicemodel_irqfd_assign_msi(h, DOM, -1, 0xfee00000, 0),
			 "irqfd_assign_msi");
	/* Closing the handle drops its irqfds. */
	xendevicemodel_close(h);
	close(efd);
	close(efd2);
}

#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_linux612)
{
	irqfd_works(NULL);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_linux66)
{
	irqfd_works("linux-6.6");
}
END_TEST
#endif

/* Only the 6.6 ioctl number: the library falls back to it. */
#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_66_number)
{
	irqfd_works("linux-6.12+irqfd-6.6");
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_not_an_eventfd)
{
	xendevicemodel_handle *h = dm_open();
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_fails(xendevicemodel_irqfd_assign(h, DOM, fds[0], 50, 1), EINVAL);
	close(fds[0]);
	close(fds[1]);
	ck_fails(xendevicemodel_irqfd_assign(h, DOM, 1000, 50, 1), EBADF);
	xendevicemodel_close(h);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_msi)
{
	xendevicemodel_handle *h = dm_open();
	struct xensim_msi m[2];
	int efd = eventfd(0, EFD_CLOEXEC), i;

	ck_assert_int_ge(efd, 0);
	ck_assert_int_eq(xendevicemodel_irqfd_assign_msi(h, DOM, efd, 0xfee03000, 0x4062), 0);
	signal_eventfd(efd);
	for (i = 0; i < 5000 && xensim_msis(DOM, m, 2) < 1; i++)
		usleep(1000);
	ck_assert_int_eq(xensim_msis(DOM, m, 2), 1);
	ck_assert_uint_eq(m[0].addr, 0xfee03000);
	ck_assert_uint_eq(m[0].data, 0x4062);
	ck_assert_int_eq(xendevicemodel_irqfd_deassign(h, DOM, efd), 0);
	xendevicemodel_close(h);
	close(efd);
}
END_TEST
#endif

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(irqfd_unsupported)
{
	xendevicemodel_handle *h;
	int efd = eventfd(0, EFD_CLOEXEC);

	reset_machine("linux-6.1");
	h = dm_open();
	ck_fails(xendevicemodel_irqfd_assign(h, DOM, efd, 50, 1), EOPNOTSUPP);
	ck_fails(xendevicemodel_irqfd_assign_msi(h, DOM, efd, 0xfee00000, 1), EOPNOTSUPP);
	ck_fails(xendevicemodel_irqfd_deassign(h, DOM, efd), EOPNOTSUPP);
	xendevicemodel_close(h);

	/* Unknown privcmd ioctls answered with EINVAL (old kernels). */
	reset_machine("linux-6.1+old-privcmd-einval");
	h = dm_open();
	ck_fails(xendevicemodel_irqfd_assign(h, DOM, efd, 50, 1), EOPNOTSUPP);
	xendevicemodel_close(h);
	close(efd);
}
END_TEST
#endif

/* ---- GSI ---------------------------------------------------------------------------------- */

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(pcidev_gsi)
{
	xendevicemodel_handle *h;
	uint32_t gsi = 0xdeadbeef;

	reset_scenario("pci-gsi 0000:00:02.0 28\npci-gsi 0001:03:1f.7 40\n");
	h = dm_open();
	ck_assert_int_eq(xendevicemodel_pcidev_get_gsi(h, 0, 0, 2, 0, &gsi), 0);
	ck_assert_uint_eq(gsi, 28);
	ck_assert_int_eq(xendevicemodel_pcidev_get_gsi(h, 1, 3, 0x1f, 7, &gsi), 0);
	ck_assert_uint_eq(gsi, 40);
	/* Not restricted: a property of the host. */
	ck_assert_int_eq(xendevicemodel_restrict(h, DOM), 0);
	gsi = 0xdeadbeef;
	ck_assert_int_eq(xendevicemodel_pcidev_get_gsi(h, 0, 0, 2, 0, &gsi), 0);
	ck_assert_uint_eq(gsi, 28);
	/* No legacy interrupt: ENOENT, *gsi untouched. */
	gsi = 0xdeadbeef;
	ck_fails(xendevicemodel_pcidev_get_gsi(h, 0, 0, 3, 0, &gsi), ENOENT);
	ck_assert_uint_eq(gsi, 0xdeadbeef);
	ck_einval_logged(xendevicemodel_pcidev_get_gsi(h, 0, 0, 32, 0, &gsi),
			 "pcidev_get_gsi");
	ck_einval_logged(xendevicemodel_pcidev_get_gsi(h, 0, 0, 1, 8, &gsi),
			 "pcidev_get_gsi");
	ck_einval_logged(xendevicemodel_pcidev_get_gsi(h, 0, 0, 1, 0, NULL),
			 "pcidev_get_gsi");
	xendevicemodel_close(h);

	reset_machine("linux-6.6");
	h = dm_open();
	gsi = 0xdeadbeef;
	ck_fails(xendevicemodel_pcidev_get_gsi(h, 0, 0, 2, 0, &gsi), EOPNOTSUPP);
	ck_assert_uint_eq(gsi, 0xdeadbeef);
	xendevicemodel_close(h);
}
END_TEST
#endif

/* ---- logging ------------------------------------------------------------------------------- */

#ifndef XS_UPSTREAM_ORACLE /* xenstable improvement or extension */
START_TEST(default_logger_and_reserved_domids)
{
	xendevicemodel_handle *h = dm_open();
	unsigned int n;

	ck_einval_logged(xendevicemodel_nr_vcpus(h, DOMID_SELF, &n), "nr_vcpus");
	ck_assert_ptr_nonnull(strstr(logged(), "reserved domain id 0x7ff0"));
	ck_einval_logged(xendevicemodel_set_isa_irq_level(h, DOMID_INVALID, 1, 1),
			 "set_isa_irq_level");
	ck_einval_logged(xendevicemodel_restrict(h, DOMID_IDLE), "restrict");
	xendevicemodel_close(h);
}
END_TEST
#endif

static Suite *devicemodel_suite(void)
{
	Suite *s = suite_create("devicemodel");
	TCase *tc;

#define ADD_CASE(name, ...)                                                              \
	do {                                                                             \
		tc = tcase_create(name);                                                 \
		tcase_add_checked_fixture(tc, setup, teardown);                          \
		tcase_set_timeout(tc, 60);                                               \
		__VA_ARGS__;                                                             \
		suite_add_tcase(s, tc);                                                  \
	} while (0)

#ifdef XS_UPSTREAM_ORACLE
#define XS(test) ((void)0)
#else
#define XS(test) tcase_add_test(tc, test)
#endif
	ADD_CASE("handle", tcase_add_test(tc, open_close);
		 tcase_add_test(tc, threads_share_handle); tcase_add_test(tc, fork_child_closes);
		 tcase_add_test(tc, hypervisor_errors_pass_through);
		 tcase_add_test(tc, open_without_privcmd); XS(null_handle);
		 XS(default_logger_and_reserved_domids));
	ADD_CASE("ioreq", tcase_add_test(tc, ioreq_server_lifecycle);
		 tcase_add_test(tc, ioreq_server_errors); tcase_add_test(tc, io_ranges);
		 tcase_add_test(tc, pcidev_sbdf); tcase_add_test(tc, mem_type_claim));
	ADD_CASE("interrupts", tcase_add_test(tc, isa_irq_and_link_route);
		 tcase_add_test(tc, pci_intx); tcase_add_test(tc, irq_level);
		 tcase_add_test(tc, msi));
	ADD_CASE("memory", tcase_add_test(tc, mem_type); tcase_add_test(tc, modified);
		 XS(modified_bulk_large); tcase_add_test(tc, dirty_vram);
		 XS(dirty_vram_large); XS(dirty_vram_large_restricted);
		 tcase_add_test(tc, relocate); tcase_add_test(tc, cacheattr));
	ADD_CASE("domain", tcase_add_test(tc, inject_event); tcase_add_test(tc, shutdown);
		 tcase_add_test(tc, nr_vcpus));
	ADD_CASE("transport", tcase_add_test(tc, hypercall_transport_linux44);
		 tcase_add_test(tc, hypercall_transport_no_dm_op));
	ADD_CASE("restrict", tcase_add_test(tc, restrict_explicit);
		 tcase_add_test(tc, restrict_all); XS(restrict_unsupported);
		 XS(restrict_by_kernel_domu); XS(restrict_all_hypercall_transport));
	ADD_CASE("extensions", XS(irqfd_linux612); XS(irqfd_linux66); XS(irqfd_66_number);
		 XS(irqfd_not_an_eventfd); XS(irqfd_msi); XS(irqfd_unsupported);
		 XS(pcidev_gsi));
	return s;
}

int main(void)
{
	return xs_dm_run("test-devicemodel", devicemodel_suite);
}
