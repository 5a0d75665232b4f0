#include "pcapfile.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "io.h"

/* The LINKTYPE_ values of pcap-savefile(5) taken here, and the DLT_ values
 * libpcap hands out for them (they differ only for LINKTYPE_RAW; 12 and 14
 * are older files' raw IP, handed out unchanged). */
static int linktype_to_dlt(uint32_t linktype)
{
	switch (linktype) {
	case 0:   return DLT_NULL;
	case 1:   return DLT_EN10MB;
	case 9:   return DLT_PPP;
	case 12:  return DLT_RAW;
	case 14:  return 14;      /* OpenBSD's DLT_RAW */
	case 50:  return DLT_PPP_SERIAL;
	case 101: return DLT_RAW;
	case 108: return DLT_LOOP;
	case 113: return DLT_LINUX_SLL;
	case 276: return DLT_LINUX_SLL2;
	case 228: return DLT_IPV4;
	case 229: return DLT_IPV6;
	default:  return -1;
	}
}

static inline bool get32(const struct pcapfile *pf, struct cursor *c, uint32_t *v)
{
	return pf->big_endian ? cur_be32(c, v) : cur_le32(c, v);
}

static inline bool get16(const struct pcapfile *pf, struct cursor *c, uint16_t *v)
{
	return pf->big_endian ? cur_be16(c, v) : cur_le16(c, v);
}

enum pcapfile_open_status pcapfile_open(struct pcapfile *pf, int fd, size_t bufsize)
{
	uint8_t hdr[PCAPFILE_HEADER_LEN];
	struct cursor c;
	uint32_t magic_le, snaplen, linktype;
	uint16_t major, minor;

	memset(pf, 0, sizeof(*pf));
	pf->fd = fd;
	ssize_t n = read_full(fd, hdr, sizeof(hdr));
	if (n < 0) {
		snprintf(pf->error, sizeof(pf->error), "read: %s", strerror(errno));
		return PCAPFILE_ERROR;
	}
	if ((size_t)n < sizeof(hdr))
		return PCAPFILE_NOT_MINE;  /* libpcap says what is wrong with it */

	cur_init(&c, hdr, sizeof(hdr));
	cur_le32(&c, &magic_le);
	switch (magic_le) {
	case 0xa1b2c3d4u:  /* microseconds, little-endian */
	case 0xa1b23c4du:  /* nanoseconds */
		pf->big_endian = false;
		break;
	case 0xd4c3b2a1u:
	case 0x4d3cb2a1u:
		pf->big_endian = true;
		break;
	default:
		return PCAPFILE_NOT_MINE;
	}
	/* the rest cannot fail: the cursor holds exactly 24 bytes */
	get16(pf, &c, &major);
	get16(pf, &c, &minor);
	cur_skip(&c, 8);  /* thiszone, sigfigs: unused */
	get32(pf, &c, &snaplen);
	get32(pf, &c, &linktype);
	if (major != 2 || minor != 4)
		return PCAPFILE_NOT_MINE;
	pf->dlt = linktype_to_dlt(linktype);  /* FCS/extension bits: not ours */
	if (pf->dlt < 0)
		return PCAPFILE_NOT_MINE;
	/* as libpcap 1.10: a snapshot length of 0, or one that is negative as
	 * an int, means the maximum; any other is kept (one past the maximum
	 * then never cuts a record, as longer ones are refused) */
	pf->snapshot = snaplen == 0 || snaplen > INT32_MAX ? PCAPFILE_MAX_CAPLEN : snaplen;

	pf->cap = bufsize > 0 ? bufsize : 1;
	pf->buf = malloc(pf->cap);
	if (!pf->buf) {
		snprintf(pf->error, sizeof(pf->error), "%s", strerror(ENOMEM));
		return PCAPFILE_ERROR;
	}
	pf->buf_offset = sizeof(hdr);
	return PCAPFILE_OK;
}

/* Move the unread bytes to the front, make room for a record of `need`
 * bytes (only a record longer than the buffer grows it), and fill the rest
 * from the file. */
static int refill(struct pcapfile *pf, size_t need)
{
	size_t keep = pf->end - pf->pos;
	memmove(pf->buf, pf->buf + pf->pos, keep);
	pf->buf_offset += pf->pos;
	pf->pos = 0;
	pf->end = keep;
	if (need > pf->cap) {
		uint8_t *bigger = realloc(pf->buf, need);
		if (!bigger) {
			snprintf(pf->error, sizeof(pf->error), "%s", strerror(ENOMEM));
			pf->error_offset = pf->buf_offset;
			return -1;
		}
		pf->buf = bigger;
		pf->cap = need;
	}
	ssize_t n = read_full(pf->fd, pf->buf + keep, pf->cap - keep);
	if (n < 0) {
		snprintf(pf->error, sizeof(pf->error), "read: %s", strerror(errno));
		pf->error_offset = pf->buf_offset + pf->end;
		return -1;
	}
	pf->end += (size_t)n;
	if ((size_t)n < pf->cap - keep)
		pf->eof = true;
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct pcapfile *pf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pf->error, sizeof(pf->error), fmt, ap);
	va_end(ap);
	pf->error_offset = pf->buf_offset + pf->pos;
	return -1;
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_record *rec)
{
	struct cursor c, data;
	uint32_t caplen, len;

	if (pf->end - pf->pos < PCAPFILE_RECORD_HEADER_LEN && !pf->eof &&
	    refill(pf, PCAPFILE_RECORD_HEADER_LEN) < 0)
		return -1;
	size_t avail = pf->end - pf->pos;
	if (avail == 0)
		return 0;
	cur_init(&c, pf->buf + pf->pos, avail);
	if (!cur_skip(&c, 8) || !get32(pf, &c, &caplen) || !get32(pf, &c, &len))
		return fail(pf, "truncated record header: %zu of %u bytes", avail,
			    PCAPFILE_RECORD_HEADER_LEN);
	if (caplen > PCAPFILE_MAX_CAPLEN)
		return fail(pf, "captured length %" PRIu32 " is over the maximum of %u",
			    caplen, PCAPFILE_MAX_CAPLEN);
	if (c.left < caplen && !pf->eof) {
		if (refill(pf, PCAPFILE_RECORD_HEADER_LEN + (size_t)caplen) < 0)
			return -1;
		cur_init(&c, pf->buf + pf->pos, pf->end - pf->pos);
		cur_skip(&c, PCAPFILE_RECORD_HEADER_LEN);  /* there before the refill */
	}
	if (!cur_sub(&c, caplen, &data))
		return fail(pf, "truncated record: %zu of %" PRIu32 " captured bytes", c.left,
			    caplen);
	/* as libpcap: a record longer than the file's snapshot length is cut */
	rec->data = data.p;
	rec->caplen = caplen > pf->snapshot ? pf->snapshot : caplen;
	rec->len = len;
	pf->pos += PCAPFILE_RECORD_HEADER_LEN + caplen;
	pf->records++;
	return 1;
}

void pcapfile_close(struct pcapfile *pf)
{
	free(pf->buf);
	pf->buf = NULL;
}
