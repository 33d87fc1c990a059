package localcos

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

var ctx = context.Background()

func quotedMD5(b []byte) string {
	s := md5.Sum(b)
	return `"` + hex.EncodeToString(s[:]) + `"`
}

func TestSDKPutHeadGetDelete(t *testing.T) {
	e := newEnv(t, nil)
	data := []byte("hello, bucket")
	key := "dir/a b+c 图片.txt"
	resp, err := e.cos.Object.Put(ctx, key, bytes.NewReader(data), &cos.ObjectPutOptions{
		ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentType: "text/plain", XCosMetaXXX: &http.Header{"x-cos-meta-owner": {"ana"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("ETag"); got != quotedMD5(data) {
		t.Errorf("PUT ETag %s, want %s", got, quotedMD5(data))
	}
	if resp.Header.Get("x-cos-request-id") == "" {
		t.Error("no x-cos-request-id")
	}

	head, err := e.cos.Object.Head(ctx, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	for h, want := range map[string]string{
		"Content-Type": "text/plain", "Content-Length": strconv.Itoa(len(data)), "ETag": quotedMD5(data),
		"X-Cos-Meta-Owner": "ana", "x-cos-hash-crc64ecma": strconv.FormatUint(crc64.Checksum(data, crcTable), 10),
	} {
		if got := head.Header.Get(h); got != want {
			t.Errorf("HEAD %s = %q, want %q", h, got, want)
		}
	}
	if got := e.get(key); !bytes.Equal(got, data) {
		t.Errorf("GET = %q", got)
	}
	if ok, err := e.cos.Object.IsExist(ctx, key); !ok || err != nil {
		t.Errorf("IsExist = %v, %v", ok, err)
	}
	if _, err := e.cos.Object.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.cos.Object.IsExist(ctx, key); ok || err != nil {
		t.Errorf("after delete IsExist = %v, %v", ok, err)
	}
	_, err = e.cos.Object.Get(ctx, key, nil)
	wantCode(t, err, 404, "NoSuchKey")
	if _, err := e.cos.Object.Delete(ctx, "never-existed"); err != nil {
		t.Errorf("deleting a missing key must succeed: %v", err)
	}
	// The parent folder went away with its last object, as a prefix does on COS.
	if onDisk(e.dir, "dir") {
		t.Errorf("empty folder left behind")
	}
}

func TestSDKStreamingAndFilePuts(t *testing.T) {
	e := newEnv(t, nil)
	data := bytes.Repeat([]byte("0123456789"), 50_000)
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(data); i += 4096 {
			_, _ = pw.Write(data[i:min(i+4096, len(data))])
		}
		pw.Close()
	}()
	if _, err := e.cos.Object.Put(ctx, "chunked.bin", pr, nil); err != nil {
		t.Fatalf("chunked put: %v", err)
	}
	if got := e.get("chunked.bin"); !bytes.Equal(got, data) {
		t.Fatal("chunked upload corrupted")
	}
	src := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(src, data[:1000], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cos.Object.PutFromFile(ctx, "from-file.bin", src, nil); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "g.bin")
	if _, err := e.cos.Object.GetToFile(ctx, "from-file.bin", dst, nil); err != nil {
		t.Fatalf("GetToFile (CRC checked by the SDK): %v", err)
	}
	if _, _, err := e.cos.Object.Upload(ctx, "upload.bin", src, nil); err != nil {
		t.Fatalf("Upload: %v", err)
	}
	if _, err := e.cos.Object.Download(ctx, "upload.bin", filepath.Join(t.TempDir(), "d.bin"), nil); err != nil {
		t.Fatalf("Download: %v", err)
	}
}

func TestSDKContentMD5AndStorageClass(t *testing.T) {
	e := newEnv(t, nil)
	data := []byte("abc")
	good := &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentMD5: "kAFQmDzST7DWlj99KOF/cg==", XCosStorageClass: "STANDARD_IA"}}
	if _, err := e.cos.Object.Put(ctx, "md5ok", bytes.NewReader(data), good); err != nil {
		t.Fatal(err)
	}
	head, _ := e.cos.Object.Head(ctx, "md5ok", nil)
	if got := head.Header.Get("x-cos-storage-class"); got != "STANDARD_IA" {
		t.Errorf("storage class %q", got)
	}
	bad := &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentMD5: "AAAAAAAAAAAAAAAAAAAAAA=="}}
	_, err := e.cos.Object.Put(ctx, "md5bad", bytes.NewReader(data), bad)
	wantCode(t, err, 400, "BadDigest")
	if ok, _ := e.cos.Object.IsExist(ctx, "md5bad"); ok {
		t.Error("an upload with a wrong Content-MD5 was stored")
	}
	junk := &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{ContentMD5: "not base64"}}
	_, err = e.cos.Object.Put(ctx, "md5junk", bytes.NewReader(data), junk)
	wantCode(t, err, 400, "InvalidDigest")
	class := &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{XCosStorageClass: "GLACIER"}}
	_, err = e.cos.Object.Put(ctx, "cls", bytes.NewReader(data), class)
	wantCode(t, err, 400, "InvalidArgument")
}

