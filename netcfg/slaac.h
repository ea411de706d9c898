/* ip=auto6: the kernel does SLAAC from router advertisements (RFC 4862);
 * we turn it on for the root interface and wait for a global address. */
#ifndef NFSINIT_SLAAC_H
#define NFSINIT_SLAAC_H

#include <netinet/in.h>
#include <stddef.h>

#define SLAAC_IF_INET6 "/proc/net/if_inet6"
#define SLAAC_LIST_MAX 8192   /* /proc/net/if_inet6 text: 54 bytes per address */

#define SLAAC_SCOPE_GLOBAL 0x00
#define SLAAC_SCOPE_LINK   0x20   /* IPV6_ADDR_LINKLOCAL in the kernel's scope field */

/* Pure: the first address of that scope on ifindex that is usable (not
 * tentative, not failed DAD), from the text of /proc/net/if_inet6. 0,
 * -ENOENT, or -EBADMSG for a line not in the kernel's format. */
int slaac_find(const char *text, int ifindex, unsigned scope, struct in6_addr *addr, int *prefix);

/* Polls /proc/net/if_inet6 until slaac_find finds one, up to timeout_ms:
 * 0, -ETIMEDOUT or the -errno of reading it. */
int slaac_wait_addr(int ifindex, unsigned scope, unsigned timeout_ms, struct in6_addr *addr, int *prefix);

/* Pure: the first global (scope 0), usable (not tentative, not failed DAD)
 * address of ifindex in the text of /proc/net/if_inet6. 0, -ENOENT, or
 * -EBADMSG for a line that is not in the kernel's format. */
int slaac_find_global(const char *text, int ifindex, struct in6_addr *addr, int *prefix);

/* Sets accept_ra=1 and autoconf=1 under /proc/sys/net/ipv6/conf/<ifname>/
 * and waits up to timeout_ms for a global address. 0, -ETIMEDOUT, or the
 * -errno of reading or writing /proc (-ENOENT: no IPv6 in this kernel). */
int slaac_wait(const char *ifname, int ifindex, unsigned timeout_ms, struct in6_addr *addr, int *prefix);

#endif
