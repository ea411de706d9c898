/* dracut's vlan= and bond=: the virtual interfaces the root may sit on.
 * The parsers and the plan are pure (text in, struct out); netdev_up()
 * creates the interfaces through rtnetlink; the hand-over renderers describe
 * them to the booted system's network managers so none of them is torn down. */
#ifndef NFSINIT_VLANBOND_H
#define NFSINIT_VLANBOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"
#include "../common/limits.h"

#define VLAN_ID_MAX        4094    /* 802.1Q: 0 is priority tagging, 4095 reserved */
#define BOND_DEFAULT_MODE  BOND_ACTIVE_BACKUP
#define BOND_DEFAULT_MIIMON 100    /* ms: a slave without carrier is left after this */
#define BOND_DEFAULT_NAME  "bond0"
#define BOND_DEFAULT_SLAVES "eth0,eth1" /* dracut's, for a bare bond or bond=<name> */

/* The kernel's numbers (IFLA_BOND_MODE). */
enum bond_mode {
	BOND_BALANCE_RR = 0, BOND_ACTIVE_BACKUP, BOND_BALANCE_XOR, BOND_BROADCAST, BOND_8023AD,
	BOND_BALANCE_TLB, BOND_BALANCE_ALB, BOND_MODES
};

/* vlan=<name>:<parent>; the id comes from the name (dracut: vlan0005,
 * vlan5, eth0.0005, eth0.5). */
struct net_vlan {
	char name[NI_IFNAME_MAX];
	char parent[NI_IFNAME_MAX];
	unsigned id;
};

/* bond=<name>[:<slaves>[:<options>[:<mtu>]]] */
struct net_bond {
	char name[NI_IFNAME_MAX];
	char slaves[NI_BOND_SLAVES][NI_IFNAME_MAX];
	int nslaves;
	enum bond_mode mode;
	unsigned miimon;               /* ms, 0 = off */
	int lacp_rate;                 /* 802.3ad: -1 = kernel default, 0 slow, 1 fast */
	int xmit_hash;                 /* IFLA_BOND_XMIT_HASH_POLICY, -1 = kernel default */
	char primary[NI_IFNAME_MAX];   /* active-backup: the slave preferred, "" = none */
	unsigned mtu;                  /* 0 = leave as is */
};

/* A physical NIC under the root interface, as it was before it was made a
 * slave (a bond gives every slave its own MAC; the hand-over's .link must
 * match the NIC's permanent one). */
struct netdev_nic {
	char name[NI_IFNAME_MAX];
	uint8_t mac[6];
	bool slave;                    /* of the bond: match by permanent MAC */
};

/* What the command line asked for, and after netdev_up() what was made. */
struct netdev_stack {
	struct net_vlan vlans[NI_MAX_VLANS];
	int nvlans;
	bool have_bond;
	struct net_bond bond;
	/* Filled by netdev_up(): the NICs carrying the root interface. */
	struct netdev_nic nics[NI_BOND_SLAVES];
	int nnics;
};

/* Values of vlan= and bond= (without the "name="). Return 0 or -EINVAL with
 * the field and value in err. bond_parse(NULL) is a bare "bond". */
int vlan_parse(const char *value, struct net_vlan *out, struct err_reason *err);
int bond_parse(const char *value, struct net_bond *out, struct err_reason *err);

/* Adds v to s (a vlan= of the same name replaces the earlier one).
 * -ENOSPC when NI_MAX_VLANS are there already. */
int netdev_add_vlan(struct netdev_stack *s, const struct net_vlan *v);

/* True when s asks for any interface to be made. */
bool netdev_any(const struct netdev_stack *s);

/* The vlan= named name, or NULL; whether name is the bond or one of its
 * slaves. */
const struct net_vlan *netdev_vlan(const struct netdev_stack *s, const char *name);
bool netdev_is_bond(const struct netdev_stack *s, const char *name);
bool netdev_is_slave(const struct netdev_stack *s, const char *name);

/* The interface the root is configured on: ip='s device when it is one of
 * s's, else the first vlan=, else the bond. NULL when s is empty or device
 * names none of s's interfaces (the plain NIC path then). */
const char *netdev_root_name(const struct netdev_stack *s, const char *device);

/* Checks that s can be built: every vlan's parent is a NIC or the bond, no
 * slave is a vlan or the bond, no two interfaces share a name. -EINVAL with
 * the reason in err. */
int netdev_check(const struct netdev_stack *s, struct err_reason *err);

/* "active-backup" for BOND_ACTIVE_BACKUP (the bonding driver's and
 * networkd's spelling); NULL for a number out of range. */
const char *bond_mode_name(enum bond_mode m);
/* "layer2+3" for IFLA_BOND_XMIT_HASH_POLICY 2; NULL out of range. */
const char *bond_xmit_hash_name(int policy);

struct nl_handle;
/* Creates the bond (slaves enslaved) and the vlans of s, brings them up and
 * fills s->nics with the NICs under root (netdev_root_name). bootif (may be
 * NULL): the NIC with this MAC is a vlan's parent instead of the one named,
 * or the bond's first slave (the bond takes its MAC). link_ms bounds the
 * wait for each NIC. Interfaces that exist already are kept (a retry).
 * Returns 0 or -errno; logs what failed, naming the interface. */
int netdev_up(struct nl_handle *nl, struct netdev_stack *s, const char *root, const uint8_t *bootif,
	      unsigned link_ms);

/* Hand-over (vlanbond_render.c, pure): kind of file for one interface of the
 * stack. Paths are relative to /run. Renderers return the length or -ENOSPC,
 * -ENODATA when the kind has nothing for that interface. */
enum netdev_file {
	NETDEV_NETDEV,     /* systemd/network/05-nfsinit-<if>.netdev: vlan or bond */
	NETDEV_NETWORK,    /* systemd/network/05-nfsinit-<if>.network: a lower interface */
	NETDEV_LINK,       /* systemd/network/10-nfsinit-<nic>.link: keeps a NIC's name */
	NETDEV_NMCONN,     /* NetworkManager/system-connections/nfsinit-<if>.nmconnection */
	NETDEV_FILES
};

/* Every interface name of the stack carrying root, lower ones first:
 * NICs, then the bond, then vlans. Returns the count written to names. */
int netdev_members(const struct netdev_stack *s, const char *root, const char *names[], int max);

int netdev_path(enum netdev_file k, const char *ifname, char *buf, size_t cap);
/* root is the interface the lease is on; the root's own .network comes from
 * handover_render(HANDOVER_NETWORKD). addr ("10.0.0.5/24") and gw (may be
 * NULL) are the root's static address; addr NULL: DHCP. */
int netdev_render(enum netdev_file k, const struct netdev_stack *s, const char *ifname, const char *root,
		  const char *addr, const char *gw, char *buf, size_t cap);

struct textbuf;
/* Netplan: the lower interfaces (ethernets:, the bond when it is not the
 * root) and the root's own opening lines (under vlans: or bonds:), which
 * the caller follows with the addressing of the plain-NIC form. */
void netdev_netplan(struct textbuf *t, const struct netdev_stack *s, const char *root);

struct net_lease;
/* vlanbond_write.c: every file above for the interfaces under the lease's
 * (none when it is a plain NIC), under run_dir; logs each failure by path.
 * Returns 0 or the first -errno. */
int netdev_handover_write(const struct net_lease *l, const char *run_dir);
/* Only the .link files (the network stage's early copy). */
int netdev_linkfiles_write(const struct net_lease *l, const char *run_dir);
/* True when the lease's interface is one vlan= or bond= made. */
bool netdev_stacked(const struct net_lease *l);

#endif
