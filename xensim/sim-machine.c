/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The simulated machine: Xen version facts, the kernel personality,
 * domains and their RAM, paged-out and failing frames, failure injection,
 * the machine log, and the scenario parser that builds all of it.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim-int.h"

#define DEFAULT_PERSONALITY "linux-6.12"
#define DEFAULT_SCENARIO    "domain 1 type=hvm vcpus=2 memory=64M grant-frames=32\n"
#define MAX_DOMAINS	    64
#define MAX_MEMORY	    (16ULL << 30)

/* ---- features and personalities ---------------------------------------- */

static const char *const feature_names[SIM_F_COUNT] = {
	[SIM_F_PRIVCMD] = "privcmd",
	[SIM_F_PROC_PRIVCMD] = "proc-privcmd",
	[SIM_F_HYPERCALL_DEV] = "hypercall-dev",
	[SIM_F_EVTCHN] = "evtchn",
	[SIM_F_GNTDEV] = "gntdev",
	[SIM_F_GNTALLOC] = "gntalloc",
	[SIM_F_MMAPBATCH_V2] = "mmapbatch-v2",
	[SIM_F_MMAP_RESOURCE] = "mmap-resource",
	[SIM_F_RESOURCE_SIZE] = "resource-size",
	[SIM_F_DM_OP] = "dm-op",
	[SIM_F_RESTRICT] = "restrict",
	[SIM_F_IRQFD] = "irqfd",
	[SIM_F_IRQFD_66] = "irqfd-6.6",
	[SIM_F_IOEVENTFD] = "ioeventfd",
	[SIM_F_GSI] = "gsi",
	[SIM_F_DMABUF] = "dmabuf",
	[SIM_F_EVTCHN_RESTRICT] = "evtchn-restrict",
	[SIM_F_BIND_STATIC] = "bind-static",
	[SIM_F_OLD_PRIVCMD_EINVAL] = "old-privcmd-einval",
	[SIM_F_DOMU] = "domu",
	[SIM_F_COMPAT32] = "compat32",
	[SIM_F_PV_DOM0] = "pv-dom0",
};

/* Base personalities: each one is the previous one minus some features. */
struct personality {
	const char *name;
	const enum sim_feature *drop; /* terminated by SIM_F_COUNT */
};

static const enum sim_feature drop_612[] = {SIM_F_COUNT};
static const enum sim_feature drop_66[] = {SIM_F_IOEVENTFD, SIM_F_GSI, SIM_F_COUNT};
static const enum sim_feature drop_61[] = {
	SIM_F_IRQFD,	   SIM_F_IRQFD_66, SIM_F_IOEVENTFD, SIM_F_GSI,
	SIM_F_BIND_STATIC, SIM_F_DMABUF,   SIM_F_COUNT};
static const enum sim_feature drop_414[] = {SIM_F_MMAP_RESOURCE, SIM_F_HYPERCALL_DEV,
					    SIM_F_RESOURCE_SIZE, SIM_F_COUNT};
static const enum sim_feature drop_44[] = {SIM_F_DM_OP, SIM_F_RESTRICT, SIM_F_COUNT};
static const enum sim_feature drop_32[] = {SIM_F_MMAPBATCH_V2, SIM_F_EVTCHN_RESTRICT,
					   SIM_F_COUNT};

static const struct personality personalities[] = {
	{"linux-6.12", drop_612}, {"linux-6.6", drop_66}, {"linux-6.1", drop_61},
	{"linux-4.14", drop_414}, {"linux-4.4", drop_44}, {"linux-3.2", drop_32},
};
#define NR_PERSONALITIES (sizeof(personalities) / sizeof(personalities[0]))

static void set_feature(bool feat[SIM_F_COUNT], enum sim_feature f, bool on)
{
	feat[f] = on;
	/* one IRQFD ioctl number or the other, never both */
	if (on && f == SIM_F_IRQFD)
		feat[SIM_F_IRQFD_66] = false;
	if (on && f == SIM_F_IRQFD_66)
		feat[SIM_F_IRQFD] = false;
}

/* Longest feature name at @p followed by '+', '-' or the end. */
static int match_feature(const char *p, size_t *len)
{
	int best = -1;
	size_t best_len = 0;

	for (int f = 0; f < SIM_F_COUNT; f++) {
		size_t l = strlen(feature_names[f]);

		if (strncmp(p, feature_names[f], l) == 0 &&
		    (p[l] == '\0' || p[l] == '+' || p[l] == '-') && l > best_len) {
			best = f;
			best_len = l;
		}
	}
	*len = best_len;
	return best;
}

