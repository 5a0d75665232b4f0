/*
 * Time: CLOCK_MONOTONIC for periods and rates, the wall clock only for
 * timestamps. The scheduler fires at fixed instants start + k*period, so
 * work done inside a cycle never makes the schedule drift; when a process
 * falls behind by more than a period, missed ticks are skipped and counted.
 */
#ifndef NETMON_SCHED_H
#define NETMON_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL

uint64_t mono_ns(void);
uint64_t realtime_ns(void);

/* "2026-11-25T03:18:04.123Z" (UTC, milliseconds); buf needs 32 bytes. */
char *iso8601_ms(uint64_t realtime_ns, char *buf, unsigned long n);

struct sched {
	uint64_t period_ns;
	uint64_t next_ns;     /* monotonic instant of the next tick */
	uint64_t ticks;       /* ticks fired */
	uint64_t missed;      /* ticks skipped because we were late */
};

void sched_init(struct sched *s, uint64_t period_ns, uint64_t now_ns);
/* Milliseconds until the next tick, rounded up, for poll(); 0 when due. */
int sched_timeout_ms(const struct sched *s, uint64_t now_ns);
/* True (and advances) when the next tick is due at `now_ns`. */
bool sched_due(struct sched *s, uint64_t now_ns);

#endif
