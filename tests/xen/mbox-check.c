/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * mbox-check - runs inside the HVM guest of tests/xen/run-full (static,
 * busybox initramfs) when a mailbox device model serves it: checks the
 * device's I/O ports (iopl + outl/inl) and its MMIO page (/dev/mem), and
 * string I/O: rep outsb / rep insb on the FIFO port (DF clear and set) and
 * rep movsl into the MMIO buffer, which Xen hands to the device model as
 * ioreqs with data_is_ptr (a guest address of this program's buffer).
 * Prints "XSMBOX PASS|FAIL <what>: <details>" per check and
 * "XSMBOX SUMMARY passed=N failed=N".
 *   mbox-check [MMIO-BASE [PORT-BASE]]   (0xfeb00000, 0x5a0)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned int passed, failed;

static void check(int ok, const char *what, unsigned long long got)
{
	printf("XSMBOX %s %s: 0x%llx\n", ok ? "PASS" : "FAIL", what, got);
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

static void rep_outsb(unsigned short port, const void *buf, unsigned long n)
{
	__asm__ volatile("rep outsb" : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

/* The same with the direction flag set: from @last down. */
static void rep_outsb_down(unsigned short port, const void *last, unsigned long n)
{
	__asm__ volatile("std\n\trep outsb\n\tcld"
			 : "+S"(last), "+c"(n)
			 : "d"(port)
			 : "memory");
}

static void rep_insb(unsigned short port, void *buf, unsigned long n)
{
	__asm__ volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(port) : "memory");
}

static void rep_movsl(volatile void *dst, const void *src, unsigned long n)
{
	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* String I/O on the FIFO port (base + 0). */
static void check_rep_ports(unsigned int port)
{
	static const char msg[16] = "xenstable: rep!!";
	char back[16], rev[16];
	unsigned int i;

	rep_outsb((unsigned short)port, msg, sizeof(msg));
	memset(back, 0, sizeof(back));
	rep_insb((unsigned short)port, back, sizeof(back));
	check(memcmp(back, msg, sizeof(msg)) == 0, "rep outsb/insb through the FIFO port",
	      (unsigned long long)(unsigned char)back[0] << 8 | (unsigned char)back[15]);
	for (i = 0; i < sizeof(rev); i++)
		rev[i] = msg[sizeof(msg) - 1 - i];
	rep_outsb_down((unsigned short)port, msg + sizeof(msg) - 1, sizeof(msg));
	memset(back, 0, sizeof(back));
	rep_insb((unsigned short)port, back, sizeof(back));
	check(memcmp(back, rev, sizeof(rev)) == 0, "rep outsb with DF set (reversed)",
	      (unsigned long long)(unsigned char)back[0] << 8 | (unsigned char)back[15]);
}

int main(int argc, char **argv)
{
	unsigned long mmio = argc > 1 ? strtoul(argv[1], NULL, 0) : 0xfeb00000ul;
	unsigned int port = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 0x5a0;
	volatile uint32_t *r32;
	volatile uint64_t *r64;
	void *p;
	int fd;

	if (iopl(3) == 0) {
		outl(0x12345678, port);
		check(inl(port) == 0x12345679, "port echo (outl/inl)", inl(port));
		check(inb(port + 1) == 'X' && inb(port + 2) == 'S' && inb(port + 3) == 'M',
		      "ports 1-3 read \"XSM\"",
		      (unsigned long long)inb(port + 1) << 16 | inb(port + 2) << 8 |
			      inb(port + 3));
		check_rep_ports(port);
	} else {
		check(0, "iopl(3)", 0);
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	p = fd < 0 ? MAP_FAILED
		   : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)mmio);
	if (p == MAP_FAILED) {
		check(0, "mmap of the MMIO page through /dev/mem", (unsigned long long)fd);
	} else {
		r32 = p;
		r64 = p;
		check(r32[0] == 0x584d4258, "MMIO MAGIC", r32[0]);
		check(r32[1] == 1, "MMIO VERSION", r32[1]);
		r64[1] = 0x1122334455667788ull;
		check(r64[1] == 0x1122334455667788ull, "MMIO SCRATCH (8 bytes)", r64[1]);
		check(r32[8] == 0, "MMIO COPY_SRC starts 0", r32[8]);
		{
			uint32_t words[16];
			unsigned int i, ok = 1;

			for (i = 0; i < 16; i++)
				words[i] = 0xa0b0c000u + i;
			rep_movsl(r32 + 0x40, words, 16); /* BUF at +0x100 */
			for (i = 0; i < 16; i++)
				ok &= r32[0x40 + i] == words[i];
			check(ok, "rep movsl into the MMIO buffer", r32[0x4f]);
		}
		munmap(p, 4096);
	}
	printf("XSMBOX SUMMARY passed=%u failed=%u\n", passed, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}
