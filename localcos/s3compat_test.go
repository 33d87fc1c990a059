package localcos

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lightbox/localcos/internal/sigv4"
)

// s3 sends a request signed with AWS Signature V4, as S3 tools do, to the test server.
func (e *testEnv) s3(method, target, body string, header http.Header, cred Credential, payload string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+target, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if payload == "" {
		sum := sha256.Sum256([]byte(body))
		payload = hex.EncodeToString(sum[:])
	}
	sigv4.Sign(req, sigv4.Credential{AccessKey: cred.SecretID, SecretKey: cred.SecretKey}, DefaultRegion, time.Now(), payload)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestS3ClientsSpeakSigV4PathStyle(t *testing.T) {
	e := newEnv(t, nil)
	resp := e.s3(http.MethodPut, "/"+DefaultBucket+"/docs/a.txt", "hello", http.Header{
		"X-Amz-Meta-Who": {"s3"}, "X-Amz-Tagging": {"team=x"}, "Cache-Control": {"max-age=9"}}, testCred, "")
	if resp.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, errorCode(t, resp))
	}
	if resp.Header.Get("x-amz-request-id") == "" {
		t.Error("no x-amz-request-id")
	}
	// Stored under the key, not under BUCKET/key, with the x-amz-* headers read as x-cos-*.
	if got := e.get("docs/a.txt"); string(got) != "hello" {
		t.Fatalf("stored %q", got)
	}
	head := e.s3(http.MethodHead, "/"+DefaultBucket+"/docs/a.txt", "", nil, testCred, "")
	if head.Header.Get("x-amz-meta-who") != "s3" || head.Header.Get("x-amz-tagging-count") != "1" || head.Header.Get("Cache-Control") != "max-age=9" {
		t.Errorf("HEAD headers: %v", head.Header)
	}
	// A COS client's key that begins with the bucket's name is that key.
	e.put(DefaultBucket+"/x.txt", []byte("cos"), nil)
	if !onDisk(e.dir, DefaultBucket+"/x.txt") {
		t.Errorf("COS key with the bucket's name as first segment: not stored under that key")
	}
}

func TestSigV4FaultsStoreNothing(t *testing.T) {
	e := newEnv(t, nil)
	wrong := Credential{SecretID: testCred.SecretID, SecretKey: "not-the-key"}
	if resp := e.s3(http.MethodPut, "/"+DefaultBucket+"/a.txt", "x", nil, wrong, ""); resp.StatusCode != 403 || errorCode(t, resp) != "SignatureDoesNotMatch" {
		t.Errorf("wrong key: %d", resp.StatusCode)
	}
	if resp := e.s3(http.MethodPut, "/"+DefaultBucket+"/a.txt", "x", nil, Credential{SecretID: "AKIDnobody", SecretKey: "k"}, ""); resp.StatusCode != 403 || errorCode(t, resp) != "InvalidAccessKeyId" {
		t.Errorf("unknown key: %d", resp.StatusCode)
	}
	// The body does not match the SHA-256 that was signed.
	sum := sha256.Sum256([]byte("signed body"))
	if resp := e.s3(http.MethodPut, "/"+DefaultBucket+"/a.txt", "other body", nil, testCred, hex.EncodeToString(sum[:])); resp.StatusCode != 400 || errorCode(t, resp) != "XAmzContentSHA256Mismatch" {
		t.Errorf("tampered body: %d", resp.StatusCode)
	}
	// A header that changes the operation but was added after signing.
	req, _ := http.NewRequest(http.MethodPut, e.ts.URL+"/"+DefaultBucket+"/a.txt", strings.NewReader(""))
	sigv4.Sign(req, sigv4.Credential{AccessKey: testCred.SecretID, SecretKey: testCred.SecretKey}, DefaultRegion, time.Now(), sigv4.UnsignedPayload)
	req.Header.Set("x-amz-copy-source", DefaultBucket+"/secret.txt")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("unsigned x-amz-copy-source: %d", resp.StatusCode)
	}
	if onDisk(e.dir, "a.txt") {
		t.Errorf("a refused request stored something")
	}
}

func TestListObjectsV2Pages(t *testing.T) {
	e := newEnv(t, nil)
	for _, k := range []string{"a/1", "a/2", "a/3", "b/x y", "c"} {
		e.put(k, []byte(k), nil)
	}
	var keys []string
	token := ""
	for range 10 {
		target := "/" + DefaultBucket + "?list-type=2&max-keys=2&fetch-owner=true"
		if token != "" {
			target += "&continuation-token=" + url.QueryEscape(token)
		}
		resp := e.s3(http.MethodGet, target, "", nil, testCred, "")
		var page listV2Result
		if err := xml.NewDecoder(resp.Body).Decode(&page); err != nil {
			t.Fatal(err)
		}
		if page.KeyCount != len(page.Contents) || page.KeyCount > 2 {
			t.Fatalf("KeyCount %d with %d contents", page.KeyCount, len(page.Contents))
		}
		for _, c := range page.Contents {
			if c.Owner == nil || c.Owner.ID == "" {
				t.Errorf("fetch-owner=true but %s has no owner", c.Key)
			}
			keys = append(keys, c.Key)
		}
		if !page.IsTruncated {
			break
		}
		token = page.NextContinuationToken
	}
	if strings.Join(keys, ",") != "a/1,a/2,a/3,b/x y,c" {
		t.Errorf("pages gave %v", keys)
	}
	resp := e.s3(http.MethodGet, "/"+DefaultBucket+"?list-type=2&start-after=a/3&delimiter=/&encoding-type=url", "", nil, testCred, "")
	var page listV2Result
	if err := xml.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	if len(page.CommonPrefixes) != 1 || page.CommonPrefixes[0].Prefix != "b/" || len(page.Contents) != 1 || page.Contents[0].Key != "c" || page.Contents[0].Owner != nil {
		t.Errorf("start-after a/3 with /: %+v", page)
	}
	if resp := e.s3(http.MethodGet, "/"+DefaultBucket+"?list-type=2&continuation-token=%25%25", "", nil, testCred, ""); resp.StatusCode != 400 {
		t.Errorf("a broken continuation token: %d", resp.StatusCode)
	}
}

func TestACLAndLocation(t *testing.T) {
	e := newEnv(t, nil)
	e.put("k", []byte("v"), nil)
	resp := e.raw(http.MethodGet, "/k?acl", nil, nil, true)
	var acl accessControlPolicy
	if err := xml.NewDecoder(resp.Body).Decode(&acl); err != nil || len(acl.Grants) != 1 || acl.Grants[0].Permission != "FULL_CONTROL" {
		t.Errorf("object ACL: %+v %v", acl, err)
	}
	if resp := e.raw(http.MethodGet, "/none?acl", nil, nil, true); resp.StatusCode != 404 {
		t.Errorf("ACL of a missing object: %d", resp.StatusCode)
	}
	if resp := e.raw(http.MethodPut, "/k?acl", strings.NewReader(""), http.Header{"X-Cos-Acl": {"public-read"}}, true); resp.StatusCode != 501 {
		t.Errorf("PUT ?acl: %d", resp.StatusCode)
	}
	resp = e.raw(http.MethodGet, "/?location", nil, nil, true)
	var loc locationConstraint
	if err := xml.NewDecoder(resp.Body).Decode(&loc); err != nil || loc.Region != DefaultRegion {
		t.Errorf("location: %+v %v", loc, err)
	}
}
