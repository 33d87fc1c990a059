package cosapi

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// Kind says why an operation failed, in the terms the reviewer shows an operator.
type Kind int

const (
	KindOther       Kind = iota
	KindAuth             // credentials missing, wrong, expired, or not allowed
	KindNotFound         // the object or bucket does not exist
	KindThrottled        // 429 / SlowDown / a QPS limit: try later
	KindUnsupported      // not an image AssessQuality can score (format, corrupt, too large)
	KindArchived         // ARCHIVE / DEEP_ARCHIVE object not restored
	KindNetwork          // no answer: connection refused, reset, cut, timed out
	KindServer           // 5xx
	KindCanceled         // the caller gave up
	KindBudget           // --max-calls reached: no paid call was made
	KindInvalid          // the request itself was refused (bad key, too many tags...)
)

func (k Kind) String() string {
	switch k {
	case KindAuth:
		return "auth"
	case KindNotFound:
		return "not found"
	case KindThrottled:
		return "throttled"
	case KindUnsupported:
		return "unsupported image"
	case KindArchived:
		return "archived"
	case KindNetwork:
		return "network"
	case KindServer:
		return "server error"
	case KindCanceled:
		return "canceled"
	case KindBudget:
		return "call budget spent"
	case KindInvalid:
		return "refused"
	}
	return "error"
}

// Error is every failure this package returns. It never carries credentials.
type Error struct {
	Kind      Kind
	Op        string // e.g. "assess", "list", "delete"
	Key       string
	Status    int    // HTTP status, 0 when there was no answer
	Code      string // COS error code, when the server sent one
	Message   string
	RequestID string
	Err       error // the underlying error, for errors.Is/As
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Key != "" {
		b.WriteString(" " + e.Key)
	}
	b.WriteString(": ")
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, "%s (%d)", e.Code, e.Status)
		if e.Message != "" {
			b.WriteString(": " + e.Message)
		}
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Kind.String())
	}
	if e.RequestID != "" {
		b.WriteString(" [request " + e.RequestID + "]")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf classifies any error from this package (KindOther for foreign ones).
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}

// retryable says whether trying again may help.
func (e *Error) retryable() bool {
	switch e.Kind {
	case KindThrottled, KindNetwork, KindServer:
		return true
	}
	return false
}

// imageCodes are the codes AssessQuality uses for an image it cannot score, on lightbox's
// embedded COS and (by message) on Cloud Infinite.
var imageCodes = map[string]bool{
	"UnsupportedFormat": true, "EmptyImage": true, "CorruptImage": true, "TruncatedImage": true,
	"ImageTooLarge": true, "InvalidImageFormat": true, "ImageDecodeFailed": true,
}

// classify turns an HTTP answer (status, COS code) into a Kind.
func classify(status int, code string) Kind {
	switch {
	case code == "SlowDown" || status == http.StatusTooManyRequests || strings.Contains(code, "RequestLimit"):
		return KindThrottled
	case code == "InvalidObjectState":
		return KindArchived
	case imageCodes[code]:
		return KindUnsupported
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound:
		return KindNotFound
	case status >= 500:
		return KindServer
	case status >= 400:
		return KindInvalid
	}
	return KindOther
}

// wrap converts an SDK or transport error into *Error.
func wrap(op, key string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	out := &Error{Op: op, Key: key, Err: err}
	var er *cos.ErrorResponse
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded) && false:
		out.Kind = KindCanceled
	case errors.As(err, &er):
		out.Status, out.Code, out.Message, out.RequestID = er.Response.StatusCode, er.Code, er.Message, er.RequestID
		if out.RequestID == "" {
			out.RequestID = er.Response.Header.Get("x-cos-request-id")
		}
		out.Kind = classify(out.Status, out.Code)
		if out.Kind == KindOther && out.Status >= 300 {
			out.Kind = KindInvalid
		}
		out.Err = nil // the SDK's message repeats the URL; ours says the same more plainly
	case isNetwork(err):
		out.Kind = KindNetwork
	}
	return out
}

func isNetwork(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var re *cos.RetryError
	msg := err.Error()
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.As(err, &re) ||
		errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(msg, "EOF") || strings.Contains(msg, "connection reset") ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "broken pipe")
}

// errorBody is COS's <Error>, read from answers the SDK does not decode for us.
type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	RequestID string   `xml:"RequestId"`
}

// httpError builds an *Error from a raw non-2xx answer.
func httpError(op, key string, resp *http.Response, body []byte) *Error {
	var eb errorBody
	_ = xml.Unmarshal(body, &eb) // an unreadable body leaves the status to speak
	e := &Error{Op: op, Key: key, Status: resp.StatusCode, Code: eb.Code, Message: eb.Message, RequestID: eb.RequestID}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("x-cos-request-id")
	}
	e.Kind = classify(e.Status, e.Code)
	if e.Kind == KindOther {
		e.Kind = KindInvalid
	}
	if e.Kind == KindInvalid && looksLikeImageProblem(e.Message) {
		e.Kind = KindUnsupported
	}
	return e
}

// looksLikeImageProblem recognises Cloud Infinite's image failures, whose codes are not
// documented, by what their messages say.
func looksLikeImageProblem(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"image format", "not supported", "unsupported", "too large", "decode", "corrupt"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}
