/*
 * Bounds-checked reader over untrusted bytes (packets, wire records).
 * Every accessor fails (returns false, consumes nothing) when fewer bytes are
 * left than it needs, so a parser can never read past its input. Nothing here
 * casts the input to a struct: values are assembled byte by byte.
 */
#ifndef NETMON_CURSOR_H
#define NETMON_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *p;
	size_t left;
};

static inline void cur_init(struct cursor *c, const void *p, size_t n)
{
	c->p = p;
	c->left = p ? n : 0;
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (c->left < n)
		return false;
	c->p += n;
	c->left -= n;
	return true;
}

static inline bool cur_bytes(struct cursor *c, void *dst, size_t n)
{
	if (c->left < n)
		return false;
	memcpy(dst, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

/* Look at byte `off` ahead without consuming. */
static inline bool cur_peek_u8(const struct cursor *c, size_t off, uint8_t *v)
{
	if (c->left <= off)
		return false;
	*v = c->p[off];
	return true;
}

static inline bool cur_u8(struct cursor *c, uint8_t *v)
{
	if (c->left < 1)
		return false;
	*v = c->p[0];
	c->p += 1;
	c->left -= 1;
	return true;
}

static inline bool cur_be16(struct cursor *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = (uint16_t)((uint16_t)c->p[0] << 8 | c->p[1]);
	c->p += 2;
	c->left -= 2;
	return true;
}

static inline bool cur_le16(struct cursor *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = (uint16_t)((uint16_t)c->p[1] << 8 | c->p[0]);
	c->p += 2;
	c->left -= 2;
	return true;
}

static inline bool cur_be32(struct cursor *c, uint32_t *v)
{
	if (c->left < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	     (uint32_t)c->p[2] << 8 | (uint32_t)c->p[3];
	c->p += 4;
	c->left -= 4;
	return true;
}

static inline bool cur_le32(struct cursor *c, uint32_t *v)
{
	if (c->left < 4)
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	     (uint32_t)c->p[1] << 8 | (uint32_t)c->p[0];
	c->p += 4;
	c->left -= 4;
	return true;
}

static inline bool cur_be64(struct cursor *c, uint64_t *v)
{
	uint32_t hi = 0, lo = 0;   /* set below; GCC cannot see it once it splits the function */
	if (c->left < 8)
		return false;
	cur_be32(c, &hi);
	cur_be32(c, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/* Split off the next n bytes as their own cursor. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (c->left < n)
		return false;
	cur_init(sub, c->p, n);
	c->p += n;
	c->left -= n;
	return true;
}

/* Writer counterpart used by encoders: fails instead of overflowing. */
struct wcursor {
	uint8_t *p;
	size_t left;
	bool ok;
};

static inline void wcur_init(struct wcursor *w, void *p, size_t n)
{
	w->p = p;
	w->left = n;
	w->ok = true;
}

static inline void wcur_bytes(struct wcursor *w, const void *src, size_t n)
{
	if (!w->ok || w->left < n) {
		w->ok = false;
		return;
	}
	memcpy(w->p, src, n);
	w->p += n;
	w->left -= n;
}

static inline void wcur_u8(struct wcursor *w, uint8_t v)
{
	wcur_bytes(w, &v, 1);
}

static inline void wcur_be16(struct wcursor *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	wcur_bytes(w, b, 2);
}

static inline void wcur_be32(struct wcursor *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };
	wcur_bytes(w, b, 4);
}

static inline void wcur_be64(struct wcursor *w, uint64_t v)
{
	wcur_be32(w, (uint32_t)(v >> 32));
	wcur_be32(w, (uint32_t)v);
}

#endif
