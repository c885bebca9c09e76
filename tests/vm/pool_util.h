/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_util.h - small helpers shared by the pool VM tests (pool.c,
 * pool_mem.c) and, through dma_util.h, the DMA and card tests.  Each returns what the system call returned
 * (errno set), so the callers can assert exact errnos.
 */
#ifndef MICMEM_POOL_UTIL_H
#define MICMEM_POOL_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/micmem.h>

#define CTRL_PATH		"/dev/" MICMEM_CTRL_NODE
#define MIB		(1024ULL * 1024)
#define CHUNK		MICMEM_CHUNK_SIZE
#define PARAM_DIR	"/sys/module/micmem/parameters/"

static inline int ctrl_open(void)
{
	return open(CTRL_PATH, O_RDWR | O_CLOEXEC);
}

static inline int pool_create(int fd, uint64_t size)
{
	struct micmem_pool_create pc;

	memset(&pc, 0, sizeof(pc));
	pc.size = size;
	return ioctl(fd, MICMEM_IOC_POOL_CREATE, &pc);
}

static inline int pool_info(int fd, struct micmem_pool_info *pi)
{
	/* Garbage in: the driver must fill every field, reserved included. */
	memset(pi, 0xa5, sizeof(*pi));
	return ioctl(fd, MICMEM_IOC_POOL_INFO, pi);
}

/* A fresh fd with a pool of @size, or -1. */
static inline int pool_open(uint64_t size)
{
	int fd = ctrl_open();

	if (fd < 0)
		return -1;
	if (pool_create(fd, size) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static inline void *pool_map(int fd, uint64_t size, off_t off)
{
	return mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

static inline long minor_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return ru.ru_minflt;
}

/*
 * The text after "@key:" in the block of the mapping starting at @addr in
 * /proc/self/smaps, into @out; 0, or -1 if there is no such line.
 */
static inline int smaps_field(const void *addr, const char *key, char *out,
			      size_t len)
{
	unsigned long start, end;
	size_t klen = strlen(key);
	char line[512];
	int in = 0, ret = -1;
	FILE *f = fopen("/proc/self/smaps", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == (uintptr_t)addr;
		} else if (in && !strncmp(line, key, klen) &&
			   line[klen] == ':') {
			snprintf(out, len, "%s", line + klen + 1);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * "@key: N kB" of the mapping starting at @addr in /proc/self/smaps, in
 * KiB; -1 if not found.  ShmemPmdMapped is what the kernel mapped with
 * PMDs (pool memory is tmpfs memory to the kernel).
 */
static inline long long smaps_kb(const void *addr, const char *key)
{
	char v[512];

	return smaps_field(addr, key, v, sizeof(v)) ? -1 : strtoll(v, NULL, 10);
}

/*
 * The kernel was built with KASAN (the debug lane): its instrumentation
 * is in kallsyms.
 */
static inline int kernel_has_kasan(void)
{
	static int known = -1;
	char line[256];
	FILE *f;

	if (known >= 0)
		return known;
	known = 0;
	f = fopen("/proc/kallsyms", "re");
	while (f && !known && fgets(line, sizeof(line), f))
		known = !!strstr(line, " __asan_load8\n");
	if (f)
		fclose(f);
	return known;
}

/* Integer from a sysfs/procfs file; -1 on error. */
static inline long long read_ll(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (buf[0] == 'Y')
		return 1;
	if (buf[0] == 'N')
		return 0;
	return strtoll(buf, NULL, 0);
}

static inline int write_str(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* 64-bit words of @p that are not zero (@len a multiple of 8). */
static inline uint64_t nonzero(const unsigned char *p, uint64_t len)
{
	const uint64_t *w = (const uint64_t *)p;
	uint64_t i, n = 0;

	for (i = 0; i < len / 8; i++)
		if (w[i])
			n++;
	return n;
}

/* "key:\tvalue" from /proc/self/fdinfo/<fd>; -1 if absent. */
static inline long long fdinfo_ll(int fd, const char *key)
{
	char path[64], line[256];
	long long v = -1;
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 0);
			break;
		}
	}
	fclose(f);
	return v;
}

/* A field of /proc/meminfo in KiB; -1 if absent. */
static inline long long meminfo_kb(const char *key)
{
	char line[256];
	long long v = -1;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			v = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/*
 * Free memory in KiB: MemFree plus the pages parked on the per-CPU free
 * lists ("count:" of each pageset in /proc/zoneinfo), which MemFree does
 * not count and which depend on which CPU freed what.  -1 on error.
 */
static inline long long free_kb(void)
{
	long long pcp = 0, free = meminfo_kb("MemFree");
	char line[256], *s;
	FILE *f = fopen("/proc/zoneinfo", "re");

	if (!f || free < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		s = line + strspn(line, " ");
		if (!strncmp(s, "count:", 6))
			pcp += strtoll(s + 6, NULL, 10);
	}
	fclose(f);
	return free + pcp * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * Pages in use: the sum of /proc/vmstat's pgalloc_* minus pgfree.  Pages
 * on the per-CPU free lists count as free here (they were counted in
 * pgfree when they went there), unlike in MemFree.  -1 on error.
 */
static inline long long vm_used_pages(void)
{
	long long alloc = 0, freed = -1;
	char key[64];
	long long v;
	FILE *f = fopen("/proc/vmstat", "re");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strncmp(key, "pgalloc_", 8))
			alloc += v;
		else if (!strcmp(key, "pgfree"))
			freed = v;
	}
	fclose(f);
	return freed < 0 ? -1 : alloc - freed;
}

/*
 * Drop capability @cap (effective, permitted, inheritable) for good, e.g.
 * CAP_IPC_LOCK so that the pools of this process count against
 * RLIMIT_MEMLOCK.  0 or -1 with errno.
 */
static inline int drop_cap(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	int i = CAP_TO_INDEX(cap);
	unsigned int m = CAP_TO_MASK(cap);

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[i].effective &= ~m;
	d[i].permitted &= ~m;
	d[i].inheritable &= ~m;
	return syscall(SYS_capset, &h, d);
}

#endif /* MICMEM_POOL_UTIL_H */
