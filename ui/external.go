package ui

import (
	"os"
	"os/exec"
	"path"
	"runtime"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// The external viewer: O downloads the image under the cursor to a temporary file and
// hands the terminal to $LIGHTBOX_VIEWER (or the desktop's opener) until it exits.

type externalReadyMsg struct {
	file string
	err  error
}

type externalDoneMsg struct {
	file  string
	waits bool // the viewer has exited: the file can go now
	err   error
}

// maxExternalBytes bounds a download for the external viewer.
const maxExternalBytes = 256 << 20

// viewerCommand is the viewer for file; waits is whether the command returns only when the
// viewer is done with the file ($LIGHTBOX_VIEWER is run in the foreground; xdg-open and
// open hand the file to another program and return at once).
func viewerCommand(file string) (cmd *exec.Cmd, waits, ok bool) {
	if v := strings.TrimSpace(os.Getenv("LIGHTBOX_VIEWER")); v != "" {
		// Through the shell so the variable may carry arguments ("kitten icat --hold").
		return exec.Command("sh", "-c", v+` "$1"`, "lightbox-viewer", file), true, true
	}
	opener := "xdg-open"
	if runtime.GOOS == "darwin" {
		opener = "open"
	}
	if _, err := exec.LookPath(opener); err != nil {
		return nil, false, false
	}
	return exec.Command(opener, file), false, true
}

func (m *Model) openExternal() tea.Cmd {
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		return nil
	}
	if _, _, ok := viewerCommand(""); !ok {
		return m.setStatus(true, "no external viewer: set LIGHTBOX_VIEWER (e.g. \"kitten icat --hold\" or \"feh\")")
	}
	b, key, ctx := m.opt.Backend, it.Key, m.ctx
	return func() tea.Msg {
		data, err := b.Preview(ctx, key, 0, maxExternalBytes)
		if err != nil {
			return externalReadyMsg{err: err}
		}
		f, err := os.CreateTemp("", "lightbox-*"+path.Ext(key))
		if err != nil {
			return externalReadyMsg{err: err}
		}
		_, werr := f.Write(data)
		cerr := f.Close()
		if werr != nil || cerr != nil {
			_ = os.Remove(f.Name())
			if werr == nil {
				werr = cerr
			}
			return externalReadyMsg{err: werr}
		}
		return externalReadyMsg{file: f.Name()}
	}
}

func (m *Model) onExternalReady(msg externalReadyMsg) tea.Cmd {
	if msg.err != nil {
		return m.setStatus(true, "cannot open the image: %s", reason(msg.err))
	}
	cmd, waits, ok := viewerCommand(msg.file)
	if !ok {
		return removeFile(msg.file)
	}
	file := msg.file
	if !waits {
		// The opener returns before the viewer has read the file: keep it until exit.
		m.tempFiles = append(m.tempFiles, file)
	}
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return externalDoneMsg{file: file, waits: waits, err: err} })
}

func (m *Model) onExternalDone(msg externalDoneMsg) tea.Cmd {
	var status, remove tea.Cmd
	if msg.err != nil {
		status = m.setStatus(true, "the viewer failed: %v", msg.err)
	}
	if msg.waits {
		remove = removeFile(msg.file)
	}
	return tea.Batch(status, remove)
}

func removeFile(name string) tea.Cmd {
	return func() tea.Msg {
		_ = os.Remove(name) // a leftover temp file is harmless
		return nil
	}
}
