#include "dnsmsg.h"

#include <string.h>

/* Offset of c's position in a cursor that spans the whole message. */
static size_t offset_of(const struct dns_reader *r, const struct cursor *c)
{
	return r->len - c->left;
}

static void seek(struct cursor *c, const uint8_t *msg, size_t len, size_t off)
{
	cur_init(c, msg, len);
	(void)cur_skip(c, off);     /* callers pass off <= len */
}

int dns_read_name(const uint8_t *msg, size_t len, size_t off, bool allow_pointers,
		  struct dns_name *out, size_t *end)
{
	struct cursor c;
	size_t run_start = off;     /* where the current run of labels began */
	unsigned jumps = 0;
	bool jumped = false;

	out->len = 0;
	out->nlabels = 0;
	if (off > len)
		return DNS_ESHORT;
	seek(&c, msg, len, off);
	for (;;) {
		uint8_t b, lo;
		if (!cur_u8(&c, &b))
			return DNS_ESHORT;
		if ((b & 0xc0) == 0xc0) {
			if (!cur_u8(&c, &lo))
				return DNS_ESHORT;
			if (!allow_pointers)
				return DNS_ECOMPRESS;
			size_t target = (size_t)(b & 0x3f) << 8 | lo;
			if (!jumped) {
				*end = len - c.left;
				jumped = true;
			}
			/* strictly before the run that holds the pointer: every
			 * jump lands lower than the last, so no loop can form */
			if (target >= run_start || ++jumps > DNS_MAX_JUMPS)
				return DNS_EPOINTER;
			run_start = target;
			seek(&c, msg, len, target);
			continue;
		}
		if (b & 0xc0)               /* 0x40 extended, 0x80 reserved */
			return DNS_ELABEL;
		if (b == 0) {
			out->wire[out->len++] = 0;  /* fits: checked with the last label */
			break;
		}
		/* room for this label and the root's 0 after it */
		if (out->len + 1 + b + 1 > DNS_NAME_WIRE_MAX)
			return DNS_ELONG;
		out->wire[out->len] = b;
		if (!cur_bytes(&c, out->wire + out->len + 1, b))
			return DNS_ESHORT;
		out->len += 1 + (size_t)b;
		out->nlabels++;
	}
	if (!jumped)
		*end = len - c.left;
	return DNS_OK;
}

int dns_reader_init(struct dns_reader *r, const uint8_t *msg, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->msg = msg;
	r->len = msg ? len : 0;
	cur_init(&r->cur, msg, r->len);
	struct dns_header *h = &r->hdr;
	if (!cur_be16(&r->cur, &h->id) || !cur_be16(&r->cur, &h->flags) ||
	    !cur_be16(&r->cur, &h->qdcount) || !cur_be16(&r->cur, &h->ancount) ||
	    !cur_be16(&r->cur, &h->nscount) || !cur_be16(&r->cur, &h->arcount)) {
		r->failed = true;
		return DNS_ESHORT;
	}
	r->qleft = h->qdcount;
	r->rrleft[0] = h->ancount;
	r->rrleft[1] = h->nscount;
	r->rrleft[2] = h->arcount;
	return DNS_OK;
}

static int fail(struct dns_reader *r, int err)
{
	r->failed = true;
	return err;
}

/* The name at the reader's position; the reader moves past it. */
static int reader_name(struct dns_reader *r, struct dns_name *n)
{
	size_t end;
	int e = dns_read_name(r->msg, r->len, offset_of(r, &r->cur), true, n, &end);
	if (e != DNS_OK)
		return e;
	seek(&r->cur, r->msg, r->len, end);
	return DNS_OK;
}

int dns_next_question(struct dns_reader *r, struct dns_question *q)
{
	if (r->failed)
		return DNS_ESHORT;
	if (r->qleft == 0)
		return DNS_END;
	int e = reader_name(r, &q->name);
	if (e != DNS_OK)
		return fail(r, e);
	if (!cur_be16(&r->cur, &q->type) || !cur_be16(&r->cur, &q->qclass))
		return fail(r, DNS_ESHORT);
	r->qleft--;
	return DNS_OK;
}

