/*
 * ia64_decode.h - a small IA-64 bundle decoder: templates, slots, and the instructions a TLB
 * model needs from a system-mode trace (docs/ski-traces.md, "System mode").
 *
 * Decoded in full: the TLB-management instructions (itc, itr, ptc, ptr, mov rr[]=), moves to
 * control registers, psr.l, application registers (the ar.k annotation of tlbkern-annot), rsm /
 * ssm / rfi, and the instructions that load constants into general registers (movl, addl, adds),
 * which operand recovery follows. Every other slot is IA64_OTHER: only its unit and its r1 / r3
 * fields are given, so a caller can forget what such an instruction may overwrite.
 *
 * Encodings: Intel Itanium Architecture Software Developer's Manual, volume 3, chapter 4
 * (instruction formats M29, M30, M32, M35, M41, M42, M44, M45, M47, I26, I27, B8, A4, A5, X2).
 * tests/ski/test_ia64_decode.c checks every decoded slot against GNU objdump.
 */
#ifndef VHPTSIM_IA64_DECODE_H
#define VHPTSIM_IA64_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum ia64_unit {
    IA64_UNIT_NONE = 0, /* a reserved template */
    IA64_UNIT_M,
    IA64_UNIT_I,
    IA64_UNIT_F,
    IA64_UNIT_B,
    IA64_UNIT_L, /* slot 1 of an MLX bundle: the upper immediate of the X slot */
    IA64_UNIT_X
};

enum ia64_op {
    IA64_OTHER = 0,   /* not decoded further */
    IA64_ITC_I,       /* itc.i r2 */
    IA64_ITC_D,       /* itc.d r2 */
    IA64_ITR_I,       /* itr.i itr[r3] = r2 */
    IA64_ITR_D,       /* itr.d dtr[r3] = r2 */
    IA64_PTC_L,       /* ptc.l r3, r2 */
    IA64_PTC_G,       /* ptc.g r3, r2 */
    IA64_PTC_GA,      /* ptc.ga r3, r2 */
    IA64_PTC_E,       /* ptc.e r3 */
    IA64_PTR_I,       /* ptr.i r3, r2 */
    IA64_PTR_D,       /* ptr.d r3, r2 */
    IA64_MOV_TO_RR,   /* mov rr[r3] = r2 */
    IA64_MOV_TO_CR,   /* mov cr[reg] = r2 */
    IA64_MOV_TO_PSR_L, /* mov psr.l = r2 */
    IA64_RSM,         /* rsm imm24 */
    IA64_SSM,         /* ssm imm24 */
    IA64_RFI,         /* rfi */
    IA64_MOV_TO_AR,   /* mov ar[reg] = r2 */
    IA64_MOV_TO_AR_IMM, /* mov ar[reg] = imm8 */
    IA64_MOVL,        /* movl r1 = imm64 (the X slot of MLX) */
    IA64_ADDL,        /* addl r1 = imm22, r3 (r3 is r0..r3) */
    IA64_ADDS,        /* adds r1 = imm14, r3 */
    IA64_BREAK,       /* break.m/i/b/f/x imm: a firmware call in Ski may change any register */
    IA64_BSW,         /* bsw.0 / bsw.1: switches the banked r16..r31 */
    IA64_LONG,        /* the L slot of an MLX bundle (part of the X slot's instruction) */
    IA64_OP_COUNT
};

struct ia64_insn {
    uint8_t op;   /* enum ia64_op */
    uint8_t unit; /* enum ia64_unit */
    uint8_t qp;   /* qualifying predicate */
    uint8_t r1, r2, r3; /* register fields as the format defines them (0 where unused) */
    uint16_t reg; /* the ar / cr number of a move to AR or CR; bsw: 0 or 1 */
    uint64_t imm; /* movl/addl/adds/mov ar=imm8 (sign-extended), rsm/ssm imm24, break imm */
};

struct ia64_bundle {
    uint8_t tmpl;  /* template field, bits 0..4 */
    uint8_t stops; /* bit s: a stop follows slot s */
    struct ia64_insn slot[3];
};

/* Decodes 16 bundle bytes in memory order. 0, or -1 for a reserved template (slots: OTHER). */
int ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b);

/* The 16 bytes of a bundle from its two little-endian 64-bit halves (low, high). */
void ia64_bundle_bytes(uint64_t lo, uint64_t hi, uint8_t bytes[16]);

/* The template's units as letters ("MLX"), "" when reserved. */
const char *ia64_template_name(unsigned tmpl);

/* Writes a decoded instruction in GNU objdump's syntax ("(p06) itc.d r20", "mov cr.ifa=r8");
 * IA64_OTHER and IA64_LONG give "". Returns the length written (snprintf rules). */
int ia64_insn_format(const struct ia64_insn *in, char *buf, size_t len);

/* Names: "k4", "rsc", "lc" ... for AR numbers; "ifa", "pta" ... for CR numbers; NULL if unnamed. */
const char *ia64_ar_name(unsigned ar);
const char *ia64_cr_name(unsigned cr);

/* Control register numbers the replay follows. */
#define IA64_CR_IVA 2
#define IA64_CR_PTA 8
#define IA64_CR_IPSR 16
#define IA64_CR_ISR 17
#define IA64_CR_IIP 19
#define IA64_CR_IFA 20
#define IA64_CR_ITIR 21
#define IA64_CR_IFS 23
/* Kernel registers ar.k0..k7 are AR 0..7. */
#define IA64_AR_K0 0

#endif
