#include "leasecheck.h"

#include "../common/dnsname.h"

static void drop(char *field, const char *what, const char *why, lease_dropped_fn *dropped, void *ctx, int *n)
{
	if (dropped)
		dropped(what, field, why, ctx);
	field[0] = '\0';
	(*n)++;
}

int lease_check_names(struct net_lease *l, lease_dropped_fn *dropped, void *ctx)
{
	int n = 0;
	if (l->hostname[0] && !dns_name_ok(l->hostname))
		drop(l->hostname, "host name", "not an RFC 1123 name", dropped, ctx, &n);
	else if (l->hostname[0] && dns_name_is_loopback(l->hostname))
		drop(l->hostname, "host name", "a loopback name", dropped, ctx, &n);
	if (l->domain[0] && !dns_name_ok(l->domain))
		drop(l->domain, "domain", "not an RFC 1123 name", dropped, ctx, &n);
	if (l->search[0] && !dns_name_list_ok(l->search))
		drop(l->search, "search list", "not RFC 1123 names", dropped, ctx, &n);
	if (text_has_controls(l->root_path))
		drop(l->root_path, "root path", "control characters", dropped, ctx, &n);
	if (text_has_controls(l->classes))
		drop(l->classes, "classes", "control characters", dropped, ctx, &n);
	return n;
}
