package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lightbox/quality/synth"
)

// TestKeyLatencyInTmux measures, in a real terminal, the time from a key press to the
// frame that shows it: once while the reviewer scores a folder of generated photos, once
// with scoring paused (p). It is a measurement, not a check, so it runs only when asked:
//
//	LIGHTBOX_KEY_LATENCY=1 go test -count=1 -run KeyLatency -v .
//
// LIGHTBOX_KEY_LATENCY_N sets the key presses per phase (default 40),
// LIGHTBOX_KEY_LATENCY_BIN measures another build of lightbox instead of this tree's.
//
// Keys go in and the screen comes out through one tmux control-mode client: each %output
// notification of the pane is followed at once by a capture-pane through the same client,
// so no process is started while timing. A key's latency is from sending it to the
// arrival of the output after which the detail pane names another image.
func TestKeyLatencyInTmux(t *testing.T) {
	if os.Getenv("LIGHTBOX_KEY_LATENCY") == "" {
		t.Skip("a measurement: set LIGHTBOX_KEY_LATENCY=1 to run it")
	}
	n := 40
	if v, err := strconv.Atoi(os.Getenv("LIGHTBOX_KEY_LATENCY_N")); err == nil && v > 0 {
		n = v
	}
	bin := os.Getenv("LIGHTBOX_KEY_LATENCY_BIN")
	if bin == "" {
		bin = buildForTmux(t)
	}

	const images = 200
	folder := t.TempDir()
	for i := range images {
		data := synth.EncodeJPEG(synth.Scene(uint64(i), 640, 480), 90)
		if err := os.WriteFile(filepath.Join(folder, fmt.Sprintf("IMG_%04d.jpg", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	home := t.TempDir()
	env := homeEnv(home, "TERM=xterm-256color", "COLORTERM=truecolor")
	s := startTmux(t, 110, 32, env, bin, "--no-cache", folder)
	s.waitFor("the listing and the first scores", 60*time.Second, func(scr string) bool {
		return strings.Contains(scr, fmt.Sprintf("%d listed", images)) && scoredRe.MatchString(scr)
	})

	c := attachControl(t, s.name)
	scored := func() string { return scoredRe.FindString(c.capture()) }

	// Scoring starts by itself: measure while it runs, then pause and let the images in
	// flight finish before measuring again.
	startScored := scored()
	busy := c.measure(t, "j", n)
	endScored := scored()
	c.run("send-keys -t " + c.target + " p")
	time.Sleep(500 * time.Millisecond)
	if !strings.Contains(c.capture(), "paused") {
		t.Fatal("p did not pause scoring")
	}
	for last := ""; ; time.Sleep(2 * time.Second) {
		now := scored()
		if now == last {
			break
		}
		last = now
	}
	idle := c.measure(t, "k", n)

	load, _ := os.ReadFile("/proc/loadavg")
	report := fmt.Sprintf("key to frame, %d keys each, %d CPUs (GOMAXPROCS %d), load average %s\n"+
		"  paused : median %5.1f ms  p90 %5.1f ms\n"+
		"  scoring: median %5.1f ms  p90 %5.1f ms  (%s at the start, %s at the end)\n"+
		"  scoring - paused: median %+.1f ms, p90 %+.1f ms",
		n, runtime.NumCPU(), runtime.GOMAXPROCS(0), strings.TrimSpace(string(load)),
		ms(percentile(idle, 50)), ms(percentile(idle, 90)),
		ms(percentile(busy, 50)), ms(percentile(busy, 90)), startScored, endScored,
		ms(percentile(busy, 50)-percentile(idle, 50)), ms(percentile(busy, 90)-percentile(idle, 90)))
	fmt.Println(report)
	t.Log("\n" + report)
	if m := scoredRe.FindStringSubmatch(endScored); m == nil || m[1] == m[2] {
		t.Errorf("scoring was over (%s) before the scoring phase ended: the numbers above do not measure it", endScored)
	}
	c.run("send-keys -t " + c.target + " q")
}

var scoredRe = regexp.MustCompile(`scored (\d+)/(\d+)`)

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile is the p-th percentile (nearest rank) of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Sorted(slices.Values(ds))
	i := (p*len(s)+99)/100 - 1
	return s[max(i, 0)]
}

// controlClient is a tmux control-mode client (tmux -C) attached to one session.
type controlClient struct {
	t      *testing.T
	target string
	in     io.WriteCloser
	lines  chan controlLine
	output time.Time // arrival of the last %output notification read
}

type controlLine struct {
	text string
	at   time.Time
}

func attachControl(t *testing.T, session string) *controlClient {
	t.Helper()
	cmd := exec.Command("tmux", "-C", "attach-session", "-t", session)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &controlClient{t: t, target: session, in: in, lines: make(chan controlLine, 1<<16)}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			c.lines <- controlLine{sc.Text(), time.Now()}
		}
		close(c.lines)
	}()
	t.Cleanup(func() {
		in.Close()
		_ = cmd.Wait()
	})
	// The attach itself is answered by a %begin/%end block: skip past it and everything
	// else to the end of the reply to our first command, after which each reply read is
	// the one to the command just sent.
	const hello = "lightbox-latency-ready"
	if _, err := io.WriteString(in, "display-message -p "+hello+"\n"); err != nil {
		t.Fatal(err)
	}
	for c.next().text != hello {
	}
	for !strings.HasPrefix(c.next().text, "%end ") {
	}
	if got := c.run("display-message -p in-step"); !slices.Equal(got, []string{"in-step"}) {
		t.Fatalf("tmux control replies out of step: %q", got)
	}
	return c
}

// next is the next line from tmux; it fails the test after 10 s of silence.
func (c *controlClient) next() controlLine {
	c.t.Helper()
	select {
	case l, ok := <-c.lines:
		if !ok {
			c.t.Fatal("the tmux control client exited")
		}
		if strings.HasPrefix(l.text, "%output ") {
			c.output = l.at
		}
		return l
	case <-time.After(10 * time.Second):
		c.t.Fatal("tmux sent nothing for 10 s")
	}
	panic("unreachable")
}

// run sends one command and returns the lines of the next reply block; notifications
// read meanwhile only update c.output.
func (c *controlClient) run(command string) []string {
	c.t.Helper()
	if _, err := io.WriteString(c.in, command+"\n"); err != nil {
		c.t.Fatal(err)
	}
	for !strings.HasPrefix(c.next().text, "%begin ") {
	}
	var reply []string
	for {
		l := c.next()
		if strings.HasPrefix(l.text, "%end ") || strings.HasPrefix(l.text, "%error ") {
			return reply
		}
		reply = append(reply, l.text)
	}
}

func (c *controlClient) capture() string {
	return strings.Join(c.run("capture-pane -p -t "+c.target), "\n")
}

// selected is the name the detail pane shows: the first line right of the list.
func selected(screen string) string {
	lines := strings.Split(screen, "\n")
	if len(lines) < 3 {
		return ""
	}
	_, right, ok := strings.Cut(lines[2], "│")
	if !ok {
		return ""
	}
	return strings.TrimSpace(right)
}

// measure presses key n times, each after a pause, and returns the time from each press
// to the output that first shows another image selected.
func (c *controlClient) measure(t *testing.T, key string, n int) []time.Duration {
	t.Helper()
	var out []time.Duration
	for i := range n {
		time.Sleep(time.Duration(150+(i*37)%100) * time.Millisecond) // off any frame rhythm
		before := selected(c.capture())
		for try := 0; before == "" && try < 50; try++ { // a capture mid-frame: look again
			time.Sleep(20 * time.Millisecond)
			before = selected(c.capture())
		}
		if before == "" {
			t.Fatalf("no image selected on the screen:\n%s", c.capture())
		}
		start := time.Now()
		c.run("send-keys -t " + c.target + " " + key)
		deadline := start.Add(5 * time.Second)
		for {
			if !c.output.After(start) {
				// Wait for the pane's next output; nothing on screen changes without one.
				for !strings.HasPrefix(c.next().text, "%output ") {
				}
			}
			// The capture shows every output that arrived before its reply; the last of
			// those is when the change reached the terminal at the latest.
			if now := selected(c.capture()); now != before && now != "" {
				out = append(out, c.output.Sub(start))
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not change the selection from %q in 5 s", key, before)
			}
			c.output = time.Time{} // what came so far is on screen: wait for more
		}
	}
	return out
}
