#include "mem.h"

#include <string.h>

#include "log.h"
#include "scan.h"

enum { M_TOTAL, M_FREE, M_AVAIL, M_BUFFERS, M_CACHED, M_SRECLAIM, M_SWTOTAL, M_SWFREE, M_N };
static const char *const names[M_N] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SReclaimable",
	"SwapTotal", "SwapFree",
};

int mem_parse(const uint8_t *buf, size_t len, struct mem_info *out)
{
	uint64_t v[M_N] = { 0 };
	bool have[M_N] = { false };
	struct cursor c, line;

	memset(out, 0, sizeof(*out));
	cur_init(&c, buf, len);
	while (scan_line(&c, &line)) {
		const uint8_t *colon = memchr(line.p, ':', line.left);
		if (colon == NULL)
			continue;
		size_t klen = (size_t)(colon - line.p);
		for (int i = 0; i < M_N; i++) {
			if (strlen(names[i]) != klen || memcmp(line.p, names[i], klen) != 0)
				continue;
			struct cursor val = line;
			uint64_t kb;
			cur_skip(&val, klen + 1);
			if (!scan_u64(&val, &kb) || !scan_lit(&val, " kB") || val.left ||
			    kb > UINT64_MAX / 1024) {
				log_warnx("meminfo: %s: malformed value, left out", names[i]);
				break;
			}
			v[i] = kb * 1024;
			have[i] = true;
			break;
		}
	}
	if (have[M_TOTAL]) {
		out->total = v[M_TOTAL];
		out->have_total = true;
	} else {
		log_warnx("meminfo: no MemTotal");
	}
	if (have[M_AVAIL] && (!have[M_TOTAL] || v[M_AVAIL] <= v[M_TOTAL])) {
		out->available = v[M_AVAIL];
		out->have_available = true;
	} else {
		log_warnx("meminfo: no usable MemAvailable, memory available left out");
	}
	if (have[M_TOTAL] && have[M_FREE] && have[M_BUFFERS] && have[M_CACHED] && have[M_SRECLAIM]) {
		/* signed arithmetic on the sum, as psutil does, without overflow */
		unsigned __int128 taken = (unsigned __int128)v[M_FREE] + v[M_BUFFERS] +
					  v[M_CACHED] + v[M_SRECLAIM];
		if (taken <= v[M_TOTAL])
			out->used = v[M_TOTAL] - (uint64_t)taken;
		else
			out->used = v[M_FREE] <= v[M_TOTAL] ? v[M_TOTAL] - v[M_FREE] : 0;
		out->have_used = true;
	} else if (have[M_TOTAL]) {
		log_warnx("meminfo: MemFree, Buffers, Cached or SReclaimable missing, memory used left out");
	}
	if (out->have_total && out->have_available && out->total > 0) {
		out->percent = (double)(out->total - out->available) * 100.0 / (double)out->total;
		out->have_percent = true;
	}
	if (have[M_SWTOTAL] && have[M_SWFREE] && v[M_SWFREE] <= v[M_SWTOTAL]) {
		out->swap_total = v[M_SWTOTAL];
		out->swap_used = v[M_SWTOTAL] - v[M_SWFREE];
		out->have_swap = true;
	}
	return out->have_total ? 0 : -1;
}
