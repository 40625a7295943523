/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "xs-fd.h"
#include "xs-log.h"

int xs_open_cloexec(const char *path, int flags)
{
	return open(path, flags | O_CLOEXEC);
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
