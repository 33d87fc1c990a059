//go:build unix

package store

import (
	"io/fs"
	"os"
	"syscall"
)

func inodeOf(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

// openReadFlags keeps Open from blocking if a key was swapped for a FIFO
// between the stat and the open; the fstat afterwards rejects it.
const openReadFlags = os.O_RDONLY | syscall.O_NONBLOCK

// readDirEntries reads all entries of folder f, opened through an os.Root.
// ReadDir on such a handle lstats every entry (it cannot trust d_type
// lazily), which made reading a 100,000-file folder ten times slower; a
// duplicate descriptor of the same, already confined folder reads d_type
// as plain handles do, and falls back to fstatat on that descriptor.
func readDirEntries(f *os.File) ([]fs.DirEntry, error) {
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return f.ReadDir(-1)
	}
	dup := os.NewFile(uintptr(fd), f.Name())
	defer dup.Close()
	return dup.ReadDir(-1)
}
