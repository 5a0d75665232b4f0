#include "offline.h"

#include <inttypes.h>
#include <pcap/pcap.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "account.h"
#include "decode.h"
#include "dump.h"
#include "log.h"
#include "pcapfile.h"
#include "pcapng.h"
#include "sandbox.h"
#include "table.h"

struct offline_ctx {
	struct capd_account acct;
	int dlt;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct offline_ctx *ctx = (struct offline_ctx *)user;
	capd_account_frame(&ctx->acct, ctx->dlt, bytes, h->caplen, h->len);
}

/* Where libpcap stood in the file when it failed: the end of what it read. */
static long file_offset(pcap_t *p)
{
	FILE *f = pcap_file(p);
	return f ? ftell(f) : -1;
}

/* The file, read by pcapfile.c when it is a classic pcap file it takes, by
 * pcapng.c when it is a pcapng file, by libpcap otherwise (pipes, old
 * versions, other link types). */
struct offline_source {
	const char *path;
	struct pcapfile pf;
	struct pcapng ng;
	bool is_pcapng;         /* ng is in use */
	pcap_t *pcap;           /* NULL: pf or ng is in use */
	int dlt;                /* the (first) interface's link type */
	uint64_t skipped;       /* pcapng: packets of interfaces capd cannot decode */
	int skipped_dlt;        /* the first of those interfaces' link types */
};

static int open_libpcap(struct offline_source *s, int fd)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		log_warn("%s", s->path);
		close(fd);
		return -1;
	}
	s->pcap = pcap_fopen_offline(f, errbuf);
	if (!s->pcap) {
		log_warnx("%s: %s", s->path, errbuf);
		fclose(f);
		return -1;
	}
	s->dlt = pcap_datalink(s->pcap);
	return 0;
}

/* Open the file ("-" = standard input). Returns 0, or -1 after logging. */
static int source_open(struct offline_source *s, const char *path)
{
	struct stat st;
	memset(s, 0, sizeof(*s));
	s->path = path;
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("%s", path);
		return -1;
	}
	/* Only a regular file can be rewound for libpcap after a look at its
	 * header; a pipe goes to libpcap from the first byte. */
	off_t start = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? lseek(fd, 0, SEEK_CUR) : -1;
	if (start < 0)
		return open_libpcap(s, fd);
	switch (pcapfile_open(&s->pf, fd, PCAPFILE_BUF_LEN)) {
	case PCAPFILE_OK:
		s->dlt = s->pf.dlt;
		return 0;
	case PCAPFILE_ERROR:
		log_warnx("%s: %s", path, s->pf.error);
		pcapfile_close(&s->pf);
		close(fd);
		return -1;
	case PCAPFILE_NOT_MINE:
		break;
	}
	pcapfile_close(&s->pf);
	if (lseek(fd, start, SEEK_SET) != start) {
		log_warn("%s: rewinding", path);
		close(fd);
		return -1;
	}
	switch (pcapng_open(&s->ng, fd, PCAPNG_BUF_LEN)) {
	case PCAPNG_OK:
		s->is_pcapng = true;
		s->dlt = s->ng.first_dlt;
		return 0;
	case PCAPNG_ERROR:
		log_warnx("%s: %s (at byte offset %" PRIu64 ")", path, s->ng.error,
			  s->ng.error_offset);
		pcapng_close(&s->ng);
		close(fd);
		return -1;
	case PCAPNG_NOT_MINE:
		break;
	}
	pcapng_close(&s->ng);
	if (lseek(fd, start, SEEK_SET) != start) {
		log_warn("%s: rewinding", path);
		close(fd);
		return -1;
	}
	return open_libpcap(s, fd);
}

static void source_close(struct offline_source *s)
{
	if (s->pcap) {
		pcap_close(s->pcap);  /* closes the file too */
		return;
	}
	if (s->is_pcapng) {
		pcapng_close(&s->ng);
		close(s->ng.fd);
		return;
	}
	pcapfile_close(&s->pf);
	close(s->pf.fd);
}

/* pcapng: every record with its own interface's link type; records of an
 * interface capd cannot decode are skipped and counted (the first
 * interface's link type was checked at open). */
