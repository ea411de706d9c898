#include "state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/dnsname.h"
#include "../common/log.h"
#include "../mounts/mounts.h"
#include "../common/file.h"
#include "../common/inaddr.h"
#include "../common/mac.h"
#include "../common/remotelog.h"
#include "../common/textbuf.h"

#define MAX_STAGES 16

static struct {
	const char *name;
	long long start_ms, end_ms;
} stages[MAX_STAGES];
static int nstages;

void stage_begin(const char *name)
{
	if (nstages < MAX_STAGES) {
		stages[nstages].name = name;
		stages[nstages].start_ms = uptime_ms();
		stages[nstages].end_ms = -1;
		nstages++;
	}
	rlog_set_stage(name);
}

void stage_end(void)
{
	if (nstages > 0 && stages[nstages - 1].end_ms < 0)
		stages[nstages - 1].end_ms = uptime_ms();
}

/* KEY=value, a line; no line when there is no value. Values come from a
 * DHCP server or the shared root: a control byte in one becomes '?', so it
 * can add no line to the facts file and no entry to a hook's environment. */
static void add(struct textbuf *t, const char *key, const char *val)
{
	size_t at = t->len;
	if (!val)
		return;
	textbuf_printf(t, "%s=%s\n", key, val);
	if (!t->full)
		text_mask_controls(t->buf + at, t->len - at - 1);
}

static void add_addr(struct textbuf *t, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	if (a.s_addr != INADDR_ANY)
		add(t, key, inaddr_ntoa(a, s));
}

static void facts_text(const struct boot_facts *f, struct textbuf *t)
{
	const struct net_lease *l = f->lease;
	if (l) {
		char mac[MAC_TEXT_MAX], prefix[8];
		mac_format(l->mac, ':', mac);
		snprintf(prefix, sizeof(prefix), "%d", l->prefix);
		add(t, "INTERFACE", l->ifname);
		add(t, "MAC", mac);
		add(t, "METHOD", l->via_dhcp ? "dhcp" : "static");
		add_addr(t, "IP", l->addr);
		add(t, "PREFIX", prefix);
		add_addr(t, "GATEWAY", l->gateway);
		for (int i = 0; i < l->ndns; i++)
			add_addr(t, "DNS", l->dns[i]);
		if (!f->hostname && l->hostname[0])
			add(t, "HOSTNAME", l->hostname);
		if (l->domain[0])
			add(t, "DOMAIN", l->domain);
	}
	add(t, "HOSTNAME", f->hostname);
	add(t, "MACHINE_ID", f->machine_id);
	add(t, "NFS_SERVER", f->server);
	add(t, "NFS_PATH", f->root_path);
	add(t, "NFS_SOURCE", f->nfs_source);
	add(t, "NFS_RESOLVED", f->nfs_resolved);
	add(t, "IMAGE_VERSION", f->image_version);
	add(t, "ROOT_MODE", f->root_mode ? f->root_mode : "tree");
	add(t, "ROOT_VERITY", f->root_verity);
	add(t, "OVERLAY_SIZE", f->overlay_size);
	add(t, "INIT", f->init);
}

int state_env(const struct boot_facts *f, const char *stage, char *buf, size_t cap, char *env[], int max)
{
	struct textbuf t;
	size_t used;
	int n = 0;

	textbuf_init(&t, buf, cap);
	textbuf_printf(&t, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nNFSINIT_STAGE=%s\nNEWROOT=%s\n", stage,
		       NFSINIT_NEWROOT);
	facts_text(f, &t);
	if (textbuf_end(&t) < 0)
		logx("hooks: the environment for stage %s is over %zu bytes: the last facts are left out",
		     stage, cap);
	used = t.len;
	for (char *p = buf; p < buf + used && n < max - 1;) {
		char *nl = memchr(p, '\n', (size_t)(buf + used - p));
		if (!nl)
			break;
		*nl = '\0';
		env[n++] = p;
		p = nl + 1;
	}
	env[n] = NULL;
	return n;
}

void state_report(const char *failed_stage, const char *reason)
{
	char buf[MAX_STAGES * 40];
	struct textbuf t;

	if (!rlog_active())
		return;
	textbuf_init(&t, buf, sizeof(buf));
	for (int i = 0; i < nstages; i++) {
		long long end = stages[i].end_ms < 0 ? uptime_ms() : stages[i].end_ms, d = end - stages[i].start_ms;
		textbuf_printf(&t, "%s%s=%lld.%03lld", i ? " " : "", stages[i].name, d / 1000, d % 1000);
	}
	if (textbuf_end(&t) < 0) /* stage names are ours and short: cannot happen with MAX_STAGES */
		logx("state: stage timings over %zu bytes: the report has the first ones", sizeof(buf));
	rlog_report(failed_stage, reason, buf);
}

void state_save_log(void)
{
	size_t len;
	const char *log = log_buffer(&len);
	(void)file_write_atomic(NFSINIT_RUN "/log", log, len, 0644);
}

void state_save(const struct boot_facts *f)
{
	char buf[4096];
	struct textbuf t;
	size_t len;
	const char *log;
	int rc;

	textbuf_init(&t, buf, sizeof(buf));
	for (int i = 0; i < nstages; i++) {
		long long end = stages[i].end_ms < 0 ? uptime_ms() : stages[i].end_ms;
		textbuf_printf(&t, "%-10s %lld.%03lld %lld.%03lld %lld\n", stages[i].name, stages[i].start_ms / 1000,
			       stages[i].start_ms % 1000, end / 1000, end % 1000, end - stages[i].start_ms);
	}
	if ((rc = textbuf_end(&t)) < 0 || (rc = file_write_atomic(NFSINIT_RUN "/stages", buf, t.len, 0644)))
		logerr(rc, "state: writing %s/stages", NFSINIT_RUN);
	textbuf_init(&t, buf, sizeof(buf));
	facts_text(f, &t);
	if ((rc = textbuf_end(&t)) < 0 || (rc = file_write_atomic(NFSINIT_RUN "/facts", buf, t.len, 0644)))
		logerr(rc, "state: writing %s/facts", NFSINIT_RUN);
	log = log_buffer(&len);
	if ((rc = file_write_atomic(NFSINIT_RUN "/log", log, len, 0644)))
		logerr(rc, "state: writing %s/log", NFSINIT_RUN);
}
