package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// EnvConfig names the environment variable that overrides the config file path.
const EnvConfig = "LIGHTBOX_CONFIG"

// DefaultPath is where lightbox looks for its config file: $LIGHTBOX_CONFIG
// when set, else <user config dir>/lightbox/config.toml.
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvConfig); p != "" {
		return expandHome(p, ""), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "lightbox", "config.toml"), nil
}

// DefaultCachePath is the default score cache: <user cache dir>/lightbox/scores.log.
func DefaultCachePath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "lightbox", "scores.log"), nil
}

// DefaultJournalPath is the default curation journal:
// <user state dir>/lightbox/journal.log.
func DefaultJournalPath() (string, error) {
	dir, err := userStateDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "lightbox", "journal.log"), nil
}

// userStateDir follows the XDG base directory spec, which the standard library
// has no helper for: $XDG_STATE_HOME if absolute, else ~/.local/state.
func userStateDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if home == "" {
		return "", errors.New("no home directory")
	}
	return filepath.Join(home, ".local", "state"), nil
}

// expandHome turns a leading "~/" into the home directory, since paths in
// the config file are typed by people used to their shell doing it. home ""
// means os.UserHomeDir; when no home is known the path is left alone.
func expandHome(p, home string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") && !strings.HasPrefix(p, "~"+string(filepath.Separator)) {
		return p
	}
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil || h == "" {
			return p
		}
		home = h
	}
	return filepath.Join(home, p[1:])
}
