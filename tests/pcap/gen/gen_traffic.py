#!/usr/bin/python3
"""Deterministic pcap generator with exact expected capd counters (SPEC section 4).

Writes a DLT_EN10MB pcap of mixed traffic on a made-up LAN and, with --expected,
the counters netmon-capd --read FILE --networks ... --dump must print, in its
JSON Lines format:

  {"mac":"aa:bb:cc:dd:ee:ff","rxBytes":N,"txBytes":N,"rxPackets":N,"txPackets":N}
  {"ip":"198.18.0.7","rxBytes":N,"txBytes":N,"rxPackets":N,"txPackets":N}

MAC lines first, sorted by string, then local-IP lines sorted by string. Only
addresses credited with something appear (a multicast destination MAC that never
sends is credited nothing, so it has no line).

The LAN: gateway (host 0) and --hosts hosts, MACs 02:xx:.. (locally administered),
IPv4 198.18.0.1 + i (198.18.0.0/15, so up to 131070 hosts have IPv4; the rest are
IPv6-only), IPv6 in 2001:db8:1::/64. "Internet" hosts: 203.0.113.0/24,
198.51.100.0/24, 192.0.2.0/24 and 2001:db8:ffff::/48, reached via the gateway MAC.
Nothing here is ever sent anywhere by this script: it only writes files.

Every frame's expected credits are derived twice: from what its builder meant
to build (the "intent"), and by decoding the bytes written with the SPEC rules
(the "reference decoder"). The two must agree frame by frame, or the generator
stops with an error naming the frame (--no-self-check skips the second path, for
the multi-million-address memory benchmark file).

SPEC section 4 as applied here (the points an implementer could read two ways are
marked "reading"):
  * bytes = pcap `len` (wire length), packets = 1 per frame;
  * MAC layer needs the 14-byte Ethernet header captured (reading: a 12- or
    13-byte frame has both MACs but is too short for the Ethernet layer, so it
    counts nowhere); tx to source MAC always (even with the group bit set), rx to
    destination MAC only when unicast;
  * any number of 0x8100 / 0x88a8 tags are skipped (each must be captured);
  * a PPPoE session header (ethertype 0x8864: version 1, type 1, code 0, 6 bytes)
    and its 2-byte PPP protocol field (0x0021 IPv4, 0x0057 IPv6; anything else,
    e.g. LCP, ends at the MACs) are skipped, every byte captured;
  * an MPLS label stack (0x8847 / 0x8848) is skipped up to the entry with the
    bottom-of-stack bit (each 4-byte entry captured); the payload's first nibble
    then says IPv4 (4) or IPv6 (6); tunnels (GRE, VXLAN, ...) are never entered;
  * IPv4 (ethertype 0x0800): version 4, IHL >= 5, IHL*4 <= total length, IP
    offset + IHL*4 <= wire length, and (reading) the first 20 header bytes captured
    so the addresses can be read; options cut off by the snaplen do not matter;
  * IPv6 (ethertype 0x86dd): version 6 and all 40 header bytes captured;
  * the generator never puts version 6 under ethertype 0x0800 nor version 4 under
    0x86dd (reading: SPEC does not say whether those count as the other family).

Usage: gen_traffic.py --out F.pcap [--expected F.jsonl] [--packets N] [--hosts N]
       [--seed S] [--snaplen N] [--networks CIDR,...] [--profile full|clean|live]
"""

import argparse
import bisect
import ipaddress
import random
import struct
import sys

PCAP_MAGIC = 0xA1B2C3D4
DLT_EN10MB = 1
PCAP_GLOBAL = struct.Struct("<IHHiIII")
PCAP_RECORD = struct.Struct("<IIII")

ETH_IPV4 = 0x0800
ETH_ARP = 0x0806
ETH_IPV6 = 0x86DD
ETH_8021Q = 0x8100
ETH_8021AD = 0x88A8
ETH_LLDP = 0x88CC
ETH_LOCAL_EXP = 0x88B5  # IEEE "local experimental": a harmless unicast non-IP type
ETH_PPPOE_SESSION = 0x8864
ETH_MPLS = 0x8847
ETH_MPLS_MC = 0x8848
PPP_IPV4, PPP_IPV6, PPP_LCP = 0x0021, 0x0057, 0xC021

BROADCAST_MAC = b"\xff" * 6
MDNS4_MAC, MDNS4_IP = bytes.fromhex("01005e0000fb"), bytes([224, 0, 0, 251])
SSDP_MAC, SSDP_IP = bytes.fromhex("01005e7ffffa"), bytes([239, 255, 255, 250])
MDNS6_MAC = bytes.fromhex("3333000000fb")
MDNS6_IP = ipaddress.IPv6Address("ff02::fb").packed
LLDP_MAC = bytes.fromhex("0180c200000e")
STP_MAC = bytes.fromhex("0180c2000000")
GROUP_SRC_MACS = (bytes.fromhex("01005e7ffffa"), bytes.fromhex("0300aabbccdd"))

