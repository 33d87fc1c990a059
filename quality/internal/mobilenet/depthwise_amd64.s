//go:build amd64 && !purego

#include "textflag.h"

// The AVX2+FMA kernel of depthwise.go: one output row's interior positions, eight channels
// at a time, two positions per step. Each output sums its window row by row in three
// independent chains, (bias + row 0) + row 1 + row 2, so that the adds of one chain hide
// the latency of the others; then ReLU6.

DATA dwzero<>+0(SB)/8, $0
DATA dwzero<>+8(SB)/8, $0
DATA dwzero<>+16(SB)/8, $0
DATA dwzero<>+24(SB)/8, $0
GLOBL dwzero<>(SB), RODATA|NOPTR, $32

DATA dwsix<>+0(SB)/8, $0x40c0000040c00000
DATA dwsix<>+8(SB)/8, $0x40c0000040c00000
DATA dwsix<>+16(SB)/8, $0x40c0000040c00000
DATA dwsix<>+24(SB)/8, $0x40c0000040c00000
GLOBL dwsix<>(SB), RODATA|NOPTR, $32

// func dwRow(o, r0, r1, r2, wt, b *float32, c, n, step int)
//
// o is the first of n outputs of c channels each, contiguous. rK points into input row K
// at the first output's window's left column; each later output's window starts step
// floats further. wt holds the weights as [9][c] (row-major taps), b the c biases. c is a
// positive multiple of 8 and n >= 1.
TEXT ·dwRow(SB), NOSPLIT, $0-72
	MOVQ c+48(FP), R13
	SHLQ $2, R13            // bytes per position
	MOVQ step+64(FP), R15
	SHLQ $2, R15            // bytes from one window to the next
	LEAQ (R15)(R15*1), R14  // two windows
	XORQ AX, AX             // byte offset of the current eight channels

// TAPS2 loads two taps' weights for the current channels from R11 and steps R11 past them.
#define TAPS2(A, B) \
	VMOVUPS (R11), A; \
	VMOVUPS (R11)(R13*1), B; \
	LEAQ    (R11)(R13*2), R11

chunk:
	MOVQ    wt+32(FP), R11
	ADDQ    AX, R11
	TAPS2(Y0, Y1)
	TAPS2(Y2, Y3)
	TAPS2(Y4, Y5)
	TAPS2(Y6, Y7)
	VMOVUPS (R11), Y8
	MOVQ    b+40(FP), R11
	VMOVUPS (R11)(AX*1), Y9
	MOVQ    r0+8(FP), SI
	ADDQ    AX, SI
	MOVQ    r1+16(FP), DX
	ADDQ    AX, DX
	MOVQ    r2+24(FP), CX
	ADDQ    AX, CX
	LEAQ    (SI)(R15*1), R8
	LEAQ    (DX)(R15*1), R9
	LEAQ    (CX)(R15*1), R10
	MOVQ    o+0(FP), BX
	ADDQ    AX, BX
	MOVQ    n+56(FP), R12

// DWOUT sums one output's window, rows at R0, R1, R2 (each three positions of R13 bytes),
// into A with B and C as the other two chains, then applies ReLU6.
#define DWOUT(R0, R1, R2, A, B, C) \
	VMOVAPS     Y9, A; \
	VFMADD231PS (R0), Y0, A; \
	VMULPS      (R1), Y3, B; \
	VMULPS      (R2), Y6, C; \
	VFMADD231PS (R0)(R13*1), Y1, A; \
	VFMADD231PS (R1)(R13*1), Y4, B; \
	VFMADD231PS (R2)(R13*1), Y7, C; \
	VFMADD231PS (R0)(R13*2), Y2, A; \
	VFMADD231PS (R1)(R13*2), Y5, B; \
	VFMADD231PS (R2)(R13*2), Y8, C; \
	VADDPS      B, A, A; \
	VADDPS      C, A, A; \
	VMAXPS      dwzero<>(SB), A, A; \
	VMINPS      dwsix<>(SB), A, A

pair:
	CMPQ    R12, $2
	JLT     single
	DWOUT(SI, DX, CX, Y10, Y11, Y12)
	DWOUT(R8, R9, R10, Y13, Y14, Y15)
	VMOVUPS Y10, (BX)
	VMOVUPS Y13, (BX)(R13*1)
	ADDQ    R14, SI
	ADDQ    R14, DX
	ADDQ    R14, CX
	ADDQ    R14, R8
	ADDQ    R14, R9
	ADDQ    R14, R10
	LEAQ    (BX)(R13*2), BX
	SUBQ    $2, R12
	JMP     pair

single:
	CMPQ    R12, $1
	JLT     next
	DWOUT(SI, DX, CX, Y10, Y11, Y12)
	VMOVUPS Y10, (BX)

next:
	ADDQ $32, AX
	CMPQ AX, R13
	JLT  chunk
	VZEROUPPER
	RET
