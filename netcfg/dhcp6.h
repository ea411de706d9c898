/* ip=dhcp6: a stateful DHCPv6 exchange (RFC 8415 18.2.1: SOLICIT, ADVERTISE,
 * REQUEST, REPLY) for one address, on one interface. Sockets here, the
 * messages in dhcp6_msg.c. */
#ifndef NFSINIT_DHCP6_H
#define NFSINIT_DHCP6_H

#include <stdint.h>
#include "dhcp6_msg.h"

#define DHCP6_LINKLOCAL_MS 5000   /* duplicate address detection of the link-local address */

/* Waits for the interface's link-local address, then runs the exchange
 * until the REPLY or timeout_ms. Returns 0 with the REPLY in r (have_addr
 * set, status success), -ETIMEDOUT, -EADDRNOTAVAIL (no link-local address),
 * or a socket's -errno. */
int dhcp6_run(const char *ifname, int ifindex, const uint8_t mac[6], unsigned timeout_ms, struct dhcp6_reply *r);

/* The client's UDP socket on port 546, bound to ifname: fd or -errno. */
int dhcp6_open(const char *ifname);

/* Sends out (a RENEW or REBIND; a new xid is drawn) and its retransmissions
 * until a REPLY with the address asked for, or deadline (ms since boot):
 * 0 with r, or -ETIMEDOUT. */
int dhcp6_transact(int fd, int ifindex, struct dhcp6_out *out, long long deadline, struct dhcp6_reply *r);

#endif
