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
func (s *Server) handleRestore(w http.ResponseWriter, r *http.Request, q *request) *apiError {
	var req restoreRequest
	if e := decodeXMLBody(r, maxTaggingBody, &req); e != nil {
		return e
	}
	if req.Days < 1 || req.Days > 365 {
		return errorf(http.StatusBadRequest, "InvalidArgument", "Days must be from 1 to 365.")
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
		if ae, ok := errors.AsType[*apiError](err); ok {
			return ae
		}
		return storeError(err)
	}
	w.WriteHeader(status)
	return nil
}
