#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frame.h"
#include "name_filter.h"
#include "sandbox.h"

static int iface_ipv4(const char *ifname, uint32_t *ip)
{
	struct ifaddrs *list, *a;
	*ip = 0;
	if (getifaddrs(&list) != 0)
		return -1;
	for (a = list; a; a = a->ifa_next) {
		if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET && strcmp(a->ifa_name, ifname) == 0) {
			*ip = ntohl(((const struct sockaddr_in *)(const void *)a->ifa_addr)->sin_addr.s_addr);
			break;
		}
	}
	freeifaddrs(list);
	return 0;
}

int arpd_net_open(struct arpd_net *n, const char *ifname, char *err, size_t errlen)
{
	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (strlen(ifname) >= sizeof(n->ifname) || strlen(ifname) >= IFNAMSIZ) {
		snprintf(err, errlen, "interface name '%s' is too long", ifname);
		return -1;
	}
	snprintf(n->ifname, sizeof(n->ifname), "%s", ifname);
	n->ifindex = (int)if_nametoindex(ifname);
	if (n->ifindex == 0) {
		snprintf(err, errlen, "interface '%s' does not exist", ifname);
		return -1;
	}
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open a packet socket on '%s': %s", ifname,
			 errno == EPERM ? "needs root or CAP_NET_RAW" : strerror(errno));
		return -1;
	}
	/* filter first, then bind: no unfiltered frame is ever queued */
	/* ARP, ND, and the DHCP/mDNS/NBNS datagrams passive names read */
	struct sock_fprog prog;
	arpd_filter_program(&prog);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = n->ifindex,
	};
	const char *what = NULL;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) != 0)
		what = "attach its BPF filter";
	else if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		what = "bind the packet socket";
	else if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
		what = "read its hardware address";
	else if (iface_ipv4(ifname, &n->ipv4) != 0)
		what = "list its addresses";
	if (what) {
		snprintf(err, errlen, "'%s': cannot %s: %s", ifname, what, strerror(errno));
		close(fd);
		return -1;
	}
	if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		snprintf(err, errlen, "'%s' is not an Ethernet interface (ARP needs one)", ifname);
		close(fd);
		return -1;
	}
	memcpy(n->mac, ifr.ifr_hwaddr.sa_data, 6);
	/* the sandbox lets arpd send only on fixed descriptor numbers */
	n->fd = sandbox_place_fd(fd, SANDBOX_FD_PACKET);
	if (n->fd < 0) {
		snprintf(err, errlen, "'%s': cannot move the packet socket to descriptor %d: %s",
			 ifname, SANDBOX_FD_PACKET, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

bool arpd_net_send_request(struct arpd_net *n, uint32_t tpa)
{
	uint8_t frame[64];
	size_t len = arpd_build_request(frame, sizeof(frame), n->mac, n->ipv4, tpa);
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = n->ifindex,
		.sll_halen = 6,
		.sll_addr = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	};
	if (sendto(n->fd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len) {
		n->send_errors++;
		return false;
	}
	return true;
}

ssize_t arpd_net_recv(struct arpd_net *n, uint8_t *buf, size_t cap)
{
	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(n->fd, buf, cap, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (r < 0 && errno == ENETDOWN) {
			/* the interface went down: the socket reports it once and
			 * works again when it comes back up */
			n->down_events++;
			return 0;
		}
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		if (from.sll_pkttype == PACKET_OUTGOING) {
			n->outgoing++;
			continue;
		}
		return r;
	}
}

void arpd_net_close(struct arpd_net *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
