package cossign

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Test vector of cos-api.md §6.3, computed by the SDK itself.
const (
	vecID        = "AKIDexample"
	vecKey       = "SKexample"
	vecURL       = "http://127.0.0.1:9000/dir/a%20b.txt?response-content-type=text%2Fplain"
	vecTime      = "1700000000;1700003600"
	vecHTTP      = "get\n/dir/a b.txt\nresponse-content-type=text%2Fplain\nhost=127.0.0.1%3A9000\n"
	vecHTTPSHA1  = "cff9afeb821170079bd83d45c5385a9f221368a2"
	vecStrToSign = "sha1\n1700000000;1700003600\ncff9afeb821170079bd83d45c5385a9f221368a2\n"
	vecSignKey   = "1047210ddde745ad3d8fa2e8dc2057b046618942"
	vecSig       = "0338db35b6e855a666b3656a91cbed6a8bb359f4"
	vecAuth      = "q-sign-algorithm=sha1&q-ak=AKIDexample&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&q-header-list=host&q-url-param-list=response-content-type&q-signature=" + vecSig
)

var (
	vecStart = time.Unix(1700000000, 0)
	vecEnd   = time.Unix(1700003600, 0)
	vecCred  = Credential{SecretID: vecID, SecretKey: vecKey}
)

func fixedVerifier(now time.Time, creds ...Credential) *Verifier {
	return &Verifier{
		Lookup: func(id string) (Credential, bool) {
			for _, c := range creds {
				if c.SecretID == id {
					return c, true
				}
			}
			return Credential{}, false
		},
		Now: func() time.Time { return now },
	}
}

// wantProblem fails unless err is a *Problem with code (and status 403) whose
// message contains msgPart.
func wantProblem(t *testing.T, err error, code, msgPart string) *Problem {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) {
		t.Fatalf("got error %v, want *Problem %s", err, code)
	}
	if p.Code != code || p.Status != http.StatusForbidden {
		t.Fatalf("got %d %s (%s), want 403 %s", p.Status, p.Code, p.Message, code)
	}
	if !strings.Contains(p.Message, msgPart) {
		t.Fatalf("message %q does not contain %q", p.Message, msgPart)
	}
	return p
}

func TestVectorPieces(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, vecURL, nil)
	hs, mh, mp := canonical(r, []string{"host"}, []string{"response-content-type"})
	if hs != vecHTTP || mh != "" || mp != "" {
		t.Fatalf("HttpString = %q (missing %q %q), want %q", hs, mh, mp, vecHTTP)
	}
	sum := sha1.Sum([]byte(hs))
	if got := hex.EncodeToString(sum[:]); got != vecHTTPSHA1 {
		t.Fatalf("SHA1(HttpString) = %s, want %s", got, vecHTTPSHA1)
	}
	if got := stringToSign(vecTime, hs); got != vecStrToSign {
		t.Fatalf("StringToSign = %q", got)
	}
	if got := signKey(vecKey, vecTime); got != vecSignKey {
		t.Fatalf("SignKey = %s, want %s", got, vecSignKey)
	}
	if got := computeSignature(vecKey, vecTime, vecTime, hs); got != vecSig {
		t.Fatalf("signature = %s, want %s", got, vecSig)
	}
}

func TestVectorSign(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, vecURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := Sign(r, vecCred, vecStart, vecEnd, nil, nil); got != vecAuth {
		t.Fatalf("Sign =\n %s\nwant\n %s", got, vecAuth)
	}
	// Explicit lists give the same result.
	if got := Sign(r, vecCred, vecStart, vecEnd, []string{"host"}, []string{"response-content-type"}); got != vecAuth {
		t.Fatalf("Sign with lists = %s", got)
	}
	if len(r.Header) != 0 {
		t.Fatalf("Sign modified the request headers: %v", r.Header)
	}
}

