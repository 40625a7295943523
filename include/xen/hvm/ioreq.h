/* SPDX-License-Identifier: MIT */
/*
 * xen/hvm/ioreq.h - I/O requests passed from Xen to an ioreq server.
 *
 * Clean-room rendering of Xen's public ABI (4.17 interface).
 *
 * Synchronous requests: each vCPU has one struct ioreq slot, at index
 * vcpu_id in the server's ioreq page(s). Xen fills the slot, sets it
 * STATE_IOREQ_READY and signals vp_eport; the emulator moves it to
 * STATE_IOREQ_INPROCESS, does the access (writing data for reads), then,
 * after a write barrier, sets STATE_IORESP_READY and signals vp_eport back.
 *
 * Buffered requests: simple writes that need no reply may instead be
 * queued in the buffered_iopage ring, announced on the server's bufioreq
 * event channel.
 */
#ifndef _IOREQ_H_
#define _IOREQ_H_

#include <stdint.h>

/* __extension__ silences pedantic warnings on GNU compilers only. */
#if !defined(__GNUC__) && !defined(__extension__)
#define __extension__
#endif

#define IOREQ_READ  1
#define IOREQ_WRITE 0

/* Life cycle of a synchronous slot (ioreq.state). */
#define STATE_IOREQ_NONE      0 /* free */
#define STATE_IOREQ_READY     1 /* posted by Xen */
#define STATE_IOREQ_INPROCESS 2 /* taken by the emulator */
#define STATE_IORESP_READY    3 /* completed by the emulator */

/* Kinds of request (ioreq.type, buf_ioreq.type). */
#define IOREQ_TYPE_PIO	      0 /* I/O port access */
#define IOREQ_TYPE_COPY	      1 /* MMIO access */
#define IOREQ_TYPE_PCI_CONFIG 2 /* PCI config space access */
#define IOREQ_TYPE_TIMEOFFSET 7 /* the guest changed its RTC offset */
#define IOREQ_TYPE_INVALIDATE 8 /* drop all cached guest mappings */

/*
 * One synchronous request (32 bytes).
 *
 * For IOREQ_TYPE_PCI_CONFIG, addr holds the segment in bits 63-48, the bus
 * in 47-40, the device in 39-35, the function in 34-32 and the register
 * offset in 31-0.
 */
struct ioreq {
	uint64_t addr;	   /* physical address, port or PCI location */
	uint64_t data;	   /* the data, or its guest address if data_is_ptr */
	uint32_t count;	   /* repeat count (REP prefixes) */
	uint32_t size;	   /* bytes per access */
	uint32_t vp_eport; /* per-vCPU event channel, both directions */
	uint16_t _pad0;
	__extension__ uint8_t state : 4;       /* STATE_* */
	__extension__ uint8_t data_is_ptr : 1; /* data is a guest address */
	__extension__ uint8_t dir : 1;	       /* IOREQ_READ or IOREQ_WRITE */
	__extension__ uint8_t df : 1;	       /* direction flag for REPs */
	__extension__ uint8_t _pad1 : 1;
	uint8_t type; /* IOREQ_TYPE_* */
};
typedef struct ioreq ioreq_t;

/* A page of synchronous requests, indexed by vCPU id. */
struct shared_iopage {
	struct ioreq vcpu_ioreq[1];
};
typedef struct shared_iopage shared_iopage_t;

/*
 * One buffered request (8 bytes). Only writes of 1, 2, 4 or 8 bytes below
 * 1 MiB are buffered; an 8-byte write takes two consecutive slots, the
 * second carrying the upper 32 bits in data.
 */
struct buf_ioreq {
	uint8_t type; /* IOREQ_TYPE_* */
	__extension__ uint8_t pad : 1;
	__extension__ uint8_t dir : 1;	  /* IOREQ_READ or IOREQ_WRITE */
	__extension__ uint8_t size : 2;	  /* log2 of the access size */
	__extension__ uint32_t addr : 20; /* physical address or port */
	uint32_t data;
};
typedef struct buf_ioreq buf_ioreq_t;

#define IOREQ_BUFFER_SLOT_NUM 511 /* slots in a 4 KiB buffered ring page */

/*
 * The buffered ring page. Xen advances write_pointer, the emulator
 * read_pointer; slot i of the ring is buf_ioreq[i % IOREQ_BUFFER_SLOT_NUM].
 * With HVM_IOREQSRV_BUFIOREQ_ATOMIC the two pointers must be read together
 * as one 64-bit value.
 */
struct buffered_iopage {
	uint32_t read_pointer;
	uint32_t write_pointer;
	buf_ioreq_t buf_ioreq[IOREQ_BUFFER_SLOT_NUM];
};
typedef struct buffered_iopage buffered_iopage_t;

/*
 * I/O ports of the emulated ACPI PM1a event/control blocks, PM timer and
 * GPE0 block. Version 0 is Xen's original (and default) placement,
 * version 1 the one modern QEMU uses; HVM_PARAM_ACPI_IOPORTS_LOCATION
 * selects between them.
 */
#define ACPI_PM1A_EVT_BLK_ADDRESS_V0 0x1f40
#define ACPI_PM1A_CNT_BLK_ADDRESS_V0 (ACPI_PM1A_EVT_BLK_ADDRESS_V0 + 0x04)
#define ACPI_PM_TMR_BLK_ADDRESS_V0   (ACPI_PM1A_EVT_BLK_ADDRESS_V0 + 0x08)
#define ACPI_GPE0_BLK_ADDRESS_V0     (ACPI_PM_TMR_BLK_ADDRESS_V0 + 0x20)
#define ACPI_GPE0_BLK_LEN_V0	     0x08

#define ACPI_PM1A_EVT_BLK_ADDRESS_V1 0xb000
#define ACPI_PM1A_CNT_BLK_ADDRESS_V1 (ACPI_PM1A_EVT_BLK_ADDRESS_V1 + 0x04)
#define ACPI_PM_TMR_BLK_ADDRESS_V1   (ACPI_PM1A_EVT_BLK_ADDRESS_V1 + 0x08)
#define ACPI_GPE0_BLK_ADDRESS_V1     0xafe0
#define ACPI_GPE0_BLK_LEN_V1	     0x04

/* The default (version 0) placement under unversioned names. */
#define ACPI_PM1A_EVT_BLK_ADDRESS ACPI_PM1A_EVT_BLK_ADDRESS_V0
#define ACPI_PM1A_CNT_BLK_ADDRESS ACPI_PM1A_CNT_BLK_ADDRESS_V0
#define ACPI_PM_TMR_BLK_ADDRESS	  ACPI_PM_TMR_BLK_ADDRESS_V0
#define ACPI_GPE0_BLK_ADDRESS	  ACPI_GPE0_BLK_ADDRESS_V0
#define ACPI_GPE0_BLK_LEN	  ACPI_GPE0_BLK_LEN_V0

#endif /* _IOREQ_H_ */
