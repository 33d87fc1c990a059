package localcos

import (
	"net"
	"strconv"
	"sync"
	"time"
)

// connLimiter caps open connections in all and per client address, so that a flood from
// one client cannot take every file descriptor. A connection over the cap is answered 503
// SlowDown at once and closed.
type connLimiter struct {
	net.Listener
	total, perClient int

	mu      sync.Mutex
	open    int
	byHost  map[string]int
	refusal chan struct{} // bounds the goroutines writing 503s
}

func newConnLimiter(ln net.Listener, t Timeouts) *connLimiter {
	return &connLimiter{Listener: ln, total: t.MaxConns, perClient: t.MaxConnsPerClient,
		byHost: map[string]int{}, refusal: make(chan struct{}, 64)}
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := c.RemoteAddr().String()
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		l.mu.Lock()
		ok := l.open < l.total && l.byHost[host] < l.perClient
		if ok {
			l.open++
			l.byHost[host]++
		}
		l.mu.Unlock()
		if ok {
			return &limitedConn{Conn: c, release: func() { l.release(host) }}, nil
		}
		select {
		case l.refusal <- struct{}{}:
			go func() {
				defer func() { <-l.refusal }()
				refuseConn(c)
			}()
		default:
			c.Close() // already busy refusing: just hang up
		}
	}
}

func (l *connLimiter) release(host string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byHost[host]--; l.byHost[host] <= 0 {
		delete(l.byHost, host)
	}
}

// refuseConn answers 503 SlowDown, as COS does when asked too much, within a second.
func refuseConn(c net.Conn) {
	defer c.Close()
	body := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><Code>SlowDown</Code><Message>Too many open connections; please reduce your request rate.</Message></Error>`
	_ = c.SetDeadline(time.Now().Add(time.Second))
	_, _ = c.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nConnection: close\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body))
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