func TestVectorVerify(t *testing.T) {
	v := fixedVerifier(vecStart.Add(10*time.Minute), vecCred)

	r := httptest.NewRequest(http.MethodGet, vecURL, nil)
	r.Header.Set("Authorization", vecAuth)
	cred, err := v.Verify(r)
	if err != nil || cred != vecCred {
		t.Fatalf("Verify = %+v, %v", cred, err)
	}

	// The same fields as a presigned URL (the SDK writes ';' as %3B).
	q := "&q-sign-algorithm=sha1&q-ak=AKIDexample&q-sign-time=1700000000%3B1700003600&q-key-time=1700000000%3B1700003600&q-header-list=host&q-url-param-list=response-content-type&q-signature=" + vecSig
	r = httptest.NewRequest(http.MethodGet, vecURL+q, nil)
	a, _, err := v.Check(r)
	if err != nil || !a.Presigned {
		t.Fatalf("presigned vector: %+v, %v", a, err)
	}

	// And merged into sign=.
	r = httptest.NewRequest(http.MethodGet, vecURL+"&sign="+url.QueryEscape(vecAuth), nil)
	if _, err := v.Verify(r); err != nil {
		t.Fatalf("merged vector: %v", err)
	}

	// One flipped hex digit must fail.
	r = httptest.NewRequest(http.MethodGet, vecURL, nil)
	r.Header.Set("Authorization", strings.Replace(vecAuth, "q-signature=0338", "q-signature=0339", 1))
	wantProblem(t, errOnly(v.Verify(r)), CodeSignatureDoesNotMatch, "does not match")
}

func errOnly(_ Credential, err error) error { return err }

func TestParse(t *testing.T) {
	good := map[string]string{
		fieldAlgorithm: "sha1", fieldAK: "AK", fieldSignTime: "10;20", fieldKeyTime: "10;20",
		fieldHeaders: "host;range", fieldParams: "", fieldSignature: vecSig,
	}
	header := func(f map[string]string, skip string) string {
		var parts []string
		for _, k := range authFields {
			if v, ok := f[k]; ok && k != skip {
				parts = append(parts, k+"="+v)
			}
		}
		return strings.Join(parts, "&")
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		m[k] = v
		return m
	}

	r := httptest.NewRequest(http.MethodGet, "/k", nil)
	r.Header.Set("Authorization", header(good, ""))
	r.Header.Set(TokenName, "T")
	a, err := Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessKeyID != "AK" || a.SignStart.Unix() != 10 || a.SignEnd.Unix() != 20 || a.KeyTime != "10;20" ||
		a.SignTime != "10;20" || strings.Join(a.HeaderList, ",") != "host,range" || len(a.ParamList) != 0 ||
		a.Signature != vecSig || a.Token != "T" || a.Presigned {
		t.Fatalf("parsed %+v", a)
	}
	if !a.SignedHeader("Range") || a.SignedHeader("content-type") || a.SignedParam("tagging") {
		t.Fatal("SignedHeader/SignedParam wrong")
	}

	// Anonymous.
	for _, target := range []string{"/k", "/k?prefix=a&x-cos-security-token=T", "/k?q=1"} {
		a, err := Parse(httptest.NewRequest(http.MethodGet, target, nil))
		if a != nil || err != nil {
			t.Fatalf("%s: Parse = %+v, %v; want anonymous", target, a, err)
		}
	}

	// Absent lists mean empty lists.
	r = httptest.NewRequest(http.MethodGet, "/k", nil)
	r.Header.Set("Authorization", header(with(fieldHeaders, ""), fieldParams))
	if a, err := Parse(r); err != nil || len(a.HeaderList)+len(a.ParamList) != 0 {
		t.Fatalf("absent lists: %+v, %v", a, err)
	}

	bad := []struct {
		name, auth, msg string
	}{
		{"missing signature", header(good, fieldSignature), "q-signature is missing"},
		{"missing ak", header(good, fieldAK), "q-ak is missing"},
		{"missing algorithm", header(good, fieldAlgorithm), "q-sign-algorithm is missing"},
		{"missing key time", header(good, fieldKeyTime), "q-key-time is missing"},
		{"other scheme", "AWS4-HMAC-SHA256 Credential=x/y, Signature=z", "missing"},
		{"bad algorithm", header(with(fieldAlgorithm, "sha256"), ""), "unsupported q-sign-algorithm"},
		{"non-numeric sign time", header(with(fieldSignTime, "abc;20"), ""), "q-sign-time"},
		{"negative sign time", header(with(fieldSignTime, "-1;20"), ""), "q-sign-time"},
		{"one sign time", header(with(fieldSignTime, "10"), ""), "q-sign-time"},
		{"non-numeric key time", header(with(fieldKeyTime, "10;x"), ""), "q-key-time"},
		{"start after end", header(with(fieldSignTime, "30;20"), ""), "starts after it ends"},
		{"key time not covering", header(with(fieldKeyTime, "15;20"), ""), "does not cover"},
		{"short signature", header(with(fieldSignature, "abc"), ""), "hexadecimal"},
		{"non-hex signature", header(with(fieldSignature, strings.Repeat("z", 40)), ""), "hexadecimal"},
		{"duplicate field", header(good, "") + "&q-ak=other", "more than once"},
	}
	for _, tc := range bad {
		r := httptest.NewRequest(http.MethodGet, "/k", nil)
		r.Header.Set("Authorization", tc.auth)
		a, err := Parse(r)
		if a != nil {
			t.Errorf("%s: got auth %+v", tc.name, a)
		}
		p := wantProblem(t, err, CodeAccessDenied, tc.msg)
		// Verify reports the same problem.
		v := fixedVerifier(time.Unix(15, 0), Credential{SecretID: "AK", SecretKey: "SK"})
		if _, err := v.Verify(r); err == nil || err.Error() != p.Error() {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, p)
		}
	}

	// Query (presigned) form: a duplicated field and a missing one.
	_, err = Parse(httptest.NewRequest(http.MethodGet, "/k?q-ak=a&q-ak=b&q-signature=x", nil))
	wantProblem(t, err, CodeAccessDenied, "given 2 times")
	_, err = Parse(httptest.NewRequest(http.MethodGet, "/k?q-signature="+vecSig, nil))
	wantProblem(t, err, CodeAccessDenied, "is missing")
	_, err = Parse(httptest.NewRequest(http.MethodGet, "/k?sign=garbage", nil))
	wantProblem(t, err, CodeAccessDenied, "is missing")
}

