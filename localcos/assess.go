package localcos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"lightbox/localcos/internal/store"
	"lightbox/quality"
)

// Cloud Infinite refuses an image larger than 4 MB once base64-encoded.
const maxAssessBase64 = 4 << 20

// maxLocalAssessBytes bounds what one local assessment reads into memory, whatever the
// limits: no real photo comes near it, a mislabelled video file might.
const maxLocalAssessBytes = 256 << 20

var crcTable = crc64.MakeTable(crc64.ECMA)

// handleAssess answers GET <key>?ci-process=AssessQuality with the API's exact XML.
func (s *Server) handleAssess(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	params := r.URL.Query()
	key := q.key
	if du := params.Get("detect-url"); du != "" {
		k, e := s.detectURLKey(du, r.Host)
		if e != nil {
			return e
		}
		key = k
	}
	if key == "" {
		return errorf(http.StatusBadRequest, "InvalidArgument", "AssessQuality needs an object key or a detect-url of an object in this bucket.")
	}
	if err := store.CheckKey(key); err != nil {
		return keyError(err)
	}
	want, e := scoreSwitches(params)
	if e != nil {
		return e
	}
	if !s.faults.admitAssess() {
		return errSlowDown
	}
	res, e := s.assessor.assess(r.Context(), key)
	if e != nil {
		return e
	}
	body := res.ResponseXMLFor(w.Header().Get("x-cos-request-id"), want)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // a client that hung up cannot be told anything more
	return nil
}

// scoreSwitches reads enable_clarity, enable_aesthetics and enable_lowquality. With none
// given, every score is answered. When any is switched on explicitly, only those are
// answered (asking for one score); otherwise explicit "false" leaves that one out.
func scoreSwitches(p url.Values) (quality.Scores, *apiError) {
	names := []string{"enable_clarity", "enable_aesthetics", "enable_lowquality"}
	vals := make([]*bool, len(names))
	anyOn := false
	for i, n := range names {
		if !p.Has(n) {
			continue
		}
		switch strings.ToLower(p.Get(n)) {
		case "true", "1":
			on := true
			vals[i] = &on
			anyOn = true
		case "false", "0":
			off := false
			vals[i] = &off
		default:
			return quality.Scores{}, errorf(http.StatusBadRequest, "InvalidArgument", n+" must be true, false, 1 or 0.")
		}
	}
	pick := func(i int) bool {
		if vals[i] != nil {
			return *vals[i]
		}
		return !anyOn
	}
	return quality.Scores{Clarity: pick(0), Aesthetic: pick(1), LowQuality: pick(2)}, nil
}

