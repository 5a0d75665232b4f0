/*
 * Memory from /proc/meminfo, with psutil's meanings (the original script's):
 *   total     MemTotal
 *   available MemAvailable                    (payload freeBytes)
 *   used      total - MemFree - Buffers - (Cached + SReclaimable)
 *             (total - MemFree when that would be negative, as psutil)
 *   percent   (total - available) / total * 100
 *   swap      SwapTotal, SwapTotal - SwapFree
 * A field the file lacks or that is malformed is left out (its have_ bit
 * clear) and logged; nothing is guessed.
 */
#ifndef NETMON_SYSD_MEM_H
#define NETMON_SYSD_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mem_info {
	uint64_t total, available, used, swap_total, swap_used;   /* bytes */
	double percent;
	bool have_total, have_available, have_used, have_percent, have_swap;
};

int mem_parse(const uint8_t *buf, size_t len, struct mem_info *out);

#endif
