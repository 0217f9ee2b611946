//go:build amd64 && !purego

#include "textflag.h"

// CHUNKMASK sets K1 to the low CX bits (only the low 8 count for 8 lanes).
#define CHUNKMASK MOVQ $-1, AX; SHLQ CX, AX; NOTQ AX; KMOVW AX, K1

// REDUCE32 adds the 32 lanes of A, B, C, D into the low element of A by
// reduceLanes' tree: (A+B)+(C+D), then the width halved three times. It
// clobbers B and C; AY/AX and BY/BX name A's and B's lower halves.
#define REDUCE32(A, B, C, D, AY, BY, AX, BX) \
	VADDPD B, A, A; VADDPD D, C, C; VADDPD C, A, A; \
	VEXTRACTF64X4 $1, A, BY; VADDPD BY, AY, AY; \
	VEXTRACTF128 $1, AY, BX; VADDPD BX, AX, AX; \
	VPERMILPD $1, AX, BX; VADDSD BX, AX, AX

// func tile4x16(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask uint64, acc int)
// c[r][0:16] (+)= Σ_p a[r][p·ap] · b[p·ldb + 0:16] for r < 4, one FMA
// chain per element in p order; mask's low byte selects columns 0–7, the
// next byte columns 8–15. Strides are in elements; rows are given by
// pointer so a partial tile can aim its missing rows at scratch.
TEXT ·tile4x16(SB), NOSPLIT, $0-64
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
	KMOVW AX, K1
	SHRQ $8, AX
	KMOVW AX, K2
	MOVQ acc+56(FP), AX
	TESTQ AX, AX
	JZ   zero
	VMOVUPD.Z (DI), K1, Z0
	VMOVUPD.Z 64(DI), K2, Z1
	VMOVUPD.Z (R13), K1, Z2
	VMOVUPD.Z 64(R13), K2, Z3
	VMOVUPD.Z (R14), K1, Z4
	VMOVUPD.Z 64(R14), K2, Z5
	VMOVUPD.Z (R15), K1, Z6
	VMOVUPD.Z 64(R15), K2, Z7
	JMP  body

zero:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7

body:
	TESTQ CX, CX
	JZ   store

loop:
	VMOVUPD.Z (DX), K1, Z16
	VMOVUPD.Z 64(DX), K2, Z17
	VBROADCASTSD (SI), Z18
	VFMADD231PD Z16, Z18, Z0
	VFMADD231PD Z17, Z18, Z1
	VBROADCASTSD (R8), Z19
	VFMADD231PD Z16, Z19, Z2
	VFMADD231PD Z17, Z19, Z3
	VBROADCASTSD (R9), Z20
	VFMADD231PD Z16, Z20, Z4
	VFMADD231PD Z17, Z20, Z5
	VBROADCASTSD (R10), Z21
	VFMADD231PD Z16, Z21, Z6
	VFMADD231PD Z17, Z21, Z7
	ADDQ R11, SI
	ADDQ R11, R8
	ADDQ R11, R9
	ADDQ R11, R10
	ADDQ R12, DX
	DECQ CX
	JNZ  loop

store:
	VMOVUPD Z0, K1, (DI)
	VMOVUPD Z1, K2, 64(DI)
	VMOVUPD Z2, K1, (R13)
	VMOVUPD Z3, K2, 64(R13)
	VMOVUPD Z4, K1, (R14)
	VMOVUPD Z5, K2, 64(R14)
	VMOVUPD Z6, K1, (R15)
	VMOVUPD Z7, K2, 64(R15)
	VZEROUPPER
	RET

