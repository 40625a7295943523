/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Control commands (xensim.h, `xensim ctl`): split into words and offered
 * to each part in turn; this file owns the machine-wide ones (reset, guest
 * memory, paging, injection, help, show connections/log). Also the
 * simulated /sys/hypervisor and /proc/xen files.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-int.h"

/* ---- helpers for every part ------------------------------------------------ */

int sim_ctl_num(const char *word, uint64_t *v)
{
	char *end;

	if (!word || !*word || *word == '-' || *word == '+' ||
	    isspace((unsigned char)*word))
		return -EINVAL;
	errno = 0;
	*v = strtoull(word, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static int vprint(struct sim_reply *r, const char *fmt, va_list ap)
{
	va_list ap2;
	char small[256];
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n < sizeof(small))
		return sim_reply_put(r, small, (size_t)n);
	{
		char *big = malloc((size_t)n + 1);
		int rc;

		if (!big)
			return -ENOMEM;
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		rc = sim_reply_put(r, big, (size_t)n);
		free(big);
		return rc;
	}
}

int sim_ctl_printf(struct sim_reply *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vprint(r, fmt, ap);
	va_end(ap);
	return rc;
}

int sim_ctl_error(struct sim_reply *r, int err, const char *fmt, ...)
{
	va_list ap;

	if (err > 0)
		err = -err;
	r->ret = err;
	r->data.len = 0;
	va_start(ap, fmt);
	vprint(r, fmt, ap);
	va_end(ap);
	return 0;
}

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{"EPERM", EPERM},
	{"ENOENT", ENOENT},
	{"ESRCH", ESRCH},
	{"EINTR", EINTR},
	{"EIO", EIO},
	{"ENXIO", ENXIO},
	{"E2BIG", E2BIG},
	{"EBADF", EBADF},
	{"EAGAIN", EAGAIN},
	{"ENOMEM", ENOMEM},
	{"EACCES", EACCES},
	{"EFAULT", EFAULT},
	{"EBUSY", EBUSY},
	{"EEXIST", EEXIST},
	{"ENODEV", ENODEV},
	{"EINVAL", EINVAL},
	{"ENFILE", ENFILE},
	{"EMFILE", EMFILE},
	{"ENOTTY", ENOTTY},
	{"EFBIG", EFBIG},
	{"ENOSPC", ENOSPC},
	{"ERANGE", ERANGE},
	{"ENOSYS", ENOSYS},
	{"ENODATA", ENODATA},
	{"EOVERFLOW", EOVERFLOW},
	{"EOPNOTSUPP", EOPNOTSUPP},
	{"ENOBUFS", ENOBUFS},
	{"ETIMEDOUT", ETIMEDOUT},
	{"EPROTO", EPROTO},
	{"ECONNREFUSED", ECONNREFUSED},
};

int sim_errno_parse(const char *word)
{
	uint64_t v;

	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcasecmp(word, errnos[i].name))
			return errnos[i].err;
	if (sim_ctl_num(word, &v) == 0 && v <= 4095)
		return (int)v;
	return -1;
}

