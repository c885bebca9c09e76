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
 * KASAN also records the stack of every allocation and free in the stack
 * depot, which keeps each distinct stack for good in pools of 4 pages
 * (lib/stackdepot.c, DEPOT_POOL_ORDER 2) that are never freed: the
 * pools the run added ("pools:" of /sys/kernel/debug/stackdepot/stats,
 * 6.8 and later) are the kernel's record of new call paths, not memory
 * anyone leaked, and are not counted either.
 */
#ifndef MICMEM_TESTS_STORM_UTIL_H
#define MICMEM_TESTS_STORM_UTIL_H

#include <dirent.h>

#include "tap.h"
#include "dma_util.h"

#define STORM_MEM_TOLERANCE_PAGES	384
/*
 * A KASAN kernel also grows memory that user space cannot see or count:
 * the shadow of vmalloc space (kernel stacks of forks among it) is
 * populated page by page and released only where a whole shadow page is
 * free again.  Measured on the debug lane's kernel with vm-fuzz run three
 * times in one VM: +230 to +280 pages per 20 s of fuzzing after the first
 * round, outside Slab, PageTables, KernelStack, VmallocUsed and the stack
 * depot; the stock 6.12 kernel, same runs: +46 pages (of which Slab
 * +150 KiB).  There the tolerance is larger; kmemleak's scan after every
 * debug-lane test is what finds leaked kernel objects, and the stock
 * lanes keep the tight tolerance that a leaked pool chunk (512 pages)
 * exceeds.
 */
#define STORM_MEM_TOLERANCE_KASAN_PAGES	1024

static inline long long mem_tolerance_pages(void)
{
	return kernel_has_kasan() ? STORM_MEM_TOLERANCE_KASAN_PAGES :
				    STORM_MEM_TOLERANCE_PAGES;
}

/* pgfree also counts the boot's release of memory: only differences count */
struct mem_base {
	long long used;		/* pages, pgalloc - pgfree */
	long long sim_pages;	/* card memory the sim backs (card0, card1) */
	long long free_kb;	/* MemFree + per-CPU lists */
	long long depot_pages;	/* stack depot pools (KASAN), 0 without */
	/* all of /proc/meminfo, for the report and to say where memory went */
	int n_info;
	char info_key[64][24];
	long long info_kb[64];
};

static inline void mem_info_take(struct mem_base *b)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[128], *colon;

	b->n_info = 0;
	if (!f)
		return;
	while (b->n_info < 64 && fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon || colon - line >= 24)
			continue;
		*colon = 0;
		strcpy(b->info_key[b->n_info], line);
		b->info_kb[b->n_info++] = strtoll(colon + 1, NULL, 10);
	}
	fclose(f);
}

/* Field @key of the /proc/meminfo taken in @b, in KiB; 0 if absent */
static inline long long mem_info_kb(const struct mem_base *b, const char *key)
{
	int i;

	for (i = 0; i < b->n_info; i++)
		if (!strcmp(b->info_key[i], key))
			return b->info_kb[i];
	return 0;
}

/* The /proc/meminfo fields that moved by 64 KiB or more since @b */
static inline void mem_info_print_moved(const struct mem_base *now,
					const struct mem_base *b)
{
	long long d;
	int i;

	printf("# meminfo fields moved by >= 64 KiB:");
	for (i = 0; i < now->n_info && i < b->n_info; i++) {
		d = now->info_kb[i] - b->info_kb[i];
		if (!strcmp(now->info_key[i], b->info_key[i]) &&
		    (d >= 64 || d <= -64))
			printf(" %s %+lld", now->info_key[i], d);
	}
	printf("\n");
}

#define STORM_DEPOT_POOL_PAGES	4

/* Pages in the stack depot's pools; 0 when the kernel has no stats. */
static inline long long mem_depot_pages(void)
{
	FILE *f = fopen("/sys/kernel/debug/stackdepot/stats", "re");
	long long pools = 0;
	char line[128];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "pools:", 6))
			pools = strtoll(line + 6, NULL, 10);
	fclose(f);
	return pools * STORM_DEPOT_POOL_PAGES;
}

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
	b->depot_pages = mem_depot_pages();
	mem_info_take(b);
	b->sim_pages = 0;
	for (i = 0; i < 2; i++) {
		v = micsim_knob_get(i ? "card1" : "card0", "mem_pages");
		if (v > 0)
			b->sim_pages += v;
	}
}

/* Pages in use since @b that neither the sim nor the stack depot holds */
static inline long long mem_grown(const struct mem_base *now,
				  const struct mem_base *b)
{
	return now->used - b->used - (now->sim_pages - b->sim_pages) -
	       (now->depot_pages - b->depot_pages);
}

/* Print the difference to @b as a TAP comment; fail above the tolerance. */
static inline void mem_check(const char *what, const struct mem_base *b)
{
	long long tolerance = mem_tolerance_pages(), grown;
	struct mem_base now;
	int i;

	/* pools of killed processes are freed by work items: let them run */
	for (i = 0; i < 10; i++) {
		mem_base_take(&now);
		grown = mem_grown(&now, b);
		if (grown <= tolerance)
			break;
	}
	printf("# %s: memory in use %+lld pages (pgalloc-pgfree) of which %+lld sim card memory and %+lld stack depot, free incl. per-CPU lists %+lld KiB; Slab %+lld KiB, PageTables %+lld KiB; tolerance %lld\n",
	       what, now.used - b->used, now.sim_pages - b->sim_pages,
	       now.depot_pages - b->depot_pages, now.free_kb - b->free_kb,
	       mem_info_kb(&now, "Slab") - mem_info_kb(b, "Slab"),
	       mem_info_kb(&now, "PageTables") - mem_info_kb(b, "PageTables"),
	       tolerance);
	if (grown > tolerance)
		mem_info_print_moved(&now, b);
	EXPECT_LE(grown, tolerance);
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
