#include "dhcp.h"

#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "dnsmsg.h"

enum {
	OPT_PAD = 0,
	OPT_HOSTNAME = 12,
	OPT_REQUESTED_IP = 50,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_PARAMS = 55,
	OPT_VENDOR_CLASS = 60,
	OPT_FQDN = 81,
	OPT_END = 255,
};

#define ACC_MAX 512                 /* concatenated option bytes kept (RFC 3396) */

/* One option we read, concatenated over all its instances. */
struct acc {
	uint8_t buf[ACC_MAX];
	size_t len;
	bool seen, overflow;
};

enum { ACC_HOSTNAME, ACC_VENDOR, ACC_PARAMS, ACC_FQDN, ACC_COUNT };

struct parse {
	struct acc acc[ACC_COUNT];
	struct dhcp_info *out;
	bool overload_seen;
};

static void acc_add(struct acc *a, struct cursor *v)
{
	size_t n = v->left;
	a->seen = true;
	if (n > ACC_MAX - a->len) {
		a->overflow = true;
		return;
	}
	(void)cur_bytes(v, a->buf + a->len, n);
	a->len += n;
}

/* One option area (options field, file or sname). `main_field` is true for
 * the options field, the only place option 52 may appear. */
static int area(struct parse *ps, struct cursor c, bool main_field)
{
	for (;;) {
		uint8_t code, len;
		struct cursor v;
		if (!cur_u8(&c, &code) || code == OPT_END)
			return DHCP_OK;     /* End, or the area ends (tolerated) */
		if (code == OPT_PAD)
			continue;
		if (!cur_u8(&c, &len) || !cur_sub(&c, len, &v))
			return DHCP_EOPTION;
		switch (code) {
		case OPT_HOSTNAME: acc_add(&ps->acc[ACC_HOSTNAME], &v); break;
		case OPT_VENDOR_CLASS: acc_add(&ps->acc[ACC_VENDOR], &v); break;
		case OPT_PARAMS: acc_add(&ps->acc[ACC_PARAMS], &v); break;
		case OPT_FQDN: acc_add(&ps->acc[ACC_FQDN], &v); break;
		case OPT_MSG_TYPE:
			if (len == 1)
				(void)cur_u8(&v, &ps->out->msg_type);
			break;
		case OPT_REQUESTED_IP:
			if (len == 4)
				(void)cur_be32(&v, &ps->out->requested_ip);
			break;
		case OPT_OVERLOAD: {
			uint8_t val;
			if (!main_field || ps->overload_seen || len != 1 || !cur_u8(&v, &val) ||
			    val < 1 || val > 3)
				return DHCP_EOVERLOAD;
			ps->overload_seen = true;
			ps->out->overload = val;
			break;
		}
		default:
			break;
		}
	}
}

/* Option 55 as a fingerprint: the codes in request order, "1,3,6,15". A
 * list whose text does not fit is refused whole (a cut fingerprint would
 * name another client). */
static bool params_text(const struct acc *a, char *out, size_t outsz)
{
	size_t o = 0;
	out[0] = '\0';
	if (a->overflow || a->len == 0)
		return false;
	for (size_t i = 0; i < a->len; i++) {
		int w = snprintf(out + o, outsz - o, i ? ",%u" : "%u", a->buf[i]);
		if (w < 0 || (size_t)w >= outsz - o) {
			out[0] = '\0';
			return false;
		}
		o += (size_t)w;
	}
	return true;
}

/* Option 81: flags, two rcodes, then the name: DNS wire form when the E flag
 * (0x04) is set (RFC 4702 §2.3; a partial name may lack the root label),
 * else ASCII. */
