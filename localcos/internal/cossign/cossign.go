// Package cossign parses, verifies and creates Tencent Cloud COS request
// signatures (q-sign-algorithm=sha1), as produced by cos-go-sdk-v5 and the
// other official SDKs.
//
// A signature is carried either in the Authorization header
//
//	q-sign-algorithm=sha1&q-ak=ID&q-sign-time=S;E&q-key-time=S;E&q-header-list=a;b&q-url-param-list=x;y&q-signature=HEX
//
// or, for presigned URLs, as query parameters with the same names, or merged
// into one query parameter sign=<url-encoded Authorization value>.
//
// The signature covers the lower-cased method, the decoded URL path, the
// query parameters named in q-url-param-list and the headers named in
// q-header-list. Parameters and headers that are not listed are not
// authenticated.
package cossign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"lightbox/localcos/internal/pctenc"
)

// Names of the signature fields, in the order the SDK writes them.
const (
	fieldAlgorithm = "q-sign-algorithm"
	fieldAK        = "q-ak"
	fieldSignTime  = "q-sign-time"
	fieldKeyTime   = "q-key-time"
	fieldHeaders   = "q-header-list"
	fieldParams    = "q-url-param-list"
	fieldSignature = "q-signature"

	// mergedParam is the query parameter of SignMerged presigned URLs.
	mergedParam = "sign"
	// TokenName is the header (and, for presigned URLs, query parameter)
	// carrying the session token of temporary credentials.
	TokenName = "x-cos-security-token"

	algorithm = "sha1"
)

var authFields = []string{
	fieldAlgorithm, fieldAK, fieldSignTime, fieldKeyTime,
	fieldHeaders, fieldParams, fieldSignature,
}

// Auth is what a request claims: parsed, not yet verified.
type Auth struct {
	AccessKeyID        string
	SignStart, SignEnd time.Time // q-sign-time
	KeyTime            string    // q-key-time verbatim
	SignTime           string    // q-sign-time verbatim
	HeaderList         []string  // q-header-list, as given (lower-case names)
	ParamList          []string  // q-url-param-list
	Signature          string
	Token              string // x-cos-security-token from header, or query for presigned requests ("" if none)
	Presigned          bool   // came from the query string rather than the Authorization header
}

// SignedHeader reports whether the header name (any case, not encoded) is
// covered by the signature, i.e. listed in q-header-list.
func (a *Auth) SignedHeader(name string) bool {
	return listHas(a.HeaderList, lowerEnc(name))
}

// SignedParam reports whether the query parameter name (decoded, as in
// r.URL.Query()) is covered by the signature, i.e. listed in
// q-url-param-list. The HTTP layer can use it to insist that sub-resources
// such as "tagging" or "delete" were signed.
func (a *Auth) SignedParam(name string) bool {
	return listHas(a.ParamList, lowerEnc(name))
}

func listHas(list []string, want string) bool {
	for _, n := range list {
		if strings.ToLower(n) == want {
			return true
		}
	}
	return false
}

// Problem is a verification failure with the COS error code and HTTP status
// it maps to.
type Problem struct {
	Status  int
	Code    string
	Message string
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%s (%d): %s", p.Code, p.Status, p.Message)
}

// COS error codes produced by this package.
const (
	CodeAccessDenied          = "AccessDenied"
	CodeInvalidAccessKeyID    = "InvalidAccessKeyId"
	CodeRequestTimeTooSkewed  = "RequestTimeTooSkewed"
	CodeInvalidToken          = "InvalidToken"
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
)

func denied(code, format string, args ...any) *Problem {
	return &Problem{Status: http.StatusForbidden, Code: code, Message: fmt.Sprintf(format, args...)}
}

func malformed(format string, args ...any) *Problem {
	return denied(CodeAccessDenied, "Malformed signature: "+format, args...)
}

