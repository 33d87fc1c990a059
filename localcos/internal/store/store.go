package store

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// MetaDirName is the hidden folder inside DIR that holds the store's own
// files; it is never listed and no key can address it.
const MetaDirName = ".lightbox-cos"

const (
	metaDBPath = MetaDirName + "/meta.db"
	tmpPath    = MetaDirName + "/tmp"
)

// bbolt buckets.
var (
	objectsBucket     = []byte("objects")     // key → record
	assessmentsBucket = []byte("assessments") // key → assessment
)

const defaultLockTimeout = time.Second

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process's lock on
	// meta.db before giving up with ErrLocked (default 1s).
	LockTimeout time.Duration
	// MetaDir, when set, keeps meta.db there instead of in DIR/.lightbox-cos and
	// writes nothing into DIR: the store of a folder that cannot be written (a
	// read-only mount, someone else's pictures). The caller must then refuse every
	// change to objects; only metadata (ETags, cached assessments) is recorded.
	MetaDir string
}

// Store serves one folder as a bucket. Its methods are safe for concurrent use.
type Store struct {
	dir  string
	root *os.Root
	db   *bolt.DB

	// keyLocks serialise mutations of one key (striped by key hash).
	keyLocks [64]sync.Mutex
	// folderLock guards the existence of parent folders: writers that create
	// a folder and rename into it hold it shared, Delete's pruning of empty
	// folders holds it exclusively, so a folder is never removed between
	// being created and being filled.
	folderLock sync.RWMutex

	listings *folderCache
	// racyWindow: a folder modified this recently may change again within
	// the same filesystem timestamp tick, so its listing is not cached.
	racyWindow time.Duration

	// wrapTemp lets tests inject write failures (disk full) into Put.
	wrapTemp func(w io.Writer) io.Writer
}

// Open opens the store for the folder dir, creating DIR/.lightbox-cos with
// meta.db and tmp/ when needed, and removes temp files a killed process left.
func Open(dir string, opt Options) (*Store, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("store: %s is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{dir: dir, root: root, listings: newFolderCache(defaultCacheEntries), racyWindow: 2 * time.Second}
	if err := s.openDB(opt); err != nil {
		root.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openDB(opt Options) error {
	if opt.MetaDir != "" {
		return s.openOutsideDB(opt)
	}
	for _, p := range []string{MetaDirName, tmpPath} {
		if err := s.root.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("store: cannot create %s in %s (the folder must be writable): %w", p, s.dir, err)
		}
		// A symlink here could send metadata or temp files outside DIR.
		if fi, err := s.root.Lstat(p); err != nil || !fi.IsDir() {
			return fmt.Errorf("store: %s is not a directory", filepath.Join(s.dir, p))
		}
	}
	if fi, err := s.root.Lstat(metaDBPath); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("store: %s is not a regular file", filepath.Join(s.dir, metaDBPath))
	}
	timeout := opt.LockTimeout
	if timeout <= 0 {
		timeout = defaultLockTimeout
	}
	dbFile := filepath.Join(s.dir, metaDBPath)
	db, err := bolt.Open(dbFile, 0o600, &bolt.Options{
		Timeout: timeout,
		OpenFile: func(_ string, flag int, perm os.FileMode) (*os.File, error) {
			return s.root.OpenFile(metaDBPath, flag, perm)
		},
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("%w: %s is locked (waited %v); stop the other process or serve another folder", ErrLocked, dbFile, timeout)
	}
	if err != nil {
		return fmt.Errorf("store: opening %s: %w", dbFile, err)
	}
	// Assessment writes come in bursts from parallel scorers; a short batch
	// window shares their fsyncs without delaying a lone caller much.
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{objectsBucket, assessmentsBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		// Only now, holding the lock, can no other process be writing there.
		err = s.cleanTmp()
	}
	if err == nil {
		s.db = db // cleanUploads records through it
		err = s.cleanUploads()
	}
	if err != nil {
		db.Close()
		return fmt.Errorf("store: opening %s: %w", dbFile, err)
	}
	s.db = db
	return nil
}

// openOutsideDB opens meta.db in opt.MetaDir, for a folder the store must not write.
func (s *Store) openOutsideDB(opt Options) error {
	if err := os.MkdirAll(opt.MetaDir, 0o700); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	dbFile := filepath.Join(opt.MetaDir, "meta.db")
	db, err := bolt.Open(dbFile, 0o600, &bolt.Options{Timeout: cmp.Or(opt.LockTimeout, defaultLockTimeout)})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("%w: %s is locked; stop the other process or serve another folder", ErrLocked, dbFile)
	}
	if err != nil {
		return fmt.Errorf("store: opening %s: %w", dbFile, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{objectsBucket, assessmentsBucket} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return fmt.Errorf("store: opening %s: %w", dbFile, err)
	}
	s.db = db
	return nil
}

func (s *Store) cleanTmp() error {
	f, err := s.root.Open(tmpPath)
	if err != nil {
		return err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := s.root.RemoveAll(tmpPath + "/" + name); err != nil {
			return err
		}
	}
	return nil
}

// Close releases the database and its lock. Calls in flight must have returned.
func (s *Store) Close() error {
	err := s.db.Close()
	if cerr := s.root.Close(); err == nil {
		err = cerr
	}
	return err
}

// Dir is the folder the store serves, as given to Open.
func (s *Store) Dir() string { return s.dir }

// lockKey serialises mutations of key and returns the unlock function.
func (s *Store) lockKey(key string) func() {
	// FNV-1a, inline so the hot path does not allocate a hasher.
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	m := &s.keyLocks[h%uint32(len(s.keyLocks))]
	m.Lock()
	return m.Unlock
}
