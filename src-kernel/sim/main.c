// SPDX-License-Identifier: GPL-2.0
/*
 * micmem_sim module entry: debugfs root and the configfs subsystem.
 * Cards are created in configfs; see sim.h for the architecture.
 */
#include <linux/module.h>

#include "sim.h"

static int __init sim_init(void)
{
	int ret;

	ret = sim_debugfs_init();
	if (ret)
		return ret;
	ret = sim_configfs_init();
	if (ret)
		goto err_debugfs;
	return 0;

err_debugfs:
	sim_debugfs_exit();
	return ret;
}

/* Every card directory holds a module reference: none is left here. */
static void __exit sim_exit(void)
{
	sim_configfs_exit();
	sim_debugfs_exit();
}

module_init(sim_init);
module_exit(sim_exit);

MODULE_DESCRIPTION("Register-level model of an Intel Xeon Phi x100 card");
MODULE_AUTHOR("The micmem developers");
MODULE_LICENSE("GPL");
MODULE_SOFTDEP("pre: micmem");
