package journal

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const (
	helperEnv   = "JOURNAL_TEST_HELPER_PATH"
	helperIDEnv = "JOURNAL_TEST_HELPER_ID"
	helperSteps = 30 // each an intent and an outcome
)

// TestHelperProcess is the body of a child of TestMultiProcess, not a test: it journals its own
// batch, intents in small groups, then their outcomes.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("child process body for TestMultiProcess")
	}
	id, _ := strconv.Atoi(os.Getenv(helperIDEnv))
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	batch := fmt.Sprintf("child-%d", id)
	for i := 0; i < helperSteps; i += 3 {
		intents, err := j.AppendMany([]Record{intent(batch, ActionTag, i), intent(batch, ActionTag, i+1), intent(batch, ActionTag, i+2)})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range intents {
			if _, err := j.Append(in.Done()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMultiProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("in a child")
	}
	path := tempPath(t)
	watcher := open(t, path)
	const children = 3
	var cmds []*exec.Cmd
	for id := range children {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+path, helperIDEnv+"="+strconv.Itoa(id))
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child %d:\n%s", id, out)
			}
		})
	}
	for id, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v", id, err)
		}
	}
	for _, j := range []*Journal{watcher, open(t, path)} {
		rs := mustRecords(t, j)
		if len(rs) != children*helperSteps*2 || j.Skipped() != 0 {
			t.Fatalf("%d records, %d skipped", len(rs), j.Skipped())
		}
		checkSeqs(t, rs)
		for id := range children {
			b := mustBatch(t, j, fmt.Sprintf("child-%d", id))
			if b.Intents != helperSteps || b.Done != helperSteps || !b.Complete || b.Unmatched != 0 {
				t.Fatalf("batch %+v", b)
			}
		}
	}
}
