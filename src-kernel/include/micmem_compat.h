/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces that differ between the kernels micmem builds
 * against: Linux 6.1 LTS and 6.12 LTS (doc/design.md, "Kernels").  Every
 * kernel version test of the modules is in this file; the code calls the
 * helpers below instead of the interface that moved.  Each helper names
 * the release that changed the interface, so a helper can go when the
 * oldest supported kernel is past it.
 */
#ifndef _MICMEM_COMPAT_H
#define _MICMEM_COMPAT_H

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/version.h>

/* Whether the headers are of Linux @major.@minor or later. */
#define MICMEM_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION(major, minor, 0) <= LINUX_VERSION_CODE)

/* 6.4 dropped class_create()'s owner argument. */
static inline struct class *micmem_class_create(const char *name)
{
#if MICMEM_KERNEL_AT_LEAST(6, 4)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}

/* 6.8 renamed PCI_IRQ_LEGACY to PCI_IRQ_INTX (and 6.10 removed the old name). */
#ifndef PCI_IRQ_INTX
#define PCI_IRQ_INTX	PCI_IRQ_LEGACY
#endif

/*
 * 6.3 made vma->vm_flags read-only: flags change through vm_flags_set(),
 * which also takes the VMA's write lock where VMAs have one.
 */
static inline void micmem_vm_flags_set(struct vm_area_struct *vma,
				       vm_flags_t flags)
{
#if MICMEM_KERNEL_AT_LEAST(6, 3)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * 6.10 replaced the mm's get_unmapped_area method by
 * mm_get_unmapped_area(): the placement a file without its own would get.
 */
static inline unsigned long
micmem_mm_get_unmapped_area(struct file *file, unsigned long addr,
			    unsigned long len, unsigned long pgoff,
			    unsigned long flags)
{
#if MICMEM_KERNEL_AT_LEAST(6, 10)
	return mm_get_unmapped_area(current->mm, file, addr, len, pgoff, flags);
#else
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
#endif
}

#endif /* _MICMEM_COMPAT_H */
