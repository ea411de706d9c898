/* libFuzzer: a DHCP reply all the way to the text a node writes from it:
 * the lease (with the name check netcfg does where it is filled), the
 * identity built on it (names, template variables), /etc/hosts, the
 * facts / hook environment and the hand-over files. Outside text must never
 * add a line or an environment entry: every value is checked for control
 * bytes, /etc/hosts gets exactly one line of ours, each environment entry
 * is KEY=value with a known key. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/dnsname.h"
#include "../../identity/etctext.h"
#include "../../identity/facts.h"
#include "../../init/state.h"
#include "../../netcfg/dhcp_msg.h"
#include "../../netcfg/handover.h"
#include "../../netcfg/leasecheck.h"
#include "../../netcfg/netcfg.h"

/* What netcfg does with an ACK: the interface's fields, then the lease
 * from the reply (no ip= on the command line). */
static void fill(const struct dhcp_reply *r, struct net_lease *l)
{
	static const struct net_request no_ip;
	memset(l, 0, sizeof(*l));
	strcpy(l->ifname, "eth0");
	memcpy(l->mac, "\x52\x54\x00\x12\x34\x56", 6);
	lease_from_ack(&no_ip, r, l);
}

static void no_controls(const char *s)
{
	if (text_has_controls(s))
		abort();
}

static void check_lease(const struct net_lease *l)
{
	if ((l->hostname[0] && (!dns_name_ok(l->hostname) || dns_name_is_loopback(l->hostname))) ||
	    (l->domain[0] && !dns_name_ok(l->domain)) || (l->search[0] && !dns_name_list_ok(l->search)))
		abort();
	no_controls(l->root_path);
	no_controls(l->classes);
}

static void check_text(const struct ident *id, const struct net_lease *l)
{
	static const char old[] = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
	static char hosts[2048], env_buf[4096], ho[4096];
	char *env[64];
	no_controls(id->hostname);
	no_controls(id->fqdn);
	for (int i = 0; i < id->vars.n; i++)
		no_controls(id->vars.v[i].value);
	int n = etc_hosts_text(old, sizeof(old) - 1, id->ip, id->fqdn, id->hostname, hosts, sizeof(hosts));
	int lines = 0;
	for (int i = 0; i < n; i++)
		lines += hosts[i] == '\n';
	if (n > 0 && (lines != 3 || strncmp(hosts, old, sizeof(old) - 1)))
		abort();
	struct boot_facts f = { .lease = l, .server = "10.0.2.2", .root_path = l->root_path,
				.hostname = id->hostname, .machine_id = id->machine_id };
	int k = state_env(&f, "pre-switch", env_buf, sizeof(env_buf), env, 64);
	for (int i = 0; i < k; i++) {
		const char *eq = strchr(env[i], '=');
		if (!eq || eq == env[i] || strspn(env[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != (size_t)(eq - env[i]))
			abort();
		no_controls(env[i]);
	}
	for (int kind = 0; kind < HANDOVER_KINDS; kind++)
		(void)handover_render((enum handover_kind)kind, l, ho, sizeof(ho));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ident id;
	struct dhcp_reply r;
	struct net_lease l;
	char warn[4][NI_WARN_MAX];
	int nwarn;
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (dhcp_msg_parse(buf, size, &r) == 0) {
		fill(&r, &l);
		(void)lease_check_names(&l, NULL, NULL);
		check_lease(&l);
		struct ident_input in = { NULL, &l, "10.0.2.2", l.root_path, "6.1.0-test" };
		ident_build(&in, &id, warn, 4, &nwarn);
		check_text(&id, &l);
		/* identity must hold even without the check at the lease */
		fill(&r, &l);
		ident_build(&in, &id, warn, 4, &nwarn);
		no_controls(id.fqdn);
	}
	free(buf);
	return 0;
}
