/* SPDX-License-Identifier: GPL-2.0 */
/*
 * storm_util.h - memory baseline for the storm, fuzz and soak tests
 * (storms.c, fuzz.c, soak.c), on top of dma_util.h.
 *
 * Memory is judged by the pages in use, pgalloc - pgfree from
 * /proc/vmstat (vm_used_pages()), after dropping the page cache: freed
 * 2 MiB chunks that sit on the per-CPU free lists count as free there,
 * which MemFree does not see.  MemFree plus those lists (free_kb()) is
 * printed as well.  Card memory the sim backs on first touch (knob
 * mem_pages of card0 and card1) is not counted.  A leaked pool chunk is 512 pages; the tolerance is
 * below that, for slab and page tables the kernel keeps cached.
 *
 * On a KASAN kernel (the debug lane) freed slab objects wait in KASAN's
 * quarantine, up to 1/32 of RAM, before their slabs can return pages:
 * writing 1 to /sys/kernel/slab/<cache>/shrink runs kmem_cache_shrink(),
 * which first frees the cache's quarantined objects
 * (kasan_cache_shrink() -> kasan_quarantine_remove_cache()) and then
 * its empty slabs, so the count sees the same memory as on a stock kernel.
 */
#ifndef MICMEM_TESTS_STORM_UTIL_H
#define MICMEM_TESTS_STORM_UTIL_H

#include <dirent.h>

#include "tap.h"
#include "dma_util.h"

#define STORM_MEM_TOLERANCE_PAGES	384

/* pgfree also counts the boot's release of memory: only differences count */
struct mem_base {
	long long used;		/* pages, pgalloc - pgfree */
	long long sim_pages;	/* card memory the sim backs (card0, card1) */
	long long free_kb;	/* MemFree + per-CPU lists */
};

/*
 * Shrink every slab cache, which under KASAN empties the quarantine (see
 * the top of this file).  The cache directories only: the other entries
 * of /sys/kernel/slab are symlinks to merged caches.  Returns the number
 * of caches shrunk.
 */
static inline int mem_drain_kasan_quarantine(void)
{
	DIR *d = opendir("/sys/kernel/slab");
	struct dirent *e;
	char path[320];
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 e->d_name);
		if (!micsim_write(path, "1"))
			n++;
	}
	closedir(d);
	return n;
}

static inline void mem_settle(void)
{
	static int told;
	int i, n;

	/* freed chunks go back from deferred work; slab caches shrink */
	for (i = 0; i < 3; i++) {
		sync();
		micsim_write("/proc/sys/vm/drop_caches", "3");
		usleep(100000);
	}
	if (kernel_has_kasan()) {
		n = mem_drain_kasan_quarantine();
		if (!told++)
			printf("# KASAN kernel: quarantine drained through %d slab caches before every memory count\n",
			       n);
	}
}

static inline void mem_base_take(struct mem_base *b)
{
	long long v;
	int i;

	mem_settle();
	b->used = vm_used_pages();
	b->free_kb = free_kb();
	b->sim_pages = 0;
	for (i = 0; i < 2; i++) {
		v = micsim_knob_get(i ? "card1" : "card0", "mem_pages");
		if (v > 0)
			b->sim_pages += v;
	}
}

/* Print the difference to @b as a TAP comment; fail above the tolerance. */
static inline void mem_check(const char *what, const struct mem_base *b)
{
	struct mem_base now;
	int i;

	/* pools of killed processes are freed by work items: let them run */
	for (i = 0; i < 10; i++) {
		mem_base_take(&now);
		if (now.used - now.sim_pages - b->used + b->sim_pages <=
		    STORM_MEM_TOLERANCE_PAGES)
			break;
	}
	printf("# %s: memory in use %+lld pages (pgalloc-pgfree) of which %+lld sim card memory, free incl. per-CPU lists %+lld KiB\n",
	       what, now.used - b->used, now.sim_pages - b->sim_pages,
	       now.free_kb - b->free_kb);
	EXPECT_LE(now.used - now.sim_pages - b->used + b->sim_pages,
		  STORM_MEM_TOLERANCE_PAGES);
}

/* xorshift64: a fixed-seed generator the tests and --soak share */
static inline uint64_t storm_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#endif /* MICMEM_TESTS_STORM_UTIL_H */
