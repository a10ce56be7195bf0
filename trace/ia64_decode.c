/* ia64_decode.c - see ia64_decode.h. Field positions: SDM volume 3, chapter 4. */
#include "ia64_decode.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- templates ------------------------------------------------------------------------------ */

#define M IA64_UNIT_M
#define I IA64_UNIT_I
#define F IA64_UNIT_F
#define B IA64_UNIT_B
#define L IA64_UNIT_L
#define X IA64_UNIT_X

struct tmpl {
    uint8_t unit[3];
    uint8_t mid_stop; /* bit s: a stop after slot s inside the bundle (the odd templates add slot 2) */
    const char *name;
};

/* SDM volume 3, table 3-10 "Template Field Encoding and Instruction Slot Mapping" */
static const struct tmpl templates[32] = {
    [0x00] = {{M, I, I}, 0, "MII"}, [0x01] = {{M, I, I}, 0, "MII"},
    [0x02] = {{M, I, I}, 2, "MII"}, [0x03] = {{M, I, I}, 2, "MII"},
    [0x04] = {{M, L, X}, 0, "MLX"}, [0x05] = {{M, L, X}, 0, "MLX"},
    [0x08] = {{M, M, I}, 0, "MMI"}, [0x09] = {{M, M, I}, 0, "MMI"},
    [0x0a] = {{M, M, I}, 1, "MMI"}, [0x0b] = {{M, M, I}, 1, "MMI"},
    [0x0c] = {{M, F, I}, 0, "MFI"}, [0x0d] = {{M, F, I}, 0, "MFI"},
    [0x0e] = {{M, M, F}, 0, "MMF"}, [0x0f] = {{M, M, F}, 0, "MMF"},
    [0x10] = {{M, I, B}, 0, "MIB"}, [0x11] = {{M, I, B}, 0, "MIB"},
    [0x12] = {{M, B, B}, 0, "MBB"}, [0x13] = {{M, B, B}, 0, "MBB"},
    [0x16] = {{B, B, B}, 0, "BBB"}, [0x17] = {{B, B, B}, 0, "BBB"},
    [0x18] = {{M, M, B}, 0, "MMB"}, [0x19] = {{M, M, B}, 0, "MMB"},
    [0x1c] = {{M, F, B}, 0, "MFB"}, [0x1d] = {{M, F, B}, 0, "MFB"},
};

#undef M
#undef I
#undef F
#undef B
#undef L
#undef X

const char *ia64_template_name(unsigned tmpl) { return tmpl < 32 && templates[tmpl].name ? templates[tmpl].name : ""; }

/* ---- fields ---------------------------------------------------------------------------------- */

static uint64_t field(uint64_t s, unsigned lo, unsigned n) { return (s >> lo) & ((UINT64_C(1) << n) - 1); }

static uint64_t sext(uint64_t v, unsigned bits)
{
    const uint64_t sign = UINT64_C(1) << (bits - 1);
    return (v ^ sign) - sign;
}

/* imm7b (13..19) | imm9d (27..35) | imm5c (22..26) | ic (21): the A5 / X2 immediate pieces */
static uint64_t imm_a5_low(uint64_t s)
{
    return field(s, 13, 7) | field(s, 27, 9) << 7 | field(s, 22, 5) << 16;
}

/* imm20a (6..25) | i (36): break/nop immediates of formats M37, I19, B9, F15 */
static uint64_t imm21(uint64_t s) { return field(s, 6, 20) | field(s, 36, 1) << 20; }

/* the sign bit s (36) and imm7b (13..19): mov ar = imm8 (M30, I27), sign-extended */
static uint64_t imm8(uint64_t s) { return sext(field(s, 13, 7) | field(s, 36, 1) << 7, 8); }

static void regs(struct ia64_insn *in, uint64_t s)
{
    in->r1 = (uint8_t)field(s, 6, 7);
    in->r2 = (uint8_t)field(s, 13, 7);
    in->r3 = (uint8_t)field(s, 20, 7);
}

