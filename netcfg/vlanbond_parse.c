/* vlan= and bond= values (dracut.cmdline(7) spelling) and the checks on the
 * stack they make. Pure: no I/O, no logging. */
#include "vlanbond.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const mode_names[BOND_MODES] = {
	"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb",
};

/* The bonding driver's xmit_hash_policy names, by IFLA value. */
static const char *const hash_names[] = {
	"layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac",
};
#define NHASH ((int)(sizeof(hash_names) / sizeof(hash_names[0])))

const char *bond_mode_name(enum bond_mode m)
{
	return (unsigned)m < BOND_MODES ? mode_names[m] : NULL;
}

const char *bond_xmit_hash_name(int policy)
{
	return policy >= 0 && policy < NHASH ? hash_names[policy] : NULL;
}

/* An interface name the kernel takes (dev_valid_name) and that is safe in
 * every hand-over file: letters, digits, '.', '_', '-'. */
static bool ifname_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= NI_IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

/* Digits only, 1-4 of them, as a number. */
static int parse_digits(const char *s, unsigned max, unsigned *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 5 || strspn(s, "0123456789") != n)
		return -EINVAL;
	*out = (unsigned)strtoul(s, NULL, 10);
	return *out <= max ? 0 : -ERANGE;
}

/* dracut's four name forms: vlan0005, vlan5, eth0.0005, eth0.5. */
static int vlan_id_from_name(const char *name, unsigned *id)
{
	const char *dot = strrchr(name, '.');
	const char *digits = !strncmp(name, "vlan", 4) && !dot ? name + 4 : dot ? dot + 1 : NULL;
	if (!digits || parse_digits(digits, VLAN_ID_MAX, id) || *id == 0)
		return -EINVAL;
	return 0;
}

int vlan_parse(const char *value, struct net_vlan *out, struct err_reason *err)
{
	const char *colon = value ? strchr(value, ':') : NULL;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!colon)
		return err_fail(err, -EINVAL, "expected <name>:<parent>, e.g. eth0.20:eth0");
	n = (size_t)(colon - value);
	if (n >= sizeof(out->name))
		return err_fail(err, -EINVAL, "name '%.*s' longer than %d bytes", (int)n, value, NI_IFNAME_MAX - 1);
	memcpy(out->name, value, n);
	if (!ifname_ok(out->name))
		return err_value(err, -EINVAL, "bad interface name", out->name);
	if (strchr(colon + 1, ':'))
		return err_value(err, -EINVAL, "more than one ':' in", value);
	if (!ifname_ok(colon + 1))
		return err_value(err, -EINVAL, "bad parent interface name", colon + 1);
	strcpy(out->parent, colon + 1);
	if (!strcmp(out->name, out->parent))
		return err_value(err, -EINVAL, "VLAN on itself", out->name);
	if (vlan_id_from_name(out->name, &out->id))
		return err_fail(err, -EINVAL, "no VLAN id 1-%d in the name '%s' (vlan<id> or <parent>.<id>)",
				VLAN_ID_MAX, out->name);
	return 0;
}

static int parse_slaves(char *list, struct net_bond *b, struct err_reason *err)
{
	char *save = NULL;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!ifname_ok(t))
			return err_value(err, -EINVAL, "bad slave interface name", t);
		if (!strcmp(t, b->name))
			return err_value(err, -EINVAL, "bond enslaves itself", t);
		for (int i = 0; i < b->nslaves; i++)
			if (!strcmp(b->slaves[i], t))
				return err_value(err, -EINVAL, "slave named twice", t);
		if (b->nslaves == NI_BOND_SLAVES)
			return err_fail(err, -EINVAL, "more than %d slaves", NI_BOND_SLAVES);
		strcpy(b->slaves[b->nslaves++], t);
	}
	return b->nslaves ? 0 : err_fail(err, -EINVAL, "no slave interface");
}

/* A name from names[] or its number. */
static int parse_choice(const char *v, const char *const *names, int n)
{
	unsigned num;
	for (int i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return i;
	if (!parse_digits(v, (unsigned)n - 1, &num))
		return (int)num;
	return -1;
}

static int parse_option(const char *key, const char *v, struct net_bond *b, struct err_reason *err)
{
	static const char *const lacp[] = { "slow", "fast" };
	int c;

	if (!strcmp(key, "mode")) {
		if ((c = parse_choice(v, mode_names, BOND_MODES)) < 0)
			return err_value(err, -EINVAL, "bad mode", v);
		b->mode = (enum bond_mode)c;
	} else if (!strcmp(key, "miimon")) {
		if (parse_digits(v, 60000, &b->miimon))
			return err_value(err, -EINVAL, "bad miimon (ms, 0-60000)", v);
	} else if (!strcmp(key, "lacp_rate")) {
		if ((b->lacp_rate = parse_choice(v, lacp, 2)) < 0)
			return err_value(err, -EINVAL, "bad lacp_rate (slow or fast)", v);
	} else if (!strcmp(key, "xmit_hash_policy")) {
		if ((b->xmit_hash = parse_choice(v, hash_names, NHASH)) < 0)
			return err_value(err, -EINVAL, "bad xmit_hash_policy", v);
	} else if (!strcmp(key, "primary")) {
		if (!ifname_ok(v))
			return err_value(err, -EINVAL, "bad primary interface name", v);
		strcpy(b->primary, v);
	} else
		return err_fail(err, -EINVAL, "unknown option '%.40s' (known: mode, miimon, lacp_rate, "
				"xmit_hash_policy, primary)", key);
	return 0;
}

static int parse_options(char *list, struct net_bond *b, struct err_reason *err)
{
	char *save = NULL;
	int rc;
	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(t, '=');
		if (!eq || eq == t || !eq[1])
			return err_value(err, -EINVAL, "expected <option>=<value>, got", t);
		*eq = '\0';
		if ((rc = parse_option(t, eq + 1, b, err)))
			return rc;
	}
	if (b->primary[0]) {
		for (int i = 0; i < b->nslaves; i++)
			if (!strcmp(b->slaves[i], b->primary))
				return 0;
		return err_value(err, -EINVAL, "primary is not a slave", b->primary);
	}
	return 0;
}

