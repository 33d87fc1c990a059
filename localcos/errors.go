package localcos

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// apiError is a failure answered with the COS <Error> body. Codes follow COS (and S3 where
// COS shares them); the image codes are quality's, so every layer reports the same words.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return strconv.Itoa(e.Status) + " " + e.Code + ": " + e.Message }

func errorf(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// The errors that several handlers share.
var (
	errNoSuchKey    = errorf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	errReadOnly     = errorf(http.StatusForbidden, "AccessDenied", "This folder is served read-only: nothing in it can be changed.")
	errNoSuchBucket = errorf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist.")
	errMethod       = errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	errArchived     = errorf(http.StatusForbidden, "InvalidObjectState", "The object is in an archive storage class and has not been restored.")
	errSlowDown     = errorf(http.StatusServiceUnavailable, "SlowDown", "Please reduce your request rate.")
	errInternal     = errorf(http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
)

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource"`
	RequestID string   `xml:"RequestId"`
	TraceID   string   `xml:"TraceId"`
}

// writeError answers with the COS error body; HEAD answers carry no body, as on COS. A
// Status of 200 is the "error inside a 200" that COS can send for a failed copy.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError, resource string) {
	h := w.Header()
	if bodyTimedOut(r) {
		e = errRequestTimeout
	}
	beforeAnswer(w, r)
	h.Set("Content-Type", "application/xml")
	if r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	body, _ := xml.Marshal(errorBody{ // plain strings always marshal
		Code: e.Code, Message: e.Message, Resource: resource,
		RequestID: h.Get("x-cos-request-id"), TraceID: h.Get("x-cos-trace-id"),
	})
	body = append([]byte(xml.Header), body...)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(body) // a client that hung up cannot be told anything more
}
