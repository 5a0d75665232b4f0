/*
 * Logging to stderr, one line per message, "netmon-ROLE: message".
 * When JOURNAL_STREAM is set (stderr is connected to journald) each line
 * starts with a syslog priority prefix such as "<4>", so the journal keeps
 * the severity. Messages never contain secrets (the API key is not logged).
 */
#ifndef NETMON_LOG_H
#define NETMON_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Repeated messages (the same text but for its numbers): at most
 * LOG_RATE_BURST lines per LOG_RATE_WINDOW_NS each, then one
 * "N similar messages suppressed" line. */
#define LOG_RATE_BURST 10
#define LOG_RATE_WINDOW_NS (10ULL * 1000000000ULL)

enum log_level { LOG_LVL_ERR = 3, LOG_LVL_WARNING = 4, LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };

void log_init(const char *progname);
void log_set_level(enum log_level lvl);
/* "error", "warning", "info", "debug" -> level; -1 if unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level lvl);

/* Tests: change the rate limit (burst 0 = none) and forget the counts. */
void log_set_rate_limit(unsigned burst, uint64_t window_ns);
/* Report suppressed messages whose window has ended; a daemon's main loop
 * calls it now and then so the count is not held back until the next line. */
void log_flush(void);

/* *_warn variants append ": strerror(errno)". */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
