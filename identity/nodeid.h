/* What identifies a node, derived only from facts that are the same on every
 * boot (its MAC, its DHCP name), so nothing needs to be stored anywhere. Pure. */
#ifndef NFSINIT_NODEID_H
#define NFSINIT_NODEID_H

#include <stddef.h>
#include <stdint.h>

/* 32 lowercase hex digits and a NUL: machine-id(5) format. SHA-256 of a
 * fixed namespace and the MAC, with the UUID v4 version and variant bits set
 * as systemd-id128 does for the ids it generates. */
void nodeid_machine_id(const uint8_t mac[6], char out[33]);

/* The 32-bit id gethostid(3) reads from /etc/hostid (and ZFS, and MPI
 * launchers); never 0 or 0xffffffff, which readers take as "unset". */
uint32_t nodeid_hostid(const uint8_t mac[6]);

/* "node-525400000011": the hostname when DHCP and ip= gave none. */
void nodeid_default_hostname(const uint8_t mac[6], char *out, size_t cap);

/* The node number: trailing decimal digits (at most 9) of hostname
 * ("node17" -> 17) when it has them, else the host part of the IPv4 address (addr & ~mask,
 * both in network order), else -1. The caller passes hostname NULL when
 * the name is our MAC-derived default, whose digits are not a number. */
long nodeid_number(const char *hostname, uint32_t addr_be, uint32_t mask_be);

/* "52-54-00-00-00-11": the per-MAC template directory name. */
void nodeid_mac_dirname(const uint8_t mac[6], char out[18]);

#endif