/* M-unit system and memory-management instructions, opcodes 0 and 1 (tables 4-42 .. 4-45) */
static void decode_m(struct ia64_insn *in, uint64_t s, unsigned major)
{
    const unsigned x3 = (unsigned)field(s, 33, 3);
    if (major == 0 && x3 == 0) {
        const unsigned x4 = (unsigned)field(s, 27, 4), x2 = (unsigned)field(s, 31, 2);
        if (x4 == 0 && x2 == 0) {
            in->op = IA64_BREAK; /* M37 */
            in->imm = imm21(s);
        } else if (x4 == 6 || x4 == 7) { /* M44: x2 holds i2d */
            in->op = x4 == 6 ? IA64_SSM : IA64_RSM;
            in->imm = field(s, 6, 21) | field(s, 31, 2) << 21 | field(s, 36, 1) << 23;
        } else if (x4 == 8 && x2 == 2) { /* M30 */
            in->op = IA64_MOV_TO_AR_IMM;
            in->reg = in->r3;
            in->imm = imm8(s);
        }
        return;
    }
    if (major != 1 || x3 != 0)
        return;
    static const uint8_t x6_op[64] = {
        [0x00] = IA64_MOV_TO_RR, [0x09] = IA64_PTC_L,    [0x0a] = IA64_PTC_G,     [0x0b] = IA64_PTC_GA,
        [0x0c] = IA64_PTR_D,     [0x0d] = IA64_PTR_I,    [0x0e] = IA64_ITR_D,     [0x0f] = IA64_ITR_I,
        [0x2a] = IA64_MOV_TO_AR, [0x2c] = IA64_MOV_TO_CR, [0x2d] = IA64_MOV_TO_PSR_L, [0x2e] = IA64_ITC_D,
        [0x2f] = IA64_ITC_I,     [0x34] = IA64_PTC_E,
    };
    in->op = x6_op[field(s, 27, 6)];
    if (in->op == IA64_MOV_TO_AR || in->op == IA64_MOV_TO_CR)
        in->reg = in->r3; /* M29, M32: the register number sits in the r3 field */
}

static void decode_i(struct ia64_insn *in, uint64_t s, unsigned major)
{
    if (major != 0 || field(s, 33, 3) != 0)
        return;
    switch (field(s, 27, 6)) {
    case 0x00: /* I19 */
        in->op = IA64_BREAK;
        in->imm = imm21(s);
        break;
    case 0x0a: /* I27 */
        in->op = IA64_MOV_TO_AR_IMM;
        in->reg = in->r3;
        in->imm = imm8(s);
        break;
    case 0x2a: /* I26 */
        in->op = IA64_MOV_TO_AR;
        in->reg = in->r3;
        break;
    default:
        break;
    }
}

/* A-unit integer adds with an immediate, executed on an M or I slot */
static void decode_a(struct ia64_insn *in, uint64_t s, unsigned major)
{
    if (major == 8 && field(s, 34, 2) == 2 && field(s, 33, 1) == 0) { /* A4 */
        in->op = IA64_ADDS;
        in->imm = sext(field(s, 13, 7) | field(s, 27, 6) << 7 | field(s, 36, 1) << 13, 14);
    } else if (major == 9) { /* A5: r3 is two bits */
        in->op = IA64_ADDL;
        in->r3 = (uint8_t)field(s, 20, 2);
        in->imm = sext(imm_a5_low(s) | field(s, 36, 1) << 21, 22);
    }
}

static void decode_b(struct ia64_insn *in, uint64_t s, unsigned major)
{
    if (major != 0)
        return;
    switch (field(s, 27, 6)) {
    case 0x00: /* B9 */
        in->op = IA64_BREAK;
        in->imm = imm21(s);
        break;
    case 0x08: /* B8 */
        in->op = IA64_RFI;
        break;
    case 0x0c:
    case 0x0d:
        in->op = IA64_BSW;
        in->reg = (uint16_t)(field(s, 27, 6) - 0x0c);
        break;
    default:
        break;
    }
}

static void decode_f(struct ia64_insn *in, uint64_t s, unsigned major)
{
    if (major == 0 && field(s, 33, 1) == 0 && field(s, 27, 6) == 0) { /* F15 */
        in->op = IA64_BREAK;
        in->imm = imm21(s);
    }
}

/* The X slot of MLX, with the 41 bits of the L slot */
static void decode_x(struct ia64_insn *in, uint64_t s, unsigned major, uint64_t l)
{
    if (major == 6) { /* X2 */
        in->op = IA64_MOVL;
        in->imm = imm_a5_low(s) | field(s, 21, 1) << 21 | l << 22 | field(s, 36, 1) << 63;
    } else if (major == 0 && field(s, 33, 3) == 0 && field(s, 27, 6) == 0) { /* X1 */
        in->op = IA64_BREAK;
        in->imm = field(s, 6, 20) | l << 20 | field(s, 36, 1) << 61;
    }
}

