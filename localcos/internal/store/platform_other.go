//go:build !unix

package store

import (
	"io/fs"
	"os"
)

// inodeOf has no portable answer off Unix; size and mtime still identify a version.
func inodeOf(fs.FileInfo) uint64 { return 0 }

const openReadFlags = os.O_RDONLY

func readDirEntries(f *os.File) ([]fs.DirEntry, error) { return f.ReadDir(-1) }
