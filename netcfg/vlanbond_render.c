/* Hand-over text for the interfaces vlan= and bond= made (pure): networkd
 * .netdev and .network for each one under the root interface, the .link
 * that keeps each NIC's name, NetworkManager keyfiles, and netplan's
 * vlans:/bonds: form. The root interface's own addressing is the plain
 * hand-over's (handover.c); these describe what lies under it. */
#include "vlanbond.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "../common/mac.h"
#include "../common/textbuf.h"

static const struct netdev_nic *nic_named(const struct netdev_stack *s, const char *name)
{
	for (int i = 0; i < s->nnics; i++)
		if (!strcmp(s->nics[i].name, name))
			return &s->nics[i];
	return NULL;
}

int netdev_path(enum netdev_file k, const char *ifname, char *buf, size_t cap)
{
	static const char *const fmt[NETDEV_FILES] = {
		[NETDEV_NETDEV] = "systemd/network/05-nfsinit-%s.netdev",
		[NETDEV_NETWORK] = "systemd/network/05-nfsinit-%s.network",
		[NETDEV_LINK] = "systemd/network/10-nfsinit-%s.link",
		[NETDEV_NMCONN] = "NetworkManager/system-connections/nfsinit-%s.nmconnection",
	};
	int n;
	if ((unsigned)k >= NETDEV_FILES)
		return -EINVAL;
	n = snprintf(buf, cap, fmt[k], ifname);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : n;
}

static int render_netdev(struct textbuf *t, const struct netdev_stack *s, const char *ifname)
{
	const struct net_vlan *v = netdev_vlan(s, ifname);
	const struct net_bond *b = &s->bond;

	if (!v && !netdev_is_bond(s, ifname))
		return -ENODATA;
	textbuf_printf(t, "# nfsinit: made at boot (%s=); the root filesystem is mounted over it.\n"
		       "[NetDev]\nName=%s\nKind=%s\n", v ? "vlan" : "bond", ifname, v ? "vlan" : "bond");
	if (v) {
		textbuf_printf(t, "\n[VLAN]\nId=%u\n", v->id);
		return 0;
	}
	if (b->mtu)
		textbuf_printf(t, "MTUBytes=%u\n", b->mtu);
	textbuf_printf(t, "\n[Bond]\nMode=%s\nMIIMonitorSec=%ums\n", bond_mode_name(b->mode), b->miimon);
	if (b->lacp_rate >= 0)
		textbuf_printf(t, "LACPTransmitRate=%s\n", b->lacp_rate ? "fast" : "slow");
	if (b->xmit_hash >= 0)
		textbuf_printf(t, "TransmitHashPolicy=%s\n", bond_xmit_hash_name(b->xmit_hash));
	return 0;
}

/* A lower interface: no address of its own, and networkd must neither take
 * it down nor wait for it to be "online". */
static int render_network(struct textbuf *t, const struct netdev_stack *s, const char *ifname,
			  const char *root)
{
	if (!strcmp(ifname, root))
		return -ENODATA;
	textbuf_printf(t, "# nfsinit: carries %s, which the root filesystem is mounted over.\n"
		       "[Match]\nName=%s\n\n[Link]\nRequiredForOnline=no\n\n"
		       "[Network]\nKeepConfiguration=yes\nLinkLocalAddressing=no\nIPv6AcceptRA=no\nDHCP=no\n",
		       root, ifname);
	if (netdev_is_slave(s, ifname)) {
		textbuf_printf(t, "Bond=%s\n", s->bond.name);
		if (!strcmp(s->bond.primary, ifname))
			textbuf_printf(t, "PrimarySlave=yes\n");
	}
	for (int i = 0; i < s->nvlans; i++)
		if (!strcmp(s->vlans[i].parent, ifname) && !strcmp(s->vlans[i].name, root))
			textbuf_printf(t, "VLAN=%s\n", s->vlans[i].name);
	return 0;
}

/* A slave carries the bond's MAC, the same on every slave: it is matched by
 * its permanent one. A VLAN's parent shares its MAC with the VLAN, which
 * Type=ether leaves out. */
static int render_link(struct textbuf *t, const struct netdev_stack *s, const char *ifname)
{
	const struct netdev_nic *n = nic_named(s, ifname);
	char m[MAC_TEXT_MAX];

	if (!n)
		return -ENODATA;
	textbuf_printf(t, "# nfsinit: this NIC carries the root filesystem and is up already; it\n"
		       "# cannot be renamed: keep the name it booted with.\n[Match]\n%sMACAddress=%s\nType=ether\n\n"
		       "[Link]\nNamePolicy=\nName=%s\n", n->slave ? "Permanent" : "", mac_format(n->mac, ':', m),
		       ifname);
	return 0;
}

