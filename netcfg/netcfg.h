/* Network bring-up for the root NIC: choose the interface, then DHCP or a
 * static ip=, and configure address, route and MTU through rtnetlink. */
#ifndef NFSINIT_NETCFG_H
#define NFSINIT_NETCFG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "ipconf.h"
#include "vlanbond.h"
#include "../common/limits.h"

struct net_request {
	struct ipconf ip;              /* method, device, static fields */
	bool have_bootif;              /* BOOTIF= given: pick the NIC with this MAC */
	uint8_t bootif[6];
	unsigned link_timeout_ms;      /* wait for an interface (driver probe) */
	unsigned dhcp_timeout_ms;      /* total time for DHCP before giving up */
	char vendor_class[64];         /* option 60, e.g. "nfsinit" */
	struct netdev_stack stack;     /* vlan=, bond=: made before the root interface */
};

struct net_lease {
	char ifname[NI_IFNAME_MAX];
	int ifindex;
	uint8_t mac[6];
	bool via_dhcp;
	struct in_addr addr, netmask, gateway, broadcast;
	int prefix;
	struct in_addr server_id;      /* DHCP server identifier (option 54) */
	struct in_addr next_server;    /* siaddr */
	struct in_addr log_server;     /* option 7, the first; 0 when absent */
	struct in_addr dns[NI_MAX_DNS];
	int ndns;
	struct in_addr ntp[NI_MAX_NTP];
	int nntp;
	char hostname[NI_HOSTNAME_MAX];
	char domain[NI_DOMAIN_MAX];
	char search[NI_DOMAIN_MAX];    /* option 119 names, space-separated */
	char root_path[NI_PATH_MAX];   /* option 17, "" when absent */
	char classes[NI_CLASSES_TEXT_MAX]; /* option 224: node classes ("gpu,rack3"), "" when absent */
	uint32_t lease_secs;           /* 0 for static */
	uint32_t t1, t2;               /* options 58/59 as sent, 0 = absent */
	long long obtained_ms;         /* uptime_ms() when the ACK came: T1/T2 count from it */
	unsigned mtu;                  /* 0 when not set */
	struct netdev_stack stack;     /* what vlan=/bond= made; ifname may be one of them */
	/* IPv6: ip=[addr]... (static), ip=auto6 (the kernel's SLAAC); have6 false
	 * when the node has none. An IPv6-only node has addr 0.0.0.0. */
	bool have6;
	enum ip_method method6;        /* IP_METHOD_STATIC, IP_METHOD_AUTO6 or IP_METHOD_DHCP6 */
	struct in6_addr addr6, gateway6;  /* gateway6 :: when none (or from router advertisements) */
	int prefix6;
	struct in6_addr dns6[NI_MAX_DNS];
	int ndns6;
	/* ip=dhcp6: lease_secs, t1 and t2 are the address's valid lifetime and
	 * the IA_NA's T1/T2; the keeper renews with the server's DUID. */
	uint8_t duid6[130];            /* DHCP6_DUID_MAX */
	size_t duid6_len;
};

/* IPv6 only: an IPv6 address and no IPv4 one (a lease without either is an
 * IPv4 lease still being filled, as in the hand-over tests). */
static inline bool lease_ipv6_only(const struct net_lease *l)
{
	return l->have6 && l->addr.s_addr == INADDR_ANY;
}

struct dhcp_reply;

/* Pure: fills l (interface fields left as they are) from an ACK, with req's
 * ip= hostname when the server sends none and req's mtu over the server's.
 * obtained_ms is the caller's: it is the time the ACK came. */
void lease_from_ack(const struct net_request *req, const struct dhcp_reply *ack, struct net_lease *l);

/* Netmask (classful when none), prefix and broadcast from addr/netmask;
 * prefix is -1 for a netmask that is not contiguous. */
void lease_set_prefix(struct net_lease *l);

/* Brings up loopback and the root interface. Returns 0 or -errno; logs what
 * it tried (interface names, time waited) on failure. */
int netcfg_up(const struct net_request *req, struct net_lease *lease);

#endif
