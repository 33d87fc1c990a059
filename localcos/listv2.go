package localcos

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"unicode/utf8"

	"lightbox/localcos/internal/store"
)

type listV2Result struct {
	XMLName               xml.Name       `xml:"ListBucketResult"`
	Name                  string         `xml:"Name"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	Prefix                string         `xml:"Prefix"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	KeyCount              int            `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
	Contents              []listEntryV2  `xml:"Contents"`
}

type listEntryV2 struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	Owner        *owner `xml:"Owner,omitempty"`
	StorageClass string `xml:"StorageClass"`
}

// handleListV2 answers GET Bucket with list-type=2 (S3's ListObjectsV2): the same walk as
// v1, paged by an opaque continuation token (the last key or prefix returned) or start-after,
// with owners only when fetch-owner=true.
func (s *Server) handleListV2(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	p := r.URL.Query()
	bad := func(msg string) *apiError { return errorf(http.StatusBadRequest, "InvalidArgument", msg) }
	maxKeys, e := boundedInt(p.Get("max-keys"), 1000, "max-keys")
	if e != nil {
		return e
	}
	opt := store.ListOptions{Prefix: p.Get("prefix"), Delimiter: p.Get("delimiter"), MaxKeys: maxKeys}
	if utf8.RuneCountInString(opt.Delimiter) > 1 {
		return bad("The delimiter must be a single character.")
	}
	enc := p.Get("encoding-type")
	if enc != "" && enc != "url" {
		return bad("encoding-type may only be url.")
	}
	token, startAfter := p.Get("continuation-token"), p.Get("start-after")
	opt.Marker = startAfter
	if p.Has("continuation-token") {
		after, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return bad("The continuation token provided is incorrect.")
		}
		opt.Marker = max(string(after), startAfter)
	}
	res := listV2Result{Name: s.cfg.Bucket, EncodingType: enc, Prefix: opt.Prefix, StartAfter: startAfter,
		ContinuationToken: token, MaxKeys: maxKeys, Delimiter: opt.Delimiter}
	if maxKeys > 0 {
		page, err := s.store.List(r.Context(), opt)
		if err != nil {
			return storeError(err)
		}
		res.IsTruncated = page.IsTruncated
		if page.IsTruncated {
			res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(page.NextMarker))
		}
		for _, cp := range page.CommonPrefixes {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{cp})
		}
		fetchOwner := p.Get("fetch-owner") == "true"
		for _, o := range page.Objects {
			e := listEntryV2{Key: o.Key, LastModified: o.ModTime.UTC().Format(cosTime), ETag: o.ETag, Size: o.Size,
				StorageClass: o.StorageClass}
			if e.StorageClass == "" {
				e.StorageClass = "STANDARD"
			}
			if fetchOwner {
				own := s.owner()
				e.Owner = &own
			}
			res.Contents = append(res.Contents, e)
		}
		res.KeyCount = len(res.Contents) + len(res.CommonPrefixes)
	}
	if enc == "url" {
		res.Prefix, res.StartAfter, res.Delimiter = encodeKey(res.Prefix), encodeKey(res.StartAfter), encodeKey(res.Delimiter)
		for i := range res.CommonPrefixes {
			res.CommonPrefixes[i].Prefix = encodeKey(res.CommonPrefixes[i].Prefix)
		}
		for i := range res.Contents {
			res.Contents[i].Key = encodeKey(res.Contents[i].Key)
		}
	}
	writeXML(w, http.StatusOK, res)
	return nil
}