static void nm_ipv4(struct textbuf *t, bool root, const char *addr, const char *gw)
{
	if (!root)
		textbuf_printf(t, "\n[ipv4]\nmethod=disabled\n");
	else if (!addr)
		textbuf_printf(t, "\n[ipv4]\nmethod=auto\ndhcp-client-id=mac\n");
	else
		textbuf_printf(t, "\n[ipv4]\nmethod=manual\naddress1=%s%s%s\n", addr, gw ? "," : "", gw ? gw : "");
	textbuf_printf(t, "\n[ipv6]\nmethod=disabled\n");
}

/* autoconnect=false: NetworkManager does not activate these on its own (the
 * devices are unmanaged, conf.d/90-nfsinit-<if>.conf); they say what the
 * devices are, for nmcli and for an admin who takes them over. */
static int render_nmconn(struct textbuf *t, const struct netdev_stack *s, const char *ifname, const char *root,
			 const char *addr, const char *gw)
{
	const struct net_vlan *v = netdev_vlan(s, ifname);
	const struct net_bond *b = &s->bond;
	bool bond = netdev_is_bond(s, ifname), slave = netdev_is_slave(s, ifname);

	textbuf_printf(t, "# nfsinit: the root filesystem is mounted over %s.\n[connection]\nid=nfsinit-%s\n"
		       "type=%s\ninterface-name=%s\nautoconnect=false\n", root, ifname,
		       v ? "vlan" : bond ? "bond" : "ethernet", ifname);
	if (slave) {
		textbuf_printf(t, "master=%s\nslave-type=bond\n", b->name);
		return 0;
	}
	if (v)
		textbuf_printf(t, "\n[vlan]\nid=%u\nparent=%s\n", v->id, v->parent);
	if (bond) {
		textbuf_printf(t, "\n[bond]\nmode=%s\nmiimon=%u\n", bond_mode_name(b->mode), b->miimon);
		if (b->lacp_rate >= 0)
			textbuf_printf(t, "lacp_rate=%d\n", b->lacp_rate);
		if (b->xmit_hash >= 0)
			textbuf_printf(t, "xmit_hash_policy=%s\n", bond_xmit_hash_name(b->xmit_hash));
		if (b->primary[0])
			textbuf_printf(t, "primary=%s\n", b->primary);
	}
	nm_ipv4(t, !strcmp(ifname, root), addr, gw);
	return 0;
}

int netdev_render(enum netdev_file k, const struct netdev_stack *s, const char *ifname, const char *root,
		  const char *addr, const char *gw, char *buf, size_t cap)
{
	struct textbuf t;
	int rc;

	textbuf_init(&t, buf, cap);
	switch (k) {
	case NETDEV_NETDEV: rc = render_netdev(&t, s, ifname); break;
	case NETDEV_NETWORK: rc = render_network(&t, s, ifname, root); break;
	case NETDEV_LINK: rc = render_link(&t, s, ifname); break;
	case NETDEV_NMCONN: rc = render_nmconn(&t, s, ifname, root, addr, gw); break;
	default: return -EINVAL;
	}
	return rc ? rc : textbuf_end(&t);
}

static void netplan_bond(struct textbuf *t, const struct net_bond *b)
{
	textbuf_printf(t, "  bonds:\n    %s:\n      interfaces: [", b->name);
	for (int i = 0; i < b->nslaves; i++)
		textbuf_printf(t, "%s%s", i ? ", " : "", b->slaves[i]);
	textbuf_printf(t, "]\n      parameters:\n        mode: %s\n        mii-monitor-interval: %u\n",
		       bond_mode_name(b->mode), b->miimon);
	if (b->lacp_rate >= 0)
		textbuf_printf(t, "        lacp-rate: %s\n", b->lacp_rate ? "fast" : "slow");
	if (b->xmit_hash >= 0)
		textbuf_printf(t, "        transmit-hash-policy: %s\n", bond_xmit_hash_name(b->xmit_hash));
	if (b->primary[0])
		textbuf_printf(t, "        primary: %s\n", b->primary);
	textbuf_printf(t, "      critical: true\n");
}

void netdev_netplan(struct textbuf *t, const struct netdev_stack *s, const char *root)
{
	const char *names[NI_BOND_SLAVES + 2];
	int n = netdev_members(s, root, names, NI_BOND_SLAVES + 2);
	const struct net_vlan *v = netdev_vlan(s, root);

	textbuf_printf(t, "  ethernets:\n");
	for (int i = 0; i < n; i++)
		if (!netdev_vlan(s, names[i]) && !netdev_is_bond(s, names[i]))
			textbuf_printf(t, "    %s:\n      critical: true\n      dhcp4: false\n      dhcp6: false\n"
				       "      link-local: []\n", names[i]);
	if (s->have_bond && (!v || netdev_is_bond(s, v->parent))) {
		netplan_bond(t, &s->bond);
		if (v)   /* the bond only carries the VLAN */
			textbuf_printf(t, "      dhcp4: false\n      dhcp6: false\n      link-local: []\n");
	}
	if (v)
		textbuf_printf(t, "  vlans:\n    %s:\n      id: %u\n      link: %s\n      critical: true\n", v->name,
			       v->id, v->parent);
}
