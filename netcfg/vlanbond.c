/* netdev_up: the bond (slaves down, then enslaved) and the VLANs of vlan=
 * and bond=, made before the root interface is configured. An interface
 * that exists already is kept, so the network stage's retry can call this
 * again. */
#include "vlanbond.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../common/file.h"
#include "../common/log.h"
#include "../common/mac.h"
#include "link.h"
#include "rtnl.h"

#define SYS_NET "/sys/class/net"
#define NICS_SEEN (NI_BOND_SLAVES + NI_MAX_VLANS)

struct up_ctx {
	struct nl_handle *nl;
	struct netdev_stack *s;
	long long deadline;            /* for every NIC to appear */
	struct netdev_nic seen[NICS_SEEN];
	int nseen;
};

static unsigned ms_left(const struct up_ctx *c)
{
	long long left = c->deadline - uptime_ms();
	return left > 0 ? (unsigned)left : 0;
}

static int wait_nic(const struct up_ctx *c, const char *name, struct link_info *li)
{
	int n = link_wait(name, NULL, ms_left(c), li, 1);
	return n == 1 ? 0 : n < 0 ? n : -ENODEV;
}

/* The MAC a NIC had before a bond gave it the bond's: the bonding driver
 * keeps it in bonding_slave/perm_hwaddr once the NIC is a slave (a retry). */
static void remember_nic(struct up_ctx *c, const struct link_info *li, bool slave)
{
	char path[NI_PATH_MAX], text[32];
	struct netdev_nic *n;

	if (c->nseen == NICS_SEEN)
		return;
	n = &c->seen[c->nseen++];
	snprintf(n->name, sizeof(n->name), "%s", li->name);
	memcpy(n->mac, li->mac, 6);
	n->slave = slave;
	snprintf(path, sizeof(path), SYS_NET "/%s/bonding_slave/perm_hwaddr", li->name);
	if (slave && !file_read_text(path, text, sizeof(text)))
		(void)mac_parse(text, ':', n->mac);   /* not there: not a slave yet, li->mac is it */
}

/* The NIC with mac that is none of the stack's own interfaces (a VLAN has
 * its parent's MAC, a bond its first slave's). */
static int nic_by_mac(const struct netdev_stack *s, const uint8_t mac[6], char name[NI_IFNAME_MAX])
{
	struct link_info all[NI_LINKS_MAX];
	const char *own[NI_MAX_VLANS + 1];
	int more, n = link_list(all, NI_LINKS_MAX, &more), nown = 0;

	for (int i = 0; i < s->nvlans; i++)
		own[nown++] = s->vlans[i].name;
	if (s->have_bond)
		own[nown++] = s->bond.name;
	for (int i = 0; i < n; i++) {
		bool mine = false;
		for (int j = 0; j < nown; j++)
			mine |= !strcmp(all[i].name, own[j]);
		if (!mine && !memcmp(all[i].mac, mac, 6)) {
			strcpy(name, all[i].name);
			return 0;
		}
	}
	return -ENODEV;
}

/* "bond0" when /sys/class/net/<name>/master points at it, else "". */
static void master_of(const char *name, char out[NI_IFNAME_MAX])
{
	char path[NI_PATH_MAX], target[PATH_MAX];
	ssize_t n;
	const char *base;

	out[0] = '\0';
	snprintf(path, sizeof(path), SYS_NET "/%s/master", name);
	if ((n = readlink(path, target, sizeof(target) - 1)) <= 0)
		return;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) < NI_IFNAME_MAX)
		strcpy(out, base);
}

static bool has_slaves(const char *bond)
{
	char path[NI_PATH_MAX], text[NI_BOND_SLAVES * NI_IFNAME_MAX + 1];
	snprintf(path, sizeof(path), SYS_NET "/%s/bonding/slaves", bond);
	return file_read_text(path, text, sizeof(text)) != 0 || text[0] != '\0';
}

static int enslave(struct up_ctx *c, const struct link_info *slave, const struct link_info *bond)
{
	char master[NI_IFNAME_MAX];
	int rc;

	master_of(slave->name, master);
	if (!strcmp(master, bond->name))
		return 0;
	if ((rc = nl_link_down(c->nl, slave->ifindex)) || (rc = nl_link_set_master(c->nl, slave->ifindex, bond->ifindex)))
		logerr(rc, "net: bond %s: enslaving %s", bond->name, slave->name);
	return rc;
}

/* BOOTIF's NIC first: the bond takes the MAC of its first slave, and that
 * is the MAC the DHCP server knows the node by. */
static void bootif_first(struct up_ctx *c, const uint8_t *bootif)
{
	struct net_bond *b = &c->s->bond;
	char name[NI_IFNAME_MAX], tmp[NI_IFNAME_MAX];

	if (!bootif || nic_by_mac(c->s, bootif, name))
		return;
	for (int i = 1; i < b->nslaves; i++)
		if (!strcmp(b->slaves[i], name)) {
			memcpy(tmp, b->slaves[i], sizeof(tmp));
			memmove(b->slaves[1], b->slaves[0], (size_t)i * sizeof(b->slaves[0]));
			memcpy(b->slaves[0], tmp, sizeof(tmp));
		}
}