void ia64_bundle_bytes(uint64_t lo, uint64_t hi, uint8_t bytes[16])
{
    for (unsigned i = 0; i < 8; i++) {
        bytes[i] = (uint8_t)(lo >> (8 * i));
        bytes[8 + i] = (uint8_t)(hi >> (8 * i));
    }
}

int ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b)
{
    uint64_t lo = 0, hi = 0;
    for (unsigned i = 0; i < 8; i++) {
        lo |= (uint64_t)bytes[i] << (8 * i);
        hi |= (uint64_t)bytes[8 + i] << (8 * i);
    }
    const uint64_t mask41 = (UINT64_C(1) << 41) - 1;
    const uint64_t slot[3] = {(lo >> 5) & mask41, ((lo >> 46) | (hi << 18)) & mask41, hi >> 23};
    memset(b, 0, sizeof *b);
    b->tmpl = (uint8_t)(lo & 0x1f);
    const struct tmpl *t = &templates[b->tmpl];
    if (!t->name)
        return -1;
    b->stops = (uint8_t)(t->mid_stop | ((b->tmpl & 1) ? 4 : 0));
    for (unsigned i = 0; i < 3; i++) {
        struct ia64_insn *in = &b->slot[i];
        const uint64_t s = slot[i];
        const unsigned major = (unsigned)field(s, 37, 4);
        in->unit = t->unit[i];
        in->qp = (uint8_t)field(s, 0, 6);
        regs(in, s);
        switch (t->unit[i]) {
        case IA64_UNIT_M:
            if (major >= 8)
                decode_a(in, s, major);
            else
                decode_m(in, s, major);
            break;
        case IA64_UNIT_I:
            if (major >= 8)
                decode_a(in, s, major);
            else
                decode_i(in, s, major);
            break;
        case IA64_UNIT_B: decode_b(in, s, major); break;
        case IA64_UNIT_F: decode_f(in, s, major); break;
        case IA64_UNIT_L:
            in->op = IA64_LONG;
            in->qp = in->r1 = in->r2 = in->r3 = 0;
            break;
        case IA64_UNIT_X: decode_x(in, s, major, slot[1]); break;
        default: break;
        }
    }
    return 0;
}

/* ---- names and objdump syntax ---------------------------------------------------------------- */

const char *ia64_ar_name(unsigned ar)
{
    static const char *const names[128] = {
        [0] = "k0",        [1] = "k1",    [2] = "k2",    [3] = "k3",    [4] = "k4",   [5] = "k5",
        [6] = "k6",        [7] = "k7",    [16] = "rsc",  [17] = "bsp",  [18] = "bspstore",
        [19] = "rnat",     [21] = "fcr",  [24] = "eflag", [25] = "csd", [26] = "ssd", [27] = "cflg",
        [28] = "fsr",      [29] = "fir",  [30] = "fdr",  [32] = "ccv",  [36] = "unat", [40] = "fpsr",
        [44] = "itc",      [64] = "pfs",  [65] = "lc",   [66] = "ec",
    };
    return ar < 128 ? names[ar] : NULL;
}

const char *ia64_cr_name(unsigned cr)
{
    static const char *const names[128] = {
        [0] = "dcr",   [1] = "itm",   [2] = "iva",   [8] = "pta",   [16] = "ipsr", [17] = "isr",
        [19] = "iip",  [20] = "ifa",  [21] = "itir", [22] = "iipa", [23] = "ifs",  [24] = "iim",
        [25] = "iha",  [64] = "lid",  [65] = "ivr",  [66] = "tpr",  [67] = "eoi",  [68] = "irr0",
        [69] = "irr1", [70] = "irr2", [71] = "irr3", [72] = "itv",  [73] = "pmv",  [74] = "cmcv",
        [80] = "lrr0", [81] = "lrr1",
    };
    return cr < 128 ? names[cr] : NULL;
}

