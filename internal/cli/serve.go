package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lightbox/localcos"
)

// shutdownGrace is how long in-flight requests get to finish after Ctrl-C.
const shutdownGrace = 30 * time.Second

type serveFlags struct {
	addr, bucket, region, limits string
	secretID, secretKey, token   string
	latency                      string
	failRate, dropRate, qps      float64
	seed                         int64
	quiet                        bool
}

func newServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve [flags] DIR",
		Short: "Serve a folder as a COS bucket, AssessQuality included",
		Long: "Serve DIR over the COS XML API on loopback, so that lightbox, cos-go-sdk-v5 programs and\n" +
			"COSCLI can use it like a real bucket. Every request is signature-checked. With no\n" +
			"credentials given (flags, or COS_SECRETID and COS_SECRETKEY), a key pair is generated\n" +
			"once and kept in a 0600 file; the secret key is never printed.\n\n" +
			"Fault flags make it misbehave on purpose, reproducibly with --seed, for testing clients.",
		Example: "  lightbox serve ~/Pictures\n" +
			"  lightbox serve --addr 127.0.0.1:9000 --bucket photos-1250000000 ./photos\n" +
			"  lightbox serve --latency 20ms-80ms --fail-rate 0.1 --throttle-qps 5 --seed 7 ./photos",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return errorfUsage("serve needs exactly one DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:7070", "address to listen on (port 0 picks a free one)")
	fl.StringVar(&f.bucket, "bucket", localcos.DefaultBucket, "bucket name, NAME-APPID")
	fl.StringVar(&f.region, "region", localcos.DefaultRegion, "region the bucket claims to be in")
	fl.StringVar(&f.limits, "limits", "cos", "the AssessQuality input limits: cos (4 MB after base64, like the cloud) or local (none)")
	fl.StringVar(&f.secretID, "secret-id", "", "accepted SecretId (default $COS_SECRETID, else generated)")
	fl.StringVar(&f.secretKey, "secret-key", "", "accepted SecretKey (default $COS_SECRETKEY, else generated)")
	fl.StringVar(&f.token, "session-token", "", "require this x-cos-security-token, as with STS temporary keys (default $COS_SESSIONTOKEN)")
	fl.StringVar(&f.latency, "latency", "", "added latency per request: 50ms, or a range such as 20ms-80ms")
	fl.Float64Var(&f.failRate, "fail-rate", 0, "share of requests answered 500 InternalError or 503 SlowDown (0..1)")
	fl.Float64Var(&f.dropRate, "drop-rate", 0, "share of requests whose connection is cut mid-response (0..1)")
	fl.Float64Var(&f.qps, "throttle-qps", 0, "at most this many AssessQuality calls per second before answering 503 SlowDown (0 = no cap)")
	fl.Int64Var(&f.seed, "seed", 1, "seed that makes the injected faults reproducible")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "do not log each request to stderr")
	return cmd
}

func runServe(ctx context.Context, cmd *cobra.Command, dir string, f serveFlags) error {
	limits, err := localcos.ParseLimits(f.limits)
	if err != nil {
		return usageError{err}
	}
	faults := localcos.Faults{FailRate: f.failRate, DropRate: f.dropRate, ThrottleQPS: f.qps, Seed: f.seed}
	if f.latency != "" {
		if faults.Latency, faults.LatencyJitter, err = localcos.ParseLatency(f.latency); err != nil {
			return usageError{err}
		}
	}
	cred, keySource, err := serveCredential(f, f.bucket)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
	if f.quiet {
		logger = nil
	}
	srv, err := localcos.New(localcos.Config{
		Dir: dir, Bucket: f.bucket, Region: f.region, Credentials: []localcos.Credential{cred},
		Limits: limits, Faults: faults, Logger: logger,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("listen on %s: %w", f.addr, err)
	}
	printServeBanner(cmd.OutOrStdout(), cmd.ErrOrStderr(), srv, ln.Addr().String(), cred, keySource, faults)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		_ = srv.Close()
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(cmd.ErrOrStderr(), "Stopping: letting requests in flight finish...")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w (writes are atomic, so no object was left half-written)", err)
	}
	return nil
}

// serveCredential picks the accepted key pair: flags, then the environment, then a pair
// generated once per bucket and kept in a 0600 file so that restarts keep it.
func serveCredential(f serveFlags, bucket string) (localcos.Credential, string, error) {
	token := firstNonEmpty(f.token, os.Getenv("COS_SESSIONTOKEN"))
	switch {
	case f.secretID != "" || f.secretKey != "":
		if f.secretID == "" || f.secretKey == "" {
			return localcos.Credential{}, "", usageError{errors.New("--secret-id and --secret-key go together")}
		}
		return localcos.Credential{SecretID: f.secretID, SecretKey: f.secretKey, Token: token}, "from --secret-key", nil
	case os.Getenv("COS_SECRETID") != "" && os.Getenv("COS_SECRETKEY") != "":
		return localcos.Credential{SecretID: os.Getenv("COS_SECRETID"), SecretKey: os.Getenv("COS_SECRETKEY"), Token: token},
			"from $COS_SECRETKEY", nil
	}
	path, err := serveKeyFile(bucket)
	if err != nil {
		return localcos.Credential{}, "", err
	}
	cred, err := loadOrCreateKeyFile(path)
	if err != nil {
		return localcos.Credential{}, "", err
	}
	cred.Token = token
	mode := os.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm() // say what it is, not what it was made with
	}
	return cred, fmt.Sprintf("in %s (mode %#o)", path, mode), nil
}

