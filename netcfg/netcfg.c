/* netcfg_up: loopback, then the root interface by name, BOOTIF or carrier,
 * then DHCP (all candidates at once) or the static ip= values. */
#include "netcfg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include "../common/log.h"
#include "dhcp_client.h"
#include "link.h"
#include "rtnl.h"

#define LOOPBACK_IFINDEX   1       /* the kernel gives lo index 1 in every namespace */
#define DEFAULT_LINK_MS    10000
#define DEFAULT_DHCP_MS    60000
#define CARRIER_POLL_MS    10

static double secs_since(long long t0)
{
	return (double)(uptime_ms() - t0) / 1000.0;
}

static const char *ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* The kernel's choice when ip= gives no netmask (net/ipv4/ipconfig.c). */
static struct in_addr classful_netmask(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);
	uint32_t m = h < 0x80000000u ? 0xff000000u : h < 0xc0000000u ? 0xffff0000u : 0xffffff00u;
	return (struct in_addr){ htonl(m) };
}

static int ok_if_exists(int rc)
{
	return rc == -EEXIST ? 0 : rc;
}

static void loopback_up(struct nl_handle *nl)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) }, none = { INADDR_ANY };
	int rc = nl_link_up(nl, LOOPBACK_IFINDEX);
	if (rc == 0)
		rc = ok_if_exists(nl_addr_add(nl, LOOPBACK_IFINDEX, lo, 8, none));
	if (rc)
		logerr(rc, "net: lo: bringing up 127.0.0.1/8");
}

static int find_links(const struct net_request *req, unsigned timeout_ms,
		      struct link_info *links)
{
	long long t0 = uptime_ms();
	const uint8_t *mac = req->ip.device[0] || !req->have_bootif ? NULL : req->bootif;
	int n = link_wait(req->ip.device, mac, timeout_ms, links, NET_LINKS_MAX);

	if (n > 0)
		return n;
	if (n != -ENODEV)
		logerr(n, "net: listing " "/sys/class/net");
	else if (req->ip.device[0])
		logx("net: interface %s did not appear within %.1f s", req->ip.device, secs_since(t0));
	else if (mac)
		logx("net: no interface with BOOTIF MAC %02x:%02x:%02x:%02x:%02x:%02x within %.1f s",
		     mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], secs_since(t0));
	else
		logx("net: no Ethernet interface appeared within %.1f s", secs_since(t0));
	return n < 0 ? n : -ENODEV;
}

/* Index of the first link with carrier within timeout_ms, or -ENOLINK. */
static int wait_carrier(const struct link_info *links, int n, unsigned timeout_ms)
{
	long long deadline = uptime_ms() + timeout_ms;
	for (;;) {
		for (int i = 0; i < n; i++)
			if (link_carrier(links[i].name) == 1)
				return i;
		if (uptime_ms() >= deadline)
			return -ENOLINK;
		(void)poll(NULL, 0, CARRIER_POLL_MS); /* a sleep */
	}
}

static int apply(struct nl_handle *nl, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	int rc;

	if (l->mtu) {
		rc = nl_link_set_mtu(nl, l->ifindex, l->mtu);
		if (rc)   /* the old MTU still carries NFS, just less well */
			logerr(rc, "net: %s: setting mtu %u", l->ifname, l->mtu);
	}
	rc = ok_if_exists(nl_addr_add(nl, l->ifindex, l->addr, l->prefix, l->broadcast));
	if (rc) {
		logerr(rc, "net: %s: adding %s/%d", l->ifname, ntoa(l->addr, a), l->prefix);
		return rc;
	}
	if (l->gateway.s_addr == INADDR_ANY)
		return 0;
	rc = nl_route_add_default(nl, l->ifindex, l->gateway, false);
	/* A gateway outside the subnet (some clouds hand out /32s) is on-link. */
	if (rc == -ENETUNREACH)
		rc = nl_route_add_default(nl, l->ifindex, l->gateway, true);
	rc = ok_if_exists(rc);
	if (rc)
		logerr(rc, "net: %s: default route via %s", l->ifname, ntoa(l->gateway, a));
	return rc;
}

static void set_prefix(struct net_lease *l)
{
	if (l->netmask.s_addr == INADDR_ANY)
		l->netmask = classful_netmask(l->addr);
	l->prefix = ipconf_netmask_to_prefix(l->netmask);
	if (l->broadcast.s_addr == INADDR_ANY && l->prefix < 31)
		l->broadcast.s_addr = l->addr.s_addr | ~l->netmask.s_addr;
}

static void take_link(struct net_lease *l, const struct link_info *link)
{
	snprintf(l->ifname, sizeof(l->ifname), "%s", link->name);
	l->ifindex = link->ifindex;
	memcpy(l->mac, link->mac, 6);
}

