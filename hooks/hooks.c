#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "policy.h"
#include "../common/dir.h"
#include "../common/limits.h"
#include "../common/log.h"

bool hooks_stage_known(const char *name)
{
	static const char *const stages[HOOKS_NSTAGES] = {
		HOOKS_EARLY, HOOKS_PRE_NET, HOOKS_PRE_MOUNT, HOOKS_PRE_SWITCH,
	};
	for (size_t i = 0; i < HOOKS_NSTAGES; i++)
		if (!strcmp(name, stages[i]))
			return true;
	return false;
}

/* At most HOOKS_MAX names: an insertion sort, not qsort (2 kB of libc). */
static void sort_names(char **v, int n)
{
	for (int i = 1; i < n; i++) {
		char *x = v[i];
		int j = i;
		for (; j > 0 && strcmp(v[j - 1], x) > 0; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int list_hooks(const char *path, char names[][HOOK_NAME_MAX], int max)
{
	struct dir_reader d;
	struct dirent *e;
	int n = 0;
	if (dir_open(&d, AT_FDCWD, path))
		return 0;
	while ((e = dir_next(&d))) {
		if (e->d_name[0] == '.')
			continue;
		if (strlen(e->d_name) >= HOOK_NAME_MAX || n == max) {
			logx("hooks: %s/%s skipped: name too long or more than %d hooks", path, e->d_name, max);
			continue;
		}
		strcpy(names[n++], e->d_name);
	}
	dir_close(&d);
	return n;
}

/* Output of one hook, cut into console lines. */
struct outbuf {
	const char *stage, *name;
	char line[HOOK_LINE_MAX];
	size_t len;
};

static void out_flush(struct outbuf *o)
{
	if (o->len) {
		o->line[o->len] = '\0';
		logx("hook %s/%s: %s", o->stage, o->name, o->line);
		o->len = 0;
	}
}

static void out_add(struct outbuf *o, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || o->len == sizeof(o->line) - 1) {
			out_flush(o);
			if (buf[i] == '\n')
				continue;
		}
		if (buf[i] != '\r')
			o->line[o->len++] = buf[i];
	}
}

/* Relays the hook's output until it exits or the deadline passes; then the
 * whole process group is killed, so a hook's own children cannot hang the
 * boot either. Returns the wait status, or -ETIMEDOUT. */
static int relay_and_wait(pid_t pid, int fd, unsigned timeout_ms, struct outbuf *o)
{
	long long deadline = uptime_ms() + timeout_ms;
	bool open_fd = true;
	int status;
	char buf[512];

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			/* What it wrote before exiting; children holding the pipe
			 * open must not keep us here. */
			ssize_t n;
			(void)fcntl(fd, F_SETFL, O_NONBLOCK);
			while (open_fd && (n = read(fd, buf, sizeof(buf))) > 0)
				out_add(o, buf, (size_t)n);
			out_flush(o);
			return status;
		}
		long long left = deadline - uptime_ms();
		if (left <= 0) {
			out_flush(o);
			/* ESRCH (already gone) is what we want anyway. */
			(void)kill(-pid, SIGKILL);
			(void)kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -ETIMEDOUT;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		int wait = left < 100 ? (int)left : 100;
		if (!open_fd) {
			(void)poll(NULL, 0, wait); /* a sleep */
			continue;
		}
		if (poll(&p, 1, wait) > 0) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n > 0)
				out_add(o, buf, (size_t)n);
			else if (n == 0 || errno != EINTR)
				open_fd = false;
		}
	}
}

static bool is_script(const char *path)
{
	char head[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool yes = fd >= 0 && read(fd, head, 2) == 2 && head[0] == '#' && head[1] == '!';
	if (fd >= 0)
		close(fd);
	return yes;
}

/* The forked hook's last words, on its own output (no stdio in /init). */
__attribute__((noreturn)) static void child_fail(int status, const char *what, const char *path, int err)
{
	char msg[NI_PATH_MAX + 128];
	int n = snprintf(msg, sizeof(msg), "%s %s: %s\n", what, path, strerror(err));
	if (n > 0)
		(void)!write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	_exit(status);
}

static void child(const char *stage, const char *root, const char *path, const char *name, int out,
		  char *const env[])
{
	int null = open("/dev/null", O_RDONLY);
	/* In the child: a failure here shows as the hook's own failure (no
	 * output, or a hook the timeout kills alone), reported by the parent. */
	(void)setpgid(0, 0);
	if (null >= 0)
		(void)dup2(null, 0);
	(void)dup2(out, 1);
	(void)dup2(out, 2);
	if (root && (chroot(root) < 0 || chdir("/") < 0)) {
		child_fail(126, "cannot chroot into", root, errno);
	}
	execle(path, name, stage, (char *)NULL, env);
	int err = errno;
	/* A script whose #! interpreter the image lacks (an image with only
	 * /bin/busybox, no /bin/sh link) runs under busybox's own sh. */
	if (err == ENOENT && is_script(path) && access("/bin/busybox", X_OK) == 0) {
		execle("/bin/busybox", "sh", path, stage, (char *)NULL, env);
		err = errno;
	}
	child_fail(127, "cannot execute", path, err);
}

/* Returns 0 if the hook succeeded; -errno when it could not be started,
 * -ETIMEDOUT when it was killed, -ECANCELED when it failed. Logs which. */
static int run_one(const char *stage, const char *root, const char *path, const char *name,
		   const struct hook_policy *pol, char *const env[])
{
	long long start = uptime_ms();
	struct outbuf o = { stage, name, "", 0 };
	const char *then = pol->required ? "required hook: the boot fails" : "boot continues";
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		int e = errno;
		logerr(e, "hooks: %s/%s: pipe", stage, name);
		return -e;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		logerr(e, "hooks: %s/%s: fork", stage, name);
		close(pfd[0]);
		close(pfd[1]);
		return -e;
	}
	if (pid == 0)
		child(stage, root, path, name, pfd[1], env);
	close(pfd[1]);
	int status = relay_and_wait(pid, pfd[0], pol->timeout_ms, &o);
	close(pfd[0]);
	long long ms = uptime_ms() - start;
	if (status < 0) {
		logx("hooks: %s/%s killed after %u s (timeout); %s", stage, name, pol->timeout_ms / 1000, then);
		return status;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		logx("hooks: %s/%s failed (%s %d) after %lld ms; %s", stage, name,
		     WIFEXITED(status) ? "exit" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		     ms, then);
		return -ECANCELED;
	}
	logx("hooks: %s/%s ok (%lld ms)", stage, name, ms);
	return 0;
}