const char *sim_errno_name(int err)
{
	static char buf[32];

	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* ---- sysfs ------------------------------------------------------------------ */

/* A device node of the personality? (the shim's stat; see protocol.h) */
static bool sim_node_present(struct sim *s, const char *path)
{
	static const struct {
		const char *path;
		enum sim_feature need;
	} nodes[] = {
		{"/dev/xen/privcmd", SIM_F_PRIVCMD},
		{"/proc/xen/privcmd", SIM_F_PROC_PRIVCMD},
		{"/dev/xen/hypercall", SIM_F_HYPERCALL_DEV},
		{"/dev/xen/evtchn", SIM_F_EVTCHN},
		{"/dev/xen/gntdev", SIM_F_GNTDEV},
		{"/dev/xen/gntalloc", SIM_F_GNTALLOC},
	};

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if (!strcmp(path, nodes[i].path))
			return sim_has(s, nodes[i].need);
	return false;
}

int sim_sysfs_read(struct sim *s, const char *path, struct sim_reply *r)
{
	const struct sim_version *v = sim_version(s);
	size_t before = r->data.len;

	if (!strcmp(path, "/sys/hypervisor/type"))
		sim_ctl_printf(r, "xen\n");
	else if (!strcmp(path, "/sys/hypervisor/version/major"))
		sim_ctl_printf(r, "%u\n", v->major);
	else if (!strcmp(path, "/sys/hypervisor/version/minor"))
		sim_ctl_printf(r, "%u\n", v->minor);
	else if (!strcmp(path, "/sys/hypervisor/version/extra"))
		sim_ctl_printf(r, "%s\n", v->extraversion);
	else if (!strcmp(path, "/sys/hypervisor/properties/capabilities"))
		sim_ctl_printf(r, "%s\n", v->capabilities);
	else if (!strcmp(path, "/sys/hypervisor/properties/changeset"))
		sim_ctl_printf(r, "%s\n", v->changeset);
	else if (!strcmp(path, "/sys/hypervisor/properties/pagesize"))
		sim_ctl_printf(r, "%lx\n", SIM_PAGE_SIZE);
	else if (!strcmp(path, "/sys/hypervisor/properties/virtual_start"))
		sim_ctl_printf(r, "%llx\n", 0xffff800000000000ULL);
	else if (!strcmp(path, "/sys/hypervisor/properties/features"))
		sim_ctl_printf(r, "%08x\n", s->xen_features);
	else if (!strcmp(path, "/sys/hypervisor/compilation/compiler"))
		sim_ctl_printf(r, "%s\n", v->compiler);
	else if (!strcmp(path, "/sys/hypervisor/compilation/compiled_by"))
		sim_ctl_printf(r, "%s@%s\n", v->compile_by, v->compile_domain);
	else if (!strcmp(path, "/sys/hypervisor/compilation/compile_date"))
		sim_ctl_printf(r, "%s\n", v->compile_date);
	else if (!strcmp(path, "/sys/hypervisor/uuid"))
		sim_ctl_printf(r, "00000000-0000-0000-0000-000000000000\n");
	else if (!strcmp(path, "/proc/xen/capabilities") &&
		 sim_has(s, SIM_F_PROC_PRIVCMD))
		sim_ctl_printf(r, "%s", sim_has(s, SIM_F_DOMU) ? "" : "control_d\n");
	else
		return sim_node_present(s, path) ? 0 : -ENOENT;
	return (int)(r->data.len - before);
}

/* ---- core commands ------------------------------------------------------------- */

static struct sim_domain *get_dom(struct sim *s, struct sim_reply *r, const char *w)
{
	uint64_t v;
	struct sim_domain *d;

	if (sim_ctl_num(w, &v) || v > 0xffff) {
		sim_ctl_error(r, EINVAL, "bad domain id '%s'", w);
		return NULL;
	}
	d = sim_domain_find(s, (unsigned int)v);
	if (!d)
		sim_ctl_error(r, ESRCH, "no domain %llu", (unsigned long long)v);
	return d;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static const char help_text[] =
	"machine:\n"
	"  reset [SCENARIO-TEXT]            new machine (detaches every open device)\n"
	"  guest-write DOM GPA HEX          write bytes into guest RAM\n"
	"  guest-read DOM GPA LEN           -> HEX\n"
	"  guest-memfd DOM                  -> SIZE (+ the RAM memfd)\n"
	"  page-out DOM GFN RETRIES         next RETRIES foreign maps of GFN give "
	"ENOENT\n"
	"  frame-error DOM GFN ERRNO        foreign maps of GFN fail with ERRNO (0 "
	"clears)\n"
	"  inject WHAT NTH COUNT ERRNO      fail WHAT from its NTH next use, COUNT times "
	"(0: always)\n"
	"  inject-clear                     remove every injection\n"
	"  show connections | log | domains | machine | foreign-maps DOM\n"
	"  help [inject|scenario]\n"
	"event channels:\n"
	"  evtchn-alloc-unbound DOM REMOTE  -> PORT\n"
	"  evtchn-bind-interdomain DOM REMOTE RPORT -> PORT\n"
	"  evtchn-send DOM PORT | evtchn-pending DOM PORT [clear] | evtchn-wait DOM PORT "
	"MS\n"
	"  evtchn-close DOM PORT | virq DOM VIRQ | static-evtchn PORT REMOTE RPORT\n"
	"grants:\n"
	"  grant DOM GRANTEE GFN [ro] -> REF | ungrant DOM REF | grant-info DOM REF\n"
	"  grant-map DOM GRANTER REF [ro] -> HANDLE (+ the page) | grant-unmap DOM "
	"HANDLE\n"
	"device model:\n"
	"  io DOM VCPU pio|mmio|pci r|w ADDR SIZE [DATA] [TIMEOUT-MS] -> OUTCOME DATA\n"
	"  io-submit DOM VCPU ... -> TICKET | io-wait TICKET TIMEOUT-MS\n"
	"  io-rep DOM VCPU pio|mmio r|w ADDR SIZE COUNT GPA DF [TIMEOUT-MS] -> OUTCOME "
	"REPS\n"
	"  io-broadcast DOM VCPU [TIMEOUT-MS] -> OUTCOME SERVERS "
	"(IOREQ_TYPE_INVALIDATE)\n"
	"  io-rep-submit DOM VCPU ... | io-broadcast-submit DOM VCPU -> TICKET\n"
	"  show isa-irq|pci-intx|irq|irq-asserts|link-route|msis|mem-type|ioreq-server|\n"
	"       ioreq-range|shutdown|modified|events|cacheattr ...\n"
	"  guest-dirty DOM GFN\n";

static const char help_inject[] =
	"inject WHAT NTH COUNT ERRNO; WHAT is an operation name, a trailing * matches a "
	"prefix:\n"
	"  open:/dev/xen/privcmd  open:/proc/xen/privcmd  open:/dev/xen/hypercall\n"
	"  open:/dev/xen/evtchn  open:/dev/xen/gntdev  open:/dev/xen/gntalloc\n"
	"  ioctl:IOCTL_PRIVCMD_HYPERCALL  ioctl:IOCTL_PRIVCMD_MMAPBATCH\n"
	"  ioctl:IOCTL_PRIVCMD_MMAPBATCH_V2  ioctl:IOCTL_PRIVCMD_MMAP_RESOURCE\n"
	"  ioctl:IOCTL_PRIVCMD_DM_OP  ioctl:IOCTL_PRIVCMD_RESTRICT  "
	"ioctl:IOCTL_PRIVCMD_IRQFD\n"
	"  ioctl:IOCTL_PRIVCMD_IOEVENTFD  ioctl:IOCTL_PRIVCMD_PCIDEV_GET_GSI\n"
	"  hypercall:xen_version  hypercall:memory_op  hypercall:dm_op\n"
	"  mmap:hypercall  mmap:gntdev  mmap:gntalloc\n"
	"  dm_op:<sub-op name, e.g. create_ioreq_server>  evtchn:<op, e.g. "
	"bind_interdomain>\n"
	"  ioctl:IOCTL_EVTCHN_*  ioctl:IOCTL_GNTDEV_*  ioctl:IOCTL_GNTALLOC_*\n"
	"ERRNO is a number or a name (EIO, ENOENT, ...).\n";

static const char help_scenario[] =
	"scenario lines ('#' comments):\n"
	"  xen MAJOR.MINOR [EXTRAVERSION]        default: xen 4.17 .0-xensim\n"
	"  kernel PERSONALITY[+feat|-feat...]    default: linux-6.12\n"
	"  domain ID [type=pv|pvh|hvm] [vcpus=N] [memory=SIZE] [name=NAME] "
	"[grant-frames=N]\n"
	"  capabilities TEXT | commandline TEXT | changeset TEXT | xen-features NUMBER\n"
	"  domu-target DOMID                     privcmd restriction with +domu\n"
	"  pci-gsi SEG:BUS:DEV.FN GSI            for IOCTL_PRIVCMD_PCIDEV_GET_GSI\n"
	"  page-out DOM GFN RETRIES | frame-error DOM GFN ERRNO\n";

static const char *type_name(enum sim_domain_type t)
{
	return t == SIM_DOM_PV ? "pv" : t == SIM_DOM_PVH ? "pvh" : "hvm";
}

static int show(struct sim *s, int argc, char **argv, struct sim_reply *r)
{
	if (argc == 2 && !strcmp(argv[1], "connections")) {
		for (struct sim_conn *c = sim_conns(s); c; c = c->next) {
			char restr[16] = "-";

			if (c->restrict_domid != SIM_DOMID_INVALID)
				snprintf(restr, sizeof(restr), "%u", c->restrict_domid);
			sim_ctl_printf(r, "%u %s pid=%d comm=%s state=%s restrict=%s\n",
				       c->id, sim_dev_name(c->dev), (int)c->pid,
				       c->comm[0] ? c->comm : "-",
				       c->state == SIM_CONN_OPEN ? "open" : "detached",
				       restr);
		}
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "log")) {
		sim_log_dump(s, r);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "domains")) {
		for (struct sim_domain *d = sim_domains(s); d; d = d->next)
			sim_ctl_printf(
				r, "%u %s type=%s vcpus=%u pages=%llu grant-frames=%u\n",
				d->domid, d->name, type_name(d->type), d->vcpus,
				(unsigned long long)d->nr_pages, d->grant_frames);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "foreign-maps")) {
		struct sim_domain *d = get_dom(s, r, argv[2]);
		const struct sim_map_stats *st;

		if (!d)
			return 0;
		st = sim_domain_map_stats(d);
		sim_ctl_printf(r,
			       "mmapbatch calls=%llu frames=%llu failed=%llu\n"
			       "resource calls=%llu frames=%llu\n",
			       (unsigned long long)st->mmapbatch_calls,
			       (unsigned long long)st->mmapbatch_frames,
			       (unsigned long long)st->mmapbatch_failed,
			       (unsigned long long)st->resource_calls,
			       (unsigned long long)st->resource_frames);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "machine")) {
		const struct sim_version *v = sim_version(s);

		sim_ctl_printf(r, "xen %u.%u%s\nkernel %s\n", v->major, v->minor,
			       v->extraversion, s->personality);
		return 0;
	}
	return SIM_CTL_NOT_MINE;
}

