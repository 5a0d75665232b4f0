/* A growable byte buffer for building test packets field by field. */
#ifndef TEST_PKTBUF_H
#define TEST_PKTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pkt {
	uint8_t b[4096];
	size_t n;
};

static inline void pk_u8(struct pkt *p, uint8_t v)
{
	if (p->n < sizeof(p->b))
		p->b[p->n++] = v;
}

static inline void pk_be16(struct pkt *p, uint16_t v)
{
	pk_u8(p, (uint8_t)(v >> 8));
	pk_u8(p, (uint8_t)v);
}

static inline void pk_be32(struct pkt *p, uint32_t v)
{
	pk_be16(p, (uint16_t)(v >> 16));
	pk_be16(p, (uint16_t)v);
}

static inline void pk_bytes(struct pkt *p, const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n; i++)
		pk_u8(p, s[i]);
}

static inline void pk_zero(struct pkt *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pk_u8(p, 0);
}

/* "a.b.c" as uncompressed labels with the root's 0 */
static inline void pk_name(struct pkt *p, const char *dotted)
{
	const char *s = dotted;
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		pk_u8(p, (uint8_t)l);
		pk_bytes(p, s, l);
		s += l;
		if (*s == '.')
			s++;
	}
	pk_u8(p, 0);
}

static inline void pk_ptr(struct pkt *p, uint16_t off)
{
	pk_be16(p, (uint16_t)(0xc000 | off));
}

#endif
