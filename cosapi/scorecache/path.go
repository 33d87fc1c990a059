package scorecache

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultPath is where lightbox keeps scores: <user cache dir>/lightbox/scores.log. A cache
// folder fits: losing it costs money to re-score, never data.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("scorecache: %w", err)
	}
	return filepath.Join(dir, "lightbox", "scores.log"), nil
}
