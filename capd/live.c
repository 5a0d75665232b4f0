#include "live.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "log.h"
#include "sandbox.h"
#include "wire.h"

_Static_assert((int)CAPD_KEY_MAC == (int)WIRE_KEY_MAC && (int)CAPD_KEY_IPV4 == (int)WIRE_KEY_IPV4 &&
	       (int)CAPD_KEY_IPV6 == (int)WIRE_KEY_IPV6, "table and wire key kinds agree");

/* TPACKET_V3 hands over a block when it fills or after this timeout. */
#define CAPD_BLOCK_TIMEOUT_MS 100

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capd_live *lv = (struct capd_live *)user;
	capd_account_frame(&lv->acct, lv->dlt, bytes, h->caplen, h->len);
}

static int fail(pcap_t *p, char *err, size_t errlen, const char *iface, const char *what)
{
	snprintf(err, errlen, "%s: %s: %s", iface, what, pcap_geterr(p));
	pcap_close(p);
	return -1;
}

static int activate(pcap_t *p, const char *iface, char *err, size_t errlen)
{
	int rc = pcap_activate(p);
	if (rc == 0)
		return 0;
	if (rc > 0) {               /* a warning: capture works */
		log_warnx("%s: %s", iface, pcap_geterr(p));
		return 0;
	}
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(err, errlen, "%s: no such interface", iface);
		break;
	case PCAP_ERROR_PERM_DENIED:
		snprintf(err, errlen, "%s: permission denied (capd needs CAP_NET_RAW or root)",
			 iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(err, errlen, "%s: interface is down", iface);
		break;
	default:
		snprintf(err, errlen, "%s: cannot capture: %s", iface, pcap_geterr(p));
		break;
	}
	pcap_close(p);
	return -1;
}

