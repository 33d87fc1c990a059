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

chunk:
	MOVQ    wt+32(FP), R11
	ADDQ    AX, R11
	VMOVUPS (R11), Y0
	VMOVUPS (R11)(R13*1), Y1
	LEAQ    (R11)(R13*2), R11
	VMOVUPS (R11), Y2
	VMOVUPS (R11)(R13*1), Y3
	LEAQ    (R11)(R13*2), R11
	VMOVUPS (R11), Y4
	VMOVUPS (R11)(R13*1), Y5
	LEAQ    (R11)(R13*2), R11
	VMOVUPS (R11), Y6
	VMOVUPS (R11)(R13*1), Y7
	LEAQ    (R11)(R13*2), R11
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

pair:
	CMPQ R12, $2
	JLT  single
	VMOVAPS     Y9, Y10
	VFMADD231PS (SI), Y0, Y10
	VMULPS      (DX), Y3, Y11
	VMULPS      (CX), Y6, Y12
	VMOVAPS     Y9, Y13
	VFMADD231PS (R8), Y0, Y13
	VMULPS      (R9), Y3, Y14
	VMULPS      (R10), Y6, Y15
	VFMADD231PS (SI)(R13*1), Y1, Y10
	VFMADD231PS (DX)(R13*1), Y4, Y11
	VFMADD231PS (CX)(R13*1), Y7, Y12
	VFMADD231PS (R8)(R13*1), Y1, Y13
	VFMADD231PS (R9)(R13*1), Y4, Y14
	VFMADD231PS (R10)(R13*1), Y7, Y15
	VFMADD231PS (SI)(R13*2), Y2, Y10
	VFMADD231PS (DX)(R13*2), Y5, Y11
	VFMADD231PS (CX)(R13*2), Y8, Y12
	VFMADD231PS (R8)(R13*2), Y2, Y13
	VFMADD231PS (R9)(R13*2), Y5, Y14
	VFMADD231PS (R10)(R13*2), Y8, Y15
	VADDPS      Y11, Y10, Y10
	VADDPS      Y14, Y13, Y13
	VADDPS      Y12, Y10, Y10
	VADDPS      Y15, Y13, Y13
	VMAXPS      dwzero<>(SB), Y10, Y10
	VMAXPS      dwzero<>(SB), Y13, Y13
	VMINPS      dwsix<>(SB), Y10, Y10
	VMINPS      dwsix<>(SB), Y13, Y13
	VMOVUPS     Y10, (BX)
	VMOVUPS     Y13, (BX)(R13*1)
	ADDQ        R14, SI
	ADDQ        R14, DX
	ADDQ        R14, CX
	ADDQ        R14, R8
	ADDQ        R14, R9
	ADDQ        R14, R10
	LEAQ        (BX)(R13*2), BX
	SUBQ        $2, R12
	JMP         pair

single:
	CMPQ R12, $1
	JLT  next
	VMOVAPS     Y9, Y10
	VFMADD231PS (SI), Y0, Y10
	VMULPS      (DX), Y3, Y11
	VMULPS      (CX), Y6, Y12
	VFMADD231PS (SI)(R13*1), Y1, Y10
	VFMADD231PS (DX)(R13*1), Y4, Y11
	VFMADD231PS (CX)(R13*1), Y7, Y12
	VFMADD231PS (SI)(R13*2), Y2, Y10
	VFMADD231PS (DX)(R13*2), Y5, Y11
	VFMADD231PS (CX)(R13*2), Y8, Y12
	VADDPS      Y11, Y10, Y10
	VADDPS      Y12, Y10, Y10
	VMAXPS      dwzero<>(SB), Y10, Y10
	VMINPS      dwsix<>(SB), Y10, Y10
	VMOVUPS     Y10, (BX)

next:
	ADDQ $32, AX
	CMPQ AX, R13
	JLT  chunk
	VZEROUPPER
	RET
