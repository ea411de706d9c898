/* The text fields of a lease come from a DHCP server (or ip=) and go on into
 * /etc/hosts, hook environments, facts and shell-sourced files: they are
 * checked once, where the lease is filled. Pure: the caller says what was
 * dropped (the callback gets each field before it is cleared). */
#ifndef NFSINIT_LEASECHECK_H
#define NFSINIT_LEASECHECK_H

#include "netcfg.h"

/* field: "host name", "domain", ...; value: what the server sent; why: the
 * rule it broke. */
typedef void lease_dropped_fn(const char *field, const char *value, const char *why, void *ctx);

/* Clears each field that may not be used: a host name, domain or search list
 * that is not RFC 1123 names (or a host name that is localhost), a root path
 * or class list holding control bytes; dropped (if not NULL) is called for
 * each before it is cleared. Returns how many were cleared. */
int lease_check_names(struct net_lease *l, lease_dropped_fn *dropped, void *ctx);

#endif
