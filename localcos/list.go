package localcos

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"lightbox/localcos/internal/pctenc"
	"lightbox/localcos/internal/store"
)

type listResult struct {
	XMLName        xml.Name       `xml:"ListBucketResult"`
	Name           string         `xml:"Name"`
	EncodingType   string         `xml:"EncodingType,omitempty"`
	Prefix         string         `xml:"Prefix"`
	Marker         string         `xml:"Marker"`
	MaxKeys        int            `xml:"MaxKeys"`
	Delimiter      string         `xml:"Delimiter,omitempty"`
	IsTruncated    bool           `xml:"IsTruncated"`
	NextMarker     string         `xml:"NextMarker,omitempty"`
	CommonPrefixes []commonPrefix `xml:"CommonPrefixes"`
	Contents       []listEntry    `xml:"Contents"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

type listEntry struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Owner        owner  `xml:"Owner"`
	StorageClass string `xml:"StorageClass"`
}

type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

// cosTime is how COS writes times in XML bodies: ISO 8601 with milliseconds, in UTC.
const cosTime = "2006-01-02T15:04:05.000Z"

// handleList answers GET Bucket (List Objects v1), paging in UTF-8 byte order like COS.
func (s *Server) handleList(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	p := r.URL.Query()
	opt := store.ListOptions{Prefix: p.Get("prefix"), Delimiter: p.Get("delimiter"), Marker: p.Get("marker"), MaxKeys: 1000}
	if v := p.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errorf(http.StatusBadRequest, "InvalidArgument", "max-keys must be a whole number from 0 to 1000.")
		}
		opt.MaxKeys = min(n, 1000) // COS clamps rather than refuses
	}
	if utf8.RuneCountInString(opt.Delimiter) > 1 {
		return errorf(http.StatusBadRequest, "InvalidArgument", "The delimiter must be a single character.")
	}
	enc := p.Get("encoding-type")
	if enc != "" && enc != "url" {
		return errorf(http.StatusBadRequest, "InvalidArgument", "encoding-type may only be url.")
	}
	res := listResult{Name: s.cfg.Bucket, EncodingType: enc, Prefix: opt.Prefix, Marker: opt.Marker,
		MaxKeys: opt.MaxKeys, Delimiter: opt.Delimiter}
	if opt.MaxKeys > 0 {
		page, err := s.store.List(r.Context(), opt)
		if err != nil {
			return storeError(err)
		}
		res.IsTruncated, res.NextMarker = page.IsTruncated, page.NextMarker
		for _, cp := range page.CommonPrefixes {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{cp})
		}
		appid := s.cfg.Bucket[strings.LastIndexByte(s.cfg.Bucket, '-')+1:]
		for _, o := range page.Objects {
			class := o.StorageClass
			if class == "" {
				class = "STANDARD"
			}
			res.Contents = append(res.Contents, listEntry{Key: o.Key, LastModified: o.ModTime.UTC().Format(cosTime),
				ETag: o.ETag, Size: o.Size, Owner: owner{appid, appid}, StorageClass: class})
		}
	}
	if enc == "url" {
		urlEncodeListing(&res)
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// urlEncodeListing applies encoding-type=url to every name in the answer.
func urlEncodeListing(res *listResult) {
	res.Prefix = encodeKey(res.Prefix)
	res.Marker = encodeKey(res.Marker)
	res.NextMarker = encodeKey(res.NextMarker)
	res.Delimiter = encodeKey(res.Delimiter)
	for i := range res.CommonPrefixes {
		res.CommonPrefixes[i].Prefix = encodeKey(res.CommonPrefixes[i].Prefix)
	}
	for i := range res.Contents {
		res.Contents[i].Key = encodeKey(res.Contents[i].Key)
	}
}

// encodeKey is encoding-type=url as COS and S3 apply it: every byte outside JavaScript's
// unreserved set and '/' is percent-encoded, so "a/b c+" reads "a/b%20c%2B". Clients decode
// with url.QueryUnescape (Go SDK, COSCLI), unquote_plus (botocore, s3cmd) or
// decodeURIComponent (Node SDK): '+' must go out as %2B and ' ' as %20 for all of them, and
// '/' left alone keeps a client that shows the raw name (COSCLI's folders) readable.
func encodeKey(s string) string {
	return pctenc.Encode(s, func(c byte) bool { return pctenc.Unreserved(c) || strings.IndexByte("!*'()/", c) >= 0 })
}

// handleHeadBucket confirms the bucket exists and the caller may use it.
func (s *Server) handleHeadBucket(w http.ResponseWriter, _ *http.Request, _ *request) *apiError {
	w.Header().Set("x-cos-bucket-region", s.cfg.Region)
	w.WriteHeader(http.StatusOK)
	return nil
}

// writeXML sends a successful XML answer with the declaration COS puts first.
func writeXML(w http.ResponseWriter, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		// Only our own fixed types are marshalled, so this is a programming error.
		panic(err)
	}
	body = append([]byte(xml.Header), body...)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // a client that hung up cannot be told anything more
}
