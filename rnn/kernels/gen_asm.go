//go:build ignore

// gen_asm writes kernels_amd64.s and kernels_amd64_gen.go: the GEMM
// micro-kernels for every (rows, vectors) tile shape and the elementwise tanh
// kernels, for AVX-512 (zmm, opmask tails) and AVX2+FMA (ymm, VMASKMOVPS
// tails). Generating them keeps the many tile shapes identical in structure,
// so one review of this file covers all of them.
//
//	go run gen_asm.go [outdir]
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// isa describes one vector instruction set as the generator needs it.
type isa struct {
	name  string // suffix of generated symbols: 512 or 256
	reg   string // vector register prefix: Z or Y
	lanes int
	nrMax int
	mrMax func(nr int) int
	// register numbers for the GEMM kernel
	bReg, bcReg int // first B register, first broadcast register
	maskReg     int // AVX2 only: ymm holding the tail mask
}

var (
	avx512 = isa{name: "512", reg: "Z", lanes: 16, nrMax: 4,
		mrMax: func(nr int) int { return map[int]int{1: 8, 2: 8, 3: 8, 4: 6}[nr] },
		bReg:  24, bcReg: 28}
	avx2 = isa{name: "256", reg: "Y", lanes: 8, nrMax: 2,
		mrMax: func(nr int) int { return map[int]int{1: 8, 2: 6}[nr] },
		bReg:  12, bcReg: 14, maskReg: 15}
)

type gen struct{ b bytes.Buffer }

func (g *gen) f(format string, args ...any) { fmt.Fprintf(&g.b, format+"\n", args...) }

func (s isa) v(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }

// aAddr is the address of A's element for tile row r at the current p:
// SI = row 0, R13 = row 4, R9 = row stride, R12 = 3·row stride.
func aAddr(r int) string {
	base := "SI"
	if r >= 4 {
		base, r = "R13", r-4
	}
	switch r {
	case 0:
		return "(" + base + ")"
	case 1:
		return "(" + base + ")(R9*1)"
	case 2:
		return "(" + base + ")(R9*2)"
	default:
		return "(" + base + ")(R12*1)"
	}
}

