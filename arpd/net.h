/*
 * arpd's one packet socket: opened while privileged (root or CAP_NET_RAW),
 * bound to the interface, for every protocol (ETH_P_ALL) but with a classic
 * BPF filter in the kernel that passes only ARP, VLAN-tagged frames and
 * ICMPv6 router/neighbour solicitations and advertisements. One socket, so
 * one descriptor both sends the sweep's requests and hears every ARP and ND
 * frame; the filter keeps the rest of the traffic out of arpd entirely.
 */
#ifndef ARPD_NET_H
#define ARPD_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct arpd_net {
	int fd;
	int ifindex;
	char ifname[32];
	uint8_t mac[6];             /* the interface's own address */
	uint32_t ipv4;              /* its first IPv4 address (host order), 0 = none */
	uint64_t send_errors;
	uint64_t outgoing;          /* our own frames looped back, skipped */
	uint64_t down_events;       /* ENETDOWN: the interface went down */
};

/* 0, or -1 with one line in err naming the interface and the problem. */
int arpd_net_open(struct arpd_net *n, const char *ifname, char *err, size_t errlen);
/* Send an ARP request for tpa; false (counted) when the kernel refused it. */
bool arpd_net_send_request(struct arpd_net *n, uint32_t tpa);
/* Next incoming frame (not our own outgoing ones): its length, 0 when
 * none is waiting, -1 on error. */
ssize_t arpd_net_recv(struct arpd_net *n, uint8_t *buf, size_t cap);
void arpd_net_close(struct arpd_net *n);

#endif
