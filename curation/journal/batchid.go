package journal

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// NewBatchID returns a new batch id such as "20260314T101502Z-9f86d081884c": ids sort by
// creation time, and the random part keeps two processes' batches apart.
func NewBatchID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail (it aborts the program instead)
	return time.Now().UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
