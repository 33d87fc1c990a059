package localcos

import (
	"encoding/xml"
	"errors"
	"net/http"
	"time"

	"lightbox/localcos/internal/store"
)

type restoreRequest struct {
	XMLName xml.Name `xml:"RestoreRequest"`
	Days    int      `xml:"Days"`
}

// handleRestore makes an archived object readable for Days days. Real COS takes minutes to
// hours; here the copy is ready at once, which is what tests of "refused until restored" need.
func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request, q *request) {
	body, e := readXMLBody(r, maxTaggingBody)
	if e != nil {
		writeError(w, r, e, q.resource)
		return
	}
	var req restoreRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		writeError(w, r, errMalformedXML, q.resource)
		return
	}
	if req.Days < 1 || req.Days > 365 {
		writeError(w, r, errorf(http.StatusBadRequest, "InvalidArgument", "Days must be from 1 to 365."), q.resource)
		return
	}
	status := http.StatusAccepted
	_, err := s.store.Update(q.key, func(o *store.Object) error {
		if !archiveClass(o.StorageClass) {
			return errorf(http.StatusForbidden, "InvalidObjectState", "Restore applies to ARCHIVE and DEEP_ARCHIVE objects only.")
		}
		if o.RestoreExpiry.After(s.now()) {
			status = http.StatusOK // already restored: the expiry moves, as on COS
		}
		o.RestoreExpiry = s.now().Add(time.Duration(req.Days) * 24 * time.Hour)
		return nil
	})
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) {
			writeError(w, r, ae, q.resource)
		} else {
			writeError(w, r, storeError(err), q.resource)
		}
		return
	}
	w.WriteHeader(status)
}
