/* SPDX-License-Identifier: LGPL-2.1-only */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

static int wait_for(int sock, short events)
{
	struct pollfd p = { .fd = sock, .events = events };

	for (;;) {
		int rc = poll(&p, 1, -1);

		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

/* Write all of @iov (consumed in place); @fds go with the first byte. */
static int send_all(int sock, struct iovec *iov, int iovcnt, const int *fds, int nfds)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * XSP_MAX_FDS)];
	} ctl;
	struct msghdr mh;

	if (nfds < 0 || nfds > XSP_MAX_FDS)
		return -EINVAL;

	while (iovcnt > 0) {
		ssize_t n;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = iovcnt;
		if (nfds) {
			struct cmsghdr *cm;

			memset(&ctl, 0, sizeof(ctl));
			mh.msg_control = ctl.buf;
			mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
		}
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
		if (n < 0) {
			int rc;

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			rc = wait_for(sock, POLLOUT);
			if (rc)
				return rc;
			continue;
		}
		nfds = 0; /* sent with the first chunk */
		while (iovcnt > 0 && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			iovcnt--;
		}
		if (iovcnt > 0) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

int xsw_send(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
	     const int *fds, int nfds)
{
	struct iovec local[16];
	struct xsp_hdr hdr = { .type = type, .len = 0 };
	uint64_t total = 0;
	int i;

	if (iovcnt < 0 || iovcnt > 15)
		return -EINVAL;
	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	if (total > XSP_MAX_PAYLOAD)
		return -E2BIG;
	hdr.len = (uint32_t)total;
	local[0].iov_base = &hdr;
	local[0].iov_len = sizeof(hdr);
	for (i = 0; i < iovcnt; i++)
		local[i + 1] = iov[i];
	return send_all(sock, local, iovcnt + 1, fds, nfds);
}

int xsw_send_buf(int sock, uint32_t type, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return xsw_send(sock, type, &iov, len ? 1 : 0, NULL, 0);
}

/* Read exactly @len bytes; fds that arrive are appended to @m. */
static int recv_all(int sock, void *buf, size_t len, struct xsw_msg *m, int nonblock)
{
	size_t got = 0;

	while (got < len) {
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(int) * XSP_MAX_FDS)];
		} ctl;
		struct iovec iov = { .iov_base = (char *)buf + got, .iov_len = len - got };
		struct msghdr mh = {
			.msg_iov = &iov,
			.msg_iovlen = 1,
			.msg_control = ctl.buf,
			.msg_controllen = sizeof(ctl.buf),
		};
		struct cmsghdr *cm;
		ssize_t n;

		/* Before a message has started, @nonblock must not block even
		 * on a blocking socket. */
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | (nonblock && got == 0 ? MSG_DONTWAIT : 0));
		if (n < 0) {
			int rc;

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			if (nonblock && got == 0)
				return -EAGAIN;
			rc = wait_for(sock, POLLIN);
			if (rc)
				return rc;
			continue;
		}
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			const unsigned char *in = CMSG_DATA(cm);
			size_t k, n_in;

			if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
				continue;
			n_in = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (k = 0; k < n_in; k++) {
				int rfd;

				/* CMSG_DATA need not be int aligned (armhf) */
				memcpy(&rfd, in + k * sizeof(int), sizeof(rfd));
				if (m->nfds < XSP_MAX_FDS)
					m->fds[m->nfds++] = rfd;
				else
					close(rfd);
			}
		}
		if (n == 0)
			return -EPIPE;
		got += (size_t)n;
		nonblock = 0; /* a message has started: read all of it */
	}
	return 0;
}

int xsw_recv(int sock, struct xsw_msg *m, int nonblock)
{
	struct xsp_hdr hdr;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = recv_all(sock, &hdr, sizeof(hdr), m, nonblock);
	if (rc)
		goto fail;
	if (hdr.len > XSP_MAX_PAYLOAD) {
		rc = -EPROTO;
		goto fail;
	}
	m->type = hdr.type;
	m->len = hdr.len;
	if (hdr.len) {
		m->data = malloc(hdr.len);
		if (!m->data) {
			rc = -ENOMEM;
			goto fail;
		}
		rc = recv_all(sock, m->data, hdr.len, m, 0);
		if (rc)
			goto fail;
	}
	return 0;
fail:
	xsw_msg_free(m);
	return rc;
}

void xsw_msg_free(struct xsw_msg *m)
{
	int i;

	for (i = 0; i < m->nfds; i++)
		if (m->fds[i] >= 0)
			close(m->fds[i]);
	free(m->data);
	memset(m, 0, sizeof(*m));
}

int64_t xsw_call(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
		 const int *fds, int nfds, struct xsw_msg *reply)
{
	int wakes = 0;

	return xsw_call_wakes(sock, type, iov, iovcnt, fds, nfds, reply, &wakes);
}

int64_t xsw_call_wakes(int sock, uint32_t type, const struct iovec *iov, int iovcnt,
		       const int *fds, int nfds, struct xsw_msg *reply, int *wakes)
{
	int rc;

	memset(reply, 0, sizeof(*reply));
	rc = xsw_send(sock, type, iov, iovcnt, fds, nfds);
	if (rc)
		return rc;
	for (;;) {
		rc = xsw_recv(sock, reply, 0);
		if (rc)
			return rc;
		if (reply->type == XSP_WAKE) {
			xsw_msg_free(reply);
			(*wakes)++;
			continue;
		}
		if (reply->type != (type | XSP_REPLY) ||
		    reply->len < sizeof(struct xsp_reply)) {
			xsw_msg_free(reply);
			return -EPROTO;
		}
		return ((const struct xsp_reply *)(const void *)reply->data)->ret;
	}
}
