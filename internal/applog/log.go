// Package applog is an append-only record log in one file, shared by lightbox processes: the
// score cache and the change journal stand on it.
//
// Each record is one line, "<crc32c hex> <payload>\n". A torn or damaged line is skipped and
// counted, never fatal. Appends are one write(2) and one fsync, under an exclusive flock on a
// sibling "<path>.lock" file (the log itself is renamed over by compaction, so it cannot carry
// the lock). Readers read under a shared lock, so they never see half an append.
package applog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned by operations on a closed Log.
var ErrClosed = errors.New("applog: log is closed")

// Options tell a Log what to do with the records it reads.
type Options struct {
	// Apply receives every intact record, in file order: the whole file at Open, then whatever
	// was appended since (by any process) at each Refresh, AppendFunc or Compact. The slice is
	// only valid during the call. An error marks the record as skipped.
	Apply func(payload []byte) error
	// Reset is called when the file was replaced (compacted by another process, or removed), just
	// before it is read again from the start: state built from the old file must be dropped.
	Reset func()
	// Skip, if not nil, is called for every damaged line skipped (a failed checksum, a torn
	// or overlong line, a payload Apply refused), in file order among the Apply calls, so the
	// owner can tell which records the damage lay between.
	Skip func()
	// SetAsideGarbage makes Open rename a file holding no intact record at all to
	// "<path>.corrupt-<unix time>" and start afresh, rather than append to what is likely not a
	// log at all.
	SetAsideGarbage bool
}

// Stats describe the file as this Log has read it.
type Stats struct {
	Records  int    // intact records in the current file, superseded ones included
	Skipped  int    // damaged lines skipped since Open
	Size     int64  // bytes read so far
	SetAside string // where Open moved a garbage file, or ""
	// Missing is how many bytes shorter the file was at Open than lightbox last left it:
	// cut short (a restored old copy, a truncation at a line boundary), records lost.
	Missing int64
}

// Log is one open record log. Its methods are safe for concurrent use.
type Log struct {
	path string
	opt  Options

	mu      sync.Mutex // orders this process's users; the flock orders processes
	lockf   *os.File
	f       *os.File
	fi      os.FileInfo // identity of f, to notice the path being replaced under us
	gen     int         // counts the files opened, so Refresh can tell a replacement happened
	off     int64       // everything before off has been applied
	torn    bool        // the file ends in a torn line
	records int
	skipped int
	aside   string
	missing int64
	closed  bool
	fault   func(p []byte) (int, error)
}

// Open opens or creates the log at path, creating its folder if needed, and applies every
// record already in it.
func Open(path string, opt Options) (*Log, error) {
	if opt.Apply == nil {
		opt.Apply = func([]byte) error { return nil }
	}
	if opt.Reset == nil {
		opt.Reset = func() {}
	}
	if opt.Skip == nil {
		opt.Skip = func() {}
	}
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("applog: create folder for %s: %w", path, err)
	}
	lockf, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("applog: open lock file: %w", err)
	}
	l := &Log{path: path, opt: opt, lockf: lockf}
	err = l.locked(true, func() error {
		removeStaleTemps(path)
		if err := l.openFile(); err != nil {
			return err
		}
		if err := l.catchUp(); err != nil {
			return err
		}
		l.checkMark()
		if opt.SetAsideGarbage && l.records == 0 && l.skipped > 0 {
			if err := l.setAside(); err != nil {
				return err
			}
			l.writeMark()
		}
		return nil
	})
	if err != nil {
		if l.f != nil {
			_ = l.f.Close()
		}
		_ = lockf.Close()
		return nil, err
	}
	return l, nil
}

// Path returns the file the log lives in.
func (l *Log) Path() string { return l.path }

// Append durably appends payloads (each must be free of '\n') in one write and one fsync.
func (l *Log) Append(payloads ...[]byte) error {
	return l.AppendFunc(func() ([][]byte, error) { return payloads, nil }, nil)
}

// AppendFunc appends the records build returns, in one write and one fsync. build runs under the
// exclusive lock after every record already in the file has been applied, so it can derive the
// new records from up-to-date state (a sequence number, "is this already there?"); returning none
// appends nothing. commit, if not nil, runs under the same lock once the records are on disk,
// so this process's state changes in file order. When the write or fsync fails, the file is cut
// back to where it was, commit is not called and the error is returned.
func (l *Log) AppendFunc(build func() ([][]byte, error), commit func()) error {
	return l.update(func() error {
		payloads, err := build()
		if err != nil || len(payloads) == 0 {
			return err
		}
		buf, err := encode(payloads, l.torn)
		if err != nil {
			return err
		}
		if err := l.writeSync(buf); err != nil {
			return fmt.Errorf("applog: append to %s: %w", l.path, err)
		}
		l.off += int64(len(buf))
		l.torn = false
		l.records += len(payloads)
		l.writeMark()
		if commit != nil {
			commit()
		}
		return nil
	})
}

