/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xensim: run a program on a simulated Xen machine.
 *
 *   xensim [--scenario FILE] [--personality NAME] [--log FILE] [--no-preload] -- PROG
 * ARGS... xensim --daemon --socket PATH [--scenario FILE] [--personality NAME] [--log
 * FILE] xensim ctl [--socket PATH] COMMAND...
 *
 * See xensim/README.md.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim-int.h"

#ifndef XENSIM_PKGLIBDIR
#define XENSIM_PKGLIBDIR "/usr/local/lib"
#endif

#define PROG_NAME "xensim"

struct options {
	const char *scenario_file;
	const char *personality;
	const char *log_file;
	const char *socket_path;
	bool no_preload;
	bool daemon;
	char **prog;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: " PROG_NAME
		   " [--scenario FILE] [--personality NAME] [--log FILE] "
		   "[--no-preload] -- PROG [ARGS...]\n"
		   "       " PROG_NAME
		   " --daemon --socket PATH [--scenario FILE] [--personality NAME] "
		   "[--log FILE]\n"
		   "       " PROG_NAME
		   " ctl [--socket PATH] COMMAND...   (try: " PROG_NAME " ctl help)\n");
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (len + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		int e = errno;

		free(buf);
		fclose(f);
		errno = e;
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

static int make_listener(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* ---- the daemon -------------------------------------------------------------- */

static int quit_pipe[2] = {-1, -1};

static void on_quit_signal(int sig)
{
	int e = errno;
	char c = (char)sig;

	if (write(quit_pipe[1], &c, 1) < 0) {
		/* nothing to do */
	}
	errno = e;
}

static void on_quit_readable(struct sim *s, int fd, void *arg)
{
	s->quit = 1;
}

/*
 * Run the simulated machine on listening socket @lfd. @ready_fd (if >= 0)
 * gets one byte once the machine is loaded, and is closed.
 */
static int run_daemon(int lfd, const struct options *o, int ready_fd)
{
	static struct sim s; /* large; zero-initialised */
	struct sigaction sa;
	char *scenario = NULL, err[512] = "";
	int rc;

	if (o->scenario_file) {
		scenario = read_file(o->scenario_file);
		if (!scenario) {
			fprintf(stderr, PROG_NAME ": cannot read scenario %s: %s\n",
				o->scenario_file, strerror(errno));
			return 2;
		}
	}
	/* one fd per open simulated file of every client: allow many */
	{
		struct rlimit rl;

		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	memset(&s, 0, sizeof(s));
	rc = sim_machine_init(&s, o->personality, o->log_file);
	if (rc) {
		if (rc == -EINVAL)
			fprintf(stderr, PROG_NAME ": unknown kernel personality '%s'\n",
				o->personality);
		else
			fprintf(stderr, PROG_NAME ": cannot open log %s: %s\n",
				o->log_file, strerror(-rc));
		free(scenario);
		return 2;
	}
	sim_init(&s, lfd);
	rc = sim_machine_load(&s, scenario, err, sizeof(err));
	free(scenario);
	if (rc) {
		fprintf(stderr, PROG_NAME ": %s%s%s\n",
			o->scenario_file ? o->scenario_file : "",
			o->scenario_file ? ": " : "", err[0] ? err : strerror(-rc));
		sim_machine_fini(&s);
		return 2;
	}

	if (pipe2(quit_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, PROG_NAME ": pipe: %s\n", strerror(errno));
		sim_machine_fini(&s);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sim_watch_fd(&s, quit_pipe[0], on_quit_readable, NULL);

	if (ready_fd >= 0) {
		char c = 'R';

		if (write(ready_fd, &c, 1) < 0) {
			/* the launcher notices EOF */
		}
		close(ready_fd);
	}
	rc = sim_run(&s);
	if (rc)
		fprintf(stderr, PROG_NAME ": daemon loop failed: %s\n", strerror(-rc));
	sim_fini(&s);
	sim_machine_fini(&s);
	close(quit_pipe[0]);
	close(quit_pipe[1]);
	return rc ? 1 : 0;
}

/* ---- stand-in directories (protocol.h) ------------------------------------------ */

static const char *const standin_dirs[] = {XENSIM_STANDIN_DIRS};

/* Remove the stand-in tree of socket @sock: the entries the shims put
 * into its directories (for readdir), then the directories. */
static void standin_remove(const char *sock)
{
	char path[PATH_MAX];
	size_t i = sizeof(standin_dirs) / sizeof(standin_dirs[0]);

	while (i-- > 0) {
		DIR *d;
		struct dirent *e;

		snprintf(path, sizeof(path), "%s" XENSIM_STANDIN_SUFFIX "%s", sock,
			 standin_dirs[i]);
		d = opendir(path);
		if (d) {
			while ((e = readdir(d)))
				if (e->d_type != DT_DIR)
					unlinkat(dirfd(d), e->d_name, 0);
			closedir(d);
		}
		rmdir(path);
	}
	snprintf(path, sizeof(path), "%s" XENSIM_STANDIN_SUFFIX, sock);
	rmdir(path);
}

/* Create it (0 or -errno; nothing is left behind on failure). */
static int standin_create(const char *sock)
{
	char path[PATH_MAX];
	size_t i;

	snprintf(path, sizeof(path), "%s" XENSIM_STANDIN_SUFFIX, sock);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return -errno;
	for (i = 0; i < sizeof(standin_dirs) / sizeof(standin_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s" XENSIM_STANDIN_SUFFIX "%s", sock,
			 standin_dirs[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			int e = errno;

			standin_remove(sock);
			return -e;
		}
	}
	return 0;
}

static int daemon_main(const struct options *o)
{
	struct stat st;
	int lfd, rc;

	if (!o->socket_path) {
		fprintf(stderr, PROG_NAME ": --daemon needs --socket PATH\n");
		return 2;
	}
	/* a stale socket nobody listens on may be replaced */
	if (lstat(o->socket_path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int fd = connect_to(o->socket_path);

		if (fd >= 0) {
			close(fd);
			fprintf(stderr,
				PROG_NAME ": %s: a daemon is already listening there\n",
				o->socket_path);
			return 2;
		}
		if (errno == ECONNREFUSED)
			unlink(o->socket_path);
	}
	lfd = make_listener(o->socket_path);
	if (lfd < 0) {
		fprintf(stderr, PROG_NAME ": cannot listen on %s: %s\n", o->socket_path,
			strerror(errno));
		return 2;
	}
	if (o->socket_path[0] == '/' && (rc = standin_create(o->socket_path)) < 0)
		fprintf(stderr,
			PROG_NAME ": cannot create %s" XENSIM_STANDIN_SUFFIX
				  ": %s (simulated directories cannot be opened)\n",
			o->socket_path, strerror(-rc));
	rc = run_daemon(lfd, o, -1);
	close(lfd);
	unlink(o->socket_path);
	if (o->socket_path[0] == '/')
		standin_remove(o->socket_path);
	return rc;
}

/* ---- the launcher ----------------------------------------------------------------- */

static bool readable_file(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Find libxensim.so: XENSIM_LIBDIR, next to the binary, the build tree, libdir. */
static char *find_shim(void)
{
	const char *env = getenv(XENSIM_ENV_LIBDIR);
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n;

	if (env && *env) {
		snprintf(path, sizeof(path), "%s/libxensim.so", env);
		if (readable_file(path))
			return strdup(path);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/libxensim.so", exe);
			if (readable_file(path))
				return strdup(path);
			snprintf(path, sizeof(path), "%s/.libs/libxensim.so", exe);
			if (readable_file(path))
				return strdup(path);
			/* a libtool wrapper's real binary lives in .libs itself */
			slash = strrchr(exe, '/');
			if (slash && !strcmp(slash, "/.libs")) {
				snprintf(path, sizeof(path), "%s/libxensim.so", exe);
				if (readable_file(path))
					return strdup(path);
			}
		}
	}
	snprintf(path, sizeof(path), "%s/libxensim.so", XENSIM_PKGLIBDIR);
	if (readable_file(path))
		return strdup(path);
	/* a runtime-only installation has just the soname */
	snprintf(path, sizeof(path), "%s/libxensim.so.0", XENSIM_PKGLIBDIR);
	if (readable_file(path))
		return strdup(path);
	return NULL;
}

static volatile pid_t child_pid = -1;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static char *make_temp_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char buf[PATH_MAX];

	/* the socket path must fit in sun_path (108 bytes) */
	if (!tmp || !*tmp || strlen(tmp) > 60)
		tmp = "/tmp";
	snprintf(buf, sizeof(buf), "%s/xensim-XXXXXX", tmp);
	if (!mkdtemp(buf))
		return NULL;
	return strdup(buf);
}

static int launcher_main(const struct options *o)
{
	struct sigaction sa;
	char *dir, sock[PATH_MAX], *shim = NULL;
	int lfd, ready[2], status = 0, rc = 2;
	pid_t daemon_pid, pid;
	char c;

	if (!o->no_preload) {
		shim = find_shim();
		if (!shim) {
			fprintf(stderr, PROG_NAME
				": cannot find libxensim.so (set " XENSIM_ENV_LIBDIR
				" or use --no-preload)\n");
			return 2;
		}
	}
	dir = make_temp_dir();
	if (!dir) {
		fprintf(stderr, PROG_NAME ": cannot create a temporary directory: %s\n",
			strerror(errno));
		free(shim);
		return 2;
	}
	snprintf(sock, sizeof(sock), "%s/socket", dir);
	rc = standin_create(sock);
	if (rc < 0) {
		fprintf(stderr,
			PROG_NAME ": cannot create %s" XENSIM_STANDIN_SUFFIX ": %s\n",
			sock, strerror(-rc));
		rc = 2;
		goto out_dir;
	}
	rc = 2;
	lfd = make_listener(sock);
	if (lfd < 0) {
		fprintf(stderr, PROG_NAME ": cannot listen on %s: %s\n", sock,
			strerror(errno));
		goto out_dir;
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		fprintf(stderr, PROG_NAME ": pipe: %s\n", strerror(errno));
		close(lfd);
		goto out_sock;
	}
	fflush(NULL);
	daemon_pid = fork();
	if (daemon_pid < 0) {
		fprintf(stderr, PROG_NAME ": fork: %s\n", strerror(errno));
		close(lfd);
		close(ready[0]);
		close(ready[1]);
		goto out_sock;
	}
	if (daemon_pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		close(ready[0]);
		setsid(); /* no terminal signals: the launcher stops it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			close(null);
		}
		_exit(run_daemon(lfd, o, ready[1]));
	}
	close(lfd);
	close(ready[1]);
	while ((rc = (int)read(ready[0], &c, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (rc != 1) {
		/* the daemon could not load the machine; it said why */
		while (waitpid(daemon_pid, &status, 0) < 0 && errno == EINTR)
			;
		rc = 2;
		goto out_sock;
	}

	setenv(XENSIM_ENV_SOCKET, sock, 1);
	if (shim) {
		const char *old = getenv("LD_PRELOAD");
		char *val;

		if (old && *old) {
			size_t len = strlen(shim) + strlen(old) + 2;

			val = malloc(len);
			if (val)
				snprintf(val, len, "%s:%s", shim, old);
		} else {
			val = strdup(shim);
		}
		if (!val || setenv("LD_PRELOAD", val, 1) < 0) {
			fprintf(stderr, PROG_NAME ": out of memory\n");
			free(val);
			rc = 2;
			goto out_daemon;
		}
		free(val);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* like system(3): the program gets ^C */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, PROG_NAME ": fork: %s\n", strerror(errno));
		rc = 2;
		goto out_daemon;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(o->prog[0], o->prog);
		fprintf(stderr, PROG_NAME ": cannot run %s: %s\n", o->prog[0],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 2 << 8;
			break;
		}
	}
	child_pid = -1;
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		rc = 128 + WTERMSIG(status);
	else
		rc = 2;

out_daemon:
	kill(daemon_pid, SIGTERM);
	while (waitpid(daemon_pid, &status, 0) < 0 && errno == EINTR)
		;
out_sock:
	unlink(sock);
	standin_remove(sock);
out_dir:
	rmdir(dir);
	free(dir);
	free(shim);
	return rc;
}

/* ---- xensim ctl
 * ------------------------------------------------------------------------ */

static int ctl_main(int argc, char **argv)
{
	const char *path = getenv(XENSIM_ENV_SOCKET);
	struct xsp_hello h = {.version = XSP_VERSION, .device = XSP_DEV_CONTROL};
	struct iovec iov;
	struct xsw_msg rep;
	size_t len = 0, dlen;
	const unsigned char *d;
	char *cmd;
	int64_t ret;
	int i = 1, fd;

	if (i < argc && !strcmp(argv[i], "--socket")) {
		if (i + 1 >= argc) {
			usage(stderr);
			return 2;
		}
		path = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!path || !*path) {
		fprintf(stderr,
			PROG_NAME " ctl: no --socket and no " XENSIM_ENV_SOCKET "\n");
		return 2;
	}
	for (int k = i; k < argc; k++)
		len += strlen(argv[k]) + 1;
	cmd = calloc(1, len + 1);
	if (!cmd)
		return 2;
	for (int k = i; k < argc; k++) {
		strcat(cmd, argv[k]);
		if (k + 1 < argc)
			strcat(cmd, " ");
	}
	fd = connect_to(path);
	if (fd < 0) {
		fprintf(stderr, PROG_NAME " ctl: cannot connect to %s: %s\n", path,
			strerror(errno));
		free(cmd);
		return 2;
	}
	h.pid = (int32_t)getpid();
	snprintf(h.comm, sizeof(h.comm), "xensim-ctl");
	iov.iov_base = &h;
	iov.iov_len = sizeof(h);
	ret = xsw_call(fd, XSP_HELLO, &iov, 1, NULL, 0, &rep);
	xsw_msg_free(&rep);
	if (ret >= 0) {
		iov.iov_base = cmd;
		iov.iov_len = strlen(cmd);
		ret = xsw_call(fd, XSP_CONTROL_COMMAND, &iov, 1, NULL, 0, &rep);
	}
	free(cmd);
	close(fd);
	if (ret < 0 && !rep.data) {
		fprintf(stderr, PROG_NAME " ctl: %s\n", strerror((int)-ret));
		return 1;
	}
	d = xsw_reply_data(&rep, &dlen);
	if (ret < 0) {
		fprintf(stderr, PROG_NAME " ctl: %.*s%s(%s)\n", (int)dlen,
			d ? (const char *)d : "", dlen ? " " : "", strerror((int)-ret));
	} else if (dlen) {
		fwrite(d, 1, dlen, stdout);
		if (d[dlen - 1] != '\n')
			putchar('\n');
	}
	xsw_msg_free(&rep);
	return ret < 0 ? 1 : 0;
}

/* ---- options -------------------------------------------------------------------------
 */

int main(int argc, char **argv)
{
	struct options o = {0};
	int i;

	if (argc >= 2 && !strcmp(argv[1], "ctl"))
		return ctl_main(argc - 1, argv + 1);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **val = NULL;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			printf(PROG_NAME " (%s) %s, simulating Xen 4.17 and Linux's /dev/xen drivers\n",
			       PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
		} else if (!strcmp(a, "--no-preload")) {
			o.no_preload = true;
		} else if (!strcmp(a, "--daemon")) {
			o.daemon = true;
		} else if (!strcmp(a, "--scenario")) {
			val = &o.scenario_file;
		} else if (!strcmp(a, "--personality")) {
			val = &o.personality;
		} else if (!strcmp(a, "--log")) {
			val = &o.log_file;
		} else if (!strcmp(a, "--socket")) {
			val = &o.socket_path;
		} else if (a[0] == '-') {
			fprintf(stderr, PROG_NAME ": unknown option %s\n", a);
			usage(stderr);
			return 2;
		} else {
			break; /* the program, without "--" */
		}
		if (val) {
			if (i + 1 >= argc) {
				fprintf(stderr, PROG_NAME ": %s needs an argument\n", a);
				return 2;
			}
			*val = argv[++i];
		}
	}
	if (o.daemon) {
		if (i < argc) {
			fprintf(stderr, PROG_NAME ": --daemon takes no program\n");
			return 2;
		}
		return daemon_main(&o);
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	o.prog = argv + i;
	return launcher_main(&o);
}