func TestSDKRangeAndConditionalGet(t *testing.T) {
	e := newEnv(t, nil)
	data := []byte("0123456789")
	e.put("r.txt", data, nil)
	for _, c := range []struct {
		spec, want, contentRange string
	}{
		{"bytes=2-5", "2345", "bytes 2-5/10"},
		{"bytes=7-", "789", "bytes 7-9/10"},
		{"bytes=-3", "789", "bytes 7-9/10"},
		{"bytes=8-100", "89", "bytes 8-9/10"},
	} {
		resp, err := e.cos.Object.Get(ctx, "r.txt", &cos.ObjectGetOptions{Range: c.spec})
		if err != nil {
			t.Fatalf("%s: %v", c.spec, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 206 || string(b) != c.want || resp.Header.Get("Content-Range") != c.contentRange {
			t.Errorf("%s: %d %q %q", c.spec, resp.StatusCode, b, resp.Header.Get("Content-Range"))
		}
		if resp.Header.Get("x-cos-hash-crc64ecma") != "" {
			t.Errorf("%s: a partial answer must not carry the whole object's CRC", c.spec)
		}
	}
	_, err := e.cos.Object.Get(ctx, "r.txt", &cos.ObjectGetOptions{Range: "bytes=10-20"})
	wantCode(t, err, 416, "InvalidRange")
	if _, err := e.cos.Object.GetToFile(ctx, "r.txt", filepath.Join(t.TempDir(), "part"), &cos.ObjectGetOptions{Range: "bytes=0-3"}); err != nil {
		t.Errorf("ranged GetToFile: %v", err)
	}

	head, _ := e.cos.Object.Head(ctx, "r.txt", nil)
	later := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	_, err = e.cos.Object.Get(ctx, "r.txt", &cos.ObjectGetOptions{IfModifiedSince: later})
	if s, _ := cosCode(err); s != 304 {
		t.Errorf("If-Modified-Since in the future: %v", err)
	}
	earlier := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	if resp, err := e.cos.Object.Get(ctx, "r.txt", &cos.ObjectGetOptions{IfModifiedSince: earlier}); err != nil {
		t.Errorf("If-Modified-Since in the past: %v", err)
	} else {
		resp.Body.Close()
	}
	inm := &cos.ObjectGetOptions{XOptionHeader: &http.Header{"If-None-Match": {head.Header.Get("ETag")}}}
	_, err = e.cos.Object.Get(ctx, "r.txt", inm)
	if s, _ := cosCode(err); s != 304 {
		t.Errorf("If-None-Match with the current ETag: %v", err)
	}
	other := &cos.ObjectGetOptions{XOptionHeader: &http.Header{"If-None-Match": {`"0000"`}}}
	if resp, err := e.cos.Object.Get(ctx, "r.txt", other); err != nil {
		t.Errorf("If-None-Match with another ETag: %v", err)
	} else {
		resp.Body.Close()
	}
}

func TestSDKListing(t *testing.T) {
	e := newEnv(t, nil)
	keys := []string{"a.jpg", "a/1.jpg", "a/2.jpg", "a/b/3.jpg", "a0.jpg", "b+c d.jpg", "图/片.jpg", "z/z/z.jpg"}
	for _, k := range keys {
		e.put(k, []byte(k), nil)
	}
	all, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range all.Contents {
		got = append(got, o.Key)
		if o.ETag != quotedMD5([]byte(o.Key)) || o.Size != int64(len(o.Key)) || o.StorageClass != "STANDARD" || o.Owner == nil || o.LastModified == "" {
			t.Errorf("entry %+v", o)
		}
	}
	want := slices.Clone(keys)
	slices.Sort(want) // byte order, as COS
	if !slices.Equal(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}

	top, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Delimiter: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(top.CommonPrefixes, []string{"a/", "z/", "图/"}) || len(top.Contents) != 3 {
		t.Errorf("delimited: prefixes %q contents %d", top.CommonPrefixes, len(top.Contents))
	}

	// Page through "a" with max-keys 2 and the markers the server hands out.
	var paged []string
	marker := ""
	for range 10 {
		res, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "a", Delimiter: "/", Marker: marker, MaxKeys: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Contents {
			paged = append(paged, o.Key)
		}
		paged = append(paged, res.CommonPrefixes...)
		if !res.IsTruncated {
			break
		}
		if res.NextMarker == "" {
			t.Fatal("truncated without NextMarker")
		}
		marker = res.NextMarker
	}
	slices.Sort(paged)
	if !slices.Equal(paged, []string{"a.jpg", "a/", "a0.jpg"}) {
		t.Errorf("paged %q", paged)
	}

	enc, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{EncodingType: "url", Prefix: "b+c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(enc.Contents) != 1 {
		t.Fatalf("url-encoded listing: %+v", enc)
	}
	if k, _ := cos.DecodeURIComponent(enc.Contents[0].Key); k != "b+c d.jpg" || enc.Contents[0].Key == k {
		t.Errorf("encoded key %q decodes to %q", enc.Contents[0].Key, k)
	}
	if p, _ := cos.DecodeURIComponent(enc.Prefix); p != "b+c" {
		t.Errorf("encoded prefix %q", enc.Prefix)
	}

	_, _, err = e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{EncodingType: "base64"})
	wantCode(t, err, 400, "InvalidArgument")
	if ok, err := e.cos.Bucket.IsExist(ctx); !ok || err != nil {
		t.Errorf("bucket IsExist = %v, %v", ok, err)
	}
	// The metadata store is never listed.
	for _, o := range all.Contents {
		if strings.HasPrefix(o.Key, ".lightbox") {
			t.Errorf("metadata store listed: %s", o.Key)
		}
	}
}

func TestSDKDeleteMultiple(t *testing.T) {
	e := newEnv(t, nil)
	for i := range 5 {
		e.put(fmt.Sprintf("d/%d", i), []byte("x"), nil)
	}
	remove := e.srv.AddFault(FaultRule{Op: OpDeleteObject, KeyPrefix: "d/3", Status: 403, Code: "AccessDenied"})
	objs := []cos.Object{{Key: "d/0"}, {Key: "d/1"}, {Key: "d/3"}, {Key: "missing"}, {Key: "d/../x"}}
	res, _, err := e.cos.Object.DeleteMulti(ctx, &cos.ObjectDeleteMultiOptions{Objects: objs})
	remove()
	if err != nil {
		t.Fatal(err)
	}
	var deleted, failed []string
	for _, o := range res.DeletedObjects {
		deleted = append(deleted, o.Key)
	}
	for _, f := range res.Errors {
		failed = append(failed, f.Key+":"+f.Code)
	}
	slices.Sort(deleted)
	slices.Sort(failed)
	if !slices.Equal(deleted, []string{"d/0", "d/1", "missing"}) || !slices.Equal(failed, []string{"d/../x:InvalidURI", "d/3:AccessDenied"}) {
		t.Errorf("deleted %q failed %q", deleted, failed)
	}
	quiet, _, err := e.cos.Object.DeleteMulti(ctx, &cos.ObjectDeleteMultiOptions{Quiet: true, Objects: []cos.Object{{Key: "d/2"}, {Key: "d/3"}}})
	if err != nil || len(quiet.DeletedObjects) != 0 || len(quiet.Errors) != 0 {
		t.Errorf("quiet: %+v %v", quiet, err)
	}
	left, _, _ := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "d/"})
	if len(left.Contents) != 1 || left.Contents[0].Key != "d/4" {
		t.Errorf("left %+v", left.Contents)
	}
	tooMany := make([]cos.Object, 1001)
	for i := range tooMany {
		tooMany[i].Key = strconv.Itoa(i)
	}
	_, _, err = e.cos.Object.DeleteMulti(ctx, &cos.ObjectDeleteMultiOptions{Objects: tooMany})
	wantCode(t, err, 400, "MalformedXML")
}

