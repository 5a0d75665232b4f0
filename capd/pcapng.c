#include "pcapng.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "io.h"

#define BT_SHB 0x0A0D0D0Au          /* the same in both byte orders */
#define BT_IDB 0x00000001u
#define BT_PB 0x00000002u           /* obsolete Packet Block */
#define BT_SPB 0x00000003u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define BLOCK_HDR_LEN 8u            /* type, total length */
#define BLOCK_MIN_LEN 12u           /* header and trailer */
#define SHB_BODY_LEN 16u            /* byte-order magic, versions, section length */
#define SHB_MAX_LEN (1024u * 1024u) /* libpcap's BT_SHB_INSANE_MAX, at open */
#define IDB_BODY_LEN 8u
#define EPB_BODY_LEN 20u
#define PB_BODY_LEN 20u
#define SPB_BODY_LEN 4u

#define OPT_ENDOFOPT 0
#define IF_TSRESOL 9
#define IF_TSOFFSET 14

/* libpcap's maximum snapshot length per link type (max_snaplen_for_dlt) and
 * the largest block it then takes: an EPB of that many bytes plus 128 KiB
 * of options. Only a few odd link types go past 262144. */
static uint32_t max_snaplen_for_dlt(int dlt)
{
	switch (dlt) {
	case DLT_DBUS:    return 128u * 1024 * 1024;
	case DLT_EBHSCR:  return 8u * 1024 * 1024;
	case DLT_USBPCAP: return 1024u * 1024;
	default:          return 262144u;
	}
}

/* LINKTYPE_ to DLT_ as libpcap maps them (pcap-linktype(7)): the same value
 * except for a few whose DLT differs between systems. */
static int linktype_to_dlt(uint16_t linktype)
{
	switch (linktype) {
	case 100: return DLT_ATM_RFC1483;
	case 101: return DLT_RAW;
	case 102: return DLT_SLIP_BSDOS;
	case 103: return DLT_PPP_BSDOS;
	case 106: return DLT_ATM_CLIP;
	case 246: return DLT_PFSYNC;
	case 258: return DLT_PKTAP;
	default:  return linktype;
	}
}

static inline bool get32(const struct pcapng *ng, struct cursor *c, uint32_t *v)
{
	return ng->big_endian ? cur_be32(c, v) : cur_le32(c, v);
}

static inline bool get16(const struct pcapng *ng, struct cursor *c, uint16_t *v)
{
	return ng->big_endian ? cur_be16(c, v) : cur_le16(c, v);
}

__attribute__((format(printf, 2, 3)))
static int fail(struct pcapng *ng, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ng->error, sizeof(ng->error), fmt, ap);
	va_end(ap);
	ng->error_offset = ng->buf_offset + ng->pos;
	return -1;
}

/* Move the unread bytes to the front, make room for a block of `need`
 * bytes (only a block longer than the buffer grows it), and fill the rest
 * from the file. */
static int refill(struct pcapng *ng, size_t need)
{
	size_t keep = ng->end - ng->pos;
	memmove(ng->buf, ng->buf + ng->pos, keep);
	ng->buf_offset += ng->pos;
	ng->pos = 0;
	ng->end = keep;
	if (need > ng->cap) {
		uint8_t *bigger = realloc(ng->buf, need);
		if (!bigger)
			return fail(ng, "%s", strerror(ENOMEM));
		ng->buf = bigger;
		ng->cap = need;
	}
	ssize_t n = read_full(ng->fd, ng->buf + keep, ng->cap - keep);
	if (n < 0) {
		int e = errno;
		fail(ng, "read: %s", strerror(e));
		ng->error_offset = ng->buf_offset + ng->end;
		return -1;
	}
	ng->end += (size_t)n;
	if ((size_t)n < ng->cap - keep)
		ng->eof = true;
	return 0;
}

/* At least n unread bytes in the buffer if the file has them. */
static inline int want(struct pcapng *ng, size_t n)
{
	if (ng->end - ng->pos >= n || ng->eof)
		return 0;
	return refill(ng, n);
}

/* A whole block, checked: *type, and *body over what lies between its
 * header and trailer. Returns 1, 0 at a clean end of file (between blocks),
 * or -1. The block stays at ng->pos until the caller moves past it. */
