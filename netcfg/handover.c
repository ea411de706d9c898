/* Pure renderers for the hand-over files (see handover.h and
 * README.md, "Network", for what each consumer does with them). */
#include "handover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../common/inaddr.h"
#include "../common/mac.h"
#include "../common/textbuf.h"

static bool name_ok(const char *s, bool list)
{
	bool label_start = true;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (list && c == ' ' && !label_start) {
			label_start = true;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
		label_start = false;
	}
	return !label_start || !list;
}

int handover_sanitize(struct net_lease *l)
{
	int cleared = 0;
	if (!name_ok(l->hostname, false)) {
		l->hostname[0] = '\0';
		cleared |= 1;
	}
	if (!name_ok(l->domain, false)) {
		l->domain[0] = '\0';
		cleared |= 2;
	}
	if (l->search[0] && !name_ok(l->search, true)) {
		l->search[0] = '\0';
		cleared |= 4;
	}
	return cleared;
}

int handover_path(enum handover_kind k, const char *ifname, char *buf, size_t cap)
{
	static const char *const fmt[HANDOVER_KINDS] = {
		[HANDOVER_KLIBC] = "net-%s.conf",
		[HANDOVER_NETWORKD] = "systemd/network/05-nfsinit-%s.network",
		[HANDOVER_NETPLAN] = "netplan/05-nfsinit-%s.yaml",
		[HANDOVER_NM] = "NetworkManager/conf.d/90-nfsinit-%s.conf",
		[HANDOVER_LINK] = "systemd/network/10-nfsinit-%s.link",
		[HANDOVER_RESOLV] = "etc/resolv.conf",
	};
	int n;
	if ((unsigned)k >= HANDOVER_KINDS)
		return -EINVAL;
	n = snprintf(buf, cap, fmt[k], ifname);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : n;
}

/* Single quotes, with ' written as '\'' : the file is sourced by sh. A
 * control byte (a server's root path may hold a newline) becomes '?': some
 * consumers read the file line by line. */
static void put_shell(struct textbuf *t, const char *key, const char *val)
{
	textbuf_printf(t, "%s='", key);
	for (; *val; val++) {
		unsigned char c = (unsigned char)*val;
		if (c == '\'')
			textbuf_printf(t, "'\\''");
		else
			textbuf_printf(t, "%c", c < 0x20 || c == 0x7f ? '?' : c);
	}
	textbuf_printf(t, "'\n");
}

static void put_shell_addr(struct textbuf *t, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	put_shell(t, key, inaddr_ntoa(a, s));
}

static const char *v6_proto(const struct net_lease *l)
{
	return l->method6 == IP_METHOD_AUTO6 ? "auto6" : l->method6 == IP_METHOD_DHCP6 ? "dhcp6" : "static";
}

/* The IPv6 keys newer initramfs-tools write next to klibc's (IPV6NETMASK
 * holds the prefix length); only for a node with IPv6. */
static void render_klibc6(struct textbuf *t, const struct net_lease *l)
{
	char a[INET6_ADDRSTRLEN], key[24];

	put_shell(t, "IPV6PROTO", v6_proto(l));
	put_shell(t, "IPV6ADDR", inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)));
	snprintf(key, sizeof(key), "%d", l->prefix6);
	put_shell(t, "IPV6NETMASK", key);
	put_shell(t, "IPV6GATEWAY", IN6_IS_ADDR_UNSPECIFIED(&l->gateway6) ? "" :
		  inet_ntop(AF_INET6, &l->gateway6, a, sizeof(a)));
	for (int i = 0; i < l->ndns6; i++) {
		snprintf(key, sizeof(key), "IPV6DNS%d", i);
		put_shell(t, key, inet_ntop(AF_INET6, &l->dns6[i], a, sizeof(a)));
	}
}

/* The keys and order of klibc ipconfig's dump_device_config(), which
 * initramfs-tools' configure_networking and its consumers source. */
