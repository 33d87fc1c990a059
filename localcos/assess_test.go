package localcos

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/quality"
	"lightbox/quality/synth"
)

// fullResponse is the API's answer with LowQualityScore, which the SDK's struct drops.
type fullResponse struct {
	XMLName                                                   xml.Name `xml:"Response"`
	LongImage, BlackAndWhite, SmallImage, BigImage, PureImage bool
	ClarityScore, AestheticScore, LowQualityScore             int
	RequestID                                                 string `xml:"RequestId"`
}

func sceneJPEG(seed uint64) []byte { return synth.EncodeJPEG(synth.Scene(seed, 320, 240), 90) }

func TestAssessQualityAnswersLikeTheScorer(t *testing.T) {
	e := newEnv(t, nil)
	data := sceneJPEG(1)
	e.put("photos/scene.jpg", data, nil)
	want, err := quality.Assess(data)
	if err != nil {
		t.Fatal(err)
	}

	got, resp, err := e.cos.CI.ImageQuality(ctx, "photos/scene.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if got.ClarityScore != want.ClarityScore || got.AestheticScore != want.AestheticScore || got.LongImage != want.LongImage ||
		got.BlackAndWhite != want.BlackAndWhite || got.SmallImage != want.SmallImage || got.BigImage != want.BigImage || got.PureImage != want.PureImage {
		t.Errorf("SDK result %+v, scorer %+v", got, want)
	}
	if got.RequestId == "" || got.RequestId != resp.Header.Get("x-cos-request-id") {
		t.Errorf("RequestId %q vs header %q", got.RequestId, resp.Header.Get("x-cos-request-id"))
	}

	// The signed, retried SDK path that keeps LowQualityScore.
	r, err := e.cos.Object.Get(ctx, "photos/scene.jpg", &cos.ObjectGetOptions{CiProcess: "AssessQuality"})
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(r.Response)
	var full fullResponse
	if err := xml.Unmarshal(body, &full); err != nil {
		t.Fatal(err)
	}
	if full.LowQualityScore != want.LowQualityScore || full.ClarityScore != want.ClarityScore {
		t.Errorf("full answer %+v, scorer %+v", full, want)
	}
	if n := e.assessN.Load(); n != 1 {
		t.Errorf("scored %d times for two requests of one version", n)
	}
}

// fakeScorer stands in for quality where only the server's behaviour is under test.
func fakeScorer(n *atomic.Int64) func([]byte, quality.Options) (quality.Result, error) {
	return func(data []byte, _ quality.Options) (quality.Result, error) {
		n.Add(1)
		if len(data) == 0 || data[0] != 0xFF {
			return quality.Result{}, &quality.Error{Code: quality.CodeUnsupportedFormat, Message: "not a JPEG"}
		}
		return quality.Result{ClarityScore: len(data) % 101, AestheticScore: 40, LowQualityScore: 60}, nil
	}
}

func TestAssessQualityCachePerVersion(t *testing.T) {
	dir := t.TempDir()
	var calls atomic.Int64
	cfg := func(c *Config) { c.Assess = fakeScorer(&calls) }
	e := newEnvDir(t, dir, cfg)
	e.put("a.jpg", []byte("\xFFone"), nil)

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := e.cos.CI.ImageQuality(ctx, "a.jpg"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 1 {
		t.Fatalf("8 concurrent requests scored %d times", calls.Load())
	}
	// A new version is scored again; an unchanged one never is, even after a restart.
	e.put("a.jpg", []byte("\xFFtwo!"), nil)
	res, _, err := e.cos.CI.ImageQuality(ctx, "a.jpg")
	if err != nil || calls.Load() != 2 || res.ClarityScore != 5 {
		t.Fatalf("after overwrite: %+v %v calls=%d", res, err, calls.Load())
	}
	// Errors are cached too: the bytes will not become an image by asking again.
	e.put("b.jpg", []byte("GIF89a"), nil)
	for range 2 {
		_, _, err := e.cos.CI.ImageQuality(ctx, "b.jpg")
		wantCode(t, err, 400, "UnsupportedFormat")
	}
	if calls.Load() != 3 {
		t.Fatalf("a failing image was scored %d times", calls.Load()-2)
	}
	e.ts.Close()
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	again := newEnvDir(t, dir, cfg)
	if _, _, err := again.cos.CI.ImageQuality(ctx, "a.jpg"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Errorf("the cache did not survive a restart: %d calls", calls.Load())
	}
	// A file changed directly in the folder is a new version.
	placeFile(t, dir, "a.jpg", []byte("\xFFedited in place"))
	if _, _, err := again.cos.CI.ImageQuality(ctx, "a.jpg"); err != nil || calls.Load() != 4 {
		t.Errorf("an edited file was not re-scored: %v calls=%d", err, calls.Load())
	}
}

func TestAssessQualityErrors(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits = LimitsCOS })
	e.put("anim.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), nil)
	e.put("empty.jpg", nil, nil)
	e.put("broken.jpg", []byte("\xFF\xD8\xFF\xE0 this is not a JPEG after all"), nil)
	e.put("cold.jpg", sceneJPEG(2), &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{XCosStorageClass: "DEEP_ARCHIVE"}})
	big := make([]byte, 3<<20+1) // 4 MB + a little after base64
	copy(big, "\xFF\xD8\xFF")    // looks like a JPEG from its first bytes, so only the size decides
	e.put("big.jpg", big, nil)

	for key, want := range map[string]struct {
		status int
		code   string
	}{
		"anim.gif":    {400, "UnsupportedFormat"},
		"empty.jpg":   {400, "EmptyImage"},
		"broken.jpg":  {400, "CorruptImage"},
		"cold.jpg":    {403, "InvalidObjectState"},
		"big.jpg":     {400, "ImageTooLarge"},
		"missing.jpg": {404, "NoSuchKey"},
	} {
		_, _, err := e.cos.CI.ImageQuality(ctx, key)
		if s, c := cosCode(err); s != want.status || (c != want.code && !(key == "broken.jpg" && c == "TruncatedImage")) {
			t.Errorf("%s: got %d %q, want %d %s (%v)", key, s, c, want.status, want.code, err)
		}
	}
	if n := e.assessN.Load(); n > 3 {
		t.Errorf("limits and archive checks must come before scoring; scorer ran %d times", n)
	}

	local := newEnv(t, func(c *Config) { c.Limits = LimitsLocal; c.Assess = fakeScorer(new(atomic.Int64)) })
	local.put("big.jpg", big, nil)
	if _, _, err := local.cos.CI.ImageQuality(ctx, "big.jpg"); err != nil {
		t.Errorf("--limits local must score a large file: %v", err)
	}
}