LAN4_BASE = int(ipaddress.IPv4Address("198.18.0.1"))
LAN4_CAPACITY = (1 << 17) - 2          # 198.18.0.1 .. 198.19.255.254
LAN4_BROADCAST = ipaddress.IPv4Address("198.19.255.255").packed
LIMITED_BROADCAST = b"\xff" * 4
ZERO4 = b"\x00" * 4
LAN6_PREFIX = ipaddress.IPv6Address("2001:db8:1::").packed[:8]
LINKLOCAL6_PREFIX = ipaddress.IPv6Address("fe80::").packed[:8]
INET4_RANGES = tuple(ipaddress.IPv4Address(a).packed[:3]
                     for a in ("203.0.113.0", "198.51.100.0", "192.0.2.0"))
INET4_COUNT = 3 * 254
INET6_PREFIX = ipaddress.IPv6Address("2001:db8:ffff::").packed[:6]
DEFAULT_NETWORKS = "198.18.0.0/15,2001:db8:1::/64"

# UDP/TCP ports whose payload no dissector (tshark's either) reads as another
# IP packet: no tunnels (VXLAN, GTP, GENEVE, L2TP, IPsec NAT-T), zero payloads.
TCP_SERVICES = (443, 80, 22, 993, 8080)
UDP_SERVICES = (53, 123, 514, 9)

# Traffic classes: (name, weight). The "clean" profile leaves out the classes where
# tshark's IP dissector and SPEC section 4 legitimately disagree (see t_gen_tshark.sh);
# "live" leaves out what a packet socket cannot send (frames shorter than 14 bytes).
CLASSES = (
    ("out4", 16), ("in4", 16), ("out6", 7), ("in6", 7), ("lan4", 9), ("lan6", 4),
    ("opt4", 2),        # valid IPv4 with options (IHL 6..15)
    ("longlen4", 1),    # valid IPv4 whose total length claims more than the frame holds
    ("bcast4", 3), ("mcast4", 2), ("mcast6", 2), ("arp", 5), ("nonip", 3),
    ("badver4", 1),     # ethertype IPv4, version not 4 (never 6)
    ("badihl4", 1),     # IHL 0..4
    ("ihlgt4", 1),      # IHL*4 > total length (total length 1..IHL*4-1)
    ("tot0", 0.5),      # total length 0: IHL*4 > 0 fails SPEC; tshark assumes TSO
    ("nofit4", 1),      # IHL*4 runs past the end of the frame on the wire
    ("short4", 1),      # frame ends inside the tags or the first 20 IPv4 bytes
    ("badver6", 1),     # ethertype IPv6, version not 6 (never 4)
    ("short6", 1),      # frame ends inside the 40-byte IPv6 header
    ("runt", 1),        # shorter than an Ethernet header (1..13 bytes)
    ("grpsrc", 0.5),    # source MAC with the group bit set: still tx per SPEC
    ("pppoe4", 1.5),    # IPv4 in a PPPoE session (a router's WAN side)
    ("pppoe6", 0.5),    # IPv6 in a PPPoE session
    ("pppoelcp", 0.3),  # LCP in a PPPoE session: MACs only
    ("mpls4", 1),       # IPv4 under 1-3 MPLS labels
    ("mpls6", 0.5),     # IPv6 under 1-3 MPLS labels
)
PROFILE_EXCLUDES = {
    "full": (),
    # tot0: tshark (ip.tso_support) treats total length 0 as "take the frame
    # length" and counts the packet; SPEC's IHL*4 <= total length rejects it.
    "clean": ("tot0",),
    # live: runts cannot be sent (a packet socket needs 14 bytes), and see shortest().
    "live": ("runt",),
}


class Networks:
    """The local CIDRs, with a per-address cache (addresses repeat a lot)."""

    def __init__(self, text):
        self.nets = [ipaddress.ip_network(s.strip(), strict=False)
                     for s in text.split(",") if s.strip()]
        self.cache = {}

    def contains(self, addr):
        hit = self.cache.get(addr)
        if hit is None:
            ip = ipaddress.ip_address(addr)
            hit = any(ip.version == n.version and ip in n for n in self.nets)
            self.cache[addr] = hit
        return hit


