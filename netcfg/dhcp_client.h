/* The DHCP client: DISCOVER -> OFFER -> REQUEST -> ACK on one or more
 * interfaces at once, first lease wins. */
#ifndef NFSINIT_DHCP_CLIENT_H
#define NFSINIT_DHCP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "dhcp_msg.h"
#include "link.h"

/* Every socket call DHCP makes goes through this table; the default is the
 * packet socket below, a test can put a socketpair() behind it. */
struct dhcp_io {
	int (*open)(int ifindex);                               /* fd or -errno */
	int (*send)(int fd, int ifindex, const uint8_t *frame, size_t len);
	/* One IPv4 packet or -errno (-EAGAIN when drained). *check_sum is false
	 * when the UDP checksum was left to hardware offload and is not valid. */
	ssize_t (*recv)(int fd, uint8_t *buf, size_t cap, bool *check_sum);
	void (*close)(int fd);
	int (*error)(int fd);          /* the pending socket error (SO_ERROR): 0 or -errno */
};

extern const struct dhcp_io dhcp_packet_io;

struct dhcp_params {
	const char *vendor_class;       /* option 60 */
	const char *hostname;           /* option 12, NULL or "" = none */
	unsigned timeout_ms;            /* everything, carrier wait included */
	int (*carrier)(const char *ifname);  /* 1 when ready; NULL = always */
	const struct dhcp_io *io;       /* NULL = dhcp_packet_io */
};

struct dhcp_result {
	int index;                      /* into links[] */
	struct dhcp_reply ack;
	bool had_carrier;               /* on failure: some link had carrier */
};

/* Delay before the next transmission after the n-th (0 = the first) in one
 * state: 4, 8, 16, 32, then 64 s (RFC 2131 4.1), each moved by
 * r % 2001 - 1000 ms so that nodes booted together spread out. Pure. */
long long dhcp_backoff_ms(unsigned n, uint32_t r);

/* Logs (debug) the options dhcp_msg_parse left out of r; who is the log
 * prefix and interface, e.g. "net: eth0". */
void dhcp_log_skipped(const char *who, const struct dhcp_reply *r);

/* Returns 0 with the first ACK, -ETIMEDOUT when no server answered,
 * -ENOLINK when no link got carrier, or the socket error. */
int dhcp_run(const struct link_info *links, int n, const struct dhcp_params *p,
	     struct dhcp_result *res);

#endif
