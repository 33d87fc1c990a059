package sigv4

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// ErrPayload is wrapped by every payload fault, so that callers can tell a client's bad
// body from a broken connection. The *Problem inside says which fault.
var ErrPayload = errors.New("sigv4: payload does not match its signature")

// PayloadError is the error a wrapped body returns instead of EOF.
type PayloadError struct{ *Problem }

func (e *PayloadError) Unwrap() []error { return []error{ErrPayload, e.Problem} }

func payloadFault(code, format string, args ...any) error {
	return &PayloadError{problem(http.StatusBadRequest, code, format, args...)}
}

// hashReader passes the body through and, at EOF, compares its SHA-256 with the signed one.
type hashReader struct {
	body io.ReadCloser
	want string
	h    hash.Hash
	err  error
}

func newHashReader(body io.ReadCloser, want string) io.ReadCloser {
	return &hashReader{body: body, want: want, h: sha256.New()}
}

func (r *hashReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.body.Read(p)
	r.h.Write(p[:n])
	if err == io.EOF {
		if got := hex.EncodeToString(r.h.Sum(nil)); got != r.want {
			r.err = payloadFault("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
			return n, r.err
		}
		r.err = io.EOF
	}
	return n, err
}

func (r *hashReader) Close() error { return r.body.Close() }

// maxChunk bounds one aws-chunked chunk so that a hostile size cannot make the server
// buffer without end (clients send 8 KiB to 1 MiB; S3 itself allows chunks up to 16 MiB).
const maxChunk = 16 << 20

// chunkedReader decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD: chunks of
// "hex-size;chunk-signature=SIG\r\n<data>\r\n", ending with a 0-size chunk, each signed over
// the previous signature and the chunk's SHA-256. A chunk is released to the reader only
// after its signature checked out.
type chunkedReader struct {
	src       *bufio.Reader
	body      io.Closer
	key       []byte
	amzDate   string
	scope     string
	prevSig   string
	remaining int64 // decoded bytes still expected
	buf       []byte
	pending   []byte
	done      bool
	err       error
	unsigned  bool          // STREAMING-UNSIGNED-PAYLOAD-TRAILER: no chunk signatures...
	trailer   *trailerCheck // ...and a checksum trailer after the last chunk
}

func newChunkedReader(body io.ReadCloser, decodedLen int64, key []byte, amzDate, scope, seed string) *chunkedReader {
	return &chunkedReader{src: bufio.NewReaderSize(body, 64<<10), body: body, key: key,
		amzDate: amzDate, scope: scope, prevSig: seed, remaining: decodedLen}
}

var emptySHA256 = func() string { s := sha256.Sum256(nil); return hex.EncodeToString(s[:]) }()

func (r *chunkedReader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.err = r.nextChunk()
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

func (r *chunkedReader) nextChunk() error {
	line, err := r.src.ReadSlice('\n')
	if err != nil {
		return truncated(err)
	}
	header := strings.TrimRight(string(line), "\r\n")
	sizeHex, ext, _ := strings.Cut(header, ";")
	size, err := strconv.ParseInt(sizeHex, 16, 64)
	sig, ok := strings.CutPrefix(ext, "chunk-signature=")
	if err != nil || size < 0 || !r.unsigned && (!ok || len(sig) != 64) {
		return payloadFault("InvalidChunkSizeError", "An aws-chunked chunk header is malformed.")
	}
	if size > maxChunk || size > r.remaining {
		return payloadFault("InvalidChunkSizeError", "An aws-chunked chunk is larger than the rest of x-amz-decoded-content-length or than %d bytes.", maxChunk)
	}
	if int64(cap(r.buf)) < size {
		r.buf = make([]byte, size)
	}
	data := r.buf[:size]
	if _, err := io.ReadFull(r.src, data); err != nil {
		return truncated(err)
	}
	if r.unsigned {
		return r.unsignedChunk(data)
	}
	var crlf [2]byte
	if _, err := io.ReadFull(r.src, crlf[:]); err != nil {
		return truncated(err)
	}
	if crlf != [2]byte{'\r', '\n'} {
		return payloadFault("IncompleteBody", "An aws-chunked chunk does not end in CRLF.")
	}
	sum := sha256.Sum256(data)
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + r.amzDate + "\n" + r.scope + "\n" + r.prevSig + "\n" + emptySHA256 + "\n" + hex.EncodeToString(sum[:])
	want := hex.EncodeToString(hmacSHA256(r.key, sts))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return payloadFault("SignatureDoesNotMatch", "The signature of an aws-chunked chunk does not match.")
	}
	r.prevSig = want
	r.remaining -= size
	if size == 0 {
		if r.remaining != 0 {
			return payloadFault("IncompleteBody", "The aws-chunked body ended %d bytes short of x-amz-decoded-content-length.", r.remaining)
		}
		r.done = true
		return nil
	}
	r.pending = data
	return nil
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (r *chunkedReader) Close() error { return r.body.Close() }

// unsignedChunk takes one chunk of STREAMING-UNSIGNED-PAYLOAD-TRAILER; after the last comes
// the trailer, whose checksum must match everything before it.
func (r *chunkedReader) unsignedChunk(data []byte) error {
	r.trailer.h.Write(data)
	r.remaining -= int64(len(data))
	if len(data) > 0 {
		var crlf [2]byte
		if _, err := io.ReadFull(r.src, crlf[:]); err != nil {
			return truncated(err)
		}
		if crlf != [2]byte{'\r', '\n'} {
			return payloadFault("IncompleteBody", "An aws-chunked chunk does not end in CRLF.")
		}
		r.pending = data
		return nil
	}
	if r.remaining != 0 {
		return payloadFault("IncompleteBody", "The aws-chunked body ended %d bytes short of x-amz-decoded-content-length.", r.remaining)
	}
	got := map[string]string{}
	for range 8 { // a trailer is a few lines; more is not a trailer
		line, err := r.src.ReadSlice('\n')
		if err != nil {
			return truncated(err)
		}
		text := strings.TrimRight(string(line), "\r\n")
		if text == "" {
			if err := r.trailer.verify(got); err != nil {
				return err
			}
			r.done = true
			return nil
		}
		name, value, _ := strings.Cut(text, ":")
		got[strings.ToLower(strings.TrimSpace(name))] = strings.TrimSpace(value)
	}
	return payloadFault("MalformedTrailerError", "The aws-chunked trailer is malformed.")
}

// trailerCheck computes the checksum a trailer will declare.
type trailerCheck struct {
	name string // x-amz-checksum-crc32 ...
	h    hash.Hash
}

func newTrailerCheck(declared string) (*trailerCheck, error) {
	name := strings.ToLower(strings.TrimSpace(declared))
	var h hash.Hash
	switch name {
	case "x-amz-checksum-crc32":
		h = crc32.NewIEEE()
	case "x-amz-checksum-crc32c":
		h = crc32.New(crc32.MakeTable(crc32.Castagnoli))
	case "x-amz-checksum-crc64nvme":
		h = crc64.New(crc64.MakeTable(0x9a6c9329ac4bc9b5))
	case "x-amz-checksum-sha1":
		h = sha1.New()
	case "x-amz-checksum-sha256":
		h = sha256.New()
	default:
		return nil, problem(http.StatusBadRequest, "InvalidRequest", "x-amz-trailer must name one of x-amz-checksum-crc32, -crc32c, -crc64nvme, -sha1 or -sha256, not %q.", declared)
	}
	return &trailerCheck{name: name, h: h}, nil
}

func (t *trailerCheck) verify(trailer map[string]string) error {
	v, ok := trailer[t.name]
	if !ok {
		return payloadFault("MalformedTrailerError", "The trailer lacks the declared %s.", t.name)
	}
	if want := base64.StdEncoding.EncodeToString(t.h.Sum(nil)); v != want {
		return payloadFault("BadDigest", "The %s you specified did not match the calculated checksum.", t.name)
	}
	return nil
}
