package localcos

import (
	"encoding/xml"
	"net/http"
	"sync"

	"lightbox/localcos/internal/store"
)

// maxDeleteKeys is COS's cap on one Delete Multiple Objects request.
const maxDeleteKeys = 1000

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key       string `xml:"Key"`
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"DeleteResult"`
	Deleted []deletedEntry  `xml:"Deleted"`
	Errors  []deleteFailure `xml:"Error"`
}

type deletedEntry struct {
	Key string `xml:"Key"`
}

type deleteFailure struct {
	Key     string `xml:"Key"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// handleDeleteMultiple deletes up to 1000 keys and accounts for every one: deleted (a
// missing key counts as deleted, as on COS) or failed with a reason.
func (s *Server) handleDeleteMultiple(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	if r.Header.Get("Content-MD5") == "" {
		return errorf(http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: Content-MD5.")
	}
	var req deleteRequest
	if e := decodeXMLBody(r, maxXMLBody, &req); e != nil {
		return e
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
		return errMalformedXML
	}
	outcomes := make([]*apiError, len(req.Objects))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8) // the store coalesces concurrent metadata commits
	for i, o := range req.Objects {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			outcomes[i] = s.deleteOne(o.Key, o.VersionID)
		}()
	}
	wg.Wait()
	var res deleteResult
	for i, o := range req.Objects {
		switch e := outcomes[i]; {
		case e != nil:
			res.Errors = append(res.Errors, deleteFailure{Key: o.Key, Code: e.Code, Message: e.Message})
		case !req.Quiet:
			res.Deleted = append(res.Deleted, deletedEntry{Key: o.Key})
		}
	}
	writeXML(w, http.StatusOK, res)
	return nil
}

func (s *Server) deleteOne(key, version string) *apiError {
	if version != "" && version != "null" {
		return errorf(http.StatusNotImplemented, "NotImplemented", "Object versions are not supported by lightbox's embedded COS.")
	}
	if err := store.CheckKey(key); err != nil {
		return keyError(err)
	}
	if e := s.faults.failsKey(OpDeleteObject, key); e != nil {
		return e
	}
	if err := s.store.Delete(key); err != nil {
		return storeError(err)
	}
	return nil
}
