package localcos

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"lightbox/localcos/internal/cossign"
)

// startReal serves on a real listener, as lightbox serve does, with test-sized timeouts.
func startReal(t *testing.T, to Timeouts) (*Server, string) {
	t.Helper()
	srv, err := New(Config{Dir: t.TempDir(), Credentials: []Credential{testCred}, Timeouts: to})
	if err != nil {
		t.Fatal(err)
	}
	endpoint, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, endpoint
}

// Hundreds of unauthenticated requests that declare a body and trickle it are each
// answered 403 at once (the body is never waited for), and a signed GET goes through
// while they hang on.
func TestSlowUnauthenticatedBodiesAreAnsweredAtOnce(t *testing.T) {
	_, endpoint := startReal(t, Timeouts{})
	c := sdkFor(endpoint, 5*time.Second)
	if _, err := c.Object.Put(context.Background(), "k", strings.NewReader("payload"), nil); err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(endpoint, "http://")
	const n = 300
	deadline := time.Now().Add(5 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			_ = conn.SetDeadline(deadline)
			fmt.Fprintf(conn, "PUT /slow%d HTTP/1.1\r\nHost: %s\r\nContent-Length: 200000\r\n\r\nx", i, addr)
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				errs <- fmt.Errorf("no answer: %w", err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	// While they are open: a signed GET answers.
	resp, err := c.Object.Get(context.Background(), "k", nil)
	if err != nil {
		t.Errorf("signed GET during the flood: %v", err)
	} else {
		resp.Body.Close()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if failed++; failed <= 3 {
			t.Error(err)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d slow unauthenticated requests got no prompt 403", failed, n)
	}
}

func signedRaw(method, target, host string, contentLength int64) string {
	req, _ := http.NewRequest(method, "http://"+host+target, nil)
	req.ContentLength = contentLength
	now := time.Now()
	auth := cossign.Sign(req, rawCred, now.Add(-time.Minute), now.Add(time.Hour), []string{"host"}, []string{})
	return fmt.Sprintf("%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n", method, target, host, auth, contentLength)
}

// A signed PUT whose body stops coming is answered RequestTimeout after the stall limit,
// and stores nothing.
func TestStalledSignedPutTimesOut(t *testing.T) {
	srv, endpoint := startReal(t, Timeouts{Stall: 300 * time.Millisecond, Base: 300 * time.Millisecond})
	addr := strings.TrimPrefix(endpoint, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn, signedRaw(http.MethodPut, "/stalled", addr, 1<<20)+"only a few bytes")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled PUT: %v", err)
	}
	body := readBody(resp)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>RequestTimeout</Code>") {
		t.Errorf("stalled PUT: %d %s", resp.StatusCode, body)
	}
	if onDisk(srv.Dir(), "stalled") {
		t.Errorf("a stalled upload was stored")
	}

	// A trickle (a byte every 100 ms, never a stall) is cut by the size-scaled budget.
	conn2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	_ = conn2.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(conn2, signedRaw(http.MethodPut, "/trickle", addr, 1<<20))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn2.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	resp, err = http.ReadResponse(bufio.NewReader(conn2), nil)
	if err != nil {
		t.Fatalf("no answer to a trickled PUT: %v", err)
	}
	body = readBody(resp)
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>RequestTimeout</Code>") {
		t.Errorf("trickled PUT: %d %s", resp.StatusCode, body)
	}
}

// A large GET whose client never reads is cut after the stall limit instead of holding
// its connection (and file) forever.
func TestUnreadGetIsCut(t *testing.T) {
	srv, endpoint := startReal(t, Timeouts{Stall: 300 * time.Millisecond, Base: 300 * time.Millisecond})
	const size = 64 << 20
	placeFile(t, srv.Dir(), "big", make([]byte, size))
	addr := strings.TrimPrefix(endpoint, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, signedRaw(http.MethodGet, "/big", addr, 0))
	time.Sleep(1500 * time.Millisecond) // read nothing
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return // cut before even the headers could be read: fine
	}
	n, err := io.Copy(io.Discard, resp.Body)
	var ne net.Error
	if err == nil || n >= size || errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("an unread GET was kept open: got %d of %d bytes, err %v", n, size, err)
	}
}

// Connections over the per-client cap are answered 503 SlowDown at once; a closed one
// frees its place.
func TestConnectionCap(t *testing.T) {
	_, endpoint := startReal(t, Timeouts{MaxConnsPerClient: 5})
	addr := strings.TrimPrefix(endpoint, "http://")
	var held []net.Conn
	for range 5 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept them
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = extra.SetDeadline(time.Now().Add(3 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(extra), nil)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("sixth connection: %v %v", resp, err)
	}
	extra.Close()
	for _, c := range held {
		c.Close()
	}
	time.Sleep(100 * time.Millisecond)
	c := sdkFor(endpoint, 5*time.Second)
	if _, err := c.Object.Put(context.Background(), "after", strings.NewReader("x"), nil); err != nil {
		t.Fatalf("after the held connections closed: %v", err)
	}
}
