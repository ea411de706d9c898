/* File I/O of the vlan=/bond= hand-over: each interface under the root one
 * gets its networkd .netdev/.network, NetworkManager keyfile and (a NIC) its
 * .link, through the same atomic writer as the plain hand-over. */
#include "netcfg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include "handover.h"
#include "../common/file.h"
#include "../common/inaddr.h"
#include "../common/log.h"

#define NETDEV_TEXT_MAX 2048

bool netdev_stacked(const struct net_lease *l)
{
	return netdev_root_name(&l->stack, l->ifname) != NULL;
}

static int write_one(enum netdev_file k, const struct net_lease *l, const char *ifname, const char *run_dir)
{
	char text[NETDEV_TEXT_MAX], rel[NI_PATH_MAX], path[NI_PATH_MAX], a[INET_ADDRSTRLEN + 4], g[INET_ADDRSTRLEN];
	const char *addr = NULL, *gw = NULL;
	int len;

	if (!l->via_dhcp) {
		snprintf(a, sizeof(a), "%s/%d", inaddr_ntoa(l->addr, g), l->prefix);
		addr = a;
		gw = l->gateway.s_addr ? inaddr_ntoa(l->gateway, g) : NULL;
	}
	if (netdev_path(k, ifname, rel, sizeof(rel)) < 0 ||
	    snprintf(path, sizeof(path), "%s/%s", run_dir, rel) >= (int)sizeof(path)) {
		logx("handover: path for %s under %s is too long", ifname, run_dir);
		return -ENAMETOOLONG;
	}
	len = netdev_render(k, &l->stack, ifname, l->ifname, addr, gw, text, sizeof(text));
	/* NetworkManager ignores a keyfile others can read. */
	return handover_put(path, text, len, k == NETDEV_NMCONN ? 0600 : 0644);
}

static int write_kinds(const struct net_lease *l, const char *run_dir, bool links_only)
{
	const char *names[NI_BOND_SLAVES + 2];
	int n = netdev_members(&l->stack, l->ifname, names, NI_BOND_SLAVES + 2), first = 0;

	if (!netdev_stacked(l))
		return 0;
	for (int i = 0; i < n; i++)
		for (int k = 0; k < NETDEV_FILES; k++) {
			if (links_only && k != NETDEV_LINK)
				continue;
			int rc = write_one((enum netdev_file)k, l, names[i], run_dir);
			if (rc && !first)
				first = rc;
		}
	return first;
}

int netdev_handover_write(const struct net_lease *l, const char *run_dir)
{
	return write_kinds(l, run_dir, false);
}

int netdev_linkfiles_write(const struct net_lease *l, const char *run_dir)
{
	return write_kinds(l, run_dir, true);
}
