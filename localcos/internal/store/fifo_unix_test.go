//go:build unix

package store

import "syscall"

func mkfifo(path string) { syscall.Mkfifo(path, 0o644) }
