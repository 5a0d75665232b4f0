#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "log.h"

static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

uint64_t loop_once(struct loop *l)
{
	struct pollfd pfd[LOOP_MAX_FDS];
	uint64_t now = mono_ns();
	int nhub = hub_pollfds(l->hub, pfd, HUB_ROLES + HUB_MAX_CONNS);
	int nout = outputs_pollfds(l->out, pfd + nhub, CONFIG_OUTPUTS_MAX);
	int nres = l->res ? resolver_pollfds(l->res, pfd + nhub + nout, RESOLVER_MAX_FDS) : 0;
	int n = nhub + nout + nres;

	/* at least once a second: silent new connections are timed out */
	int timeout = min_timeout(sched_timeout_ms(l->cycle, now), 1000);
	if (l->dlv)
		timeout = min_timeout(timeout, delivery_timeout_ms(l->dlv, now));
	if (l->res)
		timeout = min_timeout(timeout, resolver_timeout_ms(l->res, now));

	int rc;
	if (l->dlv) {
		struct curl_waitfd wfd[LOOP_MAX_FDS];
		int numfds = 0;
		/* free hub slots have fd -1: give curl only real descriptors */
		int packed = 0, map[LOOP_MAX_FDS];
		for (int i = 0; i < n; i++)
			if (pfd[i].fd >= 0) {
				map[packed] = i;
				wfd[packed++] = (struct curl_waitfd){ .fd = pfd[i].fd,
								      .events = (short)pfd[i].events };
			}
		CURLMcode mc = curl_multi_poll(l->dlv->multi, wfd, (unsigned)packed, timeout, &numfds);
		for (int i = 0; i < n; i++)
			pfd[i].revents = 0;
		for (int k = 0; k < packed; k++)
			pfd[map[k]].revents = wfd[k].revents;
		rc = mc == CURLM_OK ? 1 : -1;
		if (mc != CURLM_OK && mc != CURLM_UNRECOVERABLE_POLL)
			log_warnx("curl_multi_poll: %s", curl_multi_strerror(mc));
	} else {
		rc = poll(pfd, (nfds_t)n, timeout);
		if (rc < 0 && errno != EINTR)
			fatal("poll");
	}
	now = mono_ns();
	if (sched_due(l->cycle, now) && l->cycle_due)
		l->cycle_due(l->ctx);
	hub_dispatch(l->hub, pfd, rc > 0 ? nhub : 0, now);
	if (nout)
		outputs_flush(l->out);
	if (l->dlv)
		delivery_step(l->dlv, now);
	if (l->res)     /* after the snapshot: answers only ever fill the names book */
		resolver_process(l->res, pfd + nhub + nout, rc > 0 ? nres : 0, now);
	return now;
}