/* Splits s at ':' into at most max fields; -EINVAL for more. */
static int split_fields(char *s, char *f[], int max)
{
	int n = 0;
	for (char *p = s;; p++) {
		if (n == max)
			return -EINVAL;
		f[n++] = p;
		if (!(p = strchr(p, ':')))
			return n;
		*p = '\0';
	}
}

int bond_parse(const char *value, struct net_bond *out, struct err_reason *err)
{
	char buf[NI_PATH_MAX], slaves[] = BOND_DEFAULT_SLAVES, *f[4] = { NULL };
	int n, rc;

	*out = (struct net_bond){ .mode = BOND_DEFAULT_MODE, .miimon = BOND_DEFAULT_MIIMON, .lacp_rate = -1,
				  .xmit_hash = -1 };
	if ((size_t)snprintf(buf, sizeof(buf), "%s", value ? value : BOND_DEFAULT_NAME) >= sizeof(buf))
		return err_fail(err, -EINVAL, "value longer than %d bytes", NI_PATH_MAX - 1);
	if ((n = split_fields(buf, f, 4)) < 0)
		return err_fail(err, -EINVAL, "more than 4 fields (<name>:<slaves>:<options>:<mtu>)");
	if (!ifname_ok(f[0]))
		return err_value(err, -EINVAL, "bad bond name", f[0]);
	strcpy(out->name, f[0]);
	if ((rc = parse_slaves(n > 1 && f[1][0] ? f[1] : slaves, out, err)))
		return rc;
	if (n > 2 && (rc = parse_options(f[2], out, err)))
		return rc;
	if (n > 3 && f[3][0] && (parse_digits(f[3], 65535, &out->mtu) || out->mtu < 68))
		return err_value(err, -EINVAL, "bad mtu (68-65535)", f[3]);
	return 0;
}

int netdev_add_vlan(struct netdev_stack *s, const struct net_vlan *v)
{
	int i;
	for (i = 0; i < s->nvlans && strcmp(s->vlans[i].name, v->name); i++)
		;
	if (i == NI_MAX_VLANS)
		return -ENOSPC;
	s->vlans[i] = *v;
	if (i == s->nvlans)
		s->nvlans++;
	return 0;
}

bool netdev_any(const struct netdev_stack *s)
{
	return s->nvlans > 0 || s->have_bond;
}

const struct net_vlan *netdev_vlan(const struct netdev_stack *s, const char *name)
{
	for (int i = 0; i < s->nvlans; i++)
		if (!strcmp(s->vlans[i].name, name))
			return &s->vlans[i];
	return NULL;
}

bool netdev_is_bond(const struct netdev_stack *s, const char *name)
{
	return s->have_bond && !strcmp(s->bond.name, name);
}

bool netdev_is_slave(const struct netdev_stack *s, const char *name)
{
	for (int i = 0; s->have_bond && i < s->bond.nslaves; i++)
		if (!strcmp(s->bond.slaves[i], name))
			return true;
	return false;
}

const char *netdev_root_name(const struct netdev_stack *s, const char *device)
{
	if (device && device[0])
		return netdev_vlan(s, device) || netdev_is_bond(s, device) ? device : NULL;
	if (s->nvlans)
		return s->vlans[0].name;
	return s->have_bond ? s->bond.name : NULL;
}

int netdev_check(const struct netdev_stack *s, struct err_reason *err)
{
	for (int i = 0; i < s->nvlans; i++) {
		const struct net_vlan *v = &s->vlans[i];
		if (netdev_is_bond(s, v->name) || netdev_is_slave(s, v->name))
			return err_fail(err, -EINVAL, "vlan=%s: the name is the bond's or a slave's", v->name);
		if (netdev_vlan(s, v->parent))
			return err_fail(err, -EINVAL, "vlan=%s: parent %s is a VLAN (no stacked VLANs)", v->name,
					v->parent);
		if (netdev_is_slave(s, v->parent))
			return err_fail(err, -EINVAL, "vlan=%s: parent %s is a slave of bond %s", v->name,
					v->parent, s->bond.name);
	}
	return 0;
}

int netdev_members(const struct netdev_stack *s, const char *root, const char *names[], int max)
{
	const struct net_vlan *v = root ? netdev_vlan(s, root) : NULL;
	const char *under = v ? v->parent : root;
	int n = 0;

	if (!under)
		return 0;
	if (netdev_is_bond(s, under)) {
		for (int i = 0; i < s->bond.nslaves && n < max; i++)
			names[n++] = s->bond.slaves[i];
	}
	if (n < max)
		names[n++] = under;
	if (v && n < max)
		names[n++] = v->name;
	return n;
}
