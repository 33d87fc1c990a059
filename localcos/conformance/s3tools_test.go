package conformance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The S3 tools address the bucket by path (/BUCKET/KEY) on the endpoint they are given,
// sign with AWS Signature V4 in the bucket's region, and split big uploads into parts.

var syncFiles = map[string]string{"a.txt": "alpha\n", "sub/b.txt": "bravo\n", "sub/deep/c.txt": "charlie\n"}

// bigSize is over every tool's multipart threshold used here (AWS CLI 8 MB, s3cmd 15 MB,
// rclone with --s3-upload-cutoff 5M).
const bigSize = 20<<20 + 12345

func TestAWSCLI(t *testing.T) {
	var bins []string
	seen := map[string]bool{}
	for _, candidate := range []string{"aws", "/usr/bin/aws"} {
		p, err := exec.LookPath(candidate)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil && !seen[real] {
			seen[real] = true
			bins = append(bins, p)
		}
	}
	if len(bins) == 0 {
		t.Skip("the AWS CLI is not installed (apt-get install awscli); skipping its conformance test")
	}
	for _, bin := range bins {
		out, err := exec.Command(bin, "--version").CombinedOutput()
		version, _, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
		if err != nil {
			t.Logf("%s does not run (%v): skipped", bin, err)
			continue
		}
		t.Run(version, func(t *testing.T) { awsSuite(t, bin, version) })
	}
}

