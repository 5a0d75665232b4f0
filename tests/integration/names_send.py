#!/usr/bin/env python3
"""Send what a device says about its own name, as real clients do (run inside
the device's network namespace):

  names_send.py dhcp IFACE NAME [VENDOR]
                                       DHCPREQUEST from 0.0.0.0:68 to
                                       255.255.255.255:67, chaddr = IFACE's MAC,
                                       option 12 NAME, option 60 VENDOR
                                       (default "dhcpcd-10.0"; Python escapes
                                       such as \x1b are decoded), option 55
                                       1,3,6,15,28,42,121
  names_send.py mdns IFACE NAME ADDR [MODEL [CPU OS]]
                                       unsolicited mDNS response to
                                       224.0.0.251:5353: A NAME.local -> ADDR,
                                       with MODEL a TXT record
                                       NAME._device-info._tcp.local "model=MODEL",
                                       with CPU and OS a HINFO record
  names_send.py nbns IFACE NAME ADDR   NetBIOS name registration to the
                                       broadcast address, port 137 -> 137
"""
import socket
import struct
import sys

SO_BINDTODEVICE = 25


def mac_of(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def dhcp_request(mac, name, vendor=b"dhcpcd-10.0"):
    b = bytearray(236)
    b[0:4] = b"\x01\x01\x06\x00"
    b[4:8] = b"\x39\x03\xf3\x26"               # xid
    b[10] = 0x80                               # broadcast flag
    b[28:34] = mac
    opts = b"\x63\x82\x53\x63" + b"\x35\x01\x03"          # DHCPREQUEST
    opts += b"\x3d\x07\x01" + mac                          # client id
    opts += bytes([12, len(name)]) + name
    opts += bytes([60, len(vendor)]) + vendor
    opts += b"\x37\x07\x01\x03\x06\x0f\x1c\x2a\x79"
    opts += b"\xff"
    return bytes(b) + opts


def mdns_response(name, addr, model=None, cpu=None, os_=None):
    owner = bytes([len(name)]) + name + b"\x05local\x00"
    rrs = [owner + struct.pack("!HHIH", 1, 0x8001, 120, 4) + socket.inet_aton(addr)]
    if model is not None:
        txt = b"model=" + model
        di = bytes([len(name)]) + name + b"\x0c_device-info\x04_tcp\x05local\x00"
        rrs.append(di + struct.pack("!HHIH", 16, 1, 4500, 1 + len(txt)) + bytes([len(txt)]) + txt)
    if cpu is not None:
        rdata = bytes([len(cpu)]) + cpu + bytes([len(os_)]) + os_
        rrs.append(owner + struct.pack("!HHIH", 13, 0x8001, 120, len(rdata)) + rdata)
    hdr = struct.pack("!HHHHHH", 0, 0x8400, 0, len(rrs), 0, 0)
    return hdr + b"".join(rrs)


def nbns_registration(name, addr):
    padded = name.upper().ljust(15)[:15] + b"\x00"
    enc = b"".join(bytes([65 + (c >> 4), 65 + (c & 15)]) for c in padded)
    hdr = struct.pack("!HHHHHH", 0x7a31, 0x2910, 1, 0, 0, 1)
    q = b"\x20" + enc + b"\x00" + b"\x00\x20\x00\x01"
    rr = b"\xc0\x0c\x00\x20\x00\x01" + struct.pack("!I", 300000) + b"\x00\x06\x00\x00"
    return hdr + q + rr + socket.inet_aton(addr)


def udp(iface, sport):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
    s.bind(("", sport))
    return s


def main():
    kind, iface, name = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    extra = [a.encode().decode("unicode_escape").encode("latin-1") for a in sys.argv[4:]]
    if kind == "dhcp":
        req = dhcp_request(mac_of(iface), name, *extra[:1])
        udp(iface, 68).sendto(req, ("255.255.255.255", 67))
    elif kind == "mdns":
        s = udp(iface, 5353)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[4]))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
        s.sendto(mdns_response(name, sys.argv[4], *extra[1:4]), ("224.0.0.251", 5353))
    elif kind == "nbns":
        bcast = sys.argv[4].rsplit(".", 1)[0] + ".255"
        udp(iface, 137).sendto(nbns_registration(name, sys.argv[4]), (bcast, 137))
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main()
