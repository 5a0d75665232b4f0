/* Uptime: the first number of /proc/uptime, whole seconds since boot. */
#ifndef NETMON_SYSD_UPTIME_H
#define NETMON_SYSD_UPTIME_H

#include <stddef.h>
#include <stdint.h>

int uptime_parse(const uint8_t *buf, size_t len, uint64_t *seconds);

#endif