static bool fqdn_text(const struct acc *a, char *out, size_t outsz)
{
	struct cursor c;
	uint8_t flags, rc;
	cur_init(&c, a->buf, a->len);
	if (!cur_u8(&c, &flags) || !cur_u8(&c, &rc) || !cur_u8(&c, &rc))
		return false;
	if (!(flags & 0x04)) {
		size_t n = c.left;
		uint8_t last;
		if (n > 0 && cur_peek_u8(&c, n - 1, &last) && last == '.')
			n--;
		return name_clean(out, outsz, c.p, n, NAME_TEXT_MAX);
	}
	uint8_t wire[DNS_NAME_WIRE_MAX + 1];
	size_t n = c.left, end;
	struct dns_name name;
	char text[DNS_NAME_WIRE_MAX + 1];
	if (n == 0 || n > DNS_NAME_WIRE_MAX || !cur_bytes(&c, wire, n))
		return false;
	if (wire[n - 1] != 0)
		wire[n++] = 0;          /* a partial name: end it here */
	if (dns_read_name(wire, n, 0, false, &name, &end) != DNS_OK || end != n ||
	    !dns_name_text(&name, text, sizeof(text)))
		return false;
	return name_clean(out, outsz, text, strlen(text), NAME_TEXT_MAX);
}

int dhcp_parse(const uint8_t *payload, size_t len, struct dhcp_info *out)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	struct parse ps;
	struct cursor c, sname, file, opts;
	uint8_t op = 0, htype = 0, hlen = 0, got[4] = { 0 };
	int e;

	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	ps.out = out;
	cur_init(&c, payload, len);
	if (len < DHCP_MIN_LEN)
		return DHCP_ESHORT;
	(void)cur_u8(&c, &op);
	(void)cur_u8(&c, &htype);
	(void)cur_u8(&c, &hlen);
	(void)cur_skip(&c, 1);                      /* hops */
	(void)cur_be32(&c, &out->xid);
	(void)cur_skip(&c, 4);                      /* secs, flags */
	(void)cur_be32(&c, &out->ciaddr);
	(void)cur_skip(&c, 12);                     /* yiaddr, siaddr, giaddr */
	(void)cur_bytes(&c, out->chaddr, 6);
	(void)cur_skip(&c, 10);                     /* rest of chaddr */
	(void)cur_sub(&c, 64, &sname);
	(void)cur_sub(&c, 128, &file);
	(void)cur_bytes(&c, got, 4);
	(void)cur_sub(&c, c.left, &opts);
	if (op != 1)
		e = DHCP_ENOTREQUEST;
	else if (htype != 1 || hlen != 6)
		e = DHCP_EHWTYPE;
	else if (memcmp(got, cookie, 4) != 0)
		e = DHCP_ECOOKIE;
	else if ((e = area(&ps, opts, true)) == DHCP_OK && (out->overload & 1))
		e = area(&ps, file, false);
	if (e == DHCP_OK && (out->overload & 2))
		e = area(&ps, sname, false);
	if (e != DHCP_OK) {
		memset(out, 0, sizeof(*out));
		return e;
	}

	struct acc *a = ps.acc;
	if (a[ACC_HOSTNAME].seen && (a[ACC_HOSTNAME].overflow ||
	    !name_clean(out->hostname, sizeof(out->hostname), a[ACC_HOSTNAME].buf,
			a[ACC_HOSTNAME].len, NAME_LABEL_MAX)))
		out->refused++;
	if (a[ACC_VENDOR].seen && (a[ACC_VENDOR].overflow ||
	    !name_clean(out->vendor_class, sizeof(out->vendor_class), a[ACC_VENDOR].buf,
			a[ACC_VENDOR].len, NAME_TEXT_MAX)))
		out->refused++;
	if (a[ACC_PARAMS].seen && !params_text(&a[ACC_PARAMS], out->params, sizeof(out->params)))
		out->refused++;
	if (a[ACC_FQDN].seen && (a[ACC_FQDN].overflow ||
	    !fqdn_text(&a[ACC_FQDN], out->fqdn, sizeof(out->fqdn))))
		out->refused++;
	return DHCP_OK;
}

const char *dhcp_err_str(int err)
{
	switch (err) {
	case DHCP_OK: return "ok";
	case DHCP_ESHORT: return "shorter than a BOOTP header and magic cookie";
	case DHCP_ENOTREQUEST: return "not a BOOTREQUEST";
	case DHCP_EHWTYPE: return "hardware type/length not Ethernet";
	case DHCP_ECOOKIE: return "no DHCP magic cookie";
	case DHCP_EOPTION: return "option runs past its area";
	case DHCP_EOVERLOAD: return "option 52 (overload) malformed, repeated or misplaced";
	default: return "unknown error";
	}
}