static inline __attribute__((always_inline)) int read_block(struct pcapng *ng, uint32_t *type,
							    struct cursor *body, uint32_t *total)
{
	/* libpcap checks neither the length's alignment nor the trailer of a
	 * file's first block, and before the first interface it skips section
	 * headers unread; this reader does the same, to stop where it stops. */
	bool first = ng->sections == 0, opening = ng->first_dlt < 0;
	struct cursor c;
	uint32_t len = 0, trailer = 0;

	if (want(ng, BLOCK_MIN_LEN) < 0)
		return -1;
	size_t avail = ng->end - ng->pos;
	if (avail == 0)
		return 0;
	cur_init(&c, ng->buf + ng->pos, avail);
	if (avail < BLOCK_HDR_LEN)
		return fail(ng, "truncated block header: %zu of %u bytes", avail, BLOCK_HDR_LEN);
	cur_le32(&c, type);                 /* only compared with values we know... */
	if (*type == BT_SHB) {
		/* A new section may have the other byte order: its magic says. */
		uint32_t magic;
		struct cursor m = c;
		if (!cur_skip(&m, 4) || !cur_le32(&m, &magic))
			return fail(ng, "truncated section header block: %zu of %u bytes", avail,
				    BLOCK_HDR_LEN + 4);
		if (magic == BYTE_ORDER_MAGIC)
			ng->big_endian = false;
		else if (magic == __builtin_bswap32(BYTE_ORDER_MAGIC))
			ng->big_endian = true;
		else if (opening)
			*type = 0;          /* not a section header: skipped */
		else
			return fail(ng, "section header block with a bad byte-order magic 0x%08" PRIx32,
				    magic);
	} else if (ng->big_endian) {
		*type = __builtin_bswap32(*type);   /* ...in this section's byte order */
	}
	get32(ng, &c, &len);
	if (len < BLOCK_MIN_LEN)
		return fail(ng, "block length %" PRIu32 " is under the minimum of %u", len,
			    BLOCK_MIN_LEN);
	if (len % 4 != 0 && !first)
		return fail(ng, "block length %" PRIu32 " is not a multiple of 4", len);
	if (len > ng->max_block)
		return fail(ng, "block length %" PRIu32 " is over the maximum of %" PRIu32, len,
			    ng->max_block);
	if (want(ng, len) < 0)
		return -1;
	avail = ng->end - ng->pos;
	if (avail < len)
		return fail(ng, "truncated block: %zu of %" PRIu32 " bytes", avail, len);
	cur_init(&c, ng->buf + ng->pos + len - 4, 4);
	get32(ng, &c, &trailer);
	if (trailer != len && !first)
		return fail(ng, "block length %" PRIu32 " in the header and %" PRIu32
			    " in the trailer differ", len, trailer);
	cur_init(body, ng->buf + ng->pos + BLOCK_HDR_LEN, len - BLOCK_MIN_LEN);
	*total = len;
	return 1;
}

/* A section header's body: the byte order is already known; the version
 * must be 1.x (1.0 or 1.2 for the file's first section, as libpcap). */
static int read_shb(struct pcapng *ng, struct cursor *body, bool first)
{
	uint16_t major, minor;

	if (!cur_skip(body, 4) || !get16(ng, body, &major) || !get16(ng, body, &minor) ||
	    !cur_skip(body, 8))
		return fail(ng, "section header block too short");
	if (major != 1 || (first && minor != 0 && minor != 2))
		return fail(ng, "unsupported pcapng version %u.%u", major, minor);
	if (ng->sections == 0)
		ng->first_big_endian = ng->big_endian;
	else if (ng->big_endian != ng->first_big_endian)
		ng->mixed_byte_order = true;
	ng->n_ifaces = 0;               /* interfaces are numbered per section */
	ng->sections++;
	return 0;
}

/* The options libpcap checks (it uses them for timestamps): each one whole,
 * if_tsresol 1 byte and in range, if_tsoffset 8 bytes, neither twice, an
 * end-of-options of length 0. */
