package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTargetCOS(t *testing.T) {
	cli := &COSCLIConfig{
		Path: "/home/u/.cos.yaml",
		Base: COSCLIBase{Protocol: "https"},
		Buckets: []COSCLIBucket{
			{Name: "photos-1250000000", Alias: "pics", Region: "ap-guangzhou", Endpoint: "cos.ap-guangzhou.myqcloud.com"},
			{Name: "raw-1250000000", Alias: "raw", Region: "ap-beijing"},
			{Name: "local-1250000000", Alias: "loc", Endpoint: "http://127.0.0.1:9000"},
			{Name: "Bad_Name", Alias: "bad"},
		},
	}
	httpCLI := &COSCLIConfig{Base: COSCLIBase{Protocol: "http"}, Buckets: []COSCLIBucket{{Name: "h-1", Alias: "h", Endpoint: "cos.local:9000"}}}
	withRegion := Default()
	withRegion.COS.Region = "ap-shanghai"
	withEndpoint := Default()
	withEndpoint.COS.Endpoint = "http://127.0.0.1:7070/"

	cases := []struct {
		name             string
		arg              string
		cfg              Config
		cli              *COSCLIConfig
		regionFlag, epFl string
		env              map[string]string
		want             Target
		err              string
	}{
		{name: "plain", arg: "cos://shots-1250000000/2024/", cfg: withRegion,
			want: Target{Bucket: "shots-1250000000", Prefix: "2024/", Region: "ap-shanghai"}},
		{name: "scheme case", arg: "COS://shots-1250000000/a", cfg: withRegion,
			want: Target{Bucket: "shots-1250000000", Prefix: "a", Region: "ap-shanghai"}},
		{name: "no slash", arg: "cos://shots-1250000000", cfg: withRegion,
			want: Target{Bucket: "shots-1250000000", Region: "ap-shanghai"}},
		{name: "prefix mid-name kept", arg: "cos://shots-1250000000/dir/IMG_00", cfg: withRegion,
			want: Target{Bucket: "shots-1250000000", Prefix: "dir/IMG_00", Region: "ap-shanghai"}},
		{name: "prefix kept verbatim", arg: "cos://shots-1250000000//a b/", cfg: withRegion,
			want: Target{Bucket: "shots-1250000000", Prefix: "/a b/", Region: "ap-shanghai"}},
		{name: "region flag wins", arg: "cos://pics/x/", cfg: withRegion, cli: cli, regionFlag: "ap-chengdu",
			env:  map[string]string{"TENCENTCLOUD_REGION": "ap-tokyo"},
			want: Target{Bucket: "photos-1250000000", Prefix: "x/", Region: "ap-chengdu", Endpoint: "https://photos-1250000000.cos.ap-guangzhou.myqcloud.com"}},
		{name: "alias region over config", arg: "cos://raw/", cfg: withRegion, cli: cli,
			want: Target{Bucket: "raw-1250000000", Region: "ap-beijing"}},
		{name: "name lookup also uses COSCLI", arg: "cos://raw-1250000000/", cli: cli,
			want: Target{Bucket: "raw-1250000000", Region: "ap-beijing"}},
		{name: "config region over env", arg: "cos://shots-1250000000/", cfg: withRegion,
			env:  map[string]string{"TENCENTCLOUD_REGION": "ap-tokyo", "COS_REGION": "ap-seoul"},
			want: Target{Bucket: "shots-1250000000", Region: "ap-shanghai"}},
		{name: "TENCENTCLOUD_REGION over COS_REGION", arg: "cos://shots-1250000000/",
			env:  map[string]string{"TENCENTCLOUD_REGION": "ap-tokyo", "COS_REGION": "ap-seoul"},
			want: Target{Bucket: "shots-1250000000", Region: "ap-tokyo"}},
		{name: "COS_REGION", arg: "cos://shots-1250000000/", env: map[string]string{"COS_REGION": "ap-seoul"},
			want: Target{Bucket: "shots-1250000000", Region: "ap-seoul"}},
		{name: "endpoint flag wins", arg: "cos://pics/", cfg: withEndpoint, cli: cli, epFl: "https://example.com:8443",
			want: Target{Bucket: "photos-1250000000", Region: "ap-guangzhou", Endpoint: "https://example.com:8443"}},
		{name: "config endpoint over COSCLI", arg: "cos://pics/", cfg: withEndpoint, cli: cli,
			want: Target{Bucket: "photos-1250000000", Region: "ap-guangzhou", Endpoint: "http://127.0.0.1:7070"}},
		{name: "endpoint without region", arg: "cos://lightbox-1250000000/", cfg: withEndpoint,
			want: Target{Bucket: "lightbox-1250000000", Endpoint: "http://127.0.0.1:7070"}},
		{name: "COSCLI endpoint with scheme", arg: "cos://loc/p", cli: cli,
			want: Target{Bucket: "local-1250000000", Prefix: "p", Endpoint: "http://127.0.0.1:9000"}},
		{name: "COSCLI localhost endpoint", arg: "cos://lh/", cli: &COSCLIConfig{Base: COSCLIBase{Protocol: "http"}, Buckets: []COSCLIBucket{{Name: "lh-1", Alias: "lh", Endpoint: "localhost:9000"}}},
			want: Target{Bucket: "lh-1", Endpoint: "http://localhost:9000"}},
		{name: "COSCLI protocol http", arg: "cos://h/", cli: httpCLI,
			want: Target{Bucket: "h-1", Endpoint: "http://h-1.cos.local:9000"}},

		{name: "no region", arg: "cos://shots-1250000000/", err: "no region for cos://shots-1250000000/: pass --region"},
		{name: "bad region", arg: "cos://shots-1250000000/", regionFlag: "guangzhou", err: "--region: region \"guangzhou\" is not"},
		{name: "bad env region", arg: "cos://shots-1250000000/", env: map[string]string{"COS_REGION": "gz"}, err: "$COS_REGION: region"},
		{name: "bad endpoint flag", arg: "cos://shots-1250000000/", epFl: "127.0.0.1:7070", err: "--endpoint: endpoint"},
		{name: "no bucket", arg: "cos:///x", cfg: withRegion, err: "has no bucket"},
		{name: "bad bucket upper", arg: "cos://Shots-1250000000/", cfg: withRegion, err: "NAME-APPID"},
		{name: "bad bucket no appid", arg: "cos://shots/", cfg: withRegion, err: "COSCLI"},
		{name: "bad bucket via alias", arg: "cos://bad/", cfg: withRegion, cli: cli, err: "/home/u/.cos.yaml (COSCLI) maps \"bad\""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolate(t)
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			cfg := c.cfg
			if cfg.Review.Sort == "" {
				cfg = Default()
			}
			got, err := ParseTarget(c.arg, cfg, c.cli, c.regionFlag, c.epFl)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			if got.IsLocal() {
				t.Error("COS target reported local")
			}
		})
	}
}

