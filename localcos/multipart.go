package localcos

import (
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"lightbox/localcos/internal/store"
)

// Multipart upload: initiate, upload part (and part copy), list parts, list uploads,
// complete, abort, answered as COS does (and S3, whose XML is the same).

type initiateResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

type completeRequest struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeResult struct {
	XMLName  xml.Name `xml:"CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

type partEntry struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
}

type listPartsResult struct {
	XMLName              xml.Name    `xml:"ListPartsResult"`
	Bucket               string      `xml:"Bucket"`
	EncodingType         string      `xml:"EncodingType,omitempty"`
	Key                  string      `xml:"Key"`
	UploadID             string      `xml:"UploadId"`
	Initiator            owner       `xml:"Initiator"`
	Owner                owner       `xml:"Owner"`
	StorageClass         string      `xml:"StorageClass"`
	PartNumberMarker     int         `xml:"PartNumberMarker"`
	NextPartNumberMarker int         `xml:"NextPartNumberMarker"`
	MaxParts             int         `xml:"MaxParts"`
	IsTruncated          bool        `xml:"IsTruncated"`
	Parts                []partEntry `xml:"Part"`
}

type uploadEntry struct {
	Key          string `xml:"Key"`
	UploadID     string `xml:"UploadId"`
	StorageClass string `xml:"StorageClass"`
	Initiator    owner  `xml:"Initiator"`
	Owner        owner  `xml:"Owner"`
	Initiated    string `xml:"Initiated"`
}

type listUploadsResult struct {
	XMLName            xml.Name       `xml:"ListMultipartUploadsResult"`
	Bucket             string         `xml:"Bucket"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker,omitempty"`
	MaxUploads         int            `xml:"MaxUploads"`
	IsTruncated        bool           `xml:"IsTruncated"`
	Prefix             string         `xml:"Prefix"`
	Delimiter          string         `xml:"Delimiter,omitempty"`
	Uploads            []uploadEntry  `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	CRC64        string   `xml:"CRC64,omitempty"`
}

// maxPartSize is COS's and S3's largest part.
const maxPartSize = 5 << 30

func (s *Server) owner() owner {
	appid := s.cfg.Bucket[strings.LastIndexByte(s.cfg.Bucket, '-')+1:]
	return owner{appid, appid}
}

// handleInitiate is POST /KEY?uploads: the object's headers are given now, as with PUT.
func (s *Server) handleInitiate(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	u := store.Upload{ContentType: r.Header.Get("Content-Type")}
	var e *apiError
	if u.StorageClass, u.UserMeta, u.Tags, e = newObjectHeaders(r.Header); e != nil {
		return e
	}
	u, err := s.store.CreateUpload(q.key, u)
	if err != nil {
		return multipartError(err)
	}
	writeXML(w, http.StatusOK, initiateResult{Bucket: s.cfg.Bucket, Key: q.key, UploadID: u.ID})
	return nil
}

// partNumber reads partNumber=1..10000.
func partNumber(r *http.Request) (int, *apiError) {
	n, err := strconv.Atoi(r.URL.Query().Get("partNumber"))
	if err != nil || n < 1 || n > store.MaxPartNumber {
		return 0, errorf(http.StatusBadRequest, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.")
	}
	return n, nil
}

// handleUploadPart is PUT /KEY?partNumber=N&uploadId=ID.
func (s *Server) handleUploadPart(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	n, e := partNumber(r)
	if e != nil {
		return e
	}
	if r.ContentLength > maxPartSize {
		return errTooLarge(maxPartSize)
	}
	want, e := contentMD5(r)
	if e != nil {
		return e
	}
	p, err := s.store.PutPart(r.Context(), q.key, r.URL.Query().Get("uploadId"), n, r.Body, maxPartSize, want)
	if err != nil {
		if e := multipartError(err); e != errInternal {
			return e
		}
		return s.putError(r.Context(), err)
	}
	writeStored(w, p.ETag, p.CRC64)
	return nil
}

// handleUploadPartCopy is PUT /KEY?partNumber=N&uploadId=ID with x-cos-copy-source.
func (s *Server) handleUploadPartCopy(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	n, e := partNumber(r)
	if e != nil {
		return e
	}
	srcKey, src, e := s.copySourceObject(r.Header)
	if e != nil {
		return e
	}
	offset, length := int64(0), int64(-1)
	if v := r.Header.Get("x-cos-copy-source-range"); v != "" {
		a, l, parsed, ok := parseRange(v, src.Size)
		if !parsed || !ok || !strings.Contains(v, "-") || strings.HasPrefix(strings.TrimPrefix(v, "bytes="), "-") {
			return errorf(http.StatusBadRequest, "InvalidArgument", "x-cos-copy-source-range must be bytes=first-last within the source.")
		}
		offset, length = a, l
	}
	p, _, err := s.store.CopyPart(r.Context(), q.key, r.URL.Query().Get("uploadId"), n, srcKey, offset, length)
	if err != nil {
		return multipartError(err)
	}
	writeXML(w, http.StatusOK, copyPartResult{ETag: p.ETag, LastModified: p.LastModified.UTC().Format(cosTime),
		CRC64: strconv.FormatUint(p.CRC64, 10)})
	return nil
}

// handleCompleteUpload is POST /KEY?uploadId=ID with the part list.
func (s *Server) handleCompleteUpload(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	var req completeRequest
	if e := decodeXMLBody(r, maxXMLBody, &req); e != nil {
		return e
	}
	if len(req.Parts) == 0 {
		return errMalformedXML
	}
	list := make([]store.CompletePart, len(req.Parts))
	for i, p := range req.Parts {
		list[i] = store.CompletePart{Number: p.PartNumber, ETag: p.ETag}
	}
	obj, err := s.store.CompleteUpload(r.Context(), q.key, r.URL.Query().Get("uploadId"), list, s.cfg.MaxObjectSize)
	if err != nil {
		return multipartError(err)
	}
	w.Header().Set("x-cos-hash-crc64ecma", strconv.FormatUint(obj.CRC64, 10))
	writeXML(w, http.StatusOK, completeResult{Location: s.VirtualHost() + "/" + q.key, Bucket: s.cfg.Bucket,
		Key: q.key, ETag: obj.ETag})
	return nil
}

// handleAbortUpload is DELETE /KEY?uploadId=ID.
func (s *Server) handleAbortUpload(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if err := s.store.AbortUpload(q.key, r.URL.Query().Get("uploadId")); err != nil {
		return multipartError(err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// handleListParts is GET /KEY?uploadId=ID.
func (s *Server) handleListParts(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	p := r.URL.Query()
	id := p.Get("uploadId")
	u, err := s.store.GetUpload(q.key, id)
	if err != nil {
		return multipartError(err)
	}
	maxParts, e := boundedInt(p.Get("max-parts"), 1000, "max-parts")
	if e != nil {
		return e
	}
	marker := 0
	if v := p.Get("part-number-marker"); v != "" {
		if marker, err = strconv.Atoi(v); err != nil || marker < 0 {
			return errorf(http.StatusBadRequest, "InvalidArgument", "part-number-marker must be a whole number.")
		}
	}
	parts, err := s.store.ListParts(q.key, id)
	if err != nil {
		return multipartError(err)
	}
	enc := p.Get("encoding-type")
	res := listPartsResult{Bucket: s.cfg.Bucket, EncodingType: enc, Key: q.key, UploadID: id, Initiator: s.owner(),
		Owner: s.owner(), StorageClass: u.StorageClass, PartNumberMarker: marker, MaxParts: maxParts}
	if enc == "url" {
		res.Key = encodeKey(q.key)
	}
	for _, part := range parts {
		if part.Number <= marker {
			continue
		}
		if len(res.Parts) == maxParts {
			res.IsTruncated = true
			break
		}
		res.Parts = append(res.Parts, partEntry{PartNumber: part.Number, LastModified: part.LastModified.UTC().Format(cosTime),
			ETag: part.ETag, Size: part.Size})
		res.NextPartNumberMarker = part.Number
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// handleListUploads is GET /?uploads: uploads in progress, by key then age.
func (s *Server) handleListUploads(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	p := r.URL.Query()
	maxUploads, e := boundedInt(p.Get("max-uploads"), 1000, "max-uploads")
	if e != nil {
		return e
	}
	prefix, delim := p.Get("prefix"), p.Get("delimiter")
	keyMarker, idMarker := p.Get("key-marker"), p.Get("upload-id-marker")
	enc := p.Get("encoding-type")
	if enc != "" && enc != "url" {
		return errorf(http.StatusBadRequest, "InvalidArgument", "encoding-type may only be url.")
	}
	ups, err := s.store.ListUploads()
	if err != nil {
		return storeError(err)
	}
	res := listUploadsResult{Bucket: s.cfg.Bucket, EncodingType: enc, KeyMarker: keyMarker, UploadIDMarker: idMarker,
		MaxUploads: maxUploads, Prefix: prefix, Delimiter: delim}
	seenPrefix := map[string]bool{}
	// The page starts after key-marker: at later keys, or, with upload-id-marker, at the same
	// key's uploads listed after that one (the list's order is key, then age).
	after := len(ups)
	for i, u := range ups {
		if u.Key > keyMarker || u.Key == keyMarker && idMarker != "" && u.ID == idMarker {
			after = i
			if u.Key == keyMarker {
				after++
			}
			break
		}
	}
	if keyMarker == "" && idMarker == "" {
		after = 0
	}
	for _, u := range ups[after:] {
		if !strings.HasPrefix(u.Key, prefix) {
			continue
		}
		if delim != "" {
			if i := strings.Index(u.Key[len(prefix):], delim); i >= 0 {
				cp := u.Key[:len(prefix)+i+len(delim)]
				if cp <= keyMarker {
					continue // the previous page ended with this prefix
				}
				if !seenPrefix[cp] {
					if len(res.Uploads)+len(res.CommonPrefixes) == maxUploads {
						res.IsTruncated = true
						break
					}
					seenPrefix[cp] = true
					res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{cp})
					res.NextKeyMarker, res.NextUploadIDMarker = cp, ""
				}
				continue
			}
		}
		if len(res.Uploads)+len(res.CommonPrefixes) == maxUploads {
			res.IsTruncated = true
			break
		}
		res.Uploads = append(res.Uploads, uploadEntry{Key: u.Key, UploadID: u.ID, StorageClass: u.StorageClass,
			Initiator: s.owner(), Owner: s.owner(), Initiated: u.Initiated.UTC().Format(cosTime)})
		res.NextKeyMarker, res.NextUploadIDMarker = u.Key, u.ID
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = "", ""
	}
	sort.SliceStable(res.CommonPrefixes, func(i, j int) bool { return res.CommonPrefixes[i].Prefix < res.CommonPrefixes[j].Prefix })
	if enc == "url" {
		res.Prefix, res.Delimiter = encodeKey(res.Prefix), encodeKey(res.Delimiter)
		res.KeyMarker, res.NextKeyMarker = encodeKey(res.KeyMarker), encodeKey(res.NextKeyMarker)
		for i := range res.Uploads {
			res.Uploads[i].Key = encodeKey(res.Uploads[i].Key)
		}
		for i := range res.CommonPrefixes {
			res.CommonPrefixes[i].Prefix = encodeKey(res.CommonPrefixes[i].Prefix)
		}
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

// boundedInt reads an optional count of 0..limit (larger is clamped, as COS does).
func boundedInt(v string, limit int, name string) (int, *apiError) {
	if v == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errorf(http.StatusBadRequest, "InvalidArgument", name+" must be a whole number from 0 to "+strconv.Itoa(limit)+".")
	}
	return min(n, limit), nil
}

// multipartError maps the store's multipart errors to COS's answers.
func multipartError(err error) *apiError {
	switch {
	case errors.Is(err, store.ErrNoSuchUpload):
		return errorf(http.StatusNotFound, "NoSuchUpload", "The specified multipart upload does not exist. The upload ID might be invalid, or the upload might have been aborted or completed.")
	case errors.Is(err, store.ErrPartOrder):
		return errorf(http.StatusBadRequest, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
	case errors.Is(err, store.ErrPartTooSmall):
		return errorf(http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size: "+strings.TrimPrefix(err.Error(), "store: part too small: ")+".")
	case errors.Is(err, store.ErrInvalidPart):
		return errorf(http.StatusBadRequest, "InvalidPart", "One or more of the specified parts could not be found or did not match: "+strings.TrimPrefix(err.Error(), "store: invalid part: ")+".")
	case errors.Is(err, store.ErrTooManyUploads):
		return errorf(http.StatusServiceUnavailable, "SlowDown", "Too many multipart uploads are in progress; complete or abort some first.")
	case errors.Is(err, store.ErrInvalidRange):
		return errorf(http.StatusBadRequest, "InvalidArgument", "x-cos-copy-source-range is outside the source object.")
	}
	if e := payloadError(err); e != nil {
		return e
	}
	return storeError(err)
}
