/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - micmem's small TAP 13 test harness.
 *
 *   #include "tap.h"
 *
 *   TEST(query_reports_version)
 *   {
 *           int fd = open("/dev/mic/ctrl", O_RDWR);
 *
 *           ASSERT_OK(fd);
 *           EXPECT_EQ(q.api_version, MICMEM_API_VERSION);
 *   }
 *
 *   TEST_TIMEOUT(slow_case, 120) { ... }
 *
 *   TEST_MAIN()
 *
 * Every case runs in its own forked child, in its own process group, so a
 * crash, a failed ASSERT or a hang only ends that case.  Everything the
 * child writes to stdout or stderr is relayed with a "# " prefix, so it can
 * never be mistaken for a TAP result line.  Cases run in source order.
 *
 * ASSERT_* end the case on failure, EXPECT_* record the failure and go on.
 * Integer comparisons compare the values, whatever the types: each side
 * keeps its own signedness (a negative value is below every unsigned one,
 * (uint64_t)1 << 63 is above 1) and is printed as what it is, unsigned
 * values as unsigned (pointers work too on 64-bit).  _ERRNO(expr, E) wants
 * expr == -1 with errno == E; _OK(expr) wants expr >= 0.  Failures in
 * processes the case forks itself are not seen by the harness: report them
 * through the exit status.
 *
 * Teardown.  A case that changes state outside itself (a module parameter,
 * a sysfs, debugfs or configfs file, a simulated card) registers how to undo
 * it, just before the change:
 *
 *   tap_defer_restore_file(PARAM_DIR "max_tickets");   // value now
 *   ASSERT_OK(param_set("max_tickets", "3"));
 *
 * The registered actions run in reverse order of registration (LIFO) when
 * the case ends, whichever way it ends: return, failed ASSERT, SKIP,
 * exit(), and also a crash, a kill or a timeout.  The first ones run in
 * the case's own process, in the case's output; when that process died
 * before it could run them, the runner (the parent) runs what is left
 * after the case's whole process group is gone, so they are data, not
 * code:
 *
 *   tap_defer_restore_file(path)  reads @path now (trailing newline
 *                                 stripped) and writes that back at
 *                                 teardown; a path already registered in
 *                                 this case is not registered again, so
 *                                 the value restored is the one the case
 *                                 found first.
 *   tap_defer_write(path, value)  writes @value to @path at teardown.
 *   tap_defer_rmdir(path)         removes directory @path at teardown (a
 *                                 configfs item: micsim_defer_del()).
 *   tap_defer(fn, arg)            calls fn(arg) at teardown, in the case's
 *                                 process only: after a crash or timeout
 *                                 it is reported as not run.
 *
 * A write is one write() of the value (an empty value: one newline); a
 * plain file is truncated first, the attribute files of sysfs, debugfs,
 * configfs and procfs are not.  A file or directory that no longer exists
 * at teardown (ENOENT) is fine: the case removed it itself, e.g. the sim
 * card the knob belonged to.  Any other error of a teardown action fails
 * the case, even one that passed until then.  The registration
 * functions end the case (as an ASSERT) when they cannot register, e.g.
 * @path cannot be read; they may only be called from the case's own
 * process, not from a process it forked.  At most TAP_DEFER_MAX actions
 * per case; paths up to TAP_DEFER_PATH - 1 bytes, values up to
 * TAP_DEFER_VALUE - 1.
 *
 * Command line: "-t NAME" (repeatable) runs only the named cases, "-l" lists
 * them.  Exit status 0 iff no case failed.
 */
#ifndef MICMEM_TAP_H
#define MICMEM_TAP_H

#include <errno.h>
#include <string.h>

struct tap_case {
	const char *name;
	void (*fn)(void);
	const char *file;
	int line;
	unsigned int timeout;		/* seconds */
	struct tap_case *next;
};

void tap_register(struct tap_case *tc);
int tap_main(int argc, char **argv);

/* Teardown, see the top of this file. */
#define TAP_DEFER_MAX		1024
#define TAP_DEFER_PATH		192
#define TAP_DEFER_VALUE		128

void tap_defer(void (*fn)(void *arg), void *arg);
void tap_defer_write(const char *path, const char *value);
void tap_defer_restore_file(const char *path);
void tap_defer_rmdir(const char *path);