func serveKeyFile(bucket string) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no user config directory to keep the generated key in (%w); pass --secret-id and --secret-key", err)
	}
	return filepath.Join(dir, "lightbox", "serve", bucket+".env"), nil
}

// loadOrCreateKeyFile reads COS_SECRETID=/COS_SECRETKEY= lines, the form a shell can
// source, or writes a fresh pair there.
func loadOrCreateKeyFile(path string) (localcos.Credential, error) {
	if data, err := os.ReadFile(path); err == nil {
		var c localcos.Credential
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			k, v, _ := strings.Cut(strings.TrimSpace(sc.Text()), "=")
			switch k {
			case "COS_SECRETID":
				c.SecretID = v
			case "COS_SECRETKEY":
				c.SecretKey = v
			}
		}
		if c.SecretID != "" && c.SecretKey != "" {
			return c, nil
		}
		return c, fmt.Errorf("%s does not hold COS_SECRETID and COS_SECRETKEY lines; remove it to generate a new pair", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return localcos.Credential{}, err
	}
	c, err := localcos.GenerateCredential()
	if err != nil {
		return c, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return c, err
	}
	content := "COS_SECRETID=" + c.SecretID + "\nCOS_SECRETKEY=" + c.SecretKey + "\n"
	// O_EXCL: two servers starting at once must not overwrite each other's fresh key.
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadOrCreateKeyFile(path)
		}
		return c, err
	}
	if _, err := io.WriteString(fh, content); err != nil {
		fh.Close()
		return c, err
	}
	return c, fh.Close()
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// printServeBanner says where the bucket is and how to reach it, never the secret key.
func printServeBanner(out, errw io.Writer, srv *localcos.Server, addr string, cred localcos.Credential, keySource string, faults localcos.Faults) {
	endpoint := "http://" + addr
	fmt.Fprintf(out, "Serving %s as bucket %s (region %s)\n", srv.Dir(), srv.Bucket(), srv.Region())
	fmt.Fprintf(out, "  Endpoint:   %s\n", endpoint)
	fmt.Fprintf(out, "  Virtual host (optional Host header): %s\n", srv.VirtualHost())
	fmt.Fprintf(out, "  SecretId:   %s\n", cred.SecretID)
	fmt.Fprintf(out, "  SecretKey:  %s\n", keySource)
	if cred.Token != "" {
		fmt.Fprintln(out, "  Session token required (x-cos-security-token)")
	}
	if faults.Enabled() {
		fmt.Fprintf(out, "  Faults:     latency %v+%v, fail %.0f%%, drop %.0f%%, AssessQuality %g QPS, seed %d\n",
			faults.Latency, faults.LatencyJitter, faults.FailRate*100, faults.DropRate*100, faults.ThrottleQPS, faults.Seed)
	}
	envLine := "  export COS_SECRETID=" + cred.SecretID + " COS_SECRETKEY=<your secret key>"
	if rest, ok := strings.CutPrefix(keySource, "in "); ok && strings.Contains(rest, " (mode ") {
		i := strings.LastIndex(rest, " (mode ")
		file, mode := rest[:i], strings.TrimSuffix(rest[i+len(" (mode "):], ")")
		envLine = "  set -a; . " + shellQuote(file) + "; set +a"
		if mode != "0600" {
			fmt.Fprintf(errw, "Warning: the key file %s has mode %s: others can read the secret key; run chmod 600 %s\n", file, mode, shellQuote(file))
		}
	}
	fmt.Fprintf(out, "\nClient configuration (paste into a shell):\n%s\n", envLine)
	fmt.Fprintf(out, "  lightbox score --endpoint %s --bucket %s cos://%s/\n", endpoint, srv.Bucket(), srv.Bucket())
	fmt.Fprintf(out, "  coscli ls cos://%s/ --customized -e %s -p http -i \"$COS_SECRETID\" -k \"$COS_SECRETKEY\"\n", srv.Bucket(), addr)
	fmt.Fprintf(out, "  Go: cos.NewClient(&cos.BaseURL{BucketURL: u}, ...) with u = %s\n\n", endpoint)
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); (ip == nil && host != "localhost") || (ip != nil && !ip.IsLoopback()) {
		fmt.Fprintf(errw, "Warning: listening on %s, reachable from other machines. Requests are signature-checked, but travel as plain HTTP.\n", addr)
	}
	fmt.Fprintln(out, "Serving until interrupted (Ctrl-C).")
}

// shellQuote makes a path safe to paste into a POSIX shell.
func shellQuote(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
