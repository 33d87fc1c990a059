package localcos

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/localcos/internal/cossign"
)

// rawWire sends bytes exactly as given, because Go's client would clean some of the paths
// an attacker sends.
func rawWire(t *testing.T, e *testEnv, method, target string, extra http.Header) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+"/", nil)
	req.URL.Opaque = target // the path as typed, not normalised
	for k, v := range extra {
		req.Header[k] = v
	}
	// Sign the request as the server will decode it.
	decoded, _ := http.NewRequest(method, e.ts.URL+"/", nil)
	decoded.URL.Path, _ = pathUnescape(target)
	decoded.Host = e.url.Host
	now := time.Now()
	req.Header.Set("Authorization", cossign.Sign(decoded, cossign.Credential{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey},
		now.Add(-time.Minute), now.Add(time.Hour), []string{"host"}, []string{}))
	conn, err := net.Dial("tcp", e.url.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var b bytes.Buffer
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + e.url.Host + "\r\n")
	_ = req.Header.Write(&b)
	b.WriteString("Connection: close\r\n\r\n")
	if _, err := conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, errorCode(t, resp)
}

func pathUnescape(p string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			v, err := strconv.ParseUint(p[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String(), nil
}

func TestTraversalIsRefused(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	if err := os.WriteFile(secret, []byte("top secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, nil)
	if err := os.Symlink(outside, filepath.Join(e.dir, "escape")); err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(e.dir, secret)
	for _, target := range []string{
		"/../" + filepath.Base(outside) + "/secret.txt",
		"/" + rel,
		"/%2e%2e/%2e%2e/etc/passwd",
		"/a/%2E%2E/%2E%2E/etc/passwd",
		"/a%2F..%2F..%2Fetc%2Fpasswd",
		"//etc/passwd",
		"/escape/secret.txt",
		"/.lightbox-cos/meta.db",
		"/a%00b",
	} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
			status, code := rawWire(t, e, method, target, http.Header{"Content-Length": {"0"}})
			// Deleting what cannot be an object is "nothing to delete", as on COS.
			if status < 400 && !(method == http.MethodDelete && status == http.StatusNoContent) {
				t.Errorf("%s %s: %d %s", method, target, status, code)
			}
		}
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "top secret" {
		t.Fatalf("the file outside was touched: %q %v", b, err)
	}
	if !onDisk(e.dir, ".lightbox-cos/meta.db") {
		t.Fatalf("metadata store damaged")
	}
}

// Links inside the served folder must not reach the metadata store, however they are
// spelled: reading it leaks every object's tags, overwriting or deleting it loses them.
func TestLinksIntoTheMetadataStoreAreRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.put("keep.txt", []byte("keep"), nil)
	if _, err := e.cos.Object.PutTagging(t.Context(), "keep.txt", &cos.ObjectPutTaggingOptions{TagSet: []cos.ObjectTaggingTag{{Key: "verdict", Value: "pick"}}}); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(e.dir, ".lightbox-cos", "meta.db")
	for name, target := range map[string]string{"m": ".lightbox-cos", "self": ".", "deep/up": ".."} {
		p := filepath.Join(e.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(e.dir, ".lightbox-cos"), filepath.Join(e.dir, "abs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(db, filepath.Join(e.dir, "hard.db")); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"/m/meta.db", "/self/.lightbox-cos/meta.db", "/self/self/.LIGHTBOX-COS/meta.db",
		"/deep/up/.lightbox-cos/meta.db", "/abs/meta.db", "/hard.db", "/m/tmp/new", "/m", "/m/new/deeper",
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete} {
			status, code := rawWire(t, e, method, target, http.Header{"Content-Length": {"0"}})
			if status < 400 {
				t.Errorf("%s %s: %d %s", method, target, status, code)
			}
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Size() == 0 {
		t.Fatalf("meta.db is gone or empty: %v", err)
	}
	if onDisk(e.dir, ".lightbox-cos/new") {
		t.Errorf("a file was created inside the metadata folder")
	}
	// The store still opens and still knows the tags.
	e.ts.Close()
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnvDir(t, e.dir, nil)
	got, _, err := e2.cos.Object.GetTagging(t.Context(), "keep.txt")
	if err != nil || len(got.TagSet) != 1 || got.TagSet[0].Value != "pick" {
		t.Fatalf("tags after the attack: %+v %v", got, err)
	}
}

func TestSignatureFaultsOverTheWire(t *testing.T) {
	e := newEnv(t, nil)
	e.put("s.txt", []byte("s"), nil)
	sign := func(r *http.Request, cred cossign.Credential, start, end time.Time) {
		r.Header.Set("Authorization", cossign.Sign(r, cred, start, end, nil, nil))
	}
	good := cossign.Credential{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey}
	now := time.Now()
	for name, c := range map[string]struct {
		prepare func(r *http.Request)
		code    string
	}{
		"anonymous": {func(*http.Request) {}, "AccessDenied"},
		"unknown id": {func(r *http.Request) {
			sign(r, cossign.Credential{SecretID: "AKIDnobody", SecretKey: "x"}, now, now.Add(time.Hour))
		}, "InvalidAccessKeyId"},
		"wrong key": {func(r *http.Request) {
			sign(r, cossign.Credential{SecretID: good.SecretID, SecretKey: "wrong"}, now, now.Add(time.Hour))
		}, "SignatureDoesNotMatch"},
		"expired":   {func(r *http.Request) { sign(r, good, now.Add(-2*time.Hour), now.Add(-time.Hour)) }, "AccessDenied"},
		"future":    {func(r *http.Request) { sign(r, good, now.Add(time.Hour), now.Add(2*time.Hour)) }, "RequestTimeTooSkewed"},
		"malformed": {func(r *http.Request) { r.Header.Set("Authorization", "q-sign-algorithm=md5&q-ak=x") }, "AccessDenied"},
		"tampered":  {func(r *http.Request) { sign(r, good, now, now.Add(time.Hour)); r.URL.Path = "/other.txt" }, "SignatureDoesNotMatch"},
		"token given": {func(r *http.Request) {
			r.Header.Set("x-cos-security-token", "t")
			sign(r, good, now, now.Add(time.Hour))
		}, "InvalidToken"},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/s.txt", nil)
		c.prepare(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		code := errorCode(t, resp)
		resp.Body.Close()
		if resp.StatusCode != 403 || code != c.code {
			t.Errorf("%s: %d %q, want 403 %s", name, resp.StatusCode, code, c.code)
		}
		if resp.Header.Get("x-cos-request-id") == "" {
			t.Errorf("%s: no request id", name)
		}
	}
}

func TestOversizeRequestsAreRefused(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MaxObjectSize = 1 << 20 })
	resp := e.raw(http.MethodPut, "/big.bin", bytes.NewReader(make([]byte, 1<<20+1)), nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "EntityTooLarge" {
		t.Errorf("oversize PUT: %d", resp.StatusCode)
	}
	// The same without a Content-Length: the limit holds while streaming.
	pr, pw := io.Pipe()
	go func() { _, _ = pw.Write(make([]byte, 1<<20+10)); pw.Close() }()
	resp = e.raw(http.MethodPut, "/big.bin", pr, nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "EntityTooLarge" {
		t.Errorf("oversize chunked PUT: %d", resp.StatusCode)
	}
	if onDisk(e.dir, "big.bin") {
		t.Error("an oversize upload was stored")
	}
	e.put("t.jpg", []byte("x"), nil)
	huge := "<Tagging><TagSet>" + strings.Repeat("<Tag><Key>k</Key><Value>v</Value></Tag>", 3000) + "</TagSet></Tagging>"
	resp = e.raw(http.MethodPut, "/t.jpg?tagging", strings.NewReader(huge), nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "EntityTooLarge" {
		t.Errorf("oversize tagging body: %d", resp.StatusCode)
	}
	resp = e.raw(http.MethodPut, "/t.jpg?tagging", strings.NewReader("<Tagging><TagSet><Tag>"), nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "MalformedXML" {
		t.Errorf("broken tagging XML: %d", resp.StatusCode)
	}
	resp = e.raw(http.MethodPost, "/?delete", strings.NewReader("<Delete><Object><Key>a</Key></Object></Delete>"), nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "InvalidRequest" {
		t.Errorf("delete without Content-MD5: %d", resp.StatusCode)
	}
	resp = e.raw(http.MethodPut, "/"+strings.Repeat("k", 851), strings.NewReader("x"), nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "KeyTooLong" {
		t.Errorf("851-byte key: %d", resp.StatusCode)
	}
	resp = e.raw(http.MethodPatch, "/t.jpg", nil, nil, true)
	if resp.StatusCode != 405 || errorCode(t, resp) != "MethodNotAllowed" {
		t.Errorf("PATCH: %d", resp.StatusCode)
	}
	// An unknown sub-resource is refused and touches nothing (it used to write a 0-byte object).
	resp = e.raw(http.MethodPut, "/t.jpg?symlink", nil, http.Header{"X-Cos-Symlink-Target": {"other.jpg"}}, true)
	if resp.StatusCode != 501 || errorCode(t, resp) != "NotImplemented" {
		t.Errorf("symlink: %d", resp.StatusCode)
	}
	if got := e.get("t.jpg"); string(got) != "x" {
		t.Errorf("after a refused ?symlink the object holds %q", got)
	}
}

func TestHeadersTooLargeOnARealListener(t *testing.T) {
	_, endpoint := startReal(t, Timeouts{}) // the default limits, as lightbox serve has them
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/x", nil)
	req.Header.Set("X-Cos-Meta-Huge", strings.Repeat("a", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KB of headers: %d", resp.StatusCode)
	}
}
