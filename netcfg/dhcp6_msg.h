/* DHCPv6 messages (RFC 8415) for one stateful address (IA_NA): SOLICIT,
 * REQUEST out; ADVERTISE, REPLY in. The client's DUID is DUID-LL from the
 * MAC (RFC 8415 11.4), the IAID the MAC's last four bytes. Pure code: bytes
 * in, struct out; no sockets, no logging. */
#ifndef NFSINIT_DHCP6_MSG_H
#define NFSINIT_DHCP6_MSG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/limits.h"

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
#define DHCP6_MSG_MAX     1500
#define DHCP6_DUID_MAX    130      /* RFC 8415 11.1: 2-byte type + at most 128 */

enum dhcp6_msg_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
};

struct dhcp6_out {
	enum dhcp6_msg_type type;
	uint32_t xid;                      /* 24 bits */
	uint8_t mac[6];
	uint16_t elapsed_cs;               /* hundredths of a second since the first message */
	const uint8_t *server_id;          /* REQUEST, RENEW: the server's DUID */
	size_t server_id_len;
	bool have_addr;                    /* REQUEST, RENEW, REBIND: the address asked for */
	struct in6_addr addr;
};

struct dhcp6_reply {
	uint8_t type;
	uint32_t xid;
	uint8_t server_id[DHCP6_DUID_MAX];
	size_t server_id_len;
	uint16_t status;                   /* top-level status code, 0 = success or absent */
	uint16_t ia_status;                /* IA_NA's (or its address's) status code */
	uint8_t preference;                /* option 7 */
	bool have_addr;
	struct in6_addr addr;
	uint32_t preferred, valid;         /* the address's lifetimes */
	uint32_t t1, t2;                   /* IA_NA's */
	struct in6_addr dns[NI_MAX_DNS];   /* option 23, extra servers ignored */
	int ndns;
	char search[NI_DOMAIN_MAX];        /* option 24, names separated by spaces */
	uint16_t bad_option;               /* on error: the option at fault, 0 = the header */
};

/* Builds a message into buf. Returns its length, or -EINVAL (no server id
 * for a REQUEST or RENEW) / -ENOBUFS. */
int dhcp6_msg_build(const struct dhcp6_out *out, uint8_t *buf, size_t cap);

/* Parses an ADVERTISE or REPLY for the client with this MAC. Returns 0,
 * -EBADMSG (bad layout or lengths, no or another client's client id, no
 * server id; bad_option names it) or -ESRCH (a message type a client never
 * gets). Options we do not use are passed over. */
int dhcp6_msg_parse(const uint8_t *buf, size_t len, const uint8_t mac[6], struct dhcp6_reply *r);

#endif
