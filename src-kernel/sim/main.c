// SPDX-License-Identifier: GPL-2.0
/* Placeholder; the simulated card is being written. */
#include <linux/module.h>

MODULE_DESCRIPTION("Register-level model of an Intel Xeon Phi x100 card");
MODULE_LICENSE("GPL");