// gemmKernel emits
//
//	func gemm<isa>_<mr>x<nr>(c *float32, ldc uintptr, a *float32, ars, aps uintptr,
//		b *float32, ldb uintptr, k, tail, acc int)
//
// C[r, v·lanes+l] for r < mr, v < nr (the last vector holding tail lanes) is
// the chain acc₀ = acc ? C : 0, acc ← fma(A[r,p], B[p,·], acc), p = 0..k-1.
// A[r,p] lives at a + r·ars + p·aps, so one kernel serves A and Aᵀ.
func (g *gen) gemmKernel(s isa, mr, nr int) {
	acc := func(r, v int) string { return s.v(r*nr + v) }
	last := nr - 1
	g.f("// func gemm%s_%dx%d(c *float32, ldc uintptr, a *float32, ars, aps uintptr, b *float32, ldb uintptr, k, tail, acc int)", s.name, mr, nr)
	g.f("TEXT ·gemm%s_%dx%d(SB), NOSPLIT, $0-80", s.name, mr, nr)
	g.f("\tMOVQ tail+64(FP), CX")
	if s.name == "512" {
		g.f("\tMOVL $1, BX")
		g.f("\tSHLL CX, BX")
		g.f("\tDECL BX")
		g.f("\tKMOVW BX, K1")
	} else {
		g.f("\tLEAQ tailmask<>(SB), BX")
		g.f("\tNEGQ CX")
		g.f("\tVMOVDQU 32(BX)(CX*4), %s", s.v(s.maskReg))
	}
	g.f("\tMOVQ c+0(FP), DI")
	g.f("\tMOVQ ldc+8(FP), R8")
	g.f("\tMOVQ a+16(FP), SI")
	g.f("\tMOVQ ars+24(FP), R9")
	g.f("\tMOVQ aps+32(FP), R10")
	g.f("\tMOVQ b+40(FP), DX")
	g.f("\tMOVQ ldb+48(FP), R11")
	g.f("\tMOVQ k+56(FP), CX")
	g.f("\tLEAQ (R9)(R9*2), R12")
	g.f("\tLEAQ (SI)(R9*4), R13")
	g.f("\tCMPQ acc+72(FP), $0")
	g.f("\tJEQ zero")
	g.f("\tMOVQ DI, BX")
	for r := 0; r < mr; r++ {
		for v := 0; v < nr; v++ {
			off := v * s.lanes * 4
			switch {
			case v < last:
				g.f("\tVMOVUPS %d(BX), %s", off, acc(r, v))
			case s.name == "512":
				g.f("\tVMOVUPS.Z %d(BX), K1, %s", off, acc(r, v))
			default:
				g.f("\tVMASKMOVPS %d(BX), %s, %s", off, s.v(s.maskReg), acc(r, v))
			}
		}
		if r < mr-1 {
			g.f("\tADDQ R8, BX")
		}
	}
	g.f("\tJMP loop")
	g.f("zero:")
	for i := 0; i < mr*nr; i++ {
		if s.name == "512" {
			g.f("\tVPXORD %s, %s, %s", s.v(i), s.v(i), s.v(i))
		} else {
			g.f("\tVXORPS %s, %s, %s", s.v(i), s.v(i), s.v(i))
		}
	}
	g.f("loop:")
	for v := 0; v < nr; v++ {
		off := v * s.lanes * 4
		switch {
		case v < last:
			g.f("\tVMOVUPS %d(DX), %s", off, s.v(s.bReg+v))
		case s.name == "512":
			g.f("\tVMOVUPS.Z %d(DX), K1, %s", off, s.v(s.bReg+v))
		default:
			g.f("\tVMASKMOVPS %d(DX), %s, %s", off, s.v(s.maskReg), s.v(s.bReg+v))
		}
	}
	for r := 0; r < mr; r++ {
		bc := s.v(s.bcReg + r%2)
		if s.name == "256" {
			bc = s.v(s.bcReg)
		}
		g.f("\tVBROADCASTSS %s, %s", aAddr(r), bc)
		for v := 0; v < nr; v++ {
			g.f("\tVFMADD231PS %s, %s, %s", s.v(s.bReg+v), bc, acc(r, v))
		}
	}
	g.f("\tADDQ R10, SI")
	if mr > 4 {
		g.f("\tADDQ R10, R13")
	}
	g.f("\tADDQ R11, DX")
	g.f("\tDECQ CX")
	g.f("\tJNE loop")
	g.f("\tMOVQ DI, BX")
	for r := 0; r < mr; r++ {
		for v := 0; v < nr; v++ {
			off := v * s.lanes * 4
			switch {
			case v < last:
				g.f("\tVMOVUPS %s, %d(BX)", acc(r, v), off)
			case s.name == "512":
				g.f("\tVMOVUPS %s, K1, %d(BX)", acc(r, v), off)
			default:
				g.f("\tVMASKMOVPS %s, %s, %d(BX)", acc(r, v), s.v(s.maskReg), off)
			}
		}
		if r < mr-1 {
			g.f("\tADDQ R8, BX")
		}
	}
	g.f("\tVZEROUPPER")
	g.f("\tRET")
	g.f("")
}

// narrowMax is the widest C the narrow kernel serves; past it the regular
// tiles' lanes are mostly full anyway.
const narrowMax = 8

// narrowRow is the address of row r (0..15) of the 16-row A block: SI,
// R13, R10, R11 point at rows 0, 4, 8, 12; R9 = lda, R12 = 3·lda.
func narrowRow(r int) string {
	return []string{"(%s)", "(%s)(R9*1)", "(%s)(R9*2)", "(%s)(R12*1)"}[r%4]
}

