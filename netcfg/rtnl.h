/* rtnetlink, just what bring-up needs. A handle is {fd, seq}; every change
 * asks for an ACK and the kernel's answer comes back as 0 or -errno. */
#ifndef NFSINIT_RTNL_H
#define NFSINIT_RTNL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct nl_handle {
	int fd;
	uint32_t seq;
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

#endif
