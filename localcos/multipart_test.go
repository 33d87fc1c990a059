package localcos

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

func TestMultipartUploadThroughTheSDK(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.put("src.bin", pattern(300<<10, 9), nil)
	init, _, err := e.cos.Object.InitiateMultipartUpload(ctx, "big/file.bin", &cos.InitiateMultipartUploadOptions{
		ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentType: "application/x-test", CacheControl: "max-age=60",
			XCosMetaXXX: &http.Header{"x-cos-meta-origin": {"multipart"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	one, two := pattern(1<<20, 1), pattern(1<<20+1000, 2)
	r1, err := e.cos.Object.UploadPart(ctx, "big/file.bin", init.UploadID, 1, bytes.NewReader(one), nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.cos.Object.UploadPart(ctx, "big/file.bin", init.UploadID, 2, bytes.NewReader(two), nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, _, err := e.cos.Object.CopyPart(ctx, "big/file.bin", init.UploadID, 3, e.url.Host+"/src.bin", &cos.ObjectCopyPartOptions{XCosCopySourceRange: "bytes=100-199"})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`"%x"`, md5.Sum(pattern(300<<10, 9)[100:200])); cp.ETag != want {
		t.Errorf("copied part ETag %s, want %s", cp.ETag, want)
	}

	// In progress: listed as an upload, invisible as an object.
	ups, _, err := e.cos.Bucket.ListMultipartUploads(ctx, &cos.ListMultipartUploadsOptions{Prefix: "big/"})
	if err != nil || len(ups.Uploads) != 1 || ups.Uploads[0].UploadID != init.UploadID {
		t.Fatalf("uploads: %+v %v", ups, err)
	}
	list, _, err := e.cos.Bucket.Get(ctx, nil)
	if err != nil || len(list.Contents) != 1 {
		t.Fatalf("objects during the upload: %+v %v", list, err)
	}
	parts, _, err := e.cos.Object.ListParts(ctx, "big/file.bin", init.UploadID, &cos.ObjectListPartsOptions{MaxParts: "2"})
	if err != nil || len(parts.Parts) != 2 || !parts.IsTruncated || parts.Parts[1].ETag != r2.Header.Get("ETag") {
		t.Fatalf("parts: %+v %v", parts, err)
	}

	// Faults in the part list are refused and the upload stays usable.
	// (The SDK sorts the list, so out of order goes by hand.)
	disorder := "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>" + r2.Header.Get("ETag") +
		"</ETag></Part><Part><PartNumber>1</PartNumber><ETag>" + r1.Header.Get("ETag") + "</ETag></Part></CompleteMultipartUpload>"
	if resp := e.raw(http.MethodPost, "/big/file.bin?uploadId="+init.UploadID, strings.NewReader(disorder), nil, true); resp.StatusCode != 400 || errorCode(t, resp) != "InvalidPartOrder" {
		t.Errorf("parts out of order: %d", resp.StatusCode)
	}
	_, _, err = e.cos.Object.CompleteMultipartUpload(ctx, "big/file.bin", init.UploadID, &cos.CompleteMultipartUploadOptions{
		Parts: []cos.Object{{PartNumber: 1, ETag: r2.Header.Get("ETag")}}})
	wantCode(t, err, 400, "InvalidPart")
	r4, err := e.cos.Object.UploadPart(ctx, "big/file.bin", init.UploadID, 4, strings.NewReader("unused"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = e.cos.Object.CompleteMultipartUpload(ctx, "big/file.bin", init.UploadID, &cos.CompleteMultipartUploadOptions{
		Parts: []cos.Object{{PartNumber: 3, ETag: cp.ETag}, {PartNumber: 4, ETag: r4.Header.Get("ETag")}}})
	wantCode(t, err, 400, "EntityTooSmall")

	done, resp, err := e.cos.Object.CompleteMultipartUpload(ctx, "big/file.bin", init.UploadID, &cos.CompleteMultipartUploadOptions{
		Parts: []cos.Object{{PartNumber: 1, ETag: r1.Header.Get("ETag")}, {PartNumber: 2, ETag: r2.Header.Get("ETag")}, {PartNumber: 3, ETag: cp.ETag}}})
	if err != nil {
		t.Fatal(err)
	}
	whole := append(append(append([]byte{}, one...), two...), pattern(300<<10, 9)[100:200]...)
	s1, s2, s3 := md5.Sum(one), md5.Sum(two), md5.Sum(pattern(300<<10, 9)[100:200])
	etagOfETags := md5.Sum(append(append(s1[:], s2[:]...), s3[:]...))
	if want := `"` + hex.EncodeToString(etagOfETags[:]) + `-3"`; done.ETag != want {
		t.Errorf("ETag %s, want the multipart form %s", done.ETag, want)
	}
	wantCRC := strconv.FormatUint(crc64.Checksum(whole, crc64.MakeTable(crc64.ECMA)), 10)
	if got := resp.Header.Get("x-cos-hash-crc64ecma"); got != wantCRC {
		t.Errorf("complete CRC64 %s, want %s", got, wantCRC)
	}
	if got := e.get("big/file.bin"); !bytes.Equal(got, whole) {
		t.Fatalf("assembled object differs (%d bytes, want %d)", len(got), len(whole))
	}
	head, err := e.cos.Object.Head(ctx, "big/file.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if head.Header.Get("Cache-Control") != "max-age=60" || head.Header.Get("x-cos-meta-origin") != "multipart" || head.Header.Get("Content-Type") != "application/x-test" {
		t.Errorf("initiate's headers were not kept: %v", head.Header)
	}
	// Completed: the upload and its parts are gone.
	if _, _, err := e.cos.Object.ListParts(ctx, "big/file.bin", init.UploadID, nil); err == nil {
		t.Error("a completed upload still lists parts")
	}
	if names, _ := os.ReadDir(filepath.Join(e.dir, ".lightbox-cos", "uploads")); len(names) != 0 {
		t.Errorf("parts left behind: %v", names)
	}
}

func TestMultipartAbortAndRestartLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	e := newEnvDir(t, dir, nil)
	ctx := context.Background()
	a, _, err := e.cos.Object.InitiateMultipartUpload(ctx, "a.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.cos.Object.UploadPart(ctx, "a.bin", a.UploadID, 1, bytes.NewReader([]byte("part")), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cos.Object.AbortMultipartUpload(ctx, "a.bin", a.UploadID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = e.cos.Object.UploadPart(ctx, "a.bin", a.UploadID, 2, bytes.NewReader([]byte("late")), nil)
	wantCode(t, err, 404, "NoSuchUpload")
	if names, _ := os.ReadDir(filepath.Join(dir, ".lightbox-cos", "uploads")); len(names) != 0 {
		t.Errorf("abort left %v", names)
	}

	// An upload in progress when the server goes away is gone after a restart.
	b, _, err := e.cos.Object.InitiateMultipartUpload(ctx, "b.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.cos.Object.UploadPart(ctx, "b.bin", b.UploadID, 1, bytes.NewReader([]byte("part")), nil); err != nil {
		t.Fatal(err)
	}
	e.ts.Close()
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnvDir(t, dir, nil)
	ups, _, err := e2.cos.Bucket.ListMultipartUploads(ctx, nil)
	if err != nil || len(ups.Uploads) != 0 {
		t.Fatalf("after restart: %+v %v", ups, err)
	}
	if names, _ := os.ReadDir(filepath.Join(dir, ".lightbox-cos", "uploads")); len(names) != 0 {
		t.Errorf("restart left %v", names)
	}
	list, _, err := e2.cos.Bucket.Get(ctx, nil)
	if err != nil || len(list.Contents) != 0 {
		t.Errorf("objects: %+v %v", list, err)
	}
}

func TestQuirksRealClientsDependOn(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	e.put("in/a b+c.txt", []byte("hello"), &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{
		CacheControl: "no-cache", ContentDisposition: "attachment; filename=x.txt", ContentEncoding: "identity",
		Expires: "Wed, 21 Oct 2015 07:28:00 GMT"}})

	// Standard headers come back on GET and HEAD.
	resp := e.raw(http.MethodHead, "/in/a%20b%2Bc.txt?versionId=", nil, nil, true)
	if resp.StatusCode != 200 {
		t.Fatalf("HEAD with an empty versionId: %d", resp.StatusCode)
	}
	for name, want := range map[string]string{"Cache-Control": "no-cache", "Content-Disposition": "attachment; filename=x.txt",
		"Content-Encoding": "identity", "Expires": "Wed, 21 Oct 2015 07:28:00 GMT"} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if resp.Header.Get("x-amz-request-id") == "" || resp.Header.Get("x-amz-request-id") != resp.Header.Get("x-cos-request-id") {
		t.Error("x-amz-request-id should repeat x-cos-request-id")
	}
	// A real version id is not served.
	if resp := e.raw(http.MethodGet, "/in/a%20b%2Bc.txt?versionId=MTg0NDUx", nil, nil, true); resp.StatusCode != 501 {
		t.Errorf("GET with a version id: %d", resp.StatusCode)
	}

	// encoding-type=url leaves '/' readable and encodes what decoders disagree on.
	list, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Delimiter: "/", EncodingType: "url"})
	if err != nil || len(list.CommonPrefixes) != 1 || list.CommonPrefixes[0] != "in/" {
		t.Fatalf("prefixes: %+v %v", list, err)
	}
	resp = e.raw(http.MethodGet, "/?prefix=in/&encoding-type=url", nil, nil, true)
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if !strings.Contains(body.String(), "<Key>in/a%20b%2Bc.txt</Key>") {
		t.Errorf("encoded listing: %s", body.String())
	}

	// A presigned URL with a raw ';' in q-sign-time, as the Node SDK writes it.
	u, err := e.cos.Object.GetPresignedURL(ctx, http.MethodGet, "in/a b+c.txt", testCred.SecretID, testCred.SecretKey, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.ReplaceAll(u.String(), "%3B", ";")
	if !strings.Contains(raw, ";") {
		t.Fatalf("no ';' to test with: %s", raw)
	}
	got, err := http.Get(raw)
	if err != nil || got.StatusCode != 200 {
		t.Fatalf("presigned URL with a raw ';': %v %v", got.Status, err)
	}
	got.Body.Close()
}

func TestListMultipartUploadsPages(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	want := map[string]bool{}
	for _, k := range []string{"p/a", "p/b", "p/b", "q/c"} {
		u, _, err := e.cos.Object.InitiateMultipartUpload(ctx, k, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[k+" "+u.UploadID] = true
	}
	got := map[string]bool{}
	opt := &cos.ListMultipartUploadsOptions{MaxUploads: 2}
	for range 5 {
		res, _, err := e.cos.Bucket.ListMultipartUploads(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Uploads) > 2 {
			t.Fatalf("%d uploads in a page of 2", len(res.Uploads))
		}
		for _, u := range res.Uploads {
			got[u.Key+" "+u.UploadID] = true
		}
		if !res.IsTruncated {
			break
		}
		opt.KeyMarker, opt.UploadIDMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
	if len(got) != len(want) {
		t.Errorf("pages gave %v, want %v", got, want)
	}
	resp := e.raw(http.MethodGet, "/?uploads&delimiter=/", nil, nil, true)
	var res listUploadsResult
	if err := xml.NewDecoder(resp.Body).Decode(&res); err != nil || len(res.CommonPrefixes) != 2 || len(res.Uploads) != 0 {
		t.Errorf("with a delimiter: %+v %v", res, err)
	}
	// One prefix a page: the second page goes on after the first's prefix.
	resp = e.raw(http.MethodGet, "/?uploads&delimiter=/&max-uploads=1", nil, nil, true)
	res = listUploadsResult{}
	if err := xml.NewDecoder(resp.Body).Decode(&res); err != nil || len(res.CommonPrefixes) != 1 || res.CommonPrefixes[0].Prefix != "p/" || !res.IsTruncated {
		t.Fatalf("first page of prefixes: %+v %v", res, err)
	}
	resp = e.raw(http.MethodGet, "/?uploads&delimiter=/&max-uploads=1&key-marker="+res.NextKeyMarker, nil, nil, true)
	res = listUploadsResult{}
	if err := xml.NewDecoder(resp.Body).Decode(&res); err != nil || len(res.CommonPrefixes) != 1 || res.CommonPrefixes[0].Prefix != "q/" {
		t.Errorf("second page of prefixes: %+v %v", res, err)
	}
}

func TestBadPartDigestKeepsTheEarlierPart(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	u, _, err := e.cos.Object.InitiateMultipartUpload(ctx, "k", nil)
	if err != nil {
		t.Fatal(err)
	}
	good, err := e.cos.Object.UploadPart(ctx, "k", u.UploadID, 1, strings.NewReader("good"), nil)
	if err != nil {
		t.Fatal(err)
	}
	wrong := md5.Sum([]byte("something else"))
	resp := e.raw(http.MethodPut, "/k?partNumber=1&uploadId="+u.UploadID, strings.NewReader("bad"),
		http.Header{"Content-Md5": {base64.StdEncoding.EncodeToString(wrong[:])}}, true)
	if resp.StatusCode != 400 || errorCode(t, resp) != "BadDigest" {
		t.Fatalf("bad digest: %d", resp.StatusCode)
	}
	parts, _, err := e.cos.Object.ListParts(ctx, "k", u.UploadID, nil)
	if err != nil || len(parts.Parts) != 1 || parts.Parts[0].ETag != good.Header.Get("ETag") {
		t.Fatalf("parts after a refused part: %+v %v", parts, err)
	}
}