static int source_account_pcapng(struct offline_source *s, struct offline_ctx *ctx,
				 char *err, size_t errlen)
{
	struct pcapng_record rec;
	int rc, ok_dlt = s->dlt;

	while ((rc = pcapng_next(&s->ng, &rec)) > 0) {
		if (rec.dlt != ok_dlt) {
			if (!capd_decode_supported(rec.dlt)) {
				if (s->skipped++ == 0)
					s->skipped_dlt = rec.dlt;
				continue;
			}
			ok_dlt = rec.dlt;
		}
		capd_account_frame(&ctx->acct, rec.dlt, rec.data, rec.caplen, rec.len);
	}
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "%s: %s (at byte offset %" PRIu64 ", after %" PRIu64 " packets)",
		 s->path, s->ng.error, s->ng.error_offset, s->ng.records);
	return -1;
}

/* Account every record. Returns 0 at the end of the file, -1 with the
 * error line (what is wrong with the file and where) in err. */
static int source_account(struct offline_source *s, struct offline_ctx *ctx, char *err,
			  size_t errlen)
{
	if (s->pcap) {
		if (pcap_loop(s->pcap, -1, on_packet, (u_char *)ctx) != PCAP_ERROR)
			return 0;
		snprintf(err, errlen, "%s: %s (at byte offset %ld, after %" PRIu64 " packets)",
			 s->path, pcap_geterr(s->pcap), file_offset(s->pcap), ctx->acct.frames);
		return -1;
	}
	if (s->is_pcapng)
		return source_account_pcapng(s, ctx, err, errlen);
	struct pcapfile_record rec;
	int rc;
	while ((rc = pcapfile_next(&s->pf, &rec)) > 0)
		capd_account_frame(&ctx->acct, ctx->dlt, rec.data, rec.caplen, rec.len);
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "%s: %s (at byte offset %" PRIu64 ", after %" PRIu64 " packets)",
		 s->path, s->pf.error, s->pf.error_offset, ctx->acct.frames);
	return -1;
}

int capd_offline_run(const struct capd_offline_opts *o, FILE *out)
{
	struct offline_source src;
	struct capd_table table;
	struct offline_ctx ctx;
	int status = 1;

	if (source_open(&src, o->path) != 0)
		return 1;
	ctx.dlt = src.dlt;
	if (!capd_decode_supported(ctx.dlt)) {
		const char *name = pcap_datalink_val_to_name(ctx.dlt);
		log_warnx("%s: link type %d (%s) is not supported: %s", o->path, ctx.dlt,
			  name ? name : "unknown", capd_decode_unsupported_reason(ctx.dlt));
		source_close(&src);
		return 1;
	}
	if (capd_table_init_random(&table, o->max_devices) != 0) {
		log_warn("%s: table of %" PRIu32 " entries", o->path, o->max_devices);
		source_close(&src);
		return 1;
	}
	capd_account_init(&ctx.acct, &table, o->networks, o->all_addresses);

	/* fatal on failure, like every daemon's confinement */
	daemon_confine_as(o->user, ROLE_CAPD, o->dump ? SANDBOX_STDOUT : 0, false);
	if (o->test)
		daemon_test_hooks(o->test);
	/* A truncated or corrupt file: the counters of every complete record
	 * still go out, then the error line. */
	char read_error[512];
	int read_status = source_account(&src, &ctx, read_error, sizeof(read_error));
	if (src.skipped > 0) {
		const char *name = pcap_datalink_val_to_name(src.skipped_dlt);
		log_warnx("%s: %" PRIu64 " packets not counted: their interfaces' link types "
			  "are not supported (link type %d (%s): %s)", o->path, src.skipped,
			  src.skipped_dlt, name ? name : "unknown",
			  capd_decode_unsupported_reason(src.skipped_dlt));
	}
	if (table.evictions > 0)
		log_warnx("%s: table full (%" PRIu32 " entries): %" PRIu64
			  " entries evicted, their counters are not in the output",
			  o->path, table.capacity, table.evictions);
	if (o->dump && capd_dump_json(&table, out) != 0) {
		log_warn("writing the dump");
		goto done;
	}
	if (!o->dump)
		log_info("%s: %" PRIu64 " packets, %" PRIu64 " bytes, %" PRIu32
			 " table entries, %" PRIu64 " evictions", o->path, ctx.acct.frames,
			 ctx.acct.bytes, capd_table_count(&table), table.evictions);
	if (read_status != 0) {
		log_warnx("%s", read_error);
		goto done;
	}
	status = 0;
done:
	capd_table_free(&table);
	source_close(&src);
	return status;
}
