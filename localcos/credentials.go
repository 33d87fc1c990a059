package localcos

import (
	"crypto/rand"
	"math/big"
)

// GenerateCredential makes a fresh random key pair shaped like Tencent's (a 36-character
// SecretId starting AKID, a 32-character SecretKey), for a server that was given none.
func GenerateCredential() (Credential, error) {
	id, err := randomString(32)
	if err != nil {
		return Credential{}, err
	}
	key, err := randomString(32)
	if err != nil {
		return Credential{}, err
	}
	return Credential{SecretID: "AKID" + id, SecretKey: key}, nil
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(n int) (string, error) {
	b := make([]byte, n)
	limit := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", err
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b), nil
}