func TestSDKCopy(t *testing.T) {
	e := newEnv(t, nil)
	data := []byte("original bytes")
	e.put("src/a b.jpg", data, &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{
		ContentType: "image/jpeg", XCosMetaXXX: &http.Header{"x-cos-meta-k": {"v"}}}})
	if _, err := e.cos.Object.PutTagging(ctx, "src/a b.jpg", &cos.ObjectPutTaggingOptions{TagSet: []cos.ObjectTaggingTag{{Key: "review", Value: "keep"}}}); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{
		e.url.Host + "/src/a b.jpg",
		e.srv.VirtualHost() + "/src/a b.jpg",
	} {
		res, _, err := e.cos.Object.Copy(ctx, "dst/copy.jpg", source, nil)
		if err != nil {
			t.Fatalf("copy from %s: %v", source, err)
		}
		if res.ETag != quotedMD5(data) || res.CRC64 != strconv.FormatUint(crc64.Checksum(data, crcTable), 10) {
			t.Errorf("copy result %+v", res)
		}
		head, _ := e.cos.Object.Head(ctx, "dst/copy.jpg", nil)
		if head.Header.Get("Content-Type") != "image/jpeg" || head.Header.Get("x-cos-meta-k") != "v" {
			t.Errorf("Copy directive must keep metadata: %v", head.Header)
		}
		tags, _, _ := e.cos.Object.GetTagging(ctx, "dst/copy.jpg")
		if len(tags.TagSet) != 1 {
			t.Errorf("tags not copied: %+v", tags)
		}
	}
	replaced := &cos.ObjectCopyOptions{ObjectCopyHeaderOptions: &cos.ObjectCopyHeaderOptions{
		XCosMetadataDirective: "Replaced", ContentType: "image/png", XCosMetaXXX: &http.Header{"x-cos-meta-n": {"w"}}}}
	if _, _, err := e.cos.Object.Copy(ctx, "dst/replaced.jpg", e.url.Host+"/src/a b.jpg", replaced); err != nil {
		t.Fatal(err)
	}
	head, _ := e.cos.Object.Head(ctx, "dst/replaced.jpg", nil)
	if head.Header.Get("Content-Type") != "image/png" || head.Header.Get("x-cos-meta-n") != "w" || head.Header.Get("x-cos-meta-k") != "" {
		t.Errorf("Replaced directive: %v", head.Header)
	}
	if got := e.get("dst/replaced.jpg"); !bytes.Equal(got, data) {
		t.Error("copy changed the bytes")
	}
	_, _, err := e.cos.Object.Copy(ctx, "src/a b.jpg", e.url.Host+"/src/a b.jpg", nil)
	wantCode(t, err, 400, "InvalidRequest")
	_, _, err = e.cos.Object.Copy(ctx, "x", e.url.Host+"/missing", nil)
	wantCode(t, err, 404, "NoSuchKey")
	_, _, err = e.cos.Object.Copy(ctx, "x", "other-1250000000.cos.ap-guangzhou.myqcloud.com/src/a b.jpg", nil)
	wantCode(t, err, 404, "NoSuchBucket")
	// A copy that fails with an error inside a 200, as COS may answer.
	remove := e.srv.AddFault(FaultRule{Op: OpCopyObject, Status: 200, Code: "InternalError", Times: 1})
	_, _, err = e.cos.Object.Copy(ctx, "dst/fail.jpg", e.url.Host+"/src/a b.jpg", nil)
	remove()
	wantCode(t, err, 200, "InternalError")
}

