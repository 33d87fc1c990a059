package config

import (
	"crypto/aes"
	"encoding/base64"
	"errors"
	"fmt"
)

// COSCLI stores secrets in ~/.cos.yaml as base64(AES-128-ECB(zero-padded
// plaintext)) under a key hard-coded in COSCLI itself. That is obfuscation, not
// encryption: anyone can decrypt it, and ECB leaks equal blocks. It is
// implemented here only to read and write COSCLI's files; never use it to
// protect anything.
var coscliKey = func() []byte {
	k := make([]byte, aes.BlockSize) // "coscli-secret" zero-padded to 16 bytes
	copy(k, "coscli-secret")
	return k
}()

// EncryptCOSCLISecret encodes plain the way COSCLI writes secrets to
// ~/.cos.yaml. Like COSCLI it always appends 1..16 zero bytes, so a plaintext
// whose length is a multiple of 16 gains a whole block of zeros; the output is
// byte-for-byte what COSCLI produces.
func EncryptCOSCLISecret(plain string) string {
	block, err := aes.NewCipher(coscliKey)
	if err != nil {
		panic(err) // the key is a constant 16 bytes; this cannot fail
	}
	n := len(plain) + aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, n)
	copy(buf, plain)
	// ECB: each block on its own, no IV, no chaining.
	for i := 0; i < n; i += aes.BlockSize {
		block.Encrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
	}
	return base64.StdEncoding.EncodeToString(buf)
}

// DecryptCOSCLISecret reverses EncryptCOSCLISecret and strips the zero
// padding. It fails on text that is not standard base64 or not whole blocks,
// which is how plain-text secrets usually show themselves.
func DecryptCOSCLISecret(s string) (string, error) {
	buf, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("not a COSCLI-encrypted value: %w", err)
	}
	if len(buf)%aes.BlockSize != 0 {
		return "", errors.New("not a COSCLI-encrypted value: not a whole number of AES blocks")
	}
	block, err := aes.NewCipher(coscliKey)
	if err != nil {
		panic(err)
	}
	for i := 0; i < len(buf); i += aes.BlockSize {
		block.Decrypt(buf[i:i+aes.BlockSize], buf[i:i+aes.BlockSize])
	}
	end := len(buf)
	for end > 0 && buf[end-1] == 0 {
		end--
	}
	return string(buf[:end]), nil
}