// narrowKernel emits, for AVX-512 and n = 1..narrowMax,
//
//	func gemmnarrow512_<n>(c *float32, ldc uintptr, a *float32, lda uintptr, b *float32, k, acc int)
//
// for C[16×n] (+)= A[16×k]·B[k×n] with k a multiple of 8 and B's rows
// contiguous (n floats). The regular tiles vectorise along n and would
// leave all but n of 16 lanes idle; this one vectorises along the 16 rows
// instead: it loads an 8-column block of the 16 rows, transposes it in
// registers so vector q holds A[0..15, p+q], and runs each C column's FMA
// chain with B[p+q, j] broadcast — the same chains in the same order.
// C's columns are gathered and scattered once per call.
func (g *gen) narrowKernel(n int) {
	g.f("// func gemmnarrow512_%d(c *float32, ldc uintptr, a *float32, lda uintptr, b *float32, k, acc int)", n)
	g.f("TEXT ·gemmnarrow512_%d(SB), NOSPLIT, $0-56", n)
	g.f("\tMOVQ c+0(FP), DI")
	g.f("\tMOVQ ldc+8(FP), R8")
	g.f("\tMOVQ a+16(FP), SI")
	g.f("\tMOVQ lda+24(FP), R9")
	g.f("\tMOVQ b+32(FP), DX")
	g.f("\tMOVQ k+40(FP), CX")
	g.f("\tLEAQ (R9)(R9*2), R12")
	g.f("\tLEAQ (SI)(R9*4), R13")
	g.f("\tLEAQ (SI)(R9*8), R10")
	g.f("\tLEAQ (R10)(R9*4), R11")
	g.f("\tVPBROADCASTD R8, Z31")
	g.f("\tVPMULLD iota<>(SB), Z31, Z31") // Z31[r] = r·ldc: byte offsets of C's rows
	g.f("\tVMOVDQU32 perm0<>(SB), Z29")
	g.f("\tVMOVDQU32 perm1<>(SB), Z30")
	g.f("\tCMPQ acc+48(FP), $0")
	g.f("\tJEQ zero")
	for j := 0; j < n; j++ {
		g.f("\tKXNORW K0, K0, K1")
		g.f("\tVGATHERDPS %d(DI)(Z31*1), K1, Z%d", 4*j, j)
	}
	g.f("\tJMP loop")
	g.f("zero:")
	for j := 0; j < n; j++ {
		g.f("\tVPXORD Z%d, Z%d, Z%d", j, j, j)
	}
	g.f("loop:")
	// Z8+r = [A[r, p..p+7], A[r+8, p..p+7]]
	for r := 0; r < 8; r++ {
		g.f("\tVMOVUPS "+narrowRow(r)+", Y%d", baseOf(r), 8+r)
		g.f("\tVINSERTF64X4 $1, "+narrowRow(r+8)+", Z%d, Z%d", baseOf(r+8), 8+r, 8+r)
	}
	// 4×4 transposes inside each 128-bit lane: Z8+q (s_q) holds rows
	// 0-3 | 0-3 | 8-11 | 8-11 at p+q | p+q+4 | p+q | p+q+4, Z12+q rows 4-7, 12-15.
	for h := 0; h < 2; h++ {
		r := 8 + 4*h
		t := 16 + 4*h
		g.f("\tVUNPCKLPS Z%d, Z%d, Z%d", r+1, r, t)
		g.f("\tVUNPCKHPS Z%d, Z%d, Z%d", r+1, r, t+1)
		g.f("\tVUNPCKLPS Z%d, Z%d, Z%d", r+3, r+2, t+2)
		g.f("\tVUNPCKHPS Z%d, Z%d, Z%d", r+3, r+2, t+3)
		g.f("\tVSHUFPS $0x44, Z%d, Z%d, Z%d", t+2, t, r)
		g.f("\tVSHUFPS $0xee, Z%d, Z%d, Z%d", t+2, t, r+1)
		g.f("\tVSHUFPS $0x44, Z%d, Z%d, Z%d", t+3, t+1, r+2)
		g.f("\tVSHUFPS $0xee, Z%d, Z%d, Z%d", t+3, t+1, r+3)
	}
	// Gather 128-bit lanes: P_q = A[0..15, p+q] into Z8+q (q < 4) and
	// P_{q+4} into Z16+q.
	for q := 0; q < 4; q++ {
		g.f("\tVMOVAPS Z%d, Z%d", 8+q, 16+q)
		g.f("\tVPERMT2PS Z%d, Z29, Z%d", 12+q, 8+q)
		g.f("\tVPERMT2PS Z%d, Z30, Z%d", 12+q, 16+q)
	}
	for q := 0; q < 8; q++ {
		pr := 8 + q
		if q >= 4 {
			pr = 16 + q - 4
		}
		for j := 0; j < n; j++ {
			g.f("\tVFMADD231PS.BCST %d(DX), Z%d, Z%d", 4*(q*n+j), pr, j)
		}
	}
	g.f("\tADDQ $32, SI")
	g.f("\tADDQ $32, R13")
	g.f("\tADDQ $32, R10")
	g.f("\tADDQ $32, R11")
	g.f("\tADDQ $%d, DX", 32*n)
	g.f("\tSUBQ $8, CX")
	g.f("\tJNE loop")
	for j := 0; j < n; j++ {
		g.f("\tKXNORW K0, K0, K1")
		g.f("\tVSCATTERDPS Z%d, K1, %d(DI)(Z31*1)", j, 4*j)
	}
	g.f("\tVZEROUPPER")
	g.f("\tRET")
	g.f("")
}

