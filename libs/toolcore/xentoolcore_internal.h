/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxentoolcore: the "internal" interface that the other Xen libraries
 * use to register their handles. It is exported (VERS_1.0) because other
 * libraries call it, and upstream's libxenstore depends on the exact layout
 * of struct Xentoolcore__Active_Handle, but it is not installed.
 *
 * A library that registers a handle:
 *  1. embeds a Xentoolcore__Active_Handle in its handle;
 *  2. at open: sets restrict_callback, registers, *then* opens its fds;
 *  3. at close (and on open's error path): deregisters *before* closing fds;
 *  4. makes its callback leave the handle able to affect only the given
 *     domain, or neuter it completely; on failure the callback neuters the
 *     handle itself and returns -1 with errno;
 *  5. never registers or deregisters from inside a callback (the registry
 *     lock is held while callbacks run).
 */
#ifndef XENTOOLCORE_INTERNAL_H
#define XENTOOLCORE_INTERNAL_H

#include <stdint.h>

#include "xentoolcore.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Xentoolcore__Active_Handle Xentoolcore__Active_Handle;

typedef int Xentoolcore__Restrict_Callback(Xentoolcore__Active_Handle *ah,
					   domid_t domid);

/* Layout is ABI (libxenstore embeds it): a BSD LIST_ENTRY after the callback. */
struct Xentoolcore__Active_Handle {
	Xentoolcore__Restrict_Callback *restrict_callback;
	struct {
		struct Xentoolcore__Active_Handle *le_next;
		struct Xentoolcore__Active_Handle **le_prev;
	} entry;
};

/**
 * xentoolcore__register_active_handle() - add a library handle to the
 * process's registry.
 * @ah: the registry entry embedded in the handle, with restrict_callback set.
 *
 * Newest handles come first, so xentoolcore_restrict_all() calls them
 * newest first. Register before opening the handle's fds. Thread safe;
 * must not be called from a restrict callback.
 *
 * Since: 1.0 (Xen 4.10)
 */
void xentoolcore__register_active_handle(Xentoolcore__Active_Handle *ah);

/**
 * xentoolcore__deregister_active_handle() - remove a library handle from the
 * process's registry.
 * @ah: the entry given to xentoolcore__register_active_handle().
 *
 * A no-op if @ah is not registered. Deregister before closing the handle's
 * fds. Thread safe; must not be called from a restrict callback.
 *
 * Since: 1.0 (Xen 4.10)
 */
void xentoolcore__deregister_active_handle(Xentoolcore__Active_Handle *ah);

/**
 * xentoolcore__restrict_by_dup2_null() - make an fd useless.
 * @fd: the fd to neuter; @fd < 0 is a no-op.
 *
 * Puts /dev/null in place of @fd by duplicating over it, which needs no
 * locking against threads still using the fd: they just get errors. The
 * fd keeps its close-on-exec flag (upstream's dup2 drops it).
 *
 * Returns: 0, or -1 with errno from open() or dup3().
 * Since: 1.0 (Xen 4.10)
 */
int xentoolcore__restrict_by_dup2_null(int fd);

#ifdef __cplusplus
}
#endif

#endif /* XENTOOLCORE_INTERNAL_H */