func TestParseTargetLocal(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	file := writeFile(t, dir, "a.jpg", "x", 0o600)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)

	cases := []struct {
		arg, want, err string
	}{
		{arg: dir, want: dir},
		{arg: "sub", want: filepath.Join(dir, "sub")},
		{arg: "./sub/", want: filepath.Join(dir, "sub")},
		{arg: ".", want: dir},
		{arg: file, err: "not a folder: " + file},
		{arg: "missing", err: "not a folder: missing (no such file or directory)"},
		{arg: "", err: "no target"},
		{arg: "bucket-1250000000/x", err: "not a folder"}, // no cos:// = local, as in COSCLI
	}
	for _, c := range cases {
		got, err := ParseTarget(c.arg, Default(), nil, "ap-guangzhou", "")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.arg, err, c.err)
			}
			continue
		}
		if err != nil || got != (Target{Local: c.want}) || !got.IsLocal() {
			t.Errorf("%q: %+v %v", c.arg, got, err)
		}
	}
}

func TestTargetString(t *testing.T) {
	if s := (Target{Bucket: "b-1", Prefix: "x/"}).String(); s != "cos://b-1/x/" {
		t.Error(s)
	}
	if s := (Target{Local: "/tmp/x"}).String(); s != "/tmp/x" {
		t.Error(s)
	}
}