func baseOf(r int) string { return []string{"SI", "R13", "R10", "R11"}[r/4] }

// tanhConsts are the constants of tanh32 in the order the kernels keep
// them; tanh_const_gen.go gets the same values for the portable path.
var tanhConsts = []struct{ name, val string }{
	{"absmask", ""}, // 0x7fffffff, as bits
	{"tiny", "0.0004"},
	{"clamp", "7.99881172180175781"},
	{"negclamp", "-7.99881172180175781"},
	{"a13", "-2.76076847742355e-16"},
	{"a11", "2.00018790482477e-13"},
	{"a9", "-8.60467152213735e-11"},
	{"a7", "5.12229709037114e-08"},
	{"a5", "1.48572235717979e-05"},
	{"a3", "6.37261928875436e-04"},
	{"a1", "4.89352455891786e-03"},
	{"b6", "1.19825839466702e-06"},
	{"b4", "1.18534705686654e-04"},
	{"b2", "2.26843463243900e-03"},
	{"b0", "4.89352518554385e-03"},
}

func constBits(i int) uint32 {
	if tanhConsts[i].name == "absmask" {
		return 0x7fffffff
	}
	f, err := strconv.ParseFloat(tanhConsts[i].val, 32)
	if err != nil {
		panic(err)
	}
	return math.Float32bits(float32(f))
}

// tanhConst names constant name for the ISA: a register on AVX-512 (Z16..),
// a 32-byte memory operand on AVX2, which has only 16 registers.
func (s isa) tanhConst(name string) string {
	for i, c := range tanhConsts {
		if c.name == name {
			if s.name == "512" {
				return s.v(16 + i)
			}
			return fmt.Sprintf("tanhc<>+%d(SB)", 32*i)
		}
	}
	panic(name)
}