int sim_personality_parse(const char *name, bool feat[SIM_F_COUNT])
{
	const char *p = name;
	size_t i, best_len = 0, best = 0;
	bool found = false;

	for (int f = 0; f < SIM_F_COUNT; f++)
		feat[f] = true;
	feat[SIM_F_IRQFD_66] = false;
	feat[SIM_F_OLD_PRIVCMD_EINVAL] = false;
	feat[SIM_F_DOMU] = false;
	feat[SIM_F_COMPAT32] = false;
	feat[SIM_F_PV_DOM0] = false;

	if (strncmp(p, "default", 7) == 0 && (p[7] == '\0' || p[7] == '+' || p[7] == '-'))
		p += 7;
	for (i = 0; i < NR_PERSONALITIES; i++) {
		size_t l = strlen(personalities[i].name);

		if (strncmp(p, personalities[i].name, l) == 0 &&
		    (p[l] == '\0' || p[l] == '+' || p[l] == '-') && l > best_len) {
			best = i;
			best_len = l;
			found = true;
		}
	}
	if (found) {
		for (i = 0; i <= best; i++)
			for (const enum sim_feature *d = personalities[i].drop;
			     *d != SIM_F_COUNT; d++)
				feat[*d] = false;
		if (best == NR_PERSONALITIES - 1)
			feat[SIM_F_OLD_PRIVCMD_EINVAL] = true;
		if (!strcmp(personalities[best].name, "linux-6.6"))
			set_feature(feat, SIM_F_IRQFD_66, true); /* the original number */
		p += best_len;
	}
	while (*p) {
		bool on = *p == '+';
		size_t l;
		int f;

		if (*p != '+' && *p != '-')
			return -EINVAL;
		p++;
		f = match_feature(p, &l);
		if (f < 0)
			return -EINVAL;
		set_feature(feat, (enum sim_feature)f, on);
		p += l;
	}
	return 0;
}

bool sim_arch_arm(const struct sim *s)
{
	return s->arch_arm;
}

bool sim_has(const struct sim *s, enum sim_feature f)
{
	return f < SIM_F_COUNT && s->feat[f];
}

/* ---- memory -------------------------------------------------------------- */

static int make_memfd(const char *name)
{
	int fd;
#ifdef HAVE_MEMFD_CREATE
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd >= 0)
		return fd;
