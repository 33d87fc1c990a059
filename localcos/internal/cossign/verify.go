package cossign

import (
	"crypto/hmac"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// Credential is one accepted key pair; Token non-empty means requests must
// carry exactly this session token.
type Credential struct {
	SecretID, SecretKey, Token string
}

// DefaultMaxSkew is the tolerance for a sign time in the future when
// Verifier.MaxSkew is 0.
const DefaultMaxSkew = 15 * time.Minute

// Verifier checks signed requests against a set of credentials.
type Verifier struct {
	Lookup            func(secretID string) (Credential, bool)
	Now               func() time.Time // nil = time.Now
	MaxSkew           time.Duration    // allowed clock skew for a sign time in the future; 0 = 15 minutes, negative = none
	RequireSignedHost bool             // if true, `host` must be in q-header-list (default false: the SDK signs it anyway)
}

// Verify checks r and returns the credential that signed it, or a *Problem:
//
//   - anonymous → 403 AccessDenied "Access Denied."
//   - malformed fields → 403 AccessDenied (see Parse)
//   - unknown id → 403 InvalidAccessKeyId
//   - expired (now > end) → 403 AccessDenied "Request has expired"
//   - start in the future beyond the skew → 403 RequestTimeTooSkewed
//   - host not signed while RequireSignedHost → 403 AccessDenied
//   - token required but missing/wrong, or given though none configured → 403 InvalidToken
//   - sign time spanning more than MaxSignLifetime → 403 SignTimeTooLong
//   - a listed header or parameter absent from the request, or a wrong
//     signature → 403 SignatureDoesNotMatch
//   - an x-cos-*/x-amz-* header or a query parameter the signature does not
//     cover → 403 HeaderNotSigned / ParameterNotSigned (see RequireCovered)
//
// Messages never contain the secret key or the expected signature.
func (v *Verifier) Verify(r *http.Request) (Credential, error) {
	_, cred, err := v.Check(r)
	return cred, err
}

// Check is Verify that also returns the parsed Auth (nil when the request is
// anonymous or malformed). On success the HTTP layer can use it, e.g. to
// see whether the request was presigned or which parameters were signed.
func (v *Verifier) Check(r *http.Request) (*Auth, Credential, error) {
	a, err := Parse(r)
	if err != nil {
		return nil, Credential{}, err
	}
	if a == nil {
		return nil, Credential{}, denied(CodeAccessDenied, "Access Denied.")
	}
	cred, err := v.check(r, a)
	if err != nil {
		return a, Credential{}, err
	}
	return a, cred, nil
}

func (v *Verifier) lookup(id string) (Credential, bool) {
	if v.Lookup == nil {
		return Credential{}, false
	}
	return v.Lookup(id)
}

func (v *Verifier) check(r *http.Request, a *Auth) (Credential, error) {
	cred, ok := v.lookup(a.AccessKeyID)
	if !ok {
		return Credential{}, denied(CodeInvalidAccessKeyID, "The SecretId %q does not exist.", a.AccessKeyID)
	}

	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if err := checkLifetime(a.SignStart, a.SignEnd); err != nil {
		return Credential{}, err
	}
	if now.Unix() > a.SignEnd.Unix() {
		return Credential{}, denied(CodeAccessDenied, "Request has expired")
	}
	skew := v.MaxSkew
	if skew == 0 {
		skew = DefaultMaxSkew
	} else if skew < 0 {
		skew = 0
	}
	if a.SignStart.After(now.Add(skew)) {
		return Credential{}, denied(CodeRequestTimeTooSkewed,
			"The difference between the request time and the server's time is too large: q-sign-time starts at %d, server time is %d.",
			a.SignStart.Unix(), now.Unix())
	}

	if v.RequireSignedHost && !a.SignedHeader("host") {
		return Credential{}, denied(CodeAccessDenied, "The host header must be signed (listed in q-header-list).")
	}

	switch {
	case cred.Token != "" && a.Token == "":
		return Credential{}, denied(CodeInvalidToken, "This SecretId is a temporary key: the request must carry its x-cos-security-token, but none was sent.")
	case cred.Token != "" && subtle.ConstantTimeCompare([]byte(cred.Token), []byte(a.Token)) != 1:
		return Credential{}, denied(CodeInvalidToken, "The x-cos-security-token does not match the temporary key.")
	case cred.Token == "" && a.Token != "":
		return Credential{}, denied(CodeInvalidToken, "An x-cos-security-token was sent, but this SecretId is not a temporary key.")
	}

	httpString, missingHeader, missingParam := canonical(r, a.HeaderList, a.ParamList)
	if missingHeader != "" {
		return Credential{}, denied(CodeSignatureDoesNotMatch,
			"Header %q is listed in q-header-list but not present in the request.", missingHeader)
	}
	if missingParam != "" {
		return Credential{}, denied(CodeSignatureDoesNotMatch,
			"Parameter %q is listed in q-url-param-list but not present in the request.", missingParam)
	}
	want := computeSignature(cred.SecretKey, a.KeyTime, a.SignTime, httpString)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.Signature))) {
		return Credential{}, denied(CodeSignatureDoesNotMatch,
			"The request signature we calculated does not match the signature you provided. Check your SecretKey and signing method.")
	}
	if err := RequireCovered(r.Header, r.URL.Query(), a.HeaderList, a.ParamList); err != nil {
		return Credential{}, err
	}
	return cred, nil
}
