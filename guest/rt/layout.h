/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_LAYOUT_H
#define GUEST_RT_LAYOUT_H

/*
 * Constants shared by the assembly and the C side of the runtime.  Plain
 * #defines only: this file is included from .S files too.
 */

#define RT_MAX_CPUS		16
#define RT_STACK_SIZE		16384

/* GDT selectors; the direct 64-bit entry contract uses the same numbers. */
#define SEL_CODE64		0x08
#define SEL_DATA		0x10
#define SEL_CODE32		0x18
#define GDT_ENTRIES		4

/* The AP trampoline is copied here; the SIPI vector is its page number. */
#define AP_TRAMPOLINE_ADDR	0x8000
#define AP_SIPI_VECTOR		(AP_TRAMPOLINE_ADDR >> 12)

#define MULTIBOOT_BOOT_MAGIC	0x2BADB002

#define CR0_PE			(1 << 0)
#define CR0_PG			(1 << 31)
#define CR4_PAE			(1 << 5)
#define MSR_EFER		0xC0000080
#define EFER_LME		(1 << 8)

#endif
