/* libFuzzer: the DHCP client's state machine (netcfg/dhcp_client.c) fed
 * replies through its I/O table, no socket. The input is a list of replies,
 * each a 2-byte big-endian length and a DHCP message; each is given the xid
 * and MAC of the client's last request (a server that answers) unless its
 * first byte is odd, and put in an IPv4/UDP frame to port 68. An eventfd
 * stands in for the socket so poll() wakes at once; the run lasts 1 ms. A
 * lease, when one is taken, must be an ACK for an address. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "../../netcfg/dhcp_client.h"

static const uint8_t MAC[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t *in_p, *in_end;
static uint8_t last_xid[4];

static int fake_open(int ifindex)
{
	(void)ifindex;
	return eventfd(1, EFD_CLOEXEC | EFD_NONBLOCK);
}

static int fake_send(int fd, int ifindex, const uint8_t *frame, size_t len)
{
	(void)fd, (void)ifindex;
	if (len >= DHCP_FRAME_HDR + 8)
		memcpy(last_xid, frame + DHCP_FRAME_HDR + 4, 4);
	return 0;
}

static uint16_t ip_sum(const uint8_t *p)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static ssize_t fake_recv(int fd, uint8_t *buf, size_t cap, bool *check_sum)
{
	(void)fd;
	if (in_end - in_p < 2)
		return -EAGAIN;
	size_t n = (size_t)(in_p[0] << 8 | in_p[1]), total;
	in_p += 2;
	if (n > (size_t)(in_end - in_p))
		n = (size_t)(in_end - in_p);
	if (n > cap - DHCP_FRAME_HDR)
		n = cap - DHCP_FRAME_HDR;
	uint8_t *ip = buf, *udp = buf + 20, *m = buf + DHCP_FRAME_HDR;
	memcpy(m, in_p, n);
	in_p += n;
	if (n >= 34 && !(m[0] & 1)) {
		m[0] = 2;                        /* BOOTREPLY */
		memcpy(m + 4, last_xid, 4);
		memcpy(m + 28, MAC, 6);
	}
	total = DHCP_FRAME_HDR + n;
	memset(buf, 0, DHCP_FRAME_HDR);
	ip[0] = 0x45, ip[2] = (uint8_t)(total >> 8), ip[3] = (uint8_t)total, ip[8] = 64, ip[9] = 17;
	uint16_t s = ip_sum(ip);
	ip[10] = (uint8_t)(s >> 8), ip[11] = (uint8_t)s;
	udp[1] = 67, udp[3] = 68;
	udp[4] = (uint8_t)((n + 8) >> 8), udp[5] = (uint8_t)(n + 8);
	*check_sum = false;                      /* as with checksum offload */
	return (ssize_t)total;
}

static void fake_close(int fd)
{
	close(fd);
}

static const struct dhcp_io fake_io = { fake_open, fake_send, fake_recv, fake_close };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct link_info link = { "eth0", 2, { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }, 1500 };
	struct dhcp_params p = { .vendor_class = "nfsinit", .hostname = "node17", .timeout_ms = 1, .io = &fake_io };
	struct dhcp_result res;
	in_p = data;
	in_end = data + size;
	memset(last_xid, 0, sizeof(last_xid));
	if (dhcp_run(&link, 1, &p, &res) == 0) {
		if (res.index != 0 || res.ack.type != DHCP_ACK || res.ack.yiaddr.s_addr == 0)
			abort();
	}
	return 0;
}
