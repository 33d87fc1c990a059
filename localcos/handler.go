package localcos

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"lightbox/internal/cosrules"
	"lightbox/localcos/internal/sigv4"
	"lightbox/localcos/internal/store"
	"lightbox/quality"
)

// request is one classified request: which operation, on which key.
type request struct {
	op       string
	key      string
	resource string // for error bodies: host/key, as COS reports it
	handle   handlerFunc
}

// handlerFunc does one operation's work and writes its answer, or returns the error to
// answer with instead (nothing written yet).
type handlerFunc func(w http.ResponseWriter, r *http.Request, q *request) *apiError

// route is an operation and the handler that serves it.
type route struct {
	op     string
	handle handlerFunc
}

// byMethod routes q to what its method serves among routes, or refuses the method as not
// allowed under op (the name the log and fault rules see).
func (q *request) byMethod(method, op string, routes map[string]route) {
	if rt, ok := routes[method]; ok {
		q.op, q.handle = rt.op, rt.handle
		return
	}
	q.op, q.handle = op, answer(errMethod)
}

// answer is a handler that refuses every request with e.
func answer(e *apiError) handlerFunc {
	return func(http.ResponseWriter, *http.Request, *request) *apiError { return e }
}

// ServeHTTP runs every request through the same steps: stamp ids, classify, inject faults,
// check the bucket and the signature, then do the work.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	started := time.Now()
	r = s.prepare(r)
	if sigv4.Claims(r) {
		rw = &amzTwins{ResponseWriter: rw}
	}
	h := rw.Header()
	h.Set("x-cos-request-id", quality.NewRequestID())
	h.Set("x-amz-request-id", h.Get("x-cos-request-id"))
	h.Set("x-cos-trace-id", newTraceID())
	h.Set("Server", "tencent-cos")
	w := &recorder{ResponseWriter: rw, rc: http.NewResponseController(rw), t: s.timeouts}
	body := s.wrapBody(rw, r)
	q := s.classify(r)
	defer func() {
		// Bound the final flush net/http does after the handler, too.
		_ = w.rc.SetWriteDeadline(time.Now().Add(s.timeouts.Stall))
		p := recover()
		if p == http.ErrAbortHandler { //nolint:errorlint // net/http compares by identity too
			s.logRequest(r, q, w, started, "connection cut (injected)")
			panic(p)
		}
		if p != nil {
			s.log.Error("request panicked", "op", q.op, "key", q.key, "panic", p)
			if !w.wroteHeader {
				writeError(w, r, errInternal, q.resource)
			}
		}
		s.logRequest(r, q, w, started, "")
	}()

	v := s.faults.decide(r.Method, q.op, q.key)
	sleep(r.Context(), v.delay)
	if v.fail != nil {
		body.drainable = true
		writeError(w, r, v.fail, q.resource)
		return
	}
	if !s.ownsHost(r.Host) {
		writeError(w, r, errNoSuchBucket, q.resource)
		return
	}
	if e := s.authenticate(r); e != nil {
		writeError(w, r, e, q.resource)
		return
	}
	body.drainable = true
	w.drop = v.drop
	if s.cfg.ReadOnly && r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, r, errReadOnly, q.resource)
		return
	}
	if e := q.handle(w, r, q); e != nil {
		writeError(w, r, e, q.resource)
	}
	if w.drop {
		w.cut() // the work is done; the client never hears about it
	}
}

