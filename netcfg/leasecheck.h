/* The text fields of a lease come from a DHCP server (or ip=) and go on into
 * /etc/hosts, hook environments, facts and shell-sourced files: they are
 * checked once, where the lease is filled. Pure. */
#ifndef NFSINIT_LEASECHECK_H
#define NFSINIT_LEASECHECK_H

#include <stddef.h>
#include "netcfg.h"

/* Clears each field that may not be used: a host name, domain or search list
 * that is not RFC 1123 names (or a host name that is localhost), a root path
 * or class list holding control bytes. what (cap bytes) names each cleared
 * field with its value, for the console. Returns how many were cleared. */
int lease_check_names(struct net_lease *l, char *what, size_t cap);

#endif