static void render_klibc(struct textbuf *t, const struct net_lease *l)
{
	struct in_addr none = { INADDR_ANY };
	char n[32];
	put_shell(t, "DEVICE", l->ifname);
	put_shell(t, "PROTO", l->via_dhcp ? "dhcp" : "none");
	put_shell_addr(t, "IPV4ADDR", l->addr);
	put_shell_addr(t, "IPV4BROADCAST", l->broadcast);
	put_shell_addr(t, "IPV4NETMASK", l->netmask);
	put_shell_addr(t, "IPV4GATEWAY", l->gateway);
	put_shell_addr(t, "IPV4DNS0", l->ndns > 0 ? l->dns[0] : none);
	put_shell_addr(t, "IPV4DNS1", l->ndns > 1 ? l->dns[1] : none);
	put_shell(t, "HOSTNAME", l->hostname);
	put_shell(t, "DNSDOMAIN", l->domain);
	put_shell(t, "NISDOMAIN", "");
	put_shell_addr(t, "ROOTSERVER", l->next_server.s_addr ? l->next_server : l->server_id);
	put_shell(t, "ROOTPATH", l->root_path);
	put_shell(t, "filename", "");
	snprintf(n, sizeof(n), "%u", l->lease_secs);
	put_shell(t, "DHCPLEASETIME", n);
	put_shell(t, "DOMAINSEARCH", l->search);
	if (l->mtu) {
		snprintf(n, sizeof(n), "%u", l->mtu);
		put_shell(t, "MTU", n);
	}
	if (l->have6)
		render_klibc6(t, l);
}

/* networkd's IPv6 lines: the static address, or router advertisements. */
static void networkd6(struct textbuf *t, const struct net_lease *l)
{
	char a[INET6_ADDRSTRLEN];

	if (l->method6 == IP_METHOD_DHCP6)   /* the same DUID-LL and IAID: the same address */
		textbuf_printf(t, "DHCP=%s\n", l->addr.s_addr ? "yes" : "ipv6");
	if (l->method6 != IP_METHOD_STATIC)
		return;
	textbuf_printf(t, "Address=%s/%d\n", inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)), l->prefix6);
	if (!IN6_IS_ADDR_UNSPECIFIED(&l->gateway6))
		textbuf_printf(t, "Gateway=%s\n", inet_ntop(AF_INET6, &l->gateway6, a, sizeof(a)));
	for (int i = 0; i < l->ndns6; i++)
		textbuf_printf(t, "DNS=%s\n", inet_ntop(AF_INET6, &l->dns6[i], a, sizeof(a)));
}

static void render_networkd(struct textbuf *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	textbuf_printf(t, "# nfsinit: the root filesystem is mounted over this interface.\n"
	       "# KeepConfiguration keeps the address while networkd (re)starts;\n"
	       "# SendRelease=no so a shutdown does not give it back under the root.\n");
	textbuf_printf(t, "[Match]\nName=%s\n\n[Link]\nRequiredForOnline=yes\n", l->ifname);
	if (l->mtu)
		textbuf_printf(t, "MTUBytes=%u\n", l->mtu);
	/* IPv6 needs its link-local address for neighbour discovery. */
	textbuf_printf(t, "\n[Network]\nKeepConfiguration=yes\nLinkLocalAddressing=%s\nIPv6AcceptRA=%s\n",
		       l->have6 ? "ipv6" : "no", l->have6 && l->method6 != IP_METHOD_STATIC ? "yes" : "no");
	networkd6(t, l);
	if (lease_ipv6_only(l)) {
		if (l->method6 == IP_METHOD_DHCP6)
			textbuf_printf(t, "\n[DHCPv6]\nDUIDType=link-layer\nIAID=%u\nSendRelease=no\n",
				       (unsigned)l->mac[2] << 24 | (unsigned)l->mac[3] << 16 | (unsigned)l->mac[4] << 8 | l->mac[5]);
		return;
	}
	if (l->via_dhcp) {
		textbuf_printf(t, "DHCP=ipv4\n\n[DHCPv4]\n");
		/* The same client identifier (type 1 + MAC) we sent: same lease. */
		textbuf_printf(t, "ClientIdentifier=mac\nSendRelease=no\n");
		return;
	}
	textbuf_printf(t, "DHCP=no\nAddress=%s/%d\n", inaddr_ntoa(l->addr, a), l->prefix);
	if (l->gateway.s_addr)
		textbuf_printf(t, "Gateway=%s\n", inaddr_ntoa(l->gateway, a));
	for (int i = 0; i < l->ndns; i++)
		textbuf_printf(t, "DNS=%s\n", inaddr_ntoa(l->dns[i], a));
}