// signed builds a request signed with cred for [start, end] with the default lists.
func signedRequest(t *testing.T, method, target string, cred Credential, start, end time.Time, hdr http.Header) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, vs := range hdr {
		r.Header[k] = vs
	}
	SignRequest(r, cred, start, end)
	return r
}

func TestVerifyNegativeDirect(t *testing.T) {
	cred := Credential{SecretID: "AKIDtest", SecretKey: "secret-key-0123456789"}
	tmp := Credential{SecretID: "AKIDtmp", SecretKey: "tmp-secret", Token: "TOKEN-1"}
	now := time.Unix(1800000000, 0)
	v := fixedVerifier(now, cred, tmp)
	start, end := now.Add(-time.Minute), now.Add(time.Hour)
	target := "http://bucket-1250000000.cos.local:9000/dir/a%20b.txt?tagging&x=1"

	check := func(name string, r *http.Request, code, msg string) {
		t.Helper()
		_, err := v.Verify(r)
		if code == "" {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return
		}
		p := wantProblem(t, err, code, msg)
		if strings.Contains(p.Message, cred.SecretKey) || strings.Contains(p.Message, tmp.SecretKey) {
			t.Fatalf("%s: message leaks a secret: %s", name, p.Message)
		}
	}

	check("ok", signedRequest(t, "PUT", target, cred, start, end, nil), "", "")
	check("anonymous", httptest.NewRequest("GET", target, nil), CodeAccessDenied, "Access Denied.")
	check("unknown ak", signedRequest(t, "GET", target, Credential{SecretID: "AKIDnobody", SecretKey: "x"}, start, end, nil),
		CodeInvalidAccessKeyID, "AKIDnobody")
	check("wrong key", signedRequest(t, "GET", target, Credential{SecretID: cred.SecretID, SecretKey: "wrong"}, start, end, nil),
		CodeSignatureDoesNotMatch, "does not match")
	check("expired", signedRequest(t, "GET", target, cred, now.Add(-2*time.Hour), now.Add(-time.Second), nil),
		CodeAccessDenied, "Request has expired")
	check("ends this second", signedRequest(t, "GET", target, cred, now.Add(-2*time.Hour), now, nil), "", "")
	check("future", signedRequest(t, "GET", target, cred, now.Add(16*time.Minute), now.Add(time.Hour), nil),
		CodeRequestTimeTooSkewed, "too large")
	check("within skew", signedRequest(t, "GET", target, cred, now.Add(14*time.Minute), now.Add(time.Hour), nil), "", "")

	// Method and path are signed.
	r := signedRequest(t, "GET", target, cred, start, end, nil)
	r.Method = "DELETE"
	check("tampered method", r, CodeSignatureDoesNotMatch, "does not match")
	r = signedRequest(t, "GET", target, cred, start, end, nil)
	r.URL.Path = "/dir/a b.txT"
	check("tampered path", r, CodeSignatureDoesNotMatch, "does not match")
	r = signedRequest(t, "GET", target, cred, start, end, nil)
	r.Host = "other-1250000000.cos.local:9000"
	check("tampered host", r, CodeSignatureDoesNotMatch, "does not match")

	// A listed header that is absent is named in the message.
	r = signedRequest(t, "GET", target, cred, start, end, http.Header{"Range": {"bytes=0-1"}})
	r.Header.Del("Range")
	check("removed signed header", r, CodeSignatureDoesNotMatch, `Header "range" is listed`)

	// Listed parameter removed, and the sub-resource.
	r = signedRequest(t, "GET", target, cred, start, end, nil)
	r.URL.RawQuery = "x=1"
	check("removed signed param", r, CodeSignatureDoesNotMatch, `"tagging"`)

	// Token cases.
	check("temporary key", signedRequest(t, "GET", target, tmp, start, end, nil), "", "")
	check("token missing", signedRequest(t, "GET", target, Credential{SecretID: tmp.SecretID, SecretKey: tmp.SecretKey}, start, end, nil),
		CodeInvalidToken, "none was sent")
	check("token wrong", signedRequest(t, "GET", target, Credential{SecretID: tmp.SecretID, SecretKey: tmp.SecretKey, Token: "TOKEN-2"}, start, end, nil),
		CodeInvalidToken, "does not match")
	check("token unexpected", signedRequest(t, "GET", target, Credential{SecretID: cred.SecretID, SecretKey: cred.SecretKey, Token: "TOKEN-1"}, start, end, nil),
		CodeInvalidToken, "not a temporary key")

	// RequireSignedHost.
	r = httptest.NewRequest("GET", target, nil)
	r.Header.Set("Authorization", Sign(r, cred, start, end, []string{}, nil))
	check("host not signed, allowed", r, "", "")
	strict := *v
	strict.RequireSignedHost = true
	_, err := strict.Verify(r)
	wantProblem(t, err, CodeAccessDenied, "host")

	// MaxSkew: negative means none, positive is used.
	r = signedRequest(t, "GET", target, cred, now.Add(30*time.Second), now.Add(time.Hour), nil)
	check("30s ahead, default skew", r, "", "")
	strict = *v
	strict.MaxSkew = -1
	_, err = strict.Verify(r)
	wantProblem(t, err, CodeRequestTimeTooSkewed, "")
	strict.MaxSkew = time.Minute
	if _, err := strict.Verify(r); err != nil {
		t.Fatal(err)
	}

	// No Lookup at all: every id is unknown.
	_, err = (&Verifier{}).Verify(signedRequest(t, "GET", target, cred, time.Now(), time.Now().Add(time.Hour), nil))
	wantProblem(t, err, CodeInvalidAccessKeyID, "")
}

