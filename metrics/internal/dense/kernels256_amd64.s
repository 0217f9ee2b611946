//go:build amd64 && !purego

#include "textflag.h"

// AVX2 versions of the FMA kernels: four lanes, no opmask registers. Column
// tails are masked by VMASKMOVPD (masked-off lanes are neither read nor
// written); dot products leave their 32 partial sums to Go, which adds any
// ragged tail and reduces them, so the lane order is the portable one.

// func tile4x8(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask *[8]int64, acc int)
TEXT ·tile4x8(SB), NOSPLIT, $0-64
	MOVQ c+0(FP), AX
	MOVQ 0(AX), DI
	MOVQ 8(AX), R13
	MOVQ 16(AX), R14
	MOVQ 24(AX), R15
	MOVQ a+8(FP), AX
	MOVQ 0(AX), SI
	MOVQ 8(AX), R8
	MOVQ 16(AX), R9
	MOVQ 24(AX), R10
	MOVQ ap+16(FP), R11
	SHLQ $3, R11
	MOVQ b+24(FP), DX
	MOVQ ldb+32(FP), R12
	SHLQ $3, R12
	MOVQ k+40(FP), CX
	MOVQ mask+48(FP), AX
	VMOVDQU 0(AX), Y14
	VMOVDQU 32(AX), Y15
	MOVQ acc+56(FP), AX
	TESTQ AX, AX
	JZ   zero
	VMASKMOVPD (DI), Y14, Y0
	VMASKMOVPD 32(DI), Y15, Y1
	VMASKMOVPD (R13), Y14, Y2
	VMASKMOVPD 32(R13), Y15, Y3
	VMASKMOVPD (R14), Y14, Y4
	VMASKMOVPD 32(R14), Y15, Y5
	VMASKMOVPD (R15), Y14, Y6
	VMASKMOVPD 32(R15), Y15, Y7
	JMP  body

zero:
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

body:
	TESTQ CX, CX
	JZ   store

loop:
	VMASKMOVPD (DX), Y14, Y8
	VMASKMOVPD 32(DX), Y15, Y9
	VBROADCASTSD (SI), Y10
	VFMADD231PD Y8, Y10, Y0
	VFMADD231PD Y9, Y10, Y1
	VBROADCASTSD (R8), Y11
	VFMADD231PD Y8, Y11, Y2
	VFMADD231PD Y9, Y11, Y3
	VBROADCASTSD (R9), Y12
	VFMADD231PD Y8, Y12, Y4
	VFMADD231PD Y9, Y12, Y5
	VBROADCASTSD (R10), Y13
	VFMADD231PD Y8, Y13, Y6
	VFMADD231PD Y9, Y13, Y7
	ADDQ R11, SI
	ADDQ R11, R8
	ADDQ R11, R9
	ADDQ R11, R10
	ADDQ R12, DX
	DECQ CX
	JNZ  loop

store:
	VMASKMOVPD Y0, Y14, (DI)
	VMASKMOVPD Y1, Y15, 32(DI)
	VMASKMOVPD Y2, Y14, (R13)
	VMASKMOVPD Y3, Y15, 32(R13)
	VMASKMOVPD Y4, Y14, (R14)
	VMASKMOVPD Y5, Y15, 32(R14)
	VMASKMOVPD Y6, Y14, (R15)
	VMASKMOVPD Y7, Y15, 32(R15)
	VZEROUPPER
	RET

