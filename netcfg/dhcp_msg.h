/* DHCPv4 messages (RFC 2131/2132) and the IPv4+UDP framing that a packet
 * socket needs. Pure code: bytes in, struct out, no sockets, no logging. */
#ifndef NFSINIT_DHCP_MSG_H
#define NFSINIT_DHCP_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/limits.h"

#define DHCP_FIXED_LEN   236   /* op .. file, RFC 2131 figure 1 */
#define DHCP_OPTIONS_OFF 240   /* after the magic cookie */
#define DHCP_BOOTP_MIN   300   /* RFC 1542 2.1: some relays drop shorter requests */
#define DHCP_MSG_MAX     1500  /* largest message we build or accept */
#define DHCP_FRAME_HDR   28    /* IPv4 header (no options) + UDP header */
#define DHCP_FRAME_MAX   (DHCP_FRAME_HDR + DHCP_MSG_MAX)
#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_SKIPPED_MAX 8     /* skipped option codes remembered for the log */

enum dhcp_msg_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER,
	DHCP_REQUEST,
	DHCP_DECLINE,
	DHCP_ACK,
	DHCP_NAK,
	DHCP_RELEASE,
	DHCP_INFORM,
};

/* What the client puts into a DISCOVER, REQUEST or RELEASE. */
struct dhcp_out {
	enum dhcp_msg_type type;
	uint32_t xid;
	uint16_t secs;                 /* seconds since the client began */
	uint8_t mac[6];
	struct in_addr ciaddr;         /* RELEASE; REQUEST when renewing/rebinding */
	struct in_addr requested_ip;   /* option 50 (REQUEST in SELECTING) */
	struct in_addr server_id;      /* option 54 (REQUEST in SELECTING, RELEASE) */
	uint16_t max_size;             /* option 57; 0 = DHCP_MSG_MAX */
	const char *vendor_class;      /* option 60; NULL or "" = none */
	const char *hostname;          /* option 12; NULL or "" = none */
};

/* Everything we use from an OFFER, ACK or NAK. Absent addresses are INADDR_ANY,
 * absent strings "". */
struct dhcp_reply {
	uint8_t type;                  /* option 53 */
	uint32_t xid;
	uint8_t chaddr[16];
	struct in_addr yiaddr, siaddr;
	struct in_addr netmask;        /* 1 */
	struct in_addr router;         /* 3, the first one */
	struct in_addr dns[NI_MAX_DNS];/* 6, extra servers ignored */
	int ndns;
	struct in_addr ntp[NI_MAX_NTP];/* 42 */
	int nntp;
	struct in_addr broadcast;      /* 28 */
	struct in_addr log_server;     /* 7, the first one */
	struct in_addr server_id;      /* 54 */
	uint32_t lease_secs, t1, t2;   /* 51, 58, 59 */
	uint16_t mtu;                  /* 26, 0 = absent */
	char hostname[NI_HOSTNAME_MAX];/* 12 */
	char domain[NI_DOMAIN_MAX];    /* 15 */
	char search[NI_DOMAIN_MAX];    /* 119, decoded, names separated by spaces */
	char root_path[NI_PATH_MAX];   /* 17 */
	char tftp_server[NI_HOST_MAX]; /* 66 */
	char bootfile[NI_PATH_MAX];    /* 67, or the file field when not overloaded */
	char classes[NI_CLASSES_TEXT_MAX]; /* 224 (site-specific, RFC 3942): nfsinit node classes */
	uint8_t bad_option;            /* on error: the option at fault, 0 = the header */
	uint8_t skipped[DHCP_SKIPPED_MAX]; /* malformed optional options, left out */
	int nskipped;                  /* how many were left out (may exceed the array) */
};

/* Builds a message into buf. Returns its length or -EINVAL / -ENOBUFS. */
int dhcp_msg_build(const struct dhcp_out *out, uint8_t *buf, size_t cap);

/* Parses a BOOTREPLY. Returns 0 or -EBADMSG: a bad header, cookie or
 * option layout, or a missing/bad option 53 or bad option 54 (bad_option
 * names it). Any other option whose value is bad (wrong length, an MTU
 * below 68, text longer than our buffer, a broken option 119) is left out
 * and its code listed in skipped/nskipped: the reply stays usable. */
int dhcp_msg_parse(const uint8_t *buf, size_t len, struct dhcp_reply *r);

/* 0 when the reply answers our xid and hardware address, else -ESRCH. */
int dhcp_reply_match(const struct dhcp_reply *r, uint32_t xid, const uint8_t mac[6]);

/* Puts the IPv4 and UDP headers (0.0.0.0:68 -> 255.255.255.255:67, both
 * checksums) in front of the plen-byte message already at buf+DHCP_FRAME_HDR.
 * Returns the frame length or -ENOBUFS. */
int dhcp_frame_wrap(uint8_t *buf, size_t cap, size_t plen, uint16_t ip_id);

/* Checks an IPv4 packet addressed to UDP port 68 and finds its payload.
 * check_udp_sum is false when the kernel says the checksum was never
 * filled in (offloaded, e.g. veth). Returns 0 or -EBADMSG. */
int dhcp_frame_unwrap(const uint8_t *buf, size_t len, bool check_udp_sum,
		      const uint8_t **payload, size_t *plen);

/* Decodes an RFC 1035 name list (option 119, RFC 3397) into "a.b c.d".
 * Returns 0, -EBADMSG (bad label, pointer loop) or -ENAMETOOLONG. */
int dhcp_decode_search(const uint8_t *data, size_t len, char *out, size_t cap);

#endif
