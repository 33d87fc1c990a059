package applog

import (
	"strconv"
	"strings"
)

// The lock file holds the size the log had after the last write any lightbox process made
// to it. A file cut short at a line boundary passes every checksum; against this mark, Open
// can tell it was cut and by how much. Called with the file lock held; a mark that cannot
// be read or written only costs that check.

func (l *Log) readMark() int64 {
	var buf [24]byte
	n, _ := l.lockf.ReadAt(buf[:], 0)
	v, err := strconv.ParseInt(strings.TrimSpace(string(buf[:n])), 10, 64)
	if err != nil {
		return -1
	}
	return v
}

func (l *Log) writeMark() {
	s := strconv.FormatInt(l.off, 10) + "\n"
	if _, err := l.lockf.WriteAt([]byte(s), 0); err == nil {
		_ = l.lockf.Truncate(int64(len(s)))
	}
}

// checkMark compares the file read at Open with the mark, remembers what is missing, and
// moves the mark to the file as it is now, so each loss is reported once.
func (l *Log) checkMark() {
	if m := l.readMark(); m > l.off {
		l.missing = m - l.off
	}
	l.writeMark()
}