static void fill_from_ack(const struct net_request *req, const struct dhcp_reply *m,
			  struct net_lease *l)
{
	l->via_dhcp = true;
	l->addr = m->yiaddr;
	l->netmask = m->netmask;
	l->broadcast = m->broadcast;
	l->gateway = m->router;
	l->server_id = m->server_id;
	l->next_server = m->siaddr;
	memcpy(l->dns, m->dns, sizeof(l->dns));
	l->ndns = m->ndns;
	memcpy(l->ntp, m->ntp, sizeof(l->ntp));
	l->nntp = m->nntp;
	/* Both buffers have the same NI_* size: these copies cannot truncate. */
	strcpy(l->hostname, m->hostname[0] ? m->hostname : req->ip.hostname);
	strcpy(l->root_path, m->root_path);
	strcpy(l->classes, m->classes);
	strcpy(l->search, m->search);
	if (m->domain[0])
		strcpy(l->domain, m->domain);
	else /* the first name of option 119 */
		snprintf(l->domain, sizeof(l->domain), "%.*s", (int)strcspn(m->search, " "), m->search);
	l->lease_secs = m->lease_secs;
	l->obtained_ms = uptime_ms();
	l->t1 = m->t1;
	l->t2 = m->t2;
	l->mtu = req->ip.mtu ? req->ip.mtu : m->mtu;   /* the command line wins */
	set_prefix(l);
}

static int dhcp_up(const struct net_request *req, const struct link_info *links, int n,
		   struct net_lease *l, long long t0)
{
	struct dhcp_params p = {
		.vendor_class = req->vendor_class[0] ? req->vendor_class : "nfsinit",
		.hostname = req->ip.hostname,
		.timeout_ms = req->dhcp_timeout_ms ? req->dhcp_timeout_ms : DEFAULT_DHCP_MS,
		.carrier = link_carrier,
	};
	struct dhcp_result res;
	char names[NET_LINKS_MAX * (NI_IFNAME_MAX + 2)];
	int rc = dhcp_run(links, n, &p, &res);

	if (rc) {
		link_names(links, n, names, sizeof(names));
		if (rc == -ETIMEDOUT)
			logx("net: no DHCP answer on %s after %.1f s", names, secs_since(t0));
		else if (rc == -ENOLINK)
			logx("net: no carrier on %s after %.1f s", names, secs_since(t0));
		else
			logerr(rc, "net: DHCP on %s failed after %.1f s", names, secs_since(t0));
		return rc;
	}
	take_link(l, &links[res.index]);
	fill_from_ack(req, &res.ack, l);
	return 0;
}

static int static_up(const struct net_request *req, const struct link_info *links, int n,
		     struct net_lease *l, long long t0)
{
	char names[NET_LINKS_MAX * (NI_IFNAME_MAX + 2)];
	unsigned timeout = req->link_timeout_ms ? req->link_timeout_ms : DEFAULT_LINK_MS;
	int i = wait_carrier(links, n, timeout);

	if (i < 0 && n > 1) {
		link_names(links, n, names, sizeof(names));
		logx("net: no carrier on %s after %.1f s", names, secs_since(t0));
		return i;
	}
	if (i < 0) {   /* named or BOOTIF: configure anyway, the cable may come */
		logx("net: %s has no carrier after %.1f s, configuring it anyway", links[0].name,
		     secs_since(t0));
		i = 0;
	}
	take_link(l, &links[i]);
	l->addr = req->ip.client;
	l->netmask = req->ip.netmask;
	l->gateway = req->ip.gateway;
	l->next_server = req->ip.server;
	memcpy(l->dns, req->ip.dns, sizeof(l->dns));
	l->ndns = req->ip.ndns;
	memcpy(l->ntp, req->ip.ntp, sizeof(l->ntp));
	l->nntp = req->ip.nntp;
	strcpy(l->hostname, req->ip.hostname);
	l->mtu = req->ip.mtu;
	set_prefix(l);
	return 0;
}

static int configure(struct nl_handle *nl, const struct net_request *req, struct net_lease *l)
{
	struct link_info links[NET_LINKS_MAX];
	unsigned link_ms = req->link_timeout_ms ? req->link_timeout_ms : DEFAULT_LINK_MS;
	long long t0 = uptime_ms();
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	int n, rc;

	n = find_links(req, link_ms, links);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		rc = nl_link_up(nl, links[i].ifindex);
		if (rc)
			logerr(rc, "net: %s: link up", links[i].name);
	}
	if (req->ip.method == IP_METHOD_STATIC)
		rc = static_up(req, links, n, l, t0);
	else
		rc = dhcp_up(req, links, n, l, t0);
	if (rc)
		return rc;
	if (l->prefix < 0) {
		logx("net: %s: netmask %s is not contiguous", l->ifname, ntoa(l->netmask, a));
		return -EINVAL;
	}
	rc = apply(nl, l);
	if (rc)
		return rc;
	logx("net: %s %s/%d gw %s via %s", l->ifname, ntoa(l->addr, a), l->prefix,
	     l->gateway.s_addr ? ntoa(l->gateway, g) : "none", l->via_dhcp ? "dhcp" : "static");
	return 0;
}

int netcfg_up(const struct net_request *req, struct net_lease *lease)
{
	struct nl_handle nl;
	int rc;

	memset(lease, 0, sizeof(*lease));
	if (req->ip.method == IP_METHOD_OFF)
		return -ENONET;
	rc = nl_open(&nl);
	if (rc) {
		logerr(rc, "net: rtnetlink socket");
		return rc;
	}
	loopback_up(&nl);
	rc = configure(&nl, req, lease);
	nl_close(&nl);
	return rc;
}
