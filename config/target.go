package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Target is what lightbox works on: a COS bucket and key prefix, or a local
// folder (Local set, the rest empty).
type Target struct {
	Bucket   string // NAME-APPID, aliases resolved
	Prefix   string // key prefix exactly as given; may be empty or end mid-name
	Region   string // may be empty when Endpoint is set
	Endpoint string // base URL for the bucket; "" = https://BUCKET.cos.REGION.myqcloud.com
	Local    string // absolute folder path
}

// IsLocal reports whether the target is a local folder.
func (t Target) IsLocal() bool { return t.Local != "" }

// String is the target as a user would type it.
func (t Target) String() string {
	if t.IsLocal() {
		return t.Local
	}
	return "cos://" + t.Bucket + "/" + t.Prefix
}

// ParseTarget reads a command-line target: cos://BUCKET/prefix (BUCKET may be
// a COSCLI alias) or a local folder. cli may be nil.
//
// Region: regionFlag, the COSCLI bucket's region, [cos].region,
// $TENCENTCLOUD_REGION, $COS_REGION. Endpoint: endpointFlag, [cos].endpoint,
// the COSCLI bucket's endpoint host (as PROTOCOL://BUCKET.HOST), else "".
// A COS target needs a region or an endpoint.
func ParseTarget(arg string, cfg Config, cli *COSCLIConfig, regionFlag, endpointFlag string) (Target, error) {
	if !hasCOSScheme(arg) {
		return parseLocal(arg)
	}
	name, prefix, _ := strings.Cut(arg[len("cos://"):], "/")
	if name == "" {
		return Target{}, fmt.Errorf("%q has no bucket: write cos://BUCKET-APPID/prefix", arg)
	}
	t := Target{Bucket: name, Prefix: prefix}
	cb, aliased := cli.Bucket(name)
	if aliased {
		t.Bucket = cb.Name
		if err := checkBucket(cb.Name); err != nil {
			return Target{}, fmt.Errorf("%s (COSCLI) maps %q to a bad name: %w", cli.Path, name, err)
		}
	} else if err := checkBucket(name); err != nil {
		return Target{}, fmt.Errorf("%w; or name a bucket alias from COSCLI's ~/.cos.yaml", err)
	}

	var err error
	if t.Endpoint, err = targetEndpoint(t.Bucket, cfg, cli, cb, endpointFlag); err != nil {
		return Target{}, err
	}
	region, from := firstSet(
		regionFlag, "--region",
		cb.Region, "the COSCLI bucket entry",
		cfg.COS.Region, "[cos] region",
		os.Getenv("TENCENTCLOUD_REGION"), "$TENCENTCLOUD_REGION",
		os.Getenv("COS_REGION"), "$COS_REGION",
	)
	if region == "" && t.Endpoint == "" {
		return Target{}, fmt.Errorf("no region for %s: pass --region ap-guangzhou (or the bucket's region), set region under [cos] in %s, export TENCENTCLOUD_REGION, add the bucket to COSCLI with `coscli config add`, or give --endpoint", arg, configName(cfg))
	}
	if region != "" {
		if err := checkRegion(region); err != nil {
			return Target{}, fmt.Errorf("%s: %w", from, err)
		}
	}
	t.Region = region
	return t, nil
}

func targetEndpoint(bucket string, cfg Config, cli *COSCLIConfig, cb COSCLIBucket, flag string) (string, error) {
	if flag != "" {
		ep, err := NormalizeEndpoint(flag)
		if err != nil {
			return "", fmt.Errorf("--endpoint: %w", err)
		}
		return ep, nil
	}
	if cfg.COS.Endpoint != "" {
		ep, err := NormalizeEndpoint(cfg.COS.Endpoint)
		if err != nil {
			return "", fmt.Errorf("[cos] endpoint in %s: %w", configName(cfg), err)
		}
		return ep, nil
	}
	if cb.Endpoint == "" {
		return "", nil
	}
	// COSCLI stores a host to put the bucket in front of; tolerate a scheme
	// written in by hand.
	scheme, host := cli.Base.Protocol, cb.Endpoint
	if strings.Contains(host, "://") {
		u, err := url.Parse(host)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("%s (COSCLI): bucket %s has a bad endpoint %q", cli.Path, bucket, cb.Endpoint)
		}
		scheme, host = u.Scheme, u.Host
	}
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("%s (COSCLI): protocol %q is neither http nor https", cli.Path, scheme)
	}
	host = strings.TrimSuffix(host, "/")
	// A bucket name in front of an IP address or localhost names nothing;
	// such an endpoint is an emulator serving the bucket itself.
	if h := hostOnly(host); net.ParseIP(h) == nil && h != "localhost" {
		host = bucket + "." + host
	}
	return NormalizeEndpoint(scheme + "://" + host)
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// firstSet returns the first non-empty value of value/name pairs, with its name.
func firstSet(pairs ...string) (value, name string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := strings.TrimSpace(pairs[i]); v != "" {
			return v, pairs[i+1]
		}
	}
	return "", ""
}

func configName(cfg Config) string {
	if cfg.Path != "" {
		return cfg.Path
	}
	return "lightbox's config.toml"
}

func parseLocal(arg string) (Target, error) {
	if arg == "" {
		return Target{}, errors.New("no target: give cos://BUCKET-APPID/prefix or a folder")
	}
	abs, err := filepath.Abs(arg)
	if err != nil {
		return Target{}, fmt.Errorf("not a folder: %s (%w)", arg, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Target{}, fmt.Errorf("not a folder: %s (no such file or directory)", arg)
		}
		return Target{}, fmt.Errorf("not a folder: %s (%w)", arg, err)
	}
	if !fi.IsDir() {
		return Target{}, fmt.Errorf("not a folder: %s", arg)
	}
	return Target{Local: abs}, nil
}
