/* vlan= and bond=: the parsers (table-driven, good and bad values), the
 * stack checks, the command line's warnings and policy, and the hand-over
 * text for a VLAN and for a bond. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../init/config.h"
#include "../../netcfg/handover.h"
#include "../../netcfg/vlanbond.h"

static void test_vlan_good(void **s)
{
	(void)s;
	static const struct { const char *in, *name, *parent; unsigned id; } t[] = {
		{ "eth0.20:eth0", "eth0.20", "eth0", 20 },
		{ "eth0.0005:eth0", "eth0.0005", "eth0", 5 },
		{ "vlan0005:ens3", "vlan0005", "ens3", 5 },
		{ "vlan4094:bond0", "vlan4094", "bond0", 4094 },
		{ "bond0.100:bond0", "bond0.100", "bond0", 100 },
		{ "ens1f0.7:ens1f0", "ens1f0.7", "ens1f0", 7 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct net_vlan v;
		struct err_reason err;
		assert_int_equal(vlan_parse(t[i].in, &v, &err), 0);
		assert_string_equal(v.name, t[i].name);
		assert_string_equal(v.parent, t[i].parent);
		assert_int_equal(v.id, t[i].id);
	}
}

static void test_vlan_bad(void **s)
{
	(void)s;
	static const struct { const char *in, *reason; } t[] = {
		{ "eth0.20", "expected <name>:<parent>" },
		{ "", "expected <name>:<parent>" },
		{ ":eth0", "bad interface name" },
		{ "eth0.20:", "bad parent interface name" },
		{ "eth0.20:eth0:x", "more than one ':'" },
		{ "eth0.0:eth0", "no VLAN id 1-4094" },
		{ "eth0.4095:eth0", "no VLAN id" },
		{ "eth0.99999:eth0", "no VLAN id" },
		{ "mgmt:eth0", "no VLAN id" },
		{ "eth0.x:eth0", "no VLAN id" },
		{ "vlan:eth0", "no VLAN id" },
		{ "eth0.20:eth0.20", "VLAN on itself" },
		{ "a-very-long-name.20:eth0", "longer than 15 bytes" },
		{ "eth0.20:eth0/../x", "bad parent interface name" },
		{ "eth 0.20:eth0", "bad interface name" },
		{ "eth0.20:e\nth0", "bad parent interface name" },
		{ "..:eth0", "bad interface name" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct net_vlan v;
		struct err_reason err = { 0, "" };
		assert_int_equal(vlan_parse(t[i].in, &v, &err), -EINVAL);
		if (!strstr(err.msg, t[i].reason))
			fail_msg("vlan=%s: got '%s', want '%s'", t[i].in, err.msg, t[i].reason);
	}
	assert_int_equal(vlan_parse(NULL, &(struct net_vlan){ 0 }, NULL), -EINVAL);
}

static void test_bond_good(void **s)
{
	(void)s;
	struct net_bond b;
	struct err_reason err;

	/* A bare bond is dracut's bond0 over eth0,eth1; our mode is active-backup. */
	assert_int_equal(bond_parse(NULL, &b, &err), 0);
	assert_string_equal(b.name, "bond0");
	assert_int_equal(b.nslaves, 2);
	assert_string_equal(b.slaves[0], "eth0");
	assert_string_equal(b.slaves[1], "eth1");
	assert_int_equal(b.mode, BOND_ACTIVE_BACKUP);
	assert_int_equal(b.miimon, 100);
	assert_int_equal(b.mtu, 0);
	assert_int_equal(b.lacp_rate, -1);
	assert_int_equal(b.xmit_hash, -1);

	assert_int_equal(bond_parse("bond1:ens3,ens4,ens5:mode=802.3ad,miimon=200,lacp_rate=fast,"
				    "xmit_hash_policy=layer3+4:9000", &b, &err), 0);
	assert_string_equal(b.name, "bond1");
	assert_int_equal(b.nslaves, 3);
	assert_string_equal(b.slaves[2], "ens5");
	assert_int_equal(b.mode, BOND_8023AD);
	assert_int_equal(b.miimon, 200);
	assert_int_equal(b.lacp_rate, 1);
	assert_int_equal(b.xmit_hash, 1);
	assert_int_equal(b.mtu, 9000);
	assert_string_equal(bond_mode_name(b.mode), "802.3ad");
	assert_string_equal(bond_xmit_hash_name(b.xmit_hash), "layer3+4");

	assert_int_equal(bond_parse("bond0:eth0,eth1:mode=1,primary=eth1,miimon=0", &b, &err), 0);
	assert_int_equal(b.mode, BOND_ACTIVE_BACKUP);
	assert_string_equal(b.primary, "eth1");
	assert_int_equal(b.miimon, 0);
	assert_int_equal(bond_parse("bond0::mode=balance-alb", &b, &err), 0);   /* empty slaves: the default */
	assert_int_equal(b.nslaves, 2);
	assert_int_equal(b.mode, BOND_BALANCE_ALB);
	assert_int_equal(bond_parse("bond0:eth0", &b, &err), 0);
	assert_int_equal(b.nslaves, 1);
	assert_int_equal(bond_parse("bond0:eth0,eth1::", &b, &err), 0);
	assert_int_equal(b.mtu, 0);
}

