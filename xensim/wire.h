/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Framed messages with file descriptors over a unix stream socket, for
 * both ends of the xensim protocol (see protocol.h). Only sendmsg,
 * recvmsg and poll are used, which the shim does not interpose.
 */
#ifndef XENSIM_WIRE_H
#define XENSIM_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "protocol.h"

struct xsw_msg {
	uint32_t type;
	uint32_t len;
	unsigned char *data; /* len bytes, malloc'd (NULL if len == 0) */
	int fds[XSP_MAX_FDS];
	int nfds;
};

/*
 * Send one message: header {type, sum of iov lengths}, the iov contents,
 * and @nfds fds attached to the header. Copes with EINTR, short writes and
 * non-blocking sockets (waits with poll). Returns 0 or -errno.
 */
int xsw_send(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
	     const int *fds, int nfds);

/* Send a buffer-only message (one iov). */
int xsw_send_buf(int sock, uint32_t type, const void *buf, size_t len);

/*
 * Receive one message. Blocks (also on a non-blocking socket, with poll)
 * unless @nonblock, when it returns -EAGAIN if nothing is waiting.
 * Returns 0, -EPIPE at end of stream, or another -errno. Received fds are
 * close-on-exec.
 */
int xsw_recv(int sock, struct xsw_msg *m, int nonblock);

/* Free the payload and close every fd still in m->fds (set an entry to
 * -1 to keep it). */
void xsw_msg_free(struct xsw_msg *m);

/*
 * A request/reply exchange on a client connection: send, then receive
 * until the reply (type | XSP_REPLY), dropping XSP_WAKE messages. On
 * success *reply holds the reply (payload starts with struct xsp_reply)
 * and the return value is its ret (>= 0 or -errno); transport errors are
 * returned as -errno with *reply empty.
 */
int64_t xsw_call(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
		 const int *fds, int nfds, struct xsw_msg *reply);
/* Same, adding the XSP_WAKEs dropped on the way to *@wakes. */
int64_t xsw_call_wakes(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
		       const int *fds, int nfds, struct xsw_msg *reply, int *wakes);

/* Reply payload after struct xsp_reply, and its length. */
static inline const unsigned char *xsw_reply_data(const struct xsw_msg *m, size_t *len)
{
	if (m->len < sizeof(struct xsp_reply)) {
		*len = 0;
		return NULL;
	}
	*len = m->len - sizeof(struct xsp_reply);
	return m->data + sizeof(struct xsp_reply);
}

#endif /* XENSIM_WIRE_H */
