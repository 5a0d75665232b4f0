#!/usr/bin/env python3
"""Seeds for the passive-name paths of fuzz_arpd (frames carrying DHCP, mDNS
and NBNS datagrams, u16 framing: byte 0 bit 1) and fuzz_wire (ARP_DEVICES
entries with names). Run from the repository root; files are named by SHA-1."""
import hashlib
import os
import struct

US = bytes.fromhex("020000000001")
A = bytes.fromhex("001122334455")
B = bytes.fromhex("00bbbbbbbbbb")


def write(corpus, data):
    d = os.path.join("tests/fuzz/corpus", corpus)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def udp4(src_mac, src, dst, sport, dport, payload, tags=0, frag=0):
    eth = b"\xff" * 6 + src_mac + b"\x81\x00\x00\x0a" * tags + b"\x08\x00"
    total = 28 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, frag, 64, 17, 0, bytes(src), bytes(dst))
    return eth + ip + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def udp6(src_mac, src, sport, dport, payload):
    eth = b"\x33\x33\x00\x00\x00\xfb" + src_mac + b"\x86\xdd"
    ip = struct.pack("!IHBB16s16s", 0x60000000, 8 + len(payload), 17, 255, src,
                     bytes.fromhex("ff0200000000000000000000000000fb"))
    return eth + ip + struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def dhcp(chaddr, name):
    b = bytearray(236)
    b[0:3] = b"\x01\x01\x06"
    b[28:34] = chaddr
    opts = b"\x63\x82\x53\x63\x35\x01\x03\x32\x04\xc6\x12\x00\x18"
    opts += bytes([12, len(name)]) + name + b"\x3c\x08MSFT 5.0\x37\x04\x01\x03\x06\x0f\xff"
    return bytes(b) + opts