// tanhBody emits p = tanh32(x) on one vector; see tanh32 in tanh.go for the
// operation order, which this must follow exactly.
func (g *gen) tanhBody(s isa, x, ax, p, q, t string) {
	c := s.tanhConst
	mov := "VMOVUPS"
	if s.name == "512" {
		g.f("\tVPANDD %s, %s, %s", c("absmask"), x, ax)
		g.f("\tVCMPPS $0x11, %s, %s, K2", c("tiny"), ax) // K2 = |x| < tiny
		mov = "VMOVAPS"
	} else {
		g.f("\tVANDPS %s, %s, %s", c("absmask"), x, ax)
		g.f("\tVCMPPS $0x11, %s, %s, %s", c("tiny"), ax, t) // t = |x| < tiny
	}
	// Clamp with x as the second source so a NaN x passes through.
	// AVX2 takes a memory operand only as the first source, so it stages
	// the bounds in a register.
	lo, hi := c("negclamp"), c("clamp")
	if s.name == "256" {
		g.f("\tVMOVUPS %s, %s", hi, s.v(5))
		hi = s.v(5)
	}
	g.f("\tVMINPS %s, %s, %s", x, hi, ax)
	if s.name == "256" {
		g.f("\tVMOVUPS %s, %s", lo, s.v(5))
		lo = s.v(5)
	}
	g.f("\tVMAXPS %s, %s, %s", ax, lo, ax)
	g.f("\tVMULPS %s, %s, %s", ax, ax, q) // q = x²
	g.f("\t%s %s, %s", mov, c("a13"), p)
	for _, k := range []string{"a11", "a9", "a7", "a5", "a3", "a1"} {
		g.f("\tVFMADD213PS %s, %s, %s", c(k), q, p) // p = x²·p + k
	}
	g.f("\tVMULPS %s, %s, %s", ax, p, p)
	g.f("\t%s %s, %s", mov, c("b6"), ax)
	for _, k := range []string{"b4", "b2", "b0"} {
		g.f("\tVFMADD213PS %s, %s, %s", c(k), q, ax) // den = x²·den + k
	}
	g.f("\tVDIVPS %s, %s, %s", ax, p, p)
	if s.name == "512" {
		g.f("\tVMOVAPS %s, K2, %s", x, p)
	} else {
		g.f("\tVBLENDVPS %s, %s, %s, %s", t, x, p, p)
	}
}

// tanhKernel emits
//
//	func tanh<isa>(dst, x, y *float32, n int)
//
// dst[i] = tanh32(x[i] + y[i]) (or tanh32(x[i]) when y is nil) for i < n,
// n a multiple of lanes.
func (g *gen) tanhKernel(s isa) {
	g.f("// func tanh%s(dst, x, y *float32, n int)", s.name)
	g.f("TEXT ·tanh%s(SB), NOSPLIT, $0-32", s.name)
	g.f("\tMOVQ dst+0(FP), DI")
	g.f("\tMOVQ x+8(FP), SI")
	g.f("\tMOVQ y+16(FP), DX")
	g.f("\tMOVQ n+24(FP), CX")
	g.f("\tXORQ AX, AX")
	if s.name == "512" {
		for i := range tanhConsts {
			g.f("\tVBROADCASTSS tanhc<>+%d(SB), %s", 32*i, s.v(16+i))
		}
	}
	x, ax, p, q, t := s.v(0), s.v(1), s.v(2), s.v(3), s.v(4)
	for _, add := range []bool{true, false} {
		loop := "plain"
		if add {
			g.f("\tTESTQ DX, DX")
			g.f("\tJEQ plain")
			loop = "addloop"
		}
		g.f("%s:", loop)
		g.f("\tCMPQ AX, CX")
		g.f("\tJGE done")
		g.f("\tVMOVUPS (SI)(AX*4), %s", x)
		if add {
			g.f("\tVADDPS (DX)(AX*4), %s, %s", x, x)
		}
		g.tanhBody(s, x, ax, p, q, t)
		g.f("\tVMOVUPS %s, (DI)(AX*4)", p)
		g.f("\tADDQ $%d, AX", s.lanes)
		g.f("\tJMP %s", loop)
	}
	g.f("done:")
	g.f("\tVZEROUPPER")
	g.f("\tRET")
	g.f("")
}