static void test_bond_bad(void **s)
{
	(void)s;
	static const struct { const char *in, *reason; } t[] = {
		{ "", "bad bond name" },
		{ "bond/0", "bad bond name" },
		{ "bond0:eth0,,eth1", "" },   /* strtok: empty items are skipped, so this one passes */
		{ "bond0:eth0,eth0", "slave named twice" },
		{ "bond0:bond0", "bond enslaves itself" },
		{ "bond0:a,b,c,d,e", "more than 4 slaves" },
		{ "bond0:eth0:mode=fast", "bad mode 'fast'" },
		{ "bond0:eth0:mode=7", "bad mode '7'" },
		{ "bond0:eth0:miimon=-1", "bad miimon" },
		{ "bond0:eth0:miimon=99999", "bad miimon" },
		{ "bond0:eth0:arp_interval=100", "unknown option 'arp_interval'" },
		{ "bond0:eth0:mode", "expected <option>=<value>" },
		{ "bond0:eth0:=1", "expected <option>=<value>" },
		{ "bond0:eth0:lacp_rate=medium", "bad lacp_rate" },
		{ "bond0:eth0:xmit_hash_policy=layer9", "bad xmit_hash_policy" },
		{ "bond0:eth0:primary=eth1", "primary is not a slave 'eth1'" },
		{ "bond0:eth0::67", "bad mtu (68-65535) '67'" },
		{ "bond0:eth0::65536", "bad mtu" },
		{ "bond0:eth0::9k", "bad mtu" },
		{ "bond0:eth0::1500:x", "more than 4 fields" },
		{ "bond0:eth\x01:", "bad slave interface name" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct net_bond b;
		struct err_reason err = { 0, "" };
		int rc = bond_parse(t[i].in, &b, &err);
		if (!t[i].reason[0]) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, -EINVAL);
		if (!strstr(err.msg, t[i].reason))
			fail_msg("bond=%s: got '%s', want '%s'", t[i].in, err.msg, t[i].reason);
	}
}

static struct nfsinit_config parse(const char *line)
{
	struct nfsinit_config c;
	config_defaults(&c);
	cmdline_parse(line, &c);
	return c;
}

static bool warned(const struct nfsinit_config *c, const char *what)
{
	for (int i = 0; i < c->nwarnings; i++)
		if (strstr(c->warnings[i], what))
			return true;
	return false;
}

