/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "xen-kernel.h"
#include "xs-fd.h"
#include "xs-log.h"

int xs_open_cloexec(const char *path, int flags)
{
	return open(path, flags | O_CLOEXEC);
}

bool xs_dev_absent(int e)
{
	return e == ENOENT || e == ENXIO || e == ENODEV;
}

int xs_open_privcmd(const struct xs_handle *h, const char **path)
{
	int fd, first_errno;

	*path = XS_DEV_PRIVCMD;
	fd = xs_open_cloexec(XS_DEV_PRIVCMD, O_RDWR);
	if (fd < 0 && xs_dev_absent(errno)) {
		first_errno = errno;
		fd = xs_open_cloexec(XS_DEV_PRIVCMD_PROC, O_RDWR);
		if (fd >= 0)
			*path = XS_DEV_PRIVCMD_PROC;
		else if (errno == ENOENT)
			errno = first_errno; /* no xenfs either: the first reason tells */
	}
	if (fd < 0)
		xs_log_error(h, errno,
			     "Could not obtain handle on privileged command interface "
			     "(open %s, then %s)",
			     XS_DEV_PRIVCMD, XS_DEV_PRIVCMD_PROC);
	return fd;
}

void xs_close_keep_errno(int fd)
{
	int saved_errno = errno;

	if (fd >= 0)
		close(fd);
	errno = saved_errno;
}

int xs_neuter_fd(const struct xs_handle *h, int fd, const char *device)
{
	if (xentoolcore__restrict_by_dup2_null(fd) == 0)
		return 0;
	xs_log_op_error(h, "replacing with /dev/null (restrict)", device, errno);
	return -1;
}