def dns_name(*labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\x00"


def mdns_a(host, addr):
    hdr = struct.pack("!HHHHHH", 0, 0x8400, 0, 1, 0, 0)
    rr = dns_name(host, b"local") + struct.pack("!HHIH", 1, 0x8001, 120, 4) + bytes(addr)
    return hdr + rr


def nbns_reg(name, addr):
    enc = b""
    padded = name.ljust(15) + b"\x00"
    for c in padded:
        enc += bytes([65 + (c >> 4), 65 + (c & 15)])
    hdr = struct.pack("!HHHHHH", 0x1234, 0x2910, 1, 0, 0, 1)
    q = bytes([32]) + enc + b"\x00" + b"\x00\x20\x00\x01"
    rr = b"\xc0\x0c\x00\x20\x00\x01\x00\x00\x00\x3c\x00\x06\x00\x00" + bytes(addr)
    return hdr + q + rr


def arp(sha, spa):
    return (b"\xff" * 6 + sha + b"\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01" + sha + bytes(spa)
            + b"\x00" * 6 + bytes([198, 18, 0, 1]))


def frames16(flag, *frames):
    out = bytes([flag])
    for f in frames:
        out += struct.pack("!H", len(f)) + f
    return out


ip = lambda *a: bytes(a)
write("arpd", frames16(2, udp4(A, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67, dhcp(A, b"laptop"))))
write("arpd", frames16(2, udp4(A, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67,
                               dhcp(A, b"laptop"), tags=2)))
write("arpd", frames16(2, udp4(B, ip(198, 18, 0, 9), ip(224, 0, 0, 251), 5353, 5353,
                               mdns_a(b"printer", ip(198, 18, 0, 9)))))
write("arpd", frames16(2, udp6(B, bytes.fromhex("fe80000000000000000000000000000b"), 5353, 5353,
                               mdns_a(b"printer", ip(198, 18, 0, 9)))))
write("arpd", frames16(2, arp(B, ip(198, 18, 0, 7)),
                       udp4(A, ip(198, 18, 0, 9), ip(198, 18, 0, 255), 137, 137,
                            nbns_reg(b"WS1", ip(198, 18, 0, 7)))))
write("arpd", frames16(2, udp4(A, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67,
                               dhcp(A, b"laptop"), frag=0x2000)))


# what a device says about itself: DHCP options 60/55 on chaddr (twice, the
# second without 60), an mDNS _device-info model and HINFO from the sender
def dhcp_about(chaddr, opts):
    b = bytearray(236)
    b[0:3] = b"\x01\x01\x06"
    b[28:34] = chaddr
    return bytes(b) + b"\x63\x82\x53\x63\x35\x01\x01" + opts + b"\xff"


def mdns_about(model, cpu, os_):
    hdr = struct.pack("!HHHHHH", 0, 0x8400, 0, 2, 0, 0)
    txt = b"model=" + model
    rr1 = (dns_name(b"tv", b"_device-info", b"_tcp", b"local")
           + struct.pack("!HHIH", 16, 1, 4500, 1 + len(txt)) + bytes([len(txt)]) + txt)
    hi = bytes([len(cpu)]) + cpu + bytes([len(os_)]) + os_
    rr2 = dns_name(b"tv", b"local") + struct.pack("!HHIH", 13, 0x8001, 120, len(hi)) + hi
    return hdr + rr1 + rr2


write("arpd", frames16(2, udp4(B, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67,
                               dhcp_about(A, b"\x3c\x0fandroid-dhcp-14\x37\x05\x01\x03\x06\x0f\x1a")),
                       udp4(A, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67,
                            dhcp_about(A, b"\x37\x03\x01\x79\x03")),
                       udp4(B, ip(198, 18, 0, 9), ip(224, 0, 0, 251), 5353, 5353,
                            mdns_about(b"AppleTV6,2", b"ARM", b"tvOS"))))
write("arpd", frames16(2, udp4(A, ip(0, 0, 0, 0), ip(255, 255, 255, 255), 68, 67,
                               dhcp_about(A, b"\x3c\xff" + b"v" * 255 + b"\x37\xff" + bytes(range(1, 256))))))


def wire_str(s):
    return struct.pack("!H", len(s)) + s


def arp_device(mac, names):
    e = mac + bytes([0x0b, 1, 0, len(names)]) + struct.pack("!QQ", 1764500000000, 1764500001000)
    e += bytes([198, 18, 0, 7]) + wire_str(b"ACME")
    for src, n in names:
        e += bytes([src]) + wire_str(n)
    return e


def arp_device_about(mac, about):
    """An entry with flag 0x20 and the five about strings."""
    e = mac + bytes([0x2b, 1, 0, 0]) + struct.pack("!QQ", 1764500000000, 1764500001000)
    e += bytes([198, 18, 0, 8]) + wire_str(b"")
    return e + b"".join(wire_str(s) for s in about)


def arp_devices(entries):
    payload = struct.pack("!QHHHH", 1, 0, 1, len(entries), 0) + b"".join(entries)
    return struct.pack("!BBHIQ", 1, 33, 0, 16 + len(payload), 2) + payload


write("wire", arp_devices([arp_device(A, [(1, b"laptop"), (2, b"laptop"), (3, b"WS1"),
                                          (1, "h\u00f6st".encode())]),
                           arp_device(B, [])]))
write("wire", arp_devices([arp_device(B, [(2, b"n" * 63)])]))
write("wire", arp_devices([arp_device_about(A, [b"MSFT 5.0", b"1,3,6,15,31,33,43,44,46,47,119,121,249,252",
                                                 b"", b"", b""]),
                           arp_device_about(B, [b"", b"", "Caf\u00e9Jet".encode(), b"X86_64", b"LINUX"]),
                           arp_device(A, [(1, b"laptop")])]))
write("wire", arp_devices([arp_device_about(B, [b"v" * 255, ",".join(str(c) for c in range(100, 164)).encode(),
                                                 b"m" * 63, b"c" * 63, b"o" * 63])]))


# fuzz_ptr: answers to 7.0.18.198.in-addr.arpa PTR
QN = b"\x017\x010\x0218\x03198\x07in-addr\x04arpa\x00"


def ptr_answer(rcode, recs):
    b = (b"\x12\x34" + bytes([0x81, 0x80 | rcode]) + struct.pack("!HHHH", 1, len(recs), 0, 0)
         + QN + b"\x00\x0c\x00\x01")
    for typ, ttl, rdata in recs:
        b += b"\xc0\x0c" + struct.pack("!HHIH", typ, 1, ttl, len(rdata)) + rdata
    return b


for seed in [
    ptr_answer(0, [(12, 3600, b"\x05alpha\x03lan\x07example\x00")]),
    ptr_answer(0, [(12, 60, b"\x04host\xc0\x0c")]),
    ptr_answer(0, [(5, 60, b"\x01x\x00"), (12, 60, b"\x01y\x00")]),
    ptr_answer(3, []), ptr_answer(0, []), ptr_answer(2, []),
    ptr_answer(0, [(12, 86400, b"\x05k\xc3\xbcche\x03lan\x00")]),
]:
    write("ptr", seed)