/* Internal helpers of the macros below. */
void tap_fail_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tap_abort_(void) __attribute__((noreturn));
void tap_skip_(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void tap_log_(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tap_cmp_(unsigned long long a, int a_signed, unsigned long long b,
	     int b_signed);
void tap_fail_cmp_(const char *file, int line, const char *sa,
		   const char *op, const char *sb, unsigned long long a,
		   int a_signed, unsigned long long b, int b_signed);

#define TAP_DEFAULT_TIMEOUT	60

#define TEST_TIMEOUT(name, seconds)					\
	static void tap_fn_##name(void);				\
	static struct tap_case tap_case_##name = {			\
		#name, tap_fn_##name, __FILE__, __LINE__, (seconds), 0	\
	};								\
	static void __attribute__((constructor)) tap_reg_##name(void)	\
	{								\
		tap_register(&tap_case_##name);				\
	}								\
	static void tap_fn_##name(void)

#define TEST(name)	TEST_TIMEOUT(name, TAP_DEFAULT_TIMEOUT)

#define TEST_MAIN()							\
	int main(int argc, char **argv)					\
	{								\
		return tap_main(argc, argv);				\
	}

#define SKIP(...)	tap_skip_(__VA_ARGS__)
#define TH_LOG(...)	tap_log_(__FILE__, __LINE__, __VA_ARGS__)

#define TAP_FAIL_(fatal, ...) do {					\
	tap_fail_(__FILE__, __LINE__, __VA_ARGS__);			\
	if (fatal)							\
		tap_abort_();						\
} while (0)

/*
 * Whether the type of @v is signed; @v is an rvalue of an arithmetic or
 * pointer type (pointers count as unsigned).
 */
#define TAP_SIGNED_(v)	((__typeof__(v))-1LL < (__typeof__(v))1)

/*
 * "+ 0" promotes small integers and decays arrays, so that the copies can
 * be declared with the operands' types.  Each value travels as its 64 bits
 * plus its signedness; tap_cmp_() orders them as numbers: <0, 0 or >0.
 */
#define TAP_CMP_(fatal, a, op, b, sa, sb) do {				\
	__typeof__((a) + 0) tap_a_ = (a);				\
	__typeof__((b) + 0) tap_b_ = (b);				\
	unsigned long long tap_au_ = (unsigned long long)tap_a_;	\
	unsigned long long tap_bu_ = (unsigned long long)tap_b_;	\
	int tap_as_ = TAP_SIGNED_(tap_a_), tap_bs_ = TAP_SIGNED_(tap_b_); \
									\
	if (!(tap_cmp_(tap_au_, tap_as_, tap_bu_, tap_bs_) op 0)) {	\
		tap_fail_cmp_(__FILE__, __LINE__, sa, #op, sb, tap_au_,	\
			      tap_as_, tap_bu_, tap_bs_);		\
		if (fatal)						\
			tap_abort_();					\
	}								\
} while (0)

#define TAP_BOOL_(fatal, x, want, sx) do {				\
	int tap_v_ = !!(x);						\
									\
	if (tap_v_ != (want))						\
		TAP_FAIL_(fatal, "expected %s to be %s", sx,		\
			  (want) ? "true" : "false");			\
} while (0)

#define TAP_STREQ_(fatal, a, b, sa, sb) do {				\
	const char *tap_a_ = (a), *tap_b_ = (b);			\
									\
	if (!tap_a_ || !tap_b_ || strcmp(tap_a_, tap_b_))		\
		TAP_FAIL_(fatal, "expected %s == %s, got \"%s\" vs \"%s\"", \
			  sa, sb, tap_a_ ? tap_a_ : "(null)",		\
			  tap_b_ ? tap_b_ : "(null)");			\
} while (0)

#define TAP_ERRNO_(fatal, expr, e, sexpr, se) do {			\
	int tap_want_ = (e), tap_e_;					\
	long long tap_r_;						\
									\
	errno = 0;							\
	tap_r_ = (long long)(expr);					\
	tap_e_ = errno;							\
	if (tap_r_ != -1 || tap_e_ != tap_want_)			\
		TAP_FAIL_(fatal, "expected %s to fail with %s (%s), got %lld, errno %d (%s)", \
			  sexpr, se, strerror(tap_want_), tap_r_, tap_e_, \
			  strerror(tap_e_));				\
} while (0)

#define TAP_OK_(fatal, expr, sexpr) do {				\
	long long tap_r_;						\
	int tap_e_;							\
									\
	errno = 0;							\
	tap_r_ = (long long)(expr);					\
	tap_e_ = errno;							\
	if (tap_r_ < 0)							\
		TAP_FAIL_(fatal, "%s failed: returned %lld, errno %d (%s)", \
			  sexpr, tap_r_, tap_e_, strerror(tap_e_));	\
} while (0)

#define ASSERT_EQ(a, b)		TAP_CMP_(1, a, ==, b, #a, #b)
#define ASSERT_NE(a, b)		TAP_CMP_(1, a, !=, b, #a, #b)
#define ASSERT_LT(a, b)		TAP_CMP_(1, a, <, b, #a, #b)
#define ASSERT_LE(a, b)		TAP_CMP_(1, a, <=, b, #a, #b)
#define ASSERT_GT(a, b)		TAP_CMP_(1, a, >, b, #a, #b)
#define ASSERT_GE(a, b)		TAP_CMP_(1, a, >=, b, #a, #b)
#define ASSERT_TRUE(x)		TAP_BOOL_(1, x, 1, #x)
#define ASSERT_FALSE(x)		TAP_BOOL_(1, x, 0, #x)
#define ASSERT_STREQ(a, b)	TAP_STREQ_(1, a, b, #a, #b)
#define ASSERT_ERRNO(expr, e)	TAP_ERRNO_(1, expr, e, #expr, #e)
#define ASSERT_OK(expr)		TAP_OK_(1, expr, #expr)

#define EXPECT_EQ(a, b)		TAP_CMP_(0, a, ==, b, #a, #b)
#define EXPECT_NE(a, b)		TAP_CMP_(0, a, !=, b, #a, #b)
#define EXPECT_LT(a, b)		TAP_CMP_(0, a, <, b, #a, #b)
#define EXPECT_LE(a, b)		TAP_CMP_(0, a, <=, b, #a, #b)
#define EXPECT_GT(a, b)		TAP_CMP_(0, a, >, b, #a, #b)
#define EXPECT_GE(a, b)		TAP_CMP_(0, a, >=, b, #a, #b)
#define EXPECT_TRUE(x)		TAP_BOOL_(0, x, 1, #x)
#define EXPECT_FALSE(x)		TAP_BOOL_(0, x, 0, #x)
#define EXPECT_STREQ(a, b)	TAP_STREQ_(0, a, b, #a, #b)
#define EXPECT_ERRNO(expr, e)	TAP_ERRNO_(0, expr, e, #expr, #e)
#define EXPECT_OK(expr)		TAP_OK_(0, expr, #expr)

#endif /* MICMEM_TAP_H */