/* netplan's IPv6 keys; its static IPv4 part below adds the IPv4 ones. */
static void netplan6(struct textbuf *t, const struct net_lease *l)
{
	char a[INET6_ADDRSTRLEN];

	textbuf_printf(t, "      dhcp6: %s\n      accept-ra: %s\n", l->method6 == IP_METHOD_DHCP6 ? "true" : "false",
		       l->method6 != IP_METHOD_STATIC ? "true" : "false");
	if (l->method6 != IP_METHOD_STATIC)
		return;
	textbuf_printf(t, "      addresses: [\"%s/%d\"]\n", inet_ntop(AF_INET6, &l->addr6, a, sizeof(a)), l->prefix6);
	if (!IN6_IS_ADDR_UNSPECIFIED(&l->gateway6))
		textbuf_printf(t, "      routes:\n        - to: default\n          via: \"%s\"\n",
			       inet_ntop(AF_INET6, &l->gateway6, a, sizeof(a)));
	if (l->ndns6) {
		textbuf_printf(t, "      nameservers:\n        addresses: [");
		for (int i = 0; i < l->ndns6; i++)
			textbuf_printf(t, "%s\"%s\"", i ? ", " : "", inet_ntop(AF_INET6, &l->dns6[i], a, sizeof(a)));
		textbuf_printf(t, "]\n");
	}
}

static void render_netplan(struct textbuf *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN], m[MAC_TEXT_MAX];
	textbuf_printf(t, "# nfsinit: the root filesystem is mounted over this interface.\nnetwork:\n  version: 2\n");
	if (netdev_stacked(l)) {   /* a VLAN or bond: what it sits on, then its own opening */
		netdev_netplan(t, &l->stack, l->ifname);
	} else {
		textbuf_printf(t, "  ethernets:\n    nfsinit-%s:\n", l->ifname);
		textbuf_printf(t, "      match:\n        macaddress: \"%s\"\n", mac_format(l->mac, ':', m));
		textbuf_printf(t, "      set-name: %s\n      critical: true\n", l->ifname);
	}
	if (l->mtu)
		textbuf_printf(t, "      mtu: %u\n", l->mtu);
	if (l->have6)
		netplan6(t, l);
	if (lease_ipv6_only(l))
		return;
	if (l->via_dhcp) {
		textbuf_printf(t, "      dhcp4: true\n      dhcp-identifier: mac\n");
		return;
	}
	textbuf_printf(t, "      dhcp4: false\n      addresses: [\"%s/%d\"]\n", inaddr_ntoa(l->addr, a), l->prefix);
	if (l->gateway.s_addr)
		textbuf_printf(t, "      routes:\n        - to: default\n          via: %s\n", inaddr_ntoa(l->gateway, a));
	if (l->ndns) {
		textbuf_printf(t, "      nameservers:\n        addresses: [");
		for (int i = 0; i < l->ndns; i++)
			textbuf_printf(t, "%s%s", i ? ", " : "", inaddr_ntoa(l->dns[i], a));
		textbuf_printf(t, "]\n");
	}
}