static int core_control(struct sim *s, struct sim_conn *c, int argc, char **argv,
			struct sim_reply *r)
{
	const char *cmd = argv[0];
	struct sim_domain *d;
	uint64_t a, b;
	int e;

	if (!strcmp(cmd, "help")) {
		if (argc == 1)
			sim_ctl_printf(r, "%s", help_text);
		else if (!strcmp(argv[1], "inject"))
			sim_ctl_printf(r, "%s", help_inject);
		else if (!strcmp(argv[1], "scenario"))
			sim_ctl_printf(r, "%s", help_scenario);
		else
			return sim_ctl_error(r, EINVAL, "no help on '%s'", argv[1]);
		return 0;
	}
	if (!strcmp(cmd, "show")) {
		if (argc < 2)
			return sim_ctl_error(r, EINVAL, "show what?");
		return show(s, argc, argv, r);
	}
	if (!strcmp(cmd, "guest-write")) {
		const char *hex;
		unsigned char *p;
		size_t len;

		if (argc != 4)
			return sim_ctl_error(r, EINVAL, "usage: guest-write DOM GPA HEX");
		d = get_dom(s, r, argv[1]);
		if (!d)
			return 0;
		hex = argv[3];
		len = strlen(hex);
		if (sim_ctl_num(argv[2], &a) || len % 2)
			return sim_ctl_error(r, EINVAL, "bad address or hex data");
		for (size_t i = 0; i < len; i++)
			if (hexval((unsigned char)hex[i]) < 0)
				return sim_ctl_error(r, EINVAL, "bad hex data");
		p = sim_guest_ptr(d, a, len / 2);
		if (!p)
			return sim_ctl_error(
				r, EINVAL,
				"[0x%llx, +%zu) is not in the RAM of domain %u",
				(unsigned long long)a, len / 2, d->domid);
		for (size_t i = 0; i < len / 2; i++)
			p[i] = (unsigned char)(hexval((unsigned char)hex[2 * i]) << 4 |
					       hexval((unsigned char)hex[2 * i + 1]));
		r->ret = 0;
		return 0;
	}
	if (!strcmp(cmd, "guest-read")) {
		static const char digits[] = "0123456789abcdef";
		const unsigned char *p;
		char *out;

		if (argc != 4)
			return sim_ctl_error(r, EINVAL, "usage: guest-read DOM GPA LEN");
		d = get_dom(s, r, argv[1]);
		if (!d)
			return 0;
		if (sim_ctl_num(argv[2], &a) || sim_ctl_num(argv[3], &b) ||
		    b > (64u << 20))
			return sim_ctl_error(r, EINVAL, "bad address or length");
		p = sim_guest_ptr(d, a, b);
		if (!p)
			return sim_ctl_error(
				r, EINVAL,
				"[0x%llx, +%llu) is not in the RAM of domain %u",
				(unsigned long long)a, (unsigned long long)b, d->domid);
		out = sim_buf_put(&r->data, NULL, b * 2);
		if (!out)
			return sim_ctl_error(r, ENOMEM, "out of memory");
		for (uint64_t i = 0; i < b; i++) {
			out[2 * i] = digits[p[i] >> 4];
			out[2 * i + 1] = digits[p[i] & 15];
		}
		r->ret = 0;
		return 0;
	}
	if (!strcmp(cmd, "guest-memfd")) {
		int rc;

		if (argc != 2)
			return sim_ctl_error(r, EINVAL, "usage: guest-memfd DOM");
		d = get_dom(s, r, argv[1]);
		if (!d)
			return 0;
		rc = sim_reply_fd(r, d->ram.fd, false);
		if (rc < 0)
			return sim_ctl_error(r, rc, "cannot attach the memfd");
		sim_ctl_printf(r, "%zu", d->ram.size);
		r->ret = 0;
		return 0;
	}
	if (!strcmp(cmd, "page-out") || !strcmp(cmd, "frame-error")) {
		bool po = cmd[0] == 'p';
		int rc;

		if (argc != 4)
			return sim_ctl_error(r, EINVAL, "usage: %s DOM GFN %s", cmd,
					     po ? "RETRIES" : "ERRNO");
		d = get_dom(s, r, argv[1]);
		if (!d)
			return 0;
		if (sim_ctl_num(argv[2], &a))
			return sim_ctl_error(r, EINVAL, "bad gfn");
		if (po) {
			if (sim_ctl_num(argv[3], &b) || b > UINT32_MAX)
				return sim_ctl_error(r, EINVAL, "bad retry count");
			rc = sim_page_out(s, d, a, (unsigned int)b);
		} else {
			e = sim_errno_parse(argv[3]);
			if (e < 0)
				return sim_ctl_error(r, EINVAL, "unknown errno '%s'",
						     argv[3]);
			rc = sim_frame_error(s, d, a, e);
		}
		if (rc)
			return sim_ctl_error(r, rc,
					     "gfn 0x%llx is not in the RAM of domain %u",
					     (unsigned long long)a, d->domid);
		r->ret = 0;
		return 0;
	}
	if (!strcmp(cmd, "inject")) {
		int rc;

		if (argc != 5)
			return sim_ctl_error(r, EINVAL,
					     "usage: inject WHAT NTH COUNT ERRNO");
		e = sim_errno_parse(argv[4]);
		if (sim_ctl_num(argv[2], &a) || a > UINT32_MAX ||
		    sim_ctl_num(argv[3], &b) || b > UINT32_MAX || e <= 0)
			return sim_ctl_error(r, EINVAL, "bad NTH, COUNT or ERRNO");
		rc = sim_inject_add(s, argv[1], (unsigned int)a, (unsigned int)b, e);
		if (rc)
			return sim_ctl_error(r, rc, "cannot add the injection");
		r->ret = 0;
		return 0;
	}
	if (!strcmp(cmd, "inject-clear")) {
		if (argc != 1)
			return sim_ctl_error(r, EINVAL, "usage: inject-clear");
		sim_inject_clear(s);
		r->ret = 0;
		return 0;
	}
	return SIM_CTL_NOT_MINE;
}