func awsSuite(t *testing.T, bin, version string) {
	s := startServer(t)
	home := t.TempDir()
	cfg := filepath.Join(home, "config")
	os.WriteFile(cfg, []byte("[default]\nregion = "+region+"\n"), 0o600)
	env := cleanEnv(home, "AWS_ACCESS_KEY_ID="+secretID, "AWS_SECRET_ACCESS_KEY="+secretKey,
		"AWS_CONFIG_FILE="+cfg, "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "none"), "AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=")
	aws := func(args ...string) (string, error) {
		return run(home, env, 3*time.Minute, bin, append([]string{"--endpoint-url", "http://" + s.host}, args...)...)
	}
	s3suite(t, s, newReport(t, "aws-cli "+version), home, s3tool{
		ls: func(p string) (string, error) { return aws("s3", "ls", "--recursive", "s3://"+bucket+"/"+p) },
		put: func(local, key string) error {
			_, err := aws("s3", "cp", "--only-show-errors", local, "s3://"+bucket+"/"+key)
			return err
		},
		get: func(key, local string) error {
			_, err := aws("s3", "cp", "--only-show-errors", "s3://"+bucket+"/"+key, local)
			return err
		},
		rm: func(key string) error {
			_, err := aws("s3", "rm", "--only-show-errors", "s3://"+bucket+"/"+key)
			return err
		},
		rmr: func(p string) error {
			_, err := aws("s3", "rm", "--only-show-errors", "--recursive", "s3://"+bucket+"/"+p)
			return err
		},
		syncUp: func(dir, p string) error {
			_, err := aws("s3", "sync", "--only-show-errors", dir, "s3://"+bucket+"/"+p)
			return err
		},
		syncDown: func(p, dir string) error {
			_, err := aws("s3", "sync", "--only-show-errors", "s3://"+bucket+"/"+p, dir)
			return err
		},
		syncUpDelete: func(dir, p string) error {
			_, err := aws("s3", "sync", "--only-show-errors", "--delete", dir, "s3://"+bucket+"/"+p)
			return err
		},
	})
}

func TestS3cmd(t *testing.T) {
	bin := tool(t, "s3cmd", "apt-get install s3cmd")
	s := startServer(t)
	home := t.TempDir()
	cfg := filepath.Join(home, "s3cfg")
	os.WriteFile(cfg, []byte(s3cmdConfig(s.host)), 0o600)
	env := cleanEnv(home)
	s3c := func(args ...string) (string, error) {
		return run(home, env, 3*time.Minute, bin, append([]string{"-c", cfg, "--no-progress"}, args...)...)
	}
	s3suite(t, s, newReport(t, "s3cmd"), home, s3tool{
		ls:  func(p string) (string, error) { return s3c("ls", "--recursive", "s3://"+bucket+"/"+p) },
		put: func(local, key string) error { _, err := s3c("put", local, "s3://"+bucket+"/"+key); return err },
		get: func(key, local string) error {
			_, err := s3c("get", "--force", "s3://"+bucket+"/"+key, local)
			return err
		},
		rm:       func(key string) error { _, err := s3c("del", "s3://"+bucket+"/"+key); return err },
		rmr:      func(p string) error { _, err := s3c("del", "--recursive", "--force", "s3://"+bucket+"/"+p); return err },
		syncUp:   func(dir, p string) error { _, err := s3c("sync", dir+"/", "s3://"+bucket+"/"+p); return err },
		syncDown: func(p, dir string) error { _, err := s3c("sync", "s3://"+bucket+"/"+p, dir+"/"); return err },
		syncUpDelete: func(dir, p string) error {
			_, err := s3c("sync", "--delete-removed", dir+"/", "s3://"+bucket+"/"+p)
			return err
		},
	})
}

// s3cmdConfig is a ready s3cmd configuration for a lightbox serve at host (README has it too).
func s3cmdConfig(host string) string {
	return "[default]\naccess_key = " + secretID + "\nsecret_key = " + secretKey + "\nhost_base = " + host +
		"\nhost_bucket = " + host + "\nbucket_location = " + region + "\nuse_https = False\nsignature_v2 = False\n"
}

func TestRclone(t *testing.T) {
	bin := tool(t, "rclone", "apt-get install rclone")
	s := startServer(t)
	home := t.TempDir()
	cfg := filepath.Join(home, "rclone.conf")
	os.WriteFile(cfg, []byte("[lb]\ntype = s3\nprovider = TencentCOS\naccess_key_id = "+secretID+
		"\nsecret_access_key = "+secretKey+"\nendpoint = http://"+s.host+"\nregion = "+region+"\n"), 0o600)
	// The TencentCOS provider always addresses the bucket as BUCKET.ENDPOINT-HOST, a name
	// no resolver knows; sending rclone's requests through the server as its HTTP proxy
	// delivers them without any name lookup (the server reads the bucket from Host).
	env := cleanEnv(home, "RCLONE_CONFIG="+cfg, "HTTP_PROXY=http://"+s.host)
	rc := func(args ...string) (string, error) {
		return run(home, env, 3*time.Minute, bin, append([]string{"-q", "--retries", "1", "--low-level-retries", "2",
			"--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M"}, args...)...)
	}
	r := newReport(t, "rclone (TencentCOS provider)")
	s3suite(t, s, r, home, s3tool{
		ls:       func(p string) (string, error) { return rc("ls", "lb:"+bucket+"/"+p) },
		put:      func(local, key string) error { _, err := rc("copyto", local, "lb:"+bucket+"/"+key); return err },
		get:      func(key, local string) error { _, err := rc("copyto", "lb:"+bucket+"/"+key, local); return err },
		rm:       func(key string) error { _, err := rc("deletefile", "lb:"+bucket+"/"+key); return err },
		rmr:      func(p string) error { _, err := rc("delete", "lb:"+bucket+"/"+p); return err },
		syncUp:   func(dir, p string) error { _, err := rc("copy", dir, "lb:"+bucket+"/"+p); return err },
		syncDown: func(p, dir string) error { _, err := rc("sync", "lb:"+bucket+"/"+p, dir); return err },
		syncUpDelete: func(dir, p string) error {
			_, err := rc("sync", dir, "lb:"+bucket+"/"+p)
			return err
		},
		check: func(dir, p string) error { _, err := rc("check", dir, "lb:"+bucket+"/"+p); return err },
	})
}

// s3tool is one S3 client's way of doing each ordinary operation.
type s3tool struct {
	ls                             func(prefix string) (string, error)
	put                            func(local, key string) error
	get                            func(key, local string) error
	rm                             func(key string) error
	rmr                            func(prefix string) error
	syncUp, syncDown, syncUpDelete func(a, b string) error
	check                          func(dir, prefix string) error // rclone only
}

// s3suite runs the same operations with any S3 tool and checks the server's folder and the
// local files after each.
func s3suite(t *testing.T, s *server, r *report, home string, c s3tool) {
	small := filepath.Join(home, "small.txt")
	os.WriteFile(small, []byte("hello s3\n"), 0o644)
	bigData := writeRandom(t, filepath.Join(home, "big.bin"), bigSize, 7)
	src := filepath.Join(home, "src")
	tree(t, src, syncFiles)

	r.op("cp up", func() error {
		if err := c.put(small, "t/small.txt"); err != nil {
			return err
		}
		return s.sameStored("t/small.txt", []byte("hello s3\n"))
	})
	r.op("cp up multipart (20 MB)", func() error {
		if err := c.put(filepath.Join(home, "big.bin"), "t/big.bin"); err != nil {
			return err
		}
		if err := s.sameStored("t/big.bin", bigData); err != nil {
			return err
		}
		h, err := s.head("t/big.bin")
		if err != nil {
			return err
		}
		if !strings.Contains(h.Get("ETag"), "-") {
			return fmt.Errorf("ETag %s is not a multipart ETag: the upload was not multipart", h.Get("ETag"))
		}
		return nil
	})
	r.op("ls", func() error {
		out, err := c.ls("t/")
		if err != nil {
			return err
		}
		if !strings.Contains(out, "small.txt") || !strings.Contains(out, "big.bin") || !strings.Contains(out, fmt.Sprint(bigSize)) {
			return fmt.Errorf("listing lacks the objects:\n%s", out)
		}
		return nil
	})
	r.op("cp down", func() error {
		dst := filepath.Join(home, "down", "small.txt")
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := c.get("t/small.txt", dst); err != nil {
			return err
		}
		return sameFile(dst, []byte("hello s3\n"))
	})
	r.op("cp down multipart object", func() error {
		dst := filepath.Join(home, "down", "big.bin")
		if err := c.get("t/big.bin", dst); err != nil {
			return err
		}
		return sameFile(dst, bigData)
	})
	r.op("sync up", func() error {
		if err := c.syncUp(src, "sync/"); err != nil {
			return err
		}
		return s.storedTree("sync/", syncFiles)
	})
	if c.check != nil {
		r.op("check", func() error { return c.check(src, "sync/") })
	}
	r.op("sync down", func() error {
		dst := filepath.Join(home, "syncdown")
		if err := c.syncDown("sync/", dst); err != nil {
			return err
		}
		return sameTree(dst, syncFiles)
	})
	r.op("sync up with delete", func() error {
		os.Remove(filepath.Join(src, "a.txt"))
		defer os.WriteFile(filepath.Join(src, "a.txt"), []byte(syncFiles["a.txt"]), 0o644)
		if err := c.syncUpDelete(src, "sync/"); err != nil {
			return err
		}
		left := map[string]string{}
		for k, v := range syncFiles {
			if k != "a.txt" {
				left[k] = v
			}
		}
		return s.storedTree("sync/", left)
	})
	r.op("rm", func() error {
		if err := c.rm("t/small.txt"); err != nil {
			return err
		}
		if s.exists("t/small.txt") {
			return fmt.Errorf("t/small.txt is still there")
		}
		return nil
	})
	r.op("rm recursive", func() error {
		if err := c.rmr("sync/"); err != nil {
			return err
		}
		return s.storedTree("sync/", nil)
	})
}