int capd_live_open(struct capd_live *lv, const struct netmon_config *cfg,
		   char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	memset(lv, 0, sizeof(*lv));
	snprintf(lv->interface, sizeof(lv->interface), "%s", cfg->interface);
	lv->networks = cfg->networks;

	pcap_t *p = pcap_create(lv->interface, errbuf);
	if (!p) {
		snprintf(err, errlen, "%s: %s", lv->interface, errbuf);
		return -1;
	}
	/* in size_t: 2048 MiB would wrap an int to a 2 MiB-less-than-nothing ring */
	size_t ring = (size_t)cfg->buffer_mb * 1024 * 1024;
	if (cfg->buffer_mb == 0 || ring > INT_MAX) {
		snprintf(err, errlen, "[capd] buffer_mb = %u: the ring must be 1 to %d MiB "
			 "(libpcap takes its size in bytes as an int)", cfg->buffer_mb,
			 INT_MAX >> 20);
		pcap_close(p);
		return -1;
	}
	lv->ring_bytes = ring;
	lv->snaplen = cfg->snaplen;
	if (pcap_set_snaplen(p, (int)cfg->snaplen) != 0 ||
	    pcap_set_promisc(p, cfg->promiscuous) != 0 ||
	    pcap_set_buffer_size(p, (int)ring) != 0 ||
	    pcap_set_immediate_mode(p, 0) != 0 ||
	    pcap_set_timeout(p, CAPD_BLOCK_TIMEOUT_MS) != 0)
		return fail(p, err, errlen, lv->interface, "setting capture options");
	if (activate(p, lv->interface, err, errlen) != 0)
		return -1;

	lv->dlt = pcap_datalink(p);
	if (!capd_decode_supported(lv->dlt)) {
		const char *name = pcap_datalink_val_to_name(lv->dlt);
		snprintf(err, errlen, "%s: link type %d (%s) is not supported", lv->interface,
			 lv->dlt, name ? name : "unknown");
		pcap_close(p);
		return -1;
	}
	/*
	 * Always a filter, "" (accept all) when none is configured: the
	 * compiled program returns the snaplen, and the kernel cuts each frame
	 * to what the socket filter returns before copying it into the ring.
	 * Without a socket filter TPACKET_V3 copies whole frames and libpcap
	 * cuts them in user space: for full-size traffic 3-4x the ring blocks,
	 * wake-ups and kernel copying per frame (issue 15; tcpdump always sets
	 * a filter, which is why it did not pay this).
	 */
	struct bpf_program prog;
	if (pcap_compile(p, &prog, cfg->filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return fail(p, err, errlen, lv->interface, "bad filter");
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0)
		return fail(p, err, errlen, lv->interface, "installing the filter");
	if (pcap_setnonblock(p, 1, errbuf) != 0) {
		snprintf(err, errlen, "%s: %s", lv->interface, errbuf);
		pcap_close(p);
		return -1;
	}
	lv->fd = pcap_get_selectable_fd(p);
	if (lv->fd < 0)
		return fail(p, err, errlen, lv->interface, "no selectable descriptor");

	if (capd_table_init_random(&lv->table, cfg->max_devices) != 0) {
		snprintf(err, errlen, "cannot set up a table of %u entries: %s", cfg->max_devices,
			 strerror(errno));
		pcap_close(p);
		return -1;
	}
	lv->rec = malloc(WIRE_MAX_LEN);
	lv->devs = calloc(WIRE_DEVICES_MAX, sizeof(*lv->devs));
	lv->idx = calloc(WIRE_DEVICES_MAX, sizeof(*lv->idx));
	if (!lv->rec || !lv->devs || !lv->idx) {
		snprintf(err, errlen, "out of memory");
		lv->p = p;
		capd_live_close(lv);
		return -1;
	}
	capd_account_init(&lv->acct, &lv->table, &lv->networks, false);
	lv->p = p;
	return 0;
}

int capd_live_dispatch(struct capd_live *lv, char *err, size_t errlen)
{
	/* -1 = everything in the ring buffer now; non-blocking, so it returns */
	int n = pcap_dispatch(lv->p, -1, on_packet, (u_char *)lv);
	if (n == PCAP_ERROR) {
		snprintf(err, errlen, "%s: capture failed: %s", lv->interface, pcap_geterr(lv->p));
		return -1;
	}
	return n;
}

uint64_t capd_live_hold_ns(const struct capd_live *lv, int frames)
{
	/* ring bytes per frame: the cut frame after TPACKET_V3's header, its
	 * sockaddr_ll and alignment (at most 96 bytes) */
	uint64_t used = (uint64_t)(frames > 0 ? frames : 0) * (lv->snaplen + 96u);
	return used < lv->ring_bytes / 8 ? CAPD_READ_INTERVAL_NS : 0;
}

static void send_stats(struct capd_live *lv, struct helper_link *link)
{
	uint8_t buf[WIRE_HDR_LEN + WIRE_CAP_STATS_LEN];
	struct pcap_stat ps;
	struct wire_cap_stats s;

	memset(&ps, 0, sizeof(ps));
	if (pcap_stats(lv->p, &ps) != 0)
		log_warnx("%s: pcap_stats: %s", lv->interface, pcap_geterr(lv->p));
	s.packets = lv->acct.frames;
	s.bytes = lv->acct.bytes;
	/* sampled every second: a 32-bit counter cannot wrap twice in between */
	s.ps_recv = capd_counter64_update(&lv->recv, ps.ps_recv);
	s.ps_drop = capd_counter64_update(&lv->drop, ps.ps_drop);
	s.ps_ifdrop = capd_counter64_update(&lv->ifdrop, ps.ps_ifdrop);
	s.evictions = lv->table.evictions;
	s.table_used = capd_table_count(&lv->table);
	s.table_capacity = lv->table.capacity;
	size_t len = wire_put_cap_stats(buf, sizeof(buf), link_next_seq(link), &s);
	if (len)
		link_send(link, buf, len);
}

/* Gather the next dirty entries from flush_pos into one record and send it.
 * Dirty bits are cleared only when the record went out. */
bool capd_live_flush_continue(struct capd_live *lv, struct helper_link *link)
{
	while (lv->flush_pending) {
		size_t n = 0;
		uint32_t i = lv->flush_pos;
		for (; i < capd_table_count(&lv->table) && n < WIRE_DEVICES_MAX; i++) {
			const struct capd_table_entry *e = capd_table_at(&lv->table, i);
			if (!e->dirty)
				continue;
			struct wire_device *d = &lv->devs[n];
			d->kind = e->kind;     /* enum capd_key_kind == enum wire_key_kind */
			memcpy(d->addr, e->key, sizeof(d->addr));
			d->created = e->serial;
			d->rx_bytes = e->rx_bytes;
			d->tx_bytes = e->tx_bytes;
			d->rx_packets = e->rx_packets;
			d->tx_packets = e->tx_packets;
			lv->idx[n++] = i;
		}
		if (n == 0) {
			lv->flush_pending = false;
			break;
		}
		size_t len = wire_put_devices(lv->rec, WIRE_MAX_LEN, link_next_seq(link), lv->devs, n);
		switch (link_try_send(link, lv->rec, len)) {
		case LINK_SENT:
			for (size_t k = 0; k < n; k++)
				lv->table.entries[lv->idx[k]].dirty = 0;
			lv->flush_pos = i;
			break;
		case LINK_BLOCKED:
			return false;        /* same position when the socket drains */
		case LINK_DOWN:
			lv->flush_pending = false;   /* a reconnect resends everything */
			return true;
		}
	}
	return true;
}

void capd_live_flush(struct capd_live *lv, struct helper_link *link)
{
	if (!link_connected(link))
		return;
	if (link->connects != lv->link_connects) {
		/* a new connection: the reporter may have restarted, send all */
		for (uint32_t i = 0; i < capd_table_count(&lv->table); i++)
			lv->table.entries[i].dirty = 1;
		lv->link_connects = link->connects;
		lv->flush_pending = false;
	}
	send_stats(lv, link);
	if (!lv->flush_pending) {
		lv->flush_pending = true;
		lv->flush_pos = 0;
	}
	capd_live_flush_continue(lv, link);
}

#ifdef NETMON_TEST_HOOKS
bool capd_live_test_hook(struct capd_live *lv, const char *hook)
{
	/* a broadcast frame of the local experimental EtherType 0x88b5 */
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5,
			      'n', 'e', 't', 'm', 'o', 'n', '-', 'i', 'n', 'j', 'e', 'c', 't' };
	long rc;

	if (!hook)
		return false;
	if (strcmp(hook, "inject") == 0)
		rc = pcap_inject(lv->p, frame, sizeof(frame));
	else if (strcmp(hook, "send-capture") == 0)
		rc = send(lv->fd, frame, sizeof(frame), 0);
	else if (strcmp(hook, "write-capture") == 0)
		rc = write(lv->fd, frame, sizeof(frame));
	else if (strcmp(hook, "dup-capture") == 0) {
		/* the capture socket at the link's number, then a write there */
		rc = dup3(lv->fd, SANDBOX_FD_LINK, O_CLOEXEC);
		if (rc >= 0)
			rc = write(SANDBOX_FD_LINK, frame, sizeof(frame));
	} else
		return false;
	if (rc < 0)
		log_warnx("test hook %s: refused: %s", hook,
			  strcmp(hook, "inject") == 0 ? pcap_geterr(lv->p) : strerror(errno));
	else
		log_warnx("test hook %s: sent %ld bytes", hook, rc);
	return true;
}
#endif

void capd_live_close(struct capd_live *lv)
{
	if (lv->p)
		pcap_close(lv->p);
	lv->p = NULL;
	capd_table_free(&lv->table);
	free(lv->rec);
	free(lv->devs);
	free(lv->idx);
	lv->rec = NULL;
	lv->devs = NULL;
	lv->idx = NULL;
}
