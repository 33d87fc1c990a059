package sigv4

import (
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sign adds a header signature to r as an S3 client would: x-amz-date, x-amz-content-sha256
// set to payload (a hex SHA-256 or UNSIGNED-PAYLOAD), and Authorization covering host and
// every x-amz-* and x-cos-* header. The server's own tests use it to speak S3 without an
// AWS SDK.
func Sign(r *http.Request, cred Credential, region string, now time.Time, payload string) {
	amzDate := now.UTC().Format(amzDateLayout)
	r.Header.Set("x-amz-date", amzDate)
	r.Header.Set("x-amz-content-sha256", payload)
	if cred.Token != "" {
		r.Header.Set("x-amz-security-token", cred.Token)
	}
	signed := []string{"host"}
	for name := range r.Header {
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "x-amz-") || strings.HasPrefix(lower, "x-cos-") || lower == "content-md5" || lower == "content-type" {
			signed = append(signed, lower)
		}
	}
	sort.Strings(signed)
	params, _ := ParseQuery(r.URL.RawQuery)
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	creq, _ := canonicalRequest(r, params, signed, payload)
	date := amzDate[:8]
	scope := date + "/" + region + "/s3/aws4_request"
	sig := hex.EncodeToString(hmacSHA256(signingKey(cred.SecretKey, date, region, "s3"), stringToSign(amzDate, scope, creq)))
	r.Header.Set("Authorization", Algorithm+" Credential="+cred.AccessKey+"/"+scope+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}
