/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host build of pure kernel code (tests/unit): the kernel's integer types
 * and byte-order helpers on top of the UAPI <linux/types.h>.  Only for
 * little-endian hosts, like every x100 host.
 */
#ifndef MICMEM_KSHIM_TYPES_H
#define MICMEM_KSHIM_TYPES_H

#include_next <linux/types.h>
#include <stdbool.h>
#include <asm/byteorder.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#define cpu_to_le64(x)	__cpu_to_le64(x)
#define le64_to_cpu(x)	__le64_to_cpu(x)
#define cpu_to_le32(x)	__cpu_to_le32(x)
#define le32_to_cpu(x)	__le32_to_cpu(x)

#endif /* MICMEM_KSHIM_TYPES_H */
