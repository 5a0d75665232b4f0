/*
 * capd's pcap file reader: which files it takes (the rest go to libpcap),
 * both byte orders and both time resolutions, records that straddle the
 * buffer or outgrow it, cutting at the snapshot length, and the error (and
 * the byte offset of the bad record) for every way a file can be corrupt.
 * tests/fuzz/fuzz_pcapfile.c compares it with libpcap on arbitrary bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "capd/pcapfile.h"

/* A pcap file built in memory, written to a memfd for the reader. */
struct file {
	uint8_t b[1 << 19];
	size_t n;
	bool be;
};

static void put32(struct file *f, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		f->b[f->n++] = (uint8_t)(f->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(struct file *f, uint16_t v)
{
	f->b[f->n++] = (uint8_t)(f->be ? v >> 8 : v);
	f->b[f->n++] = (uint8_t)(f->be ? v : v >> 8);
}

static void header(struct file *f, bool be, uint32_t magic, uint16_t minor, uint32_t snaplen,
		   uint32_t linktype)
{
	f->n = 0;
	f->be = be;
	put32(f, magic);
	put16(f, 2);
	put16(f, minor);
	put32(f, 0);
	put32(f, 0);
	put32(f, snaplen);
	put32(f, linktype);
}

/* A record whose bytes are i, i+1, ... (mod 256). */
static void record(struct file *f, uint32_t caplen, uint32_t len, uint8_t first)
{
	put32(f, 1700000000);
	put32(f, 0);
	put32(f, caplen);
	put32(f, len);
	for (uint32_t i = 0; i < caplen; i++)
		f->b[f->n++] = (uint8_t)(first + i);
}

static int to_fd(const struct file *f)
{
	int fd = memfd_create("test_pcapfile", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->b, f->n), (ssize_t)f->n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static enum pcapfile_open_status open_file(struct pcapfile *pf, const struct file *f,
					   size_t bufsize)
{
	return pcapfile_open(pf, to_fd(f), bufsize);
}

static void done(struct pcapfile *pf)
{
	close(pf->fd);
	pcapfile_close(pf);
}

static void expect_record(struct pcapfile *pf, uint32_t caplen, uint32_t len, uint8_t first)
{
	struct pcapfile_record rec;
	assert_int_equal(pcapfile_next(pf, &rec), 1);
	assert_int_equal(rec.caplen, caplen);
	assert_int_equal(rec.len, len);
	for (uint32_t i = 0; i < caplen; i++)
		assert_int_equal(rec.data[i], (uint8_t)(first + i));
}

static void expect_end(struct pcapfile *pf)
{
	struct pcapfile_record rec;
	assert_int_equal(pcapfile_next(pf, &rec), 0);
}

static void expect_error(struct pcapfile *pf, const char *what, uint64_t offset)
{
	struct pcapfile_record rec;
	assert_int_equal(pcapfile_next(pf, &rec), -1);
	assert_non_null(strstr(pf->error, what));
	assert_int_equal(pf->error_offset, offset);
}

static struct file f;

static void test_both_byte_orders_and_resolutions(void **state)
{
	(void)state;
	static const uint32_t magics[] = { 0xa1b2c3d4u, 0xa1b23c4du };
	for (int be = 0; be < 2; be++) {
		for (size_t m = 0; m < 2; m++) {
			struct pcapfile pf;
			header(&f, be, magics[m], 4, 65535, 1);
			record(&f, 60, 60, 0);
			record(&f, 54, 1514, 7);
			assert_int_equal(open_file(&pf, &f, PCAPFILE_BUF_LEN), PCAPFILE_OK);
			assert_int_equal(pf.dlt, DLT_EN10MB);
			assert_int_equal(pf.snapshot, 65535);
			expect_record(&pf, 60, 60, 0);
			expect_record(&pf, 54, 1514, 7);
			expect_end(&pf);
			assert_int_equal(pf.records, 2);
			done(&pf);
		}
	}
}

static void test_link_types(void **state)
{
	(void)state;
	static const struct { uint32_t linktype; int dlt; } map[] = {
		{ 1, DLT_EN10MB }, { 101, DLT_RAW }, { 113, DLT_LINUX_SLL },
		{ 276, DLT_LINUX_SLL2 }, { 228, DLT_IPV4 }, { 229, DLT_IPV6 },
		{ 0, DLT_NULL }, { 108, DLT_LOOP }, { 9, DLT_PPP }, { 50, DLT_PPP_SERIAL },
		{ 12, DLT_RAW }, { 14, 14 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct pcapfile pf;
		header(&f, false, 0xa1b2c3d4u, 4, 65535, map[i].linktype);
		assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_OK);
		assert_int_equal(pf.dlt, map[i].dlt);
		expect_end(&pf);
		done(&pf);
	}
}

/* Everything else is libpcap's to read (or to refuse). */
static void test_not_mine(void **state)
{
	(void)state;
	struct pcapfile pf;
	header(&f, false, 0x0a0d0d0au, 4, 65535, 1);   /* pcapng */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
	header(&f, false, 0xa1b2cd34u, 4, 65535, 1);   /* Kuznetzov's patched format */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
	header(&f, false, 0xa1b2c3d4u, 3, 65535, 1);   /* 2.3: lengths maybe swapped */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
	header(&f, false, 0xa1b2c3d4u, 4, 65535, 127);  /* 802.11 radiotap: libpcap's refusal */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
	header(&f, false, 0xa1b2c3d4u, 4, 65535, 1 | 0x10000000u);  /* FCS bits */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
	header(&f, false, 0xa1b2c3d4u, 4, 65535, 1);
	f.n = 23;                                       /* short file header */
	assert_int_equal(open_file(&pf, &f, 64), PCAPFILE_NOT_MINE);
	done(&pf);
}

/* A 1-byte buffer: every record straddles a refill and grows the buffer. */
static void test_tiny_buffer_and_growth(void **state)
{
	(void)state;
	struct pcapfile pf;
	header(&f, true, 0xa1b2c3d4u, 4, 0, 1);
	for (int i = 0; i < 50; i++)
		record(&f, (uint32_t)(i * 37 % 1500), 1500, (uint8_t)i);
	record(&f, PCAPFILE_MAX_CAPLEN, PCAPFILE_MAX_CAPLEN, 9);  /* the largest allowed */
	record(&f, 0, 0, 0);
	assert_int_equal(open_file(&pf, &f, 1), PCAPFILE_OK);
	assert_int_equal(pf.snapshot, PCAPFILE_MAX_CAPLEN);  /* 0 means the maximum */
	for (int i = 0; i < 50; i++)
		expect_record(&pf, (uint32_t)(i * 37 % 1500), 1500, (uint8_t)i);
	expect_record(&pf, PCAPFILE_MAX_CAPLEN, PCAPFILE_MAX_CAPLEN, 9);
	expect_record(&pf, 0, 0, 0);
	expect_end(&pf);
	done(&pf);
}

static void test_cut_at_snapshot(void **state)
{
	(void)state;
	struct pcapfile pf;
	header(&f, false, 0xa1b2c3d4u, 4, 40, 1);
	record(&f, 100, 100, 1);   /* longer than the file's snapshot length */
	record(&f, 30, 100, 2);
	assert_int_equal(open_file(&pf, &f, 17), PCAPFILE_OK);
	expect_record(&pf, 40, 100, 1);  /* the rest of it is skipped */
	expect_record(&pf, 30, 100, 2);
	expect_end(&pf);
	done(&pf);
}

static void test_corrupt_files(void **state)
{
	(void)state;
	struct pcapfile pf;
	size_t bufs[] = { 1, 64, PCAPFILE_BUF_LEN };
	for (size_t b = 0; b < sizeof(bufs) / sizeof(bufs[0]); b++) {
		/* record 2 (at byte 24 + 16 + 60 = 100) cut inside its header */
		header(&f, false, 0xa1b2c3d4u, 4, 65535, 1);
		record(&f, 60, 60, 0);
		record(&f, 60, 60, 0);
		f.n = 100 + 9;
		assert_int_equal(open_file(&pf, &f, bufs[b]), PCAPFILE_OK);
		expect_record(&pf, 60, 60, 0);
		expect_error(&pf, "truncated record header: 9 of 16", 100);
		done(&pf);

		/* ... cut inside its data */
		f.n = 100 + 16 + 59;
		assert_int_equal(open_file(&pf, &f, bufs[b]), PCAPFILE_OK);
		expect_record(&pf, 60, 60, 0);
		expect_error(&pf, "truncated record: 59 of 60", 100);
		done(&pf);

		/* ... claiming more than libpcap ever allows */
		header(&f, false, 0xa1b2c3d4u, 4, 65535, 1);
		record(&f, 60, 60, 0);
		put32(&f, 0);
		put32(&f, 0);
		put32(&f, PCAPFILE_MAX_CAPLEN + 1);
		put32(&f, 60);
		assert_int_equal(open_file(&pf, &f, bufs[b]), PCAPFILE_OK);
		expect_record(&pf, 60, 60, 0);
		expect_error(&pf, "captured length 262145 is over the maximum", 100);
		done(&pf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_byte_orders_and_resolutions),
		cmocka_unit_test(test_link_types),
		cmocka_unit_test(test_not_mine),
		cmocka_unit_test(test_tiny_buffer_and_growth),
		cmocka_unit_test(test_cut_at_snapshot),
		cmocka_unit_test(test_corrupt_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
