package localcos

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
)

// Routing of the sub-resources this server implements beyond plain objects, and the rule
// for everything else: a query parameter the server does not know could change what the
// request means (?symlink, ?append, ?versionId=V...), so such a request is answered 501
// NotImplemented and touches nothing, rather than being mistaken for a plain object call.

// Operation names of the sub-resources routed here, for FaultRule and the request log.
const (
	OpListObjectsV2           = "ListObjectsV2"
	OpListMultipartUploads    = "ListMultipartUploads"
	OpInitiateMultipartUpload = "InitiateMultipartUpload"
	OpUploadPart              = "UploadPart"
	OpUploadPartCopy          = "UploadPartCopy"
	OpListParts               = "ListParts"
	OpCompleteMultipartUpload = "CompleteMultipartUpload"
	OpAbortMultipartUpload    = "AbortMultipartUpload"
	OpGetACL                  = "GetACL"
	OpGetBucketLocation       = "GetBucketLocation"
	OpPutBucket               = "PutBucket"
)

// harmlessParams change nothing about which resource a request acts on: signature fields,
// listing and response options.
var harmlessParams = map[string]bool{
	"q-sign-algorithm": true, "q-ak": true, "q-sign-time": true, "q-key-time": true,
	"q-header-list": true, "q-url-param-list": true, "q-signature": true, "sign": true,
	"x-cos-security-token": true,
	"X-Amz-Algorithm":      true, "X-Amz-Credential": true, "X-Amz-Date": true, "X-Amz-Expires": true,
	"X-Amz-SignedHeaders": true, "X-Amz-Signature": true, "X-Amz-Security-Token": true,
	"x-id":                  true, // AWS SDKs name the operation for logs
	"response-content-type": true, "response-content-language": true, "response-expires": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"prefix": true, "delimiter": true, "marker": true, "max-keys": true, "encoding-type": true,
	"list-type": true, "continuation-token": true, "start-after": true, "fetch-owner": true,
}

// hasSubresource reports a parameter this server does not serve. An empty versionId (or
// "null", S3's name for the unversioned object) means no version: cos-go-sdk-v5 writes the
// parameter even when it is empty.
func hasSubresource(params map[string][]string) bool {
	for name, vals := range params {
		if harmlessParams[name] {
			continue
		}
		if name == "versionId" && (len(vals) == 0 || vals[0] == "" || vals[0] == "null") {
			continue
		}
		if strings.HasPrefix(name, "imageMogr2/") {
			// Cloud Infinite's image processing (lightbox's previews ask for thumbnails): the
			// original is sent, which a client asking for a smaller picture can still show.
			continue
		}
		return true
	}
	return false
}

// routeBucket classifies the bucket-level sub-resources served here; false leaves r to
// the plain bucket routes.
func (s *Server) routeBucket(r *http.Request, q *request, params url.Values) bool {
	only := func(method, op string, h handlerFunc, allowed ...string) bool {
		q.op = op
		if r.Method != method {
			q.handle = answer(errMethod)
		} else if extra := unexpectedParam(params, allowed...); extra != "" {
			q.handle = answer(errNotImplemented)
		} else {
			q.handle = h
		}
		return true
	}
	switch {
	case params.Has("uploads"):
		return only(http.MethodGet, OpListMultipartUploads, s.handleListUploads, "uploads", "key-marker", "upload-id-marker", "max-uploads")
	case params.Has("acl"):
		return only(http.MethodGet, OpGetACL, s.handleGetACL, "acl")
	case params.Has("location"):
		return only(http.MethodGet, OpGetBucketLocation, s.handleLocation, "location")
	case r.Method == http.MethodGet && params.Get("list-type") == "2":
		return only(http.MethodGet, OpListObjectsV2, s.handleListV2)
	case r.Method == http.MethodPut && len(params) == 0 || r.Method == http.MethodPut && unexpectedParam(params) == "":
		return only(http.MethodPut, OpPutBucket, s.handleCreateBucket)
	}
	return false
}

