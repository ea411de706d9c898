/* The lease a DHCP ACK gives: pure, so the fuzzer runs the very code the
 * node runs on a server's reply. */
#include "netcfg.h"

#include <stdio.h>
#include <string.h>
#include "../common/inaddr.h"
#include "dhcp_msg.h"

void lease_set_prefix(struct net_lease *l)
{
	if (l->netmask.s_addr == INADDR_ANY)
		l->netmask = inaddr_classful_netmask(l->addr);
	l->prefix = ipconf_netmask_to_prefix(l->netmask);
	if (l->broadcast.s_addr == INADDR_ANY && l->prefix < 31)
		l->broadcast.s_addr = l->addr.s_addr | ~l->netmask.s_addr;
}

void lease_from_ack(const struct net_request *req, const struct dhcp_reply *m, struct net_lease *l)
{
	l->via_dhcp = true;
	l->addr = m->yiaddr;
	l->netmask = m->netmask;
	l->broadcast = m->broadcast;
	l->gateway = m->router;
	l->server_id = m->server_id;
	l->next_server = m->siaddr;
	l->log_server = m->log_server;
	memcpy(l->dns, m->dns, sizeof(l->dns));
	l->ndns = m->ndns;
	memcpy(l->ntp, m->ntp, sizeof(l->ntp));
	l->nntp = m->nntp;
	/* Both buffers have the same NI_* size: these copies cannot truncate. */
	strcpy(l->hostname, m->hostname[0] ? m->hostname : req->ip.hostname);
	strcpy(l->root_path, m->root_path);
	strcpy(l->classes, m->classes);
	strcpy(l->search, m->search);
	if (m->domain[0])
		strcpy(l->domain, m->domain);
	else /* the first name of option 119 */
		snprintf(l->domain, sizeof(l->domain), "%.*s", (int)strcspn(m->search, " "), m->search);
	l->lease_secs = m->lease_secs;
	l->t1 = m->t1;
	l->t2 = m->t2;
	l->mtu = req->ip.mtu ? req->ip.mtu : m->mtu;   /* the command line wins */
	lease_set_prefix(l);
}