static int check_idb_options(struct pcapng *ng, struct cursor *c)
{
	bool saw_tsresol = false, saw_tsoffset = false;

	while (c->left > 0) {
		uint16_t code, len;
		uint8_t v = 0;
		struct cursor val;
		if (!get16(ng, c, &code) || !get16(ng, c, &len))
			return fail(ng, "interface description block: option header cut short");
		size_t padded = ((size_t)len + 3) / 4 * 4;
		if (!cur_sub(c, padded, &val))
			return fail(ng, "interface description block: option %u cut short", code);
		switch (code) {
		case OPT_ENDOFOPT:
			if (len != 0)
				return fail(ng, "interface description block: end of options "
					    "with length %u", len);
			return 0;
		case IF_TSRESOL:
			if (len != 1 || saw_tsresol)
				return fail(ng, "interface description block: bad if_tsresol option");
			saw_tsresol = true;
			cur_u8(&val, &v);
			if ((v & 0x80) ? (v & 0x7f) > 63 : v > 19)
				return fail(ng, "interface description block: if_tsresol %u "
					    "out of range", v);
			break;
		case IF_TSOFFSET:
			if (len != 8 || saw_tsoffset)
				return fail(ng, "interface description block: bad if_tsoffset option");
			saw_tsoffset = true;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int read_idb(struct pcapng *ng, struct cursor *body)
{
	uint16_t linktype;
	uint32_t snaplen;

	if (!get16(ng, body, &linktype) || !cur_skip(body, 2) || !get32(ng, body, &snaplen))
		return fail(ng, "interface description block too short");
	if (check_idb_options(ng, body) < 0)
		return -1;
	if (ng->n_ifaces >= PCAPNG_MAX_IFACES)
		return fail(ng, "more than %u interfaces in a section", PCAPNG_MAX_IFACES);
	if (ng->n_ifaces == ng->ifaces_cap) {
		uint32_t n = ng->ifaces_cap ? ng->ifaces_cap * 2 : 4;
		struct pcapng_iface *bigger = realloc(ng->ifaces, n * sizeof(*bigger));
		if (!bigger)
			return fail(ng, "%s", strerror(ENOMEM));
		ng->ifaces = bigger;
		ng->ifaces_cap = n;
	}
	struct pcapng_iface *i = &ng->ifaces[ng->n_ifaces++];
	i->dlt = linktype_to_dlt(linktype);
	uint32_t max = max_snaplen_for_dlt(i->dlt);
	/* as libpcap 1.10 (pcap_adjust_snapshot): 0, or negative as an int,
	 * means the maximum; any other value is kept */
	i->snapshot = snaplen == 0 || snaplen > INT32_MAX ? max : snaplen;
	if (ng->first_dlt < 0) {
		ng->first_dlt = i->dlt;
		ng->first_snapshot = i->snapshot;
		/* as libpcap: the first interface's link type may allow longer blocks */
		uint64_t room = (uint64_t)BLOCK_MIN_LEN + EPB_BODY_LEN + max + 131072;
		if (room > ng->max_block)
			ng->max_block = (uint32_t)room;
	} else if (i->dlt != ng->first_dlt || i->snapshot != ng->first_snapshot) {
		ng->mixed_ifaces = true;
	}
	return 0;
}

enum pcapng_open_status pcapng_open(struct pcapng *ng, int fd, size_t bufsize)
{
	uint8_t head[12];
	struct cursor c;
	uint32_t type = 0, len, magic;

	memset(ng, 0, sizeof(*ng));
	ng->fd = fd;
	ng->first_dlt = -1;
	ng->max_block = PCAPNG_MAX_BLOCK;
	ssize_t n = read_full(fd, head, sizeof(head));
	if (n < 0) {
		snprintf(ng->error, sizeof(ng->error), "read: %s", strerror(errno));
		return PCAPNG_ERROR;
	}
	if ((size_t)n < sizeof(head))
		return PCAPNG_NOT_MINE;
	cur_init(&c, head, sizeof(head));
	cur_le32(&c, &type);
	cur_le32(&c, &len);
	cur_le32(&c, &magic);
	if (type != BT_SHB ||
	    (magic != BYTE_ORDER_MAGIC && magic != __builtin_bswap32(BYTE_ORDER_MAGIC)))
		return PCAPNG_NOT_MINE;

	ng->cap = bufsize > sizeof(head) ? bufsize : sizeof(head);
	ng->buf = malloc(ng->cap);
	if (!ng->buf) {
		snprintf(ng->error, sizeof(ng->error), "%s", strerror(ENOMEM));
		return PCAPNG_ERROR;
	}
	memcpy(ng->buf, head, sizeof(head));
	ng->end = sizeof(head);

	/* The first section header, as libpcap checks it, then blocks up to the
	 * first interface: packets before it have no link type. */
	if (magic != BYTE_ORDER_MAGIC)
		len = __builtin_bswap32(len);
	if (len < BLOCK_MIN_LEN + SHB_BODY_LEN || len > SHB_MAX_LEN) {
		fail(ng, "section header block length %" PRIu32 " is invalid", len);
		return PCAPNG_ERROR;
	}
	for (;;) {
		struct cursor body;
		uint32_t total = 0;
		int rc = read_block(ng, &type, &body, &total);
		if (rc == 0)
			fail(ng, "no interface description block");
		if (rc <= 0)
			return PCAPNG_ERROR;
		switch (type) {
		case BT_SHB:
			if (ng->sections == 0)
				rc = read_shb(ng, &body, true);
			else if (ng->big_endian != ng->first_big_endian)
				ng->mixed_byte_order = true;  /* else: libpcap looks no further */
			break;
		case BT_IDB:
			rc = read_idb(ng, &body);
			break;
		case BT_EPB:
		case BT_SPB:
		case BT_PB:
			rc = fail(ng, "a packet block before any interface description block");
			break;
		default:
			rc = 0;
			break;
		}
		if (rc < 0)
			return PCAPNG_ERROR;
		ng->pos += total;
		if (type == BT_IDB)
			return PCAPNG_OK;
	}
}

int pcapng_next(struct pcapng *ng, struct pcapng_record *rec)
{
	for (;;) {
		struct cursor body;
		uint32_t type = 0, total = 0, iface, caplen, len;
		uint16_t iface16;
		int rc = read_block(ng, &type, &body, &total);
		if (rc <= 0)
			return rc;
		switch (type) {
		case BT_EPB:
			if (!get32(ng, &body, &iface) || !cur_skip(&body, 8) ||
			    !get32(ng, &body, &caplen) || !get32(ng, &body, &len))
				return fail(ng, "enhanced packet block too short");
			break;
		case BT_PB:
			if (!get16(ng, &body, &iface16) || !cur_skip(&body, 10) ||
			    !get32(ng, &body, &caplen) || !get32(ng, &body, &len))
				return fail(ng, "packet block too short");
			iface = iface16;
			break;
		case BT_SPB:
			/* on the section's first interface, cut to its snapshot length */
			if (!get32(ng, &body, &len))
				return fail(ng, "simple packet block too short");
			iface = 0;
			caplen = ng->n_ifaces > 0 && len > ng->ifaces[0].snapshot ?
				 ng->ifaces[0].snapshot : len;
			break;
		case BT_IDB:
			if (read_idb(ng, &body) < 0)
				return -1;
			ng->pos += total;
			continue;
		case BT_SHB:
			if (read_shb(ng, &body, false) < 0)
				return -1;
			ng->pos += total;
			continue;
		default:
			ng->pos += total;   /* statistics, name resolution, custom, ... */
			continue;
		}
		if (iface >= ng->n_ifaces)
			return fail(ng, "a packet on interface %" PRIu32 ", which has no interface "
				    "description block", iface);
		const struct pcapng_iface *i = &ng->ifaces[iface];
		if (caplen > i->snapshot)
			return fail(ng, "captured length %" PRIu32 " is over interface %" PRIu32
				    "'s snapshot length %" PRIu32, caplen, iface, i->snapshot);
		if (body.left < caplen)
			return fail(ng, "captured length %" PRIu32 " is over the block's %zu bytes",
				    caplen, body.left);
		rec->data = body.p;
		rec->caplen = caplen;
		rec->len = len;
		rec->iface = iface;
		rec->dlt = i->dlt;
		ng->pos += total;
		ng->records++;
		return 1;
	}
}

void pcapng_close(struct pcapng *ng)
{
	free(ng->buf);
	free(ng->ifaces);
	ng->buf = NULL;
	ng->ifaces = NULL;
}
