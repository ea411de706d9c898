/* rtnetlink requests for link, address and route. Requests are built in a
 * fixed buffer; an attribute that does not fit fails the request (-ENOBUFS)
 * rather than sending half of it. */
#include "rtnl.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NL_RECV_MAX 4096

int nl_open(struct nl_handle *h)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	h->seq = 1;
	h->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (h->fd < 0)
		return -errno;
	if (bind(h->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int err = -errno;
		close(h->fd);
		h->fd = -1;
		return err;
	}
	return 0;
}

void nl_close(struct nl_handle *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
}

static void *req_init(struct nl_req *r, uint16_t type, uint16_t flags, size_t body)
{
	memset(r, 0, sizeof(*r));
	r->u.nh.nlmsg_len = NLMSG_LENGTH(body);
	r->u.nh.nlmsg_type = type;
	r->u.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	return NLMSG_DATA(&r->u.nh);
}

static void add_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(r->u.nh.nlmsg_len);
	struct rtattr *rta = (struct rtattr *)(void *)(r->u.raw + off);

	if (off + RTA_SPACE(len) > sizeof(r->u.raw)) {
		r->overflow = true;
		return;
	}
	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->u.nh.nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
}

/* Reads until the kernel's NLMSG_ERROR for our sequence number: error 0 is
 * the ACK, anything else the request's errno. */
static int wait_ack(struct nl_handle *h, uint32_t seq)
{
	union {
		struct nlmsghdr nh;
		uint8_t raw[NL_RECV_MAX];
	} buf;

	for (;;) {
		ssize_t n = recv(h->fd, buf.raw, sizeof(buf.raw), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		size_t left = (size_t)n;
		for (struct nlmsghdr *nh = &buf.nh; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq != seq || nh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return -EBADMSG;
			return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
		}
	}
}

static int talk(struct nl_handle *h, struct nl_req *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (r->overflow)
		return -ENOBUFS;
	r->u.nh.nlmsg_seq = ++h->seq;
	n = sendto(h->fd, r->u.raw, r->u.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	if (n < 0)
		return -errno;
	return wait_ack(h, r->u.nh.nlmsg_seq);
}

int nl_link_up(struct nl_handle *h, int ifindex)
{
	struct nl_req r;
	struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return talk(h, &r);
}

int nl_link_set_mtu(struct nl_handle *h, int ifindex, unsigned mtu)
{
	struct nl_req r;
	struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));
	uint32_t v = mtu;

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	add_attr(&r, IFLA_MTU, &v, sizeof(v));
	return talk(h, &r);
}

int nl_link_set_mac(struct nl_handle *h, int ifindex, const uint8_t mac[6])
{
	struct nl_req r;
	struct ifinfomsg *ifi = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	add_attr(&r, IFLA_ADDRESS, mac, 6);
	return talk(h, &r);
}

int nl_addr_add(struct nl_handle *h, int ifindex, struct in_addr addr, int prefix,
		struct in_addr brd)
{
	struct nl_req r;
	struct ifaddrmsg *ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));

	if (prefix < 0 || prefix > 32)
		return -EINVAL;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_scope = (ntohl(addr.s_addr) >> 24) == 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	add_attr(&r, IFA_LOCAL, &addr.s_addr, 4);
	add_attr(&r, IFA_ADDRESS, &addr.s_addr, 4);
	if (brd.s_addr != INADDR_ANY)
		add_attr(&r, IFA_BROADCAST, &brd.s_addr, 4);
	return talk(h, &r);
}

int nl_addr6_add(struct nl_handle *h, int ifindex, const struct in6_addr *addr, int prefix)
{
	struct nl_req r;
	struct ifaddrmsg *ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));

	if (prefix < 1 || prefix > 128)
		return -EINVAL;
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_flags = IFA_F_NODAD;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (unsigned)ifindex;
	add_attr(&r, IFA_LOCAL, addr, 16);
	add_attr(&r, IFA_ADDRESS, addr, 16);
	return talk(h, &r);
}

int nl_route6_add_default(struct nl_handle *h, int ifindex, const struct in6_addr *gw)
{
	struct nl_req r;
	struct rtmsg *rt = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(*rt));
	uint32_t oif = (uint32_t)ifindex;

	rt->rtm_family = AF_INET6;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	add_attr(&r, RTA_GATEWAY, gw, 16);
	add_attr(&r, RTA_OIF, &oif, sizeof(oif));
	return talk(h, &r);
}

int nl_route_add_default(struct nl_handle *h, int ifindex, struct in_addr gw, bool onlink)
{
	struct nl_req r;
	struct rtmsg *rt = req_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, sizeof(*rt));
	uint32_t oif = (uint32_t)ifindex;

	rt->rtm_family = AF_INET;
	rt->rtm_dst_len = 0;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_BOOT;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	if (onlink)
		rt->rtm_flags |= RTNH_F_ONLINK;
	add_attr(&r, RTA_GATEWAY, &gw.s_addr, 4);
	add_attr(&r, RTA_OIF, &oif, sizeof(oif));
	return talk(h, &r);
}

/* The builders for requests made elsewhere in netcfg/ (rtnl_link.c). */
void *nl_req_start(struct nl_req *r, uint16_t type, uint16_t flags, size_t body)
{
	return req_init(r, type, flags, body);
}

void nl_req_put(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	add_attr(r, type, data, len);
}

int nl_req_send(struct nl_handle *h, struct nl_req *r)
{
	return talk(h, r);
}
