/* Names from outside (DHCP options 12, 15, 119, the ip= host name) end up in
 * /etc/hosts, /etc/hostname, shell-sourced hand-over files, hook
 * environments and /run/nfsinit/facts: only plain host names may. Pure. */
#ifndef NFSINIT_DNSNAME_H
#define NFSINIT_DNSNAME_H

#include <stdbool.h>
#include <stddef.h>

#define DNS_LABEL_MAX 63    /* RFC 1035 2.3.4 */
#define DNS_NAME_TEXT_MAX 253

/* An RFC 1123 host name: dot-separated labels of 1-63 letters, digits and
 * '-', not starting or ending with '-', 253 bytes at most, no trailing dot. */
bool dns_name_ok(const char *s);

/* One or more dns_name_ok names separated by single spaces (option 119). */
bool dns_name_list_ok(const char *s);

/* localhost, localhost.localdomain, localhost6, ip6-localhost, ...: names
 * the loopback lines of /etc/hosts own, never a node's name. */
bool dns_name_is_loopback(const char *s);

/* True when s holds a byte below 0x20 or 0x7f: it would split a line. */
bool text_has_controls(const char *s);

/* Replaces every control byte of s[0..n) with '?', in place. */
void text_mask_controls(char *s, size_t n);

#endif
