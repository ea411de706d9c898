/* libFuzzer: vlan= and bond= values (netcfg/vlanbond_parse.c), then the
 * stack check and every hand-over renderer on what was accepted. The first
 * byte says which parameter the rest is: even vlan=, odd bond=. Accepted
 * names must be interface names that cannot break a file (letters, digits,
 * . _ -); rendered text holds no control byte but '\n'. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../netcfg/handover.h"
#include "../../netcfg/vlanbond.h"

static void check_name(const char *s)
{
	size_t n = strnlen(s, NI_IFNAME_MAX);
	if (n == 0 || n == NI_IFNAME_MAX || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		abort();
}

static void check_text(const char *t, int n)
{
	if (n == -ENODATA || n == -ENOSPC)
		return;
	if (n < 0 || (size_t)n != strlen(t))
		abort();
	for (int i = 0; i < n; i++)
		if ((unsigned char)t[i] < 0x20 && t[i] != '\n')
			abort();
}

static void render_all(struct net_lease *l)
{
	const char *names[NI_BOND_SLAVES + 2];
	char buf[4096];
	int n = netdev_members(&l->stack, l->ifname, names, NI_BOND_SLAVES + 2);

	for (int i = 0; i < n; i++) {
		check_name(names[i]);
		for (int k = 0; k < NETDEV_FILES; k++)
			check_text(buf, netdev_render((enum netdev_file)k, &l->stack, names[i], l->ifname, "10.0.0.1/24",
						      NULL, buf, sizeof(buf)));
	}
	for (int k = 0; k < HANDOVER_KINDS; k++)
		check_text(buf, handover_render((enum handover_kind)k, l, buf, sizeof(buf)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char value[NI_PATH_MAX];
	struct err_reason err = { 0, "" };
	struct net_lease l;
	const char *root;

	if (size < 1)
		return 0;
	memset(&l, 0, sizeof(l));
	size_t n = size - 1 < sizeof(value) - 1 ? size - 1 : sizeof(value) - 1;
	memcpy(value, data + 1, n);
	value[n] = '\0';
	if (data[0] & 1) {
		if (bond_parse(value, &l.stack.bond, &err))
			return err.msg[0] ? 0 : (abort(), 0);
		l.stack.have_bond = true;
		check_name(l.stack.bond.name);
		for (int i = 0; i < l.stack.bond.nslaves; i++)
			check_name(l.stack.bond.slaves[i]);
		if (!bond_mode_name(l.stack.bond.mode))
			abort();
	} else {
		struct net_vlan v;
		if (vlan_parse(value, &v, &err))
			return err.msg[0] ? 0 : (abort(), 0);
		check_name(v.name);
		check_name(v.parent);
		if (v.id == 0 || v.id > VLAN_ID_MAX || netdev_add_vlan(&l.stack, &v))
			abort();
	}
	if (netdev_check(&l.stack, &err) || !(root = netdev_root_name(&l.stack, "")))
		return 0;
	strcpy(l.ifname, root);
	l.via_dhcp = data[0] & 2;
	render_all(&l);
	return 0;
}