func TestSDKTagging(t *testing.T) {
	e := newEnv(t, nil)
	e.put("t.jpg", []byte("x"), nil)
	set := []cos.ObjectTaggingTag{{Key: "review", Value: "keep"}, {Key: "评分 2", Value: "a+b=c/d:e@f_g.h"}}
	if _, err := e.cos.Object.PutTagging(ctx, "t.jpg", &cos.ObjectPutTaggingOptions{TagSet: set}); err != nil {
		t.Fatal(err)
	}
	got, _, err := e.cos.Object.GetTagging(ctx, "t.jpg")
	if err != nil || !slices.Equal(got.TagSet, set) {
		t.Fatalf("tags %+v %v", got, err)
	}
	head, _ := e.cos.Object.Head(ctx, "t.jpg", nil)
	if head.Header.Get("x-cos-tagging-count") != "2" {
		t.Errorf("tagging count %q", head.Header.Get("x-cos-tagging-count"))
	}
	if _, err := e.cos.Object.DeleteTagging(ctx, "t.jpg"); err != nil {
		t.Fatal(err)
	}
	got, _, _ = e.cos.Object.GetTagging(ctx, "t.jpg")
	if len(got.TagSet) != 0 {
		t.Errorf("after delete: %+v", got)
	}
	eleven := make([]cos.ObjectTaggingTag, 11)
	for i := range eleven {
		eleven[i] = cos.ObjectTaggingTag{Key: "k" + strconv.Itoa(i), Value: "v"}
	}
	for name, tags := range map[string][]cos.ObjectTaggingTag{
		"11 tags":      eleven,
		"long key":     {{Key: strings.Repeat("k", 128), Value: "v"}},
		"long value":   {{Key: "k", Value: strings.Repeat("v", 256)}},
		"empty key":    {{Key: "", Value: "v"}},
		"bad char":     {{Key: "k", Value: "semi;colon"}},
		"duplicate":    {{Key: "k", Value: "1"}, {Key: "k", Value: "2"}},
		"angle quotes": {{Key: "<k>", Value: "v"}},
	} {
		_, err := e.cos.Object.PutTagging(ctx, "t.jpg", &cos.ObjectPutTaggingOptions{TagSet: tags})
		if s, c := cosCode(err); s != 400 || c != "InvalidTag" {
			t.Errorf("%s: %d %q %v", name, s, c, err)
		}
	}
	ok := []cos.ObjectTaggingTag{{Key: strings.Repeat("键", 127), Value: strings.Repeat("值", 255)}}
	if _, err := e.cos.Object.PutTagging(ctx, "t.jpg", &cos.ObjectPutTaggingOptions{TagSet: ok}); err != nil {
		t.Errorf("tags at the limits: %v", err)
	}
	_, _, err = e.cos.Object.GetTagging(ctx, "missing.jpg")
	wantCode(t, err, 404, "NoSuchKey")
	// Tags given at upload time.
	opt := &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{XOptionHeader: &http.Header{"x-cos-tagging": {"a=1&b=two%20words"}}}}
	e.put("u.jpg", []byte("x"), opt)
	got, _, _ = e.cos.Object.GetTagging(ctx, "u.jpg")
	if !slices.Equal(got.TagSet, []cos.ObjectTaggingTag{{Key: "a", Value: "1"}, {Key: "b", Value: "two words"}}) {
		t.Errorf("upload tags %+v", got.TagSet)
	}
}

