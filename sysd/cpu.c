#include "cpu.h"

#include <string.h>

#include "log.h"
#include "scan.h"

/* user nice system idle iowait irq softirq steal guest guest_nice: the
 * first four exist on every kernel netmon runs on; later ones may be absent. */
static bool parse_ticks(struct cursor *line, struct cpu_ticks *t)
{
	uint64_t v[10] = { 0 };
	size_t n = 0;
	while (n < 10 && scan_u64(line, &v[n]))
		n++;
	if (n < 4 || scan_blank(line))
		return false;
	uint64_t total = 0;
	for (size_t i = 0; i < 8 && i < n; i++) {
		if (total > UINT64_MAX - v[i])
			return false;
		total += v[i];
	}
	t->total = total;
	t->idle = v[3] + v[4];
	t->valid = true;
	return true;
}

int cpu_parse_stat(const uint8_t *buf, size_t len, struct cpu_stat *out)
{
	struct cursor c, line;
	bool warned = false;

	memset(out, 0, sizeof(*out));
	cur_init(&c, buf, len);
	while (scan_line(&c, &line)) {
		struct cursor l = line;
		if (scan_lit(&l, "cpu")) {
			uint64_t idx = 0;
			uint8_t b;
			bool all = cur_peek_u8(&l, 0, &b) && (b == ' ' || b == '\t');
			struct cpu_ticks t;
			if (!all && (!scan_u64(&l, &idx) || idx >= CPU_MAX)) {
				if (!warned)
					log_warnx("stat: cannot use line '%.*s'", (int)(line.left > 40 ? 40 : line.left), line.p);
				warned = true;
				continue;
			}
			if (!parse_ticks(&l, &t)) {
				if (!warned)
					log_warnx("stat: malformed cpu line '%.*s'", (int)(line.left > 40 ? 40 : line.left), line.p);
				warned = true;
				continue;
			}
			if (all) {
				out->all = t;
			} else {
				out->cpu[idx] = t;
				if (idx + 1 > out->ncpu)
					out->ncpu = (unsigned)idx + 1;
			}
		} else if (scan_lit(&l, "btime ")) {
			uint64_t v;
			if (scan_u64(&l, &v) && !scan_blank(&l))
				out->btime = v;
		}
	}
	if (!out->all.valid) {
		log_warnx("stat: no valid 'cpu' line");
		return -1;
	}
	return 0;
}

double cpu_busy_percent(const struct cpu_ticks *a, const struct cpu_ticks *b)
{
	if (!a->valid || !b->valid || b->total < a->total || b->idle < a->idle)
		return -1;
	uint64_t dt = b->total - a->total, di = b->idle - a->idle;
	if (dt == 0)
		return 0;
	if (di > dt)
		return -1;
	return (double)(dt - di) * 100.0 / (double)dt;
}

int cpu_parse_loadavg(const uint8_t *buf, size_t len, struct loadavg *out)
{
	struct cursor c, line;
	cur_init(&c, buf, len);
	out->valid = false;
	if (!scan_line(&c, &line) || !scan_decimal(&line, &out->load1) ||
	    !scan_decimal(&line, &out->load5) || !scan_decimal(&line, &out->load15)) {
		log_warnx("loadavg: malformed");
		return -1;
	}
	out->valid = true;
	return 0;
}

int cpu_parse_online(const uint8_t *buf, size_t len, unsigned *count)
{
	struct cursor c, line;
	unsigned n = 0;
	cur_init(&c, buf, len);
	if (!scan_line(&c, &line))
		goto bad;
	while (line.left > 0) {
		uint64_t lo, hi;
		uint8_t b;
		/* scan_u64 wants a blank or ':' after the number: cut the item first */
		const uint8_t *end = memchr(line.p, ',', line.left);
		size_t ilen = end ? (size_t)(end - line.p) : line.left;
		struct cursor item;
		cur_sub(&line, ilen, &item);
		if (end)
			cur_skip(&line, 1);
		const uint8_t *dash = memchr(item.p, '-', item.left);
		if (dash) {
			struct cursor a;
			cur_sub(&item, (size_t)(dash - item.p), &a);
			cur_skip(&item, 1);
			if (!scan_u64(&a, &lo) || a.left || !cur_peek_u8(&item, 0, &b) ||
			    !scan_u64(&item, &hi) || item.left || hi < lo)
				goto bad;
		} else {
			if (!scan_u64(&item, &lo) || item.left)
				goto bad;
			hi = lo;
		}
		if (hi >= CPU_MAX * 64)
			goto bad;
		n += (unsigned)(hi - lo + 1);
		if (end && line.left == 0)
			goto bad;   /* trailing comma */
	}
	if (n == 0)
		goto bad;
	*count = n;
	return 0;
bad:
	log_warnx("cpu/online: malformed");
	return -1;
}
