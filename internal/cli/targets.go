package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/internal/cosrules"
)

// targetFlags are how every bucket-facing command names its bucket and credentials.
type targetFlags struct {
	credentialFlags
	endpoint, bucket, region string
	limits                   string
	noCredentials            bool // resolve only names the target (lightbox journal reads no bucket)
}

func (f *targetFlags) register(cmd *cobra.Command) {
	f.credentialFlags.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&f.endpoint, "endpoint", "", "the COS endpoint URL, e.g. http://127.0.0.1:7070 for a lightbox serve")
	fl.StringVar(&f.bucket, "bucket", "", "bucket NAME-APPID (with --endpoint, TARGET may then be just a prefix)")
	fl.StringVar(&f.region, "region", "", "the COS region of a cos:// target (default from the config or COSCLI)")
	fl.StringVar(&f.limits, "limits", "local", "for a folder TARGET: AssessQuality limits, local (none) or cos (like the cloud)")
}

// credentialFlags are the config file and the credentials: what undo and resume need to
// reach the bucket a batch names, and part of every target's flags.
type credentialFlags struct {
	configPath                 string
	secretID, secretKey, token string
}

func (f *credentialFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.configPath, "config", "", "config file (default $LIGHTBOX_CONFIG or <config dir>/lightbox/config.toml)")
	fl.StringVar(&f.secretID, "secret-id", "", "your SecretId (default: $COS_SECRETID, $TENCENTCLOUD_SECRET_ID, the config, ~/.cos.yaml)")
	fl.StringVar(&f.secretKey, "secret-key", "", "your SecretKey (prefer the environment: flags show in ps)")
	fl.StringVar(&f.token, "session-token", "", "the STS session token, with temporary keys")
}

// resolved is everything needed to open a client.
type resolved struct {
	cfg      config.Config
	target   config.Target
	creds    config.Credentials
	warnings []string // about the config files, already printed when resolve had a writer
}

// resolve reads the config, parses TARGET and finds credentials. Config warnings are
// printed to warn, or, with warn nil, only kept in resolved.warnings (the reviewer shows
// them on its screen, where they are not lost under the full-screen UI).
func (f *targetFlags) resolve(arg string, warn io.Writer) (resolved, error) {
	cfg, warnings, err := config.Load(f.configPath, reviewWords)
	if err != nil {
		return resolved{}, err
	}
	var said []string
	say := func(w string) {
		said = append(said, w)
		if warn != nil {
			fmt.Fprintln(warn, "warning:", w)
		}
	}
	for _, w := range warnings {
		say(fmt.Sprint(w))
	}
	cliPath, _ := config.COSCLIPath(cfg)
	cli, err := config.LoadCOSCLI(cliPath)
	if err != nil {
		say(fmt.Sprint("ignoring COSCLI's config: ", err))
		cli = nil
	}
	var t config.Target
	switch {
	case f.bucket != "" && !strings.HasPrefix(strings.ToLower(arg), "cos://"):
		if !cosrules.ValidBucket(f.bucket) {
			return resolved{}, usageError{fmt.Errorf("--bucket %q: want NAME-APPID, e.g. photos-1250000000", f.bucket)}
		}
		t = config.Target{Bucket: f.bucket, Prefix: arg, Region: f.region, Endpoint: f.endpoint}
		if t.Endpoint == "" {
			t.Endpoint = cfg.COS.Endpoint
		}
		if t.Region == "" {
			t.Region = cfg.COS.Region
		}
		if t.Endpoint == "" && t.Region == "" {
			return resolved{}, usageError{errors.New("--bucket needs --endpoint or --region")}
		}
	default:
		if t, err = config.ParseTarget(arg, cfg, cli, f.region, f.endpoint); err != nil {
			return resolved{}, err
		}
	}
	r := resolved{cfg: cfg, target: t, warnings: said}
	if !t.IsLocal() && !f.noCredentials {
		r.creds, err = config.ResolveCredentials(config.Sources{
			FlagID: f.secretID, FlagKey: f.secretKey, FlagToken: f.token, Config: cfg, COSCLI: cliPath,
		})
		if err != nil {
			return resolved{}, err
		}
	}
	return r, nil
}

// oneTarget is the Args and RunE of a command that works on one TARGET, for which
// --bucket (with --endpoint) may stand alone: then the bucket's root.
func oneTarget(f *targetFlags, run func(cmd *cobra.Command, arg string) error) (cobra.PositionalArgs, func(*cobra.Command, []string) error) {
	args := func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return errorfUsage("%s takes one TARGET", cmd.Name())
		}
		return nil
	}
	runE := func(cmd *cobra.Command, args []string) error {
		arg := ""
		if len(args) == 1 {
			arg = args[0]
		} else if f.bucket == "" {
			return errorfUsage("%s needs a TARGET (or --bucket with --endpoint)", cmd.Name())
		}
		return run(cmd, arg)
	}
	return args, runE
}
