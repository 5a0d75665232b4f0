/*
 * netmon-arpd: ARP discovery. Opens its packet socket while it still may
 * (root or CAP_NET_RAW), then drops every privilege and confines itself.
 * Skeleton of issue #2: it drains ARP frames and sends a heartbeat each second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "link.h"
#include "log.h"
#include "notify.h"
#include "sandbox.h"
#include "sched.h"

/* The one privileged step: a packet socket for ARP on the interface. */
static int open_arp_socket(const char *ifname)
{
	unsigned idx = if_nametoindex(ifname);
	if (idx == 0)
		fatalx("interface '%s' does not exist", ifname);
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ARP));
	if (fd < 0) {
		if (errno == EPERM)
			fatalx("cannot open a packet socket on '%s': needs root or CAP_NET_RAW", ifname);
		fatal("cannot open a packet socket on '%s'", ifname);
	}
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = (int)idx,
	};
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		fatal("cannot bind the packet socket to '%s'", ifname);
	/* the sandbox lets arpd send only on fixed descriptor numbers */
	int placed = sandbox_place_fd(fd, SANDBOX_FD_PACKET);
	if (placed < 0)
		fatal("cannot move the packet socket to descriptor %d", SANDBOX_FD_PACKET);
	return placed;
}

int main(int argc, char **argv)
{
	struct daemon_opts o;
	struct netmon_config cfg;
	daemon_start(argc, argv, "netmon-arpd", ROLE_ARPD, &o, &cfg);

	int arp_fd = open_arp_socket(cfg.interface);
	struct helper_link link;
	if (link_init(&link, ROLE_ARPD, cfg.run_dir) != 0)
		fatalx("run_dir '%s' is too long for a socket path", cfg.run_dir);
	struct notify sd;
	notify_open(&sd);
	daemon_confine(&cfg, ROLE_ARPD);
	daemon_test_hooks(&o);
	notify_ready(&sd, mono_ns());

	struct sched tick;
	sched_init(&tick, NSEC_PER_SEC, mono_ns());
	while (!daemon_stop) {
		uint64_t now = mono_ns();
		notify_watchdog(&sd, now);
		if (sched_due(&tick, now) && link_service(&link, now))
			link_send_heartbeat(&link, now);
		struct pollfd pfd = { .fd = arp_fd, .events = POLLIN };
		if (poll(&pfd, 1, sched_timeout_ms(&tick, mono_ns())) > 0 && (pfd.revents & POLLIN)) {
			uint8_t frame[1514];
			/* discovery arrives with its own issue; keep the queue empty */
			while (recv(arp_fd, frame, sizeof(frame), MSG_DONTWAIT) > 0)
				;
		}
	}
	log_info("stopping");
	notify_stopping(&sd);
	link_close(&link);
	close(arp_fd);
	return EXIT_SUCCESS;
}
