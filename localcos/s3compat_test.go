package localcos

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
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
	if _, err := os.Stat(filepath.Join(e.dir, DefaultBucket, "x.txt")); err != nil {
		t.Errorf("COS key with the bucket's name as first segment: %v", err)
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
	if _, err := os.Stat(filepath.Join(e.dir, "a.txt")); !os.IsNotExist(err) {
		t.Errorf("a refused request stored something: %v", err)
	}
}
