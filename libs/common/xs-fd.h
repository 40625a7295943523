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

/* @e says the device node is missing (ENOENT, ENXIO or ENODEV). */
bool xs_dev_absent(int e);

/*
 * Open privcmd read-write, close-on-exec: /dev/xen/privcmd, or
 * /proc/xen/privcmd (xenfs) where the device node is missing, as upstream
 * does. *@path is set to the node opened (on failure, the first one). On
 * failure logs upstream's message through @h and returns -1 with the
 * errno that explains it best (the first one if xenfs is missing too).
 */
int xs_open_privcmd(const struct xs_handle *h, const char **path);

/* close(@fd) if @fd >= 0, preserving errno. */
void xs_close_keep_errno(int fd);

/*
 * Put /dev/null in place of @fd (keeping its close-on-exec flag), so that
 * the handle owning it can no longer do anything. Logs failures.
 * Returns 0 or -1 with errno.
 */
int xs_neuter_fd(const struct xs_handle *h, int fd, const char *device);

#endif /* XS_FD_H */