class Counters:
    """[rxBytes, txBytes, rxPackets, txPackets] per MAC and per local IP."""

    def __init__(self, networks):
        self.networks = networks
        self.mac = {}
        self.ip = {}

    @staticmethod
    def _add(table, key, length, is_tx):
        c = table.get(key)
        if c is None:
            c = table[key] = [0, 0, 0, 0]
        if is_tx:
            c[1] += length
            c[3] += 1
        else:
            c[0] += length
            c[2] += 1

    def credit(self, credits, wirelen):
        mac_tx, mac_rx, ip_src, ip_dst = credits
        if mac_tx is not None:
            self._add(self.mac, mac_tx, wirelen, True)
        if mac_rx is not None:
            self._add(self.mac, mac_rx, wirelen, False)
        if ip_src is not None and self.networks.contains(ip_src):
            self._add(self.ip, ip_src, wirelen, True)
        if ip_dst is not None and self.networks.contains(ip_dst):
            self._add(self.ip, ip_dst, wirelen, False)

    def lines(self):
        def line(kind, name, c):
            return ('{"%s":"%s","rxBytes":%d,"txBytes":%d,"rxPackets":%d,"txPackets":%d}'
                    % (kind, name, c[0], c[1], c[2], c[3]))
        macs = sorted((":".join("%02x" % b for b in k), c) for k, c in self.mac.items())
        ips = sorted((str(ipaddress.ip_address(k)), c) for k, c in self.ip.items())
        return [line("mac", n, c) for n, c in macs] + [line("ip", n, c) for n, c in ips]


def be16(b, off):
    return (b[off] << 8) | b[off + 1]


def spec_decode(cap, wirelen):
    """Reference decoder: (tx MAC, rx MAC, src IP, dst IP) credited by SPEC section 4
    for a frame whose captured bytes are `cap`. Locality is applied by the caller."""
    n = len(cap)
    if n < 14:
        return (None, None, None, None)
    mac_tx = cap[6:12]
    mac_rx = None if cap[0] & 1 else cap[0:6]
    off = 12
    etype = be16(cap, off)
    while etype in (ETH_8021Q, ETH_8021AD):
        off += 4
        if n < off + 2:
            return (mac_tx, mac_rx, None, None)
        etype = be16(cap, off)
    ip = off + 2
    if etype == ETH_PPPOE_SESSION:
        if n < ip + 8 or cap[ip] != 0x11 or cap[ip + 1] != 0:
            return (mac_tx, mac_rx, None, None)
        etype = {PPP_IPV4: ETH_IPV4, PPP_IPV6: ETH_IPV6}.get(be16(cap, ip + 6))
        ip += 8
    elif etype in (ETH_MPLS, ETH_MPLS_MC):
        while True:
            if n < ip + 4:
                return (mac_tx, mac_rx, None, None)
            ip += 4
            if cap[ip - 2] & 1:
                break
        nibble = cap[ip] >> 4 if n > ip else None
        etype = {4: ETH_IPV4, 6: ETH_IPV6}.get(nibble)
    if etype == ETH_IPV4 and n >= ip + 20:
        version, ihl = cap[ip] >> 4, cap[ip] & 15
        total = be16(cap, ip + 2)
        if version == 4 and ihl >= 5 and ihl * 4 <= total and ip + ihl * 4 <= wirelen:
            return (mac_tx, mac_rx, cap[ip + 12:ip + 16], cap[ip + 16:ip + 20])
    elif etype == ETH_IPV6 and n >= ip + 40 and cap[ip] >> 4 == 6:
        return (mac_tx, mac_rx, cap[ip + 8:ip + 24], cap[ip + 24:ip + 40])
    return (mac_tx, mac_rx, None, None)


