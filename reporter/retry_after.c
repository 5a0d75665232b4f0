#include "retry_after.h"

#include <stdbool.h>
#include <string.h>

#include "cursor.h"

static const char *const wkday[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const weekday[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
				       "Friday", "Saturday", "Sunday" };
static const char *const month[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static bool lit(struct cursor *c, const char *s)
{
	size_t n = strlen(s);
	if (c->left < n || memcmp(c->p, s, n) != 0)
		return false;
	return cur_skip(c, n);
}

static bool one_of(struct cursor *c, const char *const *names, int count, int *idx)
{
	for (int i = 0; i < count; i++)
		if (lit(c, names[i])) {
			*idx = i;
			return true;
		}
	return false;
}

/* exactly n digits */
static bool digits(struct cursor *c, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		uint8_t b;
		if (!cur_u8(c, &b) || b < '0' || b > '9')
			return false;
		*v = *v * 10 + (b - '0');
	}
	return true;
}

/* "HH:MM:SS" */
static bool time_of_day(struct cursor *c, int *secs)
{
	int h, m, s;
	if (!digits(c, 2, &h) || !lit(c, ":") || !digits(c, 2, &m) || !lit(c, ":") ||
	    !digits(c, 2, &s))
		return false;
	if (h > 23 || m > 59 || s > 60)  /* 60: leap second */
		return false;
	*secs = h * 3600 + m * 60 + s;
	return true;
}

/* Days since 1970-01-01 (proleptic Gregorian), no libc time zone involved. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool valid_day(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	return d >= 1 && d <= max;
}

static bool http_date(struct cursor *c, int64_t *epoch)
{
	int wd, d, m, y, tod;
	struct cursor save = *c;

	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (one_of(c, wkday, 7, &wd) && lit(c, ", ") && digits(c, 2, &d) && lit(c, " ") &&
	    one_of(c, month, 12, &m) && lit(c, " ") && digits(c, 4, &y) && lit(c, " ") &&
	    time_of_day(c, &tod) && lit(c, " GMT"))
		goto ok;
	*c = save;
	/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: RFC 9110 rule
	 * simplified to 19xx for >= 70, else 20xx) */
	if (one_of(c, weekday, 7, &wd) && lit(c, ", ") && digits(c, 2, &d) && lit(c, "-") &&
	    one_of(c, month, 12, &m) && lit(c, "-") && digits(c, 2, &y) && lit(c, " ") &&
	    time_of_day(c, &tod) && lit(c, " GMT")) {
		y += y >= 70 ? 1900 : 2000;
		goto ok;
	}
	*c = save;
	/* asctime: Sun Nov  6 08:49:37 1994 */
	if (one_of(c, wkday, 7, &wd) && lit(c, " ") && one_of(c, month, 12, &m) && lit(c, " ")) {
		uint8_t b;
		if (cur_peek_u8(c, 0, &b) && b == ' ') {
			cur_skip(c, 1);
			if (!digits(c, 1, &d))
				return false;
		} else if (!digits(c, 2, &d)) {
			return false;
		}
		if (lit(c, " ") && time_of_day(c, &tod) && lit(c, " ") && digits(c, 4, &y))
			goto ok;
	}
	return false;
ok:
	if (!valid_day(y, m + 1, d))
		return false;
	*epoch = days_from_civil(y, m + 1, d) * 86400 + tod;
	return true;
}

static bool blank(uint8_t b)
{
	return b == ' ' || b == '\t';
}

int retry_after_parse(const char *value, size_t len, int64_t now_s, uint32_t *delay_s)
{
	if (!value || len > RETRY_AFTER_MAX_LEN)
		return -1;
	const uint8_t *p = (const uint8_t *)value;
	while (len > 0 && blank(p[0])) {
		p++;
		len--;
	}
	while (len > 0 && blank(p[len - 1]))
		len--;
	if (len == 0)
		return -1;

	struct cursor c;
	cur_init(&c, p, len);
	uint8_t b;
	if (cur_peek_u8(&c, 0, &b) && b >= '0' && b <= '9') {
		uint64_t v = 0;
		while (cur_u8(&c, &b)) {
			if (b < '0' || b > '9')
				return -1;
			if (v < RETRY_AFTER_MAX_S)   /* saturate: no overflow on long runs */
				v = v * 10 + (uint64_t)(b - '0');
		}
		*delay_s = v > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (uint32_t)v;
		return 0;
	}
	int64_t when;
	if (!http_date(&c, &when) || c.left != 0)
		return -1;
	int64_t d = when - now_s;
	*delay_s = d <= 0 ? 0 : d > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : (uint32_t)d;
	return 0;
}
