package localcos

import (
	"errors"
	"net/http"
	"strconv"

	"lightbox/localcos/internal/cossign"
	"lightbox/localcos/internal/sigv4"
)

// authenticate checks the request's signature in whichever scheme it claims: AWS Signature
// V4 (S3 clients) or COS's q-sign-algorithm=sha1. Both use the same credentials.
func (s *Server) authenticate(r *http.Request) *apiError {
	if sigv4.Claims(r) {
		return s.authenticateV4(r)
	}
	if _, err := s.verifier.Verify(r); err != nil {
		var p *cossign.Problem
		if errors.As(err, &p) {
			return errorf(p.Status, p.Code, p.Message)
		}
		return errorf(http.StatusForbidden, "AccessDenied", "Access Denied.")
	}
	return nil
}

func (s *Server) authenticateV4(r *http.Request) *apiError {
	signed := signedRequest(r)
	if _, err := s.v4.Verify(signed); err != nil {
		var p *sigv4.Problem
		if errors.As(err, &p) {
			return errorf(p.Status, p.Code, p.Message)
		}
		return errorf(http.StatusForbidden, "AccessDenied", "Access Denied.")
	}
	// A streaming payload is decoded, and a signed one checked, by the body Verify set.
	r.Body = signed.Body
	if r.ContentLength != signed.ContentLength {
		r.ContentLength = signed.ContentLength
		r.Header.Set("Content-Length", strconv.FormatInt(signed.ContentLength, 10))
	}
	return nil
}

func (s *Server) newV4Verifier(creds map[string]Credential) *sigv4.Verifier {
	return &sigv4.Verifier{
		Region: s.cfg.Region,
		Now:    s.cfg.Now,
		Lookup: func(id string) (sigv4.Credential, bool) {
			c, ok := creds[id]
			return sigv4.Credential{AccessKey: c.SecretID, SecretKey: c.SecretKey, Token: c.Token}, ok
		},
	}
}

// payloadError is the answer for a body that failed its SigV4 payload check while read.
func payloadError(err error) *apiError {
	var p *sigv4.PayloadError
	if errors.As(err, &p) {
		return errorf(p.Status, p.Code, p.Message)
	}
	return nil
}
