/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xentoolcore.h - process-wide support shared by the Xen tools libraries
 * (libxentoolcore.so.1).
 *
 * xenstable's drop-in implementation of the upstream interface.
 */
#ifndef XENTOOLCORE_H
#define XENTOOLCORE_H

#include <stdint.h>
#include <xen/xen.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * xentoolcore_restrict_all() - restrict every open Xen library handle of
 * the process to one domain.
 * @domid: the only domain the handles may affect afterwards.
 *
 * Walks every handle registered by the Xen libraries (xencall, foreign
 * memory, event channels, grant tables, device model; also libxenstore's)
 * and restricts it to @domid. A handle that cannot be restricted to a
 * single domain is made useless instead: its file descriptor is replaced
 * by /dev/null, keeping its close-on-exec flag.
 *
 * xenstable guarantees more than upstream: **every** handle is tried, and a
 * handle whose restriction fails is neutered the same way, so that no
 * handle is left unrestricted. The call still reports the failure.
 *
 * Calling it again with the same @domid may succeed or fail (event-channel
 * handles can be restricted only once); with a different @domid it fails.
 * It cannot restrict event channels to domain 0.
 *
 * It does not protect against denial of service.
 *
 * Returns: 0 if every handle was restricted, -1 with errno set to the
 * first failure's errno otherwise (every handle is then either restricted
 * or neutered). Typical errno values: EINVAL (different domid, or domid 0
 * with event channels), EACCES (event channel already restricted), ENOTTY
 * or EOPNOTSUPP (the kernel cannot restrict; the handle was neutered).
 *
 * Thread safety: thread safe. Handles closed concurrently are restricted
 * once their close has returned; handles opened concurrently may or may not
 * be restricted.
 * Fork: do not call it in a child that has inherited handles while another
 * thread of the parent was opening or closing handles at fork time.
 * Since: 1.0
 */
int xentoolcore_restrict_all(domid_t domid);

#ifdef __cplusplus
}
#endif

#endif /* XENTOOLCORE_H */
