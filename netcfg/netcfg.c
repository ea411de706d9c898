/* netcfg_up: loopback, then the root interface by name, BOOTIF or carrier,
 * then DHCP (all candidates at once) or the static ip= values. */
#include "netcfg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include "../common/inaddr.h"
#include "../common/log.h"
#include "../common/mac.h"
#include "dhcp_client.h"
#include "leasecheck.h"
#include "link.h"
#include "rtnl.h"
#include "slaac.h"
#include "dhcp6.h"

#define LOOPBACK_IFINDEX   1       /* the kernel gives lo index 1 in every namespace */
#define DEFAULT_LINK_MS    10000
#define DEFAULT_DHCP_MS    60000
#define CARRIER_POLL_MS    10

static double secs_since(long long t0)
{
	return (double)(uptime_ms() - t0) / 1000.0;
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
	char m[MAC_TEXT_MAX];
	int n = link_wait(req->ip.device, mac, timeout_ms, links, NI_LINKS_MAX);

	if (n > 0)
		return n;
	if (n != -ENODEV)
		logerr(n, "net: listing " "/sys/class/net");
	else if (req->ip.device[0])
		logx("net: interface %s did not appear within %.1f s", req->ip.device, secs_since(t0));
	else if (mac)
		logx("net: no interface with BOOTIF MAC %s within %.1f s", mac_format(mac, ':', m),
		     secs_since(t0));
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

/* A static or DHCPv6 address and a static gateway; SLAAC's are the kernel's own. */
static int apply6(struct nl_handle *nl, const struct net_lease *l)
{
	char a[INET6_ADDRSTRLEN];
	int rc;

	if (l->method6 == IP_METHOD_AUTO6)
		return 0;
	rc = ok_if_exists(nl_addr6_add(nl, l->ifindex, &l->addr6, l->prefix6));
	if (rc) {
		logerr(rc, "net: %s: adding %s/%d", l->ifname, inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)),
		       l->prefix6);
		return rc;
	}
	if (IN6_IS_ADDR_UNSPECIFIED(&l->gateway6))
		return 0;
	rc = ok_if_exists(nl_route6_add_default(nl, l->ifindex, &l->gateway6));
	if (rc)
		logerr(rc, "net: %s: default route via %s", l->ifname,
		       inet_ntop(AF_INET6, &l->gateway6, a, sizeof(a)));
	return rc;
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
	if (l->have6 && (rc = apply6(nl, l)))
		return rc;
	if (lease_ipv6_only(l))
		return 0;
	rc = ok_if_exists(nl_addr_add(nl, l->ifindex, l->addr, l->prefix, l->broadcast));
	if (rc) {
		logerr(rc, "net: %s: adding %s/%d", l->ifname, inaddr_ntoa(l->addr, a), l->prefix);
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
		logerr(rc, "net: %s: default route via %s", l->ifname, inaddr_ntoa(l->gateway, a));
	return rc;
}

static void take_link(struct net_lease *l, const struct link_info *link)
{
	snprintf(l->ifname, sizeof(l->ifname), "%s", link->name);
	l->ifindex = link->ifindex;
	memcpy(l->mac, link->mac, 6);
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
	char names[NI_LINKS_MAX * (NI_IFNAME_MAX + 2)];
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
	lease_from_ack(req, &res.ack, l);
	l->obtained_ms = uptime_ms();
	return 0;
}

static int static_up(const struct net_request *req, const struct link_info *links, int n,
		     struct net_lease *l, long long t0)
{
	char names[NI_LINKS_MAX * (NI_IFNAME_MAX + 2)];
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
	if (req->ip.v6) {   /* dracut's ip=[addr]...: an IPv6-only node */
		l->have6 = true;
		l->method6 = IP_METHOD_STATIC;
		l->addr6 = req->ip.client6;
		l->gateway6 = req->ip.gateway6;
		l->prefix6 = req->ip.prefix6;
		memcpy(l->dns6, req->ip.dns6, sizeof(l->dns6));
		l->ndns6 = req->ip.ndns6;
		strcpy(l->hostname, req->ip.hostname);
		l->mtu = req->ip.mtu;
		return 0;
	}
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
	lease_set_prefix(l);
	return 0;
}

