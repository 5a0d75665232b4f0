#include "log.h"

#include "text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Process-wide by nature: stderr is one stream per process. */
static const char *log_prog = "netmon";
static enum log_level log_threshold = LOG_LVL_INFO;
static int log_journal;

/*
 * Rate limit: a peer can make the same line happen as often as it likes (one
 * refused root peer once wrote 479,422 lines in 20 s). Messages are "similar"
 * when they come from the same format string; each may print `burst` lines
 * per window, the rest are counted and one line reports how many were
 * suppressed when its window ends (on the next log call or log_flush()).
 * Errors that end the process are never suppressed.
 */
#define LOG_RATE_SLOTS 32
struct log_rate {
	const char *fmt;               /* NULL = free */
	uint64_t text_hash;            /* for a bare "%s" format: which text */
	enum log_level lvl;
	uint64_t window_start_ns;
	unsigned printed;
	unsigned long suppressed;
};
static struct log_rate log_rates[LOG_RATE_SLOTS];
static unsigned log_burst = LOG_RATE_BURST;
static uint64_t log_window_ns = LOG_RATE_WINDOW_NS;

static uint64_t log_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void log_init(const char *progname)
{
	log_prog = progname;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

void log_set_level(enum log_level lvl)
{
	log_threshold = lvl;
}

int log_level_parse(const char *s)
{
	if (strcmp(s, "error") == 0)
		return LOG_LVL_ERR;
	if (strcmp(s, "warning") == 0)
		return LOG_LVL_WARNING;
	if (strcmp(s, "info") == 0)
		return LOG_LVL_INFO;
	if (strcmp(s, "debug") == 0)
		return LOG_LVL_DEBUG;
	return -1;
}

const char *log_level_name(enum log_level lvl)
{
	switch (lvl) {
	case LOG_LVL_ERR: return "error";
	case LOG_LVL_WARNING: return "warning";
	case LOG_LVL_INFO: return "info";
	case LOG_LVL_DEBUG: return "debug";
	}
	return "info";
}

void log_set_rate_limit(unsigned burst, uint64_t window_ns)
{
	log_burst = burst;
	log_window_ns = window_ns;
	memset(log_rates, 0, sizeof(log_rates));
}

static void emit(enum log_level lvl, const char *msg, int errnum)
{
	char prio[4] = "";
	if (log_journal)
		snprintf(prio, sizeof(prio), "<%d>", (int)lvl);
	/* one fprintf per line so concurrent writers do not interleave mid-line */
	if (errnum)
		fprintf(stderr, "%s%s: %s: %s\n", prio, log_prog, msg, strerror(errnum));
	else
		fprintf(stderr, "%s%s: %s\n", prio, log_prog, msg);
}

static void report_suppressed(struct log_rate *r)
{
	char what[256], msg[512];
	if (r->suppressed == 0)
		return;
	text_quote_safe(what, sizeof(what), r->fmt, 120);   /* the format, not a peer's text */
	snprintf(msg, sizeof(msg), "%lu similar messages suppressed (\"%s\")", r->suppressed, what);
	emit(r->lvl, msg, 0);
	r->suppressed = 0;
}

void log_flush(void)
{
	uint64_t now = log_now_ns();
	for (int i = 0; i < LOG_RATE_SLOTS; i++) {
		struct log_rate *r = &log_rates[i];
		if (r->fmt && now - r->window_start_ns >= log_window_ns) {
			report_suppressed(r);
			r->fmt = NULL;
		}
	}
}

/* Whether this message may print now; counts it when not. */
static int rate_allows(enum log_level lvl, const char *fmt, const char *text)
{
	if (log_burst == 0 || lvl == LOG_LVL_ERR)
		return 1;
	/* log_warnx("%s", err) says many different things through one format */
	uint64_t h = 0;
	if (strcmp(fmt, "%s") == 0) {
		h = 1469598103934665603ULL;
		for (const unsigned char *p = (const unsigned char *)text; *p; p++)
			h = (h ^ *p) * 1099511628211ULL;
	}
	log_flush();
	struct log_rate *r = NULL, *oldest = &log_rates[0];
	for (int i = 0; i < LOG_RATE_SLOTS && !r; i++) {
		if (log_rates[i].fmt == fmt && log_rates[i].text_hash == h)
			r = &log_rates[i];
		else if (log_rates[i].fmt == NULL || (oldest->fmt &&
			 log_rates[i].window_start_ns < oldest->window_start_ns))
			oldest = &log_rates[i];
	}
	if (!r) {
		/* more distinct messages than slots in one window: reuse the oldest */
		r = oldest;
		if (r->fmt)
			report_suppressed(r);
		*r = (struct log_rate){ .fmt = fmt, .text_hash = h, .lvl = lvl,
					.window_start_ns = log_now_ns() };
	}
	if (r->printed < log_burst) {
		r->printed++;
		return 1;
	}
	r->suppressed++;
	return 0;
}

__attribute__((format(printf, 3, 0)))
static void vlog(enum log_level lvl, int errnum, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024];

	if (lvl > log_threshold)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	if (!rate_allows(lvl, fmt, raw))
		return;
	/* messages quote user input (arguments, config values, peers' bytes): a
	 * newline or escape sequence in it must not forge a second log line or
	 * drive a terminal */
	text_quote_safe(msg, sizeof(msg), raw, sizeof(raw));
	emit(lvl, msg, errnum);
}

void log_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARNING, e, fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_WARNING, 0, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_INFO, 0, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, e, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_LVL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}
