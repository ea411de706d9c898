/* rtnetlink for the links vlan= and bond= make: RTM_NEWLINK with
 * IFLA_LINKINFO (kind "vlan" or "bond" and its data), and IFLA_MASTER to
 * enslave. Creating a link of a kind whose module is not loaded makes the
 * kernel ask for "rtnl-link-<kind>" (8021q, bonding) through the module
 * helper, i.e. /init. */
#include "rtnl.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include "vlanbond.h"

/* Opens a nested attribute; nest_end() sets its length once the inner
 * ones are in. Offsets, not pointers: the buffer is the request's. */
static size_t nest_begin(struct nl_req *r, uint16_t type)
{
	static const char none;
	size_t off = NLMSG_ALIGN(r->u.nh.nlmsg_len);
	nl_req_put(r, type, &none, 0);
	return off;
}

static void nest_end(struct nl_req *r, size_t off)
{
	struct rtattr *rta = (struct rtattr *)(void *)(r->u.raw + off);
	if (!r->overflow)
		rta->rta_len = (unsigned short)(r->u.nh.nlmsg_len - off);
}

static struct ifinfomsg *link_req(struct nl_req *r, uint16_t flags, int ifindex)
{
	struct ifinfomsg *ifi = nl_req_start(r, RTM_NEWLINK, flags, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

int nl_link_down(struct nl_handle *h, int ifindex)
{
	struct nl_req r;
	struct ifinfomsg *ifi = link_req(&r, 0, ifindex);
	ifi->ifi_change = IFF_UP;   /* flags 0: down */
	return nl_req_send(h, &r);
}

int nl_link_set_master(struct nl_handle *h, int ifindex, int master)
{
	struct nl_req r;
	uint32_t m = (uint32_t)master;
	link_req(&r, 0, ifindex);
	nl_req_put(&r, IFLA_MASTER, &m, sizeof(m));
	return nl_req_send(h, &r);
}

static int put_name(struct nl_req *r, const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= IFNAMSIZ)
		return -EINVAL;
	nl_req_put(r, IFLA_IFNAME, name, n + 1);
	return 0;
}

int nl_link_add_vlan(struct nl_handle *h, const char *name, int parent, unsigned id)
{
	struct nl_req r;
	uint32_t link = (uint32_t)parent;
	uint16_t vid = (uint16_t)id;
	size_t info, data;

	if (id == 0 || id > VLAN_ID_MAX)
		return -EINVAL;
	link_req(&r, NLM_F_CREATE | NLM_F_EXCL, 0);
	if (put_name(&r, name))
		return -EINVAL;
	nl_req_put(&r, IFLA_LINK, &link, sizeof(link));
	info = nest_begin(&r, IFLA_LINKINFO);
	nl_req_put(&r, IFLA_INFO_KIND, "vlan", 4);
	data = nest_begin(&r, IFLA_INFO_DATA);
	nl_req_put(&r, IFLA_VLAN_ID, &vid, sizeof(vid));
	nest_end(&r, data);
	nest_end(&r, info);
	return nl_req_send(h, &r);
}

int nl_link_add_bond(struct nl_handle *h, const struct net_bond *b, int primary_ifindex, int ifindex)
{
	struct nl_req r;
	uint8_t mode = (uint8_t)b->mode;
	uint32_t miimon = b->miimon, mtu = b->mtu, primary = (uint32_t)primary_ifindex;
	size_t info, data;

	link_req(&r, ifindex ? 0 : NLM_F_CREATE | NLM_F_EXCL, ifindex);
	if (!ifindex && put_name(&r, b->name))
		return -EINVAL;
	if (mtu)
		nl_req_put(&r, IFLA_MTU, &mtu, sizeof(mtu));
	info = nest_begin(&r, IFLA_LINKINFO);
	nl_req_put(&r, IFLA_INFO_KIND, "bond", 4);
	data = nest_begin(&r, IFLA_INFO_DATA);
	nl_req_put(&r, IFLA_BOND_MODE, &mode, sizeof(mode));
	nl_req_put(&r, IFLA_BOND_MIIMON, &miimon, sizeof(miimon));
	if (b->lacp_rate >= 0) {
		uint8_t v = (uint8_t)b->lacp_rate;
		nl_req_put(&r, IFLA_BOND_AD_LACP_RATE, &v, sizeof(v));
	}
	if (b->xmit_hash >= 0) {
		uint8_t v = (uint8_t)b->xmit_hash;
		nl_req_put(&r, IFLA_BOND_XMIT_HASH_POLICY, &v, sizeof(v));
	}
	if (primary_ifindex > 0)
		nl_req_put(&r, IFLA_BOND_PRIMARY, &primary, sizeof(primary));
	nest_end(&r, data);
	nest_end(&r, info);
	return nl_req_send(h, &r);
}
