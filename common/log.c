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
 * when their text is the same once every run of digits is taken as one
 * digit (pids, uids, counts and entry numbers differ, the event does not);
 * each kind may print `burst` lines per window, the rest are counted and one
 * line reports how many were suppressed when its window ends (on the next
 * log call or log_flush()). Errors that end the process are never suppressed.
 */
#define LOG_RATE_SLOTS 32
struct log_rate {
	uint64_t kind;                 /* hash of the text, digits folded; 0 = free slot */
	enum log_level lvl;
	uint64_t window_start_ns;
	unsigned printed;
	unsigned long suppressed;
	char first_suppressed[128];    /* quoted already */
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
	char msg[256];
	if (r->suppressed == 0)
		return;
	snprintf(msg, sizeof(msg), "%lu similar messages suppressed (the first: \"%s\")",
		 r->suppressed, r->first_suppressed);
	emit(r->lvl, msg, 0);
	r->suppressed = 0;
}

void log_flush(void)
{
	uint64_t now = log_now_ns();
	for (int i = 0; i < LOG_RATE_SLOTS; i++) {
		struct log_rate *r = &log_rates[i];
		if (r->kind && now - r->window_start_ns >= log_window_ns) {
			report_suppressed(r);
			r->kind = 0;
		}
	}
}

/* FNV-1a of the text with each run of digits folded to one '0'. */
static uint64_t message_kind(const char *text)
{
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		unsigned char ch = *p;
		if (ch >= '0' && ch <= '9') {
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			ch = '0';
		}
		h = (h ^ ch) * 1099511628211ULL;
	}
	return h ? h : 1;
}

/* Whether this message (its text: `quoted`) may print now; counts it when not. */
static int rate_allows(enum log_level lvl, const char *quoted)
{
	if (log_burst == 0 || lvl == LOG_LVL_ERR)
		return 1;
	uint64_t kind = message_kind(quoted);
	log_flush();
	struct log_rate *r = NULL, *oldest = NULL;
	for (int i = 0; i < LOG_RATE_SLOTS && !r; i++) {
		struct log_rate *s = &log_rates[i];
		if (s->kind == kind)
			r = s;
		else if (!oldest || (oldest->kind && (!s->kind || s->window_start_ns < oldest->window_start_ns)))
			oldest = s;
	}
	if (!r) {
		/* more kinds of messages than slots in one window: reuse the oldest */
		r = oldest;
		if (r->kind)
			report_suppressed(r);
		*r = (struct log_rate){ .kind = kind, .lvl = lvl, .window_start_ns = log_now_ns() };
	}
	if (r->printed < log_burst) {
		r->printed++;
		return 1;
	}
	if (r->suppressed++ == 0)
		snprintf(r->first_suppressed, sizeof(r->first_suppressed), "%.100s%s", quoted,
			 strlen(quoted) > 100 ? "..." : "");
	return 0;
}

__attribute__((format(printf, 3, 0)))
static void vlog(enum log_level lvl, int errnum, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024];

	if (lvl > log_threshold)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* messages quote user input (arguments, config values, peers' bytes): a
	 * newline or escape sequence in it must not forge a second log line or
	 * drive a terminal */
	text_quote_safe(msg, sizeof(msg), raw, sizeof(raw));
	if (!rate_allows(lvl, msg))
		return;
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
