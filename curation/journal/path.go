package journal

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultPath is $XDG_STATE_HOME/lightbox/journal.log, or ~/.local/state/lightbox/journal.log:
// state, not cache, since the journal is what undo and resume rely on.
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "lightbox", "journal.log"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("journal: %w", err)
	}
	return filepath.Join(home, ".local", "state", "lightbox", "journal.log"), nil
}
