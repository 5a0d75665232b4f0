/*
 * Addresses and CIDR prefixes: the one place that parses and matches them.
 * IPv4 addresses live in bytes[0..3] of a 16-byte buffer.
 */
#ifndef NETMON_CIDR_H
#define NETMON_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CIDR_LIST_MAX 64
#define ADDR_STRLEN 46   /* INET6_ADDRSTRLEN */
#define CIDR_STRLEN 50
#define MAC_STRLEN 18

struct netaddr {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t bytes[16];
};

struct cidr {
	struct netaddr net;  /* host bits cleared */
	unsigned prefix;     /* 0..32 or 0..128 */
};

struct cidr_list {
	size_t n;
	struct cidr v[CIDR_LIST_MAX];
};

/* Parse "a.b.c.d[/n]" or "x::y[/n]". Host bits are cleared (documented).
 * Returns 0, or -1 with a reason in err. */
int cidr_parse(const char *s, struct cidr *out, char *err, size_t errlen);

/* Comma-separated list, blanks around items ignored; an empty item is an error. */
int cidr_list_parse(const char *s, struct cidr_list *out, char *err, size_t errlen);

/* Add one prefix to a list; -1 when the list is full. */
int cidr_list_add(struct cidr_list *l, const struct cidr *c);

int addr_parse(const char *s, struct netaddr *out);

bool cidr_contains(const struct cidr *c, int family, const uint8_t *addr);
bool cidr_list_contains(const struct cidr_list *l, int family, const uint8_t *addr);

/* Formatting; buffers of the *_STRLEN sizes above. Return buf. */
char *addr_format(int family, const uint8_t *addr, char *buf, size_t n);
char *cidr_format(const struct cidr *c, char *buf, size_t n);
/* "a.b.c.d/n, x::/m" into buf; truncation reported by returning -1. */
int cidr_list_format(const struct cidr_list *l, char *buf, size_t n);

int mac_parse(const char *s, uint8_t mac[6]);
char *mac_format(const uint8_t mac[6], char *buf, size_t n);

#endif
