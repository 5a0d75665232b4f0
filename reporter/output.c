#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "log.h"
#include "prom.h"

int outputs_open(struct output_set *o, const struct netmon_config *cfg, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < cfg->n_outputs; i++) {
		const struct output *out = &cfg->outputs[i];
		int fd = -1;
		switch (out->kind) {
		case OUTPUT_STDOUT:
			fd = STDOUT_FILENO;
			o->name[o->n] = "stdout";
			break;
		case OUTPUT_FILE:
			fd = open(out->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
			if (fd < 0) {
				snprintf(err, errlen, "cannot open output file %s: %s", out->path,
					 strerror(errno));
				outputs_close(o);
				return -1;
			}
			o->name[o->n] = out->path;
			break;
		case OUTPUT_PROMETHEUS:
			o->name[o->n] = out->path;
			break;
		case OUTPUT_HTTP:
			snprintf(err, errlen, "output 'http' is not available in this version "
				 "(use stdout or file:PATH)");
			outputs_close(o);
			return -1;
		}
		o->kind[o->n] = out->kind;
		o->fd[o->n++] = fd;
	}
	return 0;
}

static void write_prometheus(const char *path, const json_t *snap)
{
	size_t len;
	char *text = prom_render(snap, &len);
	if (!text) {
		log_warnx("output prometheus:%s: out of memory", path);
		return;
	}
	if (prom_write_file(path, text, len) != 0)
		log_warn("output prometheus:%s", path);
	free(text);
}

void outputs_write(struct output_set *o, const json_t *snap, const char *line, size_t len)
{
	for (size_t i = 0; i < o->n; i++) {
		if (o->kind[i] == OUTPUT_PROMETHEUS) {
			write_prometheus(o->name[i], snap);
			continue;
		}
		struct iovec iov[2] = {
			{ .iov_base = (void *)line, .iov_len = len },
			{ .iov_base = "\n", .iov_len = 1 },
		};
		/* one writev per snapshot keeps each JSON line whole */
		ssize_t n = writev(o->fd[i], iov, 2);
		if (n != (ssize_t)(len + 1))
			log_warn("output %s: short write", o->name[i]);
	}
}

void outputs_close(struct output_set *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->fd[i] > STDERR_FILENO)
			close(o->fd[i]);
	o->n = 0;
}