// Parse extracts the claimed signature. (nil, nil) means the request is
// anonymous (no Authorization header, no q-* query, no sign=). A malformed
// one returns a *Problem (403 AccessDenied, message saying what is wrong).
//
// The Authorization header wins over query parameters. Its value is not
// URL-decoded (the SDK does not encode it). q-header-list and
// q-url-param-list may be absent (meaning empty); every other field is
// required. q-key-time must cover q-sign-time.
func Parse(r *http.Request) (*Auth, error) {
	if h := strings.TrimSpace(r.Header.Get("Authorization")); h != "" {
		fields, err := splitAuthorization(h)
		if err != nil {
			return nil, err
		}
		a, err := buildAuth(fields)
		if err != nil {
			return nil, err
		}
		a.Token = r.Header.Get(TokenName)
		return a, nil
	}

	q := r.URL.Query()
	if vs, ok := q[mergedParam]; ok {
		if len(vs) != 1 {
			return nil, malformed("the %s parameter is given %d times", mergedParam, len(vs))
		}
		fields, err := splitAuthorization(vs[0])
		if err != nil {
			return nil, err
		}
		return presignedAuth(fields, r)
	}

	fields := map[string]string{}
	for _, name := range authFields {
		vs, ok := q[name]
		if !ok {
			continue
		}
		if len(vs) != 1 {
			return nil, malformed("the %s parameter is given %d times", name, len(vs))
		}
		fields[name] = vs[0]
	}
	if len(fields) == 0 {
		return nil, nil // anonymous
	}
	return presignedAuth(fields, r)
}

// presignedAuth builds the Auth of a signature carried in the query, merged into one
// parameter or spread over several: both forms are the same presigned URL to COS.
func presignedAuth(fields map[string]string, r *http.Request) (*Auth, error) {
	a, err := buildAuth(fields)
	if err != nil {
		return nil, err
	}
	a.Presigned = true
	a.Token = presignedToken(r)
	return a, nil
}

// presignedToken takes the token of a presigned URL from the query, or from
// the header when the URL was signed with it as an extra header.
func presignedToken(r *http.Request) string {
	if t := r.URL.Query().Get(TokenName); t != "" {
		return t
	}
	return r.Header.Get(TokenName)
}

// splitAuthorization splits "k=v&k=v" (values not encoded) into a map.
// Unknown keys are ignored; a repeated known key is an error.
func splitAuthorization(s string) (map[string]string, error) {
	fields := map[string]string{}
	for part := range strings.SplitSeq(s, "&") {
		k, v, _ := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if !isAuthField(k) {
			continue
		}
		if _, dup := fields[k]; dup {
			return nil, malformed("%s is given more than once", k)
		}
		fields[k] = v
	}
	return fields, nil
}

func isAuthField(k string) bool {
	for _, f := range authFields {
		if f == k {
			return true
		}
	}
	return false
}

func buildAuth(f map[string]string) (*Auth, error) {
	for _, name := range []string{fieldAlgorithm, fieldAK, fieldSignTime, fieldKeyTime, fieldSignature} {
		if f[name] == "" {
			return nil, malformed("%s is missing", name)
		}
	}
	if alg := f[fieldAlgorithm]; !strings.EqualFold(alg, algorithm) {
		return nil, malformed("unsupported %s %q (only sha1)", fieldAlgorithm, alg)
	}
	ss, se, err := parseTimeRange(fieldSignTime, f[fieldSignTime])
	if err != nil {
		return nil, err
	}
	ks, ke, err := parseTimeRange(fieldKeyTime, f[fieldKeyTime])
	if err != nil {
		return nil, err
	}
	if ks > ss || ke < se {
		return nil, malformed("%s %s does not cover %s %s", fieldKeyTime, f[fieldKeyTime], fieldSignTime, f[fieldSignTime])
	}
	sig := f[fieldSignature]
	if len(sig) != sha1.Size*2 || !isHex(sig) {
		return nil, malformed("%s must be %d hexadecimal digits", fieldSignature, sha1.Size*2)
	}
	return &Auth{
		AccessKeyID: f[fieldAK],
		SignStart:   time.Unix(ss, 0),
		SignEnd:     time.Unix(se, 0),
		KeyTime:     f[fieldKeyTime],
		SignTime:    f[fieldSignTime],
		HeaderList:  splitList(f[fieldHeaders]),
		ParamList:   splitList(f[fieldParams]),
		Signature:   sig,
	}, nil
}