// update runs fn as the file's only writer, across processes, with this process's view
// caught up to everything already in the file: the setting of every change to it.
func (l *Log) update(fn func() error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.locked(true, func() error {
		if err := l.catchUp(); err != nil {
			return err
		}
		return fn()
	})
}

// writeSync writes buf with one write and fsyncs it. On failure it cuts the file back, so the
// caller may treat the records as never written. (Should the cut fail too, the next read skips
// a torn remainder; whole lines that made it would be read back, which is why callers only
// count on a record when this returns nil, never on its absence.)
func (l *Log) writeSync(buf []byte) error {
	var n int
	var err error
	if l.fault != nil {
		n, err = l.fault(buf)
		if n > 0 {
			if _, werr := l.f.Write(buf[:n]); werr != nil {
				err = werr
			}
		}
	} else {
		n, err = l.f.Write(buf)
	}
	if err == nil && n != len(buf) {
		err = fmt.Errorf("short write (%d of %d bytes)", n, len(buf))
	}
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		_ = l.f.Truncate(l.off)
	}
	return err
}

// Refresh applies records appended since the last read, by this process or others, and reports
// whether there were any (or the file was replaced). When nothing changed it costs one stat.
func (l *Log) Refresh() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false, ErrClosed
	}
	if fi, err := os.Stat(l.path); err == nil && os.SameFile(fi, l.fi) && fi.Size() == l.off {
		return false, nil
	}
	off, gen := l.off, l.gen
	err := l.locked(false, l.catchUp)
	return l.off != off || l.gen != gen, err
}

// Stats reports what has been read so far.
func (l *Log) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Stats{Records: l.records, Skipped: l.skipped, Size: l.off, SetAside: l.aside, Missing: l.missing}
}

// SetWriteFault is for tests: each append's bytes go to fn instead, which says how many of them
// really reach the file before the write fails with its error, so a full disk (ENOSPC after a
// partial write) can be simulated without filling one. nil restores normal writes.
func (l *Log) SetWriteFault(fn func(p []byte) (n int, err error)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fault = fn
}

// Close releases the files. Records already appended are on disk.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	err := l.f.Close()
	if lerr := l.lockf.Close(); err == nil {
		err = lerr
	}
	return err
}

// locked runs fn holding the file lock.
func (l *Log) locked(exclusive bool, fn func() error) error {
	if err := flock(l.lockf, exclusive); err != nil {
		return fmt.Errorf("applog: lock %s: %w", l.path, err)
	}
	err := fn()
	if uerr := funlock(l.lockf); err == nil && uerr != nil {
		err = fmt.Errorf("applog: unlock %s: %w", l.path, uerr)
	}
	return err
}

// openFile (re)opens the path as the current file, to be read from its start.
func (l *Log) openFile() error {
	f, created, err := openCreate(l.path)
	if err != nil {
		return fmt.Errorf("applog: open %s: %w", l.path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("applog: stat %s: %w", l.path, err)
	}
	if created {
		syncDir(filepath.Dir(l.path))
	}
	l.f, l.fi, l.off, l.torn, l.records = f, fi, 0, false, 0
	l.gen++
	return nil
}

// catchUp applies whatever the file gained since the last read. Called with the file lock held.
// If the path now names another file (compacted or removed by someone else), that file is
// opened and read from the start, after telling the owner to drop its state.
func (l *Log) catchUp() error {
	fi, err := os.Stat(l.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("applog: stat %s: %w", l.path, err)
	}
	if err != nil || !os.SameFile(fi, l.fi) {
		old := l.f
		if err := l.openFile(); err != nil {
			return err
		}
		_ = old.Close()
		l.opt.Reset()
	}
	cur, err := l.f.Stat()
	if err != nil {
		return fmt.Errorf("applog: stat %s: %w", l.path, err)
	}
	size := cur.Size()
	if size < l.off {
		// Cut short in place (by hand, or a failed append's cut raced with nothing we know):
		// the only consistent view is a fresh read.
		l.off, l.torn, l.records = 0, false, 0
		l.opt.Reset()
	}
	if size == l.off {
		return nil
	}
	res, err := scan(l.f, l.off, size, l.opt.Apply, l.opt.Skip)
	l.off += res.consumed
	l.records += res.records
	l.skipped += res.skipped
	if res.consumed > 0 {
		l.torn = res.torn
	}
	if err != nil {
		return fmt.Errorf("applog: read %s: %w", l.path, err)
	}
	return nil
}

// setAside moves a file with nothing intact in it out of the way and starts a fresh one.
func (l *Log) setAside() error {
	aside := fmt.Sprintf("%s.corrupt-%d", l.path, time.Now().Unix())
	for i := 1; ; i++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s.corrupt-%d-%d", l.path, time.Now().Unix(), i)
	}
	if err := os.Rename(l.path, aside); err != nil {
		return fmt.Errorf("applog: move garbage %s aside: %w", l.path, err)
	}
	old := l.f
	if err := l.openFile(); err != nil {
		return err
	}
	_ = old.Close()
	l.aside = aside
	return nil
}
