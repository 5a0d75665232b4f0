/*
 * LD_PRELOAD stub of the libseccomp calls common/sandbox.c makes, for
 * measuring capd under valgrind only: valgrind does not implement the
 * seccomp(2) system call, so capd's sandbox_apply() would fail at
 * seccomp_init and --read would stop before the first record. With this
 * stub the sandbox is not applied: never use it outside a measurement.
 * Build and use: see bench/callgrind.sh.
 */
#include <stdint.h>
#include <seccomp.h>

static int fake_ctx;

scmp_filter_ctx seccomp_init(uint32_t def_action)
{
	(void)def_action;
	return &fake_ctx;
}

int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value)
{
	(void)ctx;
	(void)attr;
	(void)value;
	return 0;
}

int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt, ...)
{
	(void)ctx;
	(void)action;
	(void)syscall;
	(void)arg_cnt;
	return 0;
}

int seccomp_load(const scmp_filter_ctx ctx)
{
	(void)ctx;
	return 0;
}

void seccomp_release(scmp_filter_ctx ctx)
{
	(void)ctx;
}
