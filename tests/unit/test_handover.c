/* Hand-over renderers (one lease in, each consumer's text out), the name
 * sanitizer, and the lease keeper's RFC 2131 4.4.5 timing rules. */
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

#include "../../netcfg/handover.h"
#include "../../netcfg/lease_keeper.h"

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static struct net_lease dhcp_lease(void)
{
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0");
	l.ifindex = 2;
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	l.via_dhcp = true;
	l.addr = ip("10.99.0.110");
	l.netmask = ip("255.255.255.0");
	l.prefix = 24;
	l.broadcast = ip("10.99.0.255");
	l.gateway = ip("10.99.0.1");
	l.server_id = ip("10.99.0.1");
	l.next_server = ip("10.99.0.2");
	l.dns[0] = ip("10.99.0.53");
	l.dns[1] = ip("10.99.0.54");
	l.ndns = 2;
	strcpy(l.hostname, "node7");
	strcpy(l.domain, "cluster.example");
	strcpy(l.search, "cluster.example example");
	strcpy(l.root_path, "10.99.0.1:/srv/root");
	l.lease_secs = 3600;
	l.mtu = 1400;
	return l;
}

static void render(enum handover_kind k, const struct net_lease *l, char *buf, size_t cap)
{
	int n = handover_render(k, l, buf, cap);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
}

static void test_klibc(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	render(HANDOVER_KLIBC, &l, b, sizeof(b));
	assert_non_null(strstr(b, "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.99.0.110'\n"
				  "IPV4BROADCAST='10.99.0.255'\nIPV4NETMASK='255.255.255.0'\n"
				  "IPV4GATEWAY='10.99.0.1'\nIPV4DNS0='10.99.0.53'\nIPV4DNS1='10.99.0.54'\n"
				  "HOSTNAME='node7'\nDNSDOMAIN='cluster.example'\n"));
	assert_non_null(strstr(b, "ROOTSERVER='10.99.0.2'\nROOTPATH='10.99.0.1:/srv/root'\n"));
	assert_non_null(strstr(b, "DHCPLEASETIME='3600'\nDOMAINSEARCH='cluster.example example'\n"));
	assert_non_null(strstr(b, "MTU='1400'\n"));

	/* A quote in a value must not end the shell word. */
	strcpy(l.root_path, "srv:/a'b; reboot");
	l.ndns = 0;
	render(HANDOVER_KLIBC, &l, b, sizeof(b));
	assert_non_null(strstr(b, "ROOTPATH='srv:/a'\\''b; reboot'\n"));
	assert_non_null(strstr(b, "IPV4DNS0='0.0.0.0'\n"));

	/* A newline from the server must not start a line of its own (found by fuzz_dhcp). */
	strcpy(l.root_path, "srv:/a\nIPV4ADDR='6.6.6.6'\x7f");
	render(HANDOVER_KLIBC, &l, b, sizeof(b));
	assert_non_null(strstr(b, "ROOTPATH='srv:/a?IPV4ADDR='\\''6.6.6.6'\\''?'\n"));
	assert_null(strstr(b, "\nIPV4ADDR='6.6.6.6'"));
}

static void test_networkd(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	render(HANDOVER_NETWORKD, &l, b, sizeof(b));
	assert_non_null(strstr(b, "[Match]\nName=eth0\n"));
	assert_non_null(strstr(b, "MTUBytes=1400\n"));
	assert_non_null(strstr(b, "[Network]\nKeepConfiguration=yes\n"));
	assert_non_null(strstr(b, "DHCP=ipv4\n"));
	assert_non_null(strstr(b, "[DHCPv4]\nClientIdentifier=mac\nSendRelease=no\n"));
	assert_null(strstr(b, "Address="));

	l.via_dhcp = false;
	l.mtu = 0;
	render(HANDOVER_NETWORKD, &l, b, sizeof(b));
	assert_non_null(strstr(b, "DHCP=no\nAddress=10.99.0.110/24\nGateway=10.99.0.1\n"
				  "DNS=10.99.0.53\nDNS=10.99.0.54\n"));
	assert_null(strstr(b, "MTUBytes"));
	assert_null(strstr(b, "[DHCPv4]"));
}

