/* Names and text from a DHCP server on their way into lines and environment
 * entries (issue 13 items 1 and 14): the option-15 payload of the review,
 * "example.com\n10.6.6.6\tldap.example.com\nLD_PRELOAD=/run/x.so", must add
 * no line to /etc/hosts, /run/nfsinit/facts or a template, and no entry to a
 * hook's environment; a host name "localhost" must not become the node's
 * name nor cost /etc/hosts its loopback lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../../common/dnsname.h"
#include "../../identity/etctext.h"
#include "../../identity/facts.h"
#include "../../init/state.h"
#include "../../netcfg/leasecheck.h"

#define EVIL "example.com\n10.6.6.6\tldap.example.com\nLD_PRELOAD=/run/x.so"

static void test_dns_name_table(void **s)
{
	(void)s;
	static const struct { const char *name; bool ok; } t[] = {
		{ "node17", true }, { "node17.cluster.example", true }, { "0a-1", true }, { "a", true },
		{ "", false }, { "-a", false }, { "a-", false }, { "a.-b", false }, { "a-.b", false },
		{ "a..b", false }, { ".a", false }, { "a.", false }, { "a_b", false }, { "a b", false },
		{ "a\nb", false }, { "a/b", false }, { "../x", false }, { "\xc3\xa9t\xc3\xa9", false },
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", true },   /* 63 */
		{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false },  /* 64 */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (dns_name_ok(t[i].name) != t[i].ok)
			fail_msg("dns_name_ok('%s') should be %d", t[i].name, t[i].ok);
	}
	assert_true(dns_name_list_ok("a.example b.example"));
	assert_false(dns_name_list_ok("a.example  b"));
	assert_false(dns_name_list_ok("a.example "));
	assert_false(dns_name_list_ok(""));
	assert_true(dns_name_is_loopback("localhost"));
	assert_true(dns_name_is_loopback("LocalHost.localdomain"));
	assert_true(dns_name_is_loopback("ip6-localhost"));
	assert_false(dns_name_is_loopback("localhostess"));
	assert_false(dns_name_is_loopback("node1.localdomain"));
}

static struct net_lease lease_evil(void)
{
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0");
	memcpy(l.mac, "\x52\x54\x00\x00\x04\x01", 6);
	l.via_dhcp = true;
	l.addr.s_addr = inet_addr("10.0.0.17");
	l.netmask.s_addr = inet_addr("255.255.255.0");
	l.prefix = 24;
	strcpy(l.hostname, "node7\nIP=6.6.6.6");
	strcpy(l.domain, EVIL);
	strcpy(l.search, "a.example\nb");
	strcpy(l.root_path, "10.0.0.1:/srv/root\nLD_PRELOAD=/run/x.so");
	strcpy(l.classes, "gpu\nEVIL=1");
	return l;
}

/* What the callback heard, one "field 'value' (why)" per line. */
static void record(const char *field, const char *value, const char *why, void *ctx)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%s '%s' (%s)\n", field, value, why);
}

static void test_lease_check_drops(void **s)
{
	(void)s;
	struct net_lease l = lease_evil();
	char what[512] = "";
	assert_int_equal(lease_check_names(&l, record, what), 5);
	assert_string_equal(l.hostname, "");
	assert_string_equal(l.domain, "");
	assert_string_equal(l.search, "");
	assert_string_equal(l.root_path, "");
	assert_string_equal(l.classes, "");
	assert_non_null(strstr(what, "host name 'node7\nIP=6.6.6.6' (not an RFC 1123 name)\n"));
	assert_non_null(strstr(what, "root path '10.0.0.1:/srv/root\nLD_PRELOAD"));
	strcpy(l.hostname, "localhost");
	strcpy(l.domain, "localdomain");
	strcpy(l.root_path, "10.0.0.1:/srv/root,vers=4.2");
	what[0] = '\0';
	assert_int_equal(lease_check_names(&l, record, what), 1);
	assert_string_equal(l.hostname, "");
	assert_string_equal(l.domain, "localdomain");
	assert_string_equal(l.root_path, "10.0.0.1:/srv/root,vers=4.2");
	assert_string_equal(what, "host name 'localhost' (a loopback name)\n");
	strcpy(l.hostname, "node7.cluster.example");
	assert_int_equal(lease_check_names(&l, NULL, NULL), 0);
	assert_string_equal(l.hostname, "node7.cluster.example");
}

static bool has_line_starting(const char *text, const char *start)
{
	size_t n = strlen(start);
	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, start, n))
			return true;
	return false;
}