// detectURLKey accepts a detect-url only when it names an object of this bucket: by its
// virtual host or by the address the client used to reach this server. Nothing is ever
// fetched from elsewhere.
func (s *Server) detectURLKey(raw, requestHost string) (string, *apiError) {
	refuse := errorf(http.StatusBadRequest, "InvalidArgument",
		"detect-url must be the URL of an object in this bucket; lightbox's embedded COS never fetches other URLs.")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", refuse
	}
	host := strings.ToLower(u.Host)
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	ours := host == strings.ToLower(requestHost) ||
		name == s.VirtualHost() ||
		name == s.cfg.Bucket+".cos."+s.cfg.Region+".tencentcos.cn"
	if !ours {
		return "", refuse
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// assessor scores objects at most once per version: answers (and image errors, which
// are as permanent as the bytes) are kept in the store by object identity, and concurrent
// requests for the same version share one computation.
type assessor struct {
	s      *Server
	cpu    chan struct{}
	memory *quality.MemoryGate // bytes that decodes may hold at once

	mu         sync.Mutex
	inflight   map[string]*assessCall
	persisting sync.WaitGroup
}

type assessCall struct {
	done chan struct{}
	res  quality.Result
	err  *apiError
}

// cachedAssessment is what the store keeps per object version.
type cachedAssessment struct {
	Result  *quality.Result `json:"result,omitempty"`
	Code    string          `json:"code,omitempty"`
	Message string          `json:"message,omitempty"`
}

func newAssessor(s *Server) *assessor {
	return &assessor{s: s, cpu: make(chan struct{}, s.cfg.AssessJobs), memory: quality.NewMemoryGate(s.cfg.AssessMemory),
		inflight: map[string]*assessCall{}}
}

func (a *assessor) assess(ctx context.Context, key string) (quality.Result, *apiError) {
	obj, err := a.s.store.Head(key)
	if err != nil {
		return quality.Result{}, storeError(err)
	}
	if a.s.frozen(obj) {
		return quality.Result{}, errArchived
	}
	if e := a.s.sizeLimit(obj.Size); e != nil {
		return quality.Result{}, e
	}
	if blob, ok := a.s.store.Assessment(obj); ok {
		if res, e, ok := decodeAssessment(blob); ok {
			return res, e
		}
	}
	id := obj.Key + "\x00" + obj.ETag + "\x00" + strconv.FormatInt(obj.Size, 10) + "\x00" + obj.ModTime.String()
	a.mu.Lock()
	call, running := a.inflight[id]
	if !running {
		call = &assessCall{done: make(chan struct{})}
		a.inflight[id] = call
	}
	a.mu.Unlock()
	if !running {
		// The call stays in inflight until its answer is persisted, so a repeat that comes
		// before the store has it still gets it without scoring again.
		call.res, call.err = a.compute(key, func() {
			a.mu.Lock()
			delete(a.inflight, id)
			a.mu.Unlock()
		})
		close(call.done)
	}
	select {
	case <-call.done:
		return call.res, call.err
	case <-ctx.Done():
		return quality.Result{}, errorf(http.StatusBadRequest, "RequestCanceled", "The client went away.")
	}
}

// compute reads the object version that is current now and scores it; persisted runs
// once the answer is in the store (or was not worth storing).
func (a *assessor) compute(key string, persisted func()) (quality.Result, *apiError) {
	f, obj, err := a.s.store.Open(key)
	if err != nil {
		persisted()
		return quality.Result{}, storeError(err)
	}
	defer f.Close()
	if e := a.s.sizeLimit(obj.Size); e != nil {
		persisted()
		return quality.Result{}, e
	}
	// What is plainly not an image is answered from its first bytes; the rest waits for
	// room under the memory budget before it is read whole, then for a CPU.
	prefix := make([]byte, quality.SniffBytes)
	n, err := io.ReadFull(f, prefix)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		persisted()
		return quality.Result{}, storeError(err)
	}
	var data []byte
	var res quality.Result
	if err = a.s.cfg.CheckFormat(prefix[:n], obj.Size); err == nil {
		release, _ := a.memory.Acquire(context.Background(), quality.DecodeCost(obj.Size))
		data = make([]byte, obj.Size)
		copy(data, prefix)
		if _, rerr := io.ReadFull(f, data[n:obj.Size]); rerr != nil {
			release()
			persisted()
			return quality.Result{}, storeError(rerr)
		}
		a.cpu <- struct{}{}
		res, err = a.run(data)
		<-a.cpu
		release()
	}
	var cached cachedAssessment
	var e *apiError
	var qe *quality.Error
	switch {
	case err == nil:
		cached.Result = &res
	case errors.As(err, &qe):
		e = errorf(http.StatusBadRequest, string(qe.Code), qe.Message)
		cached.Code, cached.Message = e.Code, e.Message
	default:
		persisted()
		a.s.log.Error("assessment failed", "key", key, "err", err)
		return quality.Result{}, errInternal
	}
	// Persist after answering: the fsync of the metadata store would otherwise add to
	// every first answer. Close waits for these writes.
	crc, learn := uint64(0), !obj.HasCRC && int64(len(data)) == obj.Size
	if learn {
		crc = crc64.Checksum(data, crcTable)
	}
	a.persisting.Add(1)
	go func() {
		defer a.persisting.Done()
		defer persisted()
		if learn {
			_ = a.s.store.LearnDigests(obj, crc) // a hint; losing it costs nothing
		}
		if blob, err := json.Marshal(cached); err == nil {
			if err := a.s.store.SetAssessment(obj, blob); err != nil {
				a.s.log.Warn("could not cache an assessment", "key", key, "err", err)
			}
		}
	}()
	return res, e
}

// run scores data, on a thread of its own at the lowest priority with AssessBackground.
func (a *assessor) run(data []byte) (quality.Result, error) {
	if !a.s.cfg.AssessBackground {
		return a.s.cfg.Assess(data, quality.Options{})
	}
	type answer struct {
		res quality.Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		// Locked, and never unlocked: when this goroutine ends, the runtime ends its thread
		// rather than hand a lowered thread to other goroutines. A new thread per image
		// costs microseconds against the scoring's tens of milliseconds.
		runtime.LockOSThread()
		defer func() {
			if p := recover(); p != nil { // the handler's recover cannot see this goroutine
				done <- answer{err: fmt.Errorf("assessment panicked: %v", p)}
			}
		}()
		_ = lowerThreadPriority() // where it fails, scoring just keeps its priority
		res, err := a.s.cfg.Assess(data, quality.Options{})
		done <- answer{res, err}
	}()
	ans := <-done
	return ans.res, ans.err
}

func decodeAssessment(blob []byte) (quality.Result, *apiError, bool) {
	var c cachedAssessment
	if json.Unmarshal(blob, &c) != nil {
		return quality.Result{}, nil, false // unreadable: score again
	}
	if c.Result != nil {
		return *c.Result, nil, true
	}
	if c.Code == "" {
		return quality.Result{}, nil, false
	}
	return quality.Result{}, errorf(http.StatusBadRequest, c.Code, c.Message), true
}

// sizeLimit applies Cloud Infinite's 4 MB-after-base64 limit under LimitsCOS.
func (s *Server) sizeLimit(size int64) *apiError {
	b64 := (size + 2) / 3 * 4
	switch {
	case s.cfg.Limits == LimitsCOS && b64 > maxAssessBase64:
		return errorf(http.StatusBadRequest, string(quality.CodeTooManyPixels),
			"The image is "+strconv.FormatInt(b64, 10)+" bytes after base64; AssessQuality accepts at most 4 MB (4194304 bytes).")
	case size > maxLocalAssessBytes:
		return errorf(http.StatusBadRequest, string(quality.CodeTooManyPixels),
			"The file is "+strconv.FormatInt(size, 10)+" bytes, larger than any image lightbox will read.")
	}
	return nil
}
