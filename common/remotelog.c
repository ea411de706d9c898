#include "remotelog.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "log.h"
#include "limits.h"
#include "mac.h"

/* RFC 5424 6.2.1: facility local0; lines are info, a failed boot is err. */
#define PRI_INFO    (16 * 8 + 6)
#define PRI_NOTICE  (16 * 8 + 5)
#define PRI_ERR     (16 * 8 + 3)
#define PRI_DEBUG   (16 * 8 + 7)
#define FLUSH_STEP_MS 10
#define TAIL_LINES  3      /* the last console lines in a failure report */
#define TAIL_MAX    240    /* bytes of each of them kept */
#define FIELD_MAX   128

static struct {
	int fd;          /* valid when active */
	bool active, busy, warned;
	char hostname[NI_HOSTNAME_MAX], mac[MAC_TEXT_MAX], ip[INET_ADDRSTRLEN];
	char stage[32], image[FIELD_MAX], server[FIELD_MAX], path[FIELD_MAX * 2];
	char tail[TAIL_LINES][TAIL_MAX];
	int ntail;
} rl;             /* all zero: bss, not data in /init */

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void rlog_set_stage(const char *stage) { copy(rl.stage, sizeof(rl.stage), stage); }
bool rlog_active(void) { return rl.active; }

void rlog_set_root(const char *server, const char *path, const char *image_version)
{
	copy(rl.server, sizeof(rl.server), server);
	copy(rl.path, sizeof(rl.path), path);
	copy(rl.image, sizeof(rl.image), image_version);
}

/* The wall-clock time of a line logged at boot time ms. */
static void line_time(long long ms, char out[SYSLOG_TIME_MAX])
{
	struct timespec now;
	long long wall = 0;
	if (clock_gettime(CLOCK_REALTIME, &now) == 0)
		wall = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 - (uptime_ms() - ms);
	syslog_timestamp(wall, out);
}

/* One datagram; the first error is logged once (the log line itself is not
 * sent: busy), later ones only cost their line. */
static void send_msg(long long ms, int pri, const char *msgid, const struct syslog_param *extra, int nextra,
		     const char *text)
{
	char buf[SYSLOG_MSG_MAX], ts[SYSLOG_TIME_MAX], up[24];
	struct syslog_param p[24] = {
		{ "mac", rl.mac }, { "ip", rl.ip }, { "stage", rl.stage }, { "image", rl.image }, { "up", up },
	};
	int np = 5, n;
	struct syslog_msg m = { pri, ts, rl.hostname, "nfsinit", msgid, SYSLOG_SDID, p, 0, text };

	snprintf(up, sizeof(up), "%lld.%03lld", ms / 1000, ms % 1000);
	line_time(ms, ts);
	for (int i = 0; i < nextra && np < (int)(sizeof(p) / sizeof(p[0])); i++)
		p[np++] = extra[i];
	m.nparams = np;
	n = syslog_format(&m, buf, sizeof(buf));
	if (n > 0 && send(rl.fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) == n)
		return;
	if (!rl.warned) {
		int err = n < 0 ? n : -errno;
		rl.warned = true;
		rl.busy = true;
		logerr(err, "log: sending to the log server (lines that cannot be sent are dropped)");
		rl.busy = false;
	}
}

static void remember(const char *text, size_t len)
{
	if (rl.ntail == TAIL_LINES) {
		memmove(rl.tail[0], rl.tail[1], sizeof(rl.tail[0]) * (TAIL_LINES - 1));
		rl.ntail--;
	}
	snprintf(rl.tail[rl.ntail++], TAIL_MAX, "%.*s", (int)len, text);
}

/* The report's reason and last lines are console lines, never debug ones. */
static void sink(long long ms, const char *text, size_t len, bool shown)
{
	char line[SYSLOG_MSG_MAX];
	if (rl.busy || !rl.active)
		return;
	if (shown)
		remember(text, len);
	snprintf(line, sizeof(line), "%.*s", (int)len, text);
	/* Debug lines (kept in /run/nfsinit/log, not shown) as severity debug, so
	 * a server's usual *.info rule leaves them out. */
	send_msg(ms, shown ? PRI_INFO : PRI_DEBUG, "line", NULL, 0, line);
}

