package quality

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"sync"
)

// CodeUnreadable is for a file that could not be read at all (missing, a directory, no
// permission); it is a batch error, never returned by Assess.
const CodeUnreadable Code = "FileUnreadable"

// FileResult is the outcome for one file of a batch.
type FileResult struct {
	Path   string
	Result Result
	Err    *Error // nil on success
}

// AssessFiles assesses every path with up to jobs files in flight (jobs <= 0: one per CPU)
// and calls emit once per path, in argument order, from the calling goroutine. A file
// that fails never stops the others. A cancelled ctx stops starting new files.
func AssessFiles(ctx context.Context, paths []string, jobs int, opt Options, emit func(FileResult)) {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	results := make([]chan FileResult, len(paths))
	for i := range results {
		results[i] = make(chan FileResult, 1)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	go func() {
		for i, p := range paths {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] <- FileResult{Path: p, Err: errorf(CodeUnreadable, ctx.Err(), "not assessed: %v", ctx.Err())}
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				results[i] <- assessFile(p, opt)
			}()
		}
		wg.Wait()
	}()
	for _, ch := range results {
		emit(<-ch)
	}
}

func assessFile(path string, opt Options) FileResult {
	fr := FileResult{Path: path}
	data, release, err := readForDecode(path)
	if err != nil {
		var qe *Error
		if !errors.As(err, &qe) {
			qe = errorf(CodeUnreadable, err, "%s", readProblem(err))
		}
		fr.Err = qe
		return fr
	}
	defer release()
	res, err := AssessWithOptions(data, opt)
	if err != nil {
		var qe *Error
		if errors.As(err, &qe) {
			fr.Err = qe
		} else {
			fr.Err = errorf(CodeCorrupt, err, "%v", err)
		}
		return fr
	}
	fr.Result = res
	return fr
}

func readProblem(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.As(err, &pe):
		return fmt.Sprintf("cannot read: %v", pe.Err)
	}
	return err.Error()
}

// readForDecode refuses what is plainly not an image from its first bytes, then waits for
// room under the decode memory budget before reading the whole file.
func readForDecode(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a regular file", path)
	}
	prefix := make([]byte, SniffBytes)
	n, err := io.ReadFull(f, prefix)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, nil, err
	}
	if err := CheckFormat(prefix[:n], fi.Size()); err != nil {
		return nil, nil, err
	}
	release, err = decodeMemory.Acquire(context.Background(), DecodeCost(fi.Size()))
	if err != nil {
		return nil, nil, err
	}
	data = make([]byte, 0, fi.Size()+1)
	data = append(data, prefix[:n]...)
	buf := bytes.NewBuffer(data)
	if _, err := buf.ReadFrom(f); err != nil {
		release()
		return nil, nil, err
	}
	return buf.Bytes(), release, nil
}
