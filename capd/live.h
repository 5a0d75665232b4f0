/*
 * Live capture (issue #3): libpcap on the configured interface with
 * TPACKET_V3 (no immediate mode), a snaplen just long enough for the headers,
 * a ring of buffer_mb MiB, optional promiscuous mode and BPF filter.
 * Opened while privileged; everything after capd_live_open runs confined.
 */
#ifndef NETMON_CAPD_LIVE_H
#define NETMON_CAPD_LIVE_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "cidr.h"
#include "config.h"
#include "link.h"
#include "table.h"
#include "wire.h"

/* A busy link: capd reads the ring at most once per this interval (issue
 * 15), so that one wake-up reads every block filled since the last instead
 * of waking once per 256 KiB block. Only while the last read took less than
 * an eighth of the ring (capd_live_hold_ns): the ring always has room for
 * eight times the traffic of the interval before. */
#define CAPD_READ_INTERVAL_NS (20 * 1000000ULL)

/* A wrapping 32-bit counter widened to 64 bits (sampled at least once per wrap). */
struct capd_counter64 {
	uint32_t last;
	uint64_t total;
};

static inline uint64_t capd_counter64_update(struct capd_counter64 *c, uint32_t now)
{
	c->total += (uint32_t)(now - c->last);   /* modulo 2^32: one wrap is a small delta */
	c->last = now;
	return c->total;
}

struct capd_live {
	pcap_t *p;
	int fd;                      /* selectable fd for poll() */
	int dlt;
	size_t ring_bytes;           /* the ring size given to libpcap */
	uint32_t snaplen;
	char interface[CONFIG_NAME_MAX];
	struct cidr_list networks;
	struct capd_table table;
	struct capd_account acct;
	uint64_t link_connects;      /* link->connects at the last flush */
	/* a flush round in progress: the next entry index to look at */
	bool flush_pending;
	uint32_t flush_pos;
	/* libpcap's counters are 32-bit and wrap; these follow them in 64 bits */
	struct capd_counter64 recv, drop, ifdrop;
	/* flush scratch, allocated once: one CAP_DEVICES record at a time */
	uint8_t *rec;                /* WIRE_MAX_LEN bytes */
	struct wire_device *devs;    /* WIRE_DEVICES_MAX */
	uint32_t *idx;               /* their entry indexes */
};

/* Open and activate the capture, install the filter, allocate the table.
 * 0, or -1 with one line in err (no such interface, no permission, ...). */
int capd_live_open(struct capd_live *lv, const struct netmon_config *cfg,
		   char *err, size_t errlen);

/* Process whatever the ring holds: the number of frames, or -1 with err on
 * a capture error. */
int capd_live_dispatch(struct capd_live *lv, char *err, size_t errlen);

/* How long to leave the ring before reading it again after a read of
 * `frames` frames: CAPD_READ_INTERVAL_NS, or 0 (read as soon as a block is
 * ready) when those frames took an eighth of the ring or more. */
uint64_t capd_live_hold_ns(const struct capd_live *lv, int frames);

/*
 * Start a round of sending the state to the reporter (once a second): one
 * CAP_STATS record, then CAP_DEVICES records with every entry that changed
 * since it was last sent (every entry after a (re)connect, so a restarted
 * reporter gets the whole table). A big table does not fit in the socket at
 * once: the round stops when the socket is full and capd_live_flush_continue
 * resumes it when the socket is writable again. A round still in progress at
 * the next second simply goes on; nothing is skipped or sent twice.
 */
void capd_live_flush(struct capd_live *lv, struct helper_link *link);
/* Resume the round; true when it is complete (or the link is down). */
bool capd_live_flush_continue(struct capd_live *lv, struct helper_link *link);

void capd_live_close(struct capd_live *lv);

#ifdef NETMON_TEST_HOOKS
/* Test builds: once confined, try to transmit on the capture socket (hooks
 * inject, send-capture, write-capture, dup-capture; docs in common/daemon.h)
 * and log what happened. False when `hook` is not one of them. */
bool capd_live_test_hook(struct capd_live *lv, const char *hook);
#else
static inline bool capd_live_test_hook(struct capd_live *lv, const char *hook)
{
	(void)lv;
	(void)hook;
	return false;
}
#endif

#endif