static void test_netplan(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	render(HANDOVER_NETPLAN, &l, b, sizeof(b));
	assert_non_null(strstr(b, "network:\n  version: 2\n  ethernets:\n    nfsinit-eth0:\n"
				  "      match:\n        macaddress: \"52:54:00:12:34:56\"\n"
				  "      set-name: eth0\n      critical: true\n      mtu: 1400\n"
				  "      dhcp4: true\n"));
	l.via_dhcp = false;
	render(HANDOVER_NETPLAN, &l, b, sizeof(b));
	assert_non_null(strstr(b, "      dhcp4: false\n      addresses: [\"10.99.0.110/24\"]\n"
				  "      routes:\n        - to: default\n          via: 10.99.0.1\n"
				  "      nameservers:\n        addresses: [10.99.0.53, 10.99.0.54]\n"));
}

static void test_nm(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	render(HANDOVER_NM, &l, b, sizeof(b));
	assert_non_null(strstr(b, "[device-nfsinit-eth0]\nmatch-device=interface-name:eth0\nmanaged=0\n"));
}

static void test_resolv(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	render(HANDOVER_RESOLV, &l, b, sizeof(b));
	assert_non_null(strstr(b, "nameserver 10.99.0.53\nnameserver 10.99.0.54\n"
				  "domain cluster.example\nsearch cluster.example example\n"));
	/* The domain leads the search list when option 119 lacks it. */
	strcpy(l.domain, "site.example");
	render(HANDOVER_RESOLV, &l, b, sizeof(b));
	assert_non_null(strstr(b, "search site.example cluster.example example\n"));
	l.search[0] = '\0';
	render(HANDOVER_RESOLV, &l, b, sizeof(b));
	assert_non_null(strstr(b, "domain site.example\nsearch site.example\n"));
	l.domain[0] = '\0';
	render(HANDOVER_RESOLV, &l, b, sizeof(b));
	assert_null(strstr(b, "search"));
	l.ndns = 0;
	assert_int_equal(handover_render(HANDOVER_RESOLV, &l, b, sizeof(b)), -ENODATA);
}

/* The .link that keeps the root NIC's name: matched by MAC and type, every
 * line a comment, a section, key=value or empty; no name, no file. */
static void test_link(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[512];
	int n = handover_render(HANDOVER_LINK, &l, b, sizeof(b));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(b));
	assert_non_null(strstr(b, "\n[Match]\nMACAddress=52:54:00:12:34:56\nType=ether\n"));
	assert_non_null(strstr(b, "\n[Link]\nNamePolicy=\nName=eth0\n"));
	for (char *line = b; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(line[0] == '#' || line[0] == '[' || line == nl || memchr(line, '=', (size_t)(nl - line)));
		line = nl + 1;
	}
	l.ifname[0] = '\0';
	assert_int_equal(handover_render(HANDOVER_LINK, &l, b, sizeof(b)), -EINVAL);
}

static void test_no_truncation(void **s)
{
	(void)s;
	struct net_lease l = dhcp_lease();
	char b[4096];
	for (int k = 0; k < HANDOVER_KINDS; k++) {
		int full = handover_render((enum handover_kind)k, &l, b, sizeof(b));
		assert_true(full > 0);
		for (int cap = 0; cap <= full; cap++)
			assert_int_equal(handover_render((enum handover_kind)k, &l, b, (size_t)cap),
					 -ENOSPC);
		assert_int_equal(handover_render((enum handover_kind)k, &l, b, (size_t)full + 1), full);
	}
	assert_int_equal(handover_render(HANDOVER_KINDS, &l, b, sizeof(b)), -EINVAL);
}

