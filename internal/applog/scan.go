package applog

import (
	"bufio"
	"errors"
	"io"
	"os"
)

// maxLine bounds the memory a damaged file can make a reader spend on one "line": bytes past it
// are dropped and the line is counted as skipped.
const maxLine = 16 << 20

type scanResult struct {
	consumed int64 // bytes read, from the start offset
	records  int   // intact records handed to apply without error
	skipped  int   // damaged lines, torn tail included
	torn     bool  // the section ended in bytes without a '\n'
}

// scan hands every intact record in f[off:size) to apply, in file order. It runs under the file
// lock, when no writer is mid-append, so bytes after the last '\n' can only be the remains of a
// write that died: they are counted as one skipped line, and the next append starts a new line.
// A record that apply rejects (it passed the checksum but means nothing to the caller, e.g. a
// newer format) is skipped too.
func scan(f *os.File, off, size int64, apply func([]byte) error, skip func()) (scanResult, error) {
	var res scanResult
	r := bufio.NewReaderSize(io.NewSectionReader(f, off, size-off), 64<<10)
	var long []byte // a line longer than the reader's buffer, accumulated
	inLong, tooLong := false, false
	for {
		chunk, err := r.ReadSlice('\n')
		res.consumed += int64(len(chunk))
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(chunk) > maxLine {
				tooLong, long = true, long[:0]
			} else if !tooLong {
				long = append(long, chunk...)
			}
			inLong = true
			continue
		}
		line := chunk
		if inLong {
			if !tooLong {
				long = append(long, chunk...)
			}
			line = long
		}
		if err == io.EOF {
			if len(line) > 0 || tooLong {
				res.skipped++
				res.torn = true
				skip()
			}
			return res, nil
		}
		if err != nil {
			return res, err
		}
		res.torn = false
		line = line[:len(line)-1]
		switch payload, ok := parseLine(line); {
		case tooLong || (!ok && len(line) > 0):
			res.skipped++
			skip()
		case !ok:
			// An empty line: the separator written after a torn tail.
		case apply(payload) != nil:
			res.skipped++
			skip()
		default:
			res.records++
		}
		long, inLong, tooLong = long[:0], false, false
	}
}