// func tile4x24(c *[4]*float64, a *[4]*float64, ap int, b *float64, ldb, k int, mask uint64, acc int)
// tile4x16 three vectors wide, for strips of 17–24 columns (the 20×20
// products of the DSA comparison): one tile instead of a full and a
// quarter-used one. mask's low three bytes select columns 0–7, 8–15 and
// 16–23; every element is the same FMA chain in p order.
TEXT ·tile4x24(SB), NOSPLIT, $0-64
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
	KMOVW AX, K1
	SHRQ $8, AX
	KMOVW AX, K2
	SHRQ $8, AX
	KMOVW AX, K3
	MOVQ acc+56(FP), AX
	TESTQ AX, AX
	JZ   zero24
	VMOVUPD.Z (DI), K1, Z0
	VMOVUPD.Z 64(DI), K2, Z1
	VMOVUPD.Z 128(DI), K3, Z2
	VMOVUPD.Z (R13), K1, Z3
	VMOVUPD.Z 64(R13), K2, Z4
	VMOVUPD.Z 128(R13), K3, Z5
	VMOVUPD.Z (R14), K1, Z6
	VMOVUPD.Z 64(R14), K2, Z7
	VMOVUPD.Z 128(R14), K3, Z8
	VMOVUPD.Z (R15), K1, Z9
	VMOVUPD.Z 64(R15), K2, Z10
	VMOVUPD.Z 128(R15), K3, Z11
	JMP  body24

zero24:
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	VPXORQ Z8, Z8, Z8
	VPXORQ Z9, Z9, Z9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

body24:
	TESTQ CX, CX
	JZ   store24

loop24:
	VMOVUPD.Z (DX), K1, Z16
	VMOVUPD.Z 64(DX), K2, Z17
	VMOVUPD.Z 128(DX), K3, Z18
	VBROADCASTSD (SI), Z19
	VFMADD231PD Z16, Z19, Z0
	VFMADD231PD Z17, Z19, Z1
	VFMADD231PD Z18, Z19, Z2
	VBROADCASTSD (R8), Z20
	VFMADD231PD Z16, Z20, Z3
	VFMADD231PD Z17, Z20, Z4
	VFMADD231PD Z18, Z20, Z5
	VBROADCASTSD (R9), Z21
	VFMADD231PD Z16, Z21, Z6
	VFMADD231PD Z17, Z21, Z7
	VFMADD231PD Z18, Z21, Z8
	VBROADCASTSD (R10), Z22
	VFMADD231PD Z16, Z22, Z9
	VFMADD231PD Z17, Z22, Z10
	VFMADD231PD Z18, Z22, Z11
	ADDQ R11, SI
	ADDQ R11, R8
	ADDQ R11, R9
	ADDQ R11, R10
	ADDQ R12, DX
	DECQ CX
	JNZ  loop24

store24:
	VMOVUPD Z0, K1, (DI)
	VMOVUPD Z1, K2, 64(DI)
	VMOVUPD Z2, K3, 128(DI)
	VMOVUPD Z3, K1, (R13)
	VMOVUPD Z4, K2, 64(R13)
	VMOVUPD Z5, K3, 128(R13)
	VMOVUPD Z6, K1, (R14)
	VMOVUPD Z7, K2, 64(R14)
	VMOVUPD Z8, K3, 128(R14)
	VMOVUPD Z9, K1, (R15)
	VMOVUPD Z10, K2, 64(R15)
	VMOVUPD Z11, K3, 128(R15)
	VZEROUPPER
	RET

