package localcos

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lightbox/localcos/internal/store"
)

// handleGet answers GET and HEAD Object: conditional requests, one byte range, and the
// headers cos-go-sdk-v5 reads.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	f, obj, err := s.store.Open(q.key)
	if err != nil {
		return storeError(err)
	}
	defer f.Close()
	if r.Method == http.MethodGet && s.frozen(obj) {
		return errArchived
	}
	h := w.Header()
	s.objectHeaders(h, obj)
	if r.Method == http.MethodGet {
		responseOverrides(h, r)
	}
	if status := preconditions(r, obj); status == http.StatusNotModified {
		h.Del("Content-Type")
		w.WriteHeader(status)
		return nil
	} else if status != 0 {
		return errorf(status, "PreconditionFailed", "At least one of the preconditions you specified did not hold.")
	}
	start, length, status := int64(0), obj.Size, http.StatusOK
	if spec := r.Header.Get("Range"); spec != "" {
		a, n, parsed, ok := parseRange(spec, obj.Size)
		switch {
		case parsed && !ok:
			h.Set("Content-Range", "bytes */"+strconv.FormatInt(obj.Size, 10))
			return errorf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable.")
		case parsed:
			start, length, status = a, n, http.StatusPartialContent
			h.Set("Content-Range", "bytes "+strconv.FormatInt(a, 10)+"-"+strconv.FormatInt(a+n-1, 10)+"/"+strconv.FormatInt(obj.Size, 10))
		}
	}
	if obj.HasCRC && status == http.StatusOK {
		// Only for the whole object: the SDK checks a ranged download against this header.
		h.Set("x-cos-hash-crc64ecma", strconv.FormatUint(obj.CRC64, 10))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	w.WriteHeader(status)
	if r.Method == http.MethodGet {
		_, _ = io.Copy(w, io.NewSectionReader(f, start, length)) // a client that hangs up just stops the copy
	}
	return nil
}