// classify routes on method, decoded path and the presence of sub-resource parameters.
func (s *Server) classify(r *http.Request) *request {
	key := strings.TrimPrefix(r.URL.Path, "/")
	q := &request{key: key, resource: s.VirtualHost() + "/" + key}
	params := r.URL.Query()
	if params.Get("ci-process") != "" {
		q.op = OpAssessQuality
		switch {
		case r.Method != http.MethodGet:
			q.handle = answer(errMethod)
		case !strings.EqualFold(params.Get("ci-process"), "AssessQuality"):
			q.handle = answer(errorf(http.StatusBadRequest, "InvalidArgument", "Unsupported ci-process; this server implements AssessQuality only."))
		default:
			q.handle = s.handleAssess
		}
		return q
	}
	if r.URL.Path == "/" {
		if s.routeBucket(r, q, params) {
			return q
		}
		switch {
		case r.Method == http.MethodPost && params.Has("delete"):
			q.op, q.handle = OpDeleteMultiple, s.handleDeleteMultiple
		case hasSubresource(params) || params.Has("tagging"):
			q.op, q.handle = "Bucket", answer(errNotImplemented)
		case r.Method == http.MethodGet:
			q.op, q.handle = OpListObjects, s.handleList
		case r.Method == http.MethodHead:
			q.op, q.handle = OpHeadBucket, s.handleHeadBucket
		default:
			q.op, q.handle = "Bucket", answer(errMethod)
		}
		return q
	}
	if err := store.CheckKey(key); err != nil {
		q.op = "Object"
		q.handle = answer(keyError(err))
		return q
	}
	if s.routeObject(r, q, params) {
		return q
	}
	switch {
	case params.Has("tagging"):
		q.byMethod(r.Method, OpGetTagging, map[string]route{
			http.MethodGet:    {OpGetTagging, s.handleGetTagging},
			http.MethodPut:    {OpPutTagging, s.handlePutTagging},
			http.MethodDelete: {OpDeleteTagging, s.handleDeleteTagging},
		})
	case params.Has("restore"):
		q.byMethod(r.Method, OpRestoreObject, map[string]route{http.MethodPost: {OpRestoreObject, s.handleRestore}})
	case hasSubresource(params):
		q.op, q.handle = "Object", answer(errNotImplemented)
	default:
		put := route{OpPutObject, s.handlePut}
		if r.Header.Get("x-cos-copy-source") != "" {
			put = route{OpCopyObject, s.handleCopy}
		}
		q.byMethod(r.Method, "Object", map[string]route{
			http.MethodGet:    {OpGetObject, s.handleGet},
			http.MethodHead:   {OpHeadObject, s.handleGet},
			http.MethodPut:    put,
			http.MethodDelete: {OpDeleteObject, s.handleDelete},
		})
	}
	return q
}

var errNotImplemented = errorf(http.StatusNotImplemented, "NotImplemented",
	"This COS feature is not implemented by lightbox's embedded COS.")

func keyError(err error) *apiError {
	var ke *store.KeyError
	if errors.As(err, &ke) && len(ke.Key) > store.MaxKeyBytes {
		return errorf(http.StatusBadRequest, "KeyTooLong", "Your key is too long: "+ke.Reason+".")
	}
	msg := "The object key is not acceptable"
	if errors.As(err, &ke) {
		msg += ": " + ke.Reason
	}
	return errorf(http.StatusBadRequest, "InvalidURI", msg+".")
}

// ownsHost accepts the loopback or any IP/plain host name (one bucket per listener), and
// the bucket's virtual-host names; a virtual host naming another bucket is NoSuchBucket.
func (s *Server) ownsHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	first, rest, ok := strings.Cut(host, ".")
	if !ok || net.ParseIP(strings.Trim(host, "[]")) != nil || !cosrules.ValidBucket(first) {
		return true
	}
	if !strings.HasPrefix(rest, "cos") {
		return true // some other name that does not address a bucket, e.g. the machine's
	}
	return first == s.cfg.Bucket
}

// recorder remembers what was answered, for the log, and can cut the connection.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
	drop        bool

	// Writes run under deadlines scaled to what has been written, so a client that
	// never reads an answer cannot hold its connection.
	rc         *http.ResponseController
	t          Timeouts
	writeStart time.Time
}

func (w *recorder) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.rc != nil {
		now := time.Now()
		if w.writeStart.IsZero() {
			w.writeStart = now
		}
		_ = w.rc.SetWriteDeadline(w.t.deadline(w.writeStart, now, w.bytes+int64(len(b))))
	}
	if w.drop && len(b) > 1 {
		// Send the headers and half the body, then hang up: the client sees a response that
		// stops in the middle.
		n, _ := w.ResponseWriter.Write(b[:len(b)/2])
		w.bytes += int64(n)
		w.cut()
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// cut flushes what has been written and aborts the connection.
func (w *recorder) cut() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && w.bytes > 0 {
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}

func (w *recorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) logRequest(r *http.Request, q *request, w *recorder, started time.Time, note string) {
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	attrs := []any{"op", q.op, "key", q.key, "status", status, "bytes", w.bytes,
		"ms", time.Since(started).Milliseconds(), "remote", r.RemoteAddr}
	if note != "" {
		attrs = append(attrs, "note", note)
	}
	s.log.Log(r.Context(), slog.LevelInfo, r.Method, attrs...)
}

func newTraceID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b[:])
}
