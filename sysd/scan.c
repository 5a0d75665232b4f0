#include "scan.h"

#include <string.h>

bool scan_line(struct cursor *c, struct cursor *line)
{
	const uint8_t *nl = c->left ? memchr(c->p, '\n', c->left) : NULL;
	if (nl == NULL)
		return false;
	size_t n = (size_t)(nl - c->p);
	cur_sub(c, n, line);
	cur_skip(c, 1);
	return true;
}

static bool is_blank(uint8_t b)
{
	return b == ' ' || b == '\t';
}

bool scan_blank(struct cursor *c)
{
	uint8_t b;
	while (cur_peek_u8(c, 0, &b) && is_blank(b))
		cur_skip(c, 1);
	return c->left > 0;
}

static bool at_number_end(const struct cursor *c)
{
	uint8_t b;
	return !cur_peek_u8(c, 0, &b) || is_blank(b) || b == ':';
}

bool scan_u64(struct cursor *c, uint64_t *v)
{
	struct cursor save = *c;
	uint64_t x = 0;
	size_t digits = 0;
	uint8_t b;

	scan_blank(c);
	while (cur_peek_u8(c, 0, &b) && b >= '0' && b <= '9') {
		unsigned d = (unsigned)(b - '0');
		if (x > (UINT64_MAX - d) / 10) {
			*c = save;
			return false;
		}
		x = x * 10 + d;
		cur_skip(c, 1);
		digits++;
	}
	if (digits == 0 || !at_number_end(c)) {
		*c = save;
		return false;
	}
	*v = x;
	return true;
}

bool scan_word(struct cursor *c, const uint8_t **w, size_t *n)
{
	uint8_t b;
	if (!scan_blank(c))
		return false;
	*w = c->p;
	*n = 0;
	while (cur_peek_u8(c, 0, &b) && !is_blank(b)) {
		cur_skip(c, 1);
		(*n)++;
	}
	return true;
}

bool scan_lit(struct cursor *c, const char *lit)
{
	size_t n = strlen(lit);
	if (c->left < n || memcmp(c->p, lit, n) != 0)
		return false;
	cur_skip(c, n);
	return true;
}

bool scan_decimal(struct cursor *c, double *v)
{
	struct cursor save = *c;
	uint64_t ip = 0, frac = 0, scale = 1;
	uint8_t b;
	size_t digits = 0;

	scan_blank(c);
	while (cur_peek_u8(c, 0, &b) && b >= '0' && b <= '9') {
		if (ip > (UINT64_MAX - 9) / 10)
			goto bad;
		ip = ip * 10 + (unsigned)(b - '0');
		cur_skip(c, 1);
		digits++;
	}
	if (digits == 0)
		goto bad;
	if (cur_peek_u8(c, 0, &b) && b == '.') {
		cur_skip(c, 1);
		digits = 0;
		while (cur_peek_u8(c, 0, &b) && b >= '0' && b <= '9') {
			if (scale < 1000000000000ULL) {  /* more digits than that add nothing */
				frac = frac * 10 + (unsigned)(b - '0');
				scale *= 10;
			}
			cur_skip(c, 1);
			digits++;
		}
		if (digits == 0)
			goto bad;
	}
	if (!at_number_end(c))
		goto bad;
	*v = (double)ip + (double)frac / (double)scale;
	return true;
bad:
	*c = save;
	return false;
}