// tanhBackKernel emits func tanhback<isa>(dst, dy, y *float32, n int):
// dst = dy·fma(−y, y, 1), n a multiple of lanes.
func (g *gen) tanhBackKernel(s isa) {
	g.f("// func tanhback%s(dst, dy, y *float32, n int)", s.name)
	g.f("TEXT ·tanhback%s(SB), NOSPLIT, $0-32", s.name)
	g.f("\tMOVQ dst+0(FP), DI")
	g.f("\tMOVQ dy+8(FP), SI")
	g.f("\tMOVQ y+16(FP), DX")
	g.f("\tMOVQ n+24(FP), CX")
	g.f("\tXORQ AX, AX")
	g.f("\tVBROADCASTSS one<>(SB), %s", s.v(3))
	g.f("loop:")
	g.f("\tCMPQ AX, CX")
	g.f("\tJGE done")
	g.f("\tVMOVUPS (DX)(AX*4), %s", s.v(0))
	g.f("\tVMOVAPS %s, %s", s.v(3), s.v(1))
	g.f("\tVFNMADD231PS %s, %s, %s", s.v(0), s.v(0), s.v(1)) // 1 − y·y, one rounding
	g.f("\tVMULPS (SI)(AX*4), %s, %s", s.v(1), s.v(1))
	g.f("\tVMOVUPS %s, (DI)(AX*4)", s.v(1))
	g.f("\tADDQ $%d, AX", s.lanes)
	g.f("\tJMP loop")
	g.f("done:")
	g.f("\tVZEROUPPER")
	g.f("\tRET")
	g.f("")
}

func (g *gen) dataSection() {
	// tailmask: 8 words of ones then 8 of zeros; the 8 words starting at
	// byte 32−4·t have ones in exactly the first t lanes.
	for i := 0; i < 16; i++ {
		w := uint32(0xffffffff)
		if i >= 8 {
			w = 0
		}
		g.f("DATA tailmask<>+%d(SB)/4, $0x%08x", 4*i, w)
	}
	g.f("GLOBL tailmask<>(SB), RODATA|NOPTR, $64")
	g.f("")
	for i := 0; i < 16; i++ {
		g.f("DATA iota<>+%d(SB)/4, $%d", 4*i, i)
	}
	g.f("GLOBL iota<>(SB), RODATA|NOPTR, $64")
	g.f("")
	// VPERMT2PS indices gathering 128-bit lanes 0,0',2,2' and 1,1',3,3'
	// of two tables (' = the second table, indices 16..31).
	for i, lane := range []int{0, 4, 2, 6} {
		for l := 0; l < 4; l++ {
			g.f("DATA perm0<>+%d(SB)/4, $%d", 16*i+4*l, 4*lane+l)
			g.f("DATA perm1<>+%d(SB)/4, $%d", 16*i+4*l, 4*(lane+1)+l)
		}
	}
	g.f("GLOBL perm0<>(SB), RODATA|NOPTR, $64")
	g.f("GLOBL perm1<>(SB), RODATA|NOPTR, $64")
	g.f("")
	g.f("DATA one<>+0(SB)/4, $0x3f800000")
	g.f("GLOBL one<>(SB), RODATA|NOPTR, $4")
	g.f("")
	// Each tanh constant fills 8 lanes so AVX2 can use it as a memory
	// operand; AVX-512 broadcasts the first lane.
	for i := range tanhConsts {
		for l := 0; l < 8; l++ {
			g.f("DATA tanhc<>+%d(SB)/4, $0x%08x", 32*i+4*l, constBits(i))
		}
	}
	g.f("GLOBL tanhc<>(SB), RODATA|NOPTR, $%d", 32*len(tanhConsts))
	g.f("")
}

