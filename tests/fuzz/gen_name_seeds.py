#!/usr/bin/env python3
"""Seed corpora for fuzz_dhcp, fuzz_mdns and fuzz_nbns: realistic packets
(UDP payloads) as common clients send them, built byte by byte so the seeds
need nothing beyond the standard library. Run from the repo root:
    python3 tests/fuzz/gen_name_seeds.py
Addresses are from 198.18.0.0/15 and documentation ranges."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(kind, name, data):
    d = os.path.join(OUT, kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---------------------------------------------------------------- DHCP
def opt(code, data):
    return bytes([code, len(data)]) + data


def bootp(chaddr, ciaddr=b"\0" * 4, op=1, sname=b"", file=b""):
    return (bytes([op, 1, 6, 0]) + struct.pack(">I", 0x3903F326) + b"\0\0\0\0" + ciaddr
            + b"\0" * 12 + chaddr + b"\0" * 10 + sname.ljust(64, b"\0")
            + file.ljust(128, b"\0") + bytes([99, 130, 83, 99]))


MAC = bytes.fromhex("02005e100001")
REQ_IP = bytes([198, 18, 0, 23])
DHCLIENT_PRL = bytes([1, 28, 2, 3, 15, 6, 119, 12, 44, 47, 26, 121, 42])

# dhclient (ISC) DHCPREQUEST after an offer
write("dhcp", "dhclient_request", bootp(MAC) + opt(53, b"\x03") + opt(50, REQ_IP)
      + opt(54, bytes([198, 18, 0, 1])) + opt(12, b"laptop-01") + opt(55, DHCLIENT_PRL)
      + b"\xff" + b"\0" * 20)
# Windows 10 DHCPDISCOVER: client id, host name, FQDN (ASCII), vendor class
write("dhcp", "windows_discover", bootp(bytes.fromhex("02005e100002")) + opt(53, b"\x01")
      + opt(61, b"\x01" + bytes.fromhex("02005e100002")) + opt(50, bytes([198, 18, 0, 24]))
      + opt(12, b"DESKTOP-4F2K9QX") + opt(81, b"\x00\x00\x00DESKTOP-4F2K9QX")
      + opt(60, b"MSFT 5.0") + opt(55, bytes([1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252]))
      + b"\xff")
# Android DHCPREQUEST with vendor class and max message size
write("dhcp", "android_request", bootp(bytes.fromhex("02005e100003")) + opt(53, b"\x03")
      + opt(61, b"\x01" + bytes.fromhex("02005e100003")) + opt(57, b"\x05\xdc")
      + opt(60, b"android-dhcp-13") + opt(12, b"Pixel-7") + opt(55, bytes([1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 114]))
      + opt(50, bytes([198, 18, 0, 25])) + b"\xff")
# FQDN in DNS wire form (E flag), systemd-networkd style
fqdn = b"\x04nas1\x07example\x03lan\x00"
write("dhcp", "fqdn_wire", bootp(bytes.fromhex("02005e100004")) + opt(53, b"\x03")
      + opt(81, b"\x05\x00\x00" + fqdn) + opt(12, b"nas1") + b"\xff")
# options overloaded into file and sname (option 52 = 3)
file_opts = opt(12, b"printer-3f") + b"\xff"
sname_opts = opt(60, b"HP LaserJet") + b"\xff"
write("dhcp", "overload_both", bootp(bytes.fromhex("02005e100005"), sname=sname_opts, file=file_opts)
      + opt(53, b"\x03") + opt(52, b"\x03") + opt(55, bytes([1, 3, 6])) + b"\xff")
# host name split over two instances (RFC 3396), padded
write("dhcp", "split_hostname", bootp(bytes.fromhex("02005e100006")) + opt(53, b"\x08")
      + opt(12, b"kitchen-") + b"\0\0" + opt(12, b"speaker") + b"\xff")
# NUL-terminated host name (some embedded clients)
write("dhcp", "nul_hostname", bootp(bytes.fromhex("02005e100007")) + opt(53, b"\x03")
      + opt(12, b"cam-garage\0") + b"\xff")

# options 60 and 55 at and past their bounds (vendor class and fingerprint)
THREE = bytes(range(100, 165))                 # three-digit codes: "100,101,..."
write("dhcp", "prl_255_text", bootp(bytes.fromhex("02005e100008")) + opt(53, b"\x01")
      + opt(55, THREE[:40]) + opt(55, THREE[40:64]) + opt(60, b"v" * 255) + b"\xff")
write("dhcp", "prl_too_long", bootp(bytes.fromhex("02005e100009")) + opt(53, b"\x01")
      + opt(55, THREE) + opt(60, b"dhcpcd-10.0.6:Linux-6.6.31:aarch64:Raspberry Pi 5") + b"\xff")
write("dhcp", "prl_every_code", bootp(bytes.fromhex("02005e10000a")) + opt(55, bytes(range(1, 256)))
      + opt(60, b"evil\x1b[2J") + b"\xff")
write("dhcp", "prl_empty_truncated", bootp(bytes.fromhex("02005e10000b")) + opt(55, b"")
      + opt(60, b"MSFT 5.0") + b"\x37\x09\x01\x03\x06")

# ---------------------------------------------------------------- DNS / mDNS
def labels(name):
    out = b""
    for l in name.split("."):
        b = l.encode()
        out += bytes([len(b)]) + b
    return out + b"\0"


def rr(name_bytes, rtype, rclass, ttl, rdata):
    return name_bytes + struct.pack(">HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def charstrs(*ss):
    return b"".join(bytes([len(s)]) + s for s in ss)


# avahi-daemon's announcement: A, AAAA, HINFO for one host, names compressed
hdr = struct.pack(">HHHHHH", 0, 0x8400, 0, 5, 0, 0)
msg = bytearray(hdr)
host_off = len(msg)
msg += rr(labels("myhost.local"), 1, 0x8001, 120, bytes([198, 18, 0, 23]))
local_off = host_off + 7                      # "local" label inside "myhost.local"
ptr_host = struct.pack(">H", 0xC000 | host_off)
msg += rr(ptr_host, 28, 0x8001, 120, bytes.fromhex("fe800000000000000000000000000017"))
msg += rr(ptr_host, 13, 0x8001, 120, charstrs(b"X86_64", b"LINUX"))
# reverse PTR for the IPv4 address: 23.0.18.198.in-addr.arpa -> myhost.local
msg += rr(labels("23.0.18.198.in-addr.arpa"), 12, 0x8001, 120, ptr_host)
# workstation service: "myhost [02:00:5e:10:00:01]._workstation._tcp.local"
inst = b"\x1amyhost [02:00:5e:10:00:01]" + b"\x0c_workstation\x04_tcp" + struct.pack(">H", 0xC000 | local_off)
msg += rr(inst, 33, 0x8001, 120, struct.pack(">HHH", 0, 0, 9) + ptr_host)
write("mdns", "avahi_announce", bytes(msg))

# Apple-style response: answers PTR, additional _device-info TXT + A + AAAA
msg = bytearray(struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 3))
svc_off = len(msg)
msg += rr(labels("_airplay._tcp.local"), 12, 1, 4500, b"\x0bLiving Room" + struct.pack(">H", 0xC000 | svc_off))
local2 = svc_off + 1 + 8 + 1 + 4           # offset of "local" in "_airplay._tcp.local"
msg += rr(b"\x0bLiving Room\x0c_device-info\x04_tcp" + struct.pack(">H", 0xC000 | local2), 16, 1, 4500,
          charstrs(b"model=AppleTV11,1", b"osxvers=21"))
a_off = len(msg)
msg += rr(b"\x0eLiving-Room-TV" + struct.pack(">H", 0xC000 | local2), 1, 0x8001, 120, bytes([198, 18, 0, 40]))
msg += rr(struct.pack(">H", 0xC000 | a_off), 28, 0x8001, 120, bytes.fromhex("20010db8000000000000000000000040"))
write("mdns", "apple_device_info", bytes(msg))

# a plain query (must be ignored) and a response with a question echoed
msg = struct.pack(">HHHHHH", 0, 0, 1, 0, 0, 0) + labels("printer.local") + struct.pack(">HH", 1, 0x8001)
write("mdns", "query", msg)
msg = (struct.pack(">HHHHHH", 0x1234, 0x8400, 1, 1, 0, 0) + labels("printer.local") + struct.pack(">HH", 1, 1)
       + rr(struct.pack(">H", 0xC00C), 1, 1, 10, bytes([198, 18, 0, 50])))
write("mdns", "unicast_answer", msg)


# ---------------------------------------------------------------- NBNS
def nb_encode(name, suffix):
    raw = name.encode().ljust(15, b" ")[:15] + bytes([suffix])
    enc = b"".join(bytes([0x41 + (b >> 4), 0x41 + (b & 15)]) for b in raw)
    return b"\x20" + enc + b"\x00"


def nb_msg(tid, flags, name, suffix, nbflags, addr, qd=True):
    body = b""
    if qd:
        body += nb_encode(name, suffix) + struct.pack(">HH", 0x20, 1)
        rname = struct.pack(">H", 0xC00C)
    else:
        rname = nb_encode(name, suffix)
    body += rname + struct.pack(">HHIH", 0x20, 1, 300000, 6) + struct.pack(">H", nbflags) + bytes(addr)
    if qd:
        return struct.pack(">HHHHHH", tid, flags, 1, 0, 0, 1) + body
    return struct.pack(">HHHHHH", tid, flags, 0, 1, 0, 0) + body


# Windows broadcast registration of the workstation name (opcode 5, RD, B)
write("nbns", "register_workstation", nb_msg(0x8001, 0x2910, "DESKTOP-4F2K9QX", 0x00, 0x0000, [198, 18, 0, 24]))
# Samba file server name
write("nbns", "register_server", nb_msg(0x8002, 0x2910, "NAS1", 0x20, 0x0000, [198, 18, 0, 30]))
# group name (WORKGROUP<1e>, G bit)
write("nbns", "register_group", nb_msg(0x8003, 0x2910, "WORKGROUP", 0x1E, 0x8000, [198, 18, 0, 30]))
# refresh (opcode 8) and positive name query response (opcode 0, AA)
write("nbns", "refresh", nb_msg(0x8004, 0x4010, "PRINTER-2", 0x00, 0x0000, [198, 18, 0, 31]))
write("nbns", "query_response", nb_msg(0x8005, 0x8500, "FILESRV", 0x20, 0x0000, [198, 18, 0, 32], qd=False))

# _device-info and HINFO: a clean model then a hostile one, a model one byte
# too long, a TXT string that claims more than its record, HINFO twice
DI = labels("x._device-info._tcp.local")
msg = (struct.pack(">HHHHHH", 0, 0x8400, 0, 6, 0, 0)
       + rr(DI, 16, 0x8001, 4500, charstrs(b"model=J305AP", b"osxvers=23"))
       + rr(DI, 16, 0x8001, 4500, charstrs(b"model=Mac\x1bmini"))
       + rr(DI, 16, 0x8001, 4500, charstrs(b"model=" + b"m" * 64))
       + rr(DI, 16, 0x8001, 4500, b"\x20model=J305AP")
       + rr(labels("myhost.local"), 13, 0x8001, 120, charstrs(b"X86\n64", b"LINUX"))
       + rr(labels("myhost.local"), 13, 0x8001, 120, charstrs(b"ARM64", b"HAIKU")))
write("mdns", "device_info_hostile", msg)
