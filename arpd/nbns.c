#include "nbns.h"

#include <string.h>

#include "name.h"

bool nbns_decode_name(const struct dns_name *n, uint8_t raw[16])
{
	const uint8_t *p;
	size_t l;

	if (!dns_name_label(n, 0, &p, &l) || l != 32)
		return false;
	for (size_t i = 0; i < 16; i++) {
		uint8_t hi = p[2 * i], lo = p[2 * i + 1];
		if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P')
			return false;
		raw[i] = (uint8_t)((hi - 'A') << 4 | (lo - 'A'));
	}
	return true;
}

bool nbns_is_host_name(const struct nbns_name *n)
{
	return !n->group && (n->suffix == NB_SUFFIX_WORKSTATION || n->suffix == NB_SUFFIX_SERVER);
}

static void nb_record(struct nbns_info *out, const struct dns_rr *rr)
{
	struct nbns_name nb;
	struct cursor c = rr->rdata;
	uint8_t raw[16];
	uint16_t flags;

	memset(&nb, 0, sizeof(nb));
	/* RDATA: one or more (NB_FLAGS u16, NB_ADDRESS u32); the first is the sender's */
	if (!cur_be16(&c, &flags) || !cur_be32(&c, &nb.addr))
		return;
	if (!nbns_decode_name(&rr->name, raw)) {
		out->bad_encoding++;
		return;
	}
	nb.suffix = raw[15];
	nb.group = flags & 0x8000;
	if (!name_clean(nb.name, sizeof(nb.name), raw, NETBIOS_NAME_MAX, NETBIOS_NAME_MAX)) {
		out->refused++;
		return;
	}
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->names[i].name, nb.name) == 0 && out->names[i].suffix == nb.suffix &&
		    out->names[i].addr == nb.addr)
			return;
	if (out->n == NBNS_NAMES_MAX) {
		out->dropped++;
		return;
	}
	out->names[out->n++] = nb;
}

int nbns_parse(const uint8_t *msg, size_t len, struct nbns_info *out)
{
	struct dns_reader r;
	struct dns_rr rr;
	int e;

	memset(out, 0, sizeof(*out));
	if ((e = dns_reader_init(&r, msg, len)) != DNS_OK)
		return e;
	out->opcode = (uint8_t)DNS_OPCODE(r.hdr.flags);
	out->response = r.hdr.flags & DNS_FLAG_QR;
	bool announce = !out->response && (out->opcode == NBNS_OP_REGISTRATION ||
					   out->opcode == NBNS_OP_REFRESH ||
					   out->opcode == NBNS_OP_REFRESH_ALT);
	bool answer = out->response && out->opcode == NBNS_OP_QUERY && DNS_RCODE(r.hdr.flags) == 0;
	if (!announce && !answer)
		return NBNS_EKIND;
	while ((e = dns_next_rr(&r, &rr)) == DNS_OK)
		if (rr.type == DNS_T_NB && rr.rclass == 1)
			nb_record(out, &rr);
	return e == DNS_END ? DNS_OK : e;
}
