#include "leasecheck.h"

#include <stdio.h>
#include <string.h>
#include "../common/dnsname.h"

static void drop(char *field, const char *label, const char *why, char *what, size_t cap, int *n)
{
	size_t used = strlen(what);
	/* the value is shown in part; the log escapes its control bytes */
	if (used < cap)
		snprintf(what + used, cap - used, "%s%s '%.80s' (%s)", *n ? ", " : "", label, field, why);
	field[0] = '\0';
	(*n)++;
}

int lease_check_names(struct net_lease *l, char *what, size_t cap)
{
	int n = 0;
	if (cap)
		what[0] = '\0';
	if (l->hostname[0] && !dns_name_ok(l->hostname))
		drop(l->hostname, "host name", "not an RFC 1123 name", what, cap, &n);
	else if (l->hostname[0] && dns_name_is_loopback(l->hostname))
		drop(l->hostname, "host name", "a loopback name", what, cap, &n);
	if (l->domain[0] && !dns_name_ok(l->domain))
		drop(l->domain, "domain", "not an RFC 1123 name", what, cap, &n);
	if (l->search[0] && !dns_name_list_ok(l->search))
		drop(l->search, "search list", "not RFC 1123 names", what, cap, &n);
	if (text_has_controls(l->root_path))
		drop(l->root_path, "root path", "control characters", what, cap, &n);
	if (text_has_controls(l->classes))
		drop(l->classes, "classes", "control characters", what, cap, &n);
	return n;
}
