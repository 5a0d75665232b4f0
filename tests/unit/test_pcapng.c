/*
 * capd's pcapng reader: interfaces with their own link types and snapshot
 * lengths, sections in both byte orders, every packet block type, blocks
 * skipped, blocks straddling or outgrowing the buffer, and the error (with
 * the byte offset of the bad block) for every way a file can be corrupt.
 * tests/fuzz/fuzz_pcapng.c compares it with libpcap on arbitrary bytes.
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

#include "capd/pcapng.h"

struct file {
	uint8_t b[1 << 18];
	size_t n;
	bool be;                /* byte order of what is written next */
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

static size_t block_start;

static void begin(struct file *f, uint32_t type)
{
	block_start = f->n;
	put32(f, type);
	put32(f, 0);            /* length: set by end() */
}

static void end(struct file *f)
{
	while (f->n % 4)
		f->b[f->n++] = 0;
	uint32_t len = (uint32_t)(f->n - block_start + 4);
	put32(f, len);
	size_t save = f->n;
	f->n = block_start + 4;
	put32(f, len);
	f->n = save;
}

static void shb(struct file *f, bool be)
{
	f->be = be;
	begin(f, 0x0A0D0D0A);
	put32(f, 0x1A2B3C4D);
	put16(f, 1);
	put16(f, 0);
	put32(f, 0xffffffff);
	put32(f, 0xffffffff);
	end(f);
}

static void idb(struct file *f, uint16_t linktype, uint32_t snaplen)
{
	begin(f, 1);
	put16(f, linktype);
	put16(f, 0);
	put32(f, snaplen);
	end(f);
}

static void bytes(struct file *f, uint32_t n, uint8_t first)
{
	for (uint32_t i = 0; i < n; i++)
		f->b[f->n++] = (uint8_t)(first + i);
}

static void epb(struct file *f, uint32_t iface, uint32_t caplen, uint32_t len, uint8_t first)
{
	begin(f, 6);
	put32(f, iface);
	put32(f, 0);
	put32(f, 0);
	put32(f, caplen);
	put32(f, len);
	bytes(f, caplen, first);
	end(f);
}

static int to_fd(const struct file *f)
{
	int fd = memfd_create("test_pcapng", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->b, f->n), (ssize_t)f->n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void done(struct pcapng *ng)
{
	close(ng->fd);
	pcapng_close(ng);
}

static void expect(struct pcapng *ng, uint32_t iface, int dlt, uint32_t caplen, uint32_t len,
		   uint8_t first)
{
	struct pcapng_record r;
	assert_int_equal(pcapng_next(ng, &r), 1);
	assert_int_equal(r.iface, iface);
	assert_int_equal(r.dlt, dlt);
	assert_int_equal(r.caplen, caplen);
	assert_int_equal(r.len, len);
	for (uint32_t i = 0; i < caplen; i++)
		assert_int_equal(r.data[i], (uint8_t)(first + i));
}

/* Two Ethernet interfaces with different snaplens and a Linux cooked one,
 * read through buffers from tiny (every block straddles refills) to big. */
static void test_multi_interface(void **state)
{
	(void)state;
	static const size_t bufsizes[] = { 12, 13, 50, 100, 4096, PCAPNG_BUF_LEN };
	struct file *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	shb(f, false);
	idb(f, 1, 65535);
	idb(f, 1, 100);
	idb(f, 113, 0);
	epb(f, 0, 60, 60, 1);
	epb(f, 1, 100, 1000, 2);
	epb(f, 2, 44, 44, 3);
	epb(f, 0, 3000, 3000, 4);   /* longer than the small buffers */
	for (size_t i = 0; i < sizeof(bufsizes) / sizeof(bufsizes[0]); i++) {
		struct pcapng ng;
		struct pcapng_record r;
		assert_int_equal(pcapng_open(&ng, to_fd(f), bufsizes[i]), PCAPNG_OK);
		assert_int_equal(ng.first_dlt, DLT_EN10MB);
		assert_int_equal(ng.first_snapshot, 65535);
		expect(&ng, 0, DLT_EN10MB, 60, 60, 1);
		expect(&ng, 1, DLT_EN10MB, 100, 1000, 2);
		expect(&ng, 2, DLT_LINUX_SLL, 44, 44, 3);
		expect(&ng, 0, DLT_EN10MB, 3000, 3000, 4);
		assert_int_equal(pcapng_next(&ng, &r), 0);
		assert_int_equal(ng.records, 4);
		assert_true(ng.mixed_ifaces);
		assert_false(ng.mixed_byte_order);
		done(&ng);
	}
	free(f);
}

/* A second section in the other byte order, with its own interfaces; a
 * simple packet block (cut to the interface's snaplen), an obsolete packet
 * block, and blocks of other types skipped. */
static void test_sections_and_block_types(void **state)
{
	(void)state;
	struct file *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	shb(f, false);
	idb(f, 1, 0);
	begin(f, 4);                /* name resolution block: skipped */
	put32(f, 0);
	end(f);
	epb(f, 0, 20, 20, 5);
	shb(f, true);
	idb(f, 101, 30);            /* raw IP, snaplen 30 */
	begin(f, 3);                /* SPB of a 50-byte packet: 30 captured */
	put32(f, 50);
	bytes(f, 30, 6);
	end(f);
	begin(f, 2);                /* obsolete packet block */
	put16(f, 0);
	put16(f, 0);
	put32(f, 0);
	put32(f, 0);
	put32(f, 10);
	put32(f, 70);
	bytes(f, 10, 7);
	end(f);
	begin(f, 0x40000BAD);       /* a custom block: skipped */
	put32(f, 1);
	end(f);

	struct pcapng ng;
	struct pcapng_record r;
	assert_int_equal(pcapng_open(&ng, to_fd(f), 16), PCAPNG_OK);
	assert_int_equal(ng.first_snapshot, 262144);   /* snaplen 0: the maximum */
	expect(&ng, 0, DLT_EN10MB, 20, 20, 5);
	expect(&ng, 0, DLT_RAW, 30, 50, 6);
	expect(&ng, 0, DLT_RAW, 10, 70, 7);
	assert_int_equal(pcapng_next(&ng, &r), 0);
	assert_true(ng.mixed_byte_order);
	assert_int_equal(ng.sections, 2);
	done(&ng);
	free(f);
}

/* What is not pcapng goes back to the caller. */
static void test_not_mine(void **state)
{
	(void)state;
	struct file f = { .n = 0 };
	struct pcapng ng;
	/* classic pcap */
	put32(&f, 0xa1b2c3d4);
	put32(&f, 0x00040002);
	put32(&f, 0);
	put32(&f, 0);
	put32(&f, 65535);
	put32(&f, 1);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_NOT_MINE);
	done(&ng);
	/* a section header type but no byte-order magic; too short */
	f.n = 0;
	put32(&f, 0x0A0D0D0A);
	put32(&f, 28);
	put32(&f, 0x12345678);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_NOT_MINE);
	done(&ng);
	f.n = 8;
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_NOT_MINE);
	done(&ng);
}

