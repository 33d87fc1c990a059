package cossign

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Codes for a request whose signature does not bind everything that changes what it does.
// They are their own codes, not SignatureDoesNotMatch, so that a client author sees at once
// that the signature is right but incomplete.
const (
	CodeHeaderNotSigned    = "HeaderNotSigned"
	CodeParameterNotSigned = "ParameterNotSigned"
	CodeSignTimeTooLong    = "SignTimeTooLong"
)

// MaxSignLifetime caps end-start of a signature, as S3 caps presigned URLs: a leaked
// signature must stop working within days, not in the year 33658.
const MaxSignLifetime = 7 * 24 * time.Hour

// authCarriers are query parameters (lower case) that carry the signature itself, or the
// session token checked against the credential, so they cannot be signed by it.
var authCarriers = map[string]bool{
	fieldAlgorithm: true, fieldAK: true, fieldSignTime: true, fieldKeyTime: true,
	fieldHeaders: true, fieldParams: true, fieldSignature: true, mergedParam: true,
	TokenName: true, "x-amz-security-token": true,
	"x-amz-algorithm": true, "x-amz-credential": true, "x-amz-date": true,
	"x-amz-expires": true, "x-amz-signedheaders": true, "x-amz-signature": true,
}

// tokenHeaders carry a session token, which Verify compares with the credential's exactly:
// an unsigned one cannot change what the request does.
var tokenHeaders = map[string]bool{TokenName: true, "x-amz-security-token": true}

// RequireCovered enforces the rule S3 and COS apply: every x-cos-* and x-amz-* header and
// every query parameter (other than those carrying the signature) must be covered by the
// signature, because each of them changes what a request does (x-cos-copy-source turns a
// PUT into a copy, response-content-type changes how bytes are served, ci-process scores
// instead of reading, tagging turns a DELETE of the object into a DELETE of its tags).
//
// signedHeaders and signedParams are the names the signature covers, compared without
// regard to case; for a SigV4 request pass every query parameter name as signed, since
// SigV4 signs the whole query. It returns nil or a 403 *Problem naming what is unsigned.
func RequireCovered(header http.Header, query url.Values, signedHeaders, signedParams []string) error {
	signed := func(list []string, name string) bool {
		lower, encoded := strings.ToLower(name), lowerEnc(name)
		for _, n := range list {
			if n = strings.ToLower(n); n == lower || n == encoded {
				return true
			}
		}
		return false
	}
	for _, name := range sortedKeys(header) {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-cos-") && !strings.HasPrefix(lower, "x-amz-") || tokenHeaders[lower] {
			continue
		}
		if !signed(signedHeaders, lower) {
			return denied(CodeHeaderNotSigned,
				"The header %s changes what this request does but is not covered by its signature; sign it (list it in q-header-list).", lower)
		}
	}
	for _, name := range sortedKeys(query) {
		if authCarriers[strings.ToLower(name)] {
			continue
		}
		if !signed(signedParams, name) {
			return denied(CodeParameterNotSigned,
				"The query parameter %q changes what this request does but is not covered by its signature; sign it (list it in q-url-param-list).", name)
		}
	}
	return nil
}

// checkLifetime refuses a signature valid for longer than MaxSignLifetime.
func checkLifetime(start, end time.Time) error {
	if span := end.Unix() - start.Unix(); span > int64(MaxSignLifetime/time.Second) {
		return denied(CodeSignTimeTooLong,
			"q-sign-time spans %d seconds; a signature may be valid for at most 7 days (604800 seconds).", span)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
