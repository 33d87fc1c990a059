//go:build !unix

package store

func mkfifo(string) {}
