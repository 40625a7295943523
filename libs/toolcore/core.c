/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoolcore: the registry of active Xen library handles and
 * xentoolcore_restrict_all().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include "xs-compiler.h"
#include "xentoolcore_internal.h"

/*
 * The registry: a doubly linked list threaded through the handles' own
 * Xentoolcore__Active_Handle (the BSD LIST layout libxenstore expects),
 * newest first, under one lock.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static Xentoolcore__Active_Handle *registry_head;

static void registry_lock_take(void)
{
	int saved_errno = errno;

	pthread_mutex_lock(&registry_lock);
	errno = saved_errno;
}

static void registry_lock_drop(void)
{
	int saved_errno = errno;

	pthread_mutex_unlock(&registry_lock);
	errno = saved_errno;
}

XENSTABLE_EXPORT void xentoolcore__register_active_handle(Xentoolcore__Active_Handle *ah)
{
	if (!ah)
		return;
	registry_lock_take();
	ah->entry.le_next = registry_head;
	if (registry_head)
		registry_head->entry.le_prev = &ah->entry.le_next;
	registry_head = ah;
	ah->entry.le_prev = &registry_head;
	registry_lock_drop();
}

XENSTABLE_EXPORT void xentoolcore__deregister_active_handle(Xentoolcore__Active_Handle *ah)
{
	if (!ah)
		return;
	registry_lock_take();
	if (ah->entry.le_prev) {
		if (ah->entry.le_next)
			ah->entry.le_next->entry.le_prev = ah->entry.le_prev;
		*ah->entry.le_prev = ah->entry.le_next;
		ah->entry.le_next = NULL;
		ah->entry.le_prev = NULL;
	}
	registry_lock_drop();
}

XENSTABLE_EXPORT int xentoolcore_restrict_all(domid_t domid)
{
	Xentoolcore__Active_Handle *ah;
	int first_errno = 0;
	bool failed = false;

	registry_lock_take();
	for (ah = registry_head; ah; ah = ah->entry.le_next) {
		if (!ah->restrict_callback)
			continue;
		errno = 0;
		if (ah->restrict_callback(ah, domid) == 0)
			continue;
		/* Keep going: every other handle must still be restricted. */
		if (!failed) {
			failed = true;
			first_errno = errno ? errno : EIO;
		}
	}
	registry_lock_drop();

	if (failed) {
		errno = first_errno;
		return -1;
	}
	return 0;
}

static int dup_keeping_cloexec(int oldfd, int newfd, bool cloexec)
{
#ifdef HAVE_DUP3
	return dup3(oldfd, newfd, cloexec ? O_CLOEXEC : 0);
#else
	if (dup2(oldfd, newfd) < 0)
		return -1;
	return cloexec ? fcntl(newfd, F_SETFD, FD_CLOEXEC) : 0;
#endif
}

XENSTABLE_EXPORT int xentoolcore__restrict_by_dup2_null(int fd)
{
	int fd_flags, nullfd, rc, saved_errno;

	if (fd < 0)
		return 0;

	/* An fd that is not open (EBADF) ends up close-on-exec. */
	fd_flags = fcntl(fd, F_GETFD);
	nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (nullfd < 0)
		return -1;
	if (nullfd == fd)
		return 0; /* fd was not open and is now /dev/null itself */

	rc = dup_keeping_cloexec(nullfd, fd, fd_flags < 0 || (fd_flags & FD_CLOEXEC));
	saved_errno = errno;
	close(nullfd);
	errno = saved_errno;
	return rc < 0 ? -1 : 0;
}
