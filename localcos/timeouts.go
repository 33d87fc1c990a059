package localcos

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// Timeouts bounds how long a client may hold a connection. A body is read, and an answer
// written, under a deadline that allows Base plus the bytes at MinRate, and no single wait
// may exceed Stall: a client that trickles or stops is answered RequestTimeout (as S3 does)
// and its connection is closed, instead of holding it forever.
type Timeouts struct {
	Header  time.Duration // to send the request line and headers
	Stall   time.Duration // longest wait for the next bytes of a body, or for the client to take ours
	Base    time.Duration // allowed on top of the size-scaled part
	MinRate int64         // bytes per second a transfer must average (beyond Base)
	Idle    time.Duration // between requests on a kept-alive connection

	MaxConns          int // open connections in all
	MaxConnsPerClient int // open connections from one IP address
}

// DefaultTimeouts suit a folder served on a LAN or loopback.
var DefaultTimeouts = Timeouts{
	Header:  15 * time.Second,
	Stall:   20 * time.Second,
	Base:    30 * time.Second,
	MinRate: 32 << 10,
	Idle:    60 * time.Second,

	MaxConns:          2048,
	MaxConnsPerClient: 512,
}

// withDefaults takes each limit from t where it is set (positive), else from DefaultTimeouts.
func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts
	return Timeouts{
		Header:            positiveOr(t.Header, d.Header),
		Stall:             positiveOr(t.Stall, d.Stall),
		Base:              positiveOr(t.Base, d.Base),
		MinRate:           positiveOr(t.MinRate, d.MinRate),
		Idle:              positiveOr(t.Idle, d.Idle),
		MaxConns:          positiveOr(t.MaxConns, d.MaxConns),
		MaxConnsPerClient: positiveOr(t.MaxConnsPerClient, d.MaxConnsPerClient),
	}
}

func positiveOr[T int | int64 | time.Duration](v, fallback T) T {
	if v > 0 {
		return v
	}
	return fallback
}

// deadline is when a transfer that started at start may have moved n bytes at the latest,
// capped by a stall from now.
func (t Timeouts) deadline(start, now time.Time, n int64) time.Time {
	total := start.Add(t.Base + time.Duration(float64(n)/float64(t.MinRate)*float64(time.Second)))
	if stall := now.Add(t.Stall); stall.Before(total) {
		return stall
	}
	return total
}

// readAllowance is how far past what has arrived the next read may reach in time: the
// caller's buffer size says nothing about what the client is sending.
const readAllowance = 64 << 10

var errRequestTimeout = errorf(http.StatusBadRequest, "RequestTimeout",
	"Your socket connection to the server was not read from or written to within the timeout period.")

// errBodyStalled is what a handler sees from a body read that ran out of time.
var errBodyStalled = errors.New("localcos: the client stopped sending the request body")

// timedBody reads a request body under Timeouts, and remembers whether it was read to the
// end: an error answer to a request whose body is still coming closes the connection
// rather than let net/http drain up to 256 KB from a client that may trickle it.
type timedBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	t        Timeouts
	start    time.Time
	n        int64
	done     bool // read to EOF (or there was nothing to read)
	timedOut bool
	// drainable: the request is signed (or answered by an injected fault), so net/http
	// may read the rest of a small body to keep the connection, within a deadline.
	// Clients such as cos-go-sdk-v5 rewind and resend a body on retry, and must not
	// still be sending the old one when they do.
	drainable bool
}

func (b *timedBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	now := time.Now()
	_ = b.rc.SetReadDeadline(b.t.deadline(b.start, now, b.n+readAllowance))
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		b.timedOut = true
		return n, errBodyStalled
	case err == io.EOF:
		b.done = true
		// No deadline may outlive the body: net/http's background read would take it for
		// a dead client and cancel the request while the handler still works.
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// wrapBody installs a timedBody on r and returns it.
func (s *Server) wrapBody(w http.ResponseWriter, r *http.Request) *timedBody {
	b := &timedBody{ReadCloser: r.Body, rc: http.NewResponseController(w), t: s.timeouts, start: time.Now()}
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 && len(r.TransferEncoding) == 0 {
		b.done = true
		if r.Body == nil {
			b.ReadCloser = http.NoBody
		}
	}
	r.Body = b
	return b
}

// beforeAnswer readies the connection for an answer sent while the body is still
// coming: an unsigned request's connection is closed rather than drained (the client may
// trickle it), a signed one's drain runs under the usual deadline.
func beforeAnswer(w http.ResponseWriter, r *http.Request) {
	b, ok := r.Body.(*timedBody)
	switch {
	case !ok && r.ContentLength != 0, ok && !b.done && (!b.drainable || b.timedOut):
		w.Header().Set("Connection", "close")
	case ok && !b.done:
		_ = b.rc.SetReadDeadline(b.t.deadline(b.start, time.Now(), b.n+256<<10))
	}
}

// bodyTimedOut reports a request whose body read ran out of time.
func bodyTimedOut(r *http.Request) bool {
	b, ok := r.Body.(*timedBody)
	return ok && b.timedOut
}
