/* rtnetlink, just what bring-up needs. A handle is {fd, seq}; every change
 * asks for an ACK and the kernel's answer comes back as 0 or -errno. */
#ifndef NFSINIT_RTNL_H
#define NFSINIT_RTNL_H

#include <linux/netlink.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct nl_handle {
	int fd;
	uint32_t seq;
};

/* One request, built in a fixed buffer: an attribute that does not fit
 * marks it overflowed and it is never sent (-ENOBUFS). */
#define NL_REQ_MAX  256
struct nl_req {
	union {
		struct nlmsghdr nh;
		uint8_t raw[NL_REQ_MAX];
	} u;
	bool overflow;
};

int nl_open(struct nl_handle *h);
void nl_close(struct nl_handle *h);

int nl_link_up(struct nl_handle *h, int ifindex);
int nl_link_set_mtu(struct nl_handle *h, int ifindex, unsigned mtu);
/* The hardware address; many drivers refuse it (-EBUSY) while the link is up. */
int nl_link_set_mac(struct nl_handle *h, int ifindex, const uint8_t mac[6]);
/* Adds addr/prefix with its broadcast address (INADDR_ANY = none). -EEXIST
 * when the interface already has it. */
int nl_addr_add(struct nl_handle *h, int ifindex, struct in_addr addr, int prefix,
		struct in_addr brd);
/* Adds a static IPv6 addr/prefix without duplicate address detection (the
 * node owns it by configuration and mounts at once). */
int nl_addr6_add(struct nl_handle *h, int ifindex, const struct in6_addr *addr, int prefix);
/* IPv6 default route via gw on ifindex. */
int nl_route6_add_default(struct nl_handle *h, int ifindex, const struct in6_addr *gw);
/* Default route via gw on ifindex; onlink for a gateway outside the subnet. */
int nl_route_add_default(struct nl_handle *h, int ifindex, struct in_addr gw, bool onlink);

/* For request builders elsewhere in netcfg/: a request with an ACK asked
 * for, an attribute, and the exchange (0 or the kernel's -errno). */
void *nl_req_start(struct nl_req *r, uint16_t type, uint16_t flags, size_t body);
void nl_req_put(struct nl_req *r, uint16_t type, const void *data, size_t len);
int nl_req_send(struct nl_handle *h, struct nl_req *r);

/* Links made and joined at boot (rtnl_link.c). Creating one that exists
 * gives -EEXIST. */
struct net_bond;
int nl_link_down(struct nl_handle *h, int ifindex);
int nl_link_add_vlan(struct nl_handle *h, const char *name, int parent, unsigned id);
/* ifindex 0 creates b; else sets b's mode and options on that bond (it
 * must be down and without slaves). */
int nl_link_add_bond(struct nl_handle *h, const struct net_bond *b, int primary_ifindex, int ifindex);
/* Makes ifindex a slave of master (the link must be down for a bond). */
int nl_link_set_master(struct nl_handle *h, int ifindex, int master);

#endif
