package localcos

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"lightbox/localcos/internal/sigv4"
)

// This file holds what makes one server speak both COS's and S3's dialects: the raw query
// read as COS and S3 read it, and the x-amz-* names S3 clients use for x-cos-* headers.

// prepare normalises r before it is classified. It returns the request to use from then on.
func (s *Server) prepare(r *http.Request) *http.Request {
	// COS and S3 split the query on '&' only; Go's URL.Query drops any pair with a raw ';'
	// (the Node SDK's presigned q-sign-time has one). Escaping it keeps every decoded value.
	if strings.Contains(r.URL.RawQuery, ";") {
		r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
	}
	if !sigv4.Claims(r) {
		return r
	}
	// The signature covers the headers as sent; the handlers read the x-cos-* names. Keep the
	// original for verification and give the handlers the COS names.
	orig := r.Header.Clone()
	for name, vals := range orig {
		lower := strings.ToLower(name)
		rest, ok := strings.CutPrefix(lower, "x-amz-")
		if !ok || amzOnly[rest] {
			continue
		}
		if cos := "x-cos-" + rest; r.Header.Get(cos) == "" {
			r.Header[http.CanonicalHeaderKey(cos)] = vals
		}
	}
	signed := &signedForm{header: orig, url: r.URL}
	r.URL = s.pathStyle(r)
	return r.WithContext(context.WithValue(r.Context(), amzHeadersKey{}, signed))
}

// pathStyle turns S3's path-style address (/BUCKET/KEY, what S3 tools send to an endpoint
// given as an address) into the key path. Only SigV4 requests get it, and only when the
// Host does not already name the bucket: COS clients address the bucket by host, so for
// them a first segment equal to the bucket's name is part of the key.
func (s *Server) pathStyle(r *http.Request) *url.URL {
	host := strings.ToLower(r.Host)
	if strings.HasPrefix(host, s.cfg.Bucket+".") {
		return r.URL
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+s.cfg.Bucket)
	if !ok || rest != "" && rest[0] != '/' {
		return r.URL
	}
	u := *r.URL
	u.Path, u.RawPath = rest, ""
	if u.Path == "" {
		u.Path = "/"
	}
	return &u
}

// signedForm is the request as the client signed it, before prepare renamed its headers
// and removed the bucket from a path-style address.
type signedForm struct {
	header http.Header
	url    *url.URL
}

// amzOnly are the x-amz-* headers that belong to the signature, not to the operation.
var amzOnly = map[string]bool{
	"date": true, "content-sha256": true, "decoded-content-length": true,
	"security-token": true, "user-agent": true, "request-payer": true, "expected-bucket-owner": true,
	"trailer": true, "sdk-checksum-algorithm": true,
}

type amzHeadersKey struct{}

// signedRequest is r as the client signed it.
func signedRequest(r *http.Request) *http.Request {
	c := *r
	if f, ok := r.Context().Value(amzHeadersKey{}).(*signedForm); ok {
		c.Header, c.URL = f.header, f.url
	}
	return &c
}

// amzTwins answers an S3 client with the x-amz-* name beside each x-cos-* response header
// (x-amz-meta-* is where S3 tools read back their own metadata, rclone's mtime for one).
type amzTwins struct {
	http.ResponseWriter
	done bool
}

func (w *amzTwins) WriteHeader(code int) {
	if !w.done {
		w.done = true
		h := w.Header()
		for name, vals := range h {
			if rest, ok := strings.CutPrefix(strings.ToLower(name), "x-cos-"); ok {
				// Lower-case as S3 sends them: botocore reports metadata names as written.
				h["x-amz-"+rest] = vals
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *amzTwins) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *amzTwins) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets net/http's ResponseController reach the connection.
func (w *amzTwins) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// The standard HTTP headers an object keeps from its upload and returns on GET and HEAD, as
// COS and S3 do. They are kept among the user metadata under names no x-cos-meta-* header
// can produce (':' is not a token character), so the store needs no new field.
var storedHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

const storedHeaderPrefix = ":"

func withStoredHeaders(meta map[string]string, h http.Header) map[string]string {
	for _, name := range storedHeaders {
		v := h.Get(name)
		if name == "Content-Encoding" {
			v = stripAWSChunked(v)
		}
		if v == "" {
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		meta[storedHeaderPrefix+strings.ToLower(name)] = v
	}
	return meta
}

// stripAWSChunked removes the transfer coding S3 streaming uploads add to Content-Encoding;
// it describes the request, not the object.
func stripAWSChunked(v string) string {
	var keep []string
	for _, c := range strings.Split(v, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ",")
}

// writeObjectMeta sets the user metadata and stored standard headers of an answer.
func writeObjectMeta(h http.Header, meta map[string]string) {
	for k, v := range meta {
		if name, ok := strings.CutPrefix(k, storedHeaderPrefix); ok {
			h.Set(name, v)
			continue
		}
		h.Set("x-cos-meta-"+k, v)
	}
}
