package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// coscliPath finds Tencent's COSCLI: $LIGHTBOX_COSCLI, else shared/peers/coscli beside the
// repository (the project's copy, see its README).
func coscliPath(t *testing.T) string {
	if p := os.Getenv("LIGHTBOX_COSCLI"); p != "" {
		return p
	}
	dir, _ := filepath.Abs(".")
	for range 6 {
		p := filepath.Join(dir, "..", "shared", "peers", "coscli")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		dir = filepath.Dir(dir)
	}
	t.Skip("COSCLI is absent (../shared/peers/coscli beside the repository, or LIGHTBOX_COSCLI); skipping its conformance test")
	return ""
}

func TestCOSCLI(t *testing.T) {
	bin := coscliPath(t)
	s := startServer(t)
	home := t.TempDir()
	env := cleanEnv(home)
	// With --customized, COSCLI sends every request to the endpoint as given (Host
	// 127.0.0.1:PORT), which the server answers as its one bucket.
	cli := func(args ...string) (string, error) {
		// "Y" answers the confirmation sync --delete asks for.
		return runInput("Y\n", home, env, 3*time.Minute, bin, append(args, "--init-skip", "--customized", "-e", s.host, "-p", "http",
			"-i", secretID, "-k", secretKey)...)
	}
	b := "cos://" + bucket + "/"
	r := newReport(t, "coscli")

	small := filepath.Join(home, "small.txt")
	os.WriteFile(small, []byte("hello coscli\n"), 0o644)
	// Over COSCLI's default 32 MB part size, so the upload and the download go in parts.
	big := writeRandom(t, filepath.Join(home, "big.bin"), 33<<20+777, 11)
	src := filepath.Join(home, "src")
	tree(t, src, syncFiles)

	r.op("cp up with metadata flags", func() error {
		if _, err := cli("cp", small, b+"c/small.txt", "--meta",
			"Cache-Control:no-cache#Content-Disposition:attachment; filename=s.txt#Content-Type:text/plain#x-cos-meta-owner:me"); err != nil {
			return err
		}
		if err := s.sameStored("c/small.txt", []byte("hello coscli\n")); err != nil {
			return err
		}
		h, err := s.head("c/small.txt")
		if err != nil {
			return err
		}
		for name, want := range map[string]string{"Cache-Control": "no-cache", "Content-Disposition": "attachment; filename=s.txt",
			"Content-Type": "text/plain", "X-Cos-Meta-Owner": "me"} {
			if got := h.Get(name); got != want {
				return fmt.Errorf("%s is %q, want %q", name, got, want)
			}
		}
		return nil
	})
	r.op("cp up over the part size (33 MB, multipart)", func() error {
		if _, err := cli("cp", filepath.Join(home, "big.bin"), b+"c/big.bin"); err != nil {
			return err
		}
		if err := s.sameStored("c/big.bin", big); err != nil {
			return err
		}
		if h, err := s.head("c/big.bin"); err != nil || !strings.Contains(h.Get("ETag"), "-") {
			return fmt.Errorf("not uploaded in parts: ETag %q, %v", h.Get("ETag"), err)
		}
		return nil
	})
	r.op("cp down (multipart object)", func() error {
		dst := filepath.Join(home, "down", "big.bin")
		if _, err := cli("cp", b+"c/big.bin", dst); err != nil {
			return err
		}
		return sameFile(dst, big)
	})
	r.op("cp within the bucket (server-side copy)", func() error {
		if _, err := cli("cp", b+"c/big.bin", b+"c/copy.bin"); err != nil {
			return err
		}
		return s.sameStored("c/copy.bin", big)
	})
	r.op("ls -r", func() error {
		out, err := cli("ls", "-r", b)
		if err != nil {
			return err
		}
		if !strings.Contains(out, "c/small.txt") || !strings.Contains(out, "c/big.bin") {
			return fmt.Errorf("listing lacks the objects:\n%s", out)
		}
		return nil
	})
	r.op("ls (folders)", func() error {
		out, err := cli("ls", b)
		if err != nil {
			return err
		}
		if !strings.Contains(out, " c/ ") || strings.Contains(out, "%2F") {
			return fmt.Errorf("the folder c/ is not shown as such:\n%s", out)
		}
		return nil
	})
	r.op("du", func() error {
		out, err := cli("du", b+"c/")
		if err != nil {
			return err
		}
		if !strings.Contains(out, "Total Objects Count: 3") {
			return fmt.Errorf("du:\n%s", out)
		}
		return nil
	})
	r.op("cat", func() error {
		out, err := cli("cat", b+"c/small.txt")
		if err != nil {
			return err
		}
		if !strings.Contains(out, "hello coscli") {
			return fmt.Errorf("cat printed:\n%s", out)
		}
		return nil
	})
	r.op("hash (crc64 and md5)", func() error {
		out, err := cli("hash", b+"c/big.bin")
		if err != nil {
			return err
		}
		if want := strconv.FormatUint(crc64ECMA(big), 10); !strings.Contains(out, want) {
			return fmt.Errorf("crc64 %s not in:\n%s", want, out)
		}
		out, err = cli("hash", b+"c/small.txt", "--type", "md5")
		if err != nil {
			return err
		}
		if want := md5Hex([]byte("hello coscli\n")); !strings.Contains(out, want) {
			return fmt.Errorf("md5 %s not in:\n%s", want, out)
		}
		return nil
	})
	r.op("signurl (fetched over plain HTTP)", func() error {
		out, err := cli("signurl", b+"c/small.txt")
		if err != nil {
			return err
		}
		u := regexp.MustCompile(`http://\S+`).FindString(out)
		if u == "" {
			return fmt.Errorf("no URL in:\n%s", out)
		}
		got, err := fetch(u)
		if err != nil {
			return err
		}
		if string(got) != "hello coscli\n" {
			return fmt.Errorf("the signed URL gave %q", got)
		}
		return nil
	})
	r.op("sync up", func() error {
		if _, err := cli("sync", "-r", src+"/", b+"sync/"); err != nil {
			return err
		}
		return s.storedTree("sync/", syncFiles)
	})
	r.op("sync down", func() error {
		dst := filepath.Join(home, "syncdown")
		if _, err := cli("sync", "-r", b+"sync/", dst); err != nil {
			return err
		}
		return sameTree(dst, syncFiles)
	})
	r.op("sync up --delete", func() error {
		os.Remove(filepath.Join(src, "a.txt"))
		if _, err := cli("sync", "-r", src+"/", b+"sync/", "--delete"); err != nil {
			return err
		}
		return s.storedTree("sync/", without(syncFiles, "a.txt"))
	})
	r.op("sync down --delete", func() error {
		dst := filepath.Join(home, "syncdown")
		// COSCLI keeps what it deletes locally in a backup folder, which it insists on.
		if _, err := cli("sync", "-r", b+"sync/", dst, "--delete", "--backup-dir", filepath.Join(home, "backup")); err != nil {
			return err
		}
		return sameTree(dst, without(syncFiles, "a.txt"))
	})
	r.op("rm", func() error {
		if _, err := cli("rm", b+"c/small.txt", "-f"); err != nil {
			return err
		}
		if s.exists("c/small.txt") {
			return fmt.Errorf("c/small.txt is still there")
		}
		return nil
	})
	r.op("rm -r", func() error {
		if _, err := cli("rm", "-r", b+"sync/", "-f"); err != nil {
			return err
		}
		return s.storedTree("sync/", nil)
	})
}

func without(m map[string]string, drop string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k != drop {
			out[k] = v
		}
	}
	return out
}
