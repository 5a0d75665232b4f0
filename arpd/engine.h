/*
 * What arpd does with a frame: parse it, learn from it (every ARP frame and
 * ND message updates the device table; DHCP, mDNS and NetBIOS datagrams name
 * devices through arpd/passive.c), and match sweep replies to the
 * requests of the sweep in progress. No sockets here: main.c feeds frames
 * in, and the fuzz target and unit tests feed made-up ones.
 */
#ifndef ARPD_ENGINE_H
#define ARPD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devtable.h"
#include "frame.h"
#include "oui.h"
#include "sweep.h"

struct arpd_engine {
	uint8_t own_mac[6];
	uint32_t own_ipv4;
	struct arpd_parse_stats parse;
	struct devtable table;
	struct oui_table oui;
	struct sweep sweep;
	bool sweeping;
	uint64_t sweeps_done;
	uint32_t last_found, last_swept; /* the last completed sweep */
	uint64_t unmatched_replies;  /* ARP replies to us for nothing we asked */
	uint64_t learned;            /* observations stored */
	uint64_t not_stored;         /* observations the table could not take */
	uint64_t passive_msgs;       /* DHCP/mDNS/NBNS datagrams parsed */
	uint64_t names_learned;      /* names attached to a device (new or refreshed) */
	uint64_t names_unplaced;     /* names whose device (MAC or IPv4 owner) is unknown */
	uint64_t about_learned;      /* vendor class, fingerprint, model, HINFO attached */
	uint64_t about_unplaced;     /* those whose MAC could not be stored */
	void (*on_event)(const struct dev_event *ev, void *arg);
	void *event_arg;
};

/* The table is set up by the caller (devtable_init*), the rest zeroed. */
void arpd_engine_frame(struct arpd_engine *e, const uint8_t *buf, size_t len,
		       uint64_t now_mono, uint64_t now_rt);

#endif