#endif
	{
		char path[] = "/dev/shm/xensim-XXXXXX";

		fd = mkostemp(path, O_CLOEXEC);
		if (fd < 0) {
			char tpath[] = "/tmp/xensim-XXXXXX";

			memcpy(path, tpath, sizeof(tpath));
			fd = mkostemp(path, O_CLOEXEC);
		}
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

int sim_mem_alloc(struct sim_mem *m, size_t pages, const char *name)
{
	size_t size = pages << SIM_PAGE_SHIFT;
	void *p;
	int fd, err;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	if (!pages || pages > (SIZE_MAX >> SIM_PAGE_SHIFT))
		return -EINVAL;
	fd = make_memfd(name);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	m->fd = fd;
	m->ptr = p;
	m->size = size;
	return 0;
}

void sim_mem_free(struct sim_mem *m)
{
	if (m->ptr)
		munmap(m->ptr, m->size);
	if (m->fd >= 0)
		close(m->fd);
	memset(m, 0, sizeof(*m));
	m->fd = -1;
}

/* ---- domains ------------------------------------------------------------- */

struct frame_state {
	uint64_t gfn;
	unsigned int retries; /* paged out for this many more attempts */
	int err;	      /* failing with -err */
	bool hole;	      /* toolstack domain: not populated (-EINVAL) */
	struct frame_state *next;
};

struct dom_machine {
	struct frame_state *frames;
	struct sim_map_stats stats;
	struct sim_domctl_state ctl;
	size_t reserve; /* toolstack domain: bytes of address space for its RAM */
};

struct sim_domctl_state *sim_domain_ctl(struct sim_domain *d)
{
	return &((struct dom_machine *)d->machine)->ctl;
}

struct sim_map_stats *sim_domain_map_stats(struct sim_domain *d)
{
	return &((struct dom_machine *)d->machine)->stats;
}

struct sim_domain *sim_domain_find(struct sim *s, unsigned int domid)
{
	struct sim_domain *d;

	for (d = s->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

struct sim_domain *sim_domains(struct sim *s)
{
	return s->domains;
}

bool sim_domain_is_hvm(const struct sim_domain *d)
{
	return d->type == SIM_DOM_HVM || d->type == SIM_DOM_PVH;
}

int sim_domain_frame(struct sim_domain *d, uint64_t gfn, struct sim_frame *f)
{
	if (gfn >= d->nr_pages)
		return -EINVAL;
	f->fd = d->ram.fd;
	f->offset = gfn << SIM_PAGE_SHIFT;
	f->ro = false;
	return 0;
}

void *sim_guest_ptr(struct sim_domain *d, uint64_t gpa, size_t len)
{
	if (gpa > d->ram.size || len > d->ram.size - gpa)
		return NULL;
	return d->ram.ptr + gpa;
}

static struct frame_state *frame_state(struct sim_domain *d, uint64_t gfn, bool create)
{
	struct dom_machine *dm = d->machine;
	struct frame_state *f;

	for (f = dm->frames; f; f = f->next)
		if (f->gfn == gfn)
			return f;
	if (!create)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->gfn = gfn;
	f->next = dm->frames;
	dm->frames = f;
	return f;
}

int sim_domain_frame_check(struct sim *s, struct sim_domain *d, uint64_t gfn)
{
	struct frame_state *f = frame_state(d, gfn, false);

	if (!f)
		return 0;
	if (f->hole)
		return -EINVAL;
	if (f->err)
		return -f->err;
	if (f->retries) {
		f->retries--;
		return -ENOENT;
	}
	return 0;
}

int sim_page_out(struct sim *s, struct sim_domain *d, uint64_t gfn, unsigned int retries)
{
	struct frame_state *f;

	if (gfn >= d->nr_pages)
		return -EINVAL;
	f = frame_state(d, gfn, true);
	if (!f)
		return -ENOMEM;
	f->retries = retries;
	return 0;
}

int sim_domain_set_hole(struct sim_domain *d, uint64_t gfn, bool hole)
{
	struct frame_state *f = frame_state(d, gfn, hole);

	if (!f)
		return hole ? -ENOMEM : 0;
	f->hole = hole;
	return 0;
}

bool sim_domain_is_hole(struct sim_domain *d, uint64_t gfn)
{
	struct frame_state *f = frame_state(d, gfn, false);

	return f && f->hole;
}

int sim_frame_error(struct sim *s, struct sim_domain *d, uint64_t gfn, int err)
{
	struct frame_state *f;

	if (gfn >= d->nr_pages || err < 0 || err > 4095)
		return -EINVAL;
	f = frame_state(d, gfn, true);
	if (!f)
		return -ENOMEM;
	f->err = err;
	return 0;
}

static void domain_destroy(struct sim *s, struct sim_domain *d)
{
	struct dom_machine *dm = d->machine;

	if (sim_domain_is_hvm(d))
		sim_hvm_domain_destroy(s, d);
	sim_gnttab_domain_destroy(s, d);
	sim_evtchn_domain_destroy(s, d);
	if (dm && dm->reserve && d->ram.ptr) {
		munmap(d->ram.ptr, dm->reserve);
		d->ram.ptr = NULL;
	}
	if (dm) {
		while (dm->frames) {
			struct frame_state *f = dm->frames;

			dm->frames = f->next;
			free(f);
		}
		free(dm);
	}
	sim_mem_free(&d->ram);
	free(d);
}

static void domains_destroy(struct sim *s)
{
	while (s->domains) {
		struct sim_domain *d = s->domains;

		s->domains = d->next;
		domain_destroy(s, d);
	}
}

/* ---- scenario ------------------------------------------------------------ */

struct dom_spec {
	unsigned int domid;
	enum sim_domain_type type;
	unsigned int vcpus;
	uint64_t memory;
	unsigned int grant_frames;
	char name[64];
};

static int domain_create(struct sim *s, const struct dom_spec *sp);

struct frame_spec {
	unsigned int domid;
	uint64_t gfn;
	unsigned int value;
	bool page_out;
};

struct sim_pci_gsi {
	uint32_t sbdf, gsi;
	struct sim_pci_gsi *next;
};

struct config {
	struct sim_version ver;
	char personality[128];
	bool feat[SIM_F_COUNT];
	uint32_t xen_features;
	unsigned int domu_target;
	bool arch_arm;
	struct dom_spec doms[MAX_DOMAINS];
	unsigned int ndoms;
	struct frame_spec frames[64];
	unsigned int nframes;
	struct sim_pci_gsi *gsis;
};

static int parse_u64(const char *w, uint64_t *v)
{
	char *end;

	if (!*w || *w == '-' || *w == '+' || isspace((unsigned char)*w))
		return -EINVAL;
	errno = 0;
	*v = strtoull(w, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int parse_uint(const char *w, unsigned int max, unsigned int *v)
{
	uint64_t x;

	if (parse_u64(w, &x) || x > max)
		return -EINVAL;
	*v = (unsigned int)x;
	return 0;
}

/* 64M, 512K, 1G, 4096B, or a plain number of MiB (as xl's memory=). */
static int parse_size(const char *w, uint64_t *bytes)
{
	char *end;
	uint64_t v, mult = 1ULL << 20;

	if (!isdigit((unsigned char)*w))
		return -EINVAL;
	errno = 0;
	v = strtoull(w, &end, 0);
	if (errno)
		return -EINVAL;
	if (*end) {
		switch (toupper((unsigned char)*end)) {
		case 'B':
			mult = 1;
			break;
		case 'K':
			mult = 1ULL << 10;
			break;
		case 'M':
			mult = 1ULL << 20;
			break;
		case 'G':
			mult = 1ULL << 30;
			break;
		default:
			return -EINVAL;
		}
		if (end[1] &&
		    !(toupper((unsigned char)end[1]) == 'B' && !end[2] && mult != 1))
			return -EINVAL;
	}
	if (v == 0 || v > MAX_MEMORY / mult)
		return -EINVAL;
	v *= mult;
	if (v & (SIM_PAGE_SIZE - 1))
		return -EINVAL;
	*bytes = v;
	return 0;
}

/* "seg:bus:dev.fn", "bus:dev.fn" or a number. */
static int parse_sbdf(const char *w, uint32_t *sbdf)
{
	unsigned int seg = 0, bus, dev, fn;
	uint64_t v;
	char tail;

	if (sscanf(w, "%x:%x:%x.%x%c", &seg, &bus, &dev, &fn, &tail) == 4 ||
	    (seg = 0, sscanf(w, "%x:%x.%x%c", &bus, &dev, &fn, &tail) == 3)) {
		if (seg > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
			return -EINVAL;
		*sbdf = (seg << 16) | (bus << 8) | (dev << 3) | fn;
		return 0;
	}
	if (parse_u64(w, &v) || v > UINT32_MAX)
		return -EINVAL;
	*sbdf = (uint32_t)v;
	return 0;
}

static void default_version(struct sim_version *v)
{
	memset(v, 0, sizeof(*v));
	v->major = 4;
	v->minor = 17;
	snprintf(v->extraversion, sizeof(v->extraversion), ".0-xensim");
#if defined(__x86_64__) || defined(__i386__)
	snprintf(v->capabilities, sizeof(v->capabilities),
		 "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ");
#elif defined(__aarch64__)
	snprintf(v->capabilities, sizeof(v->capabilities),
		 "xen-3.0-aarch64 xen-3.0-armv7l ");
#else
	snprintf(v->capabilities, sizeof(v->capabilities), "xen-3.0-armv7l ");
#endif
	snprintf(v->changeset, sizeof(v->changeset), "unavailable");
	snprintf(v->compiler, sizeof(v->compiler), "xensim");
	snprintf(v->compile_by, sizeof(v->compile_by), "xensim");
	snprintf(v->compile_domain, sizeof(v->compile_domain), "localdomain");
	snprintf(v->compile_date, sizeof(v->compile_date),
		 "Thu Jan  1 00:00:00 UTC 1970");
}

static struct dom_spec *spec_find(struct config *cf, unsigned int domid)
{
	for (unsigned int i = 0; i < cf->ndoms; i++)
		if (cf->doms[i].domid == domid)
			return &cf->doms[i];
	return NULL;
}

static void spec_default(struct dom_spec *d, unsigned int domid)
{
	memset(d, 0, sizeof(*d));
	d->domid = domid;
	if (domid == 0) {
		d->type = SIM_DOM_PV;
		d->vcpus = 2;
		d->memory = 16ULL << 20;
		snprintf(d->name, sizeof(d->name), "Domain-0");
	} else {
		d->type = SIM_DOM_HVM;
		d->vcpus = 1;
		d->memory = 64ULL << 20;
		snprintf(d->name, sizeof(d->name), "guest%u", domid);
	}
	d->grant_frames = 32;
}

/* Rest of the line after the first word, trimmed. */
static void rest_of_line(char *line, const char *word, char *out, size_t outlen)
{
	const char *p = strstr(line, word) + strlen(word);

	while (isspace((unsigned char)*p))
		p++;
	snprintf(out, outlen, "%s", p);
}

static int __attribute__((format(printf, 4, 5)))
parse_err(char *err, size_t errlen, unsigned int lineno, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "scenario line %u: ", lineno);
	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

#define PARSE_ERR(...) return parse_err(err, errlen, lineno, __VA_ARGS__)

static int parse_line(struct config *cf, char *line, unsigned int lineno,
		      bool *saw_domain, char *err, size_t errlen)
{
	char *words[32], *save = NULL, *w, copy[2048];
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (w = strtok_r(line, " \t\r", &save); w && n < 32;
	     w = strtok_r(NULL, " \t\r", &save))
		words[n++] = w;
	if (n == 0)
		return 0;
	if (n == 32)
		PARSE_ERR("too many words");

	if (!strcmp(words[0], "xen")) {
		unsigned int major, minor;
		char tail;

		if (n < 2 || n > 3 ||
		    sscanf(words[1], "%u.%u%c", &major, &minor, &tail) != 2 ||
		    major > 0xffff || minor > 0xffff)
			PARSE_ERR("expected: xen MAJOR.MINOR [EXTRAVERSION]");
		cf->ver.major = major;
		cf->ver.minor = minor;
		if (n == 3) {
			if (strlen(words[2]) >= sizeof(cf->ver.extraversion))
				PARSE_ERR("extraversion longer than 15 characters");
			snprintf(cf->ver.extraversion, sizeof(cf->ver.extraversion), "%s",
				 words[2]);
		}
	} else if (!strcmp(words[0], "arch")) {
		if (n != 2 || (strcmp(words[1], "x86") && strcmp(words[1], "arm")))
			PARSE_ERR("expected: arch x86|arm");
		cf->arch_arm = !strcmp(words[1], "arm");
	} else if (!strcmp(words[0], "kernel")) {
		if (n != 2 || strlen(words[1]) >= sizeof(cf->personality))
			PARSE_ERR("expected: kernel PERSONALITY");
		if (sim_personality_parse(words[1], cf->feat))
			PARSE_ERR("unknown kernel personality '%s'", words[1]);
		snprintf(cf->personality, sizeof(cf->personality), "%s", words[1]);
	} else if (!strcmp(words[0], "domain")) {
		unsigned int domid;
		struct dom_spec *d;

		if (n < 2 || parse_uint(words[1], SIM_DOMID_FIRST_RESERVED - 1, &domid))
			PARSE_ERR("expected: domain ID [type=pv|pvh|hvm] [vcpus=N] "
				  "[memory=SIZE] [name=NAME] [grant-frames=N]");
		if (domid != 0)
			*saw_domain = true;
		d = spec_find(cf, domid);
		if (d && domid != 0)
			PARSE_ERR("domain %u defined twice", domid);
		if (!d) {
			if (cf->ndoms >= MAX_DOMAINS)
				PARSE_ERR("too many domains (at most %d)", MAX_DOMAINS);
			d = &cf->doms[cf->ndoms++];
			spec_default(d, domid);
		}
		for (int i = 2; i < n; i++) {
			char *eq = strchr(words[i], '=');
			const char *k = words[i], *v;

			if (!eq)
				PARSE_ERR("expected KEY=VALUE, got '%s'", words[i]);
			*eq = '\0';
			v = eq + 1;
			if (!strcmp(k, "type")) {
				if (!strcmp(v, "pv"))
					d->type = SIM_DOM_PV;
				else if (!strcmp(v, "pvh"))
					d->type = SIM_DOM_PVH;
				else if (!strcmp(v, "hvm"))
					d->type = SIM_DOM_HVM;
				else
					PARSE_ERR("unknown domain type '%s'", v);
			} else if (!strcmp(k, "vcpus")) {
				if (parse_uint(v, SIM_MAX_VCPUS, &d->vcpus) || !d->vcpus)
					PARSE_ERR("vcpus must be 1..%d", SIM_MAX_VCPUS);
			} else if (!strcmp(k, "memory")) {
				if (parse_size(v, &d->memory))
					PARSE_ERR("bad memory size '%s'", v);
			} else if (!strcmp(k, "name")) {
				if (!*v || strlen(v) >= sizeof(d->name))
					PARSE_ERR("bad domain name");
				snprintf(d->name, sizeof(d->name), "%s", v);
			} else if (!strcmp(k, "grant-frames")) {
				if (parse_uint(v, 4096, &d->grant_frames) ||
				    !d->grant_frames)
					PARSE_ERR("grant-frames must be 1..4096");
			} else {
				PARSE_ERR("unknown domain option '%s'", k);
			}
		}
	} else if (!strcmp(words[0], "capabilities")) {
		rest_of_line(copy, "capabilities", cf->ver.capabilities,
			     sizeof(cf->ver.capabilities));
	} else if (!strcmp(words[0], "commandline")) {
		rest_of_line(copy, "commandline", cf->ver.commandline,
			     sizeof(cf->ver.commandline));
	} else if (!strcmp(words[0], "changeset")) {
		rest_of_line(copy, "changeset", cf->ver.changeset,
			     sizeof(cf->ver.changeset));
	} else if (!strcmp(words[0], "xen-features")) {
		uint64_t v;

		if (n != 2 || parse_u64(words[1], &v) || v > UINT32_MAX)
			PARSE_ERR("expected: xen-features NUMBER");
		cf->xen_features = (uint32_t)v;
	} else if (!strcmp(words[0], "domu-target")) {
		if (n != 2 || parse_uint(words[1], 0x7FFF, &cf->domu_target))
			PARSE_ERR("expected: domu-target DOMID");
	} else if (!strcmp(words[0], "pci-gsi")) {
		struct sim_pci_gsi *g;
		uint32_t sbdf;
		unsigned int gsi;

		if (n != 3 || parse_sbdf(words[1], &sbdf) ||
		    parse_uint(words[2], 0xffff, &gsi))
			PARSE_ERR("expected: pci-gsi SEG:BUS:DEV.FN GSI");
		g = calloc(1, sizeof(*g));
		if (!g)
			return -ENOMEM;
		g->sbdf = sbdf;
		g->gsi = gsi;
		g->next = cf->gsis;
		cf->gsis = g;
	} else if (!strcmp(words[0], "page-out") || !strcmp(words[0], "frame-error")) {
		struct frame_spec *f;
		bool po = words[0][0] == 'p';
		unsigned int domid, value;
		uint64_t gfn;
		int e = -1;

		if (n != 4 || parse_uint(words[1], 0x7FEF, &domid) ||
		    parse_u64(words[2], &gfn))
			PARSE_ERR("expected: %s DOM GFN %s", words[0],
				  po ? "RETRIES" : "ERRNO");
		if (po) {
			if (parse_uint(words[3], 1000000, &value))
				PARSE_ERR("bad retry count");
		} else {
			e = sim_errno_parse(words[3]);
			if (e < 0)
				PARSE_ERR("unknown errno '%s'", words[3]);
			value = (unsigned int)e;
		}
		if (cf->nframes >= sizeof(cf->frames) / sizeof(cf->frames[0]))
			PARSE_ERR("too many %s lines", words[0]);
		f = &cf->frames[cf->nframes++];
		f->domid = domid;
		f->gfn = gfn;
		f->value = value;
		f->page_out = po;
	} else {
		PARSE_ERR("unknown keyword '%s'", words[0]);
	}
	return 0;
}

static void free_gsis(struct sim_pci_gsi *g)
{
	while (g) {
		struct sim_pci_gsi *n = g->next;

		free(g);
		g = n;
	}
}

static int parse_scenario(struct sim *s, struct config *cf, const char *text, char *err,
			  size_t errlen)
{
	bool saw_domain = false;
	unsigned int lineno = 0;
	const char *p = text ? text : "";
	int rc;

	memset(cf, 0, sizeof(*cf));
	default_version(&cf->ver);
	snprintf(cf->personality, sizeof(cf->personality), "%s", s->default_personality);
	if (sim_personality_parse(cf->personality, cf->feat)) {
		snprintf(err, errlen, "unknown kernel personality '%s'", cf->personality);
		return -EINVAL;
	}
	cf->domu_target = 0x7FFF; /* DOMID_IDLE: no target, everything fails */
#if defined(__aarch64__) || defined(__arm__)
	cf->arch_arm = true;
#endif
	spec_default(&cf->doms[cf->ndoms++], 0);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[2048], *hash;

		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "scenario line %u: too long", lineno);
			return -EINVAL;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		rc = parse_line(cf, line, lineno, &saw_domain, err, errlen);
		if (rc)
			return rc;
		p += len;
		if (*p == '\n')
			p++;
	}
	if (!saw_domain) {
		char line[] = DEFAULT_SCENARIO;

		line[sizeof(line) - 2] = '\0'; /* the newline */
		rc = parse_line(cf, line, 0, &saw_domain, err, errlen);
		if (rc)
			return rc;
	}
	for (unsigned int i = 0; i < cf->nframes; i++) {
		struct dom_spec *d = spec_find(cf, cf->frames[i].domid);

		if (!d) {
			snprintf(err, errlen, "scenario: %s names unknown domain %u",
				 cf->frames[i].page_out ? "page-out" : "frame-error",
				 cf->frames[i].domid);
			return -EINVAL;
		}
		if (cf->frames[i].gfn >= d->memory >> SIM_PAGE_SHIFT) {
			snprintf(err, errlen,
				 "scenario: gfn 0x%llx beyond the RAM of domain %u",
				 (unsigned long long)cf->frames[i].gfn, d->domid);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * A domain the toolstack creates (domctl) starts without RAM: its memfd is
 * empty and TOOLSTACK_RESERVE bytes of address space (4 GiB; 256 MiB in a
 * 32-bit daemon) are reserved in the daemon, so that RAM can grow
 * (populate_physmap) without moving.
 */
#define TOOLSTACK_RESERVE ((size_t)(sizeof(size_t) > 4 ? 4ULL << 30 : 256ULL << 20))

static int ram_reserve(struct sim_domain *d, const char *name)
{
	struct dom_machine *dm = d->machine;
	void *p;
	int err;

	d->ram.fd = make_memfd(name);
	if (d->ram.fd < 0)
		return -errno;
	p = mmap(NULL, TOOLSTACK_RESERVE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		close(d->ram.fd);
		d->ram.fd = -1;
		return err;
	}
	d->ram.ptr = p;
	d->ram.size = 0;
	dm->reserve = TOOLSTACK_RESERVE;
	return 0;
}

int sim_domain_grow(struct sim *s, struct sim_domain *d, uint64_t pages)
{
	struct dom_machine *dm = d->machine;
	size_t old = d->ram.size, size;
	int rc;

	if (!dm->reserve)
		return -EOPNOTSUPP; /* scenario domains have all their RAM */
	if (pages > dm->reserve >> SIM_PAGE_SHIFT || pages <= d->nr_pages)
		return pages <= d->nr_pages ? 0 : -ENOMEM;
	size = (size_t)pages << SIM_PAGE_SHIFT;
	if (ftruncate(d->ram.fd, (off_t)size) < 0)
		return -errno;
	if (mmap(d->ram.ptr + old, size - old, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, d->ram.fd, (off_t)old) == MAP_FAILED) {
		rc = -errno;
		if (ftruncate(d->ram.fd, (off_t)old) < 0)
			sim_log(s, "dom%u: cannot shrink RAM back", d->domid);
		return rc;
	}
	d->ram.size = size;
	d->nr_pages = pages;
	if (sim_domain_is_hvm(d))
		return sim_hvm_domain_resize(s, d);
	return 0;
}

int sim_domain_add(struct sim *s, unsigned int domid, enum sim_domain_type type,
		   unsigned int vcpus, unsigned int grant_frames)
{
	struct dom_spec sp;
	struct sim_domain *d;
	int rc;

	spec_default(&sp, domid);
	sp.type = type;
	sp.vcpus = vcpus;
	sp.memory = 0;
	sp.grant_frames = grant_frames;
	rc = domain_create(s, &sp);
	d = sim_domain_find(s, domid);
	if (rc && d)
		sim_domain_remove(s, d);
	if (!rc)
		sim_domain_ctl(d)->toolstack = true;
	return rc;
}

void sim_domain_remove(struct sim *s, struct sim_domain *d)
{
	struct sim_domain **pp;

	for (pp = &s->domains; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			domain_destroy(s, d);
			return;
		}
}

static int domain_create(struct sim *s, const struct dom_spec *sp)
{
	struct sim_domain *d = calloc(1, sizeof(*d)), **pp;
	char name[80];
	int rc;

	if (!d)
		return -ENOMEM;
	d->domid = sp->domid;
	d->type = sp->type;
	d->vcpus = sp->vcpus;
	snprintf(d->name, sizeof(d->name), "%s", sp->name);
	d->nr_pages = sp->memory >> SIM_PAGE_SHIFT;
	d->grant_frames = sp->grant_frames;
	d->built = sp->memory != 0; /* toolstack domains (domctl) are not */
	d->ram.fd = -1;
	d->machine = calloc(1, sizeof(struct dom_machine));
	if (!d->machine) {
		free(d);
		return -ENOMEM;
	}
	snprintf(name, sizeof(name), "xensim-dom%u-ram", sp->domid);
	if (sp->memory)
		rc = sim_mem_alloc(&d->ram, d->nr_pages, name);
	else
		rc = ram_reserve(d, name);
	if (rc) {
		free(d->machine);
		free(d);
		return rc;
	}
	((struct dom_machine *)d->machine)->ctl.max_pages = d->nr_pages;
	/* sorted by domid, dom0 first */
	for (pp = &s->domains; *pp && (*pp)->domid < d->domid; pp = &(*pp)->next)
		;
	d->next = *pp;
	*pp = d;

	rc = sim_evtchn_domain_init(s, d);
	if (!rc)
		rc = sim_gnttab_domain_init(s, d);
	if (!rc && sim_domain_is_hvm(d))
		rc = sim_hvm_domain_init(s, d);
	return rc;
}

int sim_machine_load(struct sim *s, const char *scenario, char *err, size_t errlen)
{
	struct config *cf = calloc(1, sizeof(*cf));
	int rc;

	if (!cf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = parse_scenario(s, cf, scenario, err, errlen);
	if (rc) {
		free_gsis(cf->gsis);
		free(cf);
		return rc;
	}

	sim_detach_all(s);
	domains_destroy(s);
	sim_inject_clear(s);
	free_gsis(s->gsis);

	s->ver = cf->ver;
	memcpy(s->feat, cf->feat, sizeof(s->feat));
	snprintf(s->personality, sizeof(s->personality), "%s", cf->personality);
	s->xen_features = cf->xen_features;
	s->domu_target = cf->domu_target;
	s->arch_arm = cf->arch_arm;
	s->gsis = cf->gsis;

	for (unsigned int i = 0; i < cf->ndoms && !rc; i++) {
		rc = domain_create(s, &cf->doms[i]);
		if (rc)
			snprintf(err, errlen, "cannot create domain %u: %s",
				 cf->doms[i].domid, strerror(-rc));
	}
	for (unsigned int i = 0; i < cf->nframes && !rc; i++) {
		struct frame_spec *f = &cf->frames[i];
		struct sim_domain *d = sim_domain_find(s, f->domid);

		rc = f->page_out ? sim_page_out(s, d, f->gfn, f->value)
				 : sim_frame_error(s, d, f->gfn, (int)f->value);
	}
	if (!rc)
		sim_log(s, "machine reset: Xen %u.%u%s, kernel %s, %u domain(s)",
			s->ver.major, s->ver.minor, s->ver.extraversion, s->personality,
			cf->ndoms);
	free(cf);
	return rc;
}

int sim_pci_gsi(struct sim *s, uint32_t sbdf)
{
	for (struct sim_pci_gsi *g = s->gsis; g; g = g->next)
		if (g->sbdf == sbdf)
			return (int)g->gsi;
	return -ENOENT;
}

const struct sim_version *sim_version(const struct sim *s)
{
	return &s->ver;
}

/* ---- failure injection ------------------------------------------------- */

struct sim_inject {
	char what[96];
	unsigned int nth;   /* fire from the nth occurrence on */
	unsigned int count; /* how many times (0: forever) */
	unsigned int seen, fired;
	int err;
	struct sim_inject *next;
};

static bool inject_matches(const char *pattern, const char *what)
{
	size_t l = strlen(pattern);

	if (l && pattern[l - 1] == '*')
		return strncmp(pattern, what, l - 1) == 0;
	return strcmp(pattern, what) == 0;
}

int sim_inject(struct sim *s, const char *what)
{
	for (struct sim_inject *i = s->injects; i; i = i->next) {
		if (!inject_matches(i->what, what))
			continue;
		if (i->count && i->fired >= i->count)
			continue;
		i->seen++;
		if (i->seen < i->nth)
			continue;
		i->fired++;
		sim_log(s, "injected %s for %s (occurrence %u)", sim_errno_name(i->err),
			what, i->seen);
		return -i->err;
	}
	return 0;
}

int sim_inject_add(struct sim *s, const char *what, unsigned int nth, unsigned int count,
		   int err)
{
	struct sim_inject *i, **pp;

	if (!*what || strlen(what) >= sizeof(i->what) || err <= 0 || err > 4095)
		return -EINVAL;
	i = calloc(1, sizeof(*i));
	if (!i)
		return -ENOMEM;
	snprintf(i->what, sizeof(i->what), "%s", what);
	i->nth = nth ? nth : 1;
	i->count = count;
	i->err = err;
	for (pp = &s->injects; *pp; pp = &(*pp)->next)
		;
	*pp = i;
	return 0;
}

void sim_inject_clear(struct sim *s)
{
	while (s->injects) {
		struct sim_inject *i = s->injects;

		s->injects = i->next;
		free(i);
	}
}

/* ---- log ------------------------------------------------------------------ */

void sim_log(struct sim *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	free(s->log[s->log_next]);
	s->log[s->log_next] = strdup(line);
	s->log_next = (s->log_next + 1) % SIM_LOG_LINES;
	if (s->log_count < SIM_LOG_LINES)
		s->log_count++;
	if (s->logf) {
		fprintf(s->logf, "xensim: %s\n", line);
		fflush(s->logf);
	}
}

void sim_log_dump(struct sim *s, struct sim_reply *r)
{
	unsigned int start = (s->log_next + SIM_LOG_LINES - s->log_count) % SIM_LOG_LINES;

	for (unsigned int i = 0; i < s->log_count; i++) {
		const char *l = s->log[(start + i) % SIM_LOG_LINES];

		if (l)
			sim_ctl_printf(r, "%s\n", l);
	}
}

/* ---- life cycle ----------------------------------------------------------- */

int sim_machine_init(struct sim *s, const char *personality, const char *logfile)
{
	bool feat[SIM_F_COUNT];

	if (!personality)
		personality = DEFAULT_PERSONALITY;
	if (strlen(personality) >= sizeof(s->default_personality) ||
	    sim_personality_parse(personality, feat))
		return -EINVAL;
	snprintf(s->default_personality, sizeof(s->default_personality), "%s",
		 personality);
	if (logfile) {
		if (!strcmp(logfile, "-")) {
			s->logf = stderr;
		} else {
			s->logf = fopen(logfile, "ae");
			if (!s->logf)
				return -errno;
		}
	}
	return 0;
}

void sim_machine_fini(struct sim *s)
{
	sim_detach_all(s);
	domains_destroy(s);
	sim_inject_clear(s);
	free_gsis(s->gsis);
	s->gsis = NULL;
	for (unsigned int i = 0; i < SIM_LOG_LINES; i++) {
		free(s->log[i]);
		s->log[i] = NULL;
	}
	if (s->logf && s->logf != stderr)
		fclose(s->logf);
	s->logf = NULL;
}