static void test_cmdline(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("ip=dhcp vlan=eth0.20:eth0 root=nfs:10.0.0.1:/srv");
	assert_int_equal(c.stack.nvlans, 1);
	assert_int_equal(c.stack.vlans[0].id, 20);
	assert_false(c.stack.have_bond);
	assert_int_equal(c.nwarnings, 0);
	assert_string_equal(netdev_root_name(&c.stack, c.ip.device), "eth0.20");

	c = parse("bond=bond0:eth0,eth1:mode=802.3ad vlan=bond0.7:bond0 vlan=bond0.7:bond0");
	assert_true(c.stack.have_bond);
	assert_int_equal(c.stack.nvlans, 1);   /* the same name again replaces it */
	assert_int_equal(c.nwarnings, 0);

	c = parse("bond");
	assert_true(c.stack.have_bond);
	assert_string_equal(c.stack.bond.name, "bond0");

	/* Malformed: named on the console with the policy, nothing made. */
	c = parse("vlan=eth0:eth0.20 bond=bond0:eth0:mode=turbo");
	assert_false(netdev_any(&c.stack));
	assert_true(warned(&c, "vlan=eth0:eth0.20: no VLAN id 1-4094 in the name 'eth0'"));
	assert_true(warned(&c, "; ignored, no VLAN made for it"));
	assert_true(warned(&c, "bond=bond0:eth0:mode=turbo: bad mode 'turbo'; ignored, no bond made for it"));

	c = parse("bond=bond0 bond=bond1:eth2");
	assert_string_equal(c.stack.bond.name, "bond0");
	assert_true(warned(&c, "bond=bond1:eth2: one bond only; ignored, bond0 stays"));

	c = parse("vlan=a.1:eth0 vlan=a.2:eth0 vlan=a.3:eth0 vlan=a.4:eth0 vlan=a.5:eth0");
	assert_int_equal(c.stack.nvlans, NI_MAX_VLANS);
	assert_true(warned(&c, "vlan=a.5:eth0: more than 4 VLANs; ignored"));

	/* A stack that cannot be built: said once, nothing made. */
	c = parse("bond=bond0:eth0,eth1 vlan=eth0.5:eth0");
	assert_false(netdev_any(&c.stack));
	assert_true(warned(&c, "vlan=eth0.5: parent eth0 is a slave of bond bond0; no VLAN or bond is made"));
	c = parse("vlan=eth0.5:eth0 vlan=eth0.6:eth0.5");
	assert_true(warned(&c, "parent eth0.5 is a VLAN"));
	c = parse("bond=vlan5:eth0 vlan=vlan5:eth1");
	assert_true(warned(&c, "vlan=vlan5: the name is the bond's or a slave's"));
}

static void test_root_and_members(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("bond=bond0:eth0,eth1 vlan=bond0.7:bond0 vlan=eth2.9:eth2");
	const char *n[8];

	assert_string_equal(netdev_root_name(&c.stack, ""), "bond0.7");
	assert_string_equal(netdev_root_name(&c.stack, "eth2.9"), "eth2.9");
	assert_string_equal(netdev_root_name(&c.stack, "bond0"), "bond0");
	assert_null(netdev_root_name(&c.stack, "eth3"));
	assert_int_equal(netdev_members(&c.stack, "bond0.7", n, 8), 4);
	assert_string_equal(n[0], "eth0");
	assert_string_equal(n[1], "eth1");
	assert_string_equal(n[2], "bond0");
	assert_string_equal(n[3], "bond0.7");
	assert_int_equal(netdev_members(&c.stack, "eth2.9", n, 8), 2);
	assert_string_equal(n[0], "eth2");
	assert_int_equal(netdev_members(&c.stack, "bond0", n, 2), 2);   /* bounded by max */
	struct netdev_stack none = { .nvlans = 0 };
	assert_null(netdev_root_name(&none, ""));
}

/* A lease on eth0.20 (vlan=eth0.20:eth0), as netdev_up leaves it. */
static struct net_lease vlan_lease(void)
{
	struct nfsinit_config c = parse("vlan=eth0.20:eth0");
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0.20");
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	l.via_dhcp = true;
	inet_pton(AF_INET, "10.20.0.10", &l.addr);
	inet_pton(AF_INET, "255.255.255.0", &l.netmask);
	l.prefix = 24;
	l.stack = c.stack;
	strcpy(l.stack.nics[0].name, "eth0");
	memcpy(l.stack.nics[0].mac, l.mac, 6);
	l.stack.nnics = 1;
	return l;
}