static int slaves_present(struct up_ctx *c, struct link_info *out, int *primary)
{
	const struct net_bond *b = &c->s->bond;
	int n = 0;

	for (int i = 0; i < b->nslaves; i++) {
		if (wait_nic(c, b->slaves[i], &out[n])) {
			logx("net: bond %s: slave %s is not there; going on without it", b->name, b->slaves[i]);
			continue;
		}
		remember_nic(c, &out[n], true);
		if (!strcmp(b->primary, b->slaves[i]))
			*primary = out[n].ifindex;
		n++;
	}
	return n;
}

static int bond_up(struct up_ctx *c, const uint8_t *bootif)
{
	const struct net_bond *b = &c->s->bond;
	struct link_info slaves[NI_BOND_SLAVES], bond;
	int n, primary = 0, joined = 0, rc, err;

	bootif_first(c, bootif);
	if (!(n = slaves_present(c, slaves, &primary))) {
		logx("net: bond %s: none of its slaves is there", b->name);
		return -ENODEV;
	}
	rc = nl_link_add_bond(c->nl, b, primary, 0);
	if (rc && rc != -EEXIST) {
		logerr(rc, "net: bond %s: creating it (bond=; the bonding module in the image?)", b->name);
		return rc;
	}
	if ((err = wait_nic(c, b->name, &bond)))
		return err;
	/* Loading bonding makes bond0 itself (max_bonds=1), balance-rr without
	 * miimon: ours are set on it while it has no slave. One with slaves is
	 * ours from an earlier attempt. */
	if (rc == -EEXIST && !has_slaves(b->name) && (rc = nl_link_add_bond(c->nl, b, primary, bond.ifindex)))
		logerr(rc, "net: bond %s: setting mode %s on the existing bond", b->name, bond_mode_name(b->mode));
	for (int i = 0; i < n; i++)
		joined += enslave(c, &slaves[i], &bond) == 0;
	if (!joined)
		return -ENODEV;
	if ((rc = nl_link_up(c->nl, bond.ifindex)))
		logerr(rc, "net: bond %s: link up", b->name);
	logx("net: bond %s: %s, miimon %u ms, %d of %d slaves (first %s)", b->name, bond_mode_name(b->mode),
	     b->miimon, joined, b->nslaves, slaves[0].name);
	return rc;
}

static int vlan_up(struct up_ctx *c, struct net_vlan *v, const uint8_t *bootif)
{
	bool on_bond = netdev_is_bond(c->s, v->parent);
	char name[NI_IFNAME_MAX], m[MAC_TEXT_MAX];
	struct link_info parent;
	int rc;

	if (bootif && !on_bond) {
		if (nic_by_mac(c->s, bootif, name))
			logx("net: vlan %s: no NIC has the BOOTIF MAC %s; using %s", v->name,
			     mac_format(bootif, ':', m), v->parent);
		else if (strcmp(name, v->parent)) {
			logx("net: vlan %s: on %s, the NIC BOOTIF names, not %s", v->name, name, v->parent);
			strcpy(v->parent, name);
		}
	}
	if ((rc = wait_nic(c, v->parent, &parent))) {
		logx("net: vlan %s: parent %s is not there", v->name, v->parent);
		return rc;
	}
	if (!on_bond)
		remember_nic(c, &parent, false);
	if ((rc = nl_link_up(c->nl, parent.ifindex)))
		logerr(rc, "net: vlan %s: parent %s link up", v->name, v->parent);
	rc = nl_link_add_vlan(c->nl, v->name, parent.ifindex, v->id);
	if (rc && rc != -EEXIST) {
		logerr(rc, "net: vlan %s: creating VLAN %u on %s (vlan=; the 8021q module in the image?)", v->name,
		       v->id, v->parent);
		return rc;
	}
	logx("net: vlan %s: id %u on %s", v->name, v->id, v->parent);
	return 0;
}

/* s->nics: the NICs seen that are under root. */
static void keep_members(struct up_ctx *c, const char *root)
{
	const char *names[NI_BOND_SLAVES + 2];
	int n = netdev_members(c->s, root, names, NI_BOND_SLAVES + 2);

	c->s->nnics = 0;
	for (int i = 0; i < c->nseen; i++)
		for (int j = 0; j < n; j++)
			if (!strcmp(c->seen[i].name, names[j]) && c->s->nnics < NI_BOND_SLAVES) {
				c->s->nics[c->s->nnics++] = c->seen[i];
				break;
			}
}

int netdev_up(struct nl_handle *nl, struct netdev_stack *s, const char *root, const uint8_t *bootif,
	      unsigned link_ms)
{
	struct up_ctx c = { .nl = nl, .s = s, .deadline = uptime_ms() + link_ms };
	int rc;

	if (s->have_bond && (rc = bond_up(&c, bootif)))
		return rc;
	for (int i = 0; i < s->nvlans; i++) {
		bool is_root = root && !strcmp(root, s->vlans[i].name);
		rc = vlan_up(&c, &s->vlans[i], is_root ? bootif : NULL);
		if (rc && is_root)
			return rc;
	}
	keep_members(&c, root);
	return 0;
}
