/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Helpers shared by the libxencall and libxenforeignmemory test runners:
 * machine reset, a logger that writes into memory, fd accounting and
 * /proc/self/smaps inspection.
 */
#ifndef XS_CALL_UTIL_H
#define XS_CALL_UTIL_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xensim.h"
#include "xentoollog.h"

static inline void t_reset(const char *scenario)
{
	int rc = xensim_reset(scenario);

	ck_assert_msg(rc == 0, "xensim_reset(%s): %s", scenario ? scenario : "default",
		      strerror(errno));
}

/* Exit 77 (skip) when no simulator is reachable. */
static inline void t_need_sim(const char *runner)
{
	if (!xensim_available()) {
		fprintf(stderr,
			"%s: no simulated Xen machine (run under xensim): skipped\n",
			runner);
		exit(77);
	}
}

/* A logger whose output can be searched. */
struct memlog {
	char *buf;
	size_t len;
	FILE *f;
	xentoollog_logger_stdiostream *lg;
};

static inline xentoollog_logger *memlog_open(struct memlog *m)
{
	memset(m, 0, sizeof(*m));
	m->f = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->f);
	m->lg = xtl_createlogger_stdiostream(m->f, XTL_DEBUG, 0);
	ck_assert_ptr_nonnull(m->lg);
	return (xentoollog_logger *)m->lg;
}

static inline const char *memlog_text(struct memlog *m)
{
	fflush(m->f);
	return m->buf ? m->buf : "";
}

static inline bool memlog_has(struct memlog *m, const char *needle)
{
	return strstr(memlog_text(m), needle) != NULL;
}

static inline void memlog_close(struct memlog *m)
{
	xtl_logger_destroy((xentoollog_logger *)m->lg);
	fclose(m->f);
	free(m->buf);
}

/* Bitmap of the process's open fds (index < 1024). */
struct fdset {
	unsigned char open[1024];
};

static inline void fdset_get(struct fdset *s)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	memset(s, 0, sizeof(*s));
	while ((e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d) || fd >= 1024)
			continue;
		s->open[fd] = 1;
	}
	closedir(d);
}

static inline int fdset_count(const struct fdset *s)
{
	int i, n = 0;

	for (i = 0; i < 1024; i++)
		n += s->open[i];
	return n;
}

/* Every fd open in @after but not in @before must be close-on-exec;
 * returns how many new fds there are. */
static inline int fdset_new_all_cloexec(const struct fdset *before,
					const struct fdset *after)
{
	int i, n = 0;

	for (i = 0; i < 1024; i++) {
		if (!after->open[i] || before->open[i])
			continue;
		n++;
		ck_assert_msg(fcntl(i, F_GETFD) & FD_CLOEXEC,
			      "fd %d is not close-on-exec", i);
	}
	return n;
}

/*
 * The /proc/self/smaps entry containing @addr: its permissions ("rw-s")
 * into @perms (5 bytes) and its VmFlags line into @vmflags.
 */
static inline bool smaps_of(const void *addr, char *perms, char *vmflags, size_t vmlen)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false, found = false;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char p[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 && strchr(line, '-') &&
		    line[0] != 'V') {
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			if (in) {
				memcpy(perms, p, 5);
				perms[4] = '\0';
				found = true;
			}
			continue;
		}
		if (in && !strncmp(line, "VmFlags:", 8)) {
			size_t n = strlen(line + 8);

			if (n >= vmlen)
				n = vmlen - 1;
			memcpy(vmflags, line + 8, n);
			vmflags[n] = '\0';
			break;
		}
	}
	fclose(f);
	return found;
}

/* Is @flag (e.g. "dc", "lo") among the VmFlags of the mapping at @addr? */
static inline bool vmflag(const void *addr, const char *flag)
{
	char perms[8], flags[256] = "", word[8];

	ck_assert(smaps_of(addr, perms, flags, sizeof(flags)));
	snprintf(word, sizeof(word), " %s", flag);
	return strstr(flags, word) != NULL;
}

/* What the simulated hypervisor saw of foreign mappings of @dom. */
struct foreign_maps {
	unsigned long long calls, frames, failed; /* MMAPBATCH */
	unsigned long long rcalls, rframes;	  /* MMAP_RESOURCE */
};

static inline void t_foreign_maps(unsigned int dom, struct foreign_maps *fm)
{
	char cmd[64], reply[256];

	snprintf(cmd, sizeof(cmd), "show foreign-maps %u", dom);
	ck_assert_msg(xensim_command(cmd, reply, sizeof(reply)) == 0, "%s: %s", cmd,
		      strerror(errno));
	ck_assert_msg(
		sscanf(reply,
		       "mmapbatch calls=%llu frames=%llu failed=%llu resource calls=%llu "
		       "frames=%llu",
		       &fm->calls, &fm->frames, &fm->failed, &fm->rcalls,
		       &fm->rframes) == 5,
		"unexpected answer: %s", reply);
}

/*
 * Parts of the simulator that came late (event channels behind ioreq
 * servers, grant tables): a case that needs one that is missing says so on
 * stderr and ends early.
 */
#define T_SIM_LACKS(cond, what)                                                          \
	do {                                                                             \
		if (cond) {                                                              \
			fprintf(stderr,                                                  \
				"%s: the simulator has no %s yet: case not run\n",       \
				__func__, what);                                         \
			return;                                                          \
		}                                                                        \
	} while (0)

#endif /* XS_CALL_UTIL_H */
