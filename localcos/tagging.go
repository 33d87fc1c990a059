package localcos

import (
	"crypto/md5"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"lightbox/internal/cosrules"
	"lightbox/localcos/internal/store"
)

type tagging struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  tagSet   `xml:"TagSet"`
}

type tagSet struct {
	Tags []xmlTag `xml:"Tag"`
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func (s *Server) handleGetTagging(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	obj, err := s.store.Head(q.key)
	if err != nil {
		return storeError(err)
	}
	var res tagging
	for _, t := range obj.Tags {
		res.TagSet.Tags = append(res.TagSet.Tags, xmlTag(t))
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// handlePutTagging replaces the whole tag set, as COS does; an empty set clears it.
func (s *Server) handlePutTagging(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	var req tagging
	if e := decodeXMLBody(r, maxTaggingBody, &req); e != nil {
		return e
	}
	tags := make([]store.Tag, 0, len(req.TagSet.Tags))
	for _, t := range req.TagSet.Tags {
		tags = append(tags, store.Tag(t))
	}
	if e := checkTags(tags); e != nil {
		return e
	}
	if _, err := s.store.Update(q.key, func(o *store.Object) error { o.Tags = tags; return nil }); err != nil {
		return storeError(err)
	}
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) handleDeleteTagging(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if _, err := s.store.Update(q.key, func(o *store.Object) error { o.Tags = nil; return nil }); err != nil {
		return storeError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

var errMalformedXML = errorf(http.StatusBadRequest, "MalformedXML",
	"The XML you provided was not well-formed or did not validate against our published schema.")

// decodeXMLBody reads a small request body into v, refusing an oversize one, checking
// Content-MD5 when the client sent it, and answering MalformedXML for XML v does not take.
func decodeXMLBody(r *http.Request, limit int64, v any) *apiError {
	if r.ContentLength > limit {
		return errorf(http.StatusBadRequest, "EntityTooLarge", "The request body is larger than "+strconv.FormatInt(limit, 10)+" bytes.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return errorf(http.StatusBadRequest, "IncompleteBody", "The request body could not be read.")
	}
	if int64(len(body)) > limit {
		return errorf(http.StatusBadRequest, "EntityTooLarge", "The request body is larger than "+strconv.FormatInt(limit, 10)+" bytes.")
	}
	want, e := contentMD5(r)
	if e != nil {
		return e
	}
	if want != nil {
		if sum := md5.Sum(body); string(sum[:]) != string(want) {
			return errorf(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
		}
	}
	if xml.Unmarshal(body, v) != nil {
		return errMalformedXML
	}
	return nil
}

// checkTags applies COS's rules: at most 10 tags, unique keys of 1-127 characters, values
// of at most 255, letters, digits, spaces and + - = . _ : / @ only.
func checkTags(tags []store.Tag) *apiError {
	bad := func(msg string) *apiError { return errorf(http.StatusBadRequest, "InvalidTag", msg) }
	if len(tags) > cosrules.MaxTags {
		return bad("An object can have at most 10 tags.")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		n := utf8.RuneCountInString(t.Key)
		if n == 0 || n > cosrules.MaxTagKeyChars {
			return bad("A tag key must be 1 to 127 characters: " + strconv.Quote(t.Key) + ".")
		}
		if utf8.RuneCountInString(t.Value) > cosrules.MaxTagValueChars {
			return bad("A tag value must be at most 255 characters (key " + strconv.Quote(t.Key) + ").")
		}
		if !cosrules.ValidTagText(t.Key) || !cosrules.ValidTagText(t.Value) {
			return bad("Tags may contain letters, digits, spaces and + - = . _ : / @ only: " + strconv.Quote(t.Key+"="+t.Value) + ".")
		}
		if seen[t.Key] {
			return bad("Tag keys must be unique: " + strconv.Quote(t.Key) + " appears twice.")
		}
		seen[t.Key] = true
	}
	return nil
}

// parseTaggingHeader reads x-cos-tagging ("k1=v1&k2=v2", URL-encoded), keeping the order.
func parseTaggingHeader(v string) ([]store.Tag, *apiError) {
	var tags []store.Tag
	for _, pair := range strings.Split(v, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(val)
		if err1 != nil || err2 != nil {
			return nil, errorf(http.StatusBadRequest, "InvalidTag", "x-cos-tagging must be URL-encoded key=value pairs joined by &.")
		}
		tags = append(tags, store.Tag{Key: key, Value: value})
	}
	if e := checkTags(tags); e != nil {
		return nil, e
	}
	return tags, nil
}