// func dot256(x, y *float64, n int, s *[32]float64)
// n a multiple of 4; element t goes to lane t mod 32 (register (t mod 32)/4).
TEXT ·dot256(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ s+24(FP), DX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	CMPQ CX, $32
	JLT  dtail

dloop:
	VMOVUPD 0(SI), Y8
	VMOVUPD 32(SI), Y9
	VMOVUPD 64(SI), Y10
	VMOVUPD 96(SI), Y11
	VFMADD231PD 0(DI), Y8, Y0
	VFMADD231PD 32(DI), Y9, Y1
	VFMADD231PD 64(DI), Y10, Y2
	VFMADD231PD 96(DI), Y11, Y3
	VMOVUPD 128(SI), Y8
	VMOVUPD 160(SI), Y9
	VMOVUPD 192(SI), Y10
	VMOVUPD 224(SI), Y11
	VFMADD231PD 128(DI), Y8, Y4
	VFMADD231PD 160(DI), Y9, Y5
	VFMADD231PD 192(DI), Y10, Y6
	VFMADD231PD 224(DI), Y11, Y7
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  dloop

dtail:
	// Fewer than 32 left, a multiple of 4: into Y0, Y1, … in turn.
#define DCHUNK(ACC) \
	TESTQ CX, CX; \
	JZ   dstore; \
	VMOVUPD (SI), Y8; \
	VFMADD231PD (DI), Y8, ACC; \
	ADDQ $32, SI; \
	ADDQ $32, DI; \
	SUBQ $4, CX
	DCHUNK(Y0)
	DCHUNK(Y1)
	DCHUNK(Y2)
	DCHUNK(Y3)
	DCHUNK(Y4)
	DCHUNK(Y5)
	DCHUNK(Y6)

dstore:
	VMOVUPD Y0, 0(DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	VMOVUPD Y4, 128(DX)
	VMOVUPD Y5, 160(DX)
	VMOVUPD Y6, 192(DX)
	VMOVUPD Y7, 224(DX)
	VZEROUPPER
	RET

// func axpy256(alpha float64, x, y *float64, n int)
// n a multiple of 4.
TEXT ·axpy256(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Y15
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
	TESTQ CX, CX
	JZ   adone

aloop:
	VMOVUPD (DI), Y0
	VFMADD231PD (SI), Y15, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JNZ  aloop

adone:
	VZEROUPPER
	RET

// func ger256(dst *float64, ldc int, l *float64, ls int, x *float64, m, n4 int, tail *[4]int64)
// Rows of n4 (a multiple of 4) columns, then up to 3 more under the tail mask.
TEXT ·ger256(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ ldc+8(FP), R8
	SHLQ $3, R8
	MOVQ l+16(FP), SI
	MOVQ ls+24(FP), R9
	SHLQ $3, R9
	MOVQ x+32(FP), DX
	MOVQ m+40(FP), R10
	MOVQ n4+48(FP), R11
	MOVQ tail+56(FP), AX
	VMOVDQU (AX), Y14
	TESTQ R10, R10
	JZ   gdone

grow:
	VBROADCASTSD (SI), Y15
	MOVQ DI, R12
	MOVQ DX, R13
	MOVQ R11, CX
	TESTQ CX, CX
	JZ   gtail

gchunk:
	VMOVUPD (R12), Y0
	VFMADD231PD (R13), Y15, Y0
	VMOVUPD Y0, (R12)
	ADDQ $32, R12
	ADDQ $32, R13
	SUBQ $4, CX
	JNZ  gchunk

gtail:
	VMASKMOVPD (R12), Y14, Y0
	VMASKMOVPD (R13), Y14, Y1
	VFMADD231PD Y1, Y15, Y0
	VMASKMOVPD Y0, Y14, (R12)
	ADDQ R8, DI
	ADDQ R9, SI
	DECQ R10
	JNZ  grow

gdone:
	VZEROUPPER
	RET

// func symRow256(row, x, z, v, w *float64, a, b, vr float64, n int, s *[32]float64)
// n a multiple of 4: SymRow's elementwise work, partial sums to s.
TEXT ·symRow256(SB), NOSPLIT, $0-80
	MOVQ row+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ z+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ w+32(FP), R9
	VBROADCASTSD a+40(FP), Y13
	VBROADCASTSD b+48(FP), Y14
	VBROADCASTSD vr+56(FP), Y15
	MOVQ n+64(FP), CX
	MOVQ s+72(FP), AX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7

#define SCHUNK(ACC) \
	TESTQ CX, CX; \
	JZ   sstore; \
	VMOVUPD (DI), Y8; \
	VFMADD231PD (SI), Y13, Y8; \
	VFMADD231PD (DX), Y14, Y8; \
	VMOVUPD Y8, (DI); \
	VFMADD231PD (R8), Y8, ACC; \
	VMOVUPD (R9), Y9; \
	VFMADD231PD Y8, Y15, Y9; \
	VMOVUPD Y9, (R9); \
	ADDQ $32, DI; \
	ADDQ $32, SI; \
	ADDQ $32, DX; \
	ADDQ $32, R8; \
	ADDQ $32, R9; \
	SUBQ $4, CX

sloop:
	SCHUNK(Y0)
	SCHUNK(Y1)
	SCHUNK(Y2)
	SCHUNK(Y3)
	SCHUNK(Y4)
	SCHUNK(Y5)
	SCHUNK(Y6)
	SCHUNK(Y7)
	JMP  sloop

sstore:
	VMOVUPD Y0, 0(AX)
	VMOVUPD Y1, 32(AX)
	VMOVUPD Y2, 64(AX)
	VMOVUPD Y3, 96(AX)
	VMOVUPD Y4, 128(AX)
	VMOVUPD Y5, 160(AX)
	VMOVUPD Y6, 192(AX)
	VMOVUPD Y7, 224(AX)
	VZEROUPPER
	RET