/* Refused at open: a bad first section, packets before an interface, no
 * interface at all, bad interface options. */
static void test_open_errors(void **state)
{
	(void)state;
	struct file f = { .n = 0 };
	struct pcapng ng;

	shb(&f, false);
	f.b[12] = 2;                /* version 2.0 */
	idb(&f, 1, 0);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_ERROR);
	assert_non_null(strstr(ng.error, "unsupported pcapng version 2.0"));
	done(&ng);

	f.n = 0;
	shb(&f, false);
	epb(&f, 0, 4, 4, 0);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_ERROR);
	assert_non_null(strstr(ng.error, "before any interface"));
	assert_int_equal(ng.error_offset, 28);
	done(&ng);

	f.n = 0;
	shb(&f, false);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_ERROR);
	assert_non_null(strstr(ng.error, "no interface description block"));
	done(&ng);

	/* if_tsresol of 2 bytes */
	f.n = 0;
	shb(&f, false);
	begin(&f, 1);
	put16(&f, 1);
	put16(&f, 0);
	put32(&f, 0);
	put16(&f, 9);
	put16(&f, 2);
	put32(&f, 6);
	end(&f);
	assert_int_equal(pcapng_open(&ng, to_fd(&f), 64), PCAPNG_ERROR);
	assert_non_null(strstr(ng.error, "if_tsresol"));
	done(&ng);
}

/* A good file of three packets, then one way to spoil its third block: the
 * first two packets come out, then the error naming the third block's
 * offset. */
static void check_spoiled(struct file *f, size_t third, const char *want)
{
	struct pcapng ng;
	struct pcapng_record r;
	assert_int_equal(pcapng_open(&ng, to_fd(f), 40), PCAPNG_OK);
	expect(&ng, 0, DLT_EN10MB, 30, 30, 1);
	expect(&ng, 0, DLT_EN10MB, 30, 30, 2);
	assert_int_equal(pcapng_next(&ng, &r), -1);
	if (!strstr(ng.error, want))
		fail_msg("error '%s' lacks '%s'", ng.error, want);
	assert_int_equal(ng.error_offset, third);
	assert_int_equal(ng.records, 2);
	done(&ng);
}

static void test_corrupt_blocks(void **state)
{
	(void)state;
	struct file *good = calloc(1, sizeof(*good)), *f = calloc(1, sizeof(*f));
	assert_non_null(good);
	assert_non_null(f);
	shb(good, false);
	idb(good, 1, 1000);
	epb(good, 0, 30, 30, 1);
	epb(good, 0, 30, 30, 2);
	size_t third = good->n;
	epb(good, 0, 30, 30, 3);

	*f = *good;
	f->n = third + 40;          /* cut inside the block */
	check_spoiled(f, third, "truncated block: 40 of 64 bytes");
	f->n = third + 5;           /* cut inside the block header */
	check_spoiled(f, third, "truncated block header: 5 of 8 bytes");
	*f = *good;
	f->b[f->n - 4] = 60;        /* trailer */
	check_spoiled(f, third, "in the trailer differ");
	*f = *good;
	f->b[third + 4] = 62;       /* length not a multiple of 4 */
	check_spoiled(f, third, "not a multiple of 4");
	*f = *good;
	f->b[third + 4] = 8;        /* under the minimum */
	check_spoiled(f, third, "under the minimum");
	*f = *good;
	f->b[third + 7] = 0x7f;     /* 2 GiB */
	check_spoiled(f, third, "over the maximum");
	*f = *good;
	f->b[third + 8] = 3;        /* interface 3 */
	check_spoiled(f, third, "interface 3, which has no interface description block");
	*f = *good;
	f->b[third + 20] = 0xe9;    /* caplen 1001 > snaplen 1000 */
	f->b[third + 21] = 0x03;
	check_spoiled(f, third, "over interface 0's snapshot length 1000");
	*f = *good;
	f->b[third + 20] = 200;     /* caplen 200 in a 64-byte block */
	check_spoiled(f, third, "over the block's 32 bytes");  /* 30 and padding */
	*f = *good;
	f->b[third + 4] = 24;       /* an EPB too short for its fields */
	f->n = third + 20;
	put32(f, 24);
	check_spoiled(f, third, "enhanced packet block too short");
	free(good);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multi_interface),
		cmocka_unit_test(test_sections_and_block_types),
		cmocka_unit_test(test_not_mine),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_corrupt_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