def ip_checksum(header):
    s = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Frame:
    """What a builder made: headers (padded with zeros up to wirelen on output; cut
    at wirelen when a header claims more than the wire holds), and what it meant:
    the MACs and IPs SPEC credits, and the lengths the IP credit depends on."""
    __slots__ = ("hdr", "wirelen", "mac_tx", "mac_rx", "ip_src", "ip_dst",
                 "ip_need_cap", "ip_need_wire")

    def __init__(self, hdr, wirelen, mac_tx=None, mac_rx=None, ip_src=None,
                 ip_dst=None, ip_need_cap=0, ip_need_wire=0):
        self.hdr, self.wirelen = hdr, wirelen
        self.mac_tx, self.mac_rx = mac_tx, mac_rx
        self.ip_src, self.ip_dst = ip_src, ip_dst
        self.ip_need_cap, self.ip_need_wire = ip_need_cap, ip_need_wire

    def intended_credits(self, caplen):
        if self.mac_tx is None or caplen < 14:
            return (None, None, None, None)
        if self.ip_src is not None and caplen >= self.ip_need_cap \
                and self.wirelen >= self.ip_need_wire:
            return (self.mac_tx, self.mac_rx, self.ip_src, self.ip_dst)
        return (self.mac_tx, self.mac_rx, None, None)


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.nhosts = args.hosts + 1            # host 0 is the gateway
        self.mtu = args.mtu
        self.live = args.profile == "live"
        self.gw_mac = self.host_mac(0)
        # Walk the hosts with a stride so that N packets touch min(N, hosts) of them.
        self.stride = next(p for p in (1000003, 999983, 999979) if self.nhosts % p)
        self.offset = self.rng.randrange(self.nhosts)
        excluded = PROFILE_EXCLUDES[args.profile]
        names, cum, total = [], [], 0.0
        for name, weight in CLASSES:
            if name in excluded:
                continue
            total += weight
            names.append(name)
            cum.append(total)
        self.class_names, self.class_cum, self.class_total = names, cum, total
        self.builders = [getattr(self, "build_" + n) for n in names]

    # ---- addresses -----------------------------------------------------------
    @staticmethod
    def host_mac(i):
        # odd multiplier: a bijection on 40 bits, so MACs are unique and varied
        return b"\x02" + (((i + 1) * 0x9E3779B1) & 0xFFFFFFFFFF).to_bytes(5, "big")

    @staticmethod
    def host_v4(i):
        return (LAN4_BASE + i).to_bytes(4, "big") if i < LAN4_CAPACITY else None

    def host_v6(self, i):
        if i % 2 == 0:
            return LAN6_PREFIX + (i + 1).to_bytes(8, "big")
        return LAN6_PREFIX + self.eui64(self.host_mac(i))

    @staticmethod
    def eui64(mac):
        return bytes((mac[0] ^ 2, mac[1], mac[2], 0xFF, 0xFE, mac[3], mac[4], mac[5]))

    @staticmethod
    def inet_v4(j):
        return INET4_RANGES[j // 254] + bytes((j % 254 + 1,))

    @staticmethod
    def inet_v6(j):
        return INET6_PREFIX + (j * 0x1001 + 1).to_bytes(10, "big")

    def primary_host(self, k, allow_gateway=True):
        h = (k * self.stride + self.offset) % self.nhosts
        if h == 0 and not allow_gateway:
            h = 1
        return h

    def other_host(self, h):
        o = self.rng.randrange(self.nhosts - 1)
        return o + 1 if o >= h else o

    # ---- layers --------------------------------------------------------------
    def tags(self):
        """Random VLAN stack: none mostly, 802.1Q, QinQ (802.1ad outer), or three."""
        r = self.rng.random()
        if r < 0.87:
            return ()
        if r < 0.95:
            return (ETH_8021Q,)
        if r < 0.99:
            return (ETH_8021AD, ETH_8021Q)
        return (ETH_8021AD, ETH_8021Q, ETH_8021Q)

    def eth(self, dst, src, tags, etype):
        out = [dst, src]
        for tpid in tags:
            out.append(struct.pack("!HH", tpid, self.rng.randrange(1, 4095)))
        out.append(struct.pack("!H", etype))
        return b"".join(out)

    def l4(self, outbound):
        """A TCP or UDP header; returns (protocol, bytes)."""
        rng = self.rng
        eph = rng.randrange(49152, 65536)
        if rng.random() < 0.7:
            svc = TCP_SERVICES[rng.randrange(len(TCP_SERVICES))]
            sport, dport = (eph, svc) if outbound else (svc, eph)
            return 6, struct.pack("!HHIIBBHHH", sport, dport, rng.getrandbits(32),
                                  rng.getrandbits(32), 0x50, 0x10, 65535, 0, 0)
        svc = UDP_SERVICES[rng.randrange(len(UDP_SERVICES))]
        sport, dport = (eph, svc) if outbound else (svc, eph)
        return 17, struct.pack("!HHHH", sport, dport, 0, 0)

    @staticmethod
    def fix_udp_length(proto, l4, pay):
        return l4[:4] + struct.pack("!H", 8 + pay) + l4[6:] if proto == 17 else l4

    def payload_len(self, room):
        r = self.rng.random()
        if r < 0.3:
            return 0
        if r < 0.65:
            return self.rng.randrange(1, min(560, room) + 1)
        return room

    def ipv4(self, src, dst, proto, total, ihl=5, version=4):
        opts = b""
        if ihl > 5:
            opts = b"\x01" * (ihl * 4 - 21) + b"\x00"        # NOPs, then end of list
        h = struct.pack("!BBHHHBBH4s4s", (version << 4) | ihl, 0, total,
                        self.rng.getrandbits(16), 0x4000, 64, proto, 0, src, dst) + opts
        return h[:10] + struct.pack("!H", ip_checksum(h)) + h[12:]

    @staticmethod
    def ipv6(src, dst, nxt, plen, version=6):
        return struct.pack("!IHBB16s16s", version << 28, plen, nxt, 64, src, dst)

    @staticmethod
    def padded(n):
        return max(n, 60)   # Ethernet minimum (without FCS)

    # ---- well-formed IP ------------------------------------------------------
    def link(self, mac_dst, mac_src, version, encap, ip_len):
        """Ethernet (and tags) up to the IP header, through a PPPoE session or
        an MPLS label stack when `encap` says so."""
        tags = self.tags()
        if encap == "pppoe":
            proto = PPP_IPV4 if version == 4 else PPP_IPV6
            return self.eth(mac_dst, mac_src, tags, ETH_PPPOE_SESSION) + struct.pack(
                "!BBHHH", 0x11, 0, self.rng.randrange(1, 65535), ip_len + 2, proto)
        if encap == "mpls":
            n = 1 + (self.rng.random() < 0.4) + (self.rng.random() < 0.2)
            labels = b"".join(struct.pack("!I", (self.rng.randrange(16, 1 << 20) << 12)
                                          | ((i == n - 1) << 8) | 64) for i in range(n))
            etype = ETH_MPLS if self.rng.random() < 0.9 else ETH_MPLS_MC
            return self.eth(mac_dst, mac_src, tags, etype) + labels
        return self.eth(mac_dst, mac_src, tags, ETH_IPV4 if version == 4 else ETH_IPV6)

    @staticmethod
    def encap_len(encap):
        return {"pppoe": 8, "mpls": 12}.get(encap, 0)

    def ip4_frame(self, mac_src, mac_dst, src, dst, outbound=True, ihl=5, encap=None):
        proto, l4 = self.l4(outbound)
        hlen = ihl * 4
        pay = self.payload_len(self.mtu - self.encap_len(encap) - hlen - len(l4))
        l4 = self.fix_udp_length(proto, l4, pay)
        total = hlen + len(l4) + pay
        eth = self.link(mac_dst, mac_src, 4, encap, total)
        hdr = eth + self.ipv4(src, dst, proto, total, ihl) + l4
        ip_off = len(eth)
        return Frame(hdr, self.padded(ip_off + total), mac_src, self.rx_mac(mac_dst),
                     src, dst, ip_off + 20, ip_off + hlen)

    def ip6_frame(self, mac_src, mac_dst, src, dst, outbound=True, encap=None):
        proto, l4 = self.l4(outbound)
        pay = self.payload_len(self.mtu - self.encap_len(encap) - 40 - len(l4))
        l4 = self.fix_udp_length(proto, l4, pay)
        eth = self.link(mac_dst, mac_src, 6, encap, 40 + len(l4) + pay)
        hdr = eth + self.ipv6(src, dst, proto, len(l4) + pay) + l4
        ip_off = len(eth)
        return Frame(hdr, self.padded(ip_off + 40 + len(l4) + pay), mac_src,
                     self.rx_mac(mac_dst), src, dst, ip_off + 40, ip_off + 40)

    @staticmethod
    def rx_mac(mac):
        return None if mac[0] & 1 else mac

    def build_out4(self, k, encap=None):
        h = self.primary_host(k, allow_gateway=False)
        src = self.host_v4(h)
        if src is None:
            return self.build_out6(k, encap)
        dst = self.inet_v4(self.rng.randrange(INET4_COUNT))
        return self.ip4_frame(self.host_mac(h), self.gw_mac, src, dst, True, encap=encap)

    def build_in4(self, k, encap=None):
        h = self.primary_host(k, allow_gateway=False)
        dst = self.host_v4(h)
        if dst is None:
            return self.build_in6(k, encap)
        src = self.inet_v4(self.rng.randrange(INET4_COUNT))
        return self.ip4_frame(self.gw_mac, self.host_mac(h), src, dst, False, encap=encap)

    def build_out6(self, k, encap=None):
        h = self.primary_host(k, allow_gateway=False)
        dst = self.inet_v6(self.rng.randrange(INET4_COUNT))
        return self.ip6_frame(self.host_mac(h), self.gw_mac, self.host_v6(h), dst, True,
                              encap=encap)

    def build_in6(self, k, encap=None):
        h = self.primary_host(k, allow_gateway=False)
        src = self.inet_v6(self.rng.randrange(INET4_COUNT))
        return self.ip6_frame(self.gw_mac, self.host_mac(h), src, self.host_v6(h), False,
                              encap=encap)

    # ---- encapsulations skipped to IP: PPPoE sessions, MPLS ------------------
    def build_pppoe4(self, k):
        if self.rng.random() < 0.5:
            return self.build_out4(k, "pppoe")
        return self.build_in4(k, "pppoe")

    def build_pppoe6(self, k):
        if self.rng.random() < 0.5:
            return self.build_out6(k, "pppoe")
        return self.build_in6(k, "pppoe")

    def build_pppoelcp(self, k):
        """An LCP echo request in a session: no IP, the MACs count."""
        h = self.primary_host(k, allow_gateway=False)
        mac = self.host_mac(h)
        lcp = struct.pack("!BBHI", 9, self.rng.randrange(256), 8, self.rng.getrandbits(32))
        hdr = self.eth(self.gw_mac, mac, self.tags(), ETH_PPPOE_SESSION) + struct.pack(
            "!BBHHH", 0x11, 0, self.rng.randrange(1, 65535), 2 + len(lcp), PPP_LCP) + lcp
        return Frame(hdr, self.padded(len(hdr)), mac, self.gw_mac)

    def build_mpls4(self, k):
        if self.rng.random() < 0.5:
            return self.build_out4(k, "mpls")
        return self.build_in4(k, "mpls")

    def build_mpls6(self, k):
        if self.rng.random() < 0.5:
            return self.build_out6(k, "mpls")
        return self.build_in6(k, "mpls")

    def lan_pair(self, k):
        a = self.primary_host(k)
        # a fifth of LAN traffic talks to the gateway's own address (DNS, say)
        b = 0 if a != 0 and self.rng.random() < 0.2 else self.other_host(a)
        return a, b

    def build_lan4(self, k):
        a, b = self.lan_pair(k)
        src, dst = self.host_v4(a), self.host_v4(b)
        if src is None or dst is None:
            return self.build_lan6(k)
        return self.ip4_frame(self.host_mac(a), self.host_mac(b), src, dst,
                              self.rng.random() < 0.5)

    def build_lan6(self, k):
        a, b = self.lan_pair(k)
        return self.ip6_frame(self.host_mac(a), self.host_mac(b), self.host_v6(a),
                              self.host_v6(b), self.rng.random() < 0.5)

    def build_opt4(self, k):
        h = self.primary_host(k, allow_gateway=False)
        src = self.host_v4(h)
        if src is None:
            return self.build_out6(k)
        dst = self.inet_v4(self.rng.randrange(INET4_COUNT))
        return self.ip4_frame(self.host_mac(h), self.gw_mac, src, dst, True,
                              ihl=self.rng.randrange(6, 16))

    def build_longlen4(self, k):
        f = self.build_in4(k)
        if len(f.ip_src) == 4:                 # not the IPv6 fallback
            ip_off = f.ip_need_cap - 20
            hdr = bytearray(f.hdr)
            total = f.wirelen - ip_off + self.rng.randrange(1, 1000)
            hdr[ip_off + 2:ip_off + 4] = struct.pack("!H", min(total, 65535))
            hdr[ip_off + 10:ip_off + 12] = b"\0\0"
            hdr[ip_off + 10:ip_off + 12] = struct.pack(
                "!H", ip_checksum(bytes(hdr[ip_off:ip_off + 20])))
            f.hdr = bytes(hdr)
        return f

    # ---- broadcast, multicast, ARP, non-IP ----------------------------------
    def build_bcast4(self, k):
        h = self.primary_host(k, allow_gateway=False)
        mac = self.host_mac(h)
        src = self.host_v4(h)
        r = self.rng.random()
        if src is None or r < 0.25:                 # DHCP discover style
            src, dst, sport, dport = ZERO4, LIMITED_BROADCAST, 68, 67
        elif r < 0.6:
            dst, sport, dport = LIMITED_BROADCAST, 137, 137
        else:                                       # directed: a local address
            dst, sport, dport = LAN4_BROADCAST, 138, 138
        return self.udp4_frame(mac, BROADCAST_MAC, src, dst, sport, dport)

    def udp4_frame(self, mac_src, mac_dst, src, dst, sport, dport):
        tags = self.tags()
        eth = self.eth(mac_dst, mac_src, tags, ETH_IPV4)
        pay = self.rng.randrange(0, 300)
        total = 28 + pay
        hdr = eth + self.ipv4(src, dst, 17, total) + struct.pack("!HHHH", sport, dport,
                                                                 8 + pay, 0)
        ip_off = len(eth)
        return Frame(hdr, self.padded(ip_off + total), mac_src, self.rx_mac(mac_dst),
                     src, dst, ip_off + 20, ip_off + 20)

    def build_mcast4(self, k):
        h = self.primary_host(k)
        src = self.host_v4(h)
        if src is None:
            return self.build_mcast6(k)
        if self.rng.random() < 0.5:
            return self.udp4_frame(self.host_mac(h), MDNS4_MAC, src, MDNS4_IP, 5353, 5353)
        return self.udp4_frame(self.host_mac(h), SSDP_MAC, src, SSDP_IP,
                               self.rng.randrange(49152, 65536), 1900)

    def build_mcast6(self, k):
        h = self.primary_host(k)
        mac = self.host_mac(h)
        if self.rng.random() < 0.5:
            src = self.host_v6(h)
        else:
            src = LINKLOCAL6_PREFIX + self.eui64(mac)
        tags = self.tags()
        eth = self.eth(MDNS6_MAC, mac, tags, ETH_IPV6)
        pay = self.rng.randrange(0, 300)
        hdr = eth + self.ipv6(src, MDNS6_IP, 17, 8 + pay) + struct.pack(
            "!HHHH", 5353, 5353, 8 + pay, 0)
        ip_off = len(eth)
        return Frame(hdr, self.padded(ip_off + 48 + pay), mac, None, src, MDNS6_IP,
                     ip_off + 40, ip_off + 40)

    def build_arp(self, k):
        rng = self.rng
        a = self.primary_host(k)
        b = self.other_host(a)
        mac_a, mac_b = self.host_mac(a), self.host_mac(b)
        ip_a, ip_b = self.host_v4(a) or ZERO4, self.host_v4(b) or ZERO4
        r = rng.random()
        if r < 0.6:        # who-has, broadcast
            dst, op, tha = BROADCAST_MAC, 1, b"\0" * 6
        elif r < 0.75:     # unicast who-has (cache refresh)
            dst, op, tha = mac_b, 1, b"\0" * 6
        else:              # is-at
            dst, op, tha = mac_b, 2, mac_b
        tags = self.tags()
        eth = self.eth(dst, mac_a, tags, ETH_ARP)
        body = struct.pack("!HHBBH6s4s6s4s", 1, ETH_IPV4, 6, 4, op, mac_a, ip_a, tha, ip_b)
        wire = len(eth) + len(body)
        if rng.random() < 0.7:
            wire = self.padded(wire)
        return Frame(eth + body, wire, mac_a, self.rx_mac(dst))

    def build_nonip(self, k):
        rng = self.rng
        a = self.primary_host(k)
        mac_a = self.host_mac(a)
        r = rng.random()
        if r < 0.35:       # LLDP
            hdr = self.eth(LLDP_MAC, mac_a, (), ETH_LLDP)
            return Frame(hdr, len(hdr) + rng.randrange(40, 300), mac_a, None)
        if r < 0.6:        # 802.3 frame with a length field, LLC, STP BPDU
            hdr = STP_MAC + mac_a + struct.pack("!HBBB", 38, 0x42, 0x42, 0x03)
            return Frame(hdr, 60, mac_a, None)
        mac_b = self.host_mac(self.other_host(a))
        hdr = self.eth(mac_b, mac_a, self.tags(), ETH_LOCAL_EXP)
        return Frame(hdr, len(hdr) + rng.randrange(46, 1500), mac_a, mac_b)

    def build_grpsrc(self, k):
        h = self.primary_host(k)
        src = GROUP_SRC_MACS[self.rng.randrange(len(GROUP_SRC_MACS))]
        mac = self.host_mac(h)
        hdr = self.eth(mac, src, (), ETH_LOCAL_EXP)
        return Frame(hdr, 60, src, mac)

    # ---- malformed -----------------------------------------------------------
    def bad4_frame(self, k, version=4, ihl=5, total=None, wire=None):
        """A LAN-to-internet IPv4 frame with one header field broken. The result
        credits only the MACs (callers make sure of that through their fields)."""
        h = self.primary_host(k, allow_gateway=False)
        mac = self.host_mac(h)
        src = self.host_v4(h) or LAN4_BROADCAST
        dst = self.inet_v4(self.rng.randrange(INET4_COUNT))
        tags = self.tags()
        eth = self.eth(self.gw_mac, mac, tags, ETH_IPV4)
        phys = max(ihl, 5) * 4
        if total is None:
            total = phys + 20 + self.rng.randrange(0, 200)
        hdr = eth + self.ipv4(src, dst, 6, total, max(ihl, 5), version)
        if ihl < 5:     # the field lies; the bytes after it are still there
            hdr = hdr[:len(eth)] + bytes(((version << 4) | ihl,)) + hdr[len(eth) + 1:]
        if wire is None:
            wire = self.padded(len(eth) + max(total, phys))
        else:
            wire = len(eth) + wire
        return Frame(hdr, wire, mac, self.gw_mac)

    def build_badver4(self, k):
        version = self.rng.choice((0, 1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15))
        return self.bad4_frame(k, version=version)

    def build_badihl4(self, k):
        return self.bad4_frame(k, ihl=self.rng.randrange(0, 5))

    def build_ihlgt4(self, k):
        ihl = self.rng.randrange(5, 16)
        return self.bad4_frame(k, ihl=ihl, total=self.rng.randrange(1, ihl * 4))

    def build_tot0(self, k):
        return self.bad4_frame(k, total=0)

    def build_nofit4(self, k):
        ihl = self.rng.randrange(6, 16)
        return self.bad4_frame(k, ihl=ihl, total=ihl * 4 + 20,
                               wire=self.rng.randrange(20, ihl * 4))

    def build_short4(self, k):
        f = self.bad4_frame(k)
        ip_off = len(f.hdr) - 20
        f.wirelen = self.rng.randrange(self.shortest(ip_off), ip_off + 20)  # may end in the tags
        return f

    def shortest(self, ip_off):
        """Shortest frame for the short* classes. Linux drops a tagged frame too
        short to untag (under 14 + 6 bytes) before any packet socket sees it, so the
        live profile keeps tagged frames at 20 bytes or more."""
        return 20 if self.live and ip_off > 14 else 14

    def bad6_frame(self, k, version=6, wire_cut=None):
        h = self.primary_host(k, allow_gateway=False)
        mac = self.host_mac(h)
        dst = self.inet_v6(self.rng.randrange(INET4_COUNT))
        eth = self.eth(self.gw_mac, mac, self.tags(), ETH_IPV6)
        hdr = eth + self.ipv6(self.host_v6(h), dst, 59, 20, version) + bytes(20)
        if wire_cut is None:
            wire = self.padded(len(hdr))
        else:
            wire = self.rng.randrange(self.shortest(len(eth)), len(eth) + 40)
        return Frame(hdr, wire, mac, self.gw_mac)

    def build_badver6(self, k):
        return self.bad6_frame(k, version=self.rng.choice((0, 1, 2, 3, 5, 7, 15)))

    def build_short6(self, k):
        return self.bad6_frame(k, wire_cut=True)

    def build_runt(self, k):
        n = self.rng.randrange(1, 14)
        return Frame(self.host_mac(self.primary_host(k)) + bytes(
            self.rng.getrandbits(8) for _ in range(8)), n)

    # ---- driver ---------------------------------------------------------------
    def frame(self, k):
        i = bisect.bisect_right(self.class_cum, self.rng.random() * self.class_total)
        i = min(i, len(self.builders) - 1)
        return i, self.builders[i](k)


def write(args):
    gen = Generator(args)
    counters = Counters(Networks(args.networks))
    per_class = [0] * len(gen.class_names)
    snaplen = args.snaplen
    rec = PCAP_RECORD.pack
    wire_total = cut = 0
    t0 = 1700000000 * 1000000
    with open(args.out, "wb") as out:
        out.write(PCAP_GLOBAL.pack(PCAP_MAGIC, 2, 4, 0, 0, snaplen, DLT_EN10MB))
        chunk = []
        for k in range(args.packets):
            ci, f = gen.frame(k)
            per_class[ci] += 1
            wire = f.wirelen
            caplen = min(wire, snaplen)
            cut += caplen < wire
            data = f.hdr[:caplen]
            if len(data) < caplen:
                data += bytes(caplen - len(data))
            credits = f.intended_credits(caplen)
            if args.self_check:
                ref = spec_decode(data, wire)
                if ref != credits:
                    sys.exit("gen_traffic: self-check failed at frame %d (class %s, "
                             "len %d, caplen %d): intent %r, reference decoder %r"
                             % (k + 1, gen.class_names[ci], wire, caplen, credits, ref))
            counters.credit(credits, wire)
            wire_total += wire
            ts = t0 + k * 10
            chunk.append(rec(ts // 1000000, ts % 1000000, caplen, wire))
            chunk.append(data)
            if len(chunk) >= 8192:
                out.write(b"".join(chunk))
                chunk.clear()
        out.write(b"".join(chunk))
    if args.expected:
        with open(args.expected, "w") as f:
            lines = counters.lines()
            f.write("\n".join(lines) + ("\n" if lines else ""))
    if not args.quiet:
        mix = ", ".join("%s %d" % (n, c) for n, c in zip(gen.class_names, per_class))
        print("gen_traffic: %d frames, %d bytes on the wire, %d cut by the snaplen, "
              "%d MACs, %d local IPs credited; %s"
              % (args.packets, wire_total, cut, len(counters.mac), len(counters.ip), mix),
              file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="pcap file to write")
    p.add_argument("--expected", help="write capd's expected --dump output here")
    p.add_argument("--packets", type=int, default=10000)
    p.add_argument("--hosts", type=int, default=50,
                   help="LAN hosts besides the gateway (each has its own MAC and IPs)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--snaplen", type=int, default=65535,
                   help="frames longer than this are cut (caplen) in the file")
    p.add_argument("--mtu", type=int, default=1500, help="largest IP packet")
    p.add_argument("--networks", default=DEFAULT_NETWORKS,
                   help="local CIDRs for IP accounting (default %s)" % DEFAULT_NETWORKS)
    p.add_argument("--profile", choices=sorted(PROFILE_EXCLUDES), default="full",
                   help="full: every class; clean: only where tshark and SPEC agree; "
                        "live: only frames a packet socket can send")
    p.add_argument("--no-self-check", dest="self_check", action="store_false",
                   help="skip the per-frame reference-decoder cross-check")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args()
    if args.packets < 0 or args.hosts < 2 or not 1 <= args.snaplen <= 262144 \
            or not 128 <= args.mtu <= 9000:
        p.error("need --packets >= 0, --hosts >= 2, 1 <= --snaplen <= 262144, "
                "128 <= --mtu <= 9000")
    if args.profile == "live" and args.snaplen < args.mtu + 26:
        p.error("--profile live needs full-length frames (--snaplen >= mtu + 26)")
    try:
        Networks(args.networks)
    except ValueError as e:
        p.error("--networks: %s" % e)
    write(args)


if __name__ == "__main__":
    main()
