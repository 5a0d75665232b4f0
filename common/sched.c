#include "sched.h"

#include <stdio.h>
#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

char *iso8601_ms(uint64_t ns, char *buf, unsigned long n)
{
	time_t secs = (time_t)(ns / NSEC_PER_SEC);
	unsigned ms = (unsigned)(ns % NSEC_PER_SEC / NSEC_PER_MSEC);
	struct tm tm;

	if (!gmtime_r(&secs, &tm)) {
		snprintf(buf, n, "1970-01-01T00:00:00.000Z");
		return buf;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	return buf;
}

void sched_init(struct sched *s, uint64_t period_ns, uint64_t now_ns)
{
	s->period_ns = period_ns ? period_ns : NSEC_PER_SEC;
	s->next_ns = now_ns + s->period_ns;
	s->ticks = 0;
	s->missed = 0;
}

int sched_timeout_ms(const struct sched *s, uint64_t now_ns)
{
	if (now_ns >= s->next_ns)
		return 0;
	uint64_t ms = (s->next_ns - now_ns + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
	return ms > 3600000 ? 3600000 : (int)ms;
}

bool sched_due(struct sched *s, uint64_t now_ns)
{
	if (now_ns < s->next_ns)
		return false;
	s->ticks++;
	s->next_ns += s->period_ns;
	if (now_ns >= s->next_ns) {
		/* late by whole periods: skip them rather than firing a burst */
		uint64_t behind = (now_ns - s->next_ns) / s->period_ns + 1;
		s->missed += behind;
		s->next_ns += behind * s->period_ns;
	}
	return true;
}