// parseTimeRange parses "start;end" in Unix seconds.
func parseTimeRange(name, s string) (start, end int64, err error) {
	a, b, ok := strings.Cut(s, ";")
	if ok {
		start, ok = parseUnix(a)
	}
	if ok {
		end, ok = parseUnix(b)
	}
	if !ok {
		return 0, 0, malformed("%s %q is not <start>;<end> in Unix seconds", name, s)
	}
	if start > end {
		return 0, 0, malformed("%s %q starts after it ends", name, s)
	}
	return start, end, nil
}

func parseUnix(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

func splitList(s string) []string {
	var out []string
	for n := range strings.SplitSeq(s, ";") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// ---- the signing algorithm ----

// enc percent-encodes every byte except A-Z a-z 0-9 - _ . ~ with upper-case
// hex (the SDK's safeURLEncode).
func enc(s string) string { return pctenc.Encode(s, pctenc.Unreserved) }

func lowerEnc(name string) string { return strings.ToLower(enc(name)) }

// requestHost is the value signed as "host".
func requestHost(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if h := r.Header.Get("Host"); h != "" {
		return h
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// headerValues maps lower(enc(name)) to the values of every header of r,
// including those Go keeps outside r.Header (Host, Transfer-Encoding, and
// Content-Length of an outgoing request).
func headerValues(r *http.Request) map[string][]string {
	m := make(map[string][]string, len(r.Header)+2)
	for k, vs := range r.Header {
		n := lowerEnc(k)
		m[n] = append(m[n], vs...)
	}
	if h := requestHost(r); h != "" {
		m["host"] = []string{h}
	} else {
		delete(m, "host")
	}
	if _, ok := m["transfer-encoding"]; !ok && len(r.TransferEncoding) > 0 {
		m["transfer-encoding"] = append([]string(nil), r.TransferEncoding...)
	}
	if _, ok := m["content-length"]; !ok && r.ContentLength > 0 {
		m["content-length"] = []string{strconv.FormatInt(r.ContentLength, 10)}
	}
	return m
}

// paramValues maps lower(enc(name)) to the decoded values of every query
// parameter of r.
func paramValues(r *http.Request) map[string][]string {
	q := r.URL.Query()
	m := make(map[string][]string, len(q))
	for k, vs := range q {
		n := lowerEnc(k)
		m[n] = append(m[n], vs...)
	}
	return m
}

// formatPairs renders the listed names as "name=enc(value)" pairs, sorted by
// name and, within a name, by raw value, joined with "&". Names are the
// lower(enc()) forms; duplicates in list are ignored. missing is the first
// listed name that has no value in m.
func formatPairs(m map[string][]string, list []string) (s, missing string) {
	names := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, n := range list {
		n = strings.ToLower(n)
		if seen[n] {
			continue
		}
		seen[n] = true
		if _, ok := m[n]; !ok {
			if missing == "" {
				missing = n
			}
			continue
		}
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		vs := append([]string(nil), m[n]...)
		sort.Strings(vs)
		for _, v := range vs {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(n)
			b.WriteByte('=')
			b.WriteString(enc(v))
		}
	}
	return b.String(), missing
}

// canonical builds the HttpString. missingHeader / missingParam name a listed
// header / parameter that the request lacks.
func canonical(r *http.Request, headerList, paramList []string) (httpString, missingHeader, missingParam string) {
	params, missingParam := formatPairs(paramValues(r), paramList)
	headers, missingHeader := formatPairs(headerValues(r), headerList)
	path := ""
	if r.URL != nil {
		path = r.URL.Path
	}
	httpString = strings.ToLower(r.Method) + "\n" + path + "\n" + params + "\n" + headers + "\n"
	return httpString, missingHeader, missingParam
}

func hmacSHA1Hex(key, msg string) string {
	h := hmac.New(sha1.New, []byte(key))
	h.Write([]byte(msg))
	return hex.EncodeToString(h.Sum(nil))
}

func signKey(secretKey, keyTime string) string { return hmacSHA1Hex(secretKey, keyTime) }

func stringToSign(signTime, httpString string) string {
	sum := sha1.Sum([]byte(httpString))
	return algorithm + "\n" + signTime + "\n" + hex.EncodeToString(sum[:]) + "\n"
}

func computeSignature(secretKey, keyTime, signTime, httpString string) string {
	return hmacSHA1Hex(signKey(secretKey, keyTime), stringToSign(signTime, httpString))
}
