//go:build amd64 && !purego

#include "textflag.h"

// AVX2+FMA kernels for the pointwise layers: C[r][0:N] += sum over i<k of A[r][i]*W[i][0:N]
// for a few rows r, every output accumulated in input-channel order from the value already
// in C (the bias, or the residual plus the bias), then optionally clamped to [0, 6].
// Strides are in float32s. Callers guarantee k >= 1 and that every row and column exists.

DATA six<>+0(SB)/4, $0x40c00000 // 6.0
GLOBL six<>(SB), RODATA|NOPTR, $4

// ARGS loads the arguments every multi-row kernel takes: A rows from SI (stride R8 bytes),
// W from DI (row stride R9 bytes), C from DX (row stride R10 bytes), k in CX.
#define ARGS \
	MOVQ a+0(FP), SI; \
	MOVQ lda+8(FP), R8; \
	MOVQ w+16(FP), DI; \
	MOVQ ldw+24(FP), R9; \
	MOVQ c+32(FP), DX; \
	MOVQ ldc+40(FP), R10; \
	MOVQ k+48(FP), CX; \
	SHLQ $2, R8; \
	SHLQ $2, R9; \
	SHLQ $2, R10

// ROWS4 points R11-R13 at A's rows 1-3 and R14, R15, BX at C's.
#define ROWS4 \
	LEAQ (SI)(R8*1), R11; \
	LEAQ (R11)(R8*1), R12; \
	LEAQ (R12)(R8*1), R13; \
	LEAQ (DX)(R10*1), R14; \
	LEAQ (R14)(R10*1), R15; \
	LEAQ (R15)(R10*1), BX

// CLAMPINIT sets Z to zeros and S to sixes; CLAMP clamps Y to [0, 6] with them.
#define CLAMPINIT(Z, S) \
	VXORPS       Z, Z, Z; \
	VBROADCASTSS six<>(SB), S

#define CLAMP(Y, Z, S) \
	VMAXPS Z, Y, Y; \
	VMINPS S, Y, Y

// FMA2 adds the broadcast of the float at P times the weight vectors Y12 and Y13 to A and B.
#define FMA2(P, A, B) \
	VBROADCASTSS (P), Y14; \
	VFMADD231PS  Y12, Y14, A; \
	VFMADD231PS  Y13, Y14, B

// FMA1 adds the broadcast of the float at P times the weight vector Y12 to A.
#define FMA1(P, A) \
	VBROADCASTSS (P), Y14; \
	VFMADD231PS  Y12, Y14, A

// ARGS1 loads the arguments of the one-row kernels: A from SI, W from DI (row stride R9
// bytes), C from DX, k in CX.
#define ARGS1 \
	MOVQ a+0(FP), SI; \
	MOVQ w+8(FP), DI; \
	MOVQ ldw+16(FP), R9; \
	MOVQ c+24(FP), DX; \
	MOVQ k+32(FP), CX; \
	SHLQ $2, R9

// STEP4 moves the first four A row pointers to their next input channel.
#define STEP4 \
	ADDQ $4, SI; \
	ADDQ $4, R11; \
	ADDQ $4, R12; \
	ADDQ $4, R13

// func gemm6x16(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)
//
// Six rows by 16 columns: twelve accumulators, so each pair of weight loads feeds twelve
// fused multiply-adds.
TEXT ·gemm6x16(SB), NOSPLIT, $0-57
	ARGS
	LEAQ    (SI)(R8*1), R11
	LEAQ    (R11)(R8*1), R12
	LEAQ    (R12)(R8*1), R13
	LEAQ    (R13)(R8*1), R14
	LEAQ    (R14)(R8*1), R15
	MOVQ    DX, BX
	VMOVUPS (BX), Y0
	VMOVUPS 32(BX), Y1
	ADDQ    R10, BX
	VMOVUPS (BX), Y2
	VMOVUPS 32(BX), Y3
	ADDQ    R10, BX
	VMOVUPS (BX), Y4
	VMOVUPS 32(BX), Y5
	ADDQ    R10, BX
	VMOVUPS (BX), Y6
	VMOVUPS 32(BX), Y7
	ADDQ    R10, BX
	VMOVUPS (BX), Y8
	VMOVUPS 32(BX), Y9
	ADDQ    R10, BX
	VMOVUPS (BX), Y10
	VMOVUPS 32(BX), Y11