static void render_nm(struct textbuf *t, const struct net_lease *l)
{
	/* An unmanaged device keeps the configuration it has: NetworkManager
	 * neither flushes the address nor runs DHCP on it. */
	textbuf_printf(t, "# nfsinit: the root filesystem is mounted over %s.\n", l->ifname);
	const char *lower[NI_BOND_SLAVES + 2];
	int n = netdev_stacked(l) ? netdev_members(&l->stack, l->ifname, lower, NI_BOND_SLAVES + 2) : 0;
	textbuf_printf(t, "[device-nfsinit-%s]\nmatch-device=interface-name:%s", l->ifname, l->ifname);
	for (int i = 0; i < n; i++)   /* a VLAN's parent, a bond's slaves: left alone too */
		if (strcmp(lower[i], l->ifname))
			textbuf_printf(t, ",interface-name:%s", lower[i]);
	textbuf_printf(t, "\nmanaged=0\n");
}

/* Type=ether: a VLAN or bond on this NIC has the same MAC and must not match
 * (matching the kernel name instead would make udev warn that the name is
 * not predictable). An empty NamePolicy= leaves Name= as the only choice;
 * every other [Link] setting keeps the kernel's value, as the NIC carries
 * the root already. */
static int render_link(struct textbuf *t, const struct net_lease *l)
{
	char m[MAC_TEXT_MAX];
	if (!l->ifname[0])
		return -EINVAL;
	textbuf_printf(t, "# nfsinit: the root filesystem is mounted over this interface, which is\n"
	       "# up already and cannot be renamed: keep the name it booted with.\n"
	       "[Match]\nMACAddress=%s\nType=ether\n\n[Link]\nNamePolicy=\nName=%s\n",
	    mac_format(l->mac, ':', m), l->ifname);
	return 0;
}

/* True when name is one of the space-separated words of list. */
static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; *p; p += strcspn(p, " "), p += *p == ' ') {
		if (strncmp(p, name, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	return false;
}

static int render_resolv(struct textbuf *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	char a6[INET6_ADDRSTRLEN];
	if (!l->ndns && !l->ndns6 && !l->domain[0] && !l->search[0])
		return -ENODATA;
	textbuf_printf(t, "# written by nfsinit from the %s configuration of %s\n",
	    l->via_dhcp ? "DHCP" : "ip=", l->ifname);
	for (int i = 0; i < l->ndns; i++)
		textbuf_printf(t, "nameserver %s\n", inaddr_ntoa(l->dns[i], a));
	for (int i = 0; i < l->ndns6; i++)
		textbuf_printf(t, "nameserver %s\n", inet_ntop(AF_INET6, &l->dns6[i], a6, sizeof(a6)));
	if (l->domain[0])
		textbuf_printf(t, "domain %s\n", l->domain);
	/* resolv.conf: the last of domain/search wins, so search repeats the domain. */
	if (l->search[0] || l->domain[0]) {
		textbuf_printf(t, "search");
		if (l->domain[0] && !in_list(l->search, l->domain))
			textbuf_printf(t, " %s", l->domain);
		if (l->search[0])
			textbuf_printf(t, " %s", l->search);
		textbuf_printf(t, "\n");
	}
	return 0;
}

int handover_render(enum handover_kind k, const struct net_lease *l, char *buf, size_t cap)
{
	struct textbuf t;
	int rc = 0;

	textbuf_init(&t, buf, cap);
	switch (k) {
	case HANDOVER_KLIBC: render_klibc(&t, l); break;
	case HANDOVER_NETWORKD: render_networkd(&t, l); break;
	case HANDOVER_NETPLAN: render_netplan(&t, l); break;
	case HANDOVER_NM: render_nm(&t, l); break;
	case HANDOVER_LINK: rc = render_link(&t, l); break;
	case HANDOVER_RESOLV: rc = render_resolv(&t, l); break;
	default: return -EINVAL;
	}
	if (rc)
		return rc;
	return textbuf_end(&t);
}