static void test_paths(void **s)
{
	(void)s;
	char b[64];
	assert_true(handover_path(HANDOVER_KLIBC, "eth0", b, sizeof(b)) > 0);
	assert_string_equal(b, "net-eth0.conf");
	handover_path(HANDOVER_NETWORKD, "eth0", b, sizeof(b));
	assert_string_equal(b, "systemd/network/05-nfsinit-eth0.network");
	handover_path(HANDOVER_NETPLAN, "eth0", b, sizeof(b));
	assert_string_equal(b, "netplan/05-nfsinit-eth0.yaml");
	handover_path(HANDOVER_NM, "eth0", b, sizeof(b));
	assert_string_equal(b, "NetworkManager/conf.d/90-nfsinit-eth0.conf");
	handover_path(HANDOVER_LINK, "enp0s3", b, sizeof(b));
	assert_string_equal(b, "systemd/network/10-nfsinit-enp0s3.link");
	handover_path(HANDOVER_RESOLV, "eth0", b, sizeof(b));
	assert_string_equal(b, "etc/resolv.conf");
	assert_int_equal(handover_path(HANDOVER_NETWORKD, "eth0", b, 10), -ENAMETOOLONG);
}

static void test_sanitize(void **s)
{
	(void)s;
	static const struct {
		const char *host, *domain, *search;
		int cleared;
	} cases[] = {
		{ "node7", "cluster.example", "a.example b_c.example", 0 },
		{ "", "", "", 0 },
		{ "node 7", "cluster.example", "a", 1 },
		{ "node7", "evil\nnameserver 6.6.6.6", "a", 2 },
		{ "node7", "x", "a  b", 4 },
		{ "node7", "x", "a b ", 4 },
		{ " a", "x", "a", 1 },
		{ "n'7", "x;y", "a\tb", 7 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct net_lease l = dhcp_lease();
		strcpy(l.hostname, cases[i].host);
		strcpy(l.domain, cases[i].domain);
		strcpy(l.search, cases[i].search);
		assert_int_equal(handover_sanitize(&l), cases[i].cleared);
		assert_string_equal(l.hostname, cases[i].cleared & 1 ? "" : cases[i].host);
		assert_string_equal(l.domain, cases[i].cleared & 2 ? "" : cases[i].domain);
		assert_string_equal(l.search, cases[i].cleared & 4 ? "" : cases[i].search);
	}
}

static void test_keeper_times(void **s)
{
	(void)s;
	struct keeper_times t;
	assert_int_equal(keeper_times(3600, 0, 0, &t), 0);
	assert_int_equal(t.t1, 1800000);
	assert_int_equal(t.t2, 3150000);
	assert_int_equal(t.end, 3600000);
	assert_int_equal(keeper_times(120, 10, 20, &t), 0);          /* server's T1/T2 */
	assert_int_equal(t.t1, 10000);
	assert_int_equal(t.t2, 20000);
	assert_int_equal(keeper_times(120, 200, 300, &t), 0);        /* beyond the lease: defaults */
	assert_int_equal(t.t1, 60000);
	assert_int_equal(t.t2, 105000);
	assert_int_equal(keeper_times(120, 110, 50, &t), 0);         /* T1 after T2: clamp */
	assert_int_equal(t.t1, 50000);
	assert_int_equal(t.t2, 50000);
	assert_int_equal(keeper_times(0, 0, 0, &t), -ERANGE);
	assert_int_equal(keeper_times(0xffffffffu, 0, 0, &t), -ERANGE);
}

/* Issue 13 item 4: a renewal ACK without option 51 is no infinite lease;
 * it renews the lease for the length it had. Only 0xffffffff is infinite. */
static void test_keeper_renewal_without_lease_time(void **s)
{
	(void)s;
	struct keeper_times t;
	uint32_t len = 1;
	assert_int_equal(keeper_renewed_times(0, 0, 0, 120, &len, &t), 0);
	assert_int_equal(len, 120);
	assert_int_equal(t.t1, 60000);
	assert_int_equal(t.t2, 105000);
	assert_int_equal(t.end, 120000);
	assert_int_equal(keeper_renewed_times(0, 10, 20, 120, &len, &t), 0);   /* its T1/T2 kept */
	assert_int_equal(t.t1, 10000);
	assert_int_equal(t.t2, 20000);
	assert_int_equal(keeper_renewed_times(300, 0, 0, 120, &len, &t), 0);   /* a new length */
	assert_int_equal(len, 300);
	assert_int_equal(t.end, 300000);
	assert_int_equal(keeper_renewed_times(0xffffffffu, 0, 0, 120, &len, &t), -ERANGE);
}

static void test_keeper_retry(void **s)
{
	(void)s;
	/* Half the remaining time, at least 60 s, never past the limit. */
	assert_int_equal(keeper_retry_at(0, 1000000), 500000);
	assert_int_equal(keeper_retry_at(0, 100000), 60000);
	assert_int_equal(keeper_retry_at(0, 30000), 30000);
	assert_int_equal(keeper_retry_at(50000, 50000), 110000);
	assert_int_equal(keeper_retry_at(90000, 50000), 150000);
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = 0;
	fclose(f);
}

/* handover_write puts every file in place (parents created, no *.new left),
 * replaces a symlink at resolv.conf instead of writing through it, and
 * handover_networkd_enabled sees a .wants link. */
/* Issue 18: an IPv6-only node (static ip=[...], then auto6) hands over its
 * IPv6 configuration and no IPv4 address 0.0.0.0. */
static struct net_lease v6_lease(void)
{
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0");
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	l.have6 = true;
	l.method6 = IP_METHOD_STATIC;
	assert_int_equal(inet_pton(AF_INET6, "fd18::10", &l.addr6), 1);
	assert_int_equal(inet_pton(AF_INET6, "fd18::1", &l.gateway6), 1);
	assert_int_equal(inet_pton(AF_INET6, "fd18::53", &l.dns6[0]), 1);
	l.ndns6 = 1;
	l.prefix6 = 64;
	return l;
}

static void test_ipv6_only(void **s)
{
	(void)s;
	char buf[4096];
	struct net_lease l = v6_lease();

	render(HANDOVER_KLIBC, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "IPV6PROTO='static'\nIPV6ADDR='fd18::10'\nIPV6NETMASK='64'\n"
				    "IPV6GATEWAY='fd18::1'\nIPV6DNS0='fd18::53'\n"));
	render(HANDOVER_NETWORKD, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "LinkLocalAddressing=ipv6\nIPv6AcceptRA=no\nAddress=fd18::10/64\n"
				    "Gateway=fd18::1\nDNS=fd18::53\n"));
	assert_null(strstr(buf, "0.0.0.0"));
	assert_null(strstr(buf, "DHCP="));
	render(HANDOVER_NETPLAN, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "      dhcp6: false\n      accept-ra: false\n      addresses: [\"fd18::10/64\"]\n"));
	assert_non_null(strstr(buf, "via: \"fd18::1\""));
	assert_null(strstr(buf, "dhcp4"));
	render(HANDOVER_RESOLV, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "nameserver fd18::53\n"));

	l.method6 = IP_METHOD_AUTO6;
	memset(&l.gateway6, 0, sizeof(l.gateway6));
	l.ndns6 = 0;
	render(HANDOVER_NETWORKD, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "IPv6AcceptRA=yes\n"));
	assert_null(strstr(buf, "Address="));
	render(HANDOVER_KLIBC, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "IPV6PROTO='auto6'\n"));
	assert_non_null(strstr(buf, "IPV6GATEWAY=''\n"));
	render(HANDOVER_NETPLAN, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "accept-ra: true\n"));
	assert_int_equal(handover_render(HANDOVER_RESOLV, &l, buf, sizeof(buf)), -ENODATA);

	/* ip=dhcp6: networkd asks with the same DUID-LL and IAID, so it gets
	 * the address the root is mounted with */
	l.method6 = IP_METHOD_DHCP6;
	l.prefix6 = 128;
	render(HANDOVER_NETWORKD, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "IPv6AcceptRA=yes\nDHCP=ipv6\n"));
	assert_non_null(strstr(buf, "[DHCPv6]\nDUIDType=link-layer\nIAID=1193046\nSendRelease=no\n"));
	render(HANDOVER_NETPLAN, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "dhcp6: true\n      accept-ra: true\n"));
	render(HANDOVER_KLIBC, &l, buf, sizeof(buf));
	assert_non_null(strstr(buf, "IPV6PROTO='dhcp6'\n"));
	assert_non_null(strstr(buf, "IPV6NETMASK='128'\n"));
}