int dns_next_rr(struct dns_reader *r, struct dns_rr *rr)
{
	struct dns_question q;
	int e;

	while ((e = dns_next_question(r, &q)) == DNS_OK)
		;
	if (e != DNS_END)
		return e;
	unsigned s = 0;
	while (s < 3 && r->rrleft[s] == 0)
		s++;
	if (s == 3)
		return DNS_END;
	rr->section = (enum dns_section)(DNS_SEC_ANSWER + s);
	e = reader_name(r, &rr->name);
	if (e != DNS_OK)
		return fail(r, e);
	if (!cur_be16(&r->cur, &rr->type) || !cur_be16(&r->cur, &rr->rclass) ||
	    !cur_be32(&r->cur, &rr->ttl) || !cur_be16(&r->cur, &rr->rdlen))
		return fail(r, DNS_ESHORT);
	rr->rdata_off = offset_of(r, &r->cur);
	if (!cur_sub(&r->cur, rr->rdlen, &rr->rdata))
		return fail(r, DNS_ESHORT);
	r->rrleft[s]--;
	return DNS_OK;
}

bool dns_name_label(const struct dns_name *n, unsigned i, const uint8_t **p, size_t *len)
{
	size_t off = 0;
	for (unsigned k = 0; off < n->len && n->wire[off] != 0; k++) {
		size_t l = n->wire[off];
		if (k == i) {
			*p = n->wire + off + 1;
			*len = l;
			return true;
		}
		off += 1 + l;
	}
	return false;
}

bool dns_name_text(const struct dns_name *n, char *out, size_t outsz)
{
	const uint8_t *p;
	size_t l, o = 0;

	if (outsz == 0)
		return false;
	for (unsigned i = 0; dns_name_label(n, i, &p, &l); i++) {
		if (memchr(p, '.', l) || memchr(p, '\0', l) || o + (i > 0) + l >= outsz) {
			out[0] = '\0';
			return false;
		}
		if (i > 0)
			out[o++] = '.';
		memcpy(out + o, p, l);
		o += l;
	}
	out[o] = '\0';
	return true;
}

static unsigned char ascii_lower(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

bool dns_name_ends_with(const struct dns_name *n, const char *suffix)
{
	size_t e = strlen(suffix);
	unsigned i = n->nlabels;

	while (e > 0) {
		size_t s = e;
		while (s > 0 && suffix[s - 1] != '.')
			s--;
		const uint8_t *p;
		size_t l;
		if (i == 0 || !dns_name_label(n, --i, &p, &l) || l != e - s)
			return false;
		for (size_t k = 0; k < l; k++)
			if (ascii_lower(p[k]) != ascii_lower((unsigned char)suffix[s + k]))
				return false;
		e = s > 0 ? s - 1 : 0;
	}
	return true;
}

bool dns_read_charstr(struct cursor *c, const uint8_t **p, size_t *len)
{
	uint8_t l;
	if (!cur_peek_u8(c, 0, &l) || c->left < 1 + (size_t)l)
		return false;
	(void)cur_skip(c, 1);
	*p = c->p;
	*len = l;
	return cur_skip(c, l);
}

const char *dns_err_str(int err)
{
	switch (err) {
	case DNS_OK: return "ok";
	case DNS_END: return "end";
	case DNS_ESHORT: return "message ends inside a header, name or record";
	case DNS_ELABEL: return "label longer than 63 bytes or of a reserved type";
	case DNS_ELONG: return "name longer than 255 bytes";
	case DNS_EPOINTER: return "compression pointer not strictly backwards or too many";
	case DNS_ECOMPRESS: return "compression pointer where none is allowed";
	default: return "unknown error";
	}
}