static void log_v6(const struct net_lease *l)
{
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	logx("net: %s %s/%d gw %s via %s", l->ifname, inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)), l->prefix6,
	     IN6_IS_ADDR_UNSPECIFIED(&l->gateway6) ?
	     (l->method6 == IP_METHOD_STATIC ? "none" : "from router advertisements") :
	     inet_ntop(AF_INET6, &l->gateway6, g, sizeof(g)),
	     l->method6 == IP_METHOD_STATIC ? "static" : l->method6 == IP_METHOD_AUTO6 ? "auto6 (SLAAC)" : "dhcp6");
}

_Static_assert(sizeof(((struct net_lease *)0)->duid6) == DHCP6_DUID_MAX, "net_lease.duid6 holds a DUID");

/* ip=dhcp6: the REPLY's address (a /128: the prefix and the routes come
 * from router advertisements, RFC 8415 21.6), DNS servers and domains. */
static int dhcp6_up(unsigned timeout, struct net_lease *l, long long t0)
{
	struct dhcp6_reply r;
	int rc = dhcp6_run(l->ifname, l->ifindex, l->mac, timeout, &r);

	if (rc == -ETIMEDOUT)
		logx("net: %s: no DHCPv6 server gave an address within %.1f s (ip=dhcp6)", l->ifname, secs_since(t0));
	else if (rc == -EADDRNOTAVAIL)
		logx("net: %s: no IPv6 link-local address (ip=dhcp6): IPv6 disabled?", l->ifname);
	else if (rc)
		logerr(rc, "net: %s: DHCPv6 (ip=dhcp6)", l->ifname);
	if (rc)
		return rc;
	l->addr6 = r.addr;
	l->prefix6 = 128;
	memcpy(l->dns6, r.dns, sizeof(l->dns6));
	l->ndns6 = r.ndns;
	if (!l->search[0])
		memcpy(l->search, r.search, sizeof(l->search));
	l->lease_secs = r.valid;
	l->t1 = r.t1;
	l->t2 = r.t2;
	memcpy(l->duid6, r.server_id, r.server_id_len);
	l->duid6_len = r.server_id_len;
	l->obtained_ms = uptime_ms();
	return 0;
}

/* ip=auto6 and ip=dhcp6: the first interface (by name, BOOTIF, or with
 * carrier), then the kernel's SLAAC or a DHCPv6 exchange. */
static int v6_up(const struct net_request *req, const struct link_info *links, int n, struct net_lease *l,
		 long long t0)
{
	unsigned timeout = req->dhcp_timeout_ms ? req->dhcp_timeout_ms : DEFAULT_DHCP_MS;
	int i = wait_carrier(links, n, req->link_timeout_ms ? req->link_timeout_ms : DEFAULT_LINK_MS);
	int rc;

	take_link(l, &links[i < 0 ? 0 : i]);
	l->have6 = true;
	l->method6 = req->ip.method;
	l->mtu = req->ip.mtu;
	strcpy(l->hostname, req->ip.hostname);
	if (req->ip.method == IP_METHOD_DHCP6)
		return dhcp6_up(timeout, l, t0);
	rc = slaac_wait(l->ifname, l->ifindex, timeout, &l->addr6, &l->prefix6);
	if (rc == -ETIMEDOUT)
		logx("net: %s: no IPv6 router advertisement gave a global address within %.1f s (ip=auto6)",
		     l->ifname, secs_since(t0));
	else if (rc)
		logerr(rc, "net: %s: IPv6 autoconfiguration (ip=auto6) via /proc/sys/net/ipv6", l->ifname);
	return rc;
}

