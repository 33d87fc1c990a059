package cossign

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

const (
	sdkID     = "AKIDsdkexample0000000000000000000000"
	sdkKey    = "sdk-secret-key-0123456789abcdefgh"
	tmpID     = "AKIDtmpexample0000000000000000000000"
	tmpKey    = "tmp-secret-key-0123456789abcdefgh"
	tmpToken  = "TOKEN+with/odd=chars 123"
	vhostName = "examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com"
)

// seen is what the test server recorded about one request.
type seen struct {
	method, path, rawQuery, host string
	auth                         *Auth
	cred                         Credential
	err                          error
}

// cosServer is an httptest server whose handler runs Verify and answers each
// operation with a minimal body the SDK accepts. Failures are answered with a
// COS error document carrying the Problem's code.
type cosServer struct {
	*httptest.Server
	v  *Verifier
	mu sync.Mutex
	rs []seen
}

func newCOSServer(t *testing.T) *cosServer {
	t.Helper()
	creds := map[string]Credential{
		sdkID: {SecretID: sdkID, SecretKey: sdkKey},
		tmpID: {SecretID: tmpID, SecretKey: tmpKey, Token: tmpToken},
	}
	s := &cosServer{v: &Verifier{Lookup: func(id string) (Credential, bool) {
		c, ok := creds[id]
		return c, ok
	}}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// take returns the requests recorded since the last call.
func (s *cosServer) take() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	rs := s.rs
	s.rs = nil
	return rs
}

// takeOne asserts that exactly one request arrived and that it verified.
func (s *cosServer) takeOne(t *testing.T) seen {
	t.Helper()
	rs := s.take()
	if len(rs) != 1 {
		t.Fatalf("server saw %d requests, want 1: %+v", len(rs), rs)
	}
	if rs[0].err != nil {
		t.Fatalf("%s %s?%s: Verify failed: %v", rs[0].method, rs[0].path, rs[0].rawQuery, rs[0].err)
	}
	return rs[0]
}

func (s *cosServer) serve(w http.ResponseWriter, r *http.Request) {
	auth, cred, err := s.v.Check(r)
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.rs = append(s.rs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Host, auth, cred, err})
	s.mu.Unlock()

	h := w.Header()
	h.Set("x-cos-request-id", "req-1")
	if err != nil {
		var p *Problem
		if !errors.As(err, &p) {
			p = &Problem{Status: 500, Code: "InternalError", Message: err.Error()}
		}
		h.Set("Content-Type", "application/xml")
		w.WriteHeader(p.Status)
		if r.Method != http.MethodHead {
			fmt.Fprintf(w, "<Error><Code>%s</Code><Message>%s</Message><RequestId>req-1</RequestId></Error>",
				xmlEscape(p.Code), xmlEscape(p.Message))
		}
		return
	}

	q := r.URL.Query()
	writeXML := func(status int, doc string) {
		h.Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		io.WriteString(w, doc)
	}
	switch {
	case r.Method == http.MethodPost && q.Has("delete"):
		writeXML(200, "<DeleteResult></DeleteResult>")
	case q.Has("tagging"):
		switch r.Method {
		case http.MethodGet:
			writeXML(200, "<Tagging><TagSet><Tag><Key>k1</Key><Value>v1</Value></Tag></TagSet></Tagging>")
		case http.MethodDelete:
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusOK)
		}
	case q.Get("ci-process") == "AssessQuality":
		writeXML(200, "<Response><ClarityScore>89</ClarityScore><AestheticScore>70</AestheticScore><RequestId>abc</RequestId></Response>")
	case r.Method == http.MethodGet && r.URL.Path == "/":
		writeXML(200, "<ListBucketResult><Name>examplebucket-1250000000</Name><Prefix></Prefix><MaxKeys>2</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>")
	case r.Method == http.MethodPut && r.Header.Get("x-cos-copy-source") != "":
		writeXML(200, `<CopyObjectResult><ETag>"900150983cd24fb0d6963f7d28e17f72"</ETag><CRC64>3231342946509354535</CRC64><LastModified>2020-01-01T00:00:00.000Z</LastModified></CopyObjectResult>`)
	case r.Method == http.MethodPut:
		h.Set("ETag", `"x"`)
		h.Set("x-cos-hash-crc64ecma", strconv.FormatUint(crc64.Checksum(body, crc64.MakeTable(crc64.ECMA)), 10))
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodHead:
		h.Set("Content-Length", "3")
		h.Set("ETag", `"x"`)
		w.WriteHeader(http.StatusOK)
	case r.Method == http.MethodGet && r.Header.Get("Range") != "":
		h.Set("Content-Range", "bytes 0-1/3")
		w.WriteHeader(http.StatusPartialContent)
		io.WriteString(w, "ab")
	case r.Method == http.MethodGet:
		io.WriteString(w, "abc")
	case r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// client builds an SDK client for s with its own transport.
func (s *cosServer) client(t *testing.T, id, key, token string) *cos.Client {
	t.Helper()
	u, _ := url.Parse(s.URL)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{
		Transport: &cos.AuthorizationTransport{SecretID: id, SecretKey: key, SessionToken: token, Transport: tr},
		Timeout:   10 * time.Second,
	})
}

