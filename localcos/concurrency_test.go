package localcos

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// TestConcurrentClients hammers a few keys from many goroutines with every kind of
// operation. Under -race this checks the server's locking; the assertions check that a
// reader never gets one version's bytes with another version's ETag.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t, nil)
	keys := []string{"hot/a.jpg", "hot/b.jpg", "hot/c.jpg"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				key := keys[(g+i)%len(keys)]
				var err error
				switch (g + i) % 6 {
				case 0:
					body := bytes.Repeat([]byte(fmt.Sprintf("v%d-%d ", g, i)), 1000+g*100)
					_, err = e.cos.Object.Put(ctx, key, bytes.NewReader(body), nil)
				case 1:
					var resp *cos.Response
					resp, err = e.cos.Object.Get(ctx, key, nil)
					if err == nil {
						body, rerr := io.ReadAll(resp.Body)
						resp.Body.Close()
						if rerr == nil && resp.Header.Get("ETag") != quotedMD5(body) {
							t.Errorf("%s: ETag %s does not describe the %d bytes served", key, resp.Header.Get("ETag"), len(body))
						}
					}
				case 2:
					_, _, err = e.cos.Object.Copy(ctx, keys[(g+i+1)%len(keys)], e.url.Host+"/"+key, nil)
				case 3:
					_, err = e.cos.Object.Delete(ctx, key)
				case 4:
					_, err = e.cos.Object.PutTagging(ctx, key, &cos.ObjectPutTaggingOptions{TagSet: []cos.ObjectTaggingTag{{Key: "g", Value: fmt.Sprint(g)}}})
				case 5:
					_, _, err = e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "hot/"})
				}
				if s, _ := cosCode(err); err != nil && s != 404 {
					t.Errorf("op %d on %s: %v", (g+i)%6, key, err)
				}
			}
		}()
	}
	wg.Wait()
	// Whatever survived is whole.
	list, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "hot/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range list.Contents {
		if body := e.get(o.Key); quotedMD5(body) != o.ETag || int64(len(body)) != o.Size {
			t.Errorf("%s: listed %s/%d, holds %s/%d", o.Key, o.ETag, o.Size, quotedMD5(body), len(body))
		}
	}
}