/* The log line escapes the value's control bytes. */
static void say_dropped(const char *field, const char *value, const char *why, void *ctx)
{
	const struct net_lease *l = ctx;
	logx("net: %s: %s '%.80s' from the %s not used: %s", l->ifname, field, value,
	     l->via_dhcp ? "DHCP reply" : "ip= parameter", why);
}

/* dracut's ip=<dev>:<method>:<mtu>:<macaddr>: the MAC replaces the named
 * interface's own before it comes up (DHCP then asks with it). A driver
 * that refuses keeps its address; the boot goes on with it. */
static void set_mac(struct nl_handle *nl, struct link_info *link, const uint8_t mac[6])
{
	char m[MAC_TEXT_MAX];
	int rc = nl_link_set_mac(nl, link->ifindex, mac);

	mac_format(mac, ':', m);
	if (rc) {
		logerr(rc, "net: %s: setting MAC address %s from ip=", link->name, m);
		return;
	}
	memcpy(link->mac, mac, 6);
	logx("net: %s: MAC address %s from ip=", link->name, m);
}

/* vlan= and bond=: their interfaces are made first; the root one is then
 * configured as the named device (BOOTIF has chosen its NIC by then). */
static int stack_up(struct nl_handle *nl, const struct net_request *req, struct net_request *out,
		    struct net_lease *l)
{
	const char *root = netdev_root_name(&req->stack, req->ip.device);
	int rc;

	*out = *req;
	rc = netdev_up(nl, &out->stack, root, req->have_bootif ? req->bootif : NULL,
		       req->link_timeout_ms ? req->link_timeout_ms : DEFAULT_LINK_MS);
	if (rc || !root)
		return rc;
	snprintf(out->ip.device, sizeof(out->ip.device), "%s", root);
	out->have_bootif = false;
	l->stack = out->stack;
	return 0;
}

static int configure(struct nl_handle *nl, const struct net_request *req, struct net_lease *l)
{
	struct link_info links[NI_LINKS_MAX];
	unsigned link_ms = req->link_timeout_ms ? req->link_timeout_ms : DEFAULT_LINK_MS;
	long long t0 = uptime_ms();
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
	struct net_request stacked;
	int n, rc;

	if (netdev_any(&req->stack)) {
		if ((rc = stack_up(nl, req, &stacked, l)))
			return rc;
		req = &stacked;
	}
	n = find_links(req, link_ms, links);
	if (n < 0)
		return n;
	if (req->ip.have_mac && req->ip.device[0])   /* ipconf_parse: a MAC comes with a device */
		set_mac(nl, &links[0], req->ip.mac);
	for (int i = 0; i < n; i++) {
		rc = nl_link_up(nl, links[i].ifindex);
		if (rc)
			logerr(rc, "net: %s: link up", links[i].name);
	}
	if (req->ip.method == IP_METHOD_STATIC)
		rc = static_up(req, links, n, l, t0);
	else if (req->ip.method == IP_METHOD_AUTO6 || req->ip.method == IP_METHOD_DHCP6)
		rc = v6_up(req, links, n, l, t0);
	else
		rc = dhcp_up(req, links, n, l, t0);
	if (rc)
		return rc;
	(void)lease_check_names(l, say_dropped, l);   /* each one is logged */
	if (l->prefix < 0) {
		logx("net: %s: netmask %s is not contiguous", l->ifname, inaddr_ntoa(l->netmask, a));
		return -EINVAL;
	}
	rc = apply(nl, l);
	if (rc)
		return rc;
	if (l->have6)
		log_v6(l);
	if (l->addr.s_addr == INADDR_ANY)
		return 0;
	logx("net: %s %s/%d gw %s via %s", l->ifname, inaddr_ntoa(l->addr, a), l->prefix,
	     l->gateway.s_addr ? inaddr_ntoa(l->gateway, g) : "none", l->via_dhcp ? "dhcp" : "static");
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
