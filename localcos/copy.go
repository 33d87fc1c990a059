package localcos

import (
	"encoding/xml"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lightbox/internal/cosrules"
	"lightbox/localcos/internal/store"
)

type copyResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	CRC64        string   `xml:"CRC64,omitempty"`
	LastModified string   `xml:"LastModified"`
}

// handleCopy is PUT Object - Copy within this bucket.
func (s *Server) handleCopy(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	srcKey, src, e := s.copySourceObject(r.Header)
	if e != nil {
		return e
	}
	directive := r.Header.Get("x-cos-metadata-directive")
	if directive != "" && !strings.EqualFold(directive, "Copy") && !strings.EqualFold(directive, "Replaced") {
		return errorf(http.StatusBadRequest, "InvalidArgument", "x-cos-metadata-directive must be Copy or Replaced.")
	}
	replace := strings.EqualFold(directive, "Replaced")
	// Unlike COS, which dates a copy at the time of the copy, the copy keeps its source's
	// modification time: a photo moved to the trash or a promote folder and back keeps its date.
	opt := store.CopyOptions{ReplaceMeta: replace, ContentType: r.Header.Get("Content-Type"), KeepModTime: true}
	if opt.StorageClass, e = storageClass(r.Header.Get("x-cos-storage-class")); e != nil {
		return e
	}
	if replace {
		if opt.UserMeta, e = userMeta(r.Header); e != nil {
			return e
		}
	}
	var newTags []store.Tag
	tagDirective := r.Header.Get("x-cos-tagging-directive")
	replaceTags := strings.EqualFold(tagDirective, "Replaced")
	if replaceTags {
		if newTags, e = parseTaggingHeader(r.Header.Get("x-cos-tagging")); e != nil {
			return e
		}
	}
	if srcKey == q.key && !replace && (opt.StorageClass == "" || opt.StorageClass == src.StorageClass) {
		return errorf(http.StatusBadRequest, "InvalidRequest",
			"This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata or storage class.")
	}
	obj, err := s.store.Copy(r.Context(), srcKey, q.key, opt)
	if err == nil && replaceTags {
		obj, err = s.store.Update(q.key, func(o *store.Object) error { o.Tags = newTags; return nil })
	}
	if err != nil {
		return s.putError(r.Context(), err)
	}
	res := copyResult{ETag: obj.ETag, LastModified: obj.ModTime.UTC().Format(cosTime)}
	if obj.HasCRC {
		res.CRC64 = strconv.FormatUint(obj.CRC64, 10)
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// copySource reads x-cos-copy-source: "<host>/<escaped key>", where host is this bucket's
// virtual host, this server's address (what a client gets from its BucketURL), or a bare
// bucket name. cos-go-sdk-v5 v0.7.70 leaves a '?' of the key unescaped, so a '?' belongs to
// the key unless a versionId follows it.
func (s *Server) copySource(v string) (string, *apiError) {
	bad := func(why string) (string, *apiError) {
		return "", errorf(http.StatusBadRequest, "InvalidArgument", "Invalid x-cos-copy-source: "+why+".")
	}
	host, escaped, ok := strings.Cut(strings.TrimPrefix(v, "/"), "/")
	if !ok || host == "" || escaped == "" {
		return bad("expected <bucket host>/<key>")
	}
	if i := strings.LastIndex(escaped, "?versionId="); i >= 0 {
		if version := escaped[i+len("?versionId="):]; version != "" && version != "null" {
			return "", errorf(http.StatusNotImplemented, "NotImplemented", "Versioned copy sources are not supported by lightbox's embedded COS.")
		}
		escaped = escaped[:i]
	}
	key, err := url.PathUnescape(escaped)
	if err != nil {
		return bad("the key is not properly escaped")
	}
	if !s.sourceHostIsOurs(host) {
		return "", errNoSuchBucket
	}
	if err := store.CheckKey(key); err != nil {
		return "", keyError(err)
	}
	return key, nil
}

func (s *Server) sourceHostIsOurs(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	if cosrules.ValidBucket(name) { // the bare "bucket-appid/key" form
		return name == s.cfg.Bucket
	}
	return s.ownsHost(host)
}

// copyConditionsHold evaluates the x-cos-copy-source-If-* headers against the source.
func copyConditionsHold(h http.Header, src store.Object) bool {
	mod := src.ModTime.Truncate(time.Second)
	if v := h.Get("x-cos-copy-source-If-Match"); v != "" && !etagListed(v, src.ETag) {
		return false
	}
	if v := h.Get("x-cos-copy-source-If-None-Match"); v != "" && etagListed(v, src.ETag) {
		return false
	}
	if t, err := http.ParseTime(h.Get("x-cos-copy-source-If-Modified-Since")); err == nil && !mod.After(t) {
		return false
	}
	if t, err := http.ParseTime(h.Get("x-cos-copy-source-If-Unmodified-Since")); err == nil && mod.After(t) {
		return false
	}
	return true
}
