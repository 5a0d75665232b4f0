/*
 * The host's network facts the daemons derive defaults from: the interface
 * of the default route and an interface's own prefixes.
 */
#ifndef NETMON_NETINFO_H
#define NETMON_NETINFO_H

#include <stddef.h>

#include "cidr.h"

/* The interface of the default route: the IPv4 default with the lowest metric
 * from PROC_ROOT/net/route, else the IPv6 one from PROC_ROOT/net/ipv6_route.
 * 0, or -1 with a message in err ("[agent] interface: ..."). proc_root is a
 * parameter so tests can use fixtures. */
int netinfo_default_route_interface(const char *proc_root, char *ifname, size_t n,
				    char *err, size_t errlen);

/* Append the prefixes of `ifname`'s addresses in `list` (IPv4 and IPv6,
 * except IPv6 link-local fe80::/10, no duplicates) to out; returns out->n. */
struct ifaddrs;
size_t netinfo_interface_prefixes(const struct ifaddrs *list, const char *ifname,
				  struct cidr_list *out);

#endif
