/*
 * Logging to stderr, one line per message, "netmon-ROLE: message".
 * When JOURNAL_STREAM is set (stderr is connected to journald) each line
 * starts with a syslog priority prefix such as "<4>", so the journal keeps
 * the severity. Messages never contain secrets (the API key is not logged).
 */
#ifndef NETMON_LOG_H
#define NETMON_LOG_H

#include <stdarg.h>
#include <stdnoreturn.h>

enum log_level { LOG_LVL_ERR = 3, LOG_LVL_WARNING = 4, LOG_LVL_INFO = 6, LOG_LVL_DEBUG = 7 };

void log_init(const char *progname);
void log_set_level(enum log_level lvl);
/* "error", "warning", "info", "debug" -> level; -1 if unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level lvl);

/* *_warn variants append ": strerror(errno)". */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
