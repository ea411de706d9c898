#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../common/limits.h"
#include "../common/log.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_hooks(const char *path, char names[][256], int max)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= 256)
			continue;
		strcpy(names[n++], e->d_name);
	}
	closedir(d);
	return n;
}

/* Waits for pid up to timeout_ms; kills it after that. Returns the wait status or -1 on timeout. */
static int wait_bounded(pid_t pid, unsigned timeout_ms)
{
	long long deadline = uptime_ms() + timeout_ms;
	int status;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return 0;
		if (uptime_ms() >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static int run_one(const char *stage, const char *root, const char *path, const char *name, char *const env[])
{
	long long start = uptime_ms();
	pid_t pid = fork();
	if (pid < 0) {
		logerr(errno, "hooks: %s: fork for %s", stage, name);
		return -1;
	}
	if (pid == 0) {
		if (root && (chroot(root) < 0 || chdir("/") < 0))
			_exit(126);
		execle(path, name, stage, (char *)NULL, env);
		_exit(127);
	}
	int status = wait_bounded(pid, HOOK_TIMEOUT_MS);
	long long ms = uptime_ms() - start;
	if (status < 0) {
		logx("hooks: %s/%s killed after %u s (timeout), boot continues", stage, name, HOOK_TIMEOUT_MS / 1000);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		logx("hooks: %s/%s failed (%s %d) after %lld ms, boot continues", stage, name,
		     WIFEXITED(status) ? "exit" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), ms);
		return -1;
	}
	logx("hooks: %s/%s ok (%lld ms)", stage, name, ms);
	return 0;
}

int hooks_run(const char *stage, const char *root, const char *dir, char *const env[])
{
	static char names[HOOKS_MAX][256];
	char *sorted[HOOKS_MAX];
	char full[NI_PATH_MAX], inroot[NI_PATH_MAX];
	int n, failed = 0;

	snprintf(inroot, sizeof(inroot), "%s/%s", dir, stage);
	snprintf(full, sizeof(full), "%s%s", root ? root : "", inroot);
	n = list_hooks(full, names, HOOKS_MAX);
	for (int i = 0; i < n; i++)
		sorted[i] = names[i];
	qsort(sorted, (size_t)n, sizeof(sorted[0]), by_name);
	for (int i = 0; i < n; i++) {
		char path[NI_PATH_MAX + 256], check[NI_PATH_MAX + 256];
		struct stat st;
		snprintf(check, sizeof(check), "%s/%s", full, sorted[i]);
		if (stat(check, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			continue; /* READMEs and disabled (non-executable) hooks */
		snprintf(path, sizeof(path), "%s/%s", root ? inroot : full, sorted[i]);
		if (run_one(stage, root, path, sorted[i], env))
			failed++;
	}
	return failed;
}
