#include "name_filter.h"

#include <linux/if_ether.h>

enum {
	ETH_TYPE_OFF = 12,
	IP4_PROTO_OFF = 14 + 9,
	IP4_FRAG_OFF = 14 + 6,
	IP4_HDR_OFF = 14,
	IP6_NEXT_OFF = 14 + 6,
	IP6_PAYLOAD_OFF = 14 + 40,
	PROTO_UDP = 17,
	PROTO_ICMPV6 = 58,
};

/* Jump offsets are relative to the next instruction; the labels in the
 * comments give the absolute index each jump lands on. */
static struct sock_filter arpd_filter[] = {
	/*  0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, ETH_TYPE_OFF),
	/*  1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 23, 0),     /* -> 25 accept */
	/*  2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021Q, 22, 0),   /* -> 25 */
	/*  3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_8021AD, 21, 0),  /* -> 25 */
	/*  4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 9, 0),       /* -> 14 ipv4 */
	/*  5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 20),    /* else -> 26 drop */
	/* ipv6 */
	/*  6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, IP6_NEXT_OFF),
	/*  7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROTO_ICMPV6, 1, 0),   /* -> 9 */
	/*  8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROTO_UDP, 3, 17),     /* -> 12 udp6, else 26 */
	/*  9 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, IP6_PAYLOAD_OFF),       /* ICMPv6 type */
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 133, 0, 15),           /* < 133 -> 26 */
	/* 11 */ BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 136, 14, 13),          /* > 136 -> 26, else 25 */
	/* udp6 */
	/* 12 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, IP6_PAYLOAD_OFF),       /* source port */
	/* 13 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5353, 11, 12),         /* -> 25 / 26 */
	/* ipv4 */
	/* 14 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, IP4_PROTO_OFF),
	/* 15 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROTO_UDP, 0, 10),     /* else -> 26 */
	/* 16 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, IP4_FRAG_OFF),
	/* 17 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 8, 0),        /* later fragment -> 26 */
	/* 18 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, IP4_HDR_OFF),          /* X = IHL * 4 */
	/* 19 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, IP4_HDR_OFF),           /* source port */
	/* 20 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5353, 4, 0),           /* -> 25 */
	/* 21 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 137, 3, 0),            /* -> 25 */
	/* 22 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 68, 0, 3),             /* else -> 26 */
	/* 23 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, IP4_HDR_OFF + 2),       /* destination port */
	/* 24 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 67, 0, 1),             /* -> 25 / 26 */
	/* 25 */ BPF_STMT(BPF_RET | BPF_K, ARPD_FILTER_SNAPLEN),            /* accept */
	/* 26 */ BPF_STMT(BPF_RET | BPF_K, 0),                              /* drop */
};

void arpd_filter_program(struct sock_fprog *prog)
{
	prog->len = (unsigned short)(sizeof(arpd_filter) / sizeof(arpd_filter[0]));
	prog->filter = arpd_filter;
}