// objectHeaders are the headers GET and HEAD share.
func (s *Server) objectHeaders(h http.Header, obj store.Object) {
	h.Set("Content-Type", contentType(obj))
	h.Set("ETag", obj.ETag)
	h.Set("Last-Modified", obj.ModTime.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	writeObjectMeta(h, obj.UserMeta)
	if obj.StorageClass != "" && obj.StorageClass != "STANDARD" {
		h.Set("x-cos-storage-class", obj.StorageClass)
	}
	if len(obj.Tags) > 0 {
		h.Set("x-cos-tagging-count", strconv.Itoa(len(obj.Tags)))
	}
	if archiveClass(obj.StorageClass) && !obj.RestoreExpiry.IsZero() {
		h.Set("x-cos-restore", `ongoing-request="false", expiry-date="`+obj.RestoreExpiry.UTC().Format(http.TimeFormat)+`"`)
	}
}

// contentType is the stored type, or a guess from the name for files put in the folder directly.
func contentType(obj store.Object) string {
	if obj.ContentType != "" {
		return obj.ContentType
	}
	if t := mime.TypeByExtension(strings.ToLower(path.Ext(obj.Key))); t != "" {
		return t
	}
	return "application/octet-stream"
}

// responseOverrides applies the response-* query parameters of GET Object.
func responseOverrides(h http.Header, r *http.Request) {
	q := r.URL.Query()
	for param, header := range map[string]string{
		"response-content-type":        "Content-Type",
		"response-content-language":    "Content-Language",
		"response-expires":             "Expires",
		"response-cache-control":       "Cache-Control",
		"response-content-disposition": "Content-Disposition",
		"response-content-encoding":    "Content-Encoding",
	} {
		if v := q.Get(param); v != "" {
			h.Set(header, v)
		}
	}
}

// copySourceObject is the key and object a copy (whole object or part) reads, or why it may
// not: a bad x-cos-copy-source, a missing object, an archived one not restored, or
// x-cos-copy-source-if-* conditions that fail.
func (s *Server) copySourceObject(h http.Header) (string, store.Object, *apiError) {
	key, e := s.copySource(h.Get("x-cos-copy-source"))
	if e != nil {
		return "", store.Object{}, e
	}
	src, err := s.store.Head(key)
	if err != nil {
		return key, src, storeError(err)
	}
	if s.frozen(src) {
		return key, src, errArchived
	}
	if !copyConditionsHold(h, src) {
		return key, src, errorf(http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the preconditions you specified did not hold.")
	}
	return key, src, nil
}

// frozen reports an archived object that has not been restored (or whose restore expired).
func (s *Server) frozen(obj store.Object) bool {
	return archiveClass(obj.StorageClass) && !obj.RestoreExpiry.After(s.now())
}

func archiveClass(class string) bool { return class == "ARCHIVE" || class == "DEEP_ARCHIVE" }

// preconditions evaluates If-Match, If-Unmodified-Since, If-None-Match and
// If-Modified-Since in RFC 9110's order; 0 means go ahead.
func preconditions(r *http.Request, obj store.Object) int {
	mod := obj.ModTime.Truncate(time.Second)
	if v := r.Header.Get("If-Match"); v != "" {
		if !etagListed(v, obj.ETag) {
			return http.StatusPreconditionFailed
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Unmodified-Since")); err == nil && mod.After(t) {
		return http.StatusPreconditionFailed
	}
	if v := r.Header.Get("If-None-Match"); v != "" {
		if etagListed(v, obj.ETag) {
			return http.StatusNotModified
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !mod.After(t) {
		return http.StatusNotModified
	}
	return 0
}

func etagListed(list, etag string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimPrefix(strings.TrimSpace(e), "W/")
		if e == "*" || e == etag || strings.Trim(e, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// parseRange reads the first range of a "bytes=" header. parsed=false means the header is
// not a byte range we understand, which HTTP says to ignore; ok=false means unsatisfiable.
func parseRange(spec string, size int64) (start, length int64, parsed, ok bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(spec), "bytes=")
	if !found {
		return 0, 0, false, false
	}
	first, _, _ := strings.Cut(spec, ",")
	a, b, found := strings.Cut(strings.TrimSpace(first), "-")
	if !found {
		return 0, 0, false, false
	}
	if a == "" { // the last b bytes
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		n = min(n, size)
		return size - n, n, true, true
	}
	from, err := strconv.ParseInt(a, 10, 64)
	if err != nil || from < 0 {
		return 0, 0, false, false
	}
	to := size - 1
	if b != "" {
		if to, err = strconv.ParseInt(b, 10, 64); err != nil || to < from {
			return 0, 0, false, false
		}
		to = min(to, size-1)
	}
	if from >= size {
		return 0, 0, true, false
	}
	return from, to - from + 1, true, true
}

// handlePut stores an object atomically and answers with its ETag and CRC64, which the SDK
// insists on.
func (s *Server) handlePut(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if r.ContentLength > s.cfg.MaxObjectSize {
		return errTooLarge(s.cfg.MaxObjectSize)
	}
	opt := store.PutOptions{ContentType: r.Header.Get("Content-Type"), MaxSize: s.cfg.MaxObjectSize}
	var e *apiError
	if opt.WantMD5, e = contentMD5(r); e != nil {
		return e
	}
	if opt.StorageClass, opt.UserMeta, opt.Tags, e = newObjectHeaders(r.Header); e != nil {
		return e
	}
	obj, err := s.store.Put(r.Context(), q.key, r.Body, opt)
	if err != nil {
		return s.putError(r.Context(), err)
	}
	writeStored(w, obj.ETag, obj.CRC64)
	return nil
}

// writeStored answers an upload (PUT or a part) with the ETag and CRC64 of what was stored:
// the SDK compares its own CRC64 with ours and fails the upload without it.
func writeStored(w http.ResponseWriter, etag string, crc uint64) {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("x-cos-hash-crc64ecma", strconv.FormatUint(crc, 10))
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

func errTooLarge(limit int64) *apiError {
	return errorf(http.StatusBadRequest, "EntityTooLarge",
		"Your proposed upload exceeds the maximum allowed object size of "+strconv.FormatInt(limit, 10)+" bytes.")
}

// putError explains why nothing was stored.
func (s *Server) putError(ctx context.Context, err error) *apiError {
	if e := payloadError(err); e != nil {
		return e
	}
	switch {
	case errors.Is(err, store.ErrTooLarge):
		return errTooLarge(s.cfg.MaxObjectSize)
	case errors.Is(err, io.ErrUnexpectedEOF), ctx.Err() != nil:
		return errorf(http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	}
	return storeError(err)
}

// storeError maps the store's errors to COS answers.
func storeError(err error) *apiError {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errNoSuchKey
	case errors.Is(err, store.ErrInvalidKey):
		return keyError(err)
	case errors.Is(err, store.ErrBadDigest):
		return errorf(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
	case errors.Is(err, store.ErrTooLarge):
		return errTooLarge(DefaultMaxObjectSize)
	case errors.Is(err, store.ErrConflict):
		return errorf(http.StatusConflict, "KeyConflict",
			"The served folder cannot hold this key: a file and a folder would need the same name.")
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return errorf(http.StatusInsufficientStorage, "InsufficientStorage",
			"The disk holding the served folder is full; nothing was stored.")
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM), errors.Is(err, syscall.EROFS):
		return errorf(http.StatusForbidden, "AccessDenied", "The served folder does not allow this change.")
	}
	return errInternal
}

// contentMD5 decodes Content-MD5 when present.
func contentMD5(r *http.Request) ([]byte, *apiError) {
	v := r.Header.Get("Content-MD5")
	if v == "" {
		return nil, nil
	}
	sum, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(sum) != 16 {
		return nil, errorf(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.")
	}
	return sum, nil
}

var storageClasses = map[string]bool{
	"STANDARD": true, "STANDARD_IA": true, "ARCHIVE": true, "DEEP_ARCHIVE": true,
	"INTELLIGENT_TIERING": true, "MAZ_STANDARD": true, "MAZ_STANDARD_IA": true,
	"MAZ_INTELLIGENT_TIERING": true, "MAZ_ARCHIVE": true,
}

// newObjectHeaders reads what a new object takes from its creating request, PUT or
// Initiate Multipart Upload alike: storage class, user metadata and x-cos-tagging.
func newObjectHeaders(h http.Header) (class string, meta map[string]string, tags []store.Tag, e *apiError) {
	if class, e = storageClass(h.Get("x-cos-storage-class")); e != nil {
		return "", nil, nil, e
	}
	if meta, e = userMeta(h); e != nil {
		return "", nil, nil, e
	}
	if v := h.Get("x-cos-tagging"); v != "" {
		if tags, e = parseTaggingHeader(v); e != nil {
			return "", nil, nil, e
		}
	}
	return class, meta, tags, nil
}

func storageClass(v string) (string, *apiError) {
	if v == "" {
		return "", nil
	}
	up := strings.ToUpper(v)
	if !storageClasses[up] {
		return "", errorf(http.StatusBadRequest, "InvalidArgument", "Invalid storage class: "+v+".")
	}
	return up, nil
}

// maxUserMeta is COS's limit on the total size of x-cos-meta-* headers.
const maxUserMeta = 2 << 10

func userMeta(h http.Header) (map[string]string, *apiError) {
	var meta map[string]string
	total := 0
	for name, vals := range h {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-cos-meta-") || len(lower) == len("x-cos-meta-") {
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		v := strings.Join(vals, ",")
		meta[strings.TrimPrefix(lower, "x-cos-meta-")] = v
		total += len(lower) + len(v)
	}
	if total > maxUserMeta {
		return nil, errorf(http.StatusBadRequest, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size of 2 KB.")
	}
	return withStoredHeaders(meta, h), nil
}

// handleDelete removes an object; a missing key is success, as on COS.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if err := s.store.Delete(q.key); err != nil {
		return storeError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
