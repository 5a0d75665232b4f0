#include "log.h"

#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Process-wide by nature: stderr is one stream per process. */
static const char *log_prog = "netmon";
static enum log_level log_threshold = LOG_LVL_INFO;
static int log_journal;

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

__attribute__((format(printf, 3, 0)))
static void vlog(enum log_level lvl, int errnum, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024], prio[4] = "";

	if (lvl > log_threshold)
		return;
	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* messages quote user input (arguments, config values, peers' bytes): a
	 * newline or escape sequence in it must not forge a second log line or
	 * drive a terminal */
	text_quote_safe(msg, sizeof(msg), raw, sizeof(raw));
	if (log_journal)
		snprintf(prio, sizeof(prio), "<%d>", (int)lvl);
	/* one fprintf per line so concurrent writers do not interleave mid-line */
	if (errnum)
		fprintf(stderr, "%s%s: %s: %s\n", prio, log_prog, msg, strerror(errnum));
	else
		fprintf(stderr, "%s%s: %s\n", prio, log_prog, msg);
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