/* UDP has no flush: the datagrams are charged to the socket until the NIC
 * has sent them, so wait (bounded) for the send queue to empty. */
void rlog_flush(int max_ms)
{
	const struct timespec step = { 0, FLUSH_STEP_MS * 1000000L };
	int queued = 0;

	for (int waited = 0; rl.active && waited < max_ms; waited += FLUSH_STEP_MS) {
		if (ioctl(rl.fd, TIOCOUTQ, &queued) < 0 || queued == 0)
			return;
		nanosleep(&step, NULL);
	}
}

/* The kept log's "nfsinit: [S.mmm] text" lines, each sent with its time. */
static void replay(void)
{
	size_t len;
	const char *p = log_buffer(&len), *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char *rest;
		long long s, frac;
		if (!nl)
			break;
		if (!strncmp(p, "nfsinit: [", 10)) {
			s = strtoll(p + 10, &rest, 10);
			if (*rest == '.' && (frac = strtoll(rest + 1, &rest, 10)) >= 0 && !strncmp(rest, "] ", 2) &&
			    rest + 2 <= nl)
				sink(s * 1000 + frac, rest + 2, (size_t)(nl - rest - 2), true);
		}
		p = nl + 1;
	}
}

int rlog_start(const struct syslog_target *t, const char *hostname, const uint8_t *mac, struct in_addr ip)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(t->port), .sin_addr = t->addr };
	char addr[INET_ADDRSTRLEN];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	inet_ntop(AF_INET, &t->addr, addr, sizeof(addr));
	/* connect(): the kernel picks the source once; no name lookup, no wait */
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		logerr(err, "log: UDP socket to %s:%u (no remote log)", addr, t->port);
		if (fd >= 0)
			close(fd);
		return err;
	}
	copy(rl.hostname, sizeof(rl.hostname), hostname);
	if (mac)
		mac_format(mac, ':', rl.mac);
	inet_ntop(AF_INET, &ip, rl.ip, sizeof(rl.ip));
	rl.fd = fd;
	rl.active = true;
	replay();
	log_set_sink(sink);
	logx("log: sending the console log to %s:%u (RFC 5424 over UDP)", addr, t->port);
	return 0;
}

/* One message with everything an admin wants to see first; nfsinit-status
 * reads its parameters. */
void rlog_report(const char *failed_stage, const char *reason, const char *stages)
{
	static const char *const last[TAIL_LINES] = { "last1", "last2", "last3" };
	char total[24], text[SYSLOG_MSG_MAX];
	struct utsname u;
	long long ms = uptime_ms();
	struct syslog_param p[8 + TAIL_LINES];
	int np = 0;

	if (!rl.active)
		return;
	if (!reason)
		reason = rl.ntail ? rl.tail[rl.ntail - 1] : "";
	if (uname(&u) != 0)
		u.release[0] = '\0';
	snprintf(total, sizeof(total), "%lld.%03lld", ms / 1000, ms % 1000);
	p[np++] = (struct syslog_param){ "outcome", failed_stage ? failed_stage : "ok" };
	p[np++] = (struct syslog_param){ "reason", reason };
	p[np++] = (struct syslog_param){ "stages", stages };
	p[np++] = (struct syslog_param){ "server", rl.server };
	p[np++] = (struct syslog_param){ "path", rl.path };
	p[np++] = (struct syslog_param){ "kernel", u.release };
	p[np++] = (struct syslog_param){ "total", total };
	for (int i = 0; failed_stage && i < rl.ntail; i++)
		p[np++] = (struct syslog_param){ last[i], rl.tail[i] };
	if (failed_stage)
		snprintf(text, sizeof(text), "boot failed at stage %s after %s s: %s", failed_stage, total, reason);
	else
		snprintf(text, sizeof(text), "boot ok in %s s", total);
	send_msg(ms, failed_stage ? PRI_ERR : PRI_NOTICE, "report", p, np, text);
}