static struct net_lease bond_lease(void)
{
	struct nfsinit_config c = parse("bond=bond0:eth0,eth1:mode=active-backup,miimon=100,primary=eth0");
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "bond0");
	memcpy(l.mac, "\x52\x54\x00\x00\x00\x01", 6);
	l.via_dhcp = true;
	l.stack = c.stack;
	for (int i = 0; i < 2; i++) {
		snprintf(l.stack.nics[i].name, sizeof(l.stack.nics[i].name), "eth%d", i);
		memcpy(l.stack.nics[i].mac, "\x52\x54\x00\x00\x00\x01", 6);
		l.stack.nics[i].mac[5] += (uint8_t)i;
		l.stack.nics[i].slave = true;
	}
	l.stack.nnics = 2;
	return l;
}

static char *render(enum netdev_file k, const struct net_lease *l, const char *ifname, char *b, size_t cap)
{
	int n = netdev_render(k, &l->stack, ifname, l->ifname, NULL, NULL, b, cap);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(b));
	return b;
}

static void test_render_vlan(void **s)
{
	(void)s;
	struct net_lease l = vlan_lease();
	char b[2048];

	assert_true(netdev_stacked(&l));
	assert_non_null(strstr(render(NETDEV_NETDEV, &l, "eth0.20", b, sizeof(b)),
			       "[NetDev]\nName=eth0.20\nKind=vlan\n\n[VLAN]\nId=20\n"));
	assert_int_equal(netdev_render(NETDEV_NETDEV, &l.stack, "eth0", "eth0.20", NULL, NULL, b, sizeof(b)), -ENODATA);
	assert_non_null(strstr(render(NETDEV_NETWORK, &l, "eth0", b, sizeof(b)),
			       "[Match]\nName=eth0\n\n[Link]\nRequiredForOnline=no\n\n[Network]\nKeepConfiguration=yes\n"
			       "LinkLocalAddressing=no\nIPv6AcceptRA=no\nDHCP=no\nVLAN=eth0.20\n"));
	assert_int_equal(netdev_render(NETDEV_NETWORK, &l.stack, "eth0.20", "eth0.20", NULL, NULL, b, sizeof(b)),
			 -ENODATA);   /* the root's own is the plain hand-over's */
	assert_non_null(strstr(render(NETDEV_LINK, &l, "eth0", b, sizeof(b)),
			       "[Match]\nMACAddress=52:54:00:12:34:56\nType=ether\n\n[Link]\nNamePolicy=\nName=eth0\n"));
	assert_int_equal(netdev_render(NETDEV_LINK, &l.stack, "eth0.20", "eth0.20", NULL, NULL, b, sizeof(b)), -ENODATA);
	render(NETDEV_NMCONN, &l, "eth0.20", b, sizeof(b));
	assert_non_null(strstr(b, "[connection]\nid=nfsinit-eth0.20\ntype=vlan\ninterface-name=eth0.20\nautoconnect=false\n"));
	assert_non_null(strstr(b, "[vlan]\nid=20\nparent=eth0\n\n[ipv4]\nmethod=auto\ndhcp-client-id=mac\n"));
	render(NETDEV_NMCONN, &l, "eth0", b, sizeof(b));
	assert_non_null(strstr(b, "type=ethernet\ninterface-name=eth0\nautoconnect=false\n\n[ipv4]\nmethod=disabled\n"));
	assert_int_equal(netdev_render(NETDEV_NMCONN, &l.stack, "eth0.20", "eth0.20", "10.20.0.10/24", "10.20.0.1", b,
				       sizeof(b)) > 0, 1);
	assert_non_null(strstr(b, "method=manual\naddress1=10.20.0.10/24,10.20.0.1\n"));

	/* The plain hand-over's kinds for a VLAN: netplan in vlans:, NM leaves the parent alone too. */
	char h[4096];
	assert_true(handover_render(HANDOVER_NETPLAN, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "network:\n  version: 2\n  ethernets:\n    eth0:\n      critical: true\n"
				  "      dhcp4: false\n      dhcp6: false\n      link-local: []\n"
				  "  vlans:\n    eth0.20:\n      id: 20\n      link: eth0\n      critical: true\n"
				  "      dhcp4: true\n      dhcp-identifier: mac\n"));
	assert_null(strstr(h, "set-name"));
	assert_true(handover_render(HANDOVER_NM, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "match-device=interface-name:eth0.20,interface-name:eth0\nmanaged=0\n"));
	assert_true(handover_render(HANDOVER_NETWORKD, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "[Match]\nName=eth0.20\n"));
}