/* The shared root's hooks run chrooted into it before the switch, when it
 * has no /proc, /sys or /dev yet: lend it ours for the while (the switch
 * moves the real ones there afterwards). Returns a bitmask of what was bound. */
static const char *const lent[] = { "/proc", "/sys", "/dev" };

static unsigned lend_api_fs(const char *root)
{
	unsigned bound = 0;
	for (unsigned i = 0; i < sizeof(lent) / sizeof(lent[0]); i++) {
		char at[NI_PATH_MAX];
		snprintf(at, sizeof(at), "%s%s", root, lent[i]);
		(void)mkdir(at, 0755);
		if (mount(lent[i], at, NULL, MS_BIND | MS_REC, NULL) == 0)
			bound |= 1u << i;
		else
			logerr(errno, "hooks: binding %s into %s for its hooks", lent[i], root);
	}
	return bound;
}

static void return_api_fs(const char *root, unsigned bound)
{
	for (unsigned i = 0; i < sizeof(lent) / sizeof(lent[0]); i++) {
		char at[NI_PATH_MAX];
		snprintf(at, sizeof(at), "%s%s", root, lent[i]);
		if ((bound & (1u << i)) && umount2(at, MNT_DETACH) < 0)
			logerr(errno, "hooks: unmounting %s", at);
	}
}

/* Hooks chrooted into root see it as "/": their NEWROOT says so (the
 * caller's is the initramfs's path to the same tree). */
static char *const *env_in_root(char *const env[], char *out[], int max)
{
	static char slash[] = "NEWROOT=/";
	int n = 0;
	for (; env[n] && n < max - 1; n++)
		out[n] = strncmp(env[n], "NEWROOT=", 8) ? env[n] : slash;
	out[n] = NULL;
	return out;
}

int hooks_run(const char *stage, const char *root, const char *dir, char *const env[],
	      unsigned default_timeout_ms, char *failed, size_t failedcap)
{
	static char names[HOOKS_MAX][HOOK_NAME_MAX];
	char *sorted[HOOKS_MAX];
	char full[NI_PATH_MAX], inroot[NI_PATH_MAX];
	struct err_reason why;
	char *rootenv[HOOKS_ENV_MAX];
	int n;

	if (root)
		env = env_in_root(env, rootenv, HOOKS_ENV_MAX);
	snprintf(inroot, sizeof(inroot), "%s/%s", dir, stage);
	if (snprintf(full, sizeof(full), "%s%s", root ? root : "", inroot) >= (int)sizeof(full))
		return 0;
	n = list_hooks(full, names, HOOKS_MAX);
	for (int i = 0; i < n; i++)
		sorted[i] = names[i];
	sort_names(sorted, n);
	unsigned bound = root && n ? lend_api_fs(root) : 0;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char path[NI_PATH_MAX + HOOK_NAME_MAX], check[NI_PATH_MAX + HOOK_NAME_MAX];
		struct hook_policy pol;
		struct stat st;
		snprintf(check, sizeof(check), "%s/%s", full, sorted[i]);
		if (stat(check, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			continue; /* READMEs and disabled (non-executable) hooks */
		if (hook_policy_parse(sorted[i], default_timeout_ms, &pol, &why))
			logx("hooks: %s (using %u s)", why.msg, pol.timeout_ms / 1000);
		snprintf(path, sizeof(path), "%s/%s", root ? inroot : full, sorted[i]);
		if (run_one(stage, root, path, sorted[i], &pol, env) && pol.required) {
			snprintf(failed, failedcap, "%s", check);
			rc = -ECANCELED;
		}
	}
	if (root)
		return_api_fs(root, bound);
	return rc;
}