func TestUpperCaseSignatureAccepted(t *testing.T) {
	v := fixedVerifier(vecStart, vecCred)
	r := httptest.NewRequest(http.MethodGet, vecURL, nil)
	r.Header.Set("Authorization", strings.Replace(vecAuth, vecSig, strings.ToUpper(vecSig), 1))
	if _, err := v.Verify(r); err != nil {
		t.Fatal(err)
	}
}

func TestUpperCaseListNamesAccepted(t *testing.T) {
	v := fixedVerifier(vecStart, vecCred)
	r := httptest.NewRequest(http.MethodGet, vecURL, nil)
	auth := strings.Replace(vecAuth, "q-header-list=host", "q-header-list=Host", 1)
	r.Header.Set("Authorization", strings.Replace(auth, "q-url-param-list=response", "q-url-param-list=Response", 1))
	if _, err := v.Verify(r); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultLists(t *testing.T) {
	r, _ := http.NewRequest("PUT", "http://h:1/k?b=2&a=1&a=0&%E5%9B%BE=x", nil)
	r.Header.Set("Content-Type", "image/png")
	r.Header.Set("X-Cos-Meta-Foo", "bar")
	r.Header.Add("X-Ci-Thing", "2")
	r.Header.Add("X-Ci-Thing", "1")
	r.Header.Set("User-Agent", "test")
	r.Header.Set("Range", "bytes=0-1")
	r.TransferEncoding = []string{"chunked"}
	if got, want := strings.Join(defaultHeaderList(r), ";"),
		"content-type;host;range;transfer-encoding;x-ci-thing;x-ci-thing;x-cos-meta-foo"; got != want {
		t.Fatalf("header list %s, want %s", got, want)
	}
	if got, want := strings.Join(defaultParamList(r), ";"), "%e5%9b%be;a;a;b"; got != want {
		t.Fatalf("param list %s, want %s", got, want)
	}
	hs, _, _ := canonical(r, defaultHeaderList(r), defaultParamList(r))
	want := "put\n/k\n%e5%9b%be=x&a=0&a=1&b=2\ncontent-type=image%2Fpng&host=h%3A1&range=bytes%3D0-1&transfer-encoding=chunked&x-ci-thing=1&x-ci-thing=2&x-cos-meta-foo=bar\n"
	if hs != want {
		t.Fatalf("HttpString\n%q\nwant\n%q", hs, want)
	}
}

func TestPresign(t *testing.T) {
	now := time.Unix(1800000000, 0)
	cred := Credential{SecretID: "AKIDp", SecretKey: "skp"}
	tmp := Credential{SecretID: "AKIDt", SecretKey: "skt", Token: "TOK EN+1"}
	v := fixedVerifier(now, cred, tmp)

	for _, c := range []Credential{cred, tmp} {
		u, _ := url.Parse("http://127.0.0.1:9000/dir/a%20b.txt?response-content-type=image%2Fpng")
		vals := Presign("GET", u, "", c, now, now.Add(time.Hour))
		if (vals.Get(TokenName) != "") != (c.Token != "") {
			t.Fatalf("token param: %v", vals)
		}
		target := u.String() + "&" + vals.Encode()
		a, got, err := v.Check(httptest.NewRequest("GET", target, nil))
		if err != nil || got != c || !a.Presigned || a.Token != c.Token || !a.SignedHeader("host") ||
			!a.SignedParam("response-content-type") || a.SignedParam("q-signature") {
			t.Fatalf("presigned %s: %+v %+v %v", target, a, got, err)
		}
		if c.Token != "" && !a.SignedParam(TokenName) {
			t.Fatal("token not signed")
		}

		// An unsigned Range header is fine; an unsigned parameter could change what the
		// request does, so it is refused; a changed signed one breaks the signature.
		r := httptest.NewRequest("GET", target, nil)
		r.Header.Set("Range", "bytes=0-0")
		if _, err := v.Verify(r); err != nil {
			t.Fatalf("unsigned range: %v", err)
		}
		r = httptest.NewRequest("GET", target+"&extra=1", nil)
		wantProblem(t, errOnly(v.Verify(r)), CodeParameterNotSigned, "extra")
		r = httptest.NewRequest("GET", strings.Replace(target, "image%2Fpng", "image%2Fgif", 1), nil)
		wantProblem(t, errOnly(v.Verify(r)), CodeSignatureDoesNotMatch, "")
		r = httptest.NewRequest("PUT", target, nil)
		wantProblem(t, errOnly(v.Verify(r)), CodeSignatureDoesNotMatch, "")

		// Expired.
		late := fixedVerifier(now.Add(time.Hour+time.Second), cred, tmp)
		wantProblem(t, errOnly(late.Verify(httptest.NewRequest("GET", target, nil))), CodeAccessDenied, "Request has expired")
	}

	// Token of a presigned URL changed.
	u, _ := url.Parse("http://127.0.0.1:9000/k")
	vals := Presign("GET", u, "", tmp, now, now.Add(time.Hour))
	vals.Set(TokenName, "other")
	wantProblem(t, errOnly(v.Verify(httptest.NewRequest("GET", u.String()+"?"+vals.Encode(), nil))), CodeInvalidToken, "does not match")
}