func TestSDKVirtualHostAndOtherBucket(t *testing.T) {
	e := newEnv(t, nil)
	e.put("v.txt", []byte("v"), nil)
	c := e.client(testCred)
	c.Host = e.srv.VirtualHost()
	if _, err := c.Object.Head(ctx, "v.txt", nil); err != nil {
		t.Fatalf("virtual host: %v", err)
	}
	c.Host = "other-1250000000.cos." + e.srv.Region() + ".myqcloud.com"
	_, _, err := c.Bucket.Get(ctx, nil)
	wantCode(t, err, 404, "NoSuchBucket")
}

func TestSDKCredentials(t *testing.T) {
	sts := Credential{SecretID: "AKIDtemporary", SecretKey: "tmpkey", Token: "session-token-123"}
	e := newEnv(t, func(c *Config) { c.Credentials = append(c.Credentials, sts) })
	e.put("c.txt", []byte("c"), nil)
	if _, err := e.client(sts).Object.Head(ctx, "c.txt", nil); err != nil {
		t.Errorf("with the session token: %v", err)
	}
	noToken := sts
	noToken.Token = ""
	_, err := e.client(noToken).Object.Head(ctx, "c.txt", nil)
	if s, _ := cosCode(err); s != 403 {
		t.Errorf("without the session token: %v", err)
	}
	_, _, err = e.client(Credential{SecretID: testCred.SecretID, SecretKey: "wrong"}).Bucket.Get(ctx, nil)
	wantCode(t, err, 403, "SignatureDoesNotMatch")
	_, _, err = e.client(Credential{SecretID: "AKIDunknown", SecretKey: "x"}).Bucket.Get(ctx, nil)
	wantCode(t, err, 403, "InvalidAccessKeyId")
	_, _, err = e.client(Credential{}).Bucket.Get(ctx, nil)
	wantCode(t, err, 403, "AccessDenied")

	// Presigned URLs work with a plain HTTP client, and stop working when they expire.
	u, err := e.cos.Object.GetPresignedURL(ctx, http.MethodGet, "c.txt", testCred.SecretID, testCred.SecretKey, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "c" {
		t.Errorf("presigned GET: %d %q", resp.StatusCode, body)
	}
	start := time.Now().Add(-2 * time.Hour)
	old, _ := e.cos.Object.GetPresignedURL(ctx, http.MethodGet, "c.txt", testCred.SecretID, testCred.SecretKey, time.Hour,
		&cos.PresignedURLOptions{AuthTime: &cos.AuthTime{SignStartTime: start, SignEndTime: start.Add(time.Hour), KeyStartTime: start, KeyEndTime: start.Add(time.Hour)}})
	resp, err = http.Get(old.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("expired presigned URL: %d", resp.StatusCode)
	}
}

func TestSDKRestoreArchive(t *testing.T) {
	e := newEnv(t, nil)
	e.put("cold.txt", []byte("ice"), &cos.ObjectPutOptions{ObjectPutHeaderOptions: &cos.ObjectPutHeaderOptions{XCosStorageClass: "ARCHIVE"}})
	_, err := e.cos.Object.Get(ctx, "cold.txt", nil)
	wantCode(t, err, 403, "InvalidObjectState")
	if _, err := e.cos.Object.Head(ctx, "cold.txt", nil); err != nil {
		t.Errorf("HEAD of an archived object must work: %v", err)
	}
	if _, err := e.cos.Object.PostRestore(ctx, "cold.txt", &cos.ObjectRestoreOptions{Days: 2, Tier: &cos.CASJobParameters{Tier: "Standard"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.get("cold.txt"); string(got) != "ice" {
		t.Errorf("restored GET %q", got)
	}
	head, _ := e.cos.Object.Head(ctx, "cold.txt", nil)
	if !strings.Contains(head.Header.Get("x-cos-restore"), `ongoing-request="false"`) {
		t.Errorf("x-cos-restore %q", head.Header.Get("x-cos-restore"))
	}
	e.put("warm.txt", []byte("w"), nil)
	_, err = e.cos.Object.PostRestore(ctx, "warm.txt", &cos.ObjectRestoreOptions{Days: 1})
	wantCode(t, err, 403, "InvalidObjectState")
	_, err = e.cos.Object.PostRestore(ctx, "cold.txt", &cos.ObjectRestoreOptions{Days: 0})
	wantCode(t, err, 400, "InvalidArgument")
}
