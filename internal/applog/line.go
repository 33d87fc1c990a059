package applog

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash/crc32"
)

// A line is "<crc32c of payload, 8 lowercase hex> <payload>\n". The checksum is what lets a
// reader tell a torn or scribbled line from a record, so damage costs one record, not the file.

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const sumLen = 8

var errNewline = errors.New("applog: record contains a newline")

// appendLine appends the encoded line for payload to dst.
func appendLine(dst, payload []byte) []byte {
	var sum [4]byte
	c := crc32.Checksum(payload, castagnoli)
	sum[0], sum[1], sum[2], sum[3] = byte(c>>24), byte(c>>16), byte(c>>8), byte(c)
	dst = hex.AppendEncode(dst, sum[:])
	dst = append(dst, ' ')
	dst = append(dst, payload...)
	return append(dst, '\n')
}

// parseLine returns the payload of line (without its '\n'), or ok=false when the line is not
// an intact record.
func parseLine(line []byte) (payload []byte, ok bool) {
	if len(line) < sumLen+1 || line[sumLen] != ' ' {
		return nil, false
	}
	var sum [4]byte
	if n, err := hex.Decode(sum[:], line[:sumLen]); err != nil || n != 4 {
		return nil, false
	}
	// Only lowercase is ever written; refusing uppercase keeps one spelling per record.
	if bytes.ContainsAny(line[:sumLen], "ABCDEF") {
		return nil, false
	}
	want := uint32(sum[0])<<24 | uint32(sum[1])<<16 | uint32(sum[2])<<8 | uint32(sum[3])
	payload = line[sumLen+1:]
	if crc32.Checksum(payload, castagnoli) != want {
		return nil, false
	}
	return payload, true
}

// encode builds the bytes of one append: every record on its own line, preceded by a newline
// when the file ends in a torn line so the first new record is not glued onto it.
func encode(payloads [][]byte, freshLine bool) ([]byte, error) {
	n := 0
	for _, p := range payloads {
		if bytes.IndexByte(p, '\n') >= 0 {
			return nil, errNewline
		}
		n += sumLen + 2 + len(p)
	}
	buf := make([]byte, 0, n+1)
	if freshLine {
		buf = append(buf, '\n')
	}
	for _, p := range payloads {
		buf = appendLine(buf, p)
	}
	return buf, nil
}
