/* The ip= parameter: kernel nfsroot.rst syntax
 *   ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:<autoconf>:<dns0>:<dns1>:<ntp0>
 * plus ip=dhcp|on|any|off|none|auto6|dhcp6, dracut's ip=<device>:<method> and
 * trailing :<mtu>[:<macaddr>] after autoconf, and dracut's IPv6 static form
 *   ip=[<client-ip6>]::[<gw-ip6>]:<prefixlen>:<hostname>:<device>:none[:[<dns>]...]
 * Pure code: text in, struct out. */
#ifndef NFSINIT_IPCONF_H
#define NFSINIT_IPCONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "../common/err.h"
#include "../common/limits.h"

enum ip_method {
	IP_METHOD_DHCP = 0,  /* the default when ip= is absent: a diskless node needs the network */
	IP_METHOD_STATIC,
	IP_METHOD_OFF,
	IP_METHOD_AUTO6,     /* IPv6 router advertisements (SLAAC) only */
	IP_METHOD_DHCP6,     /* stateful DHCPv6 (IA_NA) only */
};

struct ipconf {
	enum ip_method method;
	bool given;                       /* ip= was on the command line */
	struct in_addr client, server, gateway, netmask;  /* INADDR_ANY when empty */
	char hostname[NI_HOSTNAME_MAX];
	char device[NI_IFNAME_MAX];      /* "" = choose automatically */
	struct in_addr dns[NI_MAX_DNS];
	int ndns;
	struct in_addr ntp[NI_MAX_NTP];
	int nntp;
	unsigned mtu;                     /* 0 = leave as is (dracut field) */
	bool have_mac;                    /* dracut's <macaddr>: set on device before DHCP */
	uint8_t mac[6];
	bool v6;                          /* the long form with a bracketed IPv6 client address */
	struct in6_addr client6, server6, gateway6;  /* :: when empty */
	int prefix6;                      /* the netmask field as a prefix length; 64 when empty */
	struct in6_addr dns6[NI_MAX_DNS];
	int ndns6;
};

/* Parses the value of ip= (without "ip="). Returns 0, or -EINVAL with a short
 * reason in err naming the field. */
int ipconf_parse(const char *value, struct ipconf *out, struct err_reason *err);

/* Netmask 255.255.255.0 -> 24; -1 when not contiguous. */
int ipconf_netmask_to_prefix(struct in_addr mask);

#endif