static int do_reset(struct sim *s, const char *text, struct sim_reply *r)
{
	char err[256] = "";
	int rc;

	rc = sim_machine_load(s, text, err, sizeof(err));
	if (rc)
		return sim_ctl_error(r, rc, "%s", err[0] ? err : strerror(-rc));
	r->ret = 0;
	return 0;
}

#define MAX_WORDS 64

int sim_control_request(struct sim *s, struct sim_conn *c, const struct xsw_msg *m,
			struct sim_reply *r)
{
	char *text, *words[MAX_WORDS], *save = NULL, *w, *p;
	int argc = 0, rc;

	text = malloc((size_t)m->len + 1);
	if (!text) {
		r->ret = -ENOMEM;
		return 0;
	}
	if (m->len)
		memcpy(text, m->data, m->len);
	text[m->len] = '\0';

	if (m->type == XSP_SYSFS_READ) {
		rc = sim_sysfs_read(s, text, r);
		r->ret = rc;
		if (rc < 0)
			r->data.len = 0;
		free(text);
		return 0;
	}

	/* reset takes the rest of the text verbatim (a scenario) */
	for (p = text; isspace((unsigned char)*p); p++)
		;
	if (!strncmp(p, "reset", 5) && (p[5] == '\0' || isspace((unsigned char)p[5]))) {
		rc = do_reset(s, p + 5, r);
		free(text);
		return rc;
	}

	for (w = strtok_r(text, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_WORDS) {
			sim_ctl_error(r, E2BIG, "too many words");
			free(text);
			return 0;
		}
		words[argc++] = w;
	}
	if (argc == 0) {
		sim_ctl_error(r, EINVAL, "empty command");
		free(text);
		return 0;
	}
	r->ret = 0;
	rc = core_control(s, c, argc, words, r);
	if (rc == SIM_CTL_NOT_MINE)
		rc = sim_evtchn_control(s, c, argc, words, r);
	if (rc == SIM_CTL_NOT_MINE)
		rc = sim_gnttab_control(s, c, argc, words, r);
	if (rc == SIM_CTL_NOT_MINE)
		rc = sim_dm_control(s, c, argc, words, r);
	if (rc == SIM_CTL_NOT_MINE) {
		sim_log(s, "unknown control command '%s'", words[0]);
		sim_ctl_error(r, EINVAL, "unknown command '%s%s%s' (try: help)", words[0],
			      argc > 1 && !strcmp(words[0], "show") ? " " : "",
			      argc > 1 && !strcmp(words[0], "show") ? words[1] : "");
	}
	if (rc < 0 && r->ret >= 0)
		r->ret = rc;
	free(text);
	return 0;
}