// func dot512(x, y *float64, n int) float64
// 32 lanes: element t goes to lane t mod 32 (vector (t mod 32)/8).
TEXT ·dot512(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	CMPQ CX, $32
	JLT  tail

loop32:
	VMOVUPD (SI), Z4
	VMOVUPD 64(SI), Z5
	VMOVUPD 128(SI), Z6
	VMOVUPD 192(SI), Z7
	VFMADD231PD (DI), Z4, Z0
	VFMADD231PD 64(DI), Z5, Z1
	VFMADD231PD 128(DI), Z6, Z2
	VFMADD231PD 192(DI), Z7, Z3
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  loop32

tail:
	// Up to 31 left: chunks of 8 into Z0, Z1, Z2, Z3 in turn, the last masked.
	TESTQ CX, CX
	JZ   reduce
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z4
	VMOVUPD.Z (DI), K1, Z5
	VFMADD231PD Z4, Z5, K1, Z0
	SUBQ $8, CX
	JLE  reduce
	ADDQ $64, SI
	ADDQ $64, DI
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z4
	VMOVUPD.Z (DI), K1, Z5
	VFMADD231PD Z4, Z5, K1, Z1
	SUBQ $8, CX
	JLE  reduce
	ADDQ $64, SI
	ADDQ $64, DI
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z4
	VMOVUPD.Z (DI), K1, Z5
	VFMADD231PD Z4, Z5, K1, Z2
	SUBQ $8, CX
	JLE  reduce
	ADDQ $64, SI
	ADDQ $64, DI
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z4
	VMOVUPD.Z (DI), K1, Z5
	VFMADD231PD Z4, Z5, K1, Z3

reduce:
	REDUCE32(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1)
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func axpy512(alpha float64, x, y *float64, n int)
// y[t] = fma(alpha, x[t], y[t]).
TEXT ·axpy512(SB), NOSPLIT, $0-32
	VBROADCASTSD alpha+0(FP), Z31
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	MOVQ n+24(FP), CX
	CMPQ CX, $16
	JLT  atail

aloop:
	VMOVUPD (DI), Z0
	VMOVUPD 64(DI), Z1
	VFMADD231PD (SI), Z31, Z0
	VFMADD231PD 64(SI), Z31, Z1
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE  aloop

atail:
	TESTQ CX, CX
	JZ   adone
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z2
	VMOVUPD.Z (DI), K1, Z0
	VFMADD231PD Z2, Z31, Z0
	VMOVUPD Z0, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $8, CX
	JG   atail

adone:
	VZEROUPPER
	RET

// func axpy2512(alpha float64, x *float64, beta float64, z, y *float64, n int)
// y[t] = fma(beta, z[t], fma(alpha, x[t], y[t])).
TEXT ·axpy2512(SB), NOSPLIT, $0-48
	VBROADCASTSD alpha+0(FP), Z30
	MOVQ x+8(FP), SI
	VBROADCASTSD beta+16(FP), Z31
	MOVQ z+24(FP), DX
	MOVQ y+32(FP), DI
	MOVQ n+40(FP), CX
	CMPQ CX, $16
	JLT  btail

bloop:
	VMOVUPD (DI), Z0
	VMOVUPD 64(DI), Z1
	VFMADD231PD (SI), Z30, Z0
	VFMADD231PD 64(SI), Z30, Z1
	VFMADD231PD (DX), Z31, Z0
	VFMADD231PD 64(DX), Z31, Z1
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $16, CX
	CMPQ CX, $16
	JGE  bloop

btail:
	TESTQ CX, CX
	JZ   bdone
	CHUNKMASK
	VMOVUPD.Z (SI), K1, Z2
	VMOVUPD.Z (DX), K1, Z3
	VMOVUPD.Z (DI), K1, Z0
	VFMADD231PD Z2, Z30, Z0
	VFMADD231PD Z3, Z31, Z0
	VMOVUPD Z0, K1, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $8, CX
	JG   btail

bdone:
	VZEROUPPER
	RET

// func ger512(dst *float64, ldc int, l *float64, ls int, x *float64, m, n int)
// dst[i·ldc + j] = fma(l[i·ls], x[j], dst[i·ldc + j]) for i < m, j < n.
TEXT ·ger512(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ ldc+8(FP), R8
	SHLQ $3, R8
	MOVQ l+16(FP), SI
	MOVQ ls+24(FP), R9
	SHLQ $3, R9
	MOVQ x+32(FP), DX
	MOVQ m+40(FP), R10
	MOVQ n+48(FP), R11
	TESTQ R10, R10
	JZ   gdone

grow:
	VBROADCASTSD (SI), Z31
	MOVQ DI, R12
	MOVQ DX, R13
	MOVQ R11, CX
	CMPQ CX, $8
	JLT  gtail

gchunk:
	VMOVUPD (R12), Z0
	VFMADD231PD (R13), Z31, Z0
	VMOVUPD Z0, (R12)
	ADDQ $64, R12
	ADDQ $64, R13
	SUBQ $8, CX
	CMPQ CX, $8
	JGE  gchunk

gtail:
	TESTQ CX, CX
	JZ   gnext
	CHUNKMASK
	VMOVUPD.Z (R12), K1, Z0
	VMOVUPD.Z (R13), K1, Z1
	VFMADD231PD Z1, Z31, Z0
	VMOVUPD Z0, K1, (R12)

gnext:
	ADDQ R8, DI
	ADDQ R9, SI
	DECQ R10
	JNZ  grow

gdone:
	VZEROUPPER
	RET

// SYMCHUNK does SymRow's work on the 8 elements at byte offset off,
// accumulating the dot product into ACC.
#define SYMCHUNK(off, ACC) \
	VMOVUPD off(DI), Z4; \
	VFMADD231PD off(SI), Z28, Z4; \
	VFMADD231PD off(DX), Z29, Z4; \
	VMOVUPD Z4, off(DI); \
	VFMADD231PD off(R8), Z4, ACC; \
	VMOVUPD off(R9), Z5; \
	VFMADD231PD Z4, Z30, Z5; \
	VMOVUPD Z5, off(R9)

// SYMTAIL is SYMCHUNK on the first CX (< 8 or more) elements at (DI) etc.
#define SYMTAIL(ACC) \
	CHUNKMASK; \
	VMOVUPD.Z (DI), K1, Z4; \
	VMOVUPD.Z (SI), K1, Z6; \
	VMOVUPD.Z (DX), K1, Z7; \
	VFMADD231PD Z6, Z28, Z4; \
	VFMADD231PD Z7, Z29, Z4; \
	VMOVUPD Z4, K1, (DI); \
	VMOVUPD.Z (R8), K1, Z6; \
	VFMADD231PD Z4, Z6, K1, ACC; \
	VMOVUPD.Z (R9), K1, Z5; \
	VFMADD231PD Z4, Z30, Z5; \
	VMOVUPD Z5, K1, (R9)

// func symRow512(row, x, z, v, w *float64, a, b, vr float64, n int) float64
TEXT ·symRow512(SB), NOSPLIT, $0-80
	MOVQ row+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ z+16(FP), DX
	MOVQ v+24(FP), R8
	MOVQ w+32(FP), R9
	VBROADCASTSD a+40(FP), Z28
	VBROADCASTSD b+48(FP), Z29
	VBROADCASTSD vr+56(FP), Z30
	MOVQ n+64(FP), CX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	CMPQ CX, $32
	JLT  stail

sloop:
	SYMCHUNK(0, Z0)
	SYMCHUNK(64, Z1)
	SYMCHUNK(128, Z2)
	SYMCHUNK(192, Z3)
	ADDQ $256, DI
	ADDQ $256, SI
	ADDQ $256, DX
	ADDQ $256, R8
	ADDQ $256, R9
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  sloop

stail:
	TESTQ CX, CX
	JZ   sreduce
	SYMTAIL(Z0)
	SUBQ $8, CX
	JLE  sreduce
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	SYMTAIL(Z1)
	SUBQ $8, CX
	JLE  sreduce
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	SYMTAIL(Z2)
	SUBQ $8, CX
	JLE  sreduce
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, R8
	ADDQ $64, R9
	SYMTAIL(Z3)

sreduce:
	REDUCE32(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1)
	VZEROUPPER
	MOVSD X0, ret+72(FP)
	RET

// CGVEC is one vector of cgStep512 at byte offset off, its sums into RR
// and RZ: x += α·d, hx += α·hd, r += (−α)·hd, z = r·m, RR += r·r,
// RZ += r·z.
#define CGVEC(off, RR, RZ) \
	VMOVUPD off(DI), Z4; VFMADD231PD off(SI), Z30, Z4; VMOVUPD Z4, off(DI); \
	VMOVUPD off(DX), Z6; VMOVUPD off(R9), Z5; VFMADD231PD Z6, Z30, Z5; VMOVUPD Z5, off(R9); \
	VMOVUPD off(R10), Z7; VFMADD231PD Z6, Z31, Z7; VMOVUPD Z7, off(R10); \
	VMULPD off(R8), Z7, Z8; VMOVUPD Z8, off(R11); \
	VFMADD231PD Z7, Z7, RR; VFMADD231PD Z8, Z7, RZ

// CGTAIL is CGVEC for the K1 lanes of the vector at 0 (the others are
// neither read nor written and leave RR and RZ as they are).
#define CGTAIL(RR, RZ) \
	VMOVUPD.Z (DI), K1, Z4; VMOVUPD.Z (SI), K1, Z9; VFMADD231PD Z9, Z30, Z4; VMOVUPD Z4, K1, (DI); \
	VMOVUPD.Z (DX), K1, Z6; VMOVUPD.Z (R9), K1, Z5; VFMADD231PD Z6, Z30, Z5; VMOVUPD Z5, K1, (R9); \
	VMOVUPD.Z (R10), K1, Z7; VFMADD231PD Z6, Z31, Z7; VMOVUPD Z7, K1, (R10); \
	VMOVUPD.Z (R8), K1, Z9; VMULPD Z9, Z7, Z8; VMOVUPD Z8, K1, (R11); \
	VFMADD231PD Z7, Z7, K1, RR; VFMADD231PD Z8, Z7, K1, RZ

// CGNEXT advances every pointer of cgStep512 by n bytes.
#define CGNEXT(n) ADDQ n, SI; ADDQ n, DX; ADDQ n, R8; ADDQ n, DI; ADDQ n, R9; ADDQ n, R10; ADDQ n, R11

// func cgStep512(alpha, negAlpha float64, d, hd, m, x, hx, r, z *float64, n int) (rr, rz float64)
// For t < n: x[t] = fma(α, d[t], x[t]), hx[t] = fma(α, hd[t], hx[t]),
// r[t] = fma(−α, hd[t], r[t]), z[t] = r[t]·m[t]; returns Σ r·r and Σ r·z
// in dot512's lanes and tree.
TEXT ·cgStep512(SB), NOSPLIT, $0-96
	VBROADCASTSD alpha+0(FP), Z30
	VBROADCASTSD negAlpha+8(FP), Z31
	MOVQ d+16(FP), SI
	MOVQ hd+24(FP), DX
	MOVQ m+32(FP), R8
	MOVQ x+40(FP), DI
	MOVQ hx+48(FP), R9
	MOVQ r+56(FP), R10
	MOVQ z+64(FP), R11
	MOVQ n+72(FP), CX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11
	VPXORQ Z12, Z12, Z12
	VPXORQ Z13, Z13, Z13
	CMPQ CX, $32
	JLT  cgtail

cgloop:
	CGVEC(0, Z0, Z10)
	CGVEC(64, Z1, Z11)
	CGVEC(128, Z2, Z12)
	CGVEC(192, Z3, Z13)
	CGNEXT($256)
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  cgloop

cgtail:
	// Up to 31 left: chunks of 8 into the four sums in turn, as dot512.
	TESTQ CX, CX
	JZ   cgreduce
	CHUNKMASK
	CGTAIL(Z0, Z10)
	SUBQ $8, CX
	JLE  cgreduce
	CGNEXT($64)
	CHUNKMASK
	CGTAIL(Z1, Z11)
	SUBQ $8, CX
	JLE  cgreduce
	CGNEXT($64)
	CHUNKMASK
	CGTAIL(Z2, Z12)
	SUBQ $8, CX
	JLE  cgreduce
	CGNEXT($64)
	CHUNKMASK
	CGTAIL(Z3, Z13)

cgreduce:
	REDUCE32(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1)
	REDUCE32(Z10, Z11, Z12, Z13, Y10, Y11, X10, X11)
	VZEROUPPER
	MOVSD X0, rr+80(FP)
	MOVSD X10, rz+88(FP)
	RET

// func scaleSub512(beta float64, d, z *float64, n int)
// d[t] = β·d[t] − z[t], the product rounded.
TEXT ·scaleSub512(SB), NOSPLIT, $0-32
	VBROADCASTSD beta+0(FP), Z31
	MOVQ d+8(FP), DI
	MOVQ z+16(FP), SI
	MOVQ n+24(FP), CX

	CMPQ CX, $8
	JLT  sstail

ssloop:
	VMULPD (DI), Z31, Z0
	VSUBPD (SI), Z0, Z0
	VMOVUPD Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $8, CX
	CMPQ CX, $8
	JGE  ssloop

sstail:
	TESTQ CX, CX
	JZ   ssdone
	CHUNKMASK
	VMOVUPD.Z (DI), K1, Z0
	VMOVUPD.Z (SI), K1, Z1
	VMULPD Z31, Z0, Z0
	VSUBPD Z1, Z0, Z0
	VMOVUPD Z0, K1, (DI)

ssdone:
	VZEROUPPER
	RET
