package localcos

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lightbox/localcos/internal/cossign"
)

var rawCred = cossign.Credential{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey}

// signedWith builds a request signed over exactly the given header and parameter lists,
// then adds the unsigned extras, as an attacker holding a signed request would.
func (e *testEnv) signedWith(method, target, body string, headers, params []string, extraHeader http.Header, extraQuery string) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+target, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	now := time.Now()
	req.Header.Set("Authorization", cossign.Sign(req, rawCred, now.Add(-time.Minute), now.Add(time.Hour), headers, params))
	for k, v := range extraHeader {
		req.Header[http.CanonicalHeaderKey(k)] = v
	}
	if extraQuery != "" {
		if req.URL.RawQuery != "" {
			req.URL.RawQuery += "&"
		}
		req.URL.RawQuery += extraQuery
	}
	return req
}

func doRaw(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, errorCode(t, resp), resp.Header.Get("Content-Type")
}

// Each case is a request signed for one thing with something unsigned added that would
// make it do another; every one must be refused with its own code and change nothing.
func TestUnsignedHeadersAndParametersAreRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.put("victim", []byte("victim bytes"), nil)
	e.put("sub/b.txt", []byte("b bytes"), nil)
	e.put("page", []byte("<script>alert(1)</script>"), nil)
	e.put("img.jpg", sceneJPEG(1), nil)
	e.put("tagged", []byte("t"), nil)
	host := []string{"host"}
	none := []string{}

	cases := []struct {
		name string
		req  *http.Request
		code string
	}{
		{"copy-source added to a PUT", e.signedWith(http.MethodPut, "/victim", "", host, none,
			http.Header{"x-cos-copy-source": {e.srv.VirtualHost() + "/sub/b.txt"}}, ""), cossign.CodeHeaderNotSigned},
		{"storage class added to a PUT", e.signedWith(http.MethodPut, "/victim", "new", host, none,
			http.Header{"x-cos-storage-class": {"ARCHIVE"}}, ""), cossign.CodeHeaderNotSigned},
		{"tagging added to a PUT", e.signedWith(http.MethodPut, "/victim", "new", host, none,
			http.Header{"x-cos-tagging": {"verdict=pick"}}, ""), cossign.CodeHeaderNotSigned},
		{"amz header added to a PUT", e.signedWith(http.MethodPut, "/victim", "new", host, none,
			http.Header{"x-amz-copy-source": {"/sub/b.txt"}}, ""), cossign.CodeHeaderNotSigned},
		{"response-content-type added to a GET", e.signedWith(http.MethodGet, "/page", "", host, none,
			nil, "response-content-type=text%2Fhtml"), cossign.CodeParameterNotSigned},
		{"ci-process added to a GET", e.signedWith(http.MethodGet, "/img.jpg", "", host, none,
			nil, "ci-process=AssessQuality"), cossign.CodeParameterNotSigned},
		{"detect-url added to a signed assess", e.signedWith(http.MethodGet, "/img.jpg?ci-process=AssessQuality", "", host, []string{"ci-process"},
			nil, "detect-url="+url.QueryEscape(e.ts.URL+"/victim")), cossign.CodeParameterNotSigned},
		{"tagging left out of a DELETE's signed list", e.signedWith(http.MethodDelete, "/tagged?tagging", "", host, none,
			nil, ""), cossign.CodeParameterNotSigned},
	}
	for _, c := range cases {
		status, code, ctype := doRaw(t, c.req)
		if status != http.StatusForbidden || code != c.code {
			t.Errorf("%s: %d %q (%s), want 403 %s", c.name, status, code, ctype, c.code)
		}
	}
	if got := string(e.get("victim")); got != "victim bytes" {
		t.Errorf("victim now holds %q", got)
	}
	if !onDisk(e.dir, "tagged") {
		t.Errorf("tagged was deleted")
	}
	if e.assessN.Load() != 0 {
		t.Errorf("the scorer ran %d times for unsigned requests", e.assessN.Load())
	}

	// The same requests with everything signed do what they say.
	ok := e.signedWith(http.MethodGet, "/page?response-content-type=text%2Fplain", "", host, []string{"response-content-type"}, nil, "")
	if status, _, ctype := doRaw(t, ok); status != 200 || ctype != "text/plain" {
		t.Errorf("signed response-content-type: %d %s", status, ctype)
	}
	ok = e.signedWith(http.MethodPut, "/victim", "", []string{"host", "x-cos-copy-source"}, none, nil, "")
	ok.Header.Set("x-cos-copy-source", e.srv.VirtualHost()+"/sub/b.txt")
	ok.Header.Set("Authorization", cossign.Sign(ok, rawCred, time.Now().Add(-time.Minute), time.Now().Add(time.Hour), []string{"host", "x-cos-copy-source"}, none))
	if status, code, _ := doRaw(t, ok); status != 200 {
		t.Errorf("signed copy: %d %s", status, code)
	}
}

func TestSignatureLifetimeIsCapped(t *testing.T) {
	e := newEnv(t, nil)
	e.put("k", []byte("k"), nil)
	for _, c := range []struct {
		name       string
		start, end time.Time
		status     int
		code       string
	}{
		{"1;999999999999", time.Unix(1, 0), time.Unix(999999999999, 0), 403, cossign.CodeSignTimeTooLong},
		{"8 days", time.Now().Add(-time.Hour), time.Now().Add(8 * 24 * time.Hour), 403, cossign.CodeSignTimeTooLong},
		{"7 days", time.Now().Add(-time.Hour), time.Now().Add(7*24*time.Hour - time.Hour), 200, ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/k", nil)
		req.Header.Set("Authorization", cossign.Sign(req, rawCred, c.start, c.end, []string{"host"}, []string{}))
		if status, code, _ := doRaw(t, req); status != c.status || code != c.code {
			t.Errorf("%s: %d %q, want %d %q", c.name, status, code, c.status, c.code)
		}
	}
}
