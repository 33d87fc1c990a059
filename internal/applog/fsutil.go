package applog

import (
	"os"
)

// Logs name what a bucket holds (object keys, scores): only the owner may read them.
const (
	dirMode  = 0o700
	fileMode = 0o600
)

// syncDir makes a created or renamed entry in dir durable. Some filesystems refuse to fsync a
// directory; the entry then is as durable as that filesystem allows, which is not worth failing
// an open or a compaction over (the data itself was fsync'd).
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// openCreate opens path for appending, creating it if needed, and reports whether it did.
func openCreate(path string) (f *os.File, created bool, err error) {
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_EXCL, fileMode)
	if err == nil {
		return f, true, nil
	}
	if !os.IsExist(err) {
		return nil, false, err
	}
	f, err = os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	return f, false, err
}