static void test_write_and_networkd(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-handover-XXXXXX", run[64], root[64], p[512], b[4096], t[160];
	struct net_lease l = dhcp_lease();
	assert_non_null(mkdtemp(dir));
	snprintf(run, sizeof(run), "%s/run", dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(p, sizeof(p), "%s/etc", root);
	assert_int_equal(mkdir(root, 0755), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(t, sizeof(t), "%s/target", dir);
	snprintf(p, sizeof(p), "%s/etc/resolv.conf", root);
	assert_int_equal(symlink(t, p), 0);

	assert_false(handover_networkd_enabled(root));
	assert_int_equal(handover_write(&l, run, root), 0);
	for (int k = 0; k < HANDOVER_KINDS; k++) {
		char rel[128], want[4096];
		assert_true(handover_path((enum handover_kind)k, l.ifname, rel, sizeof(rel)) > 0);
		snprintf(p, sizeof(p), "%s/%s", k == HANDOVER_RESOLV ? root : run, rel);
		slurp(p, b, sizeof(b));
		render((enum handover_kind)k, &l, want, sizeof(want));
		assert_string_equal(b, want);
		struct stat m;
		assert_int_equal(stat(p, &m), 0);
		assert_int_equal(m.st_mode & 0777, k == HANDOVER_NETPLAN ? 0600 : 0644);
		strcat(p, ".new");
		assert_int_equal(access(p, F_OK), -1);
	}
	struct stat st;
	snprintf(p, sizeof(p), "%s/etc/resolv.conf", root);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(access(t, F_OK), -1);   /* nothing written through the link */

	snprintf(p, sizeof(p), "%s/etc/systemd", root);
	(void)mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/systemd/system", root);
	(void)mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/etc/systemd/system/multi-user.target.wants", root);
	assert_int_equal(mkdir(p, 0755), 0);
	strcat(p, "/systemd-networkd.service");
	/* Dangling on the host: the target is an absolute path in the new root. */
	assert_int_equal(symlink("/lib/systemd/system/systemd-networkd.service", p), 0);
	assert_true(handover_networkd_enabled(root));
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

/* The network stage's early .link: written atomically, written again over
 * itself, and an error (not a crash) when run_dir cannot hold folders. */
static void test_linkfile_write(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-linkfile-XXXXXX", p[256], b[512], want[512];
	struct net_lease l = dhcp_lease();
	FILE *f;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(linkfile_write(&l, dir), 0);
	assert_int_equal(linkfile_write(&l, dir), 0);
	snprintf(p, sizeof(p), "%s/systemd/network/10-nfsinit-eth0.link", dir);
	slurp(p, b, sizeof(b));
	render(HANDOVER_LINK, &l, want, sizeof(want));
	assert_string_equal(b, want);
	strcat(p, ".new");
	assert_int_equal(access(p, F_OK), -1);
	snprintf(p, sizeof(p), "%s/file", dir);
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	strcat(p, "/run");
	assert_int_equal(linkfile_write(&l, p), -ENOTDIR);
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_klibc),
		cmocka_unit_test(test_networkd),
		cmocka_unit_test(test_netplan),
		cmocka_unit_test(test_nm),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_resolv),
		cmocka_unit_test(test_no_truncation),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_keeper_times),
		cmocka_unit_test(test_keeper_retry),
		cmocka_unit_test(test_keeper_renewal_without_lease_time),
		cmocka_unit_test(test_ipv6_only),
		cmocka_unit_test(test_write_and_networkd),
		cmocka_unit_test(test_linkfile_write),
	};
	return cmocka_run_group_tests_name("handover", tests, NULL, NULL);
}
