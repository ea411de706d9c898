#include "state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../common/log.h"
#include "../mounts/mounts.h"
#include "../common/mac.h"

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
}

void stage_end(void)
{
	if (nstages > 0 && stages[nstages - 1].end_ms < 0)
		stages[nstages - 1].end_ms = uptime_ms();
}

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		buf += n;
		len -= (size_t)n;
	}
	close(fd);
	return rc;
}

static size_t add(char *buf, size_t cap, size_t used, const char *key, const char *val)
{
	if (!val || used >= cap)
		return used;
	int n = snprintf(buf + used, cap - used, "%s=%s\n", key, val);
	return n > 0 && (size_t)n < cap - used ? used + (size_t)n : used;
}

static size_t add_addr(char *buf, size_t cap, size_t used, const char *key, struct in_addr a)
{
	char s[INET_ADDRSTRLEN];
	if (a.s_addr == INADDR_ANY)
		return used;
	return add(buf, cap, used, key, inet_ntop(AF_INET, &a, s, sizeof(s)));
}

static size_t facts_text(const struct boot_facts *f, char *buf, size_t cap)
{
	size_t n = 0;
	const struct net_lease *l = f->lease;
	if (l) {
		char mac[MAC_TEXT_MAX], prefix[8];
		mac_format(l->mac, ':', mac);
		snprintf(prefix, sizeof(prefix), "%d", l->prefix);
		n = add(buf, cap, n, "INTERFACE", l->ifname);
		n = add(buf, cap, n, "MAC", mac);
		n = add(buf, cap, n, "METHOD", l->via_dhcp ? "dhcp" : "static");
		n = add_addr(buf, cap, n, "IP", l->addr);
		n = add(buf, cap, n, "PREFIX", prefix);
		n = add_addr(buf, cap, n, "GATEWAY", l->gateway);
		for (int i = 0; i < l->ndns; i++)
			n = add_addr(buf, cap, n, "DNS", l->dns[i]);
		if (!f->hostname && l->hostname[0])
			n = add(buf, cap, n, "HOSTNAME", l->hostname);
		if (l->domain[0])
			n = add(buf, cap, n, "DOMAIN", l->domain);
	}
	n = add(buf, cap, n, "HOSTNAME", f->hostname);
	n = add(buf, cap, n, "MACHINE_ID", f->machine_id);
	n = add(buf, cap, n, "NFS_SERVER", f->server);
	n = add(buf, cap, n, "NFS_PATH", f->root_path);
	n = add(buf, cap, n, "NFS_SOURCE", f->nfs_source);
	n = add(buf, cap, n, "NFS_RESOLVED", f->nfs_resolved);
	n = add(buf, cap, n, "IMAGE_VERSION", f->image_version);
	n = add(buf, cap, n, "OVERLAY_SIZE", f->overlay_size);
	n = add(buf, cap, n, "INIT", f->init);
	return n;
}

int state_env(const struct boot_facts *f, const char *stage, char *buf, size_t cap, char *env[], int max)
{
	int n = 0, k = snprintf(buf, cap, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\nNFSINIT_STAGE=%s\nNEWROOT=%s\n",
				stage, NFSINIT_NEWROOT);
	size_t used = k > 0 && (size_t)k < cap ? (size_t)k : 0;
	used += facts_text(f, buf + used, cap - used);
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

void state_save_log(void)
{
	size_t len;
	const char *log = log_buffer(&len);
	(void)mkdir(NFSINIT_RUN, 0755);
	(void)write_file(NFSINIT_RUN "/log", log, len);
}

void state_save(const struct boot_facts *f)
{
	char buf[4096];
	size_t len, n = 0;
	const char *log;
	int rc;

	(void)mkdir(NFSINIT_RUN, 0755);
	for (int i = 0; i < nstages && n < sizeof(buf); i++) {
		long long end = stages[i].end_ms < 0 ? uptime_ms() : stages[i].end_ms;
		int k = snprintf(buf + n, sizeof(buf) - n, "%-10s %lld.%03lld %lld.%03lld %lld\n", stages[i].name,
				 stages[i].start_ms / 1000, stages[i].start_ms % 1000, end / 1000, end % 1000,
				 end - stages[i].start_ms);
		if (k < 0 || (size_t)k >= sizeof(buf) - n)
			break;
		n += (size_t)k;
	}
	if ((rc = write_file(NFSINIT_RUN "/stages", buf, n)))
		logerr(rc, "state: writing %s/stages", NFSINIT_RUN);
	n = facts_text(f, buf, sizeof(buf));
	if ((rc = write_file(NFSINIT_RUN "/facts", buf, n)))
		logerr(rc, "state: writing %s/facts", NFSINIT_RUN);
	log = log_buffer(&len);
	if ((rc = write_file(NFSINIT_RUN "/log", log, len)))
		logerr(rc, "state: writing %s/log", NFSINIT_RUN);
}
