/* IPv4 addresses: the text form for logs and files, and the netmask the
 * kernel assumes when none is given. */
#ifndef NFSINIT_INADDR_H
#define NFSINIT_INADDR_H

#include <arpa/inet.h>
#include <netinet/in.h>

/* Dotted quad of a into buf; returns buf. */
const char *inaddr_ntoa(struct in_addr a, char buf[INET_ADDRSTRLEN]);

/* Class A /8, B /16, otherwise /24: what net/ipv4/ipconfig.c fills in for
 * ip= without a netmask (and what we assume for a DHCP reply without one). */
struct in_addr inaddr_classful_netmask(struct in_addr a);

#endif