func (g *gen) goDecls(isas []isa) {
	g.f("// Code generated by gen_asm.go; DO NOT EDIT.")
	g.f("")
	g.f("//go:build amd64 && !purego")
	g.f("")
	g.f("package kernels")
	g.f("")
	for _, s := range isas {
		for nr := 1; nr <= s.nrMax; nr++ {
			for mr := 1; mr <= s.mrMax(nr); mr++ {
				g.f("//go:noescape")
				g.f("func gemm%s_%dx%d(c *float32, ldc uintptr, a *float32, ars, aps uintptr, b *float32, ldb uintptr, k, tail, acc int)", s.name, mr, nr)
				g.f("")
			}
		}
		g.f("//go:noescape")
		g.f("func tanh%s(dst, x, y *float32, n int)", s.name)
		g.f("")
		g.f("//go:noescape")
		g.f("func tanhback%s(dst, dy, y *float32, n int)", s.name)
		g.f("")
		g.f("// gemmTile%s runs the mr-row, nr-vector micro-kernel. A switch of", s.name)
		g.f("// static calls, not a table of funcs, so escape analysis sees //go:noescape.")
		g.f("func gemmTile%s(nr, mr int, c *float32, ldc uintptr, a *float32, ars, aps uintptr, b *float32, ldb uintptr, k, tail, acc int) {", s.name)
		g.f("\tswitch nr*16 + mr {")
		for nr := 1; nr <= s.nrMax; nr++ {
			for mr := 1; mr <= s.mrMax(nr); mr++ {
				g.f("\tcase %d:", nr*16+mr)
				g.f("\t\tgemm%s_%dx%d(c, ldc, a, ars, aps, b, ldb, k, tail, acc)", s.name, mr, nr)
			}
		}
		g.f("\tdefault:")
		g.f("\t\tpanic(\"kernels: no such tile\")")
		g.f("\t}")
		g.f("}")
		g.f("")
		g.f("// mrMax%s[nr] is the most rows a tile nr vectors wide holds.", s.name)
		mrs := "0"
		for nr := 1; nr <= s.nrMax; nr++ {
			mrs += fmt.Sprintf(", %d", s.mrMax(nr))
		}
		g.f("var mrMax%s = []int{%s}", s.name, mrs)
		g.f("")
	}
}

func (g *gen) narrowDecls() {
	for n := 1; n <= narrowMax; n++ {
		g.f("//go:noescape")
		g.f("func gemmnarrow512_%d(c *float32, ldc uintptr, a *float32, lda uintptr, b *float32, k, acc int)", n)
		g.f("")
	}
	g.f("// narrowMax is the widest C gemmNarrow512 serves.")
	g.f("const narrowMax = %d", narrowMax)
	g.f("")
	g.f("// gemmNarrow512 runs the 16-row narrow kernel for an n-column C.")
	g.f("func gemmNarrow512(n int, c *float32, ldc uintptr, a *float32, lda uintptr, b *float32, k, acc int) {")
	g.f("\tswitch n {")
	for n := 1; n <= narrowMax; n++ {
		g.f("\tcase %d:", n)
		g.f("\t\tgemmnarrow512_%d(c, ldc, a, lda, b, k, acc)", n)
	}
	g.f("\tdefault:")
	g.f("\t\tpanic(\"kernels: no narrow kernel that wide\")")
	g.f("\t}")
	g.f("}")
}

func (g *gen) goConsts() {
	g.f("// Code generated by gen_asm.go; DO NOT EDIT.")
	g.f("")
	g.f("package kernels")
	g.f("")
	g.f("// tanh32 constants (Eigen's rational approximation, float32-rounded).")
	g.f("const (")
	for i, c := range tanhConsts {
		if c.name == "absmask" {
			continue
		}
		g.f("\ttanh%s float32 = %v // bits 0x%08x", strings.ToUpper(c.name[:1])+c.name[1:], math.Float32frombits(constBits(i)), constBits(i))
	}
	g.f(")")
}

func write(dir, name string, g *gen) {
	b := g.b.Bytes()
	if strings.HasSuffix(name, ".go") {
		var err error
		if b, err = format.Source(b); err != nil {
			panic(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		panic(err)
	}
}

func main() {
	isas := []isa{avx512, avx2}
	var s, d, c gen
	s.f("// Code generated by gen_asm.go; DO NOT EDIT.")
	s.f("")
	s.f("//go:build amd64 && !purego")
	s.f("")
	s.f("#include \"textflag.h\"")
	s.f("")
	s.dataSection()
	for _, is := range isas {
		for nr := 1; nr <= is.nrMax; nr++ {
			for mr := 1; mr <= is.mrMax(nr); mr++ {
				s.gemmKernel(is, mr, nr)
			}
		}
		s.tanhKernel(is)
		s.tanhBackKernel(is)
	}
	for n := 1; n <= narrowMax; n++ {
		s.narrowKernel(n)
	}
	d.goDecls(isas)
	d.narrowDecls()
	c.goConsts()
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	write(dir, "kernels_amd64.s", &s)
	write(dir, "kernels_amd64_gen.go", &d)
	write(dir, "tanh_const_gen.go", &c)
}
