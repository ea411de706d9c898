/* The text of the files every node gets even with no templates: pure. */
#ifndef NFSINIT_ETCTEXT_H
#define NFSINIT_ETCTEXT_H

#include <netinet/in.h>
#include <stddef.h>

/* /etc/hosts: the shared root's lines (old, may be empty) less any that name
 * this node or map 127.0.1.1 (Debian's line for the host the image was built
 * on), then "ip<TAB>fqdn hostname". ip "" means 127.0.1.1, Debian's address
 * for a host with no fixed one. An empty old file gets the loopback lines.
 * Returns the length, or -ENOSPC when out (cap bytes) is too small. */
int etc_hosts_text(const char *old, size_t oldlen, const char *ip, const char *fqdn, const char *hostname,
		   char *out, size_t cap);

#endif
