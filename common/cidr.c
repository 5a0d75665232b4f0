#include "cidr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int addr_parse(const char *s, struct netaddr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

static void clear_host_bits(struct cidr *c)
{
	unsigned width = c->net.family == AF_INET ? 32 : 128;
	for (unsigned bit = c->prefix; bit < width; bit++)
		c->net.bytes[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
}

int cidr_parse(const char *s, struct cidr *out, char *err, size_t errlen)
{
	char buf[CIDR_STRLEN + 1];
	size_t len = strlen(s);

	if (len == 0 || len > CIDR_STRLEN) {
		snprintf(err, errlen, "'%.60s' is not a CIDR prefix", s);
		return -1;
	}
	memcpy(buf, s, len + 1);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(buf, &out->net) != 0) {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", buf);
		return -1;
	}
	unsigned width = out->net.family == AF_INET ? 32 : 128;
	out->prefix = width;
	if (slash) {
		const char *p = slash + 1;
		/* digits only: strtoul would accept "+8", " 8" or "-0"; and no
		 * leading zero ("/08"), as inet_pton refuses them in octets */
		if (*p == '\0' || strlen(p) > 3 || (p[0] == '0' && p[1] != '\0')) {
			snprintf(err, errlen, "'%s': bad prefix length", s);
			return -1;
		}
		unsigned v = 0;
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p)) {
				snprintf(err, errlen, "'%s': bad prefix length", s);
				return -1;
			}
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (v > width) {
			snprintf(err, errlen, "'%s': prefix length %u exceeds %u", s, v, width);
			return -1;
		}
		out->prefix = v;
	}
	clear_host_bits(out);
	return 0;
}

int cidr_list_add(struct cidr_list *l, const struct cidr *c)
{
	if (l->n >= CIDR_LIST_MAX)
		return -1;
	l->v[l->n++] = *c;
	return 0;
}

int cidr_list_parse(const char *s, struct cidr_list *out, char *err, size_t errlen)
{
	out->n = 0;
	const char *p = s;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 0) {
			snprintf(err, errlen, "empty item in CIDR list");
			return -1;
		}
		if (n > CIDR_STRLEN) {
			snprintf(err, errlen, "'%.*s...' is not a CIDR prefix", 20, p);
			return -1;
		}
		char item[CIDR_STRLEN + 1];
		memcpy(item, p, n);
		item[n] = '\0';
		struct cidr c;
		if (cidr_parse(item, &c, err, errlen) != 0)
			return -1;
		if (cidr_list_add(out, &c) != 0) {
			snprintf(err, errlen, "more than %d CIDR prefixes", CIDR_LIST_MAX);
			return -1;
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}

bool cidr_contains(const struct cidr *c, int family, const uint8_t *addr)
{
	/* a prefix longer than the family's width (a hand-made struct) would
	 * read past a 4-byte IPv4 address below */
	if (c->net.family != family || c->prefix > (family == AF_INET ? 32u : 128u))
		return false;
	unsigned full = c->prefix / 8, rest = c->prefix % 8;
	if (memcmp(c->net.bytes, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xffu << (8 - rest));
	return (addr[full] & mask) == c->net.bytes[full];
}

bool cidr_list_contains(const struct cidr_list *l, int family, const uint8_t *addr)
{
	for (size_t i = 0; i < l->n; i++)
		if (cidr_contains(&l->v[i], family, addr))
			return true;
	return false;
}

/* Copy the formatted t (len bytes) into buf as snprintf would: truncated to
 * n - 1 bytes, always terminated when n > 0. */
static char *copy_out(char *buf, size_t n, const char *t, size_t len)
{
	if (n) {
		size_t k = len < n - 1 ? len : n - 1;
		memcpy(buf, t, k);
		buf[k] = '\0';
	}
	return buf;
}

char *addr_format(int family, const uint8_t *addr, char *buf, size_t n)
{
	/* IPv4 by hand: inet_ntop's sprintf per octet shows in a snapshot of a
	 * thousand devices (formatted again every cycle) */
	if (family == AF_INET) {
		char t[16];
		size_t k = 0;
		for (int i = 0; i < 4; i++) {
			unsigned v = addr[i];
			if (i)
				t[k++] = '.';
			if (v >= 100)
				t[k++] = (char)('0' + v / 100);
			if (v >= 10)
				t[k++] = (char)('0' + v / 10 % 10);
			t[k++] = (char)('0' + v % 10);
		}
		if (k < n)      /* as inet_ntop: too small a buffer gets "?" */
			return copy_out(buf, n, t, k);
		snprintf(buf, n, "?");
		return buf;
	}
	if (!inet_ntop(family, addr, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

char *cidr_format(const struct cidr *c, char *buf, size_t n)
{
	char a[ADDR_STRLEN];
	addr_format(c->net.family, c->net.bytes, a, sizeof(a));
	snprintf(buf, n, "%s/%u", a, c->prefix);
	return buf;
}

int cidr_list_format(const struct cidr_list *l, char *buf, size_t n)
{
	size_t used = 0;
	if (n == 0)
		return -1;
	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char one[CIDR_STRLEN];
		cidr_format(&l->v[i], one, sizeof(one));
		int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", one);
		if (w < 0 || (size_t)w >= n - used)
			return -1;
		used += (size_t)w;
	}
	return 0;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int mac_parse(const char *s, uint8_t mac[6])
{
	/* exactly xx:xx:xx:xx:xx:xx */
	if (strlen(s) != 17)
		return -1;
	for (int i = 0; i < 6; i++) {
		int hi = hexval((unsigned char)s[i * 3]);
		int lo = hexval((unsigned char)s[i * 3 + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		if (i < 5 && s[i * 3 + 2] != ':')
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

char *mac_format(const uint8_t mac[6], char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char t[MAC_STRLEN];
	for (int i = 0; i < 6; i++) {
		t[3 * i] = hex[mac[i] >> 4];
		t[3 * i + 1] = hex[mac[i] & 15];
		t[3 * i + 2] = ':';
	}
	return copy_out(buf, n, t, MAC_STRLEN - 1);
}