// httpClient is a plain client for presigned URLs.
func (s *cosServer) httpClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func wantList(t *testing.T, what string, got []string, want string) {
	t.Helper()
	if g := strings.Join(got, ";"); g != want {
		t.Fatalf("%s = %q, want %q", what, g, want)
	}
}

// cosCode extracts the COS error code from an SDK error.
func cosCode(t *testing.T, err error) string {
	t.Helper()
	var e *cos.ErrorResponse
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *cos.ErrorResponse", err, err)
	}
	return e.Code
}

func TestSDKRequestsVerify(t *testing.T) {
	s := newCOSServer(t)
	c := s.client(t, sdkID, sdkKey, "")
	ctx := context.Background()

	t.Run("BucketGet", func(t *testing.T) {
		_, _, err := c.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "p/ x+y", Delimiter: "/", Marker: "p/a", MaxKeys: 2, EncodingType: "url"})
		if err != nil {
			t.Fatal(err)
		}
		got := s.takeOne(t)
		wantList(t, "params", got.auth.ParamList, "delimiter;encoding-type;marker;max-keys;prefix")
		wantList(t, "headers", got.auth.HeaderList, "host")
		if got.cred.SecretKey != sdkKey || got.auth.Presigned {
			t.Fatalf("cred %+v auth %+v", got.cred, got.auth)
		}
	})

	t.Run("PutBytesWithTypeAndMeta", func(t *testing.T) {
		meta := http.Header{}
		meta.Set("x-cos-meta-foo", "bar baz")
		_, err := c.Object.Put(ctx, "dir/a b+c?.txt", bytes.NewReader([]byte("abc")), &cos.ObjectPutOptions{
			ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentType: "image/jpeg", XCosMetaXXX: &meta},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := s.takeOne(t)
		if got.path != "/dir/a b+c?.txt" {
			t.Fatalf("path %q", got.path)
		}
		wantList(t, "headers", got.auth.HeaderList, "content-length;content-type;host;x-cos-meta-foo")
	})

	t.Run("PutPipeChunked", func(t *testing.T) {
		pr, pw := io.Pipe()
		go func() {
			pw.Write([]byte("chunk one "))
			pw.Write([]byte("chunk two"))
			pw.Close()
		}()
		if _, err := c.Object.Put(ctx, "pipe", pr, nil); err != nil {
			t.Fatal(err)
		}
		wantList(t, "headers", s.takeOne(t).auth.HeaderList, "host")
	})

	t.Run("PutPipeChunkedSigned", func(t *testing.T) {
		// The SDK signs a Transfer-Encoding header given as an option; Go
		// sends it as r.TransferEncoding, not in r.Header.
		pr, pw := io.Pipe()
		go func() {
			pw.Write([]byte("data"))
			pw.Close()
		}()
		te := http.Header{}
		te.Set("Transfer-Encoding", "chunked")
		_, err := c.Object.Put(ctx, "pipe2", pr, &cos.ObjectPutOptions{
			ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{XOptionHeader: &te},
		})
		if err != nil {
			t.Fatal(err)
		}
		wantList(t, "headers", s.takeOne(t).auth.HeaderList, "host;transfer-encoding")
	})

	t.Run("Head", func(t *testing.T) {
		if _, err := c.Object.Head(ctx, "图片/猫 1.jpg", nil); err != nil {
			t.Fatal(err)
		}
		if got := s.takeOne(t); got.path != "/图片/猫 1.jpg" || got.method != http.MethodHead {
			t.Fatalf("%+v", got)
		}
	})

	t.Run("GetRange", func(t *testing.T) {
		resp, err := c.Object.Get(ctx, "dir/x", &cos.ObjectGetOptions{Range: "bytes=0-1", ResponseContentType: "text/plain"})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := s.takeOne(t)
		wantList(t, "headers", got.auth.HeaderList, "host;range")
		wantList(t, "params", got.auth.ParamList, "response-content-type")
	})

	t.Run("Delete", func(t *testing.T) {
		if _, err := c.Object.Delete(ctx, "x+y"); err != nil {
			t.Fatal(err)
		}
		s.takeOne(t)
	})

	t.Run("DeleteMulti", func(t *testing.T) {
		_, _, err := c.Object.DeleteMulti(ctx, &cos.ObjectDeleteMultiOptions{
			Quiet: true, Objects: []cos.Object{{Key: "a"}, {Key: "b&<c"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := s.takeOne(t)
		wantList(t, "headers", got.auth.HeaderList, "content-length;content-md5;content-type;host")
		wantList(t, "params", got.auth.ParamList, "delete")
	})

	t.Run("Copy", func(t *testing.T) {
		u, _ := url.Parse(s.URL)
		_, _, err := c.Object.Copy(ctx, "dst/key 2", u.Host+"/dir/a b 图.txt", &cos.ObjectCopyOptions{
			ObjectCopyHeaderOptions: &cos.ObjectCopyHeaderOptions{XCosMetadataDirective: "Replaced", ContentType: "image/png"},
		})
		if err != nil {
			t.Fatal(err)
		}
		wantList(t, "headers", s.takeOne(t).auth.HeaderList,
			"content-length;content-type;host;x-cos-copy-source;x-cos-metadata-directive")
	})

	t.Run("Tagging", func(t *testing.T) {
		_, err := c.Object.PutTagging(ctx, "dir/x", &cos.ObjectPutTaggingOptions{
			TagSet: []cos.ObjectTaggingTag{{Key: "k1", Value: "v1"}, {Key: "k 2", Value: "v=2"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		got := s.takeOne(t)
		wantList(t, "put params", got.auth.ParamList, "tagging")
		wantList(t, "put headers", got.auth.HeaderList, "content-length;content-md5;content-type;host")

		res, _, err := c.Object.GetTagging(ctx, "dir/x")
		if err != nil || len(res.TagSet) != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		wantList(t, "get params", s.takeOne(t).auth.ParamList, "tagging")

		if _, err := c.Object.DeleteTagging(ctx, "dir/x"); err != nil {
			t.Fatal(err)
		}
		wantList(t, "delete params", s.takeOne(t).auth.ParamList, "tagging")
	})

	t.Run("ImageQuality", func(t *testing.T) {
		res, _, err := c.CI.ImageQualityWithOpt(ctx, "pic/a 图.jpg", &cos.ImageQualityOptions{
			EnableClarity: "true", EnableAesthetics: "true", EnableLowquality: "true",
			DetectUrl: "https://example.com/a b.jpg?x=1&y=图",
		})
		if err != nil || res.ClarityScore != 89 {
			t.Fatalf("%+v %v", res, err)
		}
		wantList(t, "params", s.takeOne(t).auth.ParamList,
			"ci-process;detect-url;enable_aesthetics;enable_clarity;enable_lowquality")
	})

	t.Run("HostOverride", func(t *testing.T) {
		vc := s.client(t, sdkID, sdkKey, "")
		vc.Host = vhostName
		if _, _, err := vc.Bucket.Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if got := s.takeOne(t); got.host != vhostName || !got.auth.SignedHeader("host") {
			t.Fatalf("%+v", got)
		}
	})

	t.Run("SessionToken", func(t *testing.T) {
		tc := s.client(t, tmpID, tmpKey, tmpToken)
		tc.Host = vhostName
		if _, _, err := tc.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "a"}); err != nil {
			t.Fatal(err)
		}
		got := s.takeOne(t)
		if got.auth.Token != tmpToken || got.cred.Token != tmpToken {
			t.Fatalf("%+v", got)
		}
		wantList(t, "headers", got.auth.HeaderList, "host;x-cos-security-token")
		if _, err := tc.Object.Put(ctx, "tmp/é ?+.bin", strings.NewReader("xyz"), nil); err != nil {
			t.Fatal(err)
		}
		s.takeOne(t)
	})

	t.Run("OddKeys", func(t *testing.T) {
		for _, key := range []string{"a b", "a+b", "what?.txt", "图片/猫.png", "x/./y", "%41", "semi;colon&amp=eq", "~!*'()"} {
			if _, err := c.Object.Put(ctx, key, strings.NewReader("k"), nil); err != nil {
				t.Fatalf("%q: %v", key, err)
			}
			if got := s.takeOne(t); got.path != "/"+key {
				t.Fatalf("%q arrived as %q", key, got.path)
			}
		}
	})
}

func TestSDKPresignedURLs(t *testing.T) {
	s := newCOSServer(t)
	c := s.client(t, sdkID, sdkKey, "")
	hc := s.httpClient(t)
	ctx := context.Background()

	get := func(t *testing.T, u *url.URL, hdr http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		for k, vs := range hdr {
			req.Header[k] = vs
		}
		return statusAndCode(t, hc, req)
	}

	t.Run("GetPresignedURL", func(t *testing.T) {
		u, err := c.Object.GetPresignedURL(ctx, http.MethodGet, "dir/a b+图?.txt", sdkID, sdkKey, time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st, code := get(t, u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		got := s.takeOne(t)
		if !got.auth.Presigned || got.path != "/dir/a b+图?.txt" {
			t.Fatalf("%+v", got)
		}
		wantList(t, "headers", got.auth.HeaderList, "host")

		// An unsigned Range header (e.g. from a media player) does not break the
		// signature; an extra unsigned parameter is refused, since parameters change
		// what a request does.
		if st, code := get(t, u, http.Header{"Range": {"bytes=0-1"}}); st != http.StatusPartialContent {
			t.Fatalf("status %d %s", st, code)
		}
		s.takeOne(t)
		u2 := *u
		u2.RawQuery += "&extra=1"
		if st, code := get(t, &u2, nil); st != http.StatusForbidden || code != CodeParameterNotSigned {
			t.Fatalf("unsigned extra parameter: status %d %s", st, code)
		}
		if rs := s.take(); len(rs) != 1 || rs[0].err == nil {
			t.Fatalf("the unsigned parameter verified: %+v", rs)
		}
	})

	t.Run("GetPresignedURLWithQuery", func(t *testing.T) {
		q := url.Values{"response-content-type": {"image/png"}, "response-content-disposition": {`attachment; filename="a b.png"`}}
		u, err := c.Object.GetPresignedURL(ctx, http.MethodGet, "k.png", sdkID, sdkKey, time.Hour, &cos.PresignedURLOptions{Query: &q})
		if err != nil {
			t.Fatal(err)
		}
		if st, code := get(t, u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		wantList(t, "params", s.takeOne(t).auth.ParamList, "response-content-disposition;response-content-type")

		// Changing a signed parameter breaks it.
		u2 := *u
		u2.RawQuery = strings.Replace(u.RawQuery, "image%2Fpng", "text%2Fhtml", 1)
		if u2.RawQuery == u.RawQuery {
			t.Fatalf("test did not change the query %s", u.RawQuery)
		}
		if st, code := get(t, &u2, nil); st != 403 || code != CodeSignatureDoesNotMatch {
			t.Fatalf("tampered: %d %s", st, code)
		}
		s.take()
	})

	t.Run("PresignedPut", func(t *testing.T) {
		u, err := c.Object.GetPresignedURL(ctx, http.MethodPut, "up/load.bin", sdkID, sdkKey, time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPut, u.String(), strings.NewReader("payload"))
		req.Header.Set("Content-Type", "application/octet-stream")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		s.takeOne(t)
	})

	t.Run("GetPresignedURL2Token", func(t *testing.T) {
		tc := s.client(t, tmpID, tmpKey, tmpToken)
		u, err := tc.Object.GetPresignedURL2(ctx, http.MethodGet, "dir/t 1.txt", time.Hour, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st, code := get(t, u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		got := s.takeOne(t)
		if got.auth.Token != tmpToken || !got.auth.Presigned {
			t.Fatalf("%+v", got.auth)
		}
		wantList(t, "params", got.auth.ParamList, "x-cos-security-token")

		// Dropping the token parameter.
		q := u.Query()
		q.Del(TokenName)
		u2 := *u
		u2.RawQuery = q.Encode()
		if st, code := get(t, &u2, nil); st != 403 || code != CodeInvalidToken {
			t.Fatalf("no token: %d %s", st, code)
		}
		s.take()
	})

	t.Run("SignMerged", func(t *testing.T) {
		q := url.Values{"response-cache-control": {"no-cache"}}
		u, err := c.Object.GetPresignedURL(ctx, http.MethodGet, "m/e r.txt", sdkID, sdkKey, time.Hour,
			&cos.PresignedURLOptions{SignMerged: true, Query: &q})
		if err != nil {
			t.Fatal(err)
		}
		if !u.Query().Has("sign") || u.Query().Has("q-signature") {
			t.Fatalf("not a merged URL: %s", u)
		}
		if st, code := get(t, u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		got := s.takeOne(t)
		if !got.auth.Presigned {
			t.Fatalf("%+v", got.auth)
		}
		wantList(t, "params", got.auth.ParamList, "response-cache-control")
	})

	t.Run("SignMergedToken", func(t *testing.T) {
		tc := s.client(t, tmpID, tmpKey, tmpToken)
		u, err := tc.Object.GetPresignedURL2(ctx, http.MethodGet, "m/t", time.Hour, &cos.PresignedURLOptions{SignMerged: true})
		if err != nil {
			t.Fatal(err)
		}
		if st, code := get(t, u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		if got := s.takeOne(t); got.auth.Token != tmpToken {
			t.Fatalf("%+v", got.auth)
		}
	})

	t.Run("Expired", func(t *testing.T) {
		past := time.Now().Add(-2 * time.Hour)
		at := &cos.AuthTime{SignStartTime: past, SignEndTime: past.Add(time.Hour), KeyStartTime: past, KeyEndTime: past.Add(time.Hour)}
		u, err := c.Object.GetPresignedURL(ctx, http.MethodGet, "old", sdkID, sdkKey, time.Hour, &cos.PresignedURLOptions{AuthTime: at})
		if err != nil {
			t.Fatal(err)
		}
		if st, code := get(t, u, nil); st != 403 || code != CodeAccessDenied {
			t.Fatalf("expired: %d %s", st, code)
		}
		rs := s.take()
		if len(rs) != 1 || rs[0].err == nil || !strings.Contains(rs[0].err.Error(), "Request has expired") {
			t.Fatalf("%+v", rs)
		}
	})

	t.Run("PresignMatchesSDK", func(t *testing.T) {
		// Presign and the SDK produce the same signature for the same times.
		start := time.Now().Add(-time.Minute).Truncate(time.Second)
		end := start.Add(time.Hour)
		at := &cos.AuthTime{SignStartTime: start, SignEndTime: end, KeyStartTime: start, KeyEndTime: end}
		q := url.Values{"response-content-type": {"image/png"}}
		su, err := c.Object.GetPresignedURL(ctx, http.MethodGet, "dir/a b.png", sdkID, sdkKey, time.Hour,
			&cos.PresignedURLOptions{AuthTime: at, Query: &q})
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse(s.URL + "/dir/a%20b.png?response-content-type=image%2Fpng")
		ours := Presign(http.MethodGet, base, "", Credential{SecretID: sdkID, SecretKey: sdkKey}, start, end)
		for _, f := range authFields {
			if got, want := ours.Get(f), su.Query().Get(f); got != want {
				t.Errorf("%s = %q, SDK %q", f, got, want)
			}
		}
		u := *base
		u.RawQuery += "&" + ours.Encode()
		if st, code := get(t, &u, nil); st != 200 {
			t.Fatalf("status %d %s", st, code)
		}
		s.takeOne(t)
	})
}

func TestSDKNegative(t *testing.T) {
	s := newCOSServer(t)
	ctx := context.Background()

	cases := []struct {
		name            string
		id, key, token  string
		code, errSubstr string
	}{
		{"unknown AK", "AKIDnobody", sdkKey, "", CodeInvalidAccessKeyID, "does not exist"},
		{"wrong key", sdkID, "not-the-key", "", CodeSignatureDoesNotMatch, "does not match"},
		{"token required but missing", tmpID, tmpKey, "", CodeInvalidToken, "none was sent"},
		{"wrong token", tmpID, tmpKey, "other-token", CodeInvalidToken, "does not match"},
		{"token though none configured", sdkID, sdkKey, tmpToken, CodeInvalidToken, "not a temporary key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := s.client(t, tc.id, tc.key, tc.token)
			_, _, err := c.Bucket.Get(ctx, nil)
			if code := cosCode(t, err); code != tc.code {
				t.Fatalf("code %s, want %s (%v)", code, tc.code, err)
			}
			rs := s.take()
			if len(rs) != 1 || !strings.Contains(rs[0].err.Error(), tc.errSubstr) {
				t.Fatalf("%+v", rs)
			}
			if strings.Contains(rs[0].err.Error(), sdkKey) || strings.Contains(rs[0].err.Error(), tmpKey) {
				t.Fatalf("message leaks a key: %v", rs[0].err)
			}
		})
	}

	t.Run("anonymous", func(t *testing.T) {
		c := s.client(t, "", "", "")
		_, _, err := c.Bucket.Get(ctx, nil)
		if code := cosCode(t, err); code != CodeAccessDenied {
			t.Fatalf("code %s", code)
		}
		if rs := s.take(); len(rs) != 1 || rs[0].err.Error() != (&Problem{403, CodeAccessDenied, "Access Denied."}).Error() {
			t.Fatalf("%+v", rs)
		}
	})
}

// rawDo sends r to the server and returns the status and COS error code.
func rawDo(t *testing.T, s *cosServer, hc *http.Client, r *http.Request) (int, string) {
	t.Helper()
	status, code := statusAndCode(t, hc, r)
	s.take()
	return status, code
}

// statusAndCode sends r and returns the status and COS error code, leaving what the server
// saw for the caller to inspect.
func statusAndCode(t *testing.T, hc *http.Client, r *http.Request) (int, string) {
	t.Helper()
	resp, err := hc.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct{ Code string }
	xml.Unmarshal(b, &e)
	return resp.StatusCode, e.Code
}

// TestRawTampering signs requests with Sign, alters them on the way and sends
// them over the wire, so the server-side view (Host, Transfer-Encoding,
// trimmed headers) is the real one.
func TestRawTampering(t *testing.T) {
	s := newCOSServer(t)
	hc := s.httpClient(t)
	cred := Credential{SecretID: sdkID, SecretKey: sdkKey}
	start, end := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)

	newReq := func(method, target string, body io.Reader, hdr map[string]string) *http.Request {
		r, err := http.NewRequest(method, s.URL+target, body)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		return r
	}
	sign := func(r *http.Request) *http.Request {
		r.Header.Set("Authorization", Sign(r, cred, start, end, nil, nil))
		return r
	}
	expect := func(name string, r *http.Request, wantStatus int, wantCode string) {
		t.Helper()
		st, code := rawDo(t, s, hc, r)
		if st != wantStatus || code != wantCode {
			t.Fatalf("%s: got %d %q, want %d %q", name, st, code, wantStatus, wantCode)
		}
	}

	expect("untampered", sign(newReq("GET", "/dir/a%20b.txt?x=1", nil, nil)), 200, "")

	r := sign(newReq("GET", "/dir/a%20b.txt", nil, nil))
	r.URL.Path, r.URL.RawPath = "/dir/a%20c.txt", ""
	expect("tampered path", r, 403, CodeSignatureDoesNotMatch)

	r = sign(newReq("GET", "/k?x=1&y=2", nil, nil))
	r.URL.RawQuery = "x=1&y=3"
	expect("tampered query value", r, 403, CodeSignatureDoesNotMatch)

	r = newReq("GET", "/k?x=1", nil, nil)
	r.Header.Set("Authorization", Sign(r, cred, start, end, nil, []string{"x"}))
	auth := r.Header.Get("Authorization")
	r.URL.RawQuery = "x=1&unsigned=2"
	expect("unsigned extra param", r, 403, CodeParameterNotSigned)
	r = newReq("GET", "/k?x=9&unsigned=2", nil, map[string]string{"Authorization": auth})
	expect("changed signed param", r, 403, CodeSignatureDoesNotMatch)
	r = newReq("GET", "/k?x=1&x=2", nil, map[string]string{"Authorization": auth})
	expect("added value of a signed param", r, 403, CodeSignatureDoesNotMatch)

	r = sign(newReq("PUT", "/k", strings.NewReader("abc"), map[string]string{"Content-Type": "text/plain", "Content-Length": "3"}))
	r.Header.Set("Content-Type", "text/html")
	expect("tampered content-type", r, 403, CodeSignatureDoesNotMatch)

	r = sign(newReq("GET", "/k", nil, map[string]string{"Range": "bytes=0-1"}))
	r.Header.Set("Range", "bytes=0-2")
	expect("tampered range", r, 403, CodeSignatureDoesNotMatch)

	r = sign(newReq("GET", "/k", nil, map[string]string{"Range": "bytes=0-1"}))
	r.Header.Del("Range")
	expect("signed header removed", r, 403, CodeSignatureDoesNotMatch)

	r = sign(newReq("GET", "/k", nil, map[string]string{"X-Cos-Meta-A": "1"}))
	r.Header.Set("User-Agent", "other")
	expect("unsigned ordinary header", r, 200, "")
	r = sign(newReq("GET", "/k", nil, map[string]string{"X-Cos-Meta-A": "1"}))
	r.Header.Set("X-Cos-Meta-B", "2")
	expect("unsigned extra x-cos header", r, 403, CodeHeaderNotSigned)

	r = sign(newReq("GET", "/k", nil, nil))
	r.Host = vhostName
	expect("tampered host", r, 403, CodeSignatureDoesNotMatch)

	// Header values are trimmed by Go's server; the client signed the trimmed value.
	r = sign(newReq("GET", "/k", nil, map[string]string{"X-Cos-Meta-Pad": "v"}))
	r.Header["X-Cos-Meta-Pad"] = []string{"  v  "}
	expect("whitespace around a header value", r, 200, "")

	// Multi-valued header.
	r = newReq("GET", "/k", nil, nil)
	r.Header.Add("X-Cos-Meta-M", "2")
	r.Header.Add("X-Cos-Meta-M", "1")
	sign(r)
	expect("multi-valued header", r, 200, "")

	// Chunked body with transfer-encoding signed from r.TransferEncoding.
	pr, pw := io.Pipe()
	go func() { pw.Write([]byte("streamed")); pw.Close() }()
	r = newReq("PUT", "/chunked", pr, nil)
	r.TransferEncoding = []string{"chunked"}
	sign(r)
	if !strings.Contains(r.Header.Get("Authorization"), "transfer-encoding") {
		t.Fatalf("transfer-encoding not signed: %s", r.Header.Get("Authorization"))
	}
	expect("chunked", r, 200, "")

	expect("expired", newReq("GET", "/k", nil, map[string]string{
		"Authorization": Sign(newReq("GET", "/k", nil, nil), cred, time.Now().Add(-2*time.Hour), time.Now().Add(-time.Hour), nil, nil)}),
		403, CodeAccessDenied)
	expect("start too far in the future", newReq("GET", "/k", nil, map[string]string{
		"Authorization": Sign(newReq("GET", "/k", nil, nil), cred, time.Now().Add(time.Hour), time.Now().Add(2*time.Hour), nil, nil)}),
		403, CodeRequestTimeTooSkewed)

	good := Sign(newReq("GET", "/k", nil, nil), cred, start, end, nil, nil)
	for name, auth := range map[string]string{
		"missing q-signature": good[:strings.Index(good, "&q-signature=")],
		"bad algorithm":       strings.Replace(good, "q-sign-algorithm=sha1", "q-sign-algorithm=md5", 1),
		"non-numeric times":   strings.Replace(good, "q-sign-time=", "q-sign-time=x", 1),
		"start after end":     strings.Replace(good, "q-sign-time="+formatTimeRange(start, end), "q-sign-time="+formatTimeRange(end, start), 1),
		"key time too short":  strings.Replace(good, "q-key-time="+formatTimeRange(start, end), "q-key-time="+formatTimeRange(start, end.Add(-time.Second)), 1),
	} {
		if auth == good {
			t.Fatalf("%s: test did not alter the header", name)
		}
		expect(name, newReq("GET", "/k", nil, map[string]string{"Authorization": auth}), 403, CodeAccessDenied)
	}

	// A presigned URL whose signed parameters are all present still verifies
	// when sent with the Authorization-less method it was made for, and not
	// with another.
	base, _ := url.Parse(s.URL + "/p/x.jpg")
	vals := Presign(http.MethodGet, base, "", cred, start, end)
	expect("Presign GET", newReq("GET", "/p/x.jpg?"+vals.Encode(), nil, nil), 200, "")
	expect("Presign used for DELETE", newReq("DELETE", "/p/x.jpg?"+vals.Encode(), nil, nil), 403, CodeSignatureDoesNotMatch)
}

func TestSignMatchesSDK(t *testing.T) {
	start := time.Unix(1800000000, 0)
	end := start.Add(time.Hour)
	at := &cos.AuthTime{SignStartTime: start, SignEndTime: end, KeyStartTime: start, KeyEndTime: end}

	build := func() *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "http://"+vhostName+"/dir/%E5%9B%BE%20a.jpg?b=2&a=%2B1&a=0&%E5%9B%BE=x&Mixed=Case&empty", strings.NewReader("abc"))
		r.Header.Set("Content-Type", "image/jpeg")
		r.Header.Set("Content-Length", "3")
		r.Header.Set("Content-MD5", "kAFQmDzST7DWlj99KOF/cg==")
		r.Header.Set("X-Cos-Meta-Note", "hello world/ü")
		r.Header.Add("X-Cos-Meta-Multi", "z")
		r.Header.Add("X-Cos-Meta-Multi", "a")
		r.Header.Set("X-Ci-Custom", "1")
		r.Header.Set("Pic-Operations", `{"is_pic_info":1}`)
		r.Header.Set("If-None-Match", `"etag"`)
		r.Header.Set("User-Agent", "not signed")
		r.Header.Set("Accept", "not signed")
		return r
	}
	for _, token := range []string{"", tmpToken} {
		cred := Credential{SecretID: sdkID, SecretKey: sdkKey, Token: token}
		ours := build()
		SignRequest(ours, cred, start, end)
		theirs := build()
		cos.AddAuthorizationHeader(sdkID, sdkKey, token, theirs, at)
		if got, want := ours.Header.Get("Authorization"), theirs.Header.Get("Authorization"); got != want {
			t.Fatalf("token %q:\nours   %s\nthe SDK %s", token, got, want)
		}
		if slices.Contains(ours.Header.Values(TokenName), "") || ours.Header.Get(TokenName) != token {
			t.Fatalf("token header %q", ours.Header.Get(TokenName))
		}
	}
}