/* Even without the check at the lease (a fuzzer, a static ip=), identity
 * never takes such a name, and no template variable holds a line break. */
static void test_ident_refuses_bad_names(void **s)
{
	(void)s;
	static struct ident id;
	struct net_lease l = lease_evil();
	char warn[4][NI_WARN_MAX], hosts[512];
	int nwarn;
	struct ident_input in = { NULL, &l, "10.0.0.1", l.root_path, "6.1\n0" };
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node-525400000401");
	assert_string_equal(id.domain, "");
	assert_string_equal(id.fqdn, "node-525400000401");
	assert_true(nwarn >= 1);
	for (int i = 0; i < id.vars.n; i++)
		if (text_has_controls(id.vars.v[i].value))
			fail_msg("template variable %s holds a control byte", id.vars.v[i].name);
	assert_string_equal(tmpl_var_get(&id.vars, "root_path", 9), "10.0.0.1:/srv/root?LD_PRELOAD=/run/x.so");
	assert_true(etc_hosts_text("", 0, id.ip, id.fqdn, id.hostname, hosts, sizeof(hosts)) > 0);
	assert_false(has_line_starting(hosts, "10.6.6.6"));
	/* a good host name with the bad domain: the name stays, the domain goes */
	strcpy(l.hostname, "node7");
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.fqdn, "node7");
	/* the domain part of a host name is checked too */
	strcpy(l.hostname, "node7.a\nb");
	l.domain[0] = '\0';
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.domain, "");
}

/* Item 14: localhost is never the node's name. */
static void test_localhost_refused(void **s)
{
	(void)s;
	static struct ident id;
	struct net_lease l = lease_evil();
	char warn[4][NI_WARN_MAX];
	int nwarn;
	strcpy(l.hostname, "localhost");
	strcpy(l.domain, "localdomain");
	l.classes[0] = '\0';
	struct ident_input in = { NULL, &l, "10.0.0.1", "/srv", "k" };
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node-525400000401");
	assert_true(id.hostname_derived);
	assert_int_equal(nwarn, 1);
	assert_non_null(strstr(warn[0], "'localhost'"));
	strcpy(l.hostname, "localhost.localdomain");
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node-525400000401");
}

/* Item 14: the loopback lines stay whatever the node's names are. */
static void test_hosts_keep_loopback(void **s)
{
	(void)s;
	char out[512];
	const char *old = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tbuild\n";
	assert_true(etc_hosts_text(old, strlen(old), "10.0.0.17", "localhost", "localhost", out, sizeof(out)) > 0);
	assert_string_equal(out, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
				 "10.0.0.17\tlocalhost\n");
	assert_true(etc_hosts_text(old, strlen(old), "10.0.0.17", "ip6-loopback.x", "ip6-loopback", out,
				   sizeof(out)) > 0);
	assert_true(has_line_starting(out, "::1\tlocalhost ip6-localhost ip6-loopback\n"));
	/* a non-loopback line naming the node still goes */
	old = "127.0.0.1 localhost\n10.9.9.9 node7\n";
	assert_true(etc_hosts_text(old, strlen(old), "10.0.0.17", "node7", "node7", out, sizeof(out)) > 0);
	assert_string_equal(out, "127.0.0.1 localhost\n10.0.0.17\tnode7\n");
}

/* /run/nfsinit/facts and the hooks' environment: one entry per fact. */
static void test_facts_env_one_entry_each(void **s)
{
	(void)s;
	struct net_lease l = lease_evil();
	struct boot_facts f = { .lease = &l, .server = "10.0.0.1", .root_path = l.root_path,
				.image_version = "v1\nX=1", .hostname = NULL, .init = "/sbin/init" };
	char buf[4096], *env[64];
	int n = state_env(&f, "pre-switch", buf, sizeof(buf), env, 64);
	assert_true(n > 5);
	for (int i = 0; i < n; i++) {
		if (!strncmp(env[i], "LD_PRELOAD=", 11) || !strncmp(env[i], "X=", 2) || !strncmp(env[i], "IP=6", 4) ||
		    !strncmp(env[i], "10.6.6.6", 8))
			fail_msg("extra environment entry '%s'", env[i]);
		assert_false(text_has_controls(env[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_name_table),
		cmocka_unit_test(test_lease_check_drops),
		cmocka_unit_test(test_ident_refuses_bad_names),
		cmocka_unit_test(test_localhost_refused),
		cmocka_unit_test(test_hosts_keep_loopback),
		cmocka_unit_test(test_facts_env_one_entry_each),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
