/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * File-descriptor helpers: every fd xenstable opens is close-on-exec, and
 * every error path closes what it opened without losing errno.
 */
#ifndef XS_FD_H
#define XS_FD_H

#include <stdbool.h>

#include "xs-handle.h"

/* open(@path, @flags | O_CLOEXEC). */
int xs_open_cloexec(const char *path, int flags);

/* close(@fd) if @fd >= 0, preserving errno. */
void xs_close_keep_errno(int fd);

/*
 * Put /dev/null in place of @fd (keeping its close-on-exec flag), so that
 * the handle owning it can no longer do anything. Logs failures.
 * Returns 0 or -1 with errno.
 */
int xs_neuter_fd(const struct xs_handle *h, int fd, const char *device);

#endif /* XS_FD_H */
