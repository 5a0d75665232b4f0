/*
 * The one capture filter of arpd's packet socket: what discovery and passive
 * names need, nothing else, decided in the kernel before a frame is copied.
 *
 *   ARP                                   (ethertype 0x0806)
 *   802.1Q / 802.1ad tagged frames        (the parser looks through the tags;
 *                                          the NIC usually strips them first)
 *   IPv6 ICMPv6 RS/RA/NS/NA               (next header 58, type 133..136)
 *   IPv4 UDP 68 -> 67                     DHCP requests (client names)
 *   IPv4/IPv6 UDP from port 5353          mDNS (responses come from 5353)
 *   IPv4 UDP from port 137                NetBIOS name service
 *
 * IPv4 fragments after the first carry no UDP header and are dropped; the
 * IPv4 header length is honoured (options). IPv6 extension headers are not
 * walked: ND and mDNS do not use them. Accepted frames are cut at
 * ARPD_FILTER_SNAPLEN bytes: a full Ethernet frame with two VLAN tags; a
 * longer (jumbo) mDNS response is parsed up to the cut.
 *
 * Equivalent libpcap expression (untagged frames; the unit test checks that
 * both give the same verdict on a set of frames):
 *   arp or (icmp6 and ip6[40] >= 133 and ip6[40] <= 136)
 *   or (ip and udp and ((src port 68 and dst port 67) or src port 5353 or src port 137))
 *   or (ip6 and udp and src port 5353)
 */
#ifndef ARPD_NAME_FILTER_H
#define ARPD_NAME_FILTER_H

#include <linux/filter.h>
#include <stddef.h>

#define ARPD_FILTER_SNAPLEN 1600

#define ARPD_FILTER_PCAP_EXPR \
	"arp or (icmp6 and ip6[40] >= 133 and ip6[40] <= 136)" \
	" or (ip and udp and ((src port 68 and dst port 67) or src port 5353 or src port 137))" \
	" or (ip6 and udp and src port 5353)"

/* The program, ready for setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, prog,
 * sizeof(*prog)); attach it before bind() so no unfiltered frame is queued. */
void arpd_filter_program(struct sock_fprog *prog);

#endif