static void test_render_bond(void **s)
{
	(void)s;
	struct net_lease l = bond_lease();
	char b[2048], h[4096];

	render(NETDEV_NETDEV, &l, "bond0", b, sizeof(b));
	assert_non_null(strstr(b, "[NetDev]\nName=bond0\nKind=bond\n\n[Bond]\nMode=active-backup\nMIIMonitorSec=100ms\n"));
	assert_null(strstr(b, "LACPTransmitRate"));
	render(NETDEV_NETWORK, &l, "eth0", b, sizeof(b));
	assert_non_null(strstr(b, "DHCP=no\nBond=bond0\nPrimarySlave=yes\n"));
	render(NETDEV_NETWORK, &l, "eth1", b, sizeof(b));
	assert_non_null(strstr(b, "DHCP=no\nBond=bond0\n"));
	assert_null(strstr(b, "PrimarySlave"));
	/* Both slaves carry the bond's MAC: each .link names its permanent one. */
	render(NETDEV_LINK, &l, "eth1", b, sizeof(b));
	assert_non_null(strstr(b, "[Match]\nPermanentMACAddress=52:54:00:00:00:02\nType=ether\n\n[Link]\nNamePolicy=\nName=eth1\n"));
	render(NETDEV_NMCONN, &l, "eth1", b, sizeof(b));
	assert_non_null(strstr(b, "type=ethernet\ninterface-name=eth1\nautoconnect=false\nmaster=bond0\nslave-type=bond\n"));
	render(NETDEV_NMCONN, &l, "bond0", b, sizeof(b));
	assert_non_null(strstr(b, "[bond]\nmode=active-backup\nmiimon=100\nprimary=eth0\n\n[ipv4]\nmethod=auto\n"));

	assert_true(handover_render(HANDOVER_NETPLAN, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "  ethernets:\n    eth0:\n      critical: true\n"));
	assert_non_null(strstr(h, "    eth1:\n      critical: true\n"));
	assert_non_null(strstr(h, "  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n      parameters:\n"
				  "        mode: active-backup\n        mii-monitor-interval: 100\n        primary: eth0\n"
				  "      critical: true\n      dhcp4: true\n"));
	assert_true(handover_render(HANDOVER_NM, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "match-device=interface-name:bond0,interface-name:eth0,interface-name:eth1\n"));

	/* 802.3ad options reach every form. */
	struct nfsinit_config c = parse("bond=bond0:eth0,eth1:mode=802.3ad,lacp_rate=fast,xmit_hash_policy=layer2+3:9000");
	l.stack.bond = c.stack.bond;
	render(NETDEV_NETDEV, &l, "bond0", b, sizeof(b));
	assert_non_null(strstr(b, "MTUBytes=9000\n\n[Bond]\nMode=802.3ad\nMIIMonitorSec=100ms\nLACPTransmitRate=fast\n"
				  "TransmitHashPolicy=layer2+3\n"));
	render(NETDEV_NMCONN, &l, "bond0", b, sizeof(b));
	assert_non_null(strstr(b, "mode=802.3ad\nmiimon=100\nlacp_rate=1\nxmit_hash_policy=layer2+3\n"));
}