loop6x16:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA2(SI, Y0, Y1)
	FMA2(R11, Y2, Y3)
	FMA2(R12, Y4, Y5)
	FMA2(R13, Y6, Y7)
	FMA2(R14, Y8, Y9)
	FMA2(R15, Y10, Y11)
	STEP4
	ADDQ    $4, R14
	ADDQ    $4, R15
	ADDQ    R9, DI
	DECQ    CX
	JNZ     loop6x16

	CMPB relu6+56(FP), $0
	JEQ  store6x16
	CLAMPINIT(Y12, Y13)
	CLAMP(Y0, Y12, Y13)
	CLAMP(Y1, Y12, Y13)
	CLAMP(Y2, Y12, Y13)
	CLAMP(Y3, Y12, Y13)
	CLAMP(Y4, Y12, Y13)
	CLAMP(Y5, Y12, Y13)
	CLAMP(Y6, Y12, Y13)
	CLAMP(Y7, Y12, Y13)
	CLAMP(Y8, Y12, Y13)
	CLAMP(Y9, Y12, Y13)
	CLAMP(Y10, Y12, Y13)
	CLAMP(Y11, Y12, Y13)

store6x16:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	ADDQ    R10, DX
	VMOVUPS Y2, (DX)
	VMOVUPS Y3, 32(DX)
	ADDQ    R10, DX
	VMOVUPS Y4, (DX)
	VMOVUPS Y5, 32(DX)
	ADDQ    R10, DX
	VMOVUPS Y6, (DX)
	VMOVUPS Y7, 32(DX)
	ADDQ    R10, DX
	VMOVUPS Y8, (DX)
	VMOVUPS Y9, 32(DX)
	ADDQ    R10, DX
	VMOVUPS Y10, (DX)
	VMOVUPS Y11, 32(DX)
	VZEROUPPER
	RET

// func gemm4x16(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)
TEXT ·gemm4x16(SB), NOSPLIT, $0-57
	ARGS
	ROWS4
	VMOVUPS (DX), Y0
	VMOVUPS 32(DX), Y1
	VMOVUPS (R14), Y2
	VMOVUPS 32(R14), Y3
	VMOVUPS (R15), Y4
	VMOVUPS 32(R15), Y5
	VMOVUPS (BX), Y6
	VMOVUPS 32(BX), Y7

loop4x16:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA2(SI, Y0, Y1)
	FMA2(R11, Y2, Y3)
	FMA2(R12, Y4, Y5)
	FMA2(R13, Y6, Y7)
	STEP4
	ADDQ    R9, DI
	DECQ    CX
	JNZ     loop4x16

	CMPB relu6+56(FP), $0
	JEQ  store4x16
	CLAMPINIT(Y12, Y13)
	CLAMP(Y0, Y12, Y13)
	CLAMP(Y1, Y12, Y13)
	CLAMP(Y2, Y12, Y13)
	CLAMP(Y3, Y12, Y13)
	CLAMP(Y4, Y12, Y13)
	CLAMP(Y5, Y12, Y13)
	CLAMP(Y6, Y12, Y13)
	CLAMP(Y7, Y12, Y13)

store4x16:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, (R14)
	VMOVUPS Y3, 32(R14)
	VMOVUPS Y4, (R15)
	VMOVUPS Y5, 32(R15)
	VMOVUPS Y6, (BX)
	VMOVUPS Y7, 32(BX)
	VZEROUPPER
	RET

// func gemm4x8(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)
TEXT ·gemm4x8(SB), NOSPLIT, $0-57
	ARGS
	ROWS4
	VMOVUPS (DX), Y0
	VMOVUPS (R14), Y2
	VMOVUPS (R15), Y4
	VMOVUPS (BX), Y6

