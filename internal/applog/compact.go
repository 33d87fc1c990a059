package applog

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// compactSuffix marks a compaction's new file until it is renamed over the log.
const compactSuffix = ".compact-"

// Compact replaces the file with one holding only the records live returns. live runs under the
// exclusive lock after every record in the file has been applied, so it sees the latest state.
// The new file is written beside the old one, fsync'd and renamed over it: a crash leaves one
// or the other, whole. Other processes notice the new file before their next append or read.
func (l *Log) Compact(live func() ([][]byte, error)) error {
	return l.update(func() error {
		payloads, err := live()
		if err != nil {
			return err
		}
		if err := l.rewrite(payloads); err != nil {
			return fmt.Errorf("applog: compact %s: %w", l.path, err)
		}
		return nil
	})
}

func (l *Log) rewrite(payloads [][]byte) error {
	buf, err := encode(payloads, false)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(l.path)
	tmp, err := os.CreateTemp(dir, base+compactSuffix+"*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(buf)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), l.path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	syncDir(dir)
	old := l.f
	if err := l.openFile(); err != nil {
		return err
	}
	_ = old.Close()
	l.off, l.records = int64(len(buf)), len(payloads)
	l.writeMark()
	return nil
}

// removeStaleTemps deletes what a compaction killed before its rename left behind. Compactions
// run under the exclusive lock, which the caller holds, so none is in progress.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	entries, err := os.ReadDir(filepath.Clean(dir))
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base+compactSuffix) {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
