#!/usr/bin/env python3
"""Writes the fuzz_dhcp, fuzz_lease and fuzz_dhcp_client seeds: DHCP replies laid out as dnsmasq 2.89 sends
them (option order 53 54 51 58 59 1 28 3 6 15 12 17 ..., padded to 300
bytes), plus the RFC 3396 cases (overload into file/sname, one option split
in two) and one reply in its IPv4/UDP frame. Run from this folder."""
import socket, struct

MAC = bytes.fromhex("525400123456")

def ip(s):
    return socket.inet_aton(s)

def opt(code, data):
    out = b""
    while True:   # RFC 3396: long values split into several instances
        out += bytes([code, min(len(data), 255)]) + data[:255]
        data = data[255:]
        if not data:
            return out

def names(first, second):
    """Option 119: two RFC 1035 names, the second ending in a pointer to
    the first's suffix after its first label (as dnsmasq compresses)."""
    l1 = first.split(".")
    out = b"".join(bytes([len(l)]) + l.encode() for l in l1) + b"\0"
    head = second[: -len(first) + len(l1[0]) + 1].rstrip(".").split(".")
    return out + b"".join(bytes([len(l)]) + l.encode() for l in head) + struct.pack(">H", 0xC000 | (1 + len(l1[0])))

def reply(mtype, options, xid=0x12345678, yiaddr="10.0.2.15", sname=b"", file=b""):
    hdr = struct.pack(">BBBBIHH", 2, 1, 6, 0, xid, 0, 0)
    hdr += b"\0" * 4 + ip(yiaddr) + ip("10.0.2.2") + b"\0" * 4
    hdr += MAC + b"\0" * 10 + sname.ljust(64, b"\0") + file.ljust(128, b"\0")
    body = hdr + bytes([99, 130, 83, 99]) + opt(53, bytes([mtype])) + options + b"\xff"
    return body.ljust(300, b"\0")

def common(hostname=b"node17", domain=b"cluster.example"):
    return (opt(54, ip("10.0.2.2")) + opt(51, struct.pack(">I", 43200)) + opt(58, struct.pack(">I", 21600))
            + opt(59, struct.pack(">I", 37800)) + opt(1, ip("255.255.255.0")) + opt(28, ip("10.0.2.255"))
            + opt(3, ip("10.0.2.2")) + opt(6, ip("10.0.2.3") + ip("10.0.2.4")) + opt(15, domain)
            + opt(12, hostname))

def frame(payload):
    def csum(b):
        if len(b) % 2:
            b += b"\0"
        s = sum(struct.unpack(">%dH" % (len(b) // 2), b))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        return ~s & 0xFFFF
    src, dst = ip("10.0.2.2"), ip("255.255.255.255")
    ulen = 8 + len(payload)
    udp = struct.pack(">HHHH", 67, 68, ulen, 0) + payload
    pseudo = src + dst + struct.pack(">BBH", 0, 17, ulen)
    udp = udp[:6] + struct.pack(">H", csum(pseudo + udp) or 0xFFFF) + udp[8:]
    iph = struct.pack(">BBHHHBBH", 0x45, 0, 20 + ulen, 1, 0, 64, 17, 0) + src + dst
    iph = iph[:10] + struct.pack(">H", csum(iph)) + iph[12:]
    return iph + udp

seeds = {
    "offer": reply(2, common()),
    "ack": reply(5, common() + opt(17, b"10.0.2.2:/srv/nodes/bookworm,vers=4.2") + opt(26, struct.pack(">H", 1500))
                 + opt(42, ip("10.0.2.2")) + opt(119, names("cluster.example", "lab.example"))
                 + opt(224, b"gpu,rack3")),
    "ack-fqdn-in-12": reply(5, common(hostname=b"node17.cluster.example")),
    "ack-long-12": reply(5, common(hostname=b"n" * 63 + b".cluster.example")),
    "ack-names-with-newlines": reply(5, common(hostname=b"node7\nIP=6.6.6.6",
                                               domain=b"example.com\n10.6.6.6\tldap.example.com\nLD_PRELOAD=/run/x.so")
                                     + opt(17, b"10.0.2.2:/srv\nLD_PRELOAD=/run/x.so")),
    "ack-no-51-no-54": reply(5, opt(1, ip("255.255.255.0")) + opt(3, ip("10.0.2.2"))),
    "ack-split-17": reply(5, common() + opt(17, b"10.0.2.2:/srv/") + opt(17, b"nodes/bookworm")),
    "ack-overload": reply(5, opt(52, b"\x03") + common(),
                          file=opt(17, b"10.0.2.2:/srv/nodes/bookworm") + b"\xff",
                          sname=opt(224, b"gpu") + b"\xff"),
    "nak": reply(6, opt(54, ip("10.0.2.2")) + opt(56, b"wrong address"), yiaddr="0.0.0.0"),
}
seeds["frame-ack"] = frame(seeds["ack"])
def write(folder, name, data):
    with open(folder + "/" + name, "wb") as f:
        f.write(data)

for name, data in seeds.items():
    write("fuzz_dhcp", name, data)
# fuzz_lease: one reply through to /etc/hosts, facts and hand-over text
for name in ("ack", "ack-fqdn-in-12", "ack-names-with-newlines", "ack-overload"):
    write("fuzz_lease", name, seeds[name])
# fuzz_dhcp_client: replies in turn, each a 2-byte length and a message
def chain(*names):
    return b"".join(struct.pack(">H", len(seeds[n])) + seeds[n] for n in names)
write("fuzz_dhcp_client", "offer-ack", chain("offer", "ack"))
write("fuzz_dhcp_client", "offer-nak-offer-ack", chain("offer", "nak", "offer", "ack-fqdn-in-12"))
write("fuzz_dhcp_client", "offer-ack-no-54", chain("offer", "ack-no-51-no-54"))
write("fuzz_dhcp_client", "offer-ack-overload", chain("offer", "ack-overload"))