func TestAssessQualitySwitchesAndDetectURL(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Assess = fakeScorer(new(atomic.Int64)) })
	e.put("s.jpg", []byte("\xFFswitch"), nil)
	has := func(q string) string {
		resp := e.raw(http.MethodGet, "/s.jpg?ci-process=AssessQuality"+q, nil, nil, true)
		b := readBody(resp)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, b)
		}
		var out []string
		for _, f := range []string{"ClarityScore", "AestheticScore", "LowQualityScore"} {
			if strings.Contains(string(b), "<"+f+">") {
				out = append(out, f)
			}
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{
		"":                        "ClarityScore,AestheticScore,LowQualityScore",
		"&enable_clarity=true":    "ClarityScore",
		"&enable_aesthetics=1":    "AestheticScore",
		"&enable_lowquality=true": "LowQualityScore",
		"&enable_clarity=false":   "AestheticScore,LowQualityScore",
		"&enable_clarity=true&enable_aesthetics=true&enable_lowquality=true": "ClarityScore,AestheticScore,LowQualityScore",
	} {
		if got := has(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}
	resp := e.raw(http.MethodGet, "/s.jpg?ci-process=AssessQuality&enable_clarity=maybe", nil, nil, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "InvalidArgument" {
		t.Errorf("a bad switch value: %d", resp.StatusCode)
	}

	// detect-url may name an object of this bucket, by virtual host or by the server's address.
	opt := &cos.ImageQualityOptions{DetectUrl: "https://" + e.srv.VirtualHost() + "/s.jpg", EnableClarity: "true"}
	if res, _, err := e.cos.CI.ImageQualityWithOpt(ctx, "", opt); err != nil || res.ClarityScore == 0 {
		t.Errorf("detect-url of our own object: %+v %v", res, err)
	}
	opt.DetectUrl = e.ts.URL + "/s.jpg"
	if _, _, err := e.cos.CI.ImageQualityWithOpt(ctx, "", opt); err != nil {
		t.Errorf("detect-url by server address: %v", err)
	}
	for _, foreign := range []string{"http://example.com/s.jpg", "http://169.254.169.254/latest/meta-data", "file:///etc/passwd",
		"http://other-1250000000.cos.ap-guangzhou.myqcloud.com/s.jpg"} {
		_, _, err := e.cos.CI.ImageQualityWithOpt(ctx, "", &cos.ImageQualityOptions{DetectUrl: foreign})
		wantCode(t, err, 400, "InvalidArgument")
	}
	resp = e.raw(http.MethodGet, "/?ci-process=AssessQuality&detect-url="+url.QueryEscape("http://"+e.srv.VirtualHost()+"/../../etc/passwd"), nil, nil, true)
	if resp.StatusCode != 400 {
		t.Errorf("detect-url traversal: %d", resp.StatusCode)
	}
}

func TestAssessQualityOnPlacedFiles(t *testing.T) {
	dir := t.TempDir()
	placeFile(t, dir, "trip/p.jpg", []byte("\xFFplaced"))
	e := newEnvDir(t, dir, func(c *Config) { c.Assess = fakeScorer(new(atomic.Int64)) })
	list, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "trip/"})
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("placed file not listed: %+v %v", list, err)
	}
	etag := list.Contents[0].ETag
	if _, _, err := e.cos.CI.ImageQuality(ctx, "trip/p.jpg"); err != nil {
		t.Fatal(err)
	}
	head, _ := e.cos.Object.Head(ctx, "trip/p.jpg", nil)
	if head.Header.Get("ETag") != etag {
		t.Errorf("the ETag of a placed file changed after it was read: %s -> %s", etag, head.Header.Get("ETag"))
	}
	if head.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("content type of a placed .jpg: %q", head.Header.Get("Content-Type"))
	}
}
