/* Ethernet addresses as text: one formatter and one parser for sysfs,
 * BOOTIF=, the hand-over files, the node's names and the log. */
#ifndef NFSINIT_MAC_H
#define NFSINIT_MAC_H

#include <stdint.h>

#define MAC_TEXT_MAX 18   /* "aa:bb:cc:dd:ee:ff" and its NUL */

/* Six lowercase hex pairs joined by sep (':' or '-'; '\0' joins them with
 * nothing). Returns out. */
char *mac_format(const uint8_t mac[6], char sep, char out[MAC_TEXT_MAX]);

/* Exactly six pairs of hex digits joined by sep (or by ':' or '-' alike
 * when sep is '\0'), nothing before or after. Returns 0 or -EINVAL. */
int mac_parse(const char *s, char sep, uint8_t mac[6]);

#endif