static void test_render_vlan_on_bond(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("bond=bond0:eth0,eth1 vlan=bond0.7:bond0");
	struct net_lease l = bond_lease();
	char b[2048], h[4096];

	strcpy(l.ifname, "bond0.7");
	c.stack.nnics = l.stack.nnics;
	memcpy(c.stack.nics, l.stack.nics, sizeof(c.stack.nics));
	l.stack = c.stack;
	render(NETDEV_NETWORK, &l, "bond0", b, sizeof(b));
	assert_non_null(strstr(b, "DHCP=no\nVLAN=bond0.7\n"));
	assert_null(strstr(b, "Bond="));
	assert_true(handover_render(HANDOVER_NETPLAN, &l, h, sizeof(h)) > 0);
	assert_non_null(strstr(h, "      critical: true\n      dhcp4: false\n      dhcp6: false\n      link-local: []\n"
				  "  vlans:\n    bond0.7:\n      id: 7\n      link: bond0\n      critical: true\n      dhcp4: true\n"));
}

static void test_render_limits(void **s)
{
	(void)s;
	struct net_lease l = bond_lease();
	char b[64], path[64];
	assert_int_equal(netdev_render(NETDEV_NETDEV, &l.stack, "bond0", "bond0", NULL, NULL, b, sizeof(b)), -ENOSPC);
	assert_int_equal(netdev_render(NETDEV_FILES, &l.stack, "bond0", "bond0", NULL, NULL, b, sizeof(b)), -EINVAL);
	assert_true(netdev_path(NETDEV_NMCONN, "bond0", path, sizeof(path)) > 0);
	assert_string_equal(path, "NetworkManager/system-connections/nfsinit-bond0.nmconnection");
	assert_int_equal(netdev_path(NETDEV_NMCONN, "bond0", path, 20), -ENAMETOOLONG);
	/* A plain NIC lease is not stacked even with a stack that does not carry it. */
	strcpy(l.ifname, "eth3");
	assert_false(netdev_stacked(&l));
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static void test_write(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-vlanbond-XXXXXX", path[256];
	struct net_lease l = bond_lease();
	struct stat st;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(handover_write(&l, dir, NULL), 0);
	static const char *const want[] = {
		"net-bond0.conf", "systemd/network/05-nfsinit-bond0.network", "systemd/network/05-nfsinit-bond0.netdev",
		"systemd/network/05-nfsinit-eth0.network", "systemd/network/05-nfsinit-eth1.network",
		"systemd/network/10-nfsinit-eth0.link", "systemd/network/10-nfsinit-eth1.link",
		"NetworkManager/system-connections/nfsinit-bond0.nmconnection",
		"NetworkManager/system-connections/nfsinit-eth1.nmconnection", "netplan/05-nfsinit-bond0.yaml",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, want[i]);
		if (stat(path, &st))
			fail_msg("missing %s", want[i]);
		if (strstr(want[i], ".nmconnection"))
			assert_int_equal(st.st_mode & 0777, 0600);
	}
	/* The bond's MAC is both slaves': no .link for the bond itself. */
	snprintf(path, sizeof(path), "%s/systemd/network/10-nfsinit-bond0.link", dir);
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);

	assert_non_null(mkdtemp(strcpy(dir, "/tmp/nfsinit-vlanbond-XXXXXX")));
	assert_int_equal(linkfile_write(&l, dir), 0);
	snprintf(path, sizeof(path), "%s/systemd/network/10-nfsinit-eth1.link", dir);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/systemd/network/05-nfsinit-eth1.network", dir);
	assert_int_not_equal(stat(path, &st), 0);
	assert_int_equal(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vlan_good),
		cmocka_unit_test(test_vlan_bad),
		cmocka_unit_test(test_bond_good),
		cmocka_unit_test(test_bond_bad),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_root_and_members),
		cmocka_unit_test(test_render_vlan),
		cmocka_unit_test(test_render_bond),
		cmocka_unit_test(test_render_vlan_on_bond),
		cmocka_unit_test(test_render_limits),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
