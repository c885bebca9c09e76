/* SPDX-License-Identifier: GPL-2.0 */
/*
 * micmem-test.elf: the smallest "card OS" for booting tests.
 *
 * micmem boots images in the historical "boot:elf" mode: the card's
 * bootstrap gets an ELF file and passes control to it; the image then
 * reports that it runs by setting bit 0 of SCRATCH2.  This image does
 * exactly that and halts.  On a card it would run in the bootstrap's
 * environment, where the SBOX registers sit at card physical address
 * 0x08_007D_0000 (SCRATCH2 at SBOX offset 0xAB28); the simulated card
 * checks that the file is an ELF64 image and plays the report itself.
 */
	.text
	.globl	_start
_start:
	movabs	$0x8007DAB28, %rax	/* SBOX SCRATCH2, card physical */
	lock orl $1, (%rax)		/* "image is up" */
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
