/* Pure renderers for the hand-over files (see handover.h and
 * README.md, "Network", for what each consumer does with them). */
#include "handover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct text {
	char *buf;
	size_t cap, len;
	bool overflow;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->overflow = true;
		return;
	}
	t->len += (size_t)n;
}

static const char *ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

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
static void put_shell(struct text *t, const char *key, const char *val)
{
	put(t, "%s='", key);
	for (; *val; val++) {
		unsigned char c = (unsigned char)*val;
		if (c == '\'')
			put(t, "'\\''");
		else
			put(t, "%c", c < 0x20 || c == 0x7f ? '?' : c);
	}
	put(t, "'\n");
}

static void put_shell_addr(struct text *t, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	put_shell(t, key, ntoa(a, s));
}

/* The keys and order of klibc ipconfig's dump_device_config(), which
 * initramfs-tools' configure_networking and its consumers source. */
static void render_klibc(struct text *t, const struct net_lease *l)
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
}

static void render_networkd(struct text *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	put(t, "# nfsinit: the root filesystem is mounted over this interface.\n"
	       "# KeepConfiguration keeps the address while networkd (re)starts;\n"
	       "# SendRelease=no so a shutdown does not give it back under the root.\n");
	put(t, "[Match]\nName=%s\n\n[Link]\nRequiredForOnline=yes\n", l->ifname);
	if (l->mtu)
		put(t, "MTUBytes=%u\n", l->mtu);
	put(t, "\n[Network]\nKeepConfiguration=yes\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n");
	if (l->via_dhcp) {
		put(t, "DHCP=ipv4\n\n[DHCPv4]\n");
		/* The same client identifier (type 1 + MAC) we sent: same lease. */
		put(t, "ClientIdentifier=mac\nSendRelease=no\n");
		return;
	}
	put(t, "DHCP=no\nAddress=%s/%d\n", ntoa(l->addr, a), l->prefix);
	if (l->gateway.s_addr)
		put(t, "Gateway=%s\n", ntoa(l->gateway, a));
	for (int i = 0; i < l->ndns; i++)
		put(t, "DNS=%s\n", ntoa(l->dns[i], a));
}

static void render_netplan(struct text *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	put(t, "# nfsinit: the root filesystem is mounted over this interface.\n"
	       "network:\n  version: 2\n  ethernets:\n    nfsinit-%s:\n", l->ifname);
	put(t, "      match:\n        macaddress: \"%02x:%02x:%02x:%02x:%02x:%02x\"\n",
	    l->mac[0], l->mac[1], l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	put(t, "      set-name: %s\n      critical: true\n", l->ifname);
	if (l->mtu)
		put(t, "      mtu: %u\n", l->mtu);
	if (l->via_dhcp) {
		put(t, "      dhcp4: true\n      dhcp-identifier: mac\n");
		return;
	}
	put(t, "      dhcp4: false\n      addresses: [\"%s/%d\"]\n", ntoa(l->addr, a), l->prefix);
	if (l->gateway.s_addr)
		put(t, "      routes:\n        - to: default\n          via: %s\n", ntoa(l->gateway, a));
	if (l->ndns) {
		put(t, "      nameservers:\n        addresses: [");
		for (int i = 0; i < l->ndns; i++)
			put(t, "%s%s", i ? ", " : "", ntoa(l->dns[i], a));
		put(t, "]\n");
	}
}

static void render_nm(struct text *t, const struct net_lease *l)
{
	/* An unmanaged device keeps the configuration it has: NetworkManager
	 * neither flushes the address nor runs DHCP on it. */
	put(t, "# nfsinit: the root filesystem is mounted over %s.\n", l->ifname);
	put(t, "[device-nfsinit-%s]\nmatch-device=interface-name:%s\nmanaged=0\n", l->ifname,
	    l->ifname);
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

static int render_resolv(struct text *t, const struct net_lease *l)
{
	char a[INET_ADDRSTRLEN];
	if (!l->ndns && !l->domain[0] && !l->search[0])
		return -ENODATA;
	put(t, "# written by nfsinit from the %s configuration of %s\n",
	    l->via_dhcp ? "DHCP" : "ip=", l->ifname);
	for (int i = 0; i < l->ndns; i++)
		put(t, "nameserver %s\n", ntoa(l->dns[i], a));
	if (l->domain[0])
		put(t, "domain %s\n", l->domain);
	/* resolv.conf: the last of domain/search wins, so search repeats the domain. */
	if (l->search[0] || l->domain[0]) {
		put(t, "search");
		if (l->domain[0] && !in_list(l->search, l->domain))
			put(t, " %s", l->domain);
		if (l->search[0])
			put(t, " %s", l->search);
		put(t, "\n");
	}
	return 0;
}

int handover_render(enum handover_kind k, const struct net_lease *l, char *buf, size_t cap)
{
	struct text t = { buf, cap, 0, cap == 0 };
	int rc = 0;
	switch (k) {
	case HANDOVER_KLIBC: render_klibc(&t, l); break;
	case HANDOVER_NETWORKD: render_networkd(&t, l); break;
	case HANDOVER_NETPLAN: render_netplan(&t, l); break;
	case HANDOVER_NM: render_nm(&t, l); break;
	case HANDOVER_RESOLV: rc = render_resolv(&t, l); break;
	default: return -EINVAL;
	}
	if (rc)
		return rc;
	return t.overflow ? -ENOBUFS : (int)t.len;
}
