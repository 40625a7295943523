/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * mailbox-guest - the guest side of the mailbox-dm demo, on xensim.
 *
 * Acts as the vCPUs and memory of a simulated HVM guest (through xensim's
 * control API): issues MMIO and port I/O to the mailbox device exactly as
 * Xen would deliver it to the device model, and checks every answer: the
 * registers, the echo port, the interrupt line the device raises and
 * lowers, a guest-memory copy the device performs through foreign
 * mappings, string I/O (rep outsb / rep insl on the FIFO port, rep movs to
 * and from the MMIO buffer, with the direction flag clear and set) and a
 * broadcast invalidate. Prints one line per check and "N passed, N failed".
 *   mailbox-guest [-d DOMID] [-i IRQ] [-f]   (-f: the device uses an irqfd)
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xensim.h"

static unsigned int passed, failed;
static uint16_t domid = 1;
static uint64_t mmio = 0xfeb00000;
static unsigned int port = 0x5a0, irq = 5;
static bool irqfd_mode;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/* One access by @vcpu; returns the outcome, *data the value read. */
static int io(unsigned int vcpu, unsigned int space, int write, uint64_t addr,
	      unsigned int size, uint64_t value, uint64_t *data)
{
	struct xensim_io req = {
		.space = space, .write = write, .addr = addr, .size = size, .data = value,
	};
	uint64_t dummy;

	return xensim_guest_io(domid, vcpu, &req, data ? data : &dummy, 5000);
}

/* A string instruction by vCPU 0 on the buffer at guest address @gpa;
 * returns the outcome, *done the items completed. */
static int rep_io(unsigned int space, int write, uint64_t addr, unsigned int size,
		  uint32_t count, uint64_t gpa, int df, uint32_t *done)
{
	struct xensim_io_rep req = {
		.space = space,
		.write = write,
		.addr = addr,
		.size = size,
		.count = count,
		.gpa = gpa,
		.df = df,
	};

	*done = 0;
	return xensim_guest_io_rep(domid, 0, &req, done, 5000);
}

static uint64_t mmio_read(unsigned int vcpu, uint64_t off, unsigned int size, int *outcome)
{
	uint64_t v = 0;

	*outcome = io(vcpu, XENSIM_IO_MMIO, 0, mmio + off, size, 0, &v);
	return v;
}

static int irq_level_now(void)
{
	return irqfd_mode ? xensim_irq_level(domid, irq) : xensim_isa_irq_level(domid, irq);
}

/*
 * The line's level once it is @want. Through an irqfd the level is set
 * asynchronously (the kernel, here the simulator, acts on the eventfd
 * signal), possibly just after the doorbell write completes: wait for it,
 * a bounded number of times.
 */
static int irq_level_wait(int want)
{
	int level = irq_level_now();

	for (int i = 0; irqfd_mode && level != want && i < 200; i++) {
		usleep(10000);
		level = irq_level_now();
	}
	return level;
}

