// Package sigv4 verifies AWS Signature Version 4 requests (AWS4-HMAC-SHA256), the way S3
// and COS check them: in the Authorization header or as a presigned query string, with the
// payload signed by its SHA-256, declared UNSIGNED-PAYLOAD, or sent as aws-chunked
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD whose every chunk is signed.
//
// Verify checks everything that can be checked before the body is read; the body itself is
// checked as it is read (Verify replaces r.Body with a reader that fails instead of giving
// EOF when the payload does not match), so a store that commits only on EOF stores nothing
// a client did not sign.
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"lightbox/localcos/internal/pctenc"
)

// Algorithm is the only signing algorithm accepted.
const Algorithm = "AWS4-HMAC-SHA256"

// Payload hash declarations (x-amz-content-sha256).
const (
	UnsignedPayload  = "UNSIGNED-PAYLOAD"
	StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	// StreamingUnsignedTrailer is aws-chunked without chunk signatures, ending with a
	// checksum trailer (x-amz-checksum-*), which newer AWS SDKs send.
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// Credential is one accepted key pair; a non-empty Token must come as x-amz-security-token.
type Credential struct {
	AccessKey, SecretKey, Token string
}

// Problem is a verification failure with the S3 error code and HTTP status it maps to.
type Problem struct {
	Status  int
	Code    string
	Message string
}

func (p *Problem) Error() string { return fmt.Sprintf("%s (%d): %s", p.Code, p.Status, p.Message) }

func problem(status int, code, format string, args ...any) *Problem {
	return &Problem{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// MaxSkew is how far X-Amz-Date may be from the server's clock, as on S3.
const MaxSkew = 15 * time.Minute

// MaxPresignExpiry is S3's longest presigned URL lifetime (7 days).
const MaxPresignExpiry = 7 * 24 * time.Hour

// Verifier checks SigV4 requests for one region's "s3" service.
type Verifier struct {
	Region string
	Lookup func(accessKey string) (Credential, bool)
	Now    func() time.Time // nil = time.Now
}

// Claims reports whether r claims a SigV4 signature (header or presigned query), so that a
// server speaking several signature schemes can route it here.
func Claims(r *http.Request) bool {
	if strings.HasPrefix(strings.TrimSpace(r.Header.Get("Authorization")), Algorithm) {
		return true
	}
	for pair := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if name, _, _ := strings.Cut(pair, "="); name == "X-Amz-Algorithm" {
			return true
		}
	}
	return false
}

// Auth is what was verified about a request.
type Auth struct {
	Credential    Credential
	SignedHeaders []string // lower-case
	Presigned     bool
	PayloadHash   string // the declared x-amz-content-sha256 (UNSIGNED-PAYLOAD when presigned)
}

// Signed reports whether the header (any case) was covered by the signature.
func (a *Auth) Signed(name string) bool {
	name = strings.ToLower(name)
	for _, h := range a.SignedHeaders {
		if h == name {
			return true
		}
	}
	return false
}

// claim is a parsed, unverified signature.
type claim struct {
	accessKey, date, region, service string
	signedHeaders                    []string
	signature                        string
	amzDate                          time.Time
	amzDateRaw                       string
	expires                          time.Duration // presigned only
	presigned                        bool
	token                            string
}

// Verify checks r's signature and, for a signed or streaming payload, wraps r.Body so that
// the payload is checked as it is read. Every fault is its own *Problem.
func (v *Verifier) Verify(r *http.Request) (*Auth, error) {
	params, err := ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, problem(http.StatusBadRequest, "InvalidArgument", "The query string is not properly encoded.")
	}
	var c *claim
	if h := strings.TrimSpace(r.Header.Get("Authorization")); h != "" {
		c, err = parseHeader(h, r)
	} else {
		c, err = parsePresigned(params)
	}
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if c.service != "s3" {
		return nil, problem(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; the service in the credential scope must be s3, not %q.", c.service)
	}
	if c.region != v.Region {
		return nil, problem(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; the region %q is wrong; expecting %q.", c.region, v.Region)
	}
	if c.date != c.amzDateRaw[:8] {
		return nil, problem(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; the credential date %s does not match X-Amz-Date %s.", c.date, c.amzDateRaw)
	}
	if c.presigned {
		if now.After(c.amzDate.Add(c.expires)) {
			return nil, problem(http.StatusForbidden, "AccessDenied", "Request has expired")
		}
		if c.amzDate.After(now.Add(MaxSkew)) {
			return nil, problem(http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large: X-Amz-Date is %s.", c.amzDateRaw)
		}
	} else if d := now.Sub(c.amzDate); d > MaxSkew || d < -MaxSkew {
		return nil, problem(http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large: X-Amz-Date is %s.", c.amzDateRaw)
	}
	cred, ok := v.lookup(c.accessKey)
	if !ok {
		return nil, problem(http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records: %q.", c.accessKey)
	}
	switch {
	case cred.Token != "" && c.token == "":
		return nil, problem(http.StatusForbidden, "InvalidToken", "This access key is a temporary key: the request must carry its x-amz-security-token.")
	case cred.Token != "" && subtle.ConstantTimeCompare([]byte(cred.Token), []byte(c.token)) != 1:
		return nil, problem(http.StatusForbidden, "InvalidToken", "The provided token is malformed or otherwise invalid.")
	case cred.Token == "" && c.token != "":
		return nil, problem(http.StatusForbidden, "InvalidToken", "A security token was sent, but this access key is not a temporary key.")
	}
	if !listHas(c.signedHeaders, "host") {
		return nil, problem(http.StatusForbidden, "AccessDenied", "The host header must be signed.")
	}
	// Every x-amz-* and x-cos-* header changes what the request does, so it must be signed.
	for name := range r.Header {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-amz-") && !strings.HasPrefix(lower, "x-cos-") || listHas(c.signedHeaders, lower) {
			continue
		}
		if c.presigned && lower == "x-amz-content-sha256" {
			continue // a presigned payload is unsigned whatever the header says
		}
		return nil, problem(http.StatusForbidden, "AccessDenied", "Header %s must be signed (listed in SignedHeaders).", lower)
	}
	payload := UnsignedPayload
	if !c.presigned {
		payload = r.Header.Get("x-amz-content-sha256")
		switch {
		case payload == "":
			return nil, problem(http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256.")
		case payload == UnsignedPayload, payload == StreamingPayload, payload == StreamingUnsignedTrailer:
		case isHexSHA256(payload):
			payload = strings.ToLower(payload)
		default:
			return nil, problem(http.StatusBadRequest, "InvalidArgument", "x-amz-content-sha256 must be a hex SHA-256, UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER; %q is not supported.", payload)
		}
	}
	creq, missing := canonicalRequest(r, params, c.signedHeaders, payload)
	if missing != "" {
		return nil, problem(http.StatusForbidden, "SignatureDoesNotMatch", "Header %q is listed in SignedHeaders but not present in the request.", missing)
	}
	scope := c.date + "/" + c.region + "/" + c.service + "/aws4_request"
	key := signingKey(cred.SecretKey, c.date, c.region, c.service)
	want := hex.EncodeToString(hmacSHA256(key, stringToSign(c.amzDateRaw, scope, creq)))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(c.signature))) {
		return nil, problem(http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	}
	a := &Auth{Credential: cred, SignedHeaders: c.signedHeaders, Presigned: c.presigned, PayloadHash: payload}
	switch {
	case payload == StreamingPayload, payload == StreamingUnsignedTrailer:
		n, err := strconv.ParseInt(r.Header.Get("x-amz-decoded-content-length"), 10, 64)
		if err != nil || n < 0 {
			return nil, problem(http.StatusLengthRequired, "MissingContentLength", "A streaming upload must give x-amz-decoded-content-length.")
		}
		cr := newChunkedReader(r.Body, n, key, c.amzDateRaw, scope, want)
		if payload == StreamingUnsignedTrailer {
			cr.unsigned = true
			if cr.trailer, err = newTrailerCheck(r.Header.Get("x-amz-trailer")); err != nil {
				return nil, err
			}
		}
		r.Body = cr
		r.ContentLength = n
		r.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	case payload != UnsignedPayload && r.Body != nil:
		r.Body = newHashReader(r.Body, payload)
	}
	return a, nil
}

func (v *Verifier) lookup(id string) (Credential, bool) {
	if v.Lookup == nil {
		return Credential{}, false
	}
	return v.Lookup(id)
}

const amzDateLayout = "20060102T150405Z"

func parseHeader(h string, r *http.Request) (*claim, error) {
	bad := func(why string) error {
		return problem(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed; %s.", why)
	}
	rest, ok := strings.CutPrefix(h, Algorithm)
	if !ok || rest == "" || rest[0] != ' ' {
		return nil, bad("the algorithm must be " + Algorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, bad("expected Credential=..., SignedHeaders=..., Signature=...")
		}
		if _, dup := fields[k]; dup {
			return nil, bad(k + " is given twice")
		}
		fields[k] = val
	}
	c := &claim{}
	if err := c.setCredential(fields["Credential"], bad); err != nil {
		return nil, err
	}
	if fields["SignedHeaders"] == "" {
		return nil, bad("SignedHeaders is missing")
	}
	c.signedHeaders = strings.Split(fields["SignedHeaders"], ";")
	if c.signature = fields["Signature"]; len(c.signature) != 64 {
		return nil, bad("Signature must be 64 hex digits")
	}
	c.amzDateRaw = r.Header.Get("x-amz-date")
	if c.amzDateRaw == "" {
		// S3 falls back to Date only when x-amz-date is absent; SigV4 clients all send it.
		return nil, problem(http.StatusForbidden, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.")
	}
	t, err := time.Parse(amzDateLayout, c.amzDateRaw)
	if err != nil {
		return nil, problem(http.StatusForbidden, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.")
	}
	c.amzDate = t
	c.token = r.Header.Get("x-amz-security-token")
	return c, nil
}

func parsePresigned(params map[string][]string) (*claim, error) {
	bad := func(why string) error {
		return problem(http.StatusBadRequest, "AuthorizationQueryParametersError", "Query-string authentication is malformed: %s.", why)
	}
	get := func(name string) (string, error) {
		vs := params[name]
		if len(vs) != 1 || vs[0] == "" {
			return "", bad(name + " must be given once")
		}
		return vs[0], nil
	}
	alg, err := get("X-Amz-Algorithm")
	if err != nil {
		return nil, err
	}
	if alg != Algorithm {
		return nil, bad("X-Amz-Algorithm must be " + Algorithm)
	}
	c := &claim{presigned: true}
	cred, err := get("X-Amz-Credential")
	if err != nil {
		return nil, err
	}
	if err := c.setCredential(cred, func(why string) error { return bad(why) }); err != nil {
		return nil, err
	}
	if c.amzDateRaw, err = get("X-Amz-Date"); err != nil {
		return nil, err
	}
	if c.amzDate, err = time.Parse(amzDateLayout, c.amzDateRaw); err != nil {
		return nil, bad("X-Amz-Date must look like 20060102T150405Z")
	}
	exp, err := get("X-Amz-Expires")
	if err != nil {
		return nil, err
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || secs < 0 {
		return nil, bad("X-Amz-Expires must be a non-negative number of seconds")
	}
	if time.Duration(secs)*time.Second > MaxPresignExpiry {
		return nil, bad("X-Amz-Expires must be less than a week (604800 seconds)")
	}
	c.expires = time.Duration(secs) * time.Second
	sh, err := get("X-Amz-SignedHeaders")
	if err != nil {
		return nil, err
	}
	c.signedHeaders = strings.Split(sh, ";")
	if c.signature, err = get("X-Amz-Signature"); err != nil {
		return nil, err
	}
	if len(c.signature) != 64 {
		return nil, bad("X-Amz-Signature must be 64 hex digits")
	}
	if vs := params["X-Amz-Security-Token"]; len(vs) > 0 {
		c.token = vs[0]
	}
	return c, nil
}

// setCredential parses "AKID/yyyymmdd/region/service/aws4_request".
func (c *claim) setCredential(v string, bad func(string) error) error {
	parts := strings.Split(v, "/")
	if len(parts) != 5 || parts[0] == "" || len(parts[1]) != 8 || parts[4] != "aws4_request" {
		return bad("Credential must be ACCESSKEY/yyyymmdd/region/s3/aws4_request")
	}
	c.accessKey, c.date, c.region, c.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

func listHas(list []string, name string) bool {
	for _, n := range list {
		if n == name {
			return true
		}
	}
	return false
}

func isHexSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// ParseQuery decodes a raw query splitting on '&' only (a ';' is an ordinary character, as
// for S3 and COS, where Go's url.ParseQuery would drop the pair).
func ParseQuery(raw string) (map[string][]string, error) {
	m := map[string][]string{}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		m[dk] = append(m[dk], dv)
	}
	return m, nil
}

// canonicalRequest builds SigV4's canonical request. missing names a signed header absent
// from r.
func canonicalRequest(r *http.Request, params map[string][]string, signed []string, payload string) (creq, missing string) {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uriEncode(r.URL.Path, false))
	b.WriteByte('\n')
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range params {
		if k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, kv{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	b.WriteByte('\n')
	for _, name := range signed {
		var value string
		switch name {
		case "host":
			value = r.Host
		case "content-length":
			value = r.Header.Get("Content-Length")
			if value == "" && r.ContentLength >= 0 && r.Header.Get("Transfer-Encoding") == "" {
				value = strconv.FormatInt(r.ContentLength, 10)
			}
		default:
			vs, ok := r.Header[http.CanonicalHeaderKey(name)]
			if !ok {
				return "", name
			}
			trimmed := make([]string, len(vs))
			for i, v := range vs {
				trimmed[i] = strings.Join(strings.Fields(v), " ")
			}
			value = strings.Join(trimmed, ",")
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String(), ""
}

// uriEncode is SigV4's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ is percent-encoded
// (upper-case hex); '/' too unless it separates path segments.
func uriEncode(s string, encodeSlash bool) string {
	return pctenc.Encode(s, func(c byte) bool { return pctenc.Unreserved(c) || c == '/' && !encodeSlash })
}

func stringToSign(amzDate, scope, creq string) string {
	sum := sha256.Sum256([]byte(creq))
	return Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}
