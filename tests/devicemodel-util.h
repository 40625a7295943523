/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The start of the libxendevicemodel runners: on a simulated machine with
 * a dm_op part (and, for ioreq servers, an event-channel part), build and
 * run the suite @make_suite returns; otherwise skip (77), saying why, rather than fail on the
 * simulator.
 */
#ifndef XS_DEVICEMODEL_UTIL_H
#define XS_DEVICEMODEL_UTIL_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xendevicemodel.h"
#include "xensim.h"

static inline bool xs_dm_sim_has_dm_op(const char *prog)
{
	xendevicemodel_handle *h;
	unsigned int n;
	ioservid_t id;
	bool ok = true;

	if (xensim_reset(NULL)) {
		fprintf(stderr, "%s: xensim_reset: %s; skipping\n", prog, strerror(errno));
		return false;
	}
	h = xendevicemodel_open(NULL, 0);
	if (!h) {
		fprintf(stderr, "%s: xendevicemodel_open on xensim: %s\n", prog, strerror(errno));
		return true; /* let the tests say what is wrong */
	}
	if (xendevicemodel_nr_vcpus(h, 1, &n) && (errno == ENOSYS || errno == EOPNOTSUPP)) {
		fprintf(stderr, "%s: this xensim has no dm_op part yet (%s); skipping\n", prog,
			strerror(errno));
		ok = false;
	} else if (xendevicemodel_create_ioreq_server(h, 1, 0, &id) &&
		   (errno == ENOSYS || errno == EOPNOTSUPP)) {
		fprintf(stderr, "%s: this xensim cannot create ioreq servers yet (%s: "
				"no event-channel part?); skipping\n",
			prog, strerror(errno));
		ok = false;
	}
	xendevicemodel_close(h);
	return ok;
}

/* main() of a runner: 0 if every test passed, 77 to skip, else 1. */
static inline int xs_dm_run(const char *prog, Suite *(*make_suite)(void))
{
	SRunner *sr;
	int failed;

	if (!xensim_available()) {
		fprintf(stderr, "%s: no simulated Xen machine (run it through xensim); skipping\n",
			prog);
		return 77;
	}
	if (!xs_dm_sim_has_dm_op(prog))
		return 77;
	sr = srunner_create(make_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* XS_DEVICEMODEL_UTIL_H */
