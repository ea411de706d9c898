/* RFC 5424 syslog messages as text, for the remote log (common/remotelog.c)
 * and its tests. Pure: struct in, bytes out, no I/O. */
#ifndef NFSINIT_SYSLOG5424_H
#define NFSINIT_SYSLOG5424_H

#include <stddef.h>

/* RFC 5424 6.1: receivers should take 2048 bytes; longer messages may be
 * cut anywhere by them, so we cut the MSG ourselves and say so. */
#define SYSLOG_MSG_MAX   2048
#define SYSLOG_CUT_MARK  " [cut]"
#define SYSLOG_TIME_MAX  32   /* "2026-12-03T16:51:51.123Z" */
#define SYSLOG_SDID      "nfsinit@32473"  /* 32473: RFC 5612's documentation PEN */

struct syslog_param {
	const char *name;     /* an SD-NAME: at most 32 printable, no = ] " space */
	const char *value;    /* any text; escaped per RFC 5424 6.3.3 */
};

struct syslog_msg {
	int pri;              /* facility * 8 + severity */
	const char *timestamp;/* syslog_timestamp()'s text; NULL or "" = unknown */
	const char *hostname, *app, *msgid; /* NULL or "" = "-" */
	const char *sd_id;    /* NULL = no structured data */
	const struct syslog_param *params;
	int nparams;
	const char *text;     /* the MSG; line breaks and control bytes become spaces */
};

/* Writes one message (no trailing newline) to out. Returns its length, or
 * -EINVAL for a bad pri or SD-NAME, -EMSGSIZE when the header and the
 * structured data alone do not fit in cap. A MSG that does not fit is cut
 * and ends with SYSLOG_CUT_MARK. */
int syslog_format(const struct syslog_msg *m, char *out, size_t cap);

/* RFC 3339 UTC time with milliseconds; "" for a clock before 2001 (a node
 * without a set clock: RFC 5424 6.2.3 then wants NILVALUE). */
void syslog_timestamp(long long epoch_ms, char out[SYSLOG_TIME_MAX]);


#include <netinet/in.h>
#include <stdint.h>
#include "err.h"

#define SYSLOG_PORT 514

struct syslog_target {
	struct in_addr addr;
	uint16_t port;
};

/* "<IPv4 address>[:<port>]" (nfsinit.log=, syslog.server=); no names: /init
 * has no resolver. Returns 0 or -EINVAL with the reason in err. */
int syslog_parse_target(const char *s, struct syslog_target *t, struct err_reason *err);

#endif