loop4x8:
	VMOVUPS (DI), Y12
	FMA1(SI, Y0)
	FMA1(R11, Y2)
	FMA1(R12, Y4)
	FMA1(R13, Y6)
	STEP4
	ADDQ    R9, DI
	DECQ    CX
	JNZ     loop4x8

	CMPB relu6+56(FP), $0
	JEQ  store4x8
	CLAMPINIT(Y12, Y13)
	CLAMP(Y0, Y12, Y13)
	CLAMP(Y2, Y12, Y13)
	CLAMP(Y4, Y12, Y13)
	CLAMP(Y6, Y12, Y13)

store4x8:
	VMOVUPS Y0, (DX)
	VMOVUPS Y2, (R14)
	VMOVUPS Y4, (R15)
	VMOVUPS Y6, (BX)
	VZEROUPPER
	RET

// func gemm1x32(a *float32, w *float32, ldw int, c *float32, k int, relu6 bool)
//
// One row, 32 columns: four independent accumulators, where gemm1x8's one would wait on
// its own latency every step.
TEXT ·gemm1x32(SB), NOSPLIT, $0-41
	ARGS1
	VMOVUPS (DX), Y0
	VMOVUPS 32(DX), Y1
	VMOVUPS 64(DX), Y2
	VMOVUPS 96(DX), Y3

loop1x32:
	VBROADCASTSS (SI), Y10
	VFMADD231PS  (DI), Y10, Y0
	VFMADD231PS  32(DI), Y10, Y1
	VFMADD231PS  64(DI), Y10, Y2
	VFMADD231PS  96(DI), Y10, Y3
	ADDQ         $4, SI
	ADDQ         R9, DI
	DECQ         CX
	JNZ          loop1x32

	CMPB relu6+40(FP), $0
	JEQ  store1x32
	CLAMPINIT(Y14, Y15)
	CLAMP(Y0, Y14, Y15)
	CLAMP(Y1, Y14, Y15)
	CLAMP(Y2, Y14, Y15)
	CLAMP(Y3, Y14, Y15)

store1x32:
	VMOVUPS Y0, (DX)
	VMOVUPS Y1, 32(DX)
	VMOVUPS Y2, 64(DX)
	VMOVUPS Y3, 96(DX)
	VZEROUPPER
	RET

// func gemm1x8(a *float32, w *float32, ldw int, c *float32, k int, relu6 bool)
TEXT ·gemm1x8(SB), NOSPLIT, $0-41
	ARGS1
	VMOVUPS (DX), Y0

loop1x8:
	VBROADCASTSS (SI), Y10
	VFMADD231PS  (DI), Y10, Y0
	ADDQ         $4, SI
	ADDQ         R9, DI
	DECQ         CX
	JNZ          loop1x8

	CMPB relu6+40(FP), $0
	JEQ  store1x8
	CLAMPINIT(Y14, Y15)
	CLAMP(Y0, Y14, Y15)

store1x8:
	VMOVUPS Y0, (DX)
	VZEROUPPER
	RET

// func statsAdd(sum, sq *float64, x *float32, n int)
//
// sum[i] += float64(x[i]) and sq[i] += float64(x[i])², four at a time, for n a multiple of
// four: the same float64 operations tapStats.add does one by one (the square of a float32
// is exact in float64, so the results are identical).
TEXT ·statsAdd(SB), NOSPLIT, $0-32
	MOVQ sum+0(FP), DI
	MOVQ sq+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	SHRQ $2, CX
	JZ   statsDone

statsLoop:
	VCVTPS2PD (SI), Y0
	VADDPD    (DI), Y0, Y1
	VMOVUPD   Y1, (DI)
	VMULPD    Y0, Y0, Y2
	VADDPD    (DX), Y2, Y2
	VMOVUPD   Y2, (DX)
	ADDQ      $16, SI
	ADDQ      $32, DI
	ADDQ      $32, DX
	DECQ      CX
	JNZ       statsLoop

statsDone:
	VZEROUPPER
	RET