int main(int argc, char **argv)
{
	unsigned char pattern[256], copy[256];
	unsigned int vcpus = 2, done_servers = 0;
	uint64_t v;
	int out, c, level;

	while ((c = getopt(argc, argv, "d:fi:")) != -1) {
		if (c == 'd')
			domid = (uint16_t)strtoul(optarg, NULL, 0);
		else if (c == 'f')
			irqfd_mode = true;
		else if (c == 'i')
			irq = (unsigned int)strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (!xensim_available()) {
		fprintf(stderr, "mailbox-guest: needs xensim (run under: xensim -- ...)\n");
		return 77;
	}

	v = mmio_read(0, 0x00, 4, &out);
	check(out == XENSIM_IO_SERVED && v == 0x584d4258, "vcpu0 reads MAGIC: 0x%" PRIx64, v);
	v = mmio_read(1 % vcpus, 0x04, 4, &out);
	check(out == XENSIM_IO_SERVED && v == 1, "vcpu1 reads VERSION: %" PRIu64, v);

	out = io(0, XENSIM_IO_MMIO, 1, mmio + 0x08, 8, 0x1122334455667788ULL, NULL);
	v = mmio_read(1 % vcpus, 0x08, 8, &out);
	check(out == XENSIM_IO_SERVED && v == 0x1122334455667788ULL,
	      "SCRATCH written by vcpu0 reads back on vcpu1: 0x%" PRIx64, v);
	v = mmio_read(0, 0x08, 2, &out);
	check(v == 0x7788, "a 2-byte read of SCRATCH gives its low bytes: 0x%" PRIx64, v);

	out = io(0, XENSIM_IO_PIO, 1, port, 4, 41, NULL);
	out = io(0, XENSIM_IO_PIO, 0, port, 4, 0, &v);
	check(out == XENSIM_IO_SERVED && v == 42, "echo port returns 41 + 1: %" PRIu64, v);
	out = io(1 % vcpus, XENSIM_IO_PIO, 0, port + 1, 1, 0, &v);
	check(out == XENSIM_IO_SERVED && v == 'X', "port base+1 reads 'X': 0x%" PRIx64, v);

	check(irq_level_now() == 0, "interrupt line low before the doorbell");
	out = io(0, XENSIM_IO_MMIO, 1, mmio + 0x10, 4, 1, NULL);
	level = irq_level_wait(1);
	check(out == XENSIM_IO_SERVED && level == 1, "doorbell raises %s %u (level %d)",
	      irqfd_mode ? "SPI" : "ISA IRQ", irq, level);
	v = mmio_read(0, 0x10, 4, &out);
	check(v == 1, "DOORBELL counts one ring: %" PRIu64, v);
	out = io(0, XENSIM_IO_MMIO, 1, mmio + 0x18, 4, 1, NULL);
	level = irq_level_wait(0);
	check(out == XENSIM_IO_SERVED && level == 0, "IRQ_ACK lowers the line");

	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)(i * 7 + 3);
	xensim_guest_write(domid, 0x10ULL << 12, pattern, sizeof(pattern));
	memset(copy, 0, sizeof(copy));
	xensim_guest_write(domid, 0x11ULL << 12, copy, sizeof(copy));
	io(0, XENSIM_IO_MMIO, 1, mmio + 0x20, 8, 0x10, NULL);
	io(0, XENSIM_IO_MMIO, 1, mmio + 0x28, 8, 0x11, NULL);
	io(0, XENSIM_IO_MMIO, 1, mmio + 0x30, 8, sizeof(pattern), NULL);
	out = io(0, XENSIM_IO_MMIO, 1, mmio + 0x38, 4, 1, NULL);
	v = mmio_read(0, 0x38, 4, &out);
	check(v == 0, "copy command status: %" PRIu64, v);
	xensim_guest_read(domid, 0x11ULL << 12, copy, sizeof(copy));
	check(memcmp(copy, pattern, sizeof(pattern)) == 0,
	      "the device copied %zu bytes of guest memory from frame 0x10 to 0x11",
	      sizeof(pattern));

	{
		static const char msg[16] = "xenstable: rep!!";
		unsigned char back[64], rev[16], words[64];
		uint32_t done;
		uint64_t lo, hi;

		/* rep outsb of a string into the FIFO port, rep insl it back */
		xensim_guest_write(domid, 0x20000, msg, sizeof(msg));
		out = rep_io(XENSIM_IO_PIO, 1, port, 1, sizeof(msg), 0x20000, 0, &done);
		check(out == XENSIM_IO_SERVED && done == sizeof(msg),
		      "rep outsb of %zu bytes to port 0x%x (done %u)", sizeof(msg), port,
		      done);
		memset(back, 0, sizeof(back));
		xensim_guest_write(domid, 0x21000, back, sizeof(back));
		out = rep_io(XENSIM_IO_PIO, 0, port, 4, sizeof(msg) / 4, 0x21000, 0,
			     &done);
		xensim_guest_read(domid, 0x21000, back, sizeof(back));
		check(out == XENSIM_IO_SERVED && done == 4 &&
			      memcmp(back, msg, sizeof(msg)) == 0 &&
			      back[sizeof(msg)] == 0,
		      "rep insl reads the string back into guest memory: \"%.16s\"",
		      back);
		/* with DF set, outsb walks the buffer down: the FIFO gets it reversed */
		out = rep_io(XENSIM_IO_PIO, 1, port, 1, sizeof(msg),
			     0x20000 + sizeof(msg) - 1, 1, &done);
		out = rep_io(XENSIM_IO_PIO, 0, port, 1, sizeof(msg), 0x22000, 0, &done);
		xensim_guest_read(domid, 0x22000, back, sizeof(msg));
		for (size_t i = 0; i < sizeof(msg); i++)
			rev[i] = (unsigned char)msg[sizeof(msg) - 1 - i];
		check(out == XENSIM_IO_SERVED && memcmp(back, rev, sizeof(rev)) == 0,
		      "rep outsb with DF set sends the string backwards: \"%.16s\"",
		      back);

		/* rep movsl of 64 bytes into the MMIO buffer, up and then down */
		for (size_t i = 0; i < sizeof(words); i++)
			words[i] = (unsigned char)(0xa0 + i);
		xensim_guest_write(domid, 0x23000, words, sizeof(words));
		out = rep_io(XENSIM_IO_MMIO, 1, mmio + 0x100, 4, 16, 0x23000, 0, &done);
		lo = mmio_read(1 % vcpus, 0x100, 4, &c);
		hi = mmio_read(1 % vcpus, 0x13c, 4, &c);
		check(out == XENSIM_IO_SERVED && done == 16 && lo == 0xa3a2a1a0 &&
			      hi == 0xdfdedddc,
		      "rep movsl to MMIO fills the device buffer: 0x%" PRIx64
		      " .. 0x%" PRIx64,
		      lo, hi);
		for (size_t i = 0; i < sizeof(words); i++)
			words[i] = (unsigned char)(0x40 + i);
		xensim_guest_write(domid, 0x23000, words, sizeof(words));
		out = rep_io(XENSIM_IO_MMIO, 1, mmio + 0x13c, 4, 16, 0x23000 + 60, 1,
			     &done);
		memset(back, 0, sizeof(back));
		xensim_guest_write(domid, 0x24000, back, sizeof(back));
		out = rep_io(XENSIM_IO_MMIO, 0, mmio + 0x100, 8, 8, 0x24000, 0, &done);
		xensim_guest_read(domid, 0x24000, back, sizeof(back));
		check(out == XENSIM_IO_SERVED && done == 8 &&
			      memcmp(back, words, sizeof(words)) == 0,
		      "rep movsl with DF set, then rep movsq back from MMIO: same %zu "
		      "bytes",
		      sizeof(words));

		/* a buffer outside guest RAM: the device refuses it, the FIFO stays empty
		 */
		out = rep_io(XENSIM_IO_PIO, 1, port, 1, 4, 0x40000000, 0, &done);
		back[0] = 0x55;
		xensim_guest_write(domid, 0x25000, back, 1);
		rep_io(XENSIM_IO_PIO, 0, port, 1, 1, 0x25000, 0, &done);
		xensim_guest_read(domid, 0x25000, back, 1);
		check(out == XENSIM_IO_SERVED && back[0] == 0,
		      "a string buffer outside guest RAM is refused (FIFO still empty)");

		/* Xen's broadcast: the device model drops its guest mappings */
		out = xensim_guest_io_broadcast(domid, 0, &done_servers, 5000);
		check(out == XENSIM_IO_SERVED && done_servers == 1,
		      "broadcast invalidate answered by %u ioreq server", done_servers);
	}

	out = io(0, XENSIM_IO_MMIO, 0, mmio + 0x1000, 4, 0, &v);
	check(out == XENSIM_IO_UNCLAIMED && v == 0xffffffff,
	      "a read outside the device is unclaimed and gives all ones");

	printf("mailbox-guest: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