int ia64_insn_format(const struct ia64_insn *in, char *buf, size_t len)
{
    char pred[8] = "";
    if (in->qp)
        snprintf(pred, sizeof pred, "(p%02u) ", (unsigned)in->qp);
    /* mnemonics of the two-register forms: "OP r3,r2" */
    static const char *const purge[IA64_OP_COUNT] = {
        [IA64_PTC_L] = "ptc.l", [IA64_PTC_G] = "ptc.g", [IA64_PTC_GA] = "ptc.ga",
        [IA64_PTR_I] = "ptr.i", [IA64_PTR_D] = "ptr.d",
    };
    const unsigned r1 = in->r1, r2 = in->r2, r3 = in->r3;
    const char *unit = in->unit == IA64_UNIT_M ? "m" : "i";
    const char *name;
    char regname[16];
    switch ((enum ia64_op)in->op) {
    case IA64_ITC_I: return snprintf(buf, len, "%sitc.i r%u", pred, r2);
    case IA64_ITC_D: return snprintf(buf, len, "%sitc.d r%u", pred, r2);
    case IA64_ITR_I: return snprintf(buf, len, "%sitr.i itr[r%u]=r%u", pred, r3, r2);
    case IA64_ITR_D: return snprintf(buf, len, "%sitr.d dtr[r%u]=r%u", pred, r3, r2);
    case IA64_PTC_L:
    case IA64_PTC_G:
    case IA64_PTC_GA:
    case IA64_PTR_I:
    case IA64_PTR_D: return snprintf(buf, len, "%s%s r%u,r%u", pred, purge[in->op], r3, r2);
    case IA64_PTC_E: return snprintf(buf, len, "%sptc.e r%u", pred, r3);
    case IA64_MOV_TO_RR: return snprintf(buf, len, "%smov rr[r%u]=r%u", pred, r3, r2);
    case IA64_MOV_TO_CR:
        name = ia64_cr_name(in->reg);
        if (!name) {
            snprintf(regname, sizeof regname, "%u", (unsigned)in->reg);
            name = regname;
        }
        return snprintf(buf, len, "%smov cr.%s=r%u", pred, name, r2);
    case IA64_MOV_TO_PSR_L: return snprintf(buf, len, "%smov psr.l=r%u", pred, r2);
    case IA64_RSM: return snprintf(buf, len, "%srsm 0x%" PRIx64, pred, in->imm);
    case IA64_SSM: return snprintf(buf, len, "%sssm 0x%" PRIx64, pred, in->imm);
    case IA64_RFI: return snprintf(buf, len, "%srfi", pred);
    case IA64_MOV_TO_AR:
    case IA64_MOV_TO_AR_IMM:
        name = ia64_ar_name(in->reg);
        if (name)
            snprintf(regname, sizeof regname, "ar.%s", name);
        else
            snprintf(regname, sizeof regname, "ar%u", (unsigned)in->reg);
        if (in->op == IA64_MOV_TO_AR)
            return snprintf(buf, len, "%smov.%s %s=r%u", pred, unit, regname, r2);
        return snprintf(buf, len, "%smov.%s %s=%" PRId64, pred, unit, regname, (int64_t)in->imm);
    case IA64_MOVL: return snprintf(buf, len, "%smovl r%u=0x%" PRIx64, pred, r1, in->imm);
    case IA64_ADDL:
        if (r3 == 0)
            return snprintf(buf, len, "%smov r%u=%" PRId64, pred, r1, (int64_t)in->imm);
        return snprintf(buf, len, "%saddl r%u=%" PRId64 ",r%u", pred, r1, (int64_t)in->imm, r3);
    case IA64_ADDS:
        if (in->imm == 0)
            return snprintf(buf, len, "%smov r%u=r%u", pred, r1, r3);
        return snprintf(buf, len, "%sadds r%u=%" PRId64 ",r%u", pred, r1, (int64_t)in->imm, r3);
    case IA64_BREAK: {
        static const char units[] = {[IA64_UNIT_M] = 'm', [IA64_UNIT_I] = 'i', [IA64_UNIT_F] = 'f',
                                     [IA64_UNIT_B] = 'b', [IA64_UNIT_X] = 'x'};
        return snprintf(buf, len, "%sbreak.%c 0x%" PRIx64, pred, units[in->unit], in->imm);
    }
    case IA64_BSW: return snprintf(buf, len, "%sbsw.%u", pred, (unsigned)in->reg);
    default:
        if (len)
            buf[0] = '\0';
        return 0;
    }
}
