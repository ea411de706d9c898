#include "facts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "layers.h"
#include "../common/dnsname.h"
#include "nodeid.h"
#include "../common/mac.h"

static void addr_text(struct in_addr a, char *out, size_t cap)
{
	if (a.s_addr == INADDR_ANY || !inet_ntop(AF_INET, &a, out, (socklen_t)cap))
		out[0] = '\0';
}

static void addr_list(const struct in_addr *a, int n, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		char s[INET_ADDRSTRLEN];
		addr_text(a[i], s, sizeof(s));
		if (!s[0])
			continue;
		int k = snprintf(out + used, cap - used, "%s%s", used ? " " : "", s);
		if (k < 0 || (size_t)k >= cap - used)
			break;
		used += (size_t)k;
	}
}

/* DHCP option 12 may carry "node17.cluster.example": the name is the first
 * label, and the rest is the domain when option 15 gave none. A name that is
 * not RFC 1123 (it would add lines to /etc/hosts) or that is localhost (the
 * loopback lines own it) is not the node's: the MAC gives one. */
static void names(const struct net_lease *l, struct ident *id)
{
	const char *h = l ? l->hostname : "", *dot = strchr(h, '.');
	size_t n = dot ? (size_t)(dot - h) : strlen(h);
	if (n && n < NI_HOSTNAME_MAX && dns_name_ok(h) && !dns_name_is_loopback(h)) {
		snprintf(id->hostname, sizeof(id->hostname), "%.*s", (int)n, h);
		if (dot)
			snprintf(id->domain, sizeof(id->domain), "%s", dot + 1);
	} else if (id->have_mac) {
		nodeid_default_hostname(id->mac, id->hostname, sizeof(id->hostname));
		id->hostname_derived = true;
	} else {
		strcpy(id->hostname, "localhost");
		id->hostname_derived = true;
	}
	if (l && l->domain[0] && dns_name_ok(l->domain))
		snprintf(id->domain, sizeof(id->domain), "%s", l->domain);
	if (id->domain[0])
		snprintf(id->fqdn, sizeof(id->fqdn), "%s.%s", id->hostname, id->domain);
	else
		snprintf(id->fqdn, sizeof(id->fqdn), "%s", id->hostname);
}

/* Values reach templates as they are, so a server's root path with a
 * newline would add a line to a rendered file: control bytes become '?'. */
static void set(struct tmpl_vars *v, const char *name, const char *value)
{
	char clean[NI_VARVAL_MAX];
	snprintf(clean, sizeof(clean), "%s", value ? value : "");
	text_mask_controls(clean, strlen(clean));
	(void)tmpl_var_set(v, name, clean);
}

static void builtins(const struct ident_input *in, struct ident *id)
{
	const struct net_lease *l = in->lease;
	char buf[NI_VARVAL_MAX];
	struct tmpl_vars *v = &id->vars;

	set(v, "hostname", id->hostname);
	set(v, "domain", id->domain);
	set(v, "fqdn", id->fqdn);
	set(v, "interface", l ? l->ifname : "");
	if (id->have_mac)
		mac_format(id->mac, ':', buf);
	set(v, "mac", id->have_mac ? buf : "");
	set(v, "ip", id->ip);
	snprintf(buf, sizeof(buf), "%d", l ? l->prefix : 0);
	set(v, "prefix", l ? buf : "");
	addr_text(l ? l->netmask : (struct in_addr){ 0 }, buf, sizeof(buf));
	set(v, "netmask", buf);
	addr_text(l ? l->gateway : (struct in_addr){ 0 }, buf, sizeof(buf));
	set(v, "gateway", buf);
	addr_list(l ? l->dns : NULL, l ? l->ndns : 0, buf, sizeof(buf));
	set(v, "dns", buf);
	addr_list(l ? l->ntp : NULL, l ? l->nntp : 0, buf, sizeof(buf));
	set(v, "ntp", buf);
	set(v, "nfs_server", in->nfs_server);
	set(v, "root_path", in->root_path);
	set(v, "kernel", in->kernel);
	snprintf(buf, sizeof(buf), "%ld", id->node);
	set(v, "node", id->node >= 0 ? buf : "");
	set(v, "machine_id", id->machine_id);
	snprintf(buf, sizeof(buf), "%08x", id->hostid);
	set(v, "hostid", id->have_mac ? buf : "");
	buf[0] = '\0';
	for (int i = 0; i < id->nclasses; i++) {
		size_t u = strlen(buf);
		snprintf(buf + u, sizeof(buf) - u, "%s%s", i ? " " : "", id->classes[i]);
	}
	set(v, "classes", buf);
}

int ident_build(const struct ident_input *in, struct ident *id, char warn[][NI_WARN_MAX], int maxwarn,
		int *nwarn)
{
	const struct net_lease *l = in->lease;

	memset(id, 0, sizeof(*id));
	*nwarn = 0;
	if (l) {
		static const uint8_t zero[6];
		id->have_mac = memcmp(l->mac, zero, 6) != 0;
		memcpy(id->mac, l->mac, 6);
		addr_text(l->addr, id->ip, sizeof(id->ip));
	}
	names(l, id);
	if (l && l->hostname[0] && id->hostname_derived && *nwarn < maxwarn)
		snprintf(warn[(*nwarn)++], NI_WARN_MAX, "host name '%.56s' from the network is not a valid node name; "
			 "using %.40s", l->hostname, id->hostname);
	if (l && l->domain[0] && !dns_name_ok(l->domain) && *nwarn < maxwarn)
		snprintf(warn[(*nwarn)++], NI_WARN_MAX, "domain '%.60s' from the network is not a valid name; not used",
			 l->domain);
	if (id->have_mac) {
		nodeid_mac_dirname(id->mac, id->mac_dir);
		nodeid_machine_id(id->mac, id->machine_id);
		id->hostid = nodeid_hostid(id->mac);
	}
	id->node = nodeid_number(id->hostname_derived ? NULL : id->hostname, l ? l->addr.s_addr : 0,
				 l ? l->netmask.s_addr : 0xffffffffu);
	/* Classes from the DHCP server first, the command line's after them:
	 * later layers win, and the command line is the more specific. */
	int refused = 0;
	if (l)
		id->nclasses = tmpl_class_list(l->classes, id->classes, 0, NI_MAX_CLASSES, &refused);
	for (int i = 0; in->opts && i < in->opts->nclasses; i++)
		id->nclasses = tmpl_class_list(in->opts->classes[i], id->classes, id->nclasses, NI_MAX_CLASSES, &refused);
	if (refused && *nwarn < maxwarn)
		snprintf(warn[(*nwarn)++], NI_WARN_MAX, "%d class name(s) not used (bad name or more than %d; "
			 "DHCP option 224 '%.60s')", refused, NI_MAX_CLASSES, l ? l->classes : "");
	builtins(in, id);
	for (int i = 0; in->opts && i < in->opts->nuservars; i++) {
		int rc = tmpl_var_set(&id->vars, in->opts->uservars[i].name, in->opts->uservars[i].value);
		if (rc && *nwarn < maxwarn)
			snprintf(warn[(*nwarn)++], NI_WARN_MAX, "nfsinit.var.%s: %s (ignored)", in->opts->uservars[i].name,
				 rc == -EEXIST ? "a built-in variable has this name" : "no room for more variables");
	}
	return 0;
}