// routeObject classifies the object-level sub-resources served here.
func (s *Server) routeObject(r *http.Request, q *request, params url.Values) bool {
	set := func(op string, h handlerFunc, allowed ...string) bool {
		q.op = op
		if extra := unexpectedParam(params, allowed...); extra != "" {
			q.handle = answer(errNotImplemented)
		} else {
			q.handle = h
		}
		return true
	}
	fail := func(op string) bool {
		q.op = op
		q.handle = answer(errMethod)
		return true
	}
	switch {
	case params.Has("uploads"):
		if r.Method != http.MethodPost {
			return fail(OpInitiateMultipartUpload)
		}
		return set(OpInitiateMultipartUpload, s.handleInitiate, "uploads")
	case params.Has("uploadId"):
		switch r.Method {
		case http.MethodPut:
			if r.Header.Get("x-cos-copy-source") != "" {
				return set(OpUploadPartCopy, s.handleUploadPartCopy, "uploadId", "partNumber")
			}
			return set(OpUploadPart, s.handleUploadPart, "uploadId", "partNumber")
		case http.MethodGet:
			return set(OpListParts, s.handleListParts, "uploadId", "max-parts", "part-number-marker")
		case http.MethodPost:
			return set(OpCompleteMultipartUpload, s.handleCompleteUpload, "uploadId")
		case http.MethodDelete:
			return set(OpAbortMultipartUpload, s.handleAbortUpload, "uploadId")
		}
		return fail(OpUploadPart)
	case params.Has("acl"):
		if r.Method != http.MethodGet {
			return false // PUT ?acl: refused as not implemented
		}
		return set(OpGetACL, s.handleGetACL, "acl")
	}
	return false
}

// unexpectedParam names a parameter that is neither harmless nor one of allowed.
func unexpectedParam(params map[string][]string, allowed ...string) string {
	for name := range params {
		if harmlessParams[name] {
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || a == name
		}
		if !ok {
			return name
		}
	}
	return ""
}

type accessControlPolicy struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   aclOwner `xml:"Owner"`
	Grants  []grant  `xml:"AccessControlList>Grant"`
}

type aclOwner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

type grant struct {
	Grantee    grantee `xml:"Grantee"`
	Permission string  `xml:"Permission"`
}

type grantee struct {
	XSI         string `xml:"xmlns:xsi,attr"`
	Type        string `xml:"xsi:type,attr"`
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

// handleGetACL answers GET ?acl for the bucket or an object: the owner, with FULL_CONTROL,
// which is the only access this server has (everyone signed is the owner). ACLs cannot be
// changed: PUT ?acl is 501.
func (s *Server) handleGetACL(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if q.key != "" {
		if _, err := s.store.Head(q.key); err != nil {
			return storeError(err)
		}
	}
	o := s.owner()
	id := "qcs::cam::uin/" + o.ID + ":uin/" + o.ID
	writeXML(w, http.StatusOK, accessControlPolicy{
		Owner: aclOwner{ID: id, DisplayName: o.DisplayName},
		Grants: []grant{{Permission: "FULL_CONTROL", Grantee: grantee{
			XSI: "http://www.w3.org/2001/XMLSchema-instance", Type: "CanonicalUser", ID: id, DisplayName: o.DisplayName}}},
	})
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Region  string   `xml:",chardata"`
}

// handleLocation answers GET ?location with the bucket's region (s3cmd asks before use).
func (s *Server) handleLocation(w http.ResponseWriter, _ *http.Request, _ *request) *apiError {
	writeXML(w, http.StatusOK, locationConstraint{Region: s.cfg.Region})
	return nil
}

// handleCreateBucket answers PUT Bucket for the served bucket as S3 does for a bucket the
// caller already owns; S3 tools (rclone) create the bucket before their first upload.
func (s *Server) handleCreateBucket(http.ResponseWriter, *http.Request, *request) *apiError {
	return errorf(http.StatusConflict, "BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.")
}
