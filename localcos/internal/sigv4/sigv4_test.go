package sigv4

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The worked examples of Amazon's "Authenticating Requests (AWS Signature Version 4)" for
// S3: the same key, bucket and instant, with the signatures the documentation prints.
const (
	exampleKey    = "AKIAIOSFODNN7EXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	emptyHash     = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

func exampleVerifier(now string) *Verifier {
	t, _ := time.Parse(amzDateLayout, now)
	return &Verifier{Region: "us-east-1", Now: func() time.Time { return t },
		Lookup: func(id string) (Credential, bool) {
			return Credential{AccessKey: exampleKey, SecretKey: exampleSecret}, id == exampleKey
		}}
}

func exampleGet() *http.Request {
	r := httptest.NewRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt", nil)
	r.Header.Set("Range", "bytes=0-9")
	r.Header.Set("x-amz-content-sha256", emptyHash)
	r.Header.Set("x-amz-date", "20130524T000000Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
	return r
}

func code(err error) string {
	var p *Problem
	if errors.As(err, &p) {
		return p.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestHeaderSignatureMatchesAWSExample(t *testing.T) {
	if _, err := exampleVerifier("20130524T000100Z").Verify(exampleGet()); err != nil {
		t.Fatal(err)
	}
}

func TestHeaderFaultsEachHaveTheirCode(t *testing.T) {
	cases := []struct {
		name, now, want string
		edit            func(r *http.Request)
	}{
		{"tampered range", "20130524T000100Z", "SignatureDoesNotMatch", func(r *http.Request) { r.Header.Set("Range", "bytes=0-10") }},
		{"too old", "20130524T002000Z", "RequestTimeTooSkewed", func(*http.Request) {}},
		{"unknown key", "20130524T000100Z", "InvalidAccessKeyId", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIAIOSFODNN7EXAMPLE", "AKIDOTHER", 1))
		}},
		{"unsigned x-amz header", "20130524T000100Z", "AccessDenied", func(r *http.Request) { r.Header.Set("x-amz-meta-a", "1") }},
		{"signed header absent", "20130524T000100Z", "SignatureDoesNotMatch", func(r *http.Request) { r.Header.Del("Range") }},
		{"wrong region", "20130524T000100Z", "AuthorizationHeaderMalformed", func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "us-east-1", "ap-guangzhou", 1))
		}},
	}
	for _, c := range cases {
		r := exampleGet()
		c.edit(r)
		if _, err := exampleVerifier(c.now).Verify(r); code(err) != c.want {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
}

func TestPresignedURLMatchesAWSExample(t *testing.T) {
	url := "http://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
	if _, err := exampleVerifier("20130524T100000Z").Verify(httptest.NewRequest("GET", url, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := exampleVerifier("20130525T000001Z").Verify(httptest.NewRequest("GET", url, nil)); code(err) != "AccessDenied" {
		t.Errorf("expired URL: got %v", err)
	}
	if _, err := exampleVerifier("20130524T100000Z").Verify(httptest.NewRequest("GET", strings.Replace(url, "test.txt", "test2.txt", 1), nil)); code(err) != "SignatureDoesNotMatch" {
		t.Errorf("other key: got %v", err)
	}
}

// The streaming example: PUT of 66560 bytes of 'a' in 64 KiB chunks.
func streamingRequest(body string) *http.Request {
	r := httptest.NewRequest("PUT", "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
	r.Header.Set("x-amz-date", "20130524T000000Z")
	r.Header.Set("x-amz-storage-class", "REDUCED_REDUNDANCY")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
	r.Header.Set("x-amz-content-sha256", StreamingPayload)
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("x-amz-decoded-content-length", "66560")
	r.Header.Set("Content-Length", "66824")
	return r
}

func streamingBody() string {
	return "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" + strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" + strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
}

func TestStreamingPayloadMatchesAWSExample(t *testing.T) {
	r := streamingRequest(streamingBody())
	if _, err := exampleVerifier("20130524T000100Z").Verify(r); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r.Body)
	if err != nil || string(got) != strings.Repeat("a", 66560) {
		t.Fatalf("decoded %d bytes, err %v", len(got), err)
	}
	tampered := strings.Replace(streamingBody(), "aaaa\r\n400", "aaab\r\n400", 1)
	r = streamingRequest(tampered)
	if _, err := exampleVerifier("20130524T000100Z").Verify(r); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r.Body); !errors.Is(err, ErrPayload) || code(err) != "SignatureDoesNotMatch" {
		t.Fatalf("tampered chunk: got %v", err)
	}
}

func TestSignedPayloadIsCheckedAtEOF(t *testing.T) {
	r := exampleGet()
	r.Body = io.NopCloser(strings.NewReader("not empty"))
	if _, err := exampleVerifier("20130524T000100Z").Verify(r); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r.Body); code(err) != "XAmzContentSHA256Mismatch" {
		t.Fatalf("got %v", err)
	}
}

func TestRawQueryKeepsSemicolons(t *testing.T) {
	m, err := ParseQuery("q-sign-time=1;2&a=%3B&b")
	if err != nil || m["q-sign-time"][0] != "1;2" || m["a"][0] != ";" || len(m["b"]) != 1 {
		t.Fatalf("%v %v", m, err)
	}
}

func TestSignIsWhatVerifyAccepts(t *testing.T) {
	r := httptest.NewRequest("PUT", "http://127.0.0.1:9000/bucket-1/a%20b.txt?uploads=&x=1", nil)
	r.Header.Set("x-amz-meta-who", "me")
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	Sign(r, Credential{AccessKey: exampleKey, SecretKey: exampleSecret}, "us-east-1", now, emptyHash)
	if _, err := exampleVerifier("20260102T030405Z").Verify(r); err != nil {
		t.Fatal(err)
	}
}

func TestClaimsLooksAtParameterNamesOnly(t *testing.T) {
	if Claims(httptest.NewRequest("GET", "http://h/?prefix=X-Amz-Algorithm%3D&q-ak=x", nil)) {
		t.Error("a prefix that mentions X-Amz-Algorithm is not a SigV4 claim")
	}
	if !Claims(httptest.NewRequest("GET", "http://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256", nil)) {
		t.Error("a presigned URL is a claim")
	}
}

func TestUnsignedTrailerPayload(t *testing.T) {
	data := strings.Repeat("lightbox ", 3000) // two chunks
	sum := crc32.ChecksumIEEE([]byte(data))
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], sum)
	good := base64.StdEncoding.EncodeToString(b[:])
	body := func(checksum string) string {
		return fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\nx-amz-checksum-crc32:%s\r\n\r\n", 16384, data[:16384], len(data)-16384, data[16384:], checksum)
	}
	send := func(payload string) (*http.Request, error) {
		r := httptest.NewRequest("PUT", "http://127.0.0.1:9000/b/k", strings.NewReader(payload))
		r.Header.Set("x-amz-trailer", "x-amz-checksum-crc32")
		r.Header.Set("x-amz-decoded-content-length", fmt.Sprint(len(data)))
		r.Header.Set("Content-Encoding", "aws-chunked")
		Sign(r, Credential{AccessKey: exampleKey, SecretKey: exampleSecret}, "us-east-1", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), StreamingUnsignedTrailer)
		_, err := exampleVerifier("20260102T030405Z").Verify(r)
		return r, err
	}
	r, err := send(body(good))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(r.Body); err != nil || string(got) != data {
		t.Fatalf("decoded %d bytes, %v", len(got), err)
	}
	r, err = send(body("AAAAAA=="))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(r.Body); !errors.Is(err, ErrPayload) || code(err) != "BadDigest" {
		t.Fatalf("wrong checksum: %v", err)
	}
}
